//! Known traps of OpenCC-exact conversion, each checked against OpenCC 1.4.2's output
//! (recorded by running the reference library on the same input).

use std::borrow::Cow;

use zhclean::convert::{auto_config, ConvertOptions, ConvertReport, Converter};

fn convert(config: &str, text: &str) -> (String, ConvertReport) {
    let c = Converter::with_options(ConvertOptions::config(config)).unwrap();
    let mut r = ConvertReport::default();
    let out = c.convert(text, &mut r).into_owned();
    (out, r)
}

/// (trap, config, input, OpenCC 1.4.2's output)
const TRAPS: &[(&str, &str, &str, &str)] = &[
    // Plain t2s knows only OpenCC-standard forms: the Taiwan form 著 (for 着) stays.
    ("kan_zhe_t2s_keeps_taiwan_form", "t2s", "看著", "看著"),
    ("kan_zhe_tw2s_converts_taiwan_form", "tw2s", "看著", "看着"),
    ("kan_zhe_hk2s_keeps_it", "hk2s", "看著", "看著"),
    (
        "zhu_zuo_protected_by_tsphrases_in_tw2s",
        "tw2s",
        "著作",
        "著作",
    ),
    // tw2s on simplified text: 著 → 着 even where it means zhù (why auto2s avoids it).
    ("tw2s_breaks_simplified_xianzhu", "tw2s", "显著", "显着"),
    ("tw2s_lone_yao_becomes_you", "tw2s", "么么哒", "幺幺哒"),
    (
        "tw2s_keeps_common_me_words",
        "tw2s",
        "什么 怎么 那么",
        "什么 怎么 那么",
    ),
    // BYVoid/OpenCC#1390/#1391: simplified 坏 must not become 坯 under t2s.
    ("opencc_1390_huai_kept_by_t2s", "t2s", "坏", "坏"),
    ("opencc_1390_huai_in_phrase", "t2s", "破坏了", "破坏了"),
    ("opencc_1390_traditional_huai", "t2s", "壞人", "坏人"),
    ("opencc_1390_s2t_huai", "s2t", "坏人", "壞人"),
    // BYVoid/OpenCC#1497: 1.4.2 still splits 被发明 as 被髮|明; byte-identical means we do too.
    (
        "opencc_1497_bei_fa_ming_reference_behaviour",
        "s2t",
        "被发明",
        "被髮明",
    ),
    ("s2t_fa_ming", "s2t", "发明", "發明"),
    ("s2t_tou_fa", "s2t", "头发", "頭髮"),
    ("s2t_gan_zao", "s2t", "干燥", "乾燥"),
    ("s2t_gan_bu", "s2t", "干部", "幹部"),
    ("t2s_qian_long_is_a_name", "t2s", "乾隆", "乾隆"),
    ("t2s_qian_zao", "t2s", "乾燥", "干燥"),
    ("t2s_huang_hou", "t2s", "皇后 後天", "皇后 后天"),
    // Hong Kong forms: only hk2s knows 衞.
    ("hk_wei_sheng_t2s_keeps", "t2s", "衞生", "衞生"),
    ("hk_wei_sheng_hk2s", "hk2s", "衞生", "卫生"),
    ("hk_xian_lu", "hk2s", "綫路", "线路"),
    ("tw2s_li_mian", "tw2s", "裡面", "里面"),
    // Normalization: CJK compatibility ideographs first (U+F900 豈 → 豈 → 岂).
    (
        "cjk_compatibility_ideograph_normalized",
        "t2s",
        "\u{F900}",
        "岂",
    ),
    ("cjk_compatibility_supplement", "t2s", "\u{2F800}", "丽"),
    // Ideographic description sequences are copied whole.
    ("ids_operands_not_converted", "t2s", "⿰氵馬馬", "⿰氵馬马"),
    ("ids_nested", "t2s", "⿰⿱馬馬馬馬", "⿰⿱馬馬馬马"),
    ("ids_incomplete_at_end", "t2s", "馬⿰氵", "马⿰氵"),
    ("ids_unary_operator", "t2s", "\u{2FFE}馬馬", "\u{2FFE}馬马"),
    // Phrase dictionaries that change length.
    ("s2twp_memory", "s2twp", "内存", "記憶體"),
    ("tw2sp_memory", "tw2sp", "記憶體", "内存"),
    ("s2hk_wei_shen_me", "s2hk", "为什么", "為什麼"),
    ("tw2s_wei_shen_me", "tw2s", "為什麼", "为什么"),
    // TSCharactersExt (may_output_tofu) is on, as in OpenCC's library.
    ("tofu_risk_dictionary_included", "t2s", "樠谿", "𣗊溪"),
];

