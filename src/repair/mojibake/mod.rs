//! Mojibake repair: finds spans of text that went through the wrong decoder and
//! restores the original characters, span by span, leaving clean text alone.
//!
//! # Model
//!
//! A span of mojibake is text that some decoder `D` produced from bytes that were
//! really in encoding `E` (the chain `E>D`, written as in `utf8>gbk`). To undo it the
//! span is encoded back with `D` and decoded with `E`. Supported chains:
//!
//! - `D` = Latin-1 / windows-1252 (browser behaviour with C1 controls for holes, or
//!   strict with U+FFFD), GBK (GB18030's two-byte part), Big5;
//! - `E` = UTF-8, GBK, Big5;
//! - two layers: `utf8>cp1252>utf8>cp1252`, `utf8>gbk>utf8>gbk`, `utf8>gbk>utf8>cp1252`.
//!
//! Decodability proves nothing, so every candidate is scored: each character has a
//! cost (common hanzi and CJK punctuation are cheap; rare hanzi, C1 controls, Latin-1
//! symbols, private-use characters and U+FFFD are expensive; the commonness tables are
//! GB2312 level 1 and Big5's frequent range plus a hand-written list of the commonest
//! characters). A span is replaced only when its repair lowers the cost by a wide
//! margin, both absolutely and relative to the span.
//!
//! Bytes a strict decoder lost (U+FFFD in the mojibake) are completed from the
//! candidates consistent with that decoder's behaviour; the cheapest (most common)
//! character wins, and the repair is reported with lower confidence.
//!
//! Damage that cannot be undone (`锟斤拷`, `烫烫烫`, `屯屯屯`, runs of U+FFFD) is left in
//! place and counted in [`RepairReport::unrecoverable`]; with
//! [`MojibakeOptions::drop_unrecoverable`] it is removed instead.
//!
//! Text is processed line by line (mojibake never crosses a newline: the newline byte
//! is the same in every encoding involved). A cheap scan rejects clean lines first.

use std::borrow::Cow;

use super::{Repair, RepairReport};

mod tables;

use tables::{class, tables, Codec, Tables, WILD};

/// Options of mojibake repair.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MojibakeOptions {
    /// Remove unrecoverable damage (`锟斤拷`, `烫烫烫`, `屯屯屯`, runs of two or more
    /// U+FFFD left after repair) instead of leaving it in place. Either way it is
    /// counted in [`RepairReport::unrecoverable`].
    pub drop_unrecoverable: bool,
}

impl MojibakeOptions {
    /// Default options: repair, keep unrecoverable damage in place.
    pub fn new() -> MojibakeOptions {
        MojibakeOptions::default()
    }

    /// Sets [`MojibakeOptions::drop_unrecoverable`].
    pub fn drop_unrecoverable(mut self, yes: bool) -> MojibakeOptions {
        self.drop_unrecoverable = yes;
        self
    }
}

/// Repairs mojibake spans in `text`, appending each repair to `report` (offsets in
/// code points into `text`) and counting unrecoverable damage in
/// `report.unrecoverable`. Returns `Cow::Borrowed` when nothing changed.
pub fn repair<'t>(
    text: &'t str,
    options: &MojibakeOptions,
    report: &mut RepairReport,
) -> Cow<'t, str> {
    let t = tables();
    if !text.bytes().any(|b| b >= 0x80) {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut done = 0usize; // bytes of `text` already copied into `out`
    let mut char_base = 0usize;
    let mut scratch = Scratch::default();
    let mut pos = 0usize;
    for full in text.split_inclusive('\n') {
        // Each line is looked at without its ASCII edge whitespace and line break, so
        // that trimming them (as the artifact pass does) never changes what this pass
        // decides: `repair` gives the same repairs on a line and on its trimmed form.
        let lead = full.len() - full.trim_start_matches(is_edge_space).len();
        let line = full[lead..].trim_end_matches(|c| c == '\n' || is_edge_space(c));
        let tail = full.len() - lead - line.len();
        let line_start = pos + lead;
        pos += full.len();
        char_base += lead;
        let scan = scan_line(t, line);
        if !scan.sb && !scan.cjk && !scan.unrecoverable {
            char_base += scan.chars + tail;
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut fixed = if scan.sb || scan.cjk {
            repair_line(t, &chars, &scan, &mut scratch)
        } else {
            Vec::new()
        };
        // Splice the repairs into a new line.
        let mut new_line: Vec<char> = Vec::with_capacity(chars.len());
        let mut last = 0usize;
        let mut new_positions = Vec::with_capacity(fixed.len());
        for f in &fixed {
            new_line.extend_from_slice(chars.get(last..f.start).unwrap_or(&[]));
            let s = new_line.len();
            new_line.extend(f.after.chars());
            new_positions.push((s, new_line.len()));
            last = f.end;
        }
        new_line.extend_from_slice(chars.get(last..).unwrap_or(&[]));
        for f in fixed.drain(..) {
            report.repairs.push(Repair {
                start: char_base + f.start,
                end: char_base + f.end,
                kind: f.chain,
                before: chars.get(f.start..f.end).unwrap_or(&[]).iter().collect(),
                after: f.after,
                confidence: f.confidence,
            });
        }
        // Unrecoverable damage, found in the repaired line.
        let (count, kept) = unrecoverable(&new_line, options.drop_unrecoverable);
        report.unrecoverable += count;
        let changed = new_line != chars || kept.is_some();
        if changed {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(text.get(done..line_start).unwrap_or(""));
            match kept {
                Some(k) => o.extend(k),
                None => o.extend(new_line.iter()),
            }
            done = line_start + line.len();
        }
        char_base += chars.len() + tail;
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(text.get(done..).unwrap_or(""));
            Cow::Owned(o)
        }
    }
}

