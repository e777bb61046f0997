//! Document framing for the command-line filter: JSONL field splicing, WARC records,
//! separator-split text. Pure functions over bytes; no I/O policy.

pub mod json_scan;
pub mod jsonl;
pub mod warc;
