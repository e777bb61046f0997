//! The CLI's input framing (`src/cli/input.rs`: compression recognised by magic bytes,
//! multi-member gzip, zstd) on any bytes: plain data, and gzip or zstd streams made from
//! the data and then cut or damaged at a position the data chooses. Reading never
//! panics; an intact stream gives back exactly the data; a damaged one either reads to
//! an end or fails with a message that names the input and a position.
#![no_main]
use std::io::{Read, Write};

use libfuzzer_sys::fuzz_target;

#[path = "../../src/cli/input.rs"]
#[allow(dead_code)]
mod input;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&mode, data)) = bytes.split_first() else {
        return;
    };
    let (stream, intact) = match mode % 4 {
        0 => (data.to_vec(), true),
        1 => (gzip(data), true),
        2 => (zstd::encode_all(data, 1).unwrap(), true),
        _ => {
            // Damage a compressed stream: cut it, flip a byte, or append a second,
            // cut member.
            let mut s = if mode & 4 == 0 {
                gzip(data)
            } else {
                zstd::encode_all(data, 1).unwrap()
            };
            let at = usize::from(mode >> 3) * s.len() / 32;
            match mode >> 6 {
                0 => s.truncate(at),
                1 => {
                    if let Some(b) = s.get_mut(at) {
                        *b ^= 0x5A;
                    }
                }
                _ => {
                    let again = s.clone();
                    s.extend_from_slice(&again[..at.min(again.len())]);
                }
            }
            (s, false)
        }
    };
    let path = std::env::temp_dir().join(format!("zhclean-fuzz-input-{}", std::process::id()));
    std::fs::write(&path, &stream).unwrap();
    let Ok(mut inp) = input::open(Some(&path)) else {
        return;
    };
    let mut out = Vec::new();
    match inp.reader.read_to_end(&mut out) {
        Ok(_) => {
            if intact
                && !(mode % 4 == 0
                    && (data.starts_with(&[0x1f, 0x8b])
                        || data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])))
            {
                assert_eq!(out, data, "an intact stream reads back exactly");
            }
        }
        Err(e) => {
            assert!(!intact || mode % 4 == 0, "an intact stream failed: {e}");
            let msg = inp.describe_error(&e, out.len() as u64);
            assert!(msg.starts_with(&*path.display().to_string()), "{msg}");
        }
    }
});
