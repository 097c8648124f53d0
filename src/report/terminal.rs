//! The terminal summary: what a prosecutor reads first. Colour only on a
//! terminal, never with `NO_COLOR`; no personal data at all.

use std::fmt::Write as _;

use super::json::{key, Report};
use crate::model::{Kind, Level};

/// ANSI styling, or none.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn level(self, level: Level) -> String {
        let (code, text) = match level {
            Level::None => ("2", "none"),
            Level::Serious => ("1;33", "SERIOUS (情节严重)"),
            Level::EspeciallySerious => ("1;31", "ESPECIALLY SERIOUS (情节特别严重)"),
        };
        self.paint(code, text)
    }
}

/// Thousands separators, for people.
pub fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn render(r: &Report, style: Style) -> String {
    let mut o = String::new();
    let t = &r.totals;
    if r.inputs.is_empty() && r.errors.is_empty() && r.skipped.is_empty() && t.records == 0 {
        // `assess --counts`: no scan, only the numbers given
        let _ = writeln!(
            o,
            "{} {} — assessment of given counts: {} items",
            style.paint("1", "tiaoshu"),
            r.tool.version,
            num(t.pi_records)
        );
    } else {
        let _ = writeln!(
        o,
        "{} {} — {} input{}, {} bytes, {} records: {} personal-information records, {} masked, {} bare phone numbers",
        style.paint("1", "tiaoshu"),
        r.tool.version,
        num(r.inputs.len() as u64),
        if r.inputs.len() == 1 { "" } else { "s" },
        num(t.bytes),
        num(t.records),
        num(t.pi_records),
                num(t.masked),
        num(t.bare),
    );
    }
    if t.errors > 0 || t.skipped > 0 {
        let _ = writeln!(
            o,
            "{}",
            style.paint(
                "1;31",
                &format!(
                    "{} input error{} and {} skipped file{}:",
                    num(t.errors),
                    if t.errors == 1 { "" } else { "s" },
                    num(t.skipped),
                    if t.skipped == 1 { "" } else { "s" },
                )
            )
        );
        const SHOWN: usize = 5;
        for e in r.errors.iter().take(SHOWN) {
            let at = if e.position == crate::model::Place::Whole {
                String::new()
            } else {
                format!(" ({})", e.position)
            };
            let _ = writeln!(o, "  error    {}{at}: {}", e.path, e.message);
        }
        if r.errors.len() > SHOWN {
            let _ = writeln!(
                o,
                "  … and {} more errors (all in --json)",
                num((r.errors.len() - SHOWN) as u64)
            );
        }
        for s in r.skipped.iter().take(SHOWN) {
            let _ = writeln!(o, "  skipped  {}: {}", s.path, s.reason);
        }
        if r.skipped.len() > SHOWN {
            let _ = writeln!(
                o,
                "  … and {} more skipped files (all in --json)",
                num((r.skipped.len() - SHOWN) as u64)
            );
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:<14} {:<4} {:>12} {:>10} {:>10} {:>12}  类别",
        "kind", "tier", "seized", "invalid", "duplicate", "counted"
    );
    for (kind, row) in &r.kinds.0 {
        let k = &row.tally;
        let line = format!(
            "{:<14} {:<4} {:>12} {:>10} {:>10} {:>12}  {}",
            kind.key(),
            row.tier,
            num(k.seized),
            num(k.invalid),
            num(k.duplicate),
            num(k.counted),
            kind.zh()
        );
        let _ = writeln!(
            o,
            "{}",
            if k.seized == 0 {
                style.paint("2", &line)
            } else {
                line
            }
        );
        if let (Kind::Tracking, true, Some(persons)) = (*kind, k.counted > 0, row.persons) {
            let _ = writeln!(
                o,
                "{:<19} {} distinct tracked person{}",
                "",
                num(persons),
                if persons == 1 { "" } else { "s" }
            );
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "subject: {}   basis: {}",
        r.assessment.subject.key(),
        key(&r.policies.basis)
    );
    for a in &r.assessment.articles {
        let _ = writeln!(
            o,
            "Art. {}: {}   (weighted {:.4}; {})",
            a.article.key(),
            style.level(a.level),
            a.weighted,
            a.rule_set
        );
        for g in &a.grounds {
            let _ = writeln!(o, "  ground: {} — {}", g.rule, g.text);
        }
        if let Some(n) = &a.next {
            let mut parts = Vec::new();
            if let Some(items) = &n.items_needed {
                parts.push(format!(
                    "{} more tier-A, or {} tier-B, or {} tier-C items",
                    num(items.a),
                    num(items.b),
                    num(items.c)
                ));
            }
            if let Some(g) = n.gains_needed_rmb {
                parts.push(format!("{} RMB more illegal gains", num(g)));
            }
            if !parts.is_empty() {
                let _ = writeln!(o, "  to {}: {}", n.level.key(), parts.join("; or "));
            }
        }
    }
    for note in &r.assessment.notes {
        let _ = writeln!(o, "note: {note}");
    }
    let moved: Vec<String> = r
        .policy_effects
        .iter()
        .map(|p| {
            if p.policy == "track_unit" {
                let tracking = &r.kinds.get(Kind::Tracking);
                format!(
                    "{}={} ({} points, {} persons)",
                    p.policy,
                    p.value,
                    num(tracking.tally.counted),
                    num(tracking.persons.unwrap_or(0))
                )
            } else {
                format!(
                    "{}={} ({} records moved)",
                    p.policy,
                    p.value,
                    num(p.records)
                )
            }
        })
        .collect();
    if !moved.is_empty() {
        let _ = writeln!(o, "policies: {}", moved.join(", "));
    }
    o
}
