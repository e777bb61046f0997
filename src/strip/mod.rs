//! Stage 2: strip boilerplate lines.
//!
//! The stripper decides, for every line of a document, keep or drop, and keeps the kept
//! lines verbatim (byte-identical, same order). It works on text already pulled out of
//! HTML, so it has no tags and no link density; in their place it uses:
//!
//! 1. **Line features counted in CJK characters**: Han characters, Latin letters and
//!    digits (a third of a Han character each), sentence and clause punctuation, Han
//!    function characters, breadcrumb arrows, menu bars, links.
//! 2. **A boilerplate lexicon with position rules**, simplified and traditional alike:
//!    field labels at the head of a line (`责任编辑`, `来源：`, `发布时间`, `免责声明`),
//!    widget words in short lines (`分享至`, `扫一扫`, `登录`, `打印`, `加载更多`), licence
//!    furniture anywhere short of prose (`ICP备`, `公网安备`, `版权所有`), and section
//!    headers that end the article (`相关推荐`, `网友评论`).
//! 3. **Shapes**: `>`/`|` breadcrumbs and menus, date-only and source-plus-date lines,
//!    headline + source + timestamp feeds, digit-only lines, phone numbers, bare links.
//! 4. **Repetition**: a weak line repeated within the document; a line seen in earlier
//!    documents of the same site (see [`LineHistory`]).
//! 5. **The content region**: nothing weak before the first content line (except the
//!    title) and nothing after a terminating marker (`相关推荐`, `责任编辑`, `网友评论`) once
//!    content has been seen, unless a strong block of prose resumes (at least 200
//!    units in three or more lines, half of them ending a sentence, one of them a
//!    paragraph of 50+ units: a list of question headlines is not prose).
//!    The main block is the heaviest run of content lines (joined across gaps of at most
//!    three lines, never across a terminator); other blocks stay when they read as prose.
//!    The main block then grows over neighbouring blocks when everything between is
//!    *soft* however long the run: short or medium lines that are not linked headlines,
//!    lines dropped on their own only as repeated, digits or symbols, sub-headings with a
//!    minor widget word, and dated entries with words (`第一场：12月11日下午1:30-3:30`). A
//!    list, a table or an agenda inside the article does not end it. A neighbour made only
//!    of linked headlines (`【…】`, `…`, `标题(123)`) is never joined. A table that runs on
//!    past the last kept block before the cut (at least three soft lines, a third of them
//!    repeated in the document and some repeating a line of the block: the table's
//!    recurring cells) continues the block up to the first line that is not soft.
//! 6. **Conservative smoothing**: a short line (a sub-heading, a signature, the tail of a
//!    wrapped paragraph) is kept only between content lines, with no boilerplate between.
//!    Inside a kept block, a line condemned only by a widget word covering under a third
//!    of it (`关注点多与专业相关`) is a sub-heading and stays, and so does a digits or
//!    symbols line between the block's lines that is at most 16 bytes long (`[1]`, a
//!    footnote), draws with box-drawing characters (a flowchart) or ends a sentence (a
//!    blank to fill in, `＿＿＿＿。`). An official signature after a block (an issuer
//!    line and a `YYYY年M月D日` date, possibly after a closing formula) is kept, whatever
//!    follows it (an attachment).
//! 7. **Title**: the nearest headline-like line above the first kept content line, and a
//!    headline directly above its byline (a dated source or time line) within ten lines
//!    above the first kept content line or the main block.
//! 8. **Encyclopedia articles**: a document with at least three section headings that end
//!    in an edit link (`生平[编辑]`, `[編輯]`, `[编辑源代码]`, `[edit]`) is an
//!    encyclopedia article, whose infobox, contents list, tables and lists are part of
//!    the text. Its body runs from the first content line through the last section (the
//!    lines after the last heading up to the first hard line, at most 40): there, every
//!    line stays except hard boilerplate (a lexicon hit other than a minor widget word, a
//!    legal notice, a breadcrumb, a bare link, a field list, a line seen on earlier pages
//!    of the site), and a repeated line (a table's header row) stays once.
//!
//! Label lines (`记者：`, `摘要：`) that go on into a whole sentence ending in sentence
//! punctuation (an interview question) are content, unless the label ends an article
//! (`责任编辑`, `免责声明`) or the line is a legal notice. Latin lexicon words match only
//! as whole words (`APP` is not in `Happy`). Three or more consecutive entries that each
//! carry a date and a clock time among their words and do not end a sentence (a forum's
//! thread list) are a feed.
//!
//! Feeds, repetition and steps 5 to 8 judge a line by the lines around it, so dropping
//! lines can change the verdict on those that stay. After a round that drops lines, the
//! kept lines are judged again among themselves (each line's own class is computed once),
//! until a round drops nothing (at most six rounds; a page usually needs two, one that
//! drops and one that confirms). The output is then what stripping it again keeps:
//! stripping is idempotent.
//!
//! Lines longer than 192 bytes are judged on their first 192 bytes (about 64 Han
//! characters), their weight extrapolated to the full length: the per-line cost is
//! bounded, so the stage runs in time linear in the document with a small constant.
//!
//! # Output
//!
//! Kept lines are copied verbatim with their own line terminators. Between two kept
//! lines, the original lines are kept as they are when none of them was dropped (they are
//! then all blank); when some line between them was dropped, a single blank line is kept
//! if there was one, and nothing otherwise. Blank runs before the first or after the
//! last kept line are dropped with the dropped lines around them. The output ends with a
//! line terminator only when the input did. When no line is dropped the input is returned
//! borrowed; when every line is dropped the output is empty.
//!
//! A document without a single content line is all boilerplate when at least one of its
//! lines is positively boilerplate (a lexicon hit, a shape, a feed): then every line goes.
//! Without such evidence (a title alone, a one-line message) it is left as it is.
//!
//! # Report
//!
//! [`StripReport::dropped`] lists every dropped non-blank line (zero-based line number in
//! the stage's input, counting `\n`-terminated lines) with a short reason:
//!
//! | reason | meaning |
//! |---|---|
//! | `lexicon:ENTRY` | a lexicon entry under its position rule (`lexicon:责任编辑`; traditional text is matched in simplified form, so `責任編輯` is reported as `lexicon:责任编辑` too) |
//! | `legal` | a copyright or reprint notice about the site itself |
//! | `crumb` | a breadcrumb (`首页 > 新闻 > 正文`) |
//! | `menu` | a run of short items split by bars, brackets or spaces |
//! | `timestamp` | a date/time line, or a short source + date line |
//! | `feed` | part of a headline + source + timestamp feed |
//! | `digits` / `symbols` | no Han or Latin letters |
//! | `link` | a bare URL |
//! | `contact` | a phone number line |
//! | `repeated` | a weak line that occurs more than once in the document |
//! | `site-repeated` | a line seen in earlier documents of the same site (hints) |
//! | `before-content` | a weak line before the first content line |
//! | `after-terminator` | a line after a terminating marker |
//! | `after-content` | a weak line after the last content line |
//! | `short-weak` | a short line inside the content that smoothing did not rescue |
//! | `isolated` | a content-like line far from the main content |
//!
//! Blank lines are never listed.
//!
//! # Cross-document repetition
//!
//! [`Stripper::strip`] looks at one document alone. Lines that recur across the
//! documents of one site (CCNet's strongest signal) need a sequential pass: feed every
//! document, in input order, to one [`LineHistory`] (cheap: it hashes lines), and pass the
//! [`RepeatHints`] it returns along with the document to [`Stripper::strip_with_hints`],
//! on any thread. The result does not depend on the number of threads.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

