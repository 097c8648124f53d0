//! The scan: inputs → decode → records → detect → classify → tally.
//!
//! One reader thread opens files in scan order, sniffs encoding and format,
//! hashes the raw bytes and cuts the stream into chunks at record boundaries.
//! Chunks are detected, classified and tallied on the rayon pool in batches;
//! each batch is absorbed in input order, so dedup sees the first occurrence
//! first and the result does not depend on the number of threads.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::case::Groups;
use crate::classify::{classify, Policies};
use crate::decode::{self, Encoding, FieldDecoding};
use crate::detect::{Engine, RecordFacts, Role, Scratch};
use crate::input::{self, HashingReader, InputError, InputFile, Skipped};
use crate::records::{self, ChunkSpec, Column, Format, Framer, Position, RecordBuf, RecordSink};
use crate::tally::{ChunkTally, Tally};

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
        }
    }
}

/// What the scan learnt about one input file.
#[derive(Clone, Debug, Serialize)]
pub struct InputSummary {
    pub path: String,
    pub format: String,
    pub encoding: String,
    pub bytes: u64,
    pub sha256: String,
    pub records: u64,
    pub errors: u64,
}

/// The result of a scan, before the law is applied.
#[derive(Debug)]
pub struct ScanOutput {
    pub inputs: Vec<InputSummary>,
    pub tally: Tally,
    pub errors: Vec<InputError>,
    pub skipped: Vec<Skipped>,
    /// Per recipient group: (name, files, counted items).
    pub groups: Vec<(String, u64)>,
}

/// What the reader thread sends, in input order.
enum Work {
    Start {
        file: usize,
        format: Format,
        encoding: Encoding,
    },
    Chunk(Chunk),
    End {
        file: usize,
        bytes: u64,
        sha256: String,
    },
    Error(usize, InputError),
    Skipped(usize, Skipped),
}

struct Chunk {
    file: usize,
    spec: ChunkSpec,
    schema: Arc<Vec<Role>>,
    offset: u64,
    data: Vec<u8>,
}

struct ChunkResult {
    tally: ChunkTally,
    newlines: u64,
    errors: Vec<(Position, String)>,
}

/// Runs the scan.
pub fn scan(
    files: &[InputFile],
    groups: &Groups,
    engine: &Engine,
    opts: &ScanOptions,
) -> ScanOutput {
    let mut out = ScanOutput {
        inputs: files
            .iter()
            .map(|f| InputSummary {
                path: f.display.clone(),
                format: String::new(),
                encoding: String::new(),
                bytes: 0,
                sha256: String::new(),
                records: 0,
                errors: 0,
            })
            .collect(),
        tally: Tally::new(groups.len(), !groups.is_empty()),
        errors: Vec::new(),
        skipped: Vec::new(),
        groups: Vec::new(),
    };
    let file_groups: Vec<Vec<usize>> = files.iter().map(|f| groups.of(&f.display)).collect();
    let mut file_lines = vec![0u64; files.len()];

    let mut skipped_files = vec![false; files.len()];

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build();
    let batch_len = 4 * opts.threads.max(rayon::current_num_threads()).max(1);
    let (tx, rx) = sync_channel::<Work>(batch_len * 2);

    std::thread::scope(|s| {
        s.spawn(|| read_all(files, engine, opts, tx));
        let mut batch: Vec<Work> = Vec::with_capacity(batch_len);
        while next_batch(&rx, &mut batch, batch_len) {
            let process = |w: &Work| match w {
                Work::Chunk(c) => Some(process_chunk(c, engine, &opts.policies)),
                _ => None,
            };
            let results: Vec<Option<ChunkResult>> = match &pool {
                Ok(pool) => pool.install(|| batch.par_iter().map(process).collect()),
                Err(_) => batch.iter().map(process).collect(),
            };
            for (work, result) in batch.drain(..).zip(results) {
                match (work, result) {
                    (Work::Chunk(c), Some(r)) => {
                        let input = &mut out.inputs[c.file];
                        input.records += r.tally.records;
                        input.errors += r.errors.len() as u64;
                        for (pos, message) in r.errors {
                            out.errors.push(InputError {
                                path: input.path.clone(),
                                position: position(
                                    file_lines[c.file] + pos.line,
                                    c.offset + pos.offset,
                                    c.spec.decoding,
                                ),
                                message,
                            });
                        }
                        file_lines[c.file] += r.newlines;

                        out.tally.absorb(&r.tally, &file_groups[c.file]);
                    }
                    (
                        Work::Start {
                            file,
                            format,
                            encoding,
                        },
                        _,
                    ) => {
                        out.inputs[file].format = format.key().to_string();
                        out.inputs[file].encoding = encoding.key().to_string();
                    }
                    (
                        Work::End {
                            file,
                            bytes,
                            sha256,
                        },
                        _,
                    ) => {
                        out.inputs[file].bytes = bytes;
                        out.inputs[file].sha256 = sha256;
                    }
                    (Work::Error(file, e), _) => {
                        out.inputs[file].errors += 1;
                        out.errors.push(e);
                    }
                    (Work::Skipped(file, s), _) => {
                        skipped_files[file] = true;
                        out.skipped.push(s);
                    }
                    (Work::Chunk(_), None) => unreachable!("every chunk is processed"),
                }
            }
        }
    });

    // Skipped files are listed under `skipped`, not as inputs.
    let mut i = 0;
    out.inputs.retain(|_| {
        i += 1;
        !skipped_files[i - 1]
    });
    out.tally.finish();
    out.groups = groups
        .names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            (
                name.clone(),
                file_groups.iter().filter(|fg| fg.contains(&g)).count() as u64,
            )
        })
        .collect();
    out
}

