//! SailPoint's real specs (../shared/specs), bundled and fully inlined: every operation
//! generates, one type per shape, names that survive regeneration, and crates that compile
//! without warnings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use quote::ToTokens;
use sdkgen_tests::{assert_builds_cleanly, full_options, generate, shared_specs, FULL_CRATES};

/// The items of a generated Rust file, with those a runtime macro wraps (`object! { pub struct
/// .. }`) taken out of it: what the compiler sees after expanding it, as far as names and
/// fields go, the macro's attributes moved onto the structs it defines.
fn items_of(text: &str) -> Vec<syn::Item> {
    let file = syn::parse_file(text).expect("generated Rust parses");
    file.items
        .into_iter()
        .flat_map(|item| match item {
            syn::Item::Macro(m) if m.ident.is_none() && matches!(m.mac.delimiter, syn::MacroDelimiter::Brace(_)) => {
                match syn::parse2::<syn::File>(m.mac.tokens.clone()) {
                    // The macro's own attributes (its `cfg`) go with what it defines.
                    Ok(inner) => inner
                        .items
                        .into_iter()
                        .map(|mut item| {
                            if let syn::Item::Struct(s) = &mut item {
                                s.attrs.splice(0..0, m.attrs.iter().cloned());
                            }
                            item
                        })
                        .collect(),
                    Err(_) => vec![syn::Item::Macro(m)],
                }
            }
            item => vec![item],
        })
        .collect()
}

fn models_rs(generated: &sdkgen::Generated) -> &str {
    &generated.files.iter().find(|f| f.path == "src/models.rs").expect("models.rs").text
}

/// The shape of each model type as the generated code has it: struct fields (wire name and
/// Rust type), enum values, or union variant types. Two types with one shape are a failure of
/// folding, whatever the generator's own bookkeeping says.
fn shapes_in(code: &str) -> BTreeMap<String, Vec<String>> {
    // `#[json("wire", mode)]`: the key and how the field is sent.
    let json = |attrs: &[syn::Attribute]| {
        attrs.iter().filter(|a| a.path().is_ident("json")).find_map(|a| {
            let text = a.to_token_stream().to_string();
            let start = text.find('"')? + 1;
            let end = start + text[start..].find('"')?;
            Some((text[start..end].to_string(), text[end..].contains("optional")))
        })
    };
    let mut shapes = BTreeMap::new();
    for item in items_of(code) {
        let (name, mut shape) = match item {
            syn::Item::Struct(s) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .map(|f| {
                        // An `Option` left out when `None`, or sent as `null` (a required field
                        // that may be null): not the same on the wire.
                        let (wire, left_out) =
                            json(&f.attrs).unwrap_or_else(|| (f.ident.as_ref().expect("named").to_string(), false));
                        format!(
                            "field {wire}: {} {}",
                            f.ty.to_token_stream(),
                            if left_out { "left out when None" } else { "" }
                        )
                    })
                    .collect();
                (s.ident.to_string(), fields)
            }
            syn::Item::Enum(e) => {
                let untagged = e.attrs.iter().any(|a| a.to_token_stream().to_string().contains("untagged"));
                let variants: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| {
                        if untagged {
                            format!("variant {}", v.fields.to_token_stream())
                        } else if !v.fields.is_empty() {
                            "catch-all".to_string()
                        } else {
                            // Each value variant is documented with its value: `ACTIVE`.
                            let doc = v.attrs.iter().find(|a| a.path().is_ident("doc")).expect("documented");
                            format!("value {}", doc.to_token_stream())
                        }
                    })
                    .collect();
                (e.ident.to_string(), variants)
            }
            _ => continue,
        };
        shape.sort();
        shapes.insert(name, shape);
    }
    shapes
}

fn spec_operation_count(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).expect("readable");
    let doc: serde_json::Value = serde_yaml::from_str(&text).expect("YAML or JSON");
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| methods.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

#[test]
fn every_operation_generates_and_no_two_model_types_share_a_shape() {
    let Some(dir) = shared_specs("every_operation_generates_and_no_two_model_types_share_a_shape") else { return };
    for (name, files) in FULL_CRATES {
        let generated = generate(&full_options(&dir, name, files));
        let report = &generated.report;
        assert!(report.skipped.is_empty(), "{name}: skipped {:#?}", report.skipped);
        let expected: usize = files.iter().map(|f| spec_operation_count(&dir.join(f))).sum();
        assert_eq!(report.operations.len(), expected, "{name}: every operation is generated");

        let shapes = shapes_in(models_rs(&generated));
        assert_eq!(shapes.len(), report.types, "{name}: the report counts what models.rs defines");
        let mut by_shape: BTreeMap<&Vec<String>, Vec<&str>> = BTreeMap::new();
        for (type_name, shape) in &shapes {
            by_shape.entry(shape).or_default().push(type_name);
        }
        let duplicates: Vec<_> = by_shape.values().filter(|names| names.len() > 1).collect();
        assert!(duplicates.is_empty(), "{name}: structurally identical model types: {duplicates:?}");
    }
}

