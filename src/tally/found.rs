//! What a scan found, before the law is applied: per input, per archive,
//! per record (the evidence table's rows and statuses) and the samples.
//! The driver (`scan`) fills it in; the report reads it.

use serde::{Deserialize, Serialize};

use super::Tally;
use crate::detect::validate::Reason;
use crate::input::{InputError, Skipped};
use crate::model::{Kind, Place};

/// Samples shown per kind in a report.
pub const SAMPLES: usize = 5;

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
    pub(crate) fn new() -> ScanOutput {
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

/// What the evidence table says of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Counted,
    Invalid,
    Duplicate,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Counted => "counted",
            Status::Invalid => "invalid",
            Status::Duplicate => "duplicate",
        }
    }
}

/// A record and where it is.
#[derive(Clone, Debug)]
pub struct Located<'a> {
    pub path: &'a str,
    pub place: &'a Place,
}

/// One row of the evidence table: one PI record (in each recipient group
/// its file belongs to, so the rows add up to `totals.pi_records`).
#[derive(Debug)]
pub struct EvidenceRow<'a> {
    pub at: Located<'a>,
    pub kind: Kind,
    pub status: Status,
    /// For a duplicate: the first occurrence of its dedup key in its group.
    pub first: Option<Located<'a>>,
    /// For an invalid record: why.
    pub reason: Option<Reason>,
    /// The dedup key of a valid record (xxh3-128 of the kind and the
    /// normalised PI values).
    pub key: Option<u128>,
    /// The recipient group, when the case file names recipients.
    pub recipient: Option<&'a str>,
    /// `id=value; …`, masked unless `--reveal`.
    pub identifiers: &'a str,
}

/// Where evidence rows go (`report::evidence` writes them as CSV, JSON
/// Lines or Parquet).
pub trait EvidenceSink {
    fn row(&mut self, row: &EvidenceRow) -> std::io::Result<()>;
}

/// A sample record of a kind, for the report (always masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub path: String,
    /// Shown as the reports show a place.
    #[serde(serialize_with = "crate::model::as_display")]
    pub position: Place,
    pub status: Status,
    /// For a duplicate: the number (1-based) of the sample it repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<usize>,
    pub identifiers: String,
}
