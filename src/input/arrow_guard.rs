//! What arrow-ipc will allocate for an Arrow IPC file or stream, checked
//! before it reads it (see `check_ipc_sizes`).

use std::fs::File;
use std::io::Read;

use super::container;

/// Checks what arrow-ipc will allocate for an Arrow IPC file or stream
/// before it reads it.
///
/// arrow-ipc allocates the sizes a file declares up front: a message's body,
/// a footer block, and a compressed buffer's expanded length (the first 8
/// bytes of the buffer). A damaged or hostile file that declares petabytes
/// aborts the process, and an allocation failure is not a panic, so it
/// cannot be caught (fuzzing found all three). So every message arrow-ipc
/// will read is checked first: its header and body must lie within the file,
/// and each compressed buffer may expand at most `max_ratio` times (past
/// 16 MiB) and at most `budget` bytes. For the file format these are the
/// messages its footer points at; for the stream format, the messages in
/// order. On failure: how many record batches come before the bad one, and
/// why.
pub fn check_ipc_sizes(
    file: &mut File,
    max_ratio: u64,
    budget: u64,
) -> Result<(), (usize, String)> {
    use std::io::{Seek, SeekFrom};
    let io = |e: std::io::Error| (0, e.to_string());
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    let mut magic = [0u8; 6];
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let limits = (max_ratio, budget);
    if file.read_exact(&mut magic).is_ok() && &magic == b"ARROW1" {
        return check_ipc_footer(file, len, limits);
    }
    let mut at = 0u64;
    let mut batches = 0;
    while at + 8 <= len {
        match check_ipc_message(file, len, at, limits) {
            Ok(Some((next, is_batch))) => {
                at = next;
                batches += usize::from(is_batch);
            }
            Ok(None) => return Ok(()),
            Err(why) => return Err((batches, format!("record batch {}: {why}", batches + 1))),
        }
    }
    Ok(())
}

fn read_at(file: &mut File, at: u64, buf: &mut [u8]) -> Result<(), String> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
    file.read_exact(buf).map_err(|e| e.to_string())
}

/// Checks the message at `at` as arrow-ipc's stream reader reads it (its
/// own length prefix, then its body): `None` at the end-of-stream marker or
/// where no message can be read (arrow-ipc reports that itself, without a
/// large allocation); otherwise where it ends and whether it is a record
/// batch.
fn check_ipc_message(
    file: &mut File,
    len: u64,
    mut at: u64,
    limits: (u64, u64),
) -> Result<Option<(u64, bool)>, String> {
    let mut word = [0u8; 4];
    if read_at(file, at, &mut word).is_err() {
        return Ok(None);
    }
    let mut meta_len = i32::from_le_bytes(word);
    at += 4;
    if meta_len == -1 {
        // continuation marker, then the length
        if read_at(file, at, &mut word).is_err() {
            return Ok(None);
        }
        meta_len = i32::from_le_bytes(word);
        at += 4;
    }
    if meta_len <= 0 {
        return Ok(None);
    }
    let meta_len = meta_len as u64;
    if meta_len > len.saturating_sub(at) {
        return Err("its header is longer than the rest of the file: not read from here".into());
    }
    let mut meta = vec![0u8; meta_len as usize];
    read_at(file, at, &mut meta)?;
    at += meta_len;
    let Ok(message) = arrow_ipc::root_as_message(&meta) else {
        return Ok(None);
    };
    let body = u64::try_from(message.bodyLength()).unwrap_or(u64::MAX);
    if body > len - at {
        return Err("its body is longer than the rest of the file: not read from here".into());
    }
    check_ipc_buffers(file, &message, at, limits)?;
    Ok(Some((
        at + body,
        message.header_as_record_batch().is_some(),
    )))
}

