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

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use memchr::{memchr, memchr2, memmem};

use super::{Column, Position, RecordBuf, RecordSink};
use crate::decode::{self, FieldDecoding};

/// How string literals are written, which decides where a statement ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// MySQL: `\` escapes and `''` in '…' and "…", `#` comments, `` `names` ``.
    #[default]
    MySql,
    /// PostgreSQL with `standard_conforming_strings = on` (pg_dump's default):
    /// `\` is a plain character in '…' and only `E'…'` takes escapes; "…" is
    /// a name. SQL Server scripts are read this way too (with `[names]`).
    Postgres,
    /// PostgreSQL with `standard_conforming_strings = off`: '…' takes escapes.
    PostgresEscapes,
}

/// The table that rows are going into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Unquoted, without its schema (`public.users` → `users`).
    pub table: Arc<str>,
    /// The statement's own column list, else CREATE TABLE's; `None` if neither.
    pub columns: Option<Arc<[String]>>,
}

/// Where in the dump a chunk starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Place {
    /// Between statements.
    #[default]
    Statements,
    /// Inside an INSERT's VALUES list, before a tuple.
    Values(Target),
    /// At the start of a line of a COPY data block.
    CopyData(Target),
}

/// What must be known to read a dump from the middle: the dialect, whether
/// the chunk starts inside a VALUES list or COPY block, and the tables seen.
#[derive(Clone, Debug, Default)]
pub struct SqlContext {
    pub dialect: Dialect,
    pub place: Place,
    /// CREATE TABLE name → column names.
    tables: Arc<HashMap<Arc<str>, Arc<[String]>>>,
    /// A mysql client `DELIMITER` other than `;`.
    delimiter: Option<Arc<[u8]>>,
    /// A SQL Server script (a `GO` line or a `[bracketed]` table name was
    /// seen): `[…]` quotes names, `;` is optional, a batch ends at `GO`.
    tsql: bool,
}

impl SqlContext {
    /// The columns of a table defined by CREATE TABLE so far.
    pub fn columns(&self, table: &str) -> Option<&[String]> {
        self.tables.get(table).map(|c| &**c)
    }

    /// What ends a statement: `;`, or what a mysql `DELIMITER` command set.
    pub fn delimiter(&self) -> &[u8] {
        self.delimiter.as_deref().unwrap_or(b";")
    }
}

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

/// The buffer ended: the framer needs more bytes, the parser is done.
struct Stop;

type Step<T> = Result<T, Stop>;

/// How a value of a row is named.
#[derive(Clone, Copy, Debug)]
enum FieldKey {
    /// The n-th value of a tuple or COPY line (0-based).
    Index(usize),
    /// `INSERT … SET name = value`: the name as written in the input.
    Name(usize, usize),
}

/// What the walker reports as it goes: the framer keeps boundaries, the
/// parser builds records. The framer's methods do nothing, so a framing walk
/// does no per-field work.
trait Out {
    /// A chunk may start at `at`, in the state `ctx` (`version` changes with it).
    fn boundary(&mut self, at: usize, ctx: &SqlContext, version: u64);
    /// CREATE TABLE defined `table`, taking effect at `at`.
    fn learned(&mut self, at: usize, table: &Arc<str>, columns: &Arc<[String]>);
    fn error(&mut self, buf: &[u8], at: usize, message: fmt::Arguments<'_>);
    /// A row of `target` begins.
    fn begin(&mut self, target: &Target);
    /// A value of the row, written at `buf[start..end]`.
    fn field(&mut self, buf: &[u8], start: usize, end: usize, key: FieldKey, dialect: Dialect);
    /// A field of a COPY line, as written.
    fn copy_field(&mut self, raw: &[u8], index: usize);
    /// The row that started at `at` is complete.
    fn end(&mut self, buf: &[u8], at: usize);
}

/// The part of the state kept at a boundary (tables are logged apart).
struct Snap {
    dialect: Dialect,
    place: Place,
    delimiter: Option<Arc<[u8]>>,
    tsql: bool,
}

#[derive(Default)]
struct Frames {
    /// The last boundary (0: none).
    last: usize,
    /// The state there, if it changed since the walk began.
    snap: Option<Snap>,
    snap_version: u64,
    /// Tables defined during the walk, with where.
    learned: Vec<(usize, Arc<str>, Arc<[String]>)>,
}

impl Out for Frames {
    fn boundary(&mut self, at: usize, ctx: &SqlContext, version: u64) {
        self.last = at;
        if version != self.snap_version {
            self.snap_version = version;
            self.snap = Some(Snap {
                dialect: ctx.dialect,
                place: ctx.place.clone(),
                delimiter: ctx.delimiter.clone(),
                tsql: ctx.tsql,
            });
        }
    }
    fn learned(&mut self, at: usize, table: &Arc<str>, columns: &Arc<[String]>) {
        self.learned
            .push((at, Arc::clone(table), Arc::clone(columns)));
    }
    fn error(&mut self, _: &[u8], _: usize, _: fmt::Arguments<'_>) {}
    fn begin(&mut self, _: &Target) {}
    fn field(&mut self, _: &[u8], _: usize, _: usize, _: FieldKey, _: Dialect) {}
    fn copy_field(&mut self, _: &[u8], _: usize) {}
    fn end(&mut self, _: &[u8], _: usize) {}
}

struct Parser<'s> {
    sink: &'s mut dyn RecordSink,
    dec: FieldDecoding,
    rec: RecordBuf,
    /// An unescaped or hex-decoded value.
    value: Vec<u8>,
    /// `table.#N` and `INSERT … SET` keys.
    key: String,
    /// `table.column` for the columns of `keyed`.
    keys: Vec<String>,
    keyed: Option<Target>,
    /// Lines before `counted_to`.
    line: u64,
    counted_to: usize,
}

impl<'s> Parser<'s> {
    fn new(sink: &'s mut dyn RecordSink, dec: FieldDecoding) -> Self {
        Parser {
            sink,
            dec,
            rec: RecordBuf::default(),
            value: Vec::new(),
            key: String::new(),
            keys: Vec::new(),
            keyed: None,
            line: 0,
            counted_to: 0,
        }
    }

    fn position(&mut self, buf: &[u8], at: usize) -> Position {
        let at = at.min(buf.len());
        let line = if at >= self.counted_to {
            self.line += count_lines(buf.get(self.counted_to..at));
            self.counted_to = at;
            self.line
        } else {
            // errors may point back at the start of what failed
            self.line
                .saturating_sub(count_lines(buf.get(at..self.counted_to)))
        };
        Position {
            line,
            offset: at as u64,
        }
    }

    fn column(&mut self, buf: &[u8], key: FieldKey) -> Column {
        let table = self.keyed.as_ref().map_or("", |t| &*t.table);
        match key {
            FieldKey::Index(i) => {
                if let Some(k) = self.keys.get(i) {
                    return self.rec.key(k);
                }
                self.key.clear();
                let _ = write!(self.key, "{table}.#{}", i + 1);
            }
            FieldKey::Name(s, e) => {
                self.key.clear();
                self.key.push_str(table);
                self.key.push('.');
                unquote_into(buf.get(s..e).unwrap_or_default(), &mut self.key);
            }
        }
        self.rec.key(&self.key)
    }
}

impl Out for Parser<'_> {
    fn boundary(&mut self, _: usize, _: &SqlContext, _: u64) {}
    fn learned(&mut self, _: usize, _: &Arc<str>, _: &Arc<[String]>) {}

    fn error(&mut self, buf: &[u8], at: usize, message: fmt::Arguments<'_>) {
        let pos = self.position(buf, at);
        self.sink.error(pos, message.to_string());
    }

    fn begin(&mut self, target: &Target) {
        self.rec.clear();
        let same = self.keyed.as_ref().is_some_and(|k| {
            Arc::ptr_eq(&k.table, &target.table)
                && match (&k.columns, &target.columns) {
                    (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                    (None, None) => true,
                    _ => false,
                }
        });
        if !same {
            self.keys.clear();
            if let Some(columns) = &target.columns {
                let table = &target.table;
                self.keys
                    .extend(columns.iter().map(|c| format!("{table}.{c}")));
            }
            self.keyed = Some(target.clone());
        }
    }

    fn field(&mut self, buf: &[u8], start: usize, end: usize, key: FieldKey, dialect: Dialect) {
        let text = buf.get(start..end).unwrap_or_default();
        match classify(text, dialect, &mut self.value) {
            Val::Skip => {}
            Val::Raw(raw) => {
                let column = self.column(buf, key);
                self.rec.push_raw(self.dec, column, raw);
            }
            Val::Unescaped => {
                let column = self.column(buf, key);
                self.rec.push_raw(self.dec, column, &self.value);
            }
            Val::Hex(digits, written) => {
                let column = self.column(buf, key);
                let text = if hex_decode(digits, &mut self.value) {
                    hex_text(self.dec, &self.value)
                } else {
                    None
                };
                match text {
                    Some(text) => self.rec.push(column, &text),
                    // binary: the literal is still worth a look (it may hold digits)
                    None => self.rec.push_raw(self.dec, column, written),
                }
            }
        }
    }

    fn copy_field(&mut self, raw: &[u8], index: usize) {
        let column = self.column(&[], FieldKey::Index(index));
        if memchr(b'\\', raw).is_none() {
            self.rec.push_raw(self.dec, column, raw);
        } else {
            unescape_copy(raw, &mut self.value);
            self.rec.push_raw(self.dec, column, &self.value);
        }
    }

    fn end(&mut self, buf: &[u8], at: usize) {
        let pos = self.position(buf, at);
        if self.rec.decode_errors {
            self.sink
                .error(pos, crate::decode::undecodable(self.dec).into());
        }
        self.sink.record(pos, &self.rec);
    }
}

fn count_lines(bytes: Option<&[u8]>) -> u64 {
    bytes.map_or(0, |b| memchr::memchr_iter(b'\n', b).count() as u64)
}

/// The last table an INSERT or COPY named, so that a dump of one-row INSERTs
/// does not look up (or allocate) its table and columns for every row.
struct Recent {
    /// The name as written.
    raw_name: Vec<u8>,
    table: Arc<str>,
    /// From CREATE TABLE.
    defined: Option<Arc<[String]>>,
    /// The last column list as written, and its names.
    raw_list: Vec<u8>,
    list: Option<Arc<[String]>>,
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Bytes that start something inside a statement: quotes, comments,
/// parentheses, separators, line ends (a line may start the next statement).
/// Everything else is skipped in bulk.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let s = b"'\"`(),;-#/$[\n";
    let mut i = 0;
    while i < s.len() {
        t[s[i] as usize] = true;
        i += 1;
    }
    t
};

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_kw(word: &[u8], list: &[&[u8]]) -> bool {
    list.iter().any(|k| word.eq_ignore_ascii_case(k))
}

const INSERT_MODIFIERS: &[&[u8]] = &[
    b"LOW_PRIORITY",
    b"DELAYED",
    b"HIGH_PRIORITY",
    b"IGNORE",
    b"INTO",
];
const CREATE_MODIFIERS: &[&[u8]] = &[
    b"OR",
    b"REPLACE",
    b"TEMPORARY",
    b"TEMP",
    b"UNLOGGED",
    b"GLOBAL",
    b"LOCAL",
];
/// Lines of a CREATE TABLE that are not columns (only when written bare).
const NOT_COLUMNS: &[&[u8]] = &[
    b"PRIMARY",
    b"KEY",
    b"INDEX",
    b"UNIQUE",
    b"CONSTRAINT",
    b"FOREIGN",
    b"FULLTEXT",
    b"SPATIAL",
    b"CHECK",
    b"EXCLUDE",
    b"LIKE",
    b"PERIOD",
];
/// What may follow the last tuple: `ON DUPLICATE KEY UPDATE`, `ON CONFLICT`,
/// `RETURNING`, MySQL 8's `AS alias`.
const TAILS: &[&[u8]] = &[b"ON", b"RETURNING", b"AS"];
/// Words that start a statement, to notice a missing `;` or `\.`.
const STATEMENTS: &[&[u8]] = &[
    b"INSERT",
    b"REPLACE",
    b"CREATE",
    b"ALTER",
    b"DROP",
    b"COPY",
    b"SET",
    b"SELECT",
    b"LOCK",
    b"UNLOCK",
    b"UPDATE",
    b"DELETE",
    b"TRUNCATE",
    b"GRANT",
    b"REVOKE",
    b"COMMENT",
    b"BEGIN",
    b"COMMIT",
    b"START",
    b"ROLLBACK",
    b"USE",
    b"REFRESH",
    b"END",
];
const SUBQUERY: &[&[u8]] = &[b"SELECT", b"WITH", b"VALUES", b"TABLE"];
/// Statements that end one without its `;` when a line starts with them:
/// those that hold rows, define columns or change how the rest is read, and
/// a few that never go on a statement. (Not SELECT, UPDATE, DELETE, WITH,
/// BEGIN, END: lines of views, rules and routine bodies start with them.)
const LINE_STATEMENTS: &[&[u8]] = &[
    b"INSERT",
    b"REPLACE",
    b"COPY",
    b"CREATE",
    b"ALTER",
    b"DROP",
    b"LOCK",
    b"UNLOCK",
    b"SET",
    b"USE",
    b"TRUNCATE",
    b"GRANT",
    b"REVOKE",
    b"DELIMITER",
];
/// The same when the line is indented (`ALTER TABLE t\n  DROP COLUMN a,`,
/// `  SET x = 1` and `  USE INDEX (i)` go on a statement): only what holds
/// rows or defines columns.
const INDENTED_STATEMENTS: &[&[u8]] = &[b"INSERT", b"REPLACE", b"COPY", b"CREATE"];
/// Inside parentheses (a CREATE TABLE's columns, where `ON DELETE\nSET NULL`
/// may start a line): only what holds rows or defines columns, and only at
/// the start of a line (an indented `copy int,` is a column).
const ROW_STATEMENTS: &[&[u8]] = &[b"INSERT", b"REPLACE", b"COPY", b"CREATE"];
/// The longest word of the lists above.
const LONGEST_KEYWORD: usize = 9;
/// Statements that hold no rows, besides `STATEMENTS`: skipped without an
/// error. A statement that starts with any other word is reported.
const OTHER_STATEMENTS: &[&[u8]] = &[
    b"WITH",
    b"VALUES",
    b"TABLE",
    b"CALL",
    b"DO",
    b"EXEC",
    b"EXECUTE",
    b"PREPARE",
    b"DEALLOCATE",
    b"DECLARE",
    b"PRINT",
    b"IF",
    b"ELSE",
    b"ELSEIF",
    b"ELSIF",
    b"WHILE",
    b"LOOP",
    b"REPEAT",
    b"FOR",
    b"CASE",
    b"LEAVE",
    b"ITERATE",
    b"BREAK",
    b"CONTINUE",
    b"RETURN",
    b"RAISE",
    b"RAISERROR",
    b"THROW",
    b"PERFORM",
    b"DENY",
    b"MERGE",
    b"BULK",
    b"DBCC",
    b"BACKUP",
    b"RESTORE",
    b"CHECKPOINT",
    b"RECONFIGURE",
    b"WAITFOR",
    b"SAVE",
    b"SAVEPOINT",
    b"RELEASE",
    b"ABORT",
    b"RESET",
    b"DISCARD",
    b"VACUUM",
    b"ANALYZE",
    b"ANALYSE",
    b"CLUSTER",
    b"REINDEX",
    b"SECURITY",
    b"IMPORT",
    b"LOAD",
    b"LISTEN",
    b"NOTIFY",
    b"UNLISTEN",
    b"FETCH",
    b"MOVE",
    b"OPEN",
    b"CLOSE",
    b"REASSIGN",
    b"SHOW",
    b"EXPLAIN",
    b"DESCRIBE",
    b"DESC",
    b"FLUSH",
    b"OPTIMIZE",
    b"REPAIR",
    b"CHECK",
    b"CHECKSUM",
    b"RENAME",
    b"HANDLER",
    b"KILL",
    b"PURGE",
    b"CHANGE",
    b"INSTALL",
    b"UNINSTALL",
    b"XA",
    b"SIGNAL",
    b"RESIGNAL",
    b"GET",
    b"BINLOG",
    b"CACHE",
    b"SOURCE",
    b"PRAGMA",
    b"ATTACH",
    b"DETACH",
    b"ENABLE",
    b"DISABLE",
    b"SPOOL",
    b"EXIT",
    b"QUIT",
    b"WHENEVER",
    b"DEFINE",
    b"UNDEFINE",
    b"CONNECT",
    b"DISCONNECT",
    b"NULL",
];
/// What CREATE makes whose body may hold statements (indented, or in
/// PostgreSQL's `BEGIN ATOMIC … END`).
const ROUTINES: &[&[u8]] = &[
    b"FUNCTION",
    b"PROCEDURE",
    b"TRIGGER",
    b"RULE",
    b"EVENT",
    b"DEFINER",
];
/// Words after which a routine's one statement follows: `FOR EACH ROW`,
/// `DO [INSTEAD | ALSO]`, `BEGIN`, `AS`.
const BODY_STARTS: &[&[u8]] = &[b"ROW", b"DO", b"INSTEAD", b"ALSO", b"BEGIN", b"AS"];
/// What a SQL Server batch creates whose body holds statements and runs to
/// the `GO` line.
const BATCH_OBJECTS: &[&[u8]] = &[b"PROCEDURE", b"PROC", b"FUNCTION", b"TRIGGER"];
/// Words that may start a line of `COPY … FROM stdin` options.
const COPY_OPTIONS: &[&[u8]] = &[
    b"WITH",
    b"CSV",
    b"BINARY",
    b"DELIMITER",
    b"NULL",
    b"HEADER",
    b"QUOTE",
    b"ESCAPE",
    b"FORCE",
    b"ENCODING",
    b"OIDS",
    b"FREEZE",
    b"FORMAT",
    b"DEFAULT",
    b"WHERE",
];

/// Which lines end a statement that has not met its terminator (see
/// `Walker::line_stop`). A `GO` line always does, but in a DELIMITER block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stops {
    /// `LINE_STATEMENTS` (indented: `INDENTED_STATEMENTS`).
    All,
    /// The same but `SET`: after `UPDATE t` and `ON CONFLICT … DO UPDATE`
    /// a line may start with `SET`.
    NoSet,
    /// The same but `ALTER`, `DROP` and `SET`, which go on an ALTER.
    Alter,
    /// `ROW_STATEMENTS`, not indented: inside parentheses.
    Rows,
    /// As `All`, but a routine's body holds statements: indented ones of
    /// its body do not stop it (see `Body`).
    Routine,
    /// Inside a DELIMITER block, whose routines hold statements: only a
    /// `DELIMITER` line.
    Delimiter,
    /// A SQL Server batch (CREATE PROCEDURE …): only `GO`; `;` does not end it.
    Batch,
}

