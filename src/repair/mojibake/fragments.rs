//! Short runs of hanzi between ASCII text that are a Big5 page read as GBK.
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
//! The scans test each run of two to eight plain characters between ASCII bytes for a
//! reading ([`plain_fragment`]): on clean web text that costs the mojibake pass about
//! 8 % more instructions.

use std::ops::Range;

use super::scan::three_byte_cp;
use super::tables::SIMPLIFIED_ONLY;
use super::*;

/// The longest run judged, in characters.
pub(super) const FRAGMENT_MAX: usize = 8;

/// The least bonus ([`Tables::bigram`]) of each pair of a reading: the rarest known
/// bigrams (0.1 to 0.3) are names' chance readings too (`丁刚` reads as `間試`). Of
/// 60,000 made-up names, 4 read as words at 0, none at 0.3; of the runs of traditional
/// documentation read as GBK, 11 % fewer are repaired.
const FRAGMENT_MIN_BONUS: f32 = 0.3;

/// The shortest run judged: one character is a word too seldom to tell.
const FRAGMENT_MIN: usize = 2;

/// Writes into `out` the Big5 reading of `run` (a run of non-ASCII characters between
/// ASCII text or a line's edges, as a GBK decoder made it) and returns its length, when
/// that reading is a word and the run is none:
/// - the run is [`FRAGMENT_MIN`] to [`FRAGMENT_MAX`] characters, a hanzi among them,
///   with no known bigram and no Latin letter (`café` goes on past ASCII);
/// - a kana only beside a simplified-only hanzi, which Japanese does not write (`ま计`
///   is `引數`; `ついて` between ASCII words is Japanese, and `いて` reads as `中化`);
/// - each character reads, from its two GBK bytes as Big5, as a hanzi that is not
///   simplified-only;
/// - every adjacent pair of the reading is a known bigram of two different hanzi,
///   with a bonus above [`FRAGMENT_MIN_BONUS`].
pub(super) fn big5_reading(
    t: &Tables,
    run: &[char],
    out: &mut [char; FRAGMENT_MAX],
) -> Option<usize> {
    if !(FRAGMENT_MIN..=FRAGMENT_MAX).contains(&run.len()) {
        return None;
    }
    // The reading first, pair by pair: most runs of clean text fail it at once.
    let mut prev: Option<char> = None;
    for (slot, &c) in out.iter_mut().zip(run) {
        let r = t.big5_hanzi(c)?;
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
    if !hanzi || (kana_seen && !simplified) || bigram_counts(t, run).0 > 0 {
        return None;
    }
    Some(run.len())
}

/// Whether the plain characters at `bytes[a..p]` (common hanzi and CJK punctuation,
/// three bytes each) stand between ASCII bytes or the edges of `bytes` and have a
/// [`big5_reading`]: the cheap scans' test for a run that holds no odd character.
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
/// scans' loops): whether the Big5 readings of its first two characters may be a word
/// ([`Tables::big5_pair_may_be_word`]; few runs of clean text pass), then
/// [`big5_reading`].
#[inline(never)]
fn plain_fragment_reads(t: &Tables, bytes: &[u8], a: usize, p: usize) -> bool {
    // (Plain characters are three bytes each, valid UTF-8: `bytes` is a `str`'s.)
    let cp = |k: usize| match bytes.get(a + 3 * k..a + 3 * k + 3) {
        Some(&[x, y, z]) => three_byte_cp(x, y, z),
        _ => 0,
    };
    if !t.big5_pair_may_be_word(cp(0), cp(1)) {
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
    let mut out = ['\0'; FRAGMENT_MAX];
    big5_reading(t, chars.get(..n).unwrap_or(&[]), &mut out).is_some()
}

/// Repairs each run of the line `chars` that stands between ASCII text or the line's
/// edges, outside every repair in `fixes`, and has a [`big5_reading`], as Big5 read as
/// GBK: unless another such run is clean Chinese, with a known bigram, or `fixes` has
/// a repair of another chain (a page is read with one table: `非块(non-blocking) 模式
/// 打开` is clean text). (A run with U+FFFD in it has no reading: a lost byte is other
/// damage.)
pub(super) fn big5_fragments(
    t: &Tables,
    chars: &[char],
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
) {
    // A line with repairs of another chain is no Big5 page read as GBK.
    if fixes.iter().any(|f| f.chain != "big5>gbk") {
        return;
    }
    let n = fixes.len();
    let a0 = arena.len();
    let free =
        |fixes: &[Fix], r: &Range<usize>| !fixes.iter().any(|f| f.start < r.end && r.start < f.end);
    // (`fixes` are in line order: the first that may overlap a run, run by run.)
    let mut next_fix = 0;
    for r in non_ascii_runs(chars) {
        if r.len() > FRAGMENT_MAX {
            continue;
        }
        while fixes.get(next_fix).is_some_and(|f| f.end <= r.start) {
            next_fix += 1;
        }
        if fixes.get(next_fix).is_some_and(|f| f.start < r.end) {
            continue;
        }
        let run = chars.get(r.clone()).unwrap_or(&[]);
        let mut out = ['\0'; FRAGMENT_MAX];
        if let Some(len) = big5_reading(t, run, &mut out) {
            let r0 = arena.len();
            arena.extend_from_slice(out.get(..len).unwrap_or(&[]));
            fixes.push(Fix::by_rule(
                r.start,
                r.end,
                r0..arena.len(),
                "big5>gbk",
                0.5,
            ));
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

/// The maximal runs of non-ASCII characters of `chars`, in order.
fn non_ascii_runs(chars: &[char]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let rest = chars.get(i..).unwrap_or(&[]);
        let start = i + rest.iter().position(|c| !c.is_ascii())?;
        let rest = chars.get(start..).unwrap_or(&[]);
        i = start + rest.iter().position(char::is_ascii).unwrap_or(rest.len());
        Some(start..i)
    })
}
