//! Streams of events: the decoder on every cut of a body, and streams read from a local server
//! that sends its body in odd chunks, ends it with a sentinel, or drops the connection.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::Method;

use crate::runtime::events::{Decoder, Framing, RawEvent};
use crate::runtime::{Auth, Error, Event, SpecTokenUrl};
use crate::test_support::ChunkedServer;

/// The events of `body` given in the chunks `cuts` makes of it.
fn decode(framing: Framing, body: &[u8], cuts: &[usize]) -> Vec<RawEvent> {
    let mut decoder = Decoder::new(framing, 1 << 20);
    let mut out = VecDeque::new();
    let mut start = 0;
    for &cut in cuts.iter().chain([body.len()].iter()) {
        decoder.push(&body[start..cut], &mut out).expect("within the limit");
        start = cut;
    }
    decoder.finish(&mut out);
    out.into_iter().collect()
}

fn raw(event: Option<&str>, id: Option<&str>, retry: Option<u64>, data: &str) -> RawEvent {
    RawEvent {
        event: event.map(String::from),
        id: id.map(String::from),
        retry: retry.map(Duration::from_millis),
        data: data.to_string(),
    }
}

/// A body with everything the event stream format has: a byte order mark, each line ending,
/// comments (keep-alives), a field without a colon, multi-line data, `event`, `id` (kept for
/// later events, cleared by an empty one), `retry` (and a bad one, ignored), an event with no
/// data (not dispatched), and an event the body ends before finishing (dropped).
const SSE: &[u8] =
    b"\xEF\xBB\xBF: keep-alive\r\n\r\ndata: {\"n\":1}\r\n\r\nevent: update\nid: 7\ndata: line one\ndata:line two\n\n\
: ping\rretry: 3000\rretry: soon\rdata\r\revent: lonely\n\nid:\ndata:  spaced\n\ndata: unfinished\n";

fn sse_expected() -> Vec<RawEvent> {
    vec![
        raw(None, None, None, "{\"n\":1}"),
        raw(Some("update"), Some("7"), None, "line one\nline two"),
        raw(None, Some("7"), Some(3000), ""),
        raw(None, None, Some(3000), " spaced"),
    ]
}

#[test]
fn server_sent_events_decode_the_same_however_the_body_is_cut() {
    assert_eq!(decode(Framing::Sse, SSE, &[]), sse_expected());
    for cut in 0..=SSE.len() {
        assert_eq!(decode(Framing::Sse, SSE, &[cut]), sse_expected(), "cut at byte {cut}");
    }
    let every_byte: Vec<usize> = (1..SSE.len()).collect();
    assert_eq!(decode(Framing::Sse, SSE, &every_byte), sse_expected());
}

#[test]
fn json_lines_and_json_text_sequences_decode_however_the_body_is_cut() {
    let lines = b"{\"n\":1}\n\n{\"n\":2}\r\n  \n{\"n\":3}";
    let seq = b"\x1e{\"n\":1}\n\x1e{\"n\":2}\n\x1e{\"n\":3}\n";
    let expected = || {
        vec![raw(None, None, None, "{\"n\":1}"), raw(None, None, None, "{\"n\":2}"), raw(None, None, None, "{\"n\":3}")]
    };
    for cut in 0..=lines.len() {
        assert_eq!(decode(Framing::JsonLines, lines, &[cut]), expected(), "JSON lines cut at {cut}");
    }
    for cut in 0..=seq.len() {
        assert_eq!(decode(Framing::JsonSeq, seq, &[cut]), expected(), "JSON seq cut at {cut}");
    }
}

