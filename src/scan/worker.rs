//! The worker: detects, classifies and tallies the records of one chunk or
//! batch of rows on the pool, and notes samples and evidence rows.

use std::collections::HashMap;

use rayon::prelude::*;

use super::evidence;
use super::guard::guard;
use super::work::{Chunk, ChunkResult, InputGroups, RowData, Rows, Work};
use crate::classify::{classify, Outcome, PiRecord, Policies};
use crate::detect::{Engine, RecordFacts, Role, Scratch};
use crate::model::Kind;
use crate::records::{self, Column, Position, RecordBuf, RecordError, RecordSink};
use crate::records::{columnar, workbook};
use crate::tally::found::SAMPLES;
use crate::tally::{ChunkTally, Dedup};

/// What the workers share.
#[derive(Clone, Copy)]
pub(super) struct On<'a> {
    pub engine: &'a Engine,
    pub policies: &'a Policies,
    pub noting: Noting,
    pub input_groups: &'a InputGroups,
    pub dedup: &'a Dedup,
}

/// Processes the chunks and rows of a batch on the pool (on this thread
/// without one), inserting their dedup keys; `None` for the other items.
pub(super) fn process_batch(
    batch: &[Work],
    pool: Option<&rayon::ThreadPool>,
    on: On,
) -> Vec<Option<ChunkResult>> {
    let process = |w: &Work| {
        let (input, mut result) = match w {
            Work::Chunk(c) => (c.input, process_chunk(c, on.engine, on.policies, on.noting)),
            Work::Rows(r) => (r.input, process_rows(r, on.engine, on.policies, on.noting)),
            _ => return None,
        };
        insert_keys(&mut result.tally, &on.input_groups.get(input), on.dedup);
        Some(result)
    };
    match pool {
        Some(pool) => pool.install(|| batch.par_iter().map(process).collect()),
        None => batch.iter().map(process).collect(),
    }
}

/// Which records the workers note, and how.
#[derive(Clone, Copy, Debug)]
pub(super) struct Noting {
    /// Every PI record (`--evidence`), not only sample candidates.
    pub(super) evidence: bool,
    /// Identifiers unmasked in evidence rows (`--reveal`).
    pub(super) reveal: bool,
}

/// Detects, classifies and tallies rows.
pub(super) fn process_rows(
    r: &Rows,
    engine: &Engine,
    policies: &Policies,
    noting: Noting,
) -> ChunkResult {
    let mut worker = Worker::new(engine, policies, &r.schema, noting);
    // Turning Arrow values into text is arrow-rs code: a panic on a value a
    // damaged file holds is an error of this input, not the end of the scan.
    if let Err(why) = guard(|| match &r.data {
        RowData::Cells(rows) => workbook::each_row(rows, &mut worker),
        RowData::Arrow {
            batch,
            leaves,
            first_row,
        } => columnar::each_row(batch, leaves, *first_row, &mut worker),
    }) {
        worker
            .errors
            .push((Position::default(), RecordError::Rows(why)));
    }
    ChunkResult {
        tally: worker.tally,
        errors: worker.errors,
        noted: worker.noted,
    }
}

/// Detects, classifies and tallies one chunk.
pub(super) fn process_chunk(
    c: &Chunk,
    engine: &Engine,
    policies: &Policies,
    noting: Noting,
) -> ChunkResult {
    let mut worker = Worker::new(engine, policies, &c.schema, noting);
    records::parse_chunk(&c.spec, &c.data, &mut worker);
    ChunkResult {
        tally: worker.tally,
        errors: worker.errors,
        noted: worker.noted,
    }
}

thread_local! {
    /// Per worker thread: the buffers of a chunk's dedup keys, reused from
    /// chunk to chunk rather than allocated (and page-faulted) each time.
    static KEY_BUFFERS: std::cell::RefCell<(Vec<crate::tally::KeyEntry>, Vec<crate::tally::dedup::Entry>)> =
        Default::default();
}

/// Puts a chunk's dedup keys into the dedup, in each of the input's groups,
/// and keeps the key buffer for the thread's next chunk.
pub(super) fn insert_keys(tally: &mut ChunkTally, groups: &[usize], dedup: &Dedup) {
    KEY_BUFFERS.with(|b| {
        let (keys, entries) = &mut *b.borrow_mut();
        entries.clear();
        tally.entries(groups, entries);
        dedup.insert(entries);
        // The chunk's key list is done with: recycle its allocation.
        *keys = std::mem::take(&mut tally.keys);
        keys.clear();
    });
}

/// A key buffer for a new chunk: the thread's recycled one, if any.
pub(super) fn key_buffer() -> Vec<crate::tally::KeyEntry> {
    KEY_BUFFERS.with(|b| std::mem::take(&mut b.borrow_mut().0))
}

/// What detection of a chunk's records needs besides the record.
pub(super) struct Detection<'a> {
    pub(super) engine: &'a Engine,
    pub(super) schema: &'a [Role],
    /// Roles of JSON key paths seen in this chunk.
    pub(super) keys: HashMap<String, Role>,
    pub(super) scratch: Scratch,
}

