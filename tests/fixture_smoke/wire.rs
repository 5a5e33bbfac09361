//! Compiled inside the crate generated from tests/fixtures/security-schemes.yaml,
//! parameter-styles.yaml and body-encodings.yaml (see tests/fixture_client.rs): the exact bytes
//! each call puts on the wire, against a local wiremock server that records them.

use fixture_wire::models::{self, Created, Range};
use fixture_wire::{body_encodings, parameter_styles, security_schemes, Auth, Error, FilePart, Token};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "cc-token", "token_type": "bearer"})),
        )
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

async fn last(server: &MockServer) -> wiremock::Request {
    server.received_requests().await.unwrap().pop().expect("a request")
}

fn header<'r>(r: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    r.headers.get(name).map(|v| v.to_str().unwrap())
}

fn security_client(server: &MockServer, auth: impl Into<Auth>) -> security_schemes::Client {
    security_schemes::Client::with_base_url(format!("{}/v1", server.uri()), auth).unwrap()
}

#[tokio::test]
async fn each_scheme_puts_its_credential_where_the_spec_says() {
    let server = server().await;
    let credentials = security_schemes::Credentials::new()
        .client_id("id-1")
        .secret("s3cr3t")
        .plaid_version("2020-09-14")
        .api_key_query("k&1")
        .api_key_cookie("c1")
        .bearer_auth("jwt")
        .token_auth("tok")
        .oidc("id-token");
    let client = security_client(&server, credentials.clone());

    client.combined().await.unwrap();
    let r = last(&server).await;
    assert_eq!(
        (header(&r, "plaid-client-id"), header(&r, "plaid-secret"), header(&r, "plaid-version")),
        (Some("id-1"), Some("s3cr3t"), Some("2020-09-14"))
    );
    assert!(header(&r, "authorization").is_none());

    client.query_key().q("a b").await.unwrap();
    assert_eq!(last(&server).await.url.query(), Some("q=a+b&key=k%261"));

    client.cookie_key().await.unwrap();
    assert_eq!(header(&last(&server).await, "cookie"), Some("session=c1"));

    client.oidc().await.unwrap();
    assert_eq!(header(&last(&server).await, "authorization"), Some("Bearer id-token"));
    client.token_word().await.unwrap();
    assert_eq!(header(&last(&server).await, "authorization"), Some("Token tok"));
    client.optional().await.unwrap();
    assert_eq!(header(&last(&server).await, "authorization"), Some("Bearer jwt"));

    // `security: []` sends nothing, whatever the client holds.
    client.public().await.unwrap();
    let r = last(&server).await;
    assert!(r.headers.get("authorization").is_none() && r.headers.get("plaid-secret").is_none());
    assert_eq!(r.url.query(), None);

    // Debug never shows a credential.
    let debug = format!("{credentials:?} {client:?}");
    assert!(!debug.contains("s3cr3t") && !debug.contains("k&1") && !debug.contains("jwt"), "{debug}");
}

#[tokio::test]
async fn alternatives_pick_the_first_the_client_meets_and_nothing_met_fails_unsent() {
    let server = server().await;
    let client = security_client(&server, security_schemes::Credentials::new().basic_auth("user", "pw"));
    client.either().await.unwrap();
    assert_eq!(header(&last(&server).await, "authorization"), Some("Basic dXNlcjpwdw=="));

    let both = security_schemes::Credentials::new().basic_auth("user", "pw").api_key_header("hk");
    security_client(&server, both).either().await.unwrap();
    let r = last(&server).await;
    assert_eq!((header(&r, "x-api-key"), header(&r, "authorization")), (Some("hk"), None));

    // An optional requirement (`{}`) lets the call go without credentials.
    let anonymous = security_client(&server, Auth::None);
    anonymous.optional().await.unwrap();
    assert!(last(&server).await.headers.get("authorization").is_none());

    let before = server.received_requests().await.unwrap().len();
    let err = anonymous.combined().await.expect_err("no credentials");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("`clientId` and `secret` and `plaidVersion`"), "{text}");
    let err = anonymous.either().await.expect_err("no credentials");
    assert!(err.to_string().contains("`apiKeyHeader`, or `basicAuth`"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), before, "nothing was sent");
}

