//! The runtime's own tests: units, and the client against local servers (wiremock, plain TCP
//! listeners and a recording proxy). Nothing here leaves this machine.

mod byte;
mod errors;
mod oauth;
mod paginate;
mod redirects;
mod retry;
mod urls;

pub(crate) use crate::test_support::RecordingProxy;
use crate::runtime::{Auth, Core, Error, SpecTokenUrl};

/// A core for `base` with no retries.
pub(crate) fn core(base: &str, auth: Auth, token: SpecTokenUrl) -> Core {
    Core::new(base, auth, token).expect("a valid core").with_retry(crate::RetryPolicy::none())
}

/// `GET path` with credentials, its status, or the error.
pub(crate) async fn get(core: &Core, path: &'static str) -> Result<u16, Error<()>> {
    core.request(reqwest::Method::GET, "test", path).authenticated().send::<()>().await.map(|r| r.status())
}
