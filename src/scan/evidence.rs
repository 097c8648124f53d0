//! What the scan keeps of single records, so that every counted item can be
//! traced to its file and line: the evidence table (`--evidence`, one row
//! per PI record with its status) and the samples of the report.
//!
//! Workers note records with their chunk-relative position; the driver sees
//! the chunks in scan order and numbers the rows in it, so "first
//! occurrence" is decided exactly as SPEC §1.3 defines it (lowest file
//! order, then lowest offset): by sorting the rows' keys with their numbers
//! (`Table`), in bounded memory.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use crate::input::le::{u16_at, u32_at, u64_at};
use crate::spill::{temp_file, Merged, Record, Sorter};

use crate::detect::validate::Reason;
use crate::model::{Kind, Place};
use crate::tally::dedup::{self, Entry};
use crate::tally::found::{EvidenceRow, EvidenceSink, Located, Sample, Status, SAMPLES};

/// A PI record a worker noted: every one with `--evidence`, else only the
/// first valid ones of each kind in the chunk (sample candidates).
#[derive(Debug)]
pub(super) struct Noted {
    pub pos: crate::records::Position,
    pub kind: Kind,
    /// Why the record is invalid (its first failing identifier), if it is.
    pub invalid: Option<Reason>,
    /// The dedup key of a valid record.
    pub key: u128,
    /// `id=value; …` for the evidence table, masked unless `--reveal`.
    pub values: String,
    /// `id=value; …`, masked, for the samples.
    pub masked: String,
    /// A sample candidate: among the first valid records of its kind in the chunk.
    pub sample: bool,
}

/// Where a record is, in 24 bytes (a row's place, or a duplicate's first
/// occurrence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct At {
    input: u32,
    /// `TEXT`, or the index of a row place's prefix (a sheet name).
    prefix: u32,
    /// The line, or the row.
    at: u64,
    /// The byte offset of a line (`NO_BYTE`: none).
    byte: u64,
}

const TEXT: u32 = u32::MAX;
/// `At::prefix` of a BSON document (`at` its number).
const DOCUMENT: u32 = u32::MAX - 1;
const NO_BYTE: u64 = u64::MAX;

impl At {
    fn encode(&self, out: &mut [u8]) {
        out[0..4].copy_from_slice(&self.input.to_le_bytes());
        out[4..8].copy_from_slice(&self.prefix.to_le_bytes());
        out[8..16].copy_from_slice(&self.at.to_le_bytes());
        out[16..24].copy_from_slice(&self.byte.to_le_bytes());
    }

    fn decode(b: &[u8]) -> At {
        At {
            input: u32_at(b, 0),
            prefix: u32_at(b, 4),
            at: u64_at(b, 8),
            byte: u64_at(b, 16),
        }
    }
}

/// The place an `At` stands for (`prefixes`: the row places'
/// prefixes, by `At::prefix`).
fn place_of(prefixes: &[Arc<str>], f: At) -> Place {
    if f.prefix == DOCUMENT {
        return Place::Document {
            n: f.at,
            byte: f.byte,
        };
    }
    match prefixes.get(f.prefix as usize) {
        Some(prefix) if f.prefix != TEXT => Place::Row {
            prefix: Arc::clone(prefix),
            row: f.at,
        },
        _ => Place::Text {
            line: f.at,
            byte: (f.byte != NO_BYTE).then_some(f.byte),
        },
    }
}

/// A sample with what decides its status.
struct Kept {
    sample: Sample,
    groups: Arc<[usize]>,
    key: u128,
}

/// The driver's side: keeps the samples and hands the noted records, one
/// row per recipient group, to the table's collector (`Table::collect`, on
/// its own thread) in scan order.
pub(super) struct Notes {
    /// An evidence table is written.
    evidence: bool,
    /// Rows, by chunk, to the collector (`None`: no evidence table, or the
    /// collector stopped, or no more rows).
    to_table: Option<SyncSender<Vec<Row>>>,
    /// The rows of the chunk being taken.
    rows: Vec<Row>,
    /// The prefixes of row places (sheet names), by `At::prefix`.
    prefixes: Vec<Arc<str>>,
    prefix_ids: HashMap<Arc<str>, u32>,
    /// Per kind: the samples, with their groups and key.
    samples: [Vec<Kept>; Kind::COUNT],
}

