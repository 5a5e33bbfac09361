//! Stage 1, load (its second half): the `$ref`s openapiv3 cannot follow, resolved in the
//! document's JSON form before it is read, so that lowering sees one document whose references
//! all go to `#/components/{section}/{name}`.
//!
//! - **Other files** (`./paths/x.yaml`, `../schemas/A.yaml#/B`): a spec kept as a root file and
//!   the files it refers to. Only files inside the root file's folder are read (symlinks
//!   resolved first, then checked), never URLs.
//! - **Any local JSON pointer** (`#/components/responses/Conflict/content/application~1json/schema`).
//! - **A `$ref` where openapiv3 reads none** (a media type, a path item).
//!
//! A schema that is a whole file, or a component of another file, moves into
//! `#/components/schemas` once, under its component name or else its file's stem: it becomes
//! one named type, and recursion across files ends there, as it does for components. Anything
//! else is copied where it is referred to, as the spec means. Where each copy came from is kept
//! (`Origins`), so that errors and warnings name the file and pointer the user wrote.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::pointer::JsonPointer;

/// Values copied while bundling before it is refused: a few nested `$ref`s can otherwise make a
/// document exponentially large. SailPoint's Beta tree, the largest known, copies 50,000.
const MAX_COPIED: usize = 1_000_000;
/// Larger referenced files are refused rather than read.
const MAX_FILE_BYTES: u64 = 256 << 20;

/// The component sections whose `$ref`s openapiv3 follows itself, where openapiv3 expects a
/// reference-or-item that is not a schema.
const SECTIONS: [&str; 8] =
    ["parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks", "securitySchemes"];

/// Where each part of the bundled document came from: the pointer it stands at, and the file
/// and pointer it was copied from.
#[derive(Debug, Default)]
pub struct Origins {
    copies: BTreeMap<JsonPointer, Origin>,
    /// Where each copy was referred to from: a copy as a whole is the `$ref` that made it.
    references: BTreeMap<JsonPointer, Origin>,
}

#[derive(Debug, Clone)]
pub struct Origin {
    /// The file as the user would reach it: the root file's folder joined with `shown`.
    pub path: PathBuf,
    /// The file relative to the root file's folder (`v3/paths/access-profile.yaml`).
    pub shown: String,
    pub pointer: JsonPointer,
}

impl Origins {
    pub const fn new() -> Self {
        Self { copies: BTreeMap::new(), references: BTreeMap::new() }
    }

    /// The file and pointer that `pointer` (in the bundled document) was copied from, if it was.
    pub fn locate(&self, pointer: &JsonPointer) -> Option<Origin> {
        if self.copies.is_empty() {
            return None;
        }
        if let Some(reference) = self.references.get(pointer) {
            return Some(reference.clone());
        }
        let mut ancestor = pointer.clone();
        loop {
            if let Some(origin) = self.copies.get(&ancestor) {
                let rest = pointer.strip_prefix(&ancestor).unwrap_or_default();
                return Some(Origin { pointer: origin.pointer.join(&rest), ..origin.clone() });
            }
            if ancestor == JsonPointer::root() {
                return None;
            }
            ancestor = ancestor.parent();
        }
    }

    pub fn is_empty(&self) -> bool {
        self.copies.is_empty()
    }
}

/// What bundling did besides changing the document.
#[derive(Debug, Default)]
pub struct Bundled {
    pub origins: Origins,
    /// Defects worked around, at their pointers in the bundled document.
    pub warnings: Vec<(JsonPointer, String)>,
}

/// Whether the `$ref`s of a JSON text are all to `#/components/{section}/{name}`, so that the
/// document can be read as it is, with no bundling: a cheap look that may say no when the
/// answer is yes (a property named `$ref`), never the other way round.
pub fn json_needs_no_bundling(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find("\"$ref\"") {
        rest = rest[at + 6..].trim_start();
        let Some(after) = rest.strip_prefix(':') else { return false };
        let Some(value) = after.trim_start().strip_prefix('"') else { return false };
        let Some(end) = value.find('"') else { return false };
        let reference = &value[..end];
        if reference.contains('\\') || component_of(reference).is_none() {
            return false;
        }
        rest = &value[end..];
    }
    true
}

