//! Masking: personal data never reaches a terminal, a log, a report or an
//! evidence table unmasked unless the user asked for `--reveal`.
//!
//! One rule per kind of identifier, used by every output, so that the same
//! value always looks the same wherever it is shown: `138****1234`,
//! `1101**********123X`, `张*`.

/// How a value of one kind of identifier or attribute is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mask {
    /// Mobile number: the first 3 and last 4 digits, `138****1234`.
    Mobile,
    /// Resident ID: the region's first 4 and the last 4, `1101**********123X`.
    ResidentId,
    /// Bank card: the issuer's first 6 and the last 4, `622202******1234`.
    BankCard,
    /// E-mail: the first character of the local part and the domain,
    /// `z****@example.com`.
    Email,
    /// Personal name: the surname's first character, `张*`, `欧***`.
    Name,
    /// Address: the first 3 characters (the province or city), `北京市********`.
    Address,
    /// Account ids, document and device numbers, plates: the first 2 and the
    /// last 2 characters of a value of 7 or more, else the first one.
    Account,
    /// Any other attribute (birth date, employer, job title): the first character.
    Other,
}

impl Mask {
    pub fn apply(self, v: &str) -> String {
        let v = v.trim();
        match self {
            Mask::Mobile => {
                let digits: String = v.chars().filter(char::is_ascii_digit).collect();
                // +86 / 0086 prefixes are not part of the number.
                let n = digits
                    .strip_prefix("0086")
                    .or_else(|| digits.strip_prefix("86").filter(|d| d.len() == 11))
                    .unwrap_or(&digits);
                if n.len() == 11 {
                    keep(n, 3, 4)
                } else {
                    Mask::Account.apply(v)
                }
            }
            Mask::ResidentId => keep(v, 4, 4),
            Mask::BankCard => {
                let digits: String = v
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '-')
                    .collect();
                if digits.chars().count() >= 12 {
                    keep(&digits, 6, 4)
                } else {
                    Mask::Account.apply(&digits)
                }
            }
            Mask::Email => match v.split_once('@') {
                Some((local, domain)) => {
                    let first: String = local.chars().take(1).collect();
                    format!("{first}****@{domain}")
                }
                None => Mask::Account.apply(v),
            },
            Mask::Name => keep(v, 1, 0),
            Mask::Address => keep(v, 3, 0),
            Mask::Account => {
                if v.chars().count() >= 7 {
                    keep(v, 2, 2)
                } else {
                    keep(v, 1, 0)
                }
            }
            Mask::Other => keep(v, 1, 0),
        }
    }
}

/// Keeps the first `start` and the last `end` characters and stars the rest.
/// A value too short for that keeps only its first third, so no value is
/// ever shown whole.
fn keep(v: &str, start: usize, end: usize) -> String {
    let n = v.chars().count();
    let (start, end) = if start + end >= n {
        (n / 3, 0)
    } else {
        (start, end)
    };
    v.chars()
        .enumerate()
        .map(|(i, c)| if i < start || i + end >= n { c } else { '*' })
        .collect()
}

/// Masks a value whose kind is not known (`patterns check VALUE`) by its
/// shape: the rule of the identifier it looks like.
pub fn mask(v: &str) -> String {
    let t = v.trim();
    let rule = if t.contains('@') {
        Mask::Email
    } else if t
        .chars()
        .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x')
    {
        match t.len() {
            11 if t.starts_with('1') => Mask::Mobile,
            15 | 18 => Mask::ResidentId,
            16..=19 => Mask::BankCard,
            _ => Mask::Account,
        }
    } else if t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+-_ ".contains(c))
    {
        Mask::Account
    } else if t.chars().count() <= 4 {
        Mask::Name
    } else {
        Mask::Address
    };
    rule.apply(t)
}

/// Masks the identifiers inside a name or a message (a file, zip entry,
/// sheet or table name, a path, an error): runs of digits shaped like a
/// mobile (11 digits from `1`), a resident ID (15 or 18, or 17 and a check
/// character, with a birth date where it belongs) or a bank card (16 or 19
/// digits passing Luhn), and e-mail addresses, each by its
/// rule; everything else stays, so a path stays recognisable:
/// `dump/138****5678-orders.csv`. Other numbers (sizes, offsets, line
/// numbers) are kept: their lengths are not an identifier's, or a name
/// would be masked by their size.
pub fn mask_names(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    if !b.contains(&b'@') && longest_digit_run(b) < 11 {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let digits = j - i;
            // a resident ID's check character
            let x = digits == 17 && matches!(b.get(j), Some(b'X' | b'x'));
            let end = if x { j + 1 } else { j };
            let run = &text[i..end];
            let rule = match (digits, x) {
                (11, _) if c == b'1' => Some(Mask::Mobile),
                (15 | 18, _) | (17, true) if id_shaped(run) => Some(Mask::ResidentId),
                (16 | 19, false) if super::validate::digits::luhn(run.as_bytes()) => {
                    Some(Mask::BankCard)
                }
                _ => None,
            };
            match rule {
                Some(r) => out.push_str(&r.apply(run)),
                None => out.push_str(run),
            }
            i = end;
            continue;
        }
        if c == b'@' {
            // the local part is what was pushed since the last non-address
            // character; the domain follows
            let local_start = out
                .char_indices()
                .rev()
                .take_while(|(_, ch)| is_local(*ch))
                .last()
                .map(|(k, _)| k);
            let domain_len = b[i + 1..]
                .iter()
                .take_while(|d| d.is_ascii_alphanumeric() || matches!(d, b'.' | b'-'))
                .count();
            if let (Some(k), true) = (local_start, domain_len > 0) {
                let local: String = out[k..].to_string();
                out.truncate(k);
                let domain = &text[i + 1..i + 1 + domain_len];
                out.push_str(&Mask::Email.apply(&format!("{local}@{domain}")));
                i += 1 + domain_len;
                continue;
            }
        }
        // one character (whole, not a byte of it)
        let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + ch_len]);
        i += ch_len;
    }
    std::borrow::Cow::Owned(out)
}