mod features;
mod history;
mod lexicon;

pub use history::{HistoryOptions, LineHistory, RepeatHints};

use features::{Features, Stamp};
use lexicon::{Lexicon, Rule};

/// Options of the strip stage.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StripOptions {
    /// Keep the article title (the headline-like line just above the first content line).
    pub keep_title: bool,
    /// Drop weak lines after a terminating marker (`相关推荐`, `责任编辑`, `网友评论`).
    pub terminators: bool,
}

impl Default for StripOptions {
    fn default() -> StripOptions {
        StripOptions {
            keep_title: true,
            terminators: true,
        }
    }
}

/// The strip stage.
#[derive(Debug, Default)]
pub struct Stripper {
    options: StripOptions,
}

/// What the strip stage did to one document.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct StripReport {
    /// Each dropped line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<DroppedLine>,
}

/// One dropped line.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DroppedLine {
    /// Zero-based line number in the stage's input.
    pub line: usize,
    /// Why it was dropped, e.g. `lexicon:责任编辑`.
    pub reason: String,
}

impl StripReport {
    /// True when no line was dropped.
    pub fn is_empty(&self) -> bool {
        self.dropped.is_empty()
    }
}

/// A small fast hasher for line keys (FxHash-style; no DoS concern: keys are one
/// document's lines, used only for counting).
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Why a line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    Lexicon(&'static str),
    Fixed(&'static str),
}

impl Reason {
    fn text(self) -> String {
        match self {
            Reason::Lexicon(e) => {
                let mut s = String::with_capacity(8 + e.len());
                s.push_str("lexicon:");
                s.push_str(e);
                s
            }
            Reason::Fixed(s) => s.to_string(),
        }
    }
}

/// The class of one line before context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Blank,
    Bad(Reason),
    Short,
    Medium,
    Good,
}

/// One line of the document.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Byte range of the content (without the terminator).
    start: usize,
    end: usize,
    /// Byte offset just past the terminator.
    next: usize,
    class: Class,
    /// The class from the line alone (before repetition, feeds and context).
    base: Class,
    w: u32,
    end_punct: u32,
    punct: u32,
    terminator: bool,
    /// Ends with sentence punctuation (or a closing quote after it).
    ends: bool,
    /// Looks like a linked headline: starts with a bracket tag or ends in a truncation.
    teaser: bool,
    /// Han function characters.
    func: u32,
    /// A weak line that occurs more than once in the document.
    rep: bool,
    /// Dropped only for a widget word that covers little of the line: kept inside the
    /// article's blocks, and soft between them.
    minor: bool,
    /// Holds at least four digits (a date, in a byline).
    dated: bool,
    /// Holds a date and a clock time among other words (a feed or forum-list entry).
    clock: bool,
    /// Holds breadcrumb arrows or menu bars (never a headline).
    nav: bool,
    /// Nothing but a `YYYY年M月D日` date.
    cn_date: bool,
    /// Nothing but a date and/or time.
    stamp: bool,
    /// A symbols line that draws (box-drawing characters) or ends a sentence (a blank to
    /// fill in, `＿＿＿＿。`): part of a figure or an exercise inside the article.
    figure: bool,
    /// A section heading of an encyclopedia article (`生平[编辑]`, see [`edit_section`]).
    section: bool,
    /// Identity of the trimmed line for repetition counting (see [`line_key`]).
    key: u64,
    /// Final decision: `None` = keep.
    drop: Option<Reason>,
}

impl Stripper {
    /// A stripper with default options.
    pub fn new() -> Stripper {
        Stripper::with_options(StripOptions::default())
    }

    /// A stripper with the given options.
    pub fn with_options(options: StripOptions) -> Stripper {
        Stripper { options }
    }

    /// The options this stripper was built with.
    pub fn options(&self) -> &StripOptions {
        &self.options
    }

