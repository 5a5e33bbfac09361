//! Standard Webhooks signatures: the standard's own example, tampered and stale requests,
//! Svix's header names, and a secret that never shows.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderValue};

use crate::webhook::{WebhookError, WebhookVerifier};

/// The example of the Standard Webhooks specification (and Svix's documentation).
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: u64 = 1614265330;
const BODY: &[u8] = br#"{"test": 2432232314}"#;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn headers(prefix: &str, id: &str, timestamp: u64, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in [("id", id.to_string()), ("timestamp", timestamp.to_string()), ("signature", signature.into())]
    {
        let name = reqwest::header::HeaderName::from_bytes(format!("{prefix}-{name}").as_bytes()).unwrap();
        headers.insert(name, HeaderValue::from_str(&value).unwrap());
    }
    headers
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn the_standards_example_verifies_and_is_what_sign_makes() {
    let verifier = WebhookVerifier::new(SECRET).expect("a secret");
    assert_eq!(verifier.sign(ID, TIMESTAMP, BODY), SIGNATURE);
    let now = at(TIMESTAMP + 10);
    assert_eq!(verifier.verify_at(&headers("webhook", ID, TIMESTAMP, SIGNATURE), BODY, now), Ok(()));
    // Svix's names for the same headers; several signatures (a rotated secret) of which one fits.
    let several = format!("v1,bm90IGl0 {SIGNATURE} v2,other");
    assert_eq!(verifier.verify_at(&headers("svix", ID, TIMESTAMP, &several), BODY, now), Ok(()));
}

#[test]
fn tampered_stale_and_incomplete_requests_are_refused() {
    let verifier = WebhookVerifier::new(SECRET).unwrap();
    let now = at(TIMESTAMP);
    let signed = headers("webhook", ID, TIMESTAMP, SIGNATURE);
    assert_eq!(verifier.verify_at(&signed, br#"{"test": 2432232315}"#, now), Err(WebhookError::BadSignature));
    assert_eq!(
        verifier.verify_at(&headers("webhook", "msg_other", TIMESTAMP, SIGNATURE), BODY, now),
        Err(WebhookError::BadSignature),
        "the id is signed too"
    );
    let other = WebhookVerifier::new("whsec_c2VjcmV0").unwrap();
    assert_eq!(other.verify_at(&signed, BODY, now), Err(WebhookError::BadSignature));
    let late = at(TIMESTAMP + 301);
    assert!(matches!(verifier.verify_at(&signed, BODY, late), Err(WebhookError::Stale { .. })));
    assert!(matches!(verifier.verify_at(&signed, BODY, at(TIMESTAMP - 301)), Err(WebhookError::Stale { .. })));
    let lenient = verifier.clone().with_tolerance(Duration::from_secs(600));
    assert_eq!(lenient.verify_at(&signed, BODY, late), Ok(()));
    let mut missing = signed.clone();
    missing.remove("webhook-signature");
    assert_eq!(verifier.verify_at(&missing, BODY, now), Err(WebhookError::MissingHeader("webhook-signature")));
    let bad_time = headers("webhook", ID, 0, SIGNATURE);
    let mut bad_time = bad_time;
    bad_time.insert("webhook-timestamp", HeaderValue::from_static("soon"));
    assert_eq!(verifier.verify_at(&bad_time, BODY, now), Err(WebhookError::InvalidTimestamp));
    assert_eq!(WebhookVerifier::new("whsec_not base64!").err(), Some(WebhookError::InvalidSecret));
}

#[test]
fn the_secret_never_shows() {
    let verifier = WebhookVerifier::new(SECRET).unwrap();
    let shown = format!("{verifier:?}");
    assert!(!shown.contains("MfKQ9r8G") && shown.contains("redacted"), "{shown}");
}
