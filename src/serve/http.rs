//! The preview's HTTP/1.1 server, as small as the job: one GET (or HEAD) per connection, an
//! answer with its length, then the connection closes. What it does by hand, and why (`tiny_http`
//! did neither): every connection has its own thread, so a client that never reads its answer
//! stalls only itself; and each is bounded — the request head to 16 KiB and 100 lines, reading
//! and writing to 10 s each, connections to 64 at a time — so no client can grow the server or
//! hold it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A request as the preview needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `HEAD`.
    pub method: String,
    /// The request target, e.g. `/campaigns/x/`.
    pub url: String,
    /// The `Host` header, if sent.
    pub host: Option<String>,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// An answer of `status` with a plain-text body.
    pub fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
        }
    }
}

/// The bounds every connection lives within.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The request line and headers together, in bytes.
    pub max_head: usize,
    /// Header lines.
    pub max_headers: usize,
    /// For reading the whole head, and for each write.
    pub timeout: Duration,
    /// Connections served at once; more are answered 503 and closed.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head: 16 * 1024,
            max_headers: 100,
            timeout: Duration::from_secs(10),
            max_connections: 64,
        }
    }
}

/// Accepts connections until the listener fails, each on its own thread.
pub fn serve<F>(listener: TcpListener, limits: Limits, handler: F)
where
    F: Fn(&Request) -> Response + Send + Sync + 'static,
{
    let handler = Arc::new(handler);
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_write_timeout(Some(limits.timeout));
        if open.fetch_add(1, Ordering::SeqCst) >= limits.max_connections {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = write_response(
                &mut stream,
                &Response::text(503, "too many connections"),
                false,
            );
            continue;
        }
        let (handler, done) = (Arc::clone(&handler), Arc::clone(&open));
        let spawned = std::thread::Builder::new()
            .name("qunce-serve".into())
            .spawn(move || {
                answer(stream, limits, &*handler);
                done.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // The thread never ran (its stream closed with it): not counted any more.
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Reads one request from `stream` within the limits and answers it.
fn answer(mut stream: TcpStream, limits: Limits, handler: &dyn Fn(&Request) -> Response) {
    let (response, head_only) = match read_head(&mut stream, limits) {
        Ok(request) if request.method == "GET" => (handler(&request), false),
        Ok(request) if request.method == "HEAD" => (handler(&request), true),
        Ok(_) => (Response::text(405, "only GET and HEAD"), false),
        Err(response) => (response, false),
    };
    let _ = write_response(&mut stream, &response, head_only);
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// The request head, or the answer that refuses it.
fn read_head(stream: &mut TcpStream, limits: Limits) -> Result<Request, Response> {
    let deadline = Instant::now() + limits.timeout;
    let mut head: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(end) = head_end(&head) {
            break end;
        }
        if head.len() > limits.max_head {
            return Err(Response::text(431, "request head too large"));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Response::text(408, "request timed out"));
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut chunk) {
            Ok(0) => return Err(Response::text(400, "incomplete request")),
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(_) => return Err(Response::text(408, "request timed out")),
        }
    };
    if end > limits.max_head {
        return Err(Response::text(431, "request head too large"));
    }
    parse_head(&head[..end], limits)
}

/// Where the head ends (after its blank line), if it has.
fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| bytes.windows(2).position(|w| w == b"\n\n").map(|i| i + 2))
}

/// The request line and the `Host` header of a complete head.
fn parse_head(head: &[u8], limits: Limits) -> Result<Request, Response> {
    let text = std::str::from_utf8(head).map_err(|_| Response::text(400, "not UTF-8"))?;
    let mut lines = text.lines();
    let mut first = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(url), Some(version)) = (first.next(), first.next(), first.next())
    else {
        return Err(Response::text(400, "bad request line"));
    };
    if !version.starts_with("HTTP/1.") || !url.starts_with('/') {
        return Err(Response::text(400, "bad request line"));
    }
    let mut host = None;
    let mut count = 0;
    for line in lines.filter(|l| !l.is_empty()) {
        count += 1;
        if count > limits.max_headers {
            return Err(Response::text(431, "too many header lines"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(Response::text(400, "bad header line"));
        };
        if name.trim().eq_ignore_ascii_case("host") {
            host = Some(value.trim().to_string());
        }
    }
    Ok(Request {
        method: method.to_string(),
        url: url.to_string(),
        host,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn write_response(stream: &mut TcpStream, r: &Response, head_only: bool) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&r.body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn a_head_gives_its_request_line_and_host() {
        let r = parse_head(
            b"GET /campaigns/x/ HTTP/1.1\r\nhost: localhost:8000\r\nAccept: */*\r\n\r\n",
            limits(),
        )
        .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.url, "/campaigns/x/");
        assert_eq!(r.host.as_deref(), Some("localhost:8000"));
    }

    #[test]
    fn malformed_or_oversized_heads_are_refused() {
        assert_eq!(
            parse_head(b"GET\r\n\r\n", limits()).unwrap_err().status,
            400
        );
        assert_eq!(
            parse_head(b"GET http://x/ HTTP/1.1\r\n\r\n", limits())
                .unwrap_err()
                .status,
            400
        );
        let many: String = std::iter::once("GET / HTTP/1.1\r\n".to_string())
            .chain((0..101).map(|i| format!("X-{i}: y\r\n")))
            .chain(std::iter::once("\r\n".to_string()))
            .collect();
        assert_eq!(
            parse_head(many.as_bytes(), limits()).unwrap_err().status,
            431
        );
    }
}
