//! Stage 1: repair encoding damage.
//!
//! (Stub: the mojibake and web-artifact repairs land with their issues.)

use std::borrow::Cow;

use serde::Serialize;

/// Options of the repair stage.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RepairOptions {
    /// Remove damage that cannot be undone (`锟斤拷`, runs of U+FFFD) instead of only
    /// counting it.
    pub drop_unrecoverable: bool,
}

/// The repair stage.
#[derive(Debug, Clone, Default)]
pub struct Repairer {
    options: RepairOptions,
}

/// What the repair stage did to one document.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RepairReport {
    /// Each repair made.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<Repair>,
}

/// One repair: a span of the input replaced.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Repair {
    /// Start of the damaged span, in code points into the stage's input.
    pub start: usize,
    /// End (exclusive) of the damaged span, in code points.
    pub end: usize,
    /// What kind of damage, e.g. `utf8>gbk` for a mojibake chain, or `entity`.
    pub kind: String,
    /// The text that replaced the span.
    pub replacement: String,
    /// How sure the repair is, from 0 to 1.
    pub confidence: f32,
}

impl RepairReport {
    /// True when nothing was repaired.
    pub fn is_empty(&self) -> bool {
        self.repairs.is_empty()
    }
}

impl Repairer {
    /// A repairer with default options.
    pub fn new() -> Repairer {
        Repairer::with_options(RepairOptions::default())
    }

    /// A repairer with the given options.
    pub fn with_options(options: RepairOptions) -> Repairer {
        Repairer { options }
    }

    /// The options this repairer was built with.
    pub fn options(&self) -> &RepairOptions {
        &self.options
    }

    /// Repairs one document. Borrowed when nothing changed.
    pub fn repair<'t>(&self, text: &'t str, report: &mut RepairReport) -> Cow<'t, str> {
        let _ = report;
        Cow::Borrowed(text)
    }
}
