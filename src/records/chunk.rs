//! What a chunk's parser needs to know besides its bytes.

use super::format::Format;
use super::{json, sql};
use crate::decode::FieldDecoding;

/// How to parse one chunk.
#[derive(Clone, Debug)]
pub struct ChunkSpec {
    pub format: Format,
    pub decoding: FieldDecoding,
    /// The header row: the index of the record to skip in the file's first
    /// chunk (records above it, a title line, are read as records).
    pub header_at: Option<u32>,
    /// SQL: the state the chunk starts in (tables known, inside which
    /// statement).
    pub sql: Option<std::sync::Arc<sql::SqlContext>>,
    /// Leak text: the number of fields the file's lines usually have
    /// ([`super::usual_fields`]).
    pub fields: Option<u16>,
    /// JSON: the records of the chunk, as its framer found them.
    pub items: Vec<json::Item>,
}
