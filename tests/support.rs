//! Helpers shared by the integration tests. The README is included below so that its example
//! is compiled as a doctest.
#![doc = include_str!("../README.md")]

use std::path::{Path, PathBuf};

use sdkgen::{Generated, Options};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the repository").to_path_buf()
}

/// The options `cargo xtask gen` uses for `generated/`.
pub fn seed_options() -> Options {
    let specs = repo_root().join("specs");
    Options {
        specs: vec![specs.join("v3.yaml"), specs.join("beta.yaml")],
        names: Some(specs.join("names.yaml")),
        crate_name: "sailpoint".into(),
    }
}

/// Options for one spec file on its own, without a names overlay.
pub fn options_for(spec: &Path) -> Options {
    Options { specs: vec![spec.to_path_buf()], names: None, crate_name: "fixture".into() }
}

pub fn generate(options: &Options) -> Generated {
    sdkgen::generate(options).unwrap_or_else(|e| panic!("generation failed: {e}"))
}

/// The report as JSON without its timings, which vary from run to run.
pub fn stable_report(generated: &Generated) -> serde_json::Value {
    let mut report = serde_json::to_value(&generated.report).expect("reports serialize");
    report.as_object_mut().expect("an object").remove("timings_ms");
    report
}

/// The generated Rust sources that depend on the spec (not the runtime, which is copied as is,
/// and not lib.rs), each under a `// ---- path` line.
pub fn spec_sources(generated: &Generated) -> String {
    generated
        .files
        .iter()
        .filter(|f| f.path.ends_with(".rs") && f.path != "src/runtime.rs" && f.path != "src/lib.rs")
        .map(|f| format!("// ---- {}\n{}", f.path, f.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes the generated files below `dir`.
pub fn write_to(generated: &Generated, dir: &Path) {
    sdkgen::write::write(dir, &generated.files).unwrap_or_else(|e| panic!("writing failed: {e}"));
}
