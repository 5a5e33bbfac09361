//! Responses that are streams of events: server-sent events and JSON lines, read a event at a
//! time by a method of their own beside the one that reads a whole body.

use indexmap::IndexMap;
use openapiv3::MediaType;

use super::SpecLowerer;
use crate::error::Result;
use crate::ir::*;
use crate::pointer::JsonPointer;

impl<'a> SpecLowerer<'a> {
    /// The stream among a success's media types (the first, if it lists several), with the
    /// schema of its events: the media type's `schema` (where `load` puts 3.2's `itemSchema`).
    pub(super) fn event_stream(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        s_ptr: &JsonPointer,
        op_name: &str,
    ) -> Result<Option<EventStream>> {
        let Some((content_type, media, framing)) =
            content.iter().find_map(|(ct, media)| Framing::of(ct).map(|f| (ct, media, f)))
        else {
            return Ok(None);
        };
        let m_ptr = s_ptr.push("content").push(content_type);
        let hint = NameHint::Event { operation: op_name.to_string() };
        let item = match &media.schema {
            Some(schema) => Some(self.schema_ref(schema, m_ptr.push("schema"), hint)?),
            None => None,
        };
        // JSON lines are JSON whatever the spec says of them; events' data may be any text.
        let item = match (item, framing) {
            (None, Framing::JsonLines | Framing::JsonSeq) => {
                Some(self.push(Kind::Any, Docs::default(), &m_ptr, NameHint::Event { operation: op_name.to_string() }))
            }
            (item, _) => item,
        };
        Ok(Some(EventStream { content_type: content_type.clone(), framing, item, sentinel: None }))
    }
}

/// The data that ends an operation's event stream, where the spec documents one in the
/// convention OpenAI made common (`data: [DONE]`): in the operation's or the response's
/// description, or in the request body's schema near its top (a `stream` flag, its options).
pub(super) fn documented_sentinel(ir: &Ir, op: &Operation, response: &Response) -> Option<String> {
    let mut texts: Vec<&str> = [&op.summary, &op.description].into_iter().flatten().map(String::as_str).collect();
    texts.push(&response.description);
    if let Some(body) = &op.body {
        texts.extend(body.description.as_deref());
        // The body's schemas a few levels down, breadth first and bounded.
        let mut level = vec![body.schema];
        let mut seen = rustc_hash::FxHashSet::default();
        for _ in 0..SENTINEL_DEPTH {
            let mut next = Vec::new();
            for node in level.into_iter().filter(|n| seen.insert(*n)).take(SENTINEL_NODES) {
                texts.extend(ir.node(node).docs.description.as_deref());
                next.extend(ir.node(node).kind.children());
            }
            level = next;
        }
    }
    texts.into_iter().find_map(sentinel_in)
}

/// How deep into a request body, and how many schemas per level, a sentinel is looked for.
const SENTINEL_DEPTH: usize = 4;
const SENTINEL_NODES: usize = 200;

/// `[WORD]` after `data:` in `text`, where the word is capitals (`data: [DONE]`).
fn sentinel_in(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find("data:") {
        rest = &rest[at + "data:".len()..];
        let candidate = rest.trim_start();
        if let Some(inner) = candidate.strip_prefix('[') {
            let word: String = inner.chars().take_while(|c| c.is_ascii_uppercase() || *c == '_').collect();
            if !word.is_empty() && inner[word.len()..].starts_with(']') {
                return Some(format!("[{word}]"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::sentinel_in;

    #[test]
    fn finds_a_documented_sentinel() {
        assert_eq!(sentinel_in("terminated by a `data: [DONE]` message"), Some("[DONE]".into()));
        assert_eq!(sentinel_in("data:[END_OF_STREAM]"), Some("[END_OF_STREAM]".into()));
        assert_eq!(sentinel_in("data: [1, 2]"), None);
        assert_eq!(sentinel_in("the [DONE] event"), None);
    }
}
