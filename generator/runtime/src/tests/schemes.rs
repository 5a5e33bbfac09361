//! Every kind of security scheme, as its credentials go on the wire, and how a call picks them
//! from its operation's requirements.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::{Auth, Core, Error, KeyPlace, Scheme, SchemeKind, Secret, SpecTokenUrl, Token};

/// The schemes of a made-up API that has one of each kind (and Plaid's three headers).
const SCHEMES: &[Scheme] = &[
    Scheme { name: "headerKey", kind: SchemeKind::ApiKey { place: KeyPlace::Header, name: "X-API-Key" } },
    Scheme { name: "queryKey", kind: SchemeKind::ApiKey { place: KeyPlace::Query, name: "api_key" } },
    Scheme { name: "cookieKey", kind: SchemeKind::ApiKey { place: KeyPlace::Cookie, name: "session" } },
    Scheme { name: "basic", kind: SchemeKind::Basic },
    Scheme { name: "bearer", kind: SchemeKind::Http { scheme: "Bearer" } },
    Scheme { name: "tokenWord", kind: SchemeKind::Http { scheme: "Token" } },
    Scheme { name: "oauth2", kind: SchemeKind::OAuth2 },
    Scheme { name: "clientId", kind: SchemeKind::ApiKey { place: KeyPlace::Header, name: "PLAID-CLIENT-ID" } },
    Scheme { name: "secret", kind: SchemeKind::ApiKey { place: KeyPlace::Header, name: "PLAID-SECRET" } },
    Scheme { name: "version", kind: SchemeKind::ApiKey { place: KeyPlace::Header, name: "Plaid-Version" } },
];

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

fn core(server: &MockServer, auth: Auth) -> Core {
    Core::new(&server.uri(), auth, SpecTokenUrl::None, SCHEMES).unwrap().with_retry(crate::RetryPolicy::none())
}

