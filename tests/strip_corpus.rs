//! The strip stage against the synthetic pages in `testdata/strip/` (see its README),
//! plus properties every page must satisfy: kept lines verbatim and in order, a report
//! entry for every dropped line, idempotence.

use std::borrow::Cow;
use std::path::Path;

use zhclean::strip::{HistoryOptions, LineHistory, StripReport, Stripper};

struct Page {
    name: String,
    text: String,
    /// Per page line: Some(true) keep, Some(false) drop, None either / blank.
    want: Vec<Option<bool>>,
}

fn pages() -> Vec<Page> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/strip");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    for p in names {
        let raw = std::fs::read_to_string(&p).unwrap();
        let mut lines = Vec::new();
        let mut want = Vec::new();
        for l in raw.lines() {
            let (mark, body) = match l.char_indices().nth(1) {
                Some((i, _)) => (&l[..1], l[i..].strip_prefix(' ').unwrap_or(&l[i..])),
                None => (l, ""),
            };
            let w = match mark {
                "+" => Some(true),
                "-" => Some(false),
                "~" => None,
                other => panic!("{}: bad marker {other:?}", p.display()),
            };
            want.push(if body.trim().is_empty() { None } else { w });
            lines.push(body);
        }
        out.push(Page {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            text: lines.join("\n") + "\n",
            want,
        });
    }
    assert!(out.len() >= 7, "testdata/strip has the pages");
    out
}

/// Which input lines survive, by in-order subsequence match on exact line text.
fn survivors(input: &str, output: &str) -> Vec<bool> {
    let outs: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut j = 0;
    input
        .lines()
        .map(|l| {
            if !l.trim().is_empty() && j < outs.len() && outs[j] == l {
                j += 1;
                true
            } else {
                false
            }
        })
        .collect()
}

