//! Content-farm pinyin glosses: `行業(yè)` → `行業`.
//!
//! A gloss is `(` + a pinyin syllable + `)` right after a Han character (no space), whose
//! reading is one of the character's readings (heteronyms included, from the `pinyin`
//! crate). Readings are compared in a normal form: letters with `ü` written `v`, plus a
//! tone number 0–4 taken from a precomposed or combining tone mark.
//!
//! Content farms insert the gloss while the page is GBK bytes. When their scanner is one
//! byte out of step, it glosses the pair formed by the second byte of one character and
//! the first byte of the next, and the inserted `(` then breaks that next character:
//! `面向(CF F2) 學(8C 57)` becomes `面向?qū)W`, where `?` stands for the bytes `8C 28`
//! and `W` is the lone trail byte 57. [`misaligned`] rebuilds the lost character.

use encoding_rs::{EncoderResult, BIG5, GBK};
use pinyin::ToPinyinMulti;

use super::chars::is_han;

/// A pinyin syllable in normal form: lower-case letters (`ü` as `v`) and a tone 0–4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Reading {
    letters: [u8; 6],
    len: u8,
    tone: u8,
}

impl Reading {
    /// True when the syllable carries a tone mark (tones 1–4).
    pub(super) fn is_tone_marked(&self) -> bool {
        self.tone != 0
    }

    /// Normalises `s` (a whole syllable, nothing else). `None` when it is not a
    /// plausible pinyin syllable: other characters, two tone marks, more than 6 letters.
    pub(super) fn parse(s: &str) -> Option<Reading> {
        let mut r = Reading {
            letters: [0; 6],
            len: 0,
            tone: 0,
        };
        for c in s.chars() {
            let (base, tone) = match c {
                'a'..='z' => (c as u8, 0),
                'ü' => (b'v', 0),
                'ê' => (b'e', 0),
                'ā' => (b'a', 1),
                'á' => (b'a', 2),
                'ǎ' => (b'a', 3),
                'à' => (b'a', 4),
                'ē' => (b'e', 1),
                'é' => (b'e', 2),
                'ě' => (b'e', 3),
                'è' => (b'e', 4),
                'ī' => (b'i', 1),
                'í' => (b'i', 2),
                'ǐ' => (b'i', 3),
                'ì' => (b'i', 4),
                'ō' => (b'o', 1),
                'ó' => (b'o', 2),
                'ǒ' => (b'o', 3),
                'ò' => (b'o', 4),
                'ū' => (b'u', 1),
                'ú' => (b'u', 2),
                'ǔ' => (b'u', 3),
                'ù' => (b'u', 4),
                'ǖ' => (b'v', 1),
                'ǘ' => (b'v', 2),
                'ǚ' => (b'v', 3),
                'ǜ' => (b'v', 4),
                'ń' => (b'n', 2),
                'ň' => (b'n', 3),
                'ǹ' => (b'n', 4),
                'ḿ' => (b'm', 2),
                // Combining marks apply to the letter before them.
                '\u{0304}' | '\u{0301}' | '\u{030C}' | '\u{0300}' | '\u{0308}' => {
                    if r.len == 0 {
                        return None;
                    }
                    let t = match c {
                        '\u{0304}' => 1,
                        '\u{0301}' => 2,
                        '\u{030C}' => 3,
                        '\u{0300}' => 4,
                        _ => {
                            let last = &mut r.letters[usize::from(r.len) - 1];
                            if *last != b'u' {
                                return None;
                            }
                            *last = b'v';
                            continue;
                        }
                    };
                    if r.tone != 0 {
                        return None;
                    }
                    r.tone = t;
                    continue;
                }
                _ => return None,
            };
            if usize::from(r.len) == r.letters.len() {
                return None;
            }
            if tone != 0 {
                if r.tone != 0 {
                    return None;
                }
                r.tone = tone;
            }
            r.letters[usize::from(r.len)] = base;
            r.len += 1;
        }
        (r.len > 0).then_some(r)
    }
}

