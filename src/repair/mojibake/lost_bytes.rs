//! Completing bytes a strict decoder lost: the characters consistent with what that
//! decoder does with each byte value, each with its cost (cheapest first), memoized
//! per line.

use super::*;

/// The byte after position `p` if it is known.
pub(super) fn next_known(bytes: &[u16], p: usize) -> Option<u8> {
    bytes
        .get(p + 1)
        .and_then(|&v| (v != WILD).then_some(v as u8))
}

/// Calls `f` for each set bit of a 256-bit set, in increasing order.
#[inline]
pub(super) fn for_bits(m: [u64; 4], mut f: impl FnMut(u8)) {
    for (w, &word) in m.iter().enumerate() {
        let mut v = word;
        while v != 0 {
            let b = v.trailing_zeros();
            v &= v - 1;
            f((w as u32 * 64 + b) as u8);
        }
    }
}

/// The 256-bit set of bytes `lo..=hi`.
pub(super) const fn range_mask(lo: u8, hi: u8) -> [u64; 4] {
    let mut m = [0u64; 4];
    let mut b = lo as usize;
    while b <= hi as usize {
        m[b / 64] |= 1 << (b % 64);
        b += 1;
    }
    m
}

/// UTF-8 lead bytes of multi-byte sequences, continuation bytes, all high bytes.
pub(super) const UTF8_LEADS: [u64; 4] = range_mask(0xC2, 0xF4);
pub(super) const UTF8_CONTS: [u64; 4] = range_mask(0x80, 0xBF);
pub(super) const HIGH_BYTES: [u64; 4] = range_mask(0x80, 0xFF);

/// Whether some completion of the lost bytes at `wilds` (offsets into `win[..wl]`)
/// can make a UTF-8 character that starts at `win[0]` and covers the first lost byte:
/// the lead byte (known, or lost) opens a sequence longer than the first loss, the
/// window holds the whole sequence, and its known trail bytes are continuation bytes.
/// A necessary condition for [`guess`] to find anything, checked before it tries up
/// to 64 completions one by one.
pub(super) fn utf8_completable(win: &[u8; 4], wl: usize, wilds: &[usize]) -> bool {
    let Some(&w0) = wilds.first() else {
        return false;
    };
    let is_wild = |k: usize| wilds.contains(&k);
    let is_cont = |k: usize| is_wild(k) || win.get(k).is_some_and(|b| (0x80..=0xBF).contains(b));
    if w0 == 0 {
        // A lost lead byte (0xC2 or above) starts a sequence of two bytes or more.
        return wl >= 2 && is_cont(1);
    }
    let n = match win[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return false,
    };
    n > w0 && wl >= n && (1..n).all(is_cont)
}

/// Lost bytes to complete: everything [`guess`] reads (and so the key of
/// [`GuessMemo`]).
#[derive(Clone, Copy)]
pub(super) struct LostBytes<'a> {
    /// The decoder that lost the bytes.
    pub(super) d: Codec,
    /// The encoding the bytes are completed in.
    pub(super) e: Codec,
    /// The re-encoded stretch ([`WILD`] marks a lost byte).
    pub(super) bytes: &'a [u16],
    /// Where the window starts in `bytes`.
    pub(super) i: usize,
    /// The window: `win[..wl]` are the bytes from `i`, a lost one as 0.
    pub(super) win: [u8; 4],
    pub(super) wl: usize,
    /// Offsets of the lost bytes in the window (one or two).
    pub(super) wilds: &'a [usize],
    /// The line shows a WHATWG (browser) GBK decoder ([`GuessBuf::whatwg`]).
    pub(super) whatwg: bool,
    /// The line has three or more U+FFFD ([`GuessBuf::many_lost`]).
    pub(super) many_lost: bool,
}

