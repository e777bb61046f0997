//! Web-text artifact repair: content-farm pinyin glosses, characters lost to `?`, HTML
//! entities, invisible and control characters, whitespace at line ends.
//!
//! # What is repaired (each on by default, see [`ArtifactOptions`])
//!
//! - **Pinyin glosses** (`pinyin-gloss`): `行業(yè)` → `行業`. A gloss is `(` + one
//!   pinyin syllable + `)` right after a Han character outside GB2312 (the traditional
//!   forms content farms gloss), with no space, whose reading is one of that
//!   character's readings (heteronyms included; tone marks compared after normalising
//!   `ü`/`v` and combining marks). Glosses are removed only when the document holds at
//!   least [`ArtifactOptions::min_glosses`] tone-marked ones: a teaching page's
//!   `葉 (yè)`, glosses on simplified characters (`好(hǎo)`) or a single gloss in prose
//!   stay.
//! - **Misaligned glosses** (`pinyin-gloss-misaligned`): in such a document,
//!   `面向?qū)W科` → `面向學科`: the character destroyed by a gloss inserted one byte out
//!   of step is rebuilt from GBK (see `gloss.rs`), only when exactly one character fits.
//! - **Lost characters** (`lost-char`): `?` standing for a `»` or a no-break space that
//!   GBK could not hold → the separator ([`ArtifactOptions::lost_separator`]) or a space,
//!   by the rules in `lost.rs`; also the `·` of a transliterated name (`戴夫?汉森`). Real
//!   question marks are never touched.
//! - **Entities** (`entity`): well-formed `&nbsp;`, `&amp;`, `&#20320;`, `&#x4f60;`
//!   where the text uses them, not where it mentions them: markup escapes (`&lt;`,
//!   `&amp;`…) only glued into text or in a document whose references leaked; nothing
//!   in a line with raw tags, between quotes, or standing alone in a line of non-CJK
//!   words (see `entity.rs`).
//! - **Invisible characters** (`invisible`): U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER,
//!   U+FEFF (a BOM inside text), and U+200C/U+200D (ZWNJ/ZWJ) when both neighbours are
//!   ASCII, CJK, whitespace or the line edge — so emoji sequences and scripts that use
//!   joiners keep them.
//! - **Control characters** (`control`): C0 controls other than tab and line breaks,
//!   DEL, C1 controls (U+0080–U+009F). An ESC that opens an ANSI control sequence
//!   (`\x1b[32m`, a terminal colour code) is markup, kept with the sequence.
//! - **Whitespace** (counted in [`NormalisationCounts`], not as repairs): CR LF and lone
//!   CR → LF; line-space characters (space, tab, no-break spaces, U+3000 and the other
//!   Unicode spaces) trimmed at both ends of each line; runs of blank lines collapsed
//!   to one blank line.
//!
//! Opt-in, never on by default: full-width ASCII → half-width, and ASCII punctuation
//! between CJK characters → full-width (or the reverse); see [`CjkPunct`].
//!
//! A line with no leading or trailing space, no control or invisible character and no
//! artifact comes back byte-identical; a document with nothing to do comes back
//! borrowed. Time is linear in the length of the text.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use super::{Repair, RepairReport};

mod chars;
mod entity;
mod gloss;
mod lost;
mod scan;
mod width;

use chars::{is_han, is_line_space, is_removable, joiner_is_noise_next_to};

