//! Decoding (SPEC §3): which encoding a file is in, and turning its bytes into
//! UTF-8 so that nothing after this stage sees a non-UTF-8 byte.
//!
//! UTF-8 and GBK/GB18030 are decoded per field, after record boundaries are
//! found on the raw bytes: every structural byte of CSV and JSON (`,` `"` `\n`
//! `{` …) is ASCII and never a GBK trail byte, so positions stay the file's own
//! byte offsets. UTF-16 is transcoded to UTF-8 as a stream first.

mod utf16;

use std::borrow::Cow;
use std::io::Read;

pub use utf16::Realigned;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};
use serde::Serialize;

/// Also the `--encoding` values (`clap::ValueEnum`; aliases accepted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// UTF-8 with a byte-order mark.
    #[serde(rename = "utf-8-bom")]
    #[value(name = "utf-8-bom", alias = "utf8-bom")]
    Utf8Bom,
    /// GBK and GB18030 (one decoder: GB18030 is a superset of GBK).
    #[serde(rename = "gbk")]
    #[value(name = "gbk", alias = "gb18030", alias = "gb2312", alias = "cp936")]
    Gbk,
    #[serde(rename = "utf-16le")]
    #[value(name = "utf-16le", alias = "utf16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    #[value(name = "utf-16be", alias = "utf16be")]
    Utf16Be,
}

impl Encoding {
    pub fn key(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Gbk => "gbk",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }

    /// Is the byte stream after this stage UTF-8-shaped (possibly GBK inside
    /// fields)? UTF-16 is transcoded before records are framed.
    pub fn is_utf16(self) -> bool {
        matches!(self, Encoding::Utf16Le | Encoding::Utf16Be)
    }
}

/// Detects the encoding from the first bytes of a file. `complete` says the
/// sample is the whole file (so a truncated last character is an error).
pub fn sniff(sample: &[u8], complete: bool) -> Encoding {
    if sample.starts_with(&[0xef, 0xbb, 0xbf]) {
        return Encoding::Utf8Bom;
    }
    if sample.starts_with(&[0xff, 0xfe]) {
        return Encoding::Utf16Le;
    }
    if sample.starts_with(&[0xfe, 0xff]) {
        return Encoding::Utf16Be;
    }
    // UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte.
    let head = &sample[..sample.len().min(4096)];
    if head.len() >= 8 {
        let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
        let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let half = head.len() / 2;
        if odd * 10 > half * 3 && even * 10 < half {
            return Encoding::Utf16Le;
        }
        if even * 10 > half * 3 && odd * 10 < half {
            return Encoding::Utf16Be;
        }
    }
    // UTF-8 unless invalid sequences are common: one stray byte in a UTF-8
    // file must not turn its Chinese into GBK mojibake (such rows fall back
    // to GBK one field at a time, see `field`).
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut chunks = sample.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        let cut_at_end = chunks.peek().is_none() && !complete;
        if !chunk.invalid().is_empty() && !cut_at_end {
            invalid += 1;
        }
    }
    if invalid == 0 || valid >= 4 * invalid {
        Encoding::Utf8
    } else {
        Encoding::Gbk
    }
}

/// How the fields of a chunk are turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldDecoding {
    /// UTF-8; a field that is not is tried as GB18030 (GBK rows in a UTF-8 dump).
    Utf8,
    /// GB18030; a field that is not, but is valid UTF-8, is read as UTF-8.
    Gbk,
    /// The stream was transcoded to UTF-8 already from this encoding
    /// (UTF-16, or GBK whose trail bytes could be taken for structure);
    /// U+FFFD marks undecodable input.
    Transcoded(Encoding),
}

impl FieldDecoding {
    pub fn of(enc: Encoding, transcoded: bool) -> FieldDecoding {
        if transcoded || enc.is_utf16() {
            FieldDecoding::Transcoded(enc)
        } else if enc == Encoding::Gbk {
            FieldDecoding::Gbk
        } else {
            FieldDecoding::Utf8
        }
    }
}

/// Wraps a reader so that it yields UTF-8 (for UTF-16, and for GBK when
/// `transcode_gbk`). `bom` bytes of a UTF-8 BOM are skipped; the UTF-16
/// decoder handles its own. UTF-16 that lost or gained a byte is realigned
/// on the way (see `utf16`): where, is in the `Realigned` list.
pub fn reader<'a, R: Read + 'a>(
    enc: Encoding,
    transcode_gbk: bool,
    bom: usize,
    mut inner: R,
) -> std::io::Result<(Box<dyn Read + 'a>, Option<Realigned>)> {
    let decoder = |e, inner: Box<dyn Read + 'a>| -> Box<dyn Read + 'a> {
        Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(e))
                .bom_override(true)
                .build(inner),
        )
    };
    Ok(match enc {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let le = enc == Encoding::Utf16Le;
            let (realign, at) = utf16::Realign::new(inner, le);
            let e = if le { UTF_16LE } else { UTF_16BE };
            (decoder(e, Box::new(realign)), Some(at))
        }
        Encoding::Gbk if transcode_gbk => (decoder(GB18030, Box::new(inner)), None),
        _ => {
            let mut skip = vec![0u8; bom];
            if !skip.is_empty() {
                inner.read_exact(&mut skip)?;
            }
            (Box::new(inner), None)
        }
    })
}

