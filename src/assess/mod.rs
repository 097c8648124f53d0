//! The law: from item counts per kind and the case facts to a level per article.
//!
//! Criminal Law Art. 253-1 (侵犯公民个人信息罪) as the 2017 interpretation
//! (Fa Shi [2017] No. 10, "Interp-2017") applies it, and Art. 286-1
//! (拒不履行信息网络安全管理义务罪) as the 2019 interpretation (Fa Shi [2019]
//! No. 15, "Interp-2019") Art. 4 applies it.
//!
//! Every number, citation and ground lives in one table, [`RULES`]. The code
//! below it only picks the rule set ([`Regime`]) the subject falls under and
//! walks the rows of that rule set; to change the law, change a row.
//!
//! Volume is compared exactly, in integers: the pro-rata sum
//! `nA/TA + nB/TB + nC/TC >= k` is multiplied by the least common multiple of
//! the thresholds (for `ordinary`: `100·nA + 10·nB + nC >= 5000·k`) and
//! evaluated in `u128`, so a float sum can never land at 0.9999999 at the
//! boundary and no count up to `u64::MAX` per kind can overflow.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::model::*;

// ---------------------------------------------------------------------------
// Public vocabulary of the assessment
// ---------------------------------------------------------------------------

/// The two offences the tool assesses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Article {
    /// 第二百五十三条之一 侵犯公民个人信息罪
    #[serde(rename = "253-1")]
    A253_1,
    /// 第二百八十六条之一 拒不履行信息网络安全管理义务罪
    #[serde(rename = "286-1")]
    A286_1,
}

impl Article {
    pub const ALL: [Article; 2] = [Article::A253_1, Article::A286_1];

    /// The fixed JSON key (SPEC §5.1).
    pub fn key(self) -> &'static str {
        match self {
            Article::A253_1 => "253-1",
            Article::A286_1 => "286-1",
        }
    }

    /// Accepts the JSON key (`253-1`), with `_` for `-` or an `art.` prefix.
    pub fn parse(s: &str) -> Option<Article> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        let s = s
            .strip_prefix("art.")
            .or_else(|| s.strip_prefix("art"))
            .unwrap_or(&s)
            .trim();
        Article::ALL.into_iter().find(|a| a.key() == s)
    }

    /// The heaviest level the article knows: Art. 286-1 has one tier only.
    pub fn top(self) -> Level {
        match self {
            Article::A253_1 => Level::EspeciallySerious,
            Article::A286_1 => Level::Serious,
        }
    }
}

/// Language of human text (`explain`, reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "chinese" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// One reason a level is reached, with its citation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ground {
    /// The citation, e.g. `Interp-2017 Art.5(1)(6)`.
    pub rule: String,
    /// English, with the numbers, e.g. `pro-rata: 30/50 + 300/500 = 1.2 >= 1`.
    pub text: String,
    /// The same in Chinese, for reports in Chinese.
    #[serde(default)]
    pub text_zh: String,
    /// The interpretation's own words for the rule (Chinese) and their
    /// English rendering, with the rule's number filled in.
    #[serde(default)]
    pub provision_zh: String,
    #[serde(default)]
    pub provision_en: String,
    pub level: Level,
}

/// What is missing to the next level of an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Next {
    pub level: Level,
    /// The pro-rata sum `w` the next level needs (1.0 or 10.0); absent when
    /// volume cannot reach it (business subject under Interp-2017 Art. 6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_needed: Option<f64>,
    /// Per tier: how many more items of that tier alone reach `level`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items_needed: Option<ItemsNeeded>,
    /// How much more illegal gains reach `level`, where a gains ground exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gains_needed_rmb: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemsNeeded {
    #[serde(rename = "A")]
    pub a: u64,
    #[serde(rename = "B")]
    pub b: u64,
    #[serde(rename = "C")]
    pub c: u64,
}

/// The serious (情节严重) thresholds in force for one article. A tier is
/// `null` when volume does not decide (Interp-2017 Art. 6), gains are `null`
/// for Art. 286-1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    #[serde(rename = "A")]
    pub a: Option<u64>,
    #[serde(rename = "B")]
    pub b: Option<u64>,
    #[serde(rename = "C")]
    pub c: Option<u64>,
    pub gains_rmb: Option<u64>,
}

impl Thresholds {
    /// The three tier thresholds, when volume decides.
    pub fn tiers(&self) -> Option<[u64; 3]> {
        match (self.a, self.b, self.c) {
            (Some(a), Some(b), Some(c)) if a > 0 && b > 0 && c > 0 => Some([a, b, c]),
            _ => None,
        }
    }
}

/// nA, nB, nC: the items of each tier on the chosen basis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierTotals {
    #[serde(rename = "A")]
    pub a: u64,
    #[serde(rename = "B")]
    pub b: u64,
    #[serde(rename = "C")]
    pub c: u64,
}

impl TierTotals {
    /// By `Tier::index`.
    pub fn get(&self, tier: usize) -> u64 {
        match tier {
            0 => self.a,
            1 => self.b,
            _ => self.c,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleAssessment {
    pub article: Article,
    pub level: Level,
    /// Display only: nA/TA + nB/TB + nC/TC with the thresholds in force,
    /// truncated (not rounded up) to 4 decimals so that it never shows 1
    /// while the exact sum is below 1. The level is decided in integers.
    pub weighted: f64,
    /// Which rule decided the standard, e.g. `Interp-2017 Art.5`.
    pub rule_set: String,
    /// `rule_set` in Chinese.
    #[serde(default)]
    pub rule_set_zh: String,
    pub thresholds: Thresholds,
    /// Every ground that holds, heaviest first; empty when level is none.
    pub grounds: Vec<Ground>,
    /// None when already at the top level of the article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
    pub assumptions: Vec<String>,
    /// `assumptions` in Chinese, in the same order.
    #[serde(default)]
    pub assumptions_zh: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub subject: Subject,
    pub basis_counts: TierTotals,
    /// 253-1 first, then 286-1.
    pub articles: Vec<ArticleAssessment>,
    pub notes: Vec<String>,
    /// `notes` in Chinese, in the same order.
    #[serde(default)]
    pub notes_zh: Vec<String>,
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

/// A set of standards the law applies to one kind of subject. Which one
/// applies is decided by [`choose_regime`]; the numbers are in [`RULES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regime {
    /// Interp-2017 Art. 5, ordinary subject (and business outside Art. 6).
    Art5,
    /// Interp-2017 Art. 5 para 1 item 8: information obtained while performing
    /// duties or providing services — half of the item 3–7 standards.
    Art5Duty,
    /// Interp-2017 Art. 6: bought or received for a lawful business activity.
    Art6Business,
    /// Interp-2019 Art. 4, the "serious consequences" of Art. 286-1.
    Interp2019Art4,
}

impl Regime {
    pub const ALL: [Regime; 4] = [
        Regime::Art5,
        Regime::Art5Duty,
        Regime::Art6Business,
        Regime::Interp2019Art4,
    ];

    pub fn article(self) -> Article {
        match self {
            Regime::Art5 | Regime::Art5Duty | Regime::Art6Business => Article::A253_1,
            Regime::Interp2019Art4 => Article::A286_1,
        }
    }

    /// The `rule_set_zh` string of the report.
    pub fn rule_set_zh(self) -> &'static str {
        match self {
            Regime::Art5 => "法释〔2017〕10号第五条",
            Regime::Art5Duty => "法释〔2017〕10号第五条（第一款第八项，标准减半）",
            Regime::Art6Business => "法释〔2017〕10号第六条（为合法经营活动）",
            Regime::Interp2019Art4 => "法释〔2019〕15号第四条",
        }
    }

    /// The `rule_set` string of the report.
    pub fn rule_set(self) -> &'static str {
        match self {
            Regime::Art5 => "Interp-2017 Art.5",
            Regime::Art5Duty => "Interp-2017 Art.5 (duty: item 8, half)",
            Regime::Art6Business => "Interp-2017 Art.6 (business)",
            Regime::Interp2019Art4 => "Interp-2019 Art.4",
        }
    }

    fn who(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Regime::Art5, Lang::En) => "subject `ordinary` (and `business` outside Art. 6)",
            (Regime::Art5, Lang::Zh) => "一般主体（ordinary；不适用第六条的 business 亦同）",
            (Regime::Art5Duty, Lang::En) => {
                "subject `duty`: sells or provides information obtained while performing duties or providing services"
            }
            (Regime::Art5Duty, Lang::Zh) => {
                "duty：将在履行职责或者提供服务过程中获得的公民个人信息出售或者提供给他人"
            }
            (Regime::Art6Business, Lang::En) => {
                "subject `business`: buys or receives information outside tiers A and B for a lawful business activity; \
                 applies only when the data holds no tier A or B item and nothing was sold or provided on \
                 (otherwise Art. 5 as for ordinary, Art. 6 para 2); volume alone is never serious, no 10x rule"
            }
            (Regime::Art6Business, Lang::Zh) => {
                "business：为合法经营活动而非法购买、收受第五条第一款第三项、第四项规定以外的公民个人信息；\
                 数据含A类或B类信息，或者将其出售、提供的（第六条第二款），适用第五条；数量本身不构成情节严重，不适用十倍标准"
            }
            (Regime::Interp2019Art4, Lang::En) => {
                "any subject: the thresholds are not halved and illegal gains play no part"
            }
            (Regime::Interp2019Art4, Lang::Zh) => "任何主体：标准不减半，违法所得不影响认定",
        }
    }
}

