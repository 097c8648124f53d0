//! Tar archives, streamed: each regular entry is read as a source of its
//! own (`dump.tar.gz!dump/users.csv`) as it comes, never unpacked to disk
//! or held whole. Links are listed, not followed.

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

use super::archive::entry_name;
use super::{Leaf, Reader, Source, Step};
use crate::input::Skipped;
use crate::model::Place;
use crate::scan::work::Work;

/// The bytes of a tar's end-of-archive marker: two zero blocks.
const END_OF_ARCHIVE: u64 = 1024;

/// Counts the zero bytes at the end of what has been read, so that a tar
/// that ends without its end-of-archive blocks is known to be cut short.
struct Tail<R> {
    inner: R,
    zeros: u64,
}

impl<R: Read> Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = &buf[..n];
        match read.iter().rposition(|&b| b != 0) {
            Some(last) => self.zeros = (n - last - 1) as u64,
            None => self.zeros += n as u64,
        }
        Ok(n)
    }
}

/// An entry's data, which must be as long as its header says: a stream
/// that ends before is an error here, not a short entry read as whole.
struct Exact<R> {
    inner: R,
    left: u64,
    /// Set when the stream ended first.
    cut: Rc<Cell<bool>>,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.cut.set(true);
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("tar entry cut short: {} bytes missing", self.left),
            ));
        }
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}

impl Reader<'_> {
    /// A tar archive, front to back. Concatenated archives (`cat a.tar
    /// b.tar`) are read on, as `tar --ignore-zeros` does; a damaged header
    /// ends the walk with an error after the entries before it.
    pub(super) fn tar(&mut self, src: &Source, head: Vec<u8>, rest: &mut dyn Read) -> Step<Leaf> {
        let mut tail = Tail {
            inner: Cursor::new(head).chain(rest),
            zeros: 0,
        };
        let mut archive = tar::Archive::new(&mut tail);
        archive.set_ignore_zeros(true);
        let cut = Rc::new(Cell::new(false));
        let mut entries = 0;
        let stop =
            |this: &Self, entries: u64, e: io::Error| this.walk_ended(src, "tar", entries, e);
        let walk = match archive.entries() {
            Ok(walk) => walk,
            Err(e) => {
                stop(self, 0, e)?;
                return Ok(Leaf::Failed);
            }
        };
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    // After an entry cut short, the walk's own error is the
                    // same damage, already reported under the entry.
                    if !cut.get() {
                        stop(self, entries, e)?;
                    }
                    cut.set(true);
                    break;
                }
            };
            let kind = entry.header().entry_type();
            if kind.is_dir() || kind.is_pax_global_extensions() {
                continue;
            }
            entries += 1;
            let name = entry_name(&entry.path_bytes());
            if kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse() {
                let size = entry.size();
                let body = Exact {
                    inner: entry,
                    left: size,
                    cut: Rc::clone(&cut),
                };
                self.entry_source(src, name, size, size, Box::new(body))?;
            } else {
                let what = if kind.is_symlink() {
                    "symbolic link"
                } else if kind.is_hard_link() {
                    "hard link"
                } else if kind.is_fifo() {
                    "named pipe"
                } else if kind.is_character_special() || kind.is_block_special() {
                    "device"
                } else {
                    "entry of an unknown type"
                };
                let to = entry
                    .link_name_bytes()
                    .map(|l| format!(" to {}", entry_name(&l)))
                    .unwrap_or_default();
                self.send(Work::Skipped(Skipped {
                    path: format!("{}!{name}", src.path),
                    reason: format!("tar {what}{to}: listed, not followed"),
                    sha256: String::new(),
                }))?;
            }
        }
        // Whole archives end with two zero blocks (and tar pads the last
        // record with more); one that does not was cut short, perhaps
        // between two entries, where no entry noticed.
        if tail.zeros < END_OF_ARCHIVE && !cut.get() {
            self.error(
                None,
                &src.path,
                Place::AfterEntry(entries),
                "tar cut short: it does not end with its end-of-archive blocks".into(),
            )?;
        }
        Ok(Leaf::Archive {
            format: "tar",
            entries,
            hashed: None,
        })
    }
}
