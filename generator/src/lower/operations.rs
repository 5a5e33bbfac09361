//! Operations: parameters, request bodies, responses and their examples, and security.

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{ReferenceOr, StatusCode};

use super::{rustdoc_safe, spec_text, SpecLowerer};
use crate::error::{Error, Result};
use crate::ir::*;
use crate::naming;
use crate::pointer::unescape;
use crate::pointer::{JsonPointer, Site};

/// Where an operation stands, and what it is made of.
#[derive(Clone)]
pub(super) struct OperationSource<'a> {
    pub(super) path: &'a str,
    pub(super) method: HttpMethod,
    pub(super) id: String,
    pub(super) op: &'a openapiv3::Operation,
    /// The parameters of its path item.
    pub(super) path_params: &'a [ReferenceOr<openapiv3::Parameter>],
    pub(super) ptr: JsonPointer,
}

/// Why lowering an operation stopped: the input is wrong (an error for the whole run, which
/// `?` brings from any [`Error`]), or the operation is skipped, with why.
pub(super) enum Stop {
    Error(Error),
    Skip(String),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Error(e)
    }
}

/// What lowering part of an operation gives, or why it stopped.
type Lowered<T> = std::result::Result<T, Stop>;

/// A request body, and the headers of its multipart parts as parameters.
type BodyAndPartHeaders = (Option<RequestBody>, Vec<Parameter>);

impl<'a> SpecLowerer<'a> {
    /// The operation `source` describes, or why it is skipped (or the input's error).
    pub(super) fn operation(&mut self, doc: &'a openapiv3::OpenAPI, source: OperationSource<'a>) -> Lowered<Operation> {
        let op_name = source.id.to_upper_camel_case();
        let mut parameters = self.parameters(&source, &op_name)?;
        let (body, part_headers) = self.request_body(&source, &op_name)?;
        parameters.extend(part_headers);
        let responses = self.responses(&source, &op_name)?;
        let OperationSource { path, method, id, op, ptr, .. } = source;
        let security = self.security(doc, op, &ptr);
        let mut operation = Operation {
            id,
            method,
            path: path.to_string(),
            site: self.user_site(&ptr),
            summary: spec_text(&op.summary),
            description: spec_text(&op.description),
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            parameters,
            body,
            responses,
            security,
            dropshot_pagination: op
                .extensions
                .get("x-dropshot-pagination")
                .is_some_and(|v| v != &serde_json::Value::Bool(false)),
        };
        for i in 0..operation.responses.len() {
            let sentinel = super::streams::documented_sentinel(self.ir, &operation, &operation.responses[i]);
            if let Some(stream) = operation.responses[i].stream.as_mut().filter(|s| s.framing == Framing::Sse) {
                stream.sentinel = sentinel;
            }
        }
        Ok(operation)
    }

