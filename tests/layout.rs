//! The shape of `src/`: no import cycles between files, and each stage of the
//! pipeline imports only the stages before it (STYLE.md, ARCHITECTURE.md):
//!
//! ```text
//! input → decode → records → detect → classify → tally → assess → report
//! ```
//!
//! `model`, `case` and `spill` are shared by every stage and import no stage;
//! `scan` drives the stages from `input` to `tally`; `cmd`, `cli`, `lib` and
//! `main` are the edge and may import anything. A reference is any path
//! through `crate::`, `super::`, `self::` or a child module declared in the
//! file, in `use` lines and in code alike; test code (`#[cfg(test)]` blocks,
//! files under a `tests` folder) is not read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The pipeline, in order. A stage may import the stages before it.
const STAGES: [&str; 8] = [
    "input", "decode", "records", "detect", "classify", "tally", "assess", "report",
];

/// Shared by all stages; they import nothing but each other.
const SHARED: [&str; 3] = ["model", "case", "spill"];

/// The driver: it may import the stages it drives and the shared modules.
const DRIVER: (&str, &str) = ("scan", "tally");

/// The edge of the binary: may import anything.
const EDGE: [&str; 4] = ["cmd", "cli", "lib", "main"];

/// Imports against the pipeline order that are allowed, with the reason.
/// (from file, to file, why). Keep this list short; each entry is a debt.
const ALLOWED: &[(&str, &str, &str)] = &[];

/// Files in an import cycle not broken yet (the redesign of issue 13 breaks
/// them one by one): a cycle all of whose files are listed here is
/// tolerated. Empty when the redesign is done.
const CYCLES_TO_BREAK: &[&str] = &[];

/// A source file's module path (`records::sql::lex`) and its text.
struct File {
    module: Vec<String>,
    /// `mod x;` children declared in the file.
    children: BTreeSet<String>,
    code: String,
}

fn files(root: &Path) -> Vec<File> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "tests") {
                    stack.push(p);
                }
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs")
                || p.file_name().is_some_and(|n| n == "tests.rs")
            {
                continue;
            }
            let rel = p.strip_prefix(root).expect("under src");
            let mut module: Vec<String> = rel
                .with_extension("")
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            let text = std::fs::read_to_string(&p).expect("source is UTF-8");
            let code = without_tests(&strip_comments_and_strings(&text));
            let children = code
                .lines()
                .filter_map(|l| {
                    let l = l.trim();
                    let l = l.strip_prefix("pub ").unwrap_or(l);
                    let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
                    l.strip_prefix("mod ")?
                        .strip_suffix(';')
                        .map(str::to_string)
                })
                .collect();
            out.push(File {
                module,
                children,
                code,
            });
        }
    }
    out
}

