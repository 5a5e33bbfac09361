//! Quick looks that say whether a document needs bundling at all, so that most specs are read
//! straight into their types.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::load::grammar::{component_of, is_reference, Place, PLAIN_OBJECT};

/// Whether the `$ref`s of a JSON text are all to `#/components/{section}/{name}`, so that the
/// document can be read as it is, with no bundling: a cheap look that may say no when the
/// answer is yes (a property named `$ref`), never the other way round.
pub fn json_needs_no_bundling(text: &str) -> bool {
    refs_all_components(text, "\"$ref\"", str::trim_start, str::trim_start, &['"'])
}

/// The same look for a YAML text: every `$ref` key (quoted or not) is followed, on its line,
/// by a quoted reference to `#/components/{section}/{name}` (`$ref: '#/components/schemas/Pet'`),
/// as YAML tools write them; any other form says no.
pub fn yaml_needs_no_bundling(text: &str) -> bool {
    fn key_end(rest: &str) -> &str {
        rest.strip_prefix(['"', '\'']).unwrap_or(rest).trim_start_matches(' ')
    }
    fn spaces(rest: &str) -> &str {
        rest.trim_start_matches(' ')
    }
    refs_all_components(text, "$ref", key_end, spaces, &['"', '\''])
}

/// Whether each `key` in `text` is followed (past `key_end`, a colon and `gap`) by a reference
/// in one of `quotes` that names a component and holds no escape.
fn refs_all_components(
    text: &str,
    key: &str,
    key_end: fn(&str) -> &str,
    gap: fn(&str) -> &str,
    quotes: &[char],
) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find(key) {
        let Some(after) = key_end(&rest[at + key.len()..]).strip_prefix(':') else { return false };
        let after = gap(after);
        let Some(quote) = after.chars().next().filter(|c| quotes.contains(c)) else { return false };
        let value = &after[1..];
        let Some(end) = value.find(quote) else { return false };
        let reference = &value[..end];
        if reference.contains('\\') || component_of(reference).is_none() {
            return false;
        }
        rest = &value[end + 1..];
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

/// Whether the JSON `text` has a `$ref` that lowering cannot follow, read as it streams by,
/// without building the value: for the documents whose `$ref`s the quick look could not vouch
/// for (one to a file inside an `x-` extension). `None` when the text does not read as JSON.
pub fn json_needs_bundling(text: &str) -> Option<bool> {
    let mut de = serde_json::Deserializer::from_str(text);
    let needs = scan(&mut de).ok()?;
    de.end().ok()?;
    Some(needs)
}

/// Whether `doc` has a `$ref` that lowering cannot follow: what `bundle` would change.
pub fn needs_bundling(doc: &Value) -> bool {
    scan(doc).unwrap_or(true)
}

/// The one scan behind both: walks any JSON document (text or value) with the grammar of
/// `Place`, keeping nothing.
fn scan<'de, D: serde::Deserializer<'de>>(document: D) -> Result<bool, D::Error> {
    Scan(PLAIN_OBJECT).deserialize(document)
}

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
struct Scan(Place);
/// Reads a `$ref`'s value (or a mapping's): whether it needs bundling at `Place`.
struct Reference(Place);
/// A map key, borrowed from the text when it can be.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> DeserializeSeed<'de> for Scan {
    type Value = bool;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}
