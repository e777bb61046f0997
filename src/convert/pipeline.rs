//! A whole OpenCC configuration: normalization, segmentation and conversion chain.
//!
//! OpenCC 1.4.2 (`ConfigBasedConverter`, `SingleStageConverter`) converts a text as
//! follows:
//!
//! 1. the `normalization` chain (CJK compatibility ideographs → unified) runs over the
//!    whole text;
//! 2. if the config has a `segmentation` dictionary, the text is cut by maximum forward
//!    matching over it: every match is a segment of its own, the runs between matches are
//!    segments too;
//! 3. every stage of the `conversion_chain` converts every segment separately (a match
//!    never crosses a segment boundary), the output of one stage feeding the next.
//!
//! Here segments are kept as a list of end offsets that each stage maps to its output, so
//! every stage makes one pass over the whole text.

use std::borrow::Cow;

use super::spec::{ConfigSpec, Node};
use super::table::{parse_dict, Entry, Out, Stage};

/// A compiled configuration (plus optional user dictionaries).
#[derive(Debug)]
pub(crate) struct Pipeline {
    normalization: Vec<Stage>,
    segmentation: Option<Stage>,
    chain: Vec<Stage>,
    /// User phrase pairs: matched first, their values emitted verbatim.
    user: Option<Stage>,
}

/// Flattens a dictionary tree into short-circuit levels, each a union of leaves.
fn levels(node: &Node, include_tofu: bool, out: &mut Vec<Vec<usize>>) {
    match node {
        Node::Leaf { dict, tofu_risk } => {
            if include_tofu || !tofu_risk {
                out.push(vec![*dict]);
            }
        }
        Node::Group {
            union: false,
            dicts,
        } => {
            for d in *dicts {
                levels(d, include_tofu, out);
            }
        }
        Node::Group { union: true, dicts } => {
            let mut leaves = Vec::new();
            union_leaves(dicts, include_tofu, &mut leaves);
            out.push(leaves);
        }
    }
}

fn union_leaves(dicts: &[Node], include_tofu: bool, out: &mut Vec<usize>) {
    for d in dicts {
        match d {
            Node::Leaf { dict, tofu_risk } => {
                if include_tofu || !tofu_risk {
                    out.push(*dict);
                }
            }
            Node::Group { union: true, dicts } => union_leaves(dicts, include_tofu, out),
            // No vendored config nests a short-circuit group inside a union.
            Node::Group { union: false, .. } => unreachable!("short_circuit inside union"),
        }
    }
}

fn builtin_entries(dict: usize) -> Vec<Entry<'static>> {
    let (name, text) = super::configs::DICTS[dict];
    parse_dict(text).unwrap_or_else(|(n, why)| panic!("vendored {name}.txt:{n}: {why}"))
}

fn stage(node: &Node, include_tofu: bool, keep_identity: bool) -> Stage {
    let mut lv = Vec::new();
    levels(node, include_tofu, &mut lv);
    let entries = lv
        .into_iter()
        .map(|leaves| leaves.into_iter().flat_map(builtin_entries).collect())
        .collect();
    Stage::build(entries, keep_identity)
}

impl Pipeline {
    pub(crate) fn build(spec: &ConfigSpec, include_tofu: bool) -> Pipeline {
        Pipeline {
            normalization: spec
                .normalization
                .iter()
                .map(|n| stage(n, include_tofu, false))
                .collect(),
            segmentation: spec.segmentation.map(|n| stage(&n, include_tofu, true)),
            chain: spec
                .chain
                .iter()
                .map(|n| stage(n, include_tofu, false))
                .collect(),
            user: None,
        }
    }

    /// Adds user entries (earlier entries win for equal keys). Empty input adds nothing.
    pub(crate) fn set_user(&mut self, entries: Vec<Entry<'_>>) {
        let st = Stage::build(vec![entries], true);
        self.user = if st.is_empty() { None } else { Some(st) };
    }

