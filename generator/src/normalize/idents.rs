//! The Rust identifiers the generated code gives what the spec names: an operation's method
//! and type prefix, its parameters as the method and its call take them, a struct's fields.
//! Decided once, here, and carried on the model, so that the code, its tests and `api.json`
//! can never disagree on a name.

use crate::ir::{path_template_names, Api, Operation, ParamLocation, Parameter};
use crate::naming::{self, Uniquer};

/// What one operation is called in its module: its method, and the prefix of the types it
/// defines beside the client (`{types}Builder`, `Error`, `Success`, `Headers`, `ErrorHeaders`).
#[derive(Clone, Debug)]
pub struct OperationNames {
    pub method: String,
    pub types: String,
}

/// The suffixes of the types an operation defines in its module.
const TYPE_SUFFIXES: &[&str] = &["Builder", "Error", "Success", "Headers", "ErrorHeaders"];

/// The methods every `Client` has, which no operation's method may take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_base_url",
    "with_http_client",
    "with_retry",
    "with_timeout",
    "with_max_response_bytes",
    "with_user_agent",
    "with_hook",
    "from_env",
    "base_url",
];

/// The names of each operation of `api`, in order: unique in the module, however the spec's
/// `operationId`s fold under case conversion (`getFoo`, `get_foo`) or end like another's
/// types (`foo`'s `FooErrorHeaders`, `fooError`'s `FooErrorHeaders`).
pub fn operation_names(api: &Api) -> Vec<OperationNames> {
    let mut methods = Uniquer::with_taken(CLIENT_METHODS.iter().copied());
    let mut types = Uniquer::with_taken(["Client"]);
    api.operations
        .iter()
        .map(|op| OperationNames {
            method: methods.claim(naming::snake(&op.id)),
            types: types.claim_with(naming::type_ident(&op.id), TYPE_SUFFIXES),
        })
        .collect()
}

/// Every name the generated code binds beside the parameters where they are locals (a call's
/// `send` unpacks them: the receiver, the body, the response, the call's `client`, the headers
/// read and the page URL sent to), and the call's own methods (`send`, `events`, `new`,
/// `request`, the options every call has: `header`, `timeout`), which its setters share a namespace with. A parameter of one
/// of these names is called `{name}_param`.
const CALL_LOCALS: &[&str] = &[
    "self",
    "body",
    "response",
    "client",
    "headers",
    "page_url",
    "send",
    "send_with_headers",
    "send_at",
    "stream",
    "events",
    "events_after",
    "open_events",
    "last_event_id",
    "clone",
    "into_future",
    "new",
    "request",
    "options",
    "header",
    "timeout",
];

/// The parameters of `op` in the order its method takes them (path parameters in the path's
/// order, then the other required ones, then the optional ones, which the call's setters
/// take), as indices into `op.parameters`, and where the optional ones start.
pub fn parameter_order(op: &Operation) -> (Vec<usize>, usize) {
    let params = &op.parameters;
    let is_path = |i: &usize| params[*i].location == ParamLocation::Path;
    let mut order: Vec<usize> = path_template_names(&op.path)
        .iter()
        .filter_map(|name| (0..params.len()).find(|i| is_path(i) && params[*i].name == *name))
        .collect();
    order.extend((0..params.len()).filter(|i| !is_path(i) && params[*i].required));
    let optional_start = order.len();
    order.extend((0..params.len()).filter(|i| !is_path(i) && !params[*i].required));
    (order, optional_start)
}

/// The identifier of each of `ordered`, unique beside [`CALL_LOCALS`]. A part's header is
/// named with its part: `file_x_checksum`.
pub fn parameter_idents(ordered: &[&Parameter]) -> Vec<String> {
    let mut idents = Uniquer::with_taken(CALL_LOCALS.iter().copied());
    ordered
        .iter()
        .map(|p| {
            let name = match &p.part {
                Some(part) => naming::snake(&format!("{part} {}", p.name)),
                None => naming::snake(&p.name),
            };
            let name = if CALL_LOCALS.contains(&name.as_str()) { format!("{name}_param") } else { name };
            idents.claim(name)
        })
        .collect()
}

/// The identifier of each of a response's documented headers, a field of its headers struct.
pub fn header_idents<'n>(names: impl Iterator<Item = &'n str>) -> Vec<String> {
    let mut idents = Uniquer::default();
    names.map(|name| idents.claim(naming::snake(name))).collect()
}

/// The identifier of each field of a struct with these wire names: unique, and never the
/// field that holds the extra properties.
pub fn field_idents<'n>(names: impl Iterator<Item = &'n str>) -> Vec<String> {
    let mut idents = Uniquer::with_taken(["additional_properties"]);
    names.map(|name| idents.claim(naming::snake(name))).collect()
}
