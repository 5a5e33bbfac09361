//! Building and sending requests: credentials, retries, redirects and limits.

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use futures_util::TryFutureExt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::auth::{Auth, Credential, KeyPlace, Scheme, SchemeKind, Secret, SpecTokenUrl, TokenRequest};
use super::body::{Body, Multipart};
use super::error::{ConfigError, Error, TransportError, TransportErrorKind};
use super::events::{events, json_values, sse_json, sse_text, Event, Events, Framing};
use super::hook::{is_credential_header, plain_value, CallOptions, Hook, HookRequest, HookResponse, Hooks};
use super::response::Response;
use super::retry::{retry_after, RetryPolicy};
use super::style::{self, query_pair, ParamAt, Place, Style};
use super::url::{self as urls, may_carry_credentials};

/// Redirects followed at most, per attempt.
pub(crate) const MAX_REDIRECTS: u32 = 10;
/// How long connecting may take, with the client's own HTTP client.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What every generated API client holds: where to send requests, how, and as whom.
#[derive(Clone, Debug)]
pub(crate) struct Core {
    /// The base URL as given, without a trailing `/`: operation paths are appended to it.
    base_url: String,
    /// The same, parsed: its origin is the only one credentials are sent to.
    base: Url,
    auth: Auth,
    /// The security schemes of the API, which operations' requirements name.
    schemes: &'static [Scheme],
    http: reqwest::Client,
    retry: RetryPolicy,
    /// The limit on each attempt, from sending to the last byte of the response.
    timeout: Option<Duration>,
    /// The limit on connecting, when the HTTP client is the client's own.
    connect_timeout: Option<Duration>,
    /// Responses larger than this are refused.
    max_response_bytes: usize,
    /// Sent as `User-Agent` with every request unless a call sets its own.
    user_agent: String,
    hooks: Hooks,
}

