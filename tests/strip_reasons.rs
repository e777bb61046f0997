//! Table-driven: one boilerplate kind per row, in simplified and traditional text. Each
//! row is a short synthetic page (an article paragraph pair around the line under test)
//! and the reason the line under test must be dropped with (a traditional line reports the
//! simplified entry it folds to).

use zhclean::strip::{StripReport, Stripper};

const P1: &str = "市图书馆昨天正式开放夜间阅览服务，每天延长开放至晚上十点，方便上班族下班后前来借阅图书和自习。";
const P2: &str = "馆方介绍，夜间开放期间将增派工作人员，并开通自助借还设备，读者可以通过手机预约座位，避免排队等候。";

/// (line under test, where it goes, expected reason)
const CASES: &[(&str, Where, &str)] = &[
    ("首页 > 新闻 > 本地 > 正文", Where::Top, "crumb"),
    ("首頁 » 新聞 » 正文", Where::Top, "crumb"),
    ("当前位置：首页 > 文化", Where::Top, "lexicon:当前位置"),
    ("新闻 | 体育 | 财经 | 娱乐 | 科技", Where::Top, "menu"),
    (
        "来源：城市晚报  2024-03-02 08:00",
        Where::Top,
        "lexicon:来源：",
    ),
    ("來源：城市晚報", Where::Top, "lexicon:来源："),
    ("发布时间：2024-03-02", Where::Top, "lexicon:发布时间"),
    ("2024-03-02 08:00:15", Where::Top, "timestamp"),
    (
        "Saturday, March 2nd, 2024   10:56 am",
        Where::Top,
        "timestamp",
    ),
    ("March 2, 2024 at 7:32 pm", Where::Bottom, "timestamp"),
    ("分享到：", Where::Top, "lexicon:分享"),
    ("扫一扫", Where::Bottom, "lexicon:扫一扫"),
    ("掃一掃 分享到朋友圈", Where::Bottom, "lexicon:扫一扫"),
    ("责任编辑：赵某", Where::Bottom, "lexicon:责任编辑"),
    ("責任編輯：趙某", Where::Bottom, "lexicon:责任编辑"),
    ("【打印】【关闭】", Where::Bottom, "lexicon:打印"),
    (
        "免责声明：本站内容仅供参考。",
        Where::Bottom,
        "lexicon:免责声明",
    ),
    ("京ICP备00000000号", Where::Bottom, "lexicon:ICP备"),
    (
        "京公网安备 11000000000000号",
        Where::Bottom,
        "lexicon:公网安备",
    ),
    (
        "Copyright © 2024 Example Inc.",
        Where::Bottom,
        "lexicon:Copyright",
    ),
    ("版權所有 不得轉載", Where::Bottom, "lexicon:版权所有"),
    ("客服电话 010-12345678", Where::Bottom, "lexicon:客服"),
    ("王先生 13812345678", Where::Bottom, "contact"),
    ("http://www.example.com/news/1.html", Where::Bottom, "link"),
    ("12345", Where::Bottom, "digits"),
    ("↑ ↓ ←", Where::Bottom, "symbols"),
    ("上一篇：春季花展开幕", Where::Bottom, "lexicon:上一篇"),
    ("加载更多", Where::Bottom, "lexicon:加载"),
    ("相关推荐", Where::Bottom, "lexicon:相关推荐"),
    ("網友評論", Where::Bottom, "lexicon:网友评论"),
    (
        "凡本网注明来源的作品，版权均属本网所有，转载须经授权。",
        Where::Bottom,
        "legal",
    ),
];

#[derive(Clone, Copy)]
enum Where {
    Top,
    Bottom,
}

#[test]
fn each_boilerplate_kind_is_dropped_with_its_reason() {
    let s = Stripper::new();
    let mut failures = Vec::new();
    for &(line, at, want) in CASES {
        let (text, idx) = match at {
            Where::Top => (format!("{line}\n{P1}\n{P2}\n"), 0),
            Where::Bottom => (format!("{P1}\n{P2}\n{line}\n"), 2),
        };
        let mut r = StripReport::default();
        let out = s.strip(&text, &mut r);
        let got = r
            .dropped
            .iter()
            .find(|d| d.line == idx)
            .map(|d| d.reason.as_str());
        if got != Some(want) {
            failures.push(format!("{line:?}: want {want:?}, got {got:?}"));
        }
        // the article itself is always kept, verbatim
        if !(out.contains(P1) && out.contains(P2)) {
            failures.push(format!("{line:?}: article lost: {out:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn weak_lines_after_a_terminator_go_but_strong_prose_resumes() {
    let s = Stripper::new();
    let related = "另一篇相关的新闻标题在这里";
    let text = format!("{P1}\n{P2}\n相关阅读\n{related}\n");
    let mut r = StripReport::default();
    let out = s.strip(&text, &mut r);
    assert!(!out.contains(related));
    assert_eq!(
        r.dropped.iter().find(|d| d.line == 3).unwrap().reason,
        "after-terminator"
    );
}

#[test]
fn a_short_subheading_between_paragraphs_is_kept() {
    let text = format!("{P1}\n夜间服务\n{P2}\n");
    let out = Stripper::new().strip(&text, &mut StripReport::default());
    assert_eq!(out, text);
}

#[test]
fn a_subheading_next_to_boilerplate_is_not_rescued() {
    // smoothing must not pull a short line across a lexicon hit
    let text = format!("{P1}\n{P2}\n分享至\n夜间服务\n");
    let out = Stripper::new().strip(&text, &mut StripReport::default());
    assert_eq!(out, format!("{P1}\n{P2}\n"));
}

#[test]
fn repeated_headline_pairs_in_a_feed_go() {
    let mut feed = String::new();
    for i in 0..4 {
        feed.push_str(&format!(
            "第{i}条推荐新闻的标题\n第{i}条推荐新闻的标题\n晚报\n2024-03-0{i} 10:00\n"
        ));
    }
    let text = format!("{P1}\n{P2}\n{feed}");
    let out = Stripper::new().strip(&text, &mut StripReport::default());
    assert_eq!(out, format!("{P1}\n{P2}\n"));
}
