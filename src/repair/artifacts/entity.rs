//! HTML character references that survived text extraction.
//!
//! Only well-formed references are decoded: `&name;` for a name in the common HTML set
//! below (case-sensitive, `;` required), `&#DDDD;` and `&#xHHHH;` for a code point that is
//! not NUL, a surrogate, a control character or beyond U+10FFFF. One level only:
//! `&amp;nbsp;` becomes `&nbsp;`.
//!
//! # Used or mentioned
//!
//! A reference is decoded where the text *uses* it (a page whose extractor left its
//! references undecoded), not where the text *mentions* it (documentation about HTML,
//! code, man pages that quote `&gt;` or `&amp;` literally). [`decodes`] decides, per run
//! of adjacent references, from its two sides (characters the pass removes, and line
//! spaces up to the line's edge, are seen through):
//!
//! 1. In a line holding a raw tag (`<` + ASCII letter, `/` or `!`, then `>`), the line
//!    is markup source: nothing is decoded (`<A NAME=x>&nbsp;</A>`).
//! 2. A run between quotes (`` `&pound;' ``, `"&nbsp;"`, `“&amp;”`) is mentioned.
//! 3. A *markup escape* (a reference to `&`, `<`, `>`, `"` or `'`, named or numeric)
//!    is decoded only when it is glued into text — alphanumeric characters on both
//!    sides, both CJK or both not (`A&amp;B`, `说&quot;你`), or CJK on one side and
//!    CJK or the line's edge on the other (`首页&gt;新闻`, `&quot;你好`) — or when the
//!    document shows that its references leaked (see [`Evidence`]). `tm-&gt;when`,
//!    `echo 1 &gt; /proc/x`, `Name &lt;a@b.org&gt;`, `exec &amp; 在后台` and a line that
//!    is only `&quot;` stay.
//! 4. Any other reference (`&nbsp;`, `&raquo;`, `&#20320;`) is decoded, unless it
//!    stands alone between spaces in a line without CJK that has other words
//!    (`the &nbsp; is optional`).

use super::chars::{is_line_space, is_removable};
use crate::repair::latin::is_cjk;

/// Named references decoded: the HTML 4 Latin-1 set (U+00A0–U+00FF, in order), then
/// the markup, typographic and symbol names web pages use.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

const OTHER: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("AMP", '&'),
    ("LT", '<'),
    ("GT", '>'),
    ("QUOT", '"'),
    ("OElig", 'Œ'),
    ("oelig", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Yuml", 'Ÿ'),
    ("fnof", 'ƒ'),
    ("circ", 'ˆ'),
    ("tilde", '˜'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("bull", '•'),
    ("hellip", '…'),
    ("permil", '‰'),
    ("prime", '′'),
    ("Prime", '″'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("oline", '‾'),
    ("frasl", '⁄'),
    ("euro", '€'),
    ("trade", '™'),
    ("larr", '←'),
    ("uarr", '↑'),
    ("rarr", '→'),
    ("darr", '↓'),
    ("harr", '↔'),
    ("lArr", '⇐'),
    ("rArr", '⇒'),
    ("hearts", '♥'),
    ("spades", '♠'),
    ("clubs", '♣'),
    ("diams", '♦'),
    ("loz", '◊'),
    ("minus", '−'),
    ("infin", '∞'),
    ("ne", '≠'),
    ("le", '≤'),
    ("ge", '≥'),
    ("asymp", '≈'),
    ("alpha", 'α'),
    ("beta", 'β'),
    ("gamma", 'γ'),
    ("delta", 'δ'),
    ("pi", 'π'),
    ("sigma", 'σ'),
    ("mu", 'μ'),
    ("omega", 'ω'),
];

/// The longest reference looked at, in bytes: `&#x10FFFF;` and `&frac34;` fit.
const MAX_LEN: usize = 12;

/// Decodes the character reference at the start of `s` (which starts with `&`).
/// Returns the character and the reference's length in bytes.
pub(super) fn parse(s: &str) -> Option<(char, usize)> {
    let (&amp, rest) = s.as_bytes().split_first()?;
    if amp != b'&' {
        return None;
    }
    let (c, len) = body(rest)?;
    Some((c, len + 1))
}

/// Decodes a reference's body at the start of `b` (what follows the `&`: `nbsp;`,
/// `#20320;`). Returns the character and the body's length in bytes, `;` included.
fn body(b: &[u8]) -> Option<(char, usize)> {
    let window = &b[..b.len().min(MAX_LEN - 1)];
    let semi = memchr::memchr(b';', window)?;
    if semi < 1 {
        return None;
    }
    let body = &window[..semi];
    let c = if body[0] == b'#' {
        numeric(&body[1..])?
    } else {
        if !body.iter().all(u8::is_ascii_alphanumeric) {
            return None;
        }
        // All ASCII, so a valid str.
        let name = std::str::from_utf8(body).ok()?;
        named(name)?
    };
    Some((c, semi + 1))
}

fn named(name: &str) -> Option<char> {
    if let Some(i) = LATIN1.iter().position(|&n| n == name) {
        return char::from_u32(0xA0 + i as u32);
    }
    OTHER.iter().find(|&&(n, _)| n == name).map(|&(_, c)| c)
}

fn numeric(digits: &[u8]) -> Option<char> {
    let (radix, digits) = match digits.first()? {
        b'x' | b'X' => (16, &digits[1..]),
        _ => (10, digits),
    };
    if digits.is_empty() || digits.len() > 7 {
        return None;
    }
    let mut v: u32 = 0;
    for &d in digits {
        v = v * radix + char::from(d).to_digit(radix)?;
    }
    let c = char::from_u32(v)?;
    if c.is_control() || v == 0 {
        return None;
    }
    Some(c)
}

/// True for the characters whose references are markup escapes.
fn is_markup(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'')
}

/// What lies beside a run of references.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    /// Only line-space or removable characters up to the line's edge.
    Edge,
    /// A line-space character (with more text beyond it).
    Space,
    /// Any other character.
    Char(char),
}

