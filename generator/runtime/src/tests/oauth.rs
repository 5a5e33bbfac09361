//! OAuth2 client credentials as RFC 6749 has them, against local servers.

use std::time::Duration;

use base64::Engine;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{core, get, RecordingProxy};
use crate::runtime::{Auth, ClientAuthentication, Error, SpecTokenUrl};

fn token(value: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"access_token": value, "token_type": "Bearer", "expires_in": 3600}))
}

/// A server whose token URL is `/oauth/token` (answering `token`) and whose API answers 200
/// to `Bearer tok` and 401 to anything else.
async fn server(token: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token).mount(&server).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).with_priority(2).mount(&server).await;
    server
}

async fn token_requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == "/oauth/token").collect()
}

#[tokio::test]
async fn the_client_authenticates_with_http_basic_by_default_and_asks_for_scopes() {
    let server = server(token("tok")).await;
    let auth = Auth::client_credentials("my client:1", "s3cr3t é+").with_scopes(["sp:scopes:all", "read"]);
    let core = core(&format!("{}/v3", server.uri()), auth, SpecTokenUrl::SameOrigin("/oauth/token"));
    assert_eq!(get(&core, "/x").await.expect("a token"), 200);
    let requests = token_requests(&server).await;
    assert_eq!(requests.len(), 1);
    // RFC 6749 2.3.1: form-encoded id and secret, then Basic.
    let expected = base64::engine::general_purpose::STANDARD.encode("my+client%3A1:s3cr3t+%C3%A9%2B");
    assert_eq!(requests[0].headers.get("authorization").unwrap().to_str().unwrap(), format!("Basic {expected}"));
    let form = String::from_utf8(requests[0].body.clone()).unwrap();
    assert_eq!(form, "grant_type=client_credentials&scope=sp%3Ascopes%3Aall+read");
    assert_eq!(requests[0].headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
}

#[tokio::test]
async fn the_client_can_send_its_credentials_in_the_body_instead() {
    let server = server(token("tok")).await;
    let auth = Auth::client_credentials("id", "secret").with_client_authentication(ClientAuthentication::RequestBody);
    let core = core(&server.uri(), auth, SpecTokenUrl::SameOrigin("/oauth/token"));
    assert_eq!(get(&core, "/x").await.expect("a token"), 200);
    let requests = token_requests(&server).await;
    assert!(requests[0].headers.get("authorization").is_none());
    let form = String::from_utf8(requests[0].body.clone()).unwrap();
    assert_eq!(form, "grant_type=client_credentials&client_id=id&client_secret=secret");
}

#[tokio::test]
async fn concurrent_calls_without_a_token_make_exactly_one_token_request() {
    let server = server(token("tok").set_delay(Duration::from_millis(200))).await;
    let core = core(&server.uri(), Auth::client_credentials("id", "s"), SpecTokenUrl::SameOrigin("/oauth/token"));
    let calls = (0..16).map(|_| get(&core, "/x"));
    let statuses = futures_util::future::join_all(calls).await;
    assert!(statuses.iter().all(|s| matches!(s, Ok(200))), "{statuses:?}");
    assert_eq!(token_requests(&server).await.len(), 1);
}

#[tokio::test]
async fn concurrent_401s_refresh_the_token_once_and_each_call_retries_once() {
    let server = MockServer::start().await;
    // The first token is refused by the API (revoked); the second is taken.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("old"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("tok").set_delay(Duration::from_millis(100)))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let core = core(&server.uri(), Auth::client_credentials("id", "s"), SpecTokenUrl::SameOrigin("/oauth/token"));
    let statuses = futures_util::future::join_all((0..8).map(|_| get(&core, "/x"))).await;
    assert!(statuses.iter().all(|s| matches!(s, Ok(200))), "{statuses:?}");
    assert_eq!(token_requests(&server).await.len(), 2, "one fetch, one refresh");
    let api = server.received_requests().await.unwrap().into_iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(api, 16, "each call: once with the old token, once more with the new");

    // A token the API keeps refusing is refreshed once, not in a loop.
    let refusing = server_answering_401_to_all().await;
    let core =
        super::core(&refusing.uri(), Auth::client_credentials("id", "s"), SpecTokenUrl::SameOrigin("/oauth/token"));
    assert_eq!(get(&core, "/x").await.expect("an answer"), 401);
    assert_eq!(token_requests(&refusing).await.len(), 2);
}

async fn server_answering_401_to_all() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token("tok")).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    server
}

