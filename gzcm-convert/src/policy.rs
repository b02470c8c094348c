//! The conversion policy both front ends share: the defaults of every setting and the checks of
//! a request, done once here so that `gzcm convert` and `gzcm.convert_to_gzcm` cannot drift.
//!
//! A front end fills one [`Settings`] with what the user gave (leaving the rest to
//! [`Settings::default`]) and hands it to [`crate::convert`]; it checks nothing itself. Errors
//! name settings neutrally ([`crate::SettingError`]); each front end spells them its own way.

use std::sync::Arc;

use gzcm::grid::TILE_SIZES;
use gzcm::{CodecHandle, Dtype, EncodeOptions};
use gzcm_picker::Goal;

use crate::adaptive::PickerArgs;
use crate::codec_plan::fixed_codec;
use crate::error::ConvertError;
use crate::ingest::levelled_codecs;
use crate::progress::{NoProgress, Progress};
use crate::setting::{Setting, SettingError};

/// The version written when a codec is named without a version (and by the commands that cannot
/// choose codecs per region: `zoomify`, `load`).
pub const DEFAULT_VERSION: u32 = gzcm_container::DEFAULT_VERSION;

/// The version the adaptive codec choice writes (the only one that records it): a conversion
/// that names neither a version nor a codec writes it.
pub const ADAPTIVE_VERSION: u32 = 4;

/// The codec of every tile of versions 3 and 4 when none is asked for.
pub const DEFAULT_CODEC: &str = gzcm_container::DEFAULT_CODEC;

/// The tile edge when none is asked for (`None` asks for the automatic choice).
pub const DEFAULT_TILE_SIZE: u32 = gzcm_container::DEFAULT_TILE_SIZE;

/// The codec of every tile `zoomify` and `load` write when none is named: on the dense tiles
/// left once the sparse ones are in tile groups, `shuffle_zstd` wrote 20 % fewer bytes than
/// `zstd` in 18 % less time (20 million human pairs at 1 kb … 1 Mb; docs/benchmarks.md).
pub const ONE_CODEC_DEFAULT: &str = "shuffle_zstd";

/// What the adaptive choice optimises when not told: the `balanced` preset, with its own
/// weights, normalisation and decode budget.
pub const DEFAULT_GOAL: Goal = Goal::Balanced;

/// The versions a file can be written in.
pub const VERSIONS: std::ops::RangeInclusive<u32> = 1..=4;

/// How to write, whatever the input.
#[derive(Clone)]
pub struct Settings {
    /// Format version; `None`: [`ADAPTIVE_VERSION`] when adaptive, else [`DEFAULT_VERSION`].
    pub version: Option<u32>,
    /// The codec of every tile; `None`: the adaptive choice, or [`DEFAULT_CODEC`] when a version
    /// is named or the choice is turned off.
    pub codec: Option<String>,
    /// Compression level for the codecs that have one (with `adaptive`: for every candidate
    /// that accepts it).
    pub level: Option<i32>,
    /// Choose a codec per region (version 4) by measuring candidates on sample tiles.
    /// `None` (the default): only when neither `version` nor `codec` is given, so that a plain
    /// conversion writes the smallest file that still reads fast (see
    /// [`Settings::resolved_adaptive`]); `zoomify` and `load` take `None` as `false`.
    pub adaptive: Option<bool>,
    /// What the adaptive choice is asked (candidates, goal, weights, normalisation); anything
    /// but the default without `adaptive` is refused. Its `level` is taken from `level`.
    pub picker: PickerArgs,
    /// Tile edge; `None`: chosen from the input ([`crate::tile_size::choose`]: 256, larger for
    /// large sparse maps).
    pub tile_size: Option<u32>,
    /// Stored cell type; `None`: the input's natural one. See [`dtype_named`].
    pub dtype: Option<Dtype>,
    /// Replace an existing output (never an input: see [`crate::same_file`]).
    pub overwrite: bool,
    /// v3/v4: store the tile index packed, without header padding (format revision
    /// packed-index-1); the default. `false`: the padded layout of SPEC §4.
    pub packed_index: bool,
    /// Store the sparse tiles of each row together in tile groups (format revision groups-1)
    /// in files of `u32` cells with a packed index; `None`: off for conversions, on for
    /// `zoomify` and `load` (see [`Settings::without_default_choice`]).
    pub tile_groups: Option<bool>,
    /// The metadata's `writer` field, e.g. `gzcm 0.1.0`.
    pub writer: String,
    /// Where progress goes.
    pub progress: Arc<dyn Progress>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: None,
            codec: None,
            level: None,
            adaptive: None,
            picker: PickerArgs::default(),
            tile_size: Some(DEFAULT_TILE_SIZE),
            dtype: None,
            overwrite: false,
            packed_index: true,
            tile_groups: None,
            writer: format!("gzcm {}", env!("CARGO_PKG_VERSION")),
            progress: Arc::new(NoProgress),
        }
    }
}

/// A stored cell type by name (`u32`/`uint32`, `f32`/`float32`).
///
/// # Errors
/// [`SettingError::Dtype`] for any other name.
pub fn dtype_named(name: &str) -> Result<Dtype, SettingError> {
    Dtype::from_name(name).ok_or_else(|| SettingError::Dtype { name: name.to_owned() })
}

