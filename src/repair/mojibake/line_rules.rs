//! Line-level rules over the candidate repairs of one line, after every pass has
//! searched it: stretches searched again in the other alignment, the line's script,
//! lone spans of the cross chains, Big5 markers, spans that continue across the line,
//! whether every odd character is covered, the evidence of the line as a whole, C1
//! controls, and four-byte characters whose bytes a decoder lost.

use super::*;

/// Records in `out`, to be searched again from its second character once every pass
/// has run, each stretch of two or more non-ASCII characters (an odd number for GBK)
/// of the single-byte run `run` that the search of the run for original encoding `e`
/// (its candidates are `found`) left uncovered from its second character on (a
/// candidate from its first character, in the first alignment, covers nothing: the
/// search again competes with it), unless an ASCII character that may be a trail
/// byte, after a non-ASCII character that may be its lead byte, is right before it.
/// GBK or Big5 bytes read as Latin-1 are paired from the first byte of a stretch: one
/// character of the clean text right before a span (a no-break space, `×`, `é`, a
/// curly quote) shifts every pair of the span by a byte, and the span reads as rare
/// hanzi (`\u{A0}ÕÂÍøÂç` is not read as `章网络`, nor `“¼ÓÉÏ` as `“加上`). The search
/// again goes on through ASCII characters that may be trail bytes (0x40..=0x7E:
/// `¸`³]` is Big5's `節設`) and the stretches after them, and the next stretch looked
/// at starts after it: no character is searched again twice. [`repair_line`] searches
/// a recorded stretch again only if no candidate of a chain from `e` covers its start
/// (but one from the character before), and the candidates of both readings compete
/// in [`select`].
pub(super) fn realign_stretches(
    chars: &[char],
    run: std::ops::Range<usize>,
    e: Codec,
    found: &[Fix],
    out: &mut Vec<(usize, usize, Codec)>,
) {
    let high = |i: usize| chars.get(i).is_some_and(|c| !c.is_ascii());
    let trail = |i: usize| chars.get(i).is_some_and(|c| ('\x40'..='\x7E').contains(c));
    let stretch_end = |mut i: usize| {
        while i < run.end && high(i) {
            i += 1;
        }
        i
    };
    let mut p = run.start;
    while p < run.end {
        if !high(p) {
            p += 1;
            continue;
        }
        let q = stretch_end(p);
        let covered = found
            .iter()
            .any(|f| f.start <= p + 1 && p + 1 < f.end && f.start != p);
        // After an ASCII character that may be a trail byte, the stretch is more
        // likely the rest of a span in its own alignment (Big5's `¤@` is `一`); only
        // after a lead byte (a non-ASCII character) is it one (`colgroup”Æ¬¶Î` is
        // `colgroup”片段`).
        let after_trail = p >= run.start + 2 && trail(p - 1) && high(p - 2);
        // GBK text rarely has ASCII trail bytes (only its rarest hanzi do): a span of
        // it shifted by one byte is an odd stretch. (Big5's common hanzi have them.)
        let even_gbk = e == Codec::Gbk && (q - p) % 2 == 0;
        if q - p < 2 || covered || after_trail || even_gbk {
            p = q;
            continue;
        }
        let mut r = q;
        while r < run.end && trail(r) {
            r = stretch_end(r + 1);
        }
        out.push((p + 1, r, e));
        p = r;
    }
}

/// Whether decoder `d` can give `c` when it reads UTF-8 bytes: false only for a
/// two-byte character whose bytes never follow each other in UTF-8 (a lead byte not
/// followed by a continuation byte, a continuation byte followed by a byte UTF-8
/// never has, or a first byte UTF-8 never has), as `蜿` (GBK `F2 EA`, two lead bytes)
/// in a clean line: such a character lies in no `utf8>…` span, and a line whose odd
/// characters ([`Scan::cjk`] was set by them) are all of this kind is not searched
/// for that chain.
pub(super) fn readable_from_utf8(t: &Tables, d: Codec, c: char) -> bool {
    match t.encoded(d, c) {
        Some((a, Some(b))) => match a {
            0x80..=0xBF => !matches!(b, 0xC0 | 0xC1 | 0xF5..=0xFF),
            0xC2..=0xF4 => (0x80..=0xBF).contains(&b),
            _ => false,
        },
        _ => true,
    }
}

/// Lowers, for [`select`], the gain of each candidate from Latin-1 bytes by 1 for each
/// character of the script (simplified or traditional only) that the line's other
/// characters do not use, when they use the other one at least twice: in a simplified
/// line `»ò` is GBK's `或`, not Big5's `麼`.
pub(super) fn prefer_line_script(t: &Tables, chars: &[char], arena: &[char], cands: &mut [Fix]) {
    // It matters only where candidates of two such chains compete.
    let mut sb = cands.iter().filter(|f| sb_to_cjk(f.chain)).map(|f| f.chain);
    let first = sb.next();
    let rivals = sb.any(|c| Some(c) != first);
    if !rivals {
        return;
    }
    let mut count = [0usize; 3];
    for &c in chars.iter().filter(|&&c| is_han(c)) {
        if let Some(n) = count.get_mut(t.script(c) as usize) {
            *n += 1;
        }
    }
    let wrong = match (count[1], count[2]) {
        (s, 0) if s >= 2 => 2,
        (0, tr) if tr >= 2 => 1,
        _ => return,
    };
    for f in cands.iter_mut().filter(|f| sb_to_cjk(f.chain)) {
        let after = arena.get(f.after.clone()).unwrap_or(&[]);
        f.gain -= after.iter().filter(|&&c| t.script(c) == wrong).count() as f32;
    }
}

/// Whether a run encoded by the single-byte decoder (`bytes`, with `bchar` as in
/// [`encode_run`]) can yield no candidate in any original encoding: its bytes are ASCII,
/// 0x80 from `€` and lost bytes ([`WILD`]), and no lost byte is followed by a
/// continuation byte or another lost byte. (`€` and U+FFFD are what UTF-8 read as GBK
/// leaves between its hanzi; a line with two of them in a row is tried with the
/// single-byte chains.)
///
/// Then every token [`tokenize`] makes is the character itself or undecodable: ASCII
/// reads as itself; 0x80 starts no UTF-8 sequence and no Big5 pair, and GBK reads it
/// as `€`; a lost byte is undecodable in GBK and Big5 (the single-byte decoder has no
/// completion there), and in UTF-8 it starts the window and would be a lead byte, which
/// needs a continuation after it (see [`utf8_completable`]). So every unit is an
/// identity with gain 0 (its bigram terms cancel), no stretch peaks positive and
/// [`double_layer`] finds nothing to decode: the search would add no candidate.
pub(super) fn inert_sb_run(chars: &[char], bytes: &[u16], bchar: &[u32]) -> bool {
    bytes.iter().enumerate().all(|(k, &b)| match b {
        0..=0x7F => true,
        0x80 => bchar
            .get(k)
            .and_then(|&i| chars.get(i as usize))
            .is_some_and(|&c| c == '\u{20AC}'),
        WILD => !matches!(bytes.get(k + 1), Some(&(0x80..=0xBF | WILD))),
        _ => false,
    })
}

