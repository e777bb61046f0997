//! Context rules for guessed punctuation marks.
//!
//! A byte lost by a WHATWG GBK decoder is the last byte of the UTF-8 character before
//! an ASCII character (or the end of the text), so a lost punctuation mark stands
//! before a space, ASCII text or the line's end, and its first bytes leave a block of
//! marks to choose from (`，：；？！（）…`, `、。《》…`, `“”‘’…`, `─━│…`). Without
//! context the cheapest mark of the block wins; these rules are facts of Chinese
//! punctuation that point to another one:
//!
//! - a colon ends a line after a word that announces what follows (`如下`, `例如`,
//!   `包括`, `是`, …) or whose last clause holds "the following" (`可以读取以下几种文件：`),
//!   ends a line of one clause that gives an instruction (`创建一个表：`, before the
//!   example; not with a condition in it: `启动服务如果失败，`),
//!   stands right before ASCII text after a word that announces an example or a
//!   syntax (`格式：YYYY-MM-DD`, `如下：-v`),
//!   and stands after `见` before a space or a reference (`请见：<https://…>`), before
//!   a bracketed reference after a space (`在线帮助： <https://…>`), after a label
//!   before its number (`发布日期：2024-05-01`, or a short label that opens the line:
//!   `邮编：100080`), before a format directive (`无法打开文件：%s`), and at the end of
//!   a numbered item's heading (`三、报考条件：`), of a line of a short label alone
//!   (`联系方式：`) or of a line of one phrase of middle length (`本周热门文章推荐：`);
//! - a question mark ends a line whose clause asks (`吗`, `呢`, `谁`, `如何`, `什么`, `能否`,
//!   `多少`, `到底`, …; not `到底` right before the mark: `坚持到底，`),
//!   and follows `吗` before a space;
//! - an enumeration comma (`、`), not a full stop, separates short items: a full-stop
//!   slot with another one a few characters away and no punctuation between is a list,
//!   and so is one between a date and the next one's number (`7月8日、15日`);
//! - a quote before a space closes (`”`, `’`), and a single quote closes when one is
//!   open before it on the line; at the line's end right after a hanzi a full stop
//!   stands, not a closing quote (which follows the full stop: `。”`);
//! - in a title (`《…`) a mark after a hanzi is the hyphenation point that divides
//!   its parts (`《詩經‧ 國風‧ 鄭‧ 子衿》`);
//! - a lone box-drawing line before a space or the line's end, or after a `│` of the
//!   same line (a table row), is vertical (`│`): horizontal lines come in runs;
//! - after `。`, `？` or `！` at the line's end a quote closes (`。”`);
//! - a double quote open on the line closes after a hanzi, where no hanzi follows;
//!   an opening quote does not end a line right after a word; at the line's end
//!   after a hanzi with no double quote open the text trails off (`…`), and after `…`
//!   or `—` comes its second half (`……`, `——`);
//! - an exclamation mark ends a line after another one or after a particle that
//!   exclaims or urges (`感谢！！`, `好美啊！`, `走吧！`).
//!
//! Each rule is a bonus (against twice a character's cost, as in `context_pass`) for
//! the marks it points to; the rules look at a bounded window, so the cost per guess
//! is constant.

use super::{is_han, Tok};

/// How many characters before a guess the rules look at.
const BACK: usize = 24;

/// How many tokens apart two full-stop slots may be and still be items of one list.
const LIST_SPAN: usize = 10;

/// Bonus for the mark a rule points to.
const RULE_BONUS: f32 = 1.0;

/// Bonus for a vertical line in a table row ([`Around::table_row`]): it has to outweigh
/// twice the higher cost of `│` than of `─` (3.5 against 2.5).
const TABLE_BONUS: f32 = 2.5;

/// Bonus for a closing quote before a space; it outweighs the penalty for a closer
/// without an opener on the line (the opener may be on the line before).
const CLOSE_BONUS: f32 = 1.5;

/// Bonus for the hyphenation point `‧` inside a title (`《詩經‧ 國風》`): it has to
/// outweigh the cost of a rare symbol against a quote's.
const TITLE_DOT_BONUS: f32 = 9.0;

/// Words that announce what follows: a line ending in one of them ends in a colon.
/// Sorted by length, longest first, so the longest match is tried first.
const INTRODUCERS: [&str; 25] = [
    "如下所示",
    "如下",
    "以下",
    "下列",
    "例如",
    "比如",
    "譬如",
    "例子",
    "包括",
    "包含",
    "所示",
    "这样",
    "這樣",
    "之一",
    "语法",
    "語法",
    "格式",
    "参见",
    "參見",
    "详见",
    "詳見",
    "是",
    "曰",
    "为",
    "為",
];

/// Verbs that start an instruction: a line of one clause that starts with one ends in
/// a colon, before the example it announces (`创建一个叫 serial 的序列：`, `删除该索引：`).
/// (`从` is left out: `从 2.6 版开始，` is no instruction.)
const INSTRUCTIONS: [&str; 39] = [
    "创建", "删除", "刪除", "定义", "定義", "使用", "修改", "更改", "设置", "設置", "设定", "設定",
    "启动", "啟動", "显示", "顯示", "列出", "查看", "插入", "更新", "添加", "新增", "移除", "重建",
    "建立", "选择", "選擇", "执行", "執行", "运行", "運行", "输入", "輸入", "打开", "開啟", "编辑",
    "編輯", "安装", "安裝",
];

/// Verbs of a request to look something up, after `请` (`请参看：`).
const LOOK_UPS: [&str; 8] = [
    "查看", "参看", "參看", "参见", "參見", "参阅", "參閱", "访问",
];