/// ASCII whitespace at the edges of a line, which the pass never looks at.
fn is_edge_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r')
}

/// What the cheap scan found in a line.
struct Scan {
    /// Worth trying the Latin-1/windows-1252 chains: two such characters in a row.
    sb: bool,
    /// Worth trying the GBK/Big5 chains: two characters that clean Chinese text rarely
    /// has (anything but ASCII, common hanzi, CJK punctuation and Latin-1) at most two
    /// apart.
    cjk: bool,
    /// Contains a marker of unrecoverable damage.
    unrecoverable: bool,
    /// Number of characters in the line.
    chars: usize,
}

fn is_sb_high(k: u8) -> bool {
    matches!(
        k,
        class::LATIN1_LETTER
            | class::LATIN1_SYMBOL
            | class::CP1252_PUNCT
            | class::CP1252_RARE
            | class::C1
    )
}

/// The cheap scan, one pass over the bytes of `line`.
fn scan_line(t: &Tables, line: &str) -> Scan {
    let mut s = Scan {
        sb: false,
        cjk: false,
        unrecoverable: false,
        chars: 0,
    };
    let b = line.as_bytes();
    let mut i = 0;
    let mut ci = 0usize; // char index
    let mut last_odd = usize::MAX - 8;
    let mut prev_sb = false;
    let mut prev_lead = false;
    while let Some(&x) = b.get(i) {
        if x < 0x80 {
            // A Big5/GBK lead byte read as Latin-1 and an ASCII trail byte.
            if prev_lead && (0x40..=0x7E).contains(&x) {
                s.sb = true;
            }
            i += 1;
            ci += 1;
            prev_sb = false;
            prev_lead = false;
            continue;
        }
        let (cp, n) = match x {
            0xC0..=0xDF => (
                ((x as u32 & 0x1F) << 6) | (b.get(i + 1).copied().unwrap_or(0) as u32 & 0x3F),
                2,
            ),
            0xE0..=0xEF => (
                ((x as u32 & 0x0F) << 12)
                    | ((b.get(i + 1).copied().unwrap_or(0) as u32 & 0x3F) << 6)
                    | (b.get(i + 2).copied().unwrap_or(0) as u32 & 0x3F),
                3,
            ),
            _ => (0x1_0000, 4),
        };
        i += n;
        ci += 1;
        prev_lead = false;
        let k = t.class_cp(cp);
        match k {
            class::TOP | class::COMMON | class::CJK_PUNCT => {
                prev_sb = false;
                if matches!(cp, 0x951F | 0x70EB | 0x5C6F) {
                    // 锟 烫 屯
                    s.unrecoverable = true;
                }
            }
            _ if is_sb_high(k) => {
                if prev_sb || k == class::C1 {
                    s.sb = true;
                }
                prev_sb = true;
                prev_lead = (0xA1..=0xFE).contains(&cp);
                continue;
            }
            _ => {
                if k == class::REPLACEMENT {
                    s.unrecoverable = true;
                    s.sb |= prev_sb;
                    prev_sb = true;
                } else {
                    prev_sb = false;
                }
                if ci.wrapping_sub(last_odd) <= 3 {
                    s.cjk = true;
                }
                last_odd = ci;
            }
        }
    }
    s.chars = ci;
    s
}

/// Counts unrecoverable damage in `line`; with `drop`, also returns the line without it.
fn unrecoverable(line: &[char], drop: bool) -> (usize, Option<Vec<char>>) {
    let mut count = 0;
    let mut kept: Vec<char> = Vec::new();
    let mut i = 0;
    let mut any = false;
    while i < line.len() {
        let n = damage_len(line, i);
        if n > 0 {
            count += 1;
            any = true;
            if !drop {
                kept.extend_from_slice(line.get(i..i + n).unwrap_or(&[]));
            }
            i += n;
        } else {
            if let Some(&c) = line.get(i) {
                kept.push(c);
            }
            i += 1;
        }
    }
    if drop && any {
        (count, Some(kept))
    } else {
        (count, None)
    }
}

/// Length of unrecoverable damage starting at `i`: `锟斤拷` repeats (with the odd
/// half pair), runs of three or more `烫` or `屯`, runs of two or more U+FFFD.
fn damage_len(line: &[char], i: usize) -> usize {
    let at = |k: usize| line.get(k).copied();
    if at(i) == Some('锟') && at(i + 1) == Some('斤') && at(i + 2) == Some('拷') {
        let mut j = i + 3;
        loop {
            if at(j) == Some('锟') && at(j + 1) == Some('斤') && at(j + 2) == Some('拷') {
                j += 3;
            } else if at(j) == Some('锟') {
                j += 1;
                break;
            } else {
                break;
            }
        }
        return j - i;
    }
    for (c, min) in [('烫', 3), ('屯', 3), ('\u{FFFD}', 2)] {
        if at(i) == Some(c) {
            let mut j = i;
            while at(j) == Some(c) {
                j += 1;
            }
            if j - i >= min {
                return j - i;
            }
            return 0;
        }
    }
    0
}

/// A repair of one span of a line, in char offsets into the line.
#[derive(Debug, Clone)]
struct Fix {
    start: usize,
    end: usize,
    after: String,
    chain: String,
    gain: f32,
    /// Share of the span's cost the repair removes (`gain / cost before`).
    strength: f32,
    confidence: f32,
    /// Acceptable only with a strong repair of the same chain in the line.
    weak: bool,
}

/// One decoded character (or an undecodable byte) over `bytes[b0..b1]`.
#[derive(Debug, Clone, Copy)]
struct Tok {
    b0: u32,
    b1: u32,
    ch: Option<char>,
    guessed: bool,
}

