//! The context pass: re-picks the characters guessed for lost bytes with their context
//! (bigrams with the characters around, running text's pairs and triples, brackets,
//! function and measure words, dates, the text's script), guesses next to each other
//! decided together.

use super::*;

/// Weight of a bigram bonus against twice a character's cost when picking guesses.
pub(super) const GUESS_BIGRAM_WEIGHT: f32 = 2.5;

/// The same across a space: bigrams are word-internal, and a space between hanzi is
/// mostly a word boundary (`100个 字节` is not `个字`).
pub(super) const GUESS_SPACED_BIGRAM_WEIGHT: f32 = 1.0;

/// Weight of a running-text triple's further bonus ([`running::triple_bonus`]) of a
/// guess and the two hanzi after it.
pub(super) const RUNNING_AHEAD_TRIPLE_WEIGHT: f32 = 1.0;

/// Weight of a running-text pair's bonus ([`running`]) of the character before a guess
/// and the guess, against twice a character's cost. (On our four case sets 0.4, 0.5
/// and 0.6 completed about as many lines, 1.0 fewer than none.)
pub(super) const RUNNING_WEIGHT: f32 = 0.5;

/// The same across a space (word-spaced text: `设备和文件 上 做`).
pub(super) const RUNNING_SPACED_WEIGHT: f32 = 0.3;

/// Share of [`RUNNING_WEIGHT`] (or [`RUNNING_SPACED_WEIGHT`]) for a pair that is a
/// dictionary word of its own ([`CLOSED_WORD_BIGRAM`]) when the two hanzi before the
/// guess make a word too: the two words overlap, and running text's count of the
/// pair (`省委`) is mostly of the pair's word, which the word before rules out
/// (`缺省为`). (On our four case sets 0.5 completed the most lines; 0.3, 0.7 and 1.0
/// fewer, 0 fewer still.)
pub(super) const RUNNING_OVERLAP_SHARE: f32 = 0.5;

/// Weight of a running-text triple's further bonus ([`running::after`]) of the two
/// hanzi right before a guess and the guess (`使用了`, not `使用于`). (On our four case
/// sets 0.4 to 0.8 completed about as many lines, 0.2 fewer.)
pub(super) const RUNNING_TRIPLE_WEIGHT: f32 = 0.6;

/// Weight of the running-text pair of a guess and the hanzi right after it. (Bytes
/// are mostly lost before ASCII: this is for strict decoders' losses and for spans.)
pub(super) const RUNNING_NEXT_WEIGHT: f32 = 0.3;

/// Share of the dictionary's bigram weight before a guess alone when the two hanzi
/// before it make a word ([`CLOSED_WORD_BIGRAM`]) and the text is not traditional:
/// the guess then starts the next word, and the dictionary's word-internal bigram of
/// the character before it (`用于` after `使用`) is weaker evidence than running text's
/// pairs (`指定了` was `指定于`). Traditional text keeps the whole weight: its
/// running-text figures are mostly converted from simplified text. (On our four case
/// sets, 0.5 completed the most lines; 0.3 and 0.7 fewer.)
pub(super) const DICT_BIGRAM_SHARE: f32 = 0.5;

/// Share of the dictionary's bigram weight before a guess alone in text whose decoded
/// characters are more simplified than traditional, otherwise ([`DICT_BIGRAM_SHARE`]
/// after a word; text of neither script keeps the whole weight): running text's pairs
/// are technical text's there (the SDK's API reference), and the dictionary's
/// word-internal bigram is weaker evidence beside them (`可逆` before a comma outweighed
/// running text's `可选`). (On our four case sets 0.8 completed as many lines as 1.0,
/// 0.6 fewer; at 0.8 three lines of ours with `可选` come back, which 1.0 lost.)
pub(super) const SIMPLIFIED_DICT_BIGRAM_SHARE: f32 = 0.8;

/// The least dictionary bigram of the two hanzi before a guess that makes them a word
/// for [`DICT_BIGRAM_SHARE`]. (With any bigram, `参考实参` lost its `参`: `考实` is a
/// rare one; on our four case sets 0.5 and 1 completed about as many lines.)
pub(super) const CLOSED_WORD_BIGRAM: f32 = 1.0;

/// Extra cost of completing a lost byte as 0x80 behind a GBK decoder that shows
/// browser behaviour (the line has `€` or private-use characters).
pub(super) const LOST_80_PENALTY: f32 = 3.0;

/// Extra cost of a completion the byte after it rules out unless the loss happened at
/// the end of a separately decoded stretch.
pub(super) const BOUNDARY_PENALTY: f32 = 1.0;

/// The same for a byte a Big5 decoder lost: GBK read as Big5 misreads whole lines far
/// more often than a span inside clean text, so the byte after the lost one was, as a
/// rule, read by the same decoder, which would have paired it with a lead byte that
/// makes a pair (`前先` before `检`: `前线`'s trail DF would have paired with `检`'s lead
/// BC). (On our four case sets 1.5 to 3 completed one more gbk>big5 line than 1.0, 4 one
/// fewer than 3.)
pub(super) const BIG5_BOUNDARY_PENALTY: f32 = 2.0;

/// Bonus (against twice a character's cost) for a guess the decoded text already has.
pub(super) const SEEN_BONUS: f32 = 1.0;

/// Bonus (against twice a character's cost) for a hanzi guess that the decoded text
/// already has after the hanzi right before the guess: a text repeats its words, names
/// and terms (`在网格线上…沿网格[线]`), which the character model may not know. (On our
/// thirteen comparison sets 1.0 made 15 more lines right, 2.0 20, 3.0 24 and 4.0 26,
/// none of them wrong; 6.0 made 32 right and 4 wrong, by pairs across words: after
/// `利用官方`, `用[它]` became `用官`.)
pub(super) const PAIR_SEEN_BONUS: f32 = 3.0;

/// Bonus (against twice a character's cost) for a guess that is a function word
/// ([`FUNCTION_CHARS`]); doubled when the guess stands alone between non-hanzi (spaces,
/// Latin words, digits, punctuation or the line's edge), where a function word is what
/// usually stands.
pub(super) const FUNCTION_BONUS: f32 = 1.0;

/// Bonus for a measure word or unit ([`MEASURE_CHARS`]) guessed right after an ASCII
/// digit (spaces skipped): `2022年9月`, `第 4.3 节`, `8秒`.
pub(super) const MEASURE_BONUS: f32 = 3.0;

/// Characters that jieba 0.42.1's dictionary lists as one-character words tagged as
/// conjunction, preposition or particle (c, p, u*), with frequency at least 2,000, less
/// a few tags that are not function words in modern text (根 然 般 顺 针) and `之` and `及`,
/// which modern text binds into words (`之一`, `之间`, `总之`; `以及`, `及时`, `涉及`):
/// standing alone they are no word, and the guess there is another (`也 可以`, `可 获得`);
/// sorted.
pub(super) const FUNCTION_CHARS: [char; 35] = [
    '与', '为', '了', '于', '从', '以', '但', '凭', '同', '向', '和', '因', '在', '对', '并', '或',
    '所', '把', '按', '据', '既', '替', '比', '用', '由', '的', '等', '给', '而', '自', '至', '若',
    '被', '跟', '除',
];

/// The function words of [`FUNCTION_CHARS`] that end a phrase as often as they stand
/// inside one (particles: `…的,`, `…了.`, `…等;`); the others (prepositions and
/// conjunctions) take what follows them.
pub(super) const PHRASE_END_PARTICLES: [char; 3] = ['了', '的', '等'];

/// Whether `c`, right after a guess, leaves no object to a preposition or conjunction
/// guessed there: a mark that ends a clause (`guess_context`'s `ends_clause`) or a
/// closing bracket or quote.
pub(super) fn ends_object_slot(c: char) -> bool {
    guess_context::ends_clause(c)
        || matches!(c, ')' | ']' | '、' | '）' | '」' | '』' | '》' | '】' | '”')
}

