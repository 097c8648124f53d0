//! Exact dedup at any size (SPEC §1.3): which valid PI records repeat an
//! earlier one, counted per kind, within each dedup group.
//!
//! Every record's dedup key is a 128-bit hash of its kind and normalised PI
//! values ([`super::dedup_key`]). An [`Entry`] packs that hash with the kind
//! (or "tracked person") and the dedup group into one `u128`, so one table
//! serves every kind and every recipient group, and entries that differ only
//! in their group sort next to each other.
//!
//! Entries go into 256 shards by their top bits, each a [`SortedTable`]: an
//! ordered linear-probing table that costs 16 bytes a slot at 70–87.5% load
//! (18–23 bytes per unique entry) and iterates in key order. Workers insert
//! their chunk's entries directly, one lock per shard per chunk.
//!
//! Past `--max-memory`, a shard writes its table to disk as a sorted run and
//! starts again empty. At the end every shard merges its runs and its table
//! in one streaming pass. Counts do not depend on insertion order, so the
//! result is the same for any thread count, file order and memory limit.

use std::collections::HashSet;
use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use crate::model::Kind;
use crate::spill::{write_run, Run, RunReader, SpillDir};

/// Shards: entries are spread by their top 8 bits.
const SHARD_BITS: u32 = 8;
const SHARDS: usize = 1 << SHARD_BITS;

/// Slots past the last home slot, so a cluster can run on without wrapping.
const TAIL: usize = 64;
const MIN_SLOTS: usize = 8;

/// The entry class of a tracked person (kinds use 0..Kind::COUNT).
const PERSON: u8 = 15;

/// Low bits of an entry: group (16 bits), class (4 bits), a set bit so no
/// entry is 0 (0 marks an empty slot). The hash fills the 107 bits above.
const GROUP_BITS: u32 = 16;
const CLASS_SHIFT: u32 = GROUP_BITS;
const ONE_SHIFT: u32 = GROUP_BITS + 4;
const LOW_BITS: u32 = ONE_SHIFT + 1;

/// The most dedup groups an entry can tell apart.
pub const MAX_GROUPS: usize = 1 << GROUP_BITS;

/// One dedup entry: hash | 1 | class | group.
pub type Entry = u128;

fn pack(hash: u128, class: u8, group: usize) -> Entry {
    debug_assert!(group < MAX_GROUPS && class < 16);
    (hash >> LOW_BITS << LOW_BITS)
        | (1 << ONE_SHIFT)
        | (u128::from(class) << CLASS_SHIFT)
        | group as u128
}

/// The entry of a valid PI record of `kind` in `group`.
pub fn record_entry(key: u128, kind: Kind, group: usize) -> Entry {
    pack(key, kind.index() as u8, group)
}

/// A record's entry in no particular group: what `DedupCounts::resold`
/// holds.
pub fn record_key(key: u128, kind: Kind) -> Entry {
    ungrouped(record_entry(key, kind, 0))
}

/// The entry of a tracked person in `group`.
pub fn person_entry(person: u64, group: usize) -> Entry {
    pack(u128::from(person) << 64, PERSON, group)
}

fn class_of(e: Entry) -> u8 {
    ((e >> CLASS_SHIFT) & 0xf) as u8
}

fn group_of(e: Entry) -> usize {
    (e & ((1 << GROUP_BITS) - 1)) as usize
}

/// The entry without its group: the same record in another group.
fn ungrouped(e: Entry) -> Entry {
    e >> GROUP_BITS
}

fn shard_of(e: Entry) -> usize {
    (e >> (128 - SHARD_BITS)) as usize
}

