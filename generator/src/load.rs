//! Stage 1, load: read a YAML or JSON file into an `openapiv3::OpenAPI` document.
//!
//! Errors say which file, and the line and column (syntax) or the JSON pointer (shape) where
//! the document goes wrong. Besides the files named, only the files their `$ref`s name inside
//! their folders are read (see `bundle`), never URLs.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::bundle::{self, Bundled, Origins, Pristine};
use crate::dialect::{self, Source};
use crate::error::{Error, Result};
use crate::files::file_name;
use crate::pointer::JsonPointer;

/// One input spec, parsed.
#[derive(Debug)]
pub struct LoadedSpec {
    pub path: PathBuf,
    /// The file name without its folder: what reports and generated comments show.
    pub file_name: String,
    pub doc: openapiv3::OpenAPI,
    /// Defects worked around so that the document could be read (see `repair` and `bundle`),
    /// each at its pointer in `doc`.
    pub repairs: crate::repair::Repairs,
    /// Where the parts of `doc` copied from other places (other files) came from.
    pub origins: Origins,
}

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
    // fastest way in, and that of most specs.
    // A JSON document whose `$ref`s openapiv3 follows itself goes straight into its types: the
    // fastest way in, and that of most specs. A quick look at its `$ref`s decides, and when it
    // cannot vouch for one (a file named inside an `x-` extension), a read that builds nothing.
    if is_json(path, &text) {
        // Only 3.0 is read as it is; 3.1 and 3.2 are translated first.
        let typed = || {
            parse_as::<openapiv3::OpenAPI>(path, &text)
                .ok()
                .filter(|doc| dialect::parse_version(&doc.openapi) == Some(dialect::Version::V30))
                .filter(bundle::refs_fit_their_places)
        };
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
            return Ok(LoadedSpec {
                path: path.to_path_buf(),
                file_name: file_name(path),
                doc,
                repairs: Vec::new(),
                origins: Origins::default(),
            });
        }
    }
    let mut value = parse_value(path, &text)?;
    let source = Source::Document(dialect::version(path, &value)?);
    let mut bundled = bundle::bundle(&mut value, path, Pristine::Text(&text), true)?;
    bundled.warnings.extend(dialect::translate(&mut value, source));
    read(path, file_name(path), value, bundled, || {
        let mut value = parse_value(path, &text)?;
        bundle::bundle(&mut value, path, Pristine::Text(&text), true)?;
        dialect::translate(&mut value, source);
        Ok(value)
    })
}

/// A document assembled from documentation pages, under the name it goes by.
pub fn load_assembled(spec: crate::pages::AssembledSpec) -> Result<LoadedSpec> {
    let path = PathBuf::from(&spec.file_name);
    let mut value = spec.doc;
    let mut bundled = if bundle::needs_bundling(&value) {
        let pristine = Pristine::Value(value.clone());
        bundle::bundle(&mut value, &path, pristine, false)?
    } else {
        Bundled::default()
    };
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
    let (doc, mut repairs) = match serde_path_to_error::deserialize(value) {
        Ok(doc) => (doc, Vec::new()),
        Err(e) => {
            let mut value = reread()?;
            let first = located(e, &value);
            let repairs = crate::repair::repair(&mut value);
            if repairs.is_empty() {
                return Err(first);
            }
            (serde_path_to_error::deserialize(&value).map_err(|e| located(e, &value))?, repairs)
        }
    };
    repairs.extend(warnings);
    Ok(LoadedSpec { path: path.to_path_buf(), file_name, doc, repairs, origins })
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

pub fn load_names(path: &Path) -> Result<(String, NamesOverlay)> {
    let text = read_text(path)?;
    Ok((file_name(path), parse_as(path, &text)?))
}

pub(crate) fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { file: path.to_path_buf(), source })?;
    let invalid = |message: &str| Error::Invalid {
        file: path.to_path_buf(),
        pointer: JsonPointer::root(),
        message: message.to_string(),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid("the file is empty"));
    }
    String::from_utf8(bytes).map_err(|_| invalid("the file is not UTF-8 text (a binary file?)"))
}

fn is_json(path: &Path, text: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) || text.trim_start().starts_with('{')
}

fn parse_as<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    if is_json(path, text) {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let pointer = pointer_of(e.path());
            let inner = e.into_inner();
            let (line, column) = (inner.line(), inner.column());
            shape_or_syntax(
                path,
                pointer,
                line,
                column,
                inner.classify() == serde_json::error::Category::Data,
                inner.to_string(),
            )
        })?;
        de.end().map_err(|e| Error::Syntax {
            file: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        Ok(value)
    } else {
        // Through a JSON value: openapiv3's `$ref`-or-item reader can panic on YAML input that
        // reads one way the first time and another the second (found by `cargo xtask fuzz`);
        // from a JSON value both readings agree.
        serde_path_to_error::deserialize(parse_value(path, text)?).map_err(|e| {
            let pointer = pointer_of(e.path());
            Error::Invalid { file: path.to_path_buf(), pointer, message: e.into_inner().to_string() }
        })
    }
}

/// A YAML or JSON file's document, as a JSON value.
pub(crate) fn parse_value(path: &Path, text: &str) -> Result<serde_json::Value> {
    if is_json(path, text) {
        return parse_as(path, text);
    }
    let de = serde_yaml::Deserializer::from_str(text);
    let value: YamlValue = serde_path_to_error::deserialize(de).map_err(|e| {
        let pointer = pointer_of(e.path());
        let inner = e.into_inner();
        let (line, column) = inner.location().map_or((0, 0), |l| (l.line(), l.column()));
        // serde_yaml does not tell syntax from shape errors; a non-empty path means we got
        // far enough into the document for the pointer to be the better guide.
        let is_shape = pointer != JsonPointer::root();
        shape_or_syntax(path, pointer, line, column, is_shape, inner.to_string())
    })?;
    Ok(value.0)
}

/// A JSON value read from YAML. An integer too large for 64 bits (`maximum:
/// 18446744073709552000` in DigitalOcean's spec) becomes a float, as serde_json reads the same
/// number from JSON text; `serde_json::Value` itself refuses it, and with it the whole file.
struct YamlValue(serde_json::Value);

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(YamlValueVisitor).map(YamlValue)
    }
}

struct YamlValueVisitor;

impl<'de> serde::de::Visitor<'de> for YamlValueVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> std::result::Result<Self::Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> std::result::Result<Self::Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        YamlValue::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(YamlValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let mut fields = serde_json::Map::new();
        while let Some((key, YamlValue(value))) = map.next_entry::<String, YamlValue>()? {
            fields.insert(key, value);
        }
        Ok(serde_json::Value::Object(fields))
    }
}

fn shape_or_syntax(
    path: &Path,
    pointer: JsonPointer,
    line: usize,
    column: usize,
    is_shape: bool,
    message: String,
) -> Error {
    if is_shape {
        Error::Invalid { file: path.to_path_buf(), pointer, message }
    } else {
        Error::Syntax { file: path.to_path_buf(), line, column, message }
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> JsonPointer {
    use serde_path_to_error::Segment;
    path.iter().fold(JsonPointer::root(), |p, segment| match segment {
        Segment::Seq { index } => p.push(index.to_string()),
        Segment::Map { key } => p.push(key),
        Segment::Enum { variant } => p.push(variant),
        Segment::Unknown => p,
    })
}
