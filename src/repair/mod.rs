//! Stage 1: repair encoding damage without ever changing clean text.
//!
//! Two passes, each in its own module:
//! - [`mojibake`]: text that went through the wrong decoder (UTF-8 read as GBK, GBK read
//!   as Latin-1, double layers, bytes lost by strict decoders), span by span;
//! - [`latin`]: single-byte mojibake of UTF-8 in European, Cyrillic, Greek and symbol
//!   text (`CafÃ©`, `РґРѕСЂРѕРіРµ`, `g√¢teaux`), on the lines the first pass left alone;
//! - [`artifacts`]: web-text artifacts (content-farm pinyin glosses, separators lost to
//!   `?`, HTML entities, invisible characters, whitespace at line ends).

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

pub mod artifacts;
pub mod latin;
pub mod mojibake;

pub use artifacts::{ArtifactOptions, CjkPunct, NormalisationCounts};
pub use mojibake::MojibakeOptions;

/// Options of the repair stage.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RepairOptions {
    /// Mojibake repair; `None` turns it off.
    pub mojibake: Option<MojibakeOptions>,
    /// Web-artifact repair; `None` turns it off.
    pub artifacts: Option<ArtifactOptions>,
}

impl RepairOptions {
    /// Both passes on, with their defaults.
    pub fn new() -> RepairOptions {
        RepairOptions {
            mojibake: Some(MojibakeOptions::default()),
            artifacts: Some(ArtifactOptions::default()),
        }
    }
}

/// How many rounds (mojibake, then artifacts) at most run over a document whose artifact
/// pass keeps changing what the mojibake pass sees.
const ROUNDS: usize = 4;

/// How many times at most the mojibake pass runs over a document it keeps changing.
const MOJIBAKE_PASSES: usize = 3;

/// The repair stage.
#[derive(Debug, Clone)]
pub struct Repairer {
    options: RepairOptions,
}

impl Default for Repairer {
    fn default() -> Repairer {
        Repairer::new()
    }
}

/// What the repair stage did to one document.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RepairReport {
    /// Each repair made, in text order per pass.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<Repair>,
    /// Whitespace (and opt-in width) normalisations made by the artifact pass, counted
    /// rather than listed.
    #[serde(skip_serializing_if = "NormalisationCounts::is_zero")]
    pub normalised: NormalisationCounts,
    /// How many spans of unrecoverable damage (`锟斤拷`, `烫烫烫`, runs of U+FFFD) the
    /// mojibake pass found (left in place, or removed with
    /// [`MojibakeOptions::drop_unrecoverable`]).
    #[serde(skip_serializing_if = "is_zero")]
    pub unrecoverable: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One repair: a span of the pass's input replaced.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Repair {
    /// Start of the damaged span, in code points into the pass's input (for a repair
    /// made by a later run of a pass, into the text the earlier runs left).
    pub start: usize,
    /// End (exclusive) of the damaged span, in code points.
    pub end: usize,
    /// What kind of damage: a mojibake chain such as `utf8>gbk`, or an artifact kind
    /// such as `entity`, `pinyin-gloss`. Borrowed for the fixed names (every kind but a
    /// chain of several Latin layers, `utf8>cp1252>utf8>cp1252`), so that a repair
    /// allocates only its two texts.
    pub kind: Cow<'static, str>,
    /// The original (damaged) text of the span.
    pub before: String,
    /// The text that replaced it.
    pub after: String,
    /// How sure the repair is, from 0 to 1.
    pub confidence: f32,
}

impl RepairReport {
    /// True when nothing was repaired.
    pub fn is_empty(&self) -> bool {
        self.repairs.is_empty() && self.normalised.is_zero() && self.unrecoverable == 0
    }

    /// Appends the report of a later run over this run's output: its repairs after
    /// these (their spans refer to that run's input), its counts added.
    pub fn append(&mut self, mut later: RepairReport) {
        self.repairs.append(&mut later.repairs);
        self.unrecoverable += later.unrecoverable;
        let (n, m) = (&mut self.normalised, later.normalised);
        n.line_breaks += m.line_breaks;
        n.lines_trimmed += m.lines_trimmed;
        n.blank_lines_removed += m.blank_lines_removed;
        n.width += m.width;
    }
}