/// Whether every `$ref` openapiv3 read in `doc` goes to the section of `#/components` for its
/// place (a response's to `responses`): with `json_needs_no_bundling`, that the document
/// needs no bundling.
pub fn refs_fit_their_places(doc: &openapiv3::OpenAPI) -> bool {
    use openapiv3::ReferenceOr;
    fn fits<T>(r: &ReferenceOr<T>, section: &str) -> bool {
        match r {
            ReferenceOr::Item(_) => true,
            ReferenceOr::Reference { reference } => component_of(reference).is_some_and(|(s, _)| s == section),
        }
    }
    fn response_fits(r: &ReferenceOr<openapiv3::Response>) -> bool {
        fits(r, "responses")
            && r.as_item().is_none_or(|r| {
                r.headers.values().all(|h| fits(h, "headers")) && r.links.values().all(|l| fits(l, "links"))
            })
    }
    fn operation_fits(op: &openapiv3::Operation) -> bool {
        op.parameters.iter().all(|p| fits(p, "parameters"))
            && op.request_body.as_ref().is_none_or(|b| fits(b, "requestBodies"))
            && op.responses.default.iter().chain(op.responses.responses.values()).all(response_fits)
            && op.callbacks.values().all(|c| c.values().all(|item| item.iter().all(|(_, op)| operation_fits(op))))
    }
    let paths = doc.paths.paths.values().all(|item| match item {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(item) => {
            item.parameters.iter().all(|p| fits(p, "parameters")) && item.iter().all(|(_, op)| operation_fits(op))
        }
    });
    paths
        && doc.components.as_ref().is_none_or(|c| {
            c.parameters.values().all(|p| fits(p, "parameters"))
                && c.request_bodies.values().all(|b| fits(b, "requestBodies"))
                && c.responses.values().all(response_fits)
                && c.headers.values().all(|h| fits(h, "headers"))
                && c.examples.values().all(|e| fits(e, "examples"))
                && c.links.values().all(|l| fits(l, "links"))
                && c.security_schemes.values().all(|s| fits(s, "securitySchemes"))
        })
}

