//! An external sort of fixed-size records: sorted in memory up to a budget,
//! in sorted runs on disk past it, merged back in order. The evidence table
//! uses it to decide first occurrences at any size (`evidence::Table`).
//!
//! Runs are anonymous temporary files (owner-only, gone when closed, also if
//! the process is killed).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::PathBuf;

/// An anonymous temporary file in `dir` (default: the system's); the
/// error names the directory.
pub(super) fn temp_file(dir: Option<&std::path::Path>) -> io::Result<File> {
    match dir {
        Some(d) => tempfile::tempfile_in(d),
        None => tempfile::tempfile(),
    }
    .map_err(|e| {
        let dir = dir.map_or_else(std::env::temp_dir, std::path::Path::to_path_buf);
        io::Error::new(
            e.kind(),
            format!("no temporary file in {}: {e}", dir.display()),
        )
    })
}

/// A record of `SIZE` bytes with an order.
pub(super) trait Record: Sized {
    const SIZE: usize;
    type Order: Ord + Copy;
    fn order(&self) -> Self::Order;
    fn encode(&self, out: &mut [u8]);
    fn decode(bytes: &[u8]) -> Self;
}

pub(super) struct Sorter<T> {
    buf: Vec<T>,
    /// Records held in memory before a run is written.
    budget: usize,
    runs: Vec<File>,
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
        let mut w = BufWriter::with_capacity(1 << 20, temp_file(self.dir.as_deref())?);
        let mut bytes = vec![0u8; T::SIZE];
        for r in self.buf.drain(..) {
            r.encode(&mut bytes);
            w.write_all(&bytes)?;
        }
        let mut file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.runs.push(file);
        Ok(())
    }

    /// Every record pushed, in order (equal orders: in no given order).
    pub fn finish(mut self) -> io::Result<Merged<T>> {
        self.buf.sort_unstable_by_key(|r| Reverse(r.order()));
        let mut runs: Vec<Run<T>> = self
            .runs
            .into_iter()
            .map(|f| Run {
                r: BufReader::with_capacity(1 << 16, f),
                bytes: vec![0u8; T::SIZE],
                _t: std::marker::PhantomData,
            })
            .collect();
        let mut heap = BinaryHeap::new();
        let mut heads = Vec::with_capacity(runs.len());
        for (i, run) in runs.iter_mut().enumerate() {
            let head = run.next()?;
            if let Some(h) = &head {
                heap.push(Reverse((h.order(), i)));
            }
            heads.push(head);
        }
        Ok(Merged {
            memory: self.buf,
            runs,
            heads,
            heap,
        })
    }
}

struct Run<T> {
    r: BufReader<File>,
    bytes: Vec<u8>,
    _t: std::marker::PhantomData<T>,
}

impl<T: Record> Run<T> {
    fn next(&mut self) -> io::Result<Option<T>> {
        match self.r.read_exact(&mut self.bytes) {
            Ok(()) => Ok(Some(T::decode(&self.bytes))),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The records of a `Sorter`, in order: the ones held in memory (sorted in
/// reverse, taken from the end) merged with the runs' heads.
pub(super) struct Merged<T: Record> {
    memory: Vec<T>,
    runs: Vec<Run<T>>,
    heads: Vec<Option<T>>,
    heap: BinaryHeap<Reverse<(T::Order, usize)>>,
}

impl<T: Record> Merged<T> {
    pub fn next(&mut self) -> io::Result<Option<T>> {
        let Some(&Reverse((order, i))) = self.heap.peek() else {
            return Ok(self.memory.pop());
        };
        if self.memory.last().is_some_and(|m| m.order() < order) {
            return Ok(self.memory.pop());
        }
        self.heap.pop();
        let (Some(run), Some(head)) = (self.runs.get_mut(i), self.heads.get_mut(i)) else {
            return Ok(None);
        };
        let next = run.next()?;
        if let Some(n) = &next {
            self.heap.push(Reverse((n.order(), i)));
        }
        Ok(std::mem::replace(head, next))
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
        while let Some(p) = m.next().unwrap() {
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
