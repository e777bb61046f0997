//! Cost bounds: hostile documents must clean at ≥ 50% of the throughput of ordinary text.
//! One document each (default 50 MB; ZHCLEAN_BENCH_MB=… changes it), whole pipeline,
//! single thread. Prints MB/s and the ratio to the ordinary document.
//!
//! Run: `cargo bench --bench cost_bounds`

use std::time::Instant;

use zhclean::Cleaner;

fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    s
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let mb: usize = std::env::var("ZHCLEAN_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let bytes = mb * 1_000_000;
    let ordinary_line = "据介绍，这套系统由本地企业自主研发，把储能电池和灯杆做成一体，项目发起人希望明年在更多村镇推广。\n今天天氣很好，我們一起去公園散步，順便看看新開的圖書館。\n";
    let moji: String = ordinary_line
        .lines()
        .map(|l| {
            let (s, _, _) = encoding_rs::GBK.decode(l.as_bytes());
            s.into_owned() + "\n"
        })
        .collect();
    let docs: Vec<(&str, String)> = vec![
        ("ordinary text", repeat_to(ordinary_line, bytes)),
        ("pure mojibake (utf8>gbk)", repeat_to(&moji, bytes)),
        (
            "no newlines",
            repeat_to(ordinary_line.trim_end(), bytes).replace('\n', ""),
        ),
        ("only ? and (", repeat_to("??((?(?((??(", bytes)),
        ("4-byte characters", repeat_to("𠀀𠀁𠀂𪚥𩸽😀𠮷", bytes)),
    ];
    let cleaner = Cleaner::new();
    let mut base = 0.0;
    for (name, doc) in &docs {
        let t = Instant::now();
        let out = cleaner.clean(doc);
        let secs = t.elapsed().as_secs_f64();
        std::hint::black_box(&out);
        let rate = doc.len() as f64 / 1e6 / secs;
        if base == 0.0 {
            base = rate;
        }
        println!(
            "{name:28} {:6.1} MB  {rate:8.1} MB/s  {:5.2}x of ordinary",
            doc.len() as f64 / 1e6,
            rate / base
        );
    }
}
