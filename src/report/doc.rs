//! The JSON report as the human reports read it back.
//!
//! `scan --report` and `tiaoshu report REPORT.json` both render from this
//! one type, deserialized from the JSON, so a report printed later from the
//! saved JSON is the same report: whatever the HTML or Markdown shows, the
//! JSON carries.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::json::{Report, Totals, SCHEMA};
use crate::assess::Assessment;
use crate::input::{InputError, Skipped};
use crate::model::{CaseFacts, Kind};
use crate::scan::{ArchiveSummary, InputSummary, Sample};

#[derive(Debug, Deserialize)]
pub struct Doc {
    pub schema: String,
    pub tool: ToolDoc,
    /// `basis` and the four classification policies.
    pub policies: BTreeMap<String, String>,
    #[serde(default)]
    pub policy_effects: Vec<PolicyEffectDoc>,
    #[serde(default)]
    pub inputs: Vec<InputSummary>,
    pub totals: Totals,
    kinds: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub recipients: Vec<RecipientDoc>,
    #[serde(default)]
    pub case: CaseFacts,
    pub assessment: Assessment,
    #[serde(default)]
    pub errors: Vec<InputError>,
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    #[serde(default)]
    pub archives: Vec<ArchiveSummary>,
}

// The report's own types hold `&'static str`s where these own their text.

#[derive(Debug, Deserialize)]
pub struct ToolDoc {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Deserialize)]
pub struct PolicyEffectDoc {
    pub policy: String,
    pub value: String,
    pub records: u64,
    pub effect: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct KindDoc {
    pub tier: String,
    pub seized: u64,
    pub invalid: u64,
    pub duplicate: u64,
    pub counted: u64,
    #[serde(default)]
    pub co_occurring: BTreeMap<String, u64>,
    #[serde(default)]
    pub persons: Option<u64>,
    #[serde(default)]
    pub invalid_reasons: BTreeMap<String, u64>,
    #[serde(default)]
    pub samples: Vec<Sample>,
}

#[derive(Debug, Deserialize)]
pub struct RecipientDoc {
    pub name: String,
    pub files: u64,
}

impl Doc {
    /// Reads a saved `tiaoshu.report/1` document.
    pub fn from_json(text: &str) -> Result<Doc, String> {
        let doc: Doc = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if doc.schema != SCHEMA {
            return Err(format!(
                "schema {:?}: this version renders {:?}",
                doc.schema, SCHEMA
            ));
        }
        doc.check_kinds()?;
        Ok(doc)
    }

    /// The report of this run, through its JSON.
    pub fn from_report(report: &Report) -> Result<Doc, String> {
        let value = serde_json::to_value(report).map_err(|e| e.to_string())?;
        let doc: Doc = serde_json::from_value(value).map_err(|e| e.to_string())?;
        doc.check_kinds()?;
        Ok(doc)
    }

    fn check_kinds(&self) -> Result<(), String> {
        for k in Kind::ALL {
            let v = self
                .kinds
                .get(k.key())
                .ok_or_else(|| format!("kinds.{} is missing", k.key()))?;
            KindDoc::deserialize(v).map_err(|e| format!("kinds.{}: {e}", k.key()))?;
        }
        Ok(())
    }

    /// The ten kinds, in the order of SPEC §1.1.
    pub fn kinds(&self) -> Vec<(Kind, KindDoc)> {
        Kind::ALL
            .iter()
            .map(|&k| {
                let row = self
                    .kinds
                    .get(k.key())
                    .and_then(|v| KindDoc::deserialize(v).ok())
                    .unwrap_or_default();
                (k, row)
            })
            .collect()
    }
}
