//! [`Generator`]: the generator as a library, for a build step of your own (an `xtask`, a
//! build script, a test) that does what the `sdkgen` command does, with the same results.
//!
//! ```no_run
//! use sdkgen::{Generator, Package};
//!
//! let outcome = Generator::new("acme-sdk")
//!     .spec("specs/acme.yaml")
//!     .names("specs/names.yaml")
//!     .env_prefix("ACME")
//!     .package(Package { license: Some("MIT".into()), ..Package::default() })
//!     .regenerate_with("cargo xtask gen")
//!     .write("sdk")?;
//! for warning in &outcome.report.warnings {
//!     eprintln!("warning: {}: {}", warning.site, warning.message);
//! }
//! # Ok::<(), sdkgen::Error>(())
//! ```

use std::path::{Path, PathBuf};

use crate::changes::{compare, ChangeReport};
use crate::error::Result;
use crate::package::Package;
use crate::pipeline::{generate, Generated, Options};
use crate::report::Report;
use crate::surface::Surface;
use crate::write::{self, Drift};

/// Generates a crate from specs into a folder. The crate's version is kept from the crate
/// already there (its `api.json`) unless the package names one or [`Generator::bump`] moves it.
#[derive(Debug, Clone)]
pub struct Generator {
    options: Options,
    package_file: Option<PathBuf>,
    bump: bool,
}

/// What [`Generator::write`] or [`Generator::check`] did.
#[derive(Debug)]
pub struct Outcome {
    /// What was generated, folded, skipped and warned about.
    pub report: Report,
    /// The files that differed from what the specs generate: written by `write`, stale for
    /// `check` (empty: the folder was up to date).
    pub drift: Drift,
    /// What changed for the crate's users since the crate in the folder, when it held one.
    pub changes: Option<ChangeReport>,
}

/// A crate generated for a folder, not yet written: the step between generating and writing
/// where the `sdkgen` command reports warnings and applies `--strict`.
pub struct Prepared {
    out: PathBuf,
    /// The crate in memory.
    pub generated: Generated,
    /// What changed since the crate in the folder, when it held one.
    pub changes: Option<ChangeReport>,
}

impl Generator {
    /// A generator of the crate named `crate_name`, from no specs yet.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Self {
            options: Options { crate_name: crate_name.into(), ..Options::default() },
            package_file: None,
            bump: false,
        }
    }

    /// The same as the options `options` (the crate's name included).
    pub fn from_options(options: Options) -> Self {
        Self { options, package_file: None, bump: false }
    }

    /// Adds a spec (YAML or JSON; the root file of a multi-file spec; a documentation page or
    /// a folder of them): each becomes an API module.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.specs.push(path.into());
        self
    }

    /// Adds several specs.
    pub fn specs(mut self, paths: impl IntoIterator<Item = impl Into<PathBuf>>) -> Self {
        self.options.specs.extend(paths.into_iter().map(Into::into));
        self
    }

    /// The names overlay: `components.schemas` whose shapes name matching inline schemas.
    pub fn names(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.names = Some(path.into());
        self
    }

    /// The package's metadata (license, repository, keywords, `publish` ...).
    pub fn package(mut self, package: Package) -> Self {
        self.options.package = package;
        self
    }

    /// The package's metadata from a file (as `sdkgen --package`), read when generating.
    pub fn package_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.package_file = Some(path.into());
        self
    }

    /// Gives each client `Client::from_env()`, reading `{prefix}_BASE_URL` and credentials.
    pub fn env_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.options.env_prefix = Some(prefix.into());
        self
    }

    /// Also writes `tests/examples.rs`, decoding every example of a body the specs give.
    pub fn example_tests(mut self, on: bool) -> Self {
        self.options.example_tests = on;
        self
    }

    /// Also writes `tests/mock_server.rs`, a test per operation against a validating mock server.
    pub fn mock_tests(mut self, on: bool) -> Self {
        self.options.mock_tests = on;
        self
    }

    /// The command that regenerates the crate, named in every file's header.
    pub fn regenerate_with(mut self, command: impl Into<String>) -> Self {
        self.options.regenerate = Some(command.into());
        self
    }

    /// Sets the version from the previous crate's by what changed for its users (below 1.0, a
    /// breaking change bumps the minor), as `sdkgen --bump`.
    pub fn bump(mut self, on: bool) -> Self {
        self.bump = on;
        self
    }

    /// The crate in memory, nothing read from or written to an output folder.
    pub fn generate(&self) -> Result<Generated> {
        generate(&self.options()?)
    }

    /// Generates the crate for the folder `out`: its version kept from the crate there (or
    /// bumped), and what changed since it.
    pub fn prepare(&self, out: impl AsRef<Path>) -> Result<Prepared> {
        let out = out.as_ref().to_path_buf();
        let mut options = self.options()?;
        if self.bump && options.package.version.is_some() {
            return Err(crate::Error::Usage(
                "bump sets the version from the previous one, and the package names one: choose one".into(),
            ));
        }
        let previous = Surface::read(&out)?;
        // The crate there keeps its version; a version the options give stands for a first one.
        options.version = previous.as_ref().map(|p| p.version.clone()).or(options.version);
        let mut generated = generate(&options)?;
        let changes = previous.as_ref().map(|old| compare(old, &generated.surface));
        if let Some(report) = &changes {
            // Nothing to bump when regenerating changes no file.
            if self.bump && report.to_version != report.from_version && !write::diff(&out, &generated.files)?.is_empty()
            {
                options.version = Some(report.to_version.clone());
                generated = generate(&options)?;
            }
        }
        Ok(Prepared { out, generated, changes })
    }

    /// Generates the crate into `out`, all or nothing, touching only files that change.
    pub fn write(&self, out: impl AsRef<Path>) -> Result<Outcome> {
        self.prepare(out)?.write()
    }

    /// Writes nothing: which files of `out` differ from what the specs generate (for CI).
    pub fn check(&self, out: impl AsRef<Path>) -> Result<Outcome> {
        self.prepare(out)?.check()
    }

    fn options(&self) -> Result<Options> {
        let mut options = self.options.clone();
        if let Some(path) = &self.package_file {
            options.package = Package::read(path)?;
        }
        Ok(options)
    }
}

impl Prepared {
    /// The folder the crate is for.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Writes the crate into its folder.
    pub fn write(self) -> Result<Outcome> {
        let drift = write::write(&self.out, &self.generated.files)?;
        Ok(Outcome { report: self.generated.report, drift, changes: self.changes })
    }

    /// Compares the folder with the crate, writing nothing.
    pub fn check(self) -> Result<Outcome> {
        let drift = write::diff(&self.out, &self.generated.files)?;
        Ok(Outcome { report: self.generated.report, drift, changes: self.changes })
    }
}
