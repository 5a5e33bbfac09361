//! The name of each model type: the overlay's, a component's or a title; else the name its
//! sites agree on, from the property, the resource of the path or the parameter that holds
//! it, short, and qualified by its context only when another type wants the same name.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::{is_model_kind, ClassId, NameSource};
use crate::ir::*;
use crate::naming;

/// How strong a name is, best first: what the spec's authors wrote, then names of what holds
/// the shape, then names made from operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Rank {
    Overlay,
    Component,
    Title,
    /// A `components.responses`/`requestBodies`/`parameters` key.
    Reused,
    /// The resource its operation's path names: the API's own word for what the body is.
    /// Chosen on a par with `Holder` (votes decide), but when two types want one name, the
    /// one a path names keeps it.
    Resource,
    /// The property or parameter that holds it.
    Holder,
    /// An error body shared by several operations, by its status.
    SharedStatus,
    /// Made from where it stands (`...Item`, `...Variant2`) or from an operation's name.
    Fallback,
}

/// The name a class wants, and what it would grow if another class wants it too.
#[derive(Clone, Debug)]
pub(super) struct Choice {
    pub name: String,
    pub source: NameSource,
    pub rank: Rank,
    /// How many sites offered the name.
    pub votes: usize,
    /// A `GET` offered it: the resource as read (see `Offer::read`).
    pub read: bool,
    /// The name one step more specific, from the context its sites stand in (the type holding
    /// the property, the path), for when another type has the name.
    pub qualified: Option<String>,
}

/// The longest name made up here, qualified or not (the spec's own names may be longer).
pub(super) const LONGEST: usize = 40;

/// A name one site offers.
struct Offer {
    rank: Rank,
    name: String,
    from: String,
    qualified: Option<String>,
    /// Offered by what a `GET` returns: the resource as it is read, whose claim to the
    /// resource's name beats that of a body sent to it or a receipt for work accepted.
    read: bool,
}

impl Offer {
    /// An offer of anything but what a `GET` returns.
    fn new(rank: Rank, name: String, from: String, qualified: Option<String>) -> Self {
        Self { rank, name, from, qualified, read: false }
    }
}

/// Property names that say what a value is to its holder, not what it is: `data`, `items`,
/// `type`. A type named only that would say nothing, so its holder's name goes first.
const GENERIC: &[&str] = &[
    "body",
    "config",
    "configuration",
    "content",
    "data",
    "detail",
    "details",
    "entries",
    "entry",
    "error",
    "errors",
    "info",
    "item",
    "items",
    "kind",
    "list",
    "metadata",
    "mode",
    "object",
    "objects",
    "options",
    "payload",
    "properties",
    "record",
    "records",
    "request",
    "response",
    "result",
    "results",
    "settings",
    "state",
    "status",
    "type",
    "value",
    "values",
];

/// `name` is `UpperCamelCase`; its plural counts too (`Types`, `Statuses`).
fn is_generic(name: &str) -> bool {
    let forms = [Some(name), name.strip_suffix('s'), name.strip_suffix("es")];
    forms.into_iter().flatten().any(|form| GENERIC.iter().any(|g| g.eq_ignore_ascii_case(form)))
}

/// `context` then `local`, a word they share at the seam said once: `Account` + `AccountId`
/// -> `AccountId`, `RoleCriteria` + `CriteriaKey` -> `RoleCriteriaKey`.
fn qualify(context: &str, local: &str) -> String {
    if local.starts_with(context) {
        return local.to_string();
    }
    let first_word_end = local[1..].find(|c: char| c.is_ascii_uppercase()).map_or(local.len(), |i| i + 1);
    let first = &local[..first_word_end];
    match context.strip_suffix(first) {
        Some(head) => format!("{head}{local}"),
        None => format!("{context}{local}"),
    }
}

pub(super) struct Namer<'a> {
    ir: &'a Ir,
    class_of: &'a [ClassId],
    members: &'a BTreeMap<ClassId, Vec<NodeId>>,
    /// Which nodes operations reach: only those offer derived names.
    reachable: &'a [bool],
    memo: FxHashMap<ClassId, Option<Choice>>,
    visiting: FxHashSet<ClassId>,
    /// [`naming::type_ident`] of each name offered, made once: the copies of one schema in an
    /// inlined spec offer the same title hundreds of times.
    idents: FxHashMap<String, String>,
}

impl<'a> Namer<'a> {
    pub(super) fn new(
        ir: &'a Ir,
        class_of: &'a [ClassId],
        members: &'a BTreeMap<ClassId, Vec<NodeId>>,
        reachable: &'a [bool],
    ) -> Self {
        Self {
            ir,
            class_of,
            members,
            reachable,
            memo: FxHashMap::default(),
            visiting: FxHashSet::default(),
            idents: FxHashMap::default(),
        }
    }

