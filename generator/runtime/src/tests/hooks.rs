//! Hooks on a client, the options of one call (headers, timeout) and the `User-Agent`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::core;
use crate::runtime::{
    call_options, Auth, CallOptions, Core, Error, Hook, HookRequest, HookResponse, KeyPlace, Scheme, SchemeKind,
    SpecTokenUrl, TransportErrorKind,
};

/// A call as generated code defines one: its options, and the macro's `.header()`/`.timeout()`.
struct Call<'a> {
    core: &'a Core,
    path: &'static str,
    options: CallOptions,
}

call_options!(Call);

impl Call<'_> {
    async fn send(self) -> Result<u16, Error<()>> {
        let Self { core, path, options } = self;
        let request = core.request(reqwest::Method::GET, "getThing", path).header("x-param", Some("from the spec"));
        let request = request.security(&[&["oauth2"], &["key"], &[]]).options(options);
        request.send().await.map(|r| r.status())
    }
}

fn call<'a>(core: &'a Core, path: &'static str) -> Call<'a> {
    Call { core, path, options: CallOptions::default() }
}

/// What a hook saw: each request's operation, URL, attempt and headers; each response's
/// status and attempt, and whether its elapsed time was measured.
#[derive(Default)]
struct Recorder {
    requests: Mutex<Vec<(String, String, u32, reqwest::header::HeaderMap)>>,
    responses: Mutex<Vec<(u16, u32, Duration)>>,
}

impl Hook for Arc<Recorder> {
    fn on_request(&self, request: &mut HookRequest<'_>) {
        let seen =
            (request.operation().to_string(), request.url().to_string(), request.attempt(), request.headers().clone());
        self.requests.lock().unwrap().push(seen);
        request.set_header("x-correlation-id", "abc-123");
    }

    fn on_response(&self, response: &HookResponse<'_>) {
        self.responses.lock().unwrap().push((response.status().as_u16(), response.attempt(), response.elapsed()));
    }
}

#[tokio::test]
async fn a_hook_adds_a_header_to_every_request_and_sees_every_response_but_no_credential() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(30)))
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let core = core(&server.uri(), Auth::bearer("s3cr3t"), SpecTokenUrl::None)
        .with_retry(crate::RetryPolicy { max_attempts: 2, ..crate::RetryPolicy::default() })
        .with_hook(Arc::new(recorder.clone()));
    assert_eq!(call(&core, "/busy").send().await.expect("retried"), 200);
    assert_eq!(call(&core, "/other").send().await.expect("sent"), 200);

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for request in &received {
        assert_eq!(request.headers.get("x-correlation-id").unwrap(), "abc-123");
        assert_eq!(request.headers.get("authorization").unwrap(), "Bearer s3cr3t");
    }
    let requests = recorder.requests.lock().unwrap();
    let seen: Vec<(&str, u32)> =
        requests.iter().map(|(_, url, attempt, _)| (&url[url.rfind('/').unwrap()..], *attempt)).collect();
    assert_eq!(seen, [("/busy", 1), ("/busy", 2), ("/other", 1)]);
    for (operation, _, _, headers) in requests.iter() {
        assert_eq!(operation, "getThing");
        assert_eq!(headers.get("x-param").unwrap(), "from the spec");
        assert!(headers.get("authorization").is_none(), "a hook never sees the credential: {headers:?}");
    }
    let responses = recorder.responses.lock().unwrap();
    let statuses: Vec<(u16, u32)> = responses.iter().map(|(s, a, _)| (*s, *a)).collect();
    assert_eq!(statuses, [(429, 1), (200, 2), (200, 1)]);
    assert!(responses[1].2 >= Duration::from_millis(30), "elapsed is measured: {:?}", responses[1].2);
}

