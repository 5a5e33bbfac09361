//! The `--report` JSON: what was generated, skipped and folded, and where the time went.

use serde::Serialize;

use crate::ir::{Skipped, Warning};
use crate::normalize::{Alias, Model, NameSource};
use crate::pointer::Site;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub inputs: Vec<String>,
    /// Operations generated.
    pub operations: Vec<OperationEntry>,
    /// Operations not generated, each with why.
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    /// Schema objects in the inputs before folding.
    pub schemas_seen: usize,
    /// Model types (structs and enums, untagged unions counted as enums) emitted.
    pub types: usize,
    pub structs: usize,
    pub enums: usize,
    pub aliases: Vec<Alias>,
    /// Every model type with the sites folded into it; shared types have more than one.
    pub model_types: Vec<TypeEntry>,
    pub timings_ms: Timings,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperationEntry {
    pub api: String,
    pub operation_id: String,
    pub method: &'static str,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeEntry {
    pub name: String,
    pub kind: &'static str,
    pub name_source: NameSource,
    pub sites: Vec<Site>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub load: f64,
    pub lower: f64,
    pub normalize: f64,
    pub emit: f64,
    pub format: f64,
    pub write: f64,
}

impl Report {
    pub fn new(model: &Model, inputs: Vec<String>, timings: Timings) -> Self {
        let ir = &model.ir;
        let structs = model.types.iter().filter(|t| t.shape.kind_name() == "struct").count();
        Self {
            inputs,
            operations: ir
                .apis
                .iter()
                .flat_map(|a| {
                    a.operations.iter().map(|op| OperationEntry {
                        api: a.module.clone(),
                        operation_id: op.id.clone(),
                        method: op.method.as_upper(),
                        path: op.path.clone(),
                    })
                })
                .collect(),
            skipped: ir.apis.iter().flat_map(|a| a.skipped.iter().cloned()).collect(),
            warnings: ir.warnings.clone(),
            schemas_seen: ir.schemas_seen,
            types: model.types.len(),
            structs,
            enums: model.types.len() - structs,
            aliases: model.aliases.clone(),
            model_types: model
                .types
                .iter()
                .map(|t| TypeEntry {
                    name: t.name.clone(),
                    kind: t.shape.kind_name(),
                    name_source: t.name_source.clone(),
                    sites: t.sites.clone(),
                })
                .collect(),
            timings_ms: timings,
        }
    }
}

/// Milliseconds since `since`, to the microsecond: what the report's timings hold.
pub(crate) fn ms(since: std::time::Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}