/// Words of a condition, a concession or a time (`如果`, `不管`, `当`, `时`): a clause
/// that holds one is subordinate, and a comma ends it.
const CONDITIONS: [&str; 13] = [
    "如果", "若", "当", "當", "时", "時", "的话", "的話", "对于", "不管", "无论", "無論", "不论",
];

/// Words before a colon followed by a space (`请见： <URL>`).
const INTRODUCERS_SPACED: [&str; 4] = ["见", "見", "如", "包括"];

/// Introducers that take a colon mid-line too, right before ASCII text (the example or
/// the syntax they announce): the others (`例如`, `包括`) take a comma as often there.
/// Longest first.
const INTRODUCERS_GLUED: [&str; 10] = [
    "如下所示",
    "如下",
    "以下",
    "下列",
    "格式",
    "语法",
    "語法",
    "示例",
    "范例",
    "範例",
];

/// Words that point to what follows (`如下`, "as follows"; `以下`, `下列`, `下述`, `下面`,
/// "the following"; `下文`, `下表`, `下例`, `下图`, "the text, table, example, figure
/// below"): a line whose last clause holds one ends in a colon wherever the word stands
/// in it (`可以读取以下几种文件：`, `按照如下规则解析：`, `下面是一个例子：`). Two characters
/// each, written last character first (the order [`Around::before`] holds them in).
/// (In the clean text we counted, a line's last full-width mark after a clause holding
/// `下面` was a colon 93 times and a comma 5 times; after one holding `下文`, `下表`,
/// `下例` or `下图`, a colon 9 times and a comma once.)
const ANNOUNCERS: [[char; 2]; 10] = [
    ['下', '如'],
    ['下', '以'],
    ['列', '下'],
    ['述', '下'],
    ['面', '下'],
    ['文', '下'],
    ['表', '下'],
    ['例', '下'],
    ['图', '下'],
    ['圖', '下'],
];

/// Labels of a web page's fields (an article's author, source, editor, time; a forum
/// post's floor, a login form's password, a tag list) and of a program's messages
/// (`警告`, `用法`, `提示`), which a colon follows where they start a field
/// ([`Around::field_label`]). Each added after the first sixteen stands before a colon
/// in every or nearly every such place in the clean text we counted (`警告` 404 colons
/// to 5 commas, `用法` 256 to 0, `密码` 9 to 0, `楼层` 7 to 0).
const FIELD_LABELS: [&str; 36] = [
    "作者",
    "來源",
    "来源",
    "出处",
    "出處",
    "责编",
    "責編",
    "责任编辑",
    "責任編輯",
    "原标题",
    "原標題",
    "关键词",
    "關鍵詞",
    "发布时间",
    "發布時間",
    "发表时间",
    "编辑",
    "編輯",
    "记者",
    "記者",
    "标签",
    "標籤",
    "密码",
    "密碼",
    "楼层",
    "樓層",
    "邮编",
    "郵編",
    "警告",
    "用法",
    "提示",
    "译注",
    "譯注",
    "评论人",
    "評論人",
    "信息来源",
];

/// Labels whose value follows a colon (`发布日期：2024-05-01`, `版本：1.2`): before a
/// digit after one of them a colon stands.
const LABELS: [&str; 8] = [
    "日期", "时间", "時間", "版本", "电话", "電話", "编号", "編號",
];

/// Final particles that ask or exclaim (`相似性么？`, `好美啊！`): a line ending in one
/// is no heading ([`Around::one_phrase_line`]).
const PARTICLES: [char; 10] = ['么', '麼', '吗', '嗎', '呢', '吧', '啊', '呀', '啦', '哇'];

/// Last characters of a line's first words that make them no label
/// ([`Around::line_label`]): verbs of saying or finding, words of time or consequence
/// and demonstratives, which a comma follows before the clause they lead
/// (`调查发现，35%`, `这时，3 个`, `那些，2010`).
const NOT_LABEL_ENDS: [char; 25] = [
    '说', '說', '道', '现', '現', '为', '為', '出', '示', '候', '时', '時', '后', '後', '外', '此',
    '而', '且', '是', '前', '来', '來', '年', '天', '些',
];

/// Numerals: `以下` right after one, or after one and its unit, is "below" a quantity
/// (`三岁以下`, `100以下`), not "the following".
fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二两三四五六七八九十百千万".contains(c)
}

/// Whether the word of two characters at `i` of `b` (text nearest first, so the word
/// reversed) follows a numeral, or a numeral and its unit: one of the two characters
/// before it is a numeral (`三岁以下`, `100以上`).
fn after_numeral(b: &[char], i: usize) -> bool {
    b.iter().skip(i + 2).take(2).any(|&c| is_numeral(c))
}