impl Stops {
    /// Whether a line that starts with `word` (after indentation if
    /// `indented`) starts a statement.
    fn at(self, word: &[u8], indented: bool) -> bool {
        let except: &[&[u8]] = match self {
            Stops::Delimiter => return !indented && word.eq_ignore_ascii_case(b"DELIMITER"),
            Stops::Batch => return false,
            Stops::Rows => return !indented && is_kw(word, ROW_STATEMENTS),
            _ if indented => return is_kw(word, INDENTED_STATEMENTS),
            Stops::All | Stops::Routine => &[],
            Stops::NoSet => &[b"SET"],
            Stops::Alter => &[b"SET", b"ALTER", b"DROP"],
        };
        is_kw(word, LINE_STATEMENTS) && !is_kw(word, except)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    /// A quoted name (`` `x` ``, `"x"`, `[x]`).
    Name,
    /// A string literal.
    Str,
    Semi,
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExprEnd {
    Comma,
    Close,
    Semi,
    /// A line starts the next statement (`pos` is there).
    Statement,
}

enum TupleEnd {
    Record,
    /// A tuple was abandoned; a new one starts at the current `(`.
    Restart,
    StatementEnd,
}

enum Resynced {
    /// At the `(` of the next tuple.
    Tuple,
    StatementEnd,
}

enum SetEnd {
    Comma,
    Semi,
    Close,
    Tail,
    /// A line starts the next statement, at `pos`; a `GO` line if `true`.
    Statement(bool),
}

/// The state machine shared by framing and parsing. It only ever looks
/// ahead of a boundary it declares to see that the boundary is one, and where
/// the buffer ends before a construct does it stops (`Stop`): framing then
/// waits for more bytes, parsing is at the end of its input. So a chunk read
/// from a boundary goes exactly as the whole input goes from there.
struct Walker<'a, O> {
    buf: &'a [u8],
    pos: usize,
    /// The end of `buf` is the end of the input (parsing), not where more
    /// bytes may come (framing).
    at_eof: bool,
    ctx: SqlContext,
    /// Bumped whenever the dialect, place or delimiter change.
    version: u64,
    out: O,
    /// One error about the input ending inside something is enough.
    eof_reported: bool,
    spans: Vec<(usize, usize)>,
    name: String,
    scratch: String,
    recent: Option<Recent>,
}

impl<'a, O: Out> Walker<'a, O> {
    fn new(buf: &'a [u8], at_eof: bool, ctx: SqlContext, out: O) -> Self {
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

    fn run(&mut self) {
        // Every step consumes input or changes the place to one whose step does.
        while self.step().is_ok() {}
    }

    fn step(&mut self) -> Step<()> {
        match self.ctx.place {
            Place::Statements => self.statement(),
            Place::Values(_) => self.values(),
            Place::CopyData(_) => self.copy_data(),
        }
    }

    // ---- bytes

    fn byte(&self, i: usize) -> Option<u8> {
        self.buf.get(i).copied()
    }

    /// The byte at `i`; `None` at the end of input; `Stop` where the buffer
    /// ends but the input may go on.
    fn peek(&self, i: usize) -> Step<Option<u8>> {
        match self.buf.get(i) {
            Some(&b) => Ok(Some(b)),
            None if self.at_eof => Ok(None),
            None => Err(Stop),
        }
    }

    fn slice(&self, start: usize, end: usize) -> &'a [u8] {
        self.buf.get(start..end).unwrap_or_default()
    }

    fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    fn stop(&mut self) -> Step<()> {
        self.pos = self.buf.len();
        Err(Stop)
    }

    // ---- state

    fn boundary(&mut self) {
        // `E'…'` and `$tag$` look one byte back: a chunk must not start
        // after a word byte, which only a DELIMITER like `$$` could end with.
        if self.pos == 0 || !self.byte(self.pos - 1).is_some_and(is_ident) {
            self.out.boundary(self.pos, &self.ctx, self.version);
        }
    }

    fn set_place(&mut self, place: Place) {
        self.ctx.place = place;
        self.version += 1;
    }

    fn set_dialect(&mut self, dialect: Dialect) {
        if self.ctx.dialect != dialect {
            self.ctx.dialect = dialect;
            self.version += 1;
        }
    }

    /// After a statement's terminator.
    fn end_statement(&mut self) {
        self.leave();
        self.boundary();
    }

    /// The statement ends before `pos`, where the next one starts: no
    /// boundary here, as seeing that took a look at what follows (a chunk
    /// ending here would not).
    fn leave(&mut self) {
        if self.ctx.place != Place::Statements {
            self.set_place(Place::Statements);
        }
    }

    /// After a statement that ended at its terminator or (not `terminated`)
    /// before the next statement.
    fn finish(&mut self, terminated: bool) {
        if terminated {
            self.end_statement();
        } else {
            self.leave();
        }
    }

    /// A SQL Server script: its strings take no backslash escapes.
    fn enter_tsql(&mut self) {
        if !self.ctx.tsql {
            self.ctx.tsql = true;
            self.version += 1;
        }
        if self.ctx.dialect == Dialect::MySql {
            self.set_dialect(Dialect::Postgres);
        }
    }

    fn error(&mut self, at: usize, message: fmt::Arguments<'_>) {
        self.out.error(self.buf, at, message);
    }

    /// The input ends inside something that started at `at`.
    fn eof_error(&mut self, at: usize, message: fmt::Arguments<'_>) {
        if self.at_eof && !self.eof_reported {
            self.eof_reported = true;
            self.out.error(self.buf, at, message);
        }
    }

    // ---- lexing

    /// Skips white space and comments. Between statements a pg_dump header
    /// comment switches to PostgreSQL.
    fn skip_space(&mut self, top: bool) -> Step<()> {
        loop {
            let Some(b) = self.byte(self.pos) else {
                return Err(Stop);
            };
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'-' if self.line_comment_here()? => {
                    let start = self.pos;
                    self.skip_line()?;
                    if top
                        && self.ctx.dialect == Dialect::MySql
                        && is_pg_header(self.slice(start + 2, self.pos))
                    {
                        self.set_dialect(Dialect::Postgres);
                    }
                }
                b'#' if self.ctx.dialect == Dialect::MySql => self.skip_line()?,
                b'/' if self.peek(self.pos + 1)? == Some(b'*') => self.block_comment()?,
                _ => return Ok(()),
            }
        }
    }

    /// At `-`: does a `--` comment start here? MySQL wants a space after it
    /// (`1--1` is arithmetic there).
    fn line_comment_here(&self) -> Step<bool> {
        if self.peek(self.pos + 1)? != Some(b'-') {
            return Ok(false);
        }
        if self.ctx.dialect != Dialect::MySql {
            return Ok(true);
        }
        Ok(self.peek(self.pos + 2)?.is_none_or(|c| c <= b' '))
    }

    fn skip_line(&mut self) -> Step<()> {
        match memchr(b'\n', self.rest()) {
            Some(k) => {
                self.pos += k + 1;
                Ok(())
            }
            None => self.stop(),
        }
    }

    /// Steps over a line comment inside a statement up to its `\n`, which
    /// is left for the caller to see the line after it.
    fn comment_line(&mut self) -> Step<()> {
        match memchr(b'\n', self.rest()) {
            Some(k) => {
                self.pos += k;
                Ok(())
            }
            None => self.stop(),
        }
    }

    /// At `/*`. PostgreSQL's nest, MySQL's (and its `/*!40101 … */`) do not.
    fn block_comment(&mut self) -> Step<()> {
        let start = self.pos;
        let body = start + 2;
        let end = if self.ctx.dialect == Dialect::MySql {
            memmem::find(self.slice(body, self.buf.len()), b"*/").map(|k| body + k + 2)
        } else {
            nested_comment_end(self.buf, body)
        };
        match end {
            Some(end) => {
                self.pos = end;
                Ok(())
            }
            None => {
                self.eof_error(start, format_args!("a /* comment never closes"));
                self.stop()
            }
        }
    }

    /// At the opening quote `q`: steps over a quoted string or name, doubled
    /// quotes and (with `escapes`) backslash escapes included.
    fn quoted(&mut self, q: u8, escapes: bool) -> Step<()> {
        let start = self.pos;
        let mut i = start + 1;
        loop {
            let rest = self.slice(i, self.buf.len());
            let hit = if escapes {
                memchr2(q, b'\\', rest)
            } else {
                memchr(q, rest)
            };
            let Some(k) = hit else { break };
            let j = i + k;
            if self.byte(j) == Some(b'\\') {
                i = j + 2;
                continue;
            }
            match self.peek(j + 1) {
                Ok(Some(c)) if c == q => i = j + 2,
                Ok(_) => {
                    self.pos = j + 1;
                    return Ok(());
                }
                Err(Stop) => return self.stop(),
            }
        }
        let what = if q == b'\'' || (q == b'"' && self.ctx.dialect == Dialect::MySql) {
            "a string"
        } else {
            "a quoted name"
        };
        self.eof_error(
            start,
            format_args!("{what} never closes: the rest of the input is inside it"),
        );
        self.stop()
    }

    /// Whether the `'` at `quote` opens a PostgreSQL `E'…'` string. The byte
    /// before a chunk's start is never part of a word (chunks start after
    /// `,` `;` or a newline), so looking back stays inside the chunk.
    fn e_prefix(&self, quote: usize) -> bool {
        quote >= 1
            && matches!(self.byte(quote - 1), Some(b'e' | b'E'))
            && (quote < 2 || !self.byte(quote - 2).is_some_and(is_ident))
    }

    /// At `$`: steps over a `$tag$…$tag$` string; `false` if this `$` opens
    /// none. PostgreSQL's, but taken in every dialect: MySQL allows `$` in
    /// names, yet not at their start (`a$b` is a name, `$$x$$` a string).
    fn dollar_quote(&mut self) -> Step<bool> {
        let start = self.pos;
        if start > 0 && self.byte(start - 1).is_some_and(is_ident) {
            return Ok(false);
        }
        let mut i = start + 1;
        loop {
            match self.peek(i)? {
                Some(b'$') => break,
                Some(c) if is_ident(c) && !(i == start + 1 && c.is_ascii_digit()) => i += 1,
                _ => return Ok(false),
            }
        }
        let tag = self.slice(start, i + 1);
        let body = i + 1;
        match memmem::find(self.slice(body, self.buf.len()), tag) {
            Some(k) => {
                self.pos = body + k + tag.len();
                Ok(true)
            }
            None => {
                self.eof_error(start, format_args!("a $-quoted string never closes"));
                self.stop().map(|()| false)
            }
        }
    }

    /// Steps over what starts with the special byte `b` at `pos`: a string,
    /// a quoted name, a comment, or just the byte.
    fn special(&mut self, b: u8) -> Step<()> {
        let dialect = self.ctx.dialect;
        match b {
            b'\'' => {
                let escapes = dialect != Dialect::Postgres || self.e_prefix(self.pos);
                self.quoted(b'\'', escapes)
            }
            b'"' => self.quoted(b'"', dialect == Dialect::MySql),
            b'`' if dialect == Dialect::MySql => self.quoted(b'`', false),
            b'[' if self.ctx.tsql => self.quoted(b']', false),
            b'-' if self.line_comment_here()? => self.comment_line(),
            b'#' if dialect == Dialect::MySql => self.comment_line(),
            b'/' if self.peek(self.pos + 1)? == Some(b'*') => self.block_comment(),
            b'$' if self.dollar_quote()? => Ok(()),
            _ => {
                self.pos += 1;
                Ok(())
            }
        }
    }

    /// Moves to the next special byte (or `also`) and returns it.
    fn next_special(&mut self, also: Option<u8>) -> Step<u8> {
        let rest = self.rest();
        let found = match also {
            None => rest
                .iter()
                .enumerate()
                .find(|&(_, &b)| SPECIAL[usize::from(b)]),
            Some(d) => rest
                .iter()
                .enumerate()
                .find(|&(_, &b)| SPECIAL[usize::from(b)] || b == d),
        };
        match found {
            Some((k, &b)) => {
                self.pos += k;
                Ok(b)
            }
            None => self.stop().map(|()| 0),
        }
    }

    /// Steps over a bare word; `Stop` if the buffer ends inside it.
    fn word(&mut self) -> Step<(usize, usize)> {
        let start = self.pos;
        match self.rest().iter().position(|&b| !is_ident(b)) {
            Some(k) => {
                self.pos += k;
                Ok((start, self.pos))
            }
            None => self.stop().map(|()| (start, start)),
        }
    }

    fn token(&mut self) -> Step<Token> {
        self.skip_space(false)?;
        let start = self.pos;
        let b = self.byte(start).ok_or(Stop)?;
        let mysql = self.ctx.dialect == Dialect::MySql;
        let kind = match b {
            b';' => {
                self.pos += 1;
                Kind::Semi
            }
            b'\'' => {
                self.special(b)?;
                Kind::Str
            }
            b'"' => {
                self.special(b)?;
                Kind::Name
            }
            b'`' if mysql => {
                self.special(b)?;
                Kind::Name
            }
            b'[' => {
                // a SQL Server name (a `[` holds no name in other dialects)
                self.quoted(b']', false)?;
                Kind::Name
            }
            b'$' if self.dollar_quote()? => Kind::Str,
            _ if is_ident(b) => {
                self.word()?;
                Kind::Word
            }
            _ => {
                self.pos += 1;
                Kind::Punct(b)
            }
        };
        Ok(Token {
            kind,
            start,
            end: self.pos,
        })
    }

    fn is(&self, t: Token, keyword: &str) -> bool {
        t.kind == Kind::Word
            && self
                .slice(t.start, t.end)
                .eq_ignore_ascii_case(keyword.as_bytes())
    }

    fn is_any(&self, t: Token, list: &[&[u8]]) -> bool {
        t.kind == Kind::Word && is_kw(self.slice(t.start, t.end), list)
    }