/// What a row of the table looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    /// Items of one tier ≥ the number.
    Tier(Tier, u64),
    /// Pro-rata sum of the rule set's serious tier thresholds ≥ the factor
    /// (按相应比例合计). At the level of a `Tier` row it holds only when no
    /// single tier reaches its number ("数量未达到……标准").
    ProRata(u64),
    /// Illegal gains (违法所得; under Art. 6: 获利) ≥ the amount in RMB.
    Gains(u64),
    /// Criminally punished for this offence before, or administratively
    /// within two years.
    Prior,
    /// Knew or should have known the recipient would use it for crime.
    KnewCriminalUse,
    /// Tracking information sold/provided and used by others for a crime.
    TrackingUsedInCrime,
    /// Any of these consequences.
    Consequence(&'static [Consequence]),
}

impl Test {
    /// The number a row's text templates show as `{t}`.
    fn number(self) -> Option<u64> {
        match self {
            Test::Tier(_, n) | Test::ProRata(n) | Test::Gains(n) => Some(n),
            _ => None,
        }
    }
}

/// One ground of the law: under `regimes`, `test` reaches `level`.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub article: Article,
    pub regimes: &'static [Regime],
    pub level: Level,
    pub cite: &'static str,
    pub test: Test,
    /// English statement for `explain`; `{t}` is the number of the test.
    pub en: &'static str,
    /// The interpretation's own words (for `explain --lang zh`); `{t}` likewise.
    pub zh: &'static str,
}

const SERIOUS: Level = Level::Serious;
const ESPECIALLY: Level = Level::EspeciallySerious;
const ART5: &[Regime] = &[Regime::Art5];
const DUTY: &[Regime] = &[Regime::Art5Duty];
const ART5_AND_DUTY: &[Regime] = &[Regime::Art5, Regime::Art5Duty];
const ALL_2017: &[Regime] = &[Regime::Art5, Regime::Art5Duty, Regime::Art6Business];
const BUSINESS: &[Regime] = &[Regime::Art6Business];
const I2019: &[Regime] = &[Regime::Interp2019Art4];

const HARM: &[Consequence] = &[
    Consequence::Death,
    Consequence::SeriousInjury,
    Consequence::MentalDisorder,
    Consequence::Kidnapping,
];
const LOSS_OR_IMPACT: &[Consequence] = &[
    Consequence::MajorEconomicLoss,
    Consequence::VileSocialImpact,
];
const LOSS: &[Consequence] = &[Consequence::MajorEconomicLoss];

const fn rule(
    article: Article,
    regimes: &'static [Regime],
    level: Level,
    cite: &'static str,
    test: Test,
    en: &'static str,
    zh: &'static str,
) -> Rule {
    Rule {
        article,
        regimes,
        level,
        cite,
        test,
        en,
        zh,
    }
}

use Article::{A253_1, A286_1};
use Test::{Gains, KnewCriminalUse, Prior, ProRata, TrackingUsedInCrime};

/// The law as the tool applies it, in the order of the interpretations.
/// The serious `Tier` and `Gains` rows of a rule set are its thresholds.
/// Thresholds are inclusive: "以上" includes the number (Criminal Law Art. 99).
#[rustfmt::skip]
pub static RULES: &[Rule] = &[
    // ---- Art. 253-1, Interp-2017 Art. 5 para 1: 情节严重 ----
    rule(A253_1, ART5_AND_DUTY, SERIOUS, "Interp-2017 Art.5(1)(1)", TrackingUsedInCrime,
        "tracking information sold or provided and used by others to commit a crime",
        "出售或者提供行踪轨迹信息，被他人用于犯罪的"),
    rule(A253_1, ART5_AND_DUTY, SERIOUS, "Interp-2017 Art.5(1)(2)", KnewCriminalUse,
        "sold or provided to someone known (or who should have been known) to use it for crime",
        "知道或者应当知道他人利用公民个人信息实施犯罪，向其出售或者提供的"),
    rule(A253_1, ART5, SERIOUS, "Interp-2017 Art.5(1)(3)", Test::Tier(Tier::A, 50),
        "{t} or more items of tier A (tracking, communication content, credit, property information)",
        "非法获取、出售或者提供行踪轨迹信息、通信内容、征信信息、财产信息{t}条以上的"),
    rule(A253_1, ART5, SERIOUS, "Interp-2017 Art.5(1)(4)", Test::Tier(Tier::B, 500),
        "{t} or more items of tier B (accommodation, communication records, health, transaction, other safety-relevant information)",
        "非法获取、出售或者提供住宿信息、通信记录、健康生理信息、交易信息等其他可能影响人身、财产安全的公民个人信息{t}条以上的"),
    rule(A253_1, ART5, SERIOUS, "Interp-2017 Art.5(1)(5)", Test::Tier(Tier::C, 5_000),
        "{t} or more items of tier C (other personal information)",
        "非法获取、出售或者提供第三项、第四项规定以外的公民个人信息{t}条以上的"),
    rule(A253_1, ART5, SERIOUS, "Interp-2017 Art.5(1)(6)", ProRata(1),
        "pro-rata: no single tier reaches its number, but nA/50 + nB/500 + nC/5000 >= {t}",
        "数量未达到第三项至第五项规定标准，但是按相应比例合计达到有关数量标准的（nA/50 + nB/500 + nC/5000 ≥ {t}）"),
    rule(A253_1, ART5, SERIOUS, "Interp-2017 Art.5(1)(7)", Gains(5_000),
        "illegal gains of {t} RMB or more",
        "违法所得{t}元以上的"),
    rule(A253_1, DUTY, SERIOUS, "Interp-2017 Art.5(1)(8) with Art.5(1)(3)", Test::Tier(Tier::A, 25),
        "duty: {t} or more items of tier A (half of the item 3 standard)",
        "将在履行职责或者提供服务过程中获得的行踪轨迹信息、通信内容、征信信息、财产信息出售或者提供给他人{t}条以上的（第三项标准的一半）"),
    rule(A253_1, DUTY, SERIOUS, "Interp-2017 Art.5(1)(8) with Art.5(1)(4)", Test::Tier(Tier::B, 250),
        "duty: {t} or more items of tier B (half of the item 4 standard)",
        "将在履行职责或者提供服务过程中获得的住宿信息、通信记录、健康生理信息、交易信息等信息出售或者提供给他人{t}条以上的（第四项标准的一半）"),
    rule(A253_1, DUTY, SERIOUS, "Interp-2017 Art.5(1)(8) with Art.5(1)(5)", Test::Tier(Tier::C, 2_500),
        "duty: {t} or more items of tier C (half of the item 5 standard)",
        "将在履行职责或者提供服务过程中获得的其他公民个人信息出售或者提供给他人{t}条以上的（第五项标准的一半）"),
    rule(A253_1, DUTY, SERIOUS, "Interp-2017 Art.5(1)(8) with Art.5(1)(6)", ProRata(1),
        "duty: pro-rata against the halved standards, nA/25 + nB/250 + nC/2500 >= {t}",
        "将在履行职责或者提供服务过程中获得的公民个人信息出售或者提供给他人，按相应比例合计达到第三项至第五项标准一半的（nA/25 + nB/250 + nC/2500 ≥ {t}）"),
    rule(A253_1, DUTY, SERIOUS, "Interp-2017 Art.5(1)(8) with Art.5(1)(7)", Gains(2_500),
        "duty: illegal gains of {t} RMB or more (half of the item 7 standard)",
        "将在履行职责或者提供服务过程中获得的公民个人信息出售或者提供给他人，违法所得{t}元以上的（第七项标准的一半）"),
    rule(A253_1, ART5_AND_DUTY, SERIOUS, "Interp-2017 Art.5(1)(9)", Prior,
        "previously criminally punished for this offence, or administratively punished within two years, and does it again",
        "曾因侵犯公民个人信息受过刑事处罚或者二年内受过行政处罚，又非法获取、出售或者提供公民个人信息的"),
    // ---- Art. 253-1, Interp-2017 Art. 6 (business): 情节严重 ----
    rule(A253_1, BUSINESS, SERIOUS, "Interp-2017 Art.6(1)(1)", Gains(50_000),
        "business: profit of {t} RMB or more from using the information bought or received",
        "为合法经营活动而非法购买、收受第五条第一款第三项、第四项规定以外的公民个人信息，利用其获利{t}元以上的"),
    rule(A253_1, BUSINESS, SERIOUS, "Interp-2017 Art.6(1)(2)", Prior,
        "business: previously criminally punished for this offence, or administratively punished within two years, and buys or receives again",
        "曾因侵犯公民个人信息受过刑事处罚或者二年内受过行政处罚，又非法购买、收受公民个人信息的"),
    // ---- Art. 253-1, Interp-2017 Art. 5 para 2: 情节特别严重 ----
    rule(A253_1, ALL_2017, ESPECIALLY, "Interp-2017 Art.5(2)(1)", Test::Consequence(HARM),
        "caused a victim's death, serious injury, mental disorder or kidnapping",
        "造成被害人死亡、重伤、精神失常或者被绑架等严重后果的"),
    rule(A253_1, ALL_2017, ESPECIALLY, "Interp-2017 Art.5(2)(2)", Test::Consequence(LOSS_OR_IMPACT),
        "caused major economic loss or a vile social impact",
        "造成重大经济损失或者恶劣社会影响的"),
    rule(A253_1, ART5, ESPECIALLY, "Interp-2017 Art.5(2)(3)", ProRata(10),
        "quantity at 10 times the standards of items 3-8: nA/50 + nB/500 + nC/5000 >= {t}",
        "数量达到前款第三项至第八项规定标准十倍以上的（按相应比例合计 nA/50 + nB/500 + nC/5000 ≥ {t}）"),
    rule(A253_1, ART5, ESPECIALLY, "Interp-2017 Art.5(2)(3)", Gains(50_000),
        "amount at 10 times the standards of items 3-8 (item 7): illegal gains of {t} RMB or more",
        "数额达到前款第三项至第八项规定标准十倍以上的（第七项：违法所得{t}元以上）"),
    rule(A253_1, DUTY, ESPECIALLY, "Interp-2017 Art.5(2)(3) with Art.5(1)(8)", ProRata(10),
        "duty: quantity at 10 times the item 8 standards: nA/25 + nB/250 + nC/2500 >= {t}",
        "数量达到前款第三项至第八项规定标准十倍以上的（第八项：按相应比例合计 nA/25 + nB/250 + nC/2500 ≥ {t}）"),
    rule(A253_1, DUTY, ESPECIALLY, "Interp-2017 Art.5(2)(3) with Art.5(1)(8)", Gains(25_000),
        "duty: amount at 10 times the item 8 standard: illegal gains of {t} RMB or more",
        "数额达到前款第三项至第八项规定标准十倍以上的（第八项：违法所得{t}元以上）"),
    // ---- Art. 286-1, Interp-2019 Art. 4: 致使用户信息泄露，造成严重后果 ----
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(1)", Test::Tier(Tier::A, 500),
        "{t} or more items of tier A user information leaked",
        "致使泄露行踪轨迹信息、通信内容、征信信息、财产信息{t}条以上的"),
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(2)", Test::Tier(Tier::B, 5_000),
        "{t} or more items of tier B user information leaked",
        "致使泄露住宿信息、通信记录、健康生理信息、交易信息等其他可能影响人身、财产安全的用户信息{t}条以上的"),
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(3)", Test::Tier(Tier::C, 50_000),
        "{t} or more items of tier C user information leaked",
        "致使泄露第一项、第二项规定以外的用户信息{t}条以上的"),
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(4)", ProRata(1),
        "pro-rata: no single tier reaches its number, but nA/500 + nB/5000 + nC/50000 >= {t}",
        "数量虽未达到第一项至第三项规定标准，但是按相应比例折算合计达到有关数量标准的（nA/500 + nB/5000 + nC/50000 ≥ {t}）"),
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(5)", Test::Consequence(HARM),
        "caused another's death, serious injury, mental disorder or kidnapping",
        "造成他人死亡、重伤、精神失常或者被绑架等严重后果的"),
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(6)", Test::Consequence(LOSS),
        "caused major economic loss",
        "造成重大经济损失的"),
];

