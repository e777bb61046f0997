//! Web-text artifact repair. (Stub: lands with its issue.)

use std::borrow::Cow;

use super::RepairReport;

/// Options of artifact repair.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ArtifactOptions {}

/// Repairs web artifacts in `text`, appending each repair to `report`.
pub fn repair<'t>(
    text: &'t str,
    options: &ArtifactOptions,
    report: &mut RepairReport,
) -> Cow<'t, str> {
    let _ = (options, report);
    Cow::Borrowed(text)
}
