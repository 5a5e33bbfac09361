//! A spec's operations lowered on two cores, into exactly the IR one thread makes.
//!
//! This thread lowers the first half of the operations as always; another lowers the second
//! half into an IR of its own, starting from no components. One thread would have found some
//! of those components already lowered by the first half: the other thread's copies of them
//! are left out (each component's lowering is a range of its nodes, warnings, wrappers and
//! schema count, recorded as it goes), references to them point to the first half's, and
//! the rest is appended with its node ids moved past the first half's. Where the second half
//! did anything that cannot be mapped so (it holds a node from inside a left-out copy, or it
//! failed), its work is dropped and this thread lowers it after the first: the IR is the
//! same either way, which the tests check on every spec at hand.

use rustc_hash::FxHashMap;

use super::{Job, SpecLowerer};
use crate::error::Result;
use crate::ir::*;

/// Fewer operations than this are lowered on one thread: a second would cost more than it saves.
const MIN_OPERATIONS: usize = 64;

/// How `lower` shares the operations among threads; the tests choose, to check the split.
#[derive(Clone, Copy, Debug)]
pub enum Split {
    /// On two threads when there are enough operations and cores.
    Auto,
    /// On one thread.
    #[cfg(test)]
    Never,
    /// The second thread from this operation on (when there is one).
    #[cfg(test)]
    At(usize),
}