/// The text with comments blanked and string and char literals emptied, so
/// that a path in a doc comment or a message is not a reference.
fn strip_comments_and_strings(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if b[i] == b'\n' {
                            out.push('\n');
                        }
                        i += 1;
                    }
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'#' | b'"'))
                && (i == 0
                    || !is_word(b[i - 1])
                    || (b[i - 1] == b'b' && (i < 2 || !is_word(b[i - 2])))) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                j += 1;
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                while j < b.len() && !b[j..].starts_with(&close) {
                    if b[j] == b'\n' {
                        out.push('\n');
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j + close.len();
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    if b.get(i) == Some(&b'\n') {
                        out.push('\n');
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            b'\'' => {
                // a char literal ('a', '\n', '\u{..}') or a lifetime ('a)
                let end = if b.get(i + 1) == Some(&b'\\') {
                    b.get(i + 3..)
                        .and_then(|r| r.iter().position(|&c| c == b'\''))
                        .map(|k| i + 3 + k)
                } else {
                    let c = s[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + c) == Some(&b'\'')).then_some(i + 1 + c)
                };
                match end {
                    Some(e) => {
                        out.push_str("' '");
                        i = e + 1;
                    }
                    None => {
                        out.push('\'');
                        i += 1;
                    }
                }
            }
            _ => {
                let c = s[i..].chars().next().expect("in bounds");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// The code with `pub(in path)` visibilities cut to `pub`.
fn without_visibility_paths(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(k) = rest.find("pub(in ") {
        out.push_str(&rest[..k + 3]);
        rest = &rest[k + 3..];
        rest = rest.find(')').map_or("", |e| &rest[e + 1..]);
    }
    out.push_str(rest);
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Cuts `#[cfg(test)]` items: an inline `mod tests { … }` (to its closing
/// brace at the same indentation) or a single item.
fn without_tests(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.trim() == "#[cfg(test)]" {
            let indent = l.len() - l.trim_start().len();
            let next = lines.get(i + 1).copied().unwrap_or("");
            i += 1;
            if next.trim_end().ends_with('{') {
                let close = format!("{}}}", &l[..indent]);
                while i < lines.len() && lines[i].trim_end() != close {
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        out.push_str(l);
        out.push('\n');
        i += 1;
    }
    out
}

/// The paths a use tree names: `a::{b::{self, C}, d}` → `a::b`, `a::b::C`, `a::d`.
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = &tree[..open];
        let inner = tree[open + 1..]
            .trim_end()
            .strip_suffix('}')
            .unwrap_or(&tree[open + 1..]);
        let n = prefix.len();
        prefix.extend(
            head.split("::")
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().to_string()),
        );
        let (mut depth, mut start) = (0, 0);
        for (k, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..k], prefix, out);
                    start = k + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], prefix, out);
        prefix.truncate(n);
    } else if !tree.is_empty() {
        let mut p = prefix.clone();
        for seg in tree.split(" as ").next().unwrap_or("").split("::") {
            let seg = seg.trim();
            if seg != "self" && !seg.is_empty() {
                p.push(seg.to_string());
            }
        }
        out.push(p);
    }
}

/// Every path the file names through the crate: absolute module paths.
fn references(f: &File) -> Vec<Vec<String>> {
    // `super::` in `a/b.rs` and in `a/b/mod.rs` alike names `a`.
    let here = f.module.clone();
    let parent: Vec<String> = here[..here.len().saturating_sub(1)].to_vec();
    let mut raw = Vec::new();
    // `use` trees (which may hold braces), then paths in code; a visibility
    // (`pub(in crate::scan)`) names no item.
    let code = &without_visibility_paths(&f.code);
    let mut rest = code.as_str();
    while let Some(k) = rest.find("use ") {
        let before_ok = k == 0
            || !rest.as_bytes()[k - 1].is_ascii_alphanumeric() && rest.as_bytes()[k - 1] != b'_';
        let after = &rest[k + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if before_ok {
            expand(&after[..end], &mut Vec::new(), &mut raw);
        }
        rest = &after[end.min(after.len())..];
    }
    let bytes = code.as_bytes();
    for (k, _) in code.match_indices("::") {
        // the path that ends at this `::`: walk back over segments
        let mut s = k;
        while s > 0 {
            let c = bytes[s - 1];
            if c.is_ascii_alphanumeric() || c == b'_' || c == b':' {
                s -= 1;
            } else {
                break;
            }
        }
        if s > 0 && bytes[s - 1] == b'$' {
            continue;
        }
        // only the start of a path
        if s != k && !code[s..k].contains("::") {
            let mut e = k;
            while e < bytes.len()
                && (bytes[e].is_ascii_alphanumeric() || bytes[e] == b'_' || bytes[e] == b':')
            {
                e += 1;
            }
            if bytes.get(e) == Some(&b'{') {
                continue; // the head of a use group, read with the group
            }
            let path: Vec<String> = code[s..e]
                .split("::")
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect();
            raw.push(path);
        }
    }
    let mut out = Vec::new();
    for p in raw {
        let Some(first) = p.first() else { continue };
        let abs: Vec<String> = match first.as_str() {
            "crate" => p[1..].to_vec(),
            "super" => {
                let mut base = parent.clone();
                let mut q = &p[1..];
                while q.first().is_some_and(|s| s == "super") {
                    base.pop();
                    q = &q[1..];
                }
                base.extend(q.iter().cloned());
                base
            }
            "self" => here.iter().chain(&p[1..]).cloned().collect(),
            c if f.children.contains(c) => here.iter().chain(&p).cloned().collect(),
            _ => continue,
        };
        if !abs.is_empty() {
            out.push(abs);
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Shared,
    Stage(usize),
    Driver,
    Edge,
}

fn place(module: &[String]) -> Place {
    let top = module.first().map_or("lib", String::as_str);
    if SHARED.contains(&top) {
        Place::Shared
    } else if let Some(i) = STAGES.iter().position(|s| *s == top) {
        Place::Stage(i)
    } else if top == DRIVER.0 {
        Place::Driver
    } else if EDGE.contains(&top) {
        Place::Edge
    } else {
        panic!("src/{top}: not a stage, shared module, driver or edge: add it to tests/layout.rs and ARCHITECTURE.md")
    }
}

fn allowed(from: &Place, to: &Place) -> bool {
    let last_driven = STAGES
        .iter()
        .position(|s| *s == DRIVER.1)
        .expect("the driver's last stage");
    match (from, to) {
        (_, Place::Shared) => true,
        (Place::Shared, _) => false,
        (Place::Stage(a), Place::Stage(b)) => b <= a,
        (Place::Stage(_), _) => false,
        (Place::Driver, Place::Stage(b)) => *b <= last_driven,
        (Place::Driver, Place::Driver) => true,
        (Place::Driver, _) => false,
        (Place::Edge, _) => true,
    }
}

fn name(m: &[String]) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

struct Graph {
    files: Vec<File>,
    /// from file → to file (indices into `files`), with one example path.
    edges: BTreeMap<usize, BTreeMap<usize, String>>,
}

fn graph() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = files(&root);
    let index: BTreeMap<Vec<String>, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.module.clone(), i))
        .collect();
    let mut edges: BTreeMap<usize, BTreeMap<usize, String>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        for r in references(f) {
            // the deepest file module the path reaches
            let to = (0..=r.len())
                .rev()
                .find_map(|n| index.get(&r[..n]).copied());
            if let Some(to) = to {
                let root_file = files[to].module.is_empty();
                if to != i && !root_file {
                    edges
                        .entry(i)
                        .or_default()
                        .entry(to)
                        .or_insert_with(|| name(&r));
                }
            }
        }
    }
    Graph { files, edges }
}

