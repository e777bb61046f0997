//! Encoding a run of the line back into the bytes its decoder read (the first step of
//! every chain), with the other bytes a WHATWG GBK decoder maps to the same character,
//! and the windowed cost of a run's bytes read the other way.

use super::*;

/// The other bytes a WHATWG GBK decoder turns into `c` (`€` is 0x80 and A2E3,
/// U+3000 is A1A1 and A3A0).
pub(super) fn gbk_alternative(c: char) -> Option<&'static [u16]> {
    match c {
        '\u{20AC}' => Some(&[0xA2, 0xE3]),
        '\u{3000}' => Some(&[0xA3, 0xA0]),
        _ => None,
    }
}

/// Encodes `chars[run]` with `d` into `bytes`, recording for each byte the char it
/// came from (plus one entry for the end; see [`char_starts`]).
pub(super) fn encode_run(
    t: &Tables,
    d: Codec,
    chars: &[char],
    run: std::ops::Range<usize>,
    alt: &[bool],
    bytes: &mut Vec<u16>,
    bchar: &mut Vec<u32>,
) {
    bytes.clear();
    bchar.clear();
    for (k, i) in run.clone().enumerate() {
        let Some(&c) = chars.get(i) else { break };
        let before = bytes.len();
        match gbk_alternative(c).filter(|_| d == Codec::Gbk && alt.get(k) == Some(&true)) {
            Some(b) => bytes.extend_from_slice(b),
            None => {
                t.encode(d, c, bytes);
            }
        }
        for _ in before..bytes.len() {
            bchar.push(i as u32);
        }
    }
    bchar.push(run.end as u32);
}

/// Whether a char starts at byte `b` of an encoded run whose byte-to-char map is
/// `bchar` ([`encode_run`]): every char has at least one byte, so a char starts where
/// the map changes, at the first byte and at the end entry; false past the end.
#[inline]
pub(super) fn char_starts(bchar: &[u32], b: usize) -> bool {
    match b.checked_sub(1) {
        None => !bchar.is_empty(),
        Some(p) => matches!(bchar.get(p..=b), Some(&[x, y]) if x != y),
    }
}

/// Encodes with `d` the chars from `start` on, up to the first one `d` cannot produce,
/// into `sc.bytes` (with `sc.bchar` as in [`encode_run`]). Returns the
/// end of the run, whether it has non-ASCII chars, and whether it has chars with
/// alternative GBK bytes.
pub(super) fn encode_from(
    t: &Tables,
    d: Codec,
    chars: &[char],
    start: usize,
    sc: &mut Scratch,
) -> (usize, bool, bool) {
    // Local buffers (taken from `sc`, given back), which the loop keeps in registers.
    let mut bufs = (
        std::mem::take(&mut sc.bytes),
        std::mem::take(&mut sc.bchar),
        std::mem::take(&mut sc.alt_at),
    );
    // One loop per decoder, each with its own table.
    let r = match d {
        Codec::Sb => encode_loop(chars, start, &mut bufs, |c| t.enc_word(Codec::Sb, c)),
        Codec::Gbk => encode_loop(chars, start, &mut bufs, |c| t.enc_word(Codec::Gbk, c)),
        Codec::Big5 => encode_loop(chars, start, &mut bufs, |c| t.enc_word(Codec::Big5, c)),
        Codec::Utf8 => encode_loop(chars, start, &mut bufs, |c| t.enc_word(Codec::Utf8, c)),
    };
    (sc.bytes, sc.bchar, sc.alt_at) = bufs;
    r
}

