//! UTF-16 that lost (or gained) a byte: every code unit after the damage is
//! read across two characters, and the rest of the file decodes to nonsense
//! — no line ends, no digits — so its records are lost without a trace.
//!
//! [`Realign`] watches the raw bytes on their way to the decoder. In
//! aligned UTF-16LE the NUL bytes of ASCII characters (digits, Latin
//! letters, punctuation, line ends) sit at odd offsets; after a lost byte
//! they sit at even ones (the other way round for big-endian). A window in
//! which NULs sit only on the wrong side — more than CJK text whose code
//! points happen to end in `00` could put there — is misalignment: one byte
//! is dropped where the wrong-side NULs begin, which restores the alignment
//! (a lost byte costs the one character it was part of, an extra byte
//! nothing), and the place is reported.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

/// Bytes looked at together: 32 code units.
const WINDOW: usize = 64;
/// NULs on the wrong side of a window (and none on the right side) that
/// make it misaligned. CJK text puts a NUL on the wrong side only for code
/// points ending in `00` (一 U+4E00, 丐 U+4E10 does not): not 6 in 32.
const WRONG_SIDE: usize = 6;
/// Bytes kept back from the decoder, so that the point where the damage
/// began can still be cut out when a later window shows it.
const LOOKBACK: usize = 2 * WINDOW;

/// Realignments past this many in one stream are not made: it is not text
/// with a byte lost here and there.
const MAX_REALIGNED: usize = 100;

/// Where bytes were dropped to realign the text: offsets in the stream.
pub type Realigned = Rc<RefCell<Vec<u64>>>;

pub struct Realign<R> {
    inner: R,
    /// NULs of aligned text are at odd offsets (LE), or even ones (BE).
    little_endian: bool,
    buf: Vec<u8>,
    /// Bytes of `buf` already judged (windows start there).
    judged: usize,
    /// Bytes of `buf` handed to the decoder.
    given: usize,
    /// Bytes drained from the front of `buf` (the realigned stream's
    /// offset of `buf[0]`; add the bytes dropped before for the input's).
    base: u64,
    eof: bool,
    realigned: Realigned,
}

impl<R: Read> Realign<R> {
    pub fn new(inner: R, little_endian: bool) -> (Self, Realigned) {
        let realigned = Realigned::default();
        (
            Realign {
                inner,
                little_endian,
                buf: Vec::new(),
                judged: 0,
                given: 0,
                base: 0,
                eof: false,
                realigned: Rc::clone(&realigned),
            },
            realigned,
        )
    }

    /// Judges the windows that are complete, dropping a byte where one is
    /// misaligned. Code units start at even indices of `buf` (what is
    /// drained from its front is even, and a dropped byte re-pairs what
    /// follows it).
    fn judge(&mut self) {
        let right_side = usize::from(self.little_endian);
        while self.judged + WINDOW <= self.buf.len() {
            if self.realigned.borrow().len() >= MAX_REALIGNED {
                // a file this broken is not UTF-16 text worth mending
                self.judged = self.buf.len() / 2 * 2;
                return;
            }
            let end = self.judged + WINDOW;
            let nul = |i: &usize| self.buf[*i] == 0;
            let right = (self.judged..end)
                .filter(nul)
                .filter(|i| i % 2 == right_side)
                .count();
            let wrong = (self.judged..end)
                .filter(nul)
                .filter(|i| i % 2 != right_side)
                .count();
            if wrong < WRONG_SIDE || right > 0 {
                self.judged = end;
                continue;
            }
            // The damage begins after the last right-side NUL (looking back
            // over what the decoder does not have yet), just before the
            // first wrong-side NUL after it.
            let from = self.given.max(self.judged.saturating_sub(LOOKBACK));
            let after = (from..end)
                .filter(nul)
                .rfind(|i| i % 2 == right_side)
                .map_or(from, |r| r + 1);
            let first_wrong = (after..end)
                .filter(nul)
                .find(|i| i % 2 != right_side)
                .unwrap_or(self.judged);
            let drop_at = first_wrong.saturating_sub(1).max(self.given).max(after);
            self.buf.remove(drop_at);
            let before = self.realigned.borrow().len() as u64;
            self.realigned
                .borrow_mut()
                .push(self.base + drop_at as u64 + before);
            // judge again from the window that held the damage
            self.judged = (drop_at / 2 * 2).min(self.judged);
        }
    }
}