/// [`FUNCTION_CHARS`] as a bit set over the BMP ([`in_set`]).
pub(super) static FUNCTION_SET: [u64; 1024] = char_set(&FUNCTION_CHARS);

/// The bit set over the BMP of the BMP characters of `chars`, built at compile time.
pub(super) const fn char_set(chars: &[char]) -> [u64; 1024] {
    let mut set = [0u64; 1024];
    let mut i = 0;
    while i < chars.len() {
        let cp = chars[i] as usize;
        if cp < 0x10000 {
            set[cp / 64] |= 1 << (cp % 64);
        }
        i += 1;
    }
    set
}

/// Whether `c` is in the bit set `set` ([`char_set`]).
#[inline]
pub(super) fn in_set(set: &[u64; 1024], c: char) -> bool {
    set.get(c as usize / 64)
        .is_some_and(|w| w & (1 << (c as u32 % 64)) != 0)
}

/// The traditional forms of [`FUNCTION_CHARS`] that differ.
pub(super) const TRAD_FUNCTION_CHARS: [char; 8] = ['與', '為', '於', '從', '對', '並', '據', '給'];

/// Whether `c` joins two numbers into a range or a list (`6-7`, `7、14`, `3～5`).
pub(super) fn joins_numbers(c: char) -> bool {
    matches!(c, '-' | '~' | '～' | '－' | '—' | '、' | ',' | '，')
}

/// Bonus (on top of [`MEASURE_BONUS`]) for the date part that follows the one before a
/// number: a month after `年`, a day after `月`. It outweighs [`SEEN_BONUS`]: a text
/// that has `时` elsewhere still writes `12月6日`.
pub(super) const DATE_BONUS: f32 = 2.0;

/// Measure words, units and date parts that follow Arabic numerals (written by hand);
/// sorted.
pub(super) const MEASURE_CHARS: [char; 33] = [
    '个', '件', '位', '倍', '元', '分', '列', '台', '号', '周', '天', '字', '层', '岁', '年', '度',
    '张', '日', '时', '月', '条', '次', '步', '点', '种', '秒', '章', '米', '级', '节', '行', '页',
    '项',
];

/// Whether `c` is a CJK unified or compatibility ideograph of the BMP.
pub(super) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF)
}

/// Extra cost (against twice a character's cost) of guessing a full-width Latin letter
/// or one of the symbols `＠＼＾＿｀` of its GBK row (A3).
pub(super) const FULLWIDTH_LETTER_PENALTY: f32 = 3.0;

/// Further cost of a full-width Latin letter (or `＠＼＾＿｀`, of the same GBK row)
/// guessed where neither neighbour is a letter or digit (ASCII or full-width):
/// full-width letters come in words (`ＡＢＣ`), and between hanzi the guess is a hanzi
/// whose GBK lead a Big5 decoder lost (row C8: `仁` C8CA shares its trail byte with
/// `Ｊ` A3CA).
pub(super) const LONE_FULLWIDTH_LETTER_PENALTY: f32 = 3.0;

/// Whether `c` is an ASCII or full-width letter or digit.
pub(super) fn alnum_or_fullwidth(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
}

/// The hanzi of token `i`, when it is one and was decoded, not guessed.
fn decoded_han(toks: &[Tok], i: usize) -> Option<char> {
    toks.get(i)
        .filter(|x| !x.guessed)
        .and_then(|x| x.ch)
        .filter(|&c| is_han(c))
}

/// Closing brackets and quotes with their openers, for [`context_pass`].
pub(super) const BRACKETS: [(char, char); 7] = [
    ('《', '》'),
    ('（', '）'),
    ('“', '”'),
    ('「', '」'),
    ('【', '】'),
    ('『', '』'),
    ('〈', '〉'),
];

/// The characters of [`BRACKETS`] as a bit set over the BMP ([`in_set`]).
pub(super) static BRACKET_SET: [u64; 1024] = {
    let mut set = [0u64; 1024];
    let mut i = 0;
    while i < BRACKETS.len() {
        let (open, close) = (BRACKETS[i].0 as usize, BRACKETS[i].1 as usize);
        set[open / 64] |= 1 << (open % 64);
        set[close / 64] |= 1 << (close % 64);
        i += 1;
    }
    set
};

