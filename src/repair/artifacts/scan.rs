//! The prefilter: finds bytes that may start an artifact, so that clean text is
//! passed over at memory speed and comes back borrowed.
//!
//! A byte is *interesting* when the lookup table marks it (C0 controls, DEL, `(`, `&`,
//! `?`, and the UTF-8 lead bytes C2, E2, EF of C1 controls, zero-width characters and the
//! BOM); a cheap local check on its neighbours ([`in_line_hit`]) then rules most of them
//! out. Line-edge whitespace and blank-line runs are checked at each line break.

/// 1 for a byte that may start an artifact.
static INTERESTING: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = 1;
        i += 1;
    }
    t[b'\t' as usize] = 0;
    t[0x7F] = 1;
    t[b'(' as usize] = 1;
    t[b'&' as usize] = 1;
    t[b'?' as usize] = 1;
    t[0xC2] = 1;
    t[0xE2] = 1;
    t[0xEF] = 1;
    t
};

#[inline(always)]
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// Length in bytes of the line-space character starting at `b[i]`, or 0.
#[inline]
pub(super) fn space_len_at(b: &[u8], i: usize) -> usize {
    match at(b, i) {
        b' ' | b'\t' => 1,
        0xC2 if at(b, i + 1) == 0xA0 => 2,
        0xE3 if at(b, i + 1) == 0x80 && at(b, i + 2) == 0x80 => 3,
        0xE1 if at(b, i + 1) == 0x9A && at(b, i + 2) == 0x80 => 3,
        0xE2 => match (at(b, i + 1), at(b, i + 2)) {
            (0x80, 0x80..=0x8A | 0xAF) | (0x81, 0x9F) => 3,
            _ => 0,
        },
        _ => 0,
    }
}

/// True when `b[..end]` ends with a line-space character.
#[inline]
pub(super) fn space_before(b: &[u8], end: usize) -> bool {
    (end >= 1 && space_len_at(b, end - 1) == 1)
        || (end >= 2 && space_len_at(b, end - 2) == 2)
        || (end >= 3 && space_len_at(b, end - 3) == 3)
}

/// True when `b[..i]` ends with a character the pass removes (a control, a zero-width
/// character, a BOM): rules see through it, so what follows must be looked at.
#[inline]
fn removable_before(b: &[u8], i: usize) -> bool {
    let last = if i == 0 { return false } else { b[i - 1] };
    if last < 0x20 && last != b'\t' && last != b'\n' || last == 0x7F {
        return true;
    }
    (i >= 2 && b[i - 2] == 0xC2 && (0x80..=0x9F).contains(&last))
        || (i >= 3
            && matches!(
                (b[i - 3], b[i - 2], last),
                (0xE2, 0x80, 0x8B..=0x8D) | (0xE2, 0x81, 0xA0) | (0xEF, 0xBB, 0xBF)
            ))
}

/// True when `c` may start a gloss body: `(`, a lower-case ASCII letter, or the lead
/// byte of a tone-marked Latin vowel.
#[inline(always)]
fn starts_reading(c: u8) -> bool {
    c == b'(' || c.is_ascii_lowercase() || matches!(c, 0xC3 | 0xC4 | 0xC5 | 0xC7)
}

/// True when the `?` at `b[i]` sits between two transliteration characters (a lost
/// `·` in a foreign name).
#[cold]
fn transliteration_around(b: &[u8], i: usize) -> bool {
    let prev = i
        .checked_sub(3)
        .and_then(|s| std::str::from_utf8(&b[s..i]).ok())
        .and_then(|s| s.chars().next());
    let next = b
        .get(i + 1..i + 4)
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.chars().next());
    super::lost::is_transliteration(prev) && super::lost::is_transliteration(next)
}

