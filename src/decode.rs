//! Decoding bytes to text: byte-order mark, then valid UTF-8 (or UTF-8 with a few
//! malformed sequences), then the declared charset, then [`chardetng`]'s guess.
//!
//! Undecodable bytes become U+FFFD and are counted in [`DecodeReport::errors`]; decoding
//! never fails.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use serde::Serialize;

/// How the encoding of a document was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A byte-order mark.
    Bom,
    /// The bytes were valid UTF-8.
    Utf8,
    /// The bytes were UTF-8 but for a few malformed sequences (see
    /// [`Decoder::decode`]), which became U+FFFD; lines that were not UTF-8 at all
    /// were decoded with the declared or detected legacy encoding.
    MostlyUtf8,
    /// Forced by the caller (`--encoding`).
    Forced,
    /// The charset the container declared (HTTP or WARC header).
    Declared,
    /// A UTF-16 pattern of NUL bytes without a byte-order mark.
    Utf16Sniffed,
    /// Guessed by `chardetng`.
    Detected,
}

/// What decoding did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodeReport {
    /// The WHATWG name of the encoding used (`UTF-8`, `GBK`, `Big5`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// How it was chosen.
    pub source: Source,
    /// How many malformed byte sequences became U+FFFD.
    pub errors: usize,
}

/// Decoded text and its report.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// The text; borrowed when the input was valid UTF-8 without a BOM.
    pub text: Cow<'a, str>,
    /// How it was decoded.
    pub report: Option<DecodeReport>,
}

/// Decodes documents. Configure with [`Decoder::forced`] and [`Decoder::declared`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Decoder {
    forced: Option<&'static Encoding>,
    declared: Option<&'static Encoding>,
}

impl Decoder {
    /// A decoder that detects everything.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Always decode with this encoding, whatever the bytes look like (a BOM still wins,
    /// as in browsers). Unknown labels are ignored; check them with [`lookup`].
    pub fn forced(mut self, label: Option<&str>) -> Decoder {
        self.forced = label.and_then(lookup);
        self
    }

    /// The charset a container declared; used when the bytes are not valid UTF-8.
    /// Unknown labels are ignored.
    pub fn declared(mut self, label: Option<&str>) -> Decoder {
        self.declared = label.and_then(lookup);
        self
    }

