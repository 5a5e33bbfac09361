//! Credentials: bearer tokens, and OAuth2 client credentials as RFC 6749 (section 4.4) has
//! them, with the rule for where the client secret may go.
//!
//! The secret goes only to a host the caller chose: the token URL given to
//! [`Auth::client_credentials_at`], or the spec's token URL when it is on the API's own host,
//! at its path on the client's own origin. Anything else is refused.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::ACCEPT;
use reqwest::{Method, Url};

use super::error::{ConfigError, TransportError};
use super::response::capped_text;
use super::url::may_carry_credentials;

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

/// How requests prove who sends them. Credentials are sent only to the client's own origin,
/// never across a redirect to another one, and never over plain `http` except to this machine.
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

    /// OAuth2 client credentials against the spec's token URL, when the spec puts it on the
    /// API's own host: tokens are then fetched from its path on the client's own origin (each
    /// API module's `TOKEN_URL` says). Otherwise requests fail with [`Error::Auth`](super::Error)
    /// and [`Auth::client_credentials_at`] is the way.
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self::ClientCredentials(ClientCredentials::new(None, client_id.into(), client_secret.into()))
    }

    /// OAuth2 client credentials against `token_url`, your tenant's token endpoint. It must be
    /// `https` (or `http` to this machine), or making the client fails.
    pub fn client_credentials_at(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self::ClientCredentials(ClientCredentials::new(Some(token_url.into()), client_id.into(), client_secret.into()))
    }

    /// Asks the token URL for these scopes (client credentials; other kinds ignore them). Each
    /// API module's `TOKEN_SCOPES` lists those the spec names.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        if let Self::ClientCredentials(cc) = &mut self {
            cc.scopes = scopes.into_iter().map(Into::into).collect();
        }
        self
    }

    /// How the client authenticates to the token URL (client credentials; other kinds ignore
    /// it). The default is HTTP Basic.
    pub fn with_client_authentication(mut self, how: ClientAuthentication) -> Self {
        if let Self::ClientCredentials(cc) = &mut self {
            cc.authentication = how;
        }
        self
    }
}

/// How the client proves itself to the token URL (RFC 6749, section 2.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// HTTP Basic with the form-encoded client id and secret: the RFC's recommended way, which
    /// every authorization server must support.
    #[default]
    Basic,
    /// `client_id` and `client_secret` as fields of the form body, for servers that want them
    /// there.
    RequestBody,
}

/// Tokens are fetched again this long before they expire.
const TOKEN_EXPIRY_MARGIN: Duration = Duration::from_secs(60);
/// How long a token is reused when the response says nothing of its lifetime (`expires_in` is
/// only recommended): until then, or until the API answers 401.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// No token is reused longer than this, whatever its `expires_in` says.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Token responses are small; a larger one is refused.
const TOKEN_RESPONSE_LIMIT: usize = 1024 * 1024;

/// The client-credentials grant and its cached token, shared by clones of a client.
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: Option<String>,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    authentication: ClientAuthentication,
    /// Held while a token is fetched, so that concurrent calls wait for that one fetch.
    cache: Arc<tokio::sync::Mutex<Option<CachedToken>>>,
}

struct CachedToken {
    token: Secret,
    /// When to fetch a new one.
    renew_at: Instant,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("authentication", &self.authentication)
            .finish_non_exhaustive()
    }
}

/// The token URL a spec gives, as the generated client passes it on.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SpecTokenUrl {
    /// The spec has no client-credentials flow.
    None,
    /// On the host of the spec's server: this path (and query) on the client's own origin.
    SameOrigin(&'static str),
    /// On a host that is not the server's, so possibly a placeholder: never used.
    Elsewhere(&'static str),
}

/// Where a client's client credentials get tokens, decided when the client is made:
/// `Err` holds why there is no such place, for the requests that would need one.
pub(crate) fn token_url(auth: &Auth, base: &Url, spec: SpecTokenUrl) -> Result<Result<Url, String>, ConfigError> {
    let Auth::ClientCredentials(cc) = auth else {
        return Ok(Err("the client has no client credentials".into()));
    };
    if let Some(text) = &cc.token_url {
        let refuse = |reason: &str| ConfigError::TokenUrl { url: text.clone(), reason: reason.into() };
        let url = Url::parse(text).map_err(|e| refuse(&e.to_string()))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ConfigError::TokenUrl {
                url: "(not shown: it holds credentials)".into(),
                reason: "credentials go in `Auth`, not in the URL".into(),
            });
        }
        if !may_carry_credentials(&url) {
            return Err(refuse("the client secret is sent only over https (or http to this machine)"));
        }
        return Ok(Ok(url));
    }
    Ok(match spec {
        SpecTokenUrl::SameOrigin(path) => base.join(path).map_err(|e| format!("the spec's token path {path:?}: {e}")),
        SpecTokenUrl::Elsewhere(url) => Err(format!(
            "the spec's token URL {url} is not on the API's host, so it may be a placeholder and is never used: \
             pass your token URL to Auth::client_credentials_at"
        )),
        SpecTokenUrl::None => {
            Err("the spec gives no OAuth2 token URL: pass yours to Auth::client_credentials_at".into())
        }
    })
}