/// Whether the JSON `text` has a `$ref` that lowering cannot follow (what `needs_bundling`
/// says of its value), read as it streams by, without building the value: for the documents
/// whose `$ref`s the quick look could not vouch for (one to a file inside an `x-` extension).
/// `None` when the text does not read as JSON.
pub fn json_needs_bundling(text: &str) -> Option<bool> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    /// Numbers, booleans and nulls hold no reference.
    macro_rules! no_references_in_scalars {
        () => {
            fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_unit<E>(self) -> Result<bool, E> {
                Ok(false)
            }
        };
    }

    /// Reads one value at a place, and says whether a `$ref` under it needs bundling.
    struct Look(At);
    /// Reads a `$ref`'s value (or a mapping's): whether it needs bundling at `At`.
    struct Reference(At);
    /// A map key, borrowed from the text when it can be.
    struct Key<'de>(std::borrow::Cow<'de, str>);

    impl<'de> DeserializeSeed<'de> for Look {
        type Value = bool;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Look {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON value")
        }
        no_references_in_scalars!();
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            let (item, mut needs) = (self.0.item(), false);
            if item == At::Data {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
            } else {
                while let Some(n) = seq.next_element_seed(Look(item))? {
                    needs |= n;
                }
            }
            Ok(needs)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut needs = false;
            while let Some(Key(key)) = map.next_key()? {
                let next = if self.0 == At::Mapping {
                    At::Mapping
                } else if key == "$ref" && self.0.takes_refs() {
                    needs |= map.next_value_seed(Reference(self.0))?;
                    continue;
                } else {
                    self.0.child(&key)
                };
                match next {
                    At::Mapping if self.0 == At::Mapping => needs |= map.next_value_seed(Reference(At::Mapping))?,
                    At::Data => {
                        map.next_value::<IgnoredAny>()?;
                    }
                    next => needs |= map.next_value_seed(Look(next))?,
                }
            }
            Ok(needs)
        }
    }
    impl<'de> DeserializeSeed<'de> for Reference {
        type Value = bool;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Reference {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a reference")
        }
        fn visit_str<E>(self, reference: &str) -> Result<bool, E> {
            Ok(if self.0 == At::Mapping {
                is_reference(reference) && component_of(reference).is_none()
            } else {
                !component_of(reference).is_some_and(|(section, _)| self.0.follows(section))
            })
        }
        no_references_in_scalars!();
        // Not a string: a property named `$ref`, a schema, which needs no bundling of its own
        // but may hold references.
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
            Look(At::Schema).visit_seq(seq)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
            Look(At::Schema).visit_map(map)
        }
    }
    impl<'de> serde::Deserialize<'de> for Key<'de> {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
            struct KeyVisitor;
            impl<'de> Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a key")
                }
                fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Borrowed(key)))
                }
                fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                    Ok(Key(std::borrow::Cow::Owned(key.to_string())))
                }
            }
            d.deserialize_str(KeyVisitor)
        }
    }

    let mut de = serde_json::Deserializer::from_str(text);
    let needs = Look(OTHER).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(needs)
}

/// `#/components/{section}/{name}` -> its section and (escaped) name, for a section openapiv3
/// follows.
fn component_of(reference: &str) -> Option<(&str, &str)> {
    let (section, name) = reference.strip_prefix("#/components/")?.split_once('/')?;
    (!name.is_empty() && !name.contains('/') && (section == "schemas" || SECTIONS.contains(&section)))
        .then_some((section, name))
}

/// The root document as it was read: bundling reads it while it changes it.
pub enum Pristine<'t> {
    /// Its text, read again only if a `$ref` points into it elsewhere than a component.
    Text(&'t str),
    Value(Value),
}

/// Whether `doc` has a `$ref` that lowering cannot follow: what `bundle` would change.
pub fn needs_bundling(doc: &Value) -> bool {
    fn look(value: &Value, at: At) -> bool {
        match value {
            Value::Object(map) => {
                if let (true, Some(Value::String(reference))) = (at.takes_refs(), map.get("$ref")) {
                    return !component_of(reference).is_some_and(|(section, _)| at.follows(section));
                }
                if at == At::Mapping {
                    return map.values().filter_map(Value::as_str).any(|r| is_reference(r) && component_of(r).is_none());
                }
                map.iter().any(|(key, child)| {
                    let next = at.child(key);
                    next != At::Data && look(child, next)
                })
            }
            Value::Array(items) => at.item() != At::Data && items.iter().any(|item| look(item, at.item())),
            _ => false,
        }
    }
    look(doc, OTHER)
}

