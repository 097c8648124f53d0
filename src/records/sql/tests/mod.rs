//! Tests of the SQL reader: helpers and the dumps they read.

mod dumps;
mod recovery;
mod split;

use std::fmt::Write as _;

use super::bytes::{mask_snip, Snip};
use super::*;
use crate::records::{Position, RecordBuf};

#[derive(Clone, Debug, PartialEq)]
struct Row {
    offset: u64,
    line: u64,
    fields: Vec<(String, String)>,
}

#[derive(Default)]
struct Collect {
    rows: Vec<Row>,
    errors: Vec<(u64, String)>,
    /// Where the current chunk starts in the input.
    base: u64,
    base_line: u64,
}

impl RecordSink for Collect {
    fn record(&mut self, pos: Position, r: &RecordBuf) {
        self.rows.push(Row {
            offset: self.base + pos.offset,
            line: self.base_line + pos.line,
            fields: r
                .fields()
                .map(|(c, v)| (r.key_text(c).to_string(), v.to_string()))
                .collect(),
        });
    }
    fn error(&mut self, pos: Position, e: crate::records::RecordError) {
        self.errors.push((self.base + pos.offset, e.to_string()));
    }
}

fn whole_with(input: &[u8], dec: FieldDecoding) -> Collect {
    let mut c = Collect::default();
    parse(&SqlContext::default(), dec, input, &mut c);
    c
}

fn whole(input: &str) -> Collect {
    whole_with(input.as_bytes(), FieldDecoding::Utf8)
}

/// Feeds `input` the way the reader does: the buffer grows by `step`
/// bytes, each boundary's prefix is parsed with the context from before
/// the call and drained.
fn chunked(input: &[u8], step: usize) -> Collect {
    let mut framer = SqlFramer::new();
    let mut c = Collect::default();
    let mut buf: Vec<u8> = Vec::new();
    let mut fed = 0;
    loop {
        let n = step.min(input.len() - fed);
        buf.extend_from_slice(&input[fed..fed + n]);
        fed += n;
        let eof = fed == input.len();
        let ctx = framer.context();
        if let Some(end) = framer.boundary(&buf, eof) {
            assert!(end > 0 || buf.is_empty(), "empty prefix");
            assert!(end <= buf.len());
            parse(&ctx, FieldDecoding::Utf8, &buf[..end], &mut c);
            c.base += end as u64;
            c.base_line += buf[..end].iter().filter(|&&b| b == b'\n').count() as u64;
            buf.drain(..end);
            if eof {
                assert!(buf.is_empty());
                break;
            }
        } else {
            assert!(!eof);
        }
    }
    c
}

fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Rows start at their `(` (or line), on the line they say.
fn check_positions(input: &str, c: &Collect) {
    let bytes = input.as_bytes();
    for r in &c.rows {
        let at = r.offset as usize;
        let lines = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(r.line, lines, "line of the row at {at}");
        assert!(
            bytes[at] == b'('
                || at == 0
                || bytes[at - 1] == b'\n'
                || input[at..].starts_with("INSERT"),
            "row at {at} starts at {:?}",
            &input[at..at + 10]
        );
    }
}

const MYSQLDUMP: &str = r#"-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
-- Server version	8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table `users`
--

