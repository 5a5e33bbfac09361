//! Partition refinement: which schema nodes have the same shape, recursive ones included.

use rustc_hash::FxHashMap;

use super::ClassId;
use crate::ir::*;

/// A node's own label: its kind without its children.
#[derive(Hash, PartialEq, Eq)]
enum Label<'i> {
    String(StringFormat),
    Integer(IntegerFormat),
    Number(NumberFormat),
    Boolean,
    Null,
    Any,
    FreeForm,
    Map,
    Array,
    /// Sorted (name, presence) pairs, and whether there is an `additional` child.
    Object(Vec<(&'i str, Presence)>, bool),
    /// Sorted values.
    Enum(Vec<&'i str>),
    /// The number of variants; for a tagged union, the property and the sorted tag values.
    Union(usize, Option<(&'i str, Vec<&'i str>, bool, Option<&'i str>)>),
    Nullable,
}

/// How a field of an object is present on the wire.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Presence {
    /// Left out when it has no value.
    Optional,
    /// Always sent, `null` when it has no value.
    RequiredNullable,
    Required,
}

fn label_and_children<'i>(ir: &'i Ir, kind: &'i Kind) -> (Label<'i>, Vec<NodeId>) {
    match kind {
        Kind::String(f) => (Label::String(*f), vec![]),
        Kind::Integer(f) => (Label::Integer(*f), vec![]),
        Kind::Number(f) => (Label::Number(*f), vec![]),
        Kind::Boolean => (Label::Boolean, vec![]),
        Kind::Null => (Label::Null, vec![]),
        Kind::Any => (Label::Any, vec![]),
        Kind::FreeFormObject => (Label::FreeForm, vec![]),
        Kind::Map(n) => (Label::Map, vec![*n]),
        Kind::Array(n) => (Label::Array, vec![*n]),
        Kind::Nullable(n) => (Label::Nullable, vec![*n]),
        Kind::Enum(values) => {
            let mut v: Vec<&str> = values.iter().map(String::as_str).collect();
            v.sort_unstable();
            (Label::Enum(v), vec![])
        }
        Kind::Union(v, None) => (Label::Union(v.len(), None), v.clone()),
        Kind::Union(v, Some(tag)) => {
            // Children in tag-value order: which variant a value selects is part of the shape.
            let mut values: Vec<&(String, NodeId)> = tag.values.iter().collect();
            values.sort_by(|a, b| a.0.cmp(&b.0));
            let label = Label::Union(
                v.len(),
                Some((
                    tag.property.as_str(),
                    values.iter().map(|(t, _)| t.as_str()).collect(),
                    tag.written_by_union,
                    tag.content.as_deref(),
                )),
            );
            (label, values.iter().map(|(_, n)| *n).collect())
        }
        Kind::Object(o) => {
            // A field is an `Option` when it is not required or when it is nullable; a required
            // one that may be null is sent as `null`, an optional one is left out: not the same
            // field on the wire, so not the same shape.
            let mut fields: Vec<(&str, Presence, NodeId)> = o
                .fields
                .iter()
                .map(|f| match (&ir.node(f.node).kind, f.required) {
                    (Kind::Nullable(inner), true) => (f.name.as_str(), Presence::RequiredNullable, *inner),
                    (Kind::Nullable(inner), false) => (f.name.as_str(), Presence::Optional, *inner),
                    (_, true) => (f.name.as_str(), Presence::Required, f.node),
                    (_, false) => (f.name.as_str(), Presence::Optional, f.node),
                })
                .collect();
            fields.sort_by(|a, b| a.0.cmp(b.0));
            let label = Label::Object(
                fields.iter().map(|(name, presence, _)| (*name, *presence)).collect(),
                o.additional.is_some(),
            );
            (label, fields.iter().map(|f| f.2).chain(o.additional).collect())
        }
    }
}

/// Partition refinement: the coarsest partition in which equal-class nodes have equal labels
/// and children in equal classes (union variants compared as a multiset).
pub(super) fn refine(ir: &Ir) -> Vec<ClassId> {
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