    /// Strips one document. Borrowed when nothing was dropped.
    pub fn strip<'t>(&self, text: &'t str, report: &mut StripReport) -> Cow<'t, str> {
        self.strip_with_hints(text, &RepeatHints::default(), report)
    }

    /// Strips one document using cross-document repetition hints from a [`LineHistory`]
    /// that observed this same text. With empty hints this is [`Stripper::strip`].
    pub fn strip_with_hints<'t>(
        &self,
        text: &'t str,
        hints: &RepeatHints,
        report: &mut StripReport,
    ) -> Cow<'t, str> {
        let mut lines = split_lines(text);
        if lines.is_empty() {
            return Cow::Borrowed(text);
        }
        self.classify(text, &mut lines, hints);
        let dropped = lines.iter().filter(|l| l.drop.is_some()).count();
        report.dropped.reserve(dropped);
        let mut any = false;
        for (i, l) in lines.iter().enumerate() {
            if let Some(r) = l.drop {
                any = true;
                report.dropped.push(DroppedLine {
                    line: i,
                    reason: r.text(),
                });
            }
        }
        if !any {
            return Cow::Borrowed(text);
        }
        Cow::Owned(assemble(text, &lines))
    }

    fn classify(&self, text: &str, lines: &mut [Line], hints: &RepeatHints) {
        let lex = Lexicon::get();
        // 1. Per-line classes.
        for l in lines.iter_mut() {
            let s = &text[l.start..l.end];
            let t = trim(s);
            if t.is_empty() {
                l.class = Class::Blank;
                continue;
            }
            l.key = line_key(t);
            // Long lines are judged on their head: past ANALYSED units a line is prose or
            // not on the strength of what came before; its weight is extrapolated.
            let (head, scale) = analysed_head(s);
            let f = features::features(head);
            l.w = scale.apply(f.weight());
            l.end_punct = f.end_punct;
            l.punct = f.punct() + f.inner_spaces.min(3);
            l.ends = ends_sentence(t);
            let (class, term) = line_class(
                head,
                scale.whole as usize,
                l.ends,
                &f,
                l.w,
                lex,
                &mut l.minor,
            );
            l.class = class;
            l.terminator = term;
            l.teaser = teaser(t);
            l.func = scale.apply(f.function);
            l.dated = f.digits >= 4;
            l.nav = f.arrows + f.bars > 0;
            l.clock = f.digits >= 5
                && !l.ends
                && !matches!(class, Class::Bad(_))
                && features::inline_datetime(head);
            l.cn_date = f.digits >= 4 && cn_date(t);
            l.stamp = f.digits >= 4 && features::stamp(head) == Stamp::Only;
            l.section = scale.whole as usize <= ANALYSED && edit_section(t);
            l.figure = l.class == Class::Bad(Reason::Fixed("symbols"))
                && (l.ends || head.chars().any(|c| matches!(c, '\u{2500}'..='\u{257F}')));
        }
        // The non-blank lines: every later step sees only these.
        let mut nb = Vec::with_capacity(lines.len());
        nb.extend((0..lines.len()).filter(|&i| lines[i].class != Class::Blank));
        for &i in &nb {
            lines[i].base = lines[i].class;
        }
        // The verdicts depend on the lines around; once some are dropped, the survivors
        // are decided again among themselves, until a round drops nothing more. What is
        // kept is then exactly what stripping the output again keeps (idempotence, when
        // that happens within MAX_ROUNDS rounds; a page usually needs two: one that drops
        // and one that confirms).
        let mut counts: HashMap<u64, u32, BuildHasherDefault<FxHasher>> =
            HashMap::with_capacity_and_hasher(nb.len(), Default::default());
        for round in 1..=MAX_ROUNDS {
            self.decide(text, lines, &nb, hints, &mut counts);
            let before = nb.len();
            nb.retain(|&i| lines[i].drop.is_none());
            if nb.len() == before || nb.is_empty() || round == MAX_ROUNDS {
                break;
            }
            for &i in &nb {
                let l = &mut lines[i];
                l.class = l.base;
                l.rep = false;
            }
        }
    }

    /// Steps 2-4 of [`Stripper::classify`] over the non-blank lines `nb`: repetition,
    /// feeds and context; sets `drop` on each line of `nb`.
    fn decide(
        &self,
        text: &str,
        lines: &mut [Line],
        nb: &[usize],
        hints: &RepeatHints,
        counts: &mut HashMap<u64, u32, BuildHasherDefault<FxHasher>>,
    ) {
        // 2. Repetition within the document and across documents.
        counts.clear();
        for &i in nb {
            *counts.entry(lines[i].key).or_insert(0) += 1;
        }
        for &i in nb {
            let l = &mut lines[i];
            let n = counts.get(&l.key).copied().unwrap_or(0);
            match l.class {
                Class::Short | Class::Medium if n >= 2 && l.w >= 1 => l.rep = true,
                Class::Good if n >= 3 => l.class = Class::Bad(Reason::Fixed("repeated")),
                _ => {}
            }
            if !hints.is_empty()
                && !matches!(l.class, Class::Blank | Class::Bad(_))
                && hints.contains(&text[l.start..l.end])
            {
                l.class = Class::Bad(Reason::Fixed("site-repeated"));
            }
        }
        // 3. Feeds: chains of timestamp lines with short items between.
        mark_feeds(lines, nb);
        // 4. Context: region, terminators, smoothing, title.
        self.context(lines, nb);
    }

    fn context(&self, lines: &mut [Line], nb: &[usize]) {
        promote_dense_runs(lines, nb);
        let first_good = nb.iter().position(|&i| lines[i].class == Class::Good);
        let Some(first_good) = first_good else {
            // No content line. Without any boilerplate evidence either (a title, a short
            // message, a single word) the text is left alone; otherwise the page is
            // furniture and everything goes.
            if nb.iter().all(|&i| !matches!(lines[i].class, Class::Bad(_))) {
                return;
            }
            for &i in nb {
                lines[i].drop = Some(match lines[i].class {
                    Class::Bad(r) => r,
                    _ => Reason::Fixed("short-weak"),
                });
            }
            return;
        };
        // Blocks: Good lines joined across gaps of at most GAP non-blank lines, never
        // across a terminating marker.
        const GAP: usize = 3;
        // A block after the cut is kept only if it is real prose of this size.
        const RESTART: u32 = 300;
        const RESTART_MIN: u32 = 200;
        // ... with at least one paragraph this long (a list of headlines is not prose).
        const RESTART_LINE: u32 = 50;
        let mut blocks: Vec<(usize, usize, u32)> = Vec::new(); // (first, last, weight)
        for k in first_good..nb.len() {
            let l = &lines[nb[k]];
            if l.class != Class::Good {
                continue;
            }
            if let Some(last) = blocks.last_mut() {
                let joined =
                    k - last.1 <= GAP + 1 && !(last.1 + 1..k).any(|j| lines[nb[j]].terminator);
                if joined {
                    last.1 = k;
                    last.2 += l.w;
                    continue;
                }
            }
            blocks.push((k, k, l.w));
        }
        let mut main = (0..blocks.len())
            .max_by_key(|&b| (blocks[b].2, std::cmp::Reverse(b)))
            .unwrap_or(0);
        // The main block grows over neighbouring blocks when nothing between them but
        // soft lines (a list, a table, an agenda inside the article): however long the
        // run, it does not end the article. Never across a terminator.
        // The block joined must hold a line that is not a linked headline.
        let soft_gap = |a: usize, b: usize| {
            (a + 1..b).all(|j| {
                let l = &lines[nb[j]];
                soft(l) && !l.terminator || worded_stamp(l)
            })
        };
        let headlines = |(s, e, _): (usize, usize, u32)| {
            (s..=e).all(|k| lines[nb[k]].class != Class::Good || lines[nb[k]].teaser)
        };
        let (mut lo, mut hi) = (main, main);
        while hi + 1 < blocks.len()
            && soft_gap(blocks[hi].1, blocks[hi + 1].0)
            && !headlines(blocks[hi + 1])
        {
            hi += 1;
        }
        while lo > 0 && soft_gap(blocks[lo - 1].1, blocks[lo].0) && !headlines(blocks[lo - 1]) {
            lo -= 1;
        }
        if lo < hi {
            let w = blocks[lo..=hi].iter().map(|b| b.2).sum();
            let merged = (blocks[lo].0, blocks[hi].1, w);
            blocks.splice(lo..=hi, [merged]);
            main = lo;
        }
        let main_w = blocks[main].2;
        // The first terminator after the main block's start cuts the page.
        let cut = if self.options.terminators {
            (blocks[main].0..nb.len())
                .find(|&k| lines[nb[k]].terminator)
                .unwrap_or(nb.len())
        } else {
            nb.len()
        };
        let mut keep = vec![false; nb.len()];
        let mut reason: Vec<Option<Reason>> = vec![None; nb.len()];
        for (k, &i) in nb.iter().enumerate() {
            if let Class::Bad(r) = lines[i].class {
                reason[k] = Some(r);
            }
        }
        let mut last_kept: Option<(usize, usize)> = None;
        for (b, &(s, e, w)) in blocks.iter().enumerate() {
            let goods = (s..=e).filter(|&k| lines[nb[k]].class == Class::Good);
            let (mut n, mut ends, mut longest) = (0u32, 0u32, 0u32);
            for k in goods {
                n += 1;
                ends += lines[nb[k]].ends as u32;
                longest = longest.max(lines[nb[k]].w);
            }
            let ok = if b == main {
                true
            } else if s > cut {
                w >= RESTART.min(main_w / 2).max(RESTART_MIN)
                    && n >= 3
                    && ends * 2 >= n
                    && longest >= RESTART_LINE
            } else {
                let dist = if b < main {
                    blocks[main].0 - e
                } else {
                    s - blocks[main].1
                };
                let prose = longest >= 60 || (ends * 2 >= n && w >= 50);
                prose || dist <= GAP + 1 && w >= 25
            };
            if ok && s <= cut {
                last_kept = Some((s, e));
            }
            for k in s..=e {
                let l = &lines[nb[k]];
                if !ok {
                    if reason[k].is_none() {
                        reason[k] = Some(Reason::Fixed(if s > cut {
                            "after-terminator"
                        } else {
                            "isolated"
                        }));
                    }
                    continue;
                }
                match l.class {
                    Class::Good => keep[k] = true,
                    Class::Short | Class::Medium => keep[k] = true,
                    // A footnote marker or a divider between the block's lines.
                    Class::Bad(Reason::Fixed("digits" | "symbols"))
                        if k > s && k < e && (l.end - l.start <= 16 || l.figure) =>
                    {
                        keep[k] = true;
                        reason[k] = None;
                    }
                    Class::Bad(_) if l.minor => {
                        keep[k] = true;
                        reason[k] = None;
                    }
                    _ => {}
                }
            }
            // A paragraph tail just after the block.
            if ok && e + 1 < nb.len() {
                let l = &lines[nb[e + 1]];
                if l.class == Class::Medium && l.end_punct >= 1 && e + 1 < cut {
                    keep[e + 1] = true;
                }
            }
            // An official signature: an issuer line and a 年月日 date after the text,
            // possibly after a closing formula (`特此通告。`). The issuer may repeat a
            // line of the page's metadata.
            if ok && e + 2 < nb.len() {
                let formula = |l: &Line| {
                    matches!(l.class, Class::Short | Class::Medium) && l.ends && l.w <= 10
                };
                let at = if formula(&lines[nb[e + 1]]) {
                    e + 2
                } else {
                    e + 1
                };
                if at + 1 < nb.len() {
                    let (a, d) = (&lines[nb[at]], &lines[nb[at + 1]]);
                    let issuer = matches!(a.class, Class::Short | Class::Medium)
                        && a.punct == 0
                        && a.w <= 24;
                    if issuer && d.cn_date {
                        for k in e + 1..=at + 1 {
                            keep[k] = true;
                            reason[k] = None;
                        }
                    }
                }
            }
        }
        // A table that runs on past the last kept block before the cut: a run of soft
        // lines right after it (up to the cut) in which at least a third of the lines
        // are repeated, some of them repeating lines of the block (the table's recurring
        // cells), continues the block.
        let (ms, me) = last_kept.unwrap_or((blocks[main].0, blocks[main].1));
        let run_end = (me + 1..cut.min(nb.len()))
            .find(|&k| {
                let l = &lines[nb[k]];
                !soft(l) || l.terminator || l.class == Class::Good
            })
            .unwrap_or(cut.min(nb.len()));
        // Only the lines the rule would keep (short and medium ones) are counted, and
        // their repetition only within the block and themselves: the other lines may be
        // dropped, and stripping the output again must decide the same.
        let cells: Vec<usize> = (me + 1..run_end)
            .filter(|&k| matches!(lines[nb[k]].class, Class::Short | Class::Medium))
            .collect();
        if run_end >= me + 1 + TABLE_RUN && cells.len() >= TABLE_RUN {
            let block_keys: HashSet<u64, BuildHasherDefault<FxHasher>> =
                (ms..=me).map(|k| lines[nb[k]].key).collect();
            let mut seen: HashMap<u64, u32, BuildHasherDefault<FxHasher>> = HashMap::default();
            for k in (ms..=me).chain(cells.iter().copied()) {
                *seen.entry(lines[nb[k]].key).or_insert(0) += 1;
            }
            let key = |k: usize| lines[nb[k]].key;
            let echoes = cells
                .iter()
                .filter(|&&k| seen.get(&key(k)).is_some_and(|&n| n >= 2))
                .count();
            let of_block = cells.iter().any(|&k| block_keys.contains(&key(k)));
            if of_block && echoes * 3 >= cells.len() {
                for &k in &cells {
                    keep[k] = true;
                }
            }
        }
        for k in 0..nb.len() {
            if keep[k] || reason[k].is_some() {
                continue;
            }
            reason[k] = Some(Reason::Fixed(if lines[nb[k]].rep {
                "repeated"
            } else if k < first_good {
                "before-content"
            } else if k > cut {
                "after-terminator"
            } else if blocks.last().is_some_and(|b| k > b.1) {
                "after-content"
            } else {
                "short-weak"
            }));
        }
        // An encyclopedia article: its tables, lists and infobox belong to the body, which
        // runs from the first content line through the last section (the lines after the
        // last section heading up to the first hard boilerplate line, at most
        // LAST_SECTION of them).
        // Only the headings the rule keeps are counted (from the first content line on,
        // not hard boilerplate, one of each repeated heading): stripping the output again
        // must find the same article.
        let heading = |k: usize| lines[nb[k]].section && !hard(&lines[nb[k]]);
        if let Some(last) = (first_good..nb.len()).rev().find(|&k| heading(k)) {
            let mut headings: HashSet<u64, BuildHasherDefault<FxHasher>> = HashSet::default();
            let sections = (first_good..=last)
                .filter(|&k| heading(k) && headings.insert(lines[nb[k]].key))
                .count();
            if sections >= ENCYCLOPEDIA_SECTIONS && first_good < last {
                let end = (last + 1..nb.len().min(last + 1 + LAST_SECTION))
                    .find(|&k| hard(&lines[nb[k]]))
                    .unwrap_or(nb.len().min(last + 1 + LAST_SECTION));
                // A repeated cell (a table's header row, a recurring name) is kept once.
                let mut seen: HashSet<u64, BuildHasherDefault<FxHasher>> = HashSet::default();
                for k in first_good..end {
                    let l = &lines[nb[k]];
                    let repeated = l.rep || l.class == Class::Bad(Reason::Fixed("repeated"));
                    if repeated && !seen.insert(l.key) {
                        continue;
                    }
                    if !keep[k] && !hard(l) {
                        keep[k] = true;
                        reason[k] = None;
                    }
                }
            }
        }
        // Title: the nearest headline-like line above the first content line (the first
        // one kept: a content-like line far from the article is not where it starts).
        if self.options.keep_title {
            let first_kept = (first_good..nb.len())
                .find(|&k| keep[k] && lines[nb[k]].class == Class::Good)
                .unwrap_or(first_good);
            let lo = first_kept.saturating_sub(8);
            for k in (lo..first_kept).rev() {
                let l = &lines[nb[k]];
                let ok_class = matches!(l.class, Class::Short | Class::Medium);
                if ok_class && l.w >= 4 && l.w <= 60 && l.end_punct <= 1 {
                    keep[k] = true;
                    reason[k] = None;
                    break;
                }
            }
            // A headline right above its byline (a source or date line): the nearest such
            // pair above the first content line or above the main block. The document's
            // first line counts as one (the headline of a page already stripped of its
            // furniture, so that stripping twice changes nothing more).
            let meta = |l: &Line| {
                l.dated && matches!(l.class, Class::Bad(Reason::Lexicon(_)))
                    || l.class == Class::Bad(Reason::Fixed("timestamp"))
            };
            let headline = |l: &Line| {
                matches!(l.class, Class::Short | Class::Medium)
                    && !l.teaser
                    && !l.rep
                    && !l.nav
                    && (4..=60).contains(&l.w)
                    && (l.end_punct <= 1 || l.end_punct <= 2 && l.ends)
            };
            for anchor in [first_kept, blocks[main].0] {
                let lo = anchor.saturating_sub(TITLE_WINDOW);
                if let Some(k) = (lo..anchor)
                    .rev()
                    .find(|&k| headline(&lines[nb[k]]) && (k == 0 || meta(&lines[nb[k + 1]])))
                {
                    keep[k] = true;
                    reason[k] = None;
                }
            }
        }
        for (k, &i) in nb.iter().enumerate() {
            lines[i].drop = if keep[k] {
                None
            } else {
                Some(reason[k].unwrap_or(Reason::Fixed("short-weak")))
            };
        }
    }
}

