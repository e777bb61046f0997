//! Short runs of hanzi between ASCII text that are a Big5 page read as GBK, or a GBK
//! page read as Big5.
//!
//! Documentation and tables put a few words of Chinese between commands, paths and
//! cell walls (`$PATH"變數`, `||Lint引擎|`). Read with the wrong table, such a run is
//! too short for the search: Big5's less frequent hanzi (lead bytes B0-C6, trail bytes
//! A1-FE) read as GBK are GB2312 hanzi (`變數` is `跑计`), and a run of them has no odd
//! character at all. So the run is judged as a word: its Big5 reading must be a word
//! the model knows, pair by pair, of traditional or shared characters, where the run
//! itself has no known pair.
//!
//! Measured on 976,000 such runs of clean text (simplified, traditional, Japanese,
//! European text, code, 60,000 made-up names; two to eight characters between ASCII
//! or a line's edges), none reads as a word this way; of the runs of traditional
//! documentation read as GBK, 47 % do (most of the others have odd characters, and the
//! search repairs them).
//!
//! One character is too short to judge, but for Big5's `或` and `和` read as GBK (`┪`,
//! a box drawing, and `㎝`, the square centimetre): alone between ASCII words they are
//! the conjunctions of a page whose only Chinese they are (`x == 1 ┪ x EQ 1`).
//!
//! The other way round (`ssh 躇埥` for `ssh 密钥`, `Python 褐掛` for `Python 脚本`),
//! the run's GBK reading must be a word of simplified or shared characters, pair by
//! pair, and the run no word, not even in its simplified form ([`misread_reading`]: a
//! traditional word such as `複數` reads as `狡计`). Of 755,000 lines of clean text (the
//! kinds above but European text and code, and Taiwan's and Hong Kong's message
//! catalogues), none changes.
//!
//! The scans test each run of two to eight plain characters between ASCII bytes for
//! both readings ([`plain_fragment`]): on clean web text that costs the mojibake pass
//! about 8 % more instructions for the Big5 reading, and 2 % more for the GBK one.

use std::ops::Range;

use super::scan::three_byte_cp;
use super::tables::{Misread, SIMPLIFIED_ONLY};
use super::*;
use crate::convert::TsChars;

/// The longest run judged, in characters.
pub(super) const FRAGMENT_MAX: usize = 8;

/// The least bonus ([`Tables::bigram`]) of each pair of a reading: the rarest known
/// bigrams (0.1 to 0.3) are names' chance readings too (`丁刚` reads as `間試`). Of
/// 60,000 made-up names, 4 read as words at 0, none at 0.3; of the runs of traditional
/// documentation read as GBK, 11 % fewer are repaired.
const FRAGMENT_MIN_BONUS: f32 = 0.3;

/// The shortest run judged: one character is a word too seldom to tell.
const FRAGMENT_MIN: usize = 2;

