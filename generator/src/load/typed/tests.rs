//! `typed` reads a JSON value into openapiv3's document by hand, for speed; it
//! must make of every value what `openapiv3::OpenAPI::deserialize` makes of it: the same
//! document, or an error when serde gives one. Checked on every spec at hand, and on every
//! fixture changed one place at a time (a value nulled, retyped or removed, a `$ref` added),
//! so the odd forms serde reads its own way are met too.

use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::load::parse::YamlValue;
use crate::test_specs::{every_spec, repo_root, specs_in};

/// serde's reading of a YAML text: through the JSON value it reads as, as YAML is read
/// without the hand readers.
fn serde_of_yaml(text: &str) -> Result<openapiv3::OpenAPI, String> {
    let YamlValue(value) =
        YamlValue::deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|e| e.to_string())?;
    openapiv3::OpenAPI::deserialize(value).map_err(|e| e.to_string())
}

/// Compares a hand reading with serde's: the same document, or an error (the caller reads
/// the document with serde then). `strict`: no error where serde reads it, as for any spec at
/// hand. Says whether it fell back.
fn compare<E: std::fmt::Display>(
    by_serde: &Result<openapiv3::OpenAPI, String>,
    by_hand: Result<openapiv3::OpenAPI, E>,
    strict: bool,
    what: &dyn Fn() -> String,
) -> bool {
    match (by_serde, by_hand) {
        (Ok(a), Ok(b)) => assert!(*a == b, "{}: the readings differ", what()),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) if strict => panic!("{}: serde reads it, the hand reading says: {e}", what()),
        (Ok(_), Err(_)) => return true,
        (Err(e), Ok(_)) => panic!("{}: serde says {e}, the hand reading reads it", what()),
    }
    false
}

/// The hand readings of `value`, from the value, from its JSON text and from its YAML text,
/// each against serde's. Says whether any fell back.
fn agree(value: &Value, strict: bool, what: &dyn Fn() -> String) -> bool {
    let by_serde = openapiv3::OpenAPI::deserialize(value.clone()).map_err(|e| e.to_string());
    let from_value = compare(&by_serde, super::openapi(value.clone()), strict, &|| format!("{} (value)", what()));
    let text = value.to_string();
    let from_text = compare(&by_serde, super::openapi_from_str(&text), strict, &|| format!("{} (JSON)", what()));
    let yaml = serde_yaml::to_string(value).expect("any JSON value writes as YAML");
    let by_serde_yaml = serde_of_yaml(&yaml);
    let from_yaml = compare(&by_serde_yaml, super::openapi_from_yaml(&yaml), strict, &|| format!("{} (YAML)", what()));
    // Cut in two wherever it can be, however small.
    let from_parts =
        compare(&by_serde_yaml, super::yaml::read(&yaml, 0), strict, &|| format!("{} (YAML parts)", what()));
    from_value || from_text || from_yaml || from_parts
}

fn value_of(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).ok()
    } else {
        YamlValue::deserialize(serde_yaml::Deserializer::from_str(&text)).ok().map(|v| v.0)
    }
}

#[test]
fn every_spec_at_hand_reads_as_serde_reads_it() {
    let files = every_spec("typed_read");
    let mut read = 0;
    for file in &files {
        let Some(value) = value_of(file) else { continue };
        agree(&value, true, &|| file.display().to_string());
        if file.extension().is_none_or(|e| e != "json") {
            let text = std::fs::read_to_string(file).expect("read once already");
            let what = || format!("{} (its YAML text)", file.display());
            let by_serde = serde_of_yaml(&text);
            compare(&by_serde, super::openapi_from_yaml(&text), true, &what);
            compare(&by_serde, super::yaml::read(&text, 0), true, &what);
        }
        read += 1;
    }
    assert!(read >= 20, "only {read} specs read");
}