/// A request that passed [`Settings::check`]: what the write uses.
pub(crate) struct Checked {
    /// The version to write.
    pub(crate) version: u32,
    /// The one codec of a non-adaptive compressed write, built once.
    pub(crate) fixed: Option<Arc<CodecHandle>>,
    /// The picker's arguments when adaptive (with the level).
    pub(crate) picker: Option<PickerArgs>,
}

impl Settings {
    /// Whether the write chooses codecs per region: as asked, else when neither a version nor
    /// a codec is named.
    #[must_use]
    pub fn resolved_adaptive(&self) -> bool {
        self.adaptive.unwrap_or(self.version.is_none() && self.codec.is_none())
    }

    /// These settings for a command that writes one codec everywhere (`zoomify`, `load`): an
    /// unset `adaptive` becomes `false` (an explicit `true` stays, for the command to refuse);
    /// an unset codec of a compressed version becomes [`ONE_CODEC_DEFAULT`]; unset
    /// `tile_groups` become on with a packed index: genome-wide maps at fine resolutions are
    /// mostly tiles of a few contacts.
    #[must_use]
    pub fn without_default_choice(&self) -> Settings {
        let adaptive = self.adaptive.unwrap_or(false);
        let compressed = self.version.is_none_or(|version| version >= 3);
        let codec = match &self.codec {
            None if compressed && !adaptive => Some(ONE_CODEC_DEFAULT.to_owned()),
            codec => codec.clone(),
        };
        Settings {
            adaptive: Some(adaptive),
            codec,
            tile_groups: Some(self.tile_groups.unwrap_or(self.packed_index)),
            ..self.clone()
        }
    }

    /// Whether a write of `dtype` cells in `version` stores tile groups: as asked, for `u32`
    /// cells in a packed version 3 or 4 file.
    #[must_use]
    pub fn resolved_tile_groups(&self, dtype: Dtype, version: u32) -> bool {
        self.tile_groups.unwrap_or(false) && self.packed_index && dtype == Dtype::U32 && version >= 3
    }

    /// The format version: as given, [`ADAPTIVE_VERSION`] when adaptive, else
    /// [`DEFAULT_VERSION`].
    ///
    /// # Errors
    /// [`SettingError::Version`] outside 1..=4; [`SettingError::AdaptiveVersion`] for an
    /// adaptive write of another version.
    pub fn resolved_version(&self) -> Result<u32, SettingError> {
        match (self.version, self.resolved_adaptive()) {
            (Some(version), _) if !VERSIONS.contains(&version) => Err(SettingError::Version { version }),
            (Some(version), true) if version != ADAPTIVE_VERSION => {
                Err(SettingError::AdaptiveVersion { version })
            }
            (Some(version), _) => Ok(version),
            (None, true) => Ok(ADAPTIVE_VERSION),
            (None, false) => Ok(DEFAULT_VERSION),
        }
    }

    /// Every check that needs no input, in the order a user fixes them; resolves the version,
    /// builds the fixed codec once (so a codec refusing the level fails before any input is
    /// read) and, for `dtype` when known, checks that it stores the cells.
    pub(crate) fn check(&self) -> Result<Checked, ConvertError> {
        self.check_picker()?;
        if let Some(tile_size) = self.tile_size.filter(|t| !TILE_SIZES.contains(t)) {
            return Err(SettingError::TileSize { tile_size }.into());
        }
        let version = self.resolved_version()?;
        let fixed = self.fixed_codec(version)?;
        if let (Some(handle), Some(dtype)) = (&fixed, self.dtype) {
            crate::codec_plan::check_stores(handle, dtype)?;
        }
        let picker =
            self.resolved_adaptive().then(|| PickerArgs { level: self.level, ..self.picker.clone() });
        Ok(Checked { version, fixed, picker })
    }

    /// The adaptive settings fit together: no codec with `adaptive`, no picker setting without
    /// it, a level some codec accepts.
    fn check_picker(&self) -> Result<(), SettingError> {
        if !self.resolved_adaptive() {
            return match self.picker_setting_given() {
                Some(setting) => Err(SettingError::NeedsAdaptive { setting }),
                None => Ok(()),
            };
        }
        if let Some(codec) = &self.codec {
            return Err(SettingError::AdaptiveWithCodec { codec: codec.clone() });
        }
        match self.level {
            Some(level) if levelled_codecs(Some(level)).is_empty() => {
                Err(SettingError::LevelUnused { level })
            }
            _ => Ok(()),
        }
    }

    /// The first picker setting that differs from its default.
    fn picker_setting_given(&self) -> Option<Setting> {
        let picker = &self.picker;
        [
            (!picker.candidates.is_empty(), Setting::CodecCandidates),
            (picker.goal != DEFAULT_GOAL, Setting::PickerGoal),
            (picker.weights.is_some(), Setting::PickerWeights),
            (picker.normalisation.is_some(), Setting::PickerNormalisation),
        ]
        .into_iter()
        .find_map(|(given, setting)| given.then_some(setting))
    }

