//! How many cells a workbook's sheets span, measured from the file's own
//! records before calamine reads it: calamine builds every XLS and ODS
//! sheet as a dense range of the area between its first and last cells
//! (and reserves the area an XLS sheet's DIMENSIONS record declares), so a
//! 2 KB file naming cells `A1` and `IV65536`… or a row repeated a million
//! times would take gigabytes, or abort the process. A workbook whose
//! sheets span more than `MAX_DENSE_CELLS` is refused, with the reason.

use std::io::{Read, Seek};

/// Cells one sheet of an XLS or ODS workbook may span: 65,536 rows (the
/// most an XLS sheet has) of 128 columns. About 300 MB in calamine.
pub const MAX_DENSE_CELLS: u64 = 1 << 23;

fn too_large(sheet: usize, cells: u64) -> String {
    format!(
        "workbook not read: sheet #{} spans {cells} cells (more than {MAX_DENSE_CELLS}; possible decompression bomb, or convert it to XLSX or CSV)",
        sheet + 1
    )
}

/// The bounding box of the positions seen.
#[derive(Default)]
struct Bounds(Option<((u64, u64), (u64, u64))>);

impl Bounds {
    fn add(&mut self, row: u64, col: u64) {
        self.0 = Some(match self.0 {
            None => ((row, col), (row, col)),
            Some(((r0, c0), (r1, c1))) => ((r0.min(row), c0.min(col)), (r1.max(row), c1.max(col))),
        });
    }

    fn cells(&self) -> u64 {
        self.0
            .map_or(0, |((r0, c0), (r1, c1))| (r1 - r0 + 1) * (c1 - c0 + 1))
    }
}

fn u16_at(b: &[u8], at: usize) -> u64 {
    u64::from(crate::input::le::u16_at(b, at))
}

fn u32_at(b: &[u8], at: usize) -> u64 {
    u64::from(crate::input::le::u32_at(b, at))
}

/// An XLS workbook: the area of every sheet's cells, and of its DIMENSIONS.
pub fn xls<R: Read + Seek>(reader: &mut R) -> Result<(), String> {
    let mut cfb =
        cfb::CompoundFile::open(&mut *reader).map_err(|e| format!("workbook not readable: {e}"))?;
    let mut stream = Vec::new();
    let opened = cfb
        .open_stream("Workbook")
        .or_else(|_| cfb.open_stream("Book"));
    match opened {
        // no workbook stream: calamine says what is wrong with it
        Err(_) => return Ok(()),
        Ok(mut s) => {
            s.read_to_end(&mut stream)
                .map_err(|e| format!("workbook not readable: {e}"))?;
        }
    }
    // BoundSheet8 records of the globals give each sheet's stream offset.
    let mut sheets = Vec::new();
    for (typ, data) in records(&stream, 0) {
        match typ {
            0x0085 => sheets.push(u32_at(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
    }
    for (i, &pos) in sheets.iter().enumerate() {
        let mut cells = Bounds::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        for (typ, d) in records(&stream, pos) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                // DIMENSIONS: calamine reserves the area it declares
                0x0200 => {
                    let (rf, rl, cf, cl) = match d.len() {
                        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
                        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
                        _ => continue,
                    };
                    let cf = if cf > 0xff || cl < cf { 0 } else { cf };
                    if rl >= 1 && cl >= 1 {
                        // (rl - 1) - rf + 1 rows, as calamine computes them
                        // in u32: a first row past the last wraps around
                        let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1) & 0xffff_ffff;
                        let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1) & 0xffff_ffff;
                        let area = rows.saturating_mul(cols);
                        if area > MAX_DENSE_CELLS {
                            return Err(too_large(i, area));
                        }
                    }
                }
                // cells: Number, Label, RString, BoolErr, Rk, LabelSst, Formula
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if d.len() >= 4 => {
                    cells.add(u16_at(d, 0), u16_at(d, 2));
                }
                // MulRk: a row, a first column, and the last at its end
                0x00BD if d.len() >= 6 => {
                    cells.add(u16_at(d, 0), u16_at(d, 2));
                    cells.add(u16_at(d, 0), u16_at(d, d.len() - 2));
                }
                _ => {}
            }
        }
        if cells.cells() > MAX_DENSE_CELLS {
            return Err(too_large(i, cells.cells()));
        }
    }
    Ok(())
}

/// The BIFF records of a stream from `pos`: (type, data), until the data
/// stops making sense.
fn records(stream: &[u8], pos: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = pos;
    std::iter::from_fn(move || {
        let head = stream.get(at..at + 4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// An ODS workbook: the area calamine would expand each table to, rows and
/// columns repeated as the file says.
pub fn ods<R: Read + Seek>(reader: &mut R) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut zip =
        zip::ZipArchive::new(&mut *reader).map_err(|e| format!("workbook not readable: {e}"))?;
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(()); // calamine says what is wrong
    };
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let mut table = 0usize;
    // In the table: rows so far (repeats counted) at the first and the last
    // row with content, the columns of content seen, and the current row.
    let mut rows = 0u64;
    let mut first_row: Option<u64> = None;
    let mut last_row = 0u64;
    let (mut min_col, mut max_col) = (u64::MAX, 0u64);
    let mut row_repeats = 1u64;
    let mut col = 0u64;
    let mut row_has = false;
    let repeated = |e: &quick_xml::events::BytesStart, key: &str| -> u64 {
        e.try_get_attribute(key)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let check = |table: usize, first: Option<u64>, last: u64, min_col: u64, max_col: u64| {
        let Some(first) = first else { return Ok(()) };
        let area = (last - first).saturating_mul(max_col.saturating_sub(min_col));
        if area > MAX_DENSE_CELLS {
            Err(too_large(table, area))
        } else {
            Ok(())
        }
    };
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("workbook not readable: {e}"))?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(e) => {
                match e.name().as_ref() {
                    "table:table-row" => {
                        if row_has {
                            first_row.get_or_insert(rows);
                            last_row = rows + row_repeats;
                        }
                        rows = rows.saturating_add(row_repeats);
                    }
                    "table:table" => {
                        check(table, first_row, last_row, min_col, max_col)?;
                        table += 1;
                        (rows, first_row, last_row, min_col, max_col) = (0, None, 0, u64::MAX, 0);
                    }
                    _ => {}
                }
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table-row" => {
                    row_repeats = repeated(&e, "table:number-rows-repeated");
                    col = 0;
                    row_has = false;
                    if empty {
                        rows = rows.saturating_add(row_repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeated(&e, "table:number-columns-repeated");
                    // a cell with content, or a value: counted as one
                    let has = !empty
                        || e.try_get_attribute("office:value-type")
                            .ok()
                            .flatten()
                            .is_some();
                    if has {
                        row_has = true;
                        min_col = min_col.min(col);
                        max_col = max_col.max(col.saturating_add(n));
                    }
                    col = col.saturating_add(n);
                }
                _ => {}
            }
        }
        // the area so far, so that a huge table is refused before its end
        if let Some(first) = first_row {
            if (last_row - first).saturating_mul(max_col.saturating_sub(min_col)) > MAX_DENSE_CELLS
            {
                return check(table, first_row, last_row, min_col, max_col);
            }
        }
        buf.clear();
    }
    Ok(())
}
