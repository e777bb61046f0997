//! The byte-misaligned gloss in general: for many (intact, lost) character pairs, build
//! the damage a content farm does when its gloss scanner is one GBK byte out of step,
//! and check the pass rebuilds the lost character exactly or leaves the text alone —
//! never a wrong character.

use encoding_rs::GBK;
use pinyin::ToPinyin;
use zhclean::repair::artifacts::{self, ArtifactOptions};
use zhclean::repair::RepairReport;

/// Enough glosses to make the document a content-farm page.
const FARM: &str = "專業(yè)產(chǎn)品發(fā)展,";

const INTACT: &str = "面向我們的公司在中國大學生活動時間方法工作問題經濟社會發展國家技術管理服務";
const LOST: &str = "學習觀點實際關係機構術語電腦網絡數據資訊報導會議體驗標準規劃歷史環境農業";

#[test]
fn misaligned_glosses_are_rebuilt_exactly_or_left_alone() {
    let (mut rebuilt, mut left, mut built) = (0, 0, 0);
    for x in INTACT.chars() {
        let xb = GBK.encode(&x.to_string()).0.into_owned();
        for y in LOST.chars() {
            let yb = GBK.encode(&y.to_string()).0.into_owned();
            let (&[_, a], &[b, c]) = (xb.as_slice(), yb.as_slice()) else {
                continue;
            };
            if !(0x40..=0x7E).contains(&c) {
                continue; // the byte after `)` must survive as ASCII
            }
            // The farm glosses the misaligned window (a, b).
            let pair = [a, b];
            let (glossed, _, _) = GBK.decode(&pair);
            let Some(g) = glossed
                .chars()
                .next()
                .filter(|_| glossed.chars().count() == 1)
            else {
                continue;
            };
            // Content farms gloss traditional forms: GBK bytes outside GB2312.
            let gb = GBK.encode(&g.to_string()).0.into_owned();
            if gb.len() != 2 || (gb[0] >= 0xA1 && gb[1] >= 0xA1) {
                continue;
            }
            let Some(reading) = g.to_pinyin().map(|p| p.with_tone()) else {
                continue;
            };
            built += 1;
            let damaged = format!("{FARM}{x}?{reading}){}後", char::from(c));
            let mut report = RepairReport::default();
            let out = artifacts::repair(&damaged, &ArtifactOptions::default(), &mut report);
            let farm_clean = "專業產品發展,";
            let want = format!("{farm_clean}{x}{y}後");
            let untouched = format!("{farm_clean}{x}?{reading}){}後", char::from(c));
            if out == want {
                rebuilt += 1;
            } else {
                assert_eq!(
                    out, untouched,
                    "wrong rebuild of {x}{y} (glossed {g} {reading})"
                );
                left += 1;
            }
        }
    }
    eprintln!("built {built}, rebuilt {rebuilt}, left {left}");
    assert!(built >= 100, "too few cases: {built}");
    assert!(
        rebuilt * 10 >= built * 9,
        "rebuilt only {rebuilt} of {built}"
    );
}
