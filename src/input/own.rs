//! The tool's own outputs, met again as inputs (a report saved beside the
//! dump, then the folder scanned again). A JSON report holds masked samples
//! and the tool's name — read as data it would add records that are not in
//! the dump. It is recognised whole, not by its first bytes, so that data
//! cannot hide behind a report's opening line: the file must parse as one
//! JSON object whose `schema` is the report's and whose keys are all the
//! report's own.

/// The JSON report's schema name (SPEC §5).
pub const REPORT_SCHEMA: &str = "tiaoshu.report/1";

/// The report's top-level keys.
const REPORT_KEYS: [&str; 13] = [
    "schema",
    "tool",
    "policies",
    "policy_effects",
    "inputs",
    "totals",
    "kinds",
    "recipients",
    "case",
    "assessment",
    "errors",
    "skipped",
    "archives",
];

/// The largest report read whole to recognise it (a report is kilobytes to
/// a few megabytes; a larger file is read as data).
pub const MAX_REPORT_BYTES: usize = 256 << 20;

/// The first bytes may begin a report: worth reading the file whole.
pub fn may_be_report(head: &[u8]) -> bool {
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    let Some(rest) = start.and_then(|s| head.get(s..)) else {
        return false;
    };
    let window = &rest[..rest.len().min(256)];
    rest.first() == Some(&b'{')
        && memchr::memmem::find(window, REPORT_SCHEMA.as_bytes()).is_some()
        && memchr::memmem::find(window, b"\"schema\"").is_some()
}

/// `bytes` (the whole file) is a tiaoshu JSON report.
pub fn is_report(bytes: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(bytes) else {
        return false;
    };
    map.get("schema").and_then(|s| s.as_str()) == Some(REPORT_SCHEMA)
        && map
            .get("tool")
            .and_then(|t| t.get("name"))
            .and_then(|n| n.as_str())
            == Some("tiaoshu")
        && map.keys().all(|k| REPORT_KEYS.contains(&k.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "{\n  \"schema\": \"tiaoshu.report/1\",\n  \"tool\": {\"name\": \"tiaoshu\", \"version\": \"0.1.0\"},\n  \"inputs\": []\n}\n";

    #[test]
    fn a_report_is_known_whole_and_only_whole() {
        assert!(may_be_report(REPORT.as_bytes()));
        assert!(is_report(REPORT.as_bytes()));
        // data after it, or a key the report does not have: data
        let more = format!("{REPORT}{{\"name\":\"张伟\",\"phone\":\"13812345678\"}}\n");
        assert!(may_be_report(more.as_bytes()));
        assert!(!is_report(more.as_bytes()));
        let other = REPORT.replace("\"inputs\"", "\"users\"");
        assert!(!is_report(other.as_bytes()));
        let cut = &REPORT[..REPORT.len() - 3];
        assert!(!is_report(cut.as_bytes()));
        assert!(!may_be_report(b"{\"name\": \"x\"}"));
        assert!(!may_be_report(b"[{\"schema\": \"tiaoshu.report/1\"}]"));
    }
}
