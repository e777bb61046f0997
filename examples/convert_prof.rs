//! Dev tool: converts a file N times with one config (for profiling).
//! Usage: `convert_prof CONFIG FILE [N]`
use zhclean::convert::{ConvertOptions, ConvertReport, Converter};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[2]).unwrap();
    let n: usize = a.get(3).map_or(5, |s| s.parse().unwrap());
    let c = Converter::with_options(ConvertOptions::config(&a[1]).skip_japanese(false)).unwrap();
    let t = std::time::Instant::now();
    let mut r = ConvertReport::default();
    for _ in 0..n {
        std::hint::black_box(c.convert(&text, &mut r));
    }
    let s = t.elapsed().as_secs_f64();
    println!("{:.1} MB/s", (text.len() * n) as f64 / 1e6 / s);
}
