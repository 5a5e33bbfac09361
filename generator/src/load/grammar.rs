//! Which `$ref`s openapiv3 follows itself: a small map of OpenAPI's grammar, from a place in
//! the document to what it holds.

/// The component sections whose `$ref`s openapiv3 follows itself, where openapiv3 expects a
/// reference-or-item that is not a schema.
pub(crate) const SECTIONS: [&str; 8] =
    ["parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks", "securitySchemes"];

/// What a place in the document holds, as far as `$ref`s go: a small map of OpenAPI's grammar.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum At {
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
pub(crate) const OTHER: At = At::Other(None);

impl At {
    pub(crate) fn child(self, key: &str) -> At {
        if key.starts_with("x-") && !matches!(self, At::Names(_) | At::Schemas | At::Components) {
            return At::Data;
        }
        match self {
            At::Other(_) => match key {
                "schema" => At::Schema,
                "components" => At::Components,
                "example" | "value" => At::Data,
                "parameters" => At::List(Some("parameters")),
                "requestBody" => At::Other(Some("requestBodies")),
                "responses" => At::Names(Some("responses")),
                "headers" => At::Names(Some("headers")),
                "examples" => At::Names(Some("examples")),
                "links" => At::Names(Some("links")),
                "callbacks" => At::Names(Some("callbacks")),
                "paths" | "content" | "encoding" | "variables" | "webhooks" => At::Names(None),
                _ => OTHER,
            },
            At::Names(section) => At::Other(section),
            At::List(_) => OTHER,
            At::Components => match key {
                "schemas" => At::Schemas,
                "parameters" | "responses" | "requestBodies" | "headers" | "examples" | "links" | "callbacks"
                | "securitySchemes" => At::Names(SECTIONS.iter().find(|&&s| s == key).copied()),
                _ => At::Names(None),
            },
            At::Schema => match key {
                "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas" => At::Schemas,
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
                | "unevaluatedProperties" => At::Schema,
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => At::SchemaList,
                "discriminator" => At::Discriminator,
                _ => At::Data,
            },
            At::Schemas => At::Schema,
            At::Discriminator => match key {
                "mapping" => At::Mapping,
                _ => At::Data,
            },
            At::SchemaList | At::Mapping | At::Data => At::Data,
        }
    }

    pub(crate) fn item(self) -> At {
        match self {
            At::List(section) => At::Other(section),
            // `security`, `servers`, `tags`: lists of objects.
            At::Other(_) => OTHER,
            // `items` as a list (tuple validation).
            At::Schema | At::SchemaList => At::Schema,
            _ => At::Data,
        }
    }

    /// Whether openapiv3 follows a `$ref` here to `#/components/{section}/...` itself.
    pub(crate) fn follows(self, section: &str) -> bool {
        match self {
            At::Schema => section == "schemas",
            At::Other(Some(expected)) => section == expected,
            _ => false,
        }
    }

    pub(crate) fn takes_refs(self) -> bool {
        matches!(self, At::Schema | At::Other(_))
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
