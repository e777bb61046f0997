//! Turning a batch of input records into output bytes, report lines and problems.
//! Runs on worker threads; knows nothing of files or ordering.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;
use zhclean::decode::Decoder;
use zhclean::records::jsonl::{self, FieldPath};
use zhclean::records::warc;
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
    pub kind: BatchKind,
}

pub enum BatchKind {
    /// Lines of a JSONL input, each with its newline (the last may lack one).
    Jsonl {
        data: Vec<u8>,
        ends: Vec<usize>,
        first_line: u64,
        /// The first line of the input is in this batch (a BOM may need removing).
        at_start: bool,
    },
    /// One text document, and the separator line that followed it in the input.
    Text {
        doc: Vec<u8>,
        index: u64,
        separator_after: Option<Vec<u8>>,
    },
    /// WARC records (or damage found between them).
    Warc { items: Vec<warc::Item> },
}

/// What a worker made of a batch.
#[derive(Default)]
pub struct Done {
    pub seq: u64,
    pub out: Vec<u8>,
    pub reports: Vec<u8>,
    pub problems: Vec<String>,
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
            ..Done::default()
        };
        match batch.kind {
            BatchKind::Jsonl {
                data,
                ends,
                first_line,
                at_start,
            } => {
                done.out.reserve(data.len() + data.len() / 8);
                let mut start = 0;
                for (i, &end) in ends.iter().enumerate() {
                    let mut line = &data[start..end];
                    start = end;
                    if let Some(l) = line.strip_suffix(b"\n") {
                        line = l;
                    }
                    if i == 0 && at_start {
                        line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                    }
                    self.jsonl_line(&batch.file, first_line + i as u64, line, &mut done);
                }
            }
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
                for item in items {
                    self.warc_item(&batch.file, item, &mut done);
                }
            }
        }
        done.stats.bytes_out = done.out.len() as u64;
        done
    }

    fn jsonl_line(&self, file: &str, line_no: u64, line: &[u8], done: &mut Done) {
        done.stats.bytes_in += line.len() as u64 + 1;
        match jsonl::find_field(line, &self.field) {
            Ok(field) => {
                let cleaned = self.cleaner.clean(&field.value);
                done.stats.add(&cleaned.report);
                if self.explain {
                    let head = format!("{file}:{line_no}");
                    explain::explain(&self.cleaner, &field.value, None, &head, &mut done.out);
                } else if unchanged(&cleaned.text, &field.value) {
                    done.out.extend_from_slice(line);
                    done.out.push(b'\n');
                } else {
                    jsonl::splice(line, field.span, &cleaned.text, &mut done.out);
                    done.out.push(b'\n');
                }
                self.report(file, line_no, None, &cleaned.report, done);
            }
            Err(e) => {
                done.stats.problems += 1;
                done.problems
                    .push(format!("{file}:{line_no}: {e}; passed through unchanged"));
                if !self.explain {
                    done.out.extend_from_slice(line);
                    done.out.push(b'\n');
                }
            }
        }
    }

    fn text_doc(&self, file: &str, index: u64, raw: &[u8], cleaned: Cleaned<'_>, done: &mut Done) {
        done.stats.add(&cleaned.report);
        if self.explain {
            // Explain works on the decoded text, before any stage.
            let decoder = Decoder::new().forced(self.encoding.as_deref());
            let decoded = decoder.decode(raw);
            let head = format!("{file} document {index}");
            explain::explain(
                &self.cleaner,
                &decoded.text,
                decoded.report.as_ref(),
                &head,
                &mut done.out,
            );
        } else {
            done.out.extend_from_slice(cleaned.text.as_bytes());
            if !cleaned.text.is_empty() && !cleaned.text.ends_with('\n') {
                done.out.push(b'\n');
            }
        }
        self.report(file, index, None, &cleaned.report, done);
    }

    fn warc_item(&self, file: &str, item: warc::Item, done: &mut Done) {
        let rec = match item {
            warc::Item::Malformed { offset, reason } => {
                done.stats.problems += 1;
                done.problems.push(format!(
                    "{file}: byte {offset}: malformed WARC record: {reason}; skipped"
                ));
                return;
            }
            warc::Item::Record(r) => r,
        };
        let kind = rec.warc_type();
        let texty = rec.header("Content-Type").is_none_or(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("text/plain")
        });
        if !(kind == "conversion" || (kind == "resource" && texty)) {
            done.stats.skipped += 1;
            return;
        }
        done.stats.bytes_in += rec.block.len() as u64;
        let decoder = Decoder::new()
            .forced(self.encoding.as_deref())
            .declared(rec.charset());
        let cleaned = self.cleaner.clean_bytes(&rec.block, &decoder);
        done.stats.add(&cleaned.report);
        let id = rec.header("WARC-Record-ID").unwrap_or("");
        if self.explain {
            let decoded = decoder.decode(&rec.block);
            let head = format!("{file}: byte {} {id}", rec.offset);
            explain::explain(
                &self.cleaner,
                &decoded.text,
                decoded.report.as_ref(),
                &head,
                &mut done.out,
            );
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