impl<'de> Visitor<'de> for Scan {
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
        if item == Place::Data {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
        } else {
            while let Some(n) = seq.next_element_seed(Scan(item))? {
                needs |= n;
            }
        }
        Ok(needs)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut needs = false;
        while let Some(Key(key)) = map.next_key()? {
            let next = if self.0 == Place::Mapping {
                Place::Mapping
            } else if key == "$ref" && self.0.takes_refs() {
                needs |= map.next_value_seed(Reference(self.0))?;
                continue;
            } else {
                self.0.child(&key)
            };
            match next {
                Place::Mapping if self.0 == Place::Mapping => {
                    needs |= map.next_value_seed(Reference(Place::Mapping))?
                }
                Place::Data => {
                    map.next_value::<IgnoredAny>()?;
                }
                next => needs |= map.next_value_seed(Scan(next))?,
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
        Ok(if self.0 == Place::Mapping {
            is_reference(reference) && component_of(reference).is_none()
        } else {
            !component_of(reference).is_some_and(|(section, _)| self.0.follows(section))
        })
    }
    no_references_in_scalars!();
    // Not a string: a property named `$ref`, a schema, which needs no bundling of its own
    // but may hold references.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        Scan(Place::Schema).visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        Scan(Place::Schema).visit_map(map)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_which_json_needs_bundling() {
        assert!(json_needs_no_bundling(
            r##"{"a": {"$ref": "#/components/schemas/A"}, "b": {"$ref" : "#/components/parameters/p"}}"##
        ));
        assert!(!json_needs_no_bundling(r##"{"a": {"$ref": "#/components/schemas/A/properties/b"}}"##));
        assert!(!json_needs_no_bundling(r##"{"a": {"$ref": "./a.json"}}"##));
        assert!(!json_needs_no_bundling(r##"{"a": {"$ref": {"type": "string"}}}"##));
        assert!(!json_needs_no_bundling(r##"{"a": {"$ref": "#/components/x-media/A"}}"##));
    }

    #[test]
    fn sees_which_yaml_needs_bundling() {
        let local = "a:\n  $ref: '#/components/schemas/A'\nb:\n  - \"$ref\": \"#/components/parameters/p\"\n";
        assert!(yaml_needs_no_bundling(local));
        assert!(yaml_needs_no_bundling("c: {$ref: '#/components/schemas/C'}\n"), "flow style");
        assert!(!yaml_needs_no_bundling("a:\n  $ref: './a.yaml'\n"), "a file");
        assert!(!yaml_needs_no_bundling("a:\n  $ref: #/components/schemas/A\n"), "unquoted: a comment, so null");
        assert!(!yaml_needs_no_bundling("a:\n  $ref:\n    '#/components/schemas/A'\n"), "on the next line");
        assert!(!yaml_needs_no_bundling("a:\n  $ref: *anchor\n"), "an alias");
        assert!(!yaml_needs_no_bundling("a:\n  $ref: \"#/components/schemas/\\u0041\"\n"), "an escape");
        assert!(!yaml_needs_no_bundling("a:\n  $ref: '#/components/schemas/A/properties/b'\n"));
    }

    #[test]
    fn streams_json_for_references_that_need_bundling() {
        let doc = |refs: &str| {
            format!(
                r#"{{"openapi": "3.0.3", "paths": {{"/a": {{"get": {{"x-webhook": {{"$ref": "a.yaml"}}, "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {refs}}}}}}}}}}}}}}}}}"#
            )
        };
        assert_eq!(json_needs_bundling(&doc(r##"{"$ref": "#/components/schemas/A"}"##)), Some(false), "inside x- only");
        assert_eq!(json_needs_bundling(&doc(r##"{"$ref": "#/components/schemas/A/properties/b"}"##)), Some(true));
        assert_eq!(json_needs_bundling(&doc(r##"{"properties": {"$ref": {"type": "string"}}}"##)), Some(false));
        assert_eq!(json_needs_bundling(&doc(r##"{"items": {"$ref": "./b.json"}}"##)), Some(true));
        assert_eq!(json_needs_bundling("{"), None);
        let value: Value = serde_json::from_str(&doc(r##"{"items": {"$ref": "./b.json"}}"##)).unwrap();
        assert!(needs_bundling(&value), "a value reads the same");
        let value: Value = serde_json::from_str(&doc(r##"{"$ref": "#/components/schemas/A"}"##)).unwrap();
        assert!(!needs_bundling(&value));
    }
}
