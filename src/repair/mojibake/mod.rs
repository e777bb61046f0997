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
//!
//! # Where each step lives
//!
//! A line goes through these modules in this order:
//!
//! 1. `scan.rs`: whether the document and the line are worth a look (most clean lines
//!    stop here); `tables.rs` holds the code tables and character costs it reads.
//! 2. `repair_line` (here): the passes, one per chain (`PASSES`), over the runs of the
//!    line each decoder could have produced, encoded back by `encode.rs`.
//! 3. `tokens.rs`: a run's bytes decoded as the original encoding; bytes a strict
//!    decoder lost are completed in `lost_bytes.rs` and re-picked with their context in
//!    `context.rs` (which asks `guess_context.rs`, `punct.rs`, `phrases.rs`, `ends.rs` and
//!    `running.rs` for evidence).
//! 4. `search.rs`: the decoded tokens grouped into units, and the runs of units that
//!    gain, each judged in `judging.rs` (cost before and after, margin, evidence) into
//!    a candidate; `layers.rs` repairs a second layer inside a candidate.
//! 5. `line_rules.rs`: rules over all candidates of the line (its script, spans across
//!    the line, whether every odd character is covered); `select` (in `judging.rs`)
//!    keeps the best non-overlapping ones, and `repair_lines` (here) writes them into
//!    the text.
//! 6. `fragments.rs`: short runs of hanzi between ASCII text that read as a word with
//!    the other double-byte table (a Big5 page read as GBK, or a GBK page read as
//!    Big5, too short for the search); the scans flag such a run even where it has no
//!    odd character.

use std::borrow::Cow;

use super::{Repair, RepairReport};

mod context;
mod encode;
mod ends;
mod fragments;
mod guess_context;
mod judging;
mod layers;
mod line_rules;
mod lone_letter;
mod lost_bytes;
mod phrases;
mod punct;
mod running;
mod scan;
mod search;
mod tables;
mod tokens;

use context::*;
use encode::*;
use fragments::misread_fragments;
use judging::*;
use layers::*;
use line_rules::*;
use lost_bytes::*;
use search::*;
use tokens::*;

use scan::{
    cjk_inert, first_suspect, is_sb_high, sb_in, scan_line, word_of_less_common, Scan,
    SHORT_LINE_NON_ASCII,
};
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
    let mut suspects = Suspects {
        only,
        next: 0,
        origin: 0,
    };
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
        // The suspect character, and where the search that found it started.
        let (suspect, origin) = (pos, suspects.origin);
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
        // The search for the suspect looked at the line's bytes before it (when it
        // started at or before the line), and found nothing there.
        let unsuspect = if line_start >= origin {
            suspect.saturating_sub(line_start)
        } else {
            0
        };
        let mut scan = scan_line(t, line, unsuspect, true);
        // A line with nothing the scan looks for may hold a run of hanzi between ASCII
        // text that is a Big5 page read as GBK or the other way round
        // ([`misread_fragments`]).
        if !scan.sb && !scan.cjk && !scan.unrecoverable && !scan.fragment {
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
        } else {
            sc.arena.clear();
        }
        misread_fragments(t, &chars, &mut fixes, &mut sc.arena);
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
    /// Where the search that found the last suspect started: the bytes from there to
    /// the suspect hold none.
    origin: usize,
}

