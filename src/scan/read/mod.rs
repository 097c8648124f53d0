//! The reader thread: every input in scan order, opened, unpacked, sniffed
//! and cut into work items for the pool.
//!
//! A *source* is a byte stream with a name: a file, or an entry of an
//! archive. Its bytes are hashed as they are read. What it holds is decided
//! by its first bytes: a compressed stream is decoded and looked at again
//! (`a.csv.gz` is read as CSV), a zip is opened and each entry becomes a
//! source of its own (`a.zip!dir/b.csv`), a workbook or a columnar file is
//! read as rows, and anything else is text, framed into chunks at record
//! boundaries.

mod archive;
mod bson;
mod random;
mod rows;
mod sevenz;
mod tarball;
mod text;

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, Read, Seek};
use std::rc::Rc;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::SyncSender;
use std::sync::Arc;

use super::guard::guard;
use super::options::ScanOptions;
use super::work::{InputGroups, Opened, Rows, Work};
use crate::case::Groups;
use crate::decode;
use crate::detect::Engine;
use crate::input::container::{self, Budget, Compression, Magic};
use crate::input::{Hashed, HashingReader, InputError, InputFile, Skipped};
use crate::model::Place;
use crate::records::columnar::Columnar;
use crate::tally::found::ArchiveSummary;

/// Whether a name says BSON (`users.bson`; `users.bson.gz` is stripped to
/// it by the decompression layer).
fn is_bson_name(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("bson"))
}

/// Items bundled before they go to the driver, at most; a bundle goes as
/// soon as its chunks hold `BUNDLE_CHUNK` bytes (so a bundle, and the
/// channel's few dozen bundles in flight, hold a bounded number of bytes
/// whatever the chunk size: 64 chunks of just under 64 KiB each once made
/// a bundle of 4 MiB).
pub(super) const BUNDLE_ITEMS: usize = 64;

pub(super) const BUNDLE_CHUNK: usize = 64 << 10;

pub(super) use crate::records::rows::Stop;

pub(super) type Step<T> = Result<T, Stop>;

/// What a source turned out to hold, once read.
pub(super) enum Leaf {
    /// Records, counted under this input; `hashed`: the file's size and
    /// SHA-256, taken while its records were read (a file on disk read at
    /// random: Parquet, Arrow, a workbook).
    Input {
        input: usize,
        hashed: Option<Hashed>,
    },
    /// An archive of `entries` sources; `hashed`: its size and SHA-256,
    /// taken while its entries were read (a zip on disk).
    Archive {
        format: &'static str,
        entries: u64,
        hashed: Option<(u64, String)>,
    },
    /// Not read, for this reason.
    Skipped(Cow<'static, str>),
    /// Nothing could be read; the error has been reported.
    Failed,
}

/// A file read at random, in memory or on disk.
pub(super) trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// A byte stream with a name.
pub(super) struct Source {
    /// The top-level input file it belongs to.
    pub(super) file: usize,
    /// The path as reported: `dir/a.zip!inner/b.csv.gz`.
    pub(super) path: String,
    /// The name of what the stream holds (`b.csv` for `b.csv.gz`), for its
    /// extension.
    pub(super) name: String,
    /// Archive and compression layers above it.
    pub(super) depth: usize,
    /// The file itself, when the stream is a plain file that can be reopened
    /// for random access.
    pub(super) on_disk: Option<std::path::PathBuf>,
    /// Compression layers it was read through, outermost first.
    pub(super) compression: Vec<Compression>,
    /// Bytes decompression may still produce under this top-level file.
    pub(super) budget: Budget,
    /// A top-level file named through a symbolic link: where it leads.
    pub(super) symlink_to: Option<String>,
}

impl Source {
    pub(super) fn extension(&self) -> Option<String> {
        let name = self.name.rsplit('/').next().unwrap_or(&self.name);
        name.rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .filter(|e| !e.is_empty())
    }
}

pub(super) struct Reader<'a> {
    pub engine: &'a Engine,
    pub opts: &'a ScanOptions,
    /// Work goes to the driver in small bundles (see `send`).
    pub tx: SyncSender<Vec<Work>>,
    pub pending: std::cell::RefCell<Vec<Work>>,
    /// Bytes of chunk data in `pending`.
    pub pending_bytes: Cell<usize>,
    pub next_input: usize,
    /// Errors reported so far.
    pub errors_sent: Cell<u64>,
    pub groups: &'a crate::case::Groups,
    /// The dedup groups of each top-level file.
    pub file_groups: &'a [Vec<usize>],
    pub input_groups: &'a InputGroups,
    /// Bytes of input read so far, for the progress bar.
    pub progress: &'a std::sync::atomic::AtomicU64,
}

