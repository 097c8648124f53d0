//! JSON Lines, JSON arrays and streams of JSON values (SPEC §3).
//!
//! One record is one JSON value: a line of JSON Lines, an element of a
//! top-level array, a top-level value of a stream of values. Nested objects
//! are flattened to dotted key paths (`user.contact.mobile`), array elements
//! get their index (`phones.0`).
//!
//! **Wrappers.** An object holds records in arrays of objects up to three
//! keys deep — an export wrapper such as `{"code": 0, "data": {"list":
//! [{…}, {…}]}}`, or a record with a list of sub-records: each object
//! element of such an array is a record of its own, at its own position, and
//! the rest of the object (its own fields, the wrapper with its record
//! elements taken out) is one more record after them, so nothing in the
//! file goes unread. An array holds records when its first element is an
//! object; its other elements stay with the wrapper. This is decided by the
//! structure alone, the same on one line as on many.
//!
//! **Streaming.** [`JsonFramer`] scans the stream once, in the reader
//! thread, keeping only its nesting: it cuts chunks between values — also
//! between the elements of a wrapper's record array, so a wrapper of any
//! size is read element by element — and tells the workers which byte
//! ranges are records ([`Item`]). The wrapper's own fields are copied as the
//! scan passes them. A value, or a wrapper's own fields, longer than
//! `--max-record` is not held: it is reported and skipped (the records in
//! its arrays are still read), so memory is bounded by `--max-record` and
//! the chunk size whatever the file. Workers flatten a value straight into
//! the record's fields with a serde visitor: no `serde_json::Value` tree.

use std::fmt::Write as _;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::record::{Column, Position, RecordBuf, RecordSink};
use crate::decode::FieldDecoding;

/// How many keys deep a record array may sit in a wrapper.
const WRAPPER_DEPTH: u8 = 3;

/// A record in a chunk (or a line): chunk-relative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// The JSON value at `start..end`, starting on line `line` of the chunk.
    Value { start: usize, end: usize, line: u64 },
    /// A wrapper's own fields, as JSON text, at the wrapper's position.
    Fields {
        text: Vec<u8>,
        line: u64,
        offset: u64,
    },
}

/// A wrapper's own fields when the wrapper began in an earlier chunk: read
/// as a record of its own after the chunk that ends the wrapper, at the
/// wrapper's position in the stream (line ends before it, byte offset).
#[derive(Debug)]
pub struct Wrapper {
    pub text: Vec<u8>,
    pub line: u64,
    pub offset: u64,
}

/// A problem found while framing, where it is in the stream (line ends
/// before it, byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    pub line: u64,
    pub offset: u64,
    pub message: String,
}

/// What [`JsonFramer::next`] cuts off the front of the buffer.
#[derive(Debug)]
pub struct JsonCut {
    pub len: usize,
    pub items: Vec<Item>,
    /// A wrapper's fields to read right after this chunk.
    pub wrapper: Option<Wrapper>,
    pub errors: Vec<FrameError>,
}

/// Where a value is read for, in the frame below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Part of the unit (or of the wrapper's fields, which are being copied).
    Plain,
    /// An object element of a record array: a record.
    Record,
    /// A non-object element of a record array: copied to the wrapper's fields.
    Copied,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ObjAt {
    Key,
    InKey,
    Colon,
    Value,
    Next,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    /// An object that may hold record arrays (`depth` 0: the unit itself).
    Wrap { depth: u8, at: ObjAt },
    /// The value of a key of a `Wrap`, an array: records when its first
    /// element is an object (`records`), undecided before it.
    Array {
        records: bool,
        next: bool,
        copied: bool,
    },
    /// An object or array read whole: brackets open inside it.
    Whole { open: u32, role: Role },
    /// A string value.
    Str { role: Role },
    /// A number, a literal, or stray text: up to the next delimiter.
    Bare { role: Role },
}

/// The wrapper's own fields, as the scan passes them.
#[derive(Debug)]
enum Fields {
    /// No record array seen yet: the unit may be one plain value.
    None,
    /// Copied so far.
    Copied(Vec<u8>),
    /// Longer than `--max-record`: not kept.
    Dropped,
}

/// The top-level value being scanned.
#[derive(Debug)]
struct Unit {
    /// Buffer offset of its first byte (meaningful while `cut_inside` is false).
    start: usize,
    /// Its line in the buffer, and its place in the stream.
    line: u64,
    abs_line: u64,
    abs_offset: u64,
    /// A chunk was cut inside it (between the elements of a record array).
    cut_inside: bool,
    fields: Fields,
    /// Copying its fields from this buffer offset on (when `Copied`).
    copy_from: Option<usize>,
    /// The record element being read: its start and line, unless dropped.
    element: Option<(usize, u64)>,
}

/// Steps the framer may take at one byte without consuming it (a frame
/// ending, a missing comma, a value starting: a handful at most).
const STUCK_STEPS: u32 = 64;

/// Frames a JSON stream: see the module comment.
#[derive(Debug)]
pub struct JsonFramer {
    limit: usize,
    /// Bytes of the buffer scanned.
    pos: usize,
    /// Line ends counted in the buffer up to `counted_to`.
    counted_to: usize,
    counted: u64,
    /// Line ends and bytes before the buffer (in chunks already cut).
    base_line: u64,
    base_offset: u64,
    top_array: bool,
    stack: Vec<Frame>,
    in_string: bool,
    escaped: bool,
    unit: Option<Unit>,
    items: Vec<Item>,
    errors: Vec<FrameError>,
    /// A wrapper that began in an earlier chunk ended at `pos`: cut there.
    wrapper: Option<Wrapper>,
    /// Stray bytes outside any value are being skipped (one error per run).
    stray: bool,
    /// Scanning waits for more bytes (a byte-order mark cut in two).
    hold: bool,
    /// JSON Lines: a line end ends the value it is in (a line that is not
    /// JSON does not run into the next).
    lines: bool,
}

