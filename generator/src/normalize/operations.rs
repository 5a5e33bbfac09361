//! What an operation is in Rust, decided before emit: how each parameter is taken, what a
//! success returns, and whether the operation lists page by page.

use super::{Model, OperationNames, Resolved, RustType, Shape, TypeId};
use crate::ir::{
    BodyEncoding, HeaderKind, HttpMethod, Kind, Operation, ParamLocation, Parameter, ResponseBody, Serialization,
    Status, StringFormat,
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
    /// The type of the successful result, when it is a JSON type of the spec.
    pub fn json_type(&self) -> Option<&RustType> {
        match self {
            Success::Json(t) | Success::OptionalJson(t) => Some(t),
            _ => None,
        }
    }

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

/// An operation that lists page by page (README, "Pagination"): its stream yields `item`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// The type of one listed item.
    pub item: RustType,
    pub style: PageStyle,
}

/// The body of a limit/offset page that holds its items beside other fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetEnvelope {
    pub items: PageField,
    /// `total_count`, `totalCount`, `total` or `totalSize`: the list ends there.
    pub total: Option<PageField>,
}

/// How the next page is asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageStyle {
    /// `limit` and `offset` (SailPoint): the body is the array of items (or an envelope
    /// holding them), and a short page is the last.
    Offset {
        /// The type of `limit` (and so of the page size).
        limit: RustType,
        /// The type of `offset`, which may differ from `limit`'s.
        offset: RustType,
        /// The documented `X-Total-Count` header (an index into the plan's headers): with it,
        /// the list ends at the total, not at the first short page (a server may cap the page
        /// size below the one asked for).
        total: Option<usize>,
        /// Whether the first page sends `count=true` (an optional boolean `count` parameter
        /// and a documented total: SailPoint's `count` asks for `X-Total-Count`); otherwise an
        /// optional `count` is not sent.
        ask_count: bool,
        /// When the body is a struct holding the items (Box, LaunchDarkly): where they are, and
        /// the integer total it may give.
        envelope: Option<OffsetEnvelope>,
        /// Where `limit` and `offset` are sent.
        at: OffsetIn,
    },
    /// A `Link: <...>; rel="next"` header (GitHub, RFC 8288), followed while it stays on the
    /// client's origin; the body is the array of items.
    Link {
        /// The documented `Link` header: an index into the plan's headers.
        header: usize,
    },
    /// A token query parameter (`page_token`, `cursor`, ...) fed from a field of the body
    /// (`next_page`, `next_cursor`, ...); no token, or an empty one, ends the list.
    Token {
        /// The parameter's name on the wire.
        param: String,
        next: PageField,
        items: PageField,
        /// The query parameters sent with the first page only (wire names): Dropshot's token
        /// stands for the query that made it, so later pages send only the token, `limit` and
        /// the required parameters.
        first_page_only: Vec<String>,
    },
    /// Stripe's convention: `starting_after` (or `after`) set to the last item's `id` while the
    /// body says `has_more`.
    AfterLast {
        param: String,
        has_more: PageField,
        items: PageField,
        /// The `id` field of the item type.
        id: PageField,
    },
}

/// Where a limit/offset list takes its `limit` and `offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OffsetIn {
    /// Query parameters of those names.
    Query,
    /// Fields of the JSON request body (FastAPI's `POST /.../filter`, Prefect's): each page sends
    /// a copy of the caller's body with the two set.
    Body {
        limit: PageField,
        offset: PageField,
        /// The body may be left out: a page then sends the struct's default (all its fields are
        /// optional) with the two set.
        optional_body: bool,
    },
}

/// A field of a model struct that a stream reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageField {
    pub owner: TypeId,
    /// Its index among the struct's fields.
    pub index: usize,
    /// Whether its Rust type is an `Option`.
    pub optional: bool,
}

/// Query parameters that carry a page token, as APIs name them.
const TOKEN_PARAMS: &[&str] = &[
    "page_token",
    "pageToken",
    "pagetoken",
    "cursor",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "marker",
];

