//! The scan's side of the row readers (`records::rows`): a sheet's header
//! row and column types, a columnar file's leaves and their types, and the
//! rows sent to the pool in batches.

use std::cell::RefCell;
use std::sync::Arc;

use arrow_array::RecordBatch;

use super::{Reader, Step};
use crate::detect::schema::{HeaderSearch, SAMPLE_RECORDS};
use crate::detect::{Engine, Role};
use crate::input::container::Limits;
use crate::model::Place;
use crate::records::columnar::{self, Leaf};
use crate::records::rows::{RowSink, SheetRow, TableHead, BATCH_ROWS};
use crate::scan::work::{RowData, Rows};

/// Rows of text per batch, at most: shared strings can make a small sheet
/// expand into much text.
const BATCH_BYTES: usize = 16 << 20;

/// One input read as rows.
pub(super) struct RowInput<'r, 'a> {
    r: &'r Reader<'a>,
    input: usize,
    path: &'r str,
    /// A columnar file's leaves and their types, from the first batch of
    /// its schema.
    typed: RefCell<Option<Typed>>,
}

struct Typed {
    leaves: Arc<Vec<Leaf>>,
    roles: Arc<Vec<Role>>,
    schema: arrow_schema::SchemaRef,
}

impl<'r, 'a> RowInput<'r, 'a> {
    pub(super) fn new(r: &'r Reader<'a>, input: usize, path: &'r str) -> Self {
        RowInput {
            r,
            input,
            path,
            typed: RefCell::new(None),
        }
    }
}

impl RowInput<'_, '_> {
    /// Sends `batch` and then `rows` in batches of at most `BATCH_ROWS`
    /// rows or `BATCH_BYTES` bytes; columns whose role is unknown are typed
    /// from the first batch.
    fn send_cells(
        &self,
        place: &Arc<str>,
        schema: Vec<Role>,
        mut batch: Vec<SheetRow>,
        rows: &mut dyn Iterator<Item = SheetRow>,
    ) -> Step<()> {
        let engine = self.r.engine;
        let send = |batch: &mut Vec<SheetRow>, schema: &Arc<Vec<Role>>| {
            if batch.is_empty() {
                return Ok(());
            }
            self.r.send_rows(Rows {
                input: self.input,
                schema: Arc::clone(schema),
                place: Arc::clone(place),
                data: RowData::Cells(std::mem::take(batch)),
            })
        };
        let mut typed = !schema.contains(&Role::Unknown);
        let mut schema = Arc::new(schema);
        let mut bytes = 0usize;
        for row in rows {
            bytes += row.1.iter().map(|(_, t)| t.len()).sum::<usize>();
            batch.push(row);
            if batch.len() >= BATCH_ROWS || bytes >= BATCH_BYTES {
                if !typed {
                    schema = Arc::new(type_cells(engine, &schema, &batch));
                    typed = true;
                }
                send(&mut batch, &schema)?;
                bytes = 0;
            }
        }
        if !typed {
            schema = Arc::new(type_cells(engine, &schema, &batch));
        }
        send(&mut batch, &schema)
    }
}

impl RowSink for RowInput<'_, '_> {
    fn max_record(&self) -> usize {
        self.r.opts.max_record_bytes
    }

    fn limits(&self) -> Limits {
        self.r.limits()
    }

    fn error(&self, place: Place, why: String) -> Step<()> {
        self.r.report(self.input, self.path, place, why)
    }

