//! Member-level files name people. Two guards keep them out of everything qunce writes or
//! prints (docs/members.md#privacy):
//!
//! - a header that names a person (姓名, 客户名称, 昵称, 备注, 手机, 电话, 微信号, name, nickname,
//!   phone, email, remark …) is refused unless the source lists it in `pseudonymize:`, and a
//!   listed one may only be the member id;
//! - every member id is kept only as a keyed hash ([`Pseudonymizer`]), a type that cannot be
//!   printed, so what leaves the loader is counts.

use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::model::members::MemberId;

/// The environment variable that holds the pseudonym key.
pub const KEY_VARIABLE: &str = "QUNCE_PSEUDONYM_KEY";
/// The key file, relative to the site root (git-ignored by `qunce new site`).
pub const KEY_FILE: &str = ".qunce/pseudonym.key";

/// Words of a header that names a person, compared on the header without spaces, case folded.
/// Chinese words are matched anywhere in the header (`客户昵称`, `联系电话`); English words as
/// whole words (`Full name`, `email_address`), except `name` after a word that makes it name a
/// thing (`group name`, `tier_name`).
const CHINESE: &[&str] = &[
    "姓名",
    "名字",
    "客户名称",
    "客户名",
    "昵称",
    "备注",
    "手机",
    "电话",
    "微信号",
    "微信名",
    "邮箱",
    "用户名",
];
const ENGLISH: &[&str] = &[
    "name",
    "names",
    "nickname",
    "nick",
    "phone",
    "mobile",
    "telephone",
    "tel",
    "email",
    "mail",
    "remark",
    "remarks",
    "wechat",
    "wxid",
];
const THINGS: &[&str] = &[
    "group", "tier", "level", "campaign", "channel", "source", "tag", "activity", "event",
    "company", "product", "list", "file", "sheet", "carrier", "stage",
];

/// Whether `header` names a person.
pub fn names_a_person(header: &str) -> bool {
    let folded = super::header::normalize(header).key;
    if CHINESE.iter().any(|w| folded.contains(w)) {
        return true;
    }
    let lower = header.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        ENGLISH.contains(w)
            && !(matches!(*w, "name" | "names") && i > 0 && THINGS.contains(&words[i - 1]))
    })
}

/// A header of a member-level file that may not be read as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Headers naming a person that `pseudonymize` does not list.
    Unlisted(Vec<String>),
    /// A listed header mapped to a column other than the member id: (header, column).
    NotTheId(String, String),
}

impl Refused {
    /// The error for the file `rel` of source `source` (`members`, `activities`).
    pub fn into_diagnostic(self, rel: &Path, source: &str) -> crate::diag::Diagnostic {
        use crate::diag::Diagnostic;
        match self {
            Refused::Unlisted(headers) => {
                let shown: Vec<String> = headers.iter().map(|h| format!("`{h}`")).collect();
                Diagnostic::error(
                    "personal-column",
                    rel,
                    format!(
                        "{} name(s) a person: the {source} file is read only with names kept out",
                        shown.join(", ")
                    ),
                )
                .found(shown.join(", "))
                .expected("no column that names a person, or the column listed in `pseudonymize`")
                .help(format!(
                    "add `pseudonymize: [{}]` to `data.{source}`: a listed column is never read, unless it is the member id, which is kept only as a keyed hash and never shown",
                    headers.join(", ")
                ))
            }
            Refused::NotTheId(header, column) => Diagnostic::error(
                "personal-column",
                rel,
                format!("`{header}` names a person and is mapped to `{column}`"),
            )
            .found(format!("`{column}: {header}`"))
            .expected("a column that names a person only as `member_id`")
            .help("map another header to that column; a name is only ever used as the member id, hashed"),
        }
    }
}

/// What is wrong with a member-level file's `headers`, given the headers the plan `accepted`
/// (`pseudonymize`) and how the headers were `mapped` (canonical → index).
pub fn refused_headers(
    headers: &[String],
    accepted: &[String],
    mapped: &std::collections::BTreeMap<String, usize>,
) -> Vec<Refused> {
    let key = |h: &str| super::header::normalize(h).key;
    let accepted: Vec<String> = accepted.iter().map(|h| key(h)).collect();
    let unlisted: Vec<String> = headers
        .iter()
        .filter(|h| names_a_person(h) && !accepted.contains(&key(h)))
        .map(|h| h.trim().to_string())
        .collect();
    let mut out = Vec::new();
    if !unlisted.is_empty() {
        out.push(Refused::Unlisted(unlisted));
    }
    for (column, &i) in mapped {
        if column != "member_id" && names_a_person(&headers[i]) {
            out.push(Refused::NotTheId(
                headers[i].trim().to_string(),
                column.clone(),
            ));
        }
    }
    out
}

/// Where the key came from: said in diagnostics, never the key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `QUNCE_PSEUDONYM_KEY`.
    Environment,
    /// `.qunce/pseudonym.key`.
    File,
    /// Neither is set: a key drawn for this build alone. Nothing keeps a hash, so a build needs
    /// no key that outlives it; the members and activities files of one build share it.
    ThisBuild,
}

/// Turns the ids of an export into [`MemberId`]s with a keyed hash (HMAC-SHA-256, 128 bits
/// kept): the same id gives the same member in the members and the activities file of a build,
/// and nobody without the key can tell which id a hash stands for.
#[derive(Clone)]
pub struct Pseudonymizer {
    mac: Hmac<Sha256>,
    /// Where the key came from.
    pub source: KeySource,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pseudonymizer({:?})", self.source)
    }
}

