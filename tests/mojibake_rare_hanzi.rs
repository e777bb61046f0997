//! Clean lines with rarer hanzi side by side (GB2312 level 2: `蜿蜒`, `蹒跚`) are sent
//! to the candidate search by the cheap scan; the UTF-8 chains skip such a line when
//! none of its odd characters can come out of a decoder reading UTF-8 (their GBK or
//! Big5 bytes never follow each other in UTF-8). These cases pin both halves: the clean
//! lines stay as they are, and the same lines with a span of UTF-8 read as GBK in them
//! are still repaired (the skip must not hide real mojibake). Every line is ours.

#[path = "support/damage.rs"]
mod damage;
use damage::{repair, utf8_read_as_gbk};

/// (clean line with rare hanzi side by side, a word of it to damage: an even number of
/// hanzi, so that no byte is lost at its end)
const LINES: &[(&str, &str)] = &[
    ("河边的小路蜿蜒向前，一直通到山脚下的村子。", "村子"),
    ("老人拄着拐杖蹒跚而行，走到门口停下来歇了一会儿。", "门口"),
    ("窗外的梧桐树叶簌簌作响，屋里的灯一直亮到深夜。", "屋里"),
    ("这只小狗浑身湿漉漉的，趴在台阶上一动不动。", "台阶"),
    ("他们在峡谷里跋涉了三天，终于看见了远处的炊烟。", "终于看见"),
];

#[test]
fn clean_lines_with_rare_hanzi_side_by_side_are_unchanged() {
    for &(line, _) in LINES {
        assert_eq!(repair(line), line);
    }
}

#[test]
fn utf8_read_as_gbk_beside_rare_hanzi_is_still_repaired() {
    let mut failures = Vec::new();
    for &(line, word) in LINES {
        let input = line.replacen(word, &utf8_read_as_gbk(word), 1);
        assert_ne!(input, line);
        let got = repair(&input);
        if got != line {
            failures.push(format!("{input:?}: got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
