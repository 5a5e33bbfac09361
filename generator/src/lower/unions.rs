//! Unions: `oneOf`/`anyOf` as the IR's unions, their variants, and the tag that tells them
//! apart (a discriminator, or one the variants imply).

use std::collections::{BTreeMap, HashSet};

use openapiv3::{ReferenceOr, Schema};

use super::{dedup, SpecLowerer};
use crate::error::Result;
use crate::ir::*;
use crate::pointer::{unescape, JsonPointer};

impl<'a> SpecLowerer<'a> {
    pub(super) fn union(
        &mut self,
        id: NodeId,
        variants: &'a [ReferenceOr<Schema>],
        ptr: &JsonPointer,
        discriminator: Option<&'a openapiv3::Discriminator>,
    ) -> Result<Kind> {
        let nodes = self.variants(id, variants, ptr)?;
        Ok(self.union_of(id, nodes, ptr, discriminator))
    }

    pub(super) fn variants(
        &mut self,
        id: NodeId,
        variants: &'a [ReferenceOr<Schema>],
        ptr: &JsonPointer,
    ) -> Result<Vec<NodeId>> {
        let mut nodes = Vec::with_capacity(variants.len());
        for (index, v) in variants.iter().enumerate() {
            nodes.push(self.schema_ref(v, ptr.push(index.to_string()), NameHint::Variant { parent: id, index })?);
        }
        Ok(nodes)
    }

    /// An object's own properties beside `oneOf`/`anyOf` variants that are objects too
    /// (Intercom's data attribute: `name`, `model` and, by variant, `options`): one struct of
    /// the object's properties and, after them, the variants' (the first to name one gives
    /// its type), required when the object's `required` names them. When a variant is not an
    /// object, the variants make a union, as they do without properties beside them.
    pub(super) fn object_with_variants(
        &mut self,
        id: NodeId,
        a: &'a openapiv3::AnySchema,
        ptr: &JsonPointer,
    ) -> Result<Kind> {
        let (parts, key) = if a.one_of.is_empty() { (&a.any_of, "anyOf") } else { (&a.one_of, "oneOf") };
        let variants_ptr = ptr.push(key);
        let nodes = self.variants(id, parts, &variants_ptr)?;
        let mut fields = Vec::new();
        for &node in &nodes {
            let mut inner = node;
            while let Kind::Nullable(i) = self.ir.node(inner).kind {
                inner = i;
            }
            match &self.ir.node(inner).kind {
                Kind::Object(o) => fields.extend(o.fields.iter().cloned()),
                Kind::Any | Kind::FreeFormObject => {}
                _ => return Ok(self.union_of(id, nodes, &variants_ptr, None)),
            }
        }
        let mut object = match self.object(id, &a.properties, &a.required, a.additional_properties.as_ref(), ptr)? {
            Kind::Object(object) => object,
            other => return Ok(other),
        };
        let own = object.fields.len();
        for f in fields {
            match object.fields.iter().position(|g| g.name == f.name) {
                // The object's own property holds for every variant.
                Some(at) if at < own => {}
                Some(at) => {
                    // Variants that each allow some values of one property: it allows them all.
                    let (first, next) = (object.fields[at].node, f.node);
                    if let (Kind::Enum(mine), Kind::Enum(theirs)) =
                        (&self.ir.node(first).kind, &self.ir.node(next).kind)
                    {
                        let values = dedup(mine.iter().chain(theirs).cloned());
                        object.fields[at].node = self.push_like(first, Kind::Enum(values));
                    }
                }
                None => {
                    let required = a.required.contains(&f.name) && !f.one_way;
                    object.fields.push(Field { required, ..f });
                }
            }
        }
        Ok(Kind::Object(object))
    }

