//! JSONL records: find one string field in a JSON object line and splice a new value in.
