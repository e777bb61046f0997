//! Context rules for guesses from the words around them.
//!
//! The character model and running text's pairs and triples see a guess's neighbours;
//! these rules read the words a few tokens away, which say which of a block's
//! characters Chinese puts there (each a bonus against twice a character's cost, as in
//! `context_pass`, for the characters a rule points to):
//!
//! - alone in brackets, the `图` of a title with a picture (`(图)`), not `因`;
//! - before a date, the `于` of a post's time (`发表于 2014-01-01`, `于8月3日`), not
//!   `了`;
//! - after a number, the measure word `号` (`128号`, `〔2024〕5号`);
//! - after `ICP` or `公网安`, the `备` of a site's registration (`京ICP备12345678号`);
//! - between two numbers, a range's `到` or `至` (`0 到 7`), not the measure word `分`;
//! - after a key's name, `键` (`Shift 键`), not the commoner `错`;
//! - after an ASCII word with a letter, and not before another, the postposition `中`
//!   (`在 vim 中`): between two ASCII words a connective is common (`glob 为 off`);
//! - before a person's name, and not after a hanzi, the `由` of a credit (`由 Ulrich
//!   Drepper 编写`), not the commoner `用`;
//! - a phrase's head whose predicate follows in the clause (`与 POSIX 兼容`, `从 ftp
//!   获得`, `使 bzip2 显示`, `由 三个数字 组成`), not `为`, `以`, `但` or `用`.

use super::{is_han, Tok};

/// Where a guess stands, as the rules read it.
pub(super) struct Around<'a> {
    /// The decoded tokens; the guess is token `k`.
    pub(super) toks: &'a [Tok],
    pub(super) k: usize,
    /// The run of ASCII letters, digits and `.` before the guess's group (guesses with
    /// only spaces between them), spaces skipped ([`ascii_word_before`]).
    pub(super) word_before: Option<&'a [Tok]>,
    /// The guess is its group's first, and its last.
    pub(super) starts_group: bool,
    pub(super) ends_group: bool,
    /// The context before the group and after it (`context_pass`'s `prev` and `next`:
    /// spaces skipped).
    pub(super) prev: Option<char>,
    pub(super) next: Option<char>,
}

impl Around<'_> {
    /// Subtracts each rule's bonus from the own scores `own` of the alternatives `alts`
    /// it points to (the rules point to different characters, so each alternative gains
    /// one bonus at most). The alternatives are in increasing order when `sorted`.
    pub(super) fn apply(&self, alts: &[(char, f32)], sorted: bool, own: &mut [f32]) {
        // The alternative `c`, if there is one.
        let find = |c: char| super::find_alt(alts, sorted, c);
        let mut give = |c: char, bonus: f32| {
            if let Some(o) = find(c).and_then(|j| own.get_mut(j)) {
                *o -= bonus;
            }
        };
        if self.starts_group
            && self.ends_group
            && self.prev.is_some_and(|p| p.is_ascii_digit())
            && self.next.is_some_and(|c| c.is_ascii_digit())
        {
            give('到', RANGE_BONUS);
            give('至', RANGE_BONUS);
        }
        if self.starts_group
            && self.ends_group
            && self
                .prev
                .is_some_and(|c| matches!(c, '(' | '（' | '[' | '【'))
            && self
                .next
                .is_some_and(|c| matches!(c, ')' | '）' | ']' | '】'))
        {
            give('图', TAG_BONUS);
            give('圖', TAG_BONUS);
        }
        if self.starts_group && self.word_before.is_some_and(is_key_name) {
            give('键', KEY_BONUS);
            give('鍵', KEY_BONUS);
        }
        if self.starts_group
            && !self.next.is_some_and(|c| c.is_ascii_alphanumeric())
            && self.word_before.is_some_and(has_letter)
        {
            give('中', IN_TERM_BONUS);
        }
        // A count or an ordinal before its number (`共 5 篇`, `第1页`).
        if self.ends_group && self.next.is_some_and(|c| c.is_ascii_digit()) {
            give('共', NUMBER_HEAD_BONUS);
            give('第', NUMBER_HEAD_BONUS);
        }
        // (The rules that read further tokens look only where the neighbour they start
        // from is right: a digit after the group, `P` or `安` before it.)
        let digit_next = self.next.is_some_and(|c| c.is_ascii_digit());
        if self.ends_group && digit_next && date_follows(self.toks, self.k) {
            give('于', AT_DATE_BONUS);
            give('於', AT_DATE_BONUS);
        }
        // A number's measure word: after a digit, of its block's characters Chinese
        // puts `号` there most (in the clean text we counted, 28 of 41; `及` 5).
        if self.starts_group && self.prev.is_some_and(|c| c.is_ascii_digit()) {
            give('号', NUMBER_MARK_BONUS);
            give('號', NUMBER_MARK_BONUS);
        }
        if self.starts_group
            && matches!(self.prev, Some('P' | 'p' | '安'))
            && registration_before(self.toks, self.k, self.word_before)
        {
            give('备', REGISTRATION_BONUS);
            give('備', REGISTRATION_BONUS);
        }
        if self.ends_group && !self.prev.is_some_and(is_han) && name_follows(self.toks, self.k) {
            give('由', BY_NAME_BONUS);
        }
        if self.ends_group {
            for &(heads, words) in &COLLOCATIONS {
                for &h in heads {
                    if find(h).is_some() && clause_has(self.toks, self.k, words) {
                        give(h, COLLOCATION_BONUS);
                    }
                }
            }
        }
    }
}

