//! One module per API: its server, its `Client`, one method per operation, and one enum of
//! documented error responses per operation.

use std::cell::Cell;
use std::ops::Range;

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, field_idents, ident, type_tokens};
use crate::ir::{Api, BodyEncoding, Kind, NodeId, Operation, ParamLocation, RequestBody, ResponseBody, StringFormat};
use crate::naming::{self, Uniquer};
use crate::normalize::{Model, Resolved, Shape};

/// The Rust method name of each operation of `api`, in order.
pub fn method_names(api: &Api) -> Vec<String> {
    let mut method_names = Uniquer::with_taken([
        "new",
        "with_base_url",
        "with_http_client",
        "with_retry",
        "with_timeout",
        "with_max_response_bytes",
        "base_url",
    ]);
    api.operations.iter().map(|op| method_names.claim(naming::snake(&op.id))).collect()
}

/// The operations `range` of an API module: `impl Client { methods }` followed by their error
/// enums and builders. Format splices the methods into the `impl Client` of [`api_head`].
/// Also says whether the code refers to `models`.
pub fn api_operations(model: &Model, api: &Api, method_names: &[String], range: Range<usize>) -> (TokenStream, bool) {
    let cx = Cx { model, used_models: Cell::new(false) };
    let (methods, errors): (Vec<_>, Vec<_>) = api.operations[range.clone()]
        .iter()
        .zip(&method_names[range])
        .map(|(op, name)| operation(&cx, op, name.clone()))
        .unzip();
    let tokens = quote! {
        impl Client {
            #(#methods)*
        }

        #(#errors)*
    };
    (tokens, cx.used_models.get())
}