    /// Decodes one document.
    ///
    /// Order: a UTF-8/UTF-16 BOM; a forced encoding; a UTF-16 NUL pattern; valid UTF-8
    /// (borrowed, no report); UTF-8 with few malformed sequences ([`Source::MostlyUtf8`]:
    /// at most one per 16 well-formed multi-byte characters, or only a sequence cut short
    /// at the very end, after at least one multi-byte character); the declared charset;
    /// `chardetng`'s guess (UTF-8 excluded, since the bytes were not valid UTF-8).
    ///
    /// The mostly-UTF-8 rule keeps a file cut in the middle of a character, or one stray
    /// byte in a long document, from sending the whole document to detection, which
    /// (told it is not UTF-8) reads UTF-8 as windows-1252 or GBK: every line becomes
    /// mojibake. Text in a legacy encoding is far from it: read as UTF-8, Chinese text
    /// in GBK has about four malformed sequences per well-formed multi-byte character,
    /// in Big5 five (measured on Debian's manpages-zh). A line of such text inside
    /// mostly-UTF-8 bytes (a GBK paragraph pasted into a UTF-8 file) is decoded on its
    /// own with the declared charset or `chardetng`'s guess.
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> Decoded<'a> {
        if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
            return decode_with(enc, &bytes[bom_len..], Source::Bom);
        }
        if let Some(enc) = self.forced {
            return decode_with(enc, bytes, Source::Forced);
        }
        // Before the UTF-8 check: ASCII in UTF-16 is valid UTF-8 full of NULs.
        if let Some(enc) = sniff_utf16(bytes) {
            return decode_with(enc, bytes, Source::Utf16Sniffed);
        }
        // simdutf8: the same verdict as `std::str::from_utf8`, several times faster on
        // CJK text (it was a third of the text-mode time on a converted document).
        if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            return Decoded {
                text: Cow::Borrowed(text),
                report: None,
            };
        }
        if mostly_utf8(bytes) {
            return self.decode_mostly_utf8(bytes);
        }
        if let Some(enc) = self.legacy() {
            return decode_with(enc, bytes, Source::Declared);
        }
        decode_with(detect(&[bytes]), bytes, Source::Detected)
    }

    /// The declared charset, unless it is UTF-8.
    fn legacy(&self) -> Option<&'static Encoding> {
        self.declared.filter(|e| *e != UTF_8)
    }

    /// Decodes [`mostly_utf8`] bytes line by line: as UTF-8 (malformed sequences become
    /// U+FFFD), except lines that are themselves not UTF-8 (two malformed sequences or
    /// more, and more than one per [`MULTI_BYTE_PER_ERROR`] multi-byte characters: a
    /// GBK paragraph in a UTF-8 file), which are decoded with the declared charset or,
    /// without one, with `chardetng`'s guess from those lines alone.
    fn decode_mostly_utf8<'a>(&self, bytes: &'a [u8]) -> Decoded<'a> {
        let mut legacy: Vec<std::ops::Range<usize>> = Vec::new();
        let mut at = 0;
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            let d = Utf8Damage::of(line, false);
            if d.errors >= 2 && d.errors * MULTI_BYTE_PER_ERROR > d.multi {
                legacy.push(at..at + line.len());
            }
            at += line.len();
        }
        if legacy.is_empty() {
            return decode_with(UTF_8, bytes, Source::MostlyUtf8);
        }
        let enc = self.legacy().unwrap_or_else(|| {
            let lines: Vec<&[u8]> = legacy.iter().filter_map(|r| bytes.get(r.clone())).collect();
            detect(&lines)
        });
        let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
        let (mut errors, mut done) = (0, 0);
        for r in &legacy {
            errors += decode_into(UTF_8, bytes.get(done..r.start).unwrap_or(&[]), &mut out);
            errors += decode_into(enc, bytes.get(r.clone()).unwrap_or(&[]), &mut out);
            done = r.end;
        }
        errors += decode_into(UTF_8, bytes.get(done..).unwrap_or(&[]), &mut out);
        Decoded {
            text: Cow::Owned(out),
            report: Some(DecodeReport {
                encoding: UTF_8.name(),
                source: Source::MostlyUtf8,
                errors,
            }),
        }
    }
}

/// `chardetng`'s guess for `parts` (fed in order), UTF-8 excluded.
fn detect(parts: &[&[u8]]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // The guess settles long before 64 KiB; feeding more only costs time.
    let mut budget = 64 * 1024;
    for (k, part) in parts.iter().enumerate() {
        let head = &part[..part.len().min(budget)];
        budget -= head.len();
        det.feed(head, head.len() == part.len() && k + 1 == parts.len());
        if budget == 0 {
            break;
        }
    }
    det.guess(None, chardetng::Utf8Detection::Deny)
}

/// Well-formed multi-byte UTF-8 characters per malformed sequence that make bytes
/// [`Source::MostlyUtf8`].
const MULTI_BYTE_PER_ERROR: usize = 16;

/// How far bytes are from UTF-8.
struct Utf8Damage {
    /// Malformed sequences.
    errors: usize,
    /// Well-formed multi-byte characters.
    multi: usize,
    /// The last malformed sequence is one cut short at the end.
    cut_at_end: bool,
}

impl Utf8Damage {
    /// Counts the damage in `bytes`. With `give_up`, stops (returning what it counted)
    /// once the rest of the bytes could no longer make the count [`mostly_utf8`].
    fn of(bytes: &[u8], give_up: bool) -> Utf8Damage {
        // Lead bytes of multi-byte characters, in a well-formed stretch.
        let multi_in = |b: &[u8]| b.iter().filter(|&&x| x >= 0xC0).count();
        let mut d = Utf8Damage {
            errors: 0,
            multi: 0,
            cut_at_end: false,
        };
        let mut rest = bytes;
        loop {
            match simdutf8::compat::from_utf8(rest) {
                Ok(s) => {
                    d.multi += multi_in(s.as_bytes());
                    return d;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    d.multi += multi_in(good);
                    d.errors += 1;
                    let Some(n) = e.error_len() else {
                        d.cut_at_end = true;
                        return d;
                    };
                    rest = bad.get(n..).unwrap_or(&[]);
                    // The rest holds at most one multi-byte character per two bytes.
                    if give_up && d.errors * MULTI_BYTE_PER_ERROR > d.multi + rest.len() / 2 {
                        return d;
                    }
                }
            }
        }
    }
}