/// The rows of one rule set, in table order.
fn rows(regime: Regime) -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(move |r| r.regimes.contains(&regime))
}

/// The serious standards of a rule set, read from its `Tier` and `Gains` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Standards {
    tiers: Option<[u64; 3]>,
    gains: Option<u64>,
}

fn standards(regime: Regime) -> Standards {
    let mut tiers = [None; 3];
    let mut gains = None;
    for r in rows(regime).filter(|r| r.level == Level::Serious) {
        match r.test {
            Test::Tier(t, n) => tiers[t.index()] = Some(n),
            Test::Gains(x) => gains = Some(x),
            _ => {}
        }
    }
    let tiers = match tiers {
        [Some(a), Some(b), Some(c)] => Some([a, b, c]),
        _ => None,
    };
    Standards { tiers, gains }
}

// ---------------------------------------------------------------------------
// Exact arithmetic
// ---------------------------------------------------------------------------

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The pro-rata sum scaled to integers: returns `(S, L)` with
/// `S / L = nA/TA + nB/TB + nC/TC` exactly, `L = lcm(TA, TB, TC)`.
fn scaled_sum(n: &[u128; 3], t: &[u64; 3]) -> (u128, u128) {
    let l = t
        .iter()
        .fold(1u128, |l, &x| l / gcd(l, x as u128) * x as u128);
    let s = n.iter().zip(t).map(|(&n, &t)| n * (l / t as u128)).sum();
    (s, l)
}

/// `S / L` truncated to 4 decimals, for display.
fn display_w(s: u128, l: u128) -> f64 {
    (s.saturating_mul(10_000) / l) as f64 / 10_000.0
}

/// Tier totals (nA, nB, nC of SPEC §1.2) in `u128`: five tier-B kinds at
/// `u64::MAX` would overflow a `u64` sum.
fn tier_totals(counts: &KindCounts) -> [u128; 3] {
    let mut n = [0u128; 3];
    for k in Kind::ALL {
        n[k.tier().index()] += counts.get(k) as u128;
    }
    n
}

// ---------------------------------------------------------------------------
// Walking the table
// ---------------------------------------------------------------------------

struct Case<'a> {
    n: [u128; 3],
    facts: &'a CaseFacts,
    standards: Standards,
}

fn consequence_en(c: Consequence) -> &'static str {
    match c {
        Consequence::Death => "death",
        Consequence::SeriousInjury => "serious_injury",
        Consequence::MentalDisorder => "mental_disorder",
        Consequence::Kidnapping => "kidnapping",
        Consequence::MajorEconomicLoss => "major_economic_loss",
        Consequence::VileSocialImpact => "vile_social_impact",
    }
}

/// If the row holds for the case, the text of the ground in English and in
/// Chinese.
fn holds(rule: &Rule, case: &Case) -> Option<(String, String)> {
    let facts = case.facts;
    match rule.test {
        Test::Tier(tier, t) => {
            let have = case.n[tier.index()];
            (have >= u128::from(t)).then(|| {
                (
                    format!("tier {}: {} items >= {}", tier.letter(), have, t),
                    format!("{}类信息 {} 条 ≥ {} 条", tier.letter(), have, t),
                )
            })
        }
        Test::ProRata(k) => {
            let t = case.standards.tiers?;
            let (s, l) = scaled_sum(&case.n, &t);
            (s >= u128::from(k) * l).then(|| {
                let terms: Vec<String> = Tier::ALL
                    .iter()
                    .filter(|tier| case.n[tier.index()] > 0)
                    .map(|tier| format!("{}/{}", case.n[tier.index()], t[tier.index()]))
                    .collect();
                let (what, what_zh) = if k == 1 {
                    ("pro-rata", "按比例合计")
                } else {
                    ("pro-rata at 10x", "按比例合计（十倍标准）")
                };
                let sum = terms.join(" + ");
                let w = display_w(s, l);
                (
                    format!("{what}: {sum} = {w} >= {k} (exact: {s}/{l})"),
                    format!("{what_zh}：{sum} = {w} ≥ {k}（精确值 {s}/{l}）"),
                )
            })
        }
        Test::Gains(x) => (facts.illegal_gains_rmb >= x).then(|| {
            (
                format!("illegal gains {} RMB >= {x} RMB", facts.illegal_gains_rmb),
                format!("违法所得 {} 元 ≥ {x} 元", facts.illegal_gains_rmb),
            )
        }),
        Test::Prior => match facts.prior_punishment {
            PriorPunishment::None => None,
            PriorPunishment::Criminal => Some((
                "case fact: previously criminally punished for this offence".into(),
                "案件事实：曾因侵犯公民个人信息受过刑事处罚".into(),
            )),
            PriorPunishment::AdministrativeWithin2y => Some((
                "case fact: administratively punished for this offence within two years".into(),
                "案件事实：二年内因侵犯公民个人信息受过行政处罚".into(),
            )),
        },
        Test::KnewCriminalUse => facts.knew_criminal_use.then(|| {
            (
                "case fact: knew or should have known the recipient would use the information for crime"
                    .into(),
                "案件事实：知道或者应当知道他人利用公民个人信息实施犯罪".into(),
            )
        }),
        Test::TrackingUsedInCrime => facts.tracking_used_in_crime.then(|| {
            (
                "case fact: tracking information sold or provided was used by others to commit a crime"
                    .into(),
                "案件事实：出售或者提供的行踪轨迹信息被他人用于犯罪".into(),
            )
        }),
        Test::Consequence(list) => {
            let mut hit: Vec<Consequence> = list
                .iter()
                .filter(|c| facts.consequences.contains(c))
                .copied()
                .collect();
            hit.dedup();
            let names = |f: fn(Consequence) -> &'static str, sep: &str| {
                hit.iter().map(|&c| f(c)).collect::<Vec<_>>().join(sep)
            };
            (!hit.is_empty()).then(|| {
                (
                    format!("case fact: consequence {}", names(consequence_en, ", ")),
                    format!("案件事实：造成{}", names(Consequence::zh, "、")),
                )
            })
        }
    }
}

/// Which rule set decides Art. 253-1 for this subject, and why (the
/// `rule_set` string). Business falls under Art. 6 only for information
/// outside tiers A and B that was not sold or provided on.
fn choose_regime(article: Article, n: &[u128; 3], facts: &CaseFacts) -> (Regime, String, String) {
    let regime = match (article, facts.subject) {
        (Article::A286_1, _) => Regime::Interp2019Art4,
        (Article::A253_1, Subject::Ordinary) => Regime::Art5,
        (Article::A253_1, Subject::Duty) => Regime::Art5Duty,
        (Article::A253_1, Subject::Business) => {
            let mut why = Vec::new();
            let mut why_zh = Vec::new();
            if n[Tier::A.index()] > 0 || n[Tier::B.index()] > 0 {
                why.push("Art.6 para 1 (data holds tier A/B items, which Art.6 does not cover)");
                why_zh.push("第六条第一款（数据含A类或B类信息，不属第六条范围）");
            }
            if facts.provided_onward {
                why.push("Art.6 para 2 (information sold or provided on)");
                why_zh.push("第六条第二款（将信息出售或者提供给他人）");
            }
            if why.is_empty() {
                Regime::Art6Business
            } else {
                return (
                    Regime::Art5,
                    format!("Interp-2017 Art.5 via {}", why.join("; ")),
                    format!("法释〔2017〕10号第五条，依据{}", why_zh.join("；")),
                );
            }
        }
    };
    (
        regime,
        regime.rule_set().to_string(),
        regime.rule_set_zh().to_string(),
    )
}