/// Checks the declared expanded length of each compressed buffer of a
/// message whose body starts at `body_at`.
fn check_ipc_buffers(
    file: &mut File,
    message: &arrow_ipc::Message,
    body_at: u64,
    (max_ratio, budget): (u64, u64),
) -> Result<(), String> {
    let batch = message
        .header_as_record_batch()
        .or_else(|| message.header_as_dictionary_batch().and_then(|d| d.data()));
    let Some(batch) = batch.filter(|b| b.compression().is_some()) else {
        return Ok(());
    };
    for buffer in batch.buffers().into_iter().flatten() {
        let (offset, length) = (buffer.offset(), buffer.length());
        if length < 8 || offset < 0 {
            continue;
        }
        let mut declared = [0u8; 8];
        if read_at(file, body_at.saturating_add(offset as u64), &mut declared).is_err() {
            continue;
        }
        let declared = i64::from_le_bytes(declared);
        let allowed = (length as u64)
            .saturating_mul(max_ratio)
            .max(container::RATIO_GRACE)
            .min(budget);
        if declared > 0 && declared as u64 > allowed {
            return Err(format!(
                "a compressed buffer declares {declared} bytes from {length} (past --max-ratio or --max-expanded): not read from here"
            ));
        }
    }
    Ok(())
}

/// Checks a footer block as arrow-ipc's file reader reads it: the whole
/// block (metadata and body) must fit in the file, the message is parsed
/// from the block's bytes after its length prefix (which may run into the
/// body), and the body starts at the block's metadata length.
fn check_ipc_block(
    file: &mut File,
    len: u64,
    b: &arrow_ipc::Block,
    limits: (u64, u64),
) -> Result<(), String> {
    let (o, m, n) = (b.offset(), i64::from(b.metaDataLength()), b.bodyLength());
    let fits = o >= 0
        && m >= 8
        && n >= 0
        && (o as u64).saturating_add(m as u64).saturating_add(n as u64) <= len;
    if !fits {
        return Err("its block reaches past the end of the file: not read from here".into());
    }
    let (o, m, n) = (o as u64, m as u64, n as u64);
    let mut block = vec![0u8; m as usize];
    read_at(file, o, &mut block)?;
    let skip = if block.starts_with(&[0xff; 4]) { 8 } else { 4 };
    if arrow_ipc::root_as_message(&block[skip..]).is_err() {
        // arrow-ipc parses from the rest of the whole block: so do we
        block.resize((m + n) as usize, 0);
        read_at(file, o, &mut block)?;
    }
    match arrow_ipc::root_as_message(&block[skip..]) {
        Ok(message) => check_ipc_buffers(file, &message, o + m, limits),
        Err(_) => Ok(()), // arrow-ipc cannot parse it either and reports it
    }
}

/// The file format: the footer lists where each dictionary and record batch
/// is; each listed block must fit in the file, and so must its message.
fn check_ipc_footer(file: &mut File, len: u64, limits: (u64, u64)) -> Result<(), (usize, String)> {
    if len < 18 {
        return Ok(()); // too short for a footer: arrow-ipc reports it
    }
    let mut tail = [0u8; 4];
    if read_at(file, len - 10, &mut tail).is_err() {
        return Ok(());
    }
    let footer_len = i32::from_le_bytes(tail);
    if footer_len <= 0 || footer_len as u64 > len - 10 {
        return Ok(()); // arrow-ipc reports a bad footer without allocating it
    }
    let mut footer = vec![0u8; footer_len as usize];
    if read_at(file, len - 10 - footer_len as u64, &mut footer).is_err() {
        return Ok(());
    }
    let Ok(footer) = arrow_ipc::root_as_footer(&footer) else {
        return Ok(());
    };
    let mut check = |b: &arrow_ipc::Block| check_ipc_block(file, len, b, limits);
    for (i, b) in footer.dictionaries().into_iter().flatten().enumerate() {
        check(b).map_err(|why| (IN_DICTIONARY, format!("dictionary {}: {why}", i + 1)))?;
    }
    for (i, b) in footer.recordBatches().into_iter().flatten().enumerate() {
        check(b).map_err(|why| (i, format!("record batch {}: {why}", i + 1)))?;
    }
    Ok(())
}

/// `check_ipc_sizes` failed in a dictionary of the file format, which
/// arrow-ipc reads when it opens the file: it must not be opened at all
/// (fuzzing found a dictionary block declaring 3.4 PB that went past the
/// check this way).
pub const IN_DICTIONARY: usize = usize::MAX;
