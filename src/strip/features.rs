//! Per-line features, counted in characters (CJK characters, never whitespace words).

/// What one line looks like.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Features {
    /// Han characters (CJK unified ideographs, extension A, compatibility).
    pub cjk: u32,
    /// ASCII and fullwidth Latin letters.
    pub latin: u32,
    /// Latin "words" (maximal letter runs).
    pub words: u32,
    /// ASCII and fullwidth digits.
    pub digits: u32,
    /// Sentence-ending punctuation: `。！？!?；;…` and `.` after a Han character.
    pub end_punct: u32,
    /// Clause punctuation: `，,、：:` and quotation marks.
    pub clause_punct: u32,
    /// Whitespace runs between two Han characters (Taiwanese blogs punctuate with spaces).
    pub inner_spaces: u32,
    /// Han function characters (的了是在和…; simplified and traditional).
    pub function: u32,
    /// Characters that are neither whitespace, Han, Latin, digits nor punctuation counted
    /// above (symbols, separators, brackets, other scripts).
    pub other: u32,
    /// Breadcrumb arrows: `>` `»` `›` `→` `＞` `>>` `-->`.
    pub arrows: u32,
    /// Menu separators: `|` `｜` `·` `•` `/` `丨` `▪` and the like.
    pub bars: u32,
    /// Bracket openers `[` `【` `〔` `［`.
    pub brackets: u32,
    /// Non-whitespace characters.
    pub chars: u32,
    /// Kana or Hangul seen.
    pub other_script: u32,
    /// Number of non-empty segments the line splits into at separators (whitespace,
    /// bars, arrows, brackets, `-`, `/`).
    pub seg_count: u32,
    /// Longest such segment, in characters.
    pub seg_longest: u32,
}

/// Separators that split a line into menu or breadcrumb segments.
#[inline]
fn is_seg_sep(c: char) -> bool {
    matches!(
        c,
        '|' | '｜'
            | '·'
            | '•'
            | '▪'
            | '◆'
            | '■'
            | '●'
            | '/'
            | '>'
            | '»'
            | '›'
            | '→'
            | '＞'
            | '<'
            | '['
            | ']'
            | '【'
            | '】'
            | '〔'
            | '〕'
            | '［'
            | '］'
            | '-'
            | '∣'
    )
}

impl Features {
    /// Weight in CJK-character units: Han characters count 1, Latin letters and digits
    /// about a third (70 Latin characters ≈ 30 Han in content terms, jusText's lengths).
    pub fn weight(&self) -> u32 {
        self.cjk + self.other_script + (self.latin + self.digits) / 3
    }

    /// Sentence or clause punctuation present.
    pub fn punct(&self) -> u32 {
        self.end_punct + self.clause_punct
    }
}

#[inline]
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The Han function characters, simplified and traditional.
const FUNCTION_CHARS: &str = "的了是在和有我你他她它们們这這那也不就都而及与與着著或被把之其以为為于於所从從对對将將但并並很又还還到说說要会會能可让讓给給向等中上个個一没沒吗嗎呢吧啊得地如因此些自已经經时時后後里裡裏来來去过過才更最只再该該已被却卻虽雖然即则則由";

/// Bitmap over U+4E00..U+A000 of [`FUNCTION_CHARS`], built at compile time.
static FUNCTION_MAP: [u64; (0xA000 - 0x4E00) / 64] = function_map();

const fn function_map() -> [u64; (0xA000 - 0x4E00) / 64] {
    let mut m = [0u64; (0xA000 - 0x4E00) / 64];
    let b = FUNCTION_CHARS.as_bytes();
    let mut i = 0;
    while i + 2 < b.len() {
        // every entry is a three-byte UTF-8 sequence
        let cp = ((b[i] as u32 & 0x0F) << 12)
            | ((b[i + 1] as u32 & 0x3F) << 6)
            | (b[i + 2] as u32 & 0x3F);
        let k = (cp - 0x4E00) as usize;
        m[k / 64] |= 1 << (k % 64);
        i += 3;
    }
    m
}

#[inline]
fn is_function(u: u32) -> bool {
    let k = u.wrapping_sub(0x4E00) as usize;
    k < 0xA000 - 0x4E00 && FUNCTION_MAP[k / 64] & (1 << (k % 64)) != 0
}

