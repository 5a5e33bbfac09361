//! Part of the load stage: documentation pages as input. Sites built with
//! docusaurus-openapi-docs put one whole operation in each page's front matter, after `api:`,
//! as JSON or as base64 of zlib-compressed JSON, with the page's `info`, `servers`,
//! `securitySchemes`, `method` and `path`. Pages that share a server URL are assembled into one
//! OpenAPI document, named for the last segment of that URL (`.../v3` -> `v3.yaml`).
//! Recursive schemas, which the pages write as `"circular(Name)"`, are resolved in `circular`.

mod circular;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::files::file_name;
use crate::pointer::JsonPointer;

/// Decompressed pages larger than this are refused (a zip bomb is not a page).
const MAX_API_BYTES: u64 = 64 * 1024 * 1024;

/// One OpenAPI document assembled from pages.
#[derive(Debug, Clone, PartialEq)]
pub struct AssembledSpec {
    /// The name the document goes by: `v3.yaml`, for the server URL `.../v3`.
    pub file_name: String,
    pub doc: Value,
    /// The pages it was assembled from, sorted.
    pub pages: Vec<PathBuf>,
    /// Defects of the pages worked around, at their pointers in `doc`.
    pub warnings: Vec<(JsonPointer, String)>,
}

/// Whether `path` is a documentation page rather than a spec: a folder (of pages), a Markdown
/// file, or a file that opens with YAML front matter. A YAML spec may open with `---` too (a
/// document marker): it is a spec when that first block has a top-level `openapi` or
/// `swagger` key, which front matter never has.
pub fn is_page_input(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if path.is_dir() || ["md", "mdx"].contains(&ext) {
        return true;
    }
    let mut head = [0u8; 3];
    if !(std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == b"---") {
        return false;
    }
    std::fs::read(path).is_ok_and(|bytes| !opens_a_spec(&String::from_utf8_lossy(&bytes)))
}

/// Whether the block after the opening `---` has a top-level `openapi` or `swagger` key.
fn opens_a_spec(text: &str) -> bool {
    text.lines()
        .skip(1)
        .take_while(|line| line.trim_end() != "---")
        .filter(|line| !line.starts_with([' ', '\t', '#']))
        .any(|line| {
            let key = line.trim_start_matches(['"', '\'']);
            ["openapi", "swagger"]
                .iter()
                .any(|k| key.strip_prefix(k).is_some_and(|rest| rest.starts_with([':', '"', '\''])))
        })
}

/// A page to read, and whether it was named itself rather than found in a folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageFile {
    pub path: PathBuf,
    /// Named on the command line: it must be an operation page. A folder's pages that are not
    /// (a docs site keeps tag and introduction pages beside its operation pages) are passed over.
    pub named: bool,
}

/// The pages below the given files and folders (`.md`, `.mdx`, `.txt` files in folders).
pub fn page_files(inputs: &[PathBuf]) -> Result<Vec<PageFile>> {
    let mut pages = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|source| Error::Read { file: input.clone(), source })?;
            for entry in entries {
                let path = entry.map_err(|source| Error::Read { file: input.clone(), source })?.path();
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if path.is_file() && ["md", "mdx", "txt"].contains(&ext) {
                    pages.push(PageFile { path, named: false });
                }
            }
        } else {
            pages.push(PageFile { path: input.clone(), named: true });
        }
    }
    pages.sort();
    // A page both named and in a named folder is named.
    pages.dedup_by(|later, earlier| {
        let same = later.path == earlier.path;
        earlier.named |= same && later.named;
        same
    });
    Ok(pages)
}

/// The document being assembled for one server URL, from its pages.
struct PageApi {
    doc: Value,
    pages: Vec<PathBuf>,
    /// operationId -> (page, operation), to tell a repeated page from a conflicting one.
    operations: BTreeMap<String, (PathBuf, Value)>,
    /// The recursive schemas of its pages.
    hoisted: circular::Hoisted,
}

