//! What a user adds around the calls: a hook that sees every request and response of a client,
//! and the options of one call (headers, a timeout).
//!
//! A hook sees a request before the client's credentials are placed on it and its URL without
//! an API key in the query, so it never sees a secret the user did not put there themselves.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION};
use reqwest::{Method, StatusCode, Url};

use super::auth::{KeyPlace, Scheme, SchemeKind};

/// Sees each HTTP request a client sends (every attempt, and every hop of a redirect) before it
/// goes, and each response as soon as its head has come: to add headers (a correlation id, a
/// feature flag the API wants on every request), to log, or to measure.
///
/// Requests for OAuth2 tokens are not shown to hooks: they carry the client's secret.
///
/// ```
/// # use sdkgen_runtime as sdk;
/// use sdk::{Hook, HookRequest, HookResponse};
///
/// struct Experimental;
///
/// impl Hook for Experimental {
///     fn on_request(&self, request: &mut HookRequest<'_>) {
///         request.set_header("X-SailPoint-Experimental", "true");
///     }
///
///     fn on_response(&self, response: &HookResponse<'_>) {
///         eprintln!("{} {} took {:?}", response.operation(), response.status(), response.elapsed());
///     }
/// }
/// ```
pub trait Hook: Send + Sync {
    /// Before the request goes: may add, change or remove its headers.
    fn on_request(&self, request: &mut HookRequest<'_>) {
        let _ = request;
    }

    /// When the response's head has come (its body not yet read), whatever its status.
    fn on_response(&self, response: &HookResponse<'_>) {
        let _ = response;
    }
}

/// A request about to be sent, as a [`Hook`] sees it.
pub struct HookRequest<'r> {
    pub(crate) operation: &'static str,
    pub(crate) method: &'r Method,
    pub(crate) url: &'r Url,
    pub(crate) attempt: u32,
    pub(crate) headers: &'r mut HeaderMap,
    /// The first header a hook set that cannot be sent, which fails the call.
    pub(crate) invalid: Option<String>,
}

impl HookRequest<'_> {
    /// The spec's `operationId` of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    pub fn method(&self) -> &Method {
        self.method
    }

    /// The URL, without the client's credentials (an API key in the query is added after).
    pub fn url(&self) -> &Url {
        self.url
    }

    /// 1 for the first attempt, then 2, 3 ... for the retries.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The headers the call sends, its credentials not among them.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers, to change freely.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }

    /// Sets `name` to `value`, replacing any value the call had. A name or value that cannot be
    /// sent (not plain visible ASCII) fails the call, unsent, with an error naming the header.
    pub fn set_header(&mut self, name: &str, value: &str) {
        match (HeaderName::from_bytes(name.as_bytes()), plain_value(value)) {
            (Ok(name), Some(value)) => {
                self.headers.insert(name, value);
            }
            _ => {
                self.invalid.get_or_insert_with(|| format!("a hook set header `{name}`, which is not a valid header"));
            }
        }
    }
}

/// A response whose head has come, as a [`Hook`] sees it.
pub struct HookResponse<'r> {
    pub(crate) operation: &'static str,
    pub(crate) method: &'r Method,
    pub(crate) url: &'r Url,
    pub(crate) attempt: u32,
    pub(crate) status: StatusCode,
    pub(crate) headers: &'r HeaderMap,
    pub(crate) elapsed: Duration,
}

impl HookResponse<'_> {
    /// The spec's `operationId` of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    pub fn method(&self) -> &Method {
        self.method
    }

    /// The URL the request went to, without the client's credentials.
    pub fn url(&self) -> &Url {
        self.url
    }

    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// From sending the request to its response's head.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

/// The hooks of a client, in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct Hooks(Vec<Arc<dyn Hook>>);

impl Hooks {
    pub(crate) fn push(&mut self, hook: Arc<dyn Hook>) {
        self.0.push(hook);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Lets every hook see the request; the first header one set that cannot be sent.
    pub(crate) fn on_request(&self, request: &mut HookRequest<'_>) -> Result<(), String> {
        for hook in &self.0 {
            hook.on_request(request);
        }
        request.invalid.take().map_or(Ok(()), Err)
    }

    pub(crate) fn on_response(&self, response: &HookResponse<'_>) {
        for hook in &self.0 {
            hook.on_response(response);
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}

/// What one call adds to the client's settings: headers, and a timeout.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallOptions {
    /// Headers set on the call, in order; a later one of the same name replaces an earlier.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
}

impl CallOptions {
    pub(crate) fn header(mut self, name: String, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// Whether a header carries credentials (HTTP's own, or an API key header of one of the API's
/// `schemes`), so that one set on a call goes only to the client's own origin (never with a
/// redirect elsewhere) and is hidden in debug output.
pub(crate) fn is_credential_header(name: &HeaderName, schemes: &[Scheme]) -> bool {
    [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE].contains(name)
        || schemes.iter().any(|scheme| {
            matches!(scheme.kind, SchemeKind::ApiKey { place: KeyPlace::Header, name: key } if key.eq_ignore_ascii_case(name.as_str()))
        })
}

/// `text` as a header value, if it is plain visible ASCII (and spaces and tabs): CR and LF could
/// add headers, and servers read other bytes in different charsets.
pub(crate) fn plain_value(text: &str) -> Option<HeaderValue> {
    let plain = text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
    HeaderValue::from_str(text).ok().filter(|_| plain)
}

/// The options every call has: `.header(name, value)` and `.timeout(duration)`, beside its
/// parameters' setters, said once for all calls (each holds its options in `options`).
macro_rules! call_options {
    ($call:ident) => {
        impl $call<'_> {
            /// Sends the header `name: value` with this call, replacing any value the call
            /// would send for it (a parameter's, or the client's `User-Agent`). One named
            /// `Authorization`, `Cookie` or an API key header of the spec goes only to the client's own
            /// origin, as credentials do.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options = self.options.header(name.into(), value.into());
                self
            }

            /// Limits each attempt of this call, from sending to the last byte of the response
            /// (to the head of the response for a stream of events), instead of the client's
            /// timeout.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options = self.options.timeout(timeout);
                self
            }
        }
    };
}
pub(crate) use call_options;
