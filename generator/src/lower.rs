//! Stage 2, lower: turn openapiv3 documents into our IR. `$ref`s are resolved (inside the
//! document only), `allOf` is merged into one object, and every schema becomes a node that
//! remembers where it stands (its site and a name hint). Nothing is folded yet.

use std::collections::{HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Components, ReferenceOr, Schema, SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty,
};

use crate::error::{Error, Result};
use crate::ir::*;
use crate::load::{LoadedSpec, NamesOverlay};
use crate::naming;
use crate::pointer::JsonPointer;

type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Deeper inline nesting than this is refused rather than risk the stack.
const MAX_DEPTH: usize = 200;

/// Lowers every spec (and the names overlay). With `examples`, the examples of JSON bodies are
/// kept too, for the generated example tests; without, they cost nothing.
pub fn lower(specs: &[LoadedSpec], names: Option<&(String, NamesOverlay)>, examples: bool) -> Result<Ir> {
    let mut ir = Ir::default();
    let mut modules = HashSet::new();
    for spec in specs {
        let module = module_name(&spec.file_name);
        if !modules.insert(module.clone()) {
            return Err(Error::Usage(format!(
                "two specs would both become the module `{module}`: rename one of the files"
            )));
        }
        let mut l = SpecLowerer::new(&mut ir, spec.file_name.as_str(), &spec.path, spec.doc.components.as_ref(), false);
        l.examples = examples;
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
        ir.overlay = named;
    }
    Ok(ir)
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
    /// Component schemas already lowered (or being lowered: recursion ends here).
    memo: HashMap<String, NodeId>,
    is_overlay: bool,
    depth: usize,
    /// Whether to keep the examples of bodies.
    examples: bool,
}

impl<'a> SpecLowerer<'a> {
    fn new(
        ir: &'a mut Ir,
        file: &'a str,
        path: &'a std::path::Path,
        components: Option<&'a Components>,
        is_overlay: bool,
    ) -> Self {
        Self { ir, file, path, components, memo: HashMap::new(), is_overlay, depth: 0, examples: false }
    }

    fn invalid(&self, pointer: &JsonPointer, message: impl Into<String>) -> Error {
        Error::Invalid { file: self.path.to_path_buf(), pointer: pointer.clone(), message: message.into() }
    }

    fn warn(&mut self, pointer: &JsonPointer, message: impl Into<String>) {
        self.ir.warnings.push(Warning { site: site(self.file, pointer), message: message.into() });
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
        let same_origin_path = match server {
            Some(server) => crate::servers::same_origin_path(&flow.token_url, &server.url),
            None => crate::servers::same_origin_path(&flow.token_url, ""),
        };
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
        Some(TokenEndpoint { url: flow.token_url.clone(), same_origin_path, scopes: flow.scopes.keys().cloned().collect() })
    }

