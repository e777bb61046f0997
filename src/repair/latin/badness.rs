//! The badness test: how many character sequences in a text are far likelier to be
//! mojibake than intended.
//!
//! The idea is ftfy's (`ftfy/badness.py`, Apache-2.0): the few hundred characters that
//! single-byte decoders make out of UTF-8 fall into a handful of classes (accented
//! letters, currency signs, legal and numeric symbols, opening and closing punctuation,
//! box drawing, C1 controls, symbols that are next to never written on purpose), and
//! some juxtapositions of classes (`Ã©`, `â€œ`, `Ð¿`, `√©`, `Р°`) are next to never seen
//! in clean text. This is our own formulation over class bits, one pass over the
//! characters; a count above zero means "likely mojibake".

/// Class bits of a character.
type Class = u16;

const C1: Class = 1 << 0;
/// Symbols that next to never occur outside mojibake (`¦ ¤ ¨ ¬ ¯ ¸ ƒ ˆ ˇ ˘ ˛ ˜ † ‡ ‰`…).
const BAD: Class = 1 << 1;
/// `¶ §`.
const LAW: Class = 1 << 2;
/// `¢ £ ¥ € ₧`.
const CUR: Class = 1 << 3;
/// Punctuation that opens: `¡ ¿ « © ‘ ‚ “ „ • ‹`…
const START: Class = 1 << 4;
/// Punctuation that closes: `® » ˝ ” › ™`.
const END: Class = 1 << 5;
/// Numeric and mathematical symbols: `² ³ ¹ ± ¼ ½ ¾ × µ ÷ √ ∞ ≤`…
const NUM: Class = 1 << 6;
/// Letters usable in emoticons (`Ò`–`Ö`, `ò`–`ö`, `ø`–`ü`, `°`…): never bad after a
/// box-drawing character only.
const KAO: Class = 1 << 7;
/// Upper-case accented Latin letters.
const UPA: Class = 1 << 8;
/// Lower-case accented Latin letters.
const LOA: Class = 1 << 9;
/// Greek and Cyrillic capitals, `Þ`.
const UPC: Class = 1 << 10;
/// Greek and Cyrillic small letters.
const LOC: Class = 1 << 11;
/// Box drawing and block elements.
const BOX: Class = 1 << 12;
/// Characters at home in many contexts (`NBSP`, soft hyphen, `·`, `´`, dashes, `…`, `’`).
const COMMON: Class = 1 << 13;