impl PageApi {
    /// Puts the operation of `page` at `method` of `path`. A page seen before (the same
    /// operation under the same id) adds nothing; an id or a method and path that another page
    /// gives otherwise is an error.
    fn add_operation(&mut self, page: &PathBuf, path: &str, method: String, op: Value) -> Result<()> {
        let op_id = op.get("operationId").and_then(Value::as_str).map(str::to_string);
        if let Some(id) = &op_id {
            if let Some((other, existing)) = self.operations.get(id) {
                if existing != &op || other == page {
                    return Err(invalid(
                        page,
                        format!("operationId `{id}` is also in {}, with other content", other.display()),
                    ));
                }
                return Ok(());
            }
            self.operations.insert(id.clone(), (page.clone(), op.clone()));
        }
        let item = &mut self.doc["paths"][path];
        if item.is_null() {
            *item = json!({});
        }
        let Some(item) = item.as_object_mut() else {
            return Err(invalid(page, format!("the path item of {path} is not an object")));
        };
        if item.contains_key(&method) {
            return Err(invalid(page, format!("{} {path} is given by another page too", method.to_uppercase())));
        }
        item.insert(method, op);
        Ok(())
    }
}

/// Reads the pages and assembles one document per server URL, sorted by name.
pub fn assemble(pages: &[PageFile]) -> Result<Vec<AssembledSpec>> {
    let mut apis: BTreeMap<String, PageApi> = BTreeMap::new();
    for PageFile { path: page, named } in pages {
        let mut op = match read_api(page)? {
            PageContent::Operation(op) => op,
            PageContent::NoOperation(why) if *named => return Err(invalid(page, why)),
            PageContent::NoOperation(_) => continue,
        };
        let fields = op.as_object_mut().ok_or_else(|| invalid(page, "`api:` is not a JSON object"))?;
        let mut take = |key: &str| fields.remove(key);
        let method = take("method").and_then(|m| m.as_str().map(str::to_ascii_lowercase));
        let path = take("path").and_then(|p| p.as_str().map(str::to_string));
        let (Some(method), Some(path)) = (method, path) else {
            return Err(invalid(page, "`api:` has no `method` and `path`"));
        };
        let servers = take("servers").unwrap_or(Value::Array(Vec::new()));
        // `null` (some pages have it) is no schemes; anything else but an object is an error.
        let schemes = match take("securitySchemes") {
            None | Some(Value::Null) => None,
            Some(Value::Object(schemes)) => Some(schemes),
            Some(_) => return Err(invalid(page, "`securitySchemes` is not a JSON object")),
        };
        let info = take("info").unwrap_or_else(|| json!({"title": "API", "version": "0"}));
        // Page-rendering extras, not part of the operation.
        for extra in ["jsonRequestBodyExample", "postman", "info_path"] {
            take(extra);
        }
        let url = servers.pointer("/0/url").and_then(Value::as_str).unwrap_or("").to_string();
        let api = apis.entry(url).or_insert_with(|| PageApi {
            doc: json!({
                "openapi": "3.0.1",
                "info": info,
                "servers": servers,
                "paths": {},
                "components": {"securitySchemes": {}},
            }),
            pages: Vec::new(),
            operations: BTreeMap::new(),
            hoisted: circular::Hoisted::default(),
        });
        api.pages.push(page.clone());
        // Every page's schemes, the first page's winning where two name the same one.
        if let (Some(more), Some(known)) = (schemes, api.doc["components"]["securitySchemes"].as_object_mut()) {
            for (name, scheme) in more {
                known.entry(name).or_insert(scheme);
            }
        }
        api.hoisted.resolve_page(&mut op, page);
        api.add_operation(page, &path, method, op)?;
    }
    let mut specs: Vec<AssembledSpec> = apis
        .into_iter()
        .map(|(url, mut api)| {
            let warnings = api.hoisted.finish(&mut api.doc);
            AssembledSpec { file_name: format!("{}.yaml", api_name(&url)), doc: api.doc, pages: api.pages, warnings }
        })
        .collect();
    specs.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    if let Some(w) = specs.windows(2).find(|w| w[0].file_name == w[1].file_name) {
        return Err(Error::Usage(format!(
            "pages of two servers would both be {}: give them to separate runs",
            w[0].file_name
        )));
    }
    Ok(specs)
}

/// `https://{tenant}.api.identitynow.com/v3` -> `v3`; a URL without a path -> its host.
fn api_name(url: &str) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let mut segments = without_scheme.split('/').filter(|s| !s.is_empty() && !s.contains('{'));
    let host = segments.next().unwrap_or("api");
    let name = segments.next_back().unwrap_or(host);
    let name: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    if name.trim_matches('-').is_empty() {
        "api".to_string()
    } else {
        name
    }
}

fn invalid(page: &Path, message: impl Into<String>) -> Error {
    Error::Invalid { file: page.to_path_buf(), pointer: JsonPointer::root(), message: message.into() }
}

