//! The cheap front of the mojibake pass: where a document may hold mojibake
//! ([`first_suspect`]) and whether a line is worth the candidate search
//! ([`scan_line`]). Clean Chinese text is almost all ASCII and plain three-byte
//! characters (common hanzi, CJK punctuation), so both walk the bytes and pass over
//! runs of those without decoding a `char`.

use std::sync::OnceLock;

use super::fragments::plain_fragment;
use super::tables::{class, Codec, Tables, SIMPLIFIED_ONLY};

/// [`Tables::is_plain`] indexed by the bytes of a three-byte character: entry
/// `x << 8 | (y & 0x3F)` (lead byte `x`, second byte `y`) holds the bits, by
/// `z & 0x3F` (third byte `z`), of the plain characters `x y z` reads as; 0 for every
/// `x` that is no three-byte lead. One lookup per character, with no arithmetic on the
/// code point: the runs of clean Chinese text the scans pass over are almost all
/// plain characters. (The entries of the leads are 16 blocks of 64 in a row, 8 KB that
/// stay in the first-level cache; untouched parts of the table are never paged in.)
type PlainByBytes = [u64; 1 << 16];

static PLAIN_BY_BYTES: OnceLock<Box<PlainByBytes>> = OnceLock::new();

/// The [`PlainByBytes`] table of `t` (built on first use; `t` is always the one
/// [`super::tables()`] returns).
fn plain_by_bytes(t: &Tables) -> &'static PlainByBytes {
    PLAIN_BY_BYTES.get_or_init(|| {
        let mut v = vec![0u64; 1 << 16];
        for x in 0xE0..=0xEFu32 {
            for y in 0..0x40u32 {
                let mut bits = 0u64;
                for z in 0..0x40u32 {
                    if t.is_plain((x & 0x0F) << 12 | y << 6 | z) {
                        bits |= 1 << z;
                    }
                }
                if let Some(slot) = v.get_mut((x << 8 | y) as usize) {
                    *slot = bits;
                }
            }
        }
        let table: Box<PlainByBytes> = match v.into_boxed_slice().try_into() {
            Ok(t) => t,
            Err(_) => unreachable!("the vector has 1 << 16 entries"),
        };
        table
    })
}

/// Whether the three-byte character whose bytes are the low three of `w` (first byte
/// lowest) is plain: a three-byte lead, and the code point read from the three bytes
/// as [`Tables::is_plain`] has it (continuation bytes are not checked: in a `&str`
/// they are ones).
#[inline(always)]
fn plain_w(p: &PlainByBytes, w: u64) -> bool {
    let xy = (w as u16).swap_bytes() & 0xFF3F;
    (p[xy as usize] >> ((w >> 16) & 0x3F)) & 1 != 0
}

/// The end of the run of plain three-byte characters ([`plain_w`]) that starts at
/// byte `i` of `bytes` (`i` itself when there is none, or when fewer than three bytes
/// are left). The first character alone (so that an odd one, as in mojibake, costs one
/// lookup), then four characters a step (from one 16-byte read, without a branch per
/// character), then one at a time.
#[inline(always)]
fn plain_run(p: &PlainByBytes, bytes: &[u8], mut i: usize) -> usize {
    match bytes.get(i..i + 3) {
        Some(&[x, y, z]) if plain_w(p, x as u64 | (y as u64) << 8 | (z as u64) << 16) => i += 3,
        _ => return i,
    }
    while let Some(w) = bytes.get(i..i + 16) {
        let mut a = [0u8; 16];
        a.copy_from_slice(w);
        let v = u128::from_le_bytes(a);
        let all = plain_w(p, v as u64)
            & plain_w(p, (v >> 24) as u64)
            & plain_w(p, (v >> 48) as u64)
            & plain_w(p, (v >> 72) as u64);
        if !all {
            break;
        }
        i += 12;
    }
    while let Some(&[x, y, z]) = bytes.get(i..i + 3) {
        if !plain_w(p, x as u64 | (y as u64) << 8 | (z as u64) << 16) {
            break;
        }
        i += 3;
    }
    i
}

/// The code point and length of the non-ASCII character whose lead byte is at `i` of
/// `bytes`, which hold valid UTF-8 (so the lead byte gives the length and its
/// continuation bytes follow); `None` past the end.
#[inline(always)]
fn char_at(bytes: &[u8], i: usize) -> Option<(u32, usize)> {
    let low6 = |b: u8| (b & 0x3F) as u32;
    match *bytes.get(i..)? {
        [x @ 0xC0..=0xDF, y, ..] => Some(((x as u32 & 0x1F) << 6 | low6(y), 2)),
        [x @ 0xE0..=0xEF, y, z, ..] => Some(((x as u32 & 0x0F) << 12 | low6(y) << 6 | low6(z), 3)),
        [x @ 0xF0..=0xFF, y, z, w, ..] => Some((
            (x as u32 & 0x07) << 18 | low6(y) << 12 | low6(z) << 6 | low6(w),
            4,
        )),
        _ => None,
    }
}

/// The code point of the three-byte UTF-8 sequence `x y z` (a lead byte E0-EF and two
/// continuation bytes).
#[inline(always)]
pub(super) fn three_byte_cp(x: u8, y: u8, z: u8) -> u32 {
    (x as u32 & 0x0F) << 12 | (y as u32 & 0x3F) << 6 | (z as u32 & 0x3F)
}

/// The three bytes from `i` of `bytes` as [`plain_w`] reads them (first byte lowest;
/// missing bytes are 0).
#[inline(always)]
fn cp_bytes(bytes: &[u8], i: usize) -> u64 {
    match bytes.get(i..i + 3) {
        Some(&[x, y, z]) => x as u64 | (y as u64) << 8 | (z as u64) << 16,
        _ => 0,
    }
}

/// The end of the run of ASCII bytes that starts at byte `i` of `bytes`, eight bytes
/// a step.
#[inline(always)]
fn ascii_run(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&[b0, b1, b2, b3, b4, b5, b6, b7]) = bytes.get(i..i + 8) {
        let v = u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]);
        if v & 0x8080_8080_8080_8080 != 0 {
            // The first byte with the high bit, counted from the low end.
            return i + ((v & 0x8080_8080_8080_8080).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|b| b.is_ascii()) {
        i += 1;
    }
    i
}

/// The byte offset (from `from`) of the first character the cheap scan must look at:
/// anything but ASCII, plain characters ([`Tables::is_plain`]), characters outside the
/// BMP and the runs of single-byte characters in which [`scan_line`] can find nothing
/// ([`inert_sb_run`]: a lone no-break space, `·` or `—` of clean text, `……`); or the
/// first of a run of plain characters between ASCII text that reads as a word with the
/// other double-byte table ([`plain_fragment`]). `bytes.len()` when there is none.
pub(super) fn first_suspect(t: &Tables, bytes: &[u8], from: usize) -> usize {
    suspect_from::<true>(t, bytes, from)
}

/// [`first_suspect`] without the runs that read as a word with the other table: what its
/// char-by-char oracle finds.
#[cfg(test)]
fn first_odd(t: &Tables, bytes: &[u8], from: usize) -> usize {
    suspect_from::<false>(t, bytes, from)
}

/// [`first_suspect`]; without `FRAGMENTS`, `first_odd` (the tests' oracle's twin).
#[inline(always)]
fn suspect_from<const FRAGMENTS: bool>(t: &Tables, bytes: &[u8], from: usize) -> usize {
    let plain = plain_by_bytes(t);
    let mut i = from;
    let n = bytes.len();
    while i < n {
        let a = ascii_run(bytes, i);
        let p = plain_run(plain, bytes, a);
        if p > i {
            if FRAGMENTS && p > a && plain_fragment(t, bytes, a, p) {
                return a;
            }
            i = p;
            continue;
        }
        let Some(&x) = bytes.get(i) else { break };
        if x >= 0xF0 && bytes.get(i + 3).is_some() {
            // Outside the BMP: never mojibake (see `scan_line`).
            i += 4;
            continue;
        }
        match inert_sb_run(t, plain, bytes, i) {
            Some(e) => i = e,
            None => return i,
        }
    }
    n
}