/// The class bits of `c` (0 for characters that play no part).
fn class(c: char) -> Class {
    let u = c as u32;
    match u {
        0x80..=0x9F => C1,
        0xA0 | 0xAD | 0xB7 | 0xB4 => COMMON,
        0xA6 | 0xA4 | 0xA8 | 0xAC | 0xAF | 0xB8 | 0xAA | 0xBA => BAD,
        0xB6 | 0xA7 => LAW,
        0xA2 | 0xA3 | 0xA5 => CUR,
        0xA1 | 0xAB | 0xBF | 0xA9 => START,
        0xAE | 0xBB => END,
        0xB2 | 0xB3 | 0xB9 | 0xB1 | 0xBC..=0xBE | 0xD7 | 0xB5 | 0xF7 => NUM,
        0xB0 => KAO,
        // Latin-1 letters: O and U forms double as emoticon parts.
        0xD2..=0xD6 | 0xD9..=0xDB => KAO,
        0xDC => KAO | UPA,
        0xC0..=0xD1 | 0xD8 | 0xDD => UPA,
        0xDE => UPC,
        0xDF..=0xF1 => LOA,
        0xF2..=0xF6 | 0xF8..=0xFB => KAO,
        0xFC => KAO | LOA,
        // Latin Extended-A: the O and U with macron, ogonek, double acute are
        // emoticon parts; the rest are accented letters by case.
        0x014C | 0x0150 | 0x016A | 0x0172 => KAO,
        0x0100..=0x017F => {
            if c.is_uppercase() {
                UPA
            } else {
                LOA
            }
        }
        0x0192 | 0x02C6 | 0x02C7 | 0x02D8 | 0x02DB | 0x02DC | 0x2020 | 0x2021 | 0x2030 | 0x2310
        | 0x25CA | 0xFFFD => BAD,
        0x20A7 | 0x20AC => CUR,
        0x0384 | 0x0385 | 0x2018 | 0x201A | 0x201C | 0x201E | 0x2022 | 0x2039 | 0xF8FF => START,
        0x02DD | 0x201D | 0x203A | 0x2122 => END,
        0x2044 | 0x2202 | 0x2206 | 0x220F | 0x2211 | 0x221A | 0x221E | 0x2229 | 0x222B | 0x2248
        | 0x2260 | 0x2261 | 0x2264 | 0x2265 | 0x2116 => NUM,
        0x2013 | 0x2014 | 0x2015 | 0x2026 | 0x2019 => COMMON,
        0x0490 => UPA,
        0x0491 | 0xFB01 | 0xFB02 => LOA,
        0x0386 | 0x0388..=0x038A | 0x038C | 0x038E | 0x038F | 0x0391..=0x03AB => UPC,
        0x0401..=0x042F => UPC,
        0x03AC..=0x03CE | 0x0430..=0x045F => LOC,
        0x2502 | 0x250C | 0x2510 | 0x2518 | 0x251C | 0x2524 | 0x252C | 0x253C => BOX,
        0x2550..=0x256C | 0x2580 | 0x2584 | 0x2588 | 0x258C | 0x2590..=0x2593 => BOX,
        _ => 0,
    }
}

/// Classes after which a character of class [`BAD`] is a sign of mojibake (and that
/// are signs of it after one).
const NEAR_BAD: Class = BAD | LOA | UPA | BOX | START | END | CUR | NUM | LAW;

fn is(c: Option<char>, mask: Class) -> bool {
    c.is_some_and(|c| class(c) & mask != 0)
}

fn one_of(c: Option<char>, set: &str) -> bool {
    c.is_some_and(|c| set.contains(c))
}

/// Number of mojibake-like sequences in `text`, a whole line without its edge spaces
/// (each position counted at most once). Zero means nothing looks like mojibake.
pub(crate) fn badness(text: &[char]) -> usize {
    badness_from(text, true)
}

/// [`badness`] of `text`, a part of a line; `line_start`: nothing but whitespace, `Â`
/// and `Ã` comes before `text` in its line.
///
/// `Â ` and `Ã ` (a lead byte whose no-break space became a space) count at the line
/// start, where web text is indented with no-break spaces; "the line start" is the
/// start of `text`, and with `line_start` any position that only whitespace, `Â` and
/// `Ã` come before: once repaired, a run of such units is whitespace that the artifact
/// pass trims, so judging only the first unit would leave the next one at the new line
/// start, for the next run to repair (`repair(repair(x)) != repair(x)`).
pub(crate) fn badness_from(text: &[char], line_start: bool) -> usize {
    let lead = if line_start {
        leading_unit_chars(text)
    } else {
        0
    };
    let mut n = 0;
    let mut i = 0;
    while i < text.len() {
        // Only a key character, or an ASCII one right before it, starts a sequence:
        // the next position that may is the next key character's, or its neighbour's.
        let Some(k) = text
            .get(i..)
            .and_then(|rest| rest.iter().position(|&c| key(c)))
        else {
            break;
        };
        i += k;
        if k > 0 && text.get(i - 1).is_some_and(char::is_ascii) {
            i -= 1;
        }
        // Like a regular expression's find-all, a match consumes its characters.
        match hit(text, i, i <= lead) {
            0 => i += 1,
            len => {
                n += 1;
                i += len;
            }
        }
    }
    n
}