/// True when `reading` is one of the readings of `c`.
pub(super) fn is_reading_of(c: char, reading: &Reading) -> bool {
    let Some(multi) = c.to_pinyin_multi() else {
        return false;
    };
    multi
        .into_iter()
        .any(|p| Reading::parse(p.with_tone()).as_ref() == Some(reading))
}

/// The longest gloss body we look at, in bytes (`zhuàng` is 7 bytes).
const MAX_BODY: usize = 16;

/// Parses a gloss body at the start of `s` (just after the `(`, or after the `?` of a
/// misaligned gloss): a syllable followed by `)`. Returns the reading and the length in
/// bytes of the body including the `)`.
pub(super) fn parse_body(s: &str) -> Option<(Reading, usize)> {
    let b = s.as_bytes();
    let close = memchr::memchr(b')', &b[..b.len().min(MAX_BODY + 1)])?;
    // `close` is an ASCII byte, so it is a char boundary.
    let reading = Reading::parse(&s[..close])?;
    Some((reading, close + 1))
}

/// A gloss at the start of `s` (which starts with `(`) that is a real reading of
/// `before`. Returns the reading and the gloss length in bytes, `(` and `)` included.
pub(super) fn gloss_at(before: char, s: &str) -> Option<(Reading, usize)> {
    if !is_han(before) {
        return None;
    }
    let (reading, len) = parse_body(s.strip_prefix('(')?)?;
    is_reading_of(before, &reading).then_some((reading, len + 1))
}

/// The GBK bytes of `c` when it is a two-byte GBK character.
pub(super) fn gbk_pair(c: char) -> Option<(u8, u8)> {
    let mut utf8 = [0u8; 4];
    let src = c.encode_utf8(&mut utf8);
    let mut dst = [0u8; 8];
    let mut enc = GBK.new_encoder();
    let (res, _, written) = enc.encode_from_utf8_without_replacement(src, &mut dst, true);
    match res {
        EncoderResult::InputEmpty if written == 2 => Some((dst[0], dst[1])),
        _ => None,
    }
}

/// True when `c` is in GB2312 (both GBK bytes ≥ 0xA1): simplified and common
/// characters. Traditional-only characters sit in GBK's extension areas.
pub(super) fn in_gb2312(c: char) -> bool {
    matches!(gbk_pair(c), Some((a, b)) if a >= 0xA1 && b >= 0xA1)
}

/// The character the GBK pair `a b` decodes to, when it is one Han character.
fn gbk_decode_pair(a: u8, b: u8) -> Option<char> {
    let mut buf = [0u8; 8];
    let dst = std::str::from_utf8_mut(&mut buf).ok()?;
    let mut dec = GBK.new_decoder_without_bom_handling();
    let (res, read, written) = dec.decode_to_str_without_replacement(&[a, b], dst, true);
    if res != encoding_rs::DecoderResult::InputEmpty || read != 2 {
        return None;
    }
    let mut it = dst[..written].chars();
    let c = it.next()?;
    (it.next().is_none() && is_han(c)).then_some(c)
}

/// True when `c` is in Big5's frequently used range (A440–C67E).
fn big5_frequent(c: char) -> bool {
    let mut utf8 = [0u8; 4];
    let src = c.encode_utf8(&mut utf8);
    let mut dst = [0u8; 8];
    let mut enc = BIG5.new_encoder();
    let (res, _, written) = enc.encode_from_utf8_without_replacement(src, &mut dst, true);
    matches!(res, EncoderResult::InputEmpty)
        && written == 2
        && (0xA440..=0xC67E).contains(&u16::from_be_bytes([dst[0], dst[1]]))
}

