//! `Client::from_env`, when the user names a prefix (`--env-prefix SAIL`): the base URL and the
//! credentials of the spec's schemes from variables named after it, as vendors' own SDKs read
//! them (`SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`).

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::super::syntax::doc_attrs;
use crate::ir::{Api, SchemeKind};

/// One credential the environment may give, with its variables and what it is for.
pub enum Var {
    ClientCredentials { id: String, secret: String, token_url: String },
    Token { var: String, schemes: Vec<String> },
    Key { scheme: String, var: String },
    Basic { scheme: String, username: String, password: String },
}

/// The variable named `{prefix}_{name}`, in shouting snake case whatever the spec wrote.
pub fn var(prefix: &str, name: &str) -> String {
    let name = name.to_shouty_snake_case().replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_");
    format!("{prefix}_{name}")
}

/// The credentials of `api`'s schemes, as variables: client credentials for an OAuth2 scheme
/// with that flow; one token for every scheme that takes a token; `{P}_API_KEY` for the one
/// API key (`{P}_{SCHEME}` each when there are several), and the same for HTTP Basic.
pub fn credentials(api: &Api, prefix: &str) -> Vec<Var> {
    let mut vars = Vec::new();
    if api.schemes.iter().any(|s| matches!(s.kind, SchemeKind::OAuth2 { client_credentials: true })) {
        vars.push(Var::ClientCredentials {
            id: var(prefix, "client_id"),
            secret: var(prefix, "client_secret"),
            token_url: var(prefix, "token_url"),
        });
    }
    let token_schemes: Vec<String> = api
        .schemes
        .iter()
        .filter(|s| matches!(s.kind, SchemeKind::OAuth2 { .. } | SchemeKind::Http { .. }))
        .map(|s| s.name.clone())
        .collect();
    if !token_schemes.is_empty() {
        vars.push(Var::Token { var: var(prefix, "token"), schemes: token_schemes });
    }
    let keys: Vec<&str> =
        api.schemes.iter().filter(|s| matches!(s.kind, SchemeKind::ApiKey { .. })).map(|s| s.name.as_str()).collect();
    // The names already read: the base URL, the server's variables, client credentials, a token.
    let mut taken: Vec<String> = vec![var(prefix, "base_url")];
    taken.extend(api.server.iter().flat_map(|s| &s.variables).map(|v| var(prefix, &v.name)));
    for v in &vars {
        match v {
            Var::ClientCredentials { id, secret, token_url } => taken.extend([id, secret, token_url].map(Clone::clone)),
            Var::Token { var, .. } => taken.push(var.clone()),
            _ => {}
        }
    }
    for scheme in &keys {
        let mut name = if keys.len() == 1 { var(prefix, "api_key") } else { var(prefix, scheme) };
        if taken.contains(&name) {
            name = format!("{name}_API_KEY");
        }
        taken.push(name.clone());
        vars.push(Var::Key { scheme: scheme.to_string(), var: name });
    }
    let basics: Vec<&str> =
        api.schemes.iter().filter(|s| s.kind == SchemeKind::Basic).map(|s| s.name.as_str()).collect();
    for scheme in &basics {
        let stem = if basics.len() == 1 { prefix.to_string() } else { var(prefix, scheme) };
        vars.push(Var::Basic {
            scheme: scheme.to_string(),
            username: format!("{stem}_USERNAME"),
            password: format!("{stem}_PASSWORD"),
        });
    }
    vars
}

/// `Client::from_env`, documented with every variable it reads.
pub fn from_env(api: &Api, prefix: &str) -> TokenStream {
    let base_var = var(prefix, "base_url");
    let server = api.server.as_ref().filter(|s| s.is_absolute());
    let mut doc = String::from("A client configured from environment variables:\n\n");
    let (server_arg, fallback) = match server {
        Some(server) if server.variables.is_empty() => {
            doc.push_str(&format!("- `{base_var}`: the base URL, else the spec's server (`{}`).", server.url));
            (quote!(Some(SERVER_URL)), quote!(SERVER_URL.to_string()))
        }
        Some(server) => {
            let names: Vec<String> = server.variables.iter().map(|v| var(prefix, &v.name)).collect();
            let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            doc.push_str(&format!(
                "- `{base_var}`: the base URL, else the spec's server (`{}`) with {} for its variables.",
                server.url,
                listed.join(", ")
            ));
            let values = names.iter().map(|n| quote!(&env.require(#n, #base_var)?));
            (quote!(Some(SERVER_URL)), quote!(server_url(#(#values),*)?))
        }
        None => {
            doc.push_str(&format!("- `{base_var}`: the base URL."));
            let missing = format!("{base_var} (the spec names no absolute server URL)");
            (quote!(None), quote!(return Err(ConfigError::Environment { missing: #missing.into() })))
        }
    };
    if server.is_some() {
        doc.push_str(" One with no path gets the path of the spec's server, so that one variable serves each API of the crate.\n");
    } else {
        doc.push('\n');
    }
    let vars = credentials(api, prefix);
    let entries = vars.iter().map(|v| match v {
        Var::ClientCredentials { id, secret, token_url } => {
            doc.push_str(&format!(
                "- `{id}` and `{secret}`: OAuth2 client credentials, fetched from the spec's token URL (or `{token_url}` when set); they win over a token.\n"
            ));
            quote!(crate::runtime::EnvCredential::ClientCredentials { id: #id, secret: #secret, token_url: #token_url })
        }
        Var::Token { var, schemes } => {
            let schemes: Vec<String> = schemes.iter().map(|s| format!("`{s}`")).collect();
            doc.push_str(&format!("- `{var}`: a token for {}.\n", in_words(&schemes)));
            quote!(crate::runtime::EnvCredential::Token { var: #var })
        }
        Var::Key { scheme, var } => {
            doc.push_str(&format!("- `{var}`: the API key of `{scheme}`.\n"));
            quote!(crate::runtime::EnvCredential::Key { scheme: #scheme, var: #var })
        }
        Var::Basic { scheme, username, password } => {
            doc.push_str(&format!("- `{username}` and `{password}`: HTTP Basic for `{scheme}`.\n"));
            quote!(crate::runtime::EnvCredential::Basic { scheme: #scheme, username: #username, password: #password })
        }
    });
    let entries: Vec<TokenStream> = entries.collect();
    let required = !api.operations.is_empty()
        && !vars.is_empty()
        && api.operations.iter().all(|op| !op.security.is_empty() && op.security.iter().all(|r| !r.is_empty()));
    doc.push_str(
        "\nFails with [`ConfigError::Environment`] naming what is missing: the base URL, part of a\n\
         credential",
    );
    doc.push_str(if required { ", or every credential (each operation needs one)." } else { "." });
    let doc = doc_attrs(Some(&doc));
    quote! {
        #doc
        pub fn from_env() -> Result<Self, ConfigError> {
            let env = crate::runtime::process_env();
            let base_url = match env.base_url(#base_var, #server_arg)? {
                Some(url) => url,
                None => #fallback,
            };
            Self::with_base_url(base_url, env.auth(&[#(#entries),*], #required)?)
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn in_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