/// The code point of the character at `b[i]` when it is in U+4E00..U+9FFF (decoded on its
/// three bytes; `i` is on a character boundary of valid UTF-8).
#[inline(always)]
fn han_at(b: &[u8], i: usize) -> Option<u32> {
    match b.get(i..i + 3) {
        Some(&[b0 @ 0xE4..=0xE9, b1, b2]) => {
            let u = ((b0 as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F);
            (u >= 0x4E00).then_some(u)
        }
        _ => None,
    }
}

/// Computes the features of one line (without its terminator).
pub(crate) fn features(line: &str) -> Features {
    let mut f = Features::default();
    let mut prev_han = false; // previous non-space char was Han
    let mut pending_space = false; // whitespace seen since the last non-space char
    let mut in_word = false;
    let mut prev: char = '\0';
    let mut seg = 0u32;
    macro_rules! close_seg {
        () => {
            if seg > 0 {
                f.seg_count += 1;
                f.seg_longest = f.seg_longest.max(seg);
            }
            #[allow(unused_assignments)]
            {
                seg = 0;
            }
        };
    }
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Fast path: a Han character of U+4E00..U+9FFF (lead byte E4..E9), on its bytes.
        let b0 = b[i];
        if (0xE4..=0xE9).contains(&b0) && han_at(b, i).is_some() {
            // A run of such characters, counted in one tight loop.
            if pending_space && prev_han {
                f.inner_spaces += 1;
            }
            let (mut run, mut function) = (0u32, 0u32);
            while let Some(u) = han_at(b, i) {
                run += 1;
                function += is_function(u) as u32;
                i += 3;
            }
            seg += run;
            f.chars += run;
            f.cjk += run;
            f.function += function;
            in_word = false;
            prev_han = true;
            pending_space = false;
            prev = '\u{4E00}'; // any Han character: `prev` is only compared with arrows
            continue;
        }
        let Some(c) = line.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        let u = c as u32;
        if u < 0x80 {
            match c {
                ' ' | '\t' | '\r' | '\n' | '\u{b}' | '\u{c}' => {
                    close_seg!();
                    pending_space = true;
                    in_word = false;
                    continue;
                }
                'a'..='z' | 'A'..='Z' => {
                    seg += 1;
                    f.chars += 1;
                    f.latin += 1;
                    if !in_word {
                        f.words += 1;
                        in_word = true;
                    }
                    prev_han = false;
                    pending_space = false;
                    prev = c;
                    continue;
                }
                _ => {}
            }
        } else if c.is_whitespace() || c == '\u{3000}' {
            close_seg!();
            pending_space = true;
            in_word = false;
            continue;
        }
        if is_seg_sep(c) {
            close_seg!();
        } else {
            seg += 1;
        }
        f.chars += 1;
        let han = is_han(c);
        if han {
            f.cjk += 1;
            if pending_space && prev_han {
                f.inner_spaces += 1;
            }
            in_word = false;
        } else if c.is_ascii_alphabetic() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ') {
            f.latin += 1;
            if !in_word {
                f.words += 1;
                in_word = true;
            }
        } else if c.is_ascii_digit() || matches!(c, '０'..='９') {
            f.digits += 1;
            in_word = false;
        } else {
            in_word = false;
            match c {
                '。' | '！' | '？' | '!' | '?' | '；' | ';' | '…' => f.end_punct += 1,
                '.' | '．' if prev_han => f.end_punct += 1,
                '，' | ',' | '、' | '：' | ':' | '“' | '”' | '「' | '」' | '『' | '』' | '—' => {
                    f.clause_punct += 1
                }
                '>' | '»' | '›' | '→' | '＞' | '≫' => {
                    if !(prev == '>' || prev == '»' || prev == '＞') {
                        f.arrows += 1
                    }
                }
                '|' | '｜' | '·' | '•' | '丨' | '▪' | '◆' | '■' | '●' | '∣' | '┊' | '/' => {
                    f.bars += 1
                }
                '[' | '【' | '〔' | '［' => f.brackets += 1,
                '\u{3040}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' => {
                    f.other_script += 1
                }
                _ => f.other += 1,
            }
        }
        prev_han = han;
        pending_space = false;
        prev = c;
    }
    close_seg!();
    f
}

/// Date and time shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// Not a date line.
    No,
    /// Only a date and/or time (`2023-12-01 18:35:03`, `2021年3月12日`, `10:56 am`).
    Only,
}

/// Whether the line is nothing but a date/time (with weekday and clock words).
pub(crate) fn stamp(line: &str) -> Stamp {
    let mut digits = 0u32;
    let mut seps = 0u32;
    let mut date_words = 0u32;
    for c in line.chars() {
        match c {
            '0'..='9' | '０'..='９' => digits += 1,
            '-' | '/' | ':' | '：' | '.' | '－' | ' ' | '\u{3000}' | '\t' | '(' | ')' | '（'
            | '）' | '[' | ']' | '【' | '】' | 'T' | '+' | '年' | '月' | '日' | '时' | '時'
            | '分' | '秒' | '号' | '號' => seps += 1,
            '星' | '期' | '周' | '週' | '一' | '二' | '三' | '四' | '五' | '六' | '天' | '上'
            | '下' | '午' | '晚' | '早' | 'a' | 'p' | 'm' | 'A' | 'P' | 'M' => date_words += 1,
            _ => return Stamp::No,
        }
    }
    if digits >= 4 && date_words <= 6 && seps >= 1 {
        Stamp::Only
    } else {
        Stamp::No
    }
}

