//! The same rows under any split of the stream; randomized and large inputs.

use std::fmt::Write as _;

use super::*;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = vec![
        ("mysqldump".into(), MYSQLDUMP.into()),
        ("pg_dump".into(), pg_dump().into()),
        ("malformed".into(), MALFORMED.into()),
        ("copy without \\.".into(), copy_missing_end().into()),
        ("insert forms".into(), VARIANTS.into()),
        ("literals".into(), LITERALS.into()),
        (
            "unterminated".into(),
            b"INSERT INTO t VALUES (1,'a'),(2,'b\n(3,'c');".to_vec(),
        ),
        ("no semicolons".into(), MISSING_SEMICOLONS.into()),
        (
            "dollar quotes".into(),
            b"INSERT INTO u VALUES (1, $$it's ),( ;$$, 'a'),\n(2, $q$;$q$, 'b');\n".to_vec(),
        ),
        ("sql server".into(), SSMS.into()),
    ];
    let concatenated: Vec<u8> = all.iter().flat_map(|(_, d)| d.clone()).collect();
    all.push(("all".into(), concatenated));
    all
}

#[test]
fn any_split_reads_the_same_rows() {
    for (name, input) in fixtures() {
        let reference = whole_with(&input, FieldDecoding::Utf8);
        assert!(!reference.rows.is_empty());
        for step in (1..=64).chain([97, 256, 1000, 4096, 1 << 20]) {
            let c = chunked(&input, step);
            assert_eq!(c.rows, reference.rows, "{name}, step {step}");
        }
    }
}

const FRAGMENTS: &[&str] = &[
    "INSERT INTO t VALUES ",
    "INSERT INTO `u` (a, b) VALUES ",
    "INSERT INTO t SET a=",
    "(",
    ")",
    ",",
    ";",
    "'",
    "\"",
    "`",
    "\\",
    "''",
    "\\'",
    "--",
    "-- ",
    "#",
    "/*",
    "*/",
    "\n",
    "\r\n",
    "\t",
    " ",
    "1",
    "-2.5",
    "NULL",
    "'abc'",
    "'张三'",
    "0x4A",
    "E'",
    "e",
    "$$",
    "$t$",
    "COPY t (a, b) FROM stdin;\n",
    "\\.\n",
    "\\N",
    "CREATE TABLE t (a int, b text);",
    "CREATE TABLE u (",
    "SET standard_conforming_strings = on;",
    "SET standard_conforming_strings = off;",
    "DELIMITER ;;\n",
    "DELIMITER ;\n",
    ";;",
    "-- PostgreSQL database dump\n",
    " ON DUPLICATE KEY UPDATE a=1",
    "ROW",
    "\\restrict x\n",
    "(1,'a'),",
    "(SELECT 1)",
    "_binary ",
    "::text",
    ";E'\\''",
    "E'a\\'b'",
    "$a$;'$a$",
    "x$$",
    "DELIMITER $$\n",
    "GO\n",
    "\r\n  GO 2\r\n",
    "[",
    "]",
    "]]",
    "[dbo].[u]",
    "INSERT [u] ([a]) VALUES ",
    "\nINSERT INTO t VALUES (1)",
    "\nCREATE TABLE v (a int)\n",
    "\nSET NAMES utf8\n",
    "USE [db]\n",
    "CREATE PROCEDURE p AS\n",
    "\nUPDATE t\nSET a = 1\n",
    "ALTER TABLE t\n  DROP a\n",
    "REM x\n",
    "\n/\n",
    "COPY t FROM stdin\n",
    "\nDELIMITER ;\n",
    "N'",
];

fn random_input(rng: &mut XorShift) -> Vec<u8> {
    let mut input = Vec::new();
    for _ in 0..rng.below(60) {
        match rng.below(10) {
            0 => input.push(rng.next() as u8),
            1 => input.push(b'a' + rng.below(26) as u8),
            _ => input.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes()),
        }
    }
    input
}

/// Where errors are, and what they say but the input they quote: a
/// quote stops at the end of its chunk.
fn error_stems(c: &Collect) -> Vec<(u64, &str)> {
    c.errors
        .iter()
        .map(|(at, m)| (*at, m.split('`').next().unwrap_or_default()))
        .collect()
}

