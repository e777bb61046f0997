//! Run totals for `--stats`.

use std::fmt::Write as _;
use std::time::Duration;

use zhclean::Report;

/// Counts gathered per batch and summed by the writer.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub docs: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub problems: u64,
    pub skipped: u64,
    pub decoded: u64,
    pub decode_errors: u64,
    pub docs_repaired: u64,
    pub repairs: u64,
    pub docs_stripped: u64,
    pub lines_dropped: u64,
    pub docs_converted: u64,
    pub chars_converted: u64,
}

impl Stats {
    /// Counts one cleaned document.
    pub fn add(&mut self, r: &Report) {
        self.docs += 1;
        if let Some(d) = &r.decode {
            self.decoded += 1;
            self.decode_errors += d.errors as u64;
        }
        let n = r.repair.repairs.len() as u64;
        self.repairs += n;
        self.docs_repaired += (n > 0) as u64;
        let n = r.strip.dropped.len() as u64;
        self.lines_dropped += n;
        self.docs_stripped += (n > 0) as u64;
        let n = r.convert.chars_changed as u64;
        self.chars_converted += n;
        self.docs_converted += (n > 0) as u64;
    }

    /// Adds another batch's counts (`bytes_out` is the batch's output size).
    pub fn merge(&mut self, o: &Stats) {
        self.docs += o.docs;
        self.bytes_in += o.bytes_in;
        self.bytes_out += o.bytes_out;
        self.problems += o.problems;
        self.skipped += o.skipped;
        self.decoded += o.decoded;
        self.decode_errors += o.decode_errors;
        self.docs_repaired += o.docs_repaired;
        self.repairs += o.repairs;
        self.docs_stripped += o.docs_stripped;
        self.lines_dropped += o.lines_dropped;
        self.docs_converted += o.docs_converted;
        self.chars_converted += o.chars_converted;
    }

    /// The human summary printed by `--stats`.
    pub fn summary(&self, elapsed: Duration, threads: usize) -> String {
        let secs = elapsed.as_secs_f64().max(1e-9);
        let mb = |b: u64| b as f64 / 1e6;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "zhclean: {} documents, {:.1} MB in, {:.1} MB out, {:.2} s, {:.1} MB/s on {} thread{}",
            self.docs,
            mb(self.bytes_in),
            mb(self.bytes_out),
            secs,
            mb(self.bytes_in) / secs,
            threads,
            if threads == 1 { "" } else { "s" }
        );
        if let Some(kb) = peak_rss_kb() {
            let _ = writeln!(s, "  memory:   peak RSS {:.1} MB", kb as f64 / 1024.0);
        }
        let _ = writeln!(
            s,
            "  problems: {} records passed through or skipped with a warning; {} records of other kinds skipped",
            self.problems, self.skipped
        );
        let _ = writeln!(
            s,
            "  decode:   {} documents were not valid UTF-8; {} undecodable byte sequences",
            self.decoded, self.decode_errors
        );
        let _ = writeln!(
            s,
            "  repair:   {} repairs in {} documents",
            self.repairs, self.docs_repaired
        );
        let _ = writeln!(
            s,
            "  strip:    {} lines dropped in {} documents",
            self.lines_dropped, self.docs_stripped
        );
        let _ = writeln!(
            s,
            "  convert:  {} characters changed in {} documents",
            self.chars_converted, self.docs_converted
        );
        s
    }
}

/// Peak resident set size of this process, from `/proc/self/status` (Linux only).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
