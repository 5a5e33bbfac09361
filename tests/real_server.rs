//! End to end against a real server product: Prefect (from PyPI, pinned), started on loopback
//! with its embedded SQLite store and HTTP Basic auth, a crate generated from the OpenAPI
//! document it serves, and a flow through the generated client (tests/real_smoke/prefect.rs).
//! Prefect is installed into `target/prefect-venv` on first use; the test is skipped, saying
//! so, only when PyPI cannot be reached.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sdkgen_tests::{repo_root, run_smoke_tests, write_smoke_crate};

const PREFECT: &str = "prefect==3.9.1";

/// The venv's Python with Prefect in it, or why it could not be had (`Err(true)`: PyPI
/// unreachable, a skip; `Err(false)`: anything else, a failure).
fn install(root: &Path) -> Result<PathBuf, (bool, String)> {
    let venv = root.join("target").join("prefect-venv");
    let python = venv.join("bin").join("python");
    let stamp = venv.join(format!("installed-{PREFECT}"));
    if stamp.exists() {
        return Ok(python);
    }
    let run = |command: &mut Command| {
        let output = command.output().map_err(|e| (false, e.to_string()))?;
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let unreachable =
            ["NewConnectionError", "Temporary failure in name resolution", "Network is unreachable", "ConnectTimeout"]
                .iter()
                .any(|s| stderr.contains(s));
        Err((unreachable, stderr))
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", PREFECT]))?;
    std::fs::write(&stamp, "").map_err(|e| (false, e.to_string()))?;
    Ok(python)
}

/// A Prefect server on a free loopback port, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    _home: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(python: &Path, password: &str) -> Server {
    let home = tempfile::tempdir().expect("a PREFECT_HOME");
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let log = std::fs::File::create(home.path().join("server.log")).expect("a log");
    let child = Command::new(python)
        .args(["-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", &port.to_string()])
        .env("PREFECT_HOME", home.path())
        .env("PREFECT_SERVER_API_AUTH_STRING", format!("admin:{password}"))
        .env("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        .env("PREFECT_API_DATABASE_CONNECTION_URL", format!("sqlite+aiosqlite:///{}/prefect.db", home.path().display()))
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("a log"))
        .stderr(log)
        .spawn()
        .expect("prefect starts");
    let url = format!("http://127.0.0.1:{port}/api");
    let mut server = Server { child, url, _home: home };
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            let log = std::fs::read_to_string(server._home.path().join("server.log")).unwrap_or_default();
            panic!("prefect exited ({status}):\n{log}");
        }
        let health = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            && get(&format!("{}/health", server.url), None).is_ok();
        if health {
            return server;
        }
        assert!(started.elapsed() < Duration::from_secs(180), "prefect did not answer within 3 minutes");
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// `GET url` with curl-free plain HTTP/1.1 (loopback only), the body when the status is 200.
fn get(url: &str, basic: Option<&str>) -> Result<Vec<u8>, String> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").ok_or("not http")?;
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).ok_or("no path")?;
    let mut stream = std::net::TcpStream::connect(host).map_err(|e| e.to_string())?;
    let auth = basic.map(|b| format!("Authorization: Basic {b}\r\n")).unwrap_or_default();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(|e| e.to_string())?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no head")?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    if !head.starts_with("HTTP/1.1 200") {
        return Err(head);
    }
    let body = response[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        return Ok(unchunk(&body));
    }
    Ok(body)
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&body[start..start + size]);
        body = &body[start + size + 2..];
    }
    out
}

#[test]
fn a_generated_client_drives_a_real_prefect_server() {
    let root = repo_root();
    let python = match install(&root) {
        Ok(python) => python,
        Err((true, why)) => {
            eprintln!("skipped: PyPI cannot be reached to install {PREFECT}: {why}");
            return;
        }
        Err((false, why)) => panic!("installing {PREFECT} failed: {why}"),
    };
    let password = "s3cr3t-for-this-test";
    let server = start(&python, password);
    let basic = base64_basic("admin", password);
    let spec = get(&format!("{}/openapi.json", server.url), Some(&basic)).expect("Prefect serves its OpenAPI document");
    let dir = root.join("target").join("real-server");
    std::fs::create_dir_all(&dir).expect("a folder");
    let spec_path = dir.join("openapi.json");
    std::fs::write(&spec_path, spec).expect("the spec written");
    let options = sdkgen::Options { specs: vec![spec_path], crate_name: "prefect-client".into(), ..Default::default() };
    let out = dir.join("prefect-client");
    write_smoke_crate(&options, &out, &root.join("tests/real_smoke/prefect.rs"));
    std::env::set_var("PREFECT_URL", &server.url);
    std::env::set_var("PREFECT_PASSWORD", password);
    run_smoke_tests(&out, 2);
}

fn base64_basic(user: &str, password: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}