    pub(super) fn union_of(
        &mut self,
        id: NodeId,
        nodes: Vec<NodeId>,
        ptr: &JsonPointer,
        discriminator: Option<&'a openapiv3::Discriminator>,
    ) -> Kind {
        // A variant that is only `null` (3.0's `enum: [null]`) makes the rest nullable.
        let is_null = |this: &Self, n: &NodeId| this.ir.node(*n).kind == Kind::Null;
        if nodes.len() > 1 && nodes.iter().any(|n| is_null(self, n)) {
            let rest: Vec<NodeId> = nodes.iter().copied().filter(|n| !is_null(self, n)).collect();
            let kind = self.union_of(id, rest, ptr, discriminator);
            // As 3.1's `anyOf: [X, {type: "null"}]` reads (`dialect`): the same node, nullable.
            return Kind::Nullable(self.push_like(id, kind));
        }
        match nodes.as_slice() {
            [] => Kind::Any,
            // One variant is that variant; but a tagged one (Dropshot's enum of one
            // variant, `{"type": "sha256", "value": ...}`) stays the enum it was written as.
            [only] => match discriminator.is_none().then(|| self.implied_tag(&nodes)).flatten() {
                Some(tag) if self.is_inline_variant(id, *only) => {
                    let mut nodes = nodes.clone();
                    let tag = self.tag_in_union(id, tag, &mut nodes);
                    Kind::Union(nodes, Some(tag))
                }
                _ => self.ir.node(*only).kind.clone(),
            },
            _ => match discriminator {
                Some(d) => {
                    let tag = self.tag(d, &nodes, ptr);
                    Kind::Union(nodes, tag)
                }
                // Without a `discriminator`, what the variants say themselves: string enums
                // are one enum of all their values (Dropshot documents each value so), and
                // objects that each carry a different constant for one property are tagged by
                // it (`{"type": "explicit", ...}`).
                None => match self.enum_values_of_all(&nodes) {
                    Some(values) => Kind::Enum(dedup(values.into_iter())),
                    None => {
                        let mut nodes = nodes;
                        let tag = self.implied_tag(&nodes).map(|tag| self.tag_in_union(id, tag, &mut nodes));
                        Kind::Union(nodes, tag)
                    }
                },
            },
        }
    }

    /// The values of `variants` when every one is a string enum (not nullable).
    pub(super) fn enum_values_of_all(&self, variants: &[NodeId]) -> Option<Vec<String>> {
        let mut values = Vec::new();
        for &v in variants {
            match &self.ir.node(v).kind {
                Kind::Enum(vals) => values.extend(vals.iter().cloned()),
                _ => return None,
            }
        }
        Some(values)
    }

    /// `tag` read and written by its union when every variant is written inline in it and
    /// holds nothing but listed properties: the variants lose the tag property, and the one-value
    /// enum types it needed, as a Rust enum's variants would (`Explicit { ip }`).
    ///
    /// When what is left of each variant is one required property of the same name (`value`),
    /// the union is adjacently tagged: its variants become those properties' values (`nodes`
    /// and the tag's values are changed to them).
    pub(super) fn tag_in_union(&mut self, union: NodeId, mut tag: Tag, nodes: &mut [NodeId]) -> Tag {
        let inline = tag.values.iter().all(|(_, v)| self.is_inline_variant(union, *v));
        if !inline {
            return tag;
        }
        let mut rest: Vec<(NodeId, Vec<Field>)> = Vec::new();
        for (_, v) in &tag.values {
            let Kind::Object(mut o) = self.ir.node(*v).kind.clone() else { continue };
            o.fields.retain(|f| f.name != tag.property);
            rest.push((*v, o.fields.clone()));
            self.set_kind(*v, if o.fields.is_empty() { Kind::FreeFormObject } else { Kind::Object(o) });
        }
        tag.written_by_union = true;
        let mut content: Option<&str> = None;
        let adjacent =
            rest.iter().filter(|(_, fields)| !fields.is_empty()).all(|(_, fields)| match fields.as_slice() {
                [only] if only.required && content.is_none_or(|c| c == only.name) => {
                    content = Some(&only.name);
                    true
                }
                _ => false,
            });
        if let (true, Some(content)) = (adjacent, content) {
            for (variant, fields) in &rest {
                let Some(value) = fields.first().map(|f| f.node) else { continue };
                for n in nodes.iter_mut().filter(|n| **n == *variant) {
                    *n = value;
                }
                for (_, v) in tag.values.iter_mut().filter(|(_, v)| *v == *variant) {
                    *v = value;
                }
            }
            tag.content = Some(content.to_string());
        }
        tag
    }

