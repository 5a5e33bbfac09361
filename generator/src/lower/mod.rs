//! Stage 2, lower: turn openapiv3 documents into our IR. `$ref`s are resolved (inside the
//! document only), `allOf` is merged into one object, and every schema becomes a node that
//! remembers where it stands (its site and a name hint). Nothing is folded yet.
//!
//! One `SpecLowerer` per document, its work split by concern: the API and its servers here,
//! `operations` (parameters, bodies, responses, security), `schemas` (each schema form) and
//! `refs` (following `$ref`s).

mod operations;
mod refs;
mod schemas;
mod split;
mod streams;
mod unions;
mod webhooks;

use operations::{OperationSource, Stop};
use split::Split;

/// Spec text as the IR keeps it: rewritten where rustdoc would misread it (see `markdown`).
fn spec_text(text: &Option<String>) -> Option<String> {
    text.as_deref().map(rustdoc_safe)
}

use rustc_hash::{FxHashMap, FxHashSet};

use heck::ToSnakeCase;
use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr, Schema};

use crate::error::{Error, Result};
use crate::ir::*;
use crate::load::Origins;
use crate::load::{LoadedSpec, NamesOverlay};
use crate::markdown::rustdoc_safe;
use crate::pointer::{JsonPointer, Site};

type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

static NO_ORIGINS: Origins = Origins::new();

/// Deeper inline nesting than this is refused rather than risk the stack.
const MAX_DEPTH: usize = 200;

/// Lowers every spec (and the names overlay). With `examples`, the examples of JSON bodies are
/// kept too, for the generated example tests; without, they cost nothing.
pub fn lower(specs: &[LoadedSpec], names: Option<&(String, NamesOverlay)>, examples: bool, facts: bool) -> Result<Ir> {
    lower_split(specs, names, examples, facts, Split::Auto)
}

/// [`lower`], with the operations shared among threads as `split` says.
fn lower_split(
    specs: &[LoadedSpec],
    names: Option<&(String, NamesOverlay)>,
    examples: bool,
    facts: bool,
    split: Split,
) -> Result<Ir> {
    let mut ir = Ir::default();
    let mut modules = FxHashSet::default();
    for spec in specs {
        let module = module_name(&spec.file_name);
        if !modules.insert(module.clone()) {
            return Err(Error::Usage(format!(
                "two specs would both become the module `{module}`: rename one of the files"
            )));
        }
        let mut l = SpecLowerer::new(&mut ir, spec.file_name.as_str(), &spec.path, spec.doc.components.as_ref(), false);
        l.origins = &spec.origins;
        l.examples = examples;
        l.facts = facts;
        l.split = split;
        let api = l.api(spec, module)?;
        ir.apis.push(api);
    }
    if let Some((file, overlay)) = names {
        let path = std::path::PathBuf::from(file);
        let mut l = SpecLowerer::new(&mut ir, file, &path, Some(&overlay.components), true);
        let mut named = Vec::new();
        for name in overlay.components.schemas.keys() {
            named.push((name.clone(), l.component(name, &JsonPointer::root())?));
        }
        l.finish();
        ir.overlay = named;
    }
    Ok(ir)
}

/// The security schemes of `components.securitySchemes`, in the spec's order: how each sends
/// its credential. (One given by `$ref` was resolved by the load stage, or is not a scheme.)
fn security_schemes(doc: &openapiv3::OpenAPI) -> Vec<SecurityScheme> {
    use openapiv3::{APIKeyLocation, SecurityScheme as S};
    let Some(components) = &doc.components else { return Vec::new() };
    components
        .security_schemes
        .iter()
        .filter_map(|(name, scheme)| {
            let ReferenceOr::Item(scheme) = scheme else { return None };
            let (kind, description) = match scheme {
                S::APIKey { location, name, description, .. } => {
                    let location = match location {
                        APIKeyLocation::Header => KeyLocation::Header,
                        APIKeyLocation::Query => KeyLocation::Query,
                        APIKeyLocation::Cookie => KeyLocation::Cookie,
                    };
                    (SchemeKind::ApiKey { location, name: name.clone() }, description)
                }
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SchemeKind::Basic, description)
                }
                S::HTTP { scheme, description, .. } => {
                    // RFC 7235 scheme names are case-insensitive; servers expect them as the
                    // registry spells them (`Bearer`, `Digest`), so the first letter is raised.
                    let word = if scheme.eq_ignore_ascii_case("bearer") {
                        "Bearer".to_string()
                    } else {
                        let mut chars = scheme.chars();
                        chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
                    };
                    (SchemeKind::Http { word }, description)
                }
                S::OAuth2 { flows, description, .. } => {
                    (SchemeKind::OAuth2 { client_credentials: flows.client_credentials.is_some() }, description)
                }
                S::OpenIDConnect { description, .. } => (SchemeKind::OAuth2 { client_credentials: false }, description),
            };
            Some(SecurityScheme { name: name.clone(), kind, description: spec_text(description) })
        })
        .collect()
}

