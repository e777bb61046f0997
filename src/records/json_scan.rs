//! The JSONL fast path: one strict pass over a line that validates it as JSON and finds a
//! string field, building nothing.
//!
//! [`find_string`] answers only when it is sure: the line is one JSON object (RFC 8259,
//! surrounding whitespace allowed), and the dotted key path leads, through the first
//! occurrence of each key, to a string literal. Anything else — invalid JSON, a missing
//! field, a field that is not a string, a key with escapes on the searched path, a lone
//! surrogate escape, nesting deeper than [`MAX_DEPTH`] — gives `None`, and the caller
//! asks `serde_json`, whose verdict and error message then stand. So the fast path can
//! only ever agree with `serde_json`; `tests/jsonl_scan.rs` checks that it does.
//!
//! Strings are scanned 32 bytes at a time for the three kinds of byte that end a run
//! of plain characters (`"`, `\` and the control characters below U+0020); the same
//! search finds the bytes [`escape_into`] must escape.

use std::ops::Range;

/// Nesting deeper than this is left to `serde_json` (whose own limit is 128).
pub const MAX_DEPTH: u32 = 64;

/// The offset of the first byte of `b` at or after `i` that is `"`, `\` or below 0x20,
/// or `b.len()`.
#[inline(always)]
pub fn next_special(b: &[u8], mut i: usize) -> usize {
    // Eight bytes first (keys and short values end there), then whole 32-byte chunks: a
    // branch-free test of every byte, which the compiler turns into vector compares. The
    // chunk with a hit is searched eight bytes at a time.
    if let Some(hits) = b.get(i..).and_then(<[u8]>::first_chunk::<8>).map(swar_hits) {
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<32>) {
        let hit = chunk.iter().fold(0u8, |a, &c| {
            a | u8::from(c == b'"') | u8::from(c == b'\\') | u8::from(c < 0x20)
        });
        if hit != 0 {
            break;
        }
        i += 32;
    }
    while let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let hits = swar_hits(chunk);
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if special(c) {
            return i;
        }
        i += 1;
    }
    b.len()
}

/// The high bit of each special byte of `chunk` (little-endian order); of those, only
/// the lowest is exact, which is all the callers use. These are the classic "has a zero
/// byte" and "has a byte below n" tests; borrows only run upwards, so no byte below the
/// first true hit is flagged.
#[inline(always)]
fn swar_hits(chunk: &[u8; 8]) -> u64 {
    let x = u64::from_le_bytes(*chunk);
    let quote = x ^ (ONES * u64::from(b'"'));
    let slash = x ^ (ONES * u64::from(b'\\'));
    ((quote.wrapping_sub(ONES) & !quote)
        | (slash.wrapping_sub(ONES) & !slash)
        | (x.wrapping_sub(ONES * 0x20) & !x))
        & HIGHS
}

/// A byte that ends a run of plain string content: `"`, `\` or a control character.
#[inline(always)]
fn special(c: u8) -> bool {
    (c == b'"') | (c == b'\\') | (c < 0x20)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A string literal [`find_string`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// Its byte range in the line, quotes included.
    pub span: Range<usize>,
    /// Whether it holds escapes (without, its inside is the value as it stands).
    pub escaped: bool,
}

/// Finds the string literal at `keys` (outermost first, at least one) in the JSON object
/// `line`; `None` when unsure (see the module docs). `line` must be valid UTF-8.
pub fn find_string(line: &[u8], keys: &[String]) -> Option<Literal> {
    let mut s = Scan { b: line, i: 0 };
    s.ws();
    if s.peek()? != b'{' {
        return None;
    }
    let found = s.object(0, keys)?;
    s.ws();
    if s.i != line.len() {
        return None;
    }
    found
}

/// Appends `s` as a JSON string literal, escaped exactly as `serde_json` writes strings:
/// `"` and `\` with a backslash, `\b \f \n \r \t` in short form, other control characters
/// below U+0020 as `\u00xx` (lower-case hex), everything else as it is.
pub fn escape_into(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut start = 0;
    loop {
        let i = next_special(b, start);
        out.extend_from_slice(b.get(start..i).unwrap_or_default());
        let Some(&c) = b.get(i) else { break };
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(c >> 4)],
                HEX[usize::from(c & 0xF)],
            ]),
        }
        start = i + 1;
    }
    out.push(b'"');
}

/// Decodes the inside of a string literal that [`find_string`] accepted (valid escapes,
/// surrogates only in pairs). `None` if it is not such a literal after all.
pub fn unescape(inner: &str) -> Option<String> {
    let b = inner.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut at = 0;
    while at < b.len() {
        if b[at] != b'\\' {
            let next = memchr::memchr(b'\\', b.get(at..)?).map_or(b.len(), |k| at + k);
            out.push_str(inner.get(at..next)?);
            at = next;
            continue;
        }
        let (c, len) = match *b.get(at + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hi = hex4(b, at + 2)?;
                if (0xD800..0xDC00).contains(&hi) {
                    if b.get(at + 6..at + 8)? != b"\\u" {
                        return None;
                    }
                    let lo = hex4(b, at + 8)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    (char::from_u32(cp)?, 12)
                } else {
                    (char::from_u32(hi)?, 6)
                }
            }
            _ => return None,
        };
        out.push(c);
        at += len;
    }
    Some(out)
}

