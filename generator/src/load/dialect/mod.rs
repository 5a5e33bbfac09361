//! Stage 1b, dialect: an OpenAPI 3.1 or 3.2 document (JSON Schema 2020-12 schemas) into the
//! 3.0 forms the rest of the pipeline reads, on its JSON form, after bundling.
//!
//! Why a translation and not a second reader: openapiv3 models 3.0 well, and every later stage
//! already understands its forms. For a client's types most of what 3.1 changed is spelling
//! (`type: [T, "null"]` is `nullable`, `const` a one-value `enum`, a numeric
//! `exclusiveMinimum` a bound); what has no 3.0 form becomes the nearest honest one, with a
//! warning at the pointer the user wrote. One place knows 3.1, and it cannot drift from the
//! reader of 3.0, which stays the only one.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::load::grammar::{Place, PLAIN_OBJECT};
use crate::load::repair::Repairs;
use crate::pointer::JsonPointer;
use schema::*;

mod schema;

/// The OpenAPI version a document declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V30,
    V31,
    V32,
}

/// The version `doc` declares; Swagger 2.0, other versions and non-OpenAPI documents are
/// refused before they are read into types, which would accept much of them wrongly.
pub fn version(path: &Path, doc: &Value) -> Result<Version> {
    let invalid = |pointer: JsonPointer, message: String| Error::Invalid { file: path.to_path_buf(), pointer, message };
    const SUPPORTED: &str = "OpenAPI 3.0, 3.1 and 3.2 are read";
    match (doc.get("openapi"), doc.get("swagger")) {
        (Some(Value::String(v)), _) => parse_version(v).ok_or_else(|| {
            invalid(JsonPointer::root().push("openapi"), format!("OpenAPI version {v} is not supported: {SUPPORTED}"))
        }),
        (Some(v), _) => Err(invalid(
            JsonPointer::root().push("openapi"),
            format!("`openapi` is {v}, not a version string such as \"3.1.0\""),
        )),
        (None, Some(v)) => Err(invalid(
            JsonPointer::root().push("swagger"),
            format!("Swagger {v} is not supported: convert the document to OpenAPI 3.0, 3.1 or 3.2"),
        )),
        (None, None) => Err(invalid(
            JsonPointer::root(),
            format!("not an OpenAPI document: there is no `openapi` field ({SUPPORTED})"),
        )),
    }
}

/// The version an `openapi` field names (`3.1.0` -> 3.1), if it is one read here.
pub fn parse_version(openapi: &str) -> Option<Version> {
    let mut parts = openapi.split('.');
    match (parts.next(), parts.next()) {
        (Some("3"), Some("0")) => Some(Version::V30),
        (Some("3"), Some("1")) => Some(Version::V31),
        (Some("3"), Some("2")) => Some(Version::V32),
        _ => None,
    }
}

/// Where a document's `webhooks` (3.1) are kept once it reads as 3.0.
pub const WEBHOOKS: &str = "x-sdkgen-webhooks";

/// What is translated, by where the document comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A document that declares this version.
    Document(Version),
    /// Operations from documentation pages: they declare no version, and their schemas may be
    /// written in either dialect. The 3.1 forms are translated; 3.0 forms stay as they are.
    Pages,
}

/// Translates `doc` from `source` into OpenAPI 3.0 forms; the warnings say what had no 3.0
/// form and what became of it.
pub fn translate(doc: &mut Value, source: Source) -> Repairs {
    let mut t = Translator { source, warnings: Vec::new(), old_forms: BTreeMap::new() };
    match source {
        Source::Document(Version::V30) => return Vec::new(),
        Source::Document(version) => t.document(doc, version),
        Source::Pages => {}
    }
    t.walk(doc, PLAIN_OBJECT, &JsonPointer::root());
    // 3.0 has no `webhooks`: openapiv3 keeps them as an extension, which `load` takes out.
    if let Value::Object(root) = doc {
        if let Some(hooks) = root.remove("webhooks") {
            root.insert(WEBHOOKS.into(), hooks);
        }
    }
    for (keyword, (count, first)) in std::mem::take(&mut t.old_forms) {
        t.warnings.push((
            first,
            format!(
                "{keyword} is OpenAPI 3.0, not 3.1 ({count} schema{}, the first here): read as OpenAPI 3.0 reads it",
                if count == 1 { "" } else { "s" }
            ),
        ));
    }
    t.warnings
}

