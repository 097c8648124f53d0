//! Byte classes and the keyword lists that say what a statement is, and
//! where one that lost its terminator ends.

pub(super) const BOM: &[u8] = b"\xef\xbb\xbf";

/// Bytes that start something inside a statement: quotes, comments,
/// parentheses, separators, line ends (a line may start the next statement).
/// Everything else is skipped in bulk.
pub(super) static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let s = b"'\"`(),;-#/$[\n";
    let mut i = 0;
    while i < s.len() {
        t[s[i] as usize] = true;
        i += 1;
    }
    t
};

pub(super) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

pub(super) fn is_kw(word: &[u8], list: &[&[u8]]) -> bool {
    list.iter().any(|k| word.eq_ignore_ascii_case(k))
}

pub(super) const INSERT_MODIFIERS: &[&[u8]] = &[
    b"LOW_PRIORITY",
    b"DELAYED",
    b"HIGH_PRIORITY",
    b"IGNORE",
    b"INTO",
];

pub(super) const CREATE_MODIFIERS: &[&[u8]] = &[
    b"OR",
    b"REPLACE",
    b"TEMPORARY",
    b"TEMP",
    b"UNLOGGED",
    b"GLOBAL",
    b"LOCAL",
];

/// Lines of a CREATE TABLE that are not columns (only when written bare).
pub(super) const NOT_COLUMNS: &[&[u8]] = &[
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
pub(super) const TAILS: &[&[u8]] = &[b"ON", b"RETURNING", b"AS"];

/// Words that start a statement, to notice a missing `;` or `\.`.
pub(super) const STATEMENTS: &[&[u8]] = &[
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

pub(super) const SUBQUERY: &[&[u8]] = &[b"SELECT", b"WITH", b"VALUES", b"TABLE"];

/// Statements that end one without its `;` when a line starts with them:
/// those that hold rows, define columns or change how the rest is read, and
/// a few that never go on a statement. (Not SELECT, UPDATE, DELETE, WITH,
/// BEGIN, END: lines of views, rules and routine bodies start with them.)
pub(super) const LINE_STATEMENTS: &[&[u8]] = &[
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
pub(super) const INDENTED_STATEMENTS: &[&[u8]] = &[b"INSERT", b"REPLACE", b"COPY", b"CREATE"];

/// Inside parentheses (a CREATE TABLE's columns, where `ON DELETE\nSET NULL`
/// may start a line): only what holds rows or defines columns, and only at
/// the start of a line (an indented `copy int,` is a column).
pub(super) const ROW_STATEMENTS: &[&[u8]] = &[b"INSERT", b"REPLACE", b"COPY", b"CREATE"];

/// The longest word of the lists above.
pub(super) const LONGEST_KEYWORD: usize = 9;

/// Statements that hold no rows, besides `STATEMENTS`: skipped without an
/// error. A statement that starts with any other word is reported.
pub(super) const OTHER_STATEMENTS: &[&[u8]] = &[
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
pub(super) const ROUTINES: &[&[u8]] = &[
    b"FUNCTION",
    b"PROCEDURE",
    b"TRIGGER",
    b"RULE",
    b"EVENT",
    b"DEFINER",
];

/// Words after which a routine's one statement follows: `FOR EACH ROW`,
/// `DO [INSTEAD | ALSO]`, `BEGIN`, `AS`.
pub(super) const BODY_STARTS: &[&[u8]] = &[b"ROW", b"DO", b"INSTEAD", b"ALSO", b"BEGIN", b"AS"];

/// What a SQL Server batch creates whose body holds statements and runs to
/// the `GO` line.
pub(super) const BATCH_OBJECTS: &[&[u8]] = &[b"PROCEDURE", b"PROC", b"FUNCTION", b"TRIGGER"];

/// Words that may start a line of `COPY … FROM stdin` options.
pub(super) const COPY_OPTIONS: &[&[u8]] = &[
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

pub(super) enum Match {
    Full,
    /// The bytes end inside a match.
    Partial,
    No,
}

pub(super) fn prefix_match(rest: &[u8], d: &[u8]) -> Match {
    if rest.starts_with(d) {
        Match::Full
    } else if d.starts_with(rest) {
        Match::Partial
    } else {
        Match::No
    }
}
