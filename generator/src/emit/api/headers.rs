//! The documented headers of an operation's successful responses: a struct of them, typed,
//! read from a response by a call's `send_with_headers`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::syntax::{doc_attrs, ident};
use crate::ir::HeaderKind;
use crate::normalize::DocumentedHeader;

/// `pub struct {name}` with one `Option` per header, and the function that reads them; `doc`
/// says whose headers they are.
pub fn headers_struct(headers: &[DocumentedHeader], name: &Ident, doc: &str) -> TokenStream {
    let idents: Vec<Ident> = headers.iter().map(|h| ident(&h.ident)).collect();
    let fields = headers.iter().zip(&idents).map(|(h, f)| {
        let ty = match (h.secret, h.kind) {
            (true, _) => quote!(crate::Secret),
            (false, HeaderKind::Integer) => quote!(i64),
            (false, HeaderKind::Number) => quote!(f64),
            (false, HeaderKind::Boolean) => quote!(bool),
            (false, HeaderKind::Text) => quote!(String),
        };
        let text = match &h.description {
            Some(d) if !d.trim().is_empty() => format!("`{}`: {}", h.name, d.trim()),
            _ => format!("`{}`", h.name),
        };
        let doc = doc_attrs(Some(&text));
        quote! { #doc pub #f: Option<#ty>, }
    });
    let reads = headers.iter().zip(&idents).map(|(h, f)| {
        let wire = h.name.to_ascii_lowercase();
        if h.secret {
            quote!(#f: crate::runtime::header_value::<String>(headers, #wire).map(crate::Secret::new),)
        } else {
            quote!(#f: crate::runtime::header_value(headers, #wire),)
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// The documented headers found in `headers`.
            pub fn read(headers: &reqwest::header::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}
