//! SQLite databases: every table, every row, read-only, from the private
//! copy the scan made of the file (SQLite never opens the evidence itself).
//!
//! One record = one row. A table's columns are its header; a row's place
//! is `table T, rowid N` (`table T, row N`, the ordinal, for a table
//! `WITHOUT ROWID` or whose rowids go below 1). A column that is the
//! table's `INTEGER PRIMARY KEY` is the rowid under another name: a
//! surrogate key, not personal information.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::rows::{RowSink, Stop, TableHead};
use crate::decode::{self, FieldDecoding};
use crate::model::Place;

/// Reads every table of the database at `path` (sorted by name) into
/// `sink`; a table that cannot be read, or whose rows stop being readable
/// (a damaged page), is an error at that place, and the next table is read.
pub fn read(path: &Path, sink: &dyn RowSink) -> Result<(), Stop> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let db = match Connection::open_with_flags(path, flags) {
        Ok(db) => db,
        Err(e) => return sink.error(Place::Whole, format!("SQLite: {e}")),
    };
    // The copy is read through the page cache's map, not read() calls.
    let _ = db.pragma_update(None, "mmap_size", 1i64 << 40);
    let tables = match tables(&db) {
        Ok(t) => t,
        Err(e) => {
            return sink.error(
                Place::Whole,
                format!("SQLite: its list of tables is not readable: {e}"),
            )
        }
    };
    for (name, without_rowid) in tables {
        let head = match table_head(&db, &name, without_rowid) {
            Ok(h) => h,
            Err(e) => {
                sink.error(
                    Place::Sheet(format!("table {name}")),
                    format!("SQLite table not readable: {e}"),
                )?;
                continue;
            }
        };
        table_rows(&db, &head, sink)?;
    }
    Ok(())
}

/// The user tables and virtual tables (full-text indexes hold text of
/// their own), by name; not views (their rows are other tables' rows), not
/// the shadow tables behind virtual ones, not SQLite's own.
fn tables(db: &Connection) -> rusqlite::Result<Vec<(String, bool)>> {
    let mut st = db.prepare(
        "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' \
         AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         ORDER BY name",
    )?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?;
    rows.collect()
}

/// `"name"`, quoted for SQL.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn table_head(db: &Connection, name: &str, without_rowid: bool) -> rusqlite::Result<TableHead> {
    let mut st = db.prepare(&format!(
        "SELECT name, type, pk FROM pragma_table_info({})",
        quoted_literal(name)
    ))?;
    let info: Vec<(String, String, i64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let columns: Vec<String> = info.iter().map(|(n, _, _)| n.clone()).collect();
    // A single-column primary key declared exactly `INTEGER` is the rowid.
    let keys: Vec<usize> = (0..info.len()).filter(|&i| info[i].2 > 0).collect();
    let surrogate = match keys.as_slice() {
        [k] if !without_rowid && info[*k].1.eq_ignore_ascii_case("INTEGER") => vec![*k as u32],
        _ => Vec::new(),
    };
    // The rowid by one of its names no column has taken; rowids below 1
    // (possible, rare) are numbered by ordinal instead.
    let by_rowid = match rowid_name(&columns).filter(|_| !without_rowid) {
        Some(alias) => {
            let min: Option<i64> = db.query_row(
                &format!("SELECT min({alias}) FROM {}", quoted(name)),
                [],
                |r| r.get(0),
            )?;
            min.is_none_or(|m| m >= 1)
        }
        None => false,
    };
    Ok(TableHead {
        name: name.to_string(),
        columns,
        surrogate,
        by_rowid,
    })
}

/// `'name'`, a string literal.
fn quoted_literal(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// A name of the rowid that is not also a column's.
fn rowid_name(columns: &[String]) -> Option<&'static str> {
    ["_rowid_", "rowid", "oid"]
        .into_iter()
        .find(|a| !columns.iter().any(|c| c.eq_ignore_ascii_case(a)))
}

