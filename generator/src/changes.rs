//! What changed between two generated crates, for their users: the public API of each (its
//! `api.json`, see `surface`, so that no old spec is needed), compared by the Cargo book's
//! SemVer rules, with the version bump it implies, and written as Markdown.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::surface::{FieldSurface, OperationSurface, ParamSurface, Surface, TypeSurface};

/// The SemVer bump a change calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing a user can see changed.
    Patch,
    /// Something was added; nothing written against the old crate breaks.
    Minor,
    /// Something a user may have written against no longer compiles or works.
    Major,
}

/// What changed, and what it means for the version.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeReport {
    /// The bump the largest change calls for.
    pub semver: Bump,
    /// The crate's version before.
    pub from_version: String,
    /// The version the report implies (`--bump` sets it).
    pub to_version: String,
    /// What became of the operations.
    pub operations: Section,
    /// What became of the model types.
    pub types: Section,
}

/// What became of the operations (or types) of the two crates.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Section {
    /// In the new crate only.
    pub added: Vec<String>,
    /// In the old crate only.
    pub removed: Vec<String>,
    /// In both, changed.
    pub changed: Vec<Changed>,
}

/// One operation or type that both crates have, and how it changed.
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    /// The operation's id or the type's name.
    pub name: String,
    /// Each change, as users see it.
    pub changes: Vec<Change>,
}

/// One change of an operation or type.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// What changed (`parameter `limit` added`).
    pub what: String,
    /// Whether it breaks code written against the old crate.
    pub breaking: bool,
    /// Why it breaks users, or why it does not.
    pub why: String,
}

impl Change {
    fn breaking(what: String, why: &str) -> Self {
        Self { what, breaking: true, why: why.to_string() }
    }

    fn additive(what: String, why: &str) -> Self {
        Self { what, breaking: false, why: why.to_string() }
    }
}

/// Compares the crate already written (`old`) with the one about to be (`new`).
pub fn compare(old: &Surface, new: &Surface) -> ChangeReport {
    let operations = compare_by(
        &old.operations,
        &new.operations,
        |o| format!("{}::{} ({})", o.module, o.method, o.id),
        compare_operations,
    );
    let types = compare_by(&old.types, &new.types, |t| t.name.clone(), compare_types);
    let removed = !operations.removed.is_empty() || !types.removed.is_empty();
    let breaking = operations.changed.iter().chain(&types.changed).flat_map(|c| &c.changes).any(|c| c.breaking);
    let added = !operations.added.is_empty() || !types.added.is_empty() || {
        operations.changed.iter().chain(&types.changed).any(|c| !c.changes.is_empty())
    };
    let semver = if removed || breaking {
        Bump::Major
    } else if added {
        Bump::Minor
    } else {
        Bump::Patch
    };
    ChangeReport {
        semver,
        from_version: old.version.clone(),
        to_version: bump(&old.version, semver),
        operations,
        types,
    }
}

/// The version after `version` for a change of `semver`: below 1.0, a breaking change bumps
/// the minor and anything else the patch (Cargo's rules for 0.x); from 1.0, each its own.
pub fn bump(version: &str, semver: Bump) -> String {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let mut parts = core.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    match (major, semver) {
        (0, Bump::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Bump::Major) => format!("{}.0.0", major + 1),
        (_, Bump::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Bump::Patch) => format!("{major}.{minor}.{}", patch + 1),
    }
}

fn compare_by<T>(old: &[T], new: &[T], key: impl Fn(&T) -> String, compare: impl Fn(&T, &T) -> Vec<Change>) -> Section {
    let old: BTreeMap<String, &T> = old.iter().map(|t| (key(t), t)).collect();
    let new: BTreeMap<String, &T> = new.iter().map(|t| (key(t), t)).collect();
    let mut section = Section::default();
    for (name, n) in &new {
        match old.get(name) {
            None => section.added.push(name.clone()),
            Some(o) => {
                let changes = compare(o, n);
                if !changes.is_empty() {
                    section.changed.push(Changed { name: name.clone(), changes });
                }
            }
        }
    }
    section.removed = old.keys().filter(|k| !new.contains_key(*k)).cloned().collect();
    section
}

/// The parameters in order, each keyed by its name and, for a name several have, which of
/// them it is.
fn nth_of_name(params: &[ParamSurface]) -> Vec<((&str, usize), &ParamSurface)> {
    let mut out: Vec<((&str, usize), &ParamSurface)> = Vec::with_capacity(params.len());
    for p in params {
        let nth = out.iter().filter(|((name, _), _)| *name == p.name).count();
        out.push(((p.name.as_str(), nth), p));
    }
    out
}

