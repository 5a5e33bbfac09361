//! Responses read as streams of events: server-sent events (`text/event-stream`), JSON lines
//! (`application/jsonl`, `application/x-ndjson`) and JSON text sequences (`application/json-seq`).
//!
//! The body is read a chunk at a time, and only when the consumer asks for the next event, so a
//! stream that never ends is never held in memory; one event may be at most the client's
//! response limit.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{Error, TransportError};
use super::response::decode_json;

/// One server-sent event, as the WHATWG HTML standard's event stream format defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event's type (its `event:` field); `None` is the default type, `message`.
    pub event: Option<String>,
    /// The last event ID the server set (by an `id:` field of this event or an earlier one):
    /// send it as `Last-Event-ID` to resume after this event.
    pub id: Option<String>,
    /// How long the server asked a client to wait before reconnecting (its last `retry:`).
    pub retry: Option<Duration>,
    /// The event's data (its `data:` lines joined by newlines), decoded.
    pub data: T,
}

/// The events of a streamed response, read as the consumer asks for them. An event that does
/// not decode is an error item and the stream goes on; a broken connection is an error item and
/// the end; a documented end-of-stream sentinel (OpenAI's `data: [DONE]`) ends it quietly.
#[must_use = "a stream does nothing unless polled"]
pub struct Events<T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>,
}

impl<T, E> Stream for Events<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, E> std::fmt::Debug for Events<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Events { .. }")
    }
}

/// How a streamed body is cut into events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    Sse,
    /// One JSON value per line (JSON lines, NDJSON).
    JsonLines,
    /// RFC 7464: each JSON value after a record separator (0x1E).
    JsonSeq,
}

/// An event as the body gives it, before its data is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub(crate) event: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) retry: Option<Duration>,
    pub(crate) data: String,
}

/// Cuts a body into raw events as its bytes arrive, in any chunking.
#[derive(Debug)]
pub(crate) struct Decoder {
    framing: Framing,
    /// The bytes of the line (or record) not yet ended.
    line: Vec<u8>,
    /// The last byte was a CR: an LF right after it ends nothing more.
    after_cr: bool,
    /// Whether no line has ended yet: the first may begin with a byte order mark.
    at_start: bool,
    /// SSE: the event being read.
    data: String,
    has_data: bool,
    event: Option<String>,
    last_id: Option<String>,
    retry: Option<Duration>,
    /// The most an event may hold.
    limit: usize,
}

/// An event longer than the limit.
#[derive(Debug)]
pub(crate) struct TooLong;

impl Decoder {
    pub(crate) fn new(framing: Framing, limit: usize) -> Self {
        Self {
            framing,
            line: Vec::new(),
            after_cr: false,
            at_start: true,
            data: String::new(),
            has_data: false,
            event: None,
            last_id: None,
            retry: None,
            limit,
        }
    }

    /// Reads `chunk`, adding the events it completes to `out`.
    pub(crate) fn push(&mut self, chunk: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), TooLong> {
        for &byte in chunk {
            match (self.framing, byte) {
                (Framing::JsonSeq, 0x1E) => self.end_line(out)?,
                (_, b'\n') if self.after_cr => self.after_cr = false,
                (_, b'\n') => self.end_line(out)?,
                (Framing::Sse, b'\r') => {
                    self.end_line(out)?;
                    self.after_cr = true;
                }
                _ => {
                    self.after_cr = false;
                    if self.line.len() + self.data.len() >= self.limit {
                        return Err(TooLong);
                    }
                    self.line.push(byte);
                }
            }
        }
        Ok(())
    }

    /// The body ended: a last JSON line without its newline is an event; an SSE event not
    /// ended by a blank line is dropped, as the standard says.
    pub(crate) fn finish(&mut self, out: &mut VecDeque<RawEvent>) {
        if self.framing != Framing::Sse {
            let _ = self.end_line(out);
        }
        self.line.clear();
    }

    fn end_line(&mut self, out: &mut VecDeque<RawEvent>) -> Result<(), TooLong> {
        let mut bytes = std::mem::take(&mut self.line);
        if std::mem::take(&mut self.at_start) && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let line = String::from_utf8_lossy(&bytes).into_owned();
        match self.framing {
            Framing::JsonLines | Framing::JsonSeq => {
                let text = line.trim();
                if !text.is_empty() {
                    out.push_back(RawEvent { event: None, id: None, retry: None, data: text.to_string() });
                }
            }
            Framing::Sse => self.sse_line(&line, out)?,
        }
        Ok(())
    }

