//! The repository's own configuration, in one place: where the workspace is, and how
//! `generated/` is made from `specs/`. `cargo xtask` and the tests both read it.

use std::path::{Path, PathBuf};

pub mod conformance;
pub mod lint;
pub mod prism_copy;

/// The package name of the committed SDK.
pub const CRATE_NAME: &str = "sailpoint";
/// The names overlay inside `specs/`; every other YAML or JSON file there is a spec.
pub const NAMES_FILE: &str = "names.yaml";

/// The seed crate's package metadata in `specs/` (see `sdkgen --package`), not a spec.
pub const PACKAGE_FILE: &str = "package.yaml";
/// The command that regenerates `generated/`, which its files' headers name.
pub const REGENERATE: &str = "cargo xtask gen";

/// The workspace this process works on, found when it runs: the nearest folder with a
/// `Cargo.toml` holding `[workspace]`, from the package folder `cargo run` and `cargo test`
/// name in `CARGO_MANIFEST_DIR`, else from the current folder. Never a path baked in at
/// compile time: one target folder shared by two clones would hand one clone's binary, and
/// its path, to the other.
pub fn workspace_root() -> Result<PathBuf, String> {
    let start = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_dir().map_err(|e| format!("the current folder: {e}"))?,
    };
    find_workspace(&start)
}

/// The nearest folder at or above `start` whose `Cargo.toml` declares a workspace.
pub fn find_workspace(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            if text.lines().any(|l| l.trim() == "[workspace]") {
                return Ok(dir.to_path_buf());
            }
        }
    }
    Err(format!("no Cargo workspace at or above {}", start.display()))
}

/// The specs of the committed SDK, sorted.
pub fn repository_specs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("specs");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name != NAMES_FILE
                && name != PACKAGE_FILE
                && [".yaml", ".yml", ".json"].iter().any(|ext| name.ends_with(ext))
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("{} holds no specs", dir.display()));
    }
    Ok(specs)
}

/// The options that make `generated/`: the specs of `specs/`, its names overlay, the crate's
/// name, and a test per example (the committed crate runs them).
pub fn seed_options(root: &Path) -> Result<sdkgen::Options, String> {
    Ok(sdkgen::Options {
        specs: repository_specs(root)?,
        names: Some(root.join("specs").join(NAMES_FILE)),
        crate_name: CRATE_NAME.into(),
        example_tests: true,
        mock_tests: false,
        regenerate: Some(REGENERATE.into()),
        // The version is kept from one generation to the next (`--bump` moves it).
        version: committed_version(root),
        // `Client::from_env()` reads SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET, as
        // SailPoint's own SDKs do.
        env_prefix: Some("SAIL".into()),
        package: sdkgen::Package::read(&root.join("specs").join(PACKAGE_FILE)).map_err(|e| e.to_string())?,
    })
}

/// The version of the committed crate, from its record of its public API.
fn committed_version(root: &Path) -> Option<String> {
    sdkgen::surface::Surface::read(&root.join("generated")).ok().flatten().map(|s| s.version)
}

/// The same as `sdkgen` arguments, writing to `out`.
pub fn seed_args(root: &Path, out: &Path) -> Result<Vec<String>, String> {
    let options = seed_options(root)?;
    let mut args = Vec::new();
    for spec in &options.specs {
        args.extend(["--spec".to_string(), spec.display().to_string()]);
    }
    if let Some(names) = &options.names {
        args.extend(["--names".to_string(), names.display().to_string()]);
    }
    args.extend(["--out".to_string(), out.display().to_string(), "--crate-name".to_string(), options.crate_name]);
    if options.example_tests {
        args.push("--example-tests".into());
    }
    args.extend(["--package".to_string(), root.join("specs").join(PACKAGE_FILE).display().to_string()]);
    if let Some(prefix) = options.env_prefix {
        args.extend(["--env-prefix".to_string(), prefix]);
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::find_workspace;

    #[test]
    fn the_workspace_is_the_nearest_folder_declaring_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("clone");
        let member = root.join("xtask").join("src");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = [\"xtask\"]\n").unwrap();
        std::fs::write(root.join("xtask").join("Cargo.toml"), "[package]\nname = \"xtask\"\n").unwrap();
        assert_eq!(find_workspace(&root.join("xtask")).unwrap(), root);
        assert_eq!(find_workspace(&member).unwrap(), root);
        // Another clone is found from its own folder, whatever binary runs.
        let other = dir.path().join("other");
        std::fs::create_dir_all(other.join("xtask")).unwrap();
        std::fs::write(other.join("Cargo.toml"), "[workspace]\n").unwrap();
        assert_eq!(find_workspace(&other.join("xtask")).unwrap(), other);
        assert!(find_workspace(&dir.path().join("nowhere")).is_err());
    }

    #[test]
    fn this_workspace_is_found_from_the_environment_cargo_sets() {
        let root = super::workspace_root().unwrap();
        assert!(root.join("xtask").join("Cargo.toml").is_file(), "{}", root.display());
        assert!(root.join("specs").is_dir());
    }
}
