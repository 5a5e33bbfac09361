//! Recursive schemas in documentation pages. docusaurus-openapi-docs dereferences the spec
//! (giving each component schema its component name as `title` when it has none) and writes a
//! schema met again inside itself as the string `"circular(Title)"`. Such a placeholder
//! becomes a `$ref` to the schema it names, which moves into `#/components/schemas` under its
//! title, so that the type is recursive as the spec wrote it: the nearest enclosing schema of
//! that title; failing that, a schema of that title anywhere in the API's pages; failing that,
//! any JSON value, with a warning naming the page and the pointer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::files::file_name;
use crate::load::grammar::{Place, PLAIN_OBJECT};
use crate::pointer::JsonPointer;

/// The schemas moved into `#/components/schemas` for one API, over all its pages.
#[derive(Debug, Default)]
pub(super) struct Hoisted {
    /// Each title's names, with the outline that tells two schemas of one title apart.
    by_title: BTreeMap<String, Vec<(String, String)>>,
    /// Name -> schema, in the order first met, until they are placed in the document.
    schemas: Vec<(String, Value)>,
    /// Every name given a schema.
    placed: BTreeSet<String>,
    /// The titles of placeholders no enclosing schema answered, left for a look across all
    /// the pages, and the first page that had each.
    pending: BTreeMap<String, PathBuf>,
}

/// The placeholder's title: `circular(HierarchyItem)` -> `HierarchyItem`, `circular()` -> ``.
fn placeholder(value: &Value) -> Option<&str> {
    value.as_str()?.strip_prefix("circular(")?.strip_suffix(')')
}

impl Hoisted {
    /// Resolves the placeholders of one page's operation `op`, which will stand at `op_at` in
    /// the document, against the schemas that enclose them.
    pub(super) fn resolve_page(&mut self, op: &mut Value, page: &Path) {
        // Most pages have none: a look that builds nothing first.
        if !has_placeholder(op) {
            return;
        }
        let mut found = Vec::new();
        find(op, PLAIN_OBJECT, &JsonPointer::root(), &mut Vec::new(), &mut found);
        if found.is_empty() {
            return;
        }
        // A name for each enclosing schema a placeholder names, before anything moves.
        let mut targets: BTreeMap<JsonPointer, String> = BTreeMap::new();
        let mut links = Vec::new();
        for (at, title, target) in found {
            match target {
                Some(target) => {
                    if !targets.contains_key(&target) {
                        let schema = op.pointer(target.as_str()).expect("found there");
                        let name = self.name_for(&title, schema);
                        targets.insert(target.clone(), name);
                    }
                    links.push((at, targets[&target].clone()));
                }
                None => {
                    self.pending.entry(title).or_insert_with(|| page.to_path_buf());
                }
            }
        }
        for (at, name) in links {
            *op.pointer_mut(at.as_str()).expect("found there") = schema_ref(&name);
        }
        // Innermost first, so that an enclosing schema moves with `$ref`s to those inside it.
        let mut order: Vec<(JsonPointer, String)> = targets.into_iter().collect();
        order.sort_by_key(|(at, _)| std::cmp::Reverse(at.segments().count()));
        for (at, name) in order {
            let place = op.pointer_mut(at.as_str()).expect("found there");
            let schema = std::mem::replace(place, schema_ref(&name));
            if !self.placed.contains(&name) {
                self.placed.insert(name.clone());
                self.schemas.push((name, schema));
            }
        }
    }

    /// The name under which `schema`, titled `title`, goes into `#/components/schemas`: its
    /// title, unless a schema of another outline took it (then `Title2`, ...). The same
    /// component met on two pages may differ in what is written inline, never in its outline.
    fn name_for(&mut self, title: &str, schema: &Value) -> String {
        let outline = outline(schema);
        let names = self.by_title.entry(title.to_string()).or_default();
        if let Some((name, _)) = names.iter().find(|(_, o)| *o == outline) {
            return name.clone();
        }
        let base = if title.is_empty() { "Recursive".to_string() } else { title.to_string() };
        let taken = |name: &str| self.placed.contains(name) || names.iter().any(|(n, _)| n == name);
        let mut name = base.clone();
        for n in 2.. {
            if !taken(&name) {
                break;
            }
            name = format!("{base}{n}");
        }
        names.push((name.clone(), outline));
        name
    }

    /// Moves the schemas into `doc`'s components, and resolves the placeholders no enclosing
    /// schema answered: to a schema of their title moved from any page, else to one of that
    /// title anywhere in the document (moved too), else to any JSON value. Returns the warnings.
    pub(super) fn finish(mut self, doc: &mut Value) -> Vec<(JsonPointer, String)> {
        let mut warnings = Vec::new();
        // A schema moved here may hold placeholders of its own: again until none is left (each
        // round names a title or gives up on it, so the rounds are few).
        loop {
            self.place(doc);
            // Every placeholder was answered on its page (as the plugin writes them): done.
            if self.pending.is_empty() || !has_placeholder(doc) {
                return warnings;
            }
            let mut found = Vec::new();
            find(doc, PLAIN_OBJECT, &JsonPointer::root(), &mut Vec::new(), &mut found);
            if found.is_empty() {
                return warnings;
            }
            for (at, title, _) in found {
                let known = self.by_title.get(&title).and_then(|names| names.first()).map(|(name, _)| name.clone());
                let name = known.or_else(|| {
                    let schema = titled(doc, &title)?;
                    let name = self.name_for(&title, &schema);
                    if self.placed.insert(name.clone()) {
                        self.schemas.push((name.clone(), schema));
                    }
                    Some(name)
                });
                let value = name.map_or_else(
                    || {
                        let page = self.pending.get(&title).map_or_else(String::new, |p| format!(" in {}", file_name(p)));
                        let message = format!(
                            "`circular({title})`{page}: no schema of the pages is titled `{title}`; the value is any JSON value"
                        );
                        warnings.push((at.clone(), message));
                        json!({})
                    },
                    |name| schema_ref(&name),
                );
                *doc.pointer_mut(at.as_str()).expect("found there") = value;
            }
        }
    }

