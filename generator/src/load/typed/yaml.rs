//! YAML text read by the same readers, with every value read as the JSON value that the YAML
//! reads as would be (`parse::YamlValue`, the way YAML documents are read otherwise), without
//! building that value.
//!
//! `Strict` asks serde_yaml for whatever comes next (`deserialize_any`), never for the type
//! the reader wants, and hands it on as the JSON value would: serde_yaml would read a number
//! as a string where a string is wanted, or an empty value as an empty map, and a JSON value
//! does neither. An integer too large for 64 bits becomes a float and a float that is not
//! finite becomes null, as in `YamlValue`; what only a whole value can answer (an enum, a
//! newtype) is read through a `YamlValue`; what is skipped is still read as one, so that a
//! document with a part no JSON value can hold fails here as it fails there.

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Number, Value};

use super::seeds::Build;
use crate::load::parse::YamlValue;

/// The document of a YAML text; a large one is read in two parts side by side (see
/// [`split_point`]).
pub(crate) fn openapi_from_yaml(text: &str) -> Result<openapiv3::OpenAPI, serde_yaml::Error> {
    read(text, SPLIT_FROM)
}

/// The size from which a text is read in two parts: below it a thread costs more than it
/// saves.
const SPLIT_FROM: usize = 256 * 1024;

/// The document of a YAML text, read in two parts on two threads when it is at least
/// `split_from` long and can be cut.
pub(super) fn read(text: &str, split_from: usize) -> Result<openapiv3::OpenAPI, serde_yaml::Error> {
    let whole = || super::Object::<super::Doc>::default().deserialize(Strict(serde_yaml::Deserializer::from_str(text)));
    let Some(at) = split_point(text, split_from) else { return whole() };
    let (first, second) = text.split_at(at);
    let part = |text: &str| DocPart.deserialize(Strict(serde_yaml::Deserializer::from_str(text)));
    let (first, second) = std::thread::scope(|s| {
        let second = s.spawn(|| part(second));
        (part(first), second.join())
    });
    let second = second.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    // Parts that do not read (a cut through a scalar, an alias to the other part): the
    // whole, as if never cut.
    match (first, second) {
        (Ok(first), Ok(second)) => first.merge::<serde_yaml::Error>(second)?.finish(),
        _ => whole(),
    }
}

/// Where a YAML text can be cut into two documents that read as the whole does: before a
/// top-level key (a line that starts in column 0 with a plain key and `:`) near the middle.
/// A top-level mapping's entries are independent, and such a line can only be one: a block
/// scalar's lines are indented, and a plain scalar cannot hold `: `. A cut inside a quoted
/// scalar or a flow collection leaves the first part unterminated, and an alias in one part
/// to an anchor in the other is unknown there: errors, after which the text is read whole.
/// Texts with directives or more than one document are not cut.
fn split_point(text: &str, split_from: usize) -> Option<usize> {
    if text.len() < split_from.max(1) || text.starts_with('%') {
        return None;
    }
    let middle = text.len() / 2;
    let mut best: Option<usize> = None;
    let mut at: usize = 0;
    for line in text.split_inclusive('\n') {
        if at > 0 {
            if line.starts_with("---") || line.starts_with("...") {
                return None;
            }
            if is_plain_key_line(line) && best.is_none_or(|b| at.abs_diff(middle) < b.abs_diff(middle)) {
                best = Some(at);
            }
        }
        at += line.len();
    }
    best
}

/// `name:` or `name: value` in column 0, the name made of letters, digits, `_`, `-` and `.`.
fn is_plain_key_line(line: &str) -> bool {
    let key_len = line.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')).count();
    key_len > 0
        && line.as_bytes()[0].is_ascii_alphanumeric()
        && line[key_len..].starts_with(':')
        && line[key_len + 1..].starts_with([' ', '\n', '\r'])
}

/// One part of a document: its entries, read into a document not yet finished.
struct DocPart;

impl<'de> DeserializeSeed<'de> for DocPart {
    type Value = super::Doc;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<super::Doc, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocPart {
    type Value = super::Doc;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an OpenAPI document")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<super::Doc, A::Error> {
        super::seeds::fields(map)
    }
}

/// A YAML deserializer that reads every value as its JSON value reads.
struct Strict<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap { visitor: v, option: false })
    }

    /// Null is none, as a JSON value's null is.
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap { visitor: v, option: true })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        let YamlValue(value) = YamlValue::deserialize(self.0)?;
        value.deserialize_enum(name, variants, v).map_err(de::Error::custom)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, v: V) -> Result<V::Value, D::Error> {
        let YamlValue(value) = YamlValue::deserialize(self.0)?;
        value.deserialize_newtype_struct(name, v).map_err(de::Error::custom)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        YamlValue::deserialize(self.0)?;
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// A seed that reads from a `Strict` deserializer.
struct StrictSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for StrictSeed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Strict(d))
    }
}

/// Hands what serde_yaml read to `visitor` as the JSON value would; `option`: as to an
/// optional value (null is none, anything else some).
struct Wrap<V> {
    visitor: V,
    option: bool,
}

impl<V> Wrap<V> {
    /// A scalar: given as the JSON value itself, which reads as JSON values read.
    fn scalar<'de, E: de::Error>(self, value: Value) -> Result<V::Value, E>
    where
        V: Visitor<'de>,
    {
        let read = if self.option {
            match value {
                Value::Null => self.visitor.visit_none(),
                value => self.visitor.visit_some(value),
            }
        } else {
            value.deserialize_any(self.visitor)
        };
        read.map_err(de::Error::custom)
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.scalar(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.scalar(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.scalar(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.scalar(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.scalar(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.scalar(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.scalar(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.scalar(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        if self.option {
            self.visitor.visit_some(SeqAccessDeserializer::new(StrictSeq(seq)))
        } else {
            self.visitor.visit_seq(StrictSeq(seq))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        if self.option {
            self.visitor.visit_some(MapAccessDeserializer::new(StrictMap(map)))
        } else {
            self.visitor.visit_map(StrictMap(map))
        }
    }
}

/// A mapping whose keys are read as strings, as `YamlValue` reads them, and handed on as
/// the JSON value's string keys; its values read strictly.
struct StrictMap<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for StrictMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.0.next_key::<String>()? {
            Some(key) => seed.deserialize(Value::String(key)).map(Some).map_err(de::Error::custom),
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.0.next_value_seed(StrictSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// A sequence whose items read strictly.
struct StrictSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for StrictSeq<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, A::Error> {
        self.0.next_element_seed(StrictSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}