    fn snip(&self, at: usize) -> Snip<'a> {
        Snip(self.slice(at, self.buf.len()))
    }

    /// Steps over a value up to the `,` or `)` that ends it (left at `pos`);
    /// a `;` outside quotes ends it too, as nothing in a row holds one, and
    /// so does a line that starts a statement (`stops`).
    fn scan_expr(&mut self, stops: Stops) -> Step<ExprEnd> {
        let mut depth = 0u32;
        loop {
            match self.next_special(None)? {
                b'\n' => {
                    self.pos += 1;
                    if depth == 0 {
                        if let Some((at, _)) = self.line_stop(self.pos, stops)? {
                            self.pos = at;
                            return Ok(ExprEnd::Statement);
                        }
                    }
                }
                b'(' => {
                    depth = depth.saturating_add(1);
                    self.pos += 1;
                }
                b')' if depth == 0 => return Ok(ExprEnd::Close),
                b')' => {
                    depth -= 1;
                    self.pos += 1;
                }
                b',' if depth == 0 => return Ok(ExprEnd::Comma),
                b';' => return Ok(ExprEnd::Semi),
                b => self.special(b)?,
            }
        }
    }

    /// Steps over the rest of a statement, from `from`: past its terminator
    /// (`Ok(true)`), or up to a line that starts the next statement (`Ok(false)`,
    /// `pos` there; an error unless it is a `GO` line). Inside a DELIMITER
    /// block only the delimiter (or a `DELIMITER` line) ends it. Reaching the
    /// end of input is an error, but in a SQL Server script.
    fn skip_statement(&mut self, stops: Stops, from: usize) -> Step<bool> {
        let stops = if self.ctx.delimiter.is_some() {
            Stops::Delimiter
        } else {
            stops
        };
        let r = self.skip_rest(stops, from);
        if r.is_err() && (!self.ctx.tsql || stops == Stops::Batch) {
            let delimiter = self.ctx.delimiter.clone();
            let end: &[u8] = match (stops, delimiter.as_deref()) {
                (Stops::Batch, _) => b"GO",
                (_, Some(d)) => d,
                (_, None) => b";",
            };
            self.eof_error(
                from,
                format_args!(
                    "the input ends inside a statement (no `{}` after it): it may have been cut short",
                    Snip(end)
                ),
            );
        }
        r
    }

    fn skip_rest(&mut self, stops: Stops, from: usize) -> Step<bool> {
        let mut depth = 0u32;
        let mut body = Body::default();
        let routine = stops == Stops::Routine;
        loop {
            let first = self
                .ctx
                .delimiter
                .as_deref()
                .and_then(|d| d.first().copied());
            let b = self.next_special(first)?;
            if let Some(d) = self.ctx.delimiter.as_deref() {
                let (m, len) = (prefix_match(self.rest(), d), d.len());
                match m {
                    Match::Full => {
                        self.pos += len;
                        return Ok(true);
                    }
                    Match::Partial if !self.at_eof => return Err(Stop),
                    _ => {}
                }
            } else if b == b';' && stops != Stops::Batch {
                let before = self.slice(from, self.pos);
                let in_body = routine
                    && body.atomic(before)
                    && !body.closed
                    && !ends_with_word(before, b"END");
                self.pos += 1;
                if in_body {
                    continue;
                }
                return Ok(true);
            }
            match b {
                b'\n' => {
                    self.pos += 1;
                    let line = self.pos;
                    let before = self.slice(from, line);
                    if routine
                        && !body.closed
                        && ends_with_word(before, b"END")
                        && body.atomic(before)
                    {
                        body.closed = true;
                    }
                    if depth == 0 {
                        if let Some((at, go)) = self.line_stop(line, stops)? {
                            if routine && !go && at > line && !body.ends_at_indented(before) {
                                continue;
                            }
                            self.pos = at;
                            if !go {
                                self.missing_terminator(at);
                            }
                            return Ok(false);
                        }
                    }
                }
                b'(' => {
                    depth = depth.saturating_add(1);
                    self.pos += 1;
                }
                b')' => {
                    depth = depth.saturating_sub(1);
                    self.pos += 1;
                }
                _ => self.special(b)?,
            }
        }
    }

    /// Gives up on a statement after the token `t` (its `;` already, maybe,
    /// or the start of the next statement).
    fn abandon(&mut self, t: Token) -> Step<()> {
        self.abandon_with(t, Stops::All)
    }

    fn abandon_with(&mut self, t: Token, stops: Stops) -> Step<()> {
        if t.kind == Kind::Semi {
            self.end_statement();
            return Ok(());
        }
        if self.stop_before(t, stops)? {
            return Ok(());
        }
        let terminated = self.skip_statement(stops, t.start)?;
        self.finish(terminated);
        Ok(())
    }

    /// A line starting at `line`: whether, after its indentation, it starts
    /// a statement (see `Stops`), which ends the one before when that has
    /// not met its terminator. Returns where that statement starts, and
    /// whether it is a `GO` line (which ends a statement as `;` does). Looks
    /// a few bytes ahead only, so that a line of data gigabytes long is no
    /// reason to wait.
    fn line_stop(&self, line: usize, stops: Stops) -> Step<Option<(usize, bool)>> {
        let mut at = line;
        while matches!(self.peek(at)?, Some(b' ' | b'\t')) {
            at += 1;
        }
        let mut n = 0;
        while n <= LONGEST_KEYWORD && self.peek(at + n)?.is_some_and(|b| b.is_ascii_alphabetic()) {
            n += 1;
        }
        if n == 0 || n > LONGEST_KEYWORD || !self.peek(at + n)?.is_none_or(is_space) {
            return Ok(None);
        }
        let word = self.slice(at, at + n);
        if word.eq_ignore_ascii_case(b"GO") {
            let go = stops != Stops::Delimiter && self.go_end(at)?.is_some();
            return Ok(go.then_some((at, true)));
        }
        Ok(stops.at(word, at > line).then_some((at, false)))
    }

    /// `line_stop` for the line that the word `t` starts (after indentation).
    fn token_stop(&self, t: Token, stops: Stops) -> Step<Option<(usize, bool)>> {
        if t.kind != Kind::Word {
            return Ok(None);
        }
        self.stop_at(t.start, stops)
    }

    /// `line_stop` for the line on which `at` follows the indentation, if
    /// it does. Looks back within the chunk only: where a chunk starts
    /// inside a statement (after a `,` between tuples) the byte before it
    /// is no line end either.
    fn stop_at(&self, at: usize, stops: Stops) -> Step<Option<(usize, bool)>> {
        let mut line = at;
        while line > 0 && matches!(self.byte(line - 1), Some(b' ' | b'\t')) {
            line -= 1;
        }
        if line == 0 || self.byte(line - 1) != Some(b'\n') {
            return Ok(None);
        }
        self.line_stop(line, stops)
    }

    /// If the token `t` starts a line with the next statement, the current
    /// one ends before it (an error: its terminator is missing).
    fn stop_before(&mut self, t: Token, stops: Stops) -> Step<bool> {
        let Some((at, go)) = self.token_stop(t, stops)? else {
            return Ok(false);
        };
        self.pos = at;
        if !go {
            self.missing_terminator(at);
        }
        self.leave();
        Ok(true)
    }

    /// The statement before the one at `at` has no terminator.
    fn missing_terminator(&mut self, at: usize) {
        if self.ctx.tsql {
            // `;` is optional in SQL Server
            return;
        }
        let n = run(self.rest_at(at), 0, |b| b.is_ascii_alphabetic());
        let word = self.slice(at, at + n);
        let delimiter = self.ctx.delimiter.clone();
        let end: &[u8] = delimiter.as_deref().unwrap_or(b";");
        self.error(
            at,
            format_args!(
                "a `{}` is missing before `{}`: the statement before ends at this line",
                Snip(end),
                Snip(word)
            ),
        );
    }

    fn rest_at(&self, at: usize) -> &'a [u8] {
        self.slice(at, self.buf.len())
    }

    /// At `at`: whether a `GO` line (SQL Server's batch end: `GO`, maybe a
    /// count, maybe a `--` comment) is there, and where it ends.
    fn go_end(&self, at: usize) -> Step<Option<usize>> {
        if !matches!(self.peek(at)?, Some(b'g' | b'G'))
            || !matches!(self.peek(at + 1)?, Some(b'o' | b'O'))
        {
            return Ok(None);
        }
        let mut i = at + 2;
        match self.peek(i)? {
            None => return Ok(Some(i)),
            Some(b' ' | b'\t' | b'\r' | b'\n') => {}
            Some(_) => return Ok(None),
        }
        while matches!(self.peek(i)?, Some(b' ' | b'\t')) {
            i += 1;
        }
        while self.peek(i)?.is_some_and(|b| b.is_ascii_digit()) {
            i += 1;
        }
        while matches!(self.peek(i)?, Some(b' ' | b'\t')) {
            i += 1;
        }
        if self.peek(i)? == Some(b'-') && self.peek(i + 1)? == Some(b'-') {
            match memchr(b'\n', self.rest_at(i)) {
                Some(k) => i += k,
                None if self.at_eof => i = self.buf.len(),
                None => return Err(Stop),
            }
        }
        if self.peek(i)? == Some(b'\r') {
            i += 1;
        }
        Ok(match self.peek(i)? {
            None => Some(i),
            Some(b'\n') => Some(i + 1),
            Some(_) => None,
        })
    }

    /// A possibly schema-qualified name starting with `t`: the span of its
    /// last part.
    fn qualified_name(&mut self, t: Token) -> Step<Option<(usize, usize)>> {
        if !matches!(t.kind, Kind::Word | Kind::Name) {
            return Ok(None);
        }
        let mut last = (t.start, t.end);
        loop {
            let save = self.pos;
            if self.token()?.kind != Kind::Punct(b'.') {
                self.pos = save;
                return Ok(Some(last));
            }
            let part = self.token()?;
            if !matches!(part.kind, Kind::Word | Kind::Name) {
                self.pos = save;
                return Ok(Some(last));
            }
            last = (part.start, part.end);
        }
    }

    /// After `(`: names up to `)` into `spans`; the token that broke the
    /// list, if one did.
    /// An optional `(a, b, …)` column list at `t`, after the table `name` of
    /// an INSERT or COPY: the token after it and whether there was one;
    /// `None` when it is malformed (reported, the statement abandoned).
    fn column_list(
        &mut self,
        t: Token,
        what: &str,
        name: (usize, usize),
    ) -> Step<Option<(Token, bool)>> {
        if t.kind != Kind::Punct(b'(') {
            return Ok(Some((t, false)));
        }
        if let Some(bad) = self.name_list()? {
            self.error(
                bad.start,
                format_args!(
                    "{what} into `{}`: its column list is malformed at `{}`; statement skipped",
                    Snip(self.slice(name.0, name.1)),
                    self.snip(bad.start)
                ),
            );
            self.abandon(bad)?;
            return Ok(None);
        }
        Ok(Some((self.token()?, true)))
    }

    fn name_list(&mut self) -> Step<Option<Token>> {
        self.spans.clear();
        loop {
            let t = self.token()?;
            match t.kind {
                Kind::Word | Kind::Name => self.spans.push((t.start, t.end)),
                Kind::Punct(b')') if self.spans.is_empty() => return Ok(None),
                _ => return Ok(Some(t)),
            }
            let t = self.token()?;
            match t.kind {
                Kind::Punct(b',') => {}
                Kind::Punct(b')') => return Ok(None),
                _ => return Ok(Some(t)),
            }
        }
    }

    /// The table and columns of an INSERT or COPY into `name` (columns from
    /// `spans` if `listed`).
    fn target(&mut self, name: (usize, usize), listed: bool) -> Target {
        let raw_name = self.slice(name.0, name.1);
        let mut recent = match self.recent.take() {
            Some(r) if r.raw_name == raw_name => r,
            _ => {
                self.name.clear();
                unquote_into(raw_name, &mut self.name);
                let tables = &self.ctx.tables;
                let found = tables.get_key_value(self.name.as_str()).or_else(|| {
                    tables
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(&self.name))
                });
                let (table, defined) = match found {
                    Some((table, columns)) => (Arc::clone(table), Some(Arc::clone(columns))),
                    None => (Arc::from(self.name.as_str()), None),
                };
                Recent {
                    raw_name: raw_name.to_vec(),
                    table,
                    defined,
                    raw_list: Vec::new(),
                    list: None,
                }
            }
        };
        let columns = if listed {
            let raw_list = match (self.spans.first(), self.spans.last()) {
                (Some(first), Some(last)) => self.slice(first.0, last.1),
                _ => &[],
            };
            match &recent.list {
                Some(list) if recent.raw_list == raw_list => Some(Arc::clone(list)),
                _ => {
                    let (buf, spans) = (self.buf, &self.spans);
                    let list = match &recent.defined {
                        // the CREATE TABLE's own list: keep sharing it
                        Some(d) if same_names(buf, spans, d, &mut self.scratch) => Arc::clone(d),
                        _ => spans
                            .iter()
                            .map(|&(s, e)| {
                                let mut n = String::new();
                                unquote_into(buf.get(s..e).unwrap_or_default(), &mut n);
                                n
                            })
                            .collect(),
                    };
                    recent.raw_list.clear();
                    recent.raw_list.extend_from_slice(raw_list);
                    recent.list = Some(Arc::clone(&list));
                    Some(list)
                }
            }
        } else {
            recent.defined.clone()
        };
        let target = Target {
            table: Arc::clone(&recent.table),
            columns,
        };
        self.recent = Some(recent);
        target
    }

    // ---- statements

    fn statement(&mut self) -> Step<()> {
        self.skip_space(true)?;
        if self.rest().starts_with(BOM) {
            self.pos += BOM.len();
            return Ok(());
        }
        let start = self.pos;
        let b = self.byte(start).ok_or(Stop)?;
        if let Some(d) = self.ctx.delimiter.as_deref() {
            let (m, len) = (prefix_match(self.rest(), d), d.len());
            match m {
                Match::Full => {
                    self.pos += len;
                    self.boundary();
                    return Ok(());
                }
                Match::Partial if !self.at_eof => return Err(Stop),
                _ => {}
            }
        } else if b == b';' {
            self.pos += 1;
            self.boundary();
            return Ok(());
        }
        if b == b'\\'
            && self
                .peek(start + 1)?
                .is_some_and(|c| c.is_ascii_lowercase())
        {
            // a psql meta-command (`\connect`, `\restrict`): one line
            self.skip_line()?;
            self.boundary();
            return Ok(());
        }
        if b == b'/' && self.blank_after(start + 1)? {
            // SQL*Plus runs a PL/SQL block at a `/` line
            self.skip_line()?;
            self.boundary();
            return Ok(());
        }
        if !is_ident(b) {
            self.error(
                start,
                format_args!(
                    "`{}` does not start a statement; skipped to the next one",
                    self.snip(start)
                ),
            );
            return self.skip_to_next(Stops::All, start);
        }
        if self.ctx.delimiter.is_none() {
            if let Some(end) = self.go_end(start)? {
                // SQL Server's batch separator
                self.pos = end;
                self.enter_tsql();
                self.boundary();
                return Ok(());
            }
        }
        let (s, e) = self.word()?;
        let word = self.slice(s, e);
        let word = word.strip_prefix(BOM).unwrap_or(word);
        if word.eq_ignore_ascii_case(b"DELIMITER") {
            return self.delimiter_command();
        }
        if self.ctx.delimiter.is_none() && is_kw(word, &[b"REM", b"REMARK", b"PROMPT"]) {
            // SQL*Plus: a comment or a message, one line without `;`
            self.skip_line()?;
            self.boundary();
            return Ok(());
        }
        if self.ctx.delimiter.is_some() {
            // Between `DELIMITER ;;` and `DELIMITER ;` mysqldump writes
            // routines and triggers, which hold no rows.
            return self.skip_to_next(Stops::Delimiter, start);
        }
        if is_kw(word, &[b"INSERT", b"REPLACE"]) {
            self.insert(start)
        } else if word.eq_ignore_ascii_case(b"CREATE") {
            self.create(start)
        } else if word.eq_ignore_ascii_case(b"COPY") {
            self.copy(start)
        } else if word.eq_ignore_ascii_case(b"SET") {
            self.set()
        } else if word.eq_ignore_ascii_case(b"ALTER") {
            let t = self.token()?;
            if self.ctx.tsql && self.is_any(t, BATCH_OBJECTS) {
                return self.skip_to_next(Stops::Batch, start);
            }
            self.abandon_with(t, Stops::Alter)
        } else if word.eq_ignore_ascii_case(b"UPDATE") {
            self.skip_to_next(Stops::NoSet, start)
        } else if is_kw(word, STATEMENTS) || is_kw(word, OTHER_STATEMENTS) {
            self.skip_to_next(Stops::All, start)
        } else {
            self.error(
                start,
                format_args!(
                    "a statement starts with the unknown word `{}`; skipped to the next one",
                    Snip(word)
                ),
            );
            self.skip_to_next(Stops::All, start)
        }
    }

    /// Skips the rest of the statement that started at `start`.
    fn skip_to_next(&mut self, stops: Stops, start: usize) -> Step<()> {
        let terminated = self.skip_statement(stops, start)?;
        self.finish(terminated);
        Ok(())
    }

    /// The first byte from `at` on that is no white space.
    fn byte_after_space(&self, mut at: usize) -> Step<Option<u8>> {
        loop {
            match self.peek(at)? {
                Some(b) if is_space(b) => at += 1,
                b => return Ok(b),
            }
        }
    }

    /// Whether only white space follows `at` on its line.
    fn blank_after(&self, mut at: usize) -> Step<bool> {
        loop {
            match self.peek(at)? {
                None | Some(b'\n') => return Ok(true),
                Some(b) if is_space(b) => at += 1,
                Some(_) => return Ok(false),
            }
        }
    }

    /// mysql's `DELIMITER ;;`: the rest of the line is the new terminator.
    fn delimiter_command(&mut self) -> Step<()> {
        let rest = self.rest();
        let Some(k) = memchr(b'\n', rest) else {
            return self.stop();
        };
        let line = rest.get(..k).unwrap_or_default();
        let new = line
            .split(|&b| is_space(b))
            .find(|w| !w.is_empty())
            .map(|d| (d != b";").then(|| Arc::<[u8]>::from(d)));
        self.pos += k + 1;
        if let Some(new) = new {
            if new != self.ctx.delimiter {
                self.ctx.delimiter = new;
                self.version += 1;
            }
        }
        self.boundary();
        Ok(())
    }

    /// After `SET`: `standard_conforming_strings` decides how '…' is read.
    fn set(&mut self) -> Step<()> {
        let mut t = self.token()?;
        if self.is(t, "SESSION") || self.is(t, "LOCAL") {
            t = self.token()?;
        }
        let mut dialect = None;
        if self.is(t, "standard_conforming_strings") {
            t = self.token()?;
            if t.kind == Kind::Punct(b'=') || self.is(t, "TO") {
                t = self.token()?;
                let value = match t.kind {
                    Kind::Str => self.slice(t.start + 1, t.end.saturating_sub(1)),
                    _ => self.slice(t.start, t.end),
                };
                if is_kw(value, &[b"on", b"true"]) {
                    dialect = Some(Dialect::Postgres);
                } else if is_kw(value, &[b"off", b"false"]) {
                    dialect = Some(match self.ctx.dialect {
                        Dialect::MySql => Dialect::MySql,
                        _ => Dialect::PostgresEscapes,
                    });
                }
            }
        }
        let terminated = if t.kind == Kind::Semi {
            true
        } else if self.stop_before(t, Stops::All)? {
            false
        } else {
            self.skip_statement(Stops::All, t.start)?
        };
        if let Some(d) = dialect {
            self.set_dialect(d);
        }
        self.finish(terminated);
        Ok(())
    }

    /// After `CREATE`: learns a table's columns.
    fn create(&mut self, stmt: usize) -> Step<()> {
        let mut t = self.token()?;
        while !self.is(t, "TABLE") {
            if self.ctx.tsql && self.is_any(t, BATCH_OBJECTS) {
                // a routine's body holds statements up to the `GO` line
                return self.skip_to_next(Stops::Batch, stmt);
            }
            let tsql_modifier = self.ctx.tsql && self.is(t, "ALTER");
            if self.is_any(t, ROUTINES) {
                return self.abandon_with(t, Stops::Routine);
            }
            if !self.is_any(t, CREATE_MODIFIERS) && !tsql_modifier {
                return self.abandon(t);
            }
            t = self.token()?;
        }
        t = self.token()?;
        if self.is(t, "IF") {
            self.token()?;
            self.token()?;
            t = self.token()?;
        }
        if self.stop_before(t, Stops::All)? {
            return Ok(());
        }
        let Some(name) = self.qualified_name(t)? else {
            return self.abandon(t);
        };
        if self.byte(name.0) == Some(b'[') {
            self.enter_tsql();
        }
        let t = self.token()?;
        if t.kind != Kind::Punct(b'(') {
            // `AS SELECT`, `LIKE`, `PARTITION OF`: no column list to read
            return self.abandon(t);
        }
        self.spans.clear();
        loop {
            self.skip_space(false)?;
            let b = self.byte(self.pos).ok_or(Stop)?;
            if b == b')' {
                self.pos += 1;
                break;
            }
            let end = match self.stop_at(self.pos, Stops::Rows)? {
                Some((at, _)) => {
                    self.pos = at;
                    ExprEnd::Statement
                }
                None => ExprEnd::Comma,
            };
            let quote =
                matches!(b, b'"' | b'[') || (b == b'`' && self.ctx.dialect == Dialect::MySql);
            if (is_ident(b) || quote) && end != ExprEnd::Statement {
                let t = self.token()?;
                if matches!(t.kind, Kind::Name) || !self.is_any(t, NOT_COLUMNS) {
                    self.spans.push((t.start, t.end));
                }
            }
            let end = match end {
                ExprEnd::Statement => end,
                _ => self.scan_expr(Stops::Rows)?,
            };
            match end {
                ExprEnd::Comma => self.pos += 1,
                ExprEnd::Close => {
                    self.pos += 1;
                    break;
                }
                ExprEnd::Semi => {
                    self.error(
                        name.0,
                        format_args!("CREATE TABLE is not closed before `;`"),
                    );
                    self.pos += 1;
                    self.end_statement();
                    return Ok(());
                }
                ExprEnd::Statement => {
                    self.error(
                        name.0,
                        format_args!("CREATE TABLE is not closed before the next statement"),
                    );
                    self.leave();
                    return Ok(());
                }
            }
        }
        if !self.spans.is_empty() {
            self.name.clear();
            unquote_into(self.slice(name.0, name.1), &mut self.name);
            let table: Arc<str> = Arc::from(self.name.as_str());
            let columns: Arc<[String]> = self
                .spans
                .iter()
                .map(|&(s, e)| {
                    let mut n = String::new();
                    unquote_into(self.slice(s, e), &mut n);
                    n
                })
                .collect();
            Arc::make_mut(&mut self.ctx.tables).insert(Arc::clone(&table), Arc::clone(&columns));
            self.out.learned(self.pos, &table, &columns);
            self.recent = None;
        }
        // `ENGINE=…;`, `) ON [PRIMARY]` and `GO`
        self.skip_to_next(Stops::All, self.pos)
    }

    /// After `INSERT` or `REPLACE` (at `stmt`).
    fn insert(&mut self, stmt: usize) -> Step<()> {
        let mut t = self.token()?;
        while self.is_any(t, INSERT_MODIFIERS) {
            t = self.token()?;
        }
        if self.stop_before(t, Stops::All)? {
            return Ok(());
        }
        let first = t.start;
        let Some(name) = self.qualified_name(t)? else {
            self.error(
                t.start,
                format_args!(
                    "INSERT without a table name (found `{}`); statement skipped",
                    self.snip(t.start)
                ),
            );
            return self.abandon(t);
        };
        if self.byte(first) == Some(b'[') || self.byte(name.0) == Some(b'[') {
            // SQL Server: INSERT [dbo].[users] ([id], …) VALUES (…)
            self.enter_tsql();
        }
        t = self.token()?;
        if self.is(t, "AS") {
            // PostgreSQL: INSERT INTO t AS alias
            self.token()?;
            t = self.token()?;
        }
        if self.is(t, "PARTITION") {
            t = self.token()?;
            if t.kind == Kind::Punct(b'(') {
                if let Some(bad) = self.name_list()? {
                    self.error(
                        bad.start,
                        format_args!(
                            "INSERT into `{}`: its PARTITION list is malformed at `{}`; statement skipped",
                            Snip(self.slice(name.0, name.1)),
                            self.snip(bad.start)
                        ),
                    );
                    return self.abandon(bad);
                }
            }
            t = self.token()?;
        }
        let Some((next, listed)) = self.column_list(t, "INSERT", name)? else {
            return Ok(());
        };
        t = next;
        if self.is(t, "OVERRIDING") {
            self.token()?;
            self.token()?;
            t = self.token()?;
        }
        if self.is(t, "VALUES") || self.is(t, "VALUE") {
            let target = self.target(name, listed);
            self.set_place(Place::Values(target));
            return Ok(());
        }
        if self.is(t, "SET") && !listed {
            let target = self.target(name, false);
            let r = self.set_form(stmt, &target);
            if r.is_err() {
                self.eof_error(
                    stmt,
                    format_args!(
                        "the input ends inside this INSERT … SET (no `;` after it); its row is not counted"
                    ),
                );
            }
            return r;
        }
        if self.is(t, "DEFAULT") {
            // `DEFAULT VALUES`: a row of defaults, no data
            return self.abandon(t);
        }
        self.error(
            t.start,
            format_args!(
                "INSERT into `{}` has no VALUES list (found `{}`); statement skipped",
                Snip(self.slice(name.0, name.1)),
                self.snip(t.start)
            ),
        );
        self.abandon(t)
    }

    /// MySQL's `INSERT INTO t SET a = 1, b = 'x'`: one row.
    fn set_form(&mut self, stmt: usize, target: &Target) -> Step<()> {
        self.out.begin(target);
        loop {
            let t = self.token()?;
            if let Some((at, go)) = self.token_stop(t, Stops::NoSet)? {
                // `SET a = 1,` and then the next statement
                self.out.end(self.buf, stmt);
                self.pos = at;
                if !go {
                    self.missing_terminator(at);
                }
                self.leave();
                return Ok(());
            }
            let Some(column) = self.qualified_name(t)? else {
                self.error(
                    t.start,
                    format_args!(
                        "INSERT … SET expects a column name, found `{}`; statement skipped",
                        self.snip(t.start)
                    ),
                );
                return self.abandon(t);
            };
            let mut eq = self.token()?;
            if eq.kind == Kind::Punct(b':') {
                eq = self.token()?;
            }
            if eq.kind != Kind::Punct(b'=') {
                self.error(
                    eq.start,
                    format_args!(
                        "INSERT … SET expects `=`, found `{}`; statement skipped",
                        self.snip(eq.start)
                    ),
                );
                return self.abandon(eq);
            }
            self.skip_space(false)?;
            let start = self.pos;
            let (end, stop) = self.set_value()?;
            if stop > start {
                let dialect = self.ctx.dialect;
                self.out.field(
                    self.buf,
                    start,
                    stop,
                    FieldKey::Name(column.0, column.1),
                    dialect,
                );
            }
            match end {
                SetEnd::Comma => self.pos += 1,
                SetEnd::Semi => {
                    self.pos += 1;
                    self.out.end(self.buf, stmt);
                    self.end_statement();
                    return Ok(());
                }
                SetEnd::Tail => {
                    self.out.end(self.buf, stmt);
                    let at = self.pos;
                    return self.skip_to_next(Stops::NoSet, at);
                }
                SetEnd::Statement(go) => {
                    self.out.end(self.buf, stmt);
                    let at = self.pos;
                    if !go {
                        self.missing_terminator(at);
                    }
                    self.leave();
                    return Ok(());
                }
                SetEnd::Close => {
                    let at = self.pos;
                    self.error(
                        at,
                        format_args!("an unbalanced `)` in INSERT … SET; statement skipped"),
                    );
                    self.pos += 1;
                    return self.skip_to_next(Stops::All, at);
                }
            }
        }
    }

    /// A value of `INSERT … SET`: tokens up to `,`, `;`, `ON DUPLICATE…` or
    /// a line that starts the next statement. Returns what ended it (left at
    /// `pos`) and where the value ends.
    fn set_value(&mut self) -> Step<(SetEnd, usize)> {
        let mut depth = 0u32;
        let mut end = self.pos;
        loop {
            let t = self.token()?;
            let stop = match t.kind {
                Kind::Punct(b'(') => {
                    depth = depth.saturating_add(1);
                    None
                }
                Kind::Punct(b')') if depth == 0 => Some(SetEnd::Close),
                Kind::Punct(b')') => {
                    depth -= 1;
                    None
                }
                Kind::Punct(b',') if depth == 0 => Some(SetEnd::Comma),
                Kind::Semi => Some(SetEnd::Semi),
                Kind::Word if depth == 0 && self.is_any(t, &[b"ON", b"RETURNING"]) => {
                    Some(SetEnd::Tail)
                }
                Kind::Word if depth == 0 => match self.token_stop(t, Stops::NoSet)? {
                    Some((_, go)) => Some(SetEnd::Statement(go)),
                    // `SET a = 'x' ALTER TABLE …`: a statement keyword is
                    // no operand (but `CASE … END`, `REPLACE(…)`)
                    None if self.is_any(t, STATEMENTS)
                        && !self.is(t, "END")
                        && self.byte_after_space(t.end)? != Some(b'(') =>
                    {
                        Some(SetEnd::Statement(false))
                    }
                    None => None,
                },
                _ => None,
            };
            if let Some(stop) = stop {
                self.pos = t.start;
                return Ok((stop, end));
            }
            end = t.end;
        }
    }

    /// After `COPY` (at `stmt`): `COPY t (a, b) FROM stdin;` starts a data
    /// block on the next line.
    fn copy(&mut self, stmt: usize) -> Step<()> {
        let t = self.token()?;
        if self.stop_before(t, Stops::All)? {
            return Ok(());
        }
        let Some(name) = self.qualified_name(t)? else {
            // COPY (SELECT …) TO …
            return self.abandon(t);
        };
        let mut t = self.token()?;
        let Some((next, listed)) = self.column_list(t, "COPY", name)? else {
            return Ok(());
        };
        t = next;
        if !self.is(t, "FROM") {
            if self.stop_before(t, Stops::All)? {
                return Ok(());
            }
            if !self.is(t, "TO") {
                self.error(
                    t.start,
                    format_args!(
                        "COPY `{}` has neither FROM nor TO (found `{}`); statement skipped",
                        Snip(self.slice(name.0, name.1)),
                        self.snip(t.start)
                    ),
                );
            }
            return self.abandon(t);
        }
        let t = self.token()?;
        if !self.is(t, "STDIN") {
            // from a file on the server: no data in the dump
            return self.abandon(t);
        }
        let r = self.copy_options(stmt);
        if r.is_err() {
            self.eof_error(
                stmt,
                format_args!("the input ends inside a COPY statement (no `;` after it)"),
            );
        }
        let (text_format, terminated) = r?;
        if !text_format {
            self.error(
                stmt,
                format_args!("COPY in CSV or binary format: its lines are read as text format"),
            );
        }
        if self.ctx.dialect == Dialect::MySql {
            self.set_dialect(Dialect::Postgres);
        }
        let target = self.target(name, listed);
        self.set_place(Place::CopyData(target));
        if terminated {
            self.boundary();
        }
        Ok(())
    }

    /// The options of `COPY … FROM stdin`, up to the `;` and the end of its
    /// line; or, if the line ends without `;` and the next one goes on with
    /// no option, up to that line, which is data (an error). Returns
    /// whether the format is text, and whether the `;` was there.
    fn copy_options(&mut self, stmt: usize) -> Step<(bool, bool)> {
        let mut text_format = true;
        let mut depth = 0u32;
        loop {
            if depth == 0 {
                let mut i = self.pos;
                while matches!(self.peek(i)?, Some(b' ' | b'\t' | b'\r')) {
                    i += 1;
                }
                if self.peek(i)? == Some(b'\n') && !self.copy_options_go_on(i + 1)? {
                    self.error(
                        stmt,
                        format_args!(
                            "a `;` is missing after `COPY … FROM stdin`: its data is read from the next line"
                        ),
                    );
                    self.pos = i + 1;
                    return Ok((text_format, false));
                }
            }
            let o = self.token()?;
            match o.kind {
                Kind::Semi => break,
                Kind::Punct(b'(') => depth = depth.saturating_add(1),
                Kind::Punct(b')') => depth = depth.saturating_sub(1),
                _ => {}
            }
            if self.is_any(o, &[b"CSV", b"BINARY"]) {
                text_format = false;
            }
        }
        self.skip_line()?;
        Ok((text_format, true))
    }

    /// Whether the line at `line` goes on with the options of a COPY.
    fn copy_options_go_on(&self, line: usize) -> Step<bool> {
        let mut at = line;
        while matches!(self.peek(at)?, Some(b' ' | b'\t')) {
            at += 1;
        }
        if matches!(self.peek(at)?, Some(b'(' | b';')) {
            return Ok(true);
        }
        let mut n = 0;
        while n <= LONGEST_KEYWORD && self.peek(at + n)?.is_some_and(|b| b.is_ascii_alphabetic()) {
            n += 1;
        }
        let ends = n > 0 && n <= LONGEST_KEYWORD && !self.peek(at + n)?.is_some_and(is_ident);
        Ok(ends && is_kw(self.slice(at, at + n), COPY_OPTIONS))
    }

    // ---- rows

    /// Inside a VALUES list, before a tuple.
    fn values(&mut self) -> Step<()> {
        loop {
            self.skip_space(false)?;
            let at = self.pos;
            let b = self.byte(at).ok_or(Stop)?;
            if b != b'(' {
                if let Some((at, _)) = self.stop_at(at, Stops::All)? {
                    // `VALUES` or `,` and then the next statement
                    self.error(
                        at,
                        format_args!("a VALUES list is cut short by the next statement"),
                    );
                    self.pos = at;
                    self.leave();
                    return Ok(());
                }
                if is_ident(b) {
                    let (s, e) = self.word()?;
                    if self.slice(s, e).eq_ignore_ascii_case(b"ROW") {
                        // MySQL 8: VALUES ROW(1, 2), ROW(3, 4)
                        self.skip_space(false)?;
                        if self.byte(self.pos) == Some(b'(') {
                            continue;
                        }
                    }
                    self.pos = at;
                }
                if b == b';' {
                    self.error(at, format_args!("a VALUES list ends without a tuple"));
                    self.pos += 1;
                    self.end_statement();
                    return Ok(());
                }
                self.error(
                    at,
                    format_args!(
                        "expected a `(` tuple, found `{}`; skipped to the next tuple",
                        self.snip(at)
                    ),
                );
                match self.resync()? {
                    Resynced::Tuple => continue,
                    Resynced::StatementEnd => return Ok(()),
                }
            }
            match self.tuple()? {
                TupleEnd::Record => {}
                TupleEnd::Restart => continue,
                TupleEnd::StatementEnd => return Ok(()),
            }
            if let Err(Stop) = self.skip_space(false) {
                if self.at_eof && self.ctx.tsql && self.pos >= self.buf.len() {
                    // the last statement of a SQL Server script needs no `;`
                    self.leave();
                }
                return Err(Stop);
            }
            let at = self.pos;
            if self.go_end(at)?.is_some() {
                self.pos = at;
                self.leave();
                return Ok(());
            }
            match self.byte(at).ok_or(Stop)? {
                b',' => {
                    self.pos += 1;
                    self.boundary();
                }
                b';' => {
                    self.pos += 1;
                    self.end_statement();
                    return Ok(());
                }
                c => {
                    if is_ident(c) {
                        let (s, e) = self.word()?;
                        let word = self.slice(s, e);
                        if is_kw(word, TAILS) {
                            return self.skip_to_next(Stops::NoSet, at);
                        }
                        if is_kw(word, STATEMENTS) {
                            self.pos = at;
                            self.missing_terminator(at);
                            self.leave();
                            return Ok(());
                        }
                        self.pos = at;
                    }
                    self.error(
                        at,
                        format_args!(
                            "unexpected `{}` after a tuple (expected `,` or `;`); skipped to the next tuple",
                            self.snip(at)
                        ),
                    );
                    match self.resync()? {
                        Resynced::Tuple => {}
                        Resynced::StatementEnd => return Ok(()),
                    }
                }
            }
        }
    }

    /// After an error in a VALUES list: on to the next `(` that follows a `,`
    /// outside parentheses, or past the end of the statement (its `;`, or
    /// up to a line that starts the next one).
    fn resync(&mut self) -> Step<Resynced> {
        let mut depth = 0u32;
        loop {
            match self.next_special(None)? {
                b'\n' => {
                    self.pos += 1;
                    if depth == 0 {
                        if let Some((at, _)) = self.line_stop(self.pos, Stops::All)? {
                            self.pos = at;
                            self.leave();
                            return Ok(Resynced::StatementEnd);
                        }
                    }
                }
                b'(' => {
                    depth = depth.saturating_add(1);
                    self.pos += 1;
                }
                b')' => {
                    depth = depth.saturating_sub(1);
                    self.pos += 1;
                }
                b',' if depth == 0 => {
                    self.pos += 1;
                    let after = self.pos;
                    self.skip_space(false)?;
                    if self.byte(self.pos) == Some(b'(') {
                        // From `after` a fresh walk sees only this tuple too.
                        self.out.boundary(after, &self.ctx, self.version);
                        return Ok(Resynced::Tuple);
                    }
                    if let Some((at, _)) = self.stop_at(self.pos, Stops::All)? {
                        self.pos = at;
                        self.leave();
                        return Ok(Resynced::StatementEnd);
                    }
                }
                b';' => {
                    self.pos += 1;
                    self.end_statement();
                    return Ok(Resynced::StatementEnd);
                }
                b => self.special(b)?,
            }
        }
    }

    /// At a tuple's `(`.
    fn tuple(&mut self) -> Step<TupleEnd> {
        let open = self.pos;
        let r = self.tuple_fields(open);
        if r.is_err() {
            self.eof_error(
                open,
                format_args!("the input ends inside this tuple; it is not counted"),
            );
        }
        r
    }

    fn tuple_fields(&mut self, open: usize) -> Step<TupleEnd> {
        self.pos = open + 1;
        if let Place::Values(target) = &self.ctx.place {
            self.out.begin(target);
        }
        let dialect = self.ctx.dialect;
        let mut index = 0usize;
        loop {
            self.skip_space(false)?;
            let start = self.pos;
            let next = match self.stop_at(start, Stops::All)? {
                Some(_) => ExprEnd::Statement,
                None => ExprEnd::Comma,
            };
            if self.byte(start) == Some(b'(') && !self.subquery(start)? {
                // `(1, 'a', (2, 'b')`: a `)` went missing; no dump nests
                // parentheses at the start of a value.
                self.error(
                    open,
                    format_args!("a tuple is not closed before the next `(`; it is not counted"),
                );
                return Ok(TupleEnd::Restart);
            }
            let end = match next {
                ExprEnd::Statement => next,
                _ => self.scan_expr(Stops::All)?,
            };
            if end == ExprEnd::Semi {
                self.error(
                    open,
                    format_args!("a tuple is not closed before `;`; it is not counted"),
                );
                self.pos += 1;
                self.end_statement();
                return Ok(TupleEnd::StatementEnd);
            }
            if end == ExprEnd::Statement {
                self.error(
                    open,
                    format_args!(
                        "a tuple is not closed before the next statement; it is not counted"
                    ),
                );
                self.leave();
                return Ok(TupleEnd::StatementEnd);
            }
            let stop = trim_end(self.buf, start, self.pos);
            if stop > start {
                self.out
                    .field(self.buf, start, stop, FieldKey::Index(index), dialect);
            } else if end == ExprEnd::Comma || index > 0 {
                self.error(start, format_args!("an empty value in a tuple"));
            }
            index += 1;
            self.pos += 1;
            if end == ExprEnd::Close {
                self.out.end(self.buf, open);
                return Ok(TupleEnd::Record);
            }
        }
    }

    /// Whether the `(` at `paren` opens a subquery (`(SELECT …)`).
    fn subquery(&mut self, paren: usize) -> Step<bool> {
        let save = self.pos;
        self.pos = paren + 1;
        let r = self
            .skip_space(false)
            .and_then(|()| match self.byte(self.pos) {
                Some(b) if is_ident(b) => {
                    let (s, e) = self.word()?;
                    Ok(is_kw(self.slice(s, e), SUBQUERY))
                }
                _ => Ok(false),
            });
        self.pos = save;
        r
    }

    /// At the start of a line of COPY data.
    fn copy_data(&mut self) -> Step<()> {
        loop {
            let start = self.pos;
            let rest = self.rest();
            if rest.is_empty() {
                return Err(Stop);
            }
            let (len, next) = match memchr(b'\n', rest) {
                Some(k) => (k, start + k + 1),
                None if self.at_eof => (rest.len(), self.buf.len()),
                None => return Err(Stop),
            };
            let mut line = rest.get(..len).unwrap_or_default();
            if let Some(l) = line.strip_suffix(b"\r") {
                line = l;
            }
            if line == b"\\." {
                self.pos = next;
                self.end_statement();
                return Ok(());
            }
            let single = match &self.ctx.place {
                Place::CopyData(t) => t.columns.as_ref().is_some_and(|c| c.len() == 1),
                _ => return Ok(()),
            };
            if !single {
                if line.is_empty() {
                    self.pos = next;
                    self.boundary();
                    continue;
                }
                if starts_statement(line) && memchr(b'\t', line).is_none() {
                    // `\.` went missing: pg_dump's next statement is no row.
                    let table = match &self.ctx.place {
                        Place::CopyData(t) => Arc::clone(&t.table),
                        _ => Arc::from(""),
                    };
                    self.error(
                        start,
                        format_args!("the COPY data of `{table}` has no `\\.` end line; it ends before this statement"),
                    );
                    self.set_place(Place::Statements);
                    return Ok(());
                }
            }
            if let Place::CopyData(target) = &self.ctx.place {
                self.out.begin(target);
            }
            for (i, field) in line.split(|&b| b == b'\t').enumerate() {
                if field != b"\\N" {
                    self.out.copy_field(field, i);
                }
            }
            self.out.end(self.buf, start);
            self.pos = next;
            self.boundary();
        }
    }
}