    /// Puts the schemas moved so far into `doc`'s components.
    fn place(&mut self, doc: &mut Value) {
        if self.schemas.is_empty() {
            return;
        }
        let components = doc["components"].as_object_mut().expect("assembled documents have components");
        let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(schemas) = schemas {
            for (name, schema) in self.schemas.drain(..) {
                schemas.entry(name).or_insert(schema);
            }
        }
    }
}

/// Walks `value` (at `place`, `at` in the operation), recording each placeholder with the
/// nearest enclosing schema of its title, if any. `enclosing`: the titled schemas around it.
fn find(
    value: &Value,
    place: Place,
    at: &JsonPointer,
    enclosing: &mut Vec<(String, JsonPointer)>,
    found: &mut Vec<(JsonPointer, String, Option<JsonPointer>)>,
) {
    match value {
        Value::String(_) if place == Place::Schema => {
            if let Some(title) = placeholder(value) {
                let target = enclosing.iter().rev().find(|(t, _)| t == title).map(|(_, p)| p.clone());
                found.push((at.clone(), title.to_string(), target));
            }
        }
        Value::Object(map) => {
            let titled = match (place, map.get("title")) {
                (Place::Schema, Some(Value::String(title))) => {
                    enclosing.push((title.clone(), at.clone()));
                    true
                }
                _ => false,
            };
            for (key, child) in map {
                let next = place.child(key);
                if next != Place::Data {
                    find(child, next, &at.push(key), enclosing, found);
                }
            }
            if titled {
                enclosing.pop();
            }
        }
        Value::Array(items) => {
            let next = place.item();
            if next != Place::Data {
                for (i, child) in items.iter().enumerate() {
                    find(child, next, &at.push(i.to_string()), enclosing, found);
                }
            }
        }
        _ => {}
    }
}

/// Whether any string of `value` is a placeholder.
fn has_placeholder(value: &Value) -> bool {
    match value {
        Value::String(s) => s.starts_with("circular("),
        Value::Array(items) => items.iter().any(has_placeholder),
        Value::Object(map) => map.values().any(has_placeholder),
        _ => false,
    }
}

/// The first schema titled `title` in `doc`, in document order.
fn titled(doc: &Value, title: &str) -> Option<Value> {
    fn walk(value: &Value, place: Place, title: &str) -> Option<Value> {
        match value {
            Value::Object(map) => {
                if place == Place::Schema && map.get("title").and_then(Value::as_str) == Some(title) {
                    return Some(value.clone());
                }
                map.iter().find_map(|(key, child)| {
                    let next = place.child(key);
                    (next != Place::Data).then(|| walk(child, next, title)).flatten()
                })
            }
            Value::Array(items) => {
                let next = place.item();
                (next != Place::Data).then(|| items.iter().find_map(|c| walk(c, next, title))).flatten()
            }
            _ => None,
        }
    }
    walk(doc, PLAIN_OBJECT, title)
}

/// What tells two schemas of one title apart: their type and property names, and which
/// composition keywords they use with how many parts.
fn outline(schema: &Value) -> String {
    let mut properties: Vec<&String> =
        schema.get("properties").and_then(Value::as_object).map(|p| p.keys().collect()).unwrap_or_default();
    properties.sort();
    let parts = |key: &str| schema.get(key).and_then(Value::as_array).map_or(0, Vec::len);
    json!({
        "type": schema.get("type"),
        "properties": properties,
        "items": schema.get("items").is_some(),
        "allOf": parts("allOf"),
        "oneOf": parts("oneOf"),
        "anyOf": parts("anyOf"),
    })
    .to_string()
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#{}", JsonPointer::root().push("components").push("schemas").push(name)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_becomes_a_reference_to_the_schema_around_it() {
        let mut op = json!({"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "title": "Item", "type": "object", "properties": {
                "children": {"type": "array", "items": "circular(Item)"},
                "edge": {"title": "Edge", "type": "object", "properties": {"to": "circular(Item)", "back": "circular(Edge)"}}
            }
        }}}}}});
        let mut hoisted = Hoisted::default();
        hoisted.resolve_page(&mut op, Path::new("get-item.md"));
        assert_eq!(op["responses"]["200"]["content"]["application/json"]["schema"], schema_ref("Item"));
        let names: Vec<&str> = hoisted.schemas.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Edge", "Item"], "innermost first");
        assert_eq!(hoisted.schemas[1].1["properties"]["children"]["items"], schema_ref("Item"));
        assert_eq!(hoisted.schemas[1].1["properties"]["edge"], schema_ref("Edge"));
        assert_eq!(hoisted.schemas[0].1["properties"]["to"], schema_ref("Item"));
        assert_eq!(hoisted.schemas[0].1["properties"]["back"], schema_ref("Edge"));
    }

    #[test]
    fn titles_of_other_outlines_get_other_names() {
        let mut hoisted = Hoisted::default();
        let a = hoisted.name_for("Node", &json!({"type": "object", "properties": {"a": {}}}));
        let same = hoisted.name_for("Node", &json!({"type": "object", "properties": {"a": {"title": "X"}}}));
        let other = hoisted.name_for("Node", &json!({"type": "object", "properties": {"b": {}}}));
        assert_eq!((a.as_str(), same.as_str(), other.as_str()), ("Node", "Node", "Node2"));
        assert_eq!(placeholder(&json!("circular()")), Some(""));
        assert_eq!(placeholder(&json!("circular")), None);
    }
}
