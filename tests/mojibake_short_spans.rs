//! Short spans of GBK or Big5 bytes read as Latin-1: one or two hanzi between ASCII
//! words or beside clean text, where the span alone is weak evidence and the decision
//! rests on what is around it. Every line is ours; each case is named after the rule
//! it pins, and fails without that rule.

#[path = "support/damage.rs"]
mod damage;
use damage::repair;

/// `s`'s bytes in `encoding`, read as Latin-1 (every byte a character).
fn read_as_latin1(s: &str, encoding: &'static encoding_rs::Encoding) -> String {
    let (bytes, _, unmappable) = encoding.encode(s);
    assert!(!unmappable, "{s:?} does not encode");
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The line with `word` damaged: GBK (simplified) or Big5 (traditional) bytes read
/// as Latin-1.
fn damaged(line: &str, word: &str, encoding: &'static encoding_rs::Encoding) -> String {
    assert!(line.contains(word), "{word:?} not in {line:?}");
    line.replacen(word, &read_as_latin1(word, encoding), 1)
}

fn check(cases: &[(&str, &str, &'static encoding_rs::Encoding)]) {
    let mut failures = Vec::new();
    for &(line, word, encoding) in cases {
        let input = damaged(line, word, encoding);
        let got = repair(&input);
        if got != line {
            failures.push(format!("{input:?}: got {got:?}, expected {line:?}"));
        }
        assert_eq!(repair(line), line, "clean line changed");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const GBK: &encoding_rs::Encoding = encoding_rs::GBK;
const BIG5: &encoding_rs::Encoding = encoding_rs::BIG5;

/// The hanzi at a span's edge is rarer than the two Latin-1 characters it replaces
/// (`Âs` → `瀏`), so alone it does not pay; left out, its Latin-1 letter then made the
/// whole line read as European text and the repair was dropped.
#[test]
fn rare_hanzi_at_the_edge_of_a_latin1_span_joins_it() {
    check(&[
        ("Debian 瀏覽器外掛", "瀏覽器外掛", BIG5),
        ("網頁瀏覽器擴充功能", "瀏覽器擴充功能", BIG5),
    ]);
}

/// One hanzi that makes a word with the clean hanzi beside it, or a date with the
/// digit before it, has that as evidence (`设ÖÃ` → `设置`, `3ÔÂ` → `3月`).
#[test]
fn one_hanzi_from_latin1_is_repaired_by_the_word_it_makes_with_its_neighbour() {
    check(&[
        ("預設設置: yes", "置", GBK),
        ("请参见示例: foo", "例", GBK),
        ("发布于 2021年3月 Linux", "月", GBK),
        ("文档的文本格式", "文", GBK),
    ]);
}

/// Two Latin-1 characters standing alone between ASCII words, in a line with no other
/// CJK text, that read as one of the commonest hanzi (`Í¬ -parity`, `A ©M B`).
#[test]
fn lone_latin1_pair_between_ascii_words_is_one_common_hanzi() {
    check(&[
        ("同 -parity cs7", "同", GBK),
        ("speed 和 baud", "和", BIG5),
        ("A 和 B", "和", BIG5),
    ]);
}

/// UTF-8 read as Latin-1 offered a Hebrew point for `Ö·` and covered the line, so GBK
/// was never tried; the point was then dropped as a lone letter of another script.
#[test]
fn lone_letter_of_another_script_does_not_hide_the_gbk_reading() {
    check(&[("本机的网络地址 \"10.0.0.1\"", "址", GBK)]);
}

/// In a simplified line, `»ò` is GBK's `或`, not Big5's `麼`.
#[test]
fn latin1_span_in_a_simplified_line_prefers_the_simplified_reading() {
    check(&[
        ("可以安装 contrib 或 non-free 的浏览器插件", "或", GBK),
        (
            "这个软件包在 contrib 或 non-free 的 Debian 浏览器插件里面",
            "或",
            GBK,
        ),
    ]);
}

/// `Ð¡Ê±` is valid UTF-8 read as Latin-1 too (`Сʱ`), but a Cyrillic letter beside a
/// modifier letter is no text: the line is GBK's `小时`.
#[test]
fn gbk_line_that_is_also_valid_utf8_of_mixed_scripts_stays_gbk() {
    check(&[("小时 (0..23)", "小时", GBK), ("为 小写).", "为 小写", GBK)]);
}

/// Clean text these rules must leave alone: units and ordinals before an ASCII letter
/// (Big5 reads `µL` as `無`, `ºC` as `慢`), Latin-1 pairs in European words, real
/// Cyrillic and Greek.
#[test]
fn clean_latin1_tokens_stay_unchanged() {
    for line in [
        "Add 5 µL of buffer",
        "Heat to 90 ºC for 2 min",
        "1ª edición, 2º piso",
        "Temperature 20 °C",
        "Copyright ©MIT 2020",
        "Ål and Öl are Swedish words",
        "Æ Ø Å",
        "« Bonjour » dit-il",
        "Füße, Größe, Maß",
        "привет мир",
        "Ελληνικά και русский",
        "Müller先生来自Zürich",
        "温度 20 °C，湿度 50%",
        "价格 ½ 折",
    ] {
        assert_eq!(repair(line), line, "clean line changed");
    }
}

/// GB18030 writes `・` (a katakana middle dot, which Chinese titles use as a
/// separator) as four bytes; the repair that brings it back was refused as bringing
/// kana into text from a Chinese page.
#[test]
fn katakana_middle_dot_in_a_gbk_title_is_punctuation_not_kana() {
    let line = "《水调歌头・明月几时有》";
    let input = read_as_latin1(line, encoding_rs::GB18030);
    assert!(
        input.contains('\u{81}'),
        "no four-byte sequence in {input:?}"
    );
    assert_eq!(repair(&input), line, "{input:?}");
}

/// GBK reads Big5's `見` (`¨£` as Latin-1) as the pinyin letter `ǎ`; that candidate
/// covered the line, so the Big5 pass never ran.
#[test]
fn gbk_pinyin_letter_does_not_end_the_search_before_big5() {
    check(&[("見 man 5 crontab", "見", BIG5)]);
}

/// Two GBK hanzi read as Latin-1 in an ASCII line that are also the UTF-8 of a Latin
/// letter and an IPA or modifier letter (`Ä£Ê½` is `ģʽ`): too little to make the line
/// UTF-8 read as windows-1252, so the GBK reading stays. (Longer UTF-8 readings and
/// whole European lines still go to the Latin pass: see `tests/latin_cases.rs`.)
#[test]
fn two_char_utf8_reading_with_a_modifier_letter_does_not_take_a_gbk_word() {
    check(&[
        ("Lisp 模式.", "模式", GBK),
        ("Enter 模式 first", "模式", GBK),
        ("选择 vi 模式", "模式", GBK),
    ]);
    // Real UTF-8 read as windows-1252 with a modifier letter is still repaired.
    assert_eq!(repair("HawaiÊ»i and Ê»Ä\u{81}ina"), "Hawaiʻi and ʻāina");
}

/// A line without CJK text whose only Latin-1 letter inside an ASCII word is upper-case
/// (`¹aÁn`: Big5's `鈴聲`, with ASCII trail bytes) is no European word: the Big5 repair
/// stays. (Lower-case ones, `Système`, keep a line European: see
/// `clean_latin1_tokens_stay_unchanged`.)
#[test]
fn upper_case_latin1_letter_between_ascii_trail_bytes_is_a_big5_lead() {
    check(&[
        ("BEL (0x07) 鈴聲;", "鈴聲", BIG5),
        ("ESC 鈴聲 and more", "鈴聲", BIG5),
    ]);
    for line in ["Le Système de fichiers", "naïve café crème"] {
        assert_eq!(repair(line), line);
    }
}
