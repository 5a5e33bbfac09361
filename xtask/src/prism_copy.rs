//! A copy of a spec that Prism can load, for the specs it refuses to start with: Prism
//! resolves every `$ref` of a document before serving it, so one that points nowhere (the
//! spec's defect: Keycloak's `oas_any_type_not_mapped`, a file that is not there) or one inside
//! data (its own: examples are data, and Okta's show JSON Schema documents; SailPoint's Beta
//! names files beside it in an `x-` extension) stops it. The copy serves the first as any value,
//! as the generator reads it, and leaves the second key out of the data. Nothing a request is
//! checked against changes otherwise.

use std::path::Path;

use serde_json::{Map, Value};

/// What was changed, counted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// `$ref`s to nothing, each now `{}`.
    pub dangling: usize,
    /// `$ref` keys inside data (example values, `x-` extensions), left out.
    pub in_data: usize,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    pub fn describe(&self) -> String {
        format!(
            "served a copy: {} reference(s) to nothing taken as any value, {} `$ref` key(s) inside examples and extensions left out",
            self.dangling, self.in_data
        )
    }
}

/// Where a value stands in the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    /// A part of the OpenAPI document: keywords.
    Document,
    /// A map whose keys are names (`properties`, `components.schemas`...), not keywords.
    Names,
    /// A map of Example objects (`examples` of a media type or parameter, `components.examples`).
    Examples,
    /// One Example object: its `value` is data.
    Example,
    /// Data: an example's value, an extension's.
    Data,
}

/// The copy of `doc` (read from the folder `dir`) that Prism loads, and what was changed.
pub fn loadable(doc: &Value, dir: &Path) -> (Value, Changes) {
    let mut copy = doc.clone();
    let mut changes = Changes::default();
    let root = Root { doc, dir };
    walk(&mut copy, &root, At::Document, &mut changes);
    (copy, changes)
}

/// What references resolve against: the document, and its folder for other files.
struct Root<'a> {
    doc: &'a Value,
    dir: &'a Path,
}

fn walk(value: &mut Value, root: &Root, at: At, changes: &mut Changes) {
    match value {
        Value::Object(map) => {
            if at == At::Data {
                if map.remove("$ref").is_some() {
                    changes.in_data += 1;
                }
                for child in map.values_mut() {
                    walk(child, root, At::Data, changes);
                }
                return;
            }
            if at != At::Names && dangling(map, root) {
                *value = Value::Object(Map::new());
                changes.dangling += 1;
                return;
            }
            for (key, child) in map.iter_mut() {
                let next = match at {
                    At::Examples => At::Example,
                    At::Names => At::Document,
                    _ => match key.as_str() {
                        "value" if at == At::Example => At::Data,
                        "example" | "default" | "enum" | "const" => At::Data,
                        k if k.starts_with("x-") => At::Data,
                        // 3.1 schemas' `examples` is a list of values; elsewhere a map of Examples.
                        "examples" if child.is_array() => At::Data,
                        "examples" => At::Examples,
                        "properties" | "patternProperties" | "schemas" | "responses" | "parameters"
                        | "requestBodies" | "headers" | "securitySchemes" | "links" | "callbacks" | "paths"
                        | "webhooks" | "content" | "encoding" | "mapping" | "variables" | "$defs" => At::Names,
                        _ => At::Document,
                    },
                };
                walk(child, root, next, changes);
            }
        }
        Value::Array(items) => {
            // A list under a name-keyed keyword (an operation's `parameters`) holds parts of
            // the document, not names.
            let at = if at == At::Names { At::Document } else { at };
            for item in items {
                walk(item, root, at, changes);
            }
        }
        _ => {}
    }
}

/// `{"$ref": ...}` whose target is not there: a pointer the document does not have, or a file
/// beside it that does not exist (one that does is left to Prism).
fn dangling(map: &Map<String, Value>, root: &Root) -> bool {
    let Some(Value::String(reference)) = map.get("$ref") else { return false };
    match reference.strip_prefix('#') {
        // A fragment's tokens may be percent-encoded; `~1` and `~0` are read by `pointer`.
        Some(pointer) => root.doc.pointer(&percent_decoded(pointer)).is_none(),
        None if reference.contains("://") => false,
        None => {
            let file = reference.split('#').next().unwrap_or_default();
            !root.dir.join(percent_decoded(file)).exists()
        }
    }
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%' && i + 2 < bytes.len()).then(|| text.get(i + 1..i + 3)).flatten();
        if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_to_nothing_and_refs_inside_examples_are_what_changes() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Missing"},
                "examples": {"one": {"value": {"definitions": {"$ref": "#/definitions/base"}, "n": 1}}}
            }}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "b": {"$ref": "#/components/schemas/B"},
                    "example": {"$ref": "#/components/schemas/B"}
                }},
                "B": {"type": "string", "example": {"$ref": "not a reference, data"}}
            }}
        });
        let dir = std::env::temp_dir();
        let (copy, changes) = loadable(&doc, &dir);
        assert_eq!(changes, Changes { dangling: 1, in_data: 2 });
        let media = &copy["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"], json!({}));
        assert_eq!(media["examples"]["one"]["value"], json!({"definitions": {}, "n": 1}));
        // References that resolve stay, a property named `example` is a schema, not data.
        assert_eq!(copy["components"]["schemas"]["A"], doc["components"]["schemas"]["A"]);
        let (_, none) = loadable(&copy, &dir);
        assert!(none.is_empty());
        // A file beside the spec that is not there; one inside an extension is data.
        let doc = json!({"components": {"schemas": {"A": {"$ref": "no-such-file-here.yaml#/A"}}}, "x-hooks": {"$ref": "gone.yaml"}});
        let (copy, changes) = loadable(&doc, &dir);
        assert_eq!(changes, Changes { dangling: 1, in_data: 1 });
        assert_eq!(copy, json!({"components": {"schemas": {"A": {}}}, "x-hooks": {}}));
        // An operation's `parameters` is a list of parameters, whose examples are data.
        let doc = json!({"paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "example": {"$ref": "#/x"}}]}}}});
        let (copy, changes) = loadable(&doc, &dir);
        assert_eq!(changes, Changes { dangling: 0, in_data: 1 });
        assert_eq!(copy["paths"]["/a"]["get"]["parameters"][0]["example"], json!({}));
    }
}