/// Writes into `out` the reading of `run` (a run of non-ASCII characters between ASCII
/// text or a line's edges, as the wrong decoder of `m` made it) with the page's own
/// decoder, and returns its length, when that reading is a word and the run is none:
/// - the run is [`FRAGMENT_MIN`] to [`FRAGMENT_MAX`] characters, a hanzi among them,
///   with no known bigram and no Latin letter (`café` goes on past ASCII);
/// - each character reads, from its two bytes, as a hanzi of the page's script
///   ([`Tables::misread_hanzi`]: not simplified-only for a Big5 page, not
///   traditional-only for a GBK page);
/// - every adjacent pair of the reading is a known bigram of two different hanzi,
///   with a bonus above [`FRAGMENT_MIN_BONUS`];
/// - a Big5 page read as GBK: a kana only beside a simplified-only hanzi, which
///   Japanese does not write (`ま计` is `引數`; `ついて` between ASCII words is
///   Japanese, and `いて` reads as `中化`);
/// - a GBK page read as Big5: kana are allowed (Big5 reads some GBK hanzi as kana:
///   `ゴ袟` is `前缀`; a Japanese run between ASCII text reads as no word pair by pair,
///   and none of 37,000 lines of Japanese messages changes), but the run's simplified
///   forms ([`TsChars`]) have no known bigram either: the run is traditional
///   text, of Big5's own hanzi, and may be a word that the model knows in its
///   simplified form (`複數`, which reads as `狡计`, is `复数`).
pub(super) fn misread_reading(
    t: &Tables,
    m: Misread,
    run: &[char],
    out: &mut [char; FRAGMENT_MAX],
) -> Option<usize> {
    if !(FRAGMENT_MIN..=FRAGMENT_MAX).contains(&run.len()) {
        return None;
    }
    // The reading first, pair by pair: most runs of clean text fail it at once.
    let mut prev: Option<char> = None;
    for (slot, &c) in out.iter_mut().zip(run) {
        let r = t.misread_hanzi(m, c)?;
        if prev.is_some_and(|p| p == r || t.bigram(p, r) <= FRAGMENT_MIN_BONUS) {
            return None;
        }
        (*slot, prev) = (r, Some(r));
    }
    let kana = |c: char| ('\u{3040}'..='\u{30FF}').contains(&c);
    let (mut hanzi, mut simplified, mut kana_seen) = (false, false, false);
    for &c in run {
        if ('\u{C0}'..='\u{24F}').contains(&c) {
            return None;
        }
        hanzi |= is_han(c);
        simplified |= t.script(c) == SIMPLIFIED_ONLY;
        kana_seen |= kana(c);
    }
    if !hanzi || bigram_counts(t, run).0 > 0 {
        return None;
    }
    match m {
        Misread::Big5AsGbk if kana_seen && !simplified => None,
        Misread::Big5AsGbk => Some(run.len()),
        Misread::GbkAsBig5 => {
            let ts = TsChars::get();
            let mut forms = ['\0'; FRAGMENT_MAX];
            for (slot, &c) in forms.iter_mut().zip(run) {
                *slot = char::from_u32(ts.simplified(c as u32)).unwrap_or(c);
            }
            let forms = forms.get(..run.len()).unwrap_or(&[]);
            (bigram_counts(t, forms).0 == 0).then_some(run.len())
        }
    }
}

/// Whether the plain characters at `bytes[a..p]` (common hanzi and CJK punctuation,
/// three bytes each) stand between ASCII bytes or the edges of `bytes` and have a
/// [`misread_reading`]: the cheap scans' test for a run that holds no odd character.
/// Inline only the tests of the run's length and edges: the scans' loops meet many
/// runs.
#[inline(always)]
pub(super) fn plain_fragment(t: &Tables, bytes: &[u8], a: usize, p: usize) -> bool {
    if (p.wrapping_sub(a)).wrapping_sub(3 * FRAGMENT_MIN) > 3 * (FRAGMENT_MAX - FRAGMENT_MIN) {
        return false;
    }
    let (before, after) = (a.checked_sub(1).and_then(|j| bytes.get(j)), bytes.get(p));
    before.is_none_or(u8::is_ascii)
        && after.is_none_or(u8::is_ascii)
        && plain_fragment_reads(t, bytes, a, p)
}

