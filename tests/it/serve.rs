//! `qunce serve` (README.md#command-line): answers on 127.0.0.1 from memory, shows an edit within 3
//! s, keeps serving the last good build with an error banner, refuses foreign Host headers, and
//! never writes public/.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qunce"))
        .env_remove("RUST_BACKTRACE")
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().expect("serve ended before listening").unwrap();
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// A plain HTTP/1.0 GET: (status, body).
fn get(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |x| x.1)
        .to_string();
    (status, body)
}

fn wait_for(deadline: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn serve_previews_from_memory_and_follows_edits() {
    let site = common::copy_fixture("base");
    let server = start(site.path());
    let host = format!("127.0.0.1:{}", server.port);
    let (status, page) = get(server.port, "/playbooks/welcome/", &host);
    assert_eq!(status, 200);
    assert!(page.contains("<title>入群欢迎SOP"), "{page}");
    assert!(
        page.contains("/__qunce/version"),
        "the reload script is injected"
    );

    // An edited playbook title shows within 3 seconds.
    let playbook = site.path().join("content/playbooks/welcome.md");
    let text = std::fs::read_to_string(&playbook).unwrap();
    std::fs::write(
        &playbook,
        text.replace("title: 入群欢迎SOP", "title: 新人欢迎流程"),
    )
    .unwrap();
    assert!(
        wait_for(Duration::from_secs(3), || get(
            server.port,
            "/playbooks/welcome/",
            &host
        )
        .1
        .contains("<title>新人欢迎流程")),
        "the edit did not show within 3 s"
    );

    // A broken plan: the last good build stays, with the errors on top.
    let plan = site.path().join("content/campaigns/demo/plan.yaml");
    let good = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        good.replace("metric: avg_daily_speakers", "metric: avg_daily_speakerz"),
    )
    .unwrap();
    assert!(
        wait_for(Duration::from_secs(3), || {
            let (status, page) = get(server.port, "/playbooks/welcome/", &host);
            status == 200 && page.contains("unknown-metric") && page.contains("新人欢迎流程")
        }),
        "no error banner over the last good build"
    );

    // Foreign Host headers and paths outside the site are refused.
    assert_eq!(get(server.port, "/", "attacker.example").0, 403);
    assert_eq!(get(server.port, "/../../etc/passwd", &host).0, 404);
    assert!(!site.path().join("public").exists(), "serve wrote public/");
}

#[test]
fn serve_on_a_busy_port_exits_2() {
    let site = common::copy_fixture("base");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_qunce"))
        .env_remove("RUST_BACKTRACE")
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

/// Bound to every address, the preview says it can be reached from other machines, and a
/// request naming the wildcard address itself (`Host: 0.0.0.0:N`) is refused like any foreign
/// name; localhost is still served.
#[test]
fn a_wildcard_bind_warns_and_never_accepts_the_wildcard_as_a_host() {
    let site = common::copy_fixture("base");
    let mut child = Command::new(env!("CARGO_BIN_EXE_qunce"))
        .env_remove("RUST_BACKTRACE")
        .args(["serve", "--bind", "0.0.0.0", "--port", "0", "--root"])
        .arg(site.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut warned = false;
    let port: u16 = loop {
        let line = lines.next().expect("serve ended before listening").unwrap();
        warned |= line.starts_with("warning: serving on 0.0.0.0");
        if let Some(rest) = line.strip_prefix("serving http://0.0.0.0:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let server = Server { child, port };
    assert!(warned, "no warning before the serving line");
    assert_eq!(get(server.port, "/", &format!("0.0.0.0:{port}")).0, 403);
    assert_eq!(get(server.port, "/", &format!("localhost:{port}")).0, 200);
}

/// A client cannot grow the preview or hold it: a 1 MB head without a line end is refused at
/// 16 KiB (431), clients that pipeline requests and never read stall only their own
/// connections, and a silent one only its own; the page is still served to everyone else,
/// quickly.
#[test]
fn hostile_clients_neither_grow_nor_starve_the_preview() {
    let site = common::copy_fixture("base");
    let server = start(site.path());
    let host = format!("127.0.0.1:{}", server.port);
    // A head with no line end.
    let mut huge = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    huge.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = huge.write_all(&vec![b'a'; 1 << 20]);
    let mut answer = Vec::new();
    let _ = huge.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    // Clients that pipeline and never read, and one that sends nothing.
    let mut idle = Vec::new();
    for _ in 0..8 {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").repeat(200);
        let _ = s.write_all(request.as_bytes());
        idle.push(s);
    }
    idle.push(TcpStream::connect(("127.0.0.1", server.port)).unwrap());
    let started = Instant::now();
    for _ in 0..5 {
        let (status, body) = get(server.port, "/", &host);
        assert_eq!(status, 200);
        assert!(body.contains("<html"), "{body}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answers took {:?}",
        started.elapsed()
    );
    drop(idle);
}

/// Files are watched before the "serving" line is printed: an edit saved the moment it appears
/// is shown, never missed.
#[test]
fn an_edit_saved_right_after_the_serving_line_is_seen() {
    let site = common::copy_fixture("base");
    let playbook = site.path().join("content/playbooks/welcome.md");
    let text = std::fs::read_to_string(&playbook).unwrap();
    let server = start(site.path());
    std::fs::write(
        &playbook,
        text.replace("title: 入群欢迎SOP", "title: 刚保存的标题"),
    )
    .unwrap();
    let host = format!("127.0.0.1:{}", server.port);
    assert!(
        wait_for(Duration::from_secs(5), || get(
            server.port,
            "/playbooks/welcome/",
            &host
        )
        .1
        .contains("<title>刚保存的标题")),
        "an edit saved right after the serving line was missed"
    );
}

/// A workbook that would take all memory (one cell at `XFD1048576`) saved while the preview runs
/// is an input error: the preview stays up and keeps serving the last good build with it.
#[test]
fn a_hostile_workbook_saved_while_serving_leaves_the_preview_up() {
    let site = common::copy_fixture("base");
    let server = start(site.path());
    let host = format!("127.0.0.1:{}", server.port);
    assert_eq!(get(server.port, "/", &host).0, 200);
    let sheet = r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#;
    std::fs::write(
        site.path().join("data/demo/ledger.xlsx"),
        common::xlsx(sheet, &["date"]),
    )
    .unwrap();
    let plan = site.path().join("content/campaigns/demo/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("demo/ledger.csv", "demo/ledger.xlsx")).unwrap();
    assert!(
        wait_for(Duration::from_secs(10), || {
            let (status, page) = get(server.port, "/", &host);
            status == 200 && page.contains("bad-workbook")
        }),
        "no error banner over the last good build"
    );
}
