//! Bank card numbers (ISO/IEC 7812 PAN, Luhn).

use super::check::{Check, Facet, Reason, Validator};
use super::digits::{luhn, prefix_num, scan_digits, Digits};
use crate::detect::mask::Mask;
use crate::detect::normalize::KeyForm;

/// The digits of a payment card number (ISO/IEC 7812 PAN): spaces and dashes
/// are removed, and 13..=19 ASCII digits must remain. Returns a buffer and the
/// number of digits used in it.
pub fn card_digits(s: &str) -> Option<([u8; 19], usize)> {
    match scan_digits::<19>(s) {
        Digits::Ok(buf, n) if n >= 13 => Some((buf, n)),
        _ => None,
    }
}

/// The card schemes issued in the PRC, by issuer identification number
/// (ISO/IEC 7812 IIN/BIN prefix) and the lengths each scheme issues (the
/// schemes' published ranges): a number with a scheme's prefix but another
/// length is not that scheme's card.
///
/// | scheme | prefix | lengths |
/// |---|---|---|
/// | UnionPay | 62, 81 | 16–19 |
/// | Visa | 4 | 13, 16, 19 |
/// | Mastercard | 51–55, 2221–2720 | 16 |
/// | American Express | 34, 37 | 15 |
/// | JCB | 3528–3589 | 16–19 |
/// | Discover | 6011, 65 | 16–19 |
///
/// Prefixes `60` (other than 6011) and `9` (some domestic debit ranges) are
/// deliberately not accepted: header-less numeric columns starting with them
/// are usually not cards.
const SCHEMES: [(&str, u32, u32, &[usize]); 9] = [
    ("UnionPay", 62, 62, &[16, 17, 18, 19]),
    ("UnionPay", 81, 81, &[16, 17, 18, 19]),
    ("Visa", 4, 4, &[13, 16, 19]),
    ("Mastercard", 51, 55, &[16]),
    ("Mastercard", 2221, 2720, &[16]),
    ("American Express", 34, 34, &[15]),
    ("American Express", 37, 37, &[15]),
    ("JCB", 3528, 3589, &[16, 17, 18, 19]),
    ("Discover", 6011, 6011, &[16, 17, 18, 19]),
];

/// Discover's two-digit range (65), after the table's four-digit 6011.
const DISCOVER_65: (u32, &[usize]) = (65, &[16, 17, 18, 19]);

/// `true` when the digits have the prefix and a length of a scheme issued
/// in the PRC (see [`SCHEMES`]).
pub fn known_bin(digits: &[u8]) -> bool {
    let n = digits.len();
    let fits = |lo: u32, hi: u32, lengths: &[usize]| {
        let k = match lo {
            0..=9 => 1,
            10..=99 => 2,
            100..=999 => 3,
            _ => 4,
        };
        lengths.contains(&n) && prefix_num(digits, k).is_some_and(|p| (lo..=hi).contains(&p))
    };
    SCHEMES
        .iter()
        .any(|&(_, lo, hi, lengths)| fits(lo, hi, lengths))
        || fits(DISCOVER_65.0, DISCOVER_65.0, DISCOVER_65.1)
}

/// Validate a bank card number: spaces/dashes removed, 13..=19 digits
/// (`CardLength`; fewer than 16 only with the prefix of a scheme that issues
/// that length, as 15-digit American Express and 13-digit Visa), when
/// `require_bin` the prefix and length of a scheme of [`SCHEMES`]
/// (`CardIssuer`), and the Luhn check digit (ISO/IEC 7812-1, `CardLuhn`).
/// A value with any other character is `NotCard`.
pub fn bank_card(s: &str, require_bin: bool) -> Check {
    let (buf, n) = match scan_digits::<19>(s) {
        Digits::Junk => return Check::Invalid(Reason::NotCard),
        Digits::TooLong => return Check::Invalid(Reason::CardLength),
        Digits::Ok(buf, n) => (buf, n),
    };
    let d = &buf[..n];
    if n < 13 || (n < 16 && !known_bin(d)) {
        return Check::Invalid(Reason::CardLength);
    }
    if require_bin && !known_bin(d) {
        return Check::Invalid(Reason::CardIssuer);
    }
    if !luhn(d) {
        return Check::Invalid(Reason::CardLuhn);
    }
    Check::Valid
}

/// `validator = "bank_card"`.
struct BankCard;

