//! Crates generated from fixtures, driven against local HTTP servers by the tests in
//! `fixture_smoke/`, which are compiled inside them: what a documented response becomes at
//! run time, beyond what the snapshots show.

use sdkgen_tests::{repo_root, run_smoke_tests, write_smoke_crate};

#[test]
fn fixture_clients_behave_as_documented() {
    let fixtures = repo_root().join("tests/fixtures");
    let options = sdkgen::Options {
        specs: vec![
            fixtures.join("error-responses.yaml"),
            fixtures.join("several-successes.yaml"),
            fixtures.join("tagged-unions.yaml"),
            fixtures.join("formats.yaml"),
            fixtures.join("pagination-token.yaml"),
            fixtures.join("pagination-dropshot.yaml"),
            fixtures.join("pagination-after.yaml"),
            fixtures.join("pagination-link.yaml"),
            fixtures.join("pagination-total.yaml"),
            fixtures.join("pagination-envelope.yaml"),
            fixtures.join("pagination-body.yaml"),
            fixtures.join("response-headers.yaml"),
        ],
        crate_name: "fixture-smoke".into(),
        ..Default::default()
    };
    let out = repo_root().join("target").join("fixture-smoke").join("responses");
    write_smoke_crate(&options, &out, &repo_root().join("tests/fixture_smoke/clients.rs"));
    run_smoke_tests(&out, 26);
}

/// Every security scheme, parameter style and body encoding, as the exact bytes on the wire.
#[test]
fn fixture_clients_send_what_the_spec_says_on_the_wire() {
    let fixtures = repo_root().join("tests/fixtures");
    let options = sdkgen::Options {
        specs: vec![
            fixtures.join("security-schemes.yaml"),
            fixtures.join("parameter-styles.yaml"),
            fixtures.join("body-encodings.yaml"),
        ],
        crate_name: "fixture-wire".into(),
        ..Default::default()
    };
    let out = repo_root().join("target").join("fixture-smoke").join("wire");
    write_smoke_crate(&options, &out, &repo_root().join("tests/fixture_smoke/wire.rs"));
    run_smoke_tests(&out, 8);
}

/// Responses read as streams of events, and the requests an API sends back (webhooks and
/// callbacks) parsed and their signatures checked.
#[test]
fn fixture_clients_stream_events_and_read_webhooks() {
    let fixtures = repo_root().join("tests/fixtures");
    let options = sdkgen::Options {
        specs: vec![
            fixtures.join("streams.yaml"),
            fixtures.join("callbacks.yaml"),
            fixtures.join("openapi31/webhooks-only.yaml"),
        ],
        crate_name: "fixture-events".into(),
        ..Default::default()
    };
    let out = repo_root().join("target").join("fixture-smoke").join("events");
    write_smoke_crate(&options, &out, &repo_root().join("tests/fixture_smoke/events.rs"));
    run_smoke_tests(&out, 8);
}
