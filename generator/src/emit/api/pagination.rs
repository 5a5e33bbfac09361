//! The stream of an operation that lists page by page (see `normalize::Pagination`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::super::syntax::{ident, type_tokens};
use super::params::Param;
use crate::ir::Operation;
use crate::normalize::{Model, Pagination, RustType};

/// `{method}_stream(page_size, ...)`: every item the operation lists, fetched a page at a time
/// through `limit` and `offset`.
pub fn stream(
    model: &Model,
    op: &Operation,
    pagination: &Pagination,
    method_name: &str,
    params: &[Param],
    error_name: &Ident,
    builder: Option<&Ident>,
) -> TokenStream {
    let item = type_tokens(model, &pagination.item, &quote!(models::));
    let limit_ty = type_tokens(model, &pagination.limit, &quote!(models::));
    // The runtime counts in i64; a parameter declared int32 gets the value narrowed (a page
    // size and an offset never come near i32::MAX in practice, and saturate if they do).
    let narrow = |v: TokenStream, ty: &RustType| {
        if *ty == RustType::I32 {
            quote!(Some(i32::try_from(#v).unwrap_or(i32::MAX)))
        } else {
            quote!(Some(#v))
        }
    };
    let page_size =
        if pagination.limit == RustType::I32 { quote!(i64::from(page_size)) } else { quote!(page_size) };
    let others: Vec<&Param> =
        params.iter().filter(|p| !["limit", "offset", "count"].contains(&p.wire.as_str())).collect();
    let signature = others.iter().map(|p| {
        let (i, t) = (&p.ident, p.arg.tokens(model, None));
        quote!(#i: #t)
    });
    // Borrowed strings become owned, so that the stream borrows only the client.
    let owned = others.iter().filter(|p| !p.by_value()).map(|p| {
        let i = &p.ident;
        if p.required {
            quote!(let #i = #i.to_owned();)
        } else {
            quote!(let #i = #i.map(str::to_owned);)
        }
    });
    let clones = others.iter().filter(|p| !p.is_copy()).map(|p| {
        let i = &p.ident;
        quote!(let #i = #i.clone();)
    });
    let deprecated = op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let too_many = (others.len() + 2 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // Each parameter's value in the call, and whether it is the parameter itself (a builder's
    // field is then written in shorthand).
    let values: Vec<(TokenStream, bool)> = params
        .iter()
        .map(|p| match p.wire.as_str() {
            "limit" => (narrow(quote!(limit), &pagination.limit), false),
            "offset" => (narrow(quote!(offset), &pagination.offset), false),
            "count" if !p.required => (quote!(None), false),
            _ => {
                let i = &p.ident;
                match (p.by_value(), p.required) {
                    (true, _) => (quote!(#i), true),
                    (false, true) => (quote!(&#i), false),
                    (false, false) => (quote!(#i.as_deref()), false),
                }
            }
        })
        .collect();
    let method_ident = ident(method_name);
    let call = match builder {
        None => {
            let values = values.iter().map(|(v, _)| v);
            quote! { self.#method_ident(#(#values),*).await }
        }
        Some(builder) => {
            let fields = params.iter().zip(&values).map(|(p, (v, itself))| {
                let i = &p.ident;
                if *itself {
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
    quote! {
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
    }
}
