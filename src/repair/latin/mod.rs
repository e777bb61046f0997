//! Mojibake of European, Cyrillic, Greek and symbol text: UTF-8 read by a single-byte
//! decoder (`CafÃ©`, `РґРѕСЂРѕРіРµ`, `MĂĄm`, `g√¢teaux`, `╨┐╤Ç╨░`), up to three layers
//! deep (`doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t`), including the variants real mojibake carries:
//! emoji written as CESU-8 surrogate halves (`í ½í¸`), bytes a decoder lost (U+FFFD or
//! `?` inside a sequence: the character becomes U+FFFD), and no-break spaces turned into
//! plain spaces (`voilÃ le travail`).
//!
//! # Model
//!
//! Each codec in `codecs::ALL` (windows-1252 with Latin-1's C1 controls, 1251, 1250,
//! 1253, 1254, 1257, ISO-8859-2, MacRoman, CP437) maps one character to one byte, so a
//! line of characters encodes to a line of bytes index for index. In those bytes the
//! pass finds *runs*: maximal chains of adjacent, complete UTF-8 multi-byte sequences.
//!
//! A line is looked at only when its badness (`badness::badness`) is above zero (some
//! character sequence in it is far likelier to be mojibake than intended); text whose
//! characters all look plausible is never touched. Then, per layer:
//! 1. **whole line**: the first codec (in the order above) that encodes every character
//!    of the line, with every non-ASCII character inside a run, decodes the line;
//!    here a space may stand for a lost byte 0xA0 (not under MacRoman, where 0xA0 is
//!    not a likely byte);
//! 2. **spans**: otherwise, under each codec, each run that is bad by itself is
//!    decoded; the codec whose result is least bad wins.
//!
//! Either way the result must be strictly less bad than the line, and decoded
//! characters must be plausible (no C1 controls, no noncharacters). A span decodes to
//! Latin, Greek, Cyrillic, symbols or emoji, or to a script the line already holds
//! (`أكثر Ù…Ù†` → `أكثر من`). Up to three layers are undone; each line's repair goes
//! into the report with its chain (`utf8>cp1251`, `utf8>cp1252>utf8>cp1252`…), its
//! span in code points and a confidence (lower when a byte was lost or a space
//! restored).
//!
//! Lost 0xA0 bytes: a space after a lead byte whose sequence with 0xA0 is a likely
//! character stands for it. `Ã ` before a word is the word `à` (the space stays:
//! `voilÃ le` → `voilà le`), except in a Vietnamese line (one holding a UTF-8
//! Vietnamese letter with two marks), where after a letter and before a letter it is
//! inside a syllable (`hĂ i` → `hài`).
//!
//! Before the UTF-8 layers, one single-byte layer: MacRoman text read as Latin-1, where
//! every C1 control sits inside a lower-case word (`Coatl\u{87}n` → `Coatlán`; see
//! `macroman_c1`), reported as `macroman>latin1`.
//!
//! A line the layers would leave with more than half of its badness (and no lost
//! byte) is left alone: the decodable islands in it are coincidences inside damage of
//! another kind (lower-cased mojibake). `verdict` tells the repair stage so, which
//! then also undoes the CJK pass's partial repair of such a line.
//!
//! The pass runs only on lines the CJK pass ([`super::mojibake`]) did not repair (in
//! lines with CJK characters, only on spans inside a word, `ZÃ¼rich`, and on a sign
//! UTF-8 writes as `C2 xx` with no CJK beside it, `Copyright Â© 2021`), and
//! a byte-level prefilter skips every line without a byte in `0xC2..=0xD1` (the UTF-8
//! lead bytes of Latin-1, Latin Extended-A, the spacing modifiers, Greek and Cyrillic:
//! every single-byte mojibake of UTF-8 holds one), `E2 88`/`E2 89` (MacRoman) or
//! `E2 94`–`E2 96` (CP437 box drawing), so clean CJK and ASCII text costs one
//! vectorisable scan.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::{Repair, RepairReport};

mod badness;
mod codecs;

pub(crate) use badness::badness;

/// A single-byte codec: what bytes 0x80..=0xFF decode to.
#[derive(Debug)]
pub(crate) struct Codec {
    /// The name used in chains (`cp1252`).
    name: &'static str,
    /// Undefined bytes decode as their Latin-1 character, and U+FFFD stands for a byte
    /// the decoder lost (encoded as 0x1A, as ftfy does).
    sloppy: bool,
    /// `upper[b - 0x80]` is the code point byte `b` decodes to.
    upper: [u16; 128],
}

/// Sorted `(code point, byte)` pairs of each codec in [`codecs::ALL`], for encoding.
fn reverse_tables() -> &'static [Vec<(u16, u8)>] {
    static T: OnceLock<Vec<Vec<(u16, u8)>>> = OnceLock::new();
    T.get_or_init(|| {
        codecs::ALL
            .iter()
            .map(|c| {
                let mut v: Vec<(u16, u8)> = (0u8..128)
                    .map(|i| (c.upper[i as usize], 0x80 + i))
                    .collect();
                v.sort_unstable();
                v
            })
            .collect()
    })
}

