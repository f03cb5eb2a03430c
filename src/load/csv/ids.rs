//! The ids a keyed export has used so far, kept exactly and compactly for duplicate detection:
//! every id's text once, length-prefixed, in fixed-size arena chunks (which never reallocate),
//! and a hash table of (offset, line) into them: about 9 bytes of table and the id's own bytes
//! plus one per id. A hash alone could call two different ids the same; a set of `String`s
//! took some 60 bytes an id.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// Arena chunk size: ids are never split across chunks.
const CHUNK: usize = 1 << 20;

/// Ids seen, with the line each first appeared on.
#[derive(Default)]
pub struct IdSet {
    chunks: Vec<Vec<u8>>,
    /// (offset of the id's length prefix, first line).
    table: HashTable<(u32, u32)>,
    hasher: hashbrown::DefaultHashBuilder,
}

/// The id stored at `offset`: a LEB128 length, then the bytes.
fn stored(chunks: &[Vec<u8>], offset: u32) -> &[u8] {
    let (chunk, mut at) = (offset as usize / CHUNK, offset as usize % CHUNK);
    let bytes = &chunks[chunk];
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

impl IdSet {
    /// Makes room for `additional` more ids, so that a large file's table is sized once
    /// instead of rehashing (and rereading the arena) each time it doubles.
    pub fn reserve(&mut self, additional: usize) {
        if additional > 0 {
            let (chunks, hasher) = (&self.chunks, &self.hasher);
            self.table
                .reserve(additional, |&(o, _)| hasher.hash_one(stored(chunks, o)));
        }
    }

    /// Records `id` at `line`; returns the line it was first seen on if it was seen before.
    pub fn first_or_insert(&mut self, id: &str, line: usize) -> Option<usize> {
        let id = id.as_bytes();
        let hash = self.hasher.hash_one(id);
        let chunks = &self.chunks;
        if let Some(&(_, first)) = self.table.find(hash, |&(o, _)| stored(chunks, o) == id) {
            return Some(first as usize);
        }
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
        // Offsets are u32 (4 GB of ids, far past `limits.max_file_mb`): past that, ids are
        // kept out rather than wrapped.
        let offset = u32::try_from(index * CHUNK + chunk.len()).ok()?;
        chunk.extend_from_slice(prefix);
        chunk.extend_from_slice(id);
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let (chunks, hasher) = (&self.chunks, &self.hasher);
        self.table.insert_unique(hash, (offset, line), |&(o, _)| {
            hasher.hash_one(stored(chunks, o))
        });
        None
    }

    /// How many ids (for the tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.table.len()
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
        assert!(ids.chunks.len() >= 2);
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
        // 300 bytes: a two-byte length prefix.
        let mid = "y".repeat(300);
        assert_eq!(ids.first_or_insert(&mid, 7), None);
        assert_eq!(ids.first_or_insert(&mid, 8), Some(7));
    }
}
