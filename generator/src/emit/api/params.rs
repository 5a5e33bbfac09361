//! How a method takes its parameters and body, and how it sends them.

use proc_macro2::Ident;

use super::super::expr::Expr;
use super::super::syntax::{ident, string_literal, type_source};
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
    /// The request builder's call that sends it.
    pub send: Expr,
    pub doc: String,
    pub required: bool,
}

pub fn param(model: &Model, p: &Parameter, name: String) -> Param {
    let id = ident(&name);
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
    let value = format!("self.{id}");
    let send = if model.styled(p, &form) {
        styled_send(p, &arg, value)
    } else {
        let wire = Expr::Flat(string_literal(&p.name));
        match (p.location, &form) {
            (ParamLocation::Path, ParamForm::Value(_)) if model.is_enum(model.unwrap_nullable(p.schema).0) => {
                Expr::call(".path_param", vec![wire, Expr::call(format!("{value}.as_str"), Vec::new())])
            }
            (ParamLocation::Path, ParamForm::Value(_)) => {
                Expr::call(".path_param", vec![wire, Expr::Flat(format!("&{value}.to_string()"))])
            }
            (ParamLocation::Path, _) => Expr::call(".path_param", vec![wire, Expr::Flat(value)]),
            (location, form) => {
                let query = location == ParamLocation::Query;
                let method = match form {
                    ParamForm::List(_) if query => ".query_each",
                    ParamForm::List(_) => ".header_each",
                    _ if query => ".query",
                    _ => ".header",
                };
                let value = if p.required { Expr::call("Some", vec![Expr::Flat(value)]) } else { Expr::Flat(value) };
                Expr::call(method, vec![wire, value])
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
/// value (`value`, the call's field) as an `Option<&T>`.
fn styled_send(p: &Parameter, arg: &Arg, value: String) -> Expr {
    let place = match (p.location, &p.part) {
        (ParamLocation::Path, _) => Expr::Flat("crate::runtime::Place::Path".into()),
        (ParamLocation::Query, _) => Expr::Flat("crate::runtime::Place::Query".into()),
        (ParamLocation::Header, _) => Expr::Flat("crate::runtime::Place::Header".into()),
        (ParamLocation::Cookie, _) => Expr::Flat("crate::runtime::Place::Cookie".into()),
        (ParamLocation::PartHeader, part) => {
            let part = part.as_deref().unwrap_or_default();
            Expr::call("crate::runtime::Place::Part", vec![Expr::Flat(string_literal(part))])
        }
    };
    let at = param_at(place, &p.name, p.serialization);
    // Values taken by value (numbers, enums) are lent; references are passed on.
    let value = match (arg, p.required) {
        (Arg::Value(_), true) => Expr::call("Some", vec![Expr::Flat(format!("&{value}"))]),
        (Arg::Value(_), false) => Expr::call(format!("{value}.as_ref"), Vec::new()),
        (_, true) => Expr::call("Some", vec![Expr::Flat(value)]),
        (_, false) => Expr::Flat(value),
    };
    Expr::call(if p.serialization.json { ".param_json" } else { ".param" }, vec![at, value])
}

/// The runtime's `ParamAt`: where a value goes (`place`, a `Place` variant) and how it is written.
fn param_at(place: Expr, name: &str, s: Serialization) -> Expr {
    let style = match s.style {
        ParamStyle::Simple => "Simple",
        ParamStyle::Label => "Label",
        ParamStyle::Matrix => "Matrix",
        ParamStyle::Form => "Form",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
    };
    let field = |name: &str, value: Expr| (name.to_string(), value);
    Expr::Struct {
        path: "crate::runtime::ParamAt".into(),
        fields: vec![
            field("place", place),
            field("name", Expr::Flat(string_literal(name))),
            field("style", Expr::Flat(format!("crate::runtime::Style::{style}"))),
            field("explode", Expr::Flat(s.explode.to_string())),
            field("allow_reserved", Expr::Flat(s.allow_reserved.to_string())),
        ],
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
pub fn request_body(model: &Model, b: &RequestBody) -> (Arg, Expr, Option<String>) {
    let content_type = Expr::Flat(string_literal(&b.content_type));
    let body = || Expr::Flat("self.body".into());
    let send = match b.encoding {
        BodyEncoding::Json if b.required => Expr::call(".json_body", vec![content_type, body()]),
        BodyEncoding::Json => Expr::call(".json_body_opt", vec![content_type, body()]),
        BodyEncoding::FormUrlEncoded => {
            // A form's properties are written as query pairs are.
            let query = || Expr::Flat("crate::runtime::Place::Query".into());
            let encodings = b.encoding_of.iter().filter_map(|e| Some(param_at(query(), &e.name, e.serialization?)));
            let encodings = Expr::Array { prefix: "&".into(), items: encodings.collect() };
            Expr::call(".form_body", vec![content_type, body(), encodings])
        }
        BodyEncoding::Multipart => match multipart_fields(model, b) {
            Some(fields) => Expr::call(".multipart_body", vec![multipart(model, fields, b)]),
            None => Expr::call(".multipart_body", vec![Expr::call("Multipart::from_object", vec![body()])]),
        },
        BodyEncoding::Text => Expr::call(".raw_body", vec![content_type, Expr::call("self.body.as_bytes", Vec::new())]),
        BodyEncoding::Binary => Expr::call(".raw_body", vec![content_type, body()]),
    };
    (body_arg(model, b), send, b.description.clone())
}

/// `Multipart::new()` and a call per field of the body (a file, files or a value), then the
/// content types the spec's `encoding` gives: one expression, printed on one line.
fn multipart(model: &Model, fields: &[crate::normalize::FieldDef], b: &RequestBody) -> Expr {
    let mut calls = String::new();
    for f in fields {
        let wire = string_literal(&f.name);
        let field = ident(&f.ident);
        let (node, nullable) = model.unwrap_nullable(f.node);
        let rust_type = model.rust_type(node);
        let is_file = rust_type == RustType::FilePart;
        let is_files = rust_type == RustType::Vec(Box::new(RustType::FilePart));
        calls.push_str(&match (is_file, is_files, f.required && !nullable) {
            (true, _, true) => format!(".file({wire}, &self.body.{field})"),
            (true, _, false) => format!(".file_opt({wire}, self.body.{field}.as_ref())"),
            (_, true, true) => format!(".files({wire}, &self.body.{field})"),
            (_, true, false) => format!(".files({wire}, self.body.{field}.as_deref().unwrap_or_default())"),
            _ => format!(".field({wire}, &self.body.{field})"),
        });
    }
    for e in &b.encoding_of {
        if let Some(content_type) = &e.content_type {
            calls.push_str(&format!(".content_type({}, {})", string_literal(&e.name), string_literal(content_type)));
        }
    }
    if calls.is_empty() {
        Expr::call("Multipart::new", Vec::new())
    } else {
        Expr::Flat(format!("Multipart::new(){calls}"))
    }
}
