//! Which model types each operation reaches, and from it the crate's Cargo features: one per
//! API and one per tag of an API that has several, so that a user of one tag compiles its
//! operations and the types they reach, and nothing else. A type shared by two tags is one
//! type, compiled when either is on. The same graph of types says how deep rustc's trait
//! solver must look through the types (the crate's `recursion_limit`).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;

use super::recursion::tarjan;
use super::{Model, Shape, TypeId};
use crate::ir::{NodeId, Operation, ResponseBody};
use crate::naming::Uniquer;

/// Features no API or tag may take: Cargo's, the crate's own.
const RESERVED: &[&str] = &["default", "all", "tracing"];

/// The crate's Cargo features. Only *leaf* features gate code: an API's tag features, or the
/// API's own feature when it has fewer than two tags; the API feature turns on its tags' and
/// `all` (the default) every API's. A crate with one leaf has no features (none to leave out).
#[derive(Debug, Default)]
pub struct Features {
    /// Each API's feature and its leaves (its tag features, or itself).
    pub apis: Vec<ApiFeatures>,
    /// The leaf features of each operation of each API: any one compiles it.
    ops: Vec<Vec<Vec<String>>>,
    /// The leaf features that compile each model type; `None`: always compiled (a webhook
    /// reaches it, or every leaf does).
    types: Vec<Option<Vec<String>>>,
}

/// An API's feature and the leaf features under it, each with the tags it stands for.
#[derive(Debug)]
pub struct ApiFeatures {
    pub name: String,
    /// Leaf feature name and the tags (as the spec writes them) it compiles (none for the
    /// operations without a tag); empty when the API feature is itself the leaf.
    pub tags: Vec<(String, Vec<String>)>,
}

impl Features {
    /// The leaf features any one of which compiles operation `op` of API `api`; `None` when
    /// the crate has no features to choose from.
    pub fn operation(&self, api: usize, op: usize) -> Option<&[String]> {
        Some(self.ops.get(api)?[op].as_slice())
    }

    /// The leaf features any one of which compiles one of the operations `ops` of API `api`:
    /// what compiles an item they share. `None` when nothing is gated.
    pub fn operations(&self, api: usize, ops: impl IntoIterator<Item = usize>) -> Option<Vec<String>> {
        let of_api = self.ops.get(api)?;
        let mut leaves: Vec<String> = ops.into_iter().flat_map(|op| of_api[op].iter().cloned()).collect();
        leaves.sort();
        leaves.dedup();
        Some(leaves)
    }

    /// Whether the crate has features that leave code out: two leaves or more.
    pub fn gate(&self) -> bool {
        !self.apis.is_empty()
    }

    /// The leaf features any one of which compiles model type `t`; `None` when always compiled.
    pub fn model_type(&self, t: TypeId) -> Option<&[String]> {
        self.types[t.0 as usize].as_deref()
    }
}

/// The model types each model type holds, at any depth of lists, maps, options and unions.
pub(super) fn type_edges(model: &Model) -> Vec<Vec<usize>> {
    model
        .types
        .iter()
        .map(|t| {
            let nodes: Vec<NodeId> = match &t.shape {
                Shape::Struct { fields, additional } => fields.iter().map(|f| f.node).chain(*additional).collect(),
                Shape::Union { variants, .. } => variants.clone(),
                Shape::Enum { .. } => Vec::new(),
            };
            let mut out = BTreeSet::new();
            for node in nodes {
                first_types(model, node, &mut out);
            }
            out.into_iter().map(|t| t.0 as usize).collect()
        })
        .collect()
}

/// The model types at `node` or, when it is none, inside it down to the first model types.
fn first_types(model: &Model, node: NodeId, out: &mut BTreeSet<TypeId>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match model.type_of(n) {
            Some(t) => {
                out.insert(t);
            }
            None => stack.extend(model.ir.node(n).kind.children()),
        }
    }
}

/// The nodes an operation's Rust signature is made of: parameters, body, responses, streams.
pub(super) fn operation_roots(op: &Operation) -> impl Iterator<Item = NodeId> + '_ {
    let responses = op.responses.iter().flat_map(|r| {
        let body = match r.body {
            ResponseBody::Json(n) => Some(n),
            _ => None,
        };
        body.into_iter().chain(r.stream.as_ref().and_then(|s| s.item))
    });
    op.parameters.iter().map(|p| p.schema).chain(op.body.iter().map(|b| b.schema)).chain(responses)
}

/// Every model type reached from `roots`, marked in `seen`.
fn reach(model: &Model, edges: &[Vec<usize>], roots: impl Iterator<Item = NodeId>, seen: &mut [bool]) {
    let mut first = BTreeSet::new();
    for node in roots {
        first_types(model, node, &mut first);
    }
    let mut stack: Vec<usize> = first.into_iter().map(|t| t.0 as usize).collect();
    while let Some(t) = stack.pop() {
        if !std::mem::replace(&mut seen[t], true) {
            stack.extend(&edges[t]);
        }
    }
}

