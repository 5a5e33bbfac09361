//! Credentials for every kind of OpenAPI security scheme (API keys in a header, query or
//! cookie; HTTP Basic, bearer and other HTTP schemes; OAuth2 and OpenID Connect tokens, fixed,
//! refreshed or fetched by client credentials as RFC 6749 section 4.4 has them), how a call
//! picks them from its operation's security requirements, and where secrets may go.
//!
//! The secret goes only to a host the caller chose: the token URL given to
//! [`Auth::client_credentials_at`], or the spec's token URL when it is on the API's own host,
//! at its path on the client's own origin. Anything else is refused.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
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

/// The credentials a client holds, for the security schemes of its API.
///
/// Each API module's `Credentials` sets them scheme by scheme (one setter per scheme of the
/// spec, named after it); the shorthands here give one credential to every scheme of its kind:
/// [`Auth::bearer`] and the OAuth2 ones to each scheme that takes a token (HTTP bearer, OAuth2,
/// OpenID Connect), [`Auth::basic`] to each HTTP Basic scheme. Each call sends the credentials
/// of the first of its operation's security requirements that the client can meet in full.
/// Credentials are sent only to the client's own origin, never across a redirect to another
/// one, and never over plain `http` except to this machine.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    entries: Vec<Entry>,
    /// Headers sent with every request, whatever the spec says (see
    /// [`Auth::header_on_every_request`]): the name, and the value as a secret.
    always: Vec<(String, Secret)>,
}

/// One credential, and the scheme it is for (`None`: every scheme of its kind).
#[derive(Clone, Debug)]
struct Entry {
    scheme: Option<String>,
    credential: Credential,
}

/// A credential as a scheme sends it.
#[derive(Clone, Debug)]
pub(crate) enum Credential {
    /// An API key, sent in the header, query parameter or cookie the scheme names.
    Key(Secret),
    /// HTTP Basic.
    Basic { username: String, password: Secret },
    /// A token: `Authorization: Bearer <token>` (or the scheme's own word for HTTP schemes).
    Token(Token),
}

impl Auth {
    /// No credentials: operations that require some fail before anything is sent.
    #[allow(non_upper_case_globals)]
    pub const None: Auth = Auth { entries: Vec::new(), always: Vec::new() };

    /// No credentials (as [`Auth::None`]).
    pub fn none() -> Self {
        Self::default()
    }

