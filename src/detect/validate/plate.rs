//! Motor vehicle plates, GA 36-2018 (机动车号牌).

use super::check::{Check, Facet, Reason, Validator};
use crate::detect::normalize::KeyForm;

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
    const BAD: Check = Check::Invalid(Reason::NotPlate);
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

/// `validator = "plate"`.
struct Plate;

impl Validator for Plate {
    fn name(&self) -> &'static str {
        "plate"
    }
    fn validate(&self, v: &str) -> Check {
        plate(v)
    }
    fn facet(&self) -> Facet {
        Facet::NeedsName
    }
    fn key_form(&self) -> KeyForm {
        KeyForm::Upper
    }
}

pub(super) const VALIDATORS: &[&dyn Validator] = &[&Plate];

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(plate(s), Check::Invalid(Reason::NotPlate), "{s}");
        }
    }
}
