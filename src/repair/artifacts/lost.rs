//! Characters lost to `?` when a page went through GBK: `»` in breadcrumbs
//! (`首頁 ? 資訊 ? 正文`), no-break spaces between fields (`2024-07-26??來源`, `]? [`,
//! lines holding only `?`).
//!
//! A `?` run is judged by its neighbours in the line:
//! - **separator**: a single `?` between spaces, with a CJK letter (not a question
//!   particle such as 吗/呢) on both sides beyond the spaces, in a breadcrumb-like line
//!   ([`is_crumb_line`]) or a document with evidence → the separator character;
//! - **after a closing bracket**: `]?`/`】?` followed by whitespace, `[`/`【` or the line end
//!   (an ASCII `]` after ASCII text only before `[` or with evidence of GBK loss:
//!   `/dev/tty[pq]?` and `inside [brackets]?` keep their question marks)
//!   → one space per `?`;
//! - **between fields** (only in a document with other evidence of GBK loss: two of the
//!   patterns above, or content-farm glosses): after a digit, or `??` after a Han
//!   character (not a question particle), followed by a Han character → spaces;
//! - **in a foreign name**: a single `?` with two transliteration characters on each
//!   side (`戴夫?汉森`) → `·`;
//! - **a line of only `?`** (and whitespace), in a document with evidence → spaces
//!   (then trimmed away).
//!
//! Everything else — `你好吗?`, `what?`, `?page=2`, `a ? b : c` — is a real question mark.

use std::sync::OnceLock;

use super::chars::{is_cjk_letter, is_han, is_line_space, is_question_particle, is_removable};

/// What a lost `?` is replaced by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lost {
    /// A separator such as `»`.
    Separator,
    /// One space per `?`.
    Space,
    /// The middle dot `·` of a transliterated foreign name.
    MiddleDot,
}

/// Characters of transliterated foreign names (Xinhua-style 译名用字), simplified and
/// traditional: `戴夫·汉森`, `斯蒂芬妮·席尔霍尔茨`. Sorted by code point.
const TRANSLITERATION: &[char] = &[
    '丁', '万', '丝', '丰', '丹', '丽', '乌', '乔', '亚', '亞', '亨', '什', '伊', '休', '伦', '伯',
    '佛', '佩', '倫', '傑', '克', '兰', '兹', '内', '冈', '凯', '切', '列', '利', '加', '努', '劳',
    '勒', '华', '卓', '南', '博', '卡', '卢', '厄', '古', '史', '吉', '哈', '唐', '喬', '因', '图',
    '圭', '坎', '埃', '基', '塔', '塞', '夏', '多', '夫', '夸', '奇', '奈', '奎', '奥', '妮', '妲',
    '姆', '威', '娃', '娅', '娜', '安', '宾', '密', '尔', '尤', '尼', '巴', '布', '希', '帕', '席',
    '库', '康', '弗', '彭', '彼', '德', '恩', '戈', '戴', '扎', '托', '扬', '拉', '拜', '提', '敏',
    '敦', '斯', '昂', '普', '曼', '朗', '本', '朱', '杜', '杰', '松', '林', '查', '柯', '格', '桑',
    '梅', '森', '樂', '欧', '比', '毕', '汀', '汉', '汤', '沃', '沙', '治', '法', '波', '泰', '泽',
    '洛', '海', '涅', '温', '湯', '潘', '爱', '爾', '特', '玛', '班', '琪', '琳', '琴', '琼', '瑟',
    '瑪', '瓜', '瓦', '甘', '登', '皮', '盖', '盛', '福', '科', '穆', '米', '約', '索', '維', '约',
    '纳', '维', '缇', '罗', '羅', '翰', '考', '耶', '肯', '胡', '舍', '艾', '芬', '苏', '英', '范',
    '茜', '茨', '莉', '莎', '莫', '莱', '華', '菲', '萨', '蒂', '蒙', '蓋', '蕾', '薇', '蘭', '裡',
    '西', '詹', '諾', '诺', '谢', '豪', '賓', '賽', '贝', '贡', '费', '贾', '赫', '辛', '达', '迈',
    '连', '迪', '道', '達', '遜', '邦', '里', '金', '门', '阿', '雅', '雪', '雷', '霍', '露', '韦',
    '頓', '騰', '马', '高', '鲁', '鲍', '麗', '麥', '麦', '默', '黛',
];

/// True for a character of [`TRANSLITERATION`] or one that the convert stage turns into
/// one (`漢` → `汉`, `剋` → `克`): the rule must judge a line the same way before and
/// after conversion, or cleaning would not be idempotent (a fuzzer find: `剋剋?剋剋` was
/// left alone and `克克?克克` repaired by the next clean).
pub(super) fn is_transliteration(c: Option<char>) -> bool {
    c.is_some_and(|c| classes().transliteration.binary_search(&c).is_ok())
}