/// Words that make a clause a question; a line ending in such a clause ends in a
/// question mark; one or two characters each. (`任何`, `几乎`, `那么` are not
/// questions and are not listed; nor are `何人`, `何必`, `何方`, `从何`, which in the
/// clean text counted (Debian's manual pages, fortunes-zh's poems) ended a line's last
/// clause with `。` or `！` 10, 5, 2 and 4 times, with `？` 1, 0, 1 and 0 times; there
/// `何为` and `何為` ended it with `？` 5 times in 6, `何解` 6 in 6, `何日` 4 in 5 and `啥`
/// 2 in 2. On the thirteen comparison sets these words, `何故`, `多远`, `多久` and `咋`
/// made 7 lines right and none wrong.)
const QUESTION_WORDS: [(char, Option<char>); 36] = [
    ('吗', None),
    ('嗎', None),
    ('呢', None),
    ('啥', None),
    ('咋', None),
    ('谁', None),
    ('誰', None),
    ('哪', None),
    ('怎', None),
    ('如', Some('何')),
    ('为', Some('何')),
    ('為', Some('何')),
    ('什', Some('么')),
    ('什', Some('麼')),
    ('何', Some('不')),
    ('何', Some('事')),
    ('何', Some('以')),
    ('何', Some('处')),
    ('何', Some('處')),
    ('何', Some('时')),
    ('何', Some('時')),
    ('何', Some('日')),
    ('何', Some('为')),
    ('何', Some('為')),
    ('何', Some('解')),
    ('何', Some('故')),
    ('岂', None),
    ('豈', None),
    ('难', Some('道')),
    ('難', Some('道')),
    ('能', Some('否')),
    ('多', Some('少')),
    ('多', Some('大')),
    ('多', Some('远')),
    ('多', Some('久')),
    ('到', Some('底')),
];

/// Whether `c` is the first character of one of [`QUESTION_WORDS`] (a quick test
/// before the list is searched).
fn starts_question_word(c: char) -> bool {
    matches!(
        c,
        '吗' | '嗎'
            | '啥'
            | '咋'
            | '呢'
            | '谁'
            | '誰'
            | '哪'
            | '怎'
            | '如'
            | '为'
            | '為'
            | '什'
            | '何'
            | '岂'
            | '豈'
            | '难'
            | '難'
            | '能'
            | '多'
            | '到'
    )
}

/// Marks that end a clause: the question-word scan stops at them.
pub(super) fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '；' | '：' | '，' | '!' | '?' | ';' | ':' | '．'
    )
}

/// Punctuation that separates list items or sentences (for the list rule).
fn is_separator(c: char) -> bool {
    ends_clause(c) || matches!(c, '、' | ',' | '.' | '（' | '）' | '(' | ')')
}

/// Horizontal box-drawing lines.
fn is_horizontal_box(c: char) -> bool {
    matches!(
        c as u32,
        0x2500 | 0x2501 | 0x2504 | 0x2505 | 0x2508 | 0x2509 | 0x254C | 0x254D | 0x2550
    )
}

/// What follows a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum After {
    /// The line's end.
    End,
    /// A space.
    Space,
    /// Another character.
    Char(char),
    /// Not known (the tokens end before the line does).
    Unknown,
}

/// White space between words: a space, a no-break space, an ideographic space, a tab.
pub(super) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{A0}' | '\u{3000}' | '\t')
}

/// What follows tokens decoded without their line (the inner layer of a two-layer
/// repair, a window of bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Edge {
    /// What follows the last token.
    pub(super) after: After,
    /// The first character after the last token that is not white space, if known.
    pub(super) shown: Option<char>,
    /// Only white space, if anything, stands before the first token on its line.
    pub(super) starts_line: bool,
}

impl Edge {
    /// Nothing known of what follows (a window cut inside its text).
    pub(super) const UNKNOWN: Edge = Edge {
        after: After::Unknown,
        shown: None,
        starts_line: false,
    };
}

/// The text around one guessed punctuation mark.
pub(super) struct Around {
    /// Up to [`BACK`] characters before the guess, nearest first.
    before: [char; BACK],
    nb: usize,
    /// `before` reaches back to the first token (as a rule, the line's start).
    from_start: bool,
    /// `before` reaches back to the line's start: to the first token, of tokens decoded
    /// with their line or known to start it (an inner layer's window may start inside
    /// its line).
    line_start: bool,
    after: After,
    /// A space, then `<` (a bracketed reference: `在线帮助： <https://…>`) follows.
    reference_after_space: bool,
    /// A space, then an ASCII letter follows.
    after_space_letter: bool,
    /// An ASCII letter or digit stands right before the guess and right after it.
    between_alnum: bool,
    /// Another full-stop slot is near, with no punctuation between: a list.
    list: bool,
}

/// The character a token stands for: its own, or for an undecodable byte the line's
/// character there (`None` for the second and later bytes of a line character, and
/// where nothing is known).
pub(super) fn tok_char(toks: &[Tok], j: usize, line: Option<(&[char], &[u32])>) -> Option<char> {
    let x = toks.get(j)?;
    if let Some(c) = x.ch {
        return Some(c);
    }
    let (chars, bchar) = line?;
    let b = x.b0 as usize;
    let i = *bchar.get(b)?;
    if b > 0 && bchar.get(b - 1) == Some(&i) && j > 0 {
        return None; // not the char's first byte
    }
    chars.get(i as usize).copied()
}

/// Whether the guess at token `k` is an item separator: within [`LIST_SPAN`] tokens
/// before or after it, with no other separator between, stands a decoded `、` or
/// another full-stop slot (`near`, the nearest guesses whose alternatives hold `、`).
fn list_near(
    toks: &[Tok],
    k: usize,
    line: Option<(&[char], &[u32])>,
    near: (Option<usize>, Option<usize>),
) -> bool {
    let hit = |j: usize, slot: Option<usize>| -> Option<bool> {
        if Some(j) == slot {
            return Some(true);
        }
        match tok_char(toks, j, line) {
            Some('、') => Some(true),
            Some(c) if is_separator(c) => Some(false),
            _ => None,
        }
    };
    let back = (k.saturating_sub(LIST_SPAN)..k)
        .rev()
        .find_map(|j| hit(j, near.0))
        .unwrap_or(false);
    back || (k + 1..toks.len().min(k + 1 + LIST_SPAN))
        .find_map(|j| hit(j, near.1))
        .unwrap_or(false)
}

