//! The scan: inputs → decode → records → detect → classify → tally.
//!
//! One reader thread opens files in scan order, sniffs encoding and format,
//! hashes the raw bytes and cuts the stream into chunks at record boundaries.
//! Chunks are detected, classified and tallied on the rayon pool in batches;
//! each batch is absorbed in input order, so dedup sees the first occurrence
//! first and the result does not depend on the number of threads.

mod area;
mod evidence;
mod read;
mod rows;
mod sorter;

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::case::Groups;
use crate::classify::{classify, Outcome, PiRecord, Policies};
use crate::decode::{Encoding, FieldDecoding};
use crate::detect::{Engine, RecordFacts, Role, Scratch};
use crate::input::container::Limits;
use crate::input::{InputError, InputFile, Skipped};
use crate::records::{self, ChunkSpec, Column, Format, Framer, Position, RecordBuf, RecordSink};

use crate::model::Kind;
use crate::tally::{ChunkTally, Dedup, Tally};
pub use evidence::{EvidenceRow, EvidenceSink, Located, Place, Sample, Status, SAMPLES};
pub use read::{install_panic_hook, ArchiveSummary};

/// How to scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    pub threads: usize,
    pub encoding: Option<Encoding>,
    pub format: Option<Format>,
    pub policies: Policies,
    /// Target chunk size in bytes.
    pub chunk_bytes: usize,
    /// A record longer than this is cut (and reported).
    pub max_record_bytes: usize,
    /// Limits against decompression bombs.
    pub limits: Limits,
    /// Memory for the dedup table; past it, keys spill to disk.
    pub max_memory: u64,
    /// Where spilled dedup keys go (default: the system's temporary directory).
    pub temp_dir: Option<PathBuf>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Evidence rows show identifiers unmasked (`--reveal`).
    pub reveal: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            encoding: None,
            format: None,
            policies: Policies::default(),
            chunk_bytes: 4 << 20,
            max_record_bytes: 64 << 20,
            limits: Limits::default(),
            max_memory: 1 << 30,
            temp_dir: None,
            progress: false,
            reveal: false,
        }
    }
}

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

/// The dedup groups of each input, set by the reader when it opens the input
/// and read by the workers that insert its records' keys.
#[derive(Debug, Default)]
pub(crate) struct InputGroups(RwLock<Vec<Arc<[usize]>>>);

impl InputGroups {
    fn set(&self, input: usize, groups: Arc<[usize]>) {
        let mut all = self.0.write().unwrap_or_else(|p| p.into_inner());
        if all.len() <= input {
            all.resize(input + 1, Arc::from(Vec::new()));
        }
        all[input] = groups;
    }

    fn get(&self, input: usize) -> Arc<[usize]> {
        let all = self.0.read().unwrap_or_else(|p| p.into_inner());
        all.get(input)
            .cloned()
            .unwrap_or_else(|| Arc::from(Vec::new()))
    }
}

/// What the reader thread sends, in input order.
enum Work {
    /// A new input: its records follow.
    Open(Opened),
    Chunk(Chunk),
    Rows(Rows),
    End {
        input: usize,
        bytes: u64,
        sha256: String,
    },
    /// Reading an input failed after `line` line ends and `offset` bytes of
    /// its (decoded) stream; what came before has been sent.
    Failed {
        input: usize,
        line: u64,
        offset: u64,
        message: String,
    },
    Error(Option<usize>, InputError),
    Skipped(Skipped),
    Archive(ArchiveSummary),
}

struct Opened {
    input: usize,
    path: String,
    format: String,
    encoding: String,
    compression: Option<String>,
    symlink_to: Option<String>,
}

struct Chunk {
    input: usize,
    spec: ChunkSpec,
    schema: Arc<Vec<Role>>,
    /// Where the chunk starts in its input: byte offset, and line ends before it.
    offset: u64,
    line: u64,
    data: Vec<u8>,
}

/// Rows of a workbook sheet or a columnar file.
struct Rows {
    input: usize,
    schema: Arc<Vec<Role>>,
    /// Where the rows are, for positions (`sheet 客户, `), or empty.
    place: Arc<str>,
    data: RowData,
}

