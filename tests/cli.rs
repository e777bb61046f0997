//! Integration tests through the real binary: formats, compression, pass-through and
//! exit-code rules, ordering under threads, broken pipes, decoding of legacy encodings.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

#[path = "support/damage.rs"]
mod damage;
#[path = "support/run.rs"]
mod run_support;
use run_support::{run, spawn, BIN};

/// All stages off: these tests are about framing, not cleaning.
const OFF: &[&str] = &["--no-repair", "--no-strip", "--no-convert"];

fn off(extra: &[&str]) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = OFF.to_vec();
    for e in extra {
        v.push(Box::leak(e.to_string().into_boxed_str()));
    }
    v
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn write(dir: &Path, name: &str, data: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_str().unwrap().to_string()
}

// ---------------------------------------------------------------- JSONL

#[test]
fn jsonl_keeps_other_fields_order_and_spelling() {
    let input = "{\"z\":1.50,\"text\":\"abc\",\"a\":{\"b\":[1,2]},\"u\":\"\\u4f60\"}\n";
    let o = run(&off(&["--format", "jsonl"]), input.as_bytes());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), input);
}

#[test]
fn jsonl_bad_lines_pass_through_and_are_reported_with_line_numbers() {
    let input =
        "{\"text\":\"ok\"}\nnot json\n{\"id\":7}\n{\"text\":5}\n[1]\n\n{\"text\":\"end\"}\n";
    let o = run(&off(&["--format", "jsonl"]), input.as_bytes());
    assert_eq!(code(&o), 1);
    assert_eq!(
        stdout(&o),
        input,
        "one output line per input line, unchanged"
    );
    let err = stderr(&o);
    for n in [2, 3, 4, 5, 6] {
        assert!(
            err.contains(&format!("<stdin>:{n}:")),
            "line {n} not reported: {err}"
        );
    }
    assert!(
        !err.contains("<stdin>:1:") && !err.contains("<stdin>:7:"),
        "{err}"
    );
    assert!(
        err.contains("missing") && err.contains("not a string"),
        "{err}"
    );
}

#[test]
fn jsonl_line_numbers_continue_across_batches_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::new();
    for i in 0..50_000 {
        big.push_str(&format!(
            "{{\"text\":\"record {i} padding padding padding\"}}\n"
        ));
    }
    big.push_str("broken\n");
    let a = write(dir.path(), "a.jsonl", big.as_bytes());
    let b = write(dir.path(), "b.jsonl", b"{\"text\":\"x\"}\nbroken too\n");
    for j in ["1", "2"] {
        let o = Command::new(BIN)
            .args(OFF)
            .args(["-j", j, &a, &b])
            .output()
            .unwrap();
        assert_eq!(code(&o), 1);
        let err = stderr(&o);
        assert!(err.contains("a.jsonl:50001:"), "-j {j}: {err}");
        assert!(err.contains("b.jsonl:2:"), "-j {j}: {err}");
    }
}

#[test]
fn jsonl_nested_field_path() {
    let input = "{\"meta\":{\"body\":\"x\"},\"text\":\"y\"}\n";
    let o = run(
        &off(&["--format", "jsonl", "--field", "meta.body"]),
        input.as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), input);
    let o = run(
        &["--format", "jsonl", "--field", "meta..body"],
        input.as_bytes(),
    );
    assert_eq!(code(&o), 2);
}

#[test]
fn jsonl_bom_crlf_and_missing_final_newline() {
    let o = run(
        &off(&["--format", "jsonl"]),
        b"\xEF\xBB\xBF{\"text\":\"a\"}\r\n{\"text\":\"b\"}",
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "{\"text\":\"a\"}\r\n{\"text\":\"b\"}\n");
}

#[test]
fn jsonl_invalid_utf8_and_nul_pass_through() {
    let input: &[u8] = b"{\"text\":\"a\xFF\"}\n{\"text\":\"nul\\u0000ok\"}\n\x00\x00\n";
    let o = run(&off(&["--format", "jsonl"]), input);
    assert_eq!(code(&o), 1);
    assert_eq!(o.stdout, input);
    assert!(stderr(&o).contains("<stdin>:1:"));
    assert!(stderr(&o).contains("<stdin>:3:"));
}

