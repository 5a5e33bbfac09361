//! Crates generated from fixtures, driven against local HTTP servers by the tests in
//! `fixture_smoke/`, which are compiled inside them: what a documented response becomes at
//! run time, beyond what the snapshots show.

use sdkgen_tests::{cargo_in, repo_root, write_crate};

#[test]
fn documented_responses_and_tagged_unions_decode_as_documented() {
    let fixtures = repo_root().join("tests/fixtures");
    let options = sdkgen::Options {
        specs: vec![
            fixtures.join("error-responses.yaml"),
            fixtures.join("several-successes.yaml"),
            fixtures.join("tagged-unions.yaml"),
        ],
        crate_name: "fixture-smoke".into(),
        ..Default::default()
    };
    let out = repo_root().join("target").join("fixture-smoke").join("responses");
    write_crate(&options, &out);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    let dev_dependencies = "\n[dev-dependencies]\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\nwiremock = \"0.6\"\n";
    std::fs::write(out.join("Cargo.toml"), manifest + dev_dependencies).expect("writable");
    std::fs::create_dir_all(out.join("tests")).expect("tests folder");
    std::fs::copy(repo_root().join("tests/fixture_smoke/responses.rs"), out.join("tests/smoke.rs")).expect("smoke test");
    let output = cargo_in(&out, "sdk-smoke", &["test", "--test", "smoke"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("test result: ok. 8 passed"), "{stdout}");
}