/// A line that may sit inside the article without breaking it, however many there are
/// in a row: a short or medium line that is not a linked headline, or a line dropped on
/// its own only for being repeated, digits or symbols (table cells, list markers,
/// diagram strokes).
fn soft(l: &Line) -> bool {
    match l.class {
        Class::Short | Class::Medium => !l.teaser,
        Class::Bad(_) if l.minor => true,
        Class::Bad(Reason::Fixed(r)) => matches!(r, "repeated" | "digits" | "symbols"),
        _ => false,
    }
}

/// How many times [`Stripper::classify`] decides again on the lines it kept.
const MAX_ROUNDS: usize = 6;

/// How many soft lines past the main block make a table run worth testing.
const TABLE_RUN: usize = 3;

/// How many section headings (`…[编辑]`) make a document an encyclopedia article.
const ENCYCLOPEDIA_SECTIONS: usize = 3;

/// How many non-blank lines after an encyclopedia article's last section heading may
/// belong to that section.
const LAST_SECTION: usize = 40;

/// A section heading of an encyclopedia article: the (trimmed) line ends in an
/// edit-section link (`早年生活[编辑]`, `[編輯]`, `[编辑源代码]`, `[edit]`).
fn edit_section(t: &str) -> bool {
    t.ends_with(']')
        && ["[编辑]", "[編輯]", "[编辑源代码]", "[編輯原始碼]", "[edit]"]
            .iter()
            .any(|m| t.len() > m.len() && t.ends_with(m))
}