/// How many characters at the start of `text` are whitespace, `Â` or `Ã`.
pub(crate) fn leading_unit_chars(text: &[char]) -> usize {
    text.iter()
        .position(|&c| !(c.is_whitespace() || c == 'Â' || c == 'Ã'))
        .unwrap_or(text.len())
}

/// Whether `c` lies in U+2600..U+F8FF (hanzi, kana, hangul, symbols up to the
/// private-use area), where no character has a class or starts a sequence of
/// [`hit`]'s: a line of Chinese text is mostly these.
#[inline]
fn beyond_every_sequence(c: char) -> bool {
    ('\u{2600}'..'\u{F8FF}').contains(&c)
}

/// The characters without a class that start a sequence of [`hit`]'s all the same
/// (each below U+2600).
#[inline]
fn starts_without_class(c: char) -> bool {
    // A match, not `str::contains`: [`key`] asks this of most characters below U+2600
    // in a line it looks at (`·`, `—` and curly quotes in Chinese text).
    matches!(
        c,
        'Â' | 'Ã'
            | 'Î'
            | 'Ð'
            | '√'
            | '≈'
            | '‚'
            | 'в'
            | 'Г'
            | 'В'
            | 'Р'
            | 'С'
            | 'β'
            | 'Β'
            | 'Γ'
            | 'Ξ'
            | 'Ο'
            | 'ā'
            | 'Œ'
            | 'œ'
    )
}

/// Whether `c` can take part in a sequence of [`hit`]'s as more than a neighbour of
/// another such character: a class other than [`COMMON`] and [`KAO`] (which only ever
/// follow one), a character that starts a sequence without a class, or `Ù` (which
/// starts the Arabic pairs with a class of [`KAO`] alone). Every sequence starts at
/// a key character or at an ASCII character right before one. (ASCII characters and
/// those [`beyond_every_sequence`] are answered first: they are none.)
#[inline]
fn key(c: char) -> bool {
    !c.is_ascii()
        && !beyond_every_sequence(c)
        && (class(c) & !(COMMON | KAO) != 0 || starts_without_class(c) || c == 'Ù')
}

/// False when [`badness`] of `line` is 0 for certain: none of its characters is a
/// [`key`] one. Chinese text with `·`, no-break spaces, dashes, `°` or box drawing
/// (what sends a line to this pass in clean text) is answered without collecting its
/// characters.
pub(crate) fn may_be_bad(line: &str) -> bool {
    line.chars().any(key)
}

