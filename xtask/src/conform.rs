//! `cargo xtask conformance [--patience SECS] [NAME ...]`: every spec of ../shared/corpus (and
//! its `openapi31/`), the fixtures with a security scheme, parameter style or body encoding,
//! the seed specs and SailPoint's full V3 and Beta, each generated with `--mock-tests` and run
//! against Prism serving it (see `xtask::conformance`), and a Markdown table: operations,
//! passed, listed as Prism's (or the spec's) defect in tests/prism-defects.txt, failed, per
//! spec. A spec Prism cannot load within the patience is named as such.
//!
//! Exit code 0 when nothing failed that is not listed and no crate's build warned (clippy's
//! lints included), 1 otherwise.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use xtask::conformance::{check_spec, install_prism, read_defects, Outcome, FIXTURES};

struct Row {
    name: String,
    /// How the spec Prism served differs from the one given.
    served_copy: Option<String>,
    outcome: Result<Counts, String>,
    seconds: f64,
}

#[derive(Default)]
struct Counts {
    operations: usize,
    passed: usize,
    answer: usize,
    listed: usize,
    failed: Vec<String>,
    /// What building the crate warned about (clippy's lints included).
    warnings: Vec<String>,
}

pub fn conformance(root: &Path, args: &[String]) -> i32 {
    let mut patience = Duration::from_secs(300);
    let mut only = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--patience" => match args.next().and_then(|s| s.parse().ok()) {
                Some(secs) => patience = Duration::from_secs(secs),
                None => {
                    eprintln!("error: --patience needs a number of seconds");
                    return 2;
                }
            },
            other => only.push(other.to_string()),
        }
    }
    let prism = match install_prism(root) {
        Ok(prism) => prism,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let defects = match read_defects(&root.join("tests/prism-defects.txt")) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let mut rows = Vec::new();
    for (name, spec, names) in inputs(root) {
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        eprintln!("conformance: {name}");
        let started = Instant::now();
        let mut served_copy = None;
        let outcome = check_spec(root, &prism, &name, &spec, names.as_deref(), patience).map(|run| {
            served_copy.clone_from(&run.served_copy);
            let mut counts =
                Counts { operations: run.results.len(), warnings: run.warnings.clone(), ..Counts::default() };
            for (test, outcome) in &run.results {
                let listed = defects.contains_key(&(name.clone(), test.clone()));
                match outcome {
                    Outcome::Passed => counts.passed += 1,
                    Outcome::Answer(_) => counts.answer += 1,
                    _ if listed => counts.listed += 1,
                    Outcome::Crashed => counts.failed.push(format!("{test}: Prism crashed")),
                    Outcome::Failed(why) => counts.failed.push(format!("{test}: {why}")),
                }
            }
            counts
        });
        let seconds = started.elapsed().as_secs_f64();
        match &outcome {
            Ok(c) => {
                eprintln!(
                    "  {} operations, {} passed, {} answered off the spec, {} listed, {} failed ({seconds:.0} s)",
                    c.operations,
                    c.passed,
                    c.answer,
                    c.listed,
                    c.failed.len()
                );
                for f in c.failed.iter().take(5) {
                    eprintln!("    {}", f.chars().take(400).collect::<String>());
                }
                if !c.warnings.is_empty() {
                    eprintln!("  building the crate warned {} time(s):", c.warnings.len());
                    for w in c.warnings.iter().take(5) {
                        eprintln!("    {w}");
                    }
                }
                // Every failure, in full, for reading later.
                let file = root.join("target").join("conformance").join(format!("{name}.failures.txt"));
                let _ = std::fs::write(&file, c.failed.join("\n"));
            }
            Err(e) => eprintln!("  {e}"),
        }
        rows.push(Row { name, served_copy, outcome, seconds });
    }
    println!("{}", table(&rows));
    i32::from(rows.iter().any(|r| matches!(&r.outcome, Ok(c) if !c.failed.is_empty() || !c.warnings.is_empty())))
}

/// Every input: fixtures, the seed specs (with their names overlay), the corpus, and the full
/// SailPoint specs, each with the name its row and defects go by.
fn inputs(root: &Path) -> Vec<(String, PathBuf, Option<PathBuf>)> {
    let mut inputs = Vec::new();
    for fixture in FIXTURES {
        inputs.push((fixture.to_string(), root.join(format!("tests/fixtures/{fixture}.yaml")), None));
    }
    for spec in ["v3", "beta"] {
        inputs.push((
            format!("seed-{spec}"),
            root.join(format!("specs/{spec}.yaml")),
            Some(root.join("specs/names.yaml")),
        ));
    }
    let shared = root.parent().map(|p| p.join("shared")).unwrap_or_default();
    // The corpus's specs, as `cargo xtask corpus` lists them.
    for (name, spec) in crate::corpus::corpus_specs(&shared).unwrap_or_default() {
        inputs.push((name, spec, None));
    }
    for (name, file) in [("full-v3", "sailpoint-v3.yaml"), ("full-beta", "sailpoint-beta.yaml")] {
        let spec = shared.join("specs").join(file);
        if spec.exists() {
            inputs.push((name.to_string(), spec, None));
        }
    }
    inputs
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | operations | passed | accepted, answer off the spec | listed (Prism's or the spec's defect) | failed | seconds |\n|---|---|---|---|---|---|---|\n",
    );
    let mut totals = Counts::default();
    for row in rows {
        match &row.outcome {
            Ok(c) => {
                let name = match &row.served_copy {
                    Some(copy) => format!("{} ({copy})", row.name),
                    None => row.name.clone(),
                };
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} | {:.0} |\n",
                    name,
                    c.operations,
                    c.passed,
                    c.answer,
                    c.listed,
                    c.failed.len(),
                    row.seconds
                ));
                totals.operations += c.operations;
                totals.passed += c.passed;
                totals.answer += c.answer;
                totals.listed += c.listed;
                totals.failed.extend(c.failed.iter().cloned());
            }
            Err(e) => {
                let why = e.lines().next().unwrap_or("").chars().take(120).collect::<String>();
                out.push_str(&format!("| {} | not run: {why} | | | | | {:.0} |\n", row.name, row.seconds));
            }
        }
    }
    out.push_str(&format!(
        "| **total** | {} | {} | {} | {} | {} | |\n",
        totals.operations,
        totals.passed,
        totals.answer,
        totals.listed,
        totals.failed.len()
    ));
    out
}