enum Match {
    Full,
    /// The bytes end inside a match.
    Partial,
    No,
}

fn prefix_match(rest: &[u8], d: &[u8]) -> Match {
    if rest.starts_with(d) {
        Match::Full
    } else if d.starts_with(rest) {
        Match::Partial
    } else {
        Match::No
    }
}

fn is_pg_header(comment: &[u8]) -> bool {
    trim_start(comment).starts_with(b"PostgreSQL database")
}

/// Where a `/* … */` that may nest, with its body at `i`, ends.
fn nested_comment_end(buf: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 1usize;
    while let Some(k) = memchr2(b'/', b'*', buf.get(i..)?) {
        let j = i + k;
        match (buf.get(j), buf.get(j + 1)) {
            (Some(b'*'), Some(b'/')) => {
                depth -= 1;
                i = j + 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                i = j + 2;
            }
            _ => i = j + 1,
        }
    }
    None
}

/// The body of a routine (CREATE FUNCTION, TRIGGER…) being skipped, which
/// may hold statements: indented ones are its own until it ends.
#[derive(Default)]
struct Body {
    /// `BEGIN ATOMIC` was seen: the body runs to `END`.
    atomic: bool,
    /// `END` ended a line of the atomic body.
    closed: bool,
}

impl Body {
    /// Whether the routine, whose text so far is `before`, has an atomic body.
    fn atomic(&mut self, before: &[u8]) -> bool {
        if !self.atomic {
            self.atomic = has_begin_atomic(before);
        }
        self.atomic
    }

    /// At an indented line that starts a statement: whether that statement
    /// is not the body's (an atomic body's before its `END`, or the one
    /// statement of a trigger, rule or event right after `FOR EACH ROW`, `DO`…).
    fn ends_at_indented(&mut self, before: &[u8]) -> bool {
        if self.atomic(before) {
            self.closed
        } else {
            !BODY_STARTS.iter().any(|w| ends_with_word(before, w))
        }
    }
}

