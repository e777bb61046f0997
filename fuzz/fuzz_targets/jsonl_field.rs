//! Any line: finding the field never panics; splicing a value back gives valid JSON
//! whose field reads back as that value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::records::jsonl::{self, FieldPath};

fuzz_target!(|data: &[u8]| {
    for p in ["text", "meta.body"] {
        let path = FieldPath::parse(p).unwrap();
        if let Ok(f) = jsonl::find_field(data, &path) {
            let mut out = Vec::new();
            let replacement = format!("<{}>", f.value);
            jsonl::splice(data, f.span, &replacement, &mut out);
            let again = jsonl::find_field(&out, &path).expect("spliced line parses");
            assert_eq!(again.value, replacement);
        }
    }
});