impl Repairer {
    /// A repairer with both passes on.
    pub fn new() -> Repairer {
        Repairer::with_options(RepairOptions::new())
    }

    /// A repairer with the given options.
    pub fn with_options(options: RepairOptions) -> Repairer {
        Repairer { options }
    }

    /// The options this repairer was built with.
    pub fn options(&self) -> &RepairOptions {
        &self.options
    }

    /// Repairs one document: mojibake first, then web artifacts. Borrowed when nothing
    /// changed.
    ///
    /// When the artifact pass changed something the mojibake pass looks at (say, removed
    /// controls between two characters), the text it leaves can hold mojibake the first
    /// pass could not see, so both passes run again, up to four rounds in all (whitespace at line edges, CR LF
    /// and blank lines do not count: the mojibake pass ignores them); this keeps repair
    /// idempotent
    /// (`repair(repair(x)) == repair(x)`, pinned by `tests/properties.rs`).
    pub fn repair<'t>(&self, text: &'t str, report: &mut RepairReport) -> Cow<'t, str> {
        let mut cur = Cow::Borrowed(text);
        // The lines the mojibake pass looks at in this round (`None`: all of them).
        let mut only: Option<Vec<Range<usize>>> = None;
        for round in 0..ROUNDS {
            // The lines a further run of the mojibake pass would look at, when the
            // round's runs end (`None`: all).
            let mut pending = Some(Vec::new());
            if let Some(o) = &self.options.mojibake {
                // A repair can make another one acceptable (it brings CJK context into
                // the line, or frees it from a competing chain), so the pass runs again
                // on what it changed, up to MOJIBAKE_PASSES times; text it leaves alone
                // is looked at once: a rerun looks only at the lines the run before it
                // changed and did not leave settled (lines are decided independently;
                // see `mojibake::repair_lines`). The Latin pass then looks at the lines
                // this pass did not repair; the lines it changed are looked at again too
                // ([`lines_to_rerun`]).
                for pass in 0..MOJIBAKE_PASSES {
                    let mut lines = Vec::new();
                    let mut latin_changed = false;
                    let mut rerun = None;
                    cur = crate::chain_stage(cur, |t| {
                        let first = report.repairs.len();
                        let out = mojibake::repair_lines(t, o, report, only.as_deref(), &mut lines);
                        // The unsettled lines, by number, before the Latin pass moves them
                        // (the mojibake pass keeps every line break).
                        debug_assert_eq!(line_count(&out), line_count(t));
                        let unsettled = line_numbers(&out, &lines);
                        let (out, skip, redone) = redo_latin_lines(t, out, first, report);
                        latin_changed = redone;
                        let out = if !latin::may_apply(&out) {
                            out
                        } else {
                            let skip = skip.unwrap_or_else(|| {
                                repaired_lines(t, report.repairs.get(first..).unwrap_or(&[]))
                            });
                            match latin::repair(&out, &skip, report) {
                                Cow::Borrowed(_) => out,
                                Cow::Owned(next) => {
                                    latin_changed = true;
                                    Cow::Owned(next)
                                }
                            }
                        };
                        if latin_changed {
                            rerun = unsettled.and_then(|u| lines_to_rerun(t, &out, &u));
                        }
                        out
                    });
                    let next = if latin_changed {
                        rerun
                    } else if lines.iter().any(|r| r.end == usize::MAX) {
                        None
                    } else {
                        Some(lines)
                    };
                    if next.as_ref().is_some_and(|n| n.is_empty()) {
                        break;
                    }
                    if pass + 1 == MOJIBAKE_PASSES {
                        pending = next;
                    } else {
                        only = next;
                    }
                }
            }
            let mut visible = false;
            let mut rerun = None;
            // Lines the mojibake pass left unsettled after its last run: the next round
            // goes on with them, whatever the artifact pass does.
            let unfinished = pending.as_ref().is_some_and(|p| !p.is_empty());
            if let Some(o) = &self.options.artifacts {
                cur = crate::chain_stage(cur, |t| {
                    let (out, v) = artifacts::repair_tracked(t, o, report);
                    visible = v;
                    // The next round looks at what the artifact pass changed, and at
                    // what the mojibake pass left unfinished.
                    if v || unfinished {
                        rerun = pending
                            .as_deref()
                            .and_then(|p| line_numbers(t, p))
                            .and_then(|p| lines_to_rerun(t, &out, &p));
                    }
                    out
                });
            }
            if !(visible || unfinished) || self.options.mojibake.is_none() || round + 1 == ROUNDS {
                break;
            }
            only = if self.options.artifacts.is_some() {
                rerun
            } else {
                pending
            };
        }
        cur
    }
}