fn compare_operations(old: &OperationSurface, new: &OperationSurface) -> Vec<Change> {
    let mut changes = Vec::new();
    let signature = "the method's signature changes: calls written for the old one no longer compile";
    if old.builder != new.builder {
        let form = |b: bool| if b { "a call with setters" } else { "a method taking every parameter" };
        changes.push(Change::breaking(format!("now {}, was {}", form(new.builder), form(old.builder)), signature));
    }
    if old.http != new.http {
        changes.push(Change::additive(format!("now `{}`, was `{}`", new.http, old.http), "the call is the same"));
    }
    // A name may be two parameters' (a path and a query parameter): the n-th of a name in the
    // old is the n-th of it in the new.
    let old_params: BTreeMap<(&str, usize), &ParamSurface> = nth_of_name(&old.params).into_iter().collect();
    let new_params = nth_of_name(&new.params);
    for (key, p) in &new_params {
        match old_params.get(key) {
            None if !p.required && new.builder && old.builder => changes.push(Change::additive(
                format!("optional parameter `{}` added", p.name),
                "a new setter of the call; existing calls are unchanged",
            )),
            None => changes.push(Change::breaking(
                format!("{} parameter `{}` added", if p.required { "required" } else { "optional" }, p.name),
                signature,
            )),
            Some(o) if o.required != p.required => changes.push(Change::breaking(
                format!("parameter `{}` now {}", p.name, if p.required { "required" } else { "optional" }),
                signature,
            )),
            Some(o) if o.ty != p.ty => changes
                .push(Change::breaking(format!("parameter `{}` is now `{}`, was `{}`", p.name, p.ty, o.ty), signature)),
            Some(_) => {}
        }
    }
    for (key, p) in nth_of_name(&old.params) {
        if !new_params.iter().any(|(k, _)| *k == key) {
            changes.push(Change::breaking(format!("parameter `{}` removed", p.name), signature));
        }
    }
    if old.stream && new.stream && old.stream_on_call != new.stream_on_call {
        changes.push(Change::breaking(
            "its stream is now the call's `stream()`, was a `_stream` method".into(),
            "calls written for the old stream no longer compile",
        ));
    }
    if old.body != new.body {
        let text = |b: &Option<String>| b.clone().map_or("none".to_string(), |b| format!("`{b}`"));
        changes.push(Change::breaking(format!("body now {}, was {}", text(&new.body), text(&old.body)), signature));
    }
    if old.returns != new.returns {
        changes.push(Change::breaking(
            format!("returns `{}`, was `{}`", new.returns, old.returns),
            "code that uses the result is written for the old type",
        ));
    }
    for e in new.errors.iter().filter(|e| !old.errors.contains(e)) {
        changes.push(if old.errors_non_exhaustive && new.errors_non_exhaustive {
            Change::additive(format!("error status {e} added"), "the error enum is `#[non_exhaustive]`")
        } else {
            Change::breaking(
                format!("error status {e} added"),
                "a new variant of the error enum: exhaustive matches on it no longer compile",
            )
        });
    }
    for e in old.errors.iter().filter(|e| !new.errors.contains(e)) {
        changes.push(Change::breaking(format!("error status {e} removed"), "a variant users may match on is gone"));
    }
    changes.extend(compare_call_methods(old, new));
    changes
}

/// What became of the methods of an operation's call beyond sending it: its `events()`, its
/// `stream()` and `send_with_headers()`.
fn compare_call_methods(old: &OperationSurface, new: &OperationSurface) -> Vec<Change> {
    let mut changes = Vec::new();
    match (&old.events, &new.events) {
        (None, Some(_)) => changes.push(Change::additive("now has `events()`".into(), "a new method of the call")),
        (Some(_), None) => {
            changes.push(Change::breaking("its `events()` is gone".into(), "a method users may call is gone"))
        }
        (Some(was), Some(now)) if was != now => changes.push(Change::breaking(
            format!("its events are now `{now}`, were `{was}`"),
            "code reading the old events no longer compiles",
        )),
        _ => {}
    }
    match (old.stream, new.stream) {
        (false, true) => changes.push(Change::additive("now has a `stream()`".into(), "a new method of the call")),
        (true, false) => changes.push(Change::breaking("its stream is gone".into(), "a method users may call is gone")),
        _ => {}
    }
    for h in new.headers.iter().filter(|h| !old.headers.contains(h)) {
        let why = if old.headers.is_empty() {
            "a new method of the call (`send_with_headers`)"
        } else {
            "a new field of a `#[non_exhaustive]` struct"
        };
        changes.push(Change::additive(format!("documents header `{h}`"), why));
    }
    for h in old.headers.iter().filter(|h| !new.headers.contains(h)) {
        changes.push(Change::breaking(format!("no longer documents header `{h}`"), "a field users may read is gone"));
    }
    changes
}

