//! Any text through the whole pipeline and through each stage alone: no panic, and each
//! stage's contract —
//! - the pipeline and the repair stage are idempotent;
//! - the strip stage keeps whole lines of its input, verbatim and in order;
//! - the convert stage (t2s) gives the same output for the text split at `split_point`
//!   as for the whole text, and `convert_in` with a buffer holding the previous input's
//!   output gives what `convert` gives.
#![no_main]
use std::cell::RefCell;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zhclean::convert::{self, ConvertReport, Converter};
use zhclean::repair::{RepairReport, Repairer};
use zhclean::strip::{StripReport, Stripper};
use zhclean::Cleaner;

struct Stages {
    cleaner: Cleaner,
    repairer: Repairer,
    stripper: Stripper,
    converter: Converter,
}

fn stages() -> &'static Stages {
    static S: OnceLock<Stages> = OnceLock::new();
    S.get_or_init(|| Stages {
        cleaner: Cleaner::new(),
        repairer: Repairer::new(),
        stripper: Stripper::new(),
        // A fixed config: `auto2s` chooses per document, so halves may differ by design.
        converter: Converter::with_options(
            convert::ConvertOptions::config("t2s").skip_japanese(false),
        )
        .expect("built-in tables"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let s = stages();

    let once = s.cleaner.clean(text).text.into_owned();
    let twice = s.cleaner.clean(&once).text.into_owned();
    assert_eq!(once, twice, "cleaning is idempotent");

    let r1 = s
        .repairer
        .repair(text, &mut RepairReport::default())
        .into_owned();
    let r2 = s.repairer.repair(&r1, &mut RepairReport::default());
    assert_eq!(r1, r2, "repair is idempotent");

    let kept = s.stripper.strip(text, &mut StripReport::default());
    let mut source = text.lines();
    for line in kept.lines() {
        assert!(
            source.any(|l| l == line),
            "strip kept a line that is not an input line, in order: {line:?}"
        );
    }

    let whole = s.converter.convert(text, &mut ConvertReport::default());
    let k = convert::split_point(text);
    let mut parts = s
        .converter
        .convert(&text[..k], &mut ConvertReport::default())
        .into_owned();
    parts.push_str(
        &s.converter
            .convert(&text[k..], &mut ConvertReport::default()),
    );
    assert_eq!(whole, parts, "chunked conversion equals whole conversion");

    thread_local!(static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) });
    SCRATCH.with_borrow_mut(|scratch| {
        let mut r = ConvertReport::default();
        let got = s.converter.convert_in(text, scratch, &mut r);
        assert_eq!(got, whole, "convert_in equals convert");
    });
});
