//! The generated seed client (`generated/`, the `sailpoint` crate) against a real local HTTP
//! server: what it sends, and how it decodes each documented status.

use std::time::Duration;

use base64::Engine;

use sailpoint::models::{
    DtoType, ErrorResponse, JsonPatch, JsonPatchOp, JsonPatchOperation, JsonPatchValue, LocaleOrigin, UsageType,
};
use sailpoint::{beta, v3, Auth, Error, RetryPolicy};
use sdkgen_tests::wire::{only_request, token_response};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test-token-5f2e";

fn replace_description() -> JsonPatchOperation {
    // Model types are `#[non_exhaustive]`: built by `new`, optional fields set on the value.
    let mut op = JsonPatchOperation::new(JsonPatchOp::Replace, "/description");
    op.value = Some(JsonPatchValue::from("A new description".to_string()));
    op
}

/// A server answering every request with `response`.
async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request.headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().expect("ASCII header")
}

fn error_body() -> serde_json::Value {
    json!({
        "detailCode": "400.1 Bad Request Content",
        "trackingId": "e7eab60924f64aa284175b9fa3309599",
        "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "The request was syntactically correct but its content is semantically invalid."}],
        "causes": []
    })
}

#[tokio::test]
async fn v3_patch_sends_an_encoded_path_the_patch_content_type_a_bearer_token_and_the_exact_body() {
    let dto = json!({
        "id": "62945a496ef440189b1f03e3623411c8",
        "name": "Service Desk Integration Name",
        "created": "2023-01-03T21:16:22.432Z",
        "modified": "2023-01-03T21:16:22.432Z",
        "description": "A very nice Service Desk integration",
        "type": "ServiceNowSDIM",
        "ownerRef": {"type": "IDENTITY", "id": "2c9180867624cbd7017642d8c8c81f67", "name": "Jane"},
        "clusterRef": {"type": "CLUSTER", "id": "2c9180847a7fccdd017aa5896f9f4f6f"},
        "provisioningConfig": {
            "universalManager": true,
            "managedResourceRefs": [{"type": "SOURCE", "id": "2c9180835d191a86015d28455b4b232a", "name": "HR"}]
        },
        "attributes": {"property": "value", "key": "value"},
        "beforeProvisioningRule": {"type": "RULE", "id": "2c918085708c274401708c2a8a760001", "name": "Example Rule"}
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(&dto)).await;
    let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client");

    let mut patch = JsonPatch::default();
    patch.operations = Some(vec![replace_description()]);
    let updated = client.patch_service_desk_integration("a/b c", &patch).await.expect("a 200 decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/service-desk-integrations/a%2Fb%20c");
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "content-type"), "application/json-patch+json");
    assert_eq!(header(&request, "authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(sent, json!({"operations": [{"op": "replace", "path": "/description", "value": "A new description"}]}));

    assert_eq!(updated.name, "Service Desk Integration Name");
    assert_eq!(updated.type_, "ServiceNowSDIM");
    assert_eq!(updated.owner_ref.as_ref().and_then(|r| r.type_.clone()), Some(DtoType::Identity));
    assert_eq!(updated.cluster_ref.as_ref().and_then(|r| r.name.as_deref()), None);
    let config = updated.provisioning_config.expect("provisioningConfig");
    assert_eq!(config.universal_manager, Some(true));
    assert_eq!(config.managed_resource_refs.expect("refs")[0].type_, Some(DtoType::Source));
    assert_eq!(updated.before_provisioning_rule.expect("rule").id.as_deref(), Some("2c918085708c274401708c2a8a760001"));
    assert_eq!(updated.attributes["property"], "value");
    assert_eq!(updated.created.expect("created").timestamp_millis(), 1_672_780_582_432);
}

#[tokio::test]
async fn beta_patch_sends_a_bare_operation_array_to_an_encoded_path() {
    let policy = json!({
        "name": "example provisioning policy for inactive identities",
        "description": "this provisioning policy creates access based on an identity going inactive",
        "usageType": "CREATE",
        "fields": [{"name": "userName", "transform": {"type": "rule"}, "attributes": {"cloudRequired": "true"}, "isRequired": false, "type": "string", "isMultiValued": false}]
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(&policy)).await;
    let client = beta::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client");

    let operations = [replace_description(), {
        let mut add = JsonPatchOperation::new(JsonPatchOp::Add, "/fields/-");
        add.value = Some(JsonPatchValue::from(7_i64));
        add
    }];
    let updated =
        client.update_provisioning_policy("a/b c", UsageType::Create, &operations).await.expect("a 200 decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/sources/a%2Fb%20c/provisioning-policies/CREATE");
    assert_eq!(header(&request, "content-type"), "application/json-patch+json");
    assert_eq!(header(&request, "authorization"), format!("Bearer {TOKEN}"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(
        sent,
        json!([
            {"op": "replace", "path": "/description", "value": "A new description"},
            {"op": "add", "path": "/fields/-", "value": 7}
        ])
    );

    assert_eq!(updated.usage_type, Some(UsageType::Create));
    let field = &updated.fields.expect("fields")[0];
    assert_eq!(field.name.as_deref(), Some("userName"));
    assert_eq!(field.is_multi_valued, Some(false));
}

/// Each documented error status decodes into its own variant with its typed body.
#[tokio::test]
async fn every_documented_error_status_decodes_into_its_variant() {
    use v3::PatchServiceDeskIntegrationError as E;
    let mut patch = JsonPatch::default();
    patch.operations = Some(vec![replace_description()]);
    for status in [400, 401, 403, 404, 429, 500] {
        let body = match status {
            401 => json!({"error": "JWT validation failed: JWT is expired"}),
            429 => json!({"message": " Rate Limit Exceeded "}),
            _ => error_body(),
        };
        let server =
            server_answering(ResponseTemplate::new(status).set_body_json(&body).insert_header("Retry-After", "7"))
                .await;
        // Retries off: the 429 itself is what is checked here.
        let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN))
            .expect("a valid client")
            .with_retry(RetryPolicy::none());
        let err = client.patch_service_desk_integration("id", &patch).await.expect_err("an error status");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let Error::Api(api) = err else { panic!("{status}: expected a documented error, got {err:?}") };
        let expected_error = || {
            let mut message = sailpoint::models::ErrorMessage::default();
            message.locale = Some("en-US".into());
            message.locale_origin = Some(LocaleOrigin::Default);
            message.text =
                Some("The request was syntactically correct but its content is semantically invalid.".into());
            let mut error = ErrorResponse::default();
            error.detail_code = Some("400.1 Bad Request Content".into());
            error.tracking_id = Some("e7eab60924f64aa284175b9fa3309599".into());
            error.messages = Some(vec![message]);
            error.causes = Some(vec![]);
            error
        };
        match (status, api.body) {
            (400, E::BadRequest(b))
            | (403, E::Forbidden(b))
            | (404, E::NotFound(b))
            | (500, E::InternalServerError(b)) => {
                assert_eq!(b, expected_error())
            }
            (401, E::Unauthorized(b)) => assert_eq!(b.error, Some(json!("JWT validation failed: JWT is expired"))),
            (429, E::TooManyRequests { body, retry_after }) => {
                assert_eq!(body.message, Some(json!(" Rate Limit Exceeded ")));
                assert_eq!(retry_after, Some(Duration::from_secs(7)));
                assert_eq!(api.headers.get("retry-after").map(|v| v.to_str().unwrap()), Some("7"));
            }
            (status, other) => panic!("{status} decoded as {other:?}"),
        }
    }
}

#[tokio::test]
async fn beta_error_statuses_use_the_same_shared_error_type() {
    let server = server_answering(ResponseTemplate::new(404).set_body_json(error_body())).await;
    let client = beta::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client");
    let err = client.update_provisioning_policy("id", UsageType::Update, &[]).await.expect_err("404");
    let Some(beta::UpdateProvisioningPolicyError::NotFound(body)) = err.api_error() else { panic!("{err:?}") };
    // The very type the V3 client returns: one ErrorResponse for both APIs.
    let shared: &ErrorResponse = body;
    assert_eq!(shared.tracking_id.as_deref(), Some("e7eab60924f64aa284175b9fa3309599"));
}

#[tokio::test]
async fn a_429_retry_after_as_an_http_date_becomes_a_delay() {
    let in_a_minute = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(60));
    let server = server_answering(
        ResponseTemplate::new(429)
            .set_body_json(json!({"message": "slow down"}))
            .insert_header("Retry-After", in_a_minute.as_str()),
    )
    .await;
    let client = beta::Client::with_base_url(server.uri(), Auth::bearer(TOKEN))
        .expect("a valid client")
        .with_retry(RetryPolicy::none());
    let err = client.update_provisioning_policy("id", UsageType::Update, &[]).await.expect_err("429");
    let Some(beta::UpdateProvisioningPolicyError::TooManyRequests { retry_after, .. }) = err.api_error() else {
        panic!("{err:?}")
    };
    let delay = retry_after.expect("a parsed date");
    assert!(delay > Duration::from_secs(50) && delay <= Duration::from_secs(60), "{delay:?}");
}

#[tokio::test]
async fn undocumented_statuses_and_bodies_that_do_not_match_are_errors_that_keep_the_body() {
    let server = server_answering(ResponseTemplate::new(418).set_body_string("teapot")).await;
    let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client");
    let patch = JsonPatch::default();
    match client.patch_service_desk_integration("id", &patch).await {
        Err(Error::UnexpectedStatus(raw)) => {
            assert_eq!(raw.status.as_u16(), 418);
            assert_eq!(raw.body, "teapot");
        }
        other => panic!("{other:?}"),
    }

    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({"name": 5}))).await;
    let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client");
    match client.patch_service_desk_integration("id", &patch).await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status.as_u16(), 200);
            assert_eq!(e.path, "name");
            assert_eq!(e.body, r#"{"name":5}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn dot_segments_are_refused_rather_than_sent_elsewhere() {
    let server = server_answering(ResponseTemplate::new(200)).await;
    let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client");
    let err = client.patch_service_desk_integration("..", &JsonPatch::default()).await.expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.expect("recording").is_empty());
}