    fn type_ident(&mut self, name: &str) -> String {
        if let Some(ident) = self.idents.get(name) {
            return ident.clone();
        }
        let ident = naming::type_ident(name);
        self.idents.insert(name.to_string(), ident.clone());
        ident
    }

    /// The name a model class wants: the best rank offered, then the name most sites agree
    /// on, then the shortest; ties broken by the name itself, so that the order of paths in the
    /// file never matters.
    pub(super) fn class_name(&mut self, class: ClassId) -> Option<Choice> {
        if let Some(done) = self.memo.get(&class) {
            return done.clone();
        }
        if !self.visiting.insert(class) {
            return None;
        }
        let all = &self.members[&class];
        // Names the shape carries itself (overlay, component, title), wherever it stands.
        let mut offers: Vec<(NodeId, Offer)> = Vec::new();
        let ir = self.ir;
        for &n in all {
            let node = ir.node(n);
            let hint = match &node.hint {
                NameHint::Overlay(name) => Some((Rank::Overlay, name.as_str())),
                NameHint::Component(name) => Some((Rank::Component, name.as_str())),
                _ => None,
            };
            for (rank, name) in hint.into_iter().chain(node.docs.title.as_deref().map(|t| (Rank::Title, t))) {
                offers.push((n, Offer::new(rank, self.type_ident(name), String::new(), None)));
            }
        }
        // Else names from where operations use it. A shape that operations reach only through
        // its properties (an `allOf` base) is named from where it is defined.
        if offers.is_empty() {
            let reached: Vec<NodeId> = all.iter().copied().filter(|&n| self.reachable[n.0 as usize]).collect();
            let nodes = if reached.is_empty() { all.clone() } else { reached };
            // An error body that several operations share is named for its status, not for
            // whichever operation has the shortest name.
            let mut shared_statuses: BTreeMap<Status, BTreeSet<&str>> = BTreeMap::new();
            for &n in &nodes {
                if let NameHint::Response { operation, status, .. } = &self.ir.node(n).hint {
                    shared_statuses.entry(*status).or_default().insert(operation);
                }
            }
            for (status, operations) in shared_statuses {
                if operations.len() > 1 && !status.is_success() {
                    let name = format!("{}Response", status.variant_name());
                    let from = format!("{status} response of {} operations", operations.len());
                    offers.push((nodes[0], Offer::new(Rank::SharedStatus, name, from, None)));
                }
            }
            for &n in &nodes {
                for offer in self.offers(n) {
                    offers.push((n, Offer { name: self.type_ident(&offer.name), ..offer }));
                }
            }
        }
        let result = choose(offers);
        self.visiting.remove(&class);
        self.memo.insert(class, result.clone());
        result
    }

    /// The name of whatever stands at `node`: its model type's name, or the best name offered
    /// where it stands.
    fn base(&mut self, node: NodeId) -> Option<String> {
        let node = self.owner(node);
        if is_model_kind(&self.ir.node(node).kind) {
            self.class_name(self.class_of[node.0 as usize]).map(|c| c.name)
        } else {
            let offers = self.offers(node);
            offers
                .into_iter()
                .min_by(|a, b| (a.rank, a.name.len(), &a.name).cmp(&(b.rank, b.name.len(), &b.name)))
                .map(|o| o.name)
        }
    }

    /// Follows nullable wrappers and merged `allOf` parts to the node that stands for them.
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