/// True when the `?` at `b[i]` may be a lost character or a misaligned gloss under
/// some rule (see `lost.rs`); false for the common real question marks (`吗?`, `what?`,
/// `a?b`).
#[inline]
fn question_candidate(b: &[u8], i: usize) -> bool {
    let prev = if i == 0 { b'\n' } else { b[i - 1] };
    let next = at(b, i + 1);
    matches!(prev, b' ' | b'\t' | b'\n' | b'\r' | b']' | b'?' | b'0'..=b'9')
        || next == b'?'
        || (prev == 0x91 && i >= 3 && b[i - 3] == 0xE3 && b[i - 2] == 0x80) // 】
        || (prev >= 0x80 && starts_reading(next))
        || (prev >= 0x80 && next >= 0xE3 && transliteration_around(b, i))
        || removable_before(b, i)
}

/// True when the interesting byte at `b[i]` may start an artifact inside a line.
/// `b[i]` must be marked in the lookup table.
#[inline]
pub(super) fn in_line_hit(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'(' => {
            i > 0 && (b[i - 1] >= 0x80 || removable_before(b, i)) && {
                let n = at(b, i + 1);
                n.is_ascii_lowercase() || matches!(n, 0xC3 | 0xC4 | 0xC5 | 0xC7 | 0xE1)
            }
        }
        b'&' => {
            let n = at(b, i + 1);
            (n == b'#' || n.is_ascii_alphabetic())
                && memchr::memchr(b';', &b[i + 1..b.len().min(i + 12)]).is_some()
        }
        b'?' => question_candidate(b, i),
        0xC2 => matches!(at(b, i + 1), 0x80..=0x9F),
        0xE2 => matches!(
            (at(b, i + 1), at(b, i + 2)),
            (0x80, 0x8B..=0x8D) | (0x81, 0xA0)
        ),
        0xEF => {
            matches!(
                (at(b, i + 1), at(b, i + 2), at(b, i + 3)),
                (0xBB, 0xBF, _) | (0xBF, 0xBD, _)
            ) && (at(b, i + 1) == 0xBB || starts_reading(at(b, i + 3)))
        }
        b'\n' => false,
        // ESC `[` opens an ANSI control sequence: terminal colour codes (`\x1b[32m`,
        // `\x1b[m`) in text written for a terminal (Debian's Chinese fortunes) are
        // markup of the text, not damage, and removing the ESC alone would leave `[32m`
        // in it. Kept whole, as the bytes after the ESC are (a sequence cut short too:
        // `\x1b[;\x1b[34;1m`).
        0x1B => at(b, i + 1) != b'[',
        // Other C0 controls, CR and DEL.
        _ => true,
    }
}

/// Bytes looked at per block by the scanners.
const BLOCK: usize = 16;

/// Bit `k` set when `block[k]` is marked in [`INTERESTING`] or is a tab (callers filter
/// tabs out with the table), except EF bytes that certainly start no artifact. Most
/// blocks of Chinese text hold no such byte and are passed over whole.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn block_mask(block: &[u8; BLOCK]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_set_epi8, _mm_srli_si128,
    };
    // SAFETY: SSE2 is enabled at compile time (the cfg above), and the unaligned load
    // reads exactly the 16 bytes of `block`.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        let eq = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
        // c < 0x20 ⟺ max(c, 0x1F) == 0x1F (unsigned).
        let ctrl = eq_max(v);
        let ascii = _mm_or_si128(
            _mm_or_si128(ctrl, eq(0x7F)),
            _mm_or_si128(_mm_or_si128(eq(b'('), eq(b'&')), eq(b'?')),
        );
        // EF only before BB or BF (a BOM, U+FFFD): full-width punctuation (`，` is
        // EF BC 8C) is frequent in Chinese and never an artifact. The next byte of
        // lane 15 is in the next block, so that lane is always kept.
        let next = _mm_srli_si128::<1>(v);
        let last_lane = _mm_set_epi8(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        let ef_next = _mm_or_si128(
            _mm_or_si128(
                _mm_cmpeq_epi8(next, _mm_set1_epi8(0xBBu8 as i8)),
                _mm_cmpeq_epi8(next, _mm_set1_epi8(0xBFu8 as i8)),
            ),
            last_lane,
        );
        let lead = _mm_or_si128(
            _mm_or_si128(eq(0xC2), eq(0xE2)),
            _mm_and_si128(eq(0xEF), ef_next),
        );
        return _mm_movemask_epi8(_mm_or_si128(ascii, lead)) as u32;

        #[inline(always)]
        unsafe fn eq_max(v: __m128i) -> __m128i {
            let lim = _mm_set1_epi8(0x1F);
            _mm_cmpeq_epi8(_mm_max_epu8(v, lim), lim)
        }
    }
}