#[test]
fn empty_input_gives_empty_output() {
    for fmt in ["jsonl", "text", "warc"] {
        let o = run(&off(&["--format", fmt]), b"");
        assert_eq!(code(&o), 0, "{fmt}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{fmt}");
    }
}

#[test]
fn order_is_kept_under_threads() {
    let mut input = String::new();
    for i in 0..200_000 {
        input.push_str(&format!("{{\"id\":{i},\"text\":\"第{i}条\"}}\n"));
    }
    for j in ["1", "2", "3"] {
        let o = run(&off(&["--format", "jsonl", "-j", j]), input.as_bytes());
        assert_eq!(code(&o), 0);
        assert!(o.stdout == input.as_bytes(), "-j {j}: output differs");
    }
}

#[test]
fn auto_format_sniffs_jsonl_and_warc_on_stdin() {
    let o = run(OFF, b"  {\"text\":\"a\"}\nnot json\n");
    assert_eq!(code(&o), 1, "sniffed as JSONL, so line 2 is a problem");
    let o = run(
        OFF,
        wet_record("conversion", "http://x/", "hello").as_bytes(),
    );
    assert!(stdout(&o).starts_with("{\"id\":"), "{}", stdout(&o));
}

// ---------------------------------------------------------------- text

#[test]
fn text_document_separator_splits_and_is_written_back() {
    let o = run(
        &off(&["--format", "text", "--doc-separator", "@@@"]),
        b"one\ntwo\n@@@\nthree\n@@@\n",
    );
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), "one\ntwo\n@@@\nthree\n@@@\n");
    let o = run(
        &off(&[
            "--format",
            "text",
            "--doc-separator",
            "@@@",
            "--report",
            "/dev/stdout",
        ]),
        b"one\n@@@\ntwo\n",
    );
    let reports = stdout(&o)
        .lines()
        .filter(|l| l.starts_with("{\"file\""))
        .count();
    assert_eq!(reports, 2);
}

fn decoded_as(bytes: &[u8], extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "doc.txt", bytes);
    let rep = dir.path().join("r.jsonl");
    let mut args = off(extra);
    args.push(Box::leak(p.into_boxed_str()));
    args.push("--report");
    args.push(Box::leak(
        rep.to_str().unwrap().to_string().into_boxed_str(),
    ));
    let o = run(&args, b"");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    (stdout(&o), std::fs::read_to_string(rep).unwrap())
}

const ZH_SIMP: &str = "我们今天在北京召开了一次关于经济发展的会议，会议讨论了很多问题。\n";
const ZH_TRAD: &str = "我們今天在臺北召開了一次關於經濟發展的會議，會議討論了很多問題。\n";

#[test]
fn text_gbk_file_is_decoded() {
    let (bytes, _, _) = encoding_rs::GBK.encode(ZH_SIMP);
    let (out, rep) = decoded_as(&bytes, &[]);
    assert_eq!(out, ZH_SIMP);
    assert!(rep.contains("\"encoding\":\"GBK\""), "{rep}");
}

#[test]
fn text_big5_file_is_decoded() {
    let (bytes, _, _) = encoding_rs::BIG5.encode(ZH_TRAD);
    let (out, rep) = decoded_as(&bytes, &[]);
    assert_eq!(out, ZH_TRAD);
    assert!(rep.contains("\"encoding\":\"Big5\""), "{rep}");
}

#[test]
fn text_utf16_files_are_decoded_with_and_without_bom() {
    let le: Vec<u8> = ZH_SIMP.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut bom = vec![0xFF, 0xFE];
    bom.extend_from_slice(&le);
    assert_eq!(decoded_as(&bom, &[]).0, ZH_SIMP);
    let ascii = "plain ASCII text in UTF-16, no byte order mark\n";
    let be: Vec<u8> = ascii.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let (out, rep) = decoded_as(&be, &[]);
    assert_eq!(out, ascii);
    assert!(rep.contains("UTF-16BE"), "{rep}");
}

#[test]
fn encoding_flag_overrides_detection_and_rejects_unknown_names() {
    let (bytes, _, _) = encoding_rs::GBK.encode("中文");
    let (out, rep) = decoded_as(&bytes, &["--encoding", "gb18030"]);
    assert_eq!(out, "中文\n");
    assert!(rep.contains("gb18030") || rep.contains("GB18030"), "{rep}");
    let o = run(&["--encoding", "klingon"], b"x");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("klingon"));
}

