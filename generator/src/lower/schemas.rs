//! Schemas: each form (types, objects, arrays, `oneOf`/`anyOf`, `allOf`) as a node of the IR.

use rustc_hash::FxHashSet;
use std::borrow::Borrow;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

use super::{dedup, looks_like_date, looks_like_date_time, Properties, SpecLowerer, MAX_DEPTH};
use crate::error::Result;
use crate::ir::*;
use crate::pointer::JsonPointer;

impl<'a> SpecLowerer<'a> {
    /// A schema or a `$ref` to one (openapiv3 boxes some of them, hence `Borrow`).
    pub(super) fn schema_ref<S: Borrow<Schema>>(
        &mut self,
        s: &'a ReferenceOr<S>,
        ptr: JsonPointer,
        hint: NameHint,
    ) -> Result<NodeId> {
        match s {
            ReferenceOr::Item(s) => self.schema(s.borrow(), ptr, hint),
            ReferenceOr::Reference { reference } => self.reference(reference, &ptr),
        }
    }

    pub(super) fn schema(&mut self, s: &'a Schema, ptr: JsonPointer, hint: NameHint) -> Result<NodeId> {
        if self.depth >= MAX_DEPTH {
            return Err(self.invalid(&ptr, format!("schemas nest more than {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        let result = self.schema_inner(s, ptr, hint);
        self.depth -= 1;
        result
    }

    pub(super) fn schema_inner(&mut self, s: &'a Schema, ptr: JsonPointer, hint: NameHint) -> Result<NodeId> {
        if !self.is_overlay {
            self.ir.schemas_seen += 1;
        }
        let data = &s.schema_data;
        let docs = Docs {
            title: self.text(&data.title),
            description: self.text(&data.description),
            deprecated: data.deprecated,
        };
        // Its kind is set once its children are lowered.
        let id = self.push(Kind::Any, docs, &ptr, hint.clone());
        if let Some(serde_json::Value::String(default)) = &data.default {
            let format = match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) => string_format(typed_format(&st.format)),
                _ => StringFormat::Plain,
            };
            let misfit = match format {
                StringFormat::DateTime => (!looks_like_date_time(default)).then_some("date-time"),
                StringFormat::Date => (!looks_like_date(default)).then_some("date"),
                _ => None,
            };
            if let Some(format) = misfit {
                self.warn(&ptr.push("default"), format!("default {default:?} is not a {format}; it is ignored"));
            }
        }
        let mut nullable = data.nullable;
        let kind = match &s.schema_kind {
            SchemaKind::Type(t) => match t {
                Type::String(st) => {
                    if st.enumeration.is_empty() {
                        let format = string_format(typed_format(&st.format));
                        // A UUID is 32 hex digits (36 with hyphens): a `uuid` no longer than 31
                        // (Intercom's 24-digit ids) is no UUID, and is read as the text it is.
                        if format == StringFormat::Uuid && st.max_length.is_some_and(|max| max < 32) {
                            self.warn(
                                &ptr.push("format"),
                                "`format: uuid` with a `maxLength` no UUID fits; it is read as a string",
                            );
                            Kind::String(StringFormat::Plain)
                        } else {
                            Kind::String(format)
                        }
                    } else if st.enumeration.iter().all(Option::is_none) {
                        Kind::Null
                    } else {
                        nullable |= st.enumeration.iter().any(Option::is_none);
                        Kind::Enum(dedup(st.enumeration.iter().flatten().cloned()))
                    }
                }
                Type::Integer(it) => Kind::Integer(integer_format(typed_format(&it.format))),
                Type::Number(nt) => Kind::Number(number_format(typed_format(&nt.format))),
                Type::Boolean(_) => Kind::Boolean,
                Type::Object(o) => {
                    self.object(id, &o.properties, &o.required, o.additional_properties.as_ref(), &ptr)?
                }
                Type::Array(a) => self.array(id, a.items.as_ref(), &ptr)?,
            },
            SchemaKind::OneOf { one_of } => self.union(id, one_of, &ptr.push("oneOf"), data.discriminator.as_ref())?,
            SchemaKind::AnyOf { any_of } => self.union(id, any_of, &ptr.push("anyOf"), data.discriminator.as_ref())?,
            SchemaKind::AllOf { all_of } => self.all_of(id, all_of, None, &[], &ptr)?,
            SchemaKind::Not { .. } => {
                self.warn(&ptr, "`not` schemas cannot be expressed as a Rust type; any JSON value is accepted");
                Kind::Any
            }
            SchemaKind::Any(a) => self.any_schema(id, a, &ptr, data.discriminator.as_ref())?,
        };
        let merged = self.merged_facts.take();
        let facts = if self.facts { value_facts(s).or(merged) } else { None };
        // `null` or `null` is `null`.
        if nullable && !matches!(kind, Kind::Null | Kind::Nullable(_)) {
            let docs = self.ir.node(id).docs.clone();
            let inner = self.push(kind, docs, &ptr, hint);
            self.set_kind(id, Kind::Nullable(inner));
            self.ir.schemas[inner.0 as usize].facts.clone_from(&facts);
        } else {
            self.set_kind(id, kind);
        }
        self.ir.schemas[id.0 as usize].facts = facts;
        Ok(id)
    }

    /// A schema that openapiv3 could not classify: mixed keywords, or no `type`.
    pub(super) fn any_schema(
        &mut self,
        id: NodeId,
        a: &'a openapiv3::AnySchema,
        ptr: &JsonPointer,
        discriminator: Option<&'a openapiv3::Discriminator>,
    ) -> Result<Kind> {
        if !a.all_of.is_empty() {
            // The schema's own `required` names properties of its parts too (Box's
            // `allOf: [Update, {properties: {folder}}], required: [folder]`).
            let extra = (!a.properties.is_empty()).then_some(&a.properties);
            return self.all_of(id, &a.all_of, extra, &a.required, ptr);
        }
        let typ = a.typ.as_deref();
        // `oneOf`/`anyOf` of bare `required` lists beside the object's own properties (Clerk's
        // "`domain` or `domains`") constrain the object, not its shape: it stays the object.
        let constraints = [&a.one_of, &a.any_of].iter().all(|parts| parts.iter().all(constrains_only));
        let object = typ == Some("object") || !a.properties.is_empty();
        if !(constraints && object) {
            let variants = !a.one_of.is_empty() || !a.any_of.is_empty();
            if variants && !a.properties.is_empty() && discriminator.is_none() {
                return self.object_with_variants(id, a, ptr);
            }
            if !a.one_of.is_empty() {
                return self.union(id, &a.one_of, &ptr.push("oneOf"), discriminator);
            }
            if !a.any_of.is_empty() {
                return self.union(id, &a.any_of, &ptr.push("anyOf"), discriminator);
            }
        }
        if typ == Some("integer") {
            // An integer schema lands here when a bound does not fit openapiv3's i64.
            for (keyword, bound) in [("minimum", a.minimum), ("maximum", a.maximum)] {
                if bound.is_some_and(|b| !(i64::MIN as f64..i64::MAX as f64).contains(&b)) {
                    self.warn(
                        &ptr.push(keyword),
                        format!(
                            "`{keyword}` is beyond any Rust integer; it is ignored (bounds do not change the type)"
                        ),
                    );
                }
            }
        }
        if typ == Some("object") || !a.properties.is_empty() || a.additional_properties.is_some() {
            return self.object(id, &a.properties, &a.required, a.additional_properties.as_ref(), ptr);
        }
        if typ == Some("array") || a.items.is_some() {
            return self.array(id, a.items.as_ref(), ptr);
        }
        if !a.enumeration.is_empty() && a.enumeration.iter().all(serde_json::Value::is_null) {
            return Ok(Kind::Null);
        }
        if !a.enumeration.is_empty() {
            let strings: Option<Vec<String>> =
                a.enumeration.iter().filter(|v| !v.is_null()).map(|v| v.as_str().map(str::to_string)).collect();
            if let Some(values) = strings {
                return Ok(Kind::Enum(dedup(values.into_iter())));
            }
        }
        Ok(match typ {
            Some("string") => Kind::String(string_format(a.format.as_deref())),
            Some("integer") => Kind::Integer(integer_format(a.format.as_deref())),
            Some("number") => Kind::Number(number_format(a.format.as_deref())),
            Some("boolean") => Kind::Boolean,
            _ => Kind::Any,
        })
    }

    pub(super) fn object(
        &mut self,
        id: NodeId,
        properties: &'a Properties,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        ptr: &JsonPointer,
    ) -> Result<Kind> {
        let mut fields = Vec::with_capacity(properties.len());
        for (name, p) in properties {
            let hint = NameHint::Property { parent: id, name: name.clone() };
            let node = self.schema_ref(p, ptr.push("properties").push(name), hint)?;
            let one_way = self.is_one_way(p);
            fields.push(Field { name: name.clone(), node, required: required.contains(name) && !one_way, one_way });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) => {
                Some(self.schema_ref(s, ptr.push("additionalProperties"), NameHint::MapValue { parent: id })?)
            }
            _ => None,
        };
        Ok(match (fields.is_empty(), additional) {
            (true, Some(value)) => Kind::Map(value),
            (true, None) => Kind::FreeFormObject,
            (false, additional) => Kind::Object(Object { fields, additional }),
        })
    }

    pub(super) fn array(
        &mut self,
        id: NodeId,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        ptr: &JsonPointer,
    ) -> Result<Kind> {
        let item = match items {
            Some(items) => self.schema_ref(items, ptr.push("items"), NameHint::Item { parent: id })?,
            None => {
                self.warn(ptr, "array without `items`: its items are any JSON value");
                self.push(Kind::Any, Docs::default(), ptr, NameHint::Item { parent: id })
            }
        };
        Ok(Kind::Array(item))
    }

    /// Merges the parts into one object: the Rust type a person would write for `allOf`.
    pub(super) fn all_of(
        &mut self,
        id: NodeId,
        parts: &'a [ReferenceOr<Schema>],
        extra: Option<&'a Properties>,
        extra_required: &'a [String],
        ptr: &JsonPointer,
    ) -> Result<Kind> {
        let mut part_kinds = Vec::new();
        let mut part_nodes = Vec::new();
        let mut required: FxHashSet<String> = extra_required.iter().cloned().collect();
        for (i, part) in parts.iter().enumerate() {
            let part_ptr = ptr.push("allOf").push(i.to_string());
            let node = self.schema_ref(part, part_ptr.clone(), NameHint::AllOfPart { merged: id })?;
            required.extend(self.required_names(part));
            let mut part = node;
            while let Kind::Nullable(inner) = self.ir.node(part).kind {
                part = inner;
            }
            if self.pending.contains(&part) {
                // `{allOf: [$ref: Self], description: ...}` inside Self: a wrapper that only
                // documents a reference to a schema still being lowered. It takes that
                // schema's kind once it is known (see `finish`), so it is the same type, and
                // the cycle is ordinary recursion. Merging a schema into itself is not.
                if parts.len() == 1 && extra.is_none() {
                    self.wrappers.push((id, part));
                    return Ok(Kind::Any);
                }
                return Err(self.invalid(&part_ptr, "`allOf` includes itself"));
            }
            part_kinds.push(self.ir.node(part).kind.clone());
            part_nodes.push(part);
        }
        if let Some(properties) = extra {
            part_kinds.push(self.object(id, properties, extra_required, None, ptr)?);
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut additional = None;
        let mut others = Vec::new();
        for kind in part_kinds {
            match kind {
                Kind::Object(o) => {
                    for f in o.fields {
                        match fields.iter_mut().find(|g| g.name == f.name) {
                            Some(existing) => *existing = f,
                            None => fields.push(f),
                        }
                    }
                    additional = additional.or(o.additional);
                }
                Kind::FreeFormObject | Kind::Any => {}
                // `allOf: [$ref: AString, {type: string, description}]` is one string.
                other if others.contains(&other) => {}
                other => others.push(other),
            }
        }
        for f in &mut fields {
            f.required |= required.contains(&f.name) && !f.one_way;
        }
        Ok(match (fields.is_empty(), others.len()) {
            (true, 1) => {
                let kind = others.pop().expect("one element");
                let part = part_nodes.iter().find(|&&p| self.ir.node(p).kind == kind);
                self.merged_facts = part.and_then(|&p| self.ir.node(p).facts.clone());
                kind
            }
            (true, 0) => additional.map_or(Kind::FreeFormObject, Kind::Map),
            (false, 0) => Kind::Object(Object { fields, additional }),
            _ => {
                self.warn(ptr, "`allOf` mixes objects with other types; any JSON value is accepted");
                Kind::Any
            }
        })
    }

    /// Whether a property is `readOnly` or `writeOnly`, on itself or on the schema it refers to.
    pub(super) fn is_one_way(&self, p: &'a ReferenceOr<Box<Schema>>) -> bool {
        let schema = match p {
            ReferenceOr::Item(s) => Some(&**s),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        };
        schema.is_some_and(|s| s.schema_data.read_only || s.schema_data.write_only)
    }

    /// The `required` list of a schema, following `$ref`s; used to merge `allOf`.
    pub(super) fn required_names(&self, s: &'a ReferenceOr<Schema>) -> Vec<String> {
        let schema = match s {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        };
        match schema.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::Object(o))) => o.required.clone(),
            Some(SchemaKind::Any(a)) => a.required.clone(),
            _ => Vec::new(),
        }
    }
}

