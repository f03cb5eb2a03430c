//! `qunce serve`: a preview on 127.0.0.1 built in memory (it never writes `public/`), rebuilt
//! when anything under `content/`, `data/` or `themes/` changes, with open pages reloaded by a
//! small script injected only here. Input errors are shown on the terminal and as a banner in
//! the browser while the last good build keeps being served. Only the site's own files are
//! served, and only to requests whose `Host` names this server (no DNS rebinding).

pub mod http;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::model::values::Date;

/// What is being served.
#[derive(Debug, Default)]
pub struct Served {
    /// Bumped on every rebuild, good or bad: open pages reload when it changes.
    pub version: u64,
    /// The last good build, path → bytes.
    pub files: BTreeMap<String, bytes::Bytes>,
    /// The diagnostics of a failed rebuild (the files are then the last good build).
    pub error: Option<String>,
}

/// Builds the site in memory: the pages, or the rendered diagnostics that stopped it.
pub fn build_in_memory(
    root: &Path,
    as_of: Option<Date>,
) -> Result<BTreeMap<String, bytes::Bytes>, String> {
    let (site, diags) = crate::check(root);
    let site = match site {
        Some(site) if !diags.has_errors() => site,
        _ => return Err(diags.render()),
    };
    let opts = crate::render::RenderOptions {
        as_of,
        ..Default::default()
    };
    let outputs =
        crate::render_site(root, &site, &opts).map_err(|e| format!("template error: {e:#}"))?;
    Ok(outputs.into_iter().map(|o| (o.path, o.bytes)).collect())
}

/// Whether a request's `Host` header names this server: `127.0.0.1:<port>`,
/// `localhost:<port>`, `[::1]:<port>` or one of `addresses` (what [`host_addresses`] gives).
/// Anything else (a DNS-rebinding page calling in under its own name) is refused.
pub fn allowed_host(host: Option<&str>, port: u16, addresses: &[IpAddr]) -> bool {
    let Some(host) = host else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    let mut names = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    // A wildcard (0.0.0.0, ::) is no name of this server: a page could call in under it.
    names.extend(
        addresses
            .iter()
            .filter(|a| !a.is_unspecified())
            .map(|a| match a {
                IpAddr::V4(a) => format!("{a}:{port}"),
                IpAddr::V6(a) => format!("[{a}]:{port}"),
            }),
    );
    names.contains(&host)
}

/// The addresses a request may name besides loopback: the bound one, or, bound to every
/// address, the machine's interface addresses (so the LAN reaches it under the name it uses).
pub fn host_addresses(bound: IpAddr) -> Vec<IpAddr> {
    if !bound.is_unspecified() {
        return vec![bound];
    }
    let mut found: Vec<IpAddr> = if_addrs::get_if_addrs()
        .map(|list| list.into_iter().map(|i| i.ip()).collect())
        .unwrap_or_default();
    found.retain(|a| !a.is_unspecified());
    found.sort();
    found.dedup();
    found
}

/// The site file a URL path names (`/`, `/campaigns/x/`, `/campaigns/x`, `/a.css?v=1`), or
/// `None`. Only keys of `files` can ever be returned, so nothing outside the site is served.
pub fn lookup<'a>(
    files: &'a BTreeMap<String, bytes::Bytes>,
    url: &str,
) -> Option<(&'a str, &'a [u8])> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let trimmed = decoded.trim_start_matches('/');
    if trimmed.split('/').any(|p| p == ".." || p == ".") {
        return None;
    }
    let candidates = if trimmed.is_empty() || trimmed.ends_with('/') {
        vec![format!("{trimmed}index.html")]
    } else {
        vec![trimmed.to_string(), format!("{trimmed}/index.html")]
    };
    candidates
        .into_iter()
        .find_map(|c| files.get_key_value(&c))
        .map(|(k, v)| (k.as_str(), &v[..]))
}

/// A page with the reload script (and, after a failed rebuild, the error banner) added.
pub fn inject(html: &[u8], version: u64, error: Option<&str>) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(html).into_owned();
    let script = format!(
        "<script>(function(){{var v=\"{version}\";function poll(){{fetch(\"/__qunce/version\",{{cache:\"no-store\"}}).then(function(r){{return r.text()}}).then(function(t){{if(t!==v){{location.reload()}}else{{setTimeout(poll,500)}}}}).catch(function(){{setTimeout(poll,2000)}})}}setTimeout(poll,500)}})();</script>"
    );
    match text.rfind("</body>") {
        Some(at) => text.insert_str(at, &script),
        None => text.push_str(&script),
    }
    if let Some(error) = error {
        let banner = format!(
            "<div style=\"background:#fde8e8;color:#7a1212;border-bottom:2px solid #c53030;padding:.75rem 1rem;font:14px/1.4 monospace;white-space:pre-wrap\"><strong>qunce: the last change has errors; showing the last good build.</strong>\n{}</div>",
            crate::render::format::escape(error)
        );
        match text
            .find("<body")
            .and_then(|at| text[at..].find('>').map(|e| at + e + 1))
        {
            Some(at) => text.insert_str(at, &banner),
            None => text.insert_str(0, &banner),
        }
    }
    text.into_bytes()
}

