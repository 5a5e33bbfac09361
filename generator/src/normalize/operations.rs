//! What an operation is in Rust, decided before emit: how each parameter is taken, what a
//! success returns, and whether the operation lists page by page.

use super::{Model, Resolved, RustType};
use crate::ir::{HttpMethod, Kind, Operation, ParamLocation, Parameter, ResponseBody, Status, StringFormat};

/// How a method takes a parameter's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamForm {
    /// `&str`: strings, and anything else that is sent as text.
    Str,
    /// By value: string enums, numbers and booleans.
    Value(RustType),
    /// A list of items (query and header parameters), each sent as text.
    List(ListItem),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListItem {
    Str,
    Value(RustType),
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
            Success::ByStatus(cases) => cases.iter().any(|c| matches!(&c.body, CaseBody::Json(t) if t.mentions_model())),
            _ => false,
        }
    }
}

/// A GET that lists with `limit` and `offset` (SailPoint's convention).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// The type of `limit` (and so of the page size): `i32` or `i64`.
    pub limit: RustType,
    /// The type of `offset`, which may differ from `limit`'s.
    pub offset: RustType,
    /// The type of one listed item.
    pub item: RustType,
}

/// The facts of one operation that emit prints.
#[derive(Clone, Debug)]
pub struct OperationPlan {
    pub success: Success,
    pub pagination: Option<Pagination>,
}

impl Model {
    /// How the method of an operation takes the parameter `p`.
    pub fn param_form(&self, p: &Parameter) -> ParamForm {
        match self.resolve(p.schema) {
            Resolved::Model(_) if self.is_enum(p.schema) => ParamForm::Value(self.rust_type(p.schema)),
            Resolved::Model(_) => ParamForm::Str,
            Resolved::Kind(Kind::Integer(_) | Kind::Number(_) | Kind::Boolean) => {
                ParamForm::Value(self.rust_type(p.schema))
            }
            Resolved::Kind(Kind::Array(item)) if p.location != ParamLocation::Path => {
                ParamForm::List(match self.resolve(*item) {
                    Resolved::Kind(Kind::String(StringFormat::Plain)) => ListItem::Str,
                    Resolved::Kind(Kind::Integer(_) | Kind::Number(_) | Kind::Boolean) => {
                        ListItem::Value(self.rust_type(*item))
                    }
                    Resolved::Model(_) if self.is_enum(*item) => ListItem::Value(self.rust_type(*item)),
                    _ => ListItem::Str,
                })
            }
            Resolved::Kind(_) => ParamForm::Str,
        }
    }

    /// The facts of `op`, from its parameters and responses.
    pub(super) fn plan_operation(&self, op: &Operation) -> OperationPlan {
        let success = self.success(op);
        let pagination = self.pagination(op, &success);
        OperationPlan { success, pagination }
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

    /// A GET with optional integer `limit` and `offset`, no list parameters and no body, whose
    /// every success is one JSON array.
    fn pagination(&self, op: &Operation, success: &Success) -> Option<Pagination> {
        if op.method != HttpMethod::Get
            || op.body.is_some()
            || op.parameters.iter().any(|p| matches!(self.param_form(p), ParamForm::List(_)))
        {
            return None;
        }
        let (ordered, _) = op.ordered_parameters();
        let integer = |wire: &str| {
            let p = ordered.iter().find(|p| p.name == wire && !p.required)?;
            match self.param_form(p) {
                ParamForm::Value(t @ (RustType::I32 | RustType::I64)) => Some(t),
                _ => None,
            }
        };
        let limit = integer("limit")?;
        let offset = integer("offset")?;
        let item = op.successes().find_map(|r| match r.body {
            ResponseBody::Json(s) => match (&self.ir.node(s).kind, self.type_of(s)) {
                (Kind::Array(item), None) => Some(self.rust_type(*item)),
                _ => None,
            },
            _ => None,
        })?;
        match success {
            Success::Json(RustType::Vec(listed)) if **listed == item => Some(Pagination { limit, offset, item }),
            _ => None,
        }
    }
}
