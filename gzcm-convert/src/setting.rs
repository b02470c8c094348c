//! The settings of a conversion by their neutral names, how each front end spells them, and
//! the errors of a request whose settings do not fit together.
//!
//! A [`SettingError`] names settings, never a front end's spelling of them: its `Display` uses
//! the neutral names (`adaptive`, `version = 3`), and [`SettingError::spelled`] writes the same
//! message in a front end's words (`--adaptive`, `--version 3` on the command line;
//! `adaptive_codec=True`, `version=3` in Python).

use std::fmt;

use gzcm::Dtype;
use gzcm::grid::{MAX_TILE_SIZE, MIN_TILE_SIZE};

/// One setting of a conversion request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Setting {
    /// The format version.
    Version,
    /// The one codec of every tile.
    Codec,
    /// The compression level.
    Level,
    /// The v4 per-region codec choice (a switch).
    Adaptive,
    /// The adaptive choice's candidate codecs.
    CodecCandidates,
    /// The adaptive choice's preset.
    PickerGoal,
    /// The adaptive choice's criterion weights.
    PickerWeights,
    /// The adaptive choice's normalisation.
    PickerNormalisation,
    /// The tile edge.
    TileSize,
    /// The stored cell type.
    Dtype,
    /// Hi-C inputs: the resolution.
    Resolution,
    /// Hi-C inputs: several resolutions, stored in one multi-resolution file.
    Resolutions,
    /// Hi-C inputs: one chromosome.
    Chrom,
    /// Hi-C inputs: the weight vectors to store.
    Weights,
    /// COO input: a `.bins.tsv` file.
    Bins,
    /// COO input: the matrix shape.
    Shape,
    /// COO and `.npy` inputs: whether the matrix is symmetric.
    Symmetric,
}

impl Setting {
    /// The neutral name, `snake_case`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Setting::Version => "version",
            Setting::Codec => "codec",
            Setting::Level => "level",
            Setting::Adaptive => "adaptive",
            Setting::CodecCandidates => "codec_candidates",
            Setting::PickerGoal => "picker_goal",
            Setting::PickerWeights => "picker_weights",
            Setting::PickerNormalisation => "picker_normalisation",
            Setting::TileSize => "tile_size",
            Setting::Dtype => "dtype",
            Setting::Resolution => "resolution",
            Setting::Resolutions => "resolutions",
            Setting::Chrom => "chrom",
            Setting::Weights => "weights",
            Setting::Bins => "bins",
            Setting::Shape => "shape",
            Setting::Symmetric => "symmetric",
        }
    }

    /// Whether the setting is a switch (on or off) rather than a value.
    #[must_use]
    pub fn is_switch(self) -> bool {
        matches!(self, Setting::Adaptive | Setting::Symmetric)
    }

    /// Whether the setting's values are text (quoted by front ends that quote strings).
    #[must_use]
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Setting::Codec
                | Setting::CodecCandidates
                | Setting::PickerGoal
                | Setting::PickerNormalisation
                | Setting::Dtype
                | Setting::Chrom
                | Setting::Weights
                | Setting::Bins
                | Setting::Shape
        )
    }
}

/// How a front end writes settings in its messages.
pub trait Spelling {
    /// The setting alone (`--codec`, `codec`); a switch as switched on (`--adaptive`,
    /// `adaptive_codec=True`).
    fn setting(&self, setting: Setting) -> String;

    /// The setting given `value` (`--codec lz4`, `codec='lz4'`), as the user would write it.
    fn assignment(&self, setting: Setting, value: &str) -> String;
}

/// The neutral spelling of [`SettingError`]'s `Display`: `` `version` ``, `` `version = 3` ``.
#[derive(Clone, Copy, Debug, Default)]
pub struct Neutral;

impl Spelling for Neutral {
    fn setting(&self, setting: Setting) -> String {
        format!("`{}`", setting.name())
    }

    fn assignment(&self, setting: Setting, value: &str) -> String {
        format!("`{} = {value}`", setting.name())
    }
}

