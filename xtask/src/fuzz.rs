//! `cargo xtask fuzz [--seconds N]`: a mutation fuzzer over load + lower + normalize + emit +
//! format that runs on the stable toolchain (cargo-fuzz needs nightly).
//!
//! Inputs are the fixture specs, bad inputs and pages under tests/fixtures and specs/; each
//! iteration mutates one (bit flips, insertions and deletions, truncation, splices of two
//! inputs, OpenAPI tokens dropped in) and generates from it. Any panic, or a run over five
//! seconds, is a finding: the input is saved under target/fuzz-findings/ and the command exits 1.
//! Errors are the expected outcome for most mutants and are not findings.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `cargo xtask fuzz`: builds the release fuzzer and runs it.
pub fn fuzz(root: &Path, args: &[String]) -> i32 {
    let status = crate::cargo()
        .args(["run", "--quiet", "--release", "--package", "xtask", "--", "fuzz-run"])
        .args(args)
        .current_dir(root)
        .status();
    status.ok().and_then(|s| s.code()).unwrap_or(2)
}

const TOKENS: &[&str] = &[
    "$ref",
    "\"$ref\": \"#/components/schemas/A\"",
    "allOf",
    "oneOf",
    "anyOf",
    "nullable: true",
    "type: array",
    "type: object",
    "items:",
    "properties:",
    "additionalProperties: false",
    "enum: [a, null]",
    "{",
    "}",
    "[",
    "]",
    "*a",
    "&a",
    "- ",
    ":",
    "\"",
    "\\u0000",
    "-1",
    "99999999999999999999",
    "format: int32",
    "required: [x]",
    "discriminator: {propertyName: t}",
    "/{id}",
    "in: path",
    "application/json",
    "multipart/form-data",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut dirs = vec![root.join("tests/fixtures"), root.join("specs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("yaml").to_string();
                files.push((ext, bytes));
            }
        }
    }
    files.sort();
    files
}

fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at.min(data.len()), rng.next() as u8),
            2 if at < data.len() => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            3 => data.truncate(at),
            4 if !other.is_empty() => {
                let from = rng.below(other.len());
                let len = rng.below(256).min(other.len() - from);
                let at = at.min(data.len());
                data.splice(at..at, other[from..from + len].iter().copied());
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = at.min(data.len());
                data.splice(at..at, token.iter().copied());
            }
        }
    }
    data
}

/// `fuzz-run [--seconds N]`, in a release build.
pub fn run(root: &Path, args: &[String]) -> i32 {
    let seconds: u64 = args.windows(2).find(|w| w[0] == "--seconds").and_then(|w| w[1].parse().ok()).unwrap_or(60);
    let corpus = corpus(root);
    if corpus.is_empty() {
        eprintln!("error: no inputs under tests/fixtures or specs");
        return 2;
    }
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1;
    let mut rng = Rng(seed);
    let work = std::env::temp_dir().join(format!("sdkgen-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("a work folder");
    let findings = root.join("target/fuzz-findings");
    std::panic::set_hook(Box::new(|_| {}));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut runs, mut errors, mut found) = (0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        let (ext, input) = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())].1;
        let data = mutate(&mut rng, input, other);
        let path: PathBuf = work.join(format!("input.{ext}"));
        std::fs::write(&path, &data).expect("writable");
        let options = sdkgen::Options {
            specs: vec![path.clone()],
            names: None,
            crate_name: "fuzz".into(),
            example_tests: true,
            ..Default::default()
        };
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| sdkgen::generate(&options).map(|_| ()));
        runs += 1;
        let slow = started.elapsed() > Duration::from_secs(5);
        match outcome {
            Ok(Ok(())) if !slow => {}
            Ok(Err(_)) if !slow => errors += 1,
            _ => {
                found += 1;
                std::fs::create_dir_all(&findings).expect("writable");
                let saved = findings.join(format!("{}-{runs}.{ext}", if slow { "slow" } else { "panic" }));
                std::fs::write(&saved, &data).expect("writable");
                eprintln!("finding: {}", saved.display());
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    println!(
        "fuzzed {seconds} s: {runs} inputs from {} seeds, {errors} clean errors, {found} findings (seed {seed})",
        corpus.len()
    );
    i32::from(found > 0)
}
