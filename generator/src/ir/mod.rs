//! Our own intermediate representation: what `lower` makes of the openapiv3 documents and what
//! every later stage reads. Schemas live in one arena shared by all specs, so that `normalize`
//! can find one shape used by several APIs.

use crate::pointer::{JsonPointer, Site};

mod operation;
mod schema;

pub use operation::*;
pub use schema::*;

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
    /// The requests the API sends to its users: its webhooks, then its operations' callbacks.
    pub webhooks: Vec<Webhook>,
}

/// A request the API sends to a server of its user's: one of the spec's `webhooks`, or a
/// callback an operation registers.
#[derive(Debug)]
pub struct Webhook {
    /// Its key in `webhooks`, or in the operation's `callbacks`.
    pub name: String,
    /// For a callback: the operation that registers it (its id).
    pub operation: Option<String>,
    pub method: HttpMethod,
    pub site: Site,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The schema of its JSON body. `None`: it documents no JSON body.
    pub payload: Option<NodeId>,
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
