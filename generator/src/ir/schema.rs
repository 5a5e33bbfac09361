//! The IR of a schema: one node of the arena, what it is in the terms that decide its Rust
//! type, and where it stands (for its name).

use super::*;

/// Documentation carried by a schema: never part of its identity. Shared: the copies of a
/// schema in an inlined spec carry the same texts.
#[derive(Clone, Debug, Default)]
pub struct Docs {
    pub title: Option<std::sync::Arc<str>>,
    pub description: Option<std::sync::Arc<str>>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct SchemaNode {
    pub kind: Kind,
    pub docs: Docs,
    pub site: Site,
    pub hint: NameHint,
    /// What a value of this schema must be beyond its kind, read only for the mock tests
    /// (`--mock-tests`), which make values that a validating server accepts.
    pub facts: Option<Box<ValueFacts>>,
}

/// The schema's example and constraints: enough to make a value that fits it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueFacts {
    /// `example`, else `default`.
    pub example: Option<serde_json::Value>,
    /// A string format the Rust type does not carry (`email`, `uri`, `hostname`...).
    pub format: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_items: Option<usize>,
    /// `minProperties`: an object with fewer is refused (Figma's variables body wants one).
    pub min_properties: Option<usize>,
    /// The object's `required` list as written: it names `readOnly` and `writeOnly`
    /// properties too, which the type leaves optional but a request must carry.
    pub required: Vec<String>,
}

/// What a schema is, in the terms that decide its Rust type. Children are other nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    String(StringFormat),
    Integer(IntegerFormat),
    Number(NumberFormat),
    Boolean,
    /// Any JSON value.
    Any,
    /// An object with no declared properties: any JSON object.
    FreeFormObject,
    /// An object whose every property has the same schema.
    Map(NodeId),
    Array(NodeId),
    Object(Object),
    /// A string enum.
    Enum(Vec<String>),
    /// Only JSON `null` (`enum: [null]`, 3.1's `type: "null"`): what schemars writes for `()`,
    /// an empty response or a field that is always null. It is Rust's `()`.
    Null,
    /// `oneOf` / `anyOf`: a value of one of the variants.
    Union(Vec<NodeId>, Option<Tag>),
    /// The same as the inner node, or JSON `null`.
    Nullable(NodeId),
}

impl Kind {
    /// The nodes this one is built from: items, map values, `Option`'s inner node, fields
    /// and additional properties, union variants.
    pub fn children(&self) -> Vec<NodeId> {
        match self {
            Kind::Map(n) | Kind::Array(n) | Kind::Nullable(n) => vec![*n],
            Kind::Object(o) => o.fields.iter().map(|f| f.node).chain(o.additional).collect(),
            Kind::Union(v, _) => v.clone(),
            _ => Vec::new(),
        }
    }
}

/// A union's discriminator: the property whose value says which variant a value is.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub property: String,
    /// Each tag value and the variant it selects.
    pub values: Vec<(String, NodeId)>,
    /// Whether the union reads and writes the tag itself, its variants holding only the rest
    /// (inline variants, the way a person writes a Rust enum); a variant with nothing else is
    /// a free-form object in the IR and a unit variant in Rust. Otherwise each variant's type
    /// holds the tag property (variants that are types of their own).
    pub written_by_union: bool,
    /// Adjacently tagged (`{"type": "sha256", "value": "..."}`): the property beside the tag
    /// that holds each variant's value; the variants are then the values' nodes.
    pub content: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub fields: Vec<Field>,
    /// The schema of properties not listed in `fields`, if any are allowed with a schema.
    pub additional: Option<NodeId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub node: NodeId,
    pub required: bool,
    /// `readOnly` or `writeOnly`: sent in only one direction, so never required, as OpenAPI 3.0
    /// says (`required` then applies to one direction only, and one type serves both).
    pub one_way: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StringFormat {
    Plain,
    DateTime,
    Date,
    Binary,
    /// `uuid`.
    Uuid,
    /// `ipv4`, `ipv6`, `ip`.
    Ipv4,
    Ipv6,
    Ip,
    /// `byte`: base64 text of bytes.
    Byte,
}

/// An integer's width and sign, from its `format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntegerFormat {
    Int8,
    Int16,
    Int32,
    Int64,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberFormat {
    Float,
    Double,
}

/// Where a schema stands, from which a name is derived when nothing better names it.
#[derive(Debug, Clone, PartialEq)]
pub enum NameHint {
    None,
    /// `#/components/schemas/{0}`.
    Component(String),
    /// An entry of the names overlay.
    Overlay(String),
    Property {
        parent: NodeId,
        name: String,
    },
    Item {
        parent: NodeId,
    },
    MapValue {
        parent: NodeId,
    },
    Variant {
        parent: NodeId,
        index: usize,
    },
    /// One part of an `allOf`, merged into `merged`.
    AllOfPart {
        merged: NodeId,
    },
    /// The schema of a reusable `components.responses`, `requestBodies` or `parameters` entry,
    /// named from its key.
    Reused {
        name: String,
        detail: String,
    },
    RequestBody {
        operation: String,
        /// The operation's method and path, which name the resource (`naming::resource_noun`).
        method: HttpMethod,
        path: String,
    },
    Response {
        operation: String,
        status: Status,
        method: HttpMethod,
        path: String,
    },
    Parameter {
        operation: String,
        name: String,
    },
    /// The events of an operation's streamed response.
    Event {
        operation: String,
    },
    /// The body of a webhook or callback (its name).
    Webhook {
        name: String,
    },
}
