//! Throughput of the mojibake pass (single thread), with ftfy.fix_encoding timed in
//! the same run for the ratio, and of the whole repair stage (`Repairer`: the mojibake,
//! Latin and artifact passes, what `zhclean --no-convert --no-strip` runs) on the
//! clean text.
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
use zhclean::repair::{RepairReport, Repairer};

fn docs_of(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    lines.chunks(40).map(|c| c.join("\n")).collect()
}

/// CPU time (user + system) this process has used, from `/proc/self/stat` (Linux;
/// 0 elsewhere). The machine may be shared, so throughput is also given per CPU second.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime is field 14.
    let Some(rest) = stat.rsplit(')').next() else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// MB/s of the mojibake pass over `docs`, by wall clock and by CPU time (passes
/// repeated for at least two CPU seconds).
fn run(docs: &[String]) -> (f64, f64, usize) {
    let opts = MojibakeOptions::default();
    run_with(docs, |d, report| mojibake::repair(d, &opts, report))
}

/// [`run`] of `repair` (the mojibake pass or the whole stage) over `docs`; the third
/// figure is how many documents it changed (in the last pass).
fn run_with(
    docs: &[String],
    repair: impl for<'t> Fn(&'t str, &mut RepairReport) -> std::borrow::Cow<'t, str>,
) -> (f64, f64, usize) {
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let mut changed = 0;
    let mut passes = 0usize;
    let wall = Instant::now();
    let cpu0 = cpu_seconds();
    while passes < 3 || cpu_seconds() - cpu0 < 2.0 {
        changed = 0;
        for d in docs {
            let mut report = RepairReport::default();
            let out = repair(d, &mut report);
            changed += matches!(out, std::borrow::Cow::Owned(_)) as usize;
        }
        passes += 1;
    }
    let total = (bytes * passes) as f64 / 1e6;
    let cpu = (cpu_seconds() - cpu0).max(1e-9);
    (total / wall.elapsed().as_secs_f64(), total / cpu, changed)
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
    let (mbps, cpu_mbps, changed) = run(&clean);
    println!(
        "clean Chinese: {:.1} MB of text, {mbps:.0} MB/s wall, {cpu_mbps:.0} MB/s per CPU second, \
         {changed} of {} documents changed",
        text.len() as f64 / 1e6,
        clean.len()
    );
    let stage = Repairer::new();
    let (smbps, scpu, schanged) = run_with(&clean, |d, report| stage.repair(d, report));
    println!(
        "clean Chinese, whole repair stage (mojibake, Latin and artifact passes): \
         {smbps:.0} MB/s wall, {scpu:.0} MB/s per CPU second, {schanged} of {} documents changed",
        clean.len()
    );
    // Keep the mojibake runs to ~4 MB of output each.
    let sample: String = text.chars().take(1_300_000).collect();
    let gbk = encoding_rs::GBK
        .decode_without_bom_handling(sample.as_bytes())
        .0;
    let (m, mc, _) = run(&docs_of(&gbk));
    println!("all mojibake (utf8>gbk): {m:.1} MB/s wall, {mc:.1} MB/s per CPU second");
    let sample: String = text.chars().take(600_000).collect();
    let cp = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(sample.as_bytes())
        .0;
    let (m2, mc2, _) = run(&docs_of(&cp));
    println!("all mojibake (utf8>cp1252): {m2:.1} MB/s wall, {mc2:.1} MB/s per CPU second");
    match ftfy_mbps(&text) {
        Some(f) => println!(
            "ftfy.fix_encoding on the clean text: {f:.1} MB/s wall; zhclean/ftfy = {:.0}x (wall)",
            mbps / f
        ),
        None => println!("ftfy not available (pip install ftfy) — no ratio"),
    }
}
