//! The Latin mojibake pass through the whole repair stage: our own damaged sentences
//! (testdata/latin/positive.tsv, made by scripts/gen_latin_cases.py) come back clean,
//! and our own clean lines in many scripts (testdata/latin/negative.txt) never change.

use zhclean::repair::{RepairReport, Repairer};

fn data(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/testdata/latin/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test data")
}

fn repair(s: &str) -> (String, RepairReport) {
    let mut r = RepairReport::default();
    let out = Repairer::new().repair(s, &mut r).into_owned();
    (out, r)
}

#[test]
fn damaged_sentences_are_restored() {
    let mut failed = Vec::new();
    let mut n = 0;
    for line in data("positive.tsv").lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        let (bad, good, how) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        n += 1;
        let (out, report) = repair(bad);
        if out != good {
            failed.push(format!("{how}: {bad:?} -> {out:?}, want {good:?}"));
        } else {
            assert!(
                !report.repairs.is_empty(),
                "{how}: repaired without a report"
            );
            for r in &report.repairs {
                assert!(
                    r.kind.starts_with("utf8>") || r.kind == "macroman>latin1",
                    "{r:?}"
                );
                assert!(r.start < r.end && r.end <= bad.chars().count(), "{r:?}");
            }
        }
    }
    assert!(n >= 20);
    assert!(
        failed.is_empty(),
        "{} of {n} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn clean_lines_in_many_scripts_never_change() {
    let text = data("negative.txt");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (out, report) = repair(line);
        assert_eq!(out, line, "{report:?}");
        assert!(report.repairs.is_empty(), "{line}: {report:?}");
    }
    // And as one document.
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(repair(&body).0, body);
}

#[test]
fn repair_is_idempotent_on_damaged_sentences() {
    for line in data("positive.tsv").lines().filter(|l| !l.starts_with('#')) {
        let bad = line.split('\t').next().unwrap();
        let (once, _) = repair(bad);
        assert_eq!(repair(&once).0, once, "{bad:?}");
    }
}

/// UTF-8's `©`, `°` and no-break space read as Latin-1 in a line with Chinese text
/// elsewhere: signs of the Latin text around them, not one hanzi each (GBK reads `Â©`
/// as `漏`). Beside hanzi, the same two characters stay GBK's (the mojibake table's
/// `…lone_hanzi_of_the_sign_row_between_hanzi_stays_gbk`).
#[test]
fn utf8_signs_read_as_latin1_beside_chinese_text_are_restored() {
    let cases = [
        (
            "版权所有 Copyright Â© 2021 示例网络科技有限公司",
            "版权所有 Copyright © 2021 示例网络科技有限公司",
        ),
        (
            "发布时间：2023-05-06 10:20Â\u{A0}(阅读 35 次)",
            "发布时间：2023-05-06 10:20\u{A0}(阅读 35 次)",
        ),
        ("今天最高气温 25Â°C 左右", "今天最高气温 25°C 左右"),
    ];
    assert_restored_from_utf8(&cases);
}

/// Asserts that each damaged line of `cases` comes back as its clean form, with every
/// repair undoing UTF-8 read by another decoder.
fn assert_restored_from_utf8(cases: &[(&str, &str)]) {
    for &(bad, good) in cases {
        let (out, report) = repair(bad);
        assert_eq!(out, good, "{report:?}");
        assert!(
            report.repairs.iter().all(|r| r.kind.starts_with("utf8>")),
            "{report:?}"
        );
    }
}

#[test]
fn utf8_symbols_read_as_cp1252_in_chinese_text_are_restored() {
    let cases = [
        ("设置菜单 â†’ 网络 â†’ 代理", "设置菜单 → 网络 → 代理"),
        ("上一页â†’下一页", "上一页→下一页"),
        ("功能列表 â€¢ 导出 â€¢ 打印", "功能列表 • 导出 • 打印"),
    ];
    assert_restored_from_utf8(&cases);
    // `â` before other characters is text, or another damage (`Â©` above).
    for clean in ["法语单词 château 的意思", "价格 â 10 元"] {
        assert_eq!(repair(clean).0, clean);
    }
}
