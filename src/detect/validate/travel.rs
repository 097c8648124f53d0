//! Travel and identity documents: PRC passports, the Mainland travel
//! permits of Hong Kong, Macao and Taiwan residents, and the identity card
//! numbers of Hong Kong, Macao and Taiwan.

use super::check::{Check, Reason, Simple, Validator};
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

/// The body (one or two letters and six digits) and check character of a
/// Hong Kong identity card number, written `A123456(3)` or `A1234563`.
fn hk_parts(s: &str) -> Option<(&[u8], u8)> {
    let (body, check) = match s.as_bytes() {
        [body @ .., b'(', c, b')'] => (body, *c),
        [body @ .., c] => (body, *c),
        [] => return None,
    };
    let letters = body.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let shape = (1..=2).contains(&letters)
        && body.len() == letters + 6
        && all_digits(&body[letters..])
        && (check.is_ascii_digit() || check.eq_ignore_ascii_case(&b'A'));
    shape.then_some((body, check))
}

/// Validate a Hong Kong identity card number (香港身份证号码): one or two
/// letters, six digits and a check character `0`-`9` or `A`, usually written
/// with the check character in parentheses, `A123456(3)`; letters
/// case-insensitive. The check (Immigration Department): letters count
/// A=10 … Z=35, a single letter is preceded by a space worth 36, the eight
/// positions are weighted 9 down to 2, and the check character (A=10) makes
/// the weighted sum divisible by 11.
pub fn hk_identity_card(s: &str) -> Check {
    let Some((body, check)) = hk_parts(s) else {
        return Check::Invalid(Reason::Format);
    };
    let offset = 8 - body.len();
    let mut sum: u32 = if offset == 1 { 36 * 9 } else { 0 };
    for (i, &c) in body.iter().enumerate() {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c.to_ascii_uppercase() - b'A') + 10
        };
        sum += v * (9 - (i + offset) as u32);
    }
    let want = match (11 - sum % 11) % 11 {
        10 => b'A',
        d => b'0' + d as u8,
    };
    Check::when(check.to_ascii_uppercase() == want, Reason::CheckCharacter)
}

/// Validate a Macao resident identity card number (澳门居民身份证号码):
/// eight digits, the first 1, 5 or 7, the last a check digit usually written
/// in parentheses, `1234567(8)`. The check digit's rule is not published, so
/// only the shape is checked.
pub fn macau_resident_id(s: &str) -> Check {
    let (body, check) = match s.as_bytes() {
        [body @ .., b'(', c, b')'] => (body, *c),
        [body @ .., c] => (body, *c),
        [] => return Check::Invalid(Reason::Format),
    };
    let ok = body.len() == 7
        && all_digits(body)
        && matches!(body[0], b'1' | b'5' | b'7')
        && check.is_ascii_digit();
    Check::when(ok, Reason::Format)
}

/// The two-digit value of the letter of a Taiwan ID (the place of first
/// registration): A=10 … H=17, I=34, J=18 … N=22, O=35, P=23 … V=29, W=32,
/// X=30, Y=31, Z=33.
const TAIWAN_LETTERS: [u32; 26] = [
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30,
    31, 33,
];

/// Validate a Taiwan national identification number (台湾居民身份证统一编号,
/// 身分證字號): a letter, then `1` or `2` (male, female; `8` or `9` in the
/// numbers given to foreign residents since 2021), seven digits and a check
/// digit; the letter case-insensitive. The letter's value
/// ([`TAIWAN_LETTERS`]) counts its tens digit with weight 1 and its units
/// with weight 9, the next eight digits have weights 8 down to 1 and the
/// check digit 1; the sum must be a multiple of 10.
pub fn taiwan_id(s: &str) -> Check {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[0].is_ascii_alphabetic()
        && all_digits(&b[1..])
        && matches!(b[1], b'1' | b'2' | b'8' | b'9');
    if !shape {
        return Check::Invalid(Reason::Format);
    }
    let n = TAIWAN_LETTERS[usize::from(b[0].to_ascii_uppercase() - b'A')];
    let mut sum = n / 10 + n % 10 * 9 + u32::from(b[9] - b'0');
    for (i, &c) in b[1..9].iter().enumerate() {
        sum += u32::from(c - b'0') * (8 - i as u32);
    }
    Check::when(sum.is_multiple_of(10), Reason::CheckCharacter)
}

/// `validator = "hk_identity_card"`.
struct HkIdentityCard;

impl Validator for HkIdentityCard {
    fn name(&self) -> &'static str {
        "hk_identity_card"
    }
    fn validate(&self, v: &str) -> Check {
        hk_identity_card(v)
    }
    /// By value only the form with the check character in parentheses,
    /// which is then an attempt; a bare letter and seven digits is too
    /// common a shape.
    fn detect(&self, v: &str) -> Option<Check> {
        (v.ends_with(')') && hk_parts(v).is_some()).then(|| hk_identity_card(v))
    }
    fn attempted(&self, v: &str) -> bool {
        super::digits::has_digit(v)
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::UpperAlnum
    }
}