    /// Whether `variant` is an object written inside `union` (not a reference to a type of its
    /// own) that holds nothing but listed properties.
    pub(super) fn is_inline_variant(&self, union: NodeId, variant: NodeId) -> bool {
        let node = self.ir.node(variant);
        matches!(node.hint, NameHint::Variant { parent, .. } if parent == union)
            && matches!(&node.kind, Kind::Object(o) if o.additional.is_none())
    }

    /// The tag of a union of objects that each require one property to hold a constant (a
    /// one-value enum), each a different one: the first such property of the first variant.
    pub(super) fn implied_tag(&self, variants: &[NodeId]) -> Option<Tag> {
        let constant = |variant: NodeId, property: &str| -> Option<String> {
            let Kind::Object(o) = &self.ir.node(variant).kind else { return None };
            let field = o.fields.iter().find(|f| f.name == property && f.required)?;
            match &self.ir.node(field.node).kind {
                Kind::Enum(values) if values.len() == 1 => Some(values[0].clone()),
                _ => None,
            }
        };
        let Kind::Object(first) = &self.ir.node(*variants.first()?).kind else { return None };
        first.fields.iter().find_map(|f| {
            let values: Vec<(String, NodeId)> =
                variants.iter().map(|&v| constant(v, &f.name).map(|c| (c, v))).collect::<Option<_>>()?;
            let distinct: HashSet<&str> = values.iter().map(|(c, _)| c.as_str()).collect();
            (distinct.len() == values.len()).then(|| Tag {
                property: f.name.clone(),
                values,
                written_by_union: false,
                content: None,
            })
        })
    }

    /// The tag values of each variant: from the mapping, else the variant's own one-value enum
    /// for the property, else its component name. `None` (with a warning) when a variant has
    /// none, and then decoding tries the variants in turn.
    pub(super) fn tag(&mut self, d: &openapiv3::Discriminator, variants: &[NodeId], ptr: &JsonPointer) -> Option<Tag> {
        let mut values = Vec::new();
        for &variant in variants {
            let mut found: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, target)| {
                    let name = target.strip_prefix("#/components/schemas/").unwrap_or(target);
                    self.memo.get(&unescape(name)) == Some(&variant)
                })
                .map(|(value, _)| value.clone())
                .collect();
            if found.is_empty() {
                if let Kind::Object(o) = &self.ir.node(variant).kind {
                    if let Some(f) = o.fields.iter().find(|f| f.name == d.property_name) {
                        if let Kind::Enum(vals) = &self.ir.node(f.node).kind {
                            if let [only] = vals.as_slice() {
                                found.push(only.clone());
                            }
                        }
                    }
                }
            }
            if found.is_empty() {
                if let NameHint::Component(name) = &self.ir.node(variant).hint {
                    found.push(name.clone());
                }
            }
            if found.is_empty() {
                self.warn(
                    ptr,
                    format!(
                        "the discriminator `{}` names no value for variant {}; decoding tries each variant in turn",
                        d.property_name,
                        values.len() + 1
                    ),
                );
                return None;
            }
            values.extend(found.into_iter().map(|v| (v, variant)));
        }
        let mut shared: BTreeMap<&str, usize> = BTreeMap::new();
        for (value, _) in &values {
            *shared.entry(value.as_str()).or_default() += 1;
        }
        for (value, count) in shared.into_iter().filter(|(_, count)| *count > 1) {
            self.warn(
                ptr,
                format!("{count} variants carry the discriminator value {value:?}: decoding tries them in turn for it"),
            );
        }
        Some(Tag { property: d.property_name.clone(), values, written_by_union: false, content: None })
    }
}