/// Whether `alts` holds `c`.
pub(super) fn has(alts: &[(char, f32)], c: char) -> bool {
    alts.iter().any(|x| x.0 == c)
}

impl Around {
    /// The context of the guess at token `k`, whose alternatives are `alts`. `near` are
    /// the token indices of the nearest other guesses before and after it whose
    /// alternatives hold `、` (for the list rule); `edge` says, for tokens decoded
    /// without their line, what follows them; `sorted`: `alts` are in
    /// strictly increasing order. (The list rule is looked at only where it can give a
    /// bonus: `alts` hold `、` and the guess is not at the end. The text before the
    /// guess is gathered only when `alts` hold the mark of a rule that reads it.)
    pub(super) fn new(
        toks: &[Tok],
        k: usize,
        line: Option<(&[char], &[u32])>,
        near: (Option<usize>, Option<usize>),
        edge: Edge,
        alts: &[(char, f32)],
        sorted: bool,
    ) -> Around {
        let reads_before = |c: char| RULE_MARKS.contains(&c);
        let needs_before = match (sorted, alts.first(), alts.last()) {
            (true, Some(&(lo, _)), Some(&(hi, _))) => RULE_MARKS
                .iter()
                .any(|&c| reads_before(c) && (lo..=hi).contains(&c)),
            _ => alts.iter().any(|x| reads_before(x.0)),
        };
        let mut before = [' '; BACK];
        let mut nb = 0;
        let mut j = if needs_before { k } else { 0 };
        while j > 0 && nb < BACK {
            j -= 1;
            if let Some(c) = tok_char(toks, j, line) {
                before[nb] = c;
                nb += 1;
            }
        }
        let from_start = needs_before && j == 0;
        let after = match toks.get(k + 1) {
            None => match line {
                Some((chars, bchar)) => {
                    let end = toks
                        .get(k)
                        .and_then(|x| bchar.get(x.b1 as usize))
                        .is_some_and(|&i| i as usize >= chars.len());
                    if end {
                        After::End
                    } else {
                        After::Unknown
                    }
                }
                None => edge.after,
            },
            Some(_) => match tok_char(toks, k + 1, line) {
                Some(c) if is_space(c) => After::Space,
                Some(c) => After::Char(c),
                None => After::Unknown,
            },
        };
        let reference_after_space = after == After::Space
            && match toks.get(k + 1) {
                Some(_) => tok_char(toks, k + 2, line) == Some('<'),
                None => edge.shown == Some('<'),
            };
        let after_space_letter = after == After::Space
            && match toks.get(k + 1) {
                Some(_) => tok_char(toks, k + 2, line).is_some_and(|c| c.is_ascii_alphabetic()),
                None => edge.shown.is_some_and(|c| c.is_ascii_alphabetic()),
            };
        let between_alnum = matches!(after, After::Char(c) if c.is_ascii_alphanumeric())
            && k.checked_sub(1)
                .and_then(|j| tok_char(toks, j, line))
                .is_some_and(|c| c.is_ascii_alphanumeric());
        let list = after != After::End && has(alts, '、') && list_near(toks, k, line, near);
        Around {
            before,
            nb,
            from_start,
            line_start: from_start && (line.is_some() || edge.starts_line),
            after,
            reference_after_space,
            after_space_letter,
            between_alnum,
            list,
        }
    }

    /// The characters before the guess, nearest first.
    fn before(&self) -> &[char] {
        self.before.get(..self.nb).unwrap_or(&[])
    }

    /// Whether the text before the guess ends with `w`.
    fn ends_with(&self, w: &str) -> bool {
        let b = self.before();
        let mut n = 0;
        for (i, c) in w.chars().rev().enumerate() {
            if b.get(i) != Some(&c) {
                return false;
            }
            n += 1;
        }
        n > 0
    }

    /// The clause before the guess, nearest first: back to a clause-ending mark or the
    /// window's start.
    fn clause(&self) -> &[char] {
        let b = self.before();
        let len = b.iter().position(|&c| ends_clause(c)).unwrap_or(b.len());
        b.get(..len).unwrap_or(&[])
    }

    /// Whether the clause before the guess holds one of [`ANNOUNCERS`] (`以下` not with a
    /// numeral among the two characters before it).
    fn clause_announces(&self) -> bool {
        let clause = self.clause();
        clause.windows(2).enumerate().any(|(i, w)| {
            ANNOUNCERS.iter().any(|a| a == w) && !(w == ['下', '以'] && after_numeral(clause, i))
        })
    }

    /// Whether the text before the guess, within the window, bounds a quantity:
    /// `以下` or `以上` right after a numeral or a numeral and its unit (`十八岁以下`,
    /// `100以上`), which makes a phrase of who or what, not a heading.
    fn bounds_a_quantity(&self) -> bool {
        let b = self.before();
        b.windows(2)
            .enumerate()
            .any(|(i, w)| matches!(w, ['下' | '上', '以']) && after_numeral(b, i))
    }

    /// Whether the clause before the guess (after a comma too: `要了解最新信息，请查看
    /// VIM 主页`) is a request to look something up: it starts with `请` and one of
    /// [`LOOK_UPS`]. Where the window starts inside the line and holds no mark before
    /// the guess, where the clause starts is not known, and it is not.
    fn clause_requests(&self) -> bool {
        let clause = self.clause();
        if clause.len() == self.before().len() && !self.from_start {
            return false;
        }
        let mut text = clause.iter().rev().copied().skip_while(|&c| is_space(c));
        if !matches!(text.next(), Some('请' | '請')) {
            return false;
        }
        let (Some(a), Some(b)) = (text.next(), text.next()) else {
            return false;
        };
        LOOK_UPS.iter().any(|w| w.chars().eq([a, b]))
    }

