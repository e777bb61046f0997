//! Decoding a run's bytes as the original encoding into tokens: one per character, an
//! undecodable byte, or a guess for bytes a strict decoder lost (completed by
//! [`guess`], then re-picked by [`context_pass`]).

use super::*;

/// Decodes `bytes` as `e` into `toks`; lost bytes ([`WILD`], at most two per
/// character) are completed with the cheapest character among the bytes decoder `d`
/// could have lost there, then re-picked with their context ([`context_pass`]).
pub(super) fn tokenize(
    t: &Tables,
    d: Codec,
    e: Codec,
    bytes: &[u16],
    toks: &mut Vec<Tok>,
    g: &mut GuessBuf,
    fill: Fill<'_>,
) {
    toks.clear();
    g.alts.clear();
    g.pending.clear();
    g.sorted.clear();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        // Fast path: ASCII, or a whole two- or three-byte UTF-8 sequence (not E0/ED,
        // whose second byte is restricted) with no lost byte; decoded as `decode_at`
        // would.
        if e == Codec::Utf8 {
            if let Some((l, c)) = utf8_fast(bytes, i) {
                toks.push(Tok {
                    b0: i as u32,
                    b1: (i + l) as u32,
                    ch: Some(c),
                    guessed: false,
                });
                i += l;
                continue;
            }
            // A byte that starts no UTF-8 sequence: undecodable, and no completion of
            // lost bytes after it can change that (`utf8_completable`).
            if matches!(bytes.get(i), Some(0x80..=0xC1 | 0xF5..=0xFF)) {
                toks.push(Tok::undecodable(i));
                i += 1;
                continue;
            }
        }
        let mut win = [0u8; 4];
        let mut wl = 0;
        let mut wilds = [usize::MAX; 2];
        let mut nw = 0;
        for (k, slot) in win.iter_mut().enumerate() {
            let Some(&v) = bytes.get(i + k) else { break };
            if v == WILD {
                if nw == 2 {
                    break;
                }
                wilds[nw] = k;
                nw += 1;
            } else {
                *slot = v as u8;
            }
            wl += 1;
        }
        let mut tok = None;
        if nw == 0 {
            tok = t.decode_at(e, &win[..wl]).map(|(l, c)| (l, c, false));
        } else {
            let w0 = wilds[0];
            if w0 > 0 {
                tok = t.decode_at(e, &win[..w0]).map(|(l, c)| (l, c, false));
            }
            // Lost bytes are completed in UTF-8, whose structure pins them down, and
            // a GBK lead byte a Big5 decoder lost (it then read the trail byte as a
            // lead: `\u{FFFD}沎` is `人]`), which the byte after it narrows down.
            // (Before a byte of 0x80-0xA0 any lead was lost, 126 readings: tried only in
            // lines with few losses, as for [`guess_both_lost`].)
            let gbk_lead = e == Codec::Gbk
                && d == Codec::Big5
                && w0 == 0
                && wilds[..nw].get(1) != Some(&1)
                && (g.few_lost || !matches!(bytes.get(i + 1), Some(0x80..=0xA0)));
            // Unless the bytes after it read better left where they are: a byte Big5
            // lost alone (`�亅敖裁` is `…屏蔽掉`, the stretch after a loss realigned)
            // is no lead byte, and pairing the next byte with it would misread all
            // that follows (`gbk_lead_keeps_reading`).
            let gbk_lead = gbk_lead && gbk_lead_keeps_reading(t, bytes, i);
            if gbk_lead {
                nw = 1;
            }
            // A GBK trail byte a Big5 decoder lost: after a lost lead byte the rest of
            // the stretch is read one byte late, and its last GBK lead byte pairs with
            // the byte Big5 read as a lead and lost (`…�` at the end of `涴岆�捩△馨髲�`).
            // (A second lost byte further on, as in `﹛\u{FFFD} \u{FFFD}`, is the next
            // character's.)
            let gbk_trail = e == Codec::Gbk
                && d == Codec::Big5
                && w0 == 1
                && wilds[..nw].get(1).is_none_or(|&w1| w1 >= 2);
            if gbk_trail {
                nw = 1;
            }
            // Both bytes of a GBK character a Big5 decoder lost one at a time (`人` C8 CB
            // before a space: C8 pairs with nothing, nor CB with the space).
            // (Two alone: a longer run of U+FFFD is no such pair.)
            let two = || {
                i.checked_sub(1).and_then(|p| bytes.get(p)) != Some(&WILD)
                    && bytes.get(i + 2) != Some(&WILD)
            };
            if d == Codec::Big5 && e == Codec::Gbk && g.few_lost && wilds[..nw] == [0, 1] && two() {
                let a0 = g.alts.len();
                let next = bytes.get(i + 2).map(|&v| v as u8);
                tok = guess_both_lost(t, next, &mut g.alts);
                if tok.is_some() && g.alts.len() - a0 > 1 {
                    g.pending.push((toks.len(), a0 as u32, g.alts.len() as u32));
                    g.sorted
                        .push(strictly_increasing(g.alts.get(a0..).unwrap_or(&[])));
                } else {
                    g.alts.truncate(a0);
                }
            }
            if tok.is_none() && (e == Codec::Utf8 || gbk_lead || gbk_trail) {
                let a0 = g.alts.len();
                let q = LostBytes {
                    d,
                    e,
                    bytes,
                    i,
                    win,
                    wl,
                    wilds: &wilds[..nw],
                    whatwg: g.whatwg,
                    many_lost: g.many_lost,
                };
                let sorted;
                (tok, sorted) = g.memo.guess(t, &q, &mut g.alts);
                if tok.is_some() && g.alts.len() - a0 > 1 {
                    g.pending.push((toks.len(), a0 as u32, g.alts.len() as u32));
                    g.sorted.push(sorted);
                } else {
                    g.alts.truncate(a0);
                }
            }
        }
        match tok {
            Some((l, c, guessed)) => {
                toks.push(Tok {
                    b0: i as u32,
                    b1: (i + l) as u32,
                    ch: Some(c),
                    guessed,
                });
                i += l;
            }
            None => {
                toks.push(Tok::undecodable(i));
                i += 1;
            }
        }
    }
    if fill != Fill::Cheapest && !g.forced.is_empty() {
        add_forced(toks, g);
    }
    if fill != Fill::Cheapest && !g.pending.is_empty() {
        let line = match fill {
            Fill::InLine(chars, bchar) => Some((chars, bchar)),
            _ => None,
        };
        context_pass(t, toks, g, line);
    }
}