impl<'a> Reader<'a> {
    pub(super) fn new(
        engine: &'a Engine,
        opts: &'a ScanOptions,
        tx: SyncSender<Vec<Work>>,
        groups: &'a Groups,
        file_groups: &'a [Vec<usize>],
        input_groups: &'a InputGroups,
        progress: &'a AtomicU64,
    ) -> Self {
        Reader {
            engine,
            opts,
            tx,
            pending: RefCell::default(),
            pending_bytes: Cell::default(),
            next_input: 0,
            errors_sent: Cell::default(),
            groups,
            file_groups,
            input_groups,
            progress,
        }
    }
}

impl Reader<'_> {
    pub(super) fn progress(&self, bytes: u64) {
        self.progress
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Sends work to the driver. Items are bundled, so that the many small
    /// items of many small files (an open, a chunk of a few lines, an end)
    /// do not each wake the driver; a chunk of some size goes at once.
    pub(super) fn send(&self, w: Work) -> Step<()> {
        if matches!(w, Work::Error(..) | Work::Failed { .. }) {
            self.errors_sent.set(self.errors_sent.get() + 1);
        }
        let (now, bytes) = match &w {
            Work::Chunk(c) => (false, c.data.len()),
            Work::Rows(_) => (true, 0),
            _ => (false, 0),
        };
        let bytes = self.pending_bytes.get() + bytes;
        let mut pending = self.pending.borrow_mut();
        pending.push(w);
        if now || bytes >= BUNDLE_CHUNK || pending.len() >= BUNDLE_ITEMS {
            let bundle = std::mem::take(&mut *pending);
            drop(pending);
            self.pending_bytes.set(0);
            return self.tx.send(bundle).map_err(|_| Stop);
        }
        self.pending_bytes.set(bytes);
        Ok(())
    }

    /// Sends what is bundled (at the end).
    pub(super) fn flush(&self) -> Step<()> {
        let bundle = std::mem::take(&mut *self.pending.borrow_mut());
        self.pending_bytes.set(0);
        if bundle.is_empty() {
            return Ok(());
        }
        self.tx.send(bundle).map_err(|_| Stop)
    }

    pub(super) fn error(
        &self,
        input: Option<usize>,
        path: &str,
        position: Place,
        message: String,
    ) -> Step<()> {
        self.send(Work::Error(
            input,
            InputError {
                path: path.to_string(),
                position,
                message,
            },
        ))
    }

    /// What decompression may produce under one top-level file: at most
    /// `--max-ratio` times the file's own size (past the grace that every
    /// file has), and never more than `--max-expanded`. The budget covers the
    /// file as a whole — every layer and every entry, nested archives
    /// included — so a small file cannot expand for hours, however its
    /// entries are arranged. Standard input, whose size is not known, has
    /// `--max-expanded`.
    pub(super) fn budget_of(&self, size: Option<u64>) -> u64 {
        let limits = self.opts.limits;
        size.map_or(limits.max_expanded, |size| {
            size.saturating_mul(limits.max_ratio)
                .saturating_add(container::RATIO_GRACE)
                .min(limits.max_expanded)
        })
    }

    /// Every file in order.
    pub(super) fn read_all(&mut self, files: &[InputFile]) {
        for (i, f) in files.iter().enumerate() {
            // A file on disk: opened, and its size and time taken from the
            // open file (no second path lookup).
            let opened: io::Result<(Box<dyn Read + Send>, Option<Stamp>)> = match &f.path {
                Some(p) => File::open(p).map(|file| {
                    let stamp = file.metadata().ok().map(|m| Stamp::from(&m));
                    (Box::new(file) as Box<dyn Read + Send>, stamp)
                }),
                None => f.open().map(|r| (r, None)),
            };
            let (r, before) = match opened {
                Ok(o) => o,
                Err(e) => {
                    let message = format!("cannot read: {e}");
                    if self.error(None, &f.display, Place::Whole, message).is_err() {
                        return;
                    }
                    continue;
                }
            };
            let size = before
                .map(|b| b.len)
                .or(f.data.as_ref().map(|d| d.len() as u64));
            let src = Source {
                file: i,
                path: f.display.clone(),
                name: f.display.clone(),
                depth: 0,
                on_disk: f.path.clone(),
                compression: Vec::new(),
                budget: Rc::new(Cell::new(self.budget_of(size))),
                symlink_to: f.link.clone(),
            };
            let counted = Box::new(Counting {
                inner: r,
                progress: self.progress,
            });
            // A file that changes while it is read (truncated, appended to)
            // is read as it comes, and reported: its count and hash are of
            // what was read, not of the file as it is now.
            let step = self.source(src, counted).and_then(|read| {
                let (Some(before), Some(read)) = (before, read) else {
                    return Ok(());
                };
                let after = f.path.as_ref().and_then(|p| Stamp::of(p));
                if read == before.len && after == Some(before) {
                    return Ok(());
                }
                let now = after.map_or("unreadable".to_string(), |a| format!("{} bytes", a.len));
                self.error(None, &f.display, Place::Whole,
                    format!(
                        "the file changed while it was read ({} bytes when opened, {read} read, now {now}): the count and the hash are of the bytes read",
                        before.len
                    ),
                )
            });
            if step.is_err() {
                return;
            }
        }
        let _ = self.flush();
    }

    /// Reads one source: hashes its bytes and reads what it holds.
    /// Returns the bytes hashed (`None` if the stream could not be read to
    /// its end).
    pub(super) fn source<'r>(
        &mut self,
        src: Source,
        reader: Box<dyn Read + 'r>,
    ) -> Step<Option<u64>> {
        let mut raw = HashingReader::new(reader);
        let errors_before = self.errors_sent.get();
        let leaf = self.sample(&src, &mut raw, |e| {
            (Place::Whole, format!("cannot read: {e}"))
        })?;
        // Hash what reading did not need (a zip's central directory, bytes
        // after the end of a compressed stream). A stream that failed has no
        // hash, and its failure has been reported already.
        let read_before_finish = raw.bytes;
        let hashed = match &leaf {
            Leaf::Archive { hashed, .. } | Leaf::Input { hashed, .. } => hashed.clone(),
            _ => None,
        };
        let finished = match hashed {
            // Hashed in the read of its entries or records: not read again.
            Some(done) => {
                // A file on disk, read through its own handle: the progress
                // bar counts what that read took.
                self.progress(done.0.saturating_sub(read_before_finish));
                Ok(done)
            }
            None => raw.finish(),
        };
        let (bytes, sha256, whole) = match finished {
            Ok((bytes, sha256)) => (bytes, sha256, true),
            Err(_) if self.errors_sent.get() > errors_before => {
                (read_before_finish, String::new(), false)
            }
            Err(e) => {
                self.error(
                    None,
                    &src.path,
                    Place::Whole,
                    format!("cannot read to the end to hash it: {e}"),
                )?;
                (0, String::new(), false)
            }
        };
        match leaf {
            Leaf::Input { input, .. } => self.send(Work::End {
                input,
                bytes,
                sha256,
            }),
            Leaf::Archive {
                format, entries, ..
            } => self.send(Work::Archive(ArchiveSummary {
                path: src.path,
                format: format.to_string(),
                bytes,
                sha256,
                entries,
            })),
            Leaf::Skipped(reason) => self.send(Work::Skipped(Skipped {
                path: src.path,
                reason: reason.into_owned(),
                sha256,
            })),
            Leaf::Failed => Ok(()),
        }?;
        Ok(whole.then_some(bytes))
    }

    /// Reads the first bytes of a stream and what it holds. If the stream
    /// fails before any byte, `fail` gives the error's position and message;
    /// if it fails within its first bytes (a damaged zip entry, a short
    /// file), what came before is read and the failure is reported where it
    /// happened.
    pub(super) fn sample(
        &mut self,
        src: &Source,
        stream: &mut dyn Read,
        fail: impl FnOnce(&io::Error) -> (Place, String),
    ) -> Step<Leaf> {
        let mut head = Vec::new();
        match fill(stream, &mut head, SAMPLE_BYTES) {
            Ok(complete) => self.content(src, head, complete, stream),
            Err(e) if head.is_empty() => {
                let (position, message) = fail(&e);
                self.error(None, &src.path, position, message)?;
                Ok(Leaf::Failed)
            }
            Err(e) => self.content(src, head, false, &mut FailWith(Some(e))),
        }
    }

    /// Decides what a stream holds from its first bytes and reads it.
    pub(super) fn content(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        complete: bool,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        let magic = container::magic(&head);
        let nested = matches!(
            magic,
            Magic::Compressed(_) | Magic::Zip | Magic::Tar | Magic::SevenZip
        );
        if nested && src.depth >= self.opts.limits.max_depth {
            self.error(
                None,
                &src.path,
                Place::Whole,
                format!(
                    "archives nested deeper than {} levels: not opened (possible archive bomb)",
                    self.opts.limits.max_depth
                ),
            )?;
            return Ok(Leaf::Failed);
        }
        match magic {
            Magic::Compressed(c) => self.decompressed(src, c, head, rest),
            Magic::Zip => self.zip(src, head, rest),
            Magic::Tar => self.tar(src, head, rest),
            Magic::Sqlite => self.sqlite(src, head, rest),
            Magic::SevenZip => self.sevenz(src, head, rest),
            Magic::Ole => self.workbook(src, head, rest, "xls"),
            Magic::Parquet => self.columnar(src, head, rest, Columnar::Parquet),
            Magic::ArrowFile => self.columnar(src, head, rest, Columnar::ArrowFile),
            Magic::ArrowStream => self.arrow_stream(src, head, rest),
            Magic::Unopened(reason) => {
                self.error(None, &src.path, Place::Whole, reason.into())?;
                Ok(Leaf::Failed)
            }
            Magic::Unreadable(reason) if !decode::sniff(&head, complete).is_utf16() => {
                Ok(Leaf::Skipped(reason.into()))
            }
            _ if crate::records::bson::looks_like_bson(&head, is_bson_name(&src.name)) => {
                self.bson(src, head, rest)
            }
            _ if container::is_binary(&head) && !decode::sniff(&head, complete).is_utf16() => {
                Ok(Leaf::Skipped("unknown binary".into()))
            }
            _ if crate::input::own::may_be_report(&head) => {
                self.maybe_own_report(src, head, complete, rest)
            }
            _ => self.text(src, head, complete, rest),
        }
    }

    /// A stream that opens like the tool's own JSON report: read whole (up
    /// to `MAX_REPORT_BYTES`) and skipped if it is one, else read as text.
    pub(super) fn maybe_own_report(
        &mut self,
        src: &Source,
        mut head: Vec<u8>,
        mut complete: bool,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        if !complete {
            match fill(rest, &mut head, crate::input::own::MAX_REPORT_BYTES) {
                Ok(c) => complete = c,
                Err(e) => return self.text(src, head, false, &mut FailWith(Some(e))),
            }
        }
        if complete && crate::input::own::is_report(&head) {
            return Ok(Leaf::Skipped(
                format!(
                    "a report written by tiaoshu (schema {}): the tool's own output, not data",
                    crate::input::own::REPORT_SCHEMA
                )
                .into(),
            ));
        }
        self.text(src, head, complete, rest)
    }

    /// Opens a new input: from here on its records are counted under it.
    pub(super) fn open_input(&mut self, src: &Source, format: &str, encoding: &str) -> Step<usize> {
        let input = self.next_input;
        self.next_input += 1;
        // The file's groups, and those an archive entry's own path is in.
        let mut g = self.file_groups.get(src.file).cloned().unwrap_or_default();
        for extra in self.groups.of(&src.path) {
            if !g.contains(&extra) {
                g.push(extra);
            }
        }
        g.sort_unstable();
        self.input_groups.set(input, Arc::from(g));
        self.send(Work::Open(Opened {
            input,
            path: src.path.clone(),
            format: format.to_string(),
            encoding: encoding.to_string(),
            compression: (!src.compression.is_empty()).then(|| {
                src.compression
                    .iter()
                    .map(|c| c.key())
                    .collect::<Vec<_>>()
                    .join("+")
            }),
            symlink_to: src.symlink_to.clone(),
        }))?;
        Ok(input)
    }

    /// Runs a third-party parser so that a panic inside it (a bug it has on
    /// some malformed file) becomes an error entry for this input, not the
    /// end of the scan. Rows it sent before count; what it would have
    /// returned is then the default.
    pub(super) fn guarded<T: Default>(
        &self,
        input: usize,
        path: &str,
        what: &str,
        parse: impl FnOnce(&Self) -> Step<T>,
    ) -> Step<T> {
        match guard(|| parse(self)) {
            Ok(step) => step,
            Err(why) => self
                .report(
                    input,
                    path,
                    Place::Whole,
                    format!("the {what} reader failed on this file ({why}): not read further"),
                )
                .map(|()| T::default()),
        }
    }

    pub(super) fn limits(&self) -> container::Limits {
        self.opts.limits
    }

    pub(super) fn send_rows(&self, rows: Rows) -> Step<()> {
        self.send(Work::Rows(rows))
    }

    pub(super) fn report(
        &self,
        input: usize,
        path: &str,
        position: Place,
        message: String,
    ) -> Step<()> {
        self.error(Some(input), path, position, message)
    }
}

