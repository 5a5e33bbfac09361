//! Stage 4, emit: the generated crate as token streams (and its manifest as text).
//!
//! `models` holds every model type once, shared by all APIs; each API gets a module with its
//! client, its operations and their error enums; `runtime` is copied in as written.

mod api;
mod examples;
mod models;
mod syntax;

use std::ops::Range;

use proc_macro2::TokenStream;
use quote::quote;

use crate::normalize::Model;
use syntax::{crate_ident, doc_attrs_inner, ident};

/// The runtime module's files, copied into every generated crate's `src/runtime/` as they are
/// (`runtime_files_are_all_embedded` checks that this list is the whole folder).
pub const RUNTIME: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../runtime/src/runtime/auth.rs")),
    ("body.rs", include_str!("../../runtime/src/runtime/body.rs")),
    ("error.rs", include_str!("../../runtime/src/runtime/error.rs")),
    ("mod.rs", include_str!("../../runtime/src/runtime/mod.rs")),
    ("paginate.rs", include_str!("../../runtime/src/runtime/paginate.rs")),
    ("request.rs", include_str!("../../runtime/src/runtime/request.rs")),
    ("response.rs", include_str!("../../runtime/src/runtime/response.rs")),
    ("retry.rs", include_str!("../../runtime/src/runtime/retry.rs")),
    ("string_enum.rs", include_str!("../../runtime/src/runtime/string_enum.rs")),
    ("url.rs", include_str!("../../runtime/src/runtime/url.rs")),
];

pub enum Content {
    /// Rust code, to be formatted.
    Rust(TokenStream),
    /// Text written as it is.
    Text(String),
}

pub struct CrateOptions<'a> {
    pub crate_name: &'a str,
    /// The input files, for the header of every generated file.
    pub inputs: &'a [String],
    /// Whether to write `tests/examples.rs`.
    pub example_tests: bool,
}

/// How the formatted pieces of one file are put together (by `format::assemble`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// One piece of text, written as it is.
    Text,
    /// Rust pieces, one after another.
    Concat,
    /// Rust pieces where the first ends in an `impl` block and each other begins with one: the
    /// bodies of those blocks continue the first's, and what follows them comes after it.
    SpliceImpl,
}

/// One file of the crate and the segments it is made of, in order.
pub struct FilePlan {
    /// Relative to the crate root.
    pub path: String,
    pub join: Join,
    pub segments: Vec<Segment>,
}

/// A piece of a file that is emitted and formatted on its own, so that the big files are made
/// side by side on every core and no syntax tree of a whole big file is ever held in memory.
#[derive(Clone, Debug)]
pub enum Segment {
    Manifest,
    Lib,
    /// The runtime file `RUNTIME[i]`.
    Runtime(usize),
    Rustfmt,
    /// `tests/examples.rs`.
    Examples,
    /// These model types of `models.rs`.
    Models(Range<usize>),
    /// The head of the module of `model.ir.apis[api]`.
    ApiHead {
        api: usize,
    },
    /// These operations of the module of `model.ir.apis[api]`.
    ApiOperations {
        api: usize,
        range: Range<usize>,
    },
}

impl Segment {
    /// Roughly what the segment costs to emit and format, to start the big ones first.
    pub fn weight(&self) -> usize {
        match self {
            Segment::Models(r) => r.len() * 2,
            Segment::ApiOperations { range, .. } => range.len() * 5,
            _ => 1,
        }
    }
}

/// Model types per segment of `models.rs`, and operations per segment of an API module: enough
/// segments for the cores to share the work evenly, few enough that each is worth a task.
const MODELS_PER_SEGMENT: usize = 96;
const OPERATIONS_PER_SEGMENT: usize = 40;

/// What every segment reads and that is worked out once, before they are emitted.
pub struct Prepared {
    /// The method name of each operation, per API.
    method_names: Vec<Vec<String>>,
}

pub fn prepare(model: &Model) -> Prepared {
    Prepared { method_names: model.ir.apis.iter().map(api::method_names).collect() }
}

/// Every file of the crate, and its segments.
pub fn plan(model: &Model, options: &CrateOptions) -> Vec<FilePlan> {
    let rust = |path: &str, join: Join, segments: Vec<Segment>| FilePlan { path: path.into(), join, segments };
    let chunks = |len: usize, size: usize| -> Vec<Range<usize>> {
        (0..len.max(1)).step_by(size).map(|start| start..(start + size).min(len)).collect()
    };
    let mut files = vec![rust(
        "src/models.rs",
        Join::Concat,
        chunks(model.types.len(), MODELS_PER_SEGMENT).into_iter().map(Segment::Models).collect(),
    )];
    for (i, api) in model.ir.apis.iter().enumerate() {
        let mut segments = vec![Segment::ApiHead { api: i }];
        if !api.operations.is_empty() {
            segments.extend(
                chunks(api.operations.len(), OPERATIONS_PER_SEGMENT)
                    .into_iter()
                    .map(|range| Segment::ApiOperations { api: i, range }),
            );
        }
        files.push(rust(&format!("src/{}.rs", api.module), Join::SpliceImpl, segments));
    }
    let has_examples = model.ir.apis.iter().flat_map(|a| &a.operations).any(|op| {
        op.body.as_ref().is_some_and(|b| !b.examples.is_empty()) || op.responses.iter().any(|r| !r.examples.is_empty())
    });
    if options.example_tests && has_examples {
        files.push(rust("tests/examples.rs", Join::Concat, vec![Segment::Examples]));
    }
    files.push(rust("src/lib.rs", Join::Concat, vec![Segment::Lib]));
    files.push(rust("Cargo.toml", Join::Text, vec![Segment::Manifest]));
    for (i, (name, _)) in RUNTIME.iter().enumerate() {
        files.push(rust(&format!("src/runtime/{name}"), Join::Text, vec![Segment::Runtime(i)]));
    }
    files.push(rust("rustfmt.toml", Join::Text, vec![Segment::Rustfmt]));
    files
}

