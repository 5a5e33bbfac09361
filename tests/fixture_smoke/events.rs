//! Compiled inside the crate generated from tests/fixtures/streams.yaml, callbacks.yaml and
//! openapi31/webhooks-only.yaml (see tests/fixture_client.rs): event streams read from a local
//! server that cuts its body in odd places, ends it with a sentinel or drops the connection;
//! webhook bodies parsed into their events, and signatures checked.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fixture_events::models::{self, CompletionRequest};
use fixture_events::reqwest::header::{HeaderMap, HeaderValue};
use fixture_events::{callbacks, streams, webhooks_only, Auth, Error, RetryPolicy, StreamExt};
use fixture_events::{WebhookError, WebhookVerifier};

/// A server that answers each request with `status`, `content_type` and `body` written in
/// pieces of `piece` bytes, a pause between them; with `complete: false` the connection
/// ends before the body its `content-length` claims. It keeps each request's head and body.
struct RawServer {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    fn start(status: u16, content_type: &'static str, body: &'static [u8], piece: usize, complete: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for socket in listener.incoming() {
                let Ok(mut socket) = socket else { return };
                let Some(request) = read_request(&mut socket) else { continue };
                seen.lock().unwrap().push(request);
                // Incomplete: it claims a body longer than it sends, and the connection breaks.
                let length = body.len() + if complete { 0 } else { 100 };
                let head = format!("HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n");
                let _ = socket.write_all(head.as_bytes());
                for chunk in body.chunks(piece) {
                    if socket.write_all(chunk).and_then(|()| socket.flush()).is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                let _ = socket.shutdown(std::net::Shutdown::Both);
            }
        });
        Self { url, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// The request's head and body (as long as its `content-length`), as text.
fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).ok()? != 1 {
            return None;
        }
        bytes.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    socket.read_exact(&mut body).ok()?;
    bytes.extend_from_slice(&body);
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn client(url: &str) -> streams::Client {
    streams::Client::with_base_url(url, Auth::none())
        .unwrap()
        .with_retry(RetryPolicy { max_attempts: 1, ..RetryPolicy::default() })
}

const COMPLETION_STREAM: &[u8] = b": keep-alive\r\n\r\nretry: 2500\r\nid: c-1\r\ndata: {\"id\":\"c\",\r\ndata: \"delta\":\"Hel\"}\r\n\r\n\
event: chunk\nid: c-2\ndata: {\"id\":\"c\",\"delta\":\"lo\"}\n\n: ping\n\ndata: {\"id\":\"c\",\"delta\":\"!\"}\r\r\
data: [DONE]\n\ndata: {\"id\":\"after the end\",\"delta\":\"\"}\n\n";

#[tokio::test]
async fn a_completion_streams_typed_events_up_to_the_sentinel_however_the_body_is_cut() {
    for piece in [1, 3, 7, 64] {
        let server = RawServer::start(200, "text/event-stream", COMPLETION_STREAM, piece, true);
        let mut request = CompletionRequest::new("Hello");
        request.stream = Some(true);
        let events = client(&server.url).create_completion(&request).events().await.unwrap();
        let events: Vec<_> = events.map(|e| e.unwrap()).collect().await;
        let deltas: Vec<&str> = events.iter().map(|e| e.data.delta.as_str()).collect();
        assert_eq!(deltas, ["Hel", "lo", "!"], "pieces of {piece}");
        assert_eq!((events[0].id.as_deref(), events[0].retry, events[0].event.as_deref()), (Some("c-1"), Some(Duration::from_millis(2500)), None));
        assert_eq!((events[1].id.as_deref(), events[1].event.as_deref()), (Some("c-2"), Some("chunk")));
        // The last event ID stays until the server sets another.
        assert_eq!(events[2].id.as_deref(), Some("c-2"));
        let request = &server.requests()[0];
        assert!(request.contains("\r\naccept: text/event-stream\r\n"), "{request}");
        assert!(request.ends_with("{\"prompt\":\"Hello\",\"stream\":true}"), "{request}");
    }
}

#[tokio::test]
async fn a_stream_resumes_after_the_last_event_read() {
    let server = RawServer::start(200, "text/event-stream", COMPLETION_STREAM, 16, true);
    let request = CompletionRequest::new("Hello");
    let events = client(&server.url).create_completion(&request).events_after("c-2").await.unwrap();
    assert_eq!(events.count().await, 3);
    assert!(server.requests()[0].contains("\r\nlast-event-id: c-2\r\n"));
}

#[tokio::test]
async fn a_documented_error_comes_before_any_event_and_send_still_reads_json() {
    let server = RawServer::start(429, "application/json", b"{\"message\":\"slow down\"}", 5, true);
    let request = CompletionRequest::new("Hello");
    match client(&server.url).create_completion(&request).events().await {
        Err(Error::Api(e)) => match e.body {
            streams::CreateCompletionError::TooManyRequests { body, .. } => assert_eq!(body.message, "slow down"),
            other => panic!("the 429 variant: {other:?}"),
        },
        Err(other) => panic!("the typed error: {other:?}"),
        Ok(_) => panic!("the typed error, not a stream"),
    }
    let server = RawServer::start(200, "application/json", b"{\"id\":\"c\",\"text\":\"Hello!\"}", 4, true);
    let completion = client(&server.url).create_completion(&request).await.unwrap();
    assert_eq!(completion.text, "Hello!");
    assert!(!server.requests()[0].contains("text/event-stream"), "{}", server.requests()[0]);
}

#[tokio::test]
async fn a_broken_connection_is_an_error_item_and_then_the_end() {
    let body = b"data: {\"id\":\"c\",\"delta\":\"a\"}\n\ndata: {\"id\":\"c\",\"del";
    let server = RawServer::start(200, "text/event-stream", body, 9, false);
    let request = CompletionRequest::new("Hello");
    let mut events = client(&server.url).create_completion(&request).events().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data.delta, "a");
    match events.next().await {
        Some(Err(Error::Transport(_))) => {}
        other => panic!("a transport error: {other:?}"),
    }
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn undescribed_events_are_text_and_json_lines_and_sequences_are_typed() {
    let server = RawServer::start(200, "text/event-stream", b"event: update\ndata: one\ndata: two\n\n", 5, true);
    let events: Vec<_> =
        client(&server.url).watch_timeline().tag("a b").events().await.unwrap().map(|e| e.unwrap()).collect().await;
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].event.as_deref(), events[0].data.as_str()), (Some("update"), "one\ntwo"));
    assert!(server.requests()[0].starts_with("GET /timeline?tag=a+b "), "{}", server.requests()[0]);

    let server =
        RawServer::start(200, "application/x-ndjson", b"{\"id\":1,\"name\":\"a\"}\r\n\n{\"id\":2}\n{\"id\":\"x\"}\n", 4, true);
    let records: Vec<_> = client(&server.url).export_records().events().await.unwrap().collect().await;
    assert_eq!(records.len(), 3);
    let first = records[0].as_ref().unwrap();
    assert_eq!((first.id, first.name.as_deref()), (1, Some("a")));
    assert_eq!(records[1].as_ref().unwrap().id, 2);
    assert!(matches!(&records[2], Err(Error::Decode(e)) if e.path == "id"), "{:?}", records[2]);

    let server = RawServer::start(
        206,
        "application/json-seq",
        b"\x1e{\"id\":\"1\",\"text\":\"a\"}\n\x1e{\"id\":\"2\",\"text\":\"b\"}\n",
        3,
        true,
    );
    let changes: Vec<models::Completion> =
        client(&server.url).list_changes().events().await.unwrap().map(|c| c.unwrap()).collect().await;
    assert_eq!(changes.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["a", "b"]);
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn signed(verifier: &WebhookVerifier, id: &str, timestamp: u64, body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", HeaderValue::from_str(id).unwrap());
    headers.insert("webhook-timestamp", HeaderValue::from_str(&timestamp.to_string()).unwrap());
    headers.insert("webhook-signature", HeaderValue::from_str(&verifier.sign(id, timestamp, body)).unwrap());
    headers
}

