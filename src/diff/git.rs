//! A revision of the site read from the repository's objects with the `git` command — never
//! by checking anything out over the user's work tree. Only `content/`, `data/` and `themes/`
//! are exported, into a folder the caller owns.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err
            .lines()
            .next()
            .unwrap_or("git failed")
            .trim()
            .to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
}

/// The commit `rev` names, checked before anything is read.
pub fn resolve(root: &Path, rev: &str) -> Result<String, String> {
    if git(root, &["rev-parse", "--show-toplevel"]).is_err() {
        return Err(format!(
            "`{}` is not inside a git repository; qunce diff compares revisions of a site kept in git",
            root.display()
        ));
    }
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| format!("`{rev}` is not a revision of this repository"))
}

/// The largest blob a revision may hold: the work tree's `limits.max_file_mb` (the cap every
/// read has), 1 GiB when it sets none.
pub fn max_blob_bytes(root: &Path) -> u64 {
    #[derive(serde::Deserialize)]
    struct Limits {
        #[serde(default)]
        limits: Option<crate::model::site::Limits>,
    }
    crate::load::sandbox::read_to_string(root, Path::new("content/site.yaml"))
        .ok()
        .and_then(|text| serde_yaml::from_str::<Limits>(&text).ok())
        .and_then(|l| l.limits)
        .map_or(crate::load::sandbox::DEFAULT_MAX_BYTES, |l| {
            l.max_file_mb.saturating_mul(1 << 20)
        })
}

/// Writes the site's `content/`, `data/` and `themes/` as of `commit` under `dest`, each blob
/// streamed to its file (never held whole); a blob over `max_bytes` stops the export.
pub fn export(root: &Path, commit: &str, dest: &Path, max_bytes: u64) -> Result<(), String> {
    let prefix = git(root, &["rev-parse", "--show-prefix"])?;
    let listing = git(root, &["ls-tree", "-r", "-z", "--full-tree", commit])?;
    let mut blobs: Vec<(String, PathBuf)> = Vec::new();
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (mode, kind, sha) = (meta.next(), meta.next(), meta.next());
        // Regular files only: symlinks (120000) and submodules are not part of a site.
        if kind != Some("blob") || !matches!(mode, Some("100644" | "100755")) {
            continue;
        }
        let Some(rel) = path.strip_prefix(prefix.as_str()) else {
            continue;
        };
        let top = rel.split('/').next().unwrap_or("");
        if !["content", "data", "themes"].contains(&top) || rel.split('/').any(|p| p == "..") {
            continue;
        }
        blobs.push((sha.unwrap_or_default().to_string(), dest.join(rel)));
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file has no stdin")?;
    let request: String = blobs.iter().map(|(sha, _)| format!("{sha}\n")).collect();
    // Feed the request from another thread so a full pipe can never deadlock.
    let feeder = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().ok_or("git cat-file has no stdout")?);
    let result = (|| {
        for (_, path) in &blobs {
            let mut header = String::new();
            reader.read_line(&mut header).map_err(|e| e.to_string())?;
            let size: u64 = header
                .split(' ')
                .nth(2)
                .and_then(|s| s.trim().parse().ok())
                .ok_or_else(|| format!("unexpected git output `{}`", header.trim()))?;
            let rel = path.strip_prefix(dest).unwrap_or(path);
            if size > max_bytes {
                return Err(format!(
                    "`{}` at {commit} is {} MB, over the {} MB limit for one file (limits.max_file_mb)",
                    rel.display(),
                    size.div_ceil(1 << 20),
                    max_bytes >> 20
                ));
            }
            // Written only while the run is not being stopped (its folder then goes whole).
            let _writing = super::scratch::writing().ok_or("stopped")?;
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            let mut file = std::fs::File::create(path).map_err(|e| e.to_string())?;
            let copied = std::io::copy(&mut (&mut reader).take(size), &mut file)
                .map_err(|e| e.to_string())?;
            if copied != size {
                return Err(format!("git ended inside `{}`", rel.display()));
            }
            // Each object ends with a line feed.
            let mut end = [0u8; 1];
            reader.read_exact(&mut end).map_err(|e| e.to_string())?;
        }
        Ok(())
    })();
    // Stopping early: git is not left writing into a pipe nobody reads.
    if result.is_err() {
        let _ = child.kill();
    }
    let _ = feeder.join();
    let _ = child.wait();
    result
}
