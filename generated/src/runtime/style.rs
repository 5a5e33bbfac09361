//! Parameters in OpenAPI's styles (the style tables of OpenAPI 3.0 and 3.1, after RFC 6570):
//! `simple`, `label` and `matrix` in paths, `form`, `spaceDelimited`, `pipeDelimited` and
//! `deepObject` in queries, `simple` in headers and `form` in cookies, each exploded or not.
//!
//! A value comes as its JSON form, so a struct, a map, an array and a scalar all go the same
//! way; an object's properties go in the order of their names. Every name and value is percent-encoded on its own and the style's delimiters are
//! written as they are, so a `,` inside a value is `%2C` and never splits it. What the tables
//! leave undefined follows the convention of the APIs that use it (Stripe, and the `qs`
//! library that many servers parse with): a nested object in a `deepObject` is `a[b][c]=v`, an
//! array in one is indexed, `a[b][0]=v`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Path,
    Query,
    Header,
    Cookie,
    /// A header of the `multipart/form-data` parts of this name (`encoding.headers`).
    Part(&'static str),
}

/// A parameter's `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// A parameter as the spec describes it on the wire.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ParamAt {
    pub(crate) place: Place,
    pub(crate) name: &'static str,
    pub(crate) style: Style,
    pub(crate) explode: bool,
    /// `allowReserved` (query only): RFC 3986's reserved characters are sent as they are.
    pub(crate) allow_reserved: bool,
}

/// What a form-encoded name or value keeps as it is: alphanumerics and `*-._`, as
/// `application/x-www-form-urlencoded` has it (a space is `+`).
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');
/// With `allowReserved`, RFC 3986's reserved characters also stay, but for those that would
/// end the value or the query (`&`, `=`, `#`) and `+`, which form decoding reads as a space.
const RESERVED: &AsciiSet = &FORM
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';')
    .remove(b'~');
/// A path segment keeps RFC 3986's unreserved characters only.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn form(text: &str) -> String {
    utf8_percent_encode(text, FORM).to_string().replace("%20", "+")
}

/// `name=value`, form-encoded: one pair of a query string.
pub(crate) fn query_pair(name: &str, value: &str) -> String {
    format!("{}={}", form(name), form(value))
}

/// `name=value` of a `Cookie` header: the value percent-encoded (no `;`, `,` or space).
pub(crate) fn cookie_pair(name: &str, value: &str) -> String {
    format!("{name}={}", utf8_percent_encode(value, SEGMENT))
}

/// An object's properties in the order of their names: the same bytes whether or not some crate
/// of the program turns on serde_json's `preserve_order`.
fn sorted(map: &serde_json::Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries.into_iter()
}

/// A scalar's text: a string as it is, a number or boolean as JSON writes it, null as nothing.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The items of an array, or the key and value pairs of an object, as text.
enum Spread {
    Scalar(String),
    Items(Vec<String>),
    Pairs(Vec<(String, String)>),
}

fn spread(value: &Value) -> Spread {
    match value {
        Value::Array(items) => Spread::Items(items.iter().map(scalar_or_json).collect()),
        Value::Object(map) => Spread::Pairs(
            sorted(map).filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), scalar_or_json(v))).collect(),
        ),
        other => Spread::Scalar(scalar(other)),
    }
}

/// A nested value that a style cannot spread further is sent as its JSON text.
fn scalar_or_json(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) => value.to_string(),
        other => scalar(other),
    }
}

/// A path parameter's text, encoded: `simple` (`3,4,5`), `label` (`.3.4.5`), `matrix`
/// (`;id=3;id=4`). `Err`: a value that would leave its segment or be read as `.`/`..`.
pub(crate) fn path(at: &ParamAt, value: &Value) -> Result<String, String> {
    let enc = |t: &str| utf8_percent_encode(t, SEGMENT).to_string();
    let name = at.name;
    let text = match (at.style, spread(value)) {
        (Style::Label, Spread::Scalar(v)) => format!(".{}", enc(&v)),
        (Style::Label, Spread::Items(items)) => {
            let sep = if at.explode { "." } else { "," };
            format!(".{}", items.iter().map(|i| enc(i)).collect::<Vec<_>>().join(sep))
        }
        (Style::Label, Spread::Pairs(pairs)) => {
            let (kv, sep) = if at.explode { ("=", ".") } else { (",", ",") };
            format!(".{}", pairs.iter().map(|(k, v)| format!("{}{kv}{}", enc(k), enc(v))).collect::<Vec<_>>().join(sep))
        }
        (Style::Matrix, Spread::Scalar(v)) => format!(";{name}={}", enc(&v)),
        (Style::Matrix, Spread::Items(items)) if at.explode => {
            items.iter().map(|i| format!(";{name}={}", enc(i))).collect()
        }
        (Style::Matrix, Spread::Items(items)) => {
            format!(";{name}={}", items.iter().map(|i| enc(i)).collect::<Vec<_>>().join(","))
        }
        (Style::Matrix, Spread::Pairs(pairs)) if at.explode => {
            pairs.iter().map(|(k, v)| format!(";{}={}", enc(k), enc(v))).collect()
        }
        (Style::Matrix, Spread::Pairs(pairs)) => format!(
            ";{name}={}",
            pairs.iter().map(|(k, v)| format!("{},{}", enc(k), enc(v))).collect::<Vec<_>>().join(",")
        ),
        (_, spread) => simple(spread, at.explode, &enc),
    };
    if text.is_empty() || text == "." || text == ".." {
        return Err(format!("path parameter `{name}` cannot be {text:?}"));
    }
    Ok(text)
}

