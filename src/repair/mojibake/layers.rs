//! Two layers of mojibake (`utf8>gbk>utf8>gbk`, `utf8>gbk>utf8>cp1252`, double
//! cp1252): a repaired span that still reads as mojibake is repaired again, with the
//! inner layer's lost bytes completed in a window of its context.

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn double_layer(
    t: &Tables,
    chars: &[char],
    d: Codec,
    outer_bytes: &[u16],
    seg: &[Tok],
    units: &[Unit],
    out: &mut Vec<Fix>,
    sc: &mut Scratch,
    judged: Option<SpanNonAscii>,
) {
    let units = trim_identity(units);
    let (Some(first), Some(last)) = (units.first(), units.last()) else {
        return;
    };
    let mid_toks = seg.get(first.t0..last.t1).unwrap_or(&[]);
    // The span's non-ASCII characters, their number and summed cost: as `emit` found
    // them when it judged the same span (every token of a segment is decoded: the
    // chars are the same, in the same order).
    // (A guessed character was picked for being plausible: it says nothing of whether
    // the text is another layer, and is left out when there is one.)
    let any_guessed = mid_toks.iter().any(|x| x.guessed);
    let (non_ascii, mid_cost) = match judged {
        Some(j) if (j.t0, j.t1) == (first.t0, last.t1) && !any_guessed => (j.n, j.sum),
        _ => non_ascii_cost(
            t,
            mid_toks.iter().filter(|x| !x.guessed).filter_map(|x| x.ch),
        ),
    };
    // Only an intermediate text that is itself implausible can be another layer.
    if non_ascii < 2 || mid_cost < 2.5 * non_ascii as f32 {
        return;
    }
    let mut mid = std::mem::take(&mut sc.mid);
    mid.clear();
    mid.extend(mid_toks.iter().filter_map(|x| x.ch));
    // Guessed characters of the intermediate text: their other candidates, for when
    // the cheapest one (chosen for plain text) does not fit the inner layer.
    let guessed: Vec<(usize, Vec<char>)> = mid_toks
        .iter()
        .enumerate()
        .filter(|(_, x)| x.guessed)
        .take(MAX_INNER_GUESSES)
        .map(|(i, x)| (i, outer_candidates(t, d, outer_bytes, x)))
        .collect();
    let before = chars.get(first.c0..last.c1).unwrap_or(&[]);
    let outer = codec_name(d, d == Codec::Sb && uses_cp1252(before));
    let inners: &[Codec] = if d == Codec::Sb {
        &[Codec::Sb, Codec::Gbk]
    } else {
        &[Codec::Gbk]
    };
    let mut bytes = std::mem::take(&mut sc.bytes2);
    let mut toks = std::mem::take(&mut sc.toks2);
    // The ASCII text around the span is the same in every layer: context for guesses.
    let shown = |c: &&char| !c.is_ascii_whitespace() && **c != '\u{A0}';
    sc.guess.edge = (
        chars
            .get(..first.c0)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(shown)
            .copied()
            .filter(char::is_ascii),
        chars
            .get(last.c1..)
            .unwrap_or(&[])
            .iter()
            .find(shown)
            .copied()
            .filter(char::is_ascii),
    );
    sc.guess.edge_spaced = chars.get(last.c1).is_some_and(|c| !shown(&c));
    sc.guess.edge_starts_line = chars
        .get(..first.c0)
        .unwrap_or(&[])
        .iter()
        .all(|c| !shown(&c));
    let mut scored: Vec<(usize, char, usize, f32)> = Vec::new();
    for &d2 in inners {
        let ok = inner_decode(t, d2, &mid, &mut bytes, &mut toks, &mut sc.guess);
        let bad = toks.iter().filter(|x| x.ch.is_none()).count();
        // The script of the inner text: re-picks of the other script cost more.
        let (mut simp, mut trad) = (0, 0);
        for c in toks.iter().filter_map(|x| x.ch) {
            match t.script(c) {
                1 => simp += 1,
                2 => trad += 1,
                _ => {}
            }
        }
        let wrong_script = match simp.cmp(&trad) {
            std::cmp::Ordering::Greater => 2,
            std::cmp::Ordering::Less => 1,
            std::cmp::Ordering::Equal => 0,
        };
        if !ok && (guessed.is_empty() || bad > 4 + 2 * guessed.len()) {
            continue;
        }
        if !guessed.is_empty() {
            // Try the other candidates of each guessed intermediate character: the one
            // whose neighbourhood decodes best in the inner layer (fewest undecodable
            // bytes, then cheapest). Decoding is local, so a window of characters
            // around the guess decides; its cut edges cost every candidate the same.
            let mut fixed = false;
            scored.clear();
            for (i, cands) in &guessed {
                let i = *i;
                let (lo, hi) = (
                    i.saturating_sub(REPICK_BACK),
                    (i + REPICK_AHEAD).min(mid.len()),
                );
                let Some(&keep) = mid.get(i) else { continue };
                // Brackets open before the guess: in the line before the span (the
                // last 256 characters) and in the intermediate text.
                let line_before = chars.get(first.c0.saturating_sub(256)..first.c0);
                let closer = guess_context::open_bracket_closer(
                    line_before
                        .unwrap_or(&[])
                        .iter()
                        .chain(mid.get(..i).unwrap_or(&[]))
                        .copied(),
                );
                // A closing bracket after the guess, in the intermediate text and the
                // line after the span, that closes none opened after the guess.
                let line_after = chars.get(last.c1..(last.c1 + 256).min(chars.len()));
                let opener = guess_context::unclosed_opener(
                    mid.get(i + 1..)
                        .unwrap_or(&[])
                        .iter()
                        .chain(line_after.unwrap_or(&[]))
                        .copied(),
                );
                let mut best: Option<(usize, f32, char)> = None;
                for &c in cands {
                    mid[i] = c;
                    let w = mid.get(lo..hi).unwrap_or(&[]);
                    let edge = punct::Edge {
                        starts_line: lo == 0 && sc.guess.edge_starts_line,
                        ..if hi == mid.len() {
                            sc.guess.follows()
                        } else {
                            punct::Edge::UNKNOWN
                        }
                    };
                    let at = (i - lo, edge, (closer, opener));
                    let Some((bad, cost)) = inner_window(
                        t,
                        d2,
                        w,
                        at,
                        wrong_script,
                        &mut bytes,
                        &mut toks,
                        &mut sc.guess,
                    ) else {
                        continue;
                    };
                    scored.push((i, c, bad, cost));
                    if !matches!(best, Some(b) if (b.0, b.1) <= (bad, cost)) {
                        best = Some((bad, cost, c));
                    }
                }
                mid[i] = best.map_or(keep, |b| b.2);
                fixed |= best.is_some_and(|b| b.2 != keep);
            }
            if (!ok && !fixed) || !inner_decode(t, d2, &mid, &mut bytes, &mut toks, &mut sc.guess) {
                continue;
            }
            if inner_choices(t, d2, &mid, &scored, &bytes, &toks, &mut sc.guess) {
                let ok = inner_decode(t, d2, &mid, &mut bytes, &mut toks, &mut sc.guess);
                sc.guess.forced.clear();
                sc.guess.forced_alts.clear();
                if !ok {
                    continue;
                }
            }
        }
        let a0 = sc.arena.len();
        sc.arena.extend(toks.iter().filter_map(|x| x.ch));
        let guessed = toks.iter().any(|x| x.guessed) || units.iter().any(|u| u.guessed);
        let chain = double_chain_name(codec_name(d2, d2 == Codec::Sb && uses_cp1252(&mid)), outer);
        let r = a0..sc.arena.len();
        let cb = span_cost(t, chars, &sc.pre, first.c0, last.c1);
        let after = sc.arena.get(r.clone()).unwrap_or(&[]);
        let ca = cost_of(t, after.iter().copied());
        let after_non_ascii = non_ascii_cost(t, after.iter().copied());
        match judge(
            t,
            before,
            (cb, ca),
            &sc.arena,
            r,
            chain,
            guessed,
            first.c0,
            last.c1,
            (None, None),
            after_non_ascii,
        ) {
            Some(f) => out.push(f),
            None => sc.arena.truncate(a0),
        }
    }
    sc.guess.edge = (None, None);
    sc.guess.edge_spaced = false;
    sc.guess.edge_starts_line = false;
    sc.bytes2 = bytes;
    sc.toks2 = toks;
    sc.mid = mid;
}

