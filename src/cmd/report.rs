//! `tiaoshu report REPORT.json --html OUT | --md OUT [--lang zh|en]`:
//! re-renders a saved JSON report, so analysts keep the JSON and print later.

use std::path::Path;

use anyhow::{bail, Context, Result};

use super::EXIT_OK;
use crate::cli::{LangArg, ReportArgs};
use crate::report::doc::Doc;
use crate::report::CaseFormat;

pub fn run(args: &ReportArgs) -> Result<u8> {
    if args.html.is_none() && args.md.is_none() {
        bail!("nothing to write: give --html OUT and/or --md OUT");
    }
    let text = std::fs::read_to_string(&args.json)
        .with_context(|| format!("cannot read {}", args.json.display()))?;
    let doc = Doc::from_json(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a tiaoshu report: {e}", args.json.display()))?;
    if let Some(out) = &args.html {
        write_casefile(&doc, args.lang, CaseFormat::Html, out, &args.json)?;
    }
    if let Some(out) = &args.md {
        write_casefile(&doc, args.lang, CaseFormat::Markdown, out, &args.json)?;
    }
    Ok(EXIT_OK)
}

pub(super) fn lang(l: LangArg) -> crate::assess::Lang {
    match l {
        LangArg::Zh => crate::assess::Lang::Zh,
        LangArg::En => crate::assess::Lang::En,
    }
}

/// Renders and writes one case-file report.
/// `input`: the JSON report it is made from, never overwritten.
fn write_casefile(
    doc: &Doc,
    l: LangArg,
    format: CaseFormat,
    out: &Path,
    input: &Path,
) -> Result<()> {
    let text = crate::report::casefile(doc, lang(l), format);
    let flag = match format {
        CaseFormat::Html => "--html",
        CaseFormat::Markdown => "--md",
    };
    super::output::Pending::create(flag, out, &[input.to_path_buf()])?.write_all(text.as_bytes())
}
