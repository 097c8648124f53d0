//! `gen_corpus` — a deterministic generator of large synthetic leak dumps for
//! benchmarking tiaoshu, with the expected counts ("truth") computed from the
//! construction, never by running the tool.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out /tmp/dump.csv --size 1G
//! gen_corpus --out FILE [--size 1G] [--format csv|jsonl] [--encoding utf8|gbk]
//!            [--seed N] [--dup 0.10] [--invalid 0.03] [--nonpi 0.05]
//!            [--mix general=60,tracking=5,...] [--truth FILE]
//! ```
//!
//! # What a corpus looks like
//!
//! One file. CSV: a header row of Chinese column names that tiaoshu's
//! patterns map to roles (`序号,姓名,性别,手机号,身份证号,…,备注`), then one
//! row per record, each filling only the columns of its kind. JSON Lines: one
//! object per line with the same keys, empty ones left out, the coordinates
//! nested as `"位置":{"经度":…,"纬度":…}`. UTF-8 or GBK.
//!
//! Every data row is one of:
//!
//! * **unique PI record** of exactly one kind (SPEC §1.1): its columns carry the
//!   evidence of that kind only, and at least one identifier derived
//!   injectively from the row number (mobile, resident ID, bank card, e-mail,
//!   call time), so no two unique rows can share a dedup key;
//! * **invalid PI record**: the same shapes, but every strong identifier fails
//!   validation (unallocated mobile prefix, resident ID with a wrong check
//!   digit / impossible or out-of-range birth date / unknown province, bank
//!   card failing Luhn, malformed e-mail) — SPEC §1.3 "invalid";
//! * **duplicate**: an exact repeat of an earlier unique row (only 序号, a
//!   non-PI column, differs) — SPEC §1.3 "duplicate";
//! * **non-PI row**: only 序号 and a note (备注), or an order number and an
//!   amount without any person.
//!
//! The class of row `i` is a pure function of `(seed, i)`, and so is the
//! content of a unique row; a duplicate regenerates the row it copies from
//! its index, so nothing but counters is kept in memory.
//!
//! Fractions (`--dup`, `--invalid`, `--nonpi`) are shares of all data rows; the
//! rest are unique PI rows. `--mix` weighs the kinds of unique and invalid PI
//! rows (a duplicate has the kind of its original). Counts in the truth file
//! assume tiaoshu's default policies (travel=other_safety, idcard=strict,
//! bare_phone=exclude, track_unit=point) and basis `counted`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::time::Instant;

// ---------------------------------------------------------------------------
// Kinds (SPEC §1.1; the JSON keys of tiaoshu's report, in precedence order)
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Tracking,
    CommContent,
    Credit,
    Property,
    Accommodation,
    CommRecords,
    Health,
    Transaction,
    OtherSafety,
    General,
}

const KINDS: [Kind; 10] = [
    Kind::Tracking,
    Kind::CommContent,
    Kind::Credit,
    Kind::Property,
    Kind::Accommodation,
    Kind::CommRecords,
    Kind::Health,
    Kind::Transaction,
    Kind::OtherSafety,
    Kind::General,
];

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Tracking => "tracking",
            Kind::CommContent => "comm_content",
            Kind::Credit => "credit",
            Kind::Property => "property",
            Kind::Accommodation => "accommodation",
            Kind::CommRecords => "comm_records",
            Kind::Health => "health",
            Kind::Transaction => "transaction",
            Kind::OtherSafety => "other_safety",
            Kind::General => "general",
        }
    }

    fn tier(self) -> &'static str {
        match self {
            Kind::Tracking | Kind::CommContent | Kind::Credit | Kind::Property => "A",
            Kind::General => "C",
            _ => "B",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn from_key(key: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.key() == key)
    }
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Jsonl,
    /// Chat and SMS lines: each row's values written into a Chinese
    /// sentence (free text; UTF-8 only, no truth file).
    Chat,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Gbk,
}

struct Args {
    out: String,
    truth: String,
    size: u64,
    size_arg: String,
    format: Format,
    encoding: Encoding,
    seed: u64,
    dup: f64,
    invalid: f64,
    nonpi: f64,
    /// Relative weights of the kinds, indexed by `Kind::index`.
    mix: [f64; 10],
}

const USAGE: &str = "\
usage: gen_corpus --out FILE [--size 1G] [--format csv|jsonl|chat] [--encoding utf8|gbk]
                  [--seed N] [--dup 0.10] [--invalid 0.03] [--nonpi 0.05]
                  [--mix general=60,tracking=5,credit=3,property=5,accommodation=7,
                         comm_records=5,health=5,transaction=10,comm_content=0,other_safety=0]
                  [--truth FILE]

Writes a deterministic synthetic leak dump of about --size bytes (K/M/G/T
suffixes are powers of 1024; whole records are written until the size is
reached) and its expected tiaoshu counts to --truth (default FILE.truth.json).
--dup/--invalid/--nonpi are shares of all data rows; --mix weighs the kinds of
the PI rows (kinds left out of --mix get weight 0). --format chat writes each
row as a chat line with its values inside a Chinese sentence (UTF-8 only): a
free-text corpus for throughput, whose counts are not modelled (no truth).";

const DEFAULT_MIX: &str = "general=60,tracking=5,credit=3,property=5,accommodation=7,\
comm_records=5,health=5,transaction=10,comm_content=0,other_safety=0";

/// `1G`, `20M`, `512k`, `4096`, `1GiB`: bytes, suffixes are powers of 1024.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (num, mul) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        Some('T') => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    let n: u64 = num.parse().map_err(|_| format!("bad size {s:?}"))?;
    n.checked_mul(mul)
        .ok_or_else(|| format!("size {s:?} too large"))
}

fn parse_fraction(name: &str, s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{name}: expected a fraction in 0..1, got {s:?}")),
    }
}

fn parse_mix(s: &str) -> Result<[f64; 10], String> {
    let mut mix = [0.0; 10];
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("--mix: expected kind=weight, got {part:?}"))?;
        let kind = Kind::from_key(k.trim()).ok_or_else(|| {
            let keys: Vec<&str> = KINDS.iter().map(|k| k.key()).collect();
            format!("--mix: unknown kind {k:?} (one of {})", keys.join(", "))
        })?;
        let w: f64 = v
            .trim()
            .parse()
            .ok()
            .filter(|w: &f64| w.is_finite() && *w >= 0.0)
            .ok_or_else(|| format!("--mix: bad weight {v:?} for {k}"))?;
        mix[kind.index()] = w;
    }
    if mix.iter().sum::<f64>() <= 0.0 {
        return Err("--mix: at least one kind needs a positive weight".into());
    }
    Ok(mix)
}

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut truth = None;
    let mut size_arg = "1G".to_string();
    let mut format = Format::Csv;
    let mut encoding = Encoding::Utf8;
    let mut seed = 1u64;
    let (mut dup, mut invalid, mut nonpi) = (0.10, 0.03, 0.05);
    let mut mix = parse_mix(DEFAULT_MIX)?;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        // `--flag value` and `--flag=value`
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (flag.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--out" | "-o" => out = Some(value()?),
            "--truth" => truth = Some(value()?),
            "--size" => size_arg = value()?,
            "--format" => {
                format = match value()?.as_str() {
                    "csv" => Format::Csv,
                    "jsonl" => Format::Jsonl,
                    "chat" => Format::Chat,
                    v => return Err(format!("--format: csv, jsonl or chat, got {v:?}")),
                }
            }
            "--encoding" => {
                encoding = match value()?.to_ascii_lowercase().as_str() {
                    "utf8" | "utf-8" => Encoding::Utf8,
                    "gbk" => Encoding::Gbk,
                    v => return Err(format!("--encoding: utf8 or gbk, got {v:?}")),
                }
            }
            "--seed" => {
                let v = value()?;
                seed = v.parse().map_err(|_| format!("--seed: bad number {v:?}"))?;
            }
            "--dup" => dup = parse_fraction("--dup", &value()?)?,
            "--invalid" => invalid = parse_fraction("--invalid", &value()?)?,
            "--nonpi" => nonpi = parse_fraction("--nonpi", &value()?)?,
            "--mix" => mix = parse_mix(&value()?)?,
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    let out = out.ok_or("--out FILE is required")?;
    if format == Format::Chat && encoding == Encoding::Gbk {
        return Err("--format chat is UTF-8 only".into());
    }
    if dup + invalid + nonpi > 1.0 + 1e-9 {
        return Err("--dup + --invalid + --nonpi must not exceed 1".into());
    }
    Ok(Args {
        truth: truth.unwrap_or_else(|| format!("{out}.truth.json")),
        out,
        size: parse_size(&size_arg)?,
        size_arg,
        format,
        encoding,
        seed,
        dup,
        invalid,
        nonpi,
        mix,
    })
}

