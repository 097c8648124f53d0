//! Masking: personal data never reaches a terminal, a log, a report or an
//! evidence table unmasked unless the user asked for `--reveal`.
//!
//! One rule per kind of identifier, used by every output, so that the same
//! value always looks the same wherever it is shown: `138****1234`,
//! `1101**********123X`, `张*`.

/// How a value of one kind of identifier or attribute is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

#[cfg(test)]
mod tests {
    use super::{mask, Mask};

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
