//! The output sink: stdout (line-buffered on a terminal, block-buffered otherwise) or a
//! file, compressed by its extension.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use super::input::io_msg;

/// Where cleaned records go.
pub struct Output {
    name: String,
    inner: Sink,
    /// Flush after every write.
    pub line_buffered: bool,
}

enum Sink {
    Plain(BufWriter<Box<dyn Write + Send>>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<File>>),
}

const BUF: usize = 1 << 18;

impl Output {
    /// Opens `-o FILE`, or stdout.
    pub fn open(path: Option<&Path>, line_buffered: bool) -> Result<Output, String> {
        match path {
            None => {
                let tty = io::stdout().is_terminal();
                let out: Box<dyn Write + Send> = Box::new(io::stdout());
                Ok(Output {
                    name: "<stdout>".into(),
                    inner: Sink::Plain(BufWriter::with_capacity(BUF, out)),
                    line_buffered: line_buffered || tty,
                })
            }
            Some(p) => {
                let name = p.display().to_string();
                let f = File::create(p).map_err(|e| format!("{name}: {}", io_msg(&e)))?;
                let w = BufWriter::with_capacity(BUF, f);
                let lower = name.to_ascii_lowercase();
                let inner = if lower.ends_with(".gz") {
                    Sink::Gzip(flate2::write::GzEncoder::new(
                        w,
                        flate2::Compression::default(),
                    ))
                } else if lower.ends_with(".zst") || lower.ends_with(".zstd") {
                    let enc = zstd::stream::write::Encoder::new(w, 3)
                        .map_err(|e| format!("{name}: {e}"))?;
                    Sink::Zstd(enc)
                } else {
                    Sink::Plain(BufWriter::with_capacity(BUF, Box::new(w)))
                };
                Ok(Output {
                    name,
                    inner,
                    line_buffered,
                })
            }
        }
    }

    /// The name for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Writes bytes (and flushes when line-buffered).
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.inner {
            Sink::Plain(w) => w.write_all(bytes)?,
            Sink::Gzip(w) => w.write_all(bytes)?,
            Sink::Zstd(w) => w.write_all(bytes)?,
        }
        if self.line_buffered {
            self.flush()?;
        }
        Ok(())
    }

    /// Flushes buffered bytes.
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => w.flush(),
            Sink::Zstd(w) => w.flush(),
        }
    }

    /// Finishes compression and flushes everything.
    pub fn finish(self) -> io::Result<()> {
        match self.inner {
            Sink::Plain(mut w) => w.flush(),
            Sink::Gzip(w) => w.finish()?.flush(),
            Sink::Zstd(w) => w.finish()?.flush(),
        }
    }
}
