//! Every flag of every command, in one place (as ripgrep keeps its flags in
//! one table): help text and docs come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::{Level, Subject};
use crate::report::Lang;
use crate::tally::Basis;

#[derive(Debug, Parser)]
#[command(
    name = "tiaoshu",
    version,
    about = "Counts personal information in data dumps the way a PRC court does (Criminal Law Art. 253-1, 286-1; Fa Shi [2017] No. 10)",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size of the scan's options does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files, directories or stdin and assess the counts.
    Scan(ScanArgs),
    /// Assess counts you already have (TOML or JSON), without scanning.
    Assess(AssessArgs),
    /// Render a saved JSON report as a case-file report (HTML or Markdown).
    Report(ReportArgs),
    /// Print the thresholds and counting rules as the tool applies them.
    Explain(ExplainArgs),
    /// Inspect the detectors and kind rules.
    Patterns(PatternsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Csv,
    Tsv,
    #[value(alias = "txt")]
    Text,
    #[value(alias = "ndjson")]
    Jsonl,
    Json,
    Sql,
}

/// Options shared by the commands that assess.
#[derive(Debug, Args)]
pub struct CaseArgs {
    /// Case file (TOML, SPEC §4): subject, gains, prior punishment, consequences, recipients, policies.
    #[arg(long, value_name = "FILE")]
    pub case: Option<PathBuf>,
    /// Who acted: ordinary, duty (sold/provided data obtained in duties or services: half thresholds), business (Art. 6). Overrides the case file.
    #[arg(long, value_enum)]
    pub subject: Option<Subject>,
    /// Illegal gains in RMB. Overrides the case file.
    #[arg(long, value_name = "RMB")]
    pub gains: Option<u64>,
    /// Exit with status 1 when this level is reached under either article.
    #[arg(long, value_enum, default_value = "none")]
    pub fail_on: Level,
    /// Write the JSON report (schema tiaoshu.report/1) to FILE, or - for stdout.
    /// FILE is checked before the scan (not an input, not inside a scanned
    /// directory) and put in place only when complete.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Colour in the terminal summary.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: Color,
    /// No terminal summary.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories (recursive) to scan; - reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub case: CaseArgs,
    /// A classification policy, NAME=VALUE: travel=other_safety|tracking, idcard=strict|broad, bare_phone=exclude|count, track_unit=point|person. Repeatable; overrides the case file.
    #[arg(long = "policy", value_name = "NAME=VALUE")]
    pub policies: Vec<String>,
    /// Which count the assessment uses (all three are always reported).
    #[arg(long, value_enum)]
    pub basis: Option<Basis>,
    /// Input encoding instead of detecting it per file (gbk is read as
    /// GB18030; gb18030, gb2312 and cp936 are the same value).
    #[arg(long, value_name = "ENCODING", ignore_case = true)]
    pub encoding: Option<crate::decode::Encoding>,
    /// Input format instead of detecting it per file.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Field delimiter for delimited input (one byte, or \t); implies --format csv.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Add or override detectors and kind rules with the *.toml files in DIR.
    #[arg(long, value_name = "DIR")]
    pub patterns: Option<PathBuf>,
    /// Worker threads (0: one per core; capped at 4 per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// A record that runs on past SIZE bytes without ending (a file with no
    /// line breaks, a quote that never closes) is cut there and reported.
    #[arg(long = "max-record", value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_record: u64,
    /// A compressed stream or archive entry may expand at most N times what
    /// it consumed (past the first 16 MiB); beyond, reading it stops with an error.
    #[arg(long = "max-ratio", value_name = "N", default_value_t = 1000)]
    pub max_ratio: u64,
    /// Decompression under one input file, nested archives included, may
    /// produce at most --max-ratio times the file's size (past 16 MiB), and
    /// never more than SIZE bytes in all.
    #[arg(long = "max-expanded", value_name = "SIZE", default_value = "1T", value_parser = parse_size)]
    pub max_expanded: u64,
    /// Exit with status 2 when a file was skipped (an image, an executable,
    /// unknown binary), as for an input that could not be read.
    #[arg(long)]
    pub strict: bool,
    /// Memory for the dedup table (about 21 bytes per distinct record); past
    /// it, dedup keys spill to temporary files and are still counted exactly.
    /// With --evidence, each of the table's two sorts also takes up to a
    /// quarter of SIZE.
    #[arg(long = "max-memory", value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_memory: u64,
    /// A password to try on encrypted zip entries (ZipCrypto, AES) and 7z
    /// archives; repeat for several, tried in order. It is never printed or
    /// written to any report.
    #[arg(long = "password", value_name = "PW")]
    pub passwords: Vec<String>,
    /// Passwords to try, one per line (as --password).
    #[arg(long = "password-file", value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Directory for spilled dedup keys and the evidence table's temporary
    /// files (default: $TMPDIR or /tmp). Files are owner-only and removed on
    /// exit, also on Ctrl-C.
    #[arg(long = "temp-dir", value_name = "DIR")]
    pub temp_dir: Option<PathBuf>,
    /// Write a case-file report: FILE.html (self-contained, prints on A4) or
    /// FILE.md. The same report can be made later from the JSON with
    /// `tiaoshu report`.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Language of --report.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
    /// Write the evidence table, one row per personal-information record with
    /// its file, position, kind and status: FILE.parquet, FILE.csv or FILE.jsonl.
    #[arg(long, value_name = "FILE")]
    pub evidence: Option<PathBuf>,
    /// Show identifiers, and the file names holding them, unmasked in the
    /// evidence table (reports, the JSON and the terminal stay masked).
    #[arg(long)]
    pub reveal: bool,
    /// Chunk size in bytes (for testing determinism; the default suits real input).
    #[arg(long, hide = true, default_value_t = 4 << 20)]
    pub chunk_bytes: usize,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Counts per kind and case facts (TOML or JSON): `[counts] tracking = 40`.
    #[arg(long, value_name = "FILE")]
    pub counts: PathBuf,
    #[command(flatten)]
    pub case: CaseArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A JSON report written by `tiaoshu scan --json`.
    #[arg(value_name = "REPORT.json")]
    pub json: PathBuf,
    /// Write the report as self-contained HTML.
    #[arg(long, value_name = "OUT")]
    pub html: Option<PathBuf>,
    /// Write the report as Markdown.
    #[arg(long, value_name = "OUT")]
    pub md: Option<PathBuf>,
    /// Language of the report.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: Lang,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Only this article: 253-1 or 286-1.
    #[arg(long)]
    pub article: Option<String>,
    /// Language: zh or en.
    #[arg(long, default_value = "en")]
    pub lang: String,
}

