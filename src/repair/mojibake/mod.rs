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

mod ends;
mod guess_context;
mod lone_letter;
mod phrases;
mod punct;
mod running;
mod scan;
mod tables;

use scan::{first_suspect, is_sb_high, sb_in, scan_line, Scan};
use tables::{class, enc_word, tables, Codec, Tables, WILD};

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
    repair_lines(text, options, report, None, &mut Vec::new())
}

/// [`repair`], looking only at the lines that `only` touches (when given: byte ranges of
/// `text`, in order, not overlapping), and appending to `changed` the byte range, in
/// the returned text, of each line it changed and did not leave settled (a line whose
/// repairs leave nothing for a rerun to find: every odd character lies in a repair of
/// one layer whose text was searched for another), in order. A line longer than 64 KB
/// (looked at in windows, see the long-line rule) that changed and is not settled is
/// reported as `0..usize::MAX`: look at the whole text again.
///
/// Lines are decided independently of each other, so a line left alone stays alone when
/// looked at again, and so does a settled one: a later run needs to look only at what
/// an earlier one reported (this is how [`crate::repair::Repairer`] reruns the pass on
/// its own output), and `repair_lines(t, o, r, Some(&changed), ..)` after a run equals
/// `repair` on its output.
pub fn repair_lines<'t>(
    text: &'t str,
    options: &MojibakeOptions,
    report: &mut RepairReport,
    only: Option<&[std::ops::Range<usize>]>,
    changed: &mut Vec<std::ops::Range<usize>>,
) -> Cow<'t, str> {
    let t = tables();
    let bytes = text.as_bytes();
    let mut suspects = Suspects { only, next: 0 };
    let mut pos = suspects.find(t, bytes, 0);
    if pos >= bytes.len() {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut done = 0usize; // bytes of `text` already copied into `out`
                           // Code points before byte `counted.0` (counted lazily, only for lines with repairs).
    let mut counted = (0usize, 0usize);
    // The buffers of the last call on this thread (short documents would otherwise
    // grow a fresh set each time).
    let mut sc = SCRATCH.with(|c| c.take());
    // End of the last line or window looked at: the next one starts at or after it.
    let mut window_end = 0usize;
    while pos < bytes.len() {
        // The line holding the suspect character.
        let (full_start, full_end) = line_around(text, pos, done.max(window_end));
        window_end = full_end;
        pos = suspects.find(t, bytes, full_end);
        let whole_line = (full_start == 0 || bytes.get(full_start - 1) == Some(&b'\n'))
            && (full_end >= bytes.len() || bytes.get(full_end - 1) == Some(&b'\n'));
        let Some(full) = text.get(full_start..full_end) else {
            break;
        };
        // The line is looked at without its ASCII edge whitespace and line break, so
        // that trimming them (as the artifact pass does) never changes what this pass
        // decides: `repair` gives the same repairs on a line and on its trimmed form.
        let core = full.trim_start_matches(is_edge_space);
        let line_start = full_start + (full.len() - core.len());
        let line = core.trim_end_matches(|c| c == '\n' || is_edge_space(c));
        let line_end = line_start + line.len();
        let mut scan = scan_line(t, line);
        if !scan.sb && !scan.cjk && !scan.unrecoverable {
            continue;
        }
        // A line has at most one char per byte: the chars are written into a buffer of
        // that size (no capacity check per char), which is then cut to their number.
        sc.chars.clear();
        sc.chars.resize(line.len(), '\0');
        let mut n = 0;
        for (slot, c) in sc.chars.iter_mut().zip(line.chars()) {
            *slot = c;
            n += 1;
        }
        sc.chars.truncate(n);
        let chars = std::mem::take(&mut sc.chars);
        if scan.stopped {
            scan.sb = sb_in(t, &chars);
        }
        let mut fixes = std::mem::take(&mut sc.fixes);
        fixes.clear();
        if scan.sb || scan.cjk {
            repair_line(t, &chars, &scan, &mut sc, &mut fixes);
        }
        if fixes.is_empty() {
            // Unrecoverable damage in an unchanged line.
            let damage = count_unrecoverable(&chars);
            report.unrecoverable += damage;
            if damage == 0 || !options.drop_unrecoverable {
                sc.chars = chars;
                sc.fixes = fixes;
                continue;
            }
        }
        // Splice the repairs into a new line.
        let mut new_line = std::mem::take(&mut sc.new_line);
        new_line.clear();
        let mut last = 0usize;
        for f in &fixes {
            new_line.extend_from_slice(chars.get(last..f.start).unwrap_or(&[]));
            new_line.extend_from_slice(sc.arena.get(f.after.clone()).unwrap_or(&[]));
            last = f.end;
        }
        new_line.extend_from_slice(chars.get(last..).unwrap_or(&[]));
        // Unrecoverable damage, found in the repaired line.
        let damage = count_unrecoverable(&new_line);
        if !fixes.is_empty() {
            report.unrecoverable += damage;
        }
        let drop = damage > 0 && options.drop_unrecoverable;
        if fixes.is_empty() && !drop {
            sc.new_line = new_line;
            sc.chars = chars;
            sc.fixes = fixes;
            continue;
        }
        if !fixes.is_empty() {
            // Code points before this line.
            let gap = text.get(counted.0..line_start).unwrap_or("");
            counted = (line_start, counted.1 + gap.chars().count());
        }
        let char_base = counted.1;
        // Byte offsets of the repairs' spans in `line` (the fixes are in text order).
        let mut at = CharCursor::default();
        let first_repair = report.repairs.len();
        sc.spans.clear();
        for f in &fixes {
            // A span to the line's end ends at its last byte (and is the last span).
            let b0 = at.seek(line, f.start);
            let b1 = if f.end >= chars.len() {
                line.len()
            } else {
                at.seek(line, f.end)
            };
            sc.spans.push((b0, b1));
            report.repairs.push(Repair {
                start: char_base + f.start,
                end: char_base + f.end,
                kind: Cow::Borrowed(f.chain),
                before: line.get(b0..b1).unwrap_or("").to_string(),
                after: chars_to_string(sc.arena.get(f.after.clone()).unwrap_or(&[])),
                confidence: f.confidence,
            });
        }
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        o.push_str(text.get(done..line_start).unwrap_or(""));
        let o0 = o.len();
        if drop {
            let mut i = 0;
            while i < new_line.len() {
                let n = damage_len(&new_line, i);
                if n > 0 {
                    i += n;
                } else {
                    push_chars(o, new_line.get(i..i + 1).unwrap_or(&[]));
                    i += 1;
                }
            }
        } else {
            // `new_line`, encoded: the line's own bytes between the spans, and the
            // repairs' texts (just reported) in them.
            let mut last = 0;
            let repairs = report.repairs.get(first_repair..).unwrap_or(&[]);
            for (r, &(b0, b1)) in repairs.iter().zip(&sc.spans) {
                o.push_str(line.get(last..b0).unwrap_or(""));
                o.push_str(&r.after);
                last = b1;
            }
            o.push_str(line.get(last..).unwrap_or(""));
        }
        if drop || !settled(t, &fixes, &sc.odd, &sc.arena) {
            changed.push(if whole_line {
                o0..o.len()
            } else {
                0..usize::MAX
            });
        }
        done = line_end;
        sc.new_line = new_line;
        sc.chars = chars;
        sc.fixes = fixes;
    }
    SCRATCH.with(|c| c.set(sc));
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(text.get(done..).unwrap_or(""));
            Cow::Owned(o)
        }
    }
}

/// Whether a line whose repairs are `fixes` (in order, not overlapping; their texts in
/// `arena`) is settled: a rerun of the pass on the repaired line ([`repair_lines`]'
/// `changed`) would find nothing more in it. A rerun finds what this run could not
/// see: damage beside a repair, now in CJK context or free of a competing chain, and a
/// second layer inside a repair. A line is settled when every odd character of it
/// (`odd`, see [`repair_line`]) lies in a repair, so that no damage is left beside
/// them, and every repair is of a single layer whose text was already searched for a
/// second one ([`double_layer`] runs on the UTF-8 readings of GBK and single-byte text,
/// and tries GBK and single-byte inner layers) and shows no sign of a layer that
/// search does not try ([`marks_inner_layer`]: what sends a line to the single-byte
/// chains, or a private-use character). Pure UTF-8 read as GBK, the commonest damage,
/// is settled in one run.
fn settled(t: &Tables, fixes: &[Fix], odd: &[usize], arena: &[char]) -> bool {
    let searched = |f: &Fix| {
        let after = arena.get(f.after.clone()).unwrap_or(&[]);
        matches!(f.chain, "utf8>gbk" | "utf8>latin1" | "utf8>cp1252")
            && !marks_inner_layer(t, after)
    };
    if !fixes.iter().all(searched) {
        return false;
    }
    // Both lists are in line order: the odd characters before each repair are none,
    // those in it are passed over at once, and none is left after the last.
    let mut rest = odd;
    for f in fixes {
        if rest.first().is_some_and(|&i| i < f.start) {
            return false;
        }
        rest = rest
            .get(rest.partition_point(|&i| i < f.end)..)
            .unwrap_or(&[]);
    }
    rest.is_empty()
}

/// False for every character that is neither single-byte ([`is_sb_high`]: Latin-1,
/// C1 controls, windows-1252 punctuation) nor U+FFFD nor private-use: ranges that hold
/// them all, so that [`marks_inner_layer`] reads the class only of a character in them
/// (Chinese text has only its quotes and dashes there).
#[inline]
fn may_mark_inner_layer(c: char) -> bool {
    // The ranges as unsigned distances, combined without branches (so that
    // `any_may_mark_inner_layer` vectorizes): 0x80..=0x2FF, 0x2000..=0x2122,
    // 0xE000..=0xF8FF and U+FFFD.
    let cp = c as u32;
    (cp.wrapping_sub(0x80) < 0x280)
        | (cp.wrapping_sub(0x2000) < 0x123)
        | (cp.wrapping_sub(0xE000) < 0x1900)
        | (cp == 0xFFFD)
}

/// Whether [`may_mark_inner_layer`] holds for some character of `s`, looked at sixteen
/// at a time (a block folded without branches), as a repair's text has none as a rule.
fn any_may_mark_inner_layer(s: &[char]) -> bool {
    s.chunks(16).any(|block| {
        block
            .iter()
            .fold(false, |a, &c| a | may_mark_inner_layer(c))
    })
}

/// Whether `s` (a repair's text) shows a sign of a layer [`double_layer`] does not try:
/// what makes [`sb_in`] true (the sign that sends a line to the single-byte chains), or
/// a private-use character (Big5 read as GBK). Both are looked for only when a
/// character [`may_mark_inner_layer`] holds for is there.
fn marks_inner_layer(t: &Tables, s: &[char]) -> bool {
    any_may_mark_inner_layer(s) && (s.iter().any(|&c| t.class(c) == class::PUA) || sb_in(t, s))
}

/// Where [`repair_lines`] looks for suspect characters: everywhere, or only inside the
/// given byte ranges.
struct Suspects<'a> {
    only: Option<&'a [std::ops::Range<usize>]>,
    /// The first range of `only` that may still hold suspects.
    next: usize,
}

impl Suspects<'_> {
    /// The first suspect character at or after byte `from` ([`first_suspect`]) inside
    /// the ranges; `bytes.len()` when there is none.
    fn find(&mut self, t: &Tables, bytes: &[u8], from: usize) -> usize {
        let Some(ranges) = self.only else {
            return first_suspect(t, bytes, from);
        };
        while let Some(r) = ranges.get(self.next) {
            let end = r.end.min(bytes.len());
            if end > from {
                let p = first_suspect(t, bytes.get(..end).unwrap_or(bytes), from.max(r.start));
                if p < end {
                    return p;
                }
            }
            self.next += 1;
        }
        bytes.len()
    }
}

/// Bytes looked at on either side of a suspect character in a line longer than
/// [`LONG_LINE`].
const WINDOW: usize = 8 << 10;

/// Lines longer than this (text without line breaks) are looked at in windows.
const LONG_LINE: usize = 64 << 10;

/// The byte range the pass looks at around the suspect character at `pos`: its line
/// (with the line break), starting no earlier than `from` (the end of the previous
/// range). A line longer than [`LONG_LINE`] is cut to a window of at most [`WINDOW`]
/// bytes on either side, ending at a `。` where there is one, so that a document
/// without line breaks costs time linear in its length rather than a whole-line scan
/// per suspect.
fn line_around(text: &str, pos: usize, from: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let from = from.min(pos);
    let mut start =
        memchr::memrchr(b'\n', bytes.get(from..pos).unwrap_or(&[])).map_or(from, |i| from + i + 1);
    let ahead = bytes
        .get(pos..bytes.len().min(pos + LONG_LINE))
        .unwrap_or(&[]);
    let mut end = match memchr::memchr(b'\n', ahead) {
        Some(i) => pos + i + 1,
        None if pos + LONG_LINE >= bytes.len() => bytes.len(),
        None => usize::MAX,
    };
    if end == usize::MAX || pos - start > LONG_LINE {
        const STOP: &[u8] = "。".as_bytes();
        let lo = start.max(pos.saturating_sub(WINDOW));
        start = match memchr::memmem::rfind(bytes.get(lo..pos).unwrap_or(&[]), STOP) {
            Some(k) => lo + k + STOP.len(),
            None => floor_boundary(text, lo),
        };
        if end == usize::MAX || end - pos > WINDOW {
            let hi = end.min(bytes.len()).min(pos + WINDOW);
            end = match memchr::memmem::find(bytes.get(pos..hi).unwrap_or(&[]), STOP) {
                Some(k) => pos + k + STOP.len(),
                None => floor_boundary(text, hi).max(pos + 1),
            };
        }
    }
    (start, end.min(bytes.len()))
}

/// The largest character boundary of `text` at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// ASCII whitespace at the edges of a line, which the pass never looks at.
fn is_edge_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r')
}

/// Appends `chars` to `o`, UTF-8 encoded: room for four bytes per char (the most a
/// char has) is reserved once, without counting the bytes first, and each char's bytes
/// are written straight into it (`String::extend` and `Vec::extend_from_slice` check
/// the capacity and copy from a buffer for every char); a three-byte char (as a rule,
/// a hanzi) is written with one four-byte store, its last byte overwritten by the next
/// char or left past the end.
fn push_chars(o: &mut String, chars: &[char]) {
    o.reserve(4 * chars.len());
    // SAFETY: `reserve` made room for `4 * chars.len()` more bytes. Each char's bytes
    // are written right after the ones before, and the chars before char `k` wrote at
    // most `4 * k` bytes, so even its four-byte store (the widest write) ends within
    // `4 * (k + 1)` bytes: every write is inside the allocation. The bytes are the
    // UTF-8 encodings of whole `char`s (Unicode scalar values, never a surrogate),
    // each in the form the standard defines for its range (the ranges of
    // `char::len_utf8`; a four-byte store puts its bytes in memory in the order of
    // `to_le_bytes`), so `o` is valid UTF-8 once its length takes exactly the bytes
    // the chars have in (`set_len`, after the last write, by the distance the write
    // pointer moved: each char moves it by its own length). Nothing in the loop can
    // panic or return early.
    unsafe {
        let v = o.as_mut_vec();
        let len = v.len();
        let start = v.as_mut_ptr().add(len);
        let mut p = start;
        for &c in chars {
            let cp = c as u32;
            let cont = |shift: u32| 0x80 | ((cp >> shift) & 0x3F);
            // Three bytes (a hanzi, as a rule) first.
            if (0x800..0x10000).contains(&cp) {
                let w = (0xE0 | (cp >> 12)) | cont(6) << 8 | cont(0) << 16;
                p.cast::<u32>().write_unaligned(w.to_le());
                p = p.add(3);
            } else if cp < 0x80 {
                p.write(cp as u8);
                p = p.add(1);
            } else if cp < 0x800 {
                p.write((0xC0 | (cp >> 6)) as u8);
                p.add(1).write(cont(0) as u8);
                p = p.add(2);
            } else {
                let w = (0xF0 | (cp >> 18)) | cont(12) << 8 | cont(6) << 16 | cont(0) << 24;
                p.cast::<u32>().write_unaligned(w.to_le());
                p = p.add(4);
            }
        }
        v.set_len(len + p.offset_from(start) as usize);
    }
}

/// Walks a line forward from char index to byte offset.
#[derive(Default)]
struct CharCursor {
    chars: usize,
    bytes: usize,
}

impl CharCursor {
    /// The byte offset in `line` of char index `i` (`i` at or after the last one
    /// sought; the end of the line when `i` is past it).
    fn seek(&mut self, line: &str, i: usize) -> usize {
        let b = line.as_bytes();
        while self.chars < i && self.bytes < b.len() {
            self.bytes += match b.get(self.bytes) {
                Some(0xF0..) => 4,
                Some(0xE0..) => 3,
                Some(0xC0..) => 2,
                _ => 1,
            };
            self.chars += 1;
        }
        self.bytes.min(b.len())
    }
}

/// `chars` as a string, allocated once ([`push_chars`] reserves room for it).
fn chars_to_string(chars: &[char]) -> String {
    let mut s = String::new();
    push_chars(&mut s, chars);
    s
}

