//! Every pattern ships with examples and negative examples; these tests run
//! them (the Nosey Parker habit), so a pattern that stops matching its own
//! examples fails the build.

use super::*;

fn engine() -> Engine {
    Engine::builtin().expect("built-in patterns compile")
}

#[test]
fn builtin_patterns_match_their_examples() {
    let failures = super::examples::failures(&PatternSet::builtin().unwrap());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn headers_resolve_like_a_person_reads_them() {
    let e = engine();
    let id = |name: &str| Role::Detector(e.detector(name).unwrap());
    assert_eq!(e.role_for_header("身份证号码"), id("resident_id"));
    assert_eq!(e.role_for_header(" SFZH "), id("resident_id"));
    assert_eq!(e.role_for_header("收货人手机"), id("mobile"));
    assert_eq!(e.role_for_header("客户手机号码"), id("mobile"));
    assert_eq!(e.role_for_header("userMobile"), id("mobile"));
    assert_eq!(e.role_for_header("user.contact.mobile"), id("mobile"));
    assert_eq!(e.role_for_header("phones.0"), Role::Unknown);
    assert_eq!(e.role_for_header("home_address"), id("address"));
    assert_eq!(e.role_for_header("序号"), Role::Ignore);
    assert_eq!(e.role_for_header("user_id"), Role::Ignore);
    assert_eq!(
        e.role_for_header("订单编号"),
        Role::Evidence(rule(&e, "transaction"))
    );
    assert_eq!(e.role_for_header("ｅｍａｉｌ"), id("email"));
    assert_eq!(e.role_for_header("colour"), Role::Unknown);
    assert_eq!(e.role_for_header("employer_name"), id("employer"));
    assert_eq!(e.role_for_header("user_name"), id("name"));
    assert_eq!(e.role_for_header("bankCardNo"), id("bank_card"));
}

fn rule(e: &Engine, id: &str) -> u16 {
    e.rules.iter().position(|r| r.id == id).unwrap() as u16
}

#[test]
fn untyped_values_are_detected_by_shape() {
    let e = engine();
    let f = e.check_value("11010519491231002X");
    assert_eq!((f.strong_valid, f.strong_invalid), (1, 0));
    assert!(f.has_resident_id);
    let f = e.check_value("110105194912310021");
    assert_eq!(
        (f.strong_valid, f.strong_invalid),
        (0, 1),
        "wrong check digit is an untrue ID"
    );
    let f = e.check_value("15412345678");
    assert_eq!((f.strong_valid, f.strong_invalid, f.phones), (0, 1, 1));
    let f = e.check_value("138****1234");
    assert_eq!((f.strong(), f.masked), (0, 1));
    let f = e.check_value("张伟");
    assert!(f.has_name);
    let f = e.check_value("6222020200112233446");
    assert_eq!(f.strong_valid, 1);
    assert!(f.has_bank_card);
    // A 16-digit number that fails Luhn is a number, not an untrue card.
    let f = e.check_value("1234567812345678");
    assert_eq!(f.strong(), 0);
    let f = e.check_value("39.904211,116.407395");
    assert_eq!(
        f.evidence,
        Evidence::Kind(crate::model::Kind::Tracking).bit()
    );
    let f = e.check_value("hello");
    assert_eq!((f.strong(), f.evidence, f.key_parts.len()), (0, 0, 0));
}

#[test]
fn header_row_detection() {
    let e = engine();
    assert!(e.looks_like_header(&["序号", "姓名", "手机号", "身份证号"]));
    assert!(e.looks_like_header(&["name", "phone", "colour"]));
    assert!(!e.looks_like_header(&["张伟", "13812345678", "11010519491231002X"]));
    assert!(!e.looks_like_header(&["foo", "bar"]));
    // a valid identifier is data, whatever header word is inside it
    assert!(!e.looks_like_header(&["u1", "pass1", "m1@qq.com"]));
    assert!(e.looks_like_header(&["qq", "email", "wechat", "微信号", "QQ号"]));
    // a header whose unknown column looks like a name (时间) is still a header
    assert!(e.looks_like_header(&["姓名", "手机号", "经度", "纬度", "时间"]));
    // a data row without identifiers is not, even if a value contains a synonym
    assert!(!e.looks_like_header(&["张三", "北京市朝阳区建国路88号手机店"]));
}

#[test]
fn unknown_columns_are_typed_from_a_sample() {
    let e = engine();
    let mobile = Role::Detector(e.detector("mobile").unwrap());
    let phones = [
        "13812345678",
        "13912345678",
        "15012345678",
        "18612345678",
        "19912345678",
        "",
        "NULL",
    ];
    assert_eq!(e.role_from_sample(phones.iter().copied()), mobile);
    // one bad value in ten still types the column
    let mut mostly: Vec<&str> = vec!["13812345678"; 9];
    mostly.push("12345");
    assert_eq!(e.role_from_sample(mostly.iter().copied()), mobile);
    // too few, or too mixed, stays per-value
    assert_eq!(
        e.role_from_sample(phones[..3].iter().copied()),
        Role::Unknown
    );
    let mixed = ["13812345678", "hello", "world", "13912345678", "foo", "bar"];
    assert_eq!(e.role_from_sample(mixed.iter().copied()), Role::Unknown);
}

#[test]
fn a_plate_is_an_identifier_only_next_to_a_name() {
    let e = engine();
    let mut s = Scratch::default();
    let mut f = RecordFacts::default();
    e.detect_field(Role::Unknown, "京A12345", &mut f, &mut s);
    f.finish();
    assert_eq!(f.strong(), 0);
    let mut f = RecordFacts::default();
    e.detect_field(Role::Unknown, "张伟", &mut f, &mut s);
    e.detect_field(Role::Unknown, "京A12345", &mut f, &mut s);
    f.finish();
    assert_eq!(f.strong_valid, 1);
}

#[test]
fn placeholder_text_in_an_identifier_column_is_no_identifier() {
    let e = engine();
    let mobile = Role::Detector(e.detector("mobile").unwrap());
    let mut s = Scratch::default();
    let mut f = RecordFacts::default();
    e.detect_field(mobile, "未填写", &mut f, &mut s);
    assert_eq!(f.strong(), 0);
    e.detect_field(mobile, "12345", &mut f, &mut s);
    assert_eq!(
        f.strong_invalid, 1,
        "a wrong number is an untrue identifier"
    );
    let email = Role::Detector(e.detector("email").unwrap());
    e.detect_field(email, "无邮箱", &mut f, &mut s);
    assert_eq!(f.strong_invalid, 1);
    e.detect_field(email, "wangfang88.example.com", &mut f, &mut s);
    assert_eq!(
        f.strong_invalid, 2,
        "a malformed address is an untrue e-mail"
    );
}

#[test]
fn every_evidence_field_and_times_enter_the_key() {
    let e = engine();
    let key = |values: &[&str]| {
        let mut s = Scratch::default();
        let mut f = RecordFacts::default();
        for v in values {
            e.detect_field(Role::Unknown, v, &mut f, &mut s);
        }
        f.finish();
        let mut parts = f.key_parts.clone();
        parts.sort_unstable();
        parts
    };
    // two messages that differ only in their second evidence field
    assert_ne!(
        key(&["13812345678", "【京东】验证码111", "【京东】验证码222"]),
        key(&["13812345678", "【京东】验证码111", "【京东】验证码333"])
    );
    // two points of one person at two times
    assert_ne!(
        key(&["13812345678", "39.904211,116.407395", "2023-01-01 10:00:00"]),
        key(&["13812345678", "39.904211,116.407395", "2023-01-01 18:00:00"])
    );
    // a date beside a name and phone only (no evidence) does not split copies
    assert_eq!(
        key(&["张伟", "13812345678", "2023-01-01"]),
        key(&["张伟", "13812345678", "2024-05-05"])
    );
}

#[test]
fn a_name_header_does_not_make_an_organisation_a_name() {
    let e = engine();
    let name = Role::Detector(e.detector("name").unwrap());
    let mut s = Scratch::default();
    for (v, is_name) in [
        ("张伟", true),
        ("Zhang Wei", true),
        ("买买提·艾力", true),
        ("中国银行", false),
        ("A3", false),
    ] {
        let mut f = RecordFacts::default();
        e.detect_field(name, v, &mut f, &mut s);
        assert_eq!(f.has_name, is_name, "{v}");
    }
}

/// What one untyped value gives: (valid, invalid) strong identifiers, and
/// whether a name and a bank card are among them.
fn strong(e: &Engine, v: &str) -> (u32, u32, bool, bool) {
    let f = e.check_value(v);
    (
        f.strong_valid,
        f.strong_invalid,
        f.has_name,
        f.has_bank_card,
    )
}

#[test]
fn identifiers_inside_sentences_are_found() {
    let e = engine();
    // Issue 14's three lines, as one field each (a CSV of one column).
    assert_eq!(
        strong(&e, "客户张伟的手机号是13812345678，请核实。"),
        (1, 0, true, false)
    );
    assert_eq!(
        strong(&e, "姓名：张伟，邮箱：zw88@qq.com。"),
        (1, 0, true, false)
    );
    assert_eq!(
        strong(&e, "张伟，13812345678，北京市朝阳区建国路88号"),
        (1, 0, false, false)
    );
    // Two numbers in one chat line: two identifiers of one record.
    assert_eq!(
        strong(&e, "联系人李娜13912345678，备用13812345678"),
        (2, 0, true, false)
    );
    // Full-width digits and ＠.
    assert_eq!(
        strong(&e, "邮箱ｚｗ８８＠ｑｑ．ｃｏｍ"),
        (1, 0, false, false)
    );
    assert_eq!(
        strong(&e, "电话：１３８１２３４５６７８"),
        (1, 0, false, false)
    );
    // An untrue number inside a sentence is an untrue identifier.
    assert_eq!(strong(&e, "他的号码是15412345678吧"), (0, 1, false, false));
    // No identifier: a digit run inside a longer token, short numbers.
    assert_eq!(
        strong(&e, "订单DD20230101123456789012已发货"),
        (0, 0, false, false)
    );
    assert_eq!(strong(&e, "金额 12345 元，数量 678"), (0, 0, false, false));
    // A masked number in a sentence is masked, not an identifier.
    let f = e.check_value("尾号138****5678的客户");
    assert_eq!((f.strong_valid, f.strong_invalid, f.masked), (0, 0, 1));
}

#[test]
fn the_structure_decides_not_the_first_checksum_that_passes() {
    let e = engine();
    // 18 digits with a province and a real birth date are a resident ID:
    // a wrong check character is an untrue ID even when Luhn passes with a
    // Visa-looking 4 prefix (Visa issues no 18-digit numbers).
    assert!(crate::detect::validate::luhn(b"441881201009115688"));
    assert_eq!(strong(&e, "441881201009115688"), (0, 1, false, false));
    // 18 digits without that structure (an order number) are no identifier.
    assert_eq!(strong(&e, "123456789012345678"), (0, 0, false, false));
    assert_eq!(strong(&e, "990105194912310023"), (0, 0, false, false));
    // A UnionPay card by value; 15-digit Amex and 13-digit Visa too.
    let luhn = |body: &str| {
        (b'0'..=b'9')
            .map(|d| format!("{body}{}", d as char))
            .find(|s| crate::detect::validate::luhn(s.as_bytes()))
            .unwrap()
    };
    assert_eq!(strong(&e, &luhn("622202123456789012")), (1, 0, false, true));
    assert_eq!(strong(&e, &luhn("37828224631000")), (1, 0, false, true));
    assert_eq!(strong(&e, &luhn("422222222222")), (1, 0, false, true));
    // 17 digits with a 4 prefix: no Visa length, no card.
    assert_eq!(strong(&e, &luhn("4222222222222222")), (0, 0, false, false));
    // A 15-digit legacy ID that is also a valid Amex number is the card;
    // one that reads as an IMEI (Luhn, 86) is neither by value.
    let amex = luhn("37010549010112"); // Shandong, 1949-01-01; and Amex 37
    assert!(crate::detect::validate::resident_id(&amex).is_valid());
    assert_eq!(strong(&e, &amex), (1, 0, false, true));
    let imei = luhn("86010549010112");
    assert_eq!(strong(&e, &imei), (0, 0, false, false));
    let fujian_imei = luhn("35010549010112");
    assert!(crate::detect::validate::resident_id(&fujian_imei).is_valid());
    assert_eq!(strong(&e, &fujian_imei), (0, 0, false, false));
    // Otherwise a valid 15-digit legacy ID is one.
    let f = e.check_value("110105490101123");
    assert!(f.has_resident_id && f.strong_valid == 1);
}
