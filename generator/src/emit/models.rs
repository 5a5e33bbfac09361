//! `models.rs`: every model type once, with the aliases of structurally identical components.

use rustc_hash::FxHashMap;
use std::ops::Range;

use proc_macro2::TokenStream;
use quote::quote;

use super::expr::Expr;
use super::layout::{Piece, Writer};
use super::syntax::{allow_many_arguments, cfg_attr, doc_attrs, doc_lines, gate, ident, string_literal, type_source};
use crate::ir::{Kind, NodeId, Tag};
use crate::naming::{self, Uniquer};
use crate::normalize::{FieldDef, Model, RustType, Shape, TypeDef, TypeId};

/// The model types `range` of `models.rs`: the file's head when the range starts it, the
/// aliases when it ends it. Ranges are emitted and formatted separately, side by side. Structs,
/// enums, aliases and unions without a tag are printed laid out (see `layout`); unions with one,
/// far fewer, as tokens.
pub fn models(model: &Model, range: Range<usize>) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(range.len() + 2);
    if range.start == 0 {
        pieces.push(head(model));
    }
    let last = range.end == model.types.len();
    for (t, i) in model.types[range.clone()].iter().zip(range) {
        let id = TypeId(i as u32);
        // Compiled only with a feature whose operations reach it.
        let features = model.features.model_type(id);
        pieces.push(match &t.shape {
            Shape::Struct { fields, additional } => struct_def(model, id, t, fields, *additional, features),
            Shape::Enum { values } => enum_def(t, values, features),
            Shape::Union { variants, tag: None } => untagged_union(model, id, t, variants, features),
            Shape::Union { variants, tag: Some(tag) } => {
                Piece::Tokens(gate(&cfg_attr(features), tagged_union(model, id, t, variants, tag)))
            }
        });
    }
    if last && !model.aliases.is_empty() {
        let mut w = Writer::new();
        for a in &model.aliases {
            w.doc(&format!(" Another name of [`{}`]: the spec defines both, with the same shape.", a.target));
            w.cfg(model.features.model_type(a.target_id));
            w.unbreakable(&["pub type ", &a.name, " = ", &a.target, ";"]);
        }
        pieces.push(w.finish());
    }
    pieces
}

/// The head of `models.rs`: its doc, lints and imports.
fn head(model: &Model) -> Piece {
    let mut w = Writer::new();
    w.line(&["//! The model types of every API in this crate, each shape defined once."]);
    // Untagged unions keep their variants inline, which is what serde decodes into; field
    // types nest as deep as the spec's schemas do.
    w.line(&["#![allow(clippy::large_enum_variant, clippy::type_complexity)]"]);
    // Unions derive serde's traits; structs and enums get theirs from the runtime.
    if model.types.iter().any(|t| matches!(t.shape, Shape::Union { .. })) {
        // Unused when the features on compile none of the types that derive them.
        if (0..model.types.len()).any(|i| model.features.model_type(TypeId(i as u32)).is_some()) {
            w.line(&["#[allow(unused_imports)]"]);
        }
        w.line(&["use serde::{Deserialize, Serialize};"]);
    }
    w.finish()
}

fn struct_def(
    model: &Model,
    owner: TypeId,
    t: &TypeDef,
    fields: &[FieldDef],
    additional: Option<NodeId>,
    cfg: Option<&[String]>,
) -> Piece {
    let mut w = Writer::new();
    let all_optional = has_default(fields, model);
    let mut args = Arguments::default();
    // serde's impls come from the runtime's `object!`, which costs the compiler far less than
    // the derive (see `runtime/object.rs`).
    w.cfg(cfg);
    w.open_macro("crate::runtime::object");
    w.doc_lines(&doc_lines(t.doc.as_deref()));
    w.line(&["#[derive(Debug, Clone, PartialEq", if all_optional { ", Default)]" } else { ")]" }]);
    // So that a field the spec adds breaks no user: values are built by `new` (the required
    // fields) or `default` (none), and optional fields set on the value.
    w.line(&["#[non_exhaustive]"]);
    if fields.is_empty() && additional.is_none() {
        w.line(&["pub struct ", &t.name, " {}"]);
    } else {
        w.open(&["pub struct ", &t.name, " {"]);
        for f in fields {
            let (mut ty, optional) = field_type(model, owner, f);
            let unit = !optional && model.rust_type(f.node) == RustType::Unit;
            if optional {
                ty = format!("Option<{ty}>");
                args.nones.push(f.ident.as_str());
            } else if unit {
                args.units.push(f.ident.as_str());
            } else {
                args.required.push((f.ident.as_str(), ty.clone()));
            }
            // Both read a missing key as `None`; an optional field leaves `None` out, a required
            // one that may be null sends it as `null` (the key must be there).
            let mode = match (optional, f.required) {
                (true, true) => "nullable",
                (true, false) => "optional",
                (false, _) => "required",
            };
            let mut text = f.doc.clone().unwrap_or_default();
            if f.deprecated {
                text.push_str(if text.is_empty() { "Deprecated." } else { "\n\nDeprecated." });
            }
            w.doc_lines(&doc_lines(Some(&text)));
            w.line(&["#[json(", &string_literal(&f.name), ", ", mode, ")]"]);
            w.line(&["pub ", &f.ident, ": ", &ty, ","]);
        }
        if let Some(node) = additional {
            let ty = type_source(model, &model.rust_type(node), "");
            w.line(&["#[json_rest]"]);
            w.line(&["pub additional_properties: std::collections::HashMap<String, ", &ty, ">,"]);
            args.additional = true;
        }
        w.close(&["}"]);
    }
    w.close_macro();
    if !all_optional {
        constructor(&mut w, cfg, &t.name, &args);
    }
    w.finish()
}