/// The features of the crate whose types hold each other as `edges` says.
pub(super) fn features(model: &Model, edges: &[Vec<usize>]) -> Features {
    let mut uniquer = Uniquer::with_taken(RESERVED.iter().copied());
    let module_names: Vec<String> = model.ir.apis.iter().map(|a| uniquer.claim(a.module.to_kebab_case())).collect();
    let several_apis = model.ir.apis.len() > 1;
    let mut apis = Vec::new();
    let mut ops = Vec::new();
    for (api, module) in model.ir.apis.iter().zip(&module_names) {
        // Tags grouped by the feature name they make, so that `Access Profiles` and
        // `access-profiles` are one feature; operations without a tag make `untagged`.
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let op_keys: Vec<Vec<String>> = api
            .operations
            .iter()
            .map(|op| {
                if op.tags.is_empty() {
                    groups.entry("untagged".into()).or_default();
                    return vec!["untagged".to_string()];
                }
                let mut keys: Vec<String> = op
                    .tags
                    .iter()
                    .map(|t| {
                        let key = feature_word(t);
                        let group = groups.entry(key.clone()).or_default();
                        if !group.contains(t) {
                            group.push(t.clone());
                        }
                        key
                    })
                    .collect();
                keys.sort();
                keys.dedup();
                keys
            })
            .collect();
        if groups.len() < 2 {
            apis.push(ApiFeatures { name: module.clone(), tags: Vec::new() });
            ops.push(op_keys.iter().map(|_| vec![module.clone()]).collect());
            continue;
        }
        let named: BTreeMap<String, String> = groups
            .keys()
            .map(|key| {
                let wanted = if several_apis { format!("{module}-{key}") } else { standalone(key) };
                (key.clone(), uniquer.claim(wanted))
            })
            .collect();
        ops.push(op_keys.iter().map(|keys| keys.iter().map(|k| named[k].clone()).collect()).collect());
        let mut tags: Vec<(String, Vec<String>)> =
            groups.into_iter().map(|(key, tags)| (named[&key].clone(), tags)).collect();
        tags.sort();
        apis.push(ApiFeatures { name: module.clone(), tags });
    }
    // With a single leaf there is nothing to leave out, and no feature to offer.
    let leaves: usize = apis.iter().map(|a| a.tags.len().max(1)).sum();
    if leaves < 2 {
        return Features { types: vec![None; model.types.len()], ..Features::default() };
    }
    let types = type_features(model, edges, &ops);
    Features { apis, ops, types }
}

/// A tag as a feature name: lower-case ASCII words joined by `-`.
fn feature_word(tag: &str) -> String {
    let word: String = tag.to_kebab_case().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let word = word.trim_matches('-').to_string();
    if word.is_empty() {
        "tag".into()
    } else {
        word
    }
}

/// A tag's feature name in a crate of one API: its word, unless that is taken by Cargo or the
/// crate (`all`) or does not start with a letter, then `tag-{word}`.
fn standalone(word: &str) -> String {
    if RESERVED.contains(&word) || !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("tag-{word}")
    } else {
        word.to_string()
    }
}

/// Each type's leaf features: those of every operation that reaches it.
fn type_features(model: &Model, edges: &[Vec<usize>], ops: &[Vec<Vec<String>>]) -> Vec<Option<Vec<String>>> {
    let n = model.types.len();
    let mut always = vec![false; n];
    let webhooks = model.ir.apis.iter().flat_map(|a| &a.webhooks).filter_map(|w| w.payload);
    reach(model, edges, webhooks, &mut always);
    let mut leaves: BTreeMap<&str, Vec<bool>> = BTreeMap::new();
    for (api, api_ops) in model.ir.apis.iter().zip(ops) {
        for (op, features) in api.operations.iter().zip(api_ops) {
            for feature in features {
                let seen = leaves.entry(feature.as_str()).or_insert_with(|| vec![false; n]);
                reach(model, edges, operation_roots(op), seen);
            }
        }
    }
    let every_leaf = leaves.len();
    (0..n)
        .map(|t| {
            let on: Vec<String> = leaves.iter().filter(|(_, seen)| seen[t]).map(|(f, _)| f.to_string()).collect();
            (!always[t] && on.len() < every_leaf).then_some(on)
        })
        .collect()
}

/// How deep rustc's trait solver may have to look through the model types, when that is
/// more than its default (128): each type on the longest chain of types holding each other
/// costs about five levels (`Box`, `Unique`, `NonNull`, a pointer, the type). A chain is
/// bounded by the condensation's longest path, each cycle counting all its types.
pub(super) fn recursion_limit(edges: &[Vec<usize>]) -> Option<u32> {
    let component = tarjan(edges);
    let count = component.iter().copied().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; count];
    for &c in &component {
        size[c] += 1;
    }
    // Tarjan numbers components in reverse topological order: successors first.
    let mut longest = vec![0usize; count];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (t, &c) in component.iter().enumerate() {
        members[c].push(t);
    }
    for c in 0..count {
        let below = members[c]
            .iter()
            .flat_map(|&t| &edges[t])
            .map(|&u| component[u])
            .filter(|&d| d != c)
            .map(|d| longest[d])
            .max()
            .unwrap_or(0);
        longest[c] = size[c] + below;
    }
    let depth = 5 * longest.into_iter().max().unwrap_or(0) as u32;
    (depth > 100).then(|| depth.next_power_of_two().clamp(256, 4096))
}