impl Pseudonymizer {
    /// The site's key: `QUNCE_PSEUDONYM_KEY`, else `.qunce/pseudonym.key` under `root`, else
    /// one for this build. An empty or unreadable key file is an error (a team that keeps one
    /// means to use it).
    pub fn for_site(root: &Path) -> Result<Self, String> {
        Self::from(root, std::env::var_os(KEY_VARIABLE))
    }

    /// [`Pseudonymizer::for_site`] with the variable's value given.
    fn from(root: &Path, variable: Option<std::ffi::OsString>) -> Result<Self, String> {
        if let Some(key) = variable.filter(|k| !k.is_empty()) {
            return Ok(Self::with_key(
                key.as_encoded_bytes(),
                KeySource::Environment,
            ));
        }
        let rel = Path::new(KEY_FILE);
        if std::fs::symlink_metadata(root.join(rel))
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            return Ok(Self::with_key(&build_key(), KeySource::ThisBuild));
        }
        // Read as every input is: a regular file inside the site, of a bounded size (a link to
        // a device or out of the site is refused, never followed).
        match crate::load::sandbox::read(root, rel) {
            Ok(bytes) if bytes.trim_ascii().is_empty() => {
                Err(format!("the pseudonym key file `{KEY_FILE}` is empty"))
            }
            Ok(bytes) => Ok(Self::with_key(bytes.trim_ascii(), KeySource::File)),
            Err(refusal) => Err(format!(
                "the pseudonym key file cannot be used: {}",
                refusal.message
            )),
        }
    }

    /// A pseudonymizer with `key`.
    pub fn with_key(key: &[u8], source: KeySource) -> Self {
        Pseudonymizer {
            mac: <Hmac<Sha256> as Mac>::new_from_slice(key)
                .expect("HMAC takes a key of any length"),
            source,
        }
    }

    /// The member an export's id names; the id is trimmed, nothing else (ids are exact).
    pub fn member(&self, id: &str) -> MemberId {
        let mut mac = self.mac.clone();
        mac.update(id.trim().as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        MemberId::from_hash(bytes)
    }
}

/// 32 bytes no earlier build or other process could know: the standard library's per-process
/// random hash keys, spent on four counters.
fn build_key() -> [u8; 32] {
    use std::hash::{BuildHasher, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    let mut key = [0u8; 32];
    for (i, chunk) in key.chunks_mut(8).enumerate() {
        let mut h = state.build_hasher();
        h.write_usize(i);
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_that_name_a_person_are_recognised() {
        for h in [
            "姓名",
            "客户名称",
            "客户昵称",
            "昵称",
            "备注名",
            "备注",
            "手机号",
            "联系电话",
            "微信号",
            "name",
            "Full Name",
            "nickname",
            "Phone number",
            "email",
            "E-mail",
            "remark",
            "first_name",
            "Display name",
        ] {
            assert!(names_a_person(h), "{h}");
        }
        for h in [
            "客户编号",
            "添加时间",
            "标签",
            "入群时间",
            "member_id",
            "Group name",
            "tier_name",
            "channel name",
            "joined_on",
            "orders",
            "来源",
            "level",
        ] {
            assert!(!names_a_person(h), "{h}");
        }
    }

    #[test]
    fn the_same_id_is_the_same_member_and_the_key_changes_every_hash() {
        let a = Pseudonymizer::with_key(b"key one", KeySource::File);
        let b = Pseudonymizer::with_key(b"key two", KeySource::File);
        assert_eq!(a.member("wm_001"), a.member(" wm_001 "));
        assert_ne!(a.member("wm_001"), a.member("wm_002"));
        assert_ne!(a.member("wm_001"), b.member("wm_001"));
        // Nothing of the id or the hash is printed.
        assert_eq!(format!("{:?}", a.member("wm_001")), "MemberId(…)");
    }

    #[test]
    fn a_build_without_a_key_draws_one_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let p = Pseudonymizer::from(dir.path(), None).unwrap();
        assert_eq!(p.source, KeySource::ThisBuild);
        std::fs::create_dir_all(dir.path().join(".qunce")).unwrap();
        std::fs::write(dir.path().join(KEY_FILE), "  \n").unwrap();
        assert!(Pseudonymizer::from(dir.path(), None).is_err());
        std::fs::write(dir.path().join(KEY_FILE), "secret\n").unwrap();
        let p = Pseudonymizer::from(dir.path(), None).unwrap();
        assert_eq!(p.source, KeySource::File);
        let q = Pseudonymizer::with_key(b"secret", KeySource::File);
        assert_eq!(p.member("x"), q.member("x"));
        // A link to a device is refused, not read forever.
        #[cfg(unix)]
        {
            std::fs::remove_file(dir.path().join(KEY_FILE)).unwrap();
            std::os::unix::fs::symlink("/dev/zero", dir.path().join(KEY_FILE)).unwrap();
            assert!(Pseudonymizer::from(dir.path(), None).is_err());
        }
        // The variable comes first.
        let e = Pseudonymizer::from(dir.path(), Some("other".into())).unwrap();
        assert_eq!(e.source, KeySource::Environment);
        assert_ne!(e.member("x"), q.member("x"));
    }
}