/// How much worse than the best of a re-picked character's candidates in its window
/// ([`inner_window`]) the second may read for the inner layer's context pass to choose
/// between them ([`inner_choices`]); further apart, the window decides alone. (On our
/// four case sets 0.5 to 8 repaired 10 more two-layer lines than [`inner_window`]
/// alone and broke 3; with no limit, 10 and 5.)
pub(super) const INNER_CHOICE_MARGIN: f32 = 2.0;

/// Sets `g.forced` to the inner tokens that the candidates of one re-picked
/// intermediate character (`scored`: re-picked character's index, candidate, and its
/// window's undecodable bytes and cost from [`inner_window`], grouped by index) change
/// alone, so that the inner layer's context pass (running text, the words around,
/// punctuation rules over the whole text) chooses among them: where all of the
/// character's bytes fall inside one token of `toks` (the inner decoding of `mid`, its
/// bytes `bytes`), each candidate whose window has the fewest undecodable bytes and
/// whose bytes there decode to one non-ASCII character of the token's length is an
/// alternative, at its window's cost above the best. Only when two or more are within
/// [`INNER_CHOICE_MARGIN`] of the best. True when a token is forced.
pub(super) fn inner_choices(
    t: &Tables,
    d2: Codec,
    mid: &[char],
    scored: &[(usize, char, usize, f32)],
    bytes: &[u16],
    toks: &[Tok],
    g: &mut GuessBuf,
) -> bool {
    g.forced.clear();
    g.forced_alts.clear();
    // Where each character's bytes start, as `t.encode` writes them (`inner_decode`
    // may have re-encoded some with their other GBK bytes: then nothing is forced).
    let mut starts: Vec<usize> = Vec::with_capacity(mid.len() + 1);
    let mut plain: Vec<u16> = Vec::with_capacity(bytes.len());
    for &c in mid {
        starts.push(plain.len());
        if !t.encode(d2, c, &mut plain) {
            return false;
        }
    }
    starts.push(plain.len());
    if plain != bytes {
        return false;
    }
    let mut one: Vec<u16> = Vec::new();
    let mut win = [0u8; 4];
    for cands in scored.chunk_by(|x, y| x.0 == y.0) {
        let Some(&(i, ..)) = cands.first() else {
            continue;
        };
        let (Some(&p), Some(&q)) = (starts.get(i), starts.get(i + 1)) else {
            continue;
        };
        let Some(tok) = toks
            .iter()
            .find(|x| x.b0 as usize <= p && q <= x.b1 as usize)
        else {
            continue;
        };
        let (b0, b1) = (tok.b0 as usize, tok.b1 as usize);
        let Some(inner) = bytes
            .get(b0..b1)
            .filter(|b| b.len() <= win.len() && !b.contains(&WILD))
        else {
            continue;
        };
        let fewest_bad = cands.iter().map(|x| x.2).min().unwrap_or(0);
        let least = cands
            .iter()
            .filter(|x| x.2 == fewest_bad)
            .map(|x| x.3)
            .fold(f32::MAX, f32::min);
        let a0 = g.forced_alts.len();
        let mut close = 0;
        for &(_, c, _, cost) in cands.iter().filter(|x| x.2 == fewest_bad) {
            one.clear();
            if !t.encode(d2, c, &mut one) || one.len() != q - p {
                continue;
            }
            for (k, w) in win.iter_mut().enumerate().take(inner.len()) {
                let j = b0 + k;
                let b = if (p..q).contains(&j) {
                    one.get(j - p)
                } else {
                    inner.get(k)
                };
                *w = b.map_or(0, |&b| b as u8);
            }
            match t.decode_at(Codec::Utf8, &win[..inner.len()]) {
                Some((l, ch)) if l == inner.len() && !ch.is_ascii() => {
                    g.forced_alts.push((ch, cost - least));
                    close += usize::from(cost - least <= INNER_CHOICE_MARGIN);
                }
                _ => {}
            }
        }
        if close < 2 {
            g.forced_alts.truncate(a0);
            continue;
        }
        // A decoding is one-to-one: the characters differ, and sorted they are in
        // strictly increasing order, as `add_forced` tells the context pass.
        g.forced_alts
            .get_mut(a0..)
            .unwrap_or(&mut [])
            .sort_by_key(|x| x.0);
        g.forced
            .push((b0 as u32, b1 as u32, a0 as u32, g.forced_alts.len() as u32));
    }
    g.forced.sort_by_key(|x| x.0);
    !g.forced.is_empty()
}

