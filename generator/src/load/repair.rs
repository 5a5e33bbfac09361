//! Known defects of real specs that keep a document from being read at all, repaired in its
//! JSON form, each with a warning at its pointer. Only run when the document fails to read as
//! it is, so a clean spec costs nothing.

use serde_json::{Map, Value};

use crate::pointer::JsonPointer;

/// What was repaired where.
pub type Repairs = Vec<(JsonPointer, String)>;

/// Repairs `doc` in place:
/// - `required: true` (or `false`) on a property, which OpenAPI writes as the parent's
///   `required` list: moved there;
/// - a `discriminator.mapping` value that is a schema rather than a `$ref` string (docs pages
///   inline every schema): its `$ref` when it has one, else left out, and the variant's tag
///   comes from its own schema.
///
/// Examples and `x-` extensions are data, not schemas, and are left alone.
pub fn repair(doc: &mut Value) -> Repairs {
    let mut repairs = Vec::new();
    walk(doc, &JsonPointer::root(), false, &mut repairs);
    repairs
}

/// `keys_are_names`: `value` is a `properties` map, whose keys are property names (a property
/// may be called `example`), not keywords.
fn walk(value: &mut Value, ptr: &JsonPointer, keys_are_names: bool, repairs: &mut Repairs) {
    match value {
        Value::Object(map) => {
            // A map of property names is no schema: a property called `properties` is not one.
            if keys_are_names {
                for (key, child) in map.iter_mut() {
                    walk(child, &ptr.push(key), false, repairs);
                }
                return;
            }
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                let listed = required_on_properties(properties, &ptr.push("properties"), repairs);
                if !listed.is_empty() {
                    let required = map.entry("required").or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(names) = required {
                        for name in listed {
                            if !names.iter().any(|n| n.as_str() == Some(&name)) {
                                names.push(Value::String(name));
                            }
                        }
                    }
                }
            }
            if let Some(Value::Object(discriminator)) = map.get_mut("discriminator") {
                if let Some(Value::Object(mapping)) = discriminator.get_mut("mapping") {
                    inline_mappings(mapping, &ptr.push("discriminator").push("mapping"), repairs);
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "example" && key != "examples" && !key.starts_with("x-") {
                    walk(child, &ptr.push(key), key == "properties", repairs);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &ptr.push(i.to_string()), false, repairs);
            }
        }
        _ => {}
    }
}

/// Takes `required: bool` off each property; the names that said `true`.
fn required_on_properties(
    properties: &mut Map<String, Value>,
    ptr: &JsonPointer,
    repairs: &mut Repairs,
) -> Vec<String> {
    let mut listed = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Value::Object(property) = property else { continue };
        let Some(Value::Bool(required)) = property.get("required").cloned() else { continue };
        property.remove("required");
        let what = if required {
            listed.push(name.clone());
            format!("taken as listing `{name}` in the parent's `required`")
        } else {
            "left out".to_string()
        };
        repairs.push((
            ptr.push(name).push("required"),
            format!("`required: {required}` on a property is not OpenAPI 3.0 (the parent lists required properties): {what}"),
        ));
    }
    listed
}

fn inline_mappings(mapping: &mut Map<String, Value>, ptr: &JsonPointer, repairs: &mut Repairs) {
    let inline: Vec<String> = mapping.iter().filter(|(_, v)| !v.is_string()).map(|(k, _)| k.clone()).collect();
    for key in inline {
        let reference = mapping[&key].get("$ref").and_then(Value::as_str).map(str::to_string);
        let message = match reference {
            Some(reference) => {
                mapping.insert(key.clone(), Value::String(reference));
                "a discriminator mapping names a schema by a `$ref` string, not a schema: its `$ref` is used"
            }
            None => {
                mapping.remove(&key);
                "a discriminator mapping names a schema by a `$ref` string, not an inline schema: it is left out, \
                 and the variant's tag comes from its own schema"
            }
        };
        repairs.push((ptr.push(&key), message.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn required_on_a_property_moves_to_the_parent() {
        let mut doc = json!({"type": "object", "required": ["a"], "properties": {
            "a": {"type": "string"}, "b": {"type": "string", "required": true}, "c": {"required": false},
        "example": {"type": "object", "properties": {"d": {"required": true}}},
        }, "example": {"properties": {"x": {"required": true}}}});
        let repairs = super::repair(&mut doc);
        assert_eq!(doc["required"], json!(["a", "b"]));
        assert_eq!(doc["properties"]["b"], json!({"type": "string"}));
        assert_eq!(doc["properties"]["c"], json!({}));
        assert_eq!(doc["example"]["properties"]["x"]["required"], json!(true), "examples are data");
        assert_eq!(doc["properties"]["example"]["required"], json!(["d"]), "a property named `example` is a schema");
        let at: Vec<String> = repairs.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(
            at,
            ["/properties/b/required", "/properties/c/required", "/properties/example/properties/d/required"]
        );
    }

    #[test]
    fn inline_mapping_values_become_refs_or_go() {
        let mut doc = json!({"oneOf": [], "discriminator": {"propertyName": "kind", "mapping": {
            "a": "#/components/schemas/A", "b": {"$ref": "#/components/schemas/B"}, "c": {"type": "object"},
        }}});
        let repairs = super::repair(&mut doc);
        assert_eq!(
            doc["discriminator"]["mapping"],
            json!({"a": "#/components/schemas/A", "b": "#/components/schemas/B"})
        );
        assert_eq!(repairs.len(), 2);
        assert_eq!(repairs[1].0.to_string(), "/discriminator/mapping/c");
    }
}
