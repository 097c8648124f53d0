//! Workbooks (XLSX, XLS, XLSB, ODS), read by calamine: every sheet's rows go
//! to the [`RowSink`], each row as its non-empty cells, as the spreadsheet
//! shows them.

use std::io::{Read, Seek};

use calamine::{Data, Reader as _};

use super::rows::{RowSink, SheetRow, Stop};
use super::{Column, Position, RecordBuf, RecordSink};
use crate::model::Place;

/// Reads every sheet of a workbook whose cells calamine streams (XLSX and
/// XLSB, whose cell readers are distinct types with the same methods).
macro_rules! streamed {
    ($wb:ident, $sink:ident) => {{
        for name in $wb.sheet_names() {
            match $wb.worksheet_cells_reader(&name) {
                Ok(mut cells) => {
                    let cells = std::iter::from_fn(|| cells.next_cell().transpose());
                    let rows = cell_rows($sink, &name, cells);
                    read_sheet($sink, &name, rows)?
                }
                Err(e) => sheet_error($sink, &name, &e)?,
            }
        }
        Ok(())
    }};
}

/// Reads every sheet of a workbook (`format` as decided from its content:
/// xlsx, xlsb, ods or xls).
///
/// A sheet costs memory in proportion to its cells, not to the area it
/// declares: XLSX and XLSB sheets are read cell by cell, as calamine parses
/// them, into rows of the cells they have. XLS and ODS sheets only come
/// from calamine as dense ranges (every cell of the area between the first
/// and the last), so their area is measured first, from the file's own
/// records, and a workbook whose sheets would span more than
/// `MAX_DENSE_CELLS` cells is not read (an error, as a decompression bomb).
pub fn read<RS: Read + Seek>(sink: &dyn RowSink, mut reader: RS, format: &str) -> Result<(), Stop> {
    let not_readable =
        |e: &dyn std::fmt::Display| sink.error(Place::Whole, format!("workbook not readable: {e}"));
    match format {
        "xls" | "ods" => {
            let area = match format {
                "xls" => crate::input::sheet_area::xls(&mut reader),
                _ => crate::input::sheet_area::ods(&mut reader),
            };
            if let Err(e) = area.and_then(|_| reader.rewind().map_err(|e| e.to_string())) {
                return sink.error(Place::Whole, e);
            }
            fn dense<RS: Read + Seek, W: calamine::Reader<RS>>(
                sink: &dyn RowSink,
                wb: Result<W, W::Error>,
            ) -> Result<(), Stop>
            where
                W::Error: std::fmt::Display,
            {
                let mut wb = match wb {
                    Ok(wb) => wb,
                    Err(e) => {
                        return sink.error(Place::Whole, format!("workbook not readable: {e}"))
                    }
                };
                for name in wb.sheet_names() {
                    match wb.worksheet_range(&name) {
                        Ok(range) => read_sheet(sink, &name, range_rows(&range))?,
                        Err(e) => sheet_error(sink, &name, &e)?,
                    }
                }
                Ok(())
            }
            if format == "xls" {
                dense(sink, calamine::Xls::new(reader))
            } else {
                dense(sink, calamine::Ods::new(reader))
            }
        }
        "xlsb" => {
            let mut wb = match calamine::Xlsb::new(reader) {
                Ok(wb) => wb,
                Err(e) => return not_readable(&e),
            };
            streamed!(wb, sink)
        }
        _ => {
            let mut wb = match calamine::Xlsx::new(reader) {
                Ok(wb) => wb,
                Err(e) => return not_readable(&e),
            };
            streamed!(wb, sink)
        }
    }
}

fn sheet_error(sink: &dyn RowSink, name: &str, e: &dyn std::fmt::Display) -> Result<(), Stop> {
    sink.error(
        Place::Sheet(name.to_string()),
        format!("sheet not readable: {e}"),
    )
}

/// The most columns a sheet has (XFD in Excel).
const MAX_COLUMNS: u32 = 16_384;

/// The rows of a dense range, without their empty cells.
fn range_rows(
    range: &calamine::Range<Data>,
) -> impl Iterator<Item = Result<SheetRow, String>> + '_ {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    range.rows().enumerate().map(move |(i, cells)| {
        let cells = cells
            .iter()
            .enumerate()
            .filter_map(|(c, cell)| {
                let text = cell_text(cell);
                (!text.is_empty()).then(|| (first_col + c as u32, text))
            })
            .collect();
        Ok((u64::from(first_row) + i as u64 + 1, cells))
    })
}

