//! Calendar dates: the Gregorian calendar helpers resident IDs need, and
//! the date and time values of birth dates and tracking points.

use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use super::check::{Facet, Reason, Test, Validator};
use super::digits::{all_digits, num};

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

pub(super) fn take_str(b: &[u8], i: &mut usize, lit: &str) -> bool {
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

/// `validator = "date"`.
pub(super) const VALIDATORS: &[&dyn Validator] = &[&Test {
    name: "date",
    test: |v| date(v).is_some(),
    reason: Reason::NotDate,
    mask: None,
    facet: Facet::Other,
}];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::validate::testing::*;

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
}
