//! A spec's JSON text (or JSON value) read straight into openapiv3's document, where serde's
//! own reading is slow, to the same document.
//!
//! openapiv3 reads schemas, parameters and every `$ref`-or-item place as untagged, internally
//! tagged or flattened: serde buffers each such node (and, a level down, copies it again)
//! before reading it, which makes reading a large spec three times as slow as parsing its
//! text. Here each of those places is read from the entries as they come, every plain value
//! (a string, a list of servers, `Info`) through its own serde reader, so a document that
//! reads is the document `OpenAPI::deserialize` makes (the tests compare the two on every
//! spec at hand and on every fixture changed one place at a time). A form this reader does
//! not take (a schema that is not an object, a parameter without a known `in`, a key given
//! twice) is an error, and callers then read the document with serde alone: odd forms cost
//! time, never a different document. Errors only say that; callers read again with the path
//! tracked for the message.

use indexmap::IndexMap;
use openapiv3::{
    Components, Example, Header, MediaType, OpenAPI, Operation, Parameter, ParameterData, ParameterSchemaOrContent,
    PathItem, Paths, ReferenceOr, RequestBody, Response, Responses, StatusCode,
};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess};
use serde::Deserialize;
use serde_json::Value;

use schema::SchemaB;
use seeds::{extension, once, required, Build, ListOf, MapOf, Object, Opt, RefOr};

mod schema;
mod seeds;
pub(super) mod yaml;

pub(crate) use yaml::openapi_from_yaml;
#[cfg(test)]
mod tests;

/// The document of a JSON text.
pub(crate) fn openapi_from_str(text: &str) -> serde_json::Result<OpenAPI> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc = Object::<Doc>::default().deserialize(&mut de)?;
    de.end()?;
    Ok(doc)
}

/// The document of a JSON value.
pub(crate) fn openapi(value: Value) -> serde_json::Result<OpenAPI> {
    Object::<Doc>::default().deserialize(value)
}

#[derive(Default)]
struct Doc {
    doc: OpenAPI,
    seen: u64,
    openapi: Option<String>,
    info: Option<openapiv3::Info>,
    paths: Option<Paths>,
}

impl Doc {
    /// Two parts of one document read apart, the first first: a field in both is an error,
    /// as it is when the document is read whole.
    fn merge<E: de::Error>(self, later: Doc) -> Result<Doc, E> {
        let repeated =
            self.seen & later.seen != 0 || later.doc.extensions.keys().any(|key| self.doc.extensions.contains_key(key));
        if repeated {
            return Err(E::custom("a field given twice"));
        }
        // Each field was read by one part at most: the other holds its default.
        let (first, second) = (self.doc, later.doc);
        fn either<T>(a: Vec<T>, b: Vec<T>) -> Vec<T> {
            if a.is_empty() {
                b
            } else {
                a
            }
        }
        let mut extensions = first.extensions;
        extensions.extend(second.extensions);
        let doc = OpenAPI {
            servers: either(first.servers, second.servers),
            components: first.components.or(second.components),
            security: first.security.or(second.security),
            tags: either(first.tags, second.tags),
            external_docs: first.external_docs.or(second.external_docs),
            extensions,
            ..OpenAPI::default()
        };
        Ok(Doc {
            doc,
            seen: self.seen | later.seen,
            openapi: self.openapi.or(later.openapi),
            info: self.info.or(later.info),
            paths: self.paths.or(later.paths),
        })
    }
}

impl Build for Doc {
    type Out = OpenAPI;
    const WHAT: &'static str = "an OpenAPI document";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let doc = &mut self.doc;
        let bit = match key.as_str() {
            "openapi" => 0,
            "info" => 1,
            "servers" => 2,
            "paths" => 3,
            "components" => 4,
            "security" => 5,
            "tags" => 6,
            "externalDocs" => 7,
            _ => return extension(&mut doc.extensions, key, map),
        };
        once(&mut self.seen, bit)?;
        match bit {
            0 => self.openapi = Some(map.next_value()?),
            1 => self.info = Some(map.next_value()?),
            2 => doc.servers = map.next_value()?,
            3 => self.paths = Some(map.next_value_seed(Object::<PathsB>::default())?),
            4 => doc.components = map.next_value_seed(Opt(Object::<ComponentsB>::default()))?,
            5 => doc.security = map.next_value()?,
            6 => doc.tags = map.next_value()?,
            _ => doc.external_docs = map.next_value()?,
        }
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<OpenAPI, E> {
        Ok(OpenAPI {
            openapi: required(self.openapi, "openapi")?,
            info: required(self.info, "info")?,
            paths: required(self.paths, "paths")?,
            ..self.doc
        })
    }
}

#[derive(Default)]
struct PathsB(Paths);

