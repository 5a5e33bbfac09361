//! One operation: its method, the call it returns (setters, `send`, `IntoFuture`, `stream`),
//! and its enum of documented errors.

use proc_macro2::{Literal, Span, TokenStream};
use syn::Lifetime;
use quote::{format_ident, quote};

use super::super::syntax::{allow_many_arguments, doc_attrs, ident, type_text, type_tokens};
use super::pagination::stream;
use super::params::{param, request_body, Arg, Param};
use super::OperationNames;
use crate::ir::{Operation, ResponseBody, Status};
use crate::naming::{self, Uniquer};
use crate::normalize::{CaseBody, Model, OperationPlan, PageStyle, Success, SuccessCase};

/// The method of `op`, for `impl Client`; and its error enum and call, for beside it.
pub fn operation(model: &Model, op: &Operation, plan: &OperationPlan, names: &OperationNames) -> (TokenStream, TokenStream) {
    let method_name = names.method.clone();
    let op_type = &names.types;
    let error_name = format_ident!("{}Error", op_type);
    let (ordered, optional_start) = op.ordered_parameters();
    // The method takes the required parameters and the body, and returns a call to set the
    // optional ones on and await.
    let builder = format_ident!("{}Builder", op_type);
    // Every name the generated code binds beside the parameters: the receiver, the body, the
    // response, a builder's `client`, a stream's own names.
    let mut taken = vec!["self", "body", "response"];
    // A call's fields and setters share names with its own methods.
    taken.extend(["client", "send", "send_with_headers", "stream", "clone", "into_future"]);
    if plan.pagination.is_some() {
        taken.extend(super::pagination::STREAM_NAMES);
    }
    if !plan.headers.is_empty() {
        taken.extend(["headers", "page_url"]);
    }
    let mut idents = Uniquer::with_taken(taken);

    let params: Vec<Param> = ordered.iter().map(|p| param(model, p, idents.claim(naming::snake(&p.name)))).collect();
    let (required_params, optional_params) = params.split_at(optional_start);

    let body = op.body.as_ref().map(|b| request_body(model, b));
    let sig = |i: &proc_macro2::Ident, arg: &Arg| {
        let t = arg.tokens(model, None);
        quote!(#i: #t)
    };
    let sig_params = required_params
        .iter()
        .map(|p| sig(&p.ident, &p.arg))
        .chain(body.iter().map(|(arg, _, _)| sig(&ident("body"), arg)))
        .chain(optional_params.iter().map(|p| sig(&p.ident, &p.arg)));
    let sends: Vec<&TokenStream> = params.iter().map(|p| &p.send).collect();
    let body_send = body.as_ref().map(|(_, send, _)| send);
    let auth = op.authenticated.then(|| quote!(.authenticated()));

    let success_name = format_ident!("{}Success", op_type);
    let ok_type = match &plan.success {
        Success::ByStatus(_) => quote!(#success_name),
        success => success_type(model, success),
    };
    let ok_arms = success_arms(op, &plan.success, &success_name);
    let success_enum = match &plan.success {
        Success::ByStatus(cases) => success_enum(model, op, cases, &success_name, &method_name),
        _ => TokenStream::new(),
    };
    let (variants, arms) = error_variants(model, op, &error_name);

    let method_doc =
        method_doc(op, required_params, optional_params, body.as_ref().and_then(|(_, _, d)| d.as_deref()));
    let method_ident = ident(&method_name);
    let http_method = ident(op.method.as_upper());
    let path = &op.path;
    let operation_id = &op.id;
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let too_many = allow_many_arguments(1 + optional_start + usize::from(body.is_some()));
    // With no documented status, every answer is unexpected: no `match` to write.
    let outcome = if ok_arms.is_empty() && arms.is_empty() {
        quote!(Err(response.unexpected_status()))
    } else {
        quote! {
            match response.status() {
                #ok_arms
                #(#arms)*
                _ => Err(response.unexpected_status()),
            }
        }
    };
    // With documented headers, the call's `send_with_headers` holds the request and `send`
    // returns its value; with `Link` pagination, a private `*_at` of the client holds it, for
    // the stream to send to the next page's URL.
    // A deprecated method that calls another deprecated one must allow it.
    let deprecated_calling = op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let headers_name = format_ident!("{}Headers", op_type);
    let has_headers = !plan.headers.is_empty();
    let link = matches!(plan.pagination.as_ref().map(|p| &p.style), Some(PageStyle::Link { .. }));
    let at_ident = format_ident!("{}_at", method_name);
    let call = |receiver: TokenStream| {
        let at = link.then(|| quote!(.at_url(page_url)));
        let read = if has_headers {
            quote! {
                let headers = #headers_name::read(response.headers());
                (#outcome).map(|value| crate::WithHeaders { value, headers })
            }
        } else {
            outcome.clone()
        };
        quote! {
            let response = #receiver
                .core
                .request(Method::#http_method, #operation_id, #path)
                #(#sends)*
                #body_send
                #auth
                #at
                .send()
                .await?;
            #read
        }
    };
    let full_type = if has_headers { quote!(crate::WithHeaders<#ok_type, #headers_name>) } else { ok_type.clone() };
    // The arguments in the order the methods take them.
    let arg_names: Vec<proc_macro2::Ident> = required_params
        .iter()
        .map(|p| p.ident.clone())
        .chain(body.iter().map(|_| ident("body")))
        .chain(optional_params.iter().map(|p| p.ident.clone()))
        .collect();
    let sig_params: Vec<TokenStream> = sig_params.collect();
    // The call that holds the request, from `receiver` with every argument bound.
    let inner_call = |receiver: TokenStream| {
        if link {
            quote!(#receiver.#at_ident(None, #(#arg_names),*).await)
        } else {
            call(receiver)
        }
    };
    let at_fn = link.then(|| {
        let plain = call(quote!(self));
        let too_many = allow_many_arguments(2 + params.len() + usize::from(body.is_some()));
        quote! {
            /// The call, sent to `page_url` (a next page's link) when given.
            #deprecated
            #too_many
            async fn #at_ident(&self, page_url: Option<&str>, #(#sig_params),*) -> Result<#full_type, Error<#error_name>> {
                #plain
            }
        }
    });
    // A call's fields borrow for `'a`.
    let a = Lifetime::new("'a", Span::call_site());
    let required: Vec<(proc_macro2::Ident, TokenStream)> = required_params
        .iter()
        .map(|p| (p.ident.clone(), p.arg.tokens(model, Some(&a))))
        .chain(body.iter().map(|(arg, _, _)| (ident("body"), arg.tokens(model, Some(&a)))))
        .collect();
    let field_defs = required.iter().map(|(i, t)| quote!(#i: #t,)).chain(optional_params.iter().map(|p| {
        let (i, t) = (&p.ident, p.arg.tokens(model, Some(&a)));
        quote!(#i: #t,)
    }));
    let all_fields: Vec<_> =
        required.iter().map(|(i, _)| i.clone()).chain(optional_params.iter().map(|p| p.ident.clone())).collect();
    let args = required.iter().map(|(i, t)| quote!(#i: #t));
    let inits = required.iter().map(|(i, _)| quote!(#i,)).chain(optional_params.iter().map(|p| {
        let i = &p.ident;
        quote!(#i: None,)
    }));
    let setters = optional_params.iter().map(|p| {
        let i = &p.ident;
        let inner = p.arg.without_option().tokens(model, Some(&a));
        let doc = match one_line(&p.doc) {
            d if d.is_empty() => format!("`{}`", p.wire),
            d => format!("`{}`: {d}", p.wire),
        };
        let doc = doc_attrs(Some(&doc));
        quote! {
            #doc
            pub fn #i(mut self, #i: #inner) -> Self {
                self.#i = Some(#i);
                self
            }
        }
    });
    let builder_doc = format!(
        " A call of [`Client::{method_name}`]: `.await` it, or [`send`]({builder}::send) it{}{}.",
        if optional_params.is_empty() { "" } else { ", after setting any of its optional parameters" },
        if plan.pagination.is_some() { format!("; [`stream`]({builder}::stream) reads every page") } else { String::new() }
    );
    let sends = if has_headers {
        let inner = inner_call(quote!(client));
        let send_with_headers_deprecated = if link { &deprecated_calling } else { &deprecated };
        quote! {
            /// Sends the request.
            #deprecated_calling
            pub async fn send(self) -> Result<#ok_type, Error<#error_name>> {
                self.send_with_headers().await.map(|r| r.value)
            }

            /// Sends the request; the result comes with the headers the spec documents
            /// for it.
            #send_with_headers_deprecated
            pub async fn send_with_headers(self) -> Result<#full_type, Error<#error_name>> {
                let Self { client, #(#all_fields),* } = self;
                #inner
            }
        }
    } else {
        let builder_call = call(quote!(client));
        quote! {
            /// Sends the request.
            #deprecated
            pub async fn send(self) -> Result<#ok_type, Error<#error_name>> {
                let Self { client, #(#all_fields),* } = self;
                #builder_call
            }
        }
    };
    let stream = plan
        .pagination
        .as_ref()
        .map(|pagination| stream(model, op, plan, pagination, &method_name, &params, &error_name));
    // Every method returns a call, so that a parameter the spec adds later is a new setter
    // and no call written today stops compiling.
    let method = quote! {
        #method_doc
        #deprecated
        #too_many
        pub fn #method_ident<'a>(&'a self, #(#args),*) -> #builder<'a> {
            #builder { client: self, #(#inits)* }
        }
        #at_fn
    };
    let allow_deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let builder_def = quote! {
        #[doc = #builder_doc]
        #[derive(Clone)]
        #[must_use = "a call does nothing until it is awaited or sent"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#field_defs)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            #sends

            #stream
        }

        #allow_deprecated
        impl<'a> std::future::IntoFuture for #builder<'a> {
            type Output = Result<#ok_type, Error<#error_name>>;
            type IntoFuture = crate::CallFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
    let headers_def = has_headers.then(|| {
        let doc = format!(" The headers documented for a successful [`Client::{method_name}`].");
        super::headers::headers_struct(&plan.headers, &headers_name, &doc)
    });
    let error_headers_name = format_ident!("{}ErrorHeaders", op_type);
    let error_headers_def = (!plan.error_headers.is_empty()).then(|| {
        let doc = format!(
            " The headers documented for the error responses of [`Client::{method_name}`]: read them from an \
             [`ApiError`](crate::ApiError)'s `headers` with [`{error_headers_name}::read`]."
        );
        super::headers::headers_struct(&plan.error_headers, &error_headers_name, &doc)
    });
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
        #[non_exhaustive]
        pub enum #error_name {
            #(#variants)*
        }
    };
    (method, quote! { #success_enum #error #headers_def #error_headers_def #builder_def })
}

/// One variant per documented error response, and the match arm that makes it. A range
/// (`4XX`) or `default` variant says which status it carried; the arms come in the order of
/// precedence (exact, range, default), which the responses already have.
fn error_variants(
    model: &Model,
    op: &Operation,
    error_name: &proc_macro2::Ident,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for r in op.errors() {
        let variant = ident(&r.status.variant_name());
        let doc = doc_attrs(Some(&format!("`{}`: {}", r.status, r.description.trim())));
        let body_ty = match r.body {
            ResponseBody::Json(s) => Some(type_tokens(model, &model.rust_type(s), &quote!(models::))),
            _ => None,
        };
        let (def, arm) = match (r.status, body_ty) {
            (Status::Code(429), Some(ty)) => (
                quote! {
                    #doc
                    #variant {
                        body: #ty,
                        /// How long the server asks to wait (`Retry-After`).
                        retry_after: Option<std::time::Duration>,
                    },
                },
                quote! {
                    429 => {
                        let retry_after = response.retry_after();
                        Err(response.error(|body| #error_name::#variant { body, retry_after }))
                    }
                },
            ),
            (Status::Code(429), None) => (
                quote! {
                    #doc
                    #variant {
                        /// How long the server asks to wait (`Retry-After`).
                        retry_after: Option<std::time::Duration>,
                    },
                },
                quote! {
                    429 => {
                        let retry_after = response.retry_after();
                        Err(response.error_without_body(#error_name::#variant { retry_after }))
                    }
                },
            ),
            (Status::Code(code), Some(ty)) => {
                let code = Literal::u16_unsuffixed(code);
                (quote! { #doc #variant(#ty), }, quote! { #code => Err(response.error(#error_name::#variant)), })
            }
            (Status::Code(code), None) => {
                let code = Literal::u16_unsuffixed(code);
                (
                    quote! { #doc #variant, },
                    quote! { #code => Err(response.error_without_body(#error_name::#variant)), },
                )
            }
            (status, body) => {
                let pattern = match status {
                    Status::Range(digit) => {
                        let range = status_range(digit);
                        quote!(status @ #range)
                    }
                    // Any status not documented otherwise, but a success's.
                    _ => {
                        let successes = status_range(2);
                        quote!(status if !(#successes).contains(&status))
                    }
                };
                match body {
                    Some(ty) => (
                        quote! {
                            #doc
                            #variant {
                                /// The status the server answered with.
                                status: u16,
                                body: #ty,
                            },
                        },
                        quote! { #pattern => Err(response.error(|body| #error_name::#variant { status, body })), },
                    ),
                    None => (
                        quote! {
                            #doc
                            #variant {
                                /// The status the server answered with.
                                status: u16,
                            },
                        },
                        quote! { #pattern => Err(response.error_without_body(#error_name::#variant { status })), },
                    ),
                }
            }
        };
        variants.push(def);
        arms.push(arm);
    }
    (variants, arms)
}

/// What a successful call returns, as text: the type, or the operation's enum with the type of
/// each status (`SubmitJobSuccess{200:Result,202:Job,204}`).
pub fn success_type_text(model: &Model, op_type: &str, success: &Success) -> String {
    match success {
        Success::ByStatus(cases) => {
            let cases: Vec<String> = cases
                .iter()
                .map(|c| match case_body_type(model, &c.body) {
                    Some(t) => format!("{}:{}", c.status, type_text(t)),
                    None => c.status.to_string(),
                })
                .collect();
            format!("{op_type}Success{{{}}}", cases.join(","))
        }
        other => type_text(success_type(model, other)),
    }
}

pub fn success_type(model: &Model, success: &Success) -> TokenStream {
    match success {
        Success::Unit => quote!(()),
        Success::Json(t) => type_tokens(model, t, &quote!(models::)),
        Success::OptionalJson(t) => {
            let t = type_tokens(model, t, &quote!(models::));
            quote!(Option<#t>)
        }
        Success::Text => quote!(String),
        Success::Bytes => quote!(Vec<u8>),
        Success::ByStatus(_) => unreachable!("an operation's own enum, named by `operation`"),
    }
}

/// The enum of an operation's successes with different bodies: one variant per status
/// (`Ok(T)`, `Created(U)`, `NoContent`); a `2XX` variant says which status it carried.
fn success_enum(
    model: &Model,
    op: &Operation,
    cases: &[SuccessCase],
    name: &proc_macro2::Ident,
    method_name: &str,
) -> TokenStream {
    let variants = cases.iter().map(|case| {
        let variant = ident(&case.status.variant_name());
        let description = op.responses.iter().find(|r| r.status == case.status).map_or("", |r| r.description.trim());
        let doc = doc_attrs(Some(&format!("`{}`: {description}", case.status)));
        let body = case_body_type(model, &case.body);
        match (case.status, body) {
            (Status::Code(_), None) => quote! { #doc #variant, },
            (Status::Code(_), Some(ty)) => quote! { #doc #variant(#ty), },
            (_, None) => quote! {
                #doc
                #variant {
                    /// The status the server answered with.
                    status: u16,
                },
            },
            (_, Some(ty)) => quote! {
                #doc
                #variant {
                    /// The status the server answered with.
                    status: u16,
                    body: #ty,
                },
            },
        }
    });
    let doc = format!(" What [`Client::{method_name}`] returns, by the success status the server answered with.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn case_body_type(model: &Model, body: &CaseBody) -> Option<TokenStream> {
    match body {
        CaseBody::None => None,
        CaseBody::Json(t) => Some(type_tokens(model, t, &quote!(models::))),
        CaseBody::Text => Some(quote!(String)),
        CaseBody::Bytes => Some(quote!(Vec<u8>)),
    }
}

/// The match arms of the 2xx statuses: those of exact statuses first, then of `2XX`, which
/// covers what they leave.
fn success_arms(op: &Operation, success: &Success, success_name: &proc_macro2::Ident) -> TokenStream {
    if let Success::ByStatus(cases) = success {
        let mut cases: Vec<&SuccessCase> = cases.iter().collect();
        cases.sort_by_key(|c| c.status.precedence());
        let arms = cases.into_iter().map(|case| {
            let variant = ident(&case.status.variant_name());
            let read = match case.body {
                CaseBody::None => None,
                CaseBody::Json(_) => Some(quote!(response.json())),
                CaseBody::Text => Some(quote!(response.text())),
                CaseBody::Bytes => Some(quote!(response.bytes())),
            };
            match (case.status, read) {
                (Status::Code(code), None) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote! { #code => Ok(#success_name::#variant), }
                }
                (Status::Code(code), Some(read)) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote! { #code => #read.map(#success_name::#variant), }
                }
                // Only `2XX` is a success range.
                (_, None) => {
                    let range = status_range(2);
                    quote! { status @ #range => Ok(#success_name::#variant { status }), }
                }
                (_, Some(read)) => {
                    let range = status_range(2);
                    quote! { status @ #range => #read.map(|body| #success_name::#variant { status, body }), }
                }
            }
        });
        return quote!(#(#arms)*);
    }
    let exact = success_arms_of(op, success, false);
    let ranged = success_arms_of(op, success, true);
    quote!(#exact #ranged)
}

/// The success arms of exact statuses, or (`ranges`) of `2XX`.
fn success_arms_of(op: &Operation, success: &Success, ranges: bool) -> TokenStream {
    let codes = |pred: &dyn Fn(&ResponseBody) -> bool| -> Vec<Status> {
        op.successes()
            .filter(|r| pred(&r.body) && matches!(r.status, Status::Range(_)) == ranges)
            .map(|r| r.status)
            .collect()
    };
    let arm = |statuses: Vec<Status>, expr: TokenStream| {
        let codes: Vec<u16> = statuses.iter().filter_map(|s| if let Status::Code(c) = s { Some(*c) } else { None }).collect();
        let mut patterns = status_patterns(&codes);
        if statuses.iter().any(|s| matches!(s, Status::Range(_))) {
            patterns.push(status_range(2));
        }
        if patterns.is_empty() {
            TokenStream::new()
        } else {
            quote! { #(#patterns)|* => #expr, }
        }
    };
    let none = codes(&|b| *b == ResponseBody::None);
    let json = || codes(&|b| matches!(b, ResponseBody::Json(_)));
    let mut arms = TokenStream::new();
    match success {
        Success::Unit => arms.extend(arm(none, quote!(Ok(())))),
        Success::Json(_) => arms.extend(arm(json(), quote!(response.json()))),
        Success::OptionalJson(_) => {
            arms.extend(arm(json(), quote!(response.json().map(Some))));
            arms.extend(arm(none, quote!(Ok(None))));
        }
        Success::Text => {
            arms.extend(arm(codes(&|b| *b == ResponseBody::Text), quote!(response.text())));
            arms.extend(arm(none, quote!(Ok(String::new()))));
        }
        Success::Bytes => {
            arms.extend(arm(codes(&|b| *b != ResponseBody::None), quote!(response.bytes())));
            arms.extend(arm(none, quote!(Ok(Vec::new()))));
        }
        Success::ByStatus(_) => {}
    }
    arms
}

/// The statuses of a range (`4XX`: `400..=499`), as a pattern.
fn status_range(digit: u16) -> TokenStream {
    let (first, last) = (Literal::u16_unsuffixed(digit * 100), Literal::u16_unsuffixed(digit * 100 + 99));
    quote!(#first..=#last)
}

/// The patterns matching `codes` (sorted, distinct): a run of three or more consecutive
/// statuses as a range (`200..=202`), as a person (and clippy) would write it.
fn status_patterns(codes: &[u16]) -> Vec<TokenStream> {
    let mut codes = codes.to_vec();
    codes.sort_unstable();
    codes.dedup();
    let mut patterns = Vec::new();
    let mut start = 0;
    while start < codes.len() {
        let mut end = start;
        while end + 1 < codes.len() && codes[end + 1] == codes[end] + 1 {
            end += 1;
        }
        if end - start >= 2 {
            let (first, last) = (Literal::u16_unsuffixed(codes[start]), Literal::u16_unsuffixed(codes[end]));
            patterns.push(quote!(#first..=#last));
        } else {
            patterns.extend(codes[start..=end].iter().map(|&c| {
                let c = Literal::u16_unsuffixed(c);
                quote!(#c)
            }));
        }
        start = end + 1;
    }
    patterns
}

fn method_doc(op: &Operation, required: &[Param], optional: &[Param], body_doc: Option<&str>) -> TokenStream {
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
    let item = |p: &Param| match one_line(&p.doc) {
        d if d.is_empty() => format!("- `{}`", p.ident),
        d => format!("- `{}`: {d}", p.ident),
    };
    let mut args: Vec<String> = required.iter().map(item).collect();
    if let Some(d) = body_doc {
        args.push(format!("- `body`: {}", one_line(d)));
    }
    if !args.is_empty() {
        text.push_str("\n\n# Arguments\n\n");
        text.push_str(&args.join("\n"));
    }
    if !optional.is_empty() {
        text.push_str("\n\n# Optional parameters\n\nSet on the call this returns, each by its method:\n\n");
        text.push_str(&optional.iter().map(item).collect::<Vec<_>>().join("\n"));
    }
    doc_attrs(Some(&text))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
