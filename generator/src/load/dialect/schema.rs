//! The schema keywords of JSON Schema 2020-12 as 3.0 has them: which keywords say nothing of a
//! type, which apply to one JSON type only, and the rewrites of one schema that the translator
//! applies (several types into a union, a `$ref` beside other keywords into an `allOf`).

use serde_json::{json, Map, Value};

/// Keywords that only document a schema: beside a `$ref` they change no type.
pub(super) const DOC_KEYWORDS: &[&str] =
    &["description", "title", "example", "examples", "deprecated", "default", "$comment", "externalDocs"];

/// JSON Schema keywords with no bearing on a Rust type (identifiers, key and count
/// constraints), dropped after their effects are taken.
pub(super) const NO_TYPE_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$comment",
    "$defs",
    "definitions",
    "$vocabulary",
    "propertyNames",
    "dependentRequired",
    "contains",
    "minContains",
    "maxContains",
    "contentSchema",
    "unevaluatedItems",
];

/// Keywords that apply to one JSON type only: where a schema has several types, each goes to
/// its own variant.
pub(super) fn keyword_type(keyword: &str) -> Option<&'static [&'static str]> {
    Some(match keyword {
        "minLength" | "maxLength" | "pattern" => &["string"],
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => &["integer", "number"],
        "format" => &["string", "integer", "number"],
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" | "discriminator" => {
            &["object"]
        }
        "items" | "minItems" | "maxItems" | "uniqueItems" => &["array"],
        _ => return None,
    })
}

/// Whether a schema admits only `null`.
pub(super) fn is_null_only(schema: &Value) -> bool {
    let Value::Object(map) = schema else { return false };
    let null = match (map.get("type"), map.get("const"), map.get("enum")) {
        (Some(Value::String(t)), _, _) => t == "null",
        (Some(Value::Array(ts)), _, _) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        (None, Some(Value::Null), _) => true,
        (None, None, Some(Value::Array(values))) => !values.is_empty() && values.iter().all(Value::is_null),
        _ => false,
    };
    null && map.keys().all(|k| ["type", "const", "enum"].contains(&k.as_str()) || DOC_KEYWORDS.contains(&k.as_str()))
}

/// `schema` folded into the schema `map`: merged when they share no keyword but
/// documentation (the outer schema's wins), else as an `allOf` part; a `$ref` always as a part.
pub(super) fn merge_or_wrap(map: &mut Map<String, Value>, schema: Value) {
    match schema {
        Value::Object(inner)
            if !inner.contains_key("$ref")
                && inner.keys().all(|k| !map.contains_key(k) || DOC_KEYWORDS.contains(&k.as_str())) =>
        {
            for (k, v) in inner {
                map.entry(k).or_insert(v);
            }
        }
        other => match map.get_mut("allOf") {
            Some(Value::Array(parts)) => parts.insert(0, other),
            _ => {
                map.insert("allOf".into(), Value::Array(vec![other]));
            }
        },
    }
}

/// A schema of several JSON types: a union of one variant per type, each with its keywords.
pub(super) fn split_types(map: &mut Map<String, Value>, types: &[String]) {
    let mut variants: Vec<Map<String, Value>> =
        types.iter().map(|t| Map::from_iter([("type".to_string(), Value::String(t.clone()))])).collect();
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let Some(for_types) = keyword_type(&key) else { continue };
        let Some(value) = map.remove(&key) else { continue };
        for (variant, t) in variants.iter_mut().zip(types) {
            if for_types.contains(&t.as_str()) {
                variant.insert(key.clone(), value.clone());
            }
        }
    }
    // Enum values go to the variant of their type.
    if let Some(Value::Array(values)) = map.remove("enum") {
        for (variant, t) in variants.iter_mut().zip(types) {
            let own: Vec<Value> = values.iter().filter(|v| json_type_is(v, t)).cloned().collect();
            if !own.is_empty() {
                variant.insert("enum".into(), Value::Array(own));
            }
        }
    }
    let union = Value::Array(variants.into_iter().map(Value::Object).collect());
    if map.contains_key("anyOf") || map.contains_key("oneOf") {
        merge_or_wrap(map, json!({ "anyOf": union }));
    } else {
        map.insert("anyOf".into(), union);
    }
}

pub(super) fn json_type_is(value: &Value, t: &str) -> bool {
    match t {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => false,
    }
}

/// One schema of `schemas`, or a union of the different ones.
pub(super) fn one_of_distinct(schemas: Vec<Value>) -> Value {
    let mut distinct: Vec<Value> = Vec::new();
    for s in schemas {
        if !distinct.contains(&s) {
            distinct.push(s);
        }
    }
    if distinct.len() == 1 {
        distinct.remove(0)
    } else {
        json!({ "anyOf": distinct })
    }
}

/// A `$ref` beside other keywords (3.1 applies both; 3.0 read only the `$ref`): the reference
/// as an `allOf` part, so that a description documents the field and a constraint or a
/// `nullable` applies; beside nothing that changes the type or documents it, the `$ref` alone.
pub(super) fn ref_with_siblings(map: &mut Map<String, Value>) {
    if map.len() == 1 {
        return;
    }
    let worth_keeping = |k: &str| !matches!(k, "$ref" | "title" | "example" | "examples" | "$comment");
    if !map.keys().any(|k| worth_keeping(k)) {
        map.retain(|k, _| k == "$ref");
        return;
    }
    let Some(reference) = map.remove("$ref") else { return };
    // The reference says its type; a `type` beside it said at most that it may be null.
    map.remove("type");
    merge_or_wrap(map, json!({ "$ref": reference }));
}
