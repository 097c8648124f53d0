//! Identifiers inside free text (chat lines, notes, sentences): the
//! candidates a value holds, each a maximal run bounded by characters that
//! cannot continue it, whatever script or punctuation stands around it.
//!
//! - An e-mail address: the dot-atom characters left of an `@` and the
//!   domain characters right of it (`zw88@qq.com` in `邮箱：zw88@qq.com。`).
//!   `|` is left out of the local part: it separates fields in leak lines.
//! - A token: a maximal run of ASCII letters and digits (and the mask
//!   characters `*`), with a one-character check in parentheses after it
//!   (`A123456(3)`), and phone groups joined by one `-` or space
//!   (`138-1234-5678`, `+86 138 1234 5678`). A run of digits inside a
//!   longer token (`DD20230101…`) is not a candidate of its own: the token
//!   is, and it is no identifier.
//!
//! Values are cleaned first (full-width digits, letters and `＠` are
//! half-width by then). Only tokens with at least [`MIN_DIGITS`] digits are
//! candidates: every identifier found by value has that many, and text is
//! mostly words.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::validate;

/// The fewest digits a token needs to be a candidate (a passport number has
/// 7 or 8, a Hong Kong identity card 7).
pub const MIN_DIGITS: usize = 6;

/// What a candidate looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Email,
    /// Letters and digits (and maybe a parenthesised check).
    Token,
    /// Holds a mask character: a masked identifier, if anything.
    Masked,
}

/// The candidates of `v`, in order, as byte ranges with their shape.
pub fn candidates(v: &str, out: &mut Vec<(usize, usize, Shape)>) {
    out.clear();
    let b = v.as_bytes();
    // Most text holds no candidate: too few digits for a token, no `@`.
    if b.iter().filter(|c| c.is_ascii_digit()).count() < MIN_DIGITS && !b.contains(&b'@') {
        return;
    }
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !is_token_byte(c) && c != b'+' {
            i += 1;
            continue;
        }
        // An e-mail: a local part up to an `@`, then a domain.
        if let Some((start, end)) = email_at(b, i) {
            out.push((start, end, Shape::Email));
            i = end;
            continue;
        }
        let (start, end) = token_at(b, i);
        if end > start {
            let t = &b[start..end];
            let digits = t.iter().filter(|c| c.is_ascii_digit()).count();
            if digits >= MIN_DIGITS {
                let shape = if t.contains(&b'*') {
                    Shape::Masked
                } else {
                    Shape::Token
                };
                out.push((start, end, shape));
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
}

/// Words after which a sentence names a person: 姓名：张伟, 客户张伟的…,
/// 联系人李娜.
const NAME_CONTEXT: [&str; 12] = [
    "姓名",
    "客户",
    "联系人",
    "收件人",
    "收货人",
    "用户",
    "户主",
    "持卡人",
    "乘客",
    "旅客",
    "住客",
    "患者",
];

/// Characters that end a name in a sentence (particles, the start of the
/// next noun): 客户张伟的手机号 gives 张伟.
const NAME_STOP: &str = "的是在于和与及电手联先女男等已未请您你我他她号";

/// The names a sentence gives after a context word, as byte ranges: the
/// 2–4 Han characters right after the word (and a `:`), up to a stop
/// character. Whether it is a name is for the name validator to say.
pub fn context_names(v: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    // A context word and a two-character name are 12 bytes of UTF-8.
    if v.len() < 12 {
        return;
    }
    let Some(ac) = &*NAME_CONTEXT_AC else {
        return;
    };
    // One pass over the value for every context word.
    for m in ac.find_iter(v) {
        let mut start = m.end();
        if let Some(rest) = v.get(start..) {
            start += rest.len() - rest.trim_start_matches([':', ' ']).len();
        }
        let mut end = start;
        let mut n = 0;
        for (i, c) in v[start..].char_indices() {
            if n == 4 || !validate::digits::is_cjk(c) || NAME_STOP.contains(c) {
                break;
            }
            n += 1;
            end = start + i + c.len_utf8();
        }
        if n >= 2 && !out.contains(&(start, end)) {
            out.push((start, end));
        }
    }
}

/// [`NAME_CONTEXT`] in one automaton.
static NAME_CONTEXT_AC: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(NAME_CONTEXT).ok());

fn is_token_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'*'
}

/// The e-mail validator's local-part characters (RFC 5322 atext), without
/// `|` (a leak-line separator).
fn is_local_byte(c: u8) -> bool {
    c != b'|' && validate::is_local_byte(c)
}

fn is_domain_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
}

