//! What a call or a client's construction can fail with. Every message says what happened and,
//! where there is one, the cause; none ever holds a secret.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::retry::retry_after;

/// Why a call failed. `E` is the operation's enum of documented error responses.
#[derive(Debug)]
pub enum Error<E> {
    /// The server answered with an error status that the spec documents; `body` holds the
    /// typed body.
    Api(Box<ApiError<E>>),
    /// The server answered with a status that the spec does not document for this operation.
    UnexpectedStatus(Box<RawResponse>),
    /// The body did not match the type the spec gives for its status.
    Decode(Box<DecodeError>),
    /// The request could not be sent or its response not read: a timeout, a refused
    /// connection, a name that does not resolve, TLS, too many redirects.
    Transport(Box<TransportError>),
    /// The request body could not be encoded.
    Encode(String),
    /// A parameter has a value that cannot be sent safely.
    InvalidRequest(String),
    /// No access token could be had (client credentials): why, never with the secret.
    Auth(String),
    /// The response body was longer than the client's limit (see `with_max_response_bytes`).
    TooLarge { status: StatusCode, limit: usize },
}

impl Error<std::convert::Infallible> {
    /// The same error as any operation's: it cannot be a documented one (`Api`).
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Error::Api(api) => match api.body {},
            Error::UnexpectedStatus(raw) => Error::UnexpectedStatus(raw),
            Error::Decode(decode) => Error::Decode(decode),
            Error::Transport(transport) => Error::Transport(transport),
            Error::Encode(message) => Error::Encode(message),
            Error::InvalidRequest(message) => Error::InvalidRequest(message),
            Error::Auth(message) => Error::Auth(message),
            Error::TooLarge { status, limit } => Error::TooLarge { status, limit },
        }
    }
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus(r) => Some(r.status),
            Error::Decode(d) => Some(d.status),
            Error::Transport(e) => e.source.as_ref().and_then(reqwest::Error::status),
            Error::TooLarge { status, .. } => Some(*status),
            Error::Encode(_) | Error::InvalidRequest(_) | Error::Auth(_) => None,
        }
    }

    /// The documented error body, if that is what the server sent.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "the server answered {}: {:?}", e.status, e.body),
            Error::UnexpectedStatus(r) => {
                write!(f, "the server answered {}, which the API does not document", r.status)
            }
            Error::Decode(d) => write!(f, "the {} response did not decode at `{}`: {}", d.status, d.path, d.message),
            Error::Transport(e) => write!(f, "the request failed: {e}"),
            Error::Encode(e) => write!(f, "the request body could not be encoded: {e}"),
            Error::InvalidRequest(why) => write!(f, "invalid request: {why}"),
            Error::Auth(why) => write!(f, "authentication failed: {why}"),
            Error::TooLarge { status, limit } => write!(f, "the {status} response is longer than {limit} bytes"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// A documented error response: its status, headers and typed body.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: E,
}

impl<E> ApiError<E> {
    /// How long the server asks to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers)
    }
}

/// A response with a status the operation does not document.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as text, cut at 64 KiB.
    pub body: String,
}

/// A body that did not match its type.
#[derive(Debug, Clone)]
pub struct DecodeError {
    pub status: StatusCode,
    /// Where in the body decoding failed, e.g. `messages[0].localeOrigin`.
    pub path: String,
    pub message: String,
    /// The body as text, cut at 64 KiB.
    pub body: String,
}

/// A request that got no complete response. `Display` says what happened, where (method,
/// origin and path; never the query, which may carry values nobody should find in a log) and
/// the whole chain of causes; `source()` is the underlying `reqwest::Error`.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    /// `METHOD scheme://host:port/path`.
    target: String,
    source: Option<reqwest::Error>,
}

/// What kind of failure a [`TransportError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection within the connect timeout (`after`, when the client set it).
    ConnectTimeout { after: Option<Duration> },
    /// The attempt took longer than the client's timeout (`after`, when the client set it).
    Timeout { after: Option<Duration> },
    /// The server's host refused the connection: nothing listens there.
    ConnectionRefused,
    /// The host name did not resolve.
    Dns,
    /// The TLS handshake failed: a certificate not trusted, or not TLS at all.
    Tls,
    /// Connecting failed otherwise.
    Connect,
    /// More redirects than the client follows.
    TooManyRedirects { limit: u32 },
    /// A redirect whose `Location` is not an `http` or `https` URL.
    BadRedirect,
    /// The connection broke while sending the request or reading the response.
    Other,
}

impl TransportError {
    pub(crate) fn new(
        source: reqwest::Error,
        method: &reqwest::Method,
        url: &reqwest::Url,
        timeout: Option<Duration>,
        connect_timeout: Option<Duration>,
    ) -> Self {
        let kind = classify(&source, timeout, connect_timeout);
        Self { kind, target: target(method, url), source: Some(source.without_url()) }
    }