/// Re-picks the guessed characters with their context: bigrams with the nearest
/// characters (spaces skipped) and bracket pairing. Guesses next to each other are
/// decided together (Viterbi over their alternatives). Linear in the number of tokens
/// and alternatives.
pub(super) fn context_pass(
    t: &Tables,
    toks: &mut [Tok],
    g: &mut GuessBuf,
    line: Option<(&[char], &[u32])>,
) {
    let is_space = |c: char| matches!(c, ' ' | '\u{A0}' | '\u{3000}');
    // The context a token gives: its character, or for an undecodable byte the line's
    // hanzi there; `None` to look further (spaces, undecodable bytes without a line).
    let ctx = |x: &Tok| -> Option<Option<char>> {
        // Decoded text is letters, hanzi and punctuation; anything else next to a guess
        // is clean text misread as bytes (`展` → GBK D5 B9 → UTF-8 `չ`).
        let decoded = |c: char| {
            c.is_ascii()
                || is_han(c)
                || matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x303F | 0xFF00..=0xFFEF)
        };
        match x.ch {
            Some(c) if is_space(c) => None,
            Some(c) if line.is_none() || decoded(c) => Some(Some(c)),
            _ => {
                let (chars, bchar) = line?;
                let c = bchar
                    .get(x.b0 as usize)
                    .and_then(|&i| chars.get(i as usize))?;
                Some(Some(*c).filter(|&c| is_han(c) && t.class(c) != class::RARE))
            }
        }
    };
    // The script of the decoded text: guesses of the other script cost more.
    let (mut simp, mut trad) = (0, 0);
    g.seen.clear();
    if g.seen_bits.is_empty() {
        g.seen_bits.resize(0x10000 / 64, 0);
    }
    // Both matter only for guesses that may be hanzi or box drawing (the others have
    // no script and are never seen): a line-final `。` or `，` needs neither.
    let seen_range = |c: char| matches!(c as u32, 0x3400..=0x9FFF | 0x2500..=0x257F);
    let needs_text = g
        .pending
        .iter()
        .zip(&g.sorted)
        .any(|(&(_, a0, a1), &sorted)| {
            let alts = g.alts.get(a0 as usize..a1 as usize).unwrap_or(&[]);
            // A guess's alternatives are sorted as a rule: when their whole range misses
            // both, no alternative needs checking.
            let (Some(&(lo, _)), Some(&(hi, _))) = (alts.first(), alts.last()) else {
                return false;
            };
            let in_range = |a: u32, b: u32| lo as u32 <= b && hi as u32 >= a;
            if sorted
                && !in_range(0x3400, 0x9FFF)
                && !in_range(0x2500, 0x257F)
                && !t.may_have_script(lo, hi)
            {
                return false;
            }
            alts.iter()
                .any(|&(c, _)| seen_range(c) || t.may_have_script(c, c))
        });
    let text_toks = if needs_text { &toks[..] } else { &[] };
    // The hanzi right before the guesses (the heads of the pairs looked for), and the
    // decoded text's pairs of hanzi that start with one of them.
    g.seen_pairs.clear();
    g.pair_heads.clear();
    if !text_toks.is_empty() {
        let heads = g
            .pending
            .iter()
            .filter_map(|&(k, _, _)| decoded_han(toks, k.checked_sub(1)?));
        g.pair_heads.extend(heads);
        g.pair_heads.sort_unstable();
        g.pair_heads.dedup();
    }
    // (Without such a hanzi no pair is looked for.)
    let want_pairs = !g.pair_heads.is_empty();
    // The decoded hanzi right before the current token.
    let mut han_before = None;
    for x in text_toks {
        if x.guessed {
            han_before = None;
            continue;
        }
        match x.ch.map_or(0, |c| t.script(c)) {
            1 => simp += 1,
            2 => trad += 1,
            _ => {}
        }
        // Hanzi and box drawing repeat within a text; punctuation proves nothing.
        if let Some(c) =
            x.ch.filter(|&c| matches!(c as u32, 0x3400..=0x9FFF | 0x2500..=0x257F))
        {
            let (w, bit) = (c as usize / 64, 1u64 << (c as u32 % 64));
            if let Some(word) = g.seen_bits.get_mut(w) {
                if *word & bit == 0 {
                    *word |= bit;
                    g.seen.push(c);
                }
            }
        }
        if want_pairs {
            let han = x.ch.filter(|&c| is_han(c));
            if let (Some(a), Some(b)) = (han_before, han) {
                if g.pair_heads.binary_search(&a).is_ok() {
                    g.seen_pairs.push((a, b));
                }
            }
            han_before = han;
        }
    }
    g.seen_pairs.sort_unstable();
    g.seen_pairs.dedup();

    // What follows tokens decoded without their line (an inner layer, a window): the
    // ASCII text after the span when known, else nothing.
    let follows = g.follows();
    let wrong_script = if simp > trad {
        2
    } else if trad > simp {
        1
    } else {
        3
    };
    // Bracket depths of the tokens before `cursor`.
    let mut depth = [0i32; BRACKETS.len()];
    // Brackets the line opened before this run of it (a character the run's decoder
    // cannot encode ends a run: `（朝鲜语：러…` opens a bracket that `…)）` closes).
    if let Some((chars, bchar)) = line {
        let start = bchar.first().map_or(0, |&i| i as usize);
        for &c in chars.get(..start).unwrap_or(&[]) {
            if in_set(&BRACKET_SET, c) {
                count_bracket(&mut depth, c);
            }
        }
    }
    let mut cursor = 0usize;
    let mut read = TokenChars::default();
    let pending = &g.pending;
    g.scores.clear();
    g.scores.resize(g.alts.len(), (0.0, 0));
    let mut gi = 0;
    while gi < pending.len() {
        // A group of guesses with only spaces between them.
        let mut h = gi + 1;
        while h < pending.len() {
            let (a, b) = (pending[h - 1].0, pending[h].0);
            let between = toks.get(a + 1..b).unwrap_or(&[]);
            if between.iter().all(|x| x.ch.is_some_and(is_space)) {
                h += 1;
            } else {
                break;
            }
        }
        let group = &pending[gi..h];
        let first = group[0].0;
        let last = group[group.len() - 1].0;
        let prev = toks
            .get(..first)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find_map(ctx)
            .flatten()
            .or(g.edge.0.filter(|_| {
                toks.get(..first)
                    .unwrap_or(&[])
                    .iter()
                    .all(|x| x.ch.is_some_and(is_space))
            }));
        let next = toks
            .get(last + 1..)
            .unwrap_or(&[])
            .iter()
            .find_map(ctx)
            .flatten()
            .or(g.edge.1.filter(|_| {
                toks.get(last + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .all(|x| x.ch.is_some_and(is_space))
            }));
        let spaced = |x: Option<&Tok>| x.is_some_and(|x| x.ch.is_some_and(is_space));
        let w_prev = if spaced(first.checked_sub(1).and_then(|p| toks.get(p))) {
            GUESS_SPACED_BIGRAM_WEIGHT
        } else {
            GUESS_BIGRAM_WEIGHT
        };
        let w_next = if spaced(toks.get(last + 1)) {
            GUESS_SPACED_BIGRAM_WEIGHT
        } else {
            GUESS_BIGRAM_WEIGHT
        };
        // Viterbi: scores[j] = (score, back pointer) for alternative j of each guess.
        for (n, &(k, a0, a1)) in group.iter().enumerate() {
            while cursor < k {
                // (The clean text around a span does not decode as the span does, but
                // its brackets are open all the same.)
                if let Some(c) = toks.get(cursor).and_then(|x| read.next(x, line)) {
                    if in_set(&BRACKET_SET, c) {
                        count_bracket(&mut depth, c);
                    }
                }
                cursor += 1;
            }
            let alts = g.alts.get(a0 as usize..a1 as usize).unwrap_or(&[]);
            let (lo, hi) = match (alts.first(), alts.last()) {
                (Some(f), Some(l)) => (f.0, l.0),
                _ => continue,
            };
            // A guess standing alone between non-hanzi, and one right after a digit.
            let not_han = |x: Option<&Tok>| {
                x.is_none_or(|x| ctx(x).flatten().is_none_or(|c| !is_han(c)) && x.ch.is_some())
            };
            let alone =
                not_han(k.checked_sub(1).and_then(|p| toks.get(p))) && not_han(toks.get(k + 1));
            // The ASCII word before the group, if any.
            let word_before = phrases::ascii_word_before(toks, first);
            // (A number, not a name or a hexadecimal number that ends in a digit:
            // `var1 且`, `0xe000 到`.)
            let after_digit = n == 0
                && prev.is_some_and(|p| p.is_ascii_digit())
                && !word_before.is_some_and(phrases::has_letter);
            // A letter or digit right beside the guess (a full-width word).
            let beside = |x: Option<&Tok>| x.and_then(|x| x.ch).is_some_and(alnum_or_fullwidth);
            let letter_beside =
                beside(k.checked_sub(1).and_then(|p| toks.get(p))) || beside(toks.get(k + 1));
            let function_bonus = if alone {
                2.0 * FUNCTION_BONUS
            } else {
                FUNCTION_BONUS
            };
            let seen_bits = &g.seen_bits;
            // A character's own score.
            let before_mark = toks
                .get(k + 1)
                .and_then(|x| x.ch)
                .is_some_and(ends_object_slot);
            let ctx_own = OwnContext {
                depth: &depth,
                wrong_script,
                seen_bits,
                function_bonus,
                before_mark,
                after_digit,
                letter_beside,
            };
            // Whether the alternatives are in strictly increasing order (as a rule they
            // are): then `lo..=hi` holds them all.
            let sorted = g.sorted.get(gi + n).copied().unwrap_or(false);
            // The characters' own scores, then the word-end and punctuation evidence.
            g.own.clear();
            if sorted && OwnContext::unscripted_range(t, lo, hi) {
                // Marks and symbols (a lost last byte of `，` or `。`): see
                // `OwnContext::own_unscripted`.
                ctx_own.own_unscripted_all(alts, &mut g.own);
            } else if sorted && OwnContext::hanzi_range(lo, hi) {
                // Hanzi (a lost last byte of one): see `OwnContext::own_hanzi`.
                ctx_own.own_hanzi_all(t, alts, &mut g.own);
            } else {
                g.own
                    .extend(alts.iter().map(|&(c, cost)| ctx_own.own(t, c, cost)));
            }
            // The words a few tokens away (`phrases`).
            phrases::Around {
                toks,
                k,
                word_before,
                starts_group: n == 0,
                ends_group: n + 1 == group.len(),
                prev,
                next,
            }
            .apply(alts, sorted, &mut g.own);
            // A pair the text has elsewhere: the hanzi right before the guess, then the
            // guess.
            if let Some(a) = k.checked_sub(1).and_then(|p| decoded_han(toks, p)) {
                let from = g.seen_pairs.partition_point(|p| p.0 < a);
                let pairs = g.seen_pairs.get(from..).unwrap_or(&[]);
                for &(_, c) in pairs.iter().take_while(|p| p.0 == a) {
                    if let Some(own) = find_alt(alts, sorted, c).and_then(|j| g.own.get_mut(j)) {
                        *own -= PAIR_SEEN_BONUS;
                    }
                }
            }
            // A date's parts follow each other: after `年` and a number a month, after
            // `月` and a number a day (`1992年11月16日`, not `16时`), also after a range
            // or a list of numbers (`7月6-7日`, `3月7、14日`).
            if after_digit {
                let part = toks
                    .get(..k)
                    .unwrap_or(&[])
                    .iter()
                    .rev()
                    .map(|x| x.ch)
                    .find(|c| {
                        !c.is_some_and(|c| c.is_ascii_digit() || is_space(c) || joins_numbers(c))
                    })
                    .flatten();
                let next_part: &[char] = match part {
                    Some('年') => &['月'],
                    Some('月') => &['日', '号', '號'],
                    _ => &[],
                };
                for (o, &(c, _)) in g.own.iter_mut().zip(alts) {
                    if next_part.contains(&c) {
                        *o -= DATE_BONUS;
                    }
                }
            }
            // An opener whose closer follows later in the line, unmatched
            // (`（2.5星）`, the closer decoded from the span or clean text after it).
            // A closer whose opener is open gains nothing when the closer follows
            // later in the line, unmatched: it closes the bracket there (`（1949－1976）`).
            // The next guess counts as a closer ahead where it may close a bracket of
            // [`PAIR_OPENERS`] this one opens, or of [`PADDED_OPENERS`] where white space
            // pads the text between them ([`pair_closer_alts`]); looked up once.
            let mut next_alts: Option<(&[(char, f32)], bool)> = None;
            for (pair, &(open, close)) in BRACKETS.iter().enumerate() {
                let find = |c: char| find_alt(alts, sorted, c);
                let open_now = depth[pair];
                let (jo, jc) = (find(open), find(close).filter(|_| open_now > 0));
                if jo.is_none() && jc.is_none() {
                    continue;
                }
                let pending_closer = jo.is_some() && k == last && {
                    let (next, padded) = *next_alts.get_or_insert_with(|| {
                        let closes_open = BRACKETS
                            .iter()
                            .zip(depth.iter())
                            .any(|(&(_, c), &d)| d > 0 && find_alt(alts, sorted, c).is_some());
                        if closes_open {
                            (&[], false)
                        } else {
                            pair_closer_alts(toks, k, pending.get(h), &g.alts)
                        }
                    });
                    (if padded {
                        &PADDED_OPENERS[..]
                    } else {
                        &PAIR_OPENERS[..]
                    })
                    .contains(&open)
                        && next.iter().any(|x| x.0 == close)
                };
                // (Closers after the guess that brackets open now do not close.)
                let ahead = closers_ahead(toks, k, line, pair) + i32::from(pending_closer);
                if let Some(o) = jo.and_then(|j| g.own.get_mut(j)) {
                    if ahead > open_now.max(0) {
                        *o -= OPENER_BONUS;
                    }
                }
                if let Some(o) = jc.and_then(|j| g.own.get_mut(j)) {
                    if ahead >= open_now {
                        *o += bracket_bonus(&depth, close);
                    }
                }
            }
            let cx = guess_context::GuessContext::new(
                toks,
                k,
                alts,
                line,
                pending,
                &g.alts,
                gi + n,
                follows,
                sorted,
            );
            cx.apply(alts, &mut g.own, sorted);
            // Running text's pairs and triples: the context before a group's first
            // guess and after its last.
            let before = |i: usize| {
                k.checked_sub(i)
                    .and_then(|j| toks.get(j))
                    .and_then(|x| x.ch)
                    .filter(|&c| is_han(c))
            };
            let two_before = before(2).zip(before(1));
            let rc = RunningContext {
                prev: prev
                    .filter(|&p| n == 0 && is_han(p))
                    .map(|p| (p, w_prev != GUESS_BIGRAM_WEIGHT)),
                two_before,
                // (Across a space the next hanzi starts another word, often of another
                // clause: `，则 读取` is not `，到 读取`.)
                next: next.filter(|&nx| {
                    n + 1 == group.len() && is_han(nx) && w_next == GUESS_BIGRAM_WEIGHT
                }),
                // (The hanzi after `next`, right after it as `next` is after the guess.)
                after_next: match (toks.get(k + 1), toks.get(k + 2)) {
                    (Some(x), Some(y)) if n + 1 == group.len() && x.ch == next => {
                        y.ch.filter(|&c| is_han(c) && next.is_some_and(is_han))
                    }
                    _ => None,
                },
                // A guess before a non-hanzi ends a stretch of hanzi; before a space
                // and a hanzi, in text with spaces between its words, it ends a word,
                // which running text's pairs counted anywhere know better (`参数 会
                // 覆盖`: `数会` is common, but rarely ends a stretch).
                place: if not_han(toks.get(k + 1))
                    && !(n + 1 == group.len()
                        && toks.get(k + 1).and_then(|x| x.ch).is_some_and(is_space)
                        && next.is_some_and(is_han))
                {
                    running::Place::End
                } else {
                    running::Place::Any
                },
                closes_word: two_before.is_some_and(|(a, b)| t.bigram(a, b) > CLOSED_WORD_BIGRAM),
                wrong_script,
            };
            rc.apply(t, alts, sorted, &mut g.own);
            if group.len() == 1 {
                // The weight of the dictionary's bigram before the guess (see
                // `DICT_BIGRAM_SHARE`; whether the two hanzi before make a word is the
                // running context's `closes_word`).
                let w_dict = if wrong_script != 1 && rc.closes_word {
                    DICT_BIGRAM_SHARE
                } else if wrong_script == 2 {
                    SIMPLIFIED_DICT_BIGRAM_SHARE
                } else {
                    1.0
                };
                // A guess alone: its score is its own score less the bigrams with the
                // context on either side, as the general path below computes it (a
                // bigram the model lacks is 0, and subtracting 0 changes nothing), in
                // one pass and without the tables; the first cheapest wins.
                // Context characters that start or end no bigram add 0 to every score
                // (`x - 0.0` is `x`): left out.
                let prev_bi = prev.filter(|&p| t.may_start_bigram(p));
                let next_bi = next.filter(|&nx| t.may_end_bigram(nx));
                if let (Some(p), true) = (prev_bi, sorted) {
                    // The bigrams of `p` into the alternatives' range, found in the
                    // model's list (only those `t.bigram` answers: both at or above
                    // U+3400); the others lose 0.
                    for (c, b) in t.bigrams_in(p, lo, hi) {
                        if (c as u32) < 0x3400 {
                            continue;
                        }
                        if let Some(j) = find_sorted(alts, c) {
                            if let Some(o) = g.own.get_mut(j) {
                                *o -= w_dict * w_prev * b;
                            }
                        }
                    }
                }
                let prev_bi = prev_bi.filter(|_| !sorted);
                let pick = if prev_bi.is_none() && next_bi.is_none() {
                    // No bigram left: the scores are the own scores.
                    first_min(g.own.get(..alts.len()).unwrap_or(&g.own))
                } else {
                    let mut best = f32::MAX;
                    let mut pick = 0usize;
                    for (j, (&(c, _), &own)) in alts.iter().zip(&g.own).enumerate() {
                        let mut v = own;
                        if let Some(p) = prev_bi {
                            v -= w_dict * w_prev * t.bigram(p, c);
                        }
                        if let Some(nx) = next_bi {
                            v -= w_next * t.bigram(c, nx);
                        }
                        if v < best {
                            best = v;
                            pick = j;
                        }
                    }
                    pick
                };
                if let (Some(&(c, _)), Some(tok)) = (alts.get(pick), toks.get_mut(k)) {
                    tok.ch = Some(c);
                }
                continue;
            }
            let find = |c: char| -> Option<usize> { find_sorted(alts, c).map(|i| a0 as usize + i) };
            // The first guess of the group: its scores without context.
            if n == 0 {
                let slots = g
                    .scores
                    .get_mut(a0 as usize..a1 as usize)
                    .unwrap_or(&mut []);
                for (slot, &own) in slots.iter_mut().zip(&g.own) {
                    *slot = (own, 0);
                }
            }
            let own = |j: usize| g.own.get(j - a0 as usize).copied().unwrap_or(0.0);
            if n == 0 {
                if let Some(p) = prev {
                    if sorted {
                        for (c, b) in t.bigrams_in(p, lo, hi) {
                            if let Some(j) = find(c) {
                                g.scores[j].0 -= w_prev * b;
                            }
                        }
                    } else {
                        for j in a0 as usize..a1 as usize {
                            g.scores[j].0 -= w_prev * t.bigram(p, g.alts[j].0);
                        }
                    }
                }
            } else {
                // Best predecessor without a bigram, then the bigrams that beat it.
                let (pk, p0, p1) = group[n - 1];
                // The hanzi right before the group's first guess.
                let two_back = first
                    .checked_sub(1)
                    .and_then(|q| toks.get(q))
                    .and_then(|x| x.ch)
                    .filter(|&c| is_han(c));
                let w_in = if k > pk + 1 {
                    GUESS_SPACED_BIGRAM_WEIGHT
                } else {
                    GUESS_BIGRAM_WEIGHT
                };
                let mut best = (f32::MAX, p0);
                for pj in p0..p1 {
                    let ps = g.scores[pj as usize].0;
                    if ps < best.0 {
                        best = (ps, pj);
                    }
                }
                for j in a0 as usize..a1 as usize {
                    g.scores[j] = (best.0 + own(j), best.1);
                }
                for pj in p0..p1 {
                    let (pc, ps) = (g.alts[pj as usize].0, g.scores[pj as usize].0);
                    // A predecessor that starts no bigram improves nothing (every
                    // bigram from it is 0).
                    if !t.may_start_bigram(pc) {
                        continue;
                    }
                    let mut improve = |j: usize, b: f32| {
                        let v = ps - w_in * b + own(j);
                        if v < g.scores[j].0 {
                            g.scores[j] = (v, pj);
                        }
                    };
                    if sorted {
                        for (c, b) in t.bigrams_in(pc, lo, hi) {
                            if let Some(j) = find(c) {
                                improve(j, b);
                            }
                        }
                        // Running text's pair of the predecessor and each alternative,
                        // and for a group's second guess right after a hanzi the triple
                        // of the three: words go on across guesses (`中文` with both
                        // last bytes lost is no `一方` before `man`).
                        if is_han(pc) {
                            transitions_in_running_text(
                                (pc, k == pk + 1),
                                two_back.filter(|_| n == 1 && k == pk + 1),
                                (lo, hi),
                                &mut |c, bonus| {
                                    if let Some(j) = find(c) {
                                        let v = ps - w_in * t.bigram(pc, c) - bonus + own(j);
                                        if v < g.scores[j].0 {
                                            g.scores[j] = (v, pj);
                                        }
                                    }
                                },
                            );
                        }
                    } else {
                        for j in a0 as usize..a1 as usize {
                            let b = t.bigram(pc, g.alts[j].0);
                            if b > 0.0 {
                                improve(j, b);
                            }
                        }
                    }
                }
            }
        }
        if group.len() == 1 {
            // Decided above.
            gi = h;
            continue;
        }
        // Close with the right context and walk back.
        let (_, l0, l1) = group[group.len() - 1];
        let mut pick = l0;
        let mut best = f32::MAX;
        for j in l0..l1 {
            let (Some(&(c, _)), Some(&(sc, _))) =
                (g.alts.get(j as usize), g.scores.get(j as usize))
            else {
                continue;
            };
            let b = next.map_or(0.0, |nx| t.bigram(c, nx));
            let v = sc - w_next * b;
            if v < best {
                best = v;
                pick = j;
            }
        }
        for &(k, _, _) in group.iter().rev() {
            if let (Some(&(c, _)), Some(tok)) = (g.alts.get(pick as usize), toks.get_mut(k)) {
                tok.ch = Some(c);
            }
            pick = g.scores.get(pick as usize).map_or(0, |x| x.1);
        }
        gi = h;
    }
    for &c in &g.seen {
        if let Some(word) = g.seen_bits.get_mut(c as usize / 64) {
            *word = 0;
        }
    }
}