/// Options of artifact repair.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ArtifactOptions {
    /// Remove content-farm pinyin glosses and rebuild characters lost to misaligned
    /// ones. Default on.
    pub pinyin_glosses: bool,
    /// How many tone-marked glosses on non-GB2312 characters a document must hold before
    /// glosses are removed. Default 3.
    pub min_glosses: usize,
    /// Replace `?` standing for characters lost in GBK. Default on.
    pub lost_chars: bool,
    /// The character a lost separator `?` (`首頁 ? 資訊`) becomes. Default `»`, the
    /// usual lost one (`&raquo;` has no GBK form).
    pub lost_separator: char,
    /// Decode well-formed HTML character references. Default on.
    pub entities: bool,
    /// Remove invisible and control characters. Default on.
    pub invisible: bool,
    /// Normalise line breaks to LF, trim line-space characters at both ends of each
    /// line, collapse runs of blank lines. Default on.
    pub whitespace: bool,
    /// Full-width ASCII letters, digits and symbols (`ＡＢＣ１２３`) → half-width. Off by
    /// default.
    pub fullwidth_ascii: bool,
    /// ASCII/full-width punctuation normalisation around CJK. Default
    /// [`CjkPunct::Keep`].
    pub cjk_punct: CjkPunct,
}

impl Default for ArtifactOptions {
    fn default() -> ArtifactOptions {
        ArtifactOptions {
            pinyin_glosses: true,
            min_glosses: 3,
            lost_chars: true,
            lost_separator: '»',
            entities: true,
            invisible: true,
            whitespace: true,
            fullwidth_ascii: false,
            cjk_punct: CjkPunct::Keep,
        }
    }
}

/// Punctuation normalisation around CJK text (opt-in).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CjkPunct {
    /// Leave punctuation alone (the default).
    #[default]
    Keep,
    /// `,` `!` `?` `:` `;` with a CJK character (Han, kana, Hangul, CJK or full-width
    /// punctuation) immediately before and after → `，` `！` `？` `：` `；`.
    Fullwidth,
    /// `，` `！` `？` `：` `；` `（` `）` → `,` `!` `?` `:` `;` `(` `)` everywhere.
    Halfwidth,
}

/// Counts of the normalisations the artifact pass makes without a [`Repair`] entry
/// each (they are frequent and carry no information worth a span).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct NormalisationCounts {
    /// Line breaks rewritten to LF (a CR LF pair or a lone CR counts once).
    pub line_breaks: usize,
    /// Lines that had line-space characters trimmed at either end.
    pub lines_trimmed: usize,
    /// Blank lines dropped from runs of blank lines.
    pub blank_lines_removed: usize,
    /// Characters changed by the opt-in width and punctuation normalisations.
    pub width: usize,
}

impl NormalisationCounts {
    /// True when every count is zero.
    pub fn is_zero(&self) -> bool {
        *self == NormalisationCounts::default()
    }
}

/// Repairs web artifacts in `text`, appending each repair to `report` (offsets in code
/// points into `text`) and counting whitespace normalisations in
/// `report.normalised`. Borrowed when nothing changed.
pub fn repair<'t>(
    text: &'t str,
    options: &ArtifactOptions,
    report: &mut RepairReport,
) -> Cow<'t, str> {
    repair_tracked(text, options, report).0
}

/// [`repair`], also telling whether the pass changed something the mojibake pass could
/// see differently: anything but ASCII space and tab at line edges, CR LF line breaks
/// and blank-line runs, which that pass ignores (see [`super::mojibake::repair`]).
pub(super) fn repair_tracked<'t>(
    text: &'t str,
    options: &ArtifactOptions,
    report: &mut RepairReport,
) -> (Cow<'t, str>, bool) {
    let opt_in = options.fullwidth_ascii || options.cjk_punct != CjkPunct::Keep;
    if !opt_in && !scan::needs_work(text.as_bytes()) {
        return (Cow::Borrowed(text), false);
    }
    full_pass(text, options, report)
}

/// The pass without the prefilter.
fn full_pass<'t>(
    text: &'t str,
    options: &ArtifactOptions,
    report: &mut RepairReport,
) -> (Cow<'t, str>, bool) {
    let signals = Signals::analyse(text, options);
    let mut pass = Pass {
        text,
        o: options,
        signals,
        out: String::with_capacity(text.len()),
        changed: false,
        visible: false,
        cp_byte: 0,
        cp: 0,
        first_repair: report.repairs.len(),
        line_out: 0,
        crumb_next: 0,
        rebuilt: HashMap::new(),
        report,
    };
    pass.run();
    if pass.changed {
        (Cow::Owned(pass.out), pass.visible)
    } else {
        (Cow::Borrowed(text), false)
    }
}

