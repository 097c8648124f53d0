//! Spilling to disk, for the two tables that may outgrow `--max-memory`: the
//! dedup table (`tally::dedup`) and the evidence table's first occurrences
//! (`scan::evidence`). One place for the spill directory (owner-only,
//! removed on Ctrl-C), anonymous temporary files, sorted runs of fixed-size
//! records read back in blocks, and the external sort that merges them.

use std::borrow::Borrow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// A record of `SIZE` bytes with an order.
pub trait Record: Sized {
    const SIZE: usize;
    type Order: Ord + Copy;
    fn order(&self) -> Self::Order;
    fn encode(&self, out: &mut [u8]);
    fn decode(bytes: &[u8]) -> Self;
}

/// A 128-bit key, little-endian (the dedup table's entries).
impl Record for u128 {
    const SIZE: usize = 16;
    type Order = u128;
    fn order(&self) -> u128 {
        *self
    }
    fn encode(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_le_bytes());
    }
    fn decode(bytes: &[u8]) -> u128 {
        let mut b = [0u8; 16];
        b.copy_from_slice(bytes);
        u128::from_le_bytes(b)
    }
}

/// An anonymous temporary file in `dir` (default: the system's): owner-only,
/// gone when closed, also if the process is killed. The error names the
/// directory.
pub fn temp_file(dir: Option<&Path>) -> io::Result<File> {
    match dir {
        Some(d) => tempfile::tempfile_in(d),
        None => tempfile::tempfile(),
    }
    .map_err(|e| {
        let dir = dir.map_or_else(std::env::temp_dir, Path::to_path_buf);
        io::Error::new(
            e.kind(),
            format!("no temporary file in {}: {e}", dir.display()),
        )
    })
}

/// A named spill directory: owner-only, removed when dropped, and on Ctrl-C
/// (see [`remove_spill_dirs_and`]).
#[derive(Debug)]
pub struct SpillDir {
    dir: tempfile::TempDir,
}

/// The spill directories in use. Files are created in them only under this
/// lock, and never once the process is exiting, so the Ctrl-C handler can
/// remove them all without a worker creating one behind it.
struct SpillRegistry {
    dirs: Vec<PathBuf>,
    exiting: bool,
}

static SPILL_DIRS: Mutex<SpillRegistry> = Mutex::new(SpillRegistry {
    dirs: Vec::new(),
    exiting: false,
});

fn registry() -> MutexGuard<'static, SpillRegistry> {
    SPILL_DIRS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Removes every spill directory still in use and calls `exit` with the
/// registry locked, so no spill file can be created after the removal (for a
/// signal handler: the process ends without running destructors).
pub fn remove_spill_dirs_and(exit: impl FnOnce()) {
    let mut reg = registry();
    reg.exiting = true;
    for d in reg.dirs.iter() {
        let _ = std::fs::remove_dir_all(d);
    }
    exit();
}

fn exiting() -> io::Error {
    io::Error::other("the scan is being interrupted")
}

impl SpillDir {
    /// A new directory `PREFIX…` in `parent` (default: the system's).
    pub fn new(parent: Option<&Path>, prefix: &str) -> io::Result<SpillDir> {
        use std::os::unix::fs::PermissionsExt;
        let mut reg = registry();
        if reg.exiting {
            return Err(exiting());
        }
        let mut b = tempfile::Builder::new();
        b.prefix(prefix)
            .permissions(std::fs::Permissions::from_mode(0o700));
        let dir = match parent {
            Some(p) => b.tempdir_in(p)?,
            None => b.tempdir()?,
        };
        reg.dirs.push(dir.path().to_path_buf());
        Ok(SpillDir { dir })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The file `name`, opened for appending (created owner-only); refused
    /// once the process is exiting.
    pub fn append(&self, name: &str) -> io::Result<File> {
        let reg = registry();
        if reg.exiting {
            return Err(exiting());
        }
        OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(self.path(name))
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        registry().dirs.retain(|d| d != self.dir.path());
    }
}

/// A sorted run on disk: `count` records from byte `offset` of its file.
#[derive(Clone, Copy, Debug)]
pub struct Run {
    pub offset: u64,
    pub count: u64,
}

/// Writes `records` (already in order) at the end of `file`, after the
/// `runs` already there, and adds their run to `runs`.
pub fn write_run<T: Record>(
    file: &File,
    runs: &mut Vec<Run>,
    records: impl Iterator<Item = T>,
) -> io::Result<()> {
    let offset = runs
        .last()
        .map_or(0, |r| r.offset + r.count * T::SIZE as u64);
    let mut w = BufWriter::with_capacity(1 << 16, file);
    let mut bytes = vec![0u8; T::SIZE];
    let mut count = 0u64;
    for r in records {
        r.encode(&mut bytes);
        w.write_all(&bytes)?;
        count += 1;
    }
    w.flush()?;
    runs.push(Run { offset, count });
    Ok(())
}

/// The records of a run, read back in order in blocks. `F` is the file, or
/// a reference to it (runs of one file read side by side).
pub struct RunReader<F, T> {
    file: F,
    next: u64,
    left: u64,
    bytes: Vec<u8>,
    buf: VecDeque<T>,
}

impl<F: Borrow<File>, T: Record> RunReader<F, T> {
    const BLOCK: u64 = 4096;

    pub fn new(file: F, run: Run) -> RunReader<F, T> {
        RunReader {
            file,
            next: run.offset,
            left: run.count,
            bytes: Vec::new(),
            buf: VecDeque::new(),
        }
    }