/// The byte `c` encodes to under codec number `k`, if any.
fn encode(k: usize, c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 {
        return Some(u as u8);
    }
    let codec = codecs::ALL[k];
    if u == 0xFFFD && codec.sloppy {
        return Some(0x1A);
    }
    let rev = &reverse_tables()[k];
    if let Ok(u) = u16::try_from(u) {
        if let Ok(i) = rev.binary_search_by_key(&u, |&(c, _)| c) {
            return rev.get(i).map(|&(_, b)| b);
        }
    }
    // windows-1252 stands for Latin-1 too: browsers and Latin-1 decoders disagree only
    // on 0x80..=0x9F, which Latin-1 turns into C1 controls.
    if k == 0 && (0x80..=0x9F).contains(&u) {
        return Some(u as u8);
    }
    None
}

/// True for the bytes that start the UTF-8 form of every character a single-byte
/// decoder makes out of a UTF-8 lead byte (Latin-1 … Cyrillic).
#[inline]
fn suspect(b: u8) -> bool {
    b.wrapping_sub(0xC2) < 0x10
}

/// Position of the first suspect byte at or after `from`, or `bytes.len()`: a byte
/// in `0xC2..=0xD1`, `E2 88`/`E2 89` (MacRoman makes `√` and `≈` of UTF-8 lead
/// bytes, and other mathematical operators of continuation bytes), or `E2 94`–`E2 96`
/// (CP437 makes box drawing and blocks of both). The scan reads every byte of the
/// text: on CPUs with AVX2 (chosen at run time; the build targets the SSE2 baseline)
/// its blocks are compiled for it, half the steps.
fn next_suspect(bytes: &[u8], from: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        return unsafe { next_suspect_avx2(bytes, from) };
    }
    next_suspect_in(bytes, from)
}

/// [`next_suspect`] compiled for AVX2.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn next_suspect_avx2(bytes: &[u8], from: usize) -> usize {
    next_suspect_in(bytes, from)
}

/// The body of [`next_suspect`], inlined into each of its compilations.
#[inline(always)]
fn next_suspect_in(bytes: &[u8], from: usize) -> usize {
    // `E2` counts with the byte after it.
    let math_or_box = |n: u8| n & 0xFE == 0x88 || n.wrapping_sub(0x94) < 3;
    let hit = |i: usize, b: u8| {
        suspect(b) || (b == 0xE2 && bytes.get(i + 1).is_some_and(|&n| math_or_box(n)))
    };
    // Blocks of 32 bytes, each looked at with the 32 bytes one further on (so the
    // byte after an `E2` is at hand): the flag computation, without early exit,
    // vectorises, and Chinese text's `E2 80` (quotes, dashes, `…`) raises no flag.
    let mut base = from;
    while let (Some(block), Some(next)) =
        (bytes.get(base..base + 32), bytes.get(base + 1..base + 33))
    {
        let mut acc = 0u8;
        for (&b, &n) in block.iter().zip(next) {
            acc |= suspect(b) as u8 | ((b == 0xE2) & math_or_box(n)) as u8;
        }
        if acc != 0 {
            if let Some(k) = block
                .iter()
                .enumerate()
                .position(|(k, &b)| hit(base + k, b))
            {
                return base + k;
            }
        }
        base += 32;
    }
    let tail = bytes.get(base..).unwrap_or(&[]);
    tail.iter()
        .enumerate()
        .position(|(k, &b)| hit(base + k, b))
        .map_or(bytes.len(), |k| base + k)
}

/// True when `text` holds a byte the pass could act on (the prefilter).
pub(crate) fn may_apply(text: &str) -> bool {
    next_suspect(text.as_bytes(), 0) < text.len()
}

/// One decoded UTF-8 sequence: characters `start..end` of the line became `ch`.
#[derive(Debug, Clone, Copy)]
struct Seq {
    start: usize,
    end: usize,
    ch: char,
    /// A byte was lost (the sequence decodes to U+FFFD).
    lossy: bool,
    /// A space stood for byte 0xA0.
    spaced: bool,
}

/// Decoding rules for one attempt.
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// A space may stand for byte 0xA0 inside a sequence.
    a0: bool,
    /// U+FFFD (byte 0x1A) or `?` may stand for a lost continuation byte.
    lossy: bool,
    /// A sequence may decode to a C1 control (a middle layer of several).
    c1: bool,
    /// The line's bytes hold a Vietnamese letter (U+1EA0–U+1EFF: `E1 BA`/`E1 BB`).
    vietnamese: bool,
}

/// True when `bytes` hold the start of a UTF-8 Vietnamese letter with two marks.
fn has_vietnamese(bytes: &[Option<u8>]) -> bool {
    bytes
        .windows(2)
        .any(|w| w[0] == Some(0xE1) && matches!(w[1], Some(0xBA | 0xBB)))
}

