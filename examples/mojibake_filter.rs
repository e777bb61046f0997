//! Dev harness: a stand-in for `zhclean --format jsonl --field text` that runs only the
//! mojibake pass, so `zheval.py mojibake --bin` can score it before the CLI exists.
//! Flags are ignored except `--drop-unrecoverable`.

use std::io::{BufRead, Write};

use zhclean::repair::mojibake::{self, MojibakeOptions};
use zhclean::repair::RepairReport;

fn main() {
    let drop = std::env::args().any(|a| a == "--drop-unrecoverable");
    let explain = std::env::args().any(|a| a == "--explain");
    let opts = MojibakeOptions::new().drop_unrecoverable(drop);
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = line.expect("read stdin");
        let mut v: serde_json::Value = serde_json::from_str(&line).expect("JSONL record");
        if let Some(text) = v.get("text").and_then(|t| t.as_str()).map(str::to_owned) {
            let mut report = RepairReport::default();
            let fixed = mojibake::repair(&text, &opts, &mut report);
            v["text"] = serde_json::Value::String(fixed.into_owned());
            if explain {
                eprintln!("{}", serde_json::to_string(&report).expect("report"));
            }
        }
        writeln!(out, "{}", v).expect("write stdout");
    }
}
