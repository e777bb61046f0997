//! Times the repair stage with and without the artifact pass on one text file, many
//! rounds; run under `valgrind --tool=callgrind` for load-independent instruction counts.
//! usage: repair_cost FILE [mojibake-only|both|pass] [ROUNDS] [gbk|cp1252]
//!
//! `pass` times the mojibake pass alone (`mojibake::repair`, as `benches/repair.rs`
//! does) rather than the repair stage. With `gbk` or `cp1252` the file's first 1.3 M
//! (gbk) or 0.6 M (cp1252) characters are first made into mojibake as in
//! `benches/repair.rs` (their UTF-8 bytes decoded with that encoding by encoding_rs) and
//! cut into documents of 40 lines; otherwise documents are separated by blank lines.
use std::borrow::Cow;

use zhclean::repair::{mojibake, RepairOptions, RepairReport, Repairer};

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: repair_cost FILE [mojibake-only|both|pass] [ROUNDS] [gbk|cp1252]";
    let path = args.next().expect(usage);
    let mode = args.next().unwrap_or_else(|| "both".into());
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let (text, docs): (String, Vec<String>) = match args.next().as_deref() {
        Some(enc @ ("gbk" | "cp1252")) => {
            let (e, n) = if enc == "gbk" {
                (encoding_rs::GBK, 1_300_000)
            } else {
                (encoding_rs::WINDOWS_1252, 600_000)
            };
            let sample: String = text.chars().take(n).collect();
            let moji = e
                .decode_without_bom_handling(sample.as_bytes())
                .0
                .into_owned();
            let lines: Vec<&str> = moji.lines().collect();
            let docs = lines.chunks(40).map(|c| c.join("\n")).collect();
            (moji, docs)
        }
        _ => {
            let docs = text.split("\n\n").map(str::to_string).collect();
            (text, docs)
        }
    };
    let mut o = RepairOptions::new();
    if mode == "mojibake-only" {
        o.artifacts = None;
    }
    let r = Repairer::with_options(o);
    let mo = mojibake::MojibakeOptions::default();
    let t = std::time::Instant::now();
    let mut changed = 0;
    for _ in 0..rounds {
        for doc in &docs {
            let mut rep = RepairReport::default();
            let out = if mode == "pass" {
                mojibake::repair(doc, &mo, &mut rep)
            } else {
                r.repair(doc, &mut rep)
            };
            changed += !matches!(out, Cow::Borrowed(_)) as usize;
        }
    }
    let mb = (text.len() * rounds) as f64 / 1e6;
    println!(
        "{mode}: {:.1} MB/s, {changed} documents changed",
        mb / t.elapsed().as_secs_f64()
    );
}
