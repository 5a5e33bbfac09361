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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rustc_hash::FxHashMap;

use crate::ir::*;
use crate::naming;
use crate::pointer::Site;

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
    type_of_class: HashMap<ClassId, TypeId>,
    /// Model types, sorted by name.
    pub types: Vec<TypeDef>,
    pub aliases: Vec<Alias>,
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

    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0 as usize]
    }
}

pub fn normalize(ir: Ir) -> Model {
    let class_of = refine(&ir);
    let reachable = reachable_nodes(&ir);

    // Members of every class that becomes a model type, reachable ones first in node order.
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

    let mut namer = Namer {
        ir: &ir,
        class_of: &class_of,
        members: &members,
        reachable: &reachable,
        memo: HashMap::new(),
        visiting: HashSet::new(),
    };
    let mut wanted: Vec<(ClassId, (String, NameSource), Site)> = model_classes
        .iter()
        .map(|&c| {
            let name = namer
                .class_name(c)
                .unwrap_or_else(|| ("Unnamed".to_string(), NameSource::Derived("nothing names it".into())));
            let first_site = members[&c].iter().map(|&n| ir.node(n).site.clone()).min().expect("classes have members");
            (c, name, first_site)
        })
        .collect();
    // Collisions: the shape first seen at the smallest site keeps the name; the others are
    // suffixed. Sites do not depend on the order of paths in the file.
    wanted.sort_by(|a, b| (&a.1 .0, &a.2).cmp(&(&b.1 .0, &b.2)));
    let mut uniquer = naming::Uniquer::default();
    let mut named: Vec<(ClassId, String, NameSource)> =
        wanted.into_iter().map(|(c, (name, source), _)| (c, uniquer.claim(name), source)).collect();
    named.sort_by(|a, b| a.1.cmp(&b.1));

    let type_of_class: HashMap<ClassId, TypeId> =
        named.iter().enumerate().map(|(i, (c, _, _))| (*c, TypeId(i as u32))).collect();

    let mut types = Vec::with_capacity(named.len());
    let mut aliases = Vec::new();
    for (class, name, name_source) in named {
        let nodes = &members[&class];
        let used: Vec<NodeId> = nodes.iter().copied().filter(|n| reachable[n.0 as usize]).collect();
        let representative =
            nodes.iter().copied().find(|&n| matches!(ir.node(n).hint, NameHint::Overlay(_))).unwrap_or_else(|| {
                *used.iter().min_by_key(|&&n| &ir.node(n).site).expect("model classes are reachable")
            });
        let rep = ir.node(representative);
        let doc = type_doc(&ir, rep, &used);
        let shape = match &rep.kind {
            Kind::Object(o) => Shape::Struct {
                fields: o
                    .fields
                    .iter()
                    .map(|f| {
                        let docs_of = |n: NodeId| -> Option<&Docs> {
                            match &ir.node(n).kind {
                                Kind::Object(o) => {
                                    o.fields.iter().find(|g| g.name == f.name).map(|g| &ir.node(g.node).docs)
                                }
                                _ => None,
                            }
                        };
                        let field_docs: Vec<&Docs> = used.iter().filter_map(|&n| docs_of(n)).collect();
                        FieldDef {
                            name: f.name.clone(),
                            node: f.node,
                            required: f.required,
                            // The specs' own words first; the overlay's where they have none.
                            doc: most_common(field_docs.iter().filter_map(|d| d.description.as_deref()))
                                .or_else(|| docs_of(representative).and_then(|d| d.description.clone())),
                            deprecated: !field_docs.is_empty() && field_docs.iter().all(|d| d.deprecated),
                        }
                    })
                    .collect(),
                additional: o.additional,
            },
            Kind::Enum(values) => Shape::Enum { values: values.clone() },
            Kind::Union(variants, tag) => {
                let mut variants = variants.clone();
                variants.sort_by_key(|&v| decode_rank(&ir, v));
                Shape::Union { variants, tag: tag.clone() }
            }
            other => unreachable!("model classes hold only objects, enums and unions, not {other:?}"),
        };
        let sites: BTreeSet<Site> = used.iter().map(|&n| ir.node(n).site.clone()).collect();
        for &n in nodes {
            if let NameHint::Overlay(other) | NameHint::Component(other) = &ir.node(n).hint {
                let other = naming::type_ident(other);
                if other != name && !aliases.iter().any(|a: &Alias| a.name == other) {
                    aliases.push(Alias { name: other, target: name.clone() });
                }
            }
        }
        types.push(TypeDef { name, name_source, shape, doc, sites: sites.into_iter().collect() });
    }
    // An alias never takes a name that a type has.
    let type_names: HashSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    aliases.retain(|a| !type_names.contains(a.name.as_str()));
    aliases.sort_by(|a, b| a.name.cmp(&b.name));

    Model { ir, class_of, type_of_class, types, aliases }
}

