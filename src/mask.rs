//! Masking: personal data never reaches a terminal, a log or a report
//! unmasked unless the user asked for `--reveal`.

/// Masks a value, keeping just enough to recognise its shape:
/// `13812345678` → `138****5678`, `张三丰` → `张**`, `zhang@example.com` →
/// `z****@example.com`.
pub fn mask(v: &str) -> String {
    if let Some((local, domain)) = v.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}****@{domain}");
    }
    let chars: Vec<char> = v.chars().collect();
    let n = chars.len();
    let (keep_start, keep_end) = if chars.iter().all(|c| c.is_ascii_alphanumeric()) && n >= 7 {
        (n.min(11) * 3 / 11 + usize::from(n > 11), 4)
    } else if n <= 4 {
        (1, 0)
    } else {
        (1, 1)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i < keep_start || i + keep_end >= n {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masks_by_shape() {
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("11010519491231002X"), "1101**********002X");
        assert_eq!(mask("张三"), "张*");
        assert_eq!(mask("欧阳娜娜"), "欧***");
        assert_eq!(mask("北京市朝阳区建国路88号"), "北**********号");
        assert_eq!(mask("zhang@example.com"), "z****@example.com");
        assert_eq!(mask(""), "");
    }
}
