//! The `--report` JSON: what was generated, skipped and folded, and where the time went.

use serde::Serialize;

use crate::ir::{Skipped, Warning};
use crate::normalize::{Alias, Model, NameSource};
use crate::pointer::Site;

/// What one generation made of its inputs (`--report`, and [`Generated::report`](crate::Generated)).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The input files' names (specs, then the names overlay).
    pub inputs: Vec<String>,
    /// Operations generated.
    pub operations: Vec<OperationEntry>,
    /// Webhooks and callbacks, each with the function that parses it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<WebhookEntry>,
    /// Operations not generated, each with why.
    pub skipped: Vec<Skipped>,
    /// The spec's defects worked around, each at its file and JSON pointer.
    pub warnings: Vec<Warning>,
    /// Schema objects in the inputs before folding.
    pub schemas_seen: usize,
    /// Model types (structs and enums, untagged unions counted as enums) emitted.
    pub types: usize,
    /// Of those, structs.
    pub structs: usize,
    /// Of those, enums and unions.
    pub enums: usize,
    /// `pub type` aliases: components whose shape is another type's.
    pub aliases: Vec<Alias>,
    /// Every model type with the sites folded into it; shared types have more than one.
    pub model_types: Vec<TypeEntry>,
    /// Milliseconds per stage.
    pub timings_ms: Timings,
}

/// An operation generated.
#[derive(Debug, Clone, Serialize)]
pub struct OperationEntry {
    /// The API module it is in.
    pub api: String,
    /// Its `operationId` (numbered when the spec repeats one).
    pub operation_id: String,
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// The path template.
    pub path: String,
    /// The media type its `events` method reads as a stream of events, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
}

/// A request the API sends to its users (a webhook, or an operation's callback), as its
/// `webhooks` module reads it.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookEntry {
    /// The API module it is in.
    pub api: String,
    /// Its name in the spec's `webhooks`, or in the operation's `callbacks`.
    pub name: String,
    /// For a callback: the `operationId` of the operation that registers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_of: Option<String>,
    /// The function that parses its body, when it documents a JSON payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parser: Option<String>,
    /// The enum of its group's events, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_enum: Option<String>,
}

/// A model type of `models.rs`.
#[derive(Debug, Clone, Serialize)]
pub struct TypeEntry {
    /// Its Rust name.
    pub name: String,
    /// `struct`, `enum` or `union`.
    pub kind: &'static str,
    /// Where the name came from.
    pub name_source: NameSource,
    /// Every place of the specs folded into it.
    pub sites: Vec<Site>,
}

/// Milliseconds spent in each stage (emit and format summed over their segments, which run
/// side by side).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    /// Parsing, bundling, translating.
    pub load: f64,
    /// Into the IR.
    pub lower: f64,
    /// Folding, naming, planning.
    pub normalize: f64,
    /// Into tokens.
    pub emit: f64,
    /// Into text.
    pub format: f64,
    /// Onto disk (set by the CLI).
    pub write: f64,
}

impl Report {
    /// The report of `model`, made from `inputs`, with the `timings` measured.
    /// The report of `model`, which gives up its types' sites to it (the model is done with).
    pub fn new(model: &mut Model, inputs: Vec<String>, timings: Timings) -> Self {
        let model_types = model
            .types
            .iter_mut()
            .map(|t| TypeEntry {
                name: t.name.clone(),
                kind: t.shape.kind_name(),
                name_source: t.name_source.clone(),
                sites: std::mem::take(&mut t.sites),
            })
            .collect();
        let model = &*model;
        let ir = &model.ir;
        let structs = model.types.iter().filter(|t| t.shape.kind_name() == "struct").count();
        Self {
            inputs,
            operations: ir
                .apis
                .iter()
                .enumerate()
                .flat_map(|(i, a)| {
                    a.operations.iter().enumerate().map(move |(o, op)| OperationEntry {
                        api: a.module.clone(),
                        operation_id: op.id.clone(),
                        method: op.method.as_upper(),
                        path: op.path.clone(),
                        stream: model.operation(i, o).stream.as_ref().map(|s| s.content_type.clone()),
                    })
                })
                .collect(),
            webhooks: webhook_entries(model),
            skipped: ir.apis.iter().flat_map(|a| a.skipped.iter().cloned()).collect(),
            warnings: ir.warnings.clone(),
            schemas_seen: ir.schemas_seen,
            types: model.types.len(),
            structs,
            enums: model.types.len() - structs,
            aliases: model.aliases.clone(),
            model_types,
            timings_ms: timings,
        }
    }
}

fn webhook_entries(model: &Model) -> Vec<WebhookEntry> {
    let mut entries = Vec::new();
    for (i, api) in model.ir.apis.iter().enumerate() {
        for group in model.webhooks(i) {
            for plan in &group.hooks {
                let hook = &api.webhooks[plan.index];
                entries.push(WebhookEntry {
                    api: api.module.clone(),
                    name: hook.name.clone(),
                    callback_of: hook.operation.clone(),
                    parser: plan.payload.as_ref().map(|_| plan.function.clone()),
                    event_enum: group.has_enum.then(|| group.enum_name.clone()),
                });
            }
        }
    }
    entries
}

/// Milliseconds since `since`, to the microsecond: what the report's timings hold.
pub(crate) fn ms(since: std::time::Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}
