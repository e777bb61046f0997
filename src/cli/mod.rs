//! The `zhclean` command: argument parsing, I/O, threads, reporting. All cleaning is done
//! by the library; this module only decides where bytes come from and go to.

mod args;
mod explain;
mod input;
mod output;
mod process;
mod stats;

use std::fs::File;
use std::io::{self, BufRead, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use clap::{CommandFactory, Parser};
use zhclean::records::jsonl::FieldPath;
use zhclean::records::warc;
use zhclean::strip::RepeatHints;
use zhclean::{convert, repair, Cleaner};

use args::{Args, Format, Generate};
use input::{io_msg, Input};
use output::Output;
use process::{Batch, BatchKind, Done, Job};
use stats::Stats;

/// How a run ended badly.
enum Fatal {
    /// Usage or I/O failure: message, exit 2.
    Failed(String),
    /// The reader of our output went away: exit 0 quietly.
    BrokenPipe,
}

impl From<String> for Fatal {
    fn from(s: String) -> Fatal {
        Fatal::Failed(s)
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if let Some(what) = args.generate {
        return generate(what);
    }
    match run(args) {
        Ok(problems) => ExitCode::from(if problems > 0 { 1 } else { 0 }),
        Err(Fatal::BrokenPipe) => ExitCode::SUCCESS,
        Err(Fatal::Failed(msg)) => {
            eprintln!("zhclean: {msg}");
            ExitCode::from(2)
        }
    }
}

fn generate(what: Generate) -> ExitCode {
    let mut cmd = Args::command();
    let mut out = io::stdout().lock();
    let res = match what {
        Generate::Man => clap_mangen::Man::new(cmd).render(&mut out),
        shell => {
            use clap_complete::Shell;
            let sh = match shell {
                Generate::Bash => Shell::Bash,
                Generate::Zsh => Shell::Zsh,
                Generate::Fish => Shell::Fish,
                Generate::Elvish => Shell::Elvish,
                _ => Shell::PowerShell,
            };
            clap_complete::generate(sh, &mut cmd, "zhclean", &mut out);
            Ok(())
        }
    };
    match res.and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zhclean: <stdout>: {}", io_msg(&e));
            ExitCode::from(2)
        }
    }
}

fn build_cleaner(args: &Args) -> Result<Cleaner, String> {
    let mut b = Cleaner::builder();
    if args.no_repair {
        b.repair(None);
    } else {
        let mut o = repair::RepairOptions::new();
        if let Some(m) = o.mojibake.as_mut() {
            m.drop_unrecoverable = args.drop_unrecoverable;
        }
        if let Some(a) = o.artifacts.as_mut() {
            a.whitespace = !args.keep_whitespace;
            a.fullwidth_ascii = args.fullwidth_ascii;
            a.cjk_punct = match args.cjk_punct {
                args::CjkPunct::Keep => repair::artifacts::CjkPunct::Keep,
                args::CjkPunct::Fullwidth => repair::artifacts::CjkPunct::Fullwidth,
                args::CjkPunct::Halfwidth => repair::artifacts::CjkPunct::Halfwidth,
            };
        }
        b.repair(Some(o));
    }
    if args.no_strip {
        b.strip(None);
    }
    if args.no_convert {
        b.convert(None);
    } else {
        let mut o = match &args.convert {
            Some(name) => convert::ConvertOptions::config(name),
            None => convert::ConvertOptions::default(),
        };
        o.dicts = args.dict.clone();
        b.convert(Some(o));
    }
    b.build().map_err(|e| e.to_string())
}

/// Batches are cut at this many bytes of input …
const BATCH_BYTES: usize = 256 * 1024;
/// … or this many records.
const BATCH_RECORDS: usize = 4096;