/// The rows of one table, in batches, into the sink.
fn table_rows(db: &Connection, head: &TableHead, sink: &dyn RowSink) -> Result<(), Stop> {
    let select = match rowid_name(&head.columns).filter(|_| head.by_rowid) {
        Some(alias) => format!("SELECT {alias}, * FROM {}", quoted(&head.name)),
        None => format!("SELECT NULL, * FROM {}", quoted(&head.name)),
    };
    let place = |row: u64| Place::Row {
        prefix: head.prefix().into(),
        row,
    };
    let mut st = match db.prepare(&select) {
        Ok(st) => st,
        Err(e) => return sink.error(place(1), format!("SQLite table not readable: {e}")),
    };
    let mut rows = match st.query([]) {
        Ok(rows) => rows,
        Err(e) => return sink.error(place(1), format!("SQLite table not readable: {e}")),
    };
    let max_record = sink.max_record();
    let mut failure = None;
    let mut ordinal = 0u64;
    let mut iter = std::iter::from_fn(|| {
        if failure.is_some() {
            return None;
        }
        match rows.next() {
            Ok(Some(row)) => {
                ordinal += 1;
                let n = match row.get_ref(0) {
                    Ok(ValueRef::Integer(id)) if head.by_rowid => {
                        u64::try_from(id).unwrap_or(ordinal)
                    }
                    _ => ordinal,
                };
                let mut cells = Vec::new();
                let mut bytes = 0;
                for c in 0..head.columns.len() {
                    let value = match row.get_ref(c + 1) {
                        Ok(v) => v,
                        Err(e) => {
                            // not counted: the row could not be read whole
                            failure = Some((ordinal - 1, e));
                            return None;
                        }
                    };
                    if let Some(text) = cell_text(value) {
                        bytes += text.len();
                        if bytes > max_record {
                            break;
                        }
                        cells.push((c as u32, text));
                    }
                }
                Some((n, cells))
            }
            Ok(None) => None,
            Err(e) => {
                failure = Some((ordinal, e));
                None
            }
        }
    });
    sink.table(head, &mut iter)?;
    if let Some((read, e)) = failure {
        sink.error(
            place(read + 1),
            format!("SQLite table not readable past here ({read} rows read): {e}"),
        )?;
    }
    Ok(())
}

/// A value as text: integers in full (a mobile stored as an integer is the
/// same identifier as the string), reals as a spreadsheet shows them, text
/// decoded (UTF-8, else GB18030), a BLOB when it is text; NULL is nothing.
fn cell_text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(super::workbook::number_text(f)),
        ValueRef::Text(b) => Some(decode::field(FieldDecoding::Utf8, b).0.into_owned()),
        ValueRef::Blob(b) => {
            let text = std::str::from_utf8(b).ok()?;
            let control = text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
            (!control && !text.trim().is_empty()).then(|| text.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_text() {
        assert_eq!(cell_text(ValueRef::Null), None);
        assert_eq!(
            cell_text(ValueRef::Integer(13812345678)).as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            cell_text(ValueRef::Real(13812345678.0)).as_deref(),
            Some("13812345678")
        );
        assert_eq!(cell_text(ValueRef::Real(1.5)).as_deref(), Some("1.5"));
        assert_eq!(
            cell_text(ValueRef::Text("张伟".as_bytes())).as_deref(),
            Some("张伟")
        );
        // GBK text in a TEXT column
        assert_eq!(
            cell_text(ValueRef::Text(b"\xd5\xc5\xce\xb0")).as_deref(),
            Some("张伟")
        );
        assert_eq!(
            cell_text(ValueRef::Blob("联系人 13812345678".as_bytes())).as_deref(),
            Some("联系人 13812345678")
        );
        assert_eq!(cell_text(ValueRef::Blob(b"\x89PNG\r\n\x1a\n\0\0")), None);
        assert_eq!(cell_text(ValueRef::Blob(b"  ")), None);
    }

    #[test]
    fn names_quoted_and_the_rowid_by_a_free_name() {
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
        assert_eq!(quoted_literal("o'k"), "'o''k'");
        let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(rowid_name(&cols(&["id", "name"])), Some("_rowid_"));
        assert_eq!(rowid_name(&cols(&["_ROWID_", "name"])), Some("rowid"));
        assert_eq!(rowid_name(&cols(&["_rowid_", "rowid", "oid"])), None);
    }

    /// Tables in name order, views and SQLite's own tables left out, an
    /// INTEGER PRIMARY KEY a surrogate key, a negative rowid numbered by
    /// ordinal.
    #[test]
    fn the_tables_and_their_heads() {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(
            "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT);
             CREATE TABLE a (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
             CREATE TABLE c (id INT PRIMARY KEY, v TEXT);
             CREATE TABLE d (v TEXT);
             INSERT INTO d (rowid, v) VALUES (-5, 'x');
             CREATE VIEW e AS SELECT * FROM b;
             CREATE INDEX bi ON b (v);
             ANALYZE;",
        )
        .unwrap();
        let t = tables(&db).unwrap();
        let names: Vec<&str> = t.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        assert!(t[0].1, "a is WITHOUT ROWID");
        let b = table_head(&db, "b", false).unwrap();
        assert_eq!((b.surrogate.as_slice(), b.by_rowid), (&[0u32][..], true));
        assert_eq!(b.prefix(), "table b, rowid ");
        // `INT PRIMARY KEY` is not the rowid: an ordinary column
        assert!(table_head(&db, "c", false).unwrap().surrogate.is_empty());
        let a = table_head(&db, "a", true).unwrap();
        assert_eq!((a.surrogate.len(), a.by_rowid), (0, false));
        assert_eq!(a.prefix(), "table a, row ");
        assert!(!table_head(&db, "d", false).unwrap().by_rowid);
    }
}
