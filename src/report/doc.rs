//! The JSON report as the human reports read it back.
//!
//! `scan --report` and `tiaoshu report REPORT.json` both render from this
//! one type, deserialized from the JSON, so a report printed later from the
//! saved JSON is the same report: whatever the HTML or Markdown shows, the
//! JSON carries.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::assess::Article;
use crate::model::{CaseFacts, Kind, Level};
use crate::scan::Sample;

#[derive(Debug, Deserialize)]
pub struct Doc {
    pub schema: String,
    pub tool: ToolDoc,
    /// `basis` and the four classification policies.
    pub policies: BTreeMap<String, String>,
    #[serde(default)]
    pub policy_effects: Vec<PolicyEffectDoc>,
    #[serde(default)]
    pub inputs: Vec<InputDoc>,
    pub totals: TotalsDoc,
    kinds: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub recipients: Vec<RecipientDoc>,
    #[serde(default)]
    pub case: CaseFacts,
    pub assessment: AssessmentDoc,
    #[serde(default)]
    pub errors: Vec<ErrorDoc>,
    #[serde(default)]
    pub skipped: Vec<SkippedDoc>,
    #[serde(default)]
    pub archives: Vec<ArchiveDoc>,
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

#[derive(Debug, Deserialize)]
pub struct InputDoc {
    pub path: String,
    pub format: String,
    pub encoding: String,
    #[serde(default)]
    pub compression: Option<String>,
    pub bytes: u64,
    pub sha256: String,
    pub records: u64,
    pub errors: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TotalsDoc {
    pub bytes: u64,
    pub records: u64,
    pub pi_records: u64,
    pub masked: u64,
    pub bare: u64,
    pub errors: u64,
    pub skipped: u64,
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

#[derive(Debug, Deserialize)]
pub struct AssessmentDoc {
    pub subject: String,
    pub basis_counts: Abc<u64>,
    pub articles: Vec<ArticleDoc>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub notes_zh: Vec<String>,
}

/// Per tier.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub struct Abc<T> {
    #[serde(rename = "A")]
    pub a: T,
    #[serde(rename = "B")]
    pub b: T,
    #[serde(rename = "C")]
    pub c: T,
}

impl<T: Copy> Abc<T> {
    pub fn get(&self, tier: usize) -> T {
        match tier {
            0 => self.a,
            1 => self.b,
            _ => self.c,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ArticleDoc {
    pub article: Article,
    pub level: Level,
    pub weighted: f64,
    pub rule_set: String,
    #[serde(default)]
    pub rule_set_zh: String,
    pub thresholds: ThresholdsDoc,
    #[serde(default)]
    pub grounds: Vec<GroundDoc>,
    #[serde(default)]
    pub next: Option<NextDoc>,
    #[serde(default)]
    pub assumptions: Vec<String>,
    #[serde(default)]
    pub assumptions_zh: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct ThresholdsDoc {
    #[serde(rename = "A")]
    pub a: Option<u64>,
    #[serde(rename = "B")]
    pub b: Option<u64>,
    #[serde(rename = "C")]
    pub c: Option<u64>,
    #[serde(default)]
    pub gains_rmb: Option<u64>,
}

impl ThresholdsDoc {
    /// The three tier thresholds, when volume decides.
    pub fn tiers(&self) -> Option<[u64; 3]> {
        match (self.a, self.b, self.c) {
            (Some(a), Some(b), Some(c)) if a > 0 && b > 0 && c > 0 => Some([a, b, c]),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct GroundDoc {
    pub rule: String,
    pub text: String,
    #[serde(default)]
    pub text_zh: String,
    #[serde(default)]
    pub provision_zh: String,
    #[serde(default)]
    pub provision_en: String,
    pub level: Level,
}

#[derive(Debug, Deserialize)]
pub struct NextDoc {
    pub level: Level,
    #[serde(default)]
    pub weighted_needed: Option<f64>,
    #[serde(default)]
    pub items_needed: Option<Abc<u64>>,
    #[serde(default)]
    pub gains_needed_rmb: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct ErrorDoc {
    pub path: String,
    pub position: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
pub struct SkippedDoc {
    pub path: String,
    pub reason: String,
    pub sha256: String,
}

#[derive(Debug, Deserialize)]
pub struct ArchiveDoc {
    pub path: String,
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
    pub entries: u64,
}

impl Doc {
    /// Reads a saved `tiaoshu.report/1` document.
    pub fn from_json(text: &str) -> Result<Doc, String> {
        let doc: Doc = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if doc.schema != super::SCHEMA {
            return Err(format!(
                "schema {:?}: this version renders {:?}",
                doc.schema,
                super::SCHEMA
            ));
        }
        doc.check_kinds()?;
        Ok(doc)
    }

    /// The report of this run, through its JSON.
    pub fn from_report(report: &super::Report) -> Result<Doc, String> {
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
