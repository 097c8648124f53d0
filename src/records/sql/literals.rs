//! The values of a row: SQL literals (strings in each dialect's escaping,
//! hex and bit strings, numbers) turned into text.

use std::borrow::Cow;

use memchr::{memchr, memchr2, memmem};

use super::bytes::{run, trim_start};
use super::dialect::{Dialect, Flavor};
use super::keywords::{is_ident, is_kw, is_space};
use crate::decode::{self, FieldDecoding};

/// What a value is, read from its text.
pub(super) enum Val<'f> {
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

/// Reads a value: one literal, maybe with a charset introducer before it
/// (`_utf8mb4'…'`) or a cast or collation after it (`'…'::date`); anything
/// else (`NOW()`, `ARRAY[…]`, `1 + 2`) is kept as written.
pub(super) fn classify<'f>(text: &'f [u8], dialect: Dialect, buf: &mut Vec<u8>) -> Val<'f> {
    let g = strip_introducer(text);
    match literal(g, dialect, buf) {
        Some((v, rest)) if ignorable_tail(rest) => v,
        _ => Val::Raw(text),
    }
}

pub(super) fn strip_introducer(f: &[u8]) -> &[u8] {
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

pub(super) fn ignorable_tail(rest: &[u8]) -> bool {
    let r = trim_start(rest);
    r.is_empty()
        || r.starts_with(b"::")
        || (r
            .get(..7)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"COLLATE"))
            && r.get(7).is_some_and(|&b| is_space(b)))
}

/// The literal at the start of `g`, and what follows it.
pub(super) fn literal<'f>(
    g: &'f [u8],
    dialect: Dialect,
    buf: &mut Vec<u8>,
) -> Option<(Val<'f>, &'f [u8])> {
    let rules = dialect.rules();
    match g {
        [b'\'', ..] => string(g, 0, b'\'', rules.flavor, buf),
        [b'"', ..] if rules.double_quoted_strings => string(g, 0, b'"', Flavor::MySql, buf),
        [b'e' | b'E', b'\'', ..] if rules.prefixed_strings => string(g, 1, b'\'', Flavor::Pg, buf),
        [b'n' | b'N', b'\'', ..] => string(g, 1, b'\'', rules.flavor, buf),
        [b'u' | b'U', b'&', b'\'', ..] if rules.prefixed_strings => {
            string(g, 2, b'\'', Flavor::Standard, buf)
        }
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
                string(after, 0, b'\'', rules.flavor, buf)
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
pub(super) fn number_len(g: &[u8]) -> Option<usize> {
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
pub(super) fn string<'f>(
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
pub(super) fn unescape(body: &[u8], q: u8, flavor: Flavor, out: &mut Vec<u8>) {
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
pub(super) fn backslash_escape(s: &[u8], at: usize, out: &mut Vec<u8>, copy: bool) -> usize {
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
pub(super) fn unescape_copy(raw: &[u8], out: &mut Vec<u8>) {
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

pub(super) fn hex_val(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

/// Decodes hex digits (an odd count as if led by a 0).
pub(super) fn hex_decode(digits: &[u8], out: &mut Vec<u8>) -> bool {
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
pub(super) fn hex_text(dec: FieldDecoding, bytes: &[u8]) -> Option<Cow<'_, str>> {
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
