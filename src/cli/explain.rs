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
    // Repairs the first pass made (the settle round's come after them in the report).
    let mut first_repairs = 0;
    match cleaner.repairer() {
        Some(r) => {
            let mut rep = RepairReport::default();
            cur = chain_stage(cur, |t| r.repair(t, &mut rep));
            if rep.repairs.is_empty() {
                let _ = writeln!(s, "repair   nothing to repair");
            }
            first_repairs = rep.repairs.len();
            write_repairs(&mut s, "repair", &rep.repairs);
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
            let chosen = match rep.config {
                Some(k) if k != c.options().config => format!("{}: {k}", c.options().config),
                _ => c.options().config.to_string(),
            };
            let _ = writeln!(
                s,
                "convert  {} characters changed ({chosen})",
                rep.chars_changed
            );
            // The settle round: converted text repaired again (see `Cleaner::clean`);
            // its spans are in code points of the converted text.
            let full = cleaner.clean(text);
            let settled = full
                .report
                .repair
                .repairs
                .get(first_repairs..)
                .unwrap_or(&[]);
            write_repairs(&mut s, "settle", settled);
        }
        None => {
            let _ = writeln!(s, "convert  off");
        }
    }
    s.push('\n');
    out.extend_from_slice(s.as_bytes());
}

/// One line per repair, each starting with `label` (padded to the stage column).
fn write_repairs(s: &mut String, label: &str, repairs: &[zhclean::repair::Repair]) {
    for x in repairs {
        let _ = writeln!(
            s,
            "{label:8} [{}..{}] {} ({:.2}): {} → {}",
            x.start,
            x.end,
            x.kind,
            x.confidence,
            shorten(&x.before),
            shorten(&x.after)
        );
    }
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