impl Suspects<'_> {
    /// The first suspect character at or after byte `from` ([`first_suspect`]) inside
    /// the ranges; `bytes.len()` when there is none.
    fn find(&mut self, t: &Tables, bytes: &[u8], from: usize) -> usize {
        let Some(ranges) = self.only else {
            self.origin = from;
            return first_suspect(t, bytes, from);
        };
        while let Some(r) = ranges.get(self.next) {
            let end = r.end.min(bytes.len());
            if end > from {
                self.origin = from.max(r.start);
                let p = first_suspect(t, bytes.get(..end).unwrap_or(bytes), self.origin);
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
pub(crate) const LONG_LINE: usize = 64 << 10;

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
    /// Added beside the line's other repairs ([`private_use_beside`]): it stands or
    /// falls with them.
    beside: bool,
}

impl Fix {
    /// A repair that a rule over the line's characters makes (not the search's
    /// judging): `arena[after]` replaces `start..end`, with no gain to rank by.
    fn by_rule(
        start: usize,
        end: usize,
        after: std::ops::Range<usize>,
        chain: &'static str,
        confidence: f32,
    ) -> Fix {
        Fix {
            start,
            end,
            after,
            chain,
            gain: 0.0,
            strength: 1.0,
            confidence,
            weak: false,
            beside: false,
        }
    }
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
    /// The pairs of decoded (not guessed) hanzi side by side in the text whose first
    /// is the hanzi right before some guess.
    seen_pairs: Vec<(char, char)>,
    /// The hanzi right before the guesses, sorted, distinct (for `seen_pairs`).
    pair_heads: Vec<char>,
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
    /// Whether only white space stands before the tokenized text on its line (set
    /// with `edge`).
    edge_starts_line: bool,
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
            starts_line: self.edge_starts_line,
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
    /// The stretches of the line the CJK passes search ([`near_odd`]).
    near: Vec<(usize, usize)>,
    /// Per index of the line, how many non-ASCII chars stand before it ([`near_odd`]).
    non_ascii_before: Vec<u32>,
    /// Stretches of single-byte runs to search again in another alignment
    /// ([`realign_stretches`]): from, to, original encoding.
    realign: Vec<(usize, usize, Codec)>,
    /// Per char of the line: covered by some repair.
    mark: Vec<bool>,
    /// Prefix sums of the line's costs ([`prefix_costs_near`]).
    pre: Vec<f32>,
    /// The line's bigram bonuses ([`prefix_costs_near`]).
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
    /// How many runs the passes of [`repair_line`] searched with these buffers (a
    /// figure of cost, for tests).
    searched_runs: usize,
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

/// [`prefix_costs_along`] of `chars`, every bigram looked up (what the tests check
/// [`prefix_costs_near`] against).
#[cfg(test)]
fn prefix_costs(t: &Tables, chars: &[char], pre: &mut Vec<f32>, bi: &mut Vec<f32>) {
    prefix_costs_along(t, chars.iter().map(|&c| (Some(c), true)), pre, bi);
}

/// Fills `pre` with the prefix sums of the per-char terms of [`cost_of`] over items
/// that may be no char (`None`, skipped: bigram 0 and no term), in one pass: `pre[i]` =
/// the sum of the terms of the items before `i`, each with its bigram to the last char
/// before it (`'\0'` at first); `bi[i]` = that bigram bonus of item `i`, also kept for
/// [`make_units`]. An item whose flag is false counts no bigram (0, not looked up).
/// Both are sized first and then written in place (no capacity check per item).
fn prefix_costs_along(
    t: &Tables,
    chars: impl ExactSizeIterator<Item = (Option<char>, bool)>,
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
    for (((c, with_bigram), b), p) in chars.zip(bi.iter_mut()).zip(pre.iter_mut().skip(1)) {
        if let Some(c) = c {
            let x = if with_bigram { t.bigram(prev, c) } else { 0.0 };
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

/// `cost_of(chars[a..b])` from the prefix sums of [`prefix_costs_near`].
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
                if t.odd_common(c) {
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
    sc.near.clear();
    if scan.cjk {
        // A short line, or one where odd characters are half of the non-ASCII
        // ones (as in a line of mojibake), is searched whole: its stretches would
        // cover (nearly) all of it, and finding them costs more than the rest.
        if non_ascii <= SHORT_LINE_NON_ASCII || 2 * n_odd >= non_ascii {
            sc.near.push((0, chars.len()));
        } else {
            near_odd(t, chars, &sc.odd, &mut sc.non_ascii_before, &mut sc.near);
        }
    }
    prefix_costs_near(t, chars, &sc.near, &mut sc.pre, &mut sc.pre_bi);
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
        let mut w = 0;
        while i < chars.len() {
            // Chars `d` cannot produce start no run.
            while chars.get(i).is_some_and(|&c| !t.can_encode(d, c)) {
                i += 1;
            }
            let mut limit = chars.len();
            if d != Codec::Sb {
                let Some((a, b)) = stretch_from(&sc.near, &mut w, i) else {
                    break;
                };
                i = i.max(a);
                limit = b;
                if chars.get(i).is_some_and(|&c| !t.can_encode(d, c)) {
                    continue;
                }
            }
            if i >= chars.len() {
                break;
            }
            // A maximal run of chars `d` can produce, encoded.
            let start = i;
            let (end, non_ascii, has_alt) =
                encode_from(t, d, chars.get(..limit).unwrap_or(chars), start, sc);
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
            // A CJK pass searches a run only with an odd character in it: one that
            // characters the decoder cannot produce cut off from every odd character
            // is no part of the damage they show (a Big5 pass's runs end at every
            // simplified-only hanzi, so that a stretch of clean simplified text around
            // a rare name falls into many such runs).
            if d != Codec::Sb && !holds_odd(&sc.odd, &run) {
                continue;
            }
            sc.searched_runs += 1;
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
    // Stretches no pass of their encoding explained, in the other alignment. (A
    // candidate of that encoding from the character before, in the first alignment,
    // explains nothing: the search again competes with it. Nor does one of UTF-8's,
    // whose sequences start where the stretch's first character ends: `“ÎªÁË` reads
    // `Ϊ` there, and is `“为了`.)
    let realign = std::mem::take(&mut sc.realign);
    for &(from, to, e) in &realign {
        let prefix = codec_name(e, false);
        if cands.iter().any(|f| {
            f.start <= from && from < f.end && f.start + 1 != from && f.chain.starts_with(prefix)
        }) {
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
    // `in負er`, `¡mañana` no `《añana`), unless the span reads as CJK text before the
    // word (`common_hanzi_row`).
    let arena = &sc.arena;
    cands.retain(|f| {
        let after = arena.get(f.after.clone()).unwrap_or(&[]);
        if sb_to_cjk(f.chain)
            && (hanzi_inside_ascii_words(after, around(chars, f.start, f.end))
                || glued_to_latin_word(
                    t,
                    chars,
                    f.start,
                    f.end,
                    f.chain.starts_with("gbk") && !common_traditional(t, after),
                )
                .is_some_and(|g| g == f.start || !common_hanzi_row(t, after)))
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
    private_use_beside(t, chars, fixes, &mut sc.arena, &mut sc.bytes);
    cross_leftovers(t, chars, fixes, &mut sc.arena, &mut sc.mark);
    line_evidence(t, chars, &sc.arena, fixes);
    // Both look only at lines with the characters counted above.
    if c1 {
        four_byte_read_as_sb(t, chars, fixes, &mut sc.arena, &mut sc.mark);
        c1_controls(chars, fixes, &mut sc.arena, &mut sc.mark);
    }
    if lost > 0 {
        four_byte_lost(chars, fixes, &mut sc.arena, &mut sc.mark);
    }
    sc.cands = cands;
}

/// Whether an odd character (`odd`: indices, in order) lies in `run`.
fn holds_odd(odd: &[usize], run: &std::ops::Range<usize>) -> bool {
    odd.get(odd.partition_point(|&i| i < run.start))
        .is_some_and(|&i| i < run.end)
}

/// How far from an odd character the CJK passes search, in non-ASCII chars. Mojibake
/// of the CJK chains is dense in odd characters, so a stretch this wide still spans
/// the common characters between them; the clean text around a pair of rare ones is
/// searched the less. (At 16, clean web text spent a third of the pass's instructions
/// in the search of the 2 % of its lines that have such a pair; from 16 down to 8, one
/// line of the twelve evaluation sets changes, for the better, and at 4 eleven do, five
/// of them for the worse.)
const NEAR_ODD: u32 = 8;

/// How close two odd characters stand for either to open a stretch of [`near_odd`].
const ODD_PAIR: usize = 3;

/// The stretches of the line `chars` that the CJK passes search, in order, merged, into
/// `near`: those within [`NEAR_ODD`] non-ASCII chars of an odd character (at `odd`, in
/// order), with the ASCII around them. An odd character opens a stretch when it alone
/// makes a line worth the search (`scan_line`: a C1 control, U+FFFD, `€`, a private-use
/// character or a common hanzi that is odd), or when it makes an [`odd_pair`] with the
/// odd character before or after it. Mojibake of those chains is dense in odd
/// characters, and a long line of clean text is searched only around its few pairs of
/// rare characters. (`before` is scratch: the line's count of non-ASCII chars before
/// each index.)
fn near_odd(
    t: &Tables,
    chars: &[char],
    odd: &[usize],
    before: &mut Vec<u32>,
    near: &mut Vec<(usize, usize)>,
) {
    near.clear();
    before.clear();
    before.push(0);
    let mut n = 0u32;
    before.extend(chars.iter().map(|c| {
        n += !c.is_ascii() as u32;
        n
    }));
    for (x, &i) in odd.iter().enumerate() {
        let pair = |p: usize, q: usize| match (chars.get(p), chars.get(q)) {
            (Some(&a), Some(&b)) => odd_pair(t, a, b, q - p),
            _ => false,
        };
        let paired = x
            .checked_sub(1)
            .and_then(|p| odd.get(p))
            .is_some_and(|&p| pair(p, i))
            || odd.get(x + 1).is_some_and(|&q| pair(i, q));
        let alone = chars.get(i).is_some_and(|&c| {
            c == '\u{20AC}'
                || matches!(
                    t.class(c),
                    class::C1 | class::REPLACEMENT | class::PUA | class::TOP | class::COMMON
                )
        });
        if !alone && !paired {
            continue;
        }
        // The widest stretch around char `i` with at most `NEAR_ODD` non-ASCII chars on
        // either side of it: from the first index `a` with `before[i] - before[a] <=
        // NEAR_ODD` to the last `b` with `before[b] - before[i + 1] <= NEAR_ODD`.
        let (at, after) = match (before.get(i), before.get(i + 1)) {
            (Some(&p), Some(&q)) => (p, q),
            _ => continue,
        };
        let a = before.partition_point(|&k| k + NEAR_ODD < at);
        let b = (before.partition_point(|&k| k <= after + NEAR_ODD) - 1).min(chars.len());
        match near.last_mut() {
            Some(last) if last.1 >= a => last.1 = last.1.max(b),
            _ => near.push((a, b)),
        }
    }
}

/// Whether odd characters `a` and `b`, `gap` chars apart (`b` after `a`), make a pair
/// that opens a stretch of [`near_odd`]: close together ([`ODD_PAIR`]), neither one that
/// no CJK chain makes, and not a word of two less common hanzi (as `scan_line` has it).
fn odd_pair(t: &Tables, a: char, b: char, gap: usize) -> bool {
    let inert = |c: char| cjk_inert(t, c, t.class(c));
    if gap > ODD_PAIR || inert(a) || inert(b) {
        return false;
    }
    gap != 1 || !word_of_less_common(t, a, b)
}

/// The first of the stretches `near` (in order, not overlapping) that ends after char
/// `i`, looked for from stretch `*w` on, which it moves to it: asked with `i` never
/// decreasing, the walk over all of them is linear.
fn stretch_from(near: &[(usize, usize)], w: &mut usize, i: usize) -> Option<(usize, usize)> {
    while near.get(*w).is_some_and(|&(_, b)| b <= i) {
        *w += 1;
    }
    near.get(*w).copied()
}

/// [`prefix_costs_along`] of the line `chars` with bigram bonuses looked up only inside
/// the stretches `near` (in order): elsewhere they count 0. Spans of the CJK passes lie
/// inside those stretches, and the single-byte passes' spans are of chars no bigram has
/// (Latin-1 and ASCII), so every span's cost is what looking up every bigram gives; a
/// long line of clean text costs no lookup in the bigram table outside its stretches.
fn prefix_costs_near(
    t: &Tables,
    chars: &[char],
    near: &[(usize, usize)],
    pre: &mut Vec<f32>,
    bi: &mut Vec<f32>,
) {
    // Whether char `i` (asked in order) lies in a stretch.
    let mut w = 0;
    let mut inside = move |i: usize| stretch_from(near, &mut w, i).is_some_and(|(a, _)| a <= i);
    let items = chars.iter().enumerate().map(|(i, &c)| (Some(c), inside(i)));
    prefix_costs_along(t, items, pre, bi);
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
    /// Lines drawn from characters of every kind `near_odd` tells apart (common,
    /// less common and rare hanzi, quotes, Latin-1, private use, U+FFFD, ASCII).
    fn mixed_lines(n: usize) -> Vec<Vec<char>> {
        let alphabet = [
            'a', ' ', '7', '的', '是', '，', '纾', '难', '鍙', '涓', '“', '”', '©', 'é',
            '\u{E5E5}', '\u{FFFD}', '€', '鐨', '勬', '国',
        ];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let len = (x % 90) as usize;
                (0..len)
                    .map(|k| {
                        let r = x.rotate_left(7 * k as u32) ^ (k as u64).wrapping_mul(0x9E37);
                        // Mostly plain hanzi, as clean text is.
                        if r % 3 != 0 {
                            alphabet[3 + (r >> 9) as usize % 3]
                        } else {
                            alphabet[(r >> 9) as usize % alphabet.len()]
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// `near_odd`'s stretches by a walk from each odd character that opens one: back
    /// over `NEAR_ODD` non-ASCII chars and the ASCII before them, and as far forward.
    fn near_odd_by_walking(t: &Tables, chars: &[char], odd: &[usize]) -> Vec<(usize, usize)> {
        let mut near: Vec<(usize, usize)> = Vec::new();
        let ascii = |j: usize| chars[j].is_ascii();
        for (x, &i) in odd.iter().enumerate() {
            let pair = |p: usize, q: usize| odd_pair(t, chars[p], chars[q], q - p);
            let paired =
                (x > 0 && pair(odd[x - 1], i)) || odd.get(x + 1).is_some_and(|&q| pair(i, q));
            let c = chars[i];
            let alone = c == '€'
                || matches!(
                    t.class(c),
                    class::C1 | class::REPLACEMENT | class::PUA | class::TOP | class::COMMON
                );
            if !(alone || paired) {
                continue;
            }
            let (mut a, mut k) = (i, 0);
            while a > 0 && k < NEAR_ODD {
                a -= 1;
                k += !ascii(a) as u32;
            }
            while a > 0 && ascii(a - 1) {
                a -= 1;
            }
            let (mut b, mut k) = (i + 1, 0);
            while b < chars.len() && k < NEAR_ODD {
                k += !ascii(b) as u32;
                b += 1;
            }
            while b < chars.len() && ascii(b) {
                b += 1;
            }
            match near.last_mut() {
                Some(last) if last.1 >= a => last.1 = last.1.max(b),
                _ => near.push((a, b)),
            }
        }
        near
    }

    /// The stretches the CJK passes search, found with the count of non-ASCII chars
    /// and binary searches, are those of walking from each odd character; a long line
    /// of plain hanzi with one rare pair is searched only around the pair.
    #[test]
    fn near_odd_agrees_with_walking_from_each_odd_character() {
        let t = tables();
        let (mut before, mut near) = (Vec::new(), Vec::new());
        let mut some_cut = 0;
        for line in mixed_lines(3000) {
            let odd: Vec<usize> = (0..line.len())
                .filter(|&i| {
                    let c = line[i];
                    !c.is_ascii()
                        && (!matches!(t.class(c), class::TOP | class::COMMON | class::CJK_PUNCT)
                            || t.odd_common(c))
                })
                .collect();
            near_odd(t, &line, &odd, &mut before, &mut near);
            assert_eq!(near, near_odd_by_walking(t, &line, &odd), "{line:?}");
            let covered: usize = near.iter().map(|r| r.1 - r.0).sum();
            some_cut += (covered < line.len() && !near.is_empty()) as usize;
        }
        assert!(some_cut > 100, "{some_cut}");
        let line: Vec<char> = "的是"
            .repeat(40)
            .chars()
            .chain("纾难".chars())
            .chain("的是".repeat(40).chars())
            .collect();
        let odd = [80, 81];
        near_odd(t, &line, &odd, &mut before, &mut near);
        assert_eq!(near, [(80 - NEAR_ODD as usize, 82 + NEAR_ODD as usize)]);
    }

    /// The cost of every span inside a stretch `near_odd` gives, and of every span
    /// without hanzi, is the same from `prefix_costs_near` as from `prefix_costs`, and
    /// so is the bigram bonus of each char inside a stretch.
    #[test]
    fn prefix_costs_near_agree_inside_the_stretches() {
        let t = tables();
        let (mut before, mut near) = (Vec::new(), Vec::new());
        let (mut pre, mut bi, mut pre_n, mut bi_n) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for line in mixed_lines(2000) {
            let odd: Vec<usize> = (0..line.len())
                .filter(|&i| !line[i].is_ascii() && !t.is_plain(line[i] as u32))
                .collect();
            near_odd(t, &line, &odd, &mut before, &mut near);
            prefix_costs(t, &line, &mut pre, &mut bi);
            prefix_costs_near(t, &line, &near, &mut pre_n, &mut bi_n);
            for &(a, b) in &near {
                for c0 in a..b {
                    assert_eq!(bi[c0], bi_n[c0]);
                    for c1 in c0 + 1..=b {
                        let (x, y) = (pre[c1] - pre[c0], pre_n[c1] - pre_n[c0]);
                        assert!((x - y).abs() < 1e-3, "{line:?} {c0}..{c1}: {x} {y}");
                    }
                }
            }
            for c0 in 0..line.len() {
                for c1 in c0 + 1..=line.len() {
                    if line[c0..c1].iter().all(|&c| (c as u32) < 0x3400) {
                        let (x, y) = (pre[c1] - pre[c0], pre_n[c1] - pre_n[c0]);
                        assert!((x - y).abs() < 1e-3, "{line:?} {c0}..{c1}: {x} {y}");
                    }
                }
            }
        }
    }

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

    /// A clean simplified line with a rare name in it (`犇猋`, an odd pair) is searched
    /// by the CJK passes only in the runs that hold the name. A Big5 pass's runs end at
    /// every simplified-only hanzi, and each of the runs between was searched, for
    /// nothing: most of the time the pass spent on clean web text.
    #[test]
    fn clean_runs_cut_off_from_the_odd_characters_are_not_searched() {
        let t = tables();
        let line = "他在老家开了一个农家乐，叫作“犇猋山庄”，周末来这里钓鱼、烧烤、爬山的城里人很多，生意一直很好。";
        let chars: Vec<char> = line.chars().collect();
        let scan = scan_line(t, line, 0, false);
        assert!(scan.cjk && !scan.sb);
        let mut sc = Scratch::default();
        let mut fixes = Vec::new();
        repair_line(t, &chars, &scan, &mut sc, &mut fixes);
        assert!(fixes.is_empty());
        // One run (the one with the name) per CJK pass at most.
        let cjk_passes = PASSES.iter().filter(|(d, _)| *d != Codec::Sb).count();
        assert!(sc.searched_runs <= cjk_passes, "{}", sc.searched_runs);
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
            beside: false,
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
