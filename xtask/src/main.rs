//! `cargo xtask gen [--check] [--report PATH]`: regenerates `generated/` from `specs/`.
//! `cargo xtask bench`: times generation next to parsing; `cargo xtask bench-crate [--peer]`:
//! what the full V3 and Stripe crates cost to build, beside ploidy's (see bench_crate.rs);
//! `cargo xtask corpus`: every public spec of ../shared/corpus generated and checked by clippy
//! and rustdoc (see corpus.rs).
//!
//! With `--spec`, the arguments go to the generator as they are (see `cargo xtask gen --help`),
//! so `cargo xtask gen --spec FILE --out DIR` generates any spec into any folder. The logic
//! lives in the `sdkgen` library; this is only the repository's defaults.

mod bench;
mod bench_crate;
mod conform;
mod corpus;
mod fuzz;
mod history;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("gen") => ExitCode::from(gen(args.collect()) as u8),
        Some("bench") => ExitCode::from(bench::bench(&workspace_root()) as u8),
        Some("bench-crate") => {
            ExitCode::from(bench_crate::bench_crate(&workspace_root(), &args.collect::<Vec<_>>()) as u8)
        }
        Some("conformance") => ExitCode::from(conform::conformance(&workspace_root(), &args.collect::<Vec<_>>()) as u8),
        Some("corpus") => ExitCode::from(corpus::corpus(&workspace_root(), &args.collect::<Vec<_>>()) as u8),
        Some("fuzz") => ExitCode::from(fuzz::fuzz(&workspace_root(), &args.collect::<Vec<_>>()) as u8),
        Some("fuzz-run") => ExitCode::from(fuzz::run(&workspace_root(), &args.collect::<Vec<_>>()) as u8),
        Some("bench-run") => ExitCode::from(bench::run(&workspace_root()) as u8),
        Some("bench-peak") => ExitCode::from(bench::peak(&args.collect::<Vec<_>>()) as u8),
        Some("history") => ExitCode::from(history::history(&args.collect::<Vec<_>>()) as u8),
        _ => {
            eprintln!(
                "usage: cargo xtask gen [--check] [--report PATH] [--spec FILE ... --out DIR [--crate-name NAME]]"
            );
            eprintln!(
                "       cargo xtask bench | bench-crate [--peer] | fuzz [--seconds N] | corpus [--no-check] [NAME ...]"
            );
            eprintln!("       cargo xtask conformance [--patience SECS] [NAME ...]");
            eprintln!("       cargo xtask history --repo GIT_DIR [--file PATH] [--details]");
            ExitCode::from(2)
        }
    }
}

fn gen(mut args: Vec<String>) -> i32 {
    let explicit = args.iter().any(|a| a == "--spec" || a.starts_with("--spec=") || a == "-h" || a == "--help");
    if !explicit {
        let root = workspace_root();
        match xtask::seed_args(&root, &root.join("generated")) {
            Ok(seed) => args.extend(seed),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    }
    sdkgen::cli::run(args, Some(xtask::REGENERATE))
}

/// The workspace, found at run time (see `xtask::workspace_root`).
fn workspace_root() -> PathBuf {
    xtask::workspace_root().unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2)
    })
}

/// The cargo that runs this xtask, to run cargo again (release builds of the measurers).
fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}
