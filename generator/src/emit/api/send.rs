//! How a call sends its request and reads the response: `send` (and `send_with_headers`),
//! the request builder's chain, and `events` for a streamed response.

use std::borrow::Cow;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::expr::{chain, Expr};
use super::super::layout::{Depth, Writer};
use super::super::syntax::{doc_attrs, ident, string_literal, type_tokens};
use super::operation::Parts;
use super::responses::{single_success, success_arms};
use crate::ir::{Framing, Status};
use crate::normalize::{Model, StreamPlan};

/// `send`, and with documented headers `send_with_headers` (which holds the request, `send`
/// returning its value); with `Link` pagination, the private `send_at` holds it, for the
/// stream to send to the next page's URL.
pub(super) fn send_methods(w: &mut Writer, parts: &Parts) {
    let (ok_type, error_name) = (&parts.ok_type, &parts.error_name);
    if !parts.has_headers {
        w.doc(" Sends the request.");
        if parts.op.deprecated {
            w.line(&["#[deprecated]"]);
        }
        send_signature(w, ok_type, &error_name.to_string());
        request(w, parts);
        w.close(&["}"]);
        return;
    }
    let ok_type: TokenStream = ok_type.parse().expect("a type's text is Rust");
    let deprecated = parts.deprecated();
    let request = request_tokens(parts);
    let headers_name = &parts.headers_name;
    let full_type = quote!(crate::WithHeaders<#ok_type, #headers_name>);
    // `Link` paging (whose link is a documented header) sends the request from `send_at`.
    let (with_headers, send_at) = if parts.link {
        let send_at = quote! {
            /// Sends the request to `page_url` (a next page's link) when given.
            async fn send_at(self, page_url: Option<&str>) -> Result<#full_type, Error<#error_name>> {
                #request
            }
        };
        (quote!(self.send_at(None).await), Some(send_at))
    } else {
        (request, None)
    };
    // A deprecated method that calls another deprecated one must allow it.
    let deprecated_calling = parts.op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    w.nested(
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
        },
        Depth::ImplItems,
    );
}

/// `pub async fn send(self) -> Result<ok, Error<error>> {`, as prettyplease breaks it when it
/// is too wide: `self` on a line of its own, then the result's types each on a line.
fn send_signature(w: &mut Writer, ok: &str, error: &str) {
    let types = [ok.to_string(), format!("Error<{error}>")];
    let tail = format!(") -> Result<{}> {{", types.join(", "));
    const HEAD: &str = "pub async fn send(";
    if w.fits(HEAD.len() + "self".len() + tail.len()) {
        w.open(&[HEAD, "self", &tail]);
        return;
    }
    w.open(&[HEAD]);
    w.line(&["self,"]);
    w.dedent();
    if w.fits(tail.len()) {
        w.line(&[&tail]);
    } else {
        w.list(") -> Result<", &types, "> {");
    }
    w.indent();
}

/// The request a call sends: its parameters, body and credentials, at the page URL it is
/// given for `Link` paging; as tokens, for code the formatter lays out.
fn built_request(parts: &Parts) -> TokenStream {
    let (args, calls) = request_calls(parts);
    let calls: String = calls.iter().map(|c| c.flat()).collect();
    format!("self.request({}){calls}", args.join(", ")).parse().expect("a request chain's text is Rust")
}

/// The arguments of `self.request(..)` (method, operation id, path template) and the
/// builder's calls after it: the parameters, the body, the credentials and the page URL.
fn request_calls<'p>(parts: &'p Parts) -> ([String; 3], Vec<Cow<'p, Expr>>) {
    let op = parts.op;
    let mut calls: Vec<Cow<Expr>> = parts.params.iter().map(|p| Cow::Borrowed(&p.send)).collect();
    calls.extend(parts.body.as_ref().map(|(_, send, _)| Cow::Borrowed(send)));
    calls.extend(security(&op.security).map(Cow::Owned));
    calls.extend(parts.link.then(|| Cow::Owned(Expr::call(".at_url", vec![Expr::Flat("page_url".into())]))));
    let method = format!("Method::{}", ident(op.method.as_upper()));
    ([method, string_literal(&op.id), string_literal(&op.path)], calls)
}

/// The body of `send`: the request and the response matched to its result. With one success
/// status and no headers to read, the response is read in the chain, printed laid out where
/// the writer knows each call's layout.
fn request(w: &mut Writer, parts: &Parts) {
    let Some((code, read)) = single_success(parts.op, &parts.plan.success).filter(|_| !parts.has_headers) else {
        return w.nested(request_tokens(parts), Depth::MethodBody);
    };
    let (args, mut calls) = request_calls(parts);
    calls.extend(
        [
            Expr::call(".send", Vec::new()),
            Expr::Flat(".await?".into()),
            Expr::call(format!(".{read}"), vec![Expr::Flat(code.to_string())]),
        ]
        .map(Cow::Owned),
    );
    chain(w, "self.request", &args, &calls);
}

