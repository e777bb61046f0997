//! The converter's fast paths (skip bitmaps, dense mode, phrase filters, candidate heads,
//! ASCII-run look-back, the fused tw2s/hk2s table) against a plain model of OpenCC's
//! algorithm, and against outputs recorded from OpenCC 1.4.2 for the cases the model leaves
//! out (keys that start with ASCII in the regional configs).
//!
//! The model reads the vendored dictionary files and does maximum forward matching the
//! obvious way: at each position every key length, longest first, in every dictionary of the
//! group. Texts are generated from the dictionaries' own keys and values (whole, cut short,
//! glued together), with ASCII, punctuation and line breaks between.

use std::collections::HashMap;
use std::io::Write;

use zhclean::convert::{ConvertOptions, ConvertReport, Converter};

#[path = "support/records.rs"]
mod support_records;
use support_records::records;

/// One dictionary: key → first candidate (the first line wins for a repeated key).
struct Dict {
    map: HashMap<Vec<char>, String>,
    max: usize,
}

fn load(name: &str) -> Dict {
    let path = format!("{}/src/convert/data/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut map = HashMap::new();
    let mut max = 0;
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('\t').unwrap();
        let key: Vec<char> = k.chars().collect();
        max = max.max(key.len());
        map.entry(key)
            .or_insert_with(|| v.split(' ').next().unwrap().to_string());
    }
    Dict { map, max }
}

/// A dictionary group: `short_circuit` (the first member with a match wins) or `union`
/// (the longest match over all members, the earlier member on a tie).
enum Group {
    Short(Vec<Group>),
    Union(Vec<Group>),
    Leaf(Dict),
}

impl Group {
    fn longest(&self, text: &[char], pos: usize) -> Option<(usize, &str)> {
        match self {
            Group::Leaf(d) => (1..=d.max.min(text.len() - pos))
                .rev()
                .find_map(|n| d.map.get(&text[pos..pos + n]).map(|v| (n, v.as_str()))),
            Group::Short(gs) => gs.iter().find_map(|g| g.longest(text, pos)),
            Group::Union(gs) => gs.iter().filter_map(|g| g.longest(text, pos)).fold(
                None,
                |best: Option<(usize, &str)>, m| match best {
                    Some(b) if b.0 >= m.0 => Some(b),
                    _ => Some(m),
                },
            ),
        }
    }

    /// Converts one segment.
    fn convert(&self, seg: &[char]) -> Vec<char> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < seg.len() {
            match self.longest(seg, pos) {
                Some((n, v)) => {
                    out.extend(v.chars());
                    pos += n;
                }
                None => {
                    out.push(seg[pos]);
                    pos += 1;
                }
            }
        }
        out
    }

    /// Cuts a text into segments: each match is one, so is each run between matches.
    fn segment(&self, text: &[char]) -> Vec<Vec<char>> {
        let mut segs = Vec::new();
        let (mut pos, mut run) = (0, 0);
        while pos < text.len() {
            match self.longest(text, pos) {
                Some((n, _)) => {
                    if run < pos {
                        segs.push(text[run..pos].to_vec());
                    }
                    segs.push(text[pos..pos + n].to_vec());
                    pos += n;
                    run = pos;
                }
                None => pos += 1,
            }
        }
        if run < text.len() {
            segs.push(text[run..].to_vec());
        }
        segs
    }
}

fn leaf(name: &str) -> Group {
    Group::Leaf(load(name))
}

/// OpenCC 1.4.2's `t2s` conversion group (with the tofu-risk dictionary, as the library).
fn t2s_group() -> Group {
    Group::Short(vec![
        leaf("TSPhrases"),
        leaf("TSCharactersExt"),
        leaf("TSCharacters"),
    ])
}

/// A config of the model: optional segmentation, then the chain.
struct Model {
    seg: Option<Group>,
    chain: Vec<Group>,
}