/// A resident ID's shape: a birth date where the 15- or 18-digit form has
/// one (`YYMMDD` / `YYYYMMDD` after the 6-digit region). A size or an
/// offset of that length rarely has one; an ID with a wrong check digit
/// still does.
fn id_shaped(run: &str) -> bool {
    let b = run.as_bytes();
    let date = match b.len() {
        15 => b.get(6..12).map(|d| [b"19", d].concat()),
        18 => b.get(6..14).map(<[u8]>::to_vec),
        _ => None,
    };
    let Some(d) = date else { return false };
    let num = |r: std::ops::Range<usize>| {
        d.get(r)
            .and_then(|x| std::str::from_utf8(x).ok())
            .and_then(|x| x.parse::<u32>().ok())
    };
    matches!(
        (num(0..4), num(4..6), num(6..8)),
        (Some(1900..=2099), Some(1..=12), Some(1..=31))
    )
}

fn is_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-=".contains(c)
}

fn longest_digit_run(b: &[u8]) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in b {
        if c.is_ascii_digit() {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::mask_names;
    use super::{mask, Mask};

    #[test]
    fn names_keep_their_shape_and_lose_their_identifiers() {
        assert_eq!(
            mask_names("dump/13812345678-orders.csv"),
            "dump/138****5678-orders.csv"
        );
        assert_eq!(
            mask_names("x.zip!客户11010519491231002X.xlsx"),
            "x.zip!客户1101**********002X.xlsx"
        );
        assert_eq!(
            mask_names("6222021234567890128.txt"),
            "622202*********0128.txt"
        );
        // (not Luhn: a number, not a card)
        assert_eq!(
            mask_names("6222021234567890123.txt"),
            "6222021234567890123.txt"
        );
        assert_eq!(mask_names("from zw88@qq.com.csv"), "from z****@qq.com.csv");
        // sizes, offsets, line numbers and dates stay
        for kept in [
            "line 12, byte 1099511627776",
            "2024-03-01 12:12:07",
            "expanded past 1099511627776 bytes",
            "a compressed buffer declares 22517998141046784 bytes",
            "layout size 3377731182105969",
            "offset 123456789012345678",
            "no at sign @ here",
            "23800000000",
        ] {
            assert_eq!(mask_names(kept), kept);
        }
        // a run longer than any identifier is not one
        assert_eq!(mask_names("12345678901234567890"), "12345678901234567890");
    }

    #[test]
    fn one_rule_per_kind() {
        assert_eq!(Mask::Mobile.apply("13812341234"), "138****1234");
        assert_eq!(Mask::Mobile.apply("+86 138-1234-1234"), "138****1234");
        assert_eq!(Mask::Mobile.apply("008613812341234"), "138****1234");
        assert_eq!(
            Mask::ResidentId.apply("11010519491231123X"),
            "1101**********123X"
        );
        assert_eq!(Mask::ResidentId.apply("110105491231123"), "1101*******1123");
        assert_eq!(
            Mask::BankCard.apply("6222021234567891234"),
            "622202*********1234"
        );
        assert_eq!(Mask::Email.apply("zhang@example.com"), "z****@example.com");
        assert_eq!(Mask::Name.apply("张三"), "张*");
        assert_eq!(Mask::Name.apply("欧阳娜娜"), "欧***");
        assert_eq!(
            Mask::Address.apply("北京市朝阳区建国路88号"),
            "北京市*********"
        );
        assert_eq!(Mask::Account.apply("wxid_abc12345"), "wx*********45");
        assert_eq!(Mask::Account.apply("12345"), "1****");
        assert_eq!(Mask::Other.apply("1990-01-01"), "1*********");
        assert_eq!(Mask::Name.apply(""), "");
    }

    #[test]
    fn short_values_are_never_shown_whole() {
        for rule in [
            Mask::Mobile,
            Mask::ResidentId,
            Mask::BankCard,
            Mask::Email,
            Mask::Name,
            Mask::Address,
            Mask::Account,
            Mask::Other,
        ] {
            for v in ["1", "12", "123", "1234", "12345", "123456"] {
                let m = rule.apply(v);
                assert!(m.contains('*'), "{rule:?} {v} -> {m}");
                assert_eq!(m.chars().count(), v.len(), "{rule:?} {v} -> {m}");
            }
        }
    }

    #[test]
    fn unknown_values_take_the_rule_of_their_shape() {
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("11010519491231002X"), "1101**********002X");
        assert_eq!(mask("张三"), "张*");
        assert_eq!(mask("zhang@example.com"), "z****@example.com");
        assert_eq!(mask(""), "");
    }
}