    /// The next record, not taken.
    pub fn peek(&mut self) -> io::Result<Option<&T>> {
        if self.buf.is_empty() && self.left > 0 {
            let n = self.left.min(Self::BLOCK);
            let size = T::SIZE as u64;
            self.bytes.resize((n * size) as usize, 0);
            self.file
                .borrow()
                .read_exact_at(&mut self.bytes, self.next)?;
            self.buf
                .extend(self.bytes.chunks_exact(T::SIZE).map(T::decode));
            self.next += n * size;
            self.left -= n;
        }
        Ok(self.buf.front())
    }

    /// The next record, taken.
    pub fn pop(&mut self) -> io::Result<Option<T>> {
        self.peek()?;
        Ok(self.buf.pop_front())
    }
}

/// An external sort: records held in memory up to a budget, in sorted runs
/// in one anonymous temporary file past it, merged back in order.
pub struct Sorter<T> {
    buf: Vec<T>,
    /// Records held in memory before a run is written.
    budget: usize,
    file: Option<File>,
    runs: Vec<Run>,
    dir: Option<PathBuf>,
}

impl<T: Record> Sorter<T> {
    /// Holds up to `memory` bytes of records (at least 1,024 records).
    pub fn new(memory: u64, dir: Option<PathBuf>) -> Self {
        let budget = usize::try_from(memory / T::SIZE as u64)
            .unwrap_or(usize::MAX)
            .max(1024);
        Sorter {
            buf: Vec::new(),
            budget,
            file: None,
            runs: Vec::new(),
            dir,
        }
    }

    pub fn push(&mut self, r: T) -> io::Result<()> {
        if self.buf.len() == self.buf.capacity() {
            // Grow by doubling, but never past the budget (a doubling from
            // just under it would hold nearly twice the memory allowed).
            let more = self.buf.capacity().max(1024);
            self.buf
                .reserve_exact(more.min(self.budget.saturating_sub(self.buf.len()).max(1)));
        }
        self.buf.push(r);
        if self.buf.len() >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Runs written to disk so far.
    #[cfg(test)]
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> io::Result<()> {
        self.buf.sort_unstable_by_key(T::order);
        if self.file.is_none() {
            self.file = Some(temp_file(self.dir.as_deref())?);
        }
        let Some(file) = &self.file else {
            return Err(io::Error::other("no temporary file"));
        };
        write_run(file, &mut self.runs, self.buf.drain(..))
    }

    /// Every record pushed, in order (equal orders: in no given order).
    pub fn finish(mut self) -> io::Result<Merged<T>> {
        self.buf.sort_unstable_by_key(|r| Reverse(r.order()));
        let mut runs: Vec<RunReader<File, T>> = Vec::with_capacity(self.runs.len());
        if let Some(file) = &self.file {
            for &run in &self.runs {
                runs.push(RunReader::new(file.try_clone()?, run));
            }
        }
        let mut heap = BinaryHeap::new();
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(h) = run.peek()? {
                heap.push(Reverse((h.order(), i)));
            }
        }
        Ok(Merged {
            memory: self.buf,
            runs,
            heap,
        })
    }
}

/// The records of a `Sorter`, in order: the ones held in memory (sorted in
/// reverse, taken from the end) merged with the runs' heads.
pub struct Merged<T: Record> {
    memory: Vec<T>,
    runs: Vec<RunReader<File, T>>,
    heap: BinaryHeap<Reverse<(T::Order, usize)>>,
}

impl<T: Record> Merged<T> {
    /// The next record in order, taken.
    pub fn pop(&mut self) -> io::Result<Option<T>> {
        let Some(&Reverse((order, i))) = self.heap.peek() else {
            return Ok(self.memory.pop());
        };
        if self.memory.last().is_some_and(|m| m.order() < order) {
            return Ok(self.memory.pop());
        }
        self.heap.pop();
        let Some(run) = self.runs.get_mut(i) else {
            return Ok(None);
        };
        let head = run.pop()?;
        if let Some(n) = run.peek()? {
            self.heap.push(Reverse((n.order(), i)));
        }
        Ok(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    struct Pair(u64, u32);

    impl Record for Pair {
        const SIZE: usize = 12;
        type Order = (u64, u32);
        fn order(&self) -> (u64, u32) {
            (self.0, self.1)
        }
        fn encode(&self, out: &mut [u8]) {
            out[..8].copy_from_slice(&self.0.to_le_bytes());
            out[8..12].copy_from_slice(&self.1.to_le_bytes());
        }
        fn decode(b: &[u8]) -> Self {
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[..8]);
            let mut c = [0u8; 4];
            c.copy_from_slice(&b[8..12]);
            Pair(u64::from_le_bytes(a), u32::from_le_bytes(c))
        }
    }

    fn sorted(n: u32, memory: u64) -> (Vec<Pair>, usize) {
        let mut s = Sorter::new(memory, None);
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for i in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push(Pair(x % 997, i)).unwrap();
        }
        let runs = s.runs();
        let mut m = s.finish().unwrap();
        let mut out = Vec::new();
        while let Some(p) = m.pop().unwrap() {
            out.push(p);
        }
        (out, runs)
    }

    #[test]
    fn records_come_back_in_order_from_memory_and_from_runs() {
        let (in_memory, runs) = sorted(10_000, 1 << 30);
        assert_eq!(runs, 0);
        let (spilled, runs) = sorted(10_000, 0);
        assert_eq!(runs, 9, "1,024 records a run");
        assert_eq!(in_memory.len(), 10_000);
        assert_eq!(in_memory, spilled);
        assert!(in_memory.windows(2).all(|w| w[0].order() < w[1].order()));
        assert_eq!(sorted(0, 0).0, vec![]);
        assert_eq!(sorted(1024, 0), (sorted(1024, 1 << 20).0, 1));
    }
}
