//! The ids a keyed export has used, kept exactly and compactly for duplicate detection:
//! every id's text once, length-prefixed, in fixed-size arena chunks (which never reallocate),
//! plus either a hash table of (offset, line) into them ([`IdSet`], about 9 bytes an id and
//! the id's own bytes plus one), or only each id's hash and offset ([`IdLog`], 8 bytes, checked
//! once at the end). A hash alone could call two different ids the same; a set of `String`s
//! took some 60 bytes an id.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// Arena chunk size: ids are never split across chunks.
const CHUNK: usize = 1 << 20;

/// Every id's text once: a LEB128 length, then the bytes.
#[derive(Default)]
struct Arena {
    chunks: Vec<Vec<u8>>,
}

impl Arena {
    /// The id stored at `offset`.
    fn get(&self, offset: u32) -> &[u8] {
        let (chunk, mut at) = (offset as usize / CHUNK, offset as usize % CHUNK);
        let bytes = &self.chunks[chunk];
        let (mut len, mut shift) = (0usize, 0);
        loop {
            let b = bytes[at];
            at += 1;
            len |= usize::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        &bytes[at..at + len]
    }

    /// Stores `id`; its offset, or `None` past 4 GB of ids (far past `limits.max_file_mb`),
    /// where ids are kept out rather than wrapped.
    #[inline]
    fn push(&mut self, id: &[u8]) -> Option<u32> {
        // The common id: shorter than 128 bytes (a one-byte length), with room in the last
        // chunk.
        let index = self.chunks.len().wrapping_sub(1);
        if let Some(last) = self.chunks.last_mut()
            && id.len() < 0x80
            && last.capacity() >= CHUNK
            && last.len() + 1 + id.len() <= CHUNK
        {
            let offset = u32::try_from(index * CHUNK + last.len()).ok()?;
            last.push(id.len() as u8);
            last.extend_from_slice(id);
            return Some(offset);
        }
        self.push_in_new_chunk_or_long(id)
    }

    /// [`Arena::push`] for an id that needs a new chunk or a longer length prefix.
    #[inline(never)]
    fn push_in_new_chunk_or_long(&mut self, id: &[u8]) -> Option<u32> {
        // LEB128: seven bits a byte, high bit set on all but the last.
        let mut prefix = [0u8; 10];
        let mut prefix_len = 0;
        let mut len = id.len();
        loop {
            let low = (len & 0x7f) as u8;
            len >>= 7;
            prefix[prefix_len] = if len > 0 { low | 0x80 } else { low };
            prefix_len += 1;
            if len == 0 {
                break;
            }
        }
        let prefix = &prefix[..prefix_len];
        let need = prefix.len() + id.len();
        // Chunk `i` holds offsets i × CHUNK onwards. An id that does not fit in the last chunk
        // starts a new one; one longer than CHUNK gets a chunk of its own, followed by empty
        // placeholders for the offsets it spans.
        let last = self.chunks.len().checked_sub(1);
        let fits = last.is_some_and(|i| {
            let c = &self.chunks[i];
            c.capacity() >= CHUNK && c.len() + need <= CHUNK
        });
        let index = match (fits, last) {
            (true, Some(i)) => i,
            _ => {
                let index = self.chunks.len();
                self.chunks.push(Vec::with_capacity(CHUNK.max(need)));
                for _ in 1..need.div_ceil(CHUNK) {
                    self.chunks.push(Vec::new());
                }
                index
            }
        };
        let chunk = &mut self.chunks[index];
        let offset = u32::try_from(index * CHUNK + chunk.len()).ok()?;
        chunk.extend_from_slice(prefix);
        chunk.extend_from_slice(id);
        Some(offset)
    }
}

/// Ids seen, with the line each first appeared on: answers at once whether an id is new.
#[derive(Default)]
pub struct IdSet {
    arena: Arena,
    /// (offset of the id's length prefix, first line).
    table: HashTable<(u32, u32)>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl IdSet {
    /// Makes room for `additional` more ids, so that a large file's table is sized once
    /// instead of rehashing (and rereading the arena) each time it doubles.
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        if additional > 0 {
            let (arena, hasher) = (&self.arena, &self.hasher);
            self.table
                .reserve(additional, |&(o, _)| hasher.hash_one(arena.get(o)));
        }
    }

    /// Records `id` at `line`; returns the line it was first seen on if it was seen before.
    #[inline]
    pub fn first_or_insert(&mut self, id: &str, line: usize) -> Option<usize> {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        match self.entry(id.as_bytes(), line) {
            Some((&mut (_, first), false)) => Some(first as usize),
            _ => None,
        }
    }

