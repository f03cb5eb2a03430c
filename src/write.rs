//! The only writer (docs/architecture.md, docs/security.md): check every internal link and anchor
//! of the rendered site, build it in a temporary sibling directory, then swap it in. A failed build
//! leaves the previous output untouched; nothing is written outside the output directory; only a
//! directory that qunce created (marker file) or an empty one is ever replaced.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

pub use crate::output::Output;
use crate::output::{page_text, unescape_html};

/// The file qunce leaves in every output directory it creates.
pub const MARKER: &str = ".qunce-site";

/// Why a site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A rendered path would leave the output directory.
    #[error("refusing to write `{0}`: the path leaves the output directory")]
    Escapes(String),
    /// Broken internal links or anchors, one line each.
    #[error("{} broken internal link(s):\n{}", .0.len(), .0.join("\n"))]
    BrokenLinks(Vec<String>),
    /// The output directory holds files qunce did not create.
    #[error(
        "refusing to replace `{0}`: it is not empty and has no {MARKER} marker (qunce only replaces folders it created)"
    )]
    NotOurs(PathBuf),
    /// A file-system operation failed.
    #[error("{action} `{path}`: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> WriteError + 'a {
    move |source| WriteError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Checks paths and links, then writes `outputs` to `out_dir` atomically.
pub fn write_site(out_dir: &Path, outputs: &[Output]) -> Result<(), WriteError> {
    use rayon::prelude::*;
    let staging = Staging::begin(out_dir)?;
    outputs.par_iter().try_for_each(|o| staging.put(o))?;
    staging.finish().map(drop)
}

/// A site being written: files go into a temporary sibling of the output directory as they
/// are rendered, each page's links and anchors are noted, and [`Staging::finish`] checks them
/// and swaps the folder in. A build thus never holds the whole site in memory; dropped before
/// it finishes (a template or link error), it leaves the previous site as it was.
pub struct Staging {
    out_dir: PathBuf,
    /// The folder the files are written to, swapped in at the end.
    tmp: PathBuf,
    /// Where the previous site is moved while the new one is swapped in.
    old: PathBuf,
    /// Held while this build writes: a later build leaves our folders alone while we live.
    lock: Option<(std::fs::File, PathBuf)>,
    links: LinkCheck,
    /// Folders made so far, so that each is made once.
    dirs: std::sync::Mutex<BTreeSet<PathBuf>>,
}

