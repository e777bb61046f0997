//! One conversion stage of OpenCC: a dictionary group compiled into lookup tables, and
//! the maximum-forward-matching scan over it.
//!
//! # Semantics (OpenCC 1.4.2, `Conversion::AppendConverted`)
//!
//! At each position the stage's dictionary tree is asked for a prefix match:
//!
//! * a leaf dictionary answers with its longest key that is a prefix of the rest of the
//!   segment;
//! * a `short_circuit` group answers with the first member that has any match;
//! * a `union` group answers with the longest match over its members, the earlier member
//!   winning on equal length (and, for equal keys, the earlier member's entry).
//!
//! A match emits the first candidate of the entry and skips the key. Otherwise, if the
//! position starts a complete ideographic description sequence (U+2FF0..U+2FFF with its
//! operands, at most 16 levels deep and 64 code points long) the whole sequence is copied
//! unchanged, else one character is copied.
//!
//! # Representation
//!
//! The tree is flattened into *levels*: a short-circuit group becomes one level per member,
//! a union (of leaves or unions) becomes one level. Adjacent levels are merged when the
//! earlier level's shortest key is at least as long as the later level's longest key,
//! which cannot change any answer (phrase levels before character levels, the usual case).
//!
//! Every BMP code point has a 32-bit entry in a direct table (others in a small hash map):
//! whether any phrase (key of two or more characters) starts with it, whether it is an
//! ideographic description operator, and the stage's answer when only one-character keys
//! can apply; an 8 KiB bitmap marks the code points whose entry is not zero. Phrases are
//! probed only where a phrase can start: a one-hash Bloom filter over the phrases' first
//! two characters rules most positions out; then the pair is looked up in a small
//! open-addressing table of its first character (one per character, so a frequent
//! character's pairs share cache lines), which gives the pair's phrases, longest first,
//! each with its first 8 remaining bytes for a one-word comparison. The first that matches
//! is the longest match.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast hasher for short keys (code points, short strings) with a strong final mix.
#[derive(Default, Clone, Copy)]
pub(crate) struct MixHasher {
    hash: u64,
}

const MUL: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl MixHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(MUL);
    }
}

impl Hasher for MixHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        let mut x = self.hash;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^ (x >> 33)
    }
}

pub(crate) type Map<K, V> = HashMap<K, V, BuildHasherDefault<MixHasher>>;

/// Some phrase (a key of two or more characters) starts with this character.
const PHRASE: u32 = 1 << 31;
/// The character is an ideographic description operator.
const IDS: u32 = 1 << 30;
/// The payload is an index into the value arena rather than a code point.
const ARENA: u32 = 1 << 29;
const PAYLOAD: u32 = ARENA - 1;

/// On a phrase's value index: the value equals the key.
const IDENT: u32 = 1 << 31;

/// What a match emits: a single character, or a value from the arena.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Repl {
    Char(u32),
    Val(u32),
}

/// One dictionary entry while building: key, first candidate.
pub(crate) type Entry<'a> = (&'a str, &'a str);

#[derive(Debug, Default)]
struct Level {
    /// One-character keys: code point → value index.
    singles: Map<u32, u32>,
    /// First two characters of a phrase → bit set of phrase lengths (in characters).
    pairs: Map<u64, u64>,
    /// Phrase → value index.
    phrases: Map<Box<str>, u32>,
    /// Per first character of a phrase: its open-addressing table of second characters in
    /// `slots`, as `offset << 5 | log2(size)`; 0 when no phrase starts with it. BMP
    /// characters here, others in `astral_dir`. Keeping a character's pairs together keeps
    /// the frequent characters' tables in cache.
    dir: Vec<u32>,
    /// A one-hash Bloom filter over the pairs (about 32 bits per pair): a clear bit proves
    /// there is no phrase starting with the pair. Indexed by [`bloom_bit`].
    bloom: Vec<u64>,
    /// `64 - log2(bits in bloom)`.
    bshift: u32,
    astral_dir: Map<u32, u32>,
    /// `(second character + 1) << 32 | index of its first candidate`; 0 is empty.
    slots: Vec<u64>,
    /// Every phrase, grouped by its first two characters, the longest first within a group
    /// (so the first candidate that matches is the longest match).
    cands: Vec<Cand>,
    /// The bytes of every phrase after its first two characters, concatenated.
    rest: Vec<u8>,
}

/// A phrase in [`Level::cands`].
#[derive(Debug, Clone, Copy)]
struct Cand {
    /// The first (up to) 8 bytes of the key after its first two characters, little-endian,
    /// zero-padded.
    head: u64,
    /// Offset of the key's bytes after its first two characters in [`Level::rest`].
    off: u32,
    /// Their length in bytes, with [`LAST`] set on the last candidate of a group.
    len: u32,
    /// The value index (with [`IDENT`]).
    val: u32,
    /// Characters changed by the replacement (see [`changed_chars`]).
    changed: u32,
}

/// On [`Cand::len`]: the last candidate of its pair's group.
const LAST: u32 = 1 << 31;

#[inline]
fn second_bit(c2: u32) -> u64 {
    1 << ((c2 ^ (c2 >> 6) ^ (c2 >> 12)) & 63)
}

#[inline]
fn bloom_bit(key: u64, shift: u32) -> usize {
    (key.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> shift) as usize
}

#[inline]
fn slot_hash(c2: u32, log2: u32) -> usize {
    (c2.wrapping_mul(0x9E37_79B1) >> (32 - log2)) as usize
}

