//! Resident identity card number, GB 11643-1999 (居民身份证号码).

use super::bank_card::bank_card;
use super::calendar::{is_valid_ymd, today, Ymd};
use super::check::{Check, Facet, Reason, Validator};
use super::digits::{all_digits, luhn, num};
use crate::detect::mask::Mask;
use crate::detect::normalize::KeyForm;

/// `true` for the two shapes of a PRC citizen identification number
/// (GB 11643-1999): 17 ASCII digits followed by a digit or `X`/`x`
/// (18-digit form), or 15 ASCII digits (legacy first-generation form).
pub fn is_resident_id_shape(s: &str) -> bool {
    let b = s.as_bytes();
    match b.len() {
        18 => all_digits(&b[..17]) && matches!(b[17], b'0'..=b'9' | b'X' | b'x'),
        15 => all_digits(b),
        _ => false,
    }
}

/// `true` for an 18-digit resident ID as a spreadsheet shows it once stored
/// as a number: `1.10101199003071E+17` (mantissa `d.ddd…`, at most 15
/// significant digits, exponent 17), starting with a known province code.
/// The digits past the 15th are gone, so the value can never validate.
pub fn is_mangled_resident_id(s: &str) -> bool {
    let Some((mantissa, exp)) = s.split_once(['E', 'e']) else {
        return false;
    };
    if !matches!(exp, "+17" | "17") {
        return false;
    }
    let Some((int, frac)) = mantissa.split_once('.') else {
        return false;
    };
    let digits = frac.as_bytes();
    if int.len() != 1 || !all_digits(int.as_bytes()) || digits.is_empty() || digits.len() > 16 {
        return false;
    }
    if !all_digits(digits) {
        return false;
    }
    let prov = num(int.as_bytes()) * 10 + u32::from(digits[0] - b'0');
    province_code_known(prov)
}

/// `true` for the province-level administrative division codes of GB/T 2260
/// (first two digits of a resident ID): 11-15, 21-23, 31-37, 41-46, 50-54,
/// 61-65, 71 (Taiwan), 81 (Hong Kong), 82 (Macao), and 83 (used by the
/// Residence Permit for Taiwan Residents, GB 11643 numbering since 2018; 81/82
/// likewise appear in the Hong Kong/Macao residence permits).
pub fn province_code_known(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82 | 83)
}

