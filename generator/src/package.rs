//! What a team publishing its SDK says about the package: version, license, where it lives,
//! who wrote it, how it is found, whether it may be published. Given as a file (`--package
//! sdk.yaml`, YAML or JSON, keys as in `Cargo.toml`) or built in code, checked as crates.io
//! would check it, and written into the generated crate's `[package]`.

use serde::Deserialize;

use crate::pointer::JsonPointer;

/// The Rust version every generated crate states as its `rust-version`: the newest that its
/// dependencies state, as the workspace's `Cargo.lock` pins them (the `icu` crates under `url`
/// need 1.88; reqwest 0.13 itself 1.85). A test keeps it no older than that, and CI
/// (`.ci/run`) builds the seed crate with this toolchain.
pub const RUST_VERSION: &str = "1.88";

/// Package metadata for the generated crate's `Cargo.toml`; what is not given is left out
/// (and `publish` is `false`, so that nothing is published by accident).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    /// The crate's version, instead of the one already in the output folder (or `0.1.0`).
    pub version: Option<String>,
    /// Replaces the description made from the specs' titles.
    pub description: Option<String>,
    /// An SPDX expression, such as `MIT OR Apache-2.0`.
    pub license: Option<String>,
    /// Where the SDK's source is (an http(s) URL).
    pub repository: Option<String>,
    /// The SDK's home page.
    pub homepage: Option<String>,
    /// Where its documentation is, when not docs.rs.
    pub documentation: Option<String>,
    /// Who wrote it (`Name <email>`).
    #[serde(default)]
    pub authors: Vec<String>,
    /// At most five, as crates.io allows.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// crates.io category slugs, such as `api-bindings`.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Whether `cargo publish` may publish the crate (default `false`).
    pub publish: Option<bool>,
}

/// What is wrong with one key of a [`Package`]: its pointer and why.
#[derive(Debug, PartialEq)]
pub(crate) struct Invalid {
    pub pointer: JsonPointer,
    pub message: String,
}

impl Package {
    /// Every key checked as crates.io and Cargo would: a SemVer version, URLs, keywords of
    /// letters, digits, `_`, `-` and `+` (at most five, of 20 characters), category slugs,
    /// and text on one line.
    pub(crate) fn check(&self) -> Result<(), Invalid> {
        let invalid = |key: &str, message: String| Invalid { pointer: JsonPointer::root().push(key), message };
        let invalid_item = |key: &str, i: usize, message: String| Invalid {
            pointer: JsonPointer::root().push(key).push(i.to_string()),
            message,
        };
        if let Some(v) = &self.version {
            if !is_semver(v) {
                return Err(invalid("version", format!("`{v}` is not a SemVer version such as `1.2.3`")));
            }
        }
        for (key, url) in
            [("repository", &self.repository), ("homepage", &self.homepage), ("documentation", &self.documentation)]
        {
            if let Some(url) = url
                .as_ref()
                .filter(|u| !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace))
            {
                return Err(invalid(key, format!("`{url}` is not an http(s) URL")));
            }
        }
        if self.keywords.len() > 5 {
            return Err(invalid("keywords", format!("{} keywords; crates.io takes at most 5", self.keywords.len())));
        }
        for (i, k) in self.keywords.iter().enumerate() {
            let ok = k.len() <= 20
                && k.starts_with(|c: char| c.is_ascii_alphabetic())
                && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'));
            if !ok {
                return Err(invalid_item(
                    "keywords",
                    i,
                    format!("`{k}` is no crates.io keyword: an ASCII letter, then letters, digits, `_`, `-` or `+`, at most 20"),
                ));
            }
        }
        for (i, c) in self.categories.iter().enumerate() {
            let ok = !c.is_empty()
                && c.split("::").all(|part| {
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                });
            if !ok {
                return Err(invalid_item(
                    "categories",
                    i,
                    format!("`{c}` is no crates.io category slug (such as `api-bindings`)"),
                ));
            }
        }
        let texts = [("description", self.description.as_ref()), ("license", self.license.as_ref())];
        for (key, text) in texts {
            if text.is_some_and(|t| t.trim().is_empty() || t.chars().any(char::is_control)) {
                return Err(invalid(key, "must be text on one line, not empty".into()));
            }
        }
        for (i, a) in self.authors.iter().enumerate() {
            if a.trim().is_empty() || a.chars().any(char::is_control) {
                return Err(invalid_item("authors", i, "must be a name on one line".into()));
            }
        }
        Ok(())
    }
}

/// `MAJOR.MINOR.PATCH`, numbers without leading zeros, with an optional `-pre` and `+build`.
pub(crate) fn is_semver(v: &str) -> bool {
    let (core, rest) = match v.find(['-', '+']) {
        Some(i) => (&v[..i], &v[i..]),
        None => (v, ""),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    let number =
        |n: &&str| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && (n.len() == 1 || !n.starts_with('0'));
    let rest_ok = rest.chars().skip(1).all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
        && rest != "-"
        && rest != "+";
    numbers.len() == 3 && numbers.iter().all(number) && rest_ok
}

/// `text` as a TOML basic string: quoted, with `\`, `"` and control characters escaped.
pub(crate) fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `items` as a TOML array of strings.
pub(crate) fn toml_array(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| toml_string(i)).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_keywords_and_urls_are_checked_as_crates_io_would() {
        assert!(is_semver("1.2.3") && is_semver("0.1.0-beta.1+build.5") && is_semver("10.0.0"));
        assert!(!is_semver("1.2") && !is_semver("01.2.3") && !is_semver("1.2.3-") && !is_semver("v1.2.3"));
        let ok = Package {
            version: Some("2.0.0".into()),
            keywords: vec!["sailpoint".into(), "identity".into()],
            categories: vec!["api-bindings".into(), "web-programming::http-client".into()],
            repository: Some("https://github.com/acme/sdk".into()),
            ..Package::default()
        };
        assert_eq!(ok.check(), Ok(()));
        let bad = Package { keywords: vec!["ok".into(), "not ok".into()], ..Package::default() };
        assert_eq!(bad.check().map_err(|e| e.pointer.to_string()), Err("/keywords/1".to_string()));
        let bad = Package { repository: Some("git@github.com:a/b".into()), ..Package::default() };
        assert_eq!(bad.check().map_err(|e| e.pointer.to_string()), Err("/repository".to_string()));
        let bad = Package { keywords: (0..6).map(|i| format!("k{i}")).collect(), ..Package::default() };
        assert!(bad.check().is_err());
    }

    #[test]
    fn toml_strings_escape_what_toml_needs() {
        assert_eq!(toml_string("a \"b\" \\ c\u{7}"), "\"a \\\"b\\\" \\\\ c\\u0007\"");
        assert_eq!(toml_array(&["x".into(), "y".into()]), "[\"x\", \"y\"]");
    }
}