/// Bonus of `共` ("in all") and `第` (an ordinal's prefix) right before a number (spaces
/// skipped): `共1页` and `第 3 节`, not `全1页` or `符 3 节`.
const NUMBER_HEAD_BONUS: f32 = 2.0;

/// Bonus of `图` alone in brackets: the tag of a title with a picture (`(图)`), common
/// in web pages' lists of news.
const TAG_BONUS: f32 = 3.0;

/// Bonus of `到` and `至` between two numbers: a range (`0 到 7`), which the bonus of a
/// measure word after a number (`分`) must not outweigh.
const RANGE_BONUS: f32 = 3.0;

/// Words that head a phrase (a preposition, a causative) and the predicates that close it
/// later in the clause: `与 X 相同`, `从 X 获得`, `使 X 生效` (simplified and traditional
/// forms). `从 X 开始` is left out: `以 X 开始` is as common.
const COLLOCATIONS: [(&[char], &[&str]); 4] = [
    (
        &['与', '與'],
        &[
            "一样", "一樣", "一致", "一起", "不同", "冲突", "同义", "同義", "兼容", "对应", "對應",
            "押韵", "无关", "無關", "有关", "有關", "相似", "相关", "相關", "相同", "相比", "类似",
            "類似", "衝突",
        ],
    ),
    (
        &['从', '從'],
        &[
            "下载", "下載", "删除", "刪除", "复制", "複製", "安装", "安裝", "得到", "移除", "算起",
            "继承", "繼承", "获取", "获得", "獲取", "獲得", "读取", "讀取", "调用", "調用", "跳到",
            "返回",
        ],
    ),
    // (`由 X 组成`: 52 of 66 such clauses in the clean text we counted have `由`, not `用`;
    // `编写` 42 of 50, `提供` 380 of 491.)
    (
        &['由'],
        &["组成", "組成", "构成", "構成", "编写", "編寫", "提供"],
    ),
    (
        &['使'],
        &[
            "失效", "成为", "成為", "指向", "无效", "無效", "显示", "顯示", "变为", "变成", "變為",
            "變成", "生效", "进入", "進入",
        ],
    ),
];

/// Bonus of a phrase's head whose predicate follows in the clause ([`COLLOCATIONS`]).
const COLLOCATION_BONUS: f32 = 3.0;

/// How far [`clause_has`] looks, in tokens.
const CLAUSE_REACH: usize = 40;

