use super::*;

fn fix(s: &str) -> String {
    let mut r = RepairReport::default();
    repair(s, &[], &mut r).into_owned()
}

#[test]
fn prefilter_skips_cjk_and_ascii() {
    assert!(!may_apply("今天天气很好，我们一起去公园散步。“引号”……"));
    assert!(!may_apply("plain ASCII text, code: fn main() {}"));
    assert!(may_apply("CafÃ©"));
    assert!(may_apply("Ð"));
}

#[test]
fn next_suspect_finds_every_position() {
    let mut s = vec![b'a'; 100];
    for at in 0..100 {
        s[at] = 0xC3;
        assert_eq!(next_suspect(&s, 0), at);
        assert_eq!(next_suspect_in(&s, 0), at);
        assert_eq!(next_suspect(&s, at + 1), 100);
        s[at] = b'a';
    }
}

/// An `E2` is a suspect only before 88, 89 or 94–96, wherever the pair falls against
/// the scan's blocks (the byte after it may be the next block's first); `E2 80` (quotes,
/// dashes, `…`) and an `E2` at the very end are none.
#[test]
fn next_suspect_finds_e2_pairs_across_block_edges_and_passes_over_quotes() {
    let mut s = vec![b'a'; 100];
    for at in 0..99 {
        for (second, found) in [(0x88, true), (0x89, true), (0x94, true), (0x96, true)]
            .into_iter()
            .chain([(0x80, false), (0x8A, false), (0x93, false), (0x97, false)])
        {
            s[at] = 0xE2;
            s[at + 1] = second;
            let want = if found { at } else { 100 };
            assert_eq!(next_suspect(&s, 0), want, "{at} E2 {second:02X}");
            // (The portable compilation too, where the CPU has AVX2.)
            assert_eq!(next_suspect_in(&s, 0), want, "{at} E2 {second:02X}");
            assert_eq!(
                next_suspect(&s, at.saturating_sub(5)),
                want,
                "{at} E2 {second:02X}"
            );
            s[at + 1] = b'a';
            s[at] = b'a';
        }
    }
    s[99] = 0xE2;
    assert_eq!(next_suspect(&s, 0), 100);
    assert_eq!(next_suspect(&s, 200), 100);
}

#[test]
fn codec_tables_round_trip() {
    for (k, codec) in codecs::ALL.iter().enumerate() {
        for (i, &u) in codec.upper.iter().enumerate() {
            let c = char::from_u32(u as u32).unwrap();
            assert_eq!(encode(k, c), Some(0x80 + i as u8), "{} {c:?}", codec.name);
        }
    }
}

#[test]
fn cesu8_surrogate_halves_become_the_emoji() {
    // U+1F600 as CESU-8 (ED A0 BD ED B8 80) read as Latin-1.
    assert_eq!(fix("ok \u{ed}\u{a0}\u{bd}\u{ed}\u{b8}\u{80}!"), "ok 😀!");
}

#[test]
fn lost_continuation_byte_becomes_one_replacement_character() {
    assert_eq!(fix("PÅ\u{fffd}Ã\u{ad}klad"), "P\u{fffd}íklad");
}

#[test]
fn layers_are_reported_with_their_chain() {
    let mut r = RepairReport::default();
    let out = repair("x CafÃƒÂ© y", &[], &mut r);
    assert_eq!(out, "x Café y");
    assert_eq!(r.repairs.len(), 1);
    assert_eq!(r.repairs[0].kind, "utf8>cp1252>utf8>cp1252");
    assert_eq!((r.repairs[0].start, r.repairs[0].end), (5, 9));
}

#[test]
fn skipped_lines_are_left_alone() {
    let mut r = RepairReport::default();
    assert_eq!(repair("CafÃ©\nCafÃ©", &[0], &mut r), "CafÃ©\nCafé");
    assert_eq!(r.repairs.len(), 1);
    assert_eq!(r.repairs[0].start, 9);
}

#[test]
fn two_layers_cp1251_then_latin1() {
    let line: Vec<char> = "a bigger-than-expected Г‚ВЈ5.8bn rights".chars().collect();
    let b = badness(&line);
    assert!(b > 0);
    let l = fix_once(&line, b, false).expect("one layer");
    assert_eq!(
        l.line.iter().collect::<String>(),
        "a bigger-than-expected Â£5.8bn rights"
    );
    assert_eq!(
        fix("a bigger-than-expected Г‚ВЈ5.8bn rights"),
        "a bigger-than-expected £5.8bn rights"
    );
}

#[test]
fn apostrophe_0x92_where_a_clitic_is_stays_windows_1252() {
    for s in [
        "we didn\u{92}t know",
        "it\u{92}s late",
        "l\u{92}ami",
        "dell\u{92}anno",
        "they\u{92}ll come",
    ] {
        let line: Vec<char> = s.chars().collect();
        assert!(macroman_c1(&line).is_none(), "{s:?}");
    }
    let line: Vec<char> = "un viaje tur\u{92}stico".chars().collect();
    let l = macroman_c1(&line).expect("MacRoman");
    assert_eq!(l.line.iter().collect::<String>(), "un viaje turístico");
}

#[test]
fn c1_control_outside_a_word_is_not_macroman() {
    // One C1 control not between lower-case letters: the line is not judged MacRoman.
    for s in ["Coatl\u{87}n \u{87} x", "Tur\u{92}Stico", "caf\u{8e}"] {
        let line: Vec<char> = s.chars().collect();
        assert!(macroman_c1(&line).is_none(), "{s:?}");
    }
}

#[test]
fn line_left_mostly_damaged_is_not_repaired() {
    // Lower-cased double-layer mojibake: a few windows-1252 sequences decode, most of
    // the damage stays, so the line is left as it is.
    let s = "ã©tã© ã â€™ ãƒâ€ ãƒæ’ã‚â¢ ãƒâ¢ã¢â‚¬å¡";
    assert!(matches!(
        verdict(s, 0, &mut RepairReport::default()),
        Verdict::Beyond
    ));
    assert_eq!(fix(s), s);
}
