//! cooler's URI form for one resolution of a multi-resolution file, `FILE::/resolutions/R`,
//! parsed in one place for every front end (command line, Python).
//!
//! ```
//! use gzcm_container::resolution_uri::split_resolution;
//!
//! assert_eq!(split_resolution("maps/a.gzcm::/resolutions/1000"), Ok(("maps/a.gzcm", Some(1000))));
//! assert_eq!(split_resolution("s3://b/k.gzcm::/resolutions/5000"), Ok(("s3://b/k.gzcm", Some(5000))));
//! assert_eq!(split_resolution("a.gzcm::/"), Ok(("a.gzcm", None)));
//! assert_eq!(split_resolution("a.gzcm"), Ok(("a.gzcm", None)));
//! assert!(split_resolution("a.gzcm::/resolutions/1kb").is_err());
//! ```

/// What is wrong with a `FILE::/resolutions/R` specification.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolutionUriError {
    /// Nothing before `::`.
    #[error("`{spec}` names no file before `::`")]
    NoFile {
        /// The specification given.
        spec: String,
    },
    /// After `::` comes something other than `/` or `/resolutions/R`.
    #[error("`{spec}`: after `::` expected `/resolutions/R` (R in bp) or `/`, found `{group}`")]
    UnknownGroup {
        /// The specification given.
        spec: String,
        /// What follows `::`.
        group: String,
    },
    /// The resolution is not a whole number of bp above 0.
    #[error("`{spec}`: `{found}` is not a resolution; give the bin size in bp, a whole number above 0")]
    BadResolution {
        /// The specification given.
        spec: String,
        /// The text where the resolution should be.
        found: String,
    },
}

/// The `/resolutions/` group of cooler's URIs.
const GROUP: &str = "/resolutions/";

/// Splits `FILE::/resolutions/R` into the file and the resolution. `FILE` and `FILE::/` name
/// no resolution; a trailing `/` after R is allowed. The file part is returned as given (a
/// local path or a URL such as `s3://bucket/key.gzcm`); the split is at the last `::`.
///
/// # Errors
/// [`ResolutionUriError`] for an empty file part, a group other than `/` or
/// `/resolutions/R`, or an R that is not a whole number of bp above 0.
pub fn split_resolution(spec: &str) -> Result<(&str, Option<u64>), ResolutionUriError> {
    let Some((file, group)) = spec.rsplit_once("::") else {
        return Ok((spec, None));
    };
    if file.is_empty() {
        return Err(ResolutionUriError::NoFile { spec: spec.to_owned() });
    }
    if group == "/" {
        return Ok((file, None));
    }
    let Some(number) = group.strip_prefix(GROUP) else {
        return Err(ResolutionUriError::UnknownGroup { spec: spec.to_owned(), group: group.to_owned() });
    };
    let number = number.strip_suffix('/').unwrap_or(number);
    let bad = || ResolutionUriError::BadResolution { spec: spec.to_owned(), found: number.to_owned() };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match number.parse::<u64>() {
        Ok(resolution) if resolution > 0 => Ok((file, Some(resolution))),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_urls_and_groups_split() {
        assert_eq!(split_resolution("a.gzcm::/resolutions/1000"), Ok(("a.gzcm", Some(1000))));
        assert_eq!(split_resolution("a.gzcm::/resolutions/1000/"), Ok(("a.gzcm", Some(1000))));
        assert_eq!(split_resolution("/d/a b.gzcm::/resolutions/10"), Ok(("/d/a b.gzcm", Some(10))));
        assert_eq!(split_resolution("https://h/x.gzcm::/"), Ok(("https://h/x.gzcm", None)));
        assert_eq!(split_resolution("s3://b/k.gzcm"), Ok(("s3://b/k.gzcm", None)));
        assert_eq!(split_resolution("a::b.gzcm::/resolutions/5"), Ok(("a::b.gzcm", Some(5))));
    }

    #[test]
    fn anything_else_after_the_separator_is_a_typed_error() {
        let group = |s: &str| matches!(split_resolution(s), Err(ResolutionUriError::UnknownGroup { .. }));
        let number = |s: &str| matches!(split_resolution(s), Err(ResolutionUriError::BadResolution { .. }));
        assert!(group("a.gzcm::"));
        assert!(group("a.gzcm::resolutions/1000"));
        assert!(group("a.gzcm::/resolution/1000"));
        assert!(group("a.gzcm::/resolutions"));
        assert!(number("a.gzcm::/resolutions/"));
        assert!(number("a.gzcm::/resolutions/0"));
        assert!(number("a.gzcm::/resolutions/-5"));
        assert!(number("a.gzcm::/resolutions/+5"));
        assert!(number("a.gzcm::/resolutions/1kb"));
        assert!(number("a.gzcm::/resolutions/1000/x"));
        assert!(number("a.gzcm::/resolutions/99999999999999999999999"));
        assert_eq!(
            split_resolution("::/resolutions/5"),
            Err(ResolutionUriError::NoFile { spec: "::/resolutions/5".to_owned() })
        );
        let message = split_resolution("a.gzcm::/x").unwrap_err().to_string();
        assert!(message.contains("/resolutions/R"), "{message}");
    }
}
