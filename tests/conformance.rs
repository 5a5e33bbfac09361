//! The generated clients against Prism, the validating mock server: each operation's call,
//! made from values that fit the spec (`--mock-tests`), must be accepted and answered with a
//! documented response that decodes. Prism checks credentials, parameters and their styles and
//! bodies against the spec. Where Prism itself misreads a valid request, the case is listed in
//! `tests/prism-defects.txt` with why; a listed case that starts passing fails, so the list
//! stays true. Prism is installed from npm under `target/prism` on first use.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use sdkgen_tests::{repo_root, shared_folder};
use xtask::conformance::{check_spec, install_prism, read_defects, Outcome, FIXTURES};

/// Prism, installed once for all the tests of this file, which run at the same time.
fn prism() -> &'static Path {
    static PRISM: OnceLock<PathBuf> = OnceLock::new();
    PRISM.get_or_init(|| install_prism(&repo_root()).unwrap_or_else(|e| panic!("{e}")))
}

/// Runs `spec` (named `name` in the defects list) against Prism and checks every operation.
/// The crate and its mock tests are built with clippy's lints (see `xtask::lint`), and any
/// warning fails: the crates built here need no separate clippy pass.
fn conforms(name: &str, spec: &Path, names: Option<&Path>) {
    let root = repo_root();
    let started = std::time::Instant::now();
    let run = check_spec(&root, prism(), name, spec, names, Duration::from_secs(300)).unwrap_or_else(|e| panic!("{e}"));
    let defects = read_defects(&root.join("tests/prism-defects.txt")).unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    for (test, outcome) in &run.results {
        let listed = defects.get(&(name.to_string(), test.clone()));
        match (outcome, listed) {
            (Outcome::Passed, None) => {}
            (Outcome::Passed, Some(_)) => {
                problems.push(format!("{test}: passes now; remove it from tests/prism-defects.txt"))
            }
            (_, Some(_)) => {}
            (Outcome::Crashed, None) => problems.push(format!("{test}: Prism crashed on the request")),
            // The request was accepted; the spec's example that Prism answered with is wrong.
            (Outcome::Answer(_), None) => {}
            (Outcome::Failed(why), None) => problems.push(format!("{test}: {why}")),
        }
    }
    for (spec_name, test) in defects.keys() {
        if spec_name == name && !run.results.contains_key(test) {
            problems.push(format!("{test}: listed in tests/prism-defects.txt but no such test"));
        }
    }
    if !run.warnings.is_empty() {
        problems.push(format!("building the crate (with clippy's lints) warned:\n{}", run.warnings.join("\n")));
    }
    let passed = run.results.values().filter(|o| **o == Outcome::Passed).count();
    let answers = run.results.values().filter(|o| matches!(o, Outcome::Answer(_))).count();
    eprintln!(
        "{name}: {passed} of {} operations passed against Prism, {answers} accepted with an answer that breaks the spec ({:.0} s)",
        run.results.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(problems.is_empty(), "{name} against Prism:\n{}", problems.join("\n"));
}

#[test]
fn fixtures_with_schemes_styles_and_encodings_conform() {
    let fixtures = repo_root().join("tests/fixtures");
    for fixture in FIXTURES {
        conforms(fixture, &fixtures.join(format!("{fixture}.yaml")), None);
    }
}

/// Every operation of the committed SDK's specs, with its names overlay.
#[test]
fn the_seed_specs_conform() {
    let root = repo_root();
    let names = root.join("specs/names.yaml");
    for spec in ["v3", "beta"] {
        conforms(&format!("seed-{spec}"), &root.join(format!("specs/{spec}.yaml")), Some(&names));
    }
}

/// Runs the corpus spec `file` under its name in the defects list, its file stem.
fn corpus_spec_conforms(test: &str, file: &str) {
    let Some(corpus) = shared_folder(test, "corpus") else { return };
    let name = file.split('.').next().expect("a file name");
    conforms(name, &corpus.join(file), None);
}

// A subset of ../shared/corpus that covers each kind of scheme and style, one test each so
// that one spec's requests to Prism run while the next one builds: API keys in a header
// (PagerDuty), several at once (Plaid's three headers), in a query (Google Maps), HTTP Basic
// (Twilio, Jira), bearer (Qdrant, besides its API key and optional `{}`), forms (Twilio),
// `explode: false` lists (Jira), an API key or OAuth2 (Okta, which Prism loads through a copy
// without the `$ref`s inside its examples, see `xtask::prism_copy`). Stripe is not here:
// Prism does not load its 6 MB spec in minutes; its forms and `deepObject`s are covered by
// the wire tests.

#[test]
fn corpus_google_maps_conforms() {
    corpus_spec_conforms("corpus_google_maps_conforms", "google-maps.json");
}

#[test]
fn corpus_jira_cloud_conforms() {
    corpus_spec_conforms("corpus_jira_cloud_conforms", "jira-cloud.json");
}

#[test]
fn corpus_okta_management_conforms() {
    corpus_spec_conforms("corpus_okta_management_conforms", "okta-management.yaml");
}

#[test]
fn corpus_pagerduty_conforms() {
    corpus_spec_conforms("corpus_pagerduty_conforms", "pagerduty.json");
}

#[test]
fn corpus_plaid_conforms() {
    corpus_spec_conforms("corpus_plaid_conforms", "plaid.yaml");
}

#[test]
fn corpus_qdrant_conforms() {
    corpus_spec_conforms("corpus_qdrant_conforms", "qdrant.json");
}

#[test]
fn corpus_twilio_api_v2010_conforms() {
    corpus_spec_conforms("corpus_twilio_api_v2010_conforms", "twilio-api-v2010.json");
}
