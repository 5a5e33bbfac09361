//! One operation: its method, the call it returns (setters, `send`, `IntoFuture`, `stream`),
//! and its enum of documented errors.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::super::expr::Expr;
use super::super::layout::{Depth, Piece, Writer};
use super::super::syntax::{allow_many_arguments, cfg_attr, doc_lines, gate, ident};
use super::pagination::stream;
use super::params::{param, request_body, Arg, Param};
use super::responses::{error_variants, success_enum, success_type_source};
use super::send::{events_method, send_methods};
use crate::ir::Operation;

use crate::normalize::{ErrorType, Model, OperationPlan, PageStyle, Success, WebhookGroup};

/// The parameters of a call, in the method's order, with the identifiers normalize gave them.
pub fn call_params(model: &Model, op: &Operation, plan: &OperationPlan) -> Vec<Param> {
    plan.ordered(op).into_iter().zip(&plan.param_idents).map(|(p, name)| param(model, p, name.clone())).collect()
}

/// What the pieces of one operation's code share: its names, its parameters in the method's
/// order, its body, what it returns and how a response is matched.
pub(super) struct Parts<'m> {
    pub(super) model: &'m Model,
    pub(super) op: &'m Operation,
    pub(super) plan: &'m OperationPlan,
    pub(super) method_name: &'m str,
    pub(super) builder: Ident,
    pub(super) error_name: Ident,
    pub(super) headers_name: Ident,
    pub(super) params: Vec<Param>,
    /// Where the optional parameters start in `params`.
    pub(super) optional_start: usize,
    /// The required arguments of the method, the body last: name and type (as a call's
    /// fields, borrowing for `'a`).
    pub(super) arguments: Vec<(Ident, String)>,
    /// The body's argument type, how it is sent, and its description.
    pub(super) body: Option<(Arg, Expr, Option<String>)>,
    /// What `send` returns on success (its source text).
    pub(super) ok_type: String,
    /// The variants of the error enum, and the `match` arms that make them (none when the enum
    /// is another operation's).
    pub(super) error_variants: Vec<TokenStream>,
    pub(super) error_arms: Vec<TokenStream>,
    /// The error enum this operation's names, when it is another operation's (which documents
    /// the same errors).
    pub(super) error_of: Option<Ident>,
    /// Whether a success documents headers (`send_with_headers`).
    pub(super) has_headers: bool,
    /// Whether the operation pages by `Link` headers (its `send_at`).
    pub(super) link: bool,
}

