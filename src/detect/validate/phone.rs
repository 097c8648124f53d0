//! Phone numbers: PRC mobile numbers (MIIT numbering plan) and fixed lines.

use super::check::{Check, Facet, Reason, Validator};
use super::digits::{num, scan_digits, Digits};
use crate::detect::mask::Mask;
use crate::detect::normalize::KeyForm;

/// The 11 digits of a PRC mobile number, or `None`.
///
/// Accepts an optional country prefix `+86`, `0086` or bare `86` (the bare
/// `86` only when exactly 11 digits follow it), also written `(+86)`,
/// `(86)` or `+86(0)`, with spaces, dashes and dots anywhere after the
/// first character (`+86 138-1234-5678`, `138.1234.5678`). The value must
/// start with `+`, `(` or a digit and end with a digit; any other character
/// gives `None`. What remains must be exactly 11 digits starting with `1`.
pub fn mobile_digits(s: &str) -> Option<[u8; 11]> {
    // The country code in parentheses, or with the trunk 0 in them (the
    // first byte says whether to look: this runs for every phone value).
    let country = match s.as_bytes().first() {
        Some(b'(') => ["(+86)", "(86)", "(0086)"]
            .iter()
            .find_map(|p| s.strip_prefix(p))
            .map(|rest| rest.trim_start_matches([' ', '-'])),
        Some(b'+') => s.strip_prefix("+86").map(|rest| {
            let rest = rest.trim_start_matches([' ', '-', '.']);
            let rest = rest.strip_prefix("(0)").unwrap_or(rest);
            rest.trim_start_matches([' ', '-', '.'])
        }),
        _ => None,
    };
    if let Some(national) = country {
        let d = national_digits(national)?;
        return (d[0] == b'1').then_some(d);
    }
    let b = s.as_bytes();
    let (plus, rest) = match b.split_first() {
        Some((b'+', rest)) => (true, rest),
        Some((c, _)) if c.is_ascii_digit() => (false, b),
        _ => return None,
    };
    if !rest.last().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    // Dots separate groups too (138.1234.5678); a decimal point after all
    // the digits (an exported float) leaves a digit count that fits nothing.
    let rest = std::str::from_utf8(rest).ok()?;
    let undotted;
    let rest = if rest.contains('.') {
        undotted = rest.replace('.', "-");
        undotted.as_str()
    } else {
        rest
    };
    let (buf, n) = match scan_digits::<15>(rest) {
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

/// Exactly 11 digits with spaces, dashes or dots between them (the number
/// after a country code).
fn national_digits(s: &str) -> Option<[u8; 11]> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) || !b.last().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u8; 11];
    let mut n = 0;
    for &c in b {
        match c {
            b'0'..=b'9' if n < 11 => {
                out[n] = c;
                n += 1;
            }
            b' ' | b'-' | b'.' => {}
            _ => return None,
        }
    }
    (n == 11).then_some(out)
}

/// The prefixes of PRC mobile numbers that identify a subscriber: MIIT's
/// allocations to the public mobile networks (the numbering plan of the
/// 电信网码号资源管理办法), as libphonenumber's metadata for CN has them
/// (release 9.0.43, pinned in .ci/run), one row per range of prefixes of one
/// length, inclusive.
///
/// Excluded, and why: 140–144 and 146, 148 (Internet-of-Things numbers:
/// they identify a device, not a person), 149 (data-only cards), 154, 160,
/// 163, 164, 168, 169, 179 and 194 (not allocated), 1611–1619 (not
/// allocated), and 174 outside 17400–17405 (the Tiantong satellite range;
/// the rest of 174 is maritime and international satellite, not
/// subscribers in the PRC). Data cards 145 and 147 carry voice and SMS and
/// are kept.
pub const MOBILE_PREFIXES: [(&str, &str); 14] = [
    ("130", "139"),
    ("145", "145"),
    ("147", "147"),
    ("150", "153"),
    ("155", "159"),
    ("1610", "1610"),
    ("162", "162"),
    ("165", "167"),
    ("170", "173"),
    ("17400", "17405"),
    ("175", "178"),
    ("180", "189"),
    ("190", "193"),
    ("195", "199"),
];

/// [`MOBILE_PREFIXES`] as ranges of 5-digit prefixes (`"130"`..`"139"` is
/// 13000..=13999), computed from the table when compiling.
const MOBILE_RANGES: [(u32, u32); 14] = {
    /// A prefix as the first 5 digits, padded with 0s (low) or 9s (high).
    const fn five(s: &str, pad: u32) -> u32 {
        let b = s.as_bytes();
        let mut v = 0;
        let mut i = 0;
        while i < 5 {
            let d = if i < b.len() {
                (b[i] - b'0') as u32
            } else {
                pad
            };
            v = v * 10 + d;
            i += 1;
        }
        v
    }
    let mut out = [(0, 0); 14];
    let mut i = 0;
    while i < MOBILE_PREFIXES.len() {
        out[i] = (five(MOBILE_PREFIXES[i].0, 0), five(MOBILE_PREFIXES[i].1, 9));
        i += 1;
    }
    out
};