/// How many lines `s` has (`\n` count).
fn line_count(s: &str) -> usize {
    memchr::memchr_iter(b'\n', s.as_bytes()).count()
}

/// The numbers (from 0, in order, each once) of the lines of `text` that the byte
/// ranges `ranges` (in order) touch; `None` when one of them is the mojibake pass's
/// `0..usize::MAX` (look at the whole text).
fn line_numbers(text: &str, ranges: &[Range<usize>]) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    let (mut numbers, mut line, mut at) = (Vec::new(), 0usize, 0usize);
    for r in ranges {
        if r.end == usize::MAX {
            return None;
        }
        // Lines before the range's start, then those it covers.
        let start = r.start.min(bytes.len());
        line += memchr::memchr_iter(b'\n', bytes.get(at..start).unwrap_or(&[])).count();
        at = start;
        let last = r.end.max(r.start + 1).min(bytes.len());
        let covered = memchr::memchr_iter(b'\n', bytes.get(start..last - 1).unwrap_or(&[])).count();
        for k in line..=line + covered {
            if numbers.last().is_none_or(|&l| l < k) {
                numbers.push(k);
            }
        }
    }
    Some(numbers)
}

/// The byte ranges of `after`, in order, of the lines a later run of the mojibake pass
/// must look at after a pass that turned `before` into `after` without adding or
/// removing a line: those that differ from the line of `before` in the same place, and
/// those numbered in `also` (in order). `None` (look at everything) when the two texts
/// have different numbers of lines, or when one of those lines is longer than the
/// mojibake pass's long-line limit (it looks at such a line in windows, not whole).
fn lines_to_rerun(before: &str, after: &str, also: &[usize]) -> Option<Vec<Range<usize>>> {
    if line_count(before) != line_count(after) {
        return None;
    }
    let mut ranges = Vec::new();
    let mut also = also.iter().peekable();
    let mut at = 0usize;
    for (k, (b, a)) in before
        .split_inclusive('\n')
        .zip(after.split_inclusive('\n'))
        .enumerate()
    {
        let listed = also.next_if_eq(&&k).is_some();
        if listed || a != b {
            if a.len() > mojibake::LONG_LINE {
                return None;
            }
            ranges.push(at..at + a.len());
        }
        at += a.len();
    }
    Some(ranges)
}

/// Whether `line` is, as a whole, UTF-8 read as windows-1252: it encodes in windows-1252,
/// those bytes are valid UTF-8 with at least two multi-byte sequences, and the decoded
/// text holds no CJK character and letters of at most one script from IPA to Arabic
/// (see [`other_scripts`]). UTF-8 checks itself: GBK or Big5 text read as Latin-1
/// rarely forms even one valid sequence per character, let alone a whole line of them;
/// when it does, the letters are a jumble of scripts (`Ð¡Ê±` is `小时`, not `Сʱ`).
fn utf8_read_as_cp1252(line: &str) -> bool {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(line);
    if unmappable {
        return false;
    }
    let leads = bytes.iter().filter(|&&b| b >= 0xC0).count();
    // IPA and spacing modifier letters are rare in running text: two or three
    // characters that read as one of them beside a Latin letter (`Ä£Ê½` is `ģʽ`, and
    // GBK's `模式`) are too little evidence.
    match std::str::from_utf8(&bytes) {
        Ok(s) => {
            leads >= 2
                && !s.chars().any(latin::is_cjk)
                && other_scripts(s) <= 1
                && (leads > 3 || !s.chars().any(ipa_or_modifier))
        }
        Err(_) => false,
    }
}

/// How many of these scripts `s` has letters of: IPA and spacing modifier letters
/// (U+0250..U+02FF), Greek, Cyrillic, Armenian, Hebrew, Arabic.
fn other_scripts(s: &str) -> u32 {
    const IPA_GREEK_CYRILLIC_ARMENIAN_HEBREW_ARABIC: u32 = 0b11_1111;
    let seen = s.chars().fold(0, |seen, c| seen | script_bit(c));
    (seen & IPA_GREEK_CYRILLIC_ARMENIAN_HEBREW_ARABIC).count_ones()
}

