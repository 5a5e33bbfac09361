//! JSON pointers (RFC 6901) into a spec file: every warning, error and folded site names one.

use std::fmt;

/// A JSON pointer such as `/paths/~1sources~1{id}/get`; the empty pointer is the document root.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JsonPointer(String);

impl JsonPointer {
    pub fn root() -> Self {
        Self(String::new())
    }

    /// The pointer one level further down, escaping `~` and `/` in the segment.
    pub fn push(&self, segment: impl AsRef<str>) -> Self {
        let segment = segment.as_ref();
        let mut s = String::with_capacity(self.0.len() + segment.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        for c in segment.chars() {
            match c {
                '~' => s.push_str("~0"),
                '/' => s.push_str("~1"),
                c => s.push(c),
            }
        }
        Self(s)
    }

    /// The pointer one level up; the root is its own parent.
    pub fn parent(&self) -> Self {
        Self(self.0.rsplit_once('/').map_or_else(String::new, |(head, _)| head.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads an escaped pointer (the fragment of a `$ref` after `#`): empty, or `/`-led.
    pub fn parse(escaped: &str) -> Option<Self> {
        (escaped.is_empty() || escaped.starts_with('/')).then(|| Self(escaped.to_string()))
    }

    /// The segments, unescaped: `/a~1b/c` -> `a/b`, `c`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(unescape)
    }

    /// This pointer followed by `rest`, an escaped pointer of its own.
    pub fn join(&self, rest: &JsonPointer) -> Self {
        Self(format!("{}{}", self.0, rest.0))
    }

    /// What is left of `self` below `ancestor` (an escaped pointer), if `ancestor` is one.
    pub fn strip_prefix(&self, ancestor: &JsonPointer) -> Option<JsonPointer> {
        let rest = self.0.strip_prefix(&ancestor.0)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| Self(rest.to_string()))
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for JsonPointer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// One segment of an escaped pointer, unescaped: `a~1b` -> `a/b` (RFC 6901: `~1` before `~0`).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// A place in one of the input files: `v3.yaml#/paths/...`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Site {
    /// The file's name as given on the command line, without its folder, so that reports and
    /// generated code do not depend on where the checkout lives.
    pub file: String,
    pub pointer: JsonPointer,
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.file, self.pointer)
    }
}

impl serde::Serialize for Site {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tilde_and_slash() {
        let p = JsonPointer::root().push("paths").push("/a~b/{id}");
        assert_eq!(p.as_str(), "/paths/~1a~0b~1{id}");
        assert_eq!(p.push("get").parent(), p);
        assert_eq!(JsonPointer::root().parent(), JsonPointer::root());
        assert_eq!(p.segments().collect::<Vec<_>>(), ["paths", "/a~b/{id}"]);
        assert_eq!(JsonPointer::parse("/paths/~1a~0b~1{id}"), Some(p.clone()));
        assert_eq!(JsonPointer::parse("paths"), None);
        let get = p.push("get");
        assert_eq!(get.strip_prefix(&p), Some(JsonPointer::root().push("get")));
        assert_eq!(JsonPointer::root().push("pathsX").strip_prefix(&JsonPointer::root().push("paths")), None);
        assert_eq!(p.join(&JsonPointer::root().push("get")), get);
    }
}