/// A type's documentation: the overlay's; else what the spec says where the schema stands for
/// itself (a component, a body); else a description every documented site shares. A property's
/// description usually speaks of the property ("The owner."), so it is not taken when the
/// sites disagree.
fn type_doc(ir: &Ir, rep: &SchemaNode, used: &[NodeId]) -> Option<String> {
    if let NameHint::Overlay(_) = rep.hint {
        if let Some(d) = &rep.docs.description {
            return Some(d.clone());
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
        Kind::Boolean => 0,
        Kind::Integer(_) => 1,
        Kind::Number(_) => 2,
        Kind::Enum(_) => 3,
        Kind::String(StringFormat::DateTime | StringFormat::Date) => 4,
        Kind::String(_) => 5,
        Kind::Array(_) => 6,
        Kind::Object(o) if o.fields.iter().any(|f| f.required) => 7,
        Kind::Object(_) => 8,
        Kind::Union(..) => 9,
        Kind::Map(_) => 10,
        Kind::FreeFormObject => 11,
        Kind::Nullable(inner) => decode_rank(ir, *inner),
        Kind::Any | Kind::Pending => 12,
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

pub fn children(kind: &Kind) -> Vec<NodeId> {
    match kind {
        Kind::Map(n) | Kind::Array(n) | Kind::Nullable(n) => vec![*n],
        Kind::Object(o) => o.fields.iter().map(|f| f.node).chain(o.additional).collect(),
        Kind::Union(v, _) => v.clone(),
        _ => Vec::new(),
    }
}

/// Nodes that operations reach (parameters, bodies, responses and everything inside them).
fn reachable_nodes(ir: &Ir) -> Vec<bool> {
    let mut seen = vec![false; ir.schemas.len()];
    let mut stack: Vec<NodeId> = ir
        .apis
        .iter()
        .flat_map(|a| &a.operations)
        .flat_map(|op| {
            op.parameters.iter().map(|p| p.schema).chain(op.body.iter().map(|b| b.schema)).chain(
                op.responses.iter().filter_map(|r| match r.body {
                    ResponseBody::Json(n) => Some(n),
                    _ => None,
                }),
            )
        })
        .collect();
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut seen[n.0 as usize], true) {
            continue;
        }
        stack.extend(children(&ir.node(n).kind));
    }
    seen
}

/// A node's own label: its kind without its children.
#[derive(Hash, PartialEq, Eq)]
enum Label {
    String(StringFormat),
    Integer(IntegerFormat),
    Number(NumberFormat),
    Boolean,
    Any,
    FreeForm,
    Map,
    Array,
    /// Sorted (name, required and not nullable) pairs, and whether there is an `additional` child.
    Object(Vec<(String, bool)>, bool),
    /// Sorted values.
    Enum(Vec<String>),
    /// The number of variants; for a tagged union, the property and the sorted tag values.
    Union(usize, Option<(String, Vec<String>)>),
    Nullable,
    Pending,
}

fn label_and_children(ir: &Ir, kind: &Kind) -> (Label, Vec<NodeId>) {
    match kind {
        Kind::String(f) => (Label::String(*f), vec![]),
        Kind::Integer(f) => (Label::Integer(*f), vec![]),
        Kind::Number(f) => (Label::Number(*f), vec![]),
        Kind::Boolean => (Label::Boolean, vec![]),
        Kind::Any => (Label::Any, vec![]),
        Kind::FreeFormObject => (Label::FreeForm, vec![]),
        Kind::Pending => (Label::Pending, vec![]),
        Kind::Map(n) => (Label::Map, vec![*n]),
        Kind::Array(n) => (Label::Array, vec![*n]),
        Kind::Nullable(n) => (Label::Nullable, vec![*n]),
        Kind::Enum(values) => {
            let mut v = values.clone();
            v.sort();
            (Label::Enum(v), vec![])
        }
        Kind::Union(v, None) => (Label::Union(v.len(), None), v.clone()),
        Kind::Union(v, Some(tag)) => {
            // Children in tag-value order: which variant a value selects is part of the shape.
            let mut values = tag.values.clone();
            values.sort_by(|a, b| a.0.cmp(&b.0));
            let label =
                Label::Union(v.len(), Some((tag.property.clone(), values.iter().map(|(t, _)| t.clone()).collect())));
            (label, values.iter().map(|(_, n)| *n).collect())
        }
        Kind::Object(o) => {
            // A field is an `Option` when it is not required or when it is nullable: both are
            // the same Rust field, so they are the same shape.
            let mut fields: Vec<(&str, bool, NodeId)> = o
                .fields
                .iter()
                .map(|f| match ir.node(f.node).kind {
                    Kind::Nullable(inner) => (f.name.as_str(), false, inner),
                    _ => (f.name.as_str(), f.required, f.node),
                })
                .collect();
            fields.sort_by(|a, b| a.0.cmp(b.0));
            let label = Label::Object(
                fields.iter().map(|(name, required, _)| (name.to_string(), *required)).collect(),
                o.additional.is_some(),
            );
            (label, fields.iter().map(|f| f.2).chain(o.additional).collect())
        }
    }
}

/// Partition refinement: the coarsest partition in which equal-class nodes have equal labels
/// and children in equal classes (union variants compared as a multiset).
fn refine(ir: &Ir) -> Vec<ClassId> {
    let mut labels: FxHashMap<Label, u32> = FxHashMap::default();
    let mut label_of = Vec::with_capacity(ir.schemas.len());
    // Children of every node in one buffer, `kid_ranges[i]` being node i's slice of it.
    let mut kids: Vec<u32> = Vec::with_capacity(ir.schemas.len() * 2);
    let mut kid_ranges = Vec::with_capacity(ir.schemas.len());
    let mut unordered = Vec::with_capacity(ir.schemas.len());
    for node in &ir.schemas {
        let (label, children) = label_and_children(ir, &node.kind);
        unordered.push(matches!(label, Label::Union(_, None)));
        let next = labels.len() as u32;
        label_of.push(*labels.entry(label).or_insert(next));
        let start = kids.len();
        kids.extend(children.iter().map(|c| c.0));
        kid_ranges.push(start..kids.len());
    }
    let mut class: Vec<u32> = label_of.clone();
    let mut count = labels.len();
    let mut sig = Vec::new();
    loop {
        // A signature is the label followed by the children's classes.
        let mut sigs: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        sigs.reserve(count * 2);
        let mut next_class = Vec::with_capacity(class.len());
        for i in 0..class.len() {
            sig.clear();
            sig.push(label_of[i]);
            sig.extend(kids[kid_ranges[i].clone()].iter().map(|&c| class[c as usize]));
            if unordered[i] {
                sig[1..].sort_unstable();
            }
            let n = sigs.len() as u32;
            let id = match sigs.get(&sig) {
                Some(&id) => id,
                None => {
                    sigs.insert(sig.clone(), n);
                    n
                }
            };
            next_class.push(id);
        }
        let new_count = sigs.len();
        class = next_class;
        if new_count == count {
            break;
        }
        count = new_count;
    }
    class.into_iter().map(ClassId).collect()
}

struct Namer<'a> {
    ir: &'a Ir,
    class_of: &'a [ClassId],
    members: &'a BTreeMap<ClassId, Vec<NodeId>>,
    /// Which nodes operations reach: only those offer derived names.
    reachable: &'a [bool],
    memo: HashMap<ClassId, Option<(String, NameSource)>>,
    visiting: HashSet<ClassId>,
}