    /// A token for every scheme that takes one (HTTP bearer, OAuth2, OpenID Connect): a
    /// personal access token, or an OAuth2 access token you obtained.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::none().with_token(None, Token::Static(token.into()))
    }

    /// HTTP Basic with `username` and `password`, for every HTTP Basic scheme.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::none().with(None, Credential::Basic { username: username.into(), password: password.into() })
    }

    /// OAuth2 client credentials, for every scheme that takes a token, against the spec's
    /// token URL when the spec puts it on the API's own host: tokens are then fetched from its
    /// path on the client's own origin (each API module's `TOKEN_URL` says). Otherwise
    /// requests fail with [`Error::Auth`](super::Error) and [`Auth::client_credentials_at`] is
    /// the way.
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self::none().with_token(None, Token::client_credentials(client_id, client_secret))
    }

    /// OAuth2 client credentials against `token_url`, your tenant's token endpoint. It must be
    /// `https` (or `http` to this machine), or making the client fails.
    pub fn client_credentials_at(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self::none().with_token(None, Token::client_credentials_at(token_url, client_id, client_secret))
    }

    /// Asks the token URL for these scopes (client credentials; other kinds ignore them). Each
    /// API module's `TOKEN_SCOPES` lists those the spec names.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        let scopes: Vec<String> = scopes.into_iter().map(Into::into).collect();
        for entry in &mut self.entries {
            if let Credential::Token(Token::ClientCredentials(cc)) = &mut entry.credential {
                cc.scopes.clone_from(&scopes);
            }
        }
        self
    }

    /// How the client authenticates to the token URL (client credentials; other kinds ignore
    /// it). The default is HTTP Basic.
    pub fn with_client_authentication(mut self, how: ClientAuthentication) -> Self {
        for entry in &mut self.entries {
            if let Credential::Token(Token::ClientCredentials(cc)) = &mut entry.credential {
                cc.authentication = how;
            }
        }
        self
    }

    /// These credentials and `other`'s; for a scheme both give, `other`'s.
    pub fn and(mut self, other: Auth) -> Self {
        for entry in other.entries {
            self = self.with(entry.scheme, entry.credential);
        }
        for (name, value) in other.always {
            self = self.header_on_every_request(name, value);
        }
        self
    }

    /// Whether no credential is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.always.is_empty()
    }

    /// The header `name: value` on every request to the client's origin, whatever the
    /// operation's security requirements say: for a server that needs a credential its spec
    /// does not declare (Prefect's `PREFECT_SERVER_API_AUTH_STRING`, a gateway's key). It goes
    /// where every credential goes: to the client's own origin only, never in the clear.
    pub fn header_on_every_request(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        let name = name.into();
        self.always.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.always.push((name, value.into()));
        self
    }

    /// HTTP Basic on every request to the client's origin, whatever the spec says (see
    /// [`Auth::header_on_every_request`]).
    pub fn basic_on_every_request(self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        let value = basic_value(&username.into(), password.into().expose());
        self.header_on_every_request("Authorization", value)
    }

    /// The headers sent with every request.
    pub(crate) fn always(&self) -> &[(String, Secret)] {
        &self.always
    }

    /// The API key of the scheme named `scheme` (what a module's `Credentials` setter does).
    pub fn api_key_for(self, scheme: &str, key: impl Into<Secret>) -> Self {
        self.with(Some(scheme.to_string()), Credential::Key(key.into()))
    }

    /// HTTP Basic for the scheme named `scheme`.
    pub fn basic_for(self, scheme: &str, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.with(Some(scheme.to_string()), Credential::Basic { username: username.into(), password: password.into() })
    }

    /// A token for the scheme named `scheme`.
    pub fn token_for(self, scheme: &str, token: impl Into<Token>) -> Self {
        self.with_token(Some(scheme.to_string()), token.into())
    }

    /// `token` for every scheme that takes one (what [`Auth::bearer`] gives).
    pub(crate) fn token_for_every_scheme(self, token: Token) -> Self {
        self.with_token(None, token)
    }

    fn with_token(self, scheme: Option<String>, token: Token) -> Self {
        self.with(scheme, Credential::Token(token))
    }

    fn with(mut self, scheme: Option<String>, credential: Credential) -> Self {
        let same_target = |e: &Entry| {
            e.scheme == scheme && std::mem::discriminant(&e.credential) == std::mem::discriminant(&credential)
        };
        self.entries.retain(|e| !same_target(e));
        self.entries.push(Entry { scheme, credential });
        self
    }

    /// The client-credentials grants held, to settle their token URLs when the client is made.
    fn client_credentials_mut(&mut self) -> impl Iterator<Item = &mut ClientCredentials> {
        self.entries.iter_mut().filter_map(|e| match &mut e.credential {
            Credential::Token(Token::ClientCredentials(cc)) => Some(cc),
            _ => None,
        })
    }

    /// The credential held for `scheme`: one given for it by name, else one given for every
    /// scheme of its kind.
    fn for_scheme(&self, scheme: &Scheme) -> Option<&Credential> {
        let fits = |c: &Credential| {
            matches!(
                (scheme.kind, c),
                (SchemeKind::ApiKey { .. }, Credential::Key(_))
                    | (SchemeKind::Basic, Credential::Basic { .. })
                    | (SchemeKind::Http { .. } | SchemeKind::OAuth2, Credential::Token(_))
            )
        };
        let named = self.entries.iter().rev().find(|e| e.scheme.as_deref() == Some(scheme.name) && fits(&e.credential));
        let any = || self.entries.iter().rev().find(|e| e.scheme.is_none() && fits(&e.credential));
        named.or_else(any).map(|e| &e.credential)
    }

    /// The schemes and credentials to send for an operation whose security requirements are
    /// `requirements` (alternatives, each a set of schemes that go together): the first one
    /// whose credentials are all held, else none when one requirement is empty (the operation
    /// may be called anonymously). `Err`: the requirements no credential held can meet.
    pub(crate) fn select<'s>(
        &'s self,
        schemes: &'static [Scheme],
        requirements: &[&[&'static str]],
    ) -> Result<Vec<(&'static Scheme, &'s Credential)>, String> {
        let mut anonymous = false;
        for requirement in requirements {
            if requirement.is_empty() {
                anonymous = true;
                continue;
            }
            let chosen: Option<Vec<_>> = requirement
                .iter()
                .map(|name| {
                    let scheme = schemes.iter().find(|s| s.name == *name)?;
                    self.for_scheme(scheme).map(|c| (scheme, c))
                })
                .collect();
            if let Some(chosen) = chosen {
                return Ok(chosen);
            }
        }
        if anonymous || requirements.is_empty() {
            return Ok(Vec::new());
        }
        let alternatives: Vec<String> = requirements
            .iter()
            .map(|r| r.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" and "))
            .collect();
        Err(format!(
            "the operation needs credentials for {}, and the client has none for it (set them with the \
             API module's `Credentials`)",
            alternatives.join(", or ")
        ))
    }
}

