//! `tiaoshu patterns list | check VALUE | test FILE`.

use anyhow::{bail, Result};

use super::{EXIT_ERROR, EXIT_OK};
use crate::cli::{PatternsAction, PatternsArgs};
use crate::detect::validate::Check;
use crate::detect::{examples, normalize, Engine, PatternSet};
use crate::report::words;
use crate::report::Lang;

/// `writeln!` into the command's output, written at the end
/// (`output::stdout`: a full disk is an error, not a panic).
macro_rules! say {
    ($o:ident) => {
        $o.push('\n')
    };
    ($o:ident, $($t:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($o, $($t)*);
    }};
}

pub fn run(args: &PatternsArgs) -> Result<u8> {
    let mut o = String::new();
    let code = run_into(args, &mut o);
    super::output::stdout(o.as_bytes())?;
    code
}

fn run_into(args: &PatternsArgs, o: &mut String) -> Result<u8> {
    let mut set = PatternSet::builtin()?;
    if let Some(dir) = &args.patterns {
        set.add_dir(dir)?;
    }
    match &args.action {
        PatternsAction::List => {
            let engine = Engine::new(&set)?;
            say!(
                o,
                "{:<18} {:<11} {:<16} {:<6} headers",
                "detector",
                "class",
                "validator",
                "value"
            );
            for (spec, d) in set.detectors.iter().zip(&engine.detectors) {
                say!(
                    o,
                    "{:<18} {:<11} {:<16} {:<6} {}",
                    spec.id,
                    format!("{:?}", d.class).to_lowercase(),
                    spec.validator,
                    if spec.value_detect { "yes" } else { "no" },
                    spec.headers.len()
                );
            }
            say!(o);
            say!(
                o,
                "{:<18} {:<14} {:>7} {:>9}  value test",
                "rule",
                "evidence",
                "headers",
                "keywords"
            );
            for r in &set.rules {
                say!(
                    o,
                    "{:<18} {:<14} {:>7} {:>9}  {}",
                    r.id,
                    r.evidence,
                    r.headers.len(),
                    r.keywords.len(),
                    r.validator.as_deref().or(r.regex.as_deref()).unwrap_or("-")
                );
            }
            Ok(EXIT_OK)
        }
        PatternsAction::Check { value, reveal } => {
            let engine = Engine::new(&set)?;
            let shown = if *reveal {
                value.clone()
            } else {
                crate::detect::mask::mask(value)
            };
            say!(o, "value: {shown}");
            let mut buf = String::new();
            let v = normalize::clean(value, &mut buf);
            if crate::detect::validate::masked_identifier(v) {
                say!(
                    o,
                    "  masked identifier: not an identifier (Interp-2017 Art. 3)"
                );
            }
            let mut any = false;
            for d in &engine.detectors {
                match d.checker.detect(v) {
                    Some(Check::Valid) => say!(o, "  {}: valid", d.id),
                    Some(Check::Invalid(why)) => {
                        say!(o, "  {}: invalid ({})", d.id, words::reason(why, Lang::En))
                    }
                    None => continue,
                }
                any = true;
            }
            let facts = engine.check_value(value);
            for r in &engine.rules {
                if facts.evidence & r.evidence.bit() != 0 {
                    say!(o, "  kind evidence: {}", r.id);
                    any = true;
                }
            }
            if !any {
                say!(o, "  nothing detected");
            }
            Ok(EXIT_OK)
        }
        PatternsAction::Test { file } => {
            let text = std::fs::read_to_string(file)?;
            let mut only = PatternSet::default();
            if let Err(e) = only.add_text(&file.display().to_string(), &text) {
                bail!(e);
            }
            set.add_text(&file.display().to_string(), &text)?;
            if let Err(e) = Engine::new(&set) {
                say!(o, "FAIL {e}");
                return Ok(EXIT_ERROR);
            }
            let failures = examples::failures(&set);
            let ids: Vec<&str> = only
                .detectors
                .iter()
                .map(|d| d.id.as_str())
                .chain(only.rules.iter().map(|r| r.id.as_str()))
                .collect();
            let mine: Vec<&String> = failures
                .iter()
                .filter(|f| ids.iter().any(|id| f.starts_with(&format!("{id}:"))))
                .collect();
            let n = only
                .detectors
                .iter()
                .map(|d| d.examples.len() + d.negative_examples.len())
                .chain(
                    only.rules
                        .iter()
                        .map(|r| r.examples.len() + r.negative_examples.len()),
                )
                .sum::<usize>();
            for f in &mine {
                say!(o, "FAIL {f}");
            }
            say!(
                o,
                "{} passed, {} failed",
                n.saturating_sub(mine.len()),
                mine.len()
            );
            Ok(if mine.is_empty() { EXIT_OK } else { EXIT_ERROR })
        }
    }
}