/// Whether `part` only constrains the value it is applied to (`{required: [a]}`, `{not: ...}`):
/// no type, properties, items, variants or values of its own.
fn constrains_only(part: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = part else { return false };
    let SchemaKind::Any(a) = &schema.schema_kind else { return false };
    a.typ.is_none()
        && a.properties.is_empty()
        && a.items.is_none()
        && a.additional_properties.is_none()
        && a.all_of.is_empty()
        && a.one_of.is_empty()
        && a.any_of.is_empty()
        && a.enumeration.is_empty()
        && a.format.is_none()
}

/// The name of a format openapiv3 parsed into its own enum (`date-time`, `int32`, ...), as
/// the spec wrote it: one mapping from names to types serves typed and untyped schemas alike.
fn typed_format<T: FormatName>(format: &VariantOrUnknownOrEmpty<T>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(item.name()),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The formats openapiv3 knows, by the names the spec gives them.
trait FormatName {
    fn name(&self) -> &'static str;
}

impl FormatName for openapiv3::StringFormat {
    fn name(&self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::DateTime => "date-time",
            Self::Password => "password",
            Self::Byte => "byte",
            Self::Binary => "binary",
        }
    }
}

impl FormatName for openapiv3::IntegerFormat {
    fn name(&self) -> &'static str {
        match self {
            Self::Int32 => "int32",
            Self::Int64 => "int64",
        }
    }
}