#[test]
fn traps_match_opencc() {
    let mut bad = Vec::new();
    for &(name, config, input, expected) in TRAPS {
        let (got, _) = convert(config, input);
        if got != expected {
            bad.push(format!(
                "{name}: {config}({input}) = {got}, OpenCC gives {expected}"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn tofu_risk_dictionary_can_be_left_out_like_the_opencc_cli() {
    let c =
        Converter::with_options(ConvertOptions::config("t2s").include_tofu_risk(false)).unwrap();
    assert_eq!(c.convert("樠谿", &mut ConvertReport::default()), "樠溪");
}

#[test]
fn default_auto2s_converts_every_region_to_simplified() {
    let c = Converter::with_options(ConvertOptions::default()).unwrap();
    let cases = [
        ("我看著他說話", "我看着他说话", "tw2s"),
        ("看著", "看着", "tw2s"),
        ("政府衞生署發佈消息", "政府卫生署发布消息", "hk2s"),
        ("今天天氣很好。", "今天天气很好。", "hk2s"),
        // simplified text stays as t2s leaves it: 著 in 显著 is not touched
        ("效果显著，他穿着外套。", "效果显著，他穿着外套。", "hk2s"),
        ("么么哒", "么么哒", "hk2s"),
    ];
    for (input, expected, config) in cases {
        let mut r = ConvertReport::default();
        assert_eq!(c.convert(input, &mut r), expected, "{input}");
        assert_eq!(r.config, Some(config), "{input}");
        assert_eq!(auto_config(input), config);
    }
}

#[test]
fn lib_example_counts_one_changed_character() {
    let c = Converter::with_options(ConvertOptions::default()).unwrap();
    let mut r = ConvertReport::default();
    assert_eq!(c.convert("今天天氣很好。", &mut r), "今天天气很好。");
    assert_eq!(r.chars_changed, 1);
}

#[test]
fn japanese_kana_text_untouched() {
    let c = Converter::with_options(ConvertOptions::default()).unwrap();
    for text in [
        "東京の天氣は晴れです。",
        "カタカナだけのテキスト",
        "日本語の文章では「歴史」や「國語」のような漢字も使われます。",
    ] {
        let mut r = ConvertReport::default();
        let out = c.convert(text, &mut r);
        assert!(matches!(out, Cow::Borrowed(_)), "{text}");
        assert_eq!(r.skipped, Some("japanese"));
        assert!(r.is_empty());
    }
}

#[test]
fn chinese_with_a_stray_kana_or_middle_dot_is_converted() {
    let c = Converter::with_options(ConvertOptions::default()).unwrap();
    let mut r = ConvertReport::default();
    // ・ and ー do not count as kana; one の among many Han characters is under 5%.
    let text = "列夫・托爾斯泰的小說在臺灣很受歡迎，書店裡一直有賣，這是大家都知道的事情の一部分。";
    let out = c.convert(text, &mut r);
    assert_eq!(r.skipped, None);
    assert!(out.contains("托尔斯泰的小说"), "{out}");
}

#[test]
fn japanese_configs_ignore_the_kana_check() {
    let (out, r) = convert("jp2t", "旧字体の歴史");
    assert_eq!(r.skipped, None);
    assert_eq!(out, "舊字體の歷史");
}

#[test]
fn skip_japanese_can_be_turned_off() {
    let c = Converter::with_options(ConvertOptions::config("t2s").skip_japanese(false)).unwrap();
    let mut r = ConvertReport::default();
    assert_eq!(c.convert("東京の天氣", &mut r), "东京の天气");
    assert_eq!(r.skipped, None);
}

#[test]
fn nul_is_an_ordinary_character() {
    // OpenCC's segmenting configs drop the rest of a segment after U+0000; we keep it.
    let (out, _) = convert("tw2s", "這樣\0的馬");
    assert_eq!(out, "这样\0的马");
}

#[test]
fn config_names_accept_json_suffix_and_reject_unknown() {
    assert!(Converter::with_options(ConvertOptions::config("t2s.json")).is_ok());
    let e = Converter::with_options(ConvertOptions::config("t2x")).unwrap_err();
    assert!(e.to_string().contains("t2x"), "{e}");
}

#[test]
fn report_counts_changed_characters() {
    let (_, r) = convert("t2s", "漢字轉換");
    assert_eq!(r.chars_changed, 3);
    let (_, r) = convert("s2twp", "内存");
    assert_eq!(r.chars_changed, 3);
    // two stages change the text (normalization, then t2s): counted by comparison
    let (out, r) = convert("t2s", "\u{F900}漢");
    assert_eq!(out, "岂汉");
    assert_eq!(r.chars_changed, 2);
}
