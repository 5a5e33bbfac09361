//! Compiled inside the crate generated from ../shared/specs/sailpoint-v3.yaml (see
//! tests/full_client.rs, which copies this file there): drives several of its operations against
//! a local wiremock server.

use sailpoint_v3_full::models::{JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue};
use sailpoint_v3_full::sailpoint_v3::{self, Client};
use sailpoint_v3_full::{Auth, Error, FilePart, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn answering(response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    let client = Client::with_base_url(server.uri(), Auth::bearer("smoke-token")).expect("a valid client");
    (server, client)
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn error_body() -> serde_json::Value {
    json!({"detailCode": "404 Not found", "trackingId": "b2a4c1", "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "The account was not found."}]})
}

#[tokio::test]
async fn a_list_sends_its_query_parameters_encoded_and_decodes_the_items() {
    let account = json!({
        "id": "2c9180835d2e5168015d32f890ca1581", "name": "john.doe", "sourceId": "2c9180835d2e5168015d32f890ca1581",
        "authoritative": false, "disabled": false, "locked": false, "nativeIdentity": "552775",
        "systemAccount": false, "uncorrelated": false, "manuallyCorrelated": false, "hasEntitlements": true,
        "created": "2015-05-28T14:07:17Z", "attributes": {"firstName": "John"}
    });
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!([account]))).await;
    let accounts = client
        .list_accounts()
        .limit(2)
        .offset(4)
        .count(true)
        .filters(r#"identityId eq "a b&c""#)
        .sorters("-created")
        .send()
        .await
        .expect("a page of accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].native_identity, "552775");
    assert_eq!(accounts[0].attributes.as_ref().expect("attributes")["firstName"], "John");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/accounts");
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("limit".into(), "2".into()),
            ("offset".into(), "4".into()),
            ("count".into(), "true".into()),
            ("filters".into(), r#"identityId eq "a b&c""#.into()),
            ("sorters".into(), "-created".into())
        ]
    );
    let raw = request.url.query().expect("a query");
    assert!(!raw.contains(' ') && !raw.contains('"') && raw.contains("%26c"), "encoded: {raw}");
    assert_eq!(request.headers.get("authorization").unwrap(), "Bearer smoke-token");
}

#[tokio::test]
async fn a_get_of_a_missing_item_is_the_typed_404() {
    let (server, client) = answering(ResponseTemplate::new(404).set_body_json(error_body())).await;
    let err = client.get_account("no/such id").await.expect_err("404");
    assert_eq!(only_request(&server).await.url.path(), "/accounts/no%2Fsuch%20id");
    match err {
        Error::Api(e) => match e.body {
            sailpoint_v3::GetAccountError::NotFound(body) => assert_eq!(body.tracking_id.as_deref(), Some("b2a4c1")),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_json_patch_sends_the_operations_as_json_patch() {
    let profile = json!({
        "id": "2c91808a7190d06e01719938fcd20792", "name": "Employee-database-read-write",
        "owner": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "support"},
        "source": {"id": "2c9180835d191a86015d28455b4b232a", "type": "SOURCE", "name": "ODS-HR-Employees"}
    });
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(&profile)).await;
    let mut replace = JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/requestable");
    replace.value = Some(JsonPatchOperationValue::from(true));
    let operations = [replace];
    let updated = client.patch_access_profile("2c91808a7190d06e01719938fcd20792", &operations).await.expect("200");
    assert_eq!(updated.name, "Employee-database-read-write");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.headers.get("content-type").unwrap(), "application/json-patch+json");
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, json!([{"op": "replace", "path": "/requestable", "value": true}]));
}

#[tokio::test]
async fn a_multipart_upload_sends_the_file_as_a_form_part() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({"id": "schema-1", "name": "account"}))).await;
    let file = FilePart::new(b"id,name\n1,Ann\n".to_vec()).with_file_name("accounts.csv").with_content_type("text/csv");
    let mut body = sailpoint_v3_full::models::SchemaAccount::default();
    body.file = Some(file);
    let schema = client.import_accounts_schema("2c9180835d191a86015d28455b4a2329", &body).await.expect("200");
    assert_eq!(schema.name.as_deref(), Some("account"));

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/sources/2c9180835d191a86015d28455b4a2329/schemas/accounts");
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let sent = String::from_utf8_lossy(&request.body);
    assert!(sent.contains(r#"Content-Disposition: form-data; name="file"; filename="accounts.csv""#), "{sent}");
    assert!(sent.contains("Content-Type: text/csv"), "{sent}");
    assert!(sent.contains("id,name\n1,Ann\n"), "{sent}");
}

#[tokio::test]
async fn a_text_download_is_a_string() {
    let (_server, client) = answering(ResponseTemplate::new(200).set_body_string("password\nletmein\n")).await;
    assert_eq!(client.get_password_dictionary().await.expect("200"), "password\nletmein\n");
}

#[tokio::test]
async fn a_rate_limit_carries_retry_after() {
    let (_server, client) = answering(
        ResponseTemplate::new(429).set_body_json(json!({"message": "Rate Limit Exceeded"})).insert_header("Retry-After", "3"),
    )
    .await;
    let client = client.with_retry(RetryPolicy::none());
    let err = client.get_account("a").await.expect_err("429");
    let Some(sailpoint_v3::GetAccountError::TooManyRequests { retry_after, .. }) = err.api_error() else { panic!("{err:?}") };
    assert_eq!(*retry_after, Some(std::time::Duration::from_secs(3)));
}

fn account(id: usize) -> serde_json::Value {
    json!({
        "id": format!("acc-{id}"), "name": format!("account {id}"), "sourceId": "s", "authoritative": false,
        "disabled": false, "locked": false, "nativeIdentity": format!("n{id}"), "systemAccount": false,
        "uncorrelated": false, "manuallyCorrelated": false, "hasEntitlements": false
    })
}

#[tokio::test]
async fn a_list_streams_every_item_a_page_at_a_time() {
    use sailpoint_v3_full::StreamExt;
    use wiremock::matchers::query_param;
    let server = MockServer::start().await;
    for (offset, ids) in [("0", vec![0, 1]), ("2", vec![2, 3]), ("4", vec![4])] {
        let page: Vec<_> = ids.into_iter().map(account).collect();
        Mock::given(query_param("offset", offset))
            .and(query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
    }
    let client = Client::with_base_url(server.uri(), Auth::bearer("smoke-token")).expect("a valid client");
    let items: Vec<_> = client.list_accounts().filters("sourceId eq \"s\"").stream(2).collect().await;
    let ids: Vec<String> = items.into_iter().map(|r| r.expect("a page").id.expect("an id")).collect();
    assert_eq!(ids, ["acc-0", "acc-1", "acc-2", "acc-3", "acc-4"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "stops after the short page");
    assert!(requests.iter().all(|r| r.url.query_pairs().any(|(k, v)| k == "filters" && v == "sourceId eq \"s\"")));
}

#[tokio::test]
async fn an_error_in_the_middle_of_a_list_ends_the_stream_with_it() {
    use sailpoint_v3_full::StreamExt;
    use wiremock::matchers::query_param;
    let server = MockServer::start().await;
    Mock::given(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(vec![account(0), account(1)]))
        .mount(&server)
        .await;
    Mock::given(query_param("offset", "2")).respond_with(ResponseTemplate::new(500).set_body_json(error_body())).mount(&server).await;
    let client = Client::with_base_url(server.uri(), Auth::bearer("smoke-token")).expect("a valid client");
    let items: Vec<_> = client.list_accounts().stream(2).collect().await;
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    assert_eq!(items[2].as_ref().expect_err("the 500").status().map(|s| s.as_u16()), Some(500));
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy { base_delay: std::time::Duration::from_millis(5), max_delay: std::time::Duration::from_millis(300), ..RetryPolicy::default() }
}

fn account_json() -> serde_json::Value {
    account(7)
}

#[tokio::test]
async fn client_credentials_are_fetched_cached_and_refreshed_once_on_a_401() {
    use wiremock::matchers::{header, method, path};
    let server = MockServer::start().await;
    let token = |t: &str| ResponseTemplate::new(200).set_body_json(json!({"access_token": t, "token_type": "Bearer", "expires_in": 3600}));
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token("t1")).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token("t2")).mount(&server).await;
    Mock::given(method("GET")).and(header("authorization", "Bearer t1")).respond_with(ResponseTemplate::new(200).set_body_json(account_json())).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("GET")).and(header("authorization", "Bearer t1")).respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "expired"}))).with_priority(2).mount(&server).await;
    Mock::given(method("GET")).and(header("authorization", "Bearer t2")).respond_with(ResponseTemplate::new(200).set_body_json(account_json())).mount(&server).await;
    let auth = Auth::client_credentials_at(format!("{}/oauth/token", server.uri()), "id", "secret-xyz");
    let client = Client::with_base_url(server.uri(), auth).expect("a valid client");
    client.get_account("a").await.expect("t1");
    client.get_account("a").await.expect("t2 after the 401");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.iter().filter(|r| r.url.path() == "/oauth/token").count(), 2);
    let sent: Vec<_> = requests.iter().filter(|r| r.method.as_str() == "GET").map(|r| r.headers.get("authorization").unwrap().to_str().unwrap().to_string()).collect();
    assert_eq!(sent, ["Bearer t1", "Bearer t1", "Bearer t2"]);
    assert!(!sailpoint_v3::TOKEN_URL.is_empty());
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(429).set_body_json(json!({})).insert_header("Retry-After", "1")).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(account_json())).with_priority(2).mount(&server).await;
    let client = Client::with_base_url(server.uri(), Auth::bearer("t")).expect("a valid client").with_retry(fast_retries());
    let started = std::time::Instant::now();
    client.get_account("a").await.expect("the retry succeeds");
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_503_backs_off_for_a_get_but_a_post_is_sent_once() {
    let (server, client) = answering(ResponseTemplate::new(503)).await;
    let client = client.with_retry(fast_retries());
    let err = client.get_account("a").await.expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "GET: every attempt");

    let (server, client) = answering(ResponseTemplate::new(503)).await;
    let client = client.with_retry(fast_retries());
    client.submit_reload_account("a").await.expect_err("503");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "POST: not retried");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let (_server, client) = answering(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5))).await;
    let client = client.with_retry(RetryPolicy::none()).with_timeout(Some(std::time::Duration::from_millis(100)));
    match client.get_account("a").await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unlisted_enum_value_round_trips() {
    let owner: sailpoint_v3_full::models::OwnerDto = serde_json::from_value(json!({"type": "MACHINE", "id": "x"})).unwrap();
    assert_eq!(owner.type_.as_ref().map(|t| t.as_str()), Some("MACHINE"));
    assert!(matches!(owner.type_, Some(sailpoint_v3_full::models::OwnerDtoType::Unknown(_))));
    assert_eq!(serde_json::to_value(&owner).unwrap(), json!({"type": "MACHINE", "id": "x"}));
}
