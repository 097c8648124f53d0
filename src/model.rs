//! The vocabulary every stage shares: the ten kinds of personal information,
//! their tiers, and the case facts the law needs. Nothing here reads data or
//! applies the law; it only names things.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// One category of the 2017 interpretation (Fa Shi [2017] No. 10, Art. 5).
/// The order of the variants is the precedence order of SPEC §1.1: a record
/// with evidence of several kinds is counted under the first one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 行踪轨迹信息
    Tracking,
    /// 通信内容
    CommContent,
    /// 征信信息
    Credit,
    /// 财产信息
    Property,
    /// 住宿信息
    Accommodation,
    /// 通信记录
    CommRecords,
    /// 健康生理信息
    Health,
    /// 交易信息
    Transaction,
    /// 其他可能影响人身、财产安全的信息
    OtherSafety,
    /// 其他公民个人信息
    General,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Tracking,
        Kind::CommContent,
        Kind::Credit,
        Kind::Property,
        Kind::Accommodation,
        Kind::CommRecords,
        Kind::Health,
        Kind::Transaction,
        Kind::OtherSafety,
        Kind::General,
    ];

    pub const COUNT: usize = 10;

    pub fn index(self) -> usize {
        self as usize
    }

    /// The fixed JSON key (SPEC §1.1).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Tracking => "tracking",
            Kind::CommContent => "comm_content",
            Kind::Credit => "credit",
            Kind::Property => "property",
            Kind::Accommodation => "accommodation",
            Kind::CommRecords => "comm_records",
            Kind::Health => "health",
            Kind::Transaction => "transaction",
            Kind::OtherSafety => "other_safety",
            Kind::General => "general",
        }
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The term of the interpretation.
    pub fn zh(self) -> &'static str {
        match self {
            Kind::Tracking => "行踪轨迹信息",
            Kind::CommContent => "通信内容",
            Kind::Credit => "征信信息",
            Kind::Property => "财产信息",
            Kind::Accommodation => "住宿信息",
            Kind::CommRecords => "通信记录",
            Kind::Health => "健康生理信息",
            Kind::Transaction => "交易信息",
            Kind::OtherSafety => "其他可能影响人身、财产安全的信息",
            Kind::General => "其他公民个人信息",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Kind::Tracking => "tracking information",
            Kind::CommContent => "communication content",
            Kind::Credit => "credit information",
            Kind::Property => "property information",
            Kind::Accommodation => "accommodation information",
            Kind::CommRecords => "communication records",
            Kind::Health => "health and physiological information",
            Kind::Transaction => "transaction information",
            Kind::OtherSafety => "other information affecting personal or property safety",
            Kind::General => "other personal information",
        }
    }
}

/// The three volume tiers of Interp-2017 Art. 5 para 1 items 3, 4 and 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tier {
    A,
    B,
    C,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::A, Tier::B, Tier::C];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn letter(self) -> &'static str {
        match self {
            Tier::A => "A",
            Tier::B => "B",
            Tier::C => "C",
        }
    }
}

/// Who did it, which decides the thresholds (Interp-2017 Art. 5 item 8, Art. 6).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    // (Plain comments: a doc comment here would be `--subject`'s help.)
    // 一般主体
    #[default]
    Ordinary,
    // 将在履行职责或者提供服务过程中获得的公民个人信息出售或者提供给他人 (item 8: half)
    Duty,
    // 为合法经营活动而非法购买、收受 (Art. 6)
    Business,
}

impl Subject {
    pub fn key(self) -> &'static str {
        match self {
            Subject::Ordinary => "ordinary",
            Subject::Duty => "duty",
            Subject::Business => "business",
        }
    }
}

/// 情节严重 / 情节特别严重. Ordered, so `max` picks the heavier.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    // (Plain comments: a doc comment here would be `--fail-on`'s help.)
    #[default]
    None,
    // 情节严重 (Art. 286-1: 严重后果)
    Serious,
    // 情节特别严重
    EspeciallySerious,
}

