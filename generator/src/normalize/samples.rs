//! Values made to fit a schema, for the mock tests: the schema's example where it has one,
//! else the simplest value its kind, format and constraints allow (a string that matches its
//! `pattern`, a number within its bounds, as many items as `minItems` asks). Required fields
//! only (`readOnly` and `writeOnly` ones too), and the first variant of a union (with its tag), so that a validating server sees a
//! value its schema accepts and the generated type decodes it.

use serde_json::{json, Map, Value};

use super::{Model, RustType};
use crate::ir::{BodyEncoding, IntegerFormat, Kind, NodeId, RequestBody, StringFormat, ValueFacts};

/// Nesting deeper than this ends in the smallest value of its kind (recursive schemas).
const MAX_DEPTH: usize = 8;

impl Model {
    /// A JSON value that fits the schema of `node`: required fields only.
    pub fn sample(&self, node: NodeId) -> Value {
        self.sample_at(node, 0, false)
    }

    /// A value for a request body: required fields only, but a form or multipart body with
    /// none, which is no body at all to a server, is sent with its optional fields, or, when
    /// free-form (SailPoint's connector translations), with one field.
    pub fn sample_body(&self, body: &RequestBody) -> Value {
        let empty = |v: &Value| v.as_object().is_some_and(|o| o.is_empty());
        let sample = self.sample(body.schema);
        if !matches!(body.encoding, BodyEncoding::Multipart | BodyEncoding::FormUrlEncoded) || !empty(&sample) {
            return sample;
        }
        let all = self.sample_parameter(body.schema);
        if empty(&all) && self.rust_type(body.schema) == RustType::JsonObject {
            return json!({ "key": "value" });
        }
        all
    }

    /// A value for a parameter: an object with its optional properties too (but not those
    /// only read or only written), so that its style spreads something
    /// (`created[gt]=1&created[lt]=1`).
    pub fn sample_parameter(&self, node: NodeId) -> Value {
        self.sample_at(node, 0, true)
    }

    /// The value at `node`, `depth` schemas deep, with every field or only the required ones.
    /// It is long because it is one arm per kind of schema, each short.
    fn sample_at(&self, node: NodeId, depth: usize, all_fields: bool) -> Value {
        let schema = self.ir.node(node);
        let facts = schema.facts.as_deref();
        let example = facts.and_then(|f| f.example.as_ref());
        match &schema.kind {
            Kind::Nullable(inner) => self.sample_at(*inner, depth, all_fields),
            Kind::String(format) => match example {
                Some(Value::String(s)) if fits_format(*format, s) => Value::String(s.clone()),
                _ => Value::String(string_sample(*format, facts)),
            },
            Kind::Enum(values) => match example {
                Some(Value::String(s)) if values.contains(s) => Value::String(s.clone()),
                _ => values.first().map_or(Value::Null, |v| Value::String(v.clone())),
            },
            Kind::Integer(format) => match example {
                Some(v @ Value::Number(n)) if n.is_i64() || n.is_u64() => v.clone(),
                _ => json!(integer_sample(*format, facts)),
            },
            Kind::Number(_) => match example {
                Some(v @ Value::Number(_)) => v.clone(),
                _ => json!(number_sample(facts)),
            },
            Kind::Boolean => match example {
                Some(v @ Value::Bool(_)) => v.clone(),
                _ => Value::Bool(true),
            },
            Kind::Null => Value::Null,
            Kind::Any => example.cloned().unwrap_or_else(|| Value::String("value".into())),
            Kind::FreeFormObject => match example {
                Some(v @ Value::Object(_)) => v.clone(),
                _ => Value::Object(Map::new()),
            },
            Kind::Map(value) => {
                let mut map = Map::new();
                if depth < MAX_DEPTH {
                    map.insert("key".into(), self.sample_at(*value, depth + 1, false));
                }
                Value::Object(map)
            }
            Kind::Array(item) => {
                let count = facts.and_then(|f| f.min_items).unwrap_or(1).clamp(usize::from(depth < MAX_DEPTH), 8);
                Value::Array((0..count).map(|_| self.sample_at(*item, depth + 1, false)).collect())
            }
            Kind::Object(object) => {
                let mut map = Map::new();
                // A required `writeOnly` field is required in requests (the type leaves it
                // optional), and a required `readOnly` one does no harm there: every field the
                // schema lists as required goes in.
                let listed = facts.map_or(&[][..], |f| &f.required[..]);
                let wanted =
                    |f: &&crate::ir::Field| f.required || listed.contains(&f.name) || (all_fields && !f.one_way);
                for field in object.fields.iter().filter(wanted) {
                    map.insert(field.name.clone(), self.sample_at(field.node, depth + 1, false));
                }
                // `minProperties` beyond the required ones: optional fields, in order.
                let least = facts.and_then(|f| f.min_properties).unwrap_or(0);
                for field in object.fields.iter().filter(|f| !f.one_way) {
                    if map.len() >= least {
                        break;
                    }
                    if map.contains_key(&field.name) {
                        continue;
                    }
                    map.insert(field.name.clone(), self.sample_at(field.node, depth + 1, false));
                }
                Value::Object(map)
            }
            Kind::Union(variants, tag) => {
                if let Some(tag) = tag {
                    if let Some((value, variant)) = tag.values.first() {
                        let inner = self.sample_at(*variant, depth + 1, all_fields);
                        return match (&tag.content, inner) {
                            (Some(content), inner) => json!({ &tag.property: value, content: inner }),
                            (None, Value::Object(mut map)) => {
                                map.insert(tag.property.clone(), Value::String(value.clone()));
                                Value::Object(map)
                            }
                            (None, other) => other,
                        };
                    }
                }
                // The first variant that is not `null`.
                variants
                    .iter()
                    .find(|v| self.ir.node(**v).kind != Kind::Null)
                    .map_or(Value::Null, |v| self.sample_at(*v, depth, all_fields))
            }
        }
    }
}

