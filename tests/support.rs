//! Helpers shared by the integration tests. The README is included below so that its example
//! is compiled as a doctest.
#![doc = include_str!("../README.md")]

use std::path::{Path, PathBuf};

use sdkgen::{Generated, Options};

/// The repository root, found when the tests run (see `xtask::workspace_root`).
pub fn repo_root() -> PathBuf {
    xtask::workspace_root().expect("the tests run inside the repository")
}

/// The options `cargo xtask gen` uses for `generated/`.
pub fn seed_options() -> Options {
    xtask::seed_options(&repo_root()).expect("the repository's specs")
}

/// Options for one fixture spec on its own, without a names overlay, with its example tests.
pub fn options_for(spec: &Path) -> Options {
    Options {
        specs: vec![spec.to_path_buf()],
        names: None,
        crate_name: "fixture".into(),
        example_tests: true,
        mock_tests: false,
        regenerate: None,
        version: None,
        env_prefix: None,
        package: sdkgen::Package::default(),
    }
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
        // The runtime (and its webhook verifier) is copied verbatim and has its own tests.
        .filter(|f| {
            f.path.ends_with(".rs")
                && !f.path.starts_with("src/runtime/")
                && f.path != "src/lib.rs"
                && f.path != "src/webhook.rs"
        })
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
    shared_folder(test, "specs")
}

/// `../shared/{folder}`, under the same rule as [`shared_specs`].
pub fn shared_folder(test: &str, folder: &str) -> Option<PathBuf> {
    let dir = repo_root().parent().expect("the repository has a parent folder").join("shared").join(folder);
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
    ("v3-and-beta-inlined", &["sailpoint-v3.inlined.json", "sailpoint-beta.inlined.json"]),
];

pub fn full_options(dir: &Path, name: &str, files: &[&str]) -> Options {
    Options {
        specs: files.iter().map(|f| dir.join(f)).collect(),
        names: None,
        crate_name: name.to_string(),
        ..Default::default()
    }
}