/// Makes weak cross-chain candidates (GBK read as Big5, or Big5 as GBK) strong when
/// together they stand on their own: the weak candidates of one such chain that hold
/// all the line's non-ASCII text but U+FFFD (a short title such as `恁砐 OPTIONS`,
/// `選項` read with the wrong table, or `蜇翹 A. 蜇翹`), whose repairs have two or more
/// hanzi in all, all common, whose adjacent pairs are mostly words, while the text they
/// replace has an uncommon character, no known word at all and fewer than two
/// hiragana per span. Hanzi with one space between them count as adjacent, in the
/// repairs and in the text they replace ([`spaced_bigram_counts`]: text written a
/// character at a time). `mark` is scratch.
pub(super) fn lone_cross_spans(
    t: &Tables,
    chars: &[char],
    arena: &[char],
    cands: &mut [Fix],
    mark: &mut Vec<bool>,
) {
    let han = |c: &&char| ('\u{3400}'..='\u{9FFF}').contains(*c);
    // Two hiragana may be Japanese (`続いて` is no `適中化`).
    let hira = |c: &&char| ('\u{3041}'..='\u{309F}').contains(*c);
    let common = |c: char| common_cjk(t, c);
    for chain in ["gbk>big5", "big5>gbk"] {
        let fits = |f: &Fix| -> bool {
            let (Some(before), Some(after)) =
                (chars.get(f.start..f.end), arena.get(f.after.clone()))
            else {
                return false;
            };
            f.weak
                && f.chain == chain
                && before.iter().filter(hira).count() < 2
                && after.iter().all(|&c| c.is_ascii() || common(c))
                && spaced_bigram_counts(t, before).0 == 0
        };
        if !cands.iter().any(fits) {
            continue;
        }
        mark_spans(cands.iter().filter(|f| fits(f)), chars.len(), mark);
        let outside = chars
            .iter()
            .zip(mark.iter())
            .any(|(&c, &m)| !m && !c.is_ascii() && c != '\u{FFFD}');
        if outside {
            continue;
        }
        let (mut known, mut pairs, mut hanzi, mut uncommon) = (0, 0, 0, false);
        for f in cands.iter().filter(|f| fits(f)) {
            let after = arena.get(f.after.clone()).unwrap_or(&[]);
            let (k, p) = spaced_bigram_counts(t, after);
            known += k;
            pairs += p;
            hanzi += after.iter().filter(han).count();
            uncommon |= chars
                .get(f.start..f.end)
                .unwrap_or(&[])
                .iter()
                .any(|&c| !c.is_ascii() && c != '\u{FFFD}' && !common(c));
        }
        if hanzi >= 2 && uncommon && pairs > 0 && 2 * known >= pairs {
            for f in cands.iter_mut() {
                if fits(f) {
                    f.weak = false;
                }
            }
        }
    }
}

/// Whether `before` has characters `marker` accepts, and `after` (its repair) has at
/// least as many Chinese punctuation marks, each in place: a sentence mark or closer
/// (`，。、：；！？》」』`) right after a hanzi, an opener (`《「『`) right before one, the
/// middle dot `·` between two. (GBK read as Big5 maps one character to one, but a lost
/// byte shifts the rest: the marks are counted, not matched by position.)
pub(super) fn marks_in_place(
    before: &[char],
    after: &[char],
    marker: impl Fn(&char) -> bool,
) -> bool {
    let markers = before.iter().filter(|c| marker(c)).count();
    if markers == 0 {
        return false;
    }
    let han = |j: Option<usize>| j.and_then(|j| after.get(j)).is_some_and(|&c| is_han(c));
    let mut placed = 0;
    for (i, c) in after.iter().enumerate() {
        let ok = match c {
            '，' | '。' | '、' | '：' | '；' | '！' | '？' | '》' | '」' | '』' => {
                han(i.checked_sub(1))
            }
            '《' | '「' | '『' => han(Some(i + 1)),
            '·' => han(i.checked_sub(1)) && han(Some(i + 1)),
            _ => continue,
        };
        if !ok {
            return false;
        }
        placed += 1;
    }
    placed >= markers
}

/// Bopomofo and small or vertical forms are what a Big5 decoder makes of GBK's CJK
/// punctuation (`，` → `ㄛ`, `。` → `﹝`); also GBK's `《》【】「」『』“”—；？` read as Big5:
/// `▲◎▽▼☆★◇◆※§〞˙ˋ`.
pub(super) fn b5_marker(c: char) -> bool {
    matches!(
        c as u32,
        0x3105..=0x312F
            | 0xFE30..=0xFE4F
            | 0xFE50..=0xFE6F
            | 0x25B2
            | 0x25CE
            | 0x25BC
            | 0x25BD
            | 0x2605
            | 0x2606
            | 0x25C6
            | 0x25C7
            | 0x203B
            | 0xA7
            | 0x301E
            | 0x2D9
            | 0x2CB
    )
}

