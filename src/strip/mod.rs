//! Stage 2: strip boilerplate lines.
//!
//! (Stub: the line classifier lands with its issue.)

use std::borrow::Cow;

use serde::Serialize;

/// Options of the strip stage.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct StripOptions {}

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
        let _ = report;
        Cow::Borrowed(text)
    }
}
