//! Stages 4 and 5 on every core: each file is cut into segments (see `emit::Segment`) that are
//! emitted and formatted side by side; [`Formatted::join`] then puts each file together.

use std::time::Instant;

use crate::error::{Error, Result};
use crate::format::{self, OutputFile};
use crate::report::{ms, Timings};
use crate::{emit, normalize};

/// Threads that emit and format at most: more would only compete for memory bandwidth.
const MAX_WORKERS: usize = 8;

/// Stages 4 and 5, emit and format, per segment of each file (see `emit::Segment`) on every core, the
/// biggest first: tokens never leave the thread that made them (proc-macro2 tokens cannot),
/// only formatted text does. This thread works too, so it reuses the memory the documents
/// left free. Timings are the time spent in each stage, summed over the segments.
/// `side` runs beside them too, on the first thread to start, and its result comes back with
/// the segments.
pub(crate) fn emit_and_format<T: Send>(
    model: &normalize::Model,
    crate_options: &emit::CrateOptions,
    timings: &mut Timings,
    side: impl FnOnce() -> T + Send,
) -> Result<(Formatted, T)> {
    let plans = emit::plan(model, crate_options);
    let mut jobs: Vec<(usize, usize)> =
        plans.iter().enumerate().flat_map(|(f, plan)| (0..plan.segments.len()).map(move |i| (f, i))).collect();
    jobs.sort_by_key(|&(f, i)| std::cmp::Reverse(plans[f].segments[i].weight()));
    let run = |plan: &emit::FilePlan, segment: &emit::Segment| -> Result<Done> {
        let clock = Instant::now();
        let emitted = emit::emit_segment(model, crate_options, segment);
        let emit_ms = ms(clock);
        let clock = Instant::now();
        let text = format::format_segment(&plan.path, plan.join, emitted).map_err(Error::Internal)?;
        Ok(Done { text, emit_ms, format_ms: ms(clock) })
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let side = std::sync::Mutex::new(Some(side));
    let side_result = std::sync::Mutex::new(None);
    let work = || {
        // The side task first, on the first thread to start: the segments, biggest first,
        // then even out the threads' ends.
        let task = side.lock().ok().and_then(|mut side| side.take());
        if let Some(task) = task {
            let result = task();
            if let Ok(mut slot) = side_result.lock() {
                *slot = Some(result);
            }
        }
        let mut done = Vec::new();
        loop {
            let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&(f, i)) = jobs.get(j) else { break };
            done.push(((f, i), run(&plans[f], &plans[f].segments[i])));
        }
        done
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
    let side_result = side_result.into_inner().ok().flatten().expect("a worker ran the side task");
    let mut pieces: Vec<Vec<Option<String>>> = plans.iter().map(|p| vec![None; p.segments.len()]).collect();
    for ((f, i), result) in finished {
        pieces[f][i] = Some(result?.into_text(timings));
    }
    let files = plans
        .into_iter()
        .zip(pieces)
        .map(|(plan, pieces)| {
            (plan.path, plan.join, pieces.into_iter().map(|p| p.expect("every segment ran")).collect())
        })
        .collect();
    Ok((Formatted { files, header: crate_options.header() }, side_result))
}

/// Every file's formatted segments, in order, not yet joined: joining needs nothing of the
/// model, so it can go on while the model is freed.
pub(crate) struct Formatted {
    files: Vec<(String, emit::Join, Vec<String>)>,
    header: String,
}

impl Formatted {
    /// The files, each put together under the header (see `format::assemble`); the time it
    /// takes is formatting's.
    pub(crate) fn join(self, timings: &mut Timings) -> Result<Vec<OutputFile>> {
        let clock = Instant::now();
        let files = self
            .files
            .into_iter()
            .map(|(path, join, pieces)| format::assemble(path, join, pieces, &self.header).map_err(Error::Internal))
            .collect();
        timings.format += ms(clock);
        files
    }
}

/// A segment emitted and formatted.
struct Done {
    text: String,
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