/// Whether `c` is a private-use character of the Basic Multilingual Plane.
pub(super) fn is_private_use(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// The kind of `c` among the characters a GBK decoder makes of Big5's commonest hanzi
/// and punctuation, as one bit: the private-use characters of GBK's user-defined areas
/// ([`PRIVATE_USE_MARKER`]), kana, Greek, Cyrillic, bopomofo and box drawing (GBK's rows
/// A4-A9); 0 for any other character.
pub(super) fn big5_marker(c: char) -> u8 {
    let cp = c as u32;
    // Hanzi first, with one comparison: nothing from after bopomofo up to the
    // private-use area is a marker (whole lines are folded over).
    if (0x312A..0xE000).contains(&cp) {
        return 0;
    }
    match cp {
        0xE000..=0xE864 => PRIVATE_USE_MARKER,
        0x3041..=0x30FA | 0x30FC..=0x30FF => 2,
        0x391..=0x3C9 => 4,
        0x401..=0x451 => 8,
        0x3105..=0x3129 => 16,
        0x2500..=0x257F => 32,
        _ => 0,
    }
}

/// [`big5_marker`]'s kind of a private-use character.
pub(super) const PRIVATE_USE_MARKER: u8 = 1;

/// How many kinds of [`big5_marker`]s `s` holds.
pub(super) fn big5_marker_kinds(s: &[char]) -> u32 {
    s.iter()
        .fold(0u8, |kinds, &c| kinds | big5_marker(c))
        .count_ones()
}

/// Whether `s` holds `¨`, ASCII text and then `〃` (`¨~/.profile〃`): Big5's curly double
/// quotes read as GBK around a name.
fn big5_quotes_read_as_gbk(s: &[char]) -> bool {
    s.iter().enumerate().any(|(i, &c)| {
        c == '\u{A8}' && {
            let rest = s.get(i + 1..).unwrap_or(&[]);
            let inner = rest.iter().take_while(|c| c.is_ascii()).count();
            inner > 0 && rest.get(inner) == Some(&'\u{3003}')
        }
    })
}

/// Whether the non-ASCII characters of `s` are two or more of one character.
pub(super) fn one_repeated(s: &[char]) -> bool {
    let mut non_ascii = s.iter().filter(|c| !c.is_ascii());
    let first = non_ascii.next();
    let mut rest = non_ascii.peekable();
    first.is_some() && rest.peek().is_some() && rest.all(|c| Some(c) == first)
}

/// Whether `c` is plain Chinese text: a common hanzi or CJK punctuation.
pub(super) fn common_cjk(t: &Tables, c: char) -> bool {
    common_cjk_class(t.class(c))
}

/// Whether class `k` is one of [`common_cjk`]'s.
fn common_cjk_class(k: u8) -> bool {
    matches!(k, class::TOP | class::COMMON | class::CJK_PUNCT)
}

/// Whether `c` is a Latin-1 or Latin Extended letter.
pub(super) fn latin_letter(t: &Tables, c: char) -> bool {
    matches!(t.class(c), class::LATIN1_LETTER | class::LATIN_EXT)
}

/// Whether `c` is a letter of a European word: ASCII, or [`latin_letter`].
pub(super) fn word_letter(t: &Tables, c: char) -> bool {
    c.is_ascii_alphabetic() || latin_letter(t, c)
}

/// Whether `chars` has a Latin-1 or Latin Extended letter next to an ASCII letter: a
/// word of European text (`créé`, `être`), which GBK encodes (its pinyin letters) and
/// Big5 reads as hanzi (`é` → `谷`), so a whole-line cross-chain reading of it is a
/// coincidence.
pub(super) fn latin_word(t: &Tables, chars: &[char]) -> bool {
    chars.windows(2).any(|w| {
        (latin_letter(t, w[0]) && w[1].is_ascii_alphabetic())
            || (w[0].is_ascii_alphabetic() && latin_letter(t, w[1]))
    })
}

/// Whether `chars` has a Latin-1 or Latin Extended letter that does not stand between
/// two non-ASCII characters that are neither such letters nor spaces.
pub(super) fn stray_latin_letter(t: &Tables, chars: &[char]) -> bool {
    let inside = |c: Option<&char>| {
        c.is_some_and(|&c| !c.is_ascii() && !c.is_whitespace() && !latin_letter(t, c))
    };
    chars.iter().enumerate().any(|(i, &c)| {
        latin_letter(t, c)
            && !(i.checked_sub(1).is_some_and(|p| inside(chars.get(p))) && inside(chars.get(i + 1)))
    })
}

/// Repairs a whole line read with the wrong one of GBK and Big5 (Big5 read as GBK, or
/// GBK as Big5: one character for one, ASCII kept) when that one chain explains all of
/// it, however short its spans (`パ Karl Berg 蝴臔\u{E4C9}` → `由 Karl Berg 維護。`,
/// `ま计 ARGUMENTS` → `引數 ARGUMENTS`): the evidence is the whole line's. It does
/// when no other chain has a strong candidate in the line and:
/// - every non-ASCII character of the line re-reads (encoded by the decoder that made
///   it, decoded by the other) as a common hanzi, CJK punctuation or a quotation mark,
///   dash, ellipsis or middle dot;
/// - there is one, a symbol between spaces and ASCII letters or `-` (a word between
///   words, not beside a number) that re-reads as a connective ([`FUNCTION_CHARS`] or
///   [`TRAD_FUNCTION_CHARS`]: `-a ┪ --all` → `-a 或 --all`), or any odd character
///   that re-reads as one at the line's start before a space and a list of two or
///   more command-line options (`肮 -ignbrk -brkint` → `同 -ignbrk -brkint`), and the
///   rules below do not apply; or there are two or more, and:
/// - at least half of them are not common hanzi or CJK punctuation (kana, rare hanzi,
///   symbols, private use, other scripts, `〃`);
/// - the line has no two adjacent kana, and at most a third of its characters are
///   kana, or one is and the repaired line's adjacent hanzi pairs are all words;
/// - the repaired line has a known word (adjacent hanzi pair), or the line has a
///   marker of the chain (private use for Big5 read as GBK, [`b5_marker`] for GBK read
///   as Big5) and other characters (private-use icons are no evidence:
///   `\u{E6B6} Menu \u{E601}`); without a marker, at least half of its adjacent hanzi
///   pairs are words;
/// - without a marker, a strong candidate of the chain or Big5's quotes, the line's own
///   adjacent hanzi pairs are none of them words: a line of a rare word or name reads
///   as two or three hanzi of the other encoding as easily (`渡厄` → `傾塌`, `独栋` →
///   `黃集`, `睡氈` → `何乐`), but the short titles this is for do not read as words
///   (`唳掛` → `版本`);
/// - the repaired line costs less;
/// - its non-ASCII characters are not one character repeated (a decorative rule).
///
/// Uncommon hanzi (a classical text's, `籩`) may be up to a quarter of the repaired
/// characters of a line with two or more markers.
///
/// Then the repair of each run of non-ASCII characters replaces every candidate in the
/// line (their texts are appended to `arena`).
pub(super) fn cross_line(t: &Tables, chars: &[char], arena: &mut Vec<char>, cands: &mut Vec<Fix>) {
    let common = |c: char| common_cjk(t, c);
    let good = |c: char| {
        common(c)
            || matches!(
                c,
                '\u{2018}'..='\u{201D}' | '\u{2026}' | '\u{2014}' | '\u{B7}'
            )
    };
    let kana = |c: char| t.class(c) == class::KANA;
    // A strong candidate of another chain rules a chain out: when it rules out both
    // (a line of UTF-8 read as GBK), nothing below can apply.
    let ruled_out = |chain: &str| cands.iter().any(|f| !f.weak && f.chain != chain);
    if ruled_out("big5>gbk") && ruled_out("gbk>big5") {
        return;
    }
    // What does not depend on the chain first, by class alone (Japanese lines, with
    // runs of kana, end here, before any re-reading).
    let (mut n, mut odd, mut n_kana) = (0usize, 0usize, 0usize);
    for &c in chars.iter().filter(|c| !c.is_ascii()) {
        n += 1;
        // (`common` and `kana`, from one look at the class.)
        let k = t.class(c);
        // `〃` is CJK punctuation, but rare outside Japanese tables: it is what a GBK
        // decoder makes of Big5's `”`, as `¨` of `“`.
        odd += usize::from(!common_cjk_class(k) || c == '\u{3003}');
        n_kana += usize::from(k == class::KANA);
    }
    // A chain needs most of the line's characters odd, or a strong repair of its own
    // in the line (see the loop below): a long clean line ends here, before the other
    // passes over it.
    let strong = |chain: &str| cands.iter().any(|f| !f.weak && f.chain == chain);
    if n > 1 && 2 * odd < n && !strong("big5>gbk") && !strong("gbk>big5") {
        return;
    }
    if n == 0
        || (n > 1 && 3 * n_kana > n && n_kana != 1)
        || chars.windows(2).any(|w| kana(w[0]) && kana(w[1]))
        || one_repeated(chars)
        || latin_word(t, chars)
    {
        return;
    }
    for (d, e, chain) in [
        (Codec::Gbk, Codec::Big5, "big5>gbk"),
        (Codec::Big5, Codec::Gbk, "gbk>big5"),
    ] {
        if ruled_out(chain) {
            continue;
        }
        // Big5 reads few GBK hanzi of a Chinese page as a Latin letter (HKSCS's rows:
        // GBK's rarest hanzi, and the common ones of row C8, `塞` C8FB → `ø`), and those
        // stand inside a run of other such characters: a Latin letter beside ASCII, a
        // space or another Latin letter makes the line not GBK read as Big5 (`see §ø
        // here`, `à la`).
        if chain == "gbk>big5" && stray_latin_letter(t, chars) {
            continue;
        }
        // A strong repair of this chain in the line is evidence for the rest of it.
        let strong = strong(chain);
        if n > 1 && 2 * odd < n && !strong {
            continue;
        }
        let marker = |c: char| {
            if chain == "gbk>big5" {
                b5_marker(c)
            } else {
                t.class(c) == class::PUA
            }
        };
        let a0 = arena.len();
        let (mut markers, mut unusual) = (0usize, 0usize);
        let mut ok = true;
        // The last non-ASCII character, where it is and what it re-reads as.
        let mut last = (0usize, ' ', ' ');
        for (i, &c) in chars.iter().enumerate() {
            if c.is_ascii() {
                arena.push(c);
                continue;
            }
            let re = match t.encoded(d, c) {
                Some((a, Some(b))) => t.decode_at(e, &[a as u8, b as u8]),
                _ => None,
            };
            let Some((2, r)) =
                re.filter(|&(_, r)| good(r) || matches!(t.class(r), class::LESS | class::RARE))
            else {
                ok = false;
                break;
            };
            unusual += usize::from(!good(r));
            arena.push(r);
            last = (i, c, r);
            markers += usize::from(marker(c));
        }
        let after = arena.get(a0..).unwrap_or(&[]);
        // Uncommon hanzi (a classical text's) only among markers of the chain.
        ok &= unusual == 0 || (markers >= 2 && 4 * unusual <= n);
        // One symbol as a word between ASCII words, re-read as a connective (`-a ┪
        // --all` → `-a 或 --all`, `"a" ┪ "b"`); not beside a number (`10 ㎝`).
        let connective = |(i, c, r): (usize, char, char)| {
            let at = |j: Option<usize>| j.and_then(|j| chars.get(j)).copied();
            let word = |j| at(j).is_some_and(|w| w.is_ascii_alphabetic() || w == '-');
            let alnum = |j| at(j).is_some_and(|w| w.is_ascii_alphanumeric());
            // A word of its own, between spaces, and the characters beyond them.
            let spaced = at(i.checked_sub(1)) == Some(' ') && at(Some(i + 1)) == Some(' ');
            let (before, after) = (i.checked_sub(2), Some(i + 2));
            // At the line's start, before a list of command-line options (`同 -ignbrk
            // -brkint`: "the same as"), any odd character.
            let before_options = i == 0
                && at(Some(1)) == Some(' ')
                && !common(c)
                && chars
                    .windows(3)
                    .filter(|w| w[0] == ' ' && w[1] == '-' && w[2].is_ascii_alphabetic())
                    .nth(1)
                    .is_some();
            // A hanzi that is not common, alone between two ASCII words (`Apache 睿 Nginx`
            // → `Apache 和 Nginx`); a number may stand on one side (`Alice 黺 2020/05/04`
            // → `Alice 於 2020/05/04`).
            let hanzi_between_words = is_han(c)
                && !common(c)
                && spaced
                && alnum(before)
                && alnum(after)
                && (word(before) || word(after));
            // (A word may be quoted: `"yes" ┪ "no"` → `"yes" 或 "no"`.)
            let quoted = |j: Option<usize>, further: Option<usize>| {
                matches!(at(j), Some('"' | '\'')) && word(further)
            };
            let symbol_between_words = t.class(c) == class::SYMBOL
                && spaced
                && (word(before) || quoted(before, i.checked_sub(3)))
                && (word(after) || quoted(after, Some(i + 3)));
            function_word(r) && (before_options || hanzi_between_words || symbol_between_words)
        };
        if ok && n == 1 && connective(last) {
            // The line holds this one character: its repair is the line's.
        } else if ok && glued_function_words(chars, after, n, odd) {
            // As is a pair of them around one ASCII word, or one between two.
        } else if !ok || n < 2 {
            ok = false;
        } else {
            let (known, pairs) = bigram_counts(t, after);
            let words = pairs > 0 && known == pairs;
            // Big5's curly double quotes read as GBK (`“` → `¨`, `”` → `〃`) around
            // ASCII text (`¨~/.profile〃`): no clean text pairs these two.
            let quotes = chain == "big5>gbk" && big5_quotes_read_as_gbk(chars);
            ok = (3 * n_kana <= n || (n_kana == 1 && words))
                && (strong || known > 0 || quotes || (markers > 0 && markers < n))
                && (strong
                    || markers > 0
                    || quotes
                    || (2 * known >= pairs && bigram_counts(t, chars).0 == 0));
        }
        let (cb, ca) = (
            cost_of(t, chars.iter().copied()),
            cost_of(t, after.iter().copied()),
        );
        if !ok || ca >= cb {
            arena.truncate(a0);
            continue;
        }
        let strength = ((cb - ca) / cb).clamp(0.0, 1.0);
        cands.clear();
        let non_ascii = |i: usize| chars.get(i).is_some_and(|c| !c.is_ascii());
        let mut i = 0;
        while i < chars.len() {
            if !non_ascii(i) {
                i += 1;
                continue;
            }
            let start = i;
            while non_ascii(i) {
                i += 1;
            }
            let (before, repaired) = (
                chars.get(start..i).unwrap_or(&[]),
                arena.get(a0 + start..a0 + i).unwrap_or(&[]),
            );
            cands.push(Fix {
                start,
                end: i,
                after: a0 + start..a0 + i,
                chain,
                gain: cost_of(t, before.iter().copied()) - cost_of(t, repaired.iter().copied()),
                strength,
                confidence: strength,
                weak: false,
                beside: false,
            });
        }
        return;
    }
}

/// Whether every odd character (indices `odd`) lies in a strong candidate
/// (`strength >= 0.65`) that is not a few letters of another script (which
/// [`line_evidence`] may drop: `地Ö·` is no `地\u{5B7}` but `地址`), nor a repair of
/// GBK or Big5 bytes read as Latin-1 without a hanzi (`¨£` is no GBK pinyin `ǎ` but
/// Big5's `見`) or with exactly two (the pair's bigram may favour the other encoding:
/// `°£¼Æ` is no GBK `埃计` but Big5's `除數`; one hanzi has no bigram, and the GBK
/// reading of three or more that are strong is GBK), nor, in a line with lost bytes
/// (`lossy`), a weak candidate (which [`repair_line`] drops when its chain has no
/// strong one: two U+FFFD that GBK read as Big5 completes are UTF-8 read as Big5 in
/// `撠𤩺\u{FFFD}\u{FFFD}`, `小時`).
/// `odd` is in increasing order (as [`repair_line`] makes it); the strong candidates'
/// spans (cut at `n`, the line's length) are sorted into `spans` (scratch) and walked
/// with the odd characters, as far as the spans starting at or before each one reach.
pub(super) fn all_covered(
    odd: &[usize],
    cands: &[Fix],
    arena: &[char],
    lossy: bool,
    n: usize,
    spans: &mut Vec<(usize, usize)>,
) -> bool {
    let strong = |f: &&Fix| {
        let after = arena.get(f.after.clone()).unwrap_or(&[]);
        f.strength >= 0.65
            && !(lossy && f.weak)
            && !few_other_script_letters(after)
            && (!sb_to_cjk(f.chain)
                || matches!(after.iter().filter(|&&c| is_han(c)).count(), 1 | 3..))
    };
    spans.clear();
    spans.extend(cands.iter().filter(strong).map(|f| (f.start, f.end.min(n))));
    spans.sort_unstable();
    let mut next = spans.iter().peekable();
    // The end of the spans that start at or before the odd character looked at.
    let mut reach = 0;
    for &i in odd {
        while let Some(&(_, end)) = next.next_if(|&&(start, _)| start <= i) {
            reach = reach.max(end);
        }
        if i >= reach {
            return false;
        }
    }
    true
}

/// Sets `mark[i]` (for `i < n`) when position `i` lies in one of `fixes`.
pub(super) fn mark_spans<'a>(fixes: impl Iterator<Item = &'a Fix>, n: usize, mark: &mut Vec<bool>) {
    mark.clear();
    mark.resize(n + 1, false);
    for f in fixes {
        let end = f.end.min(n);
        for slot in mark.get_mut(f.start..end).unwrap_or(&mut []) {
            *slot = true;
        }
    }
}

