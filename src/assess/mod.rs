//! The law: from measures per kind and the case facts to a level per article.
//!
//! Criminal Law Art. 253-1 (侵犯公民个人信息罪) as the 2017 interpretation
//! (Fa Shi [2017] No. 10, "Interp-2017") applies it, and Art. 286-1
//! (拒不履行信息网络安全管理义务罪) as the 2019 interpretation (Fa Shi [2019]
//! No. 15, "Interp-2019") Art. 4 applies it.
//!
//! The law is data ([`table`]): the articles and their levels, the rule sets
//! ([`REGIMES`]: who falls under each, what it counts, how kinds group into
//! tiers, what it assumes) and one row per ground ([`RULES`]). The code here
//! picks the rule set of the subject and walks its rows; it returns typed
//! findings — which rows held, with the numbers that made them hold — and
//! words nothing: the report does (`report/law.rs`).
//!
//! Volume is compared exactly, in integers: the pro-rata sum
//! `nA/TA + nB/TB + nC/TC >= k` is multiplied by the least common multiple of
//! the thresholds (for `ordinary`: `100·nA + 10·nB + nC >= 5000·k`) and
//! evaluated in `u128`, so a float sum can never land at 0.9999999 at the
//! boundary and no count up to `u64::MAX` per kind can overflow.

mod exact;
pub mod table;

use serde::{Deserialize, Serialize};

pub use exact::{display_w, lcm, scaled_sum};
pub use table::{
    Article, ArticleRow, Exclusion, LevelRow, Regime, RegimeRow, Rule, Test, Text, Unit, ARTICLES,
    CRIMINAL_TIERS, REGIMES, RULES,
};

use crate::model::*;

/// What the assessment is given: counts per kind in every unit a rule set
/// may count (records today).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Measures {
    records: KindCounts,
}

impl Measures {
    /// Item counts (records) per kind.
    pub fn records(counts: KindCounts) -> Measures {
        Measures { records: counts }
    }

    pub fn get(&self, unit: Unit) -> &KindCounts {
        match unit {
            Unit::Records => &self.records,
        }
    }
}

/// The tier of a kind under the criminal rule sets (the JSON's per-kind
/// `tier`).
pub fn criminal_tier(kind: Kind) -> Tier {
    CRIMINAL_TIERS[kind.index()]
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

/// One ground that held, with the numbers that made it hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub rule: &'static Rule,
    pub found: Found,
}

/// What a row found in the case.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// `have` items of `tier` against the row's `need`.
    Tier {
        tier: Tier,
        have: u128,
        need: u64,
    },
    /// The pro-rata sum `sum / lcm` of the non-zero `(tier, items,
    /// threshold)` terms reached `factor`.
    ProRata {
        factor: u64,
        terms: Vec<(Tier, u128, u64)>,
        sum: u128,
        lcm: u128,
    },
    /// Illegal gains `have` against `need` (RMB).
    Gains {
        have: u64,
        need: u64,
    },
    Prior(PriorPunishment),
    KnewCriminalUse,
    TrackingUsedInCrime,
    /// The consequences of the row's list that the case has.
    Consequences(Vec<Consequence>),
}

/// One article's findings.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleFinding {
    pub article: Article,
    /// The rule set that decides.
    pub regime: &'static RegimeRow,
    /// When the subject's own rule set does not apply after all: the
    /// exclusions that held (then `regime` is its `instead`).
    pub via: Vec<&'static (Exclusion, Text)>,
    pub level: Level,
    /// Display only: nA/TA + nB/TB + nC/TC with the thresholds in force (or
    /// the rule set's reference ones), truncated (not rounded up) to 4
    /// decimals so that it never shows 1 while the exact sum is below 1.
    pub weighted: f64,
    pub thresholds: Thresholds,
    /// Every ground that holds, heaviest first; empty when level is none.
    pub held: Vec<Held>,
    /// None when already at the top level of the article.
    pub next: Option<Next>,
    /// nA, nB, nC in the rule set's unit and tiers.
    pub totals: [u128; 3],
}

/// What the law adds about the articles together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    /// Both articles are reached: one act that meets both is punished under
    /// the heavier (Art. 286-1 para 3).
    BothArticles { a253: Level, a286: Level },
}

/// The assessment: both articles' findings and the notes.
#[derive(Clone, Debug, PartialEq)]
pub struct Findings {
    pub subject: Subject,
    /// Art. 253-1 first, then Art. 286-1.
    pub articles: Vec<ArticleFinding>,
    pub notes: Vec<Note>,
}

impl Findings {
    pub fn article(&self, article: Article) -> Option<&ArticleFinding> {
        self.articles.iter().find(|a| a.article == article)
    }
}

/// The rows of one rule set, in table order.
pub fn rows(regime: Regime) -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(move |r| r.regimes.contains(&regime))
}

/// The serious standards of a rule set, read from its `Tier` and `Gains` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standards {
    pub tiers: Option<[u64; 3]>,
    pub gains: Option<u64>,
}

