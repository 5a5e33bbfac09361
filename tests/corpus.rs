//! Real specs that broke the generator, one per class of failure since fixed: each must still
//! generate a crate that passes `cargo clippy --all-targets -D warnings`. A fixed subset, so
//! that CI stays within its time; `cargo xtask corpus` runs the whole of ../shared/corpus.
//! The specs `tests/conformance.rs` runs against Prism are not repeated here: it builds their
//! crates with clippy's lints and fails on any warning. Among them are three classes that
//! broke the generator once: recursion through a one-part allOf wrapper (Jira), field types
//! nested three maps deep (Qdrant), `$ref`s to any JSON pointer and from one components
//! section to another (PagerDuty).

use sdkgen_tests::{assert_builds_cleanly_in, generate, shared_folder};

/// The two target folders the tests here build in, so that two of them build at once (libtest
/// runs two at a time on two cores; cargo builds one crate at a time per folder). The first
/// two tests by name (which start first) take one each.
const FOLDER_A: &str = "sdk-check";
const FOLDER_B: &str = "sdk-check-b";

/// (path below ../shared, what it exercises)
const SUBSET: &[(&str, &str)] = &[
    ("corpus/keycloak.json", "a $ref to a component schema that does not exist"),
    ("corpus/intercom.yaml", "a YAML spec that opens with a --- document marker"),
    ("corpus/digitalocean.yaml", "integer bounds beyond 64 bits, in YAML"),
    ("corpus/k8s-core-v1.json", "three consecutive success statuses"),
    ("corpus/oxide.json", "operations that document no status code"),
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
        assert_builds_cleanly_in(&options, &name, FOLDER_B);
    }
}

/// Every OpenAPI 3.1 spec of ../shared/corpus/openapi31 (Discord, Figma, Mastodon, OpenAI,
/// Resend): a crate that passes clippy.
#[test]
fn openapi31_specs_build_cleanly() {
    let Some(dir) = shared_folder("openapi31_specs_build_cleanly", "corpus/openapi31") else { return };
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .expect("openapi31")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 5, "{} holds the five 3.1 specs", dir.display());
    for spec in specs {
        let name = spec.file_stem().expect("a name").to_string_lossy().into_owned();
        let options =
            sdkgen::Options { specs: vec![spec], crate_name: format!("openapi31-{name}"), ..Default::default() };
        eprintln!("openapi31/{name}");
        assert_builds_cleanly_in(&options, &name, FOLDER_B);
    }
}

/// SailPoint's specs as it keeps them, a root file and some 900 files it refers to: every
/// operation the bundled file has, no more model types, and a crate that passes clippy.
#[test]
fn sailpoint_multi_file_trees_generate_what_their_bundles_do() {
    let test = "sailpoint_multi_file_trees_generate_what_their_bundles_do";
    let (Some(tree), Some(bundles)) = (shared_folder(test, "sailpoint-idn"), shared_folder(test, "specs")) else {
        return;
    };
    for (root, bundled, name) in [
        ("sailpoint-api.v3.yaml", "sailpoint-v3.yaml", "idn-v3"),
        ("sailpoint-api.beta.yaml", "sailpoint-beta.yaml", "idn-beta"),
    ] {
        let options = |spec: std::path::PathBuf| sdkgen::Options {
            specs: vec![spec],
            crate_name: name.to_string(),
            ..Default::default()
        };
        let from_tree = generate(&options(tree.join(root))).report;
        let from_bundle = generate(&options(bundles.join(bundled))).report;
        assert!(from_tree.skipped.is_empty(), "{root}: {:?}", from_tree.skipped);
        assert_eq!(from_tree.operations.len(), from_bundle.operations.len(), "{root}: every operation");
        assert!(
            from_tree.types <= from_bundle.types,
            "{root}: {} model types, {bundled} gives {}",
            from_tree.types,
            from_bundle.types
        );
        eprintln!(
            "{root}: {} operations, {} model types ({bundled}: {})",
            from_tree.operations.len(),
            from_tree.types,
            from_bundle.types
        );
        assert_builds_cleanly_in(&options(tree.join(root)), name, FOLDER_A);
    }
}

/// Every folder of SailPoint's docs-site pages in ../shared/pages (plain and compressed, V3
/// and Beta, as many as are there; the 2022 V3 pages at least), as a user would point at the
/// site's folder, tag and introduction pages and all: one operation per operation page
/// (`*.api.mdx`), and a crate that passes clippy.
#[test]
fn docs_site_page_folders_build_cleanly() {
    let Some(pages) = shared_folder("docs_site_page_folders_build_cleanly", "pages") else { return };
    let mut folders: Vec<_> =
        std::fs::read_dir(&pages).expect("pages").map(|e| e.expect("entry").path()).filter(|p| p.is_dir()).collect();
    folders.sort();
    assert!(folders.iter().any(|f| f.ends_with("sailpoint-v3-2022")), "{} has the 2022 V3 pages", pages.display());
    for folder in folders {
        let name = folder.file_name().expect("a name").to_string_lossy().into_owned();
        let operation_pages = std::fs::read_dir(&folder)
            .expect("a folder")
            .filter(|e| e.as_ref().expect("entry").file_name().to_string_lossy().ends_with(".api.mdx"))
            .count();
        let options =
            sdkgen::Options { specs: vec![folder.clone()], crate_name: format!("pages-{name}"), ..Default::default() };
        let report = generate(&options).report;
        assert_eq!(report.operations.len(), operation_pages, "{name}: one operation per page");
        assert!(report.skipped.is_empty(), "{name}: {:?}", report.skipped);
        eprintln!("{name}: {} operations, {} model types", report.operations.len(), report.types);
        assert_builds_cleanly_in(&options, &format!("pages-{name}"), FOLDER_A);
    }
}