/// Whether `text` reads as the Rust type of `format` (a spec's example may not: Intercom's
/// `uuid` ids are 24 hex digits).
fn fits_format(format: StringFormat, text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let date = |s: &str| {
        let parts: Vec<&str> = s.split('-').collect();
        matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 && parts.iter().all(|p| digits(p)))
    };
    match format {
        StringFormat::Uuid => {
            let hex: String = text.chars().filter(|c| *c != '-').collect();
            let hyphens = text.len() == 36 && [8, 13, 18, 23].iter().all(|&i| text.as_bytes()[i] == b'-');
            hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && (hyphens || text.len() == 32)
        }
        StringFormat::Date => date(text),
        StringFormat::DateTime => {
            let Some((day, time)) = text.split_once(['T', 't']) else { return false };
            let zone = time.find(['Z', 'z', '+', '-']).map_or("", |i| &time[i..]);
            let clock = &time[..time.len() - zone.len()];
            let (hms, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
            let hms: Vec<&str> = hms.split(':').collect();
            date(day)
                && hms.len() == 3
                && hms.iter().all(|p| p.len() == 2 && digits(p))
                && digits(fraction)
                && !zone.is_empty()
        }
        StringFormat::Ipv4 => text.parse::<std::net::Ipv4Addr>().is_ok(),
        StringFormat::Ipv6 => text.parse::<std::net::Ipv6Addr>().is_ok(),
        StringFormat::Ip => text.parse::<std::net::IpAddr>().is_ok(),
        StringFormat::Byte => text.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b)),
        StringFormat::Plain | StringFormat::Binary => true,
    }
}

fn string_sample(format: StringFormat, facts: Option<&ValueFacts>) -> String {
    let text = match format {
        StringFormat::DateTime => "2024-01-02T03:04:05Z".to_string(),
        StringFormat::Date => "2024-01-02".to_string(),
        StringFormat::Uuid => "3fa85f64-5717-4562-b3fc-2c963f66afa6".to_string(),
        StringFormat::Ipv4 | StringFormat::Ip => "192.0.2.1".to_string(),
        StringFormat::Ipv6 => "2001:db8::1".to_string(),
        StringFormat::Byte => "c2FtcGxl".to_string(),
        StringFormat::Binary => "sample".to_string(),
        StringFormat::Plain => {
            let pattern = facts.and_then(|f| f.pattern.as_deref()).and_then(pattern::sample);
            let format = facts.and_then(|f| f.format.as_deref());
            match (pattern, format) {
                (Some(text), _) => text,
                (None, Some("email")) => "user@example.com".into(),
                (None, Some("uri" | "url" | "uri-reference" | "iri")) => "https://example.com/".into(),
                (None, Some("hostname")) => "example.com".into(),
                (None, Some("time")) => "03:04:05Z".into(),
                (None, Some("duration")) => "P1D".into(),
                _ => "string".into(),
            }
        }
    };
    fit_length(text, facts)
}