#[test]
fn keep_whitespace_keeps_indents_line_breaks_and_blank_lines() {
    let input = "\u{3000}\u{3000}正文第一段。\r\n\r\n\r\n    indented_code();  \n".as_bytes();
    let args = ["--no-strip", "--no-convert", "--format", "text"];
    let o = run(&args, input);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "正文第一段。\n\nindented_code();\n");
    let o = run(&[&args[..], &["--keep-whitespace"]].concat(), input);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o).as_bytes(), input);
}

// ---------------------------------------------------------------- WARC

fn wet_record(kind: &str, url: &str, body: &str) -> String {
    format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2024-07-26T01:02:03Z\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
        body.len(),
        body.len()
    )
}

#[test]
fn warc_conversion_records_become_jsonl() {
    let wet = wet_record("warcinfo", "", "software: test")
        + &wet_record("conversion", "http://a.example/1", "第一页\n正文")
        + &wet_record("request", "http://a.example/2", "GET /")
        + &wet_record("conversion", "http://a.example/3", "第三页");
    let o = run(&off(&["--format", "warc"]), wet.as_bytes());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["url"], "http://a.example/1");
    assert_eq!(lines[0]["text"], "第一页\n正文");
    assert_eq!(lines[0]["date"], "2024-07-26T01:02:03Z");
    assert!(lines[0]["id"].as_str().unwrap().starts_with("<urn:uuid:"));
    assert_eq!(lines[1]["text"], "第三页");
}

#[test]
fn warc_per_record_gzip_members_and_malformed_records() {
    let mut data = gzip(wet_record("conversion", "http://a/1", "一").as_bytes());
    data.extend(gzip(
        b"WARC/1.0\r\nWARC-Type: conversion\r\n\r\nno length\r\n\r\n",
    ));
    data.extend(gzip(
        wet_record("conversion", "http://a/2", "二").as_bytes(),
    ));
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "x.warc.wet.gz", &data);
    let o = Command::new(BIN).args(OFF).arg(&p).output().unwrap();
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("http://a/1") && out.contains("http://a/2"));
    assert!(
        stderr(&o).contains("malformed WARC record"),
        "{}",
        stderr(&o)
    );
}

// ---------------------------------------------------------------- compression

#[test]
fn gzip_and_zstd_input_by_magic_bytes_and_compressed_output() {
    let input = b"{\"text\":\"abc\"}\n{\"text\":\"def\"}\n";
    let dir = tempfile::tempdir().unwrap();
    let zst = zstd::encode_all(&input[..], 3).unwrap();
    for data in [gzip(input), zst] {
        // Names without telling extensions: the magic bytes decide.
        let p = write(dir.path(), "shard.bin", &data);
        let o = Command::new(BIN)
            .args(OFF)
            .args(["--format", "jsonl", &p])
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(o.stdout, input);
    }
    for ext in ["gz", "zst"] {
        let out = dir.path().join(format!("out.jsonl.{ext}"));
        let o = run(&off(&["-o", out.to_str().unwrap()]), input);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let raw = std::fs::read(&out).unwrap();
        let mut back = Vec::new();
        if ext == "gz" {
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut back)
                .unwrap();
        } else {
            back = zstd::decode_all(&raw[..]).unwrap();
        }
        assert_eq!(back, input);
    }
}

#[test]
fn truncated_gzip_names_file_and_offset_and_keeps_earlier_output() {
    let mut input = String::new();
    for i in 0..100_000 {
        input.push_str(&format!("{{\"text\":\"line {i} {}\"}}\n", i * 7919 % 10007));
    }
    let gz = gzip(input.as_bytes());
    let cut = &gz[..gz.len() * 2 / 3];
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "cut.jsonl.gz", cut);
    let o = Command::new(BIN).args(OFF).arg(&p).output().unwrap();
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("cut.jsonl.gz") && err.contains("byte"),
        "{err}"
    );
    let out = stdout(&o);
    assert!(out.lines().count() > 1000, "earlier records were written");
    assert!(
        input.starts_with(&out),
        "only whole, unchanged lines before the damage"
    );
}

