//! Stage 3, normalize: decide which schemas are the same Rust type, and name each type once.
//!
//! Two schemas are the same type when their shapes are equal; the shape is what decides the
//! Rust type (`type`, `format`, properties and which are required, `nullable`, enum values,
//! items, additionalProperties, oneOf/anyOf/allOf). Everything else is ignored for identity:
//! documentation (`description`, `title`, `example`, `examples`, `externalDocs`, `deprecated`,
//! `xml`, `x-*`), `default`, `readOnly`/`writeOnly` (beyond making a property optional, which
//! lower has done), and validation keywords (`minimum`,
//! `maxLength`, `pattern`, `minItems`, ...) that no Rust type here depends on. Property order,
//! enum value order and variant order do not matter either.
//!
//! Shapes are compared as a graph (recursive schemas included) by partition refinement: start
//! from each node's own label, then split classes by the classes of their children until
//! nothing splits. Each class of object, enum or union nodes that an operation reaches becomes
//! one model type.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::ir::*;
use crate::naming;
use crate::pointer::Site;

mod features;
mod idents;
mod names;
mod operations;
mod pagination;
mod recursion;
mod refine;
mod rust_type;
mod samples;
mod webhooks;

pub use features::Features;
pub use idents::OperationNames;
use names::{Choice, Namer};
pub use operations::{
    CaseBody, DocumentedHeader, ErrorType, ListItem, OperationPlan, ParamForm, StreamPlan, Success, SuccessCase,
};
pub use pagination::{OffsetEnvelope, OffsetIn, PageField, PageStyle, Pagination};
use recursion::Recursion;
use refine::refine;
pub use rust_type::RustType;
pub use webhooks::{WebhookGroup, WebhookPlan};

/// Index of an equivalence class of nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClassId(pub u32);

/// Index of a model type in [`Model::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

/// The IR with every schema node assigned to a model type or a structural Rust type.
pub struct Model {
    pub ir: Ir,
    class_of: Vec<ClassId>,
    type_of_class: FxHashMap<ClassId, TypeId>,
    /// Model types, sorted by name.
    pub types: Vec<TypeDef>,
    pub aliases: Vec<Alias>,
    /// Which model types hold each other in a cycle (filled once the types are known).
    recursion: Option<Recursion>,
    /// The facts of each operation of each API, as `ir.apis[a].operations[o]`.
    operations: Vec<Vec<OperationPlan>>,
    /// The webhook groups of each API.
    webhooks: Vec<Vec<WebhookGroup>>,
    /// The crate's Cargo features, and what each compiles.
    pub features: Features,
    /// The `recursion_limit` the crate needs, when rustc's default is too low for its types.
    pub recursion_limit: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub name_source: NameSource,
    pub shape: Shape,
    pub doc: Option<String>,
    /// Every place in the inputs that this type stands for.
    pub sites: Vec<Site>,
}

#[derive(Debug, Clone)]
pub enum Shape {
    Struct {
        fields: Vec<FieldDef>,
        additional: Option<NodeId>,
    },
    Enum {
        values: Vec<String>,
    },
    /// Variants in the order a JSON value should be tried against them.
    Union {
        variants: Vec<NodeId>,
        /// The discriminator, when every variant has a tag value.
        tag: Option<Tag>,
    },
}

impl Shape {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Shape::Struct { .. } => "struct",
            Shape::Enum { .. } => "enum",
            Shape::Union { .. } => "union",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The property name on the wire.
    pub name: String,
    /// The Rust field's name (see `idents`).
    pub ident: String,
    pub node: NodeId,
    pub required: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "from", content = "detail", rename_all = "snake_case")]
