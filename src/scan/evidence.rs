//! What the scan keeps of single records, so that every counted item can be
//! traced to its file and line: the evidence table (`--evidence`, one row
//! per PI record with its status) and the samples of the report.
//!
//! Workers note records with their chunk-relative position; the driver sees
//! the chunks in scan order, so "first occurrence" is decided here exactly as
//! SPEC §1.3 defines it: lowest file order, then lowest offset.

use std::collections::HashMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
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

/// A (group, dedup key) pair, the key in halves (a `u128` would align the
/// entry to 16 bytes).
type GroupKey = (u32, u64, u64);

fn group_key(group: usize, key: u128) -> GroupKey {
    (group as u32, key as u64, (key >> 64) as u64)
}

/// Where a counted record is, in 24 bytes: the first-occurrence map holds
/// one per distinct record, so its size is the table's memory.
#[derive(Clone, Copy)]
struct FirstAt {
    input: u32,
    /// `TEXT`, or the index of a row place's prefix (a sheet name).
    prefix: u32,
    /// The line, or the row.
    at: u64,
    /// The byte offset of a line (`NO_BYTE`: none).
    byte: u64,
}

const TEXT: u32 = u32::MAX;
const NO_BYTE: u64 = u64::MAX;

/// Hashes a (group, dedup key) pair: the key is already an xxh3-128 hash,
/// so its low bits mixed with the group are hash enough (SipHash, the
/// default, cost the driver thread a tenth of its time for nothing).
#[derive(Clone, Copy, Default)]
struct KeyHash;

impl std::hash::BuildHasher for KeyHash {
    type Hasher = KeyHasher;
    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(0)
    }
}

struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Not reached for (usize, u128); correct for anything else.
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u64(&mut self, half: u64) {
        // A half of the xxh3-128 key.
        self.0 ^= half;
    }
    fn write_u32(&mut self, group: u32) {
        // Spread the group over the bits the table uses.
        self.0 ^= u64::from(group).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A sample with what decides its status.
struct Kept {
    sample: Sample,
    groups: Arc<[usize]>,
    key: u128,
}

/// The driver's side: decides the status of noted records in scan order,
/// keeps the samples, and hands evidence rows to the writer (`Writer`, on
/// its own thread: formatting and writing the rows is most of the table's
/// cost, and would otherwise hold up the driver).
pub(super) struct Notes {
    /// An evidence table is written.
    evidence: bool,
    /// Rows decided, by chunk, to the writer (`None`: no evidence table, or
    /// the writer stopped, or no more rows).
    to_writer: Option<SyncSender<Vec<Row>>>,
    /// The rows of the chunk being taken.
    rows: Vec<Row>,
    /// Input paths, shared by the rows.
    paths: Vec<Arc<str>>,
    /// With evidence: the first occurrence of every (group, key).
    first_seen: HashMap<GroupKey, FirstAt, KeyHash>,
    /// The prefixes of row places (sheet names), by `FirstAt::prefix`.
    prefixes: Vec<Arc<str>>,
    prefix_ids: HashMap<Arc<str>, u32>,
    /// Per kind: the samples, with their groups and key.
    samples: [Vec<Kept>; Kind::COUNT],
    /// Evidence rows decided per kind and status, checked against the tally.
    pub written: [[u64; 3]; Kind::COUNT],
}

/// A decided evidence row, owned, on its way to the writer.
pub(super) struct Row {
    path: Arc<str>,
    place: Place,
    kind: Kind,
    status: Status,
    first: Option<(Arc<str>, Place)>,
    reason: Option<&'static str>,
    key: Option<u128>,
    /// The recipient group's index, when the case file names recipients.
    recipient: Option<usize>,
    identifiers: String,
}

/// Rows in flight between the driver and the writer, in chunks.
const CHUNKS_IN_FLIGHT: usize = 16;

impl Notes {
    /// With `evidence`, also the channel the writer reads decided rows from.
    pub fn new(evidence: bool) -> (Self, Option<Receiver<Vec<Row>>>) {
        let (to_writer, from_driver) = match evidence {
            true => {
                let (tx, rx) = sync_channel(CHUNKS_IN_FLIGHT);
                (Some(tx), Some(rx))
            }
            false => (None, None),
        };
        let notes = Notes {
            evidence,
            to_writer,
            rows: Vec::new(),
            paths: Vec::new(),
            first_seen: HashMap::default(),
            prefixes: Vec::new(),
            prefix_ids: HashMap::new(),
            samples: Default::default(),
            written: [[0; 3]; Kind::COUNT],
        };
        (notes, from_driver)
    }

    pub fn evidence(&self) -> bool {
        self.evidence
    }

    /// No more rows: the writer finishes.
    pub fn close(&mut self) {
        self.to_writer = None;
    }

    /// Takes a chunk's noted records, in order.
    pub fn take(
        &mut self,
        inputs: &[super::InputSummary],
        input: usize,
        groups: &Arc<[usize]>,
        recipients: bool,
        noted: Vec<Noted>,
        place: impl Fn(crate::records::Position) -> Place,
    ) {
        let path = inputs.get(input).map_or("", |i| i.path.as_str());
        while self.paths.len() < inputs.len() {
            let next = inputs.get(self.paths.len()).map_or("", |i| i.path.as_str());
            self.paths.push(Arc::from(next));
        }
        for n in noted {
            let at = place(n.pos);
            if n.sample {
                self.sample(path, groups, &n, &at);
            }
            if self.to_writer.is_some() {
                self.decide(input, groups, recipients, n, at);
            }
        }
        if let Some(tx) = &self.to_writer {
            if !self.rows.is_empty() && tx.send(std::mem::take(&mut self.rows)).is_err() {
                // The writer stopped on an error, which it reports.
                self.to_writer = None;
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

    fn path(&self, input: usize) -> Arc<str> {
        self.paths
            .get(input)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// (Inputs are numbered in `u32` here: a scan of four billion inputs
    /// is not a case.)
    fn first_at(&mut self, input: usize, place: &Place) -> FirstAt {
        let input = input as u32;
        match place {
            Place::Text { line, byte } => FirstAt {
                input,
                prefix: TEXT,
                at: *line,
                byte: byte.unwrap_or(NO_BYTE),
            },
            Place::Row { prefix, row } => {
                let next = self.prefixes.len() as u32;
                let id = *self.prefix_ids.entry(Arc::clone(prefix)).or_insert(next);
                if id == next {
                    self.prefixes.push(Arc::clone(prefix));
                }
                FirstAt {
                    input,
                    prefix: id,
                    at: *row,
                    byte: NO_BYTE,
                }
            }
        }
    }

    fn place_of(&self, f: FirstAt) -> (usize, Place) {
        let place = match self.prefixes.get(f.prefix as usize) {
            Some(prefix) if f.prefix != TEXT => Place::Row {
                prefix: Arc::clone(prefix),
                row: f.at,
            },
            _ => Place::Text {
                line: f.at,
                byte: (f.byte != NO_BYTE).then_some(f.byte),
            },
        };
        (f.input as usize, place)
    }

    /// Decides a noted record's status in each of its groups: one row each.
    fn decide(
        &mut self,
        input: usize,
        groups: &Arc<[usize]>,
        recipients: bool,
        n: Noted,
        at: Place,
    ) {
        let mut identifiers = Some(n.values);
        for (i, &g) in groups.iter().enumerate() {
            let (status, first) = match n.invalid {
                Some(_) => (Status::Invalid, None),
                None => match self.first_seen.get(&group_key(g, n.key)) {
                    Some(&first) => {
                        let (fi, place) = self.place_of(first);
                        (Status::Duplicate, Some((self.path(fi), place)))
                    }
                    None => (Status::Counted, None),
                },
            };
            self.written[n.kind.index()][status as usize] += 1;
            if status == Status::Counted {
                let first = self.first_at(input, &at);
                self.first_seen.insert(group_key(g, n.key), first);
            }
            // The last group takes the string; the others a copy.
            let identifiers = if i + 1 == groups.len() {
                identifiers.take().unwrap_or_default()
            } else {
                identifiers.clone().unwrap_or_default()
            };
            self.rows.push(Row {
                path: self.path(input),
                place: at.clone(),
                kind: n.kind,
                status,
                first,
                reason: n.invalid,
                key: n.invalid.is_none().then_some(n.key),
                recipient: recipients.then_some(g),
                identifiers,
            });
        }
    }

    /// The samples of each kind, in scan order.
    pub fn samples(self) -> [Vec<Sample>; Kind::COUNT] {
        self.samples
            .map(|v| v.into_iter().map(|k| k.sample).collect())
    }
}

/// Writes the decided rows to the sink, in the order decided; the first
/// error stops it (the driver then stops sending).
pub(super) fn write(
    sink: &mut (dyn EvidenceSink + Send),
    rows: Receiver<Vec<Row>>,
    names: &[String],
) -> std::io::Result<()> {
    for chunk in rows {
        for r in &chunk {
            sink.row(&EvidenceRow {
                at: Located {
                    path: &r.path,
                    place: &r.place,
                },
                kind: r.kind,
                status: r.status,
                first: r
                    .first
                    .as_ref()
                    .map(|(path, place)| Located { path, place }),
                reason: r.reason,
                key: r.key,
                recipient: r.recipient.map(|g| names.get(g).map_or("", String::as_str)),
                identifiers: &r.identifiers,
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_occurrence_is_kept_compactly_and_given_back_whole() {
        let (mut notes, _) = Notes::new(true);
        let sheet: Arc<str> = Arc::from("sheet 客户, ");
        let other: Arc<str> = Arc::from("row group 3, ");
        let places = [
            Place::Text {
                line: 1,
                byte: Some(0),
            },
            Place::Text {
                line: u64::MAX - 1,
                byte: None,
            },
            Place::Row {
                prefix: Arc::clone(&sheet),
                row: 7,
            },
            Place::Row {
                prefix: other,
                row: 0,
            },
            Place::Row {
                prefix: sheet,
                row: 9,
            },
        ];
        for (input, p) in places.iter().enumerate() {
            let first = notes.first_at(input, p);
            assert_eq!(notes.place_of(first), (input, p.clone()));
        }
        // One prefix each, however many rows name it.
        assert_eq!(notes.prefixes.len(), 2);
        assert_eq!(std::mem::size_of::<FirstAt>(), 24);
        assert_eq!(std::mem::size_of::<GroupKey>(), 24);
    }

    #[test]
    fn group_keys_hash_by_their_bits() {
        use std::hash::BuildHasher;
        let h = |g, k| KeyHash.hash_one(group_key(g, k));
        let key = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210_u128;
        assert_ne!(h(0, key), h(1, key));
        assert_ne!(h(0, key), h(0, key ^ 1));
        assert_ne!(h(0, key), h(0, key ^ (1 << 100)));
        assert_eq!(h(2, key), h(2, key));
    }
}
