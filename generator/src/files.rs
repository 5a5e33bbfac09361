//! File names as the generator shows them: a leaf that every stage may use.

use std::path::Path;

/// The last component of `path` (`specs/v3.yaml` is `v3.yaml`), or the whole path when it has
/// none.
pub fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}
