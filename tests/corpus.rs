//! Real specs that broke the generator, one per class of failure since fixed: each must still
//! generate a crate that passes `cargo clippy --all-targets -D warnings` (and, for the subset
//! below, `cargo doc` with warnings denied). A fixed subset, so
//! that CI stays within its time; `cargo xtask corpus` runs the whole of ../shared/corpus.
//! The specs `tests/conformance.rs` runs against Prism are not repeated here: it builds their
//! crates with clippy's lints and fails on any warning. Among them are three classes that
//! broke the generator once: recursion through a one-part allOf wrapper (Jira), field types
//! nested three maps deep (Qdrant), `$ref`s to any JSON pointer and from one components
//! section to another (PagerDuty).

use std::collections::BTreeSet;
use std::path::Path;

use sdkgen_tests::{
    assert_builds_and_documents_cleanly_in, assert_builds_cleanly_in, generate, repo_root, run_smoke_tests,
    shared_folder, write_smoke_crate,
};

/// The two target folders the tests here build in, so that two of them build at once (libtest
/// runs two at a time on two cores; cargo builds one crate at a time per folder). The first
/// two tests by name (which start first) take one each.
const FOLDER_A: &str = "sdk-check";
const FOLDER_B: &str = "sdk-check-b";

/// (path below ../shared, what it exercises)
const SUBSET: &[(&str, &str)] = &[
    ("corpus/keycloak.json", "a $ref to a component schema that does not exist"),
    ("corpus/intercom.yaml", "a YAML spec that opens with a --- document marker"),
    ("corpus/digitalocean.yaml", "integer bounds beyond 64 bits, in YAML"),
    ("corpus/k8s-core-v1.json", "three consecutive success statuses"),
    ("corpus/oxide.json", "operations that document no status code"),
];

#[test]
fn real_specs_that_broke_the_generator_build_cleanly() {
    let Some(shared) = shared_folder("real_specs_that_broke_the_generator_build_cleanly", ".") else { return };
    for (path, what) in SUBSET {
        let name = path.rsplit('/').next().unwrap_or(path).split('.').next().unwrap_or(path).to_string();
        let options = sdkgen::Options {
            specs: vec![shared.join(path)],
            crate_name: format!("corpus-{name}"),
            ..Default::default()
        };
        eprintln!("{path}: {what}");
        assert_builds_and_documents_cleanly_in(&options, &name, FOLDER_B);
    }
}

/// Every OpenAPI 3.1 spec of ../shared/corpus/openapi31 (Discord, Figma, Mastodon, OpenAI,
/// Resend): a crate that passes clippy.
#[test]
fn openapi31_specs_build_cleanly() {
    let Some(dir) = shared_folder("openapi31_specs_build_cleanly", "corpus/openapi31") else { return };
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .expect("openapi31")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 5, "{} holds the five 3.1 specs", dir.display());
    for spec in specs {
        let name = spec.file_stem().expect("a name").to_string_lossy().into_owned();
        let options = sdkgen::Options {
            specs: vec![spec.clone()],
            crate_name: format!("openapi31-{name}"),
            ..Default::default()
        };
        eprintln!("openapi31/{name}");
        assert_streams_and_webhooks_typed(&spec, &generate(&options).report);
        match SMOKE.iter().find(|(spec, _, _)| *spec == name) {
            // Built to run its tests, with clippy's lints: no clippy-only pass besides.
            Some((_, smoke, tests)) => {
                let out = repo_root().join("target").join("corpus-smoke").join(&name);
                write_smoke_crate(&options, &out, &repo_root().join("tests/corpus_smoke").join(smoke));
                run_smoke_tests(&out, *tests);
            }
            None => assert_builds_cleanly_in(&options, &name, FOLDER_B),
        }
    }
}

/// The 3.1 specs whose crates also run tests against a local server: (spec, test file in
/// `corpus_smoke/`, how many tests it has).
const SMOKE: &[(&str, &str, usize)] = &[("openai", "openai.rs", 2)];

/// The media types of responses read as streams of events.
const SEQUENTIAL: &[&str] = &["text/event-stream", "application/jsonl", "application/x-ndjson", "application/json-seq"];

/// `value`, or what its local `$ref` names.
fn resolved<'v>(doc: &'v serde_json::Value, value: &'v serde_json::Value) -> &'v serde_json::Value {
    match value.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => doc.pointer(pointer).map_or(value, |target| resolved(doc, target)),
        None => value,
    }
}