impl FormatName for openapiv3::NumberFormat {
    fn name(&self) -> &'static str {
        match self {
            Self::Float => "float",
            Self::Double => "double",
        }
    }
}

/// The Rust type of a string of this format: the formats with a type of their own (README,
/// "Formats") are parsed, `binary` is a file; anything else (`uri`, `email`, ...) is text.
fn string_format(name: Option<&str>) -> StringFormat {
    match name {
        Some("date-time") => StringFormat::DateTime,
        Some("date") => StringFormat::Date,
        Some("binary") => StringFormat::Binary,
        Some("uuid") => StringFormat::Uuid,
        Some("ipv4") => StringFormat::Ipv4,
        Some("ipv6") => StringFormat::Ipv6,
        Some("ip") => StringFormat::Ip,
        Some("byte") => StringFormat::Byte,
        _ => StringFormat::Plain,
    }
}

/// The integer formats OpenAPI and JSON Schema tooling use; any other (none, `unix-time`, ...)
/// is `i64`, which holds every integer JSON parsers agree on.
fn integer_format(name: Option<&str>) -> IntegerFormat {
    match name {
        Some("int8") => IntegerFormat::Int8,
        Some("int16") => IntegerFormat::Int16,
        Some("int32") => IntegerFormat::Int32,
        Some("uint8") => IntegerFormat::Uint8,
        Some("uint16") => IntegerFormat::Uint16,
        Some("uint32") => IntegerFormat::Uint32,
        Some("uint64") => IntegerFormat::Uint64,
        _ => IntegerFormat::Int64,
    }
}

