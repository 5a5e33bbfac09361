//! The generated clients against Prism, the validating mock server: each operation's call,
//! made from values that fit the spec (`--mock-tests`), must be accepted and answered with a
//! documented response that decodes. Prism checks credentials, parameters and their styles and
//! bodies against the spec. Where Prism itself misreads a valid request, the case is listed in
//! `tests/prism-defects.txt` with why; a listed case that starts passing fails, so the list
//! stays true. Prism is installed from npm under `target/prism` on first use.

use std::path::Path;
use std::time::Duration;

use sdkgen_tests::{repo_root, shared_folder};
use xtask::conformance::{check_spec, install_prism, read_defects, Outcome, FIXTURES};

/// Runs `spec` (named `name` in the defects list) against Prism and checks every operation.
fn conforms(name: &str, spec: &Path, names: Option<&Path>) {
    let root = repo_root();
    let prism = install_prism(&root).unwrap_or_else(|e| panic!("{e}"));
    let run = check_spec(&root, &prism, name, spec, names, Duration::from_secs(300)).unwrap_or_else(|e| panic!("{e}"));
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
    let passed = run.results.values().filter(|o| **o == Outcome::Passed).count();
    let answers = run.results.values().filter(|o| matches!(o, Outcome::Answer(_))).count();
    eprintln!(
        "{name}: {passed} of {} operations passed against Prism, {answers} accepted with an answer that breaks the spec",
        run.results.len()
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

/// A subset of ../shared/corpus that covers each kind of scheme and style: API keys in a header
/// (PagerDuty), several at once (Plaid's three headers), in a query (Google Maps), HTTP Basic
/// (Twilio, Jira), bearer (Qdrant, besides its API key and optional `{}`), `deepObject`-free
/// forms (Twilio), `explode: false` lists (Jira). Stripe is not here: Prism does not load its
/// 6 MB spec in minutes; its forms and `deepObject`s are covered by the wire tests. Okta runs
/// in `cargo xtask conformance` (Prism loads it through a copy without the `$ref`s inside its
/// examples, see `xtask::prism_copy`: 732 operations, 0 failed), not here: its four minutes
/// take CI past its 30-minute budget.
#[test]
fn a_corpus_subset_conforms() {
    let Some(corpus) = shared_folder("a_corpus_subset_conforms", "corpus") else { return };
    for (name, file) in [
        ("google-maps", "google-maps.json"),
        ("qdrant", "qdrant.json"),
        ("twilio-api-v2010", "twilio-api-v2010.json"),
        ("plaid", "plaid.yaml"),
        ("jira-cloud", "jira-cloud.json"),
        ("pagerduty", "pagerduty.json"),
    ] {
        conforms(name, &corpus.join(file), None);
    }
}
