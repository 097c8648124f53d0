//! Inputs (SPEC §3): which files a scan reads, in which order, and the bytes
//! of each with their SHA-256 computed on the way through.
//!
//! Order is the sorted display path, so the same set of inputs gives the same
//! first occurrences (and so the same report) whatever order the paths were
//! given in on the command line.

pub mod container;
pub mod zipwalk;

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

/// One file to read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// The path as the user will recognise it (`<stdin>` for `-`).
    pub display: String,
    /// `None` for standard input (or `data`).
    pub path: Option<PathBuf>,
    /// Bytes held in memory instead of a file (fuzzing, embedding).
    pub data: Option<std::sync::Arc<[u8]>>,
}

impl InputFile {
    /// Bytes in memory, named `display`.
    pub fn in_memory(display: &str, data: Vec<u8>) -> InputFile {
        InputFile {
            display: display.to_string(),
            path: None,
            data: Some(data.into()),
        }
    }

    pub fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        match (&self.path, &self.data) {
            (Some(p), _) => Ok(Box::new(std::fs::File::open(p)?)),
            (None, Some(d)) => Ok(Box::new(io::Cursor::new(std::sync::Arc::clone(d)))),
            (None, None) => Ok(Box::new(io::stdin())),
        }
    }
}

/// A problem with the input, with where it happened (SPEC §3).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct InputError {
    pub path: String,
    pub position: String,
    pub message: String,
}

/// A file the tool does not read (image, executable, unknown binary).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
    pub sha256: String,
}

/// Expands the command-line paths: files as given, directories recursively,
/// `-` as standard input. Returns the files in scan order and the paths that
/// could not be read.
pub fn discover(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            files.push(InputFile {
                display: "<stdin>".into(),
                path: None,
                data: None,
            });
            continue;
        }
        match std::fs::metadata(p) {
            Err(e) => errors.push(InputError {
                path: p.display().to_string(),
                position: String::new(),
                message: format!("cannot read: {e}"),
            }),
            Ok(m) if m.is_dir() => walk(p, &mut files, &mut errors),
            Ok(_) => files.push(file(p)),
        }
    }
    files.sort();
    // The same file named twice (`a.csv` and `./a.csv`, or through a link)
    // is read once: the first name in scan order wins.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| match &f.path {
        Some(p) => seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
        None => seen.insert(PathBuf::from("-")),
    });
    errors.sort();
    (files, errors)
}

fn file(p: &Path) -> InputFile {
    InputFile {
        display: p.display().to_string(),
        path: Some(p.to_path_buf()),
        data: None,
    }
}

fn walk(dir: &Path, files: &mut Vec<InputFile>, errors: &mut Vec<InputError>) {
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() => files.push(file(e.path())),
            Ok(_) => {}
            Err(e) => errors.push(InputError {
                path: e
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string()),
                position: String::new(),
                message: format!("cannot read: {e}"),
            }),
        }
    }
}

/// Counts and hashes the raw bytes of a file as they are read, so the input
/// hash costs no second pass.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    pub bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Reads what is left (so the hash covers the whole file) and returns the
    /// byte count and hex digest.
    pub fn finish(mut self) -> io::Result<(u64, String)> {
        io::copy(&mut self, &mut io::sink())?;
        Ok((self.bytes, hex(&self.hasher.finalize())))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_while_reading() {
        let mut r = HashingReader::new(&b"abc"[..]);
        let mut first = [0u8; 1];
        r.read_exact(&mut first).unwrap();
        let (n, h) = r.finish().unwrap();
        assert_eq!(n, 3);
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn discovery_is_sorted_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.csv", "a.csv", "sub/c.csv"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let (files, errors) = discover(&[
            dir.path().join("sub"),
            dir.path().to_path_buf(),
            dir.path().join("nope"),
        ]);
        let names: Vec<_> = files
            .iter()
            .map(|f| {
                f.display
                    .strip_prefix(&dir.path().display().to_string())
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["/a.csv", "/b.csv", "/sub/c.csv"]);
        assert_eq!(errors.len(), 1);
    }
}
