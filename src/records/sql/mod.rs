//! SQL dumps (mysqldump, pg_dump, hand-written INSERT scripts). One record =
//! one row: a `( … )` tuple of an INSERT's VALUES list, the assignments of a
//! MySQL `INSERT … SET`, or a data line of a PostgreSQL `COPY … FROM stdin`
//! block. Statements that hold no rows (CREATE, SET, LOCK, DROP, comments…)
//! yield no records, but CREATE TABLE is read for its column names: fields are
//! keyed `table.column` (`users.mobile`), or `table.#N` (1-based) when the
//! column is not known.
//!
//! One INSERT of a dump may be gigabytes, so chunks are cut between tuples and
//! between COPY lines as well as between statements. [`SqlFramer`] walks the
//! stream in order on the reader thread and gives each chunk the state it
//! starts in ([`SqlContext`]); [`parse`] reads a chunk from that state. Both
//! are the same walker over the same bytes, so wherever the stream is cut the
//! records are those of reading it whole.
//!
//! The walk is over raw bytes, so GBK input must be transcoded to UTF-8
//! before framing: `\` (0x5C) is a GBK trail byte and would escape a quote.
//!
//! Statements end at `;` (or a mysql `DELIMITER`), and also at a `GO` line
//! (SQL Server scripts). A statement that lost its `;` ends where a line
//! starts with a statement keyword (`INSERT`, `CREATE`, `SET`…), with an
//! error: nothing after it is swallowed. No input is skipped without an error
//! unless it is white space, a comment or a statement known to hold no rows.
//!
//! The files: this one the interface; `walker` the state machine and
//! `out` what it reports to; `dialect` what a dialect changes; `keywords`
//! and `lex` the words and tokens; `statements`, `insert` and `copy` one
//! statement family each; `literals` the values; `recover` what happens
//! when a statement is malformed or lost its terminator.

mod bytes;
mod context;
mod copy;
mod dialect;
mod insert;
mod keywords;
mod lex;
mod literals;
mod out;
mod recover;
mod statements;
#[cfg(test)]
mod tests;
mod walker;

use std::sync::Arc;

use super::record::RecordSink;
use crate::decode::FieldDecoding;
use out::{Frames, Parser};
use walker::Walker;

pub use context::{Place, SqlContext, Target};
pub use dialect::Dialect;

/// Finds where chunks of a SQL dump may start. Runs over the whole stream,
/// in order, on one thread.
#[derive(Debug, Default)]
pub struct SqlFramer {
    ctx: Arc<SqlContext>,
}

impl SqlFramer {
    pub fn new() -> SqlFramer {
        SqlFramer::default()
    }

    /// The state at the start of the next chunk (where the last returned
    /// prefix ended).
    pub fn context(&self) -> Arc<SqlContext> {
        Arc::clone(&self.ctx)
    }

    /// The length of the longest prefix of `buf` after which a chunk may
    /// start: after a statement, after the `,` between two tuples, or between
    /// two lines of COPY data; `None` if there is none yet. `buf` starts where
    /// the last returned prefix ended. At end of input all of `buf` is the
    /// last chunk (the state is not advanced: nothing follows).
    pub fn boundary(&mut self, buf: &[u8], eof: bool) -> Option<usize> {
        if eof {
            return Some(buf.len());
        }
        let mut walker = Walker::new(buf, false, SqlContext::clone(&self.ctx), Frames::default());
        walker.run();
        let Walker {
            out: frames,
            ctx: walked,
            ..
        } = walker;
        let end = frames.last;
        if end == 0 {
            return None;
        }
        let learned = frames.learned.iter().filter(|l| l.0 < end).count();
        if frames.snap.is_none() && learned == 0 {
            return Some(end);
        }
        let ctx = Arc::make_mut(&mut self.ctx);
        if let Some(snap) = frames.snap {
            ctx.dialect = snap.dialect;
            ctx.place = snap.place;
            ctx.delimiter = snap.delimiter;
            ctx.tsql = snap.tsql;
        }
        if learned > 0 && learned == frames.learned.len() {
            ctx.tables = walked.tables;
        } else if learned > 0 {
            // Tables defined after the boundary belong to the next chunk.
            let tables = Arc::make_mut(&mut ctx.tables);
            for (at, name, columns) in frames.learned {
                if at < end {
                    tables.insert(name, columns);
                }
            }
        }
        Some(end)
    }
}

impl SqlFramer {
    /// At the end of input, given what is left (the last chunk): why the dump
    /// looks cut short, if it ends inside an INSERT's VALUES list or a COPY
    /// block (no closing `;` or `\\.`). A dump that stops there may have
    /// lost rows, so the scan reports it.
    pub fn unfinished(&self, tail: &[u8]) -> Option<String> {
        let mut walker = Walker::new(tail, true, SqlContext::clone(&self.ctx), Frames::default());
        walker.run();
        match &walker.ctx.place {
            Place::Statements => None,
            Place::Values(t) => Some(format!(
                "the dump ends inside an INSERT into `{}` (no closing `;`): it may have been cut short",
                t.table
            )),
            Place::CopyData(t) => Some(format!(
                "the dump ends inside the COPY data of `{}` (no `\\.` line): it may have been cut short",
                t.table
            )),
        }
    }
}

/// Parses one chunk that starts in the state `ctx`, handing every row to
/// `sink`. Positions are relative to the chunk.
pub fn parse(ctx: &SqlContext, dec: FieldDecoding, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut walker = Walker::new(chunk, true, ctx.clone(), Parser::new(sink, dec));
    walker.run();
}
