//! Mojibake repair. (Stub: lands with its issue.)

use std::borrow::Cow;

use super::RepairReport;

/// Options of mojibake repair.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MojibakeOptions {}

/// Repairs mojibake spans in `text`, appending each repair to `report`.
pub fn repair<'t>(
    text: &'t str,
    options: &MojibakeOptions,
    report: &mut RepairReport,
) -> Cow<'t, str> {
    let _ = (options, report);
    Cow::Borrowed(text)
}