/// Encodes `mid` with `d2` and decodes it as UTF-8; true when every token is valid.
pub(super) fn inner_decode(
    t: &Tables,
    d2: Codec,
    mid: &[char],
    bytes: &mut Vec<u16>,
    toks: &mut Vec<Tok>,
    g: &mut GuessBuf,
) -> bool {
    bytes.clear();
    if !mid.iter().all(|&c| t.encode(d2, c, bytes)) {
        toks.clear();
        return false;
    }
    if d2 == Codec::Gbk && mid.iter().any(|&c| gbk_alternative(c).is_some()) {
        inner_alternatives(t, mid, bytes, toks, g);
    }
    tokenize(t, d2, Codec::Utf8, bytes, toks, g, Fill::Context);
    toks.iter().all(|x| x.ch.is_some())
}

/// Re-encodes the intermediate text `mid` (its GBK bytes are `bytes`) with the other
/// GBK bytes of each of its characters that has two ([`gbk_alternative`]: `€` is 80
/// or A2 E3) where those read better as UTF-8 in a window of three bytes either side,
/// as [`choose_alternatives`] does for the line: an inner UTF-8 character ending in
/// A2 before `。` (E3 80 82) reads back as `€€`.
pub(super) fn inner_alternatives(
    t: &Tables,
    mid: &[char],
    bytes: &mut Vec<u16>,
    toks: &mut Vec<Tok>,
    g: &mut GuessBuf,
) {
    let mut picks: Vec<usize> = Vec::new();
    let mut window: Vec<u16> = Vec::new();
    let mut pos = 0usize;
    let mut one: Vec<u16> = Vec::new();
    for (i, &c) in mid.iter().enumerate() {
        one.clear();
        t.encode(Codec::Gbk, c, &mut one);
        let len = one.len();
        // `€`'s other bytes A2 E3 end one UTF-8 character and start another, which
        // needs continuation bytes after it: elsewhere 80 stays.
        let next = bytes.get(pos + len).copied();
        let worth =
            c != '\u{20AC}' || next.is_some_and(|b| b == WILD || (0x80..=0xBF).contains(&b));
        if let Some(alt) = gbk_alternative(c).filter(|_| worth) {
            let lo = pos.saturating_sub(3);
            let hi = (pos + len + 3).min(bytes.len());
            let keep = window_cost(t, bytes.get(lo..hi).unwrap_or(&[]), toks, g);
            window.clear();
            window.extend_from_slice(bytes.get(lo..pos).unwrap_or(&[]));
            window.extend_from_slice(alt);
            window.extend_from_slice(bytes.get((pos + len).min(hi)..hi).unwrap_or(&[]));
            if window_cost(t, &window, toks, g) < keep {
                picks.push(i);
            }
        }
        pos += len;
    }
    if picks.is_empty() {
        return;
    }
    bytes.clear();
    for (i, &c) in mid.iter().enumerate() {
        match gbk_alternative(c).filter(|_| picks.contains(&i)) {
            Some(b) => bytes.extend_from_slice(b),
            None => {
                t.encode(Codec::Gbk, c, bytes);
            }
        }
    }
}

