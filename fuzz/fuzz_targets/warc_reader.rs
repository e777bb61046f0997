//! Any byte stream: the WARC reader never panics and always reaches the end.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::records::warc::Reader;

fuzz_target!(|data: &[u8]| {
    let mut r = Reader::new(data);
    let mut n = 0usize;
    while let Ok(Some(_)) = r.next_item() {
        n += 1;
        assert!(n <= data.len() + 1, "no progress");
    }
});