/// What the token request needs of the client that makes it.
pub(crate) struct TokenRequest<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) url: &'a Url,
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
}

impl ClientCredentials {
    fn new(token_url: Option<String>, client_id: String, client_secret: Secret) -> Self {
        Self {
            token_url,
            client_id,
            client_secret,
            scopes: Vec::new(),
            authentication: ClientAuthentication::default(),
            cache: Default::default(),
        }
    }

    /// A valid access token: the cached one, or a new one when there is none, it is about to
    /// expire, or it is `rejected` (the API answered 401 to it). Concurrent callers wait for
    /// one fetch and share its token.
    pub(crate) async fn token(&self, request: &TokenRequest<'_>, rejected: Option<&Secret>) -> Result<Secret, String> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref() {
            let refused = rejected.is_some_and(|r| *r == cached.token);
            if !refused && Instant::now() < cached.renew_at {
                return Ok(cached.token.clone());
            }
        }
        let fetched = self.fetch(request).await.map_err(|why| self.redact(why))?;
        let token = fetched.token.clone();
        *cache = Some(fetched);
        Ok(token)
    }

    async fn fetch(&self, r: &TokenRequest<'_>) -> Result<CachedToken, String> {
        let scope = self.scopes.join(" ");
        let mut form = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let mut request = r.http.post(r.url.clone()).header(ACCEPT, "application/json");
        match self.authentication {
            // RFC 6749 2.3.1: the id and secret are form-encoded, then used as Basic's user and
            // password (reqwest marks the header sensitive).
            ClientAuthentication::Basic => {
                request = request.basic_auth(form_encode(&self.client_id), Some(form_encode(self.client_secret.expose())))
            }
            ClientAuthentication::RequestBody => {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", self.client_secret.expose()));
            }
        }
        request = request.form(&form);
        if let Some(timeout) = r.timeout {
            request = request.timeout(timeout);
        }
        let transport = |e| TransportError::new(e, &Method::POST, r.url, r.timeout, r.connect_timeout);
        let mut response =
            request.send().await.map_err(|e| format!("the token request failed: {}", transport(e)))?;
        let status = response.status();
        if status.is_redirection() {
            // A 307 would carry the secret on to wherever it points.
            return Err(format!(
                "the token URL answered {status}, a redirect, which is not followed: the client secret goes to the token URL only"
            ));
        }
        let mut body = Vec::new();
        while let Some(chunk) =
            response.chunk().await.map_err(|e| format!("the token response failed: {}", transport(e)))?
        {
            if body.len() + chunk.len() > TOKEN_RESPONSE_LIMIT {
                return Err(format!("the token response is longer than {TOKEN_RESPONSE_LIMIT} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(token_error(status, &body));
        }
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: String,
            token_type: Option<String>,
            expires_in: Option<serde_json::Value>,
        }
        let parsed: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| format!("the token response is not an OAuth2 token response: {e}"))?;
        // RFC 6749 5.1: `token_type` is required; this client sends bearer tokens only.
        match parsed.token_type.as_deref() {
            Some(t) if t.eq_ignore_ascii_case("bearer") => {}
            Some(t) => return Err(format!("the token is of type {t:?}; only bearer tokens are supported")),
            None => return Err("the token response has no `token_type` (RFC 6749 requires it)".into()),
        }
        let lifetime = parsed.expires_in.as_ref().and_then(seconds).unwrap_or(DEFAULT_TOKEN_LIFETIME);
        let lifetime = lifetime.min(MAX_TOKEN_LIFETIME);
        Ok(CachedToken {
            token: Secret::new(parsed.access_token),
            renew_at: Instant::now() + lifetime.saturating_sub(TOKEN_EXPIRY_MARGIN),
        })
    }

    /// `text` with the client secret taken out, in case a server echoed it.
    fn redact(&self, text: String) -> String {
        let secret = self.client_secret.expose();
        if secret.is_empty() {
            text
        } else {
            text.replace(secret, "***")
        }
    }
}

/// `expires_in` as a duration: a number of seconds, or (as some servers send it) a string of one.
fn seconds(value: &serde_json::Value) -> Option<Duration> {
    let seconds = match value {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    (seconds.is_finite()).then(|| Duration::from_secs_f64(seconds.clamp(0.0, MAX_TOKEN_LIFETIME.as_secs_f64())))
}

/// What an error answer of the token URL says: RFC 6749's `error` and `error_description`, or
/// the start of the body.
fn token_error(status: reqwest::StatusCode, body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        error: String,
        error_description: Option<String>,
    }
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(e) => match e.error_description {
            Some(d) => format!("the token URL answered {status}: {} ({d})", e.error),
            None => format!("the token URL answered {status}: {}", e.error),
        },
        Err(_) => {
            let text = capped_text(body);
            format!("the token URL answered {status}: {}", text.chars().take(1024).collect::<String>())
        }
    }
}

/// `application/x-www-form-urlencoded`, as RFC 6749 appendix B asks of the id and secret.
fn form_encode(text: &str) -> String {
    const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');
    utf8_percent_encode(text, FORM).to_string().replace("%20", "+")
}
