//! `cargo xtask bench-crate [--peer]`: what a generated crate costs its users to build, for
//! SailPoint's full V3 spec and Stripe's: the lines of Rust (and of the API module per
//! operation), and `cargo check` and `cargo build` of the crate alone (dependencies built
//! first, untimed; then the crate's sources touched before each run; median of 3).
//!
//! `--peer` also installs ploidy (`cargo install --locked ploidy` into `target/ploidy`),
//! generates its crate for the same spec and times it the same way, ours and its alternately
//! in one run, so that a busy machine slows both alike; the table gives the ratio.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Timed runs of each command for each crate.
const RUNS: usize = 3;

/// A crate to time: where it is and which file to touch to make cargo rebuild it alone.
struct Subject {
    label: String,
    dir: PathBuf,
    touch: PathBuf,
}

pub fn bench_crate(root: &Path, args: &[String]) -> i32 {
    let peer = args.iter().any(|a| a == "--peer");
    let shared = root.parent().expect("a parent folder").join("shared");
    let specs =
        [("sailpoint-v3", shared.join("specs/sailpoint-v3.yaml")), ("stripe", shared.join("corpus/stripe.json"))];
    let ploidy = if peer {
        match install_ploidy(root) {
            Ok(path) => Some(path),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    } else {
        None
    };
    let target = root.join("target/bench-crate/target");
    for (name, spec) in specs {
        if !spec.is_file() {
            eprintln!("error: {} is absent", spec.display());
            return 2;
        }
        let ours = match ours(root, name, &spec) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        let mut subjects = vec![ours];
        if let Some(ploidy) = &ploidy {
            match theirs(root, ploidy, name, &spec) {
                Ok(s) => subjects.push(s),
                Err(e) => {
                    eprintln!("error: {e}");
                    return 1;
                }
            }
        }
        for command in ["check", "build"] {
            let mut times: Vec<Vec<f64>> = vec![Vec::new(); subjects.len()];
            for s in &subjects {
                // Dependencies first, untimed.
                if cargo(&s.dir, &target, command).is_none() {
                    eprintln!("error: cargo {command} failed in {}", s.dir.display());
                    return 1;
                }
            }
            for _ in 0..RUNS {
                for (s, t) in subjects.iter().zip(&mut times) {
                    let text = std::fs::read(&s.touch).expect("readable source");
                    std::fs::write(&s.touch, text).expect("touch");
                    t.push(cargo(&s.dir, &target, command).unwrap_or(f64::NAN));
                }
            }
            let medians: Vec<f64> = times.into_iter().map(median).collect();
            let row: Vec<String> =
                subjects.iter().zip(&medians).map(|(s, m)| format!("{} {m:.1} s", s.label)).collect();
            let ratio = (medians.len() == 2).then(|| format!(" (ours / peer: {:.2}x)", medians[0] / medians[1]));
            println!("{name}: cargo {command}: {}{}", row.join(", "), ratio.unwrap_or_default());
        }
    }
    println!("(each crate alone, dependencies built; median of {RUNS} after touching its sources, alternating)");
    0
}

/// Generates our crate for `spec` and prints its line counts.
fn ours(root: &Path, name: &str, spec: &Path) -> Result<Subject, String> {
    let out = root.join("target/bench-crate").join(name);
    let generated = sdkgen::Generator::new(name).spec(spec).generate().map_err(|e| e.to_string())?;
    sdkgen::write::write(&out, &generated.files).map_err(|e| e.to_string())?;
    let _ = std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"));
    let lines = |f: &sdkgen::format::OutputFile| f.text.lines().count();
    let rust: usize = generated.files.iter().filter(|f| f.path.ends_with(".rs")).map(lines).sum();
    let models: usize = generated.files.iter().filter(|f| f.path == "src/models.rs").map(lines).sum();
    let operations = generated.report.operations.len();
    let api: usize = generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/") && f.path.ends_with(".rs"))
        .filter(|f| !["src/lib.rs", "src/models.rs"].contains(&f.path.as_str()) && !f.path.starts_with("src/runtime/"))
        .map(lines)
        .sum();
    println!(
        "{name}: {operations} operations, {} model types; {rust} lines of Rust: models {models}, API modules {api} \
         ({:.0} per operation)",
        generated.report.types,
        api as f64 / operations.max(1) as f64
    );
    Ok(Subject { label: "sdkgen".into(), touch: out.join("src/lib.rs"), dir: out })
}

/// Generates ploidy's crate for `spec`.
fn theirs(root: &Path, ploidy: &Path, name: &str, spec: &Path) -> Result<Subject, String> {
    let out = root.join("target/bench-crate").join(format!("{name}-ploidy"));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(ploidy)
        .args(["generate", "rust"])
        .arg(spec)
        .arg("-o")
        .arg(&out)
        .status()
        .map_err(|e| format!("ploidy: {e}"))?;
    if !status.success() {
        return Err(format!("ploidy could not generate a crate from {}", spec.display()));
    }
    let touch = out.join("src/lib.rs");
    if !touch.is_file() {
        return Err(format!("ploidy wrote no {}", touch.display()));
    }
    // Its own workspace, as ours has, since it is written inside this repository's.
    let manifest = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        std::fs::write(&manifest, text + "\n[workspace]\n").map_err(|e| format!("{}: {e}", manifest.display()))?;
    }
    Ok(Subject { label: "ploidy".into(), dir: out, touch })
}

/// `target/ploidy/bin/ploidy`, installed there from crates.io when it is not yet.
fn install_ploidy(root: &Path) -> Result<PathBuf, String> {
    let prefix = root.join("target/ploidy");
    let bin = prefix.join("bin/ploidy");
    if bin.is_file() {
        return Ok(bin);
    }
    let status = crate::cargo()
        .args(["install", "--locked", "--quiet", "ploidy", "--root"])
        .arg(&prefix)
        .status()
        .map_err(|e| format!("cargo install: {e}"))?;
    if status.success() && bin.is_file() {
        Ok(bin)
    } else {
        Err("cargo install --locked ploidy failed".into())
    }
}

/// Runs `cargo {command}` in `dir`; its seconds when it succeeded.
fn cargo(dir: &Path, target: &Path, command: &str) -> Option<f64> {
    let clock = Instant::now();
    let status = crate::cargo()
        .args([command, "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .status()
        .ok()?;
    status.success().then(|| clock.elapsed().as_secs_f64())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}
