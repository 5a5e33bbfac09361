//! One module per API: its server, its `Client`, one method per operation, and per operation
//! the call that method returns and the enum of its documented error responses. What to print comes from the model (the types,
//! success kinds and pagination that normalize decided); this only prints it.

mod credentials;
mod env;

pub use credentials::{placement, setter_names};
pub use env::{credentials as env_credentials, var as env_var, Var as EnvVar};
mod headers;
mod operation;
mod pagination;
mod params;
mod responses;
mod send;

use std::ops::Range;

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::layout::{Piece, Writer};
use super::syntax::{crate_path, ident};
use crate::ir::{Api, BodyEncoding, ResponseBody, SchemeKind};
use crate::naming;
use crate::normalize::{ErrorType, ListItem, Model, ParamForm};

pub use credentials::setter_names as credential_setters;
pub use operation::call_params;
pub use params::{body_arg, Arg};
pub use responses::success_type_text;
pub use send::events_item;

/// How the method of an operation takes the parameter `p`, as the surface records it.
pub fn param_arg(model: &Model, p: &crate::ir::Parameter) -> String {
    params::param(model, p, naming::snake(&p.name)).arg.source(model, None)
}

/// The operations `range` of API `api_index`: `impl Client { methods }` (printed laid out, see
/// `layout`) followed by their error enums and builders. Format splices the methods into the
/// `impl Client` of [`api_head`].
pub fn api_operations(model: &Model, api_index: usize, range: Range<usize>) -> Vec<Piece> {
    let api = &model.ir.apis[api_index];
    let mut methods = Writer::new();
    methods.open(&["impl Client {"]);
    let mut items = Vec::with_capacity(2 * range.len());
    for i in range {
        let plan = model.operation(api_index, i);
        let callbacks =
            model.webhooks(api_index).iter().find(|g| g.operation.as_deref() == Some(plan.names.method.as_str()));
        let error_of = match plan.error_type {
            ErrorType::Same { of } => Some(model.operation(api_index, of).names.types.as_str()),
            ErrorType::Own { .. } => None,
        };
        // Compiled only with one of the features of its tags; an error enum that others
        // name, with any of theirs.
        let features = model.features.operation(api_index, i);
        let error_features = match plan.error_type {
            ErrorType::Own { others } if others > 0 => {
                let group = (0..api.operations.len())
                    .filter(|&j| j == i || model.operation(api_index, j).error_type == ErrorType::Same { of: i });
                model.features.operations(api_index, group)
            }
            _ => features.map(<[String]>::to_vec),
        };
        let out = operation::Out { methods: &mut methods, features, error_features: error_features.as_deref() };
        items.extend(operation::operation(model, &api.operations[i], plan, callbacks, error_of, out));
    }
    methods.close(&["}"]);
    let mut pieces = vec![methods.finish()];
    pieces.extend(items);
    pieces
}

/// Whether any operation of the API names a type of `models.rs`: in a parameter, its body,
/// its success or its error responses. The module imports `models` only then.
fn uses_models(model: &Model, api_index: usize) -> bool {
    let api = &model.ir.apis[api_index];
    api.operations.iter().enumerate().any(|(i, op)| {
        let params = op.parameters.iter().any(|p| match model.param_form(p) {
            ParamForm::Value(t) | ParamForm::Ref(t) | ParamForm::List(ListItem::Value(t) | ListItem::Model(t)) => {
                t.mentions_model()
            }
            _ => false,
        });
        let body = op.body.as_ref().is_some_and(|b| params::body_arg(model, b).mentions_model());
        let success = model.operation(api_index, i).success.mentions_model();
        let errors = op.errors().any(|r| match r.body {
            ResponseBody::Json(s) => model.rust_type(s).mentions_model(),
            _ => false,
        });
        params || body || success || errors
    })
}