impl JsonFramer {
    /// `limit`: `--max-record`; `lines`: JSON Lines.
    pub fn new(limit: usize, lines: bool) -> JsonFramer {
        JsonFramer {
            limit: limit.max(1),
            pos: 0,
            counted_to: 0,
            counted: 0,
            base_line: 0,
            base_offset: 0,
            top_array: false,
            stack: Vec::new(),
            in_string: false,
            escaped: false,
            unit: None,
            items: Vec::new(),
            errors: Vec::new(),
            wrapper: None,
            stray: false,
            hold: false,
            lines,
        }
    }

    /// The next chunk to cut off `buf` (the bytes not yet cut, growing
    /// between calls until a cut is made), or `None` when more bytes are
    /// needed (or, at the end of input, nothing is left).
    pub fn next(&mut self, buf: &[u8], eof: bool) -> Option<JsonCut> {
        if buf.is_empty() {
            return None;
        }
        self.scan(buf, eof);
        let cut = if self.wrapper.is_some() || self.hold {
            self.pos
        } else if eof && self.pos >= buf.len() {
            self.finish_at_eof(buf);
            buf.len()
        } else {
            self.safe_cut(buf, eof)
        };
        // (A JSON Lines wrapper can end at the buffer's first byte, a line
        // end: its fields still go, with an empty chunk.)
        if cut == 0 && self.wrapper.is_none() {
            return None;
        }
        Some(self.cut(buf, cut))
    }

    /// The largest cut that splits no record and no pending copy: the start
    /// of a plain unit or record element being read, else what is scanned.
    fn safe_cut(&self, buf: &[u8], eof: bool) -> usize {
        let cut = match &self.unit {
            None => self.pos,
            Some(u) => match (&u.fields, u.element) {
                (_, Some((start, _))) => start,
                (Fields::None, _) => u.start,
                _ => self.pos,
            },
        };
        // Never between the `\r` and `\n` of a line end (line numbers are
        // counted per chunk).
        if cut > 0 && buf[cut - 1] == b'\r' {
            match buf.get(cut) {
                None if !eof => return cut - 1,
                _ => {}
            }
        }
        cut
    }

    /// Line ends in the buffer before `at` (non-decreasing `at`).
    fn line_at(&mut self, buf: &[u8], at: usize) -> u64 {
        if at > self.counted_to {
            let slice = &buf[self.counted_to..at];
            let mut n = slice.iter().filter(|&&b| b == b'\n').count() as u64;
            if memchr::memchr(b'\r', slice).is_some() {
                n += memchr::memchr_iter(b'\r', slice)
                    .filter(|&i| buf.get(self.counted_to + i + 1) != Some(&b'\n'))
                    .count() as u64;
            }
            self.counted += n;
            self.counted_to = at;
        }
        self.counted
    }

    /// An error at a buffer offset whose line in the buffer is known.
    fn error(&mut self, line: u64, at: usize, message: String) {
        self.errors.push(FrameError {
            line: self.base_line + line,
            offset: self.base_offset + at as u64,
            message,
        });
    }

    /// Cuts `len` bytes: the items and errors so far go with them.
    fn cut(&mut self, buf: &[u8], len: usize) -> JsonCut {
        // The wrapper's fields copied so far go to its copy, so the bytes
        // can leave the buffer.
        if let Some(u) = &mut self.unit {
            if let (Fields::Copied(f), Some(from)) = (&mut u.fields, u.copy_from) {
                f.extend_from_slice(&buf[from..len.max(from)]);
                u.copy_from = Some(len);
            }
        }
        let lines = self.line_at(buf, len);
        self.base_line += lines;
        self.base_offset += len as u64;
        self.counted = 0;
        self.counted_to = 0;
        self.pos -= len;
        if let Some(u) = &mut self.unit {
            if u.start >= len {
                // cut before the unit
                u.start -= len;
                u.line -= lines;
            } else {
                u.cut_inside = true;
            }
            u.copy_from = u.copy_from.map(|f| f - len);
            u.element = u.element.map(|(s, l)| (s - len, l - lines));
        }
        JsonCut {
            len,
            items: std::mem::take(&mut self.items),
            wrapper: self.wrapper.take(),
            errors: std::mem::take(&mut self.errors),
        }
    }

    /// At the end of input inside a value (a file cut short): what was
    /// read of it is read as records (it fails as JSON and is read as
    /// words, with an error).
    fn finish_at_eof(&mut self, buf: &[u8]) {
        self.end_unit_at(buf, buf.len());
    }

    /// Ends the unit being read at `end` (the end of input, or of a JSON
    /// Lines line), as it is.
    fn end_unit_at(&mut self, buf: &[u8], end: usize) {
        let Some(mut u) = self.unit.take() else {
            return;
        };
        if let Some((start, line)) = u.element {
            self.items.push(Item::Value { start, end, line });
        }
        match std::mem::replace(&mut u.fields, Fields::Dropped) {
            Fields::None => {
                self.items.push(Item::Value {
                    start: u.start,
                    end,
                    line: u.line,
                });
            }
            Fields::Copied(mut f) => {
                if let (Some(from), None) = (u.copy_from, u.element) {
                    f.extend_from_slice(&buf[from..end]);
                }
                self.fields_item(buf, &u, f);
            }
            Fields::Dropped => {}
        }
        self.stack.clear();
        self.in_string = false;
        self.escaped = false;
    }

    /// The wrapper's fields, complete: an item of this chunk when the
    /// wrapper began in it, else a record of its own after it.
    fn fields_item(&mut self, _buf: &[u8], u: &Unit, text: Vec<u8>) {
        if u.cut_inside {
            self.wrapper = Some(Wrapper {
                text,
                line: u.abs_line,
                offset: u.abs_offset,
            });
        } else {
            self.items.push(Item::Fields {
                text,
                line: u.line,
                offset: u.start as u64,
            });
        }
    }

