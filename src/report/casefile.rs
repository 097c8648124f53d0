//! The case-file report (`--report FILE.html|FILE.md`): what it says, in
//! which order, as a list of blocks that the HTML and Markdown writers
//! format. Everything comes from the JSON report ([`Doc`]); nothing is
//! decided here.

use super::blocks::Block;
use super::doc::Doc;
use super::law::ArticleAssessment;
use super::terminal::num;
use super::words::Lang;
use super::words::{self, cite, kind_name, level_name, words, Words};
use crate::assess::TierTotals;
use crate::model::Kind;
use crate::tally::found::Status;

/// Errors listed in the report; the rest are in the JSON.
const ERRORS_SHOWN: usize = 100;

fn table(head: &[&str], rows: Vec<Vec<String>>, numeric: &[usize], mono: &[usize]) -> Block {
    Block::Table {
        head: head.iter().map(|h| h.to_string()).collect(),
        numeric: (0..head.len()).map(|i| numeric.contains(&i)).collect(),
        mono: (0..head.len()).map(|i| mono.contains(&i)).collect(),
        rows,
    }
}

fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (k, v) in pairs {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// The report's blocks, in order.
pub fn build(doc: &Doc, lang: Lang) -> Vec<Block> {
    let w = words(lang);
    let mut out = vec![Block::Title {
        title: w.title.to_string(),
        subtitle: format!("{} — {} {}", w.subtitle, doc.tool.name, doc.tool.version),
    }];
    verdict(doc, lang, w, &mut out);
    chart(doc, lang, w, &mut out);
    kinds(doc, lang, w, &mut out);
    policies_and_case(doc, lang, w, &mut out);
    inputs(doc, w, &mut out);
    samples(doc, lang, w, &mut out);
    out.push(Block::Heading(w.method.to_string()));
    for p in w.method_text {
        out.push(Block::Para(p.to_string()));
    }
    out
}

fn zh_or<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh if !zh.is_empty() => zh,
        _ => en,
    }
}

fn verdict(doc: &Doc, lang: Lang, w: &Words, out: &mut Vec<Block>) {
    out.push(Block::Heading(w.verdict.to_string()));
    for a in &doc.assessment.articles {
        let mut rows = vec![
            (
                w.level.to_string(),
                level_name(a.level, a.article, lang).to_string(),
            ),
            (
                w.rule_set.to_string(),
                match lang {
                    Lang::Zh if !a.rule_set_zh.is_empty() => a.rule_set_zh.clone(),
                    _ => cite(&a.rule_set, lang),
                },
            ),
            (w.weighted.to_string(), format!("{:.4}", a.weighted)),
        ];
        if a.grounds.is_empty() {
            rows.push((w.grounds.to_string(), w.no_ground.to_string()));
        }
        for g in &a.grounds {
            let provision = zh_or(lang, &g.provision_zh, &g.provision_en);
            let provision = if provision.is_empty() {
                String::new()
            } else {
                format!(" — {provision}")
            };
            let (open, close, stop, colon) = match lang {
                Lang::Zh => ("（", "）", "。", "："),
                Lang::En => (" (", ")", ". ", ": "),
            };
            rows.push((
                format!(
                    "{}{open}{}{close}",
                    w.grounds,
                    level_name(g.level, a.article, lang)
                ),
                format!(
                    "{}{provision}{stop}{}{colon}{}",
                    cite(&g.rule, lang),
                    w.computation,
                    zh_or(lang, &g.text_zh, &g.text)
                ),
            ));
        }
        rows.push((w.to_next.to_string(), next(a, lang, w)));
        let assumptions = if lang == Lang::Zh && !a.assumptions_zh.is_empty() {
            &a.assumptions_zh
        } else {
            &a.assumptions
        };
        if !assumptions.is_empty() {
            rows.push((w.assumptions.to_string(), assumptions.join("; ")));
        }
        out.push(Block::Verdict {
            level: a.level,
            title: words::article_name(a.article, lang).to_string(),
            rows,
        });
    }
    let notes = if lang == Lang::Zh && !doc.assessment.notes_zh.is_empty() {
        &doc.assessment.notes_zh
    } else {
        &doc.assessment.notes
    };
    if !notes.is_empty() {
        out.push(Block::Subheading(w.notes.to_string()));
        out.push(Block::List(notes.clone()));
    }
}

fn next(a: &ArticleAssessment, lang: Lang, w: &Words) -> String {
    let Some(n) = &a.next else {
        return w.at_top.to_string();
    };
    let mut parts = vec![level_name(n.level, a.article, lang).to_string()];
    if let Some(i) = &n.items_needed {
        parts.push(fill(
            w.items_needed,
            &[("a", num(i.a)), ("b", num(i.b)), ("c", num(i.c))],
        ));
    }
    if let Some(g) = n.gains_needed_rmb {
        parts.push(fill(w.gains_needed, &[("g", num(g))]));
    }
    parts.join(match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    })
}