impl<R: Read> Read for Realign<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while !self.eof && self.buf.len() - self.given < LOOKBACK + WINDOW + out.len().min(64 << 10)
        {
            let start = self.buf.len();
            self.buf.resize(start + (64 << 10), 0);
            let n = loop {
                match self.inner.read(&mut self.buf[start..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.buf.truncate(start);
                        return Err(e);
                    }
                    Ok(n) => break n,
                }
            };
            self.buf.truncate(start + n);
            self.eof = n == 0;
        }
        self.judge();
        // Keep the look-back from the decoder until the end.
        let ready = if self.eof {
            self.buf.len()
        } else {
            self.judged.saturating_sub(LOOKBACK)
        };
        let n = out.len().min(ready.saturating_sub(self.given));
        out[..n].copy_from_slice(&self.buf[self.given..self.given + n]);
        self.given += n;
        if self.given > 1 << 20 {
            // forget what the decoder has (an even count: code units stay
            // at even indices)
            let k = (self.given / 2 * 2).min(self.judged / 2 * 2);
            self.buf.drain(..k);
            self.base += k as u64;
            self.given -= k;
            self.judged -= k;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    fn decode(bytes: &[u8], le: bool) -> (String, Vec<u64>) {
        let (mut r, realigned) = Realign::new(bytes, le);
        let mut raw = Vec::new();
        r.read_to_end(&mut raw).unwrap();
        let units: Vec<u16> = raw
            .chunks(2)
            .map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        let text = String::from_utf16_lossy(&units);
        let at = realigned.borrow().clone();
        (text, at)
    }

    /// Lines of `text` not found whole in `back`.
    fn lost_lines(text: &str, back: &str) -> usize {
        let have: std::collections::HashSet<&str> = back.lines().collect();
        text.lines().filter(|l| !have.contains(l)).count()
    }

    #[test]
    fn aligned_text_is_passed_through_untouched() {
        let text: String = (0..3000).map(|i| format!("张三一丐,138{i:08}\n")).collect();
        for le in [true, false] {
            let (back, at) = decode(&utf16(&text, le), le);
            assert_eq!(back, text);
            assert!(at.is_empty());
        }
        // CJK whose code points end in 00 (一 U+4E00) is not misalignment
        let cjk = "一丐丑专且丕世丗丘丙".repeat(500);
        assert!(decode(&utf16(&cjk, true), true).1.is_empty());
    }

    #[test]
    fn a_lost_or_extra_byte_is_found_and_cut_out() {
        // 1.2 MB: past the point where the decoder's bytes are forgotten
        let text: String = (0..40_000).map(|i| format!("张三,138{i:08}\n")).collect();
        for le in [true, false] {
            let bytes = utf16(&text, le);
            for damage_at in [1usize, 1001, 30_001, 70_001, 1_100_001, 1_199_000] {
                let mut lost = bytes.clone();
                lost.remove(damage_at);
                let (back, at) = decode(&lost, le);
                assert_eq!(at.len(), 1, "lost at {damage_at}: {at:?}");
                assert!(
                    at[0].abs_diff(damage_at as u64) < 80,
                    "{at:?} for {damage_at}"
                );
                // all but the line with the damage survive
                let missing = lost_lines(&text, &back);
                assert!(
                    missing <= 1,
                    "{missing} lines lost (lost byte at {damage_at})"
                );
                let mut extra = bytes.clone();
                extra.insert(damage_at, 0x41);
                let (back, at) = decode(&extra, le);
                assert_eq!(at.len(), 1);
                let missing = lost_lines(&text, &back);
                assert!(
                    missing <= 1,
                    "{missing} lines lost (extra byte at {damage_at})"
                );
            }
        }
    }
}
