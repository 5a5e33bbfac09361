//! Turning spec names into Rust identifiers that cannot break the crate: keywords, leading
//! digits, punctuation and names that would shadow what generated code uses.

/// Strict and reserved keywords of Rust 2021.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "gen",
];

/// Type names that generated code uses unqualified, which a model must not shadow.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "FxHashMap",
    "Client",
    "Error",
    "ApiError",
    "Auth",
    "Value",
    "Map",
    "Deserialize",
    "Serialize",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "From",
    "Into",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "Iterator",
    "ToString",
    "Duration",
    "Method",
    "DateTime",
    "NaiveDate",
    "Utc",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// The words of `raw` as heck finds them, where only ASCII letters and digits make words
/// (anything else splits them): a word also ends after a lowercase letter (or digits after
/// one) that an uppercase letter follows, and before the last of a run of uppercase letters
/// that a lowercase one follows (`HTTPServer`: `HTTP`, `Server`). heck goes through Unicode
/// case tables and `fmt` for every letter; names are ASCII by then, and made by the thousand.
fn each_word(raw: &str, mut each: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    for word in raw.split(|c: char| !c.is_ascii_alphanumeric()) {
        let b = word.as_bytes();
        let (mut start, mut mode) = (0, Mode::Boundary);
        for i in 0..b.len() {
            let Some(&next) = b.get(i + 1) else {
                each(&word[start..]);
                break;
            };
            let c = b[i];
            let next_mode = match c {
                b'a'..=b'z' => Mode::Lower,
                b'A'..=b'Z' => Mode::Upper,
                _ => mode,
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                each(&word[start..=i]);
                (start, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                each(&word[start..i]);
                (start, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
}

/// heck's `UpperCamelCase` of `raw`'s words (see [`each_word`]).
fn upper_camel(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    each_word(raw, |word| {
        let mut bytes = word.bytes();
        if let Some(first) = bytes.next() {
            out.push(first.to_ascii_uppercase() as char);
            out.extend(bytes.map(|b| b.to_ascii_lowercase() as char));
        }
    });
    out
}

/// heck's `snake_case` of `raw`'s words (see [`each_word`]).
fn lower_snake(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 4);
    each_word(raw, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    });
    out
}

/// `UpperCamelCase` for a type or variant; never empty, never starting with a digit.
pub fn camel(raw: &str) -> String {
    let s = upper_camel(raw);
    match s.chars().next() {
        None => String::new(),
        Some(c) if c.is_ascii_digit() => format!("N{s}"),
        Some(_) => s,
    }
}

/// Whether `name` (already `UpperCamelCase`) is one `type_ident` would change: a name the
/// generated code uses itself, or a keyword.
pub fn is_reserved_type_name(name: &str) -> bool {
    RESERVED_TYPE_NAMES.contains(&name) || is_keyword(name)
}

/// A model type name that does not shadow what generated code uses.
pub fn type_ident(raw: &str) -> String {
    let s = camel(raw);
    let s = if s.is_empty() { "Unnamed".to_string() } else { s };
    if RESERVED_TYPE_NAMES.contains(&s.as_str()) || is_keyword(&s) {
        format!("{s}Model")
    } else {
        s
    }
}

/// `UpperCamelCase`, its last word made singular: `requestedItems` -> `RequestedItem`,
/// `policies` -> `Policy`, `statuses` -> `Status`. English plurals by their common endings; a
/// word it does not know stays as it is.
pub fn singular(raw: &str) -> String {
    let camel = camel(raw);
    let last_start = camel.rfind(|c: char| c.is_ascii_uppercase()).unwrap_or(0);
    let (head, last) = camel.split_at(last_start);
    let lower = last.to_ascii_lowercase();
    let keep = |n: usize| format!("{head}{}", &last[..last.len() - n]);
    let irregular =
        [("people", "Person"), ("children", "Child"), ("indices", "Index"), ("men", "Man"), ("women", "Woman")];
    if let Some((_, one)) = irregular.iter().find(|(many, _)| lower == *many) {
        format!("{head}{one}")
    } else if lower.len() <= 3 || ["ss", "us", "is", "ics", "news", "series", "data"].iter().any(|e| lower.ends_with(e))
    {
        camel
    } else if lower.ends_with("ies") {
        format!("{}y", keep(3))
    } else if ["sses", "shes", "ches", "xes", "zes", "uses"].iter().any(|e| lower.ends_with(e)) {
        keep(2)
    } else if lower.ends_with('s') {
        keep(1)
    } else {
        camel
    }
}

/// What a path names: its last segment that is not a parameter, singular.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `/access-requests/{id}` -> `AccessRequest`; two static segments in a row read as one
    /// name (`/workflow-library/triggers` -> `WorkflowLibraryTrigger`), and a last segment that
    /// is no plural noun (`/accounts/{id}/enable`) says little alone: it comes after the
    /// segment before it (`AccountEnable`).
    pub noun: String,
    /// The same one step more specific, after the static segment before it:
    /// `/sources/{id}/schemas` -> `SourceSchema`.
    pub specific: Option<String>,
    /// The last segment is no plural noun and follows another (`/accounts/{id}/enable`,
    /// `/roles/bulk-delete`): posted to, it is an action on what comes before.
    pub action: bool,
}

pub fn resource_noun(path: &str) -> Resource {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.starts_with('{') || s.starts_with(':');
    let none = Resource { noun: String::new(), specific: None, action: false };
    let Some(last_at) = segments.iter().rposition(|s| !is_param(s)) else { return none };
    let last = segments[last_at];
    let noun = singular(last);
    let previous_at = segments[..last_at].iter().rposition(|s| !is_param(s));
    let Some(previous_at) = previous_at else { return Resource { noun, ..none } };
    let compound = format!("{}{noun}", singular(segments[previous_at]));
    let action = noun == camel(last);
    if action || previous_at + 1 == last_at {
        Resource { noun: compound, specific: None, action }
    } else {
        Resource { noun, specific: Some(compound), action }
    }
}

/// An enum variant name (`Self` is the one keyword that can come out of `camel`).
pub fn variant_ident(raw: &str) -> String {
    let s = camel(raw);
    match s.as_str() {
        "" => "Empty".to_string(),
        "Self" => "SelfValue".to_string(),
        _ => s,
    }
}

/// `snake_case` for a field, parameter or method; keywords get a trailing underscore.
pub fn snake(raw: &str) -> String {
    let s = lower_snake(raw);
    let s = match s.chars().next() {
        None => "field".to_string(),
        Some(c) if c.is_ascii_digit() => format!("n{s}"),
        Some(_) => s,
    };
    if is_keyword(&s) {
        format!("{s}_")
    } else {
        s
    }
}

/// A module name: like `snake`, but also clear of the crate's own modules.
pub fn module_ident(raw: &str) -> String {
    let s = snake(raw);
    match s.as_str() {
        "models" | "runtime" | "std" | "core" | "alloc" => format!("{s}_api"),
        _ => s,
    }
}

/// `BadRequest` for 400, `Created` for 201: the name of an HTTP status, for the variants of
/// errors and successes and for derived type names.
pub fn status_variant(status: u16) -> String {
    let reason = match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{status}"),
    };
    reason.to_string()
}

/// Makes names unique by appending 2, 3, ... in the order asked.
#[derive(Default)]
pub struct Uniquer {
    taken: rustc_hash::FxHashSet<String>,
}

impl Uniquer {
    pub fn with_taken<'a>(taken: impl IntoIterator<Item = &'a str>) -> Self {
        Self { taken: taken.into_iter().map(str::to_string).collect() }
    }

    /// Claims `name`, or the first free variant of it, together with each of `suffixes`
    /// appended: a name is taken only when all of them are free.
    pub fn claim_with(&mut self, name: String, suffixes: &[&str]) -> String {
        // Names ending in a digit get a separator so that `V1` + 2 stays readable.
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let candidates = std::iter::once(name.clone()).chain((2..).map(|n| format!("{name}{sep}{n}")));
        for candidate in candidates {
            let all = std::iter::once(candidate.clone()).chain(suffixes.iter().map(|s| format!("{candidate}{s}")));
            let all: Vec<String> = all.collect();
            if all.iter().all(|n| !self.taken.contains(n)) {
                self.taken.extend(all);
                return candidate;
            }
        }
        unreachable!("an unused suffix exists")
    }

    /// Claims `name`, or the first free `name2`, `name3`, ...
    pub fn claim(&mut self, name: String) -> String {
        self.claim_with(name, &[])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_cased_as_heck_cases_them() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let heck_words =
            |raw: &str| -> String { raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect() };
        let check = |raw: &str| {
            assert_eq!(super::upper_camel(raw), heck_words(raw).to_upper_camel_case(), "{raw:?}");
            assert_eq!(super::lower_snake(raw), heck_words(raw).to_snake_case(), "{raw:?}");
        };
        // Every string of up to five of these, and names as specs write them.
        let alphabet = ['a', 'B', 'c', 'D', '1', ' ', '_', 'é'];
        let mut strings = vec![String::new()];
        for _ in 0..5 {
            strings = strings.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            strings.iter().for_each(|s| check(s));
        }
        for raw in
            ["HTTPServer", "getV2Accounts", "x-ms-ID", "ÅngströmUnit", "v1.2.3", "ABC", "aB1cD2", "__x__", "ID2Name"]
        {
            check(raw);
        }
    }

    use super::*;

    #[test]
    fn singulars_and_resources() {
        for (plural, one) in [
            ("requestedItems", "RequestedItem"),
            ("accounts", "Account"),
            ("policies", "Policy"),
            ("statuses", "Status"),
            ("addresses", "Address"),
            ("status", "Status"),
            ("access", "Access"),
            ("approval_schemes", "ApprovalScheme"),
            ("children", "Child"),
            ("people", "Person"),
            ("metadata", "Metadata"),
            ("boxes", "Box"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
        let noun = |p: &str| {
            let r = resource_noun(p);
            (r.noun, r.specific, r.action)
        };
        assert_eq!(noun("/access-requests"), ("AccessRequest".into(), None, false));
        assert_eq!(noun("/workflow-library/triggers"), ("WorkflowLibraryTrigger".into(), None, false));
        assert_eq!(noun("/sources/{id}/schemas/{schemaId}"), ("Schema".into(), Some("SourceSchema".into()), false));
        assert_eq!(noun("/accounts/{id}/enable"), ("AccountEnable".into(), None, true));
        assert_eq!(noun("/roles/bulk-delete"), ("RoleBulkDelete".into(), None, true));
        assert_eq!(noun("/search"), ("Search".into(), None, false));
        assert_eq!(noun("/{id}"), (String::new(), None, false));
    }

    #[test]
    fn sanitizes_names() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("detailCode"), "detail_code");
        assert_eq!(snake("1st place"), "n1st_place");
        assert_eq!(snake(""), "field");
        assert_eq!(snake("self"), "self_");
        assert_eq!(type_ident("Result"), "ResultModel");
        assert_eq!(type_ident("foo-bar"), "FooBar");
        assert_eq!(variant_ident("ACCOUNT_CORRELATION_CONFIG"), "AccountCorrelationConfig");
        assert_eq!(variant_ident("self"), "SelfValue");
        assert_eq!(variant_ident(""), "Empty");
        assert_eq!(module_ident("models"), "models_api");
    }

    #[test]
    fn uniquer_suffixes() {
        let mut u = Uniquer::default();
        assert_eq!(u.claim("A".into()), "A");
        assert_eq!(u.claim("A".into()), "A2");
        assert_eq!(u.claim("V1".into()), "V1");
        assert_eq!(u.claim("V1".into()), "V1_2");
    }
}