/// `true` when the 11 digits of a mobile number start with an allocated
/// prefix of [`MOBILE_PREFIXES`].
pub fn mobile_allocated(d: &[u8; 11]) -> bool {
    let p = num(&d[..5]);
    MOBILE_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&p))
}

/// `true` when every number with the 3-digit prefix `p` is allocated (see
/// [`MOBILE_PREFIXES`]; 161 and 174 are allocated only in part).
pub fn mobile_prefix_allocated(p: u32) -> bool {
    MOBILE_PREFIXES
        .iter()
        .any(|(lo, hi)| lo.len() == 3 && (num(lo.as_bytes())..=num(hi.as_bytes())).contains(&p))
}

/// Validate a PRC mobile number: [`mobile_digits`] must find 11 digits
/// (otherwise `Invalid(Reason::NotMobile)`) and the 3-digit prefix must be
/// allocated ([`mobile_prefix_allocated`]); otherwise the reason names the
/// prefix, e.g. `UnallocatedPrefix(154)`.
pub fn mobile(s: &str) -> Check {
    let Some(d) = mobile_digits(s) else {
        return Check::Invalid(Reason::NotMobile);
    };
    if mobile_allocated(&d) {
        Check::Valid
    } else {
        Check::Invalid(Reason::UnallocatedPrefix(num(&d[..3]) as u16))
    }
}

/// A fixed-line number with area code (010-62345678, 0755 12345678). Valid
/// under a phone header: it identifies a subscriber as well as a mobile does.
///
/// By area code: the 3-digit codes 010 and 020–029 take an 8-digit local
/// number, the 4-digit codes 03xx–09xx a 7- or 8-digit one; a local number
/// starts with 2–8 (0 and 1 lead trunk and service codes).
pub fn is_landline(v: &str) -> bool {
    if !v.starts_with(['0', '(']) {
        return false;
    }
    let mut d = [0u8; 12];
    let mut n = 0;
    for c in v.bytes() {
        match c {
            b'0'..=b'9' if n < 12 => {
                d[n] = c;
                n += 1;
            }
            b'0'..=b'9' => return false,
            b'-' | b' ' | b'(' | b')' => {}
            _ => return false,
        }
    }
    let d = &d[..n];
    let three = d.starts_with(b"010") || (d.starts_with(b"02") && n >= 3);
    let (area, locals): (usize, &[usize]) = if three { (3, &[8]) } else { (4, &[7, 8]) };
    d.first() == Some(&b'0')
        && d.get(1).is_some_and(|&c| c != b'0')
        && n > area
        && locals.contains(&(n - area))
        && matches!(d[area], b'2'..=b'8')
}

/// A landline as leaks and forms write it by value: with its area code set
/// off by a dash or parentheses (`010-62345678`, `(0755)12345678`).
fn landline_by_value(v: &str) -> bool {
    (v.starts_with('(') || v.contains('-')) && is_landline(v)
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
        if landline_by_value(v) {
            return Some(Check::Valid);
        }
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
            .chain([146, 148, 149, 154, 160, 163, 164, 168, 169, 179, 194])
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
            130, 135, 139, 145, 147, 150, 153, 155, 159, 162, 165, 166, 167, 170, 178, 180, 186,
            189, 190, 193, 195, 199,
        ] {
            assert_eq!(mobile(&format!("{p}87654321")), Check::Valid, "{p}");
        }
        // Country-code notations and dots (libphonenumber reads them all).
        for v in [
            "(+86)13812345678",
            "(+86) 138 1234 5678",
            "(86)13812345678",
            "+86(0)13812345678",
            "+86 (0) 138-1234-5678",
            "138.1234.5678",
            "+86.138.1234.5678",
        ] {
            assert_eq!(mobile(v), Check::Valid, "{v}");
        }
        for v in [
            "13812345678.0",
            "(+87)13812345678",
            "+86(1)13812345678",
            "(+86)",
        ] {
            assert_ne!(mobile(v), Check::Valid, "{v}");
        }
        // Landlines by area code.
        for v in [
            "010-62345678",
            "020-87654321",
            "(0755)22345678",
            "0755-2345678",
            "0571 88776655",
        ] {
            assert!(is_landline(v), "{v}");
        }
        for v in [
            "030-99815873",
            "010-1234567",
            "0755-02345678",
            "0010-62345678",
            "01062345678901",
        ] {
            assert!(!is_landline(v), "{v}");
        }
        // Partly allocated: 1610 (not 1611-1619), 17400-17405 (not the rest of 174).
        assert_eq!(mobile("16101234567"), Check::Valid);
        assert_eq!(
            mobile("16111234567"),
            Check::Invalid(Reason::UnallocatedPrefix(161))
        );
        assert_eq!(mobile("17405123456"), Check::Valid);
        assert_eq!(
            mobile("17406123456"),
            Check::Invalid(Reason::UnallocatedPrefix(174))
        );
        // Every 1xx prefix is exactly one of all allocated / unallocated / in part.
        for p in 100..200 {
            let part = matches!(p, 161 | 174);
            assert_ne!(
                mobile_prefix_allocated(p) || part,
                unallocated.contains(&p),
                "{p}"
            );
        }
        assert_eq!(
            mobile("+86 154 1234 5678"),
            Check::Invalid(Reason::UnallocatedPrefix(154))
        );
    }
}