    /// The names the site `node` offers for what stands there.
    fn offers(&mut self, node: NodeId) -> Vec<Offer> {
        let ir = self.ir;
        let fallback = |name: String, from: String| Offer::new(Rank::Fallback, name, from, None);
        match ir.node(node).hint {
            NameHint::None => Vec::new(),
            NameHint::Overlay(ref name) | NameHint::Component(ref name) => {
                vec![Offer::new(Rank::Component, name.clone(), format!("component {name}"), None)]
            }
            NameHint::Property { parent, ref name } => {
                let Some(base) = self.base(parent) else { return Vec::new() };
                self.holder(naming::camel(name), base, format!("property `{name}`"))
            }
            NameHint::Item { parent } => self.element(parent, "Item", "items"),
            NameHint::MapValue { parent } => self.element(parent, "Value", "map values"),
            NameHint::Variant { parent, index } => {
                let Some(base) = self.base(parent) else { return Vec::new() };
                let mut offers =
                    vec![fallback(format!("{base}Variant{}", index + 1), format!("variant {} of {base}", index + 1))];
                // A tagged union's variant is what its tag value says: `ACCESS_PROFILE` ->
                // `AccessProfile`; an externally tagged one's (`{"explicit": {...}}`), what its
                // one property says.
                let Kind::Union(variants, tag) = &self.ir.node(self.owner(parent)).kind else { return offers };
                let variant = variants.get(index).copied();
                let said = match tag {
                    Some(tag) => tag
                        .values
                        .iter()
                        .find(|(_, v)| Some(*v) == variant)
                        .map(|(value, _)| (value.clone(), format!("`{}: {value}` of {base}", tag.property))),
                    None => variant.and_then(|v| match &self.ir.node(self.owner(v)).kind {
                        Kind::Object(o) if o.additional.is_none() => match o.fields.as_slice() {
                            [only] if only.required => Some((
                                only.name.clone(),
                                format!("the one property `{}` of variant {} of {base}", only.name, index + 1),
                            )),
                            _ => None,
                        },
                        _ => None,
                    }),
                };
                if let Some((word, from)) = said {
                    let local = naming::camel(&word);
                    if !local.is_empty() {
                        offers.push(Offer::new(Rank::Holder, local.clone(), from, Some(qualify(&base, &local))));
                    }
                }
                offers
            }
            NameHint::AllOfPart { merged } => self.offers(merged),
            NameHint::Reused { ref name, ref detail } => {
                vec![Offer::new(Rank::Reused, name.clone(), detail.clone(), None)]
            }
            NameHint::RequestBody { ref operation, method, ref path } => {
                let mut offers = vec![fallback(format!("{operation}Request"), format!("request body of {operation}"))];
                // An array body (a bulk request) is no resource: its items are named below.
                let is_array = matches!(self.ir.node(self.owner(node)).kind, Kind::Array(_));
                if !is_array {
                    offers.extend(resource_offer(path, method, operation, Role::Request));
                }
                offers
            }
            NameHint::Response { ref operation, status, method, ref path } => {
                if status.is_success() {
                    let mut offers =
                        vec![fallback(format!("{operation}Response"), format!("{status} response of {operation}"))];
                    offers.extend(resource_offer(path, method, operation, Role::Response));
                    offers
                } else {
                    let name = format!("{operation}{}", status.variant_name());
                    vec![fallback(name, format!("{status} response of {operation}"))]
                }
            }
            NameHint::Parameter { ref operation, ref name } => {
                self.holder(naming::camel(name), operation.clone(), format!("parameter `{name}`"))
            }
            NameHint::Event { ref operation } => {
                vec![fallback(format!("{operation}Event"), format!("event of {operation}'s stream"))]
            }
            NameHint::Webhook { ref name } => {
                vec![fallback(format!("{}Payload", naming::camel(name)), format!("payload of webhook `{name}`"))]
            }
        }
    }

    /// A name from what holds the value (a property, a parameter): the holder's own name,
    /// qualified by `context` if another type wants it; a generic holder name (`type`, `data`)
    /// only after its context.
    fn holder(&self, local: String, context: String, what: String) -> Vec<Offer> {
        if local.is_empty() {
            return Vec::new();
        }
        let from = format!("{what} of {context}");
        // A short word (`Op`, `Key`, `Hit`) says nothing alone either, and a name the
        // generated code uses itself (`Method`, `Error`) is better qualified than renamed.
        if is_generic(&local) || local.len() <= 4 || naming::is_reserved_type_name(&local) {
            vec![Offer::new(Rank::Holder, qualify(&context, &local), from, None)]
        } else {
            let qualified = Some(qualify(&context, &local));
            vec![Offer::new(Rank::Holder, local, from, qualified)]
        }
    }

    /// The items (`suffix` "Item") or map values ("Value") of the array or map at `parent`:
    /// named from what holds the array, singular (`accounts` -> `Account`); else after the
    /// array's own name.
    fn element(&mut self, parent: NodeId, suffix: &str, what: &str) -> Vec<Offer> {
        let array = self.owner(parent);
        let ir = self.ir;
        // Map values of a plural (`owners`) are each one of them (`Owner`); of anything else,
        // its values (`attributes` -> `Attribute`, `config` -> `ConfigValue`).
        let suffixed = |name: &str| {
            let one = naming::singular(name);
            if suffix == "Value" && one == naming::camel(name) {
                format!("{one}Value")
            } else {
                one
            }
        };
        let mut offers = match ir.node(array).hint {
            NameHint::Property { parent: holder, ref name } => match self.base(holder) {
                Some(context) => self.holder(suffixed(name), context, format!("{what} of `{name}`")),
                None => Vec::new(),
            },
            NameHint::Parameter { ref operation, ref name } => {
                self.holder(suffixed(name), operation.clone(), format!("{what} of `{name}`"))
            }
            NameHint::Response { ref operation, status, method, ref path } if status.is_success() => {
                resource_offer(path, method, operation, Role::Element(suffix)).into_iter().collect()
            }
            NameHint::RequestBody { ref operation, method, ref path } => {
                resource_offer(path, method, operation, Role::Element(suffix)).into_iter().collect()
            }
            _ => Vec::new(),
        };
        if let Some(base) = self.base(parent) {
            offers.push(Offer::new(Rank::Fallback, format!("{base}{suffix}"), format!("{what} of {base}"), None));
        }
        offers
    }
}

