//! Counting (SPEC §1.3, Interp-2017 Art. 11): seized / invalid / duplicate /
//! counted per kind.
//!
//! Workers tally their chunk ([`ChunkTally`]) and put the dedup key of every
//! valid PI record into the scan's [`Dedup`]; the driver adds the chunks'
//! counts ([`Tally::absorb`]) and, at the end, the duplicates the dedup found
//! ([`Tally::finish`]). Neither depends on the order chunks arrive in.

pub mod dedup;
pub mod found;

use std::collections::BTreeMap;

use serde::Serialize;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use crate::classify::{Outcome, Policy, TrackUnit};
use crate::detect::validate::Reason;
use crate::detect::RecordFacts;
use crate::model::{Kind, KindCounts};
pub use dedup::{Dedup, DedupCounts};

/// Which count the assessment uses (`--basis`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    // (Plain comments: a doc comment here would be `--basis`'s help.)
    // seized − invalid − duplicate
    #[default]
    Counted,
    // seized − invalid
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
    // The usual record has a handful of parts: hash them in one call from
    // the stack (the same bytes, so the same hash, as the streaming hasher).
    const MAX: usize = 32;
    let parts = &facts.key_parts;
    if parts.len() <= MAX {
        let mut buf = [0u8; 1 + 8 * MAX];
        buf[0] = kind.index() as u8;
        for (slot, p) in buf[1..].chunks_exact_mut(8).zip(parts) {
            slot.copy_from_slice(&p.to_le_bytes());
        }
        return xxh3_128(&buf[..1 + 8 * parts.len()]);
    }
    let mut h = Xxh3::new();
    h.update(&[kind.index() as u8]);
    for p in &facts.key_parts {
        h.update(&p.to_le_bytes());
    }
    h.digest128()
}

/// Why an invalid record is invalid: the reason of its first failing identifier.
pub fn invalid_reason(facts: &RecordFacts) -> Reason {
    facts
        .first_invalid
        .map_or(Reason::IdentifierFailed, |(_, why)| why)
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
    pub invalid_reasons: Vec<(Kind, Reason, u64)>,
}

fn policy_index(p: Policy) -> usize {
    match p {
        Policy::Travel => 0,
        Policy::IdCard => 1,
        Policy::BarePhone => 2,
    }
}

impl ChunkTally {
    /// The dedup entries of this chunk's records in each of `groups`.
    pub fn entries(&self, groups: &[usize], out: &mut Vec<dedup::Entry>) {
        for &g in groups {
            for e in &self.keys {
                out.push(dedup::record_entry(e.key, e.kind, g));
                if e.kind == Kind::Tracking && e.person != 0 {
                    out.push(dedup::person_entry(e.person, g));
                }
            }
        }
    }

    /// Adds one classified record; returns the dedup key of a valid PI record.
    pub fn add(&mut self, outcome: Outcome, facts: &mut RecordFacts) -> Option<u128> {
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
                    let reason = invalid_reason(facts);
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
                    let key = dedup_key(r.kind, facts);
                    self.keys.push(KeyEntry {
                        key,
                        kind: r.kind,
                        person,
                    });
                    return Some(key);
                }
            }
        }
        None
    }
}

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

/// The whole scan's counts, absorbed chunk by chunk.
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
    pub invalid_reasons: [BTreeMap<Reason, u64>; Kind::COUNT],
}

