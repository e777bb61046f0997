//! Opt-in width and punctuation normalisation (never on by default).

use super::chars::is_cjk;
use super::CjkPunct;

/// Half-width form of a full-width ASCII letter, digit or symbol. The full-width forms
/// used as Chinese punctuation (`，！？：；（）．［］｛｝～＂＇`) are left to
/// [`CjkPunct`].
fn halfwidth_ascii(c: char) -> Option<char> {
    match c {
        '０'..='９'
        | 'Ａ'..='Ｚ'
        | 'ａ'..='ｚ'
        | '＃'
        | '＄'
        | '％'
        | '＆'
        | '＊'
        | '＋'
        | '－'
        | '／'
        | '＜'
        | '＝'
        | '＞'
        | '＠'
        | '＼'
        | '＾'
        | '＿'
        | '｀'
        | '｜' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

const PUNCT: [(char, char); 7] = [
    (',', '，'),
    ('!', '！'),
    ('?', '？'),
    (':', '：'),
    (';', '；'),
    ('(', '（'),
    (')', '）'),
];

/// Rewrites `line` into `out` and returns the number of characters changed.
///
/// - `fullwidth_ascii`: full-width letters, digits and symbols → ASCII.
/// - [`CjkPunct::Fullwidth`]: `,` `!` `?` `:` `;` with a CJK character right before and
///   right after → `，` `！` `？` `：` `；`.
/// - [`CjkPunct::Halfwidth`]: `，` `！` `？` `：` `；` `（` `）` → ASCII, everywhere.
pub(super) fn normalise(
    line: &str,
    fullwidth_ascii: bool,
    punct: CjkPunct,
    out: &mut String,
) -> usize {
    let mut changed = 0;
    let mut prev: Option<char> = None;
    let mut it = line.chars().peekable();
    while let Some(c) = it.next() {
        let mut r = c;
        if fullwidth_ascii {
            if let Some(h) = halfwidth_ascii(c) {
                r = h;
            }
        }
        match punct {
            CjkPunct::Keep => {}
            CjkPunct::Fullwidth => {
                if matches!(c, ',' | '!' | '?' | ':' | ';')
                    && prev.is_some_and(is_cjk)
                    && it.peek().is_some_and(|&n| is_cjk(n))
                {
                    if let Some(&(_, f)) = PUNCT.iter().find(|&&(a, _)| a == c) {
                        r = f;
                    }
                }
            }
            CjkPunct::Halfwidth => {
                if let Some(&(a, _)) = PUNCT.iter().find(|&&(_, f)| f == c) {
                    r = a;
                }
            }
        }
        if r != c {
            changed += 1;
        }
        out.push(r);
        prev = Some(c);
    }
    changed
}
