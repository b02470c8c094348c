//! A cooler matrix group's chromosomes, bins, weights and pixel index, validated.

use std::ops::Range;

use gzcm_genome::{Bins, Chrom, Genome, WeightVector};

use crate::error::HicError;
use crate::open::{OpenOptions, WeightSelection};
use crate::source::CountType;

use super::h5::{ColumnKind, H5};

/// The `bins` columns that are coordinates, not balancing vectors.
const COORDINATE_COLUMNS: [&str; 3] = ["chrom", "start", "end"];

/// Everything read from a matrix group before streaming pixels.
pub(crate) struct Loaded {
    /// The genome of the selected matrix (one chromosome when `--chrom` was given), with the
    /// selected weight vectors.
    pub genome: Genome,
    /// Integer or float counts.
    pub count_type: CountType,
    /// Upper triangle only (`storage-mode` `symmetric-upper`, or no `storage-mode`).
    pub symmetric: bool,
    /// The file's bins kept, genome-wide; pixels outside are skipped, ids shifted by `start`.
    pub window: Range<u64>,
    /// `bin1_offset[window.start ..= window.end]`: where each kept row's pixels start.
    pub row_offsets: Vec<u64>,
    /// The pixels to read: `row_offsets[0] .. row_offsets[last]`.
    pub pixel_range: Range<u64>,
    /// The number of bins in the file (every bin id must be below it).
    pub file_bins: u64,
}

/// Reads and checks the matrix at `group` (`/` or `/resolutions/R`).
pub(crate) fn load(h5: &H5, group: &str, options: &OpenOptions) -> Result<Loaded, HicError> {
    let at = |name: &str| if group == "/" { format!("/{name}") } else { format!("{group}/{name}") };
    let chroms = read_chroms(h5, &at("chroms"))?;
    let BinColumns { chrom: chrom_of_bin, start, end } = read_bins(h5, &at("bins"), &chroms)?;
    let n_bins = chrom_of_bin.len() as u64;
    let chrom_offsets = offsets_from_bins(h5, &chrom_of_bin, chroms.len())?;
    let invalid = |source| HicError::genome(h5.path(), source);

    let bin_type = h5.attr_string(group, "bin-type");
    let bin_size = h5.attr_int(group, "bin-size").filter(|&s| s > 0).map(|s| s as u64);
    let fixed = match bin_type.as_deref() {
        None | Some("fixed") => bin_size,
        Some("variable") => None,
        Some(other) => return Err(h5.error(format!("{group}: unknown bin-type `{other}`"))),
    };
    let genome = match fixed {
        Some(size) => {
            let genome = Genome::fixed(&chroms, size).map_err(invalid)?;
            check_fixed_bins(h5, &genome, &chrom_of_bin, &start, &end)?;
            genome
        }
        None if bin_type.as_deref() == Some("fixed") => {
            return Err(h5.error(format!("{group}: bin-type fixed without a bin-size")));
        }
        None => {
            let chroms = chroms
                .iter()
                .zip(chrom_offsets.windows(2))
                .map(|((name, length), span)| Chrom::new(name.clone(), *length, span[0], span[1]))
                .collect();
            Genome::new(chroms, Bins::Variable { starts: start, ends: end }).map_err(invalid)?
        }
    };

    let offsets = read_bin1_offsets(h5, group, &at, n_bins)?;
    let count_type = match h5.dataset(&at("pixels/count"))?.kind() {
        ColumnKind::Int => CountType::Int,
        ColumnKind::Float => CountType::Float,
        _ => return Err(h5.error(format!("{}: counts are neither integers nor floats", at("pixels/count")))),
    };
    let symmetric = match h5.attr_string(group, "storage-mode").as_deref() {
        None | Some("symmetric-upper") => true,
        Some("square") => false,
        Some(other) => return Err(h5.error(format!("{group}: unknown storage-mode `{other}`"))),
    };
    let assembly =
        h5.attr_string(group, "assembly").filter(|a| !a.is_empty() && a != "None" && a != "unknown");

    let genome = genome.with_assembly(assembly);
    let (genome, window) = select_chrom(h5, genome, options.chrom.as_deref())?;
    let weights = read_weights(h5, &at("bins"), &options.weights, &window, n_bins)?;
    let genome = genome.with_weights(weights).map_err(invalid)?;
    let row_offsets = offsets[window.start as usize..=window.end as usize].to_vec();
    let pixel_range = row_offsets[0]..row_offsets[row_offsets.len() - 1];
    Ok(Loaded { genome, count_type, symmetric, window, row_offsets, pixel_range, file_bins: n_bins })
}

