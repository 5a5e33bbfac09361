//! The parser, a leaf of the load stage: a YAML or JSON file into a JSON value or a typed
//! document, with errors that name the file and the line and column (syntax) or the JSON
//! pointer (shape). `load` and `bundle` both read files through it.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::pointer::JsonPointer;

/// The text of the file at `path`: an empty or non-UTF-8 file is an error naming it.
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

/// Whether `text` is read as JSON (by its file name, or its first character).
pub(crate) fn is_json(path: &Path, text: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) || text.trim_start().starts_with('{')
}

/// A YAML or JSON file's document, read into `T`.
pub(crate) fn parse_as<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    if is_json(path, text) {
        // serde alone first; only a text that fails is read again with its path tracked, for
        // the error's pointer (tracking every value costs a fourth of generating a large spec).
        let mut de = serde_json::Deserializer::from_str(text);
        if let Ok(value) = T::deserialize(&mut de) {
            if de.end().is_ok() {
                return Ok(value);
            }
        }
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
        if let Ok(value) = T::deserialize(parse_value(path, text)?) {
            return Ok(value);
        }
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
    if let Ok(value) = YamlValue::deserialize(serde_yaml::Deserializer::from_str(text)) {
        return Ok(value.0);
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
pub(crate) struct YamlValue(pub(crate) serde_json::Value);

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

/// The JSON pointer of a path serde_path_to_error reports.
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> JsonPointer {
    use serde_path_to_error::Segment;
    path.iter().fold(JsonPointer::root(), |p, segment| match segment {
        Segment::Seq { index } => p.push(index.to_string()),
        Segment::Map { key } => p.push(key),
        Segment::Enum { variant } => p.push(variant),
        Segment::Unknown => p,
    })
}
