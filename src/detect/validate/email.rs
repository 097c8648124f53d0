//! E-mail addresses (RFC 5321 / RFC 1035, a practical subset).

use super::check::{Check, Reason, Validator};
use crate::detect::mask::Mask;
use crate::detect::normalize::KeyForm;

/// RFC 5322 `atext` and `.`: the characters of a dot-atom local part
/// (defined where leak lines are split, which must not cut one).
pub use crate::records::is_dot_atom_byte as is_local_byte;

/// A local part: ASCII dot-atom characters, or (RFC 6531, internationalised
/// mail) non-ASCII characters with digits and `._-`, but not mixed with
/// ASCII letters: `姓名张伟邮箱zw88` is a sentence stuck to an address, not
/// an address.
fn local_ok(local: &[u8]) -> bool {
    if local.is_ascii() {
        return local.iter().all(|&c| is_local_byte(c));
    }
    local
        .iter()
        .all(|&c| c >= 0x80 || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-'))
}

/// Domain part of an address (RFC 1035 §2.3.1 preferred name syntax): labels
/// of 1..=63 `[A-Za-z0-9-]` not starting or ending with `-`, at least one dot,
/// top-level label alphabetic with at least 2 letters (or an IDNA `xn--` label).
pub(super) fn check_domain(d: &[u8]) -> Result<(), Reason> {
    if d.is_empty() {
        return Err(Reason::EmailDomainEmpty);
    }
    if !d.contains(&b'.') {
        return Err(Reason::EmailDomainNoDot);
    }
    let mut labels = d.split(|&c| c == b'.').peekable();
    while let Some(label) = labels.next() {
        // ASCII labels (RFC 1035), or internationalised ones (U-labels).
        let ok = (1..=63).contains(&label.len())
            && label
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c >= 0x80)
            && label.first() != Some(&b'-')
            && label.last() != Some(&b'-');
        if !ok {
            return Err(Reason::EmailDomainLabel);
        }
        if labels.peek().is_none() {
            let idna = label.len() > 4 && label[..4].eq_ignore_ascii_case(b"xn--");
            let alpha = label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic);
            let unicode = label.iter().all(|&c| c >= 0x80);
            if !(alpha || idna || unicode) {
                return Err(Reason::EmailTopLevelDomain);
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
        return Check::Invalid(Reason::EmailTooLong);
    }
    let mut ats = b.iter().enumerate().filter(|(_, &c)| c == b'@');
    let at = match (ats.next(), ats.next()) {
        (Some((i, _)), None) => i,
        _ => return Check::Invalid(Reason::EmailAt),
    };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    if !(1..=64).contains(&local.len()) {
        return Check::Invalid(Reason::EmailLocalLength);
    }
    if !local_ok(local) {
        return Check::Invalid(Reason::EmailLocalCharacter);
    }
    if local[0] == b'.' || local[local.len() - 1] == b'.' || local.windows(2).any(|w| w == b"..") {
        return Check::Invalid(Reason::EmailLocalDots);
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

/// `validator = "email"`.
struct Email;

impl Validator for Email {
    fn name(&self) -> &'static str {
        "email"
    }
    fn validate(&self, v: &str) -> Check {
        email(v)
    }
    /// Anything with one `@` between two non-empty parts is an attempt.
    fn detect(&self, v: &str) -> Option<Check> {
        looks_like_email(v).then(|| email(v))
    }
    /// `wangfang88.example.com` is a malformed address; `未填写` is none.
    fn attempted(&self, v: &str) -> bool {
        v.contains('@') || (v.is_ascii() && v.contains('.'))
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::Lower
    }
    fn mask(&self) -> Option<Mask> {
        Some(Mask::Email)
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[&Email];

#[cfg(test)]
mod tests {
    use super::*;

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
            // RFC 5322 atext, internationalised local parts and domains.
            "lei=jie@example.cn",
            "o'brien@example.com",
            "a!#$%&*/?^`{}~b@example.com",
            "张三@qq.com",
            "张三88@例子.中国",
        ] {
            assert_eq!(email(s), Check::Valid, "{s}");
        }
        let local64 = "a".repeat(64);
        assert_eq!(email(&format!("{local64}@qq.com")), Check::Valid);
    }

    #[test]
    fn email_invalid() {
        let cases: &[(&str, Reason)] = &[
            ("zhangsan.qq.com", Reason::EmailAt),
            ("a@b@qq.com", Reason::EmailAt),
            ("@qq.com", Reason::EmailLocalLength),
            ("zhang san@qq.com", Reason::EmailLocalCharacter),
            ("邮箱zw88@qq.com", Reason::EmailLocalCharacter),
            (".zhang@qq.com", Reason::EmailLocalDots),
            ("zhang.@qq.com", Reason::EmailLocalDots),
            ("zh..ang@qq.com", Reason::EmailLocalDots),
            ("zhang@", Reason::EmailDomainEmpty),
            ("zhang@localhost", Reason::EmailDomainNoDot),
            ("zhang@-qq.com", Reason::EmailDomainLabel),
            ("zhang@qq-.com", Reason::EmailDomainLabel),
            ("zhang@qq..com", Reason::EmailDomainLabel),
            ("zhang@.qq.com", Reason::EmailDomainLabel),
            ("zhang@qq.com.", Reason::EmailDomainLabel),
            ("zhang@qq_x.com", Reason::EmailDomainLabel),
            ("zhang@qq.c", Reason::EmailTopLevelDomain),
            ("zhang@qq.c0m", Reason::EmailTopLevelDomain),
            ("zhang@1.2.3.4", Reason::EmailTopLevelDomain),
        ];
        for (s, r) in cases {
            assert_eq!(email(s), Check::Invalid(*r), "{s}");
        }
        let local65 = "a".repeat(65);
        assert_eq!(
            email(&format!("{local65}@qq.com")),
            Check::Invalid(Reason::EmailLocalLength)
        );
        let long = format!("a@{}.com", vec!["b".repeat(60); 5].join("."));
        assert!(long.len() > 254);
        assert_eq!(email(&long), Check::Invalid(Reason::EmailTooLong));
        let label64 = format!("a@{}.com", "b".repeat(64));
        assert_eq!(email(&label64), Check::Invalid(Reason::EmailDomainLabel));
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
}
