//! Code tables built once from encoding_rs: double-byte decode/encode tables for GBK
//! (the WHATWG gb18030 two-byte part) and Big5, and a class for every BMP code point
//! (how plausible the character is in Chinese text).

use std::sync::OnceLock;

use super::top::TOP_HANZI;

/// A decoder that may have produced mojibake (the wrong decoder), or an encoding the
/// text was really in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Codec {
    /// Latin-1 and windows-1252 as one single-byte code (WHATWG windows-1252 maps its
    /// holes to C1 controls, which are Latin-1 too).
    Sb,
    /// UTF-8 (only ever the original encoding).
    Utf8,
    /// GBK / the two-byte part of GB18030.
    Gbk,
    /// Big5 (with HKSCS).
    Big5,
}

/// A byte of an encoded span: 0..=255, or [`WILD`] for a byte a strict decoder lost.
pub(super) const WILD: u16 = 0x100;

/// Plausibility classes of characters.
pub(super) mod class {
    pub const ASCII: u8 = 0;
    pub const TOP: u8 = 1;
    pub const COMMON: u8 = 2;
    pub const LESS: u8 = 3;
    pub const RARE: u8 = 4;
    pub const CJK_PUNCT: u8 = 5;
    pub const CJK_SYMBOL: u8 = 6;
    pub const KANA: u8 = 7;
    pub const HANGUL: u8 = 8;
    pub const LATIN1_LETTER: u8 = 9;
    pub const LATIN1_SYMBOL: u8 = 10;
    pub const CP1252_PUNCT: u8 = 11;
    pub const CP1252_RARE: u8 = 12;
    pub const C1: u8 = 13;
    pub const REPLACEMENT: u8 = 14;
    pub const PUA: u8 = 15;
    pub const GREEK_CYRILLIC: u8 = 16;
    pub const SYMBOL: u8 = 17;
    pub const COMPAT: u8 = 18;
    pub const LATIN_EXT: u8 = 19;
    pub const COUNT: usize = 20;
}

/// Cost (negative log-plausibility, roughly) of one character of each class.
pub(super) const COST: [f32; class::COUNT] = [
    0.5, // ASCII
    1.0, // TOP
    2.0, // COMMON
    4.0, // LESS
    6.0, // RARE
    1.0, // CJK_PUNCT
    3.5, // CJK_SYMBOL
    3.0, // KANA
    3.0, // HANGUL
    2.5, // LATIN1_LETTER
    4.0, // LATIN1_SYMBOL
    1.5, // CP1252_PUNCT
    4.5, // CP1252_RARE
    8.0, // C1
    8.0, // REPLACEMENT
    8.0, // PUA
    3.5, // GREEK_CYRILLIC
    5.0, // SYMBOL
    7.0, // COMPAT
    3.0, // LATIN_EXT
];

/// windows-1252 bytes 0x80..=0x9F; 0 marks a hole (decoded as the C1 control).
pub(super) const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

/// Bytes a strict windows-1252 decoder turns into U+FFFD.
pub(super) const CP1252_LOST: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// All tables.
pub(super) struct Tables {
    /// GBK two-byte decode: `(lead - 0x81) * 191 + (trail - 0x40)` → code point or 0.
    gbk_dec: Vec<u16>,
    /// Big5 decode, same layout.
    big5_dec: Vec<u32>,
    /// BMP code point → GBK bytes (big-endian pair) or 0.
    gbk_enc: Vec<u16>,
    /// BMP code point → Big5 bytes or 0.
    big5_enc: Vec<u16>,
    /// BMP code point → single-byte (Latin-1 / windows-1252) byte, or 0.
    sb_enc: Vec<u8>,
    /// BMP code point → class.
    class: Vec<u8>,
}

static TABLES: OnceLock<Tables> = OnceLock::new();

/// The tables, built on first use (a few milliseconds).
pub(super) fn tables() -> &'static Tables {
    TABLES.get_or_init(build)
}

fn pair_index(lead: u8, trail: u8) -> Option<usize> {
    if (0x81..=0xFE).contains(&lead) && (0x40..=0xFE).contains(&trail) {
        Some((lead as usize - 0x81) * 191 + (trail as usize - 0x40))
    } else {
        None
    }
}

fn decode_pair(enc: &'static encoding_rs::Encoding, lead: u8, trail: u8) -> Option<u32> {
    let bytes = [lead, trail];
    let (s, had_errors) = enc.decode_without_bom_handling(&bytes);
    if had_errors {
        return None;
    }
    let mut it = s.chars();
    let c = it.next()?;
    if it.next().is_some() || (c as u32) < 0x80 {
        return None;
    }
    Some(c as u32)
}