impl Level {
    /// Builds the probe structures; `value(v)` is the text of value index `v`.
    fn finish<'v>(&mut self, value: impl Fn(u32) -> &'v str) {
        if self.pairs.is_empty() {
            return;
        }
        let bits = (self.pairs.len() * 32).next_power_of_two().max(1 << 12);
        self.bshift = 64 - bits.trailing_zeros();
        self.bloom = vec![0u64; bits / 64];
        for &k in self.pairs.keys() {
            let h = bloom_bit(k, self.bshift);
            self.bloom[h / 64] |= 1 << (h % 64);
        }
        // Candidates: by pair, then longest key first.
        let mut all: Vec<(u64, usize, &str, u32, &str)> = self
            .phrases
            .iter()
            .map(|(k, &v)| {
                let mut it = k.char_indices();
                let (_, c1) = it.next().expect("phrase of two or more characters");
                let (_, c2) = it.next().expect("phrase of two or more characters");
                let off = c1.len_utf8() + c2.len_utf8();
                (pair(c1 as u32, c2 as u32), k.len(), &k[off..], v, &**k)
            })
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut firsts: Vec<(u32, u32, usize)> = Vec::new(); // (c1, c2, first candidate)
        for (n, &(key, _, rest, val, whole)) in all.iter().enumerate() {
            let last = all.get(n + 1).is_none_or(|x| x.0 != key);
            let mut head = [0u8; 8];
            let h = rest.len().min(8);
            head[..h].copy_from_slice(&rest.as_bytes()[..h]);
            let changed = if val & IDENT != 0 {
                0
            } else {
                changed_chars(whole, value(val)) as u32
            };
            self.cands.push(Cand {
                head: u64::from_le_bytes(head),
                off: self.rest.len() as u32,
                len: rest.len() as u32 | if last { LAST } else { 0 },
                val,
                changed,
            });
            self.rest.extend_from_slice(rest.as_bytes());
            if n == 0 || all[n - 1].0 != key {
                firsts.push(((key >> 21) as u32, (key & 0x1F_FFFF) as u32, n));
            }
        }
        self.dir = vec![0u32; 0x10000];
        for group in firsts.chunk_by(|a, b| a.0 == b.0) {
            let log2 = (group.len() * 2)
                .next_power_of_two()
                .trailing_zeros()
                .max(1);
            let off = self.slots.len();
            assert!(
                off < 1 << 27,
                "a dictionary level has too many phrase pairs"
            );
            self.slots.resize(off + (1 << log2), 0);
            for &(_, c2, first) in group {
                let mut h = slot_hash(c2, log2);
                while self.slots[off + h] != 0 {
                    h = (h + 1) & ((1 << log2) - 1);
                }
                self.slots[off + h] = (u64::from(c2) + 1) << 32 | first as u64;
            }
            let d = (off as u32) << 5 | log2;
            match self.dir.get_mut(group[0].0 as usize) {
                Some(slot) => *slot = d,
                None => {
                    self.astral_dir.insert(group[0].0, d);
                }
            }
        }
    }

    /// The index of the first candidate of the phrases starting with `c1 c2`, if any.
    #[inline]
    fn find_pair(&self, c1: u32, c2: u32) -> Option<usize> {
        let d = match self.dir.get(c1 as usize) {
            Some(&d) => d,
            None => *self.astral_dir.get(&c1)?,
        };
        if d == 0 {
            return None;
        }
        let (off, log2) = ((d >> 5) as usize, d & 31);
        let table = self.slots.get(off..off + (1 << log2))?;
        let key = u64::from(c2) + 1;
        let mut h = slot_hash(c2, log2);
        loop {
            let s = *table.get(h)?;
            if s >> 32 == key {
                return Some(s as u32 as usize);
            }
            if s == 0 {
                return None;
            }
            h = (h + 1) & (table.len() - 1);
        }
    }

    /// The first candidate from index `k` on (within its group) whose remaining bytes
    /// start `avail`: the longest phrase of the group that matches.
    #[inline]
    fn match_from(&self, mut k: usize, avail: &[u8]) -> Option<Cand> {
        // The first 8 bytes of `avail`, zero-padded.
        let word = match avail.get(..8) {
            Some(w) => u64::from_le_bytes(w.try_into().ok()?),
            None => {
                let mut w = [0u8; 8];
                w[..avail.len()].copy_from_slice(avail);
                u64::from_le_bytes(w)
            }
        };
        loop {
            let c = *self.cands.get(k)?;
            let n = (c.len & !LAST) as usize;
            if n <= avail.len() {
                if n <= 8 {
                    let mask = if n == 8 {
                        u64::MAX
                    } else {
                        (1u64 << (8 * n)) - 1
                    };
                    if word & mask == c.head {
                        return Some(c);
                    }
                } else if word == c.head {
                    let o = c.off as usize;
                    if avail.get(8..n) == self.rest.get(o + 8..o + n) {
                        return Some(c);
                    }
                }
            }
            if c.len & LAST != 0 {
                return None;
            }
            k += 1;
        }
    }

    #[inline]
    fn may_have_pair(&self, c1: u32, c2: u32) -> bool {
        let h = bloom_bit(pair(c1, c2), self.bshift);
        match self.bloom.get(h / 64) {
            Some(&w) => w & (1 << (h % 64)) != 0,
            None => false,
        }
    }
}

/// A compiled stage. Immutable, `Send + Sync`.
#[derive(Debug)]
pub(crate) struct Stage {
    bmp: Box<[u32; 0x10000]>,
    /// One bit per BMP code point: its `bmp` entry is not zero (8 KiB: stays in L1).
    acts: Box<ActSet>,
    astral: Map<u32, u32>,
    levels: Vec<Level>,
    vals: Vec<(u32, u32)>,
    arena: String,
    /// True when some ASCII character has a non-zero entry.
    ascii: bool,
    /// How many bytes before the end of an ASCII run a key may start: the longest ASCII
    /// prefix of a key that starts with ASCII (`usize::MAX` if a key is all ASCII).
    ascii_back: usize,
    /// True when every key starts at U+F000 or above (see [`Stage::may_act`]).
    high_only: bool,
    /// For `high_only` stages: a SIMD (Teddy) searcher for the first two UTF-8 bytes of
    /// every key's first character.
    leads: Option<aho_corasick::packed::Searcher>,
}

#[inline]
fn char_len(lead: u8) -> usize {
    if lead < 0x80 {
        1
    } else if lead < 0xE0 {
        2
    } else if lead < 0xF0 {
        3
    } else {
        4
    }
}

/// The code point of the three-byte UTF-8 sequence starting `s` (which the caller has
/// checked: a lead byte E0–EF and at least three bytes).
#[inline(always)]
pub(crate) fn decode3(s: &[u8]) -> u32 {
    (u32::from(s[0] & 0x0F) << 12) | (u32::from(s[1] & 0x3F) << 6) | u32::from(s[2] & 0x3F)
}

/// Decodes the character starting at `i` of valid UTF-8 (`i` on a character boundary).
#[inline(always)]
pub(crate) fn decode(b: &[u8], i: usize) -> (u32, usize) {
    let c0 = u32::from(b[i]);
    if c0 < 0x80 {
        (c0, 1)
    } else if c0 < 0xE0 {
        (((c0 & 0x1F) << 6) | (u32::from(b[i + 1]) & 0x3F), 2)
    } else if c0 < 0xF0 {
        (
            ((c0 & 0x0F) << 12)
                | ((u32::from(b[i + 1]) & 0x3F) << 6)
                | (u32::from(b[i + 2]) & 0x3F),
            3,
        )
    } else {
        (
            ((c0 & 0x07) << 18)
                | ((u32::from(b[i + 1]) & 0x3F) << 12)
                | ((u32::from(b[i + 2]) & 0x3F) << 6)
                | (u32::from(b[i + 3]) & 0x3F),
            4,
        )
    }
}

/// [`decode`] for a character that is not ASCII, three-byte characters first.
#[inline(always)]
pub(crate) fn decode_non_ascii(b: &[u8], i: usize) -> (u32, usize) {
    let c0 = u32::from(b[i]);
    if c0 & 0xF0 == 0xE0 {
        (
            ((c0 & 0x0F) << 12)
                | ((u32::from(b[i + 1]) & 0x3F) << 6)
                | (u32::from(b[i + 2]) & 0x3F),
            3,
        )
    } else {
        decode(b, i)
    }
}

/// OpenCC's `IdeographicDescriptionOperatorArity`.
#[inline]
fn ids_arity(cp: u32) -> usize {
    match cp {
        0x2FF2 | 0x2FF3 => 3,
        0x2FFE | 0x2FFF => 1,
        0x2FF0..=0x2FFD => 2,
        _ => 0,
    }
}

#[derive(PartialEq, Eq)]
enum Ids {
    Complete(usize),
    Incomplete,
    Invalid,
}

fn consume_ids(b: &[u8], depth_left: usize, cps: &mut usize) -> Ids {
    if b.is_empty() {
        return Ids::Incomplete;
    }
    if depth_left == 0 || *cps >= 64 {
        return Ids::Invalid;
    }
    let (cp, l) = decode(b, 0);
    *cps += 1;
    let arity = ids_arity(cp);
    let mut off = l;
    for _ in 0..arity {
        if off >= b.len() {
            return Ids::Incomplete;
        }
        match consume_ids(&b[off..], depth_left - 1, cps) {
            Ids::Complete(n) => off += n,
            other => return other,
        }
    }
    Ids::Complete(off)
}

/// Length in bytes of the complete ideographic description sequence at the start of `b`
/// (valid UTF-8), or 0 if `b` does not start with one.
pub(crate) fn ids_len(b: &[u8]) -> usize {
    if b.is_empty() || ids_arity(decode(b, 0).0) == 0 {
        return 0;
    }
    match consume_ids(b, 16, &mut 0) {
        Ids::Complete(n) => n,
        _ => 0,
    }
}

/// True if `b` (valid UTF-8) starts with an ideographic description operator whose
/// sequence is cut short by the end of `b`.
pub(crate) fn ids_incomplete(b: &[u8]) -> bool {
    !b.is_empty() && ids_arity(decode(b, 0).0) != 0 && consume_ids(b, 16, &mut 0) == Ids::Incomplete
}

