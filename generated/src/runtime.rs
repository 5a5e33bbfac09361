//! The small runtime that the generated API modules call: authentication, request building,
//! path and query encoding, response decoding and the error types.
//!
//! It is written by hand (in the generator's `runtime/` folder) and copied into every generated
//! crate as it is, so that the crate depends on nothing but well-known crates.

use std::fmt;
use std::time::{Duration, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// At most this much of a response body is kept in an error, so that errors stay small.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A secret (a token, a client secret): its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for sending it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

/// How requests prove who sends them.
#[derive(Clone, Debug, Default)]
pub enum Auth {
    /// Send no credentials.
    #[default]
    None,
    /// `Authorization: Bearer <token>`: a personal access token or an OAuth2 access token.
    Bearer(Secret),
    /// OAuth2 client credentials: access tokens are fetched from the token URL, cached until
    /// shortly before they expire, and fetched anew once when the API answers 401.
    ClientCredentials(ClientCredentials),
}

impl Auth {
    /// Bearer-token authentication with `token`.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::Bearer(token.into())
    }

    /// OAuth2 client credentials against the token URL the spec gives (each API module's
    /// `TOKEN_URL`).
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self::ClientCredentials(ClientCredentials::new(None, client_id.into(), client_secret.into()))
    }

    /// OAuth2 client credentials against another token URL (your tenant's).
    pub fn client_credentials_at(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self::ClientCredentials(ClientCredentials::new(Some(token_url.into()), client_id.into(), client_secret.into()))
    }
}

/// Tokens are fetched again this long before they expire.
const TOKEN_EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// The client-credentials grant and its cached token, shared by clones of a client.
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: Option<String>,
    client_id: String,
    client_secret: Secret,
    cache: std::sync::Arc<tokio::sync::Mutex<Option<(Secret, std::time::Instant)>>>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    fn new(token_url: Option<String>, client_id: String, client_secret: Secret) -> Self {
        Self { token_url, client_id, client_secret, cache: Default::default() }
    }

    /// A valid access token: the cached one, or a new one when there is none, it is about to
    /// expire, or `refresh` asks for a new one.
    async fn token<E>(
        &self,
        http: &reqwest::Client,
        spec_token_url: Option<&str>,
        refresh: bool,
    ) -> Result<Secret, Error<E>> {
        let mut cache = self.cache.lock().await;
        if let Some((token, expires)) = cache.as_ref() {
            if !refresh && std::time::Instant::now() < *expires {
                return Ok(token.clone());
            }
        }
        let Some(url) = self.token_url.as_deref().or(spec_token_url) else {
            return Err(Error::Auth("no token URL: the spec gives none; use Auth::client_credentials_at".into()));
        };
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ];
        let response = http
            .post(url)
            .form(&form)
            .send()
            .await
            .map_err(|e| Error::Auth(format!("the token request failed: {}", e.without_url())))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| Error::Auth(format!("the token response failed: {e}")))?;
        if !status.is_success() {
            return Err(Error::Auth(format!("the token URL answered {status}: {}", capped_text(&body))));
        }
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: String,
            expires_in: Option<u64>,
        }
        let parsed: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| Error::Auth(format!("the token response is not an OAuth2 token: {e}")))?;
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(300));
        let expires = std::time::Instant::now() + lifetime.saturating_sub(TOKEN_EXPIRY_MARGIN);
        let token = Secret::new(parsed.access_token);
        *cache = Some((token.clone(), expires));
        Ok(token)
    }
}

