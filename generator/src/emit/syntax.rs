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

/// The crate as a `use` path in code that also imports its module `module`: `::name` when
/// the two are spelled alike, since the imported module would make `name::` ambiguous.
pub fn crate_path(crate_name: &str, module: &str) -> String {
    let krate = crate_ident(crate_name);
    if krate == module {
        format!("::{krate}")
    } else {
        krate
    }
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

/// `#[cfg(feature = ..)]` compiling an item when any of `features` is on; nothing for an item
/// always compiled (`None`).
pub fn cfg_attr(features: Option<&[String]>) -> TokenStream {
    match features {
        None => TokenStream::new(),
        Some([one]) => quote!(#[cfg(feature = #one)]),
        Some(many) => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `items` with `cfg` before each: the items as the emitters print them, each ending at a
/// `;` or a `{ ... }` block (followed by `;` for a `const` or `static` built with braces).
pub fn gate(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, TokenTree};
    if cfg.is_empty() {
        return items;
    }
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        item.push(token);
        if ends {
            out.extend(cfg.clone());
            out.extend(item.drain(..));
        }
    }
    out.extend(item);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_gated() {
        let cfg = cfg_attr(Some(&["a".to_string(), "b".to_string()]));
        let items = quote! {
            #[doc = "x"] pub struct A { f: u8 }
            pub struct B(u8);
            impl A { fn f() {} }
            const C: A = A { f: 1 };
            pub enum E { X }
        };
        let text = gate(&cfg, items).to_string();
        assert_eq!(text.matches("# [cfg (any (feature = \"a\" , feature = \"b\"))]").count(), 5, "{text}");
        assert!(
            gate(
                &TokenStream::new(),
                quote!(
                    struct A;
                )
            )
            .to_string()
                == "struct A ;"
        );
    }
}