fn build() -> Tables {
    let n = 126 * 191;
    let mut gbk_dec = vec![0u16; n];
    let mut big5_dec = vec![0u32; n];
    let mut gbk_enc = vec![0u16; 0x10000];
    let mut big5_enc = vec![0u16; 0x10000];
    // Big5: standard leads (A1..=F9) first so that duplicates map back to them.
    let leads: Vec<u8> = (0xA1..=0xFEu8).chain(0x81..=0xA0u8).collect();
    for &lead in &leads {
        for trail in 0x40..=0xFEu8 {
            let Some(ix) = pair_index(lead, trail) else {
                continue;
            };
            if trail != 0x7F {
                if let Some(c) = decode_pair(encoding_rs::GBK, lead, trail) {
                    if c <= 0xFFFF {
                        gbk_dec[ix] = c as u16;
                        let e = &mut gbk_enc[c as usize];
                        if *e == 0 {
                            *e = u16::from_be_bytes([lead, trail]);
                        }
                    }
                }
            }
            if (0x40..=0x7E).contains(&trail) || (0xA1..=0xFE).contains(&trail) {
                if let Some(c) = decode_pair(encoding_rs::BIG5, lead, trail) {
                    big5_dec[ix] = c;
                    if c <= 0xFFFF && big5_enc[c as usize] == 0 {
                        big5_enc[c as usize] = u16::from_be_bytes([lead, trail]);
                    }
                }
            }
        }
    }
    let mut sb_enc = vec![0u8; 0x10000];
    for b in 0x80..=0xFFu16 {
        sb_enc[b as usize] = b as u8;
    }
    for (i, &cp) in CP1252_HIGH.iter().enumerate() {
        if cp != 0 {
            sb_enc[cp as usize] = 0x80 + i as u8;
        }
    }

    let mut class = vec![class::SYMBOL; 0x10000];
    for (cp, slot) in class.iter_mut().enumerate() {
        *slot = base_class(cp as u32);
    }
    for cp in 0x3400..=0x9FFFu32 {
        let g = gbk_enc[cp as usize].to_be_bytes();
        let b = big5_enc[cp as usize];
        let gb_l1 = (0xB0..=0xD7).contains(&g[0]) && g[1] >= 0xA1;
        let gb_l2 = (0xD8..=0xF7).contains(&g[0]) && g[1] >= 0xA1;
        let b5_freq = (0xA440..=0xC67E).contains(&b);
        let b5_less = (0xC940..=0xF9D5).contains(&b);
        class[cp as usize] = if gb_l1 || b5_freq {
            class::COMMON
        } else if gb_l2 || b5_less {
            class::LESS
        } else {
            class::RARE
        };
    }
    for c in TOP_HANZI.chars() {
        if let Some(slot) = class.get_mut(c as usize) {
            *slot = class::TOP;
        }
    }
    Tables {
        gbk_dec,
        big5_dec,
        gbk_enc,
        big5_enc,
        sb_enc,
        class,
    }
}

fn base_class(cp: u32) -> u8 {
    use class::*;
    match cp {
        0..=0x7F => ASCII,
        0x80..=0x9F => C1,
        0xA0..=0xBF | 0xD7 | 0xF7 => LATIN1_SYMBOL,
        0xC0..=0xFF => LATIN1_LETTER,
        0x2018 | 0x2019 | 0x201C | 0x201D | 0x2013 | 0x2014 | 0x2026 | 0x2022 => CP1252_PUNCT,
        0x20AC | 0x201A | 0x0192 | 0x201E | 0x2020 | 0x2021 | 0x02C6 | 0x2030 | 0x0160
        | 0x2039 | 0x0152 | 0x017D | 0x02DC | 0x2122 | 0x0161 | 0x203A | 0x0153 | 0x017E
        | 0x0178 => CP1252_RARE,
        0x100..=0x24F => LATIN_EXT,
        0x370..=0x3FF | 0x400..=0x4FF => GREEK_CYRILLIC,
        0x3000..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x3017 => CJK_PUNCT,
        0xFF01..=0xFF5E => CJK_PUNCT,
        0x3004..=0x303F => CJK_SYMBOL,
        0x3040..=0x30FF | 0x31F0..=0x31FF => KANA,
        0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F => HANGUL,
        0xE000..=0xF8FF => PUA,
        0xF900..=0xFAFF => COMPAT,
        0xFFFD => REPLACEMENT,
        0x3400..=0x9FFF => RARE,
        _ => SYMBOL,
    }
}

impl Tables {
    /// The class of `c`.
    #[inline]
    pub(super) fn class(&self, c: char) -> u8 {
        self.class.get(c as usize).copied().unwrap_or(class::SYMBOL)
    }

    /// The cost of `c`.
    #[inline]
    pub(super) fn cost(&self, c: char) -> f32 {
        COST[self.class(c) as usize]
    }

    /// Appends the bytes `c` had under `codec` when it was produced by decoding;
    /// false when `codec` cannot produce `c`. U+FFFD is a lost byte ([`WILD`]).
    pub(super) fn encode(&self, codec: Codec, c: char, out: &mut Vec<u16>) -> bool {
        let cp = c as u32;
        if cp < 0x80 {
            out.push(cp as u16);
            return true;
        }
        if cp == 0xFFFD {
            out.push(WILD);
            return true;
        }
        if cp > 0xFFFF {
            return false;
        }
        match codec {
            Codec::Sb => {
                if cp <= 0xFF {
                    out.push(cp as u16);
                    return true;
                }
                let b = self.sb_enc[cp as usize];
                if b >= 0x80 {
                    out.push(b as u16);
                    true
                } else {
                    false
                }
            }
            Codec::Gbk => {
                if cp == 0x20AC {
                    out.push(0x80);
                    return true;
                }
                let v = self.gbk_enc[cp as usize];
                if v == 0 {
                    return false;
                }
                out.push(v >> 8);
                out.push(v & 0xFF);
                true
            }
            Codec::Big5 => {
                let v = self.big5_enc[cp as usize];
                if v == 0 {
                    return false;
                }
                out.push(v >> 8);
                out.push(v & 0xFF);
                true
            }
            Codec::Utf8 => false,
        }
    }