/// What `new` takes and sets: the required fields (with their types), those always `null`
/// (`()`: no argument), the optional ones (`None`), and whether there are more properties.
#[derive(Default)]
struct Arguments<'a> {
    required: Vec<(&'a str, String)>,
    units: Vec<&'a str>,
    nones: Vec<&'a str>,
    additional: bool,
}

/// `new`: the required fields as arguments, `()` for those always `null`, `None` for the rest.
fn constructor(w: &mut Writer, cfg: Option<&[String]>, name: &str, args: &Arguments) {
    w.cfg(cfg);
    w.open(&["impl ", name, " {"]);
    w.doc(" A value with the required fields; the optional ones are `None`, to be set on it.");
    if let Some(allow) = allow_many_arguments(args.required.len()) {
        w.line(&[allow]);
    }
    let params: Vec<String> = args.required.iter().map(|(i, ty)| format!("{i}: impl Into<{ty}>")).collect();
    w.list("pub fn new(", &params, ") -> Self {");
    w.indent();
    let field = |name: &str, value: String| (name.to_string(), Expr::Flat(value));
    let mut inits: Vec<(String, Expr)> = args.required.iter().map(|(i, _)| field(i, format!("{i}.into()"))).collect();
    inits.extend(args.units.iter().map(|i| field(i, "()".into())));
    inits.extend(args.nones.iter().map(|i| field(i, "None".into())));
    if args.additional {
        inits.push(field("additional_properties", "Default::default()".into()));
    }
    Expr::Struct { path: "Self".into(), fields: inits }.write(w, "", "");
    w.close(&["}"]);
    w.close(&["}"]);
}

/// Whether a struct of these fields derives `Default`: when `new` would take no argument
/// (every field optional, or always `null`).
pub fn has_default(fields: &[FieldDef], model: &Model) -> bool {
    fields.iter().all(|f| is_optional(model, f) || model.rust_type(f.node) == RustType::Unit)
}

/// Whether a struct's field is an `Option`: not required, or nullable.
fn is_optional(model: &Model, f: &FieldDef) -> bool {
    !f.required || model.unwrap_nullable(f.node).1
}

/// The Rust type of a struct's field (its source text), without the `Option` it is in when it
/// is optional, and whether it is.
pub fn field_type(model: &Model, owner: TypeId, f: &FieldDef) -> (String, bool) {
    let node = model.unwrap_nullable(f.node).0;
    let ty = type_source(model, &model.rust_type(node), "");
    let ty = if model.needs_box(owner, node) { format!("Box<{ty}>") } else { ty };
    (ty, is_optional(model, f))
}

