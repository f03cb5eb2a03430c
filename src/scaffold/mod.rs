//! `qunce new site | campaign | playbook`: starting files that check clean and build, each key
//! commented in the site's language. Scaffolds are not build output, so a campaign's default
//! start may come from the clock; everything else is fixed text. Nothing is ever overwritten:
//! every target path is checked before the first file is written.

use std::path::{Path, PathBuf};

use crate::model::site::Language;
use crate::model::values::Date;

/// A file to create, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

fn file(path: impl Into<PathBuf>, text: impl Into<String>) -> NewFile {
    NewFile {
        path: path.into(),
        text: text.into(),
    }
}

/// A new site: `content/site.yaml`, the plan schema for editors, empty `data/` and
/// `content/playbooks/`, a `.gitignore` for `public/` and a short README.
pub fn site(title: &str, language: Language) -> Vec<NewFile> {
    // The title is written as a double-quoted YAML string (JSON's escapes are YAML's): a colon,
    // a `#` or a line end in it stays in the title and never becomes a key of its own.
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    let heading = title.replace(['\r', '\n'], " ");
    let (lang, readme) = match language {
        Language::ZhCn => (
            "zh-CN",
            format!(
                "# {heading}\n\n用 qunce 维护的社群运营站点。\n\n```sh\nqunce new campaign <活动id>   # 新建一个活动计划\nqunce check                  # 检查计划与数据\nqunce build                  # 生成网站到 public/\nqunce serve                  # 本地预览\n```\n"
            ),
        ),
        Language::En => (
            "en",
            format!(
                "# {heading}\n\nA community-operations site kept with qunce.\n\n```sh\nqunce new campaign <id>   # a new campaign plan\nqunce check               # check plans and data\nqunce build               # write the site to public/\nqunce serve               # preview locally\n```\n"
            ),
        ),
    };
    let site_yaml = match language {
        Language::ZhCn => format!(
            "# 站点设置\ntitle: {quoted}        # 导航栏里显示的站点名\nlanguage: {lang}      # 页面语言：zh-CN | en\n# public: true        # 允许搜索引擎收录；默认每页都请搜索引擎不要收录（内部报告）\n"
        ),
        Language::En => format!(
            "# Site settings\ntitle: {quoted}        # the site name in the navigation bar\nlanguage: {lang}      # page language: zh-CN | en\n# public: true        # let search engines index it; by default every page asks them not to (internal reports)\n"
        ),
    };
    vec![
        file("content/site.yaml", site_yaml),
        file("content/playbooks/.gitkeep", ""),
        file("data/.gitkeep", ""),
        file(crate::schema::PATH, crate::schema::plan_schema_text()),
        // The pseudonym key (docs/members.md#privacy) stays on the machine that builds.
        file(".gitignore", "/public\n/.qunce/\n"),
        file("README.md", readme),
    ]
}

/// What a new campaign reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignKind {
    /// Activity (a daily export) and spend (a ledger).
    Full,
    /// Spend only (a ledger or ad platforms' reports), such as an ad campaign.
    SpendOnly,
}

