//! Searching one run of a line for one chain: its decoded segments grouped into units
//! on the line's char boundaries, runs of units whose repair gains, and the candidate
//! repair each becomes.

use super::*;

/// A group of tokens that starts and ends on char boundaries of the line.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) c0: usize,
    pub(super) c1: usize,
    /// Its tokens: `seg[t0..t1]` of the segment.
    pub(super) t0: usize,
    pub(super) t1: usize,
    pub(super) gain: f32,
    pub(super) guessed: bool,
    pub(super) identity: bool,
}

/// Searches the run of the line `chars` that `sc.bytes` holds (encoded with decoder
/// `d`) as text in encoding `e`, pushing each candidate repair to `out`. Kept out of
/// line: inlined into `repair_lines` (as LTO chose once its caller grew), the mojibake
/// rows of the bench ran 3-10 % slower.
#[inline(never)]
pub(super) fn search_run(
    t: &Tables,
    chars: &[char],
    d: Codec,
    e: Codec,
    sc: &mut Scratch,
    out: &mut Vec<Fix>,
) {
    let mut toks = std::mem::take(&mut sc.toks);
    let mut units = std::mem::take(&mut sc.units);
    let bytes = std::mem::take(&mut sc.bytes);
    tokenize(
        t,
        d,
        e,
        &bytes,
        &mut toks,
        &mut sc.guess,
        Fill::InLine(chars, &sc.bchar),
    );
    // Valid segments.
    let mut k = 0;
    while k < toks.len() {
        if toks[k].ch.is_none() {
            k += 1;
            continue;
        }
        let s = k;
        while k < toks.len() && toks[k].ch.is_some() {
            k += 1;
        }
        let seg = &toks[s..k];
        // Prefix sums of the segment's cost terms, and its bigrams.
        prefix_costs_along(
            t,
            seg.iter().map(|x| (x.ch, true)),
            &mut sc.tpre,
            &mut sc.tbi,
        );
        let bis = (&sc.pre_bi[..], &sc.tbi[..]);
        let cross = matches!(d, Codec::Gbk | Codec::Big5) && matches!(e, Codec::Gbk | Codec::Big5);
        make_units(
            t, chars, &sc.pre, &sc.tpre, bis, &sc.bchar, seg, cross, &mut units,
        );
        if units.is_empty() {
            continue;
        }
        // What the last span judged has (`double_layer` reuses it for the same span).
        let mut judged = None;
        let segment = Segment {
            t,
            chars,
            pre: &sc.pre,
            tpre: &sc.tpre,
            d,
            e,
            seg,
        };
        positive_runs(&segment, &units, out, &mut sc.arena, &mut judged);
        if matches!((d, e), (Codec::Sb, Codec::Utf8) | (Codec::Gbk, Codec::Utf8)) {
            double_layer(t, chars, d, &bytes, seg, &units, out, sc, judged);
        }
    }
    sc.toks = toks;
    sc.units = units;
    sc.bytes = bytes;
}