/// The side of `line` before byte `i` (`rev`) or from byte `i` on.
fn side(line: &str, i: usize, rev: bool) -> Side {
    if rev {
        side_of(line[..i].chars().rev())
    } else {
        side_of(line[i..].chars())
    }
}

fn side_of(chars: impl Iterator<Item = char>) -> Side {
    let mut it = chars.filter(|&c| !is_removable(c));
    match it.next() {
        None => Side::Edge,
        Some(c) if is_line_space(c) => {
            if it.all(is_line_space) {
                Side::Edge
            } else {
                Side::Space
            }
        }
        Some(c) => Side::Char(c),
    }
}

/// Byte range of the run of adjacent references holding the one at `line[h..h + len]`.
fn run_bounds(line: &str, h: usize, len: usize) -> (usize, usize) {
    let mut end = h + len;
    while let Some((_, l)) = line.get(end..).and_then(parse) {
        end += l;
    }
    let mut start = h;
    while let Some(k) = (start.saturating_sub(MAX_LEN)..start).find(|&k| {
        line.is_char_boundary(k)
            && line[k..].starts_with('&')
            && parse(&line[k..]).is_some_and(|(_, l)| k + l == start)
    }) {
        start = k;
    }
    (start, end)
}

/// Facts about a line holding references, worked out once per line.
#[derive(Debug, Clone, Copy)]
pub(super) struct LineFacts {
    /// The line holds a raw tag: it is markup source.
    raw_tag: bool,
    /// The line holds a CJK character.
    cjk: bool,
    /// The line holds an alphanumeric character outside references.
    words: bool,
    /// The last run of references worked out: its byte range and sides (each run is
    /// measured once, so a long run costs linear time).
    run: Option<(usize, usize, Side, Side)>,
}

impl LineFacts {
    /// The facts of `line` (one line, no terminator).
    pub(super) fn of(line: &str) -> LineFacts {
        let b = line.as_bytes();
        let raw_tag = memchr::memchr_iter(b'<', b).any(|i| {
            b.get(i + 1)
                .is_some_and(|&n| n.is_ascii_alphabetic() || n == b'/' || n == b'!')
                && memchr::memchr(b'>', &b[i + 1..]).is_some()
        });
        let cjk = line.chars().any(is_cjk);
        let mut words = false;
        let mut i = 0;
        while i < line.len() {
            if let Some((_, l)) = parse(&line[i..]) {
                i += l;
                continue;
            }
            let c = line[i..].chars().next().unwrap_or(' ');
            if c.is_alphanumeric() {
                words = true;
                break;
            }
            i += c.len_utf8();
        }
        LineFacts {
            raw_tag,
            cjk,
            words,
            run: None,
        }
    }
}

