//! GBK or Big5 bytes read as Latin-1 right after a Latin-1 character of the clean text
//! (a no-break space from `&nbsp;`, `×`, `°`, `é`): the pass pairs the bytes from the
//! first non-ASCII character on, so that character shifts every pair of the span by one
//! byte, and the span used to stay as it was. Every line is ours.

#[path = "support/damage.rs"]
mod damage;
use damage::repair;

/// `word`'s bytes in `encoding`, read as Latin-1.
fn read_as_latin1(word: &str, encoding: &'static encoding_rs::Encoding) -> String {
    let (bytes, _, unmappable) = encoding.encode(word);
    assert!(!unmappable, "{word:?}");
    bytes.iter().map(|&b| char::from(b)).collect()
}

const GBK: &encoding_rs::Encoding = encoding_rs::GBK;
const BIG5: &encoding_rs::Encoding = encoding_rs::BIG5;

/// (line, the damaged word, its encoding): the character before the word is Latin-1.
const CASES: &[(&str, &str, &encoding_rs::Encoding)] = &[
    (
        "请参阅第\u{A0}3\u{A0}节配置网络接口的方法。",
        "节配置网络接口的方法",
        GBK,
    ),
    (
        "价格\u{A0}这个选项只对管理员有效。",
        "这个选项只对管理员有效",
        GBK,
    ),
    ("屏幕尺寸为 1920×1080像素，刷新率可以调整。", "像素", GBK),
    ("今天最高气温 35°左右，请注意防暑。", "左右", GBK),
    (
        "请参阅第\u{A0}3\u{A0}節設定網路介面的方法。",
        "節設定網路介面的方法",
        BIG5,
    ),
    ("解析度為 1920×1080像素，更新率可以調整。", "像素", BIG5),
];

#[test]
fn span_right_after_a_latin1_character_is_repaired() {
    let mut failures = Vec::new();
    for &(line, word, encoding) in CASES {
        let input = line.replacen(word, &read_as_latin1(word, encoding), 1);
        let got = repair(&input);
        if got != line {
            failures.push(format!("{input:?}: got {got:?}"));
        }
        assert_eq!(repair(line), line, "clean line changed");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// European words with an odd number of accented letters in a row stay as they are.
#[test]
fn latin1_words_with_odd_stretches_stay() {
    for line in [
        "Café crème brûlée, s’il vous plaît ; déjà vu.",
        "Größe × Breite = 3 m², Temperatur 20 °C, Ausführung «Spezial».",
        "Año nuevo: ¿qué pasó? ¡Olé! — señor Muñoz, 1º piso.",
        "Ærøskøbing på Ærø; Þórður og Björk í Reykjavík.",
    ] {
        assert_eq!(repair(line), line);
    }
}

/// `s`'s GBK bytes read as windows-1252.
fn gbk_read_as_cp1252(s: &str) -> String {
    let (bytes, _, unmappable) = GBK.encode(s);
    assert!(!unmappable, "{s:?}");
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&bytes)
        .0
        .into_owned()
}

/// Traditional text in GBK read as windows-1252, with a rare hanzi at the line's edge
/// whose bytes read as a quote and a letter (`攜` → `”y`): left out of the span, the
/// two would make the line look European and the whole repair was dropped.
#[test]
fn rare_hanzi_at_the_line_edge_joins_the_span() {
    for line in [
        "攜帶行李的旅客請走左側通道。",
        "攜手走過了許多年。",
        "我們一起攜",
    ] {
        let input = gbk_read_as_cp1252(line);
        assert_eq!(repair(&input), line, "{input:?}");
        assert_eq!(repair(line), line);
    }
}