/// Groups the tokens of one decoded segment (`toks`, every one decoded) into units:
/// runs of tokens that start and end on char boundaries of the line, each with its
/// gain (the line's cost of its chars less the cost of its tokens, with the bigram
/// joining it to the unit before) into `units`. For a cross chain (GBK read as Big5 or
/// back, `cross`), a unit that is a date part right after a digit gains
/// [`DATE_PART_BONUS`] more.
#[allow(clippy::too_many_arguments)]
pub(super) fn make_units(
    t: &Tables,
    chars: &[char],
    pre: &[f32],
    tpre: &[f32],
    (pre_bi, tbi): (&[f32], &[f32]),
    bchar: &[u32],
    toks: &[Tok],
    cross: bool,
    units: &mut Vec<Unit>,
) {
    units.clear();
    // Skip to the first token that starts on a char boundary.
    let mut k = 0;
    while k < toks.len() && !char_starts(bchar, toks[k].b0 as usize) {
        k += 1;
    }
    let Some(head) = toks.get(k) else {
        return;
    };
    // The open unit: its first token, first char (the tokens are contiguous, so each
    // unit starts at the char the one before it ended at) and whether any of its
    // tokens is a guess.
    let (mut u0, mut guessed) = (k, false);
    let mut c0 = bchar.get(head.b0 as usize).copied().unwrap_or(0) as usize;
    // The last unit's last (before, after) chars.
    let mut prev: Option<(char, char)> = None;
    for (i, x) in toks.iter().enumerate().skip(k) {
        guessed |= x.guessed;
        // The unit closes where a token ends on a char boundary (`char_starts`; a
        // token has at least one byte, so its end is past the first byte).
        let b1 = x.b1 as usize;
        let c1 = match (bchar.get(b1.wrapping_sub(1)), bchar.get(b1)) {
            (Some(&p), Some(&q)) if p != q => q as usize,
            _ => continue,
        };
        let k = i + 1;
        let fa = toks.get(u0).and_then(|f| f.ch);
        let la = x.ch;
        // Every token of the segment is decoded: the unit's text has one char per
        // token, and equals the chars it covers only with as many of them.
        let identity = c1.wrapping_sub(c0) == k - u0
            && chars
                .get(c0..c1)
                .is_some_and(|b| b.iter().zip(&toks[u0..k]).all(|(&c, x)| x.ch == Some(c)));
        // A penalty needs a unit of one token.
        let lone = k - u0 == 1 && fa.is_some_and(lone_letter::is_lone_script);
        let mut gain = if identity {
            0.0
        } else if lone {
            span_cost(t, chars, pre, c0, c1)
                - tok_cost(t, toks, tpre, u0, k)
                - lone_letter::penalty(toks, u0, k)
        } else {
            // `penalty` is 0 here, and `x - 0.0` is `x`.
            span_cost(t, chars, pre, c0, c1) - tok_cost(t, toks, tpre, u0, k)
        };
        // The unit's first and last chars in the line (none when `c0..c1` is not in it).
        let (fb, lb) = match chars.get(c0..c1) {
            Some([f, .., l]) => (Some(*f), Some(*l)),
            Some([f]) => (Some(*f), Some(*f)),
            _ => (None, None),
        };
        if let (Some(fb), Some(fa)) = (fb, fa) {
            // Context: the bigram joining this unit to what precedes it. After the
            // first unit, both bigrams were looked up for the prefix sums: the
            // previous unit ends where this one starts, in the line and in the
            // (contiguous, all decoded) tokens.
            gain += match (prev, tbi.get(u0), pre_bi.get(c0)) {
                (Some(_), Some(&ba), Some(&bb)) => ba - bb,
                (Some((pb, pa)), _, _) => t.bigram(pa, fa) - t.bigram(pb, fb),
                (None, _, _) => {
                    let c = c0
                        .checked_sub(1)
                        .and_then(|j| chars.get(j))
                        .copied()
                        .unwrap_or('\0');
                    t.bigram(c, fa) - t.bigram(c, fb)
                }
            };
        }
        if cross && !identity && k - u0 == 1 && la.is_some_and(is_date_part) {
            let digit_before = u0
                .checked_sub(1)
                .and_then(|p| toks.get(p))
                .is_some_and(|x| x.ch.is_some_and(|c| c.is_ascii_digit()));
            if digit_before {
                gain += DATE_PART_BONUS;
            }
        }
        if let (Some(lb), Some(la)) = (lb, la) {
            prev = Some((lb, la));
        }
        units.push(Unit {
            c0,
            c1,
            t0: u0,
            t1: k,
            gain,
            guessed,
            identity,
        });
        (u0, guessed, c0) = (k, false, c1);
    }
}

/// How much more a unit of GBK read as Big5 (or back) gains when it repairs into a date
/// part right after a digit ([`make_units`]): `年`, `月` and `日` read as Big5 are `爛`,
/// `堎` and `゜`, each alone between digits, and `゜` costs about what `日` does (so
/// `7゜` would be left out of the span of `2019爛3堎7゜`).
pub(super) const DATE_PART_BONUS: f32 = 2.0;

