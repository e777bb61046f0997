//! The negative corpus: clean lines of many scripts (written for this test) must come
//! back byte-identical and borrowed, one line at a time and as one document.

use std::borrow::Cow;

use zhclean::repair::artifacts::{self, ArtifactOptions};
use zhclean::repair::RepairReport;

const NEGATIVE: &str = include_str!("../testdata/artifacts/negative.txt");

fn assert_unchanged(text: &str) {
    let mut report = RepairReport::default();
    let out = artifacts::repair(text, &ArtifactOptions::default(), &mut report);
    assert_eq!(out, text);
    assert!(matches!(out, Cow::Borrowed(_)), "not borrowed: {text:?}");
    assert!(report.is_empty(), "{text:?}: {report:?}");
}

#[test]
fn clean_lines_come_back_byte_identical() {
    for line in NEGATIVE.lines() {
        assert_unchanged(line);
    }
}

#[test]
fn clean_document_comes_back_byte_identical() {
    assert_unchanged(NEGATIVE);
}

#[test]
fn clean_lines_in_a_farm_document_stay() {
    // Even in a document that triggers gloss removal, clean lines keep every byte.
    let farm = "專業(yè)從事產(chǎn)品研發(fā)。\n";
    let doc = format!("{farm}{NEGATIVE}");
    let mut report = RepairReport::default();
    let out = artifacts::repair(&doc, &ArtifactOptions::default(), &mut report);
    let want = format!("專業從事產品研發。\n{NEGATIVE}");
    // `?`-only lines are lost spaces once the document shows GBK loss: they become
    // blank lines (collapsed).
    let want = want.replace("\n?\n??\n???\n", "\n\n");
    assert_eq!(out, want);
}