/// Whether the clause after token `k` (to the next clause mark, at most
/// [`CLAUSE_REACH`] tokens) has one of `words` (of two characters each).
fn clause_has(toks: &[Tok], k: usize, words: &[&str]) -> bool {
    let mut prev = None;
    for x in toks.iter().skip(k + 1).take(CLAUSE_REACH) {
        let Some(c) = x.ch else {
            prev = None;
            continue;
        };
        if matches!(
            c,
            '，' | '。' | '；' | '：' | '！' | '？' | ',' | ';' | '!' | '?'
        ) {
            return false;
        }
        if let Some(p) = prev {
            if words.iter().any(|w| w.chars().eq([p, c])) {
                return true;
            }
        }
        prev = Some(c);
    }
    false
}
/// Bonus of `由` before a person's name ([`name_follows`]).
const BY_NAME_BONUS: f32 = 2.0;

/// Bonus of `中` after an ASCII word (`vim 中`).
const IN_TERM_BONUS: f32 = 2.0;

/// Bonus of `键` (`鍵`) after a key's name ([`is_key_name`]).
const KEY_BONUS: f32 = 2.0;

/// The names of keyboard keys, lower case and sorted (with `f1`-`f99`, [`is_key_name`]).
const KEY_NAMES: [&[u8]; 38] = [
    b"alt",
    b"backspace",
    b"break",
    b"caps",
    b"capslock",
    b"cmd",
    b"command",
    b"control",
    b"ctrl",
    b"del",
    b"delete",
    b"down",
    b"end",
    b"enter",
    b"esc",
    b"escape",
    b"fn",
    b"home",
    b"ins",
    b"insert",
    b"left",
    b"meta",
    b"numlock",
    b"option",
    b"pagedown",
    b"pageup",
    b"pause",
    b"pgdn",
    b"pgup",
    b"return",
    b"right",
    b"scrolllock",
    b"shift",
    b"space",
    b"super",
    b"tab",
    b"up",
    b"win",
];

/// The tokens of the run of ASCII letters, digits and `.` right before token `k` (spaces
/// between them and `k` skipped), if any.
pub(super) fn ascii_word_before(toks: &[Tok], k: usize) -> Option<&[Tok]> {
    let word = |x: &Tok| x.ch.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
    let head = toks.get(..k)?;
    let end = head.len() - head.iter().rev().take_while(|x| x.ch == Some(' ')).count();
    let start = end
        - head
            .get(..end)?
            .iter()
            .rev()
            .take_while(|x| word(x))
            .count();
    head.get(start..end).filter(|w| !w.is_empty())
}

/// Whether the tokens `w` hold an ASCII letter.
pub(super) fn has_letter(w: &[Tok]) -> bool {
    w.iter()
        .any(|x| x.ch.is_some_and(|c| c.is_ascii_alphabetic()))
}

/// Whether a person's name follows token `k` after a space: a capitalized word or an
/// initial (`Ulrich`, `H.`), a space, and a capitalized word (`Drepper`).
fn name_follows(toks: &[Tok], k: usize) -> bool {
    let ch = |i: usize| toks.get(i).and_then(|x| x.ch);
    // The end of a capitalized word (or an initial) from token `i`, if one starts there.
    let word = |i: usize, initial: bool| -> Option<usize> {
        if !ch(i)?.is_ascii_uppercase() {
            return None;
        }
        let mut j = i + 1;
        while ch(j).is_some_and(|c| c.is_ascii_lowercase()) {
            j += 1;
        }
        if j > i + 1 {
            Some(j)
        } else if initial && ch(j) == Some('.') {
            Some(j + 1)
        } else {
            None
        }
    };
    if ch(k + 1) != Some(' ') {
        return false;
    }
    match word(k + 2, true) {
        Some(j) if ch(j) == Some(' ') => word(j + 1, false).is_some(),
        _ => false,
    }
}

/// Bonus of `于` (`於`) before a date: a post's time (`发表于 2014-01-01`, `博客 於
/// 2018/05/12`), an event's (`于8月3日`, `于 2019 年`).
const AT_DATE_BONUS: f32 = 3.0;

