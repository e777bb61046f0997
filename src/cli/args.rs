//! Command-line flags: the single definition that `--help`, the man page and the shell
//! completions are all generated from.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  Clean a page (repair, strip boilerplate, convert to simplified):
    zhclean page.txt > clean.txt

  Clean the `text` field of a JSONL shard, one output line per input line:
    zcat shard.jsonl.gz | zhclean --format jsonl | zstd > clean.jsonl.zst
    zhclean shard.jsonl.gz -o clean.jsonl.zst        (compression by magic bytes / extension)

  A nested field, only repair and strip, Taiwan config kept out:
    zhclean --field meta.body --no-convert shard.jsonl

  Common Crawl WET files to JSONL {id, url, date, text}:
    zhclean CC-MAIN-*.warc.wet.gz -o pages.jsonl.zst

  See what would change in one page, and why:
    zhclean --explain page.txt

  Many shards on all cores (each process single-threaded):
    ls shards/*.jsonl.gz | parallel -j 8 'zhclean -j 1 {} -o out/{/.}.zst'

Exit status: 0 ok; 1 finished, but some records had problems (they passed through
unchanged and were reported on stderr with their position); 2 usage or I/O failure.
A closed stdout (zhclean big.jsonl | head) ends the run quietly with status 0.";

/// Clean Chinese web text: repair mojibake and web artifacts, strip boilerplate lines,
/// convert traditional to simplified (OpenCC 1.4.2-exact).
///
/// Reads FILEs (or standard input) and writes the cleaned documents to standard output.
/// gzip and zstd input are recognised by their magic bytes.
#[derive(Debug, Parser)]
#[command(name = "zhclean", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Args {
    /// Input files; none or `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Write to FILE instead of standard output; `.gz` or `.zst` compresses.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Input format. `auto` decides by file extension (.jsonl/.ndjson/.json, .warc/.wet,
    /// else text), then by the first bytes (`WARC/`, `{`).
    #[arg(long, value_enum, default_value_t = Format::Auto, help_heading = "Input")]
    pub format: Format,

    /// JSONL: the string field to clean; a dotted path reaches nested objects
    /// (`meta.body`). Every other field, and the key order, is kept byte for byte.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "text",
        help_heading = "Input"
    )]
    pub field: String,

    /// Text: split the input into documents on lines equal to LINE; the separator lines
    /// are written back between the cleaned documents.
    #[arg(long, value_name = "LINE", help_heading = "Input")]
    pub doc_separator: Option<String>,

    /// Text and WARC: decode input that is not UTF-8 with this encoding (any WHATWG label:
    /// gbk, gb18030, big5, utf-16le, shift_jis…) instead of the declared or detected one.
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub encoding: Option<String>,

    /// Turn off the repair stage (mojibake, lost characters, glosses, entities).
    #[arg(long, help_heading = "Stages")]
    pub no_repair: bool,

    /// Turn off the strip stage (boilerplate lines).
    #[arg(long, help_heading = "Stages")]
    pub no_strip: bool,

    /// Turn off the convert stage.
    #[arg(long, help_heading = "Stages")]
    pub no_convert: bool,

    /// Conversion config: an OpenCC 1.4.2 name (t2s, tw2s, tw2sp, hk2s, hk2sp, s2t, s2tw,
    /// s2twp, s2hk, s2hkp, t2tw, t2hk, tw2t, hk2t, t2jp, jp2t), or `auto2s` (the default):
    /// web text of any region to simplified — tw2s for text in Taiwan forms, hk2s
    /// otherwise. Documents with Japanese kana are left alone.
    #[arg(long, value_name = "CONFIG", help_heading = "Stages")]
    pub convert: Option<String>,

    /// Extra conversion pairs (OpenCC's format: `from<TAB>to`), winning over the built-in
    /// dictionaries. Repeatable.
    #[arg(long, value_name = "FILE", help_heading = "Stages")]
    pub dict: Vec<PathBuf>,

    /// Remove damage that cannot be repaired (`锟斤拷`, runs of U+FFFD) instead of only
    /// counting it.
    #[arg(long, help_heading = "Stages")]
    pub drop_unrecoverable: bool,

    /// WARC: don't use lines that recur across the pages of one site (seen earlier in the
    /// stream) as a boilerplate signal. The signal is deterministic whatever `-j` is.
    #[arg(long, help_heading = "Stages")]
    pub no_cross_doc: bool,

    /// Keep white space as it is. By default the repair stage writes line breaks as LF,
    /// trims spaces (ASCII, no-break, `　` U+3000 and the other Unicode spaces) at both
    /// ends of each line, paragraph indents included, and collapses runs of blank lines
    /// to one.
    #[arg(long, help_heading = "Stages")]
    pub keep_whitespace: bool,

    /// Opt-in: full-width ASCII letters, digits and symbols (`ＡＢＣ１２３`) → half-width.
    #[arg(long, help_heading = "Stages")]
    pub fullwidth_ascii: bool,

    /// Opt-in punctuation normalisation: `fullwidth` turns `,` `!` `?` `:` `;` between CJK
    /// characters into `，` `！` `？` `：` `；` (`5月20日,江苏` → `5月20日，江苏`);
    /// `halfwidth` does the reverse everywhere. Default: keep.
    #[arg(long, value_enum, value_name = "MODE", default_value_t = CjkPunct::Keep, help_heading = "Stages")]
    pub cjk_punct: CjkPunct,

    /// Worker threads (default: all cores). Output order is always the input order.
    #[arg(short = 'j', long, value_name = "N", help_heading = "Run")]
    pub threads: Option<usize>,

    /// Print, per document, every change (before → after, with its reason) instead of the
    /// cleaned output.
    #[arg(long, help_heading = "Run")]
    pub explain: bool,

    /// Write one JSON line per document with what each stage did.
    #[arg(long, value_name = "FILE", help_heading = "Run")]
    pub report: Option<PathBuf>,

    /// Print a summary on stderr at the end (documents, bytes, MB/s, what each stage did).
    #[arg(long, help_heading = "Run")]
    pub stats: bool,

    /// Flush after every record and read one record at a time (for drivers that send a
    /// document and wait for its answer). Default: line-buffered on a terminal,
    /// block-buffered otherwise.
    #[arg(long, help_heading = "Run")]
    pub line_buffered: bool,

    /// Never show the progress bar (it is shown only when stderr is a terminal).
    #[arg(long, help_heading = "Run")]
    pub no_progress: bool,

    /// Print no per-record warnings on stderr (they are still counted, and the exit
    /// status still says so).
    #[arg(short = 'q', long, help_heading = "Run")]
    pub quiet: bool,

    /// Print a man page or a shell completion script and exit.
    #[arg(long, value_enum, value_name = "WHAT", help_heading = "Run")]
    pub generate: Option<Generate>,
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Decide by extension, then by content.
    Auto,
    /// A file (or each `--doc-separator` part) is one document; its output ends with a
    /// line break.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// WARC/WET records; output is JSONL {id, url, date, text}.
    Warc,
}

/// `--cjk-punct` modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CjkPunct {
    /// Leave punctuation alone.
    Keep,
    /// ASCII punctuation between CJK characters → full-width.
    Fullwidth,
    /// Full-width punctuation → ASCII.
    Halfwidth,
}

/// What `--generate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Generate {
    /// A roff man page.
    Man,
    /// bash completions.
    Bash,
    /// zsh completions.
    Zsh,
    /// fish completions.
    Fish,
    /// elvish completions.
    Elvish,
    /// PowerShell completions.
    Powershell,
}