#[test]
fn the_server_url_takes_the_tenant_and_the_token_stays_out_of_debug_output() {
    assert_eq!(v3::DEFAULT_TENANT, "sailpoint");
    assert_eq!(v3::server_url("acme").as_deref(), Ok("https://acme.api.identitynow.com/v3"));
    assert_eq!(beta::server_url(beta::DEFAULT_TENANT).as_deref(), Ok("https://sailpoint.api.identitynow.com/beta"));
    let client = v3::Client::new("acme", Auth::bearer(TOKEN)).expect("a valid client");
    assert_eq!(client.base_url(), "https://acme.api.identitynow.com/v3");
    let debug = format!("{client:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
}

#[test]
fn an_enum_value_the_spec_does_not_list_round_trips() {
    let reference: sailpoint::models::ObjectRef =
        serde_json::from_value(json!({"type": "MACHINE_IDENTITY", "id": "x"})).expect("decodes");
    assert_eq!(reference.type_, Some(DtoType::Unknown("MACHINE_IDENTITY".into())));
    assert_eq!(reference.type_.as_ref().map(DtoType::as_str), Some("MACHINE_IDENTITY"));
    assert_eq!(serde_json::to_value(&reference).unwrap(), json!({"type": "MACHINE_IDENTITY", "id": "x"}));
    // Listed values are still their own variants, and unknown fields are ignored.
    let known: sailpoint::models::ObjectRef =
        serde_json::from_value(json!({"type": "SOURCE", "extra": true})).expect("decodes");
    assert_eq!(known.type_, Some(DtoType::Source));
}

/// A server answering with `first` once, then with `then`.
async fn server_answering_first(first: ResponseTemplate, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(any()).respond_with(then).with_priority(2).mount(&server).await;
    server
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(300),
        ..RetryPolicy::default()
    }
}

