//! Which files a scan reads, in which order (SPEC §3).
//!
//! Order is the sorted display path, so the same set of inputs gives the
//! same first occurrences (and so the same report) whatever order the paths
//! were given in. A file reached twice — named twice, through a symbolic
//! link or as a hard link — is read once *within a recipient group*: the
//! same bytes given to two recipients are two provisions (Interp-2017
//! Art. 11(2)), so a link from one buyer's folder to another's is read in
//! each. What is not read is listed, never dropped in silence.

use std::collections::HashMap;
use std::fs::{FileType, Metadata};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::file::{InputError, InputFile, Skipped};
use super::name;
use crate::model::Place;

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The files to read, in scan order.
    pub files: Vec<InputFile>,
    /// Paths that could not be read, or are not files a scan reads.
    pub errors: Vec<InputError>,
    /// Special files met inside a directory (FIFOs, devices, sockets).
    pub skipped: Vec<Skipped>,
    /// Names of a file already read in the same recipient groups.
    pub aliases: Vec<Alias>,
}

/// A second name of a file that is read under its first name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// The name not read.
    pub path: String,
    /// The name it is read under (earlier in scan order).
    pub same_as: String,
}

impl Alias {
    /// Listed under `skipped`: the hash is the file's, known once it is read.
    pub fn skipped(&self, sha256: String) -> Skipped {
        Skipped {
            path: self.path.clone(),
            reason: format!("the same file as {} (read once)", self.same_as),
            sha256,
        }
    }
}

/// A file found, before same-file names are merged.
struct Found {
    file: InputFile,
    /// Device and inode: one file, whatever its names.
    id: Option<(u64, u64)>,
}

/// Expands the command-line paths: files as given, directories recursively,
/// `-` as standard input. `groups_of` gives a file's recipient groups (by
/// its display path): same-file names are merged only within the same ones.
pub fn discover(paths: &[PathBuf], groups_of: &dyn Fn(&str) -> Vec<usize>) -> Discovery {
    let mut d = Discovery::default();
    let mut found = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            found.push(Found {
                file: InputFile {
                    display: "<stdin>".into(),
                    path: None,
                    data: None,
                    link: None,
                },
                id: None,
            });
            continue;
        }
        let display = name::of_path(p);
        match std::fs::metadata(p) {
            Err(e) => d.errors.push(InputError {
                path: display,
                position: Place::Whole,
                message: format!("cannot read: {e}"),
            }),
            Ok(m) if m.is_dir() => walk(p, &mut found, &mut d),
            Ok(m) if m.is_file() => found.push(file(p, &m, is_link(p))),
            Ok(m) => d.errors.push(InputError {
                path: display,
                position: Place::Whole,
                message: format!(
                    "not a regular file ({}): not read (a pipe can be read as -, standard input)",
                    special(&m.file_type())
                ),
            }),
        }
    }
    found.sort_by(|a, b| a.file.cmp(&b.file));
    // The first name of a file in scan order is read, in each set of groups.
    let mut first: HashMap<((u64, u64), Vec<usize>), String> = HashMap::new();
    for f in found {
        if let Some(id) = f.id {
            let groups = groups_of(&f.file.display);
            match first.get(&(id, groups.clone())) {
                Some(same_as) => {
                    d.aliases.push(Alias {
                        path: f.file.display,
                        same_as: same_as.clone(),
                    });
                    continue;
                }
                None => {
                    first.insert((id, groups), f.file.display.clone());
                }
            }
        }
        d.files.push(f.file);
    }
    d.errors.sort();
    d.skipped.sort();
    d
}

fn is_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

fn file(p: &Path, m: &Metadata, link: bool) -> Found {
    Found {
        file: InputFile {
            display: name::of_path(p),
            path: Some(p.to_path_buf()),
            data: None,
            link: link
                .then(|| std::fs::canonicalize(p).ok())
                .flatten()
                .map(|t| name::of_path(&t)),
        },
        id: Some((m.dev(), m.ino())),
    }
}

/// What a special file is, in words.
fn special(t: &FileType) -> &'static str {
    if t.is_fifo() {
        "FIFO"
    } else if t.is_char_device() {
        "character device"
    } else if t.is_block_device() {
        "block device"
    } else if t.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

fn walk(dir: &Path, found: &mut Vec<Found>, d: &mut Discovery) {
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let e = match entry {
            Ok(e) => e,
            Err(e) => {
                d.errors.push(InputError {
                    path: e.path().map_or_else(|| name::of_path(dir), name::of_path),
                    position: Place::Whole,
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let t = e.file_type();
        if t.is_dir() {
            continue;
        }
        match e.metadata() {
            Ok(m) if t.is_file() => found.push(file(e.path(), &m, e.path_is_symlink())),
            Ok(_) => d.skipped.push(Skipped {
                path: name::of_path(e.path()),
                reason: format!("{} (not a regular file)", special(&t)),
                sha256: String::new(),
            }),
            Err(err) => d.errors.push(InputError {
                path: name::of_path(e.path()),
                position: Place::Whole,
                message: format!("cannot read: {err}"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_group(_: &str) -> Vec<usize> {
        vec![0]
    }

    #[test]
    fn discovery_is_sorted_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.csv", "a.csv", "sub/c.csv"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let d = discover(
            &[
                dir.path().join("sub"),
                dir.path().to_path_buf(),
                dir.path().join("nope"),
            ],
            &one_group,
        );
        let root = dir.path().display().to_string();
        let names: Vec<_> = d
            .files
            .iter()
            .map(|f| f.display.strip_prefix(&root).unwrap().to_string())
            .collect();
        assert_eq!(names, ["/a.csv", "/b.csv", "/sub/c.csv"]);
        assert_eq!(d.errors.len(), 1);
        // sub/c.csv was named twice: read once, the second name listed
        assert_eq!(d.aliases.len(), 1);
    }

    #[test]
    fn a_link_is_read_once_per_recipient_group() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["a", "b"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("a/x.csv"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("a/x.csv"), dir.path().join("b/x.csv")).unwrap();
        std::fs::hard_link(dir.path().join("a/x.csv"), dir.path().join("a/y.csv")).unwrap();
        let by_folder = |p: &str| vec![usize::from(p.contains("/b/"))];
        let d = discover(&[dir.path().to_path_buf()], &by_folder);
        let names: Vec<&str> = d.files.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names[1].ends_with("b/x.csv"));
        assert!(d.files[1].link.as_deref().unwrap().ends_with("a/x.csv"));
        // the hard link in the same folder is the same file, read once
        assert_eq!(d.aliases.len(), 1);
        assert!(d.aliases[0].path.ends_with("a/y.csv"));
        // one group: the symlink is a second name too
        let d = discover(&[dir.path().to_path_buf()], &one_group);
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.aliases.len(), 2);
    }

    #[test]
    fn special_files_are_errors_given_directly_and_skipped_inside_a_directory() {
        let d = discover(&[PathBuf::from("/dev/zero")], &one_group);
        assert!(d.files.is_empty());
        assert!(
            d.errors[0].message.contains("character device"),
            "{:?}",
            d.errors
        );
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/null", dir.path().join("null")).unwrap();
        std::fs::write(dir.path().join("a.csv"), "x").unwrap();
        let d = discover(&[dir.path().to_path_buf()], &one_group);
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.skipped.len(), 1);
        assert!(d.skipped[0].reason.contains("character device"));
    }
}