#[test]
fn random_input_never_panics_and_splits_the_same() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for round in 0..rounds(3000) {
        let input = random_input(&mut rng);
        let reference = whole_with(&input, FieldDecoding::Utf8);
        for _ in 0..3 {
            let step = 1 + rng.below(40);
            let c = chunked(&input, step);
            assert_eq!(
                (&c.rows, error_stems(&c)),
                (&reference.rows, error_stems(&reference)),
                "round {round}, step {step}, input {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}

#[test]
fn mutated_dumps_split_the_same() {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let fixtures = fixtures();
    for round in 0..rounds(400) {
        let (_, base) = &fixtures[rng.below(fixtures.len())];
        let mut input = base.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(input.len() + 1);
            match rng.below(3) {
                0 if at < input.len() => {
                    input.remove(at);
                }
                1 => input.insert(at, b"'\"`();,\\\n-#/*$\t"[rng.below(15)]),
                _ => {
                    let f = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                    input.splice(at..at, f.iter().copied());
                }
            }
        }
        let reference = whole_with(&input, FieldDecoding::Utf8);
        for step in [1 + rng.below(16), 17 + rng.below(200)] {
            let c = chunked(&input, step);
            assert_eq!(
                (&c.rows, error_stems(&c)),
                (&reference.rows, error_stems(&reference)),
                "round {round}, step {step}, input {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}

/// Generated dumps of about `size` bytes: mysqldump extended INSERTs,
/// one INSERT per row (`--skip-extended-insert --complete-insert`), and a
/// pg_dump COPY block.
fn big_dumps(size: usize) -> [(&'static str, Vec<u8>); 3] {
    let mut mysql = String::from(
            "CREATE TABLE `users` (\n  `id` bigint NOT NULL,\n  `name` varchar(64),\n  `mobile` char(11),\n  `id_card` varchar(18),\n  `note` text,\n  `balance` decimal(10,2),\n  `deleted_at` datetime,\n  `created_at` datetime,\n  `flags` binary(2)\n);\n",
        );
    let mut id = 0u64;
    while mysql.len() < size {
        mysql.push_str("INSERT INTO `users` VALUES ");
        for k in 0..5000 {
            if k > 0 {
                mysql.push(',');
            }
            id += 1;
            let _ = write!(
                    mysql,
                    "({id},'用户{id}','138{:08}','1101051949{:08}','note with \\'quote\\' and \\\\ backslash, (paren)',{}.{:02},NULL,'2024-01-01 10:00:00',0x4A4B)",
                    id % 100_000_000,
                    id % 100_000_000,
                    id % 1000,
                    id % 100
                );
        }
        mysql.push_str(";\n");
    }
    let mut single = String::new();
    while single.len() < size {
        id += 1;
        let _ = writeln!(
                single,
                "INSERT INTO `users` (`id`, `name`, `mobile`, `note`) VALUES ({id},'用户{id}','138{:08}','note, \\'q\\'');",
                id % 100_000_000
            );
    }
    let mut pg = String::from(
            "SET standard_conforming_strings = on;\nCOPY public.users (id, name, mobile, id_card, note, created_at) FROM stdin;\n",
        );
    while pg.len() < size {
        id += 1;
        let _ = writeln!(
                pg,
                "{id}\t用户{id}\t138{:08}\t1101051949{:08}\tnote with \\t tab and \\\\ backslash\t2024-01-01 10:00:00",
                id % 100_000_000,
                id % 100_000_000
            );
    }
    pg.push_str("\\.\n");
    [
        ("mysqldump", mysql.into_bytes()),
        ("one INSERT per row", single.into_bytes()),
        ("pg_dump COPY", pg.into_bytes()),
    ]
}

#[derive(Default)]
struct Count(usize, usize);

impl RecordSink for Count {
    fn record(&mut self, _: Position, r: &RecordBuf) {
        self.0 += 1;
        self.1 += r.len();
    }
    fn error(&mut self, _: Position, _: crate::records::RecordError) {}
}

/// `cargo test --release -- --ignored --nocapture throughput`
#[test]
#[ignore]
fn throughput() {
    use std::time::{Duration, Instant};
    const READ: usize = 4 << 20;
    for (name, input) in big_dumps(100 << 20) {
        let mut framer = SqlFramer::new();
        let mut chunks = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut fed = 0;
        let mut framing = Duration::ZERO;
        loop {
            let n = READ.min(input.len() - fed);
            buf.extend_from_slice(&input[fed..fed + n]);
            fed += n;
            let eof = fed == input.len();
            let ctx = framer.context();
            let t = Instant::now();
            let end = framer.boundary(&buf, eof);
            framing += t.elapsed();
            if let Some(end) = end {
                chunks.push((ctx, buf.drain(..end).collect::<Vec<u8>>()));
                if eof {
                    break;
                }
            }
        }
        let t = Instant::now();
        let mut count = Count::default();
        for (ctx, chunk) in &chunks {
            parse(ctx, FieldDecoding::Utf8, chunk, &mut count);
        }
        let parsing = t.elapsed();
        let mb = input.len() as f64 / (1 << 20) as f64;
        eprintln!(
                "{name}: {mb:.0} MiB, {} chunks, {} rows, {} fields; framer {:.0} MiB/s, parse {:.0} MiB/s (one thread)",
                chunks.len(),
                count.0,
                count.1,
                mb / framing.as_secs_f64(),
                mb / parsing.as_secs_f64()
            );
        let whole = {
            let mut c = Count::default();
            parse(&SqlContext::default(), FieldDecoding::Utf8, &input, &mut c);
            c.0
        };
        assert_eq!(count.0, whole);
    }
}