/// Reused buffers.
#[derive(Default)]
struct Scratch {
    /// Scratch for encodability probes.
    probe: Vec<u16>,
    /// Per char of the current run: use its alternative GBK bytes.
    alt: Vec<bool>,
    bytes: Vec<u16>,
    /// For each byte, the index (in the line) of the char it came from.
    bchar: Vec<u32>,
    /// For each byte position (and the end), whether a char starts there.
    bstart: Vec<bool>,
    toks: Vec<Tok>,
}

/// The passes, in order: (wrong decoder, original encoding). Later passes run only
/// while some odd character of the line is not yet inside a candidate repair.
const PASSES: [(Codec, Codec); 7] = [
    (Codec::Sb, Codec::Utf8),
    (Codec::Sb, Codec::Gbk),
    (Codec::Sb, Codec::Big5),
    (Codec::Gbk, Codec::Utf8),
    (Codec::Gbk, Codec::Big5),
    (Codec::Big5, Codec::Gbk),
    (Codec::Big5, Codec::Utf8),
];

fn codec_name(c: Codec, sb_cp1252: bool) -> &'static str {
    match c {
        Codec::Sb if sb_cp1252 => "cp1252",
        Codec::Sb => "latin1",
        Codec::Utf8 => "utf8",
        Codec::Gbk => "gbk",
        Codec::Big5 => "big5",
    }
}

fn uses_cp1252(chars: &[char]) -> bool {
    chars.iter().any(|&c| {
        let cp = c as u32;
        cp > 0xFF && cp != 0xFFFD
    }) || chars.contains(&'\u{FFFD}')
}

/// The cost of a character sequence: character costs minus bigram bonuses.
fn cost_of(t: &Tables, chars: impl IntoIterator<Item = char>) -> f32 {
    let mut sum = 0.0;
    let mut prev = '\0';
    for c in chars {
        sum += (t.cost(c) - t.bigram(prev, c)).max(0.2);
        prev = c;
    }
    sum
}

/// Finds the repairs of one line (chars, newline included), in order, non-overlapping.
fn repair_line(t: &Tables, chars: &[char], scan: &Scan, sc: &mut Scratch) -> Vec<Fix> {
    let mut cands: Vec<Fix> = Vec::new();
    // Japanese lines: kana are everyday characters there; only Latin-1 chains apply.
    let hira = chars
        .iter()
        .filter(|&&c| ('\u{3041}'..='\u{309F}').contains(&c))
        .count();
    let non_ascii = chars.iter().filter(|c| !c.is_ascii()).count();
    let japanese = hira >= 2 && hira * 10 >= non_ascii;
    let odd: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(_, &c)| {
            !matches!(
                t.class(c),
                class::ASCII | class::TOP | class::COMMON | class::CJK_PUNCT
            )
        })
        .map(|(i, _)| i)
        .collect();
    let mut last_d = None;
    for (d, e) in PASSES {
        // Big5 read as GBK turns Big5's commonest hanzi (lead byte A4) into hiragana,
        // so that chain is tried on kana-rich lines too.
        let wanted = match (d, e) {
            (Codec::Sb, _) => scan.sb,
            (Codec::Gbk, Codec::Big5) => scan.cjk,
            _ => scan.cjk && !japanese,
        };
        if !wanted {
            continue;
        }
        // Stop once every odd character lies in some candidate repair.
        if last_d.is_some()
            && odd.iter().all(|&i| {
                cands
                    .iter()
                    .any(|f| f.strength >= 0.65 && f.start <= i && i < f.end)
            })
        {
            break;
        }
        last_d = Some(d);
        let mut i = 0;
        while i < chars.len() {
            // A maximal run of chars `d` can produce.
            let start = i;
            while chars.get(i).is_some_and(|&c| t.encode(d, c, &mut sc.probe)) {
                sc.probe.clear();
                i += 1;
            }
            sc.probe.clear();
            if i == start {
                i += 1;
                continue;
            }
            let run = start..i;
            if chars
                .get(run.clone())
                .unwrap_or(&[])
                .iter()
                .all(|c| c.is_ascii())
            {
                continue;
            }
            sc.alt.clear();
            sc.alt.resize(run.len(), false);
            encode_run(
                t,
                d,
                chars,
                run.clone(),
                &sc.alt,
                &mut sc.bytes,
                &mut sc.bchar,
                &mut sc.bstart,
            );
            if d == Codec::Gbk && e == Codec::Utf8 {
                choose_alternatives(t, chars, run.clone(), sc);
            }
            search_run(t, chars, d, e, sc, &mut cands);
        }
    }
    // A single hanzi from Latin-1 bytes (`×£` → `祝`) needs CJK text around it, or
    // must be a very common character.
    let cjk_in_line = chars
        .iter()
        .any(|&c| matches!(t.class(c), class::TOP | class::COMMON | class::CJK_PUNCT));
    cands.retain(|f| {
        let mut non_ascii = f.after.chars().filter(|c| !c.is_ascii());
        let (Some(c), None) = (non_ascii.next(), non_ascii.next()) else {
            return true;
        };
        let sb_to_cjk = !f.chain.starts_with("utf8")
            && (f.chain.ends_with("latin1") || f.chain.ends_with("cp1252"));
        !sb_to_cjk || cjk_in_line || (t.class(c) == class::TOP && t.cost(c) < 1.5)
    });
    let strong_chains: Vec<String> = cands
        .iter()
        .filter(|f| !f.weak)
        .map(|f| f.chain.clone())
        .collect();
    cands.retain(|f| !f.weak || strong_chains.contains(&f.chain));
    let mut chosen = select(cands);
    line_evidence(t, chars, &mut chosen);
    c1_controls(chars, &mut chosen);
    chosen
}