fn chart(doc: &Doc, lang: Lang, w: &Words, out: &mut Vec<Block>) {
    let n: &TierTotals = &doc.assessment.basis_counts;
    let charts: Vec<Block> = doc
        .assessment
        .articles
        .iter()
        .filter_map(|a| {
            super::chart::svg(a, n, lang).map(|svg| Block::Chart {
                caption: words::article_name(a.article, lang).to_string(),
                svg,
            })
        })
        .collect();
    if charts.is_empty() {
        return;
    }
    out.push(Block::Heading(w.chart.to_string()));
    out.extend(charts);
    out.push(Block::Para(w.chart_caption.to_string()));
}

fn kinds(doc: &Doc, lang: Lang, w: &Words, out: &mut Vec<Block>) {
    out.push(Block::Heading(w.kinds.to_string()));
    let t253 = doc
        .assessment
        .articles
        .first()
        .and_then(|a| a.thresholds.tiers());
    let kinds = doc.kinds();
    let mut rows = Vec::new();
    for (k, row) in &kinds {
        let tier = match row.tier.as_str() {
            "A" => 0,
            "B" => 1,
            _ => 2,
        };
        rows.push(vec![
            format!("{} ({})", kind_name(*k, lang), k.key()),
            row.tier.clone(),
            num(row.seized),
            num(row.invalid),
            num(row.duplicate),
            num(row.counted),
            t253.map_or_else(|| "—".into(), |t| num(t[tier])),
        ]);
    }
    out.push(table(
        &[
            w.kind,
            w.tier,
            w.seized,
            w.invalid,
            w.duplicate,
            w.counted,
            w.threshold,
        ],
        rows,
        &[2, 3, 4, 5, 6],
        &[],
    ));
    let basis = doc.policies.get("basis").cloned().unwrap_or_default();
    let n = &doc.assessment.basis_counts;
    let mut facts: Vec<String> = ["A", "B", "C"]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "{}: {}",
                fill(w.tier_total, &[("t", t.to_string())]),
                num(n.get(i))
            )
        })
        .collect();
    facts.push(fill(
        w.basis_used,
        &[("b", words::basis_name(&basis, lang))],
    ));
    for (k, row) in &kinds {
        if let Some(p) = row.persons.filter(|_| row.counted > 0) {
            facts.push(format!("{}: {} {}", kind_name(*k, lang), num(p), w.persons));
        }
    }
    out.push(Block::List(facts));
    let reasons: Vec<String> = kinds
        .iter()
        .flat_map(|(k, row)| {
            row.invalid_reasons.iter().map(move |(why, n)| {
                format!(
                    "{}: {} — {}",
                    kind_name(*k, lang),
                    words::reason_text(why, lang),
                    num(*n)
                )
            })
        })
        .collect();
    if !reasons.is_empty() {
        out.push(Block::Subheading(w.invalid_reasons.to_string()));
        out.push(Block::List(reasons));
    }
    let co: Vec<String> = kinds
        .iter()
        .filter(|(_, row)| !row.co_occurring.is_empty())
        .map(|(k, row)| {
            let others: Vec<String> = row
                .co_occurring
                .iter()
                .map(|(o, n)| {
                    let name =
                        crate::model::Kind::from_key(o).map_or(o.as_str(), |o| kind_name(o, lang));
                    format!("{name} {}", num(*n))
                })
                .collect();
            format!("{}: {}", kind_name(*k, lang), others.join(", "))
        })
        .collect();
    if !co.is_empty() {
        out.push(Block::Subheading(w.co_occurring.to_string()));
        out.push(Block::List(co));
    }
}

