//! MongoDB BSON streams (`mongodump`'s `.bson`, also compressed and inside
//! archives): framed here into chunks of whole documents by their length
//! prefixes, parsed on the pool by `records::bson`.

use std::io::{self, Cursor, Read};
use std::sync::Arc;

use super::{Leaf, Reader, Source, Step};
use crate::decode::FieldDecoding;
use crate::model::Place;
use crate::records::bson::MIN_DOCUMENT;
use crate::records::{ChunkSpec, Format};
use crate::scan::work::{Chunk, Work};

/// Fills `buf` from `r` as far as it can: the bytes read (fewer only at the
/// end of the stream).
fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl Reader<'_> {
    /// A BSON stream, document by document. A document cut short or a
    /// length that cannot be one ends the stream with an error at that
    /// document; one longer than `--max-record` is skipped with an error.
    pub(super) fn bson(&mut self, src: &Source, head: Vec<u8>, rest: &mut dyn Read) -> Step<Leaf> {
        let input = self.open_input(src, "bson", "binary")?;
        let mut stream = Cursor::new(head).chain(rest);
        let (limit, chunk_bytes) = (self.opts.max_record_bytes, self.opts.chunk_bytes);
        let mut chunk = Chunked::default();
        let (mut at, mut n) = (0u64, 0u64);
        loop {
            let place = Place::Document { n: n + 1, byte: at };
            let mut prefix = [0u8; 4];
            let got = match read_full(&mut stream, &mut prefix) {
                Ok(got) => got,
                Err(e) => {
                    self.report(input, &src.path, place, format!("read failed: {e}"))?;
                    break;
                }
            };
            if got == 0 {
                break;
            }
            if got < 4 {
                self.report(
                    input,
                    &src.path,
                    place,
                    format!("BSON cut short: {got} bytes where a document's length belongs"),
                )?;
                break;
            }
            let declared = i32::from_le_bytes(prefix);
            let Some(len) = usize::try_from(declared)
                .ok()
                .filter(|&l| l >= MIN_DOCUMENT)
            else {
                self.report(
                    input,
                    &src.path,
                    place,
                    format!("not readable past here: a document cannot be {declared} bytes long"),
                )?;
                break;
            };
            let body = len - 4;
            if len > limit {
                // what is gathered goes first: a chunk's documents are contiguous
                self.send_documents(input, &mut chunk, at, n)?;
                self.report(
                    input,
                    &src.path,
                    place.clone(),
                    format!(
                        "document of {len} bytes, longer than --max-record ({limit}): not read"
                    ),
                )?;
                match io::copy(&mut (&mut stream).take(body as u64), &mut io::sink()) {
                    Ok(k) if k == body as u64 => {}
                    _ => {
                        self.report(
                            input,
                            &src.path,
                            place,
                            "BSON cut short inside this document".into(),
                        )?;
                        break;
                    }
                }
            } else {
                let start = chunk.data.len();
                chunk.data.extend_from_slice(&prefix);
                chunk.data.resize(start + len, 0);
                let got = read_full(&mut stream, &mut chunk.data[start + 4..]);
                if !matches!(got, Ok(k) if k == body) {
                    chunk.data.truncate(start);
                    let why = match got {
                        Ok(k) => format!(
                            "BSON document cut short: {} of its {len} bytes; not counted",
                            k + 4
                        ),
                        Err(e) => format!("read failed inside this document: {e}"),
                    };
                    self.report(input, &src.path, place, why)?;
                    break;
                }
                chunk.docs += 1;
            }
            at += len as u64;
            n += 1;
            if chunk.data.len() >= chunk_bytes {
                self.send_documents(input, &mut chunk, at, n)?;
            }
        }
        self.send_documents(input, &mut chunk, at, n)?;
        Ok(Leaf::Input {
            input,
            hashed: None,
        })
    }

    /// Sends the whole documents gathered (ending at byte `at`, document
    /// `n`) as a chunk.
    fn send_documents(&self, input: usize, chunk: &mut Chunked, at: u64, n: u64) -> Step<()> {
        if chunk.data.is_empty() {
            chunk.docs = 0;
            return Ok(());
        }
        let data = std::mem::take(&mut chunk.data);
        let (offset, line) = (at - data.len() as u64, n - chunk.docs);
        chunk.docs = 0;
        self.send(Work::Chunk(Chunk {
            input,
            spec: ChunkSpec {
                format: Format::Bson,
                decoding: FieldDecoding::Utf8,
                header_at: None,
                sql: None,
                fields: None,
                items: Vec::new(),
            },
            schema: Arc::new(Vec::new()),
            offset,
            line,
            data,
        }))
    }
}

/// Whole documents gathered for the next chunk.
#[derive(Default)]
struct Chunked {
    data: Vec<u8>,
    docs: u64,
}
