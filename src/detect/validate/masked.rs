//! Masked identifiers (SPEC §1.4): `138****1234` is de-identified, not an
//! identifier.

use super::email::{check_domain, is_local_byte};

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
#[cfg(test)]
mod tests {
    use super::*;

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
}