pub fn standards(regime: Regime) -> Standards {
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

/// The pro-rata factors an article's levels have (1 for serious, 10 for
/// especially serious under Art. 253-1), over all its rule sets, lowest
/// level first.
pub fn pro_rata_levels(article: Article) -> Vec<(Level, u64)> {
    let mut out: Vec<(Level, u64)> = RULES
        .iter()
        .filter(|r| r.article == article)
        .filter_map(|r| match r.test {
            Test::ProRata { factor, .. } => Some((r.level, factor)),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Tier totals (nA, nB, nC of SPEC §1.2) in `u128`: five tier-B kinds at
/// `u64::MAX` would overflow a `u64` sum.
fn tier_totals(counts: &KindCounts, tiers: &[Tier; Kind::COUNT]) -> [u128; 3] {
    let mut n = [0u128; 3];
    for k in Kind::ALL {
        n[tiers[k.index()].index()] += counts.get(k) as u128;
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

/// What the row finds in the case, if it holds.
fn found(rule: &Rule, case: &Case) -> Option<Found> {
    let facts = case.facts;
    match rule.test {
        Test::Tier(tier, need) => {
            let have = case.n[tier.index()];
            (have >= u128::from(need)).then_some(Found::Tier { tier, have, need })
        }
        Test::ProRata { factor, .. } => {
            let t = case.standards.tiers?;
            let (sum, lcm) = scaled_sum(&case.n, &t);
            (sum >= u128::from(factor) * lcm).then(|| Found::ProRata {
                factor,
                terms: Tier::ALL
                    .iter()
                    .filter(|tier| case.n[tier.index()] > 0)
                    .map(|&tier| (tier, case.n[tier.index()], t[tier.index()]))
                    .collect(),
                sum,
                lcm,
            })
        }
        Test::Gains(need) => (facts.illegal_gains_rmb >= need).then_some(Found::Gains {
            have: facts.illegal_gains_rmb,
            need,
        }),
        Test::Prior => match facts.prior_punishment {
            PriorPunishment::None => None,
            p => Some(Found::Prior(p)),
        },
        Test::KnewCriminalUse => facts.knew_criminal_use.then_some(Found::KnewCriminalUse),
        Test::TrackingUsedInCrime => facts
            .tracking_used_in_crime
            .then_some(Found::TrackingUsedInCrime),
        Test::Consequence(list) => {
            let mut hit: Vec<Consequence> = list
                .iter()
                .filter(|c| facts.consequences.contains(c))
                .copied()
                .collect();
            hit.dedup();
            (!hit.is_empty()).then_some(Found::Consequences(hit))
        }
    }
}

/// The rule set that decides an article for this subject: the subject's
/// own, unless one of its exclusions holds (business falls under Art. 6
/// only for information outside tiers A and B that was not sold or provided
/// on), and then the one it names instead, with the exclusions that held.
fn choose_regime(
    article: Article,
    m: &Measures,
    facts: &CaseFacts,
) -> (&'static RegimeRow, Vec<&'static (Exclusion, Text)>) {
    let of_article = || REGIMES.iter().filter(|r| r.article == article);
    let Some(own) = of_article()
        .find(|r| r.subjects.contains(&facts.subject))
        .or_else(|| of_article().next())
    else {
        return (&REGIMES[0], Vec::new());
    };
    let n = tier_totals(m.get(own.unit), &own.tiers);
    let via: Vec<&'static (Exclusion, Text)> = own
        .unless
        .iter()
        .filter(|(e, _)| match e {
            Exclusion::HoldsTier(tiers) => tiers.iter().any(|t| n[t.index()] > 0),
            Exclusion::ProvidedOnward => facts.provided_onward,
        })
        .collect();
    match own.instead {
        Some(instead) if !via.is_empty() => (instead.row(), via),
        _ => (own, Vec::new()),
    }
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
            Test::ProRata { factor: k, .. } => {
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

fn assess_article(article: Article, m: &Measures, facts: &CaseFacts) -> ArticleFinding {
    let (regime, via) = choose_regime(article, m, facts);
    let n = tier_totals(m.get(regime.unit), &regime.tiers);
    let case = Case {
        n,
        facts,
        standards: standards(regime.regime),
    };

    let mut held: Vec<Held> = rows(regime.regime)
        .filter_map(|rule| found(rule, &case).map(|found| Held { rule, found }))
        .collect();
    // A pro-rata row that says so counts only where no single tier reaches
    // its number (Interp-2017 Art.5(1)(6), Interp-2019 Art.4(4)).
    let tier_levels: Vec<Level> = held
        .iter()
        .filter(|h| matches!(h.rule.test, Test::Tier(..)))
        .map(|h| h.rule.level)
        .collect();
    held.retain(|h| {
        !(matches!(
            h.rule.test,
            Test::ProRata {
                unless_a_tier: true,
                ..
            }
        ) && tier_levels.contains(&h.rule.level))
    });
    held.sort_by_key(|h| std::cmp::Reverse(h.rule.level));
    let level = held.iter().map(|h| h.rule.level).max().unwrap_or_default();

    let shown = case
        .standards
        .tiers
        .or_else(|| regime.reference.and_then(|r| standards(r).tiers));
    let weighted = shown.map_or(0.0, |t| {
        let (s, l) = scaled_sum(&n, &t);
        display_w(s, l)
    });
    let [a, b, c] = case.standards.tiers.map_or([None; 3], |t| t.map(Some));
    ArticleFinding {
        article,
        regime,
        via,
        level,
        weighted,
        thresholds: Thresholds {
            a,
            b,
            c,
            gains_rmb: case.standards.gains,
        },
        held,
        next: next_step(article, regime.regime, level, &case),
        totals: n,
    }
}

/// The legal assessment of the measures (on the basis the user chose) and
/// the case facts, for both articles.
pub fn assess(m: &Measures, facts: &CaseFacts) -> Findings {
    let articles: Vec<ArticleFinding> = Article::ALL
        .iter()
        .map(|&a| assess_article(a, m, facts))
        .collect();
    let level = |a: Article| {
        articles
            .iter()
            .find(|f| f.article == a)
            .map_or(Level::None, |f| f.level)
    };
    let (a253, a286) = (level(Article::A253_1), level(Article::A286_1));
    let mut notes = Vec::new();
    if a253 >= Level::Serious && a286 >= Level::Serious {
        notes.push(Note::BothArticles { a253, a286 });
    }
    Findings {
        subject: facts.subject,
        articles,
        notes,
    }
}

#[cfg(test)]
mod tests;
