//! Character classes shared by the artifact rules.

/// A Han ideograph (CJK unified ideographs, extension A, compatibility ideographs and
/// the supplementary ideographic planes).
pub(super) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// A CJK letter: Han, kana or Hangul syllable.
pub(super) fn is_cjk_letter(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xAC00..=0xD7AF)
}

/// A CJK letter, CJK punctuation (U+3000–U+303F) or a full-width form (U+FF00–U+FFEF).
pub(super) fn is_cjk(c: char) -> bool {
    is_cjk_letter(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// Whitespace trimmed at both ends of a line: space, tab, no-break spaces, the
/// ideographic space U+3000 and the other Unicode space separators.
pub(super) fn is_line_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Sentence-final particles after which a `?` is a real question mark, with every form
/// the convert stage maps to one of them (so that the verdict survives conversion).
pub(super) fn is_question_particle(c: char) -> bool {
    super::lost::classes()
        .question_particles
        .binary_search(&c)
        .is_ok()
}

/// An emoji-ish code point: pictographs, dingbats, variation selector 16, skin tones,
/// regional indicators. A ZWJ or ZWNJ next to one of these is part of a sequence.
pub(super) fn is_emoji_part(c: char) -> bool {
    matches!(
        c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0E..=0xFE0F | 0x20E3 | 0xE0020..=0xE007F
    )
}

/// True for a neighbour of ZWJ/ZWNJ where the joiner has no job: nothing, whitespace,
/// ASCII, CJK, or another invisible character. Scripts that use joiners (Indic, Arabic,
/// emoji) are not in this set.
pub(super) fn joiner_is_noise_next_to(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            (c.is_ascii()
                || is_cjk(c)
                || is_line_space(c)
                || c.is_control()
                || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
                && !is_emoji_part(c)
        }
    }
}

/// A character the pass removes wherever it is (or may remove, for ZWJ/ZWNJ): rules
/// looking at neighbours see through these.
pub(super) fn is_removable(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n' && c != '\r')
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}