/// The block of alphabetic script `c` is in, as one bit: IPA and spacing modifier
/// letters (U+0250..U+02FF) 1, Greek 2, Cyrillic 4, Armenian 8, Hebrew 16, Arabic 32,
/// Latin-1 and Latin Extended letters (U+00C0..U+024F) 64, Syriac to NKo
/// (U+0700..U+07FF) 128, the Indic scripts (U+0900..U+0DFF) 256; 0 for the rest.
pub(crate) fn script_bit(c: char) -> u32 {
    match c as u32 {
        _ if ipa_or_modifier(c) => 1,
        0x370..=0x3FF => 2,
        0x400..=0x52F => 4,
        0x530..=0x58F => 8,
        0x590..=0x5FF => 16,
        0x600..=0x6FF => 32,
        0xC0..=0x24F => 64,
        0x700..=0x7FF => 128,
        0x900..=0xDFF => 256,
        _ => 0,
    }
}

/// IPA extensions and spacing modifier letters (U+0250..=U+02FF).
fn ipa_or_modifier(c: char) -> bool {
    ('\u{250}'..='\u{2FF}').contains(&c)
}

/// Whether `line` holds a lower-case Latin-1 letter between two ASCII lower-case
/// letters (`Système`): a byte that no UTF-8, GBK or Big5 sequence leaves alone inside
/// a word, so the line is European text in its own right. (An upper-case one there is
/// no European spelling but a Big5 lead byte between two ASCII trail bytes: `¹aÁn` is
/// `鈴聲`.)
fn lone_latin1_letter(line: &str) -> bool {
    let (mut a, mut b) = (' ', ' ');
    line.chars().any(|c| {
        let hit =
            a.is_ascii_lowercase() && c.is_ascii_lowercase() && matches!(b, 'ß'..='ÿ') && b != '÷';
        (a, b) = (b, c);
        hit
    })
}

