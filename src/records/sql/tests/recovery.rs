//! Malformed statements, lost terminators, and what is reported.

use super::*;

#[test]
fn malformed_tuples_are_reported_and_reading_resumes() {
    let c = whole(MALFORMED);
    let ids: Vec<&str> = c.rows.iter().map(|r| r.fields[0].1.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "5", "6", "8", "10", "11", "13"]);
    assert_eq!(c.rows[0].fields, kv(&[("t.#1", "1"), ("t.#2", "a")]));
    let messages: Vec<&str> = c.errors.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(messages.len(), 6, "{messages:#?}");
    assert!(messages[0].contains("found `garbage"), "{}", messages[0]);
    assert!(messages[1].contains("unexpected `)"), "{}", messages[1]);
    assert!(
        messages[2].contains("not closed before `;`"),
        "{}",
        messages[2]
    );
    assert!(
        messages[3].contains("not closed before the next `(`"),
        "{}",
        messages[3]
    );
    assert!(
        messages[4].contains("column list is malformed"),
        "{}",
        messages[4]
    );
    assert!(
        messages[5].contains("no VALUES list (found `SELECT"),
        "{}",
        messages[5]
    );
    // errors point at what failed: the `(7` tuple
    assert_eq!(c.errors[2].0 as usize, MALFORMED.find("(7").unwrap());
    check_positions(MALFORMED, &c);
}

#[test]
fn an_unterminated_string_at_the_end_is_an_error_and_no_row() {
    let input = "INSERT INTO t VALUES (1,'a'),(2,'b\n";
    let c = whole(input);
    assert_eq!(c.rows.len(), 1);
    assert_eq!(c.errors.len(), 1);
    assert!(c.errors[0].1.contains("never closes"));
    assert_eq!(c.errors[0].0 as usize, input.find("'b").unwrap());
    for step in [1, 3, 7, 100] {
        assert_eq!(chunked(input.as_bytes(), step).rows, c.rows);
    }
    // a tuple cut off outside a string
    let c = whole("INSERT INTO t VALUES (1,'a'),(2,");
    assert_eq!(c.rows.len(), 1);
    assert!(c.errors[0].1.contains("ends inside this tuple"));
}

#[test]
fn a_copy_block_without_its_end_line_ends_at_the_next_statement() {
    let input = copy_missing_end();
    let c = whole(&input);
    assert_eq!(c.rows.len(), 3);
    assert_eq!(c.rows[1].fields, kv(&[("t.a", "2"), ("t.b", "y")]));
    assert_eq!(c.rows[2].fields, kv(&[("t.#1", "3"), ("t.#2", "z")]));
    assert_eq!(c.errors.len(), 1);
    assert!(
        c.errors[0].1.contains("no `\\.` end line"),
        "{}",
        c.errors[0].1
    );
    // CRLF, and a last line without a newline
    let c = whole("COPY t (a, b) FROM stdin;\r\n1\tx\r\n2\t\\N\r\n\\.\r\nCOPY t FROM stdin;\n7\t8");
    let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
    assert_eq!(
        rows,
        [
            kv(&[("t.a", "1"), ("t.b", "x")]),
            kv(&[("t.a", "2")]),
            kv(&[("t.#1", "7"), ("t.#2", "8")]),
        ]
    );
    // a single-column table: an empty line is an empty value
    let c = whole("COPY s (note) FROM stdin;\nhello\n\nSELECT 1\n\\.\n");
    assert_eq!(c.rows.len(), 3);
    assert_eq!(c.rows[2].fields, kv(&[("s.note", "SELECT 1")]));
}