/// The error for a record some of whose bytes could not be decoded (and were
/// replaced), in the words of the encoding they were read as.
pub fn undecodable(dec: FieldDecoding) -> &'static str {
    match dec {
        FieldDecoding::Utf8 | FieldDecoding::Gbk => {
            "bytes that are neither UTF-8 nor GBK (replaced)"
        }
        FieldDecoding::Transcoded(Encoding::Utf16Le | Encoding::Utf16Be) => {
            "bytes that are not valid UTF-16 (replaced)"
        }
        FieldDecoding::Transcoded(_) => "bytes that are not valid GBK/GB18030 (replaced)",
    }
}

impl FieldDecoding {
    /// Byte offsets in the text are the file's own (it was not transcoded).
    pub fn keeps_offsets(self) -> bool {
        !matches!(self, FieldDecoding::Transcoded(_))
    }
}

/// Decodes one field. Returns the text and whether bytes had to be replaced.
///
/// A file detected as UTF-8 may still hold GBK rows (dumps get concatenated):
/// a field that is not valid UTF-8 is tried as GB18030 before giving up.
pub fn field(dec: FieldDecoding, bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if dec == FieldDecoding::Utf8 || bytes.is_ascii() {
        // ASCII is the same in every decoding; UTF-8 input is checked once.
        if let Ok(s) = std::str::from_utf8(bytes) {
            return (Cow::Borrowed(s), false);
        }
    }
    match dec {
        FieldDecoding::Transcoded(_) => {
            let text = String::from_utf8_lossy(bytes);
            let bad = text.contains('\u{fffd}');
            (text, bad)
        }
        FieldDecoding::Gbk => {
            let (text, errors) = GB18030.decode_without_bom_handling(bytes);
            if errors {
                // A GBK file may also hold UTF-8 rows.
                if let Ok(s) = std::str::from_utf8(bytes) {
                    return (Cow::Borrowed(s), false);
                }
            }
            (text, errors)
        }
        FieldDecoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), false),
            Err(_) => GB18030.decode_without_bom_handling(bytes),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        GB18030.encode(s).0.into_owned()
    }

    #[test]
    fn sniffs_boms_and_content() {
        assert_eq!(sniff(b"\xef\xbb\xbfname", true), Encoding::Utf8Bom);
        assert_eq!(sniff(b"\xff\xfen\x00", true), Encoding::Utf16Le);
        assert_eq!(sniff(b"\xfe\xff\x00n", true), Encoding::Utf16Be);
        assert_eq!(
            sniff("姓名,手机号\n张三,13812345678\n".as_bytes(), true),
            Encoding::Utf8
        );
        assert_eq!(
            sniff(&gbk("姓名,手机号\n张三,13812345678\n"), true),
            Encoding::Gbk
        );
        let le: Vec<u8> = "name,phone\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(sniff(&le, true), Encoding::Utf16Le);
        let be: Vec<u8> = "name,phone\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(sniff(&be, true), Encoding::Utf16Be);
    }

    #[test]
    fn a_cut_character_at_the_sample_end_is_still_utf8() {
        let s = "张三".as_bytes();
        assert_eq!(sniff(&s[..4], false), Encoding::Utf8);
        assert_eq!(sniff(&s[..4], true), Encoding::Gbk);
    }

    #[test]
    fn one_stray_byte_does_not_make_a_utf8_file_gbk() {
        let mut text = "姓名,手机号\n张三,13812345678\n李四,13912345678\n"
            .as_bytes()
            .to_vec();
        text.extend(b"bad\xff\n");
        assert_eq!(sniff(&text, true), Encoding::Utf8);
        // GBK text is mostly invalid UTF-8
        assert_eq!(
            sniff(
                &gbk("姓名,手机号\n张三,13812345678\n李四,13912345678\n"),
                true
            ),
            Encoding::Gbk
        );
    }

    #[test]
    fn fields_decode_and_fall_back() {
        assert_eq!(field(FieldDecoding::Gbk, &gbk("张三")).0, "张三");
        assert_eq!(field(FieldDecoding::Utf8, "张三".as_bytes()).0, "张三");
        assert!(
            field(
                FieldDecoding::Transcoded(Encoding::Utf16Le),
                "a\u{fffd}b".as_bytes()
            )
            .1
        );
        // a GBK row inside a UTF-8 file
        let bytes = gbk("北京市朝阳区");
        let (t, bad) = field(FieldDecoding::Utf8, &bytes);
        assert_eq!((t.as_ref(), bad), ("北京市朝阳区", false));
        // undecodable in both: replaced, and reported
        let (_, bad) = field(FieldDecoding::Utf8, b"\xff\xff\xff");
        assert!(bad);
    }

    #[test]
    fn utf16_reader_transcodes() {
        let mut le: Vec<u8> = vec![0xff, 0xfe];
        le.extend("姓名\n张三\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut out = String::new();
        reader(Encoding::Utf16Le, false, 0, &le[..])
            .unwrap()
            .0
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "姓名\n张三\n");
        let mut out = String::new();
        reader(Encoding::Utf8Bom, false, 3, &b"\xef\xbb\xbfabc"[..])
            .unwrap()
            .0
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "abc");
        // GBK whose trail bytes include `\\` and `|` (淺 = 9C 5C, 瑋 = AC 7C)
        let mut out = String::new();
        reader(Encoding::Gbk, true, 0, &gbk("淺|瑋")[..])
            .unwrap()
            .0
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "淺|瑋");
    }
}