/// Whether `c` is a date's part that follows a number (`年`, `月`, `日`).
pub(super) fn is_date_part(c: char) -> bool {
    matches!(c, '年' | '月' | '日')
}

/// Whether `after`, a span's repair that follows `before` in its line, reads as dates:
/// at least two date parts right after a digit ([`is_date_part`]), and at most one
/// other non-ASCII character for every two of them (`6月1日至6月15日`).
pub(super) fn reads_as_dates(before: Option<char>, after: &[char]) -> bool {
    let mut parts = 0usize;
    let mut others = 0usize;
    let mut prev = before.unwrap_or('\0');
    for &c in after {
        if is_date_part(c) && prev.is_ascii_digit() {
            parts += 1;
        } else if !c.is_ascii() {
            others += 1;
        }
        prev = c;
    }
    parts >= 2 && 2 * others <= parts
}

/// The least gain of a neighbouring unit of hanzi that joins a span of GBK or Big5 bytes
/// read as Latin-1: a rare hanzi at the span's edge costs a little more than the two
/// Latin-1 characters it replaces (`Âs` → `瀏`), and left out, its stray Latin-1
/// letter would make the line read as European text.
pub(super) const EDGE_HAN_FLOOR: f32 = -1.0;

/// The same for a unit of hanzi that reaches the line's first or last character: the
/// stray Latin-1 characters it would leave at the line's edge make the line read as
/// European text, and the whole repair is dropped (`”yŸoÔ»Òæ` is GBK's `攜無曰益`:
/// `攜` is rarer than a quote and a letter).
pub(super) const LINE_EDGE_HAN_FLOOR: f32 = -6.0;

/// How many units of ASCII spaces and marks may stand between a bullet's middle dot and
/// the span after it ([`bullet_dot`]).
pub(super) const BULLET_GAP_UNITS: usize = 2;

/// The least bigram bonus of `路` and a span's first character that makes the two a
/// word ([`bullet_dot`]): the bigrams are generous, and weak ones (`路不` 0.45, `路招`
/// 0.1) make none; `路易` (1.3) and `路径` do.
pub(super) const BULLET_DOT_BIGRAM: f32 = 0.5;

/// Whether `s` is all marks that Chinese text uses and windows-1252 has (`——`, `……`,
/// curly quotes, the middle dot): beside a span of GBK read as windows-1252 they are
/// clean text, though their bytes make a hanzi (`——` is 97 97, GBK's `棗`).
pub(super) fn chinese_marks(s: &[char]) -> bool {
    s.iter().all(|&c| scan::chinese_mark(c as u32))
}

/// Whether `u`, the unit right before a span of UTF-8 read as GBK that starts with
/// `next`, is a middle dot read the same way (`·`, C2 B7, reads as `路`) that stands
/// first in its line or after white space, as a list's bullet does, or after a number
/// that opens the line (`·北京今日` read as GBK is `路鍖椾含浠婃棩`, `7·心如` is
/// `7路蹇冨`): the dot costs more than `路`, so the span leaves it out, but `路` with
/// the span's first character, if a hanzi, makes no word there ([`BULLET_DOT_BIGRAM`]).
/// (A number after text is a bus route's, `乘坐7路公交`: the bigrams are too weak to
/// tell.)
pub(super) fn bullet_dot(t: &Tables, chars: &[char], seg: &[Tok], u: &Unit, next: &Unit) -> bool {
    let toks = seg.get(u.t0..u.t1).unwrap_or(&[]);
    let first = seg
        .get(next.t0..next.t1)
        .and_then(|x| x.iter().find_map(|x| x.ch));
    matches!(toks, [x] if x.ch == Some('\u{B7}'))
        && chars.get(u.c0..u.c1) == Some(&['路'][..])
        && chars.get(..u.c0).is_some_and(|b| {
            b.last().is_none_or(|c| c.is_whitespace()) || b.iter().all(char::is_ascii_digit)
        })
        && first.is_some_and(|f| !is_han(f) || t.bigram('路', f) < BULLET_DOT_BIGRAM)
}

