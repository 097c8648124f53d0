//! `tiaoshu explain [--article 253-1|286-1] [--lang zh|en]`.

use anyhow::{anyhow, Result};

use super::EXIT_OK;
use crate::assess::Article;
use crate::cli::ExplainArgs;
use crate::report::explain::explain;
use crate::report::Lang;

pub fn run(args: &ExplainArgs) -> Result<u8> {
    let article = args
        .article
        .as_deref()
        .map(|a| Article::parse(a).ok_or_else(|| anyhow!("--article {a:?}: 253-1 or 286-1")))
        .transpose()?;
    let lang =
        Lang::parse(&args.lang).ok_or_else(|| anyhow!("--lang {:?}: zh or en", args.lang))?;
    super::output::stdout(explain(article, lang).as_bytes())?;
    Ok(EXIT_OK)
}
