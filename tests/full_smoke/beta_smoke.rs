//! Compiled inside the crate generated from ../shared/specs/sailpoint-beta.yaml (see
//! tests/full_client.rs, which copies this file there): hostile query and header values, checked
//! on the raw request as it reaches a server. `listAdministratorsAccessRequestStatus` is the one
//! operation of the SailPoint specs with a header parameter.

use std::io::{Read, Write};
use std::time::Duration;

use sailpoint_beta_full::sailpoint_beta::Client;
use sailpoint_beta_full::{Auth, Error, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const HOSTILE: &str = "a&limit=1000#frag%2F?x=../\r\nX-Injected: 1 é+";

/// A plain TCP listener that answers one request with `200 []` and hands back the request's
/// head (request line and headers) exactly as it arrived: no HTTP library tidies it up first.
fn record_one_request() -> (String, std::thread::JoinHandle<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let recorder = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("a connection");
        stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]";
        stream.write_all(reply.as_bytes()).expect("reply");
        String::from_utf8_lossy(&head).into_owned()
    });
    (base, recorder)
}

#[tokio::test]
async fn hostile_query_values_stay_inside_their_own_parameter_on_the_wire() {
    let (base, recorder) = record_one_request();
    let client = Client::with_base_url(&base, Auth::bearer("beta-token")).expect("a valid client").with_retry(RetryPolicy::none());
    let statuses = client
        .list_administrators_access_request_status("true")
        .requested_for(HOSTILE)
        .filters(HOSTILE)
        .limit(5)
        .send()
        .await
        .expect("an empty list");
    assert!(statuses.is_empty());

    let head = recorder.join().expect("the recorder");
    let mut lines = head.split("\r\n");
    let encoded = "a%26limit%3D1000%23frag%252F%3Fx%3D..%2F%0D%0AX-Injected%3A+1+%C3%A9%2B";
    assert_eq!(
        lines.next(),
        Some(format!("GET /access-request-administration?requested-for={encoded}&limit=5&filters={encoded} HTTP/1.1").as_str())
    );
    let headers: Vec<String> = lines.filter(|l| !l.is_empty()).map(str::to_ascii_lowercase).collect();
    assert!(headers.contains(&"x-sailpoint-experimental: true".to_string()), "{headers:?}");
    assert!(!headers.iter().any(|h| h.starts_with("x-injected")), "{headers:?}");
}

#[tokio::test]
async fn header_values_that_are_not_plain_visible_ascii_are_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("[]")).mount(&server).await;
    let client = Client::with_base_url(server.uri(), Auth::bearer("beta-token")).expect("a valid client");
    for value in ["true\r\nX-Injected: 1", "true\nX-Injected: 1", "true\r", "caf\u{e9}"] {
        let err = client.list_administrators_access_request_status(value).send().await.expect_err(&format!("{value:?} refused"));
        match err {
            Error::InvalidRequest(message) => {
                assert!(message.contains("X-SailPoint-Experimental"), "{message}");
                assert!(!message.contains("X-Injected"), "the value itself stays out of the message: {message}");
            }
            other => panic!("expected InvalidRequest for {value:?}, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.expect("recording").is_empty(), "nothing reached the server");
}