/// Rows from the cells of a sheet as they are parsed (row by row, in
/// order, in a well-formed sheet). A cell past column XFD is not read; a
/// row whose text passes `--max-record` is cut there: both reported, once
/// per sheet.
fn cell_rows<'a, E: std::fmt::Display>(
    sink: &'a dyn RowSink,
    name: &'a str,
    mut cells: impl Iterator<Item = Result<calamine::Cell<calamine::DataRef<'a>>, E>> + 'a,
) -> impl Iterator<Item = Result<SheetRow, String>> + 'a {
    let limit = sink.max_record();
    let mut pending: Option<(u32, (u32, String))> = None;
    let mut done = false;
    let (mut wide, mut long) = (false, false);
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let (row, first) = match pending.take() {
            Some(p) => p,
            None => loop {
                match cells.next()? {
                    Err(e) => {
                        done = true;
                        return Some(Err(e.to_string()));
                    }
                    Ok(c) => {
                        let (row, col) = c.get_position();
                        let text = cell_text(&Data::from(c.get_value().clone()));
                        if text.is_empty() {
                            continue;
                        }
                        if col >= MAX_COLUMNS {
                            if !wide {
                                wide = true;
                                let _ = sink.error(
                                    Place::Row {
                                        prefix: format!("sheet {name}, row ").into(),
                                        row: row as u64 + 1,
                                    },
                                    format!("cells past column XFD ({MAX_COLUMNS}) not read"),
                                );
                            }
                            continue;
                        }
                        break (row, (col, text));
                    }
                }
            },
        };
        let mut bytes = first.1.len();
        let mut out = vec![first];
        loop {
            match cells.next() {
                None => {
                    done = true;
                    break;
                }
                Some(Err(e)) => {
                    // the row so far counts; the error ends the sheet
                    pending = None;
                    done = true;
                    let _ = sink.error(
                        Place::Row {
                            prefix: format!("sheet {name}, row ").into(),
                            row: row as u64 + 1,
                        },
                        format!("sheet not readable past here: {e}"),
                    );
                    break;
                }
                Some(Ok(c)) => {
                    let (at, col) = c.get_position();
                    let text = cell_text(&Data::from(c.get_value().clone()));
                    if text.is_empty() {
                        continue;
                    }
                    if col >= MAX_COLUMNS {
                        if !wide {
                            wide = true;
                            let _ = sink.error(
                                Place::Row {
                                    prefix: format!("sheet {name}, row ").into(),
                                    row: row as u64 + 1,
                                },
                                format!("cells past column XFD ({MAX_COLUMNS}) not read"),
                            );
                        }
                        continue;
                    }
                    if at != row {
                        pending = Some((at, (col, text)));
                        break;
                    }
                    bytes += text.len();
                    if bytes > limit {
                        if !long {
                            long = true;
                            let _ = sink.error(Place::Row {
                                    prefix: format!("sheet {name}, row ").into(),
                                    row: row as u64 + 1,
                                },
                                format!("row longer than {limit} bytes (--max-record): the cells after it not read"),
                            );
                        }
                        continue;
                    }
                    out.push((col, text));
                }
            }
        }
        out.sort_by_key(|(col, _)| *col);
        Some(Ok((u64::from(row) + 1, out)))
    })
}

/// Hands a sheet's rows to the sink, up to the first that cannot be read,
/// and reports that one.
fn read_sheet(
    sink: &dyn RowSink,
    name: &str,
    rows: impl Iterator<Item = Result<SheetRow, String>>,
) -> Result<(), Stop> {
    let mut failed = None;
    {
        let mut good = rows
            .map_while(|row| row.map_err(|e| failed = Some(e)).ok())
            .fuse();
        sink.sheet(name, &mut good)?;
    }
    match failed {
        Some(e) => sheet_error(sink, name, &e),
        None => Ok(()),
    }
}

/// A cell as the spreadsheet shows it.
///
/// Whole numbers are written out in full while a double holds them exactly
/// (an old 15-digit ID stored as a number keeps every digit). Past 15
/// significant digits a spreadsheet has already lost digits and shows the
/// number in scientific notation (`1.10101199003071E+17`); so does this, and
/// such a value in an identifier column fails validation as mangled.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Float(f) => number_text(*f),
        Data::DateTime(d) => {
            if d.is_duration() {
                return number_text(d.as_f64());
            }
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            if d.as_f64().fract() == 0.0 {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
            }
        }
    }
}

/// A number as a spreadsheet's General format shows it.
pub(super) fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    if f.abs() >= 1e15 {
        // 15 significant digits, as a spreadsheet keeps them.
        let s = format!("{f:.14E}"); // 1.10101199003071E17
        let (mantissa, exp) = s.split_once('E').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        let exp = exp.trim_start_matches('+');
        return if let Some(neg) = exp.strip_prefix('-') {
            format!("{mantissa}E-{neg}")
        } else {
            format!("{mantissa}E+{exp}")
        };
    }
    format!("{f}")
}

/// Hands every row of a sheet's batch to `sink` as a record.
pub fn each_row(rows: &[SheetRow], sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
    for (n, row) in rows {
        rec.clear();
        for (i, v) in row {
            rec.push(Column::Index(*i), v);
        }
        if !rec.is_blank() {
            sink.record(
                Position {
                    line: *n,
                    offset: 0,
                },
                &rec,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_as_a_spreadsheet_shows_them() {
        assert_eq!(number_text(110101900307123.0), "110101900307123");
        assert_eq!(number_text(13800138000.0), "13800138000");
        assert_eq!(number_text(110101199003071234.0), "1.10101199003071E+17");
        assert_eq!(number_text(1e15), "1E+15");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(-3.0), "-3");
    }
}