impl Stage {
    /// Compiles a stage from its levels (each a list of entries, earlier entries winning
    /// for equal keys), in short-circuit order. With `keep_identity == false`, one-character
    /// entries that map a character to itself are dropped from the fast table (they cannot
    /// change the text); segmentation and user stages keep them because they still match.
    pub(crate) fn build(levels: Vec<Vec<Entry<'_>>>, keep_identity: bool) -> Stage {
        // Merge adjacent levels when no answer can change (see module docs).
        let mut merged: Vec<(Vec<Entry<'_>>, usize, usize)> = Vec::new();
        for entries in levels {
            if entries.is_empty() {
                continue;
            }
            let lens = entries.iter().map(|(k, _)| k.chars().count());
            let (min, max) = lens.fold((usize::MAX, 0), |(a, b), n| (a.min(n), b.max(n)));
            match merged.last_mut() {
                Some(last) if last.1 >= max => {
                    last.0.extend(entries);
                    last.1 = last.1.min(min);
                }
                _ => merged.push((entries, min, max)),
            }
        }
        let mut stage = Stage {
            bmp: vec![0u32; 0x10000]
                .into_boxed_slice()
                .try_into()
                .expect("0x10000 entries"),
            acts: Box::new(ActSet([0; 1024])),
            astral: Map::default(),
            levels: Vec::new(),
            vals: Vec::new(),
            arena: String::new(),
            ascii: false,
            ascii_back: 0,
            leads: None,
            high_only: true,
        };
        let mut val_ids: Map<&str, u32> = Map::default();
        // Code points whose one-character answer is decided (by an earlier level).
        let mut decided: Map<u32, ()> = Map::default();
        for (entries, _, _) in merged {
            let mut level = Level::default();
            for (key, value) in entries {
                let mut chars = key.chars();
                let Some(c1) = chars.next() else { continue };
                if c1.is_ascii() {
                    let a = key.bytes().take_while(u8::is_ascii).count();
                    let back = if a == key.len() { usize::MAX } else { a };
                    stage.ascii_back = stage.ascii_back.max(back);
                }
                let c1 = c1 as u32;
                stage.high_only &= c1 >= 0xF000;
                let vid = *val_ids.entry(value).or_insert_with(|| {
                    let id = stage.vals.len() as u32;
                    stage
                        .vals
                        .push((stage.arena.len() as u32, value.len() as u32));
                    stage.arena.push_str(value);
                    id
                });
                match chars.next() {
                    None => {
                        if level.singles.contains_key(&c1) {
                            continue;
                        }
                        level.singles.insert(c1, vid);
                        if decided.insert(c1, ()).is_some() {
                            continue;
                        }
                        let mut vc = value.chars();
                        let payload = match (vc.next(), vc.next()) {
                            (Some(v), None) if v as u32 == c1 && !keep_identity => 0,
                            (Some(v), None) if v != '\0' => v as u32,
                            _ => ARENA | vid,
                        };
                        stage.set(c1, payload, PAYLOAD | ARENA);
                    }
                    Some(c2) => {
                        if level.phrases.contains_key(key) {
                            continue;
                        }
                        let n = key.chars().count().min(63);
                        let flag = if key == value { IDENT } else { 0 };
                        level.phrases.insert(key.into(), vid | flag);
                        *level.pairs.entry(pair(c1, c2 as u32)).or_insert(0) |= 1 << n;
                        stage.set(c1, PHRASE, PHRASE);
                    }
                }
            }
            level.finish(|v| {
                let (s, l) = stage.vals[(v & !IDENT) as usize];
                &stage.arena[s as usize..(s + l) as usize]
            });
            stage.levels.push(level);
        }
        for cp in 0x2FF0..=0x2FFF {
            if ids_arity(cp) != 0 {
                stage.set(cp, IDS, IDS);
            }
        }
        stage.ascii = stage.bmp[..0x80].iter().any(|&e| e != 0);
        stage.acts = ActSet::from_table(&stage.bmp);
        if stage.high_only {
            let mut leads: Vec<[u8; 2]> = Vec::new();
            for l in &stage.levels {
                let firsts = l.singles.keys().copied();
                let firsts = firsts.chain(l.pairs.keys().map(|&p| (p >> 21) as u32));
                for c in firsts.filter_map(char::from_u32) {
                    let mut buf = [0u8; 4];
                    if let [a, b, ..] = *c.encode_utf8(&mut buf).as_bytes() {
                        leads.push([a, b]);
                    }
                }
            }
            leads.sort_unstable();
            leads.dedup();
            let mut builder = aho_corasick::packed::Config::new().builder();
            stage.leads = builder.extend(&leads).build();
        }
        stage
    }

    fn set(&mut self, cp: u32, bits: u32, mask: u32) {
        let e = if cp < 0x10000 {
            &mut self.bmp[cp as usize]
        } else {
            self.astral.entry(cp).or_insert(0)
        };
        *e = (*e & !mask) | bits;
    }

    #[inline]
    fn entry(&self, cp: u32) -> u32 {
        if cp < 0x10000 {
            self.bmp[cp as usize]
        } else {
            self.astral.get(&cp).copied().unwrap_or(0)
        }
    }

    /// The text of a replacement.
    #[inline]
    pub(crate) fn write_repl(&self, r: Repl, out: &mut String) {
        match r {
            Repl::Char(cp) => out.push(char::from_u32(cp).unwrap_or('\u{FFFD}')),
            Repl::Val(v) => {
                let (s, l) = self.vals[(v & !IDENT) as usize];
                out.push_str(&self.arena[s as usize..(s + l) as usize]);
            }
        }
    }

    /// The replacement as a string slice, if it is an arena value.
    #[inline]
    pub(crate) fn val_str(&self, v: u32) -> &str {
        let (s, l) = self.vals[(v & !IDENT) as usize];
        &self.arena[s as usize..(s + l) as usize]
    }

    /// True when the stage has no entries at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// Longest phrase of `level` matching at `i` (first character `cp`, `l` bytes), within
    /// `..end`.
    #[inline]
    fn phrase(
        level: &Level,
        text: &str,
        i: usize,
        end: usize,
        cp: u32,
        l: usize,
    ) -> Option<(usize, u32, u32)> {
        let b = text.as_bytes();
        let j = i + l;
        if j >= end || level.slots.is_empty() {
            return None;
        }
        let (cp2, l2) = decode(b, j);
        if !level.may_have_pair(cp, cp2) {
            return None;
        }
        let k = level.find_pair(cp, cp2)?;
        let j2 = j + l2;
        let avail = b.get(j2..end).unwrap_or_default();
        let c = level.match_from(k, avail)?;
        Some((j2 + (c.len & !LAST) as usize - i, c.val, c.changed))
    }

    /// OpenCC's matching at one position `i` (a character boundary before `end`):
    /// the number of bytes consumed and, for a match, its replacement. Unmatched positions
    /// consume one character, or a whole ideographic description sequence.
    #[inline]
    pub(crate) fn step(&self, text: &str, i: usize, end: usize) -> (usize, Option<Repl>) {
        let b = text.as_bytes();
        let (cp, l) = decode(b, i);
        let e = self.entry(cp);
        if e == 0 {
            return (l, None);
        }
        let payload = e & (PAYLOAD | ARENA);
        if e & PHRASE != 0 {
            let multi = self.levels.len() > 1;
            for level in &self.levels {
                if let Some((klen, v, _)) = Stage::phrase(level, text, i, end, cp, l) {
                    return (klen, Some(Repl::Val(v)));
                }
                if !multi {
                    break;
                }
                if let Some(&v) = level.singles.get(&cp) {
                    return (l, Some(Repl::Val(v)));
                }
            }
            if !multi && payload != 0 {
                return (l, Some(repl(payload)));
            }
        } else if payload != 0 {
            return (l, Some(repl(payload)));
        }
        if e & IDS != 0 {
            let n = ids_len(&b[i..end]);
            if n > 0 {
                return (n, None);
            }
        }
        (l, None)
    }

    /// True when the stage may act on code point `cp` (some key starts with it, or it is
    /// an ideographic description operator).
    #[inline]
    pub(crate) fn acts_on(&self, cp: u32) -> bool {
        self.entry(cp) != 0
    }

    /// What the stage does to `cp` when no phrase can match at its position: `None` if it
    /// stays, `Some(Some(c))` if it becomes the single character `c`, `Some(None)` if it
    /// becomes anything else (several characters).
    #[inline]
    pub(crate) fn single(&self, cp: u32) -> Option<Option<u32>> {
        let payload = self.entry(cp) & (PAYLOAD | ARENA);
        if payload == 0 {
            None
        } else if payload & ARENA == 0 {
            Some(Some(payload))
        } else {
            let mut it = self.val_str(payload & PAYLOAD).chars();
            match (it.next(), it.next()) {
                (Some(c), None) if c as u32 == cp => None,
                (Some(c), None) => Some(Some(c as u32)),
                _ => Some(None),
            }
        }
    }

    /// Flags of `cp`: (some phrase starts with it, it is an ideographic description
    /// operator).
    pub(crate) fn flags(&self, cp: u32) -> (bool, bool) {
        let e = self.entry(cp);
        (e & PHRASE != 0, e & IDS != 0)
    }

    /// The filter bit of a second character in a 64-bit second-character filter.
    #[inline]
    pub(crate) fn second_bit(c2: u32) -> u64 {
        second_bit(c2)
    }

    /// Length in characters of the longest phrase starting with each character.
    pub(crate) fn max_phrase_lens(&self) -> Map<u32, usize> {
        let mut m = Map::default();
        for level in &self.levels {
            for (&k, &mask) in &level.pairs {
                let n = 63 - mask.leading_zeros() as usize;
                let e = m.entry((k >> 21) as u32).or_insert(0);
                *e = n.max(*e);
            }
        }
        m
    }

    /// The first two characters of every phrase key.
    pub(crate) fn phrase_pairs(&self) -> Vec<(u32, u32)> {
        self.levels
            .iter()
            .flat_map(|l| l.pairs.keys())
            .map(|&k| ((k >> 21) as u32, (k & 0x1F_FFFF) as u32))
            .collect()
    }

    /// Every (first character of a phrase key, first character of its value).
    pub(crate) fn phrase_firsts(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for l in &self.levels {
            for (k, &v) in &l.phrases {
                if let (Some(a), Some(b)) = (k.chars().next(), self.val_str(v).chars().next()) {
                    out.push((a as u32, b as u32));
                }
            }
        }
        out
    }

    /// True when every value has as many characters as its key.
    pub(crate) fn keeps_lengths(&self) -> bool {
        self.levels.iter().all(|l| {
            l.phrases
                .iter()
                .all(|(k, &v)| k.chars().count() == self.val_str(v).chars().count())
                && l.singles
                    .values()
                    .all(|&v| self.val_str(v).chars().count() == 1)
        })
    }

    /// True when some ASCII character starts a key.
    pub(crate) fn has_ascii(&self) -> bool {
        self.ascii
    }

    /// Number of BMP code points the stage may act on.
    pub(crate) fn density(&self) -> usize {
        self.bmp.iter().filter(|&&e| e != 0).count() + self.astral.len()
    }

    /// False only if the stage certainly changes nothing in `text`: for stages whose keys
    /// all start at U+F000 or above (the normalization stage), by looking only at
    /// characters with UTF-8 lead bytes 0xEF and 0xF0.
    pub(crate) fn may_act(&self, text: &str) -> bool {
        if !self.high_only {
            return true;
        }
        let b = text.as_bytes();
        let hit = |i: usize| {
            i + char_len(b[i]) <= b.len() && text.is_char_boundary(i) && {
                let cp = decode(b, i).0;
                if cp < 0x10000 {
                    self.acts.has(cp as usize)
                } else {
                    self.acts_on(cp)
                }
            }
        };
        match &self.leads {
            Some(s) => s.find_iter(b).any(|m| hit(m.start())),
            // 0xEF and 0xF0 only ever lead a character.
            None => memchr::memchr2_iter(0xEF, 0xF0, b).any(hit),
        }
    }

    /// Scans `text[start..end]` (a segment: matches never extend past `end`) by maximum
    /// forward matching and calls `f(position, key length, replacement)` for every match,
    /// in order. Positions not reported are copied unchanged by OpenCC.
    #[inline]
    pub(crate) fn scan<F: FnMut(usize, usize, Repl)>(
        &self,
        text: &str,
        start: usize,
        end: usize,
        mut f: F,
    ) {
        let b = text.as_bytes();
        let mut i = start;
        while i < end {
            let c0 = b[i];
            if c0 < 0x80 && !self.ascii {
                i = skip_ascii(b, i + 1, end);
                continue;
            }
            let (n, m) = self.step(text, i, end);
            if let Some(r) = m {
                f(i, n, r);
            }
            i += n;
        }
    }
}

/// The output of a conversion stage under construction: nothing is copied until the first
/// change, then unchanged runs are copied in bulk.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub(crate) s: String,
    /// Input bytes before this offset are accounted for in `s`.
    pub(crate) copied: usize,
    pub(crate) changed: bool,
    /// Characters changed (see `ConvertReport::chars_changed`).
    pub(crate) count: usize,
}