fn compare_types(old: &TypeSurface, new: &TypeSurface) -> Vec<Change> {
    if old.kind != new.kind {
        return vec![Change::breaking(
            format!("now {} {}, was {} {}", article(&new.kind), new.kind, article(&old.kind), old.kind),
            "code written for the old kind of type no longer compiles",
        )];
    }
    let mut changes = Vec::new();
    match new.kind.as_str() {
        "struct" => {
            let old_fields: BTreeMap<&str, &FieldSurface> = old.fields.iter().map(|f| (f.name.as_str(), f)).collect();
            for f in &new.fields {
                match old_fields.get(f.name.as_str()) {
                    None if new.non_exhaustive && f.ty.starts_with("Option<") => changes.push(Change::additive(
                        format!("field `{}` added", f.name),
                        "an optional field of a `#[non_exhaustive]` struct",
                    )),
                    None => changes.push(Change::breaking(
                        format!("field `{}: {}` added", f.name, f.ty),
                        if f.ty.starts_with("Option<") {
                            "struct literals that build it no longer compile"
                        } else {
                            "a required field: struct literals that build it no longer compile"
                        },
                    )),
                    Some(o) if o.ty != f.ty => {
                        let what = if f.ty == format!("Option<{}>", o.ty) {
                            format!("field `{}` now optional", f.name)
                        } else if o.ty == format!("Option<{}>", f.ty) {
                            format!("field `{}` now required", f.name)
                        } else {
                            format!("field `{}` is now `{}`, was `{}`", f.name, f.ty, o.ty)
                        };
                        changes.push(Change::breaking(
                            what,
                            "code that reads or builds the field is written for the old type",
                        ));
                    }
                    Some(_) => {}
                }
            }
            for f in old.fields.iter().filter(|f| !new.fields.iter().any(|n| n.name == f.name)) {
                changes.push(Change::breaking(
                    format!("field `{}` removed", f.name),
                    "code that uses it no longer compiles",
                ));
            }
        }
        _ => {
            let noun = match new.kind.as_str() {
                "enum" => "value",
                "alias" => "target",
                _ => "variant",
            };
            for v in new.values.iter().filter(|v| !old.values.contains(v)) {
                if new.non_exhaustive {
                    changes.push(Change::additive(format!("{noun} `{v}` added"), "the type is `#[non_exhaustive]`"));
                } else {
                    changes.push(Change::breaking(
                        format!("{noun} `{v}` added"),
                        "exhaustive matches on the type no longer compile",
                    ));
                }
            }
            for v in old.values.iter().filter(|v| !new.values.contains(v)) {
                changes
                    .push(Change::breaking(format!("{noun} `{v}` removed"), "code that names it no longer compiles"));
            }
        }
    }
    if old.non_exhaustive != new.non_exhaustive {
        changes.push(Change::breaking(
            format!("now {}`#[non_exhaustive]`", if new.non_exhaustive { "" } else { "not " }),
            "struct literals and exhaustive matches written for the old type may no longer compile",
        ));
    }
    changes
}

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

impl ChangeReport {
    /// A few lines for the terminal.
    pub fn summary(&self) -> String {
        let count = |s: &Section| -> (usize, usize, usize, usize) {
            let breaking = s.changed.iter().filter(|c| c.changes.iter().any(|c| c.breaking)).count();
            (s.added.len(), s.removed.len(), s.changed.len(), breaking)
        };
        let (oa, or, oc, ob) = count(&self.operations);
        let (ta, tr, tc, tb) = count(&self.types);
        format!(
            "changes: {} ({} -> {}): operations {oa} added, {or} removed, {oc} changed ({ob} breaking); \
             types {ta} added, {tr} removed, {tc} changed ({tb} breaking)",
            match self.semver {
                Bump::Major => "major",
                Bump::Minor => "minor",
                Bump::Patch => "patch",
            },
            self.from_version,
            self.to_version,
        )
    }

    /// The report as a changelog entry.
    pub fn markdown(&self, crate_name: &str) -> String {
        let mut md = format!(
            "## {crate_name} {}\n\n{} from {}.\n",
            self.to_version,
            match self.semver {
                Bump::Major => "Breaking changes",
                Bump::Minor => "Additions, nothing breaking",
                Bump::Patch => "No change to the public API",
            },
            self.from_version
        );
        let mut breaking = Vec::new();
        let mut additive = Vec::new();
        for (noun, section) in [("operation", &self.operations), ("type", &self.types)] {
            breaking.extend(section.removed.iter().map(|n| format!("- Removed {noun} `{n}`.")));
            additive.extend(section.added.iter().map(|n| format!("- Added {noun} `{n}`.")));
            for c in &section.changed {
                for change in &c.changes {
                    let line = format!("- `{}`: {} ({}).", c.name, change.what, change.why);
                    if change.breaking {
                        breaking.push(line);
                    } else {
                        additive.push(line);
                    }
                }
            }
        }
        for (title, lines) in [("Breaking", breaking), ("Added", additive)] {
            if !lines.is_empty() {
                md.push_str(&format!("\n### {title}\n\n{}\n", lines.join("\n")));
            }
        }
        md
    }
}
