//! Cutting a text into ~100-byte records, as a JSONL shard of short documents would hold
//! it. Shared by `tests/convert_fast_paths.rs` and `benches/convert.rs` (included with
//! `#[path]`): the test checks the records path the bench times.

/// Cuts `text` into records of about `size` bytes (at character boundaries).
pub fn records(text: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + size).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        out.push(&text[start..end]);
        start = end;
    }
    out
}
