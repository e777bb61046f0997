//! Lost-byte guesses decided by context: punctuation rules, word ends and Taiwan terms
//! (`src/repair/mojibake/punct.rs`, `ends.rs`, `guess_context.rs`). Each case is a line
//! of ours damaged as UTF-8 read by a WHATWG GBK decoder, which loses a byte of the
//! character the case is named after; the repair must give the line back exactly.

use zhclean::repair::mojibake::{self, MojibakeOptions};
use zhclean::repair::RepairReport;

#[path = "support/damage.rs"]
mod damage;
use damage::utf8_read_as_gbk;

const CASES: &str = include_str!("../testdata/mojibake/lost_byte_context.tsv");

const TWO_LAYER_CASES: &str = include_str!("../testdata/mojibake/two_layer_context.tsv");

/// The cases of a table: (name, line) per line that is neither blank nor a comment.
fn table(tsv: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once('\t').expect("name<TAB>line"))
}

/// Repairs every case of `tsv` damaged by `damage` (which returns the damaged line and
/// whether a decoder lost a byte on the way, as every case must) and asserts that all
/// come back exactly, and that there are at least `min` cases.
fn assert_lost_bytes_completed(
    tsv: &'static str,
    damage: impl Fn(&str) -> (String, bool),
    min: usize,
) {
    let mut failures = Vec::new();
    let mut n = 0;
    for (name, line) in table(tsv) {
        let (input, lost) = damage(line);
        // The case exercises a guess: a decoder lost a byte.
        assert!(lost, "{name}: no byte lost in {input:?}");
        let mut report = RepairReport::default();
        let got = mojibake::repair(&input, &MojibakeOptions::default(), &mut report);
        if got != line {
            failures.push(format!("{name}: got {got:?}, expected {line:?}"));
        }
        n += 1;
    }
    assert!(n >= min, "only {n} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Asserts that every case of `tsv`, clean, comes back unchanged and unreported.
fn assert_unchanged_when_clean(tsv: &'static str) {
    for (name, line) in table(tsv) {
        let mut report = RepairReport::default();
        let got = mojibake::repair(line, &MojibakeOptions::default(), &mut report);
        assert_eq!(got, line, "{name}: clean line changed");
        assert!(report.repairs.is_empty(), "{name}: {report:?}");
    }
}

#[test]
fn lost_bytes_are_completed_from_their_context() {
    // UTF-8 read by a WHATWG GBK decoder (encoding_rs's GBK decoder is WHATWG's).
    let damage = |line: &str| {
        let input = utf8_read_as_gbk(line);
        let lost = input.contains('\u{FFFD}');
        (input, lost)
    };
    assert_lost_bytes_completed(CASES, damage, 13);
}

#[test]
fn context_cases_are_unchanged_when_clean() {
    assert_unchanged_when_clean(CASES);
}

/// `head`, `damaged` as UTF-8 read as GBK, then `tail`, repaired: (the damaged part as
/// read, the repaired line, the line expected).
fn repair_span(head: &str, damaged: &str, tail: &str) -> (String, String, String) {
    let bad = utf8_read_as_gbk(damaged);
    let input = format!("{head}{bad}{tail}");
    let mut report = RepairReport::default();
    let got = mojibake::repair(&input, &MojibakeOptions::default(), &mut report).into_owned();
    (bad, got, format!("{head}{damaged}{tail}"))
}

/// A damaged span right before clean text: (name, clean text before, damaged part,
/// clean text after). The clean text after starts with a hanzi whose GBK bytes are
/// also a two-byte UTF-8 letter (`页` D2 B3 is `ҳ`).
const SPAN_EDGES: [(&str, &str, &str, &str); 5] = [
    (
        "span_edge_keeps_ye_not_cyrillic",
        "使用前请",
        "阅读本参考手册",
        "页。",
    ),
    (
        "span_edge_keeps_zhi_not_hebrew",
        "旧的接口",
        "仍然被保留并",
        "支持，但不再推荐。",
    ),
    (
        "span_edge_keeps_mo_not_latin_extended",
        "请在",
        "选项中选择",
        "模式。",
    ),
    // Greek symbols and accented letters are no letters Chinese text uses alone
    // (`图` CD BC is `ͼ`, `希` CF A3 is `ϣ`), though the plain Greek letters are.
    (
        "span_edge_keeps_tu_not_greek_symbol",
        "歌曲：",
        "江南水乡",
        " (图)",
    ),
    (
        "span_edge_keeps_xi_not_coptic",
        "我们不",
        "建议这样做，也不",
        "希望这样做。",
    ),
];

#[test]
fn span_edge_keeps_clean_hanzi_that_reads_as_a_letter() {
    for (name, head, damaged, tail) in SPAN_EDGES {
        let (_, got, expected) = repair_span(head, damaged, tail);
        assert_eq!(got, expected, "{name}");
    }
}

/// A damaged span whose last character lost its last byte, right before clean hanzi:
/// (name, clean text before, damaged part, clean text after). The damaged part was
/// decoded apart from the clean text, so the lost byte is a GBK lead that the next
/// byte would have paired with; the next hanzi's GBK lead byte allows more than eight
/// other leads, which once dropped the right completion from the candidates.
const LOST_BEFORE_CLEAN_HANZI: [(&str, &str, &str, &str); 3] = [
    (
        "lost_byte_before_clean_na_keeps_qianmian",
        "请删除",
        "表格的前面",
        "那几行。",
    ),
    (
        "lost_byte_before_clean_shu_keeps_chuangkou",
        "打开",
        "命令行窗口",
        "输入以下内容。",
    ),
    (
        "lost_byte_before_clean_li_keeps_chuangkou",
        "请在",
        "浏览器窗口",
        "里打开这个地址。",
    ),
];

#[test]
fn lost_byte_at_a_span_end_before_clean_hanzi_is_completed() {
    for (name, head, damaged, tail) in LOST_BEFORE_CLEAN_HANZI {
        let (bad, got, expected) = repair_span(head, damaged, tail);
        assert!(bad.ends_with('\u{FFFD}'), "{name}: no byte lost in {bad:?}");
        assert_eq!(got, expected, "{name}");
    }
}

/// A damaged span whose last character, a closing bracket, lost its last byte before
/// ASCII text, where the bracket's opener is in the clean text before the span: (name,
/// clean text before, damaged part, clean text after). The opener's bytes do not
/// decode as UTF-8, and bracket pairing counted only decoded characters: `。` (cheaper,
/// same first two bytes) won. (An opener whose bytes decode into one character with the
/// bytes beside it, `告【` read as UTF-8 is `桾`, is still not counted.)
const CLOSER_AFTER_CLEAN_OPENER: [(&str, &str, &str, &str); 5] = [
    (
        "closer_pairs_lenticular_opener_in_clean_text",
        "论坛【站务",
        "公告区】",
        "10-02 08:15",
    ),
    (
        "closer_pairs_book_title_opener_in_clean_text",
        "推荐阅读《",
        "数据结构与算法》",
        " 第二版",
    ),
    (
        "closer_pairs_corner_opener_in_clean_text",
        "他说「",
        "明天再来」",
        "then left.",
    ),
    // Hangul, which GBK cannot encode, ends the run of text the span is searched in:
    // the opener is before that run.
    (
        "closer_pairs_opener_before_hangul",
        "乐队（韩文：밴드，",
        "中文名是晨光乐队）",
        "2019",
    ),
    (
        "closer_pairs_book_title_opener_before_hangul",
        "专辑《빛",
        "与影之歌》",
        "2021",
    ),
];

#[test]
fn closer_at_a_span_end_pairs_an_opener_in_clean_text() {
    let mut failures = Vec::new();
    for (name, head, damaged, tail) in CLOSER_AFTER_CLEAN_OPENER {
        let (bad, got, expected) = repair_span(head, damaged, tail);
        assert!(bad.ends_with('\u{FFFD}'), "{name}: no byte lost in {bad:?}");
        if got != expected {
            failures.push(format!(
                "{name}: {bad:?} gave {got:?}, expected {expected:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Short damaged spans of ours (clean text before, damaged part, clean text after)
/// whose UTF-8 read as GBK holds one kana: a character ending in byte A4 or A5 before
/// one starting E4-E9 reads as GBK's hiragana or katakana rows (`查看` → `鏌ョ湅`).
/// Japanese has runs of kana; a lone one inside a span is mojibake's.
const LONE_KANA_SPANS: [(&str, &str, &str); 4] = [
    ("Run `zhclean --help` and ", "查看", " the options."),
    ("For details, ", "查看", " README."),
    ("options: ", "可以查看", " --list"),
    ("2024: ", "这个月的报表", " (PDF)"),
];

#[test]
fn utf8_read_as_gbk_span_with_a_lone_kana_is_repaired() {
    let kana = |c: char| ('\u{3041}'..='\u{30FF}').contains(&c);
    let mut failures = Vec::new();
    for (head, damaged, tail) in LONE_KANA_SPANS {
        let (bad, got, expected) = repair_span(head, damaged, tail);
        assert_eq!(bad.chars().filter(|&c| kana(c)).count(), 1, "{bad:?}");
        if got != expected {
            failures.push(format!(
                "{head}{bad}{tail:?} gave {got:?}, expected {expected:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cyrillic_words_are_still_repaired() {
    // A run of letters is a word, not a span edge: UTF-8 Russian read as GBK.
    let line = "俄语名称为（Русский язык）。";
    let input = utf8_read_as_gbk(line);
    let mut report = RepairReport::default();
    let got = mojibake::repair(&input, &MojibakeOptions::default(), &mut report);
    assert_eq!(got, line);
}

#[test]
fn two_layer_repair_closes_the_open_bracket() {
    // UTF-8 read as GBK twice; the outer decoder lost a byte of the intermediate
    // character whose inner reading ends in an ASCII byte: `]` closes the `[` (the
    // other readings give `@`, `A`, ...).
    let line = "[参考手册最新更新]";
    let input = utf8_read_as_gbk(&utf8_read_as_gbk(line));
    assert!(input.contains('\u{FFFD}'));
    let mut report = RepairReport::default();
    let got = mojibake::repair(&input, &MojibakeOptions::default(), &mut report);
    assert_eq!(got, line);
}

#[test]
fn two_layer_lost_bytes_are_completed_from_their_context() {
    // UTF-8 read as GBK twice; the inner decoder's U+FFFD reads as `锟`, `拷`, … through
    // the outer one.
    let damage = |line: &str| {
        let once = utf8_read_as_gbk(line);
        let input = utf8_read_as_gbk(&once);
        let lost = once.contains('\u{FFFD}') || input.contains('\u{FFFD}');
        (input, lost)
    };
    assert_lost_bytes_completed(TWO_LAYER_CASES, damage, 22);
}

#[test]
fn two_layer_cases_are_unchanged_when_clean() {
    assert_unchanged_when_clean(TWO_LAYER_CASES);
}
