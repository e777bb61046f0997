//! GBK text read by a strict Big5 decoder (`gbk>big5`): our own lines, damaged here
//! with encoding_rs and the byte-at-a-time loss of older decoders. Each test pins one
//! rule of the mojibake pass and names the miss it fixed.

use std::borrow::Cow;

use zhclean::repair::mojibake::{self, MojibakeOptions};
use zhclean::repair::RepairReport;

#[path = "support/damage.rs"]
mod damage;
use damage::gbk_read_as_strict_big5;

fn repair(text: &str) -> Cow<'_, str> {
    let mut report = RepairReport::default();
    mojibake::repair(text, &MojibakeOptions::default(), &mut report)
}

/// Asserts that every line of `clean`, damaged by `damage`, is repaired back.
fn assert_repaired(clean: &[&str], damage: impl Fn(&str) -> String) {
    let mut failures = Vec::new();
    for &line in clean {
        let input = damage(line);
        let got = repair(&input);
        if got != line {
            failures.push(format!("{input:?} -> {got:?}, want {line:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Asserts that every line of `clean` comes back unchanged.
fn assert_unchanged(clean: &[&str]) {
    for &line in clean {
        assert_eq!(repair(line), line);
    }
}

/// A GBK lead byte of row C8 (`仁` C8CA, `壤` C8C0, `绕` C8C6) that Big5 cannot pair
/// is lost, and the guess for it was a full-width letter (`Ｊ` A3CA: the strict decoder
/// lacks A3C0–A3E1 too), cheaper than an uncommon hanzi: `君子以Ｊ为本。`. Between
/// hanzi a full-width letter (or `＠`) costs more.
#[test]
fn lost_lead_between_hanzi_is_no_fullwidth_letter() {
    assert_repaired(
        &[
            "青山绕古城，溪水向东流。",
            "此地之壤多沙石。",
            "君子以仁为本。",
            "百姓安居，四方无扰。",
            "远方传来嚷声。",
        ],
        gbk_read_as_strict_big5,
    );
}

/// Classical lines, whose hanzi the model finds dear, were left alone: their repairs
/// fell short of the cost ratio a cross-chain span needs. The markers GBK's
/// punctuation becomes (`，` → `ㄛ`, `。` → `﹝`) coming back as punctuation after
/// hanzi are evidence of their own.
#[test]
fn classical_line_with_punctuation_markers_is_repaired() {
    assert_repaired(
        &[
            "孤鸿渺渺，烟波浩荡。",
            "兕觥其觩，旨酒思柔。",
            "鼋鼍鱼鳖，于焉攸处。",
            "蔽芾甘棠，勿翦勿伐。",
            "磬筦將將，降福穰穰。",
            "溱與洧，方渙渙兮。",
        ],
        gbk_read_as_strict_big5,
    );
}

/// A lost lead byte (`仁` C8CA) shifts the rest of a classical line by one byte, so its
/// repair is one character shorter than the damaged text: the markers are counted
/// against the punctuation that comes back, not matched by position.
#[test]
fn classical_line_with_a_lost_byte_and_punctuation_markers_is_repaired() {
    assert_repaired(
        &["兕觥其觩，仁者思柔。", "鸱鸮萧瑟，绕树三匝。"],
        gbk_read_as_strict_big5,
    );
}

/// A Latin letter of HKSCS's row C8 (`ø` C8FB, where GBK has `塞`) inside a run of
/// other misread characters does not rule out GBK read as Big5 (`秦塞曲` → `ボøЖ`);
/// a Latin letter beside a space or an ASCII letter still does.
#[test]
fn hkscs_latin_letter_inside_a_misread_run_allows_the_cross_line() {
    assert_repaired(
        &["秋风萧瑟边塞寒，", "大漠孤烟塞外秋。"],
        gbk_read_as_strict_big5,
    );
}

/// Clean lines that hold the characters these rules look at stay as they are:
/// European words with Latin letters, full-width letters in a word, bopomofo and small
/// forms as themselves.
#[test]
fn clean_lines_near_the_gbk_big5_rules_stay() {
    assert_unchanged(&[
        "Il est allé à Paris, où il a créé un café.",
        "Größe ø 12 mm, Länge 3 m",
        "tuyau ø 40 à l'entrée",
        "请输入ＡＢＣ三个字母。",
        "注音符号ㄅㄆㄇㄈ是拼音的前身。",
        "﹝注﹞见上文。",
        "北京ＩＣ卡",
    ]);
}

/// Both bytes of a GBK character can be lost one at a time (`人` C8 CB before a space:
/// Big5 pairs C8 with nothing, then CB with the space): two U+FFFD in a row were left
/// in place. They are now completed from the common characters whose bytes Big5 loses
/// that way, chosen by context.
#[test]
fn both_bytes_lost_before_a_space_are_completed() {
    assert_repaired(
        &[
            "请联系 个人 客服",
            "这是 私人 文件",
            "授权 给 用户 使用",
            "他们 失去 了 联系",
            "文件 已被 授权 访问",
        ],
        gbk_read_as_strict_big5,
    );
}

/// UTF-8 read as a strict Big5 decoder leaves U+FFFD too (`小時`: E5 B0 8F E6 99 82
/// reads as `撠𤩺` and two U+FFFD): a pair of them that a GBK completion could fill
/// does not keep that chain from repairing the line.
#[test]
fn utf8_read_as_big5_with_two_lost_bytes_stays_utf8() {
    let damaged = "撠𤩺\u{FFFD}\u{FFFD}";
    assert_eq!(repair(damaged), "小時");
}

/// A lost lead byte earlier in the line shifts the rest by one byte, and the line's
/// last byte (`。`'s A3) is lost: `“` open before it gave the closing quote the guess
/// (`老师说：“仁者爱人”`). At the line's end right after a hanzi the full stop wins.
#[test]
fn line_final_full_stop_inside_an_open_quote_is_no_closing_quote() {
    assert_repaired(
        &[
            "老师说：“仁者爱人。",
            "母亲叮嘱道：“路上人多。",
            "先生曰：“然也。",
        ],
        gbk_read_as_strict_big5,
    );
}

/// `s` encoded as GBK and decoded as Big5 by encoding_rs (no byte lost).
fn gbk_read_as_big5(s: &str) -> String {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable, "{s:?} is not GBK");
    let text = encoding_rs::BIG5
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .unwrap_or_else(|| panic!("{s:?} loses bytes as Big5"));
    text.into_owned()
}

/// `s` encoded as Big5 and decoded as GBK (WHATWG: `同` A6 50 is private use there).
fn big5_read_as_gbk(s: &str) -> String {
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(s);
    assert!(!unmappable, "{s:?} is not Big5");
    let (text, _) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
    text.into_owned()
}

/// A table of terminal options starts a line with "the same as" (`同 -opost -isig`):
/// one character at the line's start, before a list of command-line options, whose
/// cross-chain reading is a function word. It was left alone (one character is too
/// short a span, and the private-use character Big5's `同` becomes is no marker).
#[test]
fn lone_character_before_a_list_of_options_reads_as_a_function_word() {
    for line in ["同 -opost -isig -icanon", "同 raw -echo -ixon"] {
        let damaged = gbk_read_as_big5(line);
        assert_eq!(repair(&damaged), line, "{damaged:?}");
        let damaged = big5_read_as_gbk(line);
        assert_eq!(repair(&damaged), line, "{damaged:?}");
    }
    // One option is no list, and an icon before a word stays.
    for line in ["\u{E6B6} Menu", "\u{E6B6} -a Menu", "肮 -opost"] {
        assert_eq!(repair(line), line);
    }
}

/// After a lost lead byte the rest is read one byte late, and a GBK lead byte before a
/// space loses its trail (`。` A1 A3: `\u{FFFD}` before the space). That trail was not
/// guessed when another U+FFFD followed within four bytes (`﹛\u{FFFD} \u{FFFD}`): the
/// window held two lost bytes. The second is the next character's.
#[test]
fn lost_trail_before_a_space_and_another_loss_is_completed() {
    assert_repaired(
        &["请使用缺省。 缺省值为 0", "这里缺点。 缺点 bug"],
        gbk_read_as_strict_big5,
    );
}

/// Traditional text in GBK has characters of its extension rows, whose trail bytes
/// (0x80-0xA0) end no Big5 pair: the lead byte before such a trail is lost, and any
/// lead could have been (`見` D2 8A), too many readings for the guess, which gave up.
/// Up to 126 are now weighed, in lines with few lost bytes.
#[test]
fn lost_lead_before_an_extension_row_trail_is_completed() {
    assert_repaired(
        &[
            "我們今天不見，明天再見。",
            "他們都說很好。",
            "為什麼不見了？",
        ],
        gbk_read_as_strict_big5,
    );
}

/// A byte the Big5 decoder lost on its own (the last byte of a stretch read one byte
/// out of step) before a stretch read in step was taken for a lost GBK lead byte: its
/// guess took the stretch's first byte as its trail, and every character after it was
/// misread, so the stretch was left alone. The lost byte is now a lead only when the
/// bytes after it read no worse that way.
#[test]
fn lone_lost_byte_before_a_stretch_in_step_is_no_lead_byte() {
    use damage::gbk_read_as_big5;
    for line in [
        "我们明天上午九点在学校门口见面。",
        "老师说这本书很有意思，值得一读。",
        "他每天早上跑步，身体一直很好。",
    ] {
        let input = format!("说明：\u{FFFD}{}", gbk_read_as_big5(line));
        let got = repair(&input);
        assert_eq!(got, format!("说明：\u{FFFD}{line}"), "{input:?}");
    }
}

/// Text written a character at a time (`使 用 DES 编 码`) read as Big5 was left alone:
/// each span is one hanzi, so the line-wide evidence for weak cross-chain spans found no
/// adjacent pair to count, though the repaired line reads as words across the spaces.
/// Pairs across one space now count (and the damaged text must have no word across its
/// spaces either).
#[test]
fn hanzi_spaced_one_at_a_time_are_repaired_by_their_words_across_spaces() {
    assert_repaired(
        &[
            "使 用 密 码 登 录 , 然 后 修 改 用 户 名 .",
            "这 个 程 序 用 来 检 查 文 件 系 统 .",
        ],
        gbk_read_as_strict_big5,
    );
}

/// The negative side of the rule above: clean text spaced a character at a time stays.
#[test]
fn clean_hanzi_spaced_one_at_a_time_stay() {
    assert_unchanged(&[
        "使 用 密 码 登 录 , 然 后 修 改 用 户 设 置 .",
        "這 個 程 式 用 來 檢 查 檔 案 系 統 .",
        "床 前 明 月 光 , 疑 是 地 上 霜 .",
        "魑 魅 魍 魉 , 饕 餮 貔 貅 .",
    ]);
}

/// `日期：` read as Big5 is `゜ヽㄩ` (GBK C8D5 C6DA A3BA: Big5's row C6 holds the sound
/// and iteration marks), and two marks in a row counted as a run of Japanese kana, so a
/// date line was left alone. The marks count as kana only after kana, where Japanese
/// writes them; Japanese that has them, and emoticons, stay as they are.
#[test]
fn sound_and_iteration_marks_are_no_japanese_kana() {
    assert_repaired(
        &[
            "更新日期：2023-07-15",
            "发布日期：2024-01-01",
            "生成日期：2022-11-30",
            "修改日期: 2020-02-02",
        ],
        gbk_read_as_strict_big5,
    );
    assert_unchanged(&[
        "いすゞの車を買った。",
        "こゝろの中にしまっておく",
        "ほゞ同じ結果になった。",
        "時々、学校で会います。",
        "今天好开心ヽ(゜∀゜)ノ",
        "谢谢(゜ヽ゜)！",
        "ヾ(゜▽゜)ノ 明天见",
    ]);
}

/// `缺省为` loses its last byte before ASCII (Big5 loses `缺`'s lead C8, reads the rest
/// one byte late, and loses `为`'s trail AA before the space), and the guess after `省`
/// was `委`: running text's `省委` (a province's party committee) is a word of its own,
/// which `缺省` before it rules out. Such a pair's running-text weight is halved after a
/// word (`RUNNING_OVERLAP_SHARE`).
#[test]
fn running_pair_overlapping_the_word_before_weighs_less() {
    assert_repaired(
        &[
            "缺省为 false 时关闭。",
            "这个选项缺省为 no。",
            "它的缺省为 100 毫秒。",
            "输出格式缺省为 text。",
            "其缺省为 /usr/local。",
        ],
        gbk_read_as_strict_big5,
    );
}

/// After a lost lead byte the rest is read one byte late and the line's last trail byte
/// is lost (`而定.`: `定` B6 A8 keeps only B6), and the guess after `而` was `而`:
/// running text's `而而` came from one product review repeated (`不过而而`). The
/// generator counts each distinct line of news and reviews once.
#[test]
fn line_final_guess_after_er_is_no_repeated_er() {
    assert_repaired(
        &["确切的数值要看配置而定.", "然后的步骤依情况而定."],
        gbk_read_as_strict_big5,
    );
}

/// Python's Big5 (`big5hkscs`) reads GBK's `°` `÷` `◎` (A1E3, A1C2, A1F2) as `∼` `‾` `♁`,
/// symbols WHATWG's Big5 has nowhere, so a span holding one could not be read back and
/// the line kept them (`温度不能超过四十度∼，…`). Our lines, damaged by Python.
#[test]
fn python_big5_symbols_of_gbk_punctuation_are_read_back() {
    for (damaged, line) in [
        (
            "恲僅祥夔閉徹侐坋僅∼ㄛ瘁寀赻雄壽儂﹝",
            "温度不能超过四十度°，否则自动关机。",
        ),
        ("參褒僅扢离峈嬝坋∼撈褫﹝", "把角度设置为九十°即可。"),
        ("壺楊堍呾睫岆‾瘍﹝", "除法运算符是÷号。"),
        ("笭猁腔恁砐蚚♁梓堤﹝", "重要的选项用◎标出。"),
    ] {
        assert_eq!(repair(damaged), line, "{damaged:?}");
    }
}

/// After a lost lead byte the rest is read one byte late, and a trail byte is lost before
/// a character that is misread too (`先` CF C8 before `检` BC EC: Big5 loses C8 alone).
/// A trail Big5 would have paired with the byte after it cannot be the lost one, but
/// such completions stayed, at a price a word paid (`前线`, `就想`): the price is
/// higher for Big5's losses (`BIG5_BOUNDARY_PENALTY`).
#[test]
fn lost_trail_before_a_misread_character_is_one_big5_could_lose() {
    assert_repaired(
        &[
            "在使用缺省路由前先检查网络。",
            "如果缺省设置不对就先改配置文件。",
        ],
        gbk_read_as_strict_big5,
    );
}

/// A date standing alone in its line, read as Big5, is hanzi alone between digits
/// (`年`, `月`, `日` read as `爛`, `堎`, `゜`): each span was too short to judge and the
/// line stayed, and two `゜` made it a Japanese line (kana-rich), which no chain but
/// Latin-1 looks at. A span that repairs into dates is evidence of its own, and the
/// sound marks count as kana only after kana.
#[test]
fn date_line_read_as_big5_is_repaired() {
    assert_repaired(
        &[
            "2019年3月7日",
            "1998年12月30日",
            "6月1日至6月15日",
            "发布于 2021年10月2日",
        ],
        gbk_read_as_big5,
    );
}

/// A line of years read as Big5 (`2004爛~2006爛`) has nothing odd in it: `爛` is a
/// common traditional hanzi, so the cheap scan passed the line over, and the one
/// character repeated looked like a decorative rule. GBK's `年` read as Big5 now
/// counts as odd, and a repeated character whose repair reads as dates is no
/// decoration; traditional text with `爛` stays as it is.
#[test]
fn line_of_years_read_as_big5_is_repaired() {
    assert_repaired(
        &["1998年~2003年", "2010年-2012年", "1995年 2005年"],
        gbk_read_as_big5,
    );
    assert_unchanged(&[
        "燦爛",
        "陽光燦爛",
        "2004 燦爛",
        "爛爛爛",
        "煮爛的麵條很好吃。",
    ]);
}
