//! The public API of the crate as data (`api.json`), for `--changes` to compare with the next
//! crate: read from the model, spelled as the generated code spells it.

use super::api::{body_arg, events_item, param_arg, success_type_text};
use super::models::field_type;
use super::syntax::{type_source, type_text};
use crate::normalize::{Model, Shape, TypeId};
use crate::surface::{FieldSurface, OperationSurface, ParamSurface, Surface, TypeSurface};

/// The crate's public API.
pub fn surface(model: &Model, crate_name: &str, version: &str) -> Surface {
    let mut operations = Vec::new();
    for (a, api) in model.ir.apis.iter().enumerate() {
        for (o, op) in api.operations.iter().enumerate() {
            let plan = model.operation(a, o);
            let params: Vec<ParamSurface> = plan
                .ordered(op)
                .iter()
                .map(|p| ParamSurface {
                    name: p.name.clone(),
                    ty: type_text(param_arg(model, p)),
                    required: p.required,
                })
                .collect();
            let body = op.body.as_ref().map(|b| type_text(body_arg(model, b).source(model, None)));
            operations.push(OperationSurface {
                module: api.module.clone(),
                id: op.id.clone(),
                method: plan.names.method.clone(),
                http: format!("{} {}", op.method.as_upper(), op.path),
                // Every method returns a call (see emit::api::operation).
                builder: true,
                params,
                body,
                returns: success_type_text(model, &plan.names.types, &plan.success),
                errors: op.errors().map(|r| r.status.to_string()).collect(),
                errors_non_exhaustive: true,
                stream: plan.pagination.is_some(),
                stream_on_call: true,
                headers: plan.headers.iter().map(|h| h.name.clone()).collect(),
                events: plan.stream.as_ref().map(|s| type_text(events_item(model, s, ""))),
            });
        }
    }
    operations.sort_by(|a, b| (&a.module, &a.id).cmp(&(&b.module, &b.id)));
    let mut types: Vec<TypeSurface> = model
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (kind, fields, values) = match &t.shape {
                Shape::Struct { fields, additional } => {
                    let mut out: Vec<FieldSurface> = fields
                        .iter()
                        .map(|f| {
                            let (ty, optional) = field_type(model, TypeId(i as u32), f);
                            let ty = if optional { format!("Option<{ty}>") } else { ty };
                            FieldSurface { name: f.name.clone(), ty: type_text(ty) }
                        })
                        .collect();
                    if let Some(node) = additional {
                        let ty = type_text(type_source(model, &model.rust_type(*node), ""));
                        out.push(FieldSurface {
                            name: "(additional properties)".into(),
                            ty: format!("HashMap<String,{ty}>"),
                        });
                    }
                    ("struct", out, Vec::new())
                }
                Shape::Enum { values } => ("enum", Vec::new(), values.clone()),
                Shape::Union { variants, .. } => {
                    let variants =
                        variants.iter().map(|&v| type_text(type_source(model, &model.rust_type(v), ""))).collect();
                    ("union", Vec::new(), variants)
                }
            };
            // Every model type is `#[non_exhaustive]` (see emit::models).
            TypeSurface { name: t.name.clone(), kind: kind.into(), non_exhaustive: true, fields, values }
        })
        .collect();
    types.extend(model.aliases.iter().map(|a| TypeSurface {
        name: a.name.clone(),
        kind: "alias".into(),
        non_exhaustive: false,
        fields: Vec::new(),
        values: vec![a.target.clone()],
    }));
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Surface { crate_name: crate_name.to_string(), version: version.to_string(), operations, types }
}
