//! Loading `patterns/*.toml`: the built-in set is compiled into the binary;
//! `--patterns DIR` adds detectors and rules or overrides them by id.

use std::path::Path;

use serde::Deserialize;

use crate::model::Kind;

/// The built-in pattern files, in load order.
pub const BUILTIN: [(&str, &str); 3] = [
    (
        "identifiers.toml",
        include_str!("../../patterns/identifiers.toml"),
    ),
    (
        "attributes.toml",
        include_str!("../../patterns/attributes.toml"),
    ),
    ("kinds.toml", include_str!("../../patterns/kinds.toml")),
];

#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: {id}: {message}")]
    Invalid {
        file: String,
        id: String,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// One pattern file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFile {
    #[serde(default)]
    pub detector: Vec<DetectorSpec>,
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// A strong identifier: any one makes the record identify a person.
    Identifier,
    /// A weak attribute: needs a name beside it.
    Attribute,
    /// A column that never holds personal information.
    Ignore,
    /// Free text (notes, remarks, descriptions): not an attribute itself,
    /// but the identifiers written inside it count (issue 14).
    Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorSpec {
    pub id: String,
    #[serde(default)]
    pub label: String,
    pub class: Class,
    pub validator: String,
    #[serde(default)]
    pub regex: Option<String>,
    #[serde(default)]
    pub value_detect: bool,
    /// How its values are shown; by default the validator's rule, else by
    /// class.
    #[serde(default)]
    pub mask: Option<super::mask::Mask>,
    /// How its values are compared in the dedup key; by default the
    /// validator's.
    #[serde(default)]
    pub key_form: Option<super::normalize::KeyForm>,
    #[serde(default = "default_priority")]
    pub priority: i32,
    #[serde(default = "default_person_rank")]
    pub person_rank: u8,
    #[serde(default)]
    pub headers: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// Headers that must map to this detector.
    #[serde(default)]
    pub header_examples: Vec<String>,
    /// Headers that must not.
    #[serde(default)]
    pub negative_header_examples: Vec<String>,
}

fn default_priority() -> i32 {
    500
}

fn default_person_rank() -> u8 {
    50
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub evidence: String,
    #[serde(default)]
    pub headers: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub validator: Option<String>,
    #[serde(default)]
    pub regex: Option<String>,
    /// Its columns are free text (messages): the identifiers written in
    /// them count.
    #[serde(default)]
    pub free_text: bool,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
    #[serde(default)]
    pub header_examples: Vec<String>,
    #[serde(default)]
    pub negative_header_examples: Vec<String>,
}

/// What a kind rule is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Evidence {
    Kind(Kind),
    /// Flight / rail / ride-hailing records: tier decided by policy `travel`.
    Travel,
    /// An ID-card image: `other_safety` (Guiding Case 193).
    IdCardImage,
    /// Face-recognition data: `other_safety` (Guiding Case 192).
    Face,
    /// A password or PIN: with a bank card, property information.
    Credential,
}

impl Evidence {
    pub fn parse(s: &str) -> Option<Evidence> {
        Some(match s {
            "travel" => Evidence::Travel,
            "idcard_image" => Evidence::IdCardImage,
            "face" => Evidence::Face,
            "credential" => Evidence::Credential,
            other => Evidence::Kind(Kind::from_key(other)?),
        })
    }

    /// Bit in an evidence set: the ten kinds first, in precedence order.
    pub fn bit(self) -> u16 {
        1 << match self {
            Evidence::Kind(k) => k.index(),
            Evidence::Travel => 10,
            Evidence::IdCardImage => 11,
            Evidence::Face => 12,
            Evidence::Credential => 13,
        }
    }
}

/// The complete pattern set: built-ins plus any user files, merged by id.
#[derive(Debug, Default)]
pub struct PatternSet {
    pub detectors: Vec<DetectorSpec>,
    pub rules: Vec<RuleSpec>,
    /// Where each detector / rule came from, for error messages.
    pub sources: Vec<String>,
}

impl PatternSet {
    pub fn builtin() -> Result<PatternSet, PatternError> {
        let mut set = PatternSet::default();
        for (name, text) in BUILTIN {
            set.add_text(name, text)?;
        }
        Ok(set)
    }

    /// Adds every `*.toml` in `dir`, in file-name order.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), PatternError> {
        let io = |e| PatternError::Io {
            path: dir.display().to_string(),
            source: e,
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|e| PatternError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            self.add_text(&path.display().to_string(), &text)?;
        }
        Ok(())
    }

    pub fn add_text(&mut self, file: &str, text: &str) -> Result<(), PatternError> {
        let parsed: PatternFile = toml::from_str(text).map_err(|e| PatternError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        for d in parsed.detector {
            match self.detectors.iter_mut().find(|x| x.id == d.id) {
                Some(slot) => *slot = d,
                None => self.detectors.push(d),
            }
        }
        for r in parsed.rule {
            if Evidence::parse(&r.evidence).is_none() {
                return Err(PatternError::Invalid {
                    file: file.to_string(),
                    id: r.id,
                    message: format!("unknown evidence {:?}", r.evidence),
                });
            }
            match self.rules.iter_mut().find(|x| x.id == r.id) {
                Some(slot) => *slot = r,
                None => self.rules.push(r),
            }
        }
        self.sources.push(file.to_string());
        Ok(())
    }
}
