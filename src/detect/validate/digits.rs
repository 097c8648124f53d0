//! Small byte helpers the validators share, and the Luhn check digit (also
//! used by masking).

pub(super) fn all_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// Decimal value of a short run of ASCII digits (caller guarantees digits, len <= 9).
pub(super) fn num(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |acc, &c| {
        acc.wrapping_mul(10)
            .wrapping_add(u32::from(c.wrapping_sub(b'0')))
    })
}

/// Value of the first `k` bytes if they are all ASCII digits.
pub(super) fn prefix_num(b: &[u8], k: usize) -> Option<u32> {
    match b.get(..k) {
        Some(p) if all_digits(p) => Some(num(p)),
        _ => None,
    }
}

pub(super) enum Digits<const N: usize> {
    /// Something other than a digit or an allowed separator, or no digit at all.
    Junk,
    /// Only digits and separators, but more than `N` digits.
    TooLong,
    Ok([u8; N], usize),
}

/// Collect the ASCII digits of `s`, skipping ' ' and '-' separators.
pub(super) fn scan_digits<const N: usize>(s: &str) -> Digits<N> {
    let mut buf = [0u8; N];
    let mut n = 0usize;
    let mut too_long = false;
    for &c in s.as_bytes() {
        match c {
            b'0'..=b'9' => {
                if n < N {
                    buf[n] = c;
                    n += 1;
                } else {
                    too_long = true;
                }
            }
            b' ' | b'-' => {}
            _ => return Digits::Junk,
        }
    }
    if n == 0 {
        Digits::Junk
    } else if too_long {
        Digits::TooLong
    } else {
        Digits::Ok(buf, n)
    }
}

pub fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether `v` has an ASCII digit: an attempt at a numeric identifier.
pub(super) fn has_digit(v: &str) -> bool {
    v.bytes().any(|b| b.is_ascii_digit())
}

/// Luhn mod-10 check (ISO/IEC 7812-1 Annex B) over ASCII digits, the last
/// digit being the check digit. `false` for an empty slice or any non-digit.
pub fn luhn(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in digits.iter().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum = (sum + d) % 10;
    }
    sum == 0
}
