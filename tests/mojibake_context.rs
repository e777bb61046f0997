//! Lost-byte guesses decided by context: punctuation rules, word ends and Taiwan terms
//! (`src/repair/mojibake/punct.rs`, `ends.rs`, `guess_context.rs`). Each case is a line
//! of ours damaged as UTF-8 read by a WHATWG GBK decoder, which loses a byte of the
//! character the case is named after; the repair must give the line back exactly.

use zhclean::repair::mojibake::{self, MojibakeOptions};
use zhclean::repair::RepairReport;

const CASES: &str = include_str!("../testdata/mojibake/lost_byte_context.tsv");

/// UTF-8 read by a WHATWG GBK decoder (encoding_rs's GBK decoder is WHATWG's).
fn utf8_read_as_gbk(s: &str) -> String {
    encoding_rs::GBK
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

fn cases() -> impl Iterator<Item = (&'static str, &'static str)> {
    CASES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once('\t').expect("name<TAB>line"))
}

#[test]
fn lost_bytes_are_completed_from_their_context() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (name, line) in cases() {
        let input = utf8_read_as_gbk(line);
        // The case exercises a guess: the decoder lost a byte.
        assert!(
            input.contains('\u{FFFD}'),
            "{name}: no byte lost in {input:?}"
        );
        let mut report = RepairReport::default();
        let got = mojibake::repair(&input, &MojibakeOptions::default(), &mut report);
        if got != line {
            failures.push(format!("{name}: got {got:?}, expected {line:?}"));
        }
        n += 1;
    }
    assert!(n >= 13, "only {n} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn context_cases_are_unchanged_when_clean() {
    for (name, line) in cases() {
        let mut report = RepairReport::default();
        let got = mojibake::repair(line, &MojibakeOptions::default(), &mut report);
        assert_eq!(got, line, "{name}: clean line changed");
        assert!(report.repairs.is_empty(), "{name}: {report:?}");
    }
}
