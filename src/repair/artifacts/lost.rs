//! Characters lost to `?` when a page went through GBK: `»` in breadcrumbs
//! (`首頁 ? 資訊 ? 正文`), no-break spaces between fields (`2024-07-26??來源`, `]? [`,
//! lines holding only `?`).
//!
//! A `?` run is judged by its neighbours in the line:
//! - **separator**: a single `?` between spaces, with a CJK letter (not a question
//!   particle such as 吗/呢) on both sides beyond the spaces → the separator character;
//! - **after a closing bracket**: `]?`/`】?` followed by whitespace, `[`/`【` or the line end
//!   → one space per `?`;
//! - **between fields** (only in a document with other evidence of GBK loss: two of the
//!   patterns above, or content-farm glosses): after a digit, or `??` after a Han
//!   character (not a question particle), followed by a Han character → spaces;
//! - **a line of only `?`** (and whitespace), in a document with evidence → spaces
//!   (then trimmed away).
//!
//! Everything else — `你好吗?`, `what?`, `?page=2`, `a ? b : c` — is a real question mark.

use super::chars::{is_cjk_letter, is_han, is_line_space, is_question_particle, is_removable};

/// What a lost `?` is replaced by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lost {
    /// A separator such as `»`.
    Separator,
    /// One space per `?`.
    Space,
}

/// True when `line` holds at least one `?` and nothing else but line-space characters.
pub(super) fn is_question_only_line(line: &str) -> bool {
    let mut any = false;
    for c in line.chars() {
        if c == '?' {
            any = true;
        } else if !is_line_space(c) && !is_removable(c) {
            return false;
        }
    }
    any
}

/// Classifies a run of `run` question marks between `before` (the line's text before
/// it) and `after` (the line's text after it). `evidence` enables the between-fields
/// rule. Characters the pass removes anyway (controls, zero-width characters) are
/// looked through.
pub(super) fn classify(before: &str, run: usize, after: &str, evidence: bool) -> Option<Lost> {
    let mut back = before.chars().rev().filter(|&c| !is_removable(c));
    let mut ahead = after.chars().filter(|&c| !is_removable(c));
    let prev = back.next();
    let next = ahead.next();
    if run == 1 && prev == Some(' ') && next == Some(' ') {
        let p2 = back.find(|&c| c != ' ');
        let n2 = ahead.find(|&c| c != ' ');
        if p2.is_some_and(|c| is_cjk_letter(c) && !is_question_particle(c))
            && n2.is_some_and(is_cjk_letter)
        {
            return Some(Lost::Separator);
        }
    }
    if matches!(prev, Some(']' | '】' | '〕'))
        && match next {
            None => true,
            Some(c) => is_line_space(c) || c == '[' || c == '【',
        }
    {
        return Some(Lost::Space);
    }
    if evidence {
        if let (Some(p), Some(n)) = (prev, next) {
            let digit = p.is_ascii_digit();
            if (digit || (is_han(p) && !is_question_particle(p) && run >= 2)) && is_han(n) {
                return Some(Lost::Space);
            }
        }
    }
    None
}
