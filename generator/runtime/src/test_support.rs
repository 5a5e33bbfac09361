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