/// An ordered linear-probing hash table of non-zero `u128`s.
///
/// A key's home slot grows with the key (the key's bits below the shard
/// bits, scaled to the slot count), and slots hold keys in increasing order
/// with empty slots between clusters. A lookup scans from the home slot while
/// keys are smaller; an insert shifts the rest of its cluster one slot right.
/// Growing rebuilds in one ordered pass, and iteration is in key order, so a
/// spilled table is already a sorted run.
#[derive(Debug)]
pub struct SortedTable {
    slots: Vec<u128>,
    /// Home slots (the last `TAIL` slots are overflow only).
    homes: usize,
    len: usize,
}

impl SortedTable {
    fn with_homes(homes: usize) -> SortedTable {
        SortedTable {
            slots: vec![0; homes + TAIL],
            homes,
            len: 0,
        }
    }

    fn home(&self, key: u128) -> usize {
        let bits = ((key >> 64) as u64) << SHARD_BITS;
        ((u128::from(bits) * self.homes as u128) >> 64) as usize
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Hints the CPU to load the cache line of `key`'s home slot.
    fn prefetch(&self, key: u128) {
        #[cfg(target_arch = "x86_64")]
        if let Some(slot) = self.slots.get(self.home(key)) {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            // SAFETY: SSE is part of every x86_64 CPU (the baseline target
            // feature), and a prefetch is a hint that reads no memory into
            // the program, never faults and changes nothing; the pointer is
            // to a live slot anyway.
            unsafe { _mm_prefetch::<_MM_HINT_T0>((slot as *const u128).cast::<i8>()) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether one more key keeps the load at most 7/8.
    fn has_room(&self) -> bool {
        (self.len + 1) * 8 <= self.homes * 7
    }

    /// Inserts `key`: `Some(true)` if new, `Some(false)` if present, `None`
    /// if its cluster would run past the last slot (grow and retry).
    fn try_insert(&mut self, key: u128) -> Option<bool> {
        let mut i = self.home(key);
        loop {
            let s = *self.slots.get(i)?;
            if s == 0 || s > key {
                break;
            }
            if s == key {
                return Some(false);
            }
            i += 1;
        }
        let empty = i + self.slots.get(i..)?.iter().position(|&s| s == 0)?;
        self.slots.copy_within(i..empty, i + 1);
        self.slots[i] = key;
        self.len += 1;
        Some(true)
    }

    /// The keys in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u128> + '_ {
        self.slots.iter().copied().filter(|&s| s != 0)
    }

    /// A table of `homes` home slots holding the same keys, or `None` if they
    /// do not fit in it.
    fn rebuilt(&self, homes: usize) -> Option<SortedTable> {
        let mut t = SortedTable::with_homes(homes);
        let mut next = 0;
        for key in self.iter() {
            let at = t.home(key).max(next);
            *t.slots.get_mut(at)? = key;
            next = at + 1;
        }
        t.len = self.len;
        Some(t)
    }

    fn clear(&mut self) {
        self.slots.fill(0);
        self.len = 0;
    }
}

#[derive(Debug)]
struct Shard {
    table: SortedTable,
    runs: Vec<Run>,
    /// Repeats found by the table, per class.
    repeats: [u64; 16],
}

/// Counts the dedup produced.
#[derive(Debug, Default)]
pub struct DedupCounts {
    /// Duplicates per kind (within a group, and an unassigned record that a
    /// recipient group also holds).
    pub duplicate: [u64; Kind::COUNT],
    /// Distinct tracked persons, summed over groups.
    pub persons: u64,
    /// Entries written to disk, and how many runs.
    pub spilled_entries: u64,
    pub runs: u64,
    /// Spilling failed, and the table grew past `--max-memory` instead (the
    /// counts are exact).
    pub warning: Option<SpillFailed>,
    /// Of the watched records (`Dedup::finish_watching`, as `record_key`s),
    /// those held unassigned and by a recipient: obtained, then sold, so the
    /// unassigned copy is the duplicate.
    pub resold: HashSet<Entry>,
}

/// The dedup of one scan.
#[derive(Debug)]
pub struct Dedup {
    shards: Vec<Mutex<Shard>>,
    /// The most slots a shard may hold before it spills.
    max_slots: usize,
    /// The unassigned group, whose records are counted once if a recipient
    /// group also holds them (SPEC §1.3).
    unassigned: Option<usize>,
    temp_parent: Option<PathBuf>,
    spill: Mutex<Option<SpillDir>>,
    error: Mutex<Option<io::Error>>,
}

/// What keeps a dedup's counts from being known.
#[derive(Debug, thiserror::Error)]
pub enum DedupError {
    #[error("cannot read spilled dedup keys back: {0}")]
    ReadBack(io::Error),
}

/// Spilling failed, and the table grew in memory instead: the counts are
/// exact, the memory limit was not kept.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot spill dedup keys to disk: {0}; the dedup table grew past --max-memory instead (counts are exact)"
)]
pub struct SpillFailed(io::Error);

impl Dedup {
    /// A dedup whose tables together stay within about `max_memory` bytes.
    pub fn new(max_memory: u64, unassigned: Option<usize>, temp_parent: Option<PathBuf>) -> Dedup {
        let per_shard = (max_memory / SHARDS as u64 / 16) as usize;
        Dedup {
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        table: SortedTable::with_homes(MIN_SLOTS),
                        runs: Vec::new(),
                        repeats: [0; 16],
                    })
                })
                .collect(),
            max_slots: per_shard.max(MIN_SLOTS + TAIL),
            unassigned,
            temp_parent,
            spill: Mutex::new(None),
            error: Mutex::new(None),
        }
    }

    fn lock(&self, s: usize) -> MutexGuard<'_, Shard> {
        // A worker that panicked holding the lock left a consistent table
        // (inserts complete before they return); go on with it.
        self.shards[s].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Inserts entries, in any order: they are grouped by shard here (a
    /// counting sort), and each shard is locked once.
    pub fn insert(&self, entries: &[Entry]) {
        let mut starts = [0usize; SHARDS + 1];
        for &e in entries.iter() {
            starts[shard_of(e) + 1] += 1;
        }
        for s in 0..SHARDS {
            starts[s + 1] += starts[s];
        }
        let mut grouped = vec![0u128; entries.len()];
        let mut next = starts;
        for &e in entries.iter() {
            let s = shard_of(e);
            grouped[next[s]] = e;
            next[s] += 1;
        }
        for s in 0..SHARDS {
            let these = &grouped[starts[s]..starts[s + 1]];
            if these.is_empty() {
                continue;
            }
            let mut shard = self.lock(s);
            // The table is far larger than the caches: ask for the slot of
            // the entry a few ahead while this one is inserted.
            const AHEAD: usize = 8;
            for e in these.iter().take(AHEAD) {
                shard.table.prefetch(*e);
            }
            for (i, &e) in these.iter().enumerate() {
                if let Some(&later) = these.get(i + AHEAD) {
                    shard.table.prefetch(later);
                }
                self.insert_one(s, &mut shard, e);
            }
        }
    }

    fn insert_one(&self, s: usize, shard: &mut Shard, e: Entry) {
        loop {
            if shard.table.has_room() {
                match shard.table.try_insert(e) {
                    Some(true) => return,
                    Some(false) => {
                        shard.repeats[class_of(e) as usize] += 1;
                        return;
                    }
                    None => {}
                }
            }
            // Full (or a cluster ran to the end): grow, or spill past the limit.
            let homes = shard.table.homes;
            let grown = (homes + homes / 4).max(homes + 16);
            if grown + TAIL <= self.max_slots {
                if let Some(t) = shard.table.rebuilt(grown) {
                    shard.table = t;
                    continue;
                }
            }
            if shard.table.is_empty() {
                // Nothing to spill: a cluster longer than the table. Grow anyway.
                shard.table = SortedTable::with_homes(grown * 2);
                continue;
            }
            if let Err(e) = self.spill(s, shard) {
                self.fail(e);
                // Keep counting exactly in memory rather than lose keys.
                self.max_slots_exceeded(shard);
            }
        }
    }

    /// After a failed spill: grow past the limit.
    fn max_slots_exceeded(&self, shard: &mut Shard) {
        let homes = shard.table.homes;
        let mut grown = homes * 2;
        loop {
            if let Some(t) = shard.table.rebuilt(grown) {
                shard.table = t;
                return;
            }
            grown *= 2;
        }
    }

    fn fail(&self, error: io::Error) {
        if let Ok(mut e) = self.error.lock() {
            e.get_or_insert(error);
        }
    }

    /// Writes a shard's table as a sorted run and empties it.
    fn spill(&self, s: usize, shard: &mut Shard) -> io::Result<()> {
        let file = {
            let mut dir = self.spill.lock().unwrap_or_else(|p| p.into_inner());
            if dir.is_none() {
                *dir = Some(SpillDir::new(
                    self.temp_parent.as_deref(),
                    "tiaoshu-dedup-",
                )?);
            }
            match dir.as_ref() {
                Some(d) => d.append(&shard_file(s))?,
                None => return Err(io::Error::other("no spill directory")),
            }
        };
        write_run(&file, &mut shard.runs, shard.table.iter())?;
        shard.table.clear();
        Ok(())
    }

    /// Merges every shard and returns the counts, or the error that keeps
    /// them from being known.
    pub fn finish(self) -> Result<DedupCounts, DedupError> {
        self.finish_watching(&HashSet::new())
    }

    /// `finish`, and which of `watch` (`record_key`s) were both unassigned
    /// and held by a recipient.
    pub fn finish_watching(self, watch: &HashSet<Entry>) -> Result<DedupCounts, DedupError> {
        let warning = self.error.lock().ok().and_then(|mut e| e.take());
        let spill = self.spill.lock().ok().and_then(|mut d| d.take());
        let mut total = DedupCounts::default();
        let shards: Vec<Shard> = self
            .shards
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect();
        use rayon::prelude::*;
        let parts: Vec<io::Result<DedupCounts>> = shards
            .par_iter()
            .enumerate()
            .map(|(s, shard)| {
                let file = match (&spill, shard.runs.is_empty()) {
                    (Some(d), false) => Some(File::open(d.path(&shard_file(s)))?),
                    _ => None,
                };
                merge_shard(shard, file.as_ref(), self.unassigned, watch)
            })
            .collect();
        for p in parts {
            let p = p.map_err(DedupError::ReadBack)?;
            for (t, d) in total.duplicate.iter_mut().zip(p.duplicate) {
                *t += d;
            }
            total.persons += p.persons;
            total.spilled_entries += p.spilled_entries;
            total.runs += p.runs;
            total.resold.extend(p.resold);
        }
        drop(spill);
        total.warning = warning.map(SpillFailed);
        Ok(total)
    }
}

