//! What `.await` on a call gives: its `send()` future, boxed, because a call's `IntoFuture`
//! must name the type of its future and an `async fn`'s cannot be named.

use std::future::Future;
use std::pin::Pin;

/// The future of a call awaited directly (`client.get_account(id).await`).
pub type CallFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