impl Detection<'_> {
    /// Runs detection over a record's fields into `facts`.
    pub(super) fn run(&mut self, rec: &RecordBuf, facts: &mut RecordFacts) {
        facts.clear();
        for (column, value) in rec.fields() {
            let role = match column {
                Column::Index(i) => self
                    .schema
                    .get(i as usize)
                    .copied()
                    .unwrap_or(Role::Unknown),
                Column::Key(..) => {
                    let key = rec.key_text(column);
                    match self.keys.get(key) {
                        Some(&r) => r,
                        None => {
                            let r = self.engine.role_for_header(key);
                            self.keys.insert(key.to_string(), r);
                            r
                        }
                    }
                }
                Column::None => Role::Unknown,
            };
            self.engine
                .detect_field(role, value, facts, &mut self.scratch);
        }
        facts.finish();
    }
}

pub(super) struct Worker<'a> {
    pub(super) policies: &'a Policies,
    pub(super) detection: Detection<'a>,
    pub(super) facts: RecordFacts,
    pub(super) tally: ChunkTally,
    pub(super) errors: Vec<(Position, RecordError)>,
    pub(super) noting: Noting,
    pub(super) noted: Vec<evidence::Noted>,
    /// Sample candidates noted so far in this chunk, per kind.
    pub(super) sampled: [usize; Kind::COUNT],
}

impl<'a> Worker<'a> {
    pub(super) fn new(
        engine: &'a Engine,
        policies: &'a Policies,
        schema: &'a [Role],
        noting: Noting,
    ) -> Self {
        Worker {
            policies,
            detection: Detection {
                engine,
                schema,
                keys: HashMap::new(),
                scratch: Scratch::default(),
            },
            facts: RecordFacts {
                capture: noting.evidence,
                ..RecordFacts::default()
            },
            tally: ChunkTally {
                keys: key_buffer(),
                ..ChunkTally::default()
            },
            errors: Vec::new(),
            noting,
            noted: Vec::new(),
            sampled: [0; Kind::COUNT],
        }
    }

    /// Notes a PI record for the evidence table or as a sample candidate.
    pub(super) fn note(&mut self, pos: Position, rec: &RecordBuf, r: PiRecord, key: Option<u128>) {
        let sample = !r.invalid && self.sampled[r.kind.index()] < SAMPLES;
        if !(sample || self.noting.evidence) {
            return;
        }
        if sample {
            self.sampled[r.kind.index()] += 1;
        }
        let values = if self.facts.capture {
            std::mem::take(&mut self.facts.values)
        } else {
            // A sample candidate on the counting path: detect it once more,
            // keeping the values (a few records per chunk).
            let mut facts = RecordFacts {
                capture: true,
                ..RecordFacts::default()
            };
            self.detection.run(rec, &mut facts);
            facts.values
        };
        let show = |reveal: bool| {
            let mut shown = String::new();
            for (i, v) in &values {
                let Some(d) = self.detection.engine.detectors.get(usize::from(*i)) else {
                    continue;
                };
                if !shown.is_empty() {
                    shown.push_str("; ");
                }
                shown.push_str(&d.id);
                shown.push('=');
                if reveal {
                    push_capped(&mut shown, v);
                } else {
                    push_capped(&mut shown, &d.mask.apply(v));
                }
            }
            shown
        };
        let (evidence, reveal) = (self.noting.evidence, self.noting.reveal);
        // Samples go into the JSON and the reports: always masked. Evidence
        // rows are masked unless `--reveal`. Each string is built once.
        let mut masked = if sample || (evidence && !reveal) {
            show(false)
        } else {
            String::new()
        };
        let values = match (evidence, reveal, sample) {
            (false, _, _) => String::new(),
            (true, true, _) => show(true),
            (true, false, true) => masked.clone(),
            (true, false, false) => std::mem::take(&mut masked),
        };
        self.noted.push(evidence::Noted {
            pos,
            kind: r.kind,
            invalid: r.invalid.then(|| crate::tally::invalid_reason(&self.facts)),
            key: key.unwrap_or(0),
            values,
            masked,
            sample,
        });
    }
}

impl RecordSink for Worker<'_> {
    fn record(&mut self, pos: Position, rec: &RecordBuf) {
        self.detection.run(rec, &mut self.facts);
        let outcome = classify(&self.facts, self.policies);
        let key = self.tally.add(outcome, &mut self.facts);
        if let Outcome::Pi(r) = outcome {
            self.note(pos, rec, r, key);
        }
    }

    fn error(&mut self, pos: Position, error: RecordError) {
        self.errors.push((pos, error));
    }
}

/// The most characters of one value shown in a sample or an evidence row: an
/// identifier or an attribute is short, and a field of megabytes (a file
/// with no line breaks) must not make a report of megabytes.
pub(super) const MAX_SHOWN_CHARS: usize = 256;

/// Appends `v`, cut after `MAX_SHOWN_CHARS` characters (saying how long it was).
pub(super) fn push_capped(out: &mut String, v: &str) {
    match v.char_indices().nth(MAX_SHOWN_CHARS) {
        None => out.push_str(v),
        Some((cut, _)) => {
            out.push_str(&v[..cut]);
            let _ = std::fmt::Write::write_fmt(
                out,
                format_args!("… ({} characters)", v.chars().count()),
            );
        }
    }
}
