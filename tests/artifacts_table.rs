//! Table-driven tests of the artifact pass: each case names the artifact or the false
//! positive it pins. All text here is written for these tests.

use std::borrow::Cow;

use zhclean::repair::artifacts::{self, ArtifactOptions, CjkPunct};
use zhclean::repair::RepairReport;

struct Case {
    name: &'static str,
    input: &'static str,
    expected: &'static str,
}

const fn c(name: &'static str, input: &'static str, expected: &'static str) -> Case {
    Case {
        name,
        input,
        expected,
    }
}

fn run_with(input: &str, o: &ArtifactOptions) -> (String, RepairReport, bool) {
    let mut report = RepairReport::default();
    let out = artifacts::repair(input, o, &mut report);
    let borrowed = matches!(out, Cow::Borrowed(_));
    (out.into_owned(), report, borrowed)
}

fn check(cases: &[Case], o: &ArtifactOptions) {
    let mut failures = Vec::new();
    for case in cases {
        let (out, report, borrowed) = run_with(case.input, o);
        if out != case.expected {
            failures.push(format!(
                "{}:\n  input    {:?}\n  expected {:?}\n  got      {:?}\n  report   {:?}",
                case.name, case.input, case.expected, out, report
            ));
        }
        if case.input == case.expected && !borrowed {
            failures.push(format!("{}: unchanged text was not borrowed", case.name));
        }
        if case.input == case.expected && !report.is_empty() {
            failures.push(format!(
                "{}: unchanged text has a report {report:?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

// A content-farm paragraph: glossed traditional characters, no space before `(`.
const FARM: &str = "本公司專業(yè)從事電子產(chǎn)品研發(fā),擁有完善的服務(wù)體系。";
const FARM_CLEAN: &str = "本公司專業從事電子產品研發,擁有完善的服務體系。";

#[test]
fn pinyin_glosses() {
    check(
        &[
            c("farm_glosses_removed", FARM, FARM_CLEAN),
            c(
                "farm_gloss_with_heteronym_reading",
                "強(qiáng)調(diào)質(zhì)量與發(fā)展",
                "強調質量與發展",
            ),
            c(
                "farm_gloss_combining_marks",
                "專業(ye\u{0300})服務(wu\u{0300})產(chǎn)品",
                "專業服務產品",
            ),
            c(
                "farm_glosses_across_lines",
                "行業(yè)新聞\n產(chǎn)品中心\n聯(lián)系我們",
                "行業新聞\n產品中心\n聯系我們",
            ),
            c(
                "wrong_reading_stays_in_farm_doc",
                "專業(yè)產(chǎn)品發(fā)展 業(hǎo)",
                "專業產品發展 業(hǎo)",
            ),
            c(
                "non_pinyin_parenthesis_stays_in_farm_doc",
                "專業(yè)產(chǎn)品發(fā)展(2024)與臺(套)",
                "專業產品發展(2024)與臺(套)",
            ),
            c(
                "spaced_gloss_stays_in_farm_doc",
                "專業(yè)產(chǎn)品發(fā)展 葉 (yè)",
                "專業產品發展 葉 (yè)",
            ),
            c(
                "ascii_parenthesis_in_farm_doc_stays",
                "業(yè) 發(fā) 產(chǎn) function(x) 值(a)",
                "業 發 產 function(x) 值(a)",
            ),
            c(
                "misaligned_gloss_rebuilt",
                "專業(yè)產(chǎn)品發(fā)展,面向?qū)W科前沿",
                "專業產品發展,面向學科前沿",
            ),
            c(
                "misaligned_gloss_reading_starts_with_tone_vowel",
                // 倫 = 82 90; 90 DB = 愛 (ài); DB 45 ('E') = 跡.
                "專業(yè)產(chǎn)品發(fā)展,倫?ài)E象",
                "專業產品發展,倫跡象",
            ),
            c(
                "misaligned_gloss_with_replacement_char_and_paren",
                "專業(yè)產(chǎn)品發(fā)展,面向\u{FFFD}(qū)W科前沿",
                "專業產品發展,面向學科前沿",
            ),
        ],
        &ArtifactOptions::default(),
    );
}

#[test]
fn pinyin_glosses_false_positives() {
    check(
        &[
            c(
                "teaching_gloss_with_space",
                "葉 (yè) 是樹葉的葉。",
                "葉 (yè) 是樹葉的葉。",
            ),
            c(
                "single_gloss_in_prose",
                "这个字读好(hǎo),不读好(hào)。",
                "这个字读好(hǎo),不读好(hào)。",
            ),
            c(
                "two_traditional_glosses_below_threshold",
                "業(yè)和發(fā)是两个繁体字。",
                "業(yè)和發(fā)是两个繁体字。",
            ),
            c(
                "simplified_teaching_page_many_glosses",
                "好(hǎo)人好(hǎo)事,学(xué)习(xí)天(tiān)天(tiān)向(xiàng)上(shàng)",
                "好(hǎo)人好(hǎo)事,学(xué)习(xí)天(tiān)天(tiān)向(xiàng)上(shàng)",
            ),
            c(
                "misaligned_shape_without_farm",
                "面向?qū)W科前沿",
                "面向?qū)W科前沿",
            ),
        ],
        &ArtifactOptions::default(),
    );
}

#[test]
fn lost_characters() {
    check(
        &[
            c(
                "breadcrumb_separators",
                "首頁 ? 新聞中心 ? 行業動態 ? 正文",
                "首頁 » 新聞中心 » 行業動態 » 正文",
            ),
            c(
                "single_breadcrumb_separator",
                "當前位置:首頁 ? 正文",
                "當前位置:首頁 » 正文",
            ),
            c(
                "nbsp_after_bracket",
                "[ 搜索 ]? [ 收藏 ]? [ 打印 ]",
                "[ 搜索 ]  [ 收藏 ]  [ 打印 ]",
            ),
            c(
                "nbsp_between_fields_with_evidence",
                "首頁 ? 新聞 ? 正文\n日期:2023-05-01??來源:本站??作者:李明",
                "首頁 » 新聞 » 正文\n日期:2023-05-01  來源:本站  作者:李明",
            ),
            c(
                "question_only_lines_with_evidence",
                "首頁 ? 新聞 ? 正文\n?\n正文內容\n??\n結束",
                "首頁 » 新聞 » 正文\n\n正文內容\n\n結束",
            ),
        ],
        &ArtifactOptions::default(),
    );
}

#[test]
fn lost_characters_false_positives() {
    check(
        &[
            c("chinese_question", "你好吗?", "你好吗?"),
            // An ASCII `]` after ASCII text ends a question or a pattern (bug: the
            // question mark of clean documentation lines became a space).
            c(
                "pattern_after_bracket",
                "Which file matches /dev/tty[ab]?",
                "Which file matches /dev/tty[ab]?",
            ),
            c(
                "question_after_bracketed_word",
                "What goes inside [brackets]? Nothing much.",
                "What goes inside [brackets]? Nothing much.",
            ),
            // A `?` named in prose with no punctuation is not a one-separator crumb:
            // the item after it is a long clause (seen in Debian's zh man pages).
            c(
                "question_mark_named_in_prose",
                "用 ? 号代替无法显示的字符",
                "用 ? 号代替无法显示的字符",
            ),
            c(
                "chinese_question_mid_line",
                "你好吗?我很好。",
                "你好吗?我很好。",
            ),
            c(
                "double_question_no_evidence",
                "真的吗??我不信",
                "真的吗??我不信",
            ),
            c(
                "fields_shape_without_evidence",
                "日期:2023-05-01??來源:本站",
                "日期:2023-05-01??來源:本站",
            ),
            c("english_question", "what? really?", "what? really?"),
            c(
                "url_query",
                "https://example.com/list?page=2&sort=new",
                "https://example.com/list?page=2&sort=new",
            ),
            c("ternary", "let x = a ? b : c;", "let x = a ? b : c;"),
            c(
                "question_particle_before_spaced_mark",
                "是你吗 ? 我来了",
                "是你吗 ? 我来了",
            ),
            c(
                "lone_question_line",
                "他问:\n?\n没有回答",
                "他问:\n?\n没有回答",
            ),
            c(
                "question_lines_without_evidence",
                "第一段\n?\n第二段\n??\n第三段",
                "第一段\n?\n第二段\n??\n第三段",
            ),
            c("regex_optional", "colou?r", "colou?r"),
            c(
                "spaced_question_mark_in_documentation_sentence",
                "星号表示任意字符序列，而 ? 表示任意单个字符。",
                "星号表示任意字符序列，而 ? 表示任意单个字符。",
            ),
            c(
                "spaced_question_mark_after_a_clause_joiner_in_a_short_line",
                "模式以 ? 结尾",
                "模式以 ? 结尾",
            ),
            c("question_between_names_one_char", "是阿?德", "是阿?德"),
            c(
                "question_after_name_then_sentence",
                "你认识汉森?我不认识",
                "你认识汉森?我不认识",
            ),
            c(
                "question_particle_in_evidence_doc",
                "首頁 ? 新聞 ? 正文\n你真的要走吗??我不信",
                "首頁 » 新聞 » 正文\n你真的要走吗??我不信",
            ),
        ],
        &ArtifactOptions::default(),
    );
}

#[test]
fn entities() {
    check(
        &[
            c("nbsp", "你好&nbsp;世界", "你好\u{A0}世界"),
            c("amp_lt_gt", "A&amp;B &lt;b&gt;", "A&B <b>"),
            c("decimal", "&#20320;&#22909;", "你好"),
            c("hex", "&#x4f60;&#X597D;", "你好"),
            c("raquo_breadcrumb", "首页&raquo;新闻", "首页»新闻"),
            c("one_level_only", "&amp;nbsp;", "&nbsp;"),
        ],
        &ArtifactOptions::default(),
    );
    check(
        &[
            c("no_semicolon", "A&amp B", "A&amp B"),
            c("unknown_name", "&foo; &nbspx;", "&foo; &nbspx;"),
            c("bare_ampersand", "R&D 部门 & 公司", "R&D 部门 & 公司"),
            c("url_params", "?a=1&b=2;c=3", "?a=1&b=2;c=3"),
            c("control_reference", "&#0;&#x85;&#13;", "&#0;&#x85;&#13;"),
            c("surrogate_reference", "&#xD800;", "&#xD800;"),
        ],
        &ArtifactOptions::default(),
    );
}

/// Markup escapes glued into text are used; a document whose references leaked has
/// its other escapes decoded too (the evidence is document-wide).
#[test]
fn entities_used_in_text_are_decoded() {
    check(
        &[
            c(
                "quote_glued_between_han",
                "他问道&quot;真的吗",
                "他问道\"真的吗",
            ),
            c(
                "quotes_after_cjk_colon",
                "老师说：&quot;明天考试&quot;。",
                "老师说：\"明天考试\"。",
            ),
            c("amp_inside_a_name", "产品&amp;服务", "产品&服务"),
            c(
                "crumb_arrows_between_han",
                "首页&gt;新闻&gt;正文",
                "首页>新闻>正文",
            ),
            c("quote_at_line_start_before_han", "&quot;早上好", "\"早上好"),
            c(
                "escapes_with_nbsp_evidence",
                "发布日期&nbsp;2023-05-01 作者 &lt;本站编辑&gt;",
                "发布日期\u{A0}2023-05-01 作者 <本站编辑>",
            ),
            c(
                "evidence_from_another_line",
                "栏目&raquo;公告\n请勿在命令后加 &amp; 符号",
                "栏目»公告\n请勿在命令后加 & 符号",
            ),
            c(
                "double_escaped_is_evidence",
                "&amp;copy; 本站 &amp; 合作方",
                "&copy; 本站 & 合作方",
            ),
            c("nbsp_only_line", "&nbsp;&nbsp;", ""),
        ],
        &ArtifactOptions::default(),
    );
}

/// Documentation and code that mention references keep them: man pages, tables of
/// entities, shell redirections, pointers, mail addresses in angle brackets, markup
/// source. (Bug: clean Debian documentation lines were changed by entity decoding.)
#[test]
fn entities_mentioned_in_documentation_stay() {
    check(
        &[
            c("escape_alone_on_a_line", "&lt;", "&lt;"),
            c(
                "shell_redirect",
                "运行 make all &gt; build.log 保存输出",
                "运行 make all &gt; build.log 保存输出",
            ),
            c(
                "pointer_arrow",
                "链表里 node-&gt;next 指向下一个元素",
                "链表里 node-&gt;next 指向下一个元素",
            ),
            c(
                "mail_address_in_angle_brackets",
                "本文由 Li Ming &lt;li@example.org&gt;翻译",
                "本文由 Li Ming &lt;li@example.org&gt;翻译",
            ),
            c(
                "ampersand_between_spaces",
                "在命令末尾加 &amp; 可以放到后台",
                "在命令末尾加 &amp; 可以放到后台",
            ),
            c(
                "entity_table_row",
                "| &amp;  | & : 和号 |",
                "| &amp;  | & : 和号 |",
            ),
            c(
                "markup_source_line",
                "<td class=x>&nbsp;</td>",
                "<td class=x>&nbsp;</td>",
            ),
            c(
                "quoted_in_prose",
                "在网页里写 `&copy;' 得到版权符号",
                "在网页里写 `&copy;' 得到版权符号",
            ),
            c(
                "named_in_english_prose",
                "Write &nbsp; where a line must not break.",
                "Write &nbsp; where a line must not break.",
            ),
        ],
        &ArtifactOptions::default(),
    );
}

#[test]
fn invisible_and_control_characters() {
    check(
        &[
            c(
                "zero_width_space",
                "你\u{200B}好\u{200B}\u{200B}世界",
                "你好世界",
            ),
            c("word_joiner", "你\u{2060}好", "你好"),
            c(
                "bom_inside_text",
                "第一行\n\u{FEFF}第二行",
                "第一行\n第二行",
            ),
            c("bom_at_start", "\u{FEFF}你好", "你好"),
            c("zwj_between_han", "你\u{200D}好", "你好"),
            c("zwnj_after_ascii", "ab\u{200C}cd", "abcd"),
            c(
                "c0_controls",
                "你\u{1}好\u{7}\u{8}世\u{1B}界\u{7F}",
                "你好世界",
            ),
            c("form_feed_vertical_tab", "甲\u{C}乙\u{B}丙", "甲乙丙"),
            c("c1_controls", "你\u{80}好\u{9F}", "你好"),
        ],
        &ArtifactOptions::default(),
    );
    check(
        &[
            c(
                "zwj_emoji_family",
                "👨\u{200D}👩\u{200D}👧",
                "👨\u{200D}👩\u{200D}👧",
            ),
            c(
                "zwj_emoji_after_han",
                "家庭👨\u{200D}👩\u{200D}👧好",
                "家庭👨\u{200D}👩\u{200D}👧好",
            ),
            c(
                "zwj_emoji_vs16",
                "❤\u{FE0F}\u{200D}🔥",
                "❤\u{FE0F}\u{200D}🔥",
            ),
            c("zwnj_persian", "می\u{200C}خواهم", "می\u{200C}خواهم"),
            c("zwj_devanagari", "क्\u{200D}ष", "क्\u{200D}ष"),
            c("tab_inside_line", "名称\t数量", "名称\t数量"),
            c("lrm_kept", "abc\u{200E}def", "abc\u{200E}def"),
            c(
                "ansi_colour_codes_keep_their_esc",
                "\u{1B}[33m作者：\u{1B}[32m《山居秋夜》\u{1B}[m\u{1B}[m",
                "\u{1B}[33m作者：\u{1B}[32m《山居秋夜》\u{1B}[m\u{1B}[m",
            ),
            c(
                "ansi_sequence_cut_short_keeps_its_esc",
                "见\u{1B}[35;1m“~/.profile”\u{1B}[;\u{1B}[34;1m文件\u{1B}[m",
                "见\u{1B}[35;1m“~/.profile”\u{1B}[;\u{1B}[34;1m文件\u{1B}[m",
            ),
        ],
        &ArtifactOptions::default(),
    );
}

#[test]
fn whitespace() {
    check(
        &[
            c("crlf", "第一行\r\n第二行\r\n", "第一行\n第二行\n"),
            c("lone_cr", "第一行\r第二行", "第一行\n第二行"),
            c("trailing_spaces", "你好  \n世界\t", "你好\n世界"),
            c(
                "ideographic_indent",
                "\u{3000}\u{3000}正文第一段。\n\u{3000}\u{3000}正文第二段。",
                "正文第一段。\n正文第二段。",
            ),
            c("nbsp_edges", "\u{A0}你好\u{A0}", "你好"),
            c(
                "blank_runs",
                "甲\n\n\n\n乙\n \n\u{3000}\n丙",
                "甲\n\n乙\n\n丙",
            ),
            c("leading_blank_run", "\n\n\n甲", "\n甲"),
            c("spaces_revealed_by_invisible", "甲 \u{200B}\n乙", "甲\n乙"),
        ],
        &ArtifactOptions::default(),
    );
    check(
        &[
            c("single_blank_line", "甲\n\n乙\n", "甲\n\n乙\n"),
            c("inner_spaces", "A  B\u{3000}C", "A  B\u{3000}C"),
            c("empty", "", ""),
            c("only_newline", "\n", "\n"),
        ],
        &ArtifactOptions::default(),
    );
}

#[test]
fn whitespace_option_off_keeps_line_structure() {
    let mut o = ArtifactOptions::default();
    o.whitespace = false;
    check(
        &[
            c(
                "crlf_kept",
                "甲 \r\n\r\n\r\n乙\u{200B}",
                "甲 \r\n\r\n\r\n乙",
            ),
            c("spaces_kept", "  甲  ", "  甲  "),
        ],
        &o,
    );
}

#[test]
fn opt_in_normalisations_are_off_by_default() {
    check(
        &[
            c("fullwidth_kept", "ＡＢＣ１２３", "ＡＢＣ１２３"),
            c("ascii_comma_kept", "5月20日,江苏省", "5月20日,江苏省"),
            c("fullwidth_comma_kept", "你好，世界", "你好，世界"),
        ],
        &ArtifactOptions::default(),
    );
}

#[test]
fn opt_in_fullwidth_ascii() {
    let mut o = ArtifactOptions::default();
    o.fullwidth_ascii = true;
    check(
        &[
            c("letters_digits", "ＡＢＣ１２３ａｂｃ", "ABC123abc"),
            c("symbols", "１００％＋５＝？", "100%+5=？"),
            c("chinese_punct_kept", "你好，世界！", "你好，世界！"),
        ],
        &o,
    );
}

#[test]
fn opt_in_cjk_punct() {
    let mut o = ArtifactOptions::default();
    o.cjk_punct = CjkPunct::Fullwidth;
    check(
        &[
            c("comma_between_cjk", "5月20日,江苏省", "5月20日，江苏省"),
            c("colon_question", "来源:本站?是吗", "来源：本站？是吗"),
            c(
                "ascii_context_kept",
                "a,b 1:2 你好,world",
                "a,b 1:2 你好,world",
            ),
        ],
        &o,
    );
    o.cjk_punct = CjkPunct::Halfwidth;
    check(
        &[
            c("to_ascii", "你好，世界！（注）", "你好,世界!(注)"),
            c("full_stop_kept", "你好。", "你好。"),
        ],
        &o,
    );
}

#[test]
fn report_offsets_are_code_points_into_the_input() {
    let input = "甲乙\u{200B}丙 &amp; 業(yè)務(wù)產(chǎn)品";
    let (out, report, _) = run_with(input, &ArtifactOptions::default());
    assert_eq!(out, "甲乙丙 & 業務產品");
    let chars: Vec<char> = input.chars().collect();
    for r in &report.repairs {
        let span: String = chars[r.start..r.end].iter().collect();
        assert_eq!(span, r.before, "{r:?}");
    }
    let kinds: Vec<&str> = report.repairs.iter().map(|r| r.kind.as_ref()).collect();
    assert_eq!(
        kinds,
        [
            "invisible",
            "entity",
            "pinyin-gloss",
            "pinyin-gloss",
            "pinyin-gloss"
        ]
    );
}

#[test]
fn adjacent_removals_are_one_repair() {
    let (_, report, _) = run_with("你\u{200B}\u{200B}\u{200B}好", &ArtifactOptions::default());
    assert_eq!(report.repairs.len(), 1);
    assert_eq!((report.repairs[0].start, report.repairs[0].end), (1, 4));
}

#[test]
fn whitespace_is_counted_not_listed() {
    let (_, report, _) = run_with("  甲  \r\n\n\n\n乙", &ArtifactOptions::default());
    assert!(report.repairs.is_empty());
    assert_eq!(report.normalised.lines_trimmed, 1);
    assert_eq!(report.normalised.line_breaks, 1);
    assert_eq!(report.normalised.blank_lines_removed, 2);
}

#[test]
fn idempotent_on_every_case() {
    let inputs = [
        FARM,
        "首頁 ? 新聞 ? 正文\n日期:2023-05-01??來源:本站\n?\n",
        "&amp;amp; \u{200B} \r\n\r\n\r\n x",
        "專業(yè)產(chǎn)品發(fā)展,面向?qū)W科前沿",
    ];
    for input in inputs {
        let (once, _, _) = run_with(input, &ArtifactOptions::default());
        let (twice, _, _) = run_with(&once, &ArtifactOptions::default());
        // Entities decode one level per run, so `&amp;amp;` may change again; nothing
        // else may.
        if !input.contains("&amp;amp;") {
            assert_eq!(once, twice, "{input:?}");
        }
    }
}

/// Each run of adjacent references is measured once: a line of 100,000 of them (kept,
/// as nothing glues them into text) is handled in linear time.
#[test]
fn long_run_of_references_is_linear() {
    let line = format!("x {} y", "&lt;".repeat(100_000));
    let (out, report, _) = run_with(&line, &ArtifactOptions::default());
    assert_eq!(out, line);
    assert!(report.is_empty());
    let glued = format!("甲{}乙", "&gt;".repeat(100_000));
    let (out, _, _) = run_with(&glued, &ArtifactOptions::default());
    assert_eq!(out, format!("甲{}乙", ">".repeat(100_000)));
}
