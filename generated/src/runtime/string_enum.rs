//! What every string enum of `models.rs` implements, said once.

/// The impls of a string enum that survives API growth: `as_str`, `From<&str>`, `Display`, and
/// serde as a plain string, where a value the spec does not list becomes the catch-all
/// variant and encodes back as it came. The enum lists its values in an associated
/// `const VALUES: &[(Self, &str)]`:
///
/// ```ignore
/// impl DtoType {
///     const VALUES: &'static [(Self, &'static str)] = &[(Self::Identity, "IDENTITY")];
/// }
/// string_enum!(DtoType, Unknown);
/// ```
macro_rules! string_enum {
    ($name:ident, $catch_all:ident) => {
        impl $name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::$catch_all(value) => value,
                    listed => Self::VALUES.iter().find(|(v, _)| v == listed).map_or("", |(_, value)| value),
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match Self::VALUES.iter().find(|(_, listed)| *listed == value) {
                    Some((variant, _)) => variant.clone(),
                    None => Self::$catch_all(value.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    };
}

pub(crate) use string_enum;