fn run(args: Args) -> Result<u64, Fatal> {
    let started = Instant::now();
    if let Some(enc) = &args.encoding {
        if zhclean::decode::lookup(enc).is_none() {
            return Err(Fatal::Failed(format!(
                "--encoding {enc}: unknown encoding (use a WHATWG label such as gbk, gb18030, big5, utf-16le, shift_jis)"
            )));
        }
    }
    let field = FieldPath::parse(&args.field)
        .ok_or_else(|| format!("--field {:?}: empty key in the path", args.field))?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let job = Arc::new(Job {
        cleaner: build_cleaner(&args)?,
        field,
        encoding: args.encoding.clone(),
        want_report: args.report.is_some(),
        explain: args.explain,
    });
    let files: Vec<Option<PathBuf>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files.iter().cloned().map(Some).collect()
    };
    // Open every input first, so a missing file fails before any output is written.
    for f in files.iter().flatten() {
        if f.as_os_str() != "-" {
            let meta =
                std::fs::metadata(f).map_err(|e| format!("{}: {}", f.display(), io_msg(&e)))?;
            if meta.is_dir() {
                return Err(Fatal::Failed(format!(
                    "{}: is a directory (give files, or use a shell glob)",
                    f.display()
                )));
            }
        }
    }
    let output = Output::open(args.output.as_deref(), args.line_buffered)?;
    let report = match &args.report {
        Some(p) => Some(BufWriter::new(
            File::create(p).map_err(|e| format!("{}: {}", p.display(), io_msg(&e)))?,
        )),
        None => None,
    };
    let total_bytes: u64 = files
        .iter()
        .flatten()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let progress = (!args.no_progress && !args.explain && io::stderr().is_terminal()).then(|| {
        let pb = indicatif::ProgressBar::new(total_bytes.max(1));
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
            )
            .expect("valid template"),
        );
        pb
    });
    let writer = Writer {
        output,
        report,
        stats: Stats::default(),
        quiet: args.quiet,
        progress: progress.clone(),
        file_index: 0,
        line_base: 1,
    };
    let reading = Reading {
        format: args.format,
        separator: args.doc_separator.clone(),
        one_at_a_time: args.line_buffered,
        cross_doc: !args.no_cross_doc && !args.no_strip,
        count_lines: args.report.is_some(),
        progress,
    };
    let (writer, read_result) = if threads == 1 {
        let mut sink = Inline { job: &job, writer };
        let r = reading.read_all(&files, &mut sink);
        (Ok(sink.writer), r)
    } else {
        pooled(job.clone(), writer, threads, |sink| {
            reading.read_all(&files, sink)
        })
    };
    let writer = match (writer, read_result) {
        (Err(e), _) => return Err(e),
        (Ok(_), Err(e)) => return Err(e),
        (Ok(w), Ok(())) => w,
    };
    if let Some(pb) = &writer.progress {
        pb.finish_and_clear();
    }
    let stats = writer.stats.clone();
    writer.finish()?;
    if args.stats {
        eprint!("{}", stats.summary(started.elapsed(), threads));
    }
    Ok(stats.problems)
}

/// Receives batches in input order from the reader.
trait Sink {
    /// Hands over a batch; `Err` when the run must stop (the writer failed).
    fn submit(&mut self, batch: Batch) -> Result<(), Fatal>;
}

/// Writes results in order: output, report lines, problems on stderr.
struct Writer {
    output: Output,
    report: Option<BufWriter<File>>,
    stats: Stats,
    quiet: bool,
    progress: Option<indicatif::ProgressBar>,
    /// The input of the last batch written, and the line number its next batch starts at.
    file_index: usize,
    line_base: u64,
}

impl Writer {
    fn accept(&mut self, done: Done) -> Result<(), Fatal> {
        self.output.write(&done.out).map_err(|e| self.out_err(e))?;
        if let Some(r) = &mut self.report {
            r.write_all(&done.reports)
                .map_err(|e| Fatal::Failed(format!("report file: {}", io_msg(&e))))?;
        }
        if done.file_index != self.file_index {
            self.file_index = done.file_index;
            self.line_base = 1;
        }
        if !self.quiet {
            for (rel, p) in &done.problems {
                let msg = match rel {
                    Some(rel) => format!("{}:{}: {p}", done.file, self.line_base + rel),
                    None => p.clone(),
                };
                match &self.progress {
                    Some(pb) => pb.suspend(|| eprintln!("zhclean: {msg}")),
                    None => eprintln!("zhclean: {msg}"),
                }
            }
        }
        self.line_base += done.lines;
        self.stats.merge(&done.stats);
        Ok(())
    }