/// How many guessed characters of an intermediate text [`double_layer`] re-picks.
pub(super) const MAX_INNER_GUESSES: usize = 32;

/// How many intermediate characters before a re-picked one [`double_layer`]'s window
/// holds: enough inner text for the punctuation rules' clause (`怎样…？`, `如下…：`).
/// (3 gave one line of our four case sets' two-layer lines that 12 missed, and 12 five
/// that 3 missed; 8 four.)
pub(super) const REPICK_BACK: usize = 12;

/// How many intermediate characters from a re-picked one on (itself included) its
/// window holds.
pub(super) const REPICK_AHEAD: usize = 4;

/// Weight of a bigram's bonus against a character's cost in [`inner_window`]: as in
/// `context_pass`, whose own scores are twice a cost and whose bigrams weigh
/// [`GUESS_BIGRAM_WEIGHT`] (2.5 / 2). (At 1.0 a re-picked character took the cheaper
/// of two words, `共享度` for `共享库`; 1.25 and 1.5 repaired as many of our case sets'
/// two-layer lines, 1.75 fewer.)
pub(super) const INNER_BIGRAM_WEIGHT: f32 = GUESS_BIGRAM_WEIGHT / 2.0;

/// Weight of running text's pair bonus ([`running::bonus`]) of two hanzi side by side
/// against a character's cost in [`inner_window`]: the pairs that join words (`去读`,
/// `被关闭`, `等价于`) decide a re-picked character as they decide a guess of one
/// layer. (On our four case sets 0.75, 1.0 and 1.5 repaired 17 to 19 more two-layer
/// lines than none and broke 2; counting every pair anywhere, 0.5 broke 6 for 10.)
pub(super) const INNER_RUNNING_WEIGHT: f32 = 1.0;

