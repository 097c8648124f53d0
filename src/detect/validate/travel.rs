//! Travel documents: PRC passports and the Mainland travel permits of Hong
//! Kong, Macao and Taiwan residents.

use super::check::{Check, Reason, Validator};
use super::digits::all_digits;
use crate::detect::normalize::KeyForm;

/// Validate a PRC passport number (shapes used by the Exit and Entry
/// Administration since 2012; letters case-insensitive):
/// ordinary e-passport `E` and 8 digits, or `E`, one letter other than `I`/`O`
/// and 7 digits (series after E99999999); older ordinary `G` and 8 digits;
/// public-affairs `P`, service `S`, diplomatic `D` and 7 digits, and their
/// e-passport forms `PE`, `SE`, `DE` and 7 digits.
pub fn passport(s: &str) -> Check {
    let b = s.as_bytes();
    let ok = match (b.len(), b.first().map(u8::to_ascii_uppercase)) {
        (9, Some(b'E')) => {
            all_digits(&b[1..])
                || (b[1].is_ascii_alphabetic()
                    && !matches!(b[1].to_ascii_uppercase(), b'I' | b'O')
                    && all_digits(&b[2..]))
        }
        (9, Some(b'G')) => all_digits(&b[1..]),
        (8, Some(b'P' | b'S' | b'D')) => all_digits(&b[1..]),
        (9, Some(b'P' | b'S' | b'D')) => b[1].eq_ignore_ascii_case(&b'E') && all_digits(&b[2..]),
        _ => false,
    };
    if ok {
        Check::Valid
    } else {
        Check::Invalid(Reason::NotPassport)
    }
}

/// Validate a Mainland Travel Permit for Hong Kong and Macao Residents
/// (港澳居民来往内地通行证, "回乡证") number: `H` (Hong Kong) or `M` (Macao)
/// followed by 8 digits (card issued since 2013) or 10 digits (older booklet
/// form, including the 2-digit issue count). Letters case-insensitive.
pub fn hk_macau_permit(s: &str) -> Check {
    let b = s.as_bytes();
    let ok = matches!(b.len(), 9 | 11)
        && matches!(b[0].to_ascii_uppercase(), b'H' | b'M')
        && all_digits(&b[1..]);
    if ok {
        Check::Valid
    } else {
        Check::Invalid(Reason::NotHkMacauPermit)
    }
}

/// Validate a Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆
/// 通行证, "台胞证") number: 8 digits (card issued since 2015) or 10 digits
/// (older booklet), optionally followed directly by a one-letter issue suffix
/// in parentheses, e.g. `"1234567890(B)"`. Nothing else is accepted.
pub fn taiwan_permit(s: &str) -> Check {
    let b = s.as_bytes();
    let body = match b {
        [body @ .., b'(', l, b')'] if l.is_ascii_alphabetic() => body,
        _ => b,
    };
    if matches!(body.len(), 8 | 10) && all_digits(body) {
        Check::Valid
    } else {
        Check::Invalid(Reason::NotTaiwanPermit)
    }
}

/// Header-less shape test: a [`passport`] or [`hk_macau_permit`] number.
/// Bare 8/10-digit Taiwan permit numbers are not included (too many false
/// positives in numeric columns).
pub fn looks_like_passport_or_permit(s: &str) -> bool {
    passport(s).is_valid() || hk_macau_permit(s).is_valid()
}

/// `validator = "passport"`.
struct Passport;

impl Validator for Passport {
    fn name(&self) -> &'static str {
        "passport"
    }
    fn validate(&self, v: &str) -> Check {
        passport(v)
    }
    fn attempted(&self, v: &str) -> bool {
        super::digits::has_digit(v)
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::Upper
    }
}

/// `validator = "hk_macau_permit"`.
struct HkMacauPermit;

impl Validator for HkMacauPermit {
    fn name(&self) -> &'static str {
        "hk_macau_permit"
    }
    fn validate(&self, v: &str) -> Check {
        hk_macau_permit(v)
    }
    fn attempted(&self, v: &str) -> bool {
        super::digits::has_digit(v)
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::Upper
    }
}

/// `validator = "taiwan_permit"`.
struct TaiwanPermit;

impl Validator for TaiwanPermit {
    fn name(&self) -> &'static str {
        "taiwan_permit"
    }
    fn validate(&self, v: &str) -> Check {
        taiwan_permit(v)
    }
    fn attempted(&self, v: &str) -> bool {
        super::digits::has_digit(v)
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::Upper
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[&Passport, &HkMacauPermit, &TaiwanPermit];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passports() {
        for s in [
            "E12345678",
            "e12345678",
            "EA1234567",
            "EH7654321",
            "EZ0000001",
            "G12345678",
            "g87654321",
            "P1234567",
            "S1234567",
            "D1234567",
            "DE1234567",
            "SE7654321",
            "PE0000001",
        ] {
            assert_eq!(passport(s), Check::Valid, "{s}");
            assert!(looks_like_passport_or_permit(s), "{s}");
        }
        for s in [
            "",
            "E1234567",
            "E123456789",
            "EI1234567",
            "EO1234567",
            "Eo1234567",
            "G1234567",
            "P12345678",
            "A12345678",
            "12345678",
            "E1234567X",
            "DA1234567",
            "E１2345678",
            "护照E1234567",
        ] {
            assert_eq!(passport(s), Check::Invalid(Reason::NotPassport), "{s}");
        }
    }

    #[test]
    fn hk_macau_and_taiwan_permits() {
        for s in ["H12345678", "M12345678", "h1234567890", "M0123456789"] {
            assert_eq!(hk_macau_permit(s), Check::Valid, "{s}");
            assert!(looks_like_passport_or_permit(s), "{s}");
        }
        for s in [
            "",
            "H1234567",
            "H123456789",
            "K12345678",
            "H12345678901",
            "HM1234567",
        ] {
            assert_eq!(
                hk_macau_permit(s),
                Check::Invalid(Reason::NotHkMacauPermit),
                "{s}"
            );
        }
        for s in ["12345678", "1234567890", "1234567890(B)", "12345678(a)"] {
            assert_eq!(taiwan_permit(s), Check::Valid, "{s}");
        }
        for s in [
            "",
            "1234567",
            "123456789",
            "12345678901",
            "1234567890(BB)",
            "1234567890(1)",
            "1234567890B",
            "1234567890 (B)",
            "(B)",
            "T12345678",
        ] {
            assert_eq!(
                taiwan_permit(s),
                Check::Invalid(Reason::NotTaiwanPermit),
                "{s}"
            );
        }
        // bare digits are not a header-less passport/permit shape
        assert!(!looks_like_passport_or_permit("12345678"));
        assert!(!looks_like_passport_or_permit("1234567890"));
    }
}
