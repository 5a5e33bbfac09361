//! `--changes`: pairs of specs in tests/fixtures/changes/, one kind of change each, and the
//! report on the crates they generate, pinned by a snapshot; and the flags end to end.

use std::path::Path;

use sdkgen_tests::{generate, repo_root};

fn surface(spec: &Path) -> sdkgen::surface::Surface {
    generate(&sdkgen::Options { specs: vec![spec.to_path_buf()], crate_name: "shop".into(), ..Default::default() })
        .surface
}

#[test]
fn each_kind_of_change_is_reported_with_its_semver() {
    insta::glob!("fixtures/changes/*/old/shop.yaml", |old| {
        let new = old.parent().and_then(Path::parent).expect("the case's folder").join("new/shop.yaml");
        let report = sdkgen::changes::compare(&surface(old), &surface(&new));
        insta::assert_json_snapshot!("changes", report);
    });
}

#[test]
fn the_flags_write_the_reports_and_bump_the_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("shop");
    let case = repo_root().join("tests/fixtures/changes/operation-removed");
    let run = |side: &str, extra: &[&str]| {
        let mut args: Vec<String> = vec!["--spec".into(), case.join(side).join("shop.yaml").display().to_string()];
        args.extend(["--out".into(), out.display().to_string()]);
        args.extend(extra.iter().map(|s| s.to_string()));
        sdkgen::cli::run(args, None)
    };
    assert_eq!(run("old", &[]), 0);
    let manifest = |out: &Path| std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    assert!(manifest(&out).contains("version = \"0.1.0\""));
    let json = dir.path().join("changes.json");
    let md = dir.path().join("CHANGES.md");
    let flags = ["--changes", json.to_str().unwrap(), "--changes-md", md.to_str().unwrap(), "--bump"];
    assert_eq!(run("new", &flags), 0);
    // Below 1.0 a breaking change bumps the minor; the crate and its api.json say so.
    assert!(manifest(&out).contains("version = \"0.2.0\""), "{}", manifest(&out));
    let api: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("api.json")).expect("api.json")).expect("JSON");
    assert_eq!(api["version"], "0.2.0");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("JSON");
    assert_eq!(report["semver"], "major");
    assert_eq!(report["from_version"], "0.1.0");
    assert_eq!(report["operations"]["removed"], serde_json::json!(["shop::get_order (getOrder)"]));
    let markdown = std::fs::read_to_string(&md).expect("markdown");
    assert!(
        markdown.starts_with("## shop 0.2.0\n")
            && markdown.contains("- Removed operation `shop::get_order (getOrder)`."),
        "{markdown}"
    );
    // Regenerating the same spec keeps the version, and --bump finds nothing to bump.
    assert_eq!(run("new", &["--bump"]), 0);
    assert!(manifest(&out).contains("version = \"0.2.0\""));
    assert_eq!(run("new", &[]), 0);
    assert!(manifest(&out).contains("version = \"0.2.0\""), "a plain regeneration keeps the version");
}

#[test]
fn versions_bump_by_cargos_rules() {
    use sdkgen::changes::{bump, Bump};
    assert_eq!(bump("0.1.0", Bump::Major), "0.2.0");
    assert_eq!(bump("0.1.3", Bump::Minor), "0.1.4");
    assert_eq!(bump("0.1.3", Bump::Patch), "0.1.4");
    assert_eq!(bump("1.4.2", Bump::Major), "2.0.0");
    assert_eq!(bump("1.4.2", Bump::Minor), "1.5.0");
    assert_eq!(bump("1.4.2", Bump::Patch), "1.4.3");
}