/// The loop of [`encode_from`] with the encoder `word` (a char's [`enc_word`], 0 for a
/// char it cannot encode; bytes, byte-to-char map and chars with alternative bytes in
/// `bytes`, `bchar`, `alt_at`). Both buffers get room for two bytes per char of the rest
/// of the line first (reserved, not written: the scratch buffers keep their capacity
/// from run to run, so a line of many short runs costs no more than one long run;
/// writing the room, as `resize` does, made such a line quadratic), and each char's
/// bytes are then written straight into it, with no capacity check per byte. The
/// word's flags, or-ed over the run, say whether it has non-ASCII chars and chars with
/// alternative bytes.
#[inline]
pub(super) fn encode_loop(
    chars: &[char],
    start: usize,
    (bytes, bchar, alt_at): &mut (Vec<u16>, Vec<u32>, Vec<(u32, u32)>),
    word: impl Fn(char) -> u32,
) -> (usize, bool, bool) {
    bytes.clear();
    bchar.clear();
    alt_at.clear();
    let rest = chars.get(start..).unwrap_or(&[]);
    // Cleared: the room starts at the first slot.
    bytes.reserve(2 * rest.len());
    // One more: the end entry pushed after the loop.
    bchar.reserve(2 * rest.len() + 1);
    let mut flags = 0u32;
    // Bytes written, and the run's length in chars.
    let mut n = 0usize;
    let mut len = rest.len();
    let (pb, pc) = (bytes.as_mut_ptr(), bchar.as_mut_ptr());
    for (k, &c) in rest.iter().enumerate() {
        let w = word(c);
        if w == 0 {
            len = k;
            break;
        }
        flags |= w;
        if w & enc_word::ALT != 0 {
            alt_at.push((k as u32, n as u32));
        }
        let i = (start + k) as u32;
        // SAFETY: both buffers were empty with room for `2 * rest.len()` elements. Char
        // `k` starts at byte `n <= 2 * k` and writes slots `n` and `n + 1 <= 2 * k + 1 <
        // 2 * rest.len()`: inside the reserved room. (Both slots are written; the second
        // counts only with a second byte, and is otherwise the next char's first.)
        unsafe {
            pb.add(n).write(enc_word::first(w));
            pc.add(n).write(i);
            pb.add(n + 1).write(enc_word::second(w));
            pc.add(n + 1).write(i);
        }
        n += enc_word::len(w);
    }
    // SAFETY: slots `0..n` were all written above (each char writes the slots from
    // the `n` before it on, and `n` grows by the bytes it has), with plain `u16` and
    // `u32` values, and `n <= 2 * rest.len()` is within the reserved room.
    unsafe {
        bytes.set_len(n);
        bchar.set_len(n);
    }
    bchar.push((start + len) as u32);
    let non_ascii = flags & enc_word::NON_ASCII != 0;
    (start + len, non_ascii, flags & enc_word::ALT != 0)
}

/// For each char of the run with two GBK byte sequences, keeps the one whose UTF-8
/// reading around it is cheaper (each decided on its own, in a window of three bytes
/// either side), then re-encodes the run if any alternative won.
pub(super) fn choose_alternatives(
    t: &Tables,
    chars: &[char],
    run: std::ops::Range<usize>,
    sc: &mut Scratch,
) {
    let mut any = false;
    // The run's chars with alternative bytes, and their first bytes ([`encode_from`]).
    let alt_at = std::mem::take(&mut sc.alt_at);
    for &(k, pos) in &alt_at {
        let (k, pos) = (k as usize, pos as usize);
        let Some(&c) = chars.get(run.start + k) else {
            break;
        };
        let Some(alt) = gbk_alternative(c) else {
            continue;
        };
        let len = if c == '\u{20AC}' { 1 } else { 2 };
        let lo = pos.saturating_sub(3);
        let hi = (pos + len + 3).min(sc.bytes.len());
        let keep = window_cost_memo(
            t,
            sc.bytes.get(lo..hi).unwrap_or(&[]),
            &mut sc.toks2,
            &mut sc.guess,
            &mut sc.window_memo,
        );
        // The window with the alternative bytes: at most three bytes, two, and three,
        // assembled on the stack.
        let mut window = [0u16; 8];
        let mut m = 0;
        let head = sc.bytes.get(lo..pos).unwrap_or(&[]);
        let tail = sc.bytes.get((pos + len).min(hi)..hi).unwrap_or(&[]);
        for (slot, &b) in window.iter_mut().zip(head.iter().chain(alt).chain(tail)) {
            *slot = b;
            m += 1;
        }
        let alt_cost = window_cost_memo(
            t,
            window.get(..m).unwrap_or(&[]),
            &mut sc.toks2,
            &mut sc.guess,
            &mut sc.window_memo,
        );
        if alt_cost < keep {
            if let Some(a) = sc.alt.get_mut(k) {
                *a = true;
            }
            any = true;
        }
    }
    sc.alt_at = alt_at;
    if any {
        let alt = std::mem::take(&mut sc.alt);
        encode_run(
            t,
            Codec::Gbk,
            chars,
            run,
            &alt,
            &mut sc.bytes,
            &mut sc.bchar,
        );
        sc.alt = alt;
    }
}

