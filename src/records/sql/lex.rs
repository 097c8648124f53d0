//! Lexing: white space, comments, quoted strings and names, tokens, and
//! the names of tables and columns.

use memchr::{memchr, memchr2, memmem};

use super::bytes::{is_pg_header, nested_comment_end, Snip};
use super::keywords::{is_ident, is_kw, SPECIAL};
use super::out::Out;
use super::walker::{Step, Stop, Walker};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    /// A quoted name (`` `x` ``, `"x"`, `[x]`).
    Name,
    /// A string literal.
    Str,
    Semi,
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl<'a, O: Out> Walker<'a, O> {
    /// Skips white space and comments. Between statements a pg_dump header
    /// comment switches to PostgreSQL.
    pub(super) fn skip_space(&mut self, top: bool) -> Step<()> {
        loop {
            let Some(b) = self.byte(self.pos) else {
                return Err(Stop);
            };
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'-' if self.line_comment_here()? => {
                    let start = self.pos;
                    self.skip_line()?;
                    if top && is_pg_header(self.slice(start + 2, self.pos)) {
                        self.leave_assumed_dialect();
                    }
                }
                b'#' if self.rules().hash_comments => self.skip_line()?,
                b'/' if self.peek(self.pos + 1)? == Some(b'*') => self.block_comment()?,
                _ => return Ok(()),
            }
        }
    }

    /// At `-`: does a `--` comment start here? MySQL wants a space after it
    /// (`1--1` is arithmetic there).
    pub(super) fn line_comment_here(&self) -> Step<bool> {
        if self.peek(self.pos + 1)? != Some(b'-') {
            return Ok(false);
        }
        if !self.rules().dash_comment_needs_space {
            return Ok(true);
        }
        Ok(self.peek(self.pos + 2)?.is_none_or(|c| c <= b' '))
    }

    pub(super) fn skip_line(&mut self) -> Step<()> {
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
    pub(super) fn comment_line(&mut self) -> Step<()> {
        match memchr(b'\n', self.rest()) {
            Some(k) => {
                self.pos += k;
                Ok(())
            }
            None => self.stop(),
        }
    }

    /// At `/*`. PostgreSQL's nest, MySQL's (and its `/*!40101 … */`) do not.
    pub(super) fn block_comment(&mut self) -> Step<()> {
        let start = self.pos;
        let body = start + 2;
        let end = if !self.rules().nested_block_comments {
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
    pub(super) fn quoted(&mut self, q: u8, escapes: bool) -> Step<()> {
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
        let what = if q == b'\'' || (q == b'"' && self.rules().double_quoted_strings) {
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
    pub(super) fn e_prefix(&self, quote: usize) -> bool {
        quote >= 1
            && matches!(self.byte(quote - 1), Some(b'e' | b'E'))
            && (quote < 2 || !self.byte(quote - 2).is_some_and(is_ident))
    }

    /// At `$`: steps over a `$tag$…$tag$` string; `false` if this `$` opens
    /// none. PostgreSQL's, but taken in every dialect: MySQL allows `$` in
    /// names, yet not at their start (`a$b` is a name, `$$x$$` a string).
    pub(super) fn dollar_quote(&mut self) -> Step<bool> {
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
    pub(super) fn special(&mut self, b: u8) -> Step<()> {
        let rules = self.rules();
        match b {
            b'\'' => {
                let escapes = rules.backslash_in_strings || self.e_prefix(self.pos);
                self.quoted(b'\'', escapes)
            }
            b'"' => self.quoted(b'"', rules.double_quoted_strings),
            b'`' if rules.backtick_names => self.quoted(b'`', false),
            b'[' if self.ctx.tsql => self.quoted(b']', false),
            b'-' if self.line_comment_here()? => self.comment_line(),
            b'#' if rules.hash_comments => self.comment_line(),
            b'/' if self.peek(self.pos + 1)? == Some(b'*') => self.block_comment(),
            b'$' if self.dollar_quote()? => Ok(()),
            _ => {
                self.pos += 1;
                Ok(())
            }
        }
    }

    /// Moves to the next special byte (or `also`) and returns it.
    pub(super) fn next_special(&mut self, also: Option<u8>) -> Step<u8> {
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
    pub(super) fn word(&mut self) -> Step<(usize, usize)> {
        let start = self.pos;
        match self.rest().iter().position(|&b| !is_ident(b)) {
            Some(k) => {
                self.pos += k;
                Ok((start, self.pos))
            }
            None => self.stop().map(|()| (start, start)),
        }
    }

    pub(super) fn token(&mut self) -> Step<Token> {
        self.skip_space(false)?;
        let start = self.pos;
        let b = self.byte(start).ok_or(Stop)?;
        let backtick_names = self.rules().backtick_names;
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
            b'`' if backtick_names => {
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

    pub(super) fn is(&self, t: Token, keyword: &str) -> bool {
        t.kind == Kind::Word
            && self
                .slice(t.start, t.end)
                .eq_ignore_ascii_case(keyword.as_bytes())
    }

    pub(super) fn is_any(&self, t: Token, list: &[&[u8]]) -> bool {
        t.kind == Kind::Word && is_kw(self.slice(t.start, t.end), list)
    }

    pub(super) fn snip(&self, at: usize) -> Snip<'a> {
        Snip(self.slice(at, self.buf.len()))
    }

    /// A possibly schema-qualified name starting with `t`: the span of its
    /// last part.
    pub(super) fn qualified_name(&mut self, t: Token) -> Step<Option<(usize, usize)>> {
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
    pub(super) fn column_list(
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

    pub(super) fn name_list(&mut self) -> Step<Option<Token>> {
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
}
