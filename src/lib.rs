/*!
Clean Chinese web text: repair mojibake, convert traditional to simplified, strip
boilerplate lines.

A [`Cleaner`] runs up to three stages over one document, in this order:

1. [`repair`] — undo encoding damage (mojibake, characters lost to `?`, content-farm
   pinyin glosses, entities, invisible characters). Never changes clean text.
2. [`strip`] — drop boilerplate lines (breadcrumbs, share widgets, feeds, footers);
   kept lines are kept verbatim.
3. [`convert`] — traditional → simplified (or any other OpenCC 1.4.2 configuration),
   byte-identical to OpenCC. Documents containing Japanese kana are left alone.

Bytes that are not UTF-8 are first decoded by [`decode`]. Each stage is usable alone
through its own type ([`repair::Repairer`], [`strip::Stripper`],
[`convert::Converter`]); the [`Cleaner`] only chains them and gathers a [`Report`].

Bad data is data: nothing here fails on malformed text. `Result` is returned only for
real configuration errors (an unknown conversion config, an unreadable dictionary).

# Example

```
use zhclean::Cleaner;

let cleaner = Cleaner::new();
let cleaned = cleaner.clean("今天天氣很好。");
assert_eq!(cleaned.text, "今天天气很好。");
assert_eq!(cleaned.report.convert.chars_changed, 1); // 氣 → 气
```

The `records` module holds the document framing used by the command-line tool (JSONL
field splicing, WARC records, separator-split text); it does no I/O policy of its own.
*/
#![deny(missing_docs)]

use std::borrow::Cow;

pub mod convert;
pub mod decode;
pub mod records;
pub mod repair;
mod report;
pub mod strip;

pub use report::Report;

/// A configured cleaning pipeline. Cheap to share: `Send + Sync`, so one `Cleaner`
/// can serve many threads.
#[derive(Debug)]
pub struct Cleaner {
    repairer: Option<repair::Repairer>,
    stripper: Option<strip::Stripper>,
    converter: Option<convert::Converter>,
}

/// How many times [`Cleaner`] repairs converted text again, at most (see `settle`).
const SETTLE_ROUNDS: usize = 4;

/// The result of [`Cleaner::clean`]: the cleaned text (borrowed from the input when no
/// stage changed anything) and what each stage did.
#[derive(Debug, Clone)]
pub struct Cleaned<'a> {
    /// The cleaned document.
    pub text: Cow<'a, str>,
    /// What each stage did to it.
    pub report: Report,
}

impl Default for Cleaner {
    fn default() -> Cleaner {
        Cleaner::new()
    }
}

impl Cleaner {
    /// A cleaner with every stage on and default settings.
    pub fn new() -> Cleaner {
        CleanerBuilder::new()
            .build()
            .expect("the default configuration is valid")
    }

    /// A builder to choose stages and their settings.
    pub fn builder() -> CleanerBuilder {
        CleanerBuilder::new()
    }