    /// Scans `buf` from `pos` on, until its end or until a wrapper that
    /// began in an earlier chunk ends.
    fn scan(&mut self, buf: &[u8], eof: bool) {
        self.hold = false;
        // Every step consumes a byte or changes the state so that the next
        // one does; a few steps without a byte are a bug: the byte is then
        // skipped with an error rather than looped on forever.
        let mut still = (usize::MAX, 0u32);
        while self.pos < buf.len() && self.wrapper.is_none() && !self.hold {
            if still.0 == self.pos {
                still.1 += 1;
                if still.1 > STUCK_STEPS {
                    debug_assert!(false, "the JSON framer is stuck at byte {}", self.pos);
                    let line = self.line_at(buf, self.pos);
                    self.error(
                        line,
                        self.pos,
                        "the JSON framer could not read on here: a byte skipped".to_string(),
                    );
                    self.pos += 1;
                    continue;
                }
            } else {
                still = (self.pos, 0);
            }
            if self.lines && matches!(buf[self.pos], b'\n' | b'\r') {
                // JSON Lines: a line end ends everything
                self.top_array = false;
                if self.unit.is_some() {
                    self.end_unit_at(buf, self.pos);
                    continue;
                }
            }
            if self.in_string {
                self.scan_string(buf);
                continue;
            }
            let b = buf[self.pos];
            match self.stack.last().copied() {
                None => self.top(buf, b, eof),
                Some(Frame::Wrap { depth, at }) => self.in_object(buf, b, depth, at),
                Some(Frame::Array {
                    records,
                    next,
                    copied,
                }) => self.in_array(buf, b, records, next, copied),
                Some(Frame::Whole { open, role }) => self.in_whole(buf, open, role),
                Some(Frame::Str { .. }) => unreachable!("a string frame is always in_string"),
                Some(Frame::Bare { .. }) => {
                    let rest = &buf[self.pos..];
                    // JSON Lines: text outside any value is one value to
                    // the line's end (a line that is not JSON is one record)
                    let whole_line = self.lines && self.stack.len() == 1;
                    let end = if whole_line {
                        memchr::memchr2(b'\n', b'\r', rest)
                    } else {
                        rest.iter().position(|&b| is_delimiter(b))
                    };
                    match end {
                        Some(i) => {
                            self.pos += i;
                            self.value_done(buf);
                        }
                        None if eof => {
                            self.pos = buf.len();
                            self.value_done(buf);
                        }
                        None => self.pos = buf.len(),
                    }
                }
            }
            self.check_limits();
        }
    }

    /// Drops what has grown past `--max-record`, with an error: a plain
    /// unit or the wrapper's fields, a record element. (What is dropped
    /// depends only on lengths, not on when this runs.)
    fn check_limits(&mut self) {
        let (limit, pos) = (self.limit, self.pos);
        let Some(u) = &mut self.unit else { return };
        let fields_len = match &u.fields {
            Fields::None => Some(pos - u.start),
            Fields::Copied(f) => Some(f.len() + u.copy_from.map_or(0, |from| pos - from)),
            Fields::Dropped => None,
        };
        if fields_len.is_some_and(|n| n > limit) {
            u.fields = Fields::Dropped;
            u.copy_from = None;
            self.errors.push(FrameError {
                line: u.abs_line,
                offset: u.abs_offset,
                message: too_long(limit),
            });
        }
        if let Some((start, line)) = u.element {
            if pos - start > limit {
                u.element = None;
                self.errors.push(FrameError {
                    line: self.base_line + line,
                    offset: self.base_offset + start as u64,
                    message: format!(
                        "a JSON record longer than {limit} bytes (--max-record): not read"
                    ),
                });
            }
        }
    }

