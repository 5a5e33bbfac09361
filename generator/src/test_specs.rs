//! The specs the tests read: the repository's fixtures and seeds, and `../shared`'s corpus
//! and SailPoint specs when they are beside it.

use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the generator is in the repository").to_path_buf()
}

/// `../shared/{folder}`: when it is absent the test says so and reads what else it has,
/// unless `REQUIRE_SHARED=1` (as in CI), when it fails.
pub fn shared_folder(test: &str, folder: &str) -> Option<PathBuf> {
    let dir = repo_root().parent().expect("the repository has a parent folder").join("shared").join(folder);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var("REQUIRE_SHARED").map_or(true, |v| v != "1"), "{test}: {} is missing", dir.display());
    eprintln!("{test}: skipped: {} is absent", dir.display());
    None
}

/// The JSON and YAML files in `dir`, sorted.
pub fn specs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml"));
    files.sort();
    files
}

/// Every spec at hand: the fixtures, the seeds, the corpus (3.0 and 3.1) and the bundled
/// SailPoint YAML specs (the inlined ones hold the same objects many times over).
pub fn every_spec(test: &str) -> Vec<PathBuf> {
    let mut files = specs_in(&repo_root().join("tests/fixtures"));
    files.extend(specs_in(&repo_root().join("specs")));
    if let Some(corpus) = shared_folder(test, "corpus") {
        files.extend(specs_in(&corpus));
        files.extend(specs_in(&corpus.join("openapi31")));
    }
    if let Some(specs) = shared_folder(test, "specs") {
        files.extend(specs_in(&specs).into_iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")));
    }
    files
}