/// `text` padded or cut to the schema's length bounds (a pattern's sample is left alone).
fn fit_length(text: String, facts: Option<&ValueFacts>) -> String {
    let Some(facts) = facts.filter(|f| f.pattern.is_none()) else { return text };
    let mut text = text;
    if let Some(min) = facts.min_length {
        while text.chars().count() < min {
            text.push('x');
        }
    }
    if let Some(max) = facts.max_length {
        text = text.chars().take(max.max(facts.min_length.unwrap_or(0))).collect();
    }
    text
}

fn integer_sample(format: IntegerFormat, facts: Option<&ValueFacts>) -> i64 {
    let unsigned =
        matches!(format, IntegerFormat::Uint8 | IntegerFormat::Uint16 | IntegerFormat::Uint32 | IntegerFormat::Uint64);
    let mut value: i64 = 1;
    if let Some(f) = facts {
        if let Some(min) = f.minimum {
            value = value.max(min.ceil() as i64 + i64::from(f.exclusive_minimum));
        }
        if let Some(max) = f.maximum {
            value = value.min(max.floor() as i64 - i64::from(f.exclusive_maximum));
        }
        if let Some(step) = f.multiple_of.filter(|s| *s >= 1.0) {
            let step = step as i64;
            value = (value + step - 1) / step * step;
        }
    }
    if unsigned {
        value.max(0)
    } else {
        value
    }
}

fn number_sample(facts: Option<&ValueFacts>) -> f64 {
    let mut value = 1.0;
    if let Some(f) = facts {
        if let Some(min) = f.minimum {
            value = if value > min || (value == min && !f.exclusive_minimum) { value } else { min + 1.0 };
        }
        if let Some(max) = f.maximum {
            if value > max || (value == max && f.exclusive_maximum) {
                value = f.minimum.map_or(max - 1.0, |min| (min + max) / 2.0);
            }
        }
        if let Some(step) = f.multiple_of.filter(|s| *s > 0.0) {
            value = (value / step).ceil() * step;
        }
    }
    value
}

