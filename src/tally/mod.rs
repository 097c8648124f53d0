//! Counting (SPEC §1.3, Interp-2017 Art. 11): seized / invalid / duplicate /
//! counted per kind.
//!
//! Workers tally their chunk without dedup ([`ChunkTally`]), keeping the dedup
//! key of every valid PI record in input order. The driver absorbs chunks in
//! file order, then offset order, so the first occurrence of a key is the one
//! with the lowest file order and offset whatever the thread count.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use crate::classify::{Outcome, Policy};
use crate::detect::RecordFacts;
use crate::model::{Kind, KindCounts};

/// Which count the assessment uses (`--basis`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// seized − invalid − duplicate
    #[default]
    Counted,
    /// seized − invalid
    Valid,
    Seized,
}

impl Basis {
    pub fn parse(s: &str) -> Option<Basis> {
        match s {
            "counted" => Some(Basis::Counted),
            "valid" => Some(Basis::Valid),
            "seized" => Some(Basis::Seized),
            _ => None,
        }
    }
}

/// The compact dedup key of one record: kind + normalised PI values, in any
/// order (the parts are sorted), so column order and names do not matter.
pub fn dedup_key(kind: Kind, facts: &mut RecordFacts) -> u128 {
    facts.key_parts.sort_unstable();
    let mut h = Xxh3::new();
    h.update(&[kind.index() as u8]);
    for p in &facts.key_parts {
        h.update(&p.to_le_bytes());
    }
    h.digest128()
}

/// One valid PI record's dedup entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyEntry {
    pub key: u128,
    pub kind: Kind,
    /// Who a tracking record is about (`track_unit=person`); 0 if unknown.
    pub person: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindPartial {
    pub seized: u64,
    pub invalid: u64,
    /// Records of this kind that also carried evidence of another kind.
    pub also: [u64; Kind::COUNT],
}

/// What one chunk of input contributed, before dedup.
#[derive(Clone, Debug, Default)]
pub struct ChunkTally {
    pub records: u64,
    pub masked: u64,
    pub bare: u64,
    pub kinds: [KindPartial; Kind::COUNT],
    /// Records moved by each policy: travel, idcard, bare_phone.
    pub moved: [u64; 3],
    pub keys: Vec<KeyEntry>,
    /// Invalid records by kind and the reason of their first failing identifier.
    pub invalid_reasons: Vec<(Kind, &'static str, u64)>,
}

fn policy_index(p: Policy) -> usize {
    match p {
        Policy::Travel => 0,
        Policy::IdCard => 1,
        Policy::BarePhone => 2,
    }
}

impl ChunkTally {
    /// Adds one classified record.
    pub fn add(&mut self, outcome: Outcome, facts: &mut RecordFacts) {
        self.records += 1;
        match outcome {
            Outcome::NotPi => {}
            Outcome::Masked => self.masked += 1,
            Outcome::Bare => {
                self.bare += 1;
                self.moved[policy_index(Policy::BarePhone)] += 1;
            }
            Outcome::Pi(r) => {
                let k = &mut self.kinds[r.kind.index()];
                k.seized += 1;
                for other in Kind::ALL {
                    if r.also & (1 << other.index()) != 0 {
                        k.also[other.index()] += 1;
                    }
                }
                if let Some(p) = r.moved_by {
                    self.moved[policy_index(p)] += 1;
                }
                if r.invalid {
                    k.invalid += 1;
                    let reason = facts
                        .first_invalid
                        .map_or("an identifier failed validation", |(_, why)| why);
                    match self
                        .invalid_reasons
                        .iter_mut()
                        .find(|(kind, why, _)| *kind == r.kind && *why == reason)
                    {
                        Some((_, _, n)) => *n += 1,
                        None => self.invalid_reasons.push((r.kind, reason, 1)),
                    }
                } else {
                    let person = match (r.kind, facts.person) {
                        (Kind::Tracking, Some((_, h))) => h,
                        _ => 0,
                    };
                    self.keys.push(KeyEntry {
                        key: dedup_key(r.kind, facts),
                        kind: r.kind,
                        person,
                    });
                }
            }
        }
    }
}

/// Hashes a key that is already a uniformly distributed hash.
#[derive(Default)]
pub struct FoldHasher(u64);

impl Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = (n as u64) ^ ((n >> 64) as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type KeySet = HashSet<u128, BuildHasherDefault<FoldHasher>>;

/// Counts of one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KindTally {
    pub seized: u64,
    pub invalid: u64,
    pub duplicate: u64,
    pub counted: u64,
}

impl KindTally {
    pub fn basis(&self, basis: Basis) -> u64 {
        match basis {
            Basis::Counted => self.counted,
            Basis::Valid => self.seized - self.invalid,
            Basis::Seized => self.seized,
        }
    }
}

/// One dedup scope: the whole scan, or one recipient of the case file.
#[derive(Debug, Default)]
struct Group {
    seen: KeySet,
    persons: HashSet<u64, BuildHasherDefault<FoldHasher>>,
    /// The unassigned group (files given to no recipient) remembers the kind
    /// of each first occurrence: what was obtained and then sold is counted
    /// with the recipient, not twice (SPEC §1.3).
    kinds: Option<HashMap<u128, Kind, BuildHasherDefault<FoldHasher>>>,
}

/// The whole scan's counts, absorbed chunk by chunk in input order.
#[derive(Debug)]
pub struct Tally {
    pub records: u64,
    pub masked: u64,
    pub bare: u64,
    pub kinds: [KindTally; Kind::COUNT],
    pub also: [[u64; Kind::COUNT]; Kind::COUNT],
    pub moved: [u64; 3],
    /// Distinct tracked persons among counted tracking records, summed over groups.
    pub tracking_persons: u64,
    /// Invalid records per kind by reason (summed over groups, like `invalid`).
    pub invalid_reasons: [BTreeMap<&'static str, u64>; Kind::COUNT],
    groups: Vec<Group>,
}

impl Tally {
    /// `groups` dedup scopes; with recipients, the last one is the
    /// unassigned group (`unassigned`).
    pub fn new(groups: usize, unassigned: bool) -> Tally {
        Tally {
            records: 0,
            masked: 0,
            bare: 0,
            kinds: [KindTally::default(); Kind::COUNT],
            also: [[0; Kind::COUNT]; Kind::COUNT],
            moved: [0; 3],
            tracking_persons: 0,
            invalid_reasons: Default::default(),
            groups: (0..groups.max(1))
                .map(|g| Group {
                    kinds: (unassigned && g + 1 == groups.max(1)).then(HashMap::default),
                    ..Group::default()
                })
                .collect(),
        }
    }

