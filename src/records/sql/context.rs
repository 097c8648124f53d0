//! The state a chunk of a dump starts in: the dialect, where in a statement
//! it is, and the tables defined before it.

use std::collections::HashMap;
use std::sync::Arc;

use super::dialect::Dialect;

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
    pub(super) tables: Arc<HashMap<Arc<str>, Arc<[String]>>>,
    /// A mysql client `DELIMITER` other than `;`.
    pub(super) delimiter: Option<Arc<[u8]>>,
    /// A SQL Server script (a `GO` line or a `[bracketed]` table name was
    /// seen): `[…]` quotes names, `;` is optional, a batch ends at `GO`.
    pub(super) tsql: bool,
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