#[tokio::test]
async fn token_type_is_checked_and_expires_in_may_be_absent_a_string_or_huge() {
    for (body, ok) in [
        (json!({"access_token": "tok", "token_type": "bearer"}), true),
        (json!({"access_token": "tok", "token_type": "Bearer", "expires_in": "3600"}), true),
        (json!({"access_token": "tok", "token_type": "Bearer", "expires_in": u64::MAX}), true),
        (json!({"access_token": "tok", "token_type": "Bearer", "expires_in": 1e300}), true),
        (json!({"access_token": "tok", "token_type": "Bearer", "expires_in": -5}), true),
        (json!({"access_token": "tok", "token_type": "mac", "expires_in": 3600}), false),
        (json!({"access_token": "tok", "expires_in": 3600}), false),
        (json!({"token_type": "Bearer"}), false),
    ] {
        let server = server(ResponseTemplate::new(200).set_body_json(&body)).await;
        let core = core(&server.uri(), Auth::client_credentials("id", "s"), SpecTokenUrl::SameOrigin("/oauth/token"));
        let first = get(&core, "/x").await;
        if ok {
            assert!(matches!(first, Ok(200)), "{body}: {first:?}");
            // Cached: a second call fetches no other token (but a negative lifetime does).
            let _ = get(&core, "/x").await;
            let expected = if body["expires_in"] == json!(-5) { 2 } else { 1 };
            assert_eq!(token_requests(&server).await.len(), expected, "{body}");
        } else {
            assert!(matches!(&first, Err(Error::Auth(_))), "{body}: {first:?}");
        }
    }
}

#[tokio::test]
async fn token_errors_say_what_the_server_said_and_never_the_secret() {
    let echoing = ResponseTemplate::new(401)
        .set_body_json(json!({"error": "invalid_client", "error_description": "bad secret s3cr3t-value"}));
    let server = server(echoing).await;
    let auth = Auth::client_credentials("id", "s3cr3t-value");
    let core = core(&server.uri(), auth.clone(), SpecTokenUrl::SameOrigin("/oauth/token"));
    let err = get(&core, "/x").await.expect_err("no token");
    for text in [err.to_string(), format!("{err:?}"), format!("{auth:?}"), format!("{core:?}")] {
        assert!(!text.contains("s3cr3t-value"), "{text}");
    }
    assert!(err.to_string().contains("invalid_client"), "{err}");
}

#[tokio::test]
async fn a_redirect_from_the_token_url_is_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST")).respond_with(token("tok")).mount(&elsewhere).await;
    let server =
        server(ResponseTemplate::new(307).insert_header("location", format!("{}/steal", elsewhere.uri()).as_str()))
            .await;
    let core = core(&server.uri(), Auth::client_credentials("id", "s"), SpecTokenUrl::SameOrigin("/oauth/token"));
    let err = get(&core, "/x").await.expect_err("refused");
    assert!(matches!(&err, Error::Auth(why) if why.contains("redirect")), "{err:?}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_token_url_follows_the_client_and_a_placeholder_elsewhere_is_refused() {
    // With the spec's token URL on the API's host, tokens come from the client's own origin.
    let proxy = RecordingProxy::start().await;
    let core = crate::runtime::Core::new(
        "https://acme.api.identitynow.com/v3",
        Auth::client_credentials("id", "s"),
        SpecTokenUrl::SameOrigin("/oauth/token"),
        super::OAUTH2,
    )
    .unwrap()
    .with_http_client(proxy.client())
    .with_retry(crate::RetryPolicy::none());
    let err = get(&core, "/x").await.expect_err("the proxy refuses");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert_eq!(proxy.seen(), ["CONNECT acme.api.identitynow.com:443 HTTP/1.1"]);

    // A token URL on another host may be a placeholder: nothing is sent anywhere.
    let proxy = RecordingProxy::start().await;
    let core = crate::runtime::Core::new(
        "https://acme.api.identitynow.com/v3",
        Auth::client_credentials("id", "s"),
        SpecTokenUrl::Elsewhere("https://tenant.identitynow.com/oauth/token"),
        super::OAUTH2,
    )
    .unwrap()
    .with_http_client(proxy.client());
    let err = get(&core, "/x").await.expect_err("refused");
    assert!(matches!(&err, Error::Auth(why) if why.contains("Auth::client_credentials_at")), "{err:?}");
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());

    // No token URL in the spec at all.
    let core = crate::runtime::Core::new(
        "https://api.example.com",
        Auth::client_credentials("id", "s"),
        SpecTokenUrl::None,
        super::OAUTH2,
    )
    .unwrap();
    let err = get(&core, "/x").await.expect_err("refused");
    assert!(matches!(&err, Error::Auth(why) if why.contains("Auth::client_credentials_at")), "{err:?}");

    // An explicit token URL is the caller's choice, and the only host that gets the secret.
    let proxy = RecordingProxy::start().await;
    let auth = Auth::client_credentials_at("https://login.example.org/oauth2/token", "id", "s");
    let core = crate::runtime::Core::new(
        "https://api.example.com",
        auth,
        SpecTokenUrl::SameOrigin("/oauth/token"),
        super::OAUTH2,
    )
    .unwrap()
    .with_http_client(proxy.client());
    let _ = get(&core, "/x").await.expect_err("the proxy refuses");
    assert_eq!(proxy.seen(), ["CONNECT login.example.org:443 HTTP/1.1"]);
}
