//! One operation: its method, the call it returns (setters, `send`, `IntoFuture`, `stream`),
//! and its enum of documented errors.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::Lifetime;

use super::super::layout::{Piece, Writer};
use super::super::syntax::type_tokens;
use super::super::syntax::{allow_many_arguments, doc_attrs, doc_lines, ident};
use super::pagination::stream;
use super::params::{param, request_body, Arg, Param};
use super::responses::{error_variants, single_success, success_arms, success_enum, success_type};
use crate::ir::{Framing, Operation, Status};

use crate::normalize::{ErrorType, Model, OperationPlan, PageStyle, StreamPlan, Success, WebhookGroup};

/// The parameters of a call, in the method's order, with the identifiers normalize gave them.
pub fn call_params(model: &Model, op: &Operation, plan: &OperationPlan) -> Vec<Param> {
    plan.ordered(op).into_iter().zip(&plan.param_idents).map(|(p, name)| param(model, p, name.clone())).collect()
}

/// What the pieces of one operation's code share: its names, its parameters in the method's
/// order, its body, what it returns and how a response is matched.
struct Parts<'m> {
    model: &'m Model,
    op: &'m Operation,
    plan: &'m OperationPlan,
    method_name: &'m str,
    builder: Ident,
    error_name: Ident,
    headers_name: Ident,
    params: Vec<Param>,
    /// Where the optional parameters start in `params`.
    optional_start: usize,
    /// The required arguments of the method, the body last: name and type (as a call's
    /// fields, borrowing for `'a`).
    arguments: Vec<(Ident, String)>,
    /// The body's argument type, how it is sent, and its description.
    body: Option<(Arg, TokenStream, Option<String>)>,
    /// What `send` returns on success.
    ok_type: TokenStream,
    /// The variants of the error enum, and the `match` arms that make them.
    error_variants: Vec<TokenStream>,
    error_arms: Vec<TokenStream>,
    /// The error enum this operation's names, when it is another operation's (which documents
    /// the same errors).
    error_of: Option<Ident>,
    ok_arms: TokenStream,
    /// Whether a success documents headers (`send_with_headers`).
    has_headers: bool,
    /// Whether the operation pages by `Link` headers (its `send_at`).
    link: bool,
    /// A call's fields borrow for `'a`.
    a: Lifetime,
}

impl Parts<'_> {
    fn required(&self) -> &[Param] {
        &self.params[..self.optional_start]
    }

    fn optional(&self) -> &[Param] {
        &self.params[self.optional_start..]
    }

    /// `#[deprecated]` on what a deprecated operation defines.
    fn deprecated(&self) -> Option<TokenStream> {
        self.op.deprecated.then(|| quote!(#[deprecated]))
    }
}

/// Where an operation's code goes, and the `#[cfg]` lines of its parts (when a feature gates
/// them): its method, its error enum (which other operations may name), the rest.
pub struct Out<'w> {
    /// The body of `impl Client`, for the method.
    pub methods: &'w mut Writer,
    pub method_cfg: Option<&'w str>,
    pub error_cfg: Option<&'w str>,
}