// ---------------------------------------------------------------------------
// Randomness: stateless hashing (the class and content of row i depend only
// on the seed and i) and a SplitMix64 stream per row.
// ---------------------------------------------------------------------------

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 finaliser: a bijective 64-bit mixer.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Independent hash streams of one row.
const SALT_PLAN: u64 = 0x1111_2222_3333_4444;
const SALT_KIND: u64 = 0x5555_6666_7777_8888;
const SALT_ROW: u64 = 0x9999_AAAA_BBBB_CCCC;
const SALT_DUP: u64 = 0xDDDD_EEEE_FFFF_0001;

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn range(&mut self, lo: u64, hi_inclusive: u64) -> u64 {
        lo + self.below(hi_inclusive - lo + 1)
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// `true` with probability `percent`/100.
    fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Uniform in [0, 1) from a hash.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A keyed pseudo-random permutation of `0..n`: a 4-round Feistel network on
/// the smallest even number of bits that holds `n`, with cycle walking (a
/// result outside `0..n` is permuted again, which keeps it a bijection of
/// `0..n`; on average fewer than 4 passes). It turns a row number into a
/// serial that looks random but never repeats.
struct Perm {
    n: u64,
    half_bits: u32,
    keys: [u64; 4],
}

impl Perm {
    fn new(n: u64, key: u64) -> Perm {
        assert!(n > 1);
        let bits = 64 - (n - 1).leading_zeros();
        let half_bits = bits.div_ceil(2);
        let mut keys = [0u64; 4];
        for (r, k) in keys.iter_mut().enumerate() {
            *k = mix64(key ^ (r as u64 + 1).wrapping_mul(GOLDEN));
        }
        Perm { n, half_bits, keys }
    }

    fn feistel(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let (mut l, mut r) = (x >> self.half_bits, x & mask);
        for k in self.keys {
            (l, r) = (r, l ^ (mix64(r ^ k) & mask));
        }
        (l << self.half_bits) | r
    }

    fn at(&self, i: u64) -> u64 {
        debug_assert!(i < self.n);
        let mut x = self.feistel(i);
        while x >= self.n {
            x = self.feistel(x);
        }
        x
    }
}

// ---------------------------------------------------------------------------
// Number and date formatting straight into byte buffers
// ---------------------------------------------------------------------------

fn push_num(buf: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut k = tmp.len();
    loop {
        k -= 1;
        tmp[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[k..]);
}

/// `n` with exactly `width` digits (leading zeros; `n < 10^width`).
fn push_pad(buf: &mut Vec<u8>, mut n: u64, width: usize) {
    let start = buf.len();
    buf.resize(start + width, b'0');
    for k in (start..start + width).rev() {
        buf[k] = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// `cents` as `123.45`.
fn push_money(buf: &mut Vec<u8>, cents: u64) {
    push_num(buf, cents / 100);
    buf.push(b'.');
    push_pad(buf, cents % 100, 2);
}

/// Micro-degrees as `116.407395`.
fn push_coord(buf: &mut Vec<u8>, micro: u64) {
    push_num(buf, micro / 1_000_000);
    buf.push(b'.');
    push_pad(buf, micro % 1_000_000, 6);
}

/// Days since 1970-01-01 of a civil date (H. Hinnant).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of a day number (inverse of `days_from_civil`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYYMMDD` of a day number.
fn push_date8(buf: &mut Vec<u8>, day: i64) {
    let (y, m, d) = civil_from_days(day);
    push_pad(buf, y as u64, 4);
    push_pad(buf, u64::from(m), 2);
    push_pad(buf, u64::from(d), 2);
}

/// `YYYY-MM-DD HH:MM:SS` of seconds since 1970-01-01 (no time zone).
fn push_datetime(buf: &mut Vec<u8>, secs: i64) {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400) as u64;
    push_pad(buf, y as u64, 4);
    buf.push(b'-');
    push_pad(buf, u64::from(m), 2);
    buf.push(b'-');
    push_pad(buf, u64::from(d), 2);
    buf.push(b' ');
    push_pad(buf, s / 3600, 2);
    buf.push(b':');
    push_pad(buf, s / 60 % 60, 2);
    buf.push(b':');
    push_pad(buf, s % 60, 2);
}

fn secs_at(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) * 86_400
}

// ---------------------------------------------------------------------------
// Identifiers (SPEC §2.1): valid ones derived injectively from the row number,
// invalid ones failing exactly the checks SPEC §1.3 lists.
// ---------------------------------------------------------------------------

/// Mobile prefixes allocated by MIIT (all pass tiaoshu's prefix check).
#[rustfmt::skip]
const MOBILE_PREFIXES: [u16; 44] = [
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 145, 147, 150, 151, 152, 153, 155, 156, 157,
    158, 159, 166, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 191,
    193, 195, 196, 197, 198, 199,
];

/// 1[3-9]x-shaped prefixes that were never allocated: untrue mobile numbers.
const BAD_MOBILE_PREFIXES: [u16; 12] = [140, 141, 143, 144, 154, 160, 161, 163, 164, 168, 179, 194];

/// County-level region codes (GB/T 2260) of real provinces.
#[rustfmt::skip]
const REGIONS: [u32; 40] = [
    110101, 110105, 110108, 120101, 120104, 130102, 140105, 150102, 210102, 220102, 230102, 310104,
    310115, 320106, 320582, 330106, 330212, 340102, 350102, 350203, 360102, 370102, 370202, 410105,
    420111, 430102, 440106, 440304, 440305, 441900, 450103, 460105, 500103, 510107, 520102, 530102,
    610113, 620102, 640104, 650102,
];

/// First two digits that are no province (GB/T 2260).
const BAD_PROVINCES: [u32; 8] = [19, 24, 38, 49, 58, 66, 77, 99];

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// Index into `ID_CHECK` of the check character of 17 digits.
fn id_check_index(body: &[u8]) -> usize {
    let sum: u32 = body
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(&c, w)| u32::from(c - b'0') * w)
        .sum();
    (sum % 11) as usize
}

/// Writes an 18-character ID: region, birth date, sequence, then the check
/// character shifted by `wrong` positions (0 = the correct one).
fn push_id(buf: &mut Vec<u8>, region: u32, y: i64, m: u32, d: u32, seq: u64, wrong: usize) {
    let start = buf.len();
    push_pad(buf, u64::from(region), 6);
    push_pad(buf, y as u64, 4);
    push_pad(buf, u64::from(m), 2);
    push_pad(buf, u64::from(d), 2);
    push_pad(buf, seq, 3);
    let k = id_check_index(&buf[start..start + 17]);
    buf.push(ID_CHECK[(k + wrong) % 11]);
}

/// Luhn check digit for `partial` (the number without its check digit).
fn luhn_digit(partial: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, &c) in partial.iter().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    b'0' + ((10 - sum % 10) % 10) as u8
}