/// The JSON after `api:` in the page's front matter, decompressed if it is compressed.
/// What a page holds: an operation, or none (a docs site's tag and introduction pages), with
/// why, for a page the user named by itself.
enum PageContent {
    Operation(Value),
    NoOperation(&'static str),
}

/// The operation of a page, if it has one: none without front matter or without `api:` in it.
fn read_api(page: &Path) -> Result<PageContent> {
    let text = std::fs::read_to_string(page).map_err(|source| Error::Read { file: page.to_path_buf(), source })?;
    let Some(front) = text.strip_prefix("---") else {
        return Ok(PageContent::NoOperation("the page has no front matter (it does not start with `---`)"));
    };
    // Up to the closing `---`: the page's text below may say `api:` too.
    let front = front.find("\n---").map_or(front, |end| &front[..end]);
    let Some(start) = find_key(front, "api:") else {
        return Ok(PageContent::NoOperation("the front matter has no `api:`"));
    };
    read_api_value(page, front, start).map(PageContent::Operation)
}

fn read_api_value(page: &Path, front: &str, start: usize) -> Result<Value> {
    let rest = front[start..].trim_start_matches([' ', '\t']);
    if rest.starts_with('{') {
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        return match values.next() {
            Some(Ok(value)) => Ok(value),
            Some(Err(e)) => Err(invalid(page, format!("`api:` is not valid JSON: {e}"))),
            None => Err(invalid(page, "`api:` is empty")),
        };
    }
    let encoded: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || "+/=_-".contains(*c)).collect();
    if encoded.is_empty() {
        return Err(invalid(page, "`api:` is neither JSON nor base64"));
    }
    let compressed = base64::engine::general_purpose::STANDARD
        .decode(&encoded)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(&encoded))
        .map_err(|e| invalid(page, format!("`api:` is neither JSON nor base64: {e}")))?;
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice())
        .take(MAX_API_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|e| invalid(page, format!("`api:` does not decompress as zlib: {e}")))?;
    if json.len() as u64 > MAX_API_BYTES {
        return Err(invalid(page, format!("`api:` decompresses to more than {MAX_API_BYTES} bytes")));
    }
    serde_json::from_slice(&json)
        .map_err(|e| invalid(page, format!("`api:` decompresses to something that is not JSON: {e}")))
}

/// Where the value of `key` starts: at the start of a line, or after a space (front matter
/// flattened onto one line).
fn find_key(front: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = front[from..].find(key) {
        let at = from + i;
        let before = front[..at].chars().next_back();
        if before.is_none_or(|c| c == '\n' || c == ' ' || c == '\t') {
            return Some(at + key.len());
        }
        from = at + key.len();
    }
    None
}

/// The assembled document as YAML, for `--emit-spec`.
impl AssembledSpec {
    /// The document as YAML, headed by the pages it was assembled from.
    pub fn to_yaml(&self) -> String {
        let pages: Vec<String> = self.pages.iter().map(|p| file_name(p)).collect();
        let body = serde_yaml::to_string(&self.doc).expect("JSON values serialize as YAML");
        format!("# Assembled by sdkgen from the documentation pages {}.\n{body}", pages.join(", "))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_yaml_spec_opening_with_a_document_marker_is_a_spec() {
        assert!(super::opens_a_spec("---\nopenapi: 3.0.1\ninfo: {}\n"));
        assert!(super::opens_a_spec("---\n# comment\n\"openapi\": 3.0.1\n"));
        assert!(super::opens_a_spec("---\nswagger: '2.0'\n"));
        assert!(!super::opens_a_spec("---\nid: get-thing\napi: {\"openapi\": 1}\n---\n# Title\n"));
        assert!(!super::opens_a_spec("---\nid: x\n---\nopenapi: 3.0.1\n"), "only the first block counts");
        assert!(!super::opens_a_spec("---\nopenapiX: 1\n"));
    }

    use super::*;

    #[test]
    fn api_names_come_from_the_server_path() {
        assert_eq!(api_name("https://{tenant}.api.identitynow.com/v3"), "v3");
        assert_eq!(api_name("https://{tenant}.api.identitynow.com/beta"), "beta");
        assert_eq!(api_name("https://api.example.com"), "api-example-com");
        assert_eq!(api_name(""), "api");
    }

    #[test]
    fn finds_the_api_key_on_one_line_or_many() {
        assert_eq!(find_key(" id: x api: {}", "api:"), Some(11));
        assert_eq!(find_key("\nid: x\napi: {}", "api:"), Some(11));
        assert_eq!(find_key(" rapi: 1", "api:"), None);
    }
}