impl Model {
    fn new(config: &str) -> Model {
        match config {
            "t2s" => Model {
                seg: None,
                chain: vec![t2s_group()],
            },
            "s2t" => Model {
                seg: None,
                chain: vec![Group::Short(vec![
                    Group::Union(vec![
                        leaf("STPhrases"),
                        leaf("STPhrases_GeneratedFromRegionalPhrases"),
                    ]),
                    leaf("STCharacters"),
                ])],
            },
            "tw2s" => Model {
                seg: Some(leaf("TSPhrases")),
                chain: vec![
                    Group::Short(vec![leaf("TWVariantsRevPhrases"), leaf("TWVariantsRev")]),
                    t2s_group(),
                ],
            },
            "hk2s" => Model {
                seg: Some(leaf("TSPhrases")),
                chain: vec![
                    Group::Short(vec![leaf("HKVariantsRevPhrases"), leaf("HKVariantsRev")]),
                    t2s_group(),
                ],
            },
            _ => unreachable!(),
        }
    }

    fn convert(&self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut segs = match &self.seg {
            Some(g) => g.segment(&chars),
            None => vec![chars],
        };
        for stage in &self.chain {
            segs = segs.iter().map(|s| stage.convert(s)).collect();
        }
        segs.concat().into_iter().collect()
    }
}

/// xorshift64*: deterministic test texts without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Every key and value of the named dictionaries (the material texts are made of).
fn pieces(names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for name in names {
        let path = format!("{}/src/convert/data/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        for line in std::fs::read_to_string(path).unwrap().lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once('\t').unwrap();
            out.push(k.to_string());
            out.push(v.split(' ').next().unwrap().to_string());
        }
    }
    out
}

const ASCII: &[&str] = &[
    " ", "\n", "x", "SQL", "My", "A", "B", "U", "PN", "2024", "abc def ", "\t", "中文",
];
const PUNCT: &[&str] = &["，", "。", "「", "」", "、", "（"];

fn text(rng: &mut Rng, pieces: &[String]) -> String {
    let mut s = String::new();
    for _ in 0..40 {
        match rng.below(10) {
            0 => s.push_str(ASCII[rng.below(ASCII.len())]),
            1 => s.push_str(PUNCT[rng.below(PUNCT.len())]),
            2 => {
                // a piece cut short: a phrase start without its end
                let p: Vec<char> = pieces[rng.below(pieces.len())].chars().collect();
                let n = 1 + rng.below(p.len());
                s.extend(&p[..n]);
            }
            _ => s.push_str(&pieces[rng.below(pieces.len())]),
        }
    }
    s
}

fn check(config: &str, dicts: &[&str], seed: u64, docs: usize) {
    let model = Model::new(config);
    let pieces = pieces(dicts);
    let c = Converter::with_options(ConvertOptions::config(config).skip_japanese(false)).unwrap();
    let mut rng = Rng(seed);
    for n in 0..docs {
        let t = text(&mut rng, &pieces);
        let got = c.convert(&t, &mut ConvertReport::default());
        assert_eq!(got, model.convert(&t), "{config} document {n}: {t:?}");
    }
}

#[test]
fn t2s_fast_paths_equal_the_plain_model() {
    check(
        "t2s",
        &["TSPhrases", "TSCharacters", "STCharacters"],
        0x7A5,
        400,
    );
}

#[test]
fn s2t_fast_paths_equal_the_plain_model() {
    check(
        "s2t",
        &[
            "STPhrases_GeneratedFromRegionalPhrases",
            "STCharacters",
            "TSCharacters",
            "TWPhrases",
        ],
        0x52,
        300,
    );
}

/// Characters at which `a` and `b` differ, position by position (`t2s` and `s2t` keep
/// every key's length in characters, so this is the report's count).
fn positions_changed(a: &str, b: &str) -> usize {
    assert_eq!(a.chars().count(), b.chars().count());
    a.chars().zip(b.chars()).filter(|(x, y)| x != y).count()
}

