//! Whole dumps of each dialect and form, read as their authors meant.

use std::fmt::Write as _;

use super::*;

#[test]
fn reads_a_mysqldump() {
    let c = whole(MYSQLDUMP);
    assert_eq!(c.errors, []);
    assert_eq!(c.rows.len(), 5);
    assert_eq!(
        c.rows[0].fields,
        kv(&[
            ("users.id", "1"),
            ("users.name", "张三"),
            ("users.mobile", "13812345678"),
            ("users.id_card", "110105194912310029"),
            ("users.note", "It's a \"test\";\n(ok)"),
            ("users.balance", "-1.50"),
            ("users.avatar", "0x89504E470D0A1A0A"),
        ])
    );
    assert_eq!(
        c.rows[1].fields,
        kv(&[
            ("users.id", "2"),
            ("users.name", "O'Brien"),
            ("users.mobile", "13912345678"),
            ("users.id_card", "110105194912310030"),
            ("users.note", "C:\\path\\to"),
            ("users.avatar", "abc"),
        ]),
        "NULL is no field; an unquoted 18-digit ID keeps its digits"
    );
    assert_eq!(
        c.rows[2].fields,
        kv(&[
            ("users.id", "3"),
            ("users.name", "李四"),
            ("users.note", "tab\there"),
            ("users.balance", "0.00"),
            ("users.avatar", "Hello"),
        ])
    );
    assert_eq!(
        c.rows[3].fields,
        kv(&[
            ("orders.order_no", "202401010000000001"),
            ("orders.user_id", "1"),
            ("orders.address", "北京市朝阳区, 建国路 1 号"),
        ])
    );
    assert_eq!(c.rows[4].fields[2].1, "上海市\r\n浦东新区");
    let insert_line = MYSQLDUMP[..MYSQLDUMP.find("INSERT INTO `users`").unwrap()]
        .matches('\n')
        .count() as u64;
    assert_eq!(c.rows[0].line, insert_line);
    assert_eq!(c.rows[2].line, insert_line);
    check_positions(MYSQLDUMP, &c);
}

#[test]
fn reads_a_pg_dump() {
    let dump = pg_dump();
    let c = whole(&dump);
    assert_eq!(c.errors, []);
    assert_eq!(c.rows.len(), 5);
    assert_eq!(
        c.rows[0].fields,
        kv(&[
            ("customers.id", "1"),
            ("customers.full_name", "张三"),
            ("customers.phone", "13812345678"),
            ("customers.Home Address", "北京市\t朝阳区"),
            ("customers.tags", "{a,b}"),
            ("customers.created_at", "2024-01-01 10:00:00"),
        ])
    );
    assert_eq!(
        c.rows[1].fields,
        kv(&[
            ("customers.id", "2"),
            ("customers.full_name", "O'Brien"),
            ("customers.Home Address", "line1\nline2"),
            ("customers.created_at", "2024-01-02 00:00:00"),
        ])
    );
    assert_eq!(
        c.rows[2].fields,
        kv(&[
            ("customers.id", "3"),
            ("customers.full_name", "C:\\path"),
            ("customers.phone", "+86 139-1234-5678"),
            ("customers.Home Address", "\\N literal"),
            ("customers.tags", "{}"),
        ])
    );
    assert_eq!(
        c.rows[3].fields,
        kv(&[
            ("customers.id", "4"),
            ("customers.full_name", "O'Brien"),
            ("customers.phone", "C:\\path"),
            ("customers.Home Address", "first\nsecond"),
            ("customers.tags", "{x,y}"),
            ("customers.created_at", "2024-01-01 00:00:00"),
        ]),
        "a backslash stays a backslash with standard_conforming_strings"
    );
    assert_eq!(
        c.rows[4].fields,
        kv(&[
            ("customers.id", "5"),
            ("customers.phone", "13700000000"),
            ("customers.created_at", "now()"),
        ])
    );
    check_positions(&dump, &c);
}

