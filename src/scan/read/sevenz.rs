//! 7z archives (sevenz-rust2): each entry read as a source of its own
//! (`a.7z!dir/users.csv`), solid blocks decoded once, front to back; with
//! the passwords given for an encrypted one.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek};

use sevenz_rust2::{ArchiveReader, EncoderMethod, Error as SevenZError, Password};

use super::{Leaf, Reader, Source, Step};
use crate::input::SeekHashing;
use crate::model::Place;
use crate::scan::guard::guard;

/// The archive as the 7z reader reads it: hashed as it is read (a file on
/// disk), buffered.
type Source7z = BufReader<SeekHashing<File>>;

/// Bytes of the first entry read to try a password on encrypted data (the
/// whole entry when it is smaller: its CRC is then checked too).
const PROBE: u64 = 64 << 20;

/// The error that stops a walk because the scan itself is stopping.
const STOPPED: &str = "tiaoshu: the scan is stopping";

/// Whether any block of the archive is encrypted.
fn encrypted(reader: &ArchiveReader<&mut Source7z>) -> bool {
    reader.archive().blocks.iter().any(|b| {
        b.coders
            .iter()
            .any(|c| c.encoder_method_id() == EncoderMethod::ID_AES256_SHA256)
    })
}

/// Whether an error says the password is missing or wrong.
fn locked(e: &SevenZError) -> bool {
    matches!(
        e,
        SevenZError::PasswordRequired | SevenZError::MaybeBadPassword(_)
    )
}

/// Opens the archive with the first of the passwords (none first) that
/// reads its headers and, if its data are encrypted, the start of its first
/// entry. `Err`: why not, for the error entry.
fn open<'s>(
    file: &'s mut Source7z,
    passwords: &[String],
) -> Result<ArchiveReader<&'s mut Source7z>, String> {
    let candidates: Vec<Option<&str>> = std::iter::once(None)
        .chain(passwords.iter().map(|p| Some(p.as_str())))
        .collect();
    // What the archive said without a password, and whether it was locked.
    let mut plain_error = None;
    let mut found = None;
    for pw in candidates {
        let password = pw.map_or_else(Password::empty, Password::from);
        if file.rewind().is_err() {
            break;
        }
        let ok = match ArchiveReader::new(&mut *file, password.clone()) {
            Ok(mut r) => {
                if !encrypted(&r) {
                    Ok(())
                } else if pw.is_none() {
                    Err(SevenZError::PasswordRequired)
                } else {
                    r.set_thread_count(1);
                    probe(&mut r)
                }
            }
            Err(e) => Err(e),
        };
        match ok {
            Ok(()) => {
                found = Some(password);
                break;
            }
            // With encrypted headers a wrong password shows as damage:
            // every error is worth the next password.
            Err(e) if pw.is_none() => plain_error = Some(e),
            Err(_) => {}
        }
    }
    let Some(password) = found else {
        return Err(match plain_error {
            Some(e) if locked(&e) && passwords.is_empty() => {
                "7z archive encrypted: not read (give its password with --password or --password-file)"
                    .to_string()
            }
            Some(e) if locked(&e) => format!(
                "7z archive locked: none of the passwords given ({}) opens it",
                passwords.len()
            ),
            Some(e) => format!("7z archive not readable: {e}"),
            None => "7z archive not readable".to_string(),
        });
    };
    file.rewind().map_err(|e| e.to_string())?;
    let mut reader = ArchiveReader::new(file, password).map_err(|e| e.to_string())?;
    reader.set_thread_count(1);
    Ok(reader)
}

/// Reads the start of the first entry with data: a wrong password fails
/// there (the decoder or, for a small entry, its CRC).
fn probe(r: &mut ArchiveReader<&mut Source7z>) -> Result<(), SevenZError> {
    let mut result = Ok(());
    r.for_each_entries(|entry, data| {
        if !entry.has_stream() {
            return Ok(true);
        }
        let want = if entry.size() <= PROBE {
            u64::MAX
        } else {
            PROBE
        };
        if let Err(e) = io::copy(&mut data.take(want), &mut io::sink()) {
            result = Err(SevenZError::MaybeBadPassword(e));
        }
        Ok(false)
    })?;
    result
}

impl Reader<'_> {
    /// A 7z archive: its entries in archive order (block by block), each
    /// behind the expansion limits. A damaged block (a CRC that does not
    /// hold, a stream cut short) ends the walk with an error after the
    /// entries before it.
    pub(super) fn sevenz(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        let Some(file) = self.seekable(src, head, rest, "7z")? else {
            return Ok(Leaf::Failed);
        };
        let mut file: Source7z = BufReader::new(SeekHashing::small_gaps_only(file));
        let passwords = self.opts.passwords.clone();
        // sevenz-rust2 panics on some damaged headers (an index past its
        // list of files, found by fuzzing): an error of this archive.
        let file_ref = &mut file;
        let mut reader = match guard(move || open(file_ref, &passwords)) {
            Ok(Ok(r)) => r,
            Ok(Err(why)) => {
                self.error(None, &src.path, Place::Whole, why)?;
                return Ok(Leaf::Failed);
            }
            Err(panic) => {
                self.error(
                    None,
                    &src.path,
                    Place::Whole,
                    format!("the 7z reader failed on this archive ({panic}): not read"),
                )?;
                return Ok(Leaf::Failed);
            }
        };
        let mut entries = 0u64;
        let mut stopped = false;
        // An entry whose read failed already says where the damage is.
        let mut entry_failed = false;
        let walked = guard(|| {
            reader.for_each_entries(|entry, data| {
                if entry.is_directory() {
                    return Ok(true);
                }
                entries += 1;
                let name = entry.name().to_string();
                let mut data = data;
                let before = self.errors_sent.get();
                // (sizes packed into a solid block are not per entry: 0, the
                // budget holds)
                if self
                    .entry_source(src, name, entry.size(), 0, Box::new(&mut data))
                    .is_err()
                {
                    stopped = true;
                    return Err(SevenZError::Other(STOPPED.into()));
                }
                entry_failed |= self.errors_sent.get() > before;
                // A solid block goes on from where this entry ends: read it out.
                io::copy(&mut data, &mut io::sink())?;
                Ok(true)
            })
        })
        .unwrap_or_else(|panic| {
            Err(SevenZError::Other(
                format!("the 7z reader failed here ({panic})").into(),
            ))
        });
        if stopped {
            return Err(super::Stop);
        }
        match walked {
            Err(_) if entry_failed => {}
            // (its Display of an I/O error is its Debug: the inner error)
            Err(SevenZError::Io(e, _)) => self.walk_ended(src, "7z", entries, e)?,
            Err(e) => self.walk_ended(src, "7z", entries, e)?,
            Ok(()) => {}
        }
        drop(reader);
        let hashed = match src.on_disk {
            Some(_) => file.into_inner().finish().ok(),
            None => None,
        };
        Ok(Leaf::Archive {
            format: "7z",
            entries,
            hashed,
        })
    }
}