/// Writes the crate `options` generate into `out`, with the workspace's lock file, which pins
/// the same dependency versions the tests build against.
pub fn write_crate(options: &Options, out: &Path) {
    write_to(&generate(options), out);
    std::fs::copy(repo_root().join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");
}

/// Writes the crate `options` generate into `out` (see [`write_crate`]) with the test file
/// `smoke` added as `tests/smoke.rs`, and the dev-dependencies such tests use (serde_json,
/// wiremock; the crate has tokio already).
pub fn write_smoke_crate(options: &Options, out: &Path, smoke: &Path) {
    write_crate(options, out);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    // The crate's own dev-dependencies (tokio, for its examples) and those of the smoke tests.
    let smoke_dependencies = "serde_json = \"1\"\nwiremock = \"0.6\"\n";
    assert!(manifest.contains("[dev-dependencies]\n"), "the manifest has dev-dependencies");
    let manifest = manifest.replacen("[dev-dependencies]\n", &format!("[dev-dependencies]\n{smoke_dependencies}"), 1);
    std::fs::write(out.join("Cargo.toml"), manifest).expect("writable");
    std::fs::create_dir_all(out.join("tests")).expect("tests folder");
    std::fs::copy(smoke, out.join("tests/smoke.rs")).expect("smoke test");
}

/// Runs the smoke tests of the crate at `out` (see [`write_smoke_crate`]) and asserts that
/// `expected` of them ran and passed.
pub fn run_smoke_tests(out: &Path, expected: usize) {
    let output = cargo_in(out, "sdk-smoke", &["test", "--test", "smoke"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert_no_warnings(out, &output);
    assert!(stdout.contains(&format!("test result: ok. {expected} passed")), "{stdout}");
}

/// Runs cargo in the generated crate at `dir`, building into `target/{target}` so that the
/// dependencies stay built between runs. The crate's own code is built with clippy's lints
/// (see `xtask::lint`): a crate built to run its tests needs no second, clippy-only pass.
///
/// Each generated crate is built once and thrown away, so incremental state and debug info
/// would only fill the disk: with them, a clean run of the tests wrote about 10 GB.
pub fn cargo_in(dir: &Path, target: &str, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    xtask::lint::with_clippy(&mut command)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", repo_root().join("target").join(target))
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_PROFILE_TEST_DEBUG", "false")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// Asserts that building the crate at `dir` printed no warning (clippy's included).
pub fn assert_no_warnings(dir: &Path, output: &std::process::Output) {
    let warnings = xtask::lint::warnings(&String::from_utf8_lossy(&output.stderr));
    assert!(warnings.is_empty(), "{} warned (clippy's lints included):\n{}", dir.display(), warnings.join("\n"));
}

/// Writes the crate `options` generate outside the workspace and asserts that it builds on its
/// own with no warnings and no clippy findings (`-D warnings`).
pub fn assert_builds_cleanly(options: &Options, name: &str) {
    assert_builds_cleanly_in(options, name, "sdk-check");
}

/// [`assert_builds_cleanly`], and `cargo doc` on it warns about nothing.
pub fn assert_builds_and_documents_cleanly(options: &Options, name: &str) {
    builds_cleanly(options, name, "sdk-check", true);
}

/// [`assert_builds_cleanly`], building into `target/{target}`. Cargo builds one crate at a time
/// in a target folder (it locks it), so tests that run side by side build in folders of their
/// own when their builds are long enough to pay for building the dependencies once more.
pub fn assert_builds_cleanly_in(options: &Options, name: &str, target: &str) {
    builds_cleanly(options, name, target, false);
}

/// [`assert_builds_cleanly_in`], and `cargo doc` on the crate warns about nothing: the spec's
/// descriptions, its README and the generator's own docs are all docs.rs-clean.
pub fn assert_builds_and_documents_cleanly_in(options: &Options, name: &str, target: &str) {
    builds_cleanly(options, name, target, true);
}

fn builds_cleanly(options: &Options, name: &str, target: &str, docs: bool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join(name);
    write_crate(options, &out);
    // `--all-targets` builds the examples (`examples/{module}.rs`, shown in the README) too.
    let output = cargo_in(&out, target, &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    assert!(output.status.success(), "{name} does not build cleanly:\n{}", String::from_utf8_lossy(&output.stderr));
    if docs {
        let mut command = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        let output = command
            .args(["doc", "--no-deps", "--quiet"])
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", repo_root().join("target").join(target))
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        assert!(output.status.success(), "cargo doc on {name} warned:\n{}", String::from_utf8_lossy(&output.stderr));
    }
}

/// What `cargo test --test examples` made of a generated crate's example tests.
#[derive(Debug)]
pub struct ExampleRun {
    pub passed: usize,
    /// The site of each example that did not decode, and why.
    pub failures: std::collections::BTreeMap<String, String>,
}

/// Runs the example tests of the generated crate at `dir` (see `--example-tests`). Failing
/// examples are returned, not asserted on: whether they are the spec's defects is the caller's
/// to say. Anything else going wrong (a build error, an unparsable result) panics.
pub fn run_example_tests(dir: &Path, target: &str) -> ExampleRun {
    let output = cargo_in(dir, target, &["test", "--test", "examples", "--", "--test-threads=2"]);
    assert_no_warnings(dir, &output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stdout
        .lines()
        .find_map(|l| l.strip_prefix("test result: "))
        .unwrap_or_else(|| panic!("the example tests did not run:\n{}", String::from_utf8_lossy(&output.stderr)));
    let count = |label: &str| -> usize {
        let before = summary.split(label).next().expect("split yields once");
        before.rsplit(|c: char| !c.is_ascii_digit()).find(|w| !w.is_empty()).and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    let failures: std::collections::BTreeMap<String, String> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("the example at "))
        .map(|rest| {
            let (site, why) = rest.split_once(" does not decode as ").expect("the message of `decodes`");
            (site.to_string(), why.to_string())
        })
        .collect();
    assert_eq!(count(" failed"), failures.len(), "every failure is a decoding failure:\n{stdout}");
    ExampleRun { passed: count(" passed"), failures }
}

/// The examples of `files` listed in tests/example-defects.txt as the specs' own defects.
pub fn known_example_defects(files: &[&str]) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(repo_root().join("tests/example-defects.txt")).expect("the defects list");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (site, why) = l.split_once(" -- ").unwrap_or_else(|| panic!("`site -- why` expected: {l}"));
            (site.to_string(), why.to_string())
        })
        .filter(|(site, _)| files.iter().any(|f| site.starts_with(&format!("{f}#"))))
        .collect()
}

/// Asserts that the examples that failed to decode are exactly those listed as defects of
/// `files`, and returns how many decoded.
pub fn assert_only_known_example_defects(run: &ExampleRun, files: &[&str]) -> usize {
    let known = known_example_defects(files);
    let new: Vec<String> = run
        .failures
        .iter()
        .filter(|(site, _)| !known.contains_key(*site))
        .map(|(s, why)| format!("{s}: {why}"))
        .collect();
    let fixed: Vec<&String> = known.keys().filter(|site| !run.failures.contains_key(*site)).collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "examples that do not decode and are not listed in tests/example-defects.txt:\n{}\n\
         examples listed there that now decode (remove them):\n{fixed:#?}",
        new.join("\n")
    );
    run.passed
}

/// The code examples of README.md and docs/ written for the crate of SailPoint's full V3 spec
/// (a ```` ```rust,ignore ```` block whose first line says "In a crate generated from the full
/// V3 spec"), as a module of async functions that `tests/full_client.rs` compiles inside that
/// crate, under the name the examples give it (`sailpoint_v3`).
pub fn full_v3_doc_examples() -> String {
    let root = repo_root();
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut functions = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let mut block: Option<Vec<&str>> = None;
        for line in text.lines() {
            match &mut block {
                None if line.trim() == "```rust,ignore" => block = Some(Vec::new()),
                None => {}
                Some(lines) if line.trim() == "```" => {
                    if lines.first().is_some_and(|l| l.starts_with("// In a crate generated from the full V3 spec")) {
                        functions.push(format!(
                            "    async fn example_{}() -> Result<(), Box<dyn std::error::Error>> {{\n{}\n        Ok(())\n    }}\n",
                            functions.len(),
                            lines.join("\n")
                        ));
                    }
                    block = None;
                }
                Some(lines) => lines.push(line),
            }
        }
    }
    assert!(functions.len() >= 2, "the full V3 examples of docs/generated-crate.md are found");
    format!(
        "\n/// The examples of README.md and docs/ written for the full V3 crate (see tests/support.rs).\n#[allow(dead_code)]\nmod doc_examples {{\n    use sailpoint_v3_full as sailpoint_v3;\n{}}}\n",
        functions.concat()
    )
}

#[path = "twin.rs"]
pub mod twin;

/// Helpers of the tests that drive the seed crate against local servers (`seed_client.rs`,
/// `seed_auth.rs`).
pub mod wire {
    use wiremock::{MockServer, Request, ResponseTemplate};

    /// The one request `server` received.
    pub async fn only_request(server: &MockServer) -> Request {
        let mut requests = server.received_requests().await.expect("recording is on");
        assert_eq!(requests.len(), 1, "exactly one request");
        requests.remove(0)
    }

    /// A token endpoint's answer: `token`, valid for `expires_in` seconds.
    pub fn token_response(token: &str, expires_in: u64) -> ResponseTemplate {
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"access_token": token, "token_type": "bearer", "expires_in": expires_in}))
    }
}

/// The documentation in docs/, included so that `cargo test` compiles its Rust examples, as
/// it does the README's.
pub mod docs {
    #[doc = include_str!("../docs/architecture.md")]
    pub mod architecture {}
    #[doc = include_str!("../docs/changes.md")]
    pub mod changes {}
    #[doc = include_str!("../docs/corpus.md")]
    pub mod corpus {}
    #[doc = include_str!("../docs/credentials.md")]
    pub mod credentials {}
    #[doc = include_str!("../docs/generated-crate.md")]
    pub mod generated_crate {}
    #[doc = include_str!("../docs/inputs.md")]
    pub mod inputs {}
    #[doc = include_str!("../docs/performance.md")]
    pub mod performance {}
    #[doc = include_str!("../docs/shapes-and-names.md")]
    pub mod shapes_and_names {}
}