/// Whether `c` is of a script from IPA to Arabic (U+0250..U+0800) or from Devanagari
/// to Lao (U+0900..U+0F00): letters that mojibake of CJK text, or a Latin-1 word's end
/// read as UTF-8 (`à©“` is U+0A53), makes by coincidence, and real text has in words.
pub(super) fn other_script(c: char) -> bool {
    matches!(c as u32, 0x250..0x800 | 0x900..0xF00)
}

/// Whether `after` has one to three non-ASCII characters, all [`other_script`].
pub(super) fn few_other_script_letters(after: &[char]) -> bool {
    let mut letters = 0;
    for &c in after.iter().filter(|c| !c.is_ascii()) {
        if letters == 3 || !other_script(c) {
            return false;
        }
        letters += 1;
    }
    letters > 0
}

/// Whether `r` is a function word: one of [`FUNCTION_CHARS`] or the traditional form
/// of one ([`TRAD_FUNCTION_CHARS`]).
fn function_word(r: char) -> bool {
    in_set(&FUNCTION_SET, r) || TRAD_FUNCTION_CHARS.contains(&r)
}

/// Whether the line `chars`, re-read one character for one as `after`, holds one or
/// two non-ASCII characters (`n`), none of them common (`odd`, as [`cross_line`]
/// counts them), that re-read as function words glued to ASCII words: one between two
/// ASCII letters or digits (`Firefox睿Chrome` → `Firefox和Chrome`), or two
/// around one ASCII run without spaces, the first before it and the second after it
/// (`婓Linux笢` → `在Linux中`). Chinese glues its prepositions and conjunctions to
/// the Latin words they join; a clean line's rare hanzi is seldom glued so, and then
/// seldom re-reads as one of these ([`FUNCTION_CHARS`], their traditional forms, `中`).
fn glued_function_words(chars: &[char], after: &[char], n: usize, odd: usize) -> bool {
    if !(1..=2).contains(&n) || odd != n || after.len() != chars.len() {
        return false;
    }
    let function = |r: char| function_word(r) || r == '中';
    let alnum = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_ascii_alphanumeric())
    };
    // Where the (one or two) non-ASCII characters are.
    let mut at = (0..chars.len()).filter(|&i| !chars[i].is_ascii());
    let (first, second) = (at.next(), at.next());
    if [first, second]
        .into_iter()
        .flatten()
        .any(|i| !after.get(i).is_some_and(|&r| function(r)))
    {
        return false;
    }
    match (first, second) {
        (Some(i), None) => alnum(i.checked_sub(1)) && alnum(Some(i + 1)),
        (Some(i), Some(j)) => {
            alnum(Some(i + 1))
                && alnum(j.checked_sub(1))
                && chars[i + 1..j].iter().all(|c| c.is_ascii_graphic())
        }
        _ => false,
    }
}

