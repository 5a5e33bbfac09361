//! Stage 1, load: read a YAML or JSON file into an `openapiv3::OpenAPI` document.
//!
//! Errors say which file, and the line and column (syntax) or the JSON pointer (shape) where
//! the document goes wrong. Besides the files named, only the files their `$ref`s name inside
//! their folders are read (see `bundle`), never URLs.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::files::file_name;
use crate::pointer::JsonPointer;
use bundle::{AsGiven, Bundled};
use dialect::Source;
use parse::{is_json, parse_as, parse_value, pointer_of, read_text};

pub mod bundle;
pub mod dialect;
mod grammar;
pub mod pages;
mod parse;
pub mod repair;
mod typed;

pub use bundle::Origins;

/// One input spec, parsed.
#[derive(Debug)]
pub struct LoadedSpec {
    pub path: PathBuf,
    /// The file name without its folder: what reports and generated comments show.
    pub file_name: String,
    pub doc: openapiv3::OpenAPI,
    /// Defects worked around so that the document could be read (see `repair` and `bundle`),
    /// each at its pointer in `doc`.
    pub repairs: repair::Repairs,
    /// Where the parts of `doc` copied from other places (other files) came from.
    pub origins: Origins,
    /// The document's `webhooks` (OpenAPI 3.1): the requests the API sends, by name.
    pub webhooks: Webhooks,
}

/// Path items by name: a document's `webhooks`.
pub type Webhooks = indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>>;

/// The names overlay: a `components.schemas` map whose entries name the inline shapes they match.
#[derive(Debug, Default, Deserialize)]
pub struct NamesOverlay {
    #[serde(default)]
    pub components: openapiv3::Components,
}

/// Reads the spec at `path`, and the files in its folder that its `$ref`s name.
pub fn load_spec(path: &Path) -> Result<LoadedSpec> {
    let text = read_text(path)?;
    // A JSON document whose `$ref`s openapiv3 follows itself goes straight into its types: the
    // fastest way in, and that of most specs. A quick look at its `$ref`s decides, and when it
    // cannot vouch for one (a file named inside an `x-` extension), a read that builds nothing.
    if is_json(path, &text) {
        // Only 3.0 is read as it is; 3.1 and 3.2 are translated first.
        let typed = || typed::openapi_from_str(&text).ok().filter(readable_as_it_is);
        let doc = if bundle::json_needs_no_bundling(&text) {
            typed()
        } else {
            // The streaming look and the typed read, side by side: a look that says no costs
            // no time then.
            std::thread::scope(|s| {
                let look = s.spawn(|| bundle::json_needs_bundling(&text));
                let doc = typed();
                doc.filter(|_| look.join().is_ok_and(|needs| needs == Some(false)))
            })
        };
        if let Some(doc) = doc {
            return Ok(as_read(path, doc));
        }
    } else if bundle::yaml_needs_no_bundling(&text) {
        // The same for YAML, read as its JSON value would read (see `typed::yaml`).
        if let Some(doc) = typed::openapi_from_yaml(&text).ok().filter(readable_as_it_is) {
            return Ok(as_read(path, doc));
        }
    }
    let mut value = parse_value(path, &text)?;
    let source = Source::Document(dialect::version(path, &value)?);
    let mut bundled = bundle::bundle(&mut value, path, AsGiven::Text(&text), true)?;
    bundled.warnings.extend(dialect::translate(&mut value, source));
    read(path, file_name(path), value, bundled, || {
        let mut value = parse_value(path, &text)?;
        bundle::bundle(&mut value, path, AsGiven::Text(&text), true)?;
        dialect::translate(&mut value, source);
        Ok(value)
    })
}

/// Whether a document read straight into its types is what the full reading would make of
/// it: OpenAPI 3.0 (3.1 and 3.2 are translated first), its `$ref`s where openapiv3 follows
/// them, and no extension named as the translation names webhooks.
fn readable_as_it_is(doc: &openapiv3::OpenAPI) -> bool {
    dialect::parse_version(&doc.openapi) == Some(dialect::Version::V30)
        && bundle::refs_fit_their_places(doc)
        && !doc.extensions.contains_key(dialect::WEBHOOKS)
}

/// A document read as it is: nothing bundled, translated or repaired.
fn as_read(path: &Path, doc: openapiv3::OpenAPI) -> LoadedSpec {
    LoadedSpec {
        path: path.to_path_buf(),
        file_name: file_name(path),
        doc,
        repairs: Vec::new(),
        origins: Origins::default(),
        webhooks: Webhooks::default(),
    }
}

