//! Cross-document line repetition, in bounded memory and deterministic order.
//!
//! A [`LineHistory`] is fed every document of a stream **in input order**, on one thread
//! (in the CLI: the reader thread). For each document it returns [`RepeatHints`]: the
//! lines of that document that already occurred in at least
//! [`HistoryOptions::min_docs`] earlier documents of the same site (or of the stream,
//! when the site is unknown). The hints travel with the document to whichever worker
//! strips it ([`super::Stripper::strip_with_hints`]), so the result is the same for any
//! number of threads.
//!
//! Memory is a fixed table of `capacity` slots (16 bytes each) allocated on first use;
//! when the table is full, the slot with the lower count in a two-way bucket is
//! replaced, deterministically. Each line is counted at most once per document. Lines
//! shorter than [`HistoryOptions::min_chars`] non-space characters are ignored.

/// Options of a [`LineHistory`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HistoryOptions {
    /// Table slots (rounded up to a power of two; 16 bytes each). Default 2^20 (16 MiB).
    pub capacity: usize,
    /// A line is hinted once it occurred in this many earlier documents of the same site.
    /// Default 2.
    pub min_docs: u32,
    /// Lines with fewer non-whitespace characters are not tracked. Default 4.
    pub min_chars: usize,
}

impl Default for HistoryOptions {
    fn default() -> HistoryOptions {
        HistoryOptions {
            capacity: 1 << 20,
            min_docs: 2,
            min_chars: 4,
        }
    }
}

/// Lines of one document that recur across documents of its site. Produced by
/// [`LineHistory::observe`]; consumed by [`super::Stripper::strip_with_hints`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepeatHints {
    seed: u64,
    /// Sorted hashes of the hinted lines.
    hashes: Vec<u64>,
}

impl RepeatHints {
    /// True when no line is hinted.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Number of distinct hinted lines.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether `line` (compared after trimming whitespace) is hinted.
    pub fn contains(&self, line: &str) -> bool {
        !self.hashes.is_empty()
            && self
                .hashes
                .binary_search(&line_hash(self.seed, trim(line)))
                .is_ok()
    }
}

/// Counts, per site, in how many documents each line occurred. See the module docs.
#[derive(Debug, Clone)]
pub struct LineHistory {
    options: HistoryOptions,
    mask: usize,
    /// `(key, count)`; key 0 = empty.
    slots: Vec<(u64, u32)>,
    scratch: Vec<u64>,
}

impl Default for LineHistory {
    fn default() -> LineHistory {
        LineHistory::new(HistoryOptions::default())
    }
}

impl LineHistory {
    /// An empty history.
    pub fn new(options: HistoryOptions) -> LineHistory {
        let cap = options.capacity.max(2).next_power_of_two();
        LineHistory {
            options,
            mask: cap - 1,
            slots: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Records the lines of one document of `site` (a host name, when known) and returns
    /// the lines that had already occurred in at least `min_docs` earlier documents of the
    /// same site. Must be called in input order.
    pub fn observe(&mut self, site: Option<&str>, text: &str) -> RepeatHints {
        if self.slots.is_empty() {
            self.slots = vec![(0, 0); self.mask + 1];
        }
        let seed = site_seed(site);
        self.scratch.clear();
        for line in text.split('\n') {
            let t = trim(line);
            let long_enough = t.len() >= 4 * self.options.min_chars
                || t.chars().filter(|c| !c.is_whitespace()).count() >= self.options.min_chars;
            if !long_enough {
                continue;
            }
            self.scratch.push(line_hash(seed, t));
        }
        self.scratch.sort_unstable();
        self.scratch.dedup();
        let mut hints = Vec::new();
        for i in 0..self.scratch.len() {
            let h = self.scratch[i];
            let c = self.bump(h);
            if c >= self.options.min_docs {
                hints.push(h);
            }
        }
        RepeatHints {
            seed,
            hashes: hints,
        }
    }

    /// Increments the count of `h`; returns the count before the increment.
    fn bump(&mut self, h: u64) -> u32 {
        let a = (h as usize) & self.mask;
        let b = ((h >> 32) as usize ^ 0x5bd1) & self.mask;
        for s in [a, b] {
            if self.slots[s].0 == h {
                let c = self.slots[s].1;
                self.slots[s].1 = c.saturating_add(1);
                return c;
            }
        }
        for s in [a, b] {
            if self.slots[s].0 == 0 {
                self.slots[s] = (h, 1);
                return 0;
            }
        }
        let s = if self.slots[a].1 <= self.slots[b].1 {
            a
        } else {
            b
        };
        self.slots[s] = (h, 1);
        0
    }
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}')
}

fn site_seed(site: Option<&str>) -> u64 {
    match site {
        Some(s) => line_hash(0x9e37_79b9_7f4a_7c15, &s.to_ascii_lowercase()),
        None => 0x2545_f491_4f6c_dd1d,
    }
}

/// Bytes of a line that are hashed (with its full length): identity in constant time.
const HASHED: usize = 512;

/// A fast non-cryptographic 64-bit hash (never 0) of the line's first [`HASHED`] bytes
/// and its length.
fn line_hash(seed: u64, s: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = seed ^ (s.len() as u64).wrapping_mul(K);
    let b = &s.as_bytes()[..s.len().min(HASHED)];
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let mut last = 0u64;
    for (i, &x) in chunks.remainder().iter().enumerate() {
        last |= (x as u64) << (8 * i);
    }
    h = (h.rotate_left(5) ^ last).wrapping_mul(K);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_after_min_docs_per_site() {
        let mut h = LineHistory::new(HistoryOptions {
            capacity: 64,
            ..HistoryOptions::default()
        });
        let doc = "本站所有文章均为原创\n正文第一段。\n";
        assert!(h.observe(Some("a.com"), doc).is_empty());
        assert!(h.observe(Some("a.com"), doc).is_empty());
        // other site: separate counts
        assert!(h.observe(Some("b.com"), doc).is_empty());
        let third = h.observe(Some("a.com"), doc);
        assert!(third.contains("本站所有文章均为原创"));
        assert!(third.contains("  本站所有文章均为原创  "));
        assert!(!third.contains("别的行"));
    }

    #[test]
    fn a_line_counts_once_per_document() {
        let mut h = LineHistory::default();
        let doc = "重复的一行字\n重复的一行字\n重复的一行字\n";
        assert!(h.observe(None, doc).is_empty());
        assert!(h.observe(None, doc).is_empty());
        assert_eq!(h.observe(None, doc).len(), 1);
    }

    #[test]
    fn tiny_table_stays_bounded_and_deterministic() {
        let run = || {
            let mut h = LineHistory::new(HistoryOptions {
                capacity: 4,
                ..HistoryOptions::default()
            });
            let mut out = Vec::new();
            for i in 0..200 {
                let doc = format!("行号{}\n固定的页脚文字\n", i % 7);
                out.push(h.observe(Some("x"), &doc).len());
            }
            assert_eq!(h.slots.len(), 4);
            out
        };
        assert_eq!(run(), run());
    }
}