/// `sailpoint-v3.inlined.json` -> `sailpoint_v3_inlined`.
fn module_name(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
    crate::naming::module_ident(&stem.to_snake_case())
}

struct SpecLowerer<'a> {
    ir: &'a mut Ir,
    file: &'a str,
    path: &'a std::path::Path,
    components: Option<&'a Components>,
    /// Where parts of the document were copied from (other files): errors and warnings name
    /// those places.
    origins: &'a Origins,
    /// Component schemas already lowered (or being lowered: recursion ends here).
    memo: FxHashMap<String, NodeId>,
    /// The nodes of component schemas still being lowered: an `allOf` cannot merge them.
    pending: FxHashSet<NodeId>,
    /// One-part `allOf` wrappers of a schema that was still being lowered, and that schema:
    /// each wrapper takes its kind when lowering is done.
    wrappers: Vec<(NodeId, NodeId)>,
    is_overlay: bool,
    depth: usize,
    /// Whether to keep the examples of bodies.
    examples: bool,
    /// Whether to keep each schema's example and constraints (for the mock tests).
    facts: bool,
    /// The facts of the one part an `allOf` just lowered was (Oxide's `{title: v4, allOf:
    /// [$ref: Ipv4Net]}` is Ipv4Net's string, with its pattern and example).
    merged_facts: Option<Box<crate::ir::ValueFacts>>,
    /// Security schemes that requirements name and the spec does not define, once each.
    undefined_schemes: Vec<String>,
    /// Schemas' texts as the IR keeps them (see [`spec_text`]), by the spec's text: made once
    /// each, as an inlined spec repeats the same descriptions thousands of times.
    texts: FxHashMap<&'a str, std::sync::Arc<str>>,
    /// Where each component schema's lowering began and ended, kept by a lowerer working on
    /// part of the operations (see `split`).
    ranges: Option<Vec<split::Range>>,
    /// How the operations are shared among threads.
    split: Split,
}

impl<'a> SpecLowerer<'a> {
    fn new(
        ir: &'a mut Ir,
        file: &'a str,
        path: &'a std::path::Path,
        components: Option<&'a Components>,
        is_overlay: bool,
    ) -> Self {
        Self {
            ir,
            file,
            path,
            components,
            origins: &NO_ORIGINS,
            memo: FxHashMap::default(),
            pending: FxHashSet::default(),
            wrappers: Vec::new(),
            is_overlay,
            depth: 0,
            examples: false,
            facts: false,
            merged_facts: None,
            undefined_schemes: Vec::new(),
            texts: FxHashMap::default(),
            ranges: None,
            split: Split::Auto,
        }
    }

    /// [`spec_text`], made once for each distinct text.
    fn text(&mut self, text: &'a Option<String>) -> Option<std::sync::Arc<str>> {
        let text = text.as_deref()?;
        Some(self.texts.entry(text).or_insert_with(|| rustdoc_safe(text).into()).clone())
    }