    /// The (offset, value) entry of `id`, stored now with `value` if it is new (then `true`);
    /// `None` for a new id past 4 GB of ids.
    fn entry(&mut self, id: &[u8], value: u32) -> Option<(&mut (u32, u32), bool)> {
        let hash = self.hasher.hash_one(id);
        let (arena, hasher) = (&self.arena, &self.hasher);
        match self.table.entry(
            hash,
            |&(o, _)| arena.get(o) == id,
            |&(o, _)| hasher.hash_one(arena.get(o)),
        ) {
            hashbrown::hash_table::Entry::Occupied(found) => Some((found.into_mut(), false)),
            hashbrown::hash_table::Entry::Vacant(room) => {
                let offset = self.arena.push(id)?;
                Some((room.insert((offset, value)).into_mut(), true))
            }
        }
    }

    /// How many ids (for the tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.table.len()
    }
}

/// Distinct names (an event log's actors), each kept once in the arena with a mark its reader
/// sets: an event log marks each actor with the last day it counted them on, so that a name
/// seen again on that day needs no lookup in the day's set of speakers. A set of names per
/// day, each name in an allocation of its own, took a quarter of reading a large log.
#[derive(Default)]
pub struct Names {
    entries: IdSet,
}

impl Names {
    /// The mark a new name starts with.
    pub const UNMARKED: u32 = u32::MAX;

    /// `name`'s number (the same for the same name, different for different names) and its
    /// mark, [`Names::UNMARKED`] for a new name; `None` past 4 GB of distinct names.
    #[inline]
    pub fn mark(&mut self, name: &str) -> Option<(u32, &mut u32)> {
        self.entries
            .entry(name.as_bytes(), Self::UNMARKED)
            .map(|(entry, _)| (entry.0, &mut entry.1))
    }
}

/// Ids written down as they come, to be checked for repeats once at the end: appending is
/// sequential where a table lookup per id is a random memory access, which at a million ids
/// cost more than reading the rows. For sources where a repeat is an error (the ledger): the
/// rare file with one is read again with an [`IdSet`] for the error's line.
#[derive(Default)]
pub struct IdLog {
    arena: Arena,
    /// (hash, offset) of every id, in the order written. The hash is cut to 32 bits: ids that
    /// share one are compared byte for byte anyway.
    written: Vec<(u32, u32)>,
    hasher: hashbrown::DefaultHashBuilder,
    /// An id could not be stored (past 4 GB of ids): repeats cannot be ruled out.
    overflowed: bool,
}

impl IdLog {
    /// Makes room for `additional` more ids.
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        self.written.reserve(additional);
    }

    /// Writes `id` down.
    pub fn push(&mut self, id: &str) {
        let id = id.as_bytes();
        let hash = (self.hasher.hash_one(id) >> 32) as u32;
        match self.arena.push(id) {
            Some(offset) => self.written.push((hash, offset)),
            None => self.overflowed = true,
        }
    }

    /// Whether any id was written twice. The answer is exact: ids whose hashes could be equal
    /// are compared byte for byte.
    #[inline]
    pub fn has_repeats(self) -> bool {
        if self.overflowed {
            return true;
        }
        let slots = Self::filter_slots(self.written.len());
        repeats_among(&self.written, &self.arena, slots)
    }

    /// Slots of the filter [`repeats_among`] passes the hashes through: a power of two, about
    /// sixteen an id, so that about one id in sixteen shares its slot with another and is
    /// looked at again (two bitmaps of two bytes an id each).
    fn filter_slots(ids: usize) -> usize {
        ids.saturating_mul(16).next_power_of_two().max(64)
    }
}

/// Whether two of `written` (hash, arena offset) are the same id. Each hash first marks its
/// slot of a `slots`-bit filter (a power of two); only ids whose slot was marked twice can
/// repeat, and only those few are grouped by hash and compared. Two passes over the list and
/// a small sort, where sorting every hash took longer than writing them down.
fn repeats_among(written: &[(u32, u32)], arena: &Arena, slots: usize) -> bool {
    debug_assert!(slots.is_power_of_two());
    let mask = slots - 1;
    let at = |hash: u32| {
        let slot = hash as usize & mask;
        (slot / 64, 1u64 << (slot % 64))
    };
    let mut seen = vec![0u64; slots.div_ceil(64)];
    let mut shared = vec![0u64; slots.div_ceil(64)];
    let mut any_shared = false;
    for &(hash, _) in written {
        let (word, bit) = at(hash);
        if seen[word] & bit == 0 {
            seen[word] |= bit;
        } else {
            shared[word] |= bit;
            any_shared = true;
        }
    }
    if !any_shared {
        return false;
    }
    drop(seen);
    let mut suspects: Vec<(u32, u32)> = written
        .iter()
        .filter(|&&(hash, _)| {
            let (word, bit) = at(hash);
            shared[word] & bit != 0
        })
        .copied()
        .collect();
    suspects.sort_unstable_by_key(|&(hash, _)| hash);
    suspects.chunk_by(|a, b| a.0 == b.0).any(|same_hash| {
        same_hash.len() > 1
            && same_hash.iter().enumerate().any(|(i, a)| {
                same_hash[..i]
                    .iter()
                    .any(|b| arena.get(a.1) == arena.get(b.1))
            })
    })
}

