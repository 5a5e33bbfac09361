//! The generated crate's `Cargo.toml`. Its dependencies are the runtime crate's own, read from
//! `runtime/Cargo.toml`, so that the runtime is tested against exactly the versions every
//! generated crate builds with: one place to move a version forward.

use super::CrateOptions;
use crate::normalize::Model;

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
    let description = format!("Typed async client for {}", titles.join(", "));
    let mut dependencies: Vec<&str> = runtime_dependencies()
        .filter(|line| model.has_webhooks() || !WEBHOOK_ONLY.contains(&dependency_name(line)))
        .collect();
    if model.uses_uuid() {
        dependencies.push("uuid = { version = \"1\", default-features = false, features = [\"serde\", \"std\"] }");
    }
    dependencies.sort_by_key(|line| dependency_name(line));
    let dependencies = dependencies.join("\n");
    format!(
        r#"# {header}
[package]
name = "{name}"
version = "{version}"
edition = "2021"
description = {description:?}
readme = "README.md"
publish = false

[dependencies]
{dependencies}

[dev-dependencies]
# The examples (examples/*.rs){mock}.
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

[features]
# A `tracing` span per HTTP attempt: operation, method, path template, attempt and status.
tracing = ["dep:tracing"]

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
    )
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
