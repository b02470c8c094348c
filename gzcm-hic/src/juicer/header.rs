//! The `.hic` header: version, footer position, genome, chromosomes and resolutions.

use std::io::{Read, Seek};

use super::input::Input;
use crate::error::HicError;

/// The versions this reader reads.
pub(crate) const SUPPORTED_VERSIONS: [i32; 2] = [8, 9];

/// One chromosome as the header lists it (index = position in the list, `All` included).
#[derive(Clone, Debug)]
pub(crate) struct HeaderChrom {
    pub(crate) name: String,
    pub(crate) length: u64,
}

/// What the header says.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    pub(crate) version: i32,
    pub(crate) footer_position: i64,
    pub(crate) genome_id: String,
    /// Version 9 only: where the normalisation vector index starts (0 or absent: in the footer).
    pub(crate) norm_index_position: Option<i64>,
    /// Every chromosome in file order, including Juicer's `All` pseudo-chromosome.
    pub(crate) chroms: Vec<HeaderChrom>,
    /// Base-pair resolutions, in file order.
    pub(crate) resolutions: Vec<u64>,
}

impl Header {
    /// Reads the header from the file's start. A version other than 8 or 9 is
    /// [`HicError::JuicerVersion`].
    pub(crate) fn read<R: Read + Seek>(input: &mut Input<R>) -> Result<Self, HicError> {
        input.set_region("header");
        let mut magic = [0u8; 4];
        input.bytes(&mut magic, "magic")?;
        if &magic != b"HIC\0" {
            return Err(input.error("no HIC magic"));
        }
        let version = input.i32("version")?;
        if !SUPPORTED_VERSIONS.contains(&version) {
            return Err(HicError::JuicerVersion { path: input.path().to_owned(), version });
        }
        let footer_position = input.i64("footer position")?;
        let genome_id = input.string("genome id")?;
        let norm_index_position = if version >= 9 {
            let position = input.i64("normalisation vector index position")?;
            let _length = input.i64("normalisation vector index length")?;
            (position > 0).then_some(position)
        } else {
            None
        };
        let n_attributes = input.count_i32(2, "attribute count")?;
        for _ in 0..n_attributes {
            input.string("attribute key")?;
            input.string("attribute value")?;
        }
        let length_bytes = if version >= 9 { 8 } else { 4 };
        let n_chroms = input.count_i32(1 + length_bytes, "chromosome count")?;
        let mut chroms = Vec::with_capacity(n_chroms);
        for _ in 0..n_chroms {
            let name = input.string("chromosome name")?;
            let length = if version >= 9 {
                input.i64("chromosome length")?
            } else {
                i64::from(input.i32("chromosome length")?)
            };
            let length = u64::try_from(length)
                .map_err(|_| input.error(format!("chromosome `{name}` has length {length}")))?;
            chroms.push(HeaderChrom { name, length });
        }
        let n_resolutions = input.count_i32(4, "base-pair resolution count")?;
        let mut resolutions = Vec::with_capacity(n_resolutions);
        for _ in 0..n_resolutions {
            let resolution = input.i32("base-pair resolution")?;
            let resolution = u64::try_from(resolution)
                .ok()
                .filter(|&r| r > 0)
                .ok_or_else(|| input.error(format!("base-pair resolution {resolution}")))?;
            resolutions.push(resolution);
        }
        // Fragment resolutions (and, after them, the restriction sites) are not read: this
        // reader serves base-pair resolutions only and finds everything else through the footer.
        Ok(Self { version, footer_position, genome_id, norm_index_position, chroms, resolutions })
    }
}