/// True when the non-ASCII characters of `span` are letters of one of the alphabets
/// that GBK holds in the rows where Big5 has its commonest hanzi (A4-A7), written as
/// that script writes them: all kana (hiragana or katakana, the middle dot and the
/// prolonged sound mark included), each run of them starting as a Japanese word can:
/// not with a small kana (`ぁ`, `ッ`, `ャ`…; `ヵ` and `ヶ`, counters, may), the
/// prolonged sound mark `ー`, an iteration mark (`ゝゞヽヾ`) or a sound mark (`゛゜`);
/// or all Greek; or all Cyrillic. False for a span without any.
fn written_in_a_gbk_alphabet(t: &Tables, span: &[char]) -> bool {
    // Small kana, the prolonged sound mark, iteration and sound marks.
    const NOT_WORD_INITIAL: &str = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮーゝゞヽヾ゛゜";
    #[derive(PartialEq, Clone, Copy)]
    enum Alphabet {
        Kana,
        Greek,
        Cyrillic,
    }
    let alphabet = |c: char| match c {
        '\u{370}'..='\u{3FF}' => Some(Alphabet::Greek),
        '\u{400}'..='\u{4FF}' => Some(Alphabet::Cyrillic),
        _ if t.class(c) == class::KANA => Some(Alphabet::Kana),
        _ => None,
    };
    let mut seen = None;
    let mut prev_ascii = true;
    for &c in span {
        if c.is_ascii() {
            prev_ascii = true;
            continue;
        }
        let a = alphabet(c);
        if a.is_none()
            || seen.is_some_and(|s| Some(s) != a)
            || (a == Some(Alphabet::Kana) && prev_ascii && NOT_WORD_INITIAL.contains(c))
        {
            return false;
        }
        (seen, prev_ascii) = (a, false);
    }
    seen.is_some()
}