/// Calls `bonus_of` with each character of `lo..=hi` that running text's pairs (counted
/// anywhere) know after `pc`, and its weighted bonus: [`RUNNING_WEIGHT`] times the pair's
/// when `pc` stands right before it (`adjacent`), else [`RUNNING_SPACED_WEIGHT`] times;
/// plus, when `two_back` is given (the hanzi before `pc`), [`RUNNING_TRIPLE_WEIGHT`]
/// times the triple's further bonus for the characters the triples know, which are
/// called again with both bonuses.
pub(super) fn transitions_in_running_text(
    (pc, adjacent): (char, bool),
    two_back: Option<char>,
    (lo, hi): (char, char),
    bonus_of: &mut impl FnMut(char, f32),
) {
    let w = if adjacent {
        RUNNING_WEIGHT
    } else {
        RUNNING_SPACED_WEIGHT
    };
    for (c, b) in running::after(running::Place::Any, &[pc], lo, hi) {
        bonus_of(c, w * b);
    }
    if let Some(a) = two_back {
        for (c, tb) in running::after(running::Place::Any, &[a, pc], lo, hi) {
            let b = running::bonus(running::Place::Any, pc, c);
            bonus_of(c, w * b + RUNNING_TRIPLE_WEIGHT * tb);
        }
    }
}