/// Document-level evidence, gathered before any change.
#[derive(Debug, Default)]
struct Signals {
    /// The document shows the content-farm gloss pattern.
    farm: bool,
    /// The document shows other evidence of characters lost in GBK.
    lost_evidence: bool,
    /// `?`-only lines are lost no-break spaces.
    question_lines: bool,
    /// Breadcrumb verdicts already worked out, by line start (ascending).
    crumbs: Vec<(usize, bool)>,
    /// The document's references leaked: its markup escapes are decoded.
    entities: entity::Evidence,
}

impl Signals {
    fn analyse(text: &str, o: &ArtifactOptions) -> Signals {
        let b = text.as_bytes();
        let mut s = Signals::default();
        if o.pinyin_glosses {
            let mut n = 0;
            for i in memchr::memchr_iter(b'(', b) {
                if !scan::in_line_hit(b, i) {
                    continue;
                }
                let Some(before) = text[..i].chars().rev().find(|&c| !is_removable(c)) else {
                    continue;
                };
                if let Some((reading, _)) = gloss::gloss_at(before, &text[i..]) {
                    if reading.is_tone_marked() && !gloss::in_gb2312(before) {
                        n += 1;
                        if n >= o.min_glosses.max(1) {
                            s.farm = true;
                            break;
                        }
                    }
                }
            }
        }
        if o.lost_chars {
            let (mut strong, mut qlines) = (0usize, 0usize);
            // The line holding the last `?` seen: (start, end) byte offsets, and whether
            // it is a breadcrumb (worked out once per line: a line can hold many `?`).
            let mut line: Option<(usize, usize)> = None;
            let mut crumb: Option<bool> = None;
            let mut i = 0;
            while let Some(k) = memchr::memchr(b'?', &b[i..]) {
                let q = i + k;
                let (start, end) = match line {
                    Some((s0, e0)) if q < e0 => (s0, e0),
                    _ => {
                        let from = line.map_or(0, |(_, e0)| e0);
                        let start = memchr::memrchr2(b'\n', b'\r', &b[from..q])
                            .map_or(from, |p| from + p + 1);
                        let end = memchr::memchr2(b'\n', b'\r', &b[q..]).map_or(b.len(), |p| q + p);
                        line = Some((start, end));
                        crumb = None;
                        if lost::is_question_only_line(&text[start..end]) {
                            qlines += 1;
                            i = end;
                            continue;
                        }
                        (start, end)
                    }
                };
                let e = q + b[q..].iter().take_while(|&&c| c == b'?').count();
                let crumb = *crumb.get_or_insert_with(|| {
                    let v = lost::is_crumb_line(&text[start..end]);
                    s.crumbs.push((start, v));
                    v
                });
                if lost::classify(&text[start..q], e - q, &text[e..end], crumb, false).is_some() {
                    strong += 1;
                }
                i = e;
            }
            s.lost_evidence = s.farm || strong >= 2 || (strong >= 1 && qlines >= 1);
            s.question_lines = s.lost_evidence;
        }
        if o.entities {
            s.entities =
                entity::Evidence(s.farm || s.lost_evidence || entity::document_evidence(text));
        }
        s
    }
}

/// Facts about the current line, worked out when first needed.
#[derive(Default)]
struct LineFacts {
    question_only: Option<bool>,
    crumb: Option<bool>,
    entity: Option<entity::LineFacts>,
}

