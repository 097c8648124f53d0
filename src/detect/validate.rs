//! Validators for Chinese personal identifiers and attributes (SPEC §1.3, §1.4, §2.1).
//!
//! Every function here is plain Rust over `&str` / `&[u8]`: no regex, no heap
//! allocation in the per-field paths, and no panics on any input (arbitrary
//! UTF-8, empty strings, very long strings). Callers trim values and convert
//! full-width characters to half-width before calling.
//!
//! A validator answers [`Check`]: `Valid`, or `Invalid(reason)` with a short
//! English reason that the report can quote as the evidence that an item is
//! "untrue" (Interp-2017 Art. 11, SPEC §1.3).

use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use aho_corasick::AhoCorasick;

/// Outcome of validating one value that has the shape of an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The value passes every check.
    Valid,
    /// The value fails; the text says why (short English, stable wording).
    Invalid(&'static str),
}

impl Check {
    /// `true` for [`Check::Valid`].
    pub fn is_valid(self) -> bool {
        matches!(self, Check::Valid)
    }
}

/// A civil date (year, month, day) in the proleptic Gregorian calendar.
pub type Ymd = (i32, u32, u32);

// ---------------------------------------------------------------------------
// Calendar helpers
// ---------------------------------------------------------------------------

/// Gregorian leap year rule: divisible by 4, except centuries not divisible by 400.
pub fn is_leap_year(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Number of days in month `m` (1..=12) of year `y`; 0 for a month outside 1..=12.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `true` when `(y, m, d)` is a real calendar date (any year, Gregorian rules).
pub fn is_valid_ymd((y, m, d): Ymd) -> bool {
    d >= 1 && d <= days_in_month(y, m)
}

/// Days since 1970-01-01 to the civil date (H. Hinnant's `civil_from_days`).
/// The input is clamped to about ±270,000 years so the result always fits.
pub fn civil_from_days(days: i64) -> Ymd {
    let z = days.clamp(-100_000_000, 100_000_000) + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m as u32, d as u32)
}

/// Days from 1970-01-01 to a civil date (inverse of [`civil_from_days`]);
/// out-of-range months/days are not rejected, only computed without overflow.
pub fn days_from_civil((y, m, d): Ymd) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = i64::from(y) - i64::from(m <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400; // [0, 399]
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Today's date in UTC, from [`SystemTime`] (a clock before 1970 gives
/// 1970-01-01), read once per process: a scan that runs past midnight judges
/// every birth date against the same day.
pub fn today() -> Ymd {
    static TODAY: LazyLock<Ymd> = LazyLock::new(clock_date);
    *TODAY
}

fn clock_date() -> Ymd {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

// ---------------------------------------------------------------------------
// Small byte helpers
// ---------------------------------------------------------------------------

fn all_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// Decimal value of a short run of ASCII digits (caller guarantees digits, len <= 9).
fn num(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |acc, &c| {
        acc.wrapping_mul(10)
            .wrapping_add(u32::from(c.wrapping_sub(b'0')))
    })
}

/// Value of the first `k` bytes if they are all ASCII digits.
fn prefix_num(b: &[u8], k: usize) -> Option<u32> {
    match b.get(..k) {
        Some(p) if all_digits(p) => Some(num(p)),
        _ => None,
    }
}

enum Digits<const N: usize> {
    /// Something other than a digit or an allowed separator, or no digit at all.
    Junk,
    /// Only digits and separators, but more than `N` digits.
    TooLong,
    Ok([u8; N], usize),
}

/// Collect the ASCII digits of `s`, skipping ' ' and '-' separators.
fn scan_digits<const N: usize>(s: &str) -> Digits<N> {
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

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

// ---------------------------------------------------------------------------
// Resident identity card number, GB 11643-1999
// ---------------------------------------------------------------------------

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

/// The reason given for an 18-digit ID that a spreadsheet turned into a
/// floating-point number.
pub const MANGLED_ID: &str =
    "resident ID in scientific notation: a spreadsheet already lost its last digits";

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

const PROVINCE_REASONS: [&str; 100] = [
    "unknown province code 00",
    "unknown province code 01",
    "unknown province code 02",
    "unknown province code 03",
    "unknown province code 04",
    "unknown province code 05",
    "unknown province code 06",
    "unknown province code 07",
    "unknown province code 08",
    "unknown province code 09",
    "unknown province code 10",
    "unknown province code 11",
    "unknown province code 12",
    "unknown province code 13",
    "unknown province code 14",
    "unknown province code 15",
    "unknown province code 16",
    "unknown province code 17",
    "unknown province code 18",
    "unknown province code 19",
    "unknown province code 20",
    "unknown province code 21",
    "unknown province code 22",
    "unknown province code 23",
    "unknown province code 24",
    "unknown province code 25",
    "unknown province code 26",
    "unknown province code 27",
    "unknown province code 28",
    "unknown province code 29",
    "unknown province code 30",
    "unknown province code 31",
    "unknown province code 32",
    "unknown province code 33",
    "unknown province code 34",
    "unknown province code 35",
    "unknown province code 36",
    "unknown province code 37",
    "unknown province code 38",
    "unknown province code 39",
    "unknown province code 40",
    "unknown province code 41",
    "unknown province code 42",
    "unknown province code 43",
    "unknown province code 44",
    "unknown province code 45",
    "unknown province code 46",
    "unknown province code 47",
    "unknown province code 48",
    "unknown province code 49",
    "unknown province code 50",
    "unknown province code 51",
    "unknown province code 52",
    "unknown province code 53",
    "unknown province code 54",
    "unknown province code 55",
    "unknown province code 56",
    "unknown province code 57",
    "unknown province code 58",
    "unknown province code 59",
    "unknown province code 60",
    "unknown province code 61",
    "unknown province code 62",
    "unknown province code 63",
    "unknown province code 64",
    "unknown province code 65",
    "unknown province code 66",
    "unknown province code 67",
    "unknown province code 68",
    "unknown province code 69",
    "unknown province code 70",
    "unknown province code 71",
    "unknown province code 72",
    "unknown province code 73",
    "unknown province code 74",
    "unknown province code 75",
    "unknown province code 76",
    "unknown province code 77",
    "unknown province code 78",
    "unknown province code 79",
    "unknown province code 80",
    "unknown province code 81",
    "unknown province code 82",
    "unknown province code 83",
    "unknown province code 84",
    "unknown province code 85",
    "unknown province code 86",
    "unknown province code 87",
    "unknown province code 88",
    "unknown province code 89",
    "unknown province code 90",
    "unknown province code 91",
    "unknown province code 92",
    "unknown province code 93",
    "unknown province code 94",
    "unknown province code 95",
    "unknown province code 96",
    "unknown province code 97",
    "unknown province code 98",
    "unknown province code 99",
];

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
        return Check::Invalid(MANGLED_ID);
    }
    if !is_resident_id_shape(s) {
        return Check::Invalid("not a resident ID number");
    }
    let b = s.as_bytes();
    let prov = num(&b[..2]);
    if !province_code_known(prov) {
        return Check::Invalid(PROVINCE_REASONS[prov as usize % 100]);
    }
    let ymd: Ymd = if b.len() == 18 {
        (num(&b[6..10]) as i32, num(&b[10..12]), num(&b[12..14]))
    } else {
        (1900 + num(&b[6..8]) as i32, num(&b[8..10]), num(&b[10..12]))
    };
    if !is_valid_ymd(ymd) {
        return Check::Invalid("invalid birth date");
    }
    if ymd < (1900, 1, 1) {
        return Check::Invalid("birth date before 1900");
    }
    if ymd > today {
        return Check::Invalid("birth date in the future");
    }
    if b.len() == 18 {
        let want = resident_id_check_char(&b[..17]);
        if want != Some(b[17].to_ascii_uppercase()) {
            return Check::Invalid("resident ID check digit mismatch");
        }
    }
    Check::Valid
}

// ---------------------------------------------------------------------------
// Mobile numbers
// ---------------------------------------------------------------------------

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

macro_rules! unallocated_reasons {
    ($p:expr; $($n:literal)*) => {
        match $p {
            $($n => concat!("unallocated mobile prefix ", stringify!($n)),)*
            _ => "unallocated mobile prefix",
        }
    };
}

fn unallocated_reason(p: u32) -> &'static str {
    unallocated_reasons!(p;
        100 101 102 103 104 105 106 107 108 109
        110 111 112 113 114 115 116 117 118 119
        120 121 122 123 124 125 126 127 128 129
        140 141 142 143 144 154 160 161 163 164 168 169 179 194)
}

