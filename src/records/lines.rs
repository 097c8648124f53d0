//! Line ends as exports write them: `\n` (Unix), `\r\n` (Windows) and a lone
//! `\r` (classic Mac OS, and some old Chinese export tools), mixed freely in
//! one file. Every text format frames, splits and numbers its lines with
//! these functions, so that a file of CR line ends is as many records as it
//! has lines, and its line numbers are the ones an editor shows.
//!
//! A file without any `\r` (most of them) costs one `memchr` per chunk.

use super::record::Position;

/// The end of the last complete line in `buf` (just past its line end), if
/// any. A `\r` that ends `buf` is complete only at the end of input: the
/// next bytes may be the `\n` of a `\r\n`.
pub fn last_line_end(buf: &[u8], eof: bool) -> Option<usize> {
    let at = memchr::memrchr2(b'\n', b'\r', buf)?;
    if buf[at] == b'\r' && at + 1 == buf.len() && !eof {
        // a `\r` at the end, perhaps the first half of `\r\n`: the line
        // before it may end earlier
        return last_line_end(&buf[..at], true);
    }
    Some(at + 1)
}

/// Line ends in `data`: each `\n`, and each `\r` not followed by `\n`.
pub fn count(data: &[u8]) -> u64 {
    let newlines = data.iter().filter(|&&b| b == b'\n').count() as u64;
    if memchr::memchr(b'\r', data).is_none() {
        return newlines;
    }
    let lone_cr = memchr::memchr_iter(b'\r', data)
        .filter(|&i| data.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    newlines + lone_cr
}

/// Where the line starting at `start` ends: (end of its text, start of the
/// next line).
pub fn line_at(chunk: &[u8], start: usize) -> (usize, usize) {
    let rest = chunk.get(start..).unwrap_or_default();
    match memchr::memchr2(b'\n', b'\r', rest) {
        None => (chunk.len(), chunk.len()),
        Some(i) => {
            let end = start + i;
            let next = if chunk[end] == b'\r' && chunk.get(end + 1) == Some(&b'\n') {
                end + 2
            } else {
                end + 1
            };
            (end, next)
        }
    }
}

/// Calls `f` for every line of `chunk` (without its line end), with its
/// position in the chunk.
pub fn for_each<'a>(chunk: &'a [u8], mut f: impl FnMut(Position, &'a [u8])) {
    let mut start = 0;
    let mut line = 0u64;
    if memchr::memchr(b'\r', chunk).is_none() {
        // The common case: `\n` only.
        while start < chunk.len() {
            let end = memchr::memchr(b'\n', &chunk[start..]).map_or(chunk.len(), |i| start + i);
            f(
                Position {
                    line,
                    offset: start as u64,
                },
                &chunk[start..end],
            );
            line += 1;
            start = end + 1;
        }
        return;
    }
    while start < chunk.len() {
        let (end, next) = line_at(chunk, start);
        f(
            Position {
                line,
                offset: start as u64,
            },
            &chunk[start..end],
        );
        line += 1;
        start = next;
    }
}

/// Where to cut a record that has no end within the first `limit` bytes of
/// `buf`, so that no character is split: after the last line end if there
/// is one, otherwise at a character boundary at or before `limit` — in
/// UTF-8 not before a continuation byte (just after `limit` when the first
/// character is longer than `limit`); in GBK/GB18030 after a byte that
/// is never part of a longer character (below 0x30) if one is close.
pub fn safe_cut(buf: &[u8], limit: usize, gbk: bool) -> usize {
    let window = &buf[..limit.min(buf.len())];
    if let Some(end) = last_line_end(window, false).filter(|&e| e > 0) {
        return end;
    }
    let n = window.len();
    let continuation = |at: usize| buf.get(at).is_some_and(|b| (0x80..0xc0).contains(b));
    if gbk {
        let from = n.saturating_sub(256);
        return match window[from..].iter().rposition(|&b| b < 0x30) {
            Some(i) => from + i + 1,
            None => n,
        };
    }
    let mut cut = n;
    while cut > 0 && n - cut < 3 && continuation(cut) {
        cut -= 1;
    }
    if cut > 0 && !continuation(cut) {
        return cut;
    }
    // A window shorter than its first character: cut just after it.
    let mut cut = n;
    while cut < n + 3 && continuation(cut) {
        cut += 1;
    }
    cut.min(buf.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &[u8]) -> Vec<(u64, u64, Vec<u8>)> {
        let mut seen = Vec::new();
        for_each(s, |p, l| seen.push((p.line, p.offset, l.to_vec())));
        seen
    }

    #[test]
    fn every_convention_and_a_mix() {
        let expected = vec![
            (0, 0, b"a".to_vec()),
            (1, 2, b"bb".to_vec()),
            (2, 5, b"".to_vec()),
            (3, 6, b"c".to_vec()),
        ];
        assert_eq!(lines(b"a\nbb\n\nc"), expected);
        assert_eq!(lines(b"a\rbb\r\rc"), expected);
        let crlf = lines(b"a\r\nbb\r\n\r\nc");
        assert_eq!(crlf.len(), 4);
        assert_eq!(crlf[3].2, b"c");
        assert_eq!(lines(b"a\rbb\r\n\nc").len(), 4);
        assert_eq!(count(b"a\rbb\r\n\nc"), 3);
        assert_eq!(count(b"a\nb\n"), 2);
        assert_eq!(count(b"a\r\r\n"), 2);
    }

    #[test]
    fn a_cr_at_the_end_of_a_buffer_waits_for_its_lf() {
        assert_eq!(last_line_end(b"a\rb\r", false), Some(2));
        assert_eq!(last_line_end(b"a\rb\r", true), Some(4));
        assert_eq!(last_line_end(b"ab\r", false), None);
        assert_eq!(last_line_end(b"a\r\nb", false), Some(3));
        assert_eq!(last_line_end(b"abc", true), None);
    }

    #[test]
    fn a_cut_never_splits_a_character() {
        let text = "张三李四".as_bytes(); // 12 bytes, 3 per character
        for n in 1..=text.len() {
            let cut = safe_cut(text, n, false);
            assert!(std::str::from_utf8(&text[..cut]).is_ok(), "{n} -> {cut}");
            assert!(cut.abs_diff(n) < 3 && cut > 0, "{n} -> {cut}");
        }
        let gbk = encoding_rs::GB18030.encode("张三 李四").0.into_owned();
        assert_eq!(safe_cut(&gbk, gbk.len() - 1, true), 5, "after the space");
        assert_eq!(safe_cut(b"ab\ncd", 4, false), 3);
    }
}
