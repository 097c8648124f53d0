//! Reports (SPEC §5): the machine report (`tiaoshu.report/1`) and the terminal
//! summary. This stage formats what it is given and decides nothing.

pub mod blocks;
pub mod casefile;
pub mod chart;
pub mod doc;
pub mod evidence;
pub mod explain;
pub mod html;
pub mod json;
pub mod law;
pub mod markdown;
pub mod terminal;
pub mod words;

pub use words::Lang;

pub use json::{
    build, from_counts, write_json, KindRow, Kinds, PoliciesJson, PolicyEffect, RecipientJson,
    Report, Tool, Totals, SCHEMA,
};

/// The format of a case-file report, from its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseFormat {
    Html,
    Markdown,
}

impl CaseFormat {
    pub fn from_path(path: &std::path::Path) -> Option<CaseFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(CaseFormat::Html),
            "md" | "markdown" => Some(CaseFormat::Markdown),
            _ => None,
        }
    }
}

/// The case-file report of a JSON report, in one language.
pub fn casefile(doc: &doc::Doc, lang: Lang, format: CaseFormat) -> String {
    let blocks = casefile::build(doc, lang);
    match format {
        CaseFormat::Html => html::render(&blocks, words::words(lang).lang_attr),
        CaseFormat::Markdown => markdown::render(&blocks),
    }
}