pub enum NameSource {
    /// The names overlay (specs/names.yaml).
    Overlay,
    /// `#/components/schemas/...` of a spec.
    Component,
    Title,
    /// Derived from where the shape is used; the detail says from what.
    Derived(String),
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Alias {
    pub name: String,
    pub target: String,
    /// The type `target` names (the report gives its name only).
    #[serde(skip)]
    pub target_id: TypeId,
}

/// What a node is in Rust: a model type, or built from other nodes.
pub enum Resolved<'a> {
    Model(&'a TypeDef),
    Kind(&'a Kind),
}

impl Model {
    pub fn type_of(&self, node: NodeId) -> Option<TypeId> {
        self.type_of_class.get(&self.class_of[node.0 as usize]).copied()
    }

    pub fn resolve(&self, node: NodeId) -> Resolved<'_> {
        match self.type_of(node) {
            Some(t) => Resolved::Model(&self.types[t.0 as usize]),
            None => Resolved::Kind(&self.ir.node(node).kind),
        }
    }

    /// The facts of operation `op` of API `api`.
    pub fn operation(&self, api: usize, op: usize) -> &OperationPlan {
        &self.operations[api][op]
    }

    /// The webhook groups of API `api`: its webhooks', then each operation's callbacks'.
    pub fn webhooks(&self, api: usize) -> &[WebhookGroup] {
        &self.webhooks[api]
    }

    /// Whether any API of the crate receives webhooks or callbacks.
    pub fn has_webhooks(&self) -> bool {
        self.webhooks.iter().any(|groups| !groups.is_empty())
    }

    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0 as usize]
    }

    /// The node behind `Option`s that are not model types, and whether there was one.
    pub fn unwrap_nullable(&self, mut node: NodeId) -> (NodeId, bool) {
        let mut nullable = false;
        while let Kind::Nullable(inner) = &self.ir.node(node).kind {
            if self.type_of(node).is_some() {
                break;
            }
            node = *inner;
            nullable = true;
        }
        (node, nullable)
    }

    /// Whether the value at `node`, a field or variant of the model type `owner`, closes a
    /// cycle of types that hold each other directly, and so is boxed.
    pub fn needs_box(&self, owner: TypeId, node: NodeId) -> bool {
        self.recursion.as_ref().is_some_and(|r| r.needs_box(self, owner, node))
    }
}

pub fn normalize(ir: Ir) -> Model {
    let class_of = refine(&ir);
    let reachable = reachable_nodes(&ir);

    let (members, model_classes) = model_classes(&ir, &class_of, &reachable);

    let mut namer = Namer::new(&ir, &class_of, &members, &reachable);
    let wanted: Vec<(ClassId, Choice, Site)> = model_classes
        .iter()
        .map(|&c| {
            let choice = namer.class_name(c).unwrap_or_else(|| Choice {
                name: "Unnamed".to_string(),
                source: NameSource::Derived("nothing names it".into()),
                rank: names::Rank::Fallback,
                votes: 0,
                read: false,
                qualified: None,
            });
            let first_site = members[&c].iter().map(|&n| &ir.node(n).site).min().expect("classes have members").clone();
            (c, choice, first_site)
        })
        .collect();
    let named = resolve_collisions(wanted);
    let type_of_class: FxHashMap<ClassId, TypeId> =
        named.iter().enumerate().map(|(i, (c, _, _))| (*c, TypeId(i as u32))).collect();

    let (types, mut aliases) = model_types(&ir, &members, &reachable, named);
    // An alias never takes a name that a type has.
    let type_names: FxHashSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    aliases.retain(|a| !type_names.contains(a.name.as_str()));
    aliases.sort_by(|a, b| a.name.cmp(&b.name));

    let mut model = Model {
        ir,
        class_of,
        type_of_class,
        types,
        aliases,
        recursion: None,
        operations: Vec::new(),
        webhooks: Vec::new(),
        features: Features::default(),
        recursion_limit: None,
    };
    model.recursion = Some(Recursion::new(&model));
    // Each operation's plan reads the model alone: they are made on every core.
    model.operations = model
        .ir
        .apis
        .iter()
        .map(|a| {
            let operations: Vec<_> = a.operations.iter().zip(idents::operation_names(a)).collect();
            crate::threads::map(&operations, |(op, names)| model.plan_operation(op, names.clone()))
        })
        .collect();
    (0..model.ir.apis.len()).for_each(|api| model.fold_errors(api));
    model.webhooks = (0..model.ir.apis.len()).map(|a| model.plan_webhooks(a)).collect();
    let edges = features::type_edges(&model);
    model.features = features::features(&model, &edges);
    model.recursion_limit = features::recursion_limit(&edges);
    model
}

/// The model types of the classes `named` (in that order), and the other names their
/// components and overlay entries give them (aliases, unsorted).
fn model_types(
    ir: &Ir,
    members: &BTreeMap<ClassId, Vec<NodeId>>,
    reachable: &[bool],
    named: Vec<(ClassId, String, NameSource)>,
) -> (Vec<TypeDef>, Vec<Alias>) {
    // A type's docs, shape and sites depend on the IR alone: they are made on every core.
    let built = crate::threads::map(&named, |(class, _, _)| {
        let nodes = &members[class];
        let used: Vec<NodeId> = nodes.iter().copied().filter(|n| reachable[n.0 as usize]).collect();
        let representative =
            nodes.iter().copied().find(|&n| matches!(ir.node(n).hint, NameHint::Overlay(_))).unwrap_or_else(|| {
                *used.iter().min_by_key(|&&n| &ir.node(n).site).expect("model classes are reachable")
            });
        let doc = type_doc(ir, ir.node(representative), &used);
        let shape = shape_of(ir, representative, &used);
        let sites: BTreeSet<&Site> = used.iter().map(|&n| &ir.node(n).site).collect();
        (doc, shape, sites.into_iter().cloned().collect::<Vec<Site>>())
    });
    let mut types = Vec::with_capacity(named.len());
    let mut aliases = Vec::new();
    for ((class, name, name_source), (doc, shape, sites)) in named.into_iter().zip(built) {
        for &n in &members[&class] {
            if let NameHint::Overlay(other) | NameHint::Component(other) = &ir.node(n).hint {
                let other = naming::type_ident(other);
                if other != name && !aliases.iter().any(|a: &Alias| a.name == other) {
                    // Types are pushed in the order of their ids.
                    let target_id = TypeId(types.len() as u32);
                    aliases.push(Alias { name: other, target: name.clone(), target_id });
                }
            }
        }
        types.push(TypeDef { name, name_source, shape, doc, sites });
    }
    (types, aliases)
}

