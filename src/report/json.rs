//! The machine report (`tiaoshu.report/1`): what the scan and the
//! assessment found, as the JSON that `report` and other tools read back.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::law::Assessment;
use super::words;
use super::words::Lang;
use crate::assess::Findings;
use crate::classify::{Policies, Policy};
use crate::input::{InputError, Skipped};
use crate::model::{CaseFacts, Kind, Place};
use crate::tally::found::{ArchiveSummary, InputSummary, ScanOutput};
use crate::tally::{Basis, KindTally};

pub const SCHEMA: &str = crate::input::own::REPORT_SCHEMA;

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    pub policies: PoliciesJson,
    /// How many records each policy moved (SPEC §1.4).
    pub policy_effects: Vec<PolicyEffect>,
    pub inputs: Vec<InputSummary>,
    pub totals: Totals,
    pub kinds: Kinds,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<RecipientJson>,
    pub case: CaseFacts,
    pub assessment: Assessment,
    pub errors: Vec<InputError>,
    pub skipped: Vec<Skipped>,
    /// Archives opened; their entries are listed under `inputs`.
    pub archives: Vec<ArchiveSummary>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "tiaoshu",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PoliciesJson {
    pub basis: Basis,
    #[serde(flatten)]
    pub policies: Policies,
}

#[derive(Debug, Serialize)]
pub struct PolicyEffect {
    pub policy: &'static str,
    pub value: String,
    /// Records this policy's rule decided.
    pub records: u64,
    pub effect: String,
}

#[derive(Debug, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Totals {
    pub bytes: u64,
    pub records: u64,
    pub pi_records: u64,
    pub masked: u64,
    pub bare: u64,
    pub errors: u64,
    pub skipped: u64,
}

#[derive(Debug, Serialize)]
pub struct RecipientJson {
    pub name: String,
    pub files: u64,
}

/// One row of `kinds`.
#[derive(Debug, Clone, Serialize)]
pub struct KindRow {
    pub tier: &'static str,
    #[serde(flatten)]
    pub tally: KindTally,
    /// Records of this kind that also carried evidence of other kinds.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub co_occurring: BTreeMap<&'static str, u64>,
    /// Tracking only: distinct tracked persons among the counted points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persons: Option<u64>,
    /// Why the invalid records are invalid: the reason of each one's first
    /// failing identifier, with counts.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub invalid_reasons: BTreeMap<String, u64>,
    /// The first valid records of the kind in scan order, masked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<crate::tally::found::Sample>,
}

/// All ten kinds, always, in the order of SPEC §1.1.
#[derive(Debug, Clone)]
pub struct Kinds(pub Vec<(Kind, KindRow)>);

impl Serialize for Kinds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, row) in &self.0 {
            map.serialize_entry(k.key(), row)?;
        }
        map.end()
    }
}

impl Kinds {
    pub fn get(&self, kind: Kind) -> &KindRow {
        &self.0[kind.index()].1
    }
}

/// Builds the report of a scan.
pub fn build(
    mut scan: ScanOutput,
    policies: Policies,
    basis: Basis,
    case: CaseFacts,
    findings: &Findings,
) -> Report {
    mask_names_in(&mut scan);
    let t = &scan.tally;
    let kinds = Kinds(
        Kind::ALL
            .iter()
            .map(|&k| {
                let co_occurring = Kind::ALL
                    .iter()
                    .filter(|o| t.also[k.index()][o.index()] > 0)
                    .map(|o| (o.key(), t.also[k.index()][o.index()]))
                    .collect();
                let row = KindRow {
                    tier: crate::assess::criminal_tier(k).letter(),
                    tally: t.kinds[k.index()],
                    co_occurring,
                    persons: (k == Kind::Tracking).then_some(t.tracking_persons),
                    invalid_reasons: t.invalid_reasons[k.index()]
                        .iter()
                        .map(|(&r, &n)| (words::reason(r, Lang::En).into_owned(), n))
                        .collect(),
                    samples: std::mem::take(&mut scan.samples[k.index()]),
                };
                (k, row)
            })
            .collect(),
    );
    let track = t.track_unit();
    let policy_effects = vec![
        PolicyEffect {
            policy: "travel",
            value: key(&policies.travel),
            records: t.moved(Policy::Travel),
            effect: format!(
                "travel booking records counted as {} because of this policy",
                key(&policies.travel)
            ),
        },
        PolicyEffect {
            policy: "idcard",
            value: key(&policies.idcard),
            records: t.moved(Policy::IdCard),
            effect: "records counted as other_safety as resident-ID-card information".into(),
        },
        PolicyEffect {
            policy: "bare_phone",
            value: key(&policies.bare_phone),
            records: t.moved(Policy::BarePhone),
            effect: match policies.bare_phone {
                crate::classify::BarePhone::Exclude => {
                    "bare phone numbers left out of the count".into()
                }
                crate::classify::BarePhone::Count => "bare phone numbers counted as general".into(),
            },
        },
        PolicyEffect {
            policy: "track_unit",
            value: key(&policies.track_unit),
            records: track.fewer_as_persons,
            effect: format!(
                "{} counted tracking points, {} distinct tracked persons; the assessment uses {}",
                track.points,
                track.persons,
                match policies.track_unit {
                    crate::classify::TrackUnit::Point => "points",
                    crate::classify::TrackUnit::Person => "persons",
                }
            ),
        },
    ];
    let totals = Totals {
        bytes: scan.inputs.iter().map(|i| i.bytes).sum(),
        records: t.records,
        pi_records: t.pi_records(),
        masked: t.masked,
        bare: t.bare,
        errors: scan.errors.len() as u64,
        skipped: scan.skipped.len() as u64,
    };
    let recipients = if scan.groups.len() > 1 {
        scan.groups
            .iter()
            .map(|(name, files)| RecipientJson {
                name: name.clone(),
                files: *files,
            })
            .collect()
    } else {
        Vec::new()
    };
    Report {
        schema: SCHEMA,
        tool: Tool::default(),
        policies: PoliciesJson { basis, policies },
        policy_effects,
        inputs: scan.inputs,
        totals,
        kinds,
        recipients,
        case,
        assessment: super::law::assessment(findings),
        errors: scan.errors,
        skipped: scan.skipped,
        archives: scan.archives,
    }
}

