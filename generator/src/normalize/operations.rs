//! What an operation is in Rust, decided before emit: how each parameter is taken, what a
//! success returns, and whether the operation lists page by page.

use super::pagination::Pagination;
use super::{Model, OperationNames, Resolved, RustType};
use crate::ir::{
    Framing, HeaderKind, Kind, Operation, ParamLocation, Parameter, ResponseBody, Serialization, Status, StringFormat,
};

/// How a method takes a parameter's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamForm {
    /// `&str`: strings, and anything else that is sent as text.
    Str,
    /// By value: string enums, numbers, booleans, UUIDs and IP addresses.
    Value(RustType),
    /// A list of items (query, header and cookie parameters).
    List(ListItem),
    /// `&T`: a struct, union or map of the spec (Stripe's `created[gt]=...`), sent in its
    /// style from its JSON form.
    Ref(RustType),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListItem {
    /// Each sent as text.
    Str,
    Value(RustType),
    /// A model type that is no enum, sent from its JSON form.
    Model(RustType),
}

/// What a call returns when the server answers with a documented 2xx status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Success {
    /// No 2xx status has a body.
    Unit,
    /// One JSON type.
    Json(RustType),
    /// One JSON type, and statuses without a body (`None`).
    OptionalJson(RustType),
    /// Text.
    Text,
    /// Bytes.
    Bytes,
    /// Several 2xx statuses with different bodies (several JSON types, or JSON beside text):
    /// one case per status, in an enum of the operation's.
    ByStatus(Vec<SuccessCase>),
}

/// One 2xx status of a [`Success::ByStatus`], and what its body is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuccessCase {
    pub status: Status,
    pub body: CaseBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseBody {
    None,
    Json(RustType),
    Text,
    Bytes,
}

impl Success {
    /// Whether the result names a model type (and its module needs `models`).
    pub fn mentions_model(&self) -> bool {
        match self {
            Success::Json(t) | Success::OptionalJson(t) => t.mentions_model(),
            Success::ByStatus(cases) => {
                cases.iter().any(|c| matches!(&c.body, CaseBody::Json(t) if t.mentions_model()))
            }
            _ => false,
        }
    }
}

/// The facts of one operation that emit prints.
#[derive(Clone, Debug)]
pub struct OperationPlan {
    /// What the operation is called in its module.
    pub names: OperationNames,
    /// Its parameters in the order its method takes them, as indices into the operation's
    /// `parameters` (see `idents::parameter_order`), and where the optional ones start.
    pub order: Vec<usize>,
    pub optional_start: usize,
    /// The identifier of each parameter, in that order.
    pub param_idents: Vec<String>,
    pub success: Success,
    pub pagination: Option<Pagination>,
    /// The headers its successful responses document, once each: a `{Op}Headers` struct and
    /// a `*_with_headers` method when there are any.
    pub headers: Vec<DocumentedHeader>,
    /// The headers its error responses document, once each: a `{Op}ErrorHeaders` struct that
    /// reads them from an `ApiError`'s headers.
    pub error_headers: Vec<DocumentedHeader>,
    /// The success it also offers as a stream of events: read by the call's `events`.
    pub stream: Option<StreamPlan>,
    /// Whether its error enum is its own or another operation's of the same API, which
    /// documents the same errors (see [`Model::fold_errors`]).
    pub error_type: ErrorType,
}

/// An operation's `{Op}Error`: an enum of its own, or another name of the enum of an earlier
/// operation of its API whose documented errors are the same (status, description and body),
/// which decodes them once for all of them. On SailPoint's V3, 358 operations document 7
/// different sets of errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// Defined here, `others` more operations naming it.
    Own { others: usize },
    /// `pub type {Op}Error = {Other}Error;`: the index of that operation in its API.
    Same { of: usize },
}

/// How a call reads its response as a stream of events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamPlan {
    /// The status whose body is the stream.
    pub status: Status,
    /// The media type, sent as `Accept`.
    pub content_type: String,
    pub framing: Framing,
    /// The type of each event's data; `None`: text.
    pub item: Option<RustType>,
    /// The data that ends the stream, when the spec documents one.
    pub sentinel: Option<String>,
}

