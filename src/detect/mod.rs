//! Detection (SPEC §2): which fields of a record are identifiers, attributes
//! or kind evidence, and whether each identifier validates.
//!
//! Structured inputs resolve every column to a [`Role`] once, from its header;
//! header-less and untyped fields go through value detection. Per record the
//! result is a [`RecordFacts`]: tallies and a handful of hashes, no strings, so
//! the classify and tally stages never see personal data.

pub mod examples;
pub mod free_text;
pub mod mask;
pub mod normalize;
pub mod patterns;
pub mod schema;
pub mod validate;

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use mask::Mask;
use regex::Regex;
use xxhash_rust::xxh3::xxh3_64;

pub use normalize::KeyForm;
pub use patterns::{Class, Evidence, PatternError, PatternSet};
use validate::{Check, Facet, Reason, Validator};

/// What a column (or a JSON key) holds, decided once from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// No header, or one we do not know: detect per value.
    Unknown,
    /// Never personal information (row numbers, notes).
    Ignore,
    /// A detector of `Engine::detectors`.
    Detector(u16),
    /// A kind rule of `Engine::rules`.
    Evidence(u16),
}

/// How a detector or rule checks a value: a built-in validator, or a regex.
pub enum Checker {
    Builtin(&'static dyn Validator),
    Regex(Regex),
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Checker::Builtin(v) => write!(f, "Builtin({})", v.name()),
            Checker::Regex(re) => write!(f, "Regex({})", re.as_str()),
        }
    }
}

impl Checker {
    /// See [`Validator::attempted`]; every value is one for a regex.
    pub fn attempted(&self, v: &str) -> bool {
        match self {
            Checker::Builtin(b) => b.attempted(v),
            Checker::Regex(_) => true,
        }
    }

    pub fn validate(&self, v: &str) -> Check {
        match self {
            Checker::Builtin(b) => b.validate(v),
            Checker::Regex(re) => Check::when(re.is_match(v), Reason::Pattern),
        }
    }

    pub fn detect(&self, v: &str) -> Option<Check> {
        match self {
            Checker::Builtin(b) => b.detect(v),
            Checker::Regex(re) => re.is_match(v).then_some(Check::Valid),
        }
    }

    fn facet(&self) -> Facet {
        match self {
            Checker::Builtin(b) => b.facet(),
            Checker::Regex(_) => Facet::Other,
        }
    }

    /// See [`Validator::claims`]; a regex claims nothing.
    fn claims(&self, v: &str) -> bool {
        match self {
            Checker::Builtin(b) => b.claims(v),
            Checker::Regex(_) => false,
        }
    }
}

/// A compiled detector.
#[derive(Debug)]
pub struct Detector {
    pub id: String,
    pub label: String,
    pub class: Class,
    pub checker: Checker,
    pub value_detect: bool,
    pub person_rank: u8,
    pub key_form: KeyForm,
    /// What the classification rules need to know of it.
    pub facet: Facet,
    /// How its values are shown (evidence, samples).
    pub mask: Mask,
}

/// A compiled kind rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub evidence: Evidence,
    pub checker: Option<Checker>,
    /// Its columns are free text (see `RuleSpec::free_text`).
    pub free_text: bool,
}

/// Everything detection needs, compiled once and shared by all threads.
#[derive(Debug)]
pub struct Engine {
    pub detectors: Vec<Detector>,
    pub rules: Vec<Rule>,
    /// Detectors tried on untyped values, by priority.
    value_order: Vec<u16>,
    /// The name detector (an attribute with the name validator): names
    /// found by context words in free text are its values.
    name_detector: Option<u16>,
    /// Detectors tried on untyped values before those, whose values count
    /// only next to a name ([`Facet::NeedsName`]).
    value_needs_name: Vec<u16>,
    /// Rules with a value validator or regex, tried on untyped values.
    value_rules: Vec<u16>,
    headers_exact: HashMap<String, Role>,
    /// The most `snake_case` tokens an ASCII header synonym has: longer runs
    /// of a header's tokens cannot match one.
    max_header_tokens: usize,
    /// Non-ASCII synonyms for suffix / substring matching, longest first.
    headers_cjk: Vec<(String, Role)>,
    /// The same synonyms in one automaton (pattern `i` is `headers_cjk[i]`):
    /// a header is searched once, not once per synonym.
    headers_cjk_ac: Option<AhoCorasick>,
    keywords: Option<AhoCorasick>,
    keyword_rule: Vec<u16>,
}

