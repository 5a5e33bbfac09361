//! The public API of a generated crate as data: what `api.json` records (written into every
//! crate), so that two crates can be compared without their specs (see `changes`). A leaf:
//! `emit` builds it from the model, `changes` compares two, the CLI reads the one on disk.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The file of a generated crate that records its public API.
pub const SURFACE_FILE: &str = "api.json";

/// The public API of a generated crate, as `api.json` records it. Types are spelled as the
/// generated code spells them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Surface {
    /// The crate's package name.
    pub crate_name: String,
    /// The crate's version.
    pub version: String,
    /// Sorted by module, then operationId.
    pub operations: Vec<OperationSurface>,
    /// Sorted by name (aliases included, as `alias` types).
    pub types: Vec<TypeSurface>,
}

/// One operation as its users call it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// The API module it is in.
    pub module: String,
    /// The spec's operationId.
    pub id: String,
    /// The method of the module's `Client`.
    pub method: String,
    /// `GET /path`.
    pub http: String,
    /// Whether the method returns a call whose setters take the optional parameters. Always
    /// true in a crate written now; it is part of the file's format because `api.json` files
    /// committed by earlier versions have it false (they took optional parameters by
    /// position), and comparing with one of those must report the change as breaking.
    pub builder: bool,
    /// In the order the method takes them.
    pub params: Vec<ParamSurface>,
    /// The body's type, when it takes one.
    pub body: Option<String>,
    /// What a successful call gives.
    pub returns: String,
    /// The documented error statuses (`404`, `4XX`, `default`): one variant each.
    pub errors: Vec<String>,
    /// Whether the error enum is `#[non_exhaustive]`, so that a new status breaks no user.
    #[serde(default)]
    pub errors_non_exhaustive: bool,
    /// Whether it lists page by page (its call has `stream()`).
    pub stream: bool,
    /// Whether the stream is the call's `stream()`, which takes the parameters as the call
    /// does. Always true in a crate written now; part of the format for the same reason as
    /// `builder` (earlier crates had a `*_stream` method taking them by position).
    #[serde(default)]
    pub stream_on_call: bool,
    /// The documented success headers (`send_with_headers`).
    pub headers: Vec<String>,
    /// The item of its call's `events()` stream, when a success is a stream of events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<String>,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSurface {
    /// On the wire.
    pub name: String,
    /// As the method or builder takes it.
    pub ty: String,
    /// Whether the method takes it (else a setter of the call does).
    pub required: bool,
}

/// One type of `models.rs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeSurface {
    /// Its Rust name.
    pub name: String,
    /// `struct`, `enum`, `union` or `alias`.
    pub kind: String,
    /// `#[non_exhaustive]`: adding to it breaks no user.
    pub non_exhaustive: bool,
    /// A struct's fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSurface>,
    /// An enum's values, a union's variants (their types), an alias's target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSurface {
    /// On the wire.
    pub name: String,
    /// The Rust field's type.
    pub ty: String,
}

impl Surface {
    /// The public API of the crate already in `dir` (its `api.json`), if it was generated
    /// with one.
    pub fn read(dir: &std::path::Path) -> Result<Option<Self>> {
        let path = dir.join(SURFACE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Read { file: path, source }),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Error::Usage(format!(
                "{}: not the public API an sdkgen crate records ({e}); remove it to start afresh",
                path.display()
            ))
        })
    }
}