/// The head of an API module: its docs, imports, server, `Client` and constructors, ending in
/// the `impl Client` block that the operations' methods are spliced into. `uses_models`: whether
/// any operation's code refers to `models` (see [`api_operations`]).
pub fn api_head(api: &Api, crate_name: &str, uses_models: bool) -> TokenStream {
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
    let client_doc = client_doc(api, crate_name);
    quote! {
        #(#![doc = #module_doc])*
        // Error enums keep their bodies inline, as they come from the server.
        #![allow(clippy::large_enum_variant)]

        #models_import
        use crate::runtime::{Auth, ConfigError, Core, Error #multipart_import};
        use reqwest::Method;

        #server
        #token_url_item

        #(#[doc = #client_doc])*
        #[derive(Debug, Clone)]
        pub struct Client {
            core: Core,
        }

        impl Client {
            #constructor

            /// A client for `base_url` instead of the spec's server: a proxy, another region,
            /// a test server. Fails when it is not an `http(s)` URL, when `auth` would send
            /// credentials over plain `http` to another machine, or when the token URL given to
            /// [`Auth::client_credentials_at`] is not `https`.
            pub fn with_base_url(base_url: impl AsRef<str>, auth: Auth) -> Result<Self, ConfigError> {
                Ok(Self { core: Core::new(base_url.as_ref(), auth, #token_url_arg)? })
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

            /// The base URL that operation paths are appended to.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }
        }
    }
}

struct Cx<'a> {
    model: &'a Model,
    used_models: Cell<bool>,
}

impl Cx<'_> {
    fn ty(&self, node: NodeId) -> TokenStream {
        let t = type_tokens(self.model, node, &quote!(models::));
        if t.to_string().contains("models ::") {
            self.used_models.set(true);
        }
        t
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
    let Some(server) = api.server.as_ref().filter(|s| s.url.contains("://")) else {
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
        pub fn new(#(#params: &str,)* auth: Auth) -> Result<Self, ConfigError> {
            Self::with_base_url(server_url(#(#params),*)?, auth)
        }
    }
}

/// A parameter as the method takes it and as the request builder sends it.
struct Param {
    ident: proc_macro2::Ident,
    /// The name on the wire.
    wire: String,
    signature: TokenStream,
    send: TokenStream,
    doc: String,
    required: bool,
    /// How the value is taken: a string by reference, a value (`Some(type)`), or a list.
    by_value: Option<TokenStream>,
    is_list: bool,
}

fn operation(cx: &Cx, op: &Operation, method_name: String) -> (TokenStream, TokenStream) {
    let op_type = naming::type_ident(&op.id);
    let error_name = format_ident!("{}Error", op_type);
    let mut idents = Uniquer::with_taken(["self", "body", "response"]);

    // Path parameters in template order, then required, then optional others.
    let mut ordered: Vec<&crate::ir::Parameter> = Vec::new();
    for name in crate::ir::path_template_names(&op.path) {
        ordered.extend(op.parameters.iter().find(|p| p.location == ParamLocation::Path && p.name == name));
    }
    ordered.extend(op.parameters.iter().filter(|p| p.location != ParamLocation::Path && p.required));
    let optional_start = ordered.len();
    ordered.extend(op.parameters.iter().filter(|p| p.location != ParamLocation::Path && !p.required));

    let params: Vec<Param> = ordered.iter().map(|p| param(cx, p, idents.claim(naming::snake(&p.name)))).collect();
    let (required_params, optional_params) = params.split_at(optional_start);

    let body = op.body.as_ref().map(|b| request_body(cx, b));
    let sig_params = required_params
        .iter()
        .map(|p| {
            let (i, s) = (&p.ident, &p.signature);
            quote!(#i: #s)
        })
        .chain(body.iter().map(|(ty, _, _)| quote!(body: #ty)))
        .chain(optional_params.iter().map(|p| {
            let (i, s) = (&p.ident, &p.signature);
            quote!(#i: #s)
        }));
    let sends: Vec<&TokenStream> = params.iter().map(|p| &p.send).collect();
    let body_send = body.as_ref().map(|(_, send, _)| send);
    let auth = op.authenticated.then(|| quote!(.authenticated()));

    let (ok_type, ok_arms) = success(cx, op);
    // Errors: one variant per documented non-2xx status.
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for r in op.responses.iter().filter(|r| !(200..300).contains(&r.status)) {
        let variant = ident(&naming::status_variant(r.status));
        let code = proc_macro2::Literal::u16_unsuffixed(r.status);
        let doc = doc_attrs(Some(&format!("`{}`: {}", r.status, r.description.trim())));
        let body_ty = match r.body {
            ResponseBody::Json(s) => Some(cx.ty(s)),
            _ => None,
        };
        let (def, arm) = match (r.status, body_ty) {
            (429, Some(ty)) => (
                quote! {
                    #doc
                    #variant {
                        body: #ty,
                        /// How long the server asks to wait (`Retry-After`).
                        retry_after: Option<std::time::Duration>,
                    },
                },
                quote! {
                    #code => {
                        let retry_after = response.retry_after();
                        Err(response.error(|body| #error_name::#variant { body, retry_after }))
                    }
                },
            ),
            (429, None) => (
                quote! {
                    #doc
                    #variant {
                        /// How long the server asks to wait (`Retry-After`).
                        retry_after: Option<std::time::Duration>,
                    },
                },
                quote! {
                    #code => {
                        let retry_after = response.retry_after();
                        Err(response.error_without_body(#error_name::#variant { retry_after }))
                    }
                },
            ),
            (_, Some(ty)) => {
                (quote! { #doc #variant(#ty), }, quote! { #code => Err(response.error(#error_name::#variant)), })
            }
            (_, None) => (
                quote! { #doc #variant, },
                quote! { #code => Err(response.error_without_body(#error_name::#variant)), },
            ),
        };
        variants.push(def);
        arms.push(arm);
    }

    let method_doc = method_doc(op, &params, body.as_ref().and_then(|(_, _, d)| d.as_deref()));
    let method_ident = ident(&method_name);
    let http_method = ident(op.method.as_upper());
    let path = &op.path;
    let operation_id = &op.id;
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let too_many =
        (params.len() + usize::from(body.is_some()) > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let call = |receiver: TokenStream| {
        quote! {
            let response = #receiver
                .core
                .request(Method::#http_method, #operation_id, #path)
                #(#sends)*
                #body_send
                #auth
                .send()
                .await?;
            match response.status() {
                #ok_arms
                #(#arms)*
                _ => Err(response.unexpected_status()),
            }
        }
    };
    // Many optional parameters: the method takes the required ones and returns a builder.
    let builder = (optional_params.len() >= BUILDER_THRESHOLD).then(|| format_ident!("{}Builder", op_type));
    let (plain_call, builder_call) = (call(quote!(self)), call(quote!(client)));
    let (method, builder_def) = match &builder {
        None => (
            quote! {
                #method_doc
                #deprecated
                #too_many
                pub async fn #method_ident(&self, #(#sig_params),*) -> Result<#ok_type, Error<#error_name>> {
                    #plain_call
                }
            },
            TokenStream::new(),
        ),
        Some(builder) => {
            let required: Vec<(proc_macro2::Ident, TokenStream)> = required_params
                .iter()
                .map(|p| (p.ident.clone(), with_lifetime(&p.signature)))
                .chain(body.iter().map(|(ty, _, _)| (ident("body"), with_lifetime(ty))))
                .collect();
            let optional: Vec<(&Param, TokenStream)> =
                optional_params.iter().map(|p| (p, with_lifetime(&p.signature))).collect();
            let field_defs = required.iter().map(|(i, t)| quote!(#i: #t,)).chain(optional.iter().map(|(p, t)| {
                let i = &p.ident;
                quote!(#i: #t,)
            }));
            let all_fields: Vec<_> =
                required.iter().map(|(i, _)| i.clone()).chain(optional.iter().map(|(p, _)| p.ident.clone())).collect();
            let args = required.iter().map(|(i, t)| quote!(#i: #t));
            let inits = required.iter().map(|(i, _)| quote!(#i,)).chain(optional.iter().map(|(p, _)| {
                let i = &p.ident;
                quote!(#i: None,)
            }));
            let setters = optional.iter().map(|(p, t)| {
                let i = &p.ident;
                let inner = option_inner(t);
                let doc = doc_attrs(Some(&format!("`{}`: {}", p.wire, one_line(&p.doc))));
                quote! {
                    #doc
                    pub fn #i(mut self, #i: #inner) -> Self {
                        self.#i = Some(#i);
                        self
                    }
                }
            });
            let builder_doc = format!(
                " A call of [`Client::{method_name}`]: set the optional parameters, then [`send`]({builder}::send) it."
            );
            (
                quote! {
                    #method_doc
                    #deprecated
                    pub fn #method_ident<'a>(&'a self, #(#args),*) -> #builder<'a> {
                        #builder { client: self, #(#inits)* }
                    }
                },
                quote! {
                    #[doc = #builder_doc]
                    #[must_use = "a call does nothing until it is sent"]
                    pub struct #builder<'a> {
                        client: &'a Client,
                        #(#field_defs)*
                    }

                    impl<'a> #builder<'a> {
                        #(#setters)*

                        /// Sends the request.
                        #deprecated
                        pub async fn send(self) -> Result<#ok_type, Error<#error_name>> {
                            let Self { client, #(#all_fields),* } = self;
                            #builder_call
                        }
                    }
                },
            )
        }
    };
    let error_doc = if variants.is_empty() {
        format!(
            " [`Client::{method_name}`] documents no error responses: other statuses are `Error::UnexpectedStatus`."
        )
    } else {
        format!(" The documented error responses of [`Client::{method_name}`].")
    };
    let error = quote! {
        #[doc = #error_doc]
        #[derive(Debug, Clone)]
        pub enum #error_name {
            #(#variants)*
        }
    };
    let stream = pagination(cx, op, &method_name, &params, &ok_type, &error_name, builder.as_ref());
    (quote! { #method #stream }, quote! { #error #builder_def })
}

/// Operations with at least this many optional parameters take them through a builder.
const BUILDER_THRESHOLD: usize = 4;

/// The type with every reference given the lifetime `'a` (a builder's fields borrow).
fn with_lifetime(ty: &TokenStream) -> TokenStream {
    use syn::visit_mut::VisitMut;
    struct Lifetimes;
    impl VisitMut for Lifetimes {
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            r.lifetime = Some(syn::Lifetime::new("'a", proc_macro2::Span::call_site()));
            syn::visit_mut::visit_type_reference_mut(self, r);
        }
    }
    let mut parsed: syn::Type = syn::parse2(ty.clone()).expect("emitted types parse");
    Lifetimes.visit_type_mut(&mut parsed);
    quote!(#parsed)
}

/// `T` of `Option<T>`.
fn option_inner(ty: &TokenStream) -> TokenStream {
    if let Ok(syn::Type::Path(p)) = syn::parse2::<syn::Type>(ty.clone()) {
        if let Some(last) = p.path.segments.last() {
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                if last.ident == "Option" {
                    if let Some(arg) = args.args.first() {
                        return quote!(#arg);
                    }
                }
            }
        }
    }
    ty.clone()
}

fn param(cx: &Cx, p: &crate::ir::Parameter, name: String) -> Param {
    let model = cx.model;
    let id = ident(&name);
    let wire = &p.name;
    // How the value is taken: strings by reference, enums and numbers by value.
    enum Form {
        Str,
        Display(TokenStream),
        List(TokenStream),
    }
    let is_enum = matches!(model.resolve(p.schema), Resolved::Model(t) if matches!(t.shape, Shape::Enum { .. }));
    let form = match model.resolve(p.schema) {
        Resolved::Model(t) if matches!(t.shape, Shape::Enum { .. }) => Form::Display(cx.ty(p.schema)),
        Resolved::Model(_) => Form::Str,
        Resolved::Kind(kind) => match kind {
            Kind::Integer(_) | Kind::Number(_) | Kind::Boolean => Form::Display(cx.ty(p.schema)),
            Kind::Array(item) if p.location != ParamLocation::Path => Form::List(match model.resolve(*item) {
                Resolved::Kind(Kind::String(StringFormat::Plain)) => quote!(&str),
                Resolved::Kind(Kind::Integer(_) | Kind::Number(_) | Kind::Boolean) => cx.ty(*item),
                Resolved::Model(t) if matches!(t.shape, Shape::Enum { .. }) => cx.ty(*item),
                _ => quote!(&str),
            }),
            _ => Form::Str,
        },
    };
    let by_value = match &form {
        Form::Display(ty) => Some(ty.clone()),
        _ => None,
    };
    let is_list = matches!(form, Form::List(_));
    let (signature, send) = match (p.location, form) {
        (ParamLocation::Path, Form::Str) => (quote!(&str), quote!(.path_param(#wire, #id))),
        (ParamLocation::Path, Form::Display(ty)) if is_enum => (ty, quote!(.path_param(#wire, #id.as_str()))),
        (ParamLocation::Path, Form::Display(ty)) => (ty, quote!(.path_param(#wire, &#id.to_string()))),
        (ParamLocation::Path, Form::List(_)) => unreachable!("path parameters are never lists here"),
        (location, form) => {
            let method = if location == ParamLocation::Query { quote!(query) } else { quote!(header) };
            match form {
                Form::List(item) => {
                    let method =
                        if location == ParamLocation::Query { quote!(query_each) } else { quote!(header_each) };
                    if p.required {
                        (quote!(&[#item]), quote!(.#method(#wire, Some(#id))))
                    } else {
                        (quote!(Option<&[#item]>), quote!(.#method(#wire, #id)))
                    }
                }
                Form::Str | Form::Display(_) => {
                    let ty = match form {
                        Form::Display(ty) => ty,
                        _ => quote!(&str),
                    };
                    if p.required {
                        (ty, quote!(.#method(#wire, Some(#id))))
                    } else {
                        (quote!(Option<#ty>), quote!(.#method(#wire, #id)))
                    }
                }
            }
        }
    };
    Param {
        ident: id,
        wire: p.name.clone(),
        signature,
        send,
        doc: p.description.clone().unwrap_or_default(),
        required: p.required,
        by_value,
        is_list,
    }
}

/// For a GET that lists with SailPoint's `limit` and `offset`, a method that streams every
/// item, a page at a time.
fn pagination(
    cx: &Cx,
    op: &Operation,
    method_name: &str,
    params: &[Param],
    ok_type: &TokenStream,
    error_name: &proc_macro2::Ident,
    builder: Option<&proc_macro2::Ident>,
) -> Option<TokenStream> {
    let model = cx.model;
    if op.method != crate::ir::HttpMethod::Get || op.body.is_some() || params.iter().any(|p| p.is_list) {
        return None;
    }
    let integer = |wire: &str| {
        params.iter().find(|p| p.wire == wire && !p.required).and_then(|p| p.by_value.clone()).filter(|t| {
            let t = t.to_string();
            t == "i32" || t == "i64"
        })
    };
    let limit_ty = integer("limit")?;
    integer("offset")?;
    let item = op.responses.iter().filter(|r| (200..300).contains(&r.status)).find_map(|r| match r.body {
        ResponseBody::Json(s) => match (&model.ir.node(s).kind, model.type_of(s)) {
            (Kind::Array(item), None) => Some(cx.ty(*item)),
            _ => None,
        },
        _ => None,
    })?;
    // Only when every success is that list (not an `Option` of it, not mixed types).
    if ok_type.to_string() != quote!(Vec<#item>).to_string() {
        return None;
    }
    let narrow = |v: TokenStream| {
        if limit_ty.to_string() == "i32" {
            quote!(Some(i32::try_from(#v).unwrap_or(i32::MAX)))
        } else {
            quote!(Some(#v))
        }
    };
    let page_size = if limit_ty.to_string() == "i32" { quote!(i64::from(page_size)) } else { quote!(page_size) };
    let others: Vec<&Param> =
        params.iter().filter(|p| !["limit", "offset", "count"].contains(&p.wire.as_str())).collect();
    let signature = others.iter().map(|p| {
        let (i, s) = (&p.ident, &p.signature);
        quote!(#i: #s)
    });
    // Borrowed strings become owned, so that the stream borrows only the client.
    let owned = others.iter().filter(|p| p.by_value.is_none()).map(|p| {
        let i = &p.ident;
        if p.required {
            quote!(let #i = #i.to_owned();)
        } else {
            quote!(let #i = #i.map(str::to_owned);)
        }
    });
    let is_copy = |p: &Param| {
        p.by_value.as_ref().is_some_and(|t| ["i32", "i64", "f32", "f64", "bool"].contains(&t.to_string().as_str()))
    };
    let clones = others.iter().filter(|p| !is_copy(p)).map(|p| {
        let i = &p.ident;
        quote!(let #i = #i.clone();)
    });
    let deprecated = op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let too_many = (others.len() + 2 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let values: Vec<TokenStream> = params
        .iter()
        .map(|p| match p.wire.as_str() {
            "limit" => narrow(quote!(limit)),
            "offset" => narrow(quote!(offset)),
            "count" if !p.required => quote!(None),
            _ => {
                let i = &p.ident;
                match (&p.by_value, p.required) {
                    (Some(_), _) => quote!(#i),
                    (None, true) => quote!(&#i),
                    (None, false) => quote!(#i.as_deref()),
                }
            }
        })
        .collect();
    let method_ident = ident(method_name);
    let call = match builder {
        None => quote! { self.#method_ident(#(#values),*).await },
        Some(builder) => {
            let fields = params.iter().zip(&values).map(|(p, v)| {
                let i = &p.ident;
                if *i == v.to_string() {
                    quote!(#i)
                } else {
                    quote!(#i: #v)
                }
            });
            quote! { #builder { client: self, #(#fields),* }.send().await }
        }
    };
    let stream_ident = format_ident!("{}_stream", method_name);
    let doc = format!(
        " Every item that [`Client::{method_name}`] lists, fetched `page_size` at a time through `limit` \
         and `offset` until a page comes back short. An error ends the stream."
    );
    Some(quote! {
        #[doc = #doc]
        #deprecated
        #too_many
        pub fn #stream_ident(
            &self,
            page_size: #limit_ty,
            #(#signature),*
        ) -> impl crate::Stream<Item = Result<#item, Error<#error_name>>> + '_ {
            #(#owned)*
            crate::runtime::paginate(#page_size, move |limit, offset| {
                #(#clones)*
                async move { #call }
            })
        }
    })
}

fn method_doc(op: &Operation, params: &[Param], body_doc: Option<&str>) -> TokenStream {
    let mut text = String::new();
    for part in [&op.summary, &op.description].into_iter().flatten() {
        let part = part.trim();
        if !part.is_empty() && !text.contains(part) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(part);
        }
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}` (`{}`)", op.method.as_upper(), op.path, op.id));
    let mut args: Vec<String> = params
        .iter()
        .map(|p| match one_line(&p.doc) {
            d if d.is_empty() => format!("- `{}`", p.ident),
            d => format!("- `{}`: {d}", p.ident),
        })
        .collect();
    if let Some(d) = body_doc {
        args.push(format!("- `body`: {}", one_line(d)));
    }
    if !args.is_empty() {
        text.push_str("\n\n# Arguments\n\n");
        text.push_str(&args.join("\n"));
    }
    doc_attrs(Some(&text))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body parameter (signature, request-builder call, description).
fn request_body(cx: &Cx, b: &RequestBody) -> (TokenStream, TokenStream, Option<String>) {
    let model = cx.model;
    let content_type = &b.content_type;
    let (signature, send) = match b.encoding {
        BodyEncoding::Json | BodyEncoding::FormUrlEncoded => {
            let ty = match &model.ir.node(b.schema).kind {
                Kind::Array(item) if model.type_of(b.schema).is_none() => {
                    let item = cx.ty(*item);
                    quote!(&[#item])
                }
                _ => {
                    let t = cx.ty(b.schema);
                    quote!(&#t)
                }
            };
            match (b.encoding, b.required) {
                (BodyEncoding::Json, true) => (ty, quote!(.json_body(#content_type, body))),
                (BodyEncoding::Json, false) => (quote!(Option<#ty>), quote!(.json_body_opt(#content_type, body))),
                _ => (ty, quote!(.form_body(#content_type, body))),
            }
        }
        BodyEncoding::Multipart => match model.resolve(b.schema) {
            Resolved::Model(t) => match &t.shape {
                Shape::Struct { fields, .. } => {
                    let ty = cx.ty(b.schema);
                    let parts = fields.iter().zip(field_idents(fields)).map(|(f, field)| {
                        let wire = &f.name;
                        let field = ident(&field);
                        let (node, nullable) = super::unwrap_nullable(model, f.node);
                        let is_file = matches!(model.resolve(node), Resolved::Kind(Kind::String(StringFormat::Binary)));
                        match (is_file, f.required && !nullable) {
                            (true, true) => quote!(.file(#wire, &body.#field)),
                            (true, false) => quote!(.file_opt(#wire, body.#field.as_ref())),
                            (false, _) => quote!(.field(#wire, &body.#field)),
                        }
                    });
                    (quote!(&#ty), quote!(.multipart_body(Multipart::new() #(#parts)*)))
                }
                _ => (
                    quote!(&serde_json::Map<String, serde_json::Value>),
                    quote!(.multipart_body(Multipart::from_object(body))),
                ),
            },
            Resolved::Kind(_) => (
                quote!(&serde_json::Map<String, serde_json::Value>),
                quote!(.multipart_body(Multipart::from_object(body))),
            ),
        },
        BodyEncoding::Text => (quote!(&str), quote!(.raw_body(#content_type, body.as_bytes()))),
        BodyEncoding::Binary => (quote!(Vec<u8>), quote!(.raw_body(#content_type, body))),
    };
    (signature, send, b.description.clone())
}

/// The success type and the match arms of the 2xx statuses.
fn success(cx: &Cx, op: &Operation) -> (TokenStream, TokenStream) {
    let success: Vec<_> = op.responses.iter().filter(|r| (200..300).contains(&r.status)).collect();
    let codes = |pred: &dyn Fn(&ResponseBody) -> bool| -> Vec<proc_macro2::Literal> {
        success.iter().filter(|r| pred(&r.body)).map(|r| proc_macro2::Literal::u16_unsuffixed(r.status)).collect()
    };
    let json_types: std::collections::BTreeSet<String> = success
        .iter()
        .filter_map(|r| match r.body {
            ResponseBody::Json(s) => Some(cx.ty(s).to_string()),
            _ => None,
        })
        .collect();
    let has = |wanted: fn(&ResponseBody) -> bool| success.iter().any(|r| wanted(&r.body));
    let none = codes(&|b| *b == ResponseBody::None);
    let arm = |codes: Vec<proc_macro2::Literal>, expr: TokenStream| {
        if codes.is_empty() {
            TokenStream::new()
        } else {
            quote! { #(#codes)|* => #expr, }
        }
    };
    let text = has(|b| *b == ResponseBody::Text);
    let binary = has(|b| *b == ResponseBody::Binary);
    match (json_types.len(), text, binary) {
        (0, false, false) => (quote!(()), arm(none, quote!(Ok(())))),
        (1, false, false) => {
            let ty = success.iter().find_map(|r| match r.body {
                ResponseBody::Json(s) => Some(cx.ty(s)),
                _ => None,
            });
            let json = codes(&|b| matches!(b, ResponseBody::Json(_)));
            if none.is_empty() {
                (quote!(#ty), arm(json, quote!(response.json())))
            } else {
                let mut arms = arm(json, quote!(response.json().map(Some)));
                arms.extend(arm(none, quote!(Ok(None))));
                (quote!(Option<#ty>), arms)
            }
        }
        (0, true, false) => {
            let mut arms = arm(codes(&|b| *b == ResponseBody::Text), quote!(response.text()));
            arms.extend(arm(none, quote!(Ok(String::new()))));
            (quote!(String), arms)
        }
        (0, _, true) => {
            let mut arms = arm(codes(&|b| *b != ResponseBody::None), quote!(response.bytes()));
            arms.extend(arm(none, quote!(Ok(Vec::new()))));
            (quote!(Vec<u8>), arms)
        }
        _ => {
            // Several JSON types, or JSON beside text: the JSON value, which every case fits.
            let mut arms = arm(codes(&|b| matches!(b, ResponseBody::Json(_))), quote!(response.json()));
            arms.extend(arm(
                codes(&|b| matches!(b, ResponseBody::Text | ResponseBody::Binary)),
                quote!(response.text().map(serde_json::Value::String)),
            ));
            arms.extend(arm(none, quote!(Ok(serde_json::Value::Null))));
            (quote!(serde_json::Value), arms)
        }
    }
}

/// The client's documentation, with an example of making one with each kind of auth.
fn client_doc(api: &Api, crate_name: &str) -> Vec<String> {
    let krate = crate_name.replace('-', "_");
    let module = &api.module;
    let new_args: String = api
        .server
        .iter()
        .filter(|s| s.url.contains("://"))
        .flat_map(|s| &s.variables)
        .map(|v| format!("{:?}, ", v.default))
        .collect();
    let has_new = api.server.as_ref().is_some_and(|s| s.url.contains("://"));
    let mut lines = vec![
        format!("Client for {} {}.", api.title, api.version),
        String::new(),
        "```no_run".into(),
        "use std::time::Duration;".into(),
        format!("use {krate}::{{{module}, Auth, RetryPolicy}};"),
        String::new(),
    ];
    if has_new {
        lines.push("// A personal access token, against the spec's server.".into());
        lines.push(format!("let client = {module}::Client::new({new_args}Auth::bearer(\"token\"))?;"));
    }
    lines.extend([
        "// OAuth2 client credentials, another base URL, more retries and a shorter timeout.".to_string(),
        format!("let client = {module}::Client::with_base_url("),
        "    \"https://api.example.com\",".into(),
        "    Auth::client_credentials_at(\"https://api.example.com/oauth/token\", \"client id\", \"secret\"),".into(),
        ")?".into(),
        ".with_retry(RetryPolicy { max_attempts: 5, ..RetryPolicy::default() })".into(),
        ".with_timeout(Some(Duration::from_secs(20)));".into(),
        "# Ok::<(), Box<dyn std::error::Error>>(())".into(),
        "```".into(),
    ]);
    lines.into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") }).collect()
}