/// Makes the tokens of `g.forced` guesses with their alternatives: each whose bytes
/// are one decoded token that is no guess already, in token order among the others.
#[cold]
pub(super) fn add_forced(toks: &mut [Tok], g: &mut GuessBuf) {
    for &(b0, b1, a0, a1) in &g.forced {
        let Ok(k) = toks.binary_search_by_key(&b0, |x| x.b0) else {
            continue;
        };
        let at = g.pending.partition_point(|p| p.0 < k);
        let (Some(tok), Some(alts)) =
            (toks.get_mut(k), g.forced_alts.get(a0 as usize..a1 as usize))
        else {
            continue;
        };
        if tok.b1 != b1
            || tok.guessed
            || tok.ch.is_none()
            || g.pending.get(at).is_some_and(|p| p.0 == k)
        {
            continue;
        }
        tok.guessed = true;
        let start = g.alts.len() as u32;
        g.alts.extend_from_slice(alts);
        g.pending.insert(at, (k, start, g.alts.len() as u32));
        g.sorted.insert(at, true);
    }
}

/// Bytes after a lost byte that [`gbk_lead_keeps_reading`] reads both ways, at most.
pub(super) const LEAD_LOOKAHEAD: usize = 12;

/// Bytes that must follow a lost byte, before the next one, for
/// [`gbk_lead_keeps_reading`] to judge (fewer: the lost byte is taken as a lead).
pub(super) const LEAD_LOOKAHEAD_MIN: usize = 6;

/// How much cheaper the reading with the lost byte alone must be.
pub(super) const LEAD_LOOKAHEAD_MARGIN: f32 = 4.0;

/// Whether the lost byte at `bytes[i]` may be taken as a GBK lead byte whose trail is
/// the byte after it, judged by the GBK reading of the bytes after it (up to
/// [`LEAD_LOOKAHEAD`], to the next lost byte): it may, unless at least
/// [`LEAD_LOOKAHEAD_MIN`] bytes follow and the characters read from `i + 1` on (the
/// lost byte alone) cost less by [`LEAD_LOOKAHEAD_MARGIN`] than those read from
/// `i + 2` on ([`read_cost`]; both readings end at the same byte, and the guessed
/// character is not counted, so a close call keeps the guess).
pub(super) fn gbk_lead_keeps_reading(t: &Tables, bytes: &[u16], i: usize) -> bool {
    let end = (i + 1 + LEAD_LOOKAHEAD).min(bytes.len());
    let end = bytes
        .get(i + 1..end)
        .and_then(|b| b.iter().position(|&v| v == WILD))
        .map_or(end, |p| i + 1 + p);
    if end < i + 1 + LEAD_LOOKAHEAD_MIN {
        return true;
    }
    let cost_from = |j: usize| read_cost(t, Codec::Gbk, bytes.get(j..end).unwrap_or(&[]));
    cost_from(i + 1) + LEAD_LOOKAHEAD_MARGIN >= cost_from(i + 2)
}

/// The character at `bytes[i]` when it is ASCII or a well-formed two-byte or
/// three-byte (lead E1-EC, EE, EF) UTF-8 sequence without lost bytes; `None` sends
/// the caller to the general path.
#[inline]
pub(super) fn utf8_fast(bytes: &[u16], i: usize) -> Option<(usize, char)> {
    let cont = |b: u16| (0x80..=0xBF).contains(&b);
    match *bytes.get(i..)? {
        [b0, ..] if b0 < 0x80 => Some((1, b0 as u8 as char)),
        [b0 @ 0xC2..=0xDF, b1, ..] if cont(b1) => {
            char::from_u32(((b0 as u32 & 0x1F) << 6) | (b1 as u32 & 0x3F)).map(|c| (2, c))
        }
        [b0 @ (0xE1..=0xEC | 0xEE..=0xEF), b1, b2, ..] if cont(b1) && cont(b2) => {
            let cp = ((b0 as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F);
            char::from_u32(cp).map(|c| (3, c))
        }
        _ => None,
    }
}

/// How [`tokenize`] treats lost bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fill<'a> {
    /// Complete them with the cheapest candidate, without context.
    Cheapest,
    /// Complete them, then re-pick the completions with their context.
    Context,
    /// As `Context`, for bytes encoded from a line (its chars, and for each byte the
    /// index of the char it came from): where the bytes do not decode next to a guess,
    /// the line's own character there is its context (a damaged span ends at clean
    /// text).
    InLine(&'a [char], &'a [u32]),
}