impl Default for Tally {
    fn default() -> Self {
        Tally::new()
    }
}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            records: 0,
            masked: 0,
            bare: 0,
            kinds: [KindTally::default(); Kind::COUNT],
            also: [[0; Kind::COUNT]; Kind::COUNT],
            moved: [0; 3],
            tracking_persons: 0,
            invalid_reasons: Default::default(),
        }
    }

    /// Adds a chunk's counts once for each dedup group its file belongs to:
    /// dedup runs inside a group and the groups are summed (SPEC §1.3,
    /// recipients).
    pub fn absorb(&mut self, chunk: &ChunkTally, groups: usize) {
        self.records += chunk.records;
        self.masked += chunk.masked;
        self.bare += chunk.bare;
        // Records moved by a policy are records, counted once whatever the groups.
        for (m, n) in chunk.moved.iter().enumerate() {
            self.moved[m] += n;
        }
        let times = groups as u64;
        for (k, part) in chunk.kinds.iter().enumerate() {
            self.kinds[k].seized += part.seized * times;
            self.kinds[k].invalid += part.invalid * times;
            for (o, n) in part.also.iter().enumerate() {
                self.also[k][o] += n * times;
            }
        }
        for &(kind, why, n) in &chunk.invalid_reasons {
            *self.invalid_reasons[kind.index()].entry(why).or_default() += n * times;
        }
    }

    /// Takes the duplicates from the dedup and finishes `counted`.
    pub fn finish(&mut self, dedup: &DedupCounts) {
        for (k, d) in self.kinds.iter_mut().zip(dedup.duplicate) {
            k.duplicate = d;
            k.counted = k.seized - k.invalid - k.duplicate;
        }
        self.tracking_persons = dedup.persons;
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

    /// The counts the assessment is given: on `basis`, and with
    /// `track_unit=person` tracking counted as the distinct tracked persons
    /// instead of the points.
    pub fn assessed(&self, basis: Basis, unit: TrackUnit) -> KindCounts {
        let mut c = self.counts(basis);
        if unit == TrackUnit::Person {
            c.set(Kind::Tracking, self.tracking_persons);
        }
        c
    }

    pub fn moved(&self, p: Policy) -> u64 {
        self.moved[policy_index(p)]
    }

    /// What `track_unit` did: the counted tracking points, the distinct
    /// tracked persons among them, and how many fewer items the assessment
    /// counts with `person` than with `point`.
    pub fn track_unit(&self) -> TrackUnitEffect {
        let points = self.kinds[Kind::Tracking.index()].counted;
        TrackUnitEffect {
            points,
            persons: self.tracking_persons,
            fewer_as_persons: points.saturating_sub(self.tracking_persons),
        }
    }
}

/// What the `track_unit` policy changes (SPEC §1.3): the assessment counts
/// tracking points, or the persons tracked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrackUnitEffect {
    pub points: u64,
    pub persons: u64,
    pub fewer_as_persons: u64,
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

    /// Absorbs chunks, each into its groups, and dedups them.
    fn tally(chunks: &[(&ChunkTally, &[usize])], unassigned: Option<usize>) -> Tally {
        let mut t = Tally::new();
        let d = Dedup::new(1 << 20, unassigned, None);
        for &(c, groups) in chunks {
            t.absorb(c, groups.len());
            let mut entries = Vec::new();
            c.entries(groups, &mut entries);
            d.insert(&entries);
        }
        t.finish(&d.finish().expect("in memory"));
        t
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
    fn short_and_long_keys_hash_the_same_bytes() {
        let parts: Vec<u64> = (0..40).collect();
        let streamed = |n: usize| {
            let mut h = Xxh3::new();
            h.update(&[Kind::Health.index() as u8]);
            for p in &parts[..n] {
                h.update(&p.to_le_bytes());
            }
            h.digest128()
        };
        for n in [0, 1, 5, 32, 33, 40] {
            let mut f = RecordFacts {
                key_parts: parts[..n].to_vec(),
                ..RecordFacts::default()
            };
            assert_eq!(dedup_key(Kind::Health, &mut f), streamed(n), "{n} parts");
        }
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
        let t = tally(&[(&c1, &[0]), (&c2, &[0])], None);
        let g = t.kinds[Kind::General.index()];
        assert_eq!((g.seized, g.invalid, g.duplicate, g.counted), (4, 1, 2, 1));
        assert_eq!(t.kinds[Kind::Health.index()].counted, 1);
        assert_eq!(t.counts(Basis::Valid).get(Kind::General), 3);
        assert_eq!(t.counts(Basis::Seized).get(Kind::General), 4);
    }

    #[test]
    fn recipients_dedup_inside_groups_and_sum_across() {
        let c = chunk(&[(Kind::General, false, &[1]), (Kind::General, false, &[2])]);
        let t = tally(&[(&c, &[0]), (&c, &[1]), (&c, &[1])], None);
        let g = t.kinds[Kind::General.index()];
        assert_eq!((g.seized, g.duplicate, g.counted), (6, 2, 4));
    }

    #[test]
    fn obtained_then_sold_is_counted_once() {
        // group 0: recipient A; group 1: files given to nobody (obtained)
        let obtained = chunk(&[(Kind::General, false, &[1]), (Kind::General, false, &[3])]);
        let sold = chunk(&[(Kind::General, false, &[1]), (Kind::General, false, &[2])]);
        // read first: an earlier file; group 1 is the unassigned one
        let t = tally(&[(&obtained, &[1]), (&sold, &[0])], Some(1));
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
        let t = tally(&[(&c, &[0])], None);
        assert_eq!(t.kinds[Kind::Tracking.index()].counted, 3);
        assert_eq!(t.tracking_persons, 2);
    }
}
