//! Wire formats: who carries a tile's shape on disk (SPEC §5).
//!
//! An [`Opaque`] codec returns a bare payload and the writer prepends an 8-byte
//! `rows: i32 LE | cols: i32 LE` shape header; a [`SelfDescribing`] codec's own header already
//! carries the shape, and the writer stores its bytes untouched. The typed API picks the framing
//! from the codec's declared marker at compile time; the by-name API from the registry's
//! [`WireFormat`].

use std::fmt;
use std::str::FromStr;

/// The run-time mirror of a codec's wire format, as recorded in file headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WireFormat {
    /// The writer prepends the 8-byte shape header. Shown as `opaque`.
    Opaque,
    /// The codec's own header carries the shape; nothing is prepended. Shown as `self`.
    SelfDescribing,
}

impl WireFormat {
    /// The name recorded in file headers: `opaque` or `self`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            WireFormat::Opaque => "opaque",
            WireFormat::SelfDescribing => "self",
        }
    }
}

impl fmt::Display for WireFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A wire-format name that is neither `opaque` nor `self`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown wire format `{0}`: expected `opaque` or `self`")]
pub struct UnknownWireFormat(pub String);

impl FromStr for WireFormat {
    type Err = UnknownWireFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "opaque" => Ok(WireFormat::Opaque),
            "self" => Ok(WireFormat::SelfDescribing),
            other => Err(UnknownWireFormat(other.to_owned())),
        }
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Opaque {}
    impl Sealed for super::SelfDescribing {}
}

/// Type-level wire format, set by `#[codec(wire = ...)]`. Sealed: exactly [`Opaque`] and
/// [`SelfDescribing`].
pub trait Wire: sealed::Sealed + Send + Sync + 'static {
    /// The run-time value of this marker.
    const FORMAT: WireFormat;
}

/// Marker: the writer frames this codec's payloads with the 8-byte shape header.
#[derive(Clone, Copy, Debug, Default)]
pub struct Opaque;

/// Marker: this codec's payload carries its own shape; the writer adds nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct SelfDescribing;

impl Wire for Opaque {
    const FORMAT: WireFormat = WireFormat::Opaque;
}

impl Wire for SelfDescribing {
    const FORMAT: WireFormat = WireFormat::SelfDescribing;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_spec() {
        assert_eq!(WireFormat::Opaque.to_string(), "opaque");
        assert_eq!(WireFormat::SelfDescribing.to_string(), "self");
        assert_eq!("self".parse::<WireFormat>().unwrap(), WireFormat::SelfDescribing);
        assert!("framed".parse::<WireFormat>().is_err());
    }
}
