//! An API module's security schemes: `SCHEMES`, which the runtime reads to place each
//! credential, and `Credentials`, one setter per scheme, named after it and documented with
//! its description and where its credential goes.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::syntax::{doc_attrs, ident};
use crate::ir::{Api, KeyLocation, SchemeKind, SecurityScheme};
use crate::naming::{self, Uniquer};

/// `SCHEMES` and `Credentials`, or nothing when the spec has no security schemes.
pub fn items(api: &Api, crate_name: &str) -> TokenStream {
    let schemes = api.schemes.iter().map(scheme_const);
    let scheme_list = quote! {
        /// The security schemes of the spec, as the runtime places their credentials.
        const SCHEMES: &[crate::runtime::Scheme] = &[#(#schemes),*];
    };
    if api.schemes.is_empty() {
        return scheme_list;
    }
    let methods = setter_names(api);
    let setters = methods.iter().map(|(method, s)| setter(s, method));
    let example = example(api, crate_name, &methods);
    let doc = format!(
        "Credentials for the security schemes of this API: one setter per scheme. Each call sends\n\
         those of the first of its operation's security requirements that are all set here, and\n\
         fails before sending, naming the schemes it needs, when none are.\n\n{example}"
    );
    let doc = doc_attrs(Some(&doc));
    quote! {
        #scheme_list

        #doc
        #[derive(Clone, Debug, Default)]
        pub struct Credentials {
            auth: Auth,
        }

        impl Credentials {
            /// No credentials yet.
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*
        }

        impl From<Credentials> for Auth {
            fn from(credentials: Credentials) -> Self {
                credentials.auth
            }
        }
    }
}

/// Each scheme's setter: its name in snake case, never that of one of `Credentials`' own
/// methods nor another setter's.
pub fn setter_names(api: &Api) -> Vec<(String, &SecurityScheme)> {
    let mut names = Uniquer::with_taken(["new", "default", "clone", "from", "into", "fmt", "auth"]);
    api.schemes.iter().map(|s| (names.claim(naming::snake(&s.name)), s)).collect()
}

/// The setter calls of the first requirement the spec names (else of its first scheme), with
/// placeholder values: `.client_id("key").secret("key")`.
pub fn first_calls(api: &Api) -> String {
    calls(api, &setter_names(api))
}

fn calls(api: &Api, methods: &[(String, &SecurityScheme)]) -> String {
    let first: Vec<&str> = api
        .operations
        .iter()
        .find_map(|op| op.security.first())
        .map(|r| r.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let chosen: Vec<&(String, &SecurityScheme)> = match first.is_empty() {
        true => methods.iter().take(1).collect(),
        false => methods.iter().filter(|(_, s)| first.contains(&s.name.as_str())).collect(),
    };
    chosen
        .iter()
        .map(|(method, s)| match s.kind {
            SchemeKind::Basic => format!(".{method}(\"username\", \"password\")"),
            SchemeKind::ApiKey { .. } => format!(".{method}(\"key\")"),
            _ => format!(".{method}(\"token\")"),
        })
        .collect()
}

fn scheme_const(s: &SecurityScheme) -> TokenStream {
    let name = &s.name;
    let kind = match &s.kind {
        SchemeKind::ApiKey { location, name } => {
            let place = ident(match location {
                KeyLocation::Header => "Header",
                KeyLocation::Query => "Query",
                KeyLocation::Cookie => "Cookie",
            });
            quote!(crate::runtime::SchemeKind::ApiKey { place: crate::runtime::KeyPlace::#place, name: #name })
        }
        SchemeKind::Basic => quote!(crate::runtime::SchemeKind::Basic),
        SchemeKind::Http { word } => quote!(crate::runtime::SchemeKind::Http { scheme: #word }),
        SchemeKind::OAuth2 { .. } => quote!(crate::runtime::SchemeKind::OAuth2),
    };
    quote!(crate::runtime::Scheme { name: #name, kind: #kind })
}

/// Where a scheme's credential goes, in words.
/// Where a scheme's credential goes, in words.
pub fn placement(s: &SecurityScheme) -> String {
    match &s.kind {
        SchemeKind::ApiKey { location: KeyLocation::Header, name } => format!("the `{name}` header"),
        SchemeKind::ApiKey { location: KeyLocation::Query, name } => {
            format!("the `{name}` query parameter (never shown in errors or logs)")
        }
        SchemeKind::ApiKey { location: KeyLocation::Cookie, name } => format!("the `{name}` cookie"),
        SchemeKind::Basic => "`Authorization: Basic ...` (HTTP Basic)".into(),
        SchemeKind::Http { word } => format!("`Authorization: {word} <token>`"),
        SchemeKind::OAuth2 { .. } => "`Authorization: Bearer <access token>`".into(),
    }
}

fn setter(s: &SecurityScheme, method: &str) -> TokenStream {
    let name = &s.name;
    let method = ident(method);
    let mut doc = format!("`{name}`: sent as {}.", placement(s));
    if let Some(d) = s.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    let (params, body) = match &s.kind {
        SchemeKind::ApiKey { .. } => {
            (quote!(key: impl Into<crate::Secret>), quote!(self.auth = self.auth.api_key_for(#name, key);))
        }
        SchemeKind::Basic => (
            quote!(username: impl Into<String>, password: impl Into<crate::Secret>),
            quote!(self.auth = self.auth.basic_for(#name, username, password);),
        ),
        SchemeKind::Http { .. } | SchemeKind::OAuth2 { .. } => {
            let more = match &s.kind {
                SchemeKind::OAuth2 { client_credentials: true } => {
                    "\n\nA token you hold, a [`Token::refreshing`](crate::Token::refreshing) one, or\n\
                     [`Token::client_credentials`](crate::Token::client_credentials) for the spec's client-credentials flow."
                }
                _ => "\n\nA token you hold, or a [`Token::refreshing`](crate::Token::refreshing) one.",
            };
            doc.push_str(more);
            (quote!(token: impl Into<crate::Token>), quote!(self.auth = self.auth.token_for(#name, token);))
        }
    };
    let doc = doc_attrs(Some(&doc));
    quote! {
        #doc
        pub fn #method(mut self, #params) -> Self {
            #body
            self
        }
    }
}

/// A doc example: a client made with the credentials of the first requirement the spec names.
fn example(api: &Api, crate_name: &str, methods: &[(String, &SecurityScheme)]) -> String {
    let calls = calls(api, methods);
    let krate = crate_name.replace('-', "_");
    let module = &api.module;
    let client = match api.server.as_ref().filter(|s| s.is_absolute()) {
        Some(server) => {
            let args: String = server.variables.iter().map(|v| format!("{:?}, ", v.default)).collect();
            format!("{module}::Client::new({args}credentials)?")
        }
        None => format!("{module}::Client::with_base_url(\"https://api.example.com\", credentials)?"),
    };
    format!(
        "```no_run\nuse {krate}::{module};\nlet credentials = {module}::Credentials::new(){calls};\n\
         let client = {client};\n# Ok::<(), Box<dyn std::error::Error>>(())\n```"
    )
}
