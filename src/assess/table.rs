//! The law as data: the articles, the rule sets (regimes) each applies to
//! a kind of subject, and one row per ground with its citation, test and
//! the interpretation's own words. To change the law, change a row; to add
//! a regime — one that counts another unit, say — add a `Regime` and its
//! row in [`REGIMES`], and its grounds in [`RULES`].
//!
//! Wording computed from a case (what held, with its numbers) is the
//! report's (`report/law.rs`); what the law itself says is here, in both
//! languages.

use crate::model::*;

/// A text of the law in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

const fn text(en: &'static str, zh: &'static str) -> Text {
    Text { en, zh }
}

/// The two offences the tool assesses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
        self.row().key
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

    /// Its row of [`ARTICLES`].
    pub fn row(self) -> &'static ArticleRow {
        match self {
            Article::A253_1 => &ARTICLES[0],
            Article::A286_1 => &ARTICLES[1],
        }
    }

    /// The heaviest level the article knows: Art. 286-1 has one tier only.
    pub fn top(self) -> Level {
        self.row()
            .levels
            .iter()
            .map(|l| l.level)
            .max()
            .unwrap_or_default()
    }

    /// A level's name under this article, as the law says it.
    pub fn level_name(self, level: Level) -> Text {
        let name = |a: &ArticleRow| a.levels.iter().find(|l| l.level == level).map(|l| l.name);
        // A level the article does not know is named as the other article names it.
        name(self.row())
            .or_else(|| ARTICLES.iter().find_map(name))
            .unwrap_or(NO_LEVEL)
    }
}

/// What an article says of itself: its key, its name, the levels it knows
/// and their names, and what `explain` adds about it.
#[derive(Debug)]
pub struct ArticleRow {
    pub article: Article,
    pub key: &'static str,
    pub heading: Text,
    pub levels: &'static [LevelRow],
    pub notes: &'static [Text],
}

#[derive(Debug)]
pub struct LevelRow {
    pub level: Level,
    pub name: Text,
}

/// The name of no level.
pub const NO_LEVEL: Text = text("none", "不构成");

pub static ARTICLES: [ArticleRow; 2] = [
    ArticleRow {
        article: Article::A253_1,
        key: "253-1",
        heading: text(
            "Criminal Law Art. 253-1 — infringing citizens' personal information (Interp-2017, Fa Shi [2017] No. 10)",
            "刑法第二百五十三条之一 侵犯公民个人信息罪（《最高人民法院、最高人民检察院关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释》，法释〔2017〕10号）",
        ),
        levels: &[
            LevelRow { level: Level::Serious, name: text("serious", "情节严重") },
            LevelRow { level: Level::EspeciallySerious, name: text("especially serious", "情节特别严重") },
        ],
        notes: &[text(
            "a single tier at 10 times its number implies the pro-rata sum >= 10",
            "单一类别达到十倍标准即按相应比例合计达到十倍",
        )],
    },
    ArticleRow {
        article: Article::A286_1,
        key: "286-1",
        heading: text(
            "Criminal Law Art. 286-1 — refusing to perform information-network security management duties, \
             causing user information to leak with serious consequences (Interp-2019, Fa Shi [2019] No. 15, Art. 4)",
            "刑法第二百八十六条之一 拒不履行信息网络安全管理义务罪：致使用户信息泄露，造成严重后果的（法释〔2019〕15号 第四条）",
        ),
        levels: &[LevelRow {
            level: Level::Serious,
            name: text("serious (serious consequences)", "造成严重后果"),
        }],
        notes: &[
            text(
                "one tier only: the level is none or serious; subject and illegal gains do not change the thresholds",
                "仅一档：不构成或造成严重后果；主体身份与违法所得不改变标准",
            ),
            text(
                "a vile social impact is not a ground of Interp-2019 Art.4",
                "恶劣社会影响不是第四条规定的情形",
            ),
            text(
                "assumes the regulator's correction order was refused (Art. 286-1 para 1)",
                "假定已经监管部门责令采取改正措施而拒不改正（刑法第二百八十六条之一第一款）",
            ),
            text(
                "where one act meets both Art. 286-1 and Art. 253-1, the heavier applies (Art. 286-1 para 3)",
                "同时构成其他犯罪的，依照处罚较重的规定定罪处罚（刑法第二百八十六条之一第三款）",
            ),
        ],
    },
];