    /// Absorbs a chunk into each dedup group its file belongs to: dedup runs
    /// inside a group and the groups are summed (SPEC §1.3, recipients).
    pub fn absorb(&mut self, chunk: &ChunkTally, groups: &[usize]) {
        self.records += chunk.records;
        self.masked += chunk.masked;
        self.bare += chunk.bare;
        // Records moved by a policy are records, counted once whatever the groups.
        for (m, n) in chunk.moved.iter().enumerate() {
            self.moved[m] += n;
        }
        for &g in groups {
            for (k, part) in chunk.kinds.iter().enumerate() {
                self.kinds[k].seized += part.seized;
                self.kinds[k].invalid += part.invalid;
                for (o, n) in part.also.iter().enumerate() {
                    self.also[k][o] += n;
                }
            }
            for &(kind, why, n) in &chunk.invalid_reasons {
                *self.invalid_reasons[kind.index()].entry(why).or_default() += n;
            }
            let group = &mut self.groups[g];
            for e in &chunk.keys {
                if group.seen.insert(e.key) {
                    if let Some(kinds) = &mut group.kinds {
                        kinds.insert(e.key, e.kind);
                    }
                    if e.kind == Kind::Tracking && e.person != 0 && group.persons.insert(e.person) {
                        self.tracking_persons += 1;
                    }
                } else {
                    self.kinds[e.kind.index()].duplicate += 1;
                }
            }
        }
    }

    /// Finishes `counted` for every kind.
    pub fn finish(&mut self) {
        if let Some((unassigned, recipients)) = self.groups.split_last_mut() {
            if let Some(kinds) = unassigned.kinds.take() {
                for (key, kind) in kinds {
                    if recipients.iter().any(|g| g.seen.contains(&key)) {
                        self.kinds[kind.index()].duplicate += 1;
                    }
                }
            }
        }
        for k in &mut self.kinds {
            k.counted = k.seized - k.invalid - k.duplicate;
        }
    }

    pub fn pi_records(&self) -> u64 {
        self.kinds.iter().map(|k| k.seized).sum()
    }