    /// Whether the text before the guess ends with one of [`FIELD_LABELS`] that starts
    /// the line or follows white space or a bracket (a page's field, not prose: `这本书
    /// 的作者，` takes a comma).
    fn field_label(&self) -> bool {
        let b = self.before();
        FIELD_LABELS.iter().any(|w| {
            let n = w.chars().count();
            self.ends_with(w)
                && match b.get(n) {
                    None => self.from_start,
                    Some(&c) => is_space(c) || matches!(c, '【' | '[' | '|' | '（' | '('),
                }
        })
    }

    /// Whether the text before the guess is the whole line and a label: two to five
    /// hanzi, not ending in one of [`NOT_LABEL_ENDS`]. Before a number a colon follows
    /// such a label (`邮编：100080`).
    fn line_label(&self) -> bool {
        let b = self.before();
        self.from_start
            && (2..=5).contains(&b.len())
            && b.iter().all(|&c| is_han(c))
            && b.first().is_some_and(|c| !NOT_LABEL_ENDS.contains(c))
    }

    /// How many characters stand before the guess on its line, leading white space
    /// left out (meaningful where the window holds the whole line).
    fn line_len(&self) -> usize {
        let b = self.before();
        b.len() - b.iter().rev().take_while(|&&c| is_space(c)).count()
    }

    /// Whether the line before the guess (all of it in the window) is one phrase of 8
    /// to 15 characters after a hanzi, leading white space left out, with no
    /// clause-ending mark: not a subordinate clause ([`Around::holds_condition`], or
    /// ending in `前` or `后`), not a phrase bounded by a quantity
    /// ([`Around::bounds_a_quantity`]), not ending in one of [`PARTICLES`] nor asking.
    fn one_phrase_line(&self) -> bool {
        let b = self.before();
        self.line_start
            && b.first().is_some_and(|&p| {
                is_han(p) && !PARTICLES.contains(&p) && !matches!(p, '前' | '后' | '後')
            })
            && (8..=15).contains(&self.line_len())
            && !b.iter().any(|&c| ends_clause(c))
            && !self.holds_condition()
            && !self.bounds_a_quantity()
            && !self.clause_asks()
    }

    /// Whether the line before the guess (all of it in the window) opens with an item's
    /// number: `1.`, `12、`, `三、`, `(2)`, `（4）`, after any white space.
    fn numbered_line(&self) -> bool {
        if !self.line_start {
            return false;
        }
        // The line in text order, from its first character that is no space.
        let mut text = self
            .before()
            .iter()
            .rev()
            .copied()
            .skip_while(|&c| is_space(c))
            .peekable();
        let bracketed = text.next_if(|&c| matches!(c, '(' | '（')).is_some();
        let ascii = text.peek().is_some_and(char::is_ascii_digit);
        let digit = |c: &char| {
            if ascii {
                c.is_ascii_digit()
            } else {
                "一二三四五六七八九十".contains(*c)
            }
        };
        // Up to three numerals, two in brackets.
        let most = if bracketed { 2 } else { 3 };
        let mut n = 0;
        while n < most && text.next_if(digit).is_some() {
            n += 1;
        }
        n > 0
            && match (bracketed, text.next()) {
                (true, Some(')' | '）')) => ascii,
                (false, Some('.' | '．')) => ascii,
                (false, Some('、')) => true,
                _ => false,
            }
    }

    /// Whether a bold label (Markdown's `**…**`) closes right before the guess: two
    /// asterisks after a character that is neither a space nor an asterisk.
    fn after_bold_label(&self) -> bool {
        matches!(self.before(), ['*', '*', c, ..] if !is_space(*c) && *c != '*')
    }

    /// Whether the guess stands inside a bold label, right before its closing
    /// asterisks: an asterisk follows, and two open the label before the guess in its
    /// clause (`**参数解释：**`).
    fn inside_bold_label(&self) -> bool {
        self.after == After::Char('*')
            && self
                .before()
                .first()
                .is_some_and(|&c| !is_space(c) && c != '*')
            && self.clause().windows(2).any(|w| w == ['*', '*'])
    }

    /// Whether the line before the guess is one clause that gives an instruction: it
    /// starts (after any ASCII text) with one of [`INSTRUCTIONS`] and holds no
    /// clause-ending mark and none of [`CONDITIONS`] (the window holds the whole line).
    fn line_instructs(&self) -> bool {
        let b = self.before();
        if !self.from_start || b.iter().any(|&c| ends_clause(c)) {
            return false;
        }
        // The line's characters from its first non-ASCII one, in text order.
        let mut text = b.iter().rev().skip_while(|c| c.is_ascii()).copied();
        let (Some(c0), c1) = (text.next(), text.next()) else {
            return false;
        };
        let starts = INSTRUCTIONS.iter().any(|w| {
            let mut first = [c0].into_iter().chain(c1);
            w.chars().all(|x| first.next() == Some(x))
        });
        starts && !self.holds_condition()
    }

    /// Whether the text before the guess, within the window, holds one of
    /// [`CONDITIONS`].
    fn holds_condition(&self) -> bool {
        let b = self.before();
        // (`b` is nearest first: a word stands in it reversed.)
        CONDITIONS.iter().any(|w| {
            let n = w.chars().count();
            b.windows(n).any(|x| x.iter().rev().copied().eq(w.chars()))
        })
    }