    fn sse_line(&mut self, line: &str, out: &mut VecDeque<RawEvent>) -> Result<(), TooLong> {
        if line.is_empty() {
            let event = self.event.take();
            if std::mem::take(&mut self.has_data) {
                let mut data = std::mem::take(&mut self.data);
                data.pop(); // the newline after the last `data:` line
                out.push_back(RawEvent { event, id: self.last_id.clone(), retry: self.retry, data });
            }
            return Ok(());
        }
        if line.starts_with(':') {
            return Ok(()); // a comment, often a keep-alive
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                if self.data.len() + value.len() >= self.limit {
                    return Err(TooLong);
                }
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_string()),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()).filter(|v| !v.is_empty()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
        Ok(())
    }
}

/// What turns a raw event into an item of the stream: `None` ends the stream (a sentinel).
pub(crate) type Convert<T, E> = Box<dyn Fn(RawEvent) -> Option<Result<T, Error<E>>> + Send>;

/// The events of `response`, cut by `framing` and made items by `convert`.
pub(crate) fn events<T, E>(
    response: reqwest::Response,
    framing: Framing,
    limit: usize,
    on_error: impl Fn(reqwest::Error) -> TransportError + Send + 'static,
    convert: Convert<T, E>,
) -> Events<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    let status = response.status();
    struct Reading<T, E, F> {
        response: Option<reqwest::Response>,
        decoder: Decoder,
        ready: VecDeque<RawEvent>,
        on_error: F,
        convert: Convert<T, E>,
    }
    let start = Reading {
        response: Some(response),
        decoder: Decoder::new(framing, limit),
        ready: VecDeque::new(),
        on_error,
        convert,
    };
    let stream = futures_util::stream::unfold(start, move |mut reading| async move {
        loop {
            if let Some(raw) = reading.ready.pop_front() {
                match (reading.convert)(raw) {
                    Some(item) => return Some((item, reading)),
                    None => return None, // the sentinel: nothing after it is read
                }
            }
            let response = reading.response.as_mut()?;
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if reading.decoder.push(&chunk, &mut reading.ready).is_err() {
                        reading.response = None;
                        reading.ready.clear();
                        return Some((Err(Error::TooLarge { status, limit }), reading));
                    }
                }
                Ok(None) => {
                    reading.response = None;
                    reading.decoder.finish(&mut reading.ready);
                }
                Err(e) => {
                    reading.response = None;
                    reading.ready.clear();
                    let error = Error::Transport(Box::new((reading.on_error)(e)));
                    return Some((Err(error), reading));
                }
            }
        }
    });
    Events { inner: Box::pin(stream) }
}

/// Decodes an event's data as JSON of `T`, or says where it does not fit.
pub(crate) fn decode_data<T: DeserializeOwned, E>(status: StatusCode, data: &str) -> Result<T, Error<E>> {
    decode_json(status, data.as_bytes(), data.as_bytes()).map_err(Error::Decode)
}

/// Server-sent events whose data is JSON of `T`; data equal to `sentinel` ends the stream.
pub(crate) fn sse_json<T, E>(status: StatusCode, sentinel: Option<&'static str>) -> Convert<Event<T>, E>
where
    T: DeserializeOwned + Send + 'static,
    E: Send + 'static,
{
    Box::new(move |raw: RawEvent| {
        if sentinel.is_some_and(|s| raw.data.trim() == s) {
            return None;
        }
        let data = decode_data(status, &raw.data);
        Some(data.map(|data| Event { event: raw.event, id: raw.id, retry: raw.retry, data }))
    })
}

/// Server-sent events whose data is text (the spec gives no schema for it).
pub(crate) fn sse_text<E: Send + 'static>(sentinel: Option<&'static str>) -> Convert<Event<String>, E> {
    Box::new(move |raw: RawEvent| {
        if sentinel.is_some_and(|s| raw.data.trim() == s) {
            return None;
        }
        Some(Ok(Event { event: raw.event, id: raw.id, retry: raw.retry, data: raw.data }))
    })
}

/// JSON values, one per line or record, each of `T`.
pub(crate) fn json_values<T, E>(status: StatusCode) -> Convert<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: Send + 'static,
{
    Box::new(move |raw: RawEvent| Some(decode_data(status, &raw.data)))
}
