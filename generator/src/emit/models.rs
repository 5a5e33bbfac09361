//! `models.rs`: every model type once, with the aliases of structurally identical components.

use std::collections::HashMap;
use std::ops::Range;

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, field_idents, ident, type_tokens, unwrap_nullable};
use crate::ir::{Kind, NodeId, Tag};
use crate::naming::{self, Uniquer};
use crate::normalize::{FieldDef, Model, Shape, TypeDef, TypeId};

/// The model types `range` of `models.rs`: the file's head when the range starts it, the
/// aliases when it ends it. Ranges are emitted and formatted separately, side by side.
pub fn models(model: &Model, recursion: &Recursion, range: Range<usize>) -> TokenStream {
    let first = range.start == 0;
    let last = range.end == model.types.len();
    let types = model.types[range.clone()].iter().zip(range).map(|(t, i)| match &t.shape {
        Shape::Struct { fields, additional } => struct_def(model, recursion, TypeId(i as u32), t, fields, *additional),
        Shape::Enum { values } => enum_def(t, values),
        Shape::Union { variants, tag } => union_def(model, recursion, TypeId(i as u32), t, variants, tag.as_ref()),
    });
    let aliases = model.aliases.iter().filter(|_| last).map(|a| {
        let name = ident(&a.name);
        let target = ident(&a.target);
        let doc = format!(" Another name of [`{}`]: the spec defines both, with the same shape.", a.target);
        quote! { #[doc = #doc] pub type #name = #target; }
    });
    let head = first.then(|| {
        let imports = (!model.types.is_empty()).then(|| quote! { use serde::{Deserialize, Serialize}; });
        quote! {
            //! The model types of every API in this crate, each shape defined once.
            // Untagged unions keep their variants inline, which is what serde decodes into.
            #![allow(clippy::large_enum_variant)]
            #imports
        }
    });
    quote! {
        #head
        #(#types)*
        #(#aliases)*
    }
}

fn type_doc(t: &TypeDef) -> TokenStream {
    doc_attrs(t.doc.as_deref())
}

fn struct_def(
    model: &Model,
    recursion: &Recursion,
    owner: TypeId,
    t: &TypeDef,
    fields: &[FieldDef],
    additional: Option<NodeId>,
) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t);
    let mut all_optional = true;
    let fields: Vec<TokenStream> = fields
        .iter()
        .zip(field_idents(fields))
        .map(|(f, field_ident)| {
            let (node, nullable) = unwrap_nullable(model, f.node);
            let mut ty = type_tokens(model, node, &TokenStream::new());
            if recursion.needs_box(model, owner, node) {
                ty = quote!(Box<#ty>);
            }
            let optional = !f.required || nullable;
            all_optional &= optional;
            if optional {
                ty = quote!(Option<#ty>);
            }
            let mut serde_args = Vec::new();
            if field_ident != f.name {
                let wire = &f.name;
                serde_args.push(quote!(rename = #wire));
            }
            // Required-but-nullable and optional fields are one shape (see normalize); both
            // read a missing key as `None` and leave `None` out.
            if optional {
                serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
            }
            let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
            let mut text = f.doc.clone().unwrap_or_default();
            if f.deprecated {
                text.push_str(if text.is_empty() { "Deprecated." } else { "\n\nDeprecated." });
            }
            let doc = doc_attrs(Some(&text));
            let field_ident = ident(&field_ident);
            quote! { #doc #serde_attr pub #field_ident: #ty, }
        })
        .collect();
    let additional = additional.map(|node| {
        let ty = type_tokens(model, node, &TokenStream::new());
        quote! {
            /// Properties beyond those listed above.
            #[serde(flatten)]
            pub additional_properties: std::collections::HashMap<String, #ty>,
        }
    });
    let default = all_optional.then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

/// A string enum that survives API growth: a value the spec does not list decodes into the
/// catch-all variant and encodes back as it came.
fn enum_def(t: &TypeDef, values: &[String]) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t);
    let mut idents = Uniquer::default();
    let variants: Vec<_> = values.iter().map(|v| ident(&idents.claim(naming::variant_ident(v)))).collect();
    let catch_all = ident(&idents.claim("Unknown".into()));
    let defs = variants.iter().zip(values).map(|(variant, value)| {
        let doc = format!(" `{value}`");
        quote! { #[doc = #doc] #variant, }
    });
    let as_str = variants.iter().zip(values).map(|(variant, value)| quote! { Self::#variant => #value, });
    let from_str = variants.iter().zip(values).map(|(variant, value)| quote! { #value => Self::#variant, });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#defs)*
            /// A value this version of the spec does not list, kept as it came.
            #catch_all(String),
        }

        impl #name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#catch_all(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#catch_all(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn union_def(
    model: &Model,
    recursion: &Recursion,
    owner: TypeId,
    t: &TypeDef,
    variants: &[NodeId],
    tag: Option<&Tag>,
) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t);
    let mut idents = Uniquer::default();
    let mut seen_types: HashMap<String, usize> = HashMap::new();
    let parts: Vec<(proc_macro2::Ident, TokenStream)> = variants
        .iter()
        .map(|&v| {
            let full = variant_name(model, v);
            // `Target::Variant1(TargetVariant1)` rather than `Target::TargetVariant1(...)`.
            let short = full.strip_prefix(t.name.as_str()).filter(|s| s.starts_with(|c: char| c.is_ascii_uppercase()));
            let variant = ident(&idents.claim(short.unwrap_or(&full).to_string()));
            let mut ty = type_tokens(model, v, &TokenStream::new());
            if recursion.needs_box(model, owner, unwrap_nullable(model, v).0) {
                ty = quote!(Box<#ty>);
            }
            *seen_types.entry(ty.to_string()).or_default() += 1;
            (variant, ty)
        })
        .collect();
    let defs = parts.iter().map(|(v, ty)| quote! { #v(#ty), });
    // With a discriminator, decoding reads the tag and decodes that variant only; encoding
    // writes the variant, which carries its tag.
    let (derives, tagged_de) = match tag {
        None => (quote!(Serialize, Deserialize), TokenStream::new()),
        Some(tag) => {
            let property = &tag.property;
            let arms = tag.values.iter().map(|(value, node)| {
                let index = variants.iter().position(|v| v == node).expect("tag values name variants");
                let variant = &parts[index].0;
                quote! { Some(#value) => serde_json::from_value(value).map(Self::#variant), }
            });
            let expected =
                format!("`{property}` is one of {:?}", tag.values.iter().map(|(v, _)| v).collect::<Vec<_>>());
            let de = quote! {
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
            (quote!(Serialize), de)
        }
    };
    // `From` for each variant whose type is not shared with another variant.
    let froms = parts.iter().filter(|(_, ty)| seen_types[&ty.to_string()] == 1).map(|(v, ty)| {
        quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#v(value)
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derives)]
        #[serde(untagged)]
        pub enum #name {
            #(#defs)*
        }
        #tagged_de
        #(#froms)*
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

/// Which model types contain each other directly (not through `Vec` or a map), so that the
/// fields closing such a cycle get a `Box` and the types have a finite size.
/// Which model types hold one another in a cycle, and so need a `Box` to have a size.
pub struct Recursion {
    /// Strongly connected component of each type.
    component: Vec<usize>,
    self_loops: Vec<bool>,
}

impl Recursion {
    pub fn new(model: &Model) -> Self {
        let edges: Vec<Vec<usize>> = model
            .types
            .iter()
            .map(|t| {
                let nodes: Vec<NodeId> = match &t.shape {
                    Shape::Struct { fields, .. } => fields.iter().map(|f| f.node).collect(),
                    Shape::Union { variants, .. } => variants.clone(),
                    Shape::Enum { .. } => Vec::new(),
                };
                nodes.into_iter().filter_map(|n| direct_model(model, n)).map(|t| t.0 as usize).collect()
            })
            .collect();
        let self_loops = edges.iter().enumerate().map(|(i, e)| e.contains(&i)).collect();
        Self { component: tarjan(&edges), self_loops }
    }

    fn needs_box(&self, model: &Model, owner: TypeId, node: NodeId) -> bool {
        match direct_model(model, node) {
            Some(target) if target == owner => self.self_loops[owner.0 as usize],
            Some(target) => self.component[target.0 as usize] == self.component[owner.0 as usize],
            None => false,
        }
    }
}

/// The model type held directly at `node` (through `Option` only), if any.
fn direct_model(model: &Model, node: NodeId) -> Option<TypeId> {
    let (node, _) = unwrap_nullable(model, node);
    model.type_of(node).filter(|t| !matches!(model.type_def(*t).shape, Shape::Enum { .. }))
}

/// Tarjan's strongly connected components, iteratively so that deep graphs cannot overflow.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(v, edge)) = work.last() {
            if edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(edge) {
                let top = work.len() - 1;
                work[top].1 += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::tarjan;

    #[test]
    fn finds_cycles() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0
        let c = tarjan(&[vec![1], vec![2], vec![0], vec![0]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
    }
}
