//! sdkgen: generates a typed, formatted, self-contained Rust client crate from OpenAPI 3.0
//! specs, folding the inline schemas that specs repeat into one shared type per shape.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`load`] -> [`lower`] (into [`ir`]) -> [`normalize`] -> [`emit`] -> [`format`] -> [`write`].

pub mod cli;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
pub mod pages;
pub mod pointer;
pub mod report;
pub mod servers;
pub mod write;

use std::path::PathBuf;
use std::time::Instant;

pub use error::{Error, Result};
use format::OutputFile;
use report::{Report, Timings};

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
}

/// Threads that emit and format at most: more would only compete for memory bandwidth.
const MAX_WORKERS: usize = 8;

/// The generated crate, in memory, and the report on how it was made.
pub struct Generated {
    pub files: Vec<OutputFile>,
    pub report: Report,
}

/// Runs every stage but writing.
pub fn generate(options: &Options) -> Result<Generated> {
    check_crate_name(&options.crate_name)?;
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
    let ir = lower::lower(&specs, names.as_ref(), options.example_tests)?;
    let mut inputs: Vec<String> = specs.iter().map(|s| s.file_name.clone()).collect();
    inputs.extend(names.as_ref().map(|(file, _)| file.clone()));
    // The IR holds all that later stages need: free the documents before emitting.
    drop((specs, names));
    timings.lower = ms(clock);

    let clock = Instant::now();
    let model = normalize::normalize(ir);
    timings.normalize = ms(clock);

    let crate_options =
        emit::CrateOptions { crate_name: &options.crate_name, inputs: &inputs, example_tests: options.example_tests };
    let mut files = emit_and_format(&model, &crate_options, &mut timings)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let report = Report::new(&model, inputs, timings);
    Ok(Generated { files, report })
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

/// Stages 4 and 5, emit and format, per segment of each file (see `emit::Segment`) on every core, the
/// biggest first: tokens never leave the thread that made them (proc-macro2 tokens cannot),
/// only formatted text does. This thread works too, so it reuses the memory the documents
/// left free. Timings are the time spent in each stage, summed over the segments.
fn emit_and_format(
    model: &normalize::Model,
    crate_options: &emit::CrateOptions,
    timings: &mut Timings,
) -> Result<Vec<OutputFile>> {
    let inputs = crate_options.inputs;
    let prepared = emit::prepare(model);
    let plans = emit::plan(model, crate_options);
    let mut jobs: Vec<(usize, usize)> = plans
        .iter()
        .enumerate()
        .flat_map(|(f, plan)| (0..plan.segments.len()).map(move |i| (f, i)))
        .filter(|&(f, i)| !matches!(plans[f].segments[i], emit::Segment::ApiHead { .. }))
        .collect();
    jobs.sort_by_key(|&(f, i)| std::cmp::Reverse(plans[f].segments[i].weight()));
    let run = |path: &str, segment: &emit::Segment| -> Result<Done> {
        let clock = Instant::now();
        let emitted = emit::emit_segment(model, crate_options, &prepared, segment);
        let emit_ms = ms(clock);
        let clock = Instant::now();
        let text = format::format_segment(path, emitted.content).map_err(Error::Usage)?;
        Ok(Done { text, uses_models: emitted.uses_models, emit_ms, format_ms: ms(clock) })
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&(f, i)) = jobs.get(j) else { return done };
            done.push(((f, i), run(&plans[f].path, &plans[f].segments[i])));
        }
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_WORKERS);
    let finished = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut finished = work();
        for h in handles {
            finished.extend(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        finished
    });
    let mut pieces: Vec<Vec<Option<String>>> = plans.iter().map(|p| vec![None; p.segments.len()]).collect();
    let mut uses_models = vec![false; model.ir.apis.len()];
    for ((f, i), result) in finished {
        let done = result?;
        if let emit::Segment::ApiOperations { api, .. } = plans[f].segments[i] {
            uses_models[api] |= done.uses_models;
        }
        pieces[f][i] = Some(done.into_text(timings));
    }
    // The heads of the API modules, now that their imports are known: small, so done here.
    for (plan, pieces) in plans.iter().zip(&mut pieces) {
        for (segment, piece) in plan.segments.iter().zip(pieces.iter_mut()) {
            if let emit::Segment::ApiHead { api, .. } = *segment {
                let head = emit::Segment::ApiHead { api, uses_models: uses_models[api] };
                *piece = Some(run(&plan.path, &head)?.into_text(timings));
            }
        }
    }
    let mut files = Vec::with_capacity(plans.len());
    for (plan, pieces) in plans.into_iter().zip(pieces) {
        let pieces = pieces.into_iter().map(|p| p.expect("every segment ran")).collect();
        let clock = Instant::now();
        files.push(format::assemble(plan.path, plan.join, pieces, inputs).map_err(Error::Usage)?);
        timings.format += ms(clock);
    }
    Ok(files)
}

/// A segment emitted and formatted.
struct Done {
    text: String,
    /// Whether its code refers to `models` (see `emit::Segment::ApiHead`).
    uses_models: bool,
    emit_ms: f64,
    format_ms: f64,
}

impl Done {
    /// The text, with the segment's time added to the stages' timings.
    fn into_text(self, timings: &mut Timings) -> String {
        timings.emit += self.emit_ms;
        timings.format += self.format_ms;
        self.text
    }
}

fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
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