#[test]
fn an_event_longer_than_the_limit_is_refused() {
    let mut decoder = Decoder::new(Framing::Sse, 16);
    let mut out = VecDeque::new();
    assert!(decoder.push(b"data: 0123456789\n", &mut out).is_ok());
    assert!(decoder.push(b"data: 0123456789\n\n", &mut out).is_err());
    let mut decoder = Decoder::new(Framing::JsonLines, 16);
    assert!(decoder.push(&[b'1'; 40], &mut out).is_err(), "a line with no end is cut off too");
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Chunk {
    n: u32,
}

/// `body` cut into pieces of `size` bytes.
fn pieces(body: &[u8], size: usize) -> Vec<Vec<u8>> {
    body.chunks(size).map(<[u8]>::to_vec).collect()
}

fn core(url: &str) -> crate::runtime::Core {
    super::core(url, Auth::none(), SpecTokenUrl::None)
}

#[tokio::test]
async fn a_stream_of_json_events_reads_to_the_sentinel_in_odd_chunks() {
    let body = b": hello\r\n\r\ndata: {\"n\":1}\r\n\r\nevent: delta\r\nid: a1\r\ndata: {\"n\":2}\r\n\r\ndata: {\"n\":\"x\"}\n\n\
data: [DONE]\n\ndata: {\"n\":9}\n\n";
    let server = ChunkedServer::start(200, "text/event-stream", pieces(body, 5), true).await;
    let core = core(&server.url);
    let opened =
        core.request(Method::POST, "chat", "/chat").open::<()>("text/event-stream", None).await.expect("opened");
    assert_eq!(opened.status(), 200);
    let items: Vec<Result<Event<Chunk>, Error<()>>> = opened.sse(Some("[DONE]")).collect().await;
    assert_eq!(items.len(), 3, "two events, a bad one, and nothing after the sentinel: {items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, Chunk { n: 1 });
    let second = items[1].as_ref().unwrap();
    assert_eq!(
        (second.event.as_deref(), second.id.as_deref(), &second.data),
        (Some("delta"), Some("a1"), &Chunk { n: 2 })
    );
    match &items[2] {
        Err(Error::Decode(e)) => assert_eq!((e.path.as_str(), e.body.as_str()), ("n", "{\"n\":\"x\"}")),
        other => panic!("a decode error naming the field: {other:?}"),
    }
    let head = &server.heads()[0];
    assert!(head.to_ascii_lowercase().contains("\r\naccept: text/event-stream\r\n"), "{head}");
}

#[tokio::test]
async fn a_dropped_connection_is_an_error_item_and_then_the_end() {
    let body = b"data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: {\"n\"";
    let server = ChunkedServer::start(200, "text/event-stream", pieces(body, 7), false).await;
    let core = core(&server.url);
    let opened =
        core.request(Method::GET, "watch", "/watch").open::<()>("text/event-stream", None).await.expect("opened");
    let mut events = opened.sse::<Chunk, ()>(None);
    assert_eq!(events.next().await.unwrap().unwrap().data, Chunk { n: 1 });
    assert_eq!(events.next().await.unwrap().unwrap().data, Chunk { n: 2 });
    match events.next().await {
        Some(Err(Error::Transport(_))) => {}
        other => panic!("a transport error: {other:?}"),
    }
    assert!(events.next().await.is_none(), "nothing after the break");
}

#[tokio::test]
async fn json_lines_stream_and_text_events_keep_their_data() {
    let server =
        ChunkedServer::start(200, "application/x-ndjson", pieces(b"{\"n\":1}\n{\"n\":2}\n{\"n\":3}", 3), true).await;
    let opened =
        core(&server.url).request(Method::GET, "l", "/l").open::<()>("application/x-ndjson", None).await.unwrap();
    let items: Vec<Chunk> = opened.json_lines::<Chunk, ()>().map(|r| r.unwrap()).collect().await;
    assert_eq!(items, vec![Chunk { n: 1 }, Chunk { n: 2 }, Chunk { n: 3 }]);

    let server = ChunkedServer::start(200, "text/event-stream", pieces(b"event: delete\ndata: 123\n\n", 4), true).await;
    let opened = core(&server.url).request(Method::GET, "s", "/s").open::<()>("text/event-stream", None).await.unwrap();
    let items: Vec<Event<String>> = opened.sse_text::<()>(None).map(|r| r.unwrap()).collect().await;
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].event.as_deref(), items[0].data.as_str()), (Some("delete"), "123"));
}

#[tokio::test]
async fn an_error_status_is_read_in_full_and_a_long_stream_outlives_the_timeout() {
    let server = ChunkedServer::start(429, "application/json", pieces(b"{\"error\":\"slow down\"}", 4), true).await;
    let opened = core(&server.url).request(Method::GET, "s", "/s").open::<()>("text/event-stream", None).await.unwrap();
    assert_eq!(opened.status(), 429);
    let response = opened.read::<()>().await.unwrap();
    assert_eq!(response.body, b"{\"error\":\"slow down\"}");

    // 40 chunks 2 ms apart take longer than the 30 ms timeout, which limits only the head.
    let body: Vec<u8> = (0..40).flat_map(|n| format!("data: {{\"n\":{n}}}\n\n").into_bytes()).collect();
    let server = ChunkedServer::start(200, "text/event-stream", pieces(&body, 12), true).await;
    let core = core(&server.url).with_timeout(Some(Duration::from_millis(30)));
    let opened = core.request(Method::GET, "s", "/s").open::<()>("text/event-stream", None).await.unwrap();
    let items: Vec<_> = opened.sse::<Chunk, ()>(None).collect().await;
    assert_eq!(items.len(), 40);
    assert!(items.iter().all(Result::is_ok));
}

#[tokio::test]
async fn resuming_sends_the_last_event_id_in_place_of_any_other() {
    let server = ChunkedServer::start(200, "text/event-stream", vec![b"id: 8\ndata: 1\n\n".to_vec()], true).await;
    let opened = core(&server.url)
        .request(Method::GET, "s", "/s")
        .header("Last-Event-ID", Some("from-a-parameter"))
        .open::<()>("text/event-stream", Some("7"))
        .await
        .unwrap();
    let items: Vec<Event<String>> = opened.sse_text::<()>(None).map(|r| r.unwrap()).collect().await;
    assert_eq!(items[0].id.as_deref(), Some("8"));
    let head = server.heads()[0].to_ascii_lowercase();
    assert!(head.contains("\r\nlast-event-id: 7\r\n"), "{head}");
    assert!(!head.contains("from-a-parameter"), "one Last-Event-ID: {head}");
}

/// The body is read only as fast as events are taken: a server streaming without end has
/// written little more than the socket buffers hold while the consumer waits.
#[tokio::test]
async fn an_endless_stream_is_read_only_as_the_consumer_asks() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicUsize::new(0));
    let count = written.clone();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).await.unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let event = format!("data: {{\"n\":1}}\n\n{}\n", ":".repeat(64 * 1024));
        while socket.write_all(event.as_bytes()).await.is_ok() {
            count.fetch_add(event.len(), Ordering::Relaxed);
        }
    });
    let opened = core(&url).request(Method::GET, "s", "/s").open::<()>("text/event-stream", None).await.unwrap();
    let mut events = opened.sse::<Chunk, ()>(None);
    for _ in 0..3 {
        assert_eq!(events.next().await.unwrap().unwrap().data, Chunk { n: 1 });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = written.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = written.load(Ordering::Relaxed);
    assert_eq!(before, after, "the server is held up while nothing is read");
    assert!(after < 64 * 1024 * 1024, "{after} bytes written for three events");
    assert_eq!(events.next().await.unwrap().unwrap().data, Chunk { n: 1 }, "and the stream goes on");
}