impl Parts<'_> {
    pub(super) fn required(&self) -> &[Param] {
        &self.params[..self.optional_start]
    }

    pub(super) fn optional(&self) -> &[Param] {
        &self.params[self.optional_start..]
    }

    /// `#[deprecated]` on what a deprecated operation defines.
    pub(super) fn deprecated(&self) -> Option<TokenStream> {
        self.op.deprecated.then(|| quote!(#[deprecated]))
    }
}

/// Where an operation's code goes, and the `#[cfg]` lines of its parts (when a feature gates
/// them): its method, its error enum (which other operations may name), the rest.
pub struct Out<'w> {
    /// The body of `impl Client`, for the method.
    pub methods: &'w mut Writer,
    pub features: Option<&'w [String]>,
    pub error_features: Option<&'w [String]>,
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
) -> Vec<Piece> {
    let names = &plan.names;
    let op_type = &names.types;
    let error_name = format_ident!("{}Error", op_type);
    let success_name = format_ident!("{}Success", op_type);
    let ok_type = match &plan.success {
        Success::ByStatus(_) => success_name.to_string(),
        success => success_type_source(model, success),
    };
    // An operation whose errors are another's names that one's enum: it needs no variants.
    let (error_variants, error_arms) =
        if error_of.is_some() { (Vec::new(), Vec::new()) } else { error_variants(model, op) };
    let params = call_params(model, op, plan);
    let body = op.body.as_ref().map(|b| request_body(model, b));
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
        error_variants,
        error_arms,
        has_headers: !plan.headers.is_empty(),
        link: matches!(plan.pagination.as_ref().map(|p| &p.style), Some(PageStyle::Link { .. })),
        error_name,
        error_of: error_of.map(|name| format_ident!("{}Error", name)),
    };
    let success_enum = match &plan.success {
        Success::ByStatus(cases) => success_enum(model, op, cases, &success_name, &names.method),
        _ => TokenStream::new(),
    };
    method(out.methods, out.features, &parts, callbacks);
    let error = error_enum(&parts, out.error_features);
    let headers = header_structs(&parts, op_type);
    let cfg = cfg_attr(out.features);
    let types = gate(&cfg, quote! { #success_enum #headers });
    vec![error, Piece::Tokens(types), call_struct(&parts, out.features)]
}

/// The method of `Client`: it takes the required parameters and the body, and returns a call,
/// so that a parameter the spec adds later is a new setter and no call written today stops
/// compiling.
fn method(w: &mut Writer, cfg: Option<&[String]>, parts: &Parts, callbacks: Option<&WebhookGroup>) {
    w.cfg(cfg);
    let body_doc = parts.body.as_ref().and_then(|(_, _, d)| d.as_deref());
    w.doc_lines(&method_doc(parts.op, parts.required(), parts.optional(), body_doc, callbacks));
    if parts.op.deprecated {
        w.line(&["#[deprecated]"]);
    }
    if let Some(allow) = allow_many_arguments(1 + parts.optional_start + usize::from(parts.body.is_some())) {
        w.line(&[allow]);
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
fn call_struct(parts: &Parts, cfg: Option<&[String]>) -> Piece {
    let (model, builder, method_name) = (parts.model, &parts.builder, parts.method_name);
    let mut w = Writer::new();
    w.cfg(cfg);
    w.open_macro("crate::runtime::call");
    w.doc(&format!(
        " A call of [`Client::{method_name}`]: `.await` it, or [`send`]({builder}::send) it{}{}.",
        if parts.optional().is_empty() { "" } else { ", after setting any of its optional parameters" },
        if parts.plan.pagination.is_some() {
            format!("; [`stream`]({builder}::stream) reads every page")
        } else {
            String::new()
        }
    ));
    let builder = builder.to_string();
    if parts.arguments.is_empty() && parts.optional().is_empty() {
        w.line(&["pub struct ", &builder, "<'a> {}"]);
    } else {
        w.open(&["pub struct ", &builder, "<'a> {"]);
        for (i, t) in &parts.arguments {
            w.line(&[&i.to_string(), ": ", t, ","]);
        }
        for p in parts.optional() {
            let doc = match one_line(&p.doc) {
                d if d.is_empty() => format!("`{}`", p.wire),
                d => format!("`{}`: {d}", p.wire),
            };
            w.doc_lines(&doc_lines(Some(&doc)));
            let inner = p.arg.without_option().source(model, Some("'a"));
            w.line(&[&p.ident.to_string(), ": Option<", &inner, ">,"]);
        }
        w.close(&["}"]);
    }
    w.open(&["impl<'a> ", &builder, "<'a> {"]);
    send_methods(&mut w, parts);
    if let Some(s) = &parts.plan.stream {
        w.nested(events_method(parts, s), Depth::ImplItems);
    }
    if let Some(pagination) = &parts.plan.pagination {
        let stream = stream(model, parts.op, parts.plan, pagination, method_name, &parts.params, &parts.error_name);
        w.nested(stream, Depth::ImplItems);
    }
    w.close(&["}"]);
    w.close_macro();
    w.finish()
}

/// The enum of the operation's documented error responses, and its `read`, which makes one
/// from a response; or, when an earlier operation documents the same errors, another name of
/// that one's.
fn error_enum(parts: &Parts, cfg: Option<&[String]>) -> Piece {
    let (method_name, error_name, variants) = (parts.method_name, &parts.error_name, &parts.error_variants);
    if let Some(of) = &parts.error_of {
        let mut w = Writer::new();
        w.cfg(cfg);
        w.doc(&format!(
            " The documented error responses of [`Client::{method_name}`]: another name of [`{of}`], whose \
             operation documents the same."
        ));
        w.unbreakable(&["pub type ", &error_name.to_string(), " = ", &of.to_string(), ";"]);
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
    let cfg = cfg_attr(cfg);
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
