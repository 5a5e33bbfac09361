//! `cargo xtask gen [--check] [--report PATH]`: regenerates `generated/` from `specs/`.
//! `cargo xtask bench`: times generation next to parsing; `cargo xtask bench-crate`: what the
//! generated full V3 crate costs to build (see bench.rs).
//!
//! With `--spec`, the arguments go to the generator as they are (see `cargo xtask gen --help`),
//! so `cargo xtask gen --spec FILE --out DIR` generates any spec into any folder. The logic
//! lives in the `sdkgen` library; this is only the repository's defaults.

mod bench;
mod fuzz;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The package name of the committed SDK.
const CRATE_NAME: &str = "sailpoint";
/// The names overlay inside `specs/`; every other YAML or JSON file there is a spec.
const NAMES_FILE: &str = "names.yaml";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("gen") => ExitCode::from(gen(args.collect()) as u8),
        Some("bench") => ExitCode::from(bench::bench(&workspace_root()) as u8),
        Some("bench-crate") => ExitCode::from(bench::bench_crate(&workspace_root()) as u8),
        Some("fuzz") => ExitCode::from(fuzz::fuzz(&workspace_root(), &args.collect::<Vec<_>>()) as u8),
        Some("fuzz-run") => ExitCode::from(fuzz::run(&workspace_root(), &args.collect::<Vec<_>>()) as u8),
        Some("bench-run") => ExitCode::from(bench::run(&workspace_root()) as u8),
        Some("bench-peak") => ExitCode::from(bench::peak(&args.collect::<Vec<_>>()) as u8),
        _ => {
            eprintln!(
                "usage: cargo xtask gen [--check] [--report PATH] [--spec FILE ... --out DIR [--crate-name NAME]]"
            );
            eprintln!("       cargo xtask bench | bench-crate | fuzz [--seconds N]");
            ExitCode::from(2)
        }
    }
}

fn gen(mut args: Vec<String>) -> i32 {
    let explicit = args.iter().any(|a| a == "--spec" || a.starts_with("--spec=") || a == "-h" || a == "--help");
    if !explicit {
        let root = workspace_root();
        let specs = match repository_specs(&root.join("specs")) {
            Ok(specs) => specs,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        for spec in specs {
            args.push("--spec".into());
            args.push(spec.display().to_string());
        }
        args.extend([
            "--names".into(),
            root.join("specs").join(NAMES_FILE).display().to_string(),
            "--out".into(),
            root.join("generated").display().to_string(),
            "--crate-name".into(),
            CRATE_NAME.into(),
            // The committed crate carries a test per spec example; tests/seed_examples.rs runs them.
            "--example-tests".into(),
        ]);
    }
    sdkgen::cli::run(args, "cargo xtask gen")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

/// The specs of the committed SDK, sorted.
fn repository_specs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name != NAMES_FILE && [".yaml", ".yml", ".json"].iter().any(|ext| name.ends_with(ext))
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("{} holds no specs", dir.display()));
    }
    Ok(specs)
}

/// The cargo that runs this xtask, to run cargo again (release builds of the measurers).
fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}