/// Drops weak Latin repairs (one character from a two-byte UTF-8 sequence, such as
/// `Ã¥` → `å`) when the line has another Latin-1/windows-1252 character that no
/// repair explains: the line then reads as correctly decoded Latin text. Drops
/// single-hanzi repairs from Latin-1 (`×£` → `祝`) unless the line has other CJK text.
fn line_evidence(t: &Tables, chars: &[char], fixes: &mut Vec<Fix>) {
    let covered = |i: usize, fixes: &[Fix]| fixes.iter().any(|f| f.start <= i && i < f.end);
    let stray_latin = chars
        .iter()
        .enumerate()
        .any(|(i, &c)| is_sb_high(t.class(c)) && !covered(i, fixes));
    let cjk_elsewhere = chars.iter().enumerate().any(|(i, &c)| {
        matches!(t.class(c), class::TOP | class::COMMON | class::CJK_PUNCT) && !covered(i, fixes)
    });
    let other_script_fixes = fixes
        .iter()
        .filter(|f| {
            f.after
                .chars()
                .filter(|&c| (0x250..0x800).contains(&(c as u32)))
                .count()
                >= 1
        })
        .map(|f| {
            f.after
                .chars()
                .filter(|&c| (0x250..0x800).contains(&(c as u32)))
                .count()
        })
        .sum::<usize>()
        >= 2;
    fixes.retain(|f| {
        let non_ascii: Vec<char> = f.after.chars().filter(|c| !c.is_ascii()).collect();
        if non_ascii.len() != 1 {
            return true;
        }
        let c = non_ascii[0];
        let latin_chain = f.chain.ends_with("latin1") || f.chain.ends_with("cp1252");
        if latin_chain && (c as u32) < 0x800 {
            // One letter of another script alone in the line (`×£` → `ף`) is a
            // coincidence; real Greek, Cyrillic or Hebrew mojibake comes in words.
            if (c as u32) >= 0x250 && !other_script_fixes {
                return false;
            }
            return !stray_latin;
        }
        if latin_chain && !f.chain.starts_with("utf8") {
            return cjk_elsewhere || (t.class(c) == class::TOP && t.cost(c) < 1.5);
        }
        true
    });
}

/// A C1 control left outside every repair is a windows-1252 byte decoded as Latin-1:
/// it becomes its windows-1252 character (`\u{85}` → `…`).
fn c1_controls(chars: &[char], fixes: &mut Vec<Fix>) {
    let mut extra = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let cp = c as u32;
        if !(0x80..0xA0).contains(&cp) || fixes.iter().any(|f| f.start <= i && i < f.end) {
            continue;
        }
        let mapped = tables::CP1252_HIGH[cp as usize - 0x80];
        if let Some(m) = char::from_u32(mapped as u32).filter(|_| mapped != 0) {
            extra.push(Fix {
                start: i,
                end: i + 1,
                after: m.to_string(),
                chain: "cp1252>latin1".to_string(),
                gain: 0.0,
                strength: 1.0,
                confidence: 0.9,
                weak: false,
            });
        }
    }
    if !extra.is_empty() {
        fixes.extend(extra);
        fixes.sort_by_key(|f| f.start);
    }
}

/// The other bytes a WHATWG GBK decoder turns into `c` (`€` is 0x80 and A2E3,
/// U+3000 is A1A1 and A3A0).
fn gbk_alternative(c: char) -> Option<&'static [u16]> {
    match c {
        '\u{20AC}' => Some(&[0xA2, 0xE3]),
        '\u{3000}' => Some(&[0xA3, 0xA0]),
        _ => None,
    }
}

/// Encodes `chars[run]` with `d` into `bytes`, recording for each byte the char it
/// came from and whether a char starts there (plus one entry for the end).
#[allow(clippy::too_many_arguments)]
fn encode_run(
    t: &Tables,
    d: Codec,
    chars: &[char],
    run: std::ops::Range<usize>,
    alt: &[bool],
    bytes: &mut Vec<u16>,
    bchar: &mut Vec<u32>,
    bstart: &mut Vec<bool>,
) {
    bytes.clear();
    bchar.clear();
    bstart.clear();
    for (k, i) in run.clone().enumerate() {
        let Some(&c) = chars.get(i) else { break };
        let before = bytes.len();
        match gbk_alternative(c).filter(|_| d == Codec::Gbk && alt.get(k) == Some(&true)) {
            Some(b) => bytes.extend_from_slice(b),
            None => {
                t.encode(d, c, bytes);
            }
        }
        for b in before..bytes.len() {
            bchar.push(i as u32);
            bstart.push(b == before);
        }
    }
    bstart.push(true);
    bchar.push(run.end as u32);
}

/// For each char of the run with two GBK byte sequences, keeps the one whose UTF-8
/// reading around it is cheaper (each decided on its own, in a window of three bytes
/// either side), then re-encodes the run if any alternative won.
fn choose_alternatives(t: &Tables, chars: &[char], run: std::ops::Range<usize>, sc: &mut Scratch) {
    let mut toks = Vec::new();
    let mut window: Vec<u16> = Vec::new();
    let mut any = false;
    let mut pos = 0usize; // byte offset of the current char in sc.bytes
    for k in 0..run.len() {
        // Advance `pos` to the first byte of char run.start + k.
        while pos < sc.bchar.len() && (sc.bchar[pos] as usize) < run.start + k {
            pos += 1;
        }
        let Some(&c) = chars.get(run.start + k) else {
            break;
        };
        let Some(alt) = gbk_alternative(c) else {
            continue;
        };
        let len = if c == '\u{20AC}' { 1 } else { 2 };
        let lo = pos.saturating_sub(3);
        let hi = (pos + len + 3).min(sc.bytes.len());
        let mut cost = |w: &[u16]| -> f32 {
            tokenize(t, Codec::Gbk, Codec::Utf8, w, &mut toks);
            toks.iter().map(|x| x.ch.map_or(8.0, |c| t.cost(c))).sum()
        };
        let keep = cost(sc.bytes.get(lo..hi).unwrap_or(&[]));
        window.clear();
        window.extend_from_slice(sc.bytes.get(lo..pos).unwrap_or(&[]));
        window.extend_from_slice(alt);
        window.extend_from_slice(sc.bytes.get((pos + len).min(hi)..hi).unwrap_or(&[]));
        if cost(&window) < keep {
            sc.alt[k] = true;
            any = true;
        }
    }
    if any {
        let alt = std::mem::take(&mut sc.alt);
        encode_run(
            t,
            Codec::Gbk,
            chars,
            run,
            &alt,
            &mut sc.bytes,
            &mut sc.bchar,
            &mut sc.bstart,
        );
        sc.alt = alt;
    }
}

