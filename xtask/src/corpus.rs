//! `cargo xtask corpus [--no-check] [NAME ...]`: every public spec of `../shared/corpus` (and
//! its `openapi31/`), SailPoint's multi-file roots in `../shared/sailpoint-idn` and its
//! docs-site page folders in `../shared/pages`, each generated into its own crate and checked by
//! `cargo clippy --all-targets -- -D warnings` (its README's examples included) and `cargo doc`
//! with warnings denied, in one shared target folder, and a Markdown table of the outcome: what
//! a new user would meet on their spec the first time.
//!
//! Exit code 0 when every spec generates a crate that passes, 1 otherwise.

use std::path::{Path, PathBuf};
use std::time::Instant;

/// One spec's outcome.
struct Row {
    name: String,
    generated: Result<Generated, String>,
    /// The check, when it ran: its seconds, and the first error when it failed.
    check: Option<(f64, Option<String>)>,
}

struct Generated {
    operations: usize,
    types: usize,
    warnings: usize,
    skipped: usize,
    ms: f64,
}

pub fn corpus(root: &Path, args: &[String]) -> i32 {
    let check = !args.iter().any(|a| a == "--no-check");
    let only: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let shared = root.parent().expect("a parent folder").join("shared");
    let Ok(specs) = inputs_in(&shared) else {
        eprintln!("error: {} is absent", shared.join("corpus").display());
        return 2;
    };
    let out = root.join("target").join("corpus");
    let mut rows = Vec::new();
    for (name, spec) in specs {
        if !only.is_empty() && !only.iter().any(|o| **o == name) {
            continue;
        }
        eprintln!("corpus: {name}");
        let dir = out.join(name.replace(['/', '.'], "-"));
        let generated = generate(&spec, &name, &dir);
        let checked = (check && generated.is_ok()).then(|| check_crate(root, &dir));
        rows.push(Row { name, generated, check: checked });
    }
    println!("{}", table(&rows, check));
    let failed = rows.iter().filter(|r| r.generated.is_err() || r.check.as_ref().is_some_and(|c| c.1.is_some()));
    i32::from(failed.count() > 0)
}

/// Each input and the name its row goes by: the specs of the corpus folder and its
/// `openapi31/` (by file stem), then SailPoint's multi-file roots (`sailpoint-idn/...`) and
/// page folders (`pages/...`), each sorted by name.
fn inputs_in(shared: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut inputs = corpus_specs(shared)?;
    let name = |p: &Path| p.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let roots = files_in(&shared.join("sailpoint-idn"), |p| p.is_file() && has_spec_extension(p)).unwrap_or_default();
    inputs.extend(roots.into_iter().map(|p| (format!("sailpoint-idn/{}", name(&p)), p)));
    let folders = files_in(&shared.join("pages"), |p| p.is_dir()).unwrap_or_default();
    inputs.extend(folders.into_iter().map(|p| (format!("pages/{}", name(&p)), p)));
    Ok(inputs)
}

/// The specs of `shared/corpus` and its `openapi31/`, by file name, each named by its stem
/// (`cargo xtask conformance` runs the same list).
pub(crate) fn corpus_specs(shared: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let corpus = shared.join("corpus");
    let mut specs = Vec::new();
    for dir in [corpus.clone(), corpus.join("openapi31")] {
        specs.extend(files_in(&dir, |p| p.is_file() && has_spec_extension(p))?);
    }
    specs.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(specs.into_iter().map(|p| (stem(&p), p)).collect())
}

fn has_spec_extension(path: &Path) -> bool {
    ["yaml", "yml", "json"].contains(&path.extension().and_then(|e| e.to_str()).unwrap_or(""))
}

/// The entries of `dir` that `keep` keeps, sorted.
fn files_in(dir: &Path, keep: impl Fn(&Path) -> bool) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if keep(&path) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn generate(spec: &Path, name: &str, dir: &Path) -> Result<Generated, String> {
    let options = sdkgen::Options {
        specs: vec![spec.to_path_buf()],
        crate_name: format!("corpus-{}", name.replace(['/', '.'], "-")),
        ..Default::default()
    };
    let clock = Instant::now();
    let generated = sdkgen::generate(&options).map_err(|e| e.to_string())?;
    let ms = clock.elapsed().as_secs_f64() * 1000.0;
    sdkgen::write::write(dir, &generated.files).map_err(|e| e.to_string())?;
    let report = &generated.report;
    Ok(Generated {
        operations: report.operations.len(),
        types: report.types,
        warnings: report.warnings.len(),
        skipped: report.skipped.len(),
        ms,
    })
}

/// `cargo clippy` (its examples included) and `cargo doc` on the crate in `dir`, each with
/// warnings denied, with every corpus crate's target folder shared.
fn check_crate(root: &Path, dir: &Path) -> (f64, Option<String>) {
    let clock = Instant::now();
    let run = |args: &[&str], rustdoc_flags: Option<&str>| {
        let mut command = crate::cargo();
        command
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", root.join("target").join("corpus-check"))
            // Each crate is checked once: incremental state would only fill the disk.
            .env("CARGO_INCREMENTAL", "0");
        if let Some(flags) = rustdoc_flags {
            command.env("RUSTDOCFLAGS", flags);
        }
        command.output()
    };
    let mut outcome = None;
    for (what, args, flags) in [
        ("clippy", &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"][..], None),
        ("doc", &["doc", "--no-deps", "--quiet"][..], Some("-D warnings")),
    ] {
        outcome = match run(args, flags) {
            Ok(o) if o.status.success() => None,
            Ok(o) => {
                let text = String::from_utf8_lossy(&o.stderr);
                let first = text.lines().find(|l| l.starts_with("error")).unwrap_or("failed");
                Some(format!("{what}: {first}"))
            }
            Err(e) => Some(format!("cargo did not run: {e}")),
        };
        if outcome.is_some() {
            break;
        }
    }
    (clock.elapsed().as_secs_f64(), outcome)
}

fn table(rows: &[Row], check: bool) -> String {
    let mut text = String::from(
        "| spec | operations | model types | warnings | skipped | generation (debug build) | crate check |\n|---|---|---|---|---|---|---|\n",
    );
    for row in rows {
        let line = match &row.generated {
            Ok(g) => {
                let check = match &row.check {
                    Some((s, None)) => format!("clean, {s:.1} s"),
                    Some((s, Some(why))) => format!("**fails** ({s:.1} s): {}", why.replace('|', "\\\\|")),
                    None if check => "not run".into(),
                    None => "skipped (--no-check)".into(),
                };
                format!(
                    "| {} | {} | {} | {} | {} | {:.0} ms | {check} |",
                    row.name, g.operations, g.types, g.warnings, g.skipped, g.ms
                )
            }
            Err(e) => {
                let why: String = e.chars().take(140).collect::<String>().replace('|', "\\\\|");
                format!("| {} | **refused**: {why} | | | | | |", row.name)
            }
        };
        text.push_str(&line);
        text.push('\n');
    }
    let passed = rows.iter().filter(|r| r.generated.is_ok() && r.check.as_ref().is_none_or(|c| c.1.is_none())).count();
    text.push_str(&format!(
        "\n{passed} of {} specs generate{}.",
        rows.len(),
        if check { " a crate that passes clippy and cargo doc" } else { "" }
    ));
    text
}
