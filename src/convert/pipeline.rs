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
use super::table::{
    decode, decode_non_ascii, dense_run, next_event, parse_dict, skip_ascii, ActSet, Blocks, Bytes,
    Entry, Map, Out, PairSet, Stage,
};

/// A compiled configuration (plus optional user dictionaries).
#[derive(Debug)]
pub(crate) struct Pipeline {
    normalization: Vec<Stage>,
    segmentation: Option<Stage>,
    chain: Vec<Stage>,
    /// User phrase pairs: matched first, their values emitted verbatim.
    user: Option<Stage>,
    /// For configs whose segmentation and first stage are sparse (few characters can start
    /// a key: `tw2s`, `hk2s`, …): which characters either may act on.
    sparse: Option<Box<[bool; 0x10000]>>,
    /// For `tw2s`-like configs: segmentation, first and second stage composed (see
    /// [`Fused`]).
    fused: Option<Fused>,
    /// For configs of one stage without segmentation whose stage and normalization start
    /// no key with ASCII: the tables of [`Stage::convert_bytes`], built at first use, with
    /// the normalization stages as guards (see [`Pipeline::byte_path`]).
    bytes: std::sync::OnceLock<Blocks>,
    /// The config has a byte path (see [`Pipeline::byte_path`]).
    byte_ok: bool,
    /// It has a byte path and no user entries: [`Pipeline::convert`] runs the byte path
    /// on the whole text first.
    one_pass: bool,
}

/// Segmentation + two stages composed into one table, for configs whose segmentation and
/// first stage are sparse, whose first stage keeps lengths, and which ignore ASCII.
///
/// Per BMP code point: its final character when no phrase of any of the three can start at
/// its position, whether a phrase of the segmentation or first stage may start with it
/// (`MAY`), whether a phrase of the second stage may start with its first-stage image
/// (`IMG`), whether it can never be handled alone (`HARD`: ideographic description
/// operators, non-single-character results), and the longest phrase (in characters) any of
/// them can start there. A position is *simple* when no phrase can start there given the
/// next character; its output is its final character. Around the other positions, a
/// *zone* that covers every phrase that could start in it is converted by the general
/// path: no match can cross a zone's ends, so the result is the same as converting the
/// whole text.
#[derive(Debug)]
struct Fused {
    table: Box<[u32; 0x10000]>,
    /// The code points whose `table` entry is not 0.
    acts: Box<ActSet>,
    /// The pairs (character, next character) at which a phrase of the segmentation, first
    /// or second stage may start (a superset): the segmentation's and first stage's phrase
    /// pairs, and every `(a, b)` such that the second stage has a phrase starting with
    /// `a`'s first-stage image and a character the first stage may output at `b`'s position
    /// (`b`'s image, or the first character of a first-stage phrase value starting with
    /// `b`).
    pairs: PairSet,
    /// Per BMP character: filter bits ([`Stage::second_bit`]) of the second characters of
    /// its `pairs`; a clear bit rules a pair out without a look-up.
    second: Vec<u64>,
    /// Longest possible zone start (characters) for characters outside the BMP.
    max_len: usize,
}

const F_CHAR: u32 = 0x1F_FFFF;
const F_MAY: u32 = 1 << 21;
const F_IMG: u32 = 1 << 22;
const F_HARD: u32 = 1 << 23;
const F_LEN_SHIFT: u32 = 24;