/// Rebuilds the character lost to a byte-misaligned gloss.
///
/// `before` is the intact character before the `?`, `reading` the gloss, `after` the
/// ASCII character right after the `)`. With `a` the second GBK byte of `before`, the
/// glossed (misaligned) character is GBK(`a`, `b`) for some unknown byte `b`, and the
/// lost character is GBK(`b`, `after`). Every `b` whose glossed character has the
/// reading and lies outside GB2312 (content farms gloss traditional forms only), and
/// whose lost character is a Han character, is a candidate. When several remain, those
/// whose lost character is a frequent Big5 character are preferred. The lost character
/// is returned only when one candidate is left.
pub(super) fn misaligned(before: char, reading: &Reading, after: u8) -> Option<char> {
    if !(0x40..=0x7E).contains(&after) {
        return None;
    }
    let (_, a) = gbk_pair(before)?;
    if a < 0x81 {
        return None;
    }
    // (glossed, lost) pairs; at most a handful share a reading.
    let mut cands: Vec<(char, char)> = Vec::new();
    for b in 0x81..=0xFEu8 {
        // Content farms gloss traditional forms, which lie outside GB2312.
        if a >= 0xA1 && b >= 0xA1 {
            continue;
        }
        let Some(glossed) = gbk_decode_pair(a, b) else {
            continue;
        };
        if !is_reading_of(glossed, reading) {
            continue;
        }
        if let Some(lost) = gbk_decode_pair(b, after) {
            cands.push((glossed, lost));
        }
    }
    if cands.len() > 1 && cands.iter().any(|&(_, l)| big5_frequent(l)) {
        cands.retain(|&(_, l)| big5_frequent(l));
    }
    match cands.as_slice() {
        [(_, lost)] => Some(*lost),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_normalise_marks_and_u_umlaut() {
        let r = |s| Reading::parse(s);
        assert_eq!(r("yè"), r("ye\u{0300}"));
        assert_eq!(r("lǜ"), r("lv\u{0300}"));
        assert_eq!(r("lǜ"), r("lü\u{0300}"));
        assert_eq!(r("nv"), r("nü"));
        assert!(r("yè").unwrap().is_tone_marked());
        assert!(!r("de").unwrap().is_tone_marked());
        assert_eq!(r("yèè"), None);
        assert_eq!(r("Ye"), None);
        assert_eq!(r("zhuàngg"), None);
        assert_eq!(r(""), None);
    }

    #[test]
    fn heteronym_readings_are_found() {
        let r = |s| Reading::parse(s).unwrap();
        assert!(is_reading_of('業', &r("yè")));
        assert!(is_reading_of('調', &r("diào")));
        assert!(is_reading_of('調', &r("tiáo")));
        assert!(is_reading_of('發', &r("fā")));
        assert!(is_reading_of('綠', &r("lǜ")));
        assert!(!is_reading_of('業', &r("yě")));
        assert!(!is_reading_of('業', &r("ye")));
    }

    #[test]
    fn gb2312_membership_separates_traditional_forms() {
        assert!(in_gb2312('业'));
        assert!(in_gb2312('好'));
        assert!(!in_gb2312('業'));
        assert!(!in_gb2312('發'));
        assert!(!in_gb2312('a'));
    }

    #[test]
    fn misaligned_gloss_rebuilds_the_lost_character() {
        // 向 = CF F2; F2 8C = 驅 (qū); 8C 57 ('W') = 學.
        let qu = Reading::parse("qū").unwrap();
        assert_eq!(misaligned('向', &qu, b'W'), Some('學'));
        // A reading that no window starting with F2 has.
        assert_eq!(
            misaligned('向', &Reading::parse("zhuàng").unwrap(), b'W'),
            None
        );
        // A reading starting with a tone-marked vowel: 向 CF F2, F2 B0 = 虬 (qiú) is in
        // GB2312, so no farm glosses it.
        assert_eq!(
            misaligned('向', &Reading::parse("qiú").unwrap(), b'W'),
            None
        );
        // The byte after `)` must be a GBK trail byte.
        assert_eq!(misaligned('向', &qu, b' '), None);
    }
}
