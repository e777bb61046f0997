//! Context evidence for a lost-byte guess beyond bigrams: word ends ([`super::ends`]),
//! punctuation rules ([`super::punct`]) and sentence frames (`在…中`, `如果…，则`:
//! [`frame_closers`]). [`GuessContext::bonus`] is subtracted from
//! each alternative's own score in `context_pass` (the scale is twice a character's
//! cost).

use super::{ends, is_han, punct, Tok};

/// Weight of a guess's word-end cost ([`ends::end_cost`]) when it ends a word (it
/// follows a hanzi and stands before ASCII text other than a digit, or the end).
const WORD_END_WEIGHT: f32 = 1.0;

/// Bonus for a guess after a hanzi that completes a dictionary word of three or more
/// characters with the two characters before it ([`ends::after`]), where it ends a
/// word: before ASCII text other than a digit or the end (as for [`WORD_END_WEIGHT`]),
/// or before a mark that ends one ([`ends_word_mark`]). As much as a common
/// character's own score and a half, so that a rarer character completing a name or
/// a term outweighs a commoner one's bigrams (`实名制`, `惊爆价`). (2.0 before; on our
/// thirteen case sets 2.5, 3.0, 3.5, 4.0 and 5.0 repaired 19, 27, 35, 34 and 40 more
/// lines than they spoilt, and on our synthetic sets 6, 18, 23, 20 and 20; of the 8
/// lines 3.5 spoils there, three are the measure word after `一` before ASCII or the
/// end (`提供了一个 API` read as `一下`: `了一下` ends words).)
const WORD_TRIGRAM_BONUS: f32 = 3.5;

/// Whether `c`, after a guess, ends the word the guess is in: a full-width mark that
/// ends a clause ([`punct::ends_clause`]), an enumeration comma or a closing bracket
/// or quote. There a guess that completes a dictionary word gets
/// [`WORD_TRIGRAM_BONUS`], but no word-end cost: numerals end enumerations there
/// (`表现一：`), which words rarely end with.
fn ends_word_mark(c: char) -> bool {
    !c.is_ascii() && (punct::ends_clause(c) || matches!(c, '、' | '》' | '」' | '）' | '”'))
}

/// Bonus for a character that closes a sentence frame opened before the guess
/// ([`frame_closers`]); as much as a common character's own score, so that it decides
/// between common characters and gives way to a word's bigram (`在这里输入一个 file`
/// keeps `个`). (1.0 repaired fewer of our case sets' lines, and lowered one chain on one.)
const FRAME_BONUS: f32 = 2.0;

/// How many decoded characters before a guess [`frame_closers`] looks at.
const FRAME_BACK: usize = 24;

/// Words that open a condition, whose consequence a `则` or `就` starts after the comma
/// (`如果…，则…`); written last character first.
const CONDITIONS: [[char; 2]; 6] = [
    ['果', '如'],
    ['如', '假'],
    ['若', '倘'],
    ['是', '要'],
    ['要', '只'],
    ['旦', '一'],
];

/// Marks that end a clause (a frame stays inside one): [`punct::ends_clause`]'s, and
/// the ASCII comma and full stop.
pub(super) fn ends_clause(c: char) -> bool {
    punct::ends_clause(c) || matches!(c, ',' | '.')
}

/// Every character [`frame_closers`] may name.
const FRAME_CHARS: [char; 4] = ['中', '则', '則', '就'];

/// Whether the alternatives `alts` may hold one of `chars`: as a rule they are sorted
/// (`sorted`), and then the range between the first and the last holds them all.
fn may_hold(alts: &[(char, f32)], sorted: bool, chars: &[char]) -> bool {
    match (sorted, alts.first(), alts.last()) {
        (true, Some(&(lo, _)), Some(&(hi, _))) => chars.iter().any(|c| (lo..=hi).contains(c)),
        _ => alts.iter().any(|x| chars.contains(&x.0)),
    }
}

/// Pronouns that begin a sentence as its subject (`你 可以`, `它 必须`).
const SUBJECTS: [char; 6] = ['你', '您', '我', '他', '她', '它'];

/// Bonus for a pronoun ([`SUBJECTS`]) guessed at a sentence's start before hanzi
/// ([`starts_sentence_before_hanzi`]): the conjunctions and prepositions that share its
/// lead bytes (`但`, `以`, `作`) get the function words' bonus, and `家`, `定` are
/// cheaper. (Tried offline on 2,203 scored guesses of our working seeds, counting
/// commas as sentence ends: 1.5 turned 11 wrong guesses right and no right one wrong;
/// 2.0 made `以 只读模式` `他`.)
const SUBJECT_BONUS: f32 = 1.5;