/// `float` is `f32`; every other number is `f64`.
fn number_format(name: Option<&str>) -> NumberFormat {
    if name == Some("float") {
        NumberFormat::Float
    } else {
        NumberFormat::Double
    }
}

/// A schema's example and constraints, when it has any.
fn value_facts(s: &Schema) -> Option<Box<ValueFacts>> {
    let data = &s.schema_data;
    let mut facts = ValueFacts { example: data.example.clone().or_else(|| data.default.clone()), ..Default::default() };
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => {
            if let openapiv3::VariantOrUnknownOrEmpty::Unknown(format) = &st.format {
                facts.format = Some(format.clone());
            }
            facts.min_length = st.min_length;
            facts.max_length = st.max_length;
            facts.pattern.clone_from(&st.pattern);
        }
        SchemaKind::Type(Type::Integer(it)) => {
            facts.minimum = it.minimum.map(|v| v as f64);
            facts.maximum = it.maximum.map(|v| v as f64);
            facts.exclusive_minimum = it.exclusive_minimum;
            facts.exclusive_maximum = it.exclusive_maximum;
            facts.multiple_of = it.multiple_of.map(|v| v as f64);
        }
        SchemaKind::Type(Type::Number(nt)) => {
            facts.minimum = nt.minimum;
            facts.maximum = nt.maximum;
            facts.exclusive_minimum = nt.exclusive_minimum;
            facts.exclusive_maximum = nt.exclusive_maximum;
            facts.multiple_of = nt.multiple_of;
        }
        SchemaKind::Type(Type::Array(a)) => facts.min_items = a.min_items,
        SchemaKind::Type(Type::Object(o)) => {
            facts.required.clone_from(&o.required);
            facts.min_properties = o.min_properties;
        }
        // An enum openapiv3 could not type (`type: string` with numbers listed): its first
        // value, as the type says.
        SchemaKind::Any(a) => {
            if facts.example.is_none() {
                facts.example = a.enumeration.iter().find(|v| !v.is_null()).map(|v| match (a.typ.as_deref(), v) {
                    (Some("string"), serde_json::Value::Number(n)) => serde_json::Value::String(n.to_string()),
                    (_, v) => v.clone(),
                });
            }
            facts.required.clone_from(&a.required);
            facts.min_properties = a.min_properties;
            // Alternatives written inline (bare `required` lists, or the properties a variant
            // adds to the object's): a value meets the first.
            match a.one_of.first().or(a.any_of.first()) {
                Some(ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(first), .. })) => {
                    facts.required.extend(first.required.iter().cloned());
                }
                Some(ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Object(first)), .. })) => {
                    facts.required.extend(first.required.iter().cloned());
                }
                _ => {}
            }
        }
        _ => {}
    }
    (facts != ValueFacts::default()).then(|| Box::new(facts))
}