/// The end of the run of single-byte characters ([`is_sb_high`]: Latin-1, windows-1252
/// punctuation) that starts at byte `i` of `bytes`, when [`scan_line`] can find
/// nothing in it, whatever stands before it and however far it scans: the run is one
/// character or only [`chinese_mark`]s (no pair of [`SbRun`]), none a C1 control or
/// `€` (a sign on its own), U+FFFD does not follow (it would pair with the run) and
/// its last character and the byte after it are no lead byte and ASCII trail byte
/// ([`lead_and_ascii_trail`]). `None` for any other character at `i`, or such a run.
///
/// Clean Chinese web text has many such runs (`&nbsp;` indents, `·` before the items
/// of a list, `——`), and lines of them are passed over here instead of being scanned
/// a second time. The caller has passed over the character before `i`, so it is no
/// single-byte character (or the run would have started there), and the scan that
/// starts after the run has nothing of it to carry: no run of [`SbRun`] (ASCII, plain
/// characters and every other character but U+FFFD end one) and no lead byte waiting
/// for its trail.
#[inline]
fn inert_sb_run(t: &Tables, plain: &PlainByBytes, bytes: &[u8], i: usize) -> Option<usize> {
    let (mut j, mut n, mut marks, mut last) = (i, 0usize, true, 0u32);
    while let Some((cp, len)) = char_at(bytes, j) {
        if cp > 0xFFFF || (len == 3 && plain_w(plain, cp_bytes(bytes, j))) {
            break;
        }
        let k = t.class_cp(cp);
        if !is_sb_high(k) {
            if k == class::REPLACEMENT {
                return None;
            }
            break;
        }
        if k == class::C1 || cp == 0x20AC {
            return None;
        }
        marks &= chinese_mark(cp);
        (n, last, j) = (n + 1, cp, j + len);
    }
    let lead = sb_lead(last);
    let trail = bytes.get(j).filter(|b| b.is_ascii());
    if n == 0
        || (n > 1 && !marks)
        || lead
            .zip(trail)
            .is_some_and(|(a, &x)| lead_and_ascii_trail(t, a, x as u32))
    {
        return None;
    }
    Some(j)
}

/// What the cheap scan found in a line.
pub(super) struct Scan {
    /// Worth trying the Latin-1/windows-1252 chains: two such characters in a row (not
    /// two [`chinese_mark`]s) that some single-byte chain could have made ([`SbRun`]),
    /// a C1 control, or a GBK or Big5 lead byte before an ASCII trail byte
    /// ([`lead_and_ascii_trail`]).
    pub(super) sb: bool,
    /// Worth trying the GBK/Big5 chains: two characters that clean Chinese text rarely
    /// has (anything but ASCII, common hanzi, CJK punctuation and Latin-1) at most two
    /// apart, or one to three anywhere in a short line, or a private-use character.
    pub(super) cjk: bool,
    /// Contains a marker of unrecoverable damage.
    pub(super) unrecoverable: bool,
    /// Holds a run of plain characters between ASCII text that reads as a word with the
    /// other double-byte table ([`plain_fragment`]; worth [`super::misread_fragments`]
    /// alone).
    pub(super) fragment: bool,
    /// The scan stopped at the first sign of CJK mojibake (`cjk` is set, and the line
    /// goes to the candidate search whatever follows): `sb` and `unrecoverable` then
    /// cover only the text before that point; [`sb_in`] gives `sb` for the whole line.
    pub(super) stopped: bool,
}

/// [`Scan::sb`] of the line whose characters are `chars`, by the same rules as
/// [`scan_line`] (for a line whose scan stopped early): two Latin-1/windows-1252
/// characters in a row, not both [`chinese_mark`]s (U+FFFD counts as one after
/// another), in a run some single-byte chain could have made ([`SbRun`]); a C1
/// control; or a Latin-1 character from A1 to FE (a GBK or Big5 lead byte read as
/// Latin-1) before an ASCII trail byte ([`lead_and_ascii_trail`]). Plain three-byte
/// characters, other characters and ASCII end a run.
pub(super) fn sb_in(t: &Tables, chars: &[char]) -> bool {
    // The run, live while `in_run` (a flag is cheaper to reset, once a character).
    let (mut run, mut in_run) = (SbRun::new(), false);
    let mut prev_lead: Option<u8> = None;
    for &c in chars {
        let cp = c as u32;
        if cp < 0x80 {
            if prev_lead.is_some_and(|a| lead_and_ascii_trail(t, a, cp)) {
                return true;
            }
            (in_run, prev_lead) = (false, None);
            continue;
        }
        prev_lead = None;
        // `scan_line` counts characters outside the BMP as plain text, and passes over
        // plain three-byte characters in bulk: both end a row, as the classes of plain
        // characters (common hanzi and CJK punctuation) do below. So do all unified
        // hanzi (whose classes are the four of hanzi: none a single-byte class), here
        // without looking the class up.
        if cp > 0xFFFF || (0x3400..=0x9FFF).contains(&cp) {
            in_run = false;
            continue;
        }
        let k = t.class_cp(cp);
        let sb = is_sb_high(k);
        if !sb && k != class::REPLACEMENT {
            in_run = false;
            continue;
        }
        if !in_run {
            (run, in_run) = (SbRun::new(), true);
        }
        if sb {
            if run.push(t, sb_byte(t, c), chinese_mark(cp)) || k == class::C1 {
                return true;
            }
            prev_lead = sb_lead(cp);
        } else if run.push(t, None, false) {
            return true;
        }
    }
    false
}

/// Latin-1 letters and symbols, windows-1252 punctuation and C1 controls: what a
/// single-byte decoder makes of high bytes.
pub(super) fn is_sb_high(k: u8) -> bool {
    matches!(
        k,
        class::LATIN1_LETTER
            | class::LATIN1_SYMBOL
            | class::CP1252_PUNCT
            | class::CP1252_RARE
            | class::C1
    )
}

/// Whether the character before byte `at` of `bytes` is a three-byte one with lead
/// E4..=E9 (hanzi U+4000..=U+9FFF). A WHATWG GBK decoder makes `€` of a lone UTF-8 byte
/// 80 and U+FFFD of a lost last byte right after the hanzi it reads the bytes before as
/// (`所` E6 89 80 → `鎵€`, `否` E5 90 A6 → `鍚�`); such a hanzi may be a common one, and
/// one of these after it is worth the search even in a long clean line (the damaged
/// span of a partly damaged line).
#[inline]
fn after_han(bytes: &[u8], at: usize) -> bool {
    at.checked_sub(3)
        .and_then(|p| bytes.get(p))
        .is_some_and(|&b| (0xE4..=0xE9).contains(&b))
}

/// Whether one of the two characters from byte `i` of `bytes` is a simplified-only
/// hanzi ([`Tables::script`] 1).
fn simplified_follows(t: &Tables, bytes: &[u8], mut i: usize) -> bool {
    for _ in 0..2 {
        let Some((cp, len)) = char_at(bytes, i) else {
            return false;
        };
        if char::from_u32(cp).is_some_and(|c| t.script(c) == SIMPLIFIED_ONLY) {
            return true;
        }
        i += len;
    }
    false
}

/// Whether `c` (of class `k`) is a character that no chain of the CJK passes makes: one
/// that neither GBK nor Big5 has (Hangul, Arabic, Thai), other than U+FFFD and private
/// use. (UTF-8 or Big5 bytes read as GBK never make one of GB18030's four-byte
/// characters: those need ASCII digits for their second and fourth bytes, after a lead
/// byte and after a byte that UTF-8 and Big5 only have before a trail byte.) It is no
/// odd character for the scan's pairs, and opens no stretch of the search.
#[inline]
pub(super) fn cjk_inert(t: &Tables, c: char, k: u8) -> bool {
    k != class::REPLACEMENT
        && k != class::PUA
        && !t.can_encode(Codec::Gbk, c)
        && !t.can_encode(Codec::Big5, c)
}

/// Whether `cp` is one of the marks Chinese text uses that windows-1252 also has (`—`,
/// `…`, curly quotes, the middle dot). Two of them in a row (`——`, `……`, `“…`) are
/// everyday Chinese punctuation, not a sign of Latin-1 mojibake: mojibake that makes
/// them makes other Latin-1 characters beside them.
#[inline]
pub(super) fn chinese_mark(cp: u32) -> bool {
    matches!(
        cp,
        0x2014 | 0x2026 | 0x201C | 0x201D | 0x2018 | 0x2019 | 0xB7
    )
}

/// Whether `cp` is a [`chinese_mark`] that windows-1252 has among bytes 80 to 9F (the
/// curly quotes, the dash, the ellipsis; not the middle dot, B7): a byte that starts
/// no UTF-8 sequence and no GBK or Big5 code of a common character, so that Chinese
/// text's own mark right before a span of GBK read as windows-1252 shifts every pair
/// after it (`“ÓÉÓÚ` is `“由于`).
#[inline]
pub(super) fn shifting_mark(cp: u32) -> bool {
    chinese_mark(cp) && cp != 0xB7
}