    fn scan_string(&mut self, buf: &[u8]) {
        if self.escaped {
            self.escaped = false;
            if !(self.lines && matches!(buf[self.pos], b'\n' | b'\r')) {
                self.pos += 1;
            }
            return;
        }
        let rest = &buf[self.pos..];
        let hit = if self.lines {
            rest.iter()
                .position(|&b| matches!(b, b'"' | b'\\' | b'\n' | b'\r'))
        } else {
            memchr::memchr2(b'"', b'\\', rest)
        };
        match hit {
            None => self.pos = buf.len(),
            // a line end: the loop ends the value there
            Some(i) if matches!(rest[i], b'\n' | b'\r') => self.pos += i,
            Some(i) => {
                self.pos += i + 1;
                if buf[self.pos - 1] == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    match self.stack.last_mut() {
                        Some(Frame::Str { .. }) => self.value_done(buf),
                        Some(Frame::Wrap { at, .. }) if *at == ObjAt::InKey => *at = ObjAt::Colon,
                        _ => {}
                    }
                }
            }
        }
    }

    /// Outside any value: white space, separators, the brackets of a
    /// top-level array, or the start of a unit.
    fn top(&mut self, buf: &[u8], b: u8, eof: bool) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                self.stray = false;
                self.pos += 1;
            }
            0xef if buf[self.pos..].starts_with(&[0xef, 0xbb, 0xbf]) => self.pos += 3,
            // a BOM cut by the buffer's end: wait for the rest
            0xef if !eof
                && buf.len() - self.pos < 3
                && [0xef, 0xbb, 0xbf].starts_with(&buf[self.pos..]) =>
            {
                self.hold = true;
            }
            b'[' if !self.top_array => {
                self.top_array = true;
                self.stray = false;
                self.pos += 1;
            }
            b']' if self.top_array => {
                self.top_array = false;
                self.stray = false;
                self.pos += 1;
            }
            b'}' | b']' | b':' => {
                if !self.stray {
                    self.stray = true;
                    let what = b as char;
                    let line = self.line_at(buf, self.pos);
                    self.error(
                        line,
                        self.pos,
                        format!("`{what}` outside any JSON value: skipped"),
                    );
                }
                self.pos += 1;
            }
            _ => {
                self.stray = false;
                let line = self.line_at(buf, self.pos);
                self.unit = Some(Unit {
                    start: self.pos,
                    line,
                    abs_line: self.base_line + line,
                    abs_offset: self.base_offset + self.pos as u64,
                    cut_inside: false,
                    fields: Fields::None,
                    copy_from: None,
                    element: None,
                });
                let frame = match b {
                    b'{' => Frame::Wrap {
                        depth: 0,
                        at: ObjAt::Key,
                    },
                    b'[' => Frame::Whole {
                        open: 1,
                        role: Role::Plain,
                    },
                    b'"' => {
                        self.in_string = true;
                        Frame::Str { role: Role::Plain }
                    }
                    _ => {
                        // not consumed: a bare value runs to its delimiter
                        self.stack.push(Frame::Bare { role: Role::Plain });
                        return;
                    }
                };
                self.stack.push(frame);
                self.pos += 1;
            }
        }
    }

    fn set_top(&mut self, frame: Frame) {
        if let Some(top) = self.stack.last_mut() {
            *top = frame;
        }
    }

    /// Starts a value (at `pos`) of the role given, pushing its frame.
    fn start_value(&mut self, b: u8, role: Role) {
        let frame = match b {
            b'{' | b'[' => Frame::Whole { open: 1, role },
            b'"' => {
                self.in_string = true;
                Frame::Str { role }
            }
            _ => {
                self.stack.push(Frame::Bare { role });
                return;
            }
        };
        self.stack.push(frame);
        self.pos += 1;
    }

    fn in_object(&mut self, buf: &[u8], b: u8, depth: u8, at: ObjAt) {
        let wrap = |at| Frame::Wrap { depth, at };
        match (at, b) {
            (_, b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
            (ObjAt::Key, b'"') => {
                self.set_top(wrap(ObjAt::InKey));
                self.in_string = true;
                self.pos += 1;
            }
            (ObjAt::Key | ObjAt::Next, b'}') => {
                self.pos += 1;
                self.stack.pop();
                self.value_done(buf);
            }
            (ObjAt::Key, b',') => self.pos += 1,
            (ObjAt::Colon, b':') => {
                self.set_top(wrap(ObjAt::Value));
                self.pos += 1;
            }
            (ObjAt::Next, b',') => {
                self.set_top(wrap(ObjAt::Key));
                self.pos += 1;
            }
            (ObjAt::Value, b'[') => {
                self.stack.push(Frame::Array {
                    records: false,
                    next: false,
                    copied: false,
                });
                self.pos += 1;
            }
            (ObjAt::Value, b'{') if depth + 1 < WRAPPER_DEPTH => {
                self.stack.push(Frame::Wrap {
                    depth: depth + 1,
                    at: ObjAt::Key,
                });
                self.pos += 1;
            }
            (ObjAt::Value, b'}' | b']' | b',' | b':') => {
                // a value is missing: go on as after one
                self.set_top(wrap(ObjAt::Next));
            }
            (ObjAt::Value, _) => self.start_value(b, Role::Plain),
            // Not JSON as expected: the rest of the object is read whole.
            _ => self.set_top(Frame::Whole {
                open: 1,
                role: Role::Plain,
            }),
        }
    }

    fn in_array(&mut self, buf: &[u8], b: u8, records: bool, next: bool, copied: bool) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
            // `}`: the `]` is missing; the array ends here and the object
            // around it takes the `}` (read as an element, it was an empty
            // value that never moved on)
            b']' | b'}' => {
                if b == b']' {
                    self.pos += 1;
                }
                self.stack.pop();
                if records {
                    // the wrapper's fields go on from the closing bracket
                    // (the missing one put in its place)
                    if let Some(u) = &mut self.unit {
                        if let Fields::Copied(f) = &mut u.fields {
                            if b == b']' {
                                u.copy_from = Some(self.pos - 1);
                            } else {
                                f.push(b']');
                                u.copy_from = Some(self.pos);
                            }
                        }
                    }
                }
                self.value_done(buf);
            }
            b',' => {
                self.set_top(Frame::Array {
                    records,
                    next: false,
                    copied,
                });
                self.pos += 1;
            }
            _ if next => {
                // a comma is missing: go on as after one
                self.set_top(Frame::Array {
                    records,
                    next: false,
                    copied,
                });
            }
            b'{' => {
                if !records {
                    self.start_records(buf);
                    self.set_top(Frame::Array {
                        records: true,
                        next: false,
                        copied,
                    });
                }
                let line = self.line_at(buf, self.pos);
                if let Some(u) = &mut self.unit {
                    u.element = Some((self.pos, line));
                }
                self.stack.push(Frame::Whole {
                    open: 1,
                    role: Role::Record,
                });
                self.pos += 1;
            }
            _ if records => {
                // a non-object element of a record array: the wrapper's
                if let Some(u) = &mut self.unit {
                    if let Fields::Copied(f) = &mut u.fields {
                        if copied {
                            f.push(b',');
                        }
                        u.copy_from = Some(self.pos);
                    }
                }
                self.start_value(b, Role::Copied);
            }
            _ => {
                // the first element is not an object: a plain array, read whole
                self.set_top(Frame::Whole {
                    open: 1,
                    role: Role::Plain,
                });
            }
        }
    }

    /// The first record element of the unit's arrays is at `pos`: the
    /// unit's own fields are copied from now on, up to here first.
    fn start_records(&mut self, buf: &[u8]) {
        let pos = self.pos;
        let Some(u) = &mut self.unit else { return };
        match &mut u.fields {
            Fields::None => {
                u.fields = Fields::Copied(buf[u.start..pos].to_vec());
            }
            Fields::Copied(f) => {
                if let Some(from) = u.copy_from {
                    f.extend_from_slice(&buf[from..pos]);
                }
            }
            Fields::Dropped => {}
        }
        u.copy_from = None;
    }

    fn in_whole(&mut self, buf: &[u8], open: u32, role: Role) {
        // Only brackets and quotes matter inside a value read whole.
        let rest = &buf[self.pos..];
        let lines = self.lines;
        let Some(i) = rest.iter().position(|&b| {
            matches!(b, b'"' | b'{' | b'[' | b'}' | b']') || lines && matches!(b, b'\n' | b'\r')
        }) else {
            self.pos = buf.len();
            return;
        };
        if matches!(rest[i], b'\n' | b'\r') {
            // a line end: the loop ends the value there
            self.pos += i;
            return;
        }
        self.pos += i + 1;
        match rest[i] {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.set_top(Frame::Whole {
                open: open + 1,
                role,
            }),
            _ if open > 1 => self.set_top(Frame::Whole {
                open: open - 1,
                role,
            }),
            _ => self.value_done(buf),
        }
    }

    /// The value at the top of the stack ended at `pos`.
    fn value_done(&mut self, buf: &[u8]) {
        let role = match self.stack.last().copied() {
            Some(Frame::Whole { role, .. } | Frame::Str { role } | Frame::Bare { role }) => {
                self.stack.pop();
                role
            }
            // an object or array frame was popped by its caller
            _ => Role::Plain,
        };
        let pos = self.pos;
        match role {
            Role::Record => {
                if let Some((start, line)) = self.unit.as_mut().and_then(|u| u.element.take()) {
                    if pos - start <= self.limit {
                        self.items.push(Item::Value {
                            start,
                            end: pos,
                            line,
                        });
                    } else {
                        let limit = self.limit;
                        self.error(
                            line,
                            start,
                            format!(
                                "a JSON record longer than {limit} bytes (--max-record): not read"
                            ),
                        );
                    }
                }
            }
            Role::Copied => {
                if let Some(u) = &mut self.unit {
                    if let (Fields::Copied(f), Some(from)) = (&mut u.fields, u.copy_from) {
                        f.extend_from_slice(&buf[from..pos]);
                    }
                    u.copy_from = None;
                }
            }
            Role::Plain => {}
        }
        match self.stack.last_mut() {
            None => self.unit_done(buf),
            Some(Frame::Wrap { at, .. }) => *at = ObjAt::Next,
            Some(Frame::Array { next, copied, .. }) => {
                *next = true;
                if role == Role::Copied {
                    *copied = true;
                }
            }
            Some(_) => {}
        }
    }

    /// The unit ended at `pos`.
    fn unit_done(&mut self, buf: &[u8]) {
        let Some(mut u) = self.unit.take() else {
            return;
        };
        let pos = self.pos;
        match std::mem::replace(&mut u.fields, Fields::Dropped) {
            Fields::None if pos - u.start > self.limit => self.errors.push(FrameError {
                line: u.abs_line,
                offset: u.abs_offset,
                message: too_long(self.limit),
            }),
            Fields::None => self.items.push(Item::Value {
                start: u.start,
                end: pos,
                line: u.line,
            }),
            Fields::Copied(mut f) => {
                if let Some(from) = u.copy_from {
                    f.extend_from_slice(&buf[from..pos]);
                }
                if f.len() > self.limit {
                    self.errors.push(FrameError {
                        line: u.abs_line,
                        offset: u.abs_offset,
                        message: too_long(self.limit),
                    });
                } else {
                    self.fields_item(buf, &u, f);
                }
            }
            Fields::Dropped => {}
        }
    }
}

