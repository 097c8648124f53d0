//! The validator registry: one file per identifier family, each validator one
//! implementation of [`Validator`] (SPEC §1.3, §1.4, §2.1).
//!
//! A pattern file names a validator (`validator = "resident_id"`); the
//! engine looks it up here with [`by_name`] and asks it everything it needs
//! to know: whether a value validates, whether an untyped value has its
//! shape, whether a value in its column is an attempt at it at all, how its
//! values are compared in the dedup key and how they are masked, and what
//! the classification rules need to know of it ([`Facet`]).
//!
//! Every validator is plain Rust over `&str` / `&[u8]`: no regex, no heap
//! allocation in the per-field paths, and no panics on any input (arbitrary
//! UTF-8, empty strings, very long strings). Callers trim values and convert
//! full-width characters to half-width before calling.
//!
//! A validator answers [`Check`]: `Valid`, or `Invalid(reason)`, the
//! [`Reason`] the report quotes as the evidence that an item is "untrue"
//! (Interp-2017 Art. 11, SPEC §1.3); `report/words.rs` words it.
//!
//! **Adding an identifier** is two files: its validator (a unit struct and
//! its `impl Validator`, listed in its family file's `VALIDATORS`) and the
//! detector in `patterns/identifiers.toml` that names it, with examples and
//! negative examples. It says why a value fails with the shared reasons
//! ([`Reason::Format`], [`Reason::CheckCharacter`]) unless the report should
//! say more; a reason of its own is a variant here and a wording in
//! `report/words.rs`.

mod accounts;
mod bank_card;
mod calendar;
mod devices;
mod email;
mod masked;
mod person;
mod phone;
mod plate;
mod resident_id;
mod travel;

pub use accounts::{qq, wechat, weibo};
pub use bank_card::{bank_card, card_digits, known_bin};
pub use calendar::{
    civil_from_days, date, days_from_civil, days_in_month, is_leap_year, is_valid_ymd, today, Ymd,
};
pub use devices::{device_id, imei, imsi};
pub use digits::luhn;
pub use email::{email, is_local_byte, looks_like_email};
pub use masked::masked_identifier;
pub use person::{address, chinese_name, coordinate_pair, ethnicity, gender, name_like};
pub use phone::{is_landline, mobile, mobile_digits, mobile_prefix_allocated};
pub use plate::plate;
pub use resident_id::{
    is_mangled_resident_id, is_resident_id_shape, province_code_known, resident_id, resident_id_at,
    resident_id_check_char,
};
pub use travel::{hk_macau_permit, looks_like_passport_or_permit, passport, taiwan_permit};

mod check;
pub(crate) mod digits;

pub use check::{Check, Facet, Reason, Validator};

/// `validator = "any"`: every value is one (employer, job title).
struct Any;

impl Validator for Any {
    fn name(&self) -> &'static str {
        "any"
    }
    fn validate(&self, _v: &str) -> Check {
        Check::Valid
    }
    fn detect(&self, _v: &str) -> Option<Check> {
        None
    }
}

/// Every family's validators.
const FAMILIES: [&[&dyn Validator]; 11] = [
    resident_id::VALIDATORS,
    phone::VALIDATORS,
    email::VALIDATORS,
    bank_card::VALIDATORS,
    travel::VALIDATORS,
    accounts::VALIDATORS,
    devices::VALIDATORS,
    plate::VALIDATORS,
    person::VALIDATORS,
    calendar::VALIDATORS,
    &[&Any],
];

/// Every built-in validator.
pub fn all() -> impl Iterator<Item = &'static dyn Validator> {
    FAMILIES.iter().flat_map(|f| f.iter().copied())
}

/// The built-in validator a pattern file names.
pub fn by_name(name: &str) -> Option<&'static dyn Validator> {
    all().find(|v| v.name() == name)
}

/// Helpers the families' tests share.
#[cfg(test)]
mod testing {
    use super::*;

    /// Append the GB 11643 check character to a 17-digit body.
    pub fn id(body: &str) -> String {
        let c = resident_id_check_char(body.as_bytes()).expect("17 digits");
        format!("{body}{}", c as char)
    }

    /// Same body with a wrong check character.
    pub fn id_bad_check(body: &str) -> String {
        let c = resident_id_check_char(body.as_bytes()).unwrap();
        let wrong = if c == b'0' { '1' } else { '0' };
        format!("{body}{wrong}")
    }

    /// Append the Luhn check digit to a digit string.
    pub fn with_luhn(body: &str) -> String {
        (b'0'..=b'9')
            .map(|d| format!("{body}{}", d as char))
            .find(|s| luhn(s.as_bytes()))
            .unwrap()
    }

    pub fn next_day(d: Ymd) -> Ymd {
        civil_from_days(days_from_civil(d) + 1)
    }

    pub const FIXED_TODAY: Ymd = (2024, 3, 15);

    pub fn rid(s: &str) -> Check {
        resident_id_at(s, FIXED_TODAY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_validator_has_its_own_name() {
        let names: Vec<&str> = all().map(|v| v.name()).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for n in &names {
            assert_eq!(by_name(n).map(|v| v.name()), Some(*n));
        }
        assert!(by_name("nonsense").is_none());
    }

    pub(super) fn odd_strings() -> Vec<String> {
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
            for v in all() {
                sink += usize::from(v.validate(s).is_valid());
                sink += usize::from(v.detect(s).is_some());
                sink += usize::from(v.attempted(s));
            }
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
}
