//! The seed specs' repeated inline shapes become one type each, defined once in generated/.

use sdkgen_tests::{generate, options_for, repo_root, seed_options};

/// (type, keyword, number of inline sites folded into it)
const SHARED: &[(&str, &str, usize)] = &[
    ("ObjectRef", "struct", 4),
    ("DtoType", "enum", 4),
    ("ErrorResponse", "struct", 8),
    ("ErrorMessage", "struct", 16),
    ("LocaleOrigin", "enum", 16),
    ("JsonPatchOperation", "struct", 2),
    ("UsageType", "enum", 2),
];

/// Every `.rs` file below `generated/src`, the runtime's included.
fn generated_sources() -> String {
    let mut names = Vec::new();
    let mut folders = vec![repo_root().join("generated").join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a generated folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                names.push(path);
            }
        }
    }
    names.sort();
    names.iter().map(|p| std::fs::read_to_string(p).expect("readable")).collect::<Vec<_>>().join("\n")
}

#[test]
fn each_shared_shape_is_defined_exactly_once_in_generated() {
    let sources = generated_sources();
    for (name, keyword, _) in SHARED {
        let definition = format!("pub {keyword} {name} ");
        assert_eq!(sources.matches(&definition).count(), 1, "`{definition}` in generated/src");
    }
    // Both APIs use the one definition.
    for module in ["v3.rs", "beta.rs"] {
        let text = std::fs::read_to_string(repo_root().join("generated/src").join(module)).expect("module");
        assert!(text.contains("models::ErrorResponse"), "{module} uses the shared ErrorResponse");
        // Its structs are its credentials, the client and the calls of its operations.
        let structs: Vec<&str> =
            text.lines().filter(|l| l.starts_with("pub struct ") && !l.ends_with("Builder<'a> {")).collect();
        assert_eq!(
            structs,
            ["pub struct Credentials {", "pub struct Client {"],
            "{module} defines no model struct of its own"
        );
    }
}

#[test]
fn the_seed_report_counts_at_most_20_types_and_lists_the_folded_sites() {
    let generated = generate(&seed_options());
    let report = &generated.report;
    assert!(report.types <= 20, "{} types", report.types);
    for (name, keyword, sites) in SHARED {
        let entry = report.model_types.iter().find(|t| t.name == *name).unwrap_or_else(|| panic!("{name} is reported"));
        let kind = if *keyword == "struct" { "struct" } else { "enum" };
        assert_eq!(entry.kind, kind, "{name}");
        assert_eq!(entry.sites.len(), *sites, "{name}: {:#?}", entry.sites);
    }
    let error_sites = &report.model_types.iter().find(|t| t.name == "ErrorResponse").expect("reported").sites;
    for file in ["v3.yaml", "beta.yaml"] {
        for status in ["400", "403", "404", "500"] {
            assert!(
                error_sites
                    .iter()
                    .any(|s| s.file == file && s.pointer.as_str().contains(&format!("/responses/{status}/"))),
                "ErrorResponse folds the {status} body of {file}"
            );
        }
    }
}

#[test]
fn the_names_overlay_only_names_folding_does_not_depend_on_it() {
    let mut options = seed_options();
    let named = generate(&options).report;
    options.names = None;
    let unnamed = generate(&options).report;
    assert_eq!(unnamed.types, named.types);
    let sites = |r: &sdkgen::report::Report| {
        let mut s: Vec<_> = r.model_types.iter().map(|t| t.sites.clone()).collect();
        s.sort();
        s
    };
    assert_eq!(sites(&unnamed), sites(&named), "the same shapes fold, whatever their names");
}

/// The committed crate's `tests/examples.rs` (one test per example in the seed specs): every
/// example decodes into its generated type, but the one the V3 seed gets wrong.
#[test]
fn every_example_in_the_seed_specs_decodes_but_the_listed_defect() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sailpoint");
    sdkgen_tests::write_crate(&seed_options(), &out);
    let tests = std::fs::read_to_string(out.join("tests/examples.rs")).expect("example tests are generated");
    let run = sdkgen_tests::run_example_tests(&out, "sdk-check");
    let decoded = sdkgen_tests::assert_only_known_example_defects(&run, &["v3.yaml", "beta.yaml"]);
    assert_eq!(decoded + run.failures.len(), tests.matches("#[test]").count());
    assert_eq!((decoded, run.failures.len()), (6, 1), "the seeds give 7 distinct body examples");
}

/// The runtime is tested as a crate of its own (`generator/runtime`) and copied into every
/// generated crate: both must build against the same dependencies, so the `[dependencies]` the
/// generator writes are exactly the runtime crate's (and `uuid`, for specs that have one).
#[test]
fn the_emitted_manifest_has_the_runtime_crates_dependencies() {
    let dependencies = |manifest: &str| -> Vec<String> {
        let start = manifest.find("\n[dependencies]\n").expect("a [dependencies] table") + "\n[dependencies]\n".len();
        manifest[start..]
            .lines()
            .take_while(|l| !l.trim().is_empty() && !l.starts_with('['))
            .map(String::from)
            .collect()
    };
    let runtime =
        std::fs::read_to_string(repo_root().join("generator/runtime/Cargo.toml")).expect("the runtime's manifest");
    let formats = generate(&options_for(&repo_root().join("tests/fixtures/formats.yaml")));
    let manifest = &formats.files.iter().find(|f| f.path == "Cargo.toml").expect("a manifest").text;
    let emitted = dependencies(manifest);
    assert!(emitted.iter().any(|l| l.starts_with("uuid = ")), "the formats fixture has a uuid");
    let without_uuid: Vec<String> = emitted.into_iter().filter(|l| !l.starts_with("uuid = ")).collect();
    // The runtime crate also holds the webhook verifier, which only a crate with webhooks
    // copies, with its two dependencies.
    let webhook_deps = |l: &String| l.starts_with("hmac = ") || l.starts_with("sha2 = ");
    let runtime_deps = dependencies(&runtime);
    let (verifier_deps, rest): (Vec<String>, Vec<String>) = runtime_deps.into_iter().partition(webhook_deps);
    assert_eq!(without_uuid, rest);
    assert_eq!(verifier_deps.len(), 2, "the runtime's manifest names hmac and sha2");
    let callbacks = generate(&options_for(&repo_root().join("tests/fixtures/callbacks.yaml")));
    let manifest = &callbacks.files.iter().find(|f| f.path == "Cargo.toml").expect("a manifest").text;
    let emitted = dependencies(manifest);
    for dependency in &verifier_deps {
        assert!(emitted.contains(dependency), "a crate with webhooks depends on {dependency}: {emitted:?}");
    }
}