/// The head of an API module: its docs, imports, server, `Client` and constructors, ending in
/// the `impl Client` block that the operations' methods are spliced into.
pub fn api_head(model: &Model, api_index: usize, crate_name: &str, env_prefix: Option<&str>) -> TokenStream {
    let api = &model.ir.apis[api_index];
    let uses_models = uses_models(model, api_index);
    let mut module_doc = format!("{} {}", api.title, api.version);
    if let Some(d) = &api.description {
        module_doc.push_str("\n\n");
        module_doc.push_str(d.trim());
    }
    let module_doc: Vec<String> =
        module_doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect();

    let server = server_items(api);
    let (token_url_item, token_url_arg) = token_items(api);
    let constructor = constructor(api);
    let from_env = env_prefix.map(|prefix| env::from_env(api, prefix));
    let credentials = credentials::items(api, crate_name);
    let imports = imports(api, uses_models, model.features.gate());
    let client_doc = client_doc(api, crate_name);
    let client_methods = client_methods(&token_url_arg);
    let webhooks = (!model.webhooks(api_index).is_empty()).then(|| {
        quote! {
            pub mod webhooks;
        }
    });
    quote! {
        #(#![doc = #module_doc])*
        // Error enums keep their bodies inline, as they come from the server.
        #![allow(clippy::large_enum_variant)]

        #imports

        #webhooks

        #server
        #token_url_item
        #credentials

        #(#[doc = #client_doc])*
        #[derive(Debug, Clone)]
        pub struct Client {
            core: Core,
        }

        impl Client {
            #constructor

            #from_env

            #client_methods
        }
    }
}