/// The four hex digits at `b[i..i + 4]`.
#[inline]
fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let d = b.get(i..i + 4)?;
    let v = d
        .iter()
        .fold(0u32, |v, &c| v << 4 | u32::from(HEX_VALUE[usize::from(c)]));
    // A non-digit's 0x10 bit lands in bit 4, 8, 12 or 16 of a digit's place.
    let bad = d.iter().fold(0u8, |a, &c| a | HEX_VALUE[usize::from(c)]) & 0x10;
    (bad == 0).then_some(v)
}

/// Each byte's value as a hex digit, or 0x10 for a byte that is not one.
static HEX_VALUE: [u8; 256] = {
    let mut t = [0x10u8; 256];
    let mut c = 0;
    while c < 10 {
        t[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        t[b'a' as usize + c] = 10 + c as u8;
        t[b'A' as usize + c] = 10 + c as u8;
        c += 1;
    }
    t
};

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// After a member or element: `,` (more follow: `Some(false)`) or `close` (the end:
    /// `Some(true)`), with the whitespace after either; `None` for anything else.
    #[inline]
    fn next_item(&mut self, close: u8) -> Option<bool> {
        self.ws();
        let c = self.peek()?;
        self.i += 1;
        match c {
            b',' => {
                self.ws();
                Some(false)
            }
            _ if c == close => Some(true),
            _ => None,
        }
    }

    /// An object at `{`, searching it for `keys` (none: only validating it):
    /// `Some(found)`, where `found` is the literal if the first occurrence of
    /// `keys[0]` is (or, through further objects, leads to) a string; `None` when invalid
    /// or unsure.
    fn object(&mut self, depth: u32, keys: &[String]) -> Option<Option<Literal>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        self.ws();
        let mut found = None;
        // Decided once the first occurrence of the wanted key is seen (or when none is).
        let mut want = keys.split_first();
        if self.eat(b'}').is_some() {
            return Some(None);
        }
        loop {
            let key_start = self.i;
            let escaped = self.string()?;
            let key = self.b.get(key_start + 1..self.i - 1)?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            match want {
                Some(_) if escaped => return None, // an escaped key might spell the one we want
                Some((first, rest)) if key == first.as_bytes() => {
                    want = None;
                    match (self.peek()?, rest.is_empty()) {
                        (b'"', true) => {
                            let at = self.i;
                            let escaped = self.string()?;
                            found = Some(Literal {
                                span: at..self.i,
                                escaped,
                            });
                        }
                        (b'{', false) => found = self.object(depth + 1, rest)?,
                        _ => self.value(depth + 1)?,
                    }
                }
                _ => self.value(depth + 1)?,
            }
            if self.next_item(b'}')? {
                return Some(found);
            }
        }
    }

    /// Any value; `None` when invalid or unsure.
    fn value(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.object(depth, &[]).map(drop),
            b'[' => {
                self.i += 1;
                self.ws();
                if self.eat(b']').is_some() {
                    return Some(());
                }
                loop {
                    self.value(depth + 1)?;
                    if self.next_item(b']')? {
                        return Some(());
                    }
                }
            }
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => self.number(),
        }
    }

    fn word(&mut self, w: &[u8]) -> Option<()> {
        let end = self.i + w.len();
        (self.b.get(self.i..end)? == w).then(|| self.i = end)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.').is_some() {
            self.peek().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.peek().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        Some(())
    }

    #[inline]
    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
    }

    /// A string literal at `"`; `Some(true)` when it holds escapes.
    fn string(&mut self) -> Option<bool> {
        self.eat(b'"')?;
        let mut escaped = false;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(escaped);
                }
                b'\\' => {
                    escaped = true;
                    self.escape()?; // escapes often follow one another (`\u4f60\u597d`)
                }
                0..0x20 => return None, // a raw control character
                _ => self.i = next_special(self.b, self.i + 1),
            }
        }
    }

    /// One escape at `\`. Surrogates must come in pairs (a lone one is left to serde).
    fn escape(&mut self) -> Option<()> {
        match *self.b.get(self.i + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 2,
            b'u' => {
                let cp = hex4(self.b, self.i + 2)?;
                self.i += 6;
                if (0xD800..0xDC00).contains(&cp) {
                    if self.b.get(self.i..self.i + 2)? != b"\\u" {
                        return None;
                    }
                    let lo = hex4(self.b, self.i + 2)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    self.i += 6;
                } else if (0xDC00..0xE000).contains(&cp) {
                    return None;
                }
            }
            _ => return None,
        }
        Some(())
    }
}
