//! PostgreSQL's `COPY … FROM stdin`: its options and its data lines.

use std::sync::Arc;

use memchr::memchr;

use super::bytes::Snip;
use super::context::Place;
use super::keywords::{is_ident, is_kw, COPY_OPTIONS, LONGEST_KEYWORD};
use super::lex::Kind;
use super::out::Out;
use super::recover::{starts_statement, Stops};
use super::walker::{Step, Stop, Walker};

impl<'a, O: Out> Walker<'a, O> {
    /// After `COPY` (at `stmt`): `COPY t (a, b) FROM stdin;` starts a data
    /// block on the next line.
    pub(super) fn copy(&mut self, stmt: usize) -> Step<()> {
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
        self.leave_assumed_dialect();
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
    pub(super) fn copy_options(&mut self, stmt: usize) -> Step<(bool, bool)> {
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
    pub(super) fn copy_options_go_on(&self, line: usize) -> Step<bool> {
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

    /// At the start of a line of COPY data.
    pub(super) fn copy_data(&mut self) -> Step<()> {
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