/// A string enum that survives API growth: a value the spec does not list decodes into the
/// catch-all variant and encodes back as it came.
fn enum_def(t: &TypeDef, values: &[String], cfg: Option<&[String]>) -> Piece {
    let mut w = Writer::new();
    let name = t.name.as_str();
    let mut idents = Uniquer::default();
    let variants: Vec<String> = values.iter().map(|v| idents.claim(naming::variant_ident(v))).collect();
    let catch_all = idents.claim("Unknown".into());
    w.cfg(cfg);
    w.doc_lines(&doc_lines(t.doc.as_deref()));
    w.line(&["#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]"]);
    w.line(&["#[non_exhaustive]"]);
    w.open(&["pub enum ", name, " {"]);
    for (variant, value) in variants.iter().zip(values) {
        w.doc(&format!(" `{value}`"));
        w.line(&[variant, ","]);
    }
    w.doc(" A value this version of the spec does not list, kept as it came.");
    w.line(&[&catch_all, "(String),"]);
    w.close(&["}"]);
    w.cfg(cfg);
    w.open(&["impl ", name, " {"]);
    w.doc(" Each listed variant and the value the API spells it with.");
    values_table(&mut w, &variants, values);
    w.close(&["}"]);
    w.cfg(cfg);
    w.line(&["crate::runtime::string_enum!(", name, ", ", &catch_all, ");"]);
    w.finish()
}

/// `const VALUES`, each variant and its value: on one line when it fits, else a tuple a line,
/// and a tuple too wide for its line broken, an element a line, as prettyplease breaks it (one
/// that fits but for its comma is left to the formatter, which does not count the comma).
fn values_table(w: &mut Writer, variants: &[String], values: &[String]) {
    const HEAD: &str = "const VALUES: &'static [(Self, &'static str)] = &[";
    let tuples: Vec<(String, String)> = variants
        .iter()
        .zip(values)
        .map(|(variant, value)| (format!("Self::{variant}"), string_literal(value)))
        .collect();
    let items: Vec<String> = tuples.iter().map(|(variant, value)| format!("({variant}, {value})")).collect();
    let flat = items.join(", ");
    if w.fits(HEAD.len() + flat.len() + "];".len()) {
        return w.line(&[HEAD, &flat, "];"]);
    }
    w.open(&[HEAD]);
    for (item, (variant, value)) in items.iter().zip(&tuples) {
        if w.fits(item.len()) {
            w.line(&[item, ","]);
        } else {
            w.open(&["("]);
            w.line(&[variant, ","]);
            w.line(&[value, ","]);
            w.close(&["),"]);
        }
    }
    w.close(&["];"]);
}

fn type_doc(t: &TypeDef) -> TokenStream {
    doc_attrs(t.doc.as_deref())
}

