//! Schemas: openapiv3 reads a schema's shared fields and the fields that say its kind from
//! one object (both flattened), and then picks the kind from which fields are present. The
//! same choice is made here from the fields as they are read.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, IntegerType, NumberType, ObjectType, ReferenceOr, Schema,
    SchemaData, SchemaKind, StringType, Type,
};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Number, Value};

use super::seeds::{extension, once, Build, ListOf, MapOf, Opt, RefOr};

#[derive(Default)]
pub(super) struct SchemaB {
    data: SchemaData,
    raw: Raw,
    seen: u64,
}

impl Build for SchemaB {
    type Out = Schema;
    const WHAT: &'static str = "a schema";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let Some(bit) = FIELDS.iter().position(|f| *f == key) else {
            return extension(&mut self.data.extensions, key, map);
        };
        once(&mut self.seen, bit as u32)?;
        let (d, r) = (&mut self.data, &mut self.raw);
        match bit {
            0 => d.nullable = map.next_value()?,
            1 => d.read_only = map.next_value()?,
            2 => d.write_only = map.next_value()?,
            3 => d.deprecated = map.next_value()?,
            4 => d.external_docs = map.next_value()?,
            5 => d.example = map.next_value()?,
            6 => d.title = map.next_value()?,
            7 => d.description = map.next_value()?,
            8 => d.discriminator = map.next_value()?,
            9 => d.default = map.next_value()?,
            10 => r.typ = map.next_value()?,
            11 => r.pattern = map.next_value()?,
            12 => r.multiple_of = map.next_value()?,
            13 => r.exclusive_minimum = map.next_value()?,
            14 => r.exclusive_maximum = map.next_value()?,
            15 => r.minimum = map.next_value()?,
            16 => r.maximum = map.next_value()?,
            17 => r.properties = map.next_value_seed(Opt(MapOf(RefOr::<Boxed>::default())))?,
            18 => r.required = map.next_value()?,
            19 => r.additional_properties = map.next_value_seed(Opt(Additional))?,
            20 => r.min_properties = map.next_value()?,
            21 => r.max_properties = map.next_value()?,
            22 => r.items = map.next_value_seed(Opt(RefOr::<Boxed>::default()))?,
            23 => r.min_items = map.next_value()?,
            24 => r.max_items = map.next_value()?,
            25 => r.unique_items = map.next_value()?,
            26 => r.enumeration = map.next_value()?,
            27 => r.format = map.next_value()?,
            28 => r.min_length = map.next_value()?,
            29 => r.max_length = map.next_value()?,
            30 => r.one_of = map.next_value_seed(Opt(ListOf(RefOr::<SchemaB>::default())))?,
            31 => r.all_of = map.next_value_seed(Opt(ListOf(RefOr::<SchemaB>::default())))?,
            32 => r.any_of = map.next_value_seed(Opt(ListOf(RefOr::<SchemaB>::default())))?,
            _ => r.not = map.next_value_seed(Opt(RefOr::<SchemaB>::default()))?.map(Box::new),
        }
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<Schema, E> {
        Ok(Schema { schema_data: self.data, schema_kind: self.raw.kind() })
    }
}

/// A schema's keys: `SchemaData`'s, then those that say its kind (`RawAnySchema`'s), in the
/// order of `SchemaB::field`'s arms.
const FIELDS: [&str; 34] = [
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "example",
    "title",
    "description",
    "discriminator",
    "default",
    "type",
    "pattern",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "format",
    "minLength",
    "maxLength",
    "oneOf",
    "allOf",
    "anyOf",
    "not",
];

/// A schema where openapiv3 boxes one.
#[derive(Default)]
pub(super) struct Boxed(SchemaB);

impl Build for Boxed {
    type Out = Box<Schema>;
    const WHAT: &'static str = "a schema";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        self.0.field(key, map)
    }
    fn finish<E: de::Error>(self) -> Result<Box<Schema>, E> {
        self.0.finish().map(Box::new)
    }
}

/// `additionalProperties`: `true`/`false`, or a schema.
#[derive(Clone, Copy)]
struct Additional;

impl<'de> de::DeserializeSeed<'de> for Additional {
    type Value = AdditionalProperties;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Additional {
    type Value = AdditionalProperties;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a boolean or a schema")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(AdditionalProperties::Any(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        RefOr::<SchemaB>::default().visit_map(map).map(|s| AdditionalProperties::Schema(Box::new(s)))
    }
}

