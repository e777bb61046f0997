//! Running the real binary from integration tests (shared by `tests/cli.rs` and
//! `tests/cli_properties.rs`, included with `#[path]`).

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_zhclean");

/// Runs the binary with `args`, feeding `stdin` from another thread (so a large input
/// cannot deadlock against a full stdout pipe), and collects its output.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn(args);
    let mut inp = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = inp.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

/// Starts the binary with `args` and its stdin, stdout and stderr piped.
pub fn spawn(args: &[&str]) -> Child {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zhclean")
}
