//! Stage 3: convert between Chinese scripts, exactly as OpenCC 1.4.2 does.
//!
//! (Stub: the converter lands with its issue.)

use std::borrow::Cow;

use serde::Serialize;

/// Options of the convert stage.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConvertOptions {
    /// The OpenCC configuration name: `t2s`, `tw2s`, `hk2s`, `s2t`, ….
    pub config: String,
}

impl Default for ConvertOptions {
    fn default() -> ConvertOptions {
        ConvertOptions {
            config: "t2s".to_string(),
        }
    }
}

impl ConvertOptions {
    /// Options for the named OpenCC configuration.
    pub fn config(name: &str) -> ConvertOptions {
        ConvertOptions {
            config: name.to_string(),
        }
    }
}

/// The convert stage.
#[derive(Debug)]
pub struct Converter {
    options: ConvertOptions,
}

/// What the convert stage did to one document.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ConvertReport {
    /// Characters whose output differs from the input.
    pub chars_changed: usize,
}

impl ConvertReport {
    /// True when nothing was converted.
    pub fn is_empty(&self) -> bool {
        self.chars_changed == 0
    }
}

impl Converter {
    /// A converter for the given options.
    ///
    /// # Errors
    /// When the configuration name is unknown.
    pub fn with_options(options: ConvertOptions) -> Result<Converter, crate::Error> {
        Ok(Converter { options })
    }

    /// The options this converter was built with.
    pub fn options(&self) -> &ConvertOptions {
        &self.options
    }

    /// Converts one document. Borrowed when nothing changed.
    pub fn convert<'t>(&self, text: &'t str, report: &mut ConvertReport) -> Cow<'t, str> {
        let _ = report;
        Cow::Borrowed(text)
    }
}