    pub(crate) fn redirect(kind: TransportErrorKind, method: &reqwest::Method, url: &reqwest::Url) -> Self {
        Self { kind, target: target(method, url), source: None }
    }

    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request or connecting timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, TransportErrorKind::Timeout { .. } | TransportErrorKind::ConnectTimeout { .. })
    }

    /// Whether no connection could be made (refused, DNS, TLS, connect timeout, ...).
    pub fn is_connect(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::ConnectTimeout { .. }
                | TransportErrorKind::ConnectionRefused
                | TransportErrorKind::Dns
                | TransportErrorKind::Tls
                | TransportErrorKind::Connect
        )
    }
}

fn target(method: &reqwest::Method, url: &reqwest::Url) -> String {
    format!("{method} {}{}", url.origin().ascii_serialization(), url.path())
}

/// The kind, from what reqwest says and the causes it wraps. hyper-util names DNS failures only
/// in its message, so that one kind is found by text; the others by type.
fn classify(e: &reqwest::Error, timeout: Option<Duration>, connect_timeout: Option<Duration>) -> TransportErrorKind {
    if e.is_timeout() {
        return if e.is_connect() {
            TransportErrorKind::ConnectTimeout { after: connect_timeout }
        } else {
            TransportErrorKind::Timeout { after: timeout }
        };
    }
    if !e.is_connect() {
        return TransportErrorKind::Other;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        // An I/O error may wrap another (`source()` skips it): look at each.
        let mut io = c.downcast_ref::<std::io::Error>();
        while let Some(e) = io {
            match e.kind() {
                std::io::ErrorKind::ConnectionRefused => return TransportErrorKind::ConnectionRefused,
                // rustls reports a failed handshake as invalid data on the connection.
                std::io::ErrorKind::InvalidData => return TransportErrorKind::Tls,
                _ => io = e.get_ref().and_then(|inner| inner.downcast_ref::<std::io::Error>()),
            }
        }
        if c.to_string().starts_with("dns error") {
            return TransportErrorKind::Dns;
        }
        cause = c.source();
    }
    TransportErrorKind::Connect
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let after = |d: &Option<Duration>| d.map(|d| format!(" after {d:?}")).unwrap_or_default();
        match &self.kind {
            TransportErrorKind::ConnectTimeout { after: d } => write!(f, "connecting timed out{}", after(d))?,
            TransportErrorKind::Timeout { after: d } => write!(f, "timed out{}", after(d))?,
            TransportErrorKind::ConnectionRefused => f.write_str("the connection was refused")?,
            TransportErrorKind::Dns => f.write_str("the host name did not resolve")?,
            TransportErrorKind::Tls => f.write_str("the TLS handshake failed")?,
            TransportErrorKind::Connect => f.write_str("could not connect")?,
            TransportErrorKind::TooManyRedirects { limit } => write!(f, "more than {limit} redirects")?,
            TransportErrorKind::BadRedirect => f.write_str("a redirect to a URL that is not http or https")?,
            TransportErrorKind::Other => f.write_str("the connection failed")?,
        }
        write!(f, " ({})", self.target)?;
        // The whole chain, so that the message alone says why.
        let mut cause: Option<&(dyn std::error::Error + 'static)> = self.source.as_ref().map(|s| s as _);
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|s| s as _)
    }
}

/// Why a client could not be made: a server variable or base URL that would send requests
/// somewhere the caller did not mean, or credentials that would travel in the clear.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A server variable's value does not fit its place in the server URL.
    ServerVariable { name: String, value: String, reason: String },
    /// The base URL cannot be used.
    BaseUrl { url: String, reason: String },
    /// The token URL given to `Auth::client_credentials_at` cannot be used.
    TokenUrl { url: String, reason: String },
    /// The HTTP client could not be built (its TLS backend did not start).
    HttpClient { reason: String },
    /// `from_env` found a variable it needs missing: `missing` names it, and what may stand
    /// for it.
    Environment { missing: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::ServerVariable { name, value, reason } => {
                write!(f, "server variable `{name}` cannot be {value:?}: {reason}")
            }
            ConfigError::BaseUrl { url, reason } => write!(f, "base URL {url:?} cannot be used: {reason}"),
            ConfigError::TokenUrl { url, reason } => write!(f, "token URL {url:?} cannot be used: {reason}"),
            ConfigError::HttpClient { reason } => write!(f, "the HTTP client could not be built: {reason}"),
            ConfigError::Environment { missing } => write!(f, "missing from the environment: {missing}"),
        }
    }
}

impl std::error::Error for ConfigError {}
