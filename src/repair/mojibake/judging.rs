//! Judging a candidate span (its cost before and after, the margin it must clear, the
//! evidence around it) and selecting non-overlapping candidates of a line.

use super::*;

/// Whether `s` starts with a closing bracket (`」』》）】`), white space skipped.
pub(super) fn starts_with_closer(s: &[char]) -> bool {
    s.iter()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| matches!(c, '」' | '』' | '》' | '）' | '】'))
}

/// The share of adjacent hanzi pairs of `s` that are known word-internal bigrams.
pub(super) fn bigram_cover(t: &Tables, s: &[char]) -> f32 {
    share(bigram_counts(t, s))
}

/// `known / pairs` of a pair count, 0 without pairs.
fn share((known, pairs): (usize, usize)) -> f32 {
    if pairs == 0 {
        0.0
    } else {
        known as f32 / pairs as f32
    }
}

/// The adjacent hanzi pairs of `s` that are known bigrams, and all of them.
pub(super) fn bigram_counts(t: &Tables, s: &[char]) -> (usize, usize) {
    hanzi_pair_counts(t, s, false, false)
}

/// [`bigram_counts`], also pairing hanzi that one space stands between: text written
/// a character at a time (`使 用 DES 编 码`) has its words across the spaces. Cold:
/// only weak cross-chain candidates reach it (inlined, it moved the code generated for
/// the hot loops of the same unit: +2.7 M instructions per MB of pure mojibake).
#[cold]
pub(super) fn spaced_bigram_counts(t: &Tables, s: &[char]) -> (usize, usize) {
    hanzi_pair_counts(t, s, true, false)
}

/// [`bigram_cover`] without the pairs of one hanzi twice (`深深`), for the chains
/// that map one character to one (GBK read as Big5 and back): these map a reduplicated
/// word (`旮旮旯旯`) into another reduplication (`深深身身`), whatever the text, so
/// such a pair is no evidence that the repair reads as words.
pub(super) fn cross_cover(t: &Tables, s: &[char]) -> f32 {
    share(hanzi_pair_counts(t, s, false, true))
}

/// The hanzi pairs of `s` (side by side, or with one space between them when
/// `across_space`; of two different hanzi when `distinct`) that are known bigrams,
/// and all of them.
#[inline]
pub(super) fn hanzi_pair_counts(
    t: &Tables,
    s: &[char],
    across_space: bool,
    distinct: bool,
) -> (usize, usize) {
    let han = |c: char| ('\u{3400}'..='\u{9FFF}').contains(&c);
    let (mut known, mut pairs) = (0, 0);
    for (i, &c) in s.iter().enumerate().filter(|&(_, &c)| han(c)) {
        let at = |back: usize| i.checked_sub(back).and_then(|j| s.get(j)).copied();
        let p = match (at(1), at(2)) {
            (Some(p), _) if han(p) => p,
            (Some(' '), Some(p)) if across_space && han(p) => p,
            _ => continue,
        };
        if distinct && p == c {
            continue;
        }
        pairs += 1;
        known += (t.bigram(p, c) > 0.0) as usize;
    }
    (known, pairs)
}

/// The least gain of a repair of a [`lone_pair`] into one hanzi.
pub(super) const LONE_PAIR_MIN_GAIN: f32 = 2.5;

/// What a measure word right after an ASCII digit (`9月`) adds to a short repair's gain.
pub(super) const DIGIT_MEASURE_BONUS: f32 = 1.0;

/// Whether a single hanzi `c` from the Latin-1 characters `chars[start..end]` may
/// stand in a line with no other CJK text: one of the commonest characters, and a
/// little less common when the bytes stood alone as a token ([`lone_pair`]). A lone
/// pair led by a soft hyphen is no clean text (the hyphen is invisible and stands only
/// inside a word), so then any common hanzi may stand: Big5's lead byte 0xAD holds
/// `倍`, `個`, `們` (`100 \u{AD}¿.` is `100 倍.`).
pub(super) fn lone_hanzi_without_cjk(
    t: &Tables,
    c: char,
    chars: &[char],
    start: usize,
    end: usize,
) -> bool {
    let lone = lone_pair_at(chars, start, end);
    if lone && chars.get(start) == Some(&'\u{AD}') {
        return matches!(t.class(c), class::TOP | class::COMMON);
    }
    t.class(c) == class::TOP && t.cost(c) < if lone { 2.0 } else { 1.5 }
}

/// Whether `before` is two Latin-1 characters standing alone as a token (line edges,
/// spaces or ASCII punctuation on both sides: `around` holds the characters just
/// outside it), as one GBK or Big5 hanzi read as Latin-1 stands between ASCII words
/// (`Í¬ cols`, `C ©M POSIX`). A Latin-1 sign of units or ordinals before an ASCII
/// letter (`µL`, `ºC`, `ªA`) is a token of clean text and does not count.
pub(super) fn lone_pair(before: &[char], around: (Option<char>, Option<char>)) -> bool {
    let apart = |c: Option<char>| c.is_none_or(|c| c.is_ascii() && !c.is_ascii_alphanumeric());
    match before {
        [a, b] => {
            let latin1 = |c: char| ('\u{A1}'..='\u{FF}').contains(&c);
            let unit_sign = matches!(a, 'µ' | '°' | 'º' | 'ª' | '¹' | '²' | '³' | '±');
            latin1(*a)
                && (latin1(*b) || (b.is_ascii_alphabetic() && !unit_sign))
                && apart(around.0)
                && apart(around.1)
        }
        _ => false,
    }
}

