//! The twin test: a 3.0 spec and its faithful 3.1 translation (see `twin.rs`) generate the
//! same crate, byte for byte (the twin keeps its original's file name, so even the preambles
//! agree). Run on every fixture (single files, multi-file trees and page folders), the
//! committed SDK's specs, the seed pages and both full SailPoint specs.

use std::path::Path;

use sdkgen::Options;
use sdkgen_tests::twin::{page_to_openapi31, to_openapi31, tree_to_openapi31};
use sdkgen_tests::{generate, options_for, repo_root, seed_options, shared_folder, shared_specs};
use serde_json::Value;

/// `spec` (a 3.0 file) translated to 3.1, written under the same file name in `dir`.
fn twin_file(spec: &Path, dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(spec).expect("read");
    let mut doc: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.0")), "{} is not 3.0", spec.display());
    to_openapi31(&mut doc);
    let twin = dir.join(spec.file_name().expect("a file"));
    std::fs::write(&twin, serde_json::to_vec_pretty(&doc).expect("JSON")).expect("write");
    twin
}

/// Generates from `original` and from `twin` and asserts the two crates are the same bytes.
fn assert_twins(what: &str, original: &Options, twin: &Options) {
    let a = generate(original);
    let b = generate(twin);
    let paths = |g: &sdkgen::Generated| g.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&a), paths(&b), "{what}: the twin's crate has other files");
    for (x, y) in a.files.iter().zip(&b.files) {
        if x.text != y.text {
            let line = x.text.lines().zip(y.text.lines()).position(|(l, m)| l != m).unwrap_or(0);
            let show = |t: &str| t.lines().skip(line.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n");
            panic!(
                "{what}: {} differs from line {}:\n--- 3.0\n{}\n--- 3.1\n{}",
                x.path,
                line + 1,
                show(&x.text),
                show(&y.text)
            );
        }
    }
}

#[test]
fn every_fixture_and_its_31_twin_generate_the_same_crate() {
    let fixtures = repo_root().join("tests/fixtures");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut count = 0;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let twin = twin_file(&path, dir.path());
            assert_twins(&path.display().to_string(), &options_for(&path), &options_for(&twin));
            count += 1;
        }
    }
    assert!(count >= 15, "only {count} fixtures");
}

/// The specs kept in several files (`fixtures/multi-file/*/`, but the one already in 3.1), each
/// file translated as what its `$ref`s say it holds.
#[test]
fn every_multi_file_fixture_and_its_31_twin_generate_the_same_crate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut count = 0;
    for folder in std::fs::read_dir(repo_root().join("tests/fixtures/multi-file")).expect("multi-file fixtures") {
        let folder = folder.expect("entry").path();
        let roots: Vec<_> = std::fs::read_dir(&folder)
            .expect("a folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .collect();
        let [root] = roots.as_slice() else { panic!("{}: one root file", folder.display()) };
        let text = std::fs::read_to_string(root).expect("read");
        if text.contains("openapi: 3.1") || text.contains("\"openapi\": \"3.1") {
            continue;
        }
        let out = dir.path().join(folder.file_name().expect("a name"));
        tree_to_openapi31(root, &out);
        let twin = out.join(root.file_name().expect("a name"));
        assert_twins(&root.display().to_string(), &options_for(root), &options_for(&twin));
        count += 1;
    }
    assert!(count >= 2, "only {count} multi-file fixtures");
}

/// The page fixtures (`fixtures/pages/*/`) whose operations are plain JSON; compressed pages
/// are copied as they are.
#[test]
fn every_page_fixture_folder_and_its_31_twin_generate_the_same_crate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut translated = 0;
    for folder in std::fs::read_dir(repo_root().join("tests/fixtures/pages")).expect("page fixtures") {
        let folder = folder.expect("entry").path();
        let twins = dir.path().join(folder.file_name().expect("a name"));
        std::fs::create_dir(&twins).expect("mkdir");
        for page in std::fs::read_dir(&folder).expect("a folder") {
            let page = page.expect("entry").path();
            let text = std::fs::read_to_string(&page).expect("read");
            let twin = page_to_openapi31(&text).inspect(|_| translated += 1).unwrap_or(text);
            std::fs::write(twins.join(page.file_name().expect("a name")), twin).expect("write");
        }
        assert_twins(&folder.display().to_string(), &options_for(&folder), &options_for(&twins));
    }
    assert!(translated >= 4, "only {translated} pages translated");
}

#[test]
fn the_committed_sdk_and_its_31_twin_are_the_same_crate() {
    let original = seed_options();
    let dir = tempfile::tempdir().expect("tempdir");
    let twin = Options { specs: original.specs.iter().map(|s| twin_file(s, dir.path())).collect(), ..original.clone() };
    assert_twins("the committed SDK", &original, &twin);
}

#[test]
fn the_seed_pages_and_their_31_twins_generate_the_same_crate() {
    let Some(seeds) = shared_folder("the_seed_pages_and_their_31_twins_generate_the_same_crate", "seeds") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    // The same folder name: the crate's module is named after it.
    let twins = dir.path().join(seeds.file_name().expect("a folder"));
    std::fs::create_dir(&twins).expect("mkdir");
    for entry in std::fs::read_dir(&seeds).expect("seeds") {
        let page = entry.expect("entry").path();
        let text = std::fs::read_to_string(&page).expect("read");
        let twin = page_to_openapi31(&text).unwrap_or_else(|| panic!("{} has no JSON `api:`", page.display()));
        assert_ne!(twin, text, "{}: nothing to translate", page.display());
        std::fs::write(twins.join(page.file_name().expect("a file")), twin).expect("write");
    }
    assert_twins("the seed pages", &options_for(&seeds), &options_for(&twins));
}

#[test]
fn the_full_sailpoint_specs_and_their_31_twins_generate_the_same_crate() {
    let Some(specs) = shared_specs("the_full_sailpoint_specs_and_their_31_twins_generate_the_same_crate") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for file in ["sailpoint-v3.yaml", "sailpoint-beta.yaml"] {
        let original = specs.join(file);
        let twin = twin_file(&original, dir.path());
        let options =
            |spec: &Path| Options { specs: vec![spec.to_path_buf()], crate_name: "twin".into(), ..Default::default() };
        assert_twins(file, &options(&original), &options(&twin));
    }
}