#[test]
fn insert_forms() {
    let c = whole(VARIANTS);
    let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
    assert_eq!(
        rows,
        [
            kv(&[("t.a", "1"), ("t.b", "x")]),
            kv(&[("t.a", "2"), ("t.b", "y")]),
            kv(&[("t.#1", "3"), ("t.#2", "z")]),
            kv(&[("t.a", "4"), ("t.b", "w")]),
            kv(&[("t.a", "5"), ("t.b", "it's")]),
            kv(&[("t.a", "6"), ("t.b", "q")]),
            kv(&[("t.a", "7"), ("t.b", "r")]),
            kv(&[("t.#1", "8"), ("t.#2", "s")]),
            kv(&[("t.#1", "9"), ("t.#2", "t")]),
            kv(&[("t.#1", "10"), ("t.#2", "u")]),
            kv(&[("t.#1", "11"), ("t.#2", "v")]),
            kv(&[("w.a", "1"), ("w.#2", "2"), ("w.#3", "3")]),
            kv(&[]),
            kv(&[("w.a", "4")]),
            kv(&[("w.a", "5")]),
        ]
    );
    assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
    assert!(c.errors[0].1.contains("`;` is missing"));
    let set_row = &c.rows[3];
    assert!(VARIANTS[set_row.offset as usize..].starts_with("INSERT INTO t SET a = 4"));
    check_positions(VARIANTS, &c);
}

#[test]
fn literals() {
    let c = whole(LITERALS);
    assert_eq!(c.errors, []);
    let values =
        |i: usize| -> Vec<String> { c.rows[i].fields.iter().map(|f| f.1.clone()).collect() };
    assert_eq!(
        values(0),
        [
            "JK",
            "JK",
            "张",
            "b'0101'",
            "0b11",
            "张三",
            "Hi",
            "0xFF00",
            "0x",
            "x'y",
            "national",
            "张三",
            "1e10",
            "+7",
            "'a' 'b'",
            "CONCAT('a', 'b')",
            "TRUE"
        ]
    );
    assert_eq!(
        values(1),
        [
            "C:\\new",
            "a\tb\\c'd",
            "AB中",
            "true",
            "2020-01-01",
            "{\"a\": 1}",
            "CURRENT_TIMESTAMP",
            "now()",
            "-1.5e3",
            "x",
            "dollar 'q'",
            "d\\0061t",
            "123",
            "2020-02-02",
            "a$$b"
        ]
    );
    assert_eq!(c.rows[1].fields[4].0, "p.#6", "NULL::text is no field");
    assert_eq!(values(2), ["a'b\\c"], "standard_conforming_strings = off");
}

#[test]
fn delimiter_blocks_hold_no_rows() {
    let input = "DELIMITER ;;
CREATE PROCEDURE p()
BEGIN
  INSERT INTO log VALUES (1, 'inside');
  SELECT 'a;b';
END ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END */;;
DELIMITER ;
INSERT INTO t VALUES (2, 'after');
";
    let c = whole(input);
    assert_eq!(c.errors, []);
    assert_eq!(c.rows.len(), 1);
    assert_eq!(c.rows[0].fields[1].1, "after");
    let mut framer = SqlFramer::new();
    let cut = input.find("INSERT INTO log").unwrap();
    let n = framer.boundary(&input.as_bytes()[..cut], false).unwrap();
    assert_eq!(&input[..n], "DELIMITER ;;\n");
    assert_eq!(framer.context().delimiter(), b";;");
}

#[test]
fn gbk_strings_decode() {
    let (gbk, _, _) = encoding_rs::GB18030.encode("张三','北京");
    let mut input = b"INSERT INTO g VALUES ('".to_vec();
    input.extend_from_slice(&gbk);
    input.extend_from_slice(b"');");
    let c = whole_with(&input, FieldDecoding::Gbk);
    assert_eq!(c.rows[0].fields, kv(&[("g.#1", "张三"), ("g.#2", "北京")]));
}