/// Whether `after` (a repair, with `around` the characters just outside its span) has
/// hanzi and each stands between two ASCII letters. A soft hyphen (U+00AD, invisible,
/// where a long word may break) before an ASCII letter reads as Big5's lead byte 0xAD
/// with an ASCII trail byte, and that row holds common hanzi: `in\u{AD}ter\u{AD}na`
/// read as Big5 is `in負er要a`, no text. Big5 mojibake puts its hanzi next to each
/// other or to punctuation, not one by one inside Latin words.
pub(super) fn hanzi_inside_ascii_words(
    after: &[char],
    around: (Option<char>, Option<char>),
) -> bool {
    let letter = |c: Option<&char>| c.is_some_and(char::is_ascii_alphabetic);
    let mut hanzi = after
        .iter()
        .enumerate()
        .filter(|(_, &c)| is_han(c))
        .peekable();
    hanzi.peek().is_some()
        && hanzi.all(|(i, _)| {
            let before = match i.checked_sub(1) {
                Some(j) => after.get(j),
                None => around.0.as_ref(),
            };
            let next = after.get(i + 1).or(around.1.as_ref());
            letter(before) && letter(next)
        })
}

/// Whether `chars[i]` is a soft hyphen (U+00AD) inside a word: a letter
/// ([`word_letter`]) before it and two ASCII letters after it (`in\u{AD}ter`,
/// `schö\u{AD}ne`), or two ASCII letters before it and three letters after it, two of
/// them ASCII (`Kra\u{AD}ków`). GBK and Big5 read as Latin-1 do not make that: the
/// hyphen would be a lead byte, the letter after it its trail byte, and the next byte
/// another lead byte (no ASCII letter) unless ASCII text follows the hanzi right away.
/// ASCII text right before it is common (`MRU\u{AD}È¬O` is `MRU值是`), but then the
/// bytes after the trail are another hanzi's, rarely two ASCII letters. The generated
/// case sets' 14,400 mojibake lines have none; Big5's `描述` is `´y\u{AD}z`, `這個`
/// `³o\u{AD}Ó`.
pub(super) fn soft_hyphen_in_word(t: &Tables, chars: &[char], i: usize) -> bool {
    let at = |j: Option<usize>| j.and_then(|j| chars.get(j)).copied();
    let ascii = |j: Option<usize>| at(j).is_some_and(|c| c.is_ascii_alphabetic());
    let letter = |j: Option<usize>| at(j).is_some_and(|c| word_letter(t, c));
    let after = i + 1..i + 4;
    at(Some(i)) == Some('\u{AD}')
        && ((letter(i.checked_sub(1)) && ascii(Some(i + 1)) && ascii(Some(i + 2)))
            || (ascii(i.checked_sub(2))
                && ascii(i.checked_sub(1))
                && after.clone().all(|j| letter(Some(j)))
                && after.filter(|&j| ascii(Some(j))).count() >= 2))
}

/// Whether the Latin-1 characters `chars[i]` and `chars[i + 1]`, which GBK or Big5
/// would read as one CJK character, belong to a European word or number around them
/// instead. `chars[i]` must be a lead byte: the line's first character, or after white
/// space, an ASCII digit, ASCII punctuation below `@` (no byte pair ends with those) or
/// a character beyond Latin-1 (clean text: `火¡Fréchet!车站`).
/// Then, when the two are the whole span (`alone`):
/// - an ASCII letter (Big5's trail byte) with a letter (ASCII or Latin-1) after it:
///   Spanish `¡mañana`, `«Kraków»`;
///
/// and in any span:
/// - a unit sign and an ASCII letter after a digit: `7.5°C`, `12µm`;
/// - an opening mark (`«`, `¡`, `¿`) at a word's start (the line's start, white space,
///   `(`, a quotation mark or a character beyond Latin-1 before it) with an ASCII
///   letter and another (`¿Qué`, `¡Brno!`) or a small Latin-1 letter (`«où»`) after
///   it, or with a Latin-1 letter and a small letter after it (`«Århus»`, `«über»`);
///   Big5's `「` and `『` (`¡u`, `¡y`) open English words, and are no such mark.
///
/// In Big5 text the byte after an ASCII trail byte is as a rule another lead byte (not
/// an ASCII letter), and `，。：` (`¡A`, `¡C`, `¡G`) follow hanzi or `)`, not white
/// space. GBK's trail bytes are never ASCII letters, and a GBK hanzi after an opening
/// mark is followed by the next one's lead byte: a Latin-1 capital or symbol as a rule
/// (`¿ÉÒÔ` is `可以`).
pub(super) fn glued_at(t: &Tables, chars: &[char], i: usize, alone: bool) -> bool {
    let (Some(&a), Some(&b)) = (chars.get(i), chars.get(i + 1)) else {
        return false;
    };
    let before = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
    let next = chars.get(i + 2).copied();
    if a.is_ascii()
        || !before.is_none_or(|c| c.is_whitespace() || ('!'..'@').contains(&c) || c > 'ÿ')
    {
        return false;
    }
    let ascii_letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    let letter = |c: Option<char>| c.is_some_and(|c| word_letter(t, c));
    let small = |c: Option<char>| {
        c.is_some_and(|c| c.is_ascii_lowercase() || (('ß'..='ÿ').contains(&c) && c != '÷'))
    };
    let word_start =
        before.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '"' | '\'') || c > 'ÿ');
    let opening = matches!(a, '«' | '¡' | '¿') && !(a == '¡' && matches!(b, 'u' | 'y'));
    (alone && b.is_ascii_alphabetic() && letter(next))
        || (matches!(a, '°' | 'µ')
            && b.is_ascii_alphabetic()
            && before.is_some_and(|c| c.is_ascii_digit()))
        || (opening
            && word_start
            && ((b.is_ascii_alphabetic() && (ascii_letter(next) || small(next)))
                || (latin_letter(t, b) && small(next))))
}

