//! Any bytes decode without panicking, with and without a declared charset.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::decode::Decoder;

fuzz_target!(|data: &[u8]| {
    let _ = Decoder::new().decode(data);
    let _ = Decoder::new().declared(Some("gbk")).decode(data);
    let _ = Decoder::new().forced(Some("big5")).decode(data);
});
