//! The requests an API sends rather than receives: the spec's `webhooks` and its operations'
//! `callbacks`, each lowered to the schema of its JSON body, for typed payloads and a parser.

use openapiv3::ReferenceOr;

use super::{spec_text, SpecLowerer};
use crate::error::Result;
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::pointer::JsonPointer;

impl<'a> SpecLowerer<'a> {
    /// The webhooks of `spec`, then the callbacks of each operation `api` has (in its order).
    pub(super) fn webhooks(&mut self, spec: &'a LoadedSpec, api: &mut Api) -> Result<()> {
        let hooks_ptr = JsonPointer::root().push("webhooks");
        for (name, item) in &spec.webhooks {
            let ptr = hooks_ptr.push(name);
            match item {
                ReferenceOr::Item(item) => self.path_item_hooks(name, None, item, ptr, api)?,
                ReferenceOr::Reference { reference } => self.warn(
                    &ptr,
                    format!("webhook `{name}` is a `$ref` to `{reference}`, which is not followed: left out"),
                ),
            }
        }
        let paths_ptr = JsonPointer::root().push("paths");
        for (path, item) in &spec.doc.paths.paths {
            let ReferenceOr::Item(item) = item else { continue };
            for (method, op) in item.iter() {
                let Some(method) = HttpMethod::parse(method) else { continue };
                let Some(id) =
                    api.operations.iter().find(|o| o.path == *path && o.method == method).map(|o| o.id.clone())
                else {
                    continue; // a skipped operation: its callbacks go with it
                };
                let op_ptr = paths_ptr.push(path).push(method.as_upper().to_ascii_lowercase());
                for (name, callback) in &op.callbacks {
                    let cb_ptr = op_ptr.push("callbacks").push(name);
                    for (expression, item) in callback {
                        self.path_item_hooks(name, Some(&id), item, cb_ptr.push(expression), api)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Each operation of a webhook's (or callback's) path item.
    fn path_item_hooks(
        &mut self,
        name: &str,
        operation: Option<&str>,
        item: &'a openapiv3::PathItem,
        ptr: JsonPointer,
        api: &mut Api,
    ) -> Result<()> {
        for (method, op) in item.iter() {
            let Some(method) = HttpMethod::parse(method) else { continue };
            let op_ptr = ptr.push(method.as_upper().to_ascii_lowercase());
            let payload = match &op.request_body {
                Some(rb) => self.payload(name, rb, op_ptr.push("requestBody"))?,
                None => None,
            };
            api.webhooks.push(Webhook {
                name: name.to_string(),
                operation: operation.map(str::to_string),
                method,
                site: self.user_site(&op_ptr),
                summary: spec_text(&op.summary),
                description: spec_text(&op.description),
                payload,
            });
        }
        Ok(())
    }

    /// The schema of a webhook's JSON body, if it documents one.
    fn payload(
        &mut self,
        name: &str,
        rb: &'a ReferenceOr<openapiv3::RequestBody>,
        ptr: JsonPointer,
    ) -> Result<Option<NodeId>> {
        let Some((rb, rb_ptr)) = self.resolve_request_body(rb, ptr)? else { return Ok(None) };
        let Some((content_type, media)) = rb.content.iter().find(|(ct, _)| BodyEncoding::of(ct) == BodyEncoding::Json)
        else {
            return Ok(None);
        };
        let m_ptr = rb_ptr.push("content").push(content_type);
        let hint = NameHint::Webhook { name: name.to_string() };
        Ok(Some(match &media.schema {
            Some(s) => self.schema_ref(s, m_ptr.push("schema"), hint)?,
            None => self.push(Kind::Any, Docs::default(), &m_ptr, hint),
        }))
    }
}