impl Staging {
    /// Checks that `out_dir` may be replaced, takes the build's lock and makes the temporary
    /// folder.
    pub fn begin(out_dir: &Path) -> Result<Staging, WriteError> {
        if out_dir.exists() && !replaceable(out_dir)? {
            return Err(WriteError::NotOurs(out_dir.to_path_buf()));
        }
        // Before anything moves: the previous site must be removable once replaced, or the
        // swap would leave half of it behind.
        if out_dir.is_dir() {
            removable(out_dir)?;
        }
        let parent = out_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io("create", parent))?;
        let name = out_dir
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let pid = std::process::id();
        let lock_path = parent.join(format!(".{name}.qunce-lock-{pid}"));
        let lock = create_new_file(&lock_path).map_err(io("create", &lock_path))?;
        lock.lock().map_err(io("lock", &lock_path))?;
        clean_stale(parent, &name, pid);
        let tmp = parent.join(format!(".{name}.qunce-new-{pid}"));
        let staging = Staging {
            out_dir: out_dir.to_path_buf(),
            old: parent.join(format!(".{name}.qunce-old-{pid}")),
            lock: Some((lock, lock_path)),
            links: LinkCheck::default(),
            dirs: std::sync::Mutex::default(),
            tmp,
        };
        let _ = std::fs::remove_dir_all(&staging.tmp);
        std::fs::create_dir_all(&staging.tmp).map_err(io("create", &staging.tmp))?;
        Ok(staging)
    }

    /// Writes one file of the site (from any thread) and notes its links and anchors.
    pub fn put(&self, o: &Output) -> Result<(), WriteError> {
        if !safe_relative(&o.path) {
            return Err(WriteError::Escapes(o.path.clone()));
        }
        let path = self.tmp.join(&o.path);
        if let Some(dir) = path.parent() {
            // Made while the set is held: another thread must not write into a folder that
            // has been claimed but not made yet.
            let mut made = self
                .dirs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !made.contains(dir) {
                std::fs::create_dir_all(dir).map_err(io("create", dir))?;
                made.insert(dir.to_path_buf());
            }
        }
        std::fs::write(&path, &o.bytes).map_err(|source| WriteError::Io {
            action: "write",
            path: path.clone(),
            source,
        })?;
        self.links.add(o);
        Ok(())
    }

    /// Checks every link noted, then swaps the new site in; the number of files written.
    pub fn finish(mut self) -> Result<usize, WriteError> {
        let links = std::mem::take(&mut self.links);
        let files = links.files();
        let broken = links.broken();
        if !broken.is_empty() {
            return Err(WriteError::BrokenLinks(broken));
        }
        std::fs::write(
            self.tmp.join(MARKER),
            "generated by qunce; safe to delete\n",
        )
        .map_err(io("write", &self.tmp))?;
        let had_old = self.out_dir.exists();
        if had_old {
            std::fs::rename(&self.out_dir, &self.old).map_err(io("move aside", &self.out_dir))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.out_dir) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(&self.old, &self.out_dir);
            return Err(io("swap in", &self.out_dir)(e));
        }
        if had_old && let Err(e) = std::fs::remove_dir_all(&self.old) {
            // Checked beforehand, so only a change during the build gets here: the new site is
            // in place, and the failure is reported rather than called success.
            return Err(io("remove the previous site, now at", &self.old)(e));
        }
        Ok(files)
    }
}

impl Drop for Staging {
    /// Whatever happened, the temporary folder (gone after a swap) and the lock go.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.tmp);
        if let Some((lock, path)) = self.lock.take() {
            drop(lock);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Removes the temporary folders of interrupted builds (`kill -9`, power loss): those whose
/// build no longer holds its lock. A running build's folders are never touched.
fn clean_stale(parent: &Path, name: &str, own: u32) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut pids = BTreeSet::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        for kind in ["new", "old", "lock"] {
            if let Some(pid) = file
                .strip_prefix(&format!(".{name}.qunce-{kind}-"))
                .and_then(|p| p.parse::<u32>().ok())
                && pid != own
            {
                pids.insert(pid);
            }
        }
    }
    for pid in pids {
        let lock_path = parent.join(format!(".{name}.qunce-lock-{pid}"));
        // Only a regular file is opened: a FIFO would block the build, and a link is never
        // followed. Anything else under a lock's name is no build's lock.
        let regular = std::fs::symlink_metadata(&lock_path).is_ok_and(|m| m.file_type().is_file());
        let gone = if regular {
            match std::fs::File::open(&lock_path) {
                // Nobody holds the lock: its build has ended.
                Ok(f) => f.try_lock().is_ok(),
                // Gone meanwhile: the folders outlived their build.
                Err(_) => true,
            }
        } else {
            true
        };
        if gone {
            let _ = std::fs::remove_dir_all(parent.join(format!(".{name}.qunce-new-{pid}")));
            let _ = std::fs::remove_dir_all(parent.join(format!(".{name}.qunce-old-{pid}")));
            let _ = std::fs::remove_file(&lock_path);
        }
    }
}