/// `chroms/{name,length}` as `(name, length)`.
fn read_chroms(h5: &H5, group: &str) -> Result<Vec<(String, u64)>, HicError> {
    let names = h5.dataset(&format!("{group}/name"))?.strings()?;
    let lengths = h5.dataset(&format!("{group}/length"))?.ints()?;
    if names.len() != lengths.len() {
        return Err(h5.error(format!("{group}: {} names but {} lengths", names.len(), lengths.len())));
    }
    if names.len() > u32::MAX as usize {
        return Err(h5.error(format!("{group}: too many chromosomes")));
    }
    names
        .into_iter()
        .zip(lengths)
        .map(|(name, length)| match u64::try_from(length) {
            Ok(length) => Ok((name, length)),
            Err(_) => Err(h5.error(format!("{group}: chromosome {name} has length {length}"))),
        })
        .collect()
}

/// The `bins` columns: each bin's chromosome index, start and end.
struct BinColumns {
    chrom: Vec<u32>,
    start: Vec<u64>,
    end: Vec<u64>,
}

/// The chromosome index, start and end of every bin.
fn read_bins(h5: &H5, group: &str, chroms: &[(String, u64)]) -> Result<BinColumns, HicError> {
    let chrom_column = h5.dataset(&format!("{group}/chrom"))?;
    let chrom: Vec<i64> = match chrom_column.kind() {
        ColumnKind::Int => {
            if let Some(members) = chrom_column.enum_names() {
                for (value, name) in &members {
                    let matches = usize::try_from(*value)
                        .ok()
                        .and_then(|i| chroms.get(i))
                        .is_some_and(|(c, _)| c == name);
                    // Enum members absent from `chroms` are harmless unless used.
                    if !matches && chroms.iter().any(|(c, _)| c == name) {
                        return Err(h5.error(format!(
                            "{group}/chrom: enum value {value} is `{name}`, not chroms/name[{value}]"
                        )));
                    }
                }
            }
            chrom_column.ints()?
        }
        ColumnKind::Text => {
            let names = chrom_column.strings()?;
            names
                .iter()
                .map(|n| {
                    chroms
                        .iter()
                        .position(|(c, _)| c == n)
                        .map(|i| i as i64)
                        .ok_or_else(|| h5.error(format!("{group}/chrom: `{n}` is not in chroms/name")))
                })
                .collect::<Result<_, _>>()?
        }
        _ => return Err(h5.error(format!("{group}/chrom: neither integers nor names"))),
    };
    let start = h5.dataset(&format!("{group}/start"))?.ints()?;
    let end = h5.dataset(&format!("{group}/end"))?.ints()?;
    if start.len() != chrom.len() || end.len() != chrom.len() {
        return Err(h5.error(format!(
            "{group}: columns differ in length (chrom {}, start {}, end {})",
            chrom.len(),
            start.len(),
            end.len()
        )));
    }
    let mut chrom_ids = Vec::with_capacity(chrom.len());
    let mut starts = Vec::with_capacity(chrom.len());
    let mut ends = Vec::with_capacity(chrom.len());
    for (i, ((c, s), e)) in chrom.into_iter().zip(start).zip(end).enumerate() {
        let c = u32::try_from(c).ok().filter(|&c| (c as usize) < chroms.len());
        let (Some(c), Ok(s), Ok(e)) = (c, u64::try_from(s), u64::try_from(e)) else {
            return Err(h5.error(format!("{group}: bin {i} has a bad chromosome or coordinate")));
        };
        let (name, length) = &chroms[c as usize];
        if s > e || e > *length {
            return Err(h5.error(format!("{group}: bin {i} [{s}, {e}) is outside chromosome {name}")));
        }
        chrom_ids.push(c);
        starts.push(s);
        ends.push(e);
    }
    Ok(BinColumns { chrom: chrom_ids, start: starts, end: ends })
}

