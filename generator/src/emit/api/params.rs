//! How a method takes its parameters and body, and how it sends them.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::syntax::{ident, type_source};
use crate::ir::{BodyEncoding, ParamLocation, ParamStyle, Parameter, RequestBody, Serialization};
use crate::normalize::{ListItem, Model, ParamForm, Resolved, RustType, Shape};

/// A type as a method takes it. A builder holds the same values, borrowing for `'a`.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `&str`.
    Str,
    /// By value.
    Value(RustType),
    /// `&T`.
    Ref(RustType),
    /// `&[T]`.
    Slice(Box<Arg>),
    /// `Vec<u8>`.
    Bytes,
    Option(Box<Arg>),
}

impl Arg {
    /// The type's source text, with `lifetime` (spelled with its `'`) on every reference when
    /// given (a builder's fields).
    pub fn source(&self, model: &Model, lifetime: Option<&str>) -> String {
        let reference = |what: &str| match lifetime {
            Some(l) => format!("&{l} {what}"),
            None => format!("&{what}"),
        };
        match self {
            Arg::Str => reference("str"),
            Arg::Value(t) => type_source(model, t, "models::"),
            Arg::Ref(t) => reference(&type_source(model, t, "models::")),
            Arg::Slice(item) => reference(&format!("[{}]", item.source(model, lifetime))),
            Arg::Bytes => "Vec<u8>".to_string(),
            Arg::Option(inner) => format!("Option<{}>", inner.source(model, lifetime)),
        }
    }

    /// `T` of `Option<T>`; anything else as it is.
    pub fn without_option(&self) -> &Arg {
        match self {
            Arg::Option(inner) => inner,
            other => other,
        }
    }

    pub fn mentions_model(&self) -> bool {
        match self {
            Arg::Value(t) | Arg::Ref(t) => t.mentions_model(),
            Arg::Slice(inner) | Arg::Option(inner) => inner.mentions_model(),
            Arg::Str | Arg::Bytes => false,
        }
    }
}

/// A parameter as the method takes it and as the request builder sends it.
pub struct Param {
    pub ident: Ident,
    /// The name on the wire.
    pub wire: String,
    pub arg: Arg,
    pub send: TokenStream,
    pub doc: String,
    pub required: bool,
}