struct Pass<'t, 'r> {
    text: &'t str,
    o: &'r ArtifactOptions,
    signals: Signals,
    out: String,
    changed: bool,
    /// Some change other than ASCII edge whitespace, CR LF or blank-line runs was made.
    visible: bool,
    /// Code-point position `cp` of byte offset `cp_byte` (moves forward only).
    cp_byte: usize,
    cp: usize,
    /// Index of this pass's first entry in `report.repairs`.
    first_repair: usize,
    /// Where the current line starts in `out`.
    line_out: usize,
    /// Index into `signals.crumbs` of the first entry not behind the current line.
    crumb_next: usize,
    /// Misaligned-gloss rebuilds already worked out in this document.
    rebuilt: HashMap<(char, gloss::Reading, u8), Option<char>>,
    report: &'r mut RepairReport,
}

impl Pass<'_, '_> {
    fn run(&mut self) {
        let text = self.text;
        let b = text.as_bytes();
        let ws = self.o.whitespace;
        let mut pos = 0;
        let mut prev_blank = false;
        while pos < b.len() {
            let (end, term_len) = match memchr::memchr2(b'\n', b'\r', &b[pos..]) {
                Some(k) => {
                    let e = pos + k;
                    if b[e] == b'\r' && b.get(e + 1) == Some(&b'\n') {
                        (e, 2)
                    } else {
                        (e, 1)
                    }
                }
                None => (b.len(), 0),
            };
            let out_start = self.out.len();
            self.line(pos, end);
            let mut blank = false;
            if ws {
                blank = self.trim_from(out_start);
                if blank && prev_blank {
                    self.out.truncate(out_start);
                    self.report.normalised.blank_lines_removed += 1;
                    self.changed = true;
                    pos = end + term_len;
                    continue;
                }
            }
            if term_len > 0 {
                let term = &text[end..end + term_len];
                if ws && term != "\n" {
                    self.out.push('\n');
                    self.report.normalised.line_breaks += 1;
                    self.changed = true;
                    // A lone CR was a line break the mojibake pass did not see.
                    self.visible |= term == "\r";
                } else {
                    self.out.push_str(term);
                }
            }
            prev_blank = blank;
            pos = end + term_len;
        }
    }

    /// Trims line-space characters at both ends of `out[from..]`; true when it is empty.
    fn trim_from(&mut self, from: usize) -> bool {
        let seg = &self.out[from..];
        let trimmed = seg.trim_matches(is_line_space);
        if trimmed.len() != seg.len() {
            let lead = seg.len() - seg.trim_start_matches(is_line_space).len();
            let keep = trimmed.len();
            let ascii_edges = |e: &str| e.bytes().all(|c| c == b' ' || c == b'\t');
            self.visible |= !ascii_edges(&seg[..lead]) || !ascii_edges(&seg[lead + keep..]);
            self.out.truncate(from + lead + keep);
            self.out.drain(from..from + lead);
            self.report.normalised.lines_trimmed += 1;
            self.changed = true;
        }
        self.out.len() == from
    }

    /// Code-point offset of byte offset `byte` (called with non-decreasing offsets).
    fn cp_at(&mut self, byte: usize) -> usize {
        let b = &self.text.as_bytes()[self.cp_byte..byte];
        self.cp += b.iter().filter(|&&c| (c & 0xC0) != 0x80).count();
        self.cp_byte = byte;
        self.cp
    }

    /// Records that `text[start..end]` became `after`. Adjacent removals of the same
    /// kind are merged into one entry.
    fn record(
        &mut self,
        start: usize,
        end: usize,
        kind: &'static str,
        after: &str,
        confidence: f32,
    ) {
        self.changed = true;
        self.visible = true;
        let s = self.cp_at(start);
        let len = self.text[start..end].chars().count();
        let before = &self.text[start..end];
        if after.is_empty() && self.report.repairs.len() > self.first_repair {
            if let Some(last) = self.report.repairs.last_mut() {
                if last.kind == kind && last.end == s && last.after.is_empty() {
                    last.end = s + len;
                    last.before.push_str(before);
                    return;
                }
            }
        }
        self.report.repairs.push(Repair {
            start: s,
            end: s + len,
            kind: Cow::Borrowed(kind),
            before: before.to_string(),
            after: after.to_string(),
            confidence,
        });
    }