/// `chrom_offsets` from the bins' chromosome column, which must be non-decreasing.
fn offsets_from_bins(h5: &H5, chrom: &[u32], n_chroms: usize) -> Result<Vec<u64>, HicError> {
    if chrom.windows(2).any(|w| w[0] > w[1]) {
        return Err(h5.error("bins are not grouped by chromosome in chroms order"));
    }
    let mut offsets = vec![0u64; n_chroms + 1];
    for &c in chrom {
        offsets[c as usize + 1] += 1;
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    Ok(offsets)
}

/// Every row of the file's bin table is the fixed-size bin `genome` has at that id.
fn check_fixed_bins(
    h5: &H5,
    genome: &Genome,
    chrom_of_bin: &[u32],
    start: &[u64],
    end: &[u64],
) -> Result<(), HicError> {
    let bin_size = genome.resolution().unwrap_or_default();
    if genome.n_bins() != chrom_of_bin.len() as u64 {
        return Err(h5.error(format!(
            "{} bins, but bin-size {bin_size} over these chromosomes gives {}",
            chrom_of_bin.len(),
            genome.n_bins()
        )));
    }
    for (i, ((&c, &s), &e)) in chrom_of_bin.iter().zip(start).zip(end).enumerate() {
        let Some((chrom, span)) = genome.bin(i as u64) else { break };
        if c as usize != chrom || s != span.start || e != span.end {
            return Err(h5.error(format!(
                "bin {i} is not the fixed {bin_size}-bp bin {}:{}-{}",
                genome.chroms()[chrom].name,
                span.start,
                span.end
            )));
        }
    }
    Ok(())
}

/// `indexes/bin1_offset`: `n_bins + 1` non-decreasing pixel offsets ending at the pixel count.
fn read_bin1_offsets(
    h5: &H5,
    group: &str,
    at: &dyn Fn(&str) -> String,
    n_bins: u64,
) -> Result<Vec<u64>, HicError> {
    let nnz = h5.dataset(&at("pixels/bin1_id"))?.len();
    for column in ["pixels/bin2_id", "pixels/count"] {
        let len = h5.dataset(&at(column))?.len();
        if len != nnz {
            return Err(h5.error(format!("{group}: {column} has {len} entries, bin1_id {nnz}")));
        }
    }
    let column = h5.dataset(&at("indexes/bin1_offset"))?;
    if column.len() != n_bins + 1 {
        return Err(
            h5.error(format!("{group}: indexes/bin1_offset has {} entries for {n_bins} bins", column.len()))
        );
    }
    let raw = column.ints()?;
    let mut offsets = Vec::with_capacity(raw.len());
    let mut previous = 0u64;
    for (i, value) in raw.into_iter().enumerate() {
        let value = u64::try_from(value).ok().filter(|&v| v >= previous && v <= nnz);
        let Some(value) = value.filter(|&v| i > 0 || v == 0) else {
            return Err(h5.error(format!("{group}: indexes/bin1_offset[{i}] is out of order")));
        };
        offsets.push(value);
        previous = value;
    }
    if previous != nnz {
        return Err(
            h5.error(format!("{group}: indexes/bin1_offset ends at {previous}, but there are {nnz} pixels"))
        );
    }
    Ok(offsets)
}

/// Restricts the genome to one chromosome; returns it and the file's bins it covers.
fn select_chrom(h5: &H5, genome: Genome, chrom: Option<&str>) -> Result<(Genome, Range<u64>), HicError> {
    let Some(name) = chrom else {
        let n = genome.n_bins();
        return Ok((genome, 0..n));
    };
    let selected = genome.chrom(name).and_then(|(index, c)| Some((genome.single_chrom(index)?, c.bins())));
    selected.ok_or_else(|| HicError::UnknownChrom {
        path: h5.path().to_owned(),
        name: name.to_owned(),
        available: genome.chroms().iter().map(|c| c.name.clone()).collect(),
    })
}

/// The float columns of `bins` chosen by `selection`, over `window`; each must hold one value
/// per bin (`n_bins`), or it is refused by name.
fn read_weights(
    h5: &H5,
    group: &str,
    selection: &WeightSelection,
    window: &Range<u64>,
    n_bins: u64,
) -> Result<Vec<WeightVector>, HicError> {
    let (_, datasets) = h5.members(group)?;
    let mut available = Vec::new();
    for name in datasets {
        if COORDINATE_COLUMNS.contains(&name.as_str()) {
            continue;
        }
        if h5.dataset(&format!("{group}/{name}"))?.kind() == ColumnKind::Float {
            available.push(name);
        }
    }
    let chosen: Vec<String> = match selection {
        WeightSelection::All => available.clone(),
        WeightSelection::None => Vec::new(),
        WeightSelection::Named(names) => {
            for name in names {
                if !available.contains(name) {
                    return Err(HicError::UnknownWeights {
                        path: h5.path().to_owned(),
                        name: name.clone(),
                        available: available.clone(),
                    });
                }
            }
            names.clone()
        }
    };
    chosen
        .into_iter()
        .map(|name| {
            let column = h5.dataset(&format!("{group}/{name}"))?;
            if column.len() != n_bins {
                return Err(HicError::WeightLength {
                    path: h5.path().to_owned(),
                    name,
                    len: column.len(),
                    bins: n_bins,
                });
            }
            let values = column.float_range(window.clone())?;
            // KR/VC/VC_SQRT are divisive in cooler's reading; gzcm's weights multiply.
            Ok(WeightVector::from_cooler_column(name, values))
        })
        .collect()
}