    /// Gives each `allOf` wrapper of a schema that was being lowered that schema's kind (under
    /// its `Option`, if the wrapper is nullable). A wrapper of a wrapper waits for the inner
    /// one, so this runs until nothing changes.
    fn finish(&mut self) {
        for _ in 0..self.wrappers.len() {
            let mut changed = false;
            for &(wrapper, target) in &self.wrappers {
                let kind = self.ir.node(target).kind.clone();
                let slot = match self.ir.node(wrapper).kind {
                    Kind::Nullable(inner) => inner,
                    _ => wrapper,
                };
                if self.ir.node(slot).kind != kind {
                    self.ir.schemas[slot.0 as usize].kind = kind;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    fn invalid(&self, pointer: &JsonPointer, message: impl Into<String>) -> Error {
        let message = message.into();
        match self.origins.locate(pointer) {
            Some(origin) => Error::Invalid { file: origin.path, pointer: origin.pointer, message },
            None => Error::Invalid { file: self.path.to_path_buf(), pointer: pointer.clone(), message },
        }
    }

    fn warn(&mut self, pointer: &JsonPointer, message: impl Into<String>) {
        let site = self.user_site(pointer);
        self.ir.warnings.push(Warning { site, message: message.into() });
    }

    /// The place the user wrote what stands at `pointer`: in another file, or elsewhere in the
    /// document, if it was copied from there.
    fn user_site(&self, pointer: &JsonPointer) -> Site {
        match self.origins.locate(pointer) {
            Some(origin) => Site { file: origin.shown, pointer: origin.pointer },
            None => site(self.file, pointer),
        }
    }

    /// The first client-credentials flow of the security schemes (by name), and whether its
    /// token URL is on the host of the server the client uses: if not, it may be a placeholder
    /// (`https://tenant.example.com/oauth/token`) and the client never sends a secret there.
    fn token_endpoint(&mut self, doc: &openapiv3::OpenAPI, server: Option<&Server>) -> Option<TokenEndpoint> {
        let mut schemes: Vec<_> = doc.components.as_ref()?.security_schemes.iter().collect();
        schemes.sort_by(|a, b| a.0.cmp(b.0));
        let (name, flow) = schemes.into_iter().find_map(|(name, scheme)| match scheme {
            ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) => {
                flows.client_credentials.as_ref().map(|f| (name, f))
            }
            _ => None,
        })?;
        // With no server, only a relative token URL is on the client's own origin.
        let same_origin_path = crate::servers::same_origin_path(&flow.token_url, server.map_or("", |s| s.url.as_str()));
        if same_origin_path.is_none() {
            let pointer = JsonPointer::root()
                .push("components")
                .push("securitySchemes")
                .push(name)
                .push("flows")
                .push("clientCredentials")
                .push("tokenUrl");
            let server = server.map_or_else(|| "none".to_string(), |s| format!("`{}`", s.url));
            self.warn(
                &pointer,
                format!(
                    "the token URL `{}` is not on the host of the server the client uses ({server}), so it may be \
                     a placeholder: `Auth::client_credentials` refuses it, and callers name their token URL with \
                     `Auth::client_credentials_at`",
                    flow.token_url
                ),
            );
        }
        Some(TokenEndpoint {
            url: flow.token_url.clone(),
            same_origin_path,
            scopes: flow.scopes.keys().cloned().collect(),
        })
    }

    fn api(mut self, spec: &'a LoadedSpec, module: String) -> Result<Api> {
        let doc = &spec.doc;
        for (pointer, message) in &spec.repairs {
            self.warn(pointer, message.clone());
        }
        let server = first_server(doc);
        let mut api = Api {
            module,
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            description: spec_text(&doc.info.description),
            server,
            token: None,
            schemes: security_schemes(doc),
            operations: Vec::new(),
            skipped: Vec::new(),
            webhooks: Vec::new(),
        };
        api.token = self.token_endpoint(doc, api.server.as_ref());
        self.warn_extension_refs(doc);
        self.paths(doc, &mut api)?;
        self.webhooks(spec, &mut api)?;
        self.finish();
        // Schemes that requirements name but the spec never defines: read as HTTP bearer (see
        // `operations::security`).
        for name in std::mem::take(&mut self.undefined_schemes) {
            api.schemes.push(SecurityScheme {
                name,
                kind: SchemeKind::Http { word: "Bearer".into() },
                description: Some(
                    "Not defined in the spec's `components.securitySchemes`: taken as an HTTP bearer token.".into(),
                ),
            });
        }
        Ok(api)
    }

    /// `$ref`s to other files inside the document's top-level `x-` extensions: not followed,
    /// with a warning each.
    fn warn_extension_refs(&mut self, doc: &openapiv3::OpenAPI) {
        let mut refs = Vec::new();
        for (key, value) in &doc.extensions {
            extension_refs(value, &JsonPointer::root().push(key), &mut refs);
        }
        for (ptr, reference) in refs {
            self.warn(
                &ptr,
                format!("`$ref: {reference}` inside an `x-` extension points to another file; it is not followed"),
            );
        }
    }

    /// Every operation of `doc`'s paths into `api`: lowered, or skipped with why.
    fn paths(&mut self, doc: &'a openapiv3::OpenAPI, api: &mut Api) -> Result<()> {
        let jobs = Self::path_jobs(doc);
        split::lower_jobs(self, doc, &jobs, api)
    }

    /// What lowering the paths does, in order: the warnings about paths and operation ids,
    /// each operation, and where the input is wrong, the error that stops it. Made first so
    /// that the operations can be shared among threads (see `split`).
    fn path_jobs(doc: &'a openapiv3::OpenAPI) -> Vec<Job<'a>> {
        let paths_ptr = JsonPointer::root().push("paths");
        let mut jobs = Vec::new();
        let mut seen_ids = FxHashSet::default();
        // Paths by their template with the parameters' names left out: two alike are one path
        // to a server (Vault's `/{alicloud_mount_path}/config` and `/{azure_mount_path}/config`).
        let mut templates: FxHashMap<String, &str> = FxHashMap::default();
        for (path, item) in &doc.paths.paths {
            let item_ptr = paths_ptr.push(path);
            let template = anonymous_template(path);
            match templates.get(&template) {
                Some(first) => jobs.push(Job::Warn(
                    item_ptr.clone(),
                    format!(
                        "this path is `{first}` with other parameter names, which OpenAPI forbids: a server \
                         cannot tell which one a request means"
                    ),
                )),
                None => {
                    templates.insert(template, path);
                }
            }
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    jobs.push(Job::Fail(item_ptr, format!("path item `$ref` to `{reference}` is not supported")));
                    return jobs;
                }
            };
            for (method, op) in item.iter() {
                let op_ptr = item_ptr.push(method);
                let method = HttpMethod::parse(method).expect("openapiv3 yields only known methods");
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => derived_operation_id(method, path),
                };
                let id = unique_id(&mut seen_ids, id, &op_ptr, &mut jobs);
                jobs.push(Job::Operation(OperationSource {
                    path,
                    method,
                    id,
                    op,
                    path_params: &item.parameters,
                    ptr: op_ptr,
                }));
            }
        }
        jobs
    }

    /// Does `jobs` in order: operations into `operations` (or `skipped`), warnings into the IR.
    fn run_jobs(
        &mut self,
        doc: &'a openapiv3::OpenAPI,
        jobs: &[Job<'a>],
        operations: &mut Vec<Operation>,
        skipped: &mut Vec<Skipped>,
    ) -> Result<()> {
        for job in jobs {
            match job {
                Job::Warn(pointer, message) => self.warn(pointer, message.clone()),
                Job::Fail(pointer, message) => return Err(self.invalid(pointer, message.clone())),
                Job::Operation(source) => match self.operation(doc, source.clone()) {
                    Ok(operation) => operations.push(operation),
                    Err(Stop::Skip(reason)) => skipped.push(Skipped { site: self.user_site(&source.ptr), reason }),
                    Err(Stop::Error(e)) => return Err(e),
                },
            }
        }
        Ok(())
    }

    fn push(&mut self, kind: Kind, docs: Docs, ptr: &JsonPointer, hint: NameHint) -> NodeId {
        let id = NodeId(self.ir.schemas.len() as u32);
        let site = self.user_site(ptr);
        self.ir.schemas.push(SchemaNode { kind, docs, site, hint, facts: None });
        id
    }

    /// A new node like `of` (its docs, site, name hint and facts) but of `kind`.
    fn push_like(&mut self, of: NodeId, kind: Kind) -> NodeId {
        let id = NodeId(self.ir.schemas.len() as u32);
        let node = SchemaNode { kind, ..self.ir.node(of).clone() };
        self.ir.schemas.push(node);
        id
    }

    fn set_kind(&mut self, id: NodeId, kind: Kind) {
        self.ir.schemas[id.0 as usize].kind = kind;
    }
}

/// The operation's id, numbered when another operation has it already (everything keyed
/// by it, the report and `api.json`, stays apart), with a warning. Ids that differ only in
/// case or separators (`getThing`, `get_thing`) are fine: emit numbers their names.
fn unique_id(seen_ids: &mut FxHashSet<String>, id: String, op_ptr: &JsonPointer, jobs: &mut Vec<Job>) -> String {
    let id = if seen_ids.contains(&id) {
        let unique = (2..).map(|n| format!("{id}{n}")).find(|c| !seen_ids.contains(c)).expect("a free number");
        jobs.push(Job::Warn(
            op_ptr.push("operationId"),
            format!("operationId `{id}` is used by another operation; this one is called `{unique}`"),
        ));
        unique
    } else {
        id
    };
    seen_ids.insert(id.clone());
    id
}

/// One step of lowering the paths (see `SpecLowerer::path_jobs`).
enum Job<'a> {
    Warn(JsonPointer, String),
    Operation(OperationSource<'a>),
    /// The input is wrong here: lowering stops with this error.
    Fail(JsonPointer, String),
}

/// `YYYY-MM-DD`.
fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| b[i].is_ascii_digit())
}

