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

mod origins;
mod scan;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::load::grammar::{component_of, is_reference, Place, PLAIN_OBJECT};
use crate::pointer::JsonPointer;
pub use origins::{Origin, Origins};
pub use scan::{
    json_needs_bundling, json_needs_no_bundling, needs_bundling, refs_fit_their_places, yaml_needs_no_bundling,
};

/// Values copied while bundling before it is refused: a few nested `$ref`s can otherwise make a
/// document exponentially large. SailPoint's Beta tree, the largest known, copies 50,000.
const MAX_COPIED: usize = 1_000_000;
/// Larger referenced files are refused rather than read.
const MAX_FILE_BYTES: u64 = 256 << 20;

/// What bundling did besides changing the document.
#[derive(Debug, Default)]
pub struct Bundled {
    pub origins: Origins,
    /// Defects worked around, at their pointers in the bundled document.
    pub warnings: Vec<(JsonPointer, String)>,
}

/// The root document as it was read: bundling reads it while it changes it.
pub enum AsGiven<'t> {
    /// Its text, read again only if a `$ref` points into it elsewhere than a component.
    Text(&'t str),
    Value(Value),
}

/// Resolves the `$ref`s of `doc` (read from `path`) that lowering cannot follow; see the module.
/// `files`: whether `$ref`s may name files in `path`'s folder (not for documents assembled
/// from pages, which have no folder of their own).
pub fn bundle(doc: &mut Value, path: &Path, as_given: AsGiven<'_>, files: bool) -> Result<Bundled> {
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
        as_given: Some(as_given),
        hoisted: HashMap::new(),
        taken: HashSet::new(),
        new_schemas: Vec::new(),
        inlining: Vec::new(),
        copied: 0,
        warned: HashSet::new(),
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
        b.walk(components, Place::Components, ROOT, &root.push("components"), &root.push("components"))?;
    }
    for (key, child) in map.iter_mut().filter(|(k, _)| k.as_str() != "components") {
        let at = PLAIN_OBJECT.child(key);
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

struct Bundler<'t> {
    files_allowed: bool,
    /// The root file's folder, resolved: no file outside it is read.
    root_dir: PathBuf,
    /// The root file's folder as the user gave it.
    given_dir: PathBuf,
    files: Vec<File>,
    by_path: HashMap<PathBuf, FileId>,
    as_given: Option<AsGiven<'t>>,
    /// Schemas moved into `#/components/schemas`, by where they were: their names there.
    hoisted: HashMap<(FileId, JsonPointer), String>,
    /// Names in `#/components/schemas`.
    taken: HashSet<String>,
    new_schemas: Vec<(String, Value)>,
    /// The references being copied, innermost last: one that comes round again is a cycle.
    inlining: Vec<(FileId, JsonPointer)>,
    copied: usize,
    /// The warnings given, by where the user wrote their cause.
    warned: HashSet<(FileId, JsonPointer, String)>,
    out: Bundled,
}

