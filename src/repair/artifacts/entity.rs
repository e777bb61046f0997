//! HTML character references that survived text extraction.
//!
//! Only well-formed references are decoded: `&name;` for a name in the common HTML set
//! below (case-sensitive, `;` required), `&#DDDD;` and `&#xHHHH;` for a code point that is
//! not NUL, a surrogate, a control character or beyond U+10FFFF. One level only:
//! `&amp;nbsp;` becomes `&nbsp;`.

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
    let b = s.as_bytes();
    let window = &b[..b.len().min(MAX_LEN)];
    let semi = memchr::memchr(b';', window)?;
    if semi < 2 {
        return None;
    }
    let body = &window[1..semi];
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