/// Sends `GET /x` with `requirements`, and returns the one request the server saw.
async fn sent(auth: Auth, requirements: &'static [&'static [&'static str]]) -> wiremock::Request {
    let server = server().await;
    core(&server, auth).request(reqwest::Method::GET, "op", "/x").security(requirements).send::<()>().await.unwrap();
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header_of<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn api_keys_go_in_the_header_query_or_cookie_the_scheme_names() {
    let r = sent(Auth::none().api_key_for("headerKey", "k1"), &[&["headerKey"]]).await;
    assert_eq!(header_of(&r, "x-api-key"), Some("k1"));
    assert!(header_of(&r, "authorization").is_none());

    let r = sent(Auth::none().api_key_for("queryKey", "k 2&x=y"), &[&["queryKey"]]).await;
    assert_eq!(r.url.query(), Some("api_key=k+2%26x%3Dy"));

    let r = sent(Auth::none().api_key_for("cookieKey", "abc;d"), &[&["cookieKey"]]).await;
    assert_eq!(header_of(&r, "cookie"), Some("session=abc%3Bd"));
}

#[tokio::test]
async fn http_schemes_send_authorization_with_their_own_word() {
    let r = sent(Auth::basic("user", "p:ss"), &[&["basic"]]).await;
    let expected = base64::engine::general_purpose::STANDARD.encode("user:p:ss");
    assert_eq!(header_of(&r, "authorization"), Some(format!("Basic {expected}").as_str()));

    let r = sent(Auth::bearer("t0k"), &[&["bearer"]]).await;
    assert_eq!(header_of(&r, "authorization"), Some("Bearer t0k"));
    let r = sent(Auth::bearer("t0k"), &[&["tokenWord"]]).await;
    assert_eq!(header_of(&r, "authorization"), Some("Token t0k"));
    let r = sent(Auth::bearer("t0k"), &[&["oauth2"]]).await;
    assert_eq!(header_of(&r, "authorization"), Some("Bearer t0k"));
}

#[tokio::test]
async fn a_combination_sends_every_scheme_of_it() {
    let auth =
        Auth::none().api_key_for("clientId", "id").api_key_for("secret", "s").api_key_for("version", "2020-09-14");
    let r = sent(auth, &[&["clientId", "secret", "version"]]).await;
    assert_eq!(header_of(&r, "plaid-client-id"), Some("id"));
    assert_eq!(header_of(&r, "plaid-secret"), Some("s"));
    assert_eq!(header_of(&r, "plaid-version"), Some("2020-09-14"));
}

#[tokio::test]
async fn the_first_alternative_the_client_meets_in_full_is_sent_and_no_other() {
    // Only half of the first alternative is held: the second is sent, alone.
    let auth = Auth::none().api_key_for("clientId", "id").and(Auth::basic("u", "p"));
    let r = sent(auth, &[&["clientId", "secret"], &["basic"]]).await;
    assert!(header_of(&r, "authorization").unwrap().starts_with("Basic "));
    assert!(header_of(&r, "plaid-client-id").is_none());

    // Both held: the first.
    let auth = Auth::none().api_key_for("headerKey", "k").and(Auth::bearer("t"));
    let r = sent(auth, &[&["headerKey"], &["bearer"]]).await;
    assert_eq!(header_of(&r, "x-api-key"), Some("k"));
    assert!(header_of(&r, "authorization").is_none());

    // A credential named for a scheme wins over one given to every scheme of its kind.
    let auth = Auth::bearer("any").and(Auth::none().token_for("bearer", "named"));
    let r = sent(auth, &[&["bearer"]]).await;
    assert_eq!(header_of(&r, "authorization"), Some("Bearer named"));
}

#[tokio::test]
async fn an_empty_requirement_lets_the_call_go_without_credentials() {
    let r = sent(Auth::None, &[&["headerKey"], &[]]).await;
    assert!(r.headers.get("x-api-key").is_none() && r.headers.get("authorization").is_none());
    // `security: []`: nothing is sent even when the client holds credentials.
    let r = sent(Auth::bearer("t").api_key_for("headerKey", "k"), &[]).await;
    assert!(r.headers.get("x-api-key").is_none() && r.headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_call_no_requirement_is_met_for_fails_before_sending_naming_the_schemes() {
    let server = server().await;
    let core = core(&server, Auth::none().api_key_for("clientId", "id"));
    let err = core
        .request(reqwest::Method::GET, "op", "/x")
        .security(&[&["clientId", "secret"], &["basic"]])
        .send::<()>()
        .await
        .map(|r| r.status())
        .expect_err("no credentials");
    let text = err.to_string();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(text.contains("`clientId` and `secret`, or `basic`"), "{text}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn no_key_shows_in_debug_or_errors_and_a_query_key_never_leaves_the_origin() {
    let auth = Auth::none()
        .api_key_for("queryKey", "qs3cr3t")
        .api_key_for("headerKey", "hs3cr3t")
        .and(Auth::basic("u", "bs3cr3t"));
    let debug = format!("{auth:?}");
    assert!(!debug.contains("s3cr3t"), "{debug}");

    // A timeout's error names the URL without the key.
    let slow = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&slow)
        .await;
    let core = Core::new(&slow.uri(), auth.clone(), SpecTokenUrl::None, SCHEMES)
        .unwrap()
        .with_retry(crate::RetryPolicy::none())
        .with_timeout(Some(Duration::from_millis(150)));
    let err = core
        .request(reqwest::Method::GET, "op", "/x")
        .security(&[&["queryKey"]])
        .send::<()>()
        .await
        .map(|r| r.status())
        .expect_err("late");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("s3cr3t"), "{text}");

    // A redirect to another origin goes on without any of them.
    let other = server().await;
    let first = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/y", other.uri())))
        .mount(&first)
        .await;
    let core = Core::new(&first.uri(), auth, SpecTokenUrl::None, SCHEMES).unwrap();
    core.request(reqwest::Method::GET, "op", "/x")
        .security(&[&["queryKey", "headerKey", "basic"]])
        .send::<()>()
        .await
        .unwrap();
    let here = &first.received_requests().await.unwrap()[0];
    assert_eq!(here.url.query(), Some("api_key=qs3cr3t"));
    assert_eq!(header_of(here, "x-api-key"), Some("hs3cr3t"));
    let there = &other.received_requests().await.unwrap()[0];
    assert_eq!(there.url.query(), None);
    assert!(there.headers.get("x-api-key").is_none() && there.headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_refreshing_token_is_renewed_once_when_the_api_answers_401() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer fresh")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let refreshes = Arc::new(AtomicUsize::new(0));
    let counter = refreshes.clone();
    let token = Token::refreshing("stale", move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, String>(Secret::new("fresh"))
        }
    });
    let client = core(&server, Auth::none().token_for("oauth2", token));
    for _ in 0..2 {
        let status = client
            .request(reqwest::Method::GET, "op", "/x")
            .security(&[&["oauth2"]])
            .send::<()>()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200);
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    let seen: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| header_of(r, "authorization").unwrap().to_string())
        .collect();
    assert_eq!(seen, ["Bearer stale", "Bearer fresh", "Bearer fresh"]);

    // A fixed token is not retried: the 401 is the answer.
    let core = core(&server, Auth::bearer("wrong"));
    let status =
        core.request(reqwest::Method::GET, "op", "/x").security(&[&["oauth2"]]).send::<()>().await.unwrap().status();
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_header_on_every_request_goes_whatever_the_spec_says_but_only_to_the_origin() {
    let auth = Auth::none().basic_on_every_request("admin", "s3cr3t");
    assert!(!format!("{auth:?}").contains("s3cr3t"));
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("admin:s3cr3t"));
    // An operation without requirements, and one with `security: []`.
    let r = sent(auth.clone(), &[]).await;
    assert_eq!(header_of(&r, "authorization"), Some(expected.as_str()));
    let plain = server().await;
    core(&plain, auth.clone()).request(reqwest::Method::GET, "op", "/x").send::<()>().await.unwrap();
    let r = &plain.received_requests().await.unwrap()[0];
    assert_eq!(header_of(r, "authorization"), Some(expected.as_str()));
    // Never across a redirect to another origin.
    let other = server().await;
    let first = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/y", other.uri())))
        .mount(&first)
        .await;
    Core::new(&first.uri(), auth, SpecTokenUrl::None, SCHEMES)
        .unwrap()
        .request(reqwest::Method::GET, "op", "/x")
        .send::<()>()
        .await
        .unwrap();
    assert!(other.received_requests().await.unwrap()[0].headers.get("authorization").is_none());
}