/// Resolves the `$ref`s of `doc` (read from `path`) that lowering cannot follow; see the module.
/// `files`: whether `$ref`s may name files in `path`'s folder (not for documents assembled
/// from pages, which have no folder of their own).
pub fn bundle(doc: &mut Value, path: &Path, pristine: Pristine<'_>, files: bool) -> Result<Bundled> {
    let given_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = if given_dir.as_os_str().is_empty() { Path::new(".") } else { &given_dir };
    let root_dir = std::fs::canonicalize(dir).map_err(|source| Error::Read { file: dir.to_path_buf(), source })?;
    let root_name = crate::files::file_name(path);
    let mut b = Bundler {
        files_allowed: files,
        root_dir,
        given_dir,
        files: vec![File { path: path.to_path_buf(), shown: root_name, dir: PathBuf::new(), value: None }],
        by_path: HashMap::new(),
        pristine: Some(pristine),
        hoisted: HashMap::new(),
        taken: HashSet::new(),
        new_schemas: Vec::new(),
        inlining: Vec::new(),
        copied: 0,
        out: Bundled::default(),
    };
    if let Ok(canonical) = std::fs::canonicalize(path) {
        b.by_path.insert(canonical, ROOT);
    }
    let Value::Object(map) = doc else { return Ok(b.out) };
    let schemas = map.get("components").and_then(|c| c.get("schemas")).and_then(Value::as_object);
    b.taken.extend(schemas.into_iter().flat_map(|s| s.keys().cloned()));
    // Components first, so that a file a component refers to is named after that component.
    let root = JsonPointer::root();
    if let Some(components) = map.get_mut("components") {
        b.walk(components, At::Components, ROOT, &root.push("components"), &root.push("components"))?;
    }
    for (key, child) in map.iter_mut().filter(|(k, _)| k.as_str() != "components") {
        let at = OTHER.child(key);
        b.walk(child, at, ROOT, &root.push(key), &root.push(key))?;
    }
    if !b.new_schemas.is_empty() {
        let components = map.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(components) = components {
            let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(schemas) = schemas {
                schemas.extend(std::mem::take(&mut b.new_schemas));
            }
        }
    }
    Ok(b.out)
}

type FileId = usize;
const ROOT: FileId = 0;

struct File {
    /// As the user would reach it (the root as given; the others joined to its folder).
    path: PathBuf,
    shown: String,
    /// Its folder, relative to the root file's.
    dir: PathBuf,
    /// Read when first needed.
    value: Option<Value>,
}

/// What a place in the document holds, as far as `$ref`s go: a small map of OpenAPI's grammar.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum At {
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
const OTHER: At = At::Other(None);

