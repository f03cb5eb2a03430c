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
    /// Check every input and report all problems; writes nothing.
    Check {
        /// The site folder (holds content/ and data/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
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
        Command::Check { root, strict } => check(&root, strict),
        Command::Build { root, out, as_of } => build(&root, out, as_of),
        Command::Kpis {
            campaign,
            root,
            as_of,
            format,
        } => {
            let _ = (campaign, root, as_of, format);
            eprintln!(
                "error: `qunce kpis` is not implemented yet: the metrics engine is a separate, open issue"
            );
            ExitCode::from(2)
        }
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

fn check(root: &std::path::Path, strict: bool) -> ExitCode {
    match validate(root, strict) {
        Ok(site) => {
            eprintln!(
                "checked {} campaign(s) and {} playbook(s): no errors",
                site.campaigns.len(),
                site.playbooks.len()
            );
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn build(root: &std::path::Path, out: Option<PathBuf>, as_of: Option<String>) -> ExitCode {
    if let Some(date) = &as_of
        && qunce::model::values::parse_iso_date(date).is_err()
    {
        eprintln!("error: --as-of `{date}` is not a date; write YYYY-MM-DD");
        return ExitCode::from(2);
    }
    match validate(root, false) {
        Ok(site) => {
            let out = out.unwrap_or_else(|| root.join("public"));
            eprintln!(
                "validated {} campaign(s) and {} playbook(s): no errors\n\
                 note: rendering is not implemented yet (it is the open site issue), so nothing was written to {}",
                site.campaigns.len(),
                site.playbooks.len(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
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