/// Issuer prefixes (UnionPay 62…, Visa 4…, Mastercard 5…) and card length.
#[rustfmt::skip]
const BINS: [(&str, usize); 16] = [
    ("622202", 19), ("621226", 19), ("622848", 19), ("621700", 19), ("622700", 19), ("622588", 16),
    ("621483", 16), ("622262", 19), ("623058", 19), ("621661", 19), ("622609", 16), ("625802", 16),
    ("628288", 16), ("438088", 16), ("456351", 16), ("524094", 16),
];

#[rustfmt::skip]
const EMAIL_DOMAINS: [&str; 11] = [
    "163.com", "126.com", "qq.com", "sina.com", "sohu.com", "gmail.com", "hotmail.com", "yeah.net",
    "foxmail.com", "aliyun.com", "outlook.com",
];

// ---------------------------------------------------------------------------
// Text tables (synthetic; encoded once into the output encoding)
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const SURNAMES: [(&str, &str); 64] = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"),
    ("胡", "hu"), ("朱", "zhu"), ("高", "gao"), ("林", "lin"), ("何", "he"), ("郭", "guo"),
    ("马", "ma"), ("罗", "luo"), ("梁", "liang"), ("宋", "song"), ("郑", "zheng"), ("谢", "xie"),
    ("韩", "han"), ("唐", "tang"), ("冯", "feng"), ("于", "yu"), ("董", "dong"), ("程", "cheng"),
    ("曹", "cao"), ("袁", "yuan"), ("邓", "deng"), ("许", "xu"), ("傅", "fu"), ("沈", "shen"),
    ("曾", "zeng"), ("彭", "peng"), ("吕", "lv"), ("苏", "su"), ("卢", "lu"), ("蒋", "jiang"),
    ("蔡", "cai"), ("贾", "jia"), ("丁", "ding"), ("魏", "wei"), ("薛", "xue"), ("叶", "ye"),
    ("余", "yu"), ("潘", "pan"), ("杜", "du"), ("戴", "dai"), ("夏", "xia"), ("钟", "zhong"),
    ("汪", "wang"), ("田", "tian"), ("任", "ren"), ("姜", "jiang"), ("范", "fan"), ("方", "fang"),
    ("石", "shi"), ("姚", "yao"), ("欧阳", "ouyang"), ("诸葛", "zhuge"),
];

#[rustfmt::skip]
const GIVEN: [(&str, &str); 64] = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("英", "ying"), ("华", "hua"), ("玉", "yu"),
    ("萍", "ping"), ("红", "hong"), ("玲", "ling"), ("芬", "fen"), ("燕", "yan"), ("鹏", "peng"),
    ("辉", "hui"), ("斌", "bin"), ("宇", "yu"), ("浩", "hao"), ("凯", "kai"), ("健", "jian"),
    ("俊", "jun"), ("帆", "fan"), ("旭", "xu"), ("宁", "ning"), ("欣", "xin"), ("怡", "yi"),
    ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("晨", "chen"), ("佳", "jia"), ("嘉", "jia"),
    ("梓", "zi"), ("涵", "han"), ("轩", "xuan"), ("子", "zi"), ("文", "wen"), ("博", "bo"),
    ("志", "zhi"), ("建", "jian"), ("国", "guo"), ("海", "hai"), ("小", "xiao"), ("春", "chun"),
    ("慧", "hui"), ("颖", "ying"), ("思", "si"), ("雨", "yu"),
];

/// (province + city, districts, roads)
#[rustfmt::skip]
const PLACES: [(&str, &[&str], &[&str]); 14] = [
    ("北京市", &["朝阳区", "海淀区", "东城区", "西城区", "丰台区"], &["建国路", "中关村大街", "东四十条", "复兴路", "望京西路"]),
    ("上海市", &["浦东新区", "徐汇区", "静安区", "闵行区"], &["世纪大道", "漕溪北路", "南京西路", "莲花路"]),
    ("广东省广州市", &["天河区", "越秀区", "海珠区", "白云区"], &["天河路", "中山五路", "江南大道", "机场路"]),
    ("广东省深圳市", &["南山区", "福田区", "宝安区"], &["深南大道", "科技园路", "华强北路", "新安六路"]),
    ("四川省成都市", &["武侯区", "锦江区", "高新区"], &["人民南路", "春熙路", "天府大道"]),
    ("浙江省杭州市", &["西湖区", "拱墅区", "滨江区"], &["文三路", "延安路", "江南大道"]),
    ("江苏省南京市", &["鼓楼区", "玄武区", "江宁区"], &["中山路", "北京东路", "双龙大道"]),
    ("湖北省武汉市", &["洪山区", "武昌区", "江汉区"], &["珞喻路", "中南路", "解放大道"]),
    ("天津市", &["和平区", "南开区", "河西区"], &["南京路", "鞍山西道", "友谊路"]),
    ("重庆市", &["渝中区", "江北区", "渝北区"], &["解放碑路", "建新北路", "红锦大道"]),
    ("山东省济南市", &["历下区", "市中区"], &["泉城路", "经十路"]),
    ("河南省郑州市", &["金水区", "二七区"], &["花园路", "大学路"]),
    ("陕西省西安市", &["雁塔区", "碑林区"], &["小寨东路", "南大街"]),
    ("福建省厦门市", &["思明区", "湖里区"], &["中山路", "嘉禾路"]),
];

/// City centres (latitude, longitude) in micro-degrees.
#[rustfmt::skip]
const CITY_CENTRES: [(u64, u64); 10] = [
    (39_904_200, 116_407_400), (31_230_400, 121_473_700), (23_129_100, 113_264_400),
    (22_543_100, 114_057_900), (30_572_800, 104_066_800), (30_274_100, 120_155_100),
    (32_060_300, 118_796_900), (30_592_800, 114_305_500), (36_651_200, 117_120_000),
    (34_341_600, 108_939_800),
];

#[rustfmt::skip]
const HOTELS: [&str; 16] = [
    "如家酒店北京建国门店", "汉庭酒店上海徐家汇店", "锦江之星广州天河店",
    "七天连锁酒店成都春熙路店", "全季酒店杭州西湖店", "维也纳酒店深圳南山店",
    "格林豪泰南京新街口店", "亚朵酒店武汉光谷店", "桔子酒店天津南开店", "城市便捷酒店重庆解放碑店",
    "莫泰酒店济南泉城广场店", "丽枫酒店郑州二七店", "希岸酒店西安小寨店", "宜必思酒店厦门中山路店",
    "速8酒店北京望京店", "布丁酒店上海莲花路店",
];

#[rustfmt::skip]
const DIAGNOSES: [&str; 20] = [
    "高血压", "2型糖尿病", "慢性胃炎", "支气管炎", "腰椎间盘突出", "甲状腺结节", "冠心病", "脂肪肝",
    "过敏性鼻炎", "抑郁症", "乙型肝炎病毒携带", "哮喘", "早孕", "痛风", "颈椎病", "慢性肾炎",
    "焦虑症", "高脂血症", "胆囊结石", "腰肌劳损",
];

