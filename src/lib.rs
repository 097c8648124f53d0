//! tiaoshu (条数): sizes personal information in data dumps the way a PRC
//! court counts it.
//!
//! The pipeline, one module per stage, each knowing only the one before it:
//!
//! ```text
//! input → decode → records → detect → classify → tally → assess → report
//! ```
//!
//! [`scan`] drives the stages from `input` to `tally`; [`cmd`] holds the
//! subcommands, [`cli`] every flag.

pub mod assess;
pub mod case;
pub mod classify;
pub mod cli;
pub mod cmd;
pub mod decode;
pub mod detect;
pub mod input;
pub mod model;
pub mod records;
pub mod report;
pub mod scan;
pub mod spill;
pub mod tally;
