//! The repair stage reruns the mojibake pass only on the lines the run before changed
//! and did not leave settled (`repair_lines`). These tests pin that a rerun restricted
//! to those lines decides exactly as a full rerun, that lines outside the given ranges
//! are not looked at, and which repaired lines are settled.

use std::borrow::Cow;
use std::ops::Range;

use zhclean::repair::mojibake::{repair, repair_lines, MojibakeOptions};
use zhclean::repair::RepairReport;

/// UTF-8 bytes of `s` read by the WHATWG GBK decoder.
fn as_gbk(s: &str) -> String {
    encoding_rs::GBK
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

/// GBK bytes of `s` read by the WHATWG windows-1252 decoder.
fn gbk_as_cp1252(s: &str) -> String {
    let (bytes, _, _) = encoding_rs::GBK.encode(s);
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&bytes)
        .0
        .into_owned()
}

/// UTF-8 bytes of `s` read by the WHATWG Big5 decoder (lossy).
fn as_big5(s: &str) -> String {
    encoding_rs::BIG5
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

/// UTF-8 bytes of `s` read by the WHATWG windows-1252 decoder.
fn as_cp1252(s: &str) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

fn docs() -> Vec<(&'static str, String)> {
    let clean = "今天上午，市气象台发布了今年第一个高温预警。";
    let rare = "山间的小路蜿蜒曲折，远处传来鸟鸣。";
    let long_clean = "我们一起去公园散步。".repeat(8_000);
    vec![
        (
            "mojibake lines between clean ones",
            format!(
                "{clean}\n{}\n{rare}\n{}\n  {}  \n{clean}",
                as_gbk("这个软件包提供了一组命令行工具。"),
                as_cp1252("安装完成后，可以运行帮助查看全部选项。"),
                as_gbk("如果输入文件不是编码，程序会先尝试识别编码。")
            ),
        ),
        (
            "a damaged span inside a clean line",
            format!(
                "{clean}{}{rare}\n{rare}",
                as_gbk("这是一段被错误解码的文字")
            ),
        ),
        (
            "double layer and a lost byte",
            format!(
                "{}\n{clean}\n{}",
                as_gbk(&as_gbk("北京欢迎你，中文编码问题。")),
                as_gbk("最高气温可达三十八摄氏度。")
            ),
        ),
        (
            "a line longer than 64 KB",
            format!(
                "{clean}\n{long_clean}{}{long_clean}\n{}",
                gbk_as_cp1252("这是一段被错误解码的文字"),
                as_gbk("软件包的维护者负责更新。")
            ),
        ),
        (
            "a second layer under a single-byte layer",
            format!(
                "{clean}\n{}\n{}",
                as_cp1252(&as_gbk("这个软件包提供了一组命令行工具。")),
                as_cp1252(&as_cp1252("安装完成后，可以运行帮助查看全部选项。"))
            ),
        ),
        (
            "a single-byte layer inside a GBK layer",
            format!(
                "{clean}\n{}",
                as_gbk(&format!(
                    "他来自{}，现在在北京的一家软件公司工作。",
                    as_cp1252("Zürich")
                ))
            ),
        ),
        (
            "damage beside a repair",
            format!(
                "{}{}{clean}\n{}",
                as_gbk("这是一段被错误解码的文字，"),
                gbk_as_cp1252("程序会先尝试识别编码"),
                gbk_as_cp1252("默认配置适合大多数用户。")
            ),
        ),
        (
            "a lossy line a rerun improves",
            format!(
                "{clean}\n{}",
                as_big5("这个软件包提供了一组命令行工具，可以用来转换和压缩文本文件。")
            ),
        ),
        ("clean text only", format!("{clean}\n{rare}\n{clean}")),
    ]
}

/// A rerun on the changed lines only equals a full rerun: same text, same report.
#[test]
fn rerun_on_changed_lines_equals_full_rerun() {
    let o = MojibakeOptions::default();
    for (name, doc) in docs() {
        let mut r0 = RepairReport::default();
        let mut changed: Vec<Range<usize>> = Vec::new();
        let once = repair_lines(&doc, &o, &mut r0, None, &mut changed).into_owned();
        // The same as `repair`.
        let mut r_plain = RepairReport::default();
        assert_eq!(repair(&doc, &o, &mut r_plain), once, "{name}");
        assert_eq!(r_plain, r0, "{name}");
        if once == doc {
            assert!(changed.is_empty(), "{name}: {changed:?}");
            continue;
        }
        let whole = changed.iter().any(|r| r.end == usize::MAX);
        assert_eq!(whole, name.contains("64 KB"), "{name}: {changed:?}");
        if !whole {
            for w in changed.windows(2) {
                assert!(w[0].end <= w[1].start, "{name}: {changed:?}");
            }
            for r in &changed {
                assert!(once.get(r.clone()).is_some(), "{name}: {r:?}");
            }
        }
        let mut full_report = RepairReport::default();
        let full = repair(&once, &o, &mut full_report);
        let mut part_report = RepairReport::default();
        let only = (!whole).then_some(changed.as_slice());
        let mut changed2 = Vec::new();
        let part = repair_lines(&once, &o, &mut part_report, only, &mut changed2);
        assert_eq!(part, full, "{name}");
        assert_eq!(part_report, full_report, "{name}");
    }
}

/// Lines outside the given ranges are not looked at, even when they hold mojibake.
#[test]
fn rerun_skips_lines_outside_the_ranges() {
    let o = MojibakeOptions::default();
    let clean = "今天上午，市气象台发布了今年第一个高温预警。";
    let bad = as_gbk("这个软件包提供了一组命令行工具。");
    let doc = format!("{clean}\n{bad}\n{clean}");
    let first = 0..clean.len();
    let mut r = RepairReport::default();
    let out = repair_lines(&doc, &o, &mut r, Some(&[first]), &mut Vec::new());
    assert!(matches!(out, Cow::Borrowed(_)), "{out}");
    assert!(r.repairs.is_empty());
    let second = clean.len() + 1..clean.len() + 1 + bad.len();
    let out = repair_lines(&doc, &o, &mut r, Some(&[second]), &mut Vec::new());
    assert!(out.contains("这个软件包提供了一组命令行工"), "{out}");
}

/// A line is reported changed (for the rerun) unless it is settled: every odd character
/// lies in a repair of a single layer whose text was searched for a second one (UTF-8
/// read as GBK or as a single-byte code page). GBK read as windows-1252 is not such a
/// layer, and its line is reported, with its byte range in the output.
#[test]
fn settled_lines_are_not_reported_for_the_rerun() {
    let o = MojibakeOptions::default();
    let clean = "今天上午，市气象台发布了今年第一个高温预警。";
    let cases = [
        (as_gbk("这个软件包提供了一组命令行工具。"), false),
        (as_cp1252("安装完成后，可以运行帮助查看全部选项。"), false),
        (gbk_as_cp1252("默认配置适合大多数用户。"), true),
        // The GBK layer's repair brings a single-byte layer to light (`crÃ¨me`), which
        // `double_layer` does not try under GBK: the rerun repairs it.
        (
            as_gbk(&format!(
                "招牌甜点是{}，价格也不贵。",
                as_cp1252("crème brûlée")
            )),
            true,
        ),
    ];
    for (bad, reported) in cases {
        let doc = format!("{clean}\n{bad}\n{clean}");
        let mut r = RepairReport::default();
        let mut changed = Vec::new();
        let out = repair_lines(&doc, &o, &mut r, None, &mut changed);
        assert_ne!(out, doc, "{bad}");
        assert_eq!(changed.len(), usize::from(reported), "{bad}: {changed:?}");
        if reported {
            assert_eq!(out.get(changed[0].clone()), out.lines().nth(1));
        }
        // A settled line: a full rerun finds nothing more in it.
        if !reported {
            assert_eq!(repair(&out, &o, &mut RepairReport::default()), out, "{bad}");
        }
    }
}

/// The rerun is still there for the lines that need it: UTF-8 read as Big5 loses bytes,
/// a first run repairs part of the line, and a second one, with that repair's context,
/// more of it. The line is reported changed, and the stage's own reruns give it.
#[test]
fn a_rerun_still_improves_an_unsettled_line() {
    let o = MojibakeOptions::default();
    let doc = as_big5("这个软件包提供了一组命令行工具，可以用来转换和压缩文本文件。");
    let mut changed = Vec::new();
    let once = repair_lines(&doc, &o, &mut RepairReport::default(), None, &mut changed);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0], 0..once.len());
    let twice = repair(&once, &o, &mut RepairReport::default());
    assert_ne!(twice, once);
    let staged = zhclean::repair::Repairer::new()
        .repair(&doc, &mut RepairReport::default())
        .into_owned();
    assert_ne!(staged, once.into_owned());
}