/// A relative path without `..`, root or drive: it cannot leave the output directory.
fn safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Every folder of `dir` accepts a new entry (a probe file made and removed at once), so the
/// whole tree can be deleted after the swap.
fn removable(dir: &Path) -> Result<(), WriteError> {
    let probe_name = format!(".qunce-probe-{}", std::process::id());
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| WriteError::Io {
            action: "read",
            path: dir.to_path_buf(),
            source: e.into(),
        })?;
        if !entry.file_type().is_dir() {
            continue;
        }
        let probe = entry.path().join(&probe_name);
        create_new_file(&probe)
            .and_then(|_| std::fs::remove_file(&probe))
            .map_err(io("remove the previous site: cannot change", entry.path()))?;
    }
    Ok(())
}

/// Creates a new, empty regular file at `path`, never through what is already there: an entry
/// of that name (a link or FIFO planted under a name with our process id) is removed, not
/// followed or opened, and the file is made again with `create_new` (O_EXCL, which does not
/// follow links).
fn create_new_file(path: &Path) -> std::io::Result<std::fs::File> {
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            create()
        }
        other => other,
    }
}

/// Writes `bytes` to `rel` under `root` (`qunce schema --write`): refused when a folder on the
/// way or the file itself is a link, and written through a temporary file renamed over the old
/// one, so nothing outside `root` is ever written.
pub fn replace_file(root: &Path, rel: &Path, bytes: &[u8]) -> Result<(), String> {
    let path = root.join(rel);
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "{} is a link; qunce writes only inside the site and never through a link",
                at.display()
            ));
        }
    }
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    // A temporary file is private (0600); the file it replaces is an ordinary one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(&path)
        .map_err(|e| format!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}

fn replaceable(dir: &Path) -> Result<bool, WriteError> {
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    if !dir.is_dir() {
        return Ok(false);
    }
    let mut entries = std::fs::read_dir(dir).map_err(io("read", dir))?;
    Ok(entries.next().is_none())
}

/// The links and anchors of a site's files, noted file by file (from any thread) as they are
/// made, and checked once all are in: what a page links to is far smaller than the page. Every
/// `href`/`src` that is not external must name a file of the site, and a `#fragment` an `id`
/// on that page.
#[derive(Default)]
pub struct LinkCheck {
    files: std::sync::Mutex<Vec<Linked>>,
}

/// What the link check needs of one file: its path and, for a page, its ids and links.
struct Linked {
    path: String,
    /// Every `id`.
    ids: SortedTexts,
    /// Every `href` and `src`, each once.
    links: SortedTexts,
}

/// Distinct texts, sorted, in one buffer: a page's ids or links in two allocations, where a
/// set of strings took one for every text and every node, and the notes of a 10,000-campaign
/// site were kept in hundreds of megabytes until the check.
#[derive(Default)]
struct SortedTexts {
    text: String,
    /// Where each text lies in `text`, in order.
    spans: Vec<(usize, usize)>,
}

impl SortedTexts {
    fn new(mut texts: Vec<std::borrow::Cow<'_, str>>) -> Self {
        texts.sort_unstable();
        texts.dedup();
        let mut sorted = SortedTexts {
            text: String::with_capacity(texts.iter().map(|t| t.len()).sum()),
            spans: Vec::with_capacity(texts.len()),
        };
        for t in &texts {
            let start = sorted.text.len();
            sorted.text.push_str(t);
            sorted.spans.push((start, sorted.text.len()));
        }
        sorted
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|&(from, to)| &self.text[from..to])
    }

    fn contains(&self, wanted: &str) -> bool {
        self.spans
            .binary_search_by(|&(from, to)| self.text[from..to].cmp(wanted))
            .is_ok()
    }
}

impl LinkCheck {
    /// Notes `o`'s path and, for a page, its anchors and links. Pages are read without their
    /// inline charts: a chart has no link, and its markup is most of a report's bytes.
    pub fn add(&self, o: &Output) {
        let linked = if o.path.ends_with(".html") {
            let text = page_text(&o.bytes);
            Linked {
                path: o.path.clone(),
                ids: SortedTexts::new(attribute_values(&text, "id")),
                links: SortedTexts::new(
                    ["href", "src"]
                        .into_iter()
                        .flat_map(|attr| attribute_values(&text, attr))
                        .collect(),
                ),
            }
        } else {
            Linked {
                path: o.path.clone(),
                ids: SortedTexts::default(),
                links: SortedTexts::default(),
            }
        };
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(linked);
    }

