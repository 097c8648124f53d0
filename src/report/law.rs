//! The assessment as the reports word it: the typed findings of `assess`
//! turned into the JSON's `assessment` (each ground's text with its numbers,
//! in English and Chinese, the rule set, the assumptions, the notes), and
//! the names of the levels.

use serde::{Deserialize, Serialize};

use super::words::{tr, zh_number};
use crate::assess::{
    display_w, Article, ArticleFinding, Findings, Found, Held, Next, Note, Rule, Text, Thresholds,
    TierTotals,
};
use crate::model::{Consequence, Level, PriorPunishment, Subject};

pub use super::words::Lang;

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

/// The JSON's `assessment`.
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

/// A level's name under an article, as the law says it.
pub fn level_name(level: Level, article: Article, lang: Lang) -> &'static str {
    let name = article.level_name(level);
    tr(lang, name.en, name.zh)
}

/// The findings, worded.
pub fn assessment(f: &Findings) -> Assessment {
    let sat = |x: u128| u64::try_from(x).unwrap_or(u64::MAX);
    let n = f
        .article(Article::A253_1)
        .or(f.articles.first())
        .map_or([0; 3], |a| a.totals);
    let (notes, notes_zh) = f.notes.iter().map(|&n| note(n)).unzip();
    Assessment {
        subject: f.subject,
        basis_counts: TierTotals {
            a: sat(n[0]),
            b: sat(n[1]),
            c: sat(n[2]),
        },
        articles: f.articles.iter().map(article).collect(),
        notes,
        notes_zh,
    }
}

fn article(a: &ArticleFinding) -> ArticleAssessment {
    let (rule_set, rule_set_zh) = if a.via.is_empty() {
        (a.regime.name.en.to_string(), a.regime.name.zh.to_string())
    } else {
        let via = |lang: Lang, sep: &str| {
            a.via
                .iter()
                .map(|(_, t)| tr(lang, t.en, t.zh))
                .collect::<Vec<_>>()
                .join(sep)
        };
        (
            format!("{} via {}", a.regime.name.en, via(Lang::En, "; ")),
            format!("{}，依据{}", a.regime.name.zh, via(Lang::Zh, "；")),
        )
    };
    ArticleAssessment {
        article: a.article,
        level: a.level,
        weighted: a.weighted,
        rule_set,
        rule_set_zh,
        thresholds: a.thresholds.clone(),
        grounds: a.held.iter().map(ground).collect(),
        next: a.next.clone(),
        assumptions: a
            .regime
            .assumptions
            .iter()
            .map(|t| t.en.to_string())
            .collect(),
        assumptions_zh: a
            .regime
            .assumptions
            .iter()
            .map(|t| t.zh.to_string())
            .collect(),
    }
}

fn ground(h: &Held) -> Ground {
    let (text, text_zh) = found_words(&h.found);
    Ground {
        rule: h.rule.cite.to_string(),
        text,
        text_zh,
        provision_zh: provision(h.rule, Lang::Zh),
        provision_en: provision(h.rule, Lang::En),
        level: h.rule.level,
    }
}

/// A row's statement with its number filled in.
pub fn provision(rule: &Rule, lang: Lang) -> String {
    let template = tr(lang, rule.en, rule.zh);
    match rule.test.number() {
        Some(n) => template.replace("{t}", &n.to_string()),
        None => template.to_string(),
    }
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

/// What a ground found, with its numbers, in English and in Chinese.
fn found_words(f: &Found) -> (String, String) {
    match f {
        Found::Tier { tier, have, need } => (
            format!("tier {}: {} items >= {}", tier.letter(), have, need),
            format!("{}类信息 {} 条 ≥ {} 条", tier.letter(), have, need),
        ),
        Found::ProRata {
            factor: k,
            terms,
            sum: s,
            lcm: l,
        } => {
            let (what, what_zh) = if *k == 1 {
                ("pro-rata".to_string(), "按比例合计".to_string())
            } else {
                (
                    format!("pro-rata at {k}x"),
                    format!("按比例合计（{}倍标准）", zh_number(*k)),
                )
            };
            let sum = terms
                .iter()
                .map(|(_, n, t)| format!("{n}/{t}"))
                .collect::<Vec<_>>()
                .join(" + ");
            let w = display_w(*s, *l);
            (
                format!("{what}: {sum} = {w} >= {k} (exact: {s}/{l})"),
                format!("{what_zh}：{sum} = {w} ≥ {k}（精确值 {s}/{l}）"),
            )
        }
        Found::Gains { have, need } => (
            format!("illegal gains {have} RMB >= {need} RMB"),
            format!("违法所得 {have} 元 ≥ {need} 元"),
        ),
        Found::Prior(PriorPunishment::AdministrativeWithin2y) => (
            "case fact: administratively punished for this offence within two years".into(),
            "案件事实：二年内因侵犯公民个人信息受过行政处罚".into(),
        ),
        Found::Prior(_) => (
            "case fact: previously criminally punished for this offence".into(),
            "案件事实：曾因侵犯公民个人信息受过刑事处罚".into(),
        ),
        Found::KnewCriminalUse => (
            "case fact: knew or should have known the recipient would use the information for crime"
                .into(),
            "案件事实：知道或者应当知道他人利用公民个人信息实施犯罪".into(),
        ),
        Found::TrackingUsedInCrime => (
            "case fact: tracking information sold or provided was used by others to commit a crime"
                .into(),
            "案件事实：出售或者提供的行踪轨迹信息被他人用于犯罪".into(),
        ),
        Found::Consequences(hit) => {
            let names = |f: fn(Consequence) -> &'static str, sep: &str| {
                hit.iter().map(|&c| f(c)).collect::<Vec<_>>().join(sep)
            };
            (
                format!("case fact: consequence {}", names(consequence_en, ", ")),
                format!("案件事实：造成{}", names(Consequence::zh, "、")),
            )
        }
    }
}

fn note(n: Note) -> (String, String) {
    match n {
        Note::BothArticles { a253, a286 } => {
            let mut note = format!(
                "both articles are reached (Art. 253-1: {}, Art. 286-1: {}); where one act meets both, \
                 it is punished under the heavier (Art. 286-1 para 3)",
                a253.key(),
                a286.key()
            );
            let mut note_zh = format!(
                "两条均已达到（第二百五十三条之一：{}；第二百八十六条之一：{}）；同一行为同时构成两罪的，依照处罚较重的规定定罪处罚（刑法第二百八十六条之一第三款）",
                level_name(a253, Article::A253_1, Lang::Zh),
                level_name(a286, Article::A286_1, Lang::Zh)
            );
            if a253 == Level::EspeciallySerious {
                note.push_str(
                    ": Art. 253-1 especially serious (3 to 7 years) is heavier than Art. 286-1 (up to 3 years)",
                );
                note_zh.push_str(
                    "：第二百五十三条之一情节特别严重（三年以上七年以下有期徒刑）重于第二百八十六条之一（三年以下有期徒刑）",
                );
            }
            (note, note_zh)
        }
    }
}

/// A text of the law in `lang`.
pub fn text(t: Text, lang: Lang) -> &'static str {
    tr(lang, t.en, t.zh)
}