#[tokio::test]
async fn oauth2_client_credentials_fetch_a_token_from_the_spec_token_url() {
    let server = server().await;
    let credentials = security_schemes::Credentials::new().oauth(Token::client_credentials("id", "secret"));
    security_client(&server, credentials).by_default().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    // The spec's token URL is relative: its path on the client's own origin.
    assert_eq!(requests[0].url.path(), "/oauth/token");
    assert_eq!(header(&requests[1], "authorization"), Some("Bearer cc-token"));
}

#[tokio::test]
async fn every_parameter_style_goes_out_as_the_tables_say() {
    let server = server().await;
    let client = parameter_styles::Client::with_base_url(server.uri(), Auth::None).unwrap();
    let mut range = Range::default();
    range.gt = Some(1);
    range.lt = Some(9);
    let created = Created::Range(range.clone());
    client
        .list_items(&[1, 2], &["a", "b.c"], "m m", "s1")
        .tags(&["x", "y,z"])
        .words(&["a", "b"])
        .pipes(&[3, 4])
        .created(&created)
        .range(&range)
        .spread(&range)
        .redirect("https://example.com/a?b")
        .filter(&range)
        .labels(&[("env".to_string(), "prod".to_string())].into_iter().collect())
        .metadata(&[("team".to_string(), "a b".to_string())].into_iter().collect())
        .x_ids(&[7, 8])
        .prefs(&["p", "q"])
        .await
        .unwrap();
    let r = last(&server).await;
    assert_eq!(r.url.path(), "/items/1,2/.a.b.c/;matrix=m%20m");
    assert_eq!(
        r.url.query(),
        Some(
            "tags=x,y%2Cz&words=a%20b&pipes=3|4&created[gt]=1&created[lt]=9&range[gt]=1&range[lt]=9\
             &gt=1&lt=9&redirect=https://example.com/a?b&filter=%7B%22gt%22%3A1%2C%22lt%22%3A9%7D\
             &labels[env]=prod&team=a+b"
        )
    );
    assert_eq!(header(&r, "x-ids"), Some("7,8"));
    assert_eq!(header(&r, "cookie"), Some("session_id=s1; prefs=p,q"));

    // A union's other variant: deepObject of an integer is the plain pair.
    client.list_items(&[1], &["a"], "m", "s1").created(&Created::Integer(5)).await.unwrap();
    assert_eq!(last(&server).await.url.query(), Some("created=5"));
}