fn bearer_header<E>(token: &Secret) -> Result<HeaderValue, Error<E>> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| Error::InvalidRequest("the bearer token is not a valid header value".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// What every generated API client holds: where to send requests, how, and as whom.
#[derive(Clone, Debug)]
pub(crate) struct Core {
    base_url: String,
    auth: Auth,
    http: reqwest::Client,
    retry: RetryPolicy,
    /// The limit on each attempt, from sending to the last byte of the response.
    timeout: Option<Duration>,
    /// The OAuth2 token URL the spec gives, for client credentials.
    token_url: Option<&'static str>,
    /// Responses larger than this are refused.
    max_response_bytes: usize,
}

impl Core {
    pub(crate) fn new(base_url: String, auth: Auth, token_url: Option<&'static str>) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .build()
            // Building fails only when the TLS backend cannot start, which no request could
            // survive either; fall back to reqwest's defaults rather than panic.
            .unwrap_or_default();
        Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            auth,
            http,
            retry: RetryPolicy::default(),
            timeout: Some(Duration::from_secs(60)),
            token_url,
            max_response_bytes: 64 * 1024 * 1024,
        }
    }

    pub(crate) fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    pub(crate) fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub(crate) fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    pub(crate) fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a request to `path_template` (e.g. `/sources/{id}`) below the base URL.
    pub(crate) fn request(&self, method: Method, operation: &'static str, path_template: &'static str) -> Request<'_> {
        Request {
            core: self,
            operation,
            path_template,
            method,
            path: Ok(path_template.to_string()),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            authenticate: false,
        }
    }
}

/// Characters left as they are in a path segment: RFC 3986's unreserved set. Everything else,
/// `/`, `?`, `#` and `%` included, is percent-encoded, so a value stays one segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// One request being built by a generated operation method.
pub(crate) struct Request<'a> {
    core: &'a Core,
    /// The spec's operationId and path template, for tracing.
    operation: &'static str,
    path_template: &'static str,
    method: Method,
    /// The path with the parameters filled in so far, or why a value cannot be sent.
    path: Result<String, String>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    /// The body, or why it could not be encoded.
    body: Option<Result<Body, String>>,
    authenticate: bool,
}

