//! Times the repair stage with and without the artifact pass on one text file, many
//! rounds; run under `valgrind --tool=callgrind` for load-independent instruction counts.
//! usage: repair_cost FILE [mojibake-only|both] [ROUNDS]
use zhclean::repair::{RepairOptions, RepairReport, Repairer};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: repair_cost FILE [mojibake-only|both] [ROUNDS]");
    let mode = args.next().unwrap_or_else(|| "both".into());
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let mut o = RepairOptions::new();
    if mode == "mojibake-only" {
        o.artifacts = None;
    }
    let r = Repairer::with_options(o);
    let t = std::time::Instant::now();
    let mut changed = 0;
    for _ in 0..rounds {
        for doc in text.split("\n\n") {
            let mut rep = RepairReport::default();
            changed += !matches!(r.repair(doc, &mut rep), std::borrow::Cow::Borrowed(_)) as usize;
        }
    }
    let mb = (text.len() * rounds) as f64 / 1e6;
    println!(
        "{mode}: {:.1} MB/s, {changed} documents changed",
        mb / t.elapsed().as_secs_f64()
    );
}
