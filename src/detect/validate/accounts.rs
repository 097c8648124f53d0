//! Platform accounts: QQ, WeChat and Weibo (used only under a header that
//! declares them).

use super::check::{Check, Reason, Simple, Validator};
use super::digits::all_digits;
use super::phone::mobile;
use crate::detect::normalize::KeyForm;

/// Validate a QQ number (Tencent account uin): 5..=11 digits, not starting with 0.
pub fn qq(s: &str) -> Check {
    let b = s.as_bytes();
    if (5..=11).contains(&b.len()) && all_digits(b) && b[0] != b'0' {
        Check::Valid
    } else {
        Check::Invalid(Reason::NotQq)
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
        Check::Invalid(Reason::NotWechat)
    }
}

/// Validate a Weibo account: a numeric uid (5..=12 digits) or a nickname. Both
/// are accepted; a value is invalid only when it is empty, contains whitespace
/// or contains a control character.
pub fn weibo(s: &str) -> Check {
    if s.is_empty() {
        Check::Invalid(Reason::WeiboEmpty)
    } else if s.chars().any(char::is_whitespace) {
        Check::Invalid(Reason::WeiboWhitespace)
    } else if s.chars().any(char::is_control) {
        Check::Invalid(Reason::WeiboControl)
    } else {
        Check::Valid
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[
    &Simple {
        name: "qq",
        check: qq,
        needs_digit: true,
        key_form: KeyForm::Plain,
    },
    &Simple {
        name: "wechat",
        check: wechat,
        needs_digit: false,
        key_form: KeyForm::Plain,
    },
    &Simple {
        name: "weibo",
        check: weibo,
        needs_digit: false,
        key_form: KeyForm::Plain,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(qq(s), Check::Invalid(Reason::NotQq), "{s}");
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
            assert_eq!(wechat(s), Check::Invalid(Reason::NotWechat), "{s}");
        }
    }

    #[test]
    fn weibo_ids() {
        for s in ["1234567890", "小明爱吃鱼", "a", "user_name-01"] {
            assert_eq!(weibo(s), Check::Valid, "{s}");
        }
        assert_eq!(weibo(""), Check::Invalid(Reason::WeiboEmpty));
        assert_eq!(weibo("小 明"), Check::Invalid(Reason::WeiboWhitespace));
        assert_eq!(weibo("a\u{3000}b"), Check::Invalid(Reason::WeiboWhitespace));
        assert_eq!(weibo("a\u{0}b"), Check::Invalid(Reason::WeiboControl));
    }
}
