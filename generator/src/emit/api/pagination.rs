//! The stream of an operation that lists page by page (see `normalize::Pagination`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::Lifetime;

use super::super::syntax::{allow_many_arguments, field_idents, ident, type_tokens};
use super::headers::header_idents;
use super::params::Param;
use crate::ir::Operation;
use crate::normalize::{Model, OperationPlan, PageField, PageStyle, Pagination, RustType, Shape};

/// Names a stream binds beside the parameters (`limit` and `offset` of the offset style are
/// the closure's own, and stand for the parameters of those names).
pub const STREAM_NAMES: [&str; 7] =
    ["page_size", "page_cursor", "page_body", "page_items", "page_next", "page_has_more", "page_total"];

/// `{method}_stream(...)`: every item the operation lists, a page at a time, fetched only as
/// the consumer asks for them.
#[allow(clippy::too_many_arguments)]
pub fn stream(
    model: &Model,
    op: &Operation,
    plan: &OperationPlan,
    pagination: &Pagination,
    method_name: &str,
    params: &[Param],
    error_name: &Ident,
    builder: Option<&Ident>,
) -> TokenStream {
    let header_idents = header_idents(&plan.headers);
    let a = Lifetime::new("'a", proc_macro2::Span::call_site());
    let item = type_tokens(model, &pagination.item, &quote!(models::));
    // The parameters the stream sets itself, and what it sends for each of them.
    let managed: Vec<(&str, TokenStream)> = match &pagination.style {
        PageStyle::Offset { limit, offset, ask_count, .. } => {
            let mut managed =
                vec![("limit", narrow(model, quote!(limit), limit)), ("offset", narrow(model, quote!(offset), offset))];
            if params.iter().any(|p| p.wire == "count" && !p.required) {
                managed.push(("count", if *ask_count { quote!((offset == 0).then_some(true)) } else { quote!(None) }));
            }
            managed
        }
        PageStyle::Link { .. } => Vec::new(),
        PageStyle::Token { param, .. } | PageStyle::AfterLast { param, .. } => {
            vec![(param.as_str(), quote!(page_cursor.as_deref()))]
        }
    };
    let managed_value = |wire: &str| managed.iter().find(|(w, _)| *w == wire).map(|(_, v)| v.clone());
    let others: Vec<&Param> = params.iter().filter(|p| managed_value(&p.wire).is_none()).collect();
    let page_size = match &pagination.style {
        PageStyle::Offset { limit, .. } => Some(type_tokens(model, limit, &quote!())),
        _ => None,
    };
    let signature: Vec<TokenStream> = page_size.iter().map(|t| quote!(page_size: #t)).chain(others.iter().map(|p| {
        let (i, t) = (&p.ident, p.arg.tokens(model, Some(&a)));
        quote!(#i: #t)
    })).collect();
    let only_first = |p: &Param| match &pagination.style {
        PageStyle::Token { first_page_only, .. } => first_page_only.contains(&p.wire),
        _ => false,
    };
    // Each parameter's value in the call, and whether it is the parameter itself (a builder's
    // field is then written in shorthand).
    let values: Vec<(TokenStream, bool)> = params
        .iter()
        .map(|p| {
            if let Some(v) = managed_value(&p.wire) {
                return (v, false);
            }
            let i = &p.ident;
            if only_first(p) {
                (quote!(if page_cursor.is_none() { #i } else { None }), false)
            } else {
                (quote!(#i), true)
            }
        })
        .collect();
    let method_ident = ident(method_name);
    // The total and the next link come with the headers.
    let with_headers = matches!(pagination.style, PageStyle::Offset { total: Some(_), .. });
    let link = matches!(pagination.style, PageStyle::Link { .. });
    let call = match builder {
        _ if link => {
            let at = format_ident!("{}_at", method_name);
            let values = values.iter().map(|(v, _)| v);
            quote! { self.#at(page_cursor.as_deref(), #(#values),*).await? }
        }
        None => {
            let method = if with_headers { format_ident!("{}_with_headers", method_name) } else { method_ident.clone() };
            let values = values.iter().map(|(v, _)| v);
            quote! { self.#method(#(#values),*).await? }
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
            let send = if with_headers { quote!(send_with_headers) } else { quote!(send) };
            quote! { #builder { client: self, #(#fields),* }.#send().await? }
        }
    };
    // References are `Copy`; an enum taken by value may not be, and each page gets its own.
    let clones: Vec<TokenStream> = others
        .iter()
        .filter(|p| p.by_value() && !p.is_copy())
        .map(|p| {
            let i = &p.ident;
            quote!(let #i = #i.clone();)
        })
        .collect();
    // The closure's body: the clones, then the page's future.
    let page = |fetch_page: TokenStream| {
        if clones.is_empty() {
            quote!(async move { #fetch_page })
        } else {
            quote!({ #(#clones)* async move { #fetch_page } })
        }
    };
    let (start, fetch, how) = match &pagination.style {
        PageStyle::Offset { limit, total, .. } => {
            let page_size_i64 = match limit {
                RustType::I64 => quote!(page_size),
                RustType::I8 | RustType::I16 | RustType::I32 | RustType::U8 | RustType::U16 | RustType::U32 => {
                    quote!(i64::from(page_size))
                }
                _ => quote!(i64::try_from(page_size).unwrap_or(i64::MAX)),
            };
            (
                quote!(let page_size = #page_size_i64.max(1);),
                match total {
                    None => {
                        let page = page(quote! {
                            let limit = page_size;
                            let page_items = #call;
                            let page_next = crate::runtime::next_offset(page_size, offset, page_items.len(), None);
                            Ok(crate::runtime::Page { items: page_items, next: page_next })
                        });
                        quote!(crate::runtime::paginate(0i64, move |offset: i64| #page))
                    }
                    Some(total) => {
                        let total = &header_idents[*total];
                        let page = page(quote! {
                            let limit = page_size;
                            let page_body = #call;
                            let page_total = page_total.or(page_body.headers.#total);
                            let page_items = page_body.value;
                            let page_next = crate::runtime::next_offset(page_size, offset, page_items.len(), page_total)
                                .map(|next| (next, page_total));
                            Ok(crate::runtime::Page { items: page_items, next: page_next })
                        });
                        quote!(crate::runtime::paginate((0i64, None), move |(offset, page_total): (i64, Option<i64>)| #page))
                    }
                },
                match total {
                    None => "`page_size` at a time through `limit` and `offset` until a page comes back short".to_string(),
                    Some(_) => "`page_size` at a time through `limit` and `offset` until the total the first \
                                page gives in `X-Total-Count` (or, without it, until a page comes back short)"
                        .to_string(),
                },
            )
        }
        PageStyle::Link { header } => {
            let link = &header_idents[*header];
            (
                TokenStream::new(),
                {
                    let page = page(quote! {
                        let page_body = #call;
                        let page_next = crate::runtime::link_next(page_body.headers.#link.as_deref()).map(Some);
                        Ok(crate::runtime::Page { items: page_body.value, next: page_next })
                    });
                    quote!(crate::runtime::paginate(None, move |page_cursor: Option<String>| #page))
                },
                "a page at a time: each page's `Link` header names the next (`rel=\"next\"`), which is \
                 followed only while it stays on the client's origin (an error otherwise)"
                    .to_string(),
            )
        }
        PageStyle::Token { param, next, items, first_page_only } => {
            let (items, items_field) = items_access(model, items);
            let (next_value, next_field) = field_access(model, next);
            let next_value = if next.optional { next_value } else { quote!(Some(#next_value)) };
            (
                TokenStream::new(),
                {
                    let page = page(quote! {
                        let page_body = #call;
                        let page_next = crate::runtime::next_token(#next_value);
                        Ok(crate::runtime::Page { items: #items, next: page_next })
                    });
                    quote!(crate::runtime::paginate(None, move |page_cursor: Option<String>| #page))
                },
                format!(
                    "a page at a time: each page's `{next_field}` is sent as `{param}` for the next, until \
                     there is none (the items are each page's `{items_field}`){}",
                    if !first_page_only.is_empty() {
                        "; later pages send only the token, `limit` and the required parameters, since the \
                         token stands for the rest of the query"
                    } else {
                        ""
                    }
                ),
            )
        }
        PageStyle::AfterLast { param, has_more, items, id } => {
            let (items, items_field) = items_access(model, items);
            let (has_more_value, has_more_field) = field_access(model, has_more);
            let has_more_value =
                if has_more.optional { quote!(#has_more_value.unwrap_or(false)) } else { has_more_value };
            let id_ident = ident(&field_idents(struct_fields(model, id))[id.index]);
            let last_id = if id.optional {
                quote!(page_items.last().and_then(|last| last.#id_ident.clone()))
            } else {
                quote!(page_items.last().map(|last| last.#id_ident.clone()))
            };
            (
                TokenStream::new(),
                {
                    let page = page(quote! {
                        let page_body = #call;
                        let page_has_more = #has_more_value;
                        let page_items = #items;
                        let page_next = if page_has_more { #last_id.map(Some) } else { None };
                        Ok(crate::runtime::Page { items: page_items, next: page_next })
                    });
                    quote!(crate::runtime::paginate(None, move |page_cursor: Option<String>| #page))
                },
                format!(
                    "a page at a time: while a page says `{has_more_field}`, the `id` of its last item is sent \
                     as `{param}` for the next (the items are each page's `{items_field}`)"
                ),
            )
        }
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let too_many = allow_many_arguments(1 + usize::from(page_size.is_some()) + others.len());
    let stream_ident = format_ident!("{}_stream", method_name);
    let doc = format!(
        " Every item that [`Client::{method_name}`] lists, fetched {how}. Pages are fetched as the stream is \
         read; an error ends it."
    );
    quote! {
        #[doc = #doc]
        #deprecated
        #too_many
        pub fn #stream_ident<'a>(
            &'a self,
            #(#signature),*
        ) -> impl crate::Stream<Item = Result<#item, Error<#error_name>>> + 'a {
            #start
            #fetch
        }
    }
}

/// `Some(value)` as the parameter's type: the runtime counts in `i64`, and a narrower
/// parameter gets the value narrowed (a page size and an offset never come near its limit in
/// practice, and saturate if they do).
fn narrow(model: &Model, v: TokenStream, ty: &RustType) -> TokenStream {
    if *ty == RustType::I64 {
        quote!(Some(#v))
    } else {
        let ty = type_tokens(model, ty, &quote!());
        quote!(Some(#ty::try_from(#v).unwrap_or(#ty::MAX)))
    }
}

fn struct_fields<'m>(model: &'m Model, field: &PageField) -> &'m [crate::normalize::FieldDef] {
    match &model.type_def(field.owner).shape {
        Shape::Struct { fields, .. } => fields,
        _ => unreachable!("normalize reads page fields of structs only"),
    }
}

/// `page_body.field`, and the field's name on the wire.
fn field_access(model: &Model, field: &PageField) -> (TokenStream, String) {
    let fields = struct_fields(model, field);
    let f = ident(&field_idents(fields)[field.index]);
    (quote!(page_body.#f), fields[field.index].name.clone())
}

/// The items of a page: an absent list is an empty one.
fn items_access(model: &Model, field: &PageField) -> (TokenStream, String) {
    let (access, name) = field_access(model, field);
    (if field.optional { quote!(#access.unwrap_or_default()) } else { access }, name)
}
