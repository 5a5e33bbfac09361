//! Real specs that broke the generator, one per class of failure since fixed: each must still
//! generate a crate that passes `cargo clippy --all-targets -D warnings`. A fixed subset, so
//! that CI stays within its time; `cargo xtask corpus` runs the whole of ../shared/corpus.

use sdkgen_tests::{assert_builds_cleanly, shared_folder};

/// (path below ../shared, what it exercises)
const SUBSET: &[(&str, &str)] = &[
    ("corpus/jira-cloud.json", "recursion through a one-part allOf wrapper"),
    ("corpus/keycloak.json", "a $ref to a component schema that does not exist"),
    ("corpus/intercom.yaml", "a YAML spec that opens with a --- document marker"),
    ("corpus/digitalocean.yaml", "integer bounds beyond 64 bits, in YAML"),
    ("corpus/k8s-core-v1.json", "three consecutive success statuses"),
    ("corpus/oxide.json", "operations that document no status code"),
    ("corpus/qdrant.json", "field types nested three maps deep"),
    ("pages/sailpoint-v3-2022", "docs pages: inline discriminator mappings, undefined path parameters"),
];

#[test]
fn real_specs_that_broke_the_generator_build_cleanly() {
    let Some(shared) = shared_folder("real_specs_that_broke_the_generator_build_cleanly", ".") else { return };
    for (path, what) in SUBSET {
        let name = path.rsplit('/').next().unwrap_or(path).split('.').next().unwrap_or(path).to_string();
        let options = sdkgen::Options {
            specs: vec![shared.join(path)],
            crate_name: format!("corpus-{name}"),
            ..Default::default()
        };
        eprintln!("{path}: {what}");
        assert_builds_cleanly(&options, &name);
    }
}
