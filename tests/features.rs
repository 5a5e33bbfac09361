//! Cargo features per API and per tag: with `default-features = false`, any choice of them
//! builds with no warning (clippy's included), examples and tests too. Every single leaf
//! feature of the fixture crate and of SailPoint's full V3 crate is built alone, and random
//! choices of several: the seed is printed, and `FEATURE_SEED=n` repeats a run.

use std::path::Path;

use sdkgen::Options;
use sdkgen_tests::{assert_no_warnings, cargo_in, options_for, repo_root, shared_specs, write_crate};

/// The features of the manifest at `dir` that gate code: those that turn on no other.
fn leaves(dir: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
    let section = manifest.split("[features]\n").nth(1).expect("a [features] section");
    let section = section.split("\n[").next().unwrap_or_default();
    section
        .lines()
        .filter_map(|line| line.strip_suffix(" = []"))
        .filter(|name| !name.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Builds the crate at `dir` with only `features` on, asserting it builds with no warnings.
fn assert_builds_with(dir: &Path, features: &[&str]) {
    let features = features.join(",");
    let args = ["clippy", "--all-targets", "--quiet", "--no-default-features", "--features", &features];
    let output = cargo_in(dir, "sdk-check", &[&args[..], &["--", "-D", "warnings"]].concat());
    assert!(
        output.status.success(),
        "{} with features [{features}] does not build:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_no_warnings(dir, &output);
}

/// A few random choices of `leaves`, from a seed printed (or taken from `FEATURE_SEED`).
fn random_choices(leaves: &[String], count: usize) -> Vec<Vec<&str>> {
    let seed = std::env::var("FEATURE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1
    });
    eprintln!("random feature choices from FEATURE_SEED={seed}");
    let mut state = seed;
    let mut next = move || {
        // xorshift64: enough to pick features, and the same picks from the same seed.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let size = 2 + (next() % 4) as usize;
            let mut chosen: Vec<&str> =
                (0..size).map(|_| leaves[(next() % leaves.len() as u64) as usize].as_str()).collect();
            chosen.sort();
            chosen.dedup();
            chosen
        })
        .collect()
}

/// Every leaf alone, none at all, and `random` random choices of several.
fn assert_feature_choices_build(options: &Options, random: usize) -> usize {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join(&options.crate_name);
    write_crate(options, &out);
    let leaves = leaves(&out);
    assert!(leaves.len() >= 2, "{} has leaf features: {leaves:?}", options.crate_name);
    assert_builds_with(&out, &[]);
    for leaf in &leaves {
        assert_builds_with(&out, &[leaf]);
    }
    for choice in random_choices(&leaves, random) {
        assert_builds_with(&out, &choice);
    }
    leaves.len()
}

#[test]
fn every_tag_of_the_fixtures_and_random_choices_build_alone() {
    let fixtures = repo_root().join("tests/fixtures");
    let options = Options {
        specs: ["tags.yaml", "callbacks.yaml", "streams.yaml", "pagination-envelope.yaml"]
            .iter()
            .map(|f| fixtures.join(f))
            .collect(),
        crate_name: "tagged".into(),
        mock_tests: true,
        ..options_for(&fixtures.join("tags.yaml"))
    };
    let leaves = assert_feature_choices_build(&options, 4);
    eprintln!("{leaves} leaf features built alone");
}

#[test]
fn every_tag_of_sailpoint_v3_and_random_choices_build_alone() {
    let Some(dir) = shared_specs("every_tag_of_sailpoint_v3_and_random_choices_build_alone") else { return };
    let options = Options {
        specs: vec![dir.join("sailpoint-v3.yaml")],
        crate_name: "sailpoint-v3-tags".into(),
        ..Options::default()
    };
    let leaves = assert_feature_choices_build(&options, 3);
    assert!(leaves > 40, "V3 has a feature per tag: {leaves}");
}