/// The fields that say which kind a schema is (openapiv3's `RawAnySchema`), as read; `null`
/// reads as absent.
#[derive(Default)]
struct Raw {
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    properties: Option<IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

/// Kind fields besides `type`, one bit each.
const PATTERN: u32 = 1;
const MULTIPLE_OF: u32 = 1 << 1;
const EXCLUSIVE_MINIMUM: u32 = 1 << 2;
const EXCLUSIVE_MAXIMUM: u32 = 1 << 3;
const MINIMUM: u32 = 1 << 4;
const MAXIMUM: u32 = 1 << 5;
const PROPERTIES: u32 = 1 << 6;
const REQUIRED: u32 = 1 << 7;
const ADDITIONAL_PROPERTIES: u32 = 1 << 8;
const MIN_PROPERTIES: u32 = 1 << 9;
const MAX_PROPERTIES: u32 = 1 << 10;
const ITEMS: u32 = 1 << 11;
const MIN_ITEMS: u32 = 1 << 12;
const MAX_ITEMS: u32 = 1 << 13;
const UNIQUE_ITEMS: u32 = 1 << 14;
const ENUM: u32 = 1 << 15;
const FORMAT: u32 = 1 << 16;
const MIN_LENGTH: u32 = 1 << 17;
const MAX_LENGTH: u32 = 1 << 18;
const ONE_OF: u32 = 1 << 19;
const ALL_OF: u32 = 1 << 20;
const ANY_OF: u32 = 1 << 21;
const NOT: u32 = 1 << 22;

/// The fields each typed kind may have besides `type`: any other makes the schema `Any`.
const STRING_FIELDS: u32 = PATTERN | ENUM | FORMAT | MIN_LENGTH | MAX_LENGTH;
const NUMBER_FIELDS: u32 = MULTIPLE_OF | EXCLUSIVE_MINIMUM | EXCLUSIVE_MAXIMUM | MINIMUM | MAXIMUM | ENUM | FORMAT;
const BOOLEAN_FIELDS: u32 = ENUM;
const OBJECT_FIELDS: u32 = PROPERTIES | REQUIRED | ADDITIONAL_PROPERTIES | MIN_PROPERTIES | MAX_PROPERTIES;
const ARRAY_FIELDS: u32 = ITEMS | MIN_ITEMS | MAX_ITEMS | UNIQUE_ITEMS;

enum Kind {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    Any,
}

impl Raw {
    /// The kind fields present, as bits.
    fn present(&self) -> u32 {
        [
            (self.pattern.is_some(), PATTERN),
            (self.multiple_of.is_some(), MULTIPLE_OF),
            (self.exclusive_minimum.is_some(), EXCLUSIVE_MINIMUM),
            (self.exclusive_maximum.is_some(), EXCLUSIVE_MAXIMUM),
            (self.minimum.is_some(), MINIMUM),
            (self.maximum.is_some(), MAXIMUM),
            (self.properties.is_some(), PROPERTIES),
            (self.required.is_some(), REQUIRED),
            (self.additional_properties.is_some(), ADDITIONAL_PROPERTIES),
            (self.min_properties.is_some(), MIN_PROPERTIES),
            (self.max_properties.is_some(), MAX_PROPERTIES),
            (self.items.is_some(), ITEMS),
            (self.min_items.is_some(), MIN_ITEMS),
            (self.max_items.is_some(), MAX_ITEMS),
            (self.unique_items.is_some(), UNIQUE_ITEMS),
            (self.enumeration.is_some(), ENUM),
            (self.format.is_some(), FORMAT),
            (self.min_length.is_some(), MIN_LENGTH),
            (self.max_length.is_some(), MAX_LENGTH),
            (self.one_of.is_some(), ONE_OF),
            (self.all_of.is_some(), ALL_OF),
            (self.any_of.is_some(), ANY_OF),
            (self.not.is_some(), NOT),
        ]
        .into_iter()
        .filter(|(present, _)| *present)
        .fold(0, |bits, (_, bit)| bits | bit)
    }

