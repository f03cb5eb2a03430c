//! Data globs: the patterns a plan's sources name, matched below `data/` in a sorted order.

use super::*;

/// A source's `path` glob, matched against paths relative to `data/` with `/` separators (`*`
/// stays within one folder).
pub fn data_glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    Ok(GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob `{pattern}`: {e}"))?
        .compile_matcher())
}

/// The files under `data_dir` that match `pattern`, as paths relative to the site root, in
/// sorted order (so concatenation order is stable).
pub fn expand_glob(root: &Path, pattern: &str) -> Result<Vec<PathBuf>, String> {
    if pattern.split(['/', '\\']).any(|part| part == "..") || Path::new(pattern).is_absolute() {
        return Err(format!("path `{pattern}` must stay inside data/"));
    }
    // A plain path (most sources) needs no glob: building one (a regex) for every source of
    // every campaign was a hundredth of a site build.
    let plain = !pattern.contains(['*', '?', '[', ']', '{', '}', '\\']);
    let glob = if plain {
        None
    } else {
        Some(data_glob(pattern)?)
    };
    let data = root.join("data");
    // Walk only below the glob's literal prefix (`exports/` of `exports/群统计_*.csv`), so each
    // source costs what its own folder holds, not the whole data/ tree.
    let literal: Vec<&str> = pattern
        .split('/')
        .take_while(|part| !part.contains(['*', '?', '[', '{']))
        .collect();
    let whole = literal.len() == pattern.split('/').count();
    let base = if whole {
        data.join(pattern)
    } else {
        data.join(literal.join("/"))
    };
    let mut found = Vec::new();
    if whole {
        // `exists` follows links; the sandbox then judges what the path really is.
        if base.exists() {
            found.push(Path::new("data").join(pattern));
        }
        return Ok(found);
    }
    for entry in walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        // Links and special files are listed too: reading refuses them with a reason,
        // where skipping them would lose data without a word.
        if entry.file_type().is_dir() {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(&data) {
            let rel_text = rel.to_string_lossy().replace('\\', "/");
            if glob.as_ref().is_some_and(|g| g.is_match(&rel_text)) {
                found.push(Path::new("data").join(rel));
            }
        }
    }
    Ok(found)
}