enum RowData {
    /// Rows by number, each with its non-empty cells' texts by column.
    Cells(Vec<(u64, Vec<(u32, String)>)>),
    Arrow {
        batch: arrow_array::RecordBatch,
        leaves: Arc<Vec<rows::Leaf>>,
        /// 1-based number of the batch's first row in the file.
        first_row: u64,
    },
}

struct ChunkResult {
    tally: ChunkTally,
    errors: Vec<(Position, String)>,
    noted: Vec<evidence::Noted>,
}

/// Runs the scan; with a sink, writes the evidence table as it goes.
pub fn scan(
    files: &[InputFile],
    groups: &Groups,
    engine: &Engine,
    opts: &ScanOptions,
    sink: Option<&mut dyn EvidenceSink>,
) -> ScanOutput {
    let mut out = ScanOutput {
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
    };
    let (mut notes, to_table) = evidence::Notes::new(sink.is_some());
    // The evidence table's rows, collected in scan order (`Table`), and the
    // prefixes of their row places.
    let mut table: Option<std::io::Result<evidence::Table>> = None;
    let mut prefixes = Vec::new();
    let noting = Noting {
        evidence: notes.evidence(),
        reveal: opts.reveal,
    };
    let file_groups: Vec<Vec<usize>> = files.iter().map(|f| groups.of(&f.display)).collect();
    let unassigned = (!groups.is_empty()).then(|| groups.len() - 1);
    let dedup = Dedup::new(opts.max_memory, unassigned, opts.temp_dir.clone());
    let input_groups = InputGroups::default();
    let progress = std::sync::atomic::AtomicU64::new(0);
    let bar = opts.progress.then(|| progress_bar(files));

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build();
    let batch_len = 16 * opts.threads.max(rayon::current_num_threads()).max(1);
    let (tx, rx) = sync_channel::<Vec<Work>>(batch_len);

    std::thread::scope(|s| {
        // The evidence table's rows go to a temporary file as they come;
        // their sorts take a quarter of --max-memory each.
        let collector = to_table.map(|rows| {
            let (budget, dir) = (opts.max_memory / 4, opts.temp_dir.clone());
            s.spawn(move || evidence::Table::new(budget, dir)?.collect(rows))
        });
        s.spawn(|| {
            read::Reader {
                engine,
                opts,
                tx,
                pending: Default::default(),
                next_input: 0,
                errors_sent: Default::default(),
                groups,
                file_groups: &file_groups,
                input_groups: &input_groups,
                progress: &progress,
            }
            .read_all(files)
        });
        let mut batch: Vec<Work> = Vec::with_capacity(batch_len);
        while next_batch(&rx, &mut batch, batch_len, opts.chunk_bytes) {
            let process = |w: &Work| {
                let (input, result) = match w {
                    Work::Chunk(c) => (c.input, process_chunk(c, engine, &opts.policies, noting)),
                    Work::Rows(r) => (r.input, process_rows(r, engine, &opts.policies, noting)),
                    _ => return None,
                };
                let mut result = result;
                insert_keys(&mut result.tally, &input_groups.get(input), &dedup);
                Some(result)
            };
            let results: Vec<Option<ChunkResult>> = match &pool {
                Ok(pool) => pool.install(|| batch.par_iter().map(process).collect()),
                Err(_) => batch.iter().map(process).collect(),
            };
            for (work, result) in batch.drain(..).zip(results) {
                match (work, result) {
                    (Work::Chunk(c), Some(r)) => {
                        // A transcoded stream's byte offsets are not the file's: lines only.
                        let keeps = c.spec.decoding.keeps_offsets();
                        let place = |pos: Position| Place::Text {
                            line: c.line + pos.line + 1,
                            byte: keeps.then_some(c.offset + pos.offset),
                        };
                        absorb(&mut out, &mut notes, &input_groups, c.input, r, place);
                    }
                    (Work::Rows(rows), Some(r)) => {
                        let place = |pos: Position| Place::Row {
                            prefix: rows.place.clone(),
                            row: pos.line,
                        };
                        absorb(&mut out, &mut notes, &input_groups, rows.input, r, place);
                    }
                    (Work::Open(o), _) => {
                        debug_assert_eq!(o.input, out.inputs.len());
                        out.inputs.push(InputSummary {
                            path: o.path,
                            format: o.format,
                            encoding: o.encoding,
                            compression: o.compression,
                            bytes: 0,
                            sha256: String::new(),
                            records: 0,
                            errors: 0,
                            symlink_to: o.symlink_to,
                        });
                    }
                    (
                        Work::End {
                            input,
                            bytes,
                            sha256,
                        },
                        _,
                    ) => {
                        out.inputs[input].bytes = bytes;
                        out.inputs[input].sha256 = sha256;
                    }
                    (
                        Work::Failed {
                            input,
                            line,
                            offset,
                            message,
                        },
                        _,
                    ) => {
                        let i = &mut out.inputs[input];
                        i.errors += 1;
                        out.errors.push(InputError {
                            path: i.path.clone(),
                            position: Place::Text {
                                line: line + 1,
                                byte: Some(offset),
                            }
                            .to_string(),
                            message,
                        });
                    }
                    (Work::Error(input, e), _) => {
                        if let Some(i) = input.and_then(|i| out.inputs.get_mut(i)) {
                            i.errors += 1;
                        }
                        out.errors.push(e);
                    }
                    (Work::Skipped(s), _) => out.skipped.push(s),
                    (Work::Archive(a), _) => out.archives.push(a),
                    (Work::Chunk(_) | Work::Rows(_), None) => {
                        unreachable!("every chunk is processed")
                    }
                }
            }
            if let Some(bar) = &bar {
                let records = out.tally.records;
                bar.set_position(progress.load(std::sync::atomic::Ordering::Relaxed));
                let per_sec = records as f64 / bar.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!(
                    "{} records, {}/s",
                    indicatif::HumanCount(records),
                    indicatif::HumanCount(per_sec as u64)
                ));
            }
        }
        prefixes = notes.close();
        if let Some(c) = collector {
            table = Some(c.join().unwrap_or_else(|_| {
                Err(std::io::Error::other(
                    "the evidence table's collector failed",
                ))
            }));
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    // An archive is listed before its entries' archives.
    out.archives.sort_by(|a, b| a.path.cmp(&b.path));
    let watch = notes.watch(unassigned);
    let finished = match &pool {
        Ok(pool) => pool.install(|| dedup.finish_watching(&watch)),
        Err(_) => dedup.finish_watching(&watch),
    };
    match finished {
        Ok(counts) => {
            out.tally.finish(&counts);
            notes.resold(unassigned, &counts.resold);
            out.spilled = (counts.spilled_entries, counts.runs);
            if let Some(w) = counts.warning {
                out.errors.push(InputError {
                    path: String::new(),
                    position: String::new(),
                    message: w,
                });
            }
        }
        Err(e) => out.fatal = Some(e),
    }
    // The evidence table: statuses decided by sorting, rows written in
    // scan order.
    let mut written = None;
    if let (Some(sink), Some(table)) = (sink, table) {
        let paths: Vec<&str> = out.inputs.iter().map(|i| i.path.as_str()).collect();
        match table.and_then(|t| t.finish(sink, &paths, &prefixes, &groups.names)) {
            Ok(w) => written = Some(w),
            Err(e) => out.errors.push(InputError {
                path: String::new(),
                position: String::new(),
                message: format!("the evidence table could not be written: {e}"),
            }),
        }
    }
    out.evidence_written = written.is_some();
    if let Some(written) = written {
        // The table decides first occurrences in scan order, the counts come
        // from the order-free dedup: they must agree, row for row.
        let disagree: Vec<&str> = Kind::ALL
            .iter()
            .filter(|k| {
                let t = out.tally.kinds[k.index()];
                let [counted, invalid, duplicate] = written[k.index()];
                out.fatal.is_none()
                    && [counted, invalid, duplicate] != [t.counted, t.invalid, t.duplicate]
            })
            .map(|k| k.key())
            .collect();
        if !disagree.is_empty() {
            out.errors.push(InputError {
                path: String::new(),
                position: String::new(),
                message: format!(
                    "the evidence table disagrees with the counts for {}: please report this",
                    disagree.join(", ")
                ),
            });
        }
    }
    out.samples = notes.samples();
    let input_groups = input_groups
        .0
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    out.groups = groups
        .names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let inputs = input_groups.iter().filter(|ig| ig.contains(&g)).count();
            (name.clone(), inputs as u64)
        })
        .collect();
    out
}