/// Whether the guess at token `k` starts a sentence (only white space stands between
/// it and the line's start or a mark that ends a clause, a comma excepted) and hanzi
/// follow it (white space between allowed). Where the tokens end and `line` is not
/// known, it does not. (After a comma a conjunction starts the clause as often:
/// `…, 但 可以 修改`; counting commas repaired 3 more of our case sets' lines and
/// spoilt 4 right characters.)
fn starts_sentence_before_hanzi(toks: &[Tok], k: usize, line: Option<(&[char], &[u32])>) -> bool {
    // The line's characters before and after the tokens, when it is known.
    let outside = |j: usize, after: bool| -> Option<&[char]> {
        let (chars, bchar) = line?;
        let x = toks.get(j)?;
        let b = if after { x.b1 as usize } else { x.b0 as usize };
        match bchar.get(b) {
            Some(&i) if after => chars.get(i as usize..),
            Some(&i) => chars.get(..i as usize),
            None if after => Some(&[]),
            None => None,
        }
    };
    let mut before = None;
    let mut j = k;
    while j > 0 {
        j -= 1;
        match punct::tok_char(toks, j, line) {
            Some(c) if punct::is_space(c) => continue,
            Some(c) => {
                before = Some(Some(c));
                break;
            }
            None => return false,
        }
    }
    let before = match before {
        Some(b) => b,
        None => match outside(0, false) {
            Some(text) => text.iter().rev().copied().find(|&c| !punct::is_space(c)),
            None => return false,
        },
    };
    if before.is_some_and(|c| !ends_clause(c) || matches!(c, '，' | ',')) {
        return false;
    }
    let mut j = k + 1;
    while j < toks.len() {
        match punct::tok_char(toks, j, line) {
            Some(c) if punct::is_space(c) => j += 1,
            Some(c) => return is_han(c),
            None => return false,
        }
    }
    let last = toks.len().saturating_sub(1);
    outside(last, true)
        .and_then(|text| text.iter().copied().find(|&c| !punct::is_space(c)))
        .is_some_and(is_han)
}

/// The characters that close a sentence frame the text before the guess at token `k`
/// opens: `则` (`則`) and `就` right after the comma that ends a condition
/// (`如果…，则`), `中` after a clause that holds the preposition `在` (`在配置文件中`;
/// not the `在` of `存在`, `现在`, `正在`, `所在`, `实在`, `自在`, `在于`, `在乎`). (The
/// other place and time words that close `在…` too, `上`, `下`, `时`, …, repaired no
/// more of our case sets' lines, and fewer of some chains'.)
fn frame_closers(toks: &[Tok], k: usize) -> &'static [char] {
    let mut before = ['\0'; FRAME_BACK];
    let mut n = 0;
    for c in toks
        .get(..k)
        .unwrap_or(&[])
        .iter()
        .rev()
        .filter_map(|x| x.ch)
    {
        let Some(slot) = before.get_mut(n) else { break };
        *slot = c;
        n += 1;
    }
    let b = before.get(..n).unwrap_or(&[]);
    let clause = |from: usize| {
        let rest = b.get(from..).unwrap_or(&[]);
        let len = rest
            .iter()
            .position(|&c| ends_clause(c))
            .unwrap_or(rest.len());
        rest.get(..len).unwrap_or(&[])
    };
    let spaces = b
        .iter()
        .take_while(|&&c| matches!(c, ' ' | '\u{3000}'))
        .count();
    if matches!(b.get(spaces), Some('，' | ',')) {
        let condition = clause(spaces + 1);
        if condition
            .windows(2)
            .any(|w| CONDITIONS.iter().any(|c| c == w))
        {
            return &['则', '則', '就'];
        }
    }
    let clause = clause(0);
    let preposition = clause.iter().enumerate().any(|(i, &c)| {
        c == '在'
            && !clause
                .get(i + 1)
                .is_some_and(|p| matches!(p, '存' | '现' | '正' | '所' | '实' | '自'))
            && !i
                .checked_sub(1)
                .and_then(|j| clause.get(j))
                .is_some_and(|q| matches!(q, '于' | '乎'))
    });
    if preposition {
        return &['中'];
    }
    &[]
}