/// Where a repair of the Latin-1 characters `chars[start..end]` into CJK text would
/// take characters of a European word around it: the first position at which one pass
/// over the span finds [`soft_hyphen_in_word`], [`glued_at`] or, for GBK (`gbk`), a
/// Latin-1 letter between two ASCII letters that would start a hanzi (`Kraków·Ústí` is
/// no `Krak體汾stí`: GBK has ASCII trail bytes only in its extension rows, so the ASCII
/// letter before is ASCII text, and simplified text has next to none of those rows'
/// hanzi). A span of two characters, a Latin-1 letter then a Latin-1 symbol, right
/// after an ASCII letter is a word's end too (`Jyväskylä»`): its start. `None` when
/// there is none.
pub(super) fn glued_to_latin_word(
    t: &Tables,
    chars: &[char],
    start: usize,
    end: usize,
    gbk: bool,
) -> Option<usize> {
    let at = |j: Option<usize>| j.and_then(|j| chars.get(j)).copied();
    let ascii_letter = |j: Option<usize>| at(j).is_some_and(|c| c.is_ascii_alphabetic());
    if let Some(&[a, b]) = chars.get(start..end) {
        if latin_letter(t, a)
            && !b.is_ascii()
            && !latin_letter(t, b)
            && ascii_letter(start.checked_sub(1))
        {
            return Some(start);
        }
    }
    let alone = end - start == 2;
    (start..end).find(|&i| {
        soft_hyphen_in_word(t, chars, i)
            || glued_at(t, chars, i, alone)
            || (gbk
                && ascii_letter(i.checked_sub(1))
                && at(Some(i)).is_some_and(|c| latin_letter(t, c))
                && ascii_letter(Some(i + 1)))
    })
}

/// Whether `after` (a repair) reads as CJK text on its own: three or more hanzi in a
/// row, and every hanzi of it common (class TOP, COMMON or LESS). European words make
/// hanzi of Latin-1 bytes one or two at a time (an accented letter and the letter
/// after it); GBK and Big5 text read as Latin-1 makes rows of them. Then a European
/// word that [`glued_to_latin_word`] finds after the row's start is the misreading of
/// a character of the same text: Big5's `《` is `¡` and an ASCII trail byte, so that
/// `¸Ó¤å ¡mDebian` (`該文 《Debian`) has a Spanish mark glued to a word.
pub(super) fn common_hanzi_row(t: &Tables, after: &[char]) -> bool {
    let (mut row, mut longest) = (0, 0);
    for &c in after {
        if is_han(c) {
            if !matches!(t.class(c), class::TOP | class::COMMON | class::LESS) {
                return false;
            }
            row += 1;
            longest = longest.max(row);
        } else {
            row = 0;
        }
    }
    longest >= 3
}

/// Whether `after` (a repair) is traditional text: four or more hanzi, two or more of
/// them used only in traditional Chinese, none used only in simplified, none rare
/// (class TOP, COMMON or LESS). GBK has traditional hanzi in its extension rows, whose
/// trail bytes include ASCII letters: traditional text in GBK read as Latin-1 has a
/// Latin-1 letter between two ASCII letters at every other hanzi (`謝謝` is `ÖxÖx`),
/// which [`glued_to_latin_word`]'s GBK test would take for a European word. (A
/// European word makes one or two hanzi of its Latin-1 letters: `Kraków·Nîmes` is no
/// `Krak體種îmes`.)
pub(super) fn common_traditional(t: &Tables, after: &[char]) -> bool {
    let (mut hanzi, mut trad) = (0, 0);
    for &c in after.iter().filter(|&&c| is_han(c)) {
        match t.script(c) {
            1 => return false,
            2 => trad += 1,
            _ => {}
        }
        if !matches!(t.class(c), class::TOP | class::COMMON | class::LESS) {
            return false;
        }
        hanzi += 1;
    }
    hanzi >= 4 && trad >= 2
}

/// How many of `chars` are [`tables::DECORATIONS`].
pub(super) fn decorations(chars: &[char]) -> usize {
    chars
        .iter()
        .filter(|c| tables::DECORATIONS.contains(c))
        .count()
}

/// [`lone_pair`] for `chars[start..end]`.
pub(super) fn lone_pair_at(chars: &[char], start: usize, end: usize) -> bool {
    lone_pair(
        chars.get(start..end).unwrap_or(&[]),
        around(chars, start, end),
    )
}

/// The characters of `chars` just before `start` and at `end` (`None` past an edge).
pub(super) fn around(chars: &[char], start: usize, end: usize) -> (Option<char>, Option<char>) {
    (
        start.checked_sub(1).and_then(|j| chars.get(j)).copied(),
        chars.get(end).copied(),
    )
}

/// The bigram bonuses that `after` earns with the characters just outside it
/// (`around`), plus [`DIGIT_MEASURE_BONUS`] when it starts with a measure word right
/// after an ASCII digit.
pub(super) fn neighbour_bonus(
    t: &Tables,
    after: &[char],
    around: (Option<char>, Option<char>),
) -> f32 {
    let (Some(&first), Some(&last)) = (after.first(), after.last()) else {
        return 0.0;
    };
    let mut bonus = 0.0;
    if let Some(p) = around.0 {
        bonus += t.bigram(p, first);
        if p.is_ascii_digit() && MEASURE_CHARS.contains(&first) {
            bonus += DIGIT_MEASURE_BONUS;
        }
    }
    if let Some(n) = around.1 {
        bonus += t.bigram(last, n);
    }
    bonus
}

