//! The gzcm conversion pipeline, shared by the `gzcm` command line and the Python package:
//! the policy (every setting's default and check, in [`policy`], with errors naming settings
//! neutrally: [`SettingError`]), the guard that the output is not an input ([`same_file`]),
//! input detection (COO text, `.npy`, `synthetic:`, and `.cool`/`.mcool`/`.hic`/`.gzcm` by
//! content), the Hi-C ingest (genome, weights, resolution, chromosome, `.bins.tsv`), the codec
//! plan (one codec, or the v4 adaptive per-region choice), the write, and progress reporting
//! through a [`Progress`] the front end supplies; and [`zoomify`], coarser resolutions of a
//! `.gzcm` file with genomic bins, with the same settings; and [`load`], a pairs file to a
//! `.gzcm` file at every resolution.
//!
//! Codecs come from the process-wide registry through the facade ([`gzcm::with_registry`],
//! [`gzcm::get_codec`]); readers and writers left without a registry use the same one.
//!
//! ```no_run
//! use gzcm_convert::{InputOptions, Settings, convert};
//!
//! let converted = convert("sample.mcool::/resolutions/10000", "sample.gzcm".as_ref(), &Settings::default(), &InputOptions::default())?;
//! println!("wrote {}", converted.path().display());
//! # Ok::<(), gzcm_convert::ConvertError>(())
//! ```

#![forbid(unsafe_code)]

pub mod adaptive;
pub mod bins_tsv;
pub mod codec_plan;
pub mod error;
pub mod gzcm_input;
pub mod hic_input;
pub mod ingest;
pub mod load;
pub mod pipeline;
pub mod policy;
pub mod progress;
pub mod resolution_plan;
pub mod same_file;
pub mod setting;
pub mod tile_size;
pub mod zoomify;

pub use adaptive::PickerArgs;
pub use bins_tsv::BinsError;
pub use codec_plan::CodecPlan;
pub use error::ConvertError;
pub use gzcm_hic::WeightSelection;
pub use hic_input::HicOptions;
pub use ingest::{CellInput, WriteOptions};
pub use pipeline::{
    CollectionConverted, Conversion, Converted, HicSummary, InputOptions, convert, convert_cells,
};
pub use policy::{Settings, dtype_named};
pub use progress::{NoProgress, Progress};
pub use resolution_plan::{ResolutionPlan, plan as plan_resolutions};
pub use same_file::refuse_same_file;
pub use setting::{Neutral, Setting, SettingError, Spelling};
pub use tile_size::TileSizeChoice;
pub use zoomify::ZoomifyError;
