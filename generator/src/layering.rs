//! The pipeline's floors, checked: each module of the crate may use only the modules listed
//! before it in [`FLOORS`] (leaves first, then the stages in the order they run, the CLI on
//! top), so data flows one way, no import runs back up, and nothing imports the crate root's
//! items (`lib.rs` only declares modules and re-exports). A new module is a new entry.

use std::collections::BTreeSet;
use std::path::Path;

/// Every top-level module, lowest floor first.
const FLOORS: &[&str] = &[
    // Leaves: any stage may use them.
    "pointer",
    "files",
    "naming",
    "markdown",
    "servers",
    "error",
    "ir",
    "surface",
    "package",
    "threads",
    "test_specs",
    // The stages, in the order they run.
    "load",
    "lower",
    "normalize",
    "report",
    "emit",
    "format",
    "parallel",
    "write",
    // What runs the stages.
    "changes",
    "pipeline",
    "builder",
    "cli",
];

/// The modules of a generated crate, which the emitter quotes (`crate::models::Account`).
const GENERATED_MODULES: &[&str] = &["runtime", "models", "webhook"];

/// The top-level modules that `file`'s code names as `crate::module`, and the crate-root
/// items its `use` statements name (`crate::Error`). Tokens the emitter quotes for generated
/// code (`crate::Secret`, `crate::runtime::...`) are not imports of this crate: they are
/// capitalised or name one of the generated crate's modules.
fn uses(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut modules = BTreeSet::new();
    let mut root_items = BTreeSet::new();
    let mut in_use = false;
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let trimmed = code.trim_start();
        if trimmed.starts_with("use crate::") || trimmed.starts_with("pub use crate::") {
            in_use = true;
        }
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let names: Vec<&str> = if let Some(list) = rest.strip_prefix('{') {
                top_level_items(list).into_iter().map(|n| n.trim().split("::").next().unwrap_or("")).collect()
            } else {
                vec![rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("")]
            };
            for name in names.into_iter().filter(|n| !n.is_empty()) {
                if GENERATED_MODULES.contains(&name) {
                    continue;
                }
                if name.starts_with(|c: char| c.is_ascii_lowercase()) {
                    modules.insert(name.to_string());
                } else if in_use {
                    root_items.insert(name.to_string());
                }
            }
        }
        if code.contains(';') {
            in_use = false;
        }
    }
    (modules, root_items)
}

/// The items of a `{a, b::{c, d}, e}` list (given without its opening brace), at its top level.
fn top_level_items(list: &str) -> Vec<&str> {
    let (mut depth, mut start, mut items) = (0, 0, Vec::new());
    for (i, c) in list.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&list[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the crate's sources") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file of the crate: its path below `src/`, and its text, sorted by path.
fn crate_sources() -> Vec<(std::path::PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).expect("readable");
            (file.strip_prefix(&src).expect("inside src").to_path_buf(), text)
        })
        .collect()
}

#[test]
fn every_module_uses_only_the_floors_below_it() {
    let mut problems = Vec::new();
    for (relative, text) in crate_sources() {
        let top = relative.components().next().expect("a component").as_os_str().to_string_lossy();
        let module = top.trim_end_matches(".rs").to_string();
        if ["lib", "main", "layering"].contains(&module.as_str()) {
            continue;
        }
        let Some(floor) = FLOORS.iter().position(|m| *m == module) else {
            problems.push(format!("{}: module `{module}` is on no floor of FLOORS", relative.display()));
            continue;
        };
        let (modules, root_items) = uses(&text);
        for used in modules.iter().filter(|m| **m != module) {
            match FLOORS.iter().position(|m| m == used) {
                Some(f) if f < floor => {}
                Some(_) => problems.push(format!("{}: `{module}` uses `{used}`, a floor above it", relative.display())),
                None => problems
                    .push(format!("{}: uses `crate::{used}`, not a module (the crate root's)", relative.display())),
            }
        }
        for item in root_items {
            problems.push(format!("{}: uses the crate root's `{item}`", relative.display()));
        }
    }
    assert!(problems.is_empty(), "imports against the floors:\n{}", problems.join("\n"));
}

/// The longest a source file may be.
const MAX_FILE_LINES: usize = 600;
/// The longest a function may be without a reason in its doc comment ("It is long because").
const MAX_FN_LINES: usize = 85;

/// Each function of `text` longer than [`MAX_FN_LINES`] whose doc comment gives no reason:
/// name and length. A function is read from its `fn` line to the `}` at its indentation.
fn long_functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let signature = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn ", "async fn ", "pub async fn "]
            .iter()
            .find_map(|prefix| code.strip_prefix(prefix));
        let Some(signature) = signature else { continue };
        let name = signature.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("").to_string();
        let end = lines[i..].iter().position(|l| l.strip_prefix(indent) == Some("}")).map(|n| i + n);
        let Some(end) = end else { continue };
        let length = end - i + 1;
        let documented = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("///") || l.trim_start().starts_with("#["))
            .any(|l| l.contains("It is long because"));
        if length > MAX_FN_LINES && !documented {
            long.push((name, length));
        }
    }
    long
}

#[test]
fn every_file_and_function_is_small_enough_to_hold_in_mind() {
    let mut problems = Vec::new();
    for (relative, text) in crate_sources() {
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            problems.push(format!("{}: {lines} lines, over {MAX_FILE_LINES}", relative.display()));
        }
        for (name, length) in long_functions(&text) {
            problems.push(format!(
                "{}: `{name}` is {length} lines, over {MAX_FN_LINES}, and its doc says not why",
                relative.display()
            ));
        }
    }
    assert!(problems.is_empty(), "split these by concern:\n{}", problems.join("\n"));
}

#[test]
fn long_functions_are_found_unless_they_say_why() {
    let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
    let text = format!(
        "fn short() {{\n}}\n\nfn long() {{\n{body}}}\n\n/// It is long because of a table.\nfn said() {{\n{body}}}\n"
    );
    assert_eq!(long_functions(&text), vec![("long".to_string(), MAX_FN_LINES + 2)]);
}

#[test]
fn crate_paths_are_read_from_code() {
    let (modules, root) = uses(
        "use crate::error::{Error, Result};\nuse crate::{emit::{a, B}, normalize};\nlet x = quote!(crate::Secret);\n// crate::cli\nuse crate::Error;\n",
    );
    assert_eq!(modules.into_iter().collect::<Vec<_>>(), ["emit", "error", "normalize"]);
    assert_eq!(root.into_iter().collect::<Vec<_>>(), ["Error"]);
}