fn too_long(limit: usize) -> String {
    format!(
        "a JSON value longer than {limit} bytes (--max-record): its own fields are not read (records in its arrays of objects still are)"
    )
}

/// Where a bare value (a number, a literal, stray text) ends.
fn is_delimiter(b: u8) -> bool {
    matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n')
}

/// The records of a JSON chunk, as its framer found them.
pub fn parse_values(
    items: &[Item],
    decoding: FieldDecoding,
    chunk: &[u8],
    sink: &mut dyn RecordSink,
) {
    let mut rec = RecordBuf::default();
    for item in items {
        let (bytes, pos) = match item {
            Item::Value { start, end, line } => (
                chunk.get(*start..*end).unwrap_or_default(),
                Position {
                    line: *line,
                    offset: *start as u64,
                },
            ),
            Item::Fields { text, line, offset } => (
                text.as_slice(),
                Position {
                    line: *line,
                    offset: *offset,
                },
            ),
        };
        let (text, errors) = crate::decode::field(decoding, bytes);
        if errors {
            sink.error(pos, super::record::RecordError::Undecodable(decoding));
        }
        read_value(text.as_bytes(), pos, &mut rec, sink);
    }
}

/// Reads one JSON value as a record; one that is not JSON is reported and
/// read as the words of a text line.
fn read_value(text: &[u8], pos: Position, rec: &mut RecordBuf, sink: &mut dyn RecordSink) {
    rec.clear();
    match flatten(text, rec) {
        Ok(()) => {
            if !rec.is_blank() {
                sink.record(pos, rec);
            }
        }
        Err(e) => {
            sink.error(pos, super::record::RecordError::InvalidJson(e));
            // Keys and values of a broken object are still words: drop the
            // JSON punctuation so `"mobile":"139…"` yields `139…`.
            let text = String::from_utf8_lossy(text);
            let words: String = text
                .chars()
                .map(|c| {
                    if matches!(c, '{' | '}' | '[' | ']' | '"' | ':' | ',') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            rec.clear();
            super::text::split(&words, None, rec);
            if !rec.is_blank() {
                sink.record(pos, rec);
            }
        }
    }
}

/// Flattens one JSON value into `rec`'s fields.
fn flatten(text: &[u8], rec: &mut RecordBuf) -> Result<(), serde_json::Error> {
    let mut path = String::new();
    let mut de = serde_json::Deserializer::from_slice(text);
    Flatten {
        path: &mut path,
        rec,
    }
    .deserialize(&mut de)?;
    de.end()
}

/// serde_json (with `arbitrary_precision`) hands a number it keeps as
/// written to a visitor as a one-entry map under this key.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The wrappers of MongoDB extended JSON (canonical and relaxed) around one
/// scalar value: read as that value, under the key that holds them.
const EXTENDED_JSON: &[&str] = &[
    "$oid",
    "$numberLong",
    "$numberInt",
    "$numberDouble",
    "$numberDecimal",
    "$date",
    "$symbol",
    "$uuid",
];

/// Flattens a value at `path` into the record, as it is parsed.
struct Flatten<'a> {
    path: &'a mut String,
    rec: &'a mut RecordBuf,
}

impl Flatten<'_> {
    fn scalar(self, v: &str) {
        if self.path.is_empty() {
            self.rec.push(Column::None, v);
        } else {
            self.rec.push_keyed(self.path, v);
        }
    }
}

