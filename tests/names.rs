//! Names from inlined input, measured against the names SailPoint's authors gave the same
//! schemas: the fully inlined V3 and Beta files, with their `title`s and without, each type's
//! name compared with the component its sites land on in the bundled file.

use std::collections::BTreeMap;
use std::path::Path;

use sdkgen_tests::{generate, shared_specs};
use serde_json::Value;

/// One input's names, summed up.
#[derive(Debug)]
struct Figures {
    types: usize,
    median: usize,
    longest: usize,
    over_40: usize,
    /// Types whose sites land on a component of the bundled spec: named by its authors.
    authored: usize,
    /// Of those, the types named as the authors named them.
    as_authors: usize,
}

impl Figures {
    fn share(&self) -> f64 {
        self.as_authors as f64 / self.authored as f64
    }

    fn row(&self, input: &str) -> String {
        format!(
            "| {input} | {} | {} | {} | {} | {} of {} ({:.0}%) |",
            self.types,
            self.median,
            self.longest,
            self.over_40,
            self.as_authors,
            self.authored,
            self.share() * 100.0
        )
    }
}

/// The component a pointer of the inlined file lands on in the bundled one: walks the pointer's
/// segments through the bundled document, following `$ref`s on the way and at the end.
/// The components a pointer of the inlined file lands on in the bundled one (an alias and what
/// it names): walks the pointer's segments through the bundled document, following `$ref`s on
/// the way and at the end.
fn authors_names(bundled: &Value, pointer: &str) -> Vec<String> {
    fn follow<'a>(doc: &'a Value, mut at: &'a Value, landed: &mut Vec<String>) -> &'a Value {
        for _ in 0..32 {
            let Some(r) = at.get("$ref").and_then(Value::as_str) else { break };
            let target = r.strip_prefix('#').unwrap_or(r);
            landed.extend(target.strip_prefix("/components/schemas/").map(str::to_string));
            match doc.pointer(target) {
                Some(next) => at = next,
                None => break,
            }
        }
        at
    }
    let mut at = bundled;
    let mut landed = Vec::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        at = follow(bundled, at, &mut landed);
        landed.clear();
        let next = match at {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        let Some(next) = next else { return Vec::new() };
        at = next;
    }
    follow(bundled, at, &mut landed);
    landed
}

fn figures(spec: &Path, bundled: &Value) -> Figures {
    let generated = generate(&sdkgen::Options {
        specs: vec![spec.to_path_buf()],
        crate_name: "names".into(),
        ..Default::default()
    });
    let types = &generated.report.model_types;
    let mut lengths: Vec<usize> = types.iter().map(|t| t.name.len()).collect();
    lengths.sort_unstable();
    let named_as_authors = |t: &&sdkgen::report::TypeEntry| {
        t.sites.iter().any(|site| {
            authors_names(bundled, site.pointer.as_str()).iter().any(|name| sdkgen::type_ident(name) == t.name)
        })
    };
    let as_authors = types.iter().filter(named_as_authors).count();
    let authored =
        types.iter().filter(|t| t.sites.iter().any(|s| !authors_names(bundled, s.pointer.as_str()).is_empty())).count();
    // For whoever improves the names: `NAMES_SHOW=1` lists each type not named as the authors
    // named it, with the authors' name and where ours came from.
    if std::env::var_os("NAMES_SHOW").is_some() {
        eprintln!("== {}", spec.display());
        for t in types.iter().filter(|t| !named_as_authors(t)) {
            let authors: Vec<String> =
                t.sites.iter().flat_map(|s| authors_names(bundled, s.pointer.as_str())).collect();
            eprintln!("{} <- {:?} ({:?}) {}", t.name, authors.first(), t.name_source, t.sites.len());
        }
    }
    Figures {
        types: types.len(),
        median: lengths[lengths.len() / 2],
        longest: *lengths.last().expect("types"),
        over_40: lengths.iter().filter(|&&l| l > 40).count(),
        authored,
        as_authors,
    }
}

/// `doc` without the `title` of any schema (`info.title` stays: the document needs it).
fn without_titles(doc: &mut Value, at_root: bool) {
    match doc {
        Value::Object(map) => {
            if !at_root {
                if let Some(Value::String(_)) = map.get("title") {
                    map.remove("title");
                }
            }
            for (key, child) in map.iter_mut() {
                without_titles(child, at_root && key == "info");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| without_titles(item, false)),
        _ => {}
    }
}

#[test]
fn inlined_specs_get_the_names_a_person_would_choose() {
    let Some(specs) = shared_specs("inlined_specs_get_the_names_a_person_would_choose") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut table = vec![
        "| input | types | median length | longest | over 40 chars | named as the authors named them |".to_string(),
        "|---|---|---|---|---|---|".to_string(),
    ];
    let mut results = BTreeMap::new();
    for version in ["v3", "beta"] {
        let bundled: Value = serde_yaml::from_str(
            &std::fs::read_to_string(specs.join(format!("sailpoint-{version}.yaml"))).expect("read"),
        )
        .expect("YAML");
        let inlined = specs.join(format!("sailpoint-{version}.inlined.json"));
        let mut doc: Value = serde_json::from_slice(&std::fs::read(&inlined).expect("read")).expect("JSON");
        without_titles(&mut doc, true);
        let untitled = dir.path().join(format!("sailpoint-{version}.untitled.json"));
        std::fs::write(&untitled, serde_json::to_vec(&doc).expect("JSON")).expect("written");
        for (label, path) in [("titles kept", inlined), ("titles removed", untitled)] {
            let f = figures(&path, &bundled);
            table.push(f.row(&format!("{version}, {label}")));
            results.insert((version, label), f);
        }
    }
    eprintln!("{}", table.join("\n"));
    for ((version, label), f) in &results {
        // Made-up names are short whatever the input; the spec's own titles may be longer.
        if *label == "titles removed" {
            assert!(f.over_40 == 0, "{version}, {label}: {} names over 40 characters", f.over_40);
            assert!(f.median <= 20, "{version}, {label}: median length {}", f.median);
        }
        // The floors reached so far (before names were chosen by their sites: 46% and 67%
        // with titles, 0% and 1% without); a change that names fewer types as SailPoint's
        // authors did fails here. Issue 13 asks for 2/3 and 1/3.
        let floor = match (*version, *label) {
            ("v3", "titles kept") => 0.56,
            ("beta", "titles kept") => 0.72,
            ("v3", _) => 0.23,
            _ => 0.19,
        };
        assert!(f.share() >= floor, "{version}, {label}: {:.0}% named as the authors did", f.share() * 100.0);
    }
}