#[derive(Debug, Args)]
pub struct PatternsArgs {
    #[command(subcommand)]
    pub action: PatternsAction,
    /// Add or override patterns with the *.toml files in DIR.
    #[arg(long, value_name = "DIR", global = true)]
    pub patterns: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PatternsAction {
    /// List every detector and kind rule.
    List,
    /// Show what detection makes of one value.
    Check {
        value: String,
        /// Show the value unmasked.
        #[arg(long)]
        reveal: bool,
    },
    /// Run the examples and negative examples of a pattern file.
    Test { file: PathBuf },
}

/// A byte size: a number with an optional K, M, G or T suffix (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, shift) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err(format!("{s:?}: unknown size suffix (K, M, G, T)")),
            };
            (&s[..i], shift)
        }
        _ => (s, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: not a size (e.g. 512M, 2G)"))?;
    n.checked_shl(shift)
        .filter(|v| v >> shift == n)
        .ok_or_else(|| format!("{s:?}: too large"))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("1500"), Ok(1500));
        assert_eq!(parse_size("16K"), Ok(16 << 10));
        assert_eq!(parse_size("64m"), Ok(64 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("1T"), Ok(1 << 40));
        assert!(parse_size("17179869184T").is_err(), "overflow");
        assert!(parse_size("12Q").is_err());
        assert!(parse_size("").is_err());
        assert!(parse_size("M").is_err());
    }
}
