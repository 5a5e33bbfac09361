//! Documentation pages as input: each form of page is read, pages sharing a server become one
//! API, bad pages give errors that name them, and the seed pages generate the very crate that
//! specs/ does.

use std::path::{Path, PathBuf};

use sdkgen_tests::{generate, repo_root, seed_options, shared_specs};

fn fixtures() -> std::path::PathBuf {
    repo_root().join("tests").join("fixtures")
}

/// One snapshot of the assembled documents per folder of `fixtures/pages/`: a page with
/// multi-line front matter, one flattened onto one line, one compressed, a folder of pages
/// for two APIs, pages whose first has `securitySchemes: null` and a later one an object, and
/// recursive schemas written as `"circular(Name)"` (one enclosed by the schema it names, one
/// named on another page, one nowhere: a warning).
#[test]
fn page_forms_assemble_into_openapi_documents() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixtures().join("pages")).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    assert_eq!(dirs.len(), 6);
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let assembled = sdkgen::assemble_pages(std::slice::from_ref(&dir)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text: String = assembled.iter().map(|s| format!("# ---- {}\n{}", s.file_name, s.to_yaml())).collect();
        insta::assert_snapshot!(format!("assembled_spec@{name}"), text);
        // And they generate a crate.
        let options =
            sdkgen::Options { specs: vec![dir], names: None, crate_name: "pages".into(), ..Default::default() };
        assert!(!generate(&options).report.operations.is_empty(), "{name}");
    }
}

#[test]
fn a_folder_with_two_servers_becomes_two_api_modules() {
    let options = sdkgen::Options {
        specs: vec![fixtures().join("pages/two-apis")],
        names: None,
        crate_name: "pages".into(),
        ..Default::default()
    };
    let generated = generate(&options);
    let modules: Vec<&str> =
        generated.files.iter().map(|f| f.path.as_str()).filter(|p| p.starts_with("src/v")).collect();
    assert_eq!(modules, ["src/v1.rs", "src/v2.rs"]);
    assert_eq!(generated.report.operations.len(), 3);
}

fn message(path: &Path) -> String {
    let err = sdkgen::assemble_pages(&[path.to_path_buf()]).expect_err("an error");
    let text = err.to_string();
    assert!(text.contains(&*path.display().to_string()), "the message names the page: {text}");
    text.replace(&*path.display().to_string(), &path.file_name().unwrap().to_string_lossy())
}

#[test]
fn bad_pages_give_errors_that_name_the_page() {
    insta::glob!("fixtures/bad-pages/*.md", |path| {
        insta::assert_snapshot!("bad_page_message", message(path));
    });
    let conflict = fixtures().join("conflicting-pages");
    let err = sdkgen::assemble_pages(std::slice::from_ref(&conflict)).expect_err("an error").to_string();
    assert!(err.contains("b.md") && err.contains("a.md") && err.contains("getThing"), "{err}");
}

#[test]
fn emitted_specs_generate_the_same_crate_as_the_pages() {
    let dir = tempfile::tempdir().unwrap();
    let pages = fixtures().join("pages/two-apis");
    let args = ["--spec", &pages.display().to_string(), "--emit-spec", &dir.path().display().to_string()];
    assert_eq!(sdkgen::cli::run(args.map(String::from), None), 0);
    let mut emitted: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    emitted.sort();
    let names: Vec<_> = emitted.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["v1.yaml", "v2.yaml"]);
    let from_pages =
        generate(&sdkgen::Options { specs: vec![pages], names: None, crate_name: "c".into(), ..Default::default() });
    let from_specs =
        generate(&sdkgen::Options { specs: emitted, names: None, crate_name: "c".into(), ..Default::default() });
    assert_eq!(from_pages.files, from_specs.files);
}

/// specs/ is provably what the seed pages say: both generate the same bytes.
#[test]
fn the_seed_pages_generate_the_same_crate_as_specs() {
    let Some(shared) = shared_specs("the_seed_pages_generate_the_same_crate_as_specs") else { return };
    let seeds = shared.parent().unwrap().join("seeds");
    let mut from_pages = seed_options();
    from_pages.specs = vec![seeds];
    let pages = generate(&from_pages);
    let specs = generate(&seed_options());
    assert_eq!(pages.files.len(), specs.files.len());
    for (a, b) in pages.files.iter().zip(&specs.files) {
        assert_eq!(a.path, b.path);
        assert!(a.text == b.text, "{} differs between the pages and specs/", a.path);
    }
}