/// What an assessment counts: records (items, 条) today; persons (人) are
/// the unit of the compliance regimes to come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    Records,
}

/// The tier of each kind (`Kind::index` order) under Interp-2017 Art. 5
/// para 1 items 3–5 and Interp-2019 Art. 4 items 1–3, which group the
/// kinds alike: A tracking, communication content, credit, property; B
/// accommodation, communication records, health, transaction, other
/// safety-relevant; C the rest.
pub const CRIMINAL_TIERS: [Tier; Kind::COUNT] = {
    let mut t = [Tier::C; Kind::COUNT];
    t[Kind::Tracking as usize] = Tier::A;
    t[Kind::CommContent as usize] = Tier::A;
    t[Kind::Credit as usize] = Tier::A;
    t[Kind::Property as usize] = Tier::A;
    t[Kind::Accommodation as usize] = Tier::B;
    t[Kind::CommRecords as usize] = Tier::B;
    t[Kind::Health as usize] = Tier::B;
    t[Kind::Transaction as usize] = Tier::B;
    t[Kind::OtherSafety as usize] = Tier::B;
    t[Kind::General as usize] = Tier::C;
    t
};

/// A set of standards the law applies to one kind of subject; its row in
/// [`REGIMES`] says who falls under it, and its grounds are the rows of
/// [`RULES`] that name it.
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
    /// Its row of [`REGIMES`].
    pub fn row(self) -> &'static RegimeRow {
        REGIMES
            .iter()
            .find(|r| r.regime == self)
            .unwrap_or(&REGIMES[0])
    }

    pub fn article(self) -> Article {
        self.row().article
    }
}

/// When a rule set does not apply to its subject after all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exclusion {
    /// The data holds items of one of these tiers.
    HoldsTier(&'static [Tier]),
    /// The information was sold or provided on.
    ProvidedOnward,
}

/// A rule set: which article, who falls under it, what it counts and how
/// the kinds group into tiers, what it takes for granted.
#[derive(Debug, PartialEq)]
pub struct RegimeRow {
    pub regime: Regime,
    pub article: Article,
    /// The `rule_set` of the report.
    pub name: Text,
    /// Who falls under it, for `explain`.
    pub who: Text,
    /// The subjects it applies to.
    pub subjects: &'static [Subject],
    /// When it does not apply after all (each with the provision that
    /// says so), and the rule set that applies then.
    pub unless: &'static [(Exclusion, Text)],
    pub instead: Option<Regime>,
    pub unit: Unit,
    pub tiers: [Tier; Kind::COUNT],
    /// The rule set whose thresholds `weighted` is shown against when this
    /// one has none (reference only).
    pub reference: Option<Regime>,
    pub assumptions: &'static [Text],
}

const ALL_SUBJECTS: &[Subject] = &[Subject::Ordinary, Subject::Duty, Subject::Business];