    /// How many files were noted.
    fn files(&self) -> usize {
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// One line per broken link, sorted.
    pub fn broken(self) -> Vec<String> {
        use rayon::prelude::*;
        let files = self
            .files
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let ids: BTreeMap<&str, &SortedTexts> = files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .map(|f| (f.path.as_str(), &f.ids))
            .collect();
        let mut broken: Vec<String> = files
            .par_iter()
            .flat_map_iter(|f| page_links(&f.path, &f.links, &paths, &ids))
            .collect();
        broken.sort();
        broken.dedup();
        broken
    }
}

/// The stretches of `html` outside inline `<svg>…</svg>` elements, in order. Each starts and
/// ends at a tag boundary, so no attribute is split between two of them.
pub(crate) fn outside_svg(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(html);
    std::iter::from_fn(move || {
        let text = rest?;
        // memchr's searchers: a chart's markup is most of a page, and `str::find` read it
        // more slowly than anything else in the link check.
        match memchr::memmem::find(text.as_bytes(), b"<svg") {
            Some(start) => {
                rest = memchr::memmem::find(&text.as_bytes()[start..], b"</svg>")
                    .map(|end| &text[start + end + "</svg>".len()..]);
                Some(&text[..start])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// The broken links of one page.
fn page_links(
    path: &str,
    links: &SortedTexts,
    files: &BTreeSet<&str>,
    ids: &BTreeMap<&str, &SortedTexts>,
) -> Vec<String> {
    let mut broken = Vec::new();
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    for link in links.iter() {
        if link.starts_with("http:")
            || link.starts_with("https:")
            || link.starts_with("mailto:")
            || link.starts_with("//")
            || link.starts_with("data:")
        {
            continue;
        }
        let (target, fragment) = match link.split_once('#') {
            Some((t, f)) => (t, Some(f)),
            None => (link, None),
        };
        let target = target.split('?').next().unwrap_or("");
        let resolved = if target.is_empty() {
            Some(path.to_string())
        } else {
            resolve(dir, target)
        };
        let Some(resolved) = resolved else {
            broken.push(format!("{path}: `{link}` leaves the site"));
            continue;
        };
        let file = if resolved.is_empty() || resolved.ends_with('/') {
            format!("{resolved}index.html")
        } else {
            resolved
        };
        if !files.contains(file.as_str()) {
            broken.push(format!("{path}: `{link}` points at a missing page"));
            continue;
        }
        if let Some(f) = fragment.filter(|f| !f.is_empty())
            && ids
                .get(file.as_str())
                .is_some_and(|set| !set.contains(&percent_decode(&unescape_html(f))))
        {
            broken.push(format!("{path}: `{link}` points at a missing anchor"));
        }
    }
    broken
}

fn resolve(dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    let trailing = target.ends_with('/');
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Values of `attr="…"` in HTML text (qunce's own output always double-quotes attributes),
/// decoded; a value without an entity is not copied. Inline charts are skipped: they hold no
/// link or anchor, and most of a report's bytes.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<std::borrow::Cow<'a, str>> {
    let needle = format!(" {attr}=\"");
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut out = Vec::new();
    for part in outside_svg(html) {
        let mut rest = part;
        while let Some(i) = finder.find(rest.as_bytes()) {
            rest = &rest[i + needle.len()..];
            if let Some(end) = memchr::memchr(b'"', rest.as_bytes()) {
                let value = &rest[..end];
                out.push(if value.contains('&') {
                    std::borrow::Cow::Owned(unescape_html(value))
                } else {
                    std::borrow::Cow::Borrowed(value)
                });
                rest = &rest[end..];
            }
        }
    }
    out
}

/// `%E9%80%89` → `选`: fragments are compared with ids the way browsers do.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The broken links of `site`, checked as a build checks them.
    fn check_links(site: &[Output]) -> Vec<String> {
        let check = LinkCheck::default();
        site.iter().for_each(|o| check.add(o));
        check.broken()
    }

    fn page(path: &str, html: &str) -> Output {
        Output {
            path: path.into(),
            bytes: html.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn sorted_texts_hold_each_text_once_and_find_exactly_those() {
        let texts = ["b", "a", "", "ab", "b", "中文", "a"];
        let sorted = SortedTexts::new(texts.iter().map(|t| (*t).into()).collect());
        assert_eq!(
            sorted.iter().collect::<Vec<_>>(),
            ["", "a", "ab", "b", "中文"]
        );
        for t in texts {
            assert!(sorted.contains(t), "{t:?}");
        }
        for t in ["c", "aa", "中", " a", "b "] {
            assert!(!sorted.contains(t), "{t:?}");
        }
        let none = SortedTexts::default();
        assert!(!none.contains("") && none.iter().next().is_none());
    }

    #[test]
    fn links_and_anchors_are_checked() {
        let site = [
            page(
                "index.html",
                r##"<a href="a/index.html#top">a</a> <a href="a/">dir</a> <a href="https://x.y">ext</a>"##,
            ),
            page(
                "a/index.html",
                r##"<h1 id="top">A</h1><a href="../index.html">up</a><a href="../b.html">b</a><a href="#nope">x</a><a href="../../x">out</a>"##,
            ),
        ];
        assert_eq!(
            check_links(&site),
            vec![
                "a/index.html: `#nope` points at a missing anchor".to_string(),
                "a/index.html: `../../x` leaves the site".to_string(),
                "a/index.html: `../b.html` points at a missing page".to_string(),
            ]
        );
    }

    #[test]
    fn charts_are_skipped_and_the_page_after_them_is_checked() {
        let site = [page(
            "a.html",
            concat!(
                r##"<p id="top">x</p><svg><a href="nowhere.html">n</a><g id="inside"></g></svg>"##,
                r##"<a href="#top">t</a><a href="#inside">i</a><svg></svg><a href="gone.html">g</a>"##,
            ),
        )];
        assert_eq!(
            check_links(&site),
            vec![
                "a.html: `#inside` points at a missing anchor".to_string(),
                "a.html: `gone.html` points at a missing page".to_string(),
            ]
        );
    }

    #[test]
    fn percent_encoded_fragments_match_ids() {
        let site = [page(
            "a.html",
            r##"<h2 id="步骤">x</h2><a href="#%E6%AD%A5%E9%AA%A4">y</a>"##,
        )];
        assert!(check_links(&site).is_empty());
        assert_eq!(percent_decode("%E6%AD%A5%E9%AA%A4"), "步骤");
        assert_eq!(percent_decode("100%"), "100%");
        // A `%` before a multi-byte character is kept (the hand-written decoder sliced into it).
        assert_eq!(percent_decode("%中"), "%中");
    }

    #[test]
    fn paths_that_escape_are_refused() {
        assert!(safe_relative("campaigns/x/index.html"));
        assert!(!safe_relative("../x.html"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("a/../../b"));
        let dir = tempfile::tempdir().unwrap();
        let err = write_site(&dir.path().join("public"), &[page("../evil.html", "")]).unwrap_err();
        assert!(matches!(err, WriteError::Escapes(_)));
        assert!(!dir.path().join("evil.html").exists());
    }

    #[test]
    fn replaces_only_its_own_or_empty_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "v1")]).unwrap();
        write_site(&out, &[page("index.html", "v2")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v2"
        );
        let foreign = dir.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(matches!(
            write_site(&foreign, &[page("index.html", "x")]),
            Err(WriteError::NotOurs(_))
        ));
        assert_eq!(
            std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );
        // No temporary folders are left behind.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn broken_links_leave_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "v1")]).unwrap();
        let err =
            write_site(&out, &[page("index.html", r#"<a href="gone.html">x</a>"#)]).unwrap_err();
        assert!(matches!(err, WriteError::BrokenLinks(_)));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v1"
        );
    }

    /// The names in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_staged_build_that_stops_leaves_the_previous_site_and_no_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "v1")]).unwrap();
        // Files written, then the build stops (a template error, say) before finishing.
        let staging = Staging::begin(&out).unwrap();
        staging.put(&page("index.html", "v2")).unwrap();
        staging.put(&page("campaigns/a/index.html", "a")).unwrap();
        assert!(names_in(dir.path()).len() > 1);
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v1"
        );
        assert!(!out.join("campaigns").exists());
        assert_eq!(names_in(dir.path()), ["public"]);
    }

    #[test]
    fn a_staged_build_checks_links_across_files_put_from_many_threads() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "v1")]).unwrap();
        // Seven pages in a ring, each linking to the next one's anchor: the last one's link
        // (to `t7` on the first page) points at an anchor that is not there.
        let pages: Vec<Output> = (0..7)
            .map(|i| {
                page(
                    &format!("p/{i}/index.html"),
                    &format!(
                        r##"<h1 id="t{i}">x</h1><a href="../{}/index.html#t{}">n</a>"##,
                        (i + 1) % 7,
                        i + 1
                    ),
                )
            })
            .collect();
        let staging = Staging::begin(&out).unwrap();
        pages.par_iter().try_for_each(|p| staging.put(p)).unwrap();
        let err = staging.finish().unwrap_err();
        let WriteError::BrokenLinks(broken) = err else {
            panic!("{err}");
        };
        // p/6 links to p/0's anchor t7, which p/0 (with t0) does not have.
        assert_eq!(
            broken,
            ["p/6/index.html: `../0/index.html#t7` points at a missing anchor"]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v1"
        );
        assert_eq!(names_in(dir.path()), ["public"]);

        // With the anchor there, the new site is swapped in whole.
        let mut fixed = pages.clone();
        fixed[0] = page(
            "p/0/index.html",
            r##"<h1 id="t0">x</h1><i id="t7"></i><a href="../1/index.html#t1">n</a>"##,
        );
        let staging = Staging::begin(&out).unwrap();
        fixed.par_iter().try_for_each(|p| staging.put(p)).unwrap();
        assert_eq!(staging.finish().unwrap(), 7);
        assert!(!out.join("index.html").exists());
        assert_eq!(
            names_in(&out.join("p")),
            ["0", "1", "2", "3", "4", "5", "6"]
        );
        assert!(out.join(MARKER).is_file());
        assert_eq!(names_in(dir.path()), ["public"]);
    }

    #[test]
    fn files_put_from_many_threads_into_new_folders_all_land() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // Many files to a folder, the folders made by whichever thread comes first.
        let files: Vec<Output> = (0..2000)
            .map(|i| page(&format!("d{}/e{}/f{i}.txt", i % 50, i % 7), "x"))
            .collect();
        let staging = Staging::begin(&out).unwrap();
        files.par_iter().try_for_each(|f| staging.put(f)).unwrap();
        assert_eq!(staging.finish().unwrap(), 2000);
        assert!(files.iter().all(|f| out.join(&f.path).is_file()));
    }

    #[test]
    fn a_staged_path_that_escapes_is_refused_before_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site").join("public");
        let staging = Staging::begin(&out).unwrap();
        let err = staging.put(&page("../../evil.html", "x")).unwrap_err();
        assert!(matches!(err, WriteError::Escapes(_)));
        drop(staging);
        assert!(!dir.path().join("evil.html").exists());
        assert_eq!(names_in(&dir.path().join("site")), Vec::<String>::new());
    }
}