/// The request a call sends and the response matched to its statuses (and headers), as
/// tokens: for what `request` does not read in the chain.
fn request_tokens(parts: &Parts) -> TokenStream {
    let built = built_request(parts);
    let success_name = format_ident!("{}Success", parts.plan.names.types);
    let ok_arms = success_arms(parts.op, &parts.plan.success, &success_name);
    let outcome = match (ok_arms.is_empty(), errors_read()) {
        (true, errors) => errors,
        (false, errors) => quote! {
            match response.status() {
                #ok_arms
                _ => #errors,
            }
        },
    };
    let read = if parts.has_headers {
        let headers_name = &parts.headers_name;
        quote! {
            let headers = #headers_name::read(response.headers());
            (#outcome).map(|value| crate::WithHeaders { value, headers })
        }
    } else {
        outcome
    };
    quote! {
        let response = #built.send().await?;
        #read
    }
}

/// `events`: the request sent with the stream's media type as `Accept`, and the response read
/// as a stream of events when its status is the stream's; any other status is read in full and
/// matched to the operation's errors.
pub(super) fn events_method(parts: &Parts, stream: &StreamPlan) -> TokenStream {
    let model = parts.model;
    let error_name = &parts.error_name;
    let built = built_request(parts);
    let content_type = &stream.content_type;
    let sentinel = match &stream.sentinel {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let item_type = events_item(model, stream, "models::");
    let (read, what) = match (stream.framing, &stream.item) {
        (Framing::Sse, Some(_)) => (quote!(response.sse(#sentinel)), "server-sent events"),
        (Framing::Sse, None) => (quote!(response.sse_text(#sentinel)), "server-sent events"),
        (Framing::JsonLines, _) => (quote!(response.json_lines()), "JSON lines"),
        (Framing::JsonSeq, _) => (quote!(response.json_seq()), "a JSON text sequence"),
    };
    let is_stream = match stream.status {
        Status::Code(code) => quote!(response.status() == #code),
        _ => quote!((200..300).contains(&response.status())),
    };
    let errors = errors_read();
    let mut doc = events_doc(stream, what);
    let deprecated = parts.deprecated();
    let output = quote!(Result<crate::Events<#item_type, #error_name>, Error<#error_name>>);
    let resumes = stream.framing == Framing::Sse;
    let last_event_id = if resumes { quote!(last_event_id) } else { quote!(None) };
    let open = quote! {
        let response = #built.open(#content_type, #last_event_id).await?;
        if #is_stream {
            return Ok(#read);
        }
        let response = response.read().await?;
        #errors
    };
    if !resumes {
        let doc = doc_attrs(Some(&doc));
        return quote! {
            #doc
            #deprecated
            pub async fn events(self) -> #output {
                #open
            }
        };
    }
    doc.push_str(
        " To resume after a broken connection, call [`events_after`](Self::events_after) with the last event's `id`.",
    );
    let doc = doc_attrs(Some(&doc));
    let after_doc = doc_attrs(Some(
        "As [`events`](Self::events), resuming after the event whose `id` is `last_event_id` (sent as \
         `Last-Event-ID`): the server sends what came after it, where it supports resuming.",
    ));
    quote! {
        #doc
        #deprecated
        pub async fn events(self) -> #output {
            self.open_events(None).await
        }

        #after_doc
        #deprecated
        pub async fn events_after(self, last_event_id: &str) -> #output {
            self.open_events(Some(last_event_id)).await
        }

        async fn open_events(self, last_event_id: Option<&str>) -> #output {
            #open
        }
    }
}

/// The docs of `events`: how the stream is read and where it ends.
fn events_doc(stream: &StreamPlan, what: &str) -> String {
    let content_type = &stream.content_type;
    let mut doc = format!(
        "Sends the request and reads the response as {what} (`{content_type}`), each event decoded as it \
         arrives and the next read only when asked for."
    );
    if let Some(s) = &stream.sentinel {
        doc.push_str(&format!(" The stream ends at the event whose data is `{s}`."));
    }
    doc.push_str(
        "\n\nA documented error status is this call's error, before any event; an event that does not \
         decode is an error item, and the stream goes on; a broken connection is an error item, and the end. \
         The client's timeout limits the wait for the response to begin, not the stream. Where the API \
         streams only when asked (a `stream` flag in the body), ask it to.",
    );
    doc
}

/// The type of each item of an operation's `events` stream, its model types under `models`.
pub fn events_item(model: &Model, stream: &StreamPlan, models: &str) -> TokenStream {
    let item = stream.item.as_ref().map(|t| type_tokens(model, t, models));
    match (stream.framing, item) {
        (Framing::Sse, Some(t)) => quote!(crate::Event<#t>),
        (Framing::Sse, None) => quote!(crate::Event<String>),
        (_, Some(t)) => t,
        // Lowering gives JSON lines an item type always; any JSON value, were it missing.
        (_, None) => quote!(serde_json::Value),
    }
}

/// What a response that is not a success makes: the operation's documented error, as its
/// error enum reads it (`ReadError`), else an unexpected status.
pub(super) fn errors_read() -> TokenStream {
    quote!(Err(response.into_error()))
}

/// `.security(...)`: the operation's requirements, when it has any.
fn security(requirements: &[Vec<String>]) -> Option<Expr> {
    if requirements.is_empty() {
        return None;
    }
    let list = |items: Vec<Expr>| Expr::Array { prefix: "&".into(), items };
    let alternatives =
        requirements.iter().map(|r| list(r.iter().map(|name| Expr::Flat(string_literal(name))).collect()));
    Some(Expr::call(".security", vec![list(alternatives.collect())]))
}