struct Translator {
    source: Source,
    warnings: Repairs,
    /// 3.0 keywords a 3.1 document still uses: how many schemas, and the first.
    old_forms: BTreeMap<&'static str, (usize, JsonPointer)>,
}

impl Translator {
    fn warn(&mut self, at: &JsonPointer, message: impl Into<String>) {
        self.warnings.push((at.clone(), message.into()));
    }

    /// What the document itself gained or changed outside its schemas.
    fn document(&mut self, doc: &mut Value, version: Version) {
        let Value::Object(root) = doc else { return };
        let at = JsonPointer::root();
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        if let Some(dialect) = root.remove("jsonSchemaDialect") {
            let known =
                ["https://spec.openapis.org/oas/3.1/dialect/base", "https://json-schema.org/draft/2020-12/schema"];
            if !dialect.as_str().is_some_and(|d| known.iter().any(|k| d.trim_end_matches('#') == *k)) {
                self.warn(
                    &at.push("jsonSchemaDialect"),
                    format!("schema dialect {dialect} is not JSON Schema 2020-12: its schemas are read as 2020-12"),
                );
            }
        }
        // Path items in `components` were copied where they are used (see `bundle`).
        if let Some(Value::Object(components)) = root.get_mut("components") {
            components.remove("pathItems");
            if version == Version::V32 {
                components.remove("mediaTypes");
            }
        }
        root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
        root.remove("$self");
        if version == Version::V32 {
            self.openapi32_operations(root);
        }
    }

