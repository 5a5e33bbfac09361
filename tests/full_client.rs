//! The crate generated from SailPoint's full V3 spec, driven against a local HTTP server: a
//! list with query parameters, a get with an error status, a JSON Patch, a multipart upload, a
//! text download and a rate limit (`full_smoke/smoke.rs`, compiled inside that crate).

use std::process::Command;

use sdkgen_tests::{full_options, generate, repo_root, shared_specs, write_to};

#[test]
fn full_v3_client_against_a_local_server() {
    let Some(dir) = shared_specs("full_v3_client_against_a_local_server") else { return };
    // A fixed folder under target/, so that reruns reuse the build.
    let out = repo_root().join("target").join("full-smoke").join("sailpoint-v3-full");
    write_to(&generate(&full_options(&dir, "sailpoint-v3-full", &["sailpoint-v3.yaml"])), &out);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    let dev_dependencies = "\n[dev-dependencies]\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\nwiremock = \"0.6\"\n";
    if !manifest.contains("[dev-dependencies]") {
        std::fs::write(out.join("Cargo.toml"), manifest + dev_dependencies).expect("writable");
    }
    std::fs::create_dir_all(out.join("tests")).expect("tests folder");
    std::fs::copy(repo_root().join("tests/full_smoke/smoke.rs"), out.join("tests/smoke.rs")).expect("smoke test");
    std::fs::copy(repo_root().join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--test", "smoke"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", repo_root().join("target").join("sdk-smoke"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("test result: ok. 13 passed"), "{stdout}");
}
