//! Normalize on small hand-made IRs: which nodes fold, what the folded types are called, which
//! fields are boxed, and what operations return.

use super::*;
use crate::pointer::JsonPointer;

/// An IR under construction: one API with operations whose 200 bodies are given nodes.
#[derive(Default)]
struct Builder {
    ir: Ir,
}

impl Builder {
    fn node(&mut self, kind: Kind, hint: NameHint) -> NodeId {
        self.node_with(kind, hint, Docs::default())
    }

    fn node_with(&mut self, kind: Kind, hint: NameHint, docs: Docs) -> NodeId {
        let id = NodeId(self.ir.schemas.len() as u32);
        let pointer = JsonPointer::root().push("n").push(id.0.to_string());
        let site = Site { file: "t.yaml".into(), pointer };
        self.ir.schemas.push(SchemaNode { kind, docs, site, hint, facts: None });
        id
    }

    fn string(&mut self) -> NodeId {
        self.node(Kind::String(StringFormat::Plain), NameHint::None)
    }

    fn object(&mut self, fields: &[(&str, NodeId, bool)], hint: NameHint) -> NodeId {
        let fields = fields
            .iter()
            .map(|&(name, node, required)| Field { name: name.into(), node, required, one_way: false })
            .collect();
        self.node(Kind::Object(Object { fields, additional: None }), hint)
    }

    /// An operation `GET /{id}` answering 200 with `body`, and its parameters.
    fn operation(&mut self, id: &str, responses: Vec<(u16, ResponseBody)>, parameters: Vec<Parameter>) {
        if self.ir.apis.is_empty() {
            self.ir.apis.push(Api {
                module: "api".into(),
                title: "T".into(),
                version: "1".into(),
                description: None,
                server: None,
                token: None,
                schemes: Vec::new(),
                operations: Vec::new(),
                skipped: Vec::new(),
                webhooks: Vec::new(),
            });
        }
        let responses = responses
            .into_iter()
            .map(|(status, body)| Response {
                status: Status::Code(status),
                description: String::new(),
                body,
                examples: Vec::new(),
                headers: Vec::new(),
                stream: None,
            })
            .collect();
        self.ir.apis[0].operations.push(Operation {
            id: id.into(),
            method: HttpMethod::Get,
            path: format!("/{id}"),
            site: Site { file: "t.yaml".into(), pointer: JsonPointer::root() },
            summary: None,
            description: None,
            deprecated: false,
            tags: Vec::new(),
            parameters,
            body: None,
            responses,
            security: Vec::new(),
            dropshot_pagination: false,
        });
    }

    fn normalize(self) -> Model {
        normalize(self.ir)
    }
}

fn query(name: &str, schema: NodeId) -> Parameter {
    Parameter {
        name: name.into(),
        location: ParamLocation::Query,
        required: false,
        description: None,
        schema,
        serialization: crate::ir::Serialization::default_for(ParamLocation::Query),
        part: None,
    }
}

fn component(name: &str) -> NameHint {
    NameHint::Component(name.into())
}

#[test]
fn equal_shapes_fold_whatever_their_documentation_and_property_order() {
    let mut b = Builder::default();
    let (s1, s2) = (b.string(), b.string());
    let docs = Docs { title: None, description: Some("Described".into()), deprecated: true };
    let a = b.object(&[("id", s1, true), ("name", s2, false)], NameHint::None);
    let (s3, s4) = (b.string(), b.string());
    let other = b.node_with(
        Kind::Object(Object {
            fields: vec![
                Field { name: "name".into(), node: s3, required: false, one_way: false },
                Field { name: "id".into(), node: s4, required: true, one_way: false },
            ],
            additional: None,
        }),
        component("Thing"),
        docs,
    );
    b.operation("getA", vec![(200, ResponseBody::Json(a))], vec![]);
    b.operation("getB", vec![(200, ResponseBody::Json(other))], vec![]);
    let model = b.normalize();
    assert_eq!(model.types.len(), 1);
    assert_eq!(model.type_of(a), model.type_of(other));
    assert_eq!(model.types[0].name, "Thing", "the component's name wins over a derived one");
    assert_eq!(model.types[0].sites.len(), 2);
}

#[test]
fn optional_required_and_required_but_nullable_fields_are_three_shapes() {
    // An optional field is left out when it has no value; a required one that may be null is
    // sent as `null`: not the same field on the wire, so not the same shape.
    let mut b = Builder::default();
    let s = b.string();
    let optional = b.object(&[("id", s, false)], component("A"));
    let inner = b.string();
    let nullable = b.node(Kind::Nullable(inner), NameHint::None);
    let required_nullable = b.object(&[("id", nullable, true)], component("B"));
    let s2 = b.string();
    let required = b.object(&[("id", s2, true)], component("C"));
    let s3 = b.string();
    let optional_again = b.object(&[("id", s3, false)], component("D"));
    for (i, node) in [optional, required_nullable, required, optional_again].into_iter().enumerate() {
        b.operation(&format!("op{i}"), vec![(200, ResponseBody::Json(node))], vec![]);
    }
    let model = b.normalize();
    assert_ne!(model.type_of(optional), model.type_of(required_nullable));
    assert_ne!(model.type_of(optional), model.type_of(required));
    assert_eq!(model.type_of(optional), model.type_of(optional_again));
    assert_eq!(model.types.len(), 3);
    // The other component name of a folded shape becomes an alias.
    assert_eq!(model.aliases.len(), 1, "{:?}", model.aliases);
}

