//! WARC 1.0/1.1 record framing.