/// Counts the spans of unrecoverable damage in `line`.
fn count_unrecoverable(line: &[char]) -> usize {
    // Most lines have none of the markers: looked for 16 chars at a time, without an
    // exit per char (the compiler then compares them in vector registers).
    let marker = |c: char| matches!(c, '锟' | '烫' | '屯' | '\u{FFFD}');
    if !line
        .chunks(16)
        .any(|ch| ch.iter().fold(false, |a, &c| a | marker(c)))
    {
        return 0;
    }
    let mut count = 0;
    let mut i = 0;
    while i < line.len() {
        let n = damage_len(line, i);
        if n > 0 {
            count += 1;
            i += n;
        } else {
            i += 1;
        }
    }
    count
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
    /// The replacement: a range of [`Scratch::arena`].
    after: std::ops::Range<usize>,
    chain: &'static str,
    /// How much cheaper the repair is than the span, with the evidence of its
    /// neighbours (see `neighbour_bonus` and `prefer_line_script`): what [`select`]
    /// ranks by.
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

impl Tok {
    /// The undecodable byte at `i`.
    fn undecodable(i: usize) -> Tok {
        Tok {
            b0: i as u32,
            b1: i as u32 + 1,
            ch: None,
            guessed: false,
        }
    }
}

/// Buffers of lost-byte completion, reused.
#[derive(Default)]
struct GuessBuf {
    /// Alternatives of all guesses of one tokenization: (character, cost).
    alts: Vec<(char, f32)>,
    /// Guesses with more than one alternative: (token index, `alts` range).
    pending: Vec<(usize, u32, u32)>,
    /// Viterbi scores, parallel to `alts`: (score, back pointer).
    scores: Vec<(f32, u32)>,
    /// Own scores of the alternatives of one guess.
    own: Vec<f32>,
    /// Per guess of `pending`: its alternatives are in strictly increasing order (as
    /// a rule they are), so that `first..=last` holds them all and binary search
    /// finds them (pushed with the guess; a remembered guess's is remembered too).
    sorted: Vec<bool>,
    /// The decoded (not guessed) hanzi and box-drawing characters of the text.
    seen: Vec<char>,
    /// The same as a bit set over the BMP (cleared after each use).
    seen_bits: Vec<u64>,
    /// The line shows a WHATWG (browser) GBK decoder: it has `€` or private-use
    /// characters.
    whatwg: bool,
    /// The line has three or more U+FFFD (a strict decoder's losses).
    many_lost: bool,
    /// Fewer than a quarter of the line's non-ASCII characters are U+FFFD: two in a
    /// row may be both bytes of one GBK character a Big5 decoder lost
    /// ([`guess_both_lost`]). (UTF-8 read as Big5 loses far more, a quarter to all of
    /// them, and its runs are no such characters.)
    few_lost: bool,
    /// ASCII characters just outside the tokenized text (spaces skipped), as context
    /// for guesses at its edges; set only while an inner layer is decoded.
    edge: (Option<char>, Option<char>),
    /// Whether white space stands between the tokenized text and `edge.1`.
    edge_spaced: bool,
    /// Results of [`guess`], remembered.
    memo: GuessMemo,
    /// Tokens an inner layer's decoding must treat as guesses ([`inner_choices`]):
    /// (first byte, end byte, `forced_alts` range), in increasing order.
    forced: Vec<(u32, u32, u32, u32)>,
    /// Their alternatives, each in strictly increasing order.
    forced_alts: Vec<(char, f32)>,
    /// Running text's pair bonuses that [`inner_window`] looked up.
    pair_memo: running::PairMemo,
}

impl GuessBuf {
    /// What follows tokens decoded without their line (an inner layer, a window): the
    /// ASCII text after the span when known ([`GuessBuf::edge`]), else nothing.
    fn follows(&self) -> punct::Edge {
        let after = match self.edge.1 {
            None => punct::After::End,
            Some(_) if self.edge_spaced => punct::After::Space,
            Some(c) => punct::After::Char(c),
        };
        punct::Edge {
            after,
            shown: self.edge.1,
        }
    }
}

/// A small direct-mapped cache of [`guess`] results. `guess` is a function of the
/// decoders, the window of bytes (lost ones marked), the byte after each lost one and
/// the line's two flags, all packed into the key; the same losses recur in a text (a
/// line-final `。` whose last byte was lost, every line), and one completion can try
/// up to 4,096 readings.
#[derive(Default)]
struct GuessMemo {
    /// Per slot: the key, the result and the alternatives `guess` appended.
    slots: Vec<MemoSlot>,
}

/// One remembered [`guess`]: its key, its result, the alternatives it appended and
/// whether they are in strictly increasing order.
type MemoSlot = (u128, Option<(usize, char, bool)>, Vec<(char, f32)>, bool);

/// Slots of [`GuessMemo`] (a power of two).
const GUESS_MEMO_SLOTS: usize = 64;

impl GuessMemo {
    /// [`guess`], answered from the cache when the same question was asked before;
    /// with whether the alternatives it appended are in strictly increasing order
    /// ([`strictly_increasing`]).
    fn guess(
        &mut self,
        t: &Tables,
        q: &LostBytes<'_>,
        alts: &mut Vec<(char, f32)>,
    ) -> (Option<(usize, char, bool)>, bool) {
        let LostBytes {
            d,
            e,
            bytes,
            i,
            win,
            wl,
            wilds,
            whatwg,
            many_lost,
        } = *q;
        // The key: every input `guess` reads (the bytes only through `next_known`
        // after each lost byte; lost slots of `win` are 0).
        let codec = |c: Codec| match c {
            Codec::Sb => 0u128,
            Codec::Utf8 => 1,
            Codec::Gbk => 2,
            Codec::Big5 => 3,
        };
        let mut key = 1u128 << 127;
        key |= codec(d) | codec(e) << 2 | (wl as u128) << 4;
        key |= (u32::from_le_bytes(win) as u128) << 8;
        key |= (whatwg as u128) << 40 | (many_lost as u128) << 41;
        key |= (wilds.len() as u128) << 42;
        for (k, &w) in wilds.iter().enumerate() {
            let next = next_known(bytes, i + w).map_or(0x1FF, |b| b as u128);
            key |= ((w as u128) << 9 | next) << (44 + 12 * k);
        }
        if self.slots.is_empty() {
            self.slots
                .resize_with(GUESS_MEMO_SLOTS, || (0, None, Vec::new(), true));
        }
        let h = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = (h >> 58) as usize & (GUESS_MEMO_SLOTS - 1);
        let a0 = alts.len();
        let Some((k, res, saved, sorted)) = self.slots.get_mut(slot) else {
            let r = guess(t, q, alts);
            return (r, strictly_increasing(alts.get(a0..).unwrap_or(&[])));
        };
        if *k == key {
            alts.extend_from_slice(saved);
            return (*res, *sorted);
        }
        let r = guess(t, q, alts);
        *k = key;
        *res = r;
        saved.clear();
        saved.extend_from_slice(alts.get(a0..).unwrap_or(&[]));
        *sorted = strictly_increasing(saved);
        (r, *sorted)
    }
}

/// Whether the characters of `alts` are in strictly increasing order.
fn strictly_increasing(alts: &[(char, f32)]) -> bool {
    alts.windows(2).all(|w| w[0].0 < w[1].0)
}

thread_local! {
    /// Buffers kept between calls on one thread ([`Scratch`]).
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// Reused buffers: the hot path allocates nothing once they have grown.
#[derive(Default)]
struct Scratch {
    /// The characters of the current line.
    chars: Vec<char>,
    /// The repaired line.
    new_line: Vec<char>,
    /// The repairs chosen for the current line.
    fixes: Vec<Fix>,
    /// Their byte spans in the line.
    spans: Vec<(usize, usize)>,
    /// The spans of strong candidates ([`all_covered`]).
    covered: Vec<(usize, usize)>,
    /// Candidate repairs of the current line.
    cands: Vec<Fix>,
    /// Replacement texts of candidates ([`Fix::after`] ranges).
    arena: Vec<char>,
    /// Indices of the line's odd characters.
    odd: Vec<usize>,
    /// Stretches of single-byte runs to search again in another alignment
    /// ([`realign_stretches`]): from, to, original encoding.
    realign: Vec<(usize, usize, Codec)>,
    /// Per char of the line: covered by some repair.
    mark: Vec<bool>,
    /// Prefix sums of the line's costs ([`prefix_costs`]).
    pre: Vec<f32>,
    /// The line's bigram bonuses ([`prefix_costs`]).
    pre_bi: Vec<f32>,
    /// The bigram bonuses of a decoded segment's tokens ([`prefix_costs_along`]).
    tbi: Vec<f32>,
    /// Prefix sums of the cost terms of a decoded segment.
    tpre: Vec<f32>,
    /// Per char of the current run: use its alternative GBK bytes.
    alt: Vec<bool>,
    /// The chars of the encoded run that have alternative GBK bytes: (index in the
    /// run, offset of their first byte), in order ([`encode_from`]).
    alt_at: Vec<(u32, u32)>,
    bytes: Vec<u16>,
    /// For each byte, the index (in the line) of the char it came from.
    bchar: Vec<u32>,
    toks: Vec<Tok>,
    units: Vec<Unit>,
    guess: GuessBuf,
    /// Second tokenization (alternative bytes, inner layers).
    toks2: Vec<Tok>,
    bytes2: Vec<u16>,
    /// The [`window_cost`] cache.
    window_memo: Vec<(u128, f32)>,
    mid: Vec<char>,
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

/// The name of the chain `e>d` (text in `e` read with `d`), e.g. `utf8>gbk`.
fn chain_name(e: Codec, d: Codec, sb_cp1252: bool) -> &'static str {
    match (codec_name(e, false), codec_name(d, sb_cp1252)) {
        ("utf8", "latin1") => "utf8>latin1",
        ("utf8", "cp1252") => "utf8>cp1252",
        ("utf8", "gbk") => "utf8>gbk",
        ("utf8", "big5") => "utf8>big5",
        ("gbk", "latin1") => "gbk>latin1",
        ("gbk", "cp1252") => "gbk>cp1252",
        ("gbk", "big5") => "gbk>big5",
        ("big5", "latin1") => "big5>latin1",
        ("big5", "cp1252") => "big5>cp1252",
        ("big5", "gbk") => "big5>gbk",
        _ => "unknown",
    }
}

/// The name of the two-layer chain `utf8>inner>utf8>outer`.
fn double_chain_name(inner: &str, outer: &str) -> &'static str {
    match (inner, outer) {
        ("latin1", "latin1") => "utf8>latin1>utf8>latin1",
        ("latin1", "cp1252") => "utf8>latin1>utf8>cp1252",
        ("cp1252", "latin1") => "utf8>cp1252>utf8>latin1",
        ("cp1252", "cp1252") => "utf8>cp1252>utf8>cp1252",
        ("gbk", "latin1") => "utf8>gbk>utf8>latin1",
        ("gbk", "cp1252") => "utf8>gbk>utf8>cp1252",
        ("gbk", "gbk") => "utf8>gbk>utf8>gbk",
        _ => "unknown",
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

/// Fills `pre` with the prefix sums of the per-char terms of [`cost_of`] over `chars`
/// (`pre[i]` = the terms of `chars[..i]`, each with its bigram to the char before).
/// `bi[i]` = the bigram bonus of `chars[i]` with the char before it (`'\0'` before the
/// first), also kept for [`make_units`].
fn prefix_costs(t: &Tables, chars: &[char], pre: &mut Vec<f32>, bi: &mut Vec<f32>) {
    prefix_costs_along(t, chars.iter().map(|&c| Some(c)), pre, bi);
}

/// [`prefix_costs`] over items that may be no char (`None`, skipped: bigram 0 and no
/// term), in one pass: `bi[i]` = the bigram bonus of item `i` with the last char before
/// it (`'\0'` at first), `pre[i]` = the sum of the terms of the items before `i`. Both
/// are sized first and then written in place (no capacity check per item).
fn prefix_costs_along(
    t: &Tables,
    chars: impl ExactSizeIterator<Item = Option<char>>,
    pre: &mut Vec<f32>,
    bi: &mut Vec<f32>,
) {
    let n = chars.len();
    bi.clear();
    bi.resize(n, 0.0);
    pre.clear();
    pre.resize(n + 1, 0.0);
    let mut prev = '\0';
    let mut sum = 0.0f32;
    for ((c, b), p) in chars.zip(bi.iter_mut()).zip(pre.iter_mut().skip(1)) {
        if let Some(c) = c {
            let x = t.bigram(prev, c);
            prev = c;
            *b = x;
            sum += (t.cost(c) - x).max(0.2);
        }
        *p = sum;
    }
}

/// `cost_of` the chars of `toks[a..b]` (all decoded) from their prefix sums `tpre`.
#[inline]
fn tok_cost(t: &Tables, toks: &[Tok], tpre: &[f32], a: usize, b: usize) -> f32 {
    if a >= b {
        return 0.0;
    }
    match (toks.get(a).and_then(|x| x.ch), tpre.get(a + 1), tpre.get(b)) {
        (Some(c), Some(&p1), Some(&pb)) => t.cost(c).max(0.2) + (pb - p1),
        _ => tok_cost_slow(t, toks.get(a..b).unwrap_or(&[])),
    }
}

/// [`tok_cost`] without prefix sums (out of line: the fast path is inlined).
#[cold]
#[inline(never)]
fn tok_cost_slow(t: &Tables, toks: &[Tok]) -> f32 {
    cost_of(t, toks.iter().filter_map(|x| x.ch))
}

/// [`span_cost`] without prefix sums (out of line: the fast path is inlined).
#[cold]
#[inline(never)]
fn span_cost_slow(t: &Tables, chars: &[char]) -> f32 {
    cost_of(t, chars.iter().copied())
}

/// `cost_of(chars[a..b])` from the prefix sums of [`prefix_costs`].
#[inline]
fn span_cost(t: &Tables, chars: &[char], pre: &[f32], a: usize, b: usize) -> f32 {
    if a >= b {
        return 0.0;
    }
    let (Some(&c), Some(&p1), Some(&pb)) = (chars.get(a), pre.get(a + 1), pre.get(b)) else {
        return span_cost_slow(t, chars.get(a..b).unwrap_or(&[]));
    };
    t.cost(c).max(0.2) + (pb - p1)
}

/// Finds the repairs of one line (chars, newline included), in order, non-overlapping,
/// into `fixes` (their texts in `sc.arena`).
fn repair_line(t: &Tables, chars: &[char], scan: &Scan, sc: &mut Scratch, fixes: &mut Vec<Fix>) {
    let mut cands = std::mem::take(&mut sc.cands);
    cands.clear();
    sc.arena.clear();
    sc.realign.clear();
    prefix_costs(t, chars, &mut sc.pre, &mut sc.pre_bi);
    // One pass over the line for: its U+FFFD (lost bytes), `€` and private-use
    // characters (a WHATWG GBK decoder), hiragana and non-ASCII characters (Japanese
    // lines: kana are everyday characters there; only Latin-1 chains apply), its odd
    // characters and whether it has CJK text (for the rule on single hanzi below).
    let (mut lost, mut whatwg, mut hira, mut non_ascii) = (0usize, false, 0usize, 0usize);
    // Two hiragana side by side.
    let mut hira_pair = false;
    let is_hiragana = |c: &char| ('\u{3041}'..='\u{309F}').contains(c);
    let mut cjk_in_line = false;
    // A C1 control (for `c1_controls`).
    let mut c1 = false;
    // The odd characters' indices are written into a buffer of one slot per char
    // (no capacity check per index), which is then cut to their number.
    let odd = &mut sc.odd;
    odd.clear();
    odd.resize(chars.len(), 0);
    let mut n_odd = 0;
    // The class decides most characters at once: ASCII is exactly the ASCII class, and
    // no character of the hanzi and CJK punctuation classes is U+FFFD, `€`, private-use,
    // hiragana or a C1 control (`class_partition_of_the_line_header` pins both).
    for (i, &c) in chars.iter().enumerate() {
        match t.class(c) {
            class::ASCII => {}
            class::TOP | class::COMMON | class::CJK_PUNCT => {
                non_ascii += 1;
                cjk_in_line = true;
                if t.utf8_head(c) {
                    mark_odd(odd, &mut n_odd, i);
                }
            }
            // Less common and rare hanzi (as a rule most of a line of UTF-8 read as
            // GBK) are odd, and none of the characters counted below.
            class::LESS | class::RARE => {
                non_ascii += 1;
                mark_odd(odd, &mut n_odd, i);
            }
            _ => {
                non_ascii += 1;
                lost += (c == '\u{FFFD}') as usize;
                whatwg |= c == '\u{20AC}' || is_private_use(c);
                // The sound and iteration marks (`゛゜ゝゞ`) count only after kana, where
                // Japanese writes them: GBK's `日` read as Big5 is `゜` (`6月1日` →
                // `6堎1゜`).
                let prev = i.checked_sub(1).and_then(|p| chars.get(p));
                let h = is_hiragana(&c)
                    && (!('\u{309B}'..='\u{309E}').contains(&c)
                        || prev.is_some_and(|&p| t.class(p) == class::KANA));
                hira += h as usize;
                hira_pair |= h && prev.is_some_and(is_hiragana);
                c1 |= ('\u{80}'..'\u{A0}').contains(&c);
                mark_odd(odd, &mut n_odd, i);
            }
        }
    }
    odd.truncate(n_odd);
    sc.guess.many_lost = lost >= 3;
    sc.guess.few_lost = lost == 2 || 3 * lost < non_ascii;
    sc.guess.whatwg = whatwg;
    // UTF-8 read as GBK makes hiragana one at a time (a last byte A4 before the next
    // lead byte: `显示此帮助` → `鏄剧ず姝ゅ府鍔�`), Japanese writes them in runs: lone
    // hiragana make a line Japanese only when they are a quarter of it.
    let japanese = hira >= 2 && hira * 10 >= non_ascii && (hira_pair || hira * 4 >= non_ascii);
    let mut last_d = None;
    // Whether the first single-byte pass searched any run (`None` before it).
    let mut sb_searched = None;
    for (d, e) in PASSES {
        // Big5 read as GBK turns Big5's commonest hanzi (lead byte A4) into hiragana,
        // so that chain is tried on kana-rich lines too.
        let wanted = match (d, e) {
            (Codec::Sb, _) => scan.sb,
            (Codec::Gbk, Codec::Big5) => scan.cjk,
            (_, Codec::Utf8) => {
                scan.cjk
                    && !japanese
                    && sc
                        .odd
                        .iter()
                        .any(|&i| chars.get(i).is_some_and(|&c| readable_from_utf8(t, d, c)))
            }
            _ => scan.cjk && !japanese,
        };
        if !wanted {
            continue;
        }
        // Stop once every odd character lies in some strong candidate repair.
        if last_d.is_some()
            && all_covered(
                &sc.odd,
                &cands,
                &sc.arena,
                lost > 0,
                chars.len(),
                &mut sc.covered,
            )
        {
            break;
        }
        last_d = Some(d);
        // The single-byte decoder's runs (and whether each is searched) are the same
        // for every original encoding: when the first single-byte pass searched none,
        // the others would not either.
        if d == Codec::Sb && sb_searched == Some(false) {
            continue;
        }
        if d == Codec::Sb {
            sb_searched = Some(false);
        }
        let mut i = 0;
        while i < chars.len() {
            // Chars `d` cannot produce start no run.
            while chars.get(i).is_some_and(|&c| !t.can_encode(d, c)) {
                i += 1;
            }
            if i >= chars.len() {
                break;
            }
            // A maximal run of chars `d` can produce, encoded.
            let start = i;
            let (end, non_ascii, has_alt) = encode_from(t, d, chars, start, sc);
            if end == start {
                i += 1;
                continue;
            }
            i = end;
            if !non_ascii || (d == Codec::Sb && inert_sb_run(chars, &sc.bytes, &sc.bchar)) {
                continue;
            }
            if d == Codec::Sb {
                sb_searched = Some(true);
            }
            let run = start..end;
            if d == Codec::Gbk && e == Codec::Utf8 && has_alt {
                sc.alt.clear();
                sc.alt.resize(run.len(), false);
                choose_alternatives(t, chars, run.clone(), sc);
            }
            let searched = cands.len();
            search_run(t, chars, d, e, sc, &mut cands);
            if d == Codec::Sb && e != Codec::Utf8 {
                realign_stretches(chars, run, e, &cands[searched..], &mut sc.realign);
            }
        }
    }
    // Stretches no pass explained, in the other alignment.
    let realign = std::mem::take(&mut sc.realign);
    for &(from, to, e) in &realign {
        if cands.iter().any(|f| f.start <= from && from < f.end) {
            continue;
        }
        if let Some(head) = chars.get(..to) {
            let (end, non_ascii, _) = encode_from(t, Codec::Sb, head, from, sc);
            if end > from && non_ascii {
                search_run(t, chars, Codec::Sb, e, sc, &mut cands);
            }
        }
    }
    sc.realign = realign;
    // A single hanzi from Latin-1 bytes (`×£` → `祝`) needs CJK text around it, or
    // must be a very common character; hanzi from Latin-1 bytes each inside an ASCII
    // word, or made of a European word's characters, are none (`in\u{AD}ter` is no
    // `in負er`, `¡mañana` no `《añana`).
    let arena = &sc.arena;
    cands.retain(|f| {
        let after = arena.get(f.after.clone()).unwrap_or(&[]);
        if sb_to_cjk(f.chain)
            && (hanzi_inside_ascii_words(after, around(chars, f.start, f.end))
                || glued_to_latin_word(t, chars, f.start, f.end, f.chain.starts_with("gbk")))
        {
            return false;
        }
        let mut non_ascii = after.iter().filter(|c| !c.is_ascii());
        let (Some(&c), None) = (non_ascii.next(), non_ascii.next()) else {
            return true;
        };
        !sb_to_cjk(f.chain) || cjk_in_line || lone_hanzi_without_cjk(t, c, chars, f.start, f.end)
    });
    // A few letters of another script in a line with none of it are dropped by
    // `line_evidence` after selection anyway; dropped now, they leave the span to
    // another chain (`地Ö·` → `地址`, not `地\u{5B7}`).
    let few_letters = |f: &Fix| few_other_script_letters(arena.get(f.after.clone()).unwrap_or(&[]));
    if cands.iter().any(few_letters) && !chars.iter().copied().any(other_script) {
        cands.retain(|f| !few_letters(f));
    }
    prefer_line_script(t, chars, &sc.arena, &mut cands);
    lone_cross_spans(t, chars, &sc.arena, &mut cands, &mut sc.mark);
    cross_line(t, chars, &mut sc.arena, &mut cands);
    let mut strong_chains: [&str; 8] = [""; 8];
    let mut n_strong = 0;
    for f in cands.iter().filter(|f| !f.weak) {
        if !strong_chains[..n_strong].contains(&f.chain) && n_strong < strong_chains.len() {
            strong_chains[n_strong] = f.chain;
            n_strong += 1;
        }
    }
    // Markers of Big5 read as GBK of two or more kinds, private-use characters among
    // them, in a line of nothing but them, hanzi and ASCII, each inside some candidate
    // of that chain, are evidence for the whole line (`.Dd る ら, \u{E6E4}` is `.Dd 月
    // 日, 年`). (Without a private-use character, `π は 3.14` is such a line.)
    let big5_line = n_strong == 0
        && cands.iter().any(|f| f.chain == "big5>gbk")
        && big5_marker_kinds(chars) >= 2
        && chars.iter().any(|&c| big5_marker(c) == PRIVATE_USE_MARKER)
        && chars.iter().enumerate().all(|(i, &c)| {
            c.is_ascii()
                || if big5_marker(c) != 0 {
                    cands
                        .iter()
                        .any(|f| f.chain == "big5>gbk" && f.start <= i && i < f.end)
                } else {
                    (class::TOP..=class::CJK_PUNCT).contains(&t.class(c))
                }
        });
    cands.retain(|f| {
        !f.weak
            || strong_chains[..n_strong].contains(&f.chain)
            || (big5_line && f.chain == "big5>gbk")
    });
    select(&mut cands, fixes, chars.len());
    line_evidence(t, chars, &sc.arena, fixes);
    // Both look only at lines with the characters counted above.
    if c1 {
        c1_controls(chars, fixes, &mut sc.arena, &mut sc.mark);
    }
    if lost > 0 {
        four_byte_lost(chars, fixes, &mut sc.arena, &mut sc.mark);
    }
    sc.cands = cands;
}

/// Writes the index `i` of an odd character into the next slot of `odd` (one slot per
/// character of the line, so no capacity check per index) and counts it in `n`.
#[inline(always)]
fn mark_odd(odd: &mut [usize], n: &mut usize, i: usize) {
    if let Some(slot) = odd.get_mut(*n) {
        *slot = i;
    }
    *n += 1;
}

/// Records in `out`, to be searched again from its second character once every pass
/// has run, each stretch of two or more non-ASCII characters (an odd number for GBK)
/// of the single-byte run `run` that the search of the run for original encoding `e`
/// (its candidates are `found`) left uncovered from its second character on, unless
/// an ASCII character that may be a trail byte is right before it. GBK or Big5 bytes
/// read as Latin-1 are paired from the first byte of a stretch: one Latin-1 character
/// of the clean text right before a span (a no-break space, `×`, `é`) shifts every
/// pair of the span by a byte, and the span reads as rare hanzi (`\u{A0}ÕÂÍøÂç` is not
/// read as `章网络`). The search again goes on through ASCII characters that may be
/// trail bytes (0x40..=0x7E: `¸`³]` is Big5's `節設`) and the stretches after them, and
/// the next stretch looked at starts after it: no character is searched again twice.
/// [`repair_line`] searches a recorded stretch again only if no candidate of any chain
/// covers its start, and the candidates of both readings compete in [`select`].
fn realign_stretches(
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
        let covered = found.iter().any(|f| f.start <= p + 1 && p + 1 < f.end);
        // After an ASCII character that may be a trail byte, the stretch is more
        // likely the rest of a span in its own alignment (Big5's `¤@` is `一`).
        let after_trail = p > run.start && trail(p - 1);
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
fn readable_from_utf8(t: &Tables, d: Codec, c: char) -> bool {
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
fn prefer_line_script(t: &Tables, chars: &[char], arena: &[char], cands: &mut [Fix]) {
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
fn inert_sb_run(chars: &[char], bytes: &[u16], bchar: &[u32]) -> bool {
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
fn lone_cross_spans(
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
fn marks_in_place(before: &[char], after: &[char], marker: impl Fn(&char) -> bool) -> bool {
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
fn b5_marker(c: char) -> bool {
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
fn is_private_use(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// The kind of `c` among the characters a GBK decoder makes of Big5's commonest hanzi
/// and punctuation, as one bit: the private-use characters of GBK's user-defined areas
/// ([`PRIVATE_USE_MARKER`]), kana, Greek, Cyrillic, bopomofo and box drawing (GBK's rows
/// A4-A9); 0 for any other character.
fn big5_marker(c: char) -> u8 {
    match c as u32 {
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
const PRIVATE_USE_MARKER: u8 = 1;

/// How many kinds of [`big5_marker`]s `s` holds.
fn big5_marker_kinds(s: &[char]) -> u32 {
    s.iter()
        .fold(0u8, |kinds, &c| kinds | big5_marker(c))
        .count_ones()
}

/// Whether the non-ASCII characters of `s` are two or more of one character.
fn one_repeated(s: &[char]) -> bool {
    let mut non_ascii = s.iter().filter(|c| !c.is_ascii());
    let first = non_ascii.next();
    let mut rest = non_ascii.peekable();
    first.is_some() && rest.peek().is_some() && rest.all(|c| Some(c) == first)
}

/// Whether `c` is plain Chinese text: a common hanzi or CJK punctuation.
fn common_cjk(t: &Tables, c: char) -> bool {
    matches!(t.class(c), class::TOP | class::COMMON | class::CJK_PUNCT)
}

/// Whether `c` is a Latin-1 or Latin Extended letter.
fn latin_letter(t: &Tables, c: char) -> bool {
    matches!(t.class(c), class::LATIN1_LETTER | class::LATIN_EXT)
}

/// Whether `c` is a letter of a European word: ASCII, or [`latin_letter`].
fn word_letter(t: &Tables, c: char) -> bool {
    c.is_ascii_alphabetic() || latin_letter(t, c)
}

/// Whether `chars` has a Latin-1 or Latin Extended letter next to an ASCII letter: a
/// word of European text (`créé`, `être`), which GBK encodes (its pinyin letters) and
/// Big5 reads as hanzi (`é` → `谷`), so a whole-line cross-chain reading of it is a
/// coincidence.
fn latin_word(t: &Tables, chars: &[char]) -> bool {
    chars.windows(2).any(|w| {
        (latin_letter(t, w[0]) && w[1].is_ascii_alphabetic())
            || (w[0].is_ascii_alphabetic() && latin_letter(t, w[1]))
    })
}

/// Whether `chars` has a Latin-1 or Latin Extended letter that does not stand between
/// two non-ASCII characters that are neither such letters nor spaces.
fn stray_latin_letter(t: &Tables, chars: &[char]) -> bool {
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
/// - the repaired line costs less;
/// - its non-ASCII characters are not one character repeated (a decorative rule).
///
/// Uncommon hanzi (a classical text's, `籩`) may be up to a quarter of the repaired
/// characters of a line with two or more markers.
///
/// Then the repair of each run of non-ASCII characters replaces every candidate in the
/// line (their texts are appended to `arena`).
fn cross_line(t: &Tables, chars: &[char], arena: &mut Vec<char>, cands: &mut Vec<Fix>) {
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
        // `〃` is CJK punctuation, but rare outside Japanese tables: it is what a GBK
        // decoder makes of Big5's `”`, as `¨` of `“`.
        odd += usize::from(!common(c) || c == '\u{3003}');
        n_kana += usize::from(kana(c));
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
        let strong = cands.iter().any(|f| !f.weak && f.chain == chain);
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
        // --all` → `-a 或 --all`); not beside a number (`10 ㎝`).
        let connective = |(i, c, r): (usize, char, char)| {
            let word = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|w| w.is_ascii_alphabetic() || *w == '-')
            };
            let spaced = |j: Option<usize>| j.and_then(|j| chars.get(j)) == Some(&' ');
            let function = in_set(&FUNCTION_SET, r) || TRAD_FUNCTION_CHARS.contains(&r);
            // At the line's start, before a list of command-line options (`同 -ignbrk
            // -brkint`: "the same as"), any odd character.
            let before_options = i == 0
                && spaced(Some(1))
                && !common(c)
                && chars
                    .windows(3)
                    .filter(|w| w[0] == ' ' && w[1] == '-' && w[2].is_ascii_alphabetic())
                    .nth(1)
                    .is_some();
            function
                && (before_options
                    || (t.class(c) == class::SYMBOL
                        && spaced(i.checked_sub(1))
                        && spaced(Some(i + 1))
                        && word(i.checked_sub(2))
                        && word(Some(i + 2))))
        };
        if ok && n == 1 && connective(last) {
            // The line holds this one character: its repair is the line's.
        } else if !ok || n < 2 {
            ok = false;
        } else {
            let (known, pairs) = bigram_counts(t, after);
            let words = pairs > 0 && known == pairs;
            ok = (3 * n_kana <= n || (n_kana == 1 && words))
                && (strong || known > 0 || (markers > 0 && markers < n))
                && (strong || markers > 0 || 2 * known >= pairs);
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
fn all_covered(
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
fn mark_spans<'a>(fixes: impl Iterator<Item = &'a Fix>, n: usize, mark: &mut Vec<bool>) {
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
fn other_script(c: char) -> bool {
    matches!(c as u32, 0x250..0x800 | 0x900..0xF00)
}

/// Whether `after` has one to three non-ASCII characters, all [`other_script`].
fn few_other_script_letters(after: &[char]) -> bool {
    let mut letters = 0;
    for &c in after.iter().filter(|c| !c.is_ascii()) {
        if letters == 3 || !other_script(c) {
            return false;
        }
        letters += 1;
    }
    letters > 0
}

/// True for chains from GBK or Big5 bytes read as Latin-1/windows-1252.
fn sb_to_cjk(chain: &str) -> bool {
    !chain.starts_with("utf8") && (chain.ends_with("latin1") || chain.ends_with("cp1252"))
}

/// Drops weak Latin repairs (one character from a two-byte UTF-8 sequence, such as
/// `Ã¥` → `å`) when the line has another Latin-1/windows-1252 character that no
/// repair explains: the line then reads as correctly decoded Latin text. Drops
/// single-hanzi repairs from Latin-1 (`×£` → `祝`) unless the line has other CJK text.
/// Drops Big5-read-as-GBK repairs from a line with kana outside every repair.
fn line_evidence(t: &Tables, chars: &[char], arena: &[char], fixes: &mut Vec<Fix>) {
    // The characters no repair covers: Latin-1 ones, CJK text, other scripts. (The
    // repairs are in line order and do not overlap, as `select` leaves them: the
    // characters between them are looked at, and those after the last.)
    let (mut stray_latin, mut cjk_elsewhere, mut other_script_text) = (false, false, false);
    let mut kana_elsewhere = false;
    let mut look = |gap: &[char]| {
        for &c in gap.iter().filter(|c| !c.is_ascii()) {
            let k = t.class(c);
            stray_latin |= is_sb_high(k);
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
    fixes.retain(|f| {
        // Big5 read as GBK makes kana of Big5's commonest hanzi, but all inside its
        // spans: kana that no repair explains make the line Japanese, and a span in it
        // a misreading (`が続いてい` → `互適中化中`).
        if f.chain == "big5>gbk" && kana_elsewhere {
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
}

/// A C1 control left outside every repair is a windows-1252 byte decoded as Latin-1:
/// it becomes its windows-1252 character (`\u{85}` → `…`).
fn c1_controls(chars: &[char], fixes: &mut Vec<Fix>, arena: &mut Vec<char>, mark: &mut Vec<bool>) {
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
            arena.push(m);
            fixes.push(Fix {
                start: i,
                end: i + 1,
                after: arena.len() - 1..arena.len(),
                chain: "cp1252>latin1",
                gain: 0.0,
                strength: 1.0,
                confidence: 0.9,
                weak: false,
            });
        }
    }
    if fixes.len() > n {
        fixes.sort_by_key(|f| f.start);
    }
}

/// GB18030 four-byte characters common in Chinese text, by their second and fourth
/// bytes (the first and third are lost, see [`four_byte_lost`]); where two share them
/// the commoner in Chinese text is listed.
const FOUR_BYTE_LOST: [(u8, u8, char); 10] = [
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
fn four_byte_lost(
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
                arena.push(c);
                fixes.push(Fix {
                    start: i,
                    end: i + 4,
                    after: arena.len() - 1..arena.len(),
                    chain,
                    gain: 0.0,
                    strength: 1.0,
                    confidence: 0.5,
                    weak: false,
                });
                i += 4;
            }
            _ => i += 1,
        }
    }
    if fixes.len() > n {
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
/// came from (plus one entry for the end; see [`char_starts`]).
fn encode_run(
    t: &Tables,
    d: Codec,
    chars: &[char],
    run: std::ops::Range<usize>,
    alt: &[bool],
    bytes: &mut Vec<u16>,
    bchar: &mut Vec<u32>,
) {
    bytes.clear();
    bchar.clear();
    for (k, i) in run.clone().enumerate() {
        let Some(&c) = chars.get(i) else { break };
        let before = bytes.len();
        match gbk_alternative(c).filter(|_| d == Codec::Gbk && alt.get(k) == Some(&true)) {
            Some(b) => bytes.extend_from_slice(b),
            None => {
                t.encode(d, c, bytes);
            }
        }
        for _ in before..bytes.len() {
            bchar.push(i as u32);
        }
    }
    bchar.push(run.end as u32);
}

/// Whether a char starts at byte `b` of an encoded run whose byte-to-char map is
/// `bchar` ([`encode_run`]): every char has at least one byte, so a char starts where
/// the map changes, at the first byte and at the end entry; false past the end.
#[inline]
fn char_starts(bchar: &[u32], b: usize) -> bool {
    match b.checked_sub(1) {
        None => !bchar.is_empty(),
        Some(p) => matches!(bchar.get(p..=b), Some(&[x, y]) if x != y),
    }
}

/// Encodes with `d` the chars from `start` on, up to the first one `d` cannot produce,
/// into `sc.bytes` (with `sc.bchar` as in [`encode_run`]). Returns the
/// end of the run, whether it has non-ASCII chars, and whether it has chars with
/// alternative GBK bytes.
fn encode_from(
    t: &Tables,
    d: Codec,
    chars: &[char],
    start: usize,
    sc: &mut Scratch,
) -> (usize, bool, bool) {
    // Local buffers (taken from `sc`, given back), which the loop keeps in registers.
    let mut bufs = (
        std::mem::take(&mut sc.bytes),
        std::mem::take(&mut sc.bchar),
        std::mem::take(&mut sc.alt_at),
    );
    // One loop per decoder, each with its own table.
    let r = match d {
        Codec::Sb => encode_loop(chars, start, &mut bufs, |c| t.enc_word(Codec::Sb, c)),
        Codec::Gbk => encode_loop(chars, start, &mut bufs, |c| t.enc_word(Codec::Gbk, c)),
        Codec::Big5 => encode_loop(chars, start, &mut bufs, |c| t.enc_word(Codec::Big5, c)),
        Codec::Utf8 => encode_loop(chars, start, &mut bufs, |c| t.enc_word(Codec::Utf8, c)),
    };
    (sc.bytes, sc.bchar, sc.alt_at) = bufs;
    r
}

/// The loop of [`encode_from`] with the encoder `word` (a char's [`enc_word`], 0 for a
/// char it cannot encode; bytes, byte-to-char map and chars with alternative bytes in
/// `bytes`, `bchar`, `alt_at`). Both buffers get room for two bytes per char of the rest
/// of the line first (reserved, not written: the scratch buffers keep their capacity
/// from run to run, so a line of many short runs costs no more than one long run;
/// writing the room, as `resize` does, made such a line quadratic), and each char's
/// bytes are then written straight into it, with no capacity check per byte. The
/// word's flags, or-ed over the run, say whether it has non-ASCII chars and chars with
/// alternative bytes.
#[inline]
fn encode_loop(
    chars: &[char],
    start: usize,
    (bytes, bchar, alt_at): &mut (Vec<u16>, Vec<u32>, Vec<(u32, u32)>),
    word: impl Fn(char) -> u32,
) -> (usize, bool, bool) {
    bytes.clear();
    bchar.clear();
    alt_at.clear();
    let rest = chars.get(start..).unwrap_or(&[]);
    // Cleared: the room starts at the first slot.
    bytes.reserve(2 * rest.len());
    // One more: the end entry pushed after the loop.
    bchar.reserve(2 * rest.len() + 1);
    let mut flags = 0u32;
    // Bytes written, and the run's length in chars.
    let mut n = 0usize;
    let mut len = rest.len();
    let (pb, pc) = (bytes.as_mut_ptr(), bchar.as_mut_ptr());
    for (k, &c) in rest.iter().enumerate() {
        let w = word(c);
        if w == 0 {
            len = k;
            break;
        }
        flags |= w;
        if w & enc_word::ALT != 0 {
            alt_at.push((k as u32, n as u32));
        }
        let i = (start + k) as u32;
        // SAFETY: both buffers were empty with room for `2 * rest.len()` elements. Char
        // `k` starts at byte `n <= 2 * k` and writes slots `n` and `n + 1 <= 2 * k + 1 <
        // 2 * rest.len()`: inside the reserved room. (Both slots are written; the second
        // counts only with a second byte, and is otherwise the next char's first.)
        unsafe {
            pb.add(n).write(enc_word::first(w));
            pc.add(n).write(i);
            pb.add(n + 1).write(enc_word::second(w));
            pc.add(n + 1).write(i);
        }
        n += enc_word::len(w);
    }
    // SAFETY: slots `0..n` were all written above (each char writes the slots from
    // the `n` before it on, and `n` grows by the bytes it has), with plain `u16` and
    // `u32` values, and `n <= 2 * rest.len()` is within the reserved room.
    unsafe {
        bytes.set_len(n);
        bchar.set_len(n);
    }
    bchar.push((start + len) as u32);
    let non_ascii = flags & enc_word::NON_ASCII != 0;
    (start + len, non_ascii, flags & enc_word::ALT != 0)
}

/// For each char of the run with two GBK byte sequences, keeps the one whose UTF-8
/// reading around it is cheaper (each decided on its own, in a window of three bytes
/// either side), then re-encodes the run if any alternative won.
fn choose_alternatives(t: &Tables, chars: &[char], run: std::ops::Range<usize>, sc: &mut Scratch) {
    let mut any = false;
    // The run's chars with alternative bytes, and their first bytes ([`encode_from`]).
    let alt_at = std::mem::take(&mut sc.alt_at);
    for &(k, pos) in &alt_at {
        let (k, pos) = (k as usize, pos as usize);
        let Some(&c) = chars.get(run.start + k) else {
            break;
        };
        let Some(alt) = gbk_alternative(c) else {
            continue;
        };
        let len = if c == '\u{20AC}' { 1 } else { 2 };
        let lo = pos.saturating_sub(3);
        let hi = (pos + len + 3).min(sc.bytes.len());
        let keep = window_cost_memo(
            t,
            sc.bytes.get(lo..hi).unwrap_or(&[]),
            &mut sc.toks2,
            &mut sc.guess,
            &mut sc.window_memo,
        );
        // The window with the alternative bytes: at most three bytes, two, and three,
        // assembled on the stack.
        let mut window = [0u16; 8];
        let mut m = 0;
        let head = sc.bytes.get(lo..pos).unwrap_or(&[]);
        let tail = sc.bytes.get((pos + len).min(hi)..hi).unwrap_or(&[]);
        for (slot, &b) in window.iter_mut().zip(head.iter().chain(alt).chain(tail)) {
            *slot = b;
            m += 1;
        }
        let alt_cost = window_cost_memo(
            t,
            window.get(..m).unwrap_or(&[]),
            &mut sc.toks2,
            &mut sc.guess,
            &mut sc.window_memo,
        );
        if alt_cost < keep {
            if let Some(a) = sc.alt.get_mut(k) {
                *a = true;
            }
            any = true;
        }
    }
    sc.alt_at = alt_at;
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
        );
        sc.alt = alt;
    }
}

/// Slots of the [`window_cost`] cache (a power of two; 32 bytes each, 512 KB in all,
/// allocated on the first window looked up). With 1024 slots, a document of UTF-8 read
/// as GBK missed on 38% of its lookups, with 4096 on 20%.
const WINDOW_MEMO_SLOTS: usize = 16384;

/// [`window_cost`], remembered in `memo` (direct-mapped, keyed on the bytes of a window
/// of at most eight and the two line flags lost-byte completion reads): the same
/// neighbourhoods of `€` recur in a text.
fn window_cost_memo(
    t: &Tables,
    w: &[u16],
    toks: &mut Vec<Tok>,
    g: &mut GuessBuf,
    memo: &mut Vec<(u128, f32)>,
) -> f32 {
    if w.len() > 8 {
        return window_cost(t, w, toks, g);
    }
    let mut key = 1u128 << 127 | (w.len() as u128) << 72;
    key |= (g.whatwg as u128) << 76 | (g.many_lost as u128) << 77 | (g.few_lost as u128) << 78;
    for (k, &v) in w.iter().enumerate() {
        key |= ((v & 0x1FF) as u128) << (9 * k);
    }
    if memo.is_empty() {
        memo.resize(WINDOW_MEMO_SLOTS, (0, 0.0));
    }
    let h = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // The hash's top bits pick the slot.
    let Some(slot) = memo.get_mut((h >> (64 - WINDOW_MEMO_SLOTS.trailing_zeros())) as usize) else {
        return window_cost(t, w, toks, g);
    };
    if slot.0 == key {
        return slot.1;
    }
    let c = window_cost(t, w, toks, g);
    *slot = (key, c);
    c
}

/// The cost of GBK bytes `w` read as UTF-8 (8 per undecodable byte).
fn window_cost(t: &Tables, w: &[u16], toks: &mut Vec<Tok>, g: &mut GuessBuf) -> f32 {
    if w.contains(&WILD) {
        tokenize(t, Codec::Gbk, Codec::Utf8, w, toks, g, Fill::Cheapest);
        return toks.iter().map(|x| x.ch.map_or(8.0, |c| t.cost(c))).sum();
    }
    // Without lost bytes `tokenize` only decodes: the same tokens, without the buffers.
    read_cost(t, Codec::Utf8, w)
}

/// The cost of bytes `w` (no lost byte among them) read with `e`, as [`tokenize`]
/// reads them: the sum of the characters' costs, 8 per byte that starts none. (Inlined:
/// each caller's codec is a constant.)
#[inline(always)]
fn read_cost(t: &Tables, e: Codec, w: &[u16]) -> f32 {
    let mut i = 0;
    std::iter::from_fn(|| {
        if i >= w.len() {
            return None;
        }
        let fast = if e == Codec::Utf8 {
            utf8_fast(w, i)
        } else {
            None
        };
        let tok = fast.or_else(|| {
            if e == Codec::Utf8 && matches!(w.get(i), Some(0x80..=0xC1 | 0xF5..=0xFF)) {
                return None; // starts no UTF-8 sequence
            }
            let mut win = [0u8; 4];
            let wl = w.len().saturating_sub(i).min(4);
            for (slot, &v) in win.iter_mut().zip(w.get(i..i + wl).unwrap_or(&[])) {
                *slot = v as u8;
            }
            t.decode_at(e, &win[..wl])
        });
        Some(match tok {
            Some((l, c)) => {
                i += l;
                t.cost(c)
            }
            None => {
                i += 1;
                8.0
            }
        })
    })
    .sum()
}

/// Decodes `bytes` as `e` into `toks`; lost bytes ([`WILD`], at most two per
/// character) are completed with the cheapest character among the bytes decoder `d`
/// could have lost there, then re-picked with their context ([`context_pass`]).
fn tokenize(
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
fn add_forced(toks: &mut [Tok], g: &mut GuessBuf) {
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
const LEAD_LOOKAHEAD: usize = 12;

/// Bytes that must follow a lost byte, before the next one, for
/// [`gbk_lead_keeps_reading`] to judge (fewer: the lost byte is taken as a lead).
const LEAD_LOOKAHEAD_MIN: usize = 6;

/// How much cheaper the reading with the lost byte alone must be.
const LEAD_LOOKAHEAD_MARGIN: f32 = 4.0;

/// Whether the lost byte at `bytes[i]` may be taken as a GBK lead byte whose trail is
/// the byte after it, judged by the GBK reading of the bytes after it (up to
/// [`LEAD_LOOKAHEAD`], to the next lost byte): it may, unless at least
/// [`LEAD_LOOKAHEAD_MIN`] bytes follow and the characters read from `i + 1` on (the
/// lost byte alone) cost less by [`LEAD_LOOKAHEAD_MARGIN`] than those read from
/// `i + 2` on ([`read_cost`]; both readings end at the same byte, and the guessed
/// character is not counted, so a close call keeps the guess).
fn gbk_lead_keeps_reading(t: &Tables, bytes: &[u16], i: usize) -> bool {
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
fn utf8_fast(bytes: &[u16], i: usize) -> Option<(usize, char)> {
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
enum Fill<'a> {
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

/// Weight of a bigram bonus against twice a character's cost when picking guesses.
const GUESS_BIGRAM_WEIGHT: f32 = 2.5;

/// The same across a space: bigrams are word-internal, and a space between hanzi is
/// mostly a word boundary (`100个 字节` is not `个字`).
const GUESS_SPACED_BIGRAM_WEIGHT: f32 = 1.0;

/// Weight of a running-text triple's further bonus ([`running::triple_bonus`]) of a
/// guess and the two hanzi after it.
const RUNNING_AHEAD_TRIPLE_WEIGHT: f32 = 1.0;

/// Weight of a running-text pair's bonus ([`running`]) of the character before a guess
/// and the guess, against twice a character's cost. (On our four case sets 0.4, 0.5
/// and 0.6 completed about as many lines, 1.0 fewer than none.)
const RUNNING_WEIGHT: f32 = 0.5;

/// The same across a space (word-spaced text: `设备和文件 上 做`).
const RUNNING_SPACED_WEIGHT: f32 = 0.3;

/// Share of [`RUNNING_WEIGHT`] (or [`RUNNING_SPACED_WEIGHT`]) for a pair that is a
/// dictionary word of its own ([`CLOSED_WORD_BIGRAM`]) when the two hanzi before the
/// guess make a word too: the two words overlap, and running text's count of the
/// pair (`省委`) is mostly of the pair's word, which the word before rules out
/// (`缺省为`). (On our four case sets 0.5 completed the most lines; 0.3, 0.7 and 1.0
/// fewer, 0 fewer still.)
const RUNNING_OVERLAP_SHARE: f32 = 0.5;

/// Weight of a running-text triple's further bonus ([`running::after`]) of the two
/// hanzi right before a guess and the guess (`使用了`, not `使用于`). (On our four case
/// sets 0.4 to 0.8 completed about as many lines, 0.2 fewer.)
const RUNNING_TRIPLE_WEIGHT: f32 = 0.6;

/// Weight of the running-text pair of a guess and the hanzi right after it. (Bytes
/// are mostly lost before ASCII: this is for strict decoders' losses and for spans.)
const RUNNING_NEXT_WEIGHT: f32 = 0.3;

/// Share of the dictionary's bigram weight before a guess alone when the two hanzi
/// before it make a word ([`CLOSED_WORD_BIGRAM`]) and the text is not traditional:
/// the guess then starts the next word, and the dictionary's word-internal bigram of
/// the character before it (`用于` after `使用`) is weaker evidence than running text's
/// pairs (`指定了` was `指定于`). Traditional text keeps the whole weight: its
/// running-text figures are mostly converted from simplified text. (On our four case
/// sets, 0.5 completed the most lines; 0.3 and 0.7 fewer.)
const DICT_BIGRAM_SHARE: f32 = 0.5;

/// Share of the dictionary's bigram weight before a guess alone in text whose decoded
/// characters are more simplified than traditional, otherwise ([`DICT_BIGRAM_SHARE`]
/// after a word; text of neither script keeps the whole weight): running text's pairs
/// are technical text's there (the SDK's API reference), and the dictionary's
/// word-internal bigram is weaker evidence beside them (`可逆` before a comma outweighed
/// running text's `可选`). (On our four case sets 0.8 completed as many lines as 1.0,
/// 0.6 fewer; at 0.8 three lines of ours with `可选` come back, which 1.0 lost.)
const SIMPLIFIED_DICT_BIGRAM_SHARE: f32 = 0.8;

/// The least dictionary bigram of the two hanzi before a guess that makes them a word
/// for [`DICT_BIGRAM_SHARE`]. (With any bigram, `参考实参` lost its `参`: `考实` is a
/// rare one; on our four case sets 0.5 and 1 completed about as many lines.)
const CLOSED_WORD_BIGRAM: f32 = 1.0;

/// Extra cost of completing a lost byte as 0x80 behind a GBK decoder that shows
/// browser behaviour (the line has `€` or private-use characters).
const LOST_80_PENALTY: f32 = 3.0;

/// Extra cost of a completion the byte after it rules out unless the loss happened at
/// the end of a separately decoded stretch.
const BOUNDARY_PENALTY: f32 = 1.0;

/// The same for a byte a Big5 decoder lost: GBK read as Big5 misreads whole lines far
/// more often than a span inside clean text, so the byte after the lost one was, as a
/// rule, read by the same decoder, which would have paired it with a lead byte that
/// makes a pair (`前先` before `检`: `前线`'s trail DF would have paired with `检`'s lead
/// BC). (On our four case sets 1.5 to 3 completed one more gbk>big5 line than 1.0, 4 one
/// fewer than 3.)
const BIG5_BOUNDARY_PENALTY: f32 = 2.0;

/// Bonus (against twice a character's cost) for a guess the decoded text already has.
const SEEN_BONUS: f32 = 1.0;

/// Bonus (against twice a character's cost) for a guess that is a function word
/// ([`FUNCTION_CHARS`]); doubled when the guess stands alone between non-hanzi (spaces,
/// Latin words, digits, punctuation or the line's edge), where a function word is what
/// usually stands.
const FUNCTION_BONUS: f32 = 1.0;

/// Bonus for a measure word or unit ([`MEASURE_CHARS`]) guessed right after an ASCII
/// digit (spaces skipped): `2022年9月`, `第 4.3 节`, `8秒`.
const MEASURE_BONUS: f32 = 3.0;

/// Characters that jieba 0.42.1's dictionary lists as one-character words tagged as
/// conjunction, preposition or particle (c, p, u*), with frequency at least 2,000, less
/// a few tags that are not function words in modern text (根 然 般 顺 针); sorted.
const FUNCTION_CHARS: [char; 37] = [
    '与', '为', '之', '了', '于', '从', '以', '但', '凭', '及', '同', '向', '和', '因', '在', '对',
    '并', '或', '所', '把', '按', '据', '既', '替', '比', '用', '由', '的', '等', '给', '而', '自',
    '至', '若', '被', '跟', '除',
];

/// The function words of [`FUNCTION_CHARS`] that end a phrase as often as they stand
/// inside one (particles: `…的,`, `…了.`, `…等;`); the others (prepositions and
/// conjunctions) take what follows them.
const PHRASE_END_PARTICLES: [char; 3] = ['了', '的', '等'];

/// Whether `c`, right after a guess, leaves no object to a preposition or conjunction
/// guessed there: a mark that ends a clause or a closing bracket or quote.
fn ends_object_slot(c: char) -> bool {
    matches!(
        c,
        ',' | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '，'
            | '。'
            | '；'
            | '：'
            | '！'
            | '？'
            | '、'
            | '）'
            | '」'
            | '』'
            | '》'
            | '】'
            | '”'
    )
}

/// [`FUNCTION_CHARS`] as a bit set over the BMP ([`in_set`]).
static FUNCTION_SET: [u64; 1024] = char_set(&FUNCTION_CHARS);

/// The bit set over the BMP of the BMP characters of `chars`, built at compile time.
const fn char_set(chars: &[char]) -> [u64; 1024] {
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
fn in_set(set: &[u64; 1024], c: char) -> bool {
    set.get(c as usize / 64)
        .is_some_and(|w| w & (1 << (c as u32 % 64)) != 0)
}

/// The traditional forms of [`FUNCTION_CHARS`] that differ.
const TRAD_FUNCTION_CHARS: [char; 8] = ['與', '為', '於', '從', '對', '並', '據', '給'];

/// Whether `c` joins two numbers into a range or a list (`6-7`, `7、14`, `3～5`).
fn joins_numbers(c: char) -> bool {
    matches!(c, '-' | '~' | '～' | '－' | '—' | '、' | ',' | '，')
}

/// Bonus (on top of [`MEASURE_BONUS`]) for the date part that follows the one before a
/// number: a month after `年`, a day after `月`. It outweighs [`SEEN_BONUS`]: a text
/// that has `时` elsewhere still writes `12月6日`.
const DATE_BONUS: f32 = 2.0;

/// Measure words, units and date parts that follow Arabic numerals (written by hand);
/// sorted.
const MEASURE_CHARS: [char; 33] = [
    '个', '件', '位', '倍', '元', '分', '列', '台', '号', '周', '天', '字', '层', '岁', '年', '度',
    '张', '日', '时', '月', '条', '次', '步', '点', '种', '秒', '章', '米', '级', '节', '行', '页',
    '项',
];

/// Whether `c` is a CJK unified or compatibility ideograph of the BMP.
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF)
}

/// Extra cost (against twice a character's cost) of guessing a full-width Latin letter
/// or one of the symbols `＠＼＾＿｀` of its GBK row (A3).
const FULLWIDTH_LETTER_PENALTY: f32 = 3.0;

/// Further cost of a full-width Latin letter (or `＠＼＾＿｀`, of the same GBK row)
/// guessed where neither neighbour is a letter or digit (ASCII or full-width):
/// full-width letters come in words (`ＡＢＣ`), and between hanzi the guess is a hanzi
/// whose GBK lead a Big5 decoder lost (row C8: `仁` C8CA shares its trail byte with
/// `Ｊ` A3CA).
const LONE_FULLWIDTH_LETTER_PENALTY: f32 = 3.0;

/// Whether `c` is an ASCII or full-width letter or digit.
fn alnum_or_fullwidth(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
}

/// Closing brackets and quotes with their openers, for [`context_pass`].
const BRACKETS: [(char, char); 7] = [
    ('《', '》'),
    ('（', '）'),
    ('“', '”'),
    ('「', '」'),
    ('【', '】'),
    ('『', '』'),
    ('〈', '〉'),
];

/// The characters of [`BRACKETS`] as a bit set over the BMP ([`in_set`]).
static BRACKET_SET: [u64; 1024] = {
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
fn context_pass(t: &Tables, toks: &mut [Tok], g: &mut GuessBuf, line: Option<(&[char], &[u32])>) {
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
    for x in text_toks.iter().filter(|x| !x.guessed) {
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
    }

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
            for (pair, &(open, close)) in BRACKETS.iter().enumerate() {
                let find = |c: char| {
                    if sorted {
                        find_sorted(alts, c)
                    } else {
                        alts.iter().position(|x| x.0 == c)
                    }
                };
                let open_now = depth[pair];
                let (jo, jc) = (find(open), find(close).filter(|_| open_now > 0));
                if jo.is_none() && jc.is_none() {
                    continue;
                }
                // (Closers after the guess that brackets open now do not close.)
                let ahead = closers_ahead(toks, k, line, pair);
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
fn transitions_in_running_text(
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
struct OwnContext<'a> {
    /// Bracket depths before the guess.
    depth: &'a [i32; BRACKETS.len()],
    /// The script other than the text's (3: none known).
    wrong_script: u8,
    /// The characters decoded elsewhere in the text, as a bit set.
    seen_bits: &'a [u64],
    /// Bonus of a function word here.
    function_bonus: f32,
    /// A clause mark or a closer follows the guess right after it
    /// ([`ends_object_slot`]): a preposition or conjunction there would have nothing to
    /// govern, so only the particles that end a phrase ([`PHRASE_END_PARTICLES`]) keep
    /// the function bonus (`系统中,`, not `系统为,`).
    before_mark: bool,
    /// The guess follows an ASCII digit.
    after_digit: bool,
    /// A letter or digit stands right beside the guess ([`alnum_or_fullwidth`]).
    letter_beside: bool,
}

impl OwnContext<'_> {
    /// The own score of alternative `c` (cost `cost`) of a guess: twice its cost, with
    /// bonuses and penalties.
    #[inline(always)]
    fn own(&self, t: &Tables, c: char, cost: f32) -> f32 {
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
    fn word_terms(&self, c: char, mut own: f32) -> f32 {
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
    fn function_terms(&self, c: char, mut own: f32) -> f32 {
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
    fn fullwidth_penalty(&self, c: char) -> f32 {
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
    fn unscripted_range(t: &Tables, lo: char, hi: char) -> bool {
        let overlaps = |a: u32, b: u32| lo as u32 <= b && hi as u32 >= a;
        !overlaps(0x3400, 0x9FFF) && !overlaps(0x2500, 0x257F) && !t.may_have_script(lo, hi)
    }

    /// [`OwnContext::own`] of a character in a range [`OwnContext::unscripted_range`]
    /// accepts, the same figure: of its terms only the bracket bonus and the
    /// full-width penalty can apply (its script matches no `wrong_script`, it
    /// is never seen, never a function or measure word), and for a character
    /// [`Tables::own_is_plain`] accepts both are 0 (`x - 0.0` is `x`).
    #[inline(always)]
    fn own_unscripted(&self, c: char, cost: f32) -> f32 {
        let mut own = 2.0 * cost - bracket_bonus(self.depth, c);
        own += self.fullwidth_penalty(c);
        own
    }

    /// Appends [`OwnContext::own_unscripted`] of each of `alts` (in strictly increasing
    /// order, in a range [`OwnContext::unscripted_range`] accepts) to `own`: twice its
    /// cost, computed for all at once, then the closing brackets and the full-width
    /// block `＠`..`ｚ` among them (found by binary search) done again in full; for the
    /// others both terms are 0 (`x - 0.0` is `x`).
    fn own_unscripted_all(&self, alts: &[(char, f32)], own: &mut Vec<f32>) {
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
    fn hanzi_range(lo: char, hi: char) -> bool {
        (0x3400..=0x9FFF).contains(&(lo as u32)) && (0x3400..=0x9FFF).contains(&(hi as u32))
    }

    /// [`OwnContext::own`] of a character `c` in a range [`OwnContext::hanzi_range`]
    /// accepts, the same figure: the bracket bonus and the full-width penalty are 0
    /// there (`x - 0.0` and `x + 0.0` are `x`), and the other terms are added in
    /// `own`'s order, the script's as looked up in `script_extra` (0: none).
    #[inline(always)]
    fn own_hanzi(&self, t: &Tables, script_extra: &[f32; 4], c: char, cost: f32) -> f32 {
        let mut own = 2.0 * cost;
        let extra = script_extra[t.script(c) as usize & 3];
        if extra != 0.0 {
            own += extra;
        }
        self.word_terms(c, own)
    }

    /// The script term of [`OwnContext::own`] for each [`Tables::script`] value.
    fn script_extra(&self) -> [f32; 4] {
        [0, 1, 2, 3].map(|s| self.script_term(s))
    }

    /// [`script_term`] with the text's `wrong_script`.
    #[inline(always)]
    fn script_term(&self, script: u8) -> f32 {
        script_term(self.wrong_script, script)
    }

    /// Appends [`OwnContext::own_hanzi`] of each of `alts` (in a range
    /// [`OwnContext::hanzi_range`] accepts) to `own`.
    fn own_hanzi_all(&self, t: &Tables, alts: &[(char, f32)], own: &mut Vec<f32>) {
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
fn script_term(wrong_script: u8, script: u8) -> f32 {
    if script == wrong_script {
        2.0
    } else if wrong_script == 3 && script == 2 {
        1.0
    } else {
        0.0
    }
}

/// The context of a guess for running text's evidence ([`running`]).
struct RunningContext {
    /// The hanzi before the guess (none unless it is the first of its group), and
    /// whether a space stands between them.
    prev: Option<(char, bool)>,
    /// The two hanzi right before the guess.
    two_before: Option<(char, char)>,
    /// The hanzi right after the guess (none unless it is the last of its group).
    next: Option<char>,
    /// The hanzi right after `next` (none unless `next` is right after the guess).
    after_next: Option<char>,
    /// Where the figures to use were counted: at the ends of stretches of hanzi when the
    /// guess is before a non-hanzi.
    place: running::Place,
    /// The two hanzi before the guess make a dictionary word ([`CLOSED_WORD_BIGRAM`]):
    /// the guess then starts the next word.
    closes_word: bool,
    /// The script other than the text's ([`OwnContext::wrong_script`]).
    wrong_script: u8,
}

impl RunningContext {
    /// Subtracts from the own scores `own` of the alternatives `alts` (in strictly
    /// increasing order when `sorted`) the weighted bonuses of running text's pairs (the
    /// hanzi before and each alternative, each alternative and the hanzi after) and
    /// triples (the two hanzi before and each alternative; sorted alternatives only).
    /// Characters whose script costs extra ([`script_term`]) gain nothing: the text's
    /// script is known better than the sources'.
    fn apply(&self, t: &Tables, alts: &[(char, f32)], sorted: bool, own: &mut [f32]) {
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
fn first_min(v: &[f32]) -> usize {
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
fn index_from(alts: &[(char, f32)], cp: u32) -> usize {
    match (alts.first(), alts.last()) {
        (Some(f), Some(l)) if (l.0 as u32).wrapping_sub(f.0 as u32) as usize + 1 == alts.len() => {
            (cp.saturating_sub(f.0 as u32) as usize).min(alts.len())
        }
        _ => alts.partition_point(|x| (x.0 as u32) < cp),
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
fn own_is_twice_cost(c: char, script: u8) -> bool {
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
const OWN_SCORED_RANGES: [std::ops::RangeInclusive<u32>; 6] = [
    0x201C..=0x201D,
    0x3008..=0x3011,
    0xFF08..=0xFF09,
    0xFF20..=0xFF5A,
    0x3400..=0x9FFF,
    0x2500..=0x257F,
];

/// Bonus for an opening bracket or quote whose closer follows it unmatched
/// ([`closers_ahead`]), as much as a closer's whose opener is open ([`bracket_bonus`]).
const OPENER_BONUS: f32 = 1.5;

/// Tokens after a guess that [`closers_ahead`] looks at, at most.
const CLOSER_AHEAD: usize = 64;

/// How many closers of `BRACKETS[pair]` follow token `k` of `toks` unmatched, within
/// [`CLOSER_AHEAD`] tokens, read by [`TokenChars`] (`line`, as in [`context_pass`]).
fn closers_ahead(toks: &[Tok], k: usize, line: Option<(&[char], &[u32])>, pair: usize) -> i32 {
    let Some(&(open, close)) = BRACKETS.get(pair) else {
        return 0;
    };
    // Openers less closers so far, and the closers that found no opener.
    let mut depth = 0i32;
    let mut unmatched = 0i32;
    let mut read = TokenChars::default();
    for x in toks.iter().skip(k + 1).take(CLOSER_AHEAD) {
        let Some(c) = read.next(x, line) else {
            continue;
        };
        if c == open {
            depth += 1;
        } else if c == close {
            if depth > 0 {
                depth -= 1;
            } else {
                unmatched += 1;
            }
        }
    }
    unmatched
}

/// Counts the bracket or quote `c` into `depth` (per pair of [`BRACKETS`]): an opener
/// opens, a closer closes.
#[inline]
fn count_bracket(depth: &mut [i32; BRACKETS.len()], c: char) {
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
struct TokenChars {
    /// The line character the last undecodable token read stood for.
    last: Option<u32>,
}

impl TokenChars {
    /// The character `x` stands for, if it is new (see [`TokenChars`]).
    #[inline]
    fn next(&mut self, x: &Tok, line: Option<(&[char], &[u32])>) -> Option<char> {
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
fn bracket_bonus(depth: &[i32; BRACKETS.len()], c: char) -> f32 {
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

/// The byte after position `p` if it is known.
fn next_known(bytes: &[u16], p: usize) -> Option<u8> {
    bytes
        .get(p + 1)
        .and_then(|&v| (v != WILD).then_some(v as u8))
}

/// Calls `f` for each set bit of a 256-bit set, in increasing order.
#[inline]
fn for_bits(m: [u64; 4], mut f: impl FnMut(u8)) {
    for (w, &word) in m.iter().enumerate() {
        let mut v = word;
        while v != 0 {
            let b = v.trailing_zeros();
            v &= v - 1;
            f((w as u32 * 64 + b) as u8);
        }
    }
}

/// The 256-bit set of bytes `lo..=hi`.
const fn range_mask(lo: u8, hi: u8) -> [u64; 4] {
    let mut m = [0u64; 4];
    let mut b = lo as usize;
    while b <= hi as usize {
        m[b / 64] |= 1 << (b % 64);
        b += 1;
    }
    m
}

/// UTF-8 lead bytes of multi-byte sequences, continuation bytes, all high bytes.
const UTF8_LEADS: [u64; 4] = range_mask(0xC2, 0xF4);
const UTF8_CONTS: [u64; 4] = range_mask(0x80, 0xBF);
const HIGH_BYTES: [u64; 4] = range_mask(0x80, 0xFF);

/// Whether some completion of the lost bytes at `wilds` (offsets into `win[..wl]`)
/// can make a UTF-8 character that starts at `win[0]` and covers the first lost byte:
/// the lead byte (known, or lost) opens a sequence longer than the first loss, the
/// window holds the whole sequence, and its known trail bytes are continuation bytes.
/// A necessary condition for [`guess`] to find anything, checked before it tries up
/// to 64 completions one by one.
fn utf8_completable(win: &[u8; 4], wl: usize, wilds: &[usize]) -> bool {
    let Some(&w0) = wilds.first() else {
        return false;
    };
    let is_wild = |k: usize| wilds.contains(&k);
    let is_cont = |k: usize| is_wild(k) || win.get(k).is_some_and(|b| (0x80..=0xBF).contains(b));
    if w0 == 0 {
        // A lost lead byte (0xC2 or above) starts a sequence of two bytes or more.
        return wl >= 2 && is_cont(1);
    }
    let n = match win[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return false,
    };
    n > w0 && wl >= n && (1..n).all(is_cont)
}

/// Lost bytes to complete: everything [`guess`] reads (and so the key of
/// [`GuessMemo`]).
#[derive(Clone, Copy)]
struct LostBytes<'a> {
    /// The decoder that lost the bytes.
    d: Codec,
    /// The encoding the bytes are completed in.
    e: Codec,
    /// The re-encoded stretch ([`WILD`] marks a lost byte).
    bytes: &'a [u16],
    /// Where the window starts in `bytes`.
    i: usize,
    /// The window: `win[..wl]` are the bytes from `i`, a lost one as 0.
    win: [u8; 4],
    wl: usize,
    /// Offsets of the lost bytes in the window (one or two).
    wilds: &'a [usize],
    /// The line shows a WHATWG (browser) GBK decoder ([`GuessBuf::whatwg`]).
    whatwg: bool,
    /// The line has three or more U+FFFD ([`GuessBuf::many_lost`]).
    many_lost: bool,
}

/// Completes the lost bytes `q.wilds` of the window `q.win`; appends every candidate
/// of the chosen length to `alts` (after what is there).
fn guess(
    t: &Tables,
    q: &LostBytes<'_>,
    alts: &mut Vec<(char, f32)>,
) -> Option<(usize, char, bool)> {
    let LostBytes {
        d,
        e,
        bytes,
        i,
        mut win,
        wl,
        wilds,
        whatwg,
        many_lost,
    } = *q;
    let count = |m: [u64; 4]| m.iter().map(|w| w.count_ones()).sum::<u32>();
    let cands = |w: usize| -> ([u64; 4], [u64; 4]) {
        let next = next_known(bytes, i + w);
        let last_wild = wilds.last().copied() == Some(w);
        // In UTF-8 a lost byte is a lead byte at the start of a sequence and a
        // continuation byte inside one.
        let range = match (e, w) {
            (Codec::Utf8, 0) => UTF8_LEADS,
            (Codec::Utf8, _) => UTF8_CONTS,
            _ => HIGH_BYTES,
        };
        let and = |lost: [u64; 4]| {
            [
                range[0] & lost[0],
                range[1] & lost[1],
                range[2] & lost[2],
                range[3] & lost[3],
            ]
        };
        let with_next = and(t.lost_mask(d, if last_wild { next } else { None }));
        // A byte that would have paired with the next one can still be lost at the
        // end of a separately decoded stretch (a damaged span inside clean text):
        // the others stay, at a price. (Dropping them when the next byte left more
        // than eight candidates lost `前面` before a clean `那`, whose GBK lead
        // leaves thirteen.)
        if w > 0 && last_wild && next.is_some() {
            return (and(t.lost_mask(d, None)), with_next);
        }
        (with_next, with_next)
    };
    // `EF BF` + a lost byte: U+FFFD itself went through the wrong decoder.
    if e == Codec::Utf8 && wilds == [2] && win[0] == 0xEF && win[1] == 0xBF {
        return Some((3, '\u{FFFD}', false));
    }
    if e == Codec::Utf8 && !utf8_completable(&win, wl, wilds) {
        return None;
    }
    let (c0, p0) = cands(wilds[0]);
    let (c1, p1) = if wilds.len() > 1 {
        cands(wilds[1])
    } else {
        ([1, 0, 0, 0], [1, 0, 0, 0]) // one pass with a dummy byte
    };
    let has = |m: &[u64; 4], b: u8| m[b as usize / 64] & (1 << (b % 64)) != 0;
    // Two lost continuation bytes of a three-byte character (`E8 ? ?`): up to 4096
    // readings, narrowed by the decoder (the first byte was lost before the second, so
    // the two did not form a pair it reads), each scored; the cheapest are kept.
    let two_conts = e == Codec::Utf8
        && wilds == [1, 2]
        && wl >= 3
        && matches!(win[0], 0xE1..=0xEC | 0xEE..=0xEF)
        && d != Codec::Sb;
    // A lost GBK trail byte after a known lead: at most 126 readings.
    let gbk_trail = e == Codec::Gbk && wilds == [1];
    // A lost GBK lead byte before a byte no Big5 pair ends with (0x80-0xA0, the trail
    // of GBK's extension rows, as `詩` D4 8A): any lead, at most 126 readings.
    let gbk_lead = e == Codec::Gbk && wilds == [0] && wl >= 2 && (0x80..=0xA0).contains(&win[1]);
    if count(c0) * count(c1) > 64 && !two_conts && !gbk_trail && !gbk_lead {
        return None;
    }
    let a0 = alts.len();
    let mut best: Option<(usize, char, f32)> = None;
    // A WHATWG GBK decoder reads a lone 0x80 as `€`, so only a strict one loses it.
    let pen = |b: u8, pref: &[u64; 4]| {
        let mut p = 0.0;
        if d == Codec::Gbk && b == 0x80 && whatwg {
            p += LOST_80_PENALTY;
        }
        if !has(pref, b) {
            // Many losses in the line are a strict decoder's, one at a time.
            let boundary = if d == Codec::Big5 {
                BIG5_BOUNDARY_PENALTY
            } else {
                BOUNDARY_PENALTY
            };
            p += if many_lost { 2.0 * boundary } else { boundary };
        }
        p
    };
    let mut consider = |l: usize, c: char, extra: f32| {
        let cost = t.cost(c) + extra;
        alts.push((c, cost));
        if !matches!(best, Some(x) if x.2 <= cost) {
            best = Some((l, c, cost));
        }
    };
    // Fast path: one lost continuation byte that ends its UTF-8 sequence; every
    // candidate is the sequence's code point with other low six bits.
    let w0 = wilds[0];
    let mut done = false;
    if e == Codec::Utf8 && wilds.len() == 1 && w0 > 0 && (c0[2] & !UTF8_CONTS[2]) == 0 {
        win[w0] = 0x80;
        if let Some((l, base)) = t.decode_at(e, &win[..wl]) {
            if w0 + 1 == l {
                let base = base as u32;
                for_bits(c0, |b| {
                    if let Some(c) = char::from_u32(base | (b as u32 & 0x3F)) {
                        consider(l, c, pen(b, &p0));
                    }
                });
                done = true;
            }
        }
    }
    if two_conts {
        let base = (win[0] as u32 & 0x0F) << 12;
        for_bits(c1, |b| {
            let pair_lost = t.lost_mask(d, Some(b));
            let pb = pen(b, &p1);
            for_bits(c0, |a| {
                if !has(&pair_lost, a) {
                    return;
                }
                let cp = base | ((a as u32 & 0x3F) << 6) | (b as u32 & 0x3F);
                if let Some(c) = char::from_u32(cp) {
                    consider(3, c, pen(a, &p0) + pb);
                }
            });
        });
        done = true;
    }
    if !done {
        for_bits(c0, |a| {
            win[w0] = a;
            for_bits(c1, |b| {
                if let Some(&w1) = wilds.get(1) {
                    win[w1] = b;
                }
                if let Some((l, c)) = t.decode_at(e, &win[..wl]) {
                    if w0 < l {
                        let extra = pen(a, &p0) + if wilds.len() > 1 { pen(b, &p1) } else { 0.0 };
                        consider(l, c, extra);
                    }
                }
            });
        });
    }
    if two_conts {
        // Keep the cheapest readings, in code point order.
        const KEEP: usize = 48;
        if let Some(tail) = alts.get_mut(a0..) {
            if tail.len() > KEEP {
                tail.select_nth_unstable_by(KEEP, |x, y| x.1.total_cmp(&y.1));
            }
        }
        alts.truncate(a0 + KEEP.min(alts.len() - a0));
        if let Some(tail) = alts.get_mut(a0..) {
            tail.sort_unstable_by_key(|x| x.0);
        }
    }
    let Some((l, c, _)) = best else {
        alts.truncate(a0);
        return None;
    };
    // Keep only the alternatives of the chosen length, for the context pass.
    let len_of = |x: char| match e {
        Codec::Utf8 => x.len_utf8(),
        _ => l,
    };
    let mut w = a0;
    for r in a0..alts.len() {
        if let Some(&x) = alts.get(r) {
            if len_of(x.0) == l {
                alts[w] = x;
                w += 1;
            }
        }
    }
    alts.truncate(w);
    Some((l, c, true))
}

/// Highest cost of a GBK character [`guess_both_lost`] offers.
const BOTH_LOST_MAX_COST: f32 = 2.5;

/// The GBK characters (at most [`BOTH_LOST_MAX_COST`]) whose lead byte a strict Big5
/// decoder cannot pair with their trail byte (so it loses the lead and reads the trail
/// as a lead), with their trail byte; in code point order.
fn both_lost_table(t: &Tables) -> &'static [(char, u8)] {
    static TABLE: std::sync::OnceLock<Vec<(char, u8)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v = Vec::new();
        for lead in 0x81..=0xFEu8 {
            for trail in 0x80..=0xFEu8 {
                if let Some((2, c)) = t.decode_at(Codec::Gbk, &[lead, trail]) {
                    if t.cost(c) <= BOTH_LOST_MAX_COST && t.lost_ok(Codec::Big5, lead, Some(trail))
                    {
                        v.push((c, trail));
                    }
                }
            }
        }
        v.sort_unstable();
        v.dedup_by_key(|x| x.0);
        v
    })
}

/// Completes a GBK character both of whose bytes a strict Big5 decoder lost, one at a
/// time (two U+FFFD; `next` is the byte after them, if known): the common characters
/// of [`both_lost_table`] whose trail byte it cannot pair with `next` either. Appends
/// them to `alts` (in code point order, with their costs) and returns the cheapest.
fn guess_both_lost(
    t: &Tables,
    next: Option<u8>,
    alts: &mut Vec<(char, f32)>,
) -> Option<(usize, char, bool)> {
    let mut best: Option<(char, f32)> = None;
    for &(c, trail) in both_lost_table(t) {
        if !t.lost_ok(Codec::Big5, trail, next) {
            continue;
        }
        let cost = t.cost(c);
        alts.push((c, cost));
        if !matches!(best, Some((_, b)) if b <= cost) {
            best = Some((c, cost));
        }
    }
    best.map(|(c, _)| (2, c, true))
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
        prefix_costs_along(t, seg.iter().map(|x| x.ch), &mut sc.tpre, &mut sc.tbi);
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
        positive_runs(
            t,
            chars,
            &sc.pre,
            &sc.tpre,
            d,
            e,
            seg,
            &units,
            out,
            &mut sc.arena,
            &mut judged,
        );
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
fn make_units(
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
const DATE_PART_BONUS: f32 = 2.0;

/// Whether `c` is a date's part that follows a number (`年`, `月`, `日`).
fn is_date_part(c: char) -> bool {
    matches!(c, '年' | '月' | '日')
}

/// Whether `after`, a span's repair that follows `before` in its line, reads as dates:
/// at least two date parts right after a digit ([`is_date_part`]), and at most one
/// other non-ASCII character for every two of them (`6月1日至6月15日`).
fn reads_as_dates(before: Option<char>, after: &[char]) -> bool {
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
const EDGE_HAN_FLOOR: f32 = -1.0;

/// The same for a unit of hanzi that reaches the line's first or last character: the
/// stray Latin-1 characters it would leave at the line's edge make the line read as
/// European text, and the whole repair is dropped (`”yŸoÔ»Òæ` is GBK's `攜無曰益`:
/// `攜` is rarer than a quote and a letter).
const LINE_EDGE_HAN_FLOOR: f32 = -6.0;

/// How many units of ASCII spaces and marks may stand between a bullet's middle dot and
/// the span after it ([`bullet_dot`]).
const BULLET_GAP_UNITS: usize = 2;

/// The least bigram bonus of `路` and a span's first character that makes the two a
/// word ([`bullet_dot`]): the bigrams are generous, and weak ones (`路不` 0.45, `路招`
/// 0.1) make none; `路易` (1.3) and `路径` do.
const BULLET_DOT_BIGRAM: f32 = 0.5;

/// Whether `s` is all marks that Chinese text uses and windows-1252 has (`——`, `……`,
/// curly quotes, the middle dot): beside a span of GBK read as windows-1252 they are
/// clean text, though their bytes make a hanzi (`——` is 97 97, GBK's `棗`).
fn chinese_marks(s: &[char]) -> bool {
    s.iter()
        .all(|c| matches!(c, '—' | '…' | '“' | '”' | '‘' | '’' | '·'))
}

/// Whether `u`, the unit right before a span of UTF-8 read as GBK that starts with
/// `next`, is a middle dot read the same way (`·`, C2 B7, reads as `路`) that stands
/// first in its line or after white space, as a list's bullet does (`·北京今日` read as
/// GBK is `路鍖椾含浠婃棩`): the dot costs more than `路`, so the span leaves it out, but
/// `路` with the span's first character, if a hanzi, makes no word there
/// ([`BULLET_DOT_BIGRAM`]).
fn bullet_dot(t: &Tables, chars: &[char], seg: &[Tok], u: &Unit, next: &Unit) -> bool {
    let toks = seg.get(u.t0..u.t1).unwrap_or(&[]);
    let first = seg
        .get(next.t0..next.t1)
        .and_then(|x| x.iter().find_map(|x| x.ch));
    matches!(toks, [x] if x.ch == Some('\u{B7}'))
        && chars.get(u.c0..u.c1) == Some(&['路'][..])
        && u.c0
            .checked_sub(1)
            .and_then(|i| chars.get(i))
            .is_none_or(|c| c.is_whitespace())
        && first.is_some_and(|f| !is_han(f) || t.bigram('路', f) < BULLET_DOT_BIGRAM)
}

/// Emits every stretch of units whose summed gain peaks positive, split at strongly
/// negative units (Kadane's maximum subarray, restarted whenever the sum drops to 0).
#[allow(clippy::too_many_arguments)]
fn positive_runs(
    t: &Tables,
    chars: &[char],
    pre: &[f32],
    tpre: &[f32],
    d: Codec,
    e: Codec,
    seg: &[Tok],
    units: &[Unit],
    out: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    judged: &mut Option<SpanNonAscii>,
) {
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
            emit(
                t,
                chars,
                pre,
                tpre,
                d,
                e,
                seg,
                &units[a..b],
                out,
                arena,
                judged,
            );
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
    // A lone marker of Big5 read as GBK costs about what the common hanzi it stands for
    // does (`る` → `月`): it is a span of its own, for `judge` to weigh as a weak one.
    if d == Codec::Gbk && e == Codec::Big5 {
        for (k, u) in units.iter().enumerate() {
            let lone = u.c1 == u.c0 + 1
                && u.t1 == u.t0 + 1
                && (LONE_MARKER_FLOOR..=0.0).contains(&u.gain)
                && chars.get(u.c0).is_some_and(|&c| big5_marker(c) != 0);
            if lone {
                emit(
                    t,
                    chars,
                    pre,
                    tpre,
                    d,
                    e,
                    seg,
                    units.get(k..k + 1).unwrap_or(&[]),
                    out,
                    arena,
                    judged,
                );
            }
        }
    }
}

/// The least gain of a lone marker of Big5 read as GBK that [`positive_runs`] offers
/// as a span of its own.
const LONE_MARKER_FLOOR: f32 = -1.0;

/// `units` without identity units at either end.
fn trim_identity(units: &[Unit]) -> &[Unit] {
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

#[allow(clippy::too_many_arguments)]
fn emit(
    t: &Tables,
    chars: &[char],
    pre: &[f32],
    tpre: &[f32],
    d: Codec,
    e: Codec,
    seg: &[Tok],
    units: &[Unit],
    out: &mut Vec<Fix>,
    arena: &mut Vec<char>,
    judged: &mut Option<SpanNonAscii>,
) {
    let units = trim_identity(units);
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

#[allow(clippy::too_many_arguments)]
fn double_layer(
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
                    let edge = if hi == mid.len() {
                        sc.guess.follows()
                    } else {
                        punct::Edge::UNKNOWN
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
    sc.bytes2 = bytes;
    sc.toks2 = toks;
    sc.mid = mid;
}

/// How much worse than the best of a re-picked character's candidates in its window
/// ([`inner_window`]) the second may read for the inner layer's context pass to choose
/// between them ([`inner_choices`]); further apart, the window decides alone. (On our
/// four case sets 0.5 to 8 repaired 10 more two-layer lines than [`inner_window`]
/// alone and broke 3; with no limit, 10 and 5.)
const INNER_CHOICE_MARGIN: f32 = 2.0;

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
fn inner_choices(
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
fn inner_decode(
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
fn inner_alternatives(
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
const MAX_INNER_GUESSES: usize = 32;

/// How many intermediate characters before a re-picked one [`double_layer`]'s window
/// holds: enough inner text for the punctuation rules' clause (`怎样…？`, `如下…：`).
/// (3 gave one line of our four case sets' two-layer lines that 12 missed, and 12 five
/// that 3 missed; 8 four.)
const REPICK_BACK: usize = 12;

/// How many intermediate characters from a re-picked one on (itself included) its
/// window holds.
const REPICK_AHEAD: usize = 4;

/// Weight of a bigram's bonus against a character's cost in [`inner_window`]: as in
/// `context_pass`, whose own scores are twice a cost and whose bigrams weigh
/// [`GUESS_BIGRAM_WEIGHT`] (2.5 / 2). (At 1.0 a re-picked character took the cheaper
/// of two words, `共享度` for `共享库`; 1.25 and 1.5 repaired as many of our case sets'
/// two-layer lines, 1.75 fewer.)
const INNER_BIGRAM_WEIGHT: f32 = GUESS_BIGRAM_WEIGHT / 2.0;

/// Weight of running text's pair bonus ([`running::bonus`]) of two hanzi side by side
/// against a character's cost in [`inner_window`]: the pairs that join words (`去读`,
/// `被关闭`, `等价于`) decide a re-picked character as they decide a guess of one
/// layer. (On our four case sets 0.75, 1.0 and 1.5 repaired 17 to 19 more two-layer
/// lines than none and broke 2; counting every pair anywhere, 0.5 broke 6 for 10.)
const INNER_RUNNING_WEIGHT: f32 = 1.0;

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
fn inner_window(
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

/// Whether `s` starts with a closing bracket (`」』》）】`), white space skipped.
fn starts_with_closer(s: &[char]) -> bool {
    s.iter()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| matches!(c, '」' | '』' | '》' | '）' | '】'))
}

/// The share of adjacent hanzi pairs of `s` that are known word-internal bigrams.
fn bigram_cover(t: &Tables, s: &[char]) -> f32 {
    let (known, pairs) = bigram_counts(t, s);
    if pairs == 0 {
        0.0
    } else {
        known as f32 / pairs as f32
    }
}

/// The adjacent hanzi pairs of `s` that are known bigrams, and all of them.
fn bigram_counts(t: &Tables, s: &[char]) -> (usize, usize) {
    hanzi_pair_counts(t, s, false)
}

/// [`bigram_counts`], also pairing hanzi that one space stands between: text written
/// a character at a time (`使 用 DES 编 码`) has its words across the spaces. Cold:
/// only weak cross-chain candidates reach it (inlined, it moved the code generated for
/// the hot loops of the same unit: +2.7 M instructions per MB of pure mojibake).
#[cold]
fn spaced_bigram_counts(t: &Tables, s: &[char]) -> (usize, usize) {
    hanzi_pair_counts(t, s, true)
}

/// The hanzi pairs of `s` (side by side, or with one space between them when
/// `across_space`) that are known bigrams, and all of them.
#[inline]
fn hanzi_pair_counts(t: &Tables, s: &[char], across_space: bool) -> (usize, usize) {
    let han = |c: char| ('\u{3400}'..='\u{9FFF}').contains(&c);
    let (mut known, mut pairs) = (0, 0);
    for (i, &c) in s.iter().enumerate().filter(|&(_, &c)| han(c)) {
        let at = |back: usize| i.checked_sub(back).and_then(|j| s.get(j)).copied();
        let p = match (at(1), at(2)) {
            (Some(p), _) if han(p) => p,
            (Some(' '), Some(p)) if across_space && han(p) => p,
            _ => continue,
        };
        pairs += 1;
        known += (t.bigram(p, c) > 0.0) as usize;
    }
    (known, pairs)
}

/// The least gain of a repair of a [`lone_pair`] into one hanzi.
const LONE_PAIR_MIN_GAIN: f32 = 2.5;

/// What a measure word right after an ASCII digit (`9月`) adds to a short repair's gain.
const DIGIT_MEASURE_BONUS: f32 = 1.0;

/// Whether a single hanzi `c` from the Latin-1 characters `chars[start..end]` may
/// stand in a line with no other CJK text: one of the commonest characters, and a
/// little less common when the bytes stood alone as a token ([`lone_pair`]). A lone
/// pair led by a soft hyphen is no clean text (the hyphen is invisible and stands only
/// inside a word), so then any common hanzi may stand: Big5's lead byte 0xAD holds
/// `倍`, `個`, `們` (`100 \u{AD}¿.` is `100 倍.`).
fn lone_hanzi_without_cjk(t: &Tables, c: char, chars: &[char], start: usize, end: usize) -> bool {
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
fn lone_pair(before: &[char], around: (Option<char>, Option<char>)) -> bool {
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
fn hanzi_inside_ascii_words(after: &[char], around: (Option<char>, Option<char>)) -> bool {
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
fn soft_hyphen_in_word(t: &Tables, chars: &[char], i: usize) -> bool {
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
fn glued_at(t: &Tables, chars: &[char], i: usize, alone: bool) -> bool {
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

/// Whether a repair of the Latin-1 characters `chars[start..end]` into CJK text would
/// take characters of a European word around it. One pass over the span asks, at each
/// position, [`soft_hyphen_in_word`], [`glued_at`] and, for GBK (`gbk`), whether a
/// Latin-1 letter between two ASCII letters would start a hanzi (`Kraków·Ústí` is no
/// `Krak體汾stí`: GBK has ASCII trail bytes only in its extension rows, so the ASCII
/// letter before is ASCII text, and simplified text has next to none of those rows'
/// hanzi). A span of two characters, a Latin-1 letter then a Latin-1 symbol, right
/// after an ASCII letter is a word's end too (`Jyväskylä»`).
fn glued_to_latin_word(t: &Tables, chars: &[char], start: usize, end: usize, gbk: bool) -> bool {
    let at = |j: Option<usize>| j.and_then(|j| chars.get(j)).copied();
    let ascii_letter = |j: Option<usize>| at(j).is_some_and(|c| c.is_ascii_alphabetic());
    if let Some(&[a, b]) = chars.get(start..end) {
        if latin_letter(t, a)
            && !b.is_ascii()
            && !latin_letter(t, b)
            && ascii_letter(start.checked_sub(1))
        {
            return true;
        }
    }
    let alone = end - start == 2;
    (start..end).any(|i| {
        soft_hyphen_in_word(t, chars, i)
            || glued_at(t, chars, i, alone)
            || (gbk
                && ascii_letter(i.checked_sub(1))
                && at(Some(i)).is_some_and(|c| latin_letter(t, c))
                && ascii_letter(Some(i + 1)))
    })
}

/// [`lone_pair`] for `chars[start..end]`.
fn lone_pair_at(chars: &[char], start: usize, end: usize) -> bool {
    lone_pair(
        chars.get(start..end).unwrap_or(&[]),
        around(chars, start, end),
    )
}

/// The characters of `chars` just before `start` and at `end` (`None` past an edge).
fn around(chars: &[char], start: usize, end: usize) -> (Option<char>, Option<char>) {
    (
        start.checked_sub(1).and_then(|j| chars.get(j)).copied(),
        chars.get(end).copied(),
    )
}

/// The bigram bonuses that `after` earns with the characters just outside it
/// (`around`), plus [`DIGIT_MEASURE_BONUS`] when it starts with a measure word right
/// after an ASCII digit.
fn neighbour_bonus(t: &Tables, after: &[char], around: (Option<char>, Option<char>)) -> f32 {
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
fn non_ascii_cost(t: &Tables, chars: impl IntoIterator<Item = char>) -> (usize, f32) {
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
struct SpanNonAscii {
    t0: usize,
    t1: usize,
    n: usize,
    sum: f32,
}

/// Decides whether replacing `before` by `after` is a repair. `around` holds the
/// characters of the line just before and just after `before` (`None` at a line edge,
/// or where they are not known).
#[allow(clippy::too_many_arguments)]
fn judge(
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
    let gain = cb - ca;
    if n_after == 0 {
        return None;
    }
    let avg_after = sum_after / n_after as f32;
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
    // The katakana middle dot is punctuation in Chinese too (`满江红・和`).
    if !chain.starts_with("utf8")
        && kana == 0
        && after
            .iter()
            .copied()
            .any(|c| t.class(c) == class::KANA && c != '・')
    {
        return None;
    }
    let sb_to_cjk = sb_to_cjk(chain);
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
    let cross =
        !chain.starts_with("utf8") && !chain.ends_with("latin1") && !chain.ends_with("cp1252");
    // One character repeated is a decorative rule (`﹏﹏﹏﹏﹏` → `姊姊姊姊姊`), not a
    // cross-chain misreading.
    if cross && one_repeated(before) {
        return None;
    }
    // A line does not start with a closing bracket: GBK's `」` reads as Big5's `★`, and
    // clean decorations (`★★塑造自信`) are no such misreading.
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
    let pua_evidence =
        pua_evidence || fffd_evidence || punct_evidence || mixed_evidence || date_evidence;
    // Enough of the repair's adjacent hanzi pairs must be words; fewer when the repair
    // is far cheaper than what it replaces (`淕坳腔俴峈﹝` → `整它的行为。`).
    let min_cover = if gain >= 10.0 && ca_r <= 0.35 * cb_r {
        0.2
    } else {
        0.35
    };
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
        && !(n_after >= 4
            && gain >= 5.0
            && ca_r <= 0.6 * cb_r
            && bigram_cover(t, after) >= min_cover)
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
        });
    }
    // (Mixed markers are evidence enough where the model finds the markers cheap.)
    let (min_gain, max_ratio) = if mixed_evidence {
        (1.0, 0.9)
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
    if cross && !pua_evidence && (n_after < 4 || gain < 5.0 || bigram_cover(t, after) < min_cover) {
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
    let cjk_letter = |c: &char| (class::TOP..=class::HANGUL).contains(&t.class(*c));
    if (chain == "utf8>gbk" || chain == "utf8>big5")
        && !before.iter().any(cjk_letter)
        && !after.iter().any(cjk_letter)
    {
        return None;
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
    })
}

/// Picks non-overlapping candidates from `cands`, highest gain first, into `chosen` in
/// text order.
fn select(cands: &mut [Fix], chosen: &mut Vec<Fix>, n: usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `readable_from_utf8` says no only for characters whose two bytes follow each
    /// other nowhere in valid UTF-8 (checked against every pair of neighbouring bytes
    /// that the UTF-8 text of all code points, and every boundary between two of
    /// them, holds), and says it for the GB2312 level-2 hanzi a clean line has (the
    /// speed-up it exists for).
    #[test]
    fn readable_from_utf8_refuses_only_byte_pairs_utf8_never_has() {
        let t = tables();
        let mut seen = vec![false; 1 << 16];
        let (mut firsts, mut lasts) = (vec![false; 256], vec![false; 256]);
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let b = c.encode_utf8(&mut buf).as_bytes();
            for w in b.windows(2) {
                seen[(w[0] as usize) << 8 | w[1] as usize] = true;
            }
            firsts[b[0] as usize] = true;
            lasts[b[b.len() - 1] as usize] = true;
        }
        for (a, _) in lasts.iter().enumerate().filter(|x| *x.1) {
            for (b, _) in firsts.iter().enumerate().filter(|x| *x.1) {
                seen[a << 8 | b] = true;
            }
        }
        for d in [Codec::Gbk, Codec::Big5] {
            let mut refused = 0;
            for c in (0x80..0x10000u32).filter_map(char::from_u32) {
                if let Some((a, Some(b))) = t.encoded(d, c) {
                    if !readable_from_utf8(t, d, c) {
                        refused += 1;
                        assert!(!seen[(a as usize) << 8 | b as usize], "{c} under {d:?}");
                    }
                }
            }
            assert!(refused > 1000, "{d:?}: {refused}");
        }
        assert!(!readable_from_utf8(t, Codec::Gbk, '蜿'));
        assert!(!readable_from_utf8(t, Codec::Gbk, '蜒'));
        // `中` read as GBK starts with `涓` (E4 B8).
        assert!(readable_from_utf8(t, Codec::Gbk, '涓'));
        assert!(readable_from_utf8(t, Codec::Gbk, '\u{FFFD}'));
    }

    #[test]
    fn own_plain_table_agrees_with_own_is_twice_cost() {
        let t = tables();
        for cp in 0..0x10000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            assert_eq!(
                t.own_is_plain(c),
                own_is_twice_cost(c, t.script(c)),
                "U+{cp:04X}"
            );
        }
    }

    /// The fast path of `context_pass` for alternatives without script: its own score
    /// equals `OwnContext::own` for every character it may be used for, in every
    /// context.
    /// Every combination of `depths` and `seens` with each wrong script and two
    /// settings of the other fields: the contexts the own-score tests run through.
    fn own_contexts<'a>(
        depths: &'a [[i32; BRACKETS.len()]],
        seens: &[&'a [u64]],
    ) -> Vec<OwnContext<'a>> {
        let mut contexts = Vec::new();
        for depth in depths {
            for wrong_script in 1..=3 {
                for &seen_bits in seens {
                    for (function_bonus, after_digit, letter_beside) in
                        [(1.0, false, false), (2.0, true, true)]
                    {
                        contexts.push(OwnContext {
                            depth,
                            wrong_script,
                            seen_bits,
                            function_bonus,
                            before_mark: after_digit,
                            after_digit,
                            letter_beside,
                        });
                    }
                }
            }
        }
        contexts
    }

    #[test]
    fn own_unscripted_equals_own_where_it_applies() {
        let t = tables();
        let seen_none = vec![0u64; 1024];
        let seen_all = vec![u64::MAX; 1024];
        let depths = [
            [0i32; BRACKETS.len()],
            [1; BRACKETS.len()],
            [-1; BRACKETS.len()],
        ];
        let contexts = own_contexts(&depths, &[&seen_none, &seen_all]);
        let mut checked = 0;
        for cp in (0..0x1_0000u32).chain(0x2_0000..0x2_0100) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if !OwnContext::unscripted_range(t, c, c) {
                continue;
            }
            checked += 1;
            for cx in &contexts {
                let cost = t.cost(c);
                assert_eq!(
                    cx.own_unscripted(c, cost).to_bits(),
                    cx.own(t, c, cost).to_bits(),
                    "U+{cp:04X}"
                );
            }
        }
        // All at once, on whole blocks of marks and symbols.
        for (a, b) in [
            (0x3000, 0x303F),
            (0xFF00, 0xFF3F),
            (0xFF40, 0xFF7F),
            (0x2000, 0x203F),
        ] {
            let alts: Vec<(char, f32)> = (a..=b)
                .filter_map(char::from_u32)
                .map(|c| (c, t.cost(c)))
                .collect();
            for depth in &depths {
                let cx = OwnContext {
                    depth,
                    wrong_script: 3,
                    seen_bits: &seen_none,
                    function_bonus: 1.0,
                    before_mark: false,
                    after_digit: false,
                    letter_beside: false,
                };
                let mut own = vec![7.0];
                cx.own_unscripted_all(&alts, &mut own);
                let want: Vec<u32> = std::iter::once(7.0f32)
                    .chain(alts.iter().map(|&(c, cost)| cx.own(t, c, cost)))
                    .map(f32::to_bits)
                    .collect();
                let got: Vec<u32> = own.iter().map(|x| x.to_bits()).collect();
                assert_eq!(got, want, "U+{a:04X}..U+{b:04X}");
            }
        }
        // The marks of a lost last byte of `，` and `。` are covered.
        assert!(OwnContext::unscripted_range(t, '\u{3000}', '\u{303F}'));
        assert!(OwnContext::unscripted_range(t, '\u{FF00}', '\u{FF3F}'));
        assert!(checked > 1000);
    }

    #[test]
    fn own_hanzi_equals_own_on_every_hanzi() {
        let t = tables();
        let seen_none = vec![0u64; 1024];
        let seen_all = vec![u64::MAX; 1024];
        // Every other character seen: neighbours differ.
        let seen_half = vec![0x5555_5555_5555_5555u64; 1024];
        let depths = [[0i32; BRACKETS.len()], [1; BRACKETS.len()]];
        let alts: Vec<(char, f32)> = (0x3400..=0x9FFFu32)
            .filter_map(char::from_u32)
            .map(|c| (c, t.cost(c)))
            .collect();
        assert!(OwnContext::hanzi_range('\u{3400}', '\u{9FFF}'));
        assert!(!OwnContext::hanzi_range('\u{33FF}', '\u{4E00}'));
        assert!(!OwnContext::hanzi_range('\u{4E00}', '\u{A000}'));
        for cx in own_contexts(&depths, &[&seen_none, &seen_all, &seen_half]) {
            let mut own = vec![7.0];
            cx.own_hanzi_all(t, &alts, &mut own);
            let want: Vec<u32> = std::iter::once(7.0f32)
                .chain(alts.iter().map(|&(c, cost)| cx.own(t, c, cost)))
                .map(f32::to_bits)
                .collect();
            let got: Vec<u32> = own.iter().map(|x| x.to_bits()).collect();
            assert!(got == want, "wrong_script {}", cx.wrong_script);
        }
    }

    #[test]
    fn class_partition_of_the_line_header() {
        // `repair_line` counts a line's U+FFFD, `€`, private-use characters, hiragana
        // and C1 controls only among the characters outside the ASCII, hanzi and CJK
        // punctuation classes, and counts as non-ASCII every character outside the
        // ASCII class; `sb_in` passes over unified hanzi without their class, as one
        // of the four classes of hanzi.
        let t = tables();
        for cp in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let k = t.class(c);
            assert_eq!(k == class::ASCII, c.is_ascii(), "{cp:04X}");
            if matches!(
                k,
                class::TOP | class::COMMON | class::CJK_PUNCT | class::LESS | class::RARE
            ) {
                let counted = c == '\u{FFFD}'
                    || c == '\u{20AC}'
                    || ('\u{E000}'..='\u{F8FF}').contains(&c)
                    || ('\u{3041}'..='\u{309F}').contains(&c)
                    || ('\u{80}'..'\u{A0}').contains(&c);
                assert!(!counted, "{cp:04X}");
            }
            if (0x3400..=0x9FFF).contains(&cp) {
                let han = [class::TOP, class::COMMON, class::LESS, class::RARE];
                assert!(han.contains(&k), "{cp:04X}");
            }
        }
    }

    /// Runs of ASCII, `€` and U+FFFD that `inert_sb_run` accepts yield no candidate in
    /// any single-byte chain (the search it lets the pass skip), in lines of every
    /// mix of those characters (with hanzi between runs).
    #[test]
    fn inert_single_byte_runs_yield_no_candidate() {
        let t = tables();
        // Latin-1 letters make runs that are not inert, some of which do yield
        // candidates (`Ã©` is UTF-8 read as windows-1252).
        let alphabet = [
            'a', ' ', '7', '(', '€', '\u{FFFD}', '鍙', '€', '\u{FFFD}', 'Ã', '©', '¤', 'é',
        ];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut sc = Scratch::default();
        let (mut inert, mut live, mut found) = (0, 0, 0);
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = 1 + (x % 12) as usize;
            let line: Vec<char> = (0..n)
                .map(|k| alphabet[(x >> (4 + 4 * k)) as usize % alphabet.len()])
                .collect();
            prefix_costs(t, &line, &mut sc.pre, &mut sc.pre_bi);
            sc.guess.many_lost = line.iter().filter(|&&c| c == '\u{FFFD}').count() >= 3;
            sc.guess.whatwg = line.contains(&'€');
            for e in [Codec::Utf8, Codec::Gbk, Codec::Big5] {
                let mut i = 0;
                while i < line.len() {
                    if !t.can_encode(Codec::Sb, line[i]) {
                        i += 1;
                        continue;
                    }
                    let (end, _, _) = encode_from(t, Codec::Sb, &line, i, &mut sc);
                    let mut cands = Vec::new();
                    search_run(t, &line, Codec::Sb, e, &mut sc, &mut cands);
                    if inert_sb_run(&line, &sc.bytes, &sc.bchar) {
                        inert += 1;
                        assert!(cands.is_empty(), "{line:?} {i}..{end} {e:?}");
                    } else {
                        live += 1;
                        found += !cands.is_empty() as usize;
                    }
                    i = end.max(i + 1);
                }
            }
        }
        assert!(
            inert > 1000 && live > 100 && found > 10,
            "{inert} {live} {found}"
        );
    }

    /// `encode_from` writes into reserved room what `encode_run` (which grows its
    /// buffers char by char) writes, ends each run at the first char the decoder cannot
    /// produce, and finds the same chars with alternative GBK bytes, from every start
    /// of random lines of every kind of char (one and two bytes, astral, lost, none).
    #[test]
    fn encode_from_writes_what_encode_run_writes() {
        let t = tables();
        let alphabet = [
            'a', ' ', '\n', '€', '\u{3000}', '\u{FFFD}', '中', '鍙', '說', 'é', 'Ã', '\u{80}', '’',
            'ア', '한', '😀', '𠀀', '\u{E000}', '\u{2500}',
        ];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut sc = Scratch::default();
        let (mut runs, mut alts) = (0, 0);
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = 1 + (x % 40) as usize;
            let mut y = x;
            let line: Vec<char> = (0..n)
                .map(|_| {
                    y = y
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(y >> 33) as usize % alphabet.len()]
                })
                .collect();
            for d in [Codec::Sb, Codec::Gbk, Codec::Big5] {
                for start in 0..line.len() {
                    let (end, non_ascii, has_alt) = encode_from(t, d, &line, start, &mut sc);
                    let want_end = (start..line.len())
                        .find(|&i| t.encoded(d, line[i]).is_none())
                        .unwrap_or(line.len());
                    assert_eq!(end, want_end, "{d:?} {line:?} {start}");
                    let (mut bytes, mut bchar) = (Vec::new(), Vec::new());
                    encode_run(t, d, &line, start..end, &[], &mut bytes, &mut bchar);
                    assert_eq!(sc.bytes, bytes, "{d:?} {line:?} {start}");
                    assert_eq!(sc.bchar, bchar, "{d:?} {line:?} {start}");
                    let run = &line[start..end];
                    assert_eq!(non_ascii, run.iter().any(|c| !c.is_ascii()));
                    let want_alt: Vec<(u32, u32)> = (start..end)
                        .filter(|&i| gbk_alternative(line[i]).is_some())
                        .map(|i| {
                            (
                                (i - start) as u32,
                                bchar.iter().position(|&b| b == i as u32).unwrap_or(0) as u32,
                            )
                        })
                        .collect();
                    assert_eq!(sc.alt_at, want_alt, "{d:?} {line:?} {start}");
                    assert_eq!(has_alt, !want_alt.is_empty());
                    runs += (end > start) as usize;
                    alts += want_alt.len();
                }
            }
        }
        assert!(runs > 10_000 && alts > 1000, "{runs} {alts}");
    }

    #[test]
    fn may_mark_inner_layer_is_its_ranges() {
        for cp in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let want = matches!(cp, 0x80..=0x2FF | 0x2000..=0x2122 | 0xE000..=0xF8FF | 0xFFFD);
            assert_eq!(may_mark_inner_layer(c), want, "U+{cp:04X}");
        }
        // The ranges' edges, at places in a block and after it, among plain hanzi.
        let edges = [
            0x7F, 0x80, 0x2FF, 0x300, 0x1FFF, 0x2000, 0x2122, 0x2123, 0xDFFF, 0xE000, 0xF8FF,
            0xF900, 0xFFFC, 0xFFFD, 0xFFFE,
        ];
        for cp in edges {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for at in [0, 7, 15, 16, 31, 32] {
                let mut s = vec!['中'; 33];
                s[at] = c;
                assert_eq!(
                    any_may_mark_inner_layer(&s),
                    may_mark_inner_layer(c),
                    "U+{cp:04X}"
                );
            }
        }
        assert!(!any_may_mark_inner_layer(&[]));
    }

    /// A xorshift generator for the randomised tests: `next(m)` is in `0..m`.
    fn xorshift(mut x: u64) -> impl FnMut(u64) -> usize {
        move |m| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m) as usize
        }
    }

    /// A `utf8>gbk` candidate over `span` with no text, for the span tests.
    fn span_fix(span: std::ops::Range<usize>, gain: f32, strength: f32, weak: bool) -> Fix {
        Fix {
            start: span.start,
            end: span.end,
            after: 0..0,
            chain: "utf8>gbk",
            gain,
            strength,
            confidence: 1.0,
            weak,
        }
    }

    /// `all_covered` (a walk over the sorted strong spans) answers what marking a flag
    /// per position answered, on random candidates (strong and not, weak and not,
    /// overlapping, empty, past the line's end) and odd characters.
    #[test]
    fn all_covered_answers_what_marking_positions_answered() {
        let mut next = xorshift(0x2545_F491_4F6C_DD1D);
        let (mut mark, mut spans) = (Vec::new(), Vec::new());
        for _ in 0..20_000 {
            let n = 1 + next(12);
            let lossy = next(2) == 1;
            let cands: Vec<Fix> = (0..next(5))
                .map(|_| {
                    let (start, end) = (next(14), next(14));
                    span_fix(start..end, 1.0, [0.5, 0.65, 0.9][next(3)], next(3) == 0)
                })
                .collect();
            let odd: Vec<usize> = (0..n).filter(|_| next(3) == 0).collect();
            let strong = |f: &&Fix| f.strength >= 0.65 && !(lossy && f.weak);
            let want = (odd.is_empty() || cands.iter().any(|f| strong(&f))) && {
                mark_spans(cands.iter().filter(strong), n, &mut mark);
                odd.iter().all(|&i| mark.get(i).copied().unwrap_or(false))
            };
            let got = all_covered(&odd, &cands, &[], lossy, n, &mut spans);
            assert_eq!(got, want, "{cands:?} {odd:?} n={n} lossy={lossy}");
        }
    }

    /// `select` (spans compared with the chosen ones) chooses what marking a flag per
    /// position chose, on random candidates: ties of gain, overlaps, empty spans, and
    /// spans past the line's end.
    #[test]
    fn select_chooses_what_marking_positions_chose() {
        let marking = |cands: &mut [Fix], n: usize| {
            cands.sort_by(|a, b| b.gain.total_cmp(&a.gain));
            let mut mark = vec![false; n + 1];
            let mut chosen = Vec::new();
            for c in cands.iter() {
                let span = mark.get_mut(c.start..c.end.min(n)).unwrap_or(&mut []);
                if span.iter().all(|&m| !m) {
                    span.iter_mut().for_each(|m| *m = true);
                    chosen.push((c.start, c.end, c.gain));
                }
            }
            chosen.sort_by_key(|f| f.0);
            chosen
        };
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let n = 1 + next(12);
            let cands: Vec<Fix> = (0..next(6))
                .map(|_| {
                    let (start, end) = (next(14), next(14));
                    span_fix(start..end, next(4) as f32, 1.0, false)
                })
                .collect();
            let want = marking(&mut cands.clone(), n);
            let mut chosen = Vec::new();
            select(&mut cands.clone(), &mut chosen, n);
            let got: Vec<_> = chosen.iter().map(|f| (f.start, f.end, f.gain)).collect();
            assert_eq!(got, want, "{cands:?} n={n}");
        }
    }

    /// `first_min` picks what the plain scan picks, at every length around the lanes'
    /// width, with ties, signed zeros, infinities, `f32::MAX` and NaN among the values.
    #[test]
    fn first_min_is_the_first_cheapest_of_the_scan() {
        let scan = |v: &[f32]| {
            let (mut best, mut pick) = (f32::MAX, 0);
            for (j, &x) in v.iter().enumerate() {
                if x < best {
                    best = x;
                    pick = j;
                }
            }
            pick
        };
        let pool = [
            3.5,
            -1.0,
            0.0,
            -0.0,
            2.25,
            -1.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::NAN,
            7.0,
            0.5,
        ];
        let mut next = xorshift(0x2545_F491_4F6C_DD1D);
        for len in 0..80 {
            for _ in 0..200 {
                let v: Vec<f32> = (0..len).map(|_| pool[next(pool.len() as u64)]).collect();
                assert_eq!(first_min(&v), scan(&v), "{v:?}");
            }
        }
    }

    #[test]
    fn index_from_is_partition_point_and_find_sorted_binary_search() {
        let runs: [&[u32]; 5] = [
            &[0x3000, 0x3001, 0x3002, 0x3003],
            &[0xFF00, 0xFF01, 0xFF20, 0xFF5A, 0xFF5B],
            &[0x4E00],
            &[],
            &[0x2000, 0x2002, 0x2003, 0x2004],
        ];
        for run in runs {
            let dense: Vec<(char, f32)> = (run.first().copied().unwrap_or(0x3000)..)
                .take(run.len())
                .filter_map(char::from_u32)
                .map(|c| (c, 1.0))
                .collect();
            let given: Vec<(char, f32)> = run
                .iter()
                .filter_map(|&cp| char::from_u32(cp))
                .map(|c| (c, 1.0))
                .collect();
            for alts in [&dense, &given] {
                for cp in 0x1FF0..0x10000u32 {
                    let want = alts.partition_point(|x| (x.0 as u32) < cp);
                    assert_eq!(index_from(alts, cp), want, "{alts:?} U+{cp:04X}");
                    if let Some(c) = char::from_u32(cp) {
                        let want = alts.binary_search_by(|x| x.0.cmp(&c)).ok();
                        assert_eq!(find_sorted(alts, c), want, "{alts:?} U+{cp:04X}");
                    }
                }
            }
        }
    }

    #[test]
    fn kana_are_all_in_the_range_judge_looks_at() {
        let t = tables();
        for cp in 0..=0xFFFFu32 {
            if let Some(c) = char::from_u32(cp) {
                if t.class(c) == class::KANA {
                    assert!((0x3040..=0x31FF).contains(&cp), "U+{cp:04X}");
                }
            }
        }
    }

    #[test]
    fn may_start_bigram_holds_every_first_char_of_the_model() {
        let t = tables();
        for cp in 0x3400..=0xFFFFu32 {
            let Some(a) = char::from_u32(cp) else {
                continue;
            };
            if t.bigrams_in(a, '\u{0}', '\u{FFFF}').next().is_some() {
                assert!(t.may_start_bigram(a), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn may_mark_inner_layer_holds_every_single_byte_replacement_and_private_use_character() {
        let t = tables();
        for cp in 0..=0xFFFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let k = t.class(c);
            if is_sb_high(k) || k == class::PUA || k == class::REPLACEMENT {
                assert!(may_mark_inner_layer(c), "U+{cp:04X}");
            }
        }
    }

    /// `marks_inner_layer` answers as `sb_in` and a look for private use do (its
    /// shortcut loses no sign), on every string of one to three characters drawn from
    /// the edges of the classes involved.
    #[test]
    fn marks_inner_layer_agrees_with_sb_in_and_private_use() {
        let t = tables();
        let set: Vec<char> = [
            0x20u32, 0x3F, 0x40, 0x61, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xA1, 0xD7, 0xE9, 0xFE, 0xFF,
            0x152, 0x2C6, 0x2013, 0x201C, 0x2026, 0x20AC, 0x2122, 0x3000, 0x3001, 0x4E2D, 0x9F8D,
            0xE000, 0xF8FF, 0xFF0C, 0xFFFD, 0x1F600,
        ]
        .iter()
        .filter_map(|&cp| char::from_u32(cp))
        .collect();
        let mut checked = 0;
        for a in &set {
            for b in std::iter::once(None).chain(set.iter().map(Some)) {
                for c in std::iter::once(None).chain(set.iter().map(Some)) {
                    let s: Vec<char> = std::iter::once(*a)
                        .chain(b.copied())
                        .chain(c.copied())
                        .collect();
                    let pua = s.iter().any(|&x| t.class(x) == class::PUA);
                    assert_eq!(marks_inner_layer(t, &s), pua || sb_in(t, &s), "{s:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 20_000);
    }

    #[test]
    fn push_chars_writes_what_std_writes_at_every_length_boundary() {
        // The edges of each UTF-8 length, the surrogate gap's, and the repair's usual text.
        let edges = [
            '\0',
            '\u{7F}',
            '\u{80}',
            '\u{7FF}',
            '\u{800}',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFD}',
            '\u{FFFF}',
            '\u{10000}',
            '\u{10FFFF}',
            '中',
            '，',
            'é',
            '𠮷',
            'a',
        ];
        for (i, &a) in edges.iter().enumerate() {
            for &b in &edges[i..] {
                let s = [a, b, a];
                assert_eq!(chars_to_string(&s), s.iter().collect::<String>());
                let mut o = String::from("x");
                push_chars(&mut o, &s);
                assert_eq!(o, format!("x{}", s.iter().collect::<String>()));
            }
        }
        assert_eq!(chars_to_string(&[]), "");
    }

    #[test]
    fn guess_word_lists_are_sorted_for_binary_search() {
        assert!(FUNCTION_CHARS.windows(2).all(|w| w[0] < w[1]));
        assert!(MEASURE_CHARS.windows(2).all(|w| w[0] < w[1]));
    }

    /// The guess cache answers exactly as `guess` does, alternatives (and whether they
    /// are in increasing order) included, for windows that differ only in what its key
    /// must tell apart (the byte after the lost one, the decoders, the line flags).
    #[test]
    fn guess_cache_answers_as_guess() {
        let t = tables();
        let mut memo = GuessMemo::default();
        let mut cases = Vec::new();
        for text in ["你好。", "中文，", "一个“", "説明（", "é", "乙", "😀", "𠀀"]
        {
            let b: Vec<u16> = text.bytes().map(u16::from).collect();
            for lost in 0..b.len() {
                for next in [None, Some(0x41u16), Some(0xA1), Some(0xE4)] {
                    let mut w = b.clone();
                    w[lost] = WILD;
                    w.extend(next);
                    cases.push(w);
                }
            }
        }
        for round in 0..2 {
            for w in &cases {
                for (d, e) in [
                    (Codec::Gbk, Codec::Utf8),
                    (Codec::Sb, Codec::Utf8),
                    (Codec::Big5, Codec::Gbk),
                ] {
                    for flags in [(false, false), (true, false), (false, true)] {
                        for i in 0..w.len() {
                            let mut win = [0u8; 4];
                            let mut wilds = Vec::new();
                            let wl = w.len().saturating_sub(i).min(4);
                            for k in 0..wl {
                                match w[i + k] {
                                    WILD if wilds.len() < 2 => wilds.push(k),
                                    WILD => {}
                                    v => win[k] = v as u8,
                                }
                            }
                            if wilds.is_empty() {
                                continue;
                            }
                            let (mut a1, mut a2) = (Vec::new(), Vec::new());
                            let q = LostBytes {
                                d,
                                e,
                                bytes: w,
                                i,
                                win,
                                wl,
                                wilds: &wilds,
                                whatwg: flags.0,
                                many_lost: flags.1,
                            };
                            let r1 = guess(t, &q, &mut a1);
                            let (r2, sorted) = memo.guess(t, &q, &mut a2);
                            assert_eq!(r1, r2, "round {round} {w:?} at {i}");
                            assert_eq!(a1, a2, "round {round} {w:?} at {i}");
                            assert_eq!(sorted, a1.windows(2).all(|p| p[0].0 < p[1].0));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn four_byte_table_has_one_character_per_digit_pair() {
        for (i, a) in FOUR_BYTE_LOST.iter().enumerate() {
            for b in FOUR_BYTE_LOST.iter().skip(i + 1) {
                assert!((a.0, a.1) != (b.0, b.1), "{a:?} {b:?}");
            }
        }
    }
}