impl OperationPlan {
    /// The operation's parameters in the order its method takes them.
    pub fn ordered<'o>(&self, op: &'o Operation) -> Vec<&'o Parameter> {
        self.order.iter().map(|&i| &op.parameters[i]).collect()
    }
}

/// A documented header of an operation's responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentedHeader {
    pub name: String,
    /// The field of the headers struct that holds it.
    pub ident: String,
    pub kind: HeaderKind,
    pub description: Option<String>,
    /// Its name says it carries a credential (`Set-Cookie`, `...-Token`, ...): a `Secret`, so
    /// that it never shows in `Debug`.
    pub secret: bool,
}

impl DocumentedHeader {
    pub(super) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// Whether a header of this name carries a credential.
fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "set-cookie"
        || name == "authorization"
        || ["token", "secret", "password", "api-key", "apikey", "session"].iter().any(|w| name.contains(w))
}

/// The headers documented on `responses`, once each (in any case), in the order first met.
fn documented_headers<'a>(responses: impl Iterator<Item = &'a crate::ir::Response>) -> Vec<DocumentedHeader> {
    let mut headers: Vec<DocumentedHeader> = Vec::new();
    for h in responses.flat_map(|r| &r.headers) {
        match headers.iter_mut().find(|known| known.is(&h.name)) {
            Some(known) => {
                if known.description.is_none() {
                    known.description.clone_from(&h.description);
                }
            }
            None => headers.push(DocumentedHeader {
                name: h.name.clone(),
                ident: String::new(),
                kind: h.kind,
                description: h.description.clone(),
                secret: is_secret_header(&h.name),
            }),
        }
    }
    let idents = super::idents::header_idents(headers.iter().map(|h| h.name.as_str()));
    for (header, ident) in headers.iter_mut().zip(idents) {
        header.ident = ident;
    }
    headers
}

/// Whether a parameter of this kind is taken by value: it is `Copy` and its text is its
/// `Display` (numbers, booleans, UUIDs, IP addresses).
fn taken_by_value(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Integer(_)
            | Kind::Number(_)
            | Kind::Boolean
            | Kind::String(StringFormat::Uuid | StringFormat::Ipv4 | StringFormat::Ipv6 | StringFormat::Ip)
    )
}

impl Model {
    /// How the method of an operation takes the parameter `p`.
    pub fn param_form(&self, p: &Parameter) -> ParamForm {
        // A parameter that may be null is one that may be left out: the method's `Option`.
        let (schema, _) = self.unwrap_nullable(p.schema);
        match self.resolve(schema) {
            Resolved::Model(_) if self.is_enum(schema) => ParamForm::Value(self.rust_type(schema)),
            Resolved::Model(_) if p.location == ParamLocation::Path && !p.serialization.json => ParamForm::Str,
            Resolved::Model(_) => ParamForm::Ref(self.rust_type(schema)),
            Resolved::Kind(kind) if taken_by_value(kind) => ParamForm::Value(self.rust_type(schema)),
            // A map (OpenAI's `metadata`) is sent in its style, as a struct is; so is a free-form
            // object in a query. A free-form object elsewhere is taken as text: in a header it
            // is the spec's slip for a string (Mastodon's `Idempotency-Key`).
            Resolved::Kind(Kind::Map(_)) if p.location != ParamLocation::Path || p.serialization.json => {
                ParamForm::Ref(self.rust_type(schema))
            }
            Resolved::Kind(Kind::FreeFormObject) if p.location == ParamLocation::Query => {
                ParamForm::Ref(self.rust_type(schema))
            }
            Resolved::Kind(Kind::Array(item)) => ParamForm::List(match self.resolve(*item) {
                Resolved::Kind(Kind::String(StringFormat::Plain)) => ListItem::Str,
                Resolved::Kind(kind) if taken_by_value(kind) => ListItem::Value(self.rust_type(*item)),
                Resolved::Model(_) if self.is_enum(*item) => ListItem::Value(self.rust_type(*item)),
                Resolved::Model(_) => ListItem::Model(self.rust_type(*item)),
                _ => ListItem::Str,
            }),
            Resolved::Kind(_) => ParamForm::Str,
        }
    }