/// Where a document's references leaked, so that its markup escapes are decoded even
/// where they are not glued into text: the document holds a reference decoded on its
/// own (any non-markup reference rule 4 decodes, a glued markup escape), a
/// double-escaped reference (`&amp;nbsp;`), or other web-extraction artifacts the pass
/// found (content-farm glosses, characters lost to `?`).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Evidence(pub(super) bool);

/// Whether the reference `c` at `line[h..h + len]` is decoded (see the module docs),
/// given the line's facts and the document's evidence.
pub(super) fn decodes(
    line: &str,
    h: usize,
    len: usize,
    c: char,
    facts: &mut LineFacts,
    evidence: Evidence,
) -> bool {
    if facts.raw_tag {
        return false;
    }
    let (before, after) = match facts.run {
        Some((start, end, before, after)) if start <= h && h < end => (before, after),
        _ => {
            let (start, end) = run_bounds(line, h, len);
            let sides = (side(line, start, true), side(line, end, false));
            facts.run = Some((start, end, sides.0, sides.1));
            sides
        }
    };
    let quote = |s: Side, set: &str| matches!(s, Side::Char(q) if set.contains(q));
    if quote(before, "`'\"‘“「『«") && quote(after, "`'\"’”」』»") {
        return false;
    }
    if is_markup(c) {
        return evidence.0 || glued(before, after) || double_escape(line, h, len, c);
    }
    let alone = |s: Side| matches!(s, Side::Edge | Side::Space);
    !(alone(before) && alone(after) && !facts.cjk && facts.words)
}

/// Markup escape rule: a run glued into text.
fn glued(before: Side, after: Side) -> bool {
    match (before, after) {
        (Side::Char(a), Side::Char(b))
            if a.is_alphanumeric() && b.is_alphanumeric() && is_cjk(a) == is_cjk(b) =>
        {
            true
        }
        (Side::Char(a), Side::Char(b)) => is_cjk(a) && is_cjk(b),
        (Side::Char(a), Side::Edge) | (Side::Edge, Side::Char(a)) => is_cjk(a),
        _ => false,
    }
}

/// `&amp;` followed by the rest of a well-formed reference (`&amp;nbsp;`): the text was
/// escaped twice.
fn double_escape(line: &str, h: usize, len: usize, c: char) -> bool {
    c == '&'
        && line
            .get(h + len..)
            .is_some_and(|rest| body(rest.as_bytes()).is_some())
}

/// Whether `text` shows references decoded on their own (see [`Evidence`]).
pub(super) fn document_evidence(text: &str) -> bool {
    let b = text.as_bytes();
    let mut line: Option<(usize, usize, LineFacts)> = None;
    for i in memchr::memchr_iter(b'&', b) {
        let Some((c, len)) = text.get(i..).and_then(parse) else {
            continue;
        };
        let (start, end, facts) = match &mut line {
            Some(l) if i < l.1 => l,
            l => {
                let start = memchr::memrchr2(b'\n', b'\r', &b[..i]).map_or(0, |p| p + 1);
                let end = memchr::memchr2(b'\n', b'\r', &b[i..]).map_or(b.len(), |p| i + p);
                l.insert((start, end, LineFacts::of(&text[start..end])))
            }
        };
        let (start, end) = (*start, *end);
        if decodes(&text[start..end], i - start, len, c, facts, Evidence(false)) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn latin1_table_is_in_code_point_order() {
        assert_eq!(parse("&nbsp;"), Some(('\u{A0}', 6)));
        assert_eq!(parse("&raquo;"), Some(('»', 7)));
        assert_eq!(parse("&times;"), Some(('×', 7)));
        assert_eq!(parse("&yuml;"), Some(('ÿ', 6)));
    }

    #[test]
    fn well_formed_references_only() {
        let table: &[(&str, Option<(char, usize)>)] = &[
            ("&amp;", Some(('&', 5))),
            ("&#20320;", Some(('你', 8))),
            ("&#x4f60;", Some(('你', 8))),
            ("&#X4F60;", Some(('你', 8))),
            ("&amp", None),
            ("&amp ;", None),
            ("&nbsp", None),
            ("&Nbsp;", None),
            ("&foo;", None),
            ("&;", None),
            ("&#;", None),
            ("&#x;", None),
            ("&#0;", None),
            ("&#9;", None),
            ("&#x85;", None),
            ("&#xD800;", None),
            ("&#x110000;", None),
            ("&#12345678;", None),
            ("&#x4g60;", None),
            ("& ", None),
            ("&", None),
        ];
        for (input, want) in table {
            assert_eq!(parse(input), *want, "{input}");
        }
    }
}