/// What the text around one guess says about its alternatives.
pub(super) struct GuessContext {
    /// The guess ends a word: word-end figures apply.
    word_end: bool,
    /// The weight of the word-end cost where `word_end`: [`WORD_END_WEIGHT`] before
    /// ASCII text or the end, 0 before a mark ([`ends_word_mark`]).
    end_weight: f32,
    /// Word-final trigram records after the two hanzi before the guess.
    recs: &'static [u8],
    /// The punctuation marks that get a bonus, for guesses among punctuation marks.
    marks: punct::Marks,
    /// The characters that close a sentence frame open before the guess, or that are the
    /// subject of the sentence it starts (hanzi guesses), and their bonus.
    frame: &'static [char],
    frame_bonus: f32,
}

impl GuessContext {
    /// The context of the guess at token `k` with alternatives `alts`; it is
    /// `pending[p]` of the tokenization's guesses, whose alternatives are ranges of
    /// `all_alts`. `line` as in `context_pass`; `edge`: for tokens decoded without
    /// their line, what follows them; `sorted`: `alts` are in strictly increasing
    /// order.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        toks: &[Tok],
        k: usize,
        alts: &[(char, f32)],
        line: Option<(&[char], &[u32])>,
        pending: &[(usize, u32, u32)],
        all_alts: &[(char, f32)],
        p: usize,
        edge: punct::Edge,
        sorted: bool,
    ) -> GuessContext {
        let mut cx = GuessContext {
            word_end: false,
            end_weight: WORD_END_WEIGHT,
            recs: &[],
            marks: punct::Marks::default(),
            frame: &[],
            frame_bonus: FRAME_BONUS,
        };
        let first = alts.first().map(|x| x.0);
        if first.is_some_and(is_han) {
            // Before ASCII text (not a number: `第 3`) or the end, a guess after a
            // hanzi ends a word of two or more characters.
            let han_at = |j: Option<usize>| {
                j.and_then(|j| toks.get(j))
                    .and_then(|x| x.ch)
                    .filter(|&c| is_han(c))
            };
            let next = toks.get(k + 1);
            let before_ascii =
                next.is_none_or(|x| x.ch.is_some_and(|c| c.is_ascii() && !c.is_ascii_digit()));
            let before_mark = next.is_some_and(|x| x.ch.is_some_and(ends_word_mark));
            if (before_ascii || before_mark) && han_at(k.checked_sub(1)).is_some() {
                if let (Some(a), Some(b)) = (han_at(k.checked_sub(2)), han_at(k.checked_sub(1))) {
                    cx.recs = ends::after(a, b);
                }
                // Before a mark only a completed word counts.
                cx.word_end = before_ascii || !cx.recs.is_empty();
                if !before_ascii {
                    cx.end_weight = 0.0;
                }
            }
            // Only alternatives that may close a frame look for one.
            if may_hold(alts, sorted, &FRAME_CHARS) {
                cx.frame = frame_closers(toks, k);
            }
            if cx.frame.is_empty()
                && may_hold(alts, sorted, &SUBJECTS)
                && starts_sentence_before_hanzi(toks, k, line)
            {
                cx.frame = &SUBJECTS;
                cx.frame_bonus = SUBJECT_BONUS;
            }
        } else if punct::applies(alts) {
            let near = punct_neighbours(pending, all_alts, p);
            cx.marks =
                punct::Around::new(toks, k, line, near, edge, alts, sorted).marks(alts, sorted);
        }
        cx
    }

    /// Subtracts [`GuessContext::bonus`] from each alternative's own score (`own`,
    /// parallel to `alts`), the same figures in one specialised loop; `sorted`: `alts`
    /// are in strictly increasing order.
    #[inline]
    pub(super) fn apply(&self, alts: &[(char, f32)], own: &mut [f32], sorted: bool) {
        if self.word_end {
            let figures = ends::figures();
            if self.recs.is_empty() {
                for (o, &(c, _)) in own.iter_mut().zip(alts) {
                    *o -= -self.end_weight * ends::end_cost_in(figures, c);
                }
            } else if sorted {
                // Both sorted by character: one merge walk finds the words.
                let mut words = ends::last_chars(self.recs).peekable();
                for (o, &(c, _)) in own.iter_mut().zip(alts) {
                    let mut b = -self.end_weight * ends::end_cost_in(figures, c);
                    while words.next_if(|&w| w < c as u32).is_some() {}
                    if words.peek() == Some(&(c as u32)) {
                        b += WORD_TRIGRAM_BONUS;
                    }
                    *o -= b;
                }
            } else {
                for (o, &(c, _)) in own.iter_mut().zip(alts) {
                    *o -= self.word_end_bonus(c);
                }
            }
        } else if !self.marks.is_empty() {
            if sorted {
                // Sorted: each mark's alternative found by binary search (the others
                // lose 0, and `x - 0.0` is `x`).
                for &(c, b) in self.marks.as_slice() {
                    if let Some(j) = super::find_sorted(alts, c) {
                        if let Some(o) = own.get_mut(j) {
                            *o -= b;
                        }
                    }
                }
            } else {
                for (o, &(c, _)) in own.iter_mut().zip(alts) {
                    *o -= self.marks.bonus(c);
                }
            }
        }
        for &c in self.frame {
            if let Some(j) = alts.iter().position(|x| x.0 == c) {
                if let Some(o) = own.get_mut(j) {
                    *o -= self.frame_bonus;
                }
            }
        }
    }

    /// The bonus for the alternative `c` (of the alternatives the context was made for);
    /// negative for a penalty.
    #[inline]
    pub(super) fn bonus(&self, c: char) -> f32 {
        let mut b = 0.0;
        if self.word_end {
            b += self.word_end_bonus(c);
        }
        if self.frame.contains(&c) {
            b += self.frame_bonus;
        }
        b + self.marks.bonus(c)
    }

    /// The word-end part of [`GuessContext::bonus`] (for a guess that ends a word).
    fn word_end_bonus(&self, c: char) -> f32 {
        let mut b = -self.end_weight * ends::end_cost(c);
        if ends::ends_with(self.recs, c) {
            b += WORD_TRIGRAM_BONUS;
        }
        b
    }
}