/// Every place of `value`, as a path of keys and indices.
fn places(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                at.push(Step::Key(key.clone()));
                out.push(at.clone());
                places(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                out.push(at.clone());
                places(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn get_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// What a place becomes: its value replaced by each kind of JSON value, or removed; and an
/// object also gains a `$ref`, a string one or not.
fn mutations(value: &Value, path: &[Step]) -> Vec<Value> {
    let mut out = Vec::new();
    for replacement in [json!(null), json!(true), json!(1.5), json!(-3), json!(250), json!("2XX"), json!([]), json!({})]
    {
        let mut changed = value.clone();
        if let Some(place) = get_mut(&mut changed, path) {
            *place = replacement;
            out.push(changed);
        }
    }
    let (Some(Step::Key(key)), parent) = (path.last(), &path[..path.len() - 1]) else { return out };
    let mut removed = value.clone();
    if let Some(Value::Object(map)) = get_mut(&mut removed, parent) {
        map.shift_remove(key);
        out.push(removed);
    }
    for reference in [json!(7), json!("#/components/schemas/x")] {
        let mut changed = value.clone();
        if let Some(Value::Object(map)) = get_mut(&mut changed, path) {
            map.insert("$ref".into(), reference);
            out.push(changed);
        }
    }
    out
}

#[test]
fn fixtures_changed_one_place_at_a_time_read_as_serde_reads_them() {
    let (mut compared, mut fell_back) = (0, 0);
    for file in specs_in(&repo_root().join("tests/fixtures")) {
        let Some(value) = value_of(&file) else { continue };
        let mut all = Vec::new();
        places(&value, &mut Vec::new(), &mut all);
        // At most about 60 places per fixture, spread over it, to keep the test quick.
        let stride = all.len().div_ceil(60).max(1);
        for path in all.iter().step_by(stride) {
            for changed in mutations(&value, path) {
                fell_back += usize::from(agree(&changed, false, &|| format!("{} changed at {path:?}", file.display())));
                compared += 1;
            }
        }
    }
    assert!(compared > 1000, "only {compared} changed documents compared");
    // Odd forms are left to serde; most changes are not odd.
    assert!(fell_back * 10 < compared, "{fell_back} of {compared} changed documents left to serde");
}

/// Forms serde reads its own way, each next to what it should read as.
#[test]
fn odd_forms_read_as_serde_reads_them() {
    let doc = |schema: Value, parameter: Value| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [parameter],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}},
                              "4XX": {"description": "no"}, "default": {"description": "d"},
                              "x-note": 1, "abc": {"description": "not a status"}}
            }}, "x-top": true}
        })
    };
    let parameter = json!({"name": "q", "in": "query", "schema": {"type": "string"}});
    let schemas = [
        json!({"type": "string", "enum": ["a", null]}),
        json!({"type": "string", "enum": [1]}),
        json!({"type": "integer", "minimum": 1.5}),
        json!({"type": "integer", "enum": [1, null], "format": "int64"}),
        json!({"type": "number", "multipleOf": 2, "exclusiveMaximum": true}),
        json!({"type": "boolean", "format": "x"}),
        json!({"type": "object", "oneOf": [{"type": "string"}], "nullable": true}),
        json!({"type": null, "oneOf": [{"type": "string"}]}),
        json!({"oneOf": [{"type": "string"}], "properties": null}),
        json!({"not": {"type": "string"}, "x-a": 1, "title": "t"}),
        json!({"allOf": null}),
        json!({"type": "array", "items": {"$ref": "#/x"}, "uniqueItems": false}),
        json!({"type": "object", "additionalProperties": false}),
        json!({"type": "object", "additionalProperties": {"$ref": 3}}),
        json!({"$ref": "#/x", "description": "ignored"}),
        json!({"nullable": null}),
        json!({"example": null, "default": null}),
        json!(["#/x"]),
        json!(true),
    ];
    for (i, schema) in schemas.iter().enumerate() {
        agree(&doc(schema.clone(), parameter.clone()), false, &|| format!("schema {i}: {schema}"));
    }
    let parameters = [
        json!({"name": "q", "in": "query", "content": {"text/plain": {}}, "schema": {"type": "string"}}),
        json!({"name": "q", "in": "query", "schema": {"type": "string"}, "content": 5}),
        json!({"name": "q", "in": "header", "style": "simple", "allowReserved": "x", "schema": {}}),
        json!({"name": "q", "in": "query", "style": "deepObject", "allowEmptyValue": null, "schema": {}}),
        json!({"name": "q", "in": "query", "style": "label", "schema": {}}),
        json!({"name": "q", "in": "body", "schema": {}}),
        json!({"name": "q", "schema": {}}),
        json!({"in": "path", "schema": {}}),
        json!({"name": "q", "in": "cookie"}),
        json!({"name": "q", "in": "path", "explode": true, "examples": {"a": {"value": null}}, "schema": {}}),
    ];
    for (i, parameter) in parameters.iter().enumerate() {
        agree(&doc(json!({}), parameter.clone()), false, &|| format!("parameter {i}: {parameter}"));
    }
}