/// Validate a PRC mobile number: [`mobile_digits`] must find 11 digits
/// (otherwise `Invalid("not a mobile number")`) and the 3-digit prefix must be
/// allocated ([`mobile_prefix_allocated`]); otherwise the reason names the
/// prefix, e.g. `"unallocated mobile prefix 154"`.
pub fn mobile(s: &str) -> Check {
    let Some(d) = mobile_digits(s) else {
        return Check::Invalid("not a mobile number");
    };
    let p = num(&d[..3]);
    if mobile_prefix_allocated(p) {
        Check::Valid
    } else {
        Check::Invalid(unallocated_reason(p))
    }
}

// ---------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------

fn is_local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Domain part of an address (RFC 1035 §2.3.1 preferred name syntax): labels
/// of 1..=63 `[A-Za-z0-9-]` not starting or ending with `-`, at least one dot,
/// top-level label alphabetic with at least 2 letters (or an IDNA `xn--` label).
fn check_domain(d: &[u8]) -> Result<(), &'static str> {
    if d.is_empty() {
        return Err("e-mail domain is empty");
    }
    if !d.contains(&b'.') {
        return Err("e-mail domain has no dot");
    }
    let mut labels = d.split(|&c| c == b'.').peekable();
    while let Some(label) = labels.next() {
        let ok = (1..=63).contains(&label.len())
            && label
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'-')
            && label.first() != Some(&b'-')
            && label.last() != Some(&b'-');
        if !ok {
            return Err("e-mail domain label is malformed");
        }
        if labels.peek().is_none() {
            let idna = label.len() > 4 && label[..4].eq_ignore_ascii_case(b"xn--");
            let alpha = label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic);
            if !(alpha || idna) {
                return Err("e-mail top-level domain is malformed");
            }
        }
    }
    Ok(())
}

/// Validate an e-mail address (`local@domain`, a practical subset of RFC 5321
/// §4.1.2 / §4.5.3.1): total length at most 254; exactly one `@`; local part
/// 1..=64 characters of `[A-Za-z0-9._%+-]`, not starting or ending with `.`,
/// no `..`; domain labels `[A-Za-z0-9-]` not starting or ending with `-`, at
/// least one dot, top-level domain alphabetic with at least 2 letters (IDNA
/// `xn--…` top-level labels are also accepted).
pub fn email(s: &str) -> Check {
    let b = s.as_bytes();
    if b.len() > 254 {
        return Check::Invalid("e-mail longer than 254 characters");
    }
    let mut ats = b.iter().enumerate().filter(|(_, &c)| c == b'@');
    let at = match (ats.next(), ats.next()) {
        (Some((i, _)), None) => i,
        _ => return Check::Invalid("e-mail must contain exactly one '@'"),
    };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    if !(1..=64).contains(&local.len()) {
        return Check::Invalid("e-mail local part length");
    }
    if !local.iter().all(|&c| is_local_byte(c)) {
        return Check::Invalid("e-mail local part has an invalid character");
    }
    if local[0] == b'.' || local[local.len() - 1] == b'.' || local.windows(2).any(|w| w == b"..") {
        return Check::Invalid("e-mail local part dot placement");
    }
    match check_domain(domain) {
        Ok(()) => Check::Valid,
        Err(r) => Check::Invalid(r),
    }
}

/// Cheap shape test for free text: no whitespace, exactly one `@`, and a
/// non-empty part on each side of it. Use [`email`] to validate.
pub fn looks_like_email(s: &str) -> bool {
    let mut at = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            return false;
        }
        if c == '@' {
            if at.is_some() {
                return false;
            }
            at = Some(i);
        }
    }
    matches!(at, Some(i) if i > 0 && i + 1 < s.len())
}

// ---------------------------------------------------------------------------
// Bank cards
// ---------------------------------------------------------------------------

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
        Digits::Junk => return Check::Invalid("not a card number"),
        Digits::TooLong => return Check::Invalid("card number length"),
        Digits::Ok(buf, n) => (buf, n),
    };
    if n < 16 {
        return Check::Invalid("card number length");
    }
    let d = &buf[..n];
    if require_bin && !known_bin(d) {
        return Check::Invalid("unknown card issuer prefix");
    }
    if !luhn(d) {
        return Check::Invalid("card number fails Luhn");
    }
    Check::Valid
}

// ---------------------------------------------------------------------------
// Travel documents
// ---------------------------------------------------------------------------

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
        Check::Invalid("not a passport number")
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
        Check::Invalid("not a Hong Kong/Macao travel permit number")
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
        Check::Invalid("not a Taiwan travel permit number")
    }
}

/// Header-less shape test: a [`passport`] or [`hk_macau_permit`] number.
/// Bare 8/10-digit Taiwan permit numbers are not included (too many false
/// positives in numeric columns).
pub fn looks_like_passport_or_permit(s: &str) -> bool {
    passport(s).is_valid() || hk_macau_permit(s).is_valid()
}

// ---------------------------------------------------------------------------
// Social accounts and devices (used only under a header that declares them)
// ---------------------------------------------------------------------------

/// Validate a QQ number (Tencent account uin): 5..=11 digits, not starting with 0.
pub fn qq(s: &str) -> Check {
    let b = s.as_bytes();
    if (5..=11).contains(&b.len()) && all_digits(b) && b[0] != b'0' {
        Check::Valid
    } else {
        Check::Invalid("not a QQ number")
    }
}

/// Validate a WeChat id (微信号): 6..=20 characters, an ASCII letter first,
/// then `[A-Za-z0-9_-]` (Tencent's published rule); or a system id `wxid_`
/// followed by 6..=30 `[a-z0-9]`; or a mobile number ([`mobile`]) or QQ
/// number ([`qq`]), which users may bind as their WeChat id.
pub fn wechat(s: &str) -> Check {
    let b = s.as_bytes();
    if let Some(rest) = b.strip_prefix(b"wxid_") {
        if (6..=30).contains(&rest.len())
            && rest
                .iter()
                .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            return Check::Valid;
        }
    }
    let custom = (6..=20).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
    if custom || mobile(s).is_valid() || qq(s).is_valid() {
        Check::Valid
    } else {
        Check::Invalid("not a WeChat id")
    }
}

/// Validate a Weibo account: a numeric uid (5..=12 digits) or a nickname. Both
/// are accepted; a value is invalid only when it is empty, contains whitespace
/// or contains a control character.
pub fn weibo(s: &str) -> Check {
    if s.is_empty() {
        Check::Invalid("empty Weibo id")
    } else if s.chars().any(char::is_whitespace) {
        Check::Invalid("Weibo id contains whitespace")
    } else if s.chars().any(char::is_control) {
        Check::Invalid("Weibo id contains a control character")
    } else {
        Check::Valid
    }
}

/// Validate an IMEI (3GPP TS 23.003 §6.2): 15 digits whose last is the Luhn
/// check digit; 14 digits (IMEI without check digit) and 16 digits (IMEISV)
/// are valid without a check. Spaces and dashes are ignored. The all-zero
/// placeholder (emulators, permission denied) is invalid.
pub fn imei(s: &str) -> Check {
    let (buf, n) = match scan_digits::<16>(s) {
        Digits::Ok(buf, n) => (buf, n),
        _ => return Check::Invalid("not an IMEI"),
    };
    let d = &buf[..n];
    if !(14..=16).contains(&n) {
        return Check::Invalid("not an IMEI");
    }
    if d.iter().all(|&c| c == b'0') {
        return Check::Invalid("all-zero IMEI");
    }
    if n == 15 && !luhn(d) {
        return Check::Invalid("IMEI check digit mismatch");
    }
    Check::Valid
}

/// Validate an IMSI (3GPP TS 23.003 §2.2, ITU-T E.212): 15 digits whose mobile
/// country code (first 3 digits) is in 200..=799 (China: 460).
pub fn imsi(s: &str) -> Check {
    let b = s.as_bytes();
    if b.len() != 15 || !all_digits(b) {
        return Check::Invalid("not an IMSI");
    }
    if (200..=799).contains(&num(&b[..3])) {
        Check::Valid
    } else {
        Check::Invalid("IMSI country code out of range")
    }
}

/// Validate a device identifier; valid if any shape matches:
/// IDFA / UUID (RFC 4122 textual form `8-4-4-4-12` hex digits), MAC address
/// (IEEE 802 EUI-48, six hex pairs separated by all `:` or all `-`), or
/// Android ID (16 hex digits). All-zero ids (IDFA with ad tracking limited),
/// the broadcast MAC `ff:ff:ff:ff:ff:ff` and `02:00:00:00:00:00` (the fixed
/// value Android 6+ returns to apps) identify no device and are invalid.
pub fn device_id(s: &str) -> Check {
    let b = s.as_bytes();
    let hex_except = |seps: &[usize], sep_ok: &dyn Fn(u8) -> bool| {
        b.iter().enumerate().all(|(i, &c)| {
            if seps.contains(&i) {
                sep_ok(c)
            } else {
                c.is_ascii_hexdigit()
            }
        })
    };
    let shape = match b.len() {
        36 => hex_except(&[8, 13, 18, 23], &|c| c == b'-'),
        17 => {
            let sep = b[2];
            matches!(sep, b':' | b'-') && hex_except(&[2, 5, 8, 11, 14], &|c| c == sep)
        }
        16 => hex_except(&[], &|_| false),
        _ => false,
    };
    if !shape {
        return Check::Invalid("not a device id");
    }
    let hex = || b.iter().filter(|c| c.is_ascii_hexdigit());
    if hex().all(|&c| c == b'0') {
        return Check::Invalid("all-zero device id");
    }
    if b.len() == 17 {
        if hex().all(|c| c.eq_ignore_ascii_case(&b'f')) {
            return Check::Invalid("broadcast MAC address");
        }
        if hex().copied().eq(b"020000000000".iter().copied()) {
            return Check::Invalid("placeholder MAC address");
        }
    }
    Check::Valid
}

