//! The crates generated from SailPoint's full V3 and Beta specs, with their example tests
//! (`--example-tests`), and driven against local HTTP servers by the tests in `full_smoke/`,
//! which are compiled inside those crates.
//!
//! V3 (`smoke.rs`): a list with query parameters, a get with an error status, a JSON Patch, a
//! multipart upload, a text download, a rate limit, streams, auth, retries and timeouts.
//! Beta (`beta_smoke.rs`): hostile query and header values, checked on the raw request.

use std::path::PathBuf;

use sdkgen_tests::{
    assert_only_known_example_defects, cargo_in, full_options, repo_root, run_example_tests, shared_specs, write_crate,
};

/// Generates the crate of `spec` with its example tests and the smoke test `smoke` added, into
/// a fixed folder under target/ so that reruns reuse the build.
fn full_crate(dir: &std::path::Path, name: &str, spec: &str, smoke: &str) -> PathBuf {
    let out = repo_root().join("target").join("full-smoke").join(name);
    let options = sdkgen::Options { example_tests: true, ..full_options(dir, name, &[spec]) };
    write_crate(&options, &out);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    let dev_dependencies = "\n[dev-dependencies]\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\nwiremock = \"0.6\"\n";
    if !manifest.contains("[dev-dependencies]") {
        std::fs::write(out.join("Cargo.toml"), manifest + dev_dependencies).expect("writable");
    }
    std::fs::copy(repo_root().join("tests/full_smoke").join(smoke), out.join("tests/smoke.rs")).expect("smoke test");
    out
}

fn run_smoke(out: &std::path::Path, expected: usize) {
    let output = cargo_in(out, "sdk-smoke", &["test", "--test", "smoke"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains(&format!("test result: ok. {expected} passed")), "{stdout}");
}

/// Generates the crate of `spec`, checks that its examples decode but for the listed spec
/// defects (`expected`: how many decode, how many do not), then runs its smoke tests.
fn examples_and_smoke(test: &str, name: &str, spec: &str, smoke: &str, expected: (usize, usize), smoke_tests: usize) {
    let Some(dir) = shared_specs(test) else { return };
    let out = full_crate(&dir, name, spec, smoke);
    let run = run_example_tests(&out, "sdk-smoke");
    let decoded = assert_only_known_example_defects(&run, &[spec]);
    eprintln!("{spec}: {decoded} of {} distinct body examples decode", decoded + run.failures.len());
    assert_eq!((decoded, run.failures.len()), expected);
    run_smoke(&out, smoke_tests);
}

#[test]
fn full_v3_client_examples_and_smoke_tests() {
    let test = "full_v3_client_examples_and_smoke_tests";
    examples_and_smoke(test, "sailpoint-v3-full", "sailpoint-v3.yaml", "smoke.rs", (242, 11), 13);
}

#[test]
fn full_beta_client_examples_and_smoke_tests() {
    let test = "full_beta_client_examples_and_smoke_tests";
    examples_and_smoke(test, "sailpoint-beta-full", "sailpoint-beta.yaml", "beta_smoke.rs", (274, 21), 2);
}
