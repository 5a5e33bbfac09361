//! Clippy's lints in the build that makes a generated crate's test binaries. `cargo clippy`
//! only checks; a test needs a real build. Pointing `RUSTC_WORKSPACE_WRAPPER` at
//! `clippy-driver` (what `cargo clippy` does itself) makes one build give both the binaries
//! and the lints of the crate's own code, so a crate that is built to be tested needs no
//! second, clippy-only pass. The wrapper applies to the crate alone: its dependencies keep
//! the builds they share with plain ones.

use std::path::PathBuf;
use std::process::Command;

/// `clippy-driver` of the toolchain that `rustc` (or `$RUSTC`) belongs to, else the one on
/// `PATH` (rustup's proxy).
pub fn clippy_driver() -> PathBuf {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let name = format!("clippy-driver{}", std::env::consts::EXE_SUFFIX);
    sysroot.map(|root| root.join("bin").join(&name)).filter(|p| p.is_file()).unwrap_or_else(|| PathBuf::from(name))
}

/// Makes the cargo `command` lint the crate it builds with clippy.
pub fn with_clippy(command: &mut Command) -> &mut Command {
    command.env("RUSTC_WORKSPACE_WRAPPER", clippy_driver())
}

/// The warnings a build printed on stderr, each with the lines that explain it, up to the
/// next blank line (cargo's and rustc's both start `warning`).
pub fn warnings(stderr: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in stderr.lines() {
        if line.starts_with("warning") {
            found.extend(current.take());
            current = Some(line.to_string());
        } else if !explains(line) {
            found.extend(current.take());
        } else if let Some(text) = &mut current {
            if text.len() < 2000 {
                text.push('\n');
                text.push_str(line);
            }
        }
    }
    found.extend(current);
    found
}

/// Whether `line` belongs to the message above it (` --> file`, `  |`, `12 | code`, `  = note`),
/// rather than being cargo's next status line.
fn explains(line: &str) -> bool {
    let rest = line.trim_start();
    let numbered = rest.split_once(' ').is_some_and(|(n, tail)| {
        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && tail.trim_start().starts_with('|')
    });
    ["-->", "|", "=", ":::", "..."].iter().any(|p| rest.starts_with(p)) || numbered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_read_with_their_explanation() {
        let stderr = "   Compiling a v0.1.0\nwarning: this argument is a `&Vec`\n --> src/lib.rs:1:1\n  |\n1 | pub fn f(x: &Vec<u8>)\n  = note: on by default\nwarning: `a` (lib) generated 1 warning\n    Finished `test` profile\n     Running tests/x.rs\n";
        let found = warnings(stderr);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("warning: this argument") && found[0].contains("src/lib.rs:1:1"));
        assert!(found[0].contains("1 | pub fn") && found[0].ends_with("on by default"), "{}", found[0]);
        assert_eq!(found[1], "warning: `a` (lib) generated 1 warning");
        assert!(warnings("   Compiling a\n    Finished\n").is_empty());
    }

    #[test]
    fn a_wrapped_build_reports_clippy_lints() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"lint-probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "pub fn f(x: &Vec<u8>) -> usize { x.len() }\n").unwrap();
        let output = with_clippy(
            Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args(["build", "--quiet"]),
        )
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("cargo runs");
        assert!(output.status.success());
        let found = warnings(&String::from_utf8_lossy(&output.stderr));
        assert!(found.iter().any(|w| w.contains("clippy::ptr_arg") || w.contains("&Vec")), "{found:?}");
        assert!(dir.join("target/debug/liblint_probe.rlib").exists(), "a real build, not a check");
    }
}
