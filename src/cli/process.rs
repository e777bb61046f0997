//! Turning a batch of input records into output bytes, report lines and problems.
//! Runs on worker threads; knows nothing of files or ordering.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;
use zhclean::decode::Decoder;
use zhclean::records::jsonl::{self, FieldPath};
use zhclean::records::warc;
use zhclean::strip::RepeatHints;
use zhclean::{Cleaned, Cleaner, Report};

use super::explain;
use super::stats::Stats;

/// Settings shared by all workers.
pub struct Job {
    pub cleaner: Cleaner,
    pub field: FieldPath,
    pub encoding: Option<String>,
    pub want_report: bool,
    pub explain: bool,
}

/// A unit of work: consecutive records of one input.
pub struct Batch {
    pub seq: u64,
    pub file: Arc<str>,
    /// Which input (position in the argument list) the batch comes from.
    pub file_index: usize,
    pub kind: BatchKind,
}

pub enum BatchKind {
    /// Whole lines of a JSONL input, each with its newline (the last may lack one).
    Jsonl {
        data: Vec<u8>,
        /// The input line number of the first line, when `--report` needs it.
        first_line: Option<u64>,
        /// The first line of the input is in this batch (a BOM may need removing).
        at_start: bool,
    },
    /// One text document, and the separator line that followed it in the input.
    Text {
        doc: Vec<u8>,
        index: u64,
        separator_after: Option<Vec<u8>>,
    },
    /// WARC records (or damage found between them), each with the cross-document
    /// repetition hints the reader computed for it.
    Warc {
        items: Vec<(warc::Item, RepeatHints)>,
    },
}

/// What a worker made of a batch.
#[derive(Default)]
pub struct Done {
    pub seq: u64,
    pub file: Arc<str>,
    pub file_index: usize,
    pub out: Vec<u8>,
    pub reports: Vec<u8>,
    /// Warnings: with `Some(n)`, about line `n` (0-based) of this JSONL batch; the writer,
    /// which knows where the batch starts, prefixes the position.
    pub problems: Vec<(Option<u64>, String)>,
    /// Input lines in this batch (JSONL).
    pub lines: u64,
    pub stats: Stats,
}

#[derive(Serialize)]
struct ReportLine<'a> {
    file: &'a str,
    record: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(flatten)]
    report: &'a Report,
}

/// WET `conversion` records and plain-text `resource` records hold page text; every
/// other record type is skipped.
pub fn is_text_record(rec: &warc::Record) -> bool {
    let kind = rec.warc_type();
    let texty = rec.header("Content-Type").is_none_or(|ct| {
        ct.trim_start()
            .to_ascii_lowercase()
            .starts_with("text/plain")
    });
    kind == "conversion" || (kind == "resource" && texty)
}

/// True when the cleaned text is the input itself (stages return the input borrowed, and
/// whole, when they change nothing).
#[allow(clippy::ptr_arg)] // the Cow's variant is the point
fn unchanged(cleaned: &Cow<'_, str>, input: &str) -> bool {
    matches!(cleaned, Cow::Borrowed(s) if s.len() == input.len())
}

impl Job {
    pub fn process(&self, batch: Batch) -> Done {
        let mut done = Done {
            seq: batch.seq,
            file: batch.file.clone(),
            file_index: batch.file_index,
            ..Done::default()
        };
        match batch.kind {
            BatchKind::Jsonl {
                data,
                first_line,
                at_start,
            } => done.out = self.jsonl_batch(&batch.file, data, first_line, at_start, &mut done),
            BatchKind::Text {
                doc,
                index,
                separator_after,
            } => {
                let decoder = Decoder::new().forced(self.encoding.as_deref());
                let cleaned = self.cleaner.clean_bytes(&doc, &decoder);
                done.stats.bytes_in += doc.len() as u64;
                self.text_doc(&batch.file, index, &doc, cleaned, &mut done);
                if let Some(sep) = separator_after {
                    if !self.explain {
                        done.out.extend_from_slice(&sep);
                    }
                }
            }
            BatchKind::Warc { items } => {
                for (item, hints) in items {
                    self.warc_item(&batch.file, item, &hints, &mut done);
                }
            }
        }
        done.stats.bytes_out = done.out.len() as u64;
        done
    }