/// Portable form of the SSE2 block scan above.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn block_mask(block: &[u8; BLOCK]) -> u32 {
    let mut m = 0u32;
    for (k, &c) in block.iter().enumerate() {
        m |= u32::from(c == b'\t' || INTERESTING[usize::from(c)] != 0) << k;
    }
    m
}

#[inline(always)]
fn block_at(b: &[u8], i: usize) -> &[u8; BLOCK] {
    b[i..i + BLOCK].try_into().expect("a full block")
}

/// Position of the first byte at or after `from` in `b` where an in-line artifact may
/// start (line breaks excluded).
#[inline]
pub(super) fn next_in_line_hit(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + BLOCK <= b.len() {
        let mut m = block_mask(block_at(b, i));
        while m != 0 {
            let j = i + m.trailing_zeros() as usize;
            if INTERESTING[usize::from(b[j])] != 0 && in_line_hit(b, j) {
                return Some(j);
            }
            m &= m - 1;
        }
        i += BLOCK;
    }
    (i..b.len()).find(|&j| INTERESTING[usize::from(b[j])] != 0 && in_line_hit(b, j))
}

/// True when the interesting byte `b[i]` may start an artifact, including the checks
/// made at line breaks.
#[inline(always)]
fn hit(b: &[u8], i: usize) -> bool {
    if b[i] == b'\n' {
        space_before(b, i)
            || space_len_at(b, i + 1) != 0
            || (at(b, i + 1) == b'\n' && at(b, i + 2) == b'\n')
    } else {
        in_line_hit(b, i)
    }
}

/// True when the document may contain something to repair: an in-line artifact,
/// whitespace at either end of a line, or more than one blank line in a row. False
/// guarantees that the pass has nothing to do.
pub(super) fn needs_work(b: &[u8]) -> bool {
    if b.is_empty() {
        return false;
    }
    if space_len_at(b, 0) != 0 || space_before(b, b.len()) || b.starts_with(b"\n\n") {
        return true;
    }
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        match unsafe { wide::first_hit(b, |j| INTERESTING[usize::from(b[j])] != 0 && hit(b, j)) } {
            Ok(_) => return true,
            Err(end) => i = end,
        }
    }
    while i + BLOCK <= b.len() {
        let mut m = block_mask(block_at(b, i));
        while m != 0 {
            let j = i + m.trailing_zeros() as usize;
            if INTERESTING[usize::from(b[j])] != 0 && hit(b, j) {
                return true;
            }
            m &= m - 1;
        }
        i += BLOCK;
    }
    (i..b.len()).any(|j| INTERESTING[usize::from(b[j])] != 0 && hit(b, j))
}

/// The scan of [`needs_work`] 32 bytes a step, on CPUs with AVX2 (most x86-64 ones
/// since 2013; the build targets the SSE2 baseline, so it is chosen at run time): it
/// marks the same bytes as [`block_mask`], the EF test reading the byte after the block
/// from the input instead of keeping the block's last lane. The prefilter reads every
/// byte of every document, and half the steps take half its time.
#[cfg(target_arch = "x86_64")]
mod wide {
    use std::arch::x86_64::{
        __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_max_epu8,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };

    /// Bytes looked at per step.
    const STEP: usize = 32;