/// Output bytes reserved at the first change of a text of `n` bytes: conversions mostly
/// keep the byte length (both scripts' characters are three bytes), so a little slack
/// covers them and longer outputs grow the usual way. Not over-reserving also keeps large
/// outputs under the allocator's mmap threshold once it has adapted, so that converting
/// one large document after another reuses memory instead of faulting in fresh pages.
#[inline]
fn reservation(n: usize) -> usize {
    n + n / 64 + 16
}

impl Out {
    #[inline]
    pub(crate) fn begin(&mut self, text: &str, i: usize) {
        if !self.changed {
            self.changed = true;
            self.s.reserve(reservation(text.len()));
        }
        self.s.push_str(&text[self.copied..i]);
    }

    /// Replaces the `l` bytes at `i` (one character) with the different character `cp`.
    #[inline(always)]
    pub(crate) fn put_char(&mut self, text: &str, i: usize, l: usize, cp: u32) {
        if !self.changed {
            self.changed = true;
            self.s.reserve(reservation(text.len()));
        }
        if self.copied < i {
            self.s.push_str(&text[self.copied..i]);
        }
        self.s.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
        self.copied = i + l;
        self.count += 1;
    }

    /// Replaces `text[i..i + klen]` with `new` unless they are equal.
    #[inline]
    pub(crate) fn put_str(&mut self, text: &str, i: usize, klen: usize, new: &str) {
        let old = &text[i..i + klen];
        if old == new {
            return;
        }
        self.begin(text, i);
        self.s.push_str(new);
        self.copied = i + klen;
        self.count += changed_chars(old, new);
    }

    /// Applies a replacement from `st`.
    #[inline]
    pub(crate) fn put_repl(&mut self, st: &Stage, text: &str, i: usize, klen: usize, r: Repl) {
        match r {
            Repl::Val(v) if v & IDENT != 0 => {}
            Repl::Val(v) => self.put_str(text, i, klen, st.val_str(v)),
            Repl::Char(cp) => {
                let mut buf = [0u8; 4];
                let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
                self.put_str(text, i, klen, c.encode_utf8(&mut buf));
            }
        }
    }

    /// The offset in the output that input offset `i` (past `copied`) maps to.
    #[inline]
    pub(crate) fn map(&self, i: usize) -> usize {
        if self.changed {
            self.s.len() + (i - self.copied)
        } else {
            i
        }
    }