    /// Decodes one character at the start of `b` (1 to 4 bytes) under `codec`.
    pub(super) fn decode_at(&self, codec: Codec, b: &[u8]) -> Option<(usize, char)> {
        let b0 = *b.first()?;
        if b0 < 0x80 {
            return Some((1, b0 as char));
        }
        match codec {
            Codec::Utf8 => decode_utf8(b),
            Codec::Gbk => {
                if b0 == 0x80 {
                    return Some((1, '\u{20AC}'));
                }
                let ix = pair_index(b0, *b.get(1)?)?;
                let cp = self.gbk_dec[ix];
                if cp == 0 {
                    return None;
                }
                char::from_u32(cp as u32).map(|c| (2, c))
            }
            Codec::Big5 => {
                let ix = pair_index(b0, *b.get(1)?)?;
                let cp = self.big5_dec[ix];
                if cp == 0 {
                    return None;
                }
                char::from_u32(cp).map(|c| (2, c))
            }
            Codec::Sb => {
                let c = if (0x80..0xA0).contains(&b0) {
                    match CP1252_HIGH[b0 as usize - 0x80] {
                        0 => b0 as u32,
                        v => v as u32,
                    }
                } else {
                    b0 as u32
                };
                char::from_u32(c).map(|c| (1, c))
            }
        }
    }

    /// Whether a strict decoder for `codec` would have turned `lead` into U+FFFD when
    /// followed by `next` (the byte after it, if any).
    pub(super) fn lost_ok(&self, codec: Codec, lead: u8, next: Option<u8>) -> bool {
        match codec {
            Codec::Sb => CP1252_LOST.contains(&lead),
            Codec::Gbk | Codec::Big5 => {
                if lead < 0x80 {
                    return false;
                }
                let Some(next) = next else {
                    return true;
                };
                match pair_index(lead, next) {
                    None => true,
                    Some(ix) => {
                        let cp = if codec == Codec::Gbk {
                            self.gbk_dec[ix] as u32
                        } else {
                            self.big5_dec[ix]
                        };
                        cp == 0 || (0xE000..=0xF8FF).contains(&cp)
                    }
                }
            }
            Codec::Utf8 => false,
        }
    }
}

fn decode_utf8(b: &[u8]) -> Option<(usize, char)> {
    let b0 = *b.first()?;
    let (n, lo, hi, init) = match b0 {
        0xC2..=0xDF => (2, 0x80, 0xBF, (b0 & 0x1F) as u32),
        0xE0 => (3, 0xA0, 0xBF, 0),
        0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80, 0xBF, (b0 & 0x0F) as u32),
        0xED => (3, 0x80, 0x9F, 0x0D),
        0xF0 => (4, 0x90, 0xBF, 0),
        0xF1..=0xF3 => (4, 0x80, 0xBF, (b0 & 0x07) as u32),
        0xF4 => (4, 0x80, 0x8F, 4),
        _ => return None,
    };
    let b1 = *b.get(1)?;
    if !(lo..=hi).contains(&b1) {
        return None;
    }
    let mut cp = (init << 6) | (b1 & 0x3F) as u32;
    for k in 2..n {
        let bk = *b.get(k)?;
        if !(0x80..=0xBF).contains(&bk) {
            return None;
        }
        cp = (cp << 6) | (bk & 0x3F) as u32;
    }
    char::from_u32(cp).map(|c| (n, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_round_trip_of_common_hanzi() {
        let t = tables();
        let mut out = Vec::new();
        assert!(t.encode(Codec::Gbk, '中', &mut out));
        assert_eq!(out, vec![0xD6, 0xD0]);
        assert_eq!(t.decode_at(Codec::Gbk, &[0xD6, 0xD0]), Some((2, '中')));
        out.clear();
        assert!(t.encode(Codec::Big5, '中', &mut out));
        assert_eq!(out, vec![0xA4, 0xA4]);
        assert_eq!(t.class('的'), class::TOP);
        assert_eq!(t.class('涓'), class::LESS);
    }

    #[test]
    fn utf8_decoder_rejects_overlong_and_surrogates() {
        assert_eq!(decode_utf8(&[0xE4, 0xBD, 0xA0]), Some((3, '你')));
        assert_eq!(decode_utf8(&[0xC0, 0x80]), None);
        assert_eq!(decode_utf8(&[0xED, 0xA0, 0x80]), None);
        assert_eq!(decode_utf8(&[0xE4, 0xBD]), None);
    }
}
