//! What the scan keeps of single records, so that every counted item can be
//! traced to its file and line: the evidence table (`--evidence`, one row
//! per PI record with its status) and the samples of the report.
//!
//! Workers note records with their chunk-relative position; the driver sees
//! the chunks in scan order, so "first occurrence" is decided here exactly as
//! SPEC §1.3 defines it: lowest file order, then lowest offset.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::Kind;

/// Samples shown per kind in a report.
pub const SAMPLES: usize = 5;

/// A PI record a worker noted: every one with `--evidence`, else only the
/// first valid ones of each kind in the chunk (sample candidates).
#[derive(Debug)]
pub(super) struct Noted {
    pub pos: crate::records::Position,
    pub kind: Kind,
    /// Why the record is invalid (its first failing identifier), if it is.
    pub invalid: Option<&'static str>,
    /// The dedup key of a valid record.
    pub key: u128,
    /// `id=value; …` for the evidence table, masked unless `--reveal`.
    pub values: String,
    /// `id=value; …`, masked, for the samples.
    pub masked: String,
    /// A sample candidate: among the first valid records of its kind in the chunk.
    pub sample: bool,
}

/// Where a record is, in its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A line of a text format; the byte offset where it is the file's own
    /// (not for a transcoded stream, whose offsets are of the UTF-8 text).
    Text { line: u64, byte: Option<u64> },
    /// A row of a sheet or a columnar file; `prefix` names the sheet.
    Row { prefix: Arc<str>, row: u64 },
}

impl Place {
    pub fn line(&self) -> Option<u64> {
        match self {
            Place::Text { line, .. } => Some(*line),
            Place::Row { .. } => None,
        }
    }

    pub fn byte(&self) -> Option<u64> {
        match self {
            Place::Text { byte, .. } => *byte,
            Place::Row { .. } => None,
        }
    }

    pub fn row(&self) -> Option<u64> {
        match self {
            Place::Text { .. } => None,
            Place::Row { row, .. } => Some(*row),
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Text {
                line,
                byte: Some(b),
            } => write!(f, "line {line}, byte {b}"),
            Place::Text { line, byte: None } => write!(f, "line {line}"),
            Place::Row { prefix, row } => write!(f, "{prefix}row {row}"),
        }
    }
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
    pub reason: Option<&'static str>,
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub path: String,
    pub position: String,
    pub status: Status,
    /// For a duplicate: the number (1-based) of the sample it repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<usize>,
    pub identifiers: String,
}

/// A sample with what decides its status.
struct Kept {
    sample: Sample,
    groups: Arc<[usize]>,
    key: u128,
}

/// The driver's side: decides the status of noted records in scan order,
/// keeps the samples, and hands evidence rows to the sink.
pub(super) struct Notes<'s> {
    sink: Option<&'s mut dyn EvidenceSink>,
    /// With evidence: the first occurrence of every (group, key).
    first_seen: HashMap<(usize, u128), (usize, Place)>,
    /// Per kind: the samples, with their groups and key.
    samples: [Vec<Kept>; Kind::COUNT],
    /// Evidence rows written per kind and status, checked against the tally.
    pub written: [[u64; 3]; Kind::COUNT],
    pub error: Option<String>,
}

impl<'s> Notes<'s> {
    pub fn new(sink: Option<&'s mut dyn EvidenceSink>) -> Self {
        Notes {
            sink,
            first_seen: HashMap::new(),
            samples: Default::default(),
            written: [[0; 3]; Kind::COUNT],
            error: None,
        }
    }

    pub fn evidence(&self) -> bool {
        self.sink.is_some()
    }

    /// Takes a chunk's noted records, in order.
    pub fn take(
        &mut self,
        inputs: &[super::InputSummary],
        input: usize,
        groups: &Arc<[usize]>,
        names: &[String],
        noted: Vec<Noted>,
        place: impl Fn(crate::records::Position) -> Place,
    ) {
        let path = inputs.get(input).map_or("", |i| i.path.as_str());
        for n in noted {
            let at = place(n.pos);
            if n.sample {
                self.sample(path, groups, &n, &at);
            }
            if self.sink.is_some() {
                self.write_row(inputs, input, groups, names, &n, at);
            }
        }
    }

    fn sample(&mut self, path: &str, groups: &Arc<[usize]>, n: &Noted, at: &Place) {
        let kept = &mut self.samples[n.kind.index()];
        if kept.len() >= SAMPLES {
            return;
        }
        // Any earlier record with the same key is valid, of the same kind and
        // earlier, so it is among the samples: the status is exact.
        let first_in = |g: &usize| {
            kept.iter()
                .position(|k| k.key == n.key && k.groups.contains(g))
        };
        let earlier: Vec<Option<usize>> = groups.iter().map(first_in).collect();
        let duplicate_of = if earlier.iter().all(Option::is_some) {
            earlier.iter().flatten().min().map(|i| i + 1)
        } else {
            None
        };
        kept.push(Kept {
            sample: Sample {
                path: path.to_string(),
                position: at.to_string(),
                status: if duplicate_of.is_some() {
                    Status::Duplicate
                } else {
                    Status::Counted
                },
                duplicate_of,
                identifiers: n.masked.clone(),
            },
            groups: groups.clone(),
            key: n.key,
        });
    }

    fn write_row(
        &mut self,
        inputs: &[super::InputSummary],
        input: usize,
        groups: &Arc<[usize]>,
        names: &[String],
        n: &Noted,
        at: Place,
    ) {
        let path = |i: usize| inputs.get(i).map_or("", |s| s.path.as_str());
        for &g in groups.iter() {
            let (status, first) = match n.invalid {
                Some(_) => (Status::Invalid, None),
                None => match self.first_seen.get(&(g, n.key)) {
                    Some(first) => (Status::Duplicate, Some(first)),
                    None => (Status::Counted, None),
                },
            };
            let row = EvidenceRow {
                at: Located {
                    path: path(input),
                    place: &at,
                },
                kind: n.kind,
                status,
                first: first.map(|(i, place)| Located {
                    path: path(*i),
                    place,
                }),
                reason: n.invalid,
                key: n.invalid.is_none().then_some(n.key),
                recipient: (names.len() > 1).then(|| names.get(g).map_or("", String::as_str)),
                identifiers: &n.values,
            };
            let written = match self.sink.as_deref_mut() {
                Some(sink) => sink.row(&row),
                None => return,
            };
            if let Err(e) = written {
                self.error = Some(format!("the evidence table could not be written: {e}"));
                self.sink = None;
                return;
            }
            self.written[n.kind.index()][status as usize] += 1;
            if status == Status::Counted {
                self.first_seen.insert((g, n.key), (input, at.clone()));
            }
        }
    }

    /// The samples of each kind, in scan order.
    pub fn samples(self) -> [Vec<Sample>; Kind::COUNT] {
        self.samples
            .map(|v| v.into_iter().map(|k| k.sample).collect())
    }
}
