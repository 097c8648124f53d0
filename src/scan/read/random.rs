//! Files read at random by their libraries (workbooks, Parquet, Arrow,
//! SQLite): kept in a file (temporary unless the input is one; always for
//! SQLite) and handed to the row readers.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek};

use super::rows::RowInput;
use super::{Leaf, ReadSeek, Reader, Source, Step};
use crate::input::{chunks, HashingReader};
use crate::model::Place;
use crate::records::columnar::{self, Columnar};
use crate::records::{sqlite, workbook};
use crate::scan::work::Work;

impl Reader<'_> {
    /// A stream as a seekable file: the file itself when it is a plain file,
    /// otherwise a copy in an anonymous temporary file (owner-only, removed
    /// when closed, also if the process is killed). `None` when that fails;
    /// the error is reported under `what`.
    pub(super) fn seekable(
        &self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
        what: &str,
    ) -> Step<Option<File>> {
        let file = match &src.on_disk {
            Some(p) => File::open(p),
            None => tempfile::tempfile().and_then(|mut tmp| {
                io::copy(&mut Cursor::new(head).chain(rest), &mut tmp)?;
                tmp.rewind()?;
                Ok(tmp)
            }),
        };
        match file {
            Ok(f) => Ok(Some(f)),
            Err(e) => {
                self.error(None, &src.path, Place::Whole, format!("{what}: {e}"))?;
                Ok(None)
            }
        }
    }

    pub(super) fn workbook(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
        format: &'static str,
    ) -> Step<Leaf> {
        match self.seekable(src, head, rest, format)? {
            Some(file) => self.workbook_file(src, file, format),
            None => Ok(Leaf::Failed),
        }
    }

    /// A workbook, read at random by its library: up to `chunks::WINDOW`
    /// bytes it is read whole into memory first, in one read that also takes
    /// its hash (a file on disk); a larger one is read from the file, and
    /// hashed after.
    pub(super) fn workbook_file(
        &mut self,
        src: &Source,
        mut file: File,
        format: &'static str,
    ) -> Step<Leaf> {
        let whole = file.rewind().and_then(|()| {
            if file.metadata()?.len() > chunks::WINDOW {
                return Ok(None);
            }
            let mut hashing = HashingReader::new(&mut file);
            let mut data = Vec::new();
            hashing.read_to_end(&mut data)?;
            Ok(Some((data, hashing.finish()?)))
        });
        let (reader, hashed): (Box<dyn ReadSeek>, _) = match whole {
            Ok(Some((data, hashed))) => (
                Box::new(Cursor::new(data)),
                src.on_disk.is_some().then_some(hashed),
            ),
            Ok(None) => (Box::new(BufReader::new(file)), None),
            Err(e) => {
                self.error(None, &src.path, Place::Whole, format!("{format}: {e}"))?;
                return Ok(Leaf::Failed);
            }
        };
        let input = self.open_input(src, format, "utf-8")?;
        self.guarded(input, &src.path, format, |r| {
            workbook::read(&RowInput::new(r, input, &src.path), reader, format)
        })?;
        Ok(Leaf::Input { input, hashed })
    }

    pub(super) fn columnar(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
        kind: Columnar,
    ) -> Step<Leaf> {
        let Some(file) = self.seekable(src, head, rest, kind.key())? else {
            return Ok(Leaf::Failed);
        };
        let input = self.open_input(src, kind.key(), "binary")?;
        let hash = src.on_disk.is_some();
        let hashed = self.guarded(input, &src.path, kind.key(), |r| {
            columnar::read(&RowInput::new(r, input, &src.path), file, kind, hash)
        })?;
        Ok(Leaf::Input { input, hashed })
    }

    /// An Arrow IPC stream: kept in a file (temporary unless it is one), so
    /// that its buffer sizes can be checked before arrow-ipc reads it.
    pub(super) fn arrow_stream(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        let Some(file) = self.seekable(src, head, rest, "arrow")? else {
            return Ok(Leaf::Failed);
        };
        let input = self.open_input(src, "arrow", "binary")?;
        let hash = src.on_disk.is_some();
        let hashed = self.guarded(input, &src.path, "arrow", |r| {
            columnar::read_stream(&RowInput::new(r, input, &src.path), file, hash)
        })?;
        Ok(Leaf::Input { input, hashed })
    }

    /// A SQLite database. SQLite never opens the input itself: the stream is
    /// copied once (hashed on the way, like any input) into a private
    /// temporary folder, with the `-wal` file beside a database on disk, and
    /// SQLite reads the copy read-only, so nothing of the evidence can
    /// change, and a write-ahead log's transactions are read as SQLite
    /// would. The log is listed under `skipped` with its hash.
    pub(super) fn sqlite(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        let copied = self.sqlite_copy(src, head, rest);
        let (dir, wal) = match copied {
            Ok(c) => c,
            Err(e) => {
                self.error(
                    None,
                    &src.path,
                    Place::Whole,
                    format!("SQLite: cannot copy it to read it: {e}"),
                )?;
                return Ok(Leaf::Failed);
            }
        };
        if let Some((wal_path, sha256)) = wal {
            self.send(Work::Skipped(crate::input::Skipped {
                path: wal_path,
                reason: format!(
                    "SQLite write-ahead log of {}: its transactions were read with it",
                    src.path
                ),
                sha256,
            }))?;
        }
        let input = self.open_input(src, "sqlite", "utf-8")?;
        let db = dir.path().join("db.sqlite");
        self.guarded(input, &src.path, "sqlite", |r| {
            sqlite::read(&db, &RowInput::new(r, input, &src.path))
        })?;
        Ok(Leaf::Input {
            input,
            hashed: None,
        })
    }

    /// The copy SQLite reads (`db.sqlite` in an owner-only folder), and the
    /// `-wal` file beside the input copied with it: its shown path and hash.
    fn sqlite_copy(
        &self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
    ) -> io::Result<(tempfile::TempDir, Option<(String, String)>)> {
        let mut b = tempfile::Builder::new();
        b.prefix("tiaoshu-sqlite-");
        let dir = match &self.opts.temp_dir {
            Some(t) => b.tempdir_in(t)?,
            None => b.tempdir()?,
        };
        let mut out = File::create(dir.path().join("db.sqlite"))?;
        io::copy(&mut Cursor::new(head).chain(rest), &mut out)?;
        let mut wal = None;
        if let Some(p) = &src.on_disk {
            let mut name = p.as_os_str().to_owned();
            name.push("-wal");
            let wal_path = std::path::PathBuf::from(name);
            if std::fs::metadata(&wal_path).is_ok_and(|m| m.len() > 0) {
                let mut hashing = HashingReader::new(File::open(&wal_path)?);
                let mut out = File::create(dir.path().join("db.sqlite-wal"))?;
                io::copy(&mut hashing, &mut out)?;
                let (_, sha256) = hashing.finish()?;
                wal = Some((format!("{}-wal", src.path), sha256));
            }
        }
        Ok((dir, wal))
    }
}