impl Core {
    /// A client of the API at `base_url`, whose security schemes are `schemes`. Fails when the
    /// URL is not an `http(s)` URL, when credentials would travel over plain `http` to another
    /// machine, or when the token URL given to `Auth::client_credentials_at` cannot be used.
    pub(crate) fn new(
        base_url: &str,
        mut auth: Auth,
        spec_token_url: SpecTokenUrl,
        schemes: &'static [Scheme],
    ) -> Result<Self, ConfigError> {
        let base = urls::base_url(base_url)?;
        if !auth.is_empty() && !may_carry_credentials(&base) {
            return Err(ConfigError::BaseUrl {
                url: base_url.to_string(),
                reason: "credentials are sent only over https, or over http to this machine".into(),
            });
        }
        auth.settle_token_urls(&base, spec_token_url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            // Redirects are followed by `Request::send`, which decides where credentials go.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ConfigError::HttpClient { reason: e.to_string() })?;
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            base,
            auth,
            schemes,
            http,
            retry: RetryPolicy::default(),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(CONNECT_TIMEOUT),
            max_response_bytes: 64 * 1024 * 1024,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            hooks: Hooks::default(),
        })
    }

    pub(crate) fn with_user_agent(mut self, user_agent: String) -> Self {
        self.user_agent = user_agent;
        self
    }

    pub(crate) fn with_hook(mut self, hook: std::sync::Arc<dyn Hook>) -> Self {
        self.hooks.push(hook);
        self
    }

    pub(crate) fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self.connect_timeout = None;
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
            part_headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            security: None,
            page_url: None,
            streaming: false,
            options: CallOptions::default(),
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
    /// The query string's `name=value` pairs, each already percent-encoded.
    query: Vec<String>,
    headers: Vec<(&'static str, String)>,
    /// Headers of multipart parts: the part's name, the header's, and its value.
    part_headers: Vec<(&'static str, &'static str, String)>,
    /// Cookie parameters, `name=value` each already encoded, sent in one `Cookie` header.
    cookies: Vec<String>,
    /// The body, or why it could not be encoded.
    body: Option<Result<Body, String>>,
    /// The operation's security requirements: alternatives, each the schemes that go together.
    security: Option<&'static [&'static [&'static str]]>,
    /// A next page's URL from a `Link` header, sent instead of the path and query, or why it
    /// cannot be.
    page_url: Option<Result<Url, String>>,
    /// The response is read as a stream (`open`): the client's timeout limits the wait for
    /// its head, not the whole body, which may never end.
    streaming: bool,
    /// The headers and timeout set on the call.
    options: CallOptions,
}

/// What can go wrong before an operation's own statuses are read: any [`Error`] but a
/// documented one. Sending and reading are one path for every operation, so they return this
/// rather than the operation's `Error<E>`: their state machines are compiled once, not once
/// per error type, and [`Request::send`] widens the error on the way out.
type Failed = Error<Infallible>;

impl<'a> Request<'a> {
    /// Sends the request and reads the whole response.
    pub(crate) fn send<E: 'a>(self) -> impl Future<Output = Result<Response, Error<E>>> + Send + 'a {
        self.send_any().map_err(Error::widen)
    }

    /// Sends the request and returns the response as soon as its head has come, for its body
    /// to be read as a stream of events. `accept` is the stream's media type.
    pub(crate) fn open<E: 'a>(
        self,
        accept: &'static str,
        last_event_id: Option<&str>,
    ) -> impl Future<Output = Result<Opened, Error<E>>> + Send + 'a {
        self.open_any(accept, last_event_id.map(str::to_string)).map_err(Error::widen)
    }
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
            self.query.push(query_pair(name, &value.to_string()));
        }
        self
    }

    /// Adds `name=item` once per item (the `form`, `explode: true` style).
    pub(crate) fn query_each<T: ToString>(mut self, name: &'static str, values: Option<&[T]>) -> Self {
        for value in values.into_iter().flatten() {
            self.query.push(query_pair(name, &value.to_string()));
        }
        self
    }

    /// Sends a parameter in the place, style and explode the spec gives (OpenAPI's style
    /// tables; see `style.rs`), from the value's JSON form: objects and arrays as the style
    /// spreads them, `allow_reserved` leaving RFC 3986's reserved characters of query values
    /// as they are.
    pub(crate) fn param<T: Serialize + ?Sized>(mut self, at: ParamAt, value: Option<&T>) -> Self {
        let Some(value) = value else { return self };
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(e) => {
                self.path = Err(format!("parameter `{}` could not be encoded: {e}", at.name));
                return self;
            }
        };
        self.styled(at, &value)
    }

    /// Sends a parameter given by `content: application/json`: its JSON text, as one value.
    pub(crate) fn param_json<T: Serialize + ?Sized>(self, mut at: ParamAt, value: Option<&T>) -> Self {
        let Some(value) = value else { return self };
        let text = serde_json::to_string(value).unwrap_or_default();
        at.style = Style::Form;
        at.explode = false;
        if matches!(at.place, Place::Path | Place::Header | Place::Part(_)) {
            at.style = Style::Simple;
        }
        self.styled(at, &serde_json::Value::String(text))
    }

    fn styled(mut self, at: ParamAt, value: &serde_json::Value) -> Self {
        match at.place {
            Place::Path => {
                let name = at.name;
                self.path = self.path.and_then(|path| {
                    let text = style::path(&at, value)?;
                    Ok(path.replace(&format!("{{{name}}}"), &text))
                });
            }
            Place::Query => self.query.extend(style::query(&at, value)),
            Place::Header => {
                if let Some(text) = style::header(value) {
                    self.headers.push((at.name, text));
                }
            }
            Place::Cookie => self.cookies.extend(style::cookie(&at, value)),
            Place::Part(part) => {
                if let Some(text) = style::header(value) {
                    self.part_headers.push((part, at.name, text));
                }
            }
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
        self.body =
            Some(serde_json::to_vec(body).map(|bytes| Body::Bytes { content_type, bytes }).map_err(|e| e.to_string()));
        self
    }

    /// Sends `body` as JSON when there is one.
    pub(crate) fn json_body_opt<B: Serialize + ?Sized>(self, content_type: &'static str, body: Option<&B>) -> Self {
        match body {
            Some(body) => self.json_body(content_type, body),
            None => self,
        }
    }

    /// Sends `body` as `application/x-www-form-urlencoded`: nested objects in bracket notation,
    /// arrays repeating their name, unless the spec's `encoding` says otherwise for a property.
    pub(crate) fn form_body<B: Serialize + ?Sized>(
        mut self,
        content_type: &'static str,
        body: &B,
        encoding: &[ParamAt],
    ) -> Self {
        self.body = Some(
            serde_json::to_value(body)
                .map_err(|e| e.to_string())
                .and_then(|value| style::form_body(&value, encoding))
                .map(|text| Body::Bytes { content_type, bytes: text.into_bytes() }),
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

    /// Sends the request to `url`, a next page's link, instead of the path and query built:
    /// resolved against the base URL and refused unless it is on the client's origin, so that
    /// a list never leads the client elsewhere.
    pub(crate) fn at_url(mut self, url: Option<&str>) -> Self {
        self.page_url = url.map(|url| {
            let resolved = self.core.base.join(url).map_err(|e| format!("the next page's URL does not parse: {e}"))?;
            if resolved.origin() == self.core.base.origin() {
                Ok(resolved)
            } else {
                Err(format!(
                    "the next page's URL is on another origin ({}); it is not followed",
                    resolved.origin().ascii_serialization()
                ))
            }
        });
        self
    }

    /// The headers and timeout set on the call (`.header()`, `.timeout()`).
    pub(crate) fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// The limit on each attempt: the call's, else the client's.
    fn timeout(&self) -> Option<Duration> {
        self.options.timeout.or(self.core.timeout)
    }

    /// The operation's security requirements (alternatives, each a set of the API's schemes
    /// that go together): the call sends the credentials of the first one the client meets.
    pub(crate) fn security(mut self, requirements: &'static [&'static [&'static str]]) -> Self {
        self.security = Some(requirements);
        self
    }

    /// Sends the request and reads the whole response.
    async fn send_any(self) -> Result<Response, Failed> {
        let hop = self.attempts().await?;
        self.read(hop).await
    }

    /// Sends the request and returns the response as soon as its head has come, for its body
    /// to be read as a stream of events. `accept` is the stream's media type.
    async fn open_any(mut self, accept: &'static str, last_event_id: Option<String>) -> Result<Opened, Failed> {
        self.streaming = true;
        self.headers.retain(|(name, _)| !name.eq_ignore_ascii_case("accept"));
        self.headers.push(("accept", accept.to_string()));
        // Resuming server-sent events after the last one read; this replaces any value a
        // documented `Last-Event-ID` parameter set.
        if let Some(id) = last_event_id {
            self.headers.retain(|(name, _)| !name.eq_ignore_ascii_case("last-event-id"));
            self.headers.push(("last-event-id", id));
        }
        let hop = self.attempts().await?;
        let (method, timeout, connect_timeout) = (self.method.clone(), self.timeout(), self.core.connect_timeout);
        let limit = self.core.max_response_bytes;
        let url = hop.url;
        let on_error = move |e: reqwest::Error| TransportError::new(e, &method, &url, timeout, connect_timeout);
        Ok(Opened { status: hop.response.status(), response: hop.response, limit, on_error: Box::new(on_error) })
    }

    /// Every attempt the retry policy allows, and renewing a rejected token once: the last
    /// response, its body not yet read.
    async fn attempts(&self) -> Result<Hop, Failed> {
        let url = match self.page_url.clone() {
            Some(page) => page.map_err(Error::InvalidRequest)?,
            None => {
                let path = self.path.clone().map_err(Error::InvalidRequest)?;
                let mut url = Url::parse(&format!("{}{}", self.core.base_url, path))
                    .map_err(|e| Error::InvalidRequest(format!("the request URL: {e}")))?;
                if !self.query.is_empty() {
                    url.set_query(Some(&self.query.join("&")));
                }
                url
            }
        };
        let headers = self.headers()?;
        let body = self.body.clone().transpose().map_err(Error::Encode)?;
        let policy = &self.core.retry;
        let idempotent = matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
        );
        let chosen = match self.security {
            Some(requirements) => self.core.auth.select(self.core.schemes, requirements).map_err(Error::Auth)?,
            None => Vec::new(),
        };
        let mut attempt = 1;
        // The renewable tokens the API answered 401 to, once: new ones are had and sent once.
        let mut rejected: Option<Vec<Option<Secret>>> = None;
        loop {
            let tokens = self.tokens(&chosen, rejected.as_deref()).await?;
            let mut credentials = Credentials::place(&chosen, &tokens)?;
            credentials.add_always(self.core.auth.always())?;
            let outcome = self.follow_redirects(&url, &headers, body.as_ref(), &credentials, attempt).await;
            let renews = chosen.iter().any(|(_, c)| matches!(c, Credential::Token(t) if t.renews()));
            if let Ok(hop) = &outcome {
                if hop.response.status() == StatusCode::UNAUTHORIZED
                    && hop.sent_credentials
                    && renews
                    && rejected.is_none()
                {
                    rejected = Some(tokens);
                    continue;
                }
            }
            let last = attempt >= policy.max_attempts.max(1);
            let delay = match &outcome {
                // The server turned the request away before doing it: always safe to repeat.
                Ok(hop) if hop.response.status() == StatusCode::TOO_MANY_REQUESTS => {
                    Some(retry_after(hop.response.headers()).unwrap_or_else(|| policy.backoff(attempt)))
                }
                Ok(hop)
                    if matches!(hop.response.status().as_u16(), 502..=504)
                        && (idempotent || policy.retry_non_idempotent) =>
                {
                    Some(retry_after(hop.response.headers()).unwrap_or_else(|| policy.backoff(attempt)))
                }
                Err(Error::Transport(e))
                    if (e.is_connect() || e.is_timeout()) && (idempotent || policy.retry_non_idempotent) =>
                {
                    Some(policy.backoff(attempt))
                }
                _ => None,
            };
            match delay {
                Some(delay) if !last => {
                    tokio::time::sleep(delay.min(policy.max_delay)).await;
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }

    /// The headers of every request of the call: the client's `User-Agent`, the parameters',
    /// and the call's own, each of which replaces what came before under its name. Only
    /// visible ASCII (and spaces and tabs) is sent: anything else is refused, unsent.
    fn headers(&self) -> Result<CallHeaders, Failed> {
        let mut headers = CallHeaders::default();
        let user_agent = plain_value(&self.core.user_agent)
            .ok_or_else(|| Error::InvalidRequest("the client's User-Agent is not plain visible ASCII".into()))?;
        headers.everywhere.insert(USER_AGENT, user_agent);
        for (name, value) in &self.headers {
            let value = plain_value(value).ok_or_else(|| {
                Error::InvalidRequest(format!("header `{name}` has a value that is not plain visible ASCII"))
            })?;
            headers.everywhere.append(*name, value);
        }
        for (name, value) in &self.options.headers {
            let invalid = || Error::InvalidRequest(format!("header `{name}` set on the call is not a valid header"));
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let mut value = plain_value(value).ok_or_else(invalid)?;
            headers.everywhere.remove(&name);
            headers.own_origin.remove(&name);
            if is_credential_header(&name, self.core.schemes) {
                value.set_sensitive(true);
                headers.own_origin.insert(name, value);
            } else {
                headers.everywhere.insert(name, value);
            }
        }
        Ok(headers)
    }

    /// The token of each chosen credential that is a token (`None` for the others): fixed,
    /// refreshed, or fetched by client credentials. `rejected`: the tokens the API answered
    /// 401 to, which are renewed.
    async fn tokens(
        &self,
        chosen: &[(&'static Scheme, &Credential)],
        rejected: Option<&[Option<Secret>]>,
    ) -> Result<Vec<Option<Secret>>, Failed> {
        let request =
            TokenRequest { http: &self.core.http, timeout: self.timeout(), connect_timeout: self.core.connect_timeout };
        let mut tokens = Vec::with_capacity(chosen.len());
        for (i, (_, credential)) in chosen.iter().enumerate() {
            let token = match credential {
                Credential::Token(token) => {
                    let rejected = rejected.and_then(|r| r.get(i)).and_then(Option::as_ref);
                    Some(token.current(&request, rejected).await.map_err(Error::Auth)?)
                }
                _ => None,
            };
            tokens.push(token);
        }
        Ok(tokens)
    }

    /// One attempt: the request, and the redirects it meets, up to [`MAX_REDIRECTS`]. The
    /// credentials go only to the client's own origin, so they never follow a redirect to
    /// another host, port or scheme.
    async fn follow_redirects(
        &self,
        start: &Url,
        headers: &CallHeaders,
        mut body: Option<&Body>,
        credentials: &Credentials,
        attempt: u32,
    ) -> Result<Hop, Failed> {
        let mut method = self.method.clone();
        let mut url = start.clone();
        let mut redirects = 0;
        loop {
            let own_origin = url.origin() == self.core.base.origin();
            let send_credentials = own_origin && !credentials.is_empty();
            // An API key in the query joins the URL only here, on the way out: every URL the
            // client shows (errors, tracing) is the one without it.
            let mut wire_url = url.clone();
            if send_credentials && !credentials.query.is_empty() {
                let mut query = wire_url.query().map(str::to_string).unwrap_or_default();
                for pair in &credentials.query {
                    if !query.is_empty() {
                        query.push('&');
                    }
                    query.push_str(pair.expose());
                }
                wire_url.set_query(Some(&query));
            }
            let mut sent = headers.everywhere.clone();
            if own_origin {
                sent.extend(headers.own_origin.clone());
            }
            if !self.core.hooks.is_empty() {
                let mut seen = HookRequest {
                    operation: self.operation,
                    method: &method,
                    url: &url,
                    attempt,
                    headers: &mut sent,
                    invalid: None,
                };
                self.core.hooks.on_request(&mut seen).map_err(Error::InvalidRequest)?;
            }
            let mut cookies = self.cookies.join("; ");
            if send_credentials {
                // A header the call set itself stands in for the credential of that name.
                for (name, value) in &credentials.headers {
                    if !headers.own_origin.contains_key(name) {
                        sent.insert(name.clone(), value.clone());
                    }
                }
                for cookie in &credentials.cookies {
                    if !cookies.is_empty() {
                        cookies.push_str("; ");
                    }
                    cookies.push_str(cookie.expose());
                }
            }
            if !cookies.is_empty() {
                let mut value = HeaderValue::from_str(&cookies)
                    .map_err(|_| Error::InvalidRequest("a cookie is not a valid header value".into()))?;
                value.set_sensitive(send_credentials && !credentials.cookies.is_empty());
                sent.insert(COOKIE, value);
            }
            let mut request = self.core.http.request(method.clone(), wire_url).headers(sent);
            if let Some(timeout) = self.timeout().filter(|_| !self.streaming) {
                request = request.timeout(timeout);
            }
            match body {
                Some(Body::Bytes { content_type, bytes }) => {
                    request = request.header(CONTENT_TYPE, *content_type).body(bytes.clone())
                }
                Some(Body::Multipart(form)) => request = request.multipart(form.clone().into_form(&self.part_headers)?),
                None => {}
            }
            let started = std::time::Instant::now();
            let response = match self.timeout().filter(|_| self.streaming) {
                Some(limit) => match tokio::time::timeout(limit, self.send_one(request, &method, attempt)).await {
                    Ok(response) => response,
                    Err(_) => {
                        let kind = TransportErrorKind::Timeout { after: Some(limit) };
                        return Err(Error::Transport(Box::new(TransportError::redirect(kind, &method, &url))));
                    }
                },
                None => self.send_one(request, &method, attempt).await,
            }
            .map_err(|e| self.transport(e, &method, &url))?;
            if !self.core.hooks.is_empty() {
                self.core.hooks.on_response(&HookResponse {
                    operation: self.operation,
                    method: &method,
                    url: &url,
                    attempt,
                    status: response.status(),
                    headers: response.headers(),
                    elapsed: started.elapsed(),
                });
            }
            let status = response.status().as_u16();
            let location = response.headers().get(LOCATION).filter(|_| matches!(status, 301 | 302 | 303 | 307 | 308));
            let Some(location) = location else {
                return Ok(Hop { response, sent_credentials: send_credentials, url });
            };
            if redirects == MAX_REDIRECTS {
                let kind = TransportErrorKind::TooManyRedirects { limit: MAX_REDIRECTS };
                return Err(Error::Transport(Box::new(TransportError::redirect(kind, &method, &url))));
            }
            let next = location.to_str().ok().and_then(|l| url.join(l).ok());
            let Some(next) = next.filter(|n| matches!(n.scheme(), "http" | "https")) else {
                let kind = TransportErrorKind::BadRedirect;
                return Err(Error::Transport(Box::new(TransportError::redirect(kind, &method, &url))));
            };
            // A 303, and a 301 or 302 after a POST, become a GET without the body, as browsers
            // and curl do; 307 and 308 repeat the request as it was.
            if status == 303 || (matches!(status, 301 | 302) && method == Method::POST) {
                if method != Method::HEAD {
                    method = Method::GET;
                }
                body = None;
            }
            url = next;
            redirects += 1;
        }
    }

    /// Sends one HTTP request: with the `tracing` feature, inside a span of its own.
    async fn send_one(
        &self,
        request: reqwest::RequestBuilder,
        method: &Method,
        attempt: u32,
    ) -> Result<reqwest::Response, reqwest::Error> {
        #[cfg(feature = "tracing")]
        {
            let span = tracing::info_span!(
                "http_request",
                operation = self.operation,
                method = %method,
                path = self.path_template,
                attempt,
                status = tracing::field::Empty,
            );
            let outcome = tracing::Instrument::instrument(request.send(), span.clone()).await;
            if let Ok(r) = &outcome {
                span.record("status", r.status().as_u16());
            }
            outcome
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = (method, attempt);
            request.send().await
        }
    }

    fn transport(&self, e: reqwest::Error, method: &Method, url: &Url) -> Failed {
        Error::Transport(Box::new(TransportError::new(e, method, url, self.timeout(), self.core.connect_timeout)))
    }

    /// Reads the body of the last response, chunk by chunk, so that a huge or endless body
    /// stops at the limit.
    async fn read(&self, hop: Hop) -> Result<Response, Failed> {
        let Hop { mut response, url, .. } = hop;
        let status = response.status();
        let headers = response.headers().clone();
        let limit = self.core.max_response_bytes;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(e, &self.method, &url))? {
            if body.len() + chunk.len() > limit {
                return Err(Error::TooLarge { status, limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, headers, body })
    }
}

/// A response whose head has come and whose body is still to be read: as events when its
/// status is the stream's, else in full.
pub(crate) struct Opened {
    status: StatusCode,
    response: reqwest::Response,
    limit: usize,
    /// The error a broken connection is, with the request's method and URL.
    on_error: Box<dyn Fn(reqwest::Error) -> TransportError + Send>,
}

impl Opened {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    async fn read_any(self) -> Result<Response, Failed> {
        let mut response = self.response;
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| Error::Transport(Box::new((self.on_error)(e))))? {
            if body.len() + chunk.len() > self.limit {
                return Err(Error::TooLarge { status: self.status, limit: self.limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status: self.status, headers, body })
    }

    /// Reads the body in full, for a status that is not the stream's (a documented error).
    pub(crate) fn read<E>(self) -> impl Future<Output = Result<Response, Error<E>>> + Send {
        self.read_any().map_err(Error::widen)
    }

    fn into_events<T: Send + 'static, E: Send + 'static>(
        self,
        framing: Framing,
        convert: super::events::Convert<T, E>,
    ) -> Events<T, E> {
        events(self.response, framing, self.limit, self.on_error, convert)
    }

    /// The body as server-sent events whose data is JSON of `T`; data equal to `sentinel`
    /// ends the stream.
    pub(crate) fn sse<T: DeserializeOwned + Send + 'static, E: Send + 'static>(
        self,
        sentinel: Option<&'static str>,
    ) -> Events<Event<T>, E> {
        let status = self.status;
        self.into_events(Framing::Sse, sse_json(status, sentinel))
    }

    /// The body as server-sent events whose data is text.
    pub(crate) fn sse_text<E: Send + 'static>(self, sentinel: Option<&'static str>) -> Events<Event<String>, E> {
        self.into_events(Framing::Sse, sse_text(sentinel))
    }

    /// The body as JSON values of `T`, one per line (JSON lines, NDJSON).
    pub(crate) fn json_lines<T: DeserializeOwned + Send + 'static, E: Send + 'static>(self) -> Events<T, E> {
        let status = self.status;
        self.into_events(Framing::JsonLines, json_values(status))
    }

    /// The body as a JSON text sequence (RFC 7464) of `T`s.
    pub(crate) fn json_seq<T: DeserializeOwned + Send + 'static, E: Send + 'static>(self) -> Events<T, E> {
        let status = self.status;
        self.into_events(Framing::JsonSeq, json_values(status))
    }
}

/// The headers of a call's requests: those sent wherever the request goes, and those set on the
/// call that carry credentials, sent only to the client's own origin.
#[derive(Default)]
struct CallHeaders {
    everywhere: HeaderMap,
    own_origin: HeaderMap,
}

/// The last response of an attempt, before its body is read.
struct Hop {
    response: reqwest::Response,
    /// Whether the credential went with it (it was sent to the client's own origin).
    sent_credentials: bool,
    url: Url,
}

/// The credentials of one attempt, as they go on the wire: headers (marked sensitive, so that
/// reqwest never shows them), query pairs and cookies (encoded, held as secrets).
#[derive(Default)]
struct Credentials {
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<Secret>,
    cookies: Vec<Secret>,
}

impl Credentials {
    /// The headers the client sends with every request (`Auth::header_on_every_request`).
    fn add_always<E>(&mut self, always: &[(String, Secret)]) -> Result<(), Error<E>> {
        for (name, value) in always {
            let invalid = || Error::InvalidRequest(format!("the `{name}` header given to Auth is not a valid header"));
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = sensitive(value.expose()).ok_or_else(invalid)?;
            self.headers.retain(|(n, _)| *n != name);
            self.headers.push((name, value));
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.query.is_empty() && self.cookies.is_empty()
    }

    /// Where each chosen scheme puts its credential, with `tokens` the tokens had for them.
    fn place<E>(chosen: &[(&'static Scheme, &Credential)], tokens: &[Option<Secret>]) -> Result<Self, Error<E>> {
        let mut placed = Credentials::default();
        for ((scheme, credential), token) in chosen.iter().zip(tokens) {
            let invalid =
                || Error::InvalidRequest(format!("the credential of `{}` is not a valid header value", scheme.name));
            match (scheme.kind, credential, token) {
                (SchemeKind::ApiKey { place, name }, Credential::Key(key), _) => match place {
                    KeyPlace::Header => {
                        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
                        placed.headers.push((name, sensitive(key.expose()).ok_or_else(invalid)?));
                    }
                    KeyPlace::Query => placed.query.push(Secret::new(query_pair(name, key.expose()))),
                    KeyPlace::Cookie => placed.cookies.push(Secret::new(style::cookie_pair(name, key.expose()))),
                },
                (SchemeKind::Basic, Credential::Basic { username, password }, _) => {
                    let value = super::auth::basic_value(username, password.expose());
                    placed.headers.push((AUTHORIZATION, sensitive(&value).ok_or_else(invalid)?));
                }
                (SchemeKind::Http { scheme: word }, Credential::Token(_), Some(token)) => {
                    let value = sensitive(&format!("{word} {}", token.expose())).ok_or_else(invalid)?;
                    placed.headers.push((AUTHORIZATION, value));
                }
                (SchemeKind::OAuth2, Credential::Token(_), Some(token)) => {
                    let value = sensitive(&format!("Bearer {}", token.expose())).ok_or_else(invalid)?;
                    placed.headers.push((AUTHORIZATION, value));
                }
                // `Auth::select` pairs each scheme with a credential of its kind.
                _ => return Err(Error::Auth(format!("the credential held for `{}` is not of its kind", scheme.name))),
            }
        }
        Ok(placed)
    }
}

/// A header value marked sensitive, if `text` is plain visible ASCII.
fn sensitive(text: &str) -> Option<HeaderValue> {
    let mut value = plain_value(text)?;
    value.set_sensitive(true);
    Some(value)
}
