//! `tiaoshu explain`: the thresholds and counting rules as the tool applies
//! them, read from the law table.

use std::fmt::Write as _;

use super::law::{level_name, provision, text};
use super::words::{tr, Lang};
use crate::assess::{
    criminal_tier, lcm, pro_rata_levels, rows, standards, Article, RegimeRow, Rule, REGIMES,
};
use crate::model::{Kind, Level, Tier};

/// A row as `explain` prints it.
fn render_rule(rule: &Rule, lang: Lang) -> String {
    format!("    {}  {}", rule.cite, provision(rule, lang))
}

fn tier_members(tier: Tier, lang: Lang) -> String {
    let names: Vec<&str> = Kind::ALL
        .iter()
        .filter(|&&k| criminal_tier(k) == tier)
        .map(|k| match lang {
            Lang::En => k.en(),
            Lang::Zh => k.zh(),
        })
        .collect();
    names.join(tr(lang, ", ", "、"))
}

fn explain_regime(out: &mut String, regime: &RegimeRow, lang: Lang) {
    let article = regime.article;
    let std = standards(regime.regime);
    let _ = writeln!(out, "  [{}] {}", regime.name.en, text(regime.who, lang));
    if let Some(t) = std.tiers {
        let l = lcm(&t);
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
        let factors = pro_rata_levels(article);
        let first = factors.first().map_or(1, |&(_, k)| k);
        let more: String = factors
            .iter()
            .skip(1)
            .map(|&(level, k)| match lang {
                Lang::En => format!("; {k} for {}", level_name(level, article, lang)),
                Lang::Zh => format!("；{} k = {k}", level_name(level, article, lang)),
            })
            .collect();
        let _ = writeln!(
            out,
            "    {}: {} >= {}·k  (k = {first}{more})",
            tr(lang, "exact pro-rata test", "按相应比例合计的精确整数比较"),
            coef.join(" + "),
            l,
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
        let here: Vec<&Rule> = rows(regime.regime).filter(|r| r.level == level).collect();
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
    let row = article.row();
    let _ = writeln!(out, "{}", text(row.heading, lang));
    for regime in REGIMES.iter().filter(|r| r.article == article) {
        explain_regime(out, regime, lang);
    }
    for &note in row.notes {
        let _ = writeln!(out, "  - {}", text(note, lang));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::RULES;

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
}