    /// Processes `text[start..end]` (one line, no terminator) into `out`.
    fn line(&mut self, start: usize, end: usize) {
        let text = self.text;
        let line = &text[start..end];
        let lb = line.as_bytes();
        let opt_in = self.o.fullwidth_ascii || self.o.cjk_punct != CjkPunct::Keep;
        let out_start = self.out.len();
        self.line_out = out_start;
        let mut i = 0;
        let mut facts = LineFacts::default();
        let crumbs = &self.signals.crumbs;
        // Lines come in order: skip the entries of earlier lines (each once).
        while crumbs.get(self.crumb_next).is_some_and(|&(s, _)| s < start) {
            self.crumb_next += 1;
        }
        if let Some(&(s, v)) = crumbs.get(self.crumb_next) {
            if s == start {
                facts.crumb = Some(v);
            }
        }
        while let Some(h) = scan::next_in_line_hit(lb, i) {
            self.out.push_str(&line[i..h]);
            i = self.event(line, start, h, &mut facts);
        }
        self.out.push_str(&line[i..]);
        if opt_in {
            let seg = self.out.split_off(out_start);
            let n = width::normalise(
                &seg,
                self.o.fullwidth_ascii,
                self.o.cjk_punct,
                &mut self.out,
            );
            if n > 0 {
                self.report.normalised.width += n;
                self.changed = true;
                self.visible = true;
            }
        }
    }

    /// Handles the interesting byte at `line[h]` (line starting at byte `base` of the
    /// text): writes its replacement or itself to `out`, returns where to go on.
    fn event(&mut self, line: &str, base: usize, h: usize, facts: &mut LineFacts) -> usize {
        let lb = line.as_bytes();
        // What precedes, as repaired so far: removed glosses and invisible characters
        // are not seen.
        let prev = self.out[self.line_out..].chars().next_back();
        match lb[h] {
            b'(' if self.o.pinyin_glosses && self.signals.farm => {
                if let Some(before) = prev.filter(|&c| !gloss::in_gb2312(c)) {
                    if let Some((_, len)) = gloss::gloss_at(before, &line[h..]) {
                        self.record(base + h, base + h + len, "pinyin-gloss", "", 0.99);
                        return h + len;
                    }
                }
            }
            b'&' if self.o.entities => {
                let decoded = entity::parse(&line[h..]).filter(|&(c, len)| {
                    let f = facts
                        .entity
                        .get_or_insert_with(|| entity::LineFacts::of(line));
                    entity::decodes(line, h, len, c, f, self.signals.entities)
                });
                if let Some((c, len)) = decoded {
                    let mut buf = [0u8; 4];
                    let after: &str = c.encode_utf8(&mut buf);
                    self.record(base + h, base + h + len, "entity", after, 1.0);
                    self.out.push(c);
                    return h + len;
                }
            }
            b'?' => {
                if let Some(next) = self.misaligned(line, base, h, 1) {
                    return next;
                }
                if self.o.lost_chars {
                    return self.question(line, base, h, facts);
                }
            }
            0xEF if lb.get(h + 1) == Some(&0xBB) && self.o.invisible => {
                self.record(base + h, base + h + 3, "invisible", "", 1.0);
                return h + 3;
            }
            0xEF if lb.get(h + 1) == Some(&0xBB) => {}
            0xEF => {
                // U+FFFD before a misaligned gloss.
                if let Some(next) = self.misaligned(line, base, h, 3) {
                    return next;
                }
            }
            0xE2 if self.o.invisible => {
                let c = line[h..].chars().next().unwrap_or('\0');
                let remove = match c {
                    '\u{200B}' | '\u{2060}' => true,
                    _ => {
                        // Look through at most a few removable characters (linear time).
                        let next = line[h + 3..].chars().take(8).find(|&c| !is_removable(c));
                        joiner_is_noise_next_to(prev) && joiner_is_noise_next_to(next)
                    }
                };
                if remove {
                    self.record(base + h, base + h + 3, "invisible", "", 1.0);
                    return h + 3;
                }
            }
            0xC2 if self.o.invisible => {
                self.record(base + h, base + h + 2, "control", "", 1.0);
                return h + 2;
            }
            b'(' | b'&' | 0xE2 | 0xC2 => {}
            _ if self.o.invisible => {
                // C0 control (not tab, not a line break) or DEL.
                self.record(base + h, base + h + 1, "control", "", 1.0);
                return h + 1;
            }
            _ => {}
        }
        // Not an artifact: copy the character.
        let len = line[h..].chars().next().map_or(1, char::len_utf8);
        self.out.push_str(&line[h..h + len]);
        h + len
    }

