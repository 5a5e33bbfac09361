//! sdkgen: generates a typed, formatted, self-contained Rust client crate from OpenAPI 3.0
//! specs, folding the inline schemas that specs repeat into one shared type per shape.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`load`] (parse, documentation pages, bundling of other files and any JSON pointer, OpenAPI
//! 3.1 and 3.2, repairs) -> [`lower`] (into [`ir`]) -> [`normalize`] -> [`emit`] -> [`format`]
//! -> [`write`]; [`generate`] runs them, [`cli`] is the command line on top.

pub mod changes;
pub mod cli;
pub mod emit;
pub mod error;
pub mod files;
pub mod format;
pub mod ir;
#[cfg(test)]
mod layering;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
mod parallel;
mod pipeline;
pub mod pointer;
pub mod report;
pub mod servers;
pub mod surface;
pub mod write;

pub use error::{Error, Result};
pub use pipeline::{assemble_pages, generate, Generated, Options};
pub use surface::SURFACE_FILE;