/// The page shown when there has never been a good build.
pub fn error_page(error: &str, version: u64) -> Vec<u8> {
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>qunce: errors</title></head><body><h1>qunce: the site has errors</h1><pre>{}</pre></body></html>",
        crate::render::format::escape(error)
    );
    inject(page.as_bytes(), version, None)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder.
    pub root: PathBuf,
    /// Address to bind (127.0.0.1 unless asked otherwise).
    pub bind: IpAddr,
    /// Port (0: any free one).
    pub port: u16,
    /// Report date.
    pub as_of: Option<Date>,
}

/// Serves until the process ends. Prints `serving http://<addr>:<port>/` once listening.
pub fn run(opts: &Options) -> Result<(), String> {
    let listener = std::net::TcpListener::bind((opts.bind, opts.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let port = listener.local_addr().map_or(opts.port, |a| a.port());
    let state = Arc::new(RwLock::new(Served::default()));
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in ["content", "data", "themes"] {
        let path = opts.root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, notify::RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    // Watching starts before the first build and the line: an edit saved at any moment after
    // `serve` started is seen (at worst it rebuilds once more).
    let mut builder = crate::rebuild::Rebuilder::new(&opts.root, opts.as_of);
    let started = std::time::Instant::now();
    publish(&state, builder.build(), started);
    #[allow(clippy::print_stderr)]
    {
        if !opts.bind.is_loopback() {
            eprintln!(
                "warning: serving on {}, which other machines can reach; the preview has no access control (use the default 127.0.0.1 unless you mean to share it)",
                opts.bind
            );
        }
        eprintln!(
            "serving http://{}/ from memory (public/ is not written); Ctrl-C stops",
            match opts.bind {
                IpAddr::V6(a) => format!("[{a}]:{port}"),
                a => format!("{a}:{port}"),
            }
        );
    }
    {
        let (state, addresses) = (Arc::clone(&state), host_addresses(opts.bind));
        std::thread::spawn(move || {
            http::serve(listener, http::Limits::default(), move |request| {
                respond(request, &state, port, &addresses)
            });
        });
    }
    while let Ok(event) = rx.recv() {
        let mut changed = Changed::default();
        if !changed.add(event) {
            continue;
        }
        // Debounce: an editor's save is several events; rebuild once they stop for a moment.
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(150)) {
            changed.add(more);
        }
        let started = std::time::Instant::now();
        let result = if changed.unknown {
            builder.build()
        } else {
            builder.rebuild(&changed.paths)
        };
        publish(&state, result, started);
    }
    drop(watcher);
    Ok(())
}

/// The files that watcher events say changed.
#[derive(Default)]
struct Changed {
    paths: Vec<std::path::PathBuf>,
    /// An event without paths, or a watcher error: anything may have changed.
    unknown: bool,
}

impl Changed {
    /// Adds an event's paths; `false` when it changed nothing (reads, which the build itself
    /// causes, do not count).
    fn add(&mut self, event: notify::Result<notify::Event>) -> bool {
        use notify::EventKind;
        match event {
            Ok(e) => {
                if !matches!(
                    e.kind,
                    EventKind::Create(_)
                        | EventKind::Modify(_)
                        | EventKind::Remove(_)
                        | EventKind::Any
                ) {
                    return false;
                }
                self.unknown |= e.paths.is_empty();
                self.paths.extend(e.paths);
                true
            }
            Err(_) => {
                self.unknown = true;
                true
            }
        }
    }
}

fn publish(
    state: &RwLock<Served>,
    result: Result<crate::rebuild::Files, String>,
    started: std::time::Instant,
) {
    let Ok(mut served) = state.write() else {
        return;
    };
    served.version += 1;
    #[allow(clippy::print_stderr)]
    match result {
        Ok(files) => {
            eprintln!(
                "rebuilt: {} files in {} ms",
                files.len(),
                started.elapsed().as_millis()
            );
            served.files = files;
            served.error = None;
        }
        Err(error) => {
            eprint!("{error}");
            eprintln!("the last good build is still served");
            served.error = Some(error);
        }
    }
}

/// The answer to one request: a site file, the version the live-reload script polls, or why
/// not.
fn respond(
    request: &http::Request,
    state: &RwLock<Served>,
    port: u16,
    addresses: &[IpAddr],
) -> http::Response {
    let reply = |status: u16, body: Vec<u8>, content_type: &'static str| http::Response {
        status,
        content_type,
        body,
    };
    if !allowed_host(request.host.as_deref(), port, addresses) {
        return http::Response::text(403, "unexpected Host header");
    }
    let Ok(served) = state.read() else {
        return http::Response::text(500, "the preview stopped");
    };
    let url = request.url.as_str();
    if url == "/__qunce/version" {
        return reply(200, served.version.to_string().into_bytes(), "text/plain");
    }
    match lookup(&served.files, url) {
        Some((path, bytes)) if path.ends_with(".html") => reply(
            200,
            inject(bytes, served.version, served.error.as_deref()),
            content_type(path),
        ),
        Some((path, bytes)) => reply(200, bytes.to_vec(), content_type(path)),
        None if served.files.is_empty() => reply(
            500,
            error_page(
                served.error.as_deref().unwrap_or("no build yet"),
                served.version,
            ),
            "text/html; charset=utf-8",
        ),
        None => {
            let page = served.files.get("404.html").cloned().unwrap_or_default();
            reply(
                404,
                inject(&page, served.version, served.error.as_deref()),
                "text/html; charset=utf-8",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watcher_events_name_the_changed_files_and_reads_change_nothing() {
        use notify::event::{AccessKind, CreateKind, ModifyKind};
        use notify::{Event, EventKind};
        let mut changed = Changed::default();
        let read = Event::new(EventKind::Access(AccessKind::Any)).add_path("content/a.md".into());
        assert!(!changed.add(Ok(read)));
        let saved =
            Event::new(EventKind::Modify(ModifyKind::Any)).add_path("data/x/ledger.csv".into());
        assert!(changed.add(Ok(saved)));
        assert_eq!(changed.paths, [PathBuf::from("data/x/ledger.csv")]);
        assert!(!changed.unknown);
        // An event without paths, or an error: anything may have changed.
        assert!(changed.add(Ok(Event::new(EventKind::Create(CreateKind::Any)))));
        assert!(changed.unknown);
        let mut failed = Changed::default();
        assert!(failed.add(Err(notify::Error::generic("overflow"))));
        assert!(failed.unknown);
    }

    #[test]
    fn a_wildcard_bind_is_never_an_allowed_host_but_the_interfaces_are() {
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        let addresses = host_addresses(any);
        assert!(
            addresses.iter().all(|a| !a.is_unspecified()),
            "{addresses:?}"
        );
        assert!(addresses.iter().any(|a| a.is_loopback()), "{addresses:?}");
        assert!(!allowed_host(Some("0.0.0.0:8000"), 8000, &addresses));
        assert!(!allowed_host(Some("0.0.0.0:8000"), 8000, &[any]));
        assert!(allowed_host(Some("localhost:8000"), 8000, &addresses));
        for a in addresses.iter().filter(|a| a.is_ipv4()) {
            assert!(allowed_host(Some(&format!("{a}:8000")), 8000, &addresses));
        }
        let any6: IpAddr = "::".parse().unwrap();
        assert!(!allowed_host(Some("[::]:8000"), 8000, &[any6]));
    }

    #[test]
    fn only_this_servers_names_are_allowed_hosts() {
        let local = [IpAddr::from([127, 0, 0, 1])];
        assert!(allowed_host(Some("127.0.0.1:8000"), 8000, &local));
        assert!(allowed_host(Some("LOCALHOST:8000"), 8000, &local));
        assert!(allowed_host(Some("[::1]:8000"), 8000, &local));
        assert!(!allowed_host(Some("evil.example:8000"), 8000, &local));
        assert!(!allowed_host(Some("127.0.0.1:9000"), 8000, &local));
        assert!(!allowed_host(None, 8000, &local));
        let lan = [IpAddr::from([192, 168, 1, 5])];
        assert!(allowed_host(Some("192.168.1.5:8000"), 8000, &lan));
    }

    #[test]
    fn lookup_serves_only_site_files() {
        let files: BTreeMap<String, bytes::Bytes> = [
            ("index.html", "home"),
            ("campaigns/x/index.html", "report"),
            ("assets/style.css", "css"),
            ("playbooks/入群/index.html", "cn"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), bytes::Bytes::from(v)))
        .collect();
        let get = |u: &str| lookup(&files, u).map(|(p, _)| p);
        assert_eq!(get("/"), Some("index.html"));
        assert_eq!(get("/campaigns/x/"), Some("campaigns/x/index.html"));
        assert_eq!(get("/campaigns/x"), Some("campaigns/x/index.html"));
        assert_eq!(get("/assets/style.css?v=2"), Some("assets/style.css"));
        assert_eq!(
            get("/playbooks/%E5%85%A5%E7%BE%A4/"),
            Some("playbooks/入群/index.html")
        );
        assert_eq!(get("/../etc/passwd"), None);
        assert_eq!(get("/campaigns/x/../../index.html"), None);
        assert_eq!(get("/nope"), None);
    }

    #[test]
    fn injection_adds_the_reload_script_and_the_error_banner() {
        let page = b"<html><body class=\"x\"><p>hi</p></body></html>";
        let plain = String::from_utf8(inject(page, 7, None)).unwrap();
        assert!(plain.contains("var v=\"7\"") && plain.ends_with("</script></body></html>"));
        let broken = String::from_utf8(inject(page, 8, Some("error[x]: <bad>"))).unwrap();
        assert!(broken.contains("<body class=\"x\"><div"), "{broken}");
        assert!(broken.contains("error[x]: &lt;bad&gt;"));
    }
}
