//! The scan: inputs → decode → records → detect → classify → tally.
//!
//! One reader thread opens files in scan order, sniffs encoding and format,
//! hashes the raw bytes and cuts the stream into chunks at record boundaries
//! (`read`). Chunks are detected, classified and tallied on the rayon pool
//! in batches (`worker`); each batch is absorbed in input order
//! (`assemble`), so dedup sees the first occurrence first and the result
//! does not depend on the number of threads. `work` is the protocol between
//! the reader and the driver.

mod assemble;
mod evidence;
mod guard;
mod options;
mod progress;
mod read;
mod work;
mod worker;

use std::sync::atomic::AtomicU64;
use std::sync::mpsc::sync_channel;

use crate::case::Groups;
use crate::detect::Engine;
use crate::input::InputFile;
use crate::tally::Dedup;
use work::{next_batch, InputGroups, Work};

pub use crate::tally::found::{
    ArchiveSummary, EvidenceRow, EvidenceSink, InputSummary, Located, Sample, ScanOutput, Status,
    SAMPLES,
};
pub use guard::install_panic_hook;
pub use options::ScanOptions;

/// Runs the scan; with a sink, writes the evidence table as it goes.
pub fn scan(
    files: &[InputFile],
    groups: &Groups,
    engine: &Engine,
    opts: &ScanOptions,
    sink: Option<&mut dyn EvidenceSink>,
) -> ScanOutput {
    let mut out = ScanOutput::new();
    let (mut notes, to_table) = evidence::Notes::new(sink.is_some());
    let noting = worker::Noting {
        evidence: notes.evidence(),
        reveal: opts.reveal,
    };
    let file_groups: Vec<Vec<usize>> = files.iter().map(|f| groups.of(&f.display)).collect();
    let unassigned = (!groups.is_empty()).then(|| groups.len() - 1);
    let dedup = Dedup::new(opts.max_memory, unassigned, opts.temp_dir.clone());
    let input_groups = InputGroups::default();
    let progress = AtomicU64::new(0);
    let bar = opts.progress.then(|| progress::bar(files));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build();
    let batch_len = 16 * opts.threads.max(rayon::current_num_threads()).max(1);
    let (tx, rx) = sync_channel::<Vec<Work>>(batch_len);
    let (mut table, mut prefixes) = (None, Vec::new());
    std::thread::scope(|s| {
        // The evidence table's rows go to a temporary file as they come;
        // their sorts take a quarter of --max-memory each.
        let collector = to_table.map(|rows| {
            let (budget, dir) = (opts.max_memory / 4, opts.temp_dir.clone());
            s.spawn(move || evidence::Table::new(budget, dir)?.collect(rows))
        });
        s.spawn(|| {
            read::Reader::new(
                engine,
                opts,
                tx,
                groups,
                &file_groups,
                &input_groups,
                &progress,
            )
            .read_all(files)
        });
        let mut batch: Vec<Work> = Vec::with_capacity(batch_len);
        while next_batch(&rx, &mut batch, batch_len, opts.chunk_bytes) {
            let on = worker::On {
                engine,
                policies: &opts.policies,
                noting,
                input_groups: &input_groups,
                dedup: &dedup,
            };
            let results = worker::process_batch(&batch, pool.as_ref().ok(), on);
            for (work, result) in batch.drain(..).zip(results) {
                assemble::take(&mut out, &mut notes, &input_groups, work, result);
            }
            if let Some(bar) = &bar {
                progress::show(bar, out.tally.records, &progress);
            }
        }
        prefixes = notes.close();
        table = collector.map(|c| {
            c.join().unwrap_or_else(|_| {
                Err(std::io::Error::other(
                    "the evidence table's collector failed",
                ))
            })
        });
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let finish = assemble::Finish {
        pool: pool.as_ref().ok(),
        dedup,
        unassigned,
        groups,
        input_groups,
    };
    finish.run(&mut out, notes, sink.zip(table), &prefixes);
    out
}