/// The members of every class that becomes a model type (reachable ones first, in node
/// order), and the classes that do: those an operation reaches.
fn model_classes(
    ir: &Ir,
    class_of: &[ClassId],
    reachable: &[bool],
) -> (BTreeMap<ClassId, Vec<NodeId>>, BTreeSet<ClassId>) {
    let mut members: BTreeMap<ClassId, Vec<NodeId>> = BTreeMap::new();
    let mut model_classes = BTreeSet::new();
    for (i, node) in ir.schemas.iter().enumerate() {
        if is_model_kind(&node.kind) {
            let class = class_of[i];
            members.entry(class).or_default().push(NodeId(i as u32));
            if reachable[i] {
                model_classes.insert(class);
            }
        }
    }
    (members, model_classes)
}

/// The shape of the model type whose representative node is `representative`: a struct's
/// fields documented by what the `used` nodes say of them, an enum's values, a union's
/// variants in the order they are tried when decoding.
fn shape_of(ir: &Ir, representative: NodeId, used: &[NodeId]) -> Shape {
    let rep = ir.node(representative);
    match &rep.kind {
        Kind::Object(o) => {
            let field_docs = field_docs(ir, &o.fields, used);
            let rep_docs = field_docs_of(ir, &o.fields, representative);
            Shape::Struct {
                fields: o
                    .fields
                    .iter()
                    .zip(idents::field_idents(o.fields.iter().map(|f| f.name.as_str())))
                    .zip(field_docs.iter().zip(rep_docs))
                    .map(|((f, ident), (docs, rep_doc))| FieldDef {
                        name: f.name.clone(),
                        ident,
                        node: f.node,
                        required: f.required,
                        // The specs' own words first; the overlay's where they have none.
                        doc: most_common(docs.iter().filter_map(|d| d.description.as_deref()))
                            .or_else(|| rep_doc.and_then(|d| d.description.as_deref().map(str::to_string))),
                        deprecated: !docs.is_empty() && docs.iter().all(|d| d.deprecated),
                    })
                    .collect(),
                additional: o.additional,
            }
        }
        Kind::Enum(values) => Shape::Enum { values: values.clone() },
        Kind::Union(variants, tag) => {
            let mut variants = variants.clone();
            variants.sort_by_key(|&v| decode_rank(ir, v));
            Shape::Union { variants, tag: tag.clone() }
        }
        other => unreachable!("model classes hold only objects, enums and unions, not {other:?}"),
    }
}

/// Gives each class its name. Where several want one name, the strongest claim keeps it (the
/// best rank, then what a `GET` returns, then the most sites, then the first site: sites do
/// not depend on the order of paths in the file); each other grows its qualifier in front
/// (`ApprovalScheme` -> `AccessProfileApprovalScheme`), and what still collides, or would
/// grow past 40 characters, is numbered.
fn resolve_collisions(wanted: Vec<(ClassId, Choice, Site)>) -> Vec<(ClassId, String, NameSource)> {
    let mut by_name: BTreeMap<String, Vec<(ClassId, Choice, Site)>> = BTreeMap::new();
    for w in wanted {
        by_name.entry(w.1.name.clone()).or_default().push(w);
    }
    let mut second: Vec<(String, Site, ClassId, NameSource)> = Vec::new();
    for (name, mut claims) in by_name {
        let strength =
            |(_, c, site): &(ClassId, Choice, Site)| (c.rank, !c.read, std::cmp::Reverse(c.votes), site.clone());
        claims.sort_by_cached_key(strength);
        for (i, (class, choice, site)) in claims.into_iter().enumerate() {
            let name = match (&choice.qualified, i) {
                (_, 0) => name.clone(),
                (Some(q), _) => q.clone(),
                _ => name.clone(),
            };
            second.push((name, site, class, choice.source));
        }
    }
    // Unique at last: in the order of name and first site, the later of a pair is numbered.
    second.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut uniquer = naming::Uniquer::default();
    let mut named: Vec<(ClassId, String, NameSource)> =
        second.into_iter().map(|(name, _, class, source)| (class, uniquer.claim(name), source)).collect();
    named.sort_by(|a, b| a.1.cmp(&b.1));
    named
}

