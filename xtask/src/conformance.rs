//! Conformance against a validating mock server: a crate generated with `--mock-tests` (one
//! test per operation) is run against Prism serving the same spec, which checks every request
//! (credentials, parameters and their styles, bodies) and answers from the spec. Used by
//! `cargo xtask conformance` and by `tests/conformance.rs`.
//!
//! Prism comes from npm, pinned, installed under `target/prism` on first use, so a fresh
//! clone needs nothing by hand. Prism 5 crashes on some valid requests (an array in a header or
//! a path parameter); the runner restarts it and runs the remaining tests one by one, so one
//! crash costs only its own operation, and says which operation crashed it.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fixtures whose operations exercise a security scheme, a parameter style or a body
/// encoding (and content types and formats): `tests/conformance.rs` and `cargo xtask
/// conformance` both run them.
pub const FIXTURES: &[&str] = &["security-schemes", "parameter-styles", "body-encodings", "content-types", "formats"];

/// The Prism release the results are measured with.
pub const PRISM_VERSION: &str = "5.16.0";

/// The `prism` executable, installed under `target/prism` if it is not there yet. `Err`: npm
/// is missing or the registry cannot be reached (the message says which).
pub fn install_prism(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target").join("prism");
    let bin = dir.join("node_modules").join(".bin").join("prism");
    let stamp = dir.join(format!("installed-{PRISM_VERSION}"));
    if bin.exists() && stamp.exists() {
        return Ok(bin);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
        .arg(&dir)
        .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}"))
        .output()
        .map_err(|e| format!("npm could not be run (Node 20 and npm are needed): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "npm could not install @stoplight/prism-cli@{PRISM_VERSION}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    std::fs::write(&stamp, "").map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(bin)
}

/// A Prism mock server for one spec, stopped when dropped.
pub struct MockServer {
    prism: PathBuf,
    spec: PathBuf,
    port: u16,
    child: Child,
    log: PathBuf,
    /// How long loading the spec may take.
    patience: Duration,
}

impl MockServer {
    /// Starts Prism on a free loopback port, with `--errors` (a request that breaks the spec
    /// is answered with an error status and the violations, never with a made-up success),
    /// and waits until it listens.
    pub fn start(prism: &Path, spec: &Path, log: PathBuf, patience: Duration) -> Result<Self, String> {
        let port = free_port()?;
        let child = spawn(prism, spec, port, &log)?;
        let mut server = Self { prism: prism.to_path_buf(), spec: spec.to_path_buf(), port, child, log, patience };
        server.wait_listening()?;
        Ok(server)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Starts it again, after a crash.
    pub fn restart(&mut self) -> Result<(), String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = spawn(&self.prism, &self.spec, self.port, &self.log)?;
        self.wait_listening()
    }

    fn wait_listening(&mut self) -> Result<(), String> {
        let started = Instant::now();
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        while started.elapsed() < self.patience {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("Prism exited ({status}) before listening: {}", tail(&self.log)));
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!("Prism did not load {} within {:?}", self.spec.display(), self.patience))
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(prism: &Path, spec: &Path, port: u16, log: &Path) -> Result<Child, String> {
    let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    Command::new(prism)
        .args(["mock", "--errors", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(spec)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("{} could not be run: {e}", prism.display()))
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// The last lines of a log, for an error message.
fn tail(log: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(log) {
        let _ = file.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("at ")).collect();
    lines[lines.len().saturating_sub(6)..].join("\n")
}

/// What happened to one operation's test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// The test failed: why (the mock server's answer and its violations, or the decode error).
    Failed(String),
    /// The mock server crashed on the request (a defect of Prism's).
    Crashed,
    /// The request was accepted, but the answer Prism made from the spec does not fit the
    /// spec (an example that breaks its schema) or does not decode: the spec's defect, or
    /// Prism's, not the request's.
    Answer(String),
}

/// The mock tests of one crate: each test's outcome, and the warnings (clippy's among them)
/// that building the crate and its tests printed.
pub struct MockRun {
    pub results: BTreeMap<String, Outcome>,
    pub warnings: Vec<String>,
}

/// Runs the mock tests of the crate at `crate_dir` against `server`, one result per test,
/// building into `target/{target}` with clippy's lints (see `crate::lint`). `env` names the
/// variable that carries the server's URL.
pub fn run_mock_tests(
    root: &Path,
    crate_dir: &Path,
    target: &str,
    server: &mut MockServer,
    env: &str,
) -> Result<MockRun, String> {
    let (mut results, warnings) = cargo_mock_tests(root, crate_dir, target, &server.url(), env, None)?;
    if server.alive() {
        return Ok(MockRun { results, warnings });
    }
    // Prism died on some request: every test after it failed to connect. Each one that did not
    // pass is run again alone, on a fresh server; one that stops it again crashed it.
    let again: Vec<String> =
        results.iter().filter(|(_, o)| **o != Outcome::Passed).map(|(name, _)| name.clone()).collect();
    for name in again {
        if !server.alive() {
            server.restart()?;
        }
        let (single, _) = cargo_mock_tests(root, crate_dir, target, &server.url(), env, Some(&name))?;
        let outcome = single.get(&name).cloned().unwrap_or_else(|| Outcome::Failed("did not run".into()));
        let outcome = if !server.alive() && outcome != Outcome::Passed { Outcome::Crashed } else { outcome };
        results.insert(name, outcome);
    }
    if !server.alive() {
        server.restart()?;
    }
    Ok(MockRun { results, warnings })
}

fn cargo_mock_tests(
    root: &Path,
    crate_dir: &Path,
    target: &str,
    url: &str,
    env: &str,
    only: Option<&str>,
) -> Result<(BTreeMap<String, Outcome>, Vec<String>), String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    crate::lint::with_clippy(&mut command)
        .args(["test", "--test", "mock_server", "--"])
        .current_dir(crate_dir)
        .env(env, url)
        .env("CARGO_TARGET_DIR", root.join("target").join(target))
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_PROFILE_TEST_DEBUG", "false")
        .env_remove("RUSTFLAGS");
    match only {
        Some(name) => command.args(["--exact", name, "--test-threads", "1"]),
        None => command.args(["--test-threads", "4"]),
    };
    let output = command.output().map_err(|e| format!("cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results = parse_test_output(&stdout);
    if results.is_empty() {
        return Err(format!(
            "the mock tests of {} did not run:\n{}",
            crate_dir.display(),
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    Ok((results, crate::lint::warnings(&String::from_utf8_lossy(&output.stderr))))
}

/// Each test's outcome from libtest's output: `test NAME ... ok|FAILED`, with the failure's
/// message from its `---- NAME stdout ----` section.
pub fn parse_test_output(stdout: &str) -> BTreeMap<String, Outcome> {
    let mut results = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else { continue };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            results.insert(name.to_string(), Outcome::Passed);
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            results.insert(name.to_string(), Outcome::Failed(String::new()));
        }
    }
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        if let Some(name) = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----")) {
            current = Some(name.to_string());
            continue;
        }
        if line.starts_with("stack backtrace:") || line == "failures:" {
            current = None;
        }
        if let Some(name) = &current {
            if let Some(Outcome::Failed(why)) = results.get_mut(name) {
                let line = line.trim();
                let noise = line.is_empty() || line.starts_with("note:") || line.starts_with("thread '");
                if !noise && why.len() < 600 {
                    if !why.is_empty() {
                        why.push(' ');
                    }
                    why.push_str(line);
                }
            }
        }
    }
    for outcome in results.values_mut() {
        if let Outcome::Failed(why) = outcome {
            if why.starts_with("the answer does not") {
                *outcome = Outcome::Answer(std::mem::take(why));
            }
        }
    }
    results
}

/// The cases listed as Prism's own defects: `spec test-name: why` per line (`#` comments).
pub fn read_defects(path: &Path) -> Result<BTreeMap<(String, String), String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut defects = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once(':').and_then(|(key, why)| {
            let (spec, test) = key.trim().split_once(' ')?;
            Some(((spec.to_string(), test.trim().to_string()), why.trim().to_string()))
        });
        let Some((key, why)) = parsed else {
            return Err(format!("{}:{}: expected `spec test-name: why`", path.display(), i + 1));
        };
        defects.insert(key, why);
    }
    Ok(defects)
}

/// How one spec fared: each operation's test and its outcome.
pub struct SpecRun {
    pub results: BTreeMap<String, Outcome>,
    /// What building the crate and its mock tests warned about (clippy's lints included).
    pub warnings: Vec<String>,
    /// How the spec Prism served differs from the one given, when Prism could not load that
    /// (see `prism_copy`).
    pub served_copy: Option<String>,
}

/// Generates a crate with mock tests from `specs` (one spec, or a spec and its names
/// overlay) into `target/conformance/{name}`, serves `specs[0]` with Prism, and runs them.
pub fn check_spec(
    root: &Path,
    prism: &Path,
    name: &str,
    spec: &Path,
    names: Option<&Path>,
    patience: Duration,
) -> Result<SpecRun, String> {
    let dir = root.join("target").join("conformance").join(name);
    let crate_name = format!("mock_{}", name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
    let options = sdkgen::Options {
        specs: vec![spec.to_path_buf()],
        names: names.map(Path::to_path_buf),
        crate_name,
        mock_tests: true,
        ..Default::default()
    };
    let generated = sdkgen::generate(&options).map_err(|e| format!("{}: {e}", spec.display()))?;
    sdkgen::write::write(&dir, &generated.files).map_err(|e| format!("{}: {e}", dir.display()))?;
    // The workspace's lock file pins the crate's dependencies to versions built before.
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    // The log lies beside the crate: the crate's folder holds only what generation writes.
    let log = root.join("target").join("conformance").join(format!("{name}.prism.log"));
    let (mut server, served_copy) = match MockServer::start(prism, spec, log.clone(), patience) {
        Ok(server) => (server, None),
        // A `$ref` Prism could not follow: the copy without those, if there were any.
        Err(e) if ["MissingPointerError", "does not exist", "ENOENT"].iter().any(|m| e.contains(m)) => {
            let (copy, changes) = prism_loadable_copy(root, name, spec)?;
            if changes.is_empty() {
                return Err(e);
            }
            (MockServer::start(prism, &copy, log, patience)?, Some(changes.describe()))
        }
        Err(e) => return Err(e),
    };
    // The folder the tests' other `cargo test` builds of generated crates use: the same
    // dependencies, built once per run instead of once more here.
    let run = run_mock_tests(root, &dir, "sdk-smoke", &mut server, "MOCK_SERVER_URL")?;
    Ok(SpecRun { results: run.results, warnings: run.warnings, served_copy })
}

/// Writes `target/conformance/{name}.prism.json`, the copy of `spec` Prism can load.
fn prism_loadable_copy(root: &Path, name: &str, spec: &Path) -> Result<(PathBuf, crate::prism_copy::Changes), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    // YAML reads JSON too.
    let doc: serde_json::Value = serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    let dir = spec.parent().unwrap_or(Path::new("."));
    let (copy, changes) = crate::prism_copy::loadable(&doc, dir);
    let out = root.join("target").join("conformance").join(format!("{name}.prism.json"));
    let json = serde_json::to_string(&copy).map_err(|e| e.to_string())?;
    std::fs::write(&out, json).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok((out, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_output_is_read_with_failure_messages() {
        let out = "running 3 tests\ntest a ... ok\ntest b ... FAILED\ntest c ... FAILED\n\nfailures:\n\n---- b stdout ----\n\nthread 'b' panicked at tests/x.rs:1:1:\nthe mock server answered 422: bad\nnote: run with\n\n---- c stdout ----\nboom\n";
        let results = parse_test_output(out);
        assert_eq!(results["a"], Outcome::Passed);
        assert_eq!(results["b"], Outcome::Failed("the mock server answered 422: bad".into()));
        assert_eq!(results["c"], Outcome::Failed("boom".into()));
    }
}
