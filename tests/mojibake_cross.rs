//! The cross chains of the mojibake pass (Big5 read as GBK, GBK read as Big5) on lines
//! whose damaged spans are each too short to stand on their own: our own lines, in the
//! style of translated manual pages, damaged here with encoding_rs.

use std::borrow::Cow;

use zhclean::repair::mojibake::{self, MojibakeOptions};
use zhclean::repair::RepairReport;

#[path = "support/damage.rs"]
mod damage;
use damage::{big5_read_as_gbk, gbk_read_as_big5, gbk_read_as_strict_big5};

fn repair(text: &str) -> (Cow<'_, str>, RepairReport) {
    let mut report = RepairReport::default();
    let out = mojibake::repair(text, &MojibakeOptions::default(), &mut report);
    (out, report)
}

/// Asserts that every line of `clean`, damaged by `damage`, is repaired back.
fn assert_repaired(clean: &[&str], damage: impl Fn(&str) -> String) {
    let mut failures = Vec::new();
    for &line in clean {
        let input = damage(line);
        let (got, _) = repair(&input);
        if got != line {
            failures.push(format!("{input:?} -> {got:?}, expected {line:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Asserts that every line of `clean` comes back unchanged and borrowed.
fn assert_unchanged(clean: &[&str]) {
    for &line in clean {
        let (got, report) = repair(line);
        assert!(
            matches!(got, Cow::Borrowed(_)) && report.repairs.is_empty(),
            "clean line changed: {line:?} -> {got:?} ({report:?})"
        );
    }
}

/// Big5 read as GBK turns a short traditional term between ASCII words into one or two
/// characters that are each only a weak candidate (`由` → `パ`, `引數` → `ま计`,
/// `。` → private use): the line is repaired because that one chain explains all of
/// its non-ASCII text.
const BIG5_SHORT_SPANS: [&str; 9] = [
    "由 Alice Chen 與 Bob Wang 編寫。",
    "由 Karl Berg 維護。",
    "引數 ARGUMENTS",
    "用 gzip 壓縮。",
    "技巧 HINTS",
    "由 GNU 計畫發佈。",
    "參見 ls 與 cp",
    "由 root 執行。",
    "由 cron 啟動。",
];

#[test]
fn big5_read_as_gbk_line_of_short_weak_spans_is_repaired_as_a_whole() {
    assert_repaired(&BIG5_SHORT_SPANS, big5_read_as_gbk);
}

/// The same for GBK read as Big5 (`和` → `睿`, `“` → `※`).
#[test]
fn gbk_read_as_big5_line_of_short_weak_spans_is_repaired_as_a_whole() {
    assert_repaired(
        &["参见 ls 和 cp", "环境变量 PATH 和 HOME", "使用 bash “"],
        gbk_read_as_big5,
    );
}

/// One symbol between ASCII words is a connective read with the wrong table
/// (`或` → `┪`, `和` → `㎝`); `〃` is Big5's `”` read as GBK.
#[test]
fn big5_read_as_gbk_lone_symbol_connective_and_ditto_quotes_are_repaired() {
    assert_repaired(
        &["-v 或 --verbose", "-l 或 --long", "TCP 和 UDP", "”*”星號)"],
        big5_read_as_gbk,
    );
}

/// A line with a strong repair of the chain takes its short spans along (`麼` → `或`
/// after `(嗣蚚誧賜醱)` → `(多用户界面)`).
#[test]
fn gbk_read_as_big5_short_span_beside_a_strong_repair_is_repaired_too() {
    assert_repaired(&["multi-user.target(多用户界面) 或"], gbk_read_as_big5);
}

/// Classical text has uncommon hanzi (`阙`, `邙`, `泾`); between the chain's markers
/// (`ㄛ` for `，`, `﹝` for `。`) a few are allowed.
#[test]
fn gbk_read_as_big5_classical_line_with_uncommon_hanzi_is_repaired() {
    assert_repaired(
        &[
            "剑号巨阙，珠称夜光。果珍李柰，菜重芥姜。",
            "爱育黎首，臣伏戎羌。遐迩一体，率宾归王。",
            "背邙面洛，浮渭据泾。宫殿盘郁，楼观飞惊。",
        ],
        gbk_read_as_big5,
    );
}

/// A strict Big5 decoder loses the GBK lead byte of `普` (C6 D5), a pair the WHATWG
/// table maps (`癶`): the lost lead is completed from the pairs such decoders lack.
#[test]
fn gbk_read_as_strict_big5_lost_lead_that_whatwg_big5_maps_is_completed() {
    assert_repaired(
        &["请使用普通用户登录。", "这只是一个普通的例子。"],
        gbk_read_as_strict_big5,
    );
}

/// Lines the cheap scan passed over: a short line whose two odd characters are far
/// apart (`把ǎ ls 籔 cp`), and a long one whose odd characters are far apart but one is
/// private use (`陪ボ龄絃北\u{E7D1}`: four apart).
#[test]
fn big5_read_as_gbk_line_with_odd_characters_far_apart_is_looked_at() {
    assert_repaired(
        &[
            "參見 ls 與 cp",
            "-k 關閉鍵盤控制 (keyboard) (預設)",
            "8 = 0x8 - 隱藏鍵盤控制 (HIDE, raw) (關閉)",
            "顯示鍵盤控制 = 0x6 (SHOW) (開啟)",
        ],
        big5_read_as_gbk,
    );
}

/// Clean lines near the rule: Japanese titles of one kana or two kanji beside ASCII,
/// kana and symbols (`〃`, `㎝`, Cyrillic) beside ASCII, private-use icons, bopomofo,
/// decorative rules and marks, and the repaired lines themselves.
const CROSS_NEGATIVES: [&str; 50] = [
    "履歴 (HISTORY)",
    "参照 ls(1)",
    "ファイル /etc/passwd を参照",
    "名前 NAME",
    "書式 SYNOPSIS",
    "オプション -v と --verbose",
    "作者 John Smith",
    "バグ BUGS",
    "例 EXAMPLES",
    "ノート PC を買った",
    "ま、いいか",
    "長さ 10 ㎝ x 20 ㎝",
    "〃 同上",
    "Width 10 ㎝ x 20 ㎝",
    "size: 10 ㎝",
    "A ┪ 10",
    "Home ┃ About",
    "x ㎝",
    "〃 〃 〃",
    "﹏﹏﹏﹏﹏",
    "★★★☆☆ 評分",
    "ㄉㄜ˙ 的",
    "ㄅㄆㄇㄈ 注音符號",
    "﹝注﹞ 見上文",
    "※ 注意事項 ※",
    "▲ 上一頁 ▼ 下一頁",
    "《詩經》 ◎ 國風",
    "\u{E600} 首页 Home",
    "\u{E6B6} Menu \u{E601}",
    "\u{E602} 设置 \u{E603} 退出",
    "\u{E60C} Share \u{E60D} Like \u{E60E} Top",
    "\u{E6B6}\u{E601} Menu",
    "А Б В",
    "データ DATA",
    "戻り値 RETURN VALUE",
    "環境変数 PATH",
    "第 3 章 ファイル操作",
    "図 1 の ア と イ",
    "ボタン OK を押す",
    "株式会社 ABC",
    "用 diff 比較。",
    "歷史 HISTORY",
    "由 Alice Chen 與 Bob Wang 編寫。",
    "引數 ARGUMENTS",
    "技巧 HINTS",
    "參見 ls 與 cp",
    "由 root 執行。",
    "参见 ls 和 cp",
    "使用 bash “",
    "-k 關閉鍵盤控制 (keyboard) (預設)",
];

#[test]
fn cross_chain_line_rule_leaves_clean_japanese_traditional_and_icon_lines_alone() {
    assert_unchanged(&CROSS_NEGATIVES);
}

/// French text read as a whole line of Big5 read as GBK: GBK has the pinyin letters, so
/// `créé` and `qu’un` re-read as `cr谷谷` and `qu＊un` (a find on Debian's French
/// reference after the whole-line rule landed); and a standalone Latin letter pair
/// that Big5 reads only through HKSCS is no GBK read as Big5.
#[test]
fn cross_chain_line_rule_leaves_european_words_alone() {
    assert_unchanged(&[
        "Une fois qu’un fichier est créé, vous pouvez le lire",
        "L’image peut être créée à l’aide de l’outil",
        "n’a pas été proprement créé par le paquet",
        "see §ø here",
    ]);
}