/// A new campaign starting on `start`: a six-week plan, its post-mortem skeleton, and sample
/// exports (a two-week daily export unless spend-only, and a small ledger), so the site checks
/// and builds.
pub fn campaign(id: &str, start: Date, language: Language, kind: CampaignKind) -> Vec<NewFile> {
    let day = |n: i64| {
        start
            .checked_add(jiff::Span::new().days(n))
            .unwrap_or(start)
            .to_string()
    };
    let (plan, retro) = match (language, kind) {
        (Language::ZhCn, CampaignKind::Full) => (
            include_str!("plan.zh-CN.yaml"),
            include_str!("retro.zh-CN.md"),
        ),
        (Language::ZhCn, CampaignKind::SpendOnly) => (
            include_str!("plan.spend-only.zh-CN.yaml"),
            include_str!("retro.zh-CN.md"),
        ),
        (Language::En, CampaignKind::Full) => {
            (include_str!("plan.en.yaml"), include_str!("retro.en.md"))
        }
        (Language::En, CampaignKind::SpendOnly) => (
            include_str!("plan.spend-only.en.yaml"),
            include_str!("retro.en.md"),
        ),
    };
    let plan = plan
        .replace("{{id}}", id)
        .replace("{{start}}", &day(0))
        .replace("{{p1_end}}", &day(13))
        .replace("{{p2_start}}", &day(14))
        .replace("{{p2_end}}", &day(27))
        .replace("{{p3_start}}", &day(28))
        .replace("{{end}}", &day(41));
    let dir = PathBuf::from("content/campaigns").join(id);
    let mut files = vec![
        file(dir.join("plan.yaml"), plan),
        file(dir.join("retro.md"), retro),
    ];
    if kind == CampaignKind::Full {
        files.push(file(
            PathBuf::from("data").join(id).join("daily.csv"),
            sample_daily(start),
        ));
    }
    files.push(file(
        PathBuf::from("data").join(id).join("ledger.csv"),
        sample_ledger(start),
    ));
    files
}

/// Where a team's pipeline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiPlatform {
    /// GitLab CI, publishing with GitLab Pages.
    Gitlab,
    /// GitHub Actions, publishing with GitHub Pages.
    Github,
    /// Forgejo (and Gitea) Actions, publishing to a static server with rsync.
    Forgejo,
}

/// A pipeline for `platform`: on merge or pull requests `qunce check --strict` and `qunce diff`
/// against the target branch posted as a comment; on the default branch `qunce build` and the
/// publishing step. qunce is installed with pip from the `QUNCE_PIP` variable at the top.
pub fn ci(platform: CiPlatform) -> Vec<NewFile> {
    let (path, text) = match platform {
        CiPlatform::Gitlab => (".gitlab-ci.yml", include_str!("ci/gitlab.yml")),
        CiPlatform::Github => (".github/workflows/qunce.yml", include_str!("ci/github.yml")),
        CiPlatform::Forgejo => (
            ".forgejo/workflows/qunce.yml",
            include_str!("ci/forgejo.yml"),
        ),
    };
    vec![file(path, text.to_string())]
}

/// A new playbook.
pub fn playbook(id: &str, language: Language) -> Vec<NewFile> {
    let text = match language {
        Language::ZhCn => include_str!("playbook.zh-CN.md"),
        Language::En => include_str!("playbook.en.md"),
    };
    vec![file(
        PathBuf::from("content/playbooks").join(format!("{id}.md")),
        text.replace("{{id}}", id),
    )]
}

/// Two weeks of a plausible 120-person group: members move by exactly joined − left, speakers
/// never exceed active members, each funnel stage is at most the one before.
fn sample_daily(start: Date) -> String {
    let mut out = String::from(
        "date,members,joined,left,active_members,active_members_30d,speakers,messages,funnel_awareness,funnel_interest,funnel_decision,funnel_action\n",
    );
    let joined = [3, 2, 4, 1, 2, 3, 2, 5, 2, 1, 3, 2, 4, 2];
    let left = [0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0];
    let speakers = [14, 16, 15, 18, 17, 19, 16, 20, 21, 18, 22, 19, 23, 21];
    let mut members = 120;
    for n in 0..14 {
        members += joined[n] - left[n];
        let date = start
            .checked_add(jiff::Span::new().days(n as i64))
            .unwrap_or(start);
        let active = members * 40 / 100 + n as i64;
        let active_30d = members * 45 / 100 + 2 * n as i64;
        let awareness = 60 + 2 * n as i64;
        out.push_str(&format!(
            "{date},{members},{},{},{active},{active_30d},{},{},{awareness},{},{},{}\n",
            joined[n],
            left[n],
            speakers[n],
            speakers[n] * 5,
            awareness / 2,
            awareness / 5,
            awareness / 10,
        ));
    }
    out
}

fn sample_ledger(start: Date) -> String {
    let day = |n: i64| {
        start
            .checked_add(jiff::Span::new().days(n))
            .unwrap_or(start)
    };
    format!(
        "date,entry_id,category,amount,status\n{},E001,promotion,1200.00,paid\n{},E002,ops_tech,600.00,paid\n{},E003,incentives,450.00,accrued\n",
        day(0),
        day(2),
        day(9)
    )
}

