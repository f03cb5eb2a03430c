//! The ids a keyed export has used so far, kept exactly and compactly for duplicate detection:
//! every id's text once in one arena, and a hash table of (offset, length, line) into it. A
//! million ids of ten bytes take about 25 MB, where a set of `String`s took three times that;
//! and a hash alone could call two different ids the same.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// Ids seen, with the line each first appeared on.
#[derive(Default)]
pub struct IdSet {
    arena: String,
    table: HashTable<(u32, u32, u32)>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl IdSet {
    /// Records `id` at `line`; returns the line it was first seen on if it was seen before.
    pub fn first_or_insert(&mut self, id: &str, line: usize) -> Option<usize> {
        let hash = self.hasher.hash_one(id);
        let arena = &self.arena;
        let text =
            |&(start, len, _): &(u32, u32, u32)| &arena[start as usize..(start + len) as usize];
        if let Some(found) = self.table.find(hash, |e| text(e) == id) {
            return Some(found.2 as usize);
        }
        // Offsets are u32: an export is far below 4 GB (`limits.max_file_mb`), and an id that
        // would not fit is kept out rather than wrapped.
        let (Ok(start), Ok(len)) = (u32::try_from(self.arena.len()), u32::try_from(id.len()))
        else {
            return None;
        };
        start.checked_add(len)?;
        self.arena.push_str(id);
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let (arena, hasher) = (&self.arena, &self.hasher);
        self.table
            .insert_unique(hash, (start, len, line), |&(s, l, _)| {
                hasher.hash_one(&arena[s as usize..(s + l) as usize])
            });
        None
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// No id yet.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
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
    fn many_ids_stay_exact_as_the_table_grows() {
        let mut ids = IdSet::default();
        for i in 0..50_000 {
            assert_eq!(ids.first_or_insert(&format!("id-{i}"), i + 2), None);
        }
        for i in (0..50_000).step_by(997) {
            assert_eq!(ids.first_or_insert(&format!("id-{i}"), 0), Some(i + 2));
        }
        assert_eq!(ids.len(), 50_000);
    }
}
