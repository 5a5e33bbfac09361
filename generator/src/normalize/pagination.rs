//! Whether an operation lists page by page, and by which convention (docs/generated-crate.md,
//! "Pagination"): the types that say how a stream pages, and the detectors that find them from
//! the operation's parameters, body and answer. `emit/api/pagination.rs` prints what this says.

use super::operations::{DocumentedHeader, ParamForm, Success};
use super::{Model, RustType, Shape, TypeId};
use crate::ir::{BodyEncoding, HeaderKind, HttpMethod, Operation, ParamLocation};

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

/// The fields of a limit/offset envelope that give the length of the whole list, most
/// telling first; after them any other `total_*` or `totalX` (FastAPI servers' `total_entries`),
/// then `count` (Django REST framework's). A count of pages is no total.
const TOTAL_FIELDS: &[&str] = &["total_count", "totalCount", "total", "totalSize", "total_size"];

/// The rank of `name` as the field of an envelope that gives the list's total: lower is
/// better, `None` when it is none.
fn total_rank(name: &str) -> Option<usize> {
    if let Some(rank) = TOTAL_FIELDS.iter().position(|t| *t == name) {
        return Some(rank);
    }
    let other_total = name.strip_prefix("total").is_some_and(|rest| {
        rest.strip_prefix('_').is_some_and(|r| !r.is_empty()) || rest.starts_with(|c: char| c.is_ascii_uppercase())
    });
    if other_total && !name.to_ascii_lowercase().contains("page") {
        return Some(TOTAL_FIELDS.len());
    }
    (name == "count").then_some(TOTAL_FIELDS.len() + 1)
}

impl Model {
    /// How `op` lists page by page, if it follows one of the conventions: a GET with no body
    /// whose one success is JSON, or a POST that reads (its body or its query takes `limit` and
    /// `offset`, as search and filter endpoints do) whose one success is JSON.
    pub(super) fn pagination(
        &self,
        op: &Operation,
        success: &Success,
        headers: &[DocumentedHeader],
    ) -> Option<Pagination> {
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
        let total = (0..fields.len())
            .filter_map(|i| Some((total_rank(&fields[i].name)?, i)))
            .filter(|&(_, i)| field(i).1.is_integer())
            .min()
            .map(|(_, i)| field(i).0);
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

#[cfg(test)]
mod tests {
    #[test]
    fn totals_are_named_as_apis_name_them() {
        let rank = super::total_rank;
        assert!(rank("total_count") < rank("total_entries") && rank("total_entries") < rank("count"));
        for total in ["total", "totalCount", "total_results", "totalElements", "count"] {
            assert!(rank(total).is_some(), "{total}");
        }
        for other in ["total_pages", "totalPages", "totals", "total_", "counts", "page_count", "limit"] {
            assert_eq!(rank(other), None, "{other}");
        }
    }
}
