//! The generic readers: an object read entry by entry by a `Build`, with or without a
//! `$ref`, optional, in a map or a list. Each is a serde seed, so one reader serves JSON text
//! and JSON values alike.

use std::marker::PhantomData;

use indexmap::IndexMap;
use openapiv3::ReferenceOr;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// An object read entry by entry into a value of `Out`.
pub(super) trait Build: Default {
    type Out;
    const WHAT: &'static str;
    /// Reads the value of `key` from `map`.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error>;
    fn finish<E: de::Error>(self) -> Result<Self::Out, E>;
}

/// An object, read by `B`.
pub(super) struct Object<B>(PhantomData<B>);

impl<B> Default for Object<B> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<'de, B: Build> DeserializeSeed<'de> for Object<B> {
    type Value = B::Out;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<B::Out, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, B: Build> Visitor<'de> for Object<B> {
    type Value = B::Out;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(B::WHAT)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<B::Out, A::Error> {
        fields::<B, A>(map)?.finish()
    }
}

/// An object's entries read by a `B`, not yet finished.
pub(super) fn fields<'de, B: Build, A: MapAccess<'de>>(mut map: A) -> Result<B, A::Error> {
    let mut build = B::default();
    while let Some(key) = map.next_key::<String>()? {
        build.field(key, &mut map)?;
    }
    Ok(build)
}

/// A `$ref`, or an object read by `B`. openapiv3 takes any object with a string `$ref` as
/// the reference, whatever else it holds; a `$ref` of another kind is an unknown key of the
/// item then.
pub(super) struct RefOr<B>(PhantomData<B>);

impl<B> Default for RefOr<B> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<'de, B: Build> DeserializeSeed<'de> for RefOr<B> {
    type Value = ReferenceOr<B::Out>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, B: Build> Visitor<'de> for RefOr<B> {
    type Value = ReferenceOr<B::Out>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a $ref or {}", B::WHAT)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut build = B::default();
        let mut reference = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "$ref" {
                if let Value::String(r) = map.next_value::<Value>()? {
                    reference = Some(r);
                }
            } else {
                build.field(key, &mut map)?;
            }
        }
        match reference {
            Some(reference) => Ok(ReferenceOr::Reference { reference }),
            None => build.finish().map(ReferenceOr::Item),
        }
    }
}

/// `null` as none, anything else read by `S`.
pub(super) struct Opt<S>(pub(super) S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Opt<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Opt<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("null or a value")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// A map of names to values read by `S`.
pub(super) struct MapOf<S>(pub(super) S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for MapOf<S> {
    type Value = IndexMap<String, S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for MapOf<S> {
    type Value = IndexMap<String, S::Value>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = IndexMap::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom("a key given twice"));
            }
            let value = map.next_value_seed(self.0)?;
            out.insert(key, value);
        }
        // Sized to fit, as serde sizes what it buffered first: the document stays whole
        // until it is lowered.
        out.shrink_to_fit();
        Ok(out)
    }
}

/// A list of values read by `S`.
pub(super) struct ListOf<S>(pub(super) S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for ListOf<S> {
    type Value = Vec<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for ListOf<S> {
    type Value = Vec<S::Value>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self.0)? {
            out.push(item);
        }
        out.shrink_to_fit();
        Ok(out)
    }
}

// The seeds are markers: copying one copies nothing.
impl<B> Clone for Object<B> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<B> Copy for Object<B> {}
impl<B> Clone for RefOr<B> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<B> Copy for RefOr<B> {}

/// Marks a field read, or says it was given twice (serde's derive refuses that too).
pub(super) fn once<E: de::Error>(seen: &mut u64, bit: u32) -> Result<(), E> {
    let mask = 1u64 << bit;
    if *seen & mask != 0 {
        return Err(E::custom("a field given twice"));
    }
    *seen |= mask;
    Ok(())
}

/// An `x-` entry is kept among the extensions; any other unknown entry is skipped, as serde
/// skips it.
pub(super) fn extension<'de, A: MapAccess<'de>>(
    extensions: &mut IndexMap<String, Value>,
    key: String,
    map: &mut A,
) -> Result<(), A::Error> {
    if key.starts_with("x-") {
        if extensions.contains_key(&key) {
            return Err(de::Error::custom("a key given twice"));
        }
        extensions.insert(key, map.next_value()?);
    } else {
        map.next_value::<IgnoredAny>()?;
    }
    Ok(())
}

pub(super) fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}
