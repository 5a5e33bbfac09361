//! The command contract: `--check` exits 1 naming stale files and writes nothing, writing
//! changes only what differs, output is deterministic, bad input exits 2 naming the file and
//! where in it, and the crate written anywhere builds on its own without warnings.

use std::path::{Path, PathBuf};

use sdkgen_tests::{assert_builds_and_documents_cleanly, generate, repo_root, seed_options};

fn seed_args(out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = xtask::seed_args(&repo_root(), out).expect("the repository's specs");
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn run(args: Vec<String>) -> i32 {
    sdkgen::cli::run(args, Some(xtask::REGENERATE))
}

fn snapshot_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let entry = entry.expect("entry");
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = entry.metadata().expect("metadata");
                files.push((path.clone(), std::fs::read(&path).expect("readable"), meta.modified().expect("mtime")));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn generated_dir_is_fresh() {
    let generated = generate(&seed_options());
    let drift = sdkgen::write::diff(&repo_root().join("generated"), &generated.files).expect("readable");
    assert!(drift.is_empty(), "generated/ is stale ({:?}): run `cargo xtask gen` and commit the result", drift.files());
}

#[test]
fn check_exits_1_naming_stale_files_and_never_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sdk");
    assert_eq!(run(seed_args(&out, &[])), 0);
    assert_eq!(run(seed_args(&out, &["--check"])), 0, "fresh right after writing");

    std::fs::write(out.join("src/models.rs"), "// edited by hand\n").expect("writable");
    std::fs::write(out.join("src/stray.rs"), "// not generated\n").expect("writable");
    std::fs::remove_file(out.join("src/beta.rs")).expect("removable");
    let before = snapshot_of(&out);
    assert_eq!(run(seed_args(&out, &["--check"])), 1);
    assert_eq!(snapshot_of(&out), before, "--check wrote nothing");
    let generated = generate(&seed_options());
    let drift = sdkgen::write::diff(&out, &generated.files).expect("readable");
    assert_eq!(drift.files(), ["src/beta.rs", "src/models.rs", "src/stray.rs"]);

    assert_eq!(run(seed_args(&out, &[])), 0);
    assert!(!out.join("src/stray.rs").exists(), "files the generator no longer makes are removed");
    assert_eq!(run(seed_args(&out, &["--check"])), 0);
}

#[test]
fn a_checkout_with_crlf_line_ends_is_fresh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sdk");
    assert_eq!(run(seed_args(&out, &[])), 0);
    for (path, bytes, _) in snapshot_of(&out) {
        let text = String::from_utf8(bytes).expect("text");
        std::fs::write(&path, text.replace('\n', "\r\n")).expect("writable");
    }
    assert_eq!(run(seed_args(&out, &["--check"])), 0, "CRLF alone is not stale");
    let before = snapshot_of(&out);
    assert_eq!(run(seed_args(&out, &[])), 0);
    assert_eq!(snapshot_of(&out), before, "nor rewritten");
}

#[test]
fn regenerating_unchanged_output_touches_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sdk");
    assert_eq!(run(seed_args(&out, &[])), 0);
    let before = snapshot_of(&out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(run(seed_args(&out, &[])), 0);
    assert_eq!(snapshot_of(&out), before, "same bytes and same modification times");
}

#[test]
fn output_does_not_depend_on_the_order_of_the_specs_or_the_run() {
    let forward = generate(&seed_options());
    let mut reversed_options = seed_options();
    reversed_options.specs.reverse();
    let reversed = generate(&reversed_options);
    let again = generate(&seed_options());
    assert_eq!(forward.files, reversed.files);
    assert_eq!(forward.files, again.files);
}

#[test]
fn the_report_has_the_promised_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report_path = dir.path().join("report.json");
    let mut args = seed_args(&dir.path().join("sdk"), &["--report"]);
    args.push(report_path.display().to_string());
    assert_eq!(run(args), 0);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report_path).expect("written")).expect("JSON");
    for key in ["operations", "skipped", "warnings", "schemas_seen", "types", "aliases", "timings_ms", "model_types"] {
        assert!(report.get(key).is_some(), "report has `{key}`");
    }
    for stage in ["load", "normalize", "emit", "format", "write"] {
        assert!(report["timings_ms"][stage].is_number(), "timing of {stage}");
    }
    assert_eq!(report["operations"].as_array().map(Vec::len), Some(2));
}