impl Bundler<'_> {
    /// `out`: where `value` stands in the bundled document; `src`: where in `file` it comes from.
    /// `Fate::Drop` when it is a `$ref` to nothing, which its parent leaves out.
    fn walk(
        &mut self,
        value: &mut Value,
        at: Place,
        file: FileId,
        out: &JsonPointer,
        src: &JsonPointer,
    ) -> Result<Fate> {
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
                            RefAction::Keep => {}
                            RefAction::Rewrite(to) => {
                                map.insert("$ref".to_string(), Value::String(to));
                            }
                            RefAction::Copy(copy) => *value = copy,
                            RefAction::Drop => return Ok(Fate::Drop),
                        }
                        return Ok(Fate::Keep);
                    }
                }
                if at == Place::Mapping {
                    for (key, target) in map.iter_mut() {
                        if let Value::String(reference) = target {
                            if let Some(to) = self.mapping(reference, file, &out.push(key), &src.push(key))? {
                                *reference = to;
                            }
                        }
                    }
                    return Ok(Fate::Keep);
                }
                let mut dropped = Vec::new();
                for (key, child) in map.iter_mut() {
                    let next = at.child(key);
                    if next != Place::Data
                        && self.walk(child, next, file, &out.push(key), &src.push(key))? == Fate::Drop
                    {
                        dropped.push(key.clone());
                    }
                }
                for key in dropped {
                    map.shift_remove(&key);
                }
            }
            Value::Array(items) => {
                let next = at.item();
                if next != Place::Data {
                    let mut dropped = Vec::new();
                    for (i, child) in items.iter_mut().enumerate() {
                        let at = i.to_string();
                        if self.walk(child, next, file, &out.push(&at), &src.push(&at))? == Fate::Drop {
                            dropped.push(i);
                        }
                    }
                    for i in dropped.into_iter().rev() {
                        items.remove(i);
                    }
                }
            }
            _ => {}
        }
        Ok(Fate::Keep)
    }

    fn reference(
        &mut self,
        reference: &str,
        at: Place,
        file: FileId,
        out: &JsonPointer,
        ref_ptr: &JsonPointer,
    ) -> Result<RefAction> {
        // A component of the root file, where openapiv3 follows it: as it is.
        if file == ROOT && component_of(reference).is_some_and(|(section, _)| at.follows(section)) {
            return Ok(RefAction::Keep);
        }
        let (target_file, pointer) = match self.target(reference, file, ref_ptr)? {
            Target::Found(file, pointer) => (file, pointer),
            // Defects worked around: a schema becomes any value, as a missing component does,
            // and anything else is left out.
            gone => {
                let why = match gone {
                    Target::Remote => "is on the network, which is never read",
                    _ => "points to nothing",
                };
                let (then, action) = match at {
                    Place::Schema => ("the value is any JSON value", RefAction::Copy(Value::Object(Map::new()))),
                    _ => (at.left_out(), RefAction::Drop),
                };
                self.warn(out, file, ref_ptr, format!("`$ref: {reference}` {why}: {then}"));
                return Ok(action);
            }
        };
        if target_file == ROOT {
            let local = format!("#{pointer}");
            if component_of(&local).is_some_and(|(section, _)| at.follows(section)) {
                return Ok(RefAction::Rewrite(local));
            }
        }
        let key = (target_file, pointer);
        if at == Place::Schema {
            if let Some(name) = self.hoisted.get(&key) {
                return Ok(RefAction::Rewrite(schema_reference(name)));
            }
            let cycle = self.inlining.contains(&key);
            // A component that only refers elsewhere (`Account: {$ref: ./schemas/Account.yaml}`)
            // takes what it refers to, and names it.
            if let (Some(name), false) = (named_schema(out).filter(|_| out.parent().parent() == components()), cycle) {
                self.hoisted.insert(key.clone(), name);
                return self
                    .copy(key, at, out, Some((file, ref_ptr.parent())))
                    .map(|c| c.map_or(RefAction::Drop, RefAction::Copy));
            }
            if (target_file != ROOT && hoistable(&key.1)) || cycle {
                let name = self.hoist(key)?;
                return Ok(RefAction::Rewrite(schema_reference(&name)));
            }
        } else if self.inlining.contains(&key) {
            return Err(self.invalid(file, ref_ptr, format!("`$ref: {reference}` includes itself")));
        }
        self.copy(key, at, out, Some((file, ref_ptr.parent()))).map(|c| c.map_or(RefAction::Drop, RefAction::Copy))
    }

    /// A `discriminator.mapping` value: a schema name stays; a reference becomes one to
    /// `#/components/schemas`.
    fn mapping(
        &mut self,
        reference: &str,
        file: FileId,
        out: &JsonPointer,
        ptr: &JsonPointer,
    ) -> Result<Option<String>> {
        if !is_reference(reference) || (file == ROOT && component_of(reference).is_some()) {
            return Ok(None);
        }
        let (target_file, pointer) = match self.target(reference, file, ptr)? {
            Target::Found(file, pointer) => (file, pointer),
            Target::Remote => {
                self.warn(out, file, ptr, format!("the mapping `{reference}` is on the network, which is never read"));
                return Ok(None);
            }
            Target::Nothing => {
                self.warn(out, file, ptr, format!("the mapping `{reference}` points to nothing"));
                return Ok(None);
            }
        };
        if target_file == ROOT && component_of(&format!("#{pointer}")).is_some() {
            return Ok(Some(format!("#{pointer}")));
        }
        let key = (target_file, pointer);
        let name = match self.hoisted.get(&key) {
            Some(name) => name.clone(),
            None => self.hoist(key)?,
        };
        Ok(Some(schema_reference(&name)))
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
        // A schema is never dropped (one that is nothing is any value).
        let schema = self.copy(key, Place::Schema, &out, None)?.unwrap_or_default();
        self.new_schemas.push((name.clone(), schema));
        Ok(name)
    }

    /// A copy of what `key` points to, its own `$ref`s resolved, to stand at `out`; `None`
    /// when it is itself a `$ref` to nothing, to be left out. `via`: the `$ref` that asks for
    /// it, if any.
    fn copy(
        &mut self,
        key: (FileId, JsonPointer),
        at: Place,
        out: &JsonPointer,
        via: Option<(FileId, JsonPointer)>,
    ) -> Result<Option<Value>> {
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
        Ok((walked? == Fate::Keep).then_some(copy))
    }

    /// The file and pointer `reference` (written in `file`, at `ptr`) goes to.
    fn target(&mut self, reference: &str, file: FileId, ptr: &JsonPointer) -> Result<Target> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if is_url(file_part) {
            return Ok(Target::Remote);
        }
        let Some(pointer) = JsonPointer::parse(&percent_decode(fragment)) else {
            return Err(self.invalid(file, ptr, format!("`$ref: {reference}`: `#{fragment}` is not a JSON pointer")));
        };
        let target = if file_part.is_empty() { file } else { self.open(reference, file_part, file, ptr)? };
        let exists = self.value(target)?.pointer(pointer.as_str()).is_some();
        Ok(if exists { Target::Found(target, pointer) } else { Target::Nothing })
    }

    /// The file `file_part` of `reference` (relative to `from`'s folder) names, read once; only files inside
    /// the root file's folder.
    fn open(&mut self, reference: &str, file_part: &str, from: FileId, ptr: &JsonPointer) -> Result<FileId> {
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
        let canonical = std::fs::canonicalize(&joined).map_err(|e| {
            self.invalid(from, ptr, format!("`$ref: {reference}`: cannot open {}: {e}", joined.display()))
        })?;
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
            let as_given = if file == ROOT { self.as_given.take() } else { None };
            let value = match as_given {
                Some(AsGiven::Value(v)) => v,
                Some(AsGiven::Text(text)) => crate::load::parse::parse_value(&path, text)?,
                None => crate::load::parse::parse_value(&path, &crate::load::parse::read_text(&path)?)?,
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
        // A place copied to several others is one place in what the user wrote: warned once.
        if !self.warned.insert((file, src.clone(), message.clone())) {
            return;
        }
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

/// What becomes of one `$ref` when bundling: kept as it is, rewritten to a reference inside
/// the document, replaced by a copy of what it points at, or left out with what holds it.
enum RefAction {
    Keep,
    Rewrite(String),
    Copy(Value),
    Drop,
}

/// Whether a walked value stays where it is or is left out by its parent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
    Keep,
    Drop,
}

/// Where a `$ref` leads.
enum Target {
    Found(FileId, JsonPointer),
    /// The file is there, the pointer leads nowhere in it.
    Nothing,
    /// A URL: the network is never read.
    Remote,
}

/// Whether a `$ref`'s file part is a URL (`https://...`, `//host/...`), never fetched.
fn is_url(file_part: &str) -> bool {
    file_part.contains("://") || file_part.starts_with("//")
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
        "components"
            | "schemas"
            | "properties"
            | "items"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "content"
            | "schema"
            | "responses"
            | "parameters"
            | "requestBodies"
            | "definitions"
            | "$defs"
            | "additionalProperties"
    ) || segment.contains('/')
}

/// `v3/schemas/AccessProfile.yaml` -> `AccessProfile`.
fn stem(shown: &str) -> String {
    let name = shown.rsplit('/').next().unwrap_or(shown);
    name.split_once('.').map_or(name, |(stem, _)| stem).to_string()
}

/// `#/components/schemas/{name}`, the name escaped.
fn schema_reference(name: &str) -> String {
    format!("#{}", components().push("schemas").push(name))
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