/// Response fields that carry the token of the next page.
const NEXT_TOKEN_FIELDS: &[&str] = &[
    "next_page",
    "next_page_token",
    "nextPageToken",
    "next_cursor",
    "nextCursor",
    "next_token",
    "nextToken",
    "NextToken",
    "continuation_token",
    "continuationToken",
    "next_marker",
    "nextMarker",
];

/// Query parameters set to the last item's id (Stripe's, and OpenAI's and others' after it).
const AFTER_PARAMS: &[&str] = &["starting_after", "after"];

/// Response fields that hold the items of a page, when a body has more than one array.
const ITEMS_FIELDS: &[&str] = &["items", "data", "results", "entries", "values", "records"];

/// The fields of a limit/offset envelope that give the length of the whole list.
const TOTAL_FIELDS: &[&str] = &["total_count", "totalCount", "total", "totalSize", "total_size"];

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
    fn is(&self, name: &str) -> bool {
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
        OperationPlan { names, order, optional_start, param_idents, success, pagination, headers, error_headers }
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

    /// How `op` lists page by page, if it follows one of the conventions: a GET with no body
    /// whose one success is JSON, or a POST that reads (its body or its query takes `limit` and
    /// `offset`, as search and filter endpoints do) whose one success is JSON.
    fn pagination(&self, op: &Operation, success: &Success, headers: &[DocumentedHeader]) -> Option<Pagination> {
        let get = op.method == HttpMethod::Get && op.body.is_none();
        if !get && op.method != HttpMethod::Post {
            return None;
        }
        let Success::Json(body) = success else { return None };
        match body {
            RustType::Vec(item) => self.offset_pagination(op, item, headers, None).or_else(|| {
                let header = headers.iter().position(|h| h.is("link") && h.kind == HeaderKind::Text)?;
                get.then(|| Pagination { item: (**item).clone(), style: PageStyle::Link { header } })
            }),
            RustType::Model(t) => self.envelope_pagination(op, *t, headers, get),
            _ => None,
        }
    }

    /// Optional integer `limit` and `offset`, in the query or the JSON body; the response body
    /// is the array of items, or `envelope` holds them.
    fn offset_pagination(
        &self,
        op: &Operation,
        item: &RustType,
        headers: &[DocumentedHeader],
        envelope: Option<OffsetEnvelope>,
    ) -> Option<Pagination> {
        let integer = |wire: &str| {
            let p = op.parameters.iter().find(|p| p.name == wire && !p.required)?;
            match self.param_form(p) {
                ParamForm::Value(t) if t.is_integer() => Some(t),
                _ => None,
            }
        };
        let (limit, offset, at) = match (integer("limit"), integer("offset")) {
            (Some(limit), Some(offset)) => (limit, offset, OffsetIn::Query),
            _ => self.body_offset(op)?,
        };
        let total = headers.iter().position(|h| h.is("x-total-count") && h.kind == HeaderKind::Integer);
        let ask_count = total.is_some()
            && op
                .parameters
                .iter()
                .any(|p| p.name == "count" && !p.required && self.param_form(p) == ParamForm::Value(RustType::Bool));
        let style = PageStyle::Offset { limit, offset, total, ask_count, envelope, at };
        Some(Pagination { item: item.clone(), style })
    }

    /// `limit` and `offset` as optional integer fields of a JSON body that is a struct, one that
    /// the stream can copy (or, when the body may be left out, make by default).
    fn body_offset(&self, op: &Operation) -> Option<(RustType, RustType, OffsetIn)> {
        let body = op.body.as_ref()?;
        if body.encoding != BodyEncoding::Json {
            return None;
        }
        let owner = self.type_of(body.schema)?;
        let Shape::Struct { fields, .. } = &self.type_def(owner).shape else { return None };
        let optional = |index: usize| !fields[index].required || self.unwrap_nullable(fields[index].node).1;
        let field = |name: &str| {
            let index = fields.iter().position(|f| f.name == name)?;
            let t = self.rust_type(self.unwrap_nullable(fields[index].node).0);
            (t.is_integer() && optional(index)).then_some((PageField { owner, index, optional: true }, t))
        };
        let (limit_field, limit) = field("limit")?;
        let (offset_field, offset) = field("offset")?;
        // Without a body of the caller's, a page starts from the struct's default.
        if !body.required && !(0..fields.len()).all(optional) {
            return None;
        }
        let at = OffsetIn::Body { limit: limit_field, offset: offset_field, optional_body: !body.required };
        Some((limit, offset, at))
    }

    /// A body that is a struct holding the items and what leads to the next page.
    fn envelope_pagination(
        &self,
        op: &Operation,
        envelope: TypeId,
        headers: &[DocumentedHeader],
        get: bool,
    ) -> Option<Pagination> {
        let Shape::Struct { fields, .. } = &self.type_def(envelope).shape else { return None };
        let field = |index: usize| {
            let (node, nullable) = self.unwrap_nullable(fields[index].node);
            (PageField { owner: envelope, index, optional: nullable || !fields[index].required }, self.rust_type(node))
        };
        let named = |names: &[&str], wanted: &dyn Fn(&RustType) -> bool| {
            names.iter().find_map(|name| {
                let index = fields.iter().position(|f| f.name == *name)?;
                let (f, t) = field(index);
                wanted(&t).then_some((f, t))
            })
        };
        // The items: the one array of the body, or the array named as items usually are.
        let arrays: Vec<usize> = (0..fields.len()).filter(|&i| matches!(field(i).1, RustType::Vec(_))).collect();
        let (items, items_type) = match arrays.as_slice() {
            [one] => field(*one),
            _ => named(ITEMS_FIELDS, &|t| matches!(t, RustType::Vec(_)))?,
        };
        let RustType::Vec(item) = items_type else { return None };
        let query_string = |names: &[&str]| {
            names.iter().find_map(|name| {
                op.parameters.iter().find(|p| {
                    p.name == *name
                        && p.location == ParamLocation::Query
                        && !p.required
                        && self.param_form(p) == ParamForm::Str
                        && self.rust_type(self.unwrap_nullable(p.schema).0) == RustType::String
                })
            })
        };
        let total = named(TOTAL_FIELDS, &|t| t.is_integer()).map(|(f, _)| f);
        let offset = OffsetEnvelope { items: items.clone(), total };
        if !get {
            // A POST pages only by `limit` and `offset`: a token or a last id in its query is
            // not known to stand for its body.
            return self.offset_pagination(op, &item, headers, Some(offset));
        }
        let is_string = |t: &RustType| *t == RustType::String;
        if let Some(param) = query_string(TOKEN_PARAMS) {
            if let Some((next, _)) = named(NEXT_TOKEN_FIELDS, &is_string) {
                let first_page_only = if op.dropshot_pagination && param.name == "page_token" {
                    op.parameters
                        .iter()
                        .filter(|p| {
                            p.location == ParamLocation::Query
                                && !p.required
                                && !["limit", "page_token"].contains(&p.name.as_str())
                        })
                        .map(|p| p.name.clone())
                        .collect()
                } else {
                    Vec::new()
                };
                let style = PageStyle::Token { param: param.name.clone(), next, items, first_page_only };
                return Some(Pagination { item: *item, style });
            }
        }
        if let Some(pagination) = self.offset_pagination(op, &item, headers, Some(offset)) {
            return Some(pagination);
        }
        let param = query_string(AFTER_PARAMS)?;
        let (has_more, _) = named(&["has_more"], &|t| *t == RustType::Bool)?;
        // The id of the last item leads on: the items must be structs with a string `id`.
        let RustType::Model(item_type) = *item else { return None };
        let Shape::Struct { fields: item_fields, .. } = &self.type_def(item_type).shape else { return None };
        let index = item_fields.iter().position(|f| f.name == "id")?;
        let (node, nullable) = self.unwrap_nullable(item_fields[index].node);
        if self.rust_type(node) != RustType::String {
            return None;
        }
        let id = PageField { owner: item_type, index, optional: nullable || !item_fields[index].required };
        let style = PageStyle::AfterLast { param: param.name.clone(), has_more, items, id };
        Some(Pagination { item: RustType::Model(item_type), style })
    }
}
