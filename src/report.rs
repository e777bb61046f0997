//! The per-document report: what each stage did.

use serde::Serialize;

use crate::{
    convert::ConvertReport, decode::DecodeReport, repair::RepairReport, strip::StripReport,
};

/// What the pipeline did to one document. Offsets are in Unicode code points (as dolma
/// counts them) into the text the stage received.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Report {
    /// How the bytes were decoded (absent when the input was already text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decode: Option<DecodeReport>,
    /// What the repair stage changed.
    pub repair: RepairReport,
    /// Which lines the strip stage dropped, and why.
    pub strip: StripReport,
    /// What the convert stage changed.
    pub convert: ConvertReport,
}

impl Report {
    /// True when no stage changed anything and decoding was clean.
    pub fn is_unchanged(&self) -> bool {
        self.decode.as_ref().is_none_or(|d| d.errors == 0)
            && self.repair.is_empty()
            && self.strip.is_empty()
            && self.convert.is_empty()
    }
}
