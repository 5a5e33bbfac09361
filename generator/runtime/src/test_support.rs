//! Local servers for tests of clients: this crate's and the generated crates'.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A proxy that records the request line of every request sent through it (`CONNECT host:443`
/// for https, `GET http://host/...` for plain http) and answers each with 403, so that nothing
/// goes further.
pub struct RecordingProxy {
    pub url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl RecordingProxy {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let record = record.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
                        match socket.read(&mut byte).await {
                            Ok(1) => head.push(byte[0]),
                            _ => break,
                        }
                    }
                    let text = String::from_utf8_lossy(&head);
                    if let Some(line) = text.lines().next() {
                        record.lock().unwrap().push(line.to_string());
                    }
                    let _ = socket
                        .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                        .await;
                });
            }
        });
        Self { url, seen }
    }

    /// The request lines seen so far.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    /// An HTTP client that sends everything through this proxy.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .proxy(reqwest::Proxy::all(&self.url).expect("a proxy URL"))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client")
    }
}

/// A server that answers every request with a status, a content type and a body written in
/// the given chunks, each sent and flushed on its own (HTTP chunked encoding), so that a client
/// meets the body cut where the test says. With `complete: false` the connection is dropped
/// after the last chunk, without ending the body. It records each request's head.
pub struct ChunkedServer {
    pub url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl ChunkedServer {
    pub async fn start(status: u16, content_type: &'static str, chunks: Vec<Vec<u8>>, complete: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let record = heads.clone();
        let chunks = Arc::new(chunks);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (record, chunks) = (record.clone(), chunks.clone());
                tokio::spawn(async move {
                    let Some(head) = read_request(&mut socket).await else { return };
                    record.lock().unwrap().push(head);
                    let head = format!(
                        "HTTP/1.1 {status} Status\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\
                         connection: close\r\n\r\n"
                    );
                    if socket.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    for chunk in chunks.iter() {
                        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                        framed.extend_from_slice(chunk);
                        framed.extend_from_slice(b"\r\n");
                        if socket.write_all(&framed).await.is_err() || socket.flush().await.is_err() {
                            return;
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    }
                    if complete {
                        let _ = socket.write_all(b"0\r\n\r\n").await;
                    }
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self { url, heads }
    }

    /// The heads of the requests seen so far (request line and headers).
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// Reads one request (its head, and as much body as its `content-length` says); its head.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 || socket.read(&mut byte).await.ok()? != 1 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(n, _)| n.trim().eq_ignore_ascii_case("content-length")))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(1 << 20)];
    socket.read_exact(&mut body).await.ok()?;
    Some(head)
}
