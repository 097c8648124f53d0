//! How to scan: the options of one run.

use std::path::PathBuf;

use crate::classify::Policies;
use crate::decode::Encoding;
use crate::input::container::Limits;
use crate::records::Format;

/// How to scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    pub threads: usize,
    pub encoding: Option<Encoding>,
    pub format: Option<Format>,
    pub policies: Policies,
    /// Target chunk size in bytes.
    pub chunk_bytes: usize,
    /// A record longer than this is cut (and reported).
    pub max_record_bytes: usize,
    /// Limits against decompression bombs.
    pub limits: Limits,
    /// Memory for the dedup table; past it, keys spill to disk.
    pub max_memory: u64,
    /// Where spilled dedup keys go (default: the system's temporary directory).
    pub temp_dir: Option<PathBuf>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Evidence rows show identifiers unmasked (`--reveal`).
    pub reveal: bool,
    /// Passwords to try on encrypted zip entries and 7z archives, in order
    /// (`--password`, `--password-file`). Never written anywhere.
    pub passwords: Vec<String>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            encoding: None,
            format: None,
            policies: Policies::default(),
            chunk_bytes: 4 << 20,
            max_record_bytes: 64 << 20,
            limits: Limits::default(),
            max_memory: 1 << 30,
            temp_dir: None,
            progress: false,
            reveal: false,
            passwords: Vec::new(),
        }
    }
}
