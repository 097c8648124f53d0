//! Statements between rows: dispatch on the first word, `SET`,
//! `DELIMITER`, and CREATE TABLE (read for its column names).

use std::sync::Arc;

use memchr::memchr;

use super::bytes::{unquote_into, Snip};
use super::context::Target;
use super::keywords::{
    is_ident, is_kw, is_space, prefix_match, Match, BATCH_OBJECTS, BOM, CREATE_MODIFIERS,
    NOT_COLUMNS, OTHER_STATEMENTS, ROUTINES, STATEMENTS,
};
use super::lex::Kind;
use super::out::Out;
use super::recover::{ExprEnd, Stops};
use super::walker::{Recent, Step, Stop, Walker};

impl<'a, O: Out> Walker<'a, O> {
    /// The table and columns of an INSERT or COPY into `name` (columns from
    /// `spans` if `listed`).
    pub(super) fn target(&mut self, name: (usize, usize), listed: bool) -> Target {
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

    pub(super) fn statement(&mut self) -> Step<()> {
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

    /// The first byte from `at` on that is no white space.
    pub(super) fn byte_after_space(&self, mut at: usize) -> Step<Option<u8>> {
        loop {
            match self.peek(at)? {
                Some(b) if is_space(b) => at += 1,
                b => return Ok(b),
            }
        }
    }

    /// Whether only white space follows `at` on its line.
    pub(super) fn blank_after(&self, mut at: usize) -> Step<bool> {
        loop {
            match self.peek(at)? {
                None | Some(b'\n') => return Ok(true),
                Some(b) if is_space(b) => at += 1,
                Some(_) => return Ok(false),
            }
        }
    }

    /// mysql's `DELIMITER ;;`: the rest of the line is the new terminator.
    pub(super) fn delimiter_command(&mut self) -> Step<()> {
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
    pub(super) fn set(&mut self) -> Step<()> {
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
                    dialect = Some(self.ctx.dialect.with_standard_strings(true));
                } else if is_kw(value, &[b"off", b"false"]) {
                    dialect = Some(self.ctx.dialect.with_standard_strings(false));
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
    pub(super) fn create(&mut self, stmt: usize) -> Step<()> {
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
            let quote = matches!(b, b'"' | b'[') || (b == b'`' && self.rules().backtick_names);
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
}

pub(super) fn same_names(
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