    /// OpenAPI 3.2's new ways to call: the `QUERY` method, operations under other methods, and
    /// a whole query string as one parameter. None is modelled: each such operation is left out
    /// with a warning.
    fn openapi32_operations(&mut self, root: &mut Map<String, Value>) {
        let Some(Value::Object(paths)) = root.get_mut("paths") else { return };
        const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let at = JsonPointer::root().push("paths").push(path);
            for key in ["query", "additionalOperations"] {
                if item.remove(key).is_some() {
                    self.warn(&at.push(key), format!("`{key}` (OpenAPI 3.2) is not supported: left out"));
                }
            }
            let whole_query = |params: Option<&Value>| {
                params
                    .and_then(Value::as_array)
                    .is_some_and(|ps| ps.iter().any(|p| p.get("in") == Some(&json!("querystring"))))
            };
            if whole_query(item.get("parameters")) {
                item.retain(|k, _| !METHODS.contains(&k.as_str()));
                item.remove("parameters");
                self.warn(
                    &at.push("parameters"),
                    "a `querystring` parameter (OpenAPI 3.2) is not supported: the path's operations are left out",
                );
            }
            for method in METHODS {
                if whole_query(item.get(method).and_then(|op| op.get("parameters"))) {
                    item.remove(method);
                    self.warn(
                        &at.push(method).push("parameters"),
                        "a `querystring` parameter (OpenAPI 3.2) is not supported: the operation is left out",
                    );
                }
            }
        }
    }

    /// Walks the document's OpenAPI objects to its schemas.
    fn walk(&mut self, value: &mut Value, at: Place, ptr: &JsonPointer) {
        match at {
            Place::Schema => return self.schema(value, ptr),
            Place::Data | Place::Mapping | Place::Discriminator => return,
            _ => {}
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    self.walk(child, at.child(key), &ptr.push(key));
                }
                // A stream's items (3.2) are what 3.0 and 3.1 specs give as the `schema` of
                // a stream's media type, which is how lowering reads a stream.
                if let (Place::Other(_), Source::Document(Version::V32)) = (at, self.source) {
                    if let Some(items) = map.remove("itemSchema") {
                        map.insert("schema".into(), items);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.walk(child, at.item(), &ptr.push(i.to_string()));
                }
            }
            _ => {}
        }
    }

    /// One schema, its subschemas first.
    fn schema(&mut self, value: &mut Value, ptr: &JsonPointer) {
        // A boolean schema: `true` is any value; `false` none, which only a `not` says in 3.0.
        if let Value::Bool(any) = *value {
            *value = if any { json!({}) } else { json!({ "not": {} }) };
            return;
        }
        let Value::Object(map) = value else { return };
        if self.source != Source::Pages {
            self.note_old_forms(map, ptr);
        }
        self.null_variants(map);
        // A property that is `false` can never be present.
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            let never: Vec<String> =
                properties.iter().filter(|(_, v)| **v == Value::Bool(false)).map(|(k, _)| k.clone()).collect();
            properties.retain(|k, _| !never.contains(k));
            if let Some(Value::Array(required)) = map.get_mut("required") {
                required.retain(|r| !r.as_str().is_some_and(|r| never.iter().any(|n| n == r)));
            }
        }
        for (key, child) in map.iter_mut() {
            let at = ptr.push(key);
            match Place::Schema.child(key) {
                // `additionalProperties: false` says the same in 3.0.
                Place::Schema
                    if child.is_boolean()
                        && matches!(key.as_str(), "additionalProperties" | "unevaluatedProperties") => {}
                Place::Schema => self.schema(child, &at),
                Place::Schemas => {
                    if let Value::Object(schemas) = child {
                        for (name, s) in schemas.iter_mut() {
                            self.schema(s, &at.push(name));
                        }
                    }
                }
                Place::SchemaList => {
                    if let Value::Array(schemas) = child {
                        for (i, s) in schemas.iter_mut().enumerate() {
                            self.schema(s, &at.push(i.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
        self.keywords(map, ptr);
    }

    /// 3.0 keywords in a 3.1 schema, noted (they are read as 3.0 reads them).
    fn note_old_forms(&mut self, map: &Map<String, Value>, ptr: &JsonPointer) {
        let mut note = |keyword: &'static str| {
            let entry = self.old_forms.entry(keyword).or_insert((0, ptr.push(keyword.trim_matches('`'))));
            entry.0 += 1;
        };
        if map.get("nullable").is_some_and(Value::is_boolean) {
            note("`nullable`");
        }
        if map.get("exclusiveMinimum").is_some_and(Value::is_boolean) {
            note("`exclusiveMinimum`");
        }
        if map.get("exclusiveMaximum").is_some_and(Value::is_boolean) {
            note("`exclusiveMaximum`");
        }
    }

    /// `anyOf`/`oneOf` with a `null` variant: the union without it, nullable; a union of one
    /// left is that one.
    fn null_variants(&mut self, map: &mut Map<String, Value>) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(variants)) = map.get_mut(key) else { continue };
            let before = variants.len();
            variants.retain(|v| !is_null_only(v));
            if variants.len() == before {
                continue;
            }
            map.insert("nullable".into(), Value::Bool(true));
            let Some(Value::Array(variants)) = map.get_mut(key) else { continue };
            if variants.is_empty() {
                map.remove(key);
                map.insert("type".into(), json!("null"));
            } else if variants.len() == 1 && !map.contains_key("discriminator") {
                let Some(Value::Array(mut variants)) = map.remove(key) else { continue };
                let only = variants.remove(0);
                merge_or_wrap(map, only);
            }
        }
    }

    /// The schema's own keywords, its subschemas already translated.
    fn keywords(&mut self, map: &mut Map<String, Value>, ptr: &JsonPointer) {
        if let Some(value) = map.remove("const") {
            map.insert("enum".into(), Value::Array(vec![value]));
        }
        let mut nullable = false;
        let mut null_only = false;
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            if values.iter().any(Value::is_null) {
                values.retain(|v| !v.is_null());
                nullable = true;
                if values.is_empty() {
                    map.remove("enum");
                    null_only = true;
                }
            }
        }
        match map.remove("examples") {
            Some(Value::Array(mut examples)) if !examples.is_empty() => {
                map.entry("example").or_insert_with(|| examples.swap_remove(0));
            }
            Some(Value::Array(_)) | None => {}
            Some(_) => self.warn(&ptr.push("examples"), "`examples` in a schema is a list: left out"),
        }
        for (exclusive, bound, is_stricter) in [
            (
                "exclusiveMinimum",
                "minimum",
                (|inclusive: f64, exclusive: f64| inclusive > exclusive) as fn(f64, f64) -> bool,
            ),
            ("exclusiveMaximum", "maximum", |inclusive, exclusive| inclusive < exclusive),
        ] {
            let Some(Value::Number(n)) = map.get(exclusive).cloned() else { continue };
            let inclusive = map.get(bound).and_then(Value::as_f64);
            if inclusive.zip(n.as_f64()).is_some_and(|(i, e)| is_stricter(i, e)) {
                map.remove(exclusive);
            } else {
                map.insert(bound.into(), Value::Number(n));
                map.insert(exclusive.into(), Value::Bool(true));
            }
        }
        match map.get("type") {
            Some(Value::String(t)) if t == "null" => {
                map.remove("type");
                null_only = true;
            }
            Some(Value::Array(types)) => {
                let mut names: Vec<String> = Vec::new();
                for t in types.iter().filter_map(Value::as_str) {
                    if t == "null" {
                        nullable = true;
                    } else if !names.iter().any(|n| n == t) {
                        names.push(t.to_string());
                    }
                }
                match names.len() {
                    0 => {
                        map.remove("type");
                        null_only = true;
                    }
                    1 => {
                        map.insert("type".into(), Value::String(names.remove(0)));
                    }
                    _ => {
                        map.remove("type");
                        split_types(map, &names);
                    }
                }
            }
            _ => {}
        }
        if null_only {
            // 3.0's way to say it: lowering makes it `()`.
            map.insert("enum".into(), json!([null]));
        } else if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
        self.subschema_keywords(map, ptr);
        if self.source != Source::Pages && map.contains_key("$ref") {
            ref_with_siblings(map);
        }
    }

    /// JSON Schema keywords 3.0 lacks, as the nearest 3.0 form; dropped if they change no type.
    fn subschema_keywords(&mut self, map: &mut Map<String, Value>, ptr: &JsonPointer) {
        if let Some(Value::Object(patterns)) = map.remove("patternProperties") {
            // Keys are strings however they are spelled: a map of the values.
            if !matches!(map.get("additionalProperties"), Some(Value::Object(_))) && !patterns.is_empty() {
                let values: Vec<Value> = patterns.into_iter().map(|(_, v)| v).collect();
                map.insert("additionalProperties".into(), one_of_distinct(values));
            }
        }
        if let Some(unevaluated) = map.remove("unevaluatedProperties") {
            map.entry("additionalProperties").or_insert(unevaluated);
        }
        if let Some(Value::Array(prefix)) = map.remove("prefixItems") {
            let mut items = prefix;
            // Items after the tuple's, if any are allowed.
            if let Some(Value::Object(rest)) = map.remove("items") {
                items.push(Value::Object(rest));
            }
            if !items.is_empty() {
                map.insert("items".into(), one_of_distinct(items));
                self.warn(&ptr.push("prefixItems"), "a tuple is typed as a list of its items' types");
            }
        }
        for key in ["if", "then", "else"] {
            if map.remove(key).is_some() && key == "if" {
                self.warn(
                    &ptr.push("if"),
                    "`if`/`then`/`else` cannot be expressed as a Rust type: the schema is read without them",
                );
            }
        }
        if map.remove("dependentSchemas").is_some() {
            self.warn(
                &ptr.push("dependentSchemas"),
                "`dependentSchemas` cannot be expressed as a Rust type: the schema is read without it",
            );
        }
        if map.remove("$dynamicRef").is_some() {
            self.warn(&ptr.push("$dynamicRef"), "`$dynamicRef` is not supported: any JSON value is accepted");
        }
        // Binary content, as 3.0 spells it.
        let encoding = map.remove("contentEncoding");
        let media_type = map.remove("contentMediaType");
        if !map.contains_key("format") {
            let is_json = media_type.as_ref().and_then(Value::as_str).is_some_and(|m| m.contains("json"));
            let format = match (encoding.as_ref().and_then(Value::as_str), &media_type) {
                (Some(e), _) if e.eq_ignore_ascii_case("base64") => Some("byte"),
                (None, Some(_)) if !is_json => Some("binary"),
                _ => None,
            };
            if let Some(format) = format {
                map.entry("type").or_insert(json!("string"));
                map.insert("format".into(), json!(format));
            }
        }
        for keyword in NO_TYPE_KEYWORDS {
            map.remove(*keyword);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema31(schema: Value) -> Value {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1" },
            "components": { "schemas": { "S": schema } }
        });
        translate(&mut doc, Source::Document(Version::V31));
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn versions_are_read_by_major_and_minor() {
        let v = |s: &str| version(Path::new("x.yaml"), &json!({ "openapi": s })).ok();
        assert_eq!(v("3.0.3"), Some(Version::V30));
        assert_eq!(v("3.1.1"), Some(Version::V31));
        assert_eq!(v("3.2.0"), Some(Version::V32));
        assert_eq!(v("3.10.0"), None);
        assert_eq!(v("4.0.0"), None);
    }

    #[test]
    fn exclusive_bounds_become_bounds_unless_an_inclusive_one_is_stricter() {
        let s = schema31(json!({ "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5 }));
        assert_eq!(s, json!({ "type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5 }));
    }

    #[test]
    fn several_types_split_their_keywords_and_enum_values() {
        let s = schema31(
            json!({ "type": ["string", "integer", "null"], "enum": ["a", 1, null], "minLength": 1, "minimum": 0 }),
        );
        assert_eq!(
            s,
            json!({
                "anyOf": [
                    { "type": "string", "minLength": 1, "enum": ["a"] },
                    { "type": "integer", "minimum": 0, "enum": [1] }
                ],
                "nullable": true
            })
        );
    }

    #[test]
    fn a_union_with_null_is_the_other_variant_nullable() {
        let s = schema31(
            json!({ "anyOf": [{ "$ref": "#/components/schemas/T" }, { "type": "null" }], "description": "d" }),
        );
        assert_eq!(s, json!({ "description": "d", "nullable": true, "allOf": [{ "$ref": "#/components/schemas/T" }] }));
        let s = schema31(json!({ "oneOf": [{ "type": "string", "format": "uuid" }, { "type": "null" }] }));
        assert_eq!(s, json!({ "nullable": true, "type": "string", "format": "uuid" }));
    }

    #[test]
    fn pages_keep_their_3_0_forms() {
        let mut doc = json!({ "paths": { "/a": { "get": { "responses": { "200": { "description": "ok", "content": {
            "application/json": { "schema": { "$ref": "#/components/schemas/T", "description": "kept as 3.0 reads it",
                "x": { "nullable": true } } } } } } } } } });
        let before = doc.clone();
        assert!(translate(&mut doc, Source::Pages).is_empty());
        assert_eq!(doc, before);
    }
}