/// For the guess `pending[p]` when its alternatives hold `、`: the token indices of
/// the guesses just before and after it whose alternatives hold `、` too.
fn punct_neighbours(
    pending: &[(usize, u32, u32)],
    alts: &[(char, f32)],
    p: usize,
) -> (Option<usize>, Option<usize>) {
    let dun = |q: Option<&(usize, u32, u32)>| {
        q.filter(|&&(_, a0, a1)| {
            punct::has(alts.get(a0 as usize..a1 as usize).unwrap_or(&[]), '、')
        })
        .map(|x| x.0)
    };
    let own = pending
        .get(p)
        .and_then(|&(_, a0, a1)| alts.get(a0 as usize..a1 as usize));
    if !own.is_some_and(|a| punct::has(a, '、')) {
        return (None, None);
    }
    (
        p.checked_sub(1).and_then(|q| dun(pending.get(q))),
        dun(pending.get(p + 1)),
    )
}

/// Extra cost, on the scale of one character's cost, of the inner text `toks` of a
/// two-layer repair where the token `tk` holds a re-picked character (the inner
/// reading of an intermediate character the outer decoder lost a byte of): the
/// word-end and punctuation evidence of [`GuessContext`], halved to that scale.
/// `edge`: what follows `toks`. An ASCII character there (the inner bytes of
/// candidates differ in an ASCII byte: `]` or `@` after `新`) is the bracket that
/// closes one open before it (`closer`), or opens one a stray closer after it closes
/// (`opener`: `[` before `152/0]`, not `A`), and not a rare symbol.
pub(super) fn window_extra(
    toks: &[Tok],
    tk: usize,
    edge: punct::Edge,
    (closer, opener): (Option<char>, Option<char>),
) -> f32 {
    let Some(c) = toks.get(tk).and_then(|x| x.ch) else {
        return 0.0;
    };
    if c.is_ascii() {
        return if Some(c) == closer || Some(c) == opener {
            -CLOSER_BONUS
        } else if matches!(c, '@' | '`' | '~' | '^' | '|' | '\\' | '{' | '}') {
            RARE_SYMBOL_PENALTY
        } else {
            0.0
        };
    }
    let alts = [(c, 0.0)];
    let cx = if is_han(c) {
        // As `GuessContext::new`, but at the window's last token only before ASCII
        // text other than a number (`参见 SEE ALSO`): a re-picked character at the end
        // of the text, or of a window cut short, is left to the bigrams (the word-end
        // figures misled there: `重启` at a line's end read as `重听`).
        let word_follows = matches!(edge.after, punct::After::Char(_) | punct::After::Space)
            && edge.shown.is_some_and(|n| !n.is_ascii_digit());
        if toks.get(tk + 1).is_none() && !word_follows {
            return 0.0;
        }
        // One alternative is in order.
        GuessContext::new(toks, tk, &alts, None, &[], &[], 0, edge, true)
    } else if punct::applies(&alts) {
        GuessContext {
            word_end: false,
            end_weight: WORD_END_WEIGHT,
            recs: &[],
            frame: &[],
            frame_bonus: FRAME_BONUS,
            marks: punct::Around::new(toks, tk, None, (None, None), edge, &alts, true)
                .marks(&alts, true),
        }
    } else {
        return 0.0;
    };
    // A full-width closing bracket closes one the window opened before it (the inner
    // text's `（` is mojibake in the intermediate text, where `closer` is found).
    let closes = matches!(c, '）' | '】')
        && open_bracket_closer(toks.get(..tk).unwrap_or(&[]).iter().filter_map(|x| x.ch))
            == Some(c);
    -0.5 * cx.bonus(c) - if closes { CLOSER_BONUS } else { 0.0 }
}