fn next_level(level: Level) -> Level {
    match level {
        Level::None => Level::Serious,
        Level::Serious | Level::EspeciallySerious => Level::EspeciallySerious,
    }
}

/// What the rows of the next level ask for that volume or gains can supply.
fn next_step(article: Article, regime: Regime, level: Level, case: &Case) -> Option<Next> {
    if level >= article.top() {
        return None;
    }
    let target = next_level(level);
    let mut next = Next {
        level: target,
        weighted_needed: None,
        items_needed: None,
        gains_needed_rmb: None,
    };
    for r in rows(regime).filter(|r| r.level == target) {
        match r.test {
            Test::ProRata(k) => {
                let Some(t) = case.standards.tiers else {
                    continue;
                };
                let (s, l) = scaled_sum(&case.n, &t);
                let deficit = (u128::from(k) * l).saturating_sub(s);
                let per = |tier: Tier| {
                    let need = deficit.div_ceil(l / u128::from(t[tier.index()]));
                    u64::try_from(need).unwrap_or(u64::MAX)
                };
                next.weighted_needed = Some(k as f64);
                next.items_needed = Some(ItemsNeeded {
                    a: per(Tier::A),
                    b: per(Tier::B),
                    c: per(Tier::C),
                });
            }
            Test::Gains(x) => {
                next.gains_needed_rmb = Some(x.saturating_sub(case.facts.illegal_gains_rmb));
            }
            _ => {}
        }
    }
    Some(next)
}

/// What the assessment of a rule set takes for granted, in English and Chinese.
fn assumptions(regime: Regime) -> (Vec<String>, Vec<String>) {
    let v: &[(&str, &str)] = match regime {
        Regime::Art5 | Regime::Art5Duty => &[(
            "Interp-2017 Art.5(1)(10) and Art.5(2)(4) (other serious / especially serious circumstances) are for the court and not assessed",
            "第五条第一款第十项、第二款第四项（其他情节严重、情节特别严重的情形）由法院认定，本工具不作评估",
        )],
        Regime::Art6Business => &[
            (
                "assumes the information was bought or received for a lawful business activity (Interp-2017 Art.6 para 1)",
                "假定信息系为合法经营活动而购买、收受（法释〔2017〕10号第六条第一款）",
            ),
            (
                "volume does not decide under Interp-2017 Art.6; `weighted` is shown against the Art.5 ordinary standards for reference only",
                "依第六条，数量本身不决定情节；比例合计值按第五条一般主体标准计算，仅供参考",
            ),
            (
                "Interp-2017 Art.6(1)(3) (other serious circumstances) is for the court and not assessed",
                "第六条第一款第三项（其他情节严重的情形）由法院认定，本工具不作评估",
            ),
        ],
        Regime::Interp2019Art4 => &[
            (
                "assumes the regulator's correction order was refused (Art. 286-1 para 1)",
                "假定行为人经监管部门责令采取改正措施而拒不改正（刑法第二百八十六条之一第一款）",
            ),
            (
                "assumes a network service provider let the counted items of user information leak (Interp-2019 Art.4)",
                "假定网络服务提供者致使所计条数的用户信息泄露（法释〔2019〕15号第四条）",
            ),
            (
                "Interp-2019 Art.4(7)-(8) (serious disruption of social order, other serious consequences) are for the court and not assessed",
                "法释〔2019〕15号第四条第七项、第八项（严重扰乱社会秩序、其他严重后果）由法院认定，本工具不作评估",
            ),
        ],
    };
    (
        v.iter().map(|(en, _)| en.to_string()).collect(),
        v.iter().map(|(_, zh)| zh.to_string()).collect(),
    )
}

fn assess_article(article: Article, n: [u128; 3], facts: &CaseFacts) -> ArticleAssessment {
    let (regime, rule_set, rule_set_zh) = choose_regime(article, &n, facts);
    let (assumptions, assumptions_zh) = assumptions(regime);
    let case = Case {
        n,
        facts,
        standards: standards(regime),
    };

    let mut held: Vec<(&Rule, Ground)> = rows(regime)
        .filter_map(|r| {
            holds(r, &case).map(|(text, text_zh)| {
                (
                    r,
                    Ground {
                        rule: r.cite.to_string(),
                        text,
                        text_zh,
                        provision_zh: rule_words(r, Lang::Zh),
                        provision_en: rule_words(r, Lang::En),
                        level: r.level,
                    },
                )
            })
        })
        .collect();
    // Pro-rata counts only where no single tier reaches its number
    // (Interp-2017 Art.5(1)(6), Interp-2019 Art.4(4)).
    let tier_levels: Vec<Level> = held
        .iter()
        .filter(|(r, _)| matches!(r.test, Test::Tier(..)))
        .map(|(r, _)| r.level)
        .collect();
    held.retain(|(r, _)| !(matches!(r.test, Test::ProRata(_)) && tier_levels.contains(&r.level)));
    let mut grounds: Vec<Ground> = held.into_iter().map(|(_, g)| g).collect();
    grounds.sort_by_key(|g| std::cmp::Reverse(g.level));
    let level = grounds.iter().map(|g| g.level).max().unwrap_or_default();

    let shown = case.standards.tiers.or(standards(Regime::Art5).tiers);
    let weighted = shown.map_or(0.0, |t| {
        let (s, l) = scaled_sum(&n, &t);
        display_w(s, l)
    });
    let [a, b, c] = case.standards.tiers.map_or([None; 3], |t| t.map(Some));
    ArticleAssessment {
        article,
        level,
        weighted,
        rule_set,
        rule_set_zh,
        thresholds: Thresholds {
            a,
            b,
            c,
            gains_rmb: case.standards.gains,
        },
        grounds,
        next: next_step(article, regime, level, &case),
        assumptions,
        assumptions_zh,
    }
}

/// The legal assessment of item counts (on the basis the user chose) and
/// the case facts, for both articles.
pub fn assess(counts: &KindCounts, facts: &CaseFacts) -> Assessment {
    let n = tier_totals(counts);
    let articles: Vec<ArticleAssessment> = Article::ALL
        .iter()
        .map(|&a| assess_article(a, n, facts))
        .collect();

    let mut notes = Vec::new();
    let mut notes_zh = Vec::new();
    let l253 = articles[0].level;
    let l286 = articles[1].level;
    if l253 >= Level::Serious && l286 >= Level::Serious {
        let mut note = format!(
            "both articles are reached (Art. 253-1: {}, Art. 286-1: {}); where one act meets both, \
             it is punished under the heavier (Art. 286-1 para 3)",
            l253.key(),
            l286.key()
        );
        let mut note_zh = format!(
            "两条均已达到（第二百五十三条之一：{}；第二百八十六条之一：{}）；同一行为同时构成两罪的，依照处罚较重的规定定罪处罚（刑法第二百八十六条之一第三款）",
            level_name(l253, Article::A253_1, Lang::Zh),
            level_name(l286, Article::A286_1, Lang::Zh)
        );
        if l253 == Level::EspeciallySerious {
            note.push_str(
                ": Art. 253-1 especially serious (3 to 7 years) is heavier than Art. 286-1 (up to 3 years)",
            );
            note_zh.push_str(
                "：第二百五十三条之一情节特别严重（三年以上七年以下有期徒刑）重于第二百八十六条之一（三年以下有期徒刑）",
            );
        }
        notes.push(note);
        notes_zh.push(note_zh);
    }

    let sat = |x: u128| u64::try_from(x).unwrap_or(u64::MAX);
    Assessment {
        subject: facts.subject,
        basis_counts: TierTotals {
            a: sat(n[0]),
            b: sat(n[1]),
            c: sat(n[2]),
        },
        articles,
        notes,
        notes_zh,
    }
}

// ---------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------

fn tr(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// A level's name under an article, as the law says it.
pub fn level_name(level: Level, article: Article, lang: Lang) -> &'static str {
    match (level, article, lang) {
        (Level::Serious, Article::A286_1, Lang::En) => "serious (serious consequences)",
        (Level::Serious, Article::A286_1, Lang::Zh) => "造成严重后果",
        (Level::Serious, _, Lang::En) => "serious",
        (Level::Serious, _, Lang::Zh) => "情节严重",
        (Level::EspeciallySerious, _, Lang::En) => "especially serious",
        (Level::EspeciallySerious, _, Lang::Zh) => "情节特别严重",
        (Level::None, _, Lang::En) => "none",
        (Level::None, _, Lang::Zh) => "不构成",
    }
}

/// A row's statement with its number filled in.
fn rule_words(rule: &Rule, lang: Lang) -> String {
    let template = tr(lang, rule.en, rule.zh);
    match rule.test.number() {
        Some(n) => template.replace("{t}", &n.to_string()),
        None => template.to_string(),
    }
}

/// A row as `explain` prints it.
fn render_rule(rule: &Rule, lang: Lang) -> String {
    format!("    {}  {}", rule.cite, rule_words(rule, lang))
}

fn tier_members(tier: Tier, lang: Lang) -> String {
    let names: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| k.tier() == tier)
        .map(|k| match lang {
            Lang::En => k.en(),
            Lang::Zh => k.zh(),
        })
        .collect();
    names.join(tr(lang, ", ", "、"))
}