    /// Finishes: the converted text, or `None` if nothing changed.
    pub(crate) fn finish(mut self, text: &str) -> Option<(String, usize)> {
        if !self.changed {
            return None;
        }
        self.s.push_str(&text[self.copied..]);
        Some((self.s, self.count))
    }
}

/// Characters changed between a key and its replacement: position by position over the
/// common length, plus the difference in length.
pub(crate) fn changed_chars(old: &str, new: &str) -> usize {
    let (mut a, mut b) = (old.chars(), new.chars());
    let mut n = 0;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) => n += usize::from(x != y),
            (None, None) => return n,
            (Some(_), None) => return n + 1 + a.count(),
            (None, Some(_)) => return n + 1 + b.count(),
        }
    }
}

impl Stage {
    /// Converts the segment `text[start..end]` into `o` (OpenCC's `AppendConverted`):
    /// the same matching as [`Stage::scan`], specialised for speed.
    pub(crate) fn convert_segment(&self, text: &str, start: usize, end: usize, o: &mut Out) {
        let b = text.as_bytes();
        let mut i = start;
        // One level: a phrase start can be ruled out by the second-character filter here.
        let filter = match self.levels.as_slice() {
            [one] => Some(one),
            _ => None,
        };
        loop {
            i = next_event(&self.acts, b, i, end, self.ascii_back);
            if i >= end {
                return;
            }
            let (cp, l) = decode(b, i);
            let e = self.entry(cp);
            if e & (PHRASE | IDS | ARENA) == 0 {
                if e != 0 {
                    // A different single character (identities are not in the table).
                    o.put_char(text, i, l, e);
                    i = self.dense(text, i + l, end, filter, o);
                    continue;
                }
                i += l;
                continue;
            }
            if e & (IDS | ARENA) == 0 {
                if let Some(level) = filter {
                    let j = i + l;
                    if j >= end || !level.may_have_pair(cp, decode(b, j).0) {
                        // No phrase starts here: the one-character answer.
                        let payload = e & PAYLOAD;
                        if payload != 0 {
                            o.put_char(text, i, l, payload);
                        }
                        i += l;
                        continue;
                    }
                }
            }
            i = self.convert_at(text, i, end, cp, l, e, o);
        }
    }

    /// Dense mode of [`Stage::convert_segment`], entered after a change at `i` (so
    /// `o.copied == i`): where changes are frequent, writing every character is cheaper
    /// than skipping to the next change and copying the run before it. Writes three-byte
    /// characters with plain one-character answers and ASCII runs, and returns the first
    /// position it does not handle, or where the last [`DENSE_QUIET`] characters were all
    /// unchanged (back to skipping); `o.copied` is that position.
    #[inline(always)]
    fn dense(
        &self,
        text: &str,
        i: usize,
        end: usize,
        filter: Option<&Level>,
        o: &mut Out,
    ) -> usize {
        let b = text.as_bytes().get(..end).unwrap_or_default();
        if self.ascii_back != 0 || o.copied != i {
            return i;
        }
        dense_run(text, b, i, o, |i, cp| {
            let e = self.bmp[cp as usize];
            if e & (PHRASE | IDS | ARENA) == 0 {
                return Some(e);
            }
            // A phrase start ruled out by the filter: the one-character answer.
            let level = filter?;
            if e & (IDS | ARENA) != 0 {
                return None;
            }
            if let Some(&n) = b.get(i + 3) {
                if n >= 0x80 && level.may_have_pair(cp, decode_non_ascii(b, i + 3).0) {
                    return None;
                }
                if n < 0x80 && level.may_have_pair(cp, u32::from(n)) {
                    return None;
                }
            }
            Some(e & PAYLOAD)
        })
    }

    /// [`Stage::convert_segment`] at a position whose entry `e` is not a plain
    /// single-character answer: a phrase may start there, an ideographic description
    /// sequence, or a value of several characters. Returns the next position.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn convert_at(
        &self,
        text: &str,
        i: usize,
        end: usize,
        cp: u32,
        l: usize,
        e: u32,
        o: &mut Out,
    ) -> usize {
        let multi = self.levels.len() > 1;
        let mut payload = e & (PAYLOAD | ARENA);
        if e & PHRASE != 0 {
            for level in &self.levels {
                if let Some((klen, v, changed)) = Stage::phrase(level, text, i, end, cp, l) {
                    if v & IDENT == 0 {
                        // A value different from its key, `changed` characters apart.
                        o.begin(text, i);
                        o.s.push_str(self.val_str(v));
                        o.copied = i + klen;
                        o.count += changed as usize;
                    }
                    return i + klen;
                }
                if !multi {
                    break;
                }
                if let Some(&v) = level.singles.get(&cp) {
                    o.put_str(text, i, l, self.val_str(v));
                    return i + l;
                }
            }
            if multi {
                // Every level's one-character answer was tried above.
                payload = 0;
            }
        }
        if payload != 0 {
            if payload & ARENA == 0 {
                o.put_char(text, i, l, payload);
            } else {
                o.put_str(text, i, l, self.val_str(payload & PAYLOAD));
            }
            return i + l;
        }
        if e & IDS != 0 {
            let n = ids_len(&text.as_bytes()[i..end]);
            if n > 0 {
                return i + n;
            }
        }
        i + l
    }
}

/// In a [`Stage::convert_bytes`] table entry: some phrase starts with the character (the
/// next character decides, through the level's Bloom filter).
const B_PHRASE: u32 = 1 << 24;
/// In a [`Stage::convert_bytes`] table entry: the character needs the general step (an
/// ideographic description operator, a value of several characters or of another UTF-8
/// length, a phrase start in a stage of several levels).
const B_SLOW: u32 = 1 << 25;
/// In a [`Stage::convert_bytes`] table entry: the one-character answer differs from the
/// character.
const B_CHANGED: u32 = 1 << 26;

/// Input bytes [`Stage::convert_bytes`] copies to the output at a time (then patches). A
/// position that changes the length costs at most this much copying again.
const BLOCK: usize = 512;

/// The UTF-8 bytes of a three-byte character, little-endian in the low 24 bits.
#[inline]
fn encode3(cp: u32) -> u32 {
    (0xE0 | (cp >> 12)) | ((0x80 | ((cp >> 6) & 0x3F)) << 8) | ((0x80 | (cp & 0x3F)) << 16)
}

impl Stage {
    /// True when [`Stage::convert_bytes`] may be used: no key starts with ASCII.
    pub(crate) fn bytes_ok(&self) -> bool {
        !self.ascii
    }

    /// True when some key of the stage starts with `cp` (ideographic description operators
    /// aside): only at such a character can the stage change a text.
    #[inline]
    pub(crate) fn starts_key(&self, cp: u32) -> bool {
        self.entry(cp) & !IDS != 0
    }

