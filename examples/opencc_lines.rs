//! Dev tool for `scripts/opencc_diff.py`: converts stdin line by line with one
//! configuration (`Converter::convert` per line, Japanese detection off) to stdout.
//!
//! Usage: `opencc_lines CONFIG [--dict FILE]... < in.txt > out.txt`

use std::io::{BufRead, BufWriter, Write};

use zhclean::convert::{ConvertOptions, ConvertReport, Converter};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let config = args
        .next()
        .ok_or("usage: opencc_lines CONFIG [--dict FILE]...")?;
    let mut options = ConvertOptions::config(&config).skip_japanese(false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dict" => options = options.dict(args.next().ok_or("--dict needs a file")?),
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let converter = Converter::with_options(options)?;
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut report = ConvertReport::default();
    for line in stdin.lines() {
        let line = line?;
        out.write_all(converter.convert(&line, &mut report).as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