/// A text file is one document. One cut inside its last character (a truncated download,
/// `head -c`, the part of a damaged gzip stream before the damage) made it invalid
/// UTF-8, and detection read the whole file as windows-1252: every CJK line mojibake.
#[test]
fn text_file_cut_inside_a_character_stays_readable() {
    let input: String = (0..2_000)
        .map(|i| format!("第{i}行：我们今天在北京召开了一次会议。\n"))
        .collect();
    let cut = input.len() - 2; // inside the last `。`
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "cut.txt", &input.as_bytes()[..cut]);
    let o = Command::new(BIN)
        .args(off(&["--format", "text"]))
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let whole = &input[..input.len() - 4];
    assert_eq!(
        out.strip_prefix(whole),
        Some("\u{FFFD}\n"),
        "{:?}",
        out.chars().take(40).collect::<String>()
    );
}

// ---------------------------------------------------------------- exit codes and I/O

#[test]
fn usage_and_io_failures_exit_2_with_a_message() {
    let o = run(&["--no-such-flag"], b"");
    assert_eq!(code(&o), 2);
    let o = run(&["/no/such/file.jsonl"], b"");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("/no/such/file.jsonl"));
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[dir.path().to_str().unwrap()], b"");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("directory"));
    let o = run(&["--format", "xml"], b"");
    assert_eq!(code(&o), 2);
}

/// A file that opens but cannot be read: `/proc/self/mem` (the reading process's own
/// memory) fails with EIO at offset 0. Tests run as root here, so a `chmod 000` file would
/// still be readable; this is the unreadable file that root cannot read either.
#[test]
fn unreadable_file_exits_2_naming_it() {
    if !Path::new("/proc/self/mem").exists() {
        return;
    }
    for format in ["text", "jsonl", "warc"] {
        let o = run(&["--format", format, "/proc/self/mem"], b"");
        assert_eq!(code(&o), 2, "{format}");
        assert!(stderr(&o).contains("/proc/self/mem"), "{format}");
        assert!(stdout(&o).is_empty(), "{format}");
    }
    let good = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(good.path(), b"{\"text\":\"a\"}\n").unwrap();
    let o = run(
        &off(&[
            "--format",
            "jsonl",
            good.path().to_str().unwrap(),
            "/proc/self/mem",
        ]),
        b"",
    );
    assert_eq!(code(&o), 2);
    assert_eq!(
        stdout(&o),
        "{\"text\":\"a\"}\n",
        "the readable file before it is written"
    );
}

#[test]
fn write_error_exits_2_with_a_message() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let o = run(
        &off(&["--format", "jsonl", "-o", "/dev/full"]),
        b"{\"text\":\"a\"}\n",
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("/dev/full"), "{}", stderr(&o));
}

