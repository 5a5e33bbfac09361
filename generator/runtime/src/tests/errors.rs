//! Transport errors say what happened, where, and why, and never carry a secret.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{core, get};
use crate::runtime::{Auth, Error, SpecTokenUrl, TransportErrorKind};

fn transport(err: &Error<()>) -> &crate::runtime::TransportError {
    match err {
        Error::Transport(e) => e,
        other => panic!("not a transport error: {other:?}"),
    }
}

#[tokio::test]
async fn a_timeout_says_it_timed_out_and_after_how_long() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let core =
        core(&server.uri(), Auth::bearer("s3cr3t"), SpecTokenUrl::None).with_timeout(Some(Duration::from_millis(150)));
    let err = core
        .request(reqwest::Method::GET, "t", "/slow")
        .query("key", Some("hidden"))
        .send::<()>()
        .await
        .map(|r| r.status())
        .expect_err("late");
    let e = transport(&err);
    assert_eq!(e.kind(), TransportErrorKind::Timeout { after: Some(Duration::from_millis(150)) });
    let text = err.to_string();
    assert!(text.contains("timed out after 150ms"), "{text}");
    assert!(text.contains(&format!("GET {}/slow", server.uri())), "{text}");
    assert!(!text.contains("hidden") && !text.contains("s3cr3t"), "no query, no secret: {text}");
    // The cause chain is there for code too.
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let core = core(&format!("http://127.0.0.1:{port}"), Auth::None, SpecTokenUrl::None);
    let err = get(&core, "/x").await.expect_err("refused");
    assert_eq!(transport(&err).kind(), TransportErrorKind::ConnectionRefused);
    assert!(err.to_string().contains("the connection was refused"), "{err}");
    assert!(err.to_string().to_lowercase().contains("connection refused (os error"), "the cause: {err}");
}

#[tokio::test]
async fn a_tls_failure_says_so() {
    // A listener that answers the TLS hello with plain HTTP.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n").await;
        }
    });
    let core = core(&format!("https://localhost:{port}"), Auth::None, SpecTokenUrl::None);
    let err = get(&core, "/x").await.expect_err("not TLS");
    assert_eq!(transport(&err).kind(), TransportErrorKind::Tls, "{err}");
    assert!(err.to_string().contains("TLS handshake failed"), "{err}");
}

#[tokio::test]
async fn a_name_that_does_not_resolve_says_so() {
    // `.invalid` never resolves (RFC 6761); the resolver answers without the network.
    let core =
        core("https://sdkgen-test.invalid", Auth::None, SpecTokenUrl::None).with_timeout(Some(Duration::from_secs(20)));
    let err = get(&core, "/x").await.expect_err("no such host");
    assert_eq!(transport(&err).kind(), TransportErrorKind::Dns, "{err}");
    assert!(err.to_string().contains("did not resolve"), "{err}");
}