/// Positive boilerplate evidence that holds even inside an encyclopedia article's body: a
/// lexicon hit that is not a minor widget word, a legal notice, a breadcrumb, a bare
/// link, a line seen on earlier pages of the site. Dates, table cells, repeated cells,
/// digits and short lines are not (an article's tables are made of them).
fn hard(l: &Line) -> bool {
    match l.class {
        Class::Bad(Reason::Lexicon(_)) => !l.minor,
        Class::Bad(Reason::Fixed(r)) => {
            matches!(r, "legal" | "crumb" | "link" | "site-repeated" | "meta")
        }
        _ => false,
    }
}

/// A dated line with words besides the date (`第一场：12月11日下午1:30-3:30`, an entry
/// of a programme): it ends the article in general, but not a run of soft lines inside it.
fn worded_stamp(l: &Line) -> bool {
    l.class == Class::Bad(Reason::Fixed("timestamp")) && !l.stamp
}

/// The line starts with a list enumerator: `1、` `2.` `(3)` `（四）` `五、` `①`.
fn enumerated(s: &str) -> bool {
    let t = trim(s);
    let mut it = t.chars();
    let Some(first) = it.next() else {
        return false;
    };
    if matches!(first, '\u{2460}'..='\u{2473}') {
        return true;
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let (open, first) = match first {
        '(' | '（' => (true, it.next().unwrap_or(' ')),
        c => (false, c),
    };
    if !numeral(first) {
        return false;
    }
    let mut n = 1;
    let mut letter = false;
    let mut it = it.peekable();
    while let Some(c) = it.next() {
        if numeral(c) && n < 3 && !letter {
            n += 1;
            continue;
        }
        if open && c.is_ascii_lowercase() && !letter {
            letter = true; // `(3a)`
            continue;
        }
        return if open {
            matches!(c, ')' | '）')
        } else {
            matches!(c, '、' | '．' | ')' | '）')
                || c == '.'
                    && first.is_ascii_digit()
                    && !it.peek().is_some_and(char::is_ascii_digit)
        };
    }
    false
}

/// How many non-blank lines above the content the headline of a headline + byline pair
/// may be.
const TITLE_WINDOW: usize = 10;

/// Promotes runs of at least three consecutive Medium/Good lines, each with some
/// punctuation, totalling at least 60 units: short lines of one paragraph (a poem, a
/// wrapped text, a blog punctuated with spaces) are content together.
///
/// A line of only symbols or digits inside a run neither breaks it nor counts in it: such
/// a line may be dropped (outside the blocks) or kept (inside them), and the run must be
/// the same when the output is stripped again without it.
fn promote_dense_runs(lines: &mut [Line], nb: &[usize]) {
    let dense = |l: &Line| {
        l.class == Class::Good
            || matches!(l.class, Class::Medium | Class::Short)
                && !l.teaser
                && (l.punct >= 1 && l.w >= 5 || l.w >= 12 && l.func * 6 >= l.w)
    };
    let transparent = |l: &Line| matches!(l.class, Class::Bad(Reason::Fixed("digits" | "symbols")));
    let mut k = 0;
    while k < nb.len() {
        if !dense(&lines[nb[k]]) {
            k += 1;
            continue;
        }
        let (mut e, mut n, mut w) = (k, 0, 0);
        while e < nb.len() {
            let l = &lines[nb[e]];
            if dense(l) {
                n += 1;
                w += l.w;
            } else if !transparent(l) {
                break;
            }
            e += 1;
        }
        if n >= 3 && w >= 60 || n >= 4 && w >= 30 {
            for &i in &nb[k..e] {
                if dense(&lines[i]) {
                    lines[i].class = Class::Good;
                }
            }
        }
        k = e;
    }
}

/// The (trimmed) line is nothing but a `YYYY年M月D日` date (the date under an official
/// document).
fn cn_date(t: &str) -> bool {
    let mut parts = 0;
    let mut digits = 0;
    for c in t.chars() {
        match c {
            '0'..='9'
            | '０'..='９'
            | '〇'
            | '○'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十' => digits += 1,
            '年' | '月' | '日' => parts += 1,
            _ => return false,
        }
    }
    parts == 3 && digits >= 4 && t.ends_with('日')
}

/// A linked headline (the line trimmed): starts with a bracketed tag (`【…】`, `[…]`, `『…』`) or ends in a
/// truncation (`...`, `…`).
fn teaser(t: &str) -> bool {
    let starts = t.starts_with(['【', '[', '『', '＜', '<', '╠', '▉', '〔', '［']);
    let truncated =
        (t.ends_with("...") && !t.ends_with("....")) || t.ends_with('…') && !t.ends_with("……");
    starts || truncated || counted(t)
}

/// Ends in a parenthesised count of hits or comments: `某某标题(5451)`, `标题（12）`.
fn counted(t: &str) -> bool {
    let Some(body) = t.strip_suffix(')').or_else(|| t.strip_suffix('）')) else {
        return false;
    };
    let digits = body.len() - body.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &body[..body.len() - digits];
    digits >= 1 && (rest.ends_with('(') || rest.ends_with('（')) && rest.chars().count() > 4
}

/// The (trimmed) line ends with sentence punctuation, possibly followed by closing quotes or
/// brackets.
fn ends_sentence(t: &str) -> bool {
    for c in t.chars().rev() {
        match c {
            '”' | '」' | '』' | '）' | ')' | '"' | '’' | '】' => continue,
            '。' | '！' | '？' | '!' | '?' | '…' | '；' | '.' => return true,
            _ => return false,
        }
    }
    false
}

/// A line's identity for repetition counting: a hash of the trimmed line's first
/// [`ANALYSED`] bytes and its length, so that counting costs the same for any line length.
fn line_key(t: &str) -> u64 {
    let mut h = FxHasher(t.len() as u64);
    h.write(prefix(t, ANALYSED).as_bytes());
    h.finish()
}

/// How much of a line the per-line features and the lexicon look at: units (see
/// [`analysed_head`]) there, bytes in [`line_key`].
const ANALYSED: usize = 192;

/// The head of a line that the per-line features look at: the longest prefix of at most
/// [`ANALYSED`] units, where a unit is a byte except that a four-byte character counts
/// three. Conversion swaps three-byte and four-byte ideographs (`蹳` ↔ `𫏆`), so counting
/// units rather than bytes makes the cut, and with it the line's verdict, the same before
/// and after conversion (stripping converted text keeps what stripping the original kept).
/// Returns the head and the factor that extrapolates a count over the head to the line.
fn analysed_head(s: &str) -> (&str, Scale) {
    // A line of at most ANALYSED bytes has at most ANALYSED units.
    if s.len() <= ANALYSED {
        return (s, Scale::short(s));
    }
    let bytes = s.as_bytes();
    // The byte position where ANALYSED units end: each four-byte character before it
    // moves it one byte on (monotone, at most ANALYSED / 3 steps).
    let mut cut = ANALYSED;
    loop {
        let next = (ANALYSED + four_byte_chars(&bytes[..cut])).min(bytes.len());
        if next == cut {
            break;
        }
        cut = next;
    }
    let whole = (bytes.len() - four_byte_chars(bytes)) as u64;
    if cut == bytes.len() {
        return (s, Scale { whole, head: whole });
    }
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = (cut - four_byte_chars(&bytes[..cut])) as u64;
    (
        &s[..cut],
        Scale {
            whole,
            head: head.max(1),
        },
    )
}

/// The number of four-byte characters (lead bytes `F0`–`F4`) in UTF-8 bytes.
#[inline]
fn four_byte_chars(bytes: &[u8]) -> usize {
    // Byte-wide sums over blocks that cannot overflow them: this vectorizes.
    bytes
        .chunks(255)
        .map(|block| {
            block
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add((b >= 0xF0) as u8)) as usize
        })
        .sum()
}