/// After the CJK mojibake pass turned `t` into `out` (its repairs from
/// `report.repairs[first..]`): each repaired line with no CJK character before that pass
/// is done again from `t` by the Latin pass when it is UTF-8 read as windows-1252 as a
/// whole (see [`utf8_read_as_cp1252`]), and left as it was in `t` when the badness test
/// finds nothing implausible in it and it holds a lone Latin-1 letter inside a word
/// (see [`lone_latin1_letter`]); failing that, a
/// line with no CJK character after the CJK pass either is left as it was in `t` when
/// the Latin pass's badness test finds nothing implausible in it, or finds it mostly
/// damaged beyond repair ([`latin::Verdict::Beyond`])
/// (the CJK pass's partial fixes of European text, `Ã§`→`ç` beside an `Ã s` it
/// cannot see, and its C1 clean-ups would hide the whole-line evidence); the CJK
/// pass's repairs of those lines are replaced by the Latin pass's. Returns the text, the
/// indices of all lines the CJK pass repaired (for the Latin pass to skip; `None` when
/// no line was redone and they were not needed: [`repaired_lines`] of `t` and the
/// pass's repairs gives them) and whether any line was redone.
fn redo_latin_lines<'t>(
    t: &str,
    out: Cow<'t, str>,
    first: usize,
    report: &mut RepairReport,
) -> (Cow<'t, str>, Option<Vec<usize>>, bool) {
    let repairs = report.repairs.get(first..).unwrap_or(&[]);
    // Only a repaired line without CJK is redone; a repair's damaged text lies in its
    // line, so when every repair's text has CJK there is none.
    if repairs.iter().all(|r| r.before.chars().any(latin::is_cjk)) {
        return (out, None, false);
    }
    let lines = repaired_lines(t, repairs);
    let newlines = |s: &str| memchr::memchr_iter(b'\n', s.as_bytes()).count();
    if lines.is_empty() || newlines(t) != newlines(&out) {
        return (out, Some(lines), false);
    }
    let mut new: Option<String> = None;
    let mut base = 0usize; // code points of `t` before the line
    let mut next = lines.iter().peekable();
    for (i, (tl, ol)) in t.split('\n').zip(out.split('\n')).enumerate() {
        let n = tl.chars().count();
        let mut line = Cow::Borrowed(ol);
        if next.next_if_eq(&&i).is_some() && !tl.chars().any(latin::is_cjk) {
            let to_cjk = ol.chars().any(latin::is_cjk);
            let core = tl.trim_start_matches(latin::is_edge_space);
            let lead = &tl[..tl.len() - core.len()];
            let core = core.trim_end_matches(latin::is_edge_space);
            let tail = &tl[lead.len() + core.len()..];
            let mut rep = RepairReport::default();
            let at = base + lead.chars().count();
            // A line of European text whose characters all look plausible is not
            // mojibake: the CJK pass's repair of it (`AHÅ™` → `AHř`) is undone.
            // A line the CJK pass turned into hanzi (`cafÃ©` → `caf矇`, Big5 read as
            // Latin-1) is the Latin pass's only when the whole line is UTF-8 read as
            // windows-1252 (see `utf8_read_as_cp1252`).
            let fixed = if to_cjk {
                if utf8_read_as_cp1252(core) {
                    latin::repair_core(core, at, &mut rep)
                } else if latin::looks_clean(core) && lone_latin1_letter(core) {
                    // European text (`Système virtualisé\u{a0}»`: `é\u{a0}»` is also
                    // the UTF-8 of `頻`) stays as it was.
                    Some(core.to_string())
                } else {
                    None
                }
            } else if latin::looks_clean(core) {
                Some(core.to_string())
            } else {
                // A line the Latin pass finds mostly damaged beyond repair keeps no
                // partial repair either (`ã†â€™…`, lower-cased layers).
                match latin::verdict(core, at, &mut rep) {
                    latin::Verdict::Repaired(s) => Some(s),
                    latin::Verdict::Beyond => Some(core.to_string()),
                    latin::Verdict::Leave => None,
                }
            };
            if let Some(fixed) = fixed {
                let end = base + n;
                let mut k = first;
                while k < report.repairs.len() {
                    if (base..=end).contains(&report.repairs[k].start) {
                        report.repairs.remove(k);
                    } else {
                        k += 1;
                    }
                }
                report.repairs.append(&mut rep.repairs);
                line = Cow::Owned(format!("{lead}{fixed}{tail}"));
            }
        }
        if let Cow::Owned(_) = line {
            if new.is_none() {
                // Copy the lines before this one.
                let before: usize = out.split('\n').take(i).map(|l| l.len() + 1).sum();
                new = Some(out.get(..before).unwrap_or("").to_string());
            }
        }
        if let Some(s) = new.as_mut() {
            s.push_str(&line);
            s.push('\n');
        }
        base += n + 1;
        if next.peek().is_none() && new.is_none() {
            break;
        }
    }
    match new {
        Some(mut s) => {
            s.pop(); // the '\n' after the last line
            (Cow::Owned(s), Some(lines), true)
        }
        None => (out, Some(lines), false),
    }
}

