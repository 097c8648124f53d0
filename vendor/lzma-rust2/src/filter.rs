//! Implements filter used by both the 7z and XZ file format.

pub mod bcj;
pub mod bcj2;
pub mod delta;