/// Whether `text` holds `BEGIN ATOMIC` (any case), PostgreSQL's SQL-standard
/// routine body.
fn has_begin_atomic(text: &[u8]) -> bool {
    let word_at = |i: usize, word: &[u8]| {
        text.get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
            && (i == 0 || !text.get(i - 1).copied().is_some_and(is_ident))
            && !text.get(i + word.len()).copied().is_some_and(is_ident)
    };
    (0..text.len()).any(|i| {
        word_at(i, b"BEGIN") && {
            let gap = run(text, i + 5, is_space);
            gap > 0 && word_at(i + 5 + gap, b"ATOMIC")
        }
    })
}

/// Whether `text`, white space aside, ends with the word `word`.
fn ends_with_word(text: &[u8], word: &[u8]) -> bool {
    let end = trim_end(text, 0, text.len());
    let n = word.len();
    end >= n
        && text
            .get(end - n..end)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
        && (end == n || !text.get(end - n - 1).copied().is_some_and(is_ident))
}

/// A line of COPY data that is rather the next statement.
fn starts_statement(line: &[u8]) -> bool {
    match line {
        [b'-', b'-', ..] | [b'/', b'*', ..] => true,
        // psql's `\connect`, `\unrestrict` (not `\N`)
        [b'\\', c, ..] => c.is_ascii_lowercase(),
        [c, ..] if c.is_ascii_alphabetic() => {
            let n = run(line, 0, |b| b.is_ascii_alphabetic());
            let word = line.get(..n).unwrap_or_default();
            is_kw(word, STATEMENTS)
                && line
                    .get(n)
                    .is_none_or(|&b| matches!(b, b' ' | b'\t' | b'(' | b';'))
        }
        _ => false,
    }
}

fn run(s: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    s.get(from..)
        .map_or(0, |r| r.iter().take_while(|&&b| pred(b)).count())
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = run(s, 0, is_space);
    s.get(n..).unwrap_or_default()
}

fn trim_end(buf: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && buf.get(end - 1).is_some_and(|&b| is_space(b)) {
        end -= 1;
    }
    end
}

/// Appends a name without its quotes (`` `a``b` `` → ``a`b``, `[a]]b]` → `a]b`).
fn unquote_into(raw: &[u8], out: &mut String) {
    let (inner, quote) = match raw {
        [q @ (b'`' | b'"'), inner @ .., last] if last == q => (inner, Some(*q as char)),
        [b'[', inner @ .., b']'] => (inner, Some(']')),
        _ => (raw, None),
    };
    let text = decode::field(FieldDecoding::Utf8, inner).0;
    let doubled = |q: char| {
        text.chars()
            .zip(text.chars().skip(1))
            .any(|(a, b)| a == q && b == q)
    };
    match quote {
        Some(q) if doubled(q) => {
            let mut prev_quote = false;
            for c in text.chars() {
                if c == q && prev_quote {
                    prev_quote = false;
                    continue;
                }
                prev_quote = c == q;
                out.push(c);
            }
        }
        _ => out.push_str(&text),
    }
}

fn same_names(
    buf: &[u8],
    spans: &[(usize, usize)],
    names: &[String],
    scratch: &mut String,
) -> bool {
    spans.len() == names.len()
        && spans.iter().zip(names).all(|(&(s, e), name)| {
            scratch.clear();
            unquote_into(buf.get(s..e).unwrap_or_default(), scratch);
            scratch == name
        })
}

/// A few bytes of input for an error message, masked: the input is personal
/// data, and error messages are printed without `--reveal`.
struct Snip<'a>(&'a [u8]);

/// Masks what could identify a person in an error snippet: digits and
/// non-ASCII characters (numbers, Chinese names, addresses) become `*`, and
/// so does every word with an `@` (e-mail addresses). SQL keywords,
/// punctuation and ASCII table or column names stay readable.
fn mask_snip(text: &str) -> String {
    let text = text.trim_end();
    let mut out = String::with_capacity(text.len());
    for word in text.split_inclusive(|c: char| c.is_whitespace() || ",;()'\"`".contains(c)) {
        let email = word.contains('@');
        for c in word.chars() {
            let hide = c.is_ascii_digit()
                || !c.is_ascii()
                || email && !c.is_whitespace() && !",;()'\"`".contains(c);
            out.push(if hide { '*' } else { c });
        }
    }
    out
}

impl fmt::Display for Snip<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 24;
        let head = self.0.get(..MAX + 1).unwrap_or(self.0);
        let line = head
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(head, |k| head.get(..k).unwrap_or_default());
        let shown = line.get(..MAX).unwrap_or(line);
        f.write_str(&mask_snip(&String::from_utf8_lossy(shown)))?;
        if shown.len() < line.len() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

// ---- values

/// What a value is, read from its text.
enum Val<'f> {
    /// NULL or DEFAULT: no field.
    Skip,
    /// These bytes as they are: a number, a word, a string without escapes,
    /// or an expression as written.
    Raw(&'f [u8]),
    /// The string, unescaped into the parser's buffer.
    Unescaped,
    /// A hex literal: its digits, and the literal as written.
    Hex(&'f [u8], &'f [u8]),
}

/// How backslashes read in a string literal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// Only `''`.
    Standard,
    MySql,
    /// PostgreSQL `E'…'`.
    Pg,
}

fn flavor(dialect: Dialect) -> Flavor {
    match dialect {
        Dialect::MySql => Flavor::MySql,
        Dialect::Postgres => Flavor::Standard,
        Dialect::PostgresEscapes => Flavor::Pg,
    }
}

/// Reads a value: one literal, maybe with a charset introducer before it
/// (`_utf8mb4'…'`) or a cast or collation after it (`'…'::date`); anything
/// else (`NOW()`, `ARRAY[…]`, `1 + 2`) is kept as written.
fn classify<'f>(text: &'f [u8], dialect: Dialect, buf: &mut Vec<u8>) -> Val<'f> {
    let g = strip_introducer(text);
    match literal(g, dialect, buf) {
        Some((v, rest)) if ignorable_tail(rest) => v,
        _ => Val::Raw(text),
    }
}

fn strip_introducer(f: &[u8]) -> &[u8] {
    if f.first() != Some(&b'_') {
        return f;
    }
    let n = run(f, 1, |b| b.is_ascii_alphanumeric() || b == b'_');
    let r = trim_start(f.get(1 + n..).unwrap_or_default());
    let literal = matches!(
        r,
        [b'\'' | b'"', ..]
            | [b'0', b'x' | b'X', ..]
            | [b'x' | b'X' | b'b' | b'B' | b'n' | b'N', b'\'', ..]
    );
    if n > 0 && literal {
        r
    } else {
        f
    }
}

fn ignorable_tail(rest: &[u8]) -> bool {
    let r = trim_start(rest);
    r.is_empty()
        || r.starts_with(b"::")
        || (r
            .get(..7)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"COLLATE"))
            && r.get(7).is_some_and(|&b| is_space(b)))
}

/// The literal at the start of `g`, and what follows it.
fn literal<'f>(g: &'f [u8], dialect: Dialect, buf: &mut Vec<u8>) -> Option<(Val<'f>, &'f [u8])> {
    let pg = dialect != Dialect::MySql;
    match g {
        [b'\'', ..] => string(g, 0, b'\'', flavor(dialect), buf),
        [b'"', ..] if !pg => string(g, 0, b'"', Flavor::MySql, buf),
        [b'e' | b'E', b'\'', ..] if pg => string(g, 1, b'\'', Flavor::Pg, buf),
        [b'n' | b'N', b'\'', ..] => string(g, 1, b'\'', flavor(dialect), buf),
        [b'u' | b'U', b'&', b'\'', ..] if pg => string(g, 2, b'\'', Flavor::Standard, buf),
        [b'$', ..] => {
            let tag_len = 2 + run(g, 1, |b| is_ident(b) && b != b'$');
            let tag = g.get(..tag_len).filter(|t| t.ends_with(b"$"))?;
            let end = tag_len + memmem::find(g.get(tag_len..)?, tag)?;
            Some((Val::Raw(g.get(tag_len..end)?), g.get(end + tag_len..)?))
        }
        [b'x' | b'X', b'\'', ..] => {
            let end = 2 + memchr(b'\'', g.get(2..)?)?;
            Some((Val::Hex(g.get(2..end)?, g.get(..=end)?), g.get(end + 1..)?))
        }
        [b'b' | b'B', b'\'', ..] => {
            let end = 2 + memchr(b'\'', g.get(2..)?)?;
            Some((Val::Raw(g.get(..=end)?), g.get(end + 1..)?))
        }
        [b'0', b'x' | b'X', ..] => {
            let end = 2 + run(g, 2, |b| b.is_ascii_hexdigit());
            (end > 2).then_some(())?;
            Some((Val::Hex(g.get(2..end)?, g.get(..end)?), g.get(end..)?))
        }
        [b'0', b'b' | b'B', b'0' | b'1', ..] => {
            let end = 2 + run(g, 2, |b| b == b'0' || b == b'1');
            Some((Val::Raw(g.get(..end)?), g.get(end..)?))
        }
        [b'0'..=b'9' | b'.' | b'+' | b'-', ..] => {
            let n = number_len(g)?;
            Some((Val::Raw(g.get(..n)?), g.get(n..)?))
        }
        [c, ..] if c.is_ascii_alphabetic() || *c == b'_' => {
            let n = run(g, 0, is_ident);
            let (word, rest) = (g.get(..n)?, g.get(n..)?);
            let after = trim_start(rest);
            if is_kw(word, &[b"NULL", b"DEFAULT"]) {
                Some((Val::Skip, rest))
            } else if is_kw(
                word,
                &[b"DATE", b"TIME", b"TIMESTAMP", b"TIMESTAMPTZ", b"INTERVAL"],
            ) && after.first() == Some(&b'\'')
            {
                // a typed literal: DATE '2020-01-01'
                string(after, 0, b'\'', flavor(dialect), buf)
            } else if after.first() == Some(&b'(') {
                // a function call: kept as written
                None
            } else {
                Some((Val::Raw(word), rest))
            }
        }
        _ => None,
    }
}

/// A number as written: sign, digits, fraction, exponent.
fn number_len(g: &[u8]) -> Option<usize> {
    let digit = |b: u8| b.is_ascii_digit();
    let mut i = usize::from(matches!(g.first(), Some(b'+' | b'-')));
    let int = run(g, i, digit);
    i += int;
    let mut frac = 0;
    if g.get(i) == Some(&b'.') {
        frac = run(g, i + 1, digit);
        i += 1 + frac;
    }
    if int + frac == 0 {
        return None;
    }
    if matches!(g.get(i), Some(b'e' | b'E')) {
        let s = i + 1 + usize::from(matches!(g.get(i + 1), Some(b'+' | b'-')));
        let e = run(g, s, digit);
        if e > 0 {
            i = s + e;
        }
    }
    Some(i)
}

/// The string literal whose quote `q` is at `g[open]`.
fn string<'f>(
    g: &'f [u8],
    open: usize,
    q: u8,
    flavor: Flavor,
    buf: &mut Vec<u8>,
) -> Option<(Val<'f>, &'f [u8])> {
    let body = open + 1;
    let mut i = body;
    let mut plain = true;
    let end = loop {
        let rest = g.get(i..)?;
        let k = if flavor == Flavor::Standard {
            memchr(q, rest)
        } else {
            memchr2(q, b'\\', rest)
        }?;
        let j = i + k;
        if g.get(j) == Some(&q) && g.get(j + 1) != Some(&q) {
            break j;
        }
        plain = false;
        i = j + 2;
    };
    let content = g.get(body..end)?;
    let val = if plain {
        Val::Raw(content)
    } else {
        unescape(content, q, flavor, buf);
        Val::Unescaped
    };
    Some((val, g.get(end + 1..)?))
}

/// The value of a string literal's body.
fn unescape(body: &[u8], q: u8, flavor: Flavor, out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while let Some(rest) = body.get(i..).filter(|r| !r.is_empty()) {
        let hit = if flavor == Flavor::Standard {
            memchr(q, rest)
        } else {
            memchr2(q, b'\\', rest)
        };
        let Some(k) = hit else {
            out.extend_from_slice(rest);
            break;
        };
        out.extend_from_slice(rest.get(..k).unwrap_or_default());
        let j = i + k;
        if body.get(j) == Some(&q) {
            // a doubled quote
            out.push(q);
            i = j + 2;
            continue;
        }
        let Some(&c) = body.get(j + 1) else {
            out.push(b'\\');
            break;
        };
        i = match flavor {
            Flavor::MySql => {
                match c {
                    b'0' => out.push(0),
                    b'b' => out.push(8),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'Z' => out.push(0x1a),
                    // `\%` and `\_` keep their backslash outside LIKE patterns
                    b'%' | b'_' => out.extend_from_slice(&[b'\\', c]),
                    _ => out.push(c),
                }
                j + 2
            }
            _ => backslash_escape(body, j + 1, out, false),
        };
    }
}

/// PostgreSQL's escapes after a `\` (in `E'…'`, or COPY data with `copy`),
/// the escaped character at `s[at]`. Returns where the text goes on.
fn backslash_escape(s: &[u8], at: usize, out: &mut Vec<u8>, copy: bool) -> usize {
    let Some(&c) = s.get(at) else {
        out.push(b'\\');
        return at;
    };
    let simple = match c {
        b'b' => Some(8),
        b'f' => Some(12),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' if copy => Some(11),
        _ => None,
    };
    if let Some(v) = simple {
        out.push(v);
        return at + 1;
    }
    match c {
        b'0'..=b'7' => {
            let n = run(s, at, |b| (b'0'..=b'7').contains(&b)).min(3);
            let v = s
                .get(at..at + n)
                .unwrap_or_default()
                .iter()
                .fold(0u32, |v, &d| v * 8 + u32::from(d - b'0'));
            out.push(v as u8);
            at + n
        }
        b'x' if s.get(at + 1).is_some_and(u8::is_ascii_hexdigit) => {
            let n = run(s, at + 1, |b| b.is_ascii_hexdigit()).min(2);
            let v = s
                .get(at + 1..at + 1 + n)
                .unwrap_or_default()
                .iter()
                .fold(0u8, |v, &d| v.wrapping_mul(16) | hex_val(d).unwrap_or(0));
            out.push(v);
            at + 1 + n
        }
        b'u' | b'U' if !copy => {
            let len = if c == b'u' { 4 } else { 8 };
            let digits = s
                .get(at + 1..at + 1 + len)
                .filter(|d| d.iter().all(u8::is_ascii_hexdigit));
            let ch = digits.and_then(|d| {
                let v = d
                    .iter()
                    .fold(0u32, |v, &x| (v << 4) | u32::from(hex_val(x).unwrap_or(0)));
                char::from_u32(v)
            });
            match ch {
                Some(ch) => {
                    let mut utf8 = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut utf8).as_bytes());
                    at + 1 + len
                }
                None => {
                    out.push(c);
                    at + 1
                }
            }
        }
        _ => {
            out.push(c);
            at + 1
        }
    }
}

/// A field of COPY text format: `\t`, `\\`, `\ooo`, `\xHH`…
fn unescape_copy(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while let Some(rest) = raw.get(i..).filter(|r| !r.is_empty()) {
        let Some(k) = memchr(b'\\', rest) else {
            out.extend_from_slice(rest);
            break;
        };
        out.extend_from_slice(rest.get(..k).unwrap_or_default());
        i = backslash_escape(raw, i + k + 1, out, true);
        if i >= raw.len() {
            break;
        }
    }
}

