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

/// `../shared/specs`, the real SailPoint specs, read by path. When the folder is absent the
/// test says it is skipped and passes, unless `REQUIRE_SHARED=1` (as in CI), when it fails.
pub fn shared_specs(test: &str) -> Option<PathBuf> {
    let dir = repo_root().parent().expect("the repository has a parent folder").join("shared").join("specs");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("{test}: {} is missing and REQUIRE_SHARED=1", dir.display());
    }
    eprintln!("{test}: skipped: {} is absent", dir.display());
    None
}

/// The crates generated from the real specs: name, and spec files in `../shared/specs`.
pub const FULL_CRATES: &[(&str, &[&str])] = &[
    ("v3-bundled", &["sailpoint-v3.yaml"]),
    ("v3-inlined", &["sailpoint-v3.inlined.json"]),
    ("beta-bundled", &["sailpoint-beta.yaml"]),
    ("beta-inlined", &["sailpoint-beta.inlined.json"]),
    ("v3-and-beta", &["sailpoint-v3.yaml", "sailpoint-beta.yaml"]),
];

pub fn full_options(dir: &Path, name: &str, files: &[&str]) -> Options {
    Options { specs: files.iter().map(|f| dir.join(f)).collect(), names: None, crate_name: name.to_string() }
}

/// Writes the crate `options` generate outside the workspace and asserts that it builds on its
/// own with no warnings and no clippy findings (`-D warnings`). Its own target folder,
/// `target/sdk-check`, keeps the dependencies built between runs.
pub fn assert_builds_cleanly(options: &Options, name: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join(name);
    write_to(&generate(options), &out);
    // The workspace's lock file pins the same dependency versions the tests build against.
    std::fs::copy(repo_root().join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", repo_root().join("target").join("sdk-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{name} does not build cleanly:\n{}", String::from_utf8_lossy(&output.stderr));
}
