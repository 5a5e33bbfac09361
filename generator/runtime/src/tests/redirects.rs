//! Redirects are followed by the client itself, which keeps credentials to its own origin.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{core, get};
use crate::runtime::{Auth, Error, SpecTokenUrl, TransportErrorKind};

fn redirect(status: u16, to: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("location", to)
}

#[tokio::test]
async fn credentials_follow_a_redirect_on_the_same_origin_but_never_to_another() {
    let other = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&other).await;
    let server = MockServer::start().await;
    Mock::given(path("/a")).respond_with(redirect(302, "/b")).mount(&server).await;
    Mock::given(path("/b")).respond_with(redirect(301, &format!("{}/c?x=1", other.uri()))).mount(&server).await;
    let core = core(&server.uri(), Auth::bearer("s3cr3t"), SpecTokenUrl::None);
    assert_eq!(get(&core, "/a").await.expect("followed"), 200);

    let here = server.received_requests().await.unwrap();
    assert_eq!(here.len(), 2);
    assert!(here.iter().all(|r| r.headers.get("authorization").unwrap() == "Bearer s3cr3t"));
    // Another port is another origin: the request goes on without the credential.
    let there = other.received_requests().await.unwrap();
    assert_eq!(there.len(), 1);
    assert_eq!(there[0].url.path(), "/c");
    assert!(there[0].headers.get("authorization").is_none(), "{:?}", there[0].headers);
}

#[tokio::test]
async fn a_redirect_loop_ends_at_the_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(redirect(307, "/again")).mount(&server).await;
    let core = core(&server.uri(), Auth::None, SpecTokenUrl::None);
    let err = get(&core, "/start").await.expect_err("too many");
    match &err {
        Error::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::TooManyRedirects { limit: 10 }),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("more than 10 redirects"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 11);
}

#[tokio::test]
async fn see_other_becomes_a_get_and_307_repeats_the_body() {
    let server = MockServer::start().await;
    Mock::given(path("/post")).respond_with(redirect(303, "/result")).mount(&server).await;
    Mock::given(path("/put")).respond_with(redirect(307, "/result")).mount(&server).await;
    Mock::given(path("/result")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(path("/ftp")).respond_with(redirect(302, "ftp://example.com/x")).mount(&server).await;
    let core = core(&server.uri(), Auth::None, SpecTokenUrl::None);
    let send =
        |m: reqwest::Method, p: &'static str| core.request(m, "test", p).raw_body("text/plain", "hello").send::<()>();
    assert_eq!(send(reqwest::Method::POST, "/post").await.unwrap().status(), 200);
    assert_eq!(send(reqwest::Method::PUT, "/put").await.unwrap().status(), 200);
    let requests = server.received_requests().await.unwrap();
    let seen: Vec<(String, String, usize)> =
        requests.iter().map(|r| (r.method.to_string(), r.url.path().to_string(), r.body.len())).collect();
    assert_eq!(
        seen,
        [
            ("POST".into(), "/post".into(), 5),
            ("GET".into(), "/result".into(), 0),
            ("PUT".into(), "/put".into(), 5),
            ("PUT".into(), "/result".into(), 5)
        ]
    );
    let err = get(&core, "/ftp").await.expect_err("not followed");
    assert!(matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::BadRedirect), "{err:?}");
}
