//! Value normalisation (SPEC §1.3): what makes two spellings of one value the
//! same value, for validation and for the dedup key.

/// Trims white space (including the ideographic space and a stray BOM) and
/// one pair of quotes around the whole value (`'张三'`, `N'张三'`, `"…"`,
/// `“…”`: dumps quoted with characters their format does not know), and
/// turns full-width ASCII forms into half-width. Borrows when nothing changes,
/// which is the common case, so the hot path does not allocate.
pub fn clean<'a>(v: &'a str, buf: &'a mut String) -> &'a str {
    let v = trim(v);
    // Full-width forms are U+FF01..U+FF5E (EF BC 81 … EF BD 9E) and U+3000
    // (E3 80 80): a value without those lead bytes has none.
    if memchr::memchr2(0xef, 0xe3, v.as_bytes()).is_none() || !v.chars().any(is_fullwidth) {
        return v;
    }
    buf.clear();
    for c in v.chars() {
        buf.push(to_halfwidth(c));
    }
    trim(buf)
}

fn trim(v: &str) -> &str {
    // Most values begin and end with a letter, digit or Han character: no
    // space or quote to take off.
    let mut cs = v.chars();
    if let (Some(first), Some(last)) = (cs.next(), cs.next_back()) {
        let second_is_quote = v.as_bytes().get(1) == Some(&b'\'');
        if plain_edge(first) && plain_edge(last) && !(first == 'N' && second_is_quote) {
            return v;
        }
    }
    let v = trim_space(v);
    let inner = v.strip_prefix("N'").and_then(|r| r.strip_suffix('\''));
    let inner = inner.or_else(|| {
        let mut cs = v.chars();
        let (first, last) = (cs.next()?, cs.next_back()?);
        let pair = matches!(
            (first, last),
            ('\'', '\'') | ('"', '"') | ('`', '`') | ('“', '”') | ('‘', '’') | ('「', '」')
        );
        pair.then(|| &v[first.len_utf8()..v.len() - last.len_utf8()])
    });
    inner.map_or(v, trim_space)
}

/// A character that is never trimmed: an ASCII letter or digit, or a common
/// Han character (the quick test; anything else goes the long way).
fn plain_edge(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn trim_space(v: &str) -> &str {
    v.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{3000}')
}

fn is_fullwidth(c: char) -> bool {
    ('\u{ff01}'..='\u{ff5e}').contains(&c) || c == '\u{3000}'
}

fn to_halfwidth(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        c => c,
    }
}

/// Values that mean "no value" in exported tables.
pub fn is_null_like(v: &str) -> bool {
    // Every null word is at most 6 bytes long.
    v.is_empty()
        || v.len() <= 6
            && matches!(
                v,
                "null"
                    | "NULL"
                    | "Null"
                    | "None"
                    | "none"
                    | "nil"
                    | "\\N"
                    | "-"
                    | "--"
                    | "—"
                    | "/"
                    | "N/A"
                    | "n/a"
                    | "NA"
                    | "nan"
                    | "NaN"
                    | "无"
                    | "空"
                    | "暂无"
                    | "未知"
                    | "[]"
                    | "{}"
            )
}

/// How a detector's values are compared in the dedup key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyForm {
    /// As cleaned.
    Plain,
    /// Phone: digits only, without a +86 / 0086 country prefix.
    Phone,
    /// Resident ID: check letter upper-cased.
    Upper,
    /// E-mail: lower-cased.
    Lower,
    /// Card numbers: digits only.
    Digits,
    /// Document numbers written with or without their check character in
    /// parentheses (`A123456(3)`, `A1234563`): letters and digits only,
    /// upper-cased.
    UpperAlnum,
}

/// Writes the key form of a cleaned value into `buf` (bytes of UTF-8: the
/// key is only hashed). Only ASCII bytes change, so it works on bytes.
pub fn key_form(form: KeyForm, v: &str, buf: &mut Vec<u8>) {
    buf.clear();
    let b = v.as_bytes();
    match form {
        KeyForm::Plain => buf.extend_from_slice(b),
        KeyForm::Upper => {
            buf.extend_from_slice(b);
            buf.make_ascii_uppercase();
        }
        KeyForm::Lower => {
            buf.extend_from_slice(b);
            buf.make_ascii_lowercase();
        }
        KeyForm::Digits => buf.extend(b.iter().filter(|c| c.is_ascii_digit())),
        KeyForm::UpperAlnum => buf.extend(
            b.iter()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(u8::to_ascii_uppercase),
        ),
        KeyForm::Phone => {
            buf.extend(b.iter().filter(|c| c.is_ascii_digit()));
            let n = buf.len();
            let skip = if n == 15 && v.trim_start_matches('+').starts_with("0086") {
                4
            } else if n == 13 && v.trim_start_matches(['+', ' ']).starts_with("86") {
                2
            } else {
                0
            };
            buf.drain(..skip);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(v: &str) -> String {
        let mut buf = String::new();
        clean(v, &mut buf).to_string()
    }

    fn keyed(form: KeyForm, v: &str) -> String {
        let mut buf = Vec::new();
        key_form(form, &cleaned(v), &mut buf);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn full_width_and_trim() {
        assert_eq!(cleaned("  １３８１２３４５６７８ "), "13812345678");
        assert_eq!(cleaned("\u{3000}张三\u{3000}"), "张三");
        assert_eq!(cleaned("\u{feff}abc"), "abc");
        assert_eq!(
            cleaned("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            "zhang@example.com"
        );
    }

    #[test]
    fn phone_forms_agree() {
        for v in [
            "13812345678",
            "+86 138 1234 5678",
            "+8613812345678",
            "0086-13812345678",
            "008613812345678",
            "86 13812345678",
            "138-1234-5678",
            "１３８１２３４５６７８",
        ] {
            assert_eq!(keyed(KeyForm::Phone, v), "13812345678", "{v}");
        }
        assert_eq!(keyed(KeyForm::Phone, "010-62345678"), "01062345678");
    }

    #[test]
    fn id_and_email_case() {
        assert_eq!(
            keyed(KeyForm::Upper, "11010519491231002x"),
            "11010519491231002X"
        );
        assert_eq!(
            keyed(KeyForm::Lower, "Li.Na@Example.COM"),
            "li.na@example.com"
        );
        assert_eq!(
            keyed(KeyForm::Digits, "6222 0202 0011 2233 445"),
            "6222020200112233445"
        );
    }

    #[test]
    fn null_like() {
        for v in ["", "NULL", "\\N", "-", "无", "N/A"] {
            assert!(is_null_like(v), "{v}");
        }
        assert!(!is_null_like("0"));
        assert!(!is_null_like("张三"));
    }

    #[test]
    fn quotes_around_a_whole_value_are_not_part_of_it() {
        let mut buf = String::new();
        for (raw, want) in [
            ("'张三'", "张三"),
            ("N'张三'", "张三"),
            ("\"13812345678\"", "13812345678"),
            (" ‘110101199003071234’ ", "110101199003071234"),
            ("「李四」", "李四"),
            ("'", "'"),
            ("''", ""),
            ("O'Brien", "O'Brien"),
            ("'a", "'a"),
        ] {
            assert_eq!(clean(raw, &mut buf), want, "{raw}");
        }
    }
}