/// The docs of each of `fields` in every node of `used` that has it, in `used`'s order.
fn field_docs<'i>(ir: &'i Ir, fields: &[Field], used: &[NodeId]) -> Vec<Vec<&'i Docs>> {
    let mut docs: Vec<Vec<&Docs>> = fields.iter().map(|_| Vec::with_capacity(used.len())).collect();
    for &n in used {
        for (slot, found) in docs.iter_mut().zip(field_docs_of(ir, fields, n)) {
            slot.extend(found);
        }
    }
    docs
}

/// The docs of each of `fields` in the object at `node`, where it has that field: found at the
/// same place (members of a class list their fields alike) or else by name.
fn field_docs_of<'i>(ir: &'i Ir, fields: &[Field], node: NodeId) -> Vec<Option<&'i Docs>> {
    let Kind::Object(other) = &ir.node(node).kind else { return vec![None; fields.len()] };
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let same = other.fields.get(i).filter(|g| g.name == f.name);
            same.or_else(|| other.fields.iter().find(|g| g.name == f.name)).map(|g| &ir.node(g.node).docs)
        })
        .collect()
}

/// A type's documentation: the overlay's; else what the spec says where the schema stands for
/// itself (a component, a body); else a description every documented site shares. A property's
/// description usually speaks of the property ("The owner."), so it is not taken when the
/// sites disagree.
fn type_doc(ir: &Ir, rep: &SchemaNode, used: &[NodeId]) -> Option<String> {
    if let NameHint::Overlay(_) = rep.hint {
        if let Some(d) = &rep.docs.description {
            return Some(d.to_string());
        }
    }
    let standalone = used.iter().map(|&n| ir.node(n)).filter(|n| {
        matches!(
            n.hint,
            NameHint::Component(_) | NameHint::Reused { .. } | NameHint::RequestBody { .. } | NameHint::Response { .. }
        )
    });
    if let Some(d) = most_common(standalone.filter_map(|n| n.docs.description.as_deref())) {
        return Some(d);
    }
    let all: BTreeSet<&str> = used.iter().filter_map(|&n| ir.node(n).docs.description.as_deref()).collect();
    if all.len() == 1 {
        return all.into_iter().next().map(str::to_string);
    }
    most_common(used.iter().filter_map(|&n| ir.node(n).docs.title.as_deref()))
}

fn is_model_kind(kind: &Kind) -> bool {
    matches!(kind, Kind::Object(_) | Kind::Enum(_) | Kind::Union(..))
}

/// The order in which untagged variants are tried: the most specific JSON first, so that an
/// integer never lands in a free-form object and an enum value is not taken as any string.
fn decode_rank(ir: &Ir, node: NodeId) -> u8 {
    match &ir.node(node).kind {
        Kind::Boolean | Kind::Null => 0,
        Kind::Integer(_) => 1,
        Kind::Number(_) => 2,
        Kind::Enum(_) => 3,
        Kind::String(StringFormat::Plain | StringFormat::Binary) => 5,
        Kind::String(_) => 4,
        Kind::Array(_) => 6,
        Kind::Object(o) if o.fields.iter().any(|f| f.required) => 7,
        Kind::Object(_) => 8,
        Kind::Union(..) => 9,
        Kind::Map(_) => 10,
        Kind::FreeFormObject => 11,
        Kind::Nullable(inner) => decode_rank(ir, *inner),
        Kind::Any => 12,
    }
}

fn most_common<'a>(items: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    // Highest count wins; among equals the smallest string, so the result is order-free.
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(s, _)| s.to_string())
}

/// Nodes that operations reach (parameters, bodies, responses and everything inside them).
fn reachable_nodes(ir: &Ir) -> Vec<bool> {
    let mut seen = vec![false; ir.schemas.len()];
    let mut stack: Vec<NodeId> = ir
        .apis
        .iter()
        .flat_map(|a| &a.operations)
        .flat_map(features::operation_roots)
        .chain(ir.apis.iter().flat_map(|a| &a.webhooks).filter_map(|w| w.payload))
        .collect();
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut seen[n.0 as usize], true) {
            continue;
        }
        stack.extend(ir.node(n).kind.children());
    }
    seen
}

#[cfg(test)]
mod tests;
