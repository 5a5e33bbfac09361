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
    let lines = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

/// The values of the `#[doc]` attributes of [`doc_attrs`]: none for no text.
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
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

/// A string literal for `value`, spelled as the token printer spells it (escapes included).
pub fn string_literal(value: &str) -> String {
    proc_macro2::Literal::string(value).to_string()
}

/// `#[allow(clippy::too_many_arguments)]` for a function of `arguments` arguments (`self`
/// included), when clippy would object.
pub fn allow_many_arguments(arguments: usize) -> Option<&'static str> {
    (arguments > 7).then_some("#[allow(clippy::too_many_arguments)]")
}

/// A type (its tokens or its source) as text without spaces but between words, for
/// `api.json`.
pub fn type_text(ty: impl std::fmt::Display) -> String {
    let printed = ty.to_string();
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
pub fn type_tokens(model: &Model, ty: &RustType, models_path: &str) -> TokenStream {
    type_source(model, ty, models_path).parse().expect("a type's text is Rust")
}

/// The source text of `ty`, laid out as prettyplease prints a type, with model types behind
/// `models_path` (`models::`, or nothing in `models.rs`); the text of [`type_tokens`].
pub fn type_source(model: &Model, ty: &RustType, models_path: &str) -> String {
    let mut out = String::new();
    push_type(&mut out, model, ty, models_path);
    out
}

fn push_type(out: &mut String, model: &Model, ty: &RustType, models_path: &str) {
    let mut wrapped = |open: &str, inner: &RustType| {
        out.push_str(open);
        push_type(out, model, inner, models_path);
        out.push('>');
    };
    let leaf = match ty {
        RustType::Model(t) => {
            out.push_str(models_path);
            out.push_str(&model.type_def(*t).name);
            return;
        }
        RustType::Map(value) => return wrapped("std::collections::HashMap<String, ", value),
        RustType::Vec(item) => return wrapped("Vec<", item),
        RustType::Option(inner) => return wrapped("Option<", inner),
        RustType::DateTime => "chrono::DateTime<chrono::Utc>",
        RustType::Date => "chrono::NaiveDate",
        RustType::FilePart => "crate::FilePart",
        RustType::Uuid => "uuid::Uuid",
        RustType::Ipv4 => "std::net::Ipv4Addr",
        RustType::Ipv6 => "std::net::Ipv6Addr",
        RustType::IpAddr => "std::net::IpAddr",
        RustType::Base64 => "crate::Base64",
        RustType::String => "String",
        RustType::I8 => "i8",
        RustType::I16 => "i16",
        RustType::I32 => "i32",
        RustType::I64 => "i64",
        RustType::U8 => "u8",
        RustType::U16 => "u16",
        RustType::U32 => "u32",
        RustType::U64 => "u64",
        RustType::F32 => "f32",
        RustType::F64 => "f64",
        RustType::Bool => "bool",
        RustType::Unit => "()",
        RustType::JsonObject => "serde_json::Map<String, serde_json::Value>",
        RustType::Json => "serde_json::Value",
    };
    out.push_str(leaf);
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