/// The file of shard `s`'s runs in the spill directory.
fn shard_file(s: usize) -> String {
    format!("shard-{s:03}.keys")
}

/// Merges a shard's runs and table in key order and counts.
fn merge_shard(
    shard: &Shard,
    file: Option<&File>,
    unassigned: Option<usize>,
    watch: &HashSet<Entry>,
) -> io::Result<DedupCounts> {
    let mut c = DedupCounts::default();
    for (class, &n) in shard.repeats.iter().enumerate() {
        if class < Kind::COUNT {
            c.duplicate[class] += n;
        }
    }
    c.runs = shard.runs.len() as u64;
    c.spilled_entries = shard.runs.iter().map(|r| r.count).sum();

    let mut runs: Vec<RunReader<&File, u128>> = match file {
        Some(f) => shard.runs.iter().map(|&r| RunReader::new(f, r)).collect(),
        None => Vec::new(),
    };
    let mut table = shard.table.iter().peekable();
    let mut counter = Counter::new(unassigned, watch);
    loop {
        // The smallest head among the runs and the table (runs are few).
        let mut best: Option<(u128, Option<usize>)> = table.peek().map(|&k| (k, None));
        for (i, r) in runs.iter_mut().enumerate() {
            if let Some(&k) = r.peek()? {
                if best.is_none_or(|(b, _)| k < b) {
                    best = Some((k, Some(i)));
                }
            }
        }
        let Some((key, from)) = best else { break };
        match from {
            None => {
                table.next();
            }
            Some(i) => {
                if let Some(r) = runs.get_mut(i) {
                    r.pop()?;
                }
            }
        }
        counter.push(key, &mut c);
    }
    counter.end(&mut c);
    Ok(c)
}

