//! Runs the mojibake pass (`mojibake::repair`) over a text file cut into documents of 40
//! lines, as `benches/repair.rs` does, for instruction counts under
//! `valgrind --tool=callgrind` (load-independent, unlike the bench's MB/s).
//! usage: mojibake_clean_cost FILE [ROUNDS]
//!
//! Prints the number of documents the pass changed (0 on clean text).
use std::borrow::Cow;

use zhclean::repair::{mojibake, RepairReport};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: mojibake_clean_cost FILE [ROUNDS]");
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let lines: Vec<&str> = text.lines().collect();
    let docs: Vec<String> = lines.chunks(40).map(|c| c.join("\n")).collect();
    let opts = mojibake::MojibakeOptions::default();
    let mut changed = 0usize;
    for _ in 0..rounds {
        for d in &docs {
            let mut report = RepairReport::default();
            let out = mojibake::repair(d, &opts, &mut report);
            changed += matches!(out, Cow::Owned(_)) as usize;
        }
    }
    println!("{changed} of {} documents changed", docs.len() * rounds);
}
