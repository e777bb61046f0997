//! Clauses of article text written for this project (the stage corpora in `testdata/`),
//! cut after sentence punctuation so that they recombine freely. Shared by
//! `tests/properties.rs` and `benches/cost_bounds.rs` (included with `#[path]`), which
//! each use part of it.
#![allow(dead_code)]

/// Our clean simplified corpora.
pub const SIMPLIFIED: &[&str] = &[
    include_str!("../../testdata/convert/simplified.txt"),
    include_str!("../../testdata/mojibake/clean_zh.txt"),
];

/// Our clean traditional corpus.
pub const TRADITIONAL: &[&str] = &[include_str!("../../testdata/mojibake/clean_zh_tw.txt")];

/// The clauses of `corpora` (comment and blank lines skipped), each ending after one of
/// `，。、；：？！` or at the end of its line.
pub fn clauses(corpora: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for line in corpora.iter().flat_map(|c| c.lines()) {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cur = String::new();
        for c in line.chars() {
            cur.push(c);
            if matches!(c, '，' | '。' | '、' | '；' | '：' | '？' | '！') {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}
