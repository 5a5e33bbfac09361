//! Our own intermediate representation: what `lower` makes of the openapiv3 documents and what
//! every later stage reads. Schemas live in one arena shared by all specs, so that `normalize`
//! can find one shape used by several APIs.

use crate::pointer::{JsonPointer, Site};

/// Index of a schema node in [`Ir::schemas`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

#[derive(Debug, Default)]
pub struct Ir {
    pub apis: Vec<Api>,
    pub schemas: Vec<SchemaNode>,
    /// Overlay schemas: inline shapes structurally equal to one of these take its name.
    pub overlay: Vec<(String, NodeId)>,
    pub warnings: Vec<Warning>,
    /// Schema objects met in the inputs (not counting the overlay), before any folding.
    pub schemas_seen: usize,
}

impl Ir {
    pub fn node(&self, id: NodeId) -> &SchemaNode {
        &self.schemas[id.0 as usize]
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Warning {
    pub site: Site,
    pub message: String,
}

#[derive(Debug)]
pub struct Api {
    /// The Rust module name, from the spec's file name.
    pub module: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub server: Option<Server>,
    /// The OAuth2 client-credentials flow of the spec's security schemes, if any.
    pub token: Option<TokenEndpoint>,
    /// The spec's security schemes that its operations require, in the spec's order.
    pub schemes: Vec<SecurityScheme>,
    pub operations: Vec<Operation>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone)]
pub struct Server {
    /// The URL template, e.g. `https://{tenant}.api.identitynow.com/v3`.
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

impl Server {
    /// Whether the URL has a scheme and host of its own (`https://...`), so that a client can
    /// be made for it; a relative one (`/v1`, `//host`) needs a base URL.
    pub fn is_absolute(&self) -> bool {
        self.url.contains("://")
    }
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    /// The spec's `enum`: when not empty, the only values the client takes.
    pub allowed: Vec<String>,
    pub description: Option<String>,
}

/// An OAuth2 client-credentials flow: where its tokens come from.
#[derive(Debug, Clone)]
pub struct TokenEndpoint {
    /// The `tokenUrl` as the spec gives it.
    pub url: String,
    /// The token URL's path (and query) when it is on the host of the server the client uses,
    /// or relative: the client then asks its own origin there. `None`: it is on another host,
    /// which may be a placeholder, so the client never sends a secret to it.
    pub same_origin_path: Option<String>,
    /// The scopes the flow lists, in the spec's order.
    pub scopes: Vec<String>,
}

/// A security scheme of `components.securitySchemes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`, which requirements name.
    pub name: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

/// How a scheme's credential is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `apiKey`: in the header, query parameter or cookie `name`.
    ApiKey { location: KeyLocation, name: String },
    /// `http` with `scheme: basic`.
    Basic,
    /// `http` with any other scheme: `Authorization: <word> <token>` (`Bearer` for bearer).
    Http { word: String },
    /// `oauth2` or `openIdConnect`: a bearer access token.
    OAuth2 { client_credentials: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    pub site: Site,
    pub reason: String,
}

#[derive(Debug)]
pub struct Operation {
    pub id: String,
    pub method: HttpMethod,
    /// The path template as the spec gives it, e.g. `/sources/{sourceId}`.
    pub path: String,
    pub site: Site,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Its security requirements: alternatives, each the names of the schemes that go
    /// together; an empty alternative means no credentials are needed. No alternatives at all
    /// (`security: []`, or none given anywhere): the operation sends no credentials.
    pub security: Vec<Vec<String>>,
    /// Dropshot's `x-dropshot-pagination`: the server pages with `page_token`, and a token
    /// stands for the query that made it (later pages send only the token and `limit`).
    pub dropshot_pagination: bool,
}

impl Operation {
    /// The parameters in the order a method takes them: path parameters in template order,
    /// then the other required ones, then the optional ones; and where the optional ones start.
    pub fn ordered_parameters(&self) -> (Vec<&Parameter>, usize) {
        let mut ordered: Vec<&Parameter> = Vec::new();
        for name in path_template_names(&self.path) {
            ordered.extend(self.parameters.iter().find(|p| p.location == ParamLocation::Path && p.name == name));
        }
        ordered.extend(self.parameters.iter().filter(|p| p.location != ParamLocation::Path && p.required));
        let optional_start = ordered.len();
        ordered.extend(self.parameters.iter().filter(|p| p.location != ParamLocation::Path && !p.required));
        (ordered, optional_start)
    }

    /// The documented 2xx responses.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.is_success())
    }

    /// The documented responses that are not 2xx.
    pub fn errors(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.is_success())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "get" => Self::Get,
            "put" => Self::Put,
            "post" => Self::Post,
            "delete" => Self::Delete,
            "options" => Self::Options,
            "head" => Self::Head,
            "patch" => Self::Patch,
            "trace" => Self::Trace,
            _ => return None,
        })
    }

    pub fn as_upper(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// A header of a `multipart/form-data` part (`encoding.{part}.headers`); the part is the
    /// parameter's `part`.
    PartHeader,
}