/// The simplest string an ECMA-262 pattern (as OpenAPI's `pattern` is) matches, for the
/// patterns APIs write: literals, classes, `\d`/`\w`/`\s`, `.`, groups with alternatives (the
/// first is taken) and quantifiers (the least count, and one for `*`/`+`... at least one
/// where a class would otherwise be empty). `None` for what it does not read (lookarounds,
/// backreferences), so the caller falls back to other facts.
mod pattern {
    pub fn sample(pattern: &str) -> Option<String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser { chars: &chars, at: 0 };
        let text = parser.alternatives()?;
        (parser.at == chars.len()).then_some(text)
    }

    struct Parser<'a> {
        chars: &'a [char],
        at: usize,
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<char> {
            self.chars.get(self.at).copied()
        }

        fn next(&mut self) -> Option<char> {
            let c = self.peek()?;
            self.at += 1;
            Some(c)
        }

        /// `a|b|c`: the first alternative's sample; the others are read and dropped.
        fn alternatives(&mut self) -> Option<String> {
            let first = self.sequence()?;
            while self.peek() == Some('|') {
                self.at += 1;
                self.sequence()?;
            }
            Some(first)
        }

        fn sequence(&mut self) -> Option<String> {
            let mut out = String::new();
            while let Some(c) = self.peek() {
                if c == '|' || c == ')' {
                    break;
                }
                let atom = self.atom()?;
                let (min, _) = self.quantifier()?;
                // `x*` and `x?` could be nothing; one is as valid and reads better.
                for _ in 0..min.max(1) {
                    out.push_str(&atom);
                }
            }
            Some(out)
        }

        fn atom(&mut self) -> Option<String> {
            match self.next()? {
                '^' | '$' => Some(String::new()),
                '.' => Some("a".into()),
                '(' => {
                    if self.peek() == Some('?') {
                        self.at += 1;
                        // Only `(?:...)`: lookarounds are not read.
                        if self.next()? != ':' {
                            return None;
                        }
                    }
                    let inner = self.alternatives()?;
                    (self.next()? == ')').then_some(inner)
                }
                '[' => self.class(),
                '\\' => escape(self.next()?).map(String::from),
                // A quantifier or closing with nothing before it.
                '*' | '+' | '?' | '{' | ')' | '|' => None,
                c => Some(c.to_string()),
            }
        }

        /// `[a-z0-9_]`: its first member; a negated class, a letter outside it.
        fn class(&mut self) -> Option<String> {
            let negated = self.peek() == Some('^');
            if negated {
                self.at += 1;
            }
            let mut members: Vec<(char, char)> = Vec::new();
            let mut first = true;
            loop {
                let c = self.next()?;
                if c == ']' && !first {
                    break;
                }
                first = false;
                let low = if c == '\\' { escape(self.next()?)? } else { c };
                if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|n| *n != ']') {
                    self.at += 1;
                    let high = self.next()?;
                    let high = if high == '\\' { escape(self.next()?)? } else { high };
                    members.push((low, high));
                } else {
                    members.push((low, low));
                }
            }
            if negated {
                return ['a', 'x', '0', 'Z']
                    .iter()
                    .find(|c| !members.iter().any(|(l, h)| (*l..=*h).contains(c)))
                    .map(|c| c.to_string());
            }
            members.first().map(|(low, _)| low.to_string())
        }

        /// `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (a lazy `?` after them is read too): the least
        /// count, and the most when there is one.
        fn quantifier(&mut self) -> Option<(usize, Option<usize>)> {
            let q = match self.peek() {
                Some('?') => {
                    self.at += 1;
                    (0, Some(1))
                }
                Some('*') => {
                    self.at += 1;
                    (0, None)
                }
                Some('+') => {
                    self.at += 1;
                    (1, None)
                }
                Some('{') => {
                    let close = self.chars[self.at..].iter().position(|c| *c == '}')? + self.at;
                    let inner: String = self.chars[self.at + 1..close].iter().collect();
                    self.at = close + 1;
                    match inner.split_once(',') {
                        Some((min, "")) => (min.trim().parse().ok()?, None),
                        Some((min, max)) => (min.trim().parse().ok()?, Some(max.trim().parse().ok()?)),
                        None => {
                            let n = inner.trim().parse().ok()?;
                            (n, Some(n))
                        }
                    }
                }
                _ => return Some((1, Some(1))),
            };
            if self.peek() == Some('?') {
                self.at += 1;
            }
            // Counts in the thousands would make huge samples of a pattern meant as a limit.
            Some((q.0.min(64), q.1))
        }
    }

    /// A character that `\c` stands for, or one it matches.
    fn escape(c: char) -> Option<char> {
        Some(match c {
            'd' => '1',
            'w' => 'a',
            's' => ' ',
            'D' | 'W' | 'S' => '-',
            'n' => '\n',
            't' => '\t',
            'b' | 'B' | '1'..='9' | 'k' | 'p' | 'P' => return None,
            other => other,
        })
    }

    #[cfg(test)]
    mod tests {
        use super::sample;

        #[test]
        fn examples_are_kept_only_when_they_read_as_their_format() {
            use super::super::fits_format;
            use crate::ir::StringFormat::*;
            assert!(fits_format(Uuid, "3fa85f64-5717-4562-b3fc-2c963f66afa6"));
            assert!(!fits_format(Uuid, "536e564f316c83104c000020"));
            assert!(fits_format(DateTime, "2024-01-02T03:04:05.123+01:00"));
            assert!(fits_format(DateTime, "2024-01-02T03:04:05Z"));
            assert!(!fits_format(DateTime, "1671028894"));
            assert!(!fits_format(DateTime, "2024-01-02"));
            assert!(fits_format(Date, "2024-01-02") && !fits_format(Date, "Jan 2"));
            assert!(fits_format(Ip, "::1") && !fits_format(Ipv4, "::1"));
        }

        #[test]
        fn samples_match_their_patterns() {
            assert_eq!(sample("^[a-z0-9_-]+$").as_deref(), Some("a"));
            assert_eq!(sample(r"^\d{4}-\d{2}-\d{2}$").as_deref(), Some("1111-11-11"));
            assert_eq!(sample("^(cus|acct)_[A-Za-z0-9]{3,}$").as_deref(), Some("cus_AAA"));
            assert_eq!(sample("^[^@]+@[^@]+$").as_deref(), Some("a@a"));
            assert_eq!(sample(r"^\+?[1-9]\d{1,14}$").as_deref(), Some("+11"));
            assert_eq!(sample("(?=x)"), None);
        }
    }
}
