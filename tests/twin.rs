//! The faithful OpenAPI 3.1 translation of a 3.0 document, for the twin test: same meaning,
//! 3.1 spelling. Written apart from the generator's own translation (`sdkgen::load::dialect`, the
//! other way), with its own map of where schemas stand, so that the twin test does not take the
//! generator's word for it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

/// `doc` (OpenAPI 3.0) as OpenAPI 3.1: `openapi: 3.1.0`, and in every schema `nullable` as a
/// type array (or a union with `null`), `example` as `examples`, boolean exclusive bounds as
/// numbers, and no keywords beside a `$ref` (3.0 ignores them; 3.1 would not).
pub fn to_openapi31(doc: &mut Value) {
    to_openapi31_with(doc, &mut Twin::default());
}

/// What a `$ref` says the value it names is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Role {
    Schema,
    /// Any other OpenAPI object (a path item, a parameter, a response, ...).
    Object,
}

/// The walk, and the `$ref`s it met on the way with what they name.
#[derive(Default)]
struct Twin {
    refs: Vec<(String, Role)>,
}

impl Twin {
    /// An OpenAPI object that is no schema: its `schema` and `components.schemas` are.
    fn openapi_object(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    self.refs.push((r.clone(), Role::Object));
                }
                for (key, child) in map.iter_mut() {
                    match key.as_str() {
                        "schema" => self.schema(child),
                        "schemas" => {
                            if let Value::Object(schemas) = child {
                                schemas.values_mut().for_each(|s| self.schema(s));
                            }
                        }
                        // Data, not OpenAPI (`default` here is a response: OpenAPI).
                        "example" | "examples" | "enum" => {}
                        k if k.starts_with("x-") => {}
                        _ => self.openapi_object(child),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.openapi_object(i)),
            _ => {}
        }
    }

    fn schema(&mut self, value: &mut Value) {
        let Value::Object(map) = value else { return };
        if let Some(Value::String(r)) = map.get("$ref") {
            self.refs.push((r.clone(), Role::Schema));
            map.retain(|k, _| k == "$ref");
            return;
        }
        if let Some(Value::Object(mapping)) = map.get("discriminator").and_then(|d| d.get("mapping")) {
            self.refs.extend(mapping.values().filter_map(Value::as_str).map(|r| (r.to_string(), Role::Schema)));
        }
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "items" | "not" => self.schema(child),
                "additionalProperties" if child.is_object() => self.schema(child),
                "properties" => {
                    if let Value::Object(properties) = child {
                        properties.values_mut().for_each(|p| self.schema(p));
                    }
                }
                "allOf" | "anyOf" | "oneOf" => {
                    if let Value::Array(schemas) = child {
                        schemas.iter_mut().for_each(|s| self.schema(s));
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
}

/// A spec kept in several files (its root file `root`), as 3.1: every file written again under
/// `out` at the same relative path, each part translated as what the `$ref`s that reach it say
/// it is (a schema file as a schema, a path item file as OpenAPI objects). JSON is written in
/// every file (YAML reads it).
pub fn tree_to_openapi31(root: &Path, out: &Path) {
    let root = root.canonicalize().expect("the root file");
    let folder = root.parent().expect("a folder");
    let mut files: HashMap<PathBuf, Value> = HashMap::new();
    let mut done: HashSet<(PathBuf, String)> = HashSet::new();
    let mut work: Vec<(PathBuf, String, Option<Role>)> = vec![(root.clone(), String::new(), None)];
    while let Some((file, pointer, role)) = work.pop() {
        if !done.insert((file.clone(), pointer.clone())) {
            continue;
        }
        let doc = files.entry(file.clone()).or_insert_with(|| {
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        });
        let mut twin = Twin::default();
        match role {
            None => to_openapi31_with(doc, &mut twin),
            Some(role) => {
                // A `$ref` to nothing (the fixture of that defect) has nothing to translate.
                let Some(node) = doc.pointer_mut(&pointer) else { continue };
                match role {
                    Role::Schema => twin.schema(node),
                    Role::Object => twin.openapi_object(node),
                }
            }
        }
        for (reference, role) in twin.refs {
            let (path, fragment) = reference.split_once('#').unwrap_or((&reference, ""));
            let target = if path.is_empty() {
                file.clone()
            } else {
                // One file reached by two paths (`../schemas/Pet.yaml`) is one file.
                let joined = file.parent().expect("a folder").join(path.replace("%20", " "));
                joined.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", joined.display()))
            };
            work.push((target, fragment.to_string(), Some(role)));
        }
    }
    for (file, doc) in files {
        let relative = file.strip_prefix(folder).expect("inside the folder");
        let written = out.join(relative);
        std::fs::create_dir_all(written.parent().expect("a folder")).expect("mkdir");
        std::fs::write(&written, serde_json::to_vec_pretty(&doc).expect("JSON")).expect("write");
    }
}

fn to_openapi31_with(doc: &mut Value, twin: &mut Twin) {
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), json!("3.1.0"));
    }
    twin.openapi_object(doc);
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
    Twin::default().openapi_object(&mut op);
    Some(format!("{}{}{}", &page[..start], serde_json::to_string(&op).ok()?, &page[end..]))
}
