//! Where a separator stands inside an e-mail address: RFC 5322 allows `|`
//! and `-` in a local part, and leak dumps use both as separators.

/// RFC 5322 `atext` and `.`: the characters of a dot-atom e-mail local part.
pub fn is_dot_atom_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&c)
}

/// Whether `left`, `gap` and `right` read as one address: `gap` only `|`
/// and `-` (no white space), `left` dot-atom characters, `right` a local
/// part and a domain with a dot.
pub fn joins_address(left: &str, gap: &str, right: &str) -> bool {
    let Some((local, domain)) = right.split_once('@') else {
        return false;
    };
    !gap.is_empty()
        && gap.bytes().all(|c| matches!(c, b'|' | b'-'))
        && !left.is_empty()
        && left.bytes().all(is_dot_atom_byte)
        && local.bytes().all(is_dot_atom_byte)
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// Joins adjacent pieces, from the right, wherever `join` makes one of a
/// pair, while there are more than `want`; whether exactly `want` are left
/// (else the caller keeps its pieces as they were).
pub fn join_down<T>(
    pieces: &mut Vec<T>,
    want: usize,
    mut join: impl FnMut(&T, &T) -> Option<T>,
) -> bool {
    let mut i = pieces.len();
    while pieces.len() > want && i >= 2 {
        i -= 1;
        if let Some(joined) = join(&pieces[i - 1], &pieces[i]) {
            pieces[i - 1] = joined;
            pieces.remove(i);
        }
    }
    pieces.len() == want
}

#[cfg(test)]
mod tests {
    use super::joins_address;

    #[test]
    fn pieces_of_one_address() {
        assert!(joins_address("lei", "|", "jie@qq.com"));
        assert!(joins_address("a.b", "----", "c+d@mail.example.cn"));
        assert!(joins_address("a", "||", "b@x.cn"));
        for (left, gap, right) in [
            ("", "|", "jie@qq.com"),
            ("lei", "", "jie@qq.com"),
            ("lei", " | ", "jie@qq.com"),
            ("lei", "\t", "jie@qq.com"),
            ("lei", ",", "jie@qq.com"),
            ("张伟", "|", "jie@qq.com"),
            ("lei", "|", "@qq.com"),
            ("lei", "|", "jie@qq"),
            ("lei", "|", "jie@.qq.com"),
            ("lei", "|", "jie@qq.com."),
            ("lei", "|", "jie"),
            ("lei", "|", "ji e@qq.com"),
        ] {
            assert!(
                !joins_address(left, gap, right),
                "{left:?} {gap:?} {right:?}"
            );
        }
    }
}