impl<'de> DeserializeSeed<'de> for Flatten<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Flatten<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.scalar(if v { "true" } else { "false" });
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.scalar(&v.to_string());
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.scalar(&v.to_string());
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.scalar(&v.to_string());
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.scalar(v);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let len = self.path.len();
            if len > 0 {
                self.path.push('.');
            }
            let _ = write!(self.path, "{i}");
            let more = seq.next_element_seed(Flatten {
                path: &mut *self.path,
                rec: &mut *self.rec,
            })?;
            self.path.truncate(len);
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut first = true;
        loop {
            let len = self.path.len();
            let key = map.next_key_seed(Key {
                path: &mut *self.path,
                first,
            })?;
            first = false;
            match key {
                None => return Ok(()),
                Some(KeyKind::Number) => {
                    let number: String = map.next_value()?;
                    Flatten {
                        path: &mut *self.path,
                        rec: &mut *self.rec,
                    }
                    .scalar(&number);
                }
                Some(KeyKind::Field) => {
                    map.next_value_seed(Flatten {
                        path: &mut *self.path,
                        rec: &mut *self.rec,
                    })?;
                }
            }
            self.path.truncate(len);
        }
    }
}

/// What a map key turned out to be.
enum KeyKind {
    /// A field: its name has been added to the path.
    Field,
    /// The map is how serde_json hands over a number as written.
    Number,
}