/// Completes the lost bytes `q.wilds` of the window `q.win`; appends every candidate
/// of the chosen length to `alts` (after what is there).
pub(super) fn guess(
    t: &Tables,
    q: &LostBytes<'_>,
    alts: &mut Vec<(char, f32)>,
) -> Option<(usize, char, bool)> {
    let LostBytes {
        d,
        e,
        bytes,
        i,
        mut win,
        wl,
        wilds,
        whatwg,
        many_lost,
    } = *q;
    let count = |m: [u64; 4]| m.iter().map(|w| w.count_ones()).sum::<u32>();
    let cands = |w: usize| -> ([u64; 4], [u64; 4]) {
        let next = next_known(bytes, i + w);
        let last_wild = wilds.last().copied() == Some(w);
        // In UTF-8 a lost byte is a lead byte at the start of a sequence and a
        // continuation byte inside one.
        let range = match (e, w) {
            (Codec::Utf8, 0) => UTF8_LEADS,
            (Codec::Utf8, _) => UTF8_CONTS,
            _ => HIGH_BYTES,
        };
        let and = |lost: [u64; 4]| {
            [
                range[0] & lost[0],
                range[1] & lost[1],
                range[2] & lost[2],
                range[3] & lost[3],
            ]
        };
        let with_next = and(t.lost_mask(d, if last_wild { next } else { None }));
        // A byte that would have paired with the next one can still be lost at the
        // end of a separately decoded stretch (a damaged span inside clean text):
        // the others stay, at a price. (Dropping them when the next byte left more
        // than eight candidates lost `前面` before a clean `那`, whose GBK lead
        // leaves thirteen.)
        if w > 0 && last_wild && next.is_some() {
            return (and(t.lost_mask(d, None)), with_next);
        }
        (with_next, with_next)
    };
    // `EF BF` + a lost byte: U+FFFD itself went through the wrong decoder.
    if e == Codec::Utf8 && wilds == [2] && win[0] == 0xEF && win[1] == 0xBF {
        return Some((3, '\u{FFFD}', false));
    }
    if e == Codec::Utf8 && !utf8_completable(&win, wl, wilds) {
        return None;
    }
    let (c0, p0) = cands(wilds[0]);
    let (c1, p1) = if wilds.len() > 1 {
        cands(wilds[1])
    } else {
        ([1, 0, 0, 0], [1, 0, 0, 0]) // one pass with a dummy byte
    };
    let has = |m: &[u64; 4], b: u8| m[b as usize / 64] & (1 << (b % 64)) != 0;
    // Two lost continuation bytes of a three-byte character (`E8 ? ?`): up to 4096
    // readings, narrowed by the decoder (the first byte was lost before the second, so
    // the two did not form a pair it reads), each scored; the cheapest are kept.
    let two_conts = e == Codec::Utf8
        && wilds == [1, 2]
        && wl >= 3
        && matches!(win[0], 0xE1..=0xEC | 0xEE..=0xEF)
        && d != Codec::Sb;
    // A lost GBK trail byte after a known lead: at most 126 readings.
    let gbk_trail = e == Codec::Gbk && wilds == [1];
    // A lost GBK lead byte before a byte no Big5 pair ends with (0x80-0xA0, the trail
    // of GBK's extension rows, as `詩` D4 8A): any lead, at most 126 readings.
    let gbk_lead = e == Codec::Gbk && wilds == [0] && wl >= 2 && (0x80..=0xA0).contains(&win[1]);
    if count(c0) * count(c1) > 64 && !two_conts && !gbk_trail && !gbk_lead {
        return None;
    }
    let a0 = alts.len();
    let mut best: Option<(usize, char, f32)> = None;
    // A WHATWG GBK decoder reads a lone 0x80 as `€`, so only a strict one loses it.
    let pen = |b: u8, pref: &[u64; 4]| {
        let mut p = 0.0;
        if d == Codec::Gbk && b == 0x80 && whatwg {
            p += LOST_80_PENALTY;
        }
        if !has(pref, b) {
            // Many losses in the line are a strict decoder's, one at a time.
            let boundary = if d == Codec::Big5 {
                BIG5_BOUNDARY_PENALTY
            } else {
                BOUNDARY_PENALTY
            };
            p += if many_lost { 2.0 * boundary } else { boundary };
        }
        p
    };
    let mut consider = |l: usize, c: char, extra: f32| {
        let cost = t.cost(c) + extra;
        alts.push((c, cost));
        if !matches!(best, Some(x) if x.2 <= cost) {
            best = Some((l, c, cost));
        }
    };
    // Fast path: one lost continuation byte that ends its UTF-8 sequence; every
    // candidate is the sequence's code point with other low six bits.
    let w0 = wilds[0];
    let mut done = false;
    if e == Codec::Utf8 && wilds.len() == 1 && w0 > 0 && (c0[2] & !UTF8_CONTS[2]) == 0 {
        win[w0] = 0x80;
        if let Some((l, base)) = t.decode_at(e, &win[..wl]) {
            if w0 + 1 == l {
                let base = base as u32;
                for_bits(c0, |b| {
                    if let Some(c) = char::from_u32(base | (b as u32 & 0x3F)) {
                        consider(l, c, pen(b, &p0));
                    }
                });
                done = true;
            }
        }
    }
    if two_conts {
        let base = (win[0] as u32 & 0x0F) << 12;
        for_bits(c1, |b| {
            let pair_lost = t.lost_mask(d, Some(b));
            let pb = pen(b, &p1);
            for_bits(c0, |a| {
                if !has(&pair_lost, a) {
                    return;
                }
                let cp = base | ((a as u32 & 0x3F) << 6) | (b as u32 & 0x3F);
                if let Some(c) = char::from_u32(cp) {
                    consider(3, c, pen(a, &p0) + pb);
                }
            });
        });
        done = true;
    }
    if !done {
        for_bits(c0, |a| {
            win[w0] = a;
            for_bits(c1, |b| {
                if let Some(&w1) = wilds.get(1) {
                    win[w1] = b;
                }
                if let Some((l, c)) = t.decode_at(e, &win[..wl]) {
                    if w0 < l {
                        let extra = pen(a, &p0) + if wilds.len() > 1 { pen(b, &p1) } else { 0.0 };
                        consider(l, c, extra);
                    }
                }
            });
        });
    }
    if two_conts {
        // Keep the cheapest readings, in code point order.
        const KEEP: usize = 48;
        if let Some(tail) = alts.get_mut(a0..) {
            if tail.len() > KEEP {
                tail.select_nth_unstable_by(KEEP, |x, y| x.1.total_cmp(&y.1));
            }
        }
        alts.truncate(a0 + KEEP.min(alts.len() - a0));
        if let Some(tail) = alts.get_mut(a0..) {
            tail.sort_unstable_by_key(|x| x.0);
        }
    }
    let Some((l, c, _)) = best else {
        alts.truncate(a0);
        return None;
    };
    // Keep only the alternatives of the chosen length, for the context pass.
    let len_of = |x: char| match e {
        Codec::Utf8 => x.len_utf8(),
        _ => l,
    };
    let mut w = a0;
    for r in a0..alts.len() {
        if let Some(&x) = alts.get(r) {
            if len_of(x.0) == l {
                alts[w] = x;
                w += 1;
            }
        }
    }
    alts.truncate(w);
    Some((l, c, true))
}

