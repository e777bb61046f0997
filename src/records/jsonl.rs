//! JSONL records: find one string field in a JSON object line and splice a new value in.
//!
//! Everything outside the field's value — other fields, key order, whitespace, number
//! spellings, `\u` escapes elsewhere — is kept byte for byte. Only the field's string
//! literal is replaced, re-escaped the way `serde_json` writes strings (UTF-8 kept as is;
//! `"`, `\` and control characters escaped).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::json_scan;

/// Why a line's field could not be taken. The line then passes through unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// The line is not valid JSON, or valid JSON that is not an object.
    NotObject(String),
    /// The object (or an intermediate object on a dotted path) lacks the field.
    Missing,
    /// The field exists but is not a string (or an intermediate is not an object).
    NotString,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::NotObject(e) => write!(f, "not a JSON object: {e}"),
            FieldError::Missing => f.write_str("the field is missing"),
            FieldError::NotString => f.write_str("the field is not a string"),
        }
    }
}

/// A field path such as `text` or `meta.body` (dots separate nested keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    keys: Vec<String>,
}

impl FieldPath {
    /// Parses a dotted path. Empty segments are not allowed.
    pub fn parse(path: &str) -> Option<FieldPath> {
        let keys: Vec<String> = path.split('.').map(str::to_string).collect();
        if keys.iter().any(String::is_empty) {
            return None;
        }
        Some(FieldPath { keys })
    }

    /// The keys, outermost first.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }
}

/// The string field found in a line.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    /// Byte range of the string literal, quotes included, within the line.
    pub span: Range<usize>,
    /// The unescaped value (borrowed when the literal has no escapes).
    pub value: Cow<'a, str>,
}

/// Finds the string field at `path` in a JSON object `line` (without its newline).
///
/// When a key occurs more than once in an object, the first occurrence is used.
pub fn find_field<'a>(line: &'a [u8], path: &FieldPath) -> Result<Field<'a>, FieldError> {
    // One fast validation of the whole line; the parser then skips per-string checks.
    let line = simdutf8::basic::from_utf8(line)
        .map_err(|_| FieldError::NotObject("invalid UTF-8".to_string()))?;
    // The usual line: one strict pass finds the field. Whatever it is unsure of (invalid
    // JSON, a missing or non-string field, lone surrogates) is asked of serde_json below.
    if let Some(json_scan::Literal { span, escaped }) =
        json_scan::find_string(line.as_bytes(), &path.keys)
    {
        let inner = line.get(span.start + 1..span.end - 1).unwrap_or_default();
        let value = if escaped {
            json_scan::unescape(inner).map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(inner))
        };
        if let Some(value) = value {
            return Ok(Field { span, value });
        }
    }
    find_field_serde(line, path)
}

/// [`find_field`] by `serde_json` alone, on a line already known to be UTF-8: the path
/// that judges every line the fast scan is unsure of, and the reference the fast scan is
/// tested against (`tests/jsonl_scan.rs`).
#[doc(hidden)]
pub fn find_field_serde<'a>(line: &'a str, path: &FieldPath) -> Result<Field<'a>, FieldError> {
    let mut base = 0usize;
    let mut obj: &'a str = line;
    let last = path.keys.len() - 1;
    for (i, key) in path.keys.iter().enumerate() {
        let raw = match find_in_object(obj, key) {
            Ok(Some(raw)) => raw,
            Ok(None) => return Err(FieldError::Missing),
            Err(e) if i == 0 => return Err(FieldError::NotObject(e)),
            Err(_) => return Err(FieldError::NotString),
        };
        let s = raw.get();
        let start = base + (s.as_ptr() as usize - obj.as_ptr() as usize);
        if i == last {
            if !s.starts_with('"') {
                return Err(FieldError::NotString);
            }
            let inner = &s[1..s.len() - 1];
            let value = if memchr::memchr(b'\\', inner.as_bytes()).is_none() {
                Cow::Borrowed(inner) // no escapes: the literal's inside is the value
            } else {
                serde_json::from_str::<BorrowedStr<'a>>(s)
                    .map_err(|_| FieldError::NotString)?
                    .0
            };
            return Ok(Field {
                span: start..start + s.len(),
                value,
            });
        }
        if !s.starts_with('{') {
            return Err(FieldError::NotString);
        }
        base = start;
        obj = s;
    }
    unreachable!("a FieldPath has at least one key")
}

/// Writes `line` with the byte range `span` replaced by `value` as a JSON string literal.
pub fn splice(line: &[u8], span: Range<usize>, value: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(&line[..span.start]);
    write_json_str(value, out);
    out.extend_from_slice(&line[span.end..]);
}