fn explain_regime(out: &mut String, regime: Regime, lang: Lang) {
    let article = regime.article();
    let std = standards(regime);
    let _ = writeln!(out, "  [{}] {}", regime.rule_set(), regime.who(lang));
    if let Some(t) = std.tiers {
        let (_, l) = scaled_sum(&[0; 3], &t);
        let coef: Vec<String> = Tier::ALL
            .iter()
            .map(|tier| format!("{}·n{}", l / u128::from(t[tier.index()]), tier.letter()))
            .collect();
        let _ = writeln!(
            out,
            "    {}: A {}  B {}  C {}{}",
            tr(lang, "thresholds (items)", "数量标准（条）"),
            t[0],
            t[1],
            t[2],
            match std.gains {
                Some(g) => format!(
                    "  {} {}",
                    tr(lang, "illegal gains (RMB)", "违法所得（元）"),
                    g
                ),
                None => String::new(),
            }
        );
        let _ = writeln!(
            out,
            "    {}: {} >= {}·k  (k = 1{})",
            tr(lang, "exact pro-rata test", "按相应比例合计的精确整数比较"),
            coef.join(" + "),
            l,
            if article.top() == Level::EspeciallySerious {
                tr(lang, "; 10 for especially serious", "；情节特别严重 k = 10")
            } else {
                ""
            }
        );
    } else if let Some(g) = std.gains {
        let _ = writeln!(
            out,
            "    {}: {}",
            tr(
                lang,
                "thresholds: no volume threshold; profit (RMB)",
                "标准：无数量标准；获利（元）"
            ),
            g
        );
    }
    for level in [Level::Serious, Level::EspeciallySerious] {
        let here: Vec<&Rule> = rows(regime).filter(|r| r.level == level).collect();
        if here.is_empty() {
            continue;
        }
        let _ = writeln!(out, "   {}:", level_name(level, article, lang));
        for r in here {
            let _ = writeln!(out, "{}", render_rule(r, lang));
        }
    }
}

fn explain_article(out: &mut String, article: Article, lang: Lang) {
    match article {
        Article::A253_1 => {
            let _ = writeln!(
                out,
                "{}",
                tr(
                    lang,
                    "Criminal Law Art. 253-1 — infringing citizens' personal information (Interp-2017, Fa Shi [2017] No. 10)",
                    "刑法第二百五十三条之一 侵犯公民个人信息罪（《最高人民法院、最高人民检察院关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释》，法释〔2017〕10号）"
                )
            );
        }
        Article::A286_1 => {
            let _ = writeln!(
                out,
                "{}",
                tr(
                    lang,
                    "Criminal Law Art. 286-1 — refusing to perform information-network security management duties, \
                     causing user information to leak with serious consequences (Interp-2019, Fa Shi [2019] No. 15, Art. 4)",
                    "刑法第二百八十六条之一 拒不履行信息网络安全管理义务罪：致使用户信息泄露，造成严重后果的（法释〔2019〕15号 第四条）"
                )
            );
        }
    }
    for regime in Regime::ALL.into_iter().filter(|r| r.article() == article) {
        explain_regime(out, regime, lang);
    }
    let extra: &[(&str, &str)] = match article {
        Article::A253_1 => &[(
            "a single tier at 10 times its number implies the pro-rata sum >= 10",
            "单一类别达到十倍标准即按相应比例合计达到十倍",
        )],
        Article::A286_1 => &[
            (
                "one tier only: the level is none or serious; subject and illegal gains do not change the thresholds",
                "仅一档：不构成或造成严重后果；主体身份与违法所得不改变标准",
            ),
            (
                "a vile social impact is not a ground of Interp-2019 Art.4",
                "恶劣社会影响不是第四条规定的情形",
            ),
            (
                "assumes the regulator's correction order was refused (Art. 286-1 para 1)",
                "假定已经监管部门责令采取改正措施而拒不改正（刑法第二百八十六条之一第一款）",
            ),
            (
                "where one act meets both Art. 286-1 and Art. 253-1, the heavier applies (Art. 286-1 para 3)",
                "同时构成其他犯罪的，依照处罚较重的规定定罪处罚（刑法第二百八十六条之一第三款）",
            ),
        ],
    };
    for &(en, zh) in extra {
        let _ = writeln!(out, "  - {}", tr(lang, en, zh));
    }
    out.push('\n');
}

fn explain_counting(out: &mut String, lang: Lang) {
    let _ = writeln!(
        out,
        "{}",
        tr(
            lang,
            "Counting rules (Interp-2017 Art. 11)",
            "条数计算规则（解释第十一条）"
        )
    );
    for tier in Tier::ALL {
        let _ = writeln!(
            out,
            "  - {} {}: {}",
            tr(lang, "tier", "类别"),
            tier.letter(),
            tier_members(tier, lang)
        );
    }
    let lines: &[(&str, &str)] = &[
        (
            "an item is one personal-information record about one person; a record is counted once, under its most sensitive kind",
            "一条为关于一人的一条公民个人信息；一条记录只按其中最敏感的类别计算一次",
        ),
        (
            "batch data is counted as seized, except items shown untrue or duplicated: invalid records (every strong identifier fails validation) and duplicates are reported and excluded from `counted`",
            "批量公民个人信息的条数，根据查获的数量直接认定，但有证据证明信息不真实或者重复的除外：无效（强标识全部校验失败）和重复的记录单列并从“计入”中剔除",
        ),
        (
            "the same information provided to different recipients is counted once per recipient; obtained-then-sold information is not counted twice",
            "向不同单位或者个人分别出售、提供同一公民个人信息的，公民个人信息的条数累计计算；非法获取后又出售或者提供的，条数不重复计算",
        ),
        (
            "the basis (counted, valid or seized) is chosen with --basis; default counted",
            "计数口径（counted、valid、seized）由 --basis 选择，默认 counted",
        ),
        (
            "thresholds are inclusive: \"以上\" includes the number (Criminal Law Art. 99)",
            "“以上”包括本数（刑法第九十九条）",
        ),
        (
            "the pro-rata sum is compared exactly in integers (scaled by the least common multiple of the thresholds); money is never added into it",
            "按相应比例合计以整数精确比较（乘以各标准的最小公倍数）；违法所得不计入比例",
        ),
    ];
    for &(en, zh) in lines {
        let _ = writeln!(out, "  - {}", tr(lang, en, zh));
    }
}

/// Human text of the thresholds and counting rules as the tool applies
/// them, for `tiaoshu explain`. `None` explains both articles.
pub fn explain(article: Option<Article>, lang: Lang) -> String {
    let mut out = String::new();
    let articles: Vec<Article> = match article {
        Some(a) => vec![a],
        None => Article::ALL.to_vec(),
    };
    for a in articles {
        explain_article(&mut out, a, lang);
    }
    explain_counting(&mut out, lang);
    out
}