/// Highest cost of a GBK character [`guess_both_lost`] offers.
pub(super) const BOTH_LOST_MAX_COST: f32 = 2.5;

/// The GBK characters (at most [`BOTH_LOST_MAX_COST`]) whose lead byte a strict Big5
/// decoder cannot pair with their trail byte (so it loses the lead and reads the trail
/// as a lead), with their trail byte; in code point order.
pub(super) fn both_lost_table(t: &Tables) -> &'static [(char, u8)] {
    static TABLE: std::sync::OnceLock<Vec<(char, u8)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v = Vec::new();
        for lead in 0x81..=0xFEu8 {
            for trail in 0x80..=0xFEu8 {
                if let Some((2, c)) = t.decode_at(Codec::Gbk, &[lead, trail]) {
                    if t.cost(c) <= BOTH_LOST_MAX_COST && t.lost_ok(Codec::Big5, lead, Some(trail))
                    {
                        v.push((c, trail));
                    }
                }
            }
        }
        v.sort_unstable();
        v.dedup_by_key(|x| x.0);
        v
    })
}

/// Completes a GBK character both of whose bytes a strict Big5 decoder lost, one at a
/// time (two U+FFFD; `next` is the byte after them, if known): the common characters
/// of [`both_lost_table`] whose trail byte it cannot pair with `next` either. Appends
/// them to `alts` (in code point order, with their costs) and returns the cheapest.
pub(super) fn guess_both_lost(
    t: &Tables,
    next: Option<u8>,
    alts: &mut Vec<(char, f32)>,
) -> Option<(usize, char, bool)> {
    let mut best: Option<(char, f32)> = None;
    for &(c, trail) in both_lost_table(t) {
        if !t.lost_ok(Codec::Big5, trail, next) {
            continue;
        }
        let cost = t.cost(c);
        alts.push((c, cost));
        if !matches!(best, Some((_, b)) if b <= cost) {
            best = Some((c, cost));
        }
    }
    best.map(|(c, _)| (2, c, true))
}