/// Appends `s` as a JSON string literal, escaped byte for byte as `serde_json` escapes
/// strings (see [`json_scan::escape_into`]).
pub fn write_json_str(s: &str, out: &mut Vec<u8>) {
    json_scan::escape_into(s, out);
}

#[derive(Deserialize)]
struct BorrowedStr<'a>(#[serde(borrow)] Cow<'a, str>);

fn find_in_object<'a>(obj: &'a str, key: &str) -> Result<Option<&'a RawValue>, String> {
    let mut de = serde_json::Deserializer::from_str(obj);
    let found = FindKey { key }
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(found)
}

struct FindKey<'k> {
    key: &'k str,
}

impl<'de> DeserializeSeed<'de> for FindKey<'_> {
    type Value = Option<&'de RawValue>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FindKey<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(k) = map.next_key::<BorrowedStr<'de>>()? {
            if found.is_none() && k.0 == self.key {
                found = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> FieldPath {
        FieldPath::parse(p).unwrap()
    }

    fn replace(line: &str, p: &str, f: impl Fn(&str) -> String) -> Result<String, FieldError> {
        let field = find_field(line.as_bytes(), &path(p))?;
        let mut out = Vec::new();
        splice(line.as_bytes(), field.span, &f(&field.value), &mut out);
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn other_fields_and_order_are_kept_byte_for_byte() {
        let line = r#"{"id": 1.50, "text":"abc", "z":"\u4f60", "a" :[1, {"text":"x"}]}"#;
        assert_eq!(
            replace(line, "text", |s| s.to_uppercase()).unwrap(),
            r#"{"id": 1.50, "text":"ABC", "z":"\u4f60", "a" :[1, {"text":"x"}]}"#
        );
    }

    #[test]
    fn escapes_are_decoded_and_re_encoded() {
        let line = r#"{"text":"a\nb\"c\u4f60\\"}"#;
        let field = find_field(line.as_bytes(), &path("text")).unwrap();
        assert_eq!(field.value, "a\nb\"c你\\");
        assert_eq!(
            replace(line, "text", |s| s.to_string()).unwrap(),
            r#"{"text":"a\nb\"c你\\"}"#
        );
    }

    #[test]
    fn nested_path_reaches_inner_field() {
        let line = r#"{"meta": {"body": "x", "n": 2}, "body": "outer"}"#;
        assert_eq!(
            replace(line, "meta.body", |_| "y".into()).unwrap(),
            r#"{"meta": {"body": "y", "n": 2}, "body": "outer"}"#
        );
    }

    #[test]
    fn first_duplicate_key_wins() {
        let line = r#"{"text":"one","text":"two"}"#;
        assert_eq!(
            find_field(line.as_bytes(), &path("text")).unwrap().value,
            "one"
        );
    }

    #[test]
    fn problems_are_classified() {
        type Check = fn(&FieldError) -> bool;
        let cases: &[(&str, &str, Check)] = &[
            ("not json", "text", |e| {
                matches!(e, FieldError::NotObject(_))
            }),
            ("[1,2]", "text", |e| matches!(e, FieldError::NotObject(_))),
            (r#""str""#, "text", |e| {
                matches!(e, FieldError::NotObject(_))
            }),
            (r#"{"text":"a"} trailing"#, "text", |e| {
                matches!(e, FieldError::NotObject(_))
            }),
            (r#"{"text":"a""#, "text", |e| {
                matches!(e, FieldError::NotObject(_))
            }),
            (r#"{"id":1}"#, "text", |e| *e == FieldError::Missing),
            (r#"{"text":5}"#, "text", |e| *e == FieldError::NotString),
            (r#"{"text":null}"#, "text", |e| *e == FieldError::NotString),
            (r#"{"meta":"s"}"#, "meta.body", |e| {
                *e == FieldError::NotString
            }),
            (r#"{"meta":{}}"#, "meta.body", |e| *e == FieldError::Missing),
        ];
        for (line, p, ok) in cases {
            let err = find_field(line.as_bytes(), &path(p)).unwrap_err();
            assert!(ok(&err), "{line}: {err:?}");
        }
    }

    #[test]
    fn invalid_utf8_inside_string_is_not_an_object() {
        let line = b"{\"text\":\"a\xFFb\"}";
        assert!(matches!(
            find_field(line, &path("text")),
            Err(FieldError::NotObject(_))
        ));
    }

    #[test]
    fn trailing_carriage_return_is_whitespace() {
        let line = "{\"text\":\"a\"}\r";
        assert_eq!(
            replace(line, "text", |_| "b".into()).unwrap(),
            "{\"text\":\"b\"}\r"
        );
    }

    #[test]
    fn bad_paths_are_rejected() {
        assert!(FieldPath::parse("").is_none());
        assert!(FieldPath::parse("a..b").is_none());
        assert_eq!(path("a.b").keys(), ["a", "b"]);
    }
}
