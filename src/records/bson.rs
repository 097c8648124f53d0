//! MongoDB BSON (`mongodump`'s `.bson` files): documents one after the
//! other, each prefixed by its length. A chunk holds whole documents, cut
//! by the reader (`Framer` is for text); a document is a record, its
//! nested documents and arrays flattened to dotted paths as for JSON.
//!
//! A top-level `_id` that is an ObjectId is the database's surrogate key,
//! not personal information; any other `_id` (a phone number used as a
//! key) is a field like the others.

use bson::{RawArray, RawBsonRef, RawDocument};

use super::record::{Column, Position, RecordBuf, RecordError, RecordSink};

/// The smallest document: its length and its terminating NUL.
pub const MIN_DOCUMENT: usize = 5;

/// The length a document's first four bytes declare, if `head` holds them.
pub fn declared_len(head: &[u8]) -> Option<usize> {
    let b: [u8; 4] = head.get(..4)?.try_into().ok()?;
    usize::try_from(i32::from_le_bytes(b)).ok()
}

/// Whether `head` opens with a whole, valid BSON document (every element
/// readable), or — when the first document is longer than `head` and the
/// name says `.bson` — with a plausible one.
pub fn looks_like_bson(head: &[u8], named_bson: bool) -> bool {
    let Some(len) = declared_len(head) else {
        return false;
    };
    if len < MIN_DOCUMENT {
        return false;
    }
    match head.get(..len) {
        Some(doc) => {
            len > MIN_DOCUMENT
                && RawDocument::from_bytes(doc).is_ok_and(|d| d.iter().all(|e| e.is_ok()))
        }
        None => named_bson && head.get(4).is_some_and(|&t| is_element_type(t)),
    }
}

/// A BSON element type byte.
fn is_element_type(t: u8) -> bool {
    matches!(t, 0x01..=0x13 | 0x7f | 0xff)
}

/// The documents of a chunk (whole ones: the reader cut it), each a record
/// at (its index in the chunk, its byte offset in the chunk).
pub fn parse(chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
    let mut at = 0usize;
    let mut n = 0u64;
    while let Some(len) = chunk.get(at..).and_then(declared_len) {
        let pos = Position {
            line: n,
            offset: at as u64,
        };
        let Some(doc) = chunk
            .get(at..at.saturating_add(len))
            .filter(|_| len >= MIN_DOCUMENT)
        else {
            // The reader only cuts whole documents; this is past them.
            sink.error(pos, RecordError::Bson("document cut short".into()));
            return;
        };
        rec.clear();
        match RawDocument::from_bytes(doc) {
            Ok(d) => {
                let mut path = String::new();
                if let Err(e) = flatten_doc(d, &mut path, true, &mut rec) {
                    sink.error(pos, RecordError::Bson(e.to_string()));
                }
            }
            Err(e) => sink.error(pos, RecordError::Bson(e.to_string())),
        }
        if !rec.is_blank() {
            sink.record(pos, &rec);
        }
        at += len;
        n += 1;
    }
}

/// Adds the elements of a document at `path` (dotted) to the record.
fn flatten_doc(
    doc: &RawDocument,
    path: &mut String,
    top: bool,
    rec: &mut RecordBuf,
) -> bson::error::Result<()> {
    for element in doc {
        let (key, value) = element?;
        if top && key.as_str() == "_id" && matches!(value, RawBsonRef::ObjectId(_)) {
            continue;
        }
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key.as_str());
        let done = value_into(value, path, rec);
        path.truncate(len);
        done?;
    }
    Ok(())
}

fn flatten_array(
    array: &RawArray,
    path: &mut String,
    rec: &mut RecordBuf,
) -> bson::error::Result<()> {
    for (i, value) in array.into_iter().enumerate() {
        let value = value?;
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(&i.to_string());
        let done = value_into(value, path, rec);
        path.truncate(len);
        done?;
    }
    Ok(())
}

