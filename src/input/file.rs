//! One input, and what is reported about an input: an error, a skip.

use std::io::{self, Read};
use std::path::PathBuf;

use serde::Serialize;

use crate::model::Place;

/// One file to read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// The path as the user will recognise it (`<stdin>` for `-`).
    pub display: String,
    /// `None` for standard input (or `data`).
    pub path: Option<PathBuf>,
    /// Bytes held in memory instead of a file (fuzzing, embedding).
    pub data: Option<std::sync::Arc<[u8]>>,
    /// The file a symbolic link named on the command line or met in a
    /// directory leads to, as reports show it.
    pub link: Option<String>,
}

impl InputFile {
    /// Bytes in memory, named `display`.
    pub fn in_memory(display: &str, data: Vec<u8>) -> InputFile {
        InputFile {
            display: display.to_string(),
            path: None,
            data: Some(data.into()),
            link: None,
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
    /// Shown as the reports show a place (`line 3, byte 120`; the input as
    /// a whole is the empty string).
    #[serde(serialize_with = "crate::model::as_display")]
    pub position: Place,
    pub message: String,
}

/// A file the tool does not read (image, executable, unknown binary).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
    pub sha256: String,
}
