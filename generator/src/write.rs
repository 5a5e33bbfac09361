//! Stage 6, write: put the formatted files in the output folder, all or nothing.
//!
//! Every file is first written to a staging folder inside the output folder; only when all of
//! them are there are they renamed into place, so a failure leaves the previous crate as it
//! was. Files whose content is unchanged are not touched (their times stay, so builds that
//! depend on them do not rerun), and files the generator no longer makes are removed.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::format::OutputFile;

/// Entries of the output folder that are not ours to check or remove.
const IGNORED: &[&str] = &["target", "Cargo.lock", ".sdkgen-staging"];

/// How the folder differs from what would be written.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose text differs.
    pub changed: Vec<String>,
    /// Files that are not there yet.
    pub missing: Vec<String>,
    /// Files there that generation would not write (removed when writing).
    pub extra: Vec<String>,
}

impl Drift {
    /// Whether the folder is exactly what would be written.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// Every differing file, relative to the output folder, sorted.
    pub fn files(&self) -> Vec<&str> {
        let mut all: Vec<&str> =
            self.changed.iter().chain(&self.missing).chain(&self.extra).map(String::as_str).collect();
        all.sort();
        all
    }
}

/// Compares without writing anything.
pub fn diff(out_dir: &Path, files: &[OutputFile]) -> Result<Drift> {
    let mut drift = Drift::default();
    for f in files {
        match fs::read(out_dir.join(&f.path)) {
            Ok(bytes) if same_text(&bytes, f.text.as_bytes()) => {}
            Ok(_) => drift.changed.push(f.path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.missing.push(f.path.clone()),
            Err(source) => return Err(Error::Read { file: out_dir.join(&f.path), source }),
        }
    }
    let ours: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    drift.extra = existing_files(out_dir)?.into_iter().filter(|p| !ours.contains(p.as_str())).collect();
    Ok(drift)
}

/// Whether a file on disk holds `text`, ignoring CR before LF: a checkout with CRLF line ends
/// (git's `autocrlf` on Windows) is not stale.
fn same_text(on_disk: &[u8], text: &[u8]) -> bool {
    on_disk == text || {
        let mut disk =
            on_disk.iter().enumerate().filter(|&(i, &b)| !(b == b'\r' && on_disk.get(i + 1) == Some(&b'\n')));
        let mut ours = text.iter();
        loop {
            match (disk.next(), ours.next()) {
                (None, None) => break true,
                (Some((_, a)), Some(b)) if a == b => {}
                _ => break false,
            }
        }
    }
}

/// Writes `files` into `out_dir`, returning what changed.
pub fn write(out_dir: &Path, files: &[OutputFile]) -> Result<Drift> {
    let drift = diff(out_dir, files)?;
    if drift.is_empty() {
        return Ok(drift);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    fs::create_dir_all(out_dir).map_err(io(out_dir))?;
    let staging = out_dir.join(".sdkgen-staging");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    let to_write: Vec<&OutputFile> =
        files.iter().filter(|f| drift.changed.contains(&f.path) || drift.missing.contains(&f.path)).collect();
    for f in &to_write {
        let staged = staging.join(&f.path);
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fs::write(&staged, &f.text).map_err(io(&staged))?;
    }
    for f in &to_write {
        let target = out_dir.join(&f.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fs::rename(staging.join(&f.path), &target).map_err(io(&target))?;
    }
    for extra in &drift.extra {
        let path = out_dir.join(extra);
        fs::remove_file(&path).map_err(io(&path))?;
    }
    // Nothing was staged when the only change is files to remove.
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    Ok(drift)
}

/// Files below `dir`, relative and with `/` separators, leaving out `IGNORED` at the top.
fn existing_files(dir: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let entries = match fs::read_dir(dir.join(&rel)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(Error::Read { file: dir.join(&rel), source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read { file: dir.join(&rel), source })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if rel.as_os_str().is_empty() && IGNORED.contains(&name.as_str()) {
                continue;
            }
            let path = rel.join(&name);
            let file_type = entry.file_type().map_err(|source| Error::Read { file: dir.join(&path), source })?;
            if file_type.is_dir() {
                stack.push(path);
            } else {
                found.push(path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::same_text;

    #[test]
    fn crlf_line_ends_are_the_same_text() {
        assert!(same_text(b"a\r\nb\r\n", b"a\nb\n"));
        assert!(same_text(b"a\nb\n", b"a\nb\n"));
        assert!(!same_text(b"a\r\nb", b"a\nc"));
        assert!(!same_text(b"a\rb", b"a\nb"), "a lone CR is a change");
        assert!(!same_text(b"a\n", b"a\nb"));
    }
}