    /// Cleans one document of text.
    ///
    /// The output is borrowed from `text` when no stage changed it. Never fails and never
    /// panics on any input.
    pub fn clean<'a>(&self, text: &'a str) -> Cleaned<'a> {
        self.clean_with_hints(text, &strip::RepeatHints::default())
    }

    /// Cleans one document, letting the strip stage use cross-document repetition hints
    /// from a [`strip::LineHistory`] that observed the documents of the stream in order.
    /// With empty hints this is [`Cleaner::clean`].
    pub fn clean_with_hints<'a>(&self, text: &'a str, hints: &strip::RepeatHints) -> Cleaned<'a> {
        let mut report = Report::default();
        let mut cur: Cow<'a, str> = Cow::Borrowed(text);
        if let Some(r) = &self.repairer {
            cur = chain_stage(cur, |t| r.repair(t, &mut report.repair));
        }
        if let Some(s) = &self.stripper {
            cur = chain_stage(cur, |t| s.strip_with_hints(t, hints, &mut report.strip));
        }
        if let Some(c) = &self.converter {
            let before = report.convert.chars_changed;
            cur = chain_stage(cur, |t| c.convert(t, &mut report.convert));
            if report.convert.chars_changed > before {
                cur = self.settle(cur, hints, &mut report);
            }
        }
        Cleaned { text: cur, report }
    }

    /// The rounds after conversion changed the text. Repair judges characters in
    /// context, and a converted character scores differently from its traditional form
    /// (`羆` → `罴` can tip a span of mojibake evidence), so the converted text is
    /// repaired once more; only if that changes it do strip and convert run again, their
    /// entries appended to the report (each entry refers to its own pass's input). Strip
    /// looks at the whole document again; convert converts only the lines this repair
    /// changed (when the repair kept the number of lines), with the configuration the
    /// first conversion chose (`auto2s` chose it on the unconverted text): the others
    /// are converted already, and OpenCC's conversion is not idempotent, so converting
    /// them again would make them differ from OpenCC's output (`僅作用於單元` is
    /// `仅作用於单元` once, `仅作用于单元` twice). A line equal to a changed line is
    /// converted again too. When
    /// that conversion changes the text too (a repair brought `並`, now `并`), the round
    /// repeats, up to [`SETTLE_ROUNDS`] in all. Without these rounds, cleaning the output
    /// a second time could change it. On clean text the check costs the repair stage's
    /// prefilters only.
    fn settle<'a>(
        &self,
        mut cur: Cow<'a, str>,
        hints: &strip::RepeatHints,
        report: &mut Report,
    ) -> Cow<'a, str> {
        let Some(r) = &self.repairer else {
            return cur;
        };
        for _ in 0..SETTLE_ROUNDS {
            let mut again = repair::RepairReport::default();
            let Cow::Owned(repaired) = r.repair(&cur, &mut again) else {
                return cur;
            };
            report.repair.append(again);
            let changed = changed_lines(&cur, &repaired);
            cur = Cow::Owned(repaired);
            if let Some(s) = &self.stripper {
                cur = chain_stage(cur, |t| s.strip_with_hints(t, hints, &mut report.strip));
            }
            let Some(c) = &self.converter else {
                return cur;
            };
            let before = report.convert.chars_changed;
            cur = chain_stage(cur, |t| match &changed {
                Some(lines) => c.convert_lines(t, |l| lines.contains(l), &mut report.convert),
                None => c.convert(t, &mut report.convert),
            });
            if report.convert.chars_changed == before {
                return cur;
            }
        }
        cur
    }

    /// Decodes `bytes` with `decoder` (see [`decode::Decoder`]) and cleans the text; the
    /// report's `decode` part says how the bytes were decoded.
    pub fn clean_bytes<'a>(&self, bytes: &'a [u8], decoder: &decode::Decoder) -> Cleaned<'a> {
        self.clean_bytes_with_hints(bytes, decoder, &strip::RepeatHints::default())
    }

    /// [`Cleaner::clean_bytes`] with cross-document hints (see
    /// [`Cleaner::clean_with_hints`]).
    pub fn clean_bytes_with_hints<'a>(
        &self,
        bytes: &'a [u8],
        decoder: &decode::Decoder,
        hints: &strip::RepeatHints,
    ) -> Cleaned<'a> {
        let decoded = decoder.decode(bytes);
        let mut cleaned = match decoded.text {
            Cow::Borrowed(t) => self.clean_with_hints(t, hints),
            Cow::Owned(t) => {
                let mut report = Report::default();
                // `chain_stage` keeps the decoded string itself when no stage changed it.
                let text = chain_stage(Cow::Owned(t), |t| {
                    let c = self.clean_with_hints(t, hints);
                    report = c.report;
                    c.text
                });
                Cleaned { text, report }
            }
        };
        cleaned.report.decode = decoded.report;
        cleaned
    }

    /// The repair stage, if enabled.
    pub fn repairer(&self) -> Option<&repair::Repairer> {
        self.repairer.as_ref()
    }

    /// The strip stage, if enabled.
    pub fn stripper(&self) -> Option<&strip::Stripper> {
        self.stripper.as_ref()
    }

    /// The convert stage, if enabled.
    pub fn converter(&self) -> Option<&convert::Converter> {
        self.converter.as_ref()
    }
}