/// Counts over a stream of entries in key order.
struct Counter<'w> {
    unassigned: Option<usize>,
    watch: &'w HashSet<Entry>,
    last: Option<Entry>,
    /// The current record across groups: in the unassigned group, in another.
    in_unassigned: bool,
    in_recipient: bool,
}

impl<'w> Counter<'w> {
    fn new(unassigned: Option<usize>, watch: &'w HashSet<Entry>) -> Counter<'w> {
        Counter {
            unassigned,
            watch,
            last: None,
            in_unassigned: false,
            in_recipient: false,
        }
    }

    fn push(&mut self, e: Entry, c: &mut DedupCounts) {
        let class = class_of(e) as usize;
        if self.last == Some(e) {
            // The same entry in another run: a repeat.
            if class < Kind::COUNT {
                c.duplicate[class] += 1;
            }
            return;
        }
        if self.last.map(ungrouped) != Some(ungrouped(e)) {
            self.end(c);
        }
        self.last = Some(e);
        if class == PERSON as usize {
            c.persons += 1;
        } else if self.unassigned == Some(group_of(e)) {
            self.in_unassigned = true;
        } else {
            self.in_recipient = true;
        }
    }

    /// Closes the current record: obtained (unassigned) and then sold to a
    /// recipient, it is counted with the recipient only.
    fn end(&mut self, c: &mut DedupCounts) {
        if let Some(last) = self.last {
            let class = class_of(last) as usize;
            if self.in_unassigned && self.in_recipient && class < Kind::COUNT {
                c.duplicate[class] += 1;
                if self.watch.contains(&ungrouped(last)) {
                    c.resold.insert(ungrouped(last));
                }
            }
        }
        self.in_unassigned = false;
        self.in_recipient = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// A deterministic stream of 128-bit values.
    fn splitmix(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn key(n: u64) -> u128 {
        let mut s = n;
        (u128::from(splitmix(&mut s)) << 64) | u128::from(splitmix(&mut s))
    }

    #[test]
    fn entries_keep_kind_group_and_are_never_zero() {
        let e = record_entry(0, Kind::Health, 3);
        assert_ne!(e, 0);
        assert_eq!(class_of(e) as usize, Kind::Health.index());
        assert_eq!(group_of(e), 3);
        let p = person_entry(u64::MAX, MAX_GROUPS - 1);
        assert_eq!(class_of(p), PERSON);
        assert_eq!(group_of(p), MAX_GROUPS - 1);
        assert_eq!(
            ungrouped(record_entry(7 << 64, Kind::General, 0)),
            ungrouped(record_entry(7 << 64, Kind::General, 5))
        );
    }

    #[test]
    fn sorted_table_keeps_order_and_finds_repeats() {
        let mut t = SortedTable::with_homes(1000);
        let mut reference = HashSet::new();
        for n in 0..800u64 {
            // one shard: the top bits are the same for every key
            let k = (key(n % 600) >> SHARD_BITS) | 1;
            let want = reference.insert(k);
            assert_eq!(t.try_insert(k), Some(want));
        }
        assert_eq!(t.len(), 600);
        let keys: Vec<u128> = t.iter().collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let grown = t.rebuilt(1500).expect("fits");
        assert_eq!(grown.iter().collect::<Vec<_>>(), keys);
        // rebuilding smaller than the keys fails rather than losing one
        assert!(t.rebuilt(100).is_none());
    }

    /// Runs `entries` through a dedup limited to `max_memory` and checks the
    /// counts against a plain hash-set count.
    fn check(entries: &[Entry], max_memory: u64, unassigned: Option<usize>) -> DedupCounts {
        let d = Dedup::new(max_memory, unassigned, None);
        for part in entries.chunks(997) {
            d.insert(part);
        }
        let got = d.finish().expect("no I/O error");

        let mut want = DedupCounts::default();
        let mut seen = HashSet::new();
        let mut groups: HashMap<u128, (bool, bool)> = HashMap::new();
        for &e in entries {
            let class = class_of(e) as usize;
            let new = seen.insert(e);
            if class == PERSON as usize {
                want.persons += u64::from(new);
                continue;
            }
            if !new {
                want.duplicate[class] += 1;
            }
            let g = groups.entry(ungrouped(e)).or_default();
            if unassigned == Some(group_of(e)) {
                g.0 = true;
            } else {
                g.1 = true;
            }
        }
        for (k, (u, r)) in groups {
            if u && r {
                want.duplicate[class_of(k << GROUP_BITS) as usize] += 1;
            }
        }
        assert_eq!(got.duplicate, want.duplicate);
        assert_eq!(got.persons, want.persons);
        got
    }

    fn mixed_entries(n: u64, distinct: u64, groups: usize) -> Vec<Entry> {
        let mut state = 7;
        (0..n)
            .map(|_| {
                let r = splitmix(&mut state);
                let which = r % distinct;
                let group = (r >> 32) as usize % groups;
                if which.is_multiple_of(11) {
                    person_entry(key(which) as u64, group)
                } else {
                    record_entry(key(which), Kind::ALL[(which % 10) as usize], group)
                }
            })
            .collect()
    }

    #[test]
    fn counts_match_a_hash_set_in_memory() {
        let entries = mixed_entries(60_000, 20_000, 1);
        let c = check(&entries, 1 << 30, None);
        assert_eq!(c.runs, 0);
    }

    #[test]
    fn spilling_counts_exactly_the_same() {
        let entries = mixed_entries(60_000, 20_000, 1);
        let in_memory = check(&entries, 1 << 30, None);
        // 64 KiB for 20,000 distinct entries: every shard spills many runs.
        let spilled = check(&entries, 64 << 10, None);
        assert!(spilled.runs > SHARDS as u64, "runs: {}", spilled.runs);
        assert_eq!(spilled.duplicate, in_memory.duplicate);
        assert_eq!(spilled.persons, in_memory.persons);
    }

    #[test]
    fn unassigned_records_held_by_a_recipient_count_once() {
        let entries = mixed_entries(40_000, 9_000, 3);
        let a = check(&entries, 1 << 30, Some(2));
        let b = check(&entries, 32 << 10, Some(2));
        assert_eq!(a.duplicate, b.duplicate);
        assert!(b.runs > 0);
    }

    #[test]
    fn spill_directory_is_owner_only_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().expect("temp dir");
        let d = Dedup::new(16 << 10, None, Some(parent.path().to_path_buf()));
        d.insert(&mixed_entries(20_000, 20_000, 1));
        let dirs: Vec<_> = std::fs::read_dir(parent.path())
            .expect("list")
            .flatten()
            .collect();
        assert_eq!(dirs.len(), 1);
        let mode = dirs[0].metadata().expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        for f in std::fs::read_dir(dirs[0].path()).expect("list").flatten() {
            let mode = f.metadata().expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let c = d.finish().expect("finish");
        assert!(c.runs > 0);
        assert_eq!(std::fs::read_dir(parent.path()).expect("list").count(), 0);
    }
}