impl Build for PathsB {
    type Out = Paths;
    const WHAT: &'static str = "paths";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        if !key.starts_with('/') {
            return extension(&mut self.0.extensions, key, map);
        }
        if self.0.paths.contains_key(&key) {
            return Err(de::Error::custom("a path given twice"));
        }
        let item = map.next_value_seed(RefOr::<PathItemB>::default())?;
        self.0.paths.insert(key, item);
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<Paths, E> {
        Ok(self.0)
    }
}

#[derive(Default)]
struct PathItemB(PathItem, u64);

impl Build for PathItemB {
    type Out = PathItem;
    const WHAT: &'static str = "a path item";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let item = &mut self.0;
        let (bit, slot) = match key.as_str() {
            "get" => (0, &mut item.get),
            "put" => (1, &mut item.put),
            "post" => (2, &mut item.post),
            "delete" => (3, &mut item.delete),
            "options" => (4, &mut item.options),
            "head" => (5, &mut item.head),
            "patch" => (6, &mut item.patch),
            "trace" => (7, &mut item.trace),
            "summary" => return once(&mut self.1, 8).and_then(|()| map.next_value().map(|v| item.summary = v)),
            "description" => return once(&mut self.1, 9).and_then(|()| map.next_value().map(|v| item.description = v)),
            "servers" => return once(&mut self.1, 10).and_then(|()| map.next_value().map(|v| item.servers = v)),
            "parameters" => {
                once(&mut self.1, 11)?;
                item.parameters = map.next_value_seed(ListOf(RefOr::<ParameterB>::default()))?;
                return Ok(());
            }
            _ => return extension(&mut item.extensions, key, map),
        };
        once(&mut self.1, bit)?;
        *slot = map.next_value_seed(Opt(Object::<OperationB>::default()))?;
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<PathItem, E> {
        Ok(self.0)
    }
}

#[derive(Default)]
struct OperationB(Operation, u64, Option<Responses>);

impl Build for OperationB {
    type Out = Operation;
    const WHAT: &'static str = "an operation";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let op = &mut self.0;
        let bit = match key.as_str() {
            "tags" => 0,
            "summary" => 1,
            "description" => 2,
            "externalDocs" => 3,
            "operationId" => 4,
            "parameters" => 5,
            "requestBody" => 6,
            "responses" => 7,
            "callbacks" => 8,
            "deprecated" => 9,
            "security" => 10,
            "servers" => 11,
            _ => return extension(&mut op.extensions, key, map),
        };
        once(&mut self.1, bit)?;
        match bit {
            0 => op.tags = map.next_value()?,
            1 => op.summary = map.next_value()?,
            2 => op.description = map.next_value()?,
            3 => op.external_docs = map.next_value()?,
            4 => op.operation_id = map.next_value()?,
            5 => op.parameters = map.next_value_seed(ListOf(RefOr::<ParameterB>::default()))?,
            6 => op.request_body = map.next_value_seed(Opt(RefOr::<RequestBodyB>::default()))?,
            7 => self.2 = Some(map.next_value_seed(Object::<ResponsesB>::default())?),
            8 => op.callbacks = map.next_value()?,
            9 => op.deprecated = map.next_value()?,
            10 => op.security = map.next_value()?,
            _ => op.servers = map.next_value()?,
        }
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<Operation, E> {
        Ok(Operation { responses: required(self.2, "responses")?, ..self.0 })
    }
}

#[derive(Default)]
struct ResponsesB(Responses, u64);

impl Build for ResponsesB {
    type Out = Responses;
    const WHAT: &'static str = "responses";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        if key == "default" {
            once(&mut self.1, 0)?;
            self.0.default = map.next_value_seed(Opt(RefOr::<ResponseB>::default()))?;
            return Ok(());
        }
        if key.starts_with("x-") {
            return extension(&mut self.0.extensions, key, map);
        }
        // Any other key that reads as a status is one; openapiv3 skips those that do not (no
        // `x-` key reads as one).
        match StatusCode::deserialize(de::value::StrDeserializer::<de::value::Error>::new(&key)) {
            Ok(status) if self.0.responses.contains_key(&status) => Err(de::Error::custom("a status given twice")),
            Ok(status) => {
                let response = map.next_value_seed(RefOr::<ResponseB>::default())?;
                self.0.responses.insert(status, response);
                Ok(())
            }
            Err(_) => map.next_value::<IgnoredAny>().map(|_| ()),
        }
    }
    fn finish<E: de::Error>(self) -> Result<Responses, E> {
        Ok(self.0)
    }
}

#[derive(Default)]
struct ResponseB(Response, u64, Option<String>);