#[test]
fn recursive_shapes_fold_and_direct_cycles_are_boxed() {
    // Node { next: Node? } written twice, and a list of children (no box needed through Vec).
    let mut b = Builder::default();
    let make = |b: &mut Builder| {
        let placeholder = b.node(Kind::Any, NameHint::None);
        let next = b.node(Kind::Nullable(placeholder), NameHint::None);
        let children = b.node(Kind::Array(placeholder), NameHint::None);
        let node = b.object(&[("next", next, false), ("children", children, false)], NameHint::None);
        // Tie the knot: the placeholder is the node itself.
        b.ir.schemas[placeholder.0 as usize].kind = b.ir.schemas[node.0 as usize].kind.clone();
        b.ir.schemas[placeholder.0 as usize].hint = component("Node");
        (node, next, children)
    };
    let (first, next, children) = make(&mut b);
    let (second, _, _) = make(&mut b);
    b.operation("a", vec![(200, ResponseBody::Json(first))], vec![]);
    b.operation("b", vec![(200, ResponseBody::Json(second))], vec![]);
    let model = b.normalize();
    assert_eq!(model.types.len(), 1, "{:?}", model.types.iter().map(|t| &t.name).collect::<Vec<_>>());
    let owner = model.type_of(first).unwrap();
    assert_eq!(model.type_of(second), Some(owner));
    let (held, nullable) = model.unwrap_nullable(next);
    assert!(nullable);
    assert!(model.needs_box(owner, held), "a field holding its own type is boxed");
    assert!(!model.needs_box(owner, children), "a Vec already has a size");
}

#[test]
fn names_collide_into_numbered_names_by_first_site() {
    let mut b = Builder::default();
    let s = b.string();
    let a = b.object(&[("a", s, true)], NameHint::None);
    let s2 = b.string();
    let c = b.object(&[("c", s2, true)], NameHint::None);
    for node in [a, c] {
        b.ir.schemas[node.0 as usize].docs.title = Some("Same".into());
    }
    b.operation("x", vec![(200, ResponseBody::Json(a))], vec![]);
    b.operation("y", vec![(200, ResponseBody::Json(c))], vec![]);
    let model = b.normalize();
    let names: Vec<&str> = model.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Same", "Same2"]);
    assert_eq!(model.type_def(model.type_of(a).unwrap()).name, "Same", "the first site keeps the name");
}

#[test]
fn what_operations_return_and_how_they_list() {
    let mut b = Builder::default();
    let s = b.string();
    let item = b.object(&[("id", s, true)], component("Item"));
    let list = b.node(Kind::Array(item), NameHint::None);
    let limit = b.node(Kind::Integer(IntegerFormat::Int32), NameHint::None);
    let offset = b.node(Kind::Integer(IntegerFormat::Int64), NameHint::None);
    b.operation("list", vec![(200, ResponseBody::Json(list))], vec![query("limit", limit), query("offset", offset)]);
    b.operation("maybe", vec![(200, ResponseBody::Json(item)), (204, ResponseBody::None)], vec![]);
    let other = b.node(Kind::Boolean, NameHint::None);
    b.operation("mixed", vec![(200, ResponseBody::Json(item)), (201, ResponseBody::Json(other))], vec![]);
    b.operation("text", vec![(200, ResponseBody::Text), (204, ResponseBody::None)], vec![]);
    b.operation("nothing", vec![(204, ResponseBody::None)], vec![]);
    let model = b.normalize();
    let item_type = RustType::Model(model.type_of(item).unwrap());
    let list_plan = model.operation(0, 0);
    assert_eq!(list_plan.success, Success::Json(RustType::Vec(Box::new(item_type.clone()))));
    let style = PageStyle::Offset {
        limit: RustType::I32,
        offset: RustType::I64,
        total: None,
        ask_count: false,
        envelope: None,
        at: OffsetIn::Query,
    };
    let expected = Pagination { item: item_type.clone(), style };
    assert_eq!(list_plan.pagination, Some(expected));
    assert_eq!(model.operation(0, 1).success, Success::OptionalJson(item_type.clone()));
    let by_status = Success::ByStatus(vec![
        SuccessCase { status: Status::Code(200), body: CaseBody::Json(item_type.clone()) },
        SuccessCase { status: Status::Code(201), body: CaseBody::Json(RustType::Bool) },
    ]);
    assert_eq!(model.operation(0, 2).success, by_status);
    assert_eq!(model.operation(0, 3).success, Success::Text);
    assert_eq!(model.operation(0, 4).success, Success::Unit);
    assert!(item_type.mentions_model() && !RustType::I64.mentions_model());
}
