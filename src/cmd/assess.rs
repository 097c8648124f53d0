//! `tiaoshu assess --counts FILE` — the law applied to counts a user already
//! has (SPEC §6): the case keys at top level and a `[counts]` table.

use anyhow::{anyhow, Context, Result};

use super::{case_facts, emit, load_case, reached, EXIT_LEVEL_REACHED, EXIT_OK};
use crate::case::CaseFile;
use crate::cli::AssessArgs;

pub fn run(args: &AssessArgs) -> Result<u8> {
    let file = CaseFile::load(&args.counts).context("counts file")?;
    let counts = file
        .kind_counts()
        .map_err(|e| anyhow!("{}: {e}", args.counts.display()))?;
    // A separate --case file fills what the counts file leaves out.
    let case = load_case(&args.case)?;
    let mut facts = case_facts(&args.case, case.as_ref());
    let own = file.facts();
    let d = crate::model::CaseFacts::default();
    if file.subject.is_some() && args.case.subject.is_none() {
        facts.subject = own.subject;
    }
    if file.illegal_gains_rmb.is_some() && args.case.gains.is_none() {
        facts.illegal_gains_rmb = own.illegal_gains_rmb;
    }
    if own.prior_punishment != d.prior_punishment {
        facts.prior_punishment = own.prior_punishment;
    }
    facts.knew_criminal_use |= own.knew_criminal_use;
    facts.tracking_used_in_crime |= own.tracking_used_in_crime;
    facts.provided_onward |= own.provided_onward;
    for c in own.consequences {
        if !facts.consequences.contains(&c) {
            facts.consequences.push(c);
        }
    }
    let findings = crate::assess::assess(&crate::assess::Measures::records(counts), &facts);
    let report = crate::report::from_counts(&counts, facts, &findings);
    emit(&report, &args.case, super::json_output(&args.case, &[])?)?;
    Ok(
        if reached(
            args.case.fail_on,
            report.assessment.articles.iter().map(|a| a.level),
        ) {
            EXIT_LEVEL_REACHED
        } else {
            EXIT_OK
        },
    )
}