/// The length of the mojibake-like sequence starting at `text[i]`, or 0; `at_start`:
/// the position counts as the line start (see [`badness_from`]).
fn hit(text: &[char], i: usize, at_start: bool) -> usize {
    let at = |i: usize| text.get(i).copied();
    let Some(a) = at(i) else {
        return 0;
    };
    if beyond_every_sequence(a) {
        return 0;
    }
    let ca = class(a);
    let b = at(i + 1);
    let c = at(i + 2);
    let prev = if i > 0 { at(i - 1) } else { None };
    if a.is_ascii() {
        // ASCII-led sequences, three characters each.
        let hit = (a.is_ascii_alphabetic() && is(b, LOC | UPC) && is(c, BAD))
            || (a.is_ascii_whitespace() && is(b, UPA) && is(c, CUR))
            || (a.is_ascii_lowercase() && is(b, UPA) && is(c, START | CUR))
            || ((a.is_ascii_lowercase() || ".,?!".contains(a))
                && b == Some('Â')
                && (c == Some(' ') || is(c, START | END)));
        // MacRoman: `√` (lead byte C3) right after a letter, before a symbol (`pi√π`).
        if a.is_ascii_alphabetic() && b == Some('√') && c.is_some_and(|c| !c.is_ascii()) {
            return 3;
        }
        return if hit { 3 } else { 0 };
    }
    if ca == 0 && !starts_without_class(a) {
        return 0;
    }
    let cb = b.map_or(0, class);
    if ca & C1 != 0 {
        return 1;
    }
    // Three characters and more.
    let three = (ca & (LOA | UPA | BOX | CUR | END) != 0 && cb & START != 0 && is(c, NUM))
        || (ca & (LOA | UPA | CUR | NUM | BOX | LAW) != 0 && cb & END != 0 && is(c, START))
        || (ca & (LOA | UPA) != 0
            && cb & (START | END) != 0
            && c.is_some_and(|c| c.is_alphanumeric() || c == '_'))
        || (a == '‚' && b == Some('Ä') && one_of(c, "ìîïòôúùû†°¢π"))
        || (a == '‚' && one_of(b, "âó") && one_of(c, "àä°ê"))
        || ("ВГРС".contains(a)
            && (cb & (C1 | BAD | START | END | CUR) != 0 || one_of(b, "°µ"))
            && (one_of(c, "ВГРС") || c.is_some_and(|c| c.is_ascii_lowercase())))
        || (a == 'β' && b == Some('€') && one_of(c, "™\u{a0}Ά\u{ad}®°"))
        || ("ΒΓΞΟ".contains(a)
            && (cb & (C1 | BAD | START | END | CUR) != 0 || b == Some('°'))
            && one_of(c, "ΒΓΞΟ"));
    if three {
        return 3;
    }
    // Arabic lead bytes, each with a continuation byte (or a space standing for a
    // lost 0xA0: `Ù Ù ` is `٠٠`).
    let tail_or_space = |c: Option<char>| c == Some(' ') || arabic_tail(c);
    if "ØÙ".contains(a) && tail_or_space(b) && one_of(c, "ØÙ") && tail_or_space(at(i + 3)) {
        return 4;
    }
    if a == 'Г'
        && b == Some('ў')
        && at(i + 2) == Some('В')
        && at(i + 3) == Some('Ђ')
        && at(i + 4) == Some('В')
        && at(i + 6).is_some_and(|c| c.is_ascii_alphabetic() || c == ' ')
    {
        return 7;
    }
    // CP437: a box-drawing character of a UTF-8 lead byte and one of a continuation
    // byte, glued to the start or end of a word of plain letters (`┬┐que` is `¿que`).
    // In a drawing the letters next to box characters are bounded by more of them
    // (`├┤a┼┐a`).
    if CP437_LEADS.contains(a) && one_of(b, CP437_CONTS) {
        let plain_word = |mut it: std::iter::Peekable<&mut dyn Iterator<Item = char>>| {
            let mut n = 0;
            while it.next_if(char::is_ascii_alphabetic).is_some() {
                n += 1;
            }
            n > 0 && !it.peek().is_some_and(|&c| is_box_glyph(c))
        };
        let mut after = text.iter().skip(i + 2).copied().take(32);
        let mut before = text.iter().take(i).rev().copied().take(32);
        let after: &mut dyn Iterator<Item = char> = &mut after;
        let before: &mut dyn Iterator<Item = char> = &mut before;
        // The pair's other side is not more of the word or of a drawing.
        let open = |c: Option<char>| !c.is_some_and(|c| c.is_alphabetic() || is_box_glyph(c));
        if (open(prev) && plain_word(after.peekable()))
            || (open(c) && plain_word(before.peekable()))
        {
            return 2;
        }
    }
    // Pairs.
    let two = (ca & NEAR_BAD != 0 && cb & BAD != 0)
        || (ca & BAD != 0 && cb & (NEAR_BAD & !BAD) != 0)
        || (ca & (LOA | LOC | BOX | END | CUR | NUM) != 0 && cb & UPA != 0)
        || (ca & (BOX | END | CUR | NUM) != 0 && cb & LOA != 0)
        || (ca & (LOA | BOX | END) != 0 && cb & CUR != 0)
        || (ca & (UPA | BOX) != 0 && cb & (NUM | LAW) != 0)
        || (ca & (CUR | NUM | BOX) != 0 && cb & START != 0)
        || (ca & BOX != 0 && cb & (KAO | END) != 0)
        || (ca & (LOA | UPA | CUR | NUM | START | END | LAW) != 0 && cb & BOX != 0)
        || ("Œœ".contains(a) && !b.is_some_and(|b| b.is_ascii_alphabetic()))
        || (ca & UPA != 0 && b == Some('°'))
        || ("ÂÃÎÐ".contains(a)
            && (one_of(b, "€œŠš¢£Ÿž\u{a0}\u{ad}®©°·»–—´") || cb & (START | END) != 0))
        || (a == '×' && one_of(b, "²³"))
        || (a == 'à' && one_of(b, "²µ¹¼½¾"))
        || (a == '√' && one_of(b, "±∂†≠®™´≤≥¥µø"))
        || (a == '≈' && one_of(b, "°¢"))
        || (a == 'в' && b == Some('Ђ'))
        || (a == 'Ã' && one_of(b, "\u{a0}¡"))
        || ("ÃÂ".contains(a)
            && b == Some(' ')
            && (at_start
                || prev.is_some_and(|p| p.is_ascii_lowercase())
                || (prev.is_some_and(char::is_whitespace)
                    && i >= 2
                    && at(i - 2).is_some_and(|p| p.is_ascii_lowercase()))))
        || (a == 'Â' && is(prev, END) && (b == Some(' ') || cb & (START | END) != 0))
        || (a == 'ā' && b == Some('€'));
    if two {
        2
    } else {
        0
    }
}