#[rustfmt::skip]
const SMS: [&str; 16] = [
    "明天上午九点到公司开会", "快递放门卫了记得取", "周末一起吃饭吗", "我到楼下了",
    "这个月房租已经转给你了", "孩子下午要去接", "会议改到下午三点", "收到请回复",
    "晚上加班不回家吃饭了", "合同已经发你邮箱了", "生日快乐", "车停在地下二层", "钥匙放在前台了",
    "今晚的航班延误了", "妈妈让你回个电话", "材料明天一早交给王经理",
];

#[rustfmt::skip]
const FLIGHTS: [&str; 12] = [
    "CA1501", "MU5101", "CZ3101", "HU7181", "ZH9801", "3U8881", "MF8101", "CA1831", "MU5305",
    "CZ3539", "HO1253", "SC4651",
];

/// Notes on PI rows (the 备注 column is not PI: tiaoshu ignores it).
#[rustfmt::skip]
const REMARKS: [&str; 8] = [
    "已核实", "VIP客户", "老客户", "重点客户", "二次导入", "来源A库", "待回访", "已联系",
];

/// Notes of rows without personal information.
#[rustfmt::skip]
const NONPI_REMARKS: [&str; 8] = [
    "系统测试数据", "本批次导出完成", "数据同步记录", "表结构版本3", "导出批次20240301",
    "以下为空行", "校验记录", "分页标记",
];

const GENDERS: [&str; 2] = ["男", "女"];

// ---------------------------------------------------------------------------
// Columns: header synonyms from tiaoshu's patterns/*.toml
// ---------------------------------------------------------------------------

const C_XH: usize = 0; // 序号: non-PI (ignored)
const C_NAME: usize = 1; // name attribute
const C_GENDER: usize = 2; // gender attribute
const C_MOBILE: usize = 3; // mobile identifier
const C_ID: usize = 4; // resident_id identifier
const C_EMAIL: usize = 5; // email identifier
const C_CARD: usize = 6; // bank_card identifier
const C_ADDR: usize = 7; // address attribute
const C_LNG: usize = 8; // tracking
const C_LAT: usize = 9; // tracking
const C_LOCTIME: usize = 10; // tracking
const C_SMS: usize = 11; // comm_content
const C_OVERDUE: usize = 12; // credit
const C_BALANCE: usize = 13; // property
const C_HOTEL: usize = 14; // accommodation
const C_CHECKIN: usize = 15; // accommodation
const C_CALLEE: usize = 16; // comm_records
const C_CALLTIME: usize = 17; // comm_records
const C_DURATION: usize = 18; // comm_records
const C_DIAG: usize = 19; // health
const C_ORDER: usize = 20; // transaction
const C_AMOUNT: usize = 21; // transaction
const C_FLIGHT: usize = 22; // travel (other_safety under travel=other_safety)
const C_DEPART: usize = 23; // travel
const C_REMARK: usize = 24; // 备注: non-PI (ignored)
const NCOL: usize = 25;

#[rustfmt::skip]
const HEADERS: [&str; NCOL] = [
    "序号", "姓名", "性别", "手机号", "身份证号", "邮箱", "银行卡号", "地址", "经度", "纬度",
    "定位时间", "短信内容", "逾期金额", "余额", "酒店名称", "入住时间", "被叫号码", "通话时间",
    "通话时长", "诊断", "订单号", "交易金额", "航班号", "出发时间", "备注",
];

/// JSON: the coordinates go into this nested object.
const LOCATION_KEY: &str = "位置";

/// Columns written as JSON numbers (the rest are strings).
fn json_numeric(c: usize) -> bool {
    matches!(
        c,
        C_XH | C_LNG | C_LAT | C_OVERDUE | C_BALANCE | C_DURATION | C_AMOUNT
    )
}

/// An address stem, its districts and roads, encoded.
struct Place {
    stem: Vec<u8>,
    districts: Vec<Vec<u8>>,
    roads: Vec<Vec<u8>>,
}

/// All text of the output, encoded once.
struct Tables {
    surnames: Vec<(Vec<u8>, &'static str)>,
    given: Vec<(Vec<u8>, &'static str)>,
    places: Vec<Place>,
    hotels: Vec<Vec<u8>>,
    diagnoses: Vec<Vec<u8>>,
    sms: Vec<Vec<u8>>,
    remarks: Vec<Vec<u8>>,
    nonpi_remarks: Vec<Vec<u8>>,
    genders: Vec<Vec<u8>>,
    /// 号 栋 单元 室
    hao: Vec<u8>,
    dong: Vec<u8>,
    danyuan: Vec<u8>,
    shi: Vec<u8>,
    csv_header: Vec<u8>,
    /// `"姓名":` per column
    json_keys: Vec<Vec<u8>>,
    /// `"位置":{`
    json_location: Vec<u8>,
}

fn encode(s: &str, enc: Encoding) -> io::Result<Vec<u8>> {
    match enc {
        Encoding::Utf8 => Ok(s.as_bytes().to_vec()),
        Encoding::Gbk => {
            let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
            if unmappable {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{s:?} has characters GBK cannot encode"),
                ));
            }
            Ok(bytes.into_owned())
        }
    }
}