/// True for chains from GBK or Big5 bytes read as Latin-1/windows-1252.
pub(super) fn sb_to_cjk(chain: &str) -> bool {
    !chain.starts_with("utf8") && (chain.ends_with("latin1") || chain.ends_with("cp1252"))
}

/// Drops weak Latin repairs (one character from a two-byte UTF-8 sequence, such as
/// `Ã¥` → `å`) when the line has another Latin-1/windows-1252 character that no
/// repair explains: the line then reads as correctly decoded Latin text. Drops
/// single-hanzi repairs from Latin-1 (`×£` → `祝`) unless the line has other CJK text.
/// Drops Big5-read-as-GBK repairs from a line with kana outside every repair.
pub(super) fn line_evidence(t: &Tables, chars: &[char], arena: &[char], fixes: &mut Vec<Fix>) {
    if fixes.is_empty() {
        return;
    }
    // The characters no repair covers: Latin-1 ones, CJK text, other scripts. (The
    // repairs are in line order and do not overlap, as `select` leaves them: the
    // characters between them are looked at, and those after the last.)
    let (mut stray_latin, mut cjk_elsewhere, mut other_script_text) = (false, false, false);
    let mut kana_elsewhere = false;
    let mut look = |gap: &[char]| {
        for &c in gap.iter().filter(|c| !c.is_ascii()) {
            let k = t.class(c);
            // (A no-break space is everyone's: text of any script has it, before a
            // span as in `4.7.3.\u{A0}»¥ÁªÍø`, which is searched again one character
            // on for that: `realign_stretches`.)
            // Nor are the marks Chinese text shares with windows-1252's bytes 80-9F
            // (curly quotes, dashes, the ellipsis: `“hosts¡±¡£` is `“hosts”。`); the
            // middle dot is, as byte B7 leads GBK's common codes (`·Ç` is `非`).
            stray_latin |= is_sb_high(k) && c != '\u{A0}' && !scan::shifting_mark(c as u32);
            cjk_elsewhere |= matches!(k, class::TOP | class::COMMON | class::CJK_PUNCT);
            other_script_text |= other_script(c);
            kana_elsewhere |= k == class::KANA;
        }
    };
    let mut from = 0;
    for f in fixes.iter() {
        look(chars.get(from..f.start).unwrap_or(&[]));
        from = from.max(f.end);
    }
    look(chars.get(from..).unwrap_or(&[]));
    let after = |f: &Fix| arena.get(f.after.clone()).unwrap_or(&[]);
    let latin_chain = |f: &Fix| f.chain.ends_with("latin1") || f.chain.ends_with("cp1252");
    // (Looked at only for a repair of a Latin chain: counted only when there is one.)
    let other_script_fixes = fixes.iter().any(latin_chain)
        && fixes
            .iter()
            .map(|f| after(f).iter().filter(|&&c| other_script(c)).count())
            .sum::<usize>()
            >= 2;
    let span = |f: &Fix| chars.get(f.start..f.end).unwrap_or(&[]);
    // Every Big5-read-as-GBK repair of the line is of the words of an alphabet (see
    // below).
    let big5_only_words = fixes
        .iter()
        .filter(|f| f.chain == "big5>gbk" && !f.beside)
        .all(|f| written_in_a_gbk_alphabet(t, span(f)));
    fixes.retain(|f| {
        // (Icons and spaces beside the line's repairs stand or fall with them: see
        // below.)
        if f.beside {
            return true;
        }
        // Big5 read as GBK makes kana of Big5's commonest hanzi, but all inside its
        // spans: kana that no repair explains make the line Japanese, and a span in it
        // a misreading (`が続いてい` → `互適中化中`).
        if f.chain == "big5>gbk" && kana_elsewhere {
            return false;
        }
        // A span of nothing but kana, as Japanese writes them, is Japanese unless the
        // line has other Big5 read as GBK: a short katakana word is as often a row of
        // Big5's five-stroke hanzi that reads as a word (`カチン` → `市民件`, `カチカチ`
        // → `市民市民`), and the line has no other evidence. Big5's kana (row A4-A5) come
        // in any order: a span that starts with a small kana (`ゅン` → `文件`) is not
        // Japanese. So are Greek and Cyrillic words (GBK's rows A6-A7: `Таити` →
        // `妥忘我找我`, `тип:` → `找我扭:`).
        if f.chain == "big5>gbk" && big5_only_words {
            return false;
        }
        // GBK or Big5 read as Latin-1 in a line whose other Latin-1 characters no repair
        // explains, and with no CJK text elsewhere, is a Latin line (`Ã¢â€šÂ¬` → `块珍`).
        if sb_to_cjk(f.chain) && stray_latin && !cjk_elsewhere {
            return false;
        }
        // A few letters of another script (Greek to Arabic) from rare hanzi, in a line
        // with no such text, are a coincidence of byte values, not a word: a fuzzer
        // find, `郐T郐` → `ۦTۦ` by utf8>gbk, which made cleaning non-idempotent because
        // the traditional form `鄶` did not trigger it.
        if !other_script_text && few_other_script_letters(after(f)) {
            return false;
        }
        let mut non_ascii = after(f).iter().filter(|c| !c.is_ascii());
        let (Some(&c), None) = (non_ascii.next(), non_ascii.next()) else {
            return true;
        };
        let latin_chain = latin_chain(f);
        if latin_chain && (c as u32) < 0x800 {
            // One letter of another script alone in the line (`×£` → `ף`) is a
            // coincidence; real Greek, Cyrillic or Hebrew mojibake comes in words.
            if other_script(c) && !other_script_fixes {
                return false;
            }
            return !stray_latin;
        }
        if latin_chain && !f.chain.starts_with("utf8") {
            return cjk_elsewhere || lone_hanzi_without_cjk(t, c, chars, f.start, f.end);
        }
        true
    });
    // Icons that [`private_use_beside`] found beside repairs, all of which are gone.
    if fixes.iter().all(|f| f.beside) {
        fixes.clear();
    }
}

/// The chain of every strong repair of a line (`None` when there is none, or more
/// than one chain).
fn sole_strong_chain(fixes: &[Fix]) -> Option<&'static str> {
    let mut chains = fixes.iter().filter(|f| !f.weak).map(|f| f.chain);
    let chain = chains.next()?;
    chains.all(|c| c == chain).then_some(chain)
}

/// The most bytes a stretch of icons beside a repair may have ([`private_use_beside`]):
/// four UTF-8 private-use characters, or six GBK or Big5 ones.
const ICON_BYTES: usize = 12;