/// Sentence-final particles after which a `?` is a real question mark.
const QUESTION_PARTICLES: &[char] = &[
    '吗', '嗎', '呢', '么', '麼', '吧', '啊', '呀', '嘛', '哪', '谁', '誰', '啥',
];

/// Characters that tie a clause to what follows (prepositions, conjunctions, the
/// copula): a sentence may put one before a real ` ? ` (`模式以 ? 结尾`, "the pattern
/// ends with ?"), a breadcrumb item does not end with one. Sorted by code point.
const CLAUSE_JOINERS: &[char] = &[
    '与', '为', '于', '从', '以', '则', '及', '向', '和', '在', '如', '对', '将', '并', '当', '或',
    '把', '按', '是', '比', '用', '由', '给', '而', '若', '被', '让', '跟',
];

/// Character classes closed under conversion (see [`closed_under_conversion`]).
pub(super) struct Classes {
    /// [`TRANSLITERATION`] and the forms convert maps into it.
    pub(super) transliteration: Vec<char>,
    /// [`QUESTION_PARTICLES`] and the forms convert maps into them.
    pub(super) question_particles: Vec<char>,
    /// [`CLAUSE_JOINERS`] and the forms convert maps into them.
    pub(super) clause_joiners: Vec<char>,
}

/// The classes, worked out on first use (a few tens of milliseconds).
pub(super) fn classes() -> &'static Classes {
    static CLASSES: OnceLock<Classes> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let [transliteration, question_particles, clause_joiners] =
            closed_under_conversion([TRANSLITERATION, QUESTION_PARTICLES, CLAUSE_JOINERS]);
        Classes {
            transliteration,
            question_particles,
            clause_joiners,
        }
    })
}