impl Validator for BankCard {
    fn name(&self) -> &'static str {
        "bank_card"
    }
    fn validate(&self, v: &str) -> Check {
        bank_card(v, false)
    }
    /// By value only a known issuer prefix and a right Luhn digit: a
    /// 16-digit number that fails is just a number.
    fn detect(&self, v: &str) -> Option<Check> {
        bank_card(v, true).valid_or_none()
    }
    fn attempted(&self, v: &str) -> bool {
        super::digits::has_digit(v)
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::Digits
    }
    fn mask(&self) -> Option<Mask> {
        Some(Mask::BankCard)
    }
    fn facet(&self) -> Facet {
        Facet::BankCard
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[&BankCard];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::validate::testing::*;

    #[test]
    fn luhn_basics() {
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"79927398710"));
        assert!(luhn(b"0"));
        assert!(!luhn(b""));
        assert!(!luhn(b"7992739871a"));
        assert!(!luhn("７９".as_bytes()));
        assert!(luhn(b"4111111111111111"));
    }

    #[test]
    fn bank_card_values() {
        let unionpay16 = with_luhn("622202123456789");
        let unionpay19 = with_luhn("621700123456789012");
        let visa = "4111111111111111".to_string();
        let master = "5500000000000004".to_string();
        let master2 = with_luhn("222100000000000");
        let jcb = with_luhn("353011133330000");
        let up81 = with_luhn("810000123456789");
        for c in [
            &unionpay16,
            &unionpay19,
            &visa,
            &master,
            &master2,
            &jcb,
            &up81,
        ] {
            assert_eq!(bank_card(c, true), Check::Valid, "{c}");
            assert_eq!(bank_card(c, false), Check::Valid, "{c}");
        }
        assert_eq!(unionpay16.len(), 16);
        assert_eq!(unionpay19.len(), 19);
        // with separators
        let spaced = format!(
            "{} {} {} {}",
            &unionpay16[..4],
            &unionpay16[4..8],
            &unionpay16[8..12],
            &unionpay16[12..]
        );
        assert_eq!(bank_card(&spaced, true), Check::Valid);
        assert_eq!(bank_card(&spaced.replace(' ', "-"), true), Check::Valid);
        assert_eq!(
            card_digits(&spaced).map(|(b, n)| b[..n].to_vec()),
            Some(unionpay16.as_bytes().to_vec())
        );
        // Luhn off by one
        let mut off = unionpay16.clone().into_bytes();
        off[15] = if off[15] == b'9' { b'0' } else { off[15] + 1 };
        let off = String::from_utf8(off).unwrap();
        assert_eq!(bank_card(&off, true), Check::Invalid(Reason::CardLuhn));
        assert_eq!(bank_card(&off, false), Check::Invalid(Reason::CardLuhn));
        // lengths
        let c15 = with_luhn("62220212345678");
        let c20 = with_luhn("6222021234567890123");
        assert_eq!(bank_card(&c15, false), Check::Invalid(Reason::CardLength));
        assert_eq!(bank_card(&c20, false), Check::Invalid(Reason::CardLength));
        assert_eq!(card_digits(&c15).map(|(_, n)| n), Some(15));
        assert_eq!(card_digits(&c20), None);
        assert_eq!(card_digits("622202123456"), None);
        assert_eq!(bank_card("1234", false), Check::Invalid(Reason::CardLength));
        // issuers
        let d60 = with_luhn("6013821234567890");
        let d9 = with_luhn("9558801234567890");
        for c in [&d60, &d9] {
            assert_eq!(
                bank_card(c, true),
                Check::Invalid(Reason::CardIssuer),
                "{c}"
            );
            assert_eq!(bank_card(c, false), Check::Valid, "{c}");
        }
        // 15 digits: an American Express number is a card; a 15-digit
        // number with another prefix is no card's length.
        let amex = with_luhn("37000000000000");
        assert_eq!(bank_card(&amex, true), Check::Valid);
        for c in [with_luhn("60138212345678"), with_luhn("95588012345678")] {
            assert_eq!(
                bank_card(&c, true),
                Check::Invalid(Reason::CardLength),
                "{c}"
            );
            assert_eq!(
                bank_card(&c, false),
                Check::Invalid(Reason::CardLength),
                "{c}"
            );
        }
        for s in [
            "",
            "6222 abcd 1234 5678",
            "６２２２０２１２３４５６７８９０",
            "6222.0212.3456.7890",
        ] {
            assert_eq!(bank_card(s, false), Check::Invalid(Reason::NotCard), "{s}");
        }
    }

    #[test]
    fn known_bins() {
        let n = |p: &str, len: usize| format!("{p}{}", "0".repeat(len - p.len()));
        for p in [
            "62", "81", "4", "51", "55", "2221", "2720", "3528", "3589", "6011", "65",
        ] {
            assert!(known_bin(n(p, 16).as_bytes()), "{p}");
        }
        for p in [
            "60", "9", "50", "56", "2220", "2721", "3527", "3590", "34", "37", "1", "0", "80", "82",
        ] {
            assert!(!known_bin(n(p, 16).as_bytes()), "{p}");
        }
        // Each scheme's lengths, and only those.
        for (p, yes, no) in [
            ("62", &[16, 17, 18, 19][..], &[13, 15][..]),
            ("4", &[13, 16, 19], &[14, 15, 17, 18]),
            ("51", &[16], &[13, 15, 17, 18, 19]),
            ("2720", &[16], &[17, 19]),
            ("34", &[15], &[13, 16, 19]),
            ("37", &[15], &[16]),
            ("3528", &[16, 19], &[15]),
            ("6011", &[16, 19], &[15]),
            ("65", &[16, 19], &[15]),
        ] {
            for &len in yes {
                assert!(known_bin(n(p, len).as_bytes()), "{p} {len}");
            }
            for &len in no {
                assert!(!known_bin(n(p, len).as_bytes()), "{p} {len}");
            }
        }
        // Visa and Mastercard never issue 17-19 or 18 digits: an 18-digit
        // value with a 4 prefix that passes Luhn is no card by value.
        assert_eq!(
            bank_card(&with_luhn("44188120100911568"), true),
            Check::Invalid(Reason::CardIssuer)
        );
        // 15-digit American Express and 13-digit Visa are cards.
        assert_eq!(bank_card(&with_luhn("37828224631000"), true), Check::Valid);
        assert_eq!(bank_card(&with_luhn("422222222222"), true), Check::Valid);
        assert_eq!(
            bank_card(&with_luhn("12345678901234"), false),
            Check::Invalid(Reason::CardLength)
        );
        assert!(!known_bin(b""));
        assert!(!known_bin(b"5"));
        assert!(!known_bin(b"6a"));
    }
}