/// Bonus of `号` (`號`) right after a number (spaces skipped): a house's, a document's
/// or a day's number (`128号`, `5号文件`).
const NUMBER_MARK_BONUS: f32 = 2.0;

/// Bonus of `备` (`備`) after `ICP` or `公网安`: every Chinese website's registration
/// line (`京ICP备12345678号`, `京公网安备 11000002000001号`).
const REGISTRATION_BONUS: f32 = 3.0;

/// Whether the guess at token `k` (the first of its group) follows `ICP` (the ASCII
/// word before the group, `word`) or `网安` (`網安`), as a registration's `备` does.
fn registration_before(toks: &[Tok], k: usize, word: Option<&[Tok]>) -> bool {
    let icp = word.is_some_and(|w| {
        w.len() >= 3
            && w.iter()
                .rev()
                .take(3)
                .map(|x| x.ch.map(|c| c.to_ascii_uppercase()))
                .eq([Some('P'), Some('C'), Some('I')])
    });
    let mut before = toks
        .get(..k)
        .unwrap_or(&[])
        .iter()
        .rev()
        .map(|x| x.ch)
        .skip_while(|c| *c == Some(' '));
    icp || (matches!(before.next(), Some(Some('安')))
        && matches!(before.next(), Some(Some('网' | '網'))))
}

/// Whether a date follows token `k` (spaces skipped), read as one number and what
/// follows it:
/// - a year of four digits, then `-`, `/` or `.` and a digit (`2014-01-01`), or then
///   `年` (`于2019年`, `于 2019 年`);
/// - a month's or a day's number of one or two digits, then `月`, `日` or `号` (`于8月3日`,
///   `于9日`).
///
/// (In the clean text we counted, 33 of 41 places of `于`'s block before a number and a
/// date's part hold `于`; `了` leads a duration, `了12年`, and a count, `了12个月`.)
fn date_follows(toks: &[Tok], k: usize) -> bool {
    let digit = |c: &Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let mut rest = toks
        .iter()
        .skip(k + 1)
        .map(|x| x.ch)
        .skip_while(|c| *c == Some(' '))
        .peekable();
    let mut digits = 0;
    while rest.next_if(digit).is_some() {
        digits += 1;
    }
    // Spaces may stand before a date's part, not inside `2014-01-01`.
    let mut spaced = false;
    while rest.next_if(|c| *c == Some(' ')).is_some() {
        spaced = true;
    }
    match rest.next() {
        Some(Some('-' | '/' | '.')) => {
            !spaced && digits == 4 && rest.next().is_some_and(|c| digit(&c))
        }
        Some(Some('年')) => digits == 4,
        Some(Some('月' | '日' | '号')) => (1..=2).contains(&digits),
        _ => false,
    }
}

/// Whether the ASCII word `w` names a keyboard key: one of [`KEY_NAMES`] in any case, or a
/// function key (`F1`-`F99`).
fn is_key_name(w: &[Tok]) -> bool {
    let mut name = [0u8; 10];
    if w.len() > name.len() {
        return false;
    }
    for (slot, x) in name.iter_mut().zip(w) {
        *slot = x.ch.map_or(0, |c| c.to_ascii_lowercase() as u8);
    }
    let name = name.get(..w.len()).unwrap_or(&[]);
    match name {
        [b'f', digits @ ..] if (1..=2).contains(&digits.len()) => {
            digits.iter().all(u8::is_ascii_digit)
        }
        _ => KEY_NAMES.binary_search(&name).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_sorted_lower_case_and_fit_the_buffer() {
        assert!(KEY_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(KEY_NAMES
            .iter()
            .all(|n| n.len() <= 10 && n.iter().all(u8::is_ascii_lowercase)));
    }

    #[test]
    fn collocations_are_words_of_two_characters() {
        for (heads, words) in COLLOCATIONS {
            assert!(!heads.is_empty());
            assert!(words.iter().all(|w| w.chars().count() == 2), "{words:?}");
        }
    }
}
