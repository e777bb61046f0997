//! A lone letter of Latin Extended, Cyrillic or a right-to-left script amid Chinese is
//! no repair.
//!
//! GBK encodes most common hanzi as a lead byte 0xC2..0xDF and a trail byte
//! 0x80..0xBF, which is also a well-formed two-byte UTF-8 sequence (U+0080..U+07FF):
//! clean hanzi next to a UTF-8-read-as-GBK span decode "back" to a letter of some
//! alphabet (`页` D2 B3 → `ҳ`, `支` D6 A7 → `֧`). Such a letter standing alone between
//! Chinese text (or the line's edge) is what a wrong span edge produces, not text:
//! Latin Extended (`模` C4 A3 → `ģ`), Cyrillic, Armenian, Hebrew, Arabic, Syriac and
//! Thaana letters come in words.
//! Greek letters (`α`, `β`) and Latin-1 letters, which Chinese technical text uses
//! alone, are not counted; the rest of the Greek block is (`图` CD BC → `ͼ`, `系` CF B5
//! → `ϵ`: accented, archaic and Coptic letters and symbols).

use super::Tok;

/// Extra cost of a unit whose repair is one such lone letter.
const LONE_LETTER_PENALTY: f32 = 2.0;

/// The scripts this applies to: Latin Extended-A and -B (U+0100..U+024F), the Greek
/// block but its unaccented letters (U+0370..U+03FF less U+0391..U+03A9 and
/// U+03B1..U+03C9) and Cyrillic to Thaana (U+0400..U+07FF); Latin-1 is left out.
pub(super) fn is_lone_script(c: char) -> bool {
    matches!(c as u32, 0x0100..=0x024F | 0x0370..=0x07FF) && !is_greek_letter(c)
}

/// Greek's unaccented capital and small letters.
fn is_greek_letter(c: char) -> bool {
    matches!(c as u32, 0x0391..=0x03A9 | 0x03B1..=0x03C9)
}

/// Whether `n` next to the letter `c` makes it part of a word: a letter of the same
/// script (for Latin Extended, any Latin letter: pinyin `Zhōngwén`; for Greek, any
/// Greek letter).
fn joins(c: char, n: char) -> bool {
    match c as u32 {
        ..0x0370 => n.is_ascii_alphabetic() || matches!(n as u32, 0xC0..=0x024F),
        0x0370..=0x03FF => matches!(n as u32, 0x0370..=0x03FF),
        _ => is_lone_script(n) && (n as u32) >= 0x0400,
    }
}

/// The penalty for the unit of `toks[u0..k]` (in `toks`, one decoded segment):
/// [`LONE_LETTER_PENALTY`] when it decodes to exactly one letter of those scripts
/// and neither token around it joins it into a word ([`joins`]).
pub(super) fn penalty(toks: &[Tok], u0: usize, k: usize) -> f32 {
    let mut after = toks.get(u0..k).unwrap_or(&[]).iter().filter_map(|x| x.ch);
    let (Some(c), None) = (after.next(), after.next()) else {
        return 0.0;
    };
    if !is_lone_script(c) {
        return 0.0;
    }
    let near = |x: Option<&Tok>| x.and_then(|x| x.ch).is_some_and(|n| joins(c, n));
    if near(u0.checked_sub(1).and_then(|j| toks.get(j))) || near(toks.get(k)) {
        return 0.0;
    }
    LONE_LETTER_PENALTY
}
