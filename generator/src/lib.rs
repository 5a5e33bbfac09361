//! sdkgen: generates a typed, formatted, self-contained Rust client crate from OpenAPI 3.0
//! and 3.1 specs, folding the inline schemas that specs repeat into one shared type per shape.
//!
//! The library API is what a build script or an `xtask` needs: a [`Generator`] takes specs, a
//! names overlay, package metadata and crate options and writes the crate into a folder (or
//! checks it, for CI), returning its [`Outcome`]: the [`report`], the files that changed, and
//! what changed for the crate's users. Below it, [`generate`] makes a crate from [`Options`]
//! in memory ([`Generated`]: its files, the report, its public API as [`surface`] data),
//! [`write`](mod@write) puts it in a folder (or diffs against one), [`changes`] compares two
//! crates' APIs, and [`cli::run`] is the command line itself.
//!
//! Inside, a pipeline of stages, one module each, data flowing one way: load (parse,
//! documentation pages, bundling of other files and any JSON pointer, OpenAPI 3.1 and 3.2,
//! repairs) -> lower (into the IR) -> normalize (decides everything) -> emit (only prints) ->
//! [`format`](mod@format) -> [`write`](mod@write). `docs/architecture.md` in the repository describes each.

#![warn(missing_docs)]

pub mod builder;
pub mod changes;
pub mod cli;
mod emit;
pub mod error;
mod files;
pub mod format;
mod ir;
#[cfg(test)]
mod layering;
mod load;
mod lower;
mod markdown;
mod naming;
mod normalize;
pub mod package;
mod parallel;
mod pipeline;
mod pointer;
pub mod report;
mod servers;
pub mod surface;
#[cfg(test)]
mod test_specs;
mod threads;
pub mod write;

pub use builder::{Generator, Outcome};
pub use error::{Error, Result};
pub use naming::type_ident;
pub use package::Package;
pub use pipeline::{assemble_pages, generate, Generated, Options};
pub use surface::SURFACE_FILE;