#[test]
fn webhooks_parse_into_the_event_their_type_names() {
    let body = br#"{"type":"payment.succeeded","id":"p1","amount":1200}"#;
    match webhooks_only::webhooks::Webhook::parse(body).unwrap() {
        webhooks_only::webhooks::Webhook::PaymentSucceeded(p) => assert_eq!((p.id.as_str(), p.amount), ("p1", 1200)),
        other => panic!("payment.succeeded: {other:?}"),
    }
    // Two values of one webhook's type enum both mean it.
    for kind in ["refund.created", "refund.updated"] {
        let body = format!(r#"{{"type":"{kind}","amount":5}}"#);
        let event = webhooks_only::webhooks::Webhook::parse(body.as_bytes()).unwrap();
        assert!(matches!(event, webhooks_only::webhooks::Webhook::RefundCreated(_)), "{kind}: {event:?}");
    }
    let failed = webhooks_only::webhooks::parse_payment_failed(br#"{"type":"payment.failed","id":"p2","reason":null}"#);
    assert_eq!(failed.unwrap().id, "p2");

    let unknown = webhooks_only::webhooks::Webhook::parse(br#"{"type":"payout.sent","x":1}"#).unwrap();
    match unknown {
        webhooks_only::webhooks::Webhook::Other { event, payload } => {
            assert_eq!((event.as_str(), &payload["x"]), ("payout.sent", &serde_json::json!(1)))
        }
        other => panic!("an event the spec does not list: {other:?}"),
    }
    let wrong = webhooks_only::webhooks::Webhook::parse(br#"{"type":"payment.succeeded","id":"p1","amount":"a lot"}"#);
    assert!(matches!(&wrong, Err(WebhookError::Decode { path, .. }) if path == "amount"), "{wrong:?}");
    let untyped = webhooks_only::webhooks::Webhook::parse(br#"{"id":"p1"}"#);
    assert!(matches!(untyped, Err(WebhookError::NoEventType { property: "type" })), "{untyped:?}");
    assert!(matches!(webhooks_only::webhooks::Webhook::parse(b"not json"), Err(WebhookError::Decode { .. })));
}

#[test]
fn callbacks_parse_into_their_payloads() {
    let event = callbacks::webhooks::parse_create_subscription_on_event(br#"{"kind":"deleted","id":"s1"}"#).unwrap();
    assert!(matches!(event, models::OnEventPayload::Deleted(d) if d.id == "s1"));
    let ping = callbacks::webhooks::parse_create_subscription_on_ping(br#"{"sentAt":"2026-12-04T10:00:00Z"}"#).unwrap();
    assert_eq!(ping.sent_at.to_rfc3339(), "2026-12-04T10:00:00+00:00");
    let bad = callbacks::webhooks::parse_create_subscription_on_ping(br#"{"sentAt":"yesterday"}"#);
    assert!(matches!(&bad, Err(WebhookError::Decode { path, .. }) if path == "sentAt"), "{bad:?}");

    // No property tells the two apart: the name of the callback the request came for does.
    use callbacks::webhooks::CreateSubscriptionCallback as Callback;
    let ping = Callback::parse_named("onPing", br#"{"sentAt":"2026-12-04T10:00:00Z"}"#).unwrap();
    assert!(matches!(ping, Callback::OnPing(_)), "{ping:?}");
    let event = Callback::parse_named("onEvent", br#"{"kind":"created","id":"s2"}"#).unwrap();
    assert!(matches!(event, Callback::OnEvent(models::OnEventPayload::Created(_))), "{event:?}");
    let other = Callback::parse_named("onRenewal", br#"{"at":1}"#).unwrap();
    assert!(matches!(&other, Callback::Other { event, .. } if event == "onRenewal"), "{other:?}");
    let named = webhooks_only::webhooks::Webhook::parse_named("payment.failed", br#"{"type":"payment.failed","id":"p3","reason":"card"}"#);
    assert!(matches!(named, Ok(webhooks_only::webhooks::Webhook::PaymentFailed(_))), "{named:?}");
}

#[test]
fn signatures_are_verified_and_tampered_or_stale_requests_refused() {
    let verifier = WebhookVerifier::new(SECRET).unwrap();
    let body = br#"{"type":"payment.succeeded","id":"p1","amount":1200}"#;
    let headers = signed(&verifier, "msg_1", now(), body);
    verifier.verify(&headers, body).unwrap();
    assert!(matches!(webhooks_only::webhooks::Webhook::parse(body), Ok(webhooks_only::webhooks::Webhook::PaymentSucceeded(_))));

    let tampered = br#"{"type":"payment.succeeded","id":"p1","amount":9200}"#;
    assert_eq!(verifier.verify(&headers, tampered), Err(WebhookError::BadSignature));
    let other_secret = WebhookVerifier::new("whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=").unwrap();
    assert_eq!(other_secret.verify(&headers, body), Err(WebhookError::BadSignature));

    let stale = signed(&verifier, "msg_2", now() - 600, body);
    assert!(matches!(verifier.verify(&stale, body), Err(WebhookError::Stale { .. })));
    let early = signed(&verifier, "msg_3", now() + 600, body);
    assert!(matches!(verifier.verify(&early, body), Err(WebhookError::Stale { .. })));
    let lenient = verifier.clone().with_tolerance(Duration::from_secs(3600));
    lenient.verify(&stale, body).unwrap();

    // Svix's names for the same headers; a rotated secret's several signatures.
    let mut svix = HeaderMap::new();
    let timestamp = now();
    svix.insert("svix-id", HeaderValue::from_static("msg_4"));
    svix.insert("svix-timestamp", HeaderValue::from_str(&timestamp.to_string()).unwrap());
    let both = format!("{} {}", other_secret.sign("msg_4", timestamp, body), verifier.sign("msg_4", timestamp, body));
    svix.insert("svix-signature", HeaderValue::from_str(&both).unwrap());
    verifier.verify(&svix, body).unwrap();

    let mut missing = headers.clone();
    missing.remove("webhook-signature");
    assert_eq!(verifier.verify(&missing, body), Err(WebhookError::MissingHeader("webhook-signature")));
    assert_eq!(WebhookVerifier::new("whsec_not base64!").err(), Some(WebhookError::InvalidSecret));
    assert!(!format!("{verifier:?}").contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "the secret stays out of Debug");
}
