//! The pipeline from end to end: [`generate`] runs every stage but writing, in order, on
//! [`Options`]; the crate root re-exports it. Above every stage, below only the CLI.

use std::path::PathBuf;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::format::OutputFile;
use crate::load::pages;
use crate::package::Package;
use crate::report::{ms, Report, Timings};
use crate::surface::{Surface, SURFACE_FILE};
use crate::{emit, load, lower, normalize, parallel};

/// What to generate from.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// One API module per spec.
    pub specs: Vec<PathBuf>,
    /// The names overlay: `components.schemas` entries whose shapes name matching inline schemas.
    pub names: Option<PathBuf>,
    /// The generated crate's package name.
    pub crate_name: String,
    /// Also write `tests/examples.rs`: one test per example the specs give for a JSON request
    /// or response body, decoding it into the type the client uses for that body.
    pub example_tests: bool,
    /// Also write `tests/mock_server.rs`: one test per operation, sending a call made from the
    /// spec's examples (or values made to fit its schemas) to the validating mock server at
    /// `MOCK_SERVER_URL` and asserting a documented answer that decodes.
    pub mock_tests: bool,
    /// The command that regenerates the crate (`cargo xtask gen`), named in every file's
    /// header; `None`: the header says to run sdkgen again.
    pub regenerate: Option<String>,
    /// The crate's version when `package` names none (`0.1.0` when neither does); the CLI
    /// keeps the previous one, and `--bump` sets it from the previous one.
    pub version: Option<String>,
    /// The prefix of the environment variables `Client::from_env` reads (`SAIL`:
    /// `SAIL_BASE_URL`, `SAIL_CLIENT_ID` ...); without one there is no `from_env`.
    pub env_prefix: Option<String>,
    /// The package's metadata for its `Cargo.toml`: license, repository, authors, keywords,
    /// whether it may be published; its `version`, when given, is the crate's version.
    pub package: Package,
}

/// The generated crate, in memory, and the report on how it was made.
pub struct Generated {
    /// Every file of the crate, sorted by path.
    pub files: Vec<OutputFile>,
    /// What was generated, folded, skipped and warned about.
    pub report: Report,
    /// The crate's public API, also written as its `api.json`.
    pub surface: Surface,
}

/// Runs every stage but writing.
pub fn generate(options: &Options) -> Result<Generated> {
    check_crate_name(&options.crate_name)?;
    check_env_prefix(options.env_prefix.as_deref())?;
    options.package.check().map_err(|e| Error::Usage(format!("package metadata: {}: {}", e.pointer, e.message)))?;
    let mut timings = Timings::default();
    let clock = Instant::now();
    let (page_inputs, spec_inputs): (Vec<PathBuf>, Vec<PathBuf>) =
        options.specs.iter().cloned().partition(|p| pages::is_page_input(p));
    let mut specs = spec_inputs.iter().map(|p| load::load_spec(p)).collect::<Result<Vec<_>>>()?;
    for assembled in assemble_pages(&page_inputs)? {
        specs.push(load::load_assembled(assembled)?);
    }
    // The same bytes whatever order the files are given in.
    specs.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    if let Some(w) = specs.windows(2).find(|w| w[0].file_name == w[1].file_name) {
        return Err(Error::Usage(format!("two specs are both named {}: rename one", w[0].file_name)));
    }
    let names = options.names.as_deref().map(load::load_names).transpose()?;
    timings.load = ms(clock);

    let clock = Instant::now();
    // The mock tests send the spec's examples of request bodies where it gives them.
    let examples = options.example_tests || options.mock_tests;
    let ir = lower::lower(&specs, names.as_ref(), examples, options.mock_tests)?;
    let mut inputs: Vec<String> = specs.iter().map(|s| s.file_name.clone()).collect();
    inputs.extend(names.as_ref().map(|(file, _)| file.clone()));
    timings.lower = ms(clock);

    let clock = Instant::now();
    // The IR holds all that later stages need. Normalizing runs on another core while this
    // one frees the documents: the documents' memory is this thread's, so freeing it does not
    // contend with normalize's allocations (glibc gives each thread an arena of its own).
    let mut model = std::thread::scope(|scope| {
        let normalizing = scope.spawn(|| normalize::normalize(ir));
        drop((specs, names));
        normalizing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    timings.normalize = ms(clock);

    let version = options.package.version.as_deref().or(options.version.as_deref()).unwrap_or("0.1.0");
    let crate_options = emit::CrateOptions {
        crate_name: &options.crate_name,
        inputs: &inputs,
        regenerate: options.regenerate.as_deref(),
        example_tests: options.example_tests,
        mock_tests: options.mock_tests,
        version,
        env_prefix: options.env_prefix.as_deref(),
        package: &options.package,
    };
    // The public API (`api.json`) is made beside the files.
    let (formatted, surface) = parallel::emit_and_format(&model, &crate_options, &mut timings, || {
        emit::surface::surface(&model, &options.crate_name, version)
    })?;
    let mut report = Report::new(&mut model, inputs, timings);
    // The files are joined and `api.json` written on another core while this one frees the
    // model, whose memory is mostly this thread's (see the documents above).
    let (files, json) = std::thread::scope(|scope| {
        let joining = scope.spawn(|| {
            let mut timings = Timings::default();
            let files = formatted.join(&mut timings);
            (files, serde_json::to_string_pretty(&surface), timings.format)
        });
        drop(model);
        let (files, json, format_ms) = joining.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        report.timings_ms.format += format_ms;
        (files, json)
    });
    let mut files = files?;
    let json = json.map_err(|e| Error::Internal(format!("api.json: {e}")))?;
    files.push(OutputFile { path: SURFACE_FILE.to_string(), text: json + "\n" });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Generated { files, report, surface })
}

/// The OpenAPI documents that the documentation pages among `inputs` (files or folders) make,
/// one per server URL; spec files among them are left out.
pub fn assemble_pages(inputs: &[PathBuf]) -> Result<Vec<pages::AssembledSpec>> {
    let page_inputs: Vec<PathBuf> = inputs.iter().filter(|p| pages::is_page_input(p)).cloned().collect();
    if page_inputs.is_empty() {
        return Ok(Vec::new());
    }
    pages::assemble(&pages::page_files(&page_inputs)?)
}

/// A prefix of environment variables: upper-case ASCII letters, digits and `_`, as the
/// variables are written.
fn check_env_prefix(prefix: Option<&str>) -> Result<()> {
    match prefix {
        Some(p) if p.is_empty() || !p.starts_with(|c: char| c.is_ascii_uppercase())
            || !p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') =>
        {
            Err(Error::Usage(format!(
                "`{p}` is not a prefix of environment variables: use upper-case ASCII letters, digits and `_`, starting with a letter"
            )))
        }
        _ => Ok(()),
    }
}

fn check_crate_name(name: &str) -> Result<()> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "`{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
        )))
    }
}
