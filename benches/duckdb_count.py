#!/usr/bin/env python3
"""The DuckDB side of benches/compare.py: "what a compliance analyst would
write instead of tiaoshu" -- one SQL query that classifies every row of a CSV
(or JSONL) dump into a kind and counts records and distinct records per kind.

    python3 benches/duckdb_count.py FILE [--threads 2] [--format csv|jsonl] [--print-sql]

How the query is built (it is printed with --print-sql):

* The file is read with read_csv(all_varchar=true, header=true) -- every cell
  a string, so no type sniffing can fail on a dirty column -- or, for JSONL,
  read_json(format='newline_delimited') with every top-level key cast to
  VARCHAR (a nested object, e.g. {"经度":..,"纬度":..}, becomes its text).
* Each column is given a role by its header, the way an analyst maps the
  columns of a dump by hand. The header vocabulary is taken from the
  project's own patterns/*.toml (identifiers, attributes, kind evidence, the
  non-PI row numbers), matched after NFKC, trimming and lower-casing, so the
  query sees the same columns tiaoshu's header rules see. Columns with an
  unknown header are ignored.
* Identifier columns are checked with regexp_full_match against the same four
  shapes compare.py gives ripgrep (resident ID, mainland mobile, e-mail, bank
  card); a cell holding '*' counts as masked, i.e. absent.
* A row is PI when it holds a strong identifier (but is not a bare phone
  number), or a name together with another attribute or kind evidence; its
  kind is the first kind, in tiaoshu's order, whose evidence columns are
  non-empty; name + resident ID + address makes other_safety; else general.
* Per kind: count(*) (seized), the rows whose identifiers have a valid shape
  (valid), and count(DISTINCT key) over the valid rows (counted), where key is
  the row's PI columns joined with U+001F.

This is a benchmark workload, not a reimplementation: check digits, dedup key
normalisation, header-less files and free text are not attempted.
"""
import argparse
import os
import sys
import time
import tomllib
import unicodedata

import duckdb

PATTERNS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "patterns")

# Shapes of the four identifiers; the same patterns compare.py gives ripgrep.
SHAPES = {
    "resident_id": r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]",
    "mobile": r"1[3-9]\d{9}",
    "email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    "bank_card": r"[3-6]\d{15,18}",
}

# tiaoshu's kind order (src/model.rs Kind::ALL): the first kind with evidence wins.
KINDS = ["tracking", "comm_content", "credit", "property", "accommodation",
         "comm_records", "health", "transaction", "other_safety"]


def header_key(h):
    """Lower-case, half-width, trimmed; spaces and dashes become underscores
    (as tiaoshu's header_key); a dotted JSON path keeps its last segment."""
    h = unicodedata.normalize("NFKC", h).strip().strip("\"'`[]").lower()
    h = h.replace(" ", "_").replace("-", "_")
    return h.rsplit(".", 1)[-1]


def load_vocabulary(patterns_dir):
    """header -> (class, id): class is identifier | attribute | ignore | evidence."""
    vocab = {}
    for fname, table in (("identifiers.toml", "detector"), ("attributes.toml", "detector"),
                         ("kinds.toml", "rule")):
        with open(os.path.join(patterns_dir, fname), "rb") as f:
            doc = tomllib.load(f)
        for entry in doc.get(table, []):
            role = ("evidence", entry["evidence"]) if table == "rule" else (entry["class"], entry["id"])
            for h in entry.get("headers", []):
                vocab.setdefault(header_key(h), role)
    return vocab


def q(col):
    """Quote an identifier for SQL."""
    return '"' + col.replace('"', '""') + '"'


def lit(s):
    """Quote a string literal for SQL."""
    return "'" + s.replace("'", "''") + "'"


def any_of(exprs):
    return "(" + " OR ".join(exprs) + ")" if exprs else "false"


