//! The formats the record readers know.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Delimited values with a single-byte delimiter (CSV, TSV, `|`, `;`).
    Csv { delimiter: u8 },
    /// Leak-style lines split on mixed separators (`----`, `|`, tabs, commas, spaces).
    Text,
    /// One JSON value per line.
    JsonLines,
    /// A JSON array of objects, or a stream of top-level JSON objects.
    Json,
    /// An SQL dump: INSERT tuples and COPY data lines.
    Sql,
    /// MongoDB's BSON (`mongodump`): length-prefixed documents one after
    /// the other, framed by their reader, not as text.
    Bson,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Csv { delimiter: b'\t' } => "tsv",
            Format::Csv { .. } => "csv",
            Format::Text => "text",
            Format::JsonLines => "jsonl",
            Format::Json => "json",
            Format::Sql => "sql",
            Format::Bson => "bson",
        }
    }

    /// `--format` values.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "csv" => Format::Csv { delimiter: b',' },
            "tsv" => Format::Csv { delimiter: b'\t' },
            "text" | "txt" => Format::Text,
            "jsonl" | "ndjson" => Format::JsonLines,
            "json" => Format::Json,
            "sql" => Format::Sql,
            _ => return None,
        })
    }

    /// Whether framing this format on GBK bytes could mistake a trail byte
    /// for structure (`\\ [ ] { } |` are GBK trail bytes; `, ; " \t \n` are
    /// not), so the stream must be transcoded first.
    pub fn needs_utf8_framing(self) -> bool {
        match self {
            Format::Json | Format::JsonLines | Format::Sql => true,
            Format::Csv { delimiter } => delimiter >= 0x40,
            Format::Text | Format::Bson => false,
        }
    }

    /// Whether the format's first record may be a header row.
    pub fn has_header_row(self) -> bool {
        matches!(self, Format::Csv { .. })
    }
}
