//! The footer: the master index of chromosome-pair matrices, the expected-value sections (skipped)
//! and the normalisation vector index.

use std::io::{Read, Seek};

use super::header::Header;
use super::input::Input;
use crate::error::HicError;

/// Where one chromosome pair's matrix record is.
#[derive(Clone, Debug)]
pub(crate) struct MatrixEntry {
    /// Header index of the first chromosome (`All` counted).
    pub(crate) chrom1: usize,
    /// Header index of the second chromosome.
    pub(crate) chrom2: usize,
    /// File position of the matrix record.
    pub(crate) position: i64,
}

/// Where one normalisation vector is.
#[derive(Clone, Debug)]
pub(crate) struct NormEntry {
    /// Its type (`KR`, `VC`, `VC_SQRT`, `SCALE`, …).
    pub(crate) kind: String,
    /// Header index of its chromosome.
    pub(crate) chrom: usize,
    /// `BP` or `FRAG`.
    pub(crate) unit: String,
    /// Its resolution.
    pub(crate) bin_size: i32,
    /// File position of its value array.
    pub(crate) position: i64,
}

/// The footer's indexes.
#[derive(Clone, Debug)]
pub(crate) struct Footer {
    pub(crate) matrices: Vec<MatrixEntry>,
    pub(crate) norms: Vec<NormEntry>,
}

impl Footer {
    /// Reads the master index at the header's footer position, then the normalisation vector
    /// index (version 9: at the header's position when it gives one; otherwise after the
    /// expected-value sections, which are skipped).
    ///
    /// The footer's size field (Juicer's `nBytesV5`) counts the bytes of the master index and
    /// the (unnormalised) expected-value vectors that follow it: they must end exactly there,
    /// inside the file, and every matrix record must lie before the footer. A damaged footer
    /// position fails these checks instead of reading as an empty or partial master index.
    pub(crate) fn read<R: Read + Seek>(input: &mut Input<R>, header: &Header) -> Result<Self, HicError> {
        input.set_region("footer");
        input.seek_to(header.footer_position, "footer position")?;
        let v9 = header.version >= 9;
        let size = if v9 { input.i64("footer size")? } else { i64::from(input.i32("footer size")?) };
        let footer_end = u64::try_from(size)
            .ok()
            .filter(|&size| size <= input.remaining())
            .map(|size| input.pos() + size)
            .ok_or_else(|| {
                input
                    .error(format!("footer size {size} does not fit in the {} bytes left", input.remaining()))
            })?;
        let matrices = read_master_index(input, header.chroms.len(), header.footer_position)?;
        skip_expected_section(input, v9, false)?;
        if input.pos() != footer_end {
            return Err(input.error(format!(
                "the master index and expected values end at byte {}, the footer size says {footer_end}",
                input.pos()
            )));
        }
        match header.norm_index_position {
            Some(position) => {
                input.set_region("normalisation vector index");
                input.seek_to(position, "normalisation vector index position")?;
            }
            None => skip_expected_section(input, v9, true)?,
        }
        let norms = read_norm_index(input, header)?;
        Ok(Self { matrices, norms })
    }
}

fn chrom_index<R: Read + Seek>(
    input: &Input<R>,
    text: &str,
    n_chroms: usize,
    what: &str,
) -> Result<usize, HicError> {
    text.parse::<usize>()
        .ok()
        .filter(|&i| i < n_chroms)
        .ok_or_else(|| input.error(format!("{what} `{text}` is not a chromosome index")))
}

/// Reads the master index; every matrix record must start before `footer_position`.
fn read_master_index<R: Read + Seek>(
    input: &mut Input<R>,
    n_chroms: usize,
    footer_position: i64,
) -> Result<Vec<MatrixEntry>, HicError> {
    input.set_region("master index");
    // A key is at least "0_0\0", then a long and an int.
    let n_entries = input.count_i32(4 + 12, "master index entry count")?;
    let mut matrices = Vec::with_capacity(n_entries);
    for _ in 0..n_entries {
        let key = input.string("master index key")?;
        let position = input.i64("matrix position")?;
        let _size = input.i32("matrix size")?;
        let (first, second) = key
            .split_once('_')
            .ok_or_else(|| input.error(format!("master index key `{key}` is not `i_j`")))?;
        let chrom1 = chrom_index(input, first, n_chroms, "master index key")?;
        let chrom2 = chrom_index(input, second, n_chroms, "master index key")?;
        if !(0..footer_position).contains(&position) {
            return Err(input.error(format!(
                "matrix {key} at byte {position} is not before the footer (byte {footer_position})"
            )));
        }
        matrices.push(MatrixEntry { chrom1, chrom2, position });
    }
    Ok(matrices)
}