/// The single-stage configs build their output a block of input at a time (copy, then
/// patch); documents of many blocks must convert as the model does and count every change.
#[test]
fn long_documents_of_many_output_blocks_equal_the_plain_model() {
    let cases: [(&str, &[&str], u64); 2] = [
        (
            "t2s",
            &["TSPhrases", "TSCharacters", "STCharacters"],
            0xB10C,
        ),
        (
            "s2t",
            &[
                "STPhrases_GeneratedFromRegionalPhrases",
                "STCharacters",
                "TSCharacters",
            ],
            0x5B10,
        ),
    ];
    for (config, dicts, seed) in cases {
        let model = Model::new(config);
        let pieces = pieces(dicts);
        let c =
            Converter::with_options(ConvertOptions::config(config).skip_japanese(false)).unwrap();
        let mut rng = Rng(seed);
        for n in 0..4 {
            let t: String = (0..40).map(|_| text(&mut rng, &pieces)).collect();
            assert!(t.len() > 4000);
            let mut r = ConvertReport::default();
            let got = c.convert(&t, &mut r);
            assert_eq!(got, model.convert(&t), "{config} long document {n}");
            assert_eq!(r.chars_changed, positions_changed(&t, &got), "{config} {n}");
        }
    }
}

/// A phrase, a replacement of another UTF-8 length, characters outside the BMP and an
/// ideographic description sequence (copied whole, which the model leaves out: its
/// conversion is given) at every byte offset around the first output-block boundaries
/// (blocks are a few hundred bytes), after ASCII or Han padding. (config, piece, the
/// piece's conversion after ASCII)
const ACROSS_BLOCKS: &[(&str, &str, &str)] = &[
    ("t2s", "乾乾淨淨", "干干净净"),
    ("t2s", "二噁英", "二𫫇英"),
    ("t2s", "㗲㗲", "𠵾𠵾"),
    ("t2s", "𠁞馬", "𠀾马"),
    ("t2s", "⿰氵馬馬", "⿰氵馬马"),
    ("s2t", "周𫖮", "周顗"),
    ("s2t", "𠆲㓆", "儣𠗣"),
];

#[test]
fn replacements_straddling_an_output_block_boundary_are_whole() {
    for &(config, piece, want) in ACROSS_BLOCKS {
        let model = Model::new(config);
        let c =
            Converter::with_options(ConvertOptions::config(config).skip_japanese(false)).unwrap();
        let ids = piece.starts_with('⿰');
        let mut prefixes: Vec<String> = (400..700).map(|k| "x".repeat(k)).collect();
        if !ids {
            let han = if config == "t2s" { "說" } else { "门" };
            for k in 130..240 {
                for extra in 0..3 {
                    prefixes.push(format!("{}{}", han.repeat(k), "y".repeat(extra)));
                }
            }
        }
        for prefix in prefixes {
            let t = format!("{prefix}{piece}z{piece}");
            let expected = if ids {
                format!("{prefix}{want}z{want}")
            } else {
                model.convert(&t)
            };
            let got = c.convert(&t, &mut ConvertReport::default());
            assert_eq!(got, expected, "{config} {} + {piece:?}", prefix.len());
            if !ids {
                assert!(got.ends_with(&format!("z{want}")), "{config} {piece:?}");
            }
        }
    }
}

#[test]
fn tw2s_fused_table_equals_the_plain_model() {
    check(
        "tw2s",
        &[
            "TWVariantsRevPhrases",
            "TWVariantsRev",
            "TSPhrases",
            "TSCharacters",
        ],
        0x72,
        400,
    );
}

#[test]
fn hk2s_fused_table_equals_the_plain_model() {
    check(
        "hk2s",
        &[
            "HKVariantsRevPhrases",
            "HKVariantsRev",
            "TSPhrases",
            "TSCharacters",
        ],
        0x48,
        400,
    );
}