fn hex_val(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

/// Decodes hex digits (an odd count as if led by a 0).
fn hex_decode(digits: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    let mut high = (digits.len() % 2 == 1).then_some(0u8);
    for &d in digits {
        let Some(v) = hex_val(d) else { return false };
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    true
}

/// Hex-encoded bytes as text, if they are text: UTF-8 (or, in a GBK dump,
/// clean GBK) without control characters. Anything else is binary.
fn hex_text(dec: FieldDecoding, bytes: &[u8]) -> Option<Cow<'_, str>> {
    let printable = |s: &str| {
        !s.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    };
    if let Ok(s) = std::str::from_utf8(bytes) {
        return printable(s).then_some(Cow::Borrowed(s));
    }
    if dec == FieldDecoding::Gbk {
        let (text, errors) = decode::field(dec, bytes);
        if !errors && printable(&text) {
            return Some(text);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Row {
        offset: u64,
        line: u64,
        fields: Vec<(String, String)>,
    }

    #[derive(Default)]
    struct Collect {
        rows: Vec<Row>,
        errors: Vec<(u64, String)>,
        /// Where the current chunk starts in the input.
        base: u64,
        base_line: u64,
    }

    impl RecordSink for Collect {
        fn record(&mut self, pos: Position, r: &RecordBuf) {
            self.rows.push(Row {
                offset: self.base + pos.offset,
                line: self.base_line + pos.line,
                fields: r
                    .fields()
                    .map(|(c, v)| (r.key_text(c).to_string(), v.to_string()))
                    .collect(),
            });
        }
        fn error(&mut self, pos: Position, message: String) {
            self.errors.push((self.base + pos.offset, message));
        }
    }

    fn whole_with(input: &[u8], dec: FieldDecoding) -> Collect {
        let mut c = Collect::default();
        parse(&SqlContext::default(), dec, input, &mut c);
        c
    }

    fn whole(input: &str) -> Collect {
        whole_with(input.as_bytes(), FieldDecoding::Utf8)
    }

    /// Feeds `input` the way the reader does: the buffer grows by `step`
    /// bytes, each boundary's prefix is parsed with the context from before
    /// the call and drained.
    fn chunked(input: &[u8], step: usize) -> Collect {
        let mut framer = SqlFramer::new();
        let mut c = Collect::default();
        let mut buf: Vec<u8> = Vec::new();
        let mut fed = 0;
        loop {
            let n = step.min(input.len() - fed);
            buf.extend_from_slice(&input[fed..fed + n]);
            fed += n;
            let eof = fed == input.len();
            let ctx = framer.context();
            if let Some(end) = framer.boundary(&buf, eof) {
                assert!(end > 0 || buf.is_empty(), "empty prefix");
                assert!(end <= buf.len());
                parse(&ctx, FieldDecoding::Utf8, &buf[..end], &mut c);
                c.base += end as u64;
                c.base_line += buf[..end].iter().filter(|&&b| b == b'\n').count() as u64;
                buf.drain(..end);
                if eof {
                    assert!(buf.is_empty());
                    break;
                }
            } else {
                assert!(!eof);
            }
        }
        c
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Rows start at their `(` (or line), on the line they say.
    fn check_positions(input: &str, c: &Collect) {
        let bytes = input.as_bytes();
        for r in &c.rows {
            let at = r.offset as usize;
            let lines = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(r.line, lines, "line of the row at {at}");
            assert!(
                bytes[at] == b'('
                    || at == 0
                    || bytes[at - 1] == b'\n'
                    || input[at..].starts_with("INSERT"),
                "row at {at} starts at {:?}",
                &input[at..at + 10]
            );
        }
    }

    const MYSQLDUMP: &str = r#"-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
-- Server version	8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table `users`
--

DROP TABLE IF EXISTS `users`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `users` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `name` varchar(64) NOT NULL DEFAULT '' COMMENT '姓名, (name); it''s',
  `mobile` char(11) DEFAULT NULL,
  `id_card` varchar(18) DEFAULT NULL,
  `note` text,
  `balance` decimal(10,2) DEFAULT '0.00',
  `avatar` blob,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_mobile` (`mobile`),
  KEY `idx_name` (`name`(10)),
  CONSTRAINT `fk_x` FOREIGN KEY (`id`) REFERENCES `accounts` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COMMENT='users; all of them';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `users`
--

LOCK TABLES `users` WRITE;
/*!40000 ALTER TABLE `users` DISABLE KEYS */;
INSERT INTO `users` VALUES (1,'张三','13812345678','110105194912310029','It\'s a \"test\";\n(ok)',-1.50,0x89504E470D0A1A0A),(2,'O''Brien','13912345678',110105194912310030,'C:\\path\\to',NULL,_binary 'abc'),(3,'李四',NULL,NULL,'tab\there',0.00,0x48656C6C6F);
/*!40000 ALTER TABLE `users` ENABLE KEYS */;
UNLOCK TABLES;

DROP TABLE IF EXISTS `orders`;
CREATE TABLE `shop`.`orders` (
  `order_no` bigint unsigned NOT NULL,
  `user_id` bigint NOT NULL,
  `address` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`order_no`)
) ENGINE=InnoDB;

LOCK TABLES `orders` WRITE;
INSERT INTO `orders` VALUES (202401010000000001,1,'北京市朝阳区, 建国路 1 号'),(202401010000000002,2,'上海市\r\n浦东新区');
UNLOCK TABLES;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2024-01-01 10:00:00
"#;

    #[test]
    fn reads_a_mysqldump() {
        let c = whole(MYSQLDUMP);
        assert_eq!(c.errors, []);
        assert_eq!(c.rows.len(), 5);
        assert_eq!(
            c.rows[0].fields,
            kv(&[
                ("users.id", "1"),
                ("users.name", "张三"),
                ("users.mobile", "13812345678"),
                ("users.id_card", "110105194912310029"),
                ("users.note", "It's a \"test\";\n(ok)"),
                ("users.balance", "-1.50"),
                ("users.avatar", "0x89504E470D0A1A0A"),
            ])
        );
        assert_eq!(
            c.rows[1].fields,
            kv(&[
                ("users.id", "2"),
                ("users.name", "O'Brien"),
                ("users.mobile", "13912345678"),
                ("users.id_card", "110105194912310030"),
                ("users.note", "C:\\path\\to"),
                ("users.avatar", "abc"),
            ]),
            "NULL is no field; an unquoted 18-digit ID keeps its digits"
        );
        assert_eq!(
            c.rows[2].fields,
            kv(&[
                ("users.id", "3"),
                ("users.name", "李四"),
                ("users.note", "tab\there"),
                ("users.balance", "0.00"),
                ("users.avatar", "Hello"),
            ])
        );
        assert_eq!(
            c.rows[3].fields,
            kv(&[
                ("orders.order_no", "202401010000000001"),
                ("orders.user_id", "1"),
                ("orders.address", "北京市朝阳区, 建国路 1 号"),
            ])
        );
        assert_eq!(c.rows[4].fields[2].1, "上海市\r\n浦东新区");
        let insert_line = MYSQLDUMP[..MYSQLDUMP.find("INSERT INTO `users`").unwrap()]
            .matches('\n')
            .count() as u64;
        assert_eq!(c.rows[0].line, insert_line);
        assert_eq!(c.rows[2].line, insert_line);
        check_positions(MYSQLDUMP, &c);
    }

    fn pg_dump() -> String {
        r#"--
-- PostgreSQL database dump
--

\restrict AbCdEf123

-- Dumped from database version 16.2
-- Dumped by pg_dump version 16.2

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
BEGIN
  NEW.note := 'it''s; done';
  RETURN NEW;
END;
$_$;

SET default_tablespace = '';

--
-- Name: customers; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE public.customers (
    id bigint NOT NULL,
    full_name character varying(100),
    phone text,
    "Home Address" text,
    tags text[],
    created_at timestamp without time zone DEFAULT now()
);

ALTER TABLE public.customers OWNER TO app;

--
-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: app
--

COPY public.customers (id, full_name, phone, "Home Address", tags, created_at) FROM stdin;
1→张三→13812345678→北京市\t朝阳区→{a,b}→2024-01-01 10:00:00
2→O'Brien→\N→line1\nline2→\N→2024-01-02 00:00:00
3→C:\\path→+86 139-1234-5678→\\N literal→{}→\N
\.


INSERT INTO public.customers (id, full_name, phone, "Home Address", tags, created_at) VALUES (4, 'O''Brien', 'C:\path', E'first\nsecond', '{x,y}'::text[], '2024-01-01 00:00:00'::timestamp without time zone);
INSERT INTO public.customers VALUES (5, NULL, '13700000000', NULL, NULL, now());

SELECT pg_catalog.setval('public.customers_id_seq', 5, true);

\unrestrict AbCdEf123
"#
        .replace('→', "\t")
    }

    #[test]
    fn reads_a_pg_dump() {
        let dump = pg_dump();
        let c = whole(&dump);
        assert_eq!(c.errors, []);
        assert_eq!(c.rows.len(), 5);
        assert_eq!(
            c.rows[0].fields,
            kv(&[
                ("customers.id", "1"),
                ("customers.full_name", "张三"),
                ("customers.phone", "13812345678"),
                ("customers.Home Address", "北京市\t朝阳区"),
                ("customers.tags", "{a,b}"),
                ("customers.created_at", "2024-01-01 10:00:00"),
            ])
        );
        assert_eq!(
            c.rows[1].fields,
            kv(&[
                ("customers.id", "2"),
                ("customers.full_name", "O'Brien"),
                ("customers.Home Address", "line1\nline2"),
                ("customers.created_at", "2024-01-02 00:00:00"),
            ])
        );
        assert_eq!(
            c.rows[2].fields,
            kv(&[
                ("customers.id", "3"),
                ("customers.full_name", "C:\\path"),
                ("customers.phone", "+86 139-1234-5678"),
                ("customers.Home Address", "\\N literal"),
                ("customers.tags", "{}"),
            ])
        );
        assert_eq!(
            c.rows[3].fields,
            kv(&[
                ("customers.id", "4"),
                ("customers.full_name", "O'Brien"),
                ("customers.phone", "C:\\path"),
                ("customers.Home Address", "first\nsecond"),
                ("customers.tags", "{x,y}"),
                ("customers.created_at", "2024-01-01 00:00:00"),
            ]),
            "a backslash stays a backslash with standard_conforming_strings"
        );
        assert_eq!(
            c.rows[4].fields,
            kv(&[
                ("customers.id", "5"),
                ("customers.phone", "13700000000"),
                ("customers.created_at", "now()"),
            ])
        );
        check_positions(&dump, &c);
    }

    const MALFORMED: &str = "INSERT INTO t VALUES (1,'a'),garbage,(2,'b'),(3,'c'))(4,'d'),(5,'e');
INSERT INTO t VALUES (6,'f'),(7,'g';
INSERT INTO t VALUES (8,'h'),(9, 'i', (10,'j'),(11,'k');
INSERT INTO t (a, b VALUES (12);
INSERT INTO t SELECT * FROM u;
INSERT INTO t VALUES (13,'m');
";

    #[test]
    fn malformed_tuples_are_reported_and_reading_resumes() {
        let c = whole(MALFORMED);
        let ids: Vec<&str> = c.rows.iter().map(|r| r.fields[0].1.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "5", "6", "8", "10", "11", "13"]);
        assert_eq!(c.rows[0].fields, kv(&[("t.#1", "1"), ("t.#2", "a")]));
        let messages: Vec<&str> = c.errors.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(messages.len(), 6, "{messages:#?}");
        assert!(messages[0].contains("found `garbage"), "{}", messages[0]);
        assert!(messages[1].contains("unexpected `)"), "{}", messages[1]);
        assert!(
            messages[2].contains("not closed before `;`"),
            "{}",
            messages[2]
        );
        assert!(
            messages[3].contains("not closed before the next `(`"),
            "{}",
            messages[3]
        );
        assert!(
            messages[4].contains("column list is malformed"),
            "{}",
            messages[4]
        );
        assert!(
            messages[5].contains("no VALUES list (found `SELECT"),
            "{}",
            messages[5]
        );
        // errors point at what failed: the `(7` tuple
        assert_eq!(c.errors[2].0 as usize, MALFORMED.find("(7").unwrap());
        check_positions(MALFORMED, &c);
    }

    #[test]
    fn an_unterminated_string_at_the_end_is_an_error_and_no_row() {
        let input = "INSERT INTO t VALUES (1,'a'),(2,'b\n";
        let c = whole(input);
        assert_eq!(c.rows.len(), 1);
        assert_eq!(c.errors.len(), 1);
        assert!(c.errors[0].1.contains("never closes"));
        assert_eq!(c.errors[0].0 as usize, input.find("'b").unwrap());
        for step in [1, 3, 7, 100] {
            assert_eq!(chunked(input.as_bytes(), step).rows, c.rows);
        }
        // a tuple cut off outside a string
        let c = whole("INSERT INTO t VALUES (1,'a'),(2,");
        assert_eq!(c.rows.len(), 1);
        assert!(c.errors[0].1.contains("ends inside this tuple"));
    }

    fn copy_missing_end() -> String {
        "COPY public.t (a, b) FROM stdin;
1→x
2→y

--
-- Name: t_pkey
--

ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (a);
INSERT INTO public.t VALUES (3, 'z');
"
        .replace('→', "\t")
    }

    #[test]
    fn a_copy_block_without_its_end_line_ends_at_the_next_statement() {
        let input = copy_missing_end();
        let c = whole(&input);
        assert_eq!(c.rows.len(), 3);
        assert_eq!(c.rows[1].fields, kv(&[("t.a", "2"), ("t.b", "y")]));
        assert_eq!(c.rows[2].fields, kv(&[("t.#1", "3"), ("t.#2", "z")]));
        assert_eq!(c.errors.len(), 1);
        assert!(
            c.errors[0].1.contains("no `\\.` end line"),
            "{}",
            c.errors[0].1
        );
        // CRLF, and a last line without a newline
        let c =
            whole("COPY t (a, b) FROM stdin;\r\n1\tx\r\n2\t\\N\r\n\\.\r\nCOPY t FROM stdin;\n7\t8");
        let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(
            rows,
            [
                kv(&[("t.a", "1"), ("t.b", "x")]),
                kv(&[("t.a", "2")]),
                kv(&[("t.#1", "7"), ("t.#2", "8")]),
            ]
        );
        // a single-column table: an empty line is an empty value
        let c = whole("COPY s (note) FROM stdin;\nhello\n\nSELECT 1\n\\.\n");
        assert_eq!(c.rows.len(), 3);
        assert_eq!(c.rows[2].fields, kv(&[("s.note", "SELECT 1")]));
    }

    const VARIANTS: &str = "insert ignore into `t` (`a`, `b`) values (1, 'x'),
  (
    2,
    'y'
  ) on duplicate key update b = values(b);
REPLACE INTO t VALUES (3, 'z');
INSERT INTO t SET a = 4, b = 'w' ON DUPLICATE KEY UPDATE b = 'v';
INSERT INTO t SET a := 5, `b`='it''s';
INSERT INTO t (a, b) VALUES (6, 'q') RETURNING a;
INSERT INTO t (a, b) VALUES (7, 'r') ON CONFLICT (a) DO NOTHING;
INSERT INTO t VALUES ROW(8, 's'), ROW(9, 't');
INSERT INTO t VALUES (10, /* c */ 'u') -- trailing
, (11, \"v\") # mysql comment
;
CREATE TABLE w (a int);
INSERT INTO w VALUES (1, 2, 3), ();
INSERT INTO `db`.`w` VALUES (4)
INSERT INTO w VALUES (5);
";

    #[test]
    fn insert_forms() {
        let c = whole(VARIANTS);
        let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(
            rows,
            [
                kv(&[("t.a", "1"), ("t.b", "x")]),
                kv(&[("t.a", "2"), ("t.b", "y")]),
                kv(&[("t.#1", "3"), ("t.#2", "z")]),
                kv(&[("t.a", "4"), ("t.b", "w")]),
                kv(&[("t.a", "5"), ("t.b", "it's")]),
                kv(&[("t.a", "6"), ("t.b", "q")]),
                kv(&[("t.a", "7"), ("t.b", "r")]),
                kv(&[("t.#1", "8"), ("t.#2", "s")]),
                kv(&[("t.#1", "9"), ("t.#2", "t")]),
                kv(&[("t.#1", "10"), ("t.#2", "u")]),
                kv(&[("t.#1", "11"), ("t.#2", "v")]),
                kv(&[("w.a", "1"), ("w.#2", "2"), ("w.#3", "3")]),
                kv(&[]),
                kv(&[("w.a", "4")]),
                kv(&[("w.a", "5")]),
            ]
        );
        assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
        assert!(c.errors[0].1.contains("`;` is missing"));
        let set_row = &c.rows[3];
        assert!(VARIANTS[set_row.offset as usize..].starts_with("INSERT INTO t SET a = 4"));
        check_positions(VARIANTS, &c);
    }

    const LITERALS: &str = "INSERT INTO h VALUES (0x4A4B, X'4A4B', x'e5bca0', b'0101', 0b11, _utf8mb4'张三', _binary 0x4869, 0xFF00, 0x, _binary'x\\'y', N'national', 0xE5BCA0E4B889, 1e10, +7, 'a' 'b', CONCAT('a', 'b'), TRUE);
SET standard_conforming_strings = on;
INSERT INTO p VALUES ('C:\\new', E'a\\tb\\\\c\\'d', E'\\101\\x42\\u4e2d', true, NULL::text, '2020-01-01'::date, '{\"a\": 1}'::jsonb, CURRENT_TIMESTAMP, now(), -1.5e3, 'x' COLLATE \"C\", $$dollar 'q'$$, U&'d\\0061t', 123::bigint, DATE '2020-02-02', $t$a$$b$t$);
SET standard_conforming_strings = off;
INSERT INTO p VALUES ('a\\'b\\\\c');
";

    #[test]
    fn literals() {
        let c = whole(LITERALS);
        assert_eq!(c.errors, []);
        let values =
            |i: usize| -> Vec<String> { c.rows[i].fields.iter().map(|f| f.1.clone()).collect() };
        assert_eq!(
            values(0),
            [
                "JK",
                "JK",
                "张",
                "b'0101'",
                "0b11",
                "张三",
                "Hi",
                "0xFF00",
                "0x",
                "x'y",
                "national",
                "张三",
                "1e10",
                "+7",
                "'a' 'b'",
                "CONCAT('a', 'b')",
                "TRUE"
            ]
        );
        assert_eq!(
            values(1),
            [
                "C:\\new",
                "a\tb\\c'd",
                "AB中",
                "true",
                "2020-01-01",
                "{\"a\": 1}",
                "CURRENT_TIMESTAMP",
                "now()",
                "-1.5e3",
                "x",
                "dollar 'q'",
                "d\\0061t",
                "123",
                "2020-02-02",
                "a$$b"
            ]
        );
        assert_eq!(c.rows[1].fields[4].0, "p.#6", "NULL::text is no field");
        assert_eq!(values(2), ["a'b\\c"], "standard_conforming_strings = off");
    }

    #[test]
    fn delimiter_blocks_hold_no_rows() {
        let input = "DELIMITER ;;
CREATE PROCEDURE p()
BEGIN
  INSERT INTO log VALUES (1, 'inside');
  SELECT 'a;b';
END ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END */;;
DELIMITER ;
INSERT INTO t VALUES (2, 'after');
";
        let c = whole(input);
        assert_eq!(c.errors, []);
        assert_eq!(c.rows.len(), 1);
        assert_eq!(c.rows[0].fields[1].1, "after");
        let mut framer = SqlFramer::new();
        let cut = input.find("INSERT INTO log").unwrap();
        let n = framer.boundary(&input.as_bytes()[..cut], false).unwrap();
        assert_eq!(&input[..n], "DELIMITER ;;\n");
        assert_eq!(framer.context().delimiter(), b";;");
    }

    #[test]
    fn gbk_strings_decode() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("张三','北京");
        let mut input = b"INSERT INTO g VALUES ('".to_vec();
        input.extend_from_slice(&gbk);
        input.extend_from_slice(b"');");
        let c = whole_with(&input, FieldDecoding::Gbk);
        assert_eq!(c.rows[0].fields, kv(&[("g.#1", "张三"), ("g.#2", "北京")]));
    }

    #[test]
    fn framer_boundaries_and_context() {
        let mut framer = SqlFramer::new();
        assert_eq!(framer.boundary(b"", false), None);
        let input = "CREATE TABLE t (a int, b text);\nINSERT INTO t VALUES (1,'x'),(2,'y');\nCOPY t (a, b) FROM stdin;\n1\tz\n2\t";
        let n = framer.boundary(input.as_bytes(), false).unwrap();
        assert_eq!(&input[n..], "2\t", "between COPY lines");
        let ctx = framer.context();
        assert_eq!(ctx.dialect, Dialect::Postgres);
        assert_eq!(ctx.columns("t").unwrap(), ["a", "b"]);
        let Place::CopyData(target) = &ctx.place else {
            panic!("{:?}", ctx.place)
        };
        assert_eq!(&*target.table, "t");

        let mut framer = SqlFramer::new();
        let input = "INSERT INTO `x` VALUES (1,'a;b'),(2,'y";
        let n = framer.boundary(input.as_bytes(), false).unwrap();
        assert_eq!(&input[..n], "INSERT INTO `x` VALUES (1,'a;b'),");
        assert_eq!(
            framer.context().place,
            Place::Values(Target {
                table: Arc::from("x"),
                columns: None
            })
        );
        // the caller drains and calls again with more
        assert_eq!(framer.boundary(b"(2,'y", false), None);
        assert_eq!(framer.boundary(b"(2,'y');\n", false), Some(8));
        assert_eq!(framer.context().place, Place::Statements);

        let mut framer = SqlFramer::new();
        assert_eq!(framer.boundary(b"INSERT INTO t VALUES ('a;b'", false), None);
        assert_eq!(
            framer.boundary(b"-- it's\nSELECT 1;", false),
            Some(17),
            "a quote in a comment"
        );
        assert_eq!(framer.boundary(b"SELECT 'x", true), Some(9));
        // tables defined after the boundary are not in its context
        let mut framer = SqlFramer::new();
        let input = b"CREATE TABLE a (x int);\nCREATE TABLE b (y int);\nINSERT INTO b VALUES (1),(";
        let n = framer.boundary(input, false).unwrap();
        assert_eq!(n, input.len() - 1);
        let input = b"CREATE TABLE a (x int);\nCREATE TABLE b (y int";
        let mut framer = SqlFramer::new();
        assert_eq!(framer.boundary(input, false), Some(23));
        assert!(framer.context().columns("a").is_some());
        assert!(framer.context().columns("b").is_none());
    }

    /// Error messages quote input only masked: no Chinese, no digits.
    fn assert_masked(c: &Collect) {
        for (_, m) in &c.errors {
            assert!(
                m.chars().all(|ch| ch.is_ascii() || "…".contains(ch))
                    && !m.chars().any(|ch| ch.is_ascii_digit()),
                "{m}"
            );
        }
    }

    fn messages(c: &Collect) -> Vec<&str> {
        c.errors.iter().map(|e| e.1.as_str()).collect()
    }

    fn ids(c: &Collect) -> Vec<&str> {
        c.rows
            .iter()
            .map(|r| r.fields.first().map_or("", |f| f.1.as_str()))
            .collect()
    }

    /// Six rows after a statement that lost its `;` (the reviewer's
    /// f2_create_nosemi.sql and f2_set_nosemi.sql).
    fn six_inserts(first: &str) -> String {
        let mut s = format!("{first}\n");
        for (i, name) in ["张三0", "李四1", "王五2", "赵六3", "钱七4", "孙八5"]
            .iter()
            .enumerate()
        {
            let _ = writeln!(
                s,
                "INSERT INTO u VALUES ({}, 'x', '{name}', '11010119700101000{i}', '1380000000{i}');",
                i + 1
            );
        }
        s
    }

    #[test]
    fn a_statement_without_its_semicolon_does_not_swallow_the_next() {
        for first in [
            "CREATE TABLE u (id int, note text, name text, idno text, mobile text)",
            "SET NAMES utf8",
            "USE db",
            "DROP TABLE x",
            "LOCK TABLES u WRITE",
            "/*!40101 SET NAMES utf8 */\nSET @a = 1",
            "SELECT 1",
            "DELETE FROM u WHERE id = 1",
            "garbage that is no statement",
        ] {
            let input = six_inserts(first);
            let c = whole(&input);
            assert_eq!(ids(&c), ["1", "2", "3", "4", "5", "6"], "{first}");
            assert_eq!(
                c.errors.len(),
                1 + usize::from(first.starts_with("garbage")),
                "{first}: {:?}",
                c.errors
            );
            let last = c.errors.last().unwrap();
            assert!(
                last.1.contains("`;` is missing before `INSERT`"),
                "{}",
                last.1
            );
            assert_eq!(last.0 as usize, input.find("INSERT").unwrap());
            assert_masked(&c);
            check_positions(&input, &c);
            for step in [1, 2, 5, 17, 64] {
                let s = chunked(input.as_bytes(), step);
                assert_eq!(
                    (&s.rows, &s.errors),
                    (&c.rows, &c.errors),
                    "{first}, step {step}"
                );
            }
        }
        // the columns of a CREATE TABLE without `;` are learned
        let c = whole(&six_inserts(
            "CREATE TABLE u (id int, note text, name text, idno text, mobile text)",
        ));
        assert_eq!(c.rows[0].fields[2], ("u.name".into(), "张三0".into()));
        // indented, after a line comment, a block comment, or on the same
        // line as the end of a block comment
        for input in [
            "SET NAMES utf8\n    INSERT INTO u VALUES (1);",
            "SET NAMES utf8 -- utf8\nINSERT INTO u VALUES (1);",
            "SET NAMES utf8\n/* a\nb */\nINSERT INTO u VALUES (1);",
            "SET\nINSERT INTO u VALUES (1);",
            "CREATE TABLE\nINSERT INTO u VALUES (1);",
            "COPY\nINSERT INTO u VALUES (1);",
            "INSERT INTO\nINSERT INTO u VALUES (1);",
            "SET NAMES utf8\r\nINSERT INTO u VALUES (1);",
            "CREATE TABLE t (a int) ENGINE=InnoDB\nREPLACE INTO u VALUES (1);",
        ] {
            let c = whole(input);
            assert_eq!(ids(&c), ["1"], "{input:?}");
            assert!(!c.errors.is_empty(), "{input:?}");
        }
    }

    #[test]
    fn the_end_of_input_inside_a_skipped_statement_is_reported() {
        let c = whole("INSERT INTO t VALUES (1);\nUNLOCK TABLES");
        assert_eq!(ids(&c), ["1"]);
        assert_eq!(messages(&c).len(), 1);
        assert!(messages(&c)[0].contains("ends inside a statement"));
        // white space and comments after the last `;` are fine
        assert_eq!(whole("SELECT 1;\n-- done\n\n").errors, []);
        // a DELIMITER block never closed, and one whose end lost its `;;`
        let c = whole(
            "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nINSERT INTO t VALUES (1);\n",
        );
        assert_eq!(c.rows.len(), 0);
        assert!(
            messages(&c)[0].contains("no `;;` after it"),
            "{:?}",
            c.errors
        );
        let c = whole("DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nDELIMITER ;\nINSERT INTO t VALUES (1);\n");
        assert_eq!(ids(&c), ["1"]);
        assert_eq!(
            messages(&c),
            ["a `;;` is missing before `DELIMITER`: the statement before ends at this line"]
        );
        // a MySQL INSERT … SET cut short: no `;`, so its row may be cut too
        let c = whole("INSERT INTO t SET a = 1, b = 'x'");
        assert_eq!(c.rows.len(), 0);
        assert!(messages(&c)[0].contains("INSERT … SET"), "{:?}", c.errors);
        // the reviewer's f1 files: text that starts with a SQL word is not
        // read as nothing
        for text in [
            "Copy of 客户资料 2019\n张三0----110101197001010008----13800000000\n李四1----110101197102020010----13800000001\n",
            "DELETE after use! do not INSERT INTO any system\n张三0----110101197001010008----13800000000\n",
            "张三0----110101197001010008----13800000000\n",
        ] {
            let c = whole(text);
            assert_eq!(c.rows.len(), 0);
            assert!(!c.errors.is_empty(), "{text}");
            assert_masked(&c);
        }
    }

    #[test]
    fn lines_that_go_on_a_statement_do_not_end_it() {
        let input = "UPDATE users
SET name = 'x'
WHERE id = 1;
ALTER TABLE users
  ALTER COLUMN x SET DEFAULT 1,
  DROP COLUMN y,
  ADD COLUMN copy int;
CREATE TABLE t (
    id int,
    copy int,
    insert_at timestamp,
    owner int REFERENCES users (id)
  ON DELETE
SET NULL
);
CREATE VIEW v AS
SELECT id,
  REPLACE(name, 'a', 'b')
FROM users;
CREATE FUNCTION f() RETURNS trigger AS $$
BEGIN
INSERT INTO log VALUES (NEW.id);
RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE RULE r AS
    ON INSERT TO t DO  INSERT INTO log (a)
  VALUES (new.a);
CREATE FUNCTION public.add_log(a integer) RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
 INSERT INTO public.log (x)
   VALUES (add_log.a);
 INSERT INTO public.log (x)
   VALUES (0);
 SELECT CASE WHEN a > 0 THEN 1 END;
END;
CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW
  INSERT INTO log VALUES (NEW.id);
INSERT INTO t (id, copy) VALUES (1, 2)
ON CONFLICT (id) DO UPDATE
SET copy = EXCLUDED.copy;
INSERT INTO t (id) VALUES (2)
ON DUPLICATE KEY UPDATE
  id = VALUES(id);
";
        let c = whole(input);
        assert_eq!(c.errors, []);
        let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(
            rows,
            [kv(&[("t.id", "1"), ("t.copy", "2")]), kv(&[("t.id", "2")])]
        );
    }

    #[test]
    fn rows_cut_short_by_the_next_statement() {
        let cases: &[(&str, &[&str], &str)] = &[
            (
                "INSERT INTO t VALUES (1, 'a'\nINSERT INTO t VALUES (2, 'b');",
                &["2"],
                "not closed before the next statement",
            ),
            (
                "INSERT INTO t VALUES (1, 'a',\nINSERT INTO t VALUES (2, 'b');",
                &["2"],
                "not closed before the next statement",
            ),
            (
                "INSERT INTO t VALUES (1),\nINSERT INTO t VALUES (2);",
                &["1", "2"],
                "cut short by the next statement",
            ),
            (
                "INSERT INTO t VALUES\nINSERT INTO t VALUES (2);",
                &["2"],
                "cut short by the next statement",
            ),
            (
                "INSERT INTO t VALUES (1) garbage\nINSERT INTO t VALUES (2);",
                &["1", "2"],
                "unexpected `garbage",
            ),
            (
                "INSERT INTO t VALUES (1), garbage,\nINSERT INTO t VALUES (2);",
                &["1", "2"],
                "found `garbage",
            ),
            (
                "INSERT INTO t SET a = 1\nINSERT INTO t VALUES (2);",
                &["1", "2"],
                "`;` is missing before `INSERT`",
            ),
            (
                "INSERT INTO t SET a = 1,\nINSERT INTO t VALUES (2);",
                &["1", "2"],
                "`;` is missing before `INSERT`",
            ),
            (
                "CREATE TABLE t (a int,\nINSERT INTO t VALUES (2);",
                &["2"],
                "CREATE TABLE is not closed before the next statement",
            ),
            (
                "INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 1\nINSERT INTO t VALUES (2);",
                &["1", "2"],
                "`;` is missing before `INSERT`",
            ),
        ];
        for &(input, want, message) in cases {
            let c = whole(input);
            assert_eq!(ids(&c), want, "{input:?}");
            assert!(
                messages(&c).iter().any(|m| m.contains(message)),
                "{input:?}: {:?}",
                c.errors
            );
            for step in [1, 3, 8] {
                let s = chunked(input.as_bytes(), step);
                assert_eq!(
                    (&s.rows, &s.errors),
                    (&c.rows, &c.errors),
                    "{input:?}, step {step}"
                );
            }
        }
    }

    #[test]
    fn a_copy_without_its_semicolon_reads_its_data() {
        let c = whole(
            "COPY t (a, b) FROM stdin\n1\t张三\n2\t李四\n\\.\nINSERT INTO t VALUES (3, 'x');\n",
        );
        assert_eq!(ids(&c), ["1", "2", "3"]);
        assert_eq!(c.rows[1].fields, kv(&[("t.a", "2"), ("t.b", "李四")]));
        assert_eq!(messages(&c).len(), 1);
        assert!(messages(&c)[0].contains("`;` is missing after `COPY"));
        // options on the next lines go on
        let c = whole("COPY t (a, b)\nFROM stdin\nWITH (FORMAT text)\n;\n1\tx\n\\.\n");
        assert_eq!(ids(&c), ["1"]);
        assert_eq!(c.errors, []);
        // other COPY forms hold no data; a broken one is reported
        assert_eq!(
            whole("COPY t TO stdout;\nCOPY t FROM '/tmp/x';\n").errors,
            []
        );
        let c = whole("COPY t (a b) FROM stdin;\n");
        assert!(messages(&c)[0].contains("column list is malformed"));
    }

    #[test]
    fn unknown_statements_and_stray_input_are_reported() {
        // the second half of a dump split in two: its tuples are reported
        let c = whole("(3,'张三'),(4,'李四');\nINSERT INTO t VALUES (5);\n");
        assert_eq!(ids(&c), ["5"]);
        assert_eq!(messages(&c).len(), 1);
        assert!(messages(&c)[0].contains("does not start a statement"));
        assert_masked(&c);
        // COPY data that lost its COPY line
        let c =
            whole("1\t张三\t13812345678\n2\t李四\t13912345678\n\\.\nINSERT INTO t VALUES (5);\n");
        assert_eq!(ids(&c), ["5"]);
        assert!(messages(&c)[0].contains("unknown word"), "{:?}", c.errors);
        assert_masked(&c);
        // what dumps hold besides statements is no error
        let c = whole(
            "\\connect shop\nREM INSERTING into USERS\nPROMPT loading\nBEGIN\n  NULL;\nEND;\n/\nPRAGMA foreign_keys=OFF;\nSTART TRANSACTION;\nCOMMIT;\n\u{feff}SELECT 1;\n",
        );
        assert_eq!(c.errors, []);
    }

    /// A SQL Server Management Studio script ("Generate Scripts"): CRLF, `GO`
    /// lines, `[names]`, INSERT without INTO and without `;`, `N'…'`.
    const SSMS: &str = "USE [shop]\r
GO\r
/****** Object:  Table [dbo].[users]    Script Date: 2024/1/1 10:00:00 ******/\r
SET ANSI_NULLS ON\r
GO\r
SET QUOTED_IDENTIFIER ON\r
GO\r
CREATE TABLE [dbo].[users](\r
\t[id] [int] IDENTITY(1,1) NOT NULL,\r
\t[name] [nvarchar](50) NULL,\r
\t[mobile] [varchar](11) NULL,\r
\t[odd]]name] [nvarchar](max) NULL,\r
 CONSTRAINT [PK_users] PRIMARY KEY CLUSTERED \r
(\r
\t[id] ASC\r
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF) ON [PRIMARY]\r
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]\r
GO\r
SET IDENTITY_INSERT [dbo].[users] ON \r
\r
INSERT [dbo].[users] ([id], [name], [mobile], [odd]]name]) VALUES (1, N'张三', N'13812345678', N'C:\\path\\')\r
INSERT [dbo].[users] ([id], [name], [mobile], [odd]]name]) VALUES (2, N'O''Brien', NULL, N'a;b')\r
GO\r
INSERT INTO [dbo].[users] VALUES (3, N'李四', '13912345678', N'x') ;\r
  GO 2 -- twice\r
SET IDENTITY_INSERT [dbo].[users] OFF\r
GO\r
CREATE PROCEDURE [dbo].[add_user] @name nvarchar(50)\r
AS\r
BEGIN\r
\tSET NOCOUNT ON;\r
INSERT INTO [dbo].[users] ([name]) VALUES (@name);\r
END\r
GO\r
INSERT [dbo].[users] ([id], [name]) VALUES (4, N'王五'), (5, N'赵六')\r
";

    #[test]
    fn reads_a_sql_server_script() {
        let c = whole(SSMS);
        assert_eq!(c.errors, []);
        let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(
            rows,
            [
                kv(&[
                    ("users.id", "1"),
                    ("users.name", "张三"),
                    ("users.mobile", "13812345678"),
                    ("users.odd]name", "C:\\path\\"),
                ]),
                kv(&[
                    ("users.id", "2"),
                    ("users.name", "O'Brien"),
                    ("users.odd]name", "a;b"),
                ]),
                kv(&[
                    ("users.id", "3"),
                    ("users.name", "李四"),
                    ("users.mobile", "13912345678"),
                    ("users.odd]name", "x"),
                ]),
                kv(&[("users.id", "4"), ("users.name", "王五")]),
                kv(&[("users.id", "5"), ("users.name", "赵六")]),
            ]
        );
        check_positions(SSMS, &c);
        // the last INSERT needs neither `;` nor `GO`
        assert_eq!(SqlFramer::new().unfinished(SSMS.as_bytes()), None);
        let cut = &SSMS[..SSMS.len() - "(5, N'赵六')\r\n".len()];
        assert!(SqlFramer::new().unfinished(cut.as_bytes()).is_some());
        let mut framer = SqlFramer::new();
        let n = framer.boundary(SSMS.as_bytes(), false).unwrap();
        assert!(framer.context().tsql);
        assert_eq!(framer.context().dialect, Dialect::Postgres);
        assert!(SSMS[..n].ends_with("VALUES (4, N'王五'),"));
    }

    #[test]
    fn reads_the_reviewers_ssms_script() {
        // f2_ssms.sql: no `;` anywhere, every INSERT followed by `GO`
        let mut input = String::from("USE [db]\nGO\nCREATE TABLE [dbo].[u]([id] [int], [name] [nvarchar](50), [idno] [nvarchar](18), [mobile] [nvarchar](11)) ON [PRIMARY]\nGO\n");
        for (i, name) in ["张三0", "李四1", "王五2"].iter().enumerate() {
            let _ = writeln!(
                input,
                "INSERT [dbo].[u] ([id], [name], [idno], [mobile]) VALUES ({}, N'{name}', N'11010119700101000{i}', N'1380000000{i}')\nGO",
                i + 1
            );
        }
        let c = whole(&input);
        assert_eq!(c.errors, []);
        assert_eq!(c.rows.len(), 3);
        assert_eq!(
            c.rows[2].fields,
            kv(&[
                ("u.id", "3"),
                ("u.name", "王五2"),
                ("u.idno", "110101197001010002"),
                ("u.mobile", "13800000002")
            ])
        );
        // without any GO: the bracketed name says SQL Server, whose `;` is optional
        let c = whole("INSERT [u] ([a]) VALUES (N'x\\')\nINSERT [u] ([a]) VALUES (N'y')\n");
        assert_eq!(c.errors, []);
        assert_eq!(ids(&c), ["x\\", "y"]);
        // a GO that is no GO line
        let c = whole("GO away\nINSERT INTO t VALUES (1);\n");
        assert_eq!(ids(&c), ["1"]);
        assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
    }

    #[test]
    fn dollar_quotes_in_every_dialect() {
        // f10_dollar.sql: no `SET standard_conforming_strings` before it
        let mut input = String::from(
            "CREATE TABLE u (id int, note text, name text, idno text, mobile text);\n",
        );
        for (i, name) in ["张三0", "李四1"].iter().enumerate() {
            let _ = writeln!(
                input,
                "INSERT INTO u VALUES ({}, $$it's ),( ;$$, '{name}', '11010119700101000{i}', '1380000000{i}');",
                i + 1
            );
        }
        let c = whole(&input);
        assert_eq!(c.errors, []);
        assert_eq!(c.rows.len(), 2);
        assert_eq!(c.rows[1].fields[1], ("u.note".into(), "it's ),( ;".into()));
        assert_eq!(c.rows[1].fields[2], ("u.name".into(), "李四1".into()));
        // `$` inside a name is no quote; `$tag$` is
        let c = whole("INSERT INTO t$x (a$b, c) VALUES (a$b, $q$it's$q$), ($1, 'x$$y');\n");
        assert_eq!(c.errors, []);
        let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(
            rows,
            [
                kv(&[("t$x.a$b", "a$b"), ("t$x.c", "it's")]),
                kv(&[("t$x.a$b", "$1"), ("t$x.c", "x$$y")])
            ]
        );
        // MySQL's `DELIMITER $$` still ends routines
        let c = whole("DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 'a'; END$$\nDELIMITER ;\nINSERT INTO t VALUES (1);\n");
        assert_eq!(c.errors, []);
        assert_eq!(ids(&c), ["1"]);
    }

    const MISSING_SEMICOLONS: &str = "SET NAMES utf8mb4
USE shop
DROP TABLE IF EXISTS users
CREATE TABLE users (
  id int NOT NULL,
  name varchar(20),
  copy int,
  PRIMARY KEY (id)
) ENGINE=InnoDB
LOCK TABLES users WRITE
INSERT INTO users VALUES (1,'张三',0),(2,'李四',0)
INSERT INTO users (id, name) VALUES
  (3, 'a;b'),
  (4, 'c')
UNLOCK TABLES
INSERT INTO users SET id = 5, name = 'y'
ALTER TABLE users
  ALTER COLUMN name SET DEFAULT '',
  DROP COLUMN copy
REPLACE INTO users VALUES (6, 'z', 1)
COPY users (id, name) FROM stdin
7\tw
\\.
INSERT INTO users VALUES (8, $$v$$, 0);
";

    #[test]
    fn a_dump_without_semicolons() {
        let c = whole(MISSING_SEMICOLONS);
        assert_eq!(ids(&c), ["1", "2", "3", "4", "5", "6", "7", "8"]);
        assert_eq!(c.rows[0].fields[1], ("users.name".into(), "张三".into()));
        // one per missing `;`
        assert_eq!(c.errors.len(), 12, "{:#?}", c.errors);
        assert_masked(&c);
        check_positions(MISSING_SEMICOLONS, &c);
    }

    fn fixtures() -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<(String, Vec<u8>)> = vec![
            ("mysqldump".into(), MYSQLDUMP.into()),
            ("pg_dump".into(), pg_dump().into()),
            ("malformed".into(), MALFORMED.into()),
            ("copy without \\.".into(), copy_missing_end().into()),
            ("insert forms".into(), VARIANTS.into()),
            ("literals".into(), LITERALS.into()),
            (
                "unterminated".into(),
                b"INSERT INTO t VALUES (1,'a'),(2,'b\n(3,'c');".to_vec(),
            ),
            ("no semicolons".into(), MISSING_SEMICOLONS.into()),
            (
                "dollar quotes".into(),
                b"INSERT INTO u VALUES (1, $$it's ),( ;$$, 'a'),\n(2, $q$;$q$, 'b');\n".to_vec(),
            ),
            ("sql server".into(), SSMS.into()),
        ];
        let concatenated: Vec<u8> = all.iter().flat_map(|(_, d)| d.clone()).collect();
        all.push(("all".into(), concatenated));
        all
    }

    #[test]
    fn any_split_reads_the_same_rows() {
        for (name, input) in fixtures() {
            let reference = whole_with(&input, FieldDecoding::Utf8);
            assert!(!reference.rows.is_empty());
            for step in (1..=64).chain([97, 256, 1000, 4096, 1 << 20]) {
                let c = chunked(&input, step);
                assert_eq!(c.rows, reference.rows, "{name}, step {step}");
            }
        }
    }

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const FRAGMENTS: &[&str] = &[
        "INSERT INTO t VALUES ",
        "INSERT INTO `u` (a, b) VALUES ",
        "INSERT INTO t SET a=",
        "(",
        ")",
        ",",
        ";",
        "'",
        "\"",
        "`",
        "\\",
        "''",
        "\\'",
        "--",
        "-- ",
        "#",
        "/*",
        "*/",
        "\n",
        "\r\n",
        "\t",
        " ",
        "1",
        "-2.5",
        "NULL",
        "'abc'",
        "'张三'",
        "0x4A",
        "E'",
        "e",
        "$$",
        "$t$",
        "COPY t (a, b) FROM stdin;\n",
        "\\.\n",
        "\\N",
        "CREATE TABLE t (a int, b text);",
        "CREATE TABLE u (",
        "SET standard_conforming_strings = on;",
        "SET standard_conforming_strings = off;",
        "DELIMITER ;;\n",
        "DELIMITER ;\n",
        ";;",
        "-- PostgreSQL database dump\n",
        " ON DUPLICATE KEY UPDATE a=1",
        "ROW",
        "\\restrict x\n",
        "(1,'a'),",
        "(SELECT 1)",
        "_binary ",
        "::text",
        ";E'\\''",
        "E'a\\'b'",
        "$a$;'$a$",
        "x$$",
        "DELIMITER $$\n",
        "GO\n",
        "\r\n  GO 2\r\n",
        "[",
        "]",
        "]]",
        "[dbo].[u]",
        "INSERT [u] ([a]) VALUES ",
        "\nINSERT INTO t VALUES (1)",
        "\nCREATE TABLE v (a int)\n",
        "\nSET NAMES utf8\n",
        "USE [db]\n",
        "CREATE PROCEDURE p AS\n",
        "\nUPDATE t\nSET a = 1\n",
        "ALTER TABLE t\n  DROP a\n",
        "REM x\n",
        "\n/\n",
        "COPY t FROM stdin\n",
        "\nDELIMITER ;\n",
        "N'",
    ];

    fn random_input(rng: &mut XorShift) -> Vec<u8> {
        let mut input = Vec::new();
        for _ in 0..rng.below(60) {
            match rng.below(10) {
                0 => input.push(rng.next() as u8),
                1 => input.push(b'a' + rng.below(26) as u8),
                _ => input.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes()),
            }
        }
        input
    }

    /// Where errors are, and what they say but the input they quote: a
    /// quote stops at the end of its chunk.
    fn error_stems(c: &Collect) -> Vec<(u64, &str)> {
        c.errors
            .iter()
            .map(|(at, m)| (*at, m.split('`').next().unwrap_or_default()))
            .collect()
    }

    /// Rounds of the randomized tests (`SQL_FUZZ_ROUNDS` for a longer run).
    fn rounds(default: usize) -> usize {
        std::env::var("SQL_FUZZ_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(default)
    }

    #[test]
    fn random_input_never_panics_and_splits_the_same() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for round in 0..rounds(3000) {
            let input = random_input(&mut rng);
            let reference = whole_with(&input, FieldDecoding::Utf8);
            for _ in 0..3 {
                let step = 1 + rng.below(40);
                let c = chunked(&input, step);
                assert_eq!(
                    (&c.rows, error_stems(&c)),
                    (&reference.rows, error_stems(&reference)),
                    "round {round}, step {step}, input {:?}",
                    String::from_utf8_lossy(&input)
                );
            }
        }
    }

    #[test]
    fn mutated_dumps_split_the_same() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        let fixtures = fixtures();
        for round in 0..rounds(400) {
            let (_, base) = &fixtures[rng.below(fixtures.len())];
            let mut input = base.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(input.len() + 1);
                match rng.below(3) {
                    0 if at < input.len() => {
                        input.remove(at);
                    }
                    1 => input.insert(at, b"'\"`();,\\\n-#/*$\t"[rng.below(15)]),
                    _ => {
                        let f = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                        input.splice(at..at, f.iter().copied());
                    }
                }
            }
            let reference = whole_with(&input, FieldDecoding::Utf8);
            for step in [1 + rng.below(16), 17 + rng.below(200)] {
                let c = chunked(&input, step);
                assert_eq!(
                    (&c.rows, error_stems(&c)),
                    (&reference.rows, error_stems(&reference)),
                    "round {round}, step {step}, input {:?}",
                    String::from_utf8_lossy(&input)
                );
            }
        }
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Holds {
        Nothing,
        /// Column names.
        Columns,
        /// Rows, from an INSERT (or COPY); the ids of its rows.
        Rows(&'static [&'static str]),
        /// The row of a MySQL `INSERT … SET`.
        SetRow(&'static str),
    }

    /// Whole statements, `@` where their `;` is (which the test may drop);
    /// readable in every dialect (a COPY turns on PostgreSQL's).
    const WHOLE_STATEMENTS: &[(&str, Holds)] = &[
        ("SET NAMES utf8mb4@", Holds::Nothing),
        ("USE shop@", Holds::Nothing),
        ("DROP TABLE IF EXISTS users@", Holds::Nothing),
        ("LOCK TABLES users WRITE@", Holds::Nothing),
        ("UNLOCK TABLES@", Holds::Nothing),
        ("ALTER TABLE users ADD COLUMN x int@", Holds::Nothing),
        (
            "ALTER TABLE users\n  ALTER COLUMN x SET DEFAULT 1,\n  DROP COLUMN y@",
            Holds::Nothing,
        ),
        ("UPDATE users\nSET name = 'x'\nWHERE id = 1@", Holds::Nothing),
        ("CREATE INDEX idx ON users (name)@", Holds::Nothing),
        ("GRANT SELECT ON users TO app@", Holds::Nothing),
        ("SELECT 1@", Holds::Nothing),
        ("DELETE FROM users WHERE id = 3@", Holds::Nothing),
        (
            "CREATE VIEW v AS\nSELECT id,\n  REPLACE(name, 'a', 'b')\nFROM users@",
            Holds::Nothing,
        ),
        ("SELECT pg_catalog.setval('s', 5, true)@", Holds::Nothing),
        (
            "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\nINSERT INTO log VALUES (1);\nRETURN NEW;\nEND;\n$$ LANGUAGE plpgsql@",
            Holds::Nothing,
        ),
        ("COMMENT ON TABLE users IS 'it''s; here'@", Holds::Nothing),
        ("CREATE TABLE t2 AS\nSELECT * FROM users@", Holds::Nothing),
        (
            "CREATE TABLE users (\n  id int NOT NULL,\n  name varchar(20),\n  copy int REFERENCES t (id)\n    ON DELETE\nSET NULL,\n  PRIMARY KEY (id)\n) ENGINE=InnoDB@",
            Holds::Columns,
        ),
        (
            "INSERT INTO users VALUES (1,'张三'),(2,'李四')@",
            Holds::Rows(&["1", "2"]),
        ),
        (
            "INSERT INTO users (id, name) VALUES\n  (3, 'a;b'),\n  (4, 'c')@",
            Holds::Rows(&["3", "4"]),
        ),
        ("REPLACE INTO users VALUES (5, 'x')@", Holds::Rows(&["5"])),
        ("INSERT INTO users SET id = 6, name = 'y'@", Holds::SetRow("6")),
        (
            "INSERT INTO users VALUES (7, $$it's ),( ;$$)@",
            Holds::Rows(&["7"]),
        ),
        (
            "COPY users (id, name) FROM stdin@\n8\tx\n9\ty\n\\.",
            Holds::Rows(&["8", "9"]),
        ),
        (
            "INSERT INTO users (id, name) VALUES (10, 'a')\nON DUPLICATE KEY UPDATE\nname = VALUES(name)@",
            Holds::Rows(&["10"]),
        ),
        (
            "INSERT INTO users (id, name) VALUES (11, 'b')\nON CONFLICT (id) DO UPDATE\nSET name = EXCLUDED.name@",
            Holds::Rows(&["11"]),
        ),
        (
            "INSERT INTO users VALUES (12, 'c') RETURNING id@",
            Holds::Rows(&["12"]),
        ),
        (
            "CREATE TRIGGER trg AFTER INSERT ON users FOR EACH ROW\n  INSERT INTO log VALUES (NEW.id)@",
            Holds::Nothing,
        ),
        (
            "CREATE FUNCTION g() RETURNS void\n    LANGUAGE sql\n    BEGIN ATOMIC\n INSERT INTO log (x)\n   VALUES (1);\n SELECT 1;\nEND@",
            Holds::Nothing,
        ),
    ];

    /// What may come between statements.
    const BETWEEN: &[&str] = &[
        "",
        "",
        "-- comment\n",
        "/* block\n comment */\n",
        "\n",
        "  ",
    ];

    /// Dumps of whole statements, some of which lost their `;`: every row
    /// of every INSERT and COPY is read, whatever came before, and each lost
    /// `;` before a statement that holds rows or columns (or at the end) is
    /// reported. Whole dumps are read without errors.
    #[test]
    fn statements_that_lost_their_semicolon_lose_no_rows() {
        let mut rng = XorShift(0x853c_49e6_748f_ea9b);
        for round in 0..rounds(1500) {
            let count = 1 + rng.below(10);
            let picked: Vec<(&str, Holds)> = (0..count)
                .map(|_| WHOLE_STATEMENTS[rng.below(WHOLE_STATEMENTS.len())])
                .collect();
            let dropped: Vec<bool> = (0..count).map(|_| rng.below(3) == 0).collect();
            // in a SQL Server script `;` is optional (no errors to expect),
            // and a routine's body runs to `GO`
            let tsql = rng.below(5) == 0;
            let mut input = String::from(if tsql { "SET NOCOUNT ON\nGO\n" } else { "" });
            let mut want: Vec<&str> = Vec::new();
            let mut must_report = 0usize;
            for (i, &(text, holds)) in picked.iter().enumerate() {
                input.push_str(BETWEEN[rng.below(BETWEEN.len())]);
                input.push_str(&text.replace('@', if dropped[i] { "" } else { ";" }));
                input.push('\n');
                if tsql
                    && (text.starts_with("CREATE FUNCTION") || text.starts_with("CREATE TRIGGER"))
                {
                    input.push_str("GO\n");
                }
                input.push_str(BETWEEN[rng.below(BETWEEN.len())]);
                let last = i + 1 == count;
                match holds {
                    Holds::Rows(ids) => want.extend(ids),
                    // at the end of input without `;` the row may be cut short
                    Holds::SetRow(id) if !(last && dropped[i]) => want.push(id),
                    _ => {}
                }
                let next_holds = picked.get(i + 1).is_some_and(|n| n.1 != Holds::Nothing);
                let copy = text.starts_with("COPY");
                if dropped[i] && (next_holds || last || copy) {
                    must_report += 1;
                }
            }
            if rng.below(4) == 0 {
                input = input.replace('\n', "\r\n");
            }
            if tsql {
                must_report = 0;
            }
            let c = whole(&input);
            let unfinished = SqlFramer::new().unfinished(input.as_bytes());
            let reported = c.errors.len() + usize::from(unfinished.is_some());
            let lost = dropped.iter().filter(|&&d| d).count();
            assert_eq!(ids(&c), want, "round {round}: {input:?}\n{:#?}", c.errors);
            assert!(
                reported >= must_report && reported <= 2 * lost,
                "round {round}: {reported} errors for {lost} lost `;` ({must_report} must be reported): {input:?}\n{:#?}",
                c.errors
            );
            assert_masked(&c);
            for step in [1 + rng.below(8), 9 + rng.below(100)] {
                let s = chunked(input.as_bytes(), step);
                assert_eq!(
                    (&s.rows, &s.errors),
                    (&c.rows, &c.errors),
                    "round {round}, step {step}: {input:?}"
                );
            }
        }
    }

    /// Generated dumps of about `size` bytes: mysqldump extended INSERTs,
    /// one INSERT per row (`--skip-extended-insert --complete-insert`), and a
    /// pg_dump COPY block.
    fn big_dumps(size: usize) -> [(&'static str, Vec<u8>); 3] {
        let mut mysql = String::from(
            "CREATE TABLE `users` (\n  `id` bigint NOT NULL,\n  `name` varchar(64),\n  `mobile` char(11),\n  `id_card` varchar(18),\n  `note` text,\n  `balance` decimal(10,2),\n  `deleted_at` datetime,\n  `created_at` datetime,\n  `flags` binary(2)\n);\n",
        );
        let mut id = 0u64;
        while mysql.len() < size {
            mysql.push_str("INSERT INTO `users` VALUES ");
            for k in 0..5000 {
                if k > 0 {
                    mysql.push(',');
                }
                id += 1;
                let _ = write!(
                    mysql,
                    "({id},'用户{id}','138{:08}','1101051949{:08}','note with \\'quote\\' and \\\\ backslash, (paren)',{}.{:02},NULL,'2024-01-01 10:00:00',0x4A4B)",
                    id % 100_000_000,
                    id % 100_000_000,
                    id % 1000,
                    id % 100
                );
            }
            mysql.push_str(";\n");
        }
        let mut single = String::new();
        while single.len() < size {
            id += 1;
            let _ = writeln!(
                single,
                "INSERT INTO `users` (`id`, `name`, `mobile`, `note`) VALUES ({id},'用户{id}','138{:08}','note, \\'q\\'');",
                id % 100_000_000
            );
        }
        let mut pg = String::from(
            "SET standard_conforming_strings = on;\nCOPY public.users (id, name, mobile, id_card, note, created_at) FROM stdin;\n",
        );
        while pg.len() < size {
            id += 1;
            let _ = writeln!(
                pg,
                "{id}\t用户{id}\t138{:08}\t1101051949{:08}\tnote with \\t tab and \\\\ backslash\t2024-01-01 10:00:00",
                id % 100_000_000,
                id % 100_000_000
            );
        }
        pg.push_str("\\.\n");
        [
            ("mysqldump", mysql.into_bytes()),
            ("one INSERT per row", single.into_bytes()),
            ("pg_dump COPY", pg.into_bytes()),
        ]
    }

    #[derive(Default)]
    struct Count(usize, usize);

    impl RecordSink for Count {
        fn record(&mut self, _: Position, r: &RecordBuf) {
            self.0 += 1;
            self.1 += r.len();
        }
        fn error(&mut self, _: Position, _: String) {}
    }

    /// `cargo test --release -- --ignored --nocapture throughput`
    #[test]
    #[ignore]
    fn throughput() {
        use std::time::{Duration, Instant};
        const READ: usize = 4 << 20;
        for (name, input) in big_dumps(100 << 20) {
            let mut framer = SqlFramer::new();
            let mut chunks = Vec::new();
            let mut buf: Vec<u8> = Vec::new();
            let mut fed = 0;
            let mut framing = Duration::ZERO;
            loop {
                let n = READ.min(input.len() - fed);
                buf.extend_from_slice(&input[fed..fed + n]);
                fed += n;
                let eof = fed == input.len();
                let ctx = framer.context();
                let t = Instant::now();
                let end = framer.boundary(&buf, eof);
                framing += t.elapsed();
                if let Some(end) = end {
                    chunks.push((ctx, buf.drain(..end).collect::<Vec<u8>>()));
                    if eof {
                        break;
                    }
                }
            }
            let t = Instant::now();
            let mut count = Count::default();
            for (ctx, chunk) in &chunks {
                parse(ctx, FieldDecoding::Utf8, chunk, &mut count);
            }
            let parsing = t.elapsed();
            let mb = input.len() as f64 / (1 << 20) as f64;
            eprintln!(
                "{name}: {mb:.0} MiB, {} chunks, {} rows, {} fields; framer {:.0} MiB/s, parse {:.0} MiB/s (one thread)",
                chunks.len(),
                count.0,
                count.1,
                mb / framing.as_secs_f64(),
                mb / parsing.as_secs_f64()
            );
            let whole = {
                let mut c = Count::default();
                parse(&SqlContext::default(), FieldDecoding::Utf8, &input, &mut c);
                c.0
            };
            assert_eq!(count.0, whole);
        }
    }

    #[test]
    fn error_snippets_hide_personal_data() {
        assert_eq!(mask_snip("VALUES"), "VALUES");
        assert_eq!(mask_snip("'张三','13812345678'"), "'**','***********'");
        assert_eq!(mask_snip("zhang@qq.com, 1"), "************, *");
        assert_eq!(
            format!("{}", Snip(b"garbage 110101199003071234")),
            "garbage ****************…"
        );
    }

    #[test]
    fn a_dump_that_stops_inside_its_data_is_noticed() {
        let framer = SqlFramer::new();
        let complete = b"CREATE TABLE t (a int);\nINSERT INTO t VALUES (1),(2);\n";
        assert_eq!(framer.unfinished(complete), None);
        for cut in [
            &b"INSERT INTO t VALUES (1),(2)"[..],
            b"INSERT INTO t VALUES (1),(2),",
            b"INSERT INTO t VALUES (1),('ab",
            b"COPY t (a) FROM stdin;\n1\n2\n",
        ] {
            assert!(
                framer.unfinished(cut).is_some(),
                "{}",
                String::from_utf8_lossy(cut)
            );
        }
        // the state carries over from earlier chunks
        let mut framer = SqlFramer::new();
        let head = b"INSERT INTO t VALUES (1),(2),";
        let n = framer.boundary(head, false).unwrap();
        assert_eq!(n, head.len());
        assert!(framer.unfinished(b"(3)").is_some());
        assert_eq!(framer.unfinished(b"(3);\n"), None);
    }
}