pub fn param(model: &Model, p: &Parameter, name: String) -> Param {
    let id = ident(&name);
    let wire = &p.name;
    let form = model.param_form(p);
    let arg = match &form {
        ParamForm::Str => Arg::Str,
        ParamForm::Value(t) => Arg::Value(t.clone()),
        ParamForm::Ref(t) => Arg::Ref(t.clone()),
        ParamForm::List(item) => Arg::Slice(Box::new(match item {
            ListItem::Str => Arg::Str,
            ListItem::Value(t) | ListItem::Model(t) => Arg::Value(t.clone()),
        })),
    };
    // Sent straight from the call's field: `send` reads `self`, never unpacks it.
    let value = quote!(self.#id);
    let send = if model.styled(p, &form) {
        styled_send(p, &arg, &value)
    } else {
        match (p.location, &form) {
            (ParamLocation::Path, ParamForm::Value(_)) if model.is_enum(model.unwrap_nullable(p.schema).0) => {
                quote!(.path_param(#wire, #value.as_str()))
            }
            (ParamLocation::Path, ParamForm::Value(_)) => quote!(.path_param(#wire, &#value.to_string())),
            (ParamLocation::Path, _) => quote!(.path_param(#wire, #value)),
            (location, form) => {
                let query = location == ParamLocation::Query;
                let method = match form {
                    ParamForm::List(_) if query => quote!(query_each),
                    ParamForm::List(_) => quote!(header_each),
                    _ if query => quote!(query),
                    _ => quote!(header),
                };
                if p.required {
                    quote!(.#method(#wire, Some(#value)))
                } else {
                    quote!(.#method(#wire, #value))
                }
            }
        }
    };
    let arg = if p.required { arg } else { Arg::Option(Box::new(arg)) };
    Param {
        ident: id,
        wire: p.name.clone(),
        arg,
        send,
        doc: p.description.clone().unwrap_or_default(),
        required: p.required,
    }
}

/// A parameter sent through the runtime's style serializer: where, in which style, and its
/// value as an `Option<&T>`.
fn styled_send(p: &Parameter, arg: &Arg, value: &TokenStream) -> TokenStream {
    let place = match (p.location, &p.part) {
        (ParamLocation::Path, _) => quote!(Path),
        (ParamLocation::Query, _) => quote!(Query),
        (ParamLocation::Header, _) => quote!(Header),
        (ParamLocation::Cookie, _) => quote!(Cookie),
        (ParamLocation::PartHeader, part) => {
            let part = part.as_deref().unwrap_or_default();
            quote!(Part(#part))
        }
    };
    let at = param_at(&place, &p.name, p.serialization);
    // Values taken by value (numbers, enums) are lent; references are passed on.
    let value = match (arg, p.required) {
        (Arg::Value(_), true) => quote!(Some(&#value)),
        (Arg::Value(_), false) => quote!(#value.as_ref()),
        (_, true) => quote!(Some(#value)),
        (_, false) => quote!(#value),
    };
    let method = if p.serialization.json { quote!(param_json) } else { quote!(param) };
    quote!(.#method(#at, #value))
}

/// The runtime's `ParamAt`: where a value goes (`place`, a `Place` variant) and how it is written.
fn param_at(place: &TokenStream, name: &str, s: Serialization) -> TokenStream {
    let style = ident(match s.style {
        ParamStyle::Simple => "Simple",
        ParamStyle::Label => "Label",
        ParamStyle::Matrix => "Matrix",
        ParamStyle::Form => "Form",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
    });
    let (explode, allow_reserved) = (s.explode, s.allow_reserved);
    quote! {
        crate::runtime::ParamAt {
            place: crate::runtime::Place::#place,
            name: #name,
            style: crate::runtime::Style::#style,
            explode: #explode,
            allow_reserved: #allow_reserved,
        }
    }
}

/// The fields of a `multipart/form-data` body that the spec types as an object.
fn multipart_fields<'m>(model: &'m Model, b: &RequestBody) -> Option<&'m [crate::normalize::FieldDef]> {
    match model.resolve(b.schema) {
        Resolved::Model(crate::normalize::TypeDef { shape: Shape::Struct { fields, .. }, .. }) => Some(fields),
        _ => None,
    }
}

/// How the method takes the body.
pub fn body_arg(model: &Model, b: &RequestBody) -> Arg {
    match b.encoding {
        BodyEncoding::Json | BodyEncoding::FormUrlEncoded => {
            let arg = match &model.ir.node(b.schema).kind {
                crate::ir::Kind::Array(item) if model.type_of(b.schema).is_none() => {
                    Arg::Slice(Box::new(Arg::Value(model.rust_type(*item))))
                }
                _ => Arg::Ref(model.rust_type(b.schema)),
            };
            if b.encoding == BodyEncoding::Json && !b.required {
                Arg::Option(Box::new(arg))
            } else {
                arg
            }
        }
        BodyEncoding::Multipart if multipart_fields(model, b).is_some() => Arg::Ref(model.rust_type(b.schema)),
        BodyEncoding::Multipart => Arg::Ref(RustType::JsonObject),
        BodyEncoding::Text => Arg::Str,
        BodyEncoding::Binary => Arg::Bytes,
    }
}

/// How the body is taken: its argument, its request-builder call, and its description.
pub fn request_body(model: &Model, b: &RequestBody) -> (Arg, TokenStream, Option<String>) {
    let content_type = &b.content_type;
    let send = match b.encoding {
        BodyEncoding::Json if b.required => quote!(.json_body(#content_type, self.body)),
        BodyEncoding::Json => quote!(.json_body_opt(#content_type, self.body)),
        BodyEncoding::FormUrlEncoded => {
            // A form's properties are written as query pairs are.
            let query = quote!(Query);
            let encodings = b.encoding_of.iter().filter_map(|e| Some(param_at(&query, &e.name, e.serialization?)));
            quote!(.form_body(#content_type, self.body, &[#(#encodings),*]))
        }
        BodyEncoding::Multipart => match multipart_fields(model, b) {
            Some(fields) => {
                let parts = fields.iter().zip(fields.iter().map(|f| f.ident.clone())).map(|(f, field)| {
                    let wire = &f.name;
                    let field = ident(&field);
                    let (node, nullable) = model.unwrap_nullable(f.node);
                    let rust_type = model.rust_type(node);
                    let is_file = rust_type == RustType::FilePart;
                    let is_files = rust_type == RustType::Vec(Box::new(RustType::FilePart));
                    match (is_file, is_files, f.required && !nullable) {
                        (true, _, true) => quote!(.file(#wire, &self.body.#field)),
                        (true, _, false) => quote!(.file_opt(#wire, self.body.#field.as_ref())),
                        (_, true, true) => quote!(.files(#wire, &self.body.#field)),
                        (_, true, false) => quote!(.files(#wire, self.body.#field.as_deref().unwrap_or_default())),
                        _ => quote!(.field(#wire, &self.body.#field)),
                    }
                });
                let content_types = b.encoding_of.iter().filter_map(|e| {
                    let (name, content_type) = (&e.name, e.content_type.as_ref()?);
                    Some(quote!(.content_type(#name, #content_type)))
                });
                quote!(.multipart_body(Multipart::new() #(#parts)* #(#content_types)*))
            }
            None => quote!(.multipart_body(Multipart::from_object(self.body))),
        },
        BodyEncoding::Text => quote!(.raw_body(#content_type, self.body.as_bytes())),
        BodyEncoding::Binary => quote!(.raw_body(#content_type, self.body)),
    };
    (body_arg(model, b), send, b.description.clone())
}