/// Keys that start with ASCII can only match where their ASCII prefix ends an ASCII run;
/// the converter looks only there. (config, input, OpenCC 1.4.2's output)
const ASCII_KEYS: &[(&str, &str, &str)] = &[
    ("s2twp", "B超和U盘", "超音波和隨身碟"),
    ("s2twp", "做B超", "做超音波"),
    ("s2twp", "xB超 U 盘 abcU盘", "x超音波 U 盤 abc隨身碟"),
    ("s2twp", "SQL注入", "SQL隱碼攻擊"),
    ("s2twp", "MySQL注入攻击", "MySQL隱碼攻擊"),
    (
        "s2twp",
        "NoSQL注入攻击，SQL注入攻",
        "NoSQL隱碼攻擊，SQL隱碼攻擊攻",
    ),
    ("tw2sp", "A肝、B肝和C型肝炎", "甲肝、乙肝和丙型肝炎"),
    ("tw2sp", "xBMW集團", "x宝马集团"),
    ("tw2sp", "BMW 集團", "BMW 集团"),
    ("tw2sp", "ABMW集團", "A宝马集团"),
    ("tw2sp", "寶BMW集團", "宝宝马集团"),
    ("tw2sp", "PN接面", "PN结"),
    ("tw2sp", "SPN接面", "SPN结"),
    ("s2hk", "SQL注入攻击", "SQL注入攻擊"),
    ("hk2s", "SQL注入攻擊", "SQL注入攻击"),
];

#[test]
fn keys_starting_with_ascii_match_at_the_end_of_an_ascii_run() {
    for &(config, input, want) in ASCII_KEYS {
        let c = Converter::with_options(ConvertOptions::config(config)).unwrap();
        let got = c.convert(input, &mut ConvertReport::default());
        assert_eq!(got, want, "{config} {input:?}");
    }
}

#[test]
fn long_user_keys_sharing_their_first_eight_bytes_are_told_apart() {
    // The keys' bytes after their first two characters share the first 8 bytes (the
    // candidate head); only the tail comparison tells them apart.
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all("一二三四五六七\tX\n一二三四五\tY\n一二三\tZ\n".as_bytes())
        .unwrap();
    let c = Converter::with_options(ConvertOptions::config("t2s").dict(f.path())).unwrap();
    for (input, want) in [
        ("一二三四五六七八", "X八"),
        ("一二三四五六", "Y六"),
        ("一二三四", "Z四"),
        ("一二", "一二"),
        ("發一二三四五六七", "发X"),
    ] {
        assert_eq!(
            c.convert(input, &mut ConvertReport::default()),
            want,
            "{input}"
        );
    }
}

/// OpenCC's normalization stage for every config: CJK compatibility ideographs to unified
/// ones (the vendored dictionary maps single characters only).
fn normalize(text: &str) -> String {
    let d = load("CJK_Compatibility_Ideographs");
    text.chars()
        .map(|c| {
            d.map
                .get(&vec![c])
                .cloned()
                .unwrap_or_else(|| c.to_string())
        })
        .collect()
}

/// `t2s` runs its byte path over the raw text and stops at any character normalization
/// may act on; only then are the stages run one after the other. A compatibility
/// ideograph first, last, alone, next to a change, inside an ideographic description
/// sequence, past the first output block, or in a short record is still normalized, and
/// the count is right.
#[test]
fn compatibility_ideographs_are_normalized_before_the_t2s_byte_path() {
    let model = Model::new("t2s");
    let c = Converter::with_options(ConvertOptions::config("t2s").skip_japanese(false)).unwrap();
    // U+F900 (three bytes, → 豈), U+F9B2 (→ 零), U+2F800 (four bytes, → 丽), U+2FA1D.
    let compat = ["\u{F900}", "\u{F9B2}", "\u{2F800}", "\u{2FA1D}"];
    let pads = [
        "",
        "x",
        "說話",
        "乾淨",
        "简体",
        &"x".repeat(600),
        &"說".repeat(300),
    ];
    let mut n = 0;
    for ch in compat {
        for pre in pads {
            for post in pads {
                let t = format!("{pre}{ch}{post}");
                let want = model.convert(&normalize(&t));
                assert_ne!(normalize(&t), t);
                let mut r = ConvertReport::default();
                let got = c.convert(&t, &mut r);
                assert_eq!(got, want, "{t:?}");
                assert_eq!(r.chars_changed, positions_changed(&t, &got), "{t:?}");
                n += 1;
            }
        }
    }
    assert_eq!(n, compat.len() * pads.len() * pads.len());
    // Inside an IDS the operands are copied whole by both stages, but the text still goes
    // through normalization (which leaves the sequence alone).
    let t = "⿰\u{F900}馬馬";
    assert_eq!(
        c.convert(t, &mut ConvertReport::default()),
        "⿰\u{F900}馬马"
    );
}