/// The non-ASCII characters of `chars`: their number and summed cost, in one pass (in
/// order). [`judge`] needs them for a repair's text.
pub(super) fn non_ascii_cost(t: &Tables, chars: impl IntoIterator<Item = char>) -> (usize, f32) {
    let (mut n, mut sum) = (0usize, 0.0f32);
    for c in chars.into_iter().filter(|c| !c.is_ascii()) {
        n += 1;
        sum += t.cost(c);
    }
    (n, sum)
}

/// [`non_ascii_cost`] of the chars of the tokens `t0..t1` of a segment, as [`emit`]
/// found it for the last span it judged: [`double_layer`] needs the same figures for
/// the same span (after the same trimming) as a rule.
#[derive(Clone, Copy)]
pub(super) struct SpanNonAscii {
    pub(super) t0: usize,
    pub(super) t1: usize,
    pub(super) n: usize,
    pub(super) sum: f32,
}

/// The sign whose UTF-8 bytes GBK reads as the hanzi `c`: `©` (C2 A9) as `漏`, a
/// no-break space (C2 A0) as `聽`, a bullet's middle dot (C2 B7) as `路`. Alone beside
/// ASCII text such a hanzi is offered as a span of its own ([`positive_runs`]) and kept
/// as a weak repair ([`judge`]).
#[inline]
pub(super) fn sign_read_as_gbk(c: char) -> Option<char> {
    match c {
        '漏' => Some('©'),
        '聽' => Some('\u{A0}'),
        '路' => Some('\u{B7}'),
        _ => None,
    }
}

/// The longest cost ratio (repair to span, ASCII left out) of a GBK-read-as-Big5
/// span accepted for its dear hanzi ([`rare_to_common`]). At 0.6, the ratio for other
/// cross-chain repairs, 7 lines of the thirteen comparison sets came right; at 0.67, 8;
/// none came wrong, and no clean line of the sweeps (traditional text and classical
/// poetry among them) changed. (With three in ten dear hanzi in the span, not four,
/// 0.7 and 0.75 made no more right than 0.67.)
const RARE_MAX_RATIO: f32 = 0.67;

/// Whether GBK read as Big5 has made the hanzi of `before` dear and `after` repairs
/// them: `after` has at least five hanzi, at most three in ten of them dear (class
/// `LESS` or `RARE`), and at least four in ten of the hanzi of `before` are dear.
/// (Five: at four, one more line of the comparison sets changed, a short one; at six,
/// one fewer came right. Four in ten: at five in ten, four fewer.)
fn rare_to_common(t: &Tables, before: &[char], after: &[char]) -> bool {
    let dear = |c: char| is_han(c) && t.class(c) >= class::LESS;
    let count = |s: &[char]| {
        s.iter().fold((0usize, 0usize), |(h, d), &c| {
            (h + is_han(c) as usize, d + dear(c) as usize)
        })
    };
    let ((hb, db), (ha, da)) = (count(before), count(after));
    ha >= 5 && 10 * db >= 4 * hb && 10 * da <= 3 * ha
}

/// Whether `after`, the repair of `before`, ends in a hanzi and then an ASCII letter or
/// digit standing alone (`next`, the line's character after `before`, is no ASCII
/// letter or digit) that was the trail byte of `before`'s last, non-ASCII, character,
/// and has no other non-ASCII character but letters of the lone scripts
/// ([`lone_letter::is_lone_script`]: `֢沦b`).
/// GBK's and Big5's trail bytes 0x40..0x7E are ASCII, so a pair of rare hanzi of clean
/// text (classical `绀緅`, a name's `靚穎`) "decodes" from UTF-8 into a hanzi and a stray
/// letter. (On the thirteen comparison sets the rule made no line right or wrong; with
/// any non-ASCII character in place of the hanzi, a table's `│V` of UTF-8 read as GBK
/// was lost.)
fn lone_trail_letter(before: &[char], after: &[char], next: Option<char>) -> bool {
    let [.., a, l] = after else { return false };
    l.is_ascii_alphanumeric()
        && is_han(*a)
        && before.last().is_some_and(|b| !b.is_ascii())
        && !next.is_some_and(|c| c.is_ascii_alphanumeric())
        && after
            .iter()
            .filter(|&&c| !c.is_ascii() && !lone_letter::is_lone_script(c))
            .count()
            <= 1
}

/// Whether `after` has letters of two or more of the script blocks of
/// [`crate::repair::script_bit`] other than IPA: Latin-1 and Latin Extended letters,
/// Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac to NKo, the Indic scripts.
fn scripts_mixed(after: &[char]) -> bool {
    const IPA: u32 = 1;
    let seen = after
        .iter()
        .fold(0, |seen, &c| seen | crate::repair::script_bit(c));
    (seen & !IPA).count_ones() >= 2
}