/// One of the last odd characters of a line, for the scan's pairs.
#[derive(Clone, Copy)]
struct Odd {
    /// Where it is: the count of chars up to and including it (from where the scan
    /// started), and its byte offset.
    at: usize,
    byte: usize,
    /// Passed over: a less common hanzi in a word ([`less_common_in_a_word`]);
    /// `None` until a later odd character needs to know.
    in_word: Option<bool>,
}

/// What the scan remembers of the last odd characters of a line, for its pairs: the
/// last three, latest first (no more can lie within 3 chars of the next one).
#[derive(Clone, Copy)]
pub(super) struct OddPairs {
    recent: [Odd; 3],
}

impl OddPairs {
    pub(super) fn new() -> OddPairs {
        let none = Odd {
            at: usize::MAX - 8,
            byte: 0,
            in_word: Some(false),
        };
        OddPairs { recent: [none; 3] }
    }

    /// Looks at the odd character `c` (of class `k`, at byte `start` of `line`; `ci`
    /// chars up to and including it, counted from where the scan started): whether it
    /// makes the line worth the CJK search. It does with an odd character at most 3
    /// chars before it, or alone when it is private use (what a GBK decoder makes of
    /// Big5's punctuation and commonest hanzi), if some CJK chain could have made them
    /// ([`some_cjk_chain_makes`]): the characters from the latest such odd character
    /// to `c`, or the private-use character with the character before it (or, first
    /// in the line or starting the damage, alone). A character no CJK chain makes
    /// ([`cjk_inert`]) and a less common hanzi that makes a word with a character
    /// beside it ([`less_common_in_a_word`]) are passed over. (The word test, two
    /// bigram lookups, runs only on a less common hanzi that could pair: most of
    /// them in clean text have no odd character near.)
    #[inline]
    pub(super) fn worth_the_search(
        &mut self,
        t: &Tables,
        line: &str,
        start: usize,
        ci: usize,
        c: char,
        k: u8,
    ) -> bool {
        if cjk_inert(t, c, k) {
            return false;
        }
        // The latest odd character at most 3 chars back that is not passed over.
        let mut partner = None;
        for o in self.recent.iter_mut() {
            if ci.wrapping_sub(o.at) > 3 {
                break;
            }
            let in_word = *o.in_word.get_or_insert_with(|| {
                let h = char_at(line.as_bytes(), o.byte).and_then(|(cp, _)| char::from_u32(cp));
                h.is_some_and(|h| less_common_in_a_word(t, line, o.byte, h))
            });
            if !in_word {
                partner = Some(o.byte);
                break;
            }
        }
        let less = k == class::LESS;
        if partner.is_some() && less && less_common_in_a_word(t, line, start, c) {
            return false;
        }
        let end = start + c.len_utf8();
        let pair =
            partner.is_some_and(|b| some_cjk_chain_makes(t, line.get(b..end).unwrap_or(""), true));
        let worth = pair || (k == class::PUA && made_alone(t, line, start));
        let [r0, r1, _] = self.recent;
        let me = Odd {
            at: ci,
            byte: start,
            in_word: (!less || partner.is_some()).then_some(false),
        };
        self.recent = [me, r0, r1];
        worth
    }
}

/// Whether some CJK chain could have made the character at byte `start` of `line` on
/// its own ([`some_cjk_chain_makes`]): starting the damage, or with the character
/// before it.
fn made_alone(t: &Tables, line: &str, start: usize) -> bool {
    let before = line.get(..start).unwrap_or("");
    let prev = before.len() - before.chars().next_back().map_or(0, char::len_utf8);
    let end = start + char_at(line.as_bytes(), start).map_or(0, |(_, n)| n);
    some_cjk_chain_makes(t, line.get(start..end).unwrap_or(""), false)
        || (prev < start && some_cjk_chain_makes(t, line.get(prev..end).unwrap_or(""), true))
}

/// Whether the odd character at byte `start` of `line` is a sign of mojibake on its own,
/// in a short line: some CJK chain could have made it ([`made_alone`]), and it is no
/// less common hanzi in a word ([`less_common_in_a_word`]: `歌谣`).
fn sign_on_its_own(t: &Tables, line: &str, start: usize) -> bool {
    let Some(c) = char_at(line.as_bytes(), start).and_then(|(cp, _)| char::from_u32(cp)) else {
        return false;
    };
    !(t.class(c) == class::LESS && less_common_in_a_word(t, line, start, c))
        && made_alone(t, line, start)
}

/// Whether some chain of the CJK passes could have made the characters of `stretch`
/// as one piece of its output: GBK or Big5 reading UTF-8 (`utf8>gbk`, `utf8>big5`,
/// and the double layers, whose outer layer is one of them), Big5 text read as GBK
/// (`big5>gbk`), GBK text read as Big5 (`gbk>big5`). With `mid`, the piece may start
/// inside the damage (the bytes inside a UTF-8 sequence); without, it starts it (a
/// line, and mojibake inside clean text, starts at a character of the original
/// text). The test looks at bytes only, so it never refuses what a chain makes:
/// - `utf8>d`: every character encodes under `d`, and the bytes are a piece of valid
///   UTF-8 ([`Utf8Piece`]; U+FFFD, a byte a strict decoder lost, fits anything, and
///   so do `€` and U+3000, which a GBK decoder makes of two byte sequences each);
/// - the cross chains: every character encodes under the decoder, each two-byte code
///   is one that the other encoding has (Big5's lead bytes 81 to FE, trail bytes 40
///   to 7E and A1 to FE; all of them are GBK codes), and each odd character (any
///   but common hanzi and CJK punctuation) is the reading of a common hanzi or CJK
///   punctuation of the text it came from. Chinese text in the wrong table gives
///   its odd characters (less common hanzi, kana, symbols, private use) from its
///   common characters, and from its rarer ones only where they are rarer still:
///   a pair of those in a clean line is a name, a rare word or two symbols side by
///   side (`★★`, `─→`), and a long line of such mojibake has many other pairs.
fn some_cjk_chain_makes(t: &Tables, stretch: &str, mid: bool) -> bool {
    chain_makes(t, stretch, Codec::Gbk, mid) || chain_makes(t, stretch, Codec::Big5, mid)
}

/// [`some_cjk_chain_makes`] for the chains whose last decoder is `d` (GBK or Big5).
fn chain_makes(t: &Tables, stretch: &str, d: Codec, mid: bool) -> bool {
    let other = if d == Codec::Gbk {
        Codec::Big5
    } else {
        Codec::Gbk
    };
    let mut utf8 = Utf8Piece::new(mid);
    let mut cross = true;
    for c in stretch.chars() {
        let Some((a, b)) = t.encoded(d, c) else {
            return false;
        };
        // A lost byte fits anything; so, for this test, do the chars a GBK decoder
        // also makes of other bytes ([`super::encode::gbk_alternative`]).
        if a == super::tables::WILD
            || (d == Codec::Gbk && super::encode::gbk_alternative(c).is_some())
        {
            return true;
        }
        utf8.push(a);
        if let Some(b) = b {
            utf8.push(b);
        }
        // The cross chain: `c` is a character of the other encoding read with `d`.
        cross = cross
            && match b {
                None => a < 0x80,
                Some(b) => {
                    let code = [a as u8, b as u8];
                    (0x81..=0xFE).contains(&a)
                        && matches!(b, 0x40..=0x7E | 0xA1..=0xFE)
                        && (common(t, c) || reads_as(t, other, code, common))
                }
            };
        if !utf8.ok && !cross {
            return false;
        }
    }
    true
}

/// Whether bytes fed one at a time could be a piece of valid UTF-8: lead bytes
/// followed by as many continuation bytes as they announce, in the ranges UTF-8 allows
/// after each (no overlong forms, surrogates or code points past U+10FFFF). The piece
/// may end inside a sequence, and with `mid` start inside one (up to three leading
/// continuation bytes).
#[derive(Clone, Copy)]
struct Utf8Piece {
    /// Continuation bytes still due, and the range the next one must be in.
    due: u8,
    next: (u16, u16),
    /// Leading continuation bytes that may still be passed over.
    skip: u8,
    ok: bool,
}

impl Utf8Piece {
    fn new(mid: bool) -> Utf8Piece {
        Utf8Piece {
            due: 0,
            next: (0x80, 0xBF),
            skip: if mid { 3 } else { 0 },
            ok: true,
        }
    }

