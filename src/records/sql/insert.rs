//! INSERT and REPLACE: the tuples of a VALUES list, `INSERT … SET`, and
//! subqueries (which hold no rows of the dump).

use super::bytes::{trim_end, Snip};
use super::context::{Place, Target};
use super::keywords::{is_ident, is_kw, INSERT_MODIFIERS, STATEMENTS, SUBQUERY, TAILS};
use super::lex::Kind;
use super::out::{FieldKey, Out};
use super::recover::{ExprEnd, Resynced, Stops};
use super::walker::{Step, Stop, Walker};

pub(super) enum TupleEnd {
    Record,
    /// A tuple was abandoned; a new one starts at the current `(`.
    Restart,
    StatementEnd,
}

pub(super) enum SetEnd {
    Comma,
    Semi,
    Close,
    Tail,
    /// A line starts the next statement, at `pos`; a `GO` line if `true`.
    Statement(bool),
}

impl<'a, O: Out> Walker<'a, O> {
    /// After `INSERT` or `REPLACE` (at `stmt`).
    pub(super) fn insert(&mut self, stmt: usize) -> Step<()> {
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
    pub(super) fn set_form(&mut self, stmt: usize, target: &Target) -> Step<()> {
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
    pub(super) fn set_value(&mut self) -> Step<(SetEnd, usize)> {
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

    /// Inside a VALUES list, before a tuple.
    pub(super) fn values(&mut self) -> Step<()> {
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

    /// At a tuple's `(`.
    pub(super) fn tuple(&mut self) -> Step<TupleEnd> {
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

    pub(super) fn tuple_fields(&mut self, open: usize) -> Step<TupleEnd> {
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
    pub(super) fn subquery(&mut self, paren: usize) -> Step<bool> {
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
}
