//! Cost bounds: hostile documents must clean at ≥ 50% of the throughput of ordinary text.
//! One document each (default 50 MB; ZHCLEAN_BENCH_MB=… changes it), whole pipeline,
//! single thread. Prints MB/s and the ratio to the ordinary document.
//!
//! Run: `cargo bench --bench cost_bounds`. Figures are steady state: a short document of
//! every kind is cleaned first, untimed, so that no timed run builds the lazily built
//! tables (`ZHCLEAN_BENCH_WARM=0` leaves that out). For load-independent figures, run the bench
//! binary under `valgrind --tool=callgrind` with `ZHCLEAN_BENCH_MB=1` and compare the
//! instructions spent in `Cleaner::clean` per document. `ZHCLEAN_BENCH_ONLY=WORD` times
//! only the documents whose name contains WORD; `ZHCLEAN_BENCH_DUMP=DIR` also writes each
//! timed document to `DIR/<n>.txt` (n = its index below), to run the CLI on it.
//! `ZHCLEAN_BENCH_REPEAT=N` cleans each document N times, in N rounds of every document
//! in turn, and reports each one's fastest run (on a shared machine the fastest run is
//! the one least disturbed by other load, and rounds spread a spell of load over all);
//! `ZHCLEAN_BENCH_CPU=1` times by the thread's time on a CPU (Linux
//! `/proc/thread-self/schedstat`) instead of wall time, which leaves out the time the
//! thread waited for a CPU.

use std::time::Instant;

use zhclean::Cleaner;

#[path = "../tests/support/clauses.rs"]
mod support;

fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    s
}

/// Ordinary text: paragraphs of 2 to 7 clauses drawn at random (a fixed seed), so that
/// lines do not repeat (a document of one repeated line would be mostly stripped, and
/// would flatter every other stage), in documents' usual shape.
fn ordinary_text(bytes: usize) -> String {
    let clauses = support::clauses(&[support::SIMPLIFIED, support::TRADITIONAL].concat());
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut s = String::with_capacity(bytes + 512);
    while s.len() < bytes {
        let n = 2 + next() % 6;
        for _ in 0..n {
            s.push_str(&clauses[(next() % clauses.len() as u64) as usize]);
        }
        s.push('\n');
    }
    s
}

/// The time the calling thread has spent on a CPU, in seconds (Linux; `None` elsewhere).
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let mb: usize = std::env::var("ZHCLEAN_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let bytes = mb * 1_000_000;
    let ordinary = ordinary_text(bytes);
    // The same text as UTF-8 read by the WHATWG GBK decoder, line by line.
    let moji: String = ordinary
        .split_inclusive('\n')
        .map(|l| encoding_rs::GBK.decode_without_bom_handling(l.as_bytes()).0)
        .collect();
    let docs: Vec<(&str, String)> = vec![
        ("ordinary text", ordinary.clone()),
        ("pure mojibake (utf8>gbk)", moji),
        ("no newlines", ordinary.replace('\n', "")),
        ("only ? and (", repeat_to("??((?(?((??(", bytes)),
        ("4-byte characters", repeat_to("𠀀𠀁𠀂𪚥𩸽😀𠮷", bytes)),
    ];
    let only = std::env::var("ZHCLEAN_BENCH_ONLY").ok();
    let dump = std::env::var("ZHCLEAN_BENCH_DUMP").ok();
    let repeat: usize = std::env::var("ZHCLEAN_BENCH_REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
        .max(1);
    let cpu = std::env::var("ZHCLEAN_BENCH_CPU").is_ok_and(|v| v == "1") && cpu_seconds().is_some();
    let cleaner = Cleaner::new();
    // Steady state: tables built on first use (the mojibake pass's, the strip lexicon)
    // are built before any timing, or the first document timed (the ordinary one, the
    // base of every ratio) pays for them. (`ZHCLEAN_BENCH_WARM=0` leaves this out, for
    // callgrind runs that count one `Cleaner::clean` call per document.)
    let warm_up = std::env::var("ZHCLEAN_BENCH_WARM").map_or(true, |v| v != "0");
    let warm: String = docs
        .iter()
        .map(|(_, d)| {
            let end = d.char_indices().map(|(i, _)| i).find(|&i| i >= 64 << 10);
            d.get(..end.unwrap_or(d.len())).unwrap_or("")
        })
        .collect();
    if warm_up {
        std::hint::black_box(cleaner.clean(&warm));
    }
    let chosen: Vec<(usize, &(&str, String))> = docs
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| only.as_deref().is_none_or(|w| name.contains(w)))
        .collect();
    if let Some(dir) = &dump {
        for (i, (_, doc)) in &chosen {
            std::fs::write(format!("{dir}/{i}.txt"), doc).expect("ZHCLEAN_BENCH_DUMP writable");
        }
    }
    // Rounds: every chosen document once per round, in order, so that a spell of load
    // on the shared machine slows one run of each document alike rather than all the
    // runs of one; each document keeps its fastest run.
    let mut secs = vec![f64::INFINITY; chosen.len()];
    for _ in 0..repeat {
        for ((_, (_, doc)), best) in chosen.iter().zip(secs.iter_mut()) {
            let (t, c0) = (Instant::now(), cpu_seconds().filter(|_| cpu));
            let out = cleaner.clean(doc);
            let took = match c0.zip(cpu_seconds()) {
                Some((a, b)) => b - a,
                None => t.elapsed().as_secs_f64(),
            };
            *best = best.min(took);
            std::hint::black_box(&out);
        }
    }
    let mut base = 0.0;
    for ((_, (name, doc)), secs) in chosen.iter().zip(&secs) {
        let rate = doc.len() as f64 / 1e6 / secs;
        if base == 0.0 {
            base = rate;
        }
        println!(
            "{name:28} {:6.1} MB  {rate:8.1} MB/s  {:5.2}x of ordinary",
            doc.len() as f64 / 1e6,
            rate / base
        );
    }
}