/// How a reader checks a source's ids for repeats.
pub enum IdCheck {
    /// Write them down and check once at the end ([`IdLog`]): the fast pass.
    Later(IdLog),
    /// Check each as it comes ([`IdSet`]): the pass that names a repeat's line and leaves it
    /// out, for the rare source that has one.
    Now(IdSet),
}

impl Default for IdCheck {
    fn default() -> Self {
        IdCheck::later()
    }
}

impl IdCheck {
    /// The fast pass's check.
    pub fn later() -> Self {
        IdCheck::Later(IdLog::default())
    }

    /// The exact pass's check.
    pub fn now() -> Self {
        IdCheck::Now(IdSet::default())
    }

    /// Makes room for `additional` more ids.
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        match self {
            IdCheck::Later(log) => log.reserve(additional),
            IdCheck::Now(set) => set.reserve(additional),
        }
    }

    /// Takes `id` from `line`: when checking now, the line it was first seen on if it is a
    /// repeat; when checking later, always `None`.
    #[inline]
    pub fn see(&mut self, id: &str, line: usize) -> Option<usize> {
        match self {
            IdCheck::Later(log) => {
                log.push(id);
                None
            }
            IdCheck::Now(set) => set.first_or_insert(id, line),
        }
    }

    /// Whether the source must be read again checking ids as they come: a later check that
    /// found a repeat.
    #[inline]
    pub fn must_reread(self) -> bool {
        match self {
            IdCheck::Later(log) => log.has_repeats(),
            IdCheck::Now(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_with_their_first_line() {
        let mut ids = IdSet::default();
        assert_eq!(ids.first_or_insert("E1", 2), None);
        assert_eq!(ids.first_or_insert("E10", 3), None);
        assert_eq!(ids.first_or_insert("E1", 7), Some(2));
        // A prefix or an extension of an id is another id.
        assert_eq!(ids.first_or_insert("E", 8), None);
        assert_eq!(ids.first_or_insert("E100", 9), None);
        assert_eq!(ids.first_or_insert("E10", 10), Some(3));
        assert_eq!(ids.len(), 4);
    }

    #[test]
    fn names_keep_their_number_and_their_mark() {
        let mut names = Names::default();
        let number = |names: &mut Names, name: &str| names.mark(name).unwrap().0;
        let zhang = number(&mut names, "张三");
        let user1 = number(&mut names, "user1");
        assert_ne!(zhang, user1);
        assert_eq!(number(&mut names, "张三"), zhang);
        // A prefix or an extension of a name is another name.
        let user = number(&mut names, "user");
        let user10 = number(&mut names, "user10");
        let all: std::collections::BTreeSet<u32> = [zhang, user1, user, user10].into();
        assert_eq!(all.len(), 4);
        assert_eq!(number(&mut names, "user1"), user1);
        // A new name is unmarked; a mark stays until it is set again.
        let (_, mark) = names.mark("李四").unwrap();
        assert_eq!(*mark, Names::UNMARKED);
        *mark = 7;
        for i in 0..100_000 {
            assert_eq!(*names.mark(&format!("n{i}")).unwrap().1, Names::UNMARKED);
        }
        assert_eq!(*names.mark("李四").unwrap().1, 7);
        assert_eq!(number(&mut names, "张三"), zhang);
    }

    #[test]
    fn many_ids_stay_exact_as_the_table_and_arena_grow() {
        let mut ids = IdSet::default();
        // 200,000 ids of 9–14 bytes fill two arena chunks and more.
        for i in 0..200_000 {
            assert_eq!(ids.first_or_insert(&format!("id-{i:06}"), i + 2), None);
        }
        for i in (0..200_000).step_by(997) {
            assert_eq!(ids.first_or_insert(&format!("id-{i:06}"), 0), Some(i + 2));
        }
        assert_eq!(ids.len(), 200_000);
        assert!(ids.arena.chunks.len() >= 2);
    }

    #[test]
    fn long_ids_have_room_of_their_own() {
        let mut ids = IdSet::default();
        let long = "x".repeat(CHUNK + 10);
        assert_eq!(ids.first_or_insert("short", 1), None);
        assert_eq!(ids.first_or_insert(&long, 2), None);
        assert_eq!(ids.first_or_insert("after", 3), None);
        assert_eq!(ids.first_or_insert(&long, 4), Some(2));
        assert_eq!(ids.first_or_insert("short", 5), Some(1));
        assert_eq!(ids.first_or_insert("after", 6), Some(3));
        // 300 bytes: a two-byte length prefix; 127 is the longest with one byte.
        let mid = "y".repeat(300);
        assert_eq!(ids.first_or_insert(&mid, 7), None);
        assert_eq!(ids.first_or_insert(&mid, 8), Some(7));
        for (len, line) in [(127, 9), (128, 10), (126, 11)] {
            let id = "z".repeat(len);
            assert_eq!(ids.first_or_insert(&id, line), None, "{len} bytes");
        }
        for (len, line) in [(127, 9), (128, 10), (126, 11)] {
            let id = "z".repeat(len);
            assert_eq!(ids.first_or_insert(&id, 0), Some(line), "{len} bytes");
        }
    }

    #[test]
    fn a_log_finds_a_repeat_exactly() {
        let mut log = IdLog::default();
        for i in 0..50_000 {
            log.push(&format!("E{i}"));
        }
        assert!(!log.has_repeats());
        let mut log = IdLog::default();
        for i in 0..50_000 {
            log.push(&format!("E{i}"));
        }
        log.push("E17");
        assert!(log.has_repeats());
        // A prefix or an extension of an id is another id.
        let mut log = IdLog::default();
        for id in ["E1", "E10", "E", "E100"] {
            log.push(id);
        }
        assert!(!log.has_repeats());
    }

    #[test]
    fn ids_with_one_hash_are_told_apart_by_their_bytes() {
        // Every id forced into one hash: the check must compare bytes.
        let mut log = IdLog::default();
        for id in ["a", "b", "c"] {
            let offset = log.arena.push(id.as_bytes()).unwrap();
            log.written.push((7, offset));
        }
        assert!(!log.has_repeats());
        let mut log = IdLog::default();
        for id in ["a", "b", "a"] {
            let offset = log.arena.push(id.as_bytes()).unwrap();
            log.written.push((7, offset));
        }
        assert!(log.has_repeats());
    }

    /// A log written with the given hashes, one id each.
    fn log_of(entries: &[(u32, &str)]) -> IdLog {
        let mut log = IdLog::default();
        for &(hash, id) in entries {
            let offset = log.arena.push(id.as_bytes()).unwrap();
            log.written.push((hash, offset));
        }
        log
    }

    #[test]
    fn ids_that_share_a_filter_slot_are_compared_by_hash_then_bytes() {
        // 64 slots: hashes 5, 69 and 133 share slot 5 but are three different hashes.
        let log = log_of(&[(5, "a"), (69, "b"), (133, "c"), (6, "d")]);
        assert!(!repeats_among(&log.written, &log.arena, 64));
        // The same id twice, its slot shared with a third id of another hash.
        let log = log_of(&[(5, "a"), (69, "b"), (5, "a")]);
        assert!(repeats_among(&log.written, &log.arena, 64));
        // Equal hashes, different bytes.
        let log = log_of(&[(5, "a"), (69, "b"), (5, "z")]);
        assert!(!repeats_among(&log.written, &log.arena, 64));
    }

    proptest::proptest! {
        /// Whatever the filter's size, the answer is a set's: a filter small enough to put
        /// most ids in a shared slot, and hashes cut to a few bits so that unequal ids share
        /// them, still give the exact answer.
        #[test]
        fn the_filter_never_changes_the_answer(
            ids in proptest::collection::vec(0u16..300, 0..200),
            hash_bits in 1u32..12,
            slots_log2 in 6u32..10,
        ) {
            let mut log = IdLog::default();
            for id in &ids {
                let text = format!("E{id}");
                let offset = log.arena.push(text.as_bytes()).unwrap();
                let hash = (log.hasher.hash_one(text.as_bytes()) >> 32) as u32;
                log.written.push((hash & ((1 << hash_bits) - 1), offset));
            }
            let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
            let expected = distinct.len() < ids.len();
            proptest::prop_assert_eq!(
                repeats_among(&log.written, &log.arena, 1 << slots_log2),
                expected
            );
            proptest::prop_assert_eq!(log.has_repeats(), expected);
        }
    }
}