impl Engine {
    pub fn builtin() -> Result<Engine, PatternError> {
        Engine::new(&PatternSet::builtin()?)
    }

    pub fn new(set: &PatternSet) -> Result<Engine, PatternError> {
        let invalid = |id: &str, message: String| PatternError::Invalid {
            file: "patterns".into(),
            id: id.to_string(),
            message,
        };
        let checker = |id: &str, validator: &str, regex: &Option<String>| {
            if validator == "regex" {
                let src = regex
                    .as_deref()
                    .ok_or_else(|| invalid(id, "validator \"regex\" needs a `regex`".into()))?;
                Regex::new(src)
                    .map(Checker::Regex)
                    .map_err(|e| invalid(id, e.to_string()))
            } else {
                validate::by_name(validator)
                    .map(Checker::Builtin)
                    .ok_or_else(|| invalid(id, format!("unknown validator {validator:?}")))
            }
        };

        let mut detectors = Vec::new();
        for d in &set.detectors {
            let checker = checker(&d.id, &d.validator, &d.regex)?;
            let builtin = match &checker {
                Checker::Builtin(b) => Some(*b),
                Checker::Regex(_) => None,
            };
            let mask = d
                .mask
                .or_else(|| builtin.and_then(|b| b.mask()))
                .unwrap_or(match d.class {
                    Class::Identifier => Mask::Account,
                    _ => Mask::Other,
                });
            detectors.push(Detector {
                key_form: d
                    .key_form
                    .or_else(|| builtin.map(|b| b.key_form()))
                    .unwrap_or(KeyForm::Plain),
                facet: checker.facet(),
                mask,
                id: d.id.clone(),
                label: d.label.clone(),
                class: d.class,
                checker,
                value_detect: d.value_detect,
                person_rank: d.person_rank,
            });
        }
        let by_priority = |keep: &dyn Fn(&Detector) -> bool| {
            let mut order: Vec<u16> = (0..detectors.len() as u16)
                .filter(|&i| {
                    let d = &detectors[i as usize];
                    d.value_detect && !matches!(d.class, Class::Ignore | Class::Text) && keep(d)
                })
                .collect();
            order.sort_by_key(|&i| {
                let spec = &set.detectors[i as usize];
                (spec.priority, spec.id.clone())
            });
            order
        };
        let value_order = by_priority(&|d| d.facet != Facet::NeedsName);
        let name_detector = (0..detectors.len() as u16).find(|&i| {
            let d = &detectors[i as usize];
            d.class == Class::Attribute && d.facet == Facet::Name
        });
        let value_needs_name = by_priority(&|d| d.facet == Facet::NeedsName);

        let mut rules = Vec::new();
        let mut keywords = Vec::new();
        let mut keyword_rule = Vec::new();
        let mut value_rules = Vec::new();
        for (i, r) in set.rules.iter().enumerate() {
            let evidence = Evidence::parse(&r.evidence)
                .ok_or_else(|| invalid(&r.id, format!("unknown evidence {:?}", r.evidence)))?;
            let checker = match (&r.validator, &r.regex) {
                (Some(v), _) => Some(checker(&r.id, v, &r.regex)?),
                (None, Some(_)) => Some(checker(&r.id, "regex", &r.regex)?),
                (None, None) => None,
            };
            if checker.is_some() {
                value_rules.push(i as u16);
            }
            for k in &r.keywords {
                if !k.is_empty() {
                    keywords.push(k.clone());
                    keyword_rule.push(i as u16);
                }
            }
            rules.push(Rule {
                id: r.id.clone(),
                evidence,
                checker,
                free_text: r.free_text,
            });
        }
        let keywords = if keywords.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&keywords).map_err(|e| invalid("keywords", e.to_string()))?)
        };

        // Later pattern files override earlier ones, so insert in order.
        let mut headers_exact = HashMap::new();
        let mut headers_cjk = Vec::new();
        let mut add = |h: &str, role: Role| {
            let key = header_key(h);
            if key.is_empty() {
                return;
            }
            if !key.is_ascii() {
                headers_cjk.retain(|(k, _): &(String, Role)| *k != key);
                headers_cjk.push((key.clone(), role));
            }
            headers_exact.insert(key, role);
        };
        for (i, d) in set.detectors.iter().enumerate() {
            let role = if d.class == Class::Ignore {
                Role::Ignore
            } else {
                Role::Detector(i as u16)
            };
            for h in &d.headers {
                add(h, role);
            }
        }
        for (i, r) in set.rules.iter().enumerate() {
            for h in &r.headers {
                add(h, Role::Evidence(i as u16));
            }
        }
        headers_cjk.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });

        let headers_cjk_ac = if headers_cjk.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::new(headers_cjk.iter().map(|(k, _)| k.as_str()))
                    .map_err(|e| invalid("headers", e.to_string()))?,
            )
        };
        let max_header_tokens = headers_exact
            .keys()
            .filter(|k| k.is_ascii())
            .map(|k| ascii_tokens(k).len())
            .max()
            .unwrap_or(1);
        Ok(Engine {
            detectors,
            rules,
            value_order,
            name_detector,
            value_needs_name,
            value_rules,
            headers_exact,
            max_header_tokens,
            headers_cjk,
            headers_cjk_ac,
            keywords,
            keyword_rule,
        })
    }

    /// The role of a column from its header (or a JSON key path).
    ///
    /// Exact synonym first; for dotted JSON paths the last non-numeric segment;
    /// for ASCII names the tokens of `snake_case` / `camelCase` from the last;
    /// for Chinese names the longest synonym the header ends with, then the
    /// longest it contains (the head noun of a Chinese compound comes last:
    /// 收货人手机 is a phone, not a name).
    pub fn role_for_header(&self, header: &str) -> Role {
        // A header is a few words. A longer "header" is data (a file whose
        // first line is one long value): it is not looked at word by word,
        // so this costs time in proportion to its length, and little.
        // (A long JSON key path is named by its last segment.)
        if header.len() > MAX_HEADER_BYTES {
            return match header
                .rsplit('.')
                .find(|s| !s.bytes().all(|b| b.is_ascii_digit()))
            {
                Some(last) if last.len() <= MAX_HEADER_BYTES => self.role_for_header(last),
                _ => Role::Unknown,
            };
        }
        let key = header_key(header);
        if key.is_empty() {
            return Role::Unknown;
        }
        if let Some(&role) = self.headers_exact.get(&key) {
            return role;
        }
        if key.contains('.') {
            if let Some(last) = key
                .rsplit('.')
                .find(|s| !s.chars().all(|c| c.is_ascii_digit()))
            {
                let role = self.role_for_header(last);
                if role != Role::Unknown {
                    return role;
                }
            }
        }
        if key.is_ascii() {
            // The head noun comes last (`home_address`), except after a
            // generic suffix: `employer_name` is the employer, not a person's
            // name, and `bank_card_no` a card. `user_name` has no known
            // qualifier, so it stays a name.
            // Candidates are runs of tokens, the longest first, ending as
            // late as possible (`bankCardNo` → `bank_card`).
            let tokens = ascii_tokens(header);
            let n = tokens.len();
            let generic = |t: &str| matches!(t, "name" | "no" | "id" | "number" | "num" | "code");
            let mut ends: Vec<usize> = (1..=n).rev().collect();
            if n > 1 && generic(&tokens[n - 1]) {
                ends.rotate_left(1);
            }
            for end in ends {
                for start in end.saturating_sub(self.max_header_tokens)..end {
                    if let Some(&role) = self.headers_exact.get(&tokens[start..end].join("_")) {
                        return role;
                    }
                }
            }
            return Role::Unknown;
        }
        // Headers are short; a long value (an address) is never matched by
        // the synonyms it happens to contain.
        if key.chars().count() > MAX_FUZZY_HEADER_CHARS {
            return Role::Unknown;
        }
        // The first synonym (longest first) the key ends with, else the
        // first it contains: every occurrence of every synonym in one pass.
        let Some(ac) = &self.headers_cjk_ac else {
            return Role::Unknown;
        };
        let (mut suffix, mut inside) = (usize::MAX, usize::MAX);
        for m in ac.find_overlapping_iter(key.as_str()) {
            let i = m.pattern().as_usize();
            inside = inside.min(i);
            if m.end() == key.len() {
                suffix = suffix.min(i);
            }
        }
        let best = if suffix != usize::MAX { suffix } else { inside };
        self.headers_cjk
            .get(best)
            .map_or(Role::Unknown, |(_, role)| *role)
    }

    /// Is this header row made of headers (rather than data)?
    pub fn looks_like_header(&self, fields: &[&str]) -> bool {
        let (mut known, mut weak) = (0, 0);
        for f in fields {
            let mut buf = String::new();
            let v = normalize::clean(f, &mut buf);
            let hit = self.value_hit(v);
            let identifier =
                |(i, _): (u16, Check)| self.detectors[i as usize].class == Class::Identifier;
            // A valid identifier is data even where a header word is in it
            // (`m1@qq.com` names QQ).
            if hit.is_some_and(|(i, c)| c == Check::Valid && identifier((i, c))) {
                return false;
            }
            if self.role_for_header(v) != Role::Unknown {
                known += 1;
            } else if let Some(hit) = hit {
                // Only an identifier says "data": 时间 or 来源 may look like
                // a name, a header never holds a phone number.
                if identifier(hit) {
                    return false;
                }
                weak += 1;
            }
        }
        known > 0 && (weak == 0 || known * 2 >= fields.len())
    }

    /// First value detector that takes the value: a valid hit wins; otherwise
    /// the first invalid attempt (a value shaped like an ID that fails its
    /// check digit is an untrue ID, not nothing).
    fn value_hit(&self, v: &str) -> Option<(u16, Check)> {
        let mut invalid = None;
        for &i in &self.value_order {
            let d = &self.detectors[i as usize];
            match d.checker.detect(v) {
                Some(Check::Valid) => return Some((i, Check::Valid)),
                Some(c) if d.class == Class::Identifier && d.checker.claims(v) => {
                    return Some((i, c))
                }
                Some(c) if invalid.is_none() && d.class == Class::Identifier => {
                    invalid = Some((i, c))
                }
                _ => {}
            }
        }
        invalid
    }

    /// Adds one field of a record to `facts`.
    pub fn detect_field(&self, role: Role, raw: &str, facts: &mut RecordFacts, s: &mut Scratch) {
        let v = normalize::clean(raw, &mut s.clean);
        if normalize::is_null_like(v) {
            return;
        }
        match role {
            Role::Ignore => {}
            Role::Detector(i) => {
                let d = &self.detectors[i as usize];
                match d.class {
                    Class::Ignore => {}
                    Class::Text => {
                        self.free_text(v, facts, &mut s.key, &mut s.spans);
                    }
                    Class::Identifier => {
                        if validate::masked_identifier(v) {
                            facts.masked += 1;
                            facts.key_part(v);
                        } else if !d.checker.attempted(v) {
                            // 未填写 / 已停机 in a phone column is not an
                            // untrue phone number: there is no number at all.
                        } else {
                            let check = d.checker.validate(v);
                            facts.identifier(i, d, check, v, &mut s.key);
                        }
                    }
                    // Under a name header anything name-like is a name;
                    // `中国银行` or `A3` in a `bank_name` column is not.
                    Class::Attribute if d.facet == Facet::Name && !validate::name_like(v) => {}
                    Class::Attribute => facts.attribute(i, d, v, &mut s.key),
                }
            }
            Role::Evidence(r) => {
                let rule = &self.rules[r as usize];
                facts.evidence |= rule.evidence.bit();
                facts.key_part(v);
                // A message is free text: the identifiers in it count.
                if rule.free_text {
                    self.free_text(v, facts, &mut s.key, &mut s.spans);
                }
            }
            Role::Unknown => self.detect_untyped(v, facts, &mut s.key, &mut s.spans),
        }
    }

    fn detect_untyped(
        &self,
        v: &str,
        facts: &mut RecordFacts,
        key: &mut Vec<u8>,
        spans: &mut FreeText,
    ) {
        if validate::masked_identifier(v) {
            facts.masked += 1;
            facts.key_part(v);
            return;
        }
        // A plate identifies a person only next to a name (SPEC §2.1);
        // whether the record has one is known at its end (`finish`).
        for &i in &self.value_needs_name {
            if self.detectors[i as usize].checker.detect(v) == Some(Check::Valid) {
                facts.needs_name += 1;
                facts.key_part(v);
                return;
            }
        }
        // The value as a whole first; a valid hit is what it is. Otherwise
        // the identifiers it holds (free text: 手机号是13812345678，请核实)
        // decide, and only without any the untrue attempt the whole value is.
        let whole = self.value_hit(v);
        let record = |facts: &mut RecordFacts, key: &mut Vec<u8>, (i, check): (u16, Check)| {
            let d = &self.detectors[i as usize];
            match d.class {
                Class::Identifier => facts.identifier(i, d, check, v, key),
                Class::Attribute => facts.attribute(i, d, v, key),
                Class::Ignore | Class::Text => {}
            }
        };
        if let Some(hit @ (i, Check::Valid)) = whole {
            record(facts, key, hit);
            // An address may hold a phone number (…建国路88号，13812345678).
            if self.detectors[i as usize].class == Class::Attribute {
                self.free_text(v, facts, key, spans);
            }
            return;
        }
        // A date or a time is no sentence (and tells two tracking points
        // apart, below).
        let is_date = whole.is_none() && validate::date(v).is_some();
        let inside = !is_date && self.free_text(v, facts, key, spans);
        if !inside {
            if let Some(hit) = whole {
                record(facts, key, hit);
                return;
            }
        }
        let mut fired = false;
        for &r in &self.value_rules {
            let rule = &self.rules[r as usize];
            if rule.checker.as_ref().and_then(|c| c.detect(v)) == Some(Check::Valid) {
                facts.evidence |= rule.evidence.bit();
                fired = true;
            }
        }
        if let Some(ac) = &self.keywords {
            for m in ac.find_overlapping_iter(v) {
                let rule = self.keyword_rule[m.pattern().as_usize()];
                facts.evidence |= self.rules[rule as usize].evidence.bit();
                fired = true;
            }
        }
        // Every field that is evidence is part of what the record says,
        // whether or not an earlier field already gave the same kind.
        if fired {
            facts.key_part(v);
        } else if is_date || (whole.is_some() && validate::date(v).is_some()) {
            // A time tells two tracking points (or two stays) apart; it counts
            // in the key if the record turns out to carry kind evidence.
            facts.times.push(xxh3_64(v.as_bytes()));
        }
    }

    /// Adds the identifiers inside a free-text value (see [`free_text`]),
    /// and the names its context words give (客户张伟的…); whether there
    /// was any identifier. Only identifiers and named names count: a word
    /// that looks like an attribute inside a sentence says nothing.
    fn free_text(
        &self,
        v: &str,
        facts: &mut RecordFacts,
        key: &mut Vec<u8>,
        spans: &mut FreeText,
    ) -> bool {
        if let Some(n) = self.name_detector {
            free_text::context_names(v, &mut spans.names);
            let d = &self.detectors[n as usize];
            for &(start, end) in &spans.names {
                if let Some(name) = v.get(start..end).filter(|c| validate::chinese_name(c)) {
                    facts.attribute(n, d, name, key);
                }
            }
        }
        let spans = &mut spans.candidates;
        free_text::candidates(v, spans);
        let mut any = false;
        for &(start, end, shape) in spans.iter() {
            let Some(c) = v.get(start..end) else {
                continue;
            };
            if shape == free_text::Shape::Masked {
                if validate::masked_identifier(c) {
                    facts.masked += 1;
                    facts.key_part(c);
                    any = true;
                }
                continue;
            }
            if let Some((i, check)) = self.value_hit(c) {
                let d = &self.detectors[i as usize];
                if d.class == Class::Identifier {
                    facts.identifier(i, d, check, c, key);
                    any = true;
                }
            }
        }
        any
    }

    /// Types a column whose header is unknown from a sample of its values
    /// (SPEC §2.2): a detector that takes at least 90% of at least 5 non-empty
    /// sampled values as valid types the column; its other values are then
    /// validated as that detector (so `12345` in a phone column is an untrue
    /// phone, not nothing). Otherwise the column stays per-value.
    pub fn role_from_sample<'a>(&self, values: impl Iterator<Item = &'a str>) -> Role {
        let mut counts: HashMap<u16, usize> = HashMap::new();
        let mut non_empty = 0usize;
        let mut buf = String::new();
        for raw in values {
            let v = normalize::clean(raw, &mut buf);
            if normalize::is_null_like(v) {
                continue;
            }
            non_empty += 1;
            if let Some((i, Check::Valid)) = self.value_hit(v) {
                *counts.entry(i).or_default() += 1;
            }
        }
        let best = counts
            .into_iter()
            .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)));
        match best {
            Some((i, n)) if non_empty >= 5 && n * 10 >= non_empty * 9 => Role::Detector(i),
            _ => Role::Unknown,
        }
    }

    /// Index of a detector by id.
    pub fn detector(&self, id: &str) -> Option<u16> {
        self.detectors
            .iter()
            .position(|d| d.id == id)
            .map(|i| i as u16)
    }

    /// Runs value detection on one value, for `patterns check`.
    pub fn check_value(&self, raw: &str) -> RecordFacts {
        let mut facts = RecordFacts::default();
        let mut s = Scratch::default();
        self.detect_field(Role::Unknown, raw, &mut facts, &mut s);
        facts
    }
}

