//! `--explain`: each stage's changes to one document, for people.

use std::fmt::Write as _;

use zhclean::convert::ConvertReport;
use zhclean::decode::DecodeReport;
use zhclean::repair::RepairReport;
use zhclean::strip::StripReport;
use zhclean::{chain_stage, Cleaner};

/// Appends the explanation of cleaning `text` to `out`.
pub fn explain(
    cleaner: &Cleaner,
    text: &str,
    decode: Option<&DecodeReport>,
    head: &str,
    out: &mut Vec<u8>,
) {
    let mut s = String::new();
    let _ = writeln!(s, "=== {head}");
    if let Some(d) = decode {
        let _ = writeln!(
            s,
            "decode   {} ({:?}), {} undecodable byte sequences",
            d.encoding, d.source, d.errors
        );
    }
    let mut cur = std::borrow::Cow::Borrowed(text);
    match cleaner.repairer() {
        Some(r) => {
            let mut rep = RepairReport::default();
            cur = chain_stage(cur, |t| r.repair(t, &mut rep));
            if rep.repairs.is_empty() {
                let _ = writeln!(s, "repair   nothing to repair");
            }
            for x in &rep.repairs {
                let _ = writeln!(
                    s,
                    "repair   [{}..{}] {} ({:.2}): {} → {}",
                    x.start,
                    x.end,
                    x.kind,
                    x.confidence,
                    shorten(&x.before),
                    shorten(&x.after)
                );
            }
        }
        None => {
            let _ = writeln!(s, "repair   off");
        }
    }
    match cleaner.stripper() {
        Some(st) => {
            let mut rep = StripReport::default();
            let _ = st.strip(&cur, &mut rep);
            let mut reasons = vec![None; cur.split('\n').count()];
            for d in &rep.dropped {
                if let Some(slot) = reasons.get_mut(d.line) {
                    *slot = Some(d.reason.as_str());
                }
            }
            for (line, reason) in cur.split('\n').zip(&reasons) {
                match reason {
                    None => {
                        let _ = writeln!(s, "keep     | {line}");
                    }
                    Some(r) => {
                        let _ = writeln!(s, "DROP     | {line}    ← {r}");
                    }
                }
            }
            cur = chain_stage(cur, |t| st.strip(t, &mut StripReport::default()));
        }
        None => {
            let _ = writeln!(s, "strip    off");
        }
    }
    match cleaner.converter() {
        Some(c) => {
            let mut rep = ConvertReport::default();
            let _ = c.convert(&cur, &mut rep);
            let _ = writeln!(
                s,
                "convert  {} characters changed ({})",
                rep.chars_changed,
                c.options().config
            );
        }
        None => {
            let _ = writeln!(s, "convert  off");
        }
    }
    s.push('\n');
    out.extend_from_slice(s.as_bytes());
}

fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    let n = s.chars().count();
    let vis: String = s
        .chars()
        .take(MAX)
        .map(|c| match c {
            '\n' => '⏎',
            c if c.is_control() => '·',
            c => c,
        })
        .collect();
    if n > MAX {
        format!("{vis}…")
    } else {
        vis
    }
}
