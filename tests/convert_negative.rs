//! Text that must pass the convert stage unchanged (and borrowed).

use std::borrow::Cow;

use zhclean::convert::{ConvertOptions, ConvertReport, Converter};

fn lines() -> Vec<&'static str> {
    include_str!("../testdata/convert/simplified.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
}

#[test]
fn simplified_text_is_unchanged_by_t2s_and_the_default() {
    for config in ["t2s", "auto2s", "hk2s"] {
        let c = Converter::with_options(ConvertOptions::config(config)).unwrap();
        for line in lines() {
            let mut r = ConvertReport::default();
            let out = c.convert(line, &mut r);
            assert!(matches!(out, Cow::Borrowed(_)), "{config}: {line} → {out}");
            assert!(r.is_empty());
        }
        // the whole corpus as one document, too
        let doc = lines().join("\n");
        assert!(matches!(
            c.convert(&doc, &mut ConvertReport::default()),
            Cow::Borrowed(_)
        ));
    }
}

#[test]
fn non_chinese_text_is_borrowed_in_every_config() {
    let texts = [
        "",
        "plain ASCII text, 123 <b>tags</b>",
        "Ünïcödé — “quotes” ½ €",
        "🙂🚀 emoji",
    ];
    for &config in zhclean::convert::CONFIG_NAMES {
        let c = Converter::with_options(ConvertOptions::config(config)).unwrap();
        for t in texts {
            let out = c.convert(t, &mut ConvertReport::default());
            assert!(matches!(out, Cow::Borrowed(_)), "{config}: {t}");
        }
    }
}
