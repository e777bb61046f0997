//! Streaming: converting a text in chunks cut at `split_point` (or at line boundaries)
//! gives the same output as converting it whole; arbitrary input never panics.

use proptest::prelude::*;
use zhclean::convert::{split_point, ConvertOptions, ConvertReport, Converter, CONFIG_NAMES};

/// Text written for this test, in several scripts, with phrases that span many characters.
const TEXT: &str = "今天天氣很好，我們一起去公園散步。\n\
政府衞生署發佈消息：請市民注意個人衞生。\n\
他看著窗外，頭髮被風吹亂了；乾燥的空氣讓人不舒服。\n\
为什么这么多人关注这个问题？因为发展经济很重要。\n\
⿰氵馬 是一個表意文字描述序列。\n\
記憶體不足，請關閉其他程式。\n\
";

fn whole(c: &Converter, text: &str) -> String {
    c.convert(text, &mut ConvertReport::default()).into_owned()
}

/// Streams `text` through `c` in pieces of at most `step` bytes, flushing at `split_point`.
fn streamed(c: &Converter, text: &str, step: usize) -> String {
    let mut out = String::new();
    let mut pending = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut k = step.min(rest.len());
        while !rest.is_char_boundary(k) {
            k += 1;
        }
        pending.push_str(&rest[..k]);
        rest = &rest[k..];
        let cut = split_point(&pending);
        out.push_str(&c.convert(&pending[..cut], &mut ConvertReport::default()));
        pending.drain(..cut);
    }
    out.push_str(&c.convert(&pending, &mut ConvertReport::default()));
    out
}

#[test]
fn chunked_equals_whole_for_every_config() {
    // auto2s chooses its OpenCC config per call (per document): see the next test.
    for &config in CONFIG_NAMES.iter().filter(|&&c| c != "auto2s") {
        let c =
            Converter::with_options(ConvertOptions::config(config).skip_japanese(false)).unwrap();
        let expected = whole(&c, TEXT);
        for step in [1, 2, 3, 5, 7, 16, 64, 1000] {
            assert_eq!(streamed(&c, TEXT, step), expected, "{config} step {step}");
        }
        // line by line
        let by_line: Vec<String> = TEXT.split('\n').map(|l| whole(&c, l)).collect();
        assert_eq!(by_line.join("\n"), expected, "{config} by line");
    }
}

#[test]
fn auto2s_streams_with_the_config_chosen_once() {
    let auto = Converter::with_options(ConvertOptions::default().skip_japanese(false)).unwrap();
    let expected = whole(&auto, TEXT);
    let chosen = zhclean::convert::auto_config(TEXT);
    let c = Converter::with_options(ConvertOptions::config(chosen).skip_japanese(false)).unwrap();
    for step in [1, 7, 64] {
        assert_eq!(streamed(&c, TEXT, step), expected, "step {step}");
    }
}

#[test]
fn ids_across_a_line_break_is_kept_whole_by_split_point() {
    // The operator's operands are on the next line: OpenCC treats the sequence as one unit.
    let c = Converter::with_options(ConvertOptions::config("t2s")).unwrap();
    let text = "馬⿰\n馬馬\n";
    let expected = whole(&c, text);
    assert_eq!(expected, "马⿰\n馬马\n");
    assert_eq!(split_point("馬⿰\n馬"), 0);
    for step in 1..=text.len() {
        assert_eq!(streamed(&c, text, step), expected, "step {step}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn never_panics_and_chunking_is_invariant(
        text in "[\\x00-\\x7f天氣著衞後發頭髮乾燥⿰⿱⿾豈丽\n·・の〜內存記憶體]{0,60}"
    ) {
        for config in ["t2s", "tw2s", "hk2s", "s2twp"] {
            let c = Converter::with_options(ConvertOptions::config(config).skip_japanese(false)).unwrap();
            let w = whole(&c, &text);
            prop_assert_eq!(streamed(&c, &text, 4), w.clone());
            // idempotent on its own output for t2s-like configs is not guaranteed; only
            // line structure is: conversion never adds or removes line breaks
            prop_assert_eq!(w.matches('\n').count(), text.matches('\n').count());
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,80}") {
        for &config in CONFIG_NAMES {
            let c = Converter::with_options(ConvertOptions::config(config)).unwrap();
            let _ = c.convert(&text, &mut ConvertReport::default());
        }
    }
}