const MAX_FUZZY_HEADER_CHARS: usize = 10;

/// The longest header (or JSON key path) looked up: longer is not a header.
const MAX_HEADER_BYTES: usize = 256;

/// Lower-case, half-width, trimmed; spaces and dashes become underscores.
fn header_key(h: &str) -> String {
    let mut buf = String::new();
    let v = normalize::clean(h, &mut buf);
    let v = v.trim_matches(|c: char| c == '"' || c == '\'' || c == '`' || c == '[' || c == ']');
    v.chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// `userMobileNo` → [user, mobile, no]; `home_address` → [home, address].
fn ascii_tokens(h: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in h.trim().chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            cur.push(c.to_ascii_lowercase());
        } else {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
}

/// Reusable buffers, one per worker, so detection does not allocate per field.
#[derive(Debug, Default)]
pub struct Scratch {
    clean: String,
    key: Vec<u8>,
    spans: FreeText,
}

/// Reusable buffers of free-text detection.
#[derive(Debug, Default)]
struct FreeText {
    candidates: Vec<(usize, usize, free_text::Shape)>,
    names: Vec<(usize, usize)>,
}

/// What detection found in one record: counts and hashes, and the values
/// themselves only when asked to `capture` them.
#[derive(Debug, Default, Clone)]
pub struct RecordFacts {
    pub strong_valid: u32,
    pub strong_invalid: u32,
    /// Masked identifier values (138****1234): not identifiers (SPEC §1.4).
    pub masked: u32,
    /// Phone identifiers, valid or not (for the bare-phone rule).
    pub phones: u32,
    pub has_name: bool,
    /// Attributes other than the name.
    pub other_attrs: u32,
    pub has_address: bool,
    pub has_resident_id: bool,
    pub has_bank_card: bool,
    /// Evidence bits, see [`Evidence::bit`].
    pub evidence: u16,
    /// The first identifier that failed validation, with the reason.
    pub first_invalid: Option<(u16, Reason)>,
    /// Hashes of the normalised values of the PI fields (dedup key parts).
    pub key_parts: Vec<u64>,
    /// Who the record is about, for `track_unit=person`: (rank, value hash).
    pub person: Option<(u8, u64)>,
    /// Plates found by value, not by header: identifiers only with a name.
    pub needs_name: u32,
    /// Hashes of untyped date/time values, kept if the record has evidence.
    pub times: Vec<u64>,
    /// Keep the values of identifiers and attributes in `values` (evidence,
    /// samples); off on the counting path.
    pub capture: bool,
    /// With `capture`: (detector, cleaned value) of each identifier and attribute.
    pub values: Vec<(u16, String)>,
}

impl RecordFacts {
    pub fn clear(&mut self) {
        let mut parts = std::mem::take(&mut self.key_parts);
        let mut times = std::mem::take(&mut self.times);
        let mut values = std::mem::take(&mut self.values);
        parts.clear();
        times.clear();
        values.clear();
        *self = RecordFacts {
            key_parts: parts,
            times,
            capture: self.capture,
            values,
            ..RecordFacts::default()
        };
    }

    /// Completes the record once every field is in.
    pub fn finish(&mut self) {
        if self.has_name {
            self.strong_valid += std::mem::take(&mut self.needs_name);
        }
        if self.evidence != 0 {
            self.key_parts.append(&mut self.times);
        }
    }

    pub fn strong(&self) -> u32 {
        self.strong_valid + self.strong_invalid
    }

    fn key_part(&mut self, v: &str) {
        self.key_parts.push(xxh3_64(v.as_bytes()));
    }

    fn identifier(&mut self, i: u16, d: &Detector, check: Check, v: &str, key: &mut Vec<u8>) {
        if self.capture {
            self.values.push((i, v.to_string()));
        }
        normalize::key_form(d.key_form, v, key);
        let h = xxh3_64(key);
        self.key_parts.push(h);
        match d.facet {
            Facet::Phone => self.phones += 1,
            Facet::ResidentId => self.has_resident_id = true,
            Facet::BankCard => self.has_bank_card = true,
            _ => {}
        }
        match check {
            Check::Valid => {
                self.strong_valid += 1;
                self.person_candidate(d.person_rank, h);
            }
            Check::Invalid(reason) => {
                self.strong_invalid += 1;
                if self.first_invalid.is_none() {
                    self.first_invalid = Some((i, reason));
                }
            }
        }
    }

    fn attribute(&mut self, i: u16, d: &Detector, v: &str, key: &mut Vec<u8>) {
        if self.capture {
            self.values.push((i, v.to_string()));
        }
        normalize::key_form(d.key_form, v, key);
        let h = xxh3_64(key);
        self.key_parts.push(h);
        if d.facet == Facet::Name {
            self.has_name = true;
            self.person_candidate(d.person_rank, h);
        } else {
            self.other_attrs += 1;
            self.has_address |= d.facet == Facet::Address;
        }
    }

    fn person_candidate(&mut self, rank: u8, h: u64) {
        let better = match self.person {
            None => true,
            Some((r, ph)) => (rank, h) < (r, ph),
        };
        if better {
            self.person = Some((rank, h));
        }
    }
}

#[cfg(test)]
mod tests;