/// Nothing but an English date, possibly with a weekday and a clock time
/// (`Saturday, September 10th, 2005 10:56 am`, `Sep 19, 2005 at 7:32 pm`).
pub(crate) fn latin_date(line: &str) -> bool {
    const WORDS: &[&str] = &[
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "at",
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "utc",
        "gmt",
    ];
    let (mut month, mut number) = (false, false);
    for tok in line.split(|c: char| c.is_whitespace() || c == ',' || c == '\u{3000}') {
        if tok.is_empty() {
            continue;
        }
        let lower = tok.to_ascii_lowercase();
        let word = lower.trim_end_matches('.');
        if WORDS.contains(&word) || WORDS.contains(&lower.as_str()) {
            month |= word.len() >= 3
                && !matches!(
                    word,
                    "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun" | "utc" | "gmt"
                )
                && !word.ends_with("day");
            continue;
        }
        let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &lower[digits.len()..];
        let numeric = !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == ':')
            && matches!(suffix, "" | "st" | "nd" | "rd" | "th" | "am" | "pm");
        if !numeric {
            return false;
        }
        number = true;
    }
    month && number
}

/// The line holds a date and a clock time (`08-11 16:06`, `2005-06-13 15:00`,
/// `6月3日 9:30`) somewhere, whatever else it says.
pub(crate) fn inline_datetime(line: &str) -> bool {
    let (mut date, mut time) = (false, false);
    let mut prev = '\0';
    let mut prev2 = '\0';
    // The digit run before the current separator follows a `:` (`8:30-9:00` is a range
    // of clock times, not a date).
    let (mut run_after_colon, mut last_run_after_colon) = (false, false);
    for c in line.chars() {
        let d = c.is_ascii_digit();
        if d && !prev.is_ascii_digit() {
            last_run_after_colon = run_after_colon;
            run_after_colon = prev == ':';
        }
        if d && prev2.is_ascii_digit() {
            match prev {
                ':' => time = true,
                '-' | '/' if !last_run_after_colon => date = true,
                _ => {}
            }
        }
        if c == '月' && prev.is_ascii_digit() {
            date = true;
        }
        prev2 = prev;
        prev = c;
    }
    date && time
}

/// A phone-number-like run: 7+ digits possibly split by `-` or spaces, or a `400-` line.
pub(crate) fn has_phone(line: &str) -> bool {
    let mut run = 0u32;
    let mut best = 0u32;
    let mut last_was_digit = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            run += 1;
            last_was_digit = true;
        } else if (c == '-' || c == ' ') && last_was_digit {
            last_was_digit = false;
        } else {
            best = best.max(run);
            run = 0;
            last_was_digit = false;
        }
    }
    best = best.max(run);
    best >= 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_han_and_punct() {
        let f = features("今天天气很好，我们去公园。");
        assert_eq!(f.cjk, 11);
        assert_eq!(f.end_punct, 1);
        assert_eq!(f.clause_punct, 1);
        assert!(f.function >= 2);
    }

    #[test]
    fn stamps() {
        assert_eq!(stamp("2023-12-01 18:35:03"), Stamp::Only);
        assert_eq!(stamp("2021年3月12日 星期五"), Stamp::Only);
        assert_eq!(stamp("2021年3月12日，天气晴"), Stamp::No);
        assert_eq!(stamp("12"), Stamp::No);
    }

    #[test]
    fn segments_split_at_separators() {
        let f = features("首页 > 新闻 | 体育·财经");
        assert_eq!((f.seg_count, f.seg_longest), (4, 2));
        let f = features("【打印】 [关闭窗口]");
        assert_eq!((f.seg_count, f.seg_longest), (2, 4));
    }

    #[test]
    fn latin_dates() {
        assert!(latin_date("Saturday, September 10th, 2005   10:56 am"));
        assert!(latin_date("Sep 19, 2005 at 7:32 pm"));
        assert!(!latin_date("Running Man Fan Meeting 2014"));
        assert!(!latin_date("May I help you"));
    }

    #[test]
    fn inline_datetimes() {
        assert!(inline_datetime("旅行见闻【某网友】08-11 16:06 298字"));
        assert!(inline_datetime("由某某张贴 @ 2005-06-13 15:00:14"));
        assert!(!inline_datetime("8:30-9:00 开幕式"));
        assert!(!inline_datetime("2024-05-01"));
    }

    #[test]
    fn phones() {
        assert!(has_phone("客服电话 400-649-1633"));
        assert!(has_phone("13812345678"));
        assert!(!has_phone("2021年"));
    }
}