impl Build for ResponseB {
    type Out = Response;
    const WHAT: &'static str = "a response";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let response = &mut self.0;
        let bit = match key.as_str() {
            "description" => 0,
            "headers" => 1,
            "content" => 2,
            "links" => 3,
            _ => return extension(&mut response.extensions, key, map),
        };
        once(&mut self.1, bit)?;
        match bit {
            0 => self.2 = Some(map.next_value()?),
            1 => response.headers = map.next_value_seed(MapOf(RefOr::<HeaderB>::default()))?,
            2 => response.content = map.next_value_seed(MapOf(Object::<MediaTypeB>::default()))?,
            _ => response.links = map.next_value()?,
        }
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<Response, E> {
        Ok(Response { description: required(self.2, "description")?, ..self.0 })
    }
}

#[derive(Default)]
struct RequestBodyB(RequestBody, u64);

impl Build for RequestBodyB {
    type Out = RequestBody;
    const WHAT: &'static str = "a request body";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let body = &mut self.0;
        let bit = match key.as_str() {
            "description" => 0,
            "content" => 1,
            "required" => 2,
            _ => return extension(&mut body.extensions, key, map),
        };
        once(&mut self.1, bit)?;
        match bit {
            0 => body.description = map.next_value()?,
            1 => body.content = map.next_value_seed(MapOf(Object::<MediaTypeB>::default()))?,
            _ => body.required = map.next_value()?,
        }
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<RequestBody, E> {
        Ok(self.0)
    }
}

#[derive(Default)]
struct MediaTypeB(MediaType, u64);

impl Build for MediaTypeB {
    type Out = MediaType;
    const WHAT: &'static str = "a media type";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let media = &mut self.0;
        let bit = match key.as_str() {
            "schema" => 0,
            "example" => 1,
            "examples" => 2,
            "encoding" => 3,
            _ => return extension(&mut media.extensions, key, map),
        };
        once(&mut self.1, bit)?;
        match bit {
            0 => media.schema = map.next_value_seed(Opt(RefOr::<SchemaB>::default()))?,
            1 => media.example = map.next_value()?,
            2 => media.examples = map.next_value_seed(MapOf(RefOr::<ExampleB>::default()))?,
            _ => media.encoding = map.next_value()?,
        }
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<MediaType, E> {
        Ok(self.0)
    }
}

#[derive(Default)]
struct ExampleB(Example, u64);

impl Build for ExampleB {
    type Out = Example;
    const WHAT: &'static str = "an example";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let example = &mut self.0;
        let bit = match key.as_str() {
            "summary" => 0,
            "description" => 1,
            "value" => 2,
            "externalValue" => 3,
            _ => return extension(&mut example.extensions, key, map),
        };
        once(&mut self.1, bit)?;
        match bit {
            0 => example.summary = map.next_value()?,
            1 => example.description = map.next_value()?,
            2 => example.value = map.next_value()?,
            _ => example.external_value = map.next_value()?,
        }
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<Example, E> {
        Ok(self.0)
    }
}

#[derive(Default)]
struct ComponentsB(Components, u64);

impl Build for ComponentsB {
    type Out = Components;
    const WHAT: &'static str = "components";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let c = &mut self.0;
        let bit = match key.as_str() {
            "schemas" => 0,
            "responses" => 1,
            "parameters" => 2,
            "examples" => 3,
            "requestBodies" => 4,
            "headers" => 5,
            "securitySchemes" => 6,
            "links" => 7,
            "callbacks" => 8,
            _ => return extension(&mut c.extensions, key, map),
        };
        once(&mut self.1, bit)?;
        match bit {
            0 => c.schemas = map.next_value_seed(MapOf(RefOr::<SchemaB>::default()))?,
            1 => c.responses = map.next_value_seed(MapOf(RefOr::<ResponseB>::default()))?,
            2 => c.parameters = map.next_value_seed(MapOf(RefOr::<ParameterB>::default()))?,
            3 => c.examples = map.next_value_seed(MapOf(RefOr::<ExampleB>::default()))?,
            4 => c.request_bodies = map.next_value_seed(MapOf(RefOr::<RequestBodyB>::default()))?,
            5 => c.headers = map.next_value_seed(MapOf(RefOr::<HeaderB>::default()))?,
            6 => c.security_schemes = map.next_value()?,
            7 => c.links = map.next_value()?,
            _ => c.callbacks = map.next_value()?,
        }
        Ok(())
    }
    fn finish<E: de::Error>(self) -> Result<Components, E> {
        Ok(self.0)
    }
}

/// What a parameter and a header share, and the fields only some parameters have, kept as
/// they come: which of them a parameter reads depends on its `in`, which may come last.
#[derive(Default)]
struct Described {
    seen: u64,
    name: Option<String>,
    location: Option<String>,
    description: Option<String>,
    required: bool,
    deprecated: Option<bool>,
    /// The first of `schema` and `content`, as serde's flattened enum takes it.
    format: Option<ParameterSchemaOrContent>,
    example: Option<Value>,
    examples: IndexMap<String, ReferenceOr<Example>>,
    explode: Option<Value>,
    style: Option<Value>,
    allow_reserved: Option<Value>,
    allow_empty_value: Option<Value>,
    extensions: IndexMap<String, Value>,
}