/// Collects the next batch: up to `max` items, fewer only at the end of input.
fn next_batch(rx: &Receiver<Work>, batch: &mut Vec<Work>, max: usize) -> bool {
    match rx.recv() {
        Ok(w) => batch.push(w),
        Err(_) => return false,
    }
    while batch.len() < max {
        match rx.recv() {
            Ok(w) => batch.push(w),
            Err(_) => break,
        }
    }
    true
}

fn position(line0: u64, offset: u64, dec: FieldDecoding) -> String {
    // A transcoded stream's byte offsets are not the file's: lines only.
    if dec == FieldDecoding::Transcoded {
        format!("line {}", line0 + 1)
    } else {
        format!("line {}, byte {}", line0 + 1, offset)
    }
}

/// The reader thread: every file in order, cut into chunks.
fn read_all(files: &[InputFile], engine: &Engine, opts: &ScanOptions, tx: SyncSender<Work>) {
    for (i, f) in files.iter().enumerate() {
        if let Err(e) = read_file(i, f, engine, opts, &tx) {
            let sent = tx.send(Work::Error(
                i,
                InputError {
                    path: f.display.clone(),
                    position: String::new(),
                    message: format!("cannot read: {e}"),
                },
            ));
            if sent.is_err() {
                return;
            }
        }
    }
}

/// Reads up to `want` more bytes into `buf`; returns true at end of input.
fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let target = buf.len() + want;
    while buf.len() < target {
        let start = buf.len();
        buf.resize(target, 0);
        match r.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return Ok(true);
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(false)
}

const SAMPLE_BYTES: usize = 256 << 10;

fn read_file(
    file: usize,
    f: &InputFile,
    engine: &Engine,
    opts: &ScanOptions,
    tx: &SyncSender<Work>,
) -> std::io::Result<()> {
    let send = |w: Work| {
        tx.send(w)
            .map_err(|_| std::io::Error::other("scan stopped"))
    };
    let mut raw = HashingReader::new(f.open()?);
    let mut sample = Vec::new();
    let sample_complete = fill(&mut raw, &mut sample, SAMPLE_BYTES)?;
    if let Some(kind) = input::unreadable_kind(&sample) {
        if !decode::sniff(&sample, sample_complete).is_utf16() {
            let (_, sha256) = raw.finish()?;
            return send(Work::Skipped(
                file,
                Skipped {
                    path: f.display.clone(),
                    reason: kind.to_string(),
                    sha256,
                },
            ));
        }
    }
    let encoding = opts
        .encoding
        .unwrap_or_else(|| decode::sniff(&sample, sample_complete));
    let bom = match encoding {
        Encoding::Utf8Bom if sample.starts_with(&[0xef, 0xbb, 0xbf]) => 3,
        _ => 0,
    };

    // The format is decided on a fixed-size sample, whatever the chunk size,
    // so that it cannot depend on `--chunk-bytes`.
    let sniff = |text: &[u8], complete: bool| {
        let n = text.len().min(SAMPLE_BYTES);
        opts.format.unwrap_or_else(|| {
            records::sniff_format(
                &text[..n],
                complete && n == text.len(),
                f.extension().as_deref(),
            )
        })
    };
    // GBK is sniffed as text: its trail bytes include `|` and `\\`.
    let sample_text: std::borrow::Cow<[u8]> = if encoding == Encoding::Gbk {
        let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(&sample);
        std::borrow::Cow::Owned(text.into_owned().into_bytes())
    } else {
        std::borrow::Cow::Borrowed(&sample[bom..])
    };
    let mut format = sniff(&sample_text, sample_complete);
    let transcode = encoding == Encoding::Gbk && format.needs_utf8_framing();
    let decoding = FieldDecoding::of(encoding, transcode);

    // From here on the hashing reader sees every remaining byte.
    let mut raw = Some(raw);
    let mut hashed_rest = HashingTail(&mut raw);
    let mut stream = decode::reader(
        encoding,
        transcode,
        bom,
        Cursor::new(&sample[..]).chain(&mut hashed_rest),
    )?;

    let mut buf = Vec::with_capacity(opts.chunk_bytes * 2);
    let mut eof = fill(&mut stream, &mut buf, opts.chunk_bytes.max(SAMPLE_BYTES))?;
    if encoding.is_utf16() {
        // Only now is the text readable.
        format = sniff(&buf, eof);
    }
    let mut schema = Vec::new();
    let mut skip_first = false;
    if format.has_header_row() {
        let header = records::first_record(format, decoding, &buf);
        let refs: Vec<&str> = header.iter().map(String::as_str).collect();
        if engine.looks_like_header(&refs) {
            schema = header.iter().map(|h| engine.role_for_header(h)).collect();
            skip_first = true;
            type_from_sample(&mut schema, format, decoding, &buf, engine);
        }
    }
    let schema = Arc::new(schema);
    send(Work::Start {
        file,
        format,
        encoding,
    })?;

    let mut framer = Framer::new(format);
    let mut offset = bom as u64;
    while !buf.is_empty() {
        let in_array = framer.in_array;
        let end = match framer.boundary(&buf, eof) {
            Some(end) => end,
            None if buf.len() >= opts.max_record_bytes => {
                send(Work::Error(
                    file,
                    InputError {
                        path: f.display.clone(),
                        position: format!("byte {offset}"),
                        message: format!(
                            "record longer than {} bytes: cut there and read on",
                            opts.max_record_bytes
                        ),
                    },
                ))?;
                // cut at a line end if there is one, so the next chunk starts
                // on a fresh line
                memchr::memrchr(b'\n', &buf).map_or(buf.len(), |i| i + 1)
            }
            None => {
                let want = buf.len().max(opts.chunk_bytes);
                eof = fill(&mut stream, &mut buf, want)?;
                continue;
            }
        };
        let data = buf[..end].to_vec();
        buf.drain(..end);
        send(Work::Chunk(Chunk {
            file,
            spec: ChunkSpec {
                format,
                decoding,
                skip_first: std::mem::take(&mut skip_first),
                in_array,
            },
            schema: Arc::clone(&schema),
            offset,
            data,
        }))?;
        offset += end as u64;
        if buf.len() < opts.chunk_bytes && !eof {
            let want = opts.chunk_bytes - buf.len();
            eof = fill(&mut stream, &mut buf, want)?;
        }
    }
    drop(stream);
    let (bytes, sha256) = match raw.take() {
        Some(r) => r.finish()?,
        None => (0, String::new()),
    };
    send(Work::End {
        file,
        bytes,
        sha256,
    })
}

