//! Output files (`--json`, `--evidence`, `--report`) and standard output.
//!
//! An output file is checked before the scan (its directory exists and is
//! writable, and it is not one of the inputs nor inside a scanned
//! directory), written under a temporary name beside it, and renamed into
//! place only when it is complete: an interrupted or failed scan never
//! leaves a truncated file, nor destroys the one that was there. Ctrl-C
//! removes the temporary files (`remove_pending`).
//!
//! Standard output: a write error (a full disk, `> /dev/full`) is an error,
//! exit 2; a reader that went away (`| head`) ends the output quietly.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

/// Temporary output files not yet renamed into place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary output file (on Ctrl-C).
pub fn remove_pending() {
    if let Ok(mut p) = PENDING.lock() {
        for path in p.drain(..) {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn forget(temp: &Path) {
    if let Ok(mut p) = PENDING.lock() {
        p.retain(|t| t != temp);
    }
}

/// An output file being written under a temporary name in its directory.
#[derive(Debug)]
pub struct Pending {
    flag: &'static str,
    path: PathBuf,
    /// `None`: the path is not a regular file (`/dev/null`, a FIFO,
    /// `/dev/stdout`) and is written directly.
    temp: Option<PathBuf>,
    file: Option<File>,
}

impl Pending {
    /// Checks `path` (given as `flag`) against the inputs and opens its
    /// temporary file. `inputs`: the paths to be scanned.
    pub fn create(flag: &'static str, path: &Path, inputs: &[PathBuf]) -> Result<Pending> {
        let shown = path.display();
        let name = match path.file_name() {
            Some(n) if !path.as_os_str().as_encoded_bytes().ends_with(b"/") => n,
            _ => bail!("{flag} {shown}: a file name is needed"),
        };
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let dir = std::fs::canonicalize(parent)
            .with_context(|| format!("{flag} {shown}: no directory {}", parent.display()))?;
        if !dir.is_dir() {
            bail!("{flag} {shown}: {} is not a directory", parent.display());
        }
        let target = dir.join(name);
        // the file now there, if any (a link to an input is an input)
        let existing = std::fs::metadata(&target).ok();
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            bail!("{flag} {shown}: is a directory");
        }
        for input in inputs {
            let Ok(canon) = std::fs::canonicalize(input) else {
                continue; // reported by the scan as an input it could not open
            };
            let meta = std::fs::metadata(&canon).ok();
            let same_file = match (&existing, &meta) {
                (Some(a), Some(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
                _ => false,
            };
            if same_file || canon == target {
                bail!(
                    "{flag} {shown} is one of the inputs ({}): it would be overwritten; nothing was scanned",
                    input.display()
                );
            }
            if meta.as_ref().is_some_and(|m| m.is_dir()) && target.starts_with(&canon) {
                bail!(
                    "{flag} {shown} lies inside the scanned directory {}: it would be read as an input or change under the scan; write it elsewhere (nothing was scanned)",
                    input.display()
                );
            }
        }
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            let file = OpenOptions::new()
                .write(true)
                .open(&target)
                .with_context(|| format!("cannot write {shown}"))?;
            return Ok(Pending {
                flag,
                path: path.to_path_buf(),
                temp: None,
                file: Some(file),
            });
        }
        let mut tries = 0u32;
        let (temp, file) = loop {
            let mut t = std::ffi::OsString::from(".");
            t.push(name);
            t.push(format!(".tiaoshu-{}-{tries}.tmp", std::process::id()));
            let temp = dir.join(t);
            match OpenOptions::new().write(true).create_new(true).open(&temp) {
                Ok(f) => break (temp, f),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 => {
                    tries += 1
                }
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("{flag} {shown}: cannot write in {}", dir.display())
                    })
                }
            }
        };
        if let Ok(mut p) = PENDING.lock() {
            p.push(temp.clone());
        }
        Ok(Pending {
            flag,
            path: path.to_path_buf(),
            temp: Some(temp),
            file: Some(file),
        })
    }

    /// The file to write (once).
    pub fn take_file(&mut self) -> Result<File> {
        self.file
            .take()
            .with_context(|| format!("{} {}: written twice", self.flag, self.path.display()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file is complete: it replaces `path`.
    pub fn commit(mut self) -> Result<()> {
        if let Some(temp) = self.temp.take() {
            let renamed = std::fs::rename(&temp, &self.path);
            if renamed.is_err() {
                let _ = std::fs::remove_file(&temp);
            }
            forget(&temp);
            renamed.with_context(|| format!("cannot write {}", self.path.display()))?;
        }
        Ok(())
    }

    /// Writes `bytes` as the whole file and commits it.
    pub fn write_all(mut self, bytes: &[u8]) -> Result<()> {
        let mut f = self.take_file()?;
        f.write_all(bytes)
            .and_then(|()| f.flush())
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        drop(f);
        self.commit()
    }
}

impl Drop for Pending {
    /// Not committed: the temporary file goes, the old file stays.
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(&temp);
            forget(&temp);
        }
    }
}

/// Writes `text` to standard output. A closed pipe ends the output quietly
/// (`Ok(false)`); any other failure is an error.
pub fn stdout(text: &[u8]) -> Result<bool> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

/// Writes `text` to standard error, if it can (there is nowhere to report
/// that it cannot).
pub fn stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_is_refused_if_it_is_an_input_or_inside_a_scanned_directory() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "a\n").unwrap();
        let scanned = dir.path().join("dump");
        std::fs::create_dir(&scanned).unwrap();
        let inputs = [input.clone(), scanned.clone()];
        let e = Pending::create("--json", &input, &inputs).unwrap_err();
        assert!(e.to_string().contains("is one of the inputs"), "{e}");
        let e = Pending::create("--json", &scanned.join("sub/r.json"), &inputs).unwrap_err();
        assert!(e.to_string().contains("no directory"), "{e}");
        let e = Pending::create("--json", &scanned.join("r.json"), &inputs).unwrap_err();
        assert!(
            e.to_string().contains("inside the scanned directory"),
            "{e}"
        );
        // a hard link to an input is the input
        let link = dir.path().join("link.csv");
        std::fs::hard_link(&input, &link).unwrap();
        let e = Pending::create("--json", &link, &inputs).unwrap_err();
        assert!(e.to_string().contains("is one of the inputs"), "{e}");
        assert_eq!(std::fs::read(&input).unwrap(), b"a\n");
    }

    #[test]
    fn an_output_replaces_the_old_file_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.json");
        std::fs::write(&out, "old").unwrap();
        let p = Pending::create("--json", &out, &[]).unwrap();
        drop(p);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
        let p = Pending::create("--json", &out, &[]).unwrap();
        p.write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        // nothing else is left in the directory
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // a device is written where it is
        let p = Pending::create("--json", Path::new("/dev/null"), &[]).unwrap();
        p.write_all(b"x").unwrap();
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
    }
}
