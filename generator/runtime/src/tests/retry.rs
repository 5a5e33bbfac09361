//! Backoff, Retry-After, the encoding of values on the wire, and string enums.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use crate::runtime::{retry_after, RetryPolicy};

#[test]
fn backoff_doubles_with_up_to_half_taken_off_and_never_overflows() {
    let policy = RetryPolicy { base_delay: Duration::from_millis(100), ..RetryPolicy::default() };
    for attempt in 1..=5u32 {
        let full = Duration::from_millis(100) * 2u32.pow(attempt - 1);
        let wait = policy.backoff(attempt);
        assert!(wait <= full && wait >= full / 2, "attempt {attempt}: {wait:?}");
    }
    assert!(policy.backoff(u32::MAX) > Duration::ZERO);
    assert!(RetryPolicy::none().max_attempts == 1);
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    let with = |value: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        retry_after(&headers)
    };
    assert_eq!(with("7"), Some(Duration::from_secs(7)));
    assert_eq!(with(" 0 "), Some(Duration::ZERO));
    let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
    let wait = with(&soon).expect("a date");
    assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30), "{wait:?}");
    assert_eq!(with("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO), "a past date: no wait");
    assert_eq!(with("soon"), None);
    assert_eq!(with("-1"), None);
    assert_eq!(retry_after(&HeaderMap::new()), None);
}

#[tokio::test]
async fn path_and_query_values_are_encoded_and_header_values_checked() {
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let core = super::core(&server.uri(), crate::Auth::None, crate::runtime::SpecTokenUrl::None);
    let sent = core
        .request(reqwest::Method::GET, "t", "/items/{id}")
        .path_param("id", "a/b c?#%")
        .query("q", Some("x&y=1 é"))
        .send::<()>()
        .await
        .expect("sent");
    assert_eq!(sent.status(), 200);
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.path(), "/items/a%2Fb%20c%3F%23%25");
    assert_eq!(request.url.query(), Some("q=x%26y%3D1+%C3%A9"));
    for bad in ["..", ".", ""] {
        let err = core.request(reqwest::Method::GET, "t", "/items/{id}").path_param("id", bad).send::<()>().await;
        assert!(matches!(err, Err(crate::Error::InvalidRequest(_))), "{bad:?}");
    }
    let err = core.request(reqwest::Method::GET, "t", "/x").header("X-A", Some("a\r\nX-B: 1")).send::<()>().await;
    assert!(matches!(err, Err(crate::Error::InvalidRequest(_))));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "nothing more was sent");
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Identity,
    Source,
    Unknown(String),
}

impl Kind {
    const VALUES: &'static [(Self, &'static str)] = &[(Self::Identity, "IDENTITY"), (Self::Source, "SOURCE")];
}

crate::runtime::string_enum!(Kind, Unknown);

#[test]
fn string_enums_keep_values_they_do_not_list() {
    assert_eq!(Kind::Source.as_str(), "SOURCE");
    assert_eq!(Kind::from("IDENTITY"), Kind::Identity);
    assert_eq!(Kind::from("MACHINE"), Kind::Unknown("MACHINE".into()));
    assert_eq!(Kind::Unknown("MACHINE".into()).to_string(), "MACHINE");
    let decoded: Vec<Kind> = serde_json::from_str(r#"["SOURCE", "NEW_KIND"]"#).unwrap();
    assert_eq!(decoded, [Kind::Source, Kind::Unknown("NEW_KIND".into())]);
    assert_eq!(serde_json::to_string(&decoded).unwrap(), r#"["SOURCE","NEW_KIND"]"#);
    assert!(serde_json::from_str::<Kind>("7").is_err(), "not a string");
}