impl Fused {
    fn build(seg: &Stage, first: &Stage, second: &Stage) -> Option<Fused> {
        if seg.has_ascii() || first.has_ascii() || second.has_ascii() || !first.keeps_lengths() {
            return None;
        }
        let (ls, l1, l2) = (
            seg.max_phrase_lens(),
            first.max_phrase_lens(),
            second.max_phrase_lens(),
        );
        let max_len = [&ls, &l1, &l2]
            .iter()
            .flat_map(|m| m.values().copied())
            .max()
            .unwrap_or(1)
            .max(64);
        let mut table: Box<[u32; 0x10000]> = vec![0u32; 0x10000]
            .into_boxed_slice()
            .try_into()
            .expect("0x10000 entries");
        for (cp, slot) in table.iter_mut().enumerate() {
            let cp = cp as u32;
            let mut e = 0;
            let mut len = 1usize;
            let (ps, is) = seg.flags(cp);
            let (p1, i1) = first.flags(cp);
            if is || i1 {
                e |= F_HARD;
                len = 64;
            }
            if ps || p1 {
                e |= F_MAY;
                len = len
                    .max(ls.get(&cp).copied().unwrap_or(1))
                    .max(l1.get(&cp).copied().unwrap_or(1));
            }
            let image = match first.single(cp) {
                None => Some(cp),
                Some(Some(c)) => Some(c),
                Some(None) => None,
            };
            let mut fin = 0;
            match image {
                None => e |= F_HARD,
                Some(img) => {
                    let (p2, i2) = second.flags(img);
                    if i2 {
                        e |= F_HARD;
                        len = 64;
                    }
                    if p2 {
                        e |= F_IMG;
                        len = len.max(l2.get(&img).copied().unwrap_or(1));
                    }
                    match second.single(img) {
                        None => fin = img,
                        Some(Some(c)) => fin = c,
                        Some(None) => e |= F_HARD,
                    }
                }
            }
            if fin == cp {
                fin = 0;
            }
            // The length matters only where a phrase may start: 0 elsewhere, so that an
            // entry of 0 means "stays as it is".
            let len_bits = if e == 0 {
                0
            } else {
                (len.min(127) as u32) << F_LEN_SHIFT
            };
            *slot = e | fin | len_bits;
        }
        // Inverses over the BMP: characters by first-stage image, and by what the first
        // stage may output at their position.
        let img = |c: u32| match first.single(c) {
            Some(Some(x)) => Some(x),
            None => Some(c),
            Some(None) => None,
        };
        let second_pairs = second.phrase_pairs();
        let firsts: Map<u32, ()> = second_pairs.iter().map(|&(a, _)| (a, ())).collect();
        let seconds: Map<u32, ()> = second_pairs.iter().map(|&(_, y)| (y, ())).collect();
        let mut by_img: Map<u32, Vec<u32>> = Map::default();
        let mut by_out: Map<u32, Vec<u32>> = Map::default();
        for c in 0..0x10000u32 {
            if let Some(x) = img(c) {
                if firsts.contains_key(&x) {
                    by_img.entry(x).or_default().push(c);
                }
                if seconds.contains_key(&x) {
                    by_out.entry(x).or_default().push(c);
                }
            }
        }
        for (a, b) in first.phrase_firsts() {
            if seconds.contains_key(&b) {
                by_out.entry(b).or_default().push(a);
            }
        }
        let mut pairs = seg.phrase_pairs();
        pairs.extend(first.phrase_pairs());
        for (a, y) in second_pairs {
            for &c1 in by_img.get(&a).map_or(&[][..], Vec::as_slice) {
                for &c2 in by_out.get(&y).map_or(&[][..], Vec::as_slice) {
                    pairs.push((c1, c2));
                }
            }
        }
        let mut second = vec![0u64; 0x10000];
        for &(c1, c2) in &pairs {
            if let Some(m) = second.get_mut(c1 as usize) {
                *m |= Stage::second_bit(c2);
            }
        }
        Some(Fused {
            acts: ActSet::from_table(&table),
            table,
            second,
            pairs: PairSet::new(pairs),
            max_len,
        })
    }

