//! Property tests of the strip stage on page-shaped documents: articles of our own clauses
//! between navigation, widgets, bylines, feeds, symbol and digit lines, section headings
//! and blank lines, shuffled and repeated at random. The fuzzer found every
//! non-idempotence of strip on garbage (`tests/properties.rs`); these pages reach the same
//! rules with the shapes they were written for.
//!
//! - stripping keeps whole lines of its input, verbatim and in order;
//! - stripping is idempotent: `strip(strip(x)) == strip(x)`;
//! - the whole cleaner is idempotent on such pages.
//!
//! `PROPTEST_CASES=5000 cargo test --release --test strip_properties` searches longer.

use proptest::prelude::*;
use zhclean::strip::{StripReport, Stripper};
use zhclean::Cleaner;

#[path = "support/clauses.rs"]
mod support;

/// Page furniture written for this test, in the styles the strip rules know.
const FURNITURE: &[&str] = &[
    "首页 > 新闻中心 > 国内新闻",
    "分享到：微信 微博 QQ空间",
    "相关推荐",
    "责任编辑：王小明",
    "版权所有 © 2024 某某网 京ICP备12345678号-1",
    "上一篇：城市公园将延长开放时间",
    "2024-05-01 10:23:45",
    "2024年5月1日",
    "来源：某某日报 2024-05-01 08:00",
    "点击查看更多>>",
    "【热门】春季赏花好去处推荐……",
    "扫一扫，关注我们",
    "免责声明：本文仅代表作者观点，与本网无关。",
    "网友评论",
    "登录 | 注册",
    "阅读 1234",
    "特此通知。",
    "某某市教育局",
];

/// Lines that are only symbols, digits or a section heading.
const MARKS: &[&str] = &[
    "※※※",
    "ç",
    "——————",
    "1234",
    "①",
    "生平[编辑]",
    "早年经历[编辑]",
    "参考资料[编辑]",
    "│ 名称 │ 数量 │",
    "＿＿＿＿。",
];

/// A page of up to 40 lines drawn from prose (long and short), furniture, marks and
/// blank lines. Prose comes from a small pool so that lines repeat.
fn page() -> impl Strategy<Value = String> {
    let clauses = support::clauses(support::SIMPLIFIED);
    let pool: Vec<String> = (0..24)
        .map(|i| {
            let n = 1 + (i * 7) % 6;
            (0..n)
                .map(|j| clauses[(i * 31 + j * 17) % clauses.len()].as_str())
                .collect()
        })
        .collect();
    let line = prop_oneof![
        5 => proptest::sample::select(pool),
        3 => proptest::sample::select(FURNITURE).prop_map(str::to_string),
        2 => proptest::sample::select(MARKS).prop_map(str::to_string),
        2 => Just(String::new()),
    ];
    proptest::collection::vec(line, 0..40).prop_map(|l| l.join("\n"))
}

fn strip(stripper: &Stripper, s: &str) -> String {
    stripper.strip(s, &mut StripReport::default()).into_owned()
}

proptest! {
    #[test]
    fn stripping_keeps_whole_lines_in_order_and_is_idempotent(s in page()) {
        let stripper = Stripper::new();
        let once = strip(&stripper, &s);
        let mut input = s.lines();
        for kept in once.lines().filter(|l| !l.is_empty()) {
            prop_assert!(input.any(|l| l == kept), "{:?} is not a line of the input, in order", kept);
        }
        prop_assert_eq!(strip(&stripper, &once), once);
    }

    #[test]
    fn cleaning_pages_is_idempotent(s in page()) {
        let c = Cleaner::new();
        let once = c.clean(&s).text.into_owned();
        prop_assert_eq!(c.clean(&once).text.into_owned(), once);
    }
}
