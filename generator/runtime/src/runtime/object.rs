//! serde for the model structs, said once. `#[derive(Serialize, Deserialize)]` expands to a
//! field enum with its own visitor, a visitor reading arrays as well as objects, and the
//! proc macro runs again on every build: on SailPoint's V3 that was most of what checking
//! the crate cost. `object!` writes only what a struct itself decides (its keys, and which may
//! be missing or `null`); the loop's steps are the functions here.
//!
//! ```ignore
//! crate::runtime::object! {
//!     /// A source.
//!     #[derive(Debug, Clone, PartialEq)]
//!     #[non_exhaustive]
//!     pub struct Source {
//!         /// Its id.
//!         #[json("id", required)]
//!         pub id: String,
//!         #[json("ownerId", optional)]
//!         pub owner_id: Option<String>,
//!         #[json_rest]
//!         pub additional_properties: std::collections::HashMap<String, serde_json::Value>,
//!     }
//! }
//! ```
//!
//! Each field says how it is sent: `required` (always; a missing key is an error unless the
//! type is an `Option`), `nullable` (an `Option` always sent, `null` for `None`; a missing
//! key is `None`) or `optional` (an `Option` left out when `None`; a missing key is `None`).
//! `#[json_rest]` marks the map of the properties beyond the listed ones, last. As with the
//! derive, unknown keys are skipped, a key given twice is an error, and errors
//! name the field (`missing field `id``) and the struct (`expected struct Source`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::Serialize;

macro_rules! object {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                #[json($wire:literal, $mode:ident)]
                pub $field:ident: $ty:ty,
            )*
            $(
                #[json_rest]
                pub $rest:ident: $rest_ty:ty,
            )?
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $( $(#[doc = $doc])* pub $field: $ty, )*
            $(
                /// Properties beyond those listed above.
                pub $rest: $rest_ty,
            )?
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                #[allow(unused_mut)] // A struct without fields adds nothing.
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                $( $crate::runtime::object::$mode(&mut map, $wire, &self.$field)?; )*
                $( $crate::runtime::object::rest(&mut map, &self.$rest)?; )?
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<$name, A::Error> {
                        $( let mut $field: ::core::option::Option<$ty> = ::core::option::Option::None; )*
                        $( let mut $rest: $rest_ty = ::core::default::Default::default(); )?
                        while let ::core::option::Option::Some(key) = map.next_key::<$crate::runtime::object::Key>()? {
                            match &*key.0 {
                                $( $wire => $crate::runtime::object::take(&mut map, &mut $field, $wire)?, )*
                                _ => $crate::runtime::object!(@other map key $($rest)?),
                            }
                        }
                        ::core::result::Result::Ok($name {
                            $( $field: $crate::runtime::object::finish($field, $wire)?, )*
                            $( $rest, )?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@other $map:ident $key:ident) => {
        $crate::runtime::object::skip(&mut $map)?
    };
    (@other $map:ident $key:ident $rest:ident) => {
        $crate::runtime::object::keep(&mut $map, &mut $rest, $key)?
    };
}

pub(crate) use object;

/// A key of an object, borrowed from the input where the deserializer can lend it.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("field identifier")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads a listed field's value; a second one for the same key is an error, as with the
/// derive.
pub(crate) fn take<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    wire: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key the struct does not list.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// Keeps the value of a key the struct does not list among the properties beyond them.
pub(crate) fn keep<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    rest: &mut HashMap<String, V>,
    key: Key<'de>,
) -> Result<(), A::Error> {
    rest.insert(key.0.into_owned(), map.next_value()?);
    Ok(())
}

/// A field's value, or what its type makes of a missing key: `None` for an `Option`, for the
/// rest an error naming the field.
pub(crate) fn finish<'de, T: Deserialize<'de>, E: de::Error>(slot: Option<T>, wire: &'static str) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(wire, PhantomData)),
    }
}

/// What a missing key deserializes from: `None` to an `Option`, an error to anything else.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A required field: always sent.
pub(crate) fn required<M: SerializeMap, T: Serialize>(
    map: &mut M,
    wire: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    map.serialize_entry(wire, value)
}

/// A required field that may be `null`: always sent, `null` for `None`.
pub(crate) fn nullable<M: SerializeMap, T: Serialize>(
    map: &mut M,
    wire: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    map.serialize_entry(wire, value)
}

/// An optional field: left out when `None`.
pub(crate) fn optional<M: SerializeMap, T: Serialize>(
    map: &mut M,
    wire: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(wire, value),
        None => Ok(()),
    }
}

/// The properties beyond the listed ones, after them.
pub(crate) fn rest<M: SerializeMap, V: Serialize>(map: &mut M, rest: &HashMap<String, V>) -> Result<(), M::Error> {
    rest.iter().try_for_each(|(key, value)| map.serialize_entry(key, value))
}