/// The rule sets, each article's in the order `explain` lists them.
pub static REGIMES: [RegimeRow; 4] = [
    RegimeRow {
        regime: Regime::Art5,
        article: Article::A253_1,
        name: text("Interp-2017 Art.5", "法释〔2017〕10号第五条"),
        who: text(
            "subject `ordinary` (and `business` outside Art. 6)",
            "一般主体（ordinary；不适用第六条的 business 亦同）",
        ),
        subjects: &[Subject::Ordinary],
        unless: &[],
        instead: None,
        unit: Unit::Records,
        tiers: CRIMINAL_TIERS,
        reference: None,
        assumptions: &[ART5_COURT],
    },
    RegimeRow {
        regime: Regime::Art5Duty,
        article: Article::A253_1,
        name: text(
            "Interp-2017 Art.5 (duty: item 8, half)",
            "法释〔2017〕10号第五条（第一款第八项，标准减半）",
        ),
        who: text(
            "subject `duty`: sells or provides information obtained while performing duties or providing services",
            "duty：将在履行职责或者提供服务过程中获得的公民个人信息出售或者提供给他人",
        ),
        subjects: &[Subject::Duty],
        unless: &[],
        instead: None,
        unit: Unit::Records,
        tiers: CRIMINAL_TIERS,
        reference: None,
        assumptions: &[ART5_COURT],
    },
    RegimeRow {
        regime: Regime::Art6Business,
        article: Article::A253_1,
        name: text(
            "Interp-2017 Art.6 (business)",
            "法释〔2017〕10号第六条（为合法经营活动）",
        ),
        who: text(
            "subject `business`: buys or receives information outside tiers A and B for a lawful business activity; \
             applies only when the data holds no tier A or B item and nothing was sold or provided on \
             (otherwise Art. 5 as for ordinary, Art. 6 para 2); volume alone is never serious, no 10x rule",
            "business：为合法经营活动而非法购买、收受第五条第一款第三项、第四项规定以外的公民个人信息；\
             数据含A类或B类信息，或者将其出售、提供的（第六条第二款），适用第五条；数量本身不构成情节严重，不适用十倍标准",
        ),
        subjects: &[Subject::Business],
        unless: &[
            (
                Exclusion::HoldsTier(&[Tier::A, Tier::B]),
                text(
                    "Art.6 para 1 (data holds tier A/B items, which Art.6 does not cover)",
                    "第六条第一款（数据含A类或B类信息，不属第六条范围）",
                ),
            ),
            (
                Exclusion::ProvidedOnward,
                text(
                    "Art.6 para 2 (information sold or provided on)",
                    "第六条第二款（将信息出售或者提供给他人）",
                ),
            ),
        ],
        instead: Some(Regime::Art5),
        unit: Unit::Records,
        tiers: CRIMINAL_TIERS,
        reference: Some(Regime::Art5),
        assumptions: &[
            text(
                "assumes the information was bought or received for a lawful business activity (Interp-2017 Art.6 para 1)",
                "假定信息系为合法经营活动而购买、收受（法释〔2017〕10号第六条第一款）",
            ),
            text(
                "volume does not decide under Interp-2017 Art.6; `weighted` is shown against the Art.5 ordinary standards for reference only",
                "依第六条，数量本身不决定情节；比例合计值按第五条一般主体标准计算，仅供参考",
            ),
            text(
                "Interp-2017 Art.6(1)(3) (other serious circumstances) is for the court and not assessed",
                "第六条第一款第三项（其他情节严重的情形）由法院认定，本工具不作评估",
            ),
        ],
    },
    RegimeRow {
        regime: Regime::Interp2019Art4,
        article: Article::A286_1,
        name: text("Interp-2019 Art.4", "法释〔2019〕15号第四条"),
        who: text(
            "any subject: the thresholds are not halved and illegal gains play no part",
            "任何主体：标准不减半，违法所得不影响认定",
        ),
        subjects: ALL_SUBJECTS,
        unless: &[],
        instead: None,
        unit: Unit::Records,
        tiers: CRIMINAL_TIERS,
        reference: None,
        assumptions: &[
            text(
                "assumes the regulator's correction order was refused (Art. 286-1 para 1)",
                "假定行为人经监管部门责令采取改正措施而拒不改正（刑法第二百八十六条之一第一款）",
            ),
            text(
                "assumes a network service provider let the counted items of user information leak (Interp-2019 Art.4)",
                "假定网络服务提供者致使所计条数的用户信息泄露（法释〔2019〕15号第四条）",
            ),
            text(
                "Interp-2019 Art.4(7)-(8) (serious disruption of social order, other serious consequences) are for the court and not assessed",
                "法释〔2019〕15号第四条第七项、第八项（严重扰乱社会秩序、其他严重后果）由法院认定，本工具不作评估",
            ),
        ],
    },
];

