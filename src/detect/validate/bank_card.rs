//! Bank card numbers (ISO/IEC 7812 PAN, Luhn).

use super::check::{Check, Facet, Reason, Validator};
use super::digits::{luhn, prefix_num, scan_digits, Digits};
use crate::detect::mask::Mask;
use crate::detect::normalize::KeyForm;

/// The digits of a payment card number (ISO/IEC 7812 PAN): spaces and dashes
/// are removed, and 16..=19 ASCII digits must remain. Returns a buffer and the
/// number of digits used in it.
pub fn card_digits(s: &str) -> Option<([u8; 19], usize)> {
    match scan_digits::<19>(s) {
        Digits::Ok(buf, n) if n >= 16 => Some((buf, n)),
        _ => None,
    }
}

/// `true` when the issuer identification number (ISO/IEC 7812 IIN/BIN prefix)
/// belongs to a scheme issued in the PRC: UnionPay `62` and `81`, Visa `4`,
/// Mastercard `51`-`55` and `2221`-`2720`, JCB `3528`-`3589`. Prefixes `60` and
/// `9` (some domestic debit ranges) are deliberately not accepted, because
/// headerless numeric columns starting with them are usually not cards.
pub fn known_bin(digits: &[u8]) -> bool {
    if digits.first() == Some(&b'4') {
        return true;
    }
    if let Some(p2) = prefix_num(digits, 2) {
        if p2 == 62 || p2 == 81 || (51..=55).contains(&p2) {
            return true;
        }
    }
    if let Some(p4) = prefix_num(digits, 4) {
        if (2221..=2720).contains(&p4) || (3528..=3589).contains(&p4) {
            return true;
        }
    }
    false
}

/// Validate a bank card number: spaces/dashes removed, 16..=19 digits
/// (`"card number length"`), when `require_bin` an issuer prefix accepted by
/// [`known_bin`] (`"unknown card issuer prefix"`), and the Luhn check digit
/// (ISO/IEC 7812-1, `"card number fails Luhn"`). A value with any other
/// character is `"not a card number"`.
pub fn bank_card(s: &str, require_bin: bool) -> Check {
    let (buf, n) = match scan_digits::<19>(s) {
        Digits::Junk => return Check::Invalid(Reason::NotCard),
        Digits::TooLong => return Check::Invalid(Reason::CardLength),
        Digits::Ok(buf, n) => (buf, n),
    };
    if n < 16 {
        return Check::Invalid(Reason::CardLength);
    }
    let d = &buf[..n];
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
        assert_eq!(card_digits(&c15), None);
        assert_eq!(card_digits(&c20), None);
        assert_eq!(bank_card("1234", false), Check::Invalid(Reason::CardLength));
        // issuers
        let d60 = with_luhn("601382123456789");
        let d9 = with_luhn("955880123456789");
        let amexish = with_luhn("370000000000000");
        for c in [&d60, &d9, &amexish] {
            assert_eq!(
                bank_card(c, true),
                Check::Invalid(Reason::CardIssuer),
                "{c}"
            );
            assert_eq!(bank_card(c, false), Check::Valid, "{c}");
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
        for p in ["62", "81", "4", "51", "55", "2221", "2720", "3528", "3589"] {
            assert!(known_bin(format!("{p}00000000000000").as_bytes()), "{p}");
        }
        for p in [
            "60", "9", "50", "56", "2220", "2721", "3527", "3590", "34", "37", "1", "0", "80", "82",
        ] {
            assert!(!known_bin(format!("{p}00000000000000").as_bytes()), "{p}");
        }
        assert!(!known_bin(b""));
        assert!(!known_bin(b"5"));
        assert!(!known_bin(b"6a"));
    }
}
