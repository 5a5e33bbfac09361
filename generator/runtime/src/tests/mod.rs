//! The runtime's own tests: units, and the client against local servers (wiremock, plain TCP
//! listeners and a recording proxy). Nothing here leaves this machine.

mod byte;
mod call;
mod env;
mod errors;
mod events;
mod hooks;
mod oauth;
mod object;
mod paginate;
mod redirects;
mod retry;
mod schemes;
mod styles;
mod urls;
mod webhooks;

use crate::runtime::{Auth, Core, Error, Scheme, SchemeKind, SpecTokenUrl};
pub(crate) use crate::test_support::RecordingProxy;

/// The one scheme of the tests that do not test schemes: OAuth2, which takes any token.
pub(crate) const OAUTH2: &[Scheme] = &[Scheme { name: "oauth2", kind: SchemeKind::OAuth2 }];

/// A core for `base` with no retries.
pub(crate) fn core(base: &str, auth: Auth, token: SpecTokenUrl) -> Core {
    Core::new(base, auth, token, OAUTH2).expect("a valid core").with_retry(crate::RetryPolicy::none())
}

/// `GET path` with the client's token if it has one (else anonymously), its status, or the
/// error.
pub(crate) async fn get(core: &Core, path: &'static str) -> Result<u16, Error<()>> {
    core.request(reqwest::Method::GET, "test", path)
        .security(&[&["oauth2"], &[]])
        .send::<()>()
        .await
        .map(|r| r.status())
}