const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
const PLATE_SPECIAL_SUFFIX: &str = "挂学警港澳领";

/// `[A-HJ-NP-Z0-9]`, ASCII letters case-insensitive.
fn plate_char(c: char) -> bool {
    let u = c.to_ascii_uppercase();
    u.is_ascii_digit() || (u.is_ascii_uppercase() && u != 'I' && u != 'O')
}

/// Validate a PRC motor vehicle plate (GA 36-2018): a province abbreviation
/// (京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼), an
/// issuing-authority letter A-Z except I and O, an optional separator (`·`,
/// `•` or a space), then either 5 characters of `[A-HJ-NP-Z0-9]` (the last
/// may instead be one of 挂 学 警 港 澳 领) or 6 such characters (new-energy
/// plates). ASCII letters are accepted in lower case too.
pub fn plate(s: &str) -> Check {
    const BAD: Check = Check::Invalid("not a vehicle plate");
    let mut it = s.chars();
    match it.next() {
        Some(p) if PLATE_PROVINCES.contains(p) => {}
        _ => return BAD,
    }
    match it.next() {
        Some(l) if l.is_ascii_alphabetic() && plate_char(l) => {}
        _ => return BAD,
    }
    let mut rest = it.as_str();
    for sep in ['·', '•', ' '] {
        if let Some(r) = rest.strip_prefix(sep) {
            rest = r;
            break;
        }
    }
    let mut tail = ['\0'; 6];
    let mut n = 0;
    for c in rest.chars() {
        if n == 6 {
            return BAD;
        }
        tail[n] = c;
        n += 1;
    }
    let ok = match n {
        5 => {
            tail[..4].iter().all(|&c| plate_char(c))
                && (plate_char(tail[4]) || PLATE_SPECIAL_SUFFIX.contains(tail[4]))
        }
        6 => tail.iter().all(|&c| plate_char(c)),
        _ => false,
    };
    if ok {
        Check::Valid
    } else {
        BAD
    }
}

// ---------------------------------------------------------------------------
// Masked identifiers (SPEC §1.4)
// ---------------------------------------------------------------------------

fn is_mask(c: char) -> bool {
    matches!(c, '*' | '＊' | '●')
}

/// `true` for an identifier with part of it replaced by mask characters
/// (`*`, `＊` or `●`; other masking glyphs such as `x` or `×` are not
/// recognised), which Interp-2017 Art. 3 treats as de-identified (SPEC §1.4).
///
/// Numeric shapes: after removing spaces and dashes (and a leading `+86`),
/// every position is a digit or a mask character (an `X`/`x` only as the last
/// of 18 positions), with at least one mask and at least 2 visible digits, and
/// the number of positions is 11 with a visible leading `1` (phone,
/// `138****1234`), 15 or 18 (resident ID, `1101**********1234`,
/// `110101********123X`), or 16..=19 (card, `6222 **** **** 1234`).
/// E-mail shape: exactly one `@`, a local part of e-mail characters and masks
/// with at least one mask (`z***@qq.com`, `***@qq.com`), and a domain that
/// passes the [`email`] domain rules.
pub fn masked_identifier(s: &str) -> bool {
    // Every mask character is `*` or starts with EF (＊) or E2 (●).
    if memchr::memchr3(b'*', 0xef, 0xe2, s.as_bytes()).is_none() {
        return false;
    }
    if s.contains('@') {
        return masked_email(s);
    }
    let body = s.strip_prefix("+86").unwrap_or(s);
    let (mut positions, mut masks, mut digits) = (0usize, 0usize, 0usize);
    let mut first = '\0';
    let mut x_at = 0usize;
    for c in body.chars() {
        match c {
            ' ' | '-' => continue,
            '0'..='9' => digits += 1,
            'X' | 'x' => {
                if x_at != 0 {
                    return false;
                }
                x_at = positions + 1;
            }
            c if is_mask(c) => masks += 1,
            _ => return false,
        }
        positions += 1;
        if positions == 1 {
            first = c;
        }
        if positions > 19 {
            return false;
        }
    }
    if masks == 0 || digits < 2 {
        return false;
    }
    if x_at != 0 && !(x_at == positions && positions == 18) {
        return false;
    }
    match positions {
        11 => first == '1',
        15..=19 => true,
        _ => false,
    }
}

fn masked_email(s: &str) -> bool {
    let mut parts = s.splitn(3, '@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let mut masks = 0usize;
    for c in local.chars() {
        if is_mask(c) {
            masks += 1;
        } else if !(c.is_ascii() && is_local_byte(c as u8)) {
            return false;
        }
    }
    masks > 0 && local.chars().count() <= 64 && check_domain(domain.as_bytes()).is_ok()
}

// ---------------------------------------------------------------------------
// Weak attributes
// ---------------------------------------------------------------------------

/// Common single-character Chinese surnames (sorted by code point for binary search).
const SURNAMES: [char; 403] = [
    '丁', '万', '丛', '严', '丰', '乌', '乐', '乔', '于', '云', '亓', '井', '亢', '仇', '付', '仝',
    '仲', '任', '伊', '伍', '伏', '但', '位', '何', '佘', '余', '佟', '侯', '俞', '信', '修', '倪',
    '傅', '储', '元', '党', '全', '公', '兰', '关', '冀', '冉', '农', '冯', '况', '冶', '冷', '冼',
    '凌', '刁', '刘', '初', '利', '劳', '勾', '包', '匡', '区', '华', '卓', '单', '南', '卜', '卞',
    '卢', '卫', '印', '危', '卿', '厉', '原', '古', '史', '叶', '司', '吉', '向', '吕', '吴', '周',
    '呼', '和', '哈', '唐', '商', '喻', '国', '夏', '奉', '奚', '姚', '姜', '姬', '娄', '孔', '孙',
    '孟', '季', '宁', '安', '宋', '宗', '官', '宣', '宫', '容', '宾', '宿', '寇', '富', '封', '尉',
    '尚', '尤', '尧', '尹', '居', '屈', '展', '屠', '岑', '岳', '崔', '嵇', '左', '巩', '巫', '巴',
    '帅', '师', '席', '常', '干', '平', '幸', '庄', '应', '庞', '康', '廉', '廖', '张', '强', '彭',
    '徐', '惠', '慕', '戈', '戎', '成', '战', '戚', '戴', '房', '扈', '揭', '支', '敖', '敬', '文',
    '斯', '方', '於', '施', '时', '明', '易', '昝', '晁', '晋', '晏', '普', '景', '智', '曲', '曹',
    '曾', '朱', '朴', '权', '李', '杜', '束', '来', '杨', '杭', '林', '柏', '查', '柯', '柳', '柴',
    '栗', '栾', '桂', '桑', '梁', '梅', '植', '楚', '楼', '樊', '檀', '欧', '武', '段', '殷', '母',
    '毕', '毛', '江', '池', '汤', '汪', '沈', '沙', '浦', '海', '涂', '温', '游', '湛', '滕', '满',
    '漆', '潘', '焦', '熊', '燕', '牛', '牟', '狄', '玉', '王', '班', '甄', '甘', '田', '由', '申',
    '白', '皮', '盖', '盘', '盛', '相', '瞿', '石', '祁', '祖', '祝', '禹', '秦', '程', '穆', '窦',
    '章', '童', '符', '简', '管', '米', '粟', '索', '纪', '练', '缪', '罗', '羊', '翁', '翟', '耿',
    '聂', '肖', '胡', '胥', '臧', '舒', '艾', '芦', '芮', '花', '苏', '苑', '苗', '苟', '范', '茅',
    '茹', '荆', '荣', '莫', '葛', '董', '蒋', '蒙', '蒲', '蓝', '蔚', '蔡', '蔺', '薄', '薛', '虞',
    '衡', '衣', '袁', '裘', '裴', '褚', '覃', '解', '詹', '计', '许', '诸', '谈', '谌', '谢', '谭',
    '谷', '豆', '费', '贺', '贾', '赫', '赵', '路', '车', '辛', '辜', '边', '连', '迟', '逯', '邓',
    '邝', '邢', '那', '邬', '邰', '邱', '邵', '邸', '邹', '郁', '郎', '郑', '郜', '郝', '郦', '郭',
    '都', '鄂', '鄢', '金', '钟', '钮', '钱', '银', '门', '闫', '闭', '闵', '闻', '阎', '阙', '阚',
    '阮', '阳', '阴', '阿', '陆', '陈', '陶', '隆', '隋', '雍', '雷', '霍', '靳', '鞠', '韦', '韩',
    '项', '顾', '颜', '饶', '马', '骆', '高', '魏', '鲁', '鲍', '鲜', '鹿', '麦', '麻', '黄', '黎',
    '齐', '龙', '龚',
];

/// Compound (two-character) surnames.
const COMPOUND_SURNAMES: [&str; 29] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "澹台", "轩辕", "呼延", "百里", "南宫", "西门", "万俟", "独孤", "申屠",
    "钟离", "闻人", "赫连", "完颜", "拓跋",
];

