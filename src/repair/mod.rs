//! Stage 1: repair encoding damage without ever changing clean text.
//!
//! Two passes, each in its own module:
//! - [`mojibake`]: text that went through the wrong decoder (UTF-8 read as GBK, GBK read
//!   as Latin-1, double layers, bytes lost by strict decoders), span by span;
//! - [`artifacts`]: web-text artifacts (content-farm pinyin glosses, separators lost to
//!   `?`, HTML entities, invisible characters, whitespace at line ends).

use std::borrow::Cow;

use serde::Serialize;

pub mod artifacts;
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
    /// Start of the damaged span, in code points into the pass's input.
    pub start: usize,
    /// End (exclusive) of the damaged span, in code points.
    pub end: usize,
    /// What kind of damage: a mojibake chain such as `utf8>gbk`, or an artifact kind
    /// such as `entity`, `pinyin-gloss`.
    pub kind: String,
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
    /// When the artifact pass changed something (say, removed controls between two
    /// characters), the text it leaves can hold mojibake the first pass could not see, so
    /// both passes run once more; this keeps repair idempotent
    /// (`repair(repair(x)) == repair(x)`, pinned by `tests/properties.rs`).
    pub fn repair<'t>(&self, text: &'t str, report: &mut RepairReport) -> Cow<'t, str> {
        let mut cur = Cow::Borrowed(text);
        for round in 0..2 {
            if let Some(o) = &self.options.mojibake {
                cur = crate::chain_stage(cur, |t| mojibake::repair(t, o, report));
            }
            let mut changed = false;
            if let Some(o) = &self.options.artifacts {
                cur = crate::chain_stage(cur, |t| {
                    let out = artifacts::repair(t, o, report);
                    changed = !matches!(&out, Cow::Borrowed(b) if b.len() == t.len());
                    out
                });
            }
            if !changed || round == 1 {
                break;
            }
        }
        cur
    }
}