    /// The one codec of a non-adaptive compressed write (the given one, else the default),
    /// resolved once; `None` when adaptive and for the uncompressed versions 1 and 2, which
    /// refuse a codec and a level rather than ignore them.
    fn fixed_codec(&self, version: u32) -> Result<Option<Arc<CodecHandle>>, ConvertError> {
        if version <= 2 {
            let ignored =
                |setting, value: String| SettingError::IgnoredByUncompressed { version, setting, value };
            if let Some(codec) = &self.codec {
                return Err(ignored(Setting::Codec, codec.clone()).into());
            }
            if let Some(level) = self.level {
                return Err(ignored(Setting::Level, level.to_string()).into());
            }
            return Ok(None);
        }
        if self.resolved_adaptive() {
            return Ok(None);
        }
        let name = self.codec.as_deref().unwrap_or(DEFAULT_CODEC);
        let encode = self.level.map(EncodeOptions::with_level).unwrap_or_default();
        fixed_codec(name, &encode).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(settings: &Settings) -> SettingError {
        match settings.check() {
            Err(ConvertError::Setting(error)) => error,
            Err(other) => panic!("not a setting error: {other}"),
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn defaults_resolve_to_version_4_balanced_and_a_named_codec_or_version_to_one_codec() {
        let checked = Settings::default().check().unwrap();
        assert_eq!(checked.version, 4);
        assert!(checked.fixed.is_none());
        assert_eq!(checked.picker.unwrap().goal, Goal::Balanced);
        for settings in [
            Settings { version: Some(3), ..Settings::default() },
            Settings { codec: Some("zstd".into()), ..Settings::default() },
            Settings { adaptive: Some(false), ..Settings::default() },
            Settings { codec: Some("zstd".into()), ..Settings::default() }.without_default_choice(),
        ] {
            let checked = settings.check().unwrap();
            assert_eq!((checked.version, checked.picker.is_none()), (3, true));
            assert_eq!(checked.fixed.unwrap().descriptor().name(), "zstd");
        }
        let one_codec = Settings::default().without_default_choice();
        assert_eq!(one_codec.tile_groups, Some(true));
        let checked = one_codec.check().unwrap();
        assert_eq!((checked.version, checked.picker.is_none()), (3, true));
        assert_eq!(checked.fixed.unwrap().descriptor().name(), ONE_CODEC_DEFAULT);
        let uncompressed = Settings { version: Some(2), ..Settings::default() }.without_default_choice();
        assert!(uncompressed.check().unwrap().fixed.is_none(), "versions 1 and 2 take no codec");
        let v4 = Settings { version: Some(4), ..Settings::default() }.check().unwrap();
        assert_eq!(v4.fixed.unwrap().descriptor().name(), "zstd", "a named version keeps one codec");
        let pinned = Settings { adaptive: Some(true), ..Settings::default() }.without_default_choice();
        assert_eq!(pinned.adaptive, Some(true), "an explicit choice stays for the command to refuse");
        let adaptive = Settings { adaptive: Some(true), level: Some(1), ..Settings::default() };
        let checked = adaptive.check().unwrap();
        assert_eq!(checked.version, 4);
        let picker = checked.picker.unwrap();
        assert_eq!((picker.goal, picker.weights, picker.level), (Goal::Balanced, None, Some(1)));
    }

    #[test]
    fn settings_that_do_not_fit_together_are_refused() {
        let adaptive = Settings { adaptive: Some(true), ..Settings::default() };
        let v3 = Settings { version: Some(3), ..adaptive.clone() };
        assert_eq!(error(&v3), SettingError::AdaptiveVersion { version: 3 });
        let codec = Settings { codec: Some("lz4".into()), ..adaptive.clone() };
        assert_eq!(error(&codec), SettingError::AdaptiveWithCodec { codec: "lz4".into() });
        let level = Settings { level: Some(1 << 20), ..adaptive };
        assert_eq!(error(&level), SettingError::LevelUnused { level: 1 << 20 });
        let goal = PickerArgs { goal: Goal::Smallest, ..PickerArgs::default() };
        let picker = Settings { picker: goal, codec: Some("zstd".into()), ..Settings::default() };
        assert_eq!(error(&picker), SettingError::NeedsAdaptive { setting: Setting::PickerGoal });
        let v1 = Settings { version: Some(1), codec: Some("lz4".into()), ..Settings::default() };
        assert!(matches!(error(&v1), SettingError::IgnoredByUncompressed { setting: Setting::Codec, .. }));
    }

    #[test]
    fn out_of_range_values_are_refused() {
        let v5 = Settings { version: Some(5), ..Settings::default() };
        assert_eq!(error(&v5), SettingError::Version { version: 5 });
        let tiny = Settings { tile_size: Some(8), ..Settings::default() };
        assert_eq!(error(&tiny), SettingError::TileSize { tile_size: 8 });
        assert_eq!(dtype_named("float32"), Ok(Dtype::F32));
        assert_eq!(dtype_named("int64"), Err(SettingError::Dtype { name: "int64".into() }));
    }
}
