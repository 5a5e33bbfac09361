//! Where the generated seed client (`generated/`, the `sailpoint` crate) sends credentials:
//! only to the tenant's own host or a host the caller named, never across a redirect to another
//! origin, never in the clear; and what it says when a request fails.

use std::time::Duration;

use sailpoint::models::UsageType;
use sailpoint::{beta, v3, Auth, ConfigError, Error, RetryPolicy, TransportErrorKind};
use sdkgen_runtime::test_support::RecordingProxy;
use sdkgen_tests::wire::token_response;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "s3cr3t-value";

async fn call(client: &beta::Client) -> Result<(), Error<beta::UpdateProvisioningPolicyError>> {
    client.update_provisioning_policy("id", UsageType::Create, &[]).await.map(|_| ())
}

#[tokio::test]
async fn with_the_spec_token_url_the_secret_goes_to_the_tenants_own_host_only() {
    // The seed spec's token URL is `https://tenant.api.identitynow.com/oauth/token`: a
    // placeholder for the tenant's host, which the client fills with its own tenant.
    assert_eq!(beta::TOKEN_URL, "https://tenant.api.identitynow.com/oauth/token");
    assert_eq!(beta::TOKEN_SCOPES, ["sp:scopes:default", "sp:scopes:all"]);
    let proxy = RecordingProxy::start().await;
    let client = beta::Client::new("acme", Auth::client_credentials("id", SECRET))
        .expect("a valid tenant")
        .with_http_client(proxy.client())
        .with_retry(RetryPolicy::none());
    let err = call(&client).await.expect_err("the proxy refuses");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert_eq!(proxy.seen(), ["CONNECT acme.api.identitynow.com:443 HTTP/1.1"]);
    assert!(!err.to_string().contains(SECRET));
}

#[tokio::test]
async fn with_a_base_url_tokens_come_from_its_origin() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("tok", 3600))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "p"})))
        .mount(&server)
        .await;
    let auth = Auth::client_credentials("id", SECRET).with_scopes(beta::TOKEN_SCOPES.iter().copied());
    let client = beta::Client::with_base_url(format!("{}/beta", server.uri()), auth).expect("a valid URL");
    call(&client).await.expect("a token from the base URL's origin");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/oauth/token");
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        "grant_type=client_credentials&scope=sp%3Ascopes%3Adefault+sp%3Ascopes%3Aall"
    );
    assert_eq!(requests[1].url.path(), "/beta/sources/id/provisioning-policies/CREATE");
}

#[tokio::test]
async fn with_a_base_url_the_secret_goes_to_that_host_only() {
    let proxy = RecordingProxy::start().await;
    let client = v3::Client::with_base_url("https://eu.example.net/api/v3", Auth::client_credentials("id", SECRET))
        .expect("a valid URL")
        .with_http_client(proxy.client())
        .with_retry(RetryPolicy::none());
    let _ = client.patch_service_desk_integration("x", &Default::default()).await.expect_err("the proxy refuses");
    assert_eq!(proxy.seen(), ["CONNECT eu.example.net:443 HTTP/1.1"]);
}

#[tokio::test]
async fn an_explicit_token_url_is_the_only_host_the_secret_goes_to() {
    let proxy = RecordingProxy::start().await;
    let auth = Auth::client_credentials_at("https://login.example.org/oauth/token", "id", SECRET);
    let client =
        v3::Client::new("acme", auth).expect("valid").with_http_client(proxy.client()).with_retry(RetryPolicy::none());
    let _ = client.patch_service_desk_integration("x", &Default::default()).await.expect_err("the proxy refuses");
    assert_eq!(proxy.seen(), ["CONNECT login.example.org:443 HTTP/1.1"]);
    // Never in the clear to another machine.
    let plain = Auth::client_credentials_at("http://login.example.org/oauth/token", "id", SECRET);
    assert!(matches!(v3::Client::new("acme", plain), Err(ConfigError::TokenUrl { .. })));
    assert!(matches!(
        v3::Client::with_base_url("http://api.example.org/v3", Auth::bearer(SECRET)),
        Err(ConfigError::BaseUrl { .. })
    ));
}

#[tokio::test]
async fn a_hostile_tenant_is_refused_before_anything_is_sent() {
    for hostile in ["evil.example/x?", "evil.example#", "acme.evil.example", "acme:8443", "user@evil.example", ""] {
        let err = v3::Client::new(hostile, Auth::bearer(SECRET)).expect_err(hostile);
        assert!(matches!(&err, ConfigError::ServerVariable { name, .. } if name == "tenant"), "{hostile}: {err:?}");
        assert!(!err.to_string().contains(SECRET));
    }
    assert!(v3::server_url("evil.example/x?").is_err());
}