impl Tables {
    fn new(enc: Encoding) -> io::Result<Tables> {
        let e = |s: &str| encode(s, enc);
        let all = |v: &[&str]| v.iter().map(|s| e(s)).collect::<io::Result<Vec<_>>>();
        let pairs = |v: &[(&str, &'static str)]| {
            v.iter()
                .map(|&(s, py)| Ok((e(s)?, py)))
                .collect::<io::Result<Vec<_>>>()
        };
        let places = PLACES
            .iter()
            .map(|&(p, d, r)| {
                Ok(Place {
                    stem: e(p)?,
                    districts: all(d)?,
                    roads: all(r)?,
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        let json_keys = HEADERS
            .iter()
            .map(|h| e(&format!("\"{h}\":")))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Tables {
            surnames: pairs(&SURNAMES)?,
            given: pairs(&GIVEN)?,
            places,
            hotels: all(&HOTELS)?,
            diagnoses: all(&DIAGNOSES)?,
            sms: all(&SMS)?,
            remarks: all(&REMARKS)?,
            nonpi_remarks: all(&NONPI_REMARKS)?,
            genders: all(&GENDERS)?,
            hao: e("号")?,
            dong: e("栋")?,
            danyuan: e("单元")?,
            shi: e("室")?,
            csv_header: e(&(HEADERS.join(",") + "\n"))?,
            json_keys,
            json_location: e(&format!("\"{LOCATION_KEY}\":{{"))?,
        })
    }
}

// ---------------------------------------------------------------------------
// One row: the bytes of its values and where each column's value lies
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Row {
    buf: Vec<u8>,
    span: [(u32, u32); NCOL],
    /// Bit per column that has a value.
    set: u32,
    /// JSON: write the mobile as a number rather than a string.
    mobile_as_number: bool,
}

impl Row {
    fn clear(&mut self) {
        self.buf.clear();
        self.set = 0;
        self.mobile_as_number = false;
    }

    /// Marks the bytes written since `start` as the value of column `c`.
    fn mark(&mut self, c: usize, start: usize) {
        self.span[c] = (start as u32, self.buf.len() as u32);
        self.set |= 1 << c;
    }

    fn put(&mut self, c: usize, bytes: &[u8]) {
        let s = self.buf.len();
        self.buf.extend_from_slice(bytes);
        self.mark(c, s);
    }

    fn has(&self, c: usize) -> bool {
        self.set & (1 << c) != 0
    }

    fn value(&self, c: usize) -> &[u8] {
        let (s, e) = self.span[c];
        &self.buf[s as usize..e as usize]
    }
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

/// What row `i` is, before a duplicate has found its original.
#[derive(Clone, Copy)]
enum Plan {
    NonPi,
    Invalid(Kind),
    Dup(Kind),
    Unique(Kind),
}

/// What row `i` is in the output.
#[derive(Clone, Copy)]
enum Resolved {
    NonPi,
    Invalid(Kind),
    Unique(Kind),
    /// An exact copy of unique row `of` (of < i), which has kind `kind`.
    Dup {
        of: u64,
        kind: Kind,
    },
}

/// Duplicates copy from this many recent rows half of the time (dumps are
/// often concatenations of overlapping exports), otherwise from anywhere.
const DUP_WINDOW: u64 = 50_000;
const DUP_TRIES: u64 = 16;

const ID_FIRST_DAY: (i64, u32, u32) = (1950, 1, 1);
const ID_LAST_DAY: (i64, u32, u32) = (2005, 12, 31);

struct Gen {
    key: u64,
    /// Cumulative shares: non-PI, + invalid, + duplicate.
    cut_nonpi: f64,
    cut_invalid: f64,
    cut_dup: f64,
    /// Cumulative kind weights, normalised to 1.
    kind_cut: [f64; 10],
    t: Tables,
    perm_mobile: Perm,
    perm_id: Perm,
    perm_card: Perm,
    perm_email: Perm,
    perm_order: Perm,
    id_day0: i64,
    id_days: u64,
    /// Row numbers at or past this would repeat an identifier.
    max_rows: u64,
    t_track: i64,
    t_call: i64,
    t_hotel: i64,
    t_flight: i64,
    t_order_day: i64,
}

impl Gen {
    fn new(a: &Args) -> io::Result<Gen> {
        let key = mix64(a.seed ^ 0x7469_616F_7368_7521); // "tiaoshu!"
        let total: f64 = a.mix.iter().sum();
        let mut kind_cut = [0.0; 10];
        let mut acc = 0.0;
        for (k, w) in a.mix.iter().enumerate() {
            acc += w / total;
            kind_cut[k] = acc;
        }
        // The last kind with a positive weight closes at exactly 1.
        if let Some(last) = (0..10).rev().find(|&k| a.mix[k] > 0.0) {
            for c in kind_cut.iter_mut().skip(last) {
                *c = 1.0;
            }
        }
        let id_day0 = days_from_civil(ID_FIRST_DAY.0, ID_FIRST_DAY.1, ID_FIRST_DAY.2);
        let id_days =
            (days_from_civil(ID_LAST_DAY.0, ID_LAST_DAY.1, ID_LAST_DAY.2) - id_day0 + 1) as u64;
        let n_mobile = MOBILE_PREFIXES.len() as u64 * 100_000_000;
        let n_id = REGIONS.len() as u64 * id_days * 1000;
        let n_card = BINS.len() as u64 * 1_000_000_000;
        let n_email = 900_000_000;
        let n_order = 10_000_000_000;
        Ok(Gen {
            key,
            cut_nonpi: a.nonpi,
            cut_invalid: a.nonpi + a.invalid,
            cut_dup: a.nonpi + a.invalid + a.dup,
            kind_cut,
            t: Tables::new(a.encoding)?,
            perm_mobile: Perm::new(n_mobile, key ^ 1),
            perm_id: Perm::new(n_id, key ^ 2),
            perm_card: Perm::new(n_card, key ^ 3),
            perm_email: Perm::new(n_email, key ^ 4),
            perm_order: Perm::new(n_order, key ^ 5),
            id_day0,
            id_days,
            max_rows: n_mobile.min(n_id).min(n_card).min(n_email).min(n_order),
            t_track: secs_at(2024, 3, 1) + 6 * 3600,
            t_call: secs_at(2023, 6, 1),
            t_hotel: secs_at(2023, 1, 1),
            t_flight: secs_at(2024, 1, 1),
            t_order_day: days_from_civil(2024, 1, 1),
        })
    }

    fn hash(&self, i: u64, salt: u64) -> u64 {
        mix64(self.key ^ mix64(i.wrapping_mul(GOLDEN) ^ salt))
    }

    fn kind_at(&self, i: u64) -> Kind {
        let u = unit(self.hash(i, SALT_KIND));
        let k = self.kind_cut.iter().position(|&c| u < c).unwrap_or(9);
        KINDS[k]
    }

    fn plan(&self, i: u64) -> Plan {
        let u = unit(self.hash(i, SALT_PLAN));
        if u < self.cut_nonpi {
            Plan::NonPi
        } else if u < self.cut_invalid {
            Plan::Invalid(self.kind_at(i))
        } else if u < self.cut_dup {
            Plan::Dup(self.kind_at(i))
        } else {
            Plan::Unique(self.kind_at(i))
        }
    }

    /// A duplicate copies an earlier unique row; when none is found (the
    /// first rows, or absurd --dup values) the row is unique itself.
    fn resolve(&self, i: u64) -> Resolved {
        match self.plan(i) {
            Plan::NonPi => Resolved::NonPi,
            Plan::Invalid(k) => Resolved::Invalid(k),
            Plan::Unique(k) => Resolved::Unique(k),
            Plan::Dup(k) => {
                for t in (0..DUP_TRIES).take_while(|_| i > 0) {
                    let h = self.hash(i, SALT_DUP.wrapping_add(t));
                    let r = h >> 1;
                    let j = if h & 1 == 0 && i > DUP_WINDOW {
                        i - 1 - r % DUP_WINDOW
                    } else {
                        r % i
                    };
                    if let Plan::Unique(kind) = self.plan(j) {
                        return Resolved::Dup { of: j, kind };
                    }
                }
                Resolved::Unique(k)
            }
        }
    }

    fn row_rng(&self, i: u64) -> Rng {
        Rng(self.hash(i, SALT_ROW))
    }

    // -- values -------------------------------------------------------------

    /// A name; returns the pinyin (surname, given…) for e-mail addresses.
    fn name(&self, r: &mut Rng, row: &mut Row) -> [&'static str; 3] {
        let s = row.buf.len();
        let (sb, spy) = &self.t.surnames[r.index(self.t.surnames.len())];
        row.buf.extend_from_slice(sb);
        let mut py = [*spy, "", ""];
        let n = if r.percent(70) { 2 } else { 1 };
        for p in py.iter_mut().skip(1).take(n) {
            let (gb, gpy) = &self.t.given[r.index(self.t.given.len())];
            row.buf.extend_from_slice(gb);
            *p = gpy;
        }
        row.mark(C_NAME, s);
        py
    }

    fn gender(&self, r: &mut Rng, row: &mut Row) {
        let g = &self.t.genders[r.index(2)];
        row.put(C_GENDER, g);
    }

    /// The mobile number of row `i` (valid, injective in `i`).
    fn push_mobile(&self, buf: &mut Vec<u8>, i: u64) {
        let x = self.perm_mobile.at(i);
        let p = MOBILE_PREFIXES.len() as u64;
        push_num(buf, u64::from(MOBILE_PREFIXES[(x % p) as usize]));
        push_pad(buf, x / p, 8);
    }

    /// An 11-digit number with an unallocated prefix.
    fn push_bad_mobile(&self, buf: &mut Vec<u8>, r: &mut Rng) {
        let p = BAD_MOBILE_PREFIXES[r.index(BAD_MOBILE_PREFIXES.len())];
        push_num(buf, u64::from(p));
        push_pad(buf, r.below(100_000_000), 8);
    }

    fn mobile(&self, i: u64, bad: bool, r: &mut Rng, row: &mut Row) {
        let s = row.buf.len();
        if bad {
            self.push_bad_mobile(&mut row.buf, r);
        } else {
            self.push_mobile(&mut row.buf, i);
        }
        row.mark(C_MOBILE, s);
        // Some exports keep phone numbers as JSON integers.
        row.mobile_as_number = r.percent(10);
    }

    /// The resident ID of row `i`: region, birth date and sequence number
    /// come from a bijection of the row number, the check character is right.
    fn push_id(&self, buf: &mut Vec<u8>, i: u64) {
        let mut x = self.perm_id.at(i);
        let seq = x % 1000;
        x /= 1000;
        let day = self.id_day0 + (x % self.id_days) as i64;
        let region = REGIONS[(x / self.id_days) as usize];
        let (y, m, d) = civil_from_days(day);
        push_id(buf, region, y, m, d, seq, 0);
    }

    /// A resident ID that fails validation the way real untrue IDs do.
    fn push_bad_id(&self, buf: &mut Vec<u8>, r: &mut Rng) {
        let region = REGIONS[r.index(REGIONS.len())];
        let day = self.id_day0 + r.below(self.id_days) as i64;
        let (y, m, d) = civil_from_days(day);
        let seq = r.below(1000);
        match r.below(100) {
            // a mistyped check character
            0..=59 => push_id(buf, region, y, m, d, seq, 1 + r.index(10)),
            // born in the future
            60..=74 => {
                let y = r.range(2090, 2099) as i64;
                push_id(buf, region, y, m, d.min(28), seq, 0);
            }
            // born before 1900
            75..=84 => {
                let y = r.range(1850, 1899) as i64;
                push_id(buf, region, y, m, d.min(28), seq, 0);
            }
            // no such province
            85..=94 => {
                let prov = BAD_PROVINCES[r.index(BAD_PROVINCES.len())];
                push_id(buf, prov * 10_000 + region % 10_000, y, m, d, seq, 0);
            }
            // no such day (30 February, 31 April, month 13)
            _ => {
                let (m, d) = [
                    (2, 30),
                    (4, 31),
                    (13, 5),
                    (6, 31),
                    (2, 29 + u32::from(y % 4 == 0)),
                ][r.index(5)];
                debug_assert!(m > 12 || d > days_in_month(y, m));
                push_id(buf, region, y, m, d, seq, 0);
            }
        }
    }

    fn id(&self, i: u64, bad: bool, r: &mut Rng, row: &mut Row) {
        let s = row.buf.len();
        if bad {
            self.push_bad_id(&mut row.buf, r);
        } else {
            self.push_id(&mut row.buf, i);
        }
        row.mark(C_ID, s);
    }

    /// Bank card of row `i`: BIN + 9 serial digits (+ 3 more for 19-digit
    /// cards) + Luhn digit; with `bad`, the check digit is wrong.
    fn card(&self, i: u64, bad: bool, r: &mut Rng, row: &mut Row) {
        let s = row.buf.len();
        let nb = BINS.len() as u64;
        let x = if bad {
            r.below(self.perm_card.n)
        } else {
            self.perm_card.at(i)
        };
        let (bin, len) = BINS[(x % nb) as usize];
        row.buf.extend_from_slice(bin.as_bytes());
        push_pad(&mut row.buf, x / nb, 9);
        if len == 19 {
            push_pad(&mut row.buf, r.below(1000), 3);
        }
        let mut check = luhn_digit(&row.buf[s..]);
        if bad {
            check = b'0' + (check - b'0' + 1 + r.below(9) as u8) % 10;
        }
        row.buf.push(check);
        row.mark(C_CARD, s);
    }

    /// E-mail of row `i`: `<pinyin><serial>@<domain>`, `<mobile>@163.com` or
    /// `<qq number>@qq.com`, each injective in `i` (the shapes cannot meet:
    /// letters first, 11 digits, 9-10 digits). With `bad`, a malformed
    /// address of the first shape.
    fn email(&self, i: u64, bad: bool, py: [&str; 3], r: &mut Rng, row: &mut Row) {
        let s = row.buf.len();
        let b = &mut row.buf;
        let style = if bad { 0 } else { r.below(10) };
        match style {
            0..=4 => {
                for p in py {
                    b.extend_from_slice(p.as_bytes());
                }
                let x = if bad {
                    r.below(100_000)
                } else {
                    self.perm_email.at(i)
                };
                push_num(b, x);
            }
            5..=7 => self.push_mobile(b, i),
            _ => push_num(b, 100_000_000 + self.perm_email.at(i)),
        }
        if bad {
            let (sep, domain): (&[u8], &str) = match r.below(4) {
                // `@` typed as `#`
                0 => (b"#", EMAIL_DOMAINS[r.index(EMAIL_DOMAINS.len())]),
                // doubled `@`
                1 => (b"@@", EMAIL_DOMAINS[r.index(EMAIL_DOMAINS.len())]),
                // no top-level domain
                2 => (b"@", ["163", "qq", "126", "sina"][r.index(4)]),
                // a digit in the top-level domain
                _ => (
                    b"@",
                    ["163.c0m", "qq.c0m", "126.c0m", "sina.c0m"][r.index(4)],
                ),
            };
            b.extend_from_slice(sep);
            b.extend_from_slice(domain.as_bytes());
        } else {
            let domain = match style {
                0..=4 => EMAIL_DOMAINS[r.index(EMAIL_DOMAINS.len())],
                5..=7 => ["163.com", "139.com", "126.com"][r.index(3)],
                _ => "qq.com",
            };
            b.push(b'@');
            b.extend_from_slice(domain.as_bytes());
        }
        row.mark(C_EMAIL, s);
    }

    fn address(&self, r: &mut Rng, row: &mut Row) {
        let s = row.buf.len();
        let place = &self.t.places[r.index(self.t.places.len())];
        let b = &mut row.buf;
        b.extend_from_slice(&place.stem);
        b.extend_from_slice(&place.districts[r.index(place.districts.len())]);
        b.extend_from_slice(&place.roads[r.index(place.roads.len())]);
        push_num(b, r.range(1, 399));
        b.extend_from_slice(&self.t.hao);
        if r.percent(75) {
            push_num(b, r.range(1, 30));
            b.extend_from_slice(&self.t.dong);
            if r.percent(50) {
                push_num(b, r.range(1, 6));
                b.extend_from_slice(&self.t.danyuan);
            }
            push_num(b, r.range(1, 32));
            push_pad(b, r.range(1, 8), 2);
            b.extend_from_slice(&self.t.shi);
        }
        row.mark(C_ADDR, s);
    }

    fn datetime(&self, c: usize, secs: i64, row: &mut Row) {
        let s = row.buf.len();
        push_datetime(&mut row.buf, secs);
        row.mark(c, s);
    }

    fn money(&self, c: usize, lo: u64, hi: u64, r: &mut Rng, row: &mut Row) {
        let s = row.buf.len();
        push_money(&mut row.buf, r.range(lo, hi));
        row.mark(c, s);
    }

    fn pick(&self, c: usize, table: &[Vec<u8>], r: &mut Rng, row: &mut Row) {
        let v = &table[r.index(table.len())];
        row.put(c, v);
    }

    fn order_no(&self, i: u64, unique: bool, r: &mut Rng, row: &mut Row) {
        let s = row.buf.len();
        let b = &mut row.buf;
        let x = if unique {
            self.perm_order.at(i)
        } else {
            r.below(self.perm_order.n)
        };
        b.extend_from_slice(["DD", "TB", "JD", "PDD"][(x % 4) as usize].as_bytes());
        push_date8(b, self.t_order_day + (x / 4 % 365) as i64);
        push_pad(b, x, 10);
        row.mark(C_ORDER, s);
    }

    // -- rows ---------------------------------------------------------------

    /// The values of PI row `i` of `kind`. With `bad`, every strong
    /// identifier in it fails validation (an invalid record).
    fn fill(&self, i: u64, kind: Kind, bad: bool, row: &mut Row) {
        let mut r = self.row_rng(i);
        let r = &mut r;
        row.clear();
        match kind {
            Kind::General => {
                let py = self.name(r, row);
                match r.below(100) {
                    // name + mobile (+ gender)
                    0..=24 => {
                        self.mobile(i, bad, r, row);
                        if r.percent(60) {
                            self.gender(r, row);
                        }
                    }
                    // name + mobile + resident ID (no address: general
                    // under idcard=strict, SPEC §1.4)
                    25..=49 => {
                        self.mobile(i, bad, r, row);
                        self.id(i, bad, r, row);
                    }
                    // name + e-mail (+ mobile)
                    50..=64 => {
                        self.email(i, bad, py, r, row);
                        if r.percent(40) {
                            self.mobile(i, bad, r, row);
                        }
                    }
                    // name + mobile + address
                    65..=84 => {
                        self.mobile(i, bad, r, row);
                        self.address(r, row);
                    }
                    // name + resident ID
                    85..=94 => {
                        self.id(i, bad, r, row);
                        if r.percent(50) {
                            self.gender(r, row);
                        }
                    }
                    // name + mobile + an ID with a wrong check digit: one
                    // strong identifier still validates, so the record is
                    // valid (SPEC §1.3); in an invalid row both are bad
                    _ => {
                        self.mobile(i, bad, r, row);
                        let s = row.buf.len();
                        self.push_bad_id(&mut row.buf, r);
                        row.mark(C_ID, s);
                    }
                }
            }
            Kind::Tracking => {
                self.name(r, row);
                self.mobile(i, bad, r, row);
                let (lat, lng) = CITY_CENTRES[r.index(CITY_CENTRES.len())];
                let s = row.buf.len();
                push_coord(&mut row.buf, lng + r.below(600_001) - 300_000);
                row.mark(C_LNG, s);
                let s = row.buf.len();
                push_coord(&mut row.buf, lat + r.below(400_001) - 200_000);
                row.mark(C_LAT, s);
                self.datetime(C_LOCTIME, self.t_track + i as i64, row);
            }
            Kind::CommContent => {
                self.name(r, row);
                self.mobile(i, bad, r, row);
                self.pick(C_SMS, &self.t.sms, r, row);
            }
            Kind::Credit => {
                self.name(r, row);
                self.id(i, bad, r, row);
                if r.percent(30) {
                    self.mobile(i, bad, r, row);
                }
                self.money(C_OVERDUE, 50_000, 20_000_000, r, row);
            }
            Kind::Property => {
                self.name(r, row);
                self.card(i, bad, r, row);
                if r.percent(30) {
                    self.mobile(i, bad, r, row);
                }
                self.money(C_BALANCE, 0, 500_000_000, r, row);
            }
            Kind::Accommodation => {
                self.name(r, row);
                self.id(i, bad, r, row);
                if r.percent(30) {
                    self.mobile(i, bad, r, row);
                }
                self.pick(C_HOTEL, &self.t.hotels, r, row);
                let t = self.t_hotel + r.below(700 * 86_400) as i64;
                self.datetime(C_CHECKIN, t, row);
            }
            Kind::CommRecords => {
                if r.percent(40) {
                    self.name(r, row);
                }
                self.mobile(i, bad, r, row);
                let s = row.buf.len();
                let callee = r.below(self.perm_mobile.n);
                self.push_mobile(&mut row.buf, callee);
                row.mark(C_CALLEE, s);
                // one call per second across the file: the call time alone
                // tells two call records apart
                self.datetime(C_CALLTIME, self.t_call + i as i64, row);
                let s = row.buf.len();
                push_num(&mut row.buf, r.range(3, 3600));
                row.mark(C_DURATION, s);
            }
            Kind::Health => {
                self.name(r, row);
                if r.percent(30) {
                    self.gender(r, row);
                }
                self.mobile(i, bad, r, row);
                self.pick(C_DIAG, &self.t.diagnoses, r, row);
            }
            Kind::Transaction => {
                self.order_no(i, true, r, row);
                self.name(r, row);
                self.mobile(i, bad, r, row);
                self.address(r, row);
                self.money(C_AMOUNT, 100, 2_000_000, r, row);
            }
            Kind::OtherSafety => {
                self.name(r, row);
                self.id(i, bad, r, row);
                if r.percent(60) {
                    // resident-ID-card information: name + ID + household
                    // address (Guiding Case 193, idcard=strict)
                    self.address(r, row);
                } else {
                    // a flight booking (travel=other_safety)
                    let f = FLIGHTS[r.index(FLIGHTS.len())];
                    row.put(C_FLIGHT, f.as_bytes());
                    let t = self.t_flight + r.below(700 * 86_400) as i64 / 300 * 300;
                    self.datetime(C_DEPART, t, row);
                }
            }
        }
        if r.percent(8) {
            self.pick(C_REMARK, &self.t.remarks, r, row);
        }
    }

    /// A row without personal information.
    fn fill_nonpi(&self, i: u64, row: &mut Row) {
        let mut r = self.row_rng(i);
        let r = &mut r;
        row.clear();
        if r.percent(70) {
            self.pick(C_REMARK, &self.t.nonpi_remarks, r, row);
        } else {
            // an order nobody can be linked to
            self.order_no(i, false, r, row);
            self.money(C_AMOUNT, 100, 2_000_000, r, row);
        }
    }

    // -- serialisation ------------------------------------------------------

    fn write_csv(&self, xh: u64, row: &Row, out: &mut Vec<u8>) {
        push_num(out, xh);
        for c in 1..NCOL {
            out.push(b',');
            if row.has(c) {
                out.extend_from_slice(row.value(c));
            }
        }
        out.push(b'\n');
    }

    /// One chat line: a time, who speaks, and the row's values inside a
    /// sentence (`序号. 客户张伟：我的手机号是13812345678，身份证…，请核实。`).
    fn write_chat(&self, xh: u64, row: &Row, out: &mut Vec<u8>) {
        // (Not `[1]`: a file opening with `[` is read as a JSON array.)
        push_num(out, xh);
        out.extend_from_slice(". ".as_bytes());
        if row.has(C_NAME) {
            out.extend_from_slice("客户".as_bytes());
            out.extend_from_slice(row.value(C_NAME));
            out.extend_from_slice("的留言：".as_bytes());
        } else {
            out.extend_from_slice("匿名留言：".as_bytes());
        }
        let parts: [(usize, &str); 8] = [
            (C_MOBILE, "我的手机号是"),
            (C_ID, "，身份证号"),
            (C_EMAIL, "，邮箱"),
            (C_CARD, "，银行卡"),
            (C_ADDR, "，住在"),
            (C_HOTEL, "，住过"),
            (C_SMS, "，"),
            (C_REMARK, "，备注"),
        ];
        let mut first = true;
        for (c, before) in parts {
            if row.has(c) {
                let before = if first {
                    before.trim_start_matches('，')
                } else {
                    before
                };
                out.extend_from_slice(before.as_bytes());
                out.extend_from_slice(row.value(c));
                first = false;
            }
        }
        out.extend_from_slice("，请核实。\n".as_bytes());
    }

    fn write_json(&self, xh: u64, row: &Row, out: &mut Vec<u8>) {
        out.push(b'{');
        out.extend_from_slice(&self.t.json_keys[C_XH]);
        push_num(out, xh);
        for c in 1..NCOL {
            if !row.has(c) || c == C_LAT {
                continue;
            }
            out.push(b',');
            if c == C_LNG {
                out.extend_from_slice(&self.t.json_location);
                out.extend_from_slice(&self.t.json_keys[C_LNG]);
                out.extend_from_slice(row.value(C_LNG));
                out.push(b',');
                out.extend_from_slice(&self.t.json_keys[C_LAT]);
                out.extend_from_slice(row.value(C_LAT));
                out.push(b'}');
                continue;
            }
            out.extend_from_slice(&self.t.json_keys[c]);
            if json_numeric(c) || (c == C_MOBILE && row.mobile_as_number) {
                out.extend_from_slice(row.value(c));
            } else {
                out.push(b'"');
                out.extend_from_slice(row.value(c));
                out.push(b'"');
            }
        }
        out.extend_from_slice(b"}\n");
    }
}

// ---------------------------------------------------------------------------
// Truth: the expected counts, tallied while writing
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    records: u64,
    nonpi: u64,
    seized: [u64; 10],
    invalid: [u64; 10],
    duplicate: [u64; 10],
    counted: [u64; 10],
}

impl Tally {
    fn pi(&self) -> u64 {
        self.seized.iter().sum()
    }

    /// `100·nA + 10·nB + nC` over the counted records (SPEC §1.2, ordinary
    /// subject): 253-1 serious at 5,000, especially serious at 50,000;
    /// 286-1 serious at 50,000.
    fn weighted(&self) -> u64 {
        KINDS
            .iter()
            .map(|k| {
                let w = match k.tier() {
                    "A" => 100,
                    "B" => 10,
                    _ => 1,
                };
                w * self.counted[k.index()]
            })
            .sum()
    }
}

fn json_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn truth_json(a: &Args, t: &Tally, bytes: u64) -> String {
    let fmt = match a.format {
        Format::Csv => "csv",
        Format::Jsonl => "jsonl",
        Format::Chat => "chat",
    };
    let enc = match a.encoding {
        Encoding::Utf8 => "utf-8",
        Encoding::Gbk => "gbk",
    };
    let mix: Vec<String> = KINDS
        .iter()
        .map(|k| format!("{}: {}", json_str(k.key()), a.mix[k.index()]))
        .collect();
    let kinds: Vec<String> = KINDS
        .iter()
        .map(|k| {
            let i = k.index();
            format!(
                "    {}: {{\"tier\": \"{}\", \"seized\": {}, \"invalid\": {}, \"duplicate\": {}, \"counted\": {}}}",
                json_str(k.key()),
                k.tier(),
                t.seized[i],
                t.invalid[i],
                t.duplicate[i],
                t.counted[i]
            )
        })
        .collect();
    let w = t.weighted();
    let l253 = if w >= 50_000 {
        "especially_serious"
    } else if w >= 5_000 {
        "serious"
    } else {
        "none"
    };
    let l286 = if w >= 50_000 { "serious" } else { "none" };
    format!(
        "{{\n  \"schema\": \"tiaoshu.bench_truth/1\",\n  \"generator\": \"gen_corpus\",\n  \
         \"parameters\": {{\"out\": {}, \"size\": {}, \"size_bytes\": {}, \"format\": \"{fmt}\", \
         \"encoding\": \"{enc}\", \"seed\": {}, \"dup\": {}, \"invalid\": {}, \"nonpi\": {}, \
         \"mix\": {{{}}}}},\n  \
         \"policies\": {{\"basis\": \"counted\", \"travel\": \"other_safety\", \"idcard\": \"strict\", \
         \"bare_phone\": \"exclude\", \"track_unit\": \"point\"}},\n  \
         \"totals\": {{\"bytes\": {bytes}, \"records\": {}, \"pi_records\": {}, \"masked\": 0, \
         \"bare\": 0, \"errors\": 0, \"non_pi\": {}}},\n  \
         \"kinds\": {{\n{}\n  }},\n  \
         \"weighted_integer\": {w},\n  \
         \"levels\": {{\"253-1\": \"{l253}\", \"286-1\": \"{l286}\"}}\n}}\n",
        json_str(&a.out),
        json_str(&a.size_arg),
        a.size,
        a.seed,
        a.dup,
        a.invalid,
        a.nonpi,
        mix.join(", "),
        t.records,
        t.pi(),
        t.nonpi,
        kinds.join(",\n"),
    )
}

// ---------------------------------------------------------------------------

fn run(a: &Args) -> io::Result<()> {
    let started = Instant::now();
    let g = Gen::new(a)?;
    let file = File::create(&a.out)?;
    let mut w = BufWriter::with_capacity(8 << 20, file);
    let mut tally = Tally::default();

    let mut bytes = 0u64;
    if a.format == Format::Csv {
        w.write_all(&g.t.csv_header)?;
        bytes += g.t.csv_header.len() as u64;
    }

    // Rows are formatted into `out` and written in blocks of about 1 MiB.
    let mut out: Vec<u8> = Vec::with_capacity(1 << 21);
    let mut row = Row::default();
    let mut i = 0u64;
    while bytes + (out.len() as u64) < a.size {
        if i >= g.max_rows {
            return Err(io::Error::other(format!(
                "more than {} rows: identifiers would repeat; use a smaller --size",
                g.max_rows
            )));
        }
        match g.resolve(i) {
            Resolved::NonPi => {
                g.fill_nonpi(i, &mut row);
                tally.nonpi += 1;
            }
            Resolved::Invalid(k) => {
                g.fill(i, k, true, &mut row);
                tally.seized[k.index()] += 1;
                tally.invalid[k.index()] += 1;
            }
            Resolved::Unique(k) => {
                g.fill(i, k, false, &mut row);
                tally.seized[k.index()] += 1;
                tally.counted[k.index()] += 1;
            }
            Resolved::Dup { of, kind } => {
                g.fill(of, kind, false, &mut row);
                tally.seized[kind.index()] += 1;
                tally.duplicate[kind.index()] += 1;
            }
        }
        tally.records += 1;
        match a.format {
            Format::Csv => g.write_csv(i + 1, &row, &mut out),
            Format::Jsonl => g.write_json(i + 1, &row, &mut out),
            Format::Chat => g.write_chat(i + 1, &row, &mut out),
        }
        if out.len() >= 1 << 20 {
            w.write_all(&out)?;
            bytes += out.len() as u64;
            out.clear();
        }
        i += 1;
    }
    w.write_all(&out)?;
    bytes += out.len() as u64;
    w.flush()?;
    drop(w);

    if a.format != Format::Chat {
        std::fs::write(&a.truth, truth_json(a, &tally, bytes))?;
    }
    eprintln!(
        "gen_corpus: {} bytes, {} records ({} PI in the table model) in {:.2}s -> {} (truth: {})",
        bytes,
        tally.records,
        tally.pi(),
        started.elapsed().as_secs_f64(),
        a.out,
        if a.format == Format::Chat {
            "none for chat"
        } else {
            a.truth.as_str()
        }
    );
    Ok(())
}

fn main() -> io::Result<()> {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("gen_corpus: {msg}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    run(&args)
}
