//! One file per subcommand; each is thin: read options, call the library,
//! return the exit status (SPEC §6).

pub mod assess;
pub mod explain;
pub mod output;
pub mod patterns;
pub mod report;
pub mod scan;

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};

use crate::case::CaseFile;
use crate::cli::{CaseArgs, Color};
use crate::model::{CaseFacts, Level};
use crate::report::terminal::Style;

/// Exit statuses of SPEC §6.
pub const EXIT_OK: u8 = 0;
pub const EXIT_LEVEL_REACHED: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// The case file (if any) and the facts with command-line overrides.
fn case_facts(args: &CaseArgs, base: Option<&CaseFile>) -> CaseFacts {
    let mut facts = base.map(CaseFile::facts).unwrap_or_default();
    if let Some(s) = args.subject {
        facts.subject = s;
    }
    if let Some(g) = args.gains {
        facts.illegal_gains_rmb = g;
    }
    facts
}

fn load_case(args: &CaseArgs) -> Result<Option<CaseFile>> {
    args.case
        .as_deref()
        .map(|p| CaseFile::load(p).context("case file"))
        .transpose()
}

fn style(color: Color) -> Style {
    let tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => tty && !no_color,
        },
    }
}

/// Whether either article reaches `--fail-on` (never, for `none`).
fn reached(fail_on: Level, mut levels: impl Iterator<Item = Level>) -> bool {
    fail_on > Level::None && levels.any(|l| l >= fail_on)
}

/// Writes the JSON report where `--json` says (`json`: its file, made
/// before the scan by `output::Pending`), and the summary unless quiet.
fn emit(
    report: &crate::report::Report,
    args: &CaseArgs,
    json: Option<output::Pending>,
) -> Result<()> {
    let summary = (!args.quiet).then(|| crate::report::terminal::render(report, style(args.color)));
    if let Some(mut pending) = json {
        let mut f = std::io::BufWriter::new(pending.take_file()?);
        crate::report::write_json(report, &mut f)
            .and_then(|()| f.flush())
            .with_context(|| format!("cannot write {}", pending.path().display()))?;
        drop(f);
        pending.commit()?;
    } else if args.json.as_deref() == Some("-") {
        let mut text = Vec::new();
        crate::report::write_json(report, &mut text)?;
        output::stdout(&text)?;
        // stdout carries the JSON; the summary goes to stderr.
        if let Some(s) = summary {
            output::stderr(&s);
        }
        return Ok(());
    }
    if let Some(s) = summary {
        output::stdout(s.as_bytes())?;
    }
    Ok(())
}

/// The `--json` file, checked and opened before any work (`-`: stdout).
fn json_output(args: &CaseArgs, inputs: &[std::path::PathBuf]) -> Result<Option<output::Pending>> {
    match args.json.as_deref() {
        None | Some("-") => Ok(None),
        Some(path) => {
            output::Pending::create("--json", std::path::Path::new(path), inputs).map(Some)
        }
    }
}