/// Every BMP character (but surrogates and ideographic description operators, whose
/// sequences the model leaves out) and every character outside the BMP that the `t2s`
/// dictionaries or the normalization name, one after the other, whole and as ~100-byte
/// records: the byte path's table must give each one's answer, as whole UTF-8 (a `String`
/// equal to the model's is valid).
#[test]
fn every_character_through_the_t2s_byte_path_equals_the_model() {
    let model = Model::new("t2s");
    let c = Converter::with_options(ConvertOptions::config("t2s").skip_japanese(false)).unwrap();
    let mut text: String = (0x80u32..0x10000)
        .filter(|cp| !(0x2FF0..=0x2FFF).contains(cp))
        .filter_map(char::from_u32)
        .collect();
    let names = [
        "TSPhrases",
        "TSCharactersExt",
        "TSCharacters",
        "CJK_Compatibility_Ideographs",
    ];
    for p in pieces(&names) {
        text.extend(p.chars().filter(|&ch| ch as u32 >= 0x10000));
    }
    let want = model.convert(&normalize(&text));
    let mut r = ConvertReport::default();
    let got = c.convert(&text, &mut r);
    assert!(got == want, "whole text differs");
    assert_eq!(r.chars_changed, positions_changed(&text, &got));
    let recs = records(&text, 100);
    assert!(recs.len() > 1500);
    // As the bench times them: one scratch buffer for all records.
    let mut scratch = String::new();
    for rec in recs {
        let want = model.convert(&normalize(rec));
        let mut r = ConvertReport::default();
        let got = c.convert_in(rec, &mut scratch, &mut r);
        assert_eq!(got, want, "{rec:?}");
        assert_eq!(r.chars_changed, positions_changed(rec, got), "{rec:?}");
    }
}

/// `Converter::convert_in` reuses one buffer across documents: a long changed document,
/// then short ones that change nothing, change something, are Japanese, or need the
/// general path, must each come out as `convert` gives them, with the same report, for
/// every config (byte path or not) and with a user dictionary.
#[test]
fn convert_in_with_a_reused_buffer_equals_convert() {
    let docs = [
        "這個軟體的說明文件很長，".repeat(40),
        "plain ASCII, nothing to do".to_string(),
        "乾隆皇帝".to_string(),
        "これは日本語の文書です。漢字も書かれている。".to_string(),
        String::new(),
        "簡體字和繁體字，頭髮與發展".to_string(),
        "看著土著".to_string(),
        "台灣的計程車".to_string(),
    ];
    let dict = std::env::temp_dir().join(format!("zhclean-convert-in-{}.txt", std::process::id()));
    std::fs::write(&dict, "乾隆\t干隆X\n").unwrap();
    let mut configs: Vec<ConvertOptions> = [
        "auto2s", "t2s", "tw2s", "hk2s", "s2t", "s2tw", "s2twp", "t2jp", "jp2t",
    ]
    .iter()
    .map(|c| ConvertOptions::config(c))
    .collect();
    configs.push(ConvertOptions::config("t2s").dict(&dict));
    for options in configs {
        let name = format!("{options:?}");
        let c = Converter::with_options(options).unwrap();
        let mut scratch = String::new();
        for round in 0..2 {
            for d in &docs {
                let (mut want_r, mut got_r) = (ConvertReport::default(), ConvertReport::default());
                let want = c.convert(d, &mut want_r).into_owned();
                let got = c.convert_in(d, &mut scratch, &mut got_r).to_string();
                assert_eq!(got, want, "{name} round {round}: {d:?}");
                assert_eq!(got_r, want_r, "{name}: {d:?}");
            }
        }
    }
    let _ = std::fs::remove_file(&dict);
}