/// Bonus (on the scale of one character's cost) for an inner character that closes an
/// open bracket ([`window_extra`]).
const CLOSER_BONUS: f32 = 0.5;

/// Extra cost of an inner ASCII symbol that running text rarely has ([`window_extra`]).
const RARE_SYMBOL_PENALTY: f32 = 0.25;

/// The bracket that closes the innermost one left open in `text` (`]` for `[`, `)` for
/// `(`, `）` for `（`, `】` for `【`), if any.
pub(super) fn open_bracket_closer(text: impl IntoIterator<Item = char>) -> Option<char> {
    let mut stack: [char; 8] = ['\0'; 8];
    let mut n = 0usize;
    for c in text {
        let Some(&(_, close)) = WINDOW_BRACKETS.iter().find(|p| p.0 == c) else {
            if n > 0 && stack.get(n - 1) == Some(&c) {
                n -= 1;
            }
            continue;
        };
        if n == stack.len() {
            // Deeper than tracked: shift the oldest out.
            stack.copy_within(1.., 0);
            if let Some(slot) = stack.last_mut() {
                *slot = close;
            }
        } else if let Some(slot) = stack.get_mut(n) {
            *slot = close;
            n += 1;
        }
    }
    n.checked_sub(1).and_then(|i| stack.get(i)).copied()
}

/// The brackets whose pairs [`open_bracket_closer`] and [`unclosed_opener`] follow
/// (opener, closer).
const WINDOW_BRACKETS: [(char, char); 4] = [('[', ']'), ('(', ')'), ('（', '）'), ('【', '】')];

/// The bracket that opens the first closing bracket of `text` that closes none opened
/// in `text` before it (`[` for `152/0]`), if any: one opened before `text`.
pub(super) fn unclosed_opener(text: impl IntoIterator<Item = char>) -> Option<char> {
    let mut depth = 0usize;
    for c in text {
        if WINDOW_BRACKETS.iter().any(|p| p.0 == c) {
            depth += 1;
        } else if let Some(&(open, _)) = WINDOW_BRACKETS.iter().find(|p| p.1 == c) {
            match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return Some(open),
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{open_bracket_closer, unclosed_opener};

    #[test]
    fn unclosed_opener_names_the_bracket_the_first_stray_closer_closes() {
        let cases: [(&str, Option<char>); 6] = [
            ("", None),
            ("152/0]", Some('[')),
            ("a (b) c]", Some('[')),
            ("a) [b]", Some('(')),
            ("(a) [b]", None),
            ("x】", Some('【')),
        ];
        for (text, want) in cases {
            assert_eq!(unclosed_opener(text.chars()), want, "{text:?}");
        }
    }

    #[test]
    fn open_bracket_closer_names_the_innermost_open_bracket() {
        let cases: [(&str, Option<char>); 9] = [
            ("", None),
            ("a (b", Some(')')),
            ("a [b (c", Some(')')),
            ("a [b (c) d", Some(']')),
            ("（命名管道", Some('）')),
            ("（a [b] c", Some('）')),
            ("【注】（见", Some('）')),
            ("（a）", None),
            // A closer that does not match the innermost opener closes nothing.
            ("（a ] b", Some('）')),
        ];
        for (text, want) in cases {
            assert_eq!(open_bracket_closer(text.chars()), want, "{text:?}");
        }
        // Deeper than the eight tracked: the innermost are kept.
        let deep: String = "(".repeat(9) + "[";
        assert_eq!(open_bracket_closer(deep.chars()), Some(']'));
        let closed: String = "(".repeat(9) + ")";
        assert_eq!(open_bracket_closer(closed.chars()), Some(')'));
    }
}