/// A request whose settings are out of range or do not fit together (or do not fit the input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingError {
    /// A format version other than 1..=4.
    Version {
        /// The version asked for.
        version: u32,
    },
    /// A tile edge outside 16..=4096.
    TileSize {
        /// The edge asked for.
        tile_size: u32,
    },
    /// A cell type name the writer does not store.
    Dtype {
        /// The name given.
        name: String,
    },
    /// The adaptive choice with a version other than 4.
    AdaptiveVersion {
        /// The version asked for.
        version: u32,
    },
    /// The adaptive choice together with one codec.
    AdaptiveWithCodec {
        /// The codec given.
        codec: String,
    },
    /// A setting of the adaptive choice without the adaptive choice.
    NeedsAdaptive {
        /// The setting given.
        setting: Setting,
    },
    /// A compression level with the adaptive choice that no registered codec accepts.
    LevelUnused {
        /// The level given.
        level: i32,
    },
    /// A codec or level for the uncompressed versions 1 and 2, which would ignore it.
    IgnoredByUncompressed {
        /// The version asked for.
        version: u32,
        /// [`Setting::Codec`] or [`Setting::Level`].
        setting: Setting,
        /// The value given.
        value: String,
    },
    /// Hi-C settings for an input that is not a `.cool`, `.mcool` or `.hic` file.
    HicSettingsWithoutHic {
        /// The input as given.
        input: String,
        /// The Hi-C settings given.
        settings: Vec<Setting>,
    },
    /// COO settings (bins, shape) for a Hi-C input, whose bins come from the file.
    NotForHic {
        /// The COO settings given.
        settings: Vec<Setting>,
    },
    /// Settings describing a matrix (bins, shape, symmetry) for a `.gzcm` input, which
    /// describes itself.
    NotForGzcm {
        /// The settings given.
        settings: Vec<Setting>,
    },
    /// One resolution and a list of resolutions together, or a list with a cooler URI that
    /// already names one resolution.
    ResolutionTwice {
        /// The input as given.
        input: String,
    },
    /// An empty list of resolutions.
    NoResolutions,
    /// Settings a zoomify cannot honour: the adaptive codec choice (it measures a matrix before
    /// writing it; a coarse level exists only as it is written) and a cell type (every level
    /// keeps the input's).
    NotForZoomify {
        /// The settings given.
        settings: Vec<Setting>,
    },
}

impl SettingError {
    /// The settings the error is about, the first being the one to change.
    #[must_use]
    pub fn settings(&self) -> Vec<Setting> {
        match self {
            SettingError::Version { .. } | SettingError::AdaptiveVersion { .. } => vec![Setting::Version],
            SettingError::TileSize { .. } => vec![Setting::TileSize],
            SettingError::Dtype { .. } => vec![Setting::Dtype],
            SettingError::AdaptiveWithCodec { .. } => vec![Setting::Codec, Setting::Adaptive],
            SettingError::NeedsAdaptive { setting } => vec![*setting, Setting::Adaptive],
            SettingError::LevelUnused { .. } => vec![Setting::Level],
            SettingError::IgnoredByUncompressed { setting, .. } => vec![*setting, Setting::Version],
            SettingError::HicSettingsWithoutHic { settings, .. }
            | SettingError::NotForHic { settings }
            | SettingError::NotForGzcm { settings }
            | SettingError::NotForZoomify { settings } => settings.clone(),
            SettingError::ResolutionTwice { .. } => vec![Setting::Resolutions, Setting::Resolution],
            SettingError::NoResolutions => vec![Setting::Resolutions],
        }
    }