/// What says a file on disk is still the file that was opened: its size and
/// modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stamp {
    pub(super) len: u64,
    pub(super) modified: Option<std::time::SystemTime>,
}

impl Stamp {
    pub(super) fn of(path: &std::path::Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().map(|m| Stamp::from(&m))
    }

    pub(super) fn from(m: &std::fs::Metadata) -> Stamp {
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
        }
    }
}

/// Counts the bytes read from a top-level file, for the progress bar.
pub(super) struct Counting<'a, R> {
    pub(super) inner: R,
    pub(super) progress: &'a std::sync::atomic::AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// A reader that fails with a stored error (to replay a decoder's error
/// after the data it produced).
pub(super) struct FailWith(Option<io::Error>);

impl Read for FailWith {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// Reads up to `want` more bytes into `buf`; returns true at end of input.
/// (Bytes read before an error are kept in `buf`.) Reading goes into the
/// buffer's spare capacity: nothing is zeroed first, which for a small
/// file in a large buffer (an archive of many small entries) was most of
/// the work.
pub(super) fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let before = buf.len();
    buf.reserve(want);
    let n = r.take(want as u64).read_to_end(buf)?;
    debug_assert_eq!(n, buf.len() - before);
    Ok(n < want)
}

pub(super) const SAMPLE_BYTES: usize = 256 << 10;