    fn out_err(&self, e: io::Error) -> Fatal {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Fatal::BrokenPipe
        } else {
            Fatal::Failed(format!(
                "{}: write error: {}",
                self.output.name(),
                io_msg(&e)
            ))
        }
    }

    fn finish(self) -> Result<(), Fatal> {
        let name = self.output.name().to_string();
        if let Some(mut r) = self.report {
            r.flush()
                .map_err(|e| Fatal::Failed(format!("report file: {}", io_msg(&e))))?;
        }
        self.output.finish().map_err(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                Fatal::BrokenPipe
            } else {
                Fatal::Failed(format!("{name}: write error: {}", io_msg(&e)))
            }
        })
    }
}

/// Single-threaded: process each batch as it is read.
struct Inline<'a> {
    job: &'a Job,
    writer: Writer,
}

impl Sink for Inline<'_> {
    fn submit(&mut self, batch: Batch) -> Result<(), Fatal> {
        let done = self.job.process(batch);
        self.writer.accept(done)
    }
}

/// Several threads: the reader (this thread) feeds workers, a writer thread restores order.
/// At most `4 × threads` batches are in flight, so memory stays bounded.
struct Pool {
    tx: Option<crossbeam_channel::Sender<Batch>>,
    tokens: crossbeam_channel::Receiver<()>,
}

impl Sink for Pool {
    fn submit(&mut self, batch: Batch) -> Result<(), Fatal> {
        // A token per batch in flight; the writer returns it after writing the batch.
        if self.tokens.recv().is_err() {
            return Err(Fatal::BrokenPipe); // the writer stopped; its own error is reported
        }
        let tx = self
            .tx
            .as_ref()
            .expect("sender lives until the pool is joined");
        tx.send(batch).map_err(|_| Fatal::BrokenPipe)
    }
}