impl Described {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A, header: bool) -> Result<(), A::Error> {
        let bit = match key.as_str() {
            // A header has neither a name nor an `in`: unknown keys there, skipped.
            "name" | "in" if header => return map.next_value::<IgnoredAny>().map(|_| ()),
            "name" => 0,
            "in" => 1,
            "description" => 2,
            "required" => 3,
            "deprecated" => 4,
            "schema" => 5,
            "content" => 6,
            "example" => 7,
            "examples" => 8,
            "explode" => 9,
            "style" => 10,
            "allowReserved" => 11,
            "allowEmptyValue" => 12,
            _ => return extension(&mut self.extensions, key, map),
        };
        once(&mut self.seen, bit)?;
        if (bit == 5 || bit == 6) && self.format.is_some() {
            return map.next_value::<IgnoredAny>().map(|_| ());
        }
        match bit {
            0 => self.name = Some(map.next_value()?),
            1 => self.location = Some(map.next_value()?),
            2 => self.description = map.next_value()?,
            3 => self.required = map.next_value()?,
            4 => self.deprecated = map.next_value()?,
            5 => {
                let schema = map.next_value_seed(RefOr::<SchemaB>::default())?;
                self.format = Some(ParameterSchemaOrContent::Schema(schema));
            }
            6 => {
                let content = map.next_value_seed(MapOf(Object::<MediaTypeB>::default()))?;
                self.format = Some(ParameterSchemaOrContent::Content(content));
            }
            7 => self.example = map.next_value()?,
            8 => self.examples = map.next_value_seed(MapOf(RefOr::<ExampleB>::default()))?,
            9 => self.explode = Some(map.next_value()?),
            10 => self.style = Some(map.next_value()?),
            11 => self.allow_reserved = Some(map.next_value()?),
            _ => self.allow_empty_value = Some(map.next_value()?),
        }
        Ok(())
    }

    fn format<E: de::Error>(&mut self) -> Result<ParameterSchemaOrContent, E> {
        self.format.take().ok_or_else(|| E::custom("neither `schema` nor `content`"))
    }
}

/// A kept value read as `T` by serde, or `T`'s default when there is none.
fn kept<T: DeserializeOwned + Default, E: de::Error>(value: Option<Value>) -> Result<T, E> {
    value.map_or_else(|| Ok(T::default()), |v| T::deserialize(v).map_err(E::custom))
}

#[derive(Default)]
struct ParameterB(Described);

impl Build for ParameterB {
    type Out = Parameter;
    const WHAT: &'static str = "a parameter";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        self.0.field(key, map, false)
    }
    fn finish<E: de::Error>(self) -> Result<Parameter, E> {
        let mut d = self.0;
        let location = required(d.location.take(), "in")?;
        let parameter_data = ParameterData {
            name: required(d.name.take(), "name")?,
            description: d.description.take(),
            required: d.required,
            deprecated: d.deprecated,
            format: d.format()?,
            example: d.example.take(),
            examples: std::mem::take(&mut d.examples),
            explode: kept::<Option<bool>, E>(d.explode.take())?,
            extensions: std::mem::take(&mut d.extensions),
        };
        Ok(match location.as_str() {
            "query" => Parameter::Query {
                parameter_data,
                allow_reserved: kept(d.allow_reserved)?,
                style: kept(d.style)?,
                allow_empty_value: kept(d.allow_empty_value)?,
            },
            "header" => Parameter::Header { parameter_data, style: kept(d.style)? },
            "path" => Parameter::Path { parameter_data, style: kept(d.style)? },
            "cookie" => Parameter::Cookie { parameter_data, style: kept(d.style)? },
            _ => return Err(E::custom("an unknown `in`")),
        })
    }
}

#[derive(Default)]
struct HeaderB(Described);

impl Build for HeaderB {
    type Out = Header;
    const WHAT: &'static str = "a header";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        match key.as_str() {
            // Parameters' own fields are unknown keys of a header, skipped.
            "explode" | "allowReserved" | "allowEmptyValue" => map.next_value::<IgnoredAny>().map(|_| ()),
            _ => self.0.field(key, map, true),
        }
    }
    fn finish<E: de::Error>(self) -> Result<Header, E> {
        let mut d = self.0;
        Ok(Header {
            description: d.description.take(),
            style: kept(d.style.take())?,
            required: d.required,
            deprecated: d.deprecated,
            format: d.format()?,
            example: d.example.take(),
            examples: std::mem::take(&mut d.examples),
            extensions: std::mem::take(&mut d.extensions),
        })
    }
}
