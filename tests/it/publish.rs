//! The built example site served by a real nginx under a sub-path (`/reports/community/`), as
//! docs/publishing.md describes: every page reachable from the index, every link and asset
//! answering 200, and every page asking search engines not to index it. Needs nginx, so it is
//! `#[ignore]`d in a plain `cargo test`; `.ci/run` installs nginx and runs it.

#![cfg(unix)]

use crate::common;

use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

const PREFIX: &str = "/reports/community/";

/// nginx in the foreground, one process, everything under `dir`; stopped when dropped.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(site: &Path, dir: &Path) -> (Nginx, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = dir.display();
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{}}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
         fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
         types {{ text/html html; text/css css; application/javascript js; application/json json; \
         image/svg+xml svg; application/xml xml; }}\n  \
         server {{\n    listen 127.0.0.1:{port};\n    location {PREFIX} {{\n      alias {}/;\n      \
         index index.html;\n    }}\n  }}\n}}\n",
        site.display()
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    let child = Command::new("nginx")
        .args([
            "-p",
            &dir.display().to_string(),
            "-c",
            &path.display().to_string(),
        ])
        .spawn()
        .expect("nginx on PATH (Debian: nginx-light)");
    let server = Nginx(child);
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (server, port);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "nginx did not listen: {}",
        std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
    );
}

/// `GET path` over HTTP/1.0: the status code and the body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// The `href` and `src` values of a page that point inside the site.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            // Attribute values as a browser reads them: the templates escape `/` and `&`.
            let value = part[..part.find('"').unwrap_or(0)]
                .replace("&#x2f;", "/")
                .replace("&#x27;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            let value = value.as_str();
            let external = [
                "http:",
                "https:",
                "mailto:",
                "data:",
                "javascript:",
                "//",
                "#",
            ]
            .iter()
            .any(|p| value.starts_with(p));
            if !value.is_empty() && !external {
                out.push(value.to_string());
            }
        }
    }
    out
}

/// `link` resolved against the page at `base` (both absolute paths on the server).
fn resolve(base: &str, link: &str) -> String {
    let link = link.split(['#', '?']).next().unwrap_or_default();
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if link.ends_with('/') || link.is_empty() {
        path.push('/');
    }
    path
}

#[test]
#[ignore = "needs nginx; run by .ci/run"]
fn the_site_under_a_sub_path_answers_every_link_and_says_noindex() {
    let site = common::built_example();
    let scratch = tempfile::tempdir().unwrap();
    let (_nginx, port) = serve(&site.path().join("public"), scratch.path());
    let start = format!("{PREFIX}index.html");
    let mut queue = VecDeque::from([start.clone()]);
    let mut seen = BTreeSet::from([start]);
    let (mut broken, mut indexed, mut pages) = (Vec::new(), Vec::new(), 0);
    while let Some(path) = queue.pop_front() {
        let (status, body) = get(port, &path);
        if status != 200 {
            broken.push(format!("{status} {path}"));
            continue;
        }
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        if !body.contains("<meta name=\"robots\" content=\"noindex\">") {
            indexed.push(path.clone());
        }
        for link in links(&body) {
            let target = resolve(&path, &link);
            assert!(
                target.starts_with(PREFIX),
                "{path} links out of the prefix: {link}"
            );
            if seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    // Every page of the built site was reached from the index.
    let built = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| !e.path().ends_with("404.html"))
        .count();
    assert_eq!(pages, built, "pages reached from the index");
    assert!(
        broken.is_empty(),
        "links that did not answer 200:\n{}",
        broken.join("\n")
    );
    assert!(
        indexed.is_empty(),
        "pages without noindex:\n{}",
        indexed.join("\n")
    );
}