/// Decodes `bytes` as `e` into `toks`; lost bytes ([`WILD`], at most two per
/// character) are completed with the cheapest character among the bytes decoder `d`
/// could have lost there.
fn tokenize(t: &Tables, d: Codec, e: Codec, bytes: &[u16], toks: &mut Vec<Tok>) {
    toks.clear();
    let n = bytes.len();
    let mut i = 0;
    let mut alts = Vec::new();
    let mut pending: Vec<(usize, Vec<(char, f32)>)> = Vec::new();
    while i < n {
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
            // Lost bytes are completed only in UTF-8, whose structure pins them down.
            if tok.is_none() && e == Codec::Utf8 {
                tok = guess(t, d, e, bytes, i, &mut win, wl, &wilds[..nw], &mut alts);
                if tok.is_some() && alts.len() > 1 {
                    pending.push((toks.len(), std::mem::take(&mut alts)));
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
                toks.push(Tok {
                    b0: i as u32,
                    b1: i as u32 + 1,
                    ch: None,
                    guessed: false,
                });
                i += 1;
            }
        }
    }
    context_pass(t, toks, pending);
}

/// Weight of a bigram bonus against twice a character's cost when picking guesses.
const GUESS_BIGRAM_WEIGHT: f32 = 1.5;

/// Re-picks the guessed characters with their context: bigrams with the nearest
/// characters (spaces skipped) and bracket pairing. Guesses next to each other are
/// decided together (Viterbi over their alternatives).
fn context_pass(t: &Tables, toks: &mut [Tok], pending: Vec<(usize, Vec<(char, f32)>)>) {
    let is_space = |c: char| c == ' ' || c == '\u{3000}';
    // The script of the decoded text: guesses of the other script cost more.
    let (mut simp, mut trad) = (0, 0);
    for x in toks.iter().filter(|x| !x.guessed) {
        match x.ch.map_or(0, |c| t.script(c)) {
            1 => simp += 1,
            2 => trad += 1,
            _ => {}
        }
    }
    let wrong_script = if simp > trad {
        2
    } else if trad > simp {
        1
    } else {
        3
    };
    let mut g = 0;
    while g < pending.len() {
        // A group of guesses with only spaces between them.
        let mut h = g + 1;
        while h < pending.len() {
            let (a, b) = (pending[h - 1].0, pending[h].0);
            let between = toks.get(a + 1..b).unwrap_or(&[]);
            if between.iter().all(|x| x.ch.is_some_and(is_space)) {
                h += 1;
            } else {
                break;
            }
        }
        let group = &pending[g..h];
        let first = group[0].0;
        let last = group[group.len() - 1].0;
        let prev = toks
            .get(..first)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find_map(|x| x.ch.filter(|&c| !is_space(c)));
        let next = toks
            .get(last + 1..)
            .unwrap_or(&[])
            .iter()
            .find_map(|x| x.ch.filter(|&c| !is_space(c)));
        // Viterbi: best[j] = (score, back pointer) for alternative j of the current guess.
        let mut scores: Vec<Vec<(f32, usize)>> = Vec::with_capacity(group.len());
        for (n, (k, alts)) in group.iter().enumerate() {
            let earlier = toks.get(..*k).unwrap_or(&[]);
            let row: Vec<(f32, usize)> = alts
                .iter()
                .map(|&(c, cost)| {
                    let mut own = 2.0 * cost - bracket_bonus(earlier, c);
                    if t.script(c) == wrong_script {
                        own += 2.0;
                    }
                    if n == 0 {
                        let b = prev.map_or(0.0, |p| t.bigram(p, c));
                        (own - GUESS_BIGRAM_WEIGHT * b, 0)
                    } else {
                        let prev_alts = &group[n - 1].1;
                        let mut best = (f32::MAX, 0);
                        for (j, &(pc, _)) in prev_alts.iter().enumerate() {
                            let sc = scores[n - 1][j].0 - GUESS_BIGRAM_WEIGHT * t.bigram(pc, c);
                            if sc < best.0 {
                                best = (sc, j);
                            }
                        }
                        (best.0 + own, best.1)
                    }
                })
                .collect();
            scores.push(row);
        }
        // Close with the right context and walk back.
        let Some(last_row) = scores.last() else {
            g = h;
            continue;
        };
        let last_alts = &group[group.len() - 1].1;
        let mut pick = last_row
            .iter()
            .enumerate()
            .map(|(j, &(sc, _))| {
                let b = next.map_or(0.0, |nx| t.bigram(last_alts[j].0, nx));
                (j, sc - GUESS_BIGRAM_WEIGHT * b)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(0, |x| x.0);
        for n in (0..group.len()).rev() {
            let (k, alts) = &group[n];
            if let (Some(&(c, _)), Some(tok)) = (alts.get(pick), toks.get_mut(*k)) {
                tok.ch = Some(c);
            }
            pick = scores[n].get(pick).map_or(0, |x| x.1);
        }
        g = h;
    }
}

/// Bonus for a closing bracket or quote whose opener is still open in `earlier`, a
/// penalty for one whose opener is not.
fn bracket_bonus(earlier: &[Tok], c: char) -> f32 {
    const PAIRS: [(char, char); 7] = [
        ('《', '》'),
        ('（', '）'),
        ('“', '”'),
        ('「', '」'),
        ('【', '】'),
        ('『', '』'),
        ('〈', '〉'),
    ];
    for (open, close) in PAIRS {
        if c == close {
            let mut depth = 0i32;
            for x in earlier.iter().filter_map(|x| x.ch) {
                if x == open {
                    depth += 1;
                } else if x == close {
                    depth -= 1;
                }
            }
            return if depth > 0 { 1.5 } else { -1.0 };
        }
    }
    0.0
}

/// The byte after position `p` if it is known.
fn next_known(bytes: &[u16], p: usize) -> Option<u8> {
    bytes
        .get(p + 1)
        .and_then(|&v| (v != WILD).then_some(v as u8))
}

/// Completes the lost bytes at `wilds` (offsets into `win`, the bytes from `i`).
#[allow(clippy::too_many_arguments)]
fn guess(
    t: &Tables,
    d: Codec,
    e: Codec,
    bytes: &[u16],
    i: usize,
    win: &mut [u8; 4],
    wl: usize,
    wilds: &[usize],
    alts: &mut Vec<(char, f32)>,
) -> Option<(usize, char, bool)> {
    let cands = |w: usize| -> Vec<u8> {
        let next = next_known(bytes, i + w);
        let last_wild = wilds.last().copied() == Some(w);
        // In UTF-8 a lost byte is a lead byte at the start of a sequence and a
        // continuation byte inside one.
        let range = match (e, w) {
            (Codec::Utf8, 0) => 0xC2..=0xF4u8,
            (Codec::Utf8, _) => 0x80..=0xBFu8,
            _ => 0x80..=0xFFu8,
        };
        range
            .filter(|&b| t.lost_ok(d, b, if last_wild { next } else { None }))
            .collect()
    };
    // `EF BF` + a lost byte: U+FFFD itself went through the wrong decoder.
    if e == Codec::Utf8 && wilds == [2] && win[0] == 0xEF && win[1] == 0xBF {
        alts.clear();
        return Some((3, '\u{FFFD}', false));
    }
    let c0 = cands(wilds[0]);
    let c1 = if wilds.len() > 1 {
        cands(wilds[1])
    } else {
        vec![0]
    };
    if c0.len() * c1.len() > 64 {
        return None;
    }
    let mut best: Option<(usize, char, f32)> = None;
    alts.clear();
    for &a in &c0 {
        win[wilds[0]] = a;
        for &b in &c1 {
            if let Some(&w1) = wilds.get(1) {
                win[w1] = b;
            }
            if let Some((l, c)) = t.decode_at(e, &win[..wl]) {
                if wilds[0] < l {
                    let cost = t.cost(c);
                    alts.push((c, cost));
                    if !matches!(best, Some(x) if x.2 <= cost) {
                        best = Some((l, c, cost));
                    }
                }
            }
        }
    }
    let (l, c, _) = best?;
    // Keep only the alternatives of the chosen length, for the context pass.
    let len_of = |x: char| match e {
        Codec::Utf8 => x.len_utf8(),
        _ => l,
    };
    alts.retain(|&(x, _)| len_of(x) == l);
    Some((l, c, true))
}

/// A group of tokens that starts and ends on char boundaries of the line.
#[derive(Debug, Clone)]
struct Unit {
    c0: usize,
    c1: usize,
    /// Its tokens: `seg[t0..t1]` of the segment.
    t0: usize,
    t1: usize,
    gain: f32,
    guessed: bool,
    identity: bool,
}

fn search_run(
    t: &Tables,
    chars: &[char],
    d: Codec,
    e: Codec,
    sc: &mut Scratch,
    out: &mut Vec<Fix>,
) {
    let mut toks = std::mem::take(&mut sc.toks);
    tokenize(t, d, e, &sc.bytes, &mut toks);
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
        let units = make_units(t, chars, sc, seg);
        if units.is_empty() {
            continue;
        }
        positive_runs(t, chars, d, e, seg, &units, out);
        if matches!((d, e), (Codec::Sb, Codec::Utf8) | (Codec::Gbk, Codec::Utf8)) {
            double_layer(t, chars, d, &sc.bytes, seg, &units, out);
        }
    }
    sc.toks = toks;
}

fn make_units(t: &Tables, chars: &[char], sc: &Scratch, toks: &[Tok]) -> Vec<Unit> {
    let mut units = Vec::new();
    // Skip to the first token that starts on a char boundary.
    let mut k = 0;
    while k < toks.len() && !sc.bstart.get(toks[k].b0 as usize).copied().unwrap_or(false) {
        k += 1;
    }
    let mut prev: Option<(char, char)> = None; // last (before, after) chars
    while k < toks.len() {
        let u0 = k;
        let b0 = toks[k].b0 as usize;
        // Extend until the token end is a char boundary.
        let mut closed = false;
        while k < toks.len() {
            let b1 = toks[k].b1 as usize;
            k += 1;
            if sc.bstart.get(b1).copied().unwrap_or(false) {
                closed = true;
                break;
            }
        }
        if !closed {
            break;
        }
        let c0 = sc.bchar.get(b0).copied().unwrap_or(0) as usize;
        let b1 = toks[k - 1].b1 as usize;
        let c1 = sc.bchar.get(b1).copied().unwrap_or(c0 as u32) as usize;
        let before = chars.get(c0..c1).unwrap_or(&[]);
        let after = || toks[u0..k].iter().filter_map(|x| x.ch);
        let identity = before.iter().copied().eq(after());
        let mut gain = if identity {
            0.0
        } else {
            cost_of(t, before.iter().copied()) - cost_of(t, after())
        };
        // Context: the bigram joining this unit to what precedes it.
        let (pb, pa) = match prev {
            Some(p) => p,
            None => {
                let c = c0
                    .checked_sub(1)
                    .and_then(|j| chars.get(j))
                    .copied()
                    .unwrap_or('\0');
                (c, c)
            }
        };
        if let (Some(&fb), Some(fa)) = (before.first(), after().next()) {
            gain += t.bigram(pa, fa) - t.bigram(pb, fb);
        }
        if let (Some(&lb), Some(la)) = (before.last(), after().next_back()) {
            prev = Some((lb, la));
        }
        units.push(Unit {
            c0,
            c1,
            t0: u0,
            t1: k,
            gain,
            guessed: toks[u0..k].iter().any(|x| x.guessed),
            identity,
        });
    }
    units
}

/// Emits every stretch of units whose summed gain peaks positive, split at strongly
/// negative units (Kadane's maximum subarray, restarted whenever the sum drops to 0).
fn positive_runs(
    t: &Tables,
    chars: &[char],
    d: Codec,
    e: Codec,
    seg: &[Tok],
    units: &[Unit],
    out: &mut Vec<Fix>,
) {
    let mut s = 0.0f32;
    let mut st = 0usize;
    let mut best = 0.0f32;
    let mut best_end: Option<usize> = None;
    let mut flush = |st: usize, best_end: &mut Option<usize>| {
        if let Some(be) = best_end.take() {
            // Neutral neighbours join the span (their bigram with it already counted).
            // GBK read as Big5 and back damage whole lines, so there slightly negative
            // neighbours join too.
            let floor = if d != Codec::Sb && e != Codec::Utf8 {
                -2.0
            } else {
                0.0
            };
            let mut a = st;
            while a > 0 && !units[a - 1].identity && units[a - 1].gain >= floor {
                a -= 1;
            }
            let mut b = be;
            while b < units.len() && !units[b].identity && units[b].gain >= floor {
                b += 1;
            }
            emit(t, chars, d, e, seg, &units[a..b], out);
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
}

fn emit(
    t: &Tables,
    chars: &[char],
    d: Codec,
    e: Codec,
    seg: &[Tok],
    units: &[Unit],
    out: &mut Vec<Fix>,
) {
    // Trim identity units at both ends.
    let mut a = 0;
    let mut b = units.len();
    while a < b && units[a].identity {
        a += 1;
    }
    while b > a && units[b - 1].identity {
        b -= 1;
    }
    let units = &units[a..b];
    let (Some(first), Some(last)) = (units.first(), units.last()) else {
        return;
    };
    let before = chars.get(first.c0..last.c1).unwrap_or(&[]);
    let after: String = seg
        .get(first.t0..last.t1)
        .unwrap_or(&[])
        .iter()
        .filter_map(|x| x.ch)
        .collect();
    let guessed = units.iter().any(|u| u.guessed);
    let chain = format!(
        "{}>{}",
        codec_name(e, false),
        codec_name(d, uses_cp1252(before))
    );
    if let Some(f) = judge(t, before, after, chain, guessed, first.c0, last.c1) {
        out.push(f);
    }
}

#[allow(clippy::too_many_arguments)]
fn double_layer(
    t: &Tables,
    chars: &[char],
    d: Codec,
    outer_bytes: &[u16],
    seg: &[Tok],
    units: &[Unit],
    out: &mut Vec<Fix>,
) {
    let mut a = 0;
    let mut b = units.len();
    while a < b && units[a].identity {
        a += 1;
    }
    while b > a && units[b - 1].identity {
        b -= 1;
    }
    let units = &units[a..b];
    let (Some(first), Some(last)) = (units.first(), units.last()) else {
        return;
    };
    let mid_toks = seg.get(first.t0..last.t1).unwrap_or(&[]);
    let mut mid: Vec<char> = mid_toks.iter().filter_map(|x| x.ch).collect();
    let non_ascii = mid.iter().filter(|c| !c.is_ascii()).count();
    if non_ascii < 2 {
        return;
    }
    // Only an intermediate text that is itself implausible can be another layer.
    let mid_cost: f32 = mid
        .iter()
        .filter(|c| !c.is_ascii())
        .map(|&c| t.cost(c))
        .sum();
    if mid_cost < 2.5 * non_ascii as f32 {
        return;
    }
    // Guessed characters of the intermediate text: their other candidates, for when
    // the cheapest one (chosen for plain text) does not fit the inner layer.
    let guessed: Vec<(usize, Vec<char>)> = mid_toks
        .iter()
        .enumerate()
        .filter(|(_, x)| x.guessed)
        .take(2)
        .map(|(i, x)| (i, outer_candidates(t, d, outer_bytes, x)))
        .collect();
    let before = chars.get(first.c0..last.c1).unwrap_or(&[]);
    let outer = format!("utf8>{}", codec_name(d, uses_cp1252(before)));
    let inners: &[Codec] = if d == Codec::Sb {
        &[Codec::Sb, Codec::Gbk]
    } else {
        &[Codec::Gbk]
    };
    let mut bytes = Vec::new();
    let mut toks = Vec::new();
    for &d2 in inners {
        let ok = inner_decode(t, d2, &mid, &mut bytes, &mut toks);
        let bad = toks.iter().filter(|x| x.ch.is_none()).count();
        if !ok && (guessed.is_empty() || bad > 4) {
            continue;
        }
        if !ok {
            // Try the other candidates of each guessed intermediate character.
            let mut fixed = false;
            for (i, cands) in &guessed {
                let keep = mid[*i];
                let mut best: Option<(f32, char)> = None;
                for &c in cands {
                    mid[*i] = c;
                    if inner_decode(t, d2, &mid, &mut bytes, &mut toks) {
                        let cost = cost_of(t, toks.iter().filter_map(|x| x.ch));
                        if !matches!(best, Some(b) if b.0 <= cost) {
                            best = Some((cost, c));
                        }
                    }
                }
                mid[*i] = best.map_or(keep, |b| b.1);
                fixed |= best.is_some();
            }
            if !fixed || !inner_decode(t, d2, &mid, &mut bytes, &mut toks) {
                continue;
            }
        }
        let after: String = toks.iter().filter_map(|x| x.ch).collect();
        let guessed = toks.iter().any(|x| x.guessed) || units.iter().any(|u| u.guessed);
        let chain = format!("utf8>{}>{}", codec_name(d2, uses_cp1252(&mid)), outer);
        if let Some(f) = judge(t, before, after, chain, guessed, first.c0, last.c1) {
            out.push(f);
        }
    }
}

/// Encodes `mid` with `d2` and decodes it as UTF-8; true when every token is valid.
fn inner_decode(
    t: &Tables,
    d2: Codec,
    mid: &[char],
    bytes: &mut Vec<u16>,
    toks: &mut Vec<Tok>,
) -> bool {
    bytes.clear();
    if !mid.iter().all(|&c| t.encode(d2, c, bytes)) {
        return false;
    }
    tokenize(t, d2, Codec::Utf8, bytes, toks);
    toks.iter().all(|x| x.ch.is_some())
}

/// All characters a guessed UTF-8 token of the outer layer could have been.
fn outer_candidates(t: &Tables, d: Codec, bytes: &[u16], tok: &Tok) -> Vec<char> {
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

/// The share of adjacent hanzi pairs of `s` that are known word-internal bigrams.
fn bigram_cover(t: &Tables, s: &str) -> f32 {
    let mut pairs = 0;
    let mut known = 0;
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let han = ('\u{3400}'..='\u{9FFF}').contains(&c);
        if let (Some(p), true) = (prev, han) {
            pairs += 1;
            if t.bigram(p, c) > 0.0 {
                known += 1;
            }
        }
        prev = han.then_some(c);
    }
    if pairs == 0 {
        0.0
    } else {
        known as f32 / pairs as f32
    }
}

/// Decides whether replacing `before` by `after` is a repair.
fn judge(
    t: &Tables,
    before: &[char],
    after: String,
    chain: String,
    guessed: bool,
    c0: usize,
    c1: usize,
) -> Option<Fix> {
    let cb = cost_of(t, before.iter().copied());
    let ca = cost_of(t, after.chars());
    let gain = cb - ca;
    let n_after = after.chars().filter(|c| !c.is_ascii()).count();
    if n_after == 0 {
        return None;
    }
    let avg_after = after
        .chars()
        .filter(|c| !c.is_ascii())
        .map(|c| t.cost(c))
        .sum::<f32>()
        / n_after as f32;
    // Japanese text: kana are as common as hanzi there, and GBK/Big5 mojibake has few.
    let kana = before
        .iter()
        .filter(|&&c| t.class(c) == class::KANA)
        .count();
    if kana * 5 >= before.len() && chain != "big5>gbk" {
        return None;
    }
    // GBK or Big5 bytes come from Chinese pages: a "repair" into them that brings kana the
    // span did not have is a misreading of clean text (`憂心慇慇` → `紐み哈哈` by gbk>big5).
    if !chain.starts_with("utf8") && kana == 0 && after.chars().any(|c| t.class(c) == class::KANA) {
        return None;
    }
    let sb_to_cjk =
        !chain.starts_with("utf8") && (chain.ends_with("latin1") || chain.ends_with("cp1252"));
    let min_gain = match (n_after, sb_to_cjk) {
        (1, true) => 3.5,
        (1, false) => 4.0,
        _ => 3.0,
    };
    let cross =
        !chain.starts_with("utf8") && !chain.ends_with("latin1") && !chain.ends_with("cp1252");
    // A short cross-chain span (GBK read as Big5 or back, cut by ASCII) is kept only
    // if the same line has a strong repair of the same chain (see `repair_line`).
    if cross
        && avg_after <= 3.0
        && gain > 1.0
        && ca < 0.8 * cb
        && !(n_after >= 4 && gain >= 5.0 && ca <= 0.6 * cb && bigram_cover(t, &after) >= 0.35)
    {
        let strength = (gain / cb).clamp(0.0, 1.0);
        return Some(Fix {
            start: c0,
            end: c1,
            after,
            chain,
            gain,
            strength,
            confidence: strength * 0.5,
            weak: true,
        });
    }
    if gain < min_gain || ca > 0.6 * cb || avg_after > 3.0 {
        return None;
    }
    // GBK read as Big5 and back map one character to one character: short spans of
    // rare characters "repair" by accident, so these need a long, clear span.
    // (The repaired text must also read as words: enough of its adjacent hanzi pairs
    // are word-internal bigrams.)
    if cross && (n_after < 4 || gain < 5.0 || bigram_cover(t, &after) < 0.35) {
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
    if chain.starts_with("utf8")
        && !sb_to_cjk
        && !after.chars().any(cjk)
        && before.iter().all(|&c| cjk(c))
        && n_after < 3
    {
        return None;
    }
    let strength = (gain / cb).clamp(0.0, 1.0);
    let confidence = if guessed { strength * 0.5 } else { strength };
    Some(Fix {
        start: c0,
        end: c1,
        after,
        chain,
        gain,
        strength,
        confidence,
        weak: false,
    })
}

/// Picks non-overlapping candidates, highest gain first; returns them in text order.
fn select(mut cands: Vec<Fix>) -> Vec<Fix> {
    cands.sort_by(|a, b| b.gain.total_cmp(&a.gain));
    let mut chosen: Vec<Fix> = Vec::new();
    for c in cands {
        if chosen.iter().all(|x| c.end <= x.start || c.start >= x.end) {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|f| f.start);
    chosen
}