/// YAML forms that serde_yaml reads one way when asked for a type and the JSON value another:
/// the hand reading must read them as the value does.
#[test]
fn yaml_reads_as_its_json_value_reads() {
    let doc = |operation: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n{}\n      responses:\n        200: {{description: ok}}\n",
            operation.lines().map(|l| format!("      {l}")).collect::<Vec<_>>().join("\n")
        )
    };
    let operations = [
        "description: 123",
        "summary: null",
        "summary: ~",
        "operationId: true",
        "tags:",
        "parameters:",
        "deprecated: 'true'",
        "x-big: 18446744073709551616000",
        "x-nan: .nan",
        "x-tagged: !custom 5",
        "unknown: !custom 5",
        "unknown: {a: !custom [1]}",
        "parameters: [{name: q, in: query, schema: {type: integer, minimum: 1e3}}]",
        "parameters: [{name: 7, in: query, schema: {type: string, enum: [1, a]}}]",
        "requestBody: {content: {application/json: {schema: {type: object, additionalProperties: }}}}",
        "requestBody: {content: {application/json: {example: {a: [1, .inf]}, schema: {}}}}",
        "callbacks: {}",
        "servers: [{url: 'https://x'}]",
        "security: [{a: []}]",
    ];
    for operation in operations {
        let text = doc(operation);
        let what = || format!("`{operation}`");
        compare(&serde_of_yaml(&text), super::openapi_from_yaml(&text), false, &what);
    }
}

/// A YAML text cut in two reads as the whole, or fails (and is then read whole): never
/// another document.
#[test]
fn yaml_cut_in_two_reads_as_the_whole_or_not_at_all() {
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
    let paths = "paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n";
    let tail = "components:\n  schemas:\n    A: {type: string}\n";
    let whole = format!("{head}{paths}{tail}");
    let by_serde = serde_of_yaml(&whole);
    assert!(by_serde.is_ok());
    compare(&by_serde, super::yaml::read(&whole, 0), true, &|| "a plain document".into());
    // An alias across the cut, a scalar or a flow list across it: errors, or the whole.
    for odd in [
        format!("{head}x-a: &a {{k: 1}}\n{paths}{tail}x-b: *a\n"),
        format!("{head}description: \"two\ncomponents: lines\"\n{paths}{tail}"),
        format!("{head}x-list: [1,\ncomponents: 2]\n{paths}"),
        format!("{head}{paths}---\n{tail}"),
        format!("%YAML 1.2\n---\n{head}{paths}{tail}"),
        format!("{head}{paths}paths:\n  /b: {{}}\n{tail}"),
    ] {
        let by_serde = serde_of_yaml(&odd);
        compare(&by_serde, super::yaml::read(&odd, 0), false, &|| format!("{odd:?}"));
    }
}
