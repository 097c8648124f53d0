//! The JSON report as the human reports read it back.
//!
//! `scan --report` and `tiaoshu report REPORT.json` both render from this
//! one type, deserialized from the JSON, so a report printed later from the
//! saved JSON is the same report: whatever the HTML or Markdown shows, the
//! JSON carries.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::json::{Report, Totals, SCHEMA};
use super::law::Assessment;
use crate::input::Skipped;
use crate::model::{CaseFacts, Kind};
use crate::tally::found::{ArchiveSummary, InputSummary, Status};

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
    pub errors: Vec<ErrorDoc>,
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    #[serde(default)]
    pub archives: Vec<ArchiveSummary>,
}

// The report's own types hold `&'static str`s where these own their text.

/// An error as the JSON words it.
#[derive(Debug, Deserialize)]
pub struct ErrorDoc {
    pub path: String,
    pub position: String,
    pub message: String,
}

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
    pub samples: Vec<SampleDoc>,
}

/// A sample as the JSON words it.
#[derive(Debug, Deserialize)]
pub struct SampleDoc {
    pub path: String,
    pub position: String,
    pub status: Status,
    #[serde(default)]
    pub duplicate_of: Option<usize>,
    pub identifiers: String,
}

#[derive(Debug, Deserialize)]
pub struct RecipientDoc {
    pub name: String,
    pub files: u64,
}

/// Why a saved report cannot be rendered.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("schema {0:?}: this version renders {SCHEMA:?}")]
    Schema(String),
    #[error("kinds.{} is missing", .0.key())]
    Missing(Kind),
    #[error("kinds.{}: {source}", kind.key())]
    Kind {
        kind: Kind,
        source: serde_json::Error,
    },
}

impl Doc {
    /// Reads a saved `tiaoshu.report/1` document.
    pub fn from_json(text: &str) -> Result<Doc, DocError> {
        let doc: Doc = serde_json::from_str(text)?;
        if doc.schema != SCHEMA {
            return Err(DocError::Schema(doc.schema));
        }
        doc.check_kinds()?;
        Ok(doc)
    }

    /// The report of this run, through its JSON.
    pub fn from_report(report: &Report) -> Result<Doc, DocError> {
        let value = serde_json::to_value(report)?;
        let doc: Doc = serde_json::from_value(value)?;
        doc.check_kinds()?;
        Ok(doc)
    }

    fn check_kinds(&self) -> Result<(), DocError> {
        for k in Kind::ALL {
            let v = self.kinds.get(k.key()).ok_or(DocError::Missing(k))?;
            KindDoc::deserialize(v).map_err(|source| DocError::Kind { kind: k, source })?;
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