/// An evidence row before its status is known, on its way to the table.
pub(super) struct Row {
    at: At,
    kind: Kind,
    /// Why the record is invalid, if it is.
    reason: Option<Reason>,
    key: u128,
    /// The recipient group.
    group: u32,
    identifiers: String,
}

/// Rows in flight between the driver and the collector, in chunks.
const CHUNKS_IN_FLIGHT: usize = 16;

impl Notes {
    /// With `evidence`, also the channel the collector reads rows from.
    pub fn new(evidence: bool) -> (Self, Option<Receiver<Vec<Row>>>) {
        let (to_table, from_driver) = match evidence {
            true => {
                let (tx, rx) = sync_channel(CHUNKS_IN_FLIGHT);
                (Some(tx), Some(rx))
            }
            false => (None, None),
        };
        let notes = Notes {
            evidence,
            to_table,
            rows: Vec::new(),
            prefixes: Vec::new(),
            prefix_ids: HashMap::new(),
            samples: Default::default(),
        };
        (notes, from_driver)
    }

    pub fn evidence(&self) -> bool {
        self.evidence
    }

    /// No more rows: the collector finishes. The prefixes of row places,
    /// for the table's final pass.
    pub fn close(&mut self) -> Vec<Arc<str>> {
        self.to_table = None;
        self.prefix_ids.clear();
        std::mem::take(&mut self.prefixes)
    }

