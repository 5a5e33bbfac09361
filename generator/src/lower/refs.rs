//! `$ref`s: to component schemas (lowered once, recursion included) and to the other sections
//! of `#/components`.

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr, Schema};

use super::{split, SpecLowerer};
use crate::error::Result;
use crate::ir::*;
use crate::pointer::{unescape, JsonPointer};

/// `$ref`s followed at most in one chain before it is taken for a cycle.
const MAX_REF_CHAIN: usize = 32;

impl<'a> SpecLowerer<'a> {
    pub(super) fn reference(&mut self, reference: &str, ptr: &JsonPointer) -> Result<NodeId> {
        let ptr = ptr.push("$ref");
        // `bundle` has made every schema `$ref` of a spec one of these; a names overlay, which
        // is not bundled, may only refer to its own components.
        match reference.strip_prefix("#/components/schemas/") {
            Some(name) => self.component(&unescape(name), &ptr),
            None => Err(self.invalid(
                &ptr,
                format!("`$ref: {reference}` is not followed here: only `#/components/schemas/...` is"),
            )),
        }
    }

    pub(super) fn component(&mut self, name: &str, from: &JsonPointer) -> Result<NodeId> {
        if let Some(&id) = self.memo.get(name) {
            return Ok(id);
        }
        let Some(schema) = self.components.and_then(|c| c.schemas.get(name)) else {
            // A spec defect the generator can work around: the value is left untyped.
            self.warn(
                from,
                format!("`$ref` to `#/components/schemas/{name}`, which does not exist: the value is any JSON value"),
            );
            return Ok(self.push(Kind::Any, Docs::default(), from, NameHint::None));
        };
        let range = self.ranges.is_some().then(|| split::Range::begin(self, name));
        let lowered = self.lower_component(name, schema);
        if let (Some(range), Ok(_)) = (range, &lowered) {
            range.end(self);
        }
        lowered
    }

    /// Lowers the component schema `name` (first met), reserving its node first.
    fn lower_component(&mut self, name: &str, schema: &'a ReferenceOr<Schema>) -> Result<NodeId> {
        let ptr = JsonPointer::root().push("components").push("schemas").push(name);
        let hint =
            if self.is_overlay { NameHint::Overlay(name.to_string()) } else { NameHint::Component(name.to_string()) };
        match schema {
            ReferenceOr::Item(s) => {
                // Reserve the node before lowering so that recursive references find it; until
                // the schema is lowered it stands in `pending`.
                let id = self.push(Kind::Any, Docs::default(), &ptr, hint.clone());
                self.memo.insert(name.to_string(), id);
                self.pending.insert(id);
                let inner = self.schema(s, ptr, hint)?;
                let node = self.ir.node(inner).clone();
                self.ir.schemas[id.0 as usize] = node;
                self.pending.remove(&id);
                Ok(id)
            }
            ReferenceOr::Reference { reference } => {
                // An alias component: mark it in progress so that a cycle of aliases is caught.
                self.memo.insert(name.to_string(), NodeId(u32::MAX));
                let target = self.reference(reference, &ptr)?;
                if target.0 == u32::MAX {
                    return Err(self.invalid(&ptr, "`$ref`s form a cycle with no schema in between"));
                }
                self.memo.insert(name.to_string(), target);
                Ok(target)
            }
        }
    }