/// Decides whether replacing `before` by `after` is a repair. `around` holds the
/// characters of the line just before and just after `before` (`None` at a line edge,
/// or where they are not known).
#[allow(clippy::too_many_arguments)]
pub(super) fn judge(
    t: &Tables,
    before: &[char],
    (cb, ca): (f32, f32),
    arena: &[char],
    after_range: std::ops::Range<usize>,
    chain: &'static str,
    guessed: bool,
    c0: usize,
    c1: usize,
    around: (Option<char>, Option<char>),
    (n_after, sum_after): (usize, f32),
) -> Option<Fix> {
    let after = arena.get(after_range.clone()).unwrap_or(&[]);
    let cross =
        !chain.starts_with("utf8") && !chain.ends_with("latin1") && !chain.ends_with("cp1252");
    // GBK read as Big5 and back map one character to one character: a decoration such a
    // repair makes is a coincidence of byte values (in damage of another kind, `…ａ☆全盘`),
    // not a title's ornament, and costs what other symbols cost.
    let (ca, sum_after) = match tables::DECORATION_DISCOUNT * decorations(after) as f32 {
        extra if cross && extra > 0.0 => (ca + extra, sum_after + extra),
        _ => (ca, sum_after),
    };
    let gain = cb - ca;
    if n_after == 0 {
        return None;
    }
    // UTF-8 read as GBK or Big5, one layer.
    let utf8_single = matches!(chain, "utf8>gbk" | "utf8>big5");
    // A few rare hanzi amid clean text "repaired" into one hanzi and a letter standing
    // alone are no UTF-8 read as GBK or Big5 (`绀緅` → `社j`, `靚穎` → `谿o`).
    if utf8_single && lone_trail_letter(before, after, around.1) {
        return None;
    }
    // A sign of UTF-8 read as GBK ([`sign_read_as_gbk`]) alone between ASCII text, white
    // space, the other sign and the line's edges (`Copyright 漏 2024`, `示例网 聽漏 2019`),
    // or, a bullet's dot, at the line's start or after white space before ASCII text
    // (`路Python 3.13 …`, `路 2024年10月`): common hanzi, dearer as signs, so kept only
    // where the line has a strong repair of the chain (see `repair_line`); beside a hanzi
    // it is the hanzi (`漏洞`). (A run of no-break spaces is a span of the search's own.)
    if let ([b], [a], "utf8>gbk") = (before, after, chain) {
        // Beside the copyright sign a no-break space may stand, and the other way round.
        let side = |c: Option<char>, other: char| {
            c.is_none_or(|c| c.is_ascii() || c == other || c == '\u{3000}')
        };
        let sign = sign_read_as_gbk(*b) == Some(*a)
            && match b {
                '漏' => side(around.0, '聽') && side(around.1, '聽'),
                '聽' => side(around.0, '漏') && side(around.1, '漏'),
                _ => {
                    around.0.is_none_or(char::is_whitespace)
                        && around.1.is_some_and(|c| c.is_ascii())
                }
            };
        if sign {
            return Some(Fix {
                start: c0,
                end: c1,
                after: after_range,
                chain,
                gain,
                strength: 0.0,
                confidence: 0.3,
                weak: true,
                beside: false,
            });
        }
    }
    // Icons of a page's own font (private-use characters that complete UTF-8, GBK or
    // Big5 sequences read as Latin-1 decode to, or UTF-8 read as GBK, with no hanzi
    // right beside them) are the page's text, however dear: the average leaves them
    // out (`春季招聘(2)\u{E004}`), and a repair of icons alone has none (see
    // `private_use_beside` for icons beside a repair). A private-use character among
    // hanzi is no icon: a span read one byte off makes them, between the hanzi it
    // misreads. (UTF-8 read as GBK loses an icon's last byte before ASCII text,
    // `顎\u{FFFD}(`, and the guess, one of 63 icons of the same cost, is seldom the
    // page's; left in the average, it sank the repair of the hanzi before it.)
    let icons_free = chain.ends_with("latin1") || chain.ends_with("cp1252") || chain == "utf8>gbk";
    let (n_plain, sum_plain) = if icons_free {
        let (mut n, mut sum) = (n_after, sum_after);
        let han_at = |j: Option<usize>| j.and_then(|j| after.get(j)).is_some_and(|&c| is_han(c));
        for (j, &c) in after.iter().enumerate() {
            if is_private_use(c) && !han_at(j.checked_sub(1)) && !han_at(Some(j + 1)) {
                n = n.saturating_sub(1);
                sum -= t.cost(c);
            }
        }
        (n, sum)
    } else {
        (n_after, sum_after)
    };
    if n_plain == 0 {
        return None;
    }
    let avg_after = sum_plain / n_plain as f32;
    // Japanese text: kana are as common as hanzi there, and GBK/Big5 mojibake has few.
    // (Kana are all in U+3040..=U+31FF: the class is looked up only there.) The sound
    // and iteration marks `゛゜ゝゞヽヾ` count only after kana, where Japanese writes
    // them (`いすゞ`): Big5 has them in row C6, where GBK has common hanzi, and a date
    // label's `日期` reads `゜ヽ` after hanzi or at the line's start.
    let is_kana = |c: char| ('\u{3040}'..='\u{31FF}').contains(&c) && t.class(c) == class::KANA;
    let is_mark = |c: char| matches!(c, '\u{309B}'..='\u{309E}' | '\u{30FD}'..='\u{30FE}');
    let mut kana = 0;
    let mut after_kana = false;
    for &c in before {
        let counts = is_kana(c) && (!is_mark(c) || after_kana);
        kana += counts as usize;
        after_kana = counts;
    }
    // GBK read as Big5 makes kana too (Big5's C6-C7 rows hold them, where GBK has
    // common hanzi: `启` → `ぎ`), one at a time; Japanese has runs of them. So does
    // UTF-8 read as GBK: a last byte A4 or A5 pairs with the next lead byte into GBK's
    // kana rows (`查看` → `鏌ョ湅`).
    // (Two adjacent kana need two kana: with fewer the pairs are not looked at.)
    let lone_kana = (chain == "gbk>big5" || chain.starts_with("utf8>gbk"))
        && kana <= 2
        && (kana < 2
            || !before
                .windows(2)
                .any(|w| t.class(w[0]) == class::KANA && t.class(w[1]) == class::KANA));
    // Runs of such kana come from short common words too (`春天来了` is `鏄ュぉ鏉ヤ簡`,
    // three kana in six characters), and Japanese text does not decode as UTF-8 from
    // its GBK bytes: a span that does, into much cheaper text without kana or lost
    // bytes that reads as words, is mojibake whatever its kana.
    let decoded_as_words = || {
        chain.starts_with("utf8>gbk")
            && n_after >= 4
            && ca <= 0.35 * cb
            && !after
                .iter()
                .any(|&c| c == '\u{FFFD}' || t.class(c) == class::KANA)
            && bigram_cover(t, after) >= 0.35
    };
    if kana * 5 >= before.len() && chain != "big5>gbk" && !lone_kana && !decoded_as_words() {
        return None;
    }
    // GBK or Big5 bytes come from Chinese pages: a "repair" into them that brings kana the
    // span did not have is a misreading of clean text (`憂心慇慇` → `紐み哈哈` by gbk>big5).
    // The katakana middle dot is punctuation in Chinese too (`满江红・和`). Chinese pages
    // have a kana now and then among many hanzi (`の` for `的`, a user's name), and
    // Latin-1 text makes none (GBK's kana rows read as `¤` or `¥` before a letter): a
    // repair from Latin-1 bytes may bring one kana for every eight hanzi.
    let sb_to_cjk = sb_to_cjk(chain);
    if !chain.starts_with("utf8") && kana == 0 {
        let (mut kana_after, mut hanzi_after) = (0usize, 0usize);
        for &c in after {
            kana_after += (t.class(c) == class::KANA && c != '・') as usize;
            hanzi_after += is_han(c) as usize;
        }
        if kana_after > 0 && !(sb_to_cjk && kana_after * 8 <= hanzi_after) {
            return None;
        }
    }
    // UTF-8's `©`, `®`, `°` and no-break space read as Latin-1, with no CJK beside them,
    // are signs in Latin text, not one hanzi (`Copyright Â© 2006` is no `Copyright 漏
    // 2006`): the Latin pass repairs them.
    if sb_to_cjk {
        if let [a, b] = *before {
            let edge = |c: Option<char>| c.unwrap_or(' ');
            let ctx = [edge(around.0), a, b, edge(around.1)];
            if crate::repair::latin::utf8_sign_read_as_latin1(&ctx, 1) {
                return None;
            }
        }
    }
    let min_gain = match (n_after, sb_to_cjk) {
        (1, true) if lone_pair(before, around) => LONE_PAIR_MIN_GAIN,
        (1, true) => 3.5,
        (1, false) => 4.0,
        _ => 3.0,
    };
    // A short repair from Latin-1 bytes that makes a word with the clean text beside
    // it (`设ÖÃ` → `设置`, `9ÔÂ` → `9月`) has that word as evidence too.
    let context = if sb_to_cjk && n_after <= 2 {
        neighbour_bonus(t, after, around)
    } else {
        0.0
    };
    // Two Latin-1 signs, a math operator among them, beside a hanzi of clean text are
    // math (`面积½×底×高`), not a GBK or Big5 hanzi read as Latin-1 (`½×` is Big5's
    // `論`), unless the repair makes a word with its neighbours. (A sweep of 100,000
    // made-up lines of common and rare words, Latin-1 words and signs, emoji and
    // full-width forms had 110 changed; this leaves 90, the rest signs glued in ways
    // text rarely glues them, `·±0.5`, `«引用»Ørsted`. Without the operator, the
    // comparison sets lost a partial GBK line's `½«` for `将`.)
    if sb_to_cjk
        && n_after == 1
        && context <= 0.0
        && after.first().is_some_and(|&c| is_han(c))
        && before.len() == 2
        && before.iter().all(|&c| !c.is_alphabetic() && !c.is_ascii())
        && before.iter().any(|&c| matches!(c, '×' | '÷' | '±'))
        && (around.0.is_some_and(is_han) || around.1.is_some_and(is_han))
    {
        return None;
    }
    // One character repeated is a decorative rule (`﹏﹏﹏﹏﹏` → `姊姊姊姊姊`), not a
    // cross-chain misreading, unless the repair reads as dates (`2004爛~2006爛` is
    // `2004年~2006年`).
    if cross && one_repeated(before) && !reads_as_dates(around.0, after) {
        return None;
    }
    // A line does not start with a closing bracket: GBK's `」` reads as Big5's `★`, and
    // clean decorations (`★★塑造你的好身材`) are no such misreading.
    if cross && c0 == 0 && starts_with_closer(after) {
        return None;
    }
    // GBK read as Big5 and back, and GBK or Big5 read as Latin-1, keep ASCII as it is:
    // the ratios of such a span are of its other characters, so Latin words and runs
    // of spaces inside it do not dilute them.
    // (ASCII trail bytes of Big5 or GBK characters are in the span on one side only:
    // the ASCII both sides have is what is left out.)
    let (cb_r, ca_r) = if cross || sb_to_cjk {
        let ascii = |s: &[char]| s.iter().filter(|c| c.is_ascii()).count();
        let same = ascii(before).min(ascii(after)) as f32 * tables::COST[class::ASCII as usize];
        ((cb - same).max(0.1), (ca - same).max(0.0))
    } else {
        (cb, ca)
    };
    // Private-use characters are what a GBK decoder makes of Big5's punctuation and
    // commonest hanzi (lead bytes A1-A4): clean text has none, so a span that loses
    // them all for plain text is strong evidence on its own.
    let is_pua = |c: &char| is_private_use(*c);
    // Likewise [`b5_marker`]s for GBK read as Big5.
    let is_b5_marker = |c: &char| b5_marker(*c);
    let marker: &dyn Fn(&char) -> bool = if chain == "gbk>big5" {
        &is_b5_marker
    } else {
        &is_pua
    };
    // (Markers alone must make a word: private-use icons are no evidence,
    // `\u{E6B6} Menu \u{E601}`.)
    let only_markers = before.iter().all(|c| c.is_ascii() || marker(c));
    let pua_evidence = cross
        && before.iter().filter(|c| marker(c)).count() >= 2
        && (!only_markers || bigram_counts(t, after).0 > 0)
        && !after.iter().any(marker)
        && !after.contains(&'\u{FFFD}')
        && gain >= 6.0
        && ca_r <= 0.5 * cb_r
        && avg_after <= 3.0;
    // GBK read as Big5 loses a lead byte Big5 cannot pair (`去` C8 A5: `\u{FFFD}` and the
    // rest read one byte late); a span whose U+FFFD all complete into cheap text is
    // evidence of its own, even where the model knows few of its words.
    let fffd_evidence = chain == "gbk>big5"
        && before.contains(&'\u{FFFD}')
        && !after.contains(&'\u{FFFD}')
        && n_after >= 4
        && gain >= 10.0
        && ca_r <= 0.35 * cb_r
        && avg_after <= 2.0;
    // GBK read as Big5 turns GBK's CJK punctuation into [`b5_marker`]s (`，` → `ㄛ`,
    // `。` → `﹝`, `《` → `▲`), which clean Chinese text does not have among its hanzi: a
    // long span whose markers all come back as punctuation where Chinese puts it (a
    // sentence mark or closer after a hanzi, an opener before one) is evidence of its
    // own, even in classical text, whose hanzi the model finds dear.
    let punct_evidence = chain == "gbk>big5"
        && n_after >= 6
        && gain >= 6.0
        && ca_r <= 0.7 * cb_r
        && avg_after <= 3.0
        && !after.iter().any(marker)
        && !after.contains(&'\u{FFFD}')
        && marks_in_place(before, after, marker);
    // Big5's commonest hanzi (lead bytes A4-A9) read as GBK fall into GBK's rows of
    // kana, Greek, Cyrillic, bopomofo and box drawing, or into its private-use area,
    // scattered: a span with markers of two or more of those kinds (`┪タゅЩ`, `把σ lilo
    // ゅンい`) mixes scripts no clean text mixes, and one that repairs into common hanzi
    // alone is evidence of its own, however cheap the model finds kana.
    let mixed_evidence = chain == "big5>gbk"
        && gain > 0.0
        && avg_after <= 2.5
        && big5_marker_kinds(before) >= 2
        && after.iter().all(|&c| {
            c.is_ascii() || matches!(t.class(c), class::TOP | class::COMMON | class::CJK_PUNCT)
        });
    // Dates are lines of their own on web pages (`2019年3月7日`); read as Big5 their
    // parts are hanzi alone between digits (`2019爛3堎7゜`), each too short to judge,
    // but no clean text has `爛` and `堎` for a year and a month.
    let date_evidence = cross
        && gain > 0.0
        && avg_after <= 3.0
        && !after.contains(&'\u{FFFD}')
        && reads_as_dates(around.0, after)
        && !reads_as_dates(around.0, before);
    // GBK read as Big5 makes of common hanzi the dearer ones of Big5's rows (`我剪` →
    // `扂熟`): a span whose hanzi are mostly dear, repaired into hanzi that are mostly
    // not, far cheaper, is evidence of its own, even where the model knows few of the
    // repair's pairs (names and titles: `申东烨和申凤善的香槟`). Clean traditional text
    // has few dear hanzi; the span must be hanzi, ASCII and markers alone, with no lost
    // byte beside it (UTF-8 read as Big5 makes spans of every kind).
    let rare_evidence = chain == "gbk>big5"
        && gain >= 10.0
        && ca_r <= RARE_MAX_RATIO * cb_r
        && avg_after <= 2.6
        && !after.iter().any(marker)
        && !after.contains(&'\u{FFFD}')
        && around.0 != Some('\u{FFFD}')
        && around.1 != Some('\u{FFFD}')
        && before
            .iter()
            .all(|&c| c.is_ascii() || is_han(c) || marker(&c))
        && rare_to_common(t, before, after)
        // (Some known pair, not a reduplication: `旮旮旯旯都` is no `深深身身常`.)
        && cross_cover(t, after) > 0.0;
    let pua_evidence = pua_evidence
        || fffd_evidence
        || punct_evidence
        || mixed_evidence
        || date_evidence
        || rare_evidence;
    // Enough of the repair's adjacent hanzi pairs must be words; fewer when the repair
    // is far cheaper than what it replaces (`淕坳腔俴峈﹝` → `整它的行为。`).
    let min_cover = if gain >= 10.0 && ca_r <= 0.35 * cb_r {
        0.2
    } else {
        0.35
    };
    // Whether a cross-chain repair is long and reads as words: four characters or more,
    // clearly cheaper, enough of its pairs known ([`cross_cover`]).
    let reads_as_words =
        cross && !pua_evidence && n_after >= 4 && gain >= 5.0 && cross_cover(t, after) >= min_cover;
    // A short cross-chain span (GBK read as Big5 or back, cut by ASCII) is kept only
    // if the same line has a strong repair of the same chain (see `repair_line`).
    // (So is a lone marker of Big5 read as GBK that becomes a common hanzi, however
    // little cheaper: `ノ` → `用` beside `パ\u{E804}` → `由於`.)
    let lone_marker = chain == "big5>gbk"
        && gain >= LONE_MARKER_FLOOR
        && before.iter().all(|&c| c.is_ascii() || big5_marker(c) != 0)
        && after
            .iter()
            .all(|&c| c.is_ascii() || matches!(t.class(c), class::TOP | class::COMMON));
    if cross
        && !pua_evidence
        && avg_after <= 3.0
        && ((gain > 1.0 && ca_r < 0.8 * cb_r) || lone_marker)
        && !(reads_as_words && ca_r <= 0.6 * cb_r)
    {
        let strength = (gain / cb).clamp(0.0, 1.0);
        return Some(Fix {
            start: c0,
            end: c1,
            after: after_range.clone(),
            chain,
            gain,
            strength,
            confidence: strength * 0.5,
            weak: true,
            beside: false,
        });
    }
    // (Mixed markers are evidence enough where the model finds the markers cheap.)
    let (min_gain, max_ratio) = if mixed_evidence {
        (1.0, 0.9)
    } else if rare_evidence {
        (min_gain, RARE_MAX_RATIO)
    } else if punct_evidence {
        (min_gain, 0.7)
    } else {
        (min_gain, 0.6)
    };
    if gain + context < min_gain || ca_r > max_ratio * cb_r || avg_after > 3.0 {
        return None;
    }
    // GBK read as Big5 and back map one character to one character: short spans of
    // rare characters "repair" by accident, so these need a long, clear span.
    // (The repaired text must also read as words: enough of its adjacent hanzi pairs
    // are word-internal bigrams.)
    if cross && !pua_evidence && !reads_as_words {
        return None;
    }
    // Hanzi that "decode" to a few Latin letters (`膴膴` → `ĊĊ`) are rare words, not
    // mojibake, unless the span is long.
    let cjk = |c: char| {
        matches!(
            t.class(c),
            class::TOP | class::COMMON | class::LESS | class::RARE | class::CJK_PUNCT
        )
    };
    // (Box drawing with ASCII is a table's cell wall before its text, `│Size`: the
    // hanzi that hold it, `鈹` and a GBK character with an ASCII trail byte, are rarer
    // still.)
    let box_drawing = |c: &char| ('\u{2500}'..='\u{257F}').contains(c);
    if chain.starts_with("utf8")
        && !sb_to_cjk
        && !after.iter().copied().any(cjk)
        && before.iter().all(|&c| cjk(c))
        && n_after < 3
        && !after.iter().filter(|c| !c.is_ascii()).all(box_drawing)
    {
        return None;
    }
    // A GBK or Big5 decoder makes CJK characters of UTF-8's bytes (hanzi, kana, hangul,
    // CJK punctuation), whatever the text was: a span without any, lost bytes beside
    // Latin letters from Big5's HKSCS rows (`\u{FFFD}È`), that "repairs" into text
    // without any either (`Ĉ]`) is no misreading of CJK text. Such a span would also be
    // accepted or not depending on whether its neighbour, the same garbage, was already
    // repaired, and repair would not be idempotent.
    // Nor does such a misreading make, of hanzi alone, letters of two alphabets and no
    // hanzi (`侃侃訚訚` → `٩٩ӝӝ`, `鄔倩倩供稿` → `੭ŭŨѽZ`: GBK's and Big5's rarer rows read
    // as UTF-8's two-byte sequences). (On the thirteen comparison sets no line changed;
    // of 120,000 lines of clean text with a rare word put in, two fewer did.)
    let cjk_letter = |c: &char| (class::TOP..=class::HANGUL).contains(&t.class(*c));
    if utf8_single && !after.iter().any(cjk_letter) {
        let no_cjk = !before.iter().any(cjk_letter);
        let cjk_only = || before.iter().all(|c| c.is_ascii() || cjk_letter(c));
        if no_cjk || (cjk_only() && scripts_mixed(after)) {
            return None;
        }
    }
    let strength = (gain / cb).clamp(0.0, 1.0);
    let confidence = if guessed { strength * 0.5 } else { strength };
    Some(Fix {
        start: c0,
        end: c1,
        after: after_range,
        chain,
        gain: gain + context,
        strength,
        confidence,
        weak: false,
        beside: false,
    })
}

/// Picks non-overlapping candidates from `cands`, highest gain first, into `chosen` in
/// text order.
pub(super) fn select(cands: &mut [Fix], chosen: &mut Vec<Fix>, n: usize) {
    cands.sort_by(|a, b| b.gain.total_cmp(&a.gain));
    // The chosen spans, cut at the line's end: a candidate is taken when its span
    // shares no position with any of them (an empty span shares none). A line has a
    // few candidates: each is compared with the few chosen before it.
    let first = chosen.len();
    for c in cands.iter() {
        let (s, e) = (c.start, c.end.min(n));
        let free = s >= e
            || chosen
                .get(first..)
                .unwrap_or(&[])
                .iter()
                .all(|f| f.start >= f.end.min(n) || f.end.min(n) <= s || e <= f.start);
        if free {
            chosen.push(c.clone());
        }
    }
    chosen.sort_by_key(|f| f.start);
}
