//! Receiving webhooks: checking a request's signature (Standard Webhooks, which Svix's
//! headers follow too) and decoding its payload. Copied into the crates of specs that declare
//! webhooks or callbacks, whose `webhooks` modules call it.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use sha2::Sha256;

use crate::runtime::Base64;

/// How far a webhook's timestamp may be from now, by default: Standard Webhooks' five minutes.
pub const DEFAULT_WEBHOOK_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Why a webhook request was refused or its payload could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret given to [`WebhookVerifier::new`] is not base64 (after any `whsec_`).
    InvalidSecret,
    /// A signature header is missing (`webhook-id`, `webhook-timestamp`, `webhook-signature`,
    /// or the same with `svix-`).
    MissingHeader(&'static str),
    /// The timestamp header is not a number of seconds.
    InvalidTimestamp,
    /// The timestamp is further from now than the tolerance: a replay, or a clock far off.
    Stale { timestamp: u64, tolerance: Duration },
    /// No signature in the header matches the body: tampered with, or another secret.
    BadSignature,
    /// The body is not JSON, or not of the payload's type: `path` says where (empty for the
    /// whole body).
    Decode { path: String, message: String },
    /// The body lacks the property that says which event it is.
    NoEventType { property: &'static str },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::InvalidSecret => f.write_str("the webhook secret is not base64"),
            WebhookError::MissingHeader(name) => write!(f, "the webhook request has no `{name}` header"),
            WebhookError::InvalidTimestamp => f.write_str("the webhook timestamp is not a number of seconds"),
            WebhookError::Stale { timestamp, tolerance } => {
                write!(f, "the webhook timestamp {timestamp} is more than {}s from now", tolerance.as_secs())
            }
            WebhookError::BadSignature => f.write_str("no webhook signature matches the body"),
            WebhookError::Decode { path, message } if path.is_empty() || path == "." => {
                write!(f, "the webhook payload does not decode: {message}")
            }
            WebhookError::Decode { path, message } => {
                write!(f, "the webhook payload does not decode at `{path}`: {message}")
            }
            WebhookError::NoEventType { property } => {
                write!(f, "the webhook payload has no string `{property}` to say which event it is")
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// Checks webhook requests signed the Standard Webhooks way: HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` with the shared secret, in `webhook-signature` (or Svix's
/// `svix-signature`) as `v1,<base64>` entries, and a timestamp within the tolerance of now.
/// The comparison takes the same time whatever the signature, and the secret never shows in
/// `Debug`.
#[derive(Clone)]
pub struct WebhookVerifier {
    key: Vec<u8>,
    tolerance: Duration,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier").field("key", &"<redacted>").field("tolerance", &self.tolerance).finish()
    }
}

impl WebhookVerifier {
    /// A verifier for the endpoint secret `secret` (`whsec_` and base64, as Standard Webhooks
    /// and Svix give it; or base64 alone).
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.trim();
        let encoded = encoded.strip_prefix("whsec_").unwrap_or(encoded);
        let key = Base64::decode(encoded).map_err(|_| WebhookError::InvalidSecret)?.into_inner();
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        Ok(Self { key, tolerance: DEFAULT_WEBHOOK_TOLERANCE })
    }

    /// How far from now a timestamp may be (default five minutes).
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks that the request with `headers` and `body` was signed with the secret, recently.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`verify`](Self::verify) as if it were `now`.
    pub fn verify_at(&self, headers: &HeaderMap, body: &[u8], now: SystemTime) -> Result<(), WebhookError> {
        let id = header(headers, "id")?;
        let timestamp = header(headers, "timestamp")?;
        let signatures = header(headers, "signature")?;
        let seconds: u64 = timestamp.trim().parse().map_err(|_| WebhookError::InvalidTimestamp)?;
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        if now.abs_diff(seconds) > self.tolerance.as_secs() {
            return Err(WebhookError::Stale { timestamp: seconds, tolerance: self.tolerance });
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).map_err(|_| WebhookError::InvalidSecret)?;
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.trim().as_bytes());
        mac.update(b".");
        mac.update(body);
        let matches = signatures
            .split_ascii_whitespace()
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|encoded| Base64::decode(encoded).ok())
            // `verify_slice` compares in constant time.
            .any(|signature| mac.clone().verify_slice(&signature).is_ok());
        if matches {
            Ok(())
        } else {
            Err(WebhookError::BadSignature)
        }
    }

    /// The signature header value for a request: for tests of a webhook receiver.
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        format!("v1,{}", Base64(mac.finalize().into_bytes().to_vec()).encode())
    }
}

/// The value of `webhook-{name}`, else `svix-{name}`.
fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, WebhookError> {
    let (standard, svix) = match name {
        "id" => ("webhook-id", "svix-id"),
        "timestamp" => ("webhook-timestamp", "svix-timestamp"),
        _ => ("webhook-signature", "svix-signature"),
    };
    headers
        .get(standard)
        .or_else(|| headers.get(svix))
        .and_then(|v| v.to_str().ok())
        .ok_or(WebhookError::MissingHeader(standard))
}

/// The body as JSON.
pub(crate) fn json(body: &[u8]) -> Result<serde_json::Value, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::Decode { path: String::new(), message: e.to_string() })
}

/// The string at `property` that says which event a payload is.
pub(crate) fn event_type(value: &serde_json::Value, property: &'static str) -> Result<String, WebhookError> {
    value
        .get(property)
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
        .ok_or(WebhookError::NoEventType { property })
}

/// A payload of type `T`, or where it does not fit.
pub(crate) fn decode<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, WebhookError> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| WebhookError::Decode { path: e.path().to_string(), message: e.inner().to_string() })
}

/// A payload of type `T` from the body.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    decode(json(body)?)
}