#[test]
fn framer_boundaries_and_context() {
    let mut framer = SqlFramer::new();
    assert_eq!(framer.boundary(b"", false), None);
    let input = "CREATE TABLE t (a int, b text);\nINSERT INTO t VALUES (1,'x'),(2,'y');\nCOPY t (a, b) FROM stdin;\n1\tz\n2\t";
    let n = framer.boundary(input.as_bytes(), false).unwrap();
    assert_eq!(&input[n..], "2\t", "between COPY lines");
    let ctx = framer.context();
    assert_eq!(ctx.dialect, Dialect::Postgres);
    assert_eq!(ctx.columns("t").unwrap(), ["a", "b"]);
    let Place::CopyData(target) = &ctx.place else {
        panic!("{:?}", ctx.place)
    };
    assert_eq!(&*target.table, "t");

    let mut framer = SqlFramer::new();
    let input = "INSERT INTO `x` VALUES (1,'a;b'),(2,'y";
    let n = framer.boundary(input.as_bytes(), false).unwrap();
    assert_eq!(&input[..n], "INSERT INTO `x` VALUES (1,'a;b'),");
    assert_eq!(
        framer.context().place,
        Place::Values(Target {
            table: Arc::from("x"),
            columns: None
        })
    );
    // the caller drains and calls again with more
    assert_eq!(framer.boundary(b"(2,'y", false), None);
    assert_eq!(framer.boundary(b"(2,'y');\n", false), Some(8));
    assert_eq!(framer.context().place, Place::Statements);

    let mut framer = SqlFramer::new();
    assert_eq!(framer.boundary(b"INSERT INTO t VALUES ('a;b'", false), None);
    assert_eq!(
        framer.boundary(b"-- it's\nSELECT 1;", false),
        Some(17),
        "a quote in a comment"
    );
    assert_eq!(framer.boundary(b"SELECT 'x", true), Some(9));
    // tables defined after the boundary are not in its context
    let mut framer = SqlFramer::new();
    let input = b"CREATE TABLE a (x int);\nCREATE TABLE b (y int);\nINSERT INTO b VALUES (1),(";
    let n = framer.boundary(input, false).unwrap();
    assert_eq!(n, input.len() - 1);
    let input = b"CREATE TABLE a (x int);\nCREATE TABLE b (y int";
    let mut framer = SqlFramer::new();
    assert_eq!(framer.boundary(input, false), Some(23));
    assert!(framer.context().columns("a").is_some());
    assert!(framer.context().columns("b").is_none());
}

#[test]
fn reads_a_sql_server_script() {
    let c = whole(SSMS);
    assert_eq!(c.errors, []);
    let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
    assert_eq!(
        rows,
        [
            kv(&[
                ("users.id", "1"),
                ("users.name", "张三"),
                ("users.mobile", "13812345678"),
                ("users.odd]name", "C:\\path\\"),
            ]),
            kv(&[
                ("users.id", "2"),
                ("users.name", "O'Brien"),
                ("users.odd]name", "a;b"),
            ]),
            kv(&[
                ("users.id", "3"),
                ("users.name", "李四"),
                ("users.mobile", "13912345678"),
                ("users.odd]name", "x"),
            ]),
            kv(&[("users.id", "4"), ("users.name", "王五")]),
            kv(&[("users.id", "5"), ("users.name", "赵六")]),
        ]
    );
    check_positions(SSMS, &c);
    // the last INSERT needs neither `;` nor `GO`
    assert_eq!(SqlFramer::new().unfinished(SSMS.as_bytes()), None);
    let cut = &SSMS[..SSMS.len() - "(5, N'赵六')\r\n".len()];
    assert!(SqlFramer::new().unfinished(cut.as_bytes()).is_some());
    let mut framer = SqlFramer::new();
    let n = framer.boundary(SSMS.as_bytes(), false).unwrap();
    assert!(framer.context().tsql);
    assert_eq!(framer.context().dialect, Dialect::Postgres);
    assert!(SSMS[..n].ends_with("VALUES (4, N'王五'),"));
}