impl From<Token> for Auth {
    /// The token for every scheme that takes one.
    fn from(token: Token) -> Self {
        Self::none().with_token(None, token)
    }
}

/// `Basic <base64 of username:password>`, the value of HTTP Basic's `Authorization` header.
pub(crate) fn basic_value(username: &str, password: &str) -> String {
    format!("Basic {}", super::byte::Base64(format!("{username}:{password}").into_bytes()).encode())
}

/// One of the spec's security schemes, as the generated API module describes it.
#[derive(Clone, Copy, Debug)]
pub struct Scheme {
    /// Its name in `components.securitySchemes`.
    pub name: &'static str,
    pub kind: SchemeKind,
}

/// How a scheme sends its credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// An API key, as the header, query parameter or cookie `name`.
    ApiKey { place: KeyPlace, name: &'static str },
    /// HTTP Basic: `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// Another HTTP scheme: `Authorization: <scheme> <token>` (`Bearer` for bearer).
    Http { scheme: &'static str },
    /// OAuth2 or OpenID Connect: `Authorization: Bearer <access token>`.
    OAuth2,
}

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPlace {
    Header,
    Query,
    Cookie,
}

/// A token for a scheme that takes one: fixed, fetched by client credentials, or refreshed by
/// a function of yours when the API answers 401.
#[derive(Clone)]
pub enum Token {
    /// A token used as it is.
    Static(Secret),
    /// OAuth2 client credentials: access tokens are fetched from the token URL, cached until
    /// shortly before they expire, and fetched anew once when the API answers 401.
    ClientCredentials(ClientCredentials),
    /// A token used until the API answers 401, then replaced once by what `refresh` gives (an
    /// authorization-code flow's refresh, a token of your own store).
    Refreshing(Refreshing),
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Static(s) => f.debug_tuple("Static").field(s).finish(),
            Token::ClientCredentials(cc) => f.debug_tuple("ClientCredentials").field(cc).finish(),
            Token::Refreshing(_) => f.write_str("Refreshing(***)"),
        }
    }
}

impl Token {
    /// OAuth2 client credentials against the spec's token URL (see [`Auth::client_credentials`]).
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self::ClientCredentials(ClientCredentials::new(None, client_id.into(), client_secret.into()))
    }

    /// OAuth2 client credentials against `token_url` (see [`Auth::client_credentials_at`]).
    pub fn client_credentials_at(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self::ClientCredentials(ClientCredentials::new(Some(token_url.into()), client_id.into(), client_secret.into()))
    }

    /// `token` until the API answers 401; then `refresh()` gives the next one, and the call is
    /// sent once more with it. Concurrent calls share one refresh.
    pub fn refreshing<F, Fut>(token: impl Into<Secret>, refresh: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<Secret, String>> + Send + 'static,
    {
        let refresh: RefreshFn = Arc::new(move || Box::pin(refresh()));
        Self::Refreshing(Refreshing { current: Arc::new(tokio::sync::Mutex::new(token.into())), refresh })
    }

    /// The token to send now; `rejected` is the one the API answered 401 to, if any.
    pub(crate) async fn current(
        &self,
        request: &TokenRequest<'_>,
        rejected: Option<&Secret>,
    ) -> Result<Secret, String> {
        match self {
            Token::Static(s) => Ok(s.clone()),
            Token::ClientCredentials(cc) => cc.token(request, rejected).await,
            Token::Refreshing(r) => {
                let mut current = r.current.lock().await;
                if rejected.is_some_and(|rejected| *rejected == *current) {
                    *current = (r.refresh)().await.map_err(|why| format!("refreshing the token failed: {why}"))?;
                }
                Ok(current.clone())
            }
        }
    }

    /// Whether a 401 may be answered with another token.
    pub(crate) fn renews(&self) -> bool {
        !matches!(self, Token::Static(_))
    }
}