/// Weights of ISO 7064 MOD 11-2 for the 17 body digits (GB 11643-1999 §6.2).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder 0..=10 (GB 11643-1999 §6.2).
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// The ISO 7064 MOD 11-2 check character (`b'0'..=b'9'` or `b'X'`) for the first
/// 17 digits of an 18-digit resident ID (GB 11643-1999 §6.2). `None` unless
/// `body` is exactly 17 ASCII digits.
pub fn resident_id_check_char(body: &[u8]) -> Option<u8> {
    if body.len() != 17 || !all_digits(body) {
        return None;
    }
    let sum: u32 = body
        .iter()
        .zip(ID_WEIGHTS.iter())
        .map(|(&c, &w)| u32::from(c - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

/// Validate a resident identity card number (GB 11643-1999) against today's
/// UTC date; see [`resident_id_at`].
pub fn resident_id(s: &str) -> Check {
    resident_id_at(s, today())
}

/// Validate a resident identity card number (GB 11643-1999) as of `today`.
///
/// 18-digit form: the province code (first two digits) must be known
/// ([`province_code_known`]); the birth date (digits 7-14, `YYYYMMDD`) must be
/// a real calendar date, not before 1900-01-01 and not after `today`; the last
/// character must be the ISO 7064 MOD 11-2 check character (lower-case `x`
/// accepted). 15-digit legacy form (GB 11643-1989): province code known and
/// `YYMMDD` read as `19YYMMDD` a real date; it has no check digit. County codes
/// (digits 3-6) are deliberately not checked: real IDs keep retired codes.
///
/// Checks run in the order shape, province, birth date, check digit; the first
/// failure is the reason.
pub fn resident_id_at(s: &str, today: Ymd) -> Check {
    if is_mangled_resident_id(s) {
        return Check::Invalid(Reason::ResidentIdMangled);
    }
    if !is_resident_id_shape(s) {
        return Check::Invalid(Reason::NotResidentId);
    }
    let b = s.as_bytes();
    let prov = num(&b[..2]);
    if !province_code_known(prov) {
        return Check::Invalid(Reason::UnknownProvince((prov % 100) as u8));
    }
    let ymd: Ymd = if b.len() == 18 {
        (num(&b[6..10]) as i32, num(&b[10..12]), num(&b[12..14]))
    } else {
        (1900 + num(&b[6..8]) as i32, num(&b[8..10]), num(&b[10..12]))
    };
    if !is_valid_ymd(ymd) {
        return Check::Invalid(Reason::BirthDateInvalid);
    }
    if ymd < (1900, 1, 1) {
        return Check::Invalid(Reason::BirthBefore1900);
    }
    if ymd > today {
        return Check::Invalid(Reason::BirthInFuture);
    }
    if b.len() == 18 {
        let want = resident_id_check_char(&b[..17]);
        if want != Some(b[17].to_ascii_uppercase()) {
            return Check::Invalid(Reason::ResidentIdCheck);
        }
    }
    Check::Valid
}

/// The structure of an 18-character resident ID: a known province and a
/// real birth date from 1900-01-01 to today.
fn structured(v: &str) -> bool {
    let b = v.as_bytes();
    let (Some(p), Some(y), Some(m), Some(d)) =
        (b.get(..2), b.get(6..10), b.get(10..12), b.get(12..14))
    else {
        return false;
    };
    let ymd = (num(y) as i32, num(m), num(d));
    province_code_known(num(p)) && is_valid_ymd(ymd) && ymd >= (1900, 1, 1) && ymd <= today()
}

/// `validator = "resident_id"`.
struct ResidentId;

impl Validator for ResidentId {
    fn name(&self) -> &'static str {
        "resident_id"
    }
    fn validate(&self, v: &str) -> Check {
        resident_id(v)
    }
    /// By structure (SPEC §2.1, the precedence table in the README): 18
    /// characters with a known province and a real birth date between 1900
    /// and today are a resident ID, valid or not (a wrong check character is
    /// an untrue ID); 18 digits without that structure (an order number) are
    /// no attempt at one. 15 digits are a legacy ID only when they validate
    /// and no other reading fits better: not a 15-digit American Express
    /// card, not an IMEI (Luhn-valid with the reporting body 35 or 86).
    fn detect(&self, v: &str) -> Option<Check> {
        if is_mangled_resident_id(v) {
            Some(Check::Invalid(Reason::ResidentIdMangled))
        } else if v.len() == 18 && is_resident_id_shape(v) {
            structured(v).then(|| resident_id(v))
        } else if v.len() == 15 && is_resident_id_shape(v) {
            let imei = luhn(v.as_bytes()) && matches!(&v[..2], "35" | "86");
            let card = bank_card(v, true).is_valid();
            resident_id(v).valid_or_none().filter(|_| !imei && !card)
        } else {
            None
        }
    }
    /// An 18-character value with the structure of a resident ID is one,
    /// whatever later detector would also take it (a bad check character
    /// whose digits happen to pass Luhn is an untrue ID, not a card).
    fn claims(&self, v: &str) -> bool {
        v.len() == 18 && is_resident_id_shape(v) && structured(v)
    }
    fn attempted(&self, v: &str) -> bool {
        super::digits::has_digit(v)
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::Upper
    }
    fn mask(&self) -> Option<Mask> {
        Some(Mask::ResidentId)
    }
    fn facet(&self) -> Facet {
        Facet::ResidentId
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[&ResidentId];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::validate::testing::*;

    #[test]
    fn resident_id_standard_examples() {
        // GB 11643-1999 examples.
        assert_eq!(rid("11010519491231002X"), Check::Valid);
        assert_eq!(rid("11010519491231002x"), Check::Valid);
        assert_eq!(resident_id_check_char(b"44052418800101001"), Some(b'4'));
        assert_eq!(
            rid("440524188001010014"),
            Check::Invalid(Reason::BirthBefore1900)
        );
        assert_eq!(resident_id("11010519491231002X"), Check::Valid);
    }

    #[test]
    fn resident_id_valid_values() {
        for body in [
            "11010119900307123",
            "31011519851120402",
            "44030620010815003",
            "51010719780229891", // 1978 is not leap: replaced below
        ] {
            let v = id(body);
            if body == "51010719780229891" {
                assert_eq!(rid(&v), Check::Invalid(Reason::BirthDateInvalid));
            } else {
                assert_eq!(rid(&v), Check::Valid, "{v}");
            }
        }
        for body in [
            "65010219660101555",
            "71000019700101001", // Taiwan
            "81000020000101002", // Hong Kong residence permit
            "82000020000101003", // Macao residence permit
            "83000019991231004", // Taiwan residence permit
            "15010219900101005",
            "54010219900101006",
        ] {
            assert_eq!(rid(&id(body)), Check::Valid, "{body}");
        }
        // 15-digit legacy form: the standard example before 1999.
        assert_eq!(rid("110105491231002"), Check::Valid);
        assert_eq!(rid("440301800101123"), Check::Valid);
    }

    #[test]
    fn resident_id_invalid_values() {
        assert_eq!(
            rid("110105194912310021"),
            Check::Invalid(Reason::ResidentIdCheck)
        );
        assert_eq!(
            rid(&id_bad_check("11010119900307123")),
            Check::Invalid(Reason::ResidentIdCheck)
        );
        // Off-by-one in the body changes the check digit.
        let good = id("11010119900307123");
        let mut bumped = good.clone().into_bytes();
        bumped[16] = if bumped[16] == b'9' {
            b'8'
        } else {
            bumped[16] + 1
        };
        assert_eq!(
            rid(std::str::from_utf8(&bumped).unwrap()),
            Check::Invalid(Reason::ResidentIdCheck)
        );
        assert_eq!(
            rid(&id("99010119900307123")),
            Check::Invalid(Reason::UnknownProvince(99))
        );
        assert_eq!(
            rid(&id("00010119900307123")),
            Check::Invalid(Reason::UnknownProvince(0))
        );
        assert_eq!(
            rid(&id("16010119900307123")),
            Check::Invalid(Reason::UnknownProvince(16))
        );
        assert_eq!(
            rid(&id("84010119900307123")),
            Check::Invalid(Reason::UnknownProvince(84))
        );
        assert_eq!(
            rid(&id("11010119901307123")),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        assert_eq!(
            rid(&id("11010119900000123")),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        assert_eq!(
            rid(&id("11010119900431123")),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        assert_eq!(
            rid(&id("11010130000101123")),
            Check::Invalid(Reason::BirthInFuture)
        );
        assert_eq!(
            rid("991231491231002"),
            Check::Invalid(Reason::UnknownProvince(99))
        );
        assert_eq!(
            rid("110105990229002"),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        assert_eq!(
            rid("110105491331002"),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        for s in [
            "",
            "1101051949123100",
            "11010519491231002Y",
            "1101051949123100X2",
            "11010519491231002XX",
            "X1010519491231002",
            "11010549123100X",
            "１１０１０５１９４９１２３１００２X",
        ] {
            assert_eq!(rid(s), Check::Invalid(Reason::NotResidentId), "{s}");
            assert!(!is_resident_id_shape(s), "{s}");
        }
    }

    #[test]
    fn resident_id_birth_date_boundaries() {
        assert_eq!(rid(&id("11010119000101123")), Check::Valid);
        assert_eq!(
            rid(&id("11010118991231123")),
            Check::Invalid(Reason::BirthBefore1900)
        );
        // born today is valid, tomorrow is not
        let t = FIXED_TODAY;
        let tomorrow = next_day(t);
        let on = |d: Ymd| id(&format!("320102{:04}{:02}{:02}456", d.0, d.1, d.2));
        assert_eq!(resident_id_at(&on(t), t), Check::Valid);
        assert_eq!(
            resident_id_at(&on(tomorrow), t),
            Check::Invalid(Reason::BirthInFuture)
        );
        // across a year end
        let t2 = (2023, 12, 31);
        assert_eq!(resident_id_at(&on(t2), t2), Check::Valid);
        assert_eq!(
            resident_id_at(&on(next_day(t2)), t2),
            Check::Invalid(Reason::BirthInFuture)
        );
        // Feb 29
        assert_eq!(rid(&id("11010120000229123")), Check::Valid);
        assert_eq!(rid(&id("11010119960229123")), Check::Valid);
        assert_eq!(
            rid(&id("11010119000229123")),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        assert_eq!(
            rid(&id("11010120230229123")),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        assert_eq!(rid("110101960229123"), Check::Valid);
        assert_eq!(
            rid("110101970229123"),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        assert_eq!(
            rid("110101000229123"),
            Check::Invalid(Reason::BirthDateInvalid)
        );
        // 1900
    }

    #[test]
    fn resident_id_shapes_and_provinces() {
        assert!(is_resident_id_shape("11010519491231002X"));
        assert!(is_resident_id_shape("11010519491231002x"));
        assert!(is_resident_id_shape("110105194912310021"));
        assert!(is_resident_id_shape("110105491231002"));
        let known: Vec<u32> = (0..100).filter(|&c| province_code_known(c)).collect();
        assert_eq!(
            known,
            [
                11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83
            ]
        );
    }

    #[test]
    fn spreadsheet_mangled_ids_are_invalid_with_their_reason() {
        for v in [
            "1.1010119900307E+17",
            "1.10101199003071E+17",
            "4.4030619851231E17",
        ] {
            assert!(is_mangled_resident_id(v), "{v}");
            assert_eq!(
                resident_id(v),
                Check::Invalid(Reason::ResidentIdMangled),
                "{v}"
            );
        }
        // not an 18-digit ID: other exponents, unknown province, plain numbers
        for v in [
            "1.1010119900307E+16",
            "9.9010119900307E+17",
            "1.5",
            "1E+17",
            "110101199003071234",
        ] {
            assert!(!is_mangled_resident_id(v), "{v}");
        }
    }
}
