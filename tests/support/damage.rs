//! Damaging our own lines the way the mojibake chains do (UTF-8 read as GBK, Big5 read
//! as GBK, GBK read as Big5 by a WHATWG or an older strict decoder), with encoding_rs,
//! and repairing them with the default repair stage. Shared by the `tests/mojibake_*.rs`
//! files, `tests/properties.rs` and `tests/cli.rs` (included with `#[path]`; each uses
//! some of it).
#![allow(dead_code)]

use zhclean::repair::{RepairReport, Repairer};

/// `s` through the default repair stage (mojibake, then artifacts).
pub fn repair(s: &str) -> String {
    let mut report = RepairReport::default();
    Repairer::new().repair(s, &mut report).into_owned()
}

/// `s`'s UTF-8 bytes read by the WHATWG GBK decoder.
pub fn utf8_read_as_gbk(s: &str) -> String {
    encoding_rs::GBK
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

/// `s`'s UTF-8 bytes read by the WHATWG Big5 decoder (a very lossy chain).
pub fn utf8_read_as_big5(s: &str) -> String {
    encoding_rs::BIG5
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

/// `s` encoded as Big5 and decoded as GBK (WHATWG: Big5's punctuation and commonest
/// hanzi become private-use characters, `。` is `\u{E4C9}`).
pub fn big5_read_as_gbk(s: &str) -> String {
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(s);
    assert!(!unmappable, "{s:?} is not Big5");
    let (text, _) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
    assert_ne!(text, s, "{s:?} reads the same");
    text.into_owned()
}

/// `s` encoded as GBK and decoded as Big5.
pub fn gbk_read_as_big5(s: &str) -> String {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable, "{s:?} is not GBK");
    let text = encoding_rs::BIG5
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .unwrap_or_else(|| panic!("{s:?} loses bytes as Big5"));
    assert_ne!(text, s, "{s:?} reads the same");
    text.into_owned()
}

/// `s` encoded as GBK and decoded by an older strict Big5 decoder: one U+FFFD per byte
/// it cannot pair (the WHATWG decoder's table, less the pairs such decoders lack:
/// A3C0–A3E1 and C6CF, C6D3, C6D5, C6D7, C6DE, C6DF).
pub fn gbk_read_as_strict_big5(s: &str) -> String {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable, "{s:?} is not GBK");
    let lacks = |a: u8, b: u8| {
        matches!(
            (a, b),
            (0xA3, 0xC0..=0xE1) | (0xC6, 0xCF | 0xD3 | 0xD5 | 0xD7 | 0xDE | 0xDF)
        )
    };
    let mut out = String::new();
    let mut i = 0;
    while let Some(&a) = bytes.get(i) {
        if a < 0x80 {
            out.push(a as char);
            i += 1;
            continue;
        }
        let pair = bytes.get(i..i + 2).filter(|p| !lacks(p[0], p[1]));
        match pair
            .and_then(|p| encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(p))
        {
            Some(c) => {
                out.push_str(&c);
                i += 2;
            }
            None => {
                out.push('\u{FFFD}');
                i += 1;
            }
        }
    }
    assert_ne!(out, s, "{s:?} reads the same");
    out
}
