//! Which `$ref`s openapiv3 follows itself: a small map of OpenAPI's grammar, from a place in
//! the document to what it holds.

/// The component sections whose `$ref`s openapiv3 follows itself, where openapiv3 expects a
/// reference-or-item that is not a schema.
pub(crate) const SECTIONS: [&str; 8] =
    ["parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks", "securitySchemes"];

/// What a place in the document holds, as far as `$ref`s go: a small map of OpenAPI's grammar.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Place {
    /// An OpenAPI object that is no schema (operation, parameter, response, media type, ...),
    /// and the component section a `$ref` standing for it goes to where openapiv3 follows one.
    Other(Option<&'static str>),
    /// A map whose keys are names (paths, responses, content, headers, ...), of such objects.
    Names(Option<&'static str>),
    /// A list of such objects (`parameters`).
    List(Option<&'static str>),
    /// `components`: sections of named objects.
    Components,
    Schema,
    /// A map of names to schemas (`properties`, `components.schemas`).
    Schemas,
    /// A list of schemas (`allOf`, ...).
    SchemaList,
    Discriminator,
    /// `discriminator.mapping`: values are references, as strings.
    Mapping,
    /// Examples, defaults, enums, extensions: values, not OpenAPI.
    Data,
}

/// A place that holds an OpenAPI object which is no schema, and where openapiv3 follows no `$ref`.
pub(crate) const PLAIN_OBJECT: Place = Place::Other(None);

impl Place {
    pub(crate) fn child(self, key: &str) -> Place {
        if key.starts_with("x-") && !matches!(self, Place::Names(_) | Place::Schemas | Place::Components) {
            return Place::Data;
        }
        match self {
            Place::Other(_) => match key {
                "schema" | "itemSchema" => Place::Schema,
                "components" => Place::Components,
                "example" | "value" => Place::Data,
                "parameters" => Place::List(Some("parameters")),
                "requestBody" => Place::Other(Some("requestBodies")),
                "responses" => Place::Names(Some("responses")),
                "headers" => Place::Names(Some("headers")),
                "examples" => Place::Names(Some("examples")),
                "links" => Place::Names(Some("links")),
                "callbacks" => Place::Names(Some("callbacks")),
                "paths" | "content" | "encoding" | "variables" | "webhooks" => Place::Names(None),
                _ => PLAIN_OBJECT,
            },
            Place::Names(section) => Place::Other(section),
            Place::List(_) => PLAIN_OBJECT,
            Place::Components => match key {
                "schemas" => Place::Schemas,
                "parameters" | "responses" | "requestBodies" | "headers" | "examples" | "links" | "callbacks"
                | "securitySchemes" => Place::Names(SECTIONS.iter().find(|&&s| s == key).copied()),
                _ => Place::Names(None),
            },
            Place::Schema => match key {
                "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas" => Place::Schemas,
                "items"
                | "additionalProperties"
                | "not"
                | "contains"
                | "propertyNames"
                | "if"
                | "then"
                | "else"
                | "additionalItems"
                | "unevaluatedItems"
                | "unevaluatedProperties" => Place::Schema,
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => Place::SchemaList,
                "discriminator" => Place::Discriminator,
                _ => Place::Data,
            },
            Place::Schemas => Place::Schema,
            Place::Discriminator => match key {
                "mapping" => Place::Mapping,
                _ => Place::Data,
            },
            Place::SchemaList | Place::Mapping | Place::Data => Place::Data,
        }
    }

    /// What is left out when a `$ref` standing here leads nowhere the generator may go.
    pub(crate) fn left_out(self) -> &'static str {
        match self {
            Place::Other(Some("parameters")) => "the parameter is left out",
            Place::Other(Some("responses")) => "the status is left undocumented",
            Place::Other(Some("requestBodies")) => "the operation is sent without a body",
            Place::Other(Some("headers")) => "the header is left out",
            Place::Other(Some("examples")) => "the example is left out",
            _ => "it is left out",
        }
    }

    pub(crate) fn item(self) -> Place {
        match self {
            Place::List(section) => Place::Other(section),
            // `security`, `servers`, `tags`: lists of objects.
            Place::Other(_) => PLAIN_OBJECT,
            // `items` as a list (tuple validation).
            Place::Schema | Place::SchemaList => Place::Schema,
            _ => Place::Data,
        }
    }

    /// Whether openapiv3 follows a `$ref` here to `#/components/{section}/...` itself.
    pub(crate) fn follows(self, section: &str) -> bool {
        match self {
            Place::Schema => section == "schemas",
            Place::Other(Some(expected)) => section == expected,
            _ => false,
        }
    }

    /// Whether a `$ref` may stand here for what the place holds: a schema, an object, or a
    /// whole map of them (`content: {$ref: '#/components/x-media/Json'}`), which openapiv3
    /// never reads and bundling copies in.
    pub(crate) fn takes_refs(self) -> bool {
        matches!(self, Place::Schema | Place::Other(_) | Place::Names(_))
    }
}

/// `#/components/{section}/{name}` -> its section and (escaped) name, for a section openapiv3
/// follows.
pub(crate) fn component_of(reference: &str) -> Option<(&str, &str)> {
    let (section, name) = reference.strip_prefix("#/components/")?.split_once('/')?;
    (!name.is_empty() && !name.contains('/') && (section == "schemas" || SECTIONS.contains(&section)))
        .then_some((section, name))
}

/// Whether a `discriminator.mapping` value is a reference (`#/...`, `./a.yaml`), not a
/// schema's name.
pub(crate) fn is_reference(value: &str) -> bool {
    let (file_part, _) = value.split_once('#').unwrap_or((value, ""));
    value.starts_with('#') || [".yaml", ".yml", ".json"].iter().any(|e| file_part.to_ascii_lowercase().ends_with(e))
}
