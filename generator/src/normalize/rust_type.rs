//! What each schema node is in Rust. Emit asks this (is it `Copy`, does it name a model type,
//! does it hold a file) and prints it; no decision is ever made from printed tokens.

use super::{Model, Resolved, TypeId};
use crate::ir::{IntegerFormat, Kind, NodeId, NumberFormat, StringFormat};

/// A Rust type as the generated code spells it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RustType {
    /// A type of `models.rs`.
    Model(TypeId),
    String,
    /// `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// The runtime's file upload (`format: binary`).
    FilePart,
    /// `uuid::Uuid`.
    Uuid,
    /// `std::net::Ipv4Addr`, `Ipv6Addr` and `IpAddr`.
    Ipv4,
    Ipv6,
    IpAddr,
    /// The runtime's `Base64`: bytes sent as base64 text (`format: byte`).
    Base64,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    Bool,
    /// `()`: a value that is always `null`.
    Unit,
    /// `serde_json::Map<String, serde_json::Value>`: any JSON object.
    JsonObject,
    /// `serde_json::Value`: any JSON value.
    Json,
    /// `HashMap<String, T>`.
    Map(Box<RustType>),
    Vec(Box<RustType>),
    Option(Box<RustType>),
}

impl RustType {
    /// Whether it is one of Rust's integers.
    pub fn is_integer(&self) -> bool {
        matches!(self, Self::I8 | Self::I16 | Self::I32 | Self::I64 | Self::U8 | Self::U16 | Self::U32 | Self::U64)
    }

    /// Whether it names a type of `models.rs`, here or inside.
    pub fn mentions_model(&self) -> bool {
        match self {
            Self::Model(_) => true,
            Self::Map(t) | Self::Vec(t) | Self::Option(t) => t.mentions_model(),
            _ => false,
        }
    }

    /// Whether it holds a file part, which is not JSON.
    pub fn holds_file(&self) -> bool {
        match self {
            Self::FilePart => true,
            Self::Map(t) | Self::Vec(t) | Self::Option(t) => t.holds_file(),
            _ => false,
        }
    }
}

impl Model {
    /// The Rust type of the value at `node`. Objects, enums and unions that an operation
    /// reaches are model types; the rest (and `Any`) are plain JSON.
    pub fn rust_type(&self, node: NodeId) -> RustType {
        let kind = match self.resolve(node) {
            Resolved::Model(_) => return RustType::Model(self.type_of(node).expect("a model type")),
            Resolved::Kind(kind) => kind,
        };
        match kind {
            Kind::String(StringFormat::DateTime) => RustType::DateTime,
            Kind::String(StringFormat::Date) => RustType::Date,
            Kind::String(StringFormat::Binary) => RustType::FilePart,
            Kind::String(StringFormat::Plain) => RustType::String,
            Kind::String(StringFormat::Uuid) => RustType::Uuid,
            Kind::String(StringFormat::Ipv4) => RustType::Ipv4,
            Kind::String(StringFormat::Ipv6) => RustType::Ipv6,
            Kind::String(StringFormat::Ip) => RustType::IpAddr,
            Kind::String(StringFormat::Byte) => RustType::Base64,
            Kind::Integer(IntegerFormat::Int8) => RustType::I8,
            Kind::Integer(IntegerFormat::Int16) => RustType::I16,
            Kind::Integer(IntegerFormat::Int32) => RustType::I32,
            Kind::Integer(IntegerFormat::Int64) => RustType::I64,
            Kind::Integer(IntegerFormat::Uint8) => RustType::U8,
            Kind::Integer(IntegerFormat::Uint16) => RustType::U16,
            Kind::Integer(IntegerFormat::Uint32) => RustType::U32,
            Kind::Integer(IntegerFormat::Uint64) => RustType::U64,
            Kind::Number(NumberFormat::Float) => RustType::F32,
            Kind::Number(NumberFormat::Double) => RustType::F64,
            Kind::Boolean => RustType::Bool,
            Kind::Null => RustType::Unit,
            Kind::FreeFormObject => RustType::JsonObject,
            Kind::Map(value) => RustType::Map(Box::new(self.rust_type(*value))),
            Kind::Array(item) => RustType::Vec(Box::new(self.rust_type(*item))),
            Kind::Nullable(inner) => RustType::Option(Box::new(self.rust_type(*inner))),
            Kind::Any | Kind::Object(_) | Kind::Enum(_) | Kind::Union(..) => RustType::Json,
        }
    }

    /// Whether the crate needs the `uuid` crate: its specs have a `uuid` schema (an unused one
    /// costs a dependency, never a warning).
    pub fn uses_uuid(&self) -> bool {
        self.ir.schemas.iter().any(|s| s.kind == Kind::String(StringFormat::Uuid))
    }

    /// Whether `node` is a string enum of `models.rs` (taken by value, sent by `as_str`).
    pub fn is_enum(&self, node: NodeId) -> bool {
        matches!(self.resolve(node), Resolved::Model(t) if matches!(t.shape, super::Shape::Enum { .. }))
    }
}