impl Level {
    pub fn key(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Serious => "serious",
            Level::EspeciallySerious => "especially_serious",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorPunishment {
    #[default]
    None,
    /// 曾因侵犯公民个人信息受过刑事处罚
    Criminal,
    /// 二年内受过行政处罚
    #[serde(rename = "administrative_within_2y")]
    AdministrativeWithin2y,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consequence {
    /// 死亡
    Death,
    /// 重伤
    SeriousInjury,
    /// 精神失常
    MentalDisorder,
    /// 被绑架
    Kidnapping,
    /// 重大经济损失
    MajorEconomicLoss,
    /// 恶劣社会影响
    VileSocialImpact,
}

impl Consequence {
    /// The interpretation's word for it.
    pub fn zh(self) -> &'static str {
        match self {
            Consequence::Death => "死亡",
            Consequence::SeriousInjury => "重伤",
            Consequence::MentalDisorder => "精神失常",
            Consequence::Kidnapping => "被绑架",
            Consequence::MajorEconomicLoss => "重大经济损失",
            Consequence::VileSocialImpact => "恶劣社会影响",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Consequence::Death => "death",
            Consequence::SeriousInjury => "serious injury",
            Consequence::MentalDisorder => "mental disorder",
            Consequence::Kidnapping => "kidnapping",
            Consequence::MajorEconomicLoss => "major economic loss",
            Consequence::VileSocialImpact => "vile social impact",
        }
    }
}

/// Facts of the case that the data cannot show (SPEC §4).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseFacts {
    pub subject: Subject,
    pub illegal_gains_rmb: u64,
    pub prior_punishment: PriorPunishment,
    pub knew_criminal_use: bool,
    pub tracking_used_in_crime: bool,
    pub consequences: Vec<Consequence>,
    pub provided_onward: bool,
}

/// Item counts per kind, indexed by `Kind::index`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindCounts(pub [u64; Kind::COUNT]);

impl KindCounts {
    pub fn get(&self, kind: Kind) -> u64 {
        self.0[kind.index()]
    }

    pub fn set(&mut self, kind: Kind, n: u64) {
        self.0[kind.index()] = n;
    }
}

/// Where something is in an input: a record, an error. Kept typed until a
/// report formats it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// The input as a whole (it could not be opened, its directory is
    /// damaged).
    Whole,
    /// A byte offset in the input.
    Byte(u64),
    /// A line of a text format; the byte offset where it is the file's own
    /// (not for a transcoded stream, whose offsets are of the UTF-8 text).
    Text { line: u64, byte: Option<u64> },
    /// A row of a sheet, a columnar file or a database table; `prefix` is
    /// what stands before its number (`sheet 客户, row `, `row `,
    /// `table users, rowid `).
    Row { prefix: Arc<str>, row: u64 },
    /// A document of a BSON stream (from 1) and the byte it starts at.
    Document { n: u64, byte: u64 },
    /// A sheet of a workbook as a whole.
    Sheet(String),
    /// A row group of a Parquet file.
    RowGroup(u64),
    /// The n-th entry of a zip read from its local headers (from 1).
    Entry(u64),
    /// Past the n-th entry of such a zip.
    AfterEntry(u64),
}

impl Place {
    pub fn line(&self) -> Option<u64> {
        match self {
            Place::Text { line, .. } => Some(*line),
            _ => None,
        }
    }

    pub fn byte(&self) -> Option<u64> {
        match self {
            Place::Text { byte, .. } => *byte,
            Place::Byte(b) | Place::Document { byte: b, .. } => Some(*b),
            _ => None,
        }
    }

    pub fn row(&self) -> Option<u64> {
        match self {
            Place::Row { row, .. } | Place::Document { n: row, .. } => Some(*row),
            _ => None,
        }
    }
}

/// As the reports show it: `line 3, byte 120`, `sheet 客户, row 7`; the
/// input as a whole is the empty string.
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Whole => Ok(()),
            Place::Byte(b) => write!(f, "byte {b}"),
            Place::Text {
                line,
                byte: Some(b),
            } => write!(f, "line {line}, byte {b}"),
            Place::Text { line, byte: None } => write!(f, "line {line}"),
            Place::Row { prefix, row } => write!(f, "{prefix}{row}"),
            Place::Document { n, byte } => write!(f, "document {n}, byte {byte}"),
            Place::Sheet(name) => write!(f, "sheet {name}"),
            Place::RowGroup(g) => write!(f, "row group {g}"),
            Place::Entry(n) => write!(f, "entry #{n}"),
            Place::AfterEntry(n) => write!(f, "after entry #{n}"),
        }
    }
}

/// Serializes a value as its `Display` text.
pub fn as_display<T: std::fmt::Display, S: serde::Serializer>(
    v: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}