    /// Takes a chunk's noted records, in order.
    pub fn take(
        &mut self,
        path: &str,
        input: usize,
        groups: &Arc<[usize]>,
        noted: Vec<Noted>,
        place: impl Fn(crate::records::Position) -> Place,
    ) {
        for n in noted {
            let at = place(n.pos);
            if n.sample {
                self.sample(path, groups, &n, &at);
            }
            if self.to_table.is_some() {
                let at = self.at(input, &at);
                let mut identifiers = Some(n.values);
                for (i, &g) in groups.iter().enumerate() {
                    // The last group takes the string; the others a copy.
                    let identifiers = if i + 1 == groups.len() {
                        identifiers.take().unwrap_or_default()
                    } else {
                        identifiers.clone().unwrap_or_default()
                    };
                    self.rows.push(Row {
                        at,
                        kind: n.kind,
                        reason: n.invalid,
                        key: n.key,
                        group: g as u32,
                        identifiers,
                    });
                }
            }
        }
        if let Some(tx) = &self.to_table {
            if !self.rows.is_empty() && tx.send(std::mem::take(&mut self.rows)).is_err() {
                // The collector stopped on an error, which it reports.
                self.to_table = None;
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
                position: at.clone(),
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

    /// (Inputs are numbered in `u32` here: a scan of four billion inputs
    /// is not a case.)
    fn at(&mut self, input: usize, place: &Place) -> At {
        let input = input as u32;
        match place {
            Place::Text { line, byte } => At {
                input,
                prefix: TEXT,
                at: *line,
                byte: byte.unwrap_or(NO_BYTE),
            },
            Place::Document { n, byte } => At {
                input,
                prefix: DOCUMENT,
                at: *n,
                byte: *byte,
            },
            // A record is at a line or a row; the other places are errors'.
            Place::Whole
            | Place::Byte(_)
            | Place::Sheet(_)
            | Place::RowGroup(_)
            | Place::Entry(_)
            | Place::AfterEntry(_) => At {
                input,
                prefix: TEXT,
                at: 0,
                byte: NO_BYTE,
            },
            Place::Row { prefix, row } => {
                let next = self.prefixes.len() as u32;
                let id = *self.prefix_ids.entry(Arc::clone(prefix)).or_insert(next);
                if id == next {
                    self.prefixes.push(Arc::clone(prefix));
                }
                At {
                    input,
                    prefix: id,
                    at: *row,
                    byte: NO_BYTE,
                }
            }
        }
    }

    /// The records of the samples counted in the unassigned group: whether
    /// a recipient also holds them is known only when the dedup finishes
    /// (`resold`).
    pub fn watch(&self, unassigned: Option<usize>) -> HashSet<Entry> {
        let Some(u) = unassigned else {
            return HashSet::new();
        };
        let mut watch = HashSet::new();
        for (kind, kept) in Kind::ALL.iter().zip(&self.samples) {
            watch.extend(
                kept.iter()
                    .filter(|k| k.sample.status == Status::Counted && k.groups.contains(&u))
                    .map(|k| dedup::record_key(k.key, *kind)),
            );
        }
        watch
    }

    /// Obtained, then sold: a counted sample of the unassigned group whose
    /// record a recipient also holds is a duplicate, of that recipient's
    /// first sample of it if that is among the samples (SPEC §1.3).
    pub fn resold(&mut self, unassigned: Option<usize>, resold: &HashSet<Entry>) {
        let Some(u) = unassigned else { return };
        for (kind, kept) in Kind::ALL.iter().zip(self.samples.iter_mut()) {
            for i in 0..kept.len() {
                let k = &kept[i];
                if k.sample.status != Status::Counted
                    || !k.groups.contains(&u)
                    || !resold.contains(&dedup::record_key(k.key, *kind))
                {
                    continue;
                }
                let key = k.key;
                let held = kept
                    .iter()
                    .position(|r| r.key == key && !r.groups.contains(&u))
                    .map(|j| j + 1);
                let k = &mut kept[i];
                k.sample.status = Status::Duplicate;
                k.sample.duplicate_of = held;
            }
        }
    }

    /// The samples of each kind, in scan order.
    pub fn samples(self) -> [Vec<Sample>; Kind::COUNT] {
        self.samples
            .map(|v| v.into_iter().map(|k| k.sample).collect())
    }
}

/// A valid row's key, group, its number in scan order and where it is:
/// sorted by the first three, the first of each (key, group) is its first
/// occurrence.
#[derive(Clone, Copy, Debug)]
struct KeyAt {
    group: u32,
    key: (u64, u64),
    seq: u64,
    at: At,
}

impl Record for KeyAt {
    const SIZE: usize = 52;
    type Order = ((u64, u64), u32, u64);
    fn order(&self) -> Self::Order {
        (self.key, self.group, self.seq)
    }
    fn encode(&self, out: &mut [u8]) {
        out[0..4].copy_from_slice(&self.group.to_le_bytes());
        out[4..12].copy_from_slice(&self.key.0.to_le_bytes());
        out[12..20].copy_from_slice(&self.key.1.to_le_bytes());
        out[20..28].copy_from_slice(&self.seq.to_le_bytes());
        self.at.encode(&mut out[28..52]);
    }
    fn decode(b: &[u8]) -> Self {
        KeyAt {
            group: u32_at(b, 0),
            key: (u64_at(b, 4), u64_at(b, 12)),
            seq: u64_at(b, 20),
            at: At::decode(b.get(28..52).unwrap_or_default()),
        }
    }
}

/// A duplicate row (by its number in scan order) and its first occurrence.
#[derive(Clone, Copy, Debug)]
struct Dup {
    seq: u64,
    first: At,
}

impl Record for Dup {
    const SIZE: usize = 32;
    type Order = u64;
    fn order(&self) -> u64 {
        self.seq
    }
    fn encode(&self, out: &mut [u8]) {
        out[0..8].copy_from_slice(&self.seq.to_le_bytes());
        self.first.encode(&mut out[8..32]);
    }
    fn decode(b: &[u8]) -> Self {
        Dup {
            seq: u64_at(b, 0),
            first: At::decode(b.get(8..32).unwrap_or_default()),
        }
    }
}

/// The bytes of a row in the table's file before its identifiers: place,
/// kind, reason, key, group, identifiers' length.
const ROW_HEAD: usize = 24 + 1 + 2 + 16 + 4 + 4;

/// The evidence table as the scan goes: every row in scan order in an
/// anonymous temporary file, the valid rows' keys in an external sort.
/// At the end (`finish`) the keys, sorted, give each duplicate its first
/// occurrence; a second sort puts the duplicates back in scan order, and the
/// rows are read back and written with their status. Memory stays within
/// the sorts' budgets, whatever the number of rows.
pub(super) struct Table {
    rows: BufWriter<File>,
    /// Rows written so far: the next row's number.
    seq: u64,
    keys: Sorter<KeyAt>,
    reasons: Vec<Reason>,
    reason_ids: HashMap<Reason, u16>,
    /// The duplicates, to be put back in row order (filled by `finish`).
    dups: Sorter<Dup>,
}

impl Table {
    /// `budget`: the memory of each of the two sorts.
    pub fn new(budget: u64, dir: Option<std::path::PathBuf>) -> std::io::Result<Table> {
        Ok(Table {
            rows: BufWriter::with_capacity(1 << 20, temp_file(dir.as_deref())?),
            seq: 0,
            keys: Sorter::new(budget, dir.clone()),
            reasons: Vec::new(),
            reason_ids: HashMap::new(),
            dups: Sorter::new(budget, dir),
        })
    }

    /// Takes the rows the driver sends, in order, until it closes.
    pub fn collect(mut self, rows: Receiver<Vec<Row>>) -> std::io::Result<Table> {
        let mut head = [0u8; ROW_HEAD];
        for chunk in rows {
            for r in chunk {
                let reason = match r.reason {
                    None => 0,
                    Some(why) => {
                        let next = u16::try_from(self.reasons.len() + 1).unwrap_or(u16::MAX);
                        let id = *self.reason_ids.entry(why).or_insert(next);
                        if id == next && next != u16::MAX {
                            self.reasons.push(why);
                        }
                        id
                    }
                };
                r.at.encode(&mut head[0..24]);
                head[24] = r.kind.index() as u8;
                head[25..27].copy_from_slice(&reason.to_le_bytes());
                head[27..43].copy_from_slice(&r.key.to_le_bytes());
                head[43..47].copy_from_slice(&r.group.to_le_bytes());
                let len = u32::try_from(r.identifiers.len()).unwrap_or(u32::MAX);
                head[47..51].copy_from_slice(&len.to_le_bytes());
                self.rows.write_all(&head)?;
                self.rows.write_all(
                    r.identifiers
                        .as_bytes()
                        .get(..len as usize)
                        .unwrap_or_default(),
                )?;
                if r.reason.is_none() {
                    self.keys.push(KeyAt {
                        group: r.group,
                        key: (r.key as u64, (r.key >> 64) as u64),
                        seq: self.seq,
                        at: r.at,
                    })?;
                }
                self.seq += 1;
            }
        }
        Ok(self)
    }

    /// Decides every row's status and writes the rows to `sink` in scan
    /// order; the rows written per kind and status.
    pub fn finish(
        self,
        sink: &mut dyn EvidenceSink,
        paths: &[&str],
        prefixes: &[Arc<str>],
        names: &[String],
    ) -> std::io::Result<[[u64; 3]; Kind::COUNT]> {
        let corrupt = || std::io::Error::other("the evidence table's temporary file is damaged");
        let unassigned = (names.len() > 1).then(|| names.len() as u32 - 1);
        let mut dups = duplicates(self.keys, self.dups, unassigned)?;
        let mut next_dup = dups.pop()?;

        let mut file = self
            .rows
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.rewind()?;
        let mut rows = BufReader::with_capacity(1 << 20, file);
        let mut head = [0u8; ROW_HEAD];
        let mut identifiers = Vec::new();
        let mut written = [[0u64; 3]; Kind::COUNT];
        let path = |i: u32| paths.get(i as usize).copied().unwrap_or("");
        let place = |f: At| place_of(prefixes, f);
        for seq in 0..self.seq {
            rows.read_exact(&mut head)?;
            let at = At::decode(&head[0..24]);
            let kind = *Kind::ALL.get(usize::from(head[24])).ok_or_else(corrupt)?;
            let reason = match u16_at(&head, 25) {
                0 => None,
                id => Some(
                    self.reasons
                        .get(usize::from(id) - 1)
                        .copied()
                        .unwrap_or(Reason::IdentifierFailed),
                ),
            };
            let key = u128::from(u64_at(&head, 27)) | u128::from(u64_at(&head, 35)) << 64;
            let group = u32_at(&head, 43);
            identifiers.resize(u32_at(&head, 47) as usize, 0);
            rows.read_exact(&mut identifiers)?;
            let (status, first) = match (reason, next_dup) {
                (Some(_), _) => (Status::Invalid, None),
                (None, Some(d)) if d.seq == seq => {
                    next_dup = dups.pop()?;
                    (Status::Duplicate, Some(d.first))
                }
                (None, _) => (Status::Counted, None),
            };
            let here = place(at);
            let first_place = first.map(|f| (f.input, place(f)));
            sink.row(&EvidenceRow {
                at: Located {
                    path: path(at.input),
                    place: &here,
                },
                kind,
                status,
                first: first_place.as_ref().map(|(i, p)| Located {
                    path: path(*i),
                    place: p,
                }),
                reason,
                key: reason.is_none().then_some(key),
                // Named when the case file names recipients.
                recipient: (names.len() > 1)
                    .then(|| names.get(group as usize).map_or("", String::as_str)),
                identifiers: std::str::from_utf8(&identifiers).map_err(|_| corrupt())?,
            })?;
            written[kind.index()][status as usize] += 1;
        }
        Ok(written)
    }
}

/// Which rows are duplicates, and of which first occurrence, in row order:
/// `keys` sorted by (key, group, position) gives each (key, group) its first
/// occurrence; `unassigned` is the group of the records no recipient holds.
fn duplicates(
    keys: Sorter<KeyAt>,
    mut dups: Sorter<Dup>,
    unassigned: Option<u32>,
) -> std::io::Result<Merged<Dup>> {
    // The first occurrence of each (key, group): the first of its run in
    // key order. Every later one is a duplicate of it. The unassigned
    // group sorts last: a record it shares with a recipient was obtained,
    // then sold, and each of its unassigned rows is a duplicate of the
    // recipients' first occurrence (SPEC §1.3; `tally::dedup::Counter`).
    let mut keys = keys.finish()?;
    let mut first: Option<KeyAt> = None;
    let mut held: Option<At> = None;
    while let Some(k) = keys.pop()? {
        let new_key = first.is_none_or(|f| f.key != k.key);
        if new_key {
            held = None;
        }
        let new_group = new_key || first.is_some_and(|f| f.group != k.group);
        let of = match (unassigned == Some(k.group), held) {
            (true, Some(h)) => Some(h),
            _ if new_group => None,
            _ => first.map(|f| f.at),
        };
        if new_group {
            first = Some(k);
            if held.is_none() && unassigned != Some(k.group) {
                held = Some(k.at);
            }
        }
        if let Some(of) = of {
            dups.push(Dup {
                seq: k.seq,
                first: of,
            })?;
        }
    }
    drop(keys);
    dups.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_kept_in_24_bytes_and_given_back_whole() {
        let (mut notes, _) = Notes::new(true);
        let sheet: Arc<str> = Arc::from("sheet 客户, row ");
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
            let at = notes.at(input, p);
            let mut bytes = [0u8; 24];
            at.encode(&mut bytes);
            let back = At::decode(&bytes);
            assert_eq!(back, at);
            assert_eq!(back.input as usize, input);
            assert_eq!(place_of(&notes.prefixes, back), *p);
        }
        // One prefix each, however many rows name it.
        assert_eq!(notes.prefixes.len(), 2);
    }
}
