//! Any text through the whole pipeline, and through each stage alone: no panic, and
//! cleaning is idempotent.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::Cleaner;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = Cleaner::new();
    let once = c.clean(text).text.into_owned();
    let twice = c.clean(&once).text.into_owned();
    assert_eq!(once, twice, "cleaning is idempotent");
});
