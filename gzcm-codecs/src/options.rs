//! Encode options shared by codecs that take none.

use gzcm_core::CodecError;
use gzcm_core::codec::EncodeOptions;

/// Refuses a compression level for a codec that has none, rather than ignoring it.
pub(crate) fn refuse_level(codec: &'static str, options: &EncodeOptions) -> Result<(), CodecError> {
    match options.level {
        None => Ok(()),
        Some(level) => Err(CodecError::InvalidOption {
            codec,
            reason: format!("{codec} has no compression level (got {level})"),
        }),
    }
}
