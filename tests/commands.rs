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
            // Every key of the package metadata, which Cargo must accept.
            package: sdkgen::Package {
                version: Some("2.1.0-rc.1".into()),
                description: Some("Every fixture, with \"quotes\" and a \\ backslash".into()),
                license: Some("MIT OR Apache-2.0".into()),
                repository: Some("https://example.com/acme/fixtures".into()),
                homepage: Some("https://example.com".into()),
                documentation: Some("https://docs.example.com/fixtures".into()),
                authors: vec!["Ada <ada@example.com>".into()],
                keywords: vec!["openapi".into(), "fixtures".into()],
                categories: vec!["api-bindings".into()],
                publish: Some(true),
            },
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

/// The `rust-version` every generated crate states is no older than what any of its
/// dependencies states, as the workspace's `Cargo.lock` pins them (CI builds the seed crate
/// with that toolchain: `.ci/run`). Not `--offline`: a fresh machine may not have fetched the
/// manifests of dependencies of other platforms yet, which metadata reads.
#[test]
fn the_stated_rust_version_covers_every_dependency() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sailpoint");
    sdkgen_tests::write_crate(&seed_options(), &out);
    // The workspace's pins; cargo drops what the crate does not use and keeps the rest.
    std::fs::copy(repo_root().join("Cargo.lock"), out.join("Cargo.lock")).expect("copy Cargo.lock");
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1"])
        .current_dir(&out)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let version = |v: &str| -> Vec<u32> { v.split('.').map(|n| n.parse().unwrap_or(0)).collect() };
    let packages = metadata["packages"].as_array().expect("packages");
    let stated = packages.iter().find(|p| p["name"] == "sailpoint").and_then(|p| p["rust_version"].as_str());
    let stated = version(stated.expect("the crate states a rust-version"));
    let needed = packages
        .iter()
        .filter(|p| p["name"] != "sailpoint")
        .filter_map(|p| Some((version(p["rust_version"].as_str()?), p["name"].as_str()?.to_string())))
        .max()
        .expect("dependencies state rust versions");
    assert!(stated >= needed.0, "the crate states rust-version {stated:?}, but {} needs {:?}", needed.1, needed.0);
}

/// A team's own xtask (`examples/xtask`), built against the library as an outside crate is (a
/// path dependency, its own workspace and target folder), generates exactly the committed seed
/// crate from a copy of `specs/`, and its `gen --check` tells fresh from stale.
#[test]
fn an_outside_xtask_built_on_the_library_generates_the_seed_crate() {
    let root = repo_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let xtask = dir.path().join("xtask");
    std::fs::create_dir_all(xtask.join("src")).expect("xtask folder");
    let manifest = std::fs::read_to_string(root.join("examples/xtask/Cargo.toml")).expect("the example's manifest");
    let generator = root.join("generator").display().to_string().replace('\\', "/");
    assert!(manifest.contains("path = \"../../generator\""), "the example depends on the generator by path");
    let manifest = manifest.replace("path = \"../../generator\"", &format!("path = \"{generator}\""));
    std::fs::write(xtask.join("Cargo.toml"), manifest).expect("writable");
    std::fs::copy(root.join("examples/xtask/src/main.rs"), xtask.join("src/main.rs")).expect("main.rs");
    std::fs::copy(root.join("Cargo.lock"), xtask.join("Cargo.lock")).expect("lock file");
    std::fs::create_dir_all(dir.path().join("specs")).expect("specs folder");
    for entry in std::fs::read_dir(root.join("specs")).expect("specs/") {
        let path = entry.expect("an entry").path();
        std::fs::copy(&path, dir.path().join("specs").join(path.file_name().expect("a name"))).expect("a spec");
    }
    // The committed crate's public API, from which its version is kept.
    let out = dir.path().join("generated");
    std::fs::create_dir_all(&out).expect("output folder");
    std::fs::copy(root.join("generated/api.json"), out.join("api.json")).expect("api.json");

    let run = |args: &[&str]| {
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["run", "--quiet", "--manifest-path"])
            .arg(xtask.join("Cargo.toml"))
            .args(["--", "gen", "--root"])
            .arg(dir.path())
            .args(args)
            .env("CARGO_TARGET_DIR", root.join("target/outside-xtask"))
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs")
    };
    let written = run(&[]);
    assert!(written.status.success(), "the outside xtask failed:\n{}", String::from_utf8_lossy(&written.stderr));

    let files = |base: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut found = Vec::new();
        let mut stack = vec![base.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder).expect("a folder") {
                let path = entry.expect("an entry").path();
                let relative = path.strip_prefix(base).expect("inside").to_path_buf();
                if relative == Path::new("target") || relative == Path::new("Cargo.lock") {
                    continue;
                }
                if path.is_dir() {
                    stack.push(path);
                } else {
                    // Checkouts may turn line ends into CRLF; the generator writes LF.
                    let bytes = std::fs::read(&path).expect("readable");
                    found.push((relative, String::from_utf8_lossy(&bytes).replace("\r\n", "\n").into_bytes()));
                }
            }
        }
        found.sort();
        found
    };
    let (ours, theirs) = (files(&root.join("generated")), files(&out));
    let names = |f: &[(PathBuf, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&theirs), names(&ours), "the outside xtask writes the seed crate's files");
    for ((path, a), (_, b)) in ours.iter().zip(&theirs) {
        assert!(a == b, "{} differs from the committed seed crate's", path.display());
    }

    let fresh = run(&["--check"]);
    assert!(fresh.status.success(), "{}", String::from_utf8_lossy(&fresh.stderr));
    std::fs::write(out.join("src/lib.rs"), "// edited by hand\n").expect("writable");
    let stale = run(&["--check"]);
    assert_eq!(stale.status.code(), Some(1), "a stale crate fails the check");
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("src/lib.rs") && stderr.contains("cargo xtask gen"), "{stderr}");
}
