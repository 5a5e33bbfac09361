//! One operation: its method, the call it returns (setters, `send`, `IntoFuture`, `stream`),
//! and its enum of documented errors.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Lifetime;

use super::super::syntax::{allow_many_arguments, doc_attrs, ident};
use super::pagination::stream;
use super::params::{param, request_body, Param};
use super::responses::{error_variants, success_arms, success_enum, success_type};
use super::OperationNames;
use crate::ir::Operation;
use crate::naming::{self, Uniquer};
use crate::normalize::{Model, OperationPlan, PageStyle, Success};

/// The parameters of a call, in the method's order, each named uniquely beside every name the
/// generated code binds where they are locals (a call's `send` unpacks them: the receiver, the
/// body, the response, the call's `client`, the headers read and the page URL sent to) and the
/// call's own methods, which its setters share a namespace with.
pub fn call_params(model: &Model, ordered: &[&crate::ir::Parameter]) -> Vec<Param> {
    let taken = [
        "self",
        "body",
        "response",
        "client",
        "headers",
        "page_url",
        "send",
        "send_with_headers",
        "send_at",
        "stream",
        "clone",
        "into_future",
    ];
    let mut idents = Uniquer::with_taken(taken);
    ordered
        .iter()
        .map(|p| {
            // A part's header is named with its part: `file_x_checksum`.
            let name = match &p.part {
                Some(part) => naming::snake(&format!("{part} {}", p.name)),
                None => naming::snake(&p.name),
            };
            param(model, p, idents.claim(name))
        })
        .collect()
}

/// The method of `op`, for `impl Client`; and its error enum and call, for beside it.
pub fn operation(
    model: &Model,
    op: &Operation,
    plan: &OperationPlan,
    names: &OperationNames,
) -> (TokenStream, TokenStream) {
    let method_name = names.method.clone();
    let op_type = &names.types;
    let error_name = format_ident!("{}Error", op_type);
    let (ordered, optional_start) = op.ordered_parameters();
    // The method takes the required parameters and the body, and returns a call to set the
    // optional ones on and await.
    let builder = format_ident!("{}Builder", op_type);
    // Every name the generated code binds beside the parameters where they are locals (a
    // call's `send` unpacks them): the receiver, the body, the response, the call's `client`,
    // the headers read and the page URL sent to. A call's setters share names with its own
    // methods too. (A stream reaches the parameters through its copy of the call only.)
    let params = call_params(model, &ordered);
    let (required_params, optional_params) = params.split_at(optional_start);

    let body = op.body.as_ref().map(|b| request_body(model, b));
    let sends: Vec<&TokenStream> = params.iter().map(|p| &p.send).collect();
    let body_send = body.as_ref().map(|(_, send, _)| send);
    let auth = security(&op.security);

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

    let method_doc = method_doc(op, required_params, optional_params, body.as_ref().and_then(|(_, _, d)| d.as_deref()));
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
    // returns its value; with `Link` pagination, its private `send_at` holds it, for the stream
    // to send to the next page's URL.
    // A deprecated method that calls another deprecated one must allow it.
    let deprecated_calling = op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let headers_name = format_ident!("{}Headers", op_type);
    let has_headers = !plan.headers.is_empty();
    let link = matches!(plan.pagination.as_ref().map(|p| &p.style), Some(PageStyle::Link { .. }));
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
        if plan.pagination.is_some() {
            format!("; [`stream`]({builder}::stream) reads every page")
        } else {
            String::new()
        }
    );
    let unpack = quote!(let Self { client, #(#all_fields),* } = self;);
    let request = call(quote!(client));
    let sends = if has_headers {
        // `Link` paging (whose link is a documented header) sends the request from `send_at`.
        let (with_headers, send_at) = if link {
            let send_at = quote! {
                /// Sends the request to `page_url` (a next page's link) when given.
                async fn send_at(self, page_url: Option<&str>) -> Result<#full_type, Error<#error_name>> {
                    #unpack
                    #request
                }
            };
            (quote!(self.send_at(None).await), Some(send_at))
        } else {
            (quote!(#unpack #request), None)
        };
        quote! {
            /// Sends the request.
            #deprecated_calling
            pub async fn send(self) -> Result<#ok_type, Error<#error_name>> {
                self.send_with_headers().await.map(|r| r.value)
            }

            /// Sends the request; the result comes with the headers the spec documents
            /// for it.
            #deprecated
            pub async fn send_with_headers(self) -> Result<#full_type, Error<#error_name>> {
                #with_headers
            }

            #send_at
        }
    } else {
        quote! {
            /// Sends the request.
            #deprecated
            pub async fn send(self) -> Result<#ok_type, Error<#error_name>> {
                #unpack
                #request
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

/// `.security(...)`: the operation's requirements, when it has any.
fn security(requirements: &[Vec<String>]) -> Option<TokenStream> {
    if requirements.is_empty() {
        return None;
    }
    let alternatives = requirements.iter().map(|r| quote!(&[#(#r),*]));
    Some(quote!(.security(&[#(#alternatives),*])))
}
