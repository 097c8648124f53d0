//! What a dialect changes in how a dump is read. The walker asks a
//! dialect's [`Rules`]; it never compares dialects itself.

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

/// How backslashes read in a string literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavor {
    /// Only `''`.
    Standard,
    MySql,
    /// PostgreSQL `E'…'`.
    Pg,
}

/// The lexical rules of a dialect.
#[derive(Clone, Copy, Debug)]
pub(super) struct Rules {
    /// The dialect read until the dump shows which it is (MySQL): a pg_dump
    /// header comment, a COPY or a SQL Server script moves it to PostgreSQL.
    pub assumed: bool,
    /// `#` starts a comment to the end of the line.
    pub hash_comments: bool,
    /// `--` starts a comment only before white space or the end of input
    /// (MySQL); elsewhere always.
    pub dash_comment_needs_space: bool,
    /// `/* … */` nests (PostgreSQL, SQL Server); MySQL's ends at the first `*/`.
    pub nested_block_comments: bool,
    /// `"…"` is a string whose `\` escapes (MySQL), not a quoted name.
    pub double_quoted_strings: bool,
    /// `` `…` `` quotes a name.
    pub backtick_names: bool,
    /// `\` escapes in a plain '…' (not only in `E'…'`).
    pub backslash_in_strings: bool,
    /// `E'…'` and `U&'…'` strings are read.
    pub prefixed_strings: bool,
    /// How a plain '…' string is unescaped.
    pub flavor: Flavor,
}

impl Dialect {
    pub(super) const fn rules(self) -> Rules {
        let mysql = matches!(self, Dialect::MySql);
        Rules {
            assumed: mysql,
            hash_comments: mysql,
            dash_comment_needs_space: mysql,
            nested_block_comments: !mysql,
            double_quoted_strings: mysql,
            backtick_names: mysql,
            backslash_in_strings: !matches!(self, Dialect::Postgres),
            prefixed_strings: !mysql,
            flavor: match self {
                Dialect::MySql => Flavor::MySql,
                Dialect::Postgres => Flavor::Standard,
                Dialect::PostgresEscapes => Flavor::Pg,
            },
        }
    }

    /// After `SET standard_conforming_strings = on | off`: PostgreSQL either
    /// way, but `off` leaves MySQL as it is (the statement is PostgreSQL's).
    pub(super) fn with_standard_strings(self, on: bool) -> Dialect {
        match (on, self) {
            (true, _) => Dialect::Postgres,
            (false, Dialect::MySql) => Dialect::MySql,
            (false, _) => Dialect::PostgresEscapes,
        }
    }
}
