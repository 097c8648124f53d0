//! Recovery: skipping what holds no rows, and ending a statement that lost
//! its terminator where the next one starts (with an error).

use memchr::memchr;

use super::bytes::{run, trim_end, Snip};
use super::keywords::{
    is_ident, is_kw, is_space, prefix_match, Match, BODY_STARTS, INDENTED_STATEMENTS,
    LINE_STATEMENTS, LONGEST_KEYWORD, ROW_STATEMENTS, STATEMENTS,
};
use super::lex::{Kind, Token};
use super::out::Out;
use super::walker::{Step, Stop, Walker};

/// Which lines end a statement that has not met its terminator (see
/// `Walker::line_stop`). A `GO` line always does, but in a DELIMITER block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stops {
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
    pub(super) fn at(self, word: &[u8], indented: bool) -> bool {
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

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ExprEnd {
    Comma,
    Close,
    Semi,
    /// A line starts the next statement (`pos` is there).
    Statement,
}

pub(super) enum Resynced {
    /// At the `(` of the next tuple.
    Tuple,
    StatementEnd,
}

impl<'a, O: Out> Walker<'a, O> {
    /// Steps over a value up to the `,` or `)` that ends it (left at `pos`);
    /// a `;` outside quotes ends it too, as nothing in a row holds one, and
    /// so does a line that starts a statement (`stops`).
    pub(super) fn scan_expr(&mut self, stops: Stops) -> Step<ExprEnd> {
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
    pub(super) fn skip_statement(&mut self, stops: Stops, from: usize) -> Step<bool> {
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

    pub(super) fn skip_rest(&mut self, stops: Stops, from: usize) -> Step<bool> {
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
    pub(super) fn abandon(&mut self, t: Token) -> Step<()> {
        self.abandon_with(t, Stops::All)
    }

    pub(super) fn abandon_with(&mut self, t: Token, stops: Stops) -> Step<()> {
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
    pub(super) fn line_stop(&self, line: usize, stops: Stops) -> Step<Option<(usize, bool)>> {
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
    pub(super) fn token_stop(&self, t: Token, stops: Stops) -> Step<Option<(usize, bool)>> {
        if t.kind != Kind::Word {
            return Ok(None);
        }
        self.stop_at(t.start, stops)
    }

    /// `line_stop` for the line on which `at` follows the indentation, if
    /// it does. Looks back within the chunk only: where a chunk starts
    /// inside a statement (after a `,` between tuples) the byte before it
    /// is no line end either.
    pub(super) fn stop_at(&self, at: usize, stops: Stops) -> Step<Option<(usize, bool)>> {
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
    pub(super) fn stop_before(&mut self, t: Token, stops: Stops) -> Step<bool> {
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
    pub(super) fn missing_terminator(&mut self, at: usize) {
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

    pub(super) fn rest_at(&self, at: usize) -> &'a [u8] {
        self.slice(at, self.buf.len())
    }

    /// At `at`: whether a `GO` line (SQL Server's batch end: `GO`, maybe a
    /// count, maybe a `--` comment) is there, and where it ends.
    pub(super) fn go_end(&self, at: usize) -> Step<Option<usize>> {
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

    /// Skips the rest of the statement that started at `start`.
    pub(super) fn skip_to_next(&mut self, stops: Stops, start: usize) -> Step<()> {
        let terminated = self.skip_statement(stops, start)?;
        self.finish(terminated);
        Ok(())
    }

    /// After an error in a VALUES list: on to the next `(` that follows a `,`
    /// outside parentheses, or past the end of the statement (its `;`, or
    /// up to a line that starts the next one).
    pub(super) fn resync(&mut self) -> Step<Resynced> {
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
}

/// The body of a routine (CREATE FUNCTION, TRIGGER…) being skipped, which
/// may hold statements: indented ones are its own until it ends.
#[derive(Default)]
pub(super) struct Body {
    /// `BEGIN ATOMIC` was seen: the body runs to `END`.
    pub(super) atomic: bool,
    /// `END` ended a line of the atomic body.
    pub(super) closed: bool,
}

impl Body {
    /// Whether the routine, whose text so far is `before`, has an atomic body.
    pub(super) fn atomic(&mut self, before: &[u8]) -> bool {
        if !self.atomic {
            self.atomic = has_begin_atomic(before);
        }
        self.atomic
    }

    /// At an indented line that starts a statement: whether that statement
    /// is not the body's (an atomic body's before its `END`, or the one
    /// statement of a trigger, rule or event right after `FOR EACH ROW`, `DO`…).
    pub(super) fn ends_at_indented(&mut self, before: &[u8]) -> bool {
        if self.atomic(before) {
            self.closed
        } else {
            !BODY_STARTS.iter().any(|w| ends_with_word(before, w))
        }
    }
}

/// Whether `text` holds `BEGIN ATOMIC` (any case), PostgreSQL's SQL-standard
/// routine body.
pub(super) fn has_begin_atomic(text: &[u8]) -> bool {
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
pub(super) fn ends_with_word(text: &[u8], word: &[u8]) -> bool {
    let end = trim_end(text, 0, text.len());
    let n = word.len();
    end >= n
        && text
            .get(end - n..end)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
        && (end == n || !text.get(end - n - 1).copied().is_some_and(is_ident))
}

/// A line of COPY data that is rather the next statement.
pub(super) fn starts_statement(line: &[u8]) -> bool {
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