// ---------------------------------------------------------------------------
// Tests: the law, threshold by threshold
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(a: u64, b: u64, c: u64) -> KindCounts {
        let mut k = KindCounts::default();
        k.set(Kind::Tracking, a);
        k.set(Kind::Accommodation, b);
        k.set(Kind::General, c);
        k
    }

    fn subject(s: Subject) -> CaseFacts {
        CaseFacts {
            subject: s,
            ..CaseFacts::default()
        }
    }

    fn ordinary() -> CaseFacts {
        subject(Subject::Ordinary)
    }

    fn art(a: &Assessment, article: Article) -> &ArticleAssessment {
        a.articles.iter().find(|x| x.article == article).unwrap()
    }

    fn level(article: Article, c: &KindCounts, f: &CaseFacts) -> Level {
        art(&assess(c, f), article).level
    }

    fn rules_cited(a: &ArticleAssessment) -> Vec<&str> {
        a.grounds.iter().map(|g| g.rule.as_str()).collect()
    }

    fn tier_counts(tier: Tier, n: u64) -> KindCounts {
        match tier {
            Tier::A => counts(n, 0, 0),
            Tier::B => counts(0, n, 0),
            Tier::C => counts(0, 0, n),
        }
    }

    use Level::{EspeciallySerious as ESP, None as NONE, Serious as SER};

    /// Walks each tier at n−1, n, 10n−1 and 10n for one subject and article.
    fn walk(article: Article, s: Subject, table: [(Tier, u64); 3], expect: [Level; 4], cite: &str) {
        for (tier, n) in table {
            let f = subject(s);
            let at = |x| level(article, &tier_counts(tier, x), &f);
            assert_eq!(
                [at(n - 1), at(n), at(10 * n - 1), at(10 * n)],
                expect,
                "{article:?} {s:?} tier {tier:?} n={n}"
            );
            let a = assess(&tier_counts(tier, n), &f);
            let cited = rules_cited(art(&a, article));
            assert!(
                cited.iter().any(|c| c.contains(cite)),
                "{cited:?} lacks {cite}"
            );
        }
    }

    #[test]
    fn art253_ordinary_tiers_50_500_5000_and_10x() {
        walk(
            Article::A253_1,
            Subject::Ordinary,
            [(Tier::A, 50), (Tier::B, 500), (Tier::C, 5_000)],
            [NONE, SER, SER, ESP],
            "Interp-2017 Art.5(1)(",
        );
        let a = assess(&counts(50, 0, 0), &ordinary());
        assert_eq!(
            rules_cited(art(&a, Article::A253_1)),
            ["Interp-2017 Art.5(1)(3)"]
        );
        let a = assess(&counts(0, 500, 0), &ordinary());
        assert_eq!(
            rules_cited(art(&a, Article::A253_1)),
            ["Interp-2017 Art.5(1)(4)"]
        );
        let a = assess(&counts(0, 0, 5000), &ordinary());
        assert_eq!(
            rules_cited(art(&a, Article::A253_1)),
            ["Interp-2017 Art.5(1)(5)"]
        );
    }

    #[test]
    fn art253_duty_half_25_250_2500_and_10x() {
        walk(
            Article::A253_1,
            Subject::Duty,
            [(Tier::A, 25), (Tier::B, 250), (Tier::C, 2_500)],
            [NONE, SER, SER, ESP],
            "Interp-2017 Art.5(1)(8) with Art.5(1)(",
        );
        let a = assess(&counts(25, 0, 0), &subject(Subject::Duty));
        let a = art(&a, Article::A253_1);
        assert_eq!(rules_cited(a), ["Interp-2017 Art.5(1)(8) with Art.5(1)(3)"]);
        assert_eq!(a.rule_set, "Interp-2017 Art.5 (duty: item 8, half)");
        assert_eq!(
            a.thresholds,
            Thresholds {
                a: Some(25),
                b: Some(250),
                c: Some(2500),
                gains_rmb: Some(2500)
            }
        );
        let a = assess(&counts(250, 0, 0), &subject(Subject::Duty));
        assert_eq!(
            rules_cited(art(&a, Article::A253_1)),
            [
                "Interp-2017 Art.5(2)(3) with Art.5(1)(8)",
                "Interp-2017 Art.5(1)(8) with Art.5(1)(3)"
            ]
        );
    }

    #[test]
    fn art286_tiers_500_5000_50000_for_every_subject_never_especially() {
        for s in [Subject::Ordinary, Subject::Duty, Subject::Business] {
            walk(
                Article::A286_1,
                s,
                [(Tier::A, 500), (Tier::B, 5_000), (Tier::C, 50_000)],
                [NONE, SER, SER, SER],
                "Interp-2019 Art.4(",
            );
        }
        let a = assess(&counts(0, 0, 50_000), &subject(Subject::Duty));
        let a = art(&a, Article::A286_1);
        assert_eq!(rules_cited(a), ["Interp-2019 Art.4(3)"]);
        assert_eq!(
            a.thresholds,
            Thresholds {
                a: Some(500),
                b: Some(5000),
                c: Some(50000),
                gains_rmb: None
            }
        );
        assert_eq!(a.rule_set, "Interp-2019 Art.4");
    }

    #[test]
    fn pro_rata_exactly_one_is_serious_just_below_is_not() {
        let o = ordinary();
        // 25/50 + 250/500 = 1
        let a = assess(&counts(25, 250, 0), &o);
        let a253 = art(&a, Article::A253_1);
        assert_eq!(a253.level, SER);
        assert_eq!(rules_cited(a253), ["Interp-2017 Art.5(1)(6)"]);
        assert_eq!(a253.weighted, 1.0);
        assert_eq!(level(Article::A253_1, &counts(24, 250, 0), &o), NONE);
        assert_eq!(level(Article::A253_1, &counts(25, 249, 0), &o), NONE);
        // 49/50 + 100/5000 = 1, C takes part
        assert_eq!(level(Article::A253_1, &counts(49, 0, 100), &o), SER);
        assert_eq!(level(Article::A253_1, &counts(49, 0, 99), &o), NONE);
        // duty: 10/25 + 150/250 = 1
        let d = subject(Subject::Duty);
        let a = assess(&counts(10, 150, 0), &d);
        assert_eq!(
            rules_cited(art(&a, Article::A253_1)),
            ["Interp-2017 Art.5(1)(8) with Art.5(1)(6)"]
        );
        assert_eq!(level(Article::A253_1, &counts(10, 149, 0), &d), NONE);
        // 286-1: 250/500 + 2500/5000 = 1
        let a = assess(&counts(250, 2500, 0), &o);
        assert_eq!(
            rules_cited(art(&a, Article::A286_1)),
            ["Interp-2019 Art.4(4)"]
        );
        assert_eq!(level(Article::A286_1, &counts(249, 2500, 0), &o), NONE);
        assert_eq!(level(Article::A286_1, &counts(250, 2499, 0), &o), NONE);
    }

    #[test]
    fn pro_rata_exactly_ten_is_especially_serious_just_below_is_serious() {
        let o = ordinary();
        // 250/50 + 2500/500 = 10
        let a = assess(&counts(250, 2500, 0), &o);
        let a253 = art(&a, Article::A253_1);
        assert_eq!(a253.level, ESP);
        assert_eq!(a253.grounds[0].rule, "Interp-2017 Art.5(2)(3)");
        assert_eq!(
            a253.grounds[0].text,
            "pro-rata at 10x: 250/50 + 2500/500 = 10 >= 10 (exact: 50000/5000)"
        );
        assert_eq!(level(Article::A253_1, &counts(249, 2500, 0), &o), SER);
        assert_eq!(level(Article::A253_1, &counts(250, 2499, 0), &o), SER);
        // duty: 125/25 + 1250/250 = 10
        let d = subject(Subject::Duty);
        assert_eq!(level(Article::A253_1, &counts(125, 1250, 0), &d), ESP);
        assert_eq!(level(Article::A253_1, &counts(124, 1250, 0), &d), SER);
        // 286-1 has no 10x tier
        assert_eq!(level(Article::A286_1, &counts(2500, 25000, 0), &o), SER);
    }

    #[test]
    fn float_sum_below_one_but_exact_sum_is_one() {
        // 35/50 + 100/500 + 500/5000 = 0.7 + 0.2 + 0.1 = 1 exactly,
        // while f64 adds up to 0.9999999999999999.
        let (a, b, c) = (35u64, 100u64, 500u64);
        let naive = a as f64 / 50.0 + b as f64 / 500.0 + c as f64 / 5000.0;
        assert!(naive < 1.0, "the trap must spring: {naive}");
        let r = assess(&counts(a, b, c), &ordinary());
        let a253 = art(&r, Article::A253_1);
        assert_eq!(a253.level, SER);
        assert_eq!(rules_cited(a253), ["Interp-2017 Art.5(1)(6)"]);
        assert_eq!(a253.weighted, 1.0);
        // The same proportions against the 286-1 thresholds.
        let naive = 350.0 / 500.0 + 1000.0 / 5000.0 + 5000.0 / 50000.0;
        assert!(naive < 1.0);
        assert_eq!(
            level(Article::A286_1, &counts(350, 1000, 5000), &ordinary()),
            SER
        );
    }

    #[test]
    fn weighted_display_never_rounds_up_to_the_threshold() {
        let r = assess(&counts(0, 0, 49_999), &ordinary());
        let a286 = art(&r, Article::A286_1);
        assert_eq!(a286.level, NONE);
        assert_eq!(a286.weighted, 0.9999);
        let r = assess(&counts(30, 300, 0), &ordinary());
        let a253 = art(&r, Article::A253_1);
        assert_eq!(a253.weighted, 1.2);
        assert_eq!(
            a253.grounds[0].text,
            "pro-rata: 30/50 + 300/500 = 1.2 >= 1 (exact: 6000/5000)"
        );
    }

    #[test]
    fn a_single_tier_at_its_number_is_the_ground_not_pro_rata() {
        let r = assess(&counts(50, 10, 0), &ordinary());
        assert_eq!(
            rules_cited(art(&r, Article::A253_1)),
            ["Interp-2017 Art.5(1)(3)"]
        );
        let r = assess(&counts(500, 10, 0), &ordinary());
        assert_eq!(
            rules_cited(art(&r, Article::A286_1)),
            ["Interp-2019 Art.4(1)"]
        );
    }

    #[test]
    fn gains_ordinary_5000_and_50000() {
        for (g, want) in [(4_999, NONE), (5_000, SER), (49_999, SER), (50_000, ESP)] {
            let f = CaseFacts {
                illegal_gains_rmb: g,
                ..ordinary()
            };
            let r = assess(&KindCounts::default(), &f);
            assert_eq!(art(&r, Article::A253_1).level, want, "gains {g}");
            assert_eq!(
                art(&r, Article::A286_1).level,
                NONE,
                "gains never count for 286-1"
            );
        }
        let f = CaseFacts {
            illegal_gains_rmb: 5_000,
            ..ordinary()
        };
        let r = assess(&KindCounts::default(), &f);
        let g = &art(&r, Article::A253_1).grounds[0];
        assert_eq!(g.rule, "Interp-2017 Art.5(1)(7)");
        assert_eq!(g.text, "illegal gains 5000 RMB >= 5000 RMB");
    }

    #[test]
    fn gains_duty_2500_and_25000() {
        for (g, want) in [(2_499, NONE), (2_500, SER), (24_999, SER), (25_000, ESP)] {
            let f = CaseFacts {
                illegal_gains_rmb: g,
                ..subject(Subject::Duty)
            };
            assert_eq!(
                level(Article::A253_1, &KindCounts::default(), &f),
                want,
                "gains {g}"
            );
        }
        let f = CaseFacts {
            illegal_gains_rmb: 2_500,
            ..subject(Subject::Duty)
        };
        let r = assess(&KindCounts::default(), &f);
        assert_eq!(
            rules_cited(art(&r, Article::A253_1)),
            ["Interp-2017 Art.5(1)(8) with Art.5(1)(7)"]
        );
    }

    #[test]
    fn money_is_never_added_into_the_pro_rata_sum() {
        // 49/50 of tier A plus 4999 RMB: neither reaches its number.
        let f = CaseFacts {
            illegal_gains_rmb: 4_999,
            ..ordinary()
        };
        assert_eq!(level(Article::A253_1, &counts(49, 0, 0), &f), NONE);
    }

    fn business() -> CaseFacts {
        subject(Subject::Business)
    }

    #[test]
    fn business_volume_alone_is_never_serious() {
        let r = assess(&counts(0, 0, 1_000_000), &business());
        let a = art(&r, Article::A253_1);
        assert_eq!(a.level, NONE);
        assert_eq!(a.rule_set, "Interp-2017 Art.6 (business)");
        assert_eq!(
            a.thresholds,
            Thresholds {
                a: None,
                b: None,
                c: None,
                gains_rmb: Some(50_000)
            }
        );
        let next = a.next.as_ref().unwrap();
        assert_eq!(next.level, SER);
        assert_eq!(next.weighted_needed, None);
        assert_eq!(next.items_needed, None);
        assert_eq!(next.gains_needed_rmb, Some(50_000));
        // 286-1 does not care about the subject.
        assert_eq!(art(&r, Article::A286_1).level, SER);
    }

    #[test]
    fn business_profit_49999_50000_and_no_10x() {
        for (g, want) in [
            (49_999, NONE),
            (50_000, SER),
            (500_000, SER),
            (u64::MAX, SER),
        ] {
            let f = CaseFacts {
                illegal_gains_rmb: g,
                ..business()
            };
            let r = assess(&counts(0, 0, 100), &f);
            assert_eq!(art(&r, Article::A253_1).level, want, "gains {g}");
        }
        let f = CaseFacts {
            illegal_gains_rmb: 50_000,
            ..business()
        };
        let r = assess(&counts(0, 0, 100), &f);
        let a = art(&r, Article::A253_1);
        assert_eq!(rules_cited(a), ["Interp-2017 Art.6(1)(1)"]);
        // From serious only consequences lead on: nothing volume can supply.
        let next = a.next.as_ref().unwrap();
        assert_eq!(
            (next.level, next.weighted_needed, next.gains_needed_rmb),
            (ESP, None, None)
        );
        assert_eq!(next.items_needed, None);
    }

    #[test]
    fn business_prior_punishment_is_serious() {
        for p in [
            PriorPunishment::AdministrativeWithin2y,
            PriorPunishment::Criminal,
        ] {
            let f = CaseFacts {
                prior_punishment: p,
                ..business()
            };
            let r = assess(&counts(0, 0, 10), &f);
            assert_eq!(
                rules_cited(art(&r, Article::A253_1)),
                ["Interp-2017 Art.6(1)(2)"]
            );
            assert_eq!(art(&r, Article::A253_1).level, SER);
        }
    }

    #[test]
    fn business_with_tier_a_or_b_data_uses_art5() {
        let r = assess(&counts(50, 0, 0), &business());
        let a = art(&r, Article::A253_1);
        assert_eq!(a.level, SER);
        assert!(
            a.rule_set.starts_with("Interp-2017 Art.5 via Art.6 para 1"),
            "{}",
            a.rule_set
        );
        assert_eq!(rules_cited(a), ["Interp-2017 Art.5(1)(3)"]);
        assert_eq!(a.thresholds.a, Some(50));
        // One tier-B item brings the tier-C volume under Art. 5 too:
        // 1/500 + 4990/5000 = 1.
        let r = assess(&counts(0, 1, 4_990), &business());
        assert_eq!(
            rules_cited(art(&r, Article::A253_1)),
            ["Interp-2017 Art.5(1)(6)"]
        );
        assert_eq!(
            level(Article::A253_1, &counts(0, 1, 4_989), &business()),
            NONE
        );
    }

    #[test]
    fn business_provided_onward_uses_art5() {
        let f = CaseFacts {
            provided_onward: true,
            ..business()
        };
        let r = assess(&counts(0, 0, 5_000), &f);
        let a = art(&r, Article::A253_1);
        assert_eq!(a.level, SER);
        assert_eq!(
            a.rule_set,
            "Interp-2017 Art.5 via Art.6 para 2 (information sold or provided on)"
        );
        assert_eq!(level(Article::A253_1, &counts(0, 0, 50_000), &f), ESP);
        assert_eq!(level(Article::A253_1, &counts(0, 0, 4_999), &f), NONE);
    }

    #[test]
    fn each_consequence_on_both_articles() {
        use Consequence::*;
        let table = [
            (
                Death,
                ESP,
                SER,
                "Interp-2017 Art.5(2)(1)",
                Some("Interp-2019 Art.4(5)"),
            ),
            (
                SeriousInjury,
                ESP,
                SER,
                "Interp-2017 Art.5(2)(1)",
                Some("Interp-2019 Art.4(5)"),
            ),
            (
                MentalDisorder,
                ESP,
                SER,
                "Interp-2017 Art.5(2)(1)",
                Some("Interp-2019 Art.4(5)"),
            ),
            (
                Kidnapping,
                ESP,
                SER,
                "Interp-2017 Art.5(2)(1)",
                Some("Interp-2019 Art.4(5)"),
            ),
            (
                MajorEconomicLoss,
                ESP,
                SER,
                "Interp-2017 Art.5(2)(2)",
                Some("Interp-2019 Art.4(6)"),
            ),
            (VileSocialImpact, ESP, NONE, "Interp-2017 Art.5(2)(2)", None),
        ];
        for s in [Subject::Ordinary, Subject::Duty, Subject::Business] {
            for (c, l253, l286, cite253, cite286) in table {
                let f = CaseFacts {
                    consequences: vec![c],
                    ..subject(s)
                };
                let r = assess(&KindCounts::default(), &f);
                let a = art(&r, Article::A253_1);
                let b = art(&r, Article::A286_1);
                assert_eq!((a.level, b.level), (l253, l286), "{c:?} {s:?}");
                assert_eq!(rules_cited(a), [cite253]);
                assert_eq!(rules_cited(b), cite286.into_iter().collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn non_volume_case_facts_on_art253_only() {
        let cases = [
            (
                CaseFacts {
                    tracking_used_in_crime: true,
                    ..ordinary()
                },
                "Interp-2017 Art.5(1)(1)",
            ),
            (
                CaseFacts {
                    knew_criminal_use: true,
                    ..ordinary()
                },
                "Interp-2017 Art.5(1)(2)",
            ),
            (
                CaseFacts {
                    prior_punishment: PriorPunishment::Criminal,
                    ..ordinary()
                },
                "Interp-2017 Art.5(1)(9)",
            ),
            (
                CaseFacts {
                    prior_punishment: PriorPunishment::AdministrativeWithin2y,
                    ..subject(Subject::Duty)
                },
                "Interp-2017 Art.5(1)(9)",
            ),
        ];
        for (f, cite) in cases {
            let r = assess(&KindCounts::default(), &f);
            assert_eq!(rules_cited(art(&r, Article::A253_1)), [cite]);
            assert_eq!(art(&r, Article::A253_1).level, SER);
            assert_eq!(art(&r, Article::A286_1).level, NONE);
        }
    }

    #[test]
    fn grounds_list_every_ground_heaviest_first_and_none_at_none() {
        let f = CaseFacts {
            illegal_gains_rmb: 60_000,
            knew_criminal_use: true,
            consequences: vec![Consequence::Death],
            ..ordinary()
        };
        let r = assess(&counts(600, 0, 0), &f);
        let a = art(&r, Article::A253_1);
        assert_eq!(a.level, ESP);
        assert_eq!(
            rules_cited(a),
            [
                "Interp-2017 Art.5(2)(1)",
                "Interp-2017 Art.5(2)(3)",
                "Interp-2017 Art.5(2)(3)",
                "Interp-2017 Art.5(1)(2)",
                "Interp-2017 Art.5(1)(3)",
                "Interp-2017 Art.5(1)(7)",
            ]
        );
        assert!(a.grounds.windows(2).all(|w| w[0].level >= w[1].level));
        assert!(a.next.is_none());
        let r = assess(&counts(49, 0, 0), &ordinary());
        assert!(art(&r, Article::A253_1).grounds.is_empty());
        assert!(art(&r, Article::A286_1).grounds.is_empty());
    }

    #[test]
    fn art286_is_never_especially_serious_even_at_u64_max() {
        let f = CaseFacts {
            illegal_gains_rmb: u64::MAX,
            consequences: vec![
                Consequence::Death,
                Consequence::MajorEconomicLoss,
                Consequence::VileSocialImpact,
            ],
            ..ordinary()
        };
        let r = assess(&KindCounts([u64::MAX; Kind::COUNT]), &f);
        let a = art(&r, Article::A286_1);
        assert_eq!(a.level, SER);
        assert!(a.next.is_none());
        assert_eq!(art(&r, Article::A253_1).level, ESP);
        assert_eq!(
            r.basis_counts,
            TierTotals {
                a: u64::MAX,
                b: u64::MAX,
                c: u64::MAX
            }
        );
        // w = (4·100 + 5·10 + 1)·u64::MAX / 50000 ≈ 1.66e17
        assert!(a.weighted > 1.6e17);
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let mut c = KindCounts::default();
        c.set(Kind::General, u64::MAX);
        assert_eq!(level(Article::A253_1, &c, &ordinary()), ESP);
        assert_eq!(level(Article::A253_1, &c, &business()), NONE);
        let r = assess(
            &KindCounts([u64::MAX; Kind::COUNT]),
            &subject(Subject::Duty),
        );
        assert_eq!(art(&r, Article::A253_1).level, ESP);
    }

    #[test]
    fn heavier_applies_note_when_both_articles_are_reached() {
        let r = assess(&counts(500, 0, 0), &ordinary());
        assert_eq!(art(&r, Article::A253_1).level, ESP);
        assert_eq!(art(&r, Article::A286_1).level, SER);
        assert_eq!(r.notes.len(), 1);
        assert!(r.notes[0].contains("Art. 286-1 para 3"), "{}", r.notes[0]);
        assert!(r.notes[0].contains("3 to 7 years"));
        // 253-1 reached alone: no note.
        let r = assess(&counts(499, 0, 0), &ordinary());
        assert_eq!(art(&r, Article::A286_1).level, NONE);
        assert!(r.notes.is_empty());
        // 286-1 reached alone (business volume): no note.
        let r = assess(&counts(0, 0, 50_000), &business());
        assert_eq!(art(&r, Article::A253_1).level, NONE);
        assert!(r.notes.is_empty());
    }

    #[test]
    fn next_items_needed_exact() {
        let items = |a, b, c| Some(ItemsNeeded { a, b, c });
        // Nothing yet: the plain thresholds.
        let r = assess(&KindCounts::default(), &ordinary());
        let n = art(&r, Article::A253_1).next.clone().unwrap();
        assert_eq!(n.level, SER);
        assert_eq!(n.weighted_needed, Some(1.0));
        assert_eq!(n.items_needed, items(50, 500, 5000));
        assert_eq!(n.gains_needed_rmb, Some(5000));
        // 100 tier-B items (w = 0.2): 40 A, 400 B or 4000 C more.
        let r = assess(&counts(0, 100, 0), &ordinary());
        assert_eq!(
            art(&r, Article::A253_1).next.as_ref().unwrap().items_needed,
            items(40, 400, 4000)
        );
        // Serious at w = 1.2; especially serious needs w = 10.
        let f = CaseFacts {
            illegal_gains_rmb: 1_000,
            ..ordinary()
        };
        let r = assess(&counts(60, 0, 0), &f);
        let n = art(&r, Article::A253_1).next.clone().unwrap();
        assert_eq!((n.level, n.weighted_needed), (ESP, Some(10.0)));
        assert_eq!(n.items_needed, items(440, 4400, 44000));
        assert_eq!(n.gains_needed_rmb, Some(49_000));
        // Duty: halved numbers.
        let r = assess(&counts(0, 0, 1), &subject(Subject::Duty));
        assert_eq!(
            art(&r, Article::A253_1).next.as_ref().unwrap().items_needed,
            items(25, 250, 2499)
        );
        // 286-1, one tier-C item: ceilings 49999/100 -> 500, 49999/10 -> 5000.
        let n = art(&r, Article::A286_1).next.clone().unwrap();
        assert_eq!(
            (n.level, n.weighted_needed, n.gains_needed_rmb),
            (SER, Some(1.0), None)
        );
        assert_eq!(n.items_needed, items(500, 5000, 49_999));
        // Adding exactly the needed items reaches the level; one less does not.
        let r = assess(&counts(500, 0, 1), &ordinary());
        assert_eq!(art(&r, Article::A286_1).level, SER);
        let r = assess(&counts(0, 4999, 1), &ordinary());
        assert_eq!(art(&r, Article::A286_1).level, NONE);
    }

    #[test]
    fn article_assessment_serializes_to_spec_keys() {
        let r = assess(&counts(30, 300, 0), &ordinary());
        let v = serde_json::to_value(art(&r, Article::A253_1)).unwrap();
        assert_eq!(v["article"], "253-1");
        assert_eq!(v["level"], "serious");
        assert_eq!(v["weighted"].as_f64(), Some(1.2));
        assert_eq!(v["rule_set"], "Interp-2017 Art.5");
        assert_eq!(v["thresholds"]["A"].as_u64(), Some(50));
        assert_eq!(v["thresholds"]["B"].as_u64(), Some(500));
        assert_eq!(v["thresholds"]["C"].as_u64(), Some(5000));
        assert_eq!(v["thresholds"]["gains_rmb"].as_u64(), Some(5000));
        assert_eq!(v["grounds"][0]["rule"], "Interp-2017 Art.5(1)(6)");
        assert!(v["grounds"][0]["text"]
            .as_str()
            .unwrap()
            .contains("30/50 + 300/500 = 1.2 >= 1"));
        assert_eq!(v["grounds"][0]["level"], "serious");
        assert_eq!(v["next"]["level"], "especially_serious");
        assert_eq!(v["next"]["weighted_needed"].as_f64(), Some(10.0));
        assert_eq!(v["next"]["items_needed"]["A"].as_u64(), Some(440));
        assert!(v["assumptions"].is_array());

        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["subject"], "ordinary");
        assert_eq!(v["basis_counts"]["A"].as_u64(), Some(30));
        assert_eq!(v["articles"][1]["article"], "286-1");
        assert!(v["articles"][1]["thresholds"]["gains_rmb"].is_null());
        assert!(v["articles"][1]["assumptions"][0]
            .as_str()
            .unwrap()
            .contains("correction order"));
        assert!(v["notes"].is_array());

        // At the top: no `next` key at all.
        let r = assess(&counts(500, 0, 0), &ordinary());
        let v = serde_json::to_value(art(&r, Article::A286_1)).unwrap();
        assert!(v.get("next").is_none());
        // Business: no volume target in `next`.
        let r = assess(&KindCounts::default(), &business());
        let v = serde_json::to_value(art(&r, Article::A253_1)).unwrap();
        assert!(v["next"].get("weighted_needed").is_none());
        assert!(v["next"].get("items_needed").is_none());
        assert_eq!(v["next"]["gains_needed_rmb"].as_u64(), Some(50_000));
        assert!(v["thresholds"]["A"].is_null());
    }

    #[test]
    fn explain_shows_every_threshold_in_both_languages() {
        for lang in [Lang::En, Lang::Zh] {
            let t = explain(Some(Article::A253_1), lang);
            for n in ["50", "500", "5000", "50000", "25", "250", "2500", "25000"] {
                assert!(
                    t.contains(&format!(" {n} "))
                        || t.contains(&format!("{n}条"))
                        || t.contains(&format!("{n}元")),
                    "253-1 {lang:?} lacks {n}:\n{t}"
                );
            }
            assert!(t.contains("100·nA + 10·nB + 1·nC >= 5000"), "{t}");
            assert!(!t.contains("Interp-2019 Art.4(1)"));
            let t = explain(Some(Article::A286_1), lang);
            for n in ["500", "5000", "50000"] {
                assert!(
                    t.contains(&format!(" {n} ")) || t.contains(&format!("{n}条")),
                    "286-1 {lang:?} lacks {n}:\n{t}"
                );
            }
            assert!(t.contains("100·nA + 10·nB + 1·nC >= 50000"), "{t}");
            assert!(!t.contains("Interp-2017 Art.5(1)(3)"));
        }
        let zh = explain(None, Lang::Zh);
        for term in [
            "情节严重",
            "情节特别严重",
            "行踪轨迹信息",
            "通信内容",
            "征信信息",
            "财产信息",
            "住宿信息",
            "通信记录",
            "健康生理信息",
            "交易信息",
            "违法所得",
            "按相应比例合计",
            "造成严重后果",
            "以上",
        ] {
            assert!(zh.contains(term), "zh lacks {term}");
        }
        let en = explain(None, Lang::En);
        assert!(
            en.contains("correction order")
                && en.contains("Art. 286-1 para 3")
                && en.contains("Art. 99")
        );
    }

    #[test]
    fn explain_prints_every_row_of_the_table() {
        for lang in [Lang::En, Lang::Zh] {
            let all = explain(None, lang);
            for r in RULES {
                let line = render_rule(r, lang);
                assert!(all.contains(&line), "missing {line}");
                assert!(!line.contains("{t}"));
                let only = explain(Some(r.article), lang);
                assert!(only.contains(&line));
            }
        }
    }

    #[test]
    fn table_is_consistent() {
        for r in RULES {
            assert!(!r.regimes.is_empty());
            for g in r.regimes {
                assert_eq!(g.article(), r.article, "{}", r.cite);
            }
            assert!(r.level <= r.article.top(), "{}", r.cite);
            assert!(r.level > Level::None);
            assert_eq!(
                r.en.contains("{t}"),
                r.test.number().is_some(),
                "{}",
                r.cite
            );
            assert_eq!(
                r.zh.contains("{t}"),
                r.test.number().is_some(),
                "{}",
                r.cite
            );
        }
        for g in Regime::ALL {
            assert!(rows(g).next().is_some(), "{g:?} has no rows");
        }
        // The halved standards are exactly half, the 10x rows exactly ten times.
        let o = standards(Regime::Art5);
        let d = standards(Regime::Art5Duty);
        assert_eq!(o.tiers.unwrap().map(|x| x / 2), d.tiers.unwrap());
        assert_eq!(o.gains.unwrap() / 2, d.gains.unwrap());
        for g in [Regime::Art5, Regime::Art5Duty] {
            let top_gains = rows(g).filter(|r| r.level == ESP).find_map(|r| {
                if let Test::Gains(x) = r.test {
                    Some(x)
                } else {
                    None
                }
            });
            assert_eq!(top_gains, standards(g).gains.map(|x| 10 * x));
        }
        assert_eq!(
            standards(Regime::Interp2019Art4).tiers,
            Some([500, 5000, 50000])
        );
    }

    #[test]
    fn article_and_lang_parse() {
        for a in Article::ALL {
            assert_eq!(Article::parse(a.key()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.key());
        }
        assert_eq!(Article::parse(" 286_1 "), Some(Article::A286_1));
        assert_eq!(Article::parse("Art.253-1"), Some(Article::A253_1));
        assert_eq!(Article::parse("253"), None);
        assert_eq!(Lang::parse("ZH"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