#[tokio::test]
async fn a_429_is_retried_after_its_retry_after_and_the_retry_succeeds() {
    let policy = json!({"name": "p", "usageType": "CREATE"});
    let server = server_answering_first(
        ResponseTemplate::new(429).set_body_json(json!({"message": "slow down"})).insert_header("Retry-After", "1"),
        ResponseTemplate::new(200).set_body_json(&policy),
    )
    .await;
    // Retry-After says 1 s; the policy caps waits at 300 ms, which keeps the test short and
    // shows the wait is the header's, not the 5 ms backoff.
    let client = beta::Client::with_base_url(server.uri(), Auth::bearer(TOKEN))
        .expect("a valid client")
        .with_retry(fast_retries());
    let started = std::time::Instant::now();
    let updated = client.update_provisioning_policy("id", UsageType::Create, &[]).await.expect("the retry succeeds");
    let waited = started.elapsed();
    assert_eq!(updated.name, "p");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(waited >= Duration::from_millis(300) && waited < Duration::from_secs(1), "{waited:?}");
}

#[tokio::test]
async fn gateway_errors_are_retried_with_backoff_only_when_the_method_allows() {
    // PATCH is not idempotent: by default a 503 is returned at once.
    let server = server_answering(ResponseTemplate::new(503)).await;
    let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN))
        .expect("a valid client")
        .with_retry(fast_retries());
    let err = client.patch_service_desk_integration("id", &JsonPatch::default()).await.expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // Allowed: every attempt is made, and the last error keeps its status and body.
    let server = server_answering(ResponseTemplate::new(503).set_body_string("maintenance")).await;
    let retry_all = RetryPolicy { retry_non_idempotent: true, ..fast_retries() };
    let client =
        v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client").with_retry(retry_all);
    match client.patch_service_desk_integration("id", &JsonPatch::default()).await {
        Err(Error::UnexpectedStatus(raw)) => {
            assert_eq!(raw.status.as_u16(), 503);
            assert_eq!(raw.body, "maintenance");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // Off: one attempt, even for a 429.
    let server = server_answering(ResponseTemplate::new(429).set_body_json(json!({}))).await;
    let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN))
        .expect("a valid client")
        .with_retry(RetryPolicy::none());
    client.patch_service_desk_integration("id", &JsonPatch::default()).await.expect_err("429");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_slow_response_times_out() {
    let server = server_answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(5))).await;
    let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN))
        .expect("a valid client")
        .with_retry(RetryPolicy::none())
        .with_timeout(Some(Duration::from_millis(100)));
    let started = std::time::Instant::now();
    match client.patch_service_desk_integration("id", &JsonPatch::default()).await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn client_credentials_fetch_the_token_once_cache_it_and_refresh_it_once_on_a_401() {
    use wiremock::matchers::{header, method, path};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("tok-1", 3600))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("tok-2", 3600))
        .mount(&server)
        .await;
    let policy = json!({"name": "p"});
    // The API takes tok-1 once, then refuses it (revoked), and takes tok-2.
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&policy))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "revoked"})))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&policy))
        .mount(&server)
        .await;

    let auth = Auth::client_credentials_at(format!("{}/oauth/token", server.uri()), "my-client", "s3cr3t-value");
    assert!(!format!("{auth:?}").contains("s3cr3t-value"), "{auth:?}");
    let client = beta::Client::with_base_url(server.uri(), auth).expect("a valid client");
    client.update_provisioning_policy("id", UsageType::Create, &[]).await.expect("with tok-1");
    client.update_provisioning_policy("id", UsageType::Create, &[]).await.expect("refreshed to tok-2");

    let requests = server.received_requests().await.unwrap();
    let token_requests: Vec<_> = requests.iter().filter(|r| r.url.path() == "/oauth/token").collect();
    assert_eq!(token_requests.len(), 2, "fetched once, cached, fetched again after the 401");
    // RFC 6749 2.3.1: HTTP Basic by default; the secret is not in the body.
    let form = String::from_utf8_lossy(&token_requests[0].body);
    assert_eq!(form, "grant_type=client_credentials");
    let basic = base64::engine::general_purpose::STANDARD.encode("my-client:s3cr3t-value");
    assert_eq!(token_requests[0].headers.get("authorization").unwrap().to_str().unwrap(), format!("Basic {basic}"));
    let api: Vec<_> = requests.iter().filter(|r| r.method.as_str() == "PATCH").collect();
    let sent: Vec<&str> = api.iter().map(|r| r.headers.get("authorization").unwrap().to_str().unwrap()).collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
    assert!(api.iter().all(|r| r.headers.get_all("authorization").iter().count() == 1), "one Authorization header");
}