#[test]
fn a_statement_without_its_semicolon_does_not_swallow_the_next() {
    for first in [
        "CREATE TABLE u (id int, note text, name text, idno text, mobile text)",
        "SET NAMES utf8",
        "USE db",
        "DROP TABLE x",
        "LOCK TABLES u WRITE",
        "/*!40101 SET NAMES utf8 */\nSET @a = 1",
        "SELECT 1",
        "DELETE FROM u WHERE id = 1",
        "garbage that is no statement",
    ] {
        let input = six_inserts(first);
        let c = whole(&input);
        assert_eq!(ids(&c), ["1", "2", "3", "4", "5", "6"], "{first}");
        assert_eq!(
            c.errors.len(),
            1 + usize::from(first.starts_with("garbage")),
            "{first}: {:?}",
            c.errors
        );
        let last = c.errors.last().unwrap();
        assert!(
            last.1.contains("`;` is missing before `INSERT`"),
            "{}",
            last.1
        );
        assert_eq!(last.0 as usize, input.find("INSERT").unwrap());
        assert_masked(&c);
        check_positions(&input, &c);
        for step in [1, 2, 5, 17, 64] {
            let s = chunked(input.as_bytes(), step);
            assert_eq!(
                (&s.rows, &s.errors),
                (&c.rows, &c.errors),
                "{first}, step {step}"
            );
        }
    }
    // the columns of a CREATE TABLE without `;` are learned
    let c = whole(&six_inserts(
        "CREATE TABLE u (id int, note text, name text, idno text, mobile text)",
    ));
    assert_eq!(c.rows[0].fields[2], ("u.name".into(), "张三0".into()));
    // indented, after a line comment, a block comment, or on the same
    // line as the end of a block comment
    for input in [
        "SET NAMES utf8\n    INSERT INTO u VALUES (1);",
        "SET NAMES utf8 -- utf8\nINSERT INTO u VALUES (1);",
        "SET NAMES utf8\n/* a\nb */\nINSERT INTO u VALUES (1);",
        "SET\nINSERT INTO u VALUES (1);",
        "CREATE TABLE\nINSERT INTO u VALUES (1);",
        "COPY\nINSERT INTO u VALUES (1);",
        "INSERT INTO\nINSERT INTO u VALUES (1);",
        "SET NAMES utf8\r\nINSERT INTO u VALUES (1);",
        "CREATE TABLE t (a int) ENGINE=InnoDB\nREPLACE INTO u VALUES (1);",
    ] {
        let c = whole(input);
        assert_eq!(ids(&c), ["1"], "{input:?}");
        assert!(!c.errors.is_empty(), "{input:?}");
    }
}

#[test]
fn the_end_of_input_inside_a_skipped_statement_is_reported() {
    let c = whole("INSERT INTO t VALUES (1);\nUNLOCK TABLES");
    assert_eq!(ids(&c), ["1"]);
    assert_eq!(messages(&c).len(), 1);
    assert!(messages(&c)[0].contains("ends inside a statement"));
    // white space and comments after the last `;` are fine
    assert_eq!(whole("SELECT 1;\n-- done\n\n").errors, []);
    // a DELIMITER block never closed, and one whose end lost its `;;`
    let c = whole(
        "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nINSERT INTO t VALUES (1);\n",
    );
    assert_eq!(c.rows.len(), 0);
    assert!(
        messages(&c)[0].contains("no `;;` after it"),
        "{:?}",
        c.errors
    );
    let c = whole("DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nDELIMITER ;\nINSERT INTO t VALUES (1);\n");
    assert_eq!(ids(&c), ["1"]);
    assert_eq!(
        messages(&c),
        ["a `;;` is missing before `DELIMITER`: the statement before ends at this line"]
    );
    // a MySQL INSERT … SET cut short: no `;`, so its row may be cut too
    let c = whole("INSERT INTO t SET a = 1, b = 'x'");
    assert_eq!(c.rows.len(), 0);
    assert!(messages(&c)[0].contains("INSERT … SET"), "{:?}", c.errors);
    // the reviewer's f1 files: text that starts with a SQL word is not
    // read as nothing
    for text in [
            "Copy of 客户资料 2019\n张三0----110101197001010008----13800000000\n李四1----110101197102020010----13800000001\n",
            "DELETE after use! do not INSERT INTO any system\n张三0----110101197001010008----13800000000\n",
            "张三0----110101197001010008----13800000000\n",
        ] {
            let c = whole(text);
            assert_eq!(c.rows.len(), 0);
            assert!(!c.errors.is_empty(), "{text}");
            assert_masked(&c);
        }
}