/// The serde name of a unit enum value.
pub(super) fn key<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Names in a report are shown as values are: file, entry, sheet and table
/// names holding a mobile, an ID or an e-mail lose its digits
/// (`mask::mask_names`), in every path, position, reason and message.
fn mask_names_in(scan: &mut ScanOutput) {
    fn m(s: &mut String) {
        if let std::borrow::Cow::Owned(masked) = crate::detect::mask::mask_names(s) {
            *s = masked;
        }
    }
    for i in &mut scan.inputs {
        m(&mut i.path);
        if let Some(t) = &mut i.symlink_to {
            m(t);
        }
    }
    for e in &mut scan.errors {
        m(&mut e.path);
        mask_place(&mut e.position);
        m(&mut e.message);
    }
    for k in &mut scan.skipped {
        m(&mut k.path);
        m(&mut k.reason);
    }
    for a in &mut scan.archives {
        m(&mut a.path);
    }
    for smp in scan.samples.iter_mut().flatten() {
        m(&mut smp.path);
        mask_place(&mut smp.position);
    }
}

/// Masks the sheet name a place holds; lines, bytes and rows are numbers,
/// not personal data (a byte offset of 13,812,345,678 is no phone number).
pub fn mask_place(p: &mut Place) {
    use crate::detect::mask::mask_names;
    use std::borrow::Cow;
    match p {
        Place::Row { prefix, .. } => {
            if let Cow::Owned(masked) = mask_names(prefix) {
                *prefix = masked.into();
            }
        }
        Place::Sheet(name) => {
            if let Cow::Owned(masked) = mask_names(name) {
                *name = masked;
            }
        }
        Place::Whole
        | Place::Byte(_)
        | Place::Text { .. }
        | Place::Document { .. }
        | Place::RowGroup(_)
        | Place::Entry(_)
        | Place::AfterEntry(_) => {}
    }
}

/// Writes the JSON report.
pub fn write_json(report: &impl Serialize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// The report of `assess --counts`: no inputs, the given numbers as seized
/// and counted.
pub fn from_counts(
    counts: &crate::model::KindCounts,
    case: CaseFacts,
    findings: &Findings,
) -> Report {
    let kinds = Kinds(
        Kind::ALL
            .iter()
            .map(|&k| {
                let n = counts.get(k);
                let row = KindRow {
                    tier: crate::assess::criminal_tier(k).letter(),
                    tally: KindTally {
                        seized: n,
                        invalid: 0,
                        duplicate: 0,
                        counted: n,
                    },
                    co_occurring: BTreeMap::new(),
                    persons: None,
                    invalid_reasons: BTreeMap::new(),
                    samples: Vec::new(),
                };
                (k, row)
            })
            .collect(),
    );
    Report {
        schema: SCHEMA,
        tool: Tool::default(),
        policies: PoliciesJson {
            basis: Basis::Counted,
            policies: Policies::default(),
        },
        policy_effects: Vec::new(),
        inputs: Vec::new(),
        totals: Totals {
            pi_records: Kind::ALL.iter().map(|&k| counts.get(k)).sum(),
            ..Totals::default()
        },
        kinds,
        recipients: Vec::new(),
        case,
        assessment: super::law::assessment(findings),
        errors: Vec::new(),
        skipped: Vec::new(),
        archives: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Positions are numbers, not personal data: only the sheet name a place
    /// holds is masked (a byte offset of 13,812,345,678 in a 13 GB dump is
    /// no phone number).
    #[test]
    fn a_place_masks_its_sheet_name_not_its_numbers() {
        let mut at = Place::Text {
            line: 13_812_345_678,
            byte: Some(13_812_345_678),
        };
        mask_place(&mut at);
        assert_eq!(at.to_string(), "line 13812345678, byte 13812345678");
        let mut at = Place::Byte(13_812_345_678);
        mask_place(&mut at);
        assert_eq!(at, Place::Byte(13_812_345_678));
        let mut at = Place::Row {
            prefix: "sheet 13812345678, row ".into(),
            row: 13_812_345_678,
        };
        mask_place(&mut at);
        assert!(!at.to_string().contains("13812345678, "), "{at}");
        assert!(at.to_string().ends_with("row 13812345678"), "{at}");
        let mut at = Place::Sheet("客户13812345678".into());
        mask_place(&mut at);
        assert!(!at.to_string().contains("13812345678"), "{at}");
    }
}