fn pooled(
    job: Arc<Job>,
    mut writer: Writer,
    threads: usize,
    read: impl FnOnce(&mut Pool) -> Result<(), Fatal>,
) -> (Result<Writer, Fatal>, Result<(), Fatal>) {
    let in_flight = 4 * threads;
    let (tx, rx) = crossbeam_channel::bounded::<Batch>(in_flight);
    let (done_tx, done_rx) = crossbeam_channel::bounded::<Done>(in_flight);
    let (tok_tx, tok_rx) = crossbeam_channel::bounded::<()>(in_flight);
    for _ in 0..in_flight {
        tok_tx.send(()).expect("capacity");
    }
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let rx = rx.clone();
            let done_tx = done_tx.clone();
            let job = &job;
            scope.spawn(move || {
                for batch in rx {
                    if done_tx.send(job.process(batch)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(rx);
        drop(done_tx);
        let writer_thread = scope.spawn(move || {
            let mut pending = std::collections::BTreeMap::new();
            let mut next = 0u64;
            for done in done_rx {
                pending.insert(done.seq, done);
                while let Some(d) = pending.remove(&next) {
                    writer.accept(d)?;
                    next += 1;
                    let _ = tok_tx.send(());
                }
            }
            Ok(writer)
        });
        let mut pool = Pool {
            tx: Some(tx),
            tokens: tok_rx,
        };
        let read_result = read(&mut pool);
        pool.tx = None; // close the queue: workers finish, then the writer
        let writer_result = writer_thread
            .join()
            .expect("the writer thread does not panic");
        (writer_result, read_result)
    })
}

/// The host of a URL, as the site key of cross-document repetition.
fn site_of(url: Option<&str>) -> Option<&str> {
    let rest = url?.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// An input's name for messages and its position in the argument list.
struct Source {
    name: Arc<str>,
    index: usize,
}

impl Source {
    /// Hands the next batch of this input to the sink, numbering it in stream order.
    fn send(&self, sink: &mut dyn Sink, seq: &mut u64, kind: BatchKind) -> Result<(), Fatal> {
        let batch = Batch {
            seq: *seq,
            file: self.name.clone(),
            file_index: self.index,
            kind,
        };
        *seq += 1;
        sink.submit(batch)
    }
}

/// Reads inputs and cuts them into batches.
struct Reading {
    format: Format,
    separator: Option<String>,
    one_at_a_time: bool,
    /// Feed WARC pages to a line history for cross-document repetition hints.
    cross_doc: bool,
    /// Number JSONL lines as they are read (only `--report` needs it; problems are
    /// numbered by the writer).
    count_lines: bool,
    progress: Option<indicatif::ProgressBar>,
}

impl Reading {
    fn read_all(&self, files: &[Option<PathBuf>], sink: &mut dyn Sink) -> Result<(), Fatal> {
        let mut seq = 0u64;
        let mut done_bytes = 0u64;
        for (file_index, f) in files.iter().enumerate() {
            let mut input = input::open(f.as_deref())?;
            let format = self.detect(&mut input)?;
            let name = Source {
                name: Arc::from(input.name.as_str()),
                index: file_index,
            };
            let r = match format {
                Format::Jsonl => self.read_jsonl(&mut input, &name, &mut seq, sink, done_bytes),
                Format::Warc => self.read_warc(&mut input, &name, &mut seq, sink, done_bytes),
                _ => self.read_text(&mut input, &name, &mut seq, sink, done_bytes),
            };
            r?;
            done_bytes += input.raw_bytes.load(Ordering::Relaxed);
        }
        Ok(())
    }

    fn tick(&self, input: &Input, before: u64) {
        if let Some(pb) = &self.progress {
            pb.set_position(before + input.raw_bytes.load(Ordering::Relaxed));
        }
    }

    fn detect(&self, input: &mut Input) -> Result<Format, Fatal> {
        if self.format != Format::Auto {
            return Ok(self.format);
        }
        if let Some(ext) = input.path.as_deref().and_then(input::base_extension) {
            match ext.as_str() {
                "jsonl" | "ndjson" | "json" => return Ok(Format::Jsonl),
                "warc" | "wet" => return Ok(Format::Warc),
                "txt" | "text" => return Ok(Format::Text),
                _ => {}
            }
        }
        let head = match input.reader.fill_buf() {
            Ok(h) => h,
            Err(e) => {
                let msg = format!("{}: {}", input.name, io_msg(&e));
                return Err(Fatal::Failed(msg));
            }
        };
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let first = head.iter().position(|b| !b.is_ascii_whitespace());
        Ok(match first.map(|i| &head[i..]) {
            Some(h) if h.starts_with(b"WARC/") => Format::Warc,
            Some(h) if h.starts_with(b"{") => Format::Jsonl,
            _ => Format::Text,
        })
    }

    fn read_jsonl(
        &self,
        input: &mut Input,
        name: &Source,
        seq: &mut u64,
        sink: &mut dyn Sink,
        before: u64,
    ) -> Result<(), Fatal> {
        let mut line_no = 1u64;
        let mut at_start = true;
        let mut offset = 0u64;
        let mut carry: Vec<u8> = Vec::new();
        loop {
            // Fill a batch with whole lines: read blocks, cut after the last newline, carry
            // the partial line over. One record at a time when line-buffered.
            let mut data = std::mem::take(&mut carry);
            let mut failure = None;
            let mut eof = false;
            loop {
                if self.one_at_a_time {
                    match input.reader.read_until(b'\n', &mut data) {
                        Ok(0) => eof = true,
                        Ok(n) => offset += n as u64,
                        Err(e) => failure = Some(e),
                    }
                    break;
                }
                let block = match input.reader.fill_buf() {
                    Ok(b) => b,
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                };
                if block.is_empty() {
                    eof = true;
                    break;
                }
                let n = block.len();
                data.extend_from_slice(block);
                input.reader.consume(n);
                offset += n as u64;
                if data.len() >= BATCH_BYTES
                    && memchr::memchr(b'\n', &data[data.len() - n..]).is_some()
                {
                    break;
                }
            }
            if !eof && failure.is_none() {
                if let Some(p) = memchr::memrchr(b'\n', &data) {
                    carry = data.split_off(p + 1);
                }
            } else if failure.is_some() {
                // Keep only complete lines: they are written before the error is reported.
                let keep = memchr::memrchr(b'\n', &data).map_or(0, |p| p + 1);
                data.truncate(keep);
            }
            let first_line = line_no;
            if self.count_lines {
                line_no += memchr::memchr_iter(b'\n', &data).count() as u64;
            }
            if !data.is_empty() {
                let kind = BatchKind::Jsonl {
                    data,
                    first_line: self.count_lines.then_some(first_line),
                    at_start,
                };
                name.send(sink, seq, kind)?;
                at_start = false;
                self.tick(input, before);
            }
            if let Some(e) = failure {
                return Err(Fatal::Failed(input.describe_error(&e, offset)));
            }
            if eof {
                return Ok(());
            }
        }
    }

    fn read_text(
        &self,
        input: &mut Input,
        name: &Source,
        seq: &mut u64,
        sink: &mut dyn Sink,
        before: u64,
    ) -> Result<(), Fatal> {
        let mut submit =
            |doc: Vec<u8>, index: u64, separator_after: Option<Vec<u8>>, sink: &mut dyn Sink| {
                let kind = BatchKind::Text {
                    doc,
                    index,
                    separator_after,
                };
                name.send(sink, seq, kind)
            };
        let Some(sep) = &self.separator else {
            let mut doc = Vec::new();
            if let Err(e) = input.reader.read_to_end(&mut doc) {
                let msg = input.describe_error(&e, doc.len() as u64);
                // Clean what arrived intact before reporting the damage.
                submit(doc, 1, None, sink)?;
                return Err(Fatal::Failed(msg));
            }
            submit(doc, 1, None, sink)?;
            self.tick(input, before);
            return Ok(());
        };
        let mut index = 1u64;
        let mut doc = Vec::new();
        let mut line = Vec::new();
        let mut offset = 0u64;
        loop {
            line.clear();
            let n = match input.reader.read_until(b'\n', &mut line) {
                Ok(n) => n,
                Err(e) => {
                    let msg = input.describe_error(&e, offset);
                    submit(std::mem::take(&mut doc), index, None, sink)?;
                    return Err(Fatal::Failed(msg));
                }
            };
            offset += n as u64;
            if n == 0 {
                if !doc.is_empty() {
                    submit(doc, index, None, sink)?;
                }
                return Ok(());
            }
            let bare = line.strip_suffix(b"\n").unwrap_or(&line);
            let bare = bare.strip_suffix(b"\r").unwrap_or(bare);
            if bare == sep.as_bytes() {
                let mut sep_line = line.clone();
                if !sep_line.ends_with(b"\n") {
                    sep_line.push(b'\n');
                }
                submit(std::mem::take(&mut doc), index, Some(sep_line), sink)?;
                index += 1;
                self.tick(input, before);
            } else {
                doc.extend_from_slice(&line);
            }
        }
    }

    fn read_warc(
        &self,
        input: &mut Input,
        name: &Source,
        seq: &mut u64,
        sink: &mut dyn Sink,
        before: u64,
    ) -> Result<(), Fatal> {
        let mut reader = warc::Reader::new(&mut input.reader);
        let mut history = self
            .cross_doc
            .then(|| zhclean::strip::LineHistory::new(zhclean::strip::HistoryOptions::default()));
        let mut items = Vec::new();
        let mut bytes = 0usize;
        let mut failure = None;
        loop {
            match reader.next_item() {
                Ok(Some(item)) => {
                    let mut hints = RepeatHints::default();
                    if let warc::Item::Record(r) = &item {
                        bytes += r.block.len();
                        // Lines recurring across the pages of a site, observed here, in
                        // input order, so the result does not depend on -j. WET text is
                        // UTF-8; other blocks are not observed.
                        if let (Some(h), true) = (history.as_mut(), process::is_text_record(r)) {
                            if let Ok(text) = simdutf8::basic::from_utf8(&r.block) {
                                hints = h.observe(site_of(r.header("WARC-Target-URI")), text);
                            }
                        }
                    }
                    items.push((item, hints));
                    if bytes < BATCH_BYTES && items.len() < BATCH_RECORDS && !self.one_at_a_time {
                        continue;
                    }
                }
                Ok(None) => {}
                Err(e) => failure = Some((e, reader.offset())),
            }
            let finished = items.is_empty() || failure.is_some();
            if !items.is_empty() {
                let kind = BatchKind::Warc {
                    items: std::mem::take(&mut items),
                };
                name.send(sink, seq, kind)?;
                bytes = 0;
            }
            if let Some((e, off)) = failure.take() {
                drop(reader);
                return Err(Fatal::Failed(input.describe_error(&e, off)));
            }
            if finished {
                break;
            }
            // After a partial batch at the end of input the next read returns None.
        }
        self.tick(input, before);
        Ok(())
    }
}