    /// A sheet: its header row (if one of the first non-blank rows is one),
    /// the column types, and the rows in batches.
    fn sheet(&self, name: &str, rows: &mut dyn Iterator<Item = SheetRow>) -> Step<()> {
        let engine = self.r.engine;
        let place: Arc<str> = Arc::from(format!("sheet {name}, row "));
        // The header is the first row that looks like one among the first few
        // that are not blank (blank rows are not offered). Rows above it are
        // still records (so nothing is dropped), read without column types;
        // without a header every row is read that way.
        let mut head: Vec<SheetRow> = Vec::new();
        let mut schema = Vec::new();
        let mut search = HeaderSearch::new(engine);
        for (n, cells) in &mut *rows {
            if cells.iter().all(|(_, c)| c.trim().is_empty()) {
                continue;
            }
            // the row as a list of fields from its first cell to its last
            let from = cells.first().map_or(0, |c| c.0);
            let to = cells.last().map_or(0, |c| c.0);
            let mut fields = vec![""; (to - from + 1) as usize];
            for (c, text) in &cells {
                fields[(c - from) as usize] = text;
            }
            if let Some(roles) = search.offer(&fields) {
                // (the columns left of the row's first cell are unknown)
                schema = vec![Role::Unknown; from as usize];
                schema.extend(roles);
                break;
            }
            head.push((n, cells));
            if search.given_up() {
                break;
            }
        }
        if schema.is_empty() {
            // no header: these rows are data like the rest
            return self.send_cells(&place, schema, head, rows);
        }
        self.send_cells(&place, Vec::new(), head, &mut std::iter::empty())?;
        self.send_cells(&place, schema, Vec::new(), rows)
    }

    /// A database table: its columns are the header (typed by name, then
    /// the unknown ones from the first rows); its surrogate keys are no
    /// personal information.
    fn table(&self, head: &TableHead, rows: &mut dyn Iterator<Item = SheetRow>) -> Step<()> {
        let engine = self.r.engine;
        let place: Arc<str> = Arc::from(head.prefix());
        let names: Vec<&str> = head.columns.iter().map(String::as_str).collect();
        let mut schema = engine.roles_for_header(&names);
        for &c in &head.surrogate {
            if let Some(role) = schema.get_mut(c as usize) {
                *role = Role::Ignore;
            }
        }
        self.send_cells(&place, schema, Vec::new(), rows)
    }

    /// A record batch, typed by its schema's first batch.
    fn batch(&self, batch: RecordBatch, first_row: u64) -> Step<()> {
        let mut typed = self.typed.borrow_mut();
        let same_schema = matches!(&*typed, Some(t) if t.schema == batch.schema());
        if !same_schema {
            let leaves = columnar::schema_leaves(batch.schema().fields());
            let roles = type_leaves(self.r.engine, &leaves, &batch);
            *typed = Some(Typed {
                leaves: Arc::new(leaves),
                roles: Arc::new(roles),
                schema: batch.schema(),
            });
        }
        let Some(Typed { leaves, roles, .. }) = &*typed else {
            return Ok(());
        };
        self.r.send_rows(Rows {
            input: self.input,
            schema: Arc::clone(roles),
            place: Arc::from("row "),
            data: RowData::Arrow {
                batch,
                leaves: Arc::clone(leaves),
                first_row,
            },
        })
    }
}

/// Types the columns with an unknown header from the first rows.
fn type_cells(engine: &Engine, schema: &[Role], rows: &[SheetRow]) -> Vec<Role> {
    let mut roles = schema.to_vec();
    engine.type_unknown(&mut roles, |i| {
        Some(
            rows.iter()
                .take(SAMPLE_RECORDS)
                .filter_map(move |(_, cells)| {
                    let k = cells.binary_search_by_key(&(i as u32), |(c, _)| *c).ok()?;
                    cells.get(k).map(|(_, text)| text.as_str())
                }),
        )
    });
    roles
}

/// Types the leaves from their names, and those with an unknown name from
/// the values of the first batch.
fn type_leaves(engine: &Engine, leaves: &[Leaf], batch: &RecordBatch) -> Vec<Role> {
    let names: Vec<&str> = leaves.iter().map(|leaf| leaf.path.as_str()).collect();
    let mut roles = engine.roles_for_header(&names);
    engine.type_unknown(&mut roles, |i| {
        columnar::leaf_sample(batch, leaves.get(i)?, SAMPLE_RECORDS)
    });
    roles
}