/// What docusaurus-openapi-docs writes for a spec: one page per operation, its `$ref`s
/// dereferenced, each component schema titled with its name when it has no title, and a
/// schema met again inside itself written as `"circular(Title)"` (as its serializer does).
fn docusaurus_pages(spec: &serde_json::Value, dir: &Path) -> usize {
    use serde_json::{json, Value};
    fn deref(value: &Value, doc: &Value, chain: &mut Vec<String>) -> Value {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let pointer = reference.strip_prefix('#').expect("local references");
                    let mut target = doc.pointer(pointer).cloned().unwrap_or(json!({}));
                    let component = pointer.strip_prefix("/components/schemas/");
                    if let (Some(name), Value::Object(schema)) = (component, &mut target) {
                        schema.entry("title").or_insert_with(|| json!(name));
                    }
                    if chain.iter().any(|r| r == reference) {
                        let title = target.get("title").and_then(Value::as_str).unwrap_or("");
                        return json!(format!("circular({title})"));
                    }
                    chain.push(reference.clone());
                    let resolved = deref(&target, doc, chain);
                    chain.pop();
                    return resolved;
                }
                Value::Object(map.iter().map(|(k, v)| (k.clone(), deref(v, doc, chain))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| deref(v, doc, chain)).collect()),
            other => other.clone(),
        }
    }
    let mut written = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
        for (method, op) in item.as_object().expect("a path item").iter().filter(|(m, _)| methods.contains(&m.as_str()))
        {
            let mut api = deref(op, spec, &mut Vec::new());
            // The path item's parameters, as the plugin gives them: with the operation's.
            if let Some(Value::Array(shared)) = item.get("parameters").map(|p| deref(p, spec, &mut Vec::new())) {
                let own = api["parameters"].as_array().cloned().unwrap_or_default();
                api["parameters"] = Value::Array(shared.into_iter().chain(own).collect());
            }
            api["method"] = json!(method);
            api["path"] = json!(path);
            api["servers"] = spec["servers"].clone();
            api["info"] = spec["info"].clone();
            api["securitySchemes"] = spec["components"]["securitySchemes"].clone();
            let id = api["operationId"].as_str().expect("an operationId").to_string();
            let page = format!("---\nid: {id}\nsidebar_label: {id}\napi: {api}\n---\n\n# {id}\n");
            std::fs::write(dir.join(format!("{id}.api.mdx")), page).unwrap();
            written += 1;
        }
    }
    written
}

/// Pages made from a spec with recursive schemas the way docusaurus-openapi-docs makes them
/// generate the spec's model types, recursive as the spec wrote them: the same types, fields
/// and `Box`es (only the type docs differ, the plugin's titles documenting them), and at
/// Keycloak's scale the same recursion.
#[test]
fn pages_with_circular_placeholders_give_the_specs_recursive_types() {
    // The fixture's one placeholder that names no schema of the pages: a warning naming the
    // page and where the value stands.
    let fixture = sdkgen::Options {
        specs: vec![fixtures().join("pages/circular")],
        crate_name: "c".into(),
        ..Default::default()
    };
    let warnings: Vec<String> =
        generate(&fixture).report.warnings.iter().map(|w| format!("{}: {}", w.site, w.message)).collect();
    assert_eq!(
        warnings,
        [
            "v1.yaml#/paths/~1graph/get/responses/200/content/application~1json/schema/properties/extra: \
          `circular(Nowhere)` in get-graph.md: no schema of the pages is titled `Nowhere`; the value is any JSON value"
        ]
    );
    let mut specs = vec![(fixtures().join("recursive.yaml"), true), (fixtures().join("allof-recursion.yaml"), true)];
    // At scale: Keycloak's admin API, whose pages carry 284 placeholders.
    if let Some(corpus) = sdkgen_tests::shared_folder("pages_with_circular_placeholders", "corpus") {
        specs.push((corpus.join("keycloak.json"), false));
    }
    for (spec_path, exact) in specs {
        let fixture = spec_path.file_name().unwrap().to_string_lossy().into_owned();
        let spec: serde_json::Value = serde_yaml::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pages = docusaurus_pages(&spec, dir.path());
        let text = std::fs::read_dir(dir.path()).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap());
        let placeholders: usize = text.map(|t| t.matches("circular(").count()).sum();
        let options =
            |spec: PathBuf| sdkgen::Options { specs: vec![spec], crate_name: "c".into(), ..Default::default() };
        let from_pages = generate(&options(dir.path().to_path_buf()));
        let from_spec = generate(&options(spec_path));
        let models = |g: &sdkgen::Generated| {
            let text = &g.files.iter().find(|f| f.path == "src/models.rs").expect("models").text;
            let code: Vec<&str> =
                text.lines().filter(|l| !l.trim_start().starts_with("///") && !l.starts_with("//")).collect();
            code.join("\n")
        };
        assert!(pages > 0 && placeholders > 0, "{fixture}: {pages} pages, {placeholders} placeholders");
        // No warning of its own: the spec's defects (Keycloak's arrays without `items`) only.
        let kinds = |g: &sdkgen::Generated| {
            g.report.warnings.iter().map(|w| w.message.clone()).collect::<std::collections::BTreeSet<_>>()
        };
        let new: Vec<String> = kinds(&from_pages).difference(&kinds(&from_spec)).cloned().collect();
        assert!(new.is_empty(), "{fixture}: {new:?}");
        let (pages_models, spec_models) = (models(&from_pages), models(&from_spec));
        if exact {
            assert_eq!(pages_models, spec_models, "{fixture}: {placeholders} placeholders in {pages} pages");
        } else {
            // Pages keep no component names but titles: a shape two components share may take
            // the other name, and aliases of one component for another are gone. The
            // recursion is the spec's: as many structs, and the same boxed fields.
            let count = |text: &str, what: &str| text.matches(what).count();
            for what in ["pub struct ", "Box<"] {
                assert_eq!(count(&pages_models, what), count(&spec_models, what), "{fixture}: `{what}`");
            }
        }
    }
}
