//! The generator's errors: each names the file, and the JSON pointer or line where it applies.

use std::path::PathBuf;

use crate::pointer::JsonPointer;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read: {source}", file.display())]
    Read { file: PathBuf, source: std::io::Error },
    /// The file is not well-formed YAML or JSON.
    #[error("{}:{line}:{column}: {message}", file.display())]
    Syntax { file: PathBuf, line: usize, column: usize, message: String },
    /// Well-formed, but not an OpenAPI 3.0 document we can generate from.
    #[error("{}: {message}", location(file, pointer))]
    Invalid { file: PathBuf, pointer: JsonPointer, message: String },
    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Usage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `file#/json/pointer`, or just the file for the document as a whole.
fn location(file: &std::path::Path, pointer: &JsonPointer) -> String {
    if pointer.as_str().is_empty() {
        file.display().to_string()
    } else {
        format!("{}#{pointer}", file.display())
    }
}