/// [`plain_fragment`] past its tests of the run's length and edges (kept out of the
/// scans' loops): whether the readings of its first two characters, as a Big5 page
/// read as GBK or a GBK page read as Big5, may be a word
/// ([`Tables::misread_pair_may_be_word`]) while those two are none (most runs of clean
/// text fail one test or the other), then [`misread_reading`].
#[inline(never)]
fn plain_fragment_reads(t: &Tables, bytes: &[u8], a: usize, p: usize) -> bool {
    // (Plain characters are three bytes each, valid UTF-8: `bytes` is a `str`'s.)
    let cp = |k: usize| match bytes.get(a + 3 * k..a + 3 * k + 3) {
        Some(&[x, y, z]) => three_byte_cp(x, y, z),
        _ => 0,
    };
    let (c0, c1) = (cp(0), cp(1));
    let big5 = t.misread_pair_may_be_word(Misread::Big5AsGbk, c0, c1);
    let gbk = t.misread_pair_may_be_word(Misread::GbkAsBig5, c0, c1);
    if !big5 && !gbk {
        return false;
    }
    let mut chars = ['\0'; FRAGMENT_MAX];
    let n = (p - a) / 3;
    for (k, slot) in chars.iter_mut().enumerate().take(n) {
        match char::from_u32(cp(k)) {
            Some(c) => *slot = c,
            None => return false,
        }
    }
    let run = chars.get(..n).unwrap_or(&[]);
    // A known first pair: no reading (`misread_reading` wants none in the run).
    if bigram_counts(t, run.get(..2).unwrap_or(&[])).0 > 0 {
        return false;
    }
    let mut out = ['\0'; FRAGMENT_MAX];
    (big5 && misread_reading(t, Misread::Big5AsGbk, run, &mut out).is_some())
        || (gbk && misread_reading(t, Misread::GbkAsBig5, run, &mut out).is_some())
}

/// Repairs the runs between ASCII text of the line `chars` that are a Big5 page read
/// as GBK, or else a GBK page read as Big5 ([`misread_reading`]): [`chain_fragments`]
/// of the one chain and then of the other.
pub(super) fn misread_fragments(
    t: &Tables,
    chars: &[char],
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
) {
    chain_fragments(t, chars, fixes, arena, Misread::Big5AsGbk);
    chain_fragments(t, chars, fixes, arena, Misread::GbkAsBig5);
}

/// Repairs each run of the line `chars` that stands between ASCII text or the line's
/// edges, outside every repair in `fixes`, and has a reading ([`misread_reading`]) as
/// `m`, or is a lone conjunction ([`lone_conjunction`]) in a line whose other runs are
/// all repaired: unless another such run is clean Chinese, with a known bigram, or
/// `fixes` has a repair of another chain (a page is read with one table:
/// `非块(non-blocking) 模式打开` is clean text). (A run with U+FFFD in it has no
/// reading: a lost byte is other damage.)
fn chain_fragments(
    t: &Tables,
    chars: &[char],
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    m: Misread,
) {
    let chain = m.chain();
    // A line with repairs of another chain is no page read with this chain's table.
    if fixes.iter().any(|f| f.chain != chain) {
        return;
    }
    let n = fixes.len();
    let a0 = arena.len();
    let free =
        |fixes: &[Fix], r: &Range<usize>| !fixes.iter().any(|f| f.start < r.end && r.start < f.end);
    // (`fixes` are in line order: the first that may overlap a run, run by run.)
    let mut next_fix = 0;
    // Lone conjunctions found (where, which), and whether some run outside `fixes` is
    // left as it is.
    let (mut lone, mut left_alone) = (Vec::new(), false);
    for r in non_ascii_runs(chars) {
        while fixes.get(next_fix).is_some_and(|f| f.end <= r.start) {
            next_fix += 1;
        }
        if fixes.get(next_fix).is_some_and(|f| f.start < r.end) {
            continue;
        }
        if r.len() > FRAGMENT_MAX {
            left_alone = true;
            continue;
        }
        let run = chars.get(r.clone()).unwrap_or(&[]);
        let mut out = ['\0'; FRAGMENT_MAX];
        if let Some(len) = misread_reading(t, m, run, &mut out) {
            let r0 = arena.len();
            arena.extend_from_slice(out.get(..len).unwrap_or(&[]));
            fixes.push(Fix::by_rule(r.start, r.end, r0..arena.len(), chain, 0.5));
        } else if let Some(w) = lone_conjunction(m, chars, r.clone()) {
            lone.push((r.start, w));
        } else {
            left_alone = true;
        }
    }
    // Lone conjunctions only in a line whose other runs are all repaired: a run left as
    // it is (`┃ make ┪ ninja ┃`) is text the line's table reads right.
    if !left_alone {
        for (at, w) in lone {
            let r0 = arena.len();
            arena.push(w);
            fixes.push(Fix::by_rule(at, at + 1, r0..arena.len(), chain, 0.5));
        }
    }
    if fixes.len() == n {
        return;
    }
    // Clean Chinese elsewhere in the line, outside every repair: no page read with the
    // wrong table, and the runs read as words by chance.
    let clean = non_ascii_runs(chars)
        .any(|r| free(fixes, &r) && bigram_counts(t, chars.get(r).unwrap_or(&[])).0 > 0);
    if clean {
        fixes.truncate(n);
        arena.truncate(a0);
        return;
    }
    sort_if_added(fixes, n);
}