    #[inline]
    fn push(&mut self, b: u16) {
        if (0x80..=0xBF).contains(&b) {
            if self.due > 0 {
                self.ok &= (self.next.0..=self.next.1).contains(&b);
                self.due -= 1;
                self.next = (0x80, 0xBF);
            } else if self.skip > 0 {
                self.skip -= 1;
            } else {
                self.ok = false;
            }
            return;
        }
        self.skip = 0;
        if self.due > 0 {
            self.ok = false;
            return;
        }
        (self.due, self.next) = match b {
            0..=0x7F => (0, (0x80, 0xBF)),
            0xC2..=0xDF => (1, (0x80, 0xBF)),
            0xE0 => (2, (0xA0, 0xBF)),
            0xED => (2, (0x80, 0x9F)),
            0xE1..=0xEF => (2, (0x80, 0xBF)),
            0xF0 => (3, (0x90, 0xBF)),
            0xF4 => (3, (0x80, 0x8F)),
            0xF1..=0xF3 => (3, (0x80, 0xBF)),
            _ => {
                self.ok = false;
                (0, (0x80, 0xBF))
            }
        };
    }
}

/// The byte a single-byte decoder read as `c` (`None` for U+FFFD, a byte a strict
/// decoder lost).
#[inline]
fn sb_byte(t: &Tables, c: char) -> Option<u8> {
    match t.encoded(Codec::Sb, c) {
        Some((b, None)) if b <= 0xFF => Some(b as u8),
        _ => None,
    }
}

/// The run of characters a single-byte decoder makes (Latin-1, windows-1252, C1
/// controls, U+FFFD) that ends at the scan's position, for its pairs. Such a run in
/// mojibake starts at a character of the original text (after ASCII, which every chain
/// keeps, or a character no single-byte decoder makes), so its bytes are, from its
/// start, valid UTF-8 (`utf8>latin1`, `utf8>cp1252` and the layers over them) or GBK or
/// Big5 codes, two bytes each (`gbk>latin1`, `big5>cp1252`…).
#[derive(Clone, Copy)]
struct SbPiece {
    /// Characters in the run (at most 2 counted).
    len: u8,
    prev_mark: bool,
    /// A lead byte waiting for its trail byte (at an even offset of the run).
    lead: Option<u8>,
    utf8: Utf8Piece,
    /// How many codes the run has that GBK or Big5 reads as a common character (at
    /// most 2 counted; U+FFFD, a lost byte, counts as 2).
    codes: u8,
}

impl SbPiece {
    fn new() -> SbPiece {
        SbPiece {
            len: 0,
            prev_mark: false,
            lead: None,
            utf8: Utf8Piece::new(false),
            codes: 0,
        }
    }

    /// Adds the next character of the run, read from `byte` (`None` for U+FFFD),
    /// a [`chinese_mark`] or not. Whether the run now makes the line worth the
    /// single-byte passes: two characters in a row, not both marks, in a run some
    /// single-byte chain could have made: its bytes are valid UTF-8 so far (but for
    /// an unfinished last sequence), or it has U+FFFD or a double-byte code at an
    /// even offset that GBK or Big5 reads as a common hanzi or CJK punctuation (or
    /// byte 0x80 first: GBK's `€`). Two no-break spaces, or a bullet and one (`• `),
    /// after clean text are none of these.
    #[inline]
    fn push(&mut self, t: &Tables, byte: Option<u8>, mark: bool) -> bool {
        let pair = self.len > 0 && !(self.prev_mark && mark);
        self.len = (self.len + 1).min(2);
        self.prev_mark = mark;
        match byte {
            None => self.codes = 2,
            Some(b) => {
                if self.utf8.ok {
                    self.utf8.push(b as u16);
                }
                match self.lead.take() {
                    None => self.lead = Some(b),
                    Some(a) => {
                        self.codes = (self.codes + code_reads_common(t, a, b) as u8).min(2);
                    }
                }
            }
        }
        pair && (self.codes > 0 || self.utf8.ok)
    }
}

/// [`SbPiece`] of a run, and of the run without the characters of the clean text
/// that may stand right before a span and start it in the scan's eyes: a no-break
/// space or a [`shifting_mark`] (curly quotes, the dash, the ellipsis) starts no UTF-8
/// sequence and no GBK or Big5 code of a common character, and
/// shifts every pair after it (`1.\u{A0}ÓÃ` is `1.\u{A0}用`, `“ÓÉÓÚ` is `“由于`). In
/// the run without them, only codes that GBK or Big5 reads as common characters (or
/// U+FFFD) make the line worth the single-byte passes: one after no-break spaces, two
/// after a mark.
#[derive(Clone, Copy)]
struct SbRun {
    whole: SbPiece,
    /// The run from its first other character, when it starts with such characters.
    rest: SbPiece,
    /// Every character so far was one of those.
    leading: bool,
    /// The codes `rest` needs: 0 when the run started with none of those (`rest` is
    /// not live), one after no-break spaces, two after a mark (`“Ã©”`, where Big5
    /// reads `Ã©` as `矇`, is quoted UTF-8 mojibake in a text about mojibake).
    need: u8,
}

impl SbRun {
    fn new() -> SbRun {
        SbRun {
            whole: SbPiece::new(),
            rest: SbPiece::new(),
            leading: true,
            need: 0,
        }
    }

    /// [`SbPiece::push`] of the whole run, or of the run after its leading no-break
    /// spaces and marks.
    #[inline]
    fn push(&mut self, t: &Tables, byte: Option<u8>, mark: bool) -> bool {
        let whole = self.whole.push(t, byte, mark);
        if self.leading {
            // (A mark whose byte is below A0 is a [`shifting_mark`].)
            let skippable = byte == Some(0xA0) || (mark && byte.is_some_and(|b| b < 0xA0));
            if skippable {
                self.need = self.need.max(if mark { 2 } else { 1 });
                return whole;
            }
            self.leading = false;
        }
        if self.need > 0 {
            // (Only double-byte codes count after them: UTF-8 read as Latin-1 after a
            // curly quote, `“Ã©”`, is quoted mojibake in a text about mojibake more
            // often than mojibake.)
            return (self.rest.push(t, byte, mark) && self.rest.codes >= self.need) || whole;
        }
        whole
    }
}

/// The byte of `cp` when it is a Latin-1 character from A1 to FE: a GBK or Big5 lead
/// byte read as Latin-1, which [`lead_and_ascii_trail`] pairs with the ASCII byte after
/// it.
#[inline]
fn sb_lead(cp: u32) -> Option<u8> {
    (0xA1..=0xFE).contains(&cp).then_some(cp as u8)
}

/// Whether the Latin-1 character `a` (A1 to FE) and the ASCII `x` after it could be
/// a GBK or Big5 character whose trail byte is ASCII (0x40 to 0x7E), read as Latin-1:
/// one that GBK or Big5 reads as a common character ([`code_reads_common`]; Big5 has
/// half its common hanzi there, GBK only rarer ones). `ça`, `ño` are none.
#[inline]
fn lead_and_ascii_trail(t: &Tables, a: u8, x: u32) -> bool {
    (0x40..=0x7E).contains(&x) && code_reads_common(t, a, x as u8)
}

/// Whether GBK or Big5 reads the bytes `a b` as one character that text in them shows
/// ([`sb_common`]: common hanzi, CJK punctuation, the marks and box drawing), or `a` is
/// 0x80 (GBK's `€`, a character of its own).
fn code_reads_common(t: &Tables, a: u8, b: u8) -> bool {
    a == 0x80
        || reads_as(t, Codec::Gbk, [a, b], sb_common)
        || reads_as(t, Codec::Big5, [a, b], sb_common)
}

/// Whether `d` reads the two bytes `code` as one character of the kind `kind` tells
/// ([`common`], [`sb_common`]).
#[inline]
fn reads_as(t: &Tables, d: Codec, code: [u8; 2], kind: fn(&Tables, char) -> bool) -> bool {
    t.decode_at(d, &code)
        .is_some_and(|(n, c)| n == 2 && kind(t, c))
}

/// Common hanzi and CJK punctuation: what Chinese text is mostly made of; the
/// quotation marks, dash and ellipsis it shares with windows-1252 (classed there) too:
/// GBK's `“` and `”` read as Latin-1 are `¡°` and `¡±`, which European text never
/// writes, around ASCII text as often as around hanzi (`¡°/etc/apt.conf¡±`).
#[inline]
fn common(t: &Tables, c: char) -> bool {
    matches!(t.class(c), class::TOP | class::COMMON | class::CJK_PUNCT) || chinese_mark(c as u32)
}