    /// The parameters of the operation and of its path item (the operation's win), matched
    /// up with the path template. `Err`: why the operation is skipped.
    fn parameters(&mut self, source: &OperationSource<'a>, op_name: &str) -> Lowered<Vec<Parameter>> {
        let OperationSource { path, op, path_params, ref ptr, .. } = *source;
        let params = self.merged_parameters(op, path_params, ptr)?;
        let mut parameters = Vec::new();
        let mut param_sites = Vec::new();
        for ((name, _), (p, p_ptr)) in params {
            let data = p.parameter_data_ref();
            let (location, mut serialization) = serialization(p);
            let hint = reused_hint(&p_ptr, "parameters", naming::camel)
                .unwrap_or(NameHint::Parameter { operation: op_name.to_string(), name: name.clone() });
            let schema = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self.schema_ref(s, p_ptr.push("schema"), hint)?,
                openapiv3::ParameterSchemaOrContent::Content(content) => {
                    // The one media type the parameter is written in: JSON (its text is the
                    // value), or any other, whose schema is sent as the style says.
                    let Some((media_type, media)) = content.first() else {
                        return Err(Stop::Skip(format!(
                            "parameter `{name}` is given by a `content` with no media type"
                        )));
                    };
                    serialization.json = BodyEncoding::of(media_type) == BodyEncoding::Json;
                    let m_ptr = p_ptr.push("content").push(media_type);
                    match &media.schema {
                        Some(s) => self.schema_ref(s, m_ptr.push("schema"), hint)?,
                        None => self.push(Kind::Any, Docs::default(), &m_ptr, hint),
                    }
                }
            };
            param_sites.push(self.user_site(&p_ptr));
            parameters.push(Parameter {
                name,
                location,
                required: data.required || location == ParamLocation::Path,
                description: spec_text(&data.description),
                schema,
                serialization,
                part: None,
            });
        }
        self.match_path_template(path, &mut parameters, &param_sites, ptr, op_name);
        Ok(parameters)
    }

    /// The parameters of the path item and of the operation, by name and location: the
    /// operation's override the path item's.
    #[allow(clippy::type_complexity)]
    fn merged_parameters(
        &mut self,
        op: &'a openapiv3::Operation,
        path_params: &'a [ReferenceOr<openapiv3::Parameter>],
        ptr: &JsonPointer,
    ) -> Result<IndexMap<(String, &'static str), (&'a openapiv3::Parameter, JsonPointer)>> {
        let mut params = IndexMap::new();
        let item_ptr = ptr.parent();
        for (list, base) in [(path_params, item_ptr.push("parameters")), (&op.parameters[..], ptr.push("parameters"))] {
            for (i, p) in list.iter().enumerate() {
                let Some((p, p_ptr)) = self.resolve_parameter(p, base.push(i.to_string()))? else { continue };
                let loc = match p {
                    openapiv3::Parameter::Path { .. } => "path",
                    openapiv3::Parameter::Query { .. } => "query",
                    openapiv3::Parameter::Header { .. } => "header",
                    openapiv3::Parameter::Cookie { .. } => "cookie",
                };
                params.insert((p.parameter_data_ref().name.clone(), loc), (p, p_ptr));
            }
        }
        Ok(params)
    }

    /// Path parameters against the path template: one named one way in the path and another
    /// in `parameters` (a known defect of real specs) is matched up when it is the only one on
    /// each side; otherwise those the path cannot carry are left out, and a `{name}` nothing
    /// defines is sent as text, each with a warning.
    fn match_path_template(
        &mut self,
        path: &str,
        parameters: &mut Vec<Parameter>,
        param_sites: &[Site],
        ptr: &JsonPointer,
        op_name: &str,
    ) {
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
            (undefined, unused) => {
                // Nothing in the path can carry them: leave them out, loudly.
                for &index in unused.iter().rev() {
                    let p = parameters.remove(index);
                    self.ir.warnings.push(Warning {
                        site: param_sites[index].clone(),
                        message: format!("path parameter `{}` does not appear in the path; it is left out", p.name),
                    });
                }
                // A `{name}` of the path that `parameters` never defines is still sent, as text.
                for name in undefined {
                    self.warn(
                        ptr,
                        format!("path parameter `{name}` has no definition in `parameters`: it is taken as a string"),
                    );
                    let hint = NameHint::Parameter { operation: op_name.to_string(), name: name.to_string() };
                    let schema = self.push(Kind::String(StringFormat::Plain), Docs::default(), ptr, hint);
                    parameters.push(Parameter {
                        name: name.to_string(),
                        location: ParamLocation::Path,
                        required: true,
                        description: None,
                        schema,
                        serialization: Serialization::default_for(ParamLocation::Path),
                        part: None,
                    });
                }
            }
        }
    }

    /// The request body in the most structured content type the spec offers, and the headers
    /// its multipart parts take (`encoding.{part}.headers`, parameters the caller gives). `Err`:
    /// why the operation is skipped.
    fn request_body(&mut self, source: &OperationSource<'a>, op_name: &str) -> Lowered<BodyAndPartHeaders> {
        let OperationSource { path, method, op, ref ptr, .. } = *source;
        let mut part_headers = Vec::new();
        let resolved = match &op.request_body {
            Some(rb) => self.resolve_request_body(rb, ptr.push("requestBody"))?,
            None => None,
        };
        let body = match resolved {
            None => None,
            Some((rb, rb_ptr)) => {
                // The most structured content type the spec offers.
                let Some((content_type, media)) = rb.content.iter().min_by_key(|(ct, _)| BodyEncoding::of(ct)) else {
                    return Err(Stop::Skip("the request body lists no content type".into()));
                };
                let m_ptr = rb_ptr.push("content").push(content_type);
                let hint = reused_hint(&rb_ptr, "requestBodies", |k| format!("{}Request", naming::camel(k))).unwrap_or(
                    NameHint::RequestBody { operation: op_name.to_string(), method, path: path.to_string() },
                );
                let schema = match &media.schema {
                    Some(s) => self.schema_ref(s, m_ptr.push("schema"), hint)?,
                    None => self.push(Kind::Any, Docs::default(), &m_ptr, hint),
                };
                // An optional body that can hold nothing (an object with no properties and no
                // others allowed, as Stripe declares for its GETs) is no body: no argument.
                if !rb.required && media.schema.as_ref().is_some_and(|s| self.holds_nothing(s, &m_ptr)) {
                    return Ok((None, Vec::new()));
                }
                let encoding = BodyEncoding::of(content_type);
                let examples =
                    if encoding == BodyEncoding::Json { self.body_examples(media, &m_ptr, schema) } else { Vec::new() };
                let encoding_of = media.encoding.iter().map(|(name, e)| property_encoding(encoding, name, e)).collect();
                if encoding == BodyEncoding::Multipart {
                    for (part, e) in &media.encoding {
                        let e_ptr = m_ptr.push("encoding").push(part);
                        part_headers.extend(self.part_headers(part, e, &e_ptr, op_name)?);
                    }
                }
                // `*/*` says the server takes anything; the client sends JSON, and says so (a
                // wildcard is no content type a request can carry).
                let content_type =
                    if content_type.trim() == "*/*" { "application/json".to_string() } else { content_type.clone() };
                Some(RequestBody {
                    content_type,
                    encoding,
                    required: rb.required,
                    description: spec_text(&rb.description),
                    schema,
                    examples,
                    encoding_of,
                })
            }
        };

        Ok((body, part_headers))
    }

    /// The headers the spec gives the multipart part `part` (but `Content-Type`, which
    /// `contentType` says), each a parameter of the call.
    fn part_headers(
        &mut self,
        part: &str,
        e: &'a openapiv3::Encoding,
        e_ptr: &JsonPointer,
        op_name: &str,
    ) -> Result<Vec<Parameter>> {
        let mut parameters = Vec::new();
        for (name, header, h_ptr) in self.headers_of(&e.headers, e_ptr) {
            let hint = NameHint::Parameter { operation: op_name.to_string(), name: format!("{part} {name}") };
            let schema = match &header.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self.schema_ref(s, h_ptr.push("schema"), hint)?,
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.push(Kind::String(StringFormat::Plain), Docs::default(), &h_ptr, hint)
                }
            };
            // A header a part requires is required when the part is sent, and a part may be
            // optional: the call takes it as an optional setter, and its doc says so.
            let about = format!("A header of the part `{part}`");
            let required = if header.required { " (required when the part is sent)" } else { "" };
            let description = match &header.description {
                Some(d) => format!("{about}{required}: {}", rustdoc_safe(d)),
                None => format!("{about}{required}."),
            };
            parameters.push(Parameter {
                name: name.clone(),
                location: ParamLocation::PartHeader,
                required: false,
                description: Some(description),
                schema,
                serialization: Serialization::default_for(ParamLocation::Header),
                part: Some(part.to_string()),
            });
        }
        Ok(parameters)
    }

    /// Whether `schema` is an object that can hold nothing: no properties, and
    /// `additionalProperties: false`.
    fn holds_nothing(&mut self, schema: &'a openapiv3::ReferenceOr<openapiv3::Schema>, m_ptr: &JsonPointer) -> bool {
        use openapiv3::{AdditionalProperties, SchemaKind, Type};
        match self.resolve(schema, m_ptr.push("schema"), "schemas", |c| &c.schemas) {
            Ok((s, _)) => matches!(
                &s.schema_kind,
                SchemaKind::Type(Type::Object(o))
                    if o.properties.is_empty() && o.additional_properties == Some(AdditionalProperties::Any(false))
            ),
            Err(_) => false,
        }
    }

    /// The documented responses: exact statuses, ranges (`4XX`) and `default`.
    fn responses(&mut self, source: &OperationSource<'a>, op_name: &str) -> Result<Vec<Response>> {
        let OperationSource { path, method, op, ref ptr, .. } = *source;
        let mut responses = Vec::new();
        let r_ptr = ptr.push("responses");
        let mut documented: Vec<(Status, &'a ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .map(|(status, r)| match status {
                StatusCode::Code(code) => (Status::Code(*code), r),
                StatusCode::Range(digit) => (Status::Range(*digit), r),
            })
            .chain(op.responses.default.iter().map(|r| (Status::Default, r)))
            .collect();
        // Exact statuses, then ranges, then `default`: the order they are matched in.
        documented.sort_by_key(|(status, _)| status.precedence());
        for (status, r) in documented {
            let Some((r, s_ptr)) = self.resolve_response(r, r_ptr.push(status.to_string()))? else { continue };
            let mut examples = Vec::new();
            // A stream of events has a method of its own; the body `send` reads is the other
            // media type when there is one.
            let stream = if status.is_success() { self.event_stream(&r.content, &s_ptr, op_name)? } else { None };
            let plain = r.content.iter().filter(|(ct, _)| Framing::of(ct).is_none());
            let chosen = plain.min_by_key(|(ct, _)| BodyEncoding::of(ct));
            let body = match chosen.or_else(|| r.content.iter().min_by_key(|(ct, _)| BodyEncoding::of(ct))) {
                None => ResponseBody::None,
                Some((ct, media)) => match BodyEncoding::of(ct) {
                    BodyEncoding::Json => {
                        let hint = reused_hint(&s_ptr, "responses", |k| match k.parse::<u16>() {
                            Ok(status) => format!("{}Response", naming::status_variant(status)),
                            Err(_) => naming::camel(k),
                        })
                        .unwrap_or(NameHint::Response {
                            operation: op_name.to_string(),
                            status,
                            method,
                            path: path.to_string(),
                        });
                        let m_ptr = s_ptr.push("content").push(ct);
                        let schema = match &media.schema {
                            Some(s) => self.schema_ref(s, m_ptr.push("schema"), hint)?,
                            None => self.push(Kind::Any, Docs::default(), &m_ptr, hint),
                        };
                        examples = self.body_examples(media, &m_ptr, schema);
                        // A body that can only be `null` (Dropshot's empty responses) says
                        // nothing: none is read.
                        if self.ir.node(schema).kind == Kind::Null {
                            ResponseBody::None
                        } else {
                            ResponseBody::Json(schema)
                        }
                    }
                    BodyEncoding::Text => ResponseBody::Text,
                    _ => ResponseBody::Binary,
                },
            };
            let headers = self.response_headers(r, &s_ptr);
            let description = rustdoc_safe(&r.description);
            responses.push(Response { status, description, body, examples, headers, stream });
        }

        Ok(responses)
    }

    /// The headers of a response or a multipart part (`headers` under `ptr`) but
    /// `Content-Type`, which the media type says, each resolved, with its pointer; one that
    /// cannot be read is a warning.
    fn headers_of(
        &mut self,
        headers: &'a IndexMap<String, ReferenceOr<openapiv3::Header>>,
        ptr: &JsonPointer,
    ) -> Vec<(&'a String, &'a openapiv3::Header, JsonPointer)> {
        let mut read = Vec::new();
        for (name, header) in headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let h_ptr = ptr.push("headers").push(name);
            match self.resolve_present(header, h_ptr.clone(), "headers", |c| &c.headers, "the header is left out") {
                Ok(Some((header, _))) => read.push((name, header, h_ptr)),
                Ok(None) => {}
                Err(e) => self.warn(&h_ptr, format!("header not read: {e}")),
            }
        }
        read
    }

    /// The documented headers of a response, each read as the scalar its schema says.
    fn response_headers(&mut self, r: &'a openapiv3::Response, s_ptr: &JsonPointer) -> Vec<ResponseHeader> {
        use openapiv3::{ParameterSchemaOrContent, SchemaKind, Type};
        let mut headers = Vec::new();
        for (name, header, h_ptr) in self.headers_of(&r.headers, s_ptr) {
            let schema = match &header.format {
                ParameterSchemaOrContent::Schema(s) => {
                    self.resolve(s, h_ptr.push("schema"), "schemas", |c| &c.schemas).ok().map(|(s, _)| s)
                }
                ParameterSchemaOrContent::Content(_) => None,
            };
            let kind = match schema.map(|s| &s.schema_kind) {
                Some(SchemaKind::Type(Type::Integer(_))) => HeaderKind::Integer,
                Some(SchemaKind::Type(Type::Number(_))) => HeaderKind::Number,
                Some(SchemaKind::Type(Type::Boolean(_))) => HeaderKind::Boolean,
                _ => HeaderKind::Text,
            };
            headers.push(ResponseHeader { name: name.clone(), kind, description: spec_text(&header.description) });
        }
        headers
    }

    /// The operation's security requirements (its own, else the document's), each an
    /// alternative of schemes that go together. A scheme that `components.securitySchemes`
    /// does not define (a known defect of real specs: SailPoint's `bearerAuth`) is taken as an
    /// HTTP bearer scheme of that name, with a warning, since a token is what such specs' APIs
    /// take far more often than anything else.
    fn security(
        &mut self,
        doc: &'a openapiv3::OpenAPI,
        op: &'a openapiv3::Operation,
        ptr: &JsonPointer,
    ) -> Vec<Vec<String>> {
        let (security, sec_ptr) = match &op.security {
            Some(s) => (Some(s), ptr.push("security")),
            None => (doc.security.as_ref(), JsonPointer::root().push("security")),
        };
        let mut requirements = Vec::new();
        for (i, requirement) in security.into_iter().flatten().enumerate() {
            for scheme in requirement.keys() {
                if self.components.is_some_and(|c| c.security_schemes.contains_key(scheme)) {
                    continue;
                }
                self.warn(
                    &sec_ptr.push(i.to_string()).push(scheme),
                    format!(
                        "security scheme `{scheme}` is not defined in components.securitySchemes; it is taken \
                         as an HTTP bearer token (`Authorization: Bearer`)"
                    ),
                );
                if !self.undefined_schemes.contains(scheme) {
                    self.undefined_schemes.push(scheme.clone());
                }
            }
            requirements.push(requirement.keys().cloned().collect());
        }
        requirements
    }

    /// A JSON body's examples: its `example`, every entry of its `examples` (following `$ref`s
    /// into components.examples), or, when it has neither, its schema's `example`. An example
    /// that cannot be read is left out with a warning: examples never stop generation.
    pub(super) fn body_examples(
        &mut self,
        media: &'a openapiv3::MediaType,
        m_ptr: &JsonPointer,
        schema: NodeId,
    ) -> Vec<Example> {
        let mut found: Vec<(String, JsonPointer, &'a serde_json::Value)> = Vec::new();
        if let Some(value) = &media.example {
            found.push(("example".into(), m_ptr.push("example"), value));
        }
        for (name, example) in &media.examples {
            let e_ptr = m_ptr.push("examples").push(name);
            // A `$ref` to nothing is a defect of the spec, warned about whether or not
            // examples are read.
            let resolved =
                self.resolve_present(example, e_ptr.clone(), "examples", |c| &c.examples, "the example is left out");
            if !self.examples {
                continue;
            }
            match resolved {
                Ok(None) => {}
                Ok(Some((example, e_ptr))) => match &example.value {
                    Some(value) => found.push((name.clone(), e_ptr.push("value"), value)),
                    // Reading `externalValue` would mean fetching a URL or a file the user did
                    // not name.
                    None => self.warn(&e_ptr, "an example without a `value` (externalValue) is not read"),
                },
                Err(e) => self.warn(&e_ptr, format!("example not read: {e}")),
            }
        }
        if !self.examples {
            return Vec::new();
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
                Example { site: self.user_site(&ptr), name, json }
            })
            .collect()
    }
}

