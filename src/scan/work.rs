//! The work protocol: what the reader thread sends to the driver, in input
//! order, and how it is batched for the pool.

use std::sync::mpsc::Receiver;
use std::sync::{Arc, RwLock};

use crate::detect::Role;
use crate::input::{InputError, Skipped};
use crate::records::columnar::Leaf;
use crate::records::{ChunkSpec, Position, RecordError};
use crate::tally::ChunkTally;

use super::evidence;
use crate::tally::found::ArchiveSummary;

/// The dedup groups of each input, set by the reader when it opens the input
/// and read by the workers that insert its records' keys.
#[derive(Debug, Default)]
pub(crate) struct InputGroups(RwLock<Vec<Arc<[usize]>>>);

impl InputGroups {
    /// The groups of every input, once the scan is done.
    pub(super) fn into_inner(self) -> Vec<Arc<[usize]>> {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn set(&self, input: usize, groups: Arc<[usize]>) {
        let mut all = self.0.write().unwrap_or_else(|p| p.into_inner());
        if all.len() <= input {
            all.resize(input + 1, Arc::from(Vec::new()));
        }
        all[input] = groups;
    }

    pub(super) fn get(&self, input: usize) -> Arc<[usize]> {
        let all = self.0.read().unwrap_or_else(|p| p.into_inner());
        all.get(input)
            .cloned()
            .unwrap_or_else(|| Arc::from(Vec::new()))
    }
}

/// What the reader thread sends, in input order.
pub(super) enum Work {
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

pub(super) struct Opened {
    pub(super) input: usize,
    pub(super) path: String,
    pub(super) format: String,
    pub(super) encoding: String,
    pub(super) compression: Option<String>,
    pub(super) symlink_to: Option<String>,
}

pub(super) struct Chunk {
    pub(super) input: usize,
    pub(super) spec: ChunkSpec,
    pub(super) schema: Arc<Vec<Role>>,
    /// Where the chunk starts in its input: byte offset, and line ends before it.
    pub(super) offset: u64,
    pub(super) line: u64,
    pub(super) data: Vec<u8>,
}

/// Rows of a workbook sheet or a columnar file.
pub(super) struct Rows {
    pub(super) input: usize,
    pub(super) schema: Arc<Vec<Role>>,
    /// What stands before a row's number in its place (`sheet 客户, row `).
    pub(super) place: Arc<str>,
    pub(super) data: RowData,
}

pub(super) enum RowData {
    /// Rows by number, each with its non-empty cells' texts by column.
    Cells(Vec<(u64, Vec<(u32, String)>)>),
    Arrow {
        batch: arrow_array::RecordBatch,
        leaves: Arc<Vec<Leaf>>,
        /// 1-based number of the batch's first row in the file.
        first_row: u64,
    },
}

pub(super) struct ChunkResult {
    pub(super) tally: ChunkTally,
    pub(super) errors: Vec<(Position, RecordError)>,
    pub(super) noted: Vec<evidence::Noted>,
}

/// What one work item costs the pool, for batching: a chunk its bytes (at
/// least `SMALL`, the fixed cost of a chunk), rows as a full chunk, the
/// rest nothing.
pub(super) fn weight(w: &Work, chunk_bytes: usize) -> usize {
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
pub(super) fn next_batch(
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