/// CP437's characters for bytes 0xC2–0xDF that are box drawing or blocks (UTF-8 lead
/// bytes).
const CP437_LEADS: &str = "┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀";
/// CP437's box drawing and shades for bytes 0xB0–0xBF (UTF-8 continuation bytes).
const CP437_CONTS: &str = "░▒▓│┤╡╢╖╕╣║╗╝╜╛┐";

/// Box drawing, block elements and shades.
fn is_box_glyph(c: char) -> bool {
    ('\u{2500}'..='\u{259F}').contains(&c)
}

fn arabic_tail(c: Option<char>) -> bool {
    is(c, COMMON | CUR | BAD | NUM | START) || one_of(c, "ŸŠ®°µ»")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(s: &str) -> usize {
        badness(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn clean_text_scores_zero() {
        for s in [
            "Müller先生来自Zürich",
            "Ça va? Très bien, merci.",
            "Příliš žluťoučký kůň úpěl ďábelské ódy",
            "Zażółć gęślą jaźń",
            "Съешь же ещё этих мягких французских булок",
            "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία",
            "İstanbul'da güzel bir gün",
            "Tiếng Việt có dấu",
            "x² + y² ≤ 1, 5×3 = 15, 30 °C",
            "© 2024 Ünïcödé — “quoted” text…",
        ] {
            assert_eq!(bad(s), 0, "{s}");
        }
    }

    /// `hit` passes over U+2600..U+F8FF ([`beyond_every_sequence`]) without a look at the
    /// class table: nothing there may have a class or start a sequence without one.
    #[test]
    fn nothing_from_u2600_to_the_private_use_area_has_a_class_or_starts_a_sequence() {
        for c in ('\u{2600}'..'\u{F8FF}').filter_map(|c| char::from_u32(c as u32)) {
            assert!(beyond_every_sequence(c), "{c:?}");
            assert_eq!(class(c), 0, "{c:?}");
            assert!(!starts_without_class(c), "{c:?}");
        }
        // The first characters past the range do have classes.
        assert_ne!(class('\u{F8FF}'), 0);
        assert_ne!(class('\u{25CA}'), 0);
        assert!(!beyond_every_sequence('\u{25CA}') && !beyond_every_sequence('\u{F8FF}'));
        assert_eq!(bad("中文，\u{2248}°，中文"), 1);
    }

    /// The characters below U+2600 that have a class or start a sequence without one,
    /// those the rules name, and a few others, sorted, each once.
    fn named_chars() -> Vec<char> {
        let mut named: Vec<char> = (0x80..0x2600u32)
            .filter_map(char::from_u32)
            .filter(|&c| class(c) != 0 || starts_without_class(c))
            .chain("ØÙ┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀░▒▓│┤╡╢╖╕╣║╗╝╜╛┐ЂўŸŠ®°µ»ǎ■中".chars())
            .collect();
        named.sort_unstable();
        named.dedup();
        named
    }

    /// `may_be_bad` is false only where `badness` is 0: every string of up to four
    /// characters drawn from the characters that are no key ones (those with a class,
    /// those the rules name, and others) has badness 0, and every key character makes
    /// `may_be_bad` true.
    #[test]
    fn strings_without_a_key_character_are_never_bad() {
        let named = named_chars();
        let mut pool: Vec<char> = named.iter().copied().filter(|&c| !key(c)).collect();
        assert!(pool.len() > 20, "{pool:?}");
        pool.extend(" aZ._1?\t".chars());
        for &c in named.iter().filter(|&&c| key(c)) {
            assert!(may_be_bad(&format!("中{c}文")), "{c:?}");
        }
        let mut s = [' '; 4];
        let n = pool.len();
        for i in 0..n * n * n * n {
            for (k, slot) in s.iter_mut().enumerate() {
                *slot = pool[i / n.pow(k as u32) % n];
            }
            let text: String = s.iter().collect();
            assert!(!may_be_bad(&text), "{text:?}");
            assert_eq!(badness(&s), 0, "{text:?}");
            assert_eq!(badness(&s[1..]), 0, "{text:?}");
        }
    }

    /// `badness_from` looks for sequences only at key characters and the ASCII
    /// characters right before them: `hit` finds none at any other position, whatever
    /// follows (each character the rules name, and others, before every pair of them
    /// and of ASCII, key characters among them).
    #[test]
    fn only_a_key_character_or_an_ascii_one_before_it_starts_a_sequence() {
        let mut chars = named_chars();
        chars.extend(" aZz._1?!,\t".chars());
        let non_key: Vec<char> = chars.iter().copied().filter(|&c| !key(c)).collect();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        let mut tried = 0;
        for &a in &non_key {
            for &b in &chars {
                // `a` starts nothing unless it is ASCII and `b` is a key character.
                let may = a.is_ascii() && key(b);
                for round in 0..5 {
                    // The pair repeated (`Ù Ù `), then the pair before random ones.
                    let mut s = vec![a, b];
                    if round == 0 {
                        s.extend([a, b, a, b]);
                    } else {
                        s.extend((0..6).map(|_| chars[next() % chars.len()]));
                    }
                    for at_start in [false, true] {
                        if !may {
                            assert_eq!(hit(&s, 0, at_start), 0, "{s:?}");
                            tried += 1;
                        }
                    }
                }
            }
        }
        assert!(tried > 100_000, "{tried}");
        // The fast walk agrees with a look at every position.
        for s in [
            "CafÃ©",
            "x Ã ",
            "doesnâ€™t",
            "“中文”",
            "a Â “b”",
            "pi√π",
            "中Œ",
            "中aÉ“",
        ] {
            let v: Vec<char> = s.chars().collect();
            let mut slow = 0;
            let mut i = 0;
            while i < v.len() {
                match hit(&v, i, i <= leading_unit_chars(&v)) {
                    0 => i += 1,
                    len => {
                        slow += 1;
                        i += len;
                    }
                }
            }
            assert_eq!(badness(&v), slow, "{s}");
        }
    }

    #[test]
    fn mojibake_scores_above_zero() {
        for s in [
            "CafÃ©",
            "doesnâ€™t",
            "Ð¿Ñ€Ð¸Ð²ÐµÑ‚",
            "Ð°",
            "Ä\u{8d}",
            "g√©n√©ral",
            "РїСЂРёРІРµС‚ вЂ”",
        ] {
            assert!(bad(s) > 0, "{s}");
        }
    }
}
