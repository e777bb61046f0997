//! Opening inputs: files or stdin, gzip/zstd recognised by magic bytes, byte counters
//! for progress and error positions.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How an input is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// An opened input.
pub struct Input {
    /// The name to use in messages (`<stdin>` for standard input).
    pub name: String,
    /// The path, when it is a file.
    pub path: Option<PathBuf>,
    /// The decompressed bytes.
    pub reader: Box<dyn BufRead + Send>,
    /// Raw (compressed) bytes read so far.
    pub raw_bytes: Arc<AtomicU64>,
    /// How it was compressed.
    pub compression: Compression,
}

impl Input {
    /// Describes an I/O error met while reading this input, with the position.
    pub fn describe_error(&self, err: &io::Error, decompressed_offset: u64) -> String {
        let raw = self.raw_bytes.load(Ordering::Relaxed);
        match self.compression {
            Compression::None => format!("{}: read error at byte {raw}: {err}", self.name),
            c => format!(
                "{}: {} stream damaged near compressed byte {raw} (decompressed byte {decompressed_offset}): {err}",
                self.name,
                if c == Compression::Gzip { "gzip" } else { "zstd" }
            ),
        }
    }
}

struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

const BUF: usize = 1 << 20;

/// Opens a file (`-` for stdin) and wraps it in a decompressor chosen by magic bytes.
pub fn open(path: Option<&Path>) -> Result<Input, String> {
    let (name, raw): (String, Box<dyn Read + Send>) = match path {
        None => ("<stdin>".to_string(), Box::new(io::stdin())),
        Some(p) if p == Path::new("-") => ("<stdin>".to_string(), Box::new(io::stdin())),
        Some(p) => {
            let name = p.display().to_string();
            let meta = std::fs::metadata(p).map_err(|e| format!("{name}: {}", io_msg(&e)))?;
            if meta.is_dir() {
                return Err(format!(
                    "{name}: is a directory (give files, or use a shell glob)"
                ));
            }
            let f = File::open(p).map_err(|e| format!("{name}: {}", io_msg(&e)))?;
            (name, Box::new(f))
        }
    };
    let count = Arc::new(AtomicU64::new(0));
    let mut buffered = BufReader::with_capacity(
        BUF,
        Counting {
            inner: raw,
            count: count.clone(),
        },
    );
    let head = buffered
        .fill_buf()
        .map_err(|e| format!("{name}: {}", io_msg(&e)))?;
    let compression = if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    };
    let reader: Box<dyn BufRead + Send> = match compression {
        Compression::None => Box::new(buffered),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUF,
            flate2::bufread::MultiGzDecoder::new(buffered),
        )),
        Compression::Zstd => {
            let d = zstd::stream::read::Decoder::with_buffer(buffered)
                .map_err(|e| format!("{name}: zstd: {e}"))?;
            Box::new(BufReader::with_capacity(BUF, d))
        }
    };
    Ok(Input {
        name,
        path: path.filter(|p| *p != Path::new("-")).map(Path::to_path_buf),
        reader,
        raw_bytes: count,
        compression,
    })
}

/// An I/O error message without Rust's "(os error N)" noise.
pub fn io_msg(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The file name without compression suffixes, lowercased, for format detection.
pub fn base_extension(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .or_else(|| name.strip_suffix(".zstd"))
        .unwrap_or(&name);
    Some(name.rsplit('.').next()?.to_string())
}