/// The method of `op`, written to `impl Client`; its error enum (or its other name for another
/// operation's, `error_of`); and its call, for beside it.
pub fn operation(
    model: &Model,
    op: &Operation,
    plan: &OperationPlan,
    callbacks: Option<&WebhookGroup>,
    error_of: Option<&str>,
    out: Out,
) -> (Piece, TokenStream) {
    let names = &plan.names;
    let op_type = &names.types;
    let error_name = format_ident!("{}Error", op_type);
    let success_name = format_ident!("{}Success", op_type);
    let ok_type = match &plan.success {
        Success::ByStatus(_) => quote!(#success_name),
        success => success_type(model, success),
    };
    let (error_variants, error_arms) = error_variants(model, op);
    let params = call_params(model, op, plan);
    let body = op.body.as_ref().map(|b| request_body(model, b));
    let a = Lifetime::new("'a", Span::call_site());
    let arguments = params[..plan.optional_start]
        .iter()
        .map(|p| (p.ident.clone(), p.arg.source(model, Some("'a"))))
        .chain(body.iter().map(|(arg, _, _)| (ident("body"), arg.source(model, Some("'a")))))
        .collect();
    let parts = Parts {
        model,
        op,
        plan,
        method_name: &names.method,
        builder: format_ident!("{}Builder", op_type),
        headers_name: format_ident!("{}Headers", op_type),
        params,
        optional_start: plan.optional_start,
        arguments,
        body,
        ok_type,
        ok_arms: success_arms(op, &plan.success, &success_name),
        error_variants,
        error_arms,
        has_headers: !plan.headers.is_empty(),
        link: matches!(plan.pagination.as_ref().map(|p| &p.style), Some(PageStyle::Link { .. })),
        a,
        error_name,
        error_of: error_of.map(|name| format_ident!("{}Error", name)),
    };
    let success_enum = match &plan.success {
        Success::ByStatus(cases) => success_enum(model, op, cases, &success_name, &names.method),
        _ => TokenStream::new(),
    };
    method(out.methods, out.method_cfg, &parts, callbacks);
    let error = error_enum(&parts, out.error_cfg);
    let headers = header_structs(&parts, op_type);
    let call = call_struct(&parts);
    (error, quote! { #success_enum #headers #call })
}

/// The method of `Client`: it takes the required parameters and the body, and returns a call,
/// so that a parameter the spec adds later is a new setter and no call written today stops
/// compiling.
fn method(w: &mut Writer, cfg: Option<&str>, parts: &Parts, callbacks: Option<&WebhookGroup>) {
    if let Some(cfg) = cfg {
        w.line(&[cfg]);
    }
    let body_doc = parts.body.as_ref().and_then(|(_, _, d)| d.as_deref());
    w.doc_lines(&method_doc(parts.op, parts.required(), parts.optional(), body_doc, callbacks));
    if parts.op.deprecated {
        w.line(&["#[deprecated]"]);
    }
    if allow_many_arguments(1 + parts.optional_start + usize::from(parts.body.is_some())).is_some() {
        w.line(&["#[allow(clippy::too_many_arguments)]"]);
    }
    let builder = parts.builder.to_string();
    let mut args = vec!["&'a self".to_string()];
    args.extend(parts.arguments.iter().map(|(i, t)| format!("{i}: {t}")));
    w.list(&format!("pub fn {}<'a>(", parts.method_name), &args, &format!(") -> {builder}<'a> {{"));
    w.indent();
    let mut values = vec!["self".to_string()];
    values.extend(parts.arguments.iter().map(|(i, _)| i.to_string()));
    w.list(&format!("{builder}::new("), &values, ")");
    w.close(&["}"]);
}

/// The call: its struct and its `send`s and `stream`, to which the runtime's `call!` adds a
/// constructor, a setter per optional parameter, and `IntoFuture`.
fn call_struct(parts: &Parts) -> TokenStream {
    let (model, a, builder, method_name) = (parts.model, &parts.a, &parts.builder, parts.method_name);
    let required = parts.arguments.iter().map(|(i, t)| {
        let t: TokenStream = t.parse().expect("an argument's type is Rust");
        quote!(#i: #t,)
    });
    let optional = parts.optional().iter().map(|p| {
        let i = &p.ident;
        let inner = p.arg.without_option().tokens(model, Some(a));
        let doc = match one_line(&p.doc) {
            d if d.is_empty() => format!("`{}`", p.wire),
            d => format!("`{}`: {d}", p.wire),
        };
        let doc = doc_attrs(Some(&doc));
        quote! {
            #doc
            #i: Option<#inner>,
        }
    });
    let builder_doc = format!(
        " A call of [`Client::{method_name}`]: `.await` it, or [`send`]({builder}::send) it{}{}.",
        if parts.optional().is_empty() { "" } else { ", after setting any of its optional parameters" },
        if parts.plan.pagination.is_some() {
            format!("; [`stream`]({builder}::stream) reads every page")
        } else {
            String::new()
        }
    );
    let sends = send_methods(parts);
    let events = parts.plan.stream.as_ref().map(|s| events_method(parts, s));
    let stream = parts.plan.pagination.as_ref().map(|pagination| {
        stream(model, parts.op, parts.plan, pagination, method_name, &parts.params, &parts.error_name)
    });
    quote! {
        crate::runtime::call! {
            #[doc = #builder_doc]
            pub struct #builder<'a> {
                #(#required)*
                #(#optional)*
            }

            impl<'a> #builder<'a> {
                #sends

                #events

                #stream
            }
        }
    }
}

/// `send`, and with documented headers `send_with_headers` (which holds the request, `send`
/// returning its value); with `Link` pagination, the private `send_at` holds it, for the
/// stream to send to the next page's URL.
fn send_methods(parts: &Parts) -> TokenStream {
    let (ok_type, error_name) = (&parts.ok_type, &parts.error_name);
    let deprecated = parts.deprecated();
    let request = request(parts);
    if !parts.has_headers {
        return quote! {
            /// Sends the request.
            #deprecated
            pub async fn send(self) -> Result<#ok_type, Error<#error_name>> {
                #request
            }
        };
    }
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
}

/// The request a call sends: its parameters, body and credentials, at the page URL it is
/// given for `Link` paging.
fn built_request(parts: &Parts) -> TokenStream {
    let op = parts.op;
    let sends = parts.params.iter().map(|p| &p.send);
    let body_send = parts.body.as_ref().map(|(_, send, _)| send);
    let auth = security(&op.security);
    let http_method = ident(op.method.as_upper());
    let (path, operation_id) = (&op.path, &op.id);
    let at = parts.link.then(|| quote!(.at_url(page_url)));
    quote! {
        self.request(Method::#http_method, #operation_id, #path)
            #(#sends)*
            #body_send
            #auth
            #at
    }
}

/// The request a call sends, and the response matched to its result.
fn request(parts: &Parts) -> TokenStream {
    let built = built_request(parts);
    let ok_arms = &parts.ok_arms;
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
    // One success status and no headers to read: the response read in the chain.
    if let (false, Some((code, read))) = (parts.has_headers, single_success(parts.op, &parts.plan.success)) {
        let read = format_ident!("{read}");
        let code = proc_macro2::Literal::u16_unsuffixed(code);
        return quote!(#built.send().await?.#read(#code));
    }
    quote! {
        let response = #built.send().await?;
        #read
    }
}

/// `events`: the request sent with the stream's media type as `Accept`, and the response read
/// as a stream of events when its status is the stream's; any other status is read in full and
/// matched to the operation's errors.
fn events_method(parts: &Parts, stream: &StreamPlan) -> TokenStream {
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
fn errors_read() -> TokenStream {
    quote!(Err(response.into_error()))
}

/// The enum of the operation's documented error responses, and its `read`, which makes one
/// from a response; or, when an earlier operation documents the same errors, another name of
/// that one's.
fn error_enum(parts: &Parts, cfg: Option<&str>) -> Piece {
    let (method_name, error_name, variants) = (parts.method_name, &parts.error_name, &parts.error_variants);
    if let Some(of) = &parts.error_of {
        let mut w = Writer::new();
        if let Some(cfg) = cfg {
            w.line(&[cfg]);
        }
        w.doc(&format!(
            " The documented error responses of [`Client::{method_name}`]: another name of [`{of}`], whose \
             operation documents the same."
        ));
        w.line(&["pub type ", &error_name.to_string(), " = ", &of.to_string(), ";"]);
        return w.finish();
    }
    let others = match parts.plan.error_type {
        ErrorType::Own { others } => others,
        ErrorType::Same { .. } => 0,
    };
    let error_doc = match (variants.is_empty(), others) {
        (true, 0) => format!(
            " [`Client::{method_name}`] documents no error responses: other statuses are `Error::UnexpectedStatus`."
        ),
        (true, n) => format!(
            " [`Client::{method_name}`] documents no error responses, nor do {n} more operations whose error types \
             are this one: other statuses are `Error::UnexpectedStatus`."
        ),
        (false, 0) => format!(" The documented error responses of [`Client::{method_name}`]."),
        (false, 1) => format!(
            " The documented error responses of [`Client::{method_name}`], and of one more operation that \
             documents the same."
        ),
        (false, n) => format!(
            " The documented error responses of [`Client::{method_name}`], and of {n} more operations that \
             document the same."
        ),
    };
    let arms = &parts.error_arms;
    let read = if variants.is_empty() {
        quote!(response.unexpected_status())
    } else {
        quote! {
            match response.status() {
                #(#arms)*
                _ => response.unexpected_status(),
            }
        }
    };
    let cfg: TokenStream = cfg.map_or_else(TokenStream::new, |c| c.parse().expect("a cfg attribute is Rust"));
    Piece::Tokens(quote! {
        #cfg
        #[doc = #error_doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #error_name {
            #(#variants)*
        }

        #cfg
        impl crate::runtime::ReadError for #error_name {
            fn read(response: crate::runtime::Response) -> Error<Self> {
                #read
            }
        }
    })
}

/// The structs of the headers documented for a success and for the errors, where there are.
fn header_structs(parts: &Parts, op_type: &str) -> TokenStream {
    let (plan, method_name) = (parts.plan, parts.method_name);
    let headers_def = parts.has_headers.then(|| {
        let doc = format!(" The headers documented for a successful [`Client::{method_name}`].");
        super::headers::headers_struct(&plan.headers, &parts.headers_name, &doc)
    });
    let error_headers_name = format_ident!("{}ErrorHeaders", op_type);
    let error_headers_def = (!plan.error_headers.is_empty()).then(|| {
        let doc = format!(
            " The headers documented for the error responses of [`Client::{method_name}`]: read them from an \
             [`ApiError`](crate::ApiError)'s `headers` with [`{error_headers_name}::read`]."
        );
        super::headers::headers_struct(&plan.error_headers, &error_headers_name, &doc)
    });
    quote!(#headers_def #error_headers_def)
}

fn method_doc(
    op: &Operation,
    required: &[Param],
    optional: &[Param],
    body_doc: Option<&str>,
    callbacks: Option<&WebhookGroup>,
) -> Vec<String> {
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
    if let Some(group) = callbacks {
        text.push_str(&callbacks_doc(group));
    }
    doc_lines(Some(&text))
}

/// Where the requests an operation registers are parsed, in its `webhooks` module.
fn callbacks_doc(group: &WebhookGroup) -> String {
    let link = |name: &str| format!("[`webhooks::{name}`]");
    let mut text = String::from(
        "\n\n# Callbacks\n\nThe API then sends requests to the URL this registers; read their bodies with ",
    );
    let functions: Vec<String> =
        group.hooks.iter().filter(|h| h.payload.is_some()).map(|h| link(&h.function)).collect();
    if functions.is_empty() {
        return String::new();
    }
    if group.has_enum {
        let parse = if group.tag.is_some() { "parse" } else { "parse_named" };
        text.push_str(&format!("{}, or ", link(&format!("{}::{parse}", group.enum_name))));
    }
    text.push_str(&functions.join(", "));
    text.push('.');
    text
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