/// Private-use characters beside the repairs of a line: in a line whose strong repairs
/// are all of one chain from Latin-1 or windows-1252 (`utf8>cp1252`, `gbk>latin1`…) or
/// of UTF-8 read as GBK, each stretch of non-ASCII characters outside every repair
/// (with the ASCII trail byte after it, for GBK and Big5) whose bytes the same chain
/// reads back as private-use characters and nothing else becomes them, with that
/// chain; so does a stretch of two or more no-break spaces (UTF-8's `C2 A0` is GBK's
/// `聽`). Pages put icons of their own fonts there (GBK's user-defined rows, `ª¥` is
/// U+E004; UTF-8's `î—¥` is U+E5E5, which GBK reads as `顥ヮ棩`) and no-break spaces
/// before a title, and the rest of the line is the same page's text read the same
/// wrong way: left as it was, the stretch stays mojibake, and stray Latin-1 makes
/// [`line_evidence`] take the line for Latin text. `bytes` is scratch.
pub(super) fn private_use_beside(
    t: &Tables,
    chars: &[char],
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    bytes: &mut Vec<u16>,
) {
    // One chain of one layer, the same for every strong repair: the codec that made
    // the line's characters of the bytes, and the encoding the bytes were in.
    let Some(chain) = sole_strong_chain(fixes) else {
        return;
    };
    let (codec, enc) = match chain {
        "utf8>latin1" | "utf8>cp1252" => (Codec::Sb, encoding_rs::UTF_8),
        "utf8>gbk" => (Codec::Gbk, encoding_rs::UTF_8),
        "gbk>latin1" | "gbk>cp1252" => (Codec::Sb, encoding_rs::GBK),
        "big5>latin1" | "big5>cp1252" => (Codec::Sb, encoding_rs::BIG5),
        _ => return,
    };
    let n = fixes.len();
    let mut i = 0;
    while i < chars.len() {
        // The next stretch of non-ASCII characters outside every repair.
        let covered = |j: usize| {
            fixes
                .get(..n)
                .unwrap_or(&[])
                .iter()
                .any(|f| f.start <= j && j < f.end)
        };
        if chars.get(i).is_none_or(|c| c.is_ascii()) || covered(i) {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(|c| !c.is_ascii()) && !covered(i) {
            i += 1;
        }
        bytes.clear();
        if !chars
            .get(start..i)
            .unwrap_or(&[])
            .iter()
            .all(|&c| t.encode(codec, c, bytes))
        {
            continue;
        }
        // GBK's and Big5's user-defined rows have ASCII trail bytes too (`£|` is GBK
        // A37C, U+E5C2): a stretch of an odd number of bytes takes the ASCII character
        // after it.
        let double_byte = enc != encoding_rs::UTF_8;
        let end = match chars.get(i) {
            Some(&c) if double_byte && bytes.len() % 2 == 1 && ('@'..='~').contains(&c) => {
                bytes.push(c as u16);
                i + 1
            }
            _ => i,
        };
        // (Icons come a few at a time: a longer stretch is no such run.)
        let mut buf = [0u8; ICON_BYTES];
        let Some(head) = buf.get_mut(..bytes.len()) else {
            continue;
        };
        for (slot, &b) in head.iter_mut().zip(bytes.iter()) {
            *slot = b as u8;
        }
        let Some(text) = enc.decode_without_bom_handling_and_without_replacement(head) else {
            continue;
        };
        let nbsp = text.chars().filter(|&c| c == '\u{A0}').count();
        if !text.chars().all(|c| is_private_use(c) || c == '\u{A0}')
            || (nbsp > 0 && nbsp < 2)
            || text.is_empty()
        {
            continue;
        }
        let a0 = arena.len();
        arena.extend(text.chars());
        fixes.push(Fix {
            beside: true,
            ..Fix::by_rule(start, end, a0..arena.len(), chain, 0.5)
        });
        i = end;
    }
    sort_if_added(fixes, n);
}

/// The fewest non-ASCII characters the strong repairs of a line must hold before
/// [`cross_leftovers`] reads the rest of the line the same way.
const CROSS_LEFTOVER_MIN_REPAIRED: usize = 4;

/// The most characters of a line outside its repairs that [`cross_leftovers`] reads
/// again.
const CROSS_LEFTOVER_MAX: usize = 2;

/// The characters a line's repairs of GBK read as Big5 (or Big5 read as GBK) left out.
/// A line whose strong repairs are all of one such chain, hold at least
/// [`CROSS_LEFTOVER_MIN_REPAIRED`] non-ASCII characters and leave out at most
/// [`CROSS_LEFTOVER_MAX`] others (U+FFFD aside) is a whole line of the chain (a page is
/// decoded with the wrong table, and neither chain damages a span inside clean text):
/// each stretch of the characters left out that the chain reads back character by
/// character, as characters neither private-use nor U+FFFD, becomes that reading,
/// beside the repairs ([`Fix::beside`]). The search leaves such a character out when it
/// stands alone between ASCII text or at the line's edge and costs less than its
/// reading: Big5's `→` read as GBK is `△` (`FORTRAN△C`); GBK's `地` read as Big5 is
/// `華`, and `〓` is `／`. On the thirteen comparison sets this made 27 lines right and
/// none wrong; without the limit on what is left out it also changed 31 lines of UTF-8
/// read as Big5 (where the chain's repairs are chance readings), 14 of them for the
/// worse. `mark` is scratch.
pub(super) fn cross_leftovers(
    t: &Tables,
    chars: &[char],
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    mark: &mut Vec<bool>,
) {
    let Some(chain) = sole_strong_chain(fixes) else {
        return;
    };
    // The codec that read the line's characters, and the one its bytes were in.
    let (read, was) = match chain {
        "gbk>big5" => (Codec::Big5, Codec::Gbk),
        "big5>gbk" => (Codec::Gbk, Codec::Big5),
        _ => return,
    };
    let repaired: usize = fixes
        .iter()
        .filter(|f| !f.weak)
        .map(|f| {
            let held = chars.get(f.start..f.end).unwrap_or(&[]);
            held.iter().filter(|c| !c.is_ascii()).count()
        })
        .sum();
    if repaired < CROSS_LEFTOVER_MIN_REPAIRED {
        return;
    }
    mark_spans(fixes.iter(), chars.len(), mark);
    let open = |j: usize| {
        chars
            .get(j)
            .is_some_and(|&c| !c.is_ascii() && c != '\u{FFFD}')
            && !mark.get(j).is_some_and(|&m| m)
    };
    // A line with more left out is no whole line of the chain (its repairs may be
    // chance readings of a line of lossier damage, UTF-8 read as Big5).
    if (0..chars.len()).filter(|&j| open(j)).count() > CROSS_LEFTOVER_MAX {
        return;
    }
    let n = fixes.len();
    let mut i = 0;
    while i < chars.len() {
        if !open(i) {
            i += 1;
            continue;
        }
        let start = i;
        while open(i) {
            i += 1;
        }
        let a0 = arena.len();
        for &c in chars.get(start..i).unwrap_or(&[]) {
            let reading = match t.encoded(read, c) {
                Some((a, Some(b))) => t.decode_at(was, &[a as u8, b as u8]),
                _ => None,
            };
            match reading {
                Some((2, r)) if r != c && r != '\u{FFFD}' && !is_private_use(r) => arena.push(r),
                _ => break,
            }
        }
        if arena.len() - a0 == i - start {
            fixes.push(Fix {
                beside: true,
                ..Fix::by_rule(start, i, a0..arena.len(), chain, 0.5)
            });
        } else {
            arena.truncate(a0);
        }
    }
    sort_if_added(fixes, n);
}

/// Adds the repair of a line rule that replaces `start..end` with the one character
/// `c` (appended to `arena`), of `chain` and `confidence` (see [`Fix::by_rule`]).
fn push_one_char_fix(
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    (start, end): (usize, usize),
    c: char,
    chain: &'static str,
    confidence: f32,
) {
    arena.push(c);
    let after = arena.len() - 1..arena.len();
    fixes.push(Fix::by_rule(start, end, after, chain, confidence));
}

/// Puts `fixes` back in line order when a rule added some after its first `n`.
pub(super) fn sort_if_added(fixes: &mut [Fix], n: usize) {
    if fixes.len() > n {
        fixes.sort_by_key(|f| f.start);
    }
}

/// A C1 control left outside every repair is a windows-1252 byte decoded as Latin-1:
/// it becomes its windows-1252 character (`\u{85}` → `…`).
pub(super) fn c1_controls(
    chars: &[char],
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    mark: &mut Vec<bool>,
) {
    if !chars.iter().any(|&c| ('\u{80}'..'\u{A0}').contains(&c)) {
        return;
    }
    mark_spans(fixes.iter(), chars.len(), mark);
    let n = fixes.len();
    for (i, &c) in chars.iter().enumerate() {
        let cp = c as u32;
        if !(0x80..0xA0).contains(&cp) || mark.get(i).copied().unwrap_or(false) {
            continue;
        }
        let mapped = tables::CP1252_HIGH[cp as usize - 0x80];
        if let Some(m) = char::from_u32(mapped as u32).filter(|_| mapped != 0) {
            push_one_char_fix(fixes, arena, (i, i + 1), m, "cp1252>latin1", 0.9);
        }
    }
    sort_if_added(fixes, n);
}

/// A GB18030 four-byte character read as Latin-1 or windows-1252 (`©` is 81 30 84 38,
/// `\u{81}0„8`): outside every repair, U+0081, a digit, a character of byte 81-FE and a
/// digit become the character GB18030 has for those bytes. No text has U+0081 of its
/// own (windows-1252 leaves 0x81 undefined, Latin-1 makes it a control), and GB18030
/// writes every character outside GBK so, the signs of Latin-1 among them (`©`, the
/// no-break space, `•`), which Chinese pages put in their footers.
pub(super) fn four_byte_read_as_sb(
    t: &Tables,
    chars: &[char],
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    mark: &mut Vec<bool>,
) {
    if !chars.contains(&'\u{81}') {
        return;
    }
    let n = fixes.len();
    mark_spans(fixes.iter(), chars.len(), mark);
    let mut i = 0;
    while let Some(w) = chars.get(i..i + 4) {
        let third = match w {
            ['\u{81}', a, c, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                match t.encoded(Codec::Sb, *c) {
                    Some((x, None)) if (0x81..=0xFE).contains(&x) => Some(x as u8),
                    _ => None,
                }
            }
            _ => None,
        };
        let free = !mark.get(i..i + 4).unwrap_or(&[]).iter().any(|&m| m);
        let decoded = third.filter(|_| free).and_then(|x| {
            let four = [0x81, w[1] as u8, x, w[3] as u8];
            let (text, errors) = encoding_rs::GB18030.decode_without_bom_handling(&four);
            let mut cs = text.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) if !errors && !c.is_control() && !c.is_ascii() => Some(c),
                _ => None,
            }
        });
        match decoded {
            Some(c) => {
                push_one_char_fix(fixes, arena, (i, i + 4), c, "gbk>cp1252", 0.9);
                i += 4;
            }
            None => i += 1,
        }
    }
    sort_if_added(fixes, n);
}