#[test]
fn reads_the_reviewers_ssms_script() {
    // f2_ssms.sql: no `;` anywhere, every INSERT followed by `GO`
    let mut input = String::from("USE [db]\nGO\nCREATE TABLE [dbo].[u]([id] [int], [name] [nvarchar](50), [idno] [nvarchar](18), [mobile] [nvarchar](11)) ON [PRIMARY]\nGO\n");
    for (i, name) in ["张三0", "李四1", "王五2"].iter().enumerate() {
        let _ = writeln!(
                input,
                "INSERT [dbo].[u] ([id], [name], [idno], [mobile]) VALUES ({}, N'{name}', N'11010119700101000{i}', N'1380000000{i}')\nGO",
                i + 1
            );
    }
    let c = whole(&input);
    assert_eq!(c.errors, []);
    assert_eq!(c.rows.len(), 3);
    assert_eq!(
        c.rows[2].fields,
        kv(&[
            ("u.id", "3"),
            ("u.name", "王五2"),
            ("u.idno", "110101197001010002"),
            ("u.mobile", "13800000002")
        ])
    );
    // without any GO: the bracketed name says SQL Server, whose `;` is optional
    let c = whole("INSERT [u] ([a]) VALUES (N'x\\')\nINSERT [u] ([a]) VALUES (N'y')\n");
    assert_eq!(c.errors, []);
    assert_eq!(ids(&c), ["x\\", "y"]);
    // a GO that is no GO line
    let c = whole("GO away\nINSERT INTO t VALUES (1);\n");
    assert_eq!(ids(&c), ["1"]);
    assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
}

#[test]
fn dollar_quotes_in_every_dialect() {
    // f10_dollar.sql: no `SET standard_conforming_strings` before it
    let mut input =
        String::from("CREATE TABLE u (id int, note text, name text, idno text, mobile text);\n");
    for (i, name) in ["张三0", "李四1"].iter().enumerate() {
        let _ = writeln!(
                input,
                "INSERT INTO u VALUES ({}, $$it's ),( ;$$, '{name}', '11010119700101000{i}', '1380000000{i}');",
                i + 1
            );
    }
    let c = whole(&input);
    assert_eq!(c.errors, []);
    assert_eq!(c.rows.len(), 2);
    assert_eq!(c.rows[1].fields[1], ("u.note".into(), "it's ),( ;".into()));
    assert_eq!(c.rows[1].fields[2], ("u.name".into(), "李四1".into()));
    // `$` inside a name is no quote; `$tag$` is
    let c = whole("INSERT INTO t$x (a$b, c) VALUES (a$b, $q$it's$q$), ($1, 'x$$y');\n");
    assert_eq!(c.errors, []);
    let rows: Vec<_> = c.rows.iter().map(|r| r.fields.clone()).collect();
    assert_eq!(
        rows,
        [
            kv(&[("t$x.a$b", "a$b"), ("t$x.c", "it's")]),
            kv(&[("t$x.a$b", "$1"), ("t$x.c", "x$$y")])
        ]
    );
    // MySQL's `DELIMITER $$` still ends routines
    let c = whole("DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 'a'; END$$\nDELIMITER ;\nINSERT INTO t VALUES (1);\n");
    assert_eq!(c.errors, []);
    assert_eq!(ids(&c), ["1"]);
}

#[test]
fn a_dump_without_semicolons() {
    let c = whole(MISSING_SEMICOLONS);
    assert_eq!(ids(&c), ["1", "2", "3", "4", "5", "6", "7", "8"]);
    assert_eq!(c.rows[0].fields[1], ("users.name".into(), "张三".into()));
    // one per missing `;`
    assert_eq!(c.errors.len(), 12, "{:#?}", c.errors);
    assert_masked(&c);
    check_positions(MISSING_SEMICOLONS, &c);
}