/// Slots of the [`window_cost`] cache (a power of two; 32 bytes each, 512 KB in all,
/// allocated on the first window looked up). With 1024 slots, a document of UTF-8 read
/// as GBK missed on 38% of its lookups, with 4096 on 20%.
pub(super) const WINDOW_MEMO_SLOTS: usize = 16384;

/// [`window_cost`], remembered in `memo` (direct-mapped, keyed on the bytes of a window
/// of at most eight and the two line flags lost-byte completion reads): the same
/// neighbourhoods of `€` recur in a text.
pub(super) fn window_cost_memo(
    t: &Tables,
    w: &[u16],
    toks: &mut Vec<Tok>,
    g: &mut GuessBuf,
    memo: &mut Vec<(u128, f32)>,
) -> f32 {
    if w.len() > 8 {
        return window_cost(t, w, toks, g);
    }
    let mut key = 1u128 << 127 | (w.len() as u128) << 72;
    key |= (g.whatwg as u128) << 76 | (g.many_lost as u128) << 77 | (g.few_lost as u128) << 78;
    for (k, &v) in w.iter().enumerate() {
        key |= ((v & 0x1FF) as u128) << (9 * k);
    }
    if memo.is_empty() {
        memo.resize(WINDOW_MEMO_SLOTS, (0, 0.0));
    }
    let h = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // The hash's top bits pick the slot.
    let Some(slot) = memo.get_mut((h >> (64 - WINDOW_MEMO_SLOTS.trailing_zeros())) as usize) else {
        return window_cost(t, w, toks, g);
    };
    if slot.0 == key {
        return slot.1;
    }
    let c = window_cost(t, w, toks, g);
    *slot = (key, c);
    c
}

/// The cost of GBK bytes `w` read as UTF-8 (8 per undecodable byte).
pub(super) fn window_cost(t: &Tables, w: &[u16], toks: &mut Vec<Tok>, g: &mut GuessBuf) -> f32 {
    if w.contains(&WILD) {
        tokenize(t, Codec::Gbk, Codec::Utf8, w, toks, g, Fill::Cheapest);
        return toks.iter().map(|x| x.ch.map_or(8.0, |c| t.cost(c))).sum();
    }
    // Without lost bytes `tokenize` only decodes: the same tokens, without the buffers.
    read_cost(t, Codec::Utf8, w)
}

/// The cost of bytes `w` (no lost byte among them) read with `e`, as [`tokenize`]
/// reads them: the sum of the characters' costs, 8 per byte that starts none. (Inlined:
/// each caller's codec is a constant.)
#[inline(always)]
pub(super) fn read_cost(t: &Tables, e: Codec, w: &[u16]) -> f32 {
    let mut i = 0;
    std::iter::from_fn(|| {
        if i >= w.len() {
            return None;
        }
        let fast = if e == Codec::Utf8 {
            utf8_fast(w, i)
        } else {
            None
        };
        let tok = fast.or_else(|| {
            if e == Codec::Utf8 && matches!(w.get(i), Some(0x80..=0xC1 | 0xF5..=0xFF)) {
                return None; // starts no UTF-8 sequence
            }
            let mut win = [0u8; 4];
            let wl = w.len().saturating_sub(i).min(4);
            for (slot, &v) in win.iter_mut().zip(w.get(i..i + wl).unwrap_or(&[])) {
                *slot = v as u8;
            }
            t.decode_at(e, &win[..wl])
        });
        Some(match tok {
            Some((l, c)) => {
                i += l;
                t.cost(c)
            }
            None => {
                i += 1;
                8.0
            }
        })
    })
    .sum()
}