/// Characters that mark an address rather than a name.
const NAME_ADDRESS_MARKERS: &str = "省市区县镇乡村路街号栋室";

/// Words that occur in organisation or place values, never in personal names.
const NON_NAME_WORDS: [&str; 14] = [
    "公司", "银行", "酒店", "医院", "学校", "大学", "学院", "政府", "中心", "集团", "有限", "宾馆",
    "饭店", "超市",
];

/// Common two-character words that start with a surname character and would
/// otherwise pass as names (时间 is 时 + 间). Exact matches only: 金额 is
/// not a name, 金额华 could be.
const NON_NAME_EXACT: [&str; 64] = [
    "时间", "金额", "金卡", "金融", "黄金", "银卡", "来源", "高级", "高中", "普通", "车型", "车辆",
    "文化", "文件", "文本", "方式", "方法", "方向", "方案", "余额", "程度", "程序", "江苏", "江西",
    "湖北", "湖南", "安徽", "云南", "贵州", "广东", "广西", "山东", "山西", "海南", "福建", "吉林",
    "黄色", "白色", "红色", "蓝色", "明细", "常用", "包装", "包邮", "应用", "成功", "成本", "单位",
    "单价", "全部", "全国", "经理", "司机", "项目", "支付", "周末", "季度", "年龄", "日期", "万元",
    "于是", "于是", "计划", "关于",
];

/// The organisation words, found in one pass.
static NON_NAME_WORDS_AC: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(NON_NAME_WORDS).ok());

static NON_NAME_EXACT_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| NON_NAME_EXACT.into_iter().collect());

/// Whether `s` contains an organisation word (公司, 银行 …).
fn has_non_name_word(s: &str) -> bool {
    // Every word is two CJK characters: six bytes.
    if s.len() < 6 {
        return false;
    }
    match &*NON_NAME_WORDS_AC {
        Some(ac) => ac.is_match(s),
        None => NON_NAME_WORDS.iter().any(|w| s.contains(w)),
    }
}

/// `true` for a value that can be a name where a header says it is one: any
/// script (Zhang Wei, 买买提), but no digits, no organisation words, not long.
pub fn name_like(s: &str) -> bool {
    // 30 characters are at most 120 bytes.
    if s.is_empty() || s.len() > 120 || s.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let n = s.chars().count();
    (1..=30).contains(&n) && !has_non_name_word(s)
}

/// `true` for a plausible personal name written in Chinese characters.
///
/// Han names: 2..=4 CJK unified ideographs (U+4E00..U+9FFF) whose first
/// character is a common surname (about 400, after the 百家姓 and the
/// Ministry of Public Security surname statistics) or whose first two are a
/// compound surname (欧阳, 司马, 诸葛, …). Transliterated minority names:
/// CJK parts joined by `·` (U+00B7), `•` (U+2022), `・` (U+30FB) or `.`,
/// 3..=15 characters in total, e.g. `阿依古丽·买买提`.
/// Rejected: values containing an organisation word (公司 银行 酒店 医院 学校
/// 大学 学院 政府 中心 集团 有限 宾馆 饭店 超市), or an address marker
/// (省 市 区 县 镇 乡 村 路 街 号 栋 室) — for Han names the markers are
/// checked after the surname only, so that the surnames 路 and 区 still work.
pub fn chinese_name(s: &str) -> bool {
    if !s.chars().next().is_some_and(is_cjk) {
        return false;
    }
    if s.len() > 15 * 4 || has_non_name_word(s) || NON_NAME_EXACT_SET.contains(s) {
        return false;
    }
    let has_marker = |t: &str| t.chars().any(|c| NAME_ADDRESS_MARKERS.contains(c));
    let is_sep = |c: char| matches!(c, '·' | '•' | '・' | '.');
    if s.chars().any(is_sep) {
        let n = s.chars().count();
        let mut parts = 0usize;
        for part in s.split(is_sep) {
            if part.is_empty() || !part.chars().all(is_cjk) {
                return false;
            }
            parts += 1;
        }
        return (3..=15).contains(&n) && parts >= 2 && !has_marker(s);
    }
    let n = s.chars().count();
    if !(2..=4).contains(&n) || !s.chars().all(is_cjk) {
        return false;
    }
    let given = if n >= 3 && COMPOUND_SURNAMES.iter().any(|p| s.starts_with(p)) {
        s.char_indices().nth(2).map_or("", |(i, _)| &s[i..])
    } else {
        let mut it = s.chars();
        match it.next() {
            Some(c) if SURNAMES.binary_search(&c).is_ok() => it.as_str(),
            _ => return false,
        }
    };
    !has_marker(given)
}

/// `true` for a plausible postal address: 6..=120 characters, mostly CJK
/// (Han characters at least 4 and at least half of the characters that are
/// not ASCII digits), no sentence punctuation (`。 ! ?`), and either an
/// administrative marker (省 市 区 县 旗 镇 乡 村) together with a locality
/// marker (路 街 道 巷 弄 号 栋 幢 单元 室 小区 组 大厦 花园 苑), or at least
/// two administrative markers (e.g. 广东省深圳市南山区). 村 counts as
/// administrative only, so 村 alone never satisfies both conditions.
pub fn address(s: &str) -> bool {
    if s.len() > 120 * 4 {
        return false;
    }
    let (mut total, mut cjk, mut digits, mut admin) = (0usize, 0usize, 0usize, 0usize);
    for c in s.chars() {
        total += 1;
        if is_cjk(c) {
            cjk += 1;
            if "省市区县旗镇乡村".contains(c) {
                admin += 1;
            }
        } else if c.is_ascii_digit() {
            digits += 1;
        } else if matches!(c, '。' | '!' | '?' | '！' | '？') {
            return false;
        }
    }
    if !(6..=120).contains(&total) || cjk < 4 || cjk * 2 < total - digits {
        return false;
    }
    if admin >= 2 {
        return true;
    }
    const LOCALITY: [&str; 15] = [
        "路", "街", "道", "巷", "弄", "号", "栋", "幢", "单元", "室", "小区", "组", "大厦", "花园",
        "苑",
    ];
    admin >= 1 && LOCALITY.iter().any(|m| s.contains(m))
}

/// `true` for a gender value: 男, 女, 男性, 女性, M, F, male, female
/// (ASCII case-insensitive).
pub fn gender(s: &str) -> bool {
    matches!(s, "男" | "女" | "男性" | "女性")
        || ["m", "f", "male", "female"]
            .iter()
            .any(|g| s.eq_ignore_ascii_case(g))
}

/// The 56 ethnic groups recognised by the PRC (GB/T 3304-1991), without 族.
pub const ETHNIC_GROUPS: [&str; 56] = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// `true` for one of the 56 ethnic groups of GB/T 3304-1991, with or without
/// the trailing 族 (汉, 汉族, 壮族, 维吾尔族, …).
pub fn ethnicity(s: &str) -> bool {
    let base = s.strip_suffix('族').unwrap_or(s);
    ETHNIC_GROUPS.contains(&base)
}

/// Read 1..=max ASCII digits at `*i`, advancing `*i`.
fn take_digits(b: &[u8], i: &mut usize, min: usize, max: usize) -> Option<u32> {
    let start = *i;
    while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i - start < min || (*i < b.len() && b[*i].is_ascii_digit()) {
        return None;
    }
    Some(num(&b[start..*i]))
}

fn take_str(b: &[u8], i: &mut usize, lit: &str) -> bool {
    let lit = lit.as_bytes();
    if b.get(*i..).is_some_and(|r| r.starts_with(lit)) {
        *i += lit.len();
        true
    } else {
        false
    }
}