    /// Converts `text` exactly as OpenCC's `Converter::Convert` does (user entries aside).
    /// Also returns the number of changed characters when it is known exactly without
    /// comparing input and output (at most one stage changed anything).
    pub(crate) fn convert<'t>(&self, text: &'t str) -> (Cow<'t, str>, Option<usize>) {
        let mut cur = Cow::Borrowed(text);
        let mut tally = Tally::default();
        for st in &self.normalization {
            if let Some((s, n, _)) = apply(st, &cur, &[cur.len()], false) {
                cur = Cow::Owned(s);
                tally.add(n);
            }
        }
        let Some(user) = &self.user else {
            let out = match cur {
                Cow::Borrowed(t) => self.convert_main(t, &mut tally),
                Cow::Owned(s) => Cow::Owned(self.convert_main(&s, &mut tally).into_owned()),
            };
            return (out, tally.exact());
        };
        // User keys first: maximum forward matching over the user dictionary alone; the
        // text between user matches is converted by the config as separate pieces.
        let src: &str = &cur;
        let mut out = String::new();
        let mut changed = false;
        let mut last = 0;
        let mut user_count = 0;
        let mut worst = 0;
        user.scan(src, 0, src.len(), |i, klen, r| {
            let mut t = Tally::default();
            let piece = self.convert_main(&src[last..i], &mut t);
            worst = worst.max(t.stages);
            user_count += t.count;
            changed |= matches!(piece, Cow::Owned(_));
            out.push_str(&piece);
            let before = out.len();
            user.write_repl(r, &mut out);
            let n = super::table::changed_chars(&src[i..i + klen], &out[before..]);
            user_count += n;
            changed |= n > 0;
            last = i + klen;
        });
        let mut t = Tally::default();
        let piece = self.convert_main(&src[last..], &mut t);
        worst = worst.max(t.stages);
        user_count += t.count;
        changed |= matches!(piece, Cow::Owned(_));
        if !changed {
            return (cur, tally.exact());
        }
        out.push_str(&piece);
        tally.stages += worst;
        tally.count += user_count;
        (Cow::Owned(out), tally.exact())
    }

    /// Segmentation and conversion chain.
    fn convert_main<'t>(&self, text: &'t str, tally: &mut Tally) -> Cow<'t, str> {
        if text.is_empty() {
            return Cow::Borrowed(text);
        }
        let whole = [text.len()];
        let mut bounds: Cow<'_, [usize]> = match &self.segmentation {
            Some(seg) => Cow::Owned(segment(seg, text)),
            None => Cow::Borrowed(&whole),
        };
        let mut cur = Cow::Borrowed(text);
        let n = self.chain.len();
        for (k, st) in self.chain.iter().enumerate() {
            let last = k + 1 == n;
            if let Some((s, count, nb)) = apply(st, &cur, &bounds, !last) {
                cur = Cow::Owned(s);
                tally.add(count);
                if !last {
                    bounds = Cow::Owned(nb);
                }
            }
        }
        cur
    }
}

/// How many stages changed the text, and their change counts.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    stages: usize,
    count: usize,
}

impl Tally {
    fn add(&mut self, count: usize) {
        self.stages += 1;
        self.count += count;
    }
    fn exact(&self) -> Option<usize> {
        (self.stages <= 1).then_some(self.count)
    }
}

/// Maximum-match segmentation: the end offsets of the segments of `text` (non-empty).
fn segment(seg: &Stage, text: &str) -> Vec<usize> {
    let mut bounds = Vec::new();
    let mut last = 0;
    seg.scan(text, 0, text.len(), |i, klen, _| {
        if i > last {
            bounds.push(i);
        }
        bounds.push(i + klen);
        last = i + klen;
    });
    if last < text.len() {
        bounds.push(text.len());
    }
    bounds
}

/// Runs one conversion stage over every segment of `text`. `None` when nothing changed;
/// otherwise the new text, the number of changed characters and, if `need_bounds`, the
/// segment ends mapped into the new text.
fn apply(
    st: &Stage,
    text: &str,
    bounds: &[usize],
    need_bounds: bool,
) -> Option<(String, usize, Vec<usize>)> {
    let mut o = Out::default();
    let mut new_bounds = Vec::new();
    let mut start = 0;
    for &end in bounds {
        st.convert_segment(text, start, end, &mut o);
        if need_bounds {
            new_bounds.push(o.map(end));
        }
        start = end;
    }
    let (s, n) = o.finish(text)?;
    Some((s, n, new_bounds))
}
