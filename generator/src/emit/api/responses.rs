//! What an operation's responses become: the enum of its documented errors, the enum of its
//! successes when several statuses answer differently, and the match arms that choose.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::syntax::{doc_attrs, ident, type_source, type_text, type_tokens};
use crate::ir::{Operation, ResponseBody, Status};
use crate::normalize::{CaseBody, Model, Success, SuccessCase};

/// One variant per documented error response, and the arm of the enum's `read` that makes it
/// from a response. A range (`4XX`) or `default` variant says which status it carried; the
/// arms come in the order of precedence (exact, range, default), which the responses already
/// have.
pub(super) fn error_variants(model: &Model, op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for r in op.errors() {
        let variant = ident(&r.status.variant_name());
        let doc = doc_attrs(Some(&format!("`{}`: {}", r.status, r.description.trim())));
        let body_ty = match r.body {
            ResponseBody::Json(s) => Some(type_tokens(model, &model.rust_type(s), "models::")),
            _ => None,
        };
        let (def, arm) = match r.status {
            Status::Code(429) => rate_limited(&doc, &variant, body_ty),
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                match body_ty {
                    Some(ty) => (quote! { #doc #variant(#ty), }, quote! { #code => response.error(Self::#variant), }),
                    None => {
                        (quote! { #doc #variant, }, quote! { #code => response.error_without_body(Self::#variant), })
                    }
                }
            }
            status => with_status(status, &doc, &variant, body_ty),
        };
        variants.push(def);
        arms.push(arm);
    }
    (variants, arms)
}

/// A `429` variant, which carries how long the server asks to wait (`Retry-After`), and its arm.
fn rate_limited(
    doc: &TokenStream,
    variant: &proc_macro2::Ident,
    body_ty: Option<TokenStream>,
) -> (TokenStream, TokenStream) {
    match body_ty {
        Some(ty) => (
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
                    response.error(|body| Self::#variant { body, retry_after })
                }
            },
        ),
        None => (
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
                    response.error_without_body(Self::#variant { retry_after })
                }
            },
        ),
    }
}

/// A range (`4XX`) or `default` variant, which says which status it carried, and its arm.
fn with_status(
    status: Status,
    doc: &TokenStream,
    variant: &proc_macro2::Ident,
    body_ty: Option<TokenStream>,
) -> (TokenStream, TokenStream) {
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
    match body_ty {
        Some(ty) => (
            quote! {
                #doc
                #variant {
                    /// The status the server answered with.
                    status: u16,
                    body: #ty,
                },
            },
            quote! { #pattern => response.error(|body| Self::#variant { status, body }), },
        ),
        None => (
            quote! {
                #doc
                #variant {
                    /// The status the server answered with.
                    status: u16,
                },
            },
            quote! { #pattern => response.error_without_body(Self::#variant { status }), },
        ),
    }
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
    success_type_source(model, success).parse().expect("a type's text is Rust")
}

/// The source text of [`success_type`].
pub fn success_type_source(model: &Model, success: &Success) -> String {
    match success {
        Success::Unit => "()".into(),
        Success::Json(t) => type_source(model, t, "models::"),
        Success::OptionalJson(t) => format!("Option<{}>", type_source(model, t, "models::")),
        Success::Text => "String".into(),
        Success::Bytes => "Vec<u8>".into(),
        Success::ByStatus(_) => unreachable!("an operation's own enum, named by `operation`"),
    }
}

/// The enum of an operation's successes with different bodies: one variant per status
/// (`Ok(T)`, `Created(U)`, `NoContent`); a `2XX` variant says which status it carried.
pub(super) fn success_enum(
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
        CaseBody::Json(t) => Some(type_tokens(model, t, "models::")),
        CaseBody::Text => Some(quote!(String)),
        CaseBody::Bytes => Some(quote!(Vec<u8>)),
    }
}

/// The match arms of the 2xx statuses: those of exact statuses first, then of `2XX`, which
/// covers what they leave.
pub(super) fn success_arms(op: &Operation, success: &Success, success_name: &proc_macro2::Ident) -> TokenStream {
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

/// The one status of a success that has one, and the runtime's `Response` method that reads it
/// or the error (`json_at`, ...): then a call needs no `match`.
pub(super) fn single_success(op: &Operation, success: &Success) -> Option<(u16, &'static str)> {
    let mut successes = op.successes();
    let (only, None) = (successes.next()?, successes.next()) else { return None };
    let Status::Code(code) = only.status else { return None };
    let read = match (success, &only.body) {
        (Success::Unit, ResponseBody::None) => "empty_at",
        (Success::Json(_), ResponseBody::Json(_)) => "json_at",
        (Success::Text, ResponseBody::Text) => "text_at",
        (Success::Bytes, body) if *body != ResponseBody::None => "bytes_at",
        _ => return None,
    };
    Some((code, read))
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
        let codes: Vec<u16> =
            statuses.iter().filter_map(|s| if let Status::Code(c) = s { Some(*c) } else { None }).collect();
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
