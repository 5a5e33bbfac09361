//! A call of an operation: what every call's type has, said once. `call!` takes the struct
//! (the required parameters, then each optional one with the doc of its setter)
//! and the `impl` whose first method is `send`, and adds the rest: a constructor, a setter per
//! optional parameter, `header` and `timeout`, `request` (which starts the call's request),
//! and `IntoFuture`, whose output is `send`'s. It adds the field `client` too, the module's
//! `Client`, whose `core` sends the request.
//!
//! ```ignore
//! crate::runtime::call! {
//!     /// A call of [`Client::list_accounts`].
//!     pub struct ListAccountsBuilder<'a> {
//!         source_id: &'a str,
//!         /// `limit`: Max number of results to return.
//!         limit: Option<i32>,
//!     }
//!     impl<'a> ListAccountsBuilder<'a> {
//!         /// Sends the request.
//!         pub async fn send(self) -> Result<Vec<models::Account>, Error<ListAccountsError>> { ... }
//!     }
//! }
//! ```

use std::future::Future;
use std::pin::Pin;

/// The future of a call awaited directly (`client.get_account(id).await`).
pub type CallFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

macro_rules! call {
    (
        $(#[$attr:meta])*
        pub struct $call:ident<'a $(,)?> {
            $( $required:ident: $required_ty:ty, )*
            $(
                $(#[doc = $doc:literal])+
                $optional:ident: Option<$optional_ty:ty $(,)?>,
            )*
        }
        impl<'a $(,)?> $same:ident<'a $(,)?> {
            $(#[$send_attr:meta])*
            pub async fn send($receiver:tt $(,)?) -> $output:ty $send:block
            $($rest:tt)*
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone)]
        #[must_use = "a call does nothing until it is awaited or sent"]
        pub struct $call<'a> {
            client: &'a Client,
            $( $required: $required_ty, )*
            $( $optional: Option<$optional_ty>, )*
            options: $crate::runtime::CallOptions,
        }

        $crate::runtime::call_options!($call);

        impl<'a> $call<'a> {
            /// The call with its required parameters, the optional ones unset.
            #[allow(clippy::too_many_arguments)]
            fn new(client: &'a Client, $( $required: $required_ty, )*) -> Self {
                Self {
                    client,
                    $( $required, )*
                    $( $optional: None, )*
                    options: Default::default(),
                }
            }

            /// The request of this call to `path` (a template), with the headers and timeout set on
            /// the call.
            fn request(
                &self,
                method: reqwest::Method,
                operation: &'static str,
                path: &'static str,
            ) -> $crate::runtime::Request<'a> {
                self.client.core.request(method, operation, path).options(self.options.clone())
            }

            $(
                $(#[doc = $doc])+
                pub fn $optional(mut self, $optional: $optional_ty) -> Self {
                    self.$optional = Some($optional);
                    self
                }
            )*

            $(#[$send_attr])*
            // `self` as the invocation wrote it, which the body's `self` is (hygiene).
            pub async fn send($receiver) -> $output $send

            $($rest)*
        }

        #[allow(deprecated)]
        impl<'a> std::future::IntoFuture for $call<'a> {
            type Output = $output;
            type IntoFuture = $crate::runtime::CallFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

pub(crate) use call;