    /// Cleans every line of a JSONL batch. Returns the output: the input buffer itself
    /// when no line changed, so the common case copies nothing.
    fn jsonl_batch(
        &self,
        file: &str,
        mut data: Vec<u8>,
        first_line: Option<u64>,
        at_start: bool,
        done: &mut Done,
    ) -> Vec<u8> {
        if !data.ends_with(b"\n") {
            data.push(b'\n'); // one output line per input line, even the unterminated last one
        }
        // Built only from the first changed line on.
        let mut out: Option<Vec<u8>> = self.explain.then(Vec::new);
        let mut scratch = Vec::new();
        let mut start = 0;
        let mut i = 0u64;
        while start < data.len() {
            let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p + 1);
            let mut line = &data[start..end - 1];
            let mut bom = false;
            if i == 0 && at_start {
                if let Some(l) = line.strip_prefix(b"\xEF\xBB\xBF") {
                    line = l;
                    bom = true;
                }
            }
            scratch.clear();
            let record = first_line.map_or(i + 1, |f| f + i);
            let mut same = self.jsonl_line(file, i, record, line, done, &mut scratch);
            if same && bom {
                scratch.extend_from_slice(line);
                scratch.push(b'\n');
                same = false;
            }
            if !same && out.is_none() {
                out = Some(data[..start].to_vec());
            }
            if let Some(o) = out.as_mut() {
                if same {
                    o.extend_from_slice(&data[start..end]);
                } else {
                    o.extend_from_slice(&scratch);
                }
            }
            start = end;
            i += 1;
        }
        done.lines = i;
        out.unwrap_or(data)
    }

    /// Cleans one line. Returns true when the line goes out unchanged; otherwise
    /// `scratch` holds what to write instead (with its newline).
    fn jsonl_line(
        &self,
        file: &str,
        rel: u64,
        record: u64,
        line: &[u8],
        done: &mut Done,
        scratch: &mut Vec<u8>,
    ) -> bool {
        done.stats.bytes_in += line.len() as u64 + 1;
        match jsonl::find_field(line, &self.field) {
            Ok(field) => {
                let cleaned = self.cleaner.clean(&field.value);
                done.stats.add(&cleaned.report);
                self.report(file, record, None, &cleaned.report, done);
                if self.explain {
                    let head = format!("{file}: record {record}");
                    explain::explain(&self.cleaner, &field.value, None, &head, scratch);
                    false
                } else if unchanged(&cleaned.text, &field.value) {
                    true
                } else {
                    jsonl::splice(line, field.span, &cleaned.text, scratch);
                    scratch.push(b'\n');
                    false
                }
            }
            Err(e) => {
                done.stats.problems += 1;
                done.problems
                    .push((Some(rel), format!("{e}; passed through unchanged")));
                !self.explain // passed through as is; in explain mode, nothing
            }
        }
    }

    /// `--explain` of raw bytes: it works on the decoded text, before any stage.
    fn explain_bytes(&self, head: &str, raw: &[u8], decoder: &Decoder, out: &mut Vec<u8>) {
        let decoded = decoder.decode(raw);
        explain::explain(
            &self.cleaner,
            &decoded.text,
            decoded.report.as_ref(),
            head,
            out,
        );
    }

    fn text_doc(&self, file: &str, index: u64, raw: &[u8], cleaned: Cleaned<'_>, done: &mut Done) {
        done.stats.add(&cleaned.report);
        if self.explain {
            let decoder = Decoder::new().forced(self.encoding.as_deref());
            let head = format!("{file} document {index}");
            self.explain_bytes(&head, raw, &decoder, &mut done.out);
        } else {
            done.out.extend_from_slice(cleaned.text.as_bytes());
            if !cleaned.text.is_empty() && !cleaned.text.ends_with('\n') {
                done.out.push(b'\n');
            }
        }
        self.report(file, index, None, &cleaned.report, done);
    }

    fn warc_item(&self, file: &str, item: warc::Item, hints: &RepeatHints, done: &mut Done) {
        let rec = match item {
            warc::Item::Malformed { offset, reason } => {
                done.stats.problems += 1;
                done.problems.push((
                    None,
                    format!("{file}: byte {offset}: malformed WARC record: {reason}; skipped"),
                ));
                return;
            }
            warc::Item::Record(r) => r,
        };
        if !is_text_record(&rec) {
            done.stats.skipped += 1;
            return;
        }
        done.stats.bytes_in += rec.block.len() as u64;
        let decoder = Decoder::new()
            .forced(self.encoding.as_deref())
            .declared(rec.charset());
        let cleaned = self
            .cleaner
            .clean_bytes_with_hints(&rec.block, &decoder, hints);
        done.stats.add(&cleaned.report);
        let id = rec.header("WARC-Record-ID").unwrap_or("");
        if self.explain {
            let head = format!("{file}: byte {} {id}", rec.offset);
            self.explain_bytes(&head, &rec.block, &decoder, &mut done.out);
        } else {
            let out = &mut done.out;
            out.extend_from_slice(b"{\"id\":");
            jsonl::write_json_str(id, out);
            out.extend_from_slice(b",\"url\":");
            jsonl::write_json_str(rec.header("WARC-Target-URI").unwrap_or(""), out);
            out.extend_from_slice(b",\"date\":");
            jsonl::write_json_str(rec.header("WARC-Date").unwrap_or(""), out);
            out.extend_from_slice(b",\"text\":");
            jsonl::write_json_str(&cleaned.text, out);
            out.extend_from_slice(b"}\n");
        }
        self.report(file, rec.offset, Some(id), &cleaned.report, done);
    }

    fn report(&self, file: &str, record: u64, id: Option<&str>, report: &Report, done: &mut Done) {
        if !self.want_report {
            return;
        }
        let line = ReportLine {
            file,
            record,
            id,
            report,
        };
        serde_json::to_writer(&mut done.reports, &line).expect("writing to a Vec cannot fail");
        done.reports.push(b'\n');
    }
}