#[tokio::test]
async fn tokens_about_to_expire_are_fetched_again_and_token_failures_never_show_the_secret() {
    use wiremock::matchers::{method, path};
    let server = MockServer::start().await;
    // Expiring within the 60 s margin: every call fetches a new one.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("short", 30))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "p"})))
        .mount(&server)
        .await;
    let client = beta::Client::with_base_url(
        server.uri(),
        Auth::client_credentials_at(format!("{}/oauth/token", server.uri()), "c", "s3cr3t-value"),
    )
    .expect("a valid client");
    for _ in 0..2 {
        client.update_provisioning_policy("id", UsageType::Create, &[]).await.expect("200");
    }
    let fetched = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/oauth/token").count();
    assert_eq!(fetched, 2);

    let refusing = server_answering(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_client"}))).await;
    let client = beta::Client::with_base_url(
        refusing.uri(),
        Auth::client_credentials_at(format!("{}/oauth/token", refusing.uri()), "c", "s3cr3t-value"),
    )
    .expect("a valid client");
    let err = client.update_provisioning_policy("id", UsageType::Create, &[]).await.expect_err("no token");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(text.contains("invalid_client") && !text.contains("s3cr3t-value"), "{text}");
    }
    // The spec's token URL is there for Auth::client_credentials.
    assert_eq!(beta::TOKEN_URL, "https://tenant.api.identitynow.com/oauth/token");
}