DROP TABLE IF EXISTS `users`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `users` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `name` varchar(64) NOT NULL DEFAULT '' COMMENT '姓名, (name); it''s',
  `mobile` char(11) DEFAULT NULL,
  `id_card` varchar(18) DEFAULT NULL,
  `note` text,
  `balance` decimal(10,2) DEFAULT '0.00',
  `avatar` blob,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_mobile` (`mobile`),
  KEY `idx_name` (`name`(10)),
  CONSTRAINT `fk_x` FOREIGN KEY (`id`) REFERENCES `accounts` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COMMENT='users; all of them';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `users`
--

LOCK TABLES `users` WRITE;
/*!40000 ALTER TABLE `users` DISABLE KEYS */;
INSERT INTO `users` VALUES (1,'张三','13812345678','110105194912310029','It\'s a \"test\";\n(ok)',-1.50,0x89504E470D0A1A0A),(2,'O''Brien','13912345678',110105194912310030,'C:\\path\\to',NULL,_binary 'abc'),(3,'李四',NULL,NULL,'tab\there',0.00,0x48656C6C6F);
/*!40000 ALTER TABLE `users` ENABLE KEYS */;
UNLOCK TABLES;

DROP TABLE IF EXISTS `orders`;
CREATE TABLE `shop`.`orders` (
  `order_no` bigint unsigned NOT NULL,
  `user_id` bigint NOT NULL,
  `address` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`order_no`)
) ENGINE=InnoDB;

LOCK TABLES `orders` WRITE;
INSERT INTO `orders` VALUES (202401010000000001,1,'北京市朝阳区, 建国路 1 号'),(202401010000000002,2,'上海市\r\n浦东新区');
UNLOCK TABLES;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2024-01-01 10:00:00
"#;

fn pg_dump() -> String {
    r#"--
-- PostgreSQL database dump
--

\restrict AbCdEf123

-- Dumped from database version 16.2
-- Dumped by pg_dump version 16.2

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
BEGIN
  NEW.note := 'it''s; done';
  RETURN NEW;
END;
$_$;

SET default_tablespace = '';

--
-- Name: customers; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE public.customers (
    id bigint NOT NULL,
    full_name character varying(100),
    phone text,
    "Home Address" text,
    tags text[],
    created_at timestamp without time zone DEFAULT now()
);

ALTER TABLE public.customers OWNER TO app;

--
-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: app
--

COPY public.customers (id, full_name, phone, "Home Address", tags, created_at) FROM stdin;
1→张三→13812345678→北京市\t朝阳区→{a,b}→2024-01-01 10:00:00
2→O'Brien→\N→line1\nline2→\N→2024-01-02 00:00:00
3→C:\\path→+86 139-1234-5678→\\N literal→{}→\N
\.


INSERT INTO public.customers (id, full_name, phone, "Home Address", tags, created_at) VALUES (4, 'O''Brien', 'C:\path', E'first\nsecond', '{x,y}'::text[], '2024-01-01 00:00:00'::timestamp without time zone);
INSERT INTO public.customers VALUES (5, NULL, '13700000000', NULL, NULL, now());

SELECT pg_catalog.setval('public.customers_id_seq', 5, true);

\unrestrict AbCdEf123
"#
        .replace('→', "\t")
}

const MALFORMED: &str = "INSERT INTO t VALUES (1,'a'),garbage,(2,'b'),(3,'c'))(4,'d'),(5,'e');
INSERT INTO t VALUES (6,'f'),(7,'g';
INSERT INTO t VALUES (8,'h'),(9, 'i', (10,'j'),(11,'k');
INSERT INTO t (a, b VALUES (12);
INSERT INTO t SELECT * FROM u;
INSERT INTO t VALUES (13,'m');
";

fn copy_missing_end() -> String {
    "COPY public.t (a, b) FROM stdin;
1→x
2→y

--
-- Name: t_pkey
--

ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (a);
INSERT INTO public.t VALUES (3, 'z');
"
    .replace('→', "\t")
}

const VARIANTS: &str = "insert ignore into `t` (`a`, `b`) values (1, 'x'),
  (
    2,
    'y'
  ) on duplicate key update b = values(b);
REPLACE INTO t VALUES (3, 'z');
INSERT INTO t SET a = 4, b = 'w' ON DUPLICATE KEY UPDATE b = 'v';
INSERT INTO t SET a := 5, `b`='it''s';
INSERT INTO t (a, b) VALUES (6, 'q') RETURNING a;
INSERT INTO t (a, b) VALUES (7, 'r') ON CONFLICT (a) DO NOTHING;
INSERT INTO t VALUES ROW(8, 's'), ROW(9, 't');
INSERT INTO t VALUES (10, /* c */ 'u') -- trailing
, (11, \"v\") # mysql comment
;
CREATE TABLE w (a int);
INSERT INTO w VALUES (1, 2, 3), ();
INSERT INTO `db`.`w` VALUES (4)
INSERT INTO w VALUES (5);
";

const LITERALS: &str = "INSERT INTO h VALUES (0x4A4B, X'4A4B', x'e5bca0', b'0101', 0b11, _utf8mb4'张三', _binary 0x4869, 0xFF00, 0x, _binary'x\\'y', N'national', 0xE5BCA0E4B889, 1e10, +7, 'a' 'b', CONCAT('a', 'b'), TRUE);
SET standard_conforming_strings = on;
INSERT INTO p VALUES ('C:\\new', E'a\\tb\\\\c\\'d', E'\\101\\x42\\u4e2d', true, NULL::text, '2020-01-01'::date, '{\"a\": 1}'::jsonb, CURRENT_TIMESTAMP, now(), -1.5e3, 'x' COLLATE \"C\", $$dollar 'q'$$, U&'d\\0061t', 123::bigint, DATE '2020-02-02', $t$a$$b$t$);
SET standard_conforming_strings = off;
INSERT INTO p VALUES ('a\\'b\\\\c');
";

/// Error messages quote input only masked: no Chinese, no digits.
fn assert_masked(c: &Collect) {
    for (_, m) in &c.errors {
        assert!(
            m.chars().all(|ch| ch.is_ascii() || "…".contains(ch))
                && !m.chars().any(|ch| ch.is_ascii_digit()),
            "{m}"
        );
    }
}

fn messages(c: &Collect) -> Vec<&str> {
    c.errors.iter().map(|e| e.1.as_str()).collect()
}

fn ids(c: &Collect) -> Vec<&str> {
    c.rows
        .iter()
        .map(|r| r.fields.first().map_or("", |f| f.1.as_str()))
        .collect()
}

/// Six rows after a statement that lost its `;` (the reviewer's
/// f2_create_nosemi.sql and f2_set_nosemi.sql).
fn six_inserts(first: &str) -> String {
    let mut s = format!("{first}\n");
    for (i, name) in ["张三0", "李四1", "王五2", "赵六3", "钱七4", "孙八5"]
        .iter()
        .enumerate()
    {
        let _ = writeln!(
            s,
            "INSERT INTO u VALUES ({}, 'x', '{name}', '11010119700101000{i}', '1380000000{i}');",
            i + 1
        );
    }
    s
}

/// A SQL Server Management Studio script ("Generate Scripts"): CRLF, `GO`
/// lines, `[names]`, INSERT without INTO and without `;`, `N'…'`.
const SSMS: &str = "USE [shop]\r
GO\r
/****** Object:  Table [dbo].[users]    Script Date: 2024/1/1 10:00:00 ******/\r
SET ANSI_NULLS ON\r
GO\r
SET QUOTED_IDENTIFIER ON\r
GO\r
CREATE TABLE [dbo].[users](\r
\t[id] [int] IDENTITY(1,1) NOT NULL,\r
\t[name] [nvarchar](50) NULL,\r
\t[mobile] [varchar](11) NULL,\r
\t[odd]]name] [nvarchar](max) NULL,\r
 CONSTRAINT [PK_users] PRIMARY KEY CLUSTERED \r
(\r
\t[id] ASC\r
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF) ON [PRIMARY]\r
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]\r
GO\r
SET IDENTITY_INSERT [dbo].[users] ON \r
\r
INSERT [dbo].[users] ([id], [name], [mobile], [odd]]name]) VALUES (1, N'张三', N'13812345678', N'C:\\path\\')\r
INSERT [dbo].[users] ([id], [name], [mobile], [odd]]name]) VALUES (2, N'O''Brien', NULL, N'a;b')\r
GO\r
INSERT INTO [dbo].[users] VALUES (3, N'李四', '13912345678', N'x') ;\r
  GO 2 -- twice\r
SET IDENTITY_INSERT [dbo].[users] OFF\r
GO\r
CREATE PROCEDURE [dbo].[add_user] @name nvarchar(50)\r
AS\r
BEGIN\r
\tSET NOCOUNT ON;\r
INSERT INTO [dbo].[users] ([name]) VALUES (@name);\r
END\r
GO\r
INSERT [dbo].[users] ([id], [name]) VALUES (4, N'王五'), (5, N'赵六')\r
";

const MISSING_SEMICOLONS: &str = "SET NAMES utf8mb4
USE shop
DROP TABLE IF EXISTS users
CREATE TABLE users (
  id int NOT NULL,
  name varchar(20),
  copy int,
  PRIMARY KEY (id)
) ENGINE=InnoDB
LOCK TABLES users WRITE
INSERT INTO users VALUES (1,'张三',0),(2,'李四',0)
INSERT INTO users (id, name) VALUES
  (3, 'a;b'),
  (4, 'c')
UNLOCK TABLES
INSERT INTO users SET id = 5, name = 'y'
ALTER TABLE users
  ALTER COLUMN name SET DEFAULT '',
  DROP COLUMN copy
REPLACE INTO users VALUES (6, 'z', 1)
COPY users (id, name) FROM stdin
7\tw
\\.
INSERT INTO users VALUES (8, $$v$$, 0);
";

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Rounds of the randomized tests (`SQL_FUZZ_ROUNDS` for a longer run).
fn rounds(default: usize) -> usize {
    std::env::var("SQL_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}