impl At {
    fn child(self, key: &str) -> At {
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
                "items" | "additionalProperties" | "not" | "contains" | "propertyNames" | "if" | "then" | "else"
                | "additionalItems" | "unevaluatedItems" | "unevaluatedProperties" => At::Schema,
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

    fn item(self) -> At {
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
    fn follows(self, section: &str) -> bool {
        match self {
            At::Schema => section == "schemas",
            At::Other(Some(expected)) => section == expected,
            _ => false,
        }
    }

    fn takes_refs(self) -> bool {
        matches!(self, At::Schema | At::Other(_))
    }
}

struct Bundler<'t> {
    files_allowed: bool,
    /// The root file's folder, resolved: no file outside it is read.
    root_dir: PathBuf,
    /// The root file's folder as the user gave it.
    given_dir: PathBuf,
    files: Vec<File>,
    by_path: HashMap<PathBuf, FileId>,
    pristine: Option<Pristine<'t>>,
    /// Schemas moved into `#/components/schemas`, by where they were: their names there.
    hoisted: HashMap<(FileId, JsonPointer), String>,
    /// Names in `#/components/schemas`.
    taken: HashSet<String>,
    new_schemas: Vec<(String, Value)>,
    /// The references being copied, innermost last: one that comes round again is a cycle.
    inlining: Vec<(FileId, JsonPointer)>,
    copied: usize,
    out: Bundled,
}

impl Bundler<'_> {
    /// `out`: where `value` stands in the bundled document; `src`: where in `file` it comes from.
    fn walk(&mut self, value: &mut Value, at: At, file: FileId, out: &JsonPointer, src: &JsonPointer) -> Result<()> {
        self.copied += usize::from(!self.inlining.is_empty());
        if self.copied > MAX_COPIED {
            return Err(self.invalid(file, src, "the `$ref`s expand the document past a million copied values"));
        }
        match value {
            Value::Object(map) => {
                if at.takes_refs() {
                    if let Some(Value::String(reference)) = map.get("$ref") {
                        let reference = reference.clone();
                        match self.reference(&reference, at, file, out, &src.push("$ref"))? {
                            Resolved::Keep => {}
                            Resolved::Rewrite(to) => {
                                map.insert("$ref".to_string(), Value::String(to));
                            }
                            Resolved::Copy(copy) => *value = copy,
                        }
                        return Ok(());
                    }
                }
                if at == At::Mapping {
                    for (key, target) in map.iter_mut() {
                        if let Value::String(reference) = target {
                            if let Some(to) = self.mapping(reference, file, &out.push(key), &src.push(key))? {
                                *reference = to;
                            }
                        }
                    }
                    return Ok(());
                }
                for (key, child) in map.iter_mut() {
                    let next = at.child(key);
                    if next != At::Data {
                        self.walk(child, next, file, &out.push(key), &src.push(key))?;
                    }
                }
            }
            Value::Array(items) => {
                let next = at.item();
                if next != At::Data {
                    for (i, child) in items.iter_mut().enumerate() {
                        let i = i.to_string();
                        self.walk(child, next, file, &out.push(&i), &src.push(&i))?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reference(
        &mut self,
        reference: &str,
        at: At,
        file: FileId,
        out: &JsonPointer,
        ref_ptr: &JsonPointer,
    ) -> Result<Resolved> {
        // A component of the root file, where openapiv3 follows it: as it is.
        if file == ROOT && component_of(reference).is_some_and(|(section, _)| at.follows(section)) {
            return Ok(Resolved::Keep);
        }
        let Some((target_file, pointer)) = self.target(reference, file, ref_ptr)? else {
            // Missing: a schema becomes any value, as a missing component does.
            let message = format!("`$ref: {reference}` points to nothing");
            if at == At::Schema {
                self.warn(out, file, ref_ptr, format!("{message}: the value is any JSON value"));
                return Ok(Resolved::Copy(Value::Object(Map::new())));
            }
            return Err(self.invalid(file, ref_ptr, message));
        };
        if target_file == ROOT {
            let local = format!("#{pointer}");
            if component_of(&local).is_some_and(|(section, _)| at.follows(section)) {
                return Ok(Resolved::Rewrite(local));
            }
        }
        let key = (target_file, pointer);
        if at == At::Schema {
            if let Some(name) = self.hoisted.get(&key) {
                return Ok(Resolved::Rewrite(format!("#/components/schemas/{}", escape(name))));
            }
            let cycle = self.inlining.contains(&key);
            // A component that only refers elsewhere (`Account: {$ref: ./schemas/Account.yaml}`)
            // takes what it refers to, and names it.
            if let (Some(name), false) = (named_schema(out).filter(|_| out.parent().parent() == components()), cycle) {
                self.hoisted.insert(key.clone(), name);
                return self.copy(key, at, out, Some((file, ref_ptr.parent()))).map(Resolved::Copy);
            }
            if (target_file != ROOT && hoistable(&key.1)) || cycle {
                let name = self.hoist(key)?;
                return Ok(Resolved::Rewrite(format!("#/components/schemas/{}", escape(&name))));
            }
        } else if self.inlining.contains(&key) {
            return Err(self.invalid(file, ref_ptr, format!("`$ref: {reference}` includes itself")));
        }
        self.copy(key, at, out, Some((file, ref_ptr.parent()))).map(Resolved::Copy)
    }

    /// A `discriminator.mapping` value: a schema name stays; a reference becomes one to
    /// `#/components/schemas`.
    fn mapping(&mut self, reference: &str, file: FileId, out: &JsonPointer, ptr: &JsonPointer) -> Result<Option<String>> {
        if !is_reference(reference) || (file == ROOT && component_of(reference).is_some()) {
            return Ok(None);
        }
        let Some((target_file, pointer)) = self.target(reference, file, ptr)? else {
            self.warn(out, file, ptr, format!("the mapping `{reference}` points to nothing"));
            return Ok(None);
        };
        if target_file == ROOT && component_of(&format!("#{pointer}")).is_some() {
            return Ok(Some(format!("#{pointer}")));
        }
        let key = (target_file, pointer);
        let name = match self.hoisted.get(&key) {
            Some(name) => name.clone(),
            None => self.hoist(key)?,
        };
        Ok(Some(format!("#/components/schemas/{}", escape(&name))))
    }

    /// Moves the schema at `key` into `#/components/schemas`, under a name of its own.
    fn hoist(&mut self, key: (FileId, JsonPointer)) -> Result<String> {
        let base = named_schema(&key.1).unwrap_or_else(|| {
            let stem = stem(&self.files[key.0].shown);
            let last = key.1.segments().filter(|s| !is_keyword(s) && s.parse::<usize>().is_err()).last();
            last.map_or(stem.clone(), |last| if key.0 == ROOT { last } else { format!("{stem}_{last}") })
        });
        // A name already taken by another schema: the file's folder tells them apart
        // (`v1/Item.yaml`, `v2/Item.yaml`), and failing that a number.
        let folder = self.files[key.0].dir.file_name().map(|f| f.to_string_lossy().into_owned());
        let mut name = match folder {
            Some(folder) if self.taken.contains(&base) && named_schema(&key.1).is_none() => format!("{folder}_{base}"),
            _ => base.clone(),
        };
        for n in 2.. {
            if !self.taken.contains(&name) {
                break;
            }
            name = format!("{base}{n}");
        }
        self.taken.insert(name.clone());
        self.hoisted.insert(key.clone(), name.clone());
        let out = JsonPointer::root().push("components").push("schemas").push(&name);
        let schema = self.copy(key, At::Schema, &out, None)?;
        self.new_schemas.push((name.clone(), schema));
        Ok(name)
    }

    /// A copy of what `key` points to, its own `$ref`s resolved, to stand at `out`.
    /// `via`: the `$ref` that asks for it, if any.
    fn copy(
        &mut self,
        key: (FileId, JsonPointer),
        at: At,
        out: &JsonPointer,
        via: Option<(FileId, JsonPointer)>,
    ) -> Result<Value> {
        let (file, pointer) = key.clone();
        let mut copy = self.value(file)?.pointer(pointer.as_str()).cloned().unwrap_or(Value::Null);
        let origin = &self.files[file];
        self.out.origins.copies.insert(
            out.clone(),
            Origin { path: origin.path.clone(), shown: origin.shown.clone(), pointer: pointer.clone() },
        );
        if let Some((from, pointer)) = via {
            let from = &self.files[from];
            let origin = Origin { path: from.path.clone(), shown: from.shown.clone(), pointer };
            self.out.origins.references.insert(out.clone(), origin);
        }
        self.inlining.push(key);
        let walked = self.walk(&mut copy, at, file, out, &pointer);
        self.inlining.pop();
        walked.map(|()| copy)
    }

    /// The file and pointer `reference` (written in `file`, at `ptr`) goes to; `None` when there
    /// is nothing there.
    fn target(&mut self, reference: &str, file: FileId, ptr: &JsonPointer) -> Result<Option<(FileId, JsonPointer)>> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let Some(pointer) = JsonPointer::parse(&percent_decode(fragment)) else {
            return Err(self.invalid(file, ptr, format!("`$ref: {reference}`: `#{fragment}` is not a JSON pointer")));
        };
        let target = if file_part.is_empty() { file } else { self.open(reference, file_part, file, ptr)? };
        let exists = self.value(target)?.pointer(pointer.as_str()).is_some();
        Ok(exists.then_some((target, pointer)))
    }

    /// The file `file_part` of `reference` (relative to `from`'s folder) names, read once; only files inside
    /// the root file's folder.
    fn open(&mut self, reference: &str, file_part: &str, from: FileId, ptr: &JsonPointer) -> Result<FileId> {
        if file_part.contains("://") || file_part.starts_with("//") {
            return Err(self.invalid(
                from,
                ptr,
                format!("`$ref: {reference}` is a URL: only files in the spec's folder are read, never the network"),
            ));
        }
        if !self.files_allowed {
            return Err(self.invalid(from, ptr, format!("`$ref: {reference}` names a file, which pages cannot")));
        }
        let relative = percent_decode(file_part);
        // Lexically first, so that nothing outside the folder is even looked at.
        let leaves = || {
            self.invalid(
                from,
                ptr,
                format!(
                    "`$ref: {reference}` leads out of the folder of {}: only files inside it are read",
                    self.files[ROOT].shown
                ),
            )
        };
        let mut inside: Vec<&std::ffi::OsStr> = self.files[from].dir.iter().collect();
        for part in Path::new(&relative).components() {
            match part {
                Component::CurDir => {}
                Component::ParentDir => {
                    inside.pop().ok_or_else(leaves)?;
                }
                Component::Normal(name) => inside.push(name),
                Component::RootDir | Component::Prefix(_) => return Err(leaves()),
            }
        }
        let inside: PathBuf = inside.into_iter().collect();
        let joined = self.given_dir.join(&inside);
        // Then as the file system resolves it, symbolic links and all.
        let canonical = std::fs::canonicalize(&joined)
            .map_err(|e| self.invalid(from, ptr, format!("`$ref: {reference}`: cannot open {}: {e}", joined.display())))?;
        if !canonical.starts_with(&self.root_dir) {
            return Err(leaves());
        }
        if let Some(&id) = self.by_path.get(&canonical) {
            return Ok(id);
        }
        let meta = std::fs::metadata(&canonical).map_err(|source| Error::Read { file: joined.clone(), source })?;
        if !meta.is_file() {
            return Err(self.invalid(from, ptr, format!("`$ref: {reference}` is not a file")));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(self.invalid(from, ptr, format!("`$ref: {reference}` is a file over 256 MiB")));
        }
        let shown = inside.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let id = self.files.len();
        let dir = inside.parent().map(Path::to_path_buf).unwrap_or_default();
        self.files.push(File { path: joined, shown, dir, value: None });
        self.by_path.insert(canonical, id);
        Ok(id)
    }

    /// The document of `file`, read on first use.
    fn value(&mut self, file: FileId) -> Result<&Value> {
        if self.files[file].value.is_none() {
            let path = self.files[file].path.clone();
            let pristine = if file == ROOT { self.pristine.take() } else { None };
            let value = match pristine {
                Some(Pristine::Value(v)) => v,
                Some(Pristine::Text(text)) => crate::load::parse_value(&path, text)?,
                None => crate::load::parse_value(&path, &crate::load::read_text(&path)?)?,
            };
            self.files[file].value = Some(value);
        }
        Ok(self.files[file].value.as_ref().expect("read above"))
    }

    fn invalid(&self, file: FileId, pointer: &JsonPointer, message: impl Into<String>) -> Error {
        Error::Invalid { file: self.files[file].path.clone(), pointer: pointer.clone(), message: message.into() }
    }

    /// A warning at `out` in the bundled document, whose origin is `src` in `file`.
    fn warn(&mut self, out: &JsonPointer, file: FileId, src: &JsonPointer, message: String) {
        if file != ROOT || out != src {
            let f = &self.files[file];
            self.out.origins.copies.entry(out.clone()).or_insert_with(|| Origin {
                path: f.path.clone(),
                shown: f.shown.clone(),
                pointer: src.clone(),
            });
        }
        self.out.warnings.push((out.clone(), message));
    }
}

/// Whether a `discriminator.mapping` value is a reference (`#/...`, `./a.yaml`), not a
/// schema's name.
fn is_reference(value: &str) -> bool {
    let (file_part, _) = value.split_once('#').unwrap_or((value, ""));
    value.starts_with('#') || [".yaml", ".yml", ".json"].iter().any(|e| file_part.to_ascii_lowercase().ends_with(e))
}

enum Resolved {
    Keep,
    Rewrite(String),
    Copy(Value),
}

/// The name a schema has where it is, if it is a component: `/components/schemas/A` or
/// `/definitions/A`.
fn named_schema(pointer: &JsonPointer) -> Option<String> {
    let segments: Vec<String> = pointer.segments().collect();
    match segments.as_slice() {
        [components, schemas, name] if components == "components" && schemas == "schemas" => Some(name.clone()),
        [defs, name] if defs == "definitions" || defs == "$defs" => Some(name.clone()),
        _ => None,
    }
}

/// Whether a schema of another file moves into `#/components/schemas` (a whole file, or a
/// component of one) rather than being copied where it is used.
fn hoistable(pointer: &JsonPointer) -> bool {
    pointer.as_str().is_empty() || named_schema(pointer).is_some()
}

fn components() -> JsonPointer {
    JsonPointer::root().push("components")
}

fn is_keyword(segment: &str) -> bool {
    matches!(
        segment,
        "components" | "schemas" | "properties" | "items" | "allOf" | "anyOf" | "oneOf" | "content" | "schema"
            | "responses" | "parameters" | "requestBodies" | "definitions" | "$defs" | "additionalProperties"
    ) || segment.contains('/')
}

/// `v3/schemas/AccessProfile.yaml` -> `AccessProfile`.
fn stem(shown: &str) -> String {
    let name = shown.rsplit('/').next().unwrap_or(shown);
    name.split_once('.').map_or(name, |(stem, _)| stem).to_string()
}

/// A pointer segment, escaped.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `%20` -> ` `: references are URIs. A malformed escape is left as it is.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_which_json_needs_bundling() {
        assert!(json_needs_no_bundling(r##"{"a": {"$ref": "#/components/schemas/A"}, "b": {"$ref" : "#/components/parameters/p"}}"##));
        assert!(!json_needs_no_bundling(r##"{"a": {"$ref": "#/components/schemas/A/properties/b"}}"##));
        assert!(!json_needs_no_bundling(r##"{"a": {"$ref": "./a.json"}}"##));
        assert!(!json_needs_no_bundling(r##"{"a": {"$ref": {"type": "string"}}}"##));
        assert!(!json_needs_no_bundling(r##"{"a": {"$ref": "#/components/x-media/A"}}"##));
    }

    #[test]
    fn streams_json_for_references_that_need_bundling() {
        let doc = |refs: &str| format!(r#"{{"openapi": "3.0.3", "paths": {{"/a": {{"get": {{"x-webhook": {{"$ref": "a.yaml"}}, "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {refs}}}}}}}}}}}}}}}}}"#);
        assert_eq!(json_needs_bundling(&doc(r##"{"$ref": "#/components/schemas/A"}"##)), Some(false), "inside x- only");
        assert_eq!(json_needs_bundling(&doc(r##"{"$ref": "#/components/schemas/A/properties/b"}"##)), Some(true));
        assert_eq!(json_needs_bundling(&doc(r##"{"properties": {"$ref": {"type": "string"}}}"##)), Some(false));
        assert_eq!(json_needs_bundling(&doc(r##"{"items": {"$ref": "./b.json"}}"##)), Some(true));
        assert_eq!(json_needs_bundling("{"), None);
    }

    #[test]
    fn names_and_decodes() {
        assert_eq!(stem("v3/schemas/AccessProfile.yaml"), "AccessProfile");
        assert_eq!(named_schema(&JsonPointer::root()), None);
        assert!(hoistable(&JsonPointer::root()));
        assert_eq!(named_schema(&JsonPointer::parse("/components/schemas/A").unwrap()).as_deref(), Some("A"));
        assert_eq!(named_schema(&JsonPointer::parse("/components/schemas/A/items").unwrap()), None);
        assert_eq!(percent_decode("My%20File.yaml"), "My File.yaml");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