impl Request<'_> {
    /// Fills `{name}` in the path with `value`, encoded as one path segment.
    pub(crate) fn path_param(mut self, name: &str, value: &str) -> Self {
        self.path = self.path.and_then(|path| {
            // URL parsers resolve `.` and `..` segments (even percent-encoded) against the
            // path, which would send the request elsewhere: refuse them.
            if value.is_empty() || value == "." || value == ".." {
                return Err(format!("path parameter `{name}` cannot be {value:?}"));
            }
            let encoded = utf8_percent_encode(value, PATH_SEGMENT).to_string();
            Ok(path.replace(&format!("{{{name}}}"), &encoded))
        });
        self
    }

    /// Adds `name=value` to the query string when there is a value.
    pub(crate) fn query(mut self, name: &'static str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        self
    }

    /// Adds `name=item` once per item (the `form`, `explode: true` style).
    pub(crate) fn query_each<T: ToString>(mut self, name: &'static str, values: Option<&[T]>) -> Self {
        for value in values.into_iter().flatten() {
            self.query.push((name, value.to_string()));
        }
        self
    }

    /// Adds a header when there is a value.
    pub(crate) fn header(mut self, name: &'static str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value {
            self.headers.push((name, value.to_string()));
        }
        self
    }

    /// Adds a header with the items joined by commas (the `simple` style).
    pub(crate) fn header_each<T: ToString>(self, name: &'static str, values: Option<&[T]>) -> Self {
        let joined = values.map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
        self.header(name, joined)
    }

    /// Sends `body` as JSON with the content type the spec gives.
    pub(crate) fn json_body<B: Serialize + ?Sized>(mut self, content_type: &'static str, body: &B) -> Self {
        self.body = Some(
            serde_json::to_vec(body).map(|bytes| Body::Bytes { content_type, bytes }).map_err(|e| e.to_string()),
        );
        self
    }

    /// Sends `body` as JSON when there is one.
    pub(crate) fn json_body_opt<B: Serialize + ?Sized>(self, content_type: &'static str, body: Option<&B>) -> Self {
        match body {
            Some(body) => self.json_body(content_type, body),
            None => self,
        }
    }

    /// Sends `body` as `application/x-www-form-urlencoded`.
    pub(crate) fn form_body<B: Serialize + ?Sized>(mut self, content_type: &'static str, body: &B) -> Self {
        self.body = Some(
            serde_urlencoded::to_string(body)
                .map(|text| Body::Bytes { content_type, bytes: text.into_bytes() })
                .map_err(|e| e.to_string()),
        );
        self
    }

    /// Sends `body` as it is (`application/octet-stream`, `text/plain`, ...).
    pub(crate) fn raw_body(mut self, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(Ok(Body::Bytes { content_type, bytes: body.into() }));
        self
    }

    /// Sends `form` as `multipart/form-data`.
    pub(crate) fn multipart_body(mut self, form: Multipart) -> Self {
        self.body = Some(form.error.clone().map_or(Ok(Body::Multipart(form)), Err));
        self
    }

    /// Sends the client's credentials with this request.
    pub(crate) fn authenticated(mut self) -> Self {
        self.authenticate = true;
        self
    }

    pub(crate) async fn send<E>(self) -> Result<Response, Error<E>> {
        let path = self.path.map_err(Error::InvalidRequest)?;
        let url = format!("{}{}", self.core.base_url, path);
        let mut headers = HeaderMap::new();
        for (name, value) in self.headers {
            // Only visible ASCII (and spaces and tabs) is sent: CR and LF could add headers, and
            // servers read other bytes in different charsets. Anything else is refused, unsent.
            let plain = value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
            let value = HeaderValue::from_str(&value).ok().filter(|_| plain).ok_or_else(|| {
                Error::InvalidRequest(format!("header `{name}` has a value that is not plain visible ASCII"))
            })?;
            headers.append(name, value);
        }
        let body = self.body.transpose().map_err(Error::Encode)?;
        let policy = &self.core.retry;
        let idempotent = matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
        );
        let mut attempt = 1;
        let mut refreshed_token = false;
        loop {
            // Built anew for every attempt: a multipart form cannot be sent twice, and a token
            // may have been renewed.
            let mut request = self.core.http.request(self.method.clone(), &url).headers(headers.clone());
            if self.authenticate {
                let token = match &self.core.auth {
                    Auth::None => None,
                    Auth::Bearer(token) => Some(token.clone()),
                    Auth::ClientCredentials(cc) => {
                        Some(cc.token(&self.core.http, self.core.token_url, refreshed_token).await?)
                    }
                };
                if let Some(token) = token {
                    request = request.header(AUTHORIZATION, bearer_header(&token)?);
                }
            }
            if !self.query.is_empty() {
                request = request.query(&self.query);
            }
            if let Some(timeout) = self.core.timeout {
                request = request.timeout(timeout);
            }
            match &body {
                Some(Body::Bytes { content_type, bytes }) => {
                    request = request.header(CONTENT_TYPE, *content_type).body(bytes.clone())
                }
                Some(Body::Multipart(form)) => request = request.multipart(form.clone().into_form()?),
                None => {}
            }
            #[cfg(feature = "tracing")]
            let span = tracing::info_span!(
                "http_request",
                operation = self.operation,
                method = %self.method,
                path = self.path_template,
                attempt,
                status = tracing::field::Empty,
            );
            #[cfg(feature = "tracing")]
            let outcome = tracing::Instrument::instrument(request.send(), span.clone()).await;
            #[cfg(not(feature = "tracing"))]
            let outcome = request.send().await;
            #[cfg(feature = "tracing")]
            if let Ok(r) = &outcome {
                span.record("status", r.status().as_u16());
            }
            // A fetched token the API refuses may have been revoked: fetch one more, once.
            if let (Ok(r), Auth::ClientCredentials(_)) = (&outcome, &self.core.auth) {
                if r.status() == StatusCode::UNAUTHORIZED && self.authenticate && !refreshed_token {
                    refreshed_token = true;
                    continue;
                }
            }
            let last = attempt >= policy.max_attempts.max(1);
            let delay = match &outcome {
                // The server turned the request away before doing it: always safe to repeat.
                Ok(r) if r.status() == StatusCode::TOO_MANY_REQUESTS => {
                    Some(retry_after(r.headers()).unwrap_or_else(|| policy.backoff(attempt)))
                }
                Ok(r) if matches!(r.status().as_u16(), 502..=504) && (idempotent || policy.retry_non_idempotent) => {
                    Some(retry_after(r.headers()).unwrap_or_else(|| policy.backoff(attempt)))
                }
                Err(e) if (e.is_connect() || e.is_timeout()) && (idempotent || policy.retry_non_idempotent) => {
                    Some(policy.backoff(attempt))
                }
                _ => None,
            };
            match delay {
                Some(delay) if !last => {
                    tokio::time::sleep(delay.min(policy.max_delay)).await;
                    attempt += 1;
                }
                _ => {
                    let mut response = outcome.map_err(Error::Transport)?;
                    let status = response.status();
                    let headers = response.headers().clone();
                    // Read chunk by chunk so that a huge or endless body stops at the limit.
                    let limit = self.core.max_response_bytes;
                    let mut body = Vec::new();
                    while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
                        if body.len() + chunk.len() > limit {
                            return Err(Error::TooLarge { status, limit });
                        }
                        body.extend_from_slice(&chunk);
                    }
                    return Ok(Response { status, headers, body });
                }
            }
        }
    }
}

