//! `tiaoshu report REPORT.json --html OUT | --md OUT [--lang zh|en]`:
//! re-renders a saved JSON report, so analysts keep the JSON and print later.
use anyhow::{bail, Context, Result};

use super::output::Pending;
use super::EXIT_OK;
use crate::cli::ReportArgs;
use crate::report::doc::Doc;
use crate::report::CaseFormat;
use crate::report::Lang;

pub fn run(args: &ReportArgs) -> Result<u8> {
    if args.html.is_none() && args.md.is_none() {
        bail!("nothing to write: give --html OUT and/or --md OUT");
    }
    let text = std::fs::read_to_string(&args.json)
        .with_context(|| format!("cannot read {}", args.json.display()))?;
    let doc = Doc::from_json(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a tiaoshu report: {e}", args.json.display()))?;
    // (the JSON it is made from is never overwritten)
    let inputs = [args.json.clone()];
    if let Some(out) = &args.html {
        let out = Pending::create("--html", out, &inputs)?;
        write_casefile(&doc, args.lang, CaseFormat::Html, out)?;
    }
    if let Some(out) = &args.md {
        let out = Pending::create("--md", out, &inputs)?;
        write_casefile(&doc, args.lang, CaseFormat::Markdown, out)?;
    }
    Ok(EXIT_OK)
}

/// Renders and writes one case-file report.
pub(super) fn write_casefile(
    doc: &Doc,
    lang: Lang,
    format: CaseFormat,
    out: Pending,
) -> Result<()> {
    let text = crate::report::casefile(doc, lang, format);
    out.write_all(text.as_bytes())
}