/// Lowers `jobs` into `api` on one thread or two (see [`Split`]).
pub(super) fn lower_jobs<'a>(
    l: &mut SpecLowerer<'a>,
    doc: &'a openapiv3::OpenAPI,
    jobs: &[Job<'a>],
    api: &mut Api,
) -> Result<()> {
    let operations = jobs.iter().filter(|j| matches!(j, Job::Operation(_))).count();
    let at = match l.split {
        #[cfg(test)]
        Split::Never => None,
        #[cfg(test)]
        Split::At(at) => Some(at),
        Split::Auto => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            (operations >= MIN_OPERATIONS && cores > 1).then_some(operations / 2)
        }
    };
    // The job where the `at`th operation is.
    let cut = at.and_then(|at| jobs.iter().enumerate().filter(|(_, j)| matches!(j, Job::Operation(_))).nth(at));
    let Some((cut, _)) = cut else {
        return l.run_jobs(doc, jobs, &mut api.operations, &mut api.skipped);
    };
    let (first, second) = jobs.split_at(cut);
    let (file, path, components, origins) = (l.file, l.path, l.components, l.origins);
    let (examples, facts) = (l.examples, l.facts);
    // The first half's components are found by where their lowering began too.
    l.ranges = Some(Vec::new());
    let (done, other) = std::thread::scope(|scope| {
        let other = scope.spawn(move || {
            let mut ir = Ir::default();
            let mut other = SpecLowerer::new(&mut ir, file, path, components, false);
            other.origins = origins;
            other.examples = examples;
            other.facts = facts;
            other.ranges = Some(Vec::new());
            let (mut operations, mut skipped) = (Vec::new(), Vec::new());
            other.run_jobs(doc, second, &mut operations, &mut skipped).ok()?;
            let (memo, wrappers, undefined) = (other.memo, other.wrappers, other.undefined_schemes);
            let ranges = other.ranges.unwrap_or_default();
            Some(Half { ir, memo, wrappers, undefined, ranges, operations, skipped })
        });
        let done = l.run_jobs(doc, first, &mut api.operations, &mut api.skipped);
        (done, other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    done?;
    let first_ranges = l.ranges.take().unwrap_or_default();
    match other.and_then(|half| half.mapped(l, &first_ranges)) {
        Some(half) => {
            #[cfg(test)]
            tests::MERGED.with(|m| m.set(m.get() + 1));
            half.append(l, api);
            Ok(())
        }
        None => l.run_jobs(doc, second, &mut api.operations, &mut api.skipped),
    }
}

/// How far a lowerer had got: nodes, warnings, schemas counted and `allOf` wrappers.
#[derive(Clone, Copy)]
struct Counts {
    nodes: usize,
    warnings: usize,
    seen: usize,
    wrappers: usize,
}

impl Counts {
    fn of(l: &SpecLowerer) -> Self {
        Counts {
            nodes: l.ir.schemas.len(),
            warnings: l.ir.warnings.len(),
            seen: l.ir.schemas_seen,
            wrappers: l.wrappers.len(),
        }
    }
}

/// One component schema's lowering: its name, and what was made while it was lowered (its
/// own node first, for a schema that is not a `$ref` to another).
pub(super) struct Range {
    name: String,
    start: Counts,
    end: Counts,
}

/// A range begun: its index among the lowerer's ranges.
pub(super) struct Begun(usize);

impl Range {
    /// Records that the component `name` (`schema`) begins to be lowered.
    pub(super) fn begin(l: &mut SpecLowerer, name: &str) -> Begun {
        let start = Counts::of(l);
        let ranges = l.ranges.get_or_insert_with(Vec::new);
        ranges.push(Range { name: name.to_string(), start, end: start });
        Begun(ranges.len() - 1)
    }
}

impl Begun {
    /// Records that the component is lowered.
    pub(super) fn end(self, l: &mut SpecLowerer) {
        let end = Counts::of(l);
        if let Some(range) = l.ranges.as_mut().and_then(|r| r.get_mut(self.0)) {
            range.end = end;
        }
    }
}

/// The second half's work, in an IR of its own.
struct Half {
    ir: Ir,
    memo: FxHashMap<String, NodeId>,
    wrappers: Vec<(NodeId, NodeId)>,
    undefined: Vec<String>,
    ranges: Vec<Range>,
    operations: Vec<Operation>,
    skipped: Vec<Skipped>,
}

impl Half {
    /// The half with the components the first half lowered left out and every node id where
    /// it lands after the first half's; `None` where that cannot be done.
    fn mapped(mut self, first: &SpecLowerer, first_ranges: &[Range]) -> Option<Half> {
        let known: Vec<&Range> = self.ranges.iter().filter(|r| first.memo.contains_key(&r.name)).collect();
        let left_out = |of: fn(&Counts) -> usize, len: usize| {
            let mut out = vec![false; len];
            for r in &known {
                out[of(&r.start)..of(&r.end)].iter_mut().for_each(|x| *x = true);
            }
            out
        };
        let nodes = left_out(|c| c.nodes, self.ir.schemas.len());
        // The first half's node for each node of a left-out copy: the same one of the same
        // component's own nodes (those not of a component lowered inside it).
        let first_own: FxHashMap<&str, Vec<usize>> =
            own_nodes(first_ranges).into_iter().map(|(r, nodes)| (first_ranges[r].name.as_str(), nodes)).collect();
        let mut to: Vec<Option<NodeId>> = vec![None; nodes.len()];
        for (r, own) in own_nodes(&self.ranges) {
            let Some(theirs) = first_own.get(self.ranges[r].name.as_str()) else { continue };
            if theirs.len() != own.len() {
                continue;
            }
            for (mine, theirs) in own.into_iter().zip(theirs) {
                let (node, twin) = (&self.ir.schemas[mine], first.ir.node(NodeId(*theirs as u32)));
                if node.site != twin.site {
                    return None;
                }
                to[mine] = Some(NodeId(*theirs as u32));
            }
        }
        // Every other node lands after the first half's.
        let mut next = first.ir.schemas.len() as u32;
        for (slot, &out) in to.iter_mut().zip(&nodes) {
            if !out {
                *slot = Some(NodeId(next));
                next += 1;
            }
        }
        let map = |id: &mut NodeId| -> Option<()> {
            *id = to.get(id.0 as usize).copied().flatten()?;
            Some(())
        };
        let kept: Vec<SchemaNode> = std::mem::take(&mut self.ir.schemas)
            .into_iter()
            .zip(&nodes)
            .filter(|(_, out)| !**out)
            .map(|(node, _)| node)
            .collect();
        self.ir.schemas = kept;
        for node in &mut self.ir.schemas {
            node_ids(node, &map)?;
        }
        for op in &mut self.operations {
            operation_ids(op, &map)?;
        }
        let wrappers = left_out(|c| c.wrappers, self.wrappers.len());
        let mut kept_wrappers = Vec::new();
        for (mut pair, out) in self.wrappers.into_iter().zip(wrappers) {
            if !out {
                map(&mut pair.0)?;
                map(&mut pair.1)?;
                kept_wrappers.push(pair);
            }
        }
        self.wrappers = kept_wrappers;
        let warnings = left_out(|c| c.warnings, self.ir.warnings.len());
        let all = std::mem::take(&mut self.ir.warnings);
        self.ir.warnings = all.into_iter().zip(warnings).filter(|(_, out)| !out).map(|(w, _)| w).collect();
        self.ir.schemas_seen -= left_out(|c| c.seen, self.ir.schemas_seen).into_iter().filter(|&out| out).count();
        let mut memo = FxHashMap::default();
        for (name, mut id) in std::mem::take(&mut self.memo) {
            if !first.memo.contains_key(&name) {
                map(&mut id)?;
                memo.insert(name, id);
            }
        }
        self.memo = memo;
        Some(self)
    }

    /// Appends the mapped half to the first's lowerer and API, as if one thread had gone on.
    fn append(self, l: &mut SpecLowerer, api: &mut Api) {
        l.ir.schemas.extend(self.ir.schemas);
        l.ir.warnings.extend(self.ir.warnings);
        l.ir.schemas_seen += self.ir.schemas_seen;
        l.wrappers.extend(self.wrappers);
        l.memo.extend(self.memo);
        for name in self.undefined {
            if !l.undefined_schemes.contains(&name) {
                l.undefined_schemes.push(name);
            }
        }
        api.operations.extend(self.operations);
        api.skipped.extend(self.skipped);
    }
}

/// Each range's own nodes (those in it and in no range inside it), by the range's index.
fn own_nodes(ranges: &[Range]) -> Vec<(usize, Vec<usize>)> {
    let Some(end) = ranges.iter().map(|r| r.end.nodes).max() else { return Vec::new() };
    let start = ranges.iter().map(|r| r.start.nodes).min().unwrap_or(end);
    // Ranges are recorded as they begin: one inside another comes after it, and overwrites.
    let mut owner: Vec<Option<usize>> = vec![None; end.saturating_sub(start)];
    for (i, r) in ranges.iter().enumerate() {
        owner[r.start.nodes - start..r.end.nodes - start].iter_mut().for_each(|o| *o = Some(i));
    }
    let mut own: Vec<Vec<usize>> = vec![Vec::new(); ranges.len()];
    for (n, o) in owner.into_iter().enumerate() {
        if let Some(r) = o {
            own[r].push(start + n);
        }
    }
    own.into_iter().enumerate().filter(|(_, nodes)| !nodes.is_empty()).collect()
}

/// Maps every node id a node holds.
fn node_ids(node: &mut SchemaNode, map: &impl Fn(&mut NodeId) -> Option<()>) -> Option<()> {
    match &mut node.kind {
        Kind::Map(n) | Kind::Array(n) | Kind::Nullable(n) => map(n)?,
        Kind::Object(o) => {
            for f in &mut o.fields {
                map(&mut f.node)?;
            }
            if let Some(a) = &mut o.additional {
                map(a)?;
            }
        }
        Kind::Union(variants, tag) => {
            for v in variants {
                map(v)?;
            }
            for (_, v) in tag.iter_mut().flat_map(|t| &mut t.values) {
                map(v)?;
            }
        }
        _ => {}
    }
    match &mut node.hint {
        NameHint::Property { parent, .. }
        | NameHint::Item { parent }
        | NameHint::MapValue { parent }
        | NameHint::Variant { parent, .. } => map(parent),
        NameHint::AllOfPart { merged } => map(merged),
        _ => Some(()),
    }
}

/// Maps every node id an operation holds.
fn operation_ids(op: &mut Operation, map: &impl Fn(&mut NodeId) -> Option<()>) -> Option<()> {
    for p in &mut op.parameters {
        map(&mut p.schema)?;
    }
    if let Some(b) = &mut op.body {
        map(&mut b.schema)?;
    }
    for r in &mut op.responses {
        if let ResponseBody::Json(n) = &mut r.body {
            map(n)?;
        }
        if let Some(n) = r.stream.as_mut().and_then(|s| s.item.as_mut()) {
            map(n)?;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::Split;
    use crate::load::load_spec;
    use crate::test_specs::every_spec;

    thread_local! {
        /// How many second halves this thread appended (rather than lowered again).
        pub(super) static MERGED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn operations_lowered_on_two_threads_make_the_ir_one_thread_makes() {
        let mut splits = 0;
        for file in every_spec("lower_split") {
            let Ok(spec) = load_spec(&file) else { continue };
            let specs = [spec];
            let lower = |split| super::super::lower_split(&specs, None, true, true, split).map(|ir| format!("{ir:?}"));
            let one = lower(Split::Never);
            let operations = specs[0].doc.operations().count();
            for at in [1, operations / 3, operations / 2, operations.saturating_sub(1)] {
                let two = lower(Split::At(at));
                match (&one, &two) {
                    (Ok(a), Ok(b)) => assert!(a == b, "{}: split at operation {at}, the IR differs", file.display()),
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", file.display()),
                    _ => panic!("{}: split at {at}: one thread says {one:?}, two say {two:?}", file.display()),
                }
                splits += 1;
            }
        }
        let merged = MERGED.with(|m| m.get());
        // Most second halves are mapped onto the first (the rest are lowered again).
        assert!(merged * 10 >= splits * 9, "only {merged} of {splits} splits were merged");
    }
}
