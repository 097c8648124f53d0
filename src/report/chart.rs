//! The chart of a report: each tier's counted items against its thresholds,
//! and the pro-rata sum, as inline SVG (no script, no external resource).

use std::fmt::Write as _;

use super::html::escape;
use super::law::ArticleAssessment;
use super::words::Lang;
use super::words::{level_name, words};
use crate::assess::{pro_rata_levels, TierTotals};
use crate::model::Level;

const WIDTH: f64 = 680.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 140.0;
const ROW: f64 = 34.0;
const TOP: f64 = 28.0;

/// One article's chart, in units of its serious standard: a tier's bar is
/// n/T, the sum bar is nA/TA + nB/TB + nC/TC; dashed lines mark the
/// pro-rata factor of each level the law gives one (1 serious, and under
/// Art. 253-1 10 especially serious). None when volume does not decide
/// (Interp-2017 Art. 6).
pub fn svg(a: &ArticleAssessment, n: &TierTotals, lang: Lang) -> Option<String> {
    let t = a.thresholds.tiers()?;
    let w = words(lang);
    let values: Vec<f64> = (0..3).map(|i| n.get(i) as f64 / t[i] as f64).collect();
    let sum = a.weighted;
    // The levels volume can reach, at their pro-rata factors (the law's).
    let marks: Vec<(f64, &str)> = pro_rata_levels(a.article)
        .into_iter()
        .map(|(level, k)| (k as f64, level_name(level, a.article, lang)))
        .collect();
    let top_mark = marks.last().map_or(1.0, |m| m.0);
    let max = values
        .iter()
        .copied()
        .chain([sum])
        .fold(top_mark * 1.1, |m: f64, v| m.max(v * 1.05));
    let span = WIDTH - LEFT - RIGHT;
    let x = |v: f64| LEFT + span * (v / max).clamp(0.0, 1.0);
    let height = TOP + ROW * 4.0 + 36.0;
    let id = format!("chart-{}", a.article.key());

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="{id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{}">"#,
        escape(w.chart)
    );
    let _ = write!(s, "<title>{}</title>", escape(w.chart));
    let tier_label = |i: usize| match lang {
        Lang::Zh => format!("{}类", ["A", "B", "C"][i]),
        Lang::En => format!("tier {}", ["A", "B", "C"][i]),
    };
    for i in 0..3 {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" class="label">{}</text><rect x="{LEFT}" y="{}" width="{:.1}" height="18" fill="#5b7ea4"/><text x="{}" y="{}" text-anchor="end" class="value">{} / {} = {:.4}</text>"##,
            LEFT - 8.0,
            y + 14.0,
            escape(&tier_label(i)),
            y + 1.0,
            x(values[i]) - LEFT,
            WIDTH - 4.0,
            y + 14.0,
            n.get(i),
            t[i],
            values[i]
        );
    }
    let y = TOP + ROW * 3.0;
    let color = match a.level {
        Level::None => "#8a8a8a",
        Level::Serious => "#d9822b",
        Level::EspeciallySerious => "#c0392b",
    };
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="end" class="label strong">{}</text><rect x="{LEFT}" y="{}" width="{:.1}" height="22" fill="{color}"/><text x="{}" y="{}" text-anchor="end" class="value strong">{:.4}</text>"##,
        LEFT - 8.0,
        y + 16.0,
        escape(w.pro_rata),
        y - 1.0,
        x(sum) - LEFT,
        WIDTH - 4.0,
        y + 16.0,
        sum
    );
    for (v, name) in &marks {
        let mx = x(*v);
        let _ = write!(
            s,
            r##"<line x1="{mx:.1}" y1="{}" x2="{mx:.1}" y2="{}" stroke="#333" stroke-dasharray="4 3"/><text x="{mx:.1}" y="{}" text-anchor="middle" class="mark">{} ({v})</text>"##,
            TOP - 8.0,
            TOP + ROW * 4.0,
            TOP + ROW * 4.0 + 16.0,
            escape(name)
        );
    }
    s.push_str("</svg>");
    Some(s)
}