/// Skips the expected-value vectors and the normalised expected-value vectors (the same layout
/// but for a leading type string), leaving `input` at the normalisation vector index.
#[cfg(test)]
pub(crate) fn skip_expected_sections<R: Read + Seek>(input: &mut Input<R>, v9: bool) -> Result<(), HicError> {
    skip_expected_section(input, v9, false)?;
    skip_expected_section(input, v9, true)
}

/// Skips one expected-value section: the unnormalised vectors or, when `normalised`, the
/// normalised ones (the same layout but for a leading type string).
fn skip_expected_section<R: Read + Seek>(
    input: &mut Input<R>,
    v9: bool,
    normalised: bool,
) -> Result<(), HicError> {
    let (value_bytes, scale_bytes) = if v9 { (4, 4 + 4) } else { (8, 4 + 8) };
    input.set_region(if normalised { "normalised expected values" } else { "expected values" });
    let n_vectors = input.count_i32(4, "expected-value vector count")?;
    for _ in 0..n_vectors {
        if normalised {
            input.string("normalisation type")?;
        }
        input.string("unit")?;
        input.i32("bin size")?;
        let n_values = if v9 {
            input.count_i64(value_bytes, "expected value count")?
        } else {
            input.count_i32(value_bytes, "expected value count")?
        };
        input.skip(n_values as u64 * value_bytes, "expected values")?;
        let n_factors = input.count_i32(scale_bytes, "scale factor count")?;
        input.skip(n_factors as u64 * scale_bytes, "scale factors")?;
    }
    Ok(())
}

fn read_norm_index<R: Read + Seek>(
    input: &mut Input<R>,
    header: &Header,
) -> Result<Vec<NormEntry>, HicError> {
    input.set_region("normalisation vector index");
    let v9 = header.version >= 9;
    let n_vectors = input.count_i32(2 + 4 + 2 + 4 + 8 + 4, "normalisation vector count")?;
    let mut norms = Vec::with_capacity(n_vectors);
    for _ in 0..n_vectors {
        let kind = input.string("normalisation type")?;
        let chrom = input.i32("normalisation chromosome")?;
        let chrom = chrom_index(input, &chrom.to_string(), header.chroms.len(), "chromosome")?;
        let unit = input.string("unit")?;
        let bin_size = input.i32("bin size")?;
        let position = input.i64("vector position")?;
        if v9 {
            input.i64("vector size")?;
        } else {
            input.i32("vector size")?;
        }
        norms.push(NormEntry { kind, chrom, unit, bin_size, position });
    }
    Ok(norms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::juicer::open_input;

    /// On the shared (hictk-written, version 9) files, skipping the expected-value sections
    /// lands exactly where the header says the normalisation vector index is.
    #[test]
    fn skipping_expected_values_reaches_the_norm_index() {
        let names = ["yeast_10kb.hic", "gm12878_rao2014_2500kb.hic"];
        let Some(dir) = gzcm_test_support::data_dir_with(&names) else { return };
        for name in names {
            let path = dir.join(name);
            let mut input = open_input(&path).expect("opens");
            let header = Header::read(&mut input).expect("header");
            let index = header.norm_index_position.expect("hictk writes the index position");
            input.seek_to(header.footer_position, "footer").expect("footer");
            input.i64("footer size").expect("size");
            read_master_index(&mut input, header.chroms.len(), header.footer_position).expect("master index");
            skip_expected_sections(&mut input, true).expect("expected values");
            assert_eq!(input.pos(), u64::try_from(index).expect("position"), "{name}");
        }
    }
}
