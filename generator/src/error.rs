//! The generator's errors: each names the file, and the JSON pointer or line where it applies.

use std::path::PathBuf;

use crate::pointer::JsonPointer;

/// Why a generation failed.
#[allow(missing_docs)] // The fields say what they hold: a file, its line and column, a message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{}: cannot read: {source}", file.display())]
    Read { file: PathBuf, source: std::io::Error },
    /// The file is not well-formed YAML or JSON.
    #[error("{}:{line}:{column}: {message}", file.display())]
    Syntax { file: PathBuf, line: usize, column: usize, message: String },
    /// Well-formed, but not an OpenAPI 3.0 document we can generate from.
    #[error("{}: {message}", location(file, pointer))]
    Invalid { file: PathBuf, pointer: JsonPointer, message: String },
    /// A file could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    /// The command or its options are wrong (a bad crate name, two specs of one name, ...).
    #[error("{0}")]
    Usage(String),
    /// A bug in the generator, not a problem of the input: it made code it cannot format, or
    /// broke one of its own rules.
    #[error(
        "internal error: {0}\nThis is a bug in sdkgen, not a problem with your input. Please report it, with the input that caused it."
    )]
    Internal(String),
}

impl Error {
    /// The process exit code for this error: 3 for a bug of the generator's, 2 for bad input
    /// or usage.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Internal(_) => 3,
            _ => 2,
        }
    }
}

/// A result whose error is the generator's.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `file#/json/pointer`, or just the file for the document as a whole.
fn location(file: &std::path::Path, pointer: &JsonPointer) -> String {
    if pointer.as_str().is_empty() {
        file.display().to_string()
    } else {
        format!("{}#{pointer}", file.display())
    }
}