impl Namer<'_> {
    /// The preferred name of a model class: overlay, then component, then title, then the
    /// shortest derived name; ties broken by the name itself, so the order of paths in the
    /// file never matters.
    fn class_name(&mut self, class: ClassId) -> Option<(String, NameSource)> {
        if let Some(done) = self.memo.get(&class) {
            return done.clone();
        }
        if !self.visiting.insert(class) {
            return None;
        }
        let all = &self.members[&class];
        // Names the shape carries itself (overlay, component, title), wherever it stands.
        let mut candidates: Vec<(u8, String, NameSource)> = Vec::new();
        for &n in all {
            let node = self.ir.node(n);
            match &node.hint {
                NameHint::Overlay(name) => candidates.push((0, naming::type_ident(name), NameSource::Overlay)),
                NameHint::Component(name) => candidates.push((1, naming::type_ident(name), NameSource::Component)),
                _ => {}
            }
            if let Some(title) = &node.docs.title {
                candidates.push((2, naming::type_ident(title), NameSource::Title));
            }
        }
        // Else a name from where operations use it: an `allOf` part that merely looks like it
        // says nothing. A shape that operations reach only through its properties (an `allOf`
        // base) is named from where it is defined.
        if candidates.is_empty() {
            let reached: Vec<NodeId> = all.iter().copied().filter(|&n| self.reachable[n.0 as usize]).collect();
            let nodes = if reached.is_empty() { all.clone() } else { reached };
            // An error body that several operations share is named for its status, not for
            // whichever operation has the shortest name.
            let mut shared_statuses: BTreeMap<u16, BTreeSet<&str>> = BTreeMap::new();
            for &n in &nodes {
                if let NameHint::Response { operation, status } = &self.ir.node(n).hint {
                    shared_statuses.entry(*status).or_default().insert(operation);
                }
            }
            for (status, operations) in shared_statuses {
                if operations.len() > 1 && !(200..300).contains(&status) {
                    let name = format!("{}Response", naming::status_variant(status));
                    let from = format!("{status} response of {} operations", operations.len());
                    candidates.push((3, name, NameSource::Derived(from)));
                }
            }
            for n in nodes {
                if let Some((name, from)) = self.derived(n) {
                    candidates.push((4, naming::type_ident(&name), NameSource::Derived(from)));
                }
            }
        }
        let best = candidates.into_iter().min_by(|a, b| {
            let detail = |c: &(u8, String, NameSource)| match &c.2 {
                NameSource::Derived(d) => d.clone(),
                _ => String::new(),
            };
            (a.0, a.1.len(), &a.1, detail(a)).cmp(&(b.0, b.1.len(), &b.1, detail(b)))
        });
        let result = best.map(|(_, name, source)| (name, source));
        self.visiting.remove(&class);
        self.memo.insert(class, result.clone());
        result
    }

    /// The name of whatever stands at `node`: its model type's name, or one derived from
    /// where it is used.
    fn base(&mut self, node: NodeId) -> Option<String> {
        let node = self.owner(node);
        if is_model_kind(&self.ir.node(node).kind) {
            self.class_name(self.class_of[node.0 as usize]).map(|(n, _)| n)
        } else {
            self.derived(node).map(|(n, _)| n)
        }
    }

    /// Follows nullable wrappers and merged `allOf` parts to the node that names a property's
    /// parent.
    fn owner(&self, mut node: NodeId) -> NodeId {
        for _ in 0..64 {
            match (&self.ir.node(node).kind, &self.ir.node(node).hint) {
                (_, NameHint::AllOfPart { merged }) => node = *merged,
                (Kind::Nullable(inner), _) => node = *inner,
                _ => break,
            }
        }
        node
    }

    fn derived(&mut self, node: NodeId) -> Option<(String, String)> {
        let hint = self.ir.node(node).hint.clone();
        Some(match hint {
            NameHint::None => return None,
            NameHint::Overlay(name) | NameHint::Component(name) => (name.clone(), format!("component {name}")),
            NameHint::Property { parent, name } => {
                let base = self.base(parent)?;
                (format!("{base}{}", naming::camel(&name)), format!("property `{name}` of {base}"))
            }
            NameHint::Item { parent } => {
                let base = self.base(parent)?;
                (format!("{base}Item"), format!("items of {base}"))
            }
            NameHint::MapValue { parent } => {
                let base = self.base(parent)?;
                (format!("{base}Value"), format!("map values of {base}"))
            }
            NameHint::Variant { parent, index } => {
                let base = self.base(parent)?;
                (format!("{base}Variant{}", index + 1), format!("variant {} of {base}", index + 1))
            }
            NameHint::AllOfPart { merged } => return self.derived(merged),
            NameHint::Reused { name, detail } => (name, detail),
            NameHint::RequestBody { operation } => {
                (format!("{operation}Request"), format!("request body of {operation}"))
            }
            NameHint::Response { operation, status } => {
                let suffix =
                    if (200..300).contains(&status) { "Response".to_string() } else { naming::status_variant(status) };
                (format!("{operation}{suffix}"), format!("{status} response of {operation}"))
            }
            NameHint::Parameter { operation, name } => {
                (format!("{operation}{}", naming::camel(&name)), format!("parameter `{name}` of {operation}"))
            }
        })
    }
}
