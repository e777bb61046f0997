//! Dev harness: scores the strip stage on line-labelled gold JSONL files, exactly as
//! `zheval.py strip` does (character-weighted P/R/F1 of kept content, lines aligned as an
//! in-order subsequence, whitespace-insensitive; NFKC is approximated by folding
//! fullwidth ASCII). The gold files are read at run time and never copied.
//!
//! `cargo run --release --example strip_eval -- [--show N] GOLD.jsonl...`

use std::collections::BTreeMap;

use zhclean::strip::{StripReport, Stripper};

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut show = 0usize;
    let mut doc = String::new();
    loop {
        match args.first().map(|s| s.as_str()) {
            Some("--show") => {
                show = args[1].parse().unwrap();
                args.drain(..2);
            }
            Some("--page") => {
                // A marked synthetic page of testdata/strip: print each line's verdict.
                let raw = std::fs::read_to_string(&args[1]).unwrap();
                let body: Vec<&str> = raw
                    .lines()
                    .map(|l| l.get(2..).or(l.get(1..)).unwrap_or(""))
                    .collect();
                let text = body.join("\n") + "\n";
                let mut report = StripReport::default();
                Stripper::new().strip(&text, &mut report);
                let reasons: BTreeMap<usize, String> = report
                    .dropped
                    .iter()
                    .map(|d| (d.line, d.reason.clone()))
                    .collect();
                for (i, l) in raw.lines().enumerate() {
                    let got = if reasons.contains_key(&i) { "-" } else { "+" };
                    let want = l.get(..1).unwrap_or("");
                    let bad = if body[i].trim().is_empty() || want == "~" || want == got {
                        "  "
                    } else {
                        "!!"
                    };
                    println!(
                        "{bad}{want}{got} {:18} {}",
                        reasons.get(&i).map_or("", |s| s),
                        body[i]
                    );
                }
                return;
            }
            Some("--doc") => {
                doc = args[1].clone();
                args.drain(..2);
            }
            _ => break,
        }
    }
    let stripper = Stripper::new();
    let mut totals: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    let mut errs: Vec<(u64, String)> = Vec::new();
    // Error analysis: false drops grouped by reason, false keeps grouped by document.
    let mut fn_by_reason: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut fp_by_doc: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut doc_rows: Vec<(String, u64, u64, u64)> = Vec::new();
    for path in &args {
        let name = std::path::Path::new(path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let data = std::fs::read_to_string(path).unwrap();
        for rec in data.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(rec).unwrap();
            let lines: Vec<String> = v["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            let labels: Vec<i64> = v["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_i64().unwrap())
                .collect();
            let text = lines.join("\n");
            let mut report = StripReport::default();
            let out = stripper.strip(&text, &mut report);
            let outs: Vec<String> = out
                .split('\n')
                .map(norm)
                .filter(|s| !s.is_empty())
                .collect();
            let mut j = 0;
            let mut keep = vec![false; lines.len()];
            for (i, l) in lines.iter().enumerate() {
                let n = norm(l);
                if n.is_empty() {
                    continue;
                }
                if j < outs.len() && outs[j] == n {
                    keep[i] = true;
                    j += 1;
                }
            }
            let reasons: BTreeMap<usize, String> = report
                .dropped
                .iter()
                .map(|d| (d.line, d.reason.clone()))
                .collect();
            let (mut tp, mut kept, mut content) = (0u64, 0u64, 0u64);
            for (i, (l, &lab)) in lines.iter().zip(&labels).enumerate() {
                if lab < 0 {
                    continue;
                }
                let w = norm(l).chars().count() as u64;
                let k = keep[i];
                if lab == 1 && k {
                    tp += w;
                }
                if k {
                    kept += w;
                }
                if lab == 1 {
                    content += w;
                }
                if w > 0 && lab == 1 && !k {
                    let why = reasons
                        .get(&i)
                        .cloned()
                        .unwrap_or_else(|| "unaligned".into());
                    let why = why.split(':').next().unwrap_or("").to_string();
                    let e = fn_by_reason.entry(why).or_insert((0, 0));
                    e.0 += w;
                    e.1 += 1;
                }
                if w > 0 && lab == 0 && k {
                    let id = v["id"].as_str().unwrap_or("").to_string();
                    let e = fp_by_doc.entry(id).or_insert((0, 0));
                    e.0 += w;
                    e.1 += 1;
                }
                if show > 0 && w > 0 && (lab == 1) != k {
                    let id = v["id"].as_str().unwrap_or("");
                    let tag = if k { "FP" } else { "FN" };
                    let why = reasons.get(&i).cloned().unwrap_or_default();
                    let short: String = l.chars().take(70).collect();
                    errs.push((
                        w,
                        format!(
                            "{tag} {w:5} {} [{why}] {short}",
                            &id[id.len().saturating_sub(6)..]
                        ),
                    ));
                }
            }
            if !doc.is_empty() && (doc == "*" || v["id"].as_str().unwrap_or("").ends_with(&doc)) {
                println!("### {}", v["id"].as_str().unwrap_or(""));
                for (i, l) in lines.iter().enumerate() {
                    if l.trim().is_empty() {
                        continue;
                    }
                    let why = reasons.get(&i).cloned().unwrap_or_default();
                    let short: String = l.chars().take(60).collect();
                    let mark = if keep[i] { "KEEP" } else { "drop" };
                    let bad = if keep[i] != (labels[i] == 1) {
                        "!!"
                    } else {
                        "  "
                    };
                    let w = norm(l).chars().count();
                    println!("{bad}{} {mark} {w:4} {why:22} {short}", labels[i]);
                }
            }
            doc_rows.push((
                v["id"].as_str().unwrap_or("").to_string(),
                tp,
                kept,
                content,
            ));
            for key in [name.clone(), "ALL".to_string()] {
                let t = totals.entry(key).or_insert([0; 3]);
                t[0] += tp;
                t[1] += kept;
                t[2] += content;
            }
        }
    }
    for (k, t) in &totals {
        let p = t[0] as f64 / t[1].max(1) as f64;
        let r = t[0] as f64 / t[2].max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!("{k:16} P={p:.4} R={r:.4} F1={f:.4}");
    }
    if std::env::var_os("STRIP_EVAL_GROUPS").is_some() {
        let mut v: Vec<_> = fn_by_reason.into_iter().collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.1 .0));
        println!("-- false drops by reason (chars, lines)");
        for (k, (w, n)) in v {
            println!("{w:7} {n:5} {k}");
        }
        let mut v: Vec<_> = fp_by_doc.into_iter().collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.1 .0));
        println!("-- false keeps by document (chars, lines)");
        for (k, (w, n)) in v.iter().take(15) {
            println!("{w:7} {n:5} {k}");
        }
        println!("-- documents by lost F1 weight (id, content, missed, extra)");
        doc_rows.sort_by_key(|d| std::cmp::Reverse((d.3 - d.1) + (d.2 - d.1)));
        for (id, tp, kept, content) in doc_rows.iter().take(20) {
            println!("{id:60} {content:6} {:6} {:6}", content - tp, kept - tp);
        }
    }
    errs.sort_by_key(|b| std::cmp::Reverse(b.0));
    for (_, e) in errs.iter().take(show) {
        println!("{e}");
    }
}