/// A union with a discriminator: decoding reads the tag and decodes that variant only;
/// encoding writes the variant, which carries its tag.
fn tagged_union(model: &Model, owner: TypeId, t: &TypeDef, variants: &[NodeId], tag: &Tag) -> TokenStream {
    if tag.written_by_union {
        return union_writing_its_tag(model, owner, t, tag);
    }
    let name = ident(&t.name);
    let doc = type_doc(t);
    let parts: Vec<(proc_macro2::Ident, VariantType)> = variant_idents(model, t, variants)
        .iter()
        .zip(variants)
        .map(|(v, &node)| (ident(v), held(model, owner, node)))
        .collect();
    let defs = parts.iter().map(|(v, (ty, _))| quote! { #v(#ty), });
    let property = &tag.property;
    // A value several variants carry (a spec can say so) decodes as the first of them that
    // fits, in the spec's order.
    let mut by_value: Vec<(&String, Vec<&proc_macro2::Ident>)> = Vec::new();
    for (value, node) in &tag.values {
        let index = variants.iter().position(|v| v == node).expect("tag values name variants");
        match by_value.iter_mut().find(|(v, _)| *v == value) {
            Some((_, idents)) => idents.push(&parts[index].0),
            None => by_value.push((value, vec![&parts[index].0])),
        }
    }
    let arms = by_value.iter().map(|(value, idents)| match idents.split_last() {
        Some((last, [])) => quote! { Some(#value) => serde_json::from_value(value).map(Self::#last), },
        Some((last, firsts)) => quote! {
            Some(#value) => {
                #(if let Ok(v) = serde_json::from_value(value.clone()) { return Ok(Self::#firsts(v)); })*
                serde_json::from_value(value).map(Self::#last)
            }
        },
        None => TokenStream::new(),
    });
    let expected = format!("`{property}` is one of {:?}", by_value.iter().map(|(v, _)| v).collect::<Vec<_>>());
    let tagged_de = quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    other => return Err(serde::de::Error::custom(format!("{other:?}: expected {}", #expected))),
                }
                .map_err(serde::de::Error::custom)
            }
        }
    };
    let derives = quote!(Serialize);
    let froms = froms(&name, parts.iter().map(|(v, held)| (v, held)));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derives)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
        }
        #tagged_de
        #(#froms)*
    }
}

/// A union without a tag, laid out (see `layout`): the enum, and `From` for each variant
/// whose type no other variant holds.
fn untagged_union(model: &Model, owner: TypeId, t: &TypeDef, variants: &[NodeId], cfg: Option<&[String]>) -> Piece {
    let parts: Vec<(String, String, (RustType, bool))> = variant_idents(model, t, variants)
        .into_iter()
        .zip(variants)
        .map(|(ident, &v)| {
            let (ty, key) = held_source(model, owner, v);
            (ident, ty, key)
        })
        .collect();
    let mut w = Writer::new();
    w.cfg(cfg);
    w.doc_lines(&doc_lines(t.doc.as_deref()));
    w.line(&["#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]"]);
    w.line(&["#[serde(untagged)]"]);
    w.line(&["#[non_exhaustive]"]);
    w.open(&["pub enum ", &t.name, " {"]);
    for (ident, ty, _) in &parts {
        w.list(&format!("{ident}("), std::slice::from_ref(ty), "),");
    }
    w.close(&["}"]);
    let from = alone(parts.iter().map(|(_, _, key)| key));
    for ((ident, ty, _), _) in parts.iter().zip(from).filter(|(_, from)| *from) {
        w.cfg(cfg);
        w.open(&["impl From<", ty, "> for ", &t.name, " {"]);
        w.open(&["fn from(value: ", ty, ") -> Self {"]);
        w.line(&["Self::", ident, "(value)"]);
        w.close(&["}"]);
        w.close(&["}"]);
    }
    w.finish()
}

/// What the variant at `node` of the union `owner` holds, as source text: its type, boxed
/// where the union holds itself through it, and its key for counting variants of one type.
fn held_source(model: &Model, owner: TypeId, node: NodeId) -> (String, (RustType, bool)) {
    let rust_type = model.rust_type(node);
    let ty = type_source(model, &rust_type, "");
    let boxed = model.needs_box(owner, model.unwrap_nullable(node).0);
    (if boxed { format!("Box<{ty}>") } else { ty }, (rust_type, boxed))
}

/// The type a variant holds, and its key for counting variants of one type (boxed or not).
type VariantType = (TokenStream, (RustType, bool));

/// [`held_source`], as tokens.
fn held(model: &Model, owner: TypeId, node: NodeId) -> VariantType {
    let (ty, key) = held_source(model, owner, node);
    (ty.parse().expect("a type's text is Rust"), key)
}

/// `From` for each variant whose type no other variant holds (for the others it would be
/// ambiguous).
fn froms<'p>(
    name: &proc_macro2::Ident,
    variants: impl Iterator<Item = (&'p proc_macro2::Ident, &'p VariantType)> + Clone,
) -> Vec<TokenStream> {
    let from = alone(variants.clone().map(|(_, (_, key))| key));
    variants
        .zip(from)
        .filter(|(_, from)| *from)
        .map(|((v, (ty, _)), _)| {
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#v(value)
                    }
                }
            }
        })
        .collect()
}

/// For each variant, whether no other variant holds its type: those get a `From` (for the
/// others it would be ambiguous).
fn alone<'k>(keys: impl Iterator<Item = &'k (RustType, bool)> + Clone) -> Vec<bool> {
    let mut held_by: FxHashMap<&(RustType, bool), usize> = FxHashMap::default();
    for key in keys.clone() {
        *held_by.entry(key).or_default() += 1;
    }
    keys.map(|key| held_by[key] == 1).collect()
}

/// The variants' names: `Target::Variant1(TargetVariant1)` rather than
/// `Target::TargetVariant1(..)`, each unique.
fn variant_idents(model: &Model, t: &TypeDef, variants: &[NodeId]) -> Vec<String> {
    let mut idents = Uniquer::default();
    variants
        .iter()
        .map(|&v| {
            let full = variant_name(model, v);
            let short = full.strip_prefix(t.name.as_str()).filter(|s| s.starts_with(|c: char| c.is_ascii_uppercase()));
            idents.claim(short.unwrap_or(&full).to_string())
        })
        .collect()
}