    /// Whether the clause before the guess (back to a clause-ending mark or the window's
    /// start) holds a question word, or asks by a verb and its negation (`有没有`,
    /// `是不是`, `去不去`) without a word of concession before it (`不管下不下雨，`).
    fn clause_asks(&self) -> bool {
        let clause = self.clause();
        let negation = |c: char| matches!(c, '不' | '没' | '沒');
        // (Nearest first: `不管` appears as `管不`.)
        let concedes = clause.windows(2).any(|w| {
            matches!(
                (w[1], w[0]),
                ('不', '管' | '论' | '論') | ('无' | '無', '论' | '論')
            )
        });
        if !concedes
            && clause
                .windows(3)
                .any(|w| w[0] == w[2] && negation(w[1]) && is_han(w[0]) && !negation(w[0]))
        {
            return true;
        }
        // The clause is nearest first, so a two-character word appears reversed.
        let mut next = None;
        for (i, &c) in clause.iter().enumerate() {
            if !starts_question_word(c) {
                next = Some(c);
                continue;
            }
            // (`到底` right before the mark ends a statement: `坚持到底，`.)
            let asks = QUESTION_WORDS.iter().any(|&(a, b)| {
                a == c
                    && match b {
                        None => true,
                        Some(b) => next == Some(b) && !(c == '到' && i == 1),
                    }
            });
            if asks {
                return true;
            }
            next = Some(c);
        }
        false
    }

    /// Whether a title (`《`) is open before the guess, within the window, with no
    /// quote opened after it.
    fn in_title(&self) -> bool {
        for &c in self.before() {
            match c {
                '《' => return true,
                '》' | '“' | '‘' => return false,
                _ => {}
            }
        }
        false
    }

    /// Whether a left double quote is open before the guess, within the window: the
    /// nearest double quote before it is `“`.
    fn double_quote_open(&self) -> bool {
        self.before()
            .iter()
            .find(|&&c| c == '“' || c == '”')
            .is_some_and(|&c| c == '“')
    }

