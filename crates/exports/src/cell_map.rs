//! A map from a cell's text to what the cell was read as, for columns whose few distinct values
//! repeat on every row (a ledger's dates and categories). Nearly every such cell is 16 bytes or
//! fewer: those are looked up by a key packed from their bytes, hashed and compared as integers.
//! A map keyed by the text itself hashed it byte by byte and compared it through `memcmp`, and
//! that was a tenth of reading a large ledger. Longer texts are keyed by their text.

/// A text of at most 16 bytes, packed: with its length, its first and last eight bytes (or four,
/// or three picked bytes) cover every byte, so equal keys are equal texts.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Short {
    head: u64,
    tail: u64,
    len: u8,
}

impl Short {
    const MAX: usize = 16;

    #[inline(always)]
    fn of(text: &[u8]) -> Option<Short> {
        let len = text.len();
        let word = |at: usize| u64::from_le_bytes(text[at..at + 8].try_into().unwrap_or_default());
        let half = |at: usize| {
            u64::from(u32::from_le_bytes(
                text[at..at + 4].try_into().unwrap_or_default(),
            ))
        };
        let (head, tail) = match len {
            0 => (0, 0),
            // Bytes 0, len/2 and len-1 are every byte of a text this short.
            1..=3 => (
                u64::from(text[0]) | u64::from(text[len / 2]) << 8 | u64::from(text[len - 1]) << 16,
                0,
            ),
            4..=7 => (half(0), half(len - 4)),
            8..=Self::MAX => (word(0), word(len - 8)),
            _ => return None,
        };
        Some(Short {
            head,
            tail,
            len: len as u8,
        })
    }
}

/// Cell text → value; see the module's doc.
pub struct CellMap<V> {
    short: hashbrown::HashMap<Short, V>,
    long: hashbrown::HashMap<Box<str>, V>,
}

impl<V> Default for CellMap<V> {
    fn default() -> Self {
        CellMap {
            short: hashbrown::HashMap::new(),
            long: hashbrown::HashMap::new(),
        }
    }
}

impl<V: Copy> CellMap<V> {
    /// Texts kept at most: a column whose cells are all different (ids, timestamps to the
    /// second) is resolved cell by cell instead of filling memory.
    pub const KEPT: usize = 4096;

    /// The value for `text`: the one kept, or `resolve`'s (kept while fewer than
    /// [`Self::KEPT`] texts are).
    #[inline]
    pub fn resolve(&mut self, text: &str, resolve: impl FnOnce() -> V) -> V {
        if let Some(value) = self.get(text) {
            return value;
        }
        let value = resolve();
        self.insert(text, value);
        value
    }

    /// The value kept for `text`.
    #[inline]
    pub fn get(&self, text: &str) -> Option<V> {
        match Short::of(text.as_bytes()) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(text).copied(),
        }
    }

    /// Keeps `value` for `text`, unless [`Self::KEPT`] texts are kept already.
    pub fn insert(&mut self, text: &str, value: V) {
        if self.len() >= Self::KEPT {
            return;
        }
        match Short::of(text.as_bytes()) {
            Some(key) => self.short.insert(key, value),
            None => self.long.insert(text.into(), value),
        };
    }

    /// How many texts are kept.
    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Whether no text is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every text.
    pub fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_that_share_their_ends_are_told_apart() {
        let texts = [
            "",
            "a",
            "aa",
            "aaa",
            "aba",
            "aab",
            "aaaa",
            "aaaaaaa",
            "aaaaaaaa",
            "aaaaaaaaa",
            "aaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaa",
            "2025-07-01",
            "2025-07-10",
            "2025-07-01 ",
            "推广",
            "推广费",
            "promotion",
            "promotio",
        ];
        let mut map = CellMap::default();
        for (i, t) in texts.iter().enumerate() {
            map.insert(t, i);
        }
        assert_eq!(map.len(), texts.len());
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(map.get(t), Some(i), "{t:?}");
        }
        assert_eq!(map.get("aaaaa"), None);
        assert_eq!(map.resolve("aaaaa", || 99), 99);
        assert_eq!(map.resolve("aaaaa", || 100), 99, "resolved once");
        assert_eq!(map.len(), texts.len() + 1);
        assert_eq!(map.get("2025-07-02"), None);
        map.clear();
        assert!(map.is_empty());
        assert_eq!(map.get("a"), None);
    }

    #[test]
    fn no_more_than_the_kept_texts_are_kept_but_all_are_resolved() {
        let mut map = CellMap::default();
        for i in 0..CellMap::<usize>::KEPT + 10 {
            assert_eq!(map.resolve(&format!("cell {i}"), || i), i);
        }
        assert_eq!(map.len(), CellMap::<usize>::KEPT);
        assert_eq!(map.get("cell 0"), Some(0));
        let past = format!("cell {}", CellMap::<usize>::KEPT + 5);
        assert_eq!(map.get(&past), None);
        assert_eq!(map.resolve(&past, || 7), 7);
    }

    proptest::proptest! {
        /// The map answers as a map keyed by the text does, for texts drawn from a small
        /// alphabet so that many share their first and last bytes.
        #[test]
        fn the_map_answers_as_a_map_of_strings_does(
            inserted in proptest::collection::vec("[ab推]{0,20}", 0..60),
            asked in proptest::collection::vec("[ab推]{0,20}", 0..60),
        ) {
            let mut map = CellMap::default();
            let mut expected = std::collections::HashMap::new();
            for (i, t) in inserted.iter().enumerate() {
                map.insert(t, i);
                expected.insert(t.clone(), i);
            }
            proptest::prop_assert_eq!(map.len(), expected.len());
            for t in inserted.iter().chain(&asked) {
                proptest::prop_assert_eq!(map.get(t), expected.get(t).copied(), "{:?}", t);
            }
        }
    }
}
