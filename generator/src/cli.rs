//! The command line, shared by the `sdkgen` binary and `cargo xtask gen`.
//!
//! Exit codes: 0 done (or fresh with `--check`), 1 `--check` found drift, 2 bad input or usage,
//! 3 a bug in the generator (an internal error or a panic), which asks to be reported.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::builder::Generator;
use crate::changes::ChangeReport;
use crate::error::Error;
use crate::package::Package;
use crate::pipeline::{assemble_pages, Options};
use crate::surface::SURFACE_FILE;
use crate::write::Drift;

const USAGE: &str = "\
usage: sdkgen --spec FILE [--spec FILE ...] --out DIR [--crate-name NAME] [--names FILE]
              [--report PATH] [--check] [--strict] [--example-tests] [--emit-spec DIR]
              [--changes PATH] [--changes-md PATH] [--bump] [--env-prefix PREFIX]
              [--package FILE]

  --spec FILE        an OpenAPI 3.0 spec (YAML or JSON); each becomes one API module. Its
                     `$ref`s may name other files inside its folder (a multi-file spec: give
                     the root file). Also a documentation page with the operation in its front
                     matter (`api:`), or a folder of them: pages sharing a server URL become
                     one API
  --out DIR          the folder of the generated crate
  --crate-name NAME  the crate's package name (default: the folder's name)
  --names FILE       a names overlay: components.schemas whose shapes name inline schemas
  --report PATH      write a JSON report of what was generated, folded and skipped
  --check            write nothing; exit 1 and list the files that differ if DIR is stale
  --strict           treat every warning about the spec (a defect worked around, an operation
                     skipped) as an error: exit 2 and write nothing
  --example-tests    also write tests/examples.rs: a test per example of a JSON body in the
                     specs, decoding it into the generated type for that body
  --mock-tests       also write tests/mock_server.rs: a test per operation that sends a call
                     made from the spec's examples (or values fitting its schemas) to the
                     validating mock server at MOCK_SERVER_URL (MOCK_SERVER_URL_{MODULE} when
                     the crate has several APIs) and asserts a documented answer
  --emit-spec DIR    write the OpenAPI documents assembled from the pages into DIR
  --changes PATH     compare the crate with the one already in DIR (its api.json) and write
                     what changed for its users as JSON: the SemVer bump it implies, and the
                     operations and types added, removed and changed, breaking or not
  --changes-md PATH  the same as Markdown, ready for a changelog entry
  --bump             set the crate's version from the previous one by that comparison (below
                     1.0, a breaking change bumps the minor); without it the version is kept
  --env-prefix P     give each client `Client::from_env()`, reading P_BASE_URL and the
                     credentials of the spec's schemes (P_CLIENT_ID and P_CLIENT_SECRET,
                     P_TOKEN, P_API_KEY, P_USERNAME and P_PASSWORD) from the environment
  --package FILE     the package's metadata (YAML or JSON, keys as in Cargo.toml): version,
                     description, license, repository, homepage, documentation, authors,
                     keywords, categories, publish (false unless it says true); a version
                     given there is the crate's, and --bump cannot also set it";

#[derive(Debug, Default)]
struct Args {
    specs: Vec<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    names: Option<PathBuf>,
    report: Option<PathBuf>,
    check: bool,
    strict: bool,
    example_tests: bool,
    mock_tests: bool,
    emit_spec: Option<PathBuf>,
    changes: Option<PathBuf>,
    changes_md: Option<PathBuf>,
    bump: bool,
    env_prefix: Option<String>,
    package: Option<PathBuf>,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--spec" => parsed.specs.push(value()?.into()),
            "--out" => parsed.out = Some(value()?.into()),
            "--crate-name" => parsed.crate_name = Some(value()?),
            "--names" => parsed.names = Some(value()?.into()),
            "--report" => parsed.report = Some(value()?.into()),
            "--check" => parsed.check = true,
            "--strict" => parsed.strict = true,
            "--example-tests" => parsed.example_tests = true,
            "--mock-tests" => parsed.mock_tests = true,
            "--emit-spec" => parsed.emit_spec = Some(value()?.into()),
            "--changes" => parsed.changes = Some(value()?.into()),
            "--changes-md" => parsed.changes_md = Some(value()?.into()),
            "--bump" => parsed.bump = true,
            "--env-prefix" => parsed.env_prefix = Some(value()?),
            "--package" => parsed.package = Some(value()?.into()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if parsed.specs.is_empty() {
        return Err("give at least one --spec".into());
    }
    if parsed.out.is_none() && parsed.emit_spec.is_none() {
        return Err("give --out (or --emit-spec)".into());
    }
    Ok(parsed)
}

/// Runs the command and returns the process exit code. `regenerate` is the command that
/// regenerates the output (`cargo xtask gen`), if the caller has one: the files' headers name
/// it, and so does `--check` when it finds drift.
pub fn run(args: impl IntoIterator<Item = String>, regenerate: Option<&str>) -> i32 {
    let args: Vec<String> = args.into_iter().collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return 0;
    }
    let args = match parse_args(args) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return 2;
        }
    };
    guarded(|| execute(&args, regenerate))
}

/// Runs `work`, turning its error into an exit code; a panic (a bug) ends in code 3 with a
/// request to report it, like any internal error, never in a bare backtrace and code 101.
fn guarded(work: impl FnOnce() -> Result<i32, Error>) -> i32 {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        Err(Error::Internal(format!("the generator panicked: {what}")))
    });
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