    /// Whether a left single quote is open before the guess, within the window.
    fn single_quote_open(&self) -> bool {
        let mut depth = 0i32;
        for &c in self.before() {
            match c {
                '’' => depth -= 1,
                '‘' => {
                    depth += 1;
                    if depth > 0 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Whether the guess stands in a table row: a `│` is before it on the line (within
    /// the window) and no horizontal line follows it.
    fn table_row(&self) -> bool {
        self.before().contains(&'│')
            && !matches!(self.after, After::Char(c) if is_horizontal_box(c))
    }

    /// The bonus for guessing `c` here; `alts` are the guess's alternatives.
    pub(super) fn bonus(&self, alts: &[(char, f32)], c: char) -> f32 {
        let end = self.after == After::End;
        let spaced = self.after == After::Space;
        match c {
            '：' if end && INTRODUCERS.iter().any(|w| self.ends_with(w)) => RULE_BONUS,
            '：' if end && self.clause_announces() => RULE_BONUS,
            '：' if end && self.line_instructs() => RULE_BONUS,
            '：' if end && self.clause_requests() => RULE_BONUS,
            // A line of a short label alone (`标题：`, `发表评论：`). In the clean text we
            // counted, a line of two to four hanzi and a full-width mark ended in `：`
            // 447 times and in `，` 4 times in software catalogues and web pages; in
            // fortunes-zh's poems, in `，` 56 times and in `：` once (four-hanzi verses:
            // `北国风光，`: four hanzi kept 12 lines right and made 8 wrong of 12,000
            // damaged ones of the three kinds). Five hanzi are a verse's length
            // (`白日依山尽，`) and left out.
            '：' if end
                && self.line_start
                && self.before().len() <= 4
                && self.line_label()
                && !self.clause_asks() =>
            {
                RULE_BONUS
            }
            // A line of one phrase, of middle length, with no other mark
            // (`精品专题推荐：`, `解压缩时的内存用量：`). In the clean text we counted
            // (software catalogues, manual pages, Debian's documentation, web pages,
            // fortunes-zh), such lines of 9 to 16 characters ended in `：` 298 times and
            // in `，` 42; shorter ones are verses as often (`白日依山尽，`), longer ones
            // wrapped prose (manual pages: 38 commas to 27 colons). A condition, a
            // concession or a time is a subordinate clause, which a comma ends
            // (`如果未指定文件名，`, `在标记之前，`), as is a phrase bounded by a quantity
            // (`十八岁以下的用户，`); a final particle asks or exclaims (`相似性么？`).
            '：' if end && self.one_phrase_line() => RULE_BONUS,
            // A numbered item's heading that ends after a hanzi announces what follows
            // (`三、报考条件：`, `2.要专心等候：`); a comma never ends such a line. In the
            // clean text we counted (web pages, Debian's documentation), such lines ended
            // in `：` 37 times, `？` 571 (the question rules' case), `）` 87, `；` 11, `！` 5
            // and `，` not once.
            '：' if end
                && self.before().first().is_some_and(|&p| is_han(p))
                && self.numbered_line()
                && !self.clause_asks() =>
            {
                RULE_BONUS
            }
            // A page's field label where a field starts (`作者： 小雨`, `来源：新华网`).
            '：' if self.field_label() => RULE_BONUS,
            // A bold label's colon, after it (`**参数解释**： 任务总数`) or inside it
            // (`**参数解释：** 状态`).
            '：' if self.after_bold_label() || self.inside_bold_label() => RULE_BONUS,
            // A verb of use before the command it names (`或者在本地使用： info …`).
            '：' if spaced && self.after_space_letter && self.ends_with("使用") => RULE_BONUS,
            '：' if spaced && INTRODUCERS_SPACED.iter().any(|w| self.ends_with(w)) => RULE_BONUS,
            // An introducer right before ASCII text: the example follows (`格式：YYYY`).
            '：' if matches!(self.after, After::Char(c) if c.is_ascii())
                && INTRODUCERS_GLUED.iter().any(|w| self.ends_with(w)) =>
            {
                RULE_BONUS
            }
            '：' if matches!(self.after, After::Char(c) if c.is_ascii_digit())
                && (LABELS.iter().any(|w| self.ends_with(w)) || self.line_label()) =>
            {
                RULE_BONUS
            }
            // A label before a format directive (`文件已存在：%s`, `错误：%S`): in the
            // software catalogues we counted (Debian's zh_CN message catalogues,
            // Firefox's), a full-width mark right before `%` was `：` 1,771 times,
            // `（` 189 and `，` 52.
            '：' if self.after == After::Char('%') => RULE_BONUS,
            // A bracketed reference after a space (`在线帮助： <https://…>`).
            '：' if self.reference_after_space => RULE_BONUS,
            // A reference right after `见` (`请见：<https://…>`, `请见：2.3 节`).
            '：' if matches!(self.after, After::Char(c) if c.is_ascii_alphanumeric() || c == '<')
                && (self.ends_with("见") || self.ends_with("見")) =>
            {
                RULE_BONUS
            }
            '？' if (end || spaced) && (self.ends_with("吗") || self.ends_with("嗎")) => {
                RULE_BONUS
            }
            // (Or before a bracket or dots: `是什么？(新闻)`, `不行吗？...`. Not before a
            // space: hard-wrapped text breaks its clauses there, `(无论位于哪个目录中)， 统一…`.)
            '？' if (end || matches!(self.after, After::Char(')' | '(' | '.' | '）' | '（')))
                && self.clause_asks() =>
            {
                RULE_BONUS
            }
            // A final `么` asks as `吗` does (`一样么`), unless it ends a word
            // (`那么`, `这么`, `什么`, `怎么`, `多么`, `要么`).
            '？' if (end || spaced)
                && matches!(self.before(), ['么' | '麼', p, ..]
                    if !matches!(p, '那' | '这' | '這' | '什' | '怎' | '多' | '要')) =>
            {
                RULE_BONUS
            }
            // An exclamation at the line's end: after another (`感谢！！`) or after a
            // particle that exclaims or urges (`好美啊！`, `走吧！`).
            '！' if (end || spaced)
                && matches!(
                    self.before().first(),
                    Some('！' | '啊' | '呀' | '啦' | '哇' | '吧')
                ) =>
            {
                RULE_BONUS
            }
            // A range between two numbers (`13—15岁`).
            '—' if matches!(self.after, After::Char(c) if c.is_ascii_digit())
                && self.before().first().is_some_and(|c| c.is_ascii_digit()) =>
            {
                CLOSE_BONUS
            }
            // A full-width dash after a number of two digits or more, not inside an
            // ASCII word, before another: a range (`1987－2003`, `8:30－8:50`); lists of
            // one-digit numbers and hexadecimal ones take commas (`0，1 和 2`).
            '－' if matches!(self.after, After::Char(c) if c.is_ascii_digit())
                && matches!(self.before(), [a, b, rest @ ..] if a.is_ascii_digit()
                    && b.is_ascii_digit()
                    && rest
                        .iter()
                        .find(|c| !c.is_ascii_digit())
                        .is_none_or(|c| !c.is_ascii_alphabetic())) =>
            {
                CLOSE_BONUS
            }
            '、' if !end && self.list && has(alts, '。') => RULE_BONUS,
            // Between two ASCII words with no space, a list's mark (`0.1pl2、0.9.0`): a
            // full stop glued to the next word is rare (in our man pages' text,
            // `a、b` is nine times as common as `a。b`).
            '、' if self.between_alnum && has(alts, '。') => RULE_BONUS,
            // Between a date and the next one's number, a list of dates (`7月8日、15日`,
            // `3月2日、4月9日`): in the web pages we looked at fourteen times as common
            // as a full stop there.
            '、' if has(alts, '。')
                && matches!(self.after, After::Char(c) if c.is_ascii_digit())
                && matches!(self.before(), [p, d, ..]
                    if matches!(p, '日' | '月' | '号' | '號') && d.is_ascii_digit()) =>
            {
                RULE_BONUS
            }
            '‧' if self.before().first().is_some_and(|&p| is_han(p)) && self.in_title() => {
                TITLE_DOT_BONUS
            }
            '”' if spaced && !self.in_title() => CLOSE_BONUS,
            // At the line's end right after a hanzi a sentence ends: `。` (a closing
            // quote there follows the full stop, `。”`); this outweighs the bonus of a
            // quote opened before it on the line.
            '”' if end && has(alts, '。') && self.before().first().is_some_and(|&p| is_han(p)) => {
                -CLOSE_BONUS
            }
            // After a sentence's end at the line's end a quote closes (`。”`); an
            // opening quote never ends a line.
            '”' if end
                && self
                    .before()
                    .first()
                    .is_some_and(|&p| matches!(p, '。' | '？' | '！')) =>
            {
                CLOSE_BONUS
            }
            // Inside a double quote opened on the line, a mark after a hanzi and not
            // before one closes it (`打开“系统设置”>“Network`).
            '”' if self.double_quote_open()
                && self.before().first().is_some_and(|&p| is_han(p))
                && !matches!(self.after, After::Char(c) if is_han(c)) =>
            {
                CLOSE_BONUS
            }
            // Chinese doubles the ellipsis and the dash (`……`, `——`): a mark of that
            // block right after one of them is its second half.
            '…' | '—' if self.before().first() == Some(&c) => CLOSE_BONUS,
            // An opening quote does not end a line right after a word (after a space it
            // may, where text is wrapped: `详见第 4.2 节 “`).
            '“' | '‘' if end && self.before().first().is_some_and(|&p| !is_space(p)) => {
                -CLOSE_BONUS
            }
            // At the line's end after a hanzi, with no double quote open, of the marks
            // UTF-8 writes E2 80 xx the text trails off (`正在载入更多内容…`).
            '…' if end
                && self.before().first().is_some_and(|&p| is_han(p))
                && !self.double_quote_open() =>
            {
                RULE_BONUS
            }
            '’' if self.single_quote_open() => CLOSE_BONUS,
            '│' if has(alts, '─')
                && self.before().first().is_none_or(|&p| !is_horizontal_box(p)) =>
            {
                if self.table_row() {
                    TABLE_BONUS
                } else if end || spaced {
                    RULE_BONUS
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }
}

/// The marks a rule can point to, in ascending order (binary search in
/// [`Around::marks`]).
const RULE_MARKS: [char; 13] = [
    '—', '‘', '’', '“', '”', '…', '‧', '│', '、', '！', '－', '：', '？',
];

/// The marks of one guess that get a bonus, with it ([`Around::marks`]).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Marks {
    marks: [(char, f32); RULE_MARKS.len()],
    n: usize,
}

impl Marks {
    /// Whether no alternative gets a bonus.
    #[inline]
    pub(super) fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The marks with their bonuses.
    #[inline]
    pub(super) fn as_slice(&self) -> &[(char, f32)] {
        self.marks.get(..self.n).unwrap_or(&[])
    }

    /// The bonus for `c`: [`Around::bonus`] for the alternatives the marks were made
    /// for.
    #[inline]
    pub(super) fn bonus(&self, c: char) -> f32 {
        self.marks
            .get(..self.n)
            .unwrap_or(&[])
            .iter()
            .find(|x| x.0 == c)
            .map_or(0.0, |x| x.1)
    }
}

impl Around {
    /// The alternatives (of `alts`) that get a bonus, with it, so that scoring the
    /// alternatives looks up a few marks; `sorted`: `alts` are in strictly increasing
    /// order.
    pub(super) fn marks(&self, alts: &[(char, f32)], sorted: bool) -> Marks {
        let mut m = Marks::default();
        let mut add = |c: char| {
            let b = self.bonus(alts, c);
            if b != 0.0 {
                if let Some(slot) = m.marks.get_mut(m.n) {
                    *slot = (c, b);
                    m.n += 1;
                }
            }
        };
        // Alternatives sorted by character (as a lost byte's completions are): the rule
        // marks they hold, found by binary search in the same (ascending) order.
        if sorted {
            for c in RULE_MARKS {
                if super::find_sorted(alts, c).is_some() {
                    add(c);
                }
            }
        } else {
            for &(c, _) in alts {
                if RULE_MARKS.contains(&c) {
                    add(c);
                }
            }
        }
        m
    }
}

/// Whether the alternatives of a guess are punctuation (the rules apply).
pub(super) fn applies(alts: &[(char, f32)]) -> bool {
    alts.first()
        .is_some_and(|&(c, _)| !is_han(c) && !c.is_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_word_passes_the_quick_test() {
        for (a, _) in QUESTION_WORDS {
            assert!(starts_question_word(a), "{a}");
        }
    }

    /// The bonuses of the marks of UTF-8's E2 80 block for a mark guessed after
    /// `before`, at the line's end.
    fn bonuses_at_line_end(before: &str) -> [(char, f32); 4] {
        let mut toks: Vec<Tok> = before
            .chars()
            .enumerate()
            .map(|(i, c)| Tok {
                b0: i as u32,
                b1: i as u32 + 1,
                ch: Some(c),
                guessed: false,
            })
            .collect();
        toks.push(Tok::undecodable(toks.len()));
        let alts = [('—', 0.0), ('“', 0.0), ('”', 0.0), ('…', 0.0)];
        let edge = Edge {
            after: After::End,
            shown: None,
            starts_line: true,
        };
        let around = Around::new(&toks, toks.len() - 1, None, (None, None), edge, &alts, true);
        alts.map(|(c, _)| (c, around.bonus(&alts, c)))
    }

    /// Table of (text before the guess, the mark a rule must favour most, whether an
    /// opening quote is ruled against).
    #[test]
    fn line_end_marks_of_the_quote_block_follow_the_text_before_them() {
        let table = [
            // After a hanzi, no quote open: the text trails off.
            ("正在载入更多内容", Some('…'), true),
            // A quote open on the line closes.
            ("他说“先把基础打牢，再谈长远发展", Some('”'), true),
            // The second half of a doubled ellipsis or dash.
            ("还是没有说出口…", Some('…'), true),
            ("只有一件事—", Some('—'), true),
            // After a space a wrapped line may end with an opening quote.
            ("详见第 4.2 节 ", None, false),
        ];
        for (before, best, against_opener) in table {
            let b = bonuses_at_line_end(before);
            let top = b
                .iter()
                .filter(|x| x.1 > 0.0)
                .max_by(|x, y| x.1.total_cmp(&y.1))
                .map(|x| x.0);
            assert_eq!(top, best, "{before}: {b:?}");
            let opener = b.iter().find(|x| x.0 == '“').map_or(0.0, |x| x.1);
            assert_eq!(opener < 0.0, against_opener, "{before}: {b:?}");
        }
    }

    #[test]
    fn rule_marks_are_in_ascending_order() {
        let mut m = RULE_MARKS;
        m.sort_unstable();
        assert_eq!(m, RULE_MARKS);
    }
}
