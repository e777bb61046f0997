//! Table-driven tests of the mojibake pass: hand-written cases, a negative corpus that
//! must come back unchanged, and round trips of clean lines through lossless chains.

use std::borrow::Cow;

#[path = "support/damage.rs"]
mod damage;
use damage::utf8_read_as_gbk;

use zhclean::repair::mojibake::{self, MojibakeOptions};
use zhclean::repair::RepairReport;

fn repair(text: &str) -> (Cow<'_, str>, RepairReport) {
    let mut report = RepairReport::default();
    let out = mojibake::repair(text, &MojibakeOptions::default(), &mut report);
    (out, report)
}

fn lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines().filter(|l| !l.trim().is_empty())
}

const CLEAN_ZH: &str = include_str!("../testdata/mojibake/clean_zh.txt");
const CLEAN_ZH_TW: &str = include_str!("../testdata/mojibake/clean_zh_tw.txt");
const NEGATIVE: &str = include_str!("../testdata/mojibake/negative.txt");
const CASES: &str = include_str!("../testdata/mojibake/cases.jsonl");

#[test]
fn table_cases() {
    let mut failures = Vec::new();
    for line in lines(CASES) {
        let case: serde_json::Value = serde_json::from_str(line).expect("case is JSON");
        let name = case["name"].as_str().expect("name");
        let input = case["input"].as_str().expect("input");
        let expected = case["expected"].as_str().expect("expected");
        let (got, _) = repair(input);
        if got != expected {
            failures.push(format!("{name}: got {got:?}, expected {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn negative_corpus_is_unchanged_and_borrowed() {
    for line in lines(NEGATIVE)
        .chain(lines(CLEAN_ZH))
        .chain(lines(CLEAN_ZH_TW))
    {
        let (got, report) = repair(line);
        assert!(
            matches!(got, Cow::Borrowed(_)),
            "clean line changed: {line:?} -> {got:?} ({report:?})"
        );
        assert!(report.repairs.is_empty(), "{line:?}: {report:?}");
    }
}

#[test]
fn whole_document_of_clean_text_is_borrowed() {
    let doc = format!("{CLEAN_ZH}\n{CLEAN_ZH_TW}\n{NEGATIVE}");
    let (got, _) = repair(&doc);
    assert!(matches!(got, Cow::Borrowed(_)));
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

fn cp1252(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

fn gbk_bytes(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

fn big5_bytes(s: &str) -> Vec<u8> {
    encoding_rs::BIG5.encode(s).0.into_owned()
}

/// Every clean line, damaged by a lossless chain, must be restored exactly.
fn round_trip(corpus: &str, chain: &str, damage: impl Fn(&str) -> String) {
    let mut failures = Vec::new();
    for line in lines(corpus) {
        let damaged = damage(line);
        let (got, report) = repair(&damaged);
        if got != line {
            failures.push(format!("{chain}: {damaged:?} -> {got:?} ({report:?})"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn utf8_read_as_latin1_round_trips() {
    round_trip(CLEAN_ZH, "utf8>latin1", |s| latin1(s.as_bytes()));
    round_trip(CLEAN_ZH_TW, "utf8>latin1", |s| latin1(s.as_bytes()));
}

#[test]
fn utf8_read_as_cp1252_round_trips() {
    round_trip(CLEAN_ZH, "utf8>cp1252", |s| cp1252(s.as_bytes()));
}

#[test]
fn double_cp1252_round_trips() {
    round_trip(CLEAN_ZH, "utf8>cp1252>utf8>cp1252", |s| {
        cp1252(cp1252(s.as_bytes()).as_bytes())
    });
}

#[test]
fn gbk_read_as_latin1_and_cp1252_round_trips() {
    round_trip(CLEAN_ZH, "gbk>latin1", |s| latin1(&gbk_bytes(s)));
    round_trip(CLEAN_ZH, "gbk>cp1252", |s| cp1252(&gbk_bytes(s)));
}

#[test]
fn big5_read_as_cp1252_round_trips() {
    round_trip(CLEAN_ZH_TW, "big5>cp1252", |s| cp1252(&big5_bytes(s)));
}

/// UTF-8 read as GBK loses the last byte before ASCII punctuation or a space; that
/// byte is guessed from context, so a guess may be wrong: at most one line of 25.
#[test]
fn utf8_read_as_gbk_round_trips_nearly_always() {
    let mut bad = Vec::new();
    let all: Vec<&str> = lines(CLEAN_ZH).collect();
    for line in &all {
        let damaged = utf8_read_as_gbk(line);
        let (got, _) = repair(&damaged);
        if got != *line {
            bad.push(format!("{damaged:?} -> {got:?}"));
        }
    }
    assert!(bad.len() <= all.len() / 25, "{}", bad.join("\n"));
}

/// A page's icon (a private-use character) after a count, read as GBK, loses its last
/// byte before the ASCII text after it: the guess for it is one icon of many, but the
/// hanzi before it are repaired all the same (they were left as they were).
#[test]
fn icon_that_lost_its_last_byte_does_not_sink_the_repair_before_it() {
    for (title, tail) in [
        ("山水清音", "(2)\u{E004}(2004/10/10 17:06)"),
        ("春眠不觉", "(5)\u{E004}(2021/01/02 10:00)"),
        ("独坐幽篁", "(1)\u{E002}"),
    ] {
        let line = format!("{title}{tail}");
        let input = utf8_read_as_gbk(&line);
        assert!(input.contains("顎\u{FFFD}"), "{input}");
        let (got, _) = repair(&input);
        let rest = got.strip_prefix(title).unwrap_or_else(|| panic!("{got}"));
        // The count and what follows the icon come back as they were; the icon is a
        // private-use character.
        let (count, after) = tail
            .split_once(|c: char| !c.is_ascii())
            .unwrap_or((tail, ""));
        let rest = rest.strip_prefix(count).unwrap_or_else(|| panic!("{got}"));
        let mut icon = rest.chars();
        assert!(
            icon.next()
                .is_some_and(|c| ('\u{E000}'..='\u{F8FF}').contains(&c)),
            "{got}"
        );
        assert_eq!(icon.as_str(), after, "{got}");
    }
}

#[test]
fn report_spans_reproduce_the_output() {
    let input = format!(
        "第一行没有问题\n前缀{}后缀\nabc {} xyz",
        cp1252("配置文件".as_bytes()),
        utf8_read_as_gbk("重新加载服务")
    );
    let (got, report) = repair(&input);
    assert_eq!(
        got,
        "第一行没有问题\n前缀配置文件后缀\nabc 重新加载服务 xyz"
    );
    assert_eq!(report.repairs.len(), 2);
    // Apply the repairs (code-point spans into the input) and compare.
    let chars: Vec<char> = input.chars().collect();
    let mut rebuilt = String::new();
    let mut last = 0;
    for r in &report.repairs {
        let before: String = chars[r.start..r.end].iter().collect();
        assert_eq!(before, r.before);
        rebuilt.extend(&chars[last..r.start]);
        rebuilt.push_str(&r.after);
        last = r.end;
        assert!(r.confidence > 0.0 && r.confidence <= 1.0);
    }
    rebuilt.extend(&chars[last..]);
    assert_eq!(rebuilt, got);
    assert_eq!(report.repairs[0].kind, "utf8>cp1252");
    assert_eq!(report.repairs[1].kind, "utf8>gbk");
}

#[test]
fn unrecoverable_damage_is_counted_and_optionally_dropped() {
    let input = "文件名锟斤拷锟斤拷无法显示，烫烫烫烫内存未初始化";
    let (kept, report) = repair(input);
    assert_eq!(kept, input);
    assert_eq!(report.unrecoverable, 2);
    let mut report = RepairReport::default();
    let opts = MojibakeOptions::new().drop_unrecoverable(true);
    let dropped = mojibake::repair(input, &opts, &mut report);
    assert_eq!(dropped, "文件名无法显示，内存未初始化");
    assert_eq!(report.unrecoverable, 2);
}

#[test]
fn replacement_runs_are_unrecoverable() {
    let input = "标题\u{FFFD}\u{FFFD}\u{FFFD}正文";
    let mut report = RepairReport::default();
    let opts = MojibakeOptions::new().drop_unrecoverable(true);
    assert_eq!(mojibake::repair(input, &opts, &mut report), "标题正文");
    assert_eq!(report.unrecoverable, 1);
}

/// A small deterministic generator of hostile text: random code points from the
/// ranges the repairer looks at, with newlines and lone U+FFFD.
#[test]
fn arbitrary_text_never_panics() {
    let ranges: [(u32, u32); 9] = [
        (0x20, 0x7E),
        (0x80, 0xFF),
        (0x2010, 0x203A),
        (0x3000, 0x30FF),
        (0x4E00, 0x9FFF),
        (0xE000, 0xE0FF),
        (0xFF00, 0xFFFD),
        (0x1F600, 0x1F64F),
        (0x0A, 0x0A),
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..400 {
        let len = (next() % 120) as usize;
        let mut s = String::new();
        for _ in 0..len {
            let (lo, hi) = ranges[(next() % ranges.len() as u64) as usize];
            let cp = lo + (next() % (hi - lo + 1) as u64) as u32;
            if let Some(c) = char::from_u32(cp) {
                s.push(c);
            }
        }
        let (out, report) = repair(&s);
        let n = s.chars().count();
        for r in &report.repairs {
            assert!(r.start < r.end && r.end <= n, "{s:?}: {r:?}");
        }
        if report.repairs.is_empty() && report.unrecoverable == 0 {
            assert_eq!(out, s);
        }
    }
}
