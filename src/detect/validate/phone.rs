//! Phone numbers: PRC mobile numbers (MIIT numbering plan) and fixed lines.

use super::check::{Check, Facet, Reason, Validator};
use super::digits::{num, scan_digits, Digits};
use crate::detect::mask::Mask;
use crate::detect::normalize::KeyForm;

/// The 11 digits of a PRC mobile number, or `None`.
///
/// Accepts an optional country prefix `+86`, `0086` or bare `86` (the bare
/// `86` only when exactly 11 digits follow it), with spaces and dashes
/// anywhere after the first character (`+86 138-1234-5678`). The value must
/// start with `+` or a digit and end with a digit; any other character gives
/// `None`. What remains must be exactly 11 digits starting with `1`.
pub fn mobile_digits(s: &str) -> Option<[u8; 11]> {
    let b = s.as_bytes();
    let (plus, rest) = match b.split_first() {
        Some((b'+', rest)) => (true, rest),
        Some((c, _)) if c.is_ascii_digit() => (false, b),
        _ => return None,
    };
    if !rest.last().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let (buf, n) = match scan_digits::<15>(std::str::from_utf8(rest).ok()?) {
        Digits::Ok(buf, n) => (buf, n),
        _ => return None,
    };
    let d = &buf[..n];
    let core = if plus {
        match d.strip_prefix(b"86") {
            Some(c) if c.len() == 11 => c,
            _ => return None,
        }
    } else if n == 15 && d.starts_with(b"0086") {
        &d[4..]
    } else if n == 13 && d.starts_with(b"86") {
        &d[2..]
    } else if n == 11 {
        d
    } else {
        return None;
    };
    if core[0] != b'1' {
        return None;
    }
    let mut out = [0u8; 11];
    out.copy_from_slice(core);
    Some(out)
}

/// `true` when the 3-digit prefix `p` (130..=199 style) is allocated to PRC
/// public mobile networks by MIIT (the numbering plan of the
/// 电信网码号资源管理办法): 130-139, 145-149, 150-153, 155-159, 162, 165-167,
/// 170-178, 180-189, 190-193, 195-199.
pub fn mobile_prefix_allocated(p: u32) -> bool {
    matches!(
        p,
        130..=139
            | 145..=149
            | 150..=153
            | 155..=159
            | 162
            | 165..=167
            | 170..=178
            | 180..=189
            | 190..=193
            | 195..=199
    )
}

/// Validate a PRC mobile number: [`mobile_digits`] must find 11 digits
/// (otherwise `Invalid(Reason::NotMobile)`) and the 3-digit prefix must be
/// allocated ([`mobile_prefix_allocated`]); otherwise the reason names the
/// prefix, e.g. `UnallocatedPrefix(154)`.
pub fn mobile(s: &str) -> Check {
    let Some(d) = mobile_digits(s) else {
        return Check::Invalid(Reason::NotMobile);
    };
    let p = num(&d[..3]);
    if mobile_prefix_allocated(p) {
        Check::Valid
    } else {
        Check::Invalid(Reason::UnallocatedPrefix(p as u16))
    }
}

/// A fixed-line number with area code (010-62345678, 0755 12345678). Valid
/// under a phone header: it identifies a subscriber as well as a mobile does.
pub fn is_landline(v: &str) -> bool {
    if !v.starts_with('0') || v.starts_with("00") {
        return false;
    }
    let mut digits = 0;
    for c in v.chars() {
        match c {
            '0'..='9' => digits += 1,
            '-' | ' ' | '(' | ')' => {}
            _ => return false,
        }
    }
    (10..=12).contains(&digits)
}

/// `validator = "phone"`: a mobile, or under a phone header a fixed line.
struct Phone;

impl Validator for Phone {
    fn name(&self) -> &'static str {
        "phone"
    }
    fn validate(&self, v: &str) -> Check {
        if is_landline(v) {
            Check::Valid
        } else {
            mobile(v)
        }
    }
    /// Eleven digits starting with 1 are an attempt at a mobile number.
    fn detect(&self, v: &str) -> Option<Check> {
        mobile_digits(v).map(|_| mobile(v))
    }
    fn attempted(&self, v: &str) -> bool {
        super::digits::has_digit(v)
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::Phone
    }
    fn mask(&self) -> Option<Mask> {
        Some(Mask::Mobile)
    }
    fn facet(&self) -> Facet {
        Facet::Phone
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[&Phone];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_digits_prefixes_and_separators() {
        let want = Some(*b"13812345678");
        for s in [
            "13812345678",
            "+8613812345678",
            "+86 13812345678",
            "+86-138-1234-5678",
            "008613812345678",
            "0086 138 1234 5678",
            "8613812345678",
            "86 138 1234 5678",
            "138-1234-5678",
            "138 1234 5678",
        ] {
            assert_eq!(mobile_digits(s), want, "{s}");
            assert_eq!(mobile(s), Check::Valid, "{s}");
        }
        for s in [
            "",
            "+",
            "+86",
            "1381234567",
            "138123456789",
            "23812345678",
            "+13812345678",
            "+8513812345678",
            "008513812345678",
            "-13812345678",
            "13812345678-",
            "138.1234.5678",
            "138/1234/5678",
            "(138)12345678",
            "861381234567",
            "0013812345678",
            "１３８１２３４５６７８",
            "138１2345678",
            "tel:13812345678",
        ] {
            assert_eq!(mobile_digits(s), None, "{s}");
            assert_eq!(mobile(s), Check::Invalid(Reason::NotMobile), "{s}");
        }
        // bare 86 is a prefix only when 11 digits follow
        assert_eq!(mobile_digits("86138123456"), None);
    }

    #[test]
    fn mobile_prefixes() {
        let unallocated: Vec<u32> = (100..130)
            .chain(140..=144)
            .chain([154, 160, 161, 163, 164, 168, 169, 179, 194])
            .collect();
        for p in &unallocated {
            let s = format!("{p}12345678");
            let want = Reason::UnallocatedPrefix(*p as u16);
            match mobile(&s) {
                Check::Invalid(r) => assert_eq!(r, want),
                Check::Valid => panic!("{s} should be invalid"),
            }
        }
        for p in [
            130, 135, 139, 145, 149, 150, 153, 155, 159, 162, 165, 166, 167, 170, 178, 180, 186,
            189, 190, 193, 195, 199,
        ] {
            assert_eq!(mobile(&format!("{p}87654321")), Check::Valid, "{p}");
        }
        // Every 1xx prefix is exactly one of allocated / unallocated.
        for p in 100..200 {
            assert_ne!(mobile_prefix_allocated(p), unallocated.contains(&p), "{p}");
        }
        assert_eq!(
            mobile("+86 154 1234 5678"),
            Check::Invalid(Reason::UnallocatedPrefix(154))
        );
    }
}