/// When and how often a request is tried again. The default: up to 3 attempts; a 429 is always
/// retried after its `Retry-After`; 502, 503, 504 and connection errors are retried with
/// exponential backoff and jitter for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS,
/// TRACE) only; no wait is longer than `max_delay`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// The first backoff delay; each further one doubles, with up to half taken off at random.
    pub base_delay: Duration,
    /// The longest wait, whatever `Retry-After` says.
    pub max_delay: Duration,
    /// Retry POST and PATCH too on 502/503/504 and connection errors (they may then run twice).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The wait before attempt `attempt + 1`: `base_delay * 2^(attempt-1)`, less a random
    /// share of up to half, so that clients that failed together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        use std::hash::{BuildHasher, Hasher};
        let full = self.base_delay.saturating_mul(1 << (attempt - 1).min(16));
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(attempt);
        let jitter = (hasher.finish() % 1000) as u32;
        full.saturating_sub(full / 2 * jitter / 1000)
    }
}

enum Body {
    Bytes { content_type: &'static str, bytes: Vec<u8> },
    Multipart(Multipart),
}

/// A `multipart/form-data` body, built field by field by the generated method.
#[derive(Clone, Debug, Default)]
pub(crate) struct Multipart {
    parts: Vec<(&'static str, PartData)>,
    /// Fields whose names come from the caller (free-form forms).
    owned_parts: Vec<(String, String)>,
    /// The first field that could not be encoded.
    error: Option<String>,
}

#[derive(Clone, Debug)]
enum PartData {
    Text(String),
    File(FilePart),
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A text field: strings as they are, other values as JSON. `None` adds nothing.
    pub(crate) fn field<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::String(s)) => self.parts.push((name, PartData::Text(s))),
            Ok(other) => self.parts.push((name, PartData::Text(other.to_string()))),
            Err(e) => self.error = self.error.or(Some(format!("field `{name}`: {e}"))),
        }
        self
    }

    /// One text field per property of a JSON object (for forms the spec leaves free-form).
    pub(crate) fn from_object<T: Serialize + ?Sized>(value: &T) -> Self {
        let mut form = Self::new();
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(fields)) => {
                for (name, value) in fields {
                    let text = match value {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    form.owned_parts.push((name, text));
                }
            }
            Ok(_) => form.error = Some("a multipart body must be an object".into()),
            Err(e) => form.error = Some(e.to_string()),
        }
        form
    }

    /// A file field.
    pub(crate) fn file(mut self, name: &'static str, file: &FilePart) -> Self {
        self.parts.push((name, PartData::File(file.clone())));
        self
    }

    /// A file field when there is a file.
    pub(crate) fn file_opt(self, name: &'static str, file: Option<&FilePart>) -> Self {
        match file {
            Some(file) => self.file(name, file),
            None => self,
        }
    }

    fn into_form<E>(self) -> Result<reqwest::multipart::Form, Error<E>> {
        let mut form = reqwest::multipart::Form::new();
        for (name, text) in self.owned_parts {
            form = form.text(name, text);
        }
        for (name, data) in self.parts {
            form = match data {
                PartData::Text(text) => form.text(name, text),
                PartData::File(file) => {
                    let mut part = reqwest::multipart::Part::bytes(file.bytes);
                    if let Some(file_name) = file.file_name {
                        part = part.file_name(file_name);
                    }
                    if let Some(content_type) = file.content_type {
                        part = part.mime_str(&content_type).map_err(|e| Error::Encode(e.to_string()))?;
                    }
                    form.part(name, part)
                }
            };
        }
        Ok(form)
    }
}

