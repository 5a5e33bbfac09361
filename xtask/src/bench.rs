//! `cargo xtask bench`: how long generation takes next to only parsing the spec, stage by stage,
//! and how much memory each needs at its peak.
//!
//! Method: the measuring runs are a release build of this same program (`bench-run`); each
//! input is generated once to warm up, then `RUNS` times, and every figure is the median of
//! those runs. Peak memory is the `VmHWM` (peak resident set) that Linux reports for a fresh
//! process doing one parse or one generation (`bench-peak`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const RUNS: usize = 7;

/// (label, spec files relative to the repository or to ../shared/specs, names overlay)
fn inputs(root: &Path) -> Vec<(&'static str, Vec<PathBuf>, Option<PathBuf>)> {
    let shared = root.parent().expect("a parent folder").join("shared").join("specs");
    let seeds = xtask::seed_options(root).expect("the repository's specs");
    let mut inputs = vec![("seeds (specs/)", seeds.specs, seeds.names)];
    if shared.is_dir() {
        for (label, file) in [
            ("sailpoint-v3.yaml", "sailpoint-v3.yaml"),
            ("sailpoint-v3.inlined.json", "sailpoint-v3.inlined.json"),
            ("sailpoint-beta.inlined.json", "sailpoint-beta.inlined.json"),
        ] {
            inputs.push((label, vec![shared.join(file)], None));
        }
        // The largest public spec of the corpus that both parsers read.
        let stripe = shared.parent().expect("../shared").join("corpus/stripe.json");
        if stripe.is_file() {
            inputs.push(("stripe.json", vec![stripe], None));
        }
    } else {
        eprintln!("note: {} is absent; benchmarking the seeds only", shared.display());
    }
    inputs
}

/// `cargo xtask bench`: builds the release measurer and runs it.
pub fn bench(root: &Path) -> i32 {
    let status = crate::cargo()
        .args(["run", "--quiet", "--release", "--package", "xtask", "--", "bench-run"])
        .current_dir(root)
        .status();
    match status {
        Ok(s) => s.code().unwrap_or(1),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            2
        }
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Parses the specs into openapiv3 documents and nothing more: the floor for generation.
fn parse_only(specs: &[PathBuf]) -> usize {
    specs
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable spec");
            let doc: openapiv3::OpenAPI = if path.extension().is_some_and(|e| e == "json") {
                serde_json::from_str(&text).expect("a JSON spec")
            } else {
                serde_yaml::from_str(&text).expect("a YAML spec")
            };
            doc.paths.paths.len()
        })
        .sum()
}

fn generate(specs: &[PathBuf], names: &Option<PathBuf>) -> sdkgen::Generated {
    let options = sdkgen::Options {
        specs: specs.to_vec(),
        names: names.clone(),
        crate_name: "bench".into(),
        ..Default::default()
    };
    sdkgen::generate(&options).expect("the benchmark inputs generate")
}

/// `bench-run`, in a release build: the table.
pub fn run(root: &Path) -> i32 {
    let exe = std::env::current_exe().expect("own path");
    println!("| input | parse only | generate | ratio | load | lower | normalize | emit | format | peak memory: parse | generate | ratio |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (label, specs, names) in inputs(root) {
        parse_only(&specs);
        let parse: Vec<f64> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(parse_only(&specs));
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        generate(&specs, &names);
        let mut total = Vec::new();
        let mut stages: [Vec<f64>; 5] = Default::default();
        for _ in 0..RUNS {
            let t = Instant::now();
            let generated = std::hint::black_box(generate(&specs, &names));
            total.push(t.elapsed().as_secs_f64() * 1000.0);
            let s = &generated.report.timings_ms;
            for (v, x) in stages.iter_mut().zip([s.load, s.lower, s.normalize, s.emit, s.format]) {
                v.push(x);
            }
        }
        let peak = |mode: &str| -> f64 {
            let mut cmd = Command::new(&exe);
            cmd.arg("bench-peak").arg(mode);
            if let Some(n) = &names {
                cmd.arg("--names").arg(n);
            }
            let out = cmd.args(&specs).output().expect("the measurer runs itself");
            String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().unwrap_or(f64::NAN) / 1024.0
        };
        let (parse_ms, total_ms) = (median(parse), median(total));
        let (parse_mb, gen_mb) = (peak("parse"), peak("generate"));
        let stages: Vec<String> = stages.into_iter().map(|v| format!("{:.0} ms", median(v))).collect();
        println!(
            "| {label} | {parse_ms:.0} ms | {total_ms:.0} ms | {:.2}x | {} | {parse_mb:.0} MiB | {gen_mb:.0} MiB | {:.2}x |",
            total_ms / parse_ms,
            stages.join(" | "),
            gen_mb / parse_mb
        );
    }
    println!("\n(medians of {RUNS} runs after one warm-up; peak memory is the process's peak resident set)");
    0
}

/// `bench-peak parse|generate [--names FILE] SPEC...`: does it once, prints its peak RSS in KiB.
pub fn peak(args: &[String]) -> i32 {
    let mut names = None;
    let mut specs = Vec::new();
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        if a == "--names" {
            names = it.next().map(PathBuf::from);
        } else {
            specs.push(PathBuf::from(a));
        }
    }
    match args.first().map(String::as_str) {
        Some("parse") => {
            std::hint::black_box(parse_only(&specs));
        }
        Some("generate") => {
            std::hint::black_box(generate(&specs, &names));
        }
        _ => return 2,
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    println!("{kib}");
    0
}
