//! Throughput of the whole binary on a generated JSONL of ≥ 500 MB with every stage off:
//! what JSON parsing, splicing, batching, threads and I/O cost. Prints MB/s on 1 and 2
//! threads, the scaling ratio, and peak RSS. `cat` of the same file is timed as the floor.
//!
//! Run: `cargo bench --bench pipeline` (ZHCLEAN_BENCH_MB=… changes the size).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_zhclean");

/// A deterministic generator of Chinese-looking records (~2–6 KB of text each).
fn generate(path: &Path, megabytes: usize) -> u64 {
    const CHARS: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研";
    let chars: Vec<char> = CHARS.chars().collect();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut rnd = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut w = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut written = 0u64;
    let mut id = 0u64;
    let mut text = String::new();
    while written < megabytes as u64 * 1_000_000 {
        text.clear();
        for _ in 0..3 + rnd(20) {
            for _ in 0..20 + rnd(150) {
                text.push(chars[rnd(chars.len() as u64) as usize]);
            }
            text.push_str("。\n");
        }
        let line = format!(
            "{{\"id\":\"doc-{id}\",\"url\":\"https://example.com/{id}\",\"text\":{},\"meta\":{{\"lang\":\"zh\",\"score\":0.93}}}}\n",
            serde_json::to_string(&text).unwrap()
        );
        w.write_all(line.as_bytes()).unwrap();
        written += line.len() as u64;
        id += 1;
    }
    w.flush().unwrap();
    written
}

fn time(cmd: &mut Command) -> (f64, String) {
    let t = Instant::now();
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert!(out.status.success(), "{:?} failed", cmd);
    (secs, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` lists; nothing to list here
    }
    let mb: usize = std::env::var("ZHCLEAN_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(550);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.jsonl");
    let bytes = generate(&path, mb);
    let p = path.to_str().unwrap();
    println!("input: {:.1} MB of JSONL ({})", bytes as f64 / 1e6, p);
    let (cat, _) = time(Command::new("cat").arg(p));
    println!(
        "cat                      {:7.1} MB/s",
        bytes as f64 / 1e6 / cat
    );
    let mut rates = Vec::new();
    for j in ["1", "2"] {
        let mut best = f64::MAX;
        let mut rss = String::new();
        for _ in 0..3 {
            let (secs, err) = time(Command::new(BIN).args([
                "--no-repair",
                "--no-strip",
                "--no-convert",
                "--stats",
                "--no-progress",
                "-j",
                j,
                p,
            ]));
            if secs < best {
                best = secs;
                rss = err
                    .lines()
                    .find(|l| l.contains("peak RSS"))
                    .unwrap_or("")
                    .trim()
                    .to_string();
            }
        }
        let rate = bytes as f64 / 1e6 / best;
        rates.push(rate);
        println!("zhclean stages off -j {j}  {rate:7.1} MB/s   ({rss})");
    }
    println!("scaling 2 threads / 1 thread: {:.2}x", rates[1] / rates[0]);
}