    /// Whether `p`, taken as `form`, is sent through the runtime's style serializer (`param`, `param_json`): a
    /// style, explode or `allowReserved` other than its place's default, `content`, a cookie,
    /// or a struct or union value. Others go the plain way (text, or one pair per item).
    pub fn styled(&self, p: &Parameter, form: &ParamForm) -> bool {
        p.serialization != Serialization::default_for(p.location)
            || matches!(p.location, ParamLocation::Cookie | ParamLocation::PartHeader)
            || match form {
                ParamForm::Ref(_) | ParamForm::List(ListItem::Model(_)) => true,
                ParamForm::List(_) => p.location == ParamLocation::Path,
                ParamForm::Str | ParamForm::Value(_) => false,
            }
    }

    /// The facts of `op`, from its parameters and responses.
    pub(super) fn plan_operation(&self, op: &Operation, names: OperationNames) -> OperationPlan {
        let success = self.success(op);
        let headers = documented_headers(op.successes());
        let error_headers = documented_headers(op.errors());
        let pagination = self.pagination(op, &success, &headers);
        let (order, optional_start) = super::idents::parameter_order(op);
        let param_idents =
            super::idents::parameter_idents(&order.iter().map(|&i| &op.parameters[i]).collect::<Vec<_>>());
        let stream = op.successes().find_map(|r| {
            let s = r.stream.as_ref()?;
            Some(StreamPlan {
                status: r.status,
                content_type: s.content_type.clone(),
                framing: s.framing,
                item: s.item.map(|n| self.rust_type(n)),
                sentinel: s.sentinel.clone(),
            })
        });
        OperationPlan {
            names,
            order,
            optional_start,
            param_idents,
            success,
            pagination,
            headers,
            error_headers,
            stream,
            error_type: ErrorType::Own { others: 0 },
        }
    }

    /// Gives the operations of API `api` that document the same errors one error enum: the
    /// first one's, which the others name.
    pub(super) fn fold_errors(&mut self, api: usize) {
        let keys: Vec<Vec<(Status, &str, Option<RustType>)>> = self.ir.apis[api]
            .operations
            .iter()
            .map(|op| {
                op.errors()
                    .map(|r| {
                        let body = match r.body {
                            ResponseBody::Json(node) => Some(self.rust_type(node)),
                            _ => None,
                        };
                        (r.status, r.description.trim(), body)
                    })
                    .collect()
            })
            .collect();
        let mut types = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            match keys[..i].iter().position(|k| k == key) {
                Some(first) => types.push(ErrorType::Same { of: first }),
                None => types.push(ErrorType::Own { others: 0 }),
            }
        }
        for i in 0..types.len() {
            if let ErrorType::Same { of } = types[i] {
                if let ErrorType::Own { others } = &mut types[of] {
                    *others += 1;
                }
            }
        }
        for (plan, error_type) in self.operations[api].iter_mut().zip(types) {
            plan.error_type = error_type;
        }
    }

    fn success(&self, op: &Operation) -> Success {
        let success: Vec<&ResponseBody> = op.successes().map(|r| &r.body).collect();
        let mut json_types: Vec<RustType> = Vec::new();
        for body in &success {
            if let ResponseBody::Json(node) = body {
                let t = self.rust_type(*node);
                if !json_types.contains(&t) {
                    json_types.push(t);
                }
            }
        }
        let has = |wanted: ResponseBody| success.iter().any(|b| **b == wanted);
        match (json_types.len(), has(ResponseBody::Text), has(ResponseBody::Binary)) {
            (0, false, false) => Success::Unit,
            (1, false, false) if has(ResponseBody::None) => Success::OptionalJson(json_types.remove(0)),
            (1, false, false) => Success::Json(json_types.remove(0)),
            (0, true, false) => Success::Text,
            (0, _, true) => Success::Bytes,
            _ => Success::ByStatus(
                op.successes()
                    .map(|r| SuccessCase {
                        status: r.status,
                        body: match r.body {
                            ResponseBody::None => CaseBody::None,
                            ResponseBody::Json(node) => CaseBody::Json(self.rust_type(node)),
                            ResponseBody::Text => CaseBody::Text,
                            ResponseBody::Binary => CaseBody::Bytes,
                        },
                    })
                    .collect(),
            ),
        }
    }
}