/// What a body is to its operation.
#[derive(Clone, Copy)]
enum Role<'s> {
    Request,
    Response,
    /// Its items (`"Item"`) or map values (`"Value"`).
    Element(&'s str),
}

/// The name of the resource a path names (`GET /accounts/{id}` -> `Account`), and one step
/// more specific for when that is taken: the path's segment before, else the noun with what
/// it is to the operation (`AccountRequest`, `AccountItem`). What is posted to an action
/// (`POST /accounts/{id}/unlock`) and what it answers are no resource but the action's request
/// and response: `AccountUnlockRequest`, `AccountUnlockResponse`.
fn resource_offer(path: &str, method: HttpMethod, operation: &str, role: Role) -> Option<Offer> {
    let resource = naming::resource_noun(path);
    if resource.noun.is_empty() {
        return None;
    }
    let suffix = match role {
        Role::Request => "Request",
        Role::Response => "Response",
        Role::Element(suffix) => suffix,
    };
    let from = format!("the resource of {operation}'s path");
    let action = format!("{}{suffix}", resource.noun);
    if resource.action && method == HttpMethod::Post && !matches!(role, Role::Element(_)) && action.len() <= LONGEST {
        return Some(Offer::new(Rank::Resource, action, from, None));
    }
    Some(Offer {
        rank: Rank::Resource,
        qualified: Some(resource.specific.unwrap_or(action)),
        from,
        name: resource.noun,
        read: method == HttpMethod::Get && !matches!(role, Role::Request),
    })
}

/// The best of what the sites offer: the best rank, then the name most sites offer, then the
/// shortest, then the first in order.
fn choose(mut offers: Vec<(NodeId, Offer)>) -> Option<Choice> {
    // Made-up names past 40 characters read as sentences: only when nothing shorter is offered.
    if offers.iter().any(|(_, o)| o.rank >= Rank::Resource && o.name.len() <= LONGEST) {
        offers.retain(|(_, o)| o.rank < Rank::Resource || o.name.len() <= LONGEST);
    }
    for (_, o) in &mut offers {
        o.qualified = o.qualified.take().filter(|q| q.len() <= LONGEST);
    }
    // A path's resource and a holder's name compete on votes.
    let tier = |rank: Rank| if rank == Rank::Resource { Rank::Holder } else { rank };
    let best_rank = offers.iter().map(|(_, o)| tier(o.rank)).min()?;
    /// What the sites say of one name.
    #[derive(Default)]
    struct Tally<'o> {
        sites: BTreeSet<NodeId>,
        froms: BTreeSet<&'o str>,
        /// Its more specific forms, with their votes.
        qualified: BTreeMap<&'o str, usize>,
        /// The best rank it was offered with.
        rank: Option<Rank>,
        read: bool,
    }
    let mut tally: BTreeMap<&str, Tally> = BTreeMap::new();
    for (node, offer) in offers.iter().filter(|(_, o)| tier(o.rank) == best_rank) {
        let entry = tally.entry(offer.name.as_str()).or_default();
        entry.rank = Some(entry.rank.map_or(offer.rank, |r| r.min(offer.rank)));
        entry.sites.insert(*node);
        entry.froms.insert(offer.from.as_str());
        entry.read |= offer.read;
        if let Some(q) = &offer.qualified {
            *entry.qualified.entry(q.as_str()).or_default() += 1;
        }
    }
    fn key<'n>((name, t): &(&'n str, Tally)) -> (std::cmp::Reverse<usize>, usize, &'n str) {
        (std::cmp::Reverse(t.sites.len()), name.len(), name)
    }
    let (name, Tally { sites, froms, qualified: qualifiers, rank, read }) =
        tally.into_iter().min_by(|a, b| key(a).cmp(&key(b)))?;
    let qualified = qualifiers
        .into_iter()
        .min_by(|a, b| (std::cmp::Reverse(a.1), a.0.len(), a.0).cmp(&(std::cmp::Reverse(b.1), b.0.len(), b.0)))
        .map(|(q, _)| naming::type_ident(q));
    let source = match best_rank {
        Rank::Overlay => NameSource::Overlay,
        Rank::Component => NameSource::Component,
        Rank::Title => NameSource::Title,
        _ => NameSource::Derived(froms.into_iter().next().unwrap_or_default().to_string()),
    };
    Some(Choice {
        name: name.to_string(),
        source,
        rank: rank.unwrap_or(best_rank),
        votes: sites.len(),
        read,
        qualified,
    })
}
