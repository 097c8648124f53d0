//! The case-file report as a list of blocks: what `casefile` says, in
//! order, and what the HTML and Markdown writers format.

use crate::model::Level;

/// One block of the case-file report.
#[derive(Debug)]
pub enum Block {
    Title {
        title: String,
        subtitle: String,
    },
    Heading(String),
    Subheading(String),
    Para(String),
    List(Vec<String>),
    /// One article's verdict, highlighted by level.
    Verdict {
        level: Level,
        title: String,
        rows: Vec<(String, String)>,
    },
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Right-aligned (numeric) columns.
        numeric: Vec<bool>,
        /// Columns in a small monospace font (hashes, paths).
        mono: Vec<bool>,
    },
    /// An inline SVG chart (built by `chart` from numbers and escaped text)
    /// under its caption.
    Chart {
        caption: String,
        svg: String,
    },
}