/// What GBK or Big5 text read as Latin-1 shows, two bytes a character: [`common`]
/// characters and box drawing. GBK's `│` read as Latin-1 is `©¦`, which European text
/// never writes, in tables of ASCII text and hanzi (`│5366  ©¦图│`). (Not for the cross
/// chains' test, [`chain_makes`]: clean lines draw boxes in GBK too, `│ 首页 │`.)
#[inline]
fn sb_common(t: &Tables, c: char) -> bool {
    common(t, c) || ('\u{2500}'..='\u{257F}').contains(&c)
}

/// The least bigram bonus of a less common hanzi and a character beside it that makes
/// them a word ([`word_of_less_common`], [`less_common_in_a_word`]).
pub(super) const LESS_COMMON_WORD: f32 = 0.5;

/// Whether the less common hanzi `c`, at byte `start` of `line`, makes a word with the
/// character before or after it (bigram bonus at least [`LESS_COMMON_WORD`]: `蟑螂`,
/// `犁耙`, `咳嗽`). Clean text has many such words, names of chemicals and plants, and
/// mojibake rarely makes one: such a hanzi is no sign of it.
#[inline]
pub(super) fn less_common_in_a_word(t: &Tables, line: &str, start: usize, c: char) -> bool {
    let before = line.get(..start).and_then(|s| s.chars().next_back());
    let after = line
        .get(start + c.len_utf8()..)
        .and_then(|s| s.chars().next());
    before.is_some_and(|b| t.bigram(b, c) >= LESS_COMMON_WORD)
        || after.is_some_and(|a| t.bigram(c, a) >= LESS_COMMON_WORD)
}

/// Whether `a` and `b`, side by side, are two less common hanzi that make a word
/// (`嘲讽`, `唠叨`, `蟑螂`): clean text has many, and such a pair is no sign of mojibake.
#[inline]
pub(super) fn word_of_less_common(t: &Tables, a: char, b: char) -> bool {
    t.class(a) == class::LESS && t.class(b) == class::LESS && t.bigram(a, b) >= LESS_COMMON_WORD
}

/// Counts an odd character of a line, at byte `start`: `at` keeps where the first
/// [`SHORT_LINE_ODD`] start (for the rule on short lines, [`sign_on_its_own`]).
#[inline]
fn note_odd(at: &mut [usize; SHORT_LINE_ODD], odd: &mut usize, start: usize) {
    if let Some(slot) = at.get_mut(*odd) {
        *slot = start;
    }
    *odd += 1;
}

/// A line with at most this many non-ASCII characters is looked at with one to
/// [`SHORT_LINE_ODD`] odd characters anywhere ([`Scan::cjk`]; more are kana-rich
/// Japanese, or close enough). Short lines of GBK read as Big5 have their odd
/// characters far apart, between ASCII words (`躲趿 systemd 腔ぎ雄徹最` for `跟踪
/// systemd 的启动过程`). Eight, not six: six more lines right over our sets (four of
/// 200 GBK-read-as-Big5 lines of man pages), for 3 % more instructions on clean web
/// text (ten: two more lines, 7 %).
pub(super) const SHORT_LINE_NON_ASCII: usize = 8;

/// How many odd characters at most a short line ([`SHORT_LINE_NON_ASCII`]) may have
/// anywhere for the rule on short lines: GBK's dates read as Big5 have three
/// (`2023爛5堎1-3゜` for `2023年5月1-3日`), as do short lines of words between
/// commands (`(麼氪 Alt-F2 輛⻌ COMMAND 耀宒`). Three, not two: eight more lines right
/// over the sets, none less, no more instructions on clean web text.
pub(super) const SHORT_LINE_ODD: usize = 3;