/// The ratio of a line's units to its head's: counts over the head times this ratio
/// estimate counts over the whole line.
#[derive(Clone, Copy)]
struct Scale {
    /// The line's units; for a line of at most `ANALYSED` bytes, its byte length instead
    /// (not counted, to save a pass; both are then at most `ANALYSED`).
    whole: u64,
    head: u64,
}

impl Scale {
    fn short(s: &str) -> Scale {
        let n = s.len() as u64;
        Scale { whole: n, head: n }
    }

    fn apply(self, n: u32) -> u32 {
        (n as u64 * self.whole / self.head).min(u32::MAX as u64) as u32
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

/// Unicode whitespace (which includes the ideographic space and NBSP) and the BOM: the
/// characters [`trim`] removes (see [`space_bytes`]).
#[cfg(test)]
fn is_space(c: char) -> bool {
    match c as u32 {
        0..=0x7F => matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}'),
        // The last whitespace character below the BOM is U+3000.
        0x80..=0x2FFF => c.is_whitespace(),
        0x3000 | 0xFEFF => true,
        _ => false,
    }
}

/// `s` without leading and trailing `is_space` characters (the tests' reference),
/// decided on the bytes of the edge characters (no decoding).
#[inline]
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let mut start = 0;
    while let Some(&x) = b.get(start) {
        let len = match x {
            0..=0x7F => 1,
            0x80..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        match b.get(start..start + len) {
            Some(c) if space_bytes(c) => start += len,
            _ => break,
        }
    }
    let mut end = b.len();
    while end > start {
        // The last character's first byte: at most three continuation bytes back.
        let mut p = end - 1;
        if b[p] >= 0x80 {
            p = if end - start >= 3 && b[end - 3] >= 0xE0 {
                end - 3
            } else {
                let mut q = p;
                while q > start && end - q < 4 && b[q] & 0xC0 == 0x80 {
                    q -= 1;
                }
                q
            };
        }
        if space_bytes(&b[p..end]) {
            end = p;
        } else {
            break;
        }
    }
    // `start` and `end` are on char boundaries: they only move over whole characters.
    &s[start..end]
}

/// The UTF-8 bytes of one character that `is_space` (the tests' reference) accepts.
#[inline]
fn space_bytes(c: &[u8]) -> bool {
    match *c {
        [x] => matches!(x, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C),
        [0xC2, y] => matches!(y, 0x85 | 0xA0),
        [0xE1, 0x9A, 0x80] | [0xE2, 0x81, 0x9F] | [0xE3, 0x80, 0x80] | [0xEF, 0xBB, 0xBF] => true,
        [0xE2, 0x80, z] => matches!(z, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
        _ => false,
    }
}

/// Splits into lines at `\n`; each line's content excludes the `\n` (a `\r` before it
/// stays in the content range but is ignored by the features).
fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let mut start = 0;
    let b = text.as_bytes();
    for nl in memchr::memchr_iter(b'\n', b) {
        out.push(new_line(start, nl, nl + 1));
        start = nl + 1;
    }
    if start < b.len() {
        out.push(new_line(start, b.len(), b.len()));
    }
    out
}

fn new_line(start: usize, end: usize, next: usize) -> Line {
    Line {
        start,
        end,
        next,
        class: Class::Blank,
        base: Class::Blank,
        w: 0,
        end_punct: 0,
        punct: 0,
        terminator: false,
        ends: false,
        teaser: false,
        func: 0,
        rep: false,
        minor: false,
        dated: false,
        clock: false,
        nav: false,
        cn_date: false,
        stamp: false,
        section: false,
        figure: false,
        key: 0,
        drop: None,
    }
}

/// Number of Han or alphanumeric characters in `s`.
fn solid_chars(s: &str) -> u32 {
    s.chars()
        .filter(|c| c.is_alphanumeric() && !matches!(c, '\u{2460}'..='\u{24ff}'))
        .count() as u32
}

/// Classifies one non-blank line on its own. Returns the class and whether the line is a
/// terminating marker.
fn line_class(
    s: &str,
    full_len: usize,
    ends: bool,
    f: &Features,
    w: u32,
    lex: &Lexicon,
    minor: &mut bool,
) -> (Class, bool) {
    let prose = f.end_punct >= 1 && w >= 40;
    // No Han, no letters: nothing the lexicon could add.
    if f.cjk == 0 && f.latin == 0 && f.other_script == 0 {
        if f.digits >= 4 && features::stamp(s) == Stamp::Only {
            return (Class::Bad(Reason::Fixed("timestamp")), true);
        }
        return (
            Class::Bad(Reason::Fixed(if f.digits > 0 {
                "digits"
            } else {
                "symbols"
            })),
            false,
        );
    }
    // Lexicon.
    let mut head: Option<&'static str> = None;
    let mut head_hits = 0u32;
    let mut widget: Option<&'static str> = None;
    let mut widget_cover = 0u32;
    let mut strong: Option<&'static str> = None;
    let mut term: Option<(&'static str, u32)> = None;
    let mut legal_hits = 0u32;
    let mut self_ref = false;
    let mut link = false;
    let on_hit = |h: lexicon::Hit| {
        legal_hits += h.legal as u32;
        self_ref |= h.self_ref;
        let hit_len = s[h.start..h.end].chars().count() as u32;
        match h.rule {
            Rule::Head => {
                head_hits += 1;
                let lead = s[..h.start]
                    .chars()
                    .any(|c| features_is_han(c) || c.is_alphabetic());
                if !lead && head.is_none() {
                    head = Some(h.entry);
                }
            }
            Rule::Widget => {
                widget_cover += hit_len;
                if widget.is_none() {
                    widget = Some(h.entry);
                }
            }
            Rule::Strong => {
                if strong.is_none() {
                    strong = Some(h.entry);
                }
            }
            Rule::Terminator => {
                if term.is_none() {
                    term = Some((h.entry, hit_len));
                }
            }
            Rule::Link => link = true,
            Rule::Legal | Rule::SelfRef => {}
        }
    };
    // Prose can only be condemned by licence furniture, legal notices and links: the
    // small automaton suffices (see `Lexicon::prose_hits`).
    if prose {
        lex.prose_hits(s, on_hit);
    } else {
        lex.hits(s, on_hit);
    }
    if let Some((e, len)) = term {
        let rest = solid_chars(s).saturating_sub(len);
        if rest <= 6 && f.end_punct == 0 {
            return (Class::Bad(Reason::Lexicon(e)), true);
        }
        let at_head = trim(s)
            .trim_start_matches(['【', '[', '〔', '［', '（', '('])
            .starts_with(e);
        if at_head && w <= 40 {
            return (Class::Bad(Reason::Lexicon(e)), false);
        }
    }
    // A label followed by a whole sentence (`记者：您怎么看这件事？`, an interview turn;
    // `摘要：本文……。`) is content, not a credit or metadata field; labels that end an
    // article (`免责声明：……。`) still go.
    let sentence = ends && f.clause_punct >= 1 && w >= 12 && legal_hits == 0;
    if let Some(e) = head {
        let is_term = matches!(
            e,
            "责任编辑"
                | "責任編輯"
                | "责编"
                | "責編"
                | "编辑："
                | "編輯："
                | "编辑:"
                | "編輯:"
                | "上一篇"
                | "下一篇"
                | "上一页"
                | "下一页"
                | "上一頁"
                | "下一頁"
                | "上一条"
                | "下一条"
                | "免责声明"
                | "免責聲明"
                | "版权声明"
                | "版權聲明"
                | "发表于"
                | "發表於"
                | "本文链接"
                | "原文链接"
        );
        if (!prose && w <= 80 || (w <= 40)) && (is_term || !sentence) {
            return (Class::Bad(Reason::Lexicon(e)), is_term);
        }
    }
    if let Some(e) = strong {
        if w <= 150 && f.end_punct <= 2 {
            return (Class::Bad(Reason::Lexicon(e)), false);
        }
    }
    if head_hits >= 2 && f.end_punct == 0 && w <= 80 {
        return (Class::Bad(Reason::Fixed("meta")), false);
    }
    if legal_hits >= 1 && self_ref && (legal_hits >= 2 || full_len < 300) && full_len <= 3000 {
        return (Class::Bad(Reason::Fixed("legal")), false);
    }
    let segmented = f.end_punct == 0 && f.clause_punct <= 1;
    let crumb =
        f.arrows >= 2 && f.seg_longest <= 30 || f.arrows >= 1 && f.seg_count <= 6 && crumb_tail(s);
    if segmented && crumb {
        return (Class::Bad(Reason::Fixed("crumb")), false);
    }
    if let Some(e) = widget {
        let weak = f.clause_punct == 0 && f.end_punct <= 1 && w <= 16;
        let covered = f.end_punct == 0 && w <= 40 && widget_cover * 2 >= f.cjk;
        if weak || covered {
            // A widget word in a short line it covers less than a third of (`关注点多与
            // 专业相关`, a sub-heading) condemns it only outside the article.
            *minor = !covered && widget_cover * 3 < f.cjk;
            return (Class::Bad(Reason::Lexicon(e)), false);
        }
    }
    // Shapes.
    let latin_date = f.cjk == 0 && f.digits >= 4 && features::latin_date(s);
    if latin_date || f.digits >= 4 && (features::stamp(s) == Stamp::Only || dated(s, f)) {
        return (Class::Bad(Reason::Fixed("timestamp")), true);
    }
    if link && f.cjk <= 10 {
        return (Class::Bad(Reason::Fixed("link")), false);
    }
    if f.cjk <= 12 && f.digits >= 7 && features::has_phone(s) {
        return (Class::Bad(Reason::Fixed("contact")), false);
    }
    // Without Han, spaces split words, not menu items: a Latin line is a menu only
    // with bars (`Home | About | Contact`).
    let words_line = f.cjk == 0 && f.other_script == 0 && f.bars < 2;
    let menu = !words_line
        && (f.seg_count >= 3 && f.seg_longest <= 6
            || f.bars >= 2 && f.seg_count >= 3 && f.seg_longest <= 12
            || f.punct() == 0 && f.seg_count >= 6 && f.seg_longest <= 12
            || f.brackets >= 2 && f.seg_longest <= 10);
    if segmented && menu && !enumerated(s) {
        return (Class::Bad(Reason::Fixed("menu")), false);
    }
    // Size.
    let class = if f.cjk == 0 && f.other_script == 0 {
        if f.words >= 15 {
            Class::Good
        } else if f.words >= 6 {
            Class::Medium
        } else {
            Class::Short
        }
    } else if (w >= 25 && f.end_punct >= 1)
        || (w >= 30 && f.punct() >= 1)
        || (w >= 40 && f.inner_spaces >= 2)
        || w >= 70
    {
        Class::Good
    } else if (w >= 6 && (f.punct() >= 1 || f.inner_spaces >= 1)) || w >= 15 {
        Class::Medium
    } else {
        Class::Short
    };
    (class, false)
}

fn features_is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

/// A breadcrumb ending in 正文 / 详情 / 内容 and the like.
fn crumb_tail(s: &str) -> bool {
    let t = trim(s);
    [
        "正文",
        "详情",
        "詳情",
        "内容",
        "內容",
        "详细页",
        "正文内容",
        "阅读",
        "列表",
    ]
    .iter()
    .any(|e| t.ends_with(e))
}

/// A source-plus-date line: a date (digits with `-`, `/`, `年`, `:`) and at most a few
/// words around it, no sentence punctuation.
fn dated(s: &str, f: &Features) -> bool {
    if f.end_punct > 0 || f.digits < 6 || f.cjk > 12 || f.weight() > 30 {
        return false;
    }
    let mut seps = 0;
    let mut date_seps = 0;
    let mut prev_digit = false;
    // The current digit run follows a `:`: a separator after it belongs to a clock time
    // (`8:30-9:00`).
    let mut clock_run = false;
    let mut prev = '\0';
    for c in s.chars() {
        let d = c.is_ascii_digit();
        if d && !prev_digit {
            clock_run = prev == ':';
        }
        if prev_digit && matches!(c, '-' | '/' | ':' | '年' | '月' | '.') {
            seps += 1;
            date_seps += (c != ':' && !clock_run) as u32;
        }
        prev_digit = d;
        prev = c;
    }
    // A clock time alone (`8:30-9:00 开幕式`, a line of an agenda) is not a date.
    seps >= 2 && date_seps >= 1
}

/// Marks headline + source + timestamp feeds: chains of at least three timestamp lines no
/// more than five non-blank lines apart; the lines between them (and as many lines before
/// the first as the chain's usual gap) are feed items.
fn mark_feeds(lines: &mut [Line], nb: &[usize]) {
    let stamps: Vec<usize> = (0..nb.len())
        .filter(|&k| {
            let l = &lines[nb[k]];
            l.stamp || l.class == Class::Bad(Reason::Fixed("timestamp"))
        })
        .collect();
    let mut a = 0;
    while a < stamps.len() {
        let mut b = a;
        while b + 1 < stamps.len() && stamps[b + 1] - stamps[b] <= 5 {
            b += 1;
        }
        if b - a + 1 >= 3 {
            let gap = (stamps[a + 1] - stamps[a]).saturating_sub(1);
            let from = stamps[a].saturating_sub(gap);
            for &i in &nb[from..=stamps[b]] {
                if !matches!(lines[i].class, Class::Bad(_)) {
                    lines[i].class = Class::Bad(Reason::Fixed("feed"));
                }
            }
        }
        a = b + 1;
    }
    // A list of entries that each carry a date and a clock time among their words (a
    // forum's thread list, a blog index): three or more in a row, none ending a sentence.
    let entry = |l: &Line| l.clock && !l.ends && !matches!(l.class, Class::Bad(_));
    let mut k = 0;
    while k < nb.len() {
        let mut e = k;
        while e < nb.len() && entry(&lines[nb[e]]) {
            e += 1;
        }
        if e - k >= 3 {
            for &i in &nb[k..e] {
                lines[i].class = Class::Bad(Reason::Fixed("feed"));
            }
        }
        k = e.max(k + 1);
    }
}

/// Builds the output from the kept lines (see the module docs for the blank-line rule).
fn assemble(text: &str, lines: &[Line]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut kept = Vec::with_capacity(lines.len());
    kept.extend(
        (0..lines.len()).filter(|&i| lines[i].class != Class::Blank && lines[i].drop.is_none()),
    );
    for (n, &i) in kept.iter().enumerate() {
        if n > 0 {
            let p = kept[n - 1];
            let between = &lines[p + 1..i];
            if between.iter().all(|l| l.class == Class::Blank) {
                out.push_str(&text[lines[p].next..lines[i].start]);
            } else if let Some(b) = between.iter().find(|l| l.class == Class::Blank) {
                out.push_str(&text[b.start..b.next]);
            }
        }
        let l = &lines[i];
        out.push_str(&text[l.start..l.end]);
        if l.next > l.end {
            out.push_str(&text[l.end..l.next]);
        }
    }
    // Trailing: end with a terminator only when the input did.
    if !text.ends_with('\n') && out.ends_with('\n') {
        out.pop();
        if out.ends_with('\r') {
            out.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The analysed head covers the same characters whether ideographs are three or four
    /// bytes long (convert swaps `蹳` and `𫏆`), and the extrapolation factor is the same.
    #[test]
    fn analysed_head_is_the_same_before_and_after_conversion() {
        let cases = [
            ("a".repeat(300), 192),
            ("蹳".repeat(100), 64),
            (format!("{}{}", "ab".repeat(50), "蹳".repeat(60)), 100 + 30),
            (
                format!("{}蹳情+&r?{}", "f".repeat(186), "x".repeat(10)),
                188,
            ),
        ];
        for (line, head_chars) in cases {
            let astral = line.replace('蹳', "𫏆");
            let (h3, s3) = analysed_head(&line);
            let (h4, s4) = analysed_head(&astral);
            assert_eq!(h3.chars().count(), head_chars, "{line}");
            assert_eq!(h4.chars().count(), head_chars, "{astral}");
            assert_eq!((s3.whole, s3.head), (s4.whole, s4.head), "{line}");
        }
        let short = "蹳".repeat(10);
        assert_eq!(analysed_head(&short).0, short);
    }

    fn run(text: &str) -> (String, StripReport) {
        let mut r = StripReport::default();
        let out = Stripper::new().strip(text, &mut r).into_owned();
        (out, r)
    }

    #[test]
    fn fast_trim_agrees_with_trim_matches() {
        for t in [
            "",
            " ",
            "\u{3000}\u{3000}正文。\u{3000}",
            "\u{a0}\u{feff}标题\u{2003}",
            "\u{3001}顿号",
            "\u{3000}\u{3000}",
            "\t x \r",
            "\u{85}é\u{2028}",
            "中文\u{e3}",
            "ab\u{3000}",
        ] {
            assert_eq!(trim(t), t.trim_matches(is_space), "{t:?}");
        }
        for c in ['\u{3000}', '\u{a0}', '\u{feff}', '\u{2003}', ' ', '\u{b}'] {
            assert!(is_space(c) && (c.is_whitespace() || c == '\u{feff}'));
        }
        for c in ['\u{3001}', '中', 'a', '\u{1c}'] {
            assert!(!is_space(c));
        }
        // Every string of up to four characters from an alphabet of edge cases.
        let alphabet = [
            ' ', '\u{3000}', 'a', '中', '。', '\u{a0}', 'é', '😀', '\u{2028}',
        ];
        let mut stack = vec![String::new()];
        while let Some(t) = stack.pop() {
            assert_eq!(trim(&t), t.trim_matches(is_space), "{t:?}");
            if t.chars().count() < 4 {
                stack.extend(alphabet.iter().map(|&c| format!("{t}{c}")));
            }
        }
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                space_bytes(c.encode_utf8(&mut buf).as_bytes()),
                is_space(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn empty_and_blank_input_borrow() {
        for t in ["", "\n", "  \n\n"] {
            let mut r = StripReport::default();
            let out = Stripper::new().strip(t, &mut r);
            assert!(r.is_empty());
            assert_eq!(out, t);
        }
    }

    #[test]
    fn enumerators_are_recognised() {
        for t in [
            "1、英语",
            "（2） 校长致辞",
            "(3a) 微观经济学",
            "四、附则",
            "12. 参考",
            "①第一",
        ] {
            assert!(enumerated(t), "{t}");
        }
        for t in ["2024-05-01", "1995年", "一起出发", "3.5亿元", "（图）"] {
            assert!(!enumerated(t), "{t}");
        }
    }

    #[test]
    fn headlines_with_a_trailing_count_are_teasers() {
        assert!(teaser("城市夜景摄影的五个技巧(3310)"));
        assert!(teaser("家庭阳台种菜入门指南（28）"));
        assert!(!teaser("会议共收到论文（160篇）"));
        assert!(!teaser("(12)"));
    }

    #[test]
    fn clock_ranges_are_not_dates() {
        let f = features::features("8:30-9:00 开幕式");
        assert!(!dated("8:30-9:00 开幕式", &f));
        let f = features::features("新华网 2024-05-01 08:00");
        assert!(dated("新华网 2024-05-01 08:00", &f));
    }

    #[test]
    fn all_boilerplate_becomes_empty() {
        let (out, r) = run("首页 > 新闻 > 正文\n分享至\n责任编辑：王某\n");
        assert_eq!(out, "");
        assert_eq!(r.dropped.len(), 3);
    }
}
