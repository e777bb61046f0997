//! Randomised checks of the pass's invariants on text built from artifact-prone pieces:
//! the prefilter never skips a document the full pass would change, nothing panics,
//! every repair's span matches the input, and a second run changes nothing.
//! `ARTIFACTS_FUZZ_ITERS` and `ARTIFACTS_FUZZ_SEED` make longer local runs.

use std::borrow::Cow;

use super::{full_pass, lost, repair, scan, ArtifactOptions};
use crate::repair::RepairReport;

const PIECES: &[&str] = &[
    "業",
    "(yè)",
    "發",
    "(fā)",
    "產",
    "(chǎn)",
    "向",
    "?qū)W",
    "\u{FFFD}(qū)W",
    "(",
    ")",
    "yè",
    "qū",
    "?",
    "??",
    " ? ",
    "]? [",
    "]",
    "[",
    "2024-07-26",
    "來源",
    "吗",
    "你好",
    "abc",
    "&",
    "&amp;",
    "&nbsp;",
    "&#20320;",
    "&#x4f60;",
    "&#0;",
    ";",
    "#",
    "\u{200B}",
    "\u{200D}",
    "\u{200C}",
    "\u{2060}",
    "\u{FEFF}",
    "👨",
    "\u{FE0F}",
    "\u{1}",
    "\u{7F}",
    "\u{85}",
    "\t",
    " ",
    "\u{A0}",
    "\u{3000}",
    "\n",
    "\n",
    "\r",
    "\r\n",
    "，",
    "。",
    "、",
    "“",
    "！",
    ",",
    "\"",
    "ＡＢ",
    "é",
    "ü",
    "\u{301}",
    "क",
    "می",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn random_doc(rng: &mut Rng) -> String {
    let n = (rng.next() % 40) as usize;
    (0..n)
        .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
        .collect()
}

#[test]
fn invariants_hold_on_random_documents() {
    // ARTIFACTS_FUZZ_ITERS raises the count for a longer local run.
    let iters = std::env::var("ARTIFACTS_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed = std::env::var("ARTIFACTS_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed);
    let o = ArtifactOptions::default();
    for _ in 0..iters {
        let doc = random_doc(&mut rng);
        let mut report = RepairReport::default();
        let (full, _) = full_pass(&doc, &o, &mut report);
        if !scan::needs_work(doc.as_bytes()) {
            assert_eq!(full, doc, "prefilter skipped a change");
            assert!(report.is_empty(), "{doc:?}: {report:?}");
        }
        for line in doc.split('\n') {
            assert_eq!(
                lost::is_crumb_line(line),
                lost::is_crumb_line_by_chars(line),
                "{line:?}"
            );
        }
        let chars: Vec<char> = doc.chars().collect();
        let mut last_end = 0;
        for r in &report.repairs {
            assert!(r.start >= last_end && r.start <= r.end, "{doc:?}: {r:?}");
            let span: String = chars[r.start..r.end].iter().collect();
            assert_eq!(span, r.before, "{doc:?}");
            last_end = r.end;
        }
        let mut report2 = RepairReport::default();
        let quick = repair(&doc, &o, &mut report2);
        assert_eq!(quick, full);
        assert_eq!(report2, report);
        if !doc.contains('&') {
            let mut again = RepairReport::default();
            let twice = repair(&quick, &o, &mut again);
            assert!(
                matches!(twice, Cow::Borrowed(_)),
                "not idempotent: {doc:?} → {quick:?} → {twice:?}"
            );
        }
    }
}

/// Found by `benches/artifacts.rs` ("' ? ' separators on one line" ran at 0 MB/s): the
/// evidence scan re-read the whole line for every `?` in it, quadratic in the line's
/// length. This input takes a few milliseconds when linear and minutes when not; the
/// assertions check that every separator was still found.
#[test]
fn many_separators_on_one_line_stay_linear() {
    let n = 40_000;
    let doc = "首頁 ? ".repeat(n);
    let mut report = RepairReport::default();
    let out = repair(&doc, &ArtifactOptions::default(), &mut report);
    assert_eq!(
        out.matches('»').count(),
        n - 1,
        "the last `?` ends the line"
    );
    assert!(!out.contains('?') || out.ends_with('?'));
}

/// Fuzzer find (target `clean`): `剋剋?剋剋` kept its `?` while `克克?克克`, what convert
/// makes of it, had the `?` read as a lost `·`; the classes now include the forms that
/// convert maps into them.
#[test]
fn transliteration_and_particles_survive_conversion() {
    for c in ['剋', '漢', '蘇', '克', '汉', '苏'] {
        assert!(lost::is_transliteration(Some(c)), "{c}");
    }
    for c in ['麽', '嗎', '吗'] {
        assert!(super::chars::is_question_particle(c), "{c}");
    }
    assert!(!lost::is_transliteration(Some('的')));
    let o = ArtifactOptions::default();
    let a = repair("剋剋?剋剋", &o, &mut RepairReport::default()).into_owned();
    let b = repair("克克?克克", &o, &mut RepairReport::default()).into_owned();
    assert_eq!(a.replace('剋', "克"), b);
}