/// What a guessed character's own score depends on besides the character
/// ([`context_pass`]).
pub(super) struct OwnContext<'a> {
    /// Bracket depths before the guess.
    pub(super) depth: &'a [i32; BRACKETS.len()],
    /// The script other than the text's (3: none known).
    pub(super) wrong_script: u8,
    /// The characters decoded elsewhere in the text, as a bit set.
    pub(super) seen_bits: &'a [u64],
    /// Bonus of a function word here.
    pub(super) function_bonus: f32,
    /// A clause mark or a closer follows the guess right after it
    /// ([`ends_object_slot`]): a preposition or conjunction there would have nothing to
    /// govern, so only the particles that end a phrase ([`PHRASE_END_PARTICLES`]) keep
    /// the function bonus (`系统中,`, not `系统为,`).
    pub(super) before_mark: bool,
    /// The guess follows an ASCII digit.
    pub(super) after_digit: bool,
    /// A letter or digit stands right beside the guess ([`alnum_or_fullwidth`]).
    pub(super) letter_beside: bool,
}

impl OwnContext<'_> {
    /// The own score of alternative `c` (cost `cost`) of a guess: twice its cost, with
    /// bonuses and penalties.
    #[inline(always)]
    pub(super) fn own(&self, t: &Tables, c: char, cost: f32) -> f32 {
        if t.own_is_plain(c) {
            // Every term below is 0 or left out for `c` (`x - 0.0` is `x`).
            return 2.0 * cost;
        }
        let mut own = 2.0 * cost - bracket_bonus(self.depth, c);
        // Full-width Latin letters share the cheap class of full-width
        // punctuation, but are rare in Chinese text.
        own += self.fullwidth_penalty(c);
        let extra = self.script_term(t.script(c));
        if extra != 0.0 {
            own += extra;
        }
        // A character the text already has elsewhere is a likelier guess (only
        // hanzi and box drawing are ever marked seen).
        if matches!(c as u32, 0x3400..=0x9FFF | 0x2500..=0x257F) {
            self.word_terms(c, own)
        } else {
            self.function_terms(c, own)
        }
    }

    /// `own` less the bonus of a character seen elsewhere in the text, then
    /// [`OwnContext::function_terms`] (the last terms of [`OwnContext::own`], in its
    /// order, for a hanzi or box drawing character).
    #[inline(always)]
    pub(super) fn word_terms(&self, c: char, mut own: f32) -> f32 {
        if self
            .seen_bits
            .get(c as usize / 64)
            .is_some_and(|w| w & (1 << (c as u32 % 64)) != 0)
        {
            own -= SEEN_BONUS;
        }
        self.function_terms(c, own)
    }

    /// `own` less the bonuses of a function word and of a measure word after a digit.
    #[inline(always)]
    pub(super) fn function_terms(&self, c: char, mut own: f32) -> f32 {
        if in_set(&FUNCTION_SET, c) && (!self.before_mark || PHRASE_END_PARTICLES.contains(&c)) {
            own -= self.function_bonus;
        }
        if self.after_digit && MEASURE_CHARS.binary_search(&c).is_ok() {
            own -= MEASURE_BONUS;
        }
        own
    }
}