#[test]
fn no_import_cycles_between_files() {
    let g = graph();
    // Depth-first search; a back edge closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; g.files.len()];
    let mut cycles = Vec::new();
    fn visit(
        v: usize,
        g: &Graph,
        mark: &mut [Mark],
        stack: &mut Vec<usize>,
        cycles: &mut Vec<String>,
    ) {
        mark[v] = Mark::Open;
        stack.push(v);
        for &w in g
            .edges
            .get(&v)
            .map(|e| e.keys().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            match mark[w] {
                Mark::New => visit(w, g, mark, stack, cycles),
                Mark::Open => {
                    let at = stack.iter().position(|&x| x == w).expect("on the stack");
                    let mut c: Vec<String> = stack[at..]
                        .iter()
                        .map(|&x| name(&g.files[x].module))
                        .collect();
                    let tolerated = c.iter().all(|m| CYCLES_TO_BREAK.contains(&m.as_str()));
                    c.push(name(&g.files[w].module));
                    if !tolerated {
                        cycles.push(c.join(" → "));
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        mark[v] = Mark::Done;
    }
    for v in 0..g.files.len() {
        if mark[v] == Mark::New {
            visit(v, &g, &mut mark, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(
        cycles.is_empty(),
        "import cycles between files:\n  {}",
        cycles.join("\n  ")
    );
}

#[test]
fn stages_import_only_the_stages_before_them() {
    let g = graph();
    let mut wrong = Vec::new();
    let mut used_exceptions = BTreeSet::new();
    for (&from, tos) in &g.edges {
        let a = &g.files[from].module;
        for (&to, example) in tos {
            let b = &g.files[to].module;
            if allowed(&place(a), &place(b)) {
                continue;
            }
            let (fa, fb) = (name(a), name(b));
            if let Some(e) = ALLOWED.iter().find(|(x, y, _)| *x == fa && *y == fb) {
                used_exceptions.insert(e.0.to_string() + " → " + e.1);
                continue;
            }
            wrong.push(format!("{fa} → {fb} (through `{example}`)"));
        }
    }
    let stale: Vec<String> = ALLOWED
        .iter()
        .map(|(a, b, _)| format!("{a} → {b}"))
        .filter(|e| !used_exceptions.contains(e))
        .collect();
    assert!(
        wrong.is_empty(),
        "imports against the pipeline order (input → decode → records → detect → classify → tally → assess → report; shared: {SHARED:?}):\n  {}",
        wrong.join("\n  ")
    );
    assert!(
        stale.is_empty(),
        "exceptions in ALLOWED that no import needs any more:\n  {}",
        stale.join("\n  ")
    );
}

#[test]
fn the_checker_reads_paths_as_the_compiler_does() {
    let code = strip_comments_and_strings(
        "use crate::{records::{self, Format}, detect::Engine};\n// crate::report::x\nlet s = \"crate::assess\"; let c = 'a'; let q = '\\''; fn f<'a>() {}\nlet r = r#\"crate::tally\"#; super::x::y(); child::z();",
    );
    assert!(
        !code.contains("report") && !code.contains("assess") && !code.contains("tally"),
        "{code}"
    );
    let f = File {
        module: vec!["scan".into(), "read".into()],
        children: ["child".to_string()].into(),
        code,
    };
    let mut refs: Vec<String> = references(&f).iter().map(|r| name(r)).collect();
    refs.sort();
    refs.dedup();
    assert_eq!(
        refs,
        [
            "detect::Engine",
            "records",
            "records::Format",
            "scan::read::child::z",
            "scan::x::y"
        ]
    );
    assert_eq!(
        without_tests("a\n#[cfg(test)]\nmod tests {\n    b\n}\nc\n"),
        "a\nc\n"
    );
}
