//! The small runtime that the generated API modules call: authentication, request building,
//! path and query encoding, redirects, retries, response decoding and the error types.
//!
//! It is written by hand (in the generator's `runtime/` crate, where it has its own tests) and
//! copied into every generated crate as it is, so that the crate depends on nothing but
//! well-known crates.

mod auth;
mod body;
mod byte;
mod call;
mod env;
mod error;
pub(crate) mod events;
mod hook;
pub(crate) mod object;
mod paginate;
mod request;
mod response;
mod retry;
mod string_enum;
pub(crate) mod style;
mod url;

pub(crate) use auth::SpecTokenUrl;
pub use auth::{Auth, ClientAuthentication, ClientCredentials, Refreshing, Secret, Token};
pub(crate) use auth::{KeyPlace, Scheme, SchemeKind};
pub use body::FilePart;
pub(crate) use body::Multipart;
pub use byte::{Base64, InvalidBase64};
pub(crate) use call::call;
pub use call::CallFuture;
pub(crate) use env::{process_env, Env, EnvCredential};
pub use error::{ApiError, ConfigError, DecodeError, Error, RawResponse, TransportError, TransportErrorKind};
pub use events::{Event, Events};
pub(crate) use hook::{call_options, CallOptions};
pub use hook::{Hook, HookRequest, HookResponse};
pub(crate) use object::object;
pub(crate) use paginate::{header_value, link_next, next_offset, next_token, offset_pages, paginate, Page};
pub(crate) use request::{Core, Opened, Request};
pub use response::WithHeaders;
pub(crate) use response::{ReadError, Response};
pub use retry::{retry_after, RetryPolicy};
pub(crate) use string_enum::string_enum;
pub(crate) use style::{ParamAt, Place, Style};
pub(crate) use url::{server_url, ServerVariable};
