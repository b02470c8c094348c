//! The guard that a conversion never writes over one of its own inputs.
//!
//! Files are compared by identity (device and inode on Unix; the canonical path elsewhere), so
//! the guard sees through symbolic links, hard links, `./` and `..`, and through the group
//! part of `file.mcool::/resolutions/R` (the file is the part before `::`).

use std::path::Path;

use crate::error::ConvertError;

/// The file an input spec reads: the part before `::` of `file.mcool::/resolutions/R`, else
/// the spec itself (a `synthetic:` spec names no file and matches none).
#[must_use]
pub fn input_file(spec: &str) -> &Path {
    Path::new(spec.split_once("::").map_or(spec, |(path, _)| path))
}

/// Fails with [`ConvertError::OutputIsInput`] when `output` is one of the files `inputs`,
/// whatever the overwrite setting: the write would destroy its input. An `output` that does not
/// exist yet is never an input. For an input spec, pass [`input_file`]`(spec)`.
pub fn refuse_same_file<'a>(
    inputs: impl IntoIterator<Item = &'a Path>,
    output: &Path,
) -> Result<(), ConvertError> {
    for file in inputs {
        if same_file(file, output) {
            return Err(ConvertError::OutputIsInput {
                input: file.to_path_buf(),
                output: output.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Whether `a` and `b` are one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (identity(a), identity(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// What identifies an existing file (links followed).
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.dev(), metadata.ino()))
}

/// What identifies an existing file (links followed).
#[cfg(not(unix))]
fn identity(path: &Path) -> Option<std::path::PathBuf> {
    std::fs::canonicalize(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(input: &str, output: &Path) -> bool {
        matches!(refuse_same_file([input_file(input)], output), Err(ConvertError::OutputIsInput { .. }))
    }

    #[test]
    fn the_input_file_of_a_spec_is_the_part_before_the_group() {
        assert_eq!(input_file("a.mcool::/resolutions/10000"), Path::new("a.mcool"));
        assert_eq!(input_file("a.cool::/"), Path::new("a.cool"));
        assert_eq!(input_file("m.tsv"), Path::new("m.tsv"));
    }

    #[test]
    fn the_same_file_is_refused_by_path_group_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.mcool");
        std::fs::write(&input, "x").unwrap();
        let spec = input.display().to_string();
        assert!(refused(&spec, &input));
        assert!(refused(&spec, &dir.path().join(".").join("in.mcool")));
        assert!(refused(&format!("{spec}::/resolutions/10000"), &input));
        assert!(refused(&format!("{spec}::/"), &input));
        #[cfg(unix)]
        {
            let symlink = dir.path().join("sym.gzcm");
            std::os::unix::fs::symlink(&input, &symlink).unwrap();
            assert!(refused(&spec, &symlink));
        }
        let hard = dir.path().join("hard.gzcm");
        std::fs::hard_link(&input, &hard).unwrap();
        assert!(refused(&spec, &hard));
        assert!(!refused(&spec, &dir.path().join("new.gzcm")));
        assert!(!refused("synthetic:50", &dir.path().join("new.gzcm")));
    }

    #[test]
    fn the_bins_file_is_an_input_too() {
        let dir = tempfile::tempdir().unwrap();
        let bins = dir.path().join("m.bins.tsv");
        std::fs::write(&bins, "chr1\t0\t10\n").unwrap();
        let err = refuse_same_file([input_file("synthetic:5"), bins.as_path()], &bins).unwrap_err();
        assert!(err.to_string().contains("is the input"), "{err}");
    }
}
