//! Turning spec names into Rust identifiers that cannot break the crate: keywords, leading
//! digits, punctuation and names that would shadow what generated code uses.

use heck::{ToSnakeCase, ToUpperCamelCase};

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
    "HashMap",
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

/// Keeps ASCII letters, digits and separators heck understands; everything else splits words.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// `UpperCamelCase` for a type or variant; never empty, never starting with a digit.
pub fn camel(raw: &str) -> String {
    let s = words(raw).to_upper_camel_case();
    match s.chars().next() {
        None => String::new(),
        Some(c) if c.is_ascii_digit() => format!("N{s}"),
        Some(_) => s,
    }
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
    let s = words(raw).to_snake_case();
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

/// `BadRequest` for 400: the name of an HTTP status, for error variants and derived type names.
pub fn status_variant(status: u16) -> String {
    let reason = match status {
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
    taken: std::collections::HashSet<String>,
}

impl Uniquer {
    pub fn with_taken<'a>(taken: impl IntoIterator<Item = &'a str>) -> Self {
        Self { taken: taken.into_iter().map(str::to_string).collect() }
    }

    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        // Names ending in a digit get a separator so that `V1` + 2 stays readable.
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..)
            .map(|n| format!("{name}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unused suffix exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
