//! Header matching (docs/rules.md#header-mapping): deterministic, exact after normalisation, never
//! fuzzy. `发言数` (messages) is a substring of `发言人数` (speakers) and means something else.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

/// A header after normalisation, plus the bracketed unit it carried, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalHeader {
    /// The matching key: NFKC, trimmed, inner whitespace collapsed, lower-cased, unit removed.
    pub key: String,
    /// The unit or zone in trailing brackets: `(元)` → `元`, `time(Asia/Shanghai)` → `Asia/Shanghai`.
    pub unit: Option<String>,
}

/// Normalises a header for matching.
pub fn normalize(header: &str) -> NormalHeader {
    use std::borrow::Cow;
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    let header = header.trim_start_matches('\u{feff}');
    // Most headers (and every built-in alias) are already NFKC and single-spaced: they are
    // matched without the copies folding them takes (a file's aliases are normalised anew).
    let text: Cow<str> = if header.is_ascii() || is_nfkc_quick(header.chars()) == IsNormalized::Yes
    {
        Cow::Borrowed(header)
    } else {
        Cow::Owned(header.nfkc().collect())
    };
    let mut base: Cow<str> = if single_spaced(&text) {
        text
    } else {
        Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let mut unit = None;
    for (open, close) in [('(', ')'), ('[', ']')] {
        if base.ends_with(close)
            && let Some(start) = base.rfind(open)
            && start > 0
        {
            unit = Some(base[start + 1..base.len() - 1].trim().to_string());
            base = Cow::Owned(base[..start].trim_end().to_string());
            break;
        }
    }
    NormalHeader {
        key: base.to_lowercase(),
        unit,
    }
}

/// Whether `text` is what joining its words with single spaces gives: no whitespace at
/// either end, and only lone ASCII spaces between words.
fn single_spaced(text: &str) -> bool {
    let mut after_space = true;
    for c in text.chars() {
        if c.is_whitespace() {
            if after_space || c != ' ' {
                return false;
            }
            after_space = true;
        } else {
            after_space = false;
        }
    }
    !after_space || text.is_empty()
}

/// The candidates for one canonical column, by tier (docs/rules.md#header-mapping resolution
/// order).
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// Canonical column name.
    pub canonical: String,
    /// Tier 1 and 2: headers named by the plan's `columns` and the profile, in that order.
    pub explicit: Vec<String>,
    /// Tier 3: the built-in aliases and the canonical name itself.
    pub aliases: Vec<String>,
}

/// Why a header mapping failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingProblem {
    /// Two source headers both map to `canonical`.
    TwoHeaders {
        canonical: String,
        first: usize,
        second: usize,
    },
    /// One source header is named explicitly for two canonical columns.
    ClaimedTwice {
        header: usize,
        first: String,
        second: String,
    },
}

/// The result of mapping one file's headers.
#[derive(Debug, Clone, Default)]
pub struct HeaderMap {
    /// canonical name → index of the source header.
    pub columns: BTreeMap<String, usize>,
    /// Indices of headers nothing mapped.
    pub unmapped: Vec<usize>,
    /// Problems found (each is an error).
    pub problems: Vec<MappingProblem>,
}

