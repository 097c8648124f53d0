//! Names as reports show them: lossless, whatever bytes a file system or an
//! archive put in them.
//!
//! A name that is UTF-8 is shown as it is. A byte that is not part of UTF-8
//! is shown as `\xNN`, and a backslash that could be read as the start of
//! such an escape (`\x` and two hex digits, or a second backslash) is
//! doubled, so two different names never show the same (`x\xff` the file
//! name of five characters is `x\\xff`; the name of `x` and byte 0xff is
//! `x\xff`).

use std::fmt::Write as _;

/// The name of `bytes`, escaped where needed (see the module comment).
pub fn escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let mut rest = valid;
        while let Some(i) = rest.find('\\') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            // doubled when what follows could be read with it as an escape
            // (an escaped byte comes next when the valid part ends here)
            let escape_next = after.is_empty() && !chunk.invalid().is_empty();
            if escape_next || after.starts_with('\\') || looks_escaped(after) {
                out.push('\\');
            }
            out.push('\\');
            rest = after;
        }
        out.push_str(rest);
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// Whether `s` starts like the rest of an escape: `x` and two hex digits.
fn looks_escaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[0] == b'x' && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit()
}

/// A path as reports show it.
pub fn of_path(p: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    escaped(p.as_os_str().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_names_are_shown_as_they_are() {
        assert_eq!(escaped("客户/张三.csv".as_bytes()), "客户/张三.csv");
        assert_eq!(escaped(br"dir\file.csv"), r"dir\file.csv");
    }

    #[test]
    fn other_bytes_are_escaped_and_names_never_collide() {
        assert_eq!(escaped(b"x\xff"), r"x\xff");
        assert_eq!(escaped(b"x\xfe"), r"x\xfe");
        // the five-character name `x\xff` is not the name of x and 0xff
        assert_eq!(escaped(br"x\xff"), r"x\\xff");
        assert_eq!(escaped(br"a\\b"), r"a\\\b");
        let names: [&[u8]; 6] = [
            b"x\xff",
            br"x\xff",
            br"x\\xff",
            b"x\\\xff",
            b"x\xff\xfe",
            br"x\",
        ];
        let shown: std::collections::HashSet<String> = names.iter().map(|n| escaped(n)).collect();
        assert_eq!(shown.len(), names.len(), "{shown:?}");
        // GBK bytes of a name a Chinese system wrote are escaped, not lost
        assert_eq!(escaped(b"\xd5\xc5.csv"), r"\xd5\xc5.csv");
    }
}
