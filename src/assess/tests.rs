//! The law, threshold by threshold, through the JSON the report words from
//! the findings.

use super::*;
use crate::report::law::{assessment, ArticleAssessment, Assessment};
use crate::report::Lang;

/// The assessment as the JSON words it.
fn assess(c: &KindCounts, f: &CaseFacts) -> Assessment {
    assessment(&super::assess(&Measures::records(*c), f))
}

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
    for row in &REGIMES {
        let g = row.regime;
        assert!(rows(g).next().is_some(), "{g:?} has no rows");
        assert!(std::ptr::eq(g.row(), row), "{g:?} finds another row");
        assert_eq!(g.article(), row.article);
        assert!(row.instead.is_none() || !row.unless.is_empty());
    }
    for a in Article::ALL {
        assert_eq!(a.row().article, a);
        // Every subject has a rule set under every article.
        for s in [Subject::Ordinary, Subject::Duty, Subject::Business] {
            assert!(
                REGIMES
                    .iter()
                    .any(|r| r.article == a && r.subjects.contains(&s)),
                "{a:?} {s:?}"
            );
        }
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
