//! Which resolutions of a Hi-C input a conversion keeps: one (named by `::/resolutions/R`,
//! `resolution`, or because the file has only one) or several, which are written into one
//! multi-resolution `.gzcm` file.

use gzcm_hic::HicError;

use crate::error::ConvertError;
use crate::hic_input::HicOptions;
use crate::setting::SettingError;

/// The resolutions a conversion of a Hi-C input writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolutionPlan {
    /// One matrix, as the input names it (a single-resolution file).
    One,
    /// These resolutions, ascending and distinct (at least two): a multi-resolution file.
    Many(Vec<u64>),
}

/// Decides from the request and the resolutions the file holds.
///
/// # Errors
/// [`SettingError::ResolutionTwice`] for `resolution` together with `resolutions` (or with a
/// cooler URI naming a group), [`SettingError::NoResolutions`] for an empty list, and
/// [`ConvertError::OpenHic`] with [`HicError::Resolution`] (listing the file's resolutions) for
/// a listed resolution the file does not hold; reading errors of the file.
pub fn plan(input: &str, hic: &HicOptions) -> Result<ResolutionPlan, ConvertError> {
    let names_group = input.split_once("::").is_some_and(|(_, group)| !group.trim_matches('/').is_empty());
    let Some(wanted) = &hic.resolutions else {
        if names_group || hic.resolution.is_some() {
            return Ok(ResolutionPlan::One);
        }
        let available = file_resolutions(input)?;
        return Ok(if available.len() > 1 { ResolutionPlan::Many(available) } else { ResolutionPlan::One });
    };
    if names_group || hic.resolution.is_some() {
        return Err(SettingError::ResolutionTwice { input: input.to_owned() }.into());
    }
    let mut wanted = wanted.clone();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Err(SettingError::NoResolutions.into());
    }
    let available = file_resolutions(input)?;
    if let Some(&missing) = wanted.iter().find(|r| !available.contains(r)) {
        let source =
            HicError::Resolution { path: gzcm_hic::split_uri(input).0, requested: Some(missing), available };
        return Err(ConvertError::OpenHic { input: input.to_owned(), source });
    }
    Ok(match wanted.as_slice() {
        [_] => ResolutionPlan::One,
        _ => ResolutionPlan::Many(wanted),
    })
}

fn file_resolutions(input: &str) -> Result<Vec<u64>, ConvertError> {
    gzcm_hic::resolutions(input).map_err(|source| ConvertError::OpenHic { input: input.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(resolution: Option<u64>, resolutions: Option<&[u64]>) -> HicOptions {
        HicOptions { resolution, resolutions: resolutions.map(<[u64]>::to_vec), ..HicOptions::default() }
    }

    #[test]
    fn multi_resolution_inputs_keep_every_resolution_unless_told() {
        for file in ["yeast_10kb.mcool", "yeast_10kb.hic"] {
            let Some(path) = gzcm_test_support::data_path(file) else { return };
            let input = path.to_str().unwrap();
            assert_eq!(
                plan(input, &request(None, None)).unwrap(),
                ResolutionPlan::Many(vec![10_000, 20_000, 40_000])
            );
            assert_eq!(plan(input, &request(Some(20_000), None)).unwrap(), ResolutionPlan::One);
            assert_eq!(
                plan(input, &request(None, Some(&[40_000, 10_000, 40_000]))).unwrap(),
                ResolutionPlan::Many(vec![10_000, 40_000])
            );
            assert_eq!(plan(input, &request(None, Some(&[20_000]))).unwrap(), ResolutionPlan::One);
        }
    }

    #[test]
    fn single_resolution_inputs_and_uris_keep_one() {
        let Some(dir) = gzcm_test_support::data_dir_with(&["yeast_10kb.cool", "yeast_10kb.mcool"]) else {
            return;
        };
        let cool = dir.join("yeast_10kb.cool");
        assert_eq!(plan(cool.to_str().unwrap(), &request(None, None)).unwrap(), ResolutionPlan::One);
        let uri = format!("{}::/resolutions/20000", dir.join("yeast_10kb.mcool").display());
        assert_eq!(plan(&uri, &request(None, None)).unwrap(), ResolutionPlan::One);
    }

    #[test]
    fn contradictory_or_impossible_lists_are_refused() {
        let Some(path) = gzcm_test_support::data_path("yeast_10kb.mcool") else { return };
        let input = path.to_str().unwrap();
        let twice = plan(input, &request(Some(10_000), Some(&[10_000]))).unwrap_err();
        assert!(matches!(twice, ConvertError::Setting(SettingError::ResolutionTwice { .. })), "{twice:?}");
        let uri = format!("{input}::/resolutions/20000");
        assert!(matches!(
            plan(&uri, &request(None, Some(&[10_000]))),
            Err(ConvertError::Setting(SettingError::ResolutionTwice { .. }))
        ));
        assert!(matches!(
            plan(input, &request(None, Some(&[]))),
            Err(ConvertError::Setting(SettingError::NoResolutions))
        ));
        let missing = plan(input, &request(None, Some(&[10_000, 15_000]))).unwrap_err();
        let text = format!("{:#}", anyhow_like(&missing));
        assert!(text.contains("15000") && text.contains("10000, 20000, 40000"), "{text}");
    }

    /// The error and its sources, one line.
    fn anyhow_like(error: &dyn std::error::Error) -> String {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(inner) = source {
            text = format!("{text}: {inner}");
            source = inner.source();
        }
        text
    }
}