#[test]
fn closed_stdout_ends_quietly_with_status_0() {
    let mut input = String::new();
    for i in 0..300_000 {
        input.push_str(&format!("{{\"text\":\"line {i}\"}}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "big.jsonl", input.as_bytes());
    for j in ["1", "2"] {
        let mut child = Command::new(BIN)
            .args(["-j", j, &p])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(code(&o), 0, "-j {j}");
        assert_eq!(stderr(&o), "", "-j {j}: quiet");
    }
}

#[test]
fn help_teaches_and_generate_renders_man_and_completions() {
    let o = run(&["--help"], b"");
    assert_eq!(code(&o), 0);
    let help = stdout(&o);
    for needle in [
        "--format",
        "--field",
        "--no-repair",
        "--convert",
        "Examples:",
        "Exit status",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
    let o = run(&["--generate", "man"], b"");
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains(".TH zhclean"));
    for sh in ["bash", "zsh", "fish"] {
        let o = run(&["--generate", sh], b"");
        assert_eq!(code(&o), 0);
        assert!(stdout(&o).contains("zhclean"));
    }
}

#[test]
fn report_has_one_line_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let rep = dir.path().join("r.jsonl");
    let o = run(
        &off(&["--format", "jsonl", "--report", rep.to_str().unwrap()]),
        b"{\"text\":\"a\"}\n{\"text\":\"b\"}\nbad\n{\"text\":\"c\"}\n",
    );
    assert_eq!(code(&o), 1);
    let rep = std::fs::read_to_string(rep).unwrap();
    let records: Vec<u64> = rep
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["record"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(records, [1, 2, 4]);
}

#[test]
fn stats_summary_goes_to_stderr_only() {
    let o = run(
        &off(&["--format", "jsonl", "--stats"]),
        b"{\"text\":\"a\"}\n",
    );
    assert_eq!(stdout(&o), "{\"text\":\"a\"}\n");
    assert!(stderr(&o).contains("1 documents"), "{}", stderr(&o));
    assert!(stderr(&o).contains("MB/s"));
}

#[test]
fn line_buffered_answers_each_record_before_the_next_arrives() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(BIN)
        .args(OFF)
        .args(["--format", "jsonl", "--line-buffered", "-j", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut inp = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    for i in 0..3 {
        let rec = format!("{{\"text\":\"doc {i}\"}}\n");
        inp.write_all(rec.as_bytes()).unwrap();
        inp.flush().unwrap();
        let mut answer = String::new();
        out.read_line(&mut answer).unwrap(); // would hang if zhclean waited for a full batch
        assert_eq!(answer, rec);
    }
    drop(inp);
    assert!(child.wait().unwrap().success());
}

#[test]
fn explain_prints_each_stage_instead_of_output() {
    let o = run(
        &["--format", "jsonl", "--explain"],
        b"{\"text\":\"line one\\nline two\"}\nbad\n",
    );
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("=== <stdin>: record 1"), "{out}");
    assert!(out.contains("repair") && out.contains("convert"), "{out}");
    assert!(
        out.contains("| line one") && out.contains("| line two"),
        "{out}"
    );
    assert!(
        !out.contains("bad"),
        "problem lines are reported on stderr only"
    );
}

/// `--explain` ran the three stages by hand and left out the settle round (converted
/// text repaired again): it said "nothing to repair" of a document whose output the
/// round changed. The junk line is our text in UTF-8 read as Big5 (see
/// `tests/properties.rs`, `settle_junk`), after a traditional line that makes
/// `auto2s` choose `tw2s`.
#[test]
fn explain_shows_the_settle_round_and_the_chosen_configuration() {
    let junk = damage::utf8_read_as_big5("请大家非常简洁吗？");
    let doc = format!("這本書的作者十分著名，讀者遍佈全台灣。\n{junk}\n");
    let o = run(
        &["--format", "text", "--no-strip", "--explain"],
        doc.as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("\nsettle   ["), "{out}");
    assert!(out.contains("(auto2s: tw2s)"), "{out}");
}

// ---------------------------------------------------------------- bad input

#[test]
fn truncated_zstd_exits_2_after_writing_what_came_before() {
    let mut input = String::new();
    for i in 0..100_000 {
        input.push_str(&format!("{{\"text\":\"line {i} {}\"}}\n", i * 7919 % 10007));
    }
    let z = zstd::encode_all(input.as_bytes(), 3).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "cut.jsonl.zst", &z[..z.len() / 2]);
    let o = Command::new(BIN).args(OFF).arg(&p).output().unwrap();
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("cut.jsonl.zst") && err.contains("zstd"),
        "{err}"
    );
    assert!(input.starts_with(&stdout(&o)));
}

#[test]
fn invalid_utf8_in_text_and_warc_is_decoded_not_fatal() {
    // Mostly UTF-8 with one stray byte: decoded (as UTF-8 or a guess), never an error.
    let o = run(&off(&["--format", "text"]), b"abc \xFF def\n");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("abc") && stdout(&o).contains("def"));
    let mut rec = wet_record("conversion", "http://x/", "0123456789").into_bytes();
    let body = rec.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    rec[body + 3] = 0xFF;
    let o = run(&off(&["--format", "warc"]), &rec);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["text"].as_str().unwrap().chars().count(), 10);
}

#[test]
fn a_million_tiny_records_stay_aligned() {
    let mut input = String::with_capacity(20_000_000);
    for i in 0..1_000_000 {
        input.push_str(&format!("{{\"text\":\"{i}\"}}\n"));
    }
    let o = run(&off(&["--format", "jsonl", "-j", "2"]), input.as_bytes());
    assert_eq!(code(&o), 0);
    assert!(o.stdout == input.as_bytes());
}