/// Parse a calendar date (ISO 8601 / GB/T 7408 calendar date and the common
/// Chinese forms): `yyyy-mm-dd`, `yyyy/mm/dd`, `yyyy.mm.dd` (month and day 1 or
/// 2 digits), `yyyymmdd`, `yyyy年m月d日`; optionally followed by a time
/// (space or `T`, then `H:MM` or `HH:MM[:SS[.fraction]]`, hours 0-23,
/// minutes and seconds 0-59). The date must be a real calendar date with a
/// year 1000..=9999 (so placeholders like `0000-00-00` and `0001-01-01` fail).
pub fn date(s: &str) -> Option<Ymd> {
    let b = s.as_bytes();
    let mut i = 0usize;
    let y = take_digits(b, &mut i, 4, 4);
    let (y, m, d) = match (y, b.get(4)) {
        (Some(y), Some(&sep)) if matches!(sep, b'-' | b'/' | b'.') => {
            i += 1;
            let m = take_digits(b, &mut i, 1, 2)?;
            if b.get(i) != Some(&sep) {
                return None;
            }
            i += 1;
            (y, m, take_digits(b, &mut i, 1, 2)?)
        }
        (Some(y), Some(_)) if take_str(b, &mut i, "年") => {
            let m = take_digits(b, &mut i, 1, 2)?;
            if !take_str(b, &mut i, "月") {
                return None;
            }
            let d = take_digits(b, &mut i, 1, 2)?;
            if !take_str(b, &mut i, "日") {
                return None;
            }
            (y, m, d)
        }
        (None, _)
            if b.len() >= 8
                && all_digits(&b[..8])
                && b.get(8).is_none_or(|c| !c.is_ascii_digit()) =>
        {
            i = 8;
            (num(&b[..4]), num(&b[4..6]), num(&b[6..8]))
        }
        _ => return None,
    };
    let ymd = (y as i32, m, d);
    if !(1000..=9999).contains(&ymd.0) || !is_valid_ymd(ymd) {
        return None;
    }
    if i == b.len() {
        return Some(ymd);
    }
    if !matches!(b[i], b' ' | b'T') {
        return None;
    }
    i += 1;
    let hh = take_digits(b, &mut i, 1, 2)?;
    if !take_str(b, &mut i, ":") {
        return None;
    }
    let mm = take_digits(b, &mut i, 2, 2)?;
    let mut ss = 0;
    if take_str(b, &mut i, ":") {
        ss = take_digits(b, &mut i, 2, 2)?;
        if take_str(b, &mut i, ".") {
            take_digits(b, &mut i, 1, 9)?;
        }
    }
    (i == b.len() && hh <= 23 && mm <= 59 && ss <= 59).then_some(ymd)
}

/// Length of a decimal coordinate at the start of `b`: optional sign, 1..=3
/// integer digits, `.`, 4..=15 fractional digits. `None` if there is none.
fn coord_len(b: &[u8]) -> Option<usize> {
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&int) {
        return None;
    }
    i += int;
    if b.get(i) != Some(&b'.') {
        return None;
    }
    i += 1;
    let frac = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(4..=15).contains(&frac) {
        return None;
    }
    Some(i + frac)
}