/// Whether `bytes` (not valid UTF-8) are UTF-8 with few malformed sequences: at most one
/// per [`MULTI_BYTE_PER_ERROR`] well-formed multi-byte characters, or a single sequence
/// cut short at the end after at least one multi-byte character.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let d = Utf8Damage::of(bytes, true);
    d.errors * MULTI_BYTE_PER_ERROR <= d.multi || (d.cut_at_end && d.errors == 1 && d.multi >= 1)
}

/// Looks up an encoding by any WHATWG label (`gbk`, `gb2312`, `big5`, `utf-16le`, …).
pub fn lookup(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
}

/// UTF-16 without a BOM: at least a quarter of the even (or odd) bytes are NUL and
/// almost none of the others are.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for p in head.chunks_exact(2) {
        even += (p[0] == 0) as usize;
        odd += (p[1] == 0) as usize;
    }
    if odd * 4 >= pairs && even * 20 <= pairs {
        Some(UTF_16LE)
    } else if even * 4 >= pairs && odd * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn decode_with<'a>(enc: &'static Encoding, bytes: &'a [u8], source: Source) -> Decoded<'a> {
    let mut out = String::new();
    let errors = decode_into(enc, bytes, &mut out);
    Decoded {
        text: Cow::Owned(out),
        report: Some(DecodeReport {
            encoding: enc.name(),
            source,
            errors,
        }),
    }
}