#[test]
fn a_long_line_without_newline_is_one_record() {
    let text = "中文".repeat(2_000_000);
    let input = format!("{{\"text\":\"{text}\"}}");
    let o = run(&off(&["--format", "jsonl"]), input.as_bytes());
    assert_eq!(code(&o), 0);
    assert_eq!(o.stdout.len(), input.len() + 1);
}

/// Issue #7's bad-input case: a 200 MB JSONL line with no newline anywhere, every stage
/// on. Streamed in and out (the test never holds the whole input or output): exactly
/// one record comes back, converted, with its other field intact, and exit 0.
#[test]
fn a_200_mb_line_without_newlines_goes_through_every_stage() {
    const UNIT: &str = "今天天氣很好，我們一起去公園散步，順便看看新開的圖書館。";
    const MB: usize = 200;
    const PREFIX: &str = "{\"id\":7,\"text\":\"";
    const SUFFIX: &str = "\",\"z\":[1,2]}";
    let reps = MB * 1_000_000 / UNIT.len() + 1;
    let mut child = spawn(&["--format", "jsonl", "--field", "text"]);
    let mut inp = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        inp.write_all(PREFIX.as_bytes()).unwrap();
        let chunk = UNIT.repeat(10_000);
        let mut left = reps;
        while left > 0 {
            let n = left.min(10_000);
            inp.write_all(&chunk.as_bytes()[..n * UNIT.len()]).unwrap();
            left -= n;
        }
        inp.write_all(SUFFIX.as_bytes()).unwrap();
    });
    let mut out = child.stdout.take().unwrap();
    let (mut bytes, mut newlines) = (0usize, 0usize);
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = out.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        bytes += n;
        newlines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        if head.len() < 64 {
            head.extend_from_slice(&buf[..n.min(64)]);
        }
        tail.extend_from_slice(&buf[..n]);
        if tail.len() > 4096 {
            tail.drain(..tail.len() - 64);
        }
    }
    feeder.join().unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert_eq!(newlines, 1, "one record out");
    let simplified = "今天天气很好，我们一起去公园散步，顺便看看新开的图书馆。";
    let expected = PREFIX.len() + reps * simplified.len() + SUFFIX.len() + 1;
    assert_eq!(bytes, expected, "the whole text came back");
    let head = String::from_utf8_lossy(&head);
    assert!(
        head.starts_with("{\"id\":7,\"text\":\"今天天气很好"),
        "{head}"
    );
    assert!(tail.ends_with("图书馆。\",\"z\":[1,2]}\n".as_bytes()));
}

#[test]
fn warc_lines_recurring_across_a_sites_pages_are_dropped_deterministically() {
    let articles = [
        "今天上午，市图书馆举行了新馆开放仪式，数百名市民排队入场参观，馆内新增了儿童阅读区和自习室。",
        "本周末全市将迎来一次明显降温过程，气象部门提醒市民注意添衣保暖，出行时注意交通安全。",
        "新建的城市公园昨天正式对外开放，园内种植了上千棵树木，还建有步道和运动场地，吸引了许多市民。",
        "市农业部门介绍，今年全市粮食喜获丰收，总产量比去年增长百分之五，农民收入也有所提高。",
    ];
    let footer =
        "本站所有文章均经过编辑审核，欢迎广大读者提出宝贵意见和建议，我们将认真对待每一条反馈。";
    let mut wet = String::new();
    for (i, a) in articles.iter().enumerate() {
        let body = format!(
            "{a}\n{}\n{footer}",
            a.replace('。', "，这一消息引起了广泛关注。")
        );
        wet += &wet_record("conversion", &format!("http://news.example.com/{i}"), &body);
    }
    let count = |o: &Output| stdout(o).matches("本站所有文章").count();
    let j1 = run(
        &["--no-convert", "--format", "warc", "-j", "1"],
        wet.as_bytes(),
    );
    let j2 = run(
        &["--no-convert", "--format", "warc", "-j", "2"],
        wet.as_bytes(),
    );
    assert_eq!(code(&j1), 0, "{}", stderr(&j1));
    assert_eq!(j1.stdout, j2.stdout, "independent of -j");
    assert_eq!(
        count(&j1),
        2,
        "kept on the first two pages, dropped once seen twice"
    );
    let off = run(
        &["--no-convert", "--format", "warc", "--no-cross-doc"],
        wet.as_bytes(),
    );
    assert_eq!(count(&off), 4);
}