fn is_cont(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// A lost byte: 0x1A (U+FFFD under a sloppy codec) or, when `q`, `?`.
fn is_lost(b: u8, q: bool) -> bool {
    b == 0x1A || (q && b == b'?')
}

/// The UTF-8 sequence starting at byte `i` of `bytes` (one byte per character of the
/// line; `None` for characters the codec cannot encode), if there is one.
fn sequence(bytes: &[Option<u8>], i: usize, rules: Rules) -> Option<Seq> {
    let at = |j: usize| bytes.get(j).copied().flatten();
    let lead = at(i)?;
    let seq = |end, ch, lossy, spaced| {
        Some(Seq {
            start: i,
            end,
            ch,
            lossy,
            spaced,
        })
    };
    match lead {
        0xC2..=0xDF => {
            let b1 = at(i + 1)?;
            if is_cont(b1) {
                let cp = ((lead as u32 & 0x1F) << 6) | (b1 as u32 & 0x3F);
                return seq(i + 2, char::from_u32(cp)?, false, false);
            }
            if rules.lossy && is_lost(b1, lead <= 0xC3) {
                return seq(i + 2, '\u{FFFD}', true, false);
            }
            if rules.a0 && b1 == b' ' {
                // In a Vietnamese line a syllable goes on after `à` (`hài`, `bàn`):
                // after a letter, a single space before a letter is the lost byte.
                let inside = rules.vietnamese
                    && i.checked_sub(1)
                        .and_then(|j| bytes.get(j).copied().flatten())
                        .is_some_and(|b| b.is_ascii_alphabetic())
                    && bytes
                        .get(i + 2)
                        .copied()
                        .flatten()
                        .is_some_and(|b| b.is_ascii_alphabetic());
                if lead == 0xC3 && !inside && a_grave_word(bytes, i + 2) {
                    // `Ã le` → `à le`: the space was a space; the 0xA0 was lost.
                    return seq(i + 1, 'à', false, true);
                }
                if matches!(lead, 0xC2 | 0xC3 | 0xC5 | 0xCE | 0xD0 | 0xD9) {
                    let cp = ((lead as u32 & 0x1F) << 6) | 0x20;
                    return seq(i + 2, char::from_u32(cp)?, false, true);
                }
            }
            None
        }
        0xE0..=0xEF => {
            let (b1, b2) = (at(i + 1)?, at(i + 2)?);
            if lead == 0xED && (0xA0..=0xAF).contains(&b1) {
                return surrogate_pair(bytes, i, rules);
            }
            if is_cont(b1) && is_cont(b2) {
                let cp =
                    ((lead as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F);
                if cp < 0x800 {
                    return None;
                }
                return seq(i + 3, char::from_u32(cp)?, false, false);
            }
            if rules.lossy
                && ((is_lost(b1, true) && (is_cont(b2) || b2 == 0x1A))
                    || ((is_cont(b1) || b1 == 0x1A) && is_lost(b2, true)))
            {
                return seq(i + 3, '\u{FFFD}', true, false);
            }
            if rules.a0 {
                let fine = |b: u8| is_cont(b) && b != 0x85 && b != 0xA0;
                let cp = |b1: u8, b2: u8| {
                    ((lead as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F)
                };
                if matches!(lead, 0xE2 | 0xE3) && b1 == b' ' && fine(b2) {
                    return seq(i + 3, char::from_u32(cp(0xA0, b2))?, false, true);
                }
                if (0xE0..=0xE3).contains(&lead) && fine(b1) && b2 == b' ' {
                    let c = cp(b1, 0xA0);
                    if c >= 0x800 {
                        return seq(i + 3, char::from_u32(c)?, false, true);
                    }
                }
            }
            None
        }
        0xF0..=0xF4 => {
            let b = [at(i + 1)?, at(i + 2)?, at(i + 3)?];
            if b.iter().all(|&x| is_cont(x)) {
                let cp = ((lead as u32 & 0x07) << 18)
                    | ((b[0] as u32 & 0x3F) << 12)
                    | ((b[1] as u32 & 0x3F) << 6)
                    | (b[2] as u32 & 0x3F);
                if !(0x10000..=0x10FFFF).contains(&cp) {
                    return None;
                }
                return seq(i + 4, char::from_u32(cp)?, false, false);
            }
            let lost = b.iter().filter(|&&x| is_lost(x, true)).count();
            if rules.lossy
                && lost >= 1
                && b.iter().all(|&x| is_cont(x) || x == 0x1A || x == b'?')
                && b.iter().filter(|&&x| x == b'?').count() <= 1
            {
                return seq(i + 4, '\u{FFFD}', true, false);
            }
            if rules.a0 && lead == 0xF0 {
                let spaces = b.iter().filter(|&&x| x == b' ').count();
                if spaces == 1 && b.iter().all(|&x| x == b' ' || is_cont(x)) {
                    let f = |x: u8| if x == b' ' { 0xA0 } else { x } as u32 & 0x3F;
                    let cp = (f(b[0]) << 12) | (f(b[1]) << 6) | f(b[2]);
                    if cp >= 0x10000 {
                        return seq(i + 4, char::from_u32(cp)?, false, true);
                    }
                }
            }
            None
        }
        _ => None,
    }
}

/// `Ã` followed by a space starts a word `à` (Catalan, French, Portuguese) unless the
/// space is followed by another space or by `quele`, `quela`, `quilo`, `s ` (where the
/// lost 0xA0 was the space itself: `às`, `àquele`).
fn a_grave_word(bytes: &[Option<u8>], after_space: usize) -> bool {
    let rest = |s: &[u8]| {
        s.iter()
            .enumerate()
            .all(|(k, &b)| bytes.get(after_space + k).copied().flatten() == Some(b))
    };
    !(rest(b" ") || rest(b"quele") || rest(b"quela") || rest(b"quilo") || rest(b"s "))
}

/// A CESU-8 surrogate pair (`ED A0-AF xx ED B0-BF xx`) at byte `i`, decoded to the
/// astral character it stands for (emoji written by Java or MySQL's `utf8`).
fn surrogate_pair(bytes: &[Option<u8>], i: usize, rules: Rules) -> Option<Seq> {
    let at = |j: usize| bytes.get(j).copied().flatten();
    let b = [at(i + 1)?, at(i + 2)?, at(i + 3)?, at(i + 4)?, at(i + 5)?];
    if b[2] != 0xED || !(0xA0..=0xAF).contains(&b[0]) || !(0xB0..=0xBF).contains(&b[3]) {
        return None;
    }
    if is_cont(b[1]) && is_cont(b[4]) {
        let hi = 0xD000 | ((b[0] as u32 & 0x3F) << 6) | (b[1] as u32 & 0x3F);
        let lo = 0xD000 | ((b[3] as u32 & 0x3F) << 6) | (b[4] as u32 & 0x3F);
        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
        return Some(Seq {
            start: i,
            end: i + 6,
            ch: char::from_u32(cp)?,
            lossy: false,
            spaced: false,
        });
    }
    if rules.lossy
        && ((is_lost(b[1], true) && (is_cont(b[4]) || is_lost(b[4], true)))
            || (is_cont(b[1]) && is_lost(b[4], true)))
    {
        return Some(Seq {
            start: i,
            end: i + 6,
            ch: '\u{FFFD}',
            lossy: true,
            spaced: false,
        });
    }
    None
}

/// A decoded character is plausible: not a C1 control, not a noncharacter, not
/// private use (but the Apple logo U+F8FF), not one of the rare tone letters and
/// Greek number signs that GBK and Big5 mojibake read as UTF-8 runs into.
fn plausible(c: char) -> bool {
    let u = c as u32;
    !((0x80..=0x9F).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
        || (0xFDD0..=0xFDEF).contains(&u)
        || (0xE000..=0xF8FE).contains(&u)
        || (0x02EF..=0x02FF).contains(&u)
        || (0x0370..=0x0385).contains(&u))
}

/// A combining mark (U+0300–U+036F) needs a base: it may not follow a space or start
/// the line.
fn has_base(line: &[char], s: &Seq) -> bool {
    !(0x300..=0x36F).contains(&(s.ch as u32))
        || s.start
            .checked_sub(1)
            .and_then(|i| line.get(i))
            .is_some_and(|c| !c.is_whitespace())
}

/// All sequences in `bytes`, left to right, none overlapping.
fn sequences(line: &[char], bytes: &[Option<u8>], rules: Rules, out: &mut Vec<Seq>) -> bool {
    out.clear();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i).copied().flatten() {
            Some(b) if b >= 0xC2 => {
                if let Some(s) = sequence(bytes, i, rules) {
                    let c1 = rules.c1 && (0x80..=0x9F).contains(&(s.ch as u32));
                    if !(plausible(s.ch) || c1) || !has_base(line, &s) {
                        return false;
                    }
                    out.push(s);
                    i = s.end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// A repair of one line by one layer: the new characters and, per changed span of the
/// layer's input, `(start, end, replacement)`.
struct Layer {
    codec: &'static str,
    /// Single-byte text read by another single-byte decoder (`macroman>latin1`), not
    /// UTF-8.
    single: bool,
    /// The codec was windows-1252, but the line held C1 controls only Latin-1 makes.
    latin1: bool,
    line: Vec<char>,
    spans: Vec<(usize, usize, String)>,
    lossy: bool,
    spaced: bool,
    whole: bool,
}

/// Splices the runs of `seqs` selected by `keep` into `line`.
fn splice(line: &[char], seqs: &[Seq], keep: impl Fn(&[Seq]) -> bool) -> Option<Layer> {
    let mut out = Vec::with_capacity(line.len());
    let mut spans = Vec::new();
    let (mut lossy, mut spaced) = (false, false);
    let mut last = 0;
    let mut r = 0;
    while r < seqs.len() {
        // A run: sequences that follow each other with nothing between.
        let mut e = r + 1;
        while e < seqs.len() && seqs[e].start == seqs[e - 1].end {
            e += 1;
        }
        let run = &seqs[r..e];
        r = e;
        if !keep(run) {
            continue;
        }
        let (start, end) = (run[0].start, run[run.len() - 1].end);
        out.extend_from_slice(line.get(last..start)?);
        let after: String = run.iter().map(|s| s.ch).collect();
        out.extend(after.chars());
        // A lost byte 0xA0 kept the space after `à`: the space is not part of the run.
        spans.push((start, end, after));
        lossy |= run.iter().any(|s| s.lossy);
        spaced |= run.iter().any(|s| s.spaced);
        last = end;
    }
    if spans.is_empty() {
        return None;
    }
    out.extend_from_slice(line.get(last..)?);
    Some(Layer {
        codec: "",
        single: false,
        latin1: false,
        line: out,
        spans,
        lossy,
        spaced,
        whole: false,
    })
}

/// Undoes one layer of mojibake in `line` (badness `bad` > 0), if a candidate is
/// clearly less bad; with `in_word`, only spans with a letter on both sides.
fn fix_once(line: &[char], bad: usize, in_word: bool) -> Option<Layer> {
    let scripts = line.iter().fold(0, |m, &c| m | script_bit(c));
    // Spans judged by themselves see the line start where the line's does.
    let lead = badness::leading_unit_chars(line);
    let mut bytes: Vec<Option<u8>> = Vec::with_capacity(line.len());
    let mut seqs = Vec::new();
    let mut best: Option<(usize, Layer)> = None;
    for (k, codec) in codecs::ALL.iter().enumerate() {
        bytes.clear();
        bytes.extend(line.iter().map(|&c| encode(k, c)));
        // Latin-1 rather than windows-1252: C1 controls where windows-1252 has characters.
        let latin1 = k == 0
            && line.iter().any(|&c| {
                (0x80..=0x9F).contains(&(c as u32))
                    && !matches!(c as u32, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
            });
        let finish = |mut l: Layer| {
            l.codec = codec.name;
            l.latin1 = latin1;
            l
        };
        let vietnamese = has_vietnamese(&bytes);
        // 1. The whole line.
        if bytes.iter().all(Option::is_some) {
            let rules = Rules {
                a0: codec.name != "macroman",
                lossy: codec.sloppy,
                c1: true,
                vietnamese,
            };
            if sequences(line, &bytes, rules, &mut seqs) && covers(line, &seqs) {
                if let Some(mut l) = splice(line, &seqs, |_| true) {
                    // Every character fits one codec and every non-ASCII one is in a
                    // sequence: strong evidence, so "no worse" is enough.
                    if badness(&l.line) <= bad {
                        l.whole = true;
                        return Some(finish(l));
                    }
                }
            }
        }
        // 2. Spans that are bad by themselves (no lost bytes guessed here).
        let rules = Rules {
            a0: codec.name != "macroman",
            lossy: false,
            c1: false,
            vietnamese,
        };
        if !sequences(line, &bytes, rules, &mut seqs) {
            continue;
        }
        let keep = |run: &[Seq]| {
            let (s, e) = (run[0].start, run[run.len() - 1].end);
            if !run
                .iter()
                .all(|q| span_char(q.ch) || scripts & script_bit(q.ch) != 0)
            {
                return false;
            }
            let letter = |i: Option<usize>| {
                i.and_then(|i| line.get(i))
                    .is_some_and(|c| c.is_alphabetic() && !is_cjk(*c))
            };
            if in_word
                && !(letter(s.checked_sub(1)) && letter(Some(e)))
                && !(run.len() == 1 && e == s + 2 && utf8_sign_read_as_latin1(line, s))
                && !(run.len() == 1 && e == s + 3 && utf8_symbol_read_as_sb(line, s, run[0].ch))
            {
                return false;
            }
            // One Greek or Cyrillic letter alone inside other text is a coincidence.
            if run.len() == 1 && (0x370..=0x52F).contains(&(run[0].ch as u32)) {
                return false;
            }
            // A run of restored spaces only (`Ã ` → `à `) is judged with the two
            // characters before it and the one after (`s Ã l`).
            let (s, e) = if run.iter().all(|q| q.spaced) {
                (s.saturating_sub(2), (e + 1).min(line.len()))
            } else {
                (s, e)
            };
            line.get(s..e)
                .is_some_and(|t| badness::badness_from(t, s <= lead) > 0)
        };
        if let Some(l) = splice(line, &seqs, keep) {
            let b = badness(&l.line);
            if b < bad && best.as_ref().is_none_or(|(bb, _)| b < *bb) {
                best = Some((b, finish(l)));
            }
        }
    }
    best.map(|(_, l)| l)
}

/// Characters a span inside other text may decode to: Latin, Greek, Cyrillic,
/// combining marks, punctuation and symbols, emoji. (Other scripts, CJK among them,
/// come from whole lines, or from the CJK pass.)
fn span_char(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0x24F | 0x300..=0x36F | 0x370..=0x52F | 0x1E00..=0x1EFF | 0x2000..=0x2BFF
        | 0x1F000..=0x1FAFF | 0xFFFD)
}

/// For characters of U+0500–U+1FFF outside [`span_char`]'s ranges (Armenian, Hebrew,
/// Arabic, the Indic scripts, Thai…), a bit for their 256-code-point block: a span may
/// decode to a script the line already holds (`أكثر Ù…Ù†` → `أكثر من`).
fn script_bit(c: char) -> u32 {
    let u = c as u32;
    if (0x530..0x1E00).contains(&u) && !(0x1D00..0x1E00).contains(&u) {
        1 << (u >> 8)
    } else {
        0
    }
}

/// Every non-ASCII character of `line` is inside a sequence (U+FFFD standing alone,
/// a byte lost on its own, counts as covered).
fn covers(line: &[char], seqs: &[Seq]) -> bool {
    let mut s = seqs.iter().peekable();
    let mut i = 0;
    while i < line.len() {
        while s.peek().is_some_and(|q| q.end <= i) {
            s.next();
        }
        if let Some(q) = s.peek() {
            if q.start <= i && i < q.end {
                i = q.end;
                continue;
            }
        }
        let c = line[i];
        if !c.is_ascii() && c != '\u{FFFD}' {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `chars[i..i + 2]` is a sign that UTF-8 writes as `C2 xx`, read as Latin-1 or
/// windows-1252 (`Â` and the sign: `Â©`, `Â®`, `Â°`, `Â` and a no-break space), with
/// no CJK character on either side (`Copyright Â© 2006`, `12:05Â\u{A0}(93)`). These are
/// the commonest mojibake of all, and in a line with CJK text elsewhere they are still
/// a sign in Latin text: GBK would make one hanzi of them alone among non-CJK
/// characters (`漏`, `庐`, `掳`, `聽`), which GBK mojibake of Chinese text does not.
pub(crate) fn utf8_sign_read_as_latin1(chars: &[char], i: usize) -> bool {
    let side = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_none_or(|&c| !is_cjk(c));
    matches!(chars.get(i..i + 2), Some(['Â', '\u{A0}' | '©' | '®' | '°']))
        && side(i.checked_sub(1))
        && side(Some(i + 2))
}

/// Whether `ch`, decoded from the three characters `chars[i..i + 3]`, is a symbol that
/// UTF-8 writes as `E2 xx xx` (general punctuation, arrows, mathematical and technical
/// signs, box drawing, shapes: U+2000 to U+2BFF) read by a single-byte decoder, with
/// `â` for E2: `â†’` is `→`, `â€¢` `•`, `â„¢` `™`. Chinese web text writes these
/// between its words (`菜单 → 设置`), and the CJK pass leaves one alone: a symbol is no
/// likelier there than the three characters it was read as. Clean text never has `â`
/// before two such characters.
fn utf8_symbol_read_as_sb(chars: &[char], i: usize, ch: char) -> bool {
    chars.get(i) == Some(&'â') && ('\u{2000}'..='\u{2BFF}').contains(&ch)
}

/// Han, kana, hangul, CJK punctuation and full-width forms.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Repairs one line (without its line break and edge whitespace) as [`repair`] does,
/// appending its repairs to `report` with offsets from code point `base`; `None` when
/// the line is left alone.
pub(crate) fn repair_core(core: &str, base: usize, report: &mut RepairReport) -> Option<String> {
    match verdict(core, base, report) {
        Verdict::Repaired(s) => Some(s),
        Verdict::Leave | Verdict::Beyond => None,
    }
}

/// True when no character sequence of `line` looks like mojibake (badness 0).
pub(crate) fn looks_clean(line: &str) -> bool {
    badness(&line.chars().collect::<Vec<_>>()) == 0
}

/// How many layers at most are undone in one line.
const LAYERS: usize = 3;

/// The layers the pass would undo in one line.
struct Attempt {
    orig: Vec<char>,
    layers: Vec<Layer>,
    /// Badness of the line, and of the last layer's result.
    orig_bad: usize,
    bad: usize,
}

impl Attempt {
    /// Decodable islands in a line that stays mostly damaged are coincidences inside
    /// damage of another kind (lower-cased mojibake, several codecs): a repair must
    /// undo at least half of the line's badness (U+FFFD from lost bytes counts as
    /// bad, so lossy repairs are not held to this).
    fn mostly_damaged(&self) -> bool {
        self.bad * 2 > self.orig_bad && !self.layers.iter().any(|l| l.lossy)
    }
}

/// Works out the layers to undo in `core` (one line); `None` when nothing in it looks
/// like mojibake.
fn attempt(core: &str) -> Option<Attempt> {
    // Badness 0 for certain, without collecting the characters.
    if !badness::may_be_bad(core) {
        return None;
    }
    // Lines with CJK characters are mostly the CJK pass's, which knows the Latin-1
    // and windows-1252 chains there: here only spans inside a word (`ZÃ¼rich`) and
    // signs among non-CJK characters ([`utf8_sign_read_as_latin1`]) are repaired, so a
    // line quoting `“Ã©”` as an example of mojibake stays as it is.
    let in_word = core.chars().any(is_cjk);
    let orig: Vec<char> = core.chars().collect();
    let orig_bad = badness(&orig);
    if orig_bad == 0 {
        return None;
    }
    let mut bad = orig_bad;
    let mut layers: Vec<Layer> = Vec::new();
    if let Some(l) = macroman_c1(&orig) {
        bad = badness(&l.line);
        layers.push(l);
    }
    while layers.len() < LAYERS && bad > 0 {
        let cur = layers.last().map_or(&orig[..], |l| &l.line[..]);
        let Some(l) = fix_once(cur, bad, in_word) else {
            break;
        };
        bad = badness(&l.line);
        layers.push(l);
    }
    Some(Attempt {
        orig,
        layers,
        orig_bad,
        bad,
    })
}

/// Repairs the mojibake of one line; `None` when it is left alone.
fn repair_line(core: &str) -> Option<(Vec<Layer>, Vec<char>)> {
    let a = attempt(core)?;
    if a.layers.is_empty() || a.mostly_damaged() {
        None
    } else {
        Some((a.layers, a.orig))
    }
}

/// MacRoman text read as Latin-1: every C1 control of `line` sits between two
/// lower-case letters of a word and is a letter in MacRoman, and for at least one of
/// them windows-1252 has punctuation or nothing (`Coatl\u{87}n` → `Coatlán`, not
/// `Coatl‡n`; `m\u{9c}sica` → `música` beside it, not `mœsica`). Byte 0x92 is
/// windows-1252's apostrophe where a clitic is (`don’t`, `l’été`, `dell’anno`), and
/// MacRoman's `í` elsewhere (`conf\u{92}an` → `confían`).
fn macroman_c1(line: &[char]) -> Option<Layer> {
    let mac = codecs::ALL.iter().find(|c| c.name == "macroman")?;
    let cp1252 = codecs::ALL.first()?;
    let mut out = line.to_vec();
    let mut spans = Vec::new();
    let mut punct = false;
    for (i, &c) in line.iter().enumerate() {
        let u = c as u32;
        if !(0x80..=0x9F).contains(&u) {
            continue;
        }
        let lower = |j: Option<usize>| {
            j.and_then(|j| line.get(j))
                .is_some_and(|c| c.is_alphabetic() && c.is_lowercase())
        };
        if !(lower(i.checked_sub(1)) && lower(Some(i + 1))) {
            return None;
        }
        let k = (u - 0x80) as usize;
        let as_mac = char::from_u32(u32::from(*mac.upper.get(k)?))?;
        let as_1252 = char::from_u32(u32::from(*cp1252.upper.get(k)?))?;
        if !as_mac.is_alphabetic() {
            return None;
        }
        punct |= !as_1252.is_alphabetic();
        if as_1252 == '’' && clitic(line, i) {
            return None;
        }
        if let Some(o) = out.get_mut(i) {
            *o = as_mac;
        }
        spans.push((i, i + 1, as_mac.to_string()));
    }
    if !punct {
        return None;
    }
    Some(Layer {
        codec: mac.name,
        single: true,
        latin1: false,
        line: out,
        spans,
        lossy: false,
        spaced: false,
        whole: true,
    })
}

/// The letters around `line[i]` make an apostrophe there: an English clitic after it
/// (`’s`, `’t`, `’ll`…) or an elided Romance word before it (`l’`, `qu’`, `dell’`).
fn clitic(line: &[char], i: usize) -> bool {
    let word = |it: &mut dyn Iterator<Item = &char>| -> String {
        it.take_while(|c| c.is_alphabetic())
            .take(8)
            .flat_map(|c| c.to_lowercase())
            .collect()
    };
    let after = word(&mut line.get(i + 1..).unwrap_or(&[]).iter());
    let before: String = word(&mut line.get(..i).unwrap_or(&[]).iter().rev())
        .chars()
        .rev()
        .collect();
    matches!(after.as_str(), "s" | "t" | "d" | "m" | "ll" | "re" | "ve")
        || matches!(
            before.as_str(),
            "l" | "d"
                | "j"
                | "m"
                | "n"
                | "s"
                | "t"
                | "c"
                | "o"
                | "qu"
                | "un"
                | "all"
                | "dell"
                | "nell"
                | "sull"
                | "dall"
                | "coll"
                | "quell"
                | "jusqu"
                | "lorsqu"
                | "puisqu"
        )
}

/// What the pass makes of one line (see [`verdict`]).
pub(crate) enum Verdict {
    /// Repaired: the new line.
    Repaired(String),
    /// Nothing to undo here.
    Leave,
    /// Mostly damaged beyond what the pass can undo (see `Attempt::mostly_damaged`):
    /// no partial repair of it should stand.
    Beyond,
}

/// Repairs one line (without its line break and edge whitespace) as [`repair`] does,
/// appending its repairs to `report` with offsets from code point `base`.
pub(crate) fn verdict(core: &str, base: usize, report: &mut RepairReport) -> Verdict {
    let Some(a) = attempt(core) else {
        return Verdict::Leave;
    };
    if a.layers.is_empty() {
        return Verdict::Leave;
    }
    if a.mostly_damaged() {
        return Verdict::Beyond;
    }
    report_line(&a.layers, &a.orig, base, report);
    match a.layers.last() {
        Some(last) => Verdict::Repaired(last.line.iter().collect()),
        None => Verdict::Leave,
    }
}

pub(crate) fn is_edge_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r')
}

/// Repairs single-byte mojibake of UTF-8 in `text`, line by line, skipping the lines
/// whose indices (0-based, counted by `\n`) are in `skip` (sorted): the lines another
/// pass already repaired. Each repair is appended to `report` (offsets in code points
/// into `text`). Returns `Cow::Borrowed` when nothing changed.
pub fn repair<'t>(text: &'t str, skip: &[usize], report: &mut RepairReport) -> Cow<'t, str> {
    let bytes = text.as_bytes();
    let mut pos = next_suspect(bytes, 0);
    if pos >= bytes.len() {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut done = 0; // bytes of `text` copied into `out`
    let mut lines = (0usize, 0usize); // (byte, line index) counted so far
    let mut counted = (0usize, 0usize); // (byte, code points) counted so far
    while pos < bytes.len() {
        let line_start = bytes
            .get(..pos)
            .and_then(|b| memchr::memrchr(b'\n', b))
            .map_or(0, |i| i + 1);
        let line_end = bytes
            .get(pos..)
            .and_then(|b| memchr::memchr(b'\n', b))
            .map_or(bytes.len(), |i| pos + i);
        pos = next_suspect(bytes, line_end);
        // The line's index is needed only to look it up in `skip` (as a rule empty).
        if !skip.is_empty() {
            let index = lines.1
                + bytes
                    .get(lines.0..line_start)
                    .map_or(0, |b| memchr::memchr_iter(b'\n', b).count());
            lines = (line_start, index);
            if skip.binary_search(&index).is_ok() {
                continue;
            }
        }
        let Some(full) = text.get(line_start..line_end) else {
            break;
        };
        let core = full.trim_start_matches(is_edge_space);
        let core_start = line_start + (full.len() - core.len());
        let core = core.trim_end_matches(is_edge_space);
        let Some((layers, orig)) = repair_line(core) else {
            continue;
        };
        let Some(last) = layers.last() else {
            continue;
        };
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        o.push_str(text.get(done..core_start).unwrap_or(""));
        o.extend(last.line.iter());
        done = core_start + core.len();
        let base = counted.1
            + text
                .get(counted.0..core_start)
                .map_or(0, |t| t.chars().count());
        counted = (core_start, base);
        report_line(&layers, &orig, base, report);
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(text.get(done..).unwrap_or(""));
            Cow::Owned(o)
        }
    }
}

/// The chain of one layer: `utf8>cp1251`.
fn layer_chain(l: &Layer) -> String {
    if l.single {
        return format!("{}>latin1", l.codec);
    }
    let name = if l.latin1 { "latin1" } else { l.codec };
    format!("utf8>{name}")
}

fn confidence(layers: &[Layer]) -> f32 {
    let mut c: f32 = if layers.iter().all(|l| l.whole) {
        0.9
    } else {
        0.8
    };
    if layers.iter().any(|l| l.spaced) {
        c = c.min(0.7);
    }
    if layers.iter().any(|l| l.lossy) {
        c = c.min(0.5);
    }
    c
}

/// Appends the repairs of one line (starting at code point `base`) to `report`: one per
/// span for a single layer; for several layers one covering what changed, with the
/// chain written from the first decoding to the last (`utf8>cp1252>utf8>cp1252`).
fn report_line(layers: &[Layer], orig: &[char], base: usize, report: &mut RepairReport) {
    let conf = confidence(layers);
    if let [l] = layers {
        let kind = layer_chain(l);
        for (s, e, after) in &l.spans {
            report.repairs.push(Repair {
                start: base + s,
                end: base + e,
                kind: Cow::Owned(kind.clone()),
                before: orig.get(*s..*e).unwrap_or(&[]).iter().collect(),
                after: after.clone(),
                confidence: conf,
            });
        }
        return;
    }
    let Some(last) = layers.last() else {
        return;
    };
    let new = &last.line;
    let pre = orig
        .iter()
        .zip(new.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let suf = orig[pre..]
        .iter()
        .rev()
        .zip(new[pre..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let kind = layers
        .iter()
        .rev()
        .map(layer_chain)
        .collect::<Vec<_>>()
        .join(">");
    report.repairs.push(Repair {
        start: base + pre,
        end: base + orig.len() - suf,
        kind: Cow::Owned(kind),
        before: orig[pre..orig.len() - suf].iter().collect(),
        after: new[pre..new.len() - suf].iter().collect(),
        confidence: conf,
    });
}

#[cfg(test)]
mod tests;