#[test]
fn inlined_specs_give_no_more_model_types_than_bundled_ones() {
    let Some(dir) = shared_specs("inlined_specs_give_no_more_model_types_than_bundled_ones") else { return };
    for api in ["v3", "beta"] {
        let count = |file: String| generate(&full_options(&dir, "c", &[file.as_str()])).report.types;
        let bundled = count(format!("sailpoint-{api}.yaml"));
        let inlined = count(format!("sailpoint-{api}.inlined.json"));
        assert!(inlined <= bundled, "{api}: {inlined} types from the inlined file, {bundled} from the bundled one");
    }
}

/// Regeneration must not rename a type whose uses did not change: generate each spec with only
/// every other path, and compare the names of types standing at exactly the same sites. The one
/// exception is a name two shapes want (`Index`, `Index2`): the number moves when one of them
/// goes away. The same paths in reverse order give exactly the same types.
#[test]
fn removing_unrelated_operations_renames_no_type() {
    let Some(dir) = shared_specs("removing_unrelated_operations_renames_no_type") else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    for file in ["sailpoint-v3.yaml", "sailpoint-v3.inlined.json", "sailpoint-beta.inlined.json"] {
        let full = generate(&full_options(&dir, "c", &[file])).report;
        let text = std::fs::read_to_string(dir.join(file)).expect("readable");
        let doc: serde_json::Value = serde_yaml::from_str(&text).expect("YAML or JSON");
        let mut reversed = doc.clone();
        let paths = reversed["paths"].as_object_mut().expect("paths");
        *paths = paths.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
        let reversed_path = tmp.path().join("reversed").join(file);
        std::fs::create_dir_all(reversed_path.parent().unwrap()).unwrap();
        std::fs::write(&reversed_path, serde_json::to_string(&reversed).unwrap()).unwrap();
        let reversed = generate(&sdkgen_tests::options_for(&reversed_path)).report;
        let names_and_sites = |r: &sdkgen::report::Report| {
            r.model_types.iter().map(|t| (t.name.clone(), t.sites.clone())).collect::<Vec<_>>()
        };
        assert_eq!(names_and_sites(&reversed), names_and_sites(&full), "{file}: the order of paths changes no name");

        for keep in [0, 1] {
            let mut reduced = doc.clone();
            let paths = reduced["paths"].as_object_mut().expect("paths");
            let kept: serde_json::Map<String, serde_json::Value> = paths
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 2 == keep)
                .map(|(_, (k, v))| (k.clone(), v.clone()))
                .collect();
            *paths = kept;
            // The same file name, so that sites compare equal.
            let reduced_path = tmp.path().join(format!("{keep}")).join(file);
            std::fs::create_dir_all(reduced_path.parent().unwrap()).unwrap();
            std::fs::write(&reduced_path, serde_json::to_string(&reduced).unwrap()).unwrap();
            let part = generate(&sdkgen_tests::options_for(&reduced_path)).report;

            let by_sites: BTreeMap<BTreeSet<String>, &str> = full
                .model_types
                .iter()
                .map(|t| (t.sites.iter().map(|s| s.to_string()).collect(), t.name.as_str()))
                .collect();
            let mut compared = 0;
            for t in &part.model_types {
                let sites: BTreeSet<String> = t.sites.iter().map(|s| s.to_string()).collect();
                let Some(&before) = by_sites.get(&sites) else { continue };
                compared += 1;
                // A type whose sites did not change keeps its name, but for the one step it
                // grows, or a number, while another type wants the same name: that one may
                // come or go with the operations removed.
                let base = |n: &str| n.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_').to_string();
                let (a, b) = (base(before), base(&t.name));
                let one_step = a.starts_with(&b) || a.ends_with(&b) || b.starts_with(&a) || b.ends_with(&a);
                assert!(
                    before == t.name || one_step,
                    "{file}: `{before}` became `{}` though its sites did not change",
                    t.name
                );
            }
            assert!(compared > 100, "{file}: only {compared} types compared");
        }
    }
}