/// Every bad input in `fixtures/bad/` ends in exit 2 and a message naming the file and the
/// line or JSON pointer; the messages are pinned, one snapshot per file.
#[test]
fn bad_input_exits_2_with_file_and_location() {
    insta::glob!("fixtures/bad/*", |path| {
        let dir = tempfile::tempdir().expect("tempdir");
        let args = vec![
            "--spec".into(),
            path.display().to_string(),
            "--out".into(),
            dir.path().join("out").display().to_string(),
        ];
        assert_eq!(run(args), 2, "{}", path.display());
        assert!(!dir.path().join("out").exists(), "nothing written for {}", path.display());
        let err = sdkgen::generate(&sdkgen_tests::options_for(path)).err().expect("an error");
        let message = err.to_string();
        let file_name = path.file_name().unwrap().to_string_lossy();
        assert!(message.contains(&*path.display().to_string()), "the message names the file: {message}");
        let message = message.replace(&*path.display().to_string(), &file_name);
        insta::assert_snapshot!("bad_input_message", message);
    });
}

/// A `$ref` that leaves the spec's folder, names a URL, a file that is not there or one that is
/// itself, or leads to a file that does not read: exit 2, and a message naming the file (the
/// one referred to, where the fault is in it) and the pointer or line. One folder per case in
/// `fixtures/bad-refs/`, its root file named after it.
#[test]
fn bad_references_exit_2_with_file_and_location() {
    insta::glob!("fixtures/bad-refs/*/*.yaml", |path| {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let args = vec!["--spec".into(), path.display().to_string(), "--out".into(), out.display().to_string()];
        assert_eq!(run(args), 2, "{}", path.display());
        assert!(!out.exists(), "nothing written for {}", path.display());
        let err = sdkgen::generate(&sdkgen_tests::options_for(path)).err().expect("an error");
        let folder = format!("{}/", path.parent().expect("a folder").display());
        let message = err.to_string();
        assert!(message.starts_with(&folder), "the message names the file: {message}");
        insta::assert_snapshot!("bad_reference_message", message.replace(&folder, ""));
    });
}

/// Files are read only inside the root file's folder, as the file system resolves them: a
/// symbolic link out of it is refused like `..`, one that stays inside is followed.
#[cfg(unix)]
#[test]
fn references_follow_symbolic_links_only_inside_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec_dir = dir.path().join("spec");
    std::fs::create_dir_all(spec_dir.join("schemas/real")).expect("folders");
    let schema = "type: object\nproperties:\n  name: { type: string }\n";
    std::fs::write(dir.path().join("secret.yaml"), schema).expect("written");
    std::fs::write(spec_dir.join("schemas/real/Pet.yaml"), schema).expect("written");
    std::os::unix::fs::symlink("../../secret.yaml", spec_dir.join("schemas/Out.yaml")).expect("link");
    std::os::unix::fs::symlink("real/Pet.yaml", spec_dir.join("schemas/In.yaml")).expect("link");
    let spec = |target: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{ title: x, version: '1' }}\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
             responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              \
             schema: {{ $ref: '{target}' }}\n"
        )
    };
    let root = spec_dir.join("api.yaml");
    std::fs::write(&root, spec("./schemas/In.yaml")).expect("written");
    let generated = generate(&sdkgen_tests::options_for(&root));
    assert_eq!(generated.report.model_types.len(), 1, "the linked schema is read");

    std::fs::write(&root, spec("./schemas/Out.yaml")).expect("written");
    let err = sdkgen::generate(&sdkgen_tests::options_for(&root)).err().expect("refused");
    assert!(err.to_string().contains("leads out of the folder of api.yaml"), "{err}");
}

/// Spec defects the generator works around are warnings naming their place, and the crate is
/// written; `--strict` makes each an error, exits 2 and writes nothing. One file per defect in
/// `fixtures/strict/`.
#[test]
fn defects_are_warnings_and_strict_makes_them_errors() {
    insta::glob!("fixtures/strict/*", |path| {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let args = |extra: &[&str]| {
            let mut args =
                vec!["--spec".to_string(), path.display().to_string(), "--out".into(), out.display().to_string()];
            args.extend(extra.iter().map(|s| s.to_string()));
            args
        };
        assert_eq!(run(args(&["--strict"])), 2, "{}", path.display());
        assert!(!out.exists(), "--strict wrote nothing for {}", path.display());
        let generated = generate(&sdkgen_tests::options_for(path));
        let warnings: Vec<String> =
            generated.report.warnings.iter().map(|w| format!("{}: {}", w.site, w.message)).collect();
        assert!(!warnings.is_empty(), "{} has a defect to warn about", path.display());
        insta::assert_snapshot!("strict_warnings", warnings.join("\n"));
        assert_eq!(run(args(&[])), 0, "{}", path.display());
        assert!(out.join("Cargo.toml").exists());
    });
}

