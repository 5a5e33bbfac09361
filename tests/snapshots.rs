//! Snapshots of what the generator emits: one pair per fixture spec in `fixtures/` (so a new
//! case is a new file), and the normalization report of the seed specs. `generated/` itself is
//! pinned by `cargo xtask gen --check`, so its code is not snapshotted again here.

use sdkgen_tests::{generate, options_for, seed_options, spec_sources, stable_report};

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.yaml", snapshot_fixture);
}

/// Specs kept in several files: one folder per spec in `fixtures/multi-file/`, its root file at
/// the top, the files it refers to in folders below.
#[test]
fn multi_file_fixtures() {
    insta::glob!("fixtures/multi-file/*/*.{yaml,json}", snapshot_fixture);
}

/// OpenAPI 3.1 and 3.2 documents: one per form that 3.1 changed.
#[test]
fn openapi31_fixtures() {
    insta::glob!("fixtures/openapi31/*.yaml", snapshot_fixture);
}

fn snapshot_fixture(path: &std::path::Path) {
    let generated = generate(&options_for(path));
    let report = stable_report(&generated);
    let folding = serde_json::json!({
        "types": report["types"],
        "model_types": report["model_types"],
        "aliases": report["aliases"],
        "warnings": report["warnings"],
        "skipped": report["skipped"],
    });
    insta::assert_json_snapshot!("fixture_model_types", folding);
    insta::assert_snapshot!("fixture_generated_code", spec_sources(&generated));
}

#[test]
fn seed_normalization_report() {
    let generated = generate(&seed_options());
    insta::assert_json_snapshot!("seed_normalization_report", stable_report(&generated));
}

/// The README and manifest of one crate with features, a callback, pagination and several
/// schemes: what a user reads first, pinned as text (the other fixtures' are checked by
/// compiling their examples and by `cargo doc`).
#[test]
fn readme_and_manifest_of_a_fixture_crate() {
    let fixtures = sdkgen_tests::repo_root().join("tests/fixtures");
    let options = sdkgen::Options {
        specs: vec![fixtures.join("tags.yaml"), fixtures.join("security-schemes.yaml")],
        crate_name: "fixture-readme".into(),
        env_prefix: Some("ACME".into()),
        ..options_for(&fixtures.join("tags.yaml"))
    };
    let generated = generate(&options);
    let file = |name: &str| {
        generated.files.iter().find(|f| f.path == name).map(|f| f.text.clone()).unwrap_or_else(|| panic!("{name}"))
    };
    insta::assert_snapshot!("fixture_readme", file("README.md"));
    insta::assert_snapshot!("fixture_manifest", file("Cargo.toml"));
}
