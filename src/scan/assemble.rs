//! The in-order assembly of the scan's result from the work items and their
//! processed results.

use std::collections::HashSet;
use std::sync::Arc;

use super::evidence::{self, Notes};
use super::work::{ChunkResult, InputGroups, Opened, Work};
use crate::case::Groups;
use crate::input::InputError;
use crate::model::Kind;
use crate::model::Place;
use crate::records::{Format, Position};
use crate::tally::dedup::Entry;
use crate::tally::found::EvidenceSink;
use crate::tally::found::{InputSummary, ScanOutput};
use crate::tally::Dedup;

/// Adds one work item, with its processed result (chunks and rows), to the
/// scan's result. Items come in input order.
pub(super) fn take(
    out: &mut ScanOutput,
    notes: &mut Notes,
    input_groups: &InputGroups,
    work: Work,
    result: Option<ChunkResult>,
) {
    match (work, result) {
        (Work::Chunk(c), Some(r)) => {
            // A transcoded stream's byte offsets are not the file's: lines only.
            let keeps = c.spec.decoding.keeps_offsets();
            let bson = c.spec.format == Format::Bson;
            let place = |pos: Position| match bson {
                // a BSON chunk's "lines" are its documents
                true => Place::Document {
                    n: c.line + pos.line + 1,
                    byte: c.offset + pos.offset,
                },
                false => Place::Text {
                    line: c.line + pos.line + 1,
                    byte: keeps.then_some(c.offset + pos.offset),
                },
            };
            absorb(out, notes, input_groups, c.input, r, place);
        }
        (Work::Rows(rows), Some(r)) => {
            let place = |pos: Position| Place::Row {
                prefix: rows.place.clone(),
                row: pos.line,
            };
            absorb(out, notes, input_groups, rows.input, r, place);
        }
        (Work::Open(o), _) => {
            debug_assert_eq!(o.input, out.inputs.len());
            out.inputs.push(opened(o));
        }
        (
            Work::End {
                input,
                bytes,
                sha256,
            },
            _,
        ) => {
            out.inputs[input].bytes = bytes;
            out.inputs[input].sha256 = sha256;
        }
        (
            Work::Failed {
                input,
                line,
                offset,
                message,
            },
            _,
        ) => {
            let i = &mut out.inputs[input];
            i.errors += 1;
            out.errors.push(InputError {
                path: i.path.clone(),
                position: Place::Text {
                    line: line + 1,
                    byte: Some(offset),
                },
                message,
            });
        }
        (Work::Error(input, e), _) => {
            if let Some(i) = input.and_then(|i| out.inputs.get_mut(i)) {
                i.errors += 1;
            }
            out.errors.push(e);
        }
        (Work::Skipped(s), _) => out.skipped.push(s),
        (Work::Archive(a), _) => out.archives.push(a),
        (Work::Chunk(_) | Work::Rows(_), None) => {
            unreachable!("every chunk is processed")
        }
    }
}

/// An input's summary when it is opened: its hash and sizes come at its end.
fn opened(o: Opened) -> InputSummary {
    InputSummary {
        path: o.path,
        format: o.format,
        encoding: o.encoding,
        compression: o.compression,
        bytes: 0,
        sha256: String::new(),
        records: 0,
        errors: 0,
        symlink_to: o.symlink_to,
    }
}

/// Adds a processed chunk or batch of rows to the scan's result, in scan
/// order: to its input, the tally and the notes.
fn absorb(
    out: &mut ScanOutput,
    notes: &mut evidence::Notes,
    input_groups: &InputGroups,
    input: usize,
    r: ChunkResult,
    place: impl Fn(Position) -> Place,
) {
    let groups = input_groups.get(input);
    let summary = &mut out.inputs[input];
    summary.records += r.tally.records;
    summary.errors += r.errors.len() as u64;
    for (pos, error) in r.errors {
        out.errors.push(InputError {
            path: summary.path.clone(),
            position: place(pos),
            message: error.to_string(),
        });
    }
    out.tally.absorb(&r.tally, groups.len());
    let path = out.inputs.get(input).map_or("", |i| i.path.as_str());
    notes.take(path, input, &groups, r.noted, place);
}

