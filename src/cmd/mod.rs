//! One file per subcommand; each is thin: read options, call the library,
//! return the exit status (SPEC §6).

pub mod assess;
pub mod explain;
pub mod patterns;
pub mod report;
pub mod scan;

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};

use crate::case::CaseFile;
use crate::cli::{CaseArgs, Color, FailOn, SubjectArg};
use crate::model::{CaseFacts, Level, Subject};
use crate::report::terminal::Style;

/// Exit statuses of SPEC §6.
pub const EXIT_OK: u8 = 0;
pub const EXIT_LEVEL_REACHED: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// The case file (if any) and the facts with command-line overrides.
fn case_facts(args: &CaseArgs, base: Option<&CaseFile>) -> CaseFacts {
    let mut facts = base.map(CaseFile::facts).unwrap_or_default();
    if let Some(s) = args.subject {
        facts.subject = match s {
            SubjectArg::Ordinary => Subject::Ordinary,
            SubjectArg::Duty => Subject::Duty,
            SubjectArg::Business => Subject::Business,
        };
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

fn reached(fail_on: FailOn, levels: impl Iterator<Item = Level>) -> bool {
    let bar = match fail_on {
        FailOn::None => return false,
        FailOn::Serious => Level::Serious,
        FailOn::EspeciallySerious => Level::EspeciallySerious,
    };
    levels.into_iter().any(|l| l >= bar)
}

/// Writes the JSON report where `--json` says, and the summary unless quiet.
fn emit(report: &crate::report::Report, args: &CaseArgs) -> Result<()> {
    let summary = (!args.quiet).then(|| crate::report::terminal::render(report, style(args.color)));
    match args.json.as_deref() {
        Some("-") => {
            let mut out = std::io::stdout().lock();
            crate::report::write_json(report, &mut out)?;
            // stdout carries the JSON; the summary goes to stderr.
            if let Some(s) = summary {
                eprint!("{s}");
            }
        }
        Some(path) => {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(path).with_context(|| format!("cannot write {path}"))?,
            );
            crate::report::write_json(report, &mut f)?;
            f.flush()?;
            if let Some(s) = summary {
                print!("{s}");
            }
        }
        None => {
            if let Some(s) = summary {
                print!("{s}");
            }
        }
    }
    Ok(())
}