/// The cheap scan, one pass over the bytes of `line`. Runs of ASCII and of plain
/// three-byte characters are passed over in bulk (for them the scan only counts and
/// resets its one-character memory); every other character is decoded and judged by
/// its class.
///
/// The bytes before `from` are known to hold nothing [`first_suspect`] stops at,
/// looking from the line's start (0 when nothing is known; where it stopped, when it
/// did): the same [`Scan`] is found without walking them again. They are ASCII, plain
/// characters, characters outside the BMP and runs of single-byte characters that
/// make nothing ([`inert_sb_run`]), which add nothing to a scan but their number. The
/// scan starts at `from`, with the non-ASCII characters before it counted as far as
/// the rule on short lines needs. (A windows-1252 quote right before `from` would start
/// a single-byte run with what follows, but [`first_suspect`] passes over one only
/// when nothing follows that it pairs with.) A `from` that is no char boundary of
/// `line` is taken as 0.
///
/// With `fragments`, [`Scan::fragment`] is looked for too.
// (Kept out of `repair_lines`: inlined there, as the compiler chose after 2469500, the
// clean web text's stage ran 1.8 % more instructions per round, 28.06 M to 27.52 M.)
#[inline(never)]
pub(super) fn scan_line(t: &Tables, line: &str, from: usize, fragments: bool) -> Scan {
    let bytes = line.as_bytes();
    let start = if line.is_char_boundary(from) { from } else { 0 };
    // The non-ASCII chars before the start (their lead bytes), counted as far as the
    // rule on short lines needs.
    let mut non_ascii = bytes
        .get(..start)
        .unwrap_or(&[])
        .iter()
        .filter(|&&b| b >= 0xC0)
        .take(SHORT_LINE_NON_ASCII + 1)
        .count();
    let mut i = start;
    // Chars from the start up to and including the current one (the scan compares
    // only their differences).
    let mut ci = 0usize;
    let mut s = Scan {
        sb: false,
        cjk: false,
        unrecoverable: false,
        fragment: false,
        stopped: false,
    };
    let plain = plain_by_bytes(t);
    let mut pairs = OddPairs::new();
    // The single-byte run, live while `in_run` (a flag is cheaper to reset).
    let (mut run, mut in_run) = (SbRun::new(), false);
    let mut prev_lead: Option<u8> = None;
    let mut odd = 0usize;
    // Where the first odd characters start (for a short line).
    let mut odd_at = [0usize; SHORT_LINE_ODD];
    while let Some(&x) = bytes.get(i) {
        if x < 0x80 {
            // A Big5/GBK lead byte read as Latin-1 and an ASCII trail byte.
            if prev_lead.is_some_and(|a| lead_and_ascii_trail(t, a, x as u32)) {
                s.sb = true;
            }
            let e = ascii_run(bytes, i + 1);
            ci += e - i;
            i = e;
            in_run = false;
            prev_lead = None;
            continue;
        }
        // One character, read from its bytes (the lead byte gives its length).
        let Some((cp, len)) = char_at(bytes, i) else {
            break;
        };
        if len == 3 && plain_w(plain, cp_bytes(bytes, i)) {
            // A run of plain characters: this one, and those after it.
            let e = plain_run(plain, bytes, i + 3);
            s.fragment = s.fragment || (fragments && plain_fragment(t, bytes, i, e));
            let n = (e - i) / 3;
            ci += n;
            non_ascii += n;
            i = e;
            in_run = false;
            prev_lead = None;
            continue;
        }
        i += len;
        ci += 1;
        non_ascii += 1;
        prev_lead = None;
        // No wrong decoder produces a character outside the BMP, so it is never part
        // of mojibake: treat it like plain text.
        let k = if cp > 0xFFFF {
            class::TOP
        } else {
            t.class_cp(cp)
        };
        match k {
            class::TOP | class::COMMON | class::CJK_PUNCT => {
                in_run = false;
                if matches!(cp, 0x951F | 0x70EB | 0x5C6F) {
                    // 锟 烫 屯
                    s.unrecoverable = true;
                } else if len == 3 {
                    // Not plain: a common hanzi that mojibake makes (`Tables::odd_common`:
                    // the first two bytes of a hanzi read as GBK, GBK's `年` read as
                    // Big5). It is common in traditional text: odd in a short line, and
                    // worth the search in a long one only before a simplified-only hanzi
                    // (`鍛戒护` is `命令`).
                    if simplified_follows(t, bytes, i) {
                        s.cjk = true;
                        s.stopped = true;
                        return s;
                    }
                    note_odd(&mut odd_at, &mut odd, i - len);
                }
            }
            _ if is_sb_high(k) => {
                if cp == 0x20AC && after_han(bytes, i - len) {
                    s.cjk = true;
                    s.stopped = true;
                    return s;
                }
                // (Once the line is worth the passes, the run no longer matters.)
                let c = char::from_u32(cp).unwrap_or('\0');
                if !in_run {
                    (run, in_run) = (SbRun::new(), true);
                }
                if !s.sb && (k == class::C1 || run.push(t, sb_byte(t, c), chinese_mark(cp))) {
                    s.sb = true;
                }
                prev_lead = sb_lead(cp);
            }
            _ if k == class::REPLACEMENT && after_han(bytes, i - len) => {
                s.cjk = true;
                s.unrecoverable = true;
                s.stopped = true;
                return s;
            }
            _ => {
                if k == class::REPLACEMENT {
                    s.unrecoverable = true;
                    if !in_run {
                        (run, in_run) = (SbRun::new(), true);
                    }
                    s.sb = s.sb || run.push(t, None, false);
                } else {
                    in_run = false;
                }
                note_odd(&mut odd_at, &mut odd, i - len);
                let c = char::from_u32(cp).unwrap_or('\0');
                if pairs.worth_the_search(t, line, i - len, ci, c, k) {
                    s.cjk = true;
                    s.stopped = true;
                    return s;
                }
            }
        }
    }
    // A short line with one to three such characters may be a title read with the wrong
    // table (`恅璃 NOTE`, see `lone_cross_spans`), even when they are far apart (`把ǎ ls
    // 籔 cp`, see `cross_line`), if one of them is a sign of it on its own.
    if (1..=SHORT_LINE_ODD).contains(&odd)
        && non_ascii <= SHORT_LINE_NON_ASCII
        && odd_at
            .iter()
            .take(odd)
            .any(|&p| sign_on_its_own(t, line, p))
    {
        s.cjk = true;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::tables::{class, tables, Tables};
    use super::*;
    use encoding_rs::{Encoding, BIG5, GBK, UTF_8, WINDOWS_1252};

    /// The scan as it was written before the bulk runs: char by char, every character
    /// classified (the oracle the fast scan must agree with).
    fn scan_line_by_char(t: &Tables, line: &str) -> (bool, bool, bool) {
        let (mut sb, mut cjk, mut unrecoverable) = (false, false, false);
        let mut ci = 0usize;
        let mut pairs = OddPairs::new();
        let (mut prev_lead, mut prev_mark): (Option<u8>, bool) = (None, false);
        // Where the run of single-byte characters up to here starts (`None` outside one).
        let mut run: Option<usize> = None;
        let (mut odd, mut non_ascii) = (0usize, 0usize);
        let mut prev_char = None;
        let chars: Vec<char> = line.chars().collect();
        let starts: Vec<usize> = line.char_indices().map(|(b, _)| b).collect();
        let mut odd_starts: Vec<usize> = Vec::new();
        for (j, &c) in chars.iter().enumerate() {
            let cp = c as u32;
            ci += 1;
            let after_han =
                prev_char.is_some_and(|p: char| (0x4000..=0x9FFF).contains(&(p as u32)));
            prev_char = Some(c);
            if cp < 0x80 {
                sb |= prev_lead.is_some_and(|a| {
                    (0x40..=0x7E).contains(&cp) && code_reads_common(t, a, cp as u8)
                });
                run = None;
                prev_lead = None;
                continue;
            }
            non_ascii += 1;
            prev_lead = None;
            let k = if cp > 0xFFFF {
                class::TOP
            } else {
                t.class_cp(cp)
            };
            // `€` or U+FFFD right after a hanzi (the fast scan stops there).
            cjk |= (c == '€' || k == class::REPLACEMENT) && after_han;
            match k {
                class::TOP | class::COMMON | class::CJK_PUNCT => {
                    run = None;
                    unrecoverable |= matches!(c, '锟' | '烫' | '屯');
                    if t.odd_common(c) {
                        odd += 1;
                        odd_starts
                            .extend(starts.get(j).filter(|_| odd_starts.len() < SHORT_LINE_ODD));
                    }
                    cjk |= t.odd_common(c)
                        && chars
                            .iter()
                            .skip(j + 1)
                            .take(2)
                            .any(|&n| t.script(n) == SIMPLIFIED_ONLY);
                }
                _ if is_sb_high(k) => {
                    let mark = chinese_mark(cp);
                    let from = *run.get_or_insert(j);
                    // The run without its leading no-break spaces and marks of bytes
                    // below A0, which the clean text has before a span.
                    let skippable = |c: &char| *c == '\u{A0}' || shifting_mark(*c as u32);
                    let rest = from + chars[from..=j].iter().take_while(|c| skippable(c)).count();
                    let need = if chars[from..rest].iter().any(|&c| c != '\u{A0}') {
                        2
                    } else {
                        1
                    };
                    sb |= (from < j && !(prev_mark && mark) && sb_run_made(t, &chars[from..=j]))
                        || (from < rest
                            && rest < j
                            && !(prev_mark && mark)
                            && sb_run_coded(t, &chars[rest..=j], need))
                        || k == class::C1;
                    prev_mark = mark;
                    prev_lead = (0xA1..=0xFE).contains(&cp).then_some(cp as u8);
                }
                _ => {
                    if k == class::REPLACEMENT {
                        unrecoverable = true;
                        sb |= run.is_some();
                        run.get_or_insert(j);
                        prev_mark = false;
                    } else {
                        run = None;
                    }
                    odd += 1;
                    odd_starts.extend(starts.get(j).filter(|_| odd_starts.len() < SHORT_LINE_ODD));
                    let start = starts.get(j).copied().unwrap_or(0);
                    cjk |= pairs.worth_the_search(t, line, start, ci, c, k);
                }
            }
        }
        cjk |= (1..=SHORT_LINE_ODD).contains(&odd)
            && non_ascii <= SHORT_LINE_NON_ASCII
            && odd_starts.iter().any(|&p| sign_on_its_own(t, line, p));
        (sb, cjk, unrecoverable)
    }

    /// Whether some single-byte chain could have made `run` (characters a single-byte
    /// decoder makes, from the start of a run), by its bytes at once: U+FFFD, valid
    /// UTF-8 but for an unfinished last sequence, or a double-byte code at an even
    /// offset that GBK or Big5 reads as a common character (or byte 0x80 first).
    fn sb_run_made(t: &Tables, run: &[char]) -> bool {
        let bytes: Option<Vec<u8>> = run.iter().map(|&c| sb_byte(t, c)).collect();
        let Some(bytes) = bytes else {
            return true;
        };
        let utf8 = match std::str::from_utf8(&bytes) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(),
        };
        let code = bytes
            .chunks_exact(2)
            .any(|p| code_reads_common(t, p[0], p[1]));
        utf8 || code
    }

    /// [`sb_run_made`] by double-byte codes only: U+FFFD, or `need` double-byte codes
    /// at even offsets that GBK or Big5 reads as common characters.
    fn sb_run_coded(t: &Tables, run: &[char], need: usize) -> bool {
        let bytes: Option<Vec<u8>> = run.iter().map(|&c| sb_byte(t, c)).collect();
        bytes.is_none_or(|b| {
            b.chunks_exact(2)
                .filter(|p| code_reads_common(t, p[0], p[1]))
                .count()
                >= need
        })
    }

    /// [`first_suspect`] char by char: the first character that is not ASCII, plain,
    /// outside the BMP or in a run of single-byte characters the scan finds nothing in
    /// (one, or only Chinese marks; no C1 control or `€`; no U+FFFD after it; not a
    /// lead byte before an ASCII trail byte).
    fn first_suspect_by_char(t: &Tables, s: &str, from: usize) -> usize {
        let chars: Vec<(usize, char)> = s.get(from..).unwrap_or("").char_indices().collect();
        let sb = |c: char| {
            let cp = c as u32;
            cp <= 0xFFFF && !t.is_plain(cp) && is_sb_high(t.class_cp(cp))
        };
        let mut k = 0;
        while let Some(&(i, c)) = chars.get(k) {
            let cp = c as u32;
            if c.is_ascii() || cp > 0xFFFF || t.is_plain(cp) {
                k += 1;
                continue;
            }
            let run: Vec<char> = chars[k..]
                .iter()
                .map(|x| x.1)
                .take_while(|&c| sb(c))
                .collect();
            let next = chars.get(k + run.len()).map(|x| x.1);
            let inert = match run.last() {
                None => false,
                Some(&last) => {
                    (run.len() == 1 || run.iter().all(|&c| chinese_mark(c as u32)))
                        && !run.iter().any(|&c| t.class(c) == class::C1 || c == '€')
                        && next != Some('\u{FFFD}')
                        && !(('\u{A1}'..='\u{FE}').contains(&last)
                            && next.is_some_and(|x| {
                                x.is_ascii() && lead_and_ascii_trail(t, last as u8, x as u32)
                            }))
                }
            };
            if !inert {
                return from + i;
            }
            k += run.len();
        }
        s.len()
    }

    /// Asserts that the fast scan, its oracle and [`sb_in`] all find each of `lines`
    /// worth the single-byte passes (`sb`), or none does.
    fn assert_sb(t: &Tables, lines: &[&str], sb: bool) {
        for &line in lines {
            let chars: Vec<char> = line.chars().collect();
            assert_eq!(scan_line(t, line, 0, false).sb, sb, "{line}");
            assert_eq!(scan_line_by_char(t, line).0, sb, "{line}");
            assert_eq!(sb_in(t, &chars), sb, "{line}");
        }
    }

    /// Asserts that the fast scan and its oracle both find each of `lines` worth the
    /// CJK search (`cjk`), or neither does.
    fn assert_cjk<S: AsRef<str>>(t: &Tables, lines: &[S], cjk: bool) {
        for line in lines.iter().map(AsRef::as_ref) {
            assert_eq!(scan_line(t, line, 0, false).cjk, cjk, "{line}");
            assert_eq!(scan_line_by_char(t, line).1, cjk, "{line}");
        }
    }

    /// Characters of every kind the scans tell apart.
    const PALETTE: &[&str] = &[
        "a", " ", "7", "(", "\t", "的", "是", "，", "。", "“", "”", "—", "…", "徘", "徊", "垃",
        "鍙", "囦", "锟", "斤", "拷", "烫", "屯", "\u{FFFD}", "é", "Ã", "¤", "\u{85}", "€", "│",
        "の", "한", "😀", "𠀋", "Ω", "ｈ", "\u{3000}", "€", "\u{A0}", "·", "©", "N", "•",
    ];

    /// A deterministic stream of lines drawn from [`PALETTE`], with long runs of plain
    /// hanzi at every alignment (xorshift, so the test needs no dependency).
    fn lines() -> Vec<String> {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let plain = "系统是一个面向网络计算机的功能强大的计算平台";
        let mut out = Vec::new();
        for _ in 0..4000 {
            let mut s = String::new();
            let n = next() % 40;
            for _ in 0..n {
                let r = next();
                if r % 5 == 0 {
                    // A run of plain hanzi of any length.
                    s.extend(plain.chars().take((r >> 8) as usize % 22));
                } else {
                    s.push_str(PALETTE[(r >> 8) as usize % PALETTE.len()]);
                }
            }
            out.push(s);
        }
        out
    }

    /// Two of the marks Chinese text uses in a row (`——`, `……`, `“…`) are no pair of
    /// Latin-1 characters for the scan; a Latin-1 letter beside one still is, and so is
    /// U+FFFD after one.
    #[test]
    fn dashes_and_ellipses_in_chinese_text_are_no_latin1_pair() {
        let t = tables();
        assert_sb(
            t,
            &[
                "他想了想——还是算了。",
                "“……确实如此……”她说。",
                "会议——在北京举行——持续三天……",
            ],
            false,
        );
        assert_sb(
            t,
            &[
                "他想了想é——还是算了。",
                "会议——\u{FFFD}在北京举行",
                "价格â€”很贵",
            ],
            true,
        );
    }

    /// Web text puts two no-break spaces between fields (`作者：\u{A0}\u{A0}来源`) and a
    /// no-break space after a bullet; Latin words have a letter with an accent before
    /// an ASCII letter (`Français`). These made lines worth the single-byte passes,
    /// though no single-byte chain makes them ([`SbRun`], [`lead_and_ascii_trail`]):
    /// two continuation bytes after clean text are no UTF-8, and `A0 A0`, `95 A0`,
    /// `E7 61` no common GBK or Big5 character. Mojibake of each chain still is.
    #[test]
    fn no_break_spaces_bullets_and_accented_letters_are_no_single_byte_pair() {
        let t = tables();
        assert_sb(
            t,
            &[
                "作者：\u{A0}\u{A0}来源：新华社\u{A0}\u{A0}\u{A0}日期：2024-05-01",
                "\u{2022}\u{A0}新品上市，欢迎选购",
                "Français | Español | Türkçe",
            ],
            false,
        );
        // `你好` as UTF-8, GBK and Big5 bytes read as Latin-1 (`一` in Big5 is A4 40).
        assert_sb(t, &["他说ä½\u{A0}å¥½。", "他说ÄãºÃ。", "他说¤@个。"], true);
    }

    /// Short lines with one or two odd characters are worth the CJK search (a title
    /// read with the wrong table), but navigation and names made most of them on web
    /// pages: box drawing and arrows after a space, which no chain makes after ASCII,
    /// and a less common hanzi in a name or word (`歌谣`). Titles in the wrong table
    /// still are.
    #[test]
    fn short_lines_with_arrows_box_drawing_and_words_are_left_alone() {
        let t = tables();
        assert_cjk(
            t,
            &[
                "│ 首页 │ 新闻",
                "↓ 下载",
                "← 返回",
                "└ 评论",
                "网络歌谣",
                "朴锺浩 主演",
            ],
            false,
        );
        assert_cjk(
            t,
            &[
                format!("{} NOTE", chain("文件", GBK, BIG5).unwrap_or_default()),
                format!("{} ls", chain("說明", BIG5, GBK).unwrap_or_default()),
                format!("{} ls", chain("檔案", BIG5, GBK).unwrap_or_default()),
                format!("{} ls", chain("設定", BIG5, GBK).unwrap_or_default()),
                "π 的值".to_string(),
            ],
            true,
        );
    }

    /// Long clean lines whose only odd characters are Korean words or less common hanzi
    /// in words (of two of them, or beside a common one; also when a symbol or a kana
    /// follows, which pairs with no hanzi in a word) are not worth the CJK search
    /// (no chain of it makes Hangul, and such words are no mojibake), while the same
    /// lines with a word read as GBK or one private-use character still are.
    #[test]
    fn korean_words_and_words_of_less_common_hanzi_start_no_cjk_search() {
        let t = tables();
        let filler = "我们在会议上讨论了明年的工作计划，大家都发表了自己的看法。";
        for word in [
            "김민수",
            "서울특별시",
            "唠叨",
            "嘲讽",
            "蟑螂",
            "惆怅",
            "咳嗽和蝴蝶",
            "拇指瞌睡",
            "咳嗽枸杞",
            "咳嗽了★",
            "蝴蝶の",
        ] {
            let line = format!("{filler}他说{word}这件事{filler}");
            assert_cjk(t, &[line], false);
        }
        // (U+E4C6 is how a GBK decoder reads Big5's ideographic space.)
        for word in ["鍙傛暟", "\u{E4C6}"] {
            let line = format!("{filler}他说{word}这件事{filler}");
            assert_cjk(t, &[line], true);
        }
        // The words' characters are what the rule is about: less common, and a word.
        for w in ["唠叨", "嘲讽", "蟑螂", "惆怅"] {
            let c: Vec<char> = w.chars().collect();
            assert!(word_of_less_common(t, c[0], c[1]), "{w}");
        }
        assert!(cjk_inert(t, '김', t.class('김')));
        assert!(!cjk_inert(t, '\u{FFFD}', t.class('\u{FFFD}')));
    }

    /// `text` encoded as `e` and read as `d` (WHATWG: a byte `d` cannot read becomes
    /// U+FFFD); `None` when `e` cannot encode it.
    fn chain(text: &str, e: &'static Encoding, d: &'static Encoding) -> Option<String> {
        let (bytes, _, unmappable) = e.encode(text);
        (!unmappable).then(|| d.decode_without_bom_handling(&bytes).0.into_owned())
    }

    /// [`some_cjk_chain_makes`] accepts every piece of what each chain makes of text of
    /// common characters (each line of the bundled simplified and traditional text,
    /// kept to its common hanzi, CJK punctuation and ASCII): every stretch of 1 to 5
    /// characters, from inside the damage, and every one that starts it.
    #[test]
    fn some_cjk_chain_makes_every_piece_of_what_the_chains_make() {
        let t = tables();
        let common = |c: &char| {
            c.is_ascii() || matches!(t.class(*c), class::TOP | class::COMMON | class::CJK_PUNCT)
        };
        let text = [
            include_str!("../../../testdata/mojibake/clean_zh.txt"),
            include_str!("../../../testdata/mojibake/clean_zh_tw.txt"),
        ];
        let mut pieces = 0;
        for line in text.iter().flat_map(|t| t.lines()) {
            let line: String = line.chars().filter(common).collect();
            for (e, d) in [(UTF_8, GBK), (UTF_8, BIG5), (BIG5, GBK), (GBK, BIG5)] {
                let Some(out) = chain(&line, e, d) else {
                    continue;
                };
                let chars: Vec<char> = out.chars().collect();
                for i in 0..chars.len() {
                    for n in 1..=5.min(chars.len() - i) {
                        let piece: String = chars[i..i + n].iter().collect();
                        assert!(
                            some_cjk_chain_makes(t, &piece, true),
                            "{} {piece:?} in {out:?}",
                            e.name()
                        );
                        pieces += 1;
                    }
                }
                let head: String = chars.iter().take(5).collect();
                assert!(some_cjk_chain_makes(t, &head, false), "{head:?}");
            }
        }
        assert!(pieces > 10_000, "{pieces}");
    }

    /// Every line of the bundled simplified and traditional text (kept to its common
    /// hanzi, CJK punctuation and ASCII) in UTF-8, GBK or Big5 read as Latin-1 or
    /// windows-1252 is worth the single-byte passes by [`SbRun`] and
    /// [`lead_and_ascii_trail`], in the fast scan and in [`sb_in`].
    #[test]
    fn what_each_single_byte_chain_makes_is_worth_the_single_byte_passes() {
        let t = tables();
        let text = [
            include_str!("../../../testdata/mojibake/clean_zh.txt"),
            include_str!("../../../testdata/mojibake/clean_zh_tw.txt"),
        ];
        let mut lines = 0;
        for line in text.iter().flat_map(|t| t.lines()) {
            let line: String = line
                .chars()
                .filter(|&c| c.is_ascii() || common(t, c))
                .collect();
            if line.is_ascii() {
                continue;
            }
            for e in [UTF_8, GBK, BIG5] {
                let (bytes, _, unmappable) = e.encode(&line);
                if unmappable {
                    continue;
                }
                let latin1: String = bytes.iter().map(|&b| b as char).collect();
                let cp1252 = WINDOWS_1252.decode_without_bom_handling(&bytes).0;
                for out in [latin1.as_str(), &cp1252] {
                    let chars: Vec<char> = out.chars().collect();
                    assert!(sb_in(t, &chars), "{} {out:?}", e.name());
                    let s = scan_line(t, out, 0, false);
                    assert!(s.sb || s.stopped, "{} {out:?}", e.name());
                    lines += 1;
                }
            }
        }
        assert!(lines > 100, "{lines}");
    }

    /// Names of two less common hanzi, private-use characters no decoder makes there
    /// (GB18030's reading of a GBK page's full-width space, `A3 A0`, doubled as a
    /// paragraph's indent, or after a hanzi; an icon font's character after `。`) and
    /// box drawing beside an arrow made long clean web lines worth the CJK search; no
    /// CJK chain makes them ([`some_cjk_chain_makes`]). The same lines with a word
    /// read as GBK, or a private-use character a chain does make, still are.
    #[test]
    fn names_and_icon_indents_no_chain_makes_start_no_cjk_search() {
        let t = tables();
        let filler = "我们在会议上讨论了明年的工作计划，大家都发表了自己的看法。";
        for name in [
            "邬蓓", "阚灏", "邝颖", "翟璐", "佟蕾", "滕琰", "蒯婕", "嵇姗",
        ] {
            let line = format!("{filler}记者{name}报道{filler}");
            assert_cjk(t, &[line], false);
            assert!(!some_cjk_chain_makes(t, name, true), "{name}");
        }
        assert_cjk(
            t,
            &[
                format!("\u{E5E5}\u{E5E5}{filler}"),
                format!("{filler}他说\u{E5E5}这件事{filler}"),
                format!("{filler}\u{E004}{filler}"),
                format!("{filler}见下图─→{filler}"),
            ],
            false,
        );
        assert_cjk(
            t,
            &[
                format!(
                    "{filler}记者{}报道{filler}",
                    chain("邬蓓", UTF_8, GBK).unwrap_or_default()
                ),
                format!("\u{E4C6}\u{E4C6}{filler}"),
                format!("{filler}他说\u{E4C6}这件事{filler}"),
            ],
            true,
        );
    }

    #[test]
    fn scan_line_agrees_with_the_char_by_char_scan() {
        let t = tables();
        let mut stopped = 0;
        for line in lines() {
            let s = scan_line(t, &line, 0, false);
            let (sb, cjk, unrecoverable) = scan_line_by_char(t, &line);
            if s.stopped {
                // Stopped at the first sign of CJK mojibake: `sb` from the line's chars.
                stopped += 1;
                let chars: Vec<char> = line.chars().collect();
                assert_eq!((sb_in(t, &chars), s.cjk), (sb, cjk), "{line:?}");
            } else {
                assert_eq!(
                    (s.sb, s.cjk, s.unrecoverable),
                    (sb, cjk, unrecoverable),
                    "{line:?}"
                );
            }
        }
        assert!(stopped > 100, "{stopped}");
    }

    /// What a scan found, as a tuple to compare.
    fn found(s: &Scan) -> (bool, bool, bool, bool) {
        (s.sb, s.cjk, s.unrecoverable, s.stopped)
    }

    /// The pass starts the scan of a line where the search for its suspect stopped:
    /// from every boundary up to there (a quote right before it included: `“Ã` starts a
    /// run of single-byte characters) the scan finds what it finds from the start.
    #[test]
    fn scan_from_any_point_before_the_first_suspect_finds_what_a_whole_scan_finds() {
        let t = tables();
        let (mut quoted, mut skipped) = (0, 0);
        for line in lines() {
            let whole = found(&scan_line(t, &line, 0, false));
            let first = first_odd(t, line.as_bytes(), 0);
            for (from, _) in line.char_indices().take_while(|&(i, _)| i <= first) {
                assert_eq!(
                    found(&scan_line(t, &line, from, false)),
                    whole,
                    "{line:?} from {from}"
                );
                skipped += (from > 0) as usize;
            }
            if first < line.len() {
                let before = line[..first].chars().next_back();
                quoted += before.is_some_and(|c| t.is_quote(c as u32)) as usize;
            }
        }
        assert!(quoted > 100 && skipped > 10_000, "{quoted} {skipped}");
    }

    #[test]
    fn first_suspect_agrees_with_the_char_by_char_search_from_every_boundary() {
        let t = tables();
        for line in lines() {
            for (from, _) in line.char_indices() {
                assert_eq!(
                    first_odd(t, line.as_bytes(), from),
                    first_suspect_by_char(t, &line, from),
                    "{line:?} from {from}"
                );
            }
        }
    }

    #[test]
    fn plain_table_by_bytes_agrees_with_is_plain_on_every_three_byte_character() {
        let t = tables();
        let p = plain_by_bytes(t);
        for cp in 0x800..=0xFFFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut b = [0u8; 4];
            c.encode_utf8(&mut b);
            let w = b[0] as u64 | (b[1] as u64) << 8 | (b[2] as u64) << 16;
            assert_eq!(plain_w(p, w), t.is_plain(cp), "U+{cp:04X}");
        }
        // No other lead byte reads as plain.
        for x in (0..=0xFFu64).filter(|x| x & 0xF0 != 0xE0) {
            for y in 0..=0xFFu64 {
                assert!(!plain_w(p, x | y << 8 | 0xA0 << 16), "{x:02X} {y:02X}");
            }
        }
    }

    #[test]
    fn clean_text_of_every_kind_has_no_suspect_or_is_left_alone() {
        let t = tables();
        for (line, suspect) in [
            (
                "Linux 系统是一个面向网络计算机的功能强大的计算平台。",
                false,
            ),
            ("“Debian 参考手册”（版本 2.100）", false),
            ("fn main() { println!(\"hi\"); } // 注释", false),
            ("表情 😀👍 与扩展汉字 𠀋", false),
            // A lone Latin-1 letter is no suspect; two in a row are: looked at, and
            // left alone.
            ("Müller先生来自Zürich", false),
            ("Þórður先生来自Ísafjörður", true),
            ("迷宫里面徘徊的人们，为他们提供一个好的出发方向。", true),
        ] {
            let p = first_odd(t, line.as_bytes(), 0);
            assert_eq!(p < line.len(), suspect, "{line:?}");
            let mut report = crate::repair::RepairReport::default();
            let out =
                super::super::repair(line, &super::super::MojibakeOptions::default(), &mut report);
            assert!(matches!(out, std::borrow::Cow::Borrowed(_)), "{line:?}");
            assert!(
                report.repairs.is_empty() && report.unrecoverable == 0,
                "{line:?}"
            );
        }
    }
}