/// Applies one stage to the current text of a pipeline, keeping the borrow when the stage
/// changed nothing. Useful to chain stages by hand, as [`Cleaner::clean`] does:
/// `cur = chain_stage(cur, |t| repairer.repair(t, &mut report))`.
pub fn chain_stage<'a>(
    cur: Cow<'a, str>,
    stage: impl for<'t> FnOnce(&'t str) -> Cow<'t, str>,
) -> Cow<'a, str> {
    match cur {
        Cow::Borrowed(t) => stage(t),
        Cow::Owned(s) => match stage(&s) {
            Cow::Borrowed(b) if b.len() == s.len() => Cow::Owned(s),
            other => Cow::Owned(other.into_owned()),
        },
    }
}

/// The lines of `after` that differ from the line in the same place of `before` (lines
/// end after each `\n`; returned without it), or `None` when the two have different
/// numbers of lines.
fn changed_lines(before: &str, after: &str) -> Option<std::collections::HashSet<String>> {
    let (mut b, mut a) = (before.split('\n'), after.split('\n'));
    let mut changed = std::collections::HashSet::new();
    loop {
        match (b.next(), a.next()) {
            (Some(x), Some(y)) => {
                if x != y {
                    changed.insert(y.to_owned());
                }
            }
            (None, None) => return Some(changed),
            _ => return None,
        }
    }
}

/// Builds a [`Cleaner`]. Every stage is on by default; `None` turns a stage off.
#[derive(Debug, Clone)]
pub struct CleanerBuilder {
    repair: Option<repair::RepairOptions>,
    strip: Option<strip::StripOptions>,
    convert: Option<convert::ConvertOptions>,
}

impl Default for CleanerBuilder {
    fn default() -> CleanerBuilder {
        CleanerBuilder::new()
    }
}

impl CleanerBuilder {
    /// All stages on, with their default options.
    pub fn new() -> CleanerBuilder {
        CleanerBuilder {
            repair: Some(repair::RepairOptions::new()),
            strip: Some(strip::StripOptions::default()),
            convert: Some(convert::ConvertOptions::default()),
        }
    }

    /// Sets the repair stage's options, or turns it off with `None`.
    pub fn repair(&mut self, options: Option<repair::RepairOptions>) -> &mut CleanerBuilder {
        self.repair = options;
        self
    }

    /// Sets the strip stage's options, or turns it off with `None`.
    pub fn strip(&mut self, options: Option<strip::StripOptions>) -> &mut CleanerBuilder {
        self.strip = options;
        self
    }

    /// Sets the convert stage's options, or turns it off with `None`.
    pub fn convert(&mut self, options: Option<convert::ConvertOptions>) -> &mut CleanerBuilder {
        self.convert = options;
        self
    }

    /// Builds the cleaner.
    ///
    /// # Errors
    /// When a stage's options are invalid (for example a user dictionary that cannot be
    /// read or parsed).
    pub fn build(&self) -> Result<Cleaner, Error> {
        Ok(Cleaner {
            repairer: self.repair.clone().map(repair::Repairer::with_options),
            stripper: self.strip.clone().map(strip::Stripper::with_options),
            converter: match &self.convert {
                Some(o) => Some(convert::Converter::with_options(o.clone())?),
                None => None,
            },
        })
    }
}

/// An error in a stage's configuration. Bad *input* is never an error.
#[derive(Debug)]
pub struct Error {
    message: String,
}

impl Error {
    #[allow(dead_code)] // used by stages whose options can fail
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The README's Rust example is compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<Cleaner>();
        assert_send_sync::<Report>();
        assert_send_sync::<Error>();
    }

    #[test]
    fn all_stages_off_borrows_input() {
        let c = Cleaner::builder()
            .repair(None)
            .strip(None)
            .convert(None)
            .build()
            .unwrap();
        let out = c.clean("任何文本 any text");
        assert!(matches!(out.text, Cow::Borrowed(_)));
    }
}
