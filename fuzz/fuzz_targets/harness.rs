//! The fuzz targets' bodies, one module per target, shared with
//! `tests/fuzz_corpus.rs`, which replays the kept corpora (`fuzz/corpus/`)
//! through the same code in an ordinary `cargo test`.
#![allow(dead_code)]

pub mod scan_text {
    const NAMES: [&str; 6] = ["x.csv", "x.txt", "x.jsonl", "x.json", "x.sql", "x.dat"];

    pub fn run(data: &[u8]) {
        let Some((&pick, rest)) = data.split_first() else {
            return;
        };
        let name = NAMES[pick as usize % NAMES.len()];
        let chunk = 1 + (pick as usize >> 3);
        let whole = crate::common::scan_bytes(name, rest, 1 << 20);
        let cut = crate::common::scan_bytes(name, rest, chunk);
        assert_eq!(
            crate::common::counts(&whole),
            crate::common::counts(&cut),
            "chunk size {chunk} changed the counts"
        );
    }
}

pub mod sql {
    use tiaoshu::decode::FieldDecoding;
    use tiaoshu::records::sql::{parse, SqlFramer};
    use tiaoshu::records::{Position, RecordBuf, RecordSink};

    #[derive(Default)]
    struct Rows {
        base: u64,
        rows: Vec<(u64, Vec<(String, String)>)>,
    }

    impl RecordSink for Rows {
        fn record(&mut self, pos: Position, rec: &RecordBuf) {
            let fields = rec
                .fields()
                .map(|(c, v)| (rec.key_text(c).to_string(), v.to_string()))
                .collect();
            self.rows.push((self.base + pos.offset, fields));
        }
        fn error(&mut self, _: Position, _: tiaoshu::records::RecordError) {}
    }

    /// Reads `data` as the scan's reader thread does, `step` bytes at a time.
    fn read(data: &[u8], step: usize) -> Vec<(u64, Vec<(String, String)>)> {
        let mut framer = SqlFramer::new();
        let mut out = Rows::default();
        let (mut start, mut end) = (0usize, 0usize);
        loop {
            end = (end + step).min(data.len());
            let eof = end == data.len();
            let ctx = framer.context();
            let buf = &data[start..end];
            if let Some(n) = framer.boundary(buf, eof) {
                out.base = start as u64;
                parse(&ctx, FieldDecoding::Utf8, &buf[..n], &mut out);
                start += n;
            }
            if eof && start == data.len() {
                return out.rows;
            }
            if eof {
                // boundary() at end of input takes everything
                return out.rows;
            }
        }
    }

    pub fn run(data: &[u8]) {
        let Some((&step, rest)) = data.split_first() else {
            return;
        };
        let whole = read(rest, rest.len().max(1));
        let split = read(rest, 1 + step as usize % 64);
        assert_eq!(whole, split);
    }
}

pub mod archive {

    pub fn run(data: &[u8]) {
        crate::common::scan_bytes("x.zip", data, 4096);
    }
}

pub mod tar_walk {

    pub fn run(data: &[u8]) {
        crate::common::scan_bytes("x.tar", data, 4096);
    }
}

pub mod bson_stream {

    pub fn run(data: &[u8]) {
        crate::common::scan_bytes("x.bson", data, 4096);
    }
}

pub mod sevenz {

    pub fn run(data: &[u8]) {
        crate::common::scan_bytes("x.7z", data, 4096);
    }
}

pub mod workbook {

    pub fn run(data: &[u8]) {
        crate::common::scan_bytes("book.xlsx", data, 4096);
    }
}

pub mod columnar {

    pub fn run(data: &[u8]) {
        crate::common::scan_bytes("x.parquet", data, 4096);
    }
}

pub mod validators {
    use tiaoshu::detect::{validate, RecordFacts, Role, Scratch};

    pub fn run(data: &[u8]) {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        // Every registered validator, so a new one is fuzzed without a line here.
        for v in validate::all() {
            let _ = v.validate(s);
            let _ = v.detect(s);
            let _ = v.attempted(s);
        }
        let _ = validate::is_mangled_resident_id(s);
        let _ = validate::bank_card(s, true);
        let _ = validate::masked_identifier(s);
        let engine = crate::common::engine();
        let _ = engine.role_for_header(s);
        let mut facts = RecordFacts::default();
        let mut scratch = Scratch::default();
        engine.detect_field(Role::Unknown, s, &mut facts, &mut scratch);
        let role = engine.role_for_header("身份证号");
        engine.detect_field(role, s, &mut facts, &mut scratch);
        facts.finish();
    }
}

pub mod long_line {
    const NAMES: [&str; 3] = ["x.txt", "x.csv", "x.dat"];

    pub fn run(data: &[u8]) {
        // [name, log2 length, chunk, piece...]
        let [pick, len, chunk, piece @ ..] = data else {
            return;
        };
        if piece.is_empty() {
            return;
        }
        let piece = &piece[..piece.len().min(64)];
        let name = NAMES[*pick as usize % NAMES.len()];
        let want = 1usize << (10 + (*len as usize % 11)); // 1 KiB ..= 1 MiB
        let mut line: Vec<u8> = piece.iter().copied().cycle().take(want).collect();
        if pick & 0x80 != 0 {
            // a header line before it, or a second line after it
            line.splice(0..0, b"name,phone,id_number,email\n".iter().copied());
        } else {
            line.extend_from_slice(b"\n\xe5\xbc\xa0\xe4\xbc\x9f,13812345678\n");
        }
        let whole = crate::common::scan_bytes(name, &line, 4 << 20);
        let cut = crate::common::scan_bytes(name, &line, 1 + (*chunk as usize) * 4096);
        assert_eq!(
            crate::common::counts(&whole),
            crate::common::counts(&cut),
            "chunk size changed the counts"
        );
    }
}

pub mod json_stream {
    const TOKENS: [&[u8]; 24] = [
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b"\n",
        b"\r\n",
        b" ",
        b"\"name\":",
        b"\"phone\":",
        b"\"id_number\":",
        b"\"a.b\":",
        b"\"\\u5f20\\u4f1f\"",
        b"\"\xe5\xbc\xa0\xe4\xbc\x9f\"",
        b"\"13812345678\"",
        b"13812345678",
        b"\"11010519491231002X\"",
        b"\"x\\\"}{\"",
        b"\"\\",
        b"null",
        b"-1.5e3",
        b"true",
        b"\"",
    ];

    pub fn run(data: &[u8]) {
        // [lines?, max record, chunk, tokens...]
        let [flags, limit, chunk, tokens @ ..] = data else {
            return;
        };
        let mut doc = Vec::new();
        for &t in tokens {
            doc.extend_from_slice(TOKENS[t as usize % TOKENS.len()]);
        }
        let name = if flags & 1 == 0 { "x.json" } else { "x.jsonl" };
        let limit = match limit % 4 {
            0 => *limit as usize / 4,
            1 => 64 + *limit as usize,
            _ => 64 << 20,
        };
        let whole = crate::common::scan_limited(name, &doc, 4 << 20, limit);
        let cut = crate::common::scan_limited(name, &doc, 1 + *chunk as usize, limit);
        assert_eq!(
            crate::common::counts(&whole),
            crate::common::counts(&cut),
            "chunk size changed the counts"
        );
    }
}
