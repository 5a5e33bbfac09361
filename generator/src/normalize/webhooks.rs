//! What a crate's `webhooks` modules hold: one enum per group of requests the API sends (its
//! webhooks; each operation's callbacks), whether a payload property tells their events apart,
//! and a parse function per webhook.

use std::collections::HashSet;

use super::{Model, RustType};
use crate::ir::{Api, Kind, NodeId};
use crate::naming;

/// The properties that say which event a payload is, in the order they are tried.
const TAG_PROPERTIES: [&str; 5] = ["type", "event", "event_type", "eventType", "kind"];

/// The webhooks of one group: the spec's own, or the callbacks of one operation.
#[derive(Clone, Debug)]
pub struct WebhookGroup {
    /// The enum of the group's events: `Webhook`, or `{Operation}Callback`.
    pub enum_name: String,
    /// For callbacks: the method of the operation that registers them.
    pub operation: Option<String>,
    /// The payload property whose constant value tells the events apart, when every payload
    /// has one and no two share a value: the enum then has `parse`.
    pub tag: Option<&'static str>,
    /// Whether the group has an enum of its events: when a tag tells them apart, or when two
    /// or more carry payloads (told apart by the webhook's name, `parse_named`).
    pub has_enum: bool,
    pub hooks: Vec<WebhookPlan>,
}

/// One webhook (or callback) of a group.
#[derive(Clone, Debug)]
pub struct WebhookPlan {
    /// Its index in the API's `webhooks`.
    pub index: usize,
    /// Its variant of the group's enum.
    pub variant: String,
    /// Its parse function, `parse_{name}`.
    pub function: String,
    /// The name `parse_named` knows it by: its key in the spec (with the method, when the
    /// key has several).
    pub key: String,
    /// The type of its JSON payload (`None`: it documents none, and has no variant).
    pub payload: Option<RustType>,
    /// The values of the group's tag that mean this webhook.
    pub tag_values: Vec<String>,
}

impl Model {
    /// The groups of `api`'s webhooks, the spec's own first, then each operation's callbacks.
    pub(super) fn plan_webhooks(&self, api_index: usize) -> Vec<WebhookGroup> {
        let api = &self.ir.apis[api_index];
        let mut groups: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
        for (i, hook) in api.webhooks.iter().enumerate() {
            let key = hook.operation.as_deref();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        // A callback group is named after the method of the operation that registers it.
        let names_of = |id: &str| {
            let op = api.operations.iter().position(|o| o.id == id)?;
            Some(&self.operations[api_index][op].names)
        };
        groups
            .into_iter()
            .map(|(operation, members)| {
                let names = operation.and_then(names_of);
                let (enum_name, prefix) = match (operation, names) {
                    (None, _) => ("Webhook".to_string(), String::new()),
                    (Some(_), Some(names)) => (format!("{}Callback", names.types), format!("{}_", names.method)),
                    (Some(id), None) => {
                        (format!("{}Callback", naming::type_ident(id)), format!("{}_", naming::snake(id)))
                    }
                };
                // `Other` holds the events the spec does not know; `parse` is the enum's.
                let mut variants = naming::Uniquer::with_taken(["Other"]);
                let mut functions = naming::Uniquer::with_taken(["parse"]);
                let hooks: Vec<WebhookPlan> = members
                    .iter()
                    .map(|&index| {
                        let hook = &api.webhooks[index];
                        let several_methods =
                            members.iter().filter(|&&j| api.webhooks[j].name == hook.name).count() > 1;
                        let name = if several_methods {
                            format!("{}_{}", hook.name, hook.method.as_upper().to_ascii_lowercase())
                        } else {
                            hook.name.clone()
                        };
                        WebhookPlan {
                            index,
                            variant: variants.claim(naming::type_ident(&name)),
                            function: functions.claim(format!("parse_{prefix}{}", naming::snake(&name))),
                            key: name,
                            payload: hook.payload.map(|n| self.rust_type(n)),
                            tag_values: Vec::new(),
                        }
                    })
                    .collect();
                let operation = names.map(|n| n.method.clone());
                let mut group = WebhookGroup { enum_name, operation, tag: None, has_enum: false, hooks };
                self.find_tag(api, &mut group);
                group.has_enum = group.tag.is_some() || group.hooks.iter().filter(|h| h.payload.is_some()).count() >= 2;
                group
            })
            .collect()
    }

    /// The first tag property every payload of `group` has as a required constant, no value
    /// meaning two webhooks.
    fn find_tag(&self, api: &Api, group: &mut WebhookGroup) {
        for property in TAG_PROPERTIES {
            let mut seen = HashSet::new();
            let values: Option<Vec<Vec<String>>> = group
                .hooks
                .iter()
                .map(|h| {
                    let values = self.constants(api.webhooks[h.index].payload?, property)?;
                    values.iter().all(|v| seen.insert(v.clone())).then_some(values)
                })
                .collect();
            if let Some(values) = values {
                for (hook, values) in group.hooks.iter_mut().zip(values) {
                    hook.tag_values = values;
                }
                group.tag = Some(property);
                return;
            }
        }
    }

    /// The values of the required string-enum property `property` of the object at `node`.
    fn constants(&self, node: NodeId, property: &str) -> Option<Vec<String>> {
        let Kind::Object(object) = &self.ir.node(node).kind else { return None };
        let field = object.fields.iter().find(|f| f.name == property && f.required)?;
        match &self.ir.node(field.node).kind {
            Kind::Enum(values) if !values.is_empty() => Some(values.clone()),
            _ => None,
        }
    }
}
