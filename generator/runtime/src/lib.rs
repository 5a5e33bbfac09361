//! The runtime of every crate sdkgen generates, as a crate of its own so that it is built and
//! tested on its own. `src/runtime/` is copied file for file into each generated crate's
//! `src/runtime/`, where the generated API modules call it; this root only wraps it here.

// A generated crate uses only the part of the runtime its spec needs.
#[allow(dead_code, unused_imports, unused_macros)]
mod runtime;

pub use runtime::*;

// Copied only into the crates of specs with webhooks or callbacks (with `hmac` and `sha2`).
#[allow(dead_code)]
mod webhook;
pub use webhook::*;

#[cfg(any(test, feature = "test-support"))]
pub mod test_support;

#[cfg(test)]
mod tests;
