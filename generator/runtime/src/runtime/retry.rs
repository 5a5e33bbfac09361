//! When a request is tried again, and how long to wait first.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// When and how often a request is tried again. The default: up to 3 attempts; a 429 is always
/// retried after its `Retry-After`; 502, 503, 504 and connection errors are retried with
/// exponential backoff and jitter for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS,
/// TRACE) only; no wait is longer than `max_delay`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// The first backoff delay; each further one doubles, with up to half taken off at random.
    pub base_delay: Duration,
    /// The longest wait, whatever `Retry-After` says.
    pub max_delay: Duration,
    /// Retry POST and PATCH too on 502/503/504 and connection errors (they may then run twice).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The wait before attempt `attempt + 1`: `base_delay * 2^(attempt-1)`, less a random
    /// share of up to half, so that clients that failed together do not retry together.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        use std::hash::{BuildHasher, Hasher};
        let full = self.base_delay.saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(attempt);
        let jitter = (hasher.finish() % 1000) as u32;
        full.saturating_sub(full / 2 * jitter / 1000)
    }
}

/// Reads `Retry-After`: a number of seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}
