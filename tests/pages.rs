//! Documentation pages as input: each form of page is read, pages sharing a server become one
//! API, bad pages give errors that name them, and the seed pages generate the very crate that
//! specs/ does.

use std::path::Path;

use sdkgen_tests::{generate, repo_root, seed_options, shared_specs};

fn fixtures() -> std::path::PathBuf {
    repo_root().join("tests").join("fixtures")
}

/// One snapshot of the assembled documents per folder of `fixtures/pages/`: a page with
/// multi-line front matter, one flattened onto one line, one compressed, a folder of pages
/// for two APIs, and pages whose first has `securitySchemes: null` and a later one an object.
#[test]
fn page_forms_assemble_into_openapi_documents() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixtures().join("pages")).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    assert_eq!(dirs.len(), 5);
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