/// Lends the hashing reader to the decode stream and gives it back after.
struct HashingTail<'a>(&'a mut Option<HashingReader<Box<dyn Read + Send>>>);

impl Read for HashingTail<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0 {
            Some(r) => r.read(buf),
            None => Ok(0),
        }
    }
}

/// Detects, classifies and tallies one chunk.
fn process_chunk(c: &Chunk, engine: &Engine, policies: &Policies) -> ChunkResult {
    let mut worker = Worker {
        engine,
        policies,
        schema: &c.schema,
        keys: HashMap::new(),
        facts: RecordFacts::default(),
        scratch: Scratch::default(),
        tally: ChunkTally::default(),
        errors: Vec::new(),
    };
    records::parse_chunk(&c.spec, &c.data, &mut worker);
    ChunkResult {
        tally: worker.tally,
        newlines: memchr::memchr_iter(b'\n', &c.data).count() as u64,
        errors: worker.errors,
    }
}

struct Worker<'a> {
    engine: &'a Engine,
    policies: &'a Policies,
    schema: &'a [Role],
    /// Roles of JSON key paths seen in this chunk.
    keys: HashMap<String, Role>,
    facts: RecordFacts,
    scratch: Scratch,
    tally: ChunkTally,
    errors: Vec<(Position, String)>,
}

impl RecordSink for Worker<'_> {
    fn record(&mut self, _pos: Position, rec: &RecordBuf) {
        self.facts.clear();
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
                .detect_field(role, value, &mut self.facts, &mut self.scratch);
        }
        self.facts.finish();
        let outcome = classify(&self.facts, self.policies);
        self.tally.add(outcome, &mut self.facts);
    }

    fn error(&mut self, pos: Position, message: String) {
        self.errors.push((pos, message));
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
    engine: &Engine,
) {
    if !schema.contains(&Role::Unknown) {
        return;
    }
    struct Sample {
        columns: Vec<Vec<String>>,
        records: usize,
    }
    impl RecordSink for Sample {
        fn record(&mut self, _: Position, rec: &RecordBuf) {
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
    let mut framer = Framer::new(format);
    let window = &buf[..buf.len().min(SAMPLE_BYTES)];
    let end = framer
        .boundary(window, window.len() == buf.len())
        .unwrap_or(0);
    let mut sample = Sample {
        columns: vec![Vec::new(); schema.len()],
        records: 0,
    };
    let spec = ChunkSpec {
        format,
        decoding,
        skip_first: true,
        in_array: false,
    };
    records::parse_chunk(&spec, &buf[..end], &mut sample);
    for (role, values) in schema.iter_mut().zip(&sample.columns) {
        if *role == Role::Unknown {
            *role = engine.role_from_sample(values.iter().map(String::as_str));
        }
    }
}