/// The crate written outside this workspace builds on its own, its examples included, with no
/// warnings and no clippy findings (clippy runs rustc's checks too, with `-D warnings`), and
/// `cargo doc` warns about nothing.
#[test]
fn generated_crate_builds_standalone_without_warnings() {
    assert_builds_and_documents_cleanly(&seed_options(), "sailpoint-sdk");
}

/// Every fixture spec (3.0, 3.1 and 3.2), hostile names and recursive schemas included, as one crate of one module
/// each: it must compile and document as cleanly as the seed crate (`doc-text.yaml` holds what
/// specs write that rustdoc would warn about).
#[test]
fn fixture_specs_build_without_warnings() {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(repo_root().join("tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    // The OpenAPI 3.1 and 3.2 ones.
    let openapi31 = std::fs::read_dir(repo_root().join("tests/fixtures/openapi31")).expect("3.1 fixtures");
    specs.extend(openapi31.map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")));
    // And the root files of the multi-file specs.
    for folder in std::fs::read_dir(repo_root().join("tests/fixtures/multi-file")).expect("multi-file fixtures") {
        let folder = folder.expect("entry").path();
        let files = std::fs::read_dir(&folder).expect("a folder").map(|e| e.expect("entry").path());
        specs.extend(files.filter(|p| p.is_file()));
    }
    specs.sort();
    // And a folder of documentation pages whose schemas are recursive.
    specs.push(repo_root().join("tests/fixtures/pages/circular"));
    assert!(specs.len() >= 10);
    assert_builds_and_documents_cleanly(
        &sdkgen::Options {
            specs,
            names: None,
            crate_name: "fixtures".into(),
            example_tests: true,
            mock_tests: false,
            regenerate: None,
            version: None,
            // Every fixture's schemes and servers read from the environment, clippy-clean.
            env_prefix: Some("FIXTURE".into()),
        },
        "fixtures",
    );
}

/// Inputs on which the fuzzer (`cargo xtask fuzz`) once found a panic: each must now end in a
/// crate or an error, never a panic.
#[test]
fn fuzz_findings_no_longer_panic() {
    insta::glob!("fixtures/fuzz-findings/*", |path| {
        let outcome = std::panic::catch_unwind(|| sdkgen::generate(&sdkgen_tests::options_for(path)).map(|_| ()));
        assert!(outcome.is_ok(), "{} panics", path.display());
    });
}

/// The committed crate depends on exactly what the runtime crate is tested with, and the
/// workspace (which builds both) resolves one version of each: a user's `reqwest::Client` fits
/// `with_http_client`, and nothing is compiled twice.
#[test]
fn the_crate_and_the_runtime_depend_on_the_same_versions() {
    let dependencies = |path: &str| -> Vec<String> {
        let text = std::fs::read_to_string(repo_root().join(path)).expect(path);
        let mut in_section = false;
        text.lines()
            .filter(|line| {
                if line.starts_with('[') {
                    in_section = line.trim() == "[dependencies]";
                    return false;
                }
                in_section && !line.trim().is_empty() && !line.starts_with('#')
            })
            .map(str::to_string)
            .collect()
    };
    let runtime = dependencies("generator/runtime/Cargo.toml");
    let emitted = dependencies("generated/Cargo.toml");
    // The seed specs have no webhooks: the signature crates stay out.
    let expected: Vec<&String> = runtime.iter().filter(|l| !l.starts_with("hmac") && !l.starts_with("sha2")).collect();
    let emitted_runtime: Vec<&String> = emitted.iter().filter(|l| !l.starts_with("uuid")).collect();
    assert_eq!(emitted_runtime, expected);

    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).expect("Cargo.lock");
    for name in ["reqwest", "tokio", "serde", "chrono", "futures-util"] {
        let versions = lock.matches(&format!("[[package]]\nname = \"{name}\"\n")).count();
        assert_eq!(versions, 1, "{name} resolves to {versions} versions in Cargo.lock");
    }
}