/// `simple`: `3,4,5`; an object `k,v,k2,v2`, exploded `k=v,k2=v2`.
fn simple(spread: Spread, explode: bool, enc: &dyn Fn(&str) -> String) -> String {
    match spread {
        Spread::Scalar(v) => enc(&v),
        Spread::Items(items) => items.iter().map(|i| enc(i)).collect::<Vec<_>>().join(","),
        Spread::Pairs(pairs) => {
            let kv = if explode { "=" } else { "," };
            pairs.iter().map(|(k, v)| format!("{}{kv}{}", enc(k), enc(v))).collect::<Vec<_>>().join(",")
        }
    }
}

/// A header parameter's value (`simple`), or none for an empty array or object.
pub(crate) fn header(value: &Value) -> Option<String> {
    match spread(value) {
        Spread::Items(items) if items.is_empty() => None,
        Spread::Pairs(pairs) if pairs.is_empty() => None,
        // Header values are not percent-encoded; `Request::send` refuses what is not plain.
        spread => Some(simple(spread, false, &|t: &str| t.to_string())),
    }
}

/// The pairs of a query parameter, each `name=value` and encoded.
pub(crate) fn query(at: &ParamAt, value: &Value) -> Vec<String> {
    query_named(at, at.name, value)
}

/// `deepObject`: `name[key]=value`, nested objects `name[a][b]=v`, arrays `name[a][0]=v`.
fn deep(prefix: &str, value: &Value, enc: &dyn Fn(&str) -> String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in sorted(map) {
                deep(&format!("{prefix}[{}]", form(k)), v, enc, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                deep(&format!("{prefix}[{i}]"), v, enc, out);
            }
        }
        Value::Null => {}
        other => out.push(format!("{prefix}={}", enc(&scalar(other)))),
    }
}

/// The `name=value` pairs of a cookie parameter (`form`): an array exploded is one cookie per
/// item, else `name=a,b`; an object exploded is one cookie per property.
pub(crate) fn cookie(at: &ParamAt, value: &Value) -> Vec<String> {
    let enc = |t: &str| utf8_percent_encode(t, SEGMENT).to_string();
    let name = at.name;
    match spread(value) {
        Spread::Scalar(v) => vec![format!("{name}={}", enc(&v))],
        Spread::Items(items) if at.explode => items.iter().map(|i| format!("{name}={}", enc(i))).collect(),
        Spread::Items(items) => vec![format!("{name}={}", items.iter().map(|i| enc(i)).collect::<Vec<_>>().join(","))],
        Spread::Pairs(pairs) if at.explode => pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect(),
        Spread::Pairs(pairs) => vec![format!(
            "{name}={}",
            pairs.iter().map(|(k, v)| format!("{},{}", enc(k), enc(v))).collect::<Vec<_>>().join(",")
        )],
    }
}

/// An `application/x-www-form-urlencoded` body: each property of the object as its `encoding`
/// says (one `ParamAt` per property it names, `place` unused), else as `form` exploded (an array repeats its name, `tag=a&tag=b`, as Twilio reads it)
/// with objects in bracket notation (`metadata[key]=v`, `card[address][city]=v`, as Stripe
/// reads it, since `form` would drop the property's name).
pub(crate) fn form_body(value: &Value, encodings: &[ParamAt]) -> Result<String, String> {
    let Value::Object(map) = value else {
        return Err("a form body must be an object".into());
    };
    let mut pairs = Vec::new();
    for (key, v) in sorted(map) {
        if v.is_null() {
            continue;
        }
        let declared = encodings.iter().find(|e| e.name == key);
        let (mut style, explode, allow_reserved) =
            declared.map_or((Style::Form, true, false), |e| (e.style, e.explode, e.allow_reserved));
        if v.is_object() && style == Style::Form && explode {
            style = Style::DeepObject;
        }
        let at = ParamAt { place: Place::Query, name: "", style, explode, allow_reserved };
        pairs.extend(query_named(&at, key, v));
    }
    Ok(pairs.join("&"))
}

/// The pairs of a query parameter or form property named `name` (a form's keys are known
/// only at run time), each `name=value` and encoded.
fn query_named(at: &ParamAt, name: &str, value: &Value) -> Vec<String> {
    let enc = |t: &str| {
        if at.allow_reserved {
            utf8_percent_encode(t, RESERVED).to_string().replace("%20", "+")
        } else {
            form(t)
        }
    };
    let name = form(name);
    if at.style == Style::DeepObject {
        let mut pairs = Vec::new();
        deep(&name, value, &enc, &mut pairs);
        return pairs;
    }
    let sep = match at.style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    match spread(value) {
        Spread::Scalar(v) => vec![format!("{name}={}", enc(&v))],
        Spread::Items(items) if at.explode => items.iter().map(|i| format!("{name}={}", enc(i))).collect(),
        Spread::Items(items) if items.is_empty() => Vec::new(),
        Spread::Items(items) => vec![format!("{name}={}", items.iter().map(|i| enc(i)).collect::<Vec<_>>().join(sep))],
        Spread::Pairs(pairs) if at.explode => pairs.iter().map(|(k, v)| format!("{}={}", form(k), enc(v))).collect(),
        Spread::Pairs(pairs) if pairs.is_empty() => Vec::new(),
        Spread::Pairs(pairs) => vec![format!(
            "{name}={}",
            pairs.iter().map(|(k, v)| format!("{}{sep}{}", enc(k), enc(v))).collect::<Vec<_>>().join(sep)
        )],
    }
}