/// What a Big5 page's conjunctions `或` and `和` are, read as GBK (`┪` A9 CE, a box
/// drawing; `㎝` A9 4D, the square centimetre), with the conjunction each stands for.
const LONE_CONJUNCTIONS: [(char, char); 2] = [('┪', '或'), ('㎝', '和')];

/// The conjunction ([`LONE_CONJUNCTIONS`]) that the run `r` of `chars` is, for a Big5
/// page read as GBK: one character after an ASCII word and before one, a space on
/// either side (`x == 1 ┪ x == 2`, `rfc1939 ㎝ rfc2449`), or with a word of two
/// characters or more and a space on one side only, at the line's edge (a line that
/// wraps a sentence: `/etc/hosts ┪`), where no other character is all that tells the
/// page's table. A number after it is a figure's label (`A ┪ 10`), and so is a number
/// before the square centimetre (a length: `10 ㎝ x 20 ㎝`); both stay.
fn lone_conjunction(m: Misread, chars: &[char], r: Range<usize>) -> Option<char> {
    if m != Misread::Big5AsGbk || r.len() != 1 {
        return None;
    }
    let c = *chars.get(r.start)?;
    let &(_, w) = LONE_CONJUNCTIONS.iter().find(|x| x.0 == c)?;
    let before = side_word(chars.get(..r.start)?.iter().rev().copied())?;
    let after = side_word(chars.get(r.end..)?.iter().copied())?;
    // A word of two characters or more at one side when the other is the line's edge.
    let fits = match (before.len, after.len) {
        (0, 0) => false,
        (0, n) | (n, 0) => n >= 2,
        _ => true,
    };
    let number_after = after.nearest.is_some_and(|c| c.is_ascii_digit());
    (fits && !number_after && (c != '㎝' || before.len == 0 || !before.number)).then_some(w)
}

/// The ASCII word a space away on one side of a lone conjunction.
struct SideWord {
    /// Its length in characters (0: the conjunction is at the line's edge).
    len: usize,
    /// Its character nearest the conjunction.
    nearest: Option<char>,
    /// All of it is digits, `.` and `,`.
    number: bool,
}

/// The [`SideWord`] of `side`, the characters on one side of a lone conjunction read
/// outward from it: `None` unless a space and then an ASCII word are there, or
/// nothing.
fn side_word(mut side: impl Iterator<Item = char>) -> Option<SideWord> {
    match side.next() {
        None => Some(SideWord {
            len: 0,
            nearest: None,
            number: false,
        }),
        Some(' ') => {
            let mut word = SideWord {
                len: 0,
                nearest: None,
                number: true,
            };
            for c in side.take_while(char::is_ascii_graphic) {
                word.nearest.get_or_insert(c);
                word.len += 1;
                word.number &= c.is_ascii_digit() || matches!(c, '.' | ',');
            }
            (word.len > 0).then_some(word)
        }
        Some(_) => None,
    }
}

/// The maximal runs of non-ASCII characters of `chars`, in order.
fn non_ascii_runs(chars: &[char]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while chars.get(i).is_some_and(char::is_ascii) {
            i += 1;
        }
        let start = i;
        while chars.get(i).is_some_and(|c| !c.is_ascii()) {
            i += 1;
        }
        (i > start).then_some(start..i)
    })
}