/// Reads a map key onto the path.
struct Key<'a> {
    path: &'a mut String,
    first: bool,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = KeyKind;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<KeyKind, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = KeyKind;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, k: &str) -> Result<KeyKind, E> {
        if self.first && k == NUMBER_TOKEN {
            return Ok(KeyKind::Number);
        }
        // MongoDB extended JSON (mongoexport): `{"$numberLong": "138…"}` is
        // the number itself, under the key that holds it.
        if self.first && EXTENDED_JSON.contains(&k) && !self.path.is_empty() {
            return Ok(KeyKind::Field);
        }
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(k);
        Ok(KeyKind::Field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::FieldDecoding;
    use crate::records::ChunkSpec;
    use crate::records::Format;

    thread_local! {
        /// The workers' errors of the last `framed` runs (line in chunk, message).
        static PARSE_ERRORS: std::cell::RefCell<Vec<(u64, String)>> = Default::default();
    }

    /// A record as the tests see it: line, byte, (key, value) fields.
    type Seen = (u64, u64, Vec<(String, String)>);

    #[derive(Default)]
    struct Collect {
        records: Vec<Seen>,
        errors: Vec<(u64, String)>,
    }

    impl RecordSink for Collect {
        fn record(&mut self, pos: Position, r: &RecordBuf) {
            let fields = r
                .fields()
                .map(|(c, v)| (r.key_text(c).to_string(), v.to_string()))
                .collect();
            self.records.push((pos.line, pos.offset, fields));
        }
        fn error(&mut self, pos: Position, e: crate::records::RecordError) {
            self.errors.push((pos.line, e.to_string()));
        }
    }

    fn spec(format: Format) -> ChunkSpec {
        ChunkSpec {
            format,
            decoding: FieldDecoding::Utf8,
            header_at: None,
            sql: None,
            fields: None,
            items: Vec::new(),
        }
    }

    /// Frames `text` into chunks of about `step` bytes and reads them all,
    /// as the scan does: (absolute line, byte, fields) of every record, and
    /// the framing errors.
    fn stream(text: &[u8], step: usize, limit: usize) -> (Vec<Seen>, Vec<FrameError>) {
        framed(text, step, limit, false)
    }

    /// The same, as JSON Lines.
    fn json_lines(text: &[u8]) -> (Vec<Seen>, Vec<FrameError>) {
        framed(text, 1 << 20, 1 << 20, true)
    }

    fn framed(text: &[u8], step: usize, limit: usize, lines: bool) -> (Vec<Seen>, Vec<FrameError>) {
        let mut framer = JsonFramer::new(limit, lines);
        let mut records = Vec::new();
        let mut errors = Vec::new();
        let (mut at, mut avail) = (0usize, 0usize);
        let (mut line_base, mut byte_base) = (0u64, 0u64);
        loop {
            avail = (avail + step).min(text.len() - at);
            let eof = at + avail == text.len();
            let Some(cut) = framer.next(&text[at..at + avail], eof) else {
                if eof {
                    break;
                }
                continue;
            };
            errors.extend(cut.errors);
            let mut s = spec(Format::Json);
            s.items = cut.items;
            let mut c = Collect::default();
            parse_values(&s.items, s.decoding, &text[at..at + cut.len], &mut c);
            PARSE_ERRORS.with(|e| e.borrow_mut().extend(c.errors.iter().cloned()));
            assert!(
                c.errors.iter().all(|e| e.1.contains("invalid JSON")),
                "{:?}",
                c.errors
            );
            for (l, o, f) in c.records {
                records.push((line_base + l, byte_base + o, f));
            }
            if let Some(w) = cut.wrapper {
                let mut s = spec(Format::Json);
                s.items = vec![Item::Fields {
                    text: w.text,
                    line: 0,
                    offset: 0,
                }];
                let mut c = Collect::default();
                parse_values(&s.items, s.decoding, b"", &mut c);
                for (_, _, f) in c.records {
                    records.push((w.line, w.offset, f));
                }
            }
            line_base += crate::records::lines::count(&text[at..at + cut.len]);
            byte_base += cut.len as u64;
            at += cut.len;
            avail -= cut.len;
            if at == text.len() {
                break;
            }
        }
        (records, errors)
    }

    fn fields(r: &[Seen]) -> Vec<Vec<(String, String)>> {
        r.iter().map(|(_, _, f)| f.clone()).collect()
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn lines_flatten_and_survive_bad_lines() {
        let input = "{\"user\":{\"name\":\"张三\",\"mobile\":13812345678},\"tags\":[\"a\"]}\n\nnot json 13912345678\n{\"id\":110105194912310029}\n";
        let (records, _) = json_lines(input.as_bytes());
        let c = Collect {
            records,
            errors: PARSE_ERRORS.with(|e| e.take()),
        };
        assert_eq!(c.records.len(), 3);
        assert_eq!(
            c.records[0].2,
            kv(&[
                ("user.name", "张三"),
                ("user.mobile", "13812345678"),
                ("tags.0", "a")
            ])
        );
        assert_eq!(c.records[1].0, 2);
        assert_eq!(c.records[1].2[2].1, "13912345678");
        assert_eq!(
            c.records[2].2[0].1, "110105194912310029",
            "big integers keep their digits"
        );
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.errors[0].0, 2);
    }

    #[test]
    fn numbers_are_kept_as_written() {
        let mut rec = RecordBuf::default();
        flatten(br#"{"a": 1.50, "b": -0, "c": 1e3, "d": 12345678901234567890123, "e": -7, "f": true, "g": null}"#, &mut rec).unwrap();
        let values: Vec<&str> = rec.fields().map(|(_, v)| v).collect();
        // (serde_json writes an exponent with its sign)
        assert_eq!(
            values,
            [
                "1.50",
                "-0",
                "1e+3",
                "12345678901234567890123",
                "-7",
                "true"
            ]
        );
    }

    /// mongoexport's extended JSON: the wrapped value under its own key.
    #[test]
    fn extended_json_wrappers_are_their_values() {
        let mut rec = RecordBuf::default();
        let doc = br#"{"_id": {"$oid": "5f1d7f3e9b1e8a3c4d5e6f70"}, "phone": {"$numberLong": "13812345678"}, "n": {"$numberInt": "7"}, "born": {"$date": "1990-03-07T00:00:00Z"}, "at": {"$date": {"$numberLong": "1577836800000"}}, "x": {"$oidish": "1"}, "$numberLong": "5"}"#;
        flatten(doc, &mut rec).unwrap();
        let fields: Vec<(String, &str)> = rec
            .fields()
            .map(|(c, v)| (rec.key_text(c).to_string(), v))
            .collect();
        assert_eq!(
            fields,
            [
                ("_id".to_string(), "5f1d7f3e9b1e8a3c4d5e6f70"),
                ("phone".into(), "13812345678"),
                ("n".into(), "7"),
                ("born".into(), "1990-03-07T00:00:00Z"),
                ("at".into(), "1577836800000"),
                ("x.$oidish".into(), "1"),
                ("$numberLong".into(), "5"),
            ]
        );
    }

    #[test]
    fn arrays_and_pretty_streams() {
        let input =
            "[\n  {\"name\": \"张三\", \"note\": \"a]b\\\"}\"},\n  {\"name\": \"李四\"}\n]\n";
        let (r, e) = stream(input.as_bytes(), 1 << 20, 1 << 20);
        assert!(e.is_empty());
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].2[1].1, "a]b\"}");
        assert_eq!((r[1].0, r[1].1), (2, 44));
        let stream_of = "{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n";
        let (r, _) = stream(stream_of.as_bytes(), 1 << 20, 1 << 20);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].0, 3);
    }

    #[test]
    fn export_wrappers_yield_their_records() {
        let input = r#"{"code": 0, "msg": "ok", "data": {"total": 2, "list": [{"name": "张三", "user": {"mobile": "13812345678"}}, {"name": "李四"}]}}"#;
        let (r, _) = stream(input.as_bytes(), 1 << 20, 1 << 20);
        assert_eq!(
            fields(&r),
            [
                kv(&[("name", "张三"), ("user.mobile", "13812345678")]),
                kv(&[("name", "李四")]),
                kv(&[("code", "0"), ("msg", "ok"), ("data.total", "2")]),
            ],
            "two list items and the wrapper's own fields, last"
        );
        // each element at its own place; the wrapper's fields at its start
        assert_eq!(r[0].1, 55);
        assert_eq!(r[2].1, 0);
        // the same on one JSON Lines line
        assert_eq!(json_lines(input.as_bytes()).0, r);
        // a plain object with no array of objects is one record
        let (r, _) = stream(
            r#"{"name": "张三", "tags": ["a", "b"]}"#.as_bytes(),
            1 << 20,
            1 << 20,
        );
        assert_eq!(r.len(), 1);
        // an array whose first element is not an object stays with its object
        let (r, _) = stream(br#"{"n": "x", "a": [1, {"b": 2}]}"#, 1 << 20, 1 << 20);
        assert_eq!(
            fields(&r),
            [kv(&[("n", "x"), ("a.0", "1"), ("a.1.b", "2")])]
        );
        // non-object elements of a record array stay with the wrapper
        let (r, _) = stream(
            br#"{"a": [{"b": 1}, 5, {"b": 2}, "x"], "z": 9}"#,
            1 << 20,
            1 << 20,
        );
        assert_eq!(
            fields(&r),
            [
                kv(&[("b", "1")]),
                kv(&[("b", "2")]),
                kv(&[("a.0", "5"), ("a.1", "x"), ("z", "9")])
            ]
        );
        // record arrays three keys deep, not four
        let (r, _) = stream(br#"{"a": {"b": {"c": [{"x": 1}]}}}"#, 1 << 20, 1 << 20);
        assert_eq!(fields(&r), [kv(&[("x", "1")])]);
        let (r, _) = stream(
            br#"{"a": {"b": {"c": {"d": [{"x": 1}]}}}}"#,
            1 << 20,
            1 << 20,
        );
        assert_eq!(fields(&r), [kv(&[("a.b.c.d.0.x", "1")])]);
    }

    /// Records, their order and their places do not depend on where the
    /// stream is cut, however small the pieces.
    #[test]
    fn records_do_not_depend_on_chunking() {
        let input = concat!(
            "\u{feff}[ {\"id\": 1, \"list\": [{\"m\": \"13812345678\"},\r\n {\"m\": \"x\\\"]}\"}, 7],\n \"t\": 2},\r",
            "  {\"plain\": [1, 2, {\"a\": [3]}]}, \"s\", 12, true, null,\n",
            "  {\"d\": {\"e\": [{\"f\": 1}, {\"f\": 2}]}, \"g\": \"h\"}\n",
            "] }} {\"after\": [\"stray\"]}\n{\"cut\": [{\"a\": 1}, {\"b\""
        );
        let (whole, whole_errors) = stream(input.as_bytes(), 1 << 20, 1 << 20);
        assert!(whole.len() >= 10, "{whole:?}");
        for step in 1..40 {
            let (r, e) = stream(input.as_bytes(), step, 1 << 20);
            assert_eq!(r, whole, "step {step}");
            assert_eq!(e, whole_errors, "step {step}");
        }
        // and as JSON Lines, where a line end also ends a value
        let (whole, whole_errors) = json_lines(input.as_bytes());
        assert!(whole.len() >= 10, "{whole:?}");
        for step in 1..40 {
            let (r, e) = framed(input.as_bytes(), step, 1 << 20, true);
            assert_eq!(r, whole, "lines, step {step}");
            assert_eq!(e, whole_errors, "lines, step {step}");
        }
    }

    /// Item 1 of issue 12: a stray `}` at the top level looped for ever.
    #[test]
    fn stray_closing_brackets_are_skipped_with_one_error() {
        let (r, e) = stream(b"{\"a\": 1}\n}}}\n{\"a\": 2}\n]", 4, 1 << 20);
        assert_eq!(r.len(), 2);
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].message.contains("`}` outside any JSON value"));
        assert_eq!((e[0].line, e[0].offset), (1, 9));
    }

    /// Found by the `scan_text` campaign (fuzz/README.md): a `}` where a
    /// record array's next element should be was started as an empty bare
    /// value, which ended at once, and the framer never moved on (a 12-byte
    /// input hung the scan). The `}` now ends the array (its `]` is
    /// missing) and closes the object.
    #[test]
    fn a_brace_closing_a_record_array_ends_it() {
        for step in [1, 3, 1 << 20] {
            for lines in [false, true] {
                // (its one element, `{""}`, is not JSON: an error, no record)
                let (r, e) = framed(b"{\"\":[{\"\"}\"\"}", step, 1 << 20, lines);
                assert_eq!(r.len(), 0, "step {step}");
                let parsed = PARSE_ERRORS.with(|p| p.take());
                assert!(!e.is_empty() || !parsed.is_empty());
                let (r, _) = framed(
                    b"{\"data\":[{\"name\":\"x\"}}\n{\"data\":[{\"name\":\"y\"} 1 }\n",
                    step,
                    1 << 20,
                    lines,
                );
                // x, y, and the second wrapper's own fields (its element `1`)
                assert_eq!(r.len(), 3, "step {step}: {r:?}");
            }
        }
    }

    /// A value longer than `--max-record` is skipped, not held; the records
    /// of a long wrapper's arrays are read whatever the limit.
    #[test]
    fn values_longer_than_the_limit_are_skipped() {
        let mut big = String::from("{\"note\": \"");
        big.push_str(&"x".repeat(1000));
        big.push_str("\", \"list\": [");
        for i in 0..50 {
            if i > 0 {
                big.push(',');
            }
            big.push_str(&format!("{{\"mobile\": \"138{i:08}\"}}"));
        }
        big.push_str("]}\n{\"a\": 1}\n");
        for step in [7, 64, 4096] {
            let (r, e) = stream(big.as_bytes(), step, 100);
            assert_eq!(r.len(), 51, "the list's records and the next value");
            assert_eq!(e.len(), 1, "{e:?}");
            assert!(e[0].message.contains("--max-record"));
            assert_eq!(e[0].offset, 0);
        }
        // a record element past the limit is skipped, its neighbours read
        let (r, e) = stream(
            br#"{"l": [{"a": 1}, {"b": "long long long long"}, {"c": 3}]}"#,
            5,
            16,
        );
        assert_eq!(fields(&r), [kv(&[("a", "1")]), kv(&[("c", "3")])]);
        assert_eq!(e.len(), 1, "the element: {e:?}");
        assert_eq!(e[0].offset, 17);
        // --max-record 1
        let (r, e) = stream(b"[{\"a\": 1}, {\"b\": 2}]", 3, 1);
        assert!(r.is_empty());
        assert_eq!(e.len(), 2);
    }

    /// A stream cut short: what came of the last value is read as words.
    #[test]
    fn a_stream_cut_short_reads_what_it_has() {
        let (r, _) = stream(b"[{\"a\": \"13812345678\"}, {\"b\": \"139123", 3, 1 << 20);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].2[1].1, "139123");
    }
}