/// One value at `path`: scalars as text (numbers in full, dates as RFC
/// 3339, ObjectIds in hex, binary data when it is text), containers
/// flattened; null, code, regular expressions and the like are no value.
fn value_into(
    value: RawBsonRef<'_>,
    path: &mut String,
    rec: &mut RecordBuf,
) -> bson::error::Result<()> {
    let text = match value {
        RawBsonRef::Document(d) => return flatten_doc(d, path, false, rec),
        RawBsonRef::Array(a) => return flatten_array(a, path, rec),
        RawBsonRef::String(s) | RawBsonRef::Symbol(s) => s.to_string(),
        RawBsonRef::Int32(i) => i.to_string(),
        RawBsonRef::Int64(i) => i.to_string(),
        RawBsonRef::Double(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.0}")
            } else {
                f.to_string()
            }
        }
        RawBsonRef::Decimal128(d) => d.to_string(),
        RawBsonRef::Boolean(b) => b.to_string(),
        RawBsonRef::ObjectId(o) => o.to_hex(),
        RawBsonRef::DateTime(t) => t
            .try_to_rfc3339_string()
            .unwrap_or_else(|_| t.timestamp_millis().to_string()),
        RawBsonRef::Binary(b) => match std::str::from_utf8(b.bytes) {
            Ok(s)
                if !s
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) =>
            {
                s.to_string()
            }
            _ => return Ok(()),
        },
        _ => return Ok(()),
    };
    if path.is_empty() {
        rec.push(Column::None, &text);
    } else {
        rec.push_keyed(path, &text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{doc, oid::ObjectId};

    /// A record: document in the chunk, byte, (key, value) fields.
    type Doc = (u64, u64, Vec<(String, String)>);

    #[derive(Default)]
    struct Seen(Vec<Doc>, Vec<(u64, String)>);

    impl RecordSink for Seen {
        fn record(&mut self, pos: Position, r: &RecordBuf) {
            let fields = r
                .fields()
                .map(|(c, v)| (r.key_text(c).to_string(), v.to_string()))
                .collect();
            self.0.push((pos.line, pos.offset, fields));
        }
        fn error(&mut self, pos: Position, e: RecordError) {
            self.1.push((pos.line, e.to_string()));
        }
    }

    fn bytes(d: &bson::Document) -> Vec<u8> {
        let mut out = Vec::new();
        d.to_writer(&mut out).unwrap();
        out
    }

    #[test]
    fn documents_flatten_like_json() {
        let a = bytes(&doc! {
            "_id": ObjectId::parse_str("5f1d7f3e9b1e8a3c4d5e6f70").unwrap(),
            "name": "张伟",
            "phone": 13812345678i64,
            "born": bson::DateTime::from_millis(636_768_000_000),
            "addr": { "city": "北京", "tags": ["a", 7i32] },
            "score": 1.5,
            "ok": true,
            "none": bson::Bson::Null,
        });
        let b = bytes(&doc! { "_id": "13912345678" });
        let chunk = [a.clone(), b].concat();
        let mut seen = Seen::default();
        parse(&chunk, &mut seen);
        assert!(seen.1.is_empty(), "{:?}", seen.1);
        let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            seen.0,
            [
                (
                    0,
                    0,
                    vec![
                        kv("name", "张伟"),
                        kv("phone", "13812345678"),
                        kv("born", "1990-03-07T00:00:00Z"),
                        kv("addr.city", "北京"),
                        kv("addr.tags.0", "a"),
                        kv("addr.tags.1", "7"),
                        kv("score", "1.5"),
                        kv("ok", "true"),
                    ]
                ),
                (1, a.len() as u64, vec![kv("_id", "13912345678")]),
            ]
        );
    }

    #[test]
    fn recognised_by_a_whole_valid_first_document() {
        let d = bytes(&doc! { "name": "张伟" });
        assert!(looks_like_bson(&d, false));
        assert!(!looks_like_bson(&d[..d.len() - 1], false));
        assert!(
            looks_like_bson(&d[..8], true),
            "longer than the sample, named .bson"
        );
        assert!(!looks_like_bson(b"name,phone\n", false));
        assert!(
            !looks_like_bson(&[5, 0, 0, 0, 0], false),
            "an empty document alone"
        );
        let mut bad = d.clone();
        bad[4] = 0x42;
        assert!(!looks_like_bson(&bad, false));
    }

    #[test]
    fn a_damaged_document_keeps_its_elements_before_the_damage() {
        let mut d = bytes(&doc! { "name": "张伟", "phone": "13812345678" });
        // the second element's type byte
        let at = 4 + 1 + "name".len() + 1 + 4 + "张伟".len() + 1;
        d[at] = 0x42;
        let mut seen = Seen::default();
        parse(&d, &mut seen);
        assert_eq!(seen.1.len(), 1);
        assert_eq!(seen.0[0].2, [("name".to_string(), "张伟".to_string())]);
    }
}