impl From<Secret> for Token {
    fn from(value: Secret) -> Self {
        Token::Static(value)
    }
}

impl From<String> for Token {
    fn from(value: String) -> Self {
        Token::Static(value.into())
    }
}

impl From<&str> for Token {
    fn from(value: &str) -> Self {
        Token::Static(value.into())
    }
}

type RefreshFn =
    Arc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Secret, String>> + Send>> + Send + Sync>;

/// A token and the function that renews it.
#[derive(Clone)]
pub struct Refreshing {
    current: Arc<tokio::sync::Mutex<Secret>>,
    refresh: RefreshFn,
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
    /// Where tokens are fetched, or why they cannot be: settled when the client is made.
    url: Option<Result<Url, String>>,
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

impl Auth {
    /// Settles where each client-credentials grant gets its tokens, when the client is made:
    /// a token URL the user gave must be usable (else the client is refused); the spec's is
    /// used only on the client's own origin. A grant with no such place keeps why, for the
    /// requests that would need a token.
    pub(crate) fn settle_token_urls(&mut self, base: &Url, spec: SpecTokenUrl) -> Result<(), ConfigError> {
        for cc in self.client_credentials_mut() {
            cc.url = Some(token_url(cc.token_url.as_deref(), base, spec)?);
        }
        Ok(())
    }
}

/// Where a grant with the token URL `given` (if the user gave one) gets tokens:
/// `Err` in the inner result holds why there is no such place.
fn token_url(given: Option<&str>, base: &Url, spec: SpecTokenUrl) -> Result<Result<Url, String>, ConfigError> {
    if let Some(text) = given {
        let refuse = |reason: &str| ConfigError::TokenUrl { url: text.to_string(), reason: reason.into() };
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
            url: None,
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
        let url = match &self.url {
            Some(Ok(url)) => url,
            Some(Err(why)) => return Err(why.clone()),
            None => return Err("the client credentials were not given to a client".into()),
        };
        let fetched = self.fetch(request, url).await.map_err(|why| self.redact(why))?;
        let token = fetched.token.clone();
        *cache = Some(fetched);
        Ok(token)
    }

    async fn fetch(&self, r: &TokenRequest<'_>, url: &Url) -> Result<CachedToken, String> {
        let scope = self.scopes.join(" ");
        let mut form = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let mut request = r.http.post(url.clone()).header(ACCEPT, "application/json");
        match self.authentication {
            // RFC 6749 2.3.1: the id and secret are form-encoded, then used as Basic's user and
            // password (reqwest marks the header sensitive).
            ClientAuthentication::Basic => {
                request =
                    request.basic_auth(form_encode(&self.client_id), Some(form_encode(self.client_secret.expose())))
            }
            ClientAuthentication::RequestBody => {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", self.client_secret.expose()));
            }
        }
        // `application/x-www-form-urlencoded`, as the WHATWG URL standard encodes a form.
        let body: Vec<String> = form.iter().map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v))).collect();
        request = request.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(body.join("&"));
        if let Some(timeout) = r.timeout {
            request = request.timeout(timeout);
        }
        let transport = |e| TransportError::new(e, &Method::POST, url, r.timeout, r.connect_timeout);
        let mut response = request.send().await.map_err(|e| format!("the token request failed: {}", transport(e)))?;
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
