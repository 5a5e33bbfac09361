//! The generated crate's `Cargo.toml`. Its dependencies are the runtime crate's own, read from
//! `runtime/Cargo.toml`, so that the runtime is tested against exactly the versions every
//! generated crate builds with: one place to move a version forward.

use super::CrateOptions;
use crate::normalize::Model;
use crate::package::{toml_array, toml_string, Package, RUST_VERSION};

/// The runtime crate's manifest, whose `[dependencies]` the generated crate takes.
const RUNTIME_MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The runtime's dependencies that only `src/webhook.rs` uses, copied into a crate only with it.
pub const WEBHOOK_ONLY: &[&str] = &["hmac", "sha2"];

/// The `[dependencies]` lines of the runtime's manifest (`name = ...`), in its order.
pub fn runtime_dependencies() -> impl Iterator<Item = &'static str> {
    let mut in_section = false;
    RUNTIME_MANIFEST.lines().filter(move |line| {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[dependencies]";
            return false;
        }
        in_section && !line.is_empty() && !line.starts_with('#')
    })
}

/// The name a `[dependencies]` line gives.
pub fn dependency_name(line: &str) -> &str {
    line.split('=').next().unwrap_or_default().trim()
}

pub fn manifest(model: &Model, options: &CrateOptions) -> String {
    let titles: Vec<String> = model.ir.apis.iter().map(|a| format!("{} {}", a.title, a.version)).collect();
    let description =
        options.package.description.clone().unwrap_or_else(|| format!("Typed async client for {}", titles.join(", ")));
    let mut dependencies: Vec<&str> = runtime_dependencies()
        .filter(|line| model.has_webhooks() || !WEBHOOK_ONLY.contains(&dependency_name(line)))
        .collect();
    if model.uses_uuid() {
        dependencies.push("uuid = { version = \"1\", default-features = false, features = [\"serde\", \"std\"] }");
    }
    dependencies.sort_by_key(|line| dependency_name(line));
    let dependencies = dependencies.join("\n");
    let features = features(model);
    let examples = examples(model, options);
    format!(
        r#"# {header}
[package]
name = "{name}"
version = "{version}"
edition = "2021"
# The newest Rust version the dependencies need; CI builds the crate with it.
rust-version = "{rust_version}"
description = {description}
{package}readme = "README.md"
{publish}
[dependencies]
{dependencies}

[dev-dependencies]
# The examples (examples/*.rs){mock}.
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

[features]
{features}# A `tracing` span per HTTP attempt: operation, method, path template, attempt and status.
tracing = ["dep:tracing"]
{examples}
[lib]
# Descriptions from the spec may hold code in other languages, which rustdoc would try to
# compile as Rust.
doctest = false

[package.metadata.docs.rs]
all-features = true

# Its own workspace, so that the crate builds wherever it is written.
[workspace]
"#,
        header = options.header(),
        mock = if options.mock_tests { " and the mock server tests (tests/mock_server.rs)" } else { "" },
        name = options.crate_name,
        version = options.version,
        rust_version = RUST_VERSION,
        description = toml_string(&description),
        package = package_lines(options.package),
        publish = if options.package.publish == Some(true) { "" } else { "publish = false\n" },
    )
}

/// The `[package]` keys the user gave, in Cargo's order.
fn package_lines(package: &Package) -> String {
    let mut out = String::new();
    let texts = [
        ("license", &package.license),
        ("repository", &package.repository),
        ("homepage", &package.homepage),
        ("documentation", &package.documentation),
    ];
    for (key, value) in texts {
        if let Some(value) = value {
            out.push_str(&format!("{key} = {}\n", toml_string(value)));
        }
    }
    let lists = [("authors", &package.authors), ("keywords", &package.keywords), ("categories", &package.categories)];
    for (key, values) in lists {
        if !values.is_empty() {
            out.push_str(&format!("{key} = {}\n", toml_array(values)));
        }
    }
    out
}

/// `default`, `all`, a feature per API turning on its tags' features, and one per tag.
fn features(model: &Model) -> String {
    if !model.features.gate() {
        return String::new();
    }
    let quoted = |names: &mut dyn Iterator<Item = &String>| -> String {
        names.map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
    };
    let mut out = String::from(
        "# Every API and tag; with `default-features = false`, name the ones you use and only\n\
         # their operations and the model types those reach are compiled.\n\
         default = [\"all\"]\n",
    );
    out.push_str(&format!("all = [{}]\n", quoted(&mut model.features.apis.iter().map(|a| &a.name))));
    for api in &model.features.apis {
        out.push_str(&format!("{} = [{}]\n", api.name, quoted(&mut api.tags.iter().map(|(f, _)| f))));
        for (feature, tags) in &api.tags {
            let about = if tags.is_empty() {
                "operations without a tag".to_string()
            } else {
                tags.join(", ").replace(['\n', '\r'], " ")
            };
            out.push_str(&format!("# {about}\n{feature} = []\n"));
        }
    }
    out.push('\n');
    out
}

/// An `[[example]]` per API whose example calls an operation, needing a feature of its.
fn examples(model: &Model, options: &CrateOptions) -> String {
    (0..model.ir.apis.len())
        .filter_map(|a| {
            let feature = super::readme::example_feature(model, a, options.crate_name)?;
            Some(format!("\n[[example]]\nname = {:?}\nrequired-features = [{feature:?}]\n", model.ir.apis[a].module))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_manifest_has_every_dependency_a_crate_needs() {
        let names: Vec<&str> = runtime_dependencies().map(dependency_name).collect();
        for needed in ["reqwest", "serde", "serde_json", "tokio", "futures-util", "chrono", "tracing"] {
            assert!(names.contains(&needed), "{needed} in {names:?}");
        }
        for only in WEBHOOK_ONLY {
            assert!(names.contains(only), "{only} in {names:?}");
        }
        assert!(runtime_dependencies().all(|line| line.contains('=')), "one dependency per line");
    }
}