/// One decoded segment of a run, read with decoder `d` as original encoding `e`, and
/// what its spans are costed against: the line's chars and cost prefix sums (`pre`),
/// the segment's tokens and theirs (`tpre`).
#[derive(Clone, Copy)]
pub(super) struct Segment<'a> {
    pub(super) t: &'a Tables,
    pub(super) chars: &'a [char],
    pub(super) pre: &'a [f32],
    pub(super) tpre: &'a [f32],
    pub(super) d: Codec,
    pub(super) e: Codec,
    pub(super) seg: &'a [Tok],
}

/// Emits every stretch of the segment's units whose summed gain peaks positive, split at
/// strongly negative units (Kadane's maximum subarray, restarted whenever the sum drops
/// to 0).
pub(super) fn positive_runs(
    segment: &Segment<'_>,
    units: &[Unit],
    out: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    judged: &mut Option<SpanNonAscii>,
) {
    let Segment {
        t,
        chars,
        d,
        e,
        seg,
        ..
    } = *segment;
    let mut s = 0.0f32;
    let mut st = 0usize;
    let mut best = 0.0f32;
    let mut best_end: Option<usize> = None;
    let mut flush = |st: usize, best_end: &mut Option<usize>| {
        if let Some(be) = best_end.take() {
            // Neutral neighbours join the span (their bigram with it already counted).
            // GBK read as Big5 and back damage whole lines, so there slightly negative
            // neighbours join too; so do hanzi from GBK or Big5 bytes read as Latin-1
            // (see `EDGE_HAN_FLOOR`).
            let floor = if d != Codec::Sb && e != Codec::Utf8 {
                -2.0
            } else {
                0.0
            };
            let han_floor = d == Codec::Sb && e != Codec::Utf8;
            let joins = |u: &Unit| {
                let least = if u.c0 == 0 || u.c1 >= chars.len() {
                    LINE_EDGE_HAN_FLOOR
                } else {
                    EDGE_HAN_FLOOR
                };
                !u.identity
                    && (u.gain >= floor
                        || (han_floor
                            && u.gain >= least
                            && !chars.get(u.c0..u.c1).is_some_and(chinese_marks)
                            && seg
                                .get(u.t0..u.t1)
                                .unwrap_or(&[])
                                .iter()
                                .all(|x| x.ch.is_some_and(is_han))))
            };
            let mut a = st;
            while a > 0 && joins(&units[a - 1]) {
                a -= 1;
            }
            // A bullet's middle dot before the span, with at most two units of ASCII
            // spaces and marks between them (`·[幻灯]…`, `· 因涉嫌…`).
            if d == Codec::Gbk && e == Codec::Utf8 {
                let mut j = a;
                while a - j < BULLET_GAP_UNITS
                    && j > 0
                    && units[j - 1].identity
                    && chars
                        .get(units[j - 1].c0..units[j - 1].c1)
                        .is_some_and(|g| g.iter().all(|c| c.is_ascii_punctuation() || *c == ' '))
                {
                    j -= 1;
                }
                if j > 0
                    && units
                        .get(j)
                        .is_some_and(|next| bullet_dot(t, chars, seg, &units[j - 1], next))
                {
                    a = j - 1;
                }
            }
            let mut b = be;
            while b < units.len() && joins(&units[b]) {
                b += 1;
            }
            let span = units.get(a..b).unwrap_or(&[]);
            let n = out.len();
            emit(segment, span, out, arena, judged);
            if out.len() == n && d == Codec::Gbk && e == Codec::Utf8 {
                emit_pieces(segment, span, out, arena);
            }
        }
    };
    for (k, u) in units.iter().enumerate() {
        if u.gain < -3.0 {
            flush(st, &mut best_end);
            s = 0.0;
            best = 0.0;
            st = k + 1;
            continue;
        }
        s += u.gain;
        if s > best {
            best = s;
            best_end = Some(k + 1);
        }
        if s <= 0.0 {
            flush(st, &mut best_end);
            s = 0.0;
            best = 0.0;
            st = k + 1;
        }
    }
    flush(st, &mut best_end);
    // Single characters offered as spans of their own, for `judge` to weigh as weak
    // ones (not the span `double_layer` looks at: what it reuses is left as is):
    // - of UTF-8 read as GBK, a copyright sign, a no-break space or a bullet's middle
    //   dot beside ASCII text, which costs more than the common hanzi it reads as, where
    //   no span holds it already;
    // - of Big5 read as GBK, a lone marker, which costs about what the common hanzi it
    //   stands for does (`る` → `月`).
    if d != Codec::Gbk || !matches!(e, Codec::Utf8 | Codec::Big5) {
        return;
    }
    for (k, u) in units.iter().enumerate() {
        let one = u.c1 == u.c0 + 1 && u.t1 == u.t0 + 1;
        let offer = one
            && match e {
                Codec::Utf8 => {
                    let sign = chars.get(u.c0).and_then(|&c| sign_read_as_gbk(c));
                    sign.is_some()
                        && sign == seg.get(u.t0).and_then(|x| x.ch)
                        && !out.iter().any(|f| f.start <= u.c0 && u.c0 < f.end)
                }
                Codec::Big5 => {
                    (LONE_MARKER_FLOOR..=0.0).contains(&u.gain)
                        && chars.get(u.c0).is_some_and(|&c| big5_marker(c) != 0)
                }
                _ => false,
            };
        if offer {
            emit(
                segment,
                units.get(k..k + 1).unwrap_or(&[]),
                out,
                arena,
                &mut None,
            );
        }
    }
}

