//! Device identifiers: IMEI, IMSI, advertising ids, MAC addresses, Android
//! ids (used only under a header that declares them).

use super::check::{Check, Reason, Simple, Validator};
use super::digits::{all_digits, luhn, num, scan_digits, Digits};
use crate::detect::normalize::KeyForm;

/// Validate an IMEI (3GPP TS 23.003 §6.2): 15 digits whose last is the Luhn
/// check digit; 14 digits (IMEI without check digit) and 16 digits (IMEISV)
/// are valid without a check. Spaces and dashes are ignored. The all-zero
/// placeholder (emulators, permission denied) is invalid.
pub fn imei(s: &str) -> Check {
    let (buf, n) = match scan_digits::<16>(s) {
        Digits::Ok(buf, n) => (buf, n),
        _ => return Check::Invalid(Reason::NotImei),
    };
    let d = &buf[..n];
    if !(14..=16).contains(&n) {
        return Check::Invalid(Reason::NotImei);
    }
    if d.iter().all(|&c| c == b'0') {
        return Check::Invalid(Reason::ImeiAllZero);
    }
    if n == 15 && !luhn(d) {
        return Check::Invalid(Reason::ImeiCheck);
    }
    Check::Valid
}

/// Validate an IMSI (3GPP TS 23.003 §2.2, ITU-T E.212): 15 digits whose mobile
/// country code (first 3 digits) is in 200..=799 (China: 460).
pub fn imsi(s: &str) -> Check {
    let b = s.as_bytes();
    if b.len() != 15 || !all_digits(b) {
        return Check::Invalid(Reason::NotImsi);
    }
    if (200..=799).contains(&num(&b[..3])) {
        Check::Valid
    } else {
        Check::Invalid(Reason::ImsiCountry)
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
        return Check::Invalid(Reason::NotDeviceId);
    }
    let hex = || b.iter().filter(|c| c.is_ascii_hexdigit());
    if hex().all(|&c| c == b'0') {
        return Check::Invalid(Reason::DeviceAllZero);
    }
    if b.len() == 17 {
        if hex().all(|c| c.eq_ignore_ascii_case(&b'f')) {
            return Check::Invalid(Reason::MacBroadcast);
        }
        if hex().copied().eq(b"020000000000".iter().copied()) {
            return Check::Invalid(Reason::MacPlaceholder);
        }
    }
    Check::Valid
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[
    &Simple {
        name: "imei",
        check: imei,
        needs_digit: true,
        key_form: KeyForm::Digits,
    },
    &Simple {
        name: "imsi",
        check: imsi,
        needs_digit: true,
        key_form: KeyForm::Digits,
    },
    &Simple {
        name: "device_id",
        check: device_id,
        needs_digit: false,
        key_form: KeyForm::Upper,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(imei("490154203237519"), Check::Invalid(Reason::ImeiCheck));
        assert_eq!(imei("000000000000000"), Check::Invalid(Reason::ImeiAllZero));
        for s in [
            "",
            "4901542032375",
            "49015420323751867",
            "49015420323751x",
            "IMEI490154203237518",
        ] {
            assert_eq!(imei(s), Check::Invalid(Reason::NotImei), "{s}");
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
            assert_eq!(imsi(s), Check::Invalid(Reason::ImsiCountry), "{s}");
        }
        for s in [
            "",
            "46000123456789",
            "4600012345678901",
            "46000123456789a",
            "460-00-1234567890",
        ] {
            assert_eq!(imsi(s), Check::Invalid(Reason::NotImsi), "{s}");
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
            Check::Invalid(Reason::DeviceAllZero)
        );
        assert_eq!(
            device_id("00:00:00:00:00:00"),
            Check::Invalid(Reason::DeviceAllZero)
        );
        assert_eq!(
            device_id("0000000000000000"),
            Check::Invalid(Reason::DeviceAllZero)
        );
        assert_eq!(
            device_id("FF:FF:FF:FF:FF:FF"),
            Check::Invalid(Reason::MacBroadcast)
        );
        assert_eq!(
            device_id("02:00:00:00:00:00"),
            Check::Invalid(Reason::MacPlaceholder)
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
            assert_eq!(device_id(s), Check::Invalid(Reason::NotDeviceId), "{s}");
        }
    }
}
