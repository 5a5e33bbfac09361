//! The stream of an operation that lists page by page (see `normalize::Pagination`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::syntax::{ident, type_tokens};
use super::params::Param;
use crate::ir::Operation;
use crate::normalize::{
    Model, OffsetEnvelope, OffsetIn, OperationPlan, PageField, PageStyle, Pagination, RustType, Shape,
};

/// `stream(...)` of a call: every item the operation lists, a page at a time, fetched only as
/// the consumer asks for them. Each page is a copy of the call with the paging parameters set.
pub fn stream(
    model: &Model,
    op: &Operation,
    plan: &OperationPlan,
    pagination: &Pagination,
    method_name: &str,
    params: &[Param],
    error_name: &Ident,
) -> TokenStream {
    let item = type_tokens(model, &pagination.item, "models::");
    let (sets, owned) = page_sets(model, &pagination.style, params);
    // The total and the next link come with the headers.
    let with_headers = matches!(pagination.style, PageStyle::Offset { total: Some(_), .. });
    let call = if matches!(pagination.style, PageStyle::Link { .. }) {
        quote!(page_call.send_at(page_cursor.as_deref()).await?)
    } else if with_headers {
        quote!(page_call.send_with_headers().await?)
    } else {
        quote!(page_call.send().await?)
    };
    let header_idents = plan.headers.iter().map(|h| ident(&h.ident)).collect();
    let pages = Pages { model, header_idents, call, sets, owned };
    let (signature, start, fetch, how) = match &pagination.style {
        PageStyle::Offset { limit, total, envelope, at, .. } => {
            let page_size = type_tokens(model, limit, "");
            let (start, fetch, how) = pages.by_offset(limit, *total, envelope.as_ref(), at);
            (Some(quote!(page_size: #page_size)), start, fetch, how)
        }
        PageStyle::Link { header } => (None, TokenStream::new(), pages.by_link(*header), LINK_HOW.to_string()),
        PageStyle::Token { param, next, items, first_page_only } => {
            let (fetch, how) = pages.by_token(param, next, items, first_page_only);
            (None, TokenStream::new(), fetch, how)
        }
        PageStyle::AfterLast { param, has_more, items, id } => {
            let (fetch, how) = pages.after_last(param, has_more, items, id);
            (None, TokenStream::new(), fetch, how)
        }
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let doc = format!(
        " Every item that [`Client::{method_name}`] lists, fetched {how}. Pages are fetched as the stream is \
         read; an error ends it."
    );
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn stream(self, #signature) -> impl crate::Stream<Item = Result<#item, Error<#error_name>>> + 'a {
            #start
            #fetch
        }
    }
}

const LINK_HOW: &str = "a page at a time: each page's `Link` header names the next (`rel=\"next\"`), which is \
                        followed only while it stays on the client's origin (an error otherwise)";

/// What each page sets on its copy of the call (`sets`), after making what the call borrows
/// (`owned`: a body with the paging fields set).
fn page_sets(model: &Model, style: &PageStyle, params: &[Param]) -> (Vec<TokenStream>, TokenStream) {
    let field = |wire: &str| params.iter().find(|p| p.wire == wire).map(|p| p.ident.clone());
    let mut sets: Vec<TokenStream> = Vec::new();
    let mut owned = TokenStream::new();
    match style {
        PageStyle::Offset { limit, offset, at: OffsetIn::Query, ask_count, .. } => {
            for (wire, value) in
                [("limit", narrow(model, quote!(page_size), limit)), ("offset", narrow(model, quote!(offset), offset))]
            {
                let i = field(wire).expect("normalize finds offset paging by its parameters");
                sets.push(quote!(page_call.#i = #value;));
            }
            if let Some(count) = params.iter().find(|p| p.wire == "count" && !p.required) {
                let i = &count.ident;
                let value = if *ask_count { quote!((offset == 0).then_some(true)) } else { quote!(None) };
                sets.push(quote!(page_call.#i = #value;));
            }
        }
        PageStyle::Offset {
            limit,
            offset,
            at: OffsetIn::Body { limit: limit_field, offset: offset_field, optional_body },
            ..
        } => {
            // A copy of the caller's body with the two fields set, borrowed by the page's call.
            let request = if *optional_body {
                quote!(page_call.body.cloned().unwrap_or_default())
            } else {
                quote!(Clone::clone(page_call.body))
            };
            let limit_ident = ident(&struct_fields(model, limit_field)[limit_field.index].ident);
            let offset_ident = ident(&struct_fields(model, offset_field)[offset_field.index].ident);
            let (limit_value, offset_value) =
                (narrow(model, quote!(page_size), limit), narrow(model, quote!(offset), offset));
            owned = quote! {
                let mut page_request = #request;
                page_request.#limit_ident = #limit_value;
                page_request.#offset_ident = #offset_value;
            };
            sets.push(if *optional_body {
                quote!(page_call.body = Some(&page_request);)
            } else {
                quote!(page_call.body = &page_request;)
            });
        }
        PageStyle::Link { .. } => {}
        PageStyle::Token { param, first_page_only, .. } => {
            let i = field(param).expect("normalize finds token paging by its parameter");
            sets.push(quote!(page_call.#i = page_cursor.as_deref();));
            // The token stands for the rest of the query.
            let later: Vec<&Ident> =
                params.iter().filter(|p| !p.required && first_page_only.contains(&p.wire)).map(|p| &p.ident).collect();
            if !later.is_empty() {
                sets.push(quote!(if page_cursor.is_some() { #(page_call.#later = None;)* }));
            }
        }
        PageStyle::AfterLast { param, .. } => {
            let i = field(param).expect("normalize finds cursor paging by its parameter");
            sets.push(quote!(page_call.#i = page_cursor.as_deref();));
        }
    }
    (sets, owned)
}

/// What every page style's stream shares: how a page's call is made and sent.
struct Pages<'m> {
    model: &'m Model,
    /// The idents of the success's documented headers.
    header_idents: Vec<Ident>,
    /// Sends a page's call.
    call: TokenStream,
    sets: Vec<TokenStream>,
    owned: TokenStream,
}

impl Pages<'_> {
    /// The closure's body: a copy of the call, then the page's future, which `fetch_page` ends.
    fn page(&self, fetch_page: TokenStream) -> TokenStream {
        let (owned, sets) = (&self.owned, &self.sets);
        let rebind = (!sets.is_empty()).then(|| quote!(let mut page_call = page_call;));
        quote!({
            let page_call = Clone::clone(&self);
            async move {
                #owned
                #rebind
                #(#sets)*
                #fetch_page
            }
        })
    }

    /// Limit and offset: what starts the stream, the stream, and how it pages (for its doc).
    fn by_offset(
        &self,
        limit: &RustType,
        total: Option<usize>,
        envelope: Option<&OffsetEnvelope>,
        at: &OffsetIn,
    ) -> (TokenStream, TokenStream, String) {
        let (model, call) = (self.model, &self.call);
        let page_size_i64 = match limit {
            RustType::I64 => quote!(page_size),
            RustType::I8 | RustType::I16 | RustType::I32 | RustType::U8 | RustType::U16 | RustType::U32 => {
                quote!(i64::from(page_size))
            }
            _ => quote!(i64::try_from(page_size).unwrap_or(i64::MAX)),
        };
        // The total, from the `X-Total-Count` header or the envelope's field, once known.
        let header_total = total.map(|total| {
            let total = &self.header_idents[total];
            quote!(let page_total = page_total.or(page_body.headers.#total);)
        });
        // Read before the envelope's items are moved out of it.
        let field_total = envelope.and_then(|e| e.total.as_ref()).map(|field| {
            let (access, _) = field_access(model, field);
            let (node, _) = model.unwrap_nullable(struct_fields(model, field)[field.index].node);
            let value = match (model.rust_type(node) == RustType::I64, field.optional) {
                (true, true) => access,
                (true, false) => quote!(Some(#access)),
                (false, true) => quote!(#access.and_then(|total| i64::try_from(total).ok())),
                (false, false) => quote!(i64::try_from(#access).ok()),
            };
            quote!(let page_total = page_total.or(#value);)
        });
        let read_page = match envelope {
            Some(e) => {
                let items = items_access(model, &e.items).0;
                let unwrap = header_total.is_some().then(|| quote!(let page_body = page_body.value;));
                quote! {
                    let page_body = #call;
                    #header_total
                    #unwrap
                    #field_total
                    let page_items = #items;
                }
            }
            None if header_total.is_some() => quote! {
                let page_body = #call;
                #header_total
                let page_items = page_body.value;
            },
            None => quote!(let page_items = #call;),
        };
        let has_total = header_total.is_some() || field_total.is_some();
        let page_next = if has_total {
            quote! {
                crate::runtime::next_offset(page_size, offset, page_items.len(), page_total)
                    .map(|next| (next, page_total))
            }
        } else {
            quote!(crate::runtime::next_offset(page_size, offset, page_items.len(), None))
        };
        // Through the query, to a short page: the runtime's loop, given what each page sets.
        if !has_total && envelope.is_none() && matches!(at, OffsetIn::Query) && self.owned.is_empty() {
            let sets = &self.sets;
            let fetch = quote! {
                crate::runtime::offset_pages(self, #page_size_i64, |page_call, page_size, offset| {
                    #(#sets)*
                })
            };
            return (TokenStream::new(), fetch, offset_how(model, false, None, at));
        }
        let page = self.page(quote! {
            #read_page
            let page_next = #page_next;
            Ok(crate::runtime::Page { items: page_items, next: page_next })
        });
        let fetch = if has_total {
            quote!(crate::runtime::paginate((0i64, None), move |(offset, page_total): (i64, Option<i64>)| #page))
        } else {
            quote!(crate::runtime::paginate(0i64, move |offset: i64| #page))
        };
        (quote!(let page_size = #page_size_i64.max(1);), fetch, offset_how(model, total.is_some(), envelope, at))
    }

    /// `Link` headers: the stream (its doc is [`LINK_HOW`]).
    fn by_link(&self, header: usize) -> TokenStream {
        let (link, call) = (&self.header_idents[header], &self.call);
        let page = self.page(quote! {
            let page_body = #call;
            let page_next = crate::runtime::link_next(page_body.headers.#link.as_deref()).map(Some);
            Ok(crate::runtime::Page { items: page_body.value, next: page_next })
        });
        quote!(crate::runtime::paginate(None, move |page_cursor: Option<String>| #page))
    }

    /// A page token: the stream, and how it pages.
    fn by_token(
        &self,
        param: &str,
        next: &PageField,
        items: &PageField,
        first_page_only: &[String],
    ) -> (TokenStream, String) {
        let (model, call) = (self.model, &self.call);
        let (items, items_field) = items_access(model, items);
        let (next_value, next_field) = field_access(model, next);
        let next_value = if next.optional { next_value } else { quote!(Some(#next_value)) };
        let page = self.page(quote! {
            let page_body = #call;
            let page_next = crate::runtime::next_token(#next_value);
            Ok(crate::runtime::Page { items: #items, next: page_next })
        });
        let how = format!(
            "a page at a time: each page's `{next_field}` is sent as `{param}` for the next, until there is \
             none (the items are each page's `{items_field}`){}",
            if !first_page_only.is_empty() {
                "; later pages send only the token, `limit` and the required parameters, since the token \
                 stands for the rest of the query"
            } else {
                ""
            }
        );
        (quote!(crate::runtime::paginate(None, move |page_cursor: Option<String>| #page)), how)
    }

    /// After the last item's id: the stream, and how it pages.
    fn after_last(
        &self,
        param: &str,
        has_more: &PageField,
        items: &PageField,
        id: &PageField,
    ) -> (TokenStream, String) {
        let (model, call) = (self.model, &self.call);
        let (items, items_field) = items_access(model, items);
        let (has_more_value, has_more_field) = field_access(model, has_more);
        let has_more_value = if has_more.optional { quote!(#has_more_value.unwrap_or(false)) } else { has_more_value };
        let id_ident = ident(&struct_fields(model, id)[id.index].ident);
        let last_id = if id.optional {
            quote!(page_items.last().and_then(|last| last.#id_ident.clone()))
        } else {
            quote!(page_items.last().map(|last| last.#id_ident.clone()))
        };
        let page = self.page(quote! {
            let page_body = #call;
            let page_has_more = #has_more_value;
            let page_items = #items;
            let page_next = if page_has_more { #last_id.map(Some) } else { None };
            Ok(crate::runtime::Page { items: page_items, next: page_next })
        });
        let how = format!(
            "a page at a time: while a page says `{has_more_field}`, the `id` of its last item is sent as \
             `{param}` for the next (the items are each page's `{items_field}`)"
        );
        (quote!(crate::runtime::paginate(None, move |page_cursor: Option<String>| #page)), how)
    }
}

/// How a limit/offset stream pages, for its doc: through the query or the body, and until
/// the total (a header's or a field's) or a short page.
fn offset_how(model: &Model, header_total: bool, envelope: Option<&OffsetEnvelope>, at: &OffsetIn) -> String {
    let through = match at {
        OffsetIn::Query => "`page_size` at a time through `limit` and `offset`",
        OffsetIn::Body { .. } => {
            "`page_size` at a time through the body's `limit` and `offset` (each page sends a copy of the \
             body with them set)"
        }
    };
    match (header_total, envelope.and_then(|e| e.total.as_ref())) {
        (true, _) => format!(
            "{through} until the total the first page gives in `X-Total-Count` (or, without it, until a page \
             comes back short)"
        ),
        (false, Some(field)) => format!(
            "{through} until the total the pages give in `{}` (or, without it, until a page comes back short)",
            field_access(model, field).1
        ),
        (false, None) => format!("{through} until a page comes back short"),
    }
}

/// `Some(value)` as the parameter's type: the runtime counts in `i64`, and a narrower
/// parameter gets the value narrowed (a page size and an offset never come near its limit in
/// practice, and saturate if they do).
fn narrow(model: &Model, v: TokenStream, ty: &RustType) -> TokenStream {
    if *ty == RustType::I64 {
        quote!(Some(#v))
    } else {
        let ty = type_tokens(model, ty, "");
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
    let f = ident(&fields[field.index].ident);
    (quote!(page_body.#f), fields[field.index].name.clone())
}

/// The items of a page: an absent list is an empty one.
fn items_access(model: &Model, field: &PageField) -> (TokenStream, String) {
    let (access, name) = field_access(model, field);
    (if field.optional { quote!(#access.unwrap_or_default()) } else { access }, name)
}