/// A document assembled from documentation pages, under the name it goes by.
pub fn load_assembled(spec: pages::AssembledSpec) -> Result<LoadedSpec> {
    let path = PathBuf::from(&spec.file_name);
    let mut value = spec.doc;
    let mut bundled = if bundle::needs_bundling(&value) {
        let as_given = AsGiven::Value(value.clone());
        bundle::bundle(&mut value, &path, as_given, false)?
    } else {
        Bundled::default()
    };
    bundled.warnings.extend(spec.warnings);
    // Pages say no version: their schemas may be written in 3.1's forms.
    bundled.warnings.extend(dialect::translate(&mut value, Source::Pages));
    let kept = value.clone();
    read(&path, spec.file_name, value, bundled, move || Ok(kept)).map_err(|e| match e {
        Error::Invalid { file, pointer, message } => {
            Error::Invalid { file, pointer, message: format!("{message} (assembled from {} pages)", spec.pages.len()) }
        }
        e => e,
    })
}

/// The typed document of a bundled `value`; if it does not read, once more after its known
/// defects are repaired (see `repair`). Errors name the file and pointer the user wrote.
///
/// `value` is read into types by value, freeing it as it goes (the peak stays that of one of
/// the two); `reread` gives it again, only for the repairs.
fn read(
    path: &Path,
    file_name: String,
    value: serde_json::Value,
    bundled: Bundled,
    reread: impl FnOnce() -> Result<serde_json::Value>,
) -> Result<LoadedSpec> {
    let Bundled { origins, warnings } = bundled;
    let located = |e: serde_path_to_error::Error<serde_json::Error>, value: &serde_json::Value| {
        let (pointer, message) = match pointer_of(e.path()) {
            // openapiv3 reads `paths` whole, and the error's path ends there: find the item.
            p if p.as_str() == "/paths" => path_item_error(value).unwrap_or((p, e.into_inner().to_string())),
            p => (p, e.into_inner().to_string()),
        };
        match origins.locate(&pointer) {
            Some(origin) => Error::Invalid { file: origin.path, pointer: origin.pointer, message },
            None => Error::Invalid { file: path.to_path_buf(), pointer, message },
        }
    };
    // serde alone first; a document that fails is read again with its path tracked, for the
    // error's pointer (see `parse::parse_as`).
    let (mut doc, mut repairs): (openapiv3::OpenAPI, _) = match typed::openapi(value) {
        Ok(doc) => (doc, Vec::new()),
        Err(_) => {
            let mut value = reread()?;
            match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
                // Both readings are of one JSON value and agree; were this one to read, it stands.
                Ok(doc) => (doc, Vec::new()),
                Err(e) => {
                    let first = located(e, &value);
                    let repairs = repair::repair(&mut value);
                    if repairs.is_empty() {
                        return Err(first);
                    }
                    (serde_path_to_error::deserialize(&value).map_err(|e| located(e, &value))?, repairs)
                }
            }
        }
    };
    repairs.extend(warnings);
    let webhooks = match doc.extensions.shift_remove(dialect::WEBHOOKS) {
        Some(hooks) => serde_path_to_error::deserialize(hooks).map_err(|e| {
            let pointer = JsonPointer::root().push("webhooks").join(&pointer_of(e.path()));
            Error::Invalid { file: path.to_path_buf(), pointer, message: e.into_inner().to_string() }
        })?,
        None => Webhooks::default(),
    };
    Ok(LoadedSpec { path: path.to_path_buf(), file_name, doc, repairs, origins, webhooks })
}

/// The first path item that does not read, and why, at its pointer.
fn path_item_error(doc: &serde_json::Value) -> Option<(JsonPointer, String)> {
    let paths = doc.get("paths")?.as_object()?;
    paths.iter().filter(|(key, _)| !key.starts_with("x-")).find_map(|(key, item)| {
        let e = serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item).err()?;
        let pointer = JsonPointer::root().push("paths").push(key).join(&pointer_of(e.path()));
        Some((pointer, e.into_inner().to_string()))
    })
}

impl crate::package::Package {
    /// Reads a package file (`--package`, YAML or JSON), its keys checked; an error names the
    /// file and the key.
    pub fn read(path: &Path) -> Result<Self> {
        let package: Self = parse_as(path, &read_text(path)?)?;
        package.check().map_err(|e| Error::Invalid {
            file: path.to_path_buf(),
            pointer: e.pointer,
            message: e.message,
        })?;
        Ok(package)
    }
}

pub fn load_names(path: &Path) -> Result<(String, NamesOverlay)> {
    let text = read_text(path)?;
    Ok((file_name(path), parse_as(path, &text)?))
}