/// `validator = "macau_resident_id"`.
struct MacauResidentId;

impl Validator for MacauResidentId {
    fn name(&self) -> &'static str {
        "macau_resident_id"
    }
    fn validate(&self, v: &str) -> Check {
        macau_resident_id(v)
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::UpperAlnum
    }
    /// By value only the form with the check digit in parentheses: eight
    /// bare digits are any number.
    fn detect(&self, v: &str) -> Option<Check> {
        if v.ends_with(')') {
            macau_resident_id(v).valid_or_none()
        } else {
            None
        }
    }
    fn attempted(&self, v: &str) -> bool {
        super::digits::has_digit(v)
    }
}

const fn document(name: &'static str, check: fn(&str) -> Check) -> Simple {
    Simple {
        name,
        check,
        needs_digit: true,
        key_form: KeyForm::Upper,
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[
    &document("passport", passport),
    &document("hk_macau_permit", hk_macau_permit),
    &document("taiwan_permit", taiwan_permit),
    &HkIdentityCard,
    &MacauResidentId,
    &document("taiwan_id", taiwan_id),
];

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

    #[test]
    fn hong_kong_identity_cards() {
        for v in [
            "A123456(3)",
            "A1234563",
            "a123456(3)",
            "G123456(A)",
            "G123456(a)",
            "AB987654(3)",
            "AB9876543",
        ] {
            assert_eq!(hk_identity_card(v), Check::Valid, "{v}");
        }
        for v in ["A123456(4)", "G123456(0)", "AB987654(2)"] {
            assert_eq!(
                hk_identity_card(v),
                Check::Invalid(Reason::CheckCharacter),
                "{v}"
            );
        }
        for v in [
            "",
            "A12345(3)",
            "ABC123456(3)",
            "A123456(B)",
            "1234567(3)",
            "A123456()",
            "A123456(33)",
            "张123456(3)",
        ] {
            assert_eq!(hk_identity_card(v), Check::Invalid(Reason::Format), "{v}");
        }
        // Every check character of one body: exactly one validates.
        let valid = "0123456789A"
            .chars()
            .filter(|c| hk_identity_card(&format!("C668668({c})")).is_valid())
            .count();
        assert_eq!(valid, 1);
        let v = HkIdentityCard;
        assert_eq!(v.detect("A123456(3)"), Some(Check::Valid));
        assert_eq!(
            v.detect("A123456(4)"),
            Some(Check::Invalid(Reason::CheckCharacter))
        );
        assert_eq!(v.detect("A1234563"), None);
        // Written with or without parentheses, one person's number is one key.
        let key = |s: &str| {
            let mut k = Vec::new();
            crate::detect::normalize::key_form(v.key_form(), s, &mut k);
            k
        };
        assert_eq!(key("a123456(3)"), key("A1234563"));
        assert_eq!(key("1234567(8)"), b"12345678".to_vec());
    }

    #[test]
    fn macau_resident_ids() {
        for v in ["1234567(8)", "5215299(8)", "7123456(1)", "12345678"] {
            assert_eq!(macau_resident_id(v), Check::Valid, "{v}");
        }
        for v in [
            "",
            "2234567(8)",
            "123456(7)",
            "12345678(9)",
            "1234567(X)",
            "1234567()",
        ] {
            assert_eq!(macau_resident_id(v), Check::Invalid(Reason::Format), "{v}");
        }
        assert_eq!(MacauResidentId.detect("1234567(8)"), Some(Check::Valid));
        assert_eq!(MacauResidentId.detect("12345678"), None);
    }

    #[test]
    fn taiwan_ids() {
        // I223232210 .. P256515948: Faker's zh_TW ssn provider (seed 13).
        for v in [
            "A123456789",
            "a123456789",
            "I223232210",
            "R140629048",
            "E147624532",
            "P256515948",
        ] {
            assert_eq!(taiwan_id(v), Check::Valid, "{v}");
        }
        for v in ["A123456788", "I223232211", "B123456789"] {
            assert_eq!(taiwan_id(v), Check::Invalid(Reason::CheckCharacter), "{v}");
        }
        for v in [
            "",
            "A323456789",
            "1123456789",
            "A12345678",
            "A1234567890",
            "AA23456789",
            "A12345678X",
        ] {
            assert_eq!(taiwan_id(v), Check::Invalid(Reason::Format), "{v}");
        }
        // Every letter and every check digit: one check digit per body.
        for l in b'A'..=b'Z' {
            let body = format!("{}12345678", l as char);
            let n = (0..10)
                .filter(|d| taiwan_id(&format!("{body}{d}")).is_valid())
                .count();
            assert_eq!(n, 1, "{body}");
        }
    }
}