/// Offers, of a stretch of units whose repair as a whole [`judge`] refused, each piece
/// between its units that lose (negative gain, not identity) whose gain is positive:
/// the repair of the pieces is judged on their own characters, not on the dear ones
/// that cut them (`缁艰壓 路 濞变箰`: the middle dots are dearer than the `路` they read
/// as, and with them the span as a whole is not cheap enough). [`positive_runs`] offers
/// pieces for UTF-8 read as GBK only: with pieces of every chain, two lines of the
/// thirteen comparison sets with a span of GBK read as windows-1252 lost their repair
/// to such pieces, one of them for the worse. Of 24,360 lines of three menu words
/// between middle dots read as GBK, 228 were left as they were without the pieces,
/// none with them.
fn emit_pieces(segment: &Segment<'_>, units: &[Unit], out: &mut Vec<Fix>, arena: &mut Vec<char>) {
    let loses = |u: &Unit| !u.identity && u.gain < 0.0;
    if !units.iter().any(loses) {
        return;
    }
    for piece in units.split(loses) {
        if piece.iter().map(|u| u.gain).sum::<f32>() > 0.0 {
            emit(segment, piece, out, arena, &mut None);
        }
    }
}

/// The least gain of a lone marker of Big5 read as GBK that [`positive_runs`] offers
/// as a span of its own.
pub(super) const LONE_MARKER_FLOOR: f32 = -1.0;

/// `units` without identity units at either end.
pub(super) fn trim_identity(units: &[Unit]) -> &[Unit] {
    let mut a = 0;
    let mut b = units.len();
    while a < b && units[a].identity {
        a += 1;
    }
    while b > a && units[b - 1].identity {
        b -= 1;
    }
    units.get(a..b).unwrap_or(&[])
}