/// A progress bar over the bytes of the input files (a spinner when their
/// size is not known: standard input).
fn progress_bar(files: &[InputFile]) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let sizes: Option<u64> = files
        .iter()
        .map(|f| match (&f.path, &f.data) {
            (Some(p), _) => std::fs::metadata(p).ok().map(|m| m.len()),
            (None, Some(d)) => Some(d.len() as u64),
            (None, None) => None,
        })
        .sum();
    let bar = match sizes {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template(
                "{bar:20} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {bytes} {binary_bytes_per_sec}  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
    bar
}

/// Adds a processed chunk or batch of rows to the scan's result, in scan
/// order: to its input, the tally and the notes.
fn absorb(
    out: &mut ScanOutput,
    notes: &mut evidence::Notes,
    input_groups: &InputGroups,
    input: usize,
    r: ChunkResult,
    place: impl Fn(Position) -> Place,
) {
    let groups = input_groups.get(input);
    let summary = &mut out.inputs[input];
    summary.records += r.tally.records;
    summary.errors += r.errors.len() as u64;
    for (pos, message) in r.errors {
        out.errors.push(InputError {
            path: summary.path.clone(),
            position: place(pos).to_string(),
            message,
        });
    }
    out.tally.absorb(&r.tally, groups.len());
    notes.take(&out.inputs, input, &groups, r.noted, place);
}

/// What one work item costs the pool, for batching: a chunk its bytes (at
/// least `SMALL`, the fixed cost of a chunk), rows as a full chunk, the
/// rest nothing.
fn weight(w: &Work, chunk_bytes: usize) -> usize {
    const SMALL: usize = 64 << 10;
    match w {
        Work::Chunk(c) => c.data.len().max(SMALL),
        Work::Rows(_) => chunk_bytes,
        _ => 0,
    }
}

/// Collects the next batch, fewer only at the end of input: `max` chunks'
/// worth of work. Small chunks (an archive or folder of many small files)
/// are gathered many to a batch, so the pool is not woken for each few.
fn next_batch(
    rx: &Receiver<Vec<Work>>,
    batch: &mut Vec<Work>,
    max: usize,
    chunk_bytes: usize,
) -> bool {
    let budget = max.saturating_mul(chunk_bytes.max(1));
    let max_items = max.saturating_mul(64);
    let take = |bundle: Vec<Work>, batch: &mut Vec<Work>| {
        let w: usize = bundle.iter().map(|w| weight(w, chunk_bytes)).sum();
        batch.extend(bundle);
        w
    };
    let mut weight_so_far = match rx.recv() {
        Ok(bundle) => take(bundle, batch),
        Err(_) => return false,
    };
    while weight_so_far < budget && batch.len() < max_items {
        match rx.recv() {
            Ok(bundle) => weight_so_far += take(bundle, batch),
            Err(_) => break,
        }
    }
    true
}

/// Reads up to `want` more bytes into `buf`; returns true at end of input.
/// (Bytes read before an error are kept in `buf`.) Reading goes into the
/// buffer's spare capacity: nothing is zeroed first, which for a small
/// file in a large buffer (an archive of many small entries) was most of
/// the work.
fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let before = buf.len();
    buf.reserve(want);
    let n = r.take(want as u64).read_to_end(buf)?;
    debug_assert_eq!(n, buf.len() - before);
    Ok(n < want)
}

