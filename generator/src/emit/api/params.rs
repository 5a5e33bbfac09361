//! How a method takes its parameters and body, and how it sends them.

use proc_macro2::{Ident, TokenStream};
use syn::Lifetime;
use quote::quote;

use super::super::syntax::{field_idents, ident, type_tokens};
use crate::ir::{BodyEncoding, Parameter, ParamLocation, RequestBody};
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
    /// The tokens, with `lifetime` on every reference when given (a builder's fields).
    pub fn tokens(&self, model: &Model, lifetime: Option<&Lifetime>) -> TokenStream {
        match self {
            Arg::Str => quote!(& #lifetime str),
            Arg::Value(t) => type_tokens(model, t, &quote!(models::)),
            Arg::Ref(t) => {
                let t = type_tokens(model, t, &quote!(models::));
                quote!(& #lifetime #t)
            }
            Arg::Slice(item) => {
                let item = item.tokens(model, lifetime);
                quote!(& #lifetime [#item])
            }
            Arg::Bytes => quote!(Vec<u8>),
            Arg::Option(inner) => {
                let inner = inner.tokens(model, lifetime);
                quote!(Option<#inner>)
            }
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
    let (arg, send) = match (p.location, form) {
        (ParamLocation::Path, ParamForm::Value(t)) if model.is_enum(model.unwrap_nullable(p.schema).0) => {
            (Arg::Value(t), quote!(.path_param(#wire, #id.as_str())))
        }
        (ParamLocation::Path, ParamForm::Value(t)) => (Arg::Value(t), quote!(.path_param(#wire, &#id.to_string()))),
        (ParamLocation::Path, _) => (Arg::Str, quote!(.path_param(#wire, #id))),
        (location, form) => {
            let query = location == ParamLocation::Query;
            let (arg, method) = match form {
                ParamForm::List(item) => {
                    let item = match item {
                        ListItem::Str => Arg::Str,
                        ListItem::Value(t) => Arg::Value(t),
                    };
                    (Arg::Slice(Box::new(item)), if query { quote!(query_each) } else { quote!(header_each) })
                }
                ParamForm::Value(t) => (Arg::Value(t), if query { quote!(query) } else { quote!(header) }),
                ParamForm::Str => (Arg::Str, if query { quote!(query) } else { quote!(header) }),
            };
            if p.required {
                (arg, quote!(.#method(#wire, Some(#id))))
            } else {
                (Arg::Option(Box::new(arg)), quote!(.#method(#wire, #id)))
            }
        }
    };
    Param { ident: id, wire: p.name.clone(), arg, send, doc: p.description.clone().unwrap_or_default(), required: p.required }
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
        BodyEncoding::Json if b.required => quote!(.json_body(#content_type, body)),
        BodyEncoding::Json => quote!(.json_body_opt(#content_type, body)),
        BodyEncoding::FormUrlEncoded => quote!(.form_body(#content_type, body)),
        BodyEncoding::Multipart => match multipart_fields(model, b) {
            Some(fields) => {
                let parts = fields.iter().zip(field_idents(fields)).map(|(f, field)| {
                    let wire = &f.name;
                    let field = ident(&field);
                    let (node, nullable) = model.unwrap_nullable(f.node);
                    let is_file = model.rust_type(node) == RustType::FilePart;
                    match (is_file, f.required && !nullable) {
                        (true, true) => quote!(.file(#wire, &body.#field)),
                        (true, false) => quote!(.file_opt(#wire, body.#field.as_ref())),
                        (false, _) => quote!(.field(#wire, &body.#field)),
                    }
                });
                quote!(.multipart_body(Multipart::new() #(#parts)*))
            }
            None => quote!(.multipart_body(Multipart::from_object(body))),
        },
        BodyEncoding::Text => quote!(.raw_body(#content_type, body.as_bytes())),
        BodyEncoding::Binary => quote!(.raw_body(#content_type, body)),
    };
    (body_arg(model, b), send, b.description.clone())
}