    /// The tables of [`Stage::convert_bytes`] for this stage, with `guards` (stages that
    /// run before it, such as normalization, and start no key with ASCII): a character
    /// some guard starts a key with always takes the general step, and
    /// [`Stage::convert_bytes`] with guards stops there.
    pub(crate) fn byte_tables(&self, guards: &[Stage]) -> Blocks {
        debug_assert!(guards.iter().all(|g| !g.has_ascii()));
        let guarded = |cp: u32| guards.iter().any(|g| g.starts_key(cp));
        let multi = self.levels.len() > 1;
        let mut t: Box<[u32; 0x10000]> = vec![B_SLOW; 0x10000]
            .into_boxed_slice()
            .try_into()
            .expect("0x10000 entries");
        let mut acts = Box::new(ActSet(self.acts.0));
        for (cp, slot) in t.iter_mut().enumerate().skip(0x80) {
            let cp = cp as u32;
            let e = self.bmp[cp as usize];
            let guard = guarded(cp);
            if guard {
                acts.0[cp as usize / 64] |= 1 << (cp % 64);
            }
            if cp < 0x800 {
                *slot = if e == 0 && !guard { 0 } else { B_SLOW };
                continue;
            }
            if (0xD800..0xE000).contains(&cp) {
                continue;
            }
            let payload = e & PAYLOAD;
            let out = if payload == 0 { cp } else { payload };
            let mut flags = 0;
            if guard || e & (IDS | ARENA) != 0 || !(0x800..0x10000).contains(&out) {
                flags |= B_SLOW;
            }
            if e & PHRASE != 0 {
                flags |= if multi { B_SLOW } else { B_PHRASE };
            }
            if out != cp {
                flags |= B_CHANGED;
            }
            let bytes = encode3(if flags & B_SLOW != 0 { cp } else { out });
            // The fast paths write an entry's low three bytes over a three-byte character:
            // they must be one whole UTF-8 character (`out` is a dictionary character of
            // three bytes, so they are; checked here so that `convert_bytes` relies on no
            // reasoning about the dictionaries).
            if std::str::from_utf8(&bytes.to_le_bytes()[..3]).is_err() {
                flags |= B_SLOW;
            }
            *slot = bytes | flags;
        }
        let mut astral = Box::new(ActSet([0; 1024]));
        let stage_astral = self.astral.iter().filter(|(_, &e)| e != 0);
        let guard_astral = guards
            .iter()
            .flat_map(|g| g.astral.iter().filter(|(_, &e)| e & !IDS != 0));
        for (&cp, _) in stage_astral.chain(guard_astral) {
            let low = (cp & 0xFFFF) as usize;
            astral.0[low / 64] |= 1 << (low % 64);
        }
        Blocks {
            table: t,
            acts,
            astral,
        }
    }

    /// The text of a replacement (a single character is encoded into `buf`).
    #[inline]
    fn repl_str<'a>(&'a self, r: Repl, buf: &'a mut [u8; 4]) -> &'a str {
        match r {
            Repl::Char(cp) => char::from_u32(cp).unwrap_or('\u{FFFD}').encode_utf8(buf),
            Repl::Val(v) => self.val_str(v),
        }
    }

    /// Converts `text` as one segment, exactly as [`Stage::convert_segment`] does, for a
    /// stage with [`Stage::bytes_ok`], with `blocks` from [`Stage::byte_tables`]. With
    /// `guards` (those `blocks` was built with, or none), [`Bytes::Guarded`] as soon as a
    /// character some guard starts a key with is seen: the caller runs the guards first.
    ///
    /// Up to the first change it skips to the characters the stage (or a guard) acts on.
    /// From there the output is built as bytes, [`BLOCK`] bytes of input at a time: the
    /// block is copied, then every three-byte character whose answer is one three-byte
    /// character (no phrase can start there) has its answer's bytes written over it, from
    /// one table load — no run bookkeeping, no per-character encoding. Other positions take
    /// the general step; an answer of the same byte length is written over the copy too,
    /// any other cuts the block there.
    ///
    /// The output is built in `out` (left as it is up to the first change, then cleared),
    /// so a caller converting many short texts reuses one allocation; it holds the output
    /// only when the answer is [`Bytes::Changed`] (else its contents are unspecified).
    #[inline]
    pub(crate) fn convert_bytes(
        &self,
        text: &str,
        blocks: &Blocks,
        guards: &[Stage],
        out: &mut String,
    ) -> Bytes {
        // SAFETY: `out` is valid UTF-8 after every write `convert_utf8_bytes` makes, so
        // also if it stops early or panics:
        // * it is untouched up to the first change, then cleared, and from there it only
        //   ever receives whole slices of `text` between character boundaries (the whole
        //   text, `..i` and `i..stop` in `Stage::convert_utf8_bytes` and
        //   `Stage::convert_blocks`: `i` advances by whole characters or matches, `stop`
        //   is moved to a boundary) and whole `&str` replacements (`new`, after truncating
        //   at `base + p`, a boundary), and it is only truncated at boundaries
        //   (`patch_run` returns one);
        // * bytes written over the copy cover exactly the characters they replace: `new`
        //   over `old` of the same byte length (`old` is sliced from `text`, so it is
        //   whole characters), and a table entry's three bytes over one three-byte
        //   character (in `convert_blocks` and in `patch_run`, which walks the copy by the
        //   UTF-8 length of each lead byte and only patches at a lead byte `0xE0..=0xEF`,
        //   which valid UTF-8 follows with two continuation bytes). Those three bytes are
        //   one whole character: `byte_tables` checks every entry that can be written and
        //   marks the others `B_SLOW`, which is never written;
        // * patches only touch offsets below the scan position `p`, so every byte the scan
        //   reads is an input byte at the same place in the copy.
        // `tests/convert_fast_paths.rs` runs every character and many block-boundary cases
        // through this path against a plain model (a `String` equal to the model's output
        // is valid), and debug builds check the bytes here.
        let bytes = unsafe { out.as_mut_vec() };
        let answer = self.convert_utf8_bytes(text, blocks, guards, bytes);
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        answer
    }

    /// [`Stage::convert_bytes`] on the output's bytes.
    fn convert_utf8_bytes(
        &self,
        text: &str,
        blocks: &Blocks,
        guards: &[Stage],
        out: &mut Vec<u8>,
    ) -> Bytes {
        let b = text.as_bytes();
        let end = b.len();
        let mut buf = [0u8; 4];
        let table = &*blocks.table;
        let level = self.one_level();
        // Up to the first change, nothing is written.
        let mut i = 0;
        loop {
            i = next_event(&blocks.acts, b, i, end, 0);
            if i >= end {
                return Bytes::Same;
            }
            let (cp, l) = decode(b, i);
            if l == 3 {
                if let Some(e) = simple_entry(table, level, b, i, cp) {
                    if e & B_CHANGED != 0 {
                        break;
                    }
                    i += 3;
                    continue;
                }
            } else if l == 4 && !blocks.astral.has((cp & 0xFFFF) as usize) {
                i += 4;
                continue;
            }
            if guarded(guards, cp) {
                return Bytes::Guarded;
            }
            let (n, m) = self.step(text, i, end);
            if let Some(r) = m {
                if self.repl_str(r, &mut buf).as_bytes() != b.get(i..i + n).unwrap_or_default() {
                    break;
                }
            }
            i += n;
        }
        out.clear();
        out.reserve(reservation(end));
        let mut count = 0;
        if end - i <= BLOCK {
            // The rest is one block (a short text): copy it all and patch from `i`; only
            // if that stops early do the blocks take over from there.
            out.extend_from_slice(b);
            i = patch_run(blocks, level, out, i, true, &mut count);
            if i >= end {
                return Bytes::Changed(count);
            }
            out.truncate(i);
        } else {
            out.extend_from_slice(&b[..i]);
        }
        self.convert_blocks(text, blocks, guards, out, i, count)
    }