/// A tagged union whose variants hold all but the tag, as a person writes a Rust enum:
/// `AddressAllocator::Explicit(..)`, `AddressAllocator::Auto`. It reads the tag to pick the
/// variant and writes it back beside the variant's fields; a tag value this version of the
/// spec does not list is kept, whole, in `Unknown`.
fn union_writing_its_tag(model: &Model, owner: TypeId, t: &TypeDef, tag: &Tag) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t);
    let property = &tag.property;
    let mut idents = Uniquer::with_taken(["Unknown"]);
    // (tag value, variant, its type unless it holds nothing but the tag)
    let parts: Vec<(&String, proc_macro2::Ident, Option<VariantType>)> = tag
        .values
        .iter()
        .map(|(value, node)| {
            let variant = ident(&idents.claim(naming::variant_ident(value)));
            // A variant that held nothing but the tag (its node is what is left: nothing).
            let unit = matches!(model.ir.node(*node).kind, Kind::FreeFormObject)
                && matches!(model.ir.node(*node).hint, crate::ir::NameHint::Variant { .. });
            (value, variant, (!unit).then(|| held(model, owner, *node)))
        })
        .collect();
    let defs = parts.iter().map(|(value, v, held)| {
        let doc = format!(" `{property}: {value}`");
        match held {
            Some((ty, _)) => quote! { #[doc = #doc] #v(#ty), },
            None => quote! { #[doc = #doc] #v, },
        }
    });
    let (read, write) = tag_placement(tag);
    let de_arms = parts.iter().map(|(value, v, held)| match held {
        Some(_) => {
            quote! { Some(#value) => serde_json::from_value(#read).map(Self::#v).map_err(serde::de::Error::custom), }
        }
        None => quote! { Some(#value) => Ok(Self::#v), },
    });
    let ser_arms = parts.iter().map(|(value, v, held)| match held {
        Some(_) => {
            quote! { Self::#v(v) => (#value, Some(serde_json::to_value(v).map_err(serde::ser::Error::custom)?)), }
        }
        None => quote! { Self::#v => (#value, None), },
    });
    let missing = format!("no `{property}`");
    let unknown_doc = format!(" A `{property}` this version of the spec does not list, kept as it came.");
    let froms = froms(&name, parts.iter().filter_map(|(_, v, held)| held.as_ref().map(|held| (v, held))));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
            #[doc = #unknown_doc]
            Unknown(serde_json::Value),
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (tag, body): (&str, Option<serde_json::Value>) = match self {
                    #(#ser_arms)*
                    Self::Unknown(value) => return value.serialize(serializer),
                };
                #write
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#de_arms)*
                    Some(_) => Ok(Self::Unknown(value)),
                    None => Err(serde::de::Error::custom(#missing)),
                }
            }
        }
        #(#froms)*
    }
}

/// Where a tagged union's variant sits beside its tag: how a variant's value is read from the
/// object (`value`), and how the object is written back from the tag and the variant's `body`.
/// Adjacently tagged, the value is the `content` property's; else the object's other fields.
fn tag_placement(tag: &Tag) -> (TokenStream, TokenStream) {
    let property = &tag.property;
    match &tag.content {
        Some(content) => (
            quote!(value.get(#content).cloned().unwrap_or(serde_json::Value::Null)),
            quote! {
                let mut fields = serde_json::Map::new();
                fields.insert(#property.to_owned(), serde_json::Value::String(tag.to_owned()));
                if let Some(body) = body {
                    fields.insert(#content.to_owned(), body);
                }
                serde_json::Value::Object(fields).serialize(serializer)
            },
        ),
        None => (
            quote!(value),
            quote! {
                let mut body = body.unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new()));
                if let serde_json::Value::Object(fields) = &mut body {
                    fields.insert(#property.to_owned(), serde_json::Value::String(tag.to_owned()));
                }
                body.serialize(serializer)
            },
        ),
    }
}

fn variant_name(model: &Model, node: NodeId) -> String {
    use crate::ir::StringFormat;
    use crate::normalize::Resolved;
    match model.resolve(node) {
        Resolved::Model(t) => t.name.clone(),
        Resolved::Kind(kind) => match kind {
            Kind::String(StringFormat::DateTime) => "DateTime".into(),
            Kind::String(StringFormat::Date) => "Date".into(),
            Kind::String(StringFormat::Uuid) => "Uuid".into(),
            Kind::String(StringFormat::Ipv4) => "Ipv4".into(),
            Kind::String(StringFormat::Ipv6) => "Ipv6".into(),
            Kind::String(StringFormat::Ip) => "Ip".into(),
            Kind::String(StringFormat::Byte) => "Bytes".into(),
            Kind::String(_) => "String".into(),
            Kind::Integer(_) => "Integer".into(),
            Kind::Number(_) => "Number".into(),
            Kind::Boolean => "Boolean".into(),
            Kind::Array(_) => "Array".into(),
            Kind::Map(_) => "Map".into(),
            Kind::FreeFormObject => "Object".into(),
            Kind::Nullable(inner) => variant_name(model, *inner),
            _ => "Value".into(),
        },
    }
}