/// Maps source headers to canonical columns. Explicit names (plan, then profile) are tried
/// first and claim their header; built-in aliases only see headers nobody claimed. Within a
/// tier, two present headers for one column is an error rather than a silent pick.
pub fn map_headers(headers: &[String], wanted: &[Candidates], ignore: &[String]) -> HeaderMap {
    let keys: Vec<String> = headers.iter().map(|h| normalize(h).key).collect();
    let find = |name: &str| -> Vec<usize> {
        let k = normalize(name).key;
        keys.iter()
            .enumerate()
            .filter(|(_, key)| **key == k)
            .map(|(i, _)| i)
            .collect()
    };
    let mut map = HeaderMap::default();
    let mut claimed: BTreeMap<usize, String> = BTreeMap::new();

    for tier in [Tier::Explicit, Tier::Alias] {
        for cand in wanted {
            if map.columns.contains_key(&cand.canonical) {
                continue;
            }
            let names = match tier {
                Tier::Explicit => &cand.explicit,
                Tier::Alias => &cand.aliases,
            };
            let mut hits: Vec<usize> = Vec::new();
            for name in names {
                for i in find(name) {
                    if tier == Tier::Alias && claimed.contains_key(&i) {
                        continue;
                    }
                    if !hits.contains(&i) {
                        hits.push(i);
                    }
                }
                // Explicit names are ordered preferences: the first one present wins.
                if tier == Tier::Explicit && !hits.is_empty() {
                    break;
                }
            }
            hits.sort_unstable();
            match hits.as_slice() {
                [] => {}
                [i, rest @ ..] => {
                    if let Some(second) = rest.first() {
                        map.problems.push(MappingProblem::TwoHeaders {
                            canonical: cand.canonical.clone(),
                            first: *i,
                            second: *second,
                        });
                    }
                    if let Some(first) = claimed.get(i) {
                        map.problems.push(MappingProblem::ClaimedTwice {
                            header: *i,
                            first: first.clone(),
                            second: cand.canonical.clone(),
                        });
                        continue;
                    }
                    claimed.insert(*i, cand.canonical.clone());
                    map.columns.insert(cand.canonical.clone(), *i);
                }
            }
        }
    }
    let ignored: Vec<String> = ignore.iter().map(|h| normalize(h).key).collect();
    map.unmapped = (0..headers.len())
        .filter(|i| {
            !claimed.contains_key(i) && !ignored.contains(&keys[*i]) && !keys[*i].is_empty()
        })
        .collect();
    map
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Explicit,
    Alias,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(canonical: &str, explicit: &[&str], aliases: &[&str]) -> Candidates {
        Candidates {
            canonical: canonical.into(),
            explicit: explicit.iter().map(|s| s.to_string()).collect(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    /// The normalisation as first written (fold, collapse, then cut the unit), which the
    /// shortcuts must agree with.
    fn normalize_reference(header: &str) -> NormalHeader {
        let text: String = header.trim_start_matches('\u{feff}').nfkc().collect();
        let mut base = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut unit = None;
        for (open, close) in [('(', ')'), ('[', ']')] {
            if base.ends_with(close)
                && let Some(start) = base.rfind(open)
                && start > 0
            {
                unit = Some(base[start + 1..base.len() - 1].trim().to_string());
                base = base[..start].trim_end().to_string();
                break;
            }
        }
        NormalHeader {
            key: base.to_lowercase(),
            unit,
        }
    }

    proptest::proptest! {
        /// Headers of ASCII, CJK, full-width forms, assorted spaces and brackets normalise as
        /// the reference does.
        #[test]
        fn shortcuts_normalise_as_the_reference(
            header in "\u{feff}?[ a-zA-Z0-9_\u{3000}\t\u{a0}（）()\\[\\]金额元ＡＢ１ｶﾞ]{0,16}",
        ) {
            proptest::prop_assert_eq!(normalize(&header), normalize_reference(&header));
        }
    }

    #[test]
    fn single_spacing_is_recognised() {
        for (text, single) in [
            ("", true),
            ("a", true),
            ("a b", true),
            (" a", false),
            ("a ", false),
            ("a  b", false),
            ("a\tb", false),
            ("a\u{3000}b", false),
            (" ", false),
        ] {
            assert_eq!(single_spaced(text), single, "{text:?}");
        }
    }

    #[test]
    fn normalisation_strips_bom_width_case_space_and_unit() {
        assert_eq!(normalize("\u{feff}Month").key, "month");
        assert_eq!(
            normalize("金额（元）"),
            NormalHeader {
                key: "金额".into(),
                unit: Some("元".into())
            }
        );
        assert_eq!(normalize("  Total   membership ").key, "total membership");
        assert_eq!(normalize("占比[%]").unit.as_deref(), Some("%"));
        let t = normalize("time(Asia/Shanghai)");
        assert_eq!(
            (t.key.as_str(), t.unit.as_deref()),
            ("time", Some("Asia/Shanghai"))
        );
    }

    #[test]
    fn matching_is_exact_never_substring() {
        let h = headers(&["发言人数", "发言数"]);
        let map = map_headers(
            &h,
            &[
                cands("speakers", &[], &["发言人数"]),
                cands("messages", &[], &["发言数"]),
            ],
            &[],
        );
        assert_eq!(map.columns["speakers"], 0);
        assert_eq!(map.columns["messages"], 1);
        assert!(map.problems.is_empty());
    }

    #[test]
    fn explicit_beats_alias_and_claims_the_header() {
        let h = headers(&["群人数", "成员数"]);
        let map = map_headers(&h, &[cands("members", &["成员数"], &["群人数"])], &[]);
        assert_eq!(map.columns["members"], 1);
        assert_eq!(map.unmapped, vec![0]);
    }

    #[test]
    fn two_headers_for_one_column_is_a_problem() {
        let h = headers(&["群成员数", "群人数"]);
        let map = map_headers(&h, &[cands("members", &[], &["群成员数", "群人数"])], &[]);
        assert_eq!(
            map.problems,
            vec![MappingProblem::TwoHeaders {
                canonical: "members".into(),
                first: 0,
                second: 1
            }]
        );
    }

    #[test]
    fn ignored_headers_are_not_reported_unmapped() {
        let h = headers(&["日期", "群主", "备注"]);
        let map = map_headers(&h, &[cands("date", &[], &["日期"])], &["群主".to_string()]);
        assert_eq!(map.unmapped, vec![2]);
    }
}