/// `YYYY-MM-DDTHH:MM:SS` and a fraction or zone after it (RFC 3339's shape, not its calendar).
fn looks_like_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && looks_like_date(&s[..10])
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b[16] == b':'
        && [11, 12, 14, 15, 17, 18].iter().all(|&i| b[i].is_ascii_digit())
}

/// The first of the document's servers, the one the client uses by default.
fn first_server(doc: &openapiv3::OpenAPI) -> Option<Server> {
    doc.servers.first().map(|s| Server {
        url: s.url.clone(),
        description: spec_text(&s.description),
        variables: s
            .variables
            .iter()
            .flatten()
            .map(|(name, v)| ServerVariable {
                name: name.clone(),
                default: v.default.clone(),
                allowed: v.enumeration.clone(),
                description: spec_text(&v.description),
            })
            .collect(),
    })
}

/// `$ref`s inside `x-` extensions are not followed; one that points to another file (which
/// this generator never opens) is worth a warning, since tools that do follow it will fail.
fn extension_refs(value: &serde_json::Value, ptr: &JsonPointer, found: &mut Vec<(JsonPointer, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", serde_json::Value::String(r)) if !r.starts_with('#') => {
                        found.push((ptr.push(k), r.clone()))
                    }
                    _ => extension_refs(v, &ptr.push(k), found),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                extension_refs(v, &ptr.push(i.to_string()), found);
            }
        }
        _ => {}
    }
}