    /// The message, with the settings written as `spelling` writes them.
    #[must_use]
    pub fn spelled(&self, spelling: &dyn Spelling) -> String {
        let is = |setting, value: &dyn fmt::Display| spelling.assignment(setting, &value.to_string());
        let named = |setting| spelling.setting(setting);
        match self {
            SettingError::Version { version } => {
                format!("{} is not a format version; versions are 1 to 4", is(Setting::Version, version))
            }
            SettingError::TileSize { tile_size } => format!(
                "{} is outside {MIN_TILE_SIZE}..={MAX_TILE_SIZE} (tiles are T×T with \
                 {MIN_TILE_SIZE} <= T <= {MAX_TILE_SIZE})",
                is(Setting::TileSize, tile_size)
            ),
            SettingError::Dtype { name } => format!(
                "{} is not a stored cell type; use {} or {}",
                is(Setting::Dtype, name),
                Dtype::U32.name(),
                Dtype::F32.name()
            ),
            SettingError::AdaptiveVersion { version } => format!(
                "{} needs {} (the per-region choice is recorded in version 4 files); got {}",
                named(Setting::Adaptive),
                is(Setting::Version, &4),
                is(Setting::Version, version)
            ),
            SettingError::AdaptiveWithCodec { codec } => format!(
                "{} and {} exclude each other: the adaptive choice picks each region's codec",
                is(Setting::Codec, codec),
                named(Setting::Adaptive)
            ),
            SettingError::NeedsAdaptive { setting } => format!(
                "{} applies to the adaptive codec choice, which is made unless {} or {} is given; \
                 drop them, or add {} to a version 4 write",
                named(*setting),
                named(Setting::Codec),
                named(Setting::Version),
                named(Setting::Adaptive)
            ),
            SettingError::LevelUnused { level } => {
                format!("no codec accepts {}; see the codec list", is(Setting::Level, level))
            }
            SettingError::IgnoredByUncompressed { version, setting, value } => format!(
                "version {version} stores tiles uncompressed, so {} would be ignored; drop {} or \
                 write {} or {}",
                is(*setting, value),
                named(*setting),
                is(Setting::Version, &3),
                is(Setting::Version, &4)
            ),
            SettingError::HicSettingsWithoutHic { input, settings } => format!(
                "Hi-C settings ({}) apply to .cool, .mcool and .hic inputs; `{input}` is none",
                listed(settings, spelling)
            ),
            SettingError::NotForHic { settings } => format!(
                "COO settings ({}) do not apply to .cool, .mcool and .hic inputs (their bins come \
                 from the file)",
                listed(settings, spelling)
            ),
            SettingError::NotForGzcm { settings } => format!(
                "settings describing the matrix ({}) do not apply to a .gzcm input (its shape, \
                 symmetry and genome come from the file)",
                listed(settings, spelling)
            ),
            SettingError::ResolutionTwice { input } => format!(
                "{} keeps one resolution and {} several: give one of them (`{input}` may name a \
                 resolution itself, as `FILE::/resolutions/R`)",
                named(Setting::Resolution),
                named(Setting::Resolutions)
            ),
            SettingError::NoResolutions => {
                format!("{} lists no resolution", named(Setting::Resolutions))
            }
            SettingError::NotForZoomify { settings } => format!(
                "zoomify does not take {}: every level keeps the input's cell type and is written \
                 with one codec (re-encode a level with `convert` to change either)",
                listed(settings, spelling)
            ),
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn listed(settings: &[Setting], spelling: &dyn Spelling) -> String {
    let names: Vec<String> = settings.iter().map(|&s| spelling.setting(s)).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spelled(&Neutral))
    }
}

impl std::error::Error for SettingError {}

#[cfg(test)]
mod tests {
    use super::*;

    struct Flags;

    impl Spelling for Flags {
        fn setting(&self, setting: Setting) -> String {
            format!("--{}", setting.name().replace('_', "-"))
        }

        fn assignment(&self, setting: Setting, value: &str) -> String {
            format!("{} {value}", self.setting(setting))
        }
    }

    #[test]
    fn messages_use_the_spelling_given() {
        let error = SettingError::AdaptiveVersion { version: 3 };
        assert_eq!(
            error.to_string(),
            "`adaptive` needs `version = 4` (the per-region choice is recorded in version 4 files); \
             got `version = 3`"
        );
        let flags = error.spelled(&Flags);
        assert!(flags.starts_with("--adaptive needs --version 4 ") && flags.ends_with("got --version 3"));
        assert_eq!(error.settings(), [Setting::Version]);
    }

    #[test]
    fn lists_of_settings_read_as_prose() {
        let one = SettingError::NotForHic { settings: vec![Setting::Bins] };
        assert!(one.spelled(&Flags).starts_with("COO settings (--bins) do not apply"), "{one}");
        let three = SettingError::HicSettingsWithoutHic {
            input: "x.tsv".into(),
            settings: vec![Setting::Resolution, Setting::Chrom, Setting::Weights],
        };
        assert!(
            three.spelled(&Flags).starts_with("Hi-C settings (--resolution, --chrom and --weights) apply to")
        );
    }
}
