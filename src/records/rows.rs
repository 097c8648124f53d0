//! Inputs that arrive as rows rather than bytes: workbooks (XLSX, XLS, XLSB,
//! ODS, in `workbook`), columnar files (Parquet, Arrow IPC / Feather, in
//! `columnar`) and databases (SQLite, in `sqlite`).
//!
//! One record = one row (of a sheet; of a record batch). The readers here
//! decode the file and hand what they read to a [`RowSink`]: a sheet's rows
//! in order, or a columnar file's record batches. The sink (the scan) finds
//! the header, types the columns, and sends the rows on as work; later each
//! row is turned into a record by `workbook::each_row` or
//! `columnar::each_row`, on any thread.

use arrow_array::RecordBatch;

use crate::input::container::Limits;
use crate::model::Place;

/// The consumer has gone away: stop reading.
#[derive(Debug)]
pub struct Stop;

/// Rows per record batch read from a columnar file (and per work item).
pub const BATCH_ROWS: usize = 4096;

/// A row of a sheet: its number (1-based) and its non-empty cells as text,
/// by column (0-based), in column order.
pub type SheetRow = (u64, Vec<(u32, String)>);

/// One database table, as the sink needs it before its rows.
pub struct TableHead {
    pub name: String,
    pub columns: Vec<String>,
    /// Columns that are surrogate keys (the rowid under a name).
    pub surrogate: Vec<u32>,
    /// Rows are numbered by their rowid (else by their ordinal).
    pub by_rowid: bool,
}

impl TableHead {
    /// What stands before a row's number in its place.
    pub fn prefix(&self) -> String {
        let noun = if self.by_rowid { "rowid" } else { "row" };
        format!("table {}, {noun} ", self.name)
    }
}

/// Where the row readers put what they read. Its methods take `&self`: a
/// sheet's rows report their own errors while the sink takes them.
pub trait RowSink {
    /// `--max-record`: a row's text past this many bytes is cut.
    fn max_record(&self) -> usize;

    /// The limits against decompression bombs.
    fn limits(&self) -> Limits;

    /// An error of this input at `place` (`Place::Whole`: the file as a whole); the
    /// read goes on unless the sink says stop.
    fn error(&self, place: Place, why: String) -> Result<(), Stop>;

    /// One sheet's rows, in order, up to the end of the sheet or the first
    /// row that could not be read (which is then reported by the reader).
    fn sheet(&self, name: &str, rows: &mut dyn Iterator<Item = SheetRow>) -> Result<(), Stop>;

    /// One database table's rows, in order (its columns are its header).
    fn table(&self, head: &TableHead, rows: &mut dyn Iterator<Item = SheetRow>)
        -> Result<(), Stop>;

    /// One record batch of a columnar file; `first_row`: the 1-based number
    /// of its first row in the file.
    fn batch(&self, batch: RecordBatch, first_row: u64) -> Result<(), Stop>;
}
