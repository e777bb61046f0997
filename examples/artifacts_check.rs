//! Dev tool: runs the artifact pass alone over text files (default: the shared samples,
//! read at run time, never copied) and checks that the output differs from the input
//! only by the reported repairs and whitespace.
//!
//! `cargo run --release --example artifacts_check [FILE...]`

use std::collections::BTreeMap;
use std::path::PathBuf;

use zhclean::repair::artifacts::{self, ArtifactOptions};
use zhclean::repair::RepairReport;

fn sample_files() -> Vec<PathBuf> {
    for dir in ["../shared/samples", "/work/shared/samples"] {
        if let Ok(rd) = std::fs::read_dir(dir) {
            let mut v: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            v.sort();
            return v;
        }
    }
    Vec::new()
}

/// Applies the report's repairs (code-point spans into `input`) to `input`.
fn apply(input: &str, report: &RepairReport) -> String {
    let chars: Vec<char> = input.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for r in &report.repairs {
        out.extend(&chars[at..r.start]);
        out.push_str(&r.after);
        at = r.end;
    }
    out.extend(&chars[at..]);
    out
}

fn no_ws(s: &str) -> String {
    s.chars()
        .filter(|&c| !(c.is_whitespace() || c == '\u{3000}'))
        .collect()
}

fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let files = if args.is_empty() {
        sample_files()
    } else {
        args
    };
    let mut failed = false;
    for f in files {
        let input = std::fs::read_to_string(&f).expect("read");
        let mut report = RepairReport::default();
        let out = artifacts::repair(&input, &ArtifactOptions::default(), &mut report);
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &report.repairs {
            *kinds.entry(r.kind.as_str()).or_default() += 1;
        }
        let consistent = no_ws(&apply(&input, &report)) == no_ws(&out);
        let glosses_left = out.matches(")").count();
        let questions_left = out.matches('?').count();
        println!(
            "{}: {:?} {:?} consistent={} ')' left={} '?' left={} bytes {}→{}",
            f.display(),
            kinds,
            report.normalised,
            consistent,
            glosses_left,
            questions_left,
            input.len(),
            out.len()
        );
        for r in &report.repairs {
            if r.kind != "pinyin-gloss" {
                println!("   {} {:?} → {:?}", r.kind, r.before, r.after);
            }
        }
        failed |= !consistent;
    }
    if failed {
        std::process::exit(1);
    }
}