impl OwnContext<'_> {
    /// The extra cost of guessing `c` here when it is a full-width Latin letter, or one
    /// of the full-width symbols `＠＼＾＿｀` that share GBK's row A3 with them.
    #[inline]
    pub(super) fn fullwidth_penalty(&self, c: char) -> f32 {
        let lone = if self.letter_beside {
            0.0
        } else {
            LONE_FULLWIDTH_LETTER_PENALTY
        };
        match c as u32 {
            0xFF20 | 0xFF21..=0xFF3A | 0xFF3C | 0xFF3E..=0xFF40 | 0xFF41..=0xFF5A => {
                FULLWIDTH_LETTER_PENALTY + lone
            }
            _ => 0.0,
        }
    }

    /// Whether every character in `lo..=hi` has no script ([`Tables::script`] is 0)
    /// and is neither hanzi nor box drawing (so never seen, and never a function or
    /// measure word: those lists are hanzi).
    #[inline]
    pub(super) fn unscripted_range(t: &Tables, lo: char, hi: char) -> bool {
        let overlaps = |a: u32, b: u32| lo as u32 <= b && hi as u32 >= a;
        !overlaps(0x3400, 0x9FFF) && !overlaps(0x2500, 0x257F) && !t.may_have_script(lo, hi)
    }

    /// [`OwnContext::own`] of a character in a range [`OwnContext::unscripted_range`]
    /// accepts, the same figure: of its terms only the bracket bonus and the
    /// full-width penalty can apply (its script matches no `wrong_script`, it
    /// is never seen, never a function or measure word), and for a character
    /// [`Tables::own_is_plain`] accepts both are 0 (`x - 0.0` is `x`).
    #[inline(always)]
    pub(super) fn own_unscripted(&self, c: char, cost: f32) -> f32 {
        let mut own = 2.0 * cost - bracket_bonus(self.depth, c);
        own += self.fullwidth_penalty(c);
        own
    }

    /// Appends [`OwnContext::own_unscripted`] of each of `alts` (in strictly increasing
    /// order, in a range [`OwnContext::unscripted_range`] accepts) to `own`: twice its
    /// cost, computed for all at once, then the closing brackets and the full-width
    /// block `＠`..`ｚ` among them (found by binary search) done again in full; for the
    /// others both terms are 0 (`x - 0.0` is `x`).
    pub(super) fn own_unscripted_all(&self, alts: &[(char, f32)], own: &mut Vec<f32>) {
        let o0 = own.len();
        own.extend(alts.iter().map(|&(_, cost)| 2.0 * cost));
        let own = own.get_mut(o0..).unwrap_or(&mut []);
        let mut redo = |j: usize| {
            if let (Some(&(c, cost)), Some(o)) = (alts.get(j), own.get_mut(j)) {
                *o = self.own_unscripted(c, cost);
            }
        };
        for &(_, close) in &BRACKETS {
            if let Some(j) = find_sorted(alts, close) {
                redo(j);
            }
        }
        // The full-width block holds no bracket of [`BRACKETS`]: its own score is twice
        // the cost plus the full-width penalty, added in place.
        let j0 = index_from(alts, 0xFF20);
        let j1 = index_from(alts, 0xFF5B);
        if let (Some(alts), Some(own)) = (alts.get(j0..j1), own.get_mut(j0..j1)) {
            for (&(c, _), o) in alts.iter().zip(own.iter_mut()) {
                *o += self.fullwidth_penalty(c);
            }
        }
    }
}

impl OwnContext<'_> {
    /// Whether `lo..=hi` lies in the unified hanzi of [`OwnContext::own`]'s seen range
    /// (U+3400..=U+9FFF), where no character is a bracket, a quote or a full-width
    /// letter.
    #[inline]
    pub(super) fn hanzi_range(lo: char, hi: char) -> bool {
        (0x3400..=0x9FFF).contains(&(lo as u32)) && (0x3400..=0x9FFF).contains(&(hi as u32))
    }

    /// [`OwnContext::own`] of a character `c` in a range [`OwnContext::hanzi_range`]
    /// accepts, the same figure: the bracket bonus and the full-width penalty are 0
    /// there (`x - 0.0` and `x + 0.0` are `x`), and the other terms are added in
    /// `own`'s order, the script's as looked up in `script_extra` (0: none).
    #[inline(always)]
    pub(super) fn own_hanzi(&self, t: &Tables, script_extra: &[f32; 4], c: char, cost: f32) -> f32 {
        let mut own = 2.0 * cost;
        let extra = script_extra[t.script(c) as usize & 3];
        if extra != 0.0 {
            own += extra;
        }
        self.word_terms(c, own)
    }

    /// The script term of [`OwnContext::own`] for each [`Tables::script`] value.
    pub(super) fn script_extra(&self) -> [f32; 4] {
        [0, 1, 2, 3].map(|s| self.script_term(s))
    }

    /// [`script_term`] with the text's `wrong_script`.
    #[inline(always)]
    pub(super) fn script_term(&self, script: u8) -> f32 {
        script_term(self.wrong_script, script)
    }

    /// Appends [`OwnContext::own_hanzi`] of each of `alts` (in a range
    /// [`OwnContext::hanzi_range`] accepts) to `own`.
    pub(super) fn own_hanzi_all(&self, t: &Tables, alts: &[(char, f32)], own: &mut Vec<f32>) {
        let extra = self.script_extra();
        own.extend(
            alts.iter()
                .map(|&(c, cost)| self.own_hanzi(t, &extra, c, cost)),
        );
    }
}

/// The extra cost of a character whose [`Tables::script`] is `script` in a text whose
/// other script is `wrong_script` (3: none known): 2 for the script other than the
/// text's, 1 for traditional when no script is known (simplified text is the likelier),
/// else 0.
#[inline(always)]
pub(super) fn script_term(wrong_script: u8, script: u8) -> f32 {
    if script == wrong_script {
        2.0
    } else if wrong_script == 3 && script == 2 {
        1.0
    } else {
        0.0
    }
}

/// The context of a guess for running text's evidence ([`running`]).
pub(super) struct RunningContext {
    /// The hanzi before the guess (none unless it is the first of its group), and
    /// whether a space stands between them.
    pub(super) prev: Option<(char, bool)>,
    /// The two hanzi right before the guess.
    pub(super) two_before: Option<(char, char)>,
    /// The hanzi right after the guess (none unless it is the last of its group).
    pub(super) next: Option<char>,
    /// The hanzi right after `next` (none unless `next` is right after the guess).
    pub(super) after_next: Option<char>,
    /// Where the figures to use were counted: at the ends of stretches of hanzi when the
    /// guess is before a non-hanzi.
    pub(super) place: running::Place,
    /// The two hanzi before the guess make a dictionary word ([`CLOSED_WORD_BIGRAM`]):
    /// the guess then starts the next word.
    pub(super) closes_word: bool,
    /// The script other than the text's ([`OwnContext::wrong_script`]).
    pub(super) wrong_script: u8,
}