/// Why `qunce new` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// A file or folder is already there.
    #[error("`{0}` already exists; qunce new never overwrites anything")]
    Exists(PathBuf),
    /// The id cannot name a campaign or playbook.
    #[error(
        "`{0}` is not a valid id: use 3–64 lower-case letters, digits, `_` and `-`, starting with a letter or digit"
    )]
    BadId(String),
    /// Not inside a site.
    #[error(
        "`{0}` is not a qunce site (no content/site.yaml); run `qunce new site <dir>` first, or pass --root"
    )]
    NotASite(PathBuf),
    /// `content/site.yaml` is not a file qunce reads (a link out of the site, a FIFO).
    #[error("cannot read content/site.yaml: {0}")]
    Unreadable(String),
    /// The file system refused.
    /// A folder on the way to a new file is a symbolic link: it could lead out of the site.
    #[error(
        "`{0}` is a symbolic link; qunce new writes only inside the site, never through a link"
    )]
    Link(PathBuf),
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// Checks `id` for a campaign or playbook.
pub fn check_id(id: &str) -> Result<(), NewError> {
    if crate::validate::refs::valid_slug(id) {
        Ok(())
    } else {
        Err(NewError::BadId(id.to_string()))
    }
}

/// The language of the site at `root`, from its `content/site.yaml`.
pub fn site_language(root: &Path) -> Result<Language, NewError> {
    // Read through the sandbox: a link out of the site or a FIFO under this name is refused,
    // never followed or left to block.
    let rel = Path::new("content/site.yaml");
    if std::fs::symlink_metadata(root.join(rel)).is_err() {
        return Err(NewError::NotASite(root.to_path_buf()));
    }
    let text = crate::load::sandbox::read_to_string(root, rel)
        .map_err(|refusal| NewError::Unreadable(refusal.message))?;
    #[derive(serde::Deserialize)]
    struct Lang {
        #[serde(default)]
        language: Language,
    }
    Ok(serde_yaml::from_str::<Lang>(&text)
        .map(|l| l.language)
        .unwrap_or_default())
}

/// Writes `files` under `root`, refusing before anything is written if any of them exists.
pub fn write(root: &Path, files: &[NewFile]) -> Result<(), NewError> {
    if let Some(existing) = files.iter().find(|f| root.join(&f.path).exists()) {
        return Err(NewError::Exists(root.join(&existing.path)));
    }
    // Folders under the root that already exist must be folders, not links (`.github` pointing
    // elsewhere would put the file outside the site); `create_new` covers the file itself.
    for f in files {
        let mut at = root.to_path_buf();
        for part in f.path.parent().into_iter().flat_map(Path::components) {
            at.push(part);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(NewError::Link(at));
            }
        }
    }
    for f in files {
        let path = root.join(&f.path);
        let io = |source| NewError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        // `create_new` keeps the promise even against a file that appeared meanwhile.
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut out| out.write_all(f.text.as_bytes()))
            .map_err(io)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_export_reconciles() {
        let text = sample_daily(jiff::civil::date(2026, 3, 2));
        let rows: Vec<Vec<i64>> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').skip(1).map(|v| v.parse().unwrap()).collect())
            .collect();
        assert_eq!(rows.len(), 14);
        for pair in rows.windows(2) {
            let (before, today) = (&pair[0], &pair[1]);
            assert_eq!(today[0] - before[0], today[1] - today[2], "{today:?}");
        }
        for r in &rows {
            assert!(r[5] <= r[3] && r[3] <= r[0], "{r:?}");
            assert!(r[7] >= r[8] && r[8] >= r[9] && r[9] >= r[10], "{r:?}");
        }
    }

    #[test]
    fn bad_ids_are_refused() {
        assert!(check_id("spring-push").is_ok());
        for bad in ["ab", "Spring", "-x-y", "a b", "../x", "春季"] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }
}