/// An e-mail address whose local part starts at `i`: the local part runs
/// to an `@` (no other character between), the domain after it as far as
/// domain characters go, without a trailing `.` or `-`.
fn email_at(b: &[u8], i: usize) -> Option<(usize, usize)> {
    // The local part must start at a boundary: not inside a longer run.
    if i > 0 && is_local_byte(b[i - 1]) {
        return None;
    }
    let mut at = i;
    while at < b.len() && is_local_byte(b[at]) {
        at += 1;
    }
    if at == i || b.get(at) != Some(&b'@') {
        return None;
    }
    let mut end = at + 1;
    while end < b.len() && is_domain_byte(b[end]) {
        end += 1;
    }
    while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    let start = i + b[i..at].iter().take_while(|&&c| c == b'.').count();
    (end > at + 1 && start < at).then_some((start, end))
}

/// The token at `i`: letters, digits and mask characters; then a one-char
/// check in parentheses (`(3)`); phone groups joined by one `-` or space
/// and an optional leading `+`.
fn token_at(b: &[u8], i: usize) -> (usize, usize) {
    let start = i;
    let mut j = i;
    if b.get(j) == Some(&b'+') {
        j += 1;
        if !b.get(j).is_some_and(u8::is_ascii_digit) {
            return (start, start);
        }
    }
    let run = |j: usize| j + b[j..].iter().take_while(|&&c| is_token_byte(c)).count();
    let mut group = j;
    j = run(j);
    // Phone groups of 1 to 4 digits joined by one `-` or space
    // (`138-1234-5678`, `+86 138 1234 5678`); two whole numbers side by
    // side stay two.
    let short_digits = |s: &[u8]| (1..=4).contains(&s.len()) && s.iter().all(u8::is_ascii_digit);
    while j + 1 < b.len()
        && matches!(b[j], b'-' | b' ')
        && b[j + 1].is_ascii_digit()
        && short_digits(&b[group..j])
    {
        let next = run(j + 1);
        if !short_digits(&b[j + 1..next]) {
            break;
        }
        group = j + 1;
        j = next;
    }
    // A check character in parentheses.
    if b.get(j) == Some(&b'(')
        && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)
        && b.get(j + 2) == Some(&b')')
    {
        j += 3;
    }
    (start, j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(v: &str) -> Vec<(&str, Shape)> {
        let mut out = Vec::new();
        candidates(v, &mut out);
        out.iter().map(|&(s, e, k)| (&v[s..e], k)).collect()
    }

    #[test]
    fn identifiers_stuck_to_chinese_text_and_punctuation() {
        use Shape::*;
        assert_eq!(
            found("客户张伟的手机号是13812345678,请核实。"),
            [("13812345678", Token)]
        );
        assert_eq!(
            found("姓名:张伟,邮箱:zw88@qq.com。"),
            [("zw88@qq.com", Email)]
        );
        assert_eq!(
            found("张伟,13812345678,北京市朝阳区建国路88号"),
            [("13812345678", Token)]
        );
        assert_eq!(
            found("(身份证11010519491231002X)与“lei=jie@example.cn”"),
            [("11010519491231002X", Token), ("lei=jie@example.cn", Email)]
        );
        assert_eq!(found("港人陈大文A123456(3)来电"), [("A123456(3)", Token)]);
        assert_eq!(found("电话138-1234-5678。"), [("138-1234-5678", Token)]);
        assert_eq!(
            found("call +86 138 1234 5678 now"),
            [("+86 138 1234 5678", Token)]
        );
        assert_eq!(found("尾号138****5678"), [("138****5678", Masked)]);
    }

    #[test]
    fn no_candidate_inside_a_longer_token_or_without_digits() {
        assert!(found("订单DD20230101123456789012已发货").len() == 1);
        assert_eq!(
            found("订单DD20230101123456789012已发货")[0].0,
            "DD20230101123456789012"
        );
        assert!(found("金额 12345 元").is_empty());
        assert!(found("hello world").is_empty());
        assert!(found("").is_empty());
        assert!(found("@@@ a@ @b .@. ").is_empty());
        assert_eq!(found("mail me at a.b@c.d."), [("a.b@c.d", Shape::Email)]);
        // Two numbers in one line are two candidates (of one record).
        assert_eq!(found("13812345678和13912345678").len(), 2);
        assert_eq!(found("13812345678 13912345678").len(), 2);
    }

    #[test]
    fn nothing_panics_on_odd_strings() {
        for v in [
            "+",
            "++",
            "+8",
            "-1-",
            "( )",
            "(3)",
            "A(",
            "A(3",
            "@",
            "a@",
            "@b",
            "..@..",
            "1 2 3 4 5 6",
            "1-",
            "1 ",
            "😀13812345678😀",
            "１３８",
            "a@b@c.com",
        ] {
            let mut out = Vec::new();
            candidates(v, &mut out);
            for &(s, e, _) in &out {
                assert!(s < e && e <= v.len() && v.is_char_boundary(s) && v.is_char_boundary(e));
            }
        }
    }
}
