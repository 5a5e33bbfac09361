//! Printing helpers every emitter uses: identifiers, doc comments, and the tokens of a
//! [`RustType`]. A leaf: it imports no other emitter.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::normalize::{Model, RustType};

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The crate's name as Rust code spells it (`my-sdk` is `my_sdk`).
pub fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// `#[doc]` attributes for a description: one per line, so they print as `///` comments.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let l = l.trim_end().replace('\t', "    ");
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect()
}

/// `#[allow(clippy::too_many_arguments)]` for a function of `arguments` arguments (`self`
/// included), when clippy would object.
pub fn allow_many_arguments(arguments: usize) -> Option<TokenStream> {
    (arguments > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// A type's tokens as text, without the spaces the token printer puts everywhere (for
/// `api.json`).
pub fn type_text(tokens: TokenStream) -> String {
    let printed = tokens.to_string();
    let mut out = String::with_capacity(printed.len());
    for (i, c) in printed.char_indices() {
        if c != ' ' {
            out.push(c);
            continue;
        }
        // A space stays only between two words (`&'a str` would need one).
        let before = printed[..i].chars().last().is_some_and(|p| p.is_alphanumeric() || p == '_');
        let after = printed[i + 1..].chars().next().is_some_and(|n| n.is_alphanumeric() || n == '_');
        if before && after {
            out.push(' ');
        }
    }
    out
}

/// The tokens of `ty`, with model types behind `models_path` (`models::` in an API module,
/// nothing in `models.rs` itself).
pub fn type_tokens(model: &Model, ty: &RustType, models_path: &TokenStream) -> TokenStream {
    match ty {
        RustType::Model(t) => {
            let name = ident(&model.type_def(*t).name);
            quote!(#models_path #name)
        }
        RustType::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        RustType::Date => quote!(chrono::NaiveDate),
        RustType::FilePart => quote!(crate::FilePart),
        RustType::Uuid => quote!(uuid::Uuid),
        RustType::Ipv4 => quote!(std::net::Ipv4Addr),
        RustType::Ipv6 => quote!(std::net::Ipv6Addr),
        RustType::IpAddr => quote!(std::net::IpAddr),
        RustType::Base64 => quote!(crate::Base64),
        RustType::String => quote!(String),
        RustType::I8 => quote!(i8),
        RustType::I16 => quote!(i16),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::U8 => quote!(u8),
        RustType::U16 => quote!(u16),
        RustType::U32 => quote!(u32),
        RustType::U64 => quote!(u64),
        RustType::F32 => quote!(f32),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::Unit => quote!(()),
        RustType::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        RustType::Json => quote!(serde_json::Value),
        RustType::Map(value) => {
            let value = type_tokens(model, value, models_path);
            quote!(std::collections::HashMap<String, #value>)
        }
        RustType::Vec(item) => {
            let item = type_tokens(model, item, models_path);
            quote!(Vec<#item>)
        }
        RustType::Option(inner) => {
            let inner = type_tokens(model, inner, models_path);
            quote!(Option<#inner>)
        }
    }
}