#[tokio::test]
async fn form_bodies_nest_in_brackets_and_follow_their_encoding() {
    let server = server().await;
    let client = body_encodings::Client::with_base_url(server.uri(), Auth::None).unwrap();
    let mut charge = models::Charge::new(100);
    charge.metadata = Some([("order".to_string(), "6735".to_string())].into_iter().collect());
    let mut address = models::Address::default();
    address.city = Some("Zürich".into());
    let mut card = models::ChargeCard::default();
    card.address = Some(address);
    charge.card = Some(card);
    charge.expand = Some(vec!["customer".into(), "invoice".into()]);
    charge.tags = Some(vec!["a".into(), "b".into()]);
    charge.ids = Some(vec![1, 2]);
    client.create_charge(&charge).await.unwrap();
    let r = last(&server).await;
    assert_eq!(header(&r, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "amount=100&card[address][city]=Z%C3%BCrich&expand[0]=customer&expand[1]=invoice&ids=1|2\
         &metadata[order]=6735&tags=a&tags=b"
    );
}

#[tokio::test]
async fn multipart_bodies_send_file_arrays_json_parts_part_content_types_and_part_headers() {
    let server = server().await;
    let client = body_encodings::Client::with_base_url(server.uri(), Auth::None).unwrap();
    let mut meta = models::UploadMeta::default();
    meta.owner = Some("ann".into());
    let files = vec![FilePart::new(b"one".to_vec()).with_file_name("1.txt"), FilePart::new(b"two".to_vec())];
    let mut upload = models::Upload::new(files, meta);
    upload.avatar = Some(FilePart::new(b"PNG".to_vec()).with_file_name("a.png"));
    client.upload(&upload).avatar_x_checksum("c0ffee").avatar_x_rotation(90).await.unwrap();
    let body = String::from_utf8_lossy(&last(&server).await.body).into_owned();
    let parts: Vec<&str> = body.split("--").filter(|p| p.contains("Content-Disposition")).collect();
    assert_eq!(parts.len(), 4, "{body}");
    assert!(parts[0].contains("name=\"files\"; filename=\"1.txt\"") && parts[0].contains("one"), "{body}");
    assert!(parts[1].contains("name=\"files\"") && parts[1].contains("two"), "{body}");
    assert!(parts[2].contains("name=\"avatar\"") && parts[2].contains("Content-Type: image/png"), "{body}");
    // The part's own headers (`encoding.headers`), on that part only.
    assert!(parts[2].contains("x-checksum: c0ffee") && parts[2].contains("x-rotation: 90"), "{body}");
    assert!(!parts[3].contains("x-checksum") && !parts[0].contains("x-rotation"), "{body}");
    assert!(parts[3].contains("name=\"meta\"") && parts[3].contains("Content-Type: application/json"), "{body}");
    assert!(parts[3].contains("{\"owner\":\"ann\"}"), "{body}");
}

/// Records what a client's hook sees, and adds a correlation id to every request.
#[derive(Clone, Default)]
struct Observer(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl fixture_wire::Hook for Observer {
    fn on_request(&self, request: &mut fixture_wire::HookRequest<'_>) {
        let credential = request.headers().contains_key("authorization");
        self.0.lock().unwrap().push(format!("{} {} credential={credential}", request.operation(), request.url().path()));
        request.set_header("X-Correlation-Id", "c-42");
    }

    fn on_response(&self, response: &fixture_wire::HookResponse<'_>) {
        self.0.lock().unwrap().push(format!("{} answered {}", response.operation(), response.status().as_u16()));
    }
}

#[tokio::test]
async fn a_hook_adds_a_header_to_every_request_and_sees_each_response_but_never_a_token() {
    let server = server().await;
    let observer = Observer::default();
    let credentials = security_schemes::Credentials::new().oauth(Token::client_credentials("id", "secret"));
    let client = security_client(&server, credentials).with_hook(observer.clone()).with_user_agent("team-tool/1.2");
    client.by_default().await.unwrap();
    client.public().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/oauth/token");
    assert!(header(&requests[0], "x-correlation-id").is_none(), "the token request is not the hook's");
    for r in &requests[1..] {
        assert_eq!(header(r, "x-correlation-id"), Some("c-42"), "{}", r.url);
        assert_eq!(header(r, "user-agent"), Some("team-tool/1.2"));
    }
    assert_eq!(header(&requests[1], "authorization"), Some("Bearer cc-token"));
    let seen = observer.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "byDefault /v1/default credential=false",
            "byDefault answered 204",
            "public /v1/public credential=false",
            "public answered 204"
        ]
    );
}

#[tokio::test]
async fn a_call_sets_its_own_headers_and_timeout() {
    let server = server().await;
    let client = security_client(&server, security_schemes::Credentials::new().bearer_auth("jwt"));
    client.optional().header("X-Request-Id", "r-1").header("User-Agent", "one-off/0").await.unwrap();
    let r = last(&server).await;
    assert_eq!((header(&r, "x-request-id"), header(&r, "user-agent")), (Some("r-1"), Some("one-off/0")));
    assert_eq!(header(&r, "authorization"), Some("Bearer jwt"));
    client.optional().await.unwrap();
    let r = last(&server).await;
    assert_eq!(header(&r, "x-request-id"), None, "a call's header goes with that call only");
    assert_eq!(header(&r, "user-agent"), Some(concat!("fixture-wire/", env!("CARGO_PKG_VERSION"))));

    let slow = MockServer::start().await;
    let delayed = ResponseTemplate::new(204).set_delay(std::time::Duration::from_millis(400));
    Mock::given(any()).respond_with(delayed).mount(&slow).await;
    let client = security_client(&slow, Auth::None).with_retry(fixture_wire::RetryPolicy::none());
    let err = client.public().timeout(std::time::Duration::from_millis(100)).await.expect_err("timed out");
    assert!(matches!(&err, Error::Transport(e) if e.is_timeout()), "{err:?}");
    client.public().await.expect("the client's own timeout is 60 s");
}
