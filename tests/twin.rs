//! The faithful OpenAPI 3.1 translation of a 3.0 document, for the twin test: same meaning,
//! 3.1 spelling. Written apart from the generator's own translation (`sdkgen::dialect`, the
//! other way), with its own map of where schemas stand, so that the twin test does not take the
//! generator's word for it.

use serde_json::{json, Map, Value};

/// `doc` (OpenAPI 3.0) as OpenAPI 3.1: `openapi: 3.1.0`, and in every schema `nullable` as a
/// type array (or a union with `null`), `example` as `examples`, boolean exclusive bounds as
/// numbers, and no keywords beside a `$ref` (3.0 ignores them; 3.1 would not).
pub fn to_openapi31(doc: &mut Value) {
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), json!("3.1.0"));
    }
    openapi_object(doc);
}

/// An OpenAPI object that is no schema: its `schema` and `components.schemas` are.
fn openapi_object(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "schema" => schema(child),
                    "schemas" => {
                        if let Value::Object(schemas) = child {
                            schemas.values_mut().for_each(schema);
                        }
                    }
                    // Data, not OpenAPI.
                    "example" | "examples" | "default" | "enum" => {}
                    k if k.starts_with("x-") => {}
                    _ => openapi_object(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(openapi_object),
        _ => {}
    }
}

fn schema(value: &mut Value) {
    let Value::Object(map) = value else { return };
    if map.contains_key("$ref") {
        map.retain(|k, _| k == "$ref");
        return;
    }
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "items" | "not" => schema(child),
            "additionalProperties" if child.is_object() => schema(child),
            "properties" => {
                if let Value::Object(properties) = child {
                    properties.values_mut().for_each(schema);
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(schemas) = child {
                    schemas.iter_mut().for_each(schema);
                }
            }
            _ => {}
        }
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), json!([example]));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match map.remove(exclusive) {
            Some(Value::Bool(true)) => {
                if let Some(n) = map.remove(bound) {
                    map.insert(exclusive.into(), n);
                }
            }
            Some(Value::Bool(false)) | None => {}
            Some(other) => {
                map.insert(exclusive.into(), other);
            }
        }
    }
    if map.remove("nullable") == Some(Value::Bool(true)) {
        nullable(map);
    }
}

/// A schema that also admits `null`, as 3.1 says it.
fn nullable(map: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    match map.get_mut("type") {
        Some(t @ Value::String(_)) => *t = json!([t.clone(), "null"]),
        _ => {
            let rest = std::mem::take(map);
            map.insert("anyOf".into(), json!([Value::Object(rest), { "type": "null" }]));
        }
    }
}

/// A documentation page (`api:` in its front matter, as JSON) with its operation in 3.1's
/// spelling; `None` if the page has no plain-JSON `api:`.
pub fn page_to_openapi31(page: &str) -> Option<String> {
    let start = page.find("api: {")? + "api: ".len();
    let mut stream = serde_json::Deserializer::from_str(&page[start..]).into_iter::<Value>();
    let mut op = stream.next()?.ok()?;
    let end = start + stream.byte_offset();
    openapi_object(&mut op);
    Some(format!("{}{}{}", &page[..start], serde_json::to_string(&op).ok()?, &page[end..]))
}