impl RunningContext {
    /// Subtracts from the own scores `own` of the alternatives `alts` (in strictly
    /// increasing order when `sorted`) the weighted bonuses of running text's pairs (the
    /// hanzi before and each alternative, each alternative and the hanzi after) and
    /// triples (the two hanzi before and each alternative; sorted alternatives only).
    /// Characters whose script costs extra ([`script_term`]) gain nothing: the text's
    /// script is known better than the sources'.
    pub(super) fn apply(&self, t: &Tables, alts: &[(char, f32)], sorted: bool, own: &mut [f32]) {
        let (Some(&(lo, _)), Some(&(hi, _))) = (alts.first(), alts.last()) else {
            return;
        };
        // Alternative `j`, `c`, gains `w` times `b` (unless its script costs extra).
        let mut gain = |j: usize, c: char, w: f32, b: f32| {
            if script_term(self.wrong_script, t.script(c)) == 0.0 {
                if let Some(o) = own.get_mut(j) {
                    *o -= w * b;
                }
            }
        };
        if let Some((p, spaced)) = self.prev {
            let w = if spaced {
                RUNNING_SPACED_WEIGHT
            } else {
                RUNNING_WEIGHT
            };
            // After a word, a pair that is a word of its own overlaps it (`缺省|委`).
            let w_for = |c: char| {
                if self.closes_word && t.bigram(p, c) > CLOSED_WORD_BIGRAM {
                    w * RUNNING_OVERLAP_SHARE
                } else {
                    w
                }
            };
            if sorted {
                for (c, b) in running::after(self.place, &[p], lo, hi) {
                    if let Some(j) = find_sorted(alts, c) {
                        gain(j, c, w_for(c), b);
                    }
                }
            } else {
                for (j, &(c, _)) in alts.iter().enumerate() {
                    gain(j, c, w_for(c), running::bonus(self.place, p, c));
                }
            }
        }
        if let (Some((a, b)), true) = (self.two_before, sorted) {
            for (c, bonus) in running::after(self.place, &[a, b], lo, hi) {
                if let Some(j) = find_sorted(alts, c) {
                    gain(j, c, RUNNING_TRIPLE_WEIGHT, bonus);
                }
            }
        }
        // The triple of each alternative and the two hanzi after it: a word the two
        // start is told from the alternatives that merely precede it (`[中>个]查找`).
        // (Only for the alternatives of one lost byte, which share a block: with two
        // lost, `的` is among them, and its triples outweigh the pair before it.)
        if let (Some(nx), Some(n2), true) = (
            self.next,
            self.after_next,
            (hi as u32).saturating_sub(lo as u32) < 64,
        ) {
            for (j, &(c, _)) in alts.iter().enumerate() {
                let b = running::triple_bonus(running::Place::Any, [c, nx, n2]);
                if b > 0.0 {
                    gain(j, c, RUNNING_AHEAD_TRIPLE_WEIGHT, b);
                }
            }
        }
        if let Some(nx) = self.next {
            if sorted {
                // The pairs into `nx` from the alternatives' range, found at once; the
                // other alternatives gain 0 (`x - 0.0` is `x`).
                for (c, b) in running::before(nx, lo, hi) {
                    if let Some(j) = find_sorted(alts, c) {
                        gain(j, c, RUNNING_NEXT_WEIGHT, b);
                    }
                }
            } else {
                for (j, &(c, _)) in alts.iter().enumerate() {
                    gain(
                        j,
                        c,
                        RUNNING_NEXT_WEIGHT,
                        running::bonus(running::Place::Any, c, nx),
                    );
                }
            }
        }
    }
}

/// The index of the first least value of `v` below `f32::MAX` (0 when there is none):
/// what the scan `if x < best { best = x; pick = j }` from `best = f32::MAX` picks.
/// The least value is found in eight lanes (a loop the compiler turns into vector
/// minimums), then its first position; a value equal to it (`-0.0` to `0.0` too) is one
/// the scan would not have replaced the first with.
pub(super) fn first_min(v: &[f32]) -> usize {
    let mut lanes = [f32::MAX; 8];
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane = if x < *lane { x } else { *lane };
        }
    }
    let mut least = f32::MAX;
    for &x in lanes.iter().chain(rest) {
        if x < least {
            least = x;
        }
    }
    if least < f32::MAX {
        v.iter().position(|&x| x == least).unwrap_or(0)
    } else {
        0
    }
}

/// The index in `alts` (in strictly increasing order) of the first alternative at or
/// above `cp` (`partition_point`), computed directly when `alts` are dense (every code
/// point from the first to the last, as a lost last byte's completions are as a rule).
#[inline]
pub(super) fn index_from(alts: &[(char, f32)], cp: u32) -> usize {
    match (alts.first(), alts.last()) {
        (Some(f), Some(l)) if (l.0 as u32).wrapping_sub(f.0 as u32) as usize + 1 == alts.len() => {
            (cp.saturating_sub(f.0 as u32) as usize).min(alts.len())
        }
        _ => alts.partition_point(|x| (x.0 as u32) < cp),
    }
}

/// The index of `c` in `alts`: by [`find_sorted`] when they are in strictly increasing
/// order (`sorted`), else by a linear search.
#[inline]
pub(super) fn find_alt(alts: &[(char, f32)], sorted: bool, c: char) -> Option<usize> {
    if sorted {
        find_sorted(alts, c)
    } else {
        alts.iter().position(|x| x.0 == c)
    }
}

/// The index of `c` in `alts` (in strictly increasing order), as `binary_search`
/// finds it, directly when `alts` are dense ([`index_from`]).
#[inline]
pub(super) fn find_sorted(alts: &[(char, f32)], c: char) -> Option<usize> {
    let j = index_from(alts, c as u32);
    alts.get(j).is_some_and(|x| x.0 == c).then_some(j)
}

/// Whether [`OwnContext::own`] of `c` (whose [`Tables::script`] is `script`) is
/// `2.0 * cost` in every context: no bracket or quote, no full-width letter, no script,
/// neither hanzi nor box drawing (so never seen, never a function or measure word).
#[cfg(test)]
pub(super) fn own_is_twice_cost(c: char, script: u8) -> bool {
    let cp = c as u32;
    script == 0
        && !matches!(cp, 0x201C..=0x201D | 0x3008..=0x3011 | 0xFF08..=0xFF09)
        && !matches!(cp, 0xFF20..=0xFF5A)
        && !matches!(cp, 0x3400..=0x9FFF | 0x2500..=0x257F)
        && !in_set(&FUNCTION_SET, c)
        && MEASURE_CHARS.binary_search(&c).is_err()
}

/// The code points outside which `own_is_twice_cost` (tests) depends on the script alone
/// (its ranges; they hold [`FUNCTION_CHARS`] and [`MEASURE_CHARS`]).
pub(super) const OWN_SCORED_RANGES: [std::ops::RangeInclusive<u32>; 6] = [
    0x201C..=0x201D,
    0x3008..=0x3011,
    0xFF08..=0xFF09,
    0xFF20..=0xFF5A,
    0x3400..=0x9FFF,
    0x2500..=0x257F,
];

/// The openers whose closer a later guess may be ([`context_pass`]: `「%s」`, `（%d）`,
/// `“%S”`), one of each block of marks: around ASCII text, of the pairs of one block
/// `「」` is the common one (in the text we counted, 5,955 times against 45 `《》` and
/// 31 `【】`).
const PAIR_OPENERS: [char; 3] = ['（', '“', '「'];