    /// The stage's only level, if it has one (its Bloom filter rules out phrase starts).
    #[inline]
    fn one_level(&self) -> Option<&Level> {
        match self.levels.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The rest of [`Stage::convert_bytes`] from `i`, a character boundary where `out` holds
    /// the output for `text[..i]` (`count` changed characters so far): a block of input at
    /// a time, copied and patched.
    #[inline(never)]
    fn convert_blocks(
        &self,
        text: &str,
        blocks: &Blocks,
        guards: &[Stage],
        out: &mut Vec<u8>,
        mut i: usize,
        mut count: usize,
    ) -> Bytes {
        let b = text.as_bytes();
        let end = b.len();
        let mut buf = [0u8; 4];
        let table = &*blocks.table;
        let level = self.one_level();
        while i < end {
            let mut stop = (i + BLOCK).min(end);
            while !text.is_char_boundary(stop) {
                stop += 1;
            }
            let base = out.len();
            out.extend_from_slice(&b[i..stop]);
            let len = stop - i;
            let mut p = 0;
            i = loop {
                let blk = out.get_mut(base..).unwrap_or_default();
                p = patch_run(blocks, level, blk, p, stop == end, &mut count);
                if p >= len {
                    break stop;
                }
                // What the run left: a phrase start, a character of two or four bytes, one
                // that needs the general step, or a character at the block's end.
                let at = i + p;
                let (cp, l) = decode(b, at);
                if l == 3 {
                    if let Some(e) = simple_entry(table, level, b, at, cp) {
                        if let Some(d) = blk.get_mut(p..p + 3) {
                            d.copy_from_slice(&e.to_le_bytes()[..3]);
                        }
                        count += usize::from(e & B_CHANGED != 0);
                        p += 3;
                        continue;
                    }
                }
                if guarded(guards, cp) {
                    return Bytes::Guarded;
                }
                if l != 3 && self.entry(cp) == 0 {
                    p += l;
                    continue;
                }
                let (n, m) = self.step(text, at, end);
                let old = &text[at..at + n];
                let new = match m {
                    Some(r) => self.repl_str(r, &mut buf),
                    None => old,
                };
                if new != old {
                    count += changed_chars(old, new);
                }
                if p + n <= len && new.len() == n {
                    if let Some(d) = blk.get_mut(p..p + n) {
                        d.copy_from_slice(new.as_bytes());
                    }
                    p += n;
                    continue;
                }
                out.truncate(base + p);
                out.extend_from_slice(new.as_bytes());
                break at + n;
            };
        }
        Bytes::Changed(count)
    }
}

/// True when some guard stage starts a key with `cp`.
#[inline]
fn guarded(guards: &[Stage], cp: u32) -> bool {
    guards.iter().any(|g| g.starts_key(cp))
}

/// What [`Stage::convert_bytes`] did.
#[derive(Debug)]
pub(crate) enum Bytes {
    /// Nothing changed.
    Same,
    /// The output is in the buffer; the number of changed characters.
    Changed(usize),
    /// A guard stage may act on the text; nothing was produced.
    Guarded,
}

/// The [`Blocks::table`] entry of the three-byte character `cp` at `b[at..]` when its
/// one-character answer applies (no phrase can start there), else `None`.
#[inline(always)]
fn simple_entry(
    table: &[u32; 0x10000],
    level: Option<&Level>,
    b: &[u8],
    at: usize,
    cp: u32,
) -> Option<u32> {
    let e = table[cp as usize];
    let simple = e & B_SLOW == 0
        && (e & B_PHRASE == 0
            || at + 3 >= b.len()
            || !level.is_none_or(|lv| lv.may_have_pair(cp, decode(b, at + 3).0)));
    simple.then_some(e)
}

/// The tables of [`Stage::convert_bytes`] (see [`Stage::byte_tables`]).
#[derive(Debug)]
pub(crate) struct Blocks {
    /// Per BMP code point of three UTF-8 bytes: the UTF-8 bytes of its one-character
    /// answer (of itself when it stays) in the low 24 bits, with [`B_PHRASE`], [`B_SLOW`]
    /// and [`B_CHANGED`]; an entry without [`B_SLOW`] is one whole three-byte character.
    /// Two-byte code points: 0 when neither the stage nor a guard acts on them, else
    /// [`B_SLOW`]; ASCII: [`B_SLOW`].
    table: Box<[u32; 0x10000]>,
    /// The BMP characters the stage or a guard acts on (where the scan for the first
    /// change stops).
    acts: Box<ActSet>,
    /// Characters outside the BMP: the low 16 bits of those the stage or a guard acts on
    /// (a clear bit proves both leave a character alone).
    astral: Box<ActSet>,
}

/// What the byte path does with the character at an offset of a slice of valid UTF-8
/// that starts and ends on character boundaries (see [`classify`]).
enum Act {
    /// An ASCII character: skip the ASCII run.
    Ascii,
    /// A three-byte character whose one-character answer applies: the [`Blocks::table`]
    /// entry (answer bytes and flags).
    Three(u32),
    /// A character of this many bytes that the stage (and every guard) leaves alone.
    Keep(usize),
    /// Anything else (or the end): the caller's.
    Stop,
}

/// The byte path's decision for the character at `p` of `blk`: ASCII; a three-byte
/// character with no phrase start there (the level's filter rules out the pair with the
/// next character; at the end of `blk`, no next character when `last`, the slice ending the
/// text) and an answer of one three-byte character; a two- or four-byte character nobody
/// acts on; or [`Act::Stop`]. Four bytes are loaded at once where there are four.
#[inline(always)]
fn classify(blocks: &Blocks, level: Option<&Level>, blk: &[u8], p: usize, last: bool) -> Act {
    let table = &*blocks.table;
    let Some(w) = blk.get(p..).and_then(<[u8]>::first_chunk::<4>) else {
        // The last one to three bytes: ASCII, or a final three-byte character.
        return match blk.get(p..) {
            Some(&[c0, ..]) if c0 < 0x80 => Act::Ascii,
            Some(&[c0, c1, c2]) if c0 & 0xF0 == 0xE0 => {
                let e = table[decode3(&[c0, c1, c2]) as usize];
                if e & B_SLOW != 0 || (e & B_PHRASE != 0 && !last) {
                    Act::Stop
                } else {
                    Act::Three(e)
                }
            }
            _ => Act::Stop,
        };
    };
    let v = u32::from_le_bytes(*w);
    if v & 0x80 == 0 {
        return Act::Ascii;
    }
    if v & 0xF0 == 0xE0 {
        let cp = ((v & 0x0F) << 12) | ((v >> 2) & 0xFC0) | ((v >> 16) & 0x3F);
        let e = table[cp as usize];
        if e & (B_PHRASE | B_SLOW) != 0 {
            if e & B_SLOW != 0 {
                return Act::Stop;
            }
            // A phrase start: the caller's unless the filter rules the pair out.
            let Some(level) = level else {
                return Act::Stop;
            };
            let c2 = match blk.get(p + 3) {
                Some(&a) if a < 0x80 => u32::from(a),
                Some(&a) if p + 3 + char_len(a) <= blk.len() => decode(blk, p + 3).0,
                _ => return Act::Stop,
            };
            if level.may_have_pair(cp, c2) {
                return Act::Stop;
            }
        }
        Act::Three(e)
    } else if v & 0xE0 == 0xC0 {
        let cp = ((v & 0x1F) << 6) | ((v >> 8) & 0x3F);
        if table[cp as usize] != 0 {
            return Act::Stop;
        }
        Act::Keep(2)
    } else {
        // Four bytes (a continuation byte cannot start a character).
        let low = ((v & 0xF00) << 4) | ((v >> 10) & 0xFC0) | ((v >> 24) & 0x3F);
        if v & 0xF8 != 0xF0 || blocks.astral.has(low as usize) {
            return Act::Stop;
        }
        Act::Keep(4)
    }
}

/// The inner loop of [`Stage::convert_bytes`] over `blk`, a copy of a block of the input,
/// from offset `p`: writes the answer of each [`Act::Three`] character over its bytes,
/// skips ASCII and [`Act::Keep`] characters, and returns the offset of the first
/// [`Act::Stop`], or `blk.len()`. `last`: the block ends the text. Stores cover exactly the
/// characters they replace: a load that overlapped the last store only in part would wait
/// for it. Adds the changed characters to `count`.
#[inline(never)]
fn patch_run(
    blocks: &Blocks,
    level: Option<&Level>,
    blk: &mut [u8],
    mut p: usize,
    last: bool,
    count: &mut usize,
) -> usize {
    let mut n = 0usize;
    loop {
        match classify(blocks, level, blk, p, last) {
            Act::Ascii => p = skip_ascii(blk, p + 1, blk.len()),
            Act::Three(e) => {
                if let Some(w) = blk.get_mut(p..).and_then(<[u8]>::first_chunk_mut::<3>) {
                    w.copy_from_slice(&e.to_le_bytes()[..3]);
                }
                n += usize::from(e & B_CHANGED != 0);
                p += 3;
            }
            Act::Keep(l) => p += l,
            Act::Stop => break,
        }
    }
    *count += n;
    p.min(blk.len())
}

/// A set of character pairs, stored per first character (a directory over the BMP, then
/// a small open-addressing table of second characters), so that the pairs of frequent
/// characters stay in cache.
#[derive(Debug, Default)]
pub(crate) struct PairSet {
    /// Per BMP first character: `offset << 5 | log2(size)` of its table in `slots`, or 0.
    dir: Vec<u32>,
    /// Second character + 1; 0 is empty.
    slots: Vec<u32>,
    /// Pairs whose first character is outside the BMP.
    astral: Map<u64, ()>,
}

impl PairSet {
    pub(crate) fn new(mut pairs: Vec<(u32, u32)>) -> PairSet {
        pairs.sort_unstable();
        pairs.dedup();
        let mut set = PairSet {
            dir: vec![0; 0x10000],
            ..PairSet::default()
        };
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            let c1 = group[0].0;
            if c1 >= 0x10000 {
                for &(a, b) in group {
                    set.astral.insert(pair(a, b), ());
                }
                continue;
            }
            let log2 = (group.len() * 2)
                .next_power_of_two()
                .trailing_zeros()
                .max(1);
            let off = set.slots.len();
            set.slots.resize(off + (1 << log2), 0);
            for &(_, c2) in group {
                let mut h = slot_hash(c2, log2);
                while set.slots[off + h] != 0 {
                    h = (h + 1) & ((1 << log2) - 1);
                }
                set.slots[off + h] = c2 + 1;
            }
            set.dir[c1 as usize] = (off as u32) << 5 | log2;
        }
        set
    }

