//! Any bytes decode without panicking, with and without a declared charset. Bytes read
//! as mostly UTF-8 keep their lines: as many, and each valid UTF-8 line unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::decode::{Decoder, Source};

fuzz_target!(|data: &[u8]| {
    let d = Decoder::new().decode(data);
    if d.report.as_ref().is_some_and(|r| r.source == Source::MostlyUtf8) {
        let lines: Vec<&str> = d.text.split('\n').collect();
        let raw: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
        assert_eq!(lines.len(), raw.len());
        for (l, r) in lines.iter().zip(&raw) {
            if let Ok(r) = std::str::from_utf8(r) {
                assert_eq!(*l, r);
            }
        }
    }
    let _ = Decoder::new().declared(Some("gbk")).decode(data);
    let _ = Decoder::new().forced(Some("big5")).decode(data);
});