/// `true` for a WGS-84 / GCJ-02 style coordinate pair `"lat,lng"` or
/// `"lng,lat"`: two decimals, each with at least 4 fractional digits (about
/// 10 m precision), separated by `,`, `，` or whitespace (a comma may have
/// spaces around it); one value in [-90, 90] and the other in [-180, 180].
pub fn coordinate_pair(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(n1) = coord_len(b) else {
        return false;
    };
    let mut i = n1;
    let ws = |b: &[u8], i: &mut usize| {
        let k = b[*i..]
            .iter()
            .take_while(|c| c.is_ascii_whitespace())
            .count();
        *i += k;
        k
    };
    let mut sep = ws(b, &mut i) > 0;
    if take_str(b, &mut i, ",") || take_str(b, &mut i, "，") {
        sep = true;
        ws(b, &mut i);
    }
    if !sep {
        return false;
    }
    let rest = &b[i..];
    if coord_len(rest) != Some(rest.len()) {
        return false;
    }
    let parse = |t: &[u8]| {
        std::str::from_utf8(t)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
    };
    let (Some(a), Some(c)) = (parse(&b[..n1]), parse(rest)) else {
        return false;
    };
    let lat = |v: f64| (-90.0..=90.0).contains(&v);
    let lng = |v: f64| (-180.0..=180.0).contains(&v);
    (lat(a) && lng(c)) || (lng(a) && lat(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Append the GB 11643 check character to a 17-digit body.
    fn id(body: &str) -> String {
        let c = resident_id_check_char(body.as_bytes()).expect("17 digits");
        format!("{body}{}", c as char)
    }

    /// Same body with a wrong check character.
    fn id_bad_check(body: &str) -> String {
        let c = resident_id_check_char(body.as_bytes()).unwrap();
        let wrong = if c == b'0' { '1' } else { '0' };
        format!("{body}{wrong}")
    }

    /// Append the Luhn check digit to a digit string.
    fn with_luhn(body: &str) -> String {
        (b'0'..=b'9')
            .map(|d| format!("{body}{}", d as char))
            .find(|s| luhn(s.as_bytes()))
            .unwrap()
    }

    fn next_day(d: Ymd) -> Ymd {
        civil_from_days(days_from_civil(d) + 1)
    }

    const FIXED_TODAY: Ymd = (2024, 3, 15);

    fn rid(s: &str) -> Check {
        resident_id_at(s, FIXED_TODAY)
    }

    // ---- calendar ----

    #[test]
    fn calendar_round_trip_and_known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil((2000, 3, 1)), 11_017);
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for day in (-800_000..800_000).step_by(97) {
            let ymd = civil_from_days(day);
            assert!(is_valid_ymd(ymd));
            assert_eq!(days_from_civil(ymd), day);
        }
        assert_eq!(next_day((2023, 12, 31)), (2024, 1, 1));
        assert_eq!(next_day((2024, 2, 28)), (2024, 2, 29));
        assert_eq!(next_day((2023, 2, 28)), (2023, 3, 1));
        // extreme inputs do not panic
        let _ = civil_from_days(i64::MAX);
        let _ = civil_from_days(i64::MIN);
        let _ = days_from_civil((i32::MAX, u32::MAX, u32::MAX));
        let _ = days_from_civil((i32::MIN, 0, 0));
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert!(is_valid_ymd((2000, 2, 29)));
        assert!(!is_valid_ymd((1900, 2, 29)));
        assert!(!is_valid_ymd((2023, 2, 29)));
        assert!(!is_valid_ymd((2023, 13, 1)));
        assert!(!is_valid_ymd((2023, 4, 31)));
        assert!(!is_valid_ymd((2023, 1, 0)));
    }

    #[test]
    fn today_is_plausible() {
        let t = today();
        assert!(((2024, 1, 1)..(2200, 1, 1)).contains(&t), "{t:?}");
        assert!(is_valid_ymd(t));
    }

    // ---- resident ID ----

    #[test]
    fn resident_id_standard_examples() {
        // GB 11643-1999 examples.
        assert_eq!(rid("11010519491231002X"), Check::Valid);
        assert_eq!(rid("11010519491231002x"), Check::Valid);
        assert_eq!(resident_id_check_char(b"44052418800101001"), Some(b'4'));
        assert_eq!(
            rid("440524188001010014"),
            Check::Invalid("birth date before 1900")
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
                assert_eq!(rid(&v), Check::Invalid("invalid birth date"));
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
            Check::Invalid("resident ID check digit mismatch")
        );
        assert_eq!(
            rid(&id_bad_check("11010119900307123")),
            Check::Invalid("resident ID check digit mismatch")
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
            Check::Invalid("resident ID check digit mismatch")
        );
        assert_eq!(
            rid(&id("99010119900307123")),
            Check::Invalid("unknown province code 99")
        );
        assert_eq!(
            rid(&id("00010119900307123")),
            Check::Invalid("unknown province code 00")
        );
        assert_eq!(
            rid(&id("16010119900307123")),
            Check::Invalid("unknown province code 16")
        );
        assert_eq!(
            rid(&id("84010119900307123")),
            Check::Invalid("unknown province code 84")
        );
        assert_eq!(
            rid(&id("11010119901307123")),
            Check::Invalid("invalid birth date")
        );
        assert_eq!(
            rid(&id("11010119900000123")),
            Check::Invalid("invalid birth date")
        );
        assert_eq!(
            rid(&id("11010119900431123")),
            Check::Invalid("invalid birth date")
        );
        assert_eq!(
            rid(&id("11010130000101123")),
            Check::Invalid("birth date in the future")
        );
        assert_eq!(
            rid("991231491231002"),
            Check::Invalid("unknown province code 99")
        );
        assert_eq!(rid("110105990229002"), Check::Invalid("invalid birth date"));
        assert_eq!(rid("110105491331002"), Check::Invalid("invalid birth date"));
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
            assert_eq!(rid(s), Check::Invalid("not a resident ID number"), "{s}");
            assert!(!is_resident_id_shape(s), "{s}");
        }
    }

    #[test]
    fn resident_id_birth_date_boundaries() {
        assert_eq!(rid(&id("11010119000101123")), Check::Valid);
        assert_eq!(
            rid(&id("11010118991231123")),
            Check::Invalid("birth date before 1900")
        );
        // born today is valid, tomorrow is not
        let t = FIXED_TODAY;
        let tomorrow = next_day(t);
        let on = |d: Ymd| id(&format!("320102{:04}{:02}{:02}456", d.0, d.1, d.2));
        assert_eq!(resident_id_at(&on(t), t), Check::Valid);
        assert_eq!(
            resident_id_at(&on(tomorrow), t),
            Check::Invalid("birth date in the future")
        );
        // across a year end
        let t2 = (2023, 12, 31);
        assert_eq!(resident_id_at(&on(t2), t2), Check::Valid);
        assert_eq!(
            resident_id_at(&on(next_day(t2)), t2),
            Check::Invalid("birth date in the future")
        );
        // Feb 29
        assert_eq!(rid(&id("11010120000229123")), Check::Valid);
        assert_eq!(rid(&id("11010119960229123")), Check::Valid);
        assert_eq!(
            rid(&id("11010119000229123")),
            Check::Invalid("invalid birth date")
        );
        assert_eq!(
            rid(&id("11010120230229123")),
            Check::Invalid("invalid birth date")
        );
        assert_eq!(rid("110101960229123"), Check::Valid);
        assert_eq!(rid("110101970229123"), Check::Invalid("invalid birth date"));
        assert_eq!(rid("110101000229123"), Check::Invalid("invalid birth date"));
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
        for (i, r) in PROVINCE_REASONS.iter().enumerate() {
            assert_eq!(*r, format!("unknown province code {i:02}"));
        }
    }

    // ---- mobile ----

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
            assert_eq!(mobile(s), Check::Invalid("not a mobile number"), "{s}");
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
            let want = format!("unallocated mobile prefix {p}");
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
            Check::Invalid("unallocated mobile prefix 154")
        );
    }

    // ---- e-mail ----

    #[test]
    fn email_valid() {
        for s in [
            "zhangsan@qq.com",
            "li.si_1990@163.com",
            "wang+shop@mail.example.cn",
            "a@b.co",
            "Chen%x-y@Sina.COM.CN",
            "user@sub-domain.example.org",
            "12345678@qq.com",
            "x@example.xn--fiqs8s",
        ] {
            assert_eq!(email(s), Check::Valid, "{s}");
        }
        let local64 = "a".repeat(64);
        assert_eq!(email(&format!("{local64}@qq.com")), Check::Valid);
    }

    #[test]
    fn email_invalid() {
        let cases: &[(&str, &str)] = &[
            ("zhangsan.qq.com", "e-mail must contain exactly one '@'"),
            ("a@b@qq.com", "e-mail must contain exactly one '@'"),
            ("@qq.com", "e-mail local part length"),
            (
                "zhang san@qq.com",
                "e-mail local part has an invalid character",
            ),
            ("张三@qq.com", "e-mail local part has an invalid character"),
            (".zhang@qq.com", "e-mail local part dot placement"),
            ("zhang.@qq.com", "e-mail local part dot placement"),
            ("zh..ang@qq.com", "e-mail local part dot placement"),
            ("zhang@", "e-mail domain is empty"),
            ("zhang@localhost", "e-mail domain has no dot"),
            ("zhang@-qq.com", "e-mail domain label is malformed"),
            ("zhang@qq-.com", "e-mail domain label is malformed"),
            ("zhang@qq..com", "e-mail domain label is malformed"),
            ("zhang@.qq.com", "e-mail domain label is malformed"),
            ("zhang@qq.com.", "e-mail domain label is malformed"),
            ("zhang@qq_x.com", "e-mail domain label is malformed"),
            ("zhang@qq.c", "e-mail top-level domain is malformed"),
            ("zhang@qq.c0m", "e-mail top-level domain is malformed"),
            ("zhang@1.2.3.4", "e-mail top-level domain is malformed"),
        ];
        for (s, r) in cases {
            assert_eq!(email(s), Check::Invalid(r), "{s}");
        }
        let local65 = "a".repeat(65);
        assert_eq!(
            email(&format!("{local65}@qq.com")),
            Check::Invalid("e-mail local part length")
        );
        let long = format!("a@{}.com", vec!["b".repeat(60); 5].join("."));
        assert!(long.len() > 254);
        assert_eq!(
            email(&long),
            Check::Invalid("e-mail longer than 254 characters")
        );
        let label64 = format!("a@{}.com", "b".repeat(64));
        assert_eq!(
            email(&label64),
            Check::Invalid("e-mail domain label is malformed")
        );
    }

    #[test]
    fn looks_like_email_shape() {
        for s in ["a@b", "zhang@qq.com", "张三@例子.中国", "x@y@"] {
            assert_eq!(looks_like_email(s), s != "x@y@", "{s}");
        }
        for s in [
            "",
            "@",
            "a@",
            "@b",
            "a b@c.com",
            "a@b c",
            "a@@b",
            "a@b@c",
            "plain",
            "a\t@b",
        ] {
            assert!(!looks_like_email(s), "{s}");
        }
    }

    // ---- bank cards ----

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
        assert_eq!(
            bank_card(&off, true),
            Check::Invalid("card number fails Luhn")
        );
        assert_eq!(
            bank_card(&off, false),
            Check::Invalid("card number fails Luhn")
        );
        // lengths
        let c15 = with_luhn("62220212345678");
        let c20 = with_luhn("6222021234567890123");
        assert_eq!(bank_card(&c15, false), Check::Invalid("card number length"));
        assert_eq!(bank_card(&c20, false), Check::Invalid("card number length"));
        assert_eq!(card_digits(&c15), None);
        assert_eq!(card_digits(&c20), None);
        assert_eq!(
            bank_card("1234", false),
            Check::Invalid("card number length")
        );
        // issuers
        let d60 = with_luhn("601382123456789");
        let d9 = with_luhn("955880123456789");
        let amexish = with_luhn("370000000000000");
        for c in [&d60, &d9, &amexish] {
            assert_eq!(
                bank_card(c, true),
                Check::Invalid("unknown card issuer prefix"),
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
            assert_eq!(
                bank_card(s, false),
                Check::Invalid("not a card number"),
                "{s}"
            );
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

    // ---- travel documents ----

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
            assert_eq!(passport(s), Check::Invalid("not a passport number"), "{s}");
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
                Check::Invalid("not a Hong Kong/Macao travel permit number"),
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
                Check::Invalid("not a Taiwan travel permit number"),
                "{s}"
            );
        }
        // bare digits are not a header-less passport/permit shape
        assert!(!looks_like_passport_or_permit("12345678"));
        assert!(!looks_like_passport_or_permit("1234567890"));
    }

    // ---- social and devices ----

    #[test]
    fn qq_numbers() {
        for s in ["10001", "123456789", "12345678901"] {
            assert_eq!(qq(s), Check::Valid, "{s}");
        }
        for s in [
            "",
            "1234",
            "01234567",
            "123456789012",
            "12345a",
            "１２３４５",
        ] {
            assert_eq!(qq(s), Check::Invalid("not a QQ number"), "{s}");
        }
    }

    #[test]
    fn wechat_ids() {
        for s in [
            "zhangsan",
            "Li_Si-1990",
            "abcdef",
            "a2345678901234567890",
            "wxid_abc123",
            "wxid_k2j3h4g5f6d7s8",
            "13812345678",
            "123456789",
        ] {
            assert_eq!(wechat(s), Check::Valid, "{s}");
        }
        for s in [
            "",
            "abcde",
            "1abcdef",
            "_abcdef",
            "a23456789012345678901",
            "zhang san",
            "张三三三三三",
            "wxid_",
            "wxid_ABCDEF!",
            "zhang.san",
            "1234",
        ] {
            assert_eq!(wechat(s), Check::Invalid("not a WeChat id"), "{s}");
        }
    }

    #[test]
    fn weibo_ids() {
        for s in ["1234567890", "小明爱吃鱼", "a", "user_name-01"] {
            assert_eq!(weibo(s), Check::Valid, "{s}");
        }
        assert_eq!(weibo(""), Check::Invalid("empty Weibo id"));
        assert_eq!(
            weibo("小 明"),
            Check::Invalid("Weibo id contains whitespace")
        );
        assert_eq!(
            weibo("a\u{3000}b"),
            Check::Invalid("Weibo id contains whitespace")
        );
        assert_eq!(
            weibo("a\u{0}b"),
            Check::Invalid("Weibo id contains a control character")
        );
    }

    #[test]
    fn imei_values() {
        let good = "490154203237518"; // Luhn-valid 15-digit IMEI
        assert!(luhn(good.as_bytes()));
        for s in [
            good,
            "49-015420-323751-8",
            "49015420323751",
            "4901542032375186",
            "35 209900 176148 1",
        ] {
            assert_eq!(imei(s), Check::Valid, "{s}");
        }
        assert_eq!(
            imei("490154203237519"),
            Check::Invalid("IMEI check digit mismatch")
        );
        assert_eq!(imei("000000000000000"), Check::Invalid("all-zero IMEI"));
        for s in [
            "",
            "4901542032375",
            "49015420323751867",
            "49015420323751x",
            "IMEI490154203237518",
        ] {
            assert_eq!(imei(s), Check::Invalid("not an IMEI"), "{s}");
        }
    }

    #[test]
    fn imsi_values() {
        for s in [
            "460001234567890",
            "460111234567890",
            "310150123456789",
            "200000000000000",
            "799999999999999",
        ] {
            assert_eq!(imsi(s), Check::Valid, "{s}");
        }
        for s in ["199999999999999", "800000000000000", "000000000000000"] {
            assert_eq!(
                imsi(s),
                Check::Invalid("IMSI country code out of range"),
                "{s}"
            );
        }
        for s in [
            "",
            "46000123456789",
            "4600012345678901",
            "46000123456789a",
            "460-00-1234567890",
        ] {
            assert_eq!(imsi(s), Check::Invalid("not an IMSI"), "{s}");
        }
    }

    #[test]
    fn device_ids() {
        for s in [
            "6D92078A-8246-4BA4-AE5B-76104861E7DC",
            "6d92078a-8246-4ba4-ae5b-76104861e7dc",
            "a4:5e:60:c1:2b:3f",
            "A4-5E-60-C1-2B-3F",
            "9774d56d682e549c",
            "0123456789ABCDEF",
        ] {
            assert_eq!(device_id(s), Check::Valid, "{s}");
        }
        assert_eq!(
            device_id("00000000-0000-0000-0000-000000000000"),
            Check::Invalid("all-zero device id")
        );
        assert_eq!(
            device_id("00:00:00:00:00:00"),
            Check::Invalid("all-zero device id")
        );
        assert_eq!(
            device_id("0000000000000000"),
            Check::Invalid("all-zero device id")
        );
        assert_eq!(
            device_id("FF:FF:FF:FF:FF:FF"),
            Check::Invalid("broadcast MAC address")
        );
        assert_eq!(
            device_id("02:00:00:00:00:00"),
            Check::Invalid("placeholder MAC address")
        );
        for s in [
            "",
            "6D92078A82464BA4AE5B76104861E7DC",
            "6D92078A-8246-4BA4-AE5B-76104861E7DG",
            "a4:5e:60-c1:2b:3f",
            "a4:5e:60:c1:2b",
            "a45e60c12b3f",
            "9774d56d682e549",
            "9774d56d682e549cz",
            "{6D92078A-8246-4BA4-AE5B-76104861E7}",
        ] {
            assert_eq!(device_id(s), Check::Invalid("not a device id"), "{s}");
        }
    }

    #[test]
    fn plates() {
        for s in [
            "京A12345",
            "沪B·D1234",
            "粤B 12345",
            "川A12345",
            "琼EA1234",
            "浙AD12345",
            "粤B12345D",
            "京A1234学",
            "粤Z1234港",
            "粤Z1234澳",
            "京A0001警",
            "鲁A1234挂",
            "沪A1234领",
            "京a12345",
            "苏E•8K8K8",
        ] {
            assert_eq!(plate(s), Check::Valid, "{s}");
        }
        for s in [
            "",
            "京",
            "京A",
            "京A1234",
            "京A1234567",
            "京I12345",
            "京O12345",
            "港A12345",
            "A12345",
            "京AI2345",
            "京A12O45",
            "京1A2345",
            "京A·",
            "京A··12345",
            "京A123学4",
            "京A学1234",
            "京A12345挂",
            "京A  12345",
        ] {
            assert_eq!(plate(s), Check::Invalid("not a vehicle plate"), "{s}");
        }
    }

    // ---- masked ----

    #[test]
    fn masked_identifiers() {
        for s in [
            "138****1234",
            "+86 138****5678",
            "1101**********1234",
            "110101********123X",
            "110101********123x",
            "110105*****1002",
            "6222 **** **** 1234",
            "622202******1234",
            "6217 **** **** **** 123",
            "z***@qq.com",
            "***@qq.com",
            "zh**g.san@163.com",
            "138●●●●1234",
            "138＊＊＊＊1234",
            "1**-****-**34",
            "11**************12",
        ] {
            assert!(masked_identifier(s), "{s}");
        }
        for s in [
            "",
            "****",
            "13812345678",
            "11010519491231002X",
            "6222021234567890",
            "zhang@qq.com",
            "238****1234",
            "*38****1234",
            "1**********",
            "138****123",
            "138****12345",
            "138xxxx1234",
            "138××××1234",
            "1101**********12X4",
            "X101**********1234",
            "1101**********123X5",
            "6222 **** **** 1234 5678",
            "z***@qq",
            "z***@",
            "z***@@qq.com",
            "张*@qq.com",
            "z***@q*q.com",
            "**********************",
            "138****1234abc",
            "***-****-****",
            "***",
        ] {
            assert!(!masked_identifier(s), "{s}");
        }
    }

    // ---- weak attributes ----

    #[test]
    fn chinese_names() {
        for s in [
            "张三",
            "王小明",
            "李建国",
            "欧阳修",
            "司马相如",
            "诸葛亮",
            "路遥",
            "区志航",
            "阿依古丽·买买提",
            "买买提·艾力",
            "爱新觉罗•溥仪",
            "努尔·白克力",
            "陈",
            "刘德华",
        ] {
            assert_eq!(chinese_name(s), s != "陈", "{s}");
        }
        for s in [
            "",
            "三张",
            "张三丰丰丰",
            "北京市",
            "张家村",
            "李家镇",
            "王府路",
            "张江街",
            "华为公司",
            "工商银行",
            "希尔顿酒店",
            "协和医院",
            "王三号",
            "Zhang San",
            "张3",
            "张 三",
            "·买买提",
            "阿依古丽·",
            "阿·b",
            "阿依古丽·买买提·艾力·阿不都热合曼",
            "海淀区·中关村",
            "欧阳",
        ] {
            if s == "欧阳" {
                // 欧 is itself a common surname: "欧阳" reads as surname + given name
                assert!(chinese_name(s));
                continue;
            }
            assert!(!chinese_name(s), "{s}");
        }
    }

    #[test]
    fn surname_tables() {
        assert!(
            SURNAMES.windows(2).all(|w| w[0] < w[1]),
            "SURNAMES must be sorted and unique"
        );
        assert!(SURNAMES.iter().all(|&c| is_cjk(c)));
        assert!(COMPOUND_SURNAMES
            .iter()
            .all(|s| s.chars().count() == 2 && s.chars().all(is_cjk)));
        for c in ['王', '李', '张', '刘', '陈', '欧', '司', '诸'] {
            assert!(SURNAMES.binary_search(&c).is_ok(), "{c}");
        }
    }

    #[test]
    fn addresses() {
        for s in [
            "北京市朝阳区建国路88号",
            "广东省深圳市南山区",
            "上海市浦东新区张江镇",
            "浙江省杭州市西湖区文三路",
            "北京市朝阳区建国路88号3栋1201室",
            "河北省保定市某某县王庄村三组",
            "内蒙古呼和浩特市新城区",
            "某某县城关镇人民路12号",
            "成都市锦江区春熙路",
            "阳光花园小区5栋2单元301室",
        ] {
            // (the last one: 区 inside 小区 counts as the administrative marker)
            assert!(address(s), "{s}");
        }
        assert!(!address("阳光花园五栋二单元"), "no administrative marker");
        for s in [
            "",
            "北京市",
            "朝阳区",
            "建国路88号",
            "张三",
            "13812345678",
            "Room 1201, No. 88 Jianguo Road",
            "我不知道你在哪个市区。",
            "市A1234567890123",
            "王庄村委会村",
            "abc市区def路ghi",
            "你在市里吗?到路口",
        ] {
            let expect = s == "王庄村委会村"; // two administrative markers (村 twice)
            assert_eq!(address(s), expect, "{s}");
        }
        let long = "北京市朝阳区建国路".repeat(20);
        assert!(!address(&long));
    }

    #[test]
    fn genders() {
        for s in [
            "男", "女", "男性", "女性", "M", "f", "Male", "FEMALE", "male",
        ] {
            assert!(gender(s), "{s}");
        }
        for s in ["", "男女", "man", "1", "0", "未知", "mf", "男 "] {
            assert!(!gender(s), "{s}");
        }
    }

    #[test]
    fn ethnicities() {
        assert_eq!(ETHNIC_GROUPS.len(), 56);
        let mut sorted = ETHNIC_GROUPS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 56, "no duplicates");
        for g in ETHNIC_GROUPS {
            assert!(ethnicity(g), "{g}");
            assert!(ethnicity(&format!("{g}族")), "{g}族");
        }
        for s in [
            "汉",
            "汉族",
            "壮族",
            "维吾尔族",
            "蒙古族",
            "柯尔克孜族",
            "基诺族",
        ] {
            assert!(ethnicity(s), "{s}");
        }
        for s in [
            "",
            "族",
            "汉族族",
            "蒙族",
            "穿青人",
            "汉人",
            "Han",
            "中国",
            "苗苗族",
        ] {
            assert!(!ethnicity(s), "{s}");
        }
    }

    #[test]
    fn dates() {
        let cases: &[(&str, Ymd)] = &[
            ("1990-03-07", (1990, 3, 7)),
            ("1990/3/7", (1990, 3, 7)),
            ("1990.03.07", (1990, 3, 7)),
            ("19900307", (1990, 3, 7)),
            ("1990年3月7日", (1990, 3, 7)),
            ("1990年03月07日", (1990, 3, 7)),
            ("2000-02-29", (2000, 2, 29)),
            ("2024-02-29 23:59:59", (2024, 2, 29)),
            ("2024-02-29 08:30", (2024, 2, 29)),
            ("2024-02-29T08:30:00", (2024, 2, 29)),
            ("2024-02-29 8:30", (2024, 2, 29)),
            ("2024-02-29 08:30:00.123", (2024, 2, 29)),
            ("20240229 12:00", (2024, 2, 29)),
            ("1990年3月7日 12:00", (1990, 3, 7)),
        ];
        for (s, want) in cases {
            assert_eq!(date(s), Some(*want), "{s}");
        }
        for s in [
            "",
            "1900-02-29",
            "2023-02-29",
            "2100-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "2023-01-00",
            "0000-00-00",
            "0001-01-01",
            "1990-03/07",
            "1990-003-07",
            "1990-03-007",
            "199003071",
            "1990307",
            "1990年3月7",
            "1990年3月7日日",
            "1990-03-07 24:00",
            "1990-03-07 12:60",
            "1990-03-07 12:00:60",
            "1990-03-07 12",
            "1990-03-07 12:0",
            "1990-03-07  12:00",
            "1990-03-07x",
            "90-03-07",
            "١٩٩٠-03-07",
            "1990-3-7-",
            "1990.03.07.",
            "2023-02-29 10:00",
        ] {
            assert_eq!(date(s), None, "{s}");
        }
    }

    #[test]
    fn coordinates() {
        for s in [
            "39.9042,116.4074",
            "116.4074,39.9042",
            "39.9042, 116.4074",
            "39.9042 116.4074",
            "39.9042，116.4074",
            "-33.8688,151.2093",
            "22.543096,114.057865",
            "+39.9042,-116.4074",
            "0.0000,0.0000",
            "90.0000,180.0000",
        ] {
            assert!(coordinate_pair(s), "{s}");
        }
        for s in [
            "",
            "39.904,116.4074",
            "39.9042,116.407",
            "39,116",
            "116.4074,139.9042",
            "95.0000,95.0000",
            "39.9042;116.4074",
            "39.9042116.4074",
            "39.9042,",
            ",116.4074",
            "39.9042,116.4074,1.0000",
            "1e1.0000,116.4074",
            "inf,116.4074",
            "39.9042,,116.4074",
            "1234.5678,1.2345",
            "39.9042, 116.4074x",
            "三九.9042,116.4074",
        ] {
            assert!(!coordinate_pair(s), "{s}");
        }
    }

    // ---- robustness ----

    fn odd_strings() -> Vec<String> {
        let base: Vec<String> = [
            "",
            " ",
            "\u{0}",
            "\u{0}\u{0}",
            "@",
            "@@",
            "a@",
            "@b",
            "Ｘ",
            "X",
            "x",
            "*",
            "****",
            "●",
            "＊",
            "·",
            "•",
            "族",
            "年",
            "年月日",
            "+",
            "+86",
            "0086",
            "86",
            "-",
            "--",
            ".",
            "..",
            ",",
            "，",
            "(",
            ")",
            "(B)",
            "😀",
            "👨‍👩‍👧",
            "张",
            "欧阳",
            "京",
            "京A",
            "京A·",
            "\u{FEFF}",
            "\u{200B}",
            "é",
            "e\u{301}",
            "Ａ",
            "１",
            "\t",
            "\n",
            "\r\n",
            "\u{10FFFF}",
            "\u{FFFD}",
            "ß",
            "İ",
            "ǅ",
            "١٢٣",
            "一二三",
            "〇",
            "ℕ",
            "½",
            "²",
            "-1",
            "+1",
            "1e5",
            "NaN",
            "inf",
            "-0",
            "0",
            "00",
            "E",
            "G",
            "H",
            "M",
            "P",
            "wxid_",
            "xn--",
            "a@b.xn--",
            "ＦＦ",
            "2024-02-",
            "2024年",
            "2024年2月",
            "1990-03-07 ",
            "39.9042,",
            "138****",
            "1101**********123",
            "11010519491231002X",
            "11010519491231002Ｘ",
            "13812345678",
            "+86 138 1234 5678",
            "6222 0212 3456 7890",
            "z***@qq.com",
            "zhang@qq.com",
            "阿依古丽·买买提",
            "北京市朝阳区建国路88号",
            "E12345678",
            "6D92078A-8246-4BA4-AE5B-76104861E7DC",
            "a4:5e:60:c1:2b:3f",
            "a4:5e:60:c1:2b:3",
            "a4:",
            "京A12345",
            "粤B·D1234",
            "39.9042,116.4074",
            "-.0000,1.0000",
            "-",
            "+.",
            "1.",
            ".1234",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut out = base.clone();
        // pairwise concatenations of a slice of the base set
        for a in base.iter().take(40) {
            for b in base.iter().rev().take(6) {
                out.push(format!("{a}{b}"));
            }
        }
        out.push("1".repeat(1000));
        out.push("9".repeat(100_000));
        out.push("@".repeat(1000));
        out.push("a".repeat(300) + "@" + &"b".repeat(300) + ".com");
        out.push("张".repeat(1000));
        out.push("*".repeat(19));
        out.push("1*".repeat(50));
        out.push("1.".repeat(50));
        out.push("京A".repeat(10));
        out.push("😀".repeat(20));
        // deterministic pseudo-random strings from a small alphabet of awkward characters
        let alphabet: Vec<char> =
            "0123456789Xx*@.-+ ,，·•年月日族省市路号京AIO＊●😀é\u{0}\u{301}:T/()"
                .chars()
                .collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 24) as usize;
            let mut s = String::new();
            for k in 0..len {
                let idx = ((state >> (k % 32)) as usize + k * 7) % alphabet.len();
                s.push(alphabet[idx]);
            }
            out.push(s);
        }
        out
    }

    #[test]
    fn nothing_panics_on_odd_input() {
        let strings = odd_strings();
        assert!(strings.len() >= 300, "{}", strings.len());
        let mut sink = 0usize;
        for s in &strings {
            let b = s.as_bytes();
            let checks = [
                resident_id(s),
                resident_id_at(s, (1, 1, 1)),
                resident_id_at(s, (9999, 12, 31)),
                mobile(s),
                email(s),
                bank_card(s, true),
                bank_card(s, false),
                passport(s),
                hk_macau_permit(s),
                taiwan_permit(s),
                qq(s),
                wechat(s),
                weibo(s),
                imei(s),
                imsi(s),
                device_id(s),
                plate(s),
            ];
            sink += checks.iter().filter(|c| c.is_valid()).count();
            let bools = [
                is_resident_id_shape(s),
                mobile_digits(s).is_some(),
                looks_like_email(s),
                luhn(b),
                card_digits(s).is_some(),
                known_bin(b),
                looks_like_passport_or_permit(s),
                masked_identifier(s),
                chinese_name(s),
                address(s),
                gender(s),
                ethnicity(s),
                date(s).is_some(),
                coordinate_pair(s),
            ];
            sink += bools.iter().filter(|&&v| v).count();
            let _ = resident_id_check_char(b);
        }
        for code in [0, 10, 99, 100, u32::MAX] {
            let _ = province_code_known(code);
            let _ = mobile_prefix_allocated(code);
        }
        for ymd in [(0, 0, 0), (i32::MIN, u32::MAX, u32::MAX), (i32::MAX, 2, 29)] {
            let _ = is_valid_ymd(ymd);
            let _ = days_in_month(ymd.0, ymd.1);
            let _ = is_leap_year(ymd.0);
        }
        assert!(sink > 0);
    }

    #[test]
    fn spreadsheet_mangled_ids_are_invalid_with_their_reason() {
        for v in [
            "1.1010119900307E+17",
            "1.10101199003071E+17",
            "4.4030619851231E17",
        ] {
            assert!(is_mangled_resident_id(v), "{v}");
            assert_eq!(resident_id(v), Check::Invalid(MANGLED_ID), "{v}");
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