/// Encodes `w` with `d2` and decodes it as UTF-8: (undecodable bytes, cost of the
/// rest less its bigrams' and running text's bonuses ([`INNER_BIGRAM_WEIGHT`],
/// [`INNER_RUNNING_WEIGHT`]; counted where stretches of hanzi end before a non-hanzi
/// character, the window's or, at its end, the text's), characters of script
/// `wrong_script` costing 2 more, plus the word-end and punctuation evidence
/// ([`guess_context::window_extra`]) for the inner character
/// that ends where `w[at.0]` does; `at.1`: what follows `w`; `at.2`: the bracket
/// that would close one open before `w[at.0]`, and the one that would open a stray
/// closer after it), or `None` when `d2` cannot encode `w`.
#[allow(clippy::too_many_arguments)]
pub(super) fn inner_window(
    t: &Tables,
    d2: Codec,
    w: &[char],
    at: (usize, punct::Edge, (Option<char>, Option<char>)),
    wrong_script: u8,
    bytes: &mut Vec<u16>,
    toks: &mut Vec<Tok>,
    g: &mut GuessBuf,
) -> Option<(usize, f32)> {
    bytes.clear();
    let mut end = 0;
    for (j, &c) in w.iter().enumerate() {
        if !t.encode(d2, c, bytes) {
            return None;
        }
        if j == at.0 {
            end = bytes.len();
        }
    }
    tokenize(t, d2, Codec::Utf8, bytes, toks, g, Fill::Cheapest);
    let bad = toks.iter().filter(|x| x.ch.is_none()).count();
    let mut prev = '\0';
    let mut cost = 0.0;
    let mut chars = toks.iter().filter_map(|x| x.ch).peekable();
    while let Some(c) = chars.next() {
        cost += t.cost(c) - INNER_BIGRAM_WEIGHT * t.bigram(prev, c);
        if is_han(prev) && is_han(c) {
            // Running text's pair counted where stretches of hanzi end, when the
            // window's next character, or what follows the text, is no hanzi.
            let ends = match chars.peek() {
                Some(&n) => !is_han(n),
                None => match at.1.after {
                    punct::After::Char(n) => !is_han(n),
                    punct::After::Unknown => false,
                    punct::After::End | punct::After::Space => true,
                },
            };
            let place = if ends {
                running::Place::End
            } else {
                running::Place::Any
            };
            cost -= INNER_RUNNING_WEIGHT * g.pair_memo.bonus(place, prev, c);
        }
        if wrong_script != 0 && t.script(c) == wrong_script {
            cost += 2.0;
        }
        prev = c;
    }
    if let Some(tk) = toks.iter().position(|x| x.b1 as usize == end) {
        cost += guess_context::window_extra(toks, tk, at.1, at.2);
    }
    Some((bad, cost))
}

/// All characters a guessed UTF-8 token of the outer layer could have been.
pub(super) fn outer_candidates(t: &Tables, d: Codec, bytes: &[u16], tok: &Tok) -> Vec<char> {
    let Some(span) = bytes.get(tok.b0 as usize..tok.b1 as usize) else {
        return Vec::new();
    };
    let Some(w) = span.iter().position(|&v| v == WILD) else {
        return Vec::new();
    };
    if span.iter().filter(|&&v| v == WILD).count() != 1 || span.len() > 4 {
        return Vec::new();
    }
    let mut win = [0u8; 4];
    for (k, &v) in span.iter().enumerate() {
        win[k] = v as u8;
    }
    let mut out = Vec::new();
    for b in 0x80..=0xFFu8 {
        let next = bytes
            .get(tok.b0 as usize + w + 1)
            .and_then(|&v| (v != WILD).then_some(v as u8));
        if !t.lost_ok(d, b, next) {
            continue;
        }
        win[w] = b;
        if let Some((l, c)) = t.decode_at(Codec::Utf8, &win[..span.len()]) {
            if l == span.len() {
                out.push(c);
            }
        }
    }
    out
}
