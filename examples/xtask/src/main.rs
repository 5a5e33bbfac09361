//! `cargo xtask gen [--check]` for a repository with its SDK's inputs in `specs/` (the specs,
//! `names.yaml`, `package.yaml`) and the SDK in `generated/`: `gen` writes the crate, `gen
//! --check` (in CI) fails when it is stale and says how to refresh it.
//!
//! `--root DIR` names the repository (default: the folder above this crate's).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sdkgen::{Generator, Outcome};

const REGENERATE: &str = "cargo xtask gen";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = match args.iter().position(|a| a == "--root") {
        Some(i) => match args.get(i + 1) {
            Some(dir) => PathBuf::from(dir),
            None => return usage("--root needs a folder"),
        },
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
    };
    match args.first().map(String::as_str) {
        Some("gen") => gen(&root, args.iter().any(|a| a == "--check")),
        _ => usage("unknown command"),
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\nusage: cargo xtask gen [--check] [--root DIR]");
    ExitCode::from(2)
}

/// The SDK's generator: every spec of `specs/`, its names overlay and package metadata.
fn generator(root: &Path) -> std::io::Result<Generator> {
    let specs = root.join("specs");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&specs)?.map(|entry| entry.map(|e| e.path())).collect::<Result<_, _>>()?;
    files.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        name != "names.yaml" && name != "package.yaml" && (name.ends_with(".yaml") || name.ends_with(".json"))
    });
    files.sort();
    Ok(Generator::new("sailpoint")
        .specs(files)
        .names(specs.join("names.yaml"))
        .package_file(specs.join("package.yaml"))
        // `Client::from_env()` reads SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET.
        .env_prefix("SAIL")
        .example_tests(true)
        .regenerate_with(REGENERATE))
}

fn gen(root: &Path, check: bool) -> ExitCode {
    let out = root.join("generated");
    let generator = match generator(root) {
        Ok(generator) => generator,
        Err(e) => {
            eprintln!("error: {}: {e}", root.join("specs").display());
            return ExitCode::from(2);
        }
    };
    let outcome: Outcome = match if check { generator.check(&out) } else { generator.write(&out) } {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for warning in &outcome.report.warnings {
        eprintln!("warning: {}: {}", warning.site, warning.message);
    }
    if let Some(changes) = &outcome.changes {
        eprintln!("{}", changes.summary());
    }
    let files = outcome.drift.files();
    match (check, files.is_empty()) {
        (_, true) => println!("{} is up to date", out.display()),
        (false, false) => println!("wrote {} ({} files changed)", out.display(), files.len()),
        (true, false) => {
            eprintln!("{} is stale; these files differ from what the specs generate:", out.display());
            for file in files {
                eprintln!("  {file}");
            }
            eprintln!("run `{REGENERATE}` to refresh them");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