/// For an entry of `#/components/{section}`, a hint naming its schema from the entry's key:
/// a shared 401 response is an `UnauthorizedResponse`, not the first operation's error.
fn reused_hint(ptr: &JsonPointer, section: &str, name: impl Fn(&str) -> String) -> Option<NameHint> {
    let prefix = format!("/components/{section}/");
    let key = ptr.as_str().strip_prefix(&prefix)?;
    let key = unescape(key);
    Some(NameHint::Reused { name: name(&key), detail: format!("#/components/{section}/{key}") })
}

/// Where a parameter goes and how it is written: its `style` and `explode` as given, else
/// OpenAPI's defaults for its place.
fn serialization(p: &openapiv3::Parameter) -> (ParamLocation, Serialization) {
    use openapiv3::{Parameter as P, PathStyle};
    let (location, style, allow_reserved) = match p {
        P::Path { style, .. } => (
            ParamLocation::Path,
            match style {
                PathStyle::Simple => ParamStyle::Simple,
                PathStyle::Label => ParamStyle::Label,
                PathStyle::Matrix => ParamStyle::Matrix,
            },
            false,
        ),
        P::Query { style, allow_reserved, .. } => (ParamLocation::Query, query_style(style), *allow_reserved),
        P::Header { .. } => (ParamLocation::Header, ParamStyle::Simple, false),
        P::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form, false),
    };
    let explode = p.parameter_data_ref().explode.unwrap_or(style == ParamStyle::Form);
    (location, Serialization { style, explode, allow_reserved, json: false })
}

fn query_style(style: &openapiv3::QueryStyle) -> ParamStyle {
    match style {
        openapiv3::QueryStyle::Form => ParamStyle::Form,
        openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
    }
}

/// A property's entry of a media type's `encoding`: for a form body, its style (with `style`
/// absent, OpenAPI's default, `form` exploded: openapiv3 reads a missing `explode` as false);
/// for a multipart body, its part's content type (the first, when the spec lists several).
fn property_encoding(body: BodyEncoding, name: &str, e: &openapiv3::Encoding) -> PropertyEncoding {
    let serialization = (body == BodyEncoding::FormUrlEncoded).then(|| {
        let (style, explode) = match &e.style {
            Some(style) => (query_style(style), e.explode),
            None => (ParamStyle::Form, true),
        };
        Serialization { style, explode, allow_reserved: e.allow_reserved, json: false }
    });
    let content_type = (body == BodyEncoding::Multipart)
        .then(|| e.content_type.as_deref().and_then(|c| c.split(',').next()).map(|c| c.trim().to_string()))
        .flatten()
        .filter(|c| !c.is_empty());
    PropertyEncoding { name: name.to_string(), serialization, content_type }
}