    /// The first byte `j` of `b` that the block scan marks and `hit(j)` accepts
    /// (`Ok(j)`), or, when there is none among the bytes it looked at, where it stopped
    /// (`Err(i)`): it looks at whole steps whose byte after them is in `b`, and the
    /// caller looks at the rest.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn first_hit(b: &[u8], hit: impl Fn(usize) -> bool) -> Result<usize, usize> {
        let mut i = 0;
        while i + STEP < b.len() {
            // SAFETY: `i + STEP < b.len()`, so both 32-byte loads (at `i` and `i + 1`)
            // read inside `b`; unaligned loads need no alignment, and AVX2 is there
            // (the caller's promise).
            let mut m = unsafe {
                let p = b.as_ptr().add(i);
                let v = _mm256_loadu_si256(p.cast::<__m256i>());
                let next = _mm256_loadu_si256(p.add(1).cast::<__m256i>());
                let eq = |x: __m256i, c: u8| _mm256_cmpeq_epi8(x, _mm256_set1_epi8(c as i8));
                // c < 0x20 ⟺ max(c, 0x1F) == 0x1F (unsigned).
                let lim = _mm256_set1_epi8(0x1F);
                let ctrl = _mm256_cmpeq_epi8(_mm256_max_epu8(v, lim), lim);
                let ascii = _mm256_or_si256(
                    _mm256_or_si256(ctrl, eq(v, 0x7F)),
                    _mm256_or_si256(_mm256_or_si256(eq(v, b'('), eq(v, b'&')), eq(v, b'?')),
                );
                // EF only before BB or BF (a BOM, U+FFFD), as in `block_mask`.
                let ef =
                    _mm256_and_si256(eq(v, 0xEF), _mm256_or_si256(eq(next, 0xBB), eq(next, 0xBF)));
                let lead = _mm256_or_si256(_mm256_or_si256(eq(v, 0xC2), eq(v, 0xE2)), ef);
                _mm256_movemask_epi8(_mm256_or_si256(ascii, lead)) as u32
            };
            while m != 0 {
                let j = i + m.trailing_zeros() as usize;
                if hit(j) {
                    return Ok(j);
                }
                m &= m - 1;
            }
            i += STEP;
        }
        Err(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`needs_work`] byte by byte: the oracle of the block scans (the AVX2 one where
    /// the CPU has it, SSE2 and the byte loop on the rest).
    fn needs_work_by_byte(b: &[u8]) -> bool {
        !b.is_empty()
            && (space_len_at(b, 0) != 0
                || space_before(b, b.len())
                || b.starts_with(b"\n\n")
                || (0..b.len()).any(|j| INTERESTING[usize::from(b[j])] != 0 && hit(b, j)))
    }

    /// Documents of every length up to three AVX2 steps and more, of pieces that hold
    /// each kind of marked byte (and EF before and not before BB/BF), at every
    /// position: the block scans find an artifact exactly where the byte loop does.
    #[test]
    fn block_scans_agree_with_the_byte_loop() {
        const PIECES: &[&str] = &[
            "中文",
            "文本",
            "ab",
            " ",
            "\n",
            "(",
            "(yè)",
            "&",
            "&amp;",
            "?",
            " ?",
            "\u{85}",
            "\u{A0}",
            "·",
            "\u{200B}",
            "“",
            "—",
            "\u{FEFF}",
            "\u{FFFD}a",
            "，",
            "ｈ",
            "\t",
            "\u{1}",
            "\u{7F}",
        ];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut found = 0;
        for _ in 0..20_000 {
            let mut doc = String::new();
            let n = next() % 48;
            for _ in 0..n {
                // Mostly clean text, so that many documents need no work.
                let r = next();
                doc.push_str(if r % 4 != 0 {
                    ["中文", "文本", "ab"][(r >> 8) as usize % 3]
                } else {
                    PIECES[(r >> 8) as usize % PIECES.len()]
                });
            }
            let b = doc.as_bytes();
            assert_eq!(needs_work(b), needs_work_by_byte(b), "{doc:?}");
            found += needs_work(b) as usize;
        }
        assert!((2_000..18_000).contains(&found), "{found}");
    }
}