fn execute(args: &Args, regenerate: Option<&str>) -> Result<i32, Error> {
    if let Some(dir) = &args.emit_spec {
        emit_specs(&args.specs, dir)?;
    }
    let Some(out) = args.out.clone() else { return Ok(0) };
    let crate_name = match &args.crate_name {
        Some(name) => name.clone(),
        None => default_crate_name(&out),
    };
    let options = Options {
        specs: args.specs.clone(),
        names: args.names.clone(),
        crate_name: crate_name.clone(),
        example_tests: args.example_tests,
        mock_tests: args.mock_tests,
        regenerate: regenerate.map(str::to_string),
        version: None,
        env_prefix: args.env_prefix.clone(),
        package: Package::default(),
    };
    let mut generator = Generator::from_options(options).bump(args.bump);
    if let Some(path) = &args.package {
        generator = generator.package_file(path);
    }
    let prepared = generator.prepare(&out)?;
    // With --strict, what would be a warning is an error, and nothing is written.
    let level = if args.strict { "error" } else { "warning" };
    let report = &prepared.generated.report;
    for w in &report.warnings {
        eprintln!("{level}: {}: {}", w.site, w.message);
    }
    for s in &report.skipped {
        eprintln!("{level}: {}: operation skipped: {}", s.site, s.reason);
    }
    let defects = report.warnings.len() + report.skipped.len();
    if args.strict && defects > 0 {
        eprintln!(
            "error: --strict: the spec has {defects} defect(s) the generator would work around; nothing was written"
        );
        return Ok(2);
    }

    let clock = Instant::now();
    let files = prepared.generated.files.len();
    let version = prepared.generated.surface.version.clone();
    let mut outcome = if args.check { prepared.check()? } else { prepared.write()? };
    outcome.report.timings_ms.write = (clock.elapsed().as_secs_f64() * 1_000_000.0).round() / 1000.0;
    let code = if args.check { check(&out, &outcome.drift, regenerate) } else { written(&out, &outcome.drift, files) };
    if args.changes.is_some() || args.changes_md.is_some() || args.bump {
        report_changes(args, outcome.changes.as_ref(), &out, &crate_name, &version)?;
    }
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&outcome.report).expect("reports serialize");
        std::fs::write(path, json + "\n").map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    Ok(code)
}

/// `--check`: 0 when `out` holds what was generated, else 1 and the files that differ.
fn check(out: &Path, drift: &Drift, regenerate: Option<&str>) -> i32 {
    if drift.is_empty() {
        println!("{} is up to date", out.display());
        return 0;
    }
    eprintln!("{} is stale; these files differ from what the specs generate:", out.display());
    for f in drift.files() {
        eprintln!("  {}", out.join(f).display());
    }
    match regenerate {
        Some(command) => eprintln!("run `{command}` to refresh them"),
        None => eprintln!("run the same command without --check to refresh them"),
    }
    1
}

/// Says how many of the `files` written into `out` changed.
fn written(out: &Path, drift: &Drift, files: usize) -> i32 {
    let changed = drift.files().len();
    if changed == 0 {
        println!("{} is up to date ({files} files)", out.display());
    } else {
        println!("wrote {} ({changed} of {files} files changed)", out.display());
    }
    0
}

/// `--changes`, `--changes-md`, `--bump`: the summary of what changed, and the reports asked for.
fn report_changes(
    args: &Args,
    changes: Option<&ChangeReport>,
    out: &Path,
    crate_name: &str,
    version: &str,
) -> Result<(), Error> {
    let Some(report) = changes else {
        eprintln!(
            "changes: {} holds no crate generated with its public API ({}), so there is nothing to compare with; \
             the version stays {}",
            out.display(),
            SURFACE_FILE,
            version
        );
        return Ok(());
    };
    eprintln!("{}", report.summary());
    if let Some(path) = &args.changes {
        let json = serde_json::to_string_pretty(report).expect("reports serialize");
        std::fs::write(path, json + "\n").map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    if let Some(path) = &args.changes_md {
        std::fs::write(path, report.markdown(crate_name))
            .map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    Ok(())
}

/// The output folder's name, as a crate name.
fn default_crate_name(out: &std::path::Path) -> String {
    let name: String = crate::files::file_name(out)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        _ => format!("api-{name}"),
    }
}

/// Writes each document assembled from pages as `DIR/{name}.yaml`.
fn emit_specs(inputs: &[PathBuf], dir: &std::path::Path) -> Result<(), Error> {
    let assembled = assemble_pages(inputs)?;
    if assembled.is_empty() {
        return Err(Error::Usage("--emit-spec: none of the --spec inputs is a documentation page".into()));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    for spec in &assembled {
        let path = dir.join(&spec.file_name);
        std::fs::write(&path, spec.to_yaml()).map_err(|source| Error::Write { path: path.clone(), source })?;
        println!("wrote {} ({} pages)", path.display(), spec.pages.len());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{guarded, Error};

    #[test]
    fn bugs_exit_3_and_bad_input_exits_2() {
        assert_eq!(guarded(|| Ok(0)), 0);
        assert_eq!(guarded(|| Ok(1)), 1);
        assert_eq!(guarded(|| Err(Error::Usage("bad".into()))), 2);
        assert_eq!(guarded(|| Err(Error::Internal("a formatter failure".into()))), 3);
        assert_eq!(guarded(|| panic!("an invariant broke")), 3);
        let message = Error::Internal("x".into()).to_string();
        assert!(message.contains("bug in sdkgen") && message.contains("report"), "{message}");
    }
}
