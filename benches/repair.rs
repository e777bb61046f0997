//! Throughput of the mojibake pass (single thread), with ftfy.fix_encoding timed in
//! the same run for the ratio.
//!
//! `cargo bench --bench repair` uses the clean Chinese text in
//! `MOJIBAKE_BENCH_TEXT` (a UTF-8 file; e.g. text extracted from Debian's zh
//! documentation packages) or, without it, `testdata/mojibake/clean_zh.txt` repeated.
//! Mojibake inputs are made from that text with encoding_rs (UTF-8 bytes decoded as
//! GBK, and as windows-1252).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use zhclean::repair::mojibake::{self, MojibakeOptions};
use zhclean::repair::RepairReport;

fn docs_of(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    lines.chunks(40).map(|c| c.join("\n")).collect()
}

/// MB/s of the mojibake pass over `docs` (best of three passes).
fn run(docs: &[String]) -> (f64, usize) {
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let opts = MojibakeOptions::default();
    let mut best = f64::MAX;
    let mut changed = 0;
    for _ in 0..3 {
        changed = 0;
        let t = Instant::now();
        for d in docs {
            let mut report = RepairReport::default();
            let out = mojibake::repair(d, &opts, &mut report);
            changed += matches!(out, std::borrow::Cow::Owned(_)) as usize;
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    (bytes as f64 / best / 1e6, changed)
}

fn ftfy_mbps(text: &str) -> Option<f64> {
    let script = "import sys, time, ftfy\n\
        t = sys.stdin.read()\n\
        ls = t.split('\\n')\n\
        docs = ['\\n'.join(ls[i:i+40]) for i in range(0, len(ls), 40)]\n\
        s = time.perf_counter()\n\
        for d in docs: ftfy.fix_encoding(d)\n\
        e = time.perf_counter() - s\n\
        print(len(t.encode('utf-8')) / e / 1e6)\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

fn main() {
    let text = match std::env::var("MOJIBAKE_BENCH_TEXT") {
        Ok(path) => std::fs::read_to_string(path).expect("read MOJIBAKE_BENCH_TEXT"),
        Err(_) => {
            let base = include_str!("../testdata/mojibake/clean_zh.txt");
            base.repeat((4_000_000 / base.len().max(1)).max(1))
        }
    };
    let clean = docs_of(&text);
    let (mbps, changed) = run(&clean);
    println!(
        "clean Chinese: {:.1} MB of text, {mbps:.0} MB/s, {changed} of {} documents changed",
        text.len() as f64 / 1e6,
        clean.len()
    );
    // Keep the mojibake runs to ~4 MB of output each.
    let sample: String = text.chars().take(1_300_000).collect();
    let gbk = encoding_rs::GBK
        .decode_without_bom_handling(sample.as_bytes())
        .0;
    let (m, _) = run(&docs_of(&gbk));
    println!("all mojibake (utf8>gbk): {m:.0} MB/s");
    let sample: String = text.chars().take(600_000).collect();
    let cp = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(sample.as_bytes())
        .0;
    let (m2, _) = run(&docs_of(&cp));
    println!("all mojibake (utf8>cp1252): {m2:.0} MB/s");
    match ftfy_mbps(&text) {
        Some(f) => println!(
            "ftfy.fix_encoding on the clean text: {f:.1} MB/s; zhclean/ftfy = {:.0}x",
            mbps / f
        ),
        None => println!("ftfy not available (pip install ftfy) — no ratio"),
    }
}