/// The V3 crates' list of model types: name, kind, where the name came from and the first site.
#[test]
fn full_v3_type_lists() {
    let Some(dir) = shared_specs("full_v3_type_lists") else { return };
    for file in ["sailpoint-v3.yaml", "sailpoint-v3.inlined.json"] {
        let report = generate(&full_options(&dir, "sailpoint-v3", &[file])).report;
        let list: String = report
            .model_types
            .iter()
            .map(|t| {
                let source = serde_json::to_value(&t.name_source).unwrap();
                let from = source["from"].as_str().unwrap().to_string();
                format!("{} {} ({from}) {} [{} sites]\n", t.name, t.kind, t.sites[0].pointer, t.sites.len())
            })
            .collect();
        insta::assert_snapshot!(format!("full_v3_types@{file}"), list);
    }
}

/// A handful of representative items of the inlined V3 crate: the shared error body and
/// object reference, a JSON Patch operation, a oneOf, and operations that list with query
/// parameters (its call, sent and as a stream of pages), patch, upload a file and download text.
#[test]
fn full_v3_representative_items() {
    let Some(dir) = shared_specs("full_v3_representative_items") else { return };
    let generated = generate(&full_options(&dir, "sailpoint-v3", &["sailpoint-v3.inlined.json"]));
    let pick = |path: &str, wanted: &[&str]| -> String {
        let text = &generated.files.iter().find(|f| f.path == path).expect("file").text;
        let mut out = String::new();
        let mut found = BTreeSet::new();
        let mut push = |name: String, item: syn::Item| {
            if wanted.contains(&name.as_str()) && found.insert(name) {
                out.push_str(&laid_out(item));
                out.push('\n');
            }
        };
        for item in items_of(text) {
            match &item {
                syn::Item::Struct(s) => push(s.ident.to_string(), item.clone()),
                syn::Item::Enum(e) => push(e.ident.to_string(), item.clone()),
                syn::Item::Type(t) => push(t.ident.to_string(), item.clone()),
                // A method of the client by its name, a call's as `Type::method`.
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let self_ty = &i.self_ty;
                    let owner = self_ty.to_token_stream().to_string();
                    let owner = owner.split_whitespace().next().unwrap_or_default().to_string();
                    for f in &i.items {
                        if let syn::ImplItem::Fn(f) = f {
                            let mut f = f.clone();
                            f.attrs.retain(|a| !a.path().is_ident("doc"));
                            let name = if owner == "Client" {
                                f.sig.ident.to_string()
                            } else {
                                format!("{owner}::{}", f.sig.ident)
                            };
                            let generics = &i.generics;
                            push(name, syn::parse_quote!(impl #generics #self_ty { #f }));
                        }
                    }
                }
                _ => {}
            }
        }
        assert_eq!(found.len(), wanted.len(), "found {found:?} of {wanted:?}");
        out
    };
    let models =
        pick("src/models.rs", &["ErrorResponseDto", "OwnerDto", "JsonPatchOperation", "JsonPatchOperationValue"]);
    let api = pick(
        "src/sailpoint_v3_inlined.rs",
        &[
            "list_accounts",
            "ListAccountsBuilder",
            "ListAccountsError",
            "ListAccountsBuilder::send",
            "ListAccountsBuilder::stream",
            "patch_service_desk_integration",
            "PatchServiceDeskIntegrationBuilder::send",
            "ImportAccountsSchemaBuilder::send",
            "GetPasswordDictionaryBuilder::send",
        ],
    );
    insta::assert_snapshot!("full_v3_representative_items", format!("{models}\n{api}"));
}

/// One item as the generator lays out code (see `sdkgen::format::unparse`).
fn laid_out(item: syn::Item) -> String {
    sdkgen::format::unparse(syn::File { shebang: None, attrs: vec![], items: vec![item] })
}

/// The full crates pass clippy with warnings denied. The bundled V3 and Beta crates each on
/// their own are built with clippy's lints by `tests/full_client.rs`, which runs their tests,
/// and SailPoint's multi-file trees (much the same crates) by `tests/corpus.rs`; what is left
/// is both APIs in one crate, from the inlined files: one crate for the two forms not
/// covered there.
#[test]
fn full_crates_compile_without_warnings() {
    let Some(dir) = shared_specs("full_crates_compile_without_warnings") else { return };
    let (name, files) = FULL_CRATES.iter().find(|(name, _)| *name == "v3-and-beta-inlined").expect("listed");
    assert_builds_cleanly(&full_options(&dir, name, files), name);
}
