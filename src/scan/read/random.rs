//! Files read at random by their libraries (workbooks, Parquet, Arrow): kept
//! in a file (temporary unless the input is one) and handed to the row
//! readers.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek};

use super::rows::RowInput;
use super::{Leaf, ReadSeek, Reader, Source, Step};
use crate::input::{chunks, HashingReader};
use crate::model::Place;
use crate::records::columnar::{self, Columnar};
use crate::records::workbook;

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
}
