//! Issue #7, properties of the JSONL filter through the real binary, all stages on:
//! - one output line per input line, in order; malformed lines come back byte for byte;
//! - a record's other fields are untouched and its text is what the library's
//!   `Cleaner::new()` makes of it (the CLI adds no policy of its own to the text);
//! - the output is the same under any `-j` (with `--line-buffered`, every record is its
//!   own batch, so even small inputs are spread over the workers);
//! - splitting the input at a record boundary and cleaning the parts gives the same
//!   output as cleaning the whole;
//! - the exit status is 1 exactly when some line had a problem, else 0.

#[path = "support/run.rs"]
mod run_support;
#[path = "support/clauses.rs"]
mod support;
use run_support::run;

use proptest::prelude::*;
use serde_json::Value;
use zhclean::Cleaner;

/// Boilerplate lines written for this test, in the style of Chinese news pages.
const FURNITURE: &[&str] = &[
    "首页 > 新闻中心 > 正文",
    "分享到：微信 微博 QQ空间",
    "责任编辑：李明",
    "相关推荐",
    "版权所有 © 2024 某某网 京ICP备12345678号",
    "上一篇：没有了  下一篇：春季招生简章",
    "扫一扫，关注我们",
];

/// One piece of a line: clean simplified or traditional text, text turned into mojibake
/// (UTF-8 read as GBK), furniture, pinyin glosses, entities, ASCII, emoji.
fn piece() -> impl Strategy<Value = String> {
    let simp = support::clauses(support::SIMPLIFIED);
    let trad = support::clauses(support::TRADITIONAL);
    let (ns, nt) = (simp.len(), trad.len());
    let simp2 = simp.clone();
    prop_oneof![
        4 => (0..ns).prop_map(move |i| simp[i].clone()),
        2 => (0..nt).prop_map(move |i| trad[i].clone()),
        1 => (0..ns).prop_map(move |i| {
            let (s, _, _) = encoding_rs::GBK.decode(simp2[i].as_bytes());
            s.into_owned()
        }),
        1 => proptest::sample::select(FURNITURE).prop_map(str::to_string),
        1 => proptest::sample::select(vec![
            "行業(háng yè)", "&amp;", "&nbsp;", "😀", "Zürich", "\t", " ", "?", "\u{FFFD}", "GPU",
        ])
        .prop_map(str::to_string),
        1 => "[A-Za-z0-9 ]{1,12}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    let line = proptest::collection::vec(piece(), 1..6).prop_map(|p| p.concat());
    (proptest::collection::vec(line, 1..8), any::<bool>())
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }))
}

/// A JSON string literal with every non-ASCII character written as `\uXXXX`.
fn ascii_literal(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An input line: a record (text literal plain or escaped) or a malformed line.
#[derive(Debug, Clone)]
enum Line {
    Record {
        id: u32,
        text: String,
        escaped: bool,
    },
    Malformed(Vec<u8>),
}

impl Line {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Line::Record { id, text, escaped } => {
                let lit = if *escaped {
                    ascii_literal(text)
                } else {
                    serde_json::to_string(text).unwrap()
                };
                format!(r#"{{"id":{id},"text":{lit},"meta":{{"src":"站点","n":[1,2.5,null]}}}}"#)
                    .into_bytes()
            }
            Line::Malformed(b) => b.clone(),
        }
    }
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        6 => (any::<u32>(), document(), any::<bool>())
            .prop_map(|(id, text, escaped)| Line::Record { id, text, escaped }),
        1 => proptest::sample::select(vec![
            b"not json".to_vec(),
            br#"{"text": 5}"#.to_vec(),
            br#"{"id": 1}"#.to_vec(),
            b"[1,2]".to_vec(),
            b"".to_vec(),
            br#"{"text":"unterminated"#.to_vec(),
            b"{\"text\":\"\xff\xfe\"}".to_vec(),
        ])
        .prop_map(Line::Malformed),
    ]
}

fn join(lines: &[Line]) -> Vec<u8> {
    let mut v = Vec::new();
    for l in lines {
        v.extend(l.bytes());
        v.push(b'\n');
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn jsonl_filter_keeps_records_aligned_and_agrees_with_the_library(
        lines in proptest::collection::vec(line(), 1..12),
        split in any::<prop::sample::Index>(),
    ) {
        let input = join(&lines);
        let base = ["--format", "jsonl", "--field", "text", "--no-progress"];
        let one = run(&base, &input);
        let problems = lines.iter().any(|l| matches!(l, Line::Malformed(_)));
        prop_assert_eq!(one.status.code(), Some(problems as i32),
            "stderr: {}", String::from_utf8_lossy(&one.stderr));

        // One line out per line in, in order; the text is the library's, the rest intact.
        let out: Vec<&[u8]> = one.stdout.split(|&b| b == b'\n').collect();
        prop_assert_eq!(out.len(), lines.len() + 1, "one line per record");
        prop_assert!(out[lines.len()].is_empty());
        let cleaner = Cleaner::new();
        for (l, o) in lines.iter().zip(&out) {
            match l {
                Line::Malformed(b) => prop_assert_eq!(&b[..], *o),
                Line::Record { id, text, .. } => {
                    let v: Value = serde_json::from_slice(o).expect("a record stays JSON");
                    let expected = cleaner.clean(text).text.into_owned();
                    prop_assert_eq!(v["text"].as_str(), Some(expected.as_str()));
                    prop_assert_eq!(&v["id"], &Value::from(*id));
                    prop_assert_eq!(
                        &v["meta"],
                        &serde_json::json!({"src": "站点", "n": [1, 2.5, null]})
                    );
                    prop_assert_eq!(v.as_object().unwrap().len(), 3);
                }
            }
        }

        // The same bytes under any -j, every record its own batch.
        for j in ["1", "2", "3"] {
            let mut args = base.to_vec();
            args.extend(["--line-buffered", "-j", j]);
            let o = run(&args, &input);
            prop_assert!(o.stdout == one.stdout, "-j {} differs", j);
        }

        // Cleaning the parts gives the whole.
        let k = split.index(lines.len() + 1);
        let mut parts = run(&base, &join(&lines[..k])).stdout;
        parts.extend(run(&base, &join(&lines[k..])).stdout);
        prop_assert!(parts == one.stdout, "split at record {} differs", k);
    }
}
