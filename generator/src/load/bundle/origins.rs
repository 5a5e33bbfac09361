//! Where each part of a bundled document came from.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::pointer::JsonPointer;

/// Where each part of the bundled document came from: the pointer it stands at, and the file
/// and pointer it was copied from.
#[derive(Debug, Default)]
pub struct Origins {
    pub(super) copies: BTreeMap<JsonPointer, Origin>,
    /// Where each copy was referred to from: a copy as a whole is the `$ref` that made it.
    pub(super) references: BTreeMap<JsonPointer, Origin>,
}

#[derive(Debug, Clone)]
pub struct Origin {
    /// The file as the user would reach it: the root file's folder joined with `shown`.
    pub path: PathBuf,
    /// The file relative to the root file's folder (`v3/paths/access-profile.yaml`).
    pub shown: String,
    pub pointer: JsonPointer,
}

impl Origins {
    pub const fn new() -> Self {
        Self { copies: BTreeMap::new(), references: BTreeMap::new() }
    }

    /// The file and pointer that `pointer` (in the bundled document) was copied from, if it was.
    pub fn locate(&self, pointer: &JsonPointer) -> Option<Origin> {
        if self.copies.is_empty() {
            return None;
        }
        if let Some(reference) = self.references.get(pointer) {
            return Some(reference.clone());
        }
        let mut ancestor = pointer.clone();
        loop {
            if let Some(origin) = self.copies.get(&ancestor) {
                let rest = pointer.strip_prefix(&ancestor).unwrap_or_default();
                return Some(Origin { pointer: origin.pointer.join(&rest), ..origin.clone() });
            }
            if ancestor == JsonPointer::root() {
                return None;
            }
            ancestor = ancestor.parent();
        }
    }
}