fn dedup(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = FxHashSet::default();
    values.filter(|v| seen.insert(v.clone())).collect()
}

/// For operations without an `operationId`: `GET /sources/{id}/schemas` -> `get_sources_by_id_schemas`.
fn derived_operation_id(method: HttpMethod, path: &str) -> String {
    let mut id = method.as_upper().to_ascii_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                id.push_str("by_");
                id.push_str(&param.to_snake_case());
            }
            None => id.push_str(&segment.to_snake_case()),
        }
    }
    id
}

/// `path` with each `{name}` as `{}`.
fn anonymous_template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            _ if in_name => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_operation_ids_from_method_and_path() {
        assert_eq!(
            derived_operation_id(HttpMethod::Get, "/sources/{sourceId}/schemas"),
            "get_sources_by_source_id_schemas"
        );
    }

    #[test]
    fn recognises_dates() {
        assert!(looks_like_date_time("2015-05-28T14:07:17Z"));
        assert!(looks_like_date_time("2015-05-28T14:07:17.123+02:00"));
        assert!(!looks_like_date_time("6 Months from created date"));
        assert!(looks_like_date("2021-03-02"));
        assert!(!looks_like_date("--03-02"));
    }

    #[test]
    fn body_encodings() {
        assert_eq!(BodyEncoding::of("application/json-patch+json"), BodyEncoding::Json);
        assert_eq!(BodyEncoding::of("application/json; charset=utf-8"), BodyEncoding::Json);
        assert_eq!(BodyEncoding::of("multipart/form-data"), BodyEncoding::Multipart);
        assert_eq!(BodyEncoding::of("text/csv"), BodyEncoding::Text);
        assert_eq!(BodyEncoding::of("application/zip"), BodyEncoding::Binary);
    }
}
