//! Property tests of the framing and decoding layers: any input, no panic, and the
//! round-trip laws the CLI relies on.

use proptest::prelude::*;
use zhclean::decode::Decoder;
use zhclean::records::jsonl::{self, FieldPath};
use zhclean::records::warc;
use zhclean::repair::{RepairReport, Repairer};
use zhclean::Cleaner;

#[path = "support/damage.rs"]
mod damage;
#[path = "support/clauses.rs"]
mod support;

fn text() -> impl Strategy<Value = String> {
    // Mixed scripts, controls, quotes and backslashes, newlines.
    proptest::string::string_regex("[a-z0-9 \"\\\\\\n\\t\\u{0}-\\u{1f}你好世界漢字。，？?()&;#ÄãºÃ€\\u{fffd}\\u{200b}\\u{1f600}]{0,60}")
        .unwrap()
}

proptest! {
    #[test]
    fn splice_then_find_gives_back_the_value(before in text(), after in text(), other in text()) {
        let line = serde_json::json!({"a": other, "text": before, "z": 1}).to_string();
        let path = FieldPath::parse("text").unwrap();
        let f = jsonl::find_field(line.as_bytes(), &path).unwrap();
        prop_assert_eq!(&f.value, &before);
        let mut out = Vec::new();
        jsonl::splice(line.as_bytes(), f.span, &after, &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        prop_assert_eq!(v["text"].as_str().unwrap(), after.as_str());
        prop_assert_eq!(v["a"].as_str().unwrap(), other.as_str());
        prop_assert_eq!(v.as_object().unwrap().keys().collect::<Vec<_>>(), ["a", "text", "z"]);
    }

    #[test]
    fn find_field_never_panics(line in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = jsonl::find_field(&line, &FieldPath::parse("text").unwrap());
        let _ = jsonl::find_field(&line, &FieldPath::parse("a.b").unwrap());
    }

    #[test]
    fn warc_reader_never_panics_and_always_ends(data in proptest::collection::vec(any::<u8>(), 0..400), prefix in any::<bool>()) {
        let mut bytes = if prefix { b"WARC/1.0\r\nContent-Length: 5\r\n\r\n".to_vec() } else { Vec::new() };
        bytes.extend(data);
        let mut r = warc::Reader::new(&bytes[..]);
        let mut n = 0;
        while let Some(_item) = r.next_item().unwrap() {
            n += 1;
            prop_assert!(n <= bytes.len() + 1, "the reader must make progress");
        }
    }

    #[test]
    fn decoding_never_panics_and_valid_utf8_is_kept(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let d = Decoder::new().decode(&data);
        if let Ok(s) = std::str::from_utf8(&data) {
            if !data.starts_with(b"\xEF\xBB\xBF") && d.report.is_none() {
                prop_assert_eq!(d.text.as_ref(), s);
            }
        }
    }

    #[test]
    fn cleaning_never_panics_and_is_idempotent(s in text()) {
        let c = Cleaner::new();
        let once = c.clean(&s).text.into_owned();
        let twice = c.clean(&once).text.into_owned();
        prop_assert_eq!(once, twice);
    }
}

/// Asserts that cleaning `input` a second time changes nothing.
fn assert_idempotent(input: &str) {
    let c = Cleaner::new();
    let once = c.clean(input).text.into_owned();
    assert_eq!(c.clean(&once).text, once);
}

/// A regression input kept in `testdata/regressions/` (valid UTF-8).
fn regression(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("regression inputs are UTF-8")
}

/// Fuzzer find (target `clean`): the artifact pass removed controls between `ù`s, and the
/// mojibake pass then saw a span it had not seen in the first run.
#[test]
fn repair_is_idempotent_after_controls_are_removed() {
    let input = String::from_utf8(b"\x36\x09\x05\x65\x33\x34\x31\x26\x76\x3b\x14\xc2\x88\x7b\xc2\x88\x7b\x34\x26\xc2\x88\x7b\x26\x76\x3b\x4a\x26\x36\x36\x09\x00\x65\x33\x34\x31\x26\x76\x3b\x14\x05\x65\x33\x34\x31\x26\x76\x3b\x14\xc2\x88\x7b\xc2\x88\x7b\x34\x26\xc2\x88\x7b\x26\x76\x3b\x4a\x26\x36\x36\x09\x00\x65\x33\x34\x31\x26\x76\x3b\x14\xc2\x88\x7b\xc2\x88\x7b\x34\x31\x02\x00\x00\x00\x00\x00\x00\x00\x76\x3b\xc2\x88\x7b\xc2\x88\x7b\x34\x31\x02\x00\x00\x00\x00\x00\x00\x00\x76\x3b\x14\xc2\x88\x7b\x26\x76\x3b\x1a".to_vec()).unwrap();
    assert_idempotent(&input);
    assert_idempotent("º\0º\0a。");
}

/// Fuzzer find (target `clean`): `\u{FFFD}È` (a lost byte and a Latin letter of Big5's
/// HKSCS rows) "repaired" by utf8>big5 into `Ĉ]`, one unit per mojibake pass and only the
/// rightmost of a run, so four units took more passes than repair makes. A span a CJK
/// decoder made without a single CJK character, repaired into text without one, is no
/// mojibake: the units stay as they are.
#[test]
fn repair_is_idempotent_on_lost_bytes_beside_hkscs_latin_letters() {
    let unit = "\u{FFFD}È";
    for n in 1..=6 {
        let input = unit.repeat(n);
        assert_idempotent(&input);
        let r = Repairer::new();
        let mut report = RepairReport::default();
        assert_eq!(r.repair(&input, &mut report), input, "{report:?}");
    }
    assert_idempotent("\u{FFFD}\0È\u{FFFD}È\u{FFFD}\0È\u{FFFD}\0È");
}

/// Fuzzer find (target `clean`): `Â ` (a UTF-8 no-break space read as windows-1252, its
/// second byte become a space) counted as mojibake only as the first pair of a line.
/// Repaired, it is a no-break space that the artifact pass trims, which put the next `Â `
/// at the line start: each repair run peeled one more, and four rounds did not settle a
/// line of NULs between such units. Every unit before the first other character now
/// counts as at the line start.
#[test]
fn repair_is_idempotent_on_no_break_spaces_read_as_cp1252_at_the_line_start() {
    let unit = "\0Â Â  ";
    let mut input = unit.repeat(8);
    input.push_str("£Â x\n");
    assert_idempotent(&input);
    let r = Repairer::new();
    let mut report = RepairReport::default();
    let once = r.repair(&input, &mut report).into_owned();
    assert_eq!(once, "£\u{a0}x\n", "{report:?}");
}

/// A clean simplified document: lines of clauses, ASCII words, numbers and emoji, with
/// no whitespace at line edges and no blank-line runs (already normal form).
fn clean_simplified() -> impl Strategy<Value = String> {
    let clauses = support::clauses(support::SIMPLIFIED);
    let n = clauses.len();
    let piece = prop_oneof![
        6 => (0..n).prop_map(move |i| clauses[i].clone()),
        1 => "[A-Za-z]{1,8}( [A-Za-z]{1,8})?",
        1 => "[0-9]{1,4}(\\.[0-9]{1,2})?",
        1 => proptest::sample::select(vec!["😀", "（2024年）", "《新闻联播》", "“好”", "——", "GPU", "5G"])
            .prop_map(str::to_string),
    ];
    let line = proptest::collection::vec(piece, 1..8).prop_map(|p| p.concat());
    proptest::collection::vec(line, 1..6).prop_map(|l| l.join("\n"))
}

proptest! {
    /// Issue #7: repair and convert (the default `auto2s`) leave clean simplified text
    /// exactly as it is.
    #[test]
    fn repair_and_convert_keep_clean_simplified_text(s in clean_simplified()) {
        let c = Cleaner::builder().strip(None).build().unwrap();
        let out = c.clean(&s);
        prop_assert_eq!(out.text.as_ref(), s.as_str());
        prop_assert!(out.report.repair.is_empty(), "{:?}", out.report.repair);
    }
}

/// Fuzzer find (target `clean`): `çŠ` (GBK `鐘` read as windows-1252) was left alone next
/// to the compatibility ideograph U+F980, which convert turns into `吕`; the second clean
/// then judged the line with a common character in it and repaired `çŠ`.
#[test]
fn cleaning_is_idempotent_when_convert_unifies_compatibility_ideographs() {
    let mut input = String::from("0ç:?");
    input.push_str(&"\0".repeat(20));
    input.push_str("?çŠ T怦\u{1A}\t\u{F980}T\"?");
    assert_idempotent(&input);
}

/// Fuzzer find (target `clean`): on one line, `»»»~` → `遙誤` (big5>latin1) kept the pass
/// from repairing `»»` → `换` (gbk>latin1); the next clean, seeing `遥误` as text,
/// repaired it. The mojibake pass now runs again over what it changed.
#[test]
fn cleaning_is_idempotent_when_one_repair_enables_another() {
    let input = "۔ۤuto2u???????ۤuto2s???_????»»\0»\0~\0\0Kû>??_????»»??\n»~Kû>ᄦ ???";
    assert_idempotent(input);
}

/// Fuzzer find (target `clean`): a mojibake repair in the second round brought control
/// characters with it; the artifact pass removed them, and the next clean found a new
/// span. Rounds now go on while the artifact pass changes what the mojibake pass sees.
#[test]
fn cleaning_is_idempotent_when_a_repair_brings_controls() {
    assert_idempotent(&regression(include_bytes!(
        "../testdata/regressions/clean-477a1fee.bin"
    )));
}

/// Fuzzer find (target `clean`): repair left `剋剋?剋剋`, convert made it `克克?克克`, and
/// the next clean read the `?` as the lost `·` of a transliterated name.
#[test]
fn cleaning_is_idempotent_when_convert_changes_a_rules_characters() {
    assert_idempotent(&regression(include_bytes!(
        "../testdata/regressions/clean-561eecf7.bin"
    )));
}

/// Fuzzer find (target `clean`): `T鄶T鄶鄦` converts to `T郐T郐鄦`, which the next clean
/// "repaired" into `TۦTۦ鄦` (two Arabic letters from utf8>gbk). A few letters of another
/// script alone in a line are no longer a repair.
#[test]
fn cleaning_is_idempotent_when_rare_hanzi_decode_to_another_script() {
    assert_idempotent(&regression(include_bytes!(
        "../testdata/regressions/clean-739294e2.bin"
    )));
    assert_eq!(Cleaner::new().clean("T郐T郐鄦").text, "T郐T郐鄦");
}

/// Fuzzer find (target `clean`): strip judged a long line on its first 192 bytes; convert
/// turned `蹳` (3 bytes) into `𫏆` (4 bytes), which moved the cut, changed the line's
/// verdict and with it the region, so the second clean dropped lines the first kept. The
/// head is now measured in units (ASCII 1, any other character 3), the same before and
/// after conversion.
#[test]
fn cleaning_is_idempotent_when_convert_changes_a_lines_byte_length() {
    assert_idempotent(&regression(include_bytes!(
        "../testdata/regressions/clean-f5e5cfdf.bin"
    )));
    let stripper = zhclean::strip::Stripper::new();
    let long = format!(
        "f\n\n\n{}Cff``````````{}蹳情+&r?",
        "fffffffffffffffffffffw2ffffFffffffffffffffffffffffffsffffffffffffffffffffffffffffffffffffffff",
        "fffffw2ffffFffffffffffffffffffffffffsfffffffffffffffffffffffffffffffffffffff"
    );
    let strip = |s: &str| {
        stripper
            .strip(s, &mut zhclean::strip::StripReport::default())
            .into_owned()
    };
    assert_eq!(
        strip(&long.replace('蹳', "𫏆")),
        strip(&long).replace('蹳', "𫏆")
    );
}

/// Fuzzer finds (target `clean`): convert turned `羆` into `罴` and `膾` into `脍`; on
/// the converted text the repair stage then took `ㄦ…ㄦ` for GBK read as Big5 (and
/// `脍舗?塨塨` for Big5 read as GBK), so a second clean changed the first one's output.
/// The cleaner now repairs converted text once more (and strips and converts again only
/// if that changed it).
#[test]
fn cleaning_is_idempotent_when_conversion_tips_a_repair() {
    for input in [
        &include_bytes!("../testdata/regressions/clean-dbe9501b.bin")[..],
        &include_bytes!("../testdata/regressions/clean-f6c8f548.bin")[..],
    ] {
        assert_idempotent(&regression(input));
    }
}

/// Fuzzer find (target `clean`): the second round's repair brought a traditional
/// character that its conversion changed (`並` → `并`), and on that text the repair
/// stage read `�并` as UTF-8 read as Big5, so a second clean changed the first one's
/// output. The round now repeats while its conversion changes the text.
#[test]
fn cleaning_is_idempotent_when_the_second_rounds_conversion_tips_a_repair() {
    assert_idempotent(&regression(include_bytes!(
        "../testdata/regressions/clean-4179113c.bin"
    )));
}

/// Fuzzer finds (target `clean`, this session's strip rules): the rule that lets a table
/// run on past the article counted the run's length and repetition over lines it would
/// drop anyway (symbol lines, copies elsewhere in the document); once those were gone,
/// stripping the output again dropped the table. It now counts only the lines it keeps
/// and their repetition within the block and themselves.
#[test]
fn stripping_twice_keeps_a_table_that_runs_past_the_article() {
    for input in [
        &include_bytes!("../testdata/regressions/clean-7408c8f6.bin")[..],
        &include_bytes!("../testdata/regressions/clean-23b8a3e5.bin")[..],
        &include_bytes!("../testdata/regressions/clean-ac58a465.bin")[..],
        &include_bytes!("../testdata/regressions/clean-cf2f9aac.bin")[..],
        &include_bytes!("../testdata/regressions/clean-1537bcc4.bin")[..],
    ] {
        assert_idempotent(&regression(input));
    }
}

/// Fuzzer find (target `clean`): a line of one symbol (`ç`) between the article and three
/// short punctuated lines broke their dense run, so they stayed unpromoted and were kept
/// only by the table-run rule; the symbol line itself was dropped. Stripping again, the
/// run was whole, became content, and the lines after it were dropped as after-content.
/// Symbol and digit lines no longer break (or count in) a dense run.
#[test]
fn stripping_twice_keeps_a_dense_run_a_symbol_line_split() {
    assert_idempotent(&regression(include_bytes!(
        "../testdata/regressions/clean-b198b8d5.bin"
    )));
}

/// Fuzzer find (target `clean`): the encyclopedia rule counted every `[edit]` heading in
/// the document, also copies before the first content line and repeats it drops; the
/// stripped output had only one heading left, the rule no longer fired, and stripping
/// again dropped the article's body. It now counts only the headings it keeps.
#[test]
fn stripping_twice_keeps_an_encyclopedia_body_whose_headings_repeat() {
    assert_idempotent(&regression(include_bytes!(
        "../testdata/regressions/clean-a0419152.bin"
    )));
}

/// Fuzzer find (target `clean`): the strip stage runs before conversion, and its lexicon
/// had `编辑/` but not `編輯/`: the first clean kept a line with `[編輯/` (then made it
/// `[编辑/`), the second dropped it and the short lines beside it. The lexicon now
/// matches traditional characters by their simplified forms, so every spelling that
/// conversion folds into an entry is found (`every_traditional_spelling_of_an_entry_is_found`;
/// `發布：` beside the listed `發佈：` was still missed when the lexicon listed only the
/// entries' s2t and s2tw forms).
#[test]
fn cleaning_is_idempotent_when_convert_makes_lexicon_furniture() {
    let input = String::from_utf8(b"[;?..e.)\x0a\xd5\x92?.e.)\x0a\xd5\x92?\x1a\x00\x00-\x00[\xe7\xb7\xa8\xe8\xbc\xaf]?\x00\x00?\x7f\x00?\x7f\x0a\x0a\x00\x00??\x00\x7f\x00?\x00\x00\x00-\x00[\xe7\xb7\xa8\xe8\xbc\xaf/?0\x00\x00\x00\x00\x00\x00\x00\x0a??\x00\x7f\x00?\x00?\x00\x00\x7f1Y?\x1f\x00?\x00\x7f\x01\x00\x11\xc3\x83\x00".to_vec()).unwrap();
    assert_idempotent(&input);
    assert_idempotent("正文第一段。\n[編輯/校對]\n短\n正文第二段，很長的一段文字。");
    assert_idempotent(
        "正文第一段，很長的一段文字。\n發布：2024年\n短\n正文第二段，很長的一段文字。",
    );
}

/// `请大家非常简洁吗？` (our text) in UTF-8 read as Big5, a very lossy chain: the
/// first repair changes part of it (`霂瑕之` → `请大`, `嚗�` → `，`), conversion changes
/// what that left, and on that the repair changes it again (GBK read as Big5, over the
/// `，` the first repair made): a line that makes the cleaner run a settle round.
/// (`春天来了，包饺子，` read as GBK did, until its kana stopped keeping the first repair
/// from it; `今天天气很好，快去休息吧。` did, until a Latin Extended-B letter such as
/// the `ȯ` its settle round made cost as much as a symbol.)
fn settle_junk() -> String {
    damage::utf8_read_as_big5(SETTLE_TEXT)
}

/// The text of [`settle_junk`] (`tests/cli.rs` holds the same, for `--explain`).
const SETTLE_TEXT: &str = "请大家非常简洁吗？";

/// What [`Cleaner::clean`] would make of `line` without its settle round.
fn without_settle_round(cleaner: &Cleaner, line: &str) -> String {
    let repaired = cleaner
        .repairer()
        .unwrap()
        .repair(line, &mut Default::default());
    let converter = cleaner.converter().unwrap();
    converter
        .convert(&repaired, &mut Default::default())
        .into_owned()
}

/// Enough other text that the junk line does not decide the document's configuration.
const SETTLE_FILLER: &str =
    "這是一段用來測試轉換的文字，內容與其他各行無關，只為了讓整篇文件裡假名所佔的比例低於百分之五。";

/// Bug: when the settle round's repair changed one line, the whole document was converted
/// a second time. OpenCC's conversion is not idempotent, so clean lines elsewhere in the
/// document came out unlike OpenCC's output (`僅作用於單元` became `仅作用于单元`; OpenCC
/// gives `仅作用於单元`). Only the lines that round's repair changed are converted again.
#[test]
fn settle_round_converts_only_the_lines_its_repair_changed() {
    let clean_line = "該命令僅作用於單元名稱。";
    let junk = settle_junk();
    let cleaner = Cleaner::builder().strip(None).build().unwrap();
    let more = SETTLE_FILLER;
    let doc = format!("{clean_line}\n{more}\n{junk}\n");
    let out = cleaner.clean(&doc);
    let lines: Vec<&str> = out.text.lines().collect();
    assert_ne!(
        lines[2],
        without_settle_round(&cleaner, &junk),
        "precondition: the settle round repaired the converted line"
    );
    let converter = cleaner.converter().unwrap();
    let once = converter.convert(clean_line, &mut Default::default());
    assert_eq!(once, "该命令仅作用於单元名称。");
    assert_eq!(lines[0], once);
}

/// Bug: the settle round chose `auto2s`'s configuration again, on text it had converted
/// already: a Taiwan document (`tw2s` on its first conversion) had its lines that round
/// changed converted with `hk2s`, and the report said `hk2s`.
#[test]
fn settle_round_keeps_the_configuration_of_the_first_conversion() {
    let taiwan = "這本書的作者十分著名，讀者遍佈全台灣，每一本都寫得很好。";
    let more = SETTLE_FILLER;
    let junk = settle_junk();
    let doc = format!("{taiwan}\n{more}\n{junk}\n");
    let cleaner = Cleaner::builder().strip(None).build().unwrap();
    let converter = cleaner.converter().unwrap();
    let mut first = zhclean::convert::ConvertReport::default();
    converter.convert(&format!("{taiwan}\n{more}\n"), &mut first);
    assert_eq!(first.config, Some("tw2s"), "precondition");
    let out = cleaner.clean(&doc);
    assert_ne!(
        out.text.lines().nth(2),
        Some(without_settle_round(&cleaner, &junk).as_str()),
        "precondition: a settle round ran"
    );
    assert_eq!(out.report.convert.config, Some("tw2s"));
}

/// Fuzzer find (target `clean`, `K\u{FA5F}`): `auto2s` counted the compatibility
/// ideograph U+FA5F as nothing and chose `hk2s`, whose normalization made it `著`; the
/// next clean saw a Taiwan form, chose `tw2s` and made it `着`. Compatibility ideographs
/// now count as what normalization makes them.
#[test]
fn cleaning_is_idempotent_when_a_compatibility_ideograph_is_a_taiwan_form() {
    assert_idempotent("K\u{FA5F}");
    assert_eq!(zhclean::convert::auto_config("K\u{FA5F}"), "tw2s");
}
