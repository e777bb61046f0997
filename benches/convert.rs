//! Convert-stage throughput against the reference OpenCC 1.4.2 CLI, same files, same run,
//! one thread each. Prints MB/s and ratios.
//!
//! Inputs come from `scripts/opencc_diff.py`'s work directory (default
//! /tmp/zhclean-opencc-diff, or $ZHCLEAN_OPENCC_WORK): the Debian corpus converted by the
//! reference to OpenCC-standard, Taiwan and Hong Kong traditional, and to simplified. The
//! reference CLI is the one in that directory's venv (or $ZHCLEAN_OPENCC_BIN); it is run with
//! `--include-tofu-risk-dictionaries` (the library's behaviour, which zhclean implements)
//! and its own `--measured_result` conversion time (dictionary loading and I/O excluded) is
//! compared, as well as its wall time.
//!
//! Run: `python3 scripts/opencc_diff.py && cargo bench --bench convert`
//! (`-- --quick` for a 2 MB slice of each input).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use zhclean::convert::{ConvertOptions, ConvertReport, Converter};

#[path = "../tests/support/records.rs"]
mod support_records;
use support_records::records;

fn work_dir() -> PathBuf {
    std::env::var_os("ZHCLEAN_OPENCC_WORK")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/zhclean-opencc-diff"))
}

fn reference_bin(work: &Path) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ZHCLEAN_OPENCC_BIN") {
        return Some(PathBuf::from(p));
    }
    let lib = work.join("venv").join("lib");
    for py in std::fs::read_dir(lib).ok()?.flatten() {
        let bin = py.path().join("site-packages/opencc/clib/bin/opencc");
        if bin.exists() {
            return Some(bin);
        }
    }
    None
}

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
    }
    best
}

fn mbs(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

/// The reference CLI's conversion time (its own measurement) and wall time, best of `runs`.
fn reference(bin: &Path, config: &str, input: &Path, runs: usize) -> Option<(Duration, Duration)> {
    let share = bin.parent()?.parent()?.join("share/opencc");
    let measured = std::env::temp_dir().join(format!("zhclean-bench-{config}.json"));
    let out = std::env::temp_dir().join(format!("zhclean-bench-{config}.out"));
    let (mut conv, mut wall) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        let t = Instant::now();
        let st = Command::new(bin)
            .arg("-c")
            .arg(share.join(format!("{config}.json")))
            .arg("--include-tofu-risk-dictionaries")
            .arg("-i")
            .arg(input)
            .arg("-o")
            .arg(&out)
            .arg("--measured_result")
            .arg(&measured)
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        wall = wall.min(t.elapsed());
        if !st.success() {
            return None;
        }
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&measured).ok()?).ok()?;
        let ms = m.get("convert_ms")?.as_f64()?;
        conv = conv.min(Duration::from_secs_f64(ms / 1e3));
    }
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&measured);
    Some((conv, wall))
}

/// The lines of `text` whose bytes are at least 80% non-ASCII (Han-dense text, where
/// OpenCC spends more time per byte than on ASCII).
fn han_dense(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let non_ascii = line.bytes().filter(|&b| b >= 0x80).count();
        if non_ascii * 5 >= line.len() * 4 {
            out.push_str(line);
        }
    }
    out
}

/// Times one config on one input (ours whole, ours as ~100-byte records, the reference)
/// and prints a row.
fn run_case(config: &str, text: &str, ref_path: Option<&Path>, bin: Option<&PathBuf>, quick: bool) {
    let converter =
        Converter::with_options(ConvertOptions::config(config).skip_japanese(false)).unwrap();
    // Warm up: builds the tables.
    let _ = converter.convert("預熱", &mut ConvertReport::default());
    let runs = if quick { 2 } else { 3 };
    let recs = records(text, 100);
    let ref_name = if config == "auto2s" { "tw2s" } else { config };
    let tmp = std::env::temp_dir().join(format!("zhclean-bench-{config}.in"));
    let ref_input = match ref_path {
        Some(p) => p.to_path_buf(),
        None => {
            std::fs::write(&tmp, text).unwrap();
            tmp.clone()
        }
    };
    // Interleaved (ours, records, reference) rounds, best of each: the machine is shared.
    let (mut whole, mut small) = (Duration::MAX, Duration::MAX);
    let (mut conv, mut wall) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        whole = whole.min(best_of(1, || {
            let mut r = ConvertReport::default();
            std::hint::black_box(converter.convert(text, &mut r));
        }));
        small = small.min(best_of(1, || {
            // As a JSONL filter converts records: one output buffer for all of them.
            let mut r = ConvertReport::default();
            let mut scratch = String::new();
            for rec in &recs {
                std::hint::black_box(converter.convert_in(rec, &mut scratch, &mut r));
            }
        }));
        if let Some((c, w)) = bin.and_then(|b| reference(b, ref_name, &ref_input, 1)) {
            conv = conv.min(c);
            wall = wall.min(w);
        }
    }
    if ref_path.is_none() {
        let _ = std::fs::remove_file(&tmp);
    }
    let ours = mbs(text.len(), whole);
    let (rc, rw) = if conv == Duration::MAX {
        (0.0, 0.0)
    } else {
        (mbs(text.len(), conv), mbs(text.len(), wall))
    };
    println!(
        "{:7} {:>7.1} {:>7.0}/s {:>7.0}/s {:>9.1}/s {:>8.1}/s {:>7.1}x {:>8.1}x",
        config,
        text.len() as f64 / 1e6,
        ours,
        mbs(text.len(), small),
        rc,
        rw,
        if rc > 0.0 { ours / rc } else { 0.0 },
        if rw > 0.0 { ours / rw } else { 0.0 },
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let work = work_dir();
    let cases = [
        ("t2s", "in.s2t.txt"),
        ("tw2s", "in.s2tw.txt"),
        ("hk2s", "in.s2hk.txt"),
        ("s2t", "in.t2s.txt"),
        ("auto2s", "in.s2tw.txt"),
    ];
    let bin = reference_bin(&work);
    if bin.is_none() {
        println!("reference OpenCC CLI not found: run scripts/opencc_diff.py first");
    }
    let header = || {
        println!(
            "{:7} {:>7} {:>9} {:>9} {:>11} {:>10} {:>8} {:>8}",
            "config", "MB", "zhclean", "records", "opencc-conv", "opencc-all", "ratio", "ratio-all"
        )
    };
    let mut inputs = Vec::new();
    for (config, file) in cases {
        let path = work.join(file);
        let Ok(mut text) = std::fs::read_to_string(&path) else {
            println!(
                "{config}: {} missing: run scripts/opencc_diff.py first",
                path.display()
            );
            continue;
        };
        if quick {
            let mut end = 2_000_000.min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.truncate(end);
        }
        inputs.push((config, path, text));
    }
    println!("The whole corpus (about 38% ASCII bytes):");
    header();
    for (config, path, text) in &inputs {
        run_case(
            config,
            text,
            (!quick).then_some(path.as_path()),
            bin.as_ref(),
            quick,
        );
    }
    println!("Its Han-dense lines (at least 80% non-ASCII bytes):");
    header();
    for (config, _, text) in &inputs {
        if *config == "auto2s" {
            continue;
        }
        run_case(config, &han_dense(text), None, bin.as_ref(), quick);
    }
    println!(
        "(MB/s; `records` = the same text as ~100-byte documents; opencc-conv = the reference's \
         own conversion time, opencc-all = its wall time with loading and I/O)"
    );
}