#[test]
fn lines_that_go_on_a_statement_do_not_end_it() {
    let input = "UPDATE users
SET name = 'x'
WHERE id = 1;
ALTER TABLE users
  ALTER COLUMN x SET DEFAULT 1,
  DROP COLUMN y,
  ADD COLUMN copy int;
CREATE TABLE t (
    id int,
    copy int,
    insert_at timestamp,
    owner int REFERENCES users (id)
  ON DELETE
SET NULL
);
CREATE VIEW v AS
SELECT id,
  REPLACE(name, 'a', 'b')
FROM users;
CREATE FUNCTION f() RETURNS trigger AS $$
BEGIN
INSERT INTO log VALUES (NEW.id);
RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE RULE r AS
    ON INSERT TO t DO  INSERT INTO log (a)
  VALUES (new.a);
CREATE FUNCTION public.add_log(a integer) RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
 INSERT INTO public.log (x)
   VALUES (add_log.a);
 INSERT INTO public.log (x)
   VALUES (0);
 SELECT CASE WHEN a > 0 THEN 1 END;
END;
CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW
  INSERT INTO log VALUES (NEW.id);
INSERT INTO t (id, copy) VALUES (1, 2)
ON CONFLICT (id) DO UPDATE
SET copy = EXCLUDED.copy;
INSERT INTO t (id) VALUES (2)
ON DUPLICATE KEY UPDATE
  id = VALUES(id);
";
    let c = whole(input);
    assert_eq!(c.errors, []);
    let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
    assert_eq!(
        rows,
        [kv(&[("t.id", "1"), ("t.copy", "2")]), kv(&[("t.id", "2")])]
    );
}

#[test]
fn rows_cut_short_by_the_next_statement() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "INSERT INTO t VALUES (1, 'a'\nINSERT INTO t VALUES (2, 'b');",
            &["2"],
            "not closed before the next statement",
        ),
        (
            "INSERT INTO t VALUES (1, 'a',\nINSERT INTO t VALUES (2, 'b');",
            &["2"],
            "not closed before the next statement",
        ),
        (
            "INSERT INTO t VALUES (1),\nINSERT INTO t VALUES (2);",
            &["1", "2"],
            "cut short by the next statement",
        ),
        (
            "INSERT INTO t VALUES\nINSERT INTO t VALUES (2);",
            &["2"],
            "cut short by the next statement",
        ),
        (
            "INSERT INTO t VALUES (1) garbage\nINSERT INTO t VALUES (2);",
            &["1", "2"],
            "unexpected `garbage",
        ),
        (
            "INSERT INTO t VALUES (1), garbage,\nINSERT INTO t VALUES (2);",
            &["1", "2"],
            "found `garbage",
        ),
        (
            "INSERT INTO t SET a = 1\nINSERT INTO t VALUES (2);",
            &["1", "2"],
            "`;` is missing before `INSERT`",
        ),
        (
            "INSERT INTO t SET a = 1,\nINSERT INTO t VALUES (2);",
            &["1", "2"],
            "`;` is missing before `INSERT`",
        ),
        (
            "CREATE TABLE t (a int,\nINSERT INTO t VALUES (2);",
            &["2"],
            "CREATE TABLE is not closed before the next statement",
        ),
        (
            "INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 1\nINSERT INTO t VALUES (2);",
            &["1", "2"],
            "`;` is missing before `INSERT`",
        ),
    ];
    for &(input, want, message) in cases {
        let c = whole(input);
        assert_eq!(ids(&c), want, "{input:?}");
        assert!(
            messages(&c).iter().any(|m| m.contains(message)),
            "{input:?}: {:?}",
            c.errors
        );
        for step in [1, 3, 8] {
            let s = chunked(input.as_bytes(), step);
            assert_eq!(
                (&s.rows, &s.errors),
                (&c.rows, &c.errors),
                "{input:?}, step {step}"
            );
        }
    }
}