#[tokio::test]
async fn a_hook_never_sees_an_api_key_in_the_query_and_a_bad_header_fails_the_call_unsent() {
    const KEY: &[Scheme] =
        &[Scheme { name: "key", kind: SchemeKind::ApiKey { place: KeyPlace::Query, name: "api_key" } }];
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let recorder = Arc::new(Recorder::default());
    let core = Core::new(&server.uri(), Auth::None.api_key_for("key", "k3y"), SpecTokenUrl::None, KEY)
        .unwrap()
        .with_hook(Arc::new(recorder.clone()));
    call(&core, "/q").send().await.expect("sent");
    assert_eq!(server.received_requests().await.unwrap()[0].url.query(), Some("api_key=k3y"));
    let url = recorder.requests.lock().unwrap()[0].1.clone();
    assert!(!url.contains("k3y"), "{url}");

    struct Bad;
    impl Hook for Bad {
        fn on_request(&self, request: &mut HookRequest<'_>) {
            request.set_header("x-bad", "a\r\nb");
        }
    }
    let core = core.with_hook(Arc::new(Bad));
    let err = call(&core, "/q").send().await.expect_err("refused");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("x-bad")), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn a_header_set_on_a_call_replaces_the_parameter_and_the_user_agent_and_goes_only_with_that_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let core = core(&server.uri(), Auth::None, SpecTokenUrl::None);
    call(&core, "/a")
        .header("X-Param", "mine")
        .header("user-agent", "my-app/2")
        .header("x-extra", "1")
        .send()
        .await
        .unwrap();
    call(&core, "/b").send().await.unwrap();
    let core = core.with_user_agent("team-tool/0.3".to_string());
    call(&core, "/c").send().await.unwrap();

    let received = server.received_requests().await.unwrap();
    let header = |i: usize, name: &str| {
        received[i].headers.get_all(name).iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(header(0, "x-param"), ["mine"]);
    assert_eq!(header(0, "user-agent"), ["my-app/2"]);
    assert_eq!(header(0, "x-extra"), ["1"]);
    assert_eq!(header(1, "x-param"), ["from the spec"]);
    assert_eq!(header(1, "user-agent"), [concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))]);
    assert!(header(1, "x-extra").is_empty());
    assert_eq!(header(2, "user-agent"), ["team-tool/0.3"]);

    let err = call(&core, "/d").header("bad name", "x").send().await.expect_err("refused");
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("bad name")), "{err:?}");
}

#[tokio::test]
async fn a_credential_header_set_on_a_call_stands_in_for_the_clients_and_never_follows_a_redirect_elsewhere() {
    let other = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&other).await;
    let server = MockServer::start().await;
    let elsewhere = format!("{}/there", other.uri());
    Mock::given(path("/away"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", elsewhere.as_str()))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let core = core(&server.uri(), Auth::bearer("client-token"), SpecTokenUrl::None);
    call(&core, "/here").header("Authorization", "Bearer user-token").send().await.unwrap();
    call(&core, "/away").header("authorization", "Bearer user-token").header("x-trace", "t").send().await.unwrap();

    let here = server.received_requests().await.unwrap();
    for request in &here {
        let values: Vec<_> = request.headers.get_all("authorization").iter().collect();
        assert_eq!(values, ["Bearer user-token"], "{}", request.url);
    }
    let there = &other.received_requests().await.unwrap()[0];
    assert!(there.headers.get("authorization").is_none(), "{:?}", there.headers);
    assert_eq!(there.headers.get("x-trace").unwrap(), "t", "other headers of the call go on");
}

#[tokio::test]
async fn a_timeout_set_on_a_call_limits_that_call_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    let core = core(&server.uri(), Auth::None, SpecTokenUrl::None).with_timeout(Some(Duration::from_secs(5)));
    let err = call(&core, "/slow").timeout(Duration::from_millis(100)).send().await.expect_err("timed out");
    match &err {
        Error::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Timeout { after: Some(Duration::from_millis(100)) }, "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(call(&core, "/slow").send().await.expect("the client's timeout is longer"), 200);
    let core = core.with_timeout(Some(Duration::from_millis(100)));
    assert_eq!(call(&core, "/slow").timeout(Duration::from_secs(5)).send().await.expect("the call's is longer"), 200);
}
