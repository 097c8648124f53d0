//! `tiaoshu scan PATH… [options]` — the main job.

use anyhow::{anyhow, bail, Context, Result};

use super::{case_facts, emit, load_case, reached, EXIT_ERROR, EXIT_LEVEL_REACHED, EXIT_OK};
use crate::case::Groups;
use crate::classify::Policies;
use crate::cli::{FormatArg, ScanArgs};
use crate::detect::{Engine, PatternSet};
use crate::model::Place;
use crate::records::Format;
use crate::report::doc::Doc;
use crate::report::evidence::{EvidenceFormat, EvidenceWriter};
use crate::report::CaseFormat;
use crate::scan::{scan, EvidenceSink, ScanOptions};
use crate::tally::Basis;

pub fn run(args: &ScanArgs) -> Result<u8> {
    // Spilled dedup keys are personal data in hashed form: never leave them
    // behind, also when the scan is interrupted; nor half-written outputs
    // (hence first, before any output is opened).
    let _ = ctrlc::set_handler(|| {
        super::output::remove_pending();
        crate::spill::remove_spill_dirs_and(|| std::process::exit(130));
    });
    let case = load_case(&args.case)?;
    let mut policies = Policies::default();
    let mut basis = Basis::default();
    let mut set_policy = |name: &str, value: &str| -> Result<()> {
        if name == "basis" {
            basis = Basis::parse(value).ok_or_else(|| {
                anyhow!("basis: unknown value {value:?} (counted | valid | seized)")
            })?;
            Ok(())
        } else {
            policies.set(name, value).map_err(|e| anyhow!(e))
        }
    };
    if let Some(c) = &case {
        for (name, value) in &c.policies {
            set_policy(name, value).context("case file [policies]")?;
        }
    }
    for p in &args.policies {
        let (name, value) = p
            .split_once('=')
            .ok_or_else(|| anyhow!("--policy {p:?}: expected NAME=VALUE"))?;
        set_policy(name.trim(), value.trim())?;
    }
    if let Some(b) = args.basis {
        basis = b;
    }
    let facts = case_facts(&args.case, case.as_ref());
    // Output files are checked before the scan, not found wanting after it.
    let report_format = args
        .report
        .as_deref()
        .map(|p| {
            CaseFormat::from_path(p).ok_or_else(|| {
                anyhow!(
                    "--report {}: the name must end in .html or .md",
                    p.display()
                )
            })
        })
        .transpose()?;
    let mut evidence = args
        .evidence
        .as_deref()
        .map(|p| -> Result<(EvidenceWriter, super::output::Pending)> {
            let format = EvidenceFormat::from_path(p).ok_or_else(|| {
                anyhow!(
                    "--evidence {}: the name must end in .parquet, .csv or .jsonl",
                    p.display()
                )
            })?;
            let mut out = super::output::Pending::create("--evidence", p, &args.paths)?;
            let w = EvidenceWriter::new(out.take_file()?, format)
                .with_context(|| format!("cannot write {}", p.display()))?;
            Ok((w, out))
        })
        .transpose()?;
    let report_out = args
        .report
        .as_deref()
        .map(|p| super::output::Pending::create("--report", p, &args.paths))
        .transpose()?;
    let json_out = super::json_output(&args.case, &args.paths)?;

    let mut opts = ScanOptions {
        threads: threads(args.threads, args.case.quiet),
        policies,
        chunk_bytes: args.chunk_bytes.max(1),
        max_record_bytes: usize::try_from(args.max_record.max(1)).unwrap_or(usize::MAX),
        limits: crate::input::container::Limits {
            max_ratio: args.max_ratio.max(1),
            max_expanded: args.max_expanded,
            ..Default::default()
        },
        max_memory: args.max_memory,
        // A progress bar only for a person watching: never in a pipe or a log.
        progress: !args.case.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        temp_dir: args.temp_dir.clone(),
        reveal: args.reveal,
        encoding: args.encoding,
        passwords: passwords(&args.passwords, args.password_file.as_deref())?,
        ..ScanOptions::default()
    };
    if let Some(f) = args.format {
        opts.format = Some(match f {
            FormatArg::Csv => Format::Csv { delimiter: b',' },
            FormatArg::Tsv => Format::Csv { delimiter: b'\t' },
            FormatArg::Text => Format::Text,
            FormatArg::Jsonl => Format::JsonLines,
            FormatArg::Json => Format::Json,
            FormatArg::Sql => Format::Sql,
        });
    }
    if let Some(d) = &args.delimiter {
        let delimiter = match d.as_str() {
            "\\t" | "tab" => b'\t',
            s if s.len() == 1 => s.as_bytes()[0],
            _ => bail!("--delimiter {d:?}: one byte, or \\t"),
        };
        opts.format = Some(Format::Csv { delimiter });
    }

    let mut patterns = PatternSet::builtin()?;
    if let Some(dir) = &args.patterns {
        patterns.add_dir(dir)?;
    }
    let engine = Engine::new(&patterns)?;
    let groups =
        Groups::new(case.as_ref().map_or(&[][..], |c| &c.recipients)).map_err(|e| anyhow!(e))?;

    let found = crate::input::discover(&args.paths, &|display: &str| groups.of(display));
    let files = found.files;
    let mut missing = found.errors;
    if groups.len() > crate::tally::dedup::MAX_GROUPS {
        bail!(
            "the case file has {} recipients; at most {} are supported",
            groups.len() - 1,
            crate::tally::dedup::MAX_GROUPS - 1
        );
    }
    // File and sheet names in the evidence table are masked as in the
    // report unless `--reveal`.
    let mut masked = None;
    let sink =
        match evidence.as_mut() {
            Some((w, _)) if args.reveal => Some(w as &mut dyn EvidenceSink),
            Some((w, _)) => Some(masked.insert(crate::report::evidence::MaskedNames::new(w))
                as &mut dyn EvidenceSink),
            None => None,
        };
    let mut out = scan(&files, &groups, &engine, &opts, sink);
    drop(masked);
    if let Some((w, pending)) = evidence {
        let finished = w.finish();
        match finished {
            // An incomplete table is not put in place (the old file stays).
            Ok(()) if out.evidence_written => pending.commit()?,
            Ok(()) => out.errors.push(crate::input::InputError {
                path: String::new(),
                position: Place::Whole,
                message: format!(
                    "--evidence {}: not written, the table is incomplete (a file there before is kept)",
                    pending.path().display()
                ),
            }),
            Err(e) => out.errors.push(crate::input::InputError {
                path: String::new(),
                position: Place::Whole,
                message: format!("the evidence table could not be written: {e}"),
            }),
        }
    }
    if let Some(e) = out.fatal.take() {
        bail!("{e}: no count is given");
    }
    let (spilled, runs) = out.spilled;
    if spilled > 0 && !args.case.quiet {
        eprintln!(
            "tiaoshu: the dedup table passed --max-memory: {spilled} keys went to disk in {runs} sorted runs (counted exactly)"
        );
    }
    missing.append(&mut out.errors);
    out.errors = missing;
    // Special files met in directories, and second names of files read
    // under their first (with that file's hash).
    out.skipped.extend(found.skipped);
    for alias in &found.aliases {
        let sha256 = out
            .inputs
            .iter()
            .find(|i| i.path == alias.same_as)
            .map(|i| i.sha256.clone())
            .unwrap_or_default();
        out.skipped.push(alias.skipped(sha256));
    }
    out.skipped.sort();

    let measures = crate::assess::Measures::records(out.tally.assessed(basis, policies.track_unit));
    let findings = crate::assess::assess(&measures, &facts);
    let has_errors = !out.errors.is_empty() || args.strict && !out.skipped.is_empty();
    let report = crate::report::build(out, policies, basis, facts, &findings);
    if let (Some(format), Some(pending)) = (report_format, report_out) {
        let doc = Doc::from_report(&report).map_err(|e| anyhow!("the report: {e}"))?;
        super::report::write_casefile(&doc, args.lang, format, pending)?;
    }
    emit(&report, &args.case, json_out)?;

    Ok(if has_errors {
        EXIT_ERROR
    } else if reached(
        args.case.fail_on,
        report.assessment.articles.iter().map(|a| a.level),
    ) {
        EXIT_LEVEL_REACHED
    } else {
        EXIT_OK
    })
}

/// More threads than this many per core only cost memory and start-up
/// (each holds chunks in flight); a typo such as `--threads 100000` is
/// capped, with a message, rather than left to exhaust the machine.
const MAX_THREADS_PER_CORE: usize = 4;

/// `--threads` as the scan uses it (0: one per core).
fn threads(asked: usize, quiet: bool) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let cap = cores * MAX_THREADS_PER_CORE;
    if asked > cap {
        if !quiet {
            eprintln!(
                "tiaoshu: --threads {asked} is more than {MAX_THREADS_PER_CORE} per core on {cores} cores: using {cap}"
            );
        }
        return cap;
    }
    asked
}

/// `--password` values, then the lines of `--password-file` (a trailing
/// `\r` dropped, blank lines skipped), in order, without repeats.
fn passwords(given: &[String], file: Option<&std::path::Path>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |pw: &str| {
        if !pw.is_empty() && !out.iter().any(|p| p == pw) {
            out.push(pw.to_string());
        }
    };
    for pw in given {
        add(pw);
    }
    if let Some(f) = file {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("--password-file {}: cannot read it", f.display()))?;
        for line in text.lines() {
            add(line.strip_suffix('\r').unwrap_or(line));
        }
    }
    Ok(out)
}