#[test]
fn a_copy_without_its_semicolon_reads_its_data() {
    let c =
        whole("COPY t (a, b) FROM stdin\n1\t张三\n2\t李四\n\\.\nINSERT INTO t VALUES (3, 'x');\n");
    assert_eq!(ids(&c), ["1", "2", "3"]);
    assert_eq!(c.rows[1].fields, kv(&[("t.a", "2"), ("t.b", "李四")]));
    assert_eq!(messages(&c).len(), 1);
    assert!(messages(&c)[0].contains("`;` is missing after `COPY"));
    // options on the next lines go on
    let c = whole("COPY t (a, b)\nFROM stdin\nWITH (FORMAT text)\n;\n1\tx\n\\.\n");
    assert_eq!(ids(&c), ["1"]);
    assert_eq!(c.errors, []);
    // other COPY forms hold no data; a broken one is reported
    assert_eq!(
        whole("COPY t TO stdout;\nCOPY t FROM '/tmp/x';\n").errors,
        []
    );
    let c = whole("COPY t (a b) FROM stdin;\n");
    assert!(messages(&c)[0].contains("column list is malformed"));
}

#[test]
fn unknown_statements_and_stray_input_are_reported() {
    // the second half of a dump split in two: its tuples are reported
    let c = whole("(3,'张三'),(4,'李四');\nINSERT INTO t VALUES (5);\n");
    assert_eq!(ids(&c), ["5"]);
    assert_eq!(messages(&c).len(), 1);
    assert!(messages(&c)[0].contains("does not start a statement"));
    assert_masked(&c);
    // COPY data that lost its COPY line
    let c = whole("1\t张三\t13812345678\n2\t李四\t13912345678\n\\.\nINSERT INTO t VALUES (5);\n");
    assert_eq!(ids(&c), ["5"]);
    assert!(messages(&c)[0].contains("unknown word"), "{:?}", c.errors);
    assert_masked(&c);
    // what dumps hold besides statements is no error
    let c = whole(
            "\\connect shop\nREM INSERTING into USERS\nPROMPT loading\nBEGIN\n  NULL;\nEND;\n/\nPRAGMA foreign_keys=OFF;\nSTART TRANSACTION;\nCOMMIT;\n\u{feff}SELECT 1;\n",
        );
    assert_eq!(c.errors, []);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Holds {
    Nothing,
    /// Column names.
    Columns,
    /// Rows, from an INSERT (or COPY); the ids of its rows.
    Rows(&'static [&'static str]),
    /// The row of a MySQL `INSERT … SET`.
    SetRow(&'static str),
}

/// Whole statements, `@` where their `;` is (which the test may drop);
/// readable in every dialect (a COPY turns on PostgreSQL's).
const WHOLE_STATEMENTS: &[(&str, Holds)] = &[
        ("SET NAMES utf8mb4@", Holds::Nothing),
        ("USE shop@", Holds::Nothing),
        ("DROP TABLE IF EXISTS users@", Holds::Nothing),
        ("LOCK TABLES users WRITE@", Holds::Nothing),
        ("UNLOCK TABLES@", Holds::Nothing),
        ("ALTER TABLE users ADD COLUMN x int@", Holds::Nothing),
        (
            "ALTER TABLE users\n  ALTER COLUMN x SET DEFAULT 1,\n  DROP COLUMN y@",
            Holds::Nothing,
        ),
        ("UPDATE users\nSET name = 'x'\nWHERE id = 1@", Holds::Nothing),
        ("CREATE INDEX idx ON users (name)@", Holds::Nothing),
        ("GRANT SELECT ON users TO app@", Holds::Nothing),
        ("SELECT 1@", Holds::Nothing),
        ("DELETE FROM users WHERE id = 3@", Holds::Nothing),
        (
            "CREATE VIEW v AS\nSELECT id,\n  REPLACE(name, 'a', 'b')\nFROM users@",
            Holds::Nothing,
        ),
        ("SELECT pg_catalog.setval('s', 5, true)@", Holds::Nothing),
        (
            "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\nINSERT INTO log VALUES (1);\nRETURN NEW;\nEND;\n$$ LANGUAGE plpgsql@",
            Holds::Nothing,
        ),
        ("COMMENT ON TABLE users IS 'it''s; here'@", Holds::Nothing),
        ("CREATE TABLE t2 AS\nSELECT * FROM users@", Holds::Nothing),
        (
            "CREATE TABLE users (\n  id int NOT NULL,\n  name varchar(20),\n  copy int REFERENCES t (id)\n    ON DELETE\nSET NULL,\n  PRIMARY KEY (id)\n) ENGINE=InnoDB@",
            Holds::Columns,
        ),
        (
            "INSERT INTO users VALUES (1,'张三'),(2,'李四')@",
            Holds::Rows(&["1", "2"]),
        ),
        (
            "INSERT INTO users (id, name) VALUES\n  (3, 'a;b'),\n  (4, 'c')@",
            Holds::Rows(&["3", "4"]),
        ),
        ("REPLACE INTO users VALUES (5, 'x')@", Holds::Rows(&["5"])),
        ("INSERT INTO users SET id = 6, name = 'y'@", Holds::SetRow("6")),
        (
            "INSERT INTO users VALUES (7, $$it's ),( ;$$)@",
            Holds::Rows(&["7"]),
        ),
        (
            "COPY users (id, name) FROM stdin@\n8\tx\n9\ty\n\\.",
            Holds::Rows(&["8", "9"]),
        ),
        (
            "INSERT INTO users (id, name) VALUES (10, 'a')\nON DUPLICATE KEY UPDATE\nname = VALUES(name)@",
            Holds::Rows(&["10"]),
        ),
        (
            "INSERT INTO users (id, name) VALUES (11, 'b')\nON CONFLICT (id) DO UPDATE\nSET name = EXCLUDED.name@",
            Holds::Rows(&["11"]),
        ),
        (
            "INSERT INTO users VALUES (12, 'c') RETURNING id@",
            Holds::Rows(&["12"]),
        ),
        (
            "CREATE TRIGGER trg AFTER INSERT ON users FOR EACH ROW\n  INSERT INTO log VALUES (NEW.id)@",
            Holds::Nothing,
        ),
        (
            "CREATE FUNCTION g() RETURNS void\n    LANGUAGE sql\n    BEGIN ATOMIC\n INSERT INTO log (x)\n   VALUES (1);\n SELECT 1;\nEND@",
            Holds::Nothing,
        ),
    ];

/// What may come between statements.
const BETWEEN: &[&str] = &[
    "",
    "",
    "-- comment\n",
    "/* block\n comment */\n",
    "\n",
    "  ",
];

/// Dumps of whole statements, some of which lost their `;`: every row
/// of every INSERT and COPY is read, whatever came before, and each lost
/// `;` before a statement that holds rows or columns (or at the end) is
/// reported. Whole dumps are read without errors.
#[test]
fn statements_that_lost_their_semicolon_lose_no_rows() {
    let mut rng = XorShift(0x853c_49e6_748f_ea9b);
    for round in 0..rounds(1500) {
        let count = 1 + rng.below(10);
        let picked: Vec<(&str, Holds)> = (0..count)
            .map(|_| WHOLE_STATEMENTS[rng.below(WHOLE_STATEMENTS.len())])
            .collect();
        let dropped: Vec<bool> = (0..count).map(|_| rng.below(3) == 0).collect();
        // in a SQL Server script `;` is optional (no errors to expect),
        // and a routine's body runs to `GO`
        let tsql = rng.below(5) == 0;
        let mut input = String::from(if tsql { "SET NOCOUNT ON\nGO\n" } else { "" });
        let mut want: Vec<&str> = Vec::new();
        let mut must_report = 0usize;
        for (i, &(text, holds)) in picked.iter().enumerate() {
            input.push_str(BETWEEN[rng.below(BETWEEN.len())]);
            input.push_str(&text.replace('@', if dropped[i] { "" } else { ";" }));
            input.push('\n');
            if tsql && (text.starts_with("CREATE FUNCTION") || text.starts_with("CREATE TRIGGER")) {
                input.push_str("GO\n");
            }
            input.push_str(BETWEEN[rng.below(BETWEEN.len())]);
            let last = i + 1 == count;
            match holds {
                Holds::Rows(ids) => want.extend(ids),
                // at the end of input without `;` the row may be cut short
                Holds::SetRow(id) if !(last && dropped[i]) => want.push(id),
                _ => {}
            }
            let next_holds = picked.get(i + 1).is_some_and(|n| n.1 != Holds::Nothing);
            let copy = text.starts_with("COPY");
            if dropped[i] && (next_holds || last || copy) {
                must_report += 1;
            }
        }
        if rng.below(4) == 0 {
            input = input.replace('\n', "\r\n");
        }
        if tsql {
            must_report = 0;
        }
        let c = whole(&input);
        let unfinished = SqlFramer::new().unfinished(input.as_bytes());
        let reported = c.errors.len() + usize::from(unfinished.is_some());
        let lost = dropped.iter().filter(|&&d| d).count();
        assert_eq!(ids(&c), want, "round {round}: {input:?}\n{:#?}", c.errors);
        assert!(
                reported >= must_report && reported <= 2 * lost,
                "round {round}: {reported} errors for {lost} lost `;` ({must_report} must be reported): {input:?}\n{:#?}",
                c.errors
            );
        assert_masked(&c);
        for step in [1 + rng.below(8), 9 + rng.below(100)] {
            let s = chunked(input.as_bytes(), step);
            assert_eq!(
                (&s.rows, &s.errors),
                (&c.rows, &c.errors),
                "round {round}, step {step}: {input:?}"
            );
        }
    }
}

#[test]
fn error_snippets_hide_personal_data() {
    assert_eq!(mask_snip("VALUES"), "VALUES");
    assert_eq!(mask_snip("'张三','13812345678'"), "'**','***********'");
    assert_eq!(mask_snip("zhang@qq.com, 1"), "************, *");
    assert_eq!(
        format!("{}", Snip(b"garbage 110101199003071234")),
        "garbage ****************…"
    );
}

#[test]
fn a_dump_that_stops_inside_its_data_is_noticed() {
    let framer = SqlFramer::new();
    let complete = b"CREATE TABLE t (a int);\nINSERT INTO t VALUES (1),(2);\n";
    assert_eq!(framer.unfinished(complete), None);
    for cut in [
        &b"INSERT INTO t VALUES (1),(2)"[..],
        b"INSERT INTO t VALUES (1),(2),",
        b"INSERT INTO t VALUES (1),('ab",
        b"COPY t (a) FROM stdin;\n1\n2\n",
    ] {
        assert!(
            framer.unfinished(cut).is_some(),
            "{}",
            String::from_utf8_lossy(cut)
        );
    }
    // the state carries over from earlier chunks
    let mut framer = SqlFramer::new();
    let head = b"INSERT INTO t VALUES (1),(2),";
    let n = framer.boundary(head, false).unwrap();
    assert_eq!(n, head.len());
    assert!(framer.unfinished(b"(3)").is_some());
    assert_eq!(framer.unfinished(b"(3);\n"), None);
}
