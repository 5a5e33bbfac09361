//! The name of each model type: overlay, component, title, or derived from where it is used.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::{is_model_kind, ClassId, NameSource};
use crate::ir::*;
use crate::naming;

pub(super) struct Namer<'a> {
    ir: &'a Ir,
    class_of: &'a [ClassId],
    members: &'a BTreeMap<ClassId, Vec<NodeId>>,
    /// Which nodes operations reach: only those offer derived names.
    reachable: &'a [bool],
    memo: HashMap<ClassId, Option<(String, NameSource)>>,
    visiting: HashSet<ClassId>,
}

impl<'a> Namer<'a> {
    pub(super) fn new(
        ir: &'a Ir,
        class_of: &'a [ClassId],
        members: &'a BTreeMap<ClassId, Vec<NodeId>>,
        reachable: &'a [bool],
    ) -> Self {
        Self { ir, class_of, members, reachable, memo: HashMap::new(), visiting: HashSet::new() }
    }

    /// The preferred name of a model class: overlay, then component, then title, then the
    /// shortest derived name; ties broken by the name itself, so the order of paths in the
    /// file never matters.
    pub(super) fn class_name(&mut self, class: ClassId) -> Option<(String, NameSource)> {
        if let Some(done) = self.memo.get(&class) {
            return done.clone();
        }
        if !self.visiting.insert(class) {
            return None;
        }
        let all = &self.members[&class];
        // Names the shape carries itself (overlay, component, title), wherever it stands.
        let mut candidates: Vec<(u8, String, NameSource)> = Vec::new();
        for &n in all {
            let node = self.ir.node(n);
            match &node.hint {
                NameHint::Overlay(name) => candidates.push((0, naming::type_ident(name), NameSource::Overlay)),
                NameHint::Component(name) => candidates.push((1, naming::type_ident(name), NameSource::Component)),
                _ => {}
            }
            if let Some(title) = &node.docs.title {
                candidates.push((2, naming::type_ident(title), NameSource::Title));
            }
        }
        // Else a name from where operations use it: an `allOf` part that merely looks like it
        // says nothing. A shape that operations reach only through its properties (an `allOf`
        // base) is named from where it is defined.
        if candidates.is_empty() {
            let reached: Vec<NodeId> = all.iter().copied().filter(|&n| self.reachable[n.0 as usize]).collect();
            let nodes = if reached.is_empty() { all.clone() } else { reached };
            // An error body that several operations share is named for its status, not for
            // whichever operation has the shortest name.
            let mut shared_statuses: BTreeMap<u16, BTreeSet<&str>> = BTreeMap::new();
            for &n in &nodes {
                if let NameHint::Response { operation, status } = &self.ir.node(n).hint {
                    shared_statuses.entry(*status).or_default().insert(operation);
                }
            }
            for (status, operations) in shared_statuses {
                if operations.len() > 1 && !(200..300).contains(&status) {
                    let name = format!("{}Response", naming::status_variant(status));
                    let from = format!("{status} response of {} operations", operations.len());
                    candidates.push((3, name, NameSource::Derived(from)));
                }
            }
            for n in nodes {
                if let Some((name, from)) = self.derived(n) {
                    candidates.push((4, naming::type_ident(&name), NameSource::Derived(from)));
                }
            }
        }
        let best = candidates.into_iter().min_by(|a, b| {
            let detail = |c: &(u8, String, NameSource)| match &c.2 {
                NameSource::Derived(d) => d.clone(),
                _ => String::new(),
            };
            (a.0, a.1.len(), &a.1, detail(a)).cmp(&(b.0, b.1.len(), &b.1, detail(b)))
        });
        let result = best.map(|(_, name, source)| (name, source));
        self.visiting.remove(&class);
        self.memo.insert(class, result.clone());
        result
    }

    /// The name of whatever stands at `node`: its model type's name, or one derived from
    /// where it is used.
    fn base(&mut self, node: NodeId) -> Option<String> {
        let node = self.owner(node);
        if is_model_kind(&self.ir.node(node).kind) {
            self.class_name(self.class_of[node.0 as usize]).map(|(n, _)| n)
        } else {
            self.derived(node).map(|(n, _)| n)
        }
    }

    /// Follows nullable wrappers and merged `allOf` parts to the node that names a property's
    /// parent.
    fn owner(&self, mut node: NodeId) -> NodeId {
        for _ in 0..64 {
            match (&self.ir.node(node).kind, &self.ir.node(node).hint) {
                (_, NameHint::AllOfPart { merged }) => node = *merged,
                (Kind::Nullable(inner), _) => node = *inner,
                _ => break,
            }
        }
        node
    }

    fn derived(&mut self, node: NodeId) -> Option<(String, String)> {
        let hint = self.ir.node(node).hint.clone();
        Some(match hint {
            NameHint::None => return None,
            NameHint::Overlay(name) | NameHint::Component(name) => (name.clone(), format!("component {name}")),
            NameHint::Property { parent, name } => {
                let base = self.base(parent)?;
                (format!("{base}{}", naming::camel(&name)), format!("property `{name}` of {base}"))
            }
            NameHint::Item { parent } => {
                let base = self.base(parent)?;
                (format!("{base}Item"), format!("items of {base}"))
            }
            NameHint::MapValue { parent } => {
                let base = self.base(parent)?;
                (format!("{base}Value"), format!("map values of {base}"))
            }
            NameHint::Variant { parent, index } => {
                let base = self.base(parent)?;
                (format!("{base}Variant{}", index + 1), format!("variant {} of {base}", index + 1))
            }
            NameHint::AllOfPart { merged } => return self.derived(merged),
            NameHint::Reused { name, detail } => (name, detail),
            NameHint::RequestBody { operation } => {
                (format!("{operation}Request"), format!("request body of {operation}"))
            }
            NameHint::Response { operation, status } => {
                let suffix =
                    if (200..300).contains(&status) { "Response".to_string() } else { naming::status_variant(status) };
                (format!("{operation}{suffix}"), format!("{status} response of {operation}"))
            }
            NameHint::Parameter { operation, name } => {
                (format!("{operation}{}", naming::camel(&name)), format!("parameter `{name}` of {operation}"))
            }
        })
    }
}
