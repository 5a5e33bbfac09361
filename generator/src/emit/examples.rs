//! `tests/examples.rs`: the spec's own examples as test data. Each example of a JSON request or
//! response body becomes a test that decodes it into the type the client uses for that body, so
//! a spec whose examples and schemas disagree (or a generator that models a schema wrongly)
//! shows up as a failing test that names the example's file and JSON pointer.

use std::collections::HashSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::syntax::{crate_ident, ident, type_tokens};
use crate::ir::{BodyEncoding, Example, NodeId, ResponseBody};
use crate::naming::{snake, Uniquer};
use crate::normalize::{Model, RustType};

/// The test file, or `None` when the specs give no example of a JSON body.
pub fn examples_test(model: &Model, crate_name: &str) -> Option<TokenStream> {
    let krate = ident(&crate_ident(crate_name));
    let models_path = format!("{krate}::models::");
    let mut names = Uniquer::with_taken(["decodes"]);
    // An example shared through components (one error response used by many operations) is
    // decoded once per type it is decoded into.
    let mut seen: HashSet<(String, RustType)> = HashSet::new();
    let mut tests = Vec::new();
    for api in &model.ir.apis {
        for op in &api.operations {
            let mut bodies: Vec<(String, NodeId, &[Example])> = Vec::new();
            if let Some(b) = op.body.as_ref().filter(|b| b.encoding == BodyEncoding::Json) {
                bodies.push(("request".into(), b.schema, &b.examples));
            }
            for r in &op.responses {
                if let ResponseBody::Json(node) = r.body {
                    bodies.push((r.status.to_string(), node, &r.examples));
                }
            }
            for (role, node, examples) in bodies {
                let rust_type = model.rust_type(node);
                // File parts are not JSON: such a body has no JSON example to decode.
                if rust_type.holds_file() {
                    continue;
                }
                let ty = type_tokens(model, &rust_type, &models_path);
                for example in examples {
                    let site = example.site.to_string();
                    if !seen.insert((site.clone(), rust_type.clone())) {
                        continue;
                    }
                    // `v3_list_accounts_200`, and the example's key when it says more.
                    let mut name = format!("{} {} {role}", api.module, op.id);
                    if example.name != "example" && example.name != role {
                        name = format!("{name} {}", example.name);
                    }
                    let name = ident(&names.claim(snake(&name)));
                    let json = raw_string(&example.json);
                    tests.push(quote! {
                        #[test]
                        fn #name() {
                            let site = #site;
                            let json = #json;
                            decodes::<#ty>(site, json);
                        }
                    });
                }
            }
        }
    }
    if tests.is_empty() {
        return None;
    }
    // Every operation and type is there only with every feature on.
    let all_features = model.features.gate().then(|| quote!(#![cfg(feature = "all")]));
    Some(quote! {
        //! Every example the specs give for a JSON request or response body, decoded into the
        //! type the client uses for that body. A failure names the example's file and JSON
        //! pointer, and where in the example decoding stopped.
        #all_features

        /// Decodes `json` as a `T`, or fails saying where and why.
        #[track_caller]
        fn decodes<T: serde::de::DeserializeOwned>(site: &str, json: &str) {
            let mut deserializer = serde_json::Deserializer::from_str(json);
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                let ty = std::any::type_name::<T>();
                let (at, why) = (e.path().to_string(), e.inner());
                panic!("the example at {site} does not decode as {ty}: {why} (at `{at}`)");
            }
        }

        #(#tests)*
    })
}

/// `json` as a raw string literal, with enough `#`s that nothing inside can end it.
fn raw_string(json: &str) -> Literal {
    let mut hashes = 1;
    while json.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let hashes = "#".repeat(hashes);
    format!("r{hashes}\"{json}\"{hashes}").parse().expect("a raw string literal parses")
}
