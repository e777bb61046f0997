//! WARC 1.0/1.1 record framing, as Common Crawl publishes WARC and WET files.
//!
//! [`Reader`] pulls records from any `BufRead` (decompress first: gzip members per
//! record, as in Common Crawl, are handled by a multi-member gzip reader). A record is a
//! version line, header lines, a blank line, `Content-Length` bytes of block, and two CRLFs.
//! Damage is data: a record whose header cannot be parsed is returned as
//! [`Item::Malformed`] with its byte offset, and the reader resynchronises on the next
//! line that starts with `WARC/`.

use std::io::{self, BufRead, Read};

/// One WARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Byte offset of the record's version line in the (decompressed) stream.
    pub offset: u64,
    /// The version line, e.g. `WARC/1.0`.
    pub version: String,
    /// Header fields in file order, names as written.
    pub headers: Vec<(String, String)>,
    /// The record block.
    pub block: Vec<u8>,
}

impl Record {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lowercased.
    pub fn warc_type(&self) -> String {
        self.header("WARC-Type").unwrap_or("").to_ascii_lowercase()
    }

    /// The `charset` parameter of `Content-Type`, if any.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.header("Content-Type")?;
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| v.trim().trim_matches('"'))
        })
    }
}

/// What the reader found next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A well-formed record.
    Record(Record),
    /// Bytes that did not form a record, starting at `offset`; `reason` says why.
    Malformed {
        /// Byte offset where the damage starts.
        offset: u64,
        /// What was wrong.
        reason: String,
    },
}

/// Reads WARC records from a buffered reader.
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    offset: u64,
    line: Vec<u8>,
    /// A version line already read while resynchronising.
    pending: Option<(u64, Vec<u8>)>,
}

/// The largest record block accepted (bigger ones are skipped as malformed).
pub const MAX_BLOCK: u64 = 1 << 30;

impl<R: BufRead> Reader<R> {
    /// A reader at the start of a WARC stream.
    pub fn new(inner: R) -> Reader<R> {
        Reader {
            inner,
            offset: 0,
            line: Vec::new(),
            pending: None,
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    fn read_line(&mut self) -> io::Result<usize> {
        self.line.clear();
        let n = self.inner.read_until(b'\n', &mut self.line)?;
        self.offset += n as u64;
        Ok(n)
    }

    /// The next record, `None` at the end of the stream. `Err` only for I/O errors of the
    /// underlying reader (including decompression errors).
    pub fn next_item(&mut self) -> io::Result<Option<Item>> {
        // Find the version line, skipping blank lines between records.
        let (start, version) = match self.pending.take() {
            Some(p) => p,
            None => loop {
                let start = self.offset;
                if self.read_line()? == 0 {
                    return Ok(None);
                }
                let t = trim_eol(&self.line);
                if t.is_empty() {
                    continue;
                }
                if t.starts_with(b"WARC/") {
                    break (start, t.to_vec());
                }
                return self.resync(start, "expected a WARC/ version line");
            },
        };
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            if self.read_line()? == 0 {
                return Ok(Some(Item::Malformed {
                    offset: start,
                    reason: "end of input inside the record header".into(),
                }));
            }
            let t = trim_eol(&self.line);
            if t.is_empty() {
                break;
            }
            if (t[0] == b' ' || t[0] == b'\t') && !headers.is_empty() {
                // A continuation line (RFC 822 folding).
                let last = headers.last_mut().expect("checked non-empty");
                last.1.push(' ');
                last.1.push_str(String::from_utf8_lossy(t).trim());
                continue;
            }
            let Some(colon) = t.iter().position(|&b| b == b':') else {
                if t.starts_with(b"WARC/") {
                    self.pending = Some((self.offset - self.line.len() as u64, t.to_vec()));
                    return Ok(Some(Item::Malformed {
                        offset: start,
                        reason: "record header ended without a blank line".into(),
                    }));
                }
                return self.resync(start, "header line without a colon");
            };
            let name = String::from_utf8_lossy(&t[..colon]).trim().to_string();
            let value = String::from_utf8_lossy(&t[colon + 1..]).trim().to_string();
            headers.push((name, value));
        }
        let len = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.parse::<u64>().ok());
        let Some(len) = len else {
            return self.resync(start, "missing or invalid Content-Length");
        };
        if len > MAX_BLOCK {
            return self.resync(start, "Content-Length larger than 1 GiB");
        }
        let mut block = Vec::with_capacity(len as usize);
        let got = (&mut self.inner).take(len).read_to_end(&mut block)?;
        self.offset += got as u64;
        if (got as u64) < len {
            return Ok(Some(Item::Malformed {
                offset: start,
                reason: format!("truncated block: {got} of {len} bytes"),
            }));
        }
        Ok(Some(Item::Record(Record {
            offset: start,
            version: String::from_utf8_lossy(&version).into_owned(),
            headers,
            block,
        })))
    }

    /// Skips to the next line starting with `WARC/` and reports the damage.
    fn resync(&mut self, start: u64, reason: &str) -> io::Result<Option<Item>> {
        loop {
            let at = self.offset;
            if self.read_line()? == 0 {
                break;
            }
            if self.line.starts_with(b"WARC/") {
                self.pending = Some((at, trim_eol(&self.line).to_vec()));
                break;
            }
        }
        Ok(Some(Item::Malformed {
            offset: start,
            reason: reason.to_string(),
        }))
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && (line[end - 1] == b'\n' || line[end - 1] == b'\r') {
        end -= 1;
    }
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, body: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}>\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
    }

    fn items(input: &str) -> Vec<Item> {
        let mut r = Reader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Some(i) = r.next_item().unwrap() {
            out.push(i);
        }
        out
    }

    #[test]
    fn reads_consecutive_records() {
        let input = record("warcinfo", "x: y") + &record("conversion", "第一行\n第二行");
        let got = items(&input);
        assert_eq!(got.len(), 2);
        let Item::Record(r) = &got[1] else { panic!() };
        assert_eq!(r.warc_type(), "conversion");
        assert_eq!(r.block, "第一行\n第二行".as_bytes());
        assert_eq!(r.offset as usize, record("warcinfo", "x: y").len());
    }

    #[test]
    fn garbage_between_records_is_reported_and_skipped() {
        let input = record("conversion", "a") + "garbage\nmore\n" + &record("conversion", "b");
        let got = items(&input);
        assert_eq!(got.len(), 3);
        assert!(matches!(got[1], Item::Malformed { .. }));
        let Item::Record(r) = &got[2] else { panic!() };
        assert_eq!(r.block, b"b");
    }

    #[test]
    fn truncated_block_is_malformed_not_an_error() {
        let input = "WARC/1.0\r\nContent-Length: 100\r\n\r\nshort";
        assert!(matches!(items(input)[..], [Item::Malformed { .. }]));
    }

    #[test]
    fn missing_length_is_malformed() {
        let input = "WARC/1.0\r\nWARC-Type: conversion\r\n\r\nbody\r\n\r\n".to_string()
            + &record("conversion", "ok");
        let got = items(&input);
        assert!(matches!(got[0], Item::Malformed { .. }));
        assert!(matches!(&got[1], Item::Record(r) if r.block == b"ok"));
    }

    #[test]
    fn charset_parameter_is_read() {
        let input = "WARC/1.0\r\nContent-Type: text/plain; charset=\"GBK\"\r\nContent-Length: 0\r\n\r\n\r\n\r\n";
        let Item::Record(r) = &items(input)[0] else {
            panic!()
        };
        assert_eq!(r.charset(), Some("GBK"));
    }
}
