//! The validators and value detection on arbitrary text: no panic (they
//! index into values by byte, so multi-byte input is the risk).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiaoshu::detect::{validate, RecordFacts, Role, Scratch};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = validate::resident_id(s);
    let _ = validate::is_mangled_resident_id(s);
    let _ = validate::mobile(s);
    let _ = validate::email(s);
    let _ = validate::bank_card(s, true);
    let _ = validate::passport(s);
    let _ = validate::hk_macau_permit(s);
    let _ = validate::taiwan_permit(s);
    let _ = validate::qq(s);
    let _ = validate::wechat(s);
    let _ = validate::weibo(s);
    let _ = validate::imei(s);
    let _ = validate::imsi(s);
    let _ = validate::device_id(s);
    let _ = validate::plate(s);
    let _ = validate::masked_identifier(s);
    let _ = validate::chinese_name(s);
    let _ = validate::address(s);
    let _ = validate::date(s);
    let _ = validate::coordinate_pair(s);
    let engine = common::engine();
    let _ = engine.role_for_header(s);
    let mut facts = RecordFacts::default();
    let mut scratch = Scratch::default();
    engine.detect_field(Role::Unknown, s, &mut facts, &mut scratch);
    let role = engine.role_for_header("身份证号");
    engine.detect_field(role, s, &mut facts, &mut scratch);
    facts.finish();
});