/// Each of `bases` with every character that one of the default pipeline's conversions
/// (`auto2s` picks `tw2s` or `hk2s`; `t2s` for completeness) maps to a member
/// character by character, sorted. Worked out from OpenCC's character dictionaries
/// (normalization, then the regional variants, then traditional → simplified), without
/// building converters.
fn closed_under_conversion<const N: usize>(bases: [&[char]; N]) -> [Vec<char>; N] {
    use std::collections::HashMap;
    let map = |name: &str| -> HashMap<char, char> { crate::convert::char_pairs(name).collect() };
    let norm = map("CJK_Compatibility_Ideographs");
    let ts = map("TSCharacters");
    let regional = [map("TWVariantsRev"), map("HKVariantsRev"), HashMap::new()];
    let step = |m: &HashMap<char, char>, c: char| m.get(&c).copied().unwrap_or(c);
    let mut sets: [Vec<char>; N] = bases.map(<[char]>::to_vec);
    let keys = norm
        .keys()
        .chain(ts.keys())
        .chain(regional.iter().flat_map(|m| m.keys()));
    for &c in keys {
        for r in &regional {
            let d = step(&ts, step(r, step(&norm, c)));
            for (set, base) in sets.iter_mut().zip(bases) {
                if d != c && base.contains(&d) {
                    set.push(c);
                }
            }
        }
    }
    for set in &mut sets {
        set.sort_unstable();
        set.dedup();
    }
    sets
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

/// True when `line` looks like a breadcrumb: two or more ` ? ` separators, or one
/// between short items (at most [`CRUMB_ITEM`] characters each) in a line without
/// sentence punctuation (`，。！；、,.;!"“”`) and not after a word that ties it to what
/// follows ([`CLAUSE_JOINERS`]): `當前位置:首頁 ? 正文`. A single ` ? ` in a sentence
/// (`而 ? 表示`, `模式以 ? 结尾`) or before a long clause (`以 ? 字符代替不可打印的字符`)
/// is a real question mark unless the document shows other GBK loss. Characters the pass
/// removes are looked through.
pub(super) fn is_crumb_line(line: &str) -> bool {
    // Characters in the current item and the longest item so far (the separator's
    // spaces and `?` not counted).
    let (mut item, mut longest) = (0usize, 0usize);
    // One pass over the bytes (a line may hold thousands of `?`, and this runs once per
    // line). The last two characters that are not removable: an ASCII character as
    // itself, any other as 0xFF.
    let b = line.as_bytes();
    let (mut seps, mut punct) = (0, false);
    let (mut c2, mut c1) = (0u8, 0u8);
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        let key = if x < 0x80 {
            i += 1;
            if (x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r')) || x == 0x7F {
                continue;
            }
            x
        } else {
            let len = match x {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let ch = b.get(i..i + len).unwrap_or(&b[i..]);
            i += len;
            match *ch {
                // C1 controls, ZWSP/ZWNJ/ZWJ, WORD JOINER, BOM: removable (`is_removable`).
                [0xC2, 0x80..=0x9F]
                | [0xE2, 0x80, 0x8B..=0x8D]
                | [0xE2, 0x81, 0xA0]
                | [0xEF, 0xBB, 0xBF] => continue,
                // `，` `！` `；` `、` `。` `“` `”`
                [0xEF, 0xBC, 0x8C | 0x81 | 0x9B]
                | [0xE3, 0x80, 0x81 | 0x82]
                | [0xE2, 0x80, 0x9C | 0x9D] => {
                    punct = true;
                    0xFF
                }
                _ => 0xFF,
            }
        };
        item += 1;
        if c2 == b' ' && c1 == b'?' && key == b' ' {
            seps += 1;
            if seps >= 2 {
                return true;
            }
            longest = longest.max(item.saturating_sub(3));
            item = 0;
        }
        punct |= matches!(key, b',' | b'.' | b';' | b'!' | b'"');
        (c2, c1) = (c1, key);
    }
    seps >= 2
        || (!punct
            && (seps == 0 || (longest.max(item) <= CRUMB_ITEM && !joiner_before_separator(line))))
}

/// True when the character before the first ` ? ` of `line` (characters the pass
/// removes looked through) is one of [`CLAUSE_JOINERS`]. Runs only for a line with one
/// such separator between short items, so it may allocate.
fn joiner_before_separator(line: &str) -> bool {
    let chars: Vec<char> = line.chars().filter(|&c| !is_removable(c)).collect();
    let k = chars.windows(3).position(|w| w == [' ', '?', ' ']);
    k.and_then(|k| k.checked_sub(1))
        .and_then(|k| chars.get(k))
        .is_some_and(|&c| classes().clause_joiners.binary_search(&c).is_ok())
}

/// The longest item of a one-separator breadcrumb, in characters.
const CRUMB_ITEM: usize = 8;

/// The definition [`is_crumb_line`] implements, character by character (the test oracle).
#[cfg(test)]
pub(super) fn is_crumb_line_by_chars(line: &str) -> bool {
    let line: String = line.chars().filter(|&c| !is_removable(c)).collect();
    let items: Vec<&str> = line.split(" ? ").collect();
    // `split` cuts `a ? ? b` once where the windows count two separators.
    let windows: Vec<char> = line.chars().collect();
    let seps = windows.windows(3).filter(|w| w == &[' ', '?', ' ']).count();
    let punct = line.chars().any(|c| {
        matches!(
            c,
            '，' | '。' | '！' | '；' | '、' | ',' | '.' | ';' | '!' | '"' | '“' | '”'
        )
    });
    let longest = items.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let joiner = windows
        .windows(4)
        .find(|w| w[1..] == [' ', '?', ' '])
        .is_some_and(|w| classes().clause_joiners.contains(&w[0]));
    seps >= 2 || (!punct && (seps == 0 || (longest <= CRUMB_ITEM && !joiner)))
}

/// Classifies a run of `run` question marks between `before` (the line's text before
/// it) and `after` (the line's text after it). `evidence` enables the between-fields
/// rule; `crumb` says the line looks like a breadcrumb. Characters the pass removes anyway (controls, zero-width characters) are
/// looked through.
pub(super) fn classify(
    before: &str,
    run: usize,
    after: &str,
    crumb: bool,
    evidence: bool,
) -> Option<Lost> {
    let mut back = before.chars().rev().filter(|&c| !is_removable(c));
    let mut ahead = after.chars().filter(|&c| !is_removable(c));
    let prev = back.next();
    let next = ahead.next();
    if run == 1 && is_transliteration(prev) && is_transliteration(next) {
        let (p2, n2) = (back.clone().next(), ahead.clone().next());
        if is_transliteration(p2) && is_transliteration(n2) {
            return Some(Lost::MiddleDot);
        }
    }
    if run == 1 && prev == Some(' ') && next == Some(' ') && (crumb || evidence) {
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
        // An ASCII `]` closing ASCII text takes a real question mark (`[pq]?` in a
        // pattern, `inside [brackets]?` ending a question) unless a `[` follows or
        // the document shows GBK loss.
        let ascii_inside = prev == Some(']')
            && next != Some('[')
            && !evidence
            && back.find(|&c| c != ' ').is_none_or(|c| c.is_ascii());
        if !ascii_inside {
            return Some(Lost::Space);
        }
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