/// A file to upload in a `multipart/form-data` field (`format: binary` in the spec).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    pub bytes: Vec<u8>,
    /// The file name the server sees, if any.
    pub file_name: Option<String>,
    /// The part's content type, if not `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FilePart {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self { bytes: bytes.into(), file_name: None, content_type: None }
    }

    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("[{} bytes]", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// In JSON (where `format: binary` rarely appears) a file is its bytes as a string.
impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(FilePart::new)
    }
}

/// A response read in full, for the generated method to decode by its status.
pub(crate) struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Response {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes the body as the success type `T`.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        self.decode()
    }

    /// The body as text (`text/plain`, `text/csv`, ...).
    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as bytes (`application/octet-stream`, `application/zip`, ...).
    pub(crate) fn bytes<E>(self) -> Result<Vec<u8>, Error<E>> {
        Ok(self.body)
    }

    /// Decodes the body as an error body `B` and wraps it as the documented error `E`.
    pub(crate) fn error<B: DeserializeOwned, E>(self, variant: impl FnOnce(B) -> E) -> Error<E> {
        match self.decode::<B, E>() {
            Ok(body) => self.into_api_error(variant(body)),
            Err(e) => e,
        }
    }

    /// A documented error status that has no body.
    pub(crate) fn error_without_body<E>(self, error: E) -> Error<E> {
        self.into_api_error(error)
    }

    /// A status that the spec does not document for this operation.
    pub(crate) fn unexpected_status<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(RawResponse {
            status: self.status,
            body: capped_text(&self.body),
            headers: self.headers,
        }))
    }

    /// The `Retry-After` header as a delay from now.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers)
    }

    fn into_api_error<E>(self, body: E) -> Error<E> {
        Error::Api(Box::new(ApiError { status: self.status, headers: self.headers, body }))
    }

    fn decode<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        let body: &[u8] = if self.body.is_empty() { b"null" } else { &self.body };
        let de = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(de).map_err(|e| {
            Error::Decode(Box::new(DecodeError {
                status: self.status,
                path: e.path().to_string(),
                message: e.inner().to_string(),
                body: capped_text(&self.body),
            }))
        })
    }
}

fn capped_text(body: &[u8]) -> String {
    let end = body.len().min(ERROR_BODY_LIMIT);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// Reads `Retry-After`: a number of seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

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
    /// The request could not be sent or its response not read (connection, TLS, timeout).
    Transport(reqwest::Error),
    /// The request body could not be encoded.
    Encode(String),
    /// A parameter has a value that cannot be sent safely.
    InvalidRequest(String),
    /// No access token could be had (client credentials): why, never with the secret.
    Auth(String),
    /// The response body was longer than the client's limit (see `with_max_response_bytes`).
    TooLarge { status: StatusCode, limit: usize },
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus(r) => Some(r.status),
            Error::Decode(d) => Some(d.status),
            Error::Transport(e) => e.status(),
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
            Error::Transport(e) => Some(e),
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

/// The items of a list fetched page by page: `fetch(limit, offset)` gets one page; the stream
/// ends after the first page shorter than `page_size`, or after an error.
pub(crate) fn paginate<'a, T, E, F, Fut>(
    page_size: i64,
    fetch: F,
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    T: 'a,
    E: 'a,
    F: FnMut(i64, i64) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<Vec<T>, Error<E>>> + 'a,
{
    struct Pages<F, T> {
        fetch: F,
        page_size: i64,
        offset: i64,
        buffer: std::vec::IntoIter<T>,
        done: bool,
    }
    let start = Pages { fetch, page_size: page_size.max(1), offset: 0, buffer: Vec::new().into_iter(), done: false };
    futures_util::stream::unfold(start, |mut pages| async move {
        loop {
            if let Some(item) = pages.buffer.next() {
                return Some((Ok(item), pages));
            }
            if pages.done {
                return None;
            }
            match (pages.fetch)(pages.page_size, pages.offset).await {
                Ok(page) => {
                    let len = page.len() as i64;
                    pages.done = len < pages.page_size;
                    pages.offset += len;
                    pages.buffer = page.into_iter();
                }
                Err(e) => {
                    pages.done = true;
                    return Some((Err(e), pages));
                }
            }
        }
    })
}
