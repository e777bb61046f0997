//! Any line: finding the field never panics; the fast scan agrees with serde_json
//! whenever it answers; splicing a value back gives valid JSON whose field reads back as
//! that value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::records::json_scan;
use zhclean::records::jsonl::{self, FieldPath};

fuzz_target!(|data: &[u8]| {
    for p in ["text", "meta.body"] {
        let path = FieldPath::parse(p).unwrap();
        if let Ok(line) = std::str::from_utf8(data) {
            if let Some(lit) = json_scan::find_string(data, path.keys()) {
                let reference = jsonl::find_field_serde(line, &path).expect("serde agrees");
                assert_eq!(reference.span, lit.span);
                let field = jsonl::find_field(data, &path).expect("found");
                assert_eq!(field.value, reference.value);
            }
        }
        if let Ok(f) = jsonl::find_field(data, &path) {
            let mut out = Vec::new();
            let replacement = format!("<{}>", f.value);
            jsonl::splice(data, f.span, &replacement, &mut out);
            let again = jsonl::find_field(&out, &path).expect("spliced line parses");
            assert_eq!(again.value, replacement);
        }
    }
});
