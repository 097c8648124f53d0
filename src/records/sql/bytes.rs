//! Byte-level helpers of the walk: runs, trimming, unquoting names, and
//! the masked snippets that error messages quote.

use std::fmt;

use memchr::memchr2;

use super::keywords::is_space;
use crate::decode::{self, FieldDecoding};

pub(super) fn is_pg_header(comment: &[u8]) -> bool {
    trim_start(comment).starts_with(b"PostgreSQL database")
}

/// Where a `/* … */` that may nest, with its body at `i`, ends.
pub(super) fn nested_comment_end(buf: &[u8], mut i: usize) -> Option<usize> {
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

pub(super) fn run(s: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    s.get(from..)
        .map_or(0, |r| r.iter().take_while(|&&b| pred(b)).count())
}

pub(super) fn trim_start(s: &[u8]) -> &[u8] {
    let n = run(s, 0, is_space);
    s.get(n..).unwrap_or_default()
}

pub(super) fn trim_end(buf: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && buf.get(end - 1).is_some_and(|&b| is_space(b)) {
        end -= 1;
    }
    end
}

/// Appends a name without its quotes (`` `a``b` `` → ``a`b``, `[a]]b]` → `a]b`).
pub(super) fn unquote_into(raw: &[u8], out: &mut String) {
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

/// A few bytes of input for an error message, masked: the input is personal
/// data, and error messages are printed without `--reveal`.
pub(super) struct Snip<'a>(pub(super) &'a [u8]);

/// Masks what could identify a person in an error snippet: digits and
/// non-ASCII characters (numbers, Chinese names, addresses) become `*`, and
/// so does every word with an `@` (e-mail addresses). SQL keywords,
/// punctuation and ASCII table or column names stay readable.
pub(super) fn mask_snip(text: &str) -> String {
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