/// Records the fields of every span, as `name field=value ...` lines, with the thread that made
/// it (each test runs on a thread of its own).
#[derive(Clone, Default)]
struct SpanRecorder(std::sync::Arc<std::sync::Mutex<Vec<(std::thread::ThreadId, String)>>>);

impl SpanRecorder {
    /// The process's recorder, set as the global subscriber on first use. Tracing caches once
    /// per process whether a span is wanted: a thread-local subscriber loses to a test on
    /// another thread that reached the span first with none, which a global one never does.
    fn global() -> &'static SpanRecorder {
        static RECORDER: std::sync::OnceLock<SpanRecorder> = std::sync::OnceLock::new();
        RECORDER.get_or_init(|| {
            use tracing_subscriber::layer::SubscriberExt;
            let recorder = SpanRecorder::default();
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(recorder.clone()))
                .expect("no other global subscriber in this test binary");
            recorder
        })
    }

    /// The lines recorded on this thread.
    fn lines(&self) -> Vec<String> {
        let me = std::thread::current().id();
        self.0.lock().unwrap().iter().filter(|(t, _)| *t == me).map(|(_, l)| l.clone()).collect()
    }

    fn push(&self, line: String) {
        self.0.lock().unwrap().push((std::thread::current().id(), line));
    }
}

struct FieldText<'a>(&'a mut String);

impl tracing::field::Visit for FieldText<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for SpanRecorder {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut line = attrs.metadata().name().to_string();
        attrs.record(&mut FieldText(&mut line));
        self.push(line);
    }

    fn on_record(
        &self,
        _: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut line = String::from("record");
        values.record(&mut FieldText(&mut line));
        self.push(line);
    }
}