/// GB18030 four-byte characters common in Chinese text, by their second and fourth
/// bytes (the first and third are lost, see [`four_byte_lost`]); where two share them
/// the commoner in Chinese text is listed.
pub(super) const FOUR_BYTE_LOST: [(u8, u8, char); 10] = [
    (b'0', b'2', '\u{A0}'),   // 81 30 84 32 NBSP (also ö, soft hyphen, å)
    (b'0', b'8', '\u{A9}'),   // 81 30 84 38 ©
    (b'6', b'1', '\u{2022}'), // 81 36 A6 31 •
    (b'6', b'4', '\u{2027}'), // 81 36 A6 34 ‧ (also ™)
    (b'6', b'5', '\u{2009}'), // 81 36 A4 35 thin space
    (b'6', b'7', '\u{200B}'), // 81 36 A4 37 zero-width space
    (b'6', b'8', '\u{2002}'), // 81 36 A3 38 en space
    (b'6', b'9', '\u{2003}'), // 81 36 A3 39 em space
    (b'9', b'9', '\u{30FB}'), // 81 39 A7 39 ・
    (b'1', b'3', '\u{FEFF}'), // 84 31 95 33 BOM
];

/// A GB18030 four-byte character read by a decoder without them (Big5, UTF-8…) leaves
/// `\u{FFFD}` digit `\u{FFFD}` digit: each high byte is lost and the digit after it
/// read on its own. Outside every repair, such a pattern becomes the character of
/// [`FOUR_BYTE_LOST`] with those digits (a guess: the lost bytes are not known).
pub(super) fn four_byte_lost(
    chars: &[char],
    fixes: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    mark: &mut Vec<bool>,
) {
    if !chars.contains(&'\u{FFFD}') {
        return;
    }
    let chain = if fixes.iter().any(|f| f.chain == "gbk>big5") {
        "gbk>big5"
    } else {
        "unknown"
    };
    let n = fixes.len();
    let mut marked = false; // `mark` holds the spans of the first `n` fixes
    let mut i = 0;
    while let Some(w) = chars.get(i..i + 4) {
        // Only a U+FFFD starts the pattern: skip to the next one.
        if w[0] != '\u{FFFD}' {
            match chars
                .get(i + 1..)
                .and_then(|r| r.iter().position(|&c| c == '\u{FFFD}'))
            {
                Some(p) => i += 1 + p,
                None => break,
            }
            continue;
        }
        let found = match w {
            ['\u{FFFD}', a, '\u{FFFD}', b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                FOUR_BYTE_LOST
                    .iter()
                    .find(|x| x.0 == *a as u8 && x.1 == *b as u8)
                    .map(|x| x.2)
            }
            _ => None,
        };
        if found.is_some() && !marked {
            mark_spans(fixes.get(..n).unwrap_or(&[]).iter(), chars.len(), mark);
            marked = true;
        }
        match found {
            Some(c) if !mark.get(i..i + 4).unwrap_or(&[]).iter().any(|&m| m) => {
                push_one_char_fix(fixes, arena, (i, i + 4), c, chain, 0.5);
                i += 4;
            }
            _ => i += 1,
        }
    }
    sort_if_added(fixes, n);
}