fn policies_and_case(doc: &Doc, lang: Lang, w: &Words, out: &mut Vec<Block>) {
    out.push(Block::Heading(w.policies.to_string()));
    let (points, persons) = doc
        .kinds()
        .into_iter()
        .find(|(k, _)| *k == Kind::Tracking)
        .map_or((0, 0), |(_, t)| (t.counted, t.persons.unwrap_or(0)));
    let rows = doc
        .policy_effects
        .iter()
        .map(|p| {
            let effect = match lang {
                Lang::Zh => words::policy_effect_zh(&p.policy, &p.value, points, persons),
                Lang::En => None,
            };
            vec![
                p.policy.clone(),
                p.value.clone(),
                num(p.records),
                effect.unwrap_or_else(|| p.effect.clone()),
            ]
        })
        .collect();
    out.push(table(
        &[w.policy, w.value, w.records_moved, w.effect],
        rows,
        &[2],
        &[0, 1],
    ));

    out.push(Block::Heading(w.case.to_string()));
    let c = &doc.case;
    let l = words::fact_labels(lang);
    let yes_no = |b: bool| if b { w.yes } else { w.no }.to_string();
    let consequences = if c.consequences.is_empty() {
        w.none.to_string()
    } else {
        c.consequences
            .iter()
            .map(|&x| words::consequence_name(x, lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows = vec![
        vec![l[0].into(), words::subject_name(c.subject, lang).into()],
        vec![l[1].into(), num(c.illegal_gains_rmb)],
        vec![
            l[2].into(),
            words::prior_name(c.prior_punishment, lang).into(),
        ],
        vec![l[3].into(), yes_no(c.knew_criminal_use)],
        vec![l[4].into(), yes_no(c.tracking_used_in_crime)],
        vec![l[5].into(), consequences],
        vec![l[6].into(), yes_no(c.provided_onward)],
    ];
    out.push(table(&[w.fact, w.value], rows, &[], &[]));
    if !doc.recipients.is_empty() {
        out.push(Block::Subheading(w.recipients.to_string()));
        out.push(Block::List(
            doc.recipients
                .iter()
                .map(|r| format!("{}: {} {}", r.name, num(r.files), w.inputs))
                .collect(),
        ));
    }
}

fn inputs(doc: &Doc, w: &Words, out: &mut Vec<Block>) {
    out.push(Block::Heading(w.inputs.to_string()));
    let t = &doc.totals;
    out.push(Block::Para(fill(
        w.inputs_summary,
        &[
            ("n", num(doc.inputs.len() as u64)),
            ("bytes", num(t.bytes)),
            ("records", num(t.records)),
            ("pi", num(t.pi_records)),
            ("masked", num(t.masked)),
            ("bare", num(t.bare)),
            ("errors", num(t.errors)),
            ("skipped", num(t.skipped)),
        ],
    )));
    let rows = doc
        .inputs
        .iter()
        .map(|i| {
            let encoding = match &i.compression {
                Some(c) => format!("{} ({c})", i.encoding),
                None => i.encoding.clone(),
            };
            vec![
                i.path.clone(),
                i.format.clone(),
                encoding,
                num(i.bytes),
                i.sha256.clone(),
                num(i.records),
                num(i.errors),
            ]
        })
        .collect();
    out.push(table(
        &[
            w.path, w.format, w.encoding, w.size, "SHA-256", w.records, w.errors,
        ],
        rows,
        &[3, 5, 6],
        &[0, 4],
    ));
    if !doc.archives.is_empty() {
        out.push(Block::Subheading(w.archives.to_string()));
        let rows = doc
            .archives
            .iter()
            .map(|a| {
                vec![
                    a.path.clone(),
                    a.format.clone(),
                    num(a.bytes),
                    a.sha256.clone(),
                    num(a.entries),
                ]
            })
            .collect();
        out.push(table(
            &[w.path, w.format, w.size, "SHA-256", w.entries],
            rows,
            &[2, 4],
            &[0, 3],
        ));
    }
    if !doc.skipped.is_empty() {
        out.push(Block::Subheading(w.skipped.to_string()));
        let rows = doc
            .skipped
            .iter()
            .map(|s| vec![s.path.clone(), s.reason.clone(), s.sha256.clone()])
            .collect();
        out.push(table(&[w.path, w.reason, "SHA-256"], rows, &[], &[0, 2]));
    }
    if !doc.errors.is_empty() {
        out.push(Block::Subheading(w.error_list.to_string()));
        let rows = doc
            .errors
            .iter()
            .take(ERRORS_SHOWN)
            .map(|e| vec![e.path.clone(), e.position.clone(), e.message.clone()])
            .collect();
        out.push(table(&[w.path, w.position, w.message], rows, &[], &[0]));
        if doc.errors.len() > ERRORS_SHOWN {
            out.push(Block::Para(fill(
                w.more,
                &[("n", num((doc.errors.len() - ERRORS_SHOWN) as u64))],
            )));
        }
    }
}

fn samples(doc: &Doc, lang: Lang, w: &Words, out: &mut Vec<Block>) {
    let kinds = doc.kinds();
    if kinds.iter().all(|(_, r)| r.samples.is_empty()) {
        return;
    }
    out.push(Block::Heading(w.samples.to_string()));
    out.push(Block::Para(w.samples_intro.to_string()));
    for (k, row) in &kinds {
        if row.samples.is_empty() {
            continue;
        }
        out.push(Block::Subheading(format!(
            "{} ({})",
            kind_name(*k, lang),
            k.key()
        )));
        let rows = row
            .samples
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let status = match (s.status, s.duplicate_of) {
                    (Status::Duplicate, Some(n)) => fill(w.duplicate_of, &[("n", n.to_string())]),
                    (Status::Duplicate, None) => w.status_duplicate.to_string(),
                    (Status::Counted, _) => w.status_counted.to_string(),
                    (Status::Invalid, _) => w.status_invalid.to_string(),
                };
                vec![
                    (i + 1).to_string(),
                    s.path.clone(),
                    s.position.clone(),
                    status,
                    s.identifiers.clone(),
                ]
            })
            .collect();
        out.push(table(
            &["#", w.path, w.position, w.status, w.identifiers],
            rows,
            &[0],
            &[1],
        ));
    }
}