#[tokio::test]
async fn every_attempt_is_a_tracing_span_without_secrets() {
    let recorder = SpanRecorder::global();
    let server = server_answering_first(
        ResponseTemplate::new(429).set_body_json(json!({})).insert_header("Retry-After", "0"),
        ResponseTemplate::new(200).set_body_json(json!({"name": "p"})),
    )
    .await;
    let client = beta::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client");
    client.update_provisioning_policy("id", UsageType::Create, &[]).await.expect("200 on the second attempt");
    let lines = recorder.lines();
    let spans: Vec<&String> = lines.iter().filter(|l| l.starts_with("http_request")).collect();
    assert_eq!(spans.len(), 2, "{lines:#?}");
    assert!(spans[0].contains(r#"operation="updateProvisioningPolicy""#), "{}", spans[0]);
    assert!(
        spans[0].contains("method=PATCH")
            && spans[0].contains(r#"path="/sources/{sourceId}/provisioning-policies/{usageType}""#)
    );
    assert!(spans[0].contains("attempt=1") && spans[1].contains("attempt=2"), "{spans:?}");
    let statuses: Vec<&String> = lines.iter().filter(|l| l.starts_with("record")).collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses[0].contains("status=429") && statuses[1].contains("status=200"), "{statuses:?}");
    assert!(lines.iter().all(|l| !l.contains(TOKEN)), "no token in traces");
}

#[tokio::test]
async fn requests_name_the_crate_in_their_user_agent() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({"name": "p"}))).await;
    let client = beta::Client::with_base_url(server.uri(), Auth::bearer(TOKEN)).expect("a valid client");
    client.update_provisioning_policy("id", UsageType::Create, &[]).await.expect("200");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "user-agent"), "sailpoint/0.1.0");
}

#[tokio::test]
async fn connection_errors_back_off_and_end_in_a_transport_error() {
    // A port nothing listens on: connecting is refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let retry_all =
        RetryPolicy { base_delay: Duration::from_millis(40), retry_non_idempotent: true, ..RetryPolicy::default() };
    let client = v3::Client::with_base_url(&base, Auth::bearer(TOKEN)).expect("a valid client").with_retry(retry_all);
    let started = std::time::Instant::now();
    let err = client.patch_service_desk_integration("id", &JsonPatch::default()).await.expect_err("refused");
    // Two waits of at least half of 40 ms and 80 ms (jitter takes up to half off).
    assert!(started.elapsed() >= Duration::from_millis(60), "{:?}", started.elapsed());
    match err {
        Error::Transport(e) => assert!(e.is_connect(), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_not_buffered() {
    let server = server_answering(ResponseTemplate::new(200).set_body_string("x".repeat(10_000))).await;
    let client = v3::Client::with_base_url(server.uri(), Auth::bearer(TOKEN))
        .expect("a valid client")
        .with_max_response_bytes(1024);
    match client.patch_service_desk_integration("id", &JsonPatch::default()).await {
        Err(Error::TooLarge { status, limit }) => assert_eq!((status.as_u16(), limit), (200, 1024)),
        other => panic!("{other:?}"),
    }
}

/// The request line exactly as it reaches a server: a plain TCP listener records it, so no
/// HTTP library can tidy it up first.
#[tokio::test]
async fn hostile_path_values_stay_one_encoded_segment_on_the_wire() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let recorder = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let body = br#"{"detailCode":"404"}"#;
        let reply = format!("HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
        stream.write_all(reply.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_string()
    });
    let client =
        v3::Client::with_base_url(&base, Auth::bearer(TOKEN)).expect("a valid client").with_retry(RetryPolicy::none());
    let hostile = "../a?b=1#c%2Fd\r\nX-Injected: 1 é";
    let err = client.patch_service_desk_integration(hostile, &JsonPatch::default()).await.expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let line = recorder.join().unwrap();
    assert_eq!(
        line,
        "PATCH /service-desk-integrations/..%2Fa%3Fb%3D1%23c%252Fd%0D%0AX-Injected%3A%201%20%C3%A9 HTTP/1.1"
    );
}