/// What is left to do once every input is read.
pub(super) struct Finish<'a> {
    pub pool: Option<&'a rayon::ThreadPool>,
    pub dedup: Dedup,
    /// The recipient group of inputs in no group, if there are groups.
    pub unassigned: Option<usize>,
    pub groups: &'a Groups,
    pub input_groups: InputGroups,
}

/// The evidence table's sink and its collected rows.
type TableOut<'s> = (&'s mut dyn EvidenceSink, std::io::Result<evidence::Table>);

impl Finish<'_> {
    /// Counts the dedup, writes the evidence table (statuses decided by
    /// sorting, rows in scan order) and completes the result.
    pub(super) fn run(
        self,
        out: &mut ScanOutput,
        mut notes: Notes,
        table: Option<TableOut>,
        prefixes: &[Arc<str>],
    ) {
        let Finish {
            pool,
            dedup,
            unassigned,
            groups,
            input_groups,
        } = self;
        // An archive is listed before its entries' archives.
        out.archives.sort_by(|a, b| a.path.cmp(&b.path));
        count(out, &mut notes, dedup, pool, unassigned);
        let mut written = None;
        if let Some((sink, table)) = table {
            let paths: Vec<&str> = out.inputs.iter().map(|i| i.path.as_str()).collect();
            match table.and_then(|t| t.finish(sink, &paths, prefixes, &groups.names)) {
                Ok(w) => written = Some(w),
                Err(e) => out.errors.push(InputError {
                    path: String::new(),
                    position: Place::Whole,
                    message: format!("the evidence table could not be written: {e}"),
                }),
            }
        }
        out.evidence_written = written.is_some();
        if let Some(written) = written {
            check_table(out, &written);
        }
        out.samples = notes.samples();
        let input_groups = input_groups.into_inner();
        out.groups = groups
            .names
            .iter()
            .enumerate()
            .map(|(g, name)| {
                let inputs = input_groups.iter().filter(|ig| ig.contains(&g)).count();
                (name.clone(), inputs as u64)
            })
            .collect();
    }
}

/// The dedup's counts (spilled runs merged on the pool) into the tally, and
/// the items obtained and then sold on into the notes.
fn count(
    out: &mut ScanOutput,
    notes: &mut Notes,
    dedup: Dedup,
    pool: Option<&rayon::ThreadPool>,
    unassigned: Option<usize>,
) {
    let watch: HashSet<Entry> = notes.watch(unassigned);
    let finished = match pool {
        Some(pool) => pool.install(|| dedup.finish_watching(&watch)),
        None => dedup.finish_watching(&watch),
    };
    match finished {
        Ok(counts) => {
            out.tally.finish(&counts);
            notes.resold(unassigned, &counts.resold);
            out.spilled = (counts.spilled_entries, counts.runs);
            if let Some(w) = counts.warning {
                out.errors.push(InputError {
                    path: String::new(),
                    position: Place::Whole,
                    message: w.to_string(),
                });
            }
        }
        Err(e) => out.fatal = Some(e.to_string()),
    }
}

/// The table decides first occurrences in scan order, the counts come from
/// the order-free dedup: they must agree, row for row.
fn check_table(out: &mut ScanOutput, written: &[[u64; 3]; Kind::COUNT]) {
    let disagree: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| {
            let t = out.tally.kinds[k.index()];
            let [counted, invalid, duplicate] = written[k.index()];
            out.fatal.is_none()
                && [counted, invalid, duplicate] != [t.counted, t.invalid, t.duplicate]
        })
        .map(|k| k.key())
        .collect();
    if !disagree.is_empty() {
        out.errors.push(InputError {
            path: String::new(),
            position: Place::Whole,
            message: format!(
                "the evidence table disagrees with the counts for {}: please report this",
                disagree.join(", ")
            ),
        });
    }
}