/// A YAML document read as JSON: serde_yaml's own `Value` refuses integers beyond 64 bits
/// (DigitalOcean's, OpenAI's), which are read here as floats.
struct Loose(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> serde::de::Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Loose, E> {
        Ok(Loose(serde_json::Value::Null))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Loose, E> {
        self.visit_unit()
    }
    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Loose, E> {
        Ok(Loose(b.into()))
    }
    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Loose, E> {
        Ok(Loose(n.into()))
    }
    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Loose, E> {
        Ok(Loose(n.into()))
    }
    fn visit_i128<E: serde::de::Error>(self, n: i128) -> Result<Loose, E> {
        self.visit_f64(n as f64)
    }
    fn visit_u128<E: serde::de::Error>(self, n: u128) -> Result<Loose, E> {
        self.visit_f64(n as f64)
    }
    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Loose, E> {
        Ok(Loose(serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)))
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Loose, E> {
        Ok(Loose(s.into()))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        let mut items = Vec::new();
        while let Some(Loose(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Loose(serde_json::Value::Array(items)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((Loose(key), Loose(value))) = map.next_entry()? {
            let key = key.as_str().map_or_else(|| key.to_string(), str::to_string);
            object.insert(key, value);
        }
        Ok(Loose(serde_json::Value::Object(object)))
    }
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What `spec` declares that a client streams or a server receives: the operations
/// (`METHOD path`) with a success of a sequential media type, and how many webhooks and
/// callbacks it has (one per method), and how many of them carry a JSON body.
fn streams_and_hooks(spec: &Path) -> (BTreeSet<String>, usize, usize) {
    let text = std::fs::read_to_string(spec).expect("readable");
    let doc: serde_json::Value = if spec.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).expect("JSON")
    } else {
        serde_yaml::from_str::<Loose>(&text).expect("YAML").0
    };
    let (mut streams, mut hooks, mut with_json) = (BTreeSet::new(), 0, 0);
    let mut count_hooks = |item: &serde_json::Value| {
        for method in METHODS {
            if let Some(op) = resolved(&doc, item).get(*method) {
                hooks += 1;
                let body = op.get("requestBody").map(|b| resolved(&doc, b));
                let content = body.and_then(|b| b.get("content")).and_then(|c| c.as_object());
                with_json += usize::from(content.is_some_and(|c| c.keys().any(|k| k.contains("json"))));
            }
        }
    };
    for item in doc.get("webhooks").and_then(|w| w.as_object()).into_iter().flat_map(|w| w.values()) {
        count_hooks(item);
    }
    for (path, item) in doc.get("paths").and_then(|p| p.as_object()).into_iter().flatten() {
        for method in METHODS {
            let Some(op) = resolved(&doc, item).get(*method) else { continue };
            let responses = op.get("responses").and_then(|r| r.as_object()).into_iter().flatten();
            for (status, response) in responses {
                let content = resolved(&doc, response).get("content").and_then(|c| c.as_object());
                let sequential = content.is_some_and(|c| c.keys().any(|k| SEQUENTIAL.contains(&k.as_str())));
                if status.starts_with('2') && sequential {
                    streams.insert(format!("{} {path}", method.to_uppercase()));
                }
            }
            let callbacks = op.get("callbacks").and_then(|c| c.as_object()).into_iter().flat_map(|c| c.values());
            for callback in callbacks {
                for item in resolved(&doc, callback).as_object().into_iter().flat_map(|c| c.values()) {
                    count_hooks(item);
                }
            }
        }
    }
    (streams, hooks, with_json)
}

/// Every operation of `spec` that answers with a stream of events has an `events` method;
/// every webhook and callback is in the crate, each with a JSON body with its parser; nothing
/// of them is left out with a warning.
fn assert_streams_and_webhooks_typed(spec: &Path, report: &sdkgen::report::Report) {
    let (streams, hooks, with_json) = streams_and_hooks(spec);
    let streaming: BTreeSet<String> =
        report.operations.iter().filter(|o| o.stream.is_some()).map(|o| format!("{} {}", o.method, o.path)).collect();
    assert_eq!(streaming, streams, "{}: the operations with an events method", spec.display());
    assert_eq!(report.webhooks.len(), hooks, "{}: every webhook and callback", spec.display());
    let parsers = report.webhooks.iter().filter(|w| w.parser.is_some()).count();
    assert_eq!(parsers, with_json, "{}: a parser per JSON payload", spec.display());
    let left_out: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("left out") && (w.message.contains("webhook") || w.message.contains("callback")))
        .collect();
    assert!(left_out.is_empty(), "{}: {left_out:?}", spec.display());
    eprintln!(
        "{}: {} operations stream, {hooks} webhooks and callbacks, {parsers} parsers",
        spec.display(),
        streams.len()
    );
}

/// The 3.0 specs of ../shared/corpus that declare callbacks or webhooks: every one typed and
/// parsed (the 3.1 ones are checked with their builds above).
#[test]
fn corpus_callbacks_get_parsers() {
    let Some(dir) = shared_folder("corpus_callbacks_get_parsers", "corpus") else { return };
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    specs.sort();
    let mut checked = 0;
    for spec in specs {
        // Only specs that mention them are read whole.
        let text = std::fs::read_to_string(&spec).expect("readable");
        if !text.contains("callbacks") && !text.contains("webhooks") {
            continue;
        }
        let (streams, hooks, _) = streams_and_hooks(&spec);
        if hooks == 0 && streams.is_empty() {
            continue;
        }
        let name = spec.file_stem().expect("a name").to_string_lossy().into_owned();
        let options = sdkgen::Options { specs: vec![spec.clone()], crate_name: name, ..Default::default() };
        assert_streams_and_webhooks_typed(&spec, &generate(&options).report);
        checked += 1;
    }
    assert!(checked >= 2, "the callback example and PagerDuty declare callbacks");
}

/// SailPoint's specs as it keeps them, a root file and some 900 files it refers to: every
/// operation the bundled file has, no more model types, and a crate that passes clippy.
#[test]
fn sailpoint_multi_file_trees_generate_what_their_bundles_do() {
    let test = "sailpoint_multi_file_trees_generate_what_their_bundles_do";
    let (Some(tree), Some(bundles)) = (shared_folder(test, "sailpoint-idn"), shared_folder(test, "specs")) else {
        return;
    };
    for (root, bundled, name) in [
        ("sailpoint-api.v3.yaml", "sailpoint-v3.yaml", "idn-v3"),
        ("sailpoint-api.beta.yaml", "sailpoint-beta.yaml", "idn-beta"),
    ] {
        let options = |spec: std::path::PathBuf| sdkgen::Options {
            specs: vec![spec],
            crate_name: name.to_string(),
            ..Default::default()
        };
        let from_tree = generate(&options(tree.join(root))).report;
        let from_bundle = generate(&options(bundles.join(bundled))).report;
        assert!(from_tree.skipped.is_empty(), "{root}: {:?}", from_tree.skipped);
        assert_eq!(from_tree.operations.len(), from_bundle.operations.len(), "{root}: every operation");
        assert!(
            from_tree.types <= from_bundle.types,
            "{root}: {} model types, {bundled} gives {}",
            from_tree.types,
            from_bundle.types
        );
        eprintln!(
            "{root}: {} operations, {} model types ({bundled}: {})",
            from_tree.operations.len(),
            from_tree.types,
            from_bundle.types
        );
        assert_builds_cleanly_in(&options(tree.join(root)), name, FOLDER_A);
    }
}

/// Every folder of SailPoint's docs-site pages in ../shared/pages (plain and compressed, V3
/// and Beta, as many as are there; the 2022 V3 pages at least), as a user would point at the
/// site's folder, tag and introduction pages and all: one operation per operation page
/// (`*.api.mdx`), and a crate that passes clippy.
#[test]
fn docs_site_page_folders_build_cleanly() {
    let Some(pages) = shared_folder("docs_site_page_folders_build_cleanly", "pages") else { return };
    let mut folders: Vec<_> =
        std::fs::read_dir(&pages).expect("pages").map(|e| e.expect("entry").path()).filter(|p| p.is_dir()).collect();
    folders.sort();
    assert!(folders.iter().any(|f| f.ends_with("sailpoint-v3-2022")), "{} has the 2022 V3 pages", pages.display());
    for folder in folders {
        let name = folder.file_name().expect("a name").to_string_lossy().into_owned();
        let operation_pages = std::fs::read_dir(&folder)
            .expect("a folder")
            .filter(|e| e.as_ref().expect("entry").file_name().to_string_lossy().ends_with(".api.mdx"))
            .count();
        let options =
            sdkgen::Options { specs: vec![folder.clone()], crate_name: format!("pages-{name}"), ..Default::default() };
        let report = generate(&options).report;
        assert_eq!(report.operations.len(), operation_pages, "{name}: one operation per page");
        assert!(report.skipped.is_empty(), "{name}: {:?}", report.skipped);
        eprintln!("{name}: {} operations, {} model types", report.operations.len(), report.types);
        assert_builds_cleanly_in(&options, &format!("pages-{name}"), FOLDER_A);
    }
}