    pub fn counts(&self, basis: Basis) -> KindCounts {
        let mut c = KindCounts::default();
        for kind in Kind::ALL {
            c.set(kind, self.kinds[kind.index()].basis(basis));
        }
        c
    }

    pub fn moved(&self, p: Policy) -> u64 {
        self.moved[policy_index(p)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::PiRecord;

    fn record(kind: Kind, invalid: bool, parts: &[u64]) -> (Outcome, RecordFacts) {
        let facts = RecordFacts {
            key_parts: parts.to_vec(),
            person: Some((1, parts.first().copied().unwrap_or(9))),
            ..RecordFacts::default()
        };
        let r = PiRecord {
            kind,
            invalid,
            also: 0,
            moved_by: None,
        };
        (Outcome::Pi(r), facts)
    }

    fn chunk(records: &[(Kind, bool, &[u64])]) -> ChunkTally {
        let mut c = ChunkTally::default();
        for &(kind, invalid, parts) in records {
            let (o, mut f) = record(kind, invalid, parts);
            c.add(o, &mut f);
        }
        c
    }

    #[test]
    fn key_ignores_field_order() {
        let mut a = RecordFacts {
            key_parts: vec![3, 1, 2],
            ..RecordFacts::default()
        };
        let mut b = RecordFacts {
            key_parts: vec![1, 2, 3],
            ..RecordFacts::default()
        };
        assert_eq!(
            dedup_key(Kind::General, &mut a),
            dedup_key(Kind::General, &mut b)
        );
        assert_ne!(
            dedup_key(Kind::General, &mut a),
            dedup_key(Kind::Health, &mut b)
        );
    }

    #[test]
    fn counted_is_seized_minus_invalid_minus_duplicate() {
        let c1 = chunk(&[
            (Kind::General, false, &[1, 2]),
            (Kind::General, true, &[1, 2]), // invalid records never enter dedup
            (Kind::General, false, &[2, 1]), // duplicate of the first
        ]);
        let c2 = chunk(&[
            (Kind::General, false, &[1, 2]),
            (Kind::Health, false, &[1, 2]),
        ]);
        let mut t = Tally::new(1, false);
        t.absorb(&c1, &[0]);
        t.absorb(&c2, &[0]);
        t.finish();
        let g = t.kinds[Kind::General.index()];
        assert_eq!((g.seized, g.invalid, g.duplicate, g.counted), (4, 1, 2, 1));
        assert_eq!(t.kinds[Kind::Health.index()].counted, 1);
        assert_eq!(t.counts(Basis::Valid).get(Kind::General), 3);
        assert_eq!(t.counts(Basis::Seized).get(Kind::General), 4);
    }

    #[test]
    fn recipients_dedup_inside_groups_and_sum_across() {
        let c = chunk(&[(Kind::General, false, &[1]), (Kind::General, false, &[2])]);
        let mut t = Tally::new(2, false);
        t.absorb(&c, &[0]);
        t.absorb(&c, &[1]);
        t.absorb(&c, &[1]);
        t.finish();
        let g = t.kinds[Kind::General.index()];
        assert_eq!((g.seized, g.duplicate, g.counted), (6, 2, 4));
    }

    #[test]
    fn obtained_then_sold_is_counted_once() {
        // group 0: recipient A; group 1: files given to nobody (obtained)
        let obtained = chunk(&[(Kind::General, false, &[1]), (Kind::General, false, &[3])]);
        let sold = chunk(&[(Kind::General, false, &[1]), (Kind::General, false, &[2])]);
        let mut t = Tally::new(2, true);
        t.absorb(&obtained, &[1]); // read first: an earlier file
        t.absorb(&sold, &[0]);
        t.finish();
        let g = t.kinds[Kind::General.index()];
        assert_eq!((g.seized, g.duplicate, g.counted), (4, 1, 3));
    }

    #[test]
    fn tracking_persons_are_distinct_counted_people() {
        let c = chunk(&[
            (Kind::Tracking, false, &[10, 1]),
            (Kind::Tracking, false, &[10, 2]),
            (Kind::Tracking, false, &[11, 3]),
            (Kind::Tracking, false, &[10, 1]), // duplicate point
        ]);
        let mut t = Tally::new(1, false);
        t.absorb(&c, &[0]);
        t.finish();
        assert_eq!(t.kinds[Kind::Tracking.index()].counted, 3);
        assert_eq!(t.tracking_persons, 2);
    }
}