#[test]
fn every_synthetic_page_keeps_and_drops_the_marked_lines() {
    let s = Stripper::new();
    let mut failures = Vec::new();
    for p in pages() {
        let mut r = StripReport::default();
        let out = s.strip(&p.text, &mut r);
        let kept = survivors(&p.text, &out);
        for (i, (w, k)) in p.want.iter().zip(&kept).enumerate() {
            if let Some(w) = w {
                if w != k {
                    let why = r.dropped.iter().find(|d| d.line == i);
                    failures.push(format!(
                        "{}:{}: want {} got {} ({:?}): {}",
                        p.name,
                        i + 1,
                        if *w { "keep" } else { "drop" },
                        if *k { "keep" } else { "drop" },
                        why.map(|d| d.reason.as_str()),
                        p.text.lines().nth(i).unwrap_or("")
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn kept_lines_are_verbatim_in_order_and_every_drop_is_reported() {
    let s = Stripper::new();
    for p in pages() {
        let mut r = StripReport::default();
        let out = s.strip(&p.text, &mut r);
        let kept = survivors(&p.text, &out);
        let input: Vec<&str> = p.text.lines().collect();
        // every non-blank output line is an input line, in order
        let n_out = out.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(n_out, kept.iter().filter(|&&k| k).count(), "{}", p.name);
        for (i, l) in input.iter().enumerate() {
            if l.trim().is_empty() {
                assert!(
                    r.dropped.iter().all(|d| d.line != i),
                    "{}: blank reported",
                    p.name
                );
                continue;
            }
            let reported = r.dropped.iter().any(|d| d.line == i);
            assert_eq!(reported, !kept[i], "{}:{}: report disagrees", p.name, i + 1);
        }
        for d in &r.dropped {
            assert!(!d.reason.is_empty() && d.reason.len() < 40, "{}", d.reason);
        }
    }
}

#[test]
fn stripping_twice_changes_nothing_more() {
    let s = Stripper::new();
    for p in pages() {
        let once = s.strip(&p.text, &mut StripReport::default()).into_owned();
        let mut r = StripReport::default();
        let twice = s.strip(&once, &mut r);
        assert_eq!(twice, once, "{}: {:?}", p.name, r.dropped);
    }
}

#[test]
fn pages_that_must_keep_everything_come_back_borrowed() {
    let s = Stripper::new();
    for name in ["poem.txt", "official_notice.txt", "qa.txt"] {
        let p = pages().into_iter().find(|p| p.name == name).unwrap();
        let mut r = StripReport::default();
        let out = s.strip(&p.text, &mut r);
        assert!(matches!(out, Cow::Borrowed(_)), "{name}: {:?}", r.dropped);
        assert_eq!(out, p.text);
    }
}

#[test]
fn all_boilerplate_page_becomes_empty() {
    let p = pages()
        .into_iter()
        .find(|p| p.name == "all_boilerplate.txt")
        .unwrap();
    let out = Stripper::new().strip(&p.text, &mut StripReport::default());
    assert_eq!(out, "");
}

#[test]
fn reasons_are_the_documented_short_strings() {
    let p = pages()
        .into_iter()
        .find(|p| p.name == "news_simplified.txt")
        .unwrap();
    let mut r = StripReport::default();
    Stripper::new().strip(&p.text, &mut r);
    let reason = |needle: &str| {
        let i = p.text.lines().position(|l| l.contains(needle)).unwrap();
        r.dropped
            .iter()
            .find(|d| d.line == i)
            .unwrap()
            .reason
            .clone()
    };
    assert_eq!(reason("网站首页 >"), "crumb");
    assert_eq!(reason("责任编辑"), "lexicon:责任编辑");
    assert_eq!(reason("分享至"), "lexicon:分享");
    assert_eq!(reason("ICP备"), "lexicon:ICP备");
    assert_eq!(reason("江河市发布夏季防汛"), "feed");
    assert_eq!(reason("相关推荐"), "lexicon:相关推荐");
    assert_eq!(reason("2024-05-18 09:30:12"), "lexicon:来源：");
}

#[test]
fn crlf_and_missing_final_newline_are_preserved() {
    let body =
        "新华网北京消息，今年一季度全国规模以上工业增加值同比增长百分之六，多数行业保持增长态势。";
    let text = format!("分享至\r\n{body}\r\n{body}再补一句。\r\n责任编辑：王某");
    let out = Stripper::new().strip(&text, &mut StripReport::default());
    assert_eq!(out, format!("{body}\r\n{body}再补一句。"));
}

#[test]
fn blank_runs_collapse_only_where_lines_were_dropped() {
    let a = "第一段说明了这次活动的背景和目的，参加的人很多，现场气氛十分热烈。";
    let b = "第二段介绍了活动的具体安排，包括时间、地点以及需要注意的事项。";
    let text = format!("{a}\n\n\n分享至\n\n\n{b}\n\n\n{b}再说一遍，确保大家都能记住。\n");
    let out = Stripper::new().strip(&text, &mut StripReport::default());
    assert_eq!(
        out,
        format!("{a}\n\n{b}\n\n\n{b}再说一遍，确保大家都能记住。\n")
    );
}

#[test]
fn site_repetition_hints_drop_a_recurring_footer_deterministically() {
    let footer = "本站部分内容来自网络，如有问题请与我们联系处理，谢谢大家的理解和支持。";
    let docs: Vec<String> = (0..5)
        .map(|i| {
            format!(
                "第{i}篇文章的正文写在这里，内容各不相同，讲述了一件发生在小城里的新鲜事情，读来颇为有趣。\n{footer}\n"
            )
        })
        .collect();
    let s = Stripper::new();
    let run = || {
        let mut h = LineHistory::new(HistoryOptions::default());
        docs.iter()
            .map(|d| {
                let hints = h.observe(Some("example.org"), d);
                let mut r = StripReport::default();
                (s.strip_with_hints(d, &hints, &mut r).into_owned(), r)
            })
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run());
    // Seen in fewer than two earlier documents: kept; from the third on: dropped.
    assert!(first[0].0.contains(footer) && first[1].0.contains(footer));
    for (out, r) in &first[2..] {
        assert!(!out.contains(footer));
        assert!(r.dropped.iter().any(|d| d.reason == "site-repeated"));
    }
    // Without hints the footer stays (it reads like prose).
    let mut r = StripReport::default();
    assert!(s.strip(&docs[4], &mut r).contains(footer));
}

#[test]
fn odd_input_never_panics() {
    let s = Stripper::new();
    let cases = [
        "\u{0}\u{1}\n\r\r\n\n",
        "？？？？\n。。。\n>>>>\n||||\n",
        "\u{feff}\u{3000}\u{3000}\n\u{a0}",
        "𠀀𠀁𠀂 𪚥，测试。\n",
        "ａｂｃ１２３：－／\n2024年",
        "\r",
    ];
    for c in cases {
        let _ = s.strip(c, &mut StripReport::default());
    }
    // every prefix of a page, cut at every char boundary
    let p = &pages()[0].text;
    for (i, _) in p.char_indices().step_by(7) {
        let _ = s.strip(&p[..i], &mut StripReport::default());
    }
}

#[test]
fn short_text_without_boilerplate_evidence_is_left_alone() {
    let s = Stripper::new();
    for t in ["x", "你好", "今天天气很好\n明天见", "一个标题而已\n"] {
        let mut r = StripReport::default();
        assert_eq!(s.strip(t, &mut r), t, "{:?}", r.dropped);
        assert!(r.is_empty());
    }
    // …but one line of furniture makes a content-free page boilerplate.
    let mut r = StripReport::default();
    assert_eq!(s.strip("今天天气很好\n分享至\n", &mut r), "");
    assert_eq!(r.dropped.len(), 2);
}