const SAMPLE_BYTES: usize = 256 << 10;

/// Which records the workers note, and how.
#[derive(Clone, Copy, Debug)]
struct Noting {
    /// Every PI record (`--evidence`), not only sample candidates.
    evidence: bool,
    /// Identifiers unmasked in evidence rows (`--reveal`).
    reveal: bool,
}

/// Detects, classifies and tallies rows.
fn process_rows(r: &Rows, engine: &Engine, policies: &Policies, noting: Noting) -> ChunkResult {
    let mut worker = Worker::new(engine, policies, &r.schema, noting);
    // Turning Arrow values into text is arrow-rs code: a panic on a value a
    // damaged file holds is an error of this input, not the end of the scan.
    if let Err(why) = read::guard(|| rows::each_row(r, &mut worker)) {
        worker.errors.push((
            Position::default(),
            format!("the values of these rows could not be read ({why}): the rest of the batch was not read"),
        ));
    }
    ChunkResult {
        tally: worker.tally,
        errors: worker.errors,
        noted: worker.noted,
    }
}

/// Detects, classifies and tallies one chunk.
fn process_chunk(c: &Chunk, engine: &Engine, policies: &Policies, noting: Noting) -> ChunkResult {
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
fn insert_keys(tally: &mut ChunkTally, groups: &[usize], dedup: &Dedup) {
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
fn key_buffer() -> Vec<crate::tally::KeyEntry> {
    KEY_BUFFERS.with(|b| std::mem::take(&mut b.borrow_mut().0))
}

/// What detection of a chunk's records needs besides the record.
struct Detection<'a> {
    engine: &'a Engine,
    schema: &'a [Role],
    /// Roles of JSON key paths seen in this chunk.
    keys: HashMap<String, Role>,
    scratch: Scratch,
}

impl Detection<'_> {
    /// Runs detection over a record's fields into `facts`.
    fn run(&mut self, rec: &RecordBuf, facts: &mut RecordFacts) {
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

struct Worker<'a> {
    policies: &'a Policies,
    detection: Detection<'a>,
    facts: RecordFacts,
    tally: ChunkTally,
    errors: Vec<(Position, String)>,
    noting: Noting,
    noted: Vec<evidence::Noted>,
    /// Sample candidates noted so far in this chunk, per kind.
    sampled: [usize; Kind::COUNT],
}

impl<'a> Worker<'a> {
    fn new(engine: &'a Engine, policies: &'a Policies, schema: &'a [Role], noting: Noting) -> Self {
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
    fn note(&mut self, pos: Position, rec: &RecordBuf, r: PiRecord, key: Option<u128>) {
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

    fn error(&mut self, pos: Position, message: String) {
        self.errors.push((pos, message));
    }
}

/// The most characters of one value shown in a sample or an evidence row: an
/// identifier or an attribute is short, and a field of megabytes (a file
/// with no line breaks) must not make a report of megabytes.
const MAX_SHOWN_CHARS: usize = 256;

/// Appends `v`, cut after `MAX_SHOWN_CHARS` characters (saying how long it was).
fn push_capped(out: &mut String, v: &str) {
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

/// Records sampled to type columns whose header is unknown.
const SAMPLE_RECORDS: usize = 200;

/// Types the unknown columns of a headed file from its first records.
fn type_from_sample(
    schema: &mut [Role],
    format: Format,
    decoding: FieldDecoding,
    buf: &[u8],
    (header_at, above): (u32, usize),
    engine: &Engine,
) {
    if !schema.contains(&Role::Unknown) {
        return;
    }
    struct Sample {
        columns: Vec<Vec<String>>,
        records: usize,
        /// Records above the header (a title line): not sampled.
        above: usize,
    }
    impl RecordSink for Sample {
        fn record(&mut self, _: Position, rec: &RecordBuf) {
            if self.above > 0 {
                self.above -= 1;
                return;
            }
            self.records += 1;
            if self.records > SAMPLE_RECORDS {
                return;
            }
            for (column, value) in rec.fields() {
                if let Column::Index(i) = column {
                    if let Some(values) = self.columns.get_mut(i as usize) {
                        values.push(value.to_string());
                    }
                }
            }
        }
        fn error(&mut self, _: Position, _: String) {}
    }
    let window = &buf[..buf.len().min(SAMPLE_BYTES)];
    let end = Framer::new(format, usize::MAX, decoding)
        .next(window, window.len() == buf.len())
        .map_or(0, |cut| cut.len);
    let mut sample = Sample {
        columns: vec![Vec::new(); schema.len()],
        records: 0,
        above,
    };
    let spec = ChunkSpec {
        format,
        decoding,
        header_at: Some(header_at),
        sql: None,
        items: Vec::new(),
    };
    records::parse_chunk(&spec, &buf[..end], &mut sample);
    for (role, values) in schema.iter_mut().zip(&sample.columns) {
        if *role == Role::Unknown {
            *role = engine.role_from_sample(values.iter().map(String::as_str));
        }
    }
}
