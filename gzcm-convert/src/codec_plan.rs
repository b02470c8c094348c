//! The codecs of one write, resolved once before any input is read: nothing for the
//! uncompressed versions, one codec looked up and built once, or a per-region choice.

use std::sync::Arc;

use gzcm::{CodecHandle, Dtype, EncodeOptions};
use gzcm_picker::Decision;

use crate::error::ConvertError;

/// How a write stores its tiles.
#[derive(Clone, Debug)]
pub enum CodecPlan {
    /// Versions 1 and 2: tiles are stored uncompressed, no codec is involved.
    Uncompressed,
    /// One codec for every tile, looked up and built once (the level is already applied).
    Fixed(Arc<CodecHandle>),
    /// A codec per region, chosen by the v4 adaptive picker.
    PerRegion(Arc<Decision>),
}

impl CodecPlan {
    /// The picker's decision of a per-region plan.
    #[must_use]
    pub fn into_decision(self) -> Option<Arc<Decision>> {
        match self {
            CodecPlan::PerRegion(decision) => Some(decision),
            CodecPlan::Uncompressed | CodecPlan::Fixed(_) => None,
        }
    }
}

/// Looks `name` up once and builds it with `encode` (so a codec refusing the level fails here,
/// before any input is read).
pub fn fixed_codec(name: &str, encode: &EncodeOptions) -> Result<Arc<CodecHandle>, ConvertError> {
    let descriptor = gzcm::get_codec(name)?;
    Ok(Arc::new(CodecHandle::new(descriptor, encode)?))
}

/// Checks that a resolved codec stores `dtype`.
pub fn check_stores(handle: &CodecHandle, dtype: Dtype) -> Result<(), ConvertError> {
    let descriptor = handle.descriptor();
    if !descriptor.supports(dtype) {
        return Err(ConvertError::CodecCannotStore { codec: descriptor.name().to_owned(), dtype });
    }
    Ok(())
}
