//! The site root is a sandbox (docs/security.md): every file qunce reads is resolved — symlinks
//! included — and must lie inside the root, or inside a folder the site trusts
//! (`site.yaml` `trusted_paths`); only regular files are read (never a FIFO, a device or a
//! socket, which could hang or never end), and each under a size cap (`limits.max_file_mb`,
//! 1 GiB by default). A refusal is an input error naming the file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// What a site allows beyond its own root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Canonical folders outside the root whose files may be read.
    pub trusted: Vec<PathBuf>,
    /// The largest file read, in bytes.
    pub max_bytes: u64,
}

/// 1 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

impl Default for Policy {
    fn default() -> Self {
        Policy {
            trusted: Vec::new(),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Each site's policy and canonical root, by the root as the build names it; set once the
/// site's `site.yaml` is read (every build does), so a read does not resolve the root again
/// (a `readlink` per folder of its path). Reads before that (site.yaml itself) resolve the
/// root and use the default policy.
static SITES: RwLock<BTreeMap<PathBuf, SiteSandbox>> = RwLock::new(BTreeMap::new());

#[derive(Debug, Clone)]
struct SiteSandbox {
    canonical_root: PathBuf,
    policy: Policy,
}

/// Records the policy of the site at `root`.
pub fn set_policy(root: &Path, policy: Policy) {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if let Ok(mut map) = SITES.write() {
        map.insert(
            root.to_path_buf(),
            SiteSandbox {
                canonical_root,
                policy,
            },
        );
    }
}

/// The site's canonical root and policy: as recorded, or resolved now with the default policy.
fn sandbox(root: &Path) -> std::io::Result<SiteSandbox> {
    if let Some(site) = SITES.read().ok().and_then(|m| m.get(root).cloned()) {
        return Ok(site);
    }
    Ok(SiteSandbox {
        canonical_root: root.canonicalize()?,
        policy: Policy::default(),
    })
}

/// The largest file the site at `root` reads, in bytes (`limits.max_file_mb`).
pub fn max_bytes(root: &Path) -> u64 {
    SITES
        .read()
        .ok()
        .and_then(|m| m.get(root).map(|s| s.policy.max_bytes))
        .unwrap_or(DEFAULT_MAX_BYTES)
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Refusal {
    /// One sentence.
    pub message: String,
    /// What to do.
    pub help: String,
    /// The line the problem is on, when it is inside the file (invalid UTF-8).
    pub line: Option<usize>,
}

/// Resolves `rel` under `root` and checks it against the site's policy: the absolute path to
/// read and its size.
pub fn check(root: &Path, rel: &Path) -> Result<(PathBuf, u64), Refusal> {
    let shown = rel.display().to_string().replace('\\', "/");
    let SiteSandbox {
        canonical_root,
        policy,
    } = sandbox(root).map_err(|e| Refusal {
        message: format!("cannot open the site folder: {e}"),
        help: "check --root".into(),
        ..Default::default()
    })?;
    let abs = root.join(rel);
    let real = abs.canonicalize().map_err(|e| Refusal {
        message: format!("cannot read `{shown}`: {e}"),
        help: "check the path and the file's permissions".into(),
        ..Default::default()
    })?;
    let inside =
        real.starts_with(&canonical_root) || policy.trusted.iter().any(|t| real.starts_with(t));
    if !inside {
        return Err(Refusal {
            message: format!(
                "`{shown}` leads outside the site (to `{}`); qunce reads only files inside the site folder",
                real.display()
            ),
            help: "copy the file into the site, or list its folder under `trusted_paths:` in content/site.yaml".into(),
            ..Default::default()
        });
    }
    let meta = std::fs::metadata(&real).map_err(|e| Refusal {
        message: format!("cannot read `{shown}`: {e}"),
        help: "check the file's permissions".into(),
        ..Default::default()
    })?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a pipe, device or socket)"
        };
        return Err(Refusal {
            message: format!("`{shown}` is {what}; only regular files are read"),
            help: "point the path at a regular file".into(),
            ..Default::default()
        });
    }
    if meta.len() > policy.max_bytes {
        return Err(Refusal {
            message: format!(
                "`{shown}` is {} MB, over the {} MB limit for one file",
                meta.len() >> 20,
                policy.max_bytes >> 20
            ),
            help: "raise `limits: {max_file_mb: N}` in content/site.yaml if the file is right"
                .into(),
            ..Default::default()
        });
    }
    Ok((real, meta.len()))
}

/// Opens a checked file; at most the checked size is ever read from it.
pub fn open(root: &Path, rel: &Path) -> Result<std::io::Take<File>, Refusal> {
    let (real, len) = check(root, rel)?;
    File::open(&real)
        .map(|f| f.take(len.saturating_add(1)))
        .map_err(|e| Refusal {
            message: format!("cannot read `{}`: {e}", rel.display()),
            help: "check the file's permissions".into(),
            ..Default::default()
        })
}

/// Reads a checked file.
pub fn read(root: &Path, rel: &Path) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::new();
    open(root, rel)?
        .read_to_end(&mut bytes)
        .map_err(|e| Refusal {
            message: format!("cannot read `{}`: {e}", rel.display()),
            help: "check the file's permissions".into(),
            ..Default::default()
        })?;
    Ok(bytes)
}

/// Reads a checked text file.
pub fn read_to_string(root: &Path, rel: &Path) -> Result<String, Refusal> {
    String::from_utf8(read(root, rel)?).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
        Refusal {
            message: format!("`{}` is not valid UTF-8", rel.display()),
            help: "save the file as UTF-8".into(),
            line: Some(line),
        }
    })
}

impl Refusal {
    /// As an input error on `rel`.
    pub fn diagnostic(self, code: &'static str, rel: &Path) -> crate::diag::Diagnostic {
        let d = crate::diag::Diagnostic::error(code, rel, self.message).help(self.help);
        match self.line {
            Some(line) => d.at_line(line),
            None => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_fifos_and_oversized_files_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/ok.md"), "fine").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            root.join("content/link.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(root.join("content/ok.md"), root.join("content/inner.md"))
            .unwrap();
        let fifo = root.join("content/fifo.md");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );

        assert_eq!(
            read_to_string(root, Path::new("content/ok.md")).unwrap(),
            "fine"
        );
        // A link that stays inside the site is fine.
        assert_eq!(
            read_to_string(root, Path::new("content/inner.md")).unwrap(),
            "fine"
        );
        let out = read_to_string(root, Path::new("content/link.md")).unwrap_err();
        assert!(out.message.contains("leads outside the site"), "{out:?}");
        let pipe = read_to_string(root, Path::new("content/fifo.md")).unwrap_err();
        assert!(pipe.message.contains("not a regular file"), "{pipe:?}");

        // Trusting the outside folder lets the link through; a cap refuses big files.
        set_policy(
            root,
            Policy {
                trusted: vec![outside.path().canonicalize().unwrap()],
                max_bytes: 5,
            },
        );
        let big = read_to_string(root, Path::new("content/link.md")).unwrap_err();
        assert!(big.message.contains("over the 0 MB limit"), "{big:?}");
        set_policy(
            root,
            Policy {
                trusted: vec![outside.path().canonicalize().unwrap()],
                max_bytes: DEFAULT_MAX_BYTES,
            },
        );
        assert_eq!(
            read_to_string(root, Path::new("content/link.md")).unwrap(),
            "top secret"
        );
    }
}
