//! User dictionaries (`ConvertOptions::dicts`, the CLI's `--dict`): OpenCC's text format,
//! pairs that win over the built-in dictionaries.

use std::io::Write;

use zhclean::convert::{ConvertOptions, ConvertReport, Converter};

fn dict(content: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(content.as_bytes()).unwrap();
    f
}

fn conv(c: &Converter, text: &str) -> String {
    c.convert(text, &mut ConvertReport::default()).into_owned()
}

#[test]
fn user_pairs_win_over_builtin_phrases_and_characters() {
    let d = dict("# my corrections\n乾隆\t干隆\n頭髮\t头发丝 ignored-candidate\n\n著名\t著名\n");
    let c = Converter::with_options(ConvertOptions::config("tw2s").dict(d.path())).unwrap();
    // built-in: 乾隆 stays 乾隆; the user pair wins
    assert_eq!(conv(&c, "乾隆年間"), "干隆年间");
    // first candidate only
    assert_eq!(conv(&c, "頭髮"), "头发丝");
    // identity pair protects a word from tw2s's 著 → 着
    assert_eq!(conv(&c, "著名的人看著我"), "著名的人看着我");
}

#[test]
fn a_user_key_wins_even_inside_a_builtin_phrase() {
    // 頭髮 is a built-in phrase; the user key 髮型 starting inside it still wins.
    let d = dict("髮型\tX\n");
    let c = Converter::with_options(ConvertOptions::config("t2s").dict(d.path())).unwrap();
    assert_eq!(conv(&c, "頭髮型"), "头X");
}

#[test]
fn longest_user_key_wins_and_earlier_file_wins_ties() {
    let a = dict("天氣\tA\n天\tB\n");
    let b = dict("天氣\tC\n天氣很好\tD\n");
    let c = Converter::with_options(ConvertOptions::config("t2s").dict(a.path()).dict(b.path()))
        .unwrap();
    assert_eq!(conv(&c, "天氣很好"), "D");
    assert_eq!(conv(&c, "天氣"), "A");
    assert_eq!(conv(&c, "天"), "B");
}

#[test]
fn user_dict_counts_changes_and_borrows_when_nothing_matches() {
    let d = dict("乾隆\t干隆\n");
    let c = Converter::with_options(ConvertOptions::config("t2s").dict(d.path())).unwrap();
    let mut r = ConvertReport::default();
    assert_eq!(c.convert("乾隆", &mut r), "干隆");
    assert_eq!(r.chars_changed, 1);
    let mut r = ConvertReport::default();
    assert!(matches!(
        c.convert("abc", &mut r),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn bad_dictionaries_are_errors_naming_file_and_line() {
    let missing = ConvertOptions::config("t2s").dict("/nonexistent/zhclean.txt");
    let e = Converter::with_options(missing).unwrap_err().to_string();
    assert!(e.contains("/nonexistent/zhclean.txt"), "{e}");
    for (content, line) in [
        ("好\t好\nno tab here\n", ":2:"),
        ("\t空\n", ":1:"),
        ("鍵\t\n", ":1:"),
    ] {
        let d = dict(content);
        let e = Converter::with_options(ConvertOptions::config("t2s").dict(d.path()))
            .unwrap_err()
            .to_string();
        assert!(e.contains(line), "{content:?}: {e}");
    }
}