#[derive(Debug)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub description: Option<String>,
    pub schema: NodeId,
    pub serialization: Serialization,
    /// For a `PartHeader`, the multipart part (the body's property) it is a header of.
    pub part: Option<String>,
}

/// How a parameter's value is written on the wire: its `style` and `explode`, `allowReserved`,
/// or JSON when it is given by `content`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Serialization {
    pub style: ParamStyle,
    pub explode: bool,
    pub allow_reserved: bool,
    /// Given by `content: application/json`: the value's JSON text is the value.
    pub json: bool,
}

impl Serialization {
    /// OpenAPI's default for a parameter in `location`: `simple` in paths and headers, `form`
    /// in queries and cookies, exploded only for `form`.
    pub fn default_for(location: ParamLocation) -> Self {
        let style = match location {
            ParamLocation::Path | ParamLocation::Header | ParamLocation::PartHeader => ParamStyle::Simple,
            ParamLocation::Query | ParamLocation::Cookie => ParamStyle::Form,
        };
        Self { style, explode: style == ParamStyle::Form, allow_reserved: false, json: false }
    }
}

/// A parameter's (or a form property's) `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// A property of a form or multipart body with an `encoding` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyEncoding {
    pub name: String,
    /// Form bodies: how the property is written.
    pub serialization: Option<Serialization>,
    /// Multipart bodies: the part's content type, when the spec gives one.
    pub content_type: Option<String>,
}

#[derive(Debug)]
pub struct RequestBody {
    /// The content type sent, one of those the spec lists.
    pub content_type: String,
    pub encoding: BodyEncoding,
    pub required: bool,
    pub description: Option<String>,
    pub schema: NodeId,
    /// The spec's examples of a JSON body (collected only when asked for).
    pub examples: Vec<Example>,
    /// The media type's `encoding`, for form and multipart bodies.
    pub encoding_of: Vec<PropertyEncoding>,
}

/// An example the spec gives for a body: test data for the generated types.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where the example's value stands.
    pub site: Site,
    /// The key in `examples`, or `example`.
    pub name: String,
    /// The value, as compact JSON.
    pub json: String,
}

/// How a request body goes on the wire, in the order they are preferred when an operation
/// offers several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyEncoding {
    Json,
    Multipart,
    FormUrlEncoded,
    Text,
    Binary,
}

impl BodyEncoding {
    pub fn of(content_type: &str) -> Self {
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/json" | "*/*" => Self::Json,
            e if e.ends_with("+json") => Self::Json,
            "multipart/form-data" => Self::Multipart,
            "application/x-www-form-urlencoded" => Self::FormUrlEncoded,
            e if e.starts_with("text/") => Self::Text,
            _ => Self::Binary,
        }
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: Status,
    pub description: String,
    pub body: ResponseBody,
    /// The spec's examples of a JSON body (collected only when asked for).
    pub examples: Vec<Example>,
    /// The documented headers (`Content-Type` aside, which OpenAPI says is ignored here).
    pub headers: Vec<ResponseHeader>,
}

/// A documented response header.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// As the spec spells it; HTTP matches it in any case.
    pub name: String,
    pub kind: HeaderKind,
    pub description: Option<String>,
}

/// What a header's value is read as: the scalar its schema says, else text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    Integer,
    Number,
    Boolean,
    Text,
}

impl Response {
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }
}

/// The statuses a documented response is for. Matched by precedence: an exact status, then
/// its range, then `default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Code(u16),
    /// `4XX`: every status of this hundred (the digit: 4).
    Range(u16),
    /// Every status the operation documents no other way: by convention its errors (a
    /// `default` does not stand for undocumented successes).
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        matches!(self, Status::Code(200..=299) | Status::Range(2))
    }

    /// The name of an error variant or type for these statuses: `BadRequest` (400),
    /// `ClientError` (`4XX`), `Default`.
    pub fn variant_name(self) -> String {
        match self {
            Status::Code(code) => crate::naming::status_variant(code),
            Status::Range(1) => "Informational".into(),
            Status::Range(2) => "Success".into(),
            Status::Range(3) => "Redirection".into(),
            Status::Range(4) => "ClientError".into(),
            Status::Range(5) => "ServerError".into(),
            Status::Range(n) => format!("Status{n}XX"),
            Status::Default => "Default".into(),
        }
    }

    /// Which comes first where statuses are matched: exact ones, ranges, `default`.
    pub fn precedence(self) -> u8 {
        match self {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(n) => write!(f, "{n}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResponseBody {
    /// No content documented.
    None,
    /// JSON, of this schema.
    Json(NodeId),
    /// Text (`text/plain`, `text/csv`, ...), whatever the schema.
    Text,
    /// Bytes (`application/octet-stream`, `application/zip`, ...).
    Binary,
}

/// Documentation carried by a schema: never part of its identity.
#[derive(Clone, Debug, Default)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
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
}

pub fn site(file: &str, pointer: &JsonPointer) -> Site {
    Site { file: file.to_string(), pointer: pointer.clone() }
}

/// The `{name}`s of a path template, in order: the path parameters an operation must fill.
pub fn path_template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        names.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_template_names() {
        assert_eq!(path_template_names("/a/{x}/b/{yZ}"), vec!["x", "yZ"]);
    }
}