pub fn emit_segment(model: &Model, options: &CrateOptions, prepared: &Prepared, segment: &Segment) -> Content {
    match segment {
        Segment::Manifest => Content::Text(manifest(model, options)),
        Segment::Lib => Content::Rust(lib_rs(model, options.crate_name)),
        Segment::Runtime(i) => Content::Text(RUNTIME[*i].1.to_string()),
        // The code is laid out by prettyplease; `cargo fmt` in a workspace that depends on the
        // crate by path would otherwise rewrite it and make `--check` fail.
        Segment::Rustfmt => Content::Text(
            "# @generated by sdkgen: this crate is regenerated, not edited.\ndisable_all_formatting = true\n".into(),
        ),
        Segment::Examples => Content::Rust(examples::examples_test(model, options.crate_name).unwrap_or_default()),
        Segment::Models(range) => Content::Rust(models::models(model, range.clone())),
        Segment::ApiHead { api } => Content::Rust(api::api_head(model, *api, options.crate_name)),
        Segment::ApiOperations { api, range } => {
            Content::Rust(api::api_operations(model, *api, &prepared.method_names[*api], range.clone()))
        }
    }
}

fn manifest(model: &Model, options: &CrateOptions) -> String {
    let titles: Vec<String> = model.ir.apis.iter().map(|a| format!("{} {}", a.title, a.version)).collect();
    let description = format!("Typed async client for {}", titles.join(", "));
    format!(
        r#"# @generated by sdkgen from {inputs}. Do not edit by hand: regenerate instead.
[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
description = {description:?}
publish = false

[dependencies]
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std"] }}
futures-util = "0.3"
httpdate = "1"
percent-encoding = "2"
reqwest = {{ version = "0.12", default-features = false, features = ["multipart", "rustls-tls"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
serde_path_to_error = "0.1"
serde_urlencoded = "0.7"
tokio = {{ version = "1", default-features = false, features = ["sync", "time"] }}
tracing = {{ version = "0.1", optional = true }}

[features]
# A `tracing` span per HTTP attempt: operation, method, path template, attempt and status.
tracing = ["dep:tracing"]

[lib]
# Descriptions from the spec may hold code in other languages, which rustdoc would try to
# compile as Rust.
doctest = false

# Its own workspace, so that the crate builds wherever it is written.
[workspace]
"#,
        inputs = options.inputs.join(", "),
        name = options.crate_name,
    )
}

fn lib_rs(model: &Model, crate_name: &str) -> TokenStream {
    let crate_name = crate_ident(crate_name);
    let mut doc = String::from("Typed async clients, generated from OpenAPI specs by sdkgen.\n\n");
    for api in &model.ir.apis {
        doc.push_str(&format!("- [`{}`]: {} {}\n", api.module, api.title, api.version));
    }
    doc.push_str(
        "\nModel types shared by several APIs are defined once, in [`models`].\n\n\
         ```no_run\n\
         # async fn demo() -> Result<(), Box<dyn std::error::Error>> {\n",
    );
    if let Some(api) = model.ir.apis.first() {
        let args: Vec<String> =
            api.server.iter().flat_map(|s| &s.variables).map(|v| format!("{:?}", v.default)).collect();
        let ctor = if api.server.as_ref().is_some_and(|s| s.is_absolute()) {
            format!(
                "{}::Client::new({}Auth::bearer(\"token\"))?",
                api.module,
                args.iter().map(|a| format!("{a}, ")).collect::<String>()
            )
        } else {
            format!("{}::Client::with_base_url(\"https://api.example.com\", Auth::bearer(\"token\"))?", api.module)
        };
        doc.push_str(&format!("use {crate_name}::{{{}, Auth}};\nlet client = {ctor};\n", api.module));
    }
    doc.push_str("# Ok(())\n# }\n```\n");
    let doc = doc_attrs_inner(&doc);
    let modules = model.ir.apis.iter().map(|a| ident(&a.module));
    quote! {
        #doc
        // Descriptions come from the spec as its authors wrote them.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::tabs_in_doc_comments)]

        pub mod models;
        #(pub mod #modules;)*
        // Every generated crate carries the whole runtime; a given spec uses only part of it.
        #[allow(dead_code, unused_imports, unused_macros)]
        mod runtime;

        pub use runtime::{
            retry_after, ApiError, Auth, ClientAuthentication, ClientCredentials, ConfigError, DecodeError, Error,
            FilePart, RawResponse, RetryPolicy, Secret, TransportError, TransportErrorKind,
        };
        /// The streams of paginated lists, and what consumes them (`next`, `collect`, ...).
        pub use futures_util::stream::{Stream, StreamExt};
        /// The HTTP client the generated clients use, for building your own `reqwest::Client`.
        pub use reqwest;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn runtime_files_are_all_embedded() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/src/runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(folder)
            .expect("the runtime folder")
            .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = super::RUNTIME.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, embedded, "list every file of {folder} in emit::RUNTIME, in order");
    }
}
