//! The crates generated from SailPoint's full V3 and Beta specs, with their example tests
//! (`--example-tests`), and driven against local HTTP servers by the tests in `full_smoke/`,
//! which are compiled inside those crates.
//!
//! V3 (`smoke.rs`): a list with query parameters, a get with an error status, a JSON Patch, a
//! multipart upload, a text download, a rate limit, streams, auth, retries and timeouts.
//! Beta (`beta_smoke.rs`): hostile query and header values, checked on the raw request.

use std::path::PathBuf;

use sdkgen_tests::{
    assert_only_known_example_defects, full_options, full_v3_doc_examples, repo_root, run_example_tests,
    run_smoke_tests, shared_specs, write_smoke_crate,
};

/// Generates the crate of `spec` with its example tests and the smoke test `smoke` added, into
/// a fixed folder under target/ so that reruns reuse the build.
fn full_crate(dir: &std::path::Path, name: &str, spec: &str, smoke: &str) -> PathBuf {
    let out = repo_root().join("target").join("full-smoke").join(name);
    let options = sdkgen::Options { example_tests: true, ..full_options(dir, name, &[spec]) };
    write_smoke_crate(&options, &out, &repo_root().join("tests/full_smoke").join(smoke));
    if name == "sailpoint-v3-full" {
        // The docs' examples for this crate are compiled with its smoke tests.
        let path = out.join("tests/smoke.rs");
        let text = std::fs::read_to_string(&path).expect("smoke.rs") + &full_v3_doc_examples();
        std::fs::write(&path, text).expect("writable");
    }
    out
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
    run_smoke_tests(&out, smoke_tests);
}

#[test]
fn full_v3_client_examples_and_smoke_tests() {
    let test = "full_v3_client_examples_and_smoke_tests";
    examples_and_smoke(test, "sailpoint-v3-full", "sailpoint-v3.yaml", "smoke.rs", (242, 11), 13);
}

#[test]
fn full_beta_client_examples_and_smoke_tests() {
    let test = "full_beta_client_examples_and_smoke_tests";
    examples_and_smoke(test, "sailpoint-beta-full", "sailpoint-beta.yaml", "beta_smoke.rs", (272, 23), 2);
}
