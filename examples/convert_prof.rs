//! Dev tool: converts a file N times with one config (for profiling).
//! Usage: `convert_prof CONFIG FILE [N] [RECORD_BYTES]` (with RECORD_BYTES, the text is
//! converted as documents of about that many bytes, as JSONL records are).
//!
//! Prints MB/s by wall clock and by the thread's on-CPU time (Linux
//! `/proc/thread-self/schedstat`), which drifts less on a shared machine.
use zhclean::convert::{ConvertOptions, ConvertReport, Converter};

fn cpu_ns() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[2]).unwrap();
    let n: usize = a.get(3).map_or(5, |s| s.parse().unwrap());
    let size: usize = a.get(4).map_or(usize::MAX, |s| s.parse().unwrap());
    let mut docs = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = start.saturating_add(size).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        docs.push(&text[start..end]);
        start = end;
    }
    let c = Converter::with_options(ConvertOptions::config(&a[1]).skip_japanese(false)).unwrap();
    let t = std::time::Instant::now();
    let c0 = cpu_ns();
    let mut r = ConvertReport::default();
    for _ in 0..n {
        for d in &docs {
            std::hint::black_box(c.convert(d, &mut r));
        }
    }
    let s = t.elapsed().as_secs_f64();
    let mb = (text.len() * n) as f64 / 1e6;
    match (c0, cpu_ns()) {
        (Some(a), Some(b)) => println!(
            "{:.1} MB/s wall, {:.1} MB/s cpu",
            mb / s,
            mb / ((b - a) / 1e9)
        ),
        _ => println!("{:.1} MB/s", mb / s),
    }
}