/// `units` without a unit at either end that turns one hanzi into one letter of an
/// alphabet (U+0080..U+07FF) where the hanzi makes a dictionary pair ([`Tables::bigram`])
/// with the character beside it: in the line outside the span, or in the span's repair.
///
/// GBK encodes most common hanzi as a well-formed two-byte UTF-8 sequence (see
/// [`lone_letter`]), so a clean hanzi beside a span of UTF-8 read as GBK decodes
/// "back" to a letter, and the span takes it in when the rest of its repair outweighs
/// it: `范围` with `范` repaired and `围` clean came out `范Χ`, `唯一` with `一`
/// repaired `Ψ一`. Greek letters are not lone letters to [`lone_letter`] (Chinese
/// technical text uses them alone: `β版本`), so only the dictionary tells the two
/// apart: the hanzi makes a word with its neighbour (`范围`, `唯一`), the letter's
/// own hanzi rarely does (`尾版`, `伪粒`). (On our thirteen case sets: 11 lines
/// repaired, none spoilt; the synthetic sets unchanged.)
fn trim_letter_edges<'u>(t: &Tables, chars: &[char], seg: &[Tok], units: &'u [Unit]) -> &'u [Unit] {
    // The hanzi of a unit that turns one hanzi into one such letter.
    let hanzi = |u: &Unit| -> Option<char> {
        if u.c1 != u.c0 + 1 || u.t1 != u.t0 + 1 {
            return None;
        }
        let h = *chars.get(u.c0)?;
        let a = seg.get(u.t0)?.ch?;
        (is_han(h) && matches!(a as u32, 0x80..=0x7FF) && a.is_alphabetic()).then_some(h)
    };
    let word = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) => t.bigram(a, b) > 0.0,
        _ => false,
    };
    let mut kept = units;
    if let [first, second, ..] = kept {
        if let Some(h) = hanzi(first) {
            let inside = seg.get(second.t0).and_then(|x| x.ch);
            let outside = first.c0.checked_sub(1).and_then(|j| chars.get(j)).copied();
            if word(Some(h), inside) || word(outside, Some(h)) {
                kept = &kept[1..];
            }
        }
    }
    if let [.., penult, last] = kept {
        if let Some(h) = hanzi(last) {
            let inside = penult
                .t1
                .checked_sub(1)
                .and_then(|j| seg.get(j))
                .and_then(|x| x.ch);
            let outside = chars.get(last.c1).copied();
            if word(inside, Some(h)) || word(Some(h), outside) {
                kept = &kept[..kept.len() - 1];
            }
        }
    }
    kept
}

/// Judges the span of `units` (identity units and [`trim_letter_edges`]' units at its
/// edges trimmed) and pushes the
/// candidate repair to `out`, its repaired chars to `arena`; records in `judged` what
/// the span's repair has ([`SpanNonAscii`]).
pub(super) fn emit(
    segment: &Segment<'_>,
    units: &[Unit],
    out: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    judged: &mut Option<SpanNonAscii>,
) {
    let Segment {
        t,
        chars,
        pre,
        tpre,
        d,
        e,
        seg,
    } = *segment;
    let units = trim_identity(trim_letter_edges(t, chars, seg, trim_identity(units)));
    let (Some(first), Some(last)) = (units.first(), units.last()) else {
        return;
    };
    let before = chars.get(first.c0..last.c1).unwrap_or(&[]);
    let a0 = arena.len();
    // Every token of a segment is decoded: one char each (an exact-size extend).
    let toks = seg.get(first.t0..last.t1).unwrap_or(&[]);
    debug_assert!(toks.iter().all(|x| x.ch.is_some()));
    arena.extend(toks.iter().map(|x| x.ch.unwrap_or('\u{FFFD}')));
    let guessed = units.iter().any(|u| u.guessed);
    // Only a single-byte decoder's name depends on the text (`latin1` or `cp1252`).
    let chain = chain_name(e, d, d == Codec::Sb && uses_cp1252(before));
    let cb = span_cost(t, chars, pre, first.c0, last.c1);
    let ca = tok_cost(t, seg, tpre, first.t0, last.t1);
    let (n, sum) = non_ascii_cost(t, arena.get(a0..).unwrap_or(&[]).iter().copied());
    *judged = Some(SpanNonAscii {
        t0: first.t0,
        t1: last.t1,
        n,
        sum,
    });
    match judge(
        t,
        before,
        (cb, ca),
        arena,
        a0..arena.len(),
        chain,
        guessed,
        first.c0,
        last.c1,
        around(chars, first.c0, last.c1),
        (n, sum),
    ) {
        Some(f) => out.push(f),
        None => arena.truncate(a0),
    }
}