def build_query(source_sql, columns, vocab):
    """The classification query for a table whose columns are `columns`."""
    roles = {}  # (class, id) -> [column, ...]
    for c in columns:
        role = vocab.get(header_key(c))
        if role:
            roles.setdefault(role, []).append(c)

    def cols(cls, ident=None):
        return [c for (k, i), cs in roles.items() for c in cs
                if k == cls and (ident is None or i == ident)]

    def present(c):
        return f"coalesce({q(c)}, '') <> ''"

    def present_unmasked(c):
        return f"(coalesce({q(c)}, '') <> '' AND NOT contains({q(c)}, '*'))"

    ident_cols = cols("identifier")
    shape_ok, strong = [], []
    for c in ident_cols:
        ident = vocab[header_key(c)][1]
        strong.append(present_unmasked(c))
        if ident in SHAPES:
            shape_ok.append(f"coalesce(regexp_full_match(trim({q(c)}), {lit(SHAPES[ident])}), false)")
        else:  # passport, QQ, ...: presence is all this query checks
            shape_ok.append(present_unmasked(c))
    mobiles = [present_unmasked(c) for c in cols("identifier", "mobile")]
    non_mobile_strong = [present_unmasked(c) for c in ident_cols
                         if vocab[header_key(c)][1] != "mobile"]
    other_attrs = [present(c) for c in cols("attribute") if vocab[header_key(c)][1] != "name"]

    evidence = {}  # evidence id -> SQL boolean over its columns
    for (k, i), cs in roles.items():
        if k == "evidence":
            evidence[i] = any_of([present(c) for c in cs])
    pi_cols = [c for c in columns
               if c in set(ident_cols) | set(cols("attribute")) | set(cols("evidence"))]
    key = ("concat_ws(chr(31), " + ", ".join(f"coalesce({q(c)}, '')" for c in pi_cols) + ")"
           if pi_cols else "''")

    # Kind evidence: each kind's own columns, plus the policy-governed evidence
    # at tiaoshu's default policies (travel -> other_safety, an ID-card image
    # or face -> other_safety, a password with a bank card -> property, name +
    # resident ID + address -> other_safety). Absent evidence is left out.
    def ev(i):
        return [f"ev_{i}"] if i in evidence else []
    kind_when = []
    for k in KINDS:
        conds = ev(k)
        if k == "property" and "credential" in evidence:
            conds.append("(ev_credential AND has_card)")
        if k == "other_safety":
            conds += ev("travel") + ev("idcard_image") + ev("face")
            conds.append("(has_name AND has_rid AND has_addr)")
        if conds:
            kind_when.append(f"      WHEN {' OR '.join(conds)} THEN '{k}'")
    ev_cols = "".join(f"    {v} AS ev_{k},\n" for k, v in evidence.items())
    has_evidence = any_of([f"ev_{k}" for k in evidence])

    return f"""WITH src AS (
  {source_sql}
),
facts AS (
  SELECT
    {any_of(strong)} AS has_strong,
    {any_of(shape_ok)} AS shape_ok,
    {any_of(mobiles)} AND NOT {any_of(non_mobile_strong)} AS only_phone,
    {any_of([present(c) for c in cols("attribute", "name")])} AS has_name,
    {any_of(other_attrs)} AS has_attr,
    {any_of([present(c) for c in cols("attribute", "address")])} AS has_addr,
    {any_of([present_unmasked(c) for c in cols("identifier", "resident_id")])} AS has_rid,
    {any_of([present_unmasked(c) for c in cols("identifier", "bank_card")])} AS has_card,
{ev_cols}    {key} AS pi_key
  FROM src
),
classified AS (
  SELECT
    CASE
{chr(10).join(kind_when)}
      ELSE 'general'
    END AS kind,
    (NOT has_strong OR shape_ok) AS valid,
    pi_key
  FROM facts
  WHERE (has_strong AND NOT (only_phone AND NOT has_name AND NOT has_attr AND NOT {has_evidence}))
     OR (has_name AND (has_attr OR {has_evidence}))
)
SELECT kind,
       count(*) AS seized,
       count(*) FILTER (WHERE valid) AS valid,
       count(DISTINCT pi_key) FILTER (WHERE valid) AS counted
FROM classified
GROUP BY kind
ORDER BY kind"""


def source_for(con, path, fmt):
    """A SELECT yielding the file as all-VARCHAR columns, and the column names.

    DESCRIBE only samples the start of the file (the header, for CSV)."""
    if fmt == "csv":
        sql = f"SELECT * FROM read_csv({lit(path)}, all_varchar = true, header = true)"
        return sql, [r[0] for r in con.execute(f"DESCRIBE {sql}").fetchall()]
    # read_json has no all_varchar: cast each column, unquoting the ones it
    # typed JSON (mixed types, e.g. a phone number sometimes a string,
    # sometimes a number); a nested object becomes its text.
    raw = f"read_json({lit(path)}, format = 'newline_delimited')"
    cols = con.execute(f"DESCRIBE SELECT * FROM {raw}").fetchall()
    exprs = [f"{q(name)} ->> '$' AS {q(name)}" if typ == "JSON"
             else f"{q(name)}::VARCHAR AS {q(name)}" for name, typ, *_ in cols]
    return f"SELECT {', '.join(exprs)} FROM {raw}", [c[0] for c in cols]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--format", choices=["csv", "jsonl"],
                    help="default: jsonl for .jsonl/.ndjson/.json, else csv")
    ap.add_argument("--patterns", default=PATTERNS_DIR, help="tiaoshu patterns directory")
    ap.add_argument("--print-sql", action="store_true", help="print the query to stderr")
    a = ap.parse_args()
    fmt = a.format or ("jsonl" if a.file.lower().endswith((".jsonl", ".ndjson", ".json")) else "csv")

    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"PRAGMA threads={int(a.threads)}")
    source, columns = source_for(con, a.file, fmt)
    sql = build_query(source, columns, load_vocabulary(a.patterns))
    if a.print_sql:
        print(f"PRAGMA threads={int(a.threads)};\n{sql};", file=sys.stderr)
    rows = con.execute(sql).fetchall()
    print(f"{'kind':<14}{'seized':>12}{'valid':>12}{'counted':>12}")
    for kind, seized, valid, counted in rows:
        print(f"{kind:<14}{seized:>12,}{valid:>12,}{counted:>12,}")
    print(f"# {a.file}: {sum(r[1] for r in rows):,} PI rows, "
          f"{time.perf_counter() - t0:.3f} s inside Python", file=sys.stderr)


if __name__ == "__main__":
    main()