const ART5_COURT: Text = text(
    "Interp-2017 Art.5(1)(10) and Art.5(2)(4) (other serious / especially serious circumstances) are for the court and not assessed",
    "第五条第一款第十项、第二款第四项（其他情节严重、情节特别严重的情形）由法院认定，本工具不作评估",
);

/// What a row of the table looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Test {
    /// Items of one tier ≥ the number.
    Tier(Tier, u64),
    /// Pro-rata sum of the rule set's serious tier thresholds ≥ `factor`
    /// (按相应比例合计). With `unless_a_tier` it is a ground only when no
    /// `Tier` row of its level holds ("数量未达到……标准，但是按相应比例合计").
    ProRata { factor: u64, unless_a_tier: bool },
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
    pub fn number(self) -> Option<u64> {
        match self {
            Test::Tier(_, n) | Test::ProRata { factor: n, .. } | Test::Gains(n) => Some(n),
            _ => None,
        }
    }
}

/// One ground of the law: under `regimes`, `test` reaches `level`.
#[derive(Clone, Copy, Debug, PartialEq)]
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
use Test::{Gains, KnewCriminalUse, Prior, TrackingUsedInCrime};

/// Pro rata where no single tier reaches its number (Interp-2017 Art.5(1)(6),
/// Interp-2019 Art.4(4)).
const PRO_RATA: Test = Test::ProRata {
    factor: 1,
    unless_a_tier: true,
};
/// Pro rata at ten times the standards (Interp-2017 Art.5(2)(3)).
const PRO_RATA_10X: Test = Test::ProRata {
    factor: 10,
    unless_a_tier: false,
};

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
    rule(A253_1, ART5, SERIOUS, "Interp-2017 Art.5(1)(6)", PRO_RATA,
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
    rule(A253_1, DUTY, SERIOUS, "Interp-2017 Art.5(1)(8) with Art.5(1)(6)", PRO_RATA,
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
    rule(A253_1, ART5, ESPECIALLY, "Interp-2017 Art.5(2)(3)", PRO_RATA_10X,
        "quantity at 10 times the standards of items 3-8: nA/50 + nB/500 + nC/5000 >= {t}",
        "数量达到前款第三项至第八项规定标准十倍以上的（按相应比例合计 nA/50 + nB/500 + nC/5000 ≥ {t}）"),
    rule(A253_1, ART5, ESPECIALLY, "Interp-2017 Art.5(2)(3)", Gains(50_000),
        "amount at 10 times the standards of items 3-8 (item 7): illegal gains of {t} RMB or more",
        "数额达到前款第三项至第八项规定标准十倍以上的（第七项：违法所得{t}元以上）"),
    rule(A253_1, DUTY, ESPECIALLY, "Interp-2017 Art.5(2)(3) with Art.5(1)(8)", PRO_RATA_10X,
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
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(4)", PRO_RATA,
        "pro-rata: no single tier reaches its number, but nA/500 + nB/5000 + nC/50000 >= {t}",
        "数量虽未达到第一项至第三项规定标准，但是按相应比例折算合计达到有关数量标准的（nA/500 + nB/5000 + nC/50000 ≥ {t}）"),
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(5)", Test::Consequence(HARM),
        "caused another's death, serious injury, mental disorder or kidnapping",
        "造成他人死亡、重伤、精神失常或者被绑架等严重后果的"),
    rule(A286_1, I2019, SERIOUS, "Interp-2019 Art.4(6)", Test::Consequence(LOSS),
        "caused major economic loss",
        "造成重大经济损失的"),
];