/// The alternatives of `next`, the first guess after token `k` (a guess that may
/// open one of [`PAIR_OPENERS`] and opens none that one of its alternatives could
/// close), where that guess may close the bracket: a decoder lost the last bytes of
/// both marks of a pair around ASCII text (`「%s」`, `（%d）`, `“%S”`). Only ASCII text,
/// not white space alone and no ASCII bracket, stands between them, at most
/// [`CLOSER_AHEAD`] tokens; nothing but white space stands right before `k` on the
/// ASCII side, and no ASCII word right after `next`: those are lists' and clauses'
/// marks (`9、8、7`, `-h，-p`, `电话：022-2350；022-2351`); with `false`.
///
/// Or the same alternatives with `true` where the marks pad any text with white space
/// (`【 神舟六号 】08-15`, `（ 责任编辑：王小明 ）`: a decoder lost both marks' last
/// bytes before the spaces): white space right inside both marks and text between,
/// and before the first mark (white space skipped) no ASCII character and no hanzi,
/// only the tokens' start or a full-width mark (not the item of a list: `安装 、 配置 、
/// 运行`, `1 、 安装 、 配置`). For this pattern the caller takes [`PADDED_OPENERS`]'
/// pairs, not [`PAIR_OPENERS`]'. Else none.
fn pair_closer_alts<'a>(
    toks: &[Tok],
    k: usize,
    next: Option<&(usize, u32, u32)>,
    all_alts: &'a [(char, f32)],
) -> (&'a [(char, f32)], bool) {
    let ch = |j: Option<usize>| j.and_then(|j| toks.get(j)).and_then(|x| x.ch);
    let Some(&(p, b0, b1)) = next else {
        return (&[], false);
    };
    let between = toks.get(k + 1..p).unwrap_or(&[]);
    let fits = p - k <= CLOSER_AHEAD
        && !ch(k.checked_sub(1)).is_some_and(|c| c.is_ascii() && !punct::is_space(c))
        && !ch(Some(p + 1)).is_some_and(|c| c.is_ascii_alphanumeric() || c == '%')
        && between
            .iter()
            .any(|x| x.ch.is_some_and(|c| !punct::is_space(c)))
        && between.iter().all(|x| {
            x.ch.is_some_and(|c| c.is_ascii() && !matches!(c, '(' | ')' | '[' | ']'))
        });
    let space = |x: Option<&Tok>| x.and_then(|x| x.ch).is_some_and(punct::is_space);
    let padded = !fits
        && p - k <= CLOSER_AHEAD
        && between.len() >= 3
        && space(between.first())
        && space(between.last())
        && between
            .iter()
            .any(|x| x.ch.is_some_and(|c| !punct::is_space(c)))
        && !toks
            .get(..k)
            .unwrap_or(&[])
            .iter()
            .rev()
            .map(|x| x.ch)
            .find(|c| !c.is_some_and(punct::is_space))
            .flatten()
            .is_some_and(|c| c.is_ascii() || is_han(c));
    if fits || padded {
        (
            all_alts.get(b0 as usize..b1 as usize).unwrap_or(&[]),
            padded,
        )
    } else {
        (&[], false)
    }
}

/// Openers whose pair [`pair_closer_alts`] finds with white space inside the marks:
/// web pages pad labels and bylines (`【 公告 】`, `（ 责任编辑：王小明 ）`). `【` stands
/// for the marks of its bytes (`E3 80 xx`, with `《`, `「`, `『`, `〈`), which a lost last
/// byte cannot tell apart; titles (`《红楼梦》`) and quotes are rarely padded.
const PADDED_OPENERS: [char; 2] = ['（', '【'];

/// Bonus for an opening bracket or quote whose closer follows it unmatched
/// ([`closers_ahead`]), as much as a closer's whose opener is open ([`bracket_bonus`]).
pub(super) const OPENER_BONUS: f32 = 1.5;

/// Tokens after a guess that [`closers_ahead`] looks at, at most.
pub(super) const CLOSER_AHEAD: usize = 64;

/// How many closers of `BRACKETS[pair]` follow token `k` of `toks` unmatched, within
/// [`CLOSER_AHEAD`] tokens, read by [`TokenChars`] (`line`, as in [`context_pass`]), and
/// when the line is known, its characters after the tokens' last one, [`CLOSER_AHEAD`]
/// characters and tokens in all.
pub(super) fn closers_ahead(
    toks: &[Tok],
    k: usize,
    line: Option<(&[char], &[u32])>,
    pair: usize,
) -> i32 {
    let Some(&(open, close)) = BRACKETS.get(pair) else {
        return 0;
    };
    // Openers less closers so far, and the closers that found no opener.
    let mut depth = 0i32;
    let mut unmatched = 0i32;
    let mut count = |c: char| {
        if c == open {
            depth += 1;
        } else if c == close {
            if depth > 0 {
                depth -= 1;
            } else {
                unmatched += 1;
            }
        }
    };
    let mut read = TokenChars::default();
    let after = toks.get(k + 1..).unwrap_or(&[]);
    for x in after.iter().take(CLOSER_AHEAD) {
        if let Some(c) = read.next(x, line) {
            count(c);
        }
    }
    // Then the line's characters after the run, as far as the budget goes: a character
    // the decoder cannot encode ends a run, and the closer may stand past it
    // (`銆\u{FFFD}渔家傲・反…》`: GBK has no `・`).
    let rest = CLOSER_AHEAD.saturating_sub(after.len());
    if let (Some((chars, bchar)), Some(last), true) = (line, toks.last(), rest > 0) {
        let end = (last.b1 as usize)
            .checked_sub(1)
            .and_then(|b| bchar.get(b))
            .map_or(chars.len(), |&i| i as usize + 1);
        for &c in chars.get(end..).unwrap_or(&[]).iter().take(rest) {
            count(c);
        }
    }
    unmatched
}

/// Counts the bracket or quote `c` into `depth` (per pair of [`BRACKETS`]): an opener
/// opens, a closer closes.
#[inline]
pub(super) fn count_bracket(depth: &mut [i32; BRACKETS.len()], c: char) {
    for (slot, &(open, close)) in depth.iter_mut().zip(BRACKETS.iter()) {
        if c == open {
            *slot += 1;
        } else if c == close {
            *slot -= 1;
        }
    }
}

/// Reads the characters a run of tokens stands for, token by token in order: a decoded
/// token's own; for an undecodable byte, the line's character that holds it (`line`:
/// the line's chars and the char index of each byte of the run), once per character.
/// Unlike [`punct::tok_char`], which gives a line character at its first byte only, this
/// finds a clean character whose first byte a decoded token took (`闻【` read as UTF-8
/// is `š` and a stray byte of `【`).
#[derive(Default)]
pub(super) struct TokenChars {
    /// The line character the last undecodable token read stood for.
    pub(super) last: Option<u32>,
}

impl TokenChars {
    /// The character `x` stands for, if it is new (see [`TokenChars`]).
    #[inline]
    pub(super) fn next(&mut self, x: &Tok, line: Option<(&[char], &[u32])>) -> Option<char> {
        if x.ch.is_some() {
            return x.ch;
        }
        let (chars, bchar) = line?;
        let i = *bchar.get(x.b0 as usize)?;
        let new = self.last != Some(i);
        self.last = Some(i);
        chars.get(i as usize).copied().filter(|_| new)
    }
}

/// Bonus for a closing bracket or quote whose opener is still open (`depth` per pair
/// of [`BRACKETS`]), a penalty for one whose opener is not.
#[inline]
pub(super) fn bracket_bonus(depth: &[i32; BRACKETS.len()], c: char) -> f32 {
    if !matches!(c as u32, 0x201C..=0x201D | 0x3008..=0x3011 | 0xFF08..=0xFF09) {
        return 0.0;
    }
    for (&(_, close), &d) in BRACKETS.iter().zip(depth.iter()) {
        if c == close {
            return if d > 0 { 1.5 } else { -1.0 };
        }
    }
    0.0
}
