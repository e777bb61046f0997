//! OpenCC 1.4.2's own test cases (`testcases.json`), read at test time from the shared
//! evaluation directory ($SHARED, ../shared or ../../shared); never copied into the repo.
//! Skipped (with a message) when the file is absent.

use std::path::PathBuf;

use zhclean::convert::{ConvertOptions, ConvertReport, Converter, CONFIG_NAMES};

fn testcases() -> Option<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = std::env::var_os("SHARED")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    dirs.push(root.join("../shared"));
    dirs.push(root.join("../../shared"));
    dirs.into_iter()
        .map(|d| d.join("eval/opencc/testcases.json"))
        .find_map(|p| std::fs::read_to_string(p).ok())
}

#[test]
fn opencc_testcases_all_pass() {
    let Some(text) = testcases() else {
        eprintln!("testcases.json not found: skipped");
        return;
    };
    // The upstream file has trailing commas.
    let text = regex::Regex::new(r",(\s*[}\]])")
        .unwrap()
        .replace_all(&text, "$1");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut converters = std::collections::HashMap::new();
    let (mut total, mut failed) = (0, Vec::new());
    for case in doc["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        for (config, expected) in case["expected"].as_object().unwrap() {
            assert!(CONFIG_NAMES.contains(&config.as_str()), "config {config}");
            let conv = converters.entry(config.clone()).or_insert_with(|| {
                Converter::with_options(ConvertOptions::config(config).skip_japanese(false))
                    .unwrap()
            });
            total += 1;
            let got = conv.convert(input, &mut ConvertReport::default());
            if got != expected.as_str().unwrap() {
                failed.push(format!(
                    "{} {config}: {input} → {got} (expected {expected})",
                    case["id"]
                ));
            }
        }
    }
    assert!(total >= 543, "only {total} cases");
    assert!(
        failed.is_empty(),
        "{} of {total} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
