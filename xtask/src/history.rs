//! `cargo xtask history --repo DIR [--file PATH]`: how a spec's real history reads to the users
//! of the crates generated from it. Every stored version of `PATH` in the git repository `DIR`
//! (default: SailPoint's `dereferenced/deref-sailpoint-api.v3.yaml`, from sailpoint-oss/api-specs)
//! is generated, oldest first, and each is compared with the one before (`--changes`): how many
//! updates are breaking (major), additive (minor) or neither (patch).

use std::path::Path;
use std::process::Command;

use sdkgen::changes::{compare, Bump};
use sdkgen::surface::Surface;

const DEFAULT_FILE: &str = "dereferenced/deref-sailpoint-api.v3.yaml";

pub fn history(args: &[String]) -> i32 {
    let mut repo = None;
    let mut file = DEFAULT_FILE.to_string();
    let mut details = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--repo" => repo = args.next().cloned(),
            "--file" => file = args.next().cloned().unwrap_or(file),
            "--details" => details = true,
            other => {
                eprintln!("error: unknown argument `{other}`\nusage: cargo xtask history --repo DIR [--file PATH] [--details]");
                return 2;
            }
        }
    }
    let Some(repo) = repo else {
        eprintln!("usage: cargo xtask history --repo DIR [--file PATH] [--details]");
        return 2;
    };
    match run(Path::new(&repo), &file, details) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git").arg("--git-dir").arg(repo).args(args).output().map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn run(repo: &Path, file: &str, details: bool) -> Result<(), String> {
    let log =
        String::from_utf8_lossy(&git(repo, &["log", "--reverse", "--format=%h %ad", "--date=short", "--", file])?)
            .into_owned();
    let dir = std::env::temp_dir().join(format!("sdkgen-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    // One file name for every version, so that every crate has the same module.
    let spec = dir.join("v3.yaml");
    let mut previous: Option<(String, Surface)> = None;
    let (mut counts, mut missing, mut failed) = ([0usize; 3], 0, 0);
    for line in log.lines() {
        let (commit, date) = line.split_once(' ').unwrap_or((line, ""));
        // A snapshot may lack the blobs of old versions: those are passed over.
        let Ok(text) = git(repo, &["show", &format!("{commit}:{file}")]) else {
            missing += 1;
            continue;
        };
        std::fs::write(&spec, text).map_err(|e| e.to_string())?;
        let options =
            sdkgen::Options { specs: vec![spec.clone()], crate_name: "sailpoint-v3".into(), ..Default::default() };
        let surface = match sdkgen::generate(&options) {
            Ok(generated) => generated.surface,
            Err(e) => {
                println!("{commit} {date}: does not generate: {e}");
                failed += 1;
                continue;
            }
        };
        if let Some((before, old)) = &previous {
            let report = compare(old, &surface);
            counts[report.semver as usize] += 1;
            let count = |s: &sdkgen::changes::Section| (s.added.len(), s.removed.len(), s.changed.len());
            let (oa, or, oc) = count(&report.operations);
            let (ta, tr, tc) = count(&report.types);
            println!(
                "{before} -> {commit} {date}: {:?}; operations +{oa} -{or} ~{oc}; types +{ta} -{tr} ~{tc}",
                report.semver
            );
            if details && report.semver == Bump::Major {
                for line in report.markdown("v3").lines().filter(|l| l.starts_with("- ")) {
                    println!("    {line}");
                }
            }
        }
        previous = Some((commit.to_string(), surface));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let updates: usize = counts.iter().sum();
    println!(
        "{updates} updates between stored versions: {} major (breaking), {} minor, {} patch; \
         {missing} versions not stored, {failed} that do not generate",
        counts[Bump::Major as usize],
        counts[Bump::Minor as usize],
        counts[Bump::Patch as usize]
    );
    Ok(())
}