/// A single-byte layer under a GBK one is repaired by the stage's rerun: the line the
/// GBK repair leaves (`crÃ¨me brÃ»lÃ©e`) is not settled.
#[test]
fn a_single_byte_layer_under_gbk_is_repaired_by_the_rerun() {
    let doc = as_gbk(&format!(
        "招牌甜点是{}，价格也不贵。",
        as_cp1252("crème brûlée")
    ));
    let out = zhclean::repair::Repairer::new().repair(&doc, &mut RepairReport::default());
    assert_eq!(out, "招牌甜点是crème brûlée，价格也不贵。");
}

/// The stage repairs each line of a document as it would the line alone, also when the
/// Latin pass changes a line: the reruns of the mojibake pass then look at the lines
/// the Latin pass changed and at those the mojibake pass left unsettled, found by their
/// numbers (the Latin pass moves their bytes). Unsettled lines (UTF-8 read as Big5, a
/// single-byte layer under GBK) get their second run wherever they stand in the
/// document, and lines between them stay as they are.
#[test]
fn lines_left_unsettled_are_rerun_after_the_latin_pass_changes_another() {
    let latin = as_cp1252("Le café est très bon, merci à vous.");
    let clean = "今天上午，市气象台发布了今年第一个高温预警。";
    let unsettled = [
        as_big5("这个软件包提供了一组命令行工具，可以用来转换和压缩文本文件。"),
        as_gbk(&format!(
            "招牌甜点是{}，价格也不贵。",
            as_cp1252("crème brûlée")
        )),
        as_gbk("如果输入文件不是编码，程序会先尝试识别编码。"),
    ];
    let stage = zhclean::repair::Repairer::new();
    let alone = |line: &str| {
        stage
            .repair(line, &mut RepairReport::default())
            .into_owned()
    };
    for order in 0..4 {
        // The Latin line before, between and after the others.
        let mut lines: Vec<String> = vec![clean.to_string()];
        lines.extend(unsettled.iter().cloned());
        lines.push(clean.to_string());
        lines.insert(order * 2 % lines.len(), latin.clone());
        let doc = lines.join("\n");
        let out = stage.repair(&doc, &mut RepairReport::default());
        let each: Vec<String> = lines.iter().map(|l| alone(l)).collect();
        assert_eq!(out, each.join("\n"), "Latin line at {order}");
        assert!(out.contains("Le café est très bon"));
    }
}
