//! `tests/mock_server.rs` (`--mock-tests`): one test per operation that makes its call from
//! values that fit the spec's schemas (its examples where it gives them; see
//! `normalize::samples`), with every optional parameter set so that their styles are sent too,
//! and placeholder credentials for every scheme, sends it to a validating mock server (Prism)
//! and asserts that the answer is documented and decodes. A server that validates requests
//! refuses anything the spec does not say it reads, so each test checks the call's bytes.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::api::{call_params, credential_setters, Arg};
use super::syntax::{crate_ident, ident};
use crate::ir::{Api, Operation, RequestBody, SchemeKind};
use crate::naming::{snake, Uniquer};
use crate::normalize::{Model, OperationPlan, RustType};

pub fn mock_tests(model: &Model, crate_name: &str) -> TokenStream {
    let krate = ident(&crate_ident(crate_name));
    let several = model.ir.apis.len() > 1;
    let mut names = Uniquer::with_taken(["decode", "documented", "base_url", "example_or"]);
    let mut clients = Vec::new();
    let mut tests = Vec::new();
    let mut helpers = Helpers::default();
    for (a, api) in model.ir.apis.iter().enumerate() {
        let module = ident(&api.module);
        let client_fn = ident(&names.claim(format!("{}_client", api.module)));
        let variable = if several {
            format!("MOCK_SERVER_URL_{}", api.module.to_ascii_uppercase())
        } else {
            "MOCK_SERVER_URL".to_string()
        };
        let credentials = credentials(api, &krate, &module);
        clients.push(quote! {
            fn #client_fn() -> #krate::#module::Client {
                #krate::#module::Client::with_base_url(base_url(#variable), #credentials)
                    .expect("a client for the mock server")
            }
        });
        for (i, op) in api.operations.iter().enumerate() {
            let plan = model.operation(a, i);
            let test = ident(&names.claim(snake(&format!("{} {}", api.module, op.id))));
            tests.push(operation_test(model, op, plan, &test, &client_fn, &mut helpers));
        }
    }
    let helpers = file_helpers(&helpers);
    // Every operation and type is there only with every feature on.
    let all_features = model.features.gate().then(|| quote!(#![cfg(feature = "all")]));
    quote! {
        //! One test per operation against a validating mock server: the call made from values
        //! that fit the spec's schemas, every optional parameter set, placeholder credentials
        //! for every scheme. The server's URL is in `MOCK_SERVER_URL` (with several APIs,
        //! `MOCK_SERVER_URL_{MODULE}`). A request the server finds wrong is answered with an
        //! error status naming what is wrong, and fails its test.
        #all_features

        use #krate::{reqwest, Error};

        #helpers

        #(#clients)*

        #(#tests)*
    }
}

/// The test of one operation: its call, made from the spec's examples or from values made
/// to fit, every optional parameter set, sent to the mock server.
fn operation_test(
    model: &Model,
    op: &Operation,
    plan: &OperationPlan,
    test: &Ident,
    client_fn: &Ident,
    helpers: &mut Helpers,
) -> TokenStream {
    let (ordered, optional_start) = (plan.ordered(op), plan.optional_start);
    let params = call_params(model, op, plan);
    let method = ident(&plan.names.method);
    let mut args: Vec<TokenStream> = params[..optional_start]
        .iter()
        .zip(&ordered)
        .map(|(p, ir)| expression(&p.arg, &model.sample_parameter(ir.schema), helpers))
        .collect();
    if let Some(body) = &op.body {
        args.push(body_expression(model, body, helpers));
    }
    let setters: Vec<TokenStream> = params[optional_start..]
        .iter()
        .zip(&ordered[optional_start..])
        .map(|(p, ir)| {
            let setter = &p.ident;
            let value = expression(p.arg.without_option(), &model.sample_parameter(ir.schema), helpers);
            quote!(.#setter(#value))
        })
        .collect();
    let has_success = op.successes().next().is_some();
    let doc = format!(" `{} {}` (`{}`)", op.method.as_upper(), op.path, op.id);
    // A deprecated operation is still served, so it is tested, on purpose.
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = #doc]
        #allow
        #[tokio::test]
        async fn #test() {
            let client = #client_fn();
            let result = client.#method(#(#args),*) #(#setters)* .send().await;
            documented(result, #has_success);
        }
    }
}

/// The body argument: the spec's own example of the body where it gives one that the body's
/// type reads (the example tests say which do not), else a value made to fit.
fn body_expression(model: &Model, body: &RequestBody, helpers: &mut Helpers) -> TokenStream {
    let sample = model.sample_body(body);
    let example = body.examples.first().and_then(|e| serde_json::from_str::<Value>(&e.json).ok());
    let arg = super::api::body_arg(model, body);
    match (example, &arg) {
        (Some(example), Arg::Ref(_)) => {
            helpers.example_or = true;
            let (example, sample) = (example.to_string(), sample.to_string());
            quote!(&example_or(#example, #sample))
        }
        (Some(example), Arg::Option(inner)) if matches!(**inner, Arg::Ref(_)) => {
            helpers.example_or = true;
            let (example, sample) = (example.to_string(), sample.to_string());
            quote!(Some(&example_or(#example, #sample)))
        }
        _ => expression(&arg, &sample, helpers),
    }
}

/// The functions every test shares: the server's URL, the helpers the tests call (each only
/// where one does, so the file compiles without dead code), and the check of the answer.
/// It is long because it is their code, quoted whole.
fn file_helpers(helpers: &Helpers) -> TokenStream {
    let decode = (helpers.decode || helpers.example_or).then(|| {
        quote! {
            /// A value made to fit its schema, as the type the call takes.
            #[track_caller]
            fn decode<T: serde::de::DeserializeOwned>(json: &str) -> T {
                serde_json::from_str(json).unwrap_or_else(|e| {
                    panic!("{json} does not decode as {}: {e}", std::any::type_name::<T>())
                })
            }
        }
    });
    let example_or = helpers.example_or.then(|| {
        quote! {
            /// The spec's example when the type reads it, else the value made to fit the schema.
            #[track_caller]
            fn example_or<T: serde::de::DeserializeOwned>(example: &str, sample: &str) -> T {
                serde_json::from_str(example).unwrap_or_else(|_| decode(sample))
            }
        }
    });
    quote! {
        fn base_url(variable: &str) -> String {
            std::env::var(variable)
                .or_else(|_| std::env::var("MOCK_SERVER_URL"))
                .unwrap_or_else(|_| panic!("set {variable} to the mock server's URL"))
        }

        #decode

        #example_or

        /// The call was answered with a documented success (or, for an operation that
        /// documents none, a documented error), decoded into its type. Prism names what it
        /// finds wrong in `sl-violations` (and, with `--errors`, in its error body): a request
        /// it refused fails as such; an answer it refused (made from the spec's example, but
        /// not fitting the spec's schema) or one that does not decode fails as the answer's.
        #[track_caller]
        fn documented<T, E: std::fmt::Debug>(result: Result<T, Error<E>>, has_success: bool) {
            let (status, headers, body) = match result {
                Ok(_) => return,
                Err(Error::Api(e)) => (e.status, e.headers, format!("{:?}", e.body)),
                Err(Error::UnexpectedStatus(r)) => (r.status, r.headers, r.body),
                // Prism's own error body (its violations) where the spec documents another.
                Err(Error::Decode(d)) if d.body.contains("stoplight.io/prism/errors#") => {
                    (d.status, reqwest::header::HeaderMap::new(), d.body.clone())
                }
                Err(Error::Decode(d)) => panic!("the answer does not decode: {}", Error::<E>::Decode(d)),
                Err(e) => panic!("{e}"),
            };
            let violations = headers.get("sl-violations").and_then(|v| v.to_str().ok()).unwrap_or("");
            // Where each violation is (`request` or `response`), read from Prism's error body
            // or the header; past a limit Prism writes "Too many violations! [...]", cut short,
            // so the list is scanned rather than parsed.
            let scan = |text: &str| -> Vec<String> {
                // An entry cut short has no closing quote: it says nothing.
                text.split("\"location\":[\"")
                    .skip(1)
                    .filter_map(|rest| rest.split_once('"').map(|(location, _)| location.to_string()))
                    .collect()
            };
            let in_body = if body.contains("stoplight.io/prism/errors#") { scan(&body) } else { Vec::new() };
            let locations = if in_body.is_empty() { scan(violations) } else { in_body };
            // The spec's own `Accept` parameter asks for a media type its responses do not
            // list: the request is what the spec says; no answer in the spec fits it.
            if body.contains("errors#NOT_ACCEPTABLE") {
                panic!("the answer does not exist in the spec for the Accept it asks for ({status}): {body}");
            }
            if !locations.is_empty() && locations.iter().all(|l| l == "response") {
                panic!("the answer does not fit the spec ({status}): {body}");
            }
            if !violations.is_empty() || !locations.is_empty() {
                panic!("the request was refused ({status}): {violations} {body}");
            }
            // Prism checks the request before it makes the answer, and found nothing wrong: a
            // 500 of its own (a problem document, which the spec's error type may have read) is
            // an answer it could not make (`SCHEMA_TOO_COMPLEX`).
            let problem = headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/problem+json"));
            if body.contains("errors#SCHEMA_TOO_COMPLEX") || (problem && status.as_u16() == 500) {
                panic!("the answer does not exist: the mock server could not make one from the spec's schema ({status}): {body}");
            }
            if !has_success {
                return;
            }
            panic!("the mock server answered {status}: {body}");
        }
    }
}

/// The client's credentials: a placeholder for every scheme of the spec.
fn credentials(api: &Api, krate: &proc_macro2::Ident, module: &proc_macro2::Ident) -> TokenStream {
    if api.schemes.is_empty() {
        return quote!(#krate::Auth::None);
    }
    let setters = credential_setters(api).into_iter().map(|(method, scheme)| {
        let method = ident(&method);
        match scheme.kind {
            SchemeKind::Basic => quote!(.#method("mock-user", "mock-password")),
            SchemeKind::ApiKey { .. } => quote!(.#method("mock-key")),
            _ => quote!(.#method("mock-token")),
        }
    });
    quote!(#krate::#module::Credentials::new() #(#setters)*)
}

/// Which helpers of the file the tests call.
#[derive(Default)]
struct Helpers {
    decode: bool,
    example_or: bool,
}

/// The Rust expression of `sample` as an argument of type `arg`.
fn expression(arg: &Arg, sample: &Value, helpers: &mut Helpers) -> TokenStream {
    match arg {
        Arg::Str => {
            let text = match sample {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            quote!(#text)
        }
        Arg::Bytes => {
            let text = match sample {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let bytes = Literal::byte_string(text.as_bytes());
            quote!(#bytes.to_vec())
        }
        Arg::Value(_) => {
            helpers.decode = true;
            let json = sample.to_string();
            quote!(decode(#json))
        }
        // A free-form multipart body (any object) whose schema is something else.
        Arg::Ref(RustType::JsonObject) if !sample.is_object() => {
            helpers.decode = true;
            quote!(&decode("{}"))
        }
        Arg::Ref(_) => {
            helpers.decode = true;
            let json = sample.to_string();
            quote!(&decode(#json))
        }
        Arg::Slice(item) => {
            let items: Vec<Value> = match sample {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            let items: Vec<TokenStream> = items.iter().map(|i| expression(item, i, helpers)).collect();
            quote!(&[#(#items),*])
        }
        // Only an optional body is an `Option` the method itself takes; setters take the
        // value inside.
        Arg::Option(inner) => {
            let inner = expression(inner, sample, helpers);
            quote!(Some(#inner))
        }
    }
}