/// The module's `use`s: `models` when an operation names a model type, `Multipart` when one
/// sends multipart, `Error` and `Method` when there are operations at all (a document with
/// none, webhooks only, has a client that calls nothing).
fn imports(api: &Api, uses_models: bool, gated: bool) -> TokenStream {
    let models_import = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    let multipart_import = api
        .operations
        .iter()
        .any(|op| op.body.as_ref().is_some_and(|b| b.encoding == BodyEncoding::Multipart))
        .then(|| quote!(, Multipart));
    let (error_import, method_import) = if api.operations.is_empty() {
        (TokenStream::new(), TokenStream::new())
    } else {
        (
            quote!(, Error),
            quote!(
                use reqwest::Method;
            ),
        )
    };
    // What only operations use is unused when the features on compile none of them.
    let allow = (gated && !api.operations.is_empty()).then(|| quote!(#[allow(unused_imports)]));
    let models_import = models_import.map(|import| quote!(#allow #import));
    let method_import = quote!(#allow #method_import);
    quote! {
        #models_import
        #allow
        use crate::runtime::{Auth, ConfigError, Core #error_import #multipart_import};
        #method_import
    }
}

/// The methods of `Client` that every API has: another base URL, an HTTP client, retries,
/// timeouts, a response size limit.
fn client_methods(token_url_arg: &TokenStream) -> TokenStream {
    quote! {
        /// A client for `base_url` instead of the spec's server: a proxy, another region,
        /// a test server. Fails when it is not an `http(s)` URL, when `auth` would send
        /// credentials over plain `http` to another machine, or when the token URL given to
        /// [`Auth::client_credentials_at`] is not `https`.
        pub fn with_base_url(base_url: impl AsRef<str>, auth: impl Into<Auth>) -> Result<Self, ConfigError> {
            Ok(Self { core: Core::new(base_url.as_ref(), auth.into(), #token_url_arg, SCHEMES)? })
        }

        /// Sends requests through `http`: your timeouts, proxies and TLS settings. Give it
        /// `redirect(reqwest::redirect::Policy::none())` so that redirects stay with this
        /// client, which never lets credentials follow one to another origin; with
        /// reqwest's default policy, `http` follows them itself.
        pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
            self.core = self.core.with_http_client(http);
            self
        }

        /// Retries as `retry` says (see [`RetryPolicy`](crate::RetryPolicy); by default up to
        /// 3 attempts for rate limits, and for gateway errors of idempotent requests).
        pub fn with_retry(mut self, retry: crate::RetryPolicy) -> Self {
            self.core = self.core.with_retry(retry);
            self
        }

        /// Limits each attempt, from sending to the last byte of the response (default 60 s;
        /// `None` for no limit). Connecting has its own limit of 10 s, or what a client given
        /// to `with_http_client` sets.
        pub fn with_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.core = self.core.with_timeout(timeout);
            self
        }

        /// Refuses response bodies longer than `limit` bytes (default 64 MiB), so that a huge
        /// or endless body cannot exhaust memory.
        pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
            self.core = self.core.with_max_response_bytes(limit);
            self
        }

        /// Sends `user_agent` as the `User-Agent` of every request (by default this crate's
        /// name and version); a call's `.header("user-agent", ..)` replaces it for that call.
        pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.core = self.core.with_user_agent(user_agent.into());
            self
        }

        /// Adds `hook`, which sees every request before it is sent (and may change its
        /// headers) and every response when its head has come; see [`Hook`](crate::Hook).
        /// Hooks run in the order they were added, and never see the client's credentials.
        pub fn with_hook(mut self, hook: impl crate::Hook + 'static) -> Self {
            self.core = self.core.with_hook(std::sync::Arc::new(hook));
            self
        }

        /// The base URL that operation paths are appended to.
        pub fn base_url(&self) -> &str {
            self.core.base_url()
        }
    }
}

fn server_items(api: &Api) -> TokenStream {
    let Some(server) = &api.server else {
        return TokenStream::new();
    };
    let url = &server.url;
    let mut doc = format!(" The server URL of this API, with its variables in braces: `{url}`.");
    if let Some(d) = &server.description {
        doc.push_str(&format!("\n\n {}", d.trim()));
    }
    let doc_lines: Vec<&str> = doc.lines().collect();
    let defaults = server.variables.iter().map(|v| {
        let name = format_ident!(
            "DEFAULT_{}",
            v.name.to_shouty_snake_case().replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_")
        );
        let value = &v.default;
        let doc = format!(
            " Default of the server variable `{}`{}",
            v.name,
            v.description.as_deref().map(|d| format!(": {}", d.trim())).unwrap_or_else(|| ".".into())
        );
        quote! { #[doc = #doc] pub const #name: &str = #value; }
    });
    let params: Vec<_> = server.variables.iter().map(|v| ident(&naming::snake(&v.name))).collect();
    let variables = server.variables.iter().zip(&params).map(|(v, p)| {
        let (name, default, allowed) = (&v.name, &v.default, &v.allowed);
        quote! {
            crate::runtime::ServerVariable { name: #name, value: #p, default: #default, allowed: &[#(#allowed),*] }
        }
    });
    let fn_doc = if server.variables.is_empty() {
        " The server URL (it has no variables)."
    } else {
        " The server URL with its variables filled in. Each value must fit its place in the URL\n \
         (one of the spec's values where it lists them; else a host label, a port or a path\n \
         segment), so that no value can change the scheme, host, port or path around it."
    };
    let fn_doc = fn_doc.lines();
    quote! {
        #(#[doc = #doc_lines])*
        pub const SERVER_URL: &str = #url;

        #(#defaults)*

        #(#[doc = #fn_doc])*
        pub fn server_url(#(#params: &str),*) -> Result<String, ConfigError> {
            crate::runtime::server_url(SERVER_URL, &[#(#variables),*])
        }
    }
}

/// `TOKEN_URL` and `TOKEN_SCOPES`, and how the client is told where tokens come from.
fn token_items(api: &Api) -> (TokenStream, TokenStream) {
    let Some(token) = &api.token else {
        return (TokenStream::new(), quote!(crate::runtime::SpecTokenUrl::None));
    };
    let url = &token.url;
    let (doc, arg) = match &token.same_origin_path {
        Some(path) => (
            format!(
                " The OAuth2 token URL the spec gives. It is on the API's own host, so\n \
                 [`Auth::client_credentials`] fetches tokens from its path, `{path}`, on the client's own\n \
                 origin: the tenant's host for [`Client::new`], the base URL's for [`Client::with_base_url`]."
            ),
            quote!(crate::runtime::SpecTokenUrl::SameOrigin(#path)),
        ),
        None => (
            " The OAuth2 token URL the spec gives. It is not on the API's host, so it may be a\n \
             placeholder: [`Auth::client_credentials`] never sends a secret there, and you name your\n \
             token URL with [`Auth::client_credentials_at`]."
                .to_string(),
            quote!(crate::runtime::SpecTokenUrl::Elsewhere(TOKEN_URL)),
        ),
    };
    let doc_lines: Vec<&str> = doc.lines().collect();
    let scopes = &token.scopes;
    let items = quote! {
        #(#[doc = #doc_lines])*
        pub const TOKEN_URL: &str = #url;

        /// The scopes the spec's client-credentials flow lists, for [`Auth::with_scopes`].
        pub const TOKEN_SCOPES: &[&str] = &[#(#scopes),*];
    };
    (items, arg)
}

fn constructor(api: &Api) -> TokenStream {
    let Some(server) = api.server.as_ref().filter(|s| s.is_absolute()) else {
        return TokenStream::new();
    };
    let params: Vec<_> = server.variables.iter().map(|v| ident(&naming::snake(&v.name))).collect();
    let mut doc = String::from(" A client for the spec's server");
    if !server.variables.is_empty() {
        let names: Vec<String> = server.variables.iter().map(|v| format!("`{}`", naming::snake(&v.name))).collect();
        doc.push_str(&format!(", with {} filled in (see [`SERVER_URL`])", names.join(", ")));
    }
    doc.push('.');
    doc.push_str("\n Fails when a value does not fit its place in the URL, or as [`Client::with_base_url`] does.");
    let doc = doc.lines();
    quote! {
        #(#[doc = #doc])*
        pub fn new(#(#params: &str,)* auth: impl Into<Auth>) -> Result<Self, ConfigError> {
            Self::with_base_url(server_url(#(#params),*)?, auth)
        }
    }
}

/// The client's documentation, with an example of making one with the spec's kind of
/// credentials: a token and OAuth2 client credentials when a scheme takes a token (or the spec
/// names none), else its `Credentials`.
fn client_doc(api: &Api, crate_name: &str) -> Vec<String> {
    let module = &api.module;
    let krate = crate_path(crate_name, module);
    let new_args: String = api
        .server
        .iter()
        .filter(|s| s.is_absolute())
        .flat_map(|s| &s.variables)
        .map(|v| format!("{:?}, ", v.default))
        .collect();
    let has_new = api.server.as_ref().is_some_and(|s| s.is_absolute());
    let takes_token = api.schemes.is_empty()
        || api.schemes.iter().any(|s| matches!(s.kind, SchemeKind::Http { .. } | SchemeKind::OAuth2 { .. }));
    let mut lines = vec![
        format!("Client for {} {}.", api.title, api.version),
        String::new(),
        "```no_run".into(),
        "use std::time::Duration;".into(),
        format!("use {krate}::{{{module}, Auth, RetryPolicy}};"),
        String::new(),
    ];
    let (auth, retry_auth) = if takes_token {
        (
            "Auth::bearer(\"token\")".to_string(),
            "    Auth::client_credentials_at(\"https://api.example.com/oauth/token\", \"client id\", \"secret\"),"
                .to_string(),
        )
    } else {
        let credentials = format!("{module}::Credentials::new(){}", credentials::first_calls(api));
        (credentials.clone(), format!("    {credentials},"))
    };
    if has_new {
        lines.push(if takes_token {
            "// A personal access token, against the spec's server.".into()
        } else {
            "// The spec's credentials, against its server.".into()
        });
        lines.push(format!("let client = {module}::Client::new({new_args}{auth})?;"));
    }
    lines.extend([
        if takes_token {
            "// OAuth2 client credentials, another base URL, more retries and a shorter timeout.".to_string()
        } else {
            "// Another base URL, more retries and a shorter timeout.".to_string()
        },
        format!("let client = {module}::Client::with_base_url("),
        "    \"https://api.example.com\",".into(),
        retry_auth,
        ")?".into(),
        ".with_retry(RetryPolicy { max_attempts: 5, ..RetryPolicy::default() })".into(),
        ".with_timeout(Some(Duration::from_secs(20)));".into(),
        "# Ok::<(), Box<dyn std::error::Error>>(())".into(),
        "```".into(),
    ]);
    lines.into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") }).collect()
}
