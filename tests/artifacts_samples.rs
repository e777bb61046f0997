//! Runs the artifact pass on the shared sample pages when `../shared` (or
//! `/work/shared`) is present, reading them at test time; skipped otherwise. Nothing from
//! the samples is copied here.

use std::path::PathBuf;

use zhclean::repair::artifacts::{self, ArtifactOptions};
use zhclean::repair::RepairReport;

fn samples_dir() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("../shared/samples"),
        PathBuf::from("/work/shared/samples"),
    ]
    .into_iter()
    .find(|d| d.is_dir())
}

fn sample(prefix: &str) -> Option<String> {
    let dir = samples_dir()?;
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        })
        .collect();
    names.sort();
    std::fs::read_to_string(names.first()?).ok()
}

fn is_line_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// The whitespace model: LF line breaks, lines trimmed, blank-line runs collapsed.
fn whitespace_model(text: &str) -> String {
    let mut out = String::new();
    let mut prev_blank = false;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let ends_with_nl = text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(&text);
    for line in body.split('\n') {
        let t = line.trim_matches(is_line_space);
        if t.is_empty() && prev_blank {
            continue;
        }
        prev_blank = t.is_empty();
        out.push_str(t);
        out.push('\n');
    }
    if !ends_with_nl {
        out.pop();
    }
    out
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

/// `Han(pinyin)` occurrences: a Han character, `(`, 1–8 lower-case letters with
/// optional tone marks, `)`.
fn gloss_like(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut n = 0;
    for i in 1..chars.len() {
        if chars[i] != '(' || !('\u{4E00}'..='\u{9FFF}').contains(&chars[i - 1]) {
            continue;
        }
        let body: String = chars[i + 1..]
            .iter()
            .take_while(|&&c| {
                c != ')' && (c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c))
            })
            .collect();
        let len = body.chars().count();
        if (1..=8).contains(&len) && chars.get(i + 1 + len) == Some(&')') && !body.is_ascii() {
            n += 1;
        }
    }
    n
}

#[test]
fn sample_004_loses_every_gloss_and_lost_question_mark_and_nothing_else() {
    let Some(input) = sample("004_") else {
        eprintln!("shared samples not found: skipped");
        return;
    };
    let mut report = RepairReport::default();
    let out = artifacts::repair(&input, &ArtifactOptions::default(), &mut report);
    assert!(gloss_like(&input) >= 300, "the sample is the gloss sample");
    assert_eq!(gloss_like(&out), 0, "glosses left");
    assert!(!out.contains("?qū)"), "misaligned gloss left");
    assert!(!out.contains('?'), "lost `?` left");
    for r in &report.repairs {
        assert!(
            matches!(
                r.kind.as_ref(),
                "pinyin-gloss" | "pinyin-gloss-misaligned" | "lost-char"
            ),
            "{r:?}"
        );
    }
    let misaligned: Vec<_> = report
        .repairs
        .iter()
        .filter(|r| r.kind == "pinyin-gloss-misaligned")
        .collect();
    assert_eq!(misaligned.len(), 1);
    assert_eq!(misaligned[0].after, "學");
    // Apart from the reported repairs, only whitespace changed.
    assert_eq!(whitespace_model(&apply(&input, &report)), out);
}

#[test]
fn samples_000_to_003_change_only_whitespace() {
    for prefix in ["000_", "001_", "002_", "003_"] {
        let Some(input) = sample(prefix) else {
            eprintln!("shared samples not found: skipped");
            return;
        };
        let mut report = RepairReport::default();
        let out = artifacts::repair(&input, &ArtifactOptions::default(), &mut report);
        assert!(report.repairs.is_empty(), "{prefix}: {:?}", report.repairs);
        assert_eq!(out, whitespace_model(&input), "{prefix}");
    }
}