    /// The schema a `#/components/schemas/...` reference ends at, through chains of references;
    /// `None` for any other reference (lowering the schema itself reports those).
    pub(super) fn component_schema(&self, reference: &str) -> Option<&'a Schema> {
        match self.follow(reference, JsonPointer::root(), "schemas", |c| &c.schemas) {
            Ok(End::At(s, _)) => Some(s),
            _ => None,
        }
    }

    /// A parameter; `None`, with a warning, when its `$ref` points to nothing.
    pub(super) fn resolve_parameter(
        &mut self,
        p: &'a ReferenceOr<openapiv3::Parameter>,
        ptr: JsonPointer,
    ) -> Result<Option<(&'a openapiv3::Parameter, JsonPointer)>> {
        self.resolve_present(p, ptr, "parameters", |c| &c.parameters, "the parameter is left out")
    }

    /// A request body; `None`, with a warning, when its `$ref` points to nothing.
    pub(super) fn resolve_request_body(
        &mut self,
        r: &'a ReferenceOr<openapiv3::RequestBody>,
        ptr: JsonPointer,
    ) -> Result<Option<(&'a openapiv3::RequestBody, JsonPointer)>> {
        self.resolve_present(r, ptr, "requestBodies", |c| &c.request_bodies, "the operation is sent without a body")
    }

    /// A response; `None`, with a warning, when its `$ref` points to nothing.
    pub(super) fn resolve_response(
        &mut self,
        r: &'a ReferenceOr<openapiv3::Response>,
        ptr: JsonPointer,
    ) -> Result<Option<(&'a openapiv3::Response, JsonPointer)>> {
        self.resolve_present(r, ptr, "responses", |c| &c.responses, "the status is left undocumented")
    }

    /// `r` itself, or what its `$ref`s lead to; a reference to nothing is a spec defect the
    /// generator works around by leaving the item out (`then` says what that means), with a
    /// warning at the `$ref`.
    pub(super) fn resolve_present<T>(
        &mut self,
        r: &'a ReferenceOr<T>,
        ptr: JsonPointer,
        section: &str,
        map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        then: &str,
    ) -> Result<Option<(&'a T, JsonPointer)>> {
        match self.end(r, ptr, section, map)? {
            End::At(t, ptr) => Ok(Some((t, ptr))),
            End::Nothing { ref_ptr, reference } => {
                self.warn(&ref_ptr, format!("`$ref` to `{reference}`, which does not exist: {then}"));
                Ok(None)
            }
        }
    }

    /// `r` itself, or what its `$ref`s lead to in `#/components/{section}`, and its pointer.
    pub(super) fn resolve<T>(
        &self,
        r: &'a ReferenceOr<T>,
        ptr: JsonPointer,
        section: &str,
        map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'a T, JsonPointer)> {
        match self.end(r, ptr, section, map)? {
            End::At(t, ptr) => Ok((t, ptr)),
            End::Nothing { ref_ptr, reference } => {
                Err(self.invalid(&ref_ptr, format!("`$ref` to `{reference}`, which does not exist")))
            }
        }
    }

    /// Where `r` ends: itself, or the end of its chain of `$ref`s.
    fn end<T>(
        &self,
        r: &'a ReferenceOr<T>,
        ptr: JsonPointer,
        section: &str,
        map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<End<'a, 'a, T>> {
        match r {
            ReferenceOr::Item(t) => Ok(End::At(t, ptr)),
            ReferenceOr::Reference { reference } => self.follow(reference, ptr, section, map),
        }
    }

    /// Follows `reference` (at `ptr`), and any chain of `$ref`s after it, into
    /// `#/components/{section}`: the one walker of component references, with one limit.
    fn follow<'r, T>(
        &self,
        reference: &'r str,
        mut ptr: JsonPointer,
        section: &str,
        map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<End<'a, 'r, T>>
    where
        'a: 'r,
    {
        let prefix = format!("#/components/{section}/");
        let mut reference: &'r str = reference;
        for _ in 0..MAX_REF_CHAIN {
            let ref_ptr = ptr.push("$ref");
            let Some(name) = reference.strip_prefix(&prefix).map(unescape) else {
                return Err(
                    self.invalid(&ref_ptr, format!("`$ref: {reference}` is not supported here: expected {prefix}..."))
                );
            };
            let Some(target) = self.components.and_then(|c| map(c).get(&name)) else {
                return Ok(End::Nothing { ref_ptr, reference });
            };
            ptr = JsonPointer::root().push("components").push(section).push(&name);
            match target {
                ReferenceOr::Item(t) => return Ok(End::At(t, ptr)),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        Err(self.invalid(&ptr, "`$ref`s form a cycle with no definition in between"))
    }
}

/// Where a chain of `$ref`s ends: at an item and its pointer, or at a `$ref` (at `ref_ptr`)
/// to nothing.
enum End<'a, 'r, T> {
    At(&'a T, JsonPointer),
    Nothing { ref_ptr: JsonPointer, reference: &'r str },
}