    /// A misaligned gloss at `line[h..]` starting with a lost character of `lost_len`
    /// bytes (`?` or U+FFFD): `X?qū)W` → `X學`. Returns where to go on when repaired.
    fn misaligned(&mut self, line: &str, base: usize, h: usize, lost_len: usize) -> Option<usize> {
        if !(self.o.pinyin_glosses && self.signals.farm) {
            return None;
        }
        let before = self.out[self.line_out..].chars().next_back()?;
        if !is_han(before) {
            return None;
        }
        let mut body = h + lost_len;
        if line.as_bytes().get(body) == Some(&b'(') {
            body += 1;
        }
        let (reading, len) = gloss::parse_body(&line[body..])?;
        let after = *line.as_bytes().get(body + len)?;
        let lost = *self
            .rebuilt
            .entry((before, reading, after))
            .or_insert_with(|| gloss::misaligned(before, &reading, after));
        let lost = lost?;
        let end = body + len + 1;
        let mut buf = [0u8; 4];
        let rebuilt: &str = lost.encode_utf8(&mut buf);
        self.record(
            base + h,
            base + end,
            "pinyin-gloss-misaligned",
            rebuilt,
            0.9,
        );
        self.out.push(lost);
        Some(end)
    }

    /// The `?` run starting at `line[h]`. The run looks through characters the pass
    /// removes (`?\u{200B}?` is a run of two).
    fn question(&mut self, line: &str, base: usize, h: usize, facts: &mut LineFacts) -> usize {
        let lb = line.as_bytes();
        let (mut j, mut e, mut count) = (h, h, 0);
        while j < lb.len() {
            if lb[j] == b'?' {
                j += 1;
                e = j;
                count += 1;
                continue;
            }
            match line[j..].chars().next() {
                Some(c) if is_removable(c) => j += c.len_utf8(),
                _ => break,
            }
        }
        let only = *facts
            .question_only
            .get_or_insert_with(|| lost::is_question_only_line(line));
        let verdict = if only {
            self.signals.question_lines.then_some(lost::Lost::Space)
        } else {
            let crumb = *facts.crumb.get_or_insert_with(|| lost::is_crumb_line(line));
            let before = &self.out[self.line_out..];
            lost::classify(before, count, &line[e..], crumb, self.signals.lost_evidence)
        };
        match verdict {
            Some(lost::Lost::Separator) => {
                let mut buf = [0u8; 4];
                let sep: &str = self.o.lost_separator.encode_utf8(&mut buf);
                self.record(base + h, base + e, "lost-char", sep, 0.8);
                self.out.push(self.o.lost_separator);
                e
            }
            Some(lost::Lost::MiddleDot) => {
                self.record(base + h, base + e, "lost-char", "·", 0.7);
                self.out.push('·');
                e
            }
            Some(lost::Lost::Space) => {
                let spaces = " ".repeat(count);
                self.record(base + h, base + e, "lost-char", &spaces, 0.7);
                self.out.push_str(&spaces);
                e
            }
            None => {
                // Real question marks; what follows is handled as usual.
                let plain = h + lb[h..].iter().take_while(|&&c| c == b'?').count();
                self.out.push_str(&line[h..plain]);
                plain
            }
        }
    }
}

#[cfg(test)]
mod tests;