/// Appends `bytes` decoded with `enc` to `out` (malformed sequences become U+FFFD);
/// returns how many there were.
fn decode_into(enc: &'static Encoding, bytes: &[u8], out: &mut String) -> usize {
    let mut decoder = enc.new_decoder_without_bom_handling();
    out.reserve(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let mut errors = 0;
    let mut src = bytes;
    loop {
        let (res, read) = decoder.decode_to_string_without_replacement(src, out, true);
        src = &src[read..];
        match res {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::Malformed(_, _) => {
                errors += 1;
                out.push('\u{FFFD}');
            }
            encoding_rs::DecoderResult::OutputFull => {
                out.reserve(src.len() * 3 + 16);
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> (String, Option<&'static str>, usize) {
        let d = Decoder::new().decode(bytes);
        let r = d.report.clone();
        (
            d.text.into_owned(),
            r.as_ref().map(|r| r.encoding),
            r.map_or(0, |r| r.errors),
        )
    }

    #[test]
    fn valid_utf8_is_borrowed_without_report() {
        let d = Decoder::new().decode("你好".as_bytes());
        assert!(matches!(d.text, Cow::Borrowed("你好")));
        assert!(d.report.is_none());
    }

    #[test]
    fn utf8_bom_is_removed() {
        assert_eq!(dec(b"\xEF\xBB\xBFabc"), ("abc".into(), Some("UTF-8"), 0));
    }

    #[test]
    fn gbk_text_is_detected() {
        let (bytes, _, _) = encoding_rs::GBK
            .encode("我们今天在北京召开了一次关于经济发展的会议，会议讨论了很多问题。");
        let (text, enc, errors) = dec(&bytes);
        assert_eq!(
            text,
            "我们今天在北京召开了一次关于经济发展的会议，会议讨论了很多问题。"
        );
        assert_eq!(enc, Some("GBK"));
        assert_eq!(errors, 0);
    }

    #[test]
    fn big5_text_is_detected() {
        let s = "我們今天在臺北召開了一次關於經濟發展的會議，會議討論了很多問題。";
        let (bytes, _, _) = encoding_rs::BIG5.encode(s);
        assert_eq!(dec(&bytes), (s.into(), Some("Big5"), 0));
    }

    #[test]
    fn utf16le_without_bom_is_sniffed() {
        let s = "hello 世界, plain text here";
        let bytes: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(dec(&bytes), (s.into(), Some("UTF-16LE"), 0));
    }

    #[test]
    fn declared_charset_is_used_for_non_utf8() {
        let (bytes, _, _) = encoding_rs::GBK.encode("中文");
        let d = Decoder::new().declared(Some("gb2312")).decode(&bytes);
        assert_eq!(d.text, "中文");
        assert_eq!(d.report.unwrap().source, Source::Declared);
    }

    #[test]
    fn a_utf8_document_cut_inside_its_last_character_is_read_as_utf8() {
        // A head of ASCII (as in a man page) made chardetng, told the bytes were not
        // UTF-8, read the whole document as windows-1252: `跋` became `è·‹`.
        let mut bytes = ".TH AB 1\n.SH NAME\nab - tool\n".repeat(50).into_bytes();
        bytes.extend_from_slice("题跋\n服务器性能测试工具".as_bytes());
        bytes.extend_from_slice(&"跋".as_bytes()[..2]);
        let d = Decoder::new().decode(&bytes);
        let text = d.text.into_owned();
        assert!(
            text.ends_with("题跋\n服务器性能测试工具\u{FFFD}"),
            "{text:?}"
        );
        let r = d.report.unwrap();
        assert_eq!(
            (r.encoding, r.source, r.errors),
            ("UTF-8", Source::MostlyUtf8, 1)
        );
    }

    #[test]
    fn a_stray_byte_in_a_long_utf8_document_does_not_send_it_to_detection() {
        let mut bytes = "我们今天在北京召开了一次会议。\n".repeat(4).into_bytes();
        bytes.push(0xFF);
        bytes.extend_from_slice("会议讨论了很多问题。".as_bytes());
        let (text, enc, errors) = dec(&bytes);
        assert_eq!(
            text,
            format!(
                "{}\u{FFFD}会议讨论了很多问题。",
                "我们今天在北京召开了一次会议。\n".repeat(4)
            )
        );
        assert_eq!((enc, errors), (Some("UTF-8"), 1));
    }

    #[test]
    fn a_gbk_paragraph_in_a_utf8_document_is_read_as_gbk() {
        let utf8 = "我们今天在北京召开了一次关于经济发展的会议，会议讨论了很多问题。\n".repeat(20);
        let gbk_line = "会议讨论了很多问题：\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(gbk_line);
        let mut bytes = utf8.clone().into_bytes();
        bytes.extend_from_slice(&gbk);
        bytes.extend_from_slice("完。\n".as_bytes());
        bytes.push(0xE5); // and a cut character at the end
        let d = Decoder::new().decode(&bytes);
        assert_eq!(d.text, format!("{utf8}{gbk_line}完。\n\u{FFFD}"));
        let r = d.report.unwrap();
        assert_eq!((r.source, r.errors), (Source::MostlyUtf8, 1));
        // A declared charset decides those lines.
        let d = Decoder::new().declared(Some("big5")).decode(&bytes);
        assert!(d.text.starts_with(&utf8) && !d.text.contains(gbk_line));
    }

    #[test]
    fn legacy_text_is_not_mostly_utf8() {
        // Table-driven: text that in its encoding forms a few well-formed UTF-8
        // sequences by chance, cut or whole, stays with detection.
        let text = "我们今天在北京召开了一次关于经济发展的会议，会议讨论了很多问题。\
                    我們今天在臺北召開了一次關於經濟發展的會議，會議討論了很多問題。";
        for enc in [encoding_rs::GBK, encoding_rs::BIG5, encoding_rs::GB18030] {
            let (bytes, _, _) = enc.encode(text);
            for cut in [bytes.len(), bytes.len() - 1] {
                assert!(!mostly_utf8(&bytes[..cut]), "{} cut at {cut}", enc.name());
            }
        }
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("Müller aus Zürich, café crème");
        assert!(!mostly_utf8(&latin));
    }

    #[test]
    fn undecodable_bytes_are_counted_not_fatal() {
        let d = Decoder::new().forced(Some("utf-8")).decode(b"ab\xFFcd\xFE");
        assert_eq!(d.text, "ab\u{FFFD}cd\u{FFFD}");
        assert_eq!(d.report.unwrap().errors, 2);
    }
}