#[tokio::test]
async fn concurrent_calls_fetch_one_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("tok", 3600).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "p"})))
        .mount(&server)
        .await;
    let client = beta::Client::with_base_url(server.uri(), Auth::client_credentials("id", SECRET)).expect("valid");
    let results = futures_util::future::join_all((0..10).map(|_| call(&client))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let tokens = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/oauth/token").count();
    assert_eq!(tokens, 1);
}

#[tokio::test]
async fn credentials_do_not_follow_a_redirect_to_another_origin() {
    let other = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "p"})))
        .mount(&other)
        .await;
    let server = MockServer::start().await;
    let location = format!("{}/moved", other.uri());
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(308).insert_header("location", location.as_str()))
        .mount(&server)
        .await;
    let client = beta::Client::with_base_url(server.uri(), Auth::bearer(SECRET)).expect("valid");
    call(&client).await.expect("followed");
    assert_eq!(
        server.received_requests().await.unwrap()[0].headers.get("authorization").unwrap(),
        &format!("Bearer {SECRET}")
    );
    let moved = other.received_requests().await.unwrap();
    assert_eq!(moved.len(), 1);
    assert!(moved[0].headers.get("authorization").is_none(), "{:?}", moved[0].headers);
}

#[tokio::test]
async fn a_timeout_says_it_timed_out_and_after_how_long() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = beta::Client::with_base_url(server.uri(), Auth::bearer(SECRET))
        .expect("valid")
        .with_retry(RetryPolicy::none())
        .with_timeout(Some(Duration::from_millis(120)));
    let err = call(&client).await.expect_err("late");
    match &err {
        Error::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Timeout { after: Some(Duration::from_millis(120)) })
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("timed out after 120ms"), "{text}");
    assert!(!text.contains(SECRET) && !format!("{err:?}").contains(SECRET), "{text}");
    assert!(std::error::Error::source(&err).is_some(), "the cause chain is exposed");
}

/// `from_env` reads SailPoint's own variables. The only test of this binary that touches the
/// environment, so it sets and clears its variables alone.
#[tokio::test]
async fn from_env_reads_sail_base_url_and_client_credentials() {
    const VARS: &[&str] = &["SAIL_BASE_URL", "SAIL_TENANT", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET", "SAIL_TOKEN"];
    let set = |pairs: &[(&str, &str)]| {
        for var in VARS {
            std::env::remove_var(var);
        }
        for (name, value) in pairs {
            std::env::set_var(name, value);
        }
    };
    let missing = |err: ConfigError| match err {
        ConfigError::Environment { missing } => missing,
        other => panic!("{other:?}"),
    };
    set(&[]);
    assert_eq!(missing(v3::Client::from_env().unwrap_err()), "SAIL_TENANT (or SAIL_BASE_URL)");
    set(&[("SAIL_TENANT", "acme")]);
    let err = v3::Client::from_env().unwrap_err();
    assert_eq!(missing(err), "credentials: set SAIL_CLIENT_ID and SAIL_CLIENT_SECRET, or SAIL_TOKEN");
    set(&[("SAIL_TENANT", "acme"), ("SAIL_CLIENT_ID", "id")]);
    assert_eq!(missing(v3::Client::from_env().unwrap_err()), "SAIL_CLIENT_SECRET (set beside SAIL_CLIENT_ID)");
    set(&[("SAIL_TENANT", "acme"), ("SAIL_TOKEN", "pat")]);
    assert_eq!(v3::Client::from_env().expect("a token will do").base_url(), "https://acme.api.identitynow.com/v3");
    set(&[("SAIL_TENANT", "acme/evil"), ("SAIL_TOKEN", "pat")]);
    assert!(matches!(v3::Client::from_env(), Err(ConfigError::ServerVariable { .. })));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("tok", 3600))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "p"})))
        .mount(&server)
        .await;
    // SailPoint's SDKs take the tenant's host as SAIL_BASE_URL: each API adds its path.
    set(&[("SAIL_BASE_URL", &server.uri()), ("SAIL_CLIENT_ID", "id"), ("SAIL_CLIENT_SECRET", SECRET)]);
    let (client, v3_client) =
        (beta::Client::from_env().expect("configured"), v3::Client::from_env().expect("configured"));
    set(&[]);
    assert_eq!(client.base_url(), format!("{}/beta", server.uri()));
    assert_eq!(v3_client.base_url(), format!("{}/v3", server.uri()));
    assert!(!format!("{client:?}").contains(SECRET));
    call(&client).await.expect("a token from the base URL's origin");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/oauth/token");
    assert_eq!(requests[1].url.path(), "/beta/sources/id/provisioning-policies/CREATE");
}