    #[inline]
    pub(crate) fn contains(&self, c1: u32, c2: u32) -> bool {
        let Some(&d) = self.dir.get(c1 as usize) else {
            return self.astral.contains_key(&pair(c1, c2));
        };
        if d == 0 {
            return false;
        }
        let (off, log2) = ((d >> 5) as usize, d & 31);
        let Some(table) = self.slots.get(off..off + (1 << log2)) else {
            return false;
        };
        let mut h = slot_hash(c2, log2);
        loop {
            match table.get(h) {
                Some(&s) if s == c2 + 1 => return true,
                Some(&0) | None => return false,
                Some(_) => h = (h + 1) & (table.len() - 1),
            }
        }
    }
}

/// A set of BMP code points, one bit each.
#[derive(Debug)]
pub(crate) struct ActSet(pub(crate) [u64; 1024]);

impl ActSet {
    /// The code points whose entry in `table` is not zero.
    pub(crate) fn from_table(table: &[u32; 0x10000]) -> Box<ActSet> {
        let mut set = Box::new(ActSet([0; 1024]));
        for (cp, &e) in table.iter().enumerate() {
            if e != 0 {
                set.0[cp / 64] |= 1 << (cp % 64);
            }
        }
        set
    }

    #[inline(always)]
    pub(crate) fn has(&self, cp: usize) -> bool {
        (self.0[(cp / 64) & 1023] >> (cp % 64)) & 1 != 0
    }
}

/// Unchanged characters in a row after which [`Stage::dense`] goes back to skipping.
pub(crate) const DENSE_QUIET: usize = 8;

/// The loop of the dense modes ([`Stage::dense`] and the fused table's): from `i`, where
/// `o` has copied everything before it, writes each ASCII run of `b` (a prefix of `text`'s
/// bytes) and each three-byte character's answer `answer(i, cp)` (`Some(0)`: the character
/// itself, `Some(c)`: `c`, `None`: stop there), until a character it does not handle or
/// [`DENSE_QUIET`] unchanged ones in a row; returns where it stopped, which `o.copied`
/// becomes.
#[inline(always)]
pub(crate) fn dense_run(
    text: &str,
    b: &[u8],
    mut i: usize,
    o: &mut Out,
    mut answer: impl FnMut(usize, u32) -> Option<u32>,
) -> usize {
    let mut quiet = 0usize;
    while let Some(&c0) = b.get(i) {
        if c0 < 0x80 {
            let r = skip_ascii(b, i + 1, b.len());
            o.s.push_str(&text[i..r]);
            i = r;
            continue;
        }
        let Some(s) = b.get(i..i + 3) else { break };
        if c0 & 0xF0 != 0xE0 {
            break;
        }
        let cp = decode3(s);
        let Some(e) = answer(i, cp) else { break };
        let out = if e == 0 { cp } else { e };
        o.s.push(char::from_u32(out).unwrap_or('\u{FFFD}'));
        o.count += usize::from(e != 0);
        quiet = if e == 0 { quiet + 1 } else { 0 };
        i += 3;
        if quiet >= DENSE_QUIET {
            break;
        }
    }
    o.copied = i;
    i
}

/// The first character boundary in `i..end` (`i` a boundary of valid UTF-8 `b`) where
/// `table` has a non-zero entry for the character, or where a character outside the BMP
/// starts (the caller looks those up itself), or `end`. Of a run of ASCII characters only
/// the last `back` are looked up: a key that starts with ASCII and is not all ASCII can
/// only match where its ASCII prefix ends the run.
#[inline(always)]
pub(crate) fn next_event(table: &ActSet, b: &[u8], mut i: usize, end: usize, back: usize) -> usize {
    let b = b.get(..end).unwrap_or(b);
    while let Some(&c0) = b.get(i) {
        if c0 < 0x80 {
            let run_end = skip_ascii(b, i + 1, b.len());
            if back != 0 {
                let from = i.max(run_end.saturating_sub(back));
                if let Some(k) = b
                    .get(from..run_end)
                    .and_then(|r| r.iter().position(|&c| table.has(usize::from(c))))
                {
                    return from + k;
                }
            }
            i = run_end;
        } else if c0 >= 0xE0 {
            if c0 >= 0xF0 {
                return i;
            }
            let Some(s) = b.get(i..i + 3) else {
                return i;
            };
            let cp = (usize::from(s[0] & 0x0F) << 12)
                | (usize::from(s[1] & 0x3F) << 6)
                | usize::from(s[2] & 0x3F);
            if table.has(cp) {
                return i;
            }
            i += 3;
        } else {
            let Some(s) = b.get(i..i + 2) else {
                return i;
            };
            let cp = (usize::from(s[0] & 0x1F) << 6) | usize::from(s[1] & 0x3F);
            if table.has(cp) {
                return i;
            }
            i += 2;
        }
    }
    b.len()
}

/// The first offset in `i..end` that is not ASCII, or `end`.
#[inline]
pub(crate) fn skip_ascii(b: &[u8], mut i: usize, end: usize) -> usize {
    while i + 8 <= end {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(w) & 0x8080_8080_8080_8080;
        if w != 0 {
            return i + (w.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < end && b[i] < 0x80 {
        i += 1;
    }
    i
}

#[inline]
fn repl(payload: u32) -> Repl {
    if payload & ARENA != 0 {
        Repl::Val(payload & PAYLOAD)
    } else {
        Repl::Char(payload)
    }
}

#[inline]
fn pair(c1: u32, c2: u32) -> u64 {
    (u64::from(c1) << 21) | u64::from(c2)
}

/// Parses a dictionary in OpenCC's text format: `key<TAB>candidate[ candidate…]` per line;
/// blank lines and lines starting with `#` are skipped; the first candidate is kept.
/// Returns the 1-based number of the first malformed line on error.
pub(crate) fn parse_dict(text: &str) -> Result<Vec<Entry<'_>>, (usize, &'static str)> {
    let mut out = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, values)) = line.split_once('\t') else {
            return Err((n + 1, "no tab between key and value"));
        };
        let value = values.split(' ').next().unwrap_or("");
        if key.is_empty() {
            return Err((n + 1, "empty key"));
        }
        if value.is_empty() {
            return Err((n + 1, "empty value"));
        }
        out.push((key, value));
    }
    Ok(out)
}