    fn api(mut self, spec: &'a LoadedSpec, module: String) -> Result<Api> {
        let doc = &spec.doc;
        let server = doc.servers.first().map(|s| Server {
            url: s.url.clone(),
            description: s.description.clone(),
            variables: s
                .variables
                .iter()
                .flatten()
                .map(|(name, v)| ServerVariable {
                    name: name.clone(),
                    default: v.default.clone(),
                    allowed: v.enumeration.clone(),
                    description: v.description.clone(),
                })
                .collect(),
        });
        let mut api = Api {
            module,
            file_name: spec.file_name.clone(),
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            description: doc.info.description.clone(),
            server,
            token: None,
            operations: Vec::new(),
            skipped: Vec::new(),
        };
        api.token = self.token_endpoint(doc, api.server.as_ref());
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
        let paths_ptr = JsonPointer::root().push("paths");
        let mut seen_ids = HashSet::new();
        for (path, item) in &doc.paths.paths {
            let item_ptr = paths_ptr.push(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    return Err(self.invalid(&item_ptr, format!("path item `$ref` to `{reference}` is not supported")))
                }
            };
            for (method, op) in item.iter() {
                let op_ptr = item_ptr.push(method);
                let method = HttpMethod::parse(method).expect("openapiv3 yields only known methods");
                let id = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => derived_operation_id(method, path),
                };
                if !seen_ids.insert(id.to_snake_case()) {
                    return Err(self.invalid(
                        &op_ptr.push("operationId"),
                        format!("operationId `{id}` is used by another operation"),
                    ));
                }
                match self.operation(doc, path, method, id, op, &item.parameters, &op_ptr)? {
                    Ok(operation) => api.operations.push(operation),
                    Err(reason) => api.skipped.push(Skipped { site: site(self.file, &op_ptr), reason }),
                }
            }
        }
        Ok(api)
    }

    /// The outer `Result` is a hard error; the inner one says why the operation is skipped.
    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        doc: &'a openapiv3::OpenAPI,
        path: &str,
        method: HttpMethod,
        id: String,
        op: &'a openapiv3::Operation,
        path_params: &'a [ReferenceOr<openapiv3::Parameter>],
        ptr: &JsonPointer,
    ) -> Result<std::result::Result<Operation, String>> {
        let op_name = id.to_upper_camel_case();

        // Parameters: the operation's override the path item's of the same name and location.
        let mut params: IndexMap<(String, &'static str), (&'a openapiv3::Parameter, JsonPointer)> = IndexMap::new();
        let item_ptr = ptr.parent();
        for (list, base) in [(path_params, item_ptr.push("parameters")), (&op.parameters[..], ptr.push("parameters"))] {
            for (i, p) in list.iter().enumerate() {
                let (p, p_ptr) = self.resolve_parameter(p, base.push(i.to_string()))?;
                let loc = match p {
                    openapiv3::Parameter::Path { .. } => "path",
                    openapiv3::Parameter::Query { .. } => "query",
                    openapiv3::Parameter::Header { .. } => "header",
                    openapiv3::Parameter::Cookie { .. } => "cookie",
                };
                params.insert((p.parameter_data_ref().name.clone(), loc), (p, p_ptr));
            }
        }
        let mut parameters = Vec::new();
        let mut param_sites = Vec::new();
        for ((name, loc), (p, p_ptr)) in params {
            let data = p.parameter_data_ref();
            let location = match loc {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                _ => {
                    if data.required {
                        return Ok(Err(format!("required cookie parameter `{name}` is not supported")));
                    }
                    self.warn(&p_ptr, format!("cookie parameter `{name}` is not supported; it is left out"));
                    continue;
                }
            };
            let hint = reused_hint(&p_ptr, "parameters", naming::camel)
                .unwrap_or(NameHint::Parameter { operation: op_name.clone(), name: name.clone() });
            let schema = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self.schema_ref(s, p_ptr.push("schema"), hint)?,
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.warn(&p_ptr, "a parameter given by `content` is sent as a string");
                    self.push(Kind::String(StringFormat::Plain), Docs::default(), &p_ptr, hint)
                }
            };
            param_sites.push(site(self.file, &p_ptr));
            parameters.push(Parameter {
                name,
                location,
                required: data.required || location == ParamLocation::Path,
                description: data.description.clone(),
                schema,
            });
        }
        // A path parameter named one way in the path and another in `parameters` (a known
        // defect of real specs) is matched up when it is the only one on each side.
        let template = path_template_names(path);
        let undefined: Vec<&String> = template
            .iter()
            .filter(|t| !parameters.iter().any(|p| p.location == ParamLocation::Path && &p.name == *t))
            .collect();
        let unused: Vec<usize> = (0..parameters.len())
            .filter(|&i| parameters[i].location == ParamLocation::Path && !template.contains(&parameters[i].name))
            .collect();
        match (undefined.as_slice(), unused.as_slice()) {
            ([], []) => {}
            ([name], [index]) => {
                let p = &mut parameters[*index];
                self.ir.warnings.push(Warning {
                    site: param_sites[*index].clone(),
                    message: format!("path parameter `{}` is `{{{name}}}` in the path; using the path's name", p.name),
                });
                p.name = (*name).clone();
            }
            ([name, ..], _) => return Ok(Err(format!("path parameter `{name}` has no definition in `parameters`"))),
            ([], unused) => {
                // Nothing in the path can carry them: leave them out, loudly.
                for &index in unused.iter().rev() {
                    let p = parameters.remove(index);
                    self.ir.warnings.push(Warning {
                        site: param_sites[index].clone(),
                        message: format!("path parameter `{}` does not appear in the path; it is left out", p.name),
                    });
                }
            }
        }

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let (rb, rb_ptr) = self.resolve_request_body(rb, ptr.push("requestBody"))?;
                // The most structured content type the spec offers.
                let Some((content_type, media)) = rb.content.iter().min_by_key(|(ct, _)| BodyEncoding::of(ct)) else {
                    return Ok(Err("the request body lists no content type".into()));
                };
                let m_ptr = rb_ptr.push("content").push(content_type);
                let hint = reused_hint(&rb_ptr, "requestBodies", |k| format!("{}Request", naming::camel(k)))
                    .unwrap_or(NameHint::RequestBody { operation: op_name.clone() });
                let schema = match &media.schema {
                    Some(s) => self.schema_ref(s, m_ptr.push("schema"), hint)?,
                    None => self.push(Kind::Any, Docs::default(), &m_ptr, hint),
                };
                let encoding = BodyEncoding::of(content_type);
                let examples =
                    if encoding == BodyEncoding::Json { self.body_examples(media, &m_ptr, schema) } else { Vec::new() };
                Some(RequestBody {
                    content_type: content_type.clone(),
                    encoding,
                    required: rb.required,
                    description: rb.description.clone(),
                    schema,
                    examples,
                })
            }
        };

        let mut responses = Vec::new();
        let r_ptr = ptr.push("responses");
        if op.responses.default.is_some() {
            self.warn(
                &r_ptr.push("default"),
                "the `default` response is not modelled: such statuses surface as `Error::UnexpectedStatus`",
            );
        }
        for (status, r) in &op.responses.responses {
            let StatusCode::Code(code) = status else {
                self.warn(
                    &r_ptr.push(status.to_string()),
                    "status ranges are not modelled: such statuses surface as `Error::UnexpectedStatus`",
                );
                continue;
            };
            let (r, s_ptr) = self.resolve_response(r, r_ptr.push(code.to_string()))?;
            let mut examples = Vec::new();
            let body = match r.content.iter().min_by_key(|(ct, _)| BodyEncoding::of(ct)) {
                None => ResponseBody::None,
                Some((ct, media)) => match BodyEncoding::of(ct) {
                    BodyEncoding::Json => {
                        let hint = reused_hint(&s_ptr, "responses", |k| match k.parse::<u16>() {
                            Ok(status) => format!("{}Response", naming::status_variant(status)),
                            Err(_) => naming::camel(k),
                        })
                        .unwrap_or(NameHint::Response { operation: op_name.clone(), status: *code });
                        let m_ptr = s_ptr.push("content").push(ct);
                        let schema = match &media.schema {
                            Some(s) => self.schema_ref(s, m_ptr.push("schema"), hint)?,
                            None => self.push(Kind::Any, Docs::default(), &m_ptr, hint),
                        };
                        examples = self.body_examples(media, &m_ptr, schema);
                        ResponseBody::Json(schema)
                    }
                    BodyEncoding::Text => ResponseBody::Text,
                    _ => ResponseBody::Binary,
                },
            };
            responses.push(Response { status: *code, description: r.description.clone(), body, examples });
        }

        let (security, sec_ptr) = match &op.security {
            Some(s) => (Some(s), ptr.push("security")),
            None => (doc.security.as_ref(), JsonPointer::root().push("security")),
        };
        let mut authenticated = false;
        for (i, requirement) in security.into_iter().flatten().enumerate() {
            for scheme in requirement.keys() {
                authenticated = true;
                let known = self.components.and_then(|c| c.security_schemes.get(scheme));
                match known {
                    None => self.warn(
                        &sec_ptr.push(i.to_string()).push(scheme),
                        format!("security scheme `{scheme}` is not defined in components.securitySchemes; sending the client's bearer token"),
                    ),
                    Some(ReferenceOr::Item(openapiv3::SecurityScheme::APIKey { .. })) => self.warn(
                        &sec_ptr.push(i.to_string()).push(scheme),
                        format!("security scheme `{scheme}` is an API key, which is not supported yet; sending the client's bearer token"),
                    ),
                    Some(_) => {}
                }
            }
        }

        Ok(Ok(Operation {
            id,
            method,
            path: path.to_string(),
            site: site(self.file, ptr),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            parameters,
            body,
            responses,
            authenticated,
        }))
    }

    fn push(&mut self, kind: Kind, docs: Docs, ptr: &JsonPointer, hint: NameHint) -> NodeId {
        let id = NodeId(self.ir.schemas.len() as u32);
        self.ir.schemas.push(SchemaNode { kind, docs, site: site(self.file, ptr), hint });
        id
    }

    fn set_kind(&mut self, id: NodeId, kind: Kind) {
        self.ir.schemas[id.0 as usize].kind = kind;
    }

    fn schema_ref(&mut self, s: &'a ReferenceOr<Schema>, ptr: JsonPointer, hint: NameHint) -> Result<NodeId> {
        match s {
            ReferenceOr::Item(s) => self.schema(s, ptr, hint),
            ReferenceOr::Reference { reference } => self.reference(reference, &ptr),
        }
    }

    fn schema_box(&mut self, s: &'a ReferenceOr<Box<Schema>>, ptr: JsonPointer, hint: NameHint) -> Result<NodeId> {
        match s {
            ReferenceOr::Item(s) => self.schema(s, ptr, hint),
            ReferenceOr::Reference { reference } => self.reference(reference, &ptr),
        }
    }

    fn reference(&mut self, reference: &str, ptr: &JsonPointer) -> Result<NodeId> {
        let ptr = ptr.push("$ref");
        match reference.strip_prefix("#/components/schemas/") {
            Some(name) => self.component(&unescape_pointer_segment(name), &ptr),
            None if reference.starts_with('#') => Err(self.invalid(
                &ptr,
                format!("`$ref: {reference}` is not supported: schemas must be under #/components/schemas"),
            )),
            None => Err(self.invalid(
                &ptr,
                format!("`$ref: {reference}` points to another file, which is not supported: bundle the spec first"),
            )),
        }
    }

    fn component(&mut self, name: &str, from: &JsonPointer) -> Result<NodeId> {
        if let Some(&id) = self.memo.get(name) {
            return Ok(id);
        }
        let Some(schema) = self.components.and_then(|c| c.schemas.get(name)) else {
            return Err(self.invalid(from, format!("`$ref` to `#/components/schemas/{name}`, which does not exist")));
        };
        let ptr = JsonPointer::root().push("components").push("schemas").push(name);
        let hint =
            if self.is_overlay { NameHint::Overlay(name.to_string()) } else { NameHint::Component(name.to_string()) };
        match schema {
            ReferenceOr::Item(s) => {
                // Reserve the node before lowering so that recursive references find it.
                let id = self.push(Kind::Pending, Docs::default(), &ptr, hint.clone());
                self.memo.insert(name.to_string(), id);
                let inner = self.schema(s, ptr, hint)?;
                let node = self.ir.node(inner).clone();
                self.ir.schemas[id.0 as usize] = node;
                Ok(id)
            }
            ReferenceOr::Reference { reference } => {
                // An alias component: mark it in progress so that a cycle of aliases is caught.
                self.memo.insert(name.to_string(), NodeId(u32::MAX));
                let target = self.reference(reference, &ptr)?;
                if target.0 == u32::MAX {
                    return Err(self.invalid(&ptr, "`$ref`s form a cycle with no schema in between"));
                }
                self.memo.insert(name.to_string(), target);
                Ok(target)
            }
        }
    }

    fn schema(&mut self, s: &'a Schema, ptr: JsonPointer, hint: NameHint) -> Result<NodeId> {
        if self.depth >= MAX_DEPTH {
            return Err(self.invalid(&ptr, format!("schemas nest more than {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        let result = self.schema_inner(s, ptr, hint);
        self.depth -= 1;
        result
    }

    fn schema_inner(&mut self, s: &'a Schema, ptr: JsonPointer, hint: NameHint) -> Result<NodeId> {
        if !self.is_overlay {
            self.ir.schemas_seen += 1;
        }
        let data = &s.schema_data;
        let docs =
            Docs { title: data.title.clone(), description: data.description.clone(), deprecated: data.deprecated };
        let id = self.push(Kind::Pending, docs.clone(), &ptr, hint.clone());
        if let Some(serde_json::Value::String(default)) = &data.default {
            let format = match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) => string_format(&st.format),
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
                        Kind::String(string_format(&st.format))
                    } else {
                        nullable |= st.enumeration.iter().any(Option::is_none);
                        Kind::Enum(dedup(st.enumeration.iter().flatten().cloned()))
                    }
                }
                Type::Integer(it) => Kind::Integer(match &it.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => IntegerFormat::Int32,
                    _ => IntegerFormat::Int64,
                }),
                Type::Number(nt) => Kind::Number(match &nt.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => NumberFormat::Float,
                    _ => NumberFormat::Double,
                }),
                Type::Boolean(_) => Kind::Boolean,
                Type::Object(o) => {
                    self.object(id, &o.properties, &o.required, o.additional_properties.as_ref(), &ptr)?
                }
                Type::Array(a) => self.array(id, a.items.as_ref(), &ptr)?,
            },
            SchemaKind::OneOf { one_of } => self.union(id, one_of, &ptr.push("oneOf"), data.discriminator.as_ref())?,
            SchemaKind::AnyOf { any_of } => self.union(id, any_of, &ptr.push("anyOf"), data.discriminator.as_ref())?,
            SchemaKind::AllOf { all_of } => self.all_of(id, all_of, None, &ptr)?,
            SchemaKind::Not { .. } => {
                self.warn(&ptr, "`not` schemas cannot be expressed as a Rust type; any JSON value is accepted");
                Kind::Any
            }
            SchemaKind::Any(a) => self.any_schema(id, a, &ptr, data.discriminator.as_ref())?,
        };
        if nullable {
            let inner = self.push(kind, docs, &ptr, hint);
            self.set_kind(id, Kind::Nullable(inner));
        } else {
            self.set_kind(id, kind);
        }
        Ok(id)
    }

    /// A schema that openapiv3 could not classify: mixed keywords, or no `type`.
    fn any_schema(
        &mut self,
        id: NodeId,
        a: &'a openapiv3::AnySchema,
        ptr: &JsonPointer,
        discriminator: Option<&'a openapiv3::Discriminator>,
    ) -> Result<Kind> {
        if !a.all_of.is_empty() {
            let extra = (!a.properties.is_empty()).then_some((&a.properties, &a.required));
            return self.all_of(id, &a.all_of, extra, ptr);
        }
        if !a.one_of.is_empty() {
            return self.union(id, &a.one_of, &ptr.push("oneOf"), discriminator);
        }
        if !a.any_of.is_empty() {
            return self.union(id, &a.any_of, &ptr.push("anyOf"), discriminator);
        }
        let typ = a.typ.as_deref();
        if typ == Some("object") || !a.properties.is_empty() || a.additional_properties.is_some() {
            return self.object(id, &a.properties, &a.required, a.additional_properties.as_ref(), ptr);
        }
        if typ == Some("array") || a.items.is_some() {
            return self.array(id, a.items.as_ref(), ptr);
        }
        if !a.enumeration.is_empty() {
            let strings: Option<Vec<String>> =
                a.enumeration.iter().filter(|v| !v.is_null()).map(|v| v.as_str().map(str::to_string)).collect();
            if let Some(values) = strings {
                return Ok(Kind::Enum(dedup(values.into_iter())));
            }
        }
        Ok(match typ {
            Some("string") => Kind::String(match a.format.as_deref() {
                Some("date-time") => StringFormat::DateTime,
                Some("date") => StringFormat::Date,
                Some("binary") => StringFormat::Binary,
                _ => StringFormat::Plain,
            }),
            Some("integer") => Kind::Integer(if a.format.as_deref() == Some("int32") {
                IntegerFormat::Int32
            } else {
                IntegerFormat::Int64
            }),
            Some("number") => Kind::Number(if a.format.as_deref() == Some("float") {
                NumberFormat::Float
            } else {
                NumberFormat::Double
            }),
            Some("boolean") => Kind::Boolean,
            _ => Kind::Any,
        })
    }

    fn object(
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
            let node = self.schema_box(p, ptr.push("properties").push(name), hint)?;
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

    fn array(&mut self, id: NodeId, items: Option<&'a ReferenceOr<Box<Schema>>>, ptr: &JsonPointer) -> Result<Kind> {
        let item = match items {
            Some(items) => self.schema_box(items, ptr.push("items"), NameHint::Item { parent: id })?,
            None => {
                self.warn(ptr, "array without `items`: its items are any JSON value");
                self.push(Kind::Any, Docs::default(), ptr, NameHint::Item { parent: id })
            }
        };
        Ok(Kind::Array(item))
    }

    fn union(
        &mut self,
        id: NodeId,
        variants: &'a [ReferenceOr<Schema>],
        ptr: &JsonPointer,
        discriminator: Option<&'a openapiv3::Discriminator>,
    ) -> Result<Kind> {
        let mut nodes = Vec::with_capacity(variants.len());
        for (index, v) in variants.iter().enumerate() {
            nodes.push(self.schema_ref(v, ptr.push(index.to_string()), NameHint::Variant { parent: id, index })?);
        }
        Ok(match nodes.as_slice() {
            [] => Kind::Any,
            [only] => self.ir.node(*only).kind.clone(),
            _ => {
                let tag = discriminator.and_then(|d| self.tag(d, &nodes, ptr));
                Kind::Union(nodes, tag)
            }
        })
    }

    /// The tag values of each variant: from the mapping, else the variant's own one-value enum
    /// for the property, else its component name. `None` (with a warning) when a variant has
    /// none, and then decoding tries the variants in turn.
    fn tag(&mut self, d: &openapiv3::Discriminator, variants: &[NodeId], ptr: &JsonPointer) -> Option<Tag> {
        let mut values = Vec::new();
        for &variant in variants {
            let mut found: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, target)| {
                    let name = target.strip_prefix("#/components/schemas/").unwrap_or(target);
                    self.memo.get(&unescape_pointer_segment(name)) == Some(&variant)
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
        Some(Tag { property: d.property_name.clone(), values })
    }

    /// Merges the parts into one object: the Rust type a person would write for `allOf`.
    fn all_of(
        &mut self,
        id: NodeId,
        parts: &'a [ReferenceOr<Schema>],
        extra: Option<(&'a Properties, &'a Vec<String>)>,
        ptr: &JsonPointer,
    ) -> Result<Kind> {
        let mut part_kinds = Vec::new();
        let mut required: HashSet<String> = HashSet::new();
        for (i, part) in parts.iter().enumerate() {
            let part_ptr = ptr.push("allOf").push(i.to_string());
            let node = self.schema_ref(part, part_ptr.clone(), NameHint::AllOfPart { merged: id })?;
            required.extend(self.required_names(part));
            let mut kind = self.ir.node(node).kind.clone();
            while let Kind::Nullable(inner) = kind {
                kind = self.ir.node(inner).kind.clone();
            }
            if kind == Kind::Pending {
                return Err(self.invalid(&part_ptr, "`allOf` includes itself"));
            }
            part_kinds.push(kind);
        }
        if let Some((properties, req)) = extra {
            required.extend(req.iter().cloned());
            part_kinds.push(self.object(id, properties, req, None, ptr)?);
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
            (true, 1) => others.pop().expect("one element"),
            (true, 0) => additional.map_or(Kind::FreeFormObject, Kind::Map),
            (false, 0) => Kind::Object(Object { fields, additional }),
            _ => {
                self.warn(ptr, "`allOf` mixes objects with other types; any JSON value is accepted");
                Kind::Any
            }
        })
    }

    /// Whether a property is `readOnly` or `writeOnly`, on itself or on the schema it refers to.
    fn is_one_way(&self, p: &'a ReferenceOr<Box<Schema>>) -> bool {
        let schema = match p {
            ReferenceOr::Item(s) => Some(&**s),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        };
        schema.is_some_and(|s| s.schema_data.read_only || s.schema_data.write_only)
    }

    /// The `required` list of a schema, following `$ref`s; used to merge `allOf`.
    fn required_names(&self, s: &'a ReferenceOr<Schema>) -> Vec<String> {
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

    /// The schema a `#/components/schemas/...` reference ends at, through chains of references;
    /// `None` for any other reference (lowering the schema itself reports those).
    fn component_schema(&self, mut reference: &'a str) -> Option<&'a Schema> {
        for _ in 0..32 {
            let name = unescape_pointer_segment(reference.strip_prefix("#/components/schemas/")?);
            match self.components?.schemas.get(&name)? {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    /// A JSON body's examples: its `example`, every entry of its `examples` (following `$ref`s
    /// into components.examples), or, when it has neither, its schema's `example`. An example
    /// that cannot be read is left out with a warning: examples never stop generation.
    fn body_examples(&mut self, media: &'a openapiv3::MediaType, m_ptr: &JsonPointer, schema: NodeId) -> Vec<Example> {
        if !self.examples {
            return Vec::new();
        }
        let mut found: Vec<(String, JsonPointer, &'a serde_json::Value)> = Vec::new();
        if let Some(value) = &media.example {
            found.push(("example".into(), m_ptr.push("example"), value));
        }
        for (name, example) in &media.examples {
            match self.resolve(example, m_ptr.push("examples").push(name), "examples", |c| &c.examples) {
                Ok((example, e_ptr)) => match &example.value {
                    Some(value) => found.push((name.clone(), e_ptr.push("value"), value)),
                    // Reading `externalValue` would mean fetching a URL or a file the user did
                    // not name.
                    None => self.warn(&e_ptr, "an example without a `value` (externalValue) is not read"),
                },
                Err(e) => self.warn(&m_ptr.push("examples").push(name), format!("example not read: {e}")),
            }
        }
        if found.is_empty() {
            if let Some(s) = &media.schema {
                if let Ok((s, s_ptr)) = self.resolve(s, m_ptr.push("schema"), "schemas", |c| &c.schemas) {
                    if let Some(value) = &s.schema_data.example {
                        found.push(("example".into(), s_ptr.push("example"), value));
                    }
                }
            }
        }
        let wants_string = matches!(self.ir.node(schema).kind, Kind::String(_) | Kind::Enum(_) | Kind::Any);
        found
            .into_iter()
            .map(|(name, ptr, value)| {
                // A JSON document written as a YAML string is a common slip in specs: read the
                // JSON it holds, and say so.
                let parsed = match value {
                    serde_json::Value::String(text) if !wants_string => {
                        serde_json::from_str::<serde_json::Value>(text).ok().filter(|v| v.is_object() || v.is_array())
                    }
                    _ => None,
                };
                let json = match parsed {
                    Some(v) => {
                        self.warn(&ptr, "this example is JSON written as a string; it is read as the JSON it holds");
                        v.to_string()
                    }
                    None => value.to_string(),
                };
                Example { site: site(self.file, &ptr), name, json }
            })
            .collect()
    }

    fn resolve_parameter(
        &self,
        p: &'a ReferenceOr<openapiv3::Parameter>,
        ptr: JsonPointer,
    ) -> Result<(&'a openapiv3::Parameter, JsonPointer)> {
        self.resolve(p, ptr, "parameters", |c| &c.parameters)
    }

    fn resolve_request_body(
        &self,
        r: &'a ReferenceOr<openapiv3::RequestBody>,
        ptr: JsonPointer,
    ) -> Result<(&'a openapiv3::RequestBody, JsonPointer)> {
        self.resolve(r, ptr, "requestBodies", |c| &c.request_bodies)
    }

    fn resolve_response(
        &self,
        r: &'a ReferenceOr<openapiv3::Response>,
        ptr: JsonPointer,
    ) -> Result<(&'a openapiv3::Response, JsonPointer)> {
        self.resolve(r, ptr, "responses", |c| &c.responses)
    }

    /// Follows `$ref`s into `#/components/{section}`, returning the target and its pointer.
    fn resolve<T>(
        &self,
        mut r: &'a ReferenceOr<T>,
        mut ptr: JsonPointer,
        section: &str,
        map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'a T, JsonPointer)> {
        let prefix = format!("#/components/{section}/");
        for _ in 0..32 {
            match r {
                ReferenceOr::Item(t) => return Ok((t, ptr)),
                ReferenceOr::Reference { reference } => {
                    let ref_ptr = ptr.push("$ref");
                    let Some(name) = reference.strip_prefix(&prefix).map(unescape_pointer_segment) else {
                        return Err(self.invalid(
                            &ref_ptr,
                            format!("`$ref: {reference}` is not supported here: expected {prefix}..."),
                        ));
                    };
                    let Some(target) = self.components.and_then(|c| map(c).get(&name)) else {
                        return Err(self.invalid(&ref_ptr, format!("`$ref` to `{reference}`, which does not exist")));
                    };
                    r = target;
                    ptr = JsonPointer::root().push("components").push(section).push(&name);
                }
            }
        }
        Err(self.invalid(&ptr, "`$ref`s form a cycle with no definition in between"))
    }
}

/// For an entry of `#/components/{section}`, a hint naming its schema from the entry's key:
/// a shared 401 response is an `UnauthorizedResponse`, not the first operation's error.
fn reused_hint(ptr: &JsonPointer, section: &str, name: impl Fn(&str) -> String) -> Option<NameHint> {
    let prefix = format!("/components/{section}/");
    let key = ptr.as_str().strip_prefix(&prefix)?;
    let key = unescape_pointer_segment(key);
    Some(NameHint::Reused { name: name(&key), detail: format!("#/components/{section}/{key}") })
}

fn unescape_pointer_segment(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
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

fn string_format(f: &VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> StringFormat {
    match f {
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => StringFormat::DateTime,
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => StringFormat::Date,
        VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) => StringFormat::Binary,
        _ => StringFormat::Plain,
    }
}

fn dedup(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
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
