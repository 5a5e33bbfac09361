//! The IR of an operation: its parameters and how each is written, its body, its responses.

use super::*;

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
    /// Its tags as the spec writes them, in its order: what groups operations into features.
    pub tags: Vec<String>,
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
    /// A success the spec also offers as a stream of events (`text/event-stream`, JSON lines):
    /// read event by event by a method of its own.
    pub stream: Option<EventStream>,
}

/// A response body that is a sequence of events, read as they come.
#[derive(Debug, Clone, PartialEq)]
pub struct EventStream {
    /// The media type, sent as `Accept`.
    pub content_type: String,
    pub framing: Framing,
    /// The schema of each event's data (OpenAPI 3.2's `itemSchema`, else the media type's
    /// `schema`). `None`: server-sent events whose data the spec does not describe, read as text.
    pub item: Option<NodeId>,
    /// The data that ends the stream, when the spec documents one (`data: [DONE]`).
    pub sentinel: Option<String>,
}

/// How a stream's body is cut into events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `text/event-stream`: the WHATWG event stream format.
    Sse,
    /// `application/jsonl`, `application/x-ndjson` and the like: one JSON value per line.
    JsonLines,
    /// `application/json-seq` (RFC 7464).
    JsonSeq,
}

impl Framing {
    /// The framing of a media type that is a stream of events, or `None`.
    pub fn of(content_type: &str) -> Option<Self> {
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(Self::Sse),
            "application/jsonl"
            | "application/x-ndjson"
            | "application/ndjson"
            | "application/x-jsonlines"
            | "application/jsonlines"
            | "application/json-lines"
            | "application/stream+json" => Some(Self::JsonLines),
            "application/json-seq" => Some(Self::JsonSeq),
            _ => None,
        }
    }
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
