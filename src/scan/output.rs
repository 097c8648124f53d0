//! What a scan produces, before the law is applied.

use serde::Serialize;

use super::evidence::Sample;
use crate::input::{InputError, Skipped};
use crate::model::Kind;
use crate::tally::Tally;

/// What the scan learnt about one input file.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct InputSummary {
    pub path: String,
    pub format: String,
    pub encoding: String,
    /// Compression layers read through (`gzip`, `zip`'s entries have none
    /// of their own), outermost first, joined by `+`.
    pub compression: Option<String>,
    pub bytes: u64,
    pub sha256: String,
    pub records: u64,
    pub errors: u64,
    /// The file a symbolic link leads to, when the input was named through one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symlink_to: Option<String>,
}

/// The result of a scan, before the law is applied.
#[derive(Debug)]
pub struct ScanOutput {
    pub inputs: Vec<InputSummary>,
    pub tally: Tally,
    pub errors: Vec<InputError>,
    pub skipped: Vec<Skipped>,
    /// Archives opened (their entries are inputs).
    pub archives: Vec<ArchiveSummary>,
    /// Per recipient group: (name, files, counted items).
    pub groups: Vec<(String, u64)>,
    /// Dedup entries written to disk past `--max-memory`, and in how many runs.
    pub spilled: (u64, u64),
    /// A failure that leaves the counts unknown (spilled keys unreadable).
    pub fatal: Option<String>,
    /// Per kind, the first valid records in scan order (masked).
    pub samples: [Vec<Sample>; Kind::COUNT],
    /// The evidence table was written whole (an error says why not).
    pub evidence_written: bool,
}

impl ScanOutput {
    /// Nothing scanned yet.
    pub(super) fn new() -> ScanOutput {
        ScanOutput {
            inputs: Vec::new(),
            tally: Tally::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
            archives: Vec::new(),
            groups: Vec::new(),
            spilled: (0, 0),
            fatal: None,
            samples: Default::default(),
            evidence_written: false,
        }
    }
}

/// An archive that was opened (the archive itself, not its entries).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ArchiveSummary {
    pub path: String,
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
    pub entries: u64,
}
