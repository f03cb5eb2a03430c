//! The `qunce` command line: parses arguments, calls the library, prints diagnostics and picks
//! the exit code (0 ok, 1 input errors, 2 usage, I/O or internal failures).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// 群策 qunce — community-operations plans and exports → a reviewed static report site.
#[derive(Debug, Parser)]
#[command(name = "qunce", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate, compute, render and write the site to public/ atomically.
    Build {
        /// The site folder (holds content/ and data/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Report date (default: each campaign's last daily date).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Check every input, the data's quality and final post-mortems; report all problems;
    /// write nothing.
    Check {
        /// The site folder (holds content/ and data/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail on warnings too (notes never count).
        #[arg(long)]
        strict: bool,
        /// Report date for the data-quality checks (default: each campaign's last data day).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Preview the site on 127.0.0.1, built in memory and rebuilt on every change.
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the preview to your network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Report date (default: each campaign's last data day).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// What a change does to the numbers between two git revisions (head: the work tree).
    Diff {
        /// The base revision (a commit, branch or tag).
        base: String,
        /// The head revision (default: the work tree, uncommitted changes included).
        head: Option<String>,
        /// The site folder (inside a git repository).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Compute both revisions as of this date (default: each as its own site would).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
    },
    /// Start a site, a campaign or a playbook from commented templates (never overwrites).
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Print the JSON Schema of plan.yaml (for editors); --write stores it in schema/.
    Schema {
        /// Write <root>/schema/plan.schema.json instead of printing.
        #[arg(long)]
        write: bool,
        /// Print the Markdown reference (docs/reference.md) instead.
        #[arg(long, conflicts_with = "write")]
        reference: bool,
        /// The site folder (with --write).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the computed metrics, targets and budget of one campaign.
    Kpis {
        /// Campaign id.
        campaign: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Report date (default: the campaign's last daily date).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
enum NewWhat {
    /// A new site folder: content/site.yaml, the plan schema, data/, .gitignore, README.
    Site {
        /// The folder to create (it must not exist, or be empty).
        dir: PathBuf,
        /// Page language.
        #[arg(long, value_enum, default_value_t = Lang::ZhCn)]
        lang: Lang,
        /// Site title (default: the folder's name).
        #[arg(long)]
        title: Option<String>,
    },
    /// A campaign inside a site: plan, post-mortem skeleton and a sample export.
    Campaign {
        /// Campaign id: lower-case letters, digits, `-` and `_`.
        id: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// First day of the campaign (default: today).
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
        /// A campaign with spend data only (a ledger or ad platforms' reports, no daily
        /// export), such as an ad campaign.
        #[arg(long)]
        spend_only: bool,
    },
    /// A pipeline for the team's forge: check and diff every merge or pull request, build and
    /// publish the default branch (at the site root; no git repository needed to write it).
    Ci {
        /// gitlab (.gitlab-ci.yml), github (.github/workflows/qunce.yml) or forgejo
        /// (.forgejo/workflows/qunce.yml).
        #[arg(value_enum)]
        platform: Platform,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A playbook inside a site.
    Playbook {
        /// Playbook id: lower-case letters, digits, `-` and `_`.
        id: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Platform {
    Gitlab,
    Github,
    Forgejo,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Lang {
    #[value(name = "zh-CN")]
    ZhCn,
    #[value(name = "en")]
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check {
            root,
            strict,
            as_of,
        } => check(&root, strict, as_of),
        Command::Build { root, out, as_of } => build(&root, out, as_of),
        Command::New { what } => new(what),
        Command::Serve {
            root,
            port,
            bind,
            as_of,
        } => {
            let as_of = match parse_as_of(as_of) {
                Ok(d) => d,
                Err(code) => return code,
            };
            if !root.join("content/site.yaml").is_file() {
                eprintln!(
                    "error: `{}` is not a qunce site (no content/site.yaml)",
                    root.display()
                );
                return ExitCode::from(2);
            }
            let opts = qunce::serve::Options {
                root,
                bind,
                port,
                as_of,
            };
            match qunce::serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Diff {
            base,
            head,
            root,
            as_of,
            format,
        } => diff(&root, &base, head.as_deref(), as_of, format),
        Command::Schema {
            write,
            reference,
            root,
        } => {
            if reference {
                emit(&qunce::schema::reference_markdown());
                ExitCode::SUCCESS
            } else {
                schema(write, &root)
            }
        }
        Command::Kpis {
            campaign,
            root,
            as_of,
            format,
        } => kpis(&root, &campaign, as_of, format),
    }
}

/// Loads and validates; prints diagnostics. Returns whether the inputs are usable.
fn validate(root: &std::path::Path, strict: bool) -> Result<qunce::model::site::Site, ExitCode> {
    if !root.is_dir() {
        eprintln!("error: --root `{}` is not a folder", root.display());
        return Err(ExitCode::from(2));
    }
    let (site, diags) = qunce::check(root);
    eprint!("{}", diags.render());
    let failed = diags.has_errors() || (strict && diags.warning_count() > 0);
    match site {
        Some(site) if !failed => Ok(site),
        _ => Err(ExitCode::from(1)),
    }
}

fn check(root: &std::path::Path, strict: bool, as_of: Option<String>) -> ExitCode {
    let as_of = match parse_as_of(as_of) {
        Ok(d) => d,
        Err(code) => return code,
    };
    if !root.is_dir() {
        eprintln!("error: --root `{}` is not a folder", root.display());
        return ExitCode::from(2);
    }
    let (site, mut diags) = qunce::check(root);
    // The data's quality and final post-mortems are judged only on sound inputs; the KPIs
    // computed for them are the ones the would-be site below is rendered from.
    let kpis = match &site {
        Some(site) if !diags.has_errors() => {
            let kpis = qunce::compute::site(site, as_of);
            diags.extend(qunce::findings_computed(site, &kpis));
            Some(kpis)
        }
        _ => None,
    };
    eprint!("{}", diags.render());
    let failed = diags.has_errors() || (strict && diags.warning_count() > 0);
    let (site, kpis) = match (site, kpis) {
        (Some(site), Some(kpis)) if !failed => (site, kpis),
        _ => return ExitCode::from(1),
    };
    // Link checking of the would-be site: nothing is written.
    let opts = qunce::render::RenderOptions {
        as_of,
        ..Default::default()
    };
    // Each page is let go once its links are noted.
    let links = qunce::write::LinkCheck::default();
    let noted = qunce::render_site_into(root, &site, kpis, &opts, &|o| {
        links.add(&o);
        Ok::<_, minijinja::Error>(())
    });
    if let Err(e) = noted {
        eprintln!("error: template error: {e:#}");
        return ExitCode::from(2);
    }
    let broken = links.broken();
    if !broken.is_empty() {
        eprintln!(
            "error: {} broken internal link(s) in the would-be site:\n{}",
            broken.len(),
            broken.join("\n")
        );
        return ExitCode::from(1);
    }
    let warnings = diags.warning_count();
    eprintln!(
        "checked {} campaign(s) and {} playbook(s): no errors{}",
        site.campaigns.len(),
        site.playbooks.len(),
        if warnings > 0 {
            format!(", {warnings} warning(s) above")
        } else {
            String::new()
        }
    );
    ExitCode::SUCCESS
}

fn build(root: &std::path::Path, out: Option<PathBuf>, as_of: Option<String>) -> ExitCode {
    let as_of = match parse_as_of(as_of) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let site = match validate(root, false) {
        Ok(site) => site,
        Err(code) => return code,
    };
    let out = out.unwrap_or_else(|| root.join("public"));
    let opts = qunce::render::RenderOptions {
        as_of,
        build_date: source_date(),
        theme_dir: None,
    };
    match qunce::build(root, &site, &out, &opts) {
        Ok(files) => {
            eprintln!(
                "built {} campaign(s) and {} playbook(s): {files} files in {}",
                site.campaigns.len(),
                site.playbooks.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}\nnothing was written; the previous site is unchanged");
            ExitCode::from(2)
        }
    }
}

fn diff(
    root: &std::path::Path,
    base: &str,
    head: Option<&str>,
    as_of: Option<String>,
    format: DiffFormat,
) -> ExitCode {
    use qunce::diff;
    let as_of = match parse_as_of(as_of) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let fail = |e: String| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    };
    let max_bytes = diff::git::max_blob_bytes(root);
    let snapshot_of = |rev: &str| -> Result<diff::Snapshot, String> {
        let commit = diff::git::resolve(root, rev)?;
        let dir = diff::scratch::ScratchDir::new()?;
        diff::git::export(root, &commit, dir.path(), max_bytes)?;
        Ok(diff::snapshot(dir.path(), as_of))
    };
    let before = match snapshot_of(base) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let after = match head {
        Some(rev) => match snapshot_of(rev) {
            Ok(s) => s,
            Err(e) => return fail(e),
        },
        None => diff::snapshot(root, as_of),
    };
    let report = diff::compare(&before, &after);
    let text = match format {
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
            s.push('\n');
            qunce::diag::json_terminal_safe(&s).into_owned()
        }
        // Plan values reach the terminal of whoever reviews a pull request: no raw controls.
        DiffFormat::Markdown => {
            let text = report.to_markdown(base, head.unwrap_or("work tree"));
            qunce::diag::terminal_safe_lines(&text).into_owned()
        }
    };
    emit(&text);
    ExitCode::SUCCESS
}

fn new(what: NewWhat) -> ExitCode {
    use qunce::model::site::Language;
    use qunce::scaffold;
    let result = match what {
        NewWhat::Site { dir, lang, title } => {
            let language = match lang {
                Lang::ZhCn => Language::ZhCn,
                Lang::En => Language::En,
            };
            let non_empty = std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some());
            if non_empty || dir.is_file() {
                Err(scaffold::NewError::Exists(dir.clone()))
            } else {
                let title = title.unwrap_or_else(|| {
                    dir.file_name()
                        .map_or("qunce".into(), |n| n.to_string_lossy().into_owned())
                });
                scaffold::write(&dir, &scaffold::site(&title, language)).map(|()| {
                    format!(
                        "created site {}; next: cd {} && qunce new campaign <id>",
                        dir.display(),
                        dir.display()
                    )
                })
            }
        }
        NewWhat::Campaign {
            id,
            root,
            start,
            spend_only,
        } => {
            let start = match start.as_deref().map(qunce::model::values::parse_iso_date) {
                Some(Ok(d)) => d,
                Some(Err(e)) => {
                    eprintln!("error: --start: {e}");
                    return ExitCode::from(2);
                }
                // A scaffold is not build output: today is a fine default here.
                None => jiff::Zoned::now().date(),
            };
            scaffold::check_id(&id)
                .and_then(|()| scaffold::site_language(&root))
                .and_then(|lang| {
                    let kind = if spend_only {
                        scaffold::CampaignKind::SpendOnly
                    } else {
                        scaffold::CampaignKind::Full
                    };
                    scaffold::write(&root, &scaffold::campaign(&id, start, lang, kind))
                })
                .map(|()| {
                    format!(
                        "created campaign {id} (content/campaigns/{id}/, data/{id}/); next: qunce check"
                    )
                })
        }
        NewWhat::Ci { platform, root } => {
            let platform = match platform {
                Platform::Gitlab => scaffold::CiPlatform::Gitlab,
                Platform::Github => scaffold::CiPlatform::Github,
                Platform::Forgejo => scaffold::CiPlatform::Forgejo,
            };
            let files = scaffold::ci(platform);
            scaffold::site_language(&root)
                .and_then(|_| scaffold::write(&root, &files))
                .map(|()| {
                    format!(
                        "created {}; set QUNCE_PIP at its top to your package name or wheel URL",
                        files[0].path.display()
                    )
                })
        }
        NewWhat::Playbook { id, root } => scaffold::check_id(&id)
            .and_then(|()| scaffold::site_language(&root))
            .and_then(|lang| scaffold::write(&root, &scaffold::playbook(&id, lang)))
            .map(|()| format!("created content/playbooks/{id}.md")),
    };
    match result {
        Ok(message) => {
            eprintln!("{message}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}\nnothing was written");
            ExitCode::from(2)
        }
    }
}

fn schema(write: bool, root: &std::path::Path) -> ExitCode {
    let text = qunce::schema::plan_schema_text();
    if !write {
        emit(&text);
        return ExitCode::SUCCESS;
    }
    let rel = std::path::Path::new(qunce::schema::PATH);
    match qunce::write::replace_file(root, rel, text.as_bytes()) {
        Ok(()) => {
            eprintln!("wrote {}", root.join(rel).display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout; a reader that went away (`qunce schema | head`) is not a failure.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// `--as-of` as a date; a malformed one is a usage error (exit 2).
fn parse_as_of(as_of: Option<String>) -> Result<Option<qunce::model::values::Date>, ExitCode> {
    as_of
        .as_deref()
        .map(qunce::model::values::parse_iso_date)
        .transpose()
        .map_err(|e| {
            eprintln!("error: --as-of: {e}");
            ExitCode::from(2)
        })
}

/// `SOURCE_DATE_EPOCH` as a date, for the footer; the wall clock is never read.
fn source_date() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let ts = jiff::Timestamp::from_second(secs).ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
}

fn kpis(root: &std::path::Path, id: &str, as_of: Option<String>, format: Format) -> ExitCode {
    let as_of = match parse_as_of(as_of) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let site = match validate_quiet(root) {
        Ok(site) => site,
        Err(code) => return code,
    };
    let Some(data) = site.campaigns.iter().find(|c| c.plan.campaign.id == id) else {
        let ids: Vec<&str> = site
            .campaigns
            .iter()
            .map(|c| c.plan.campaign.id.as_str())
            .collect();
        let hint = qunce::diag::did_you_mean(id, ids.iter().copied())
            .map_or(String::new(), |b| format!("; did you mean `{b}`?"));
        eprintln!("error: no campaign `{id}`; known: {}{hint}", ids.join(", "));
        return ExitCode::from(2);
    };
    let Some(as_of) = as_of.or_else(|| qunce::compute::default_as_of(data)) else {
        eprintln!("error: campaign `{id}` has no daily data; pass --as-of");
        return ExitCode::from(1);
    };
    let result = qunce::compute::campaign(data, as_of);
    let text = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&result.to_json(data)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Csv => qunce::report::kpis_csv(&result, data),
        Format::Table => {
            use std::io::IsTerminal;
            qunce::report::kpis_table(&result, data, std::io::stdout().is_terminal())
        }
    };
    emit(&text);
    ExitCode::SUCCESS
}

/// Like `validate`, but prints warnings only when there are errors (scripts read stdout).
fn validate_quiet(root: &std::path::Path) -> Result<qunce::model::site::Site, ExitCode> {
    if !root.is_dir() {
        eprintln!("error: --root `{}` is not a folder", root.display());
        return Err(ExitCode::from(2));
    }
    let (site, diags) = qunce::check(root);
    if diags.has_errors() {
        eprint!("{}", diags.render());
        return Err(ExitCode::from(1));
    }
    site.ok_or(ExitCode::from(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