    /// The kind: a combinator when it is all there is; a typed kind when `type` names it,
    /// only its fields are present and its enum values fit; `Any` otherwise.
    fn kind(mut self) -> SchemaKind {
        let present = self.present();
        if self.typ.is_none() {
            let combinator = match present {
                ONE_OF => self.one_of.take().map(|one_of| SchemaKind::OneOf { one_of }),
                ALL_OF => self.all_of.take().map(|all_of| SchemaKind::AllOf { all_of }),
                ANY_OF => self.any_of.take().map(|any_of| SchemaKind::AnyOf { any_of }),
                NOT => self.not.take().map(|not| SchemaKind::Not { not }),
                _ => None,
            };
            if let Some(kind) = combinator {
                return kind;
            }
        }
        let only = |allowed: u32| present & !allowed == 0;
        let enum_fits = |fits: fn(&Value) -> bool| {
            self.enumeration.as_ref().is_none_or(|values| values.iter().all(|v| v.is_null() || fits(v)))
        };
        let int = |n: &Option<Number>| n.as_ref().is_none_or(Number::is_i64);
        let kind = match self.typ.as_deref() {
            Some("string") if only(STRING_FIELDS) && enum_fits(Value::is_string) => Kind::String,
            Some("number") if only(NUMBER_FIELDS) && enum_fits(Value::is_number) => Kind::Number,
            Some("integer")
                if only(NUMBER_FIELDS)
                    && enum_fits(Value::is_i64)
                    && int(&self.multiple_of)
                    && int(&self.minimum)
                    && int(&self.maximum) =>
            {
                Kind::Integer
            }
            Some("boolean") if only(BOOLEAN_FIELDS) && enum_fits(Value::is_boolean) => Kind::Boolean,
            Some("object") if only(OBJECT_FIELDS) => Kind::Object,
            Some("array") if only(ARRAY_FIELDS) => Kind::Array,
            _ => Kind::Any,
        };
        self.into_kind(kind)
    }

    fn into_kind(self, kind: Kind) -> SchemaKind {
        let f64_of = |n: Option<Number>| n.and_then(|n| n.as_f64());
        let i64_of = |n: Option<Number>| n.and_then(|n| n.as_i64());
        let values = |e: Option<Vec<Value>>| e.unwrap_or_default().into_iter();
        let typed = |t| SchemaKind::Type(t);
        match kind {
            Kind::String => typed(Type::String(StringType {
                format: self.format.into(),
                pattern: self.pattern,
                enumeration: values(self.enumeration)
                    .map(|v| match v {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
                min_length: self.min_length,
                max_length: self.max_length,
            })),
            Kind::Number => typed(Type::Number(NumberType {
                format: self.format.into(),
                multiple_of: f64_of(self.multiple_of),
                exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                minimum: f64_of(self.minimum),
                maximum: f64_of(self.maximum),
                enumeration: values(self.enumeration).map(|v| v.as_f64()).collect(),
            })),
            Kind::Integer => typed(Type::Integer(IntegerType {
                format: self.format.into(),
                multiple_of: i64_of(self.multiple_of),
                exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                minimum: i64_of(self.minimum),
                maximum: i64_of(self.maximum),
                enumeration: values(self.enumeration).map(|v| v.as_i64()).collect(),
            })),
            Kind::Boolean => typed(Type::Boolean(BooleanType {
                enumeration: values(self.enumeration).map(|v| v.as_bool()).collect(),
            })),
            Kind::Object => typed(Type::Object(ObjectType {
                properties: self.properties.unwrap_or_default(),
                required: self.required.unwrap_or_default(),
                additional_properties: self.additional_properties,
                min_properties: self.min_properties,
                max_properties: self.max_properties,
            })),
            Kind::Array => typed(Type::Array(ArrayType {
                items: self.items,
                min_items: self.min_items,
                max_items: self.max_items,
                unique_items: self.unique_items.unwrap_or_default(),
            })),
            Kind::Any => SchemaKind::Any(AnySchema {
                typ: self.typ,
                pattern: self.pattern,
                multiple_of: f64_of(self.multiple_of),
                exclusive_minimum: self.exclusive_minimum,
                exclusive_maximum: self.exclusive_maximum,
                minimum: f64_of(self.minimum),
                maximum: f64_of(self.maximum),
                properties: self.properties.unwrap_or_default(),
                required: self.required.unwrap_or_default(),
                additional_properties: self.additional_properties,
                min_properties: self.min_properties,
                max_properties: self.max_properties,
                items: self.items,
                min_items: self.min_items,
                max_items: self.max_items,
                unique_items: self.unique_items,
                enumeration: self.enumeration.unwrap_or_default(),
                format: self.format,
                min_length: self.min_length,
                max_length: self.max_length,
                one_of: self.one_of.unwrap_or_default(),
                all_of: self.all_of.unwrap_or_default(),
                any_of: self.any_of.unwrap_or_default(),
                not: self.not,
            }),
        }
    }
}
