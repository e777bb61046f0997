//! Throughput of the strip stage alone, single thread, in MB/s of input text.
//!
//! The haystack is the synthetic pages of `testdata/strip/` (our own text), each a
//! document, repeated to about 32 MiB. For scale, the same run times the naive
//! "≥ 20 CJK + sentence punctuation" line filter (the brief's text baseline) and a bare
//! line split, and prints the ratios. `cargo bench --bench strip`
//! (`ZH_BENCH_MB=N` changes the haystack size; `ZH_BENCH_ONLY_STRIP=1` stops after the
//! first measurement, for profiling).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use zhclean::strip::{LineHistory, StripReport, Stripper};

fn docs() -> Vec<String> {
    // Optionally, line-labelled gold JSONL files read at run time (real pages; never
    // copied into the repository): `ZH_BENCH_GOLD=a.jsonl:b.jsonl`.
    if let Ok(paths) = std::env::var("ZH_BENCH_GOLD") {
        let mut out = Vec::new();
        for p in paths.split(':') {
            for rec in std::fs::read_to_string(p).expect("gold file").lines() {
                let v: serde_json::Value = match serde_json::from_str(rec) {
                    Ok(v) => v,
                    Err(_) => continue,
                };
                let lines: Vec<&str> = v["lines"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                    .unwrap_or_default();
                out.push(lines.join("\n") + "\n");
            }
        }
        return out;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/strip");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/strip")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| {
            let raw = std::fs::read_to_string(p).unwrap();
            raw.lines()
                .map(|l| l.get(2..).unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        })
        .collect()
}

fn naive_keep(line: &str) -> bool {
    let mut cjk = 0;
    let mut punct = false;
    for c in line.chars() {
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            cjk += 1;
        } else if matches!(c, '。' | '！' | '？' | '；' | '，' | '：' | '、') {
            punct = true;
        }
    }
    cjk >= 20 && punct
}

/// CPU time of this thread in seconds (Linux `/proc/thread-self/schedstat`), so that
/// other processes competing for the cores do not count against us.
fn cpu_time() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Best of three (after a warm-up): MB/s by wall clock and by thread CPU time.
fn time<F: FnMut() -> usize>(name: &str, bytes: usize, mut f: F) -> f64 {
    black_box(f());
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    for _ in 0..3 {
        let c = cpu_time();
        let t = Instant::now();
        black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c, cpu_time()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    let mbs = bytes as f64 / best / 1e6;
    let cpu = if best_cpu < f64::MAX {
        format!("{:9.1} MB/s per CPU-second", bytes as f64 / best_cpu / 1e6)
    } else {
        String::new()
    };
    println!("{name:36} {mbs:9.1} MB/s wall {cpu}");
    bytes as f64 / best_cpu.min(best) / 1e6
}

fn main() {
    let target: usize = std::env::var("ZH_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
        << 20;
    let base = docs();
    let mut corpus = Vec::new();
    let mut bytes = 0;
    while bytes < target {
        for d in &base {
            bytes += d.len();
            corpus.push(d.clone());
        }
    }
    println!(
        "strip bench: {} documents, {:.1} MiB, single thread",
        corpus.len(),
        bytes as f64 / (1 << 20) as f64
    );
    let s = Stripper::new();
    let strip = time("strip (Stripper::strip)", bytes, || {
        let mut n = 0;
        for d in &corpus {
            let mut r = StripReport::default();
            n += s.strip(d, &mut r).len();
        }
        n
    });
    if std::env::var_os("ZH_BENCH_ONLY_STRIP").is_some() {
        return;
    }
    let hinted = time("history.observe + strip_with_hints", bytes, || {
        let mut h = LineHistory::default();
        let mut n = 0;
        for d in &corpus {
            let hints = h.observe(Some("example.org"), d);
            let mut r = StripReport::default();
            n += s.strip_with_hints(d, &hints, &mut r).len();
        }
        n
    });
    let naive = time("naive ≥20 CJK + punct filter", bytes, || {
        let mut n = 0;
        for d in &corpus {
            let out: Vec<&str> = d.lines().filter(|l| naive_keep(l)).collect();
            n += out.len();
        }
        n
    });
    let split = time("bare line split (floor)", bytes, || {
        corpus.iter().map(|d| d.lines().count()).sum()
    });
    println!(
        "ratios: strip/naive = {:.2}, strip/split = {:.2}, hinted/strip = {:.2}",
        strip / naive,
        strip / split,
        hinted / strip
    );
}