    #[inline]
    fn entry(&self, cp: u32) -> u32 {
        if cp < 0x10000 {
            self.table[cp as usize]
        } else {
            F_HARD | ((self.max_len.min(127) as u32) << F_LEN_SHIFT)
        }
    }
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
        let mut p = Pipeline {
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
            sparse: None,
            fused: None,
            bytes: std::sync::OnceLock::new(),
            byte_ok: false,
            one_pass: false,
        };
        if let (None, [st]) = (&p.segmentation, p.chain.as_slice()) {
            p.byte_ok = st.bytes_ok() && !p.normalization.iter().any(Stage::has_ascii);
            p.one_pass = p.byte_ok;
        }
        if let (Some(seg), [first, _second]) = (&p.segmentation, p.chain.as_slice()) {
            if seg.density() + first.density() < SPARSE && !seg.has_ascii() && !first.has_ascii() {
                let mut m: Box<[bool; 0x10000]> = vec![false; 0x10000]
                    .into_boxed_slice()
                    .try_into()
                    .expect("0x10000 entries");
                for (cp, slot) in m.iter_mut().enumerate() {
                    *slot = seg.acts_on(cp as u32) || first.acts_on(cp as u32);
                }
                p.sparse = Some(m);
                p.fused = Fused::build(seg, first, &p.chain[1]);
            }
        }
        p
    }

    /// Adds user entries (earlier entries win for equal keys). Empty input adds nothing.
    pub(crate) fn set_user(&mut self, entries: Vec<Entry<'_>>) {
        let st = Stage::build(vec![entries], true);
        self.user = if st.is_empty() { None } else { Some(st) };
        self.one_pass = self.byte_ok && self.user.is_none();
    }

    /// Converts `text` exactly as OpenCC's `Converter::Convert` does (user entries aside)
    /// and adds the number of changed characters (see `ConvertReport::chars_changed`) to
    /// `changed`. Borrowed when the output equals the input.
    #[inline]
    pub(crate) fn convert<'t>(&self, text: &'t str, changed: &mut usize) -> Cow<'t, str> {
        let mut out = String::new();
        if self.convert_in(text, &mut out, changed) {
            Cow::Owned(out)
        } else {
            Cow::Borrowed(text)
        }
    }

    /// [`Pipeline::convert`] with the output in `out` (its allocation reused, its
    /// contents replaced): true when the output differs from `text` and is in `out`;
    /// false when it equals `text` (then `out` holds something unspecified).
    #[inline]
    pub(crate) fn convert_in(&self, text: &str, out: &mut String, changed: &mut usize) -> bool {
        // One pass when the config is a single byte-path stage: normalization is folded
        // into its scan (a character normalization may act on stops it, and only then do
        // the stages run one after the other).
        if self.one_pass {
            if let Some((st, blocks)) = self.byte_path() {
                match st.convert_bytes(text, blocks, &self.normalization, out) {
                    Bytes::Same => return false,
                    Bytes::Changed(n) => {
                        *changed += n;
                        return n > 0;
                    }
                    Bytes::Guarded => {}
                }
            }
        }
        match self.convert_counted(text, changed) {
            Cow::Owned(s) => {
                *out = s;
                true
            }
            Cow::Borrowed(_) => false,
        }
    }

    /// [`Pipeline::convert`] stage by stage, counting the changes.
    #[inline(never)]
    fn convert_counted<'t>(&self, text: &'t str, changed: &mut usize) -> Cow<'t, str> {
        match self.convert_staged(text) {
            (Cow::Owned(s), exact) => {
                let n = exact.unwrap_or_else(|| super::chars_changed(text, &s));
                if n == 0 {
                    // Stages undid each other (`台` → `臺` → `台`): keep the borrow.
                    return Cow::Borrowed(text);
                }
                *changed += n;
                Cow::Owned(s)
            }
            (borrowed, _) => borrowed,
        }
    }

    /// [`Pipeline::convert`] stage by stage: normalization, user entries, the config. Also
    /// returns the number of changed characters when it is known exactly without comparing
    /// input and output (at most one stage changed anything).
    fn convert_staged<'t>(&self, text: &'t str) -> (Cow<'t, str>, Option<usize>) {
        let mut cur = Cow::Borrowed(text);
        let mut tally = Tally::default();
        for st in &self.normalization {
            if !st.may_act(&cur) {
                continue;
            }
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

    /// For a config of one stage without segmentation, whose stage and normalization start
    /// no key with ASCII (`t2s`, `t2tw`, `t2hk`, `tw2t`, `hk2t`, `t2jp`, `jp2t`): the stage
    /// and its [`Stage::convert_bytes`] tables, with the normalization stages as guards.
    /// The normalization keys start with non-ASCII characters that the byte path then
    /// stops at; a text without any is unchanged by normalization, so converting it in
    /// one pass gives what normalizing and then converting gives.
    #[inline]
    fn byte_path(&self) -> Option<(&Stage, &Blocks)> {
        let st = self.chain.first().filter(|_| self.byte_ok)?;
        Some((
            st,
            self.bytes
                .get_or_init(|| st.byte_tables(&self.normalization)),
        ))
    }

    /// Segmentation and conversion chain.
    fn convert_main<'t>(&self, text: &'t str, tally: &mut Tally) -> Cow<'t, str> {
        if text.is_empty() {
            return Cow::Borrowed(text);
        }
        if let Some(f) = &self.fused {
            return self.convert_fused(text, f, tally);
        }
        self.convert_unfused(text, tally)
    }

    fn convert_unfused<'t>(&self, text: &'t str, tally: &mut Tally) -> Cow<'t, str> {
        if text.is_empty() {
            return Cow::Borrowed(text);
        }
        if let (Some(sparse), Some(seg)) = (&self.sparse, &self.segmentation) {
            return self.convert_sparse(text, sparse, seg, tally);
        }
        if let Some((st, blocks)) = self.byte_path() {
            let mut out = String::new();
            match st.convert_bytes(text, blocks, &[], &mut out) {
                Bytes::Changed(count) => {
                    tally.add(count);
                    return Cow::Owned(out);
                }
                Bytes::Same => return Cow::Borrowed(text),
                // Not reached without guards; the general path below is always right.
                Bytes::Guarded => {}
            }
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

impl Pipeline {
    /// True when a phrase of the segmentation, first or second stage may start at `i`
    /// (character `cp` with fused entry `e`, `l` bytes).
    #[inline(always)]
    fn complex_at(&self, f: &Fused, b: &[u8], i: usize, cp: u32, l: usize, e: u32) -> bool {
        if e & F_HARD != 0 {
            return true;
        }
        let j = i + l;
        if j >= b.len() {
            return false;
        }
        let c2 = decode(b, j).0;
        // A second-stage phrase may start here when the next character is one the fused
        // table cannot handle alone.
        if e & F_IMG != 0 && f.entry(c2) & F_HARD != 0 {
            return true;
        }
        let m = f.second.get(cp as usize).copied().unwrap_or(u64::MAX);
        m & Stage::second_bit(c2) != 0 && f.pairs.contains(cp, c2)
    }

    /// Dense mode of [`Pipeline::convert_fused`] (see `Stage::dense`): entered after a
    /// change at `i` (so `o.copied == i`), writes every simple three-byte character and
    /// ASCII run; returns the first position it does not handle, or where the last
    /// `DENSE_QUIET` characters were all unchanged; `o.copied` is that position.
    #[inline(always)]
    fn dense_fused(&self, f: &Fused, text: &str, i: usize, o: &mut Out) -> usize {
        let b = text.as_bytes();
        if o.copied != i {
            return i;
        }
        dense_run(text, b, i, o, |i, cp| {
            let e = f.table[cp as usize];
            if e & (F_MAY | F_IMG | F_HARD) != 0 && self.complex_at(f, b, i, cp, 3, e) {
                return None;
            }
            Some(e & F_CHAR)
        })
    }

    /// [`Pipeline::convert_main`] through the fused table (see [`Fused`]).
    fn convert_fused<'t>(&self, text: &'t str, f: &Fused, tally: &mut Tally) -> Cow<'t, str> {
        let b = text.as_bytes();
        let mut o = Out::default();
        let mut i = 0;
        loop {
            i = next_event(&f.acts, b, i, b.len(), 0);
            if i >= b.len() {
                break;
            }
            let (cp, l) = decode_non_ascii(b, i);
            let e = f.entry(cp);
            if e & (F_MAY | F_IMG | F_HARD) == 0 || !self.complex_at(f, b, i, cp, l, e) {
                let fin = e & F_CHAR;
                if fin != 0 {
                    // A different single character (unchanged ones are stored as 0).
                    o.put_char(text, i, l, fin);
                    i = self.dense_fused(f, text, i + l, &mut o);
                    continue;
                }
                i += l;
                continue;
            }
            // A zone: extend while a phrase starting in it may reach further.
            let mut k = i;
            let mut left = 0usize;
            while k < b.len() {
                let (c, cl) = decode(b, k);
                let ce = f.entry(c);
                if k == i
                    || (ce & (F_MAY | F_IMG | F_HARD) != 0 && self.complex_at(f, b, k, c, cl, ce))
                {
                    left = left.max((ce >> F_LEN_SHIFT) as usize);
                }
                if left == 0 {
                    break;
                }
                left -= 1;
                k += cl;
            }
            let zone = &text[i..k];
            let mut t = Tally::default();
            let z = self.convert_unfused(zone, &mut t);
            if let Cow::Owned(z) = z {
                let n = t.exact().unwrap_or_else(|| super::chars_changed(zone, &z));
                if n > 0 {
                    o.begin(text, i);
                    o.s.push_str(&z);
                    o.copied = k;
                    o.count += n;
                }
            }
            i = k;
        }
        match o.finish(text) {
            Some((s, n)) => {
                tally.add(n);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(text),
        }
    }

    /// [`Pipeline::convert_main`] for a sparse segmentation and first stage: one pass
    /// collects the positions of the characters either may act on; segmentation and the
    /// first stage then visit only those positions (every other position is an unmatched
    /// single character to both); the second stage runs as usual.
    fn convert_sparse<'t>(
        &self,
        text: &'t str,
        sparse: &[bool; 0x10000],
        seg: &Stage,
        tally: &mut Tally,
    ) -> Cow<'t, str> {
        let b = text.as_bytes();
        let (first, second) = (&self.chain[0], &self.chain[1]);
        // Zones of the fused path come here thousands of times per megabyte: reuse the
        // position lists.
        let [mut events, mut bounds, mut new_bounds] = SCRATCH.with(|s| s.take());
        events.clear();
        bounds.clear();
        new_bounds.clear();
        let mut i = 0;
        while i < b.len() {
            if b[i] < 0x80 {
                i = skip_ascii(b, i + 1, b.len());
                continue;
            }
            let (cp, l) = decode(b, i);
            let hit = if cp < 0x10000 {
                sparse[cp as usize]
            } else {
                seg.acts_on(cp) || first.acts_on(cp)
            };
            if hit {
                events.push(i);
            }
            i += l;
        }
        // Segmentation over the events.
        let mut last = 0;
        let mut consumed = 0;
        for &p in &events {
            if p < consumed || !seg.acts_on(decode(b, p).0) {
                continue;
            }
            let (n, m) = seg.step(text, p, b.len());
            if m.is_some() {
                if p > last {
                    bounds.push(p);
                }
                bounds.push(p + n);
                last = p + n;
            }
            consumed = p + n;
        }
        if last < b.len() {
            bounds.push(b.len());
        }
        // The first stage over the events, segment by segment.
        let mut o = Out::default();
        let mut bi = 0;
        let mut consumed = 0;
        for &p in &events {
            while bounds[bi] <= p {
                new_bounds.push(o.map(bounds[bi]));
                bi += 1;
            }
            if p < consumed || !first.acts_on(decode(b, p).0) {
                continue;
            }
            let (n, m) = first.step(text, p, bounds[bi]);
            if let Some(r) = m {
                o.put_repl(first, text, p, n, r);
            }
            consumed = p + n;
        }
        new_bounds.extend(bounds[bi..].iter().map(|&e| o.map(e)));
        let (mid, used): (Cow<'t, str>, &[usize]) = match o.finish(text) {
            Some((s, n)) => {
                tally.add(n);
                (Cow::Owned(s), &new_bounds)
            }
            None => (Cow::Borrowed(text), &bounds),
        };
        let out = match apply(second, &mid, used, false) {
            Some((s, n, _)) => {
                tally.add(n);
                Cow::Owned(s)
            }
            None => mid,
        };
        if events.capacity() <= SCRATCH_MAX {
            SCRATCH.with(|s| s.set([events, bounds, new_bounds]));
        }
        out
    }
}

thread_local! {
    /// Position lists of [`Pipeline::convert_sparse`], kept between calls.
    static SCRATCH: std::cell::Cell<[Vec<usize>; 3]> = const { std::cell::Cell::new([Vec::new(), Vec::new(), Vec::new()]) };
}

/// Longest position list kept in [`SCRATCH`] (larger ones are freed).
const SCRATCH_MAX: usize = 4096;

/// A segmentation plus first stage acting on fewer code points than this is "sparse".
const SPARSE: usize = 8192;

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
