//! The case file (SPEC §4): facts the data cannot show, the policies a court
//! chose, and who the data went to.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::model::{CaseFacts, Consequence, KindCounts, PriorPunishment, Subject};

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse { path: String, source: CaseFileError },
}

/// What is wrong with a case file's contents.
#[derive(Debug, thiserror::Error)]
pub enum CaseFileError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Toml(#[from] toml::de::Error),
    #[error("unknown kind {0:?} in [counts]")]
    UnknownKind(String),
    #[error("recipient {name:?}: {source}")]
    Recipient {
        name: String,
        source: globset::Error,
    },
    #[error("{0}")]
    Globs(globset::Error),
}

/// One recipient of the data: dedup runs inside each recipient's files and
/// the recipients are summed (the same data provided to two buyers is two
/// provisions).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub name: String,
    pub paths: Vec<String>,
}

/// `case.toml` as written. Also the input of `assess --counts`, which adds a
/// `[counts]` table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    pub subject: Option<Subject>,
    pub illegal_gains_rmb: Option<u64>,
    pub prior_punishment: Option<PriorPunishment>,
    pub knew_criminal_use: Option<bool>,
    pub tracking_used_in_crime: Option<bool>,
    pub consequences: Option<Vec<Consequence>>,
    pub provided_onward: Option<bool>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// `NAME = "VALUE"` for the policies of SPEC §1.4, and `basis`.
    #[serde(default)]
    pub policies: BTreeMap<String, String>,
    /// Only for `assess --counts`: items per kind.
    #[serde(default)]
    pub counts: BTreeMap<String, u64>,
}

impl CaseFile {
    /// Reads TOML, or JSON when the file says so (by extension or content).
    pub fn load(path: &Path) -> Result<CaseFile, CaseError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| CaseError::Io {
            path: p.clone(),
            source: e,
        })?;
        CaseFile::parse(&text).map_err(|source| CaseError::Parse { path: p, source })
    }

    pub fn parse(text: &str) -> Result<CaseFile, CaseFileError> {
        if text.trim_start().starts_with('{') {
            Ok(serde_json::from_str(text)?)
        } else {
            Ok(toml::from_str(text)?)
        }
    }

    /// The facts, defaults where the file is silent.
    pub fn facts(&self) -> CaseFacts {
        let d = CaseFacts::default();
        CaseFacts {
            subject: self.subject.unwrap_or(d.subject),
            illegal_gains_rmb: self.illegal_gains_rmb.unwrap_or(d.illegal_gains_rmb),
            prior_punishment: self.prior_punishment.unwrap_or(d.prior_punishment),
            knew_criminal_use: self.knew_criminal_use.unwrap_or(d.knew_criminal_use),
            tracking_used_in_crime: self
                .tracking_used_in_crime
                .unwrap_or(d.tracking_used_in_crime),
            consequences: self.consequences.clone().unwrap_or_default(),
            provided_onward: self.provided_onward.unwrap_or(d.provided_onward),
        }
    }

    /// `[counts]` as per-kind numbers; unknown kind names are an error.
    pub fn kind_counts(&self) -> Result<KindCounts, CaseFileError> {
        let mut c = KindCounts::default();
        for (k, &n) in &self.counts {
            let kind = crate::model::Kind::from_key(k)
                .ok_or_else(|| CaseFileError::UnknownKind(k.clone()))?;
            c.set(kind, n);
        }
        Ok(c)
    }
}

/// Assigns files to recipient groups.
#[derive(Debug)]
pub struct Groups {
    pub names: Vec<String>,
    sets: Vec<GlobSet>,
}

impl Groups {
    /// Without recipients there is one group; with them, one per recipient
    /// plus an "unassigned" group for files that match none.
    pub fn new(recipients: &[Recipient]) -> Result<Groups, CaseFileError> {
        let mut names = Vec::new();
        let mut sets = Vec::new();
        for r in recipients {
            let mut b = GlobSetBuilder::new();
            for p in &r.paths {
                // A relative pattern matches wherever the scanned tree sits:
                // `sold/a/**` matches `dump/sold/a/x.csv` and `/abs/dump/sold/a/x.csv`.
                let p = p.strip_prefix("./").unwrap_or(p);
                let p = if p.starts_with('/') || p.starts_with("**") {
                    p.to_string()
                } else {
                    format!("**/{p}")
                };
                b.add(Glob::new(&p).map_err(|source| CaseFileError::Recipient {
                    name: r.name.clone(),
                    source,
                })?);
            }
            sets.push(b.build().map_err(CaseFileError::Globs)?);
            names.push(r.name.clone());
        }
        if !recipients.is_empty() {
            names.push("(unassigned)".into());
        }
        Ok(Groups { names, sets })
    }

    pub fn len(&self) -> usize {
        self.names.len().max(1)
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The groups a file belongs to.
    pub fn of(&self, display: &str) -> Vec<usize> {
        if self.sets.is_empty() {
            return vec![0];
        }
        let path = display.strip_prefix("./").unwrap_or(display);
        let hits: Vec<usize> = (0..self.sets.len())
            .filter(|&i| self.sets[i].is_match(path))
            .collect();
        if hits.is_empty() {
            vec![self.sets.len()]
        } else {
            hits
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_example() {
        let c = CaseFile::parse(
            r#"
subject = "duty"
illegal_gains_rmb = 1200
prior_punishment = "administrative_within_2y"
consequences = ["major_economic_loss"]
[policies]
travel = "tracking"
[[recipients]]
name = "buyer A"
paths = ["sold/a/**"]
"#,
        )
        .unwrap();
        let f = c.facts();
        assert_eq!(f.subject, Subject::Duty);
        assert_eq!(f.illegal_gains_rmb, 1200);
        assert_eq!(f.consequences, vec![Consequence::MajorEconomicLoss]);
        assert_eq!(c.policies["travel"], "tracking");
        let g = Groups::new(&c.recipients).unwrap();
        assert_eq!(g.of("sold/a/x.csv"), vec![0]);
        assert_eq!(g.of("./sold/a/deep/x.csv"), vec![0]);
        assert_eq!(g.of("/abs/dump/sold/a/x.csv"), vec![0]);
        assert_eq!(g.of("other.csv"), vec![1]);
        assert_eq!(g.of("unsold/a/x.csv"), vec![1]);
    }

    #[test]
    fn rejects_unknown_keys_and_kinds() {
        assert!(CaseFile::parse("subjekt = \"duty\"").is_err());
        let c = CaseFile::parse("[counts]\ntracking = 40\nnonsense = 1").unwrap();
        assert!(c.kind_counts().is_err());
        let c = CaseFile::parse("{\"subject\": \"duty\", \"counts\": {\"tracking\": 40}}").unwrap();
        assert_eq!(
            c.kind_counts().unwrap().get(crate::model::Kind::Tracking),
            40
        );
    }
}
