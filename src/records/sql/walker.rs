//! The walker: one state machine over a dump's bytes, shared by framing
//! and parsing, with its byte and state primitives.

use std::fmt;
use std::sync::Arc;

use super::context::{Place, SqlContext};
use super::dialect::{Dialect, Rules};
use super::keywords::is_ident;
use super::out::Out;

/// The buffer ended: the framer needs more bytes, the parser is done.
pub(super) struct Stop;

pub(super) type Step<T> = Result<T, Stop>;

/// The last table an INSERT or COPY named, so that a dump of one-row INSERTs
/// does not look up (or allocate) its table and columns for every row.
pub(super) struct Recent {
    /// The name as written.
    pub(super) raw_name: Vec<u8>,
    pub(super) table: Arc<str>,
    /// From CREATE TABLE.
    pub(super) defined: Option<Arc<[String]>>,
    /// The last column list as written, and its names.
    pub(super) raw_list: Vec<u8>,
    pub(super) list: Option<Arc<[String]>>,
}

/// The state machine shared by framing and parsing. It only ever looks
/// ahead of a boundary it declares to see that the boundary is one, and where
/// the buffer ends before a construct does it stops (`Stop`): framing then
/// waits for more bytes, parsing is at the end of its input. So a chunk read
/// from a boundary goes exactly as the whole input goes from there.
pub(super) struct Walker<'a, O> {
    pub(super) buf: &'a [u8],
    pub(super) pos: usize,
    /// The end of `buf` is the end of the input (parsing), not where more
    /// bytes may come (framing).
    pub(super) at_eof: bool,
    pub(super) ctx: SqlContext,
    /// Bumped whenever the dialect, place or delimiter change.
    pub(super) version: u64,
    pub(super) out: O,
    /// One error about the input ending inside something is enough.
    pub(super) eof_reported: bool,
    pub(super) spans: Vec<(usize, usize)>,
    pub(super) name: String,
    pub(super) scratch: String,
    pub(super) recent: Option<Recent>,
}

impl<'a, O: Out> Walker<'a, O> {
    pub(super) fn new(buf: &'a [u8], at_eof: bool, ctx: SqlContext, out: O) -> Self {
        Walker {
            buf,
            pos: 0,
            at_eof,
            ctx,
            version: 0,
            out,
            eof_reported: false,
            spans: Vec::new(),
            name: String::new(),
            scratch: String::new(),
            recent: None,
        }
    }

    pub(super) fn run(&mut self) {
        // Every step consumes input or changes the place to one whose step does.
        while self.step().is_ok() {}
    }

    pub(super) fn step(&mut self) -> Step<()> {
        match self.ctx.place {
            Place::Statements => self.statement(),
            Place::Values(_) => self.values(),
            Place::CopyData(_) => self.copy_data(),
        }
    }

    pub(super) fn byte(&self, i: usize) -> Option<u8> {
        self.buf.get(i).copied()
    }

    /// The byte at `i`; `None` at the end of input; `Stop` where the buffer
    /// ends but the input may go on.
    pub(super) fn peek(&self, i: usize) -> Step<Option<u8>> {
        match self.buf.get(i) {
            Some(&b) => Ok(Some(b)),
            None if self.at_eof => Ok(None),
            None => Err(Stop),
        }
    }

    pub(super) fn slice(&self, start: usize, end: usize) -> &'a [u8] {
        self.buf.get(start..end).unwrap_or_default()
    }

    pub(super) fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    pub(super) fn stop(&mut self) -> Step<()> {
        self.pos = self.buf.len();
        Err(Stop)
    }

    pub(super) fn boundary(&mut self) {
        // `E'…'` and `$tag$` look one byte back: a chunk must not start
        // after a word byte, which only a DELIMITER like `$$` could end with.
        if self.pos == 0 || !self.byte(self.pos - 1).is_some_and(is_ident) {
            self.out.boundary(self.pos, &self.ctx, self.version);
        }
    }

    pub(super) fn set_place(&mut self, place: Place) {
        self.ctx.place = place;
        self.version += 1;
    }

    pub(super) fn set_dialect(&mut self, dialect: Dialect) {
        if self.ctx.dialect != dialect {
            self.ctx.dialect = dialect;
            self.version += 1;
        }
    }

    /// After a statement's terminator.
    pub(super) fn end_statement(&mut self) {
        self.leave();
        self.boundary();
    }

    /// The statement ends before `pos`, where the next one starts: no
    /// boundary here, as seeing that took a look at what follows (a chunk
    /// ending here would not).
    pub(super) fn leave(&mut self) {
        if self.ctx.place != Place::Statements {
            self.set_place(Place::Statements);
        }
    }

    /// After a statement that ended at its terminator or (not `terminated`)
    /// before the next statement.
    pub(super) fn finish(&mut self, terminated: bool) {
        if terminated {
            self.end_statement();
        } else {
            self.leave();
        }
    }

    /// A SQL Server script: its strings take no backslash escapes.
    pub(super) fn enter_tsql(&mut self) {
        if !self.ctx.tsql {
            self.ctx.tsql = true;
            self.version += 1;
        }
        self.leave_assumed_dialect();
    }

    /// The lexical rules of the dialect read here.
    pub(super) fn rules(&self) -> Rules {
        self.ctx.dialect.rules()
    }

    /// The dump shows that it is not MySQL's (a pg_dump header, a COPY, a
    /// SQL Server script): PostgreSQL, unless the dialect is known already.
    pub(super) fn leave_assumed_dialect(&mut self) {
        if self.rules().assumed {
            self.set_dialect(Dialect::Postgres);
        }
    }

    pub(super) fn error(&mut self, at: usize, message: fmt::Arguments<'_>) {
        self.out.error(self.buf, at, message);
    }

    /// The input ends inside something that started at `at`.
    pub(super) fn eof_error(&mut self, at: usize, message: fmt::Arguments<'_>) {
        if self.at_eof && !self.eof_reported {
            self.eof_reported = true;
            self.out.error(self.buf, at, message);
        }
    }
}