/// Indices (0-based, counted by `\n`, sorted) of the lines of `text` that hold the
/// start of one of `repairs` (offsets in code points into `text`).
fn repaired_lines(text: &str, repairs: &[Repair]) -> Vec<usize> {
    if repairs.is_empty() {
        return Vec::new();
    }
    let mut starts: Vec<usize> = repairs.iter().map(|r| r.start).collect();
    starts.sort_unstable();
    let mut lines = Vec::new();
    let mut next = starts.iter().peekable();
    // A start at code point `s` is in the line holding character `s` (its `\n` included);
    // one past the end of the text, in the last line.
    let mut cp_end = 0usize; // code points up to this line's `\n` (included)
    let mut line = 0usize;
    for (k, l) in text.split('\n').enumerate() {
        line = k;
        cp_end += l.chars().count() + 1;
        while next.next_if(|&&s| s < cp_end).is_some() {
            if lines.last() != Some(&k) {
                lines.push(k);
            }
        }
        if next.peek().is_none() {
            break;
        }
    }
    if next.peek().is_some() && lines.last() != Some(&line) {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mojibake made here: UTF-8 bytes of `s` read by the WHATWG GBK decoder.
    fn utf8_as_gbk(s: &str) -> String {
        encoding_rs::GBK
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    }

    /// Pins the rule that lets the repair stage skip its second round after
    /// whitespace-only fixes: the mojibake pass decides the same on a line and on the
    /// line with ASCII space, tab and CR at its edges (which the artifact pass trims).
    #[test]
    fn mojibake_pass_ignores_ascii_edge_whitespace() {
        let lines = [
            "我们今天去北京参观了博物馆。",
            "这个问题的答案并不简单",
            "软件包的维护者负责更新",
            "请在命令行中输入以下内容",
        ];
        let o = MojibakeOptions::default();
        for line in lines {
            let bad = utf8_as_gbk(line);
            let mut r0 = RepairReport::default();
            let core = mojibake::repair(&bad, &o, &mut r0).into_owned();
            for (lead, tail) in [("  ", " \t"), ("\t", "\r"), ("", "   "), (" ", "")] {
                let padded = format!("{lead}{bad}{tail}\n");
                let mut r1 = RepairReport::default();
                let out = mojibake::repair(&padded, &o, &mut r1);
                assert_eq!(out, format!("{lead}{core}{tail}\n"), "{padded:?}");
                assert_eq!(r1.repairs.len(), r0.repairs.len(), "{padded:?}");
                for (a, b) in r1.repairs.iter().zip(&r0.repairs) {
                    assert_eq!((a.start, a.end), (b.start + lead.len(), b.end + lead.len()));
                    assert_eq!((&a.before, &a.after), (&b.before, &b.after));
                }
            }
        }
    }

    /// Repair stays idempotent when the artifact pass only trims ASCII whitespace after
    /// a repair the first round could not finish (a lost byte before a trailing space).
    #[test]
    fn repair_idempotent_after_whitespace_only_fixes() {
        let r = Repairer::new();
        for line in ["北京欢迎你 ", "你好世界 \t", "中文编码问题  "] {
            let bad = utf8_as_gbk(line) + "\r\n\n\n" + &utf8_as_gbk(line) + "  ";
            let mut rep = RepairReport::default();
            let once = r.repair(&bad, &mut rep).into_owned();
            let mut rep2 = RepairReport::default();
            let twice = r.repair(&once, &mut rep2);
            assert_eq!(twice, once, "{bad:?}");
        }
    }

    /// Repair stays idempotent when the mojibake pass leaves a line unsettled after its
    /// last run of a round and the artifact pass then changes nothing visible: the next
    /// round goes on with the line (fuzzer find: the second repair turned
    /// `Ò•*m--ÒÂ` into `視*m--衣`).
    #[test]
    fn repair_idempotent_when_the_mojibake_pass_leaves_a_line_unsettled() {
        let r = Repairer::new();
        let bad = "6て¥¥v**ŵµ¥v**-ŵµ\x00¥¥\u{95}*\x0cm--Ò\x00\u{95}*m--ÒÂv*åÂ \x18В¥§v**-ŵµ\x00¦\u{ad}å¥¥v&*åÂ \x18В\u{95}* ?Â?¥¥\r([6";
        let once = r.repair(bad, &mut RepairReport::default()).into_owned();
        let twice = r.repair(&once, &mut RepairReport::default());
        assert_eq!(twice, once, "{bad:?}");
    }
}

#[cfg(test)]
mod long_line_tests {
    use super::*;

    /// Cost bound (issue #7): a document without line breaks is looked at in windows
    /// around each suspect, and a damaged span inside it is still repaired.
    #[test]
    fn mojibake_in_a_long_line_without_breaks_is_repaired() {
        let clean = "今天天气很好，我们一起去公园散步。".repeat(6_000);
        let span = "这是一段被错误解码的文字";
        let bad = encoding_rs::GBK
            .decode_without_bom_handling(span.as_bytes())
            .0
            .into_owned();
        for at in [0, clean.len() / 2, clean.len()] {
            let text = format!("{}{bad}{}", &clean[..at], &clean[at..]);
            let mut report = RepairReport::default();
            let out = Repairer::new().repair(&text, &mut report);
            // The last character may be a guess (its final byte pairs with the next
            // character's first), so the check is on the rest of the span.
            assert!(
                out.contains("这是一段被错误解码的文"),
                "at {at}: {report:?}"
            );
            assert_eq!(out.len(), clean.len() + span.len(), "at {at}");
        }
    }
}
