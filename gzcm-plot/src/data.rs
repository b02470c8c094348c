//! What a heatmap shows: the window of a file (counts, balanced values or observed/expected)
//! reduced to at most `pixels` cells a side, and the resolution it is read at.
//!
//! Reading is bounded by the picture, not the window: the stored tiles that meet the window
//! are decoded one at a time and summed into the cells they fall in, so a whole-genome view
//! of a 3-million-bin map keeps one decoded tile and the picture's cells in memory. A cell
//! shows the mean of the bins it covers (masked bins and undefined values left out; a cell
//! with none left is NaN). In a multi-resolution file, [`open_for`] picks the coarsest
//! resolution with at least one bin per pixel, so few tiles are read.
//!
//! Tiles that are not stored hold zeros and are not read: their cells count as zeros of the
//! cells they fall in. For observed/expected that is exact except where a diagonal's expected
//! is undefined (a diagonal with no valid pixel, or an expected of 0): such a cell is NaN, but in
//! an unstored tile away from the diagonal band it counts as 0. Unstored tiles near the diagonal
//! (where the ignored diagonals are) are read, so ignored diagonals are always undefined.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use gzcm_balance::{DEFAULT_MEMORY, ObservedExpected, cis_chrom};
use gzcm_container::{Collection, Genome, GzcmFile, Reader, TileData};
use ndarray::{Array2, ArrayView2};

use crate::axis::Axis;
use crate::error::PlotError;
use crate::figure::MAX_SIZE;

/// What to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Rows (and columns without `range2`): a region, a `FIRST-LAST` chromosome span, or the
    /// whole genome (`None`).
    pub range: Option<String>,
    /// Columns, when they differ from the rows.
    pub range2: Option<String>,
    /// Balance with this weight vector (`""`: `weight`, else the file's first).
    pub balance: Option<String>,
    /// Observed/expected (implies balancing with the default vector).
    pub oe: bool,
    /// With `oe`: the diagonals the expected leaves out.
    pub ignore_diags: u64,
    /// The most cells a side (the heatmap's edge in pixels).
    pub pixels: u32,
}

/// The values a heatmap shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Normalisation {
    /// Counts as stored.
    Raw,
    /// `count · w_i · w_j`.
    Balanced {
        /// The weight vector.
        weights: String,
    },
    /// Balanced ÷ the cis expected of the diagonal.
    ObservedExpected {
        /// The weight vector.
        weights: String,
        /// The diagonals left out.
        ignore_diags: u64,
    },
}

impl fmt::Display for Normalisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Normalisation::Raw => write!(f, "raw counts"),
            Normalisation::Balanced { weights } => write!(f, "balanced ({weights})"),
            Normalisation::ObservedExpected { weights, ignore_diags } => {
                write!(f, "observed/expected ({weights}, ignore_diags {ignore_diags})")
            }
        }
    }
}

/// A window ready to draw.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The cells, rows × columns: each the mean of the bins it covers, NaN where undefined.
    pub values: Array2<f64>,
    /// The rows' axis.
    pub rows: Axis,
    /// The columns' axis.
    pub cols: Axis,
    /// The bin size read at (none for variable bins).
    pub resolution: Option<u64>,
    /// What the values are.
    pub normalisation: Normalisation,
}

/// Opens `file` for `request`: at `resolution` when given (as every command does); a
/// multi-resolution file without one at its coarsest resolution that still has a bin per
/// pixel for the window (and the weight vector asked for), else its finest such one.
///
/// # Errors
/// [`PlotError::Container`] as [`GzcmFile::into_reader`]; region and weight errors of the
/// window at every resolution.
pub fn open_for(file: GzcmFile, resolution: Option<u64>, request: &Request) -> Result<Reader, PlotError> {
    match (file, resolution) {
        (GzcmFile::Multi(collection), None) => coarsest_enough(&collection, request),
        (file, resolution) => Ok(file.into_reader(resolution)?),
    }
}

/// The coarsest member with a bin per pixel, else the finest that can show the window.
fn coarsest_enough(collection: &Collection, request: &Request) -> Result<Reader, PlotError> {
    let mut finer: Result<Reader, PlotError> =
        Err(PlotError::NoGenome { path: collection.path().to_owned() });
    for &resolution in collection.resolutions().iter().rev() {
        let reader = collection.reader(resolution)?;
        let bins = weight_name(&reader, request)
            .and_then(|_| window(genome_of(&reader)?, request))
            .map(|(rows, cols)| (rows.end - rows.start).max(cols.end - cols.start));
        match bins {
            Ok(bins) if bins >= u64::from(request.pixels) => return Ok(reader),
            Ok(_) => finer = Ok(reader),
            Err(error) if finer.is_err() => finer = Err(error),
            Err(_) => {}
        }
    }
    finer
}

/// The weight vector the request balances with (`None`: raw counts).
///
/// # Errors
/// [`PlotError::NoSuchWeight`] when the file lacks it.
pub fn weight_name<'r>(reader: &'r Reader, request: &Request) -> Result<Option<&'r str>, PlotError> {
    let Some(asked) = request.balance.as_deref().or(request.oe.then_some("")) else { return Ok(None) };
    let names = reader.weight_names();
    let chosen = reader.genome().and_then(|g| g.chosen_weight(asked)).map(|w| w.name.as_str());
    chosen.map(Some).ok_or_else(|| PlotError::NoSuchWeight {
        path: reader.path().to_owned(),
        name: if asked.is_empty() { "weight".to_owned() } else { asked.to_owned() },
        available: if names.is_empty() { "none".to_owned() } else { names.join(", ") },
    })
}

fn genome_of(reader: &Reader) -> Result<&Genome, PlotError> {
    reader.genome().ok_or_else(|| PlotError::NoGenome { path: reader.path().to_owned() })
}

/// The rows and columns the request names in `genome`.
fn window(genome: &Genome, request: &Request) -> Result<(Range<u64>, Range<u64>), PlotError> {
    let rows = match &request.range {
        Some(range) => genome.resolve_span(range)?,
        None => 0..genome.n_bins(),
    };
    let cols = match &request.range2 {
        Some(range) => genome.resolve_span(range)?,
        None => rows.clone(),
    };
    Ok((rows, cols))
}

/// Reads the request's window of `reader`, aggregated to at most `request.pixels` cells a
/// side; `progress(done, total)` after each tile.
///
/// # Errors
/// [`PlotError::BadSize`] for `pixels` outside 1..=[`MAX_SIZE`]; [`PlotError::NoGenome`], region and weight errors, observed/expected errors (a trans
/// window), tile read errors.
pub fn prepare(
    reader: &Reader,
    request: &Request,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Prepared, PlotError> {
    if !(1..=MAX_SIZE).contains(&request.pixels) {
        // The cells are held in memory: their number is bounded before anything is allocated.
        return Err(PlotError::BadSize { size: request.pixels, min: 1, max: MAX_SIZE });
    }
    let genome = genome_of(reader)?;
    let (rows, cols) = window(genome, request)?;
    let weights = weight_name(reader, request)?;
    let normalisation = match weights {
        None => Normalisation::Raw,
        Some(name) if request.oe => {
            Normalisation::ObservedExpected { weights: name.to_owned(), ignore_diags: request.ignore_diags }
        }
        Some(name) => Normalisation::Balanced { weights: name.to_owned() },
    };
    let oe = match &normalisation {
        Normalisation::ObservedExpected { weights, ignore_diags } => {
            // A trans window is refused before the expected is computed.
            let chrom = cis_chrom(genome, &rows, &cols)?;
            Some((ObservedExpected::new(reader, weights, *ignore_diags, DEFAULT_MEMORY)?, chrom))
        }
        _ => None,
    };
    let longest = (rows.end - rows.start).max(cols.end - cols.start);
    let step = longest.div_ceil(u64::from(request.pixels.max(1))).max(1);
    let weights = weights.and_then(|name| reader.weights(name));
    let mut cells = Cells::new(rows.clone(), cols.clone(), step, weights);
    let oe = oe.as_ref().map(|(oe, chrom)| (oe, *chrom));
    let positions = TilePositions::new(reader, &rows, &cols, oe.map(|_| request.ignore_diags));
    let total = positions.iter().count() as u64;
    let edge = u64::from(reader.tile_size());
    for (done, visit) in positions.iter().enumerate() {
        let (row, col) = visit.tile;
        let origin = (u64::from(row) * edge, u64::from(col) * edge);
        let mirror_origin = (origin.1, origin.0);
        match reader.tile(row, col)? {
            TileData::U32(tile) => {
                if visit.itself {
                    cells.add(tile.view(), origin, oe);
                }
                if visit.mirror {
                    cells.add(tile.t(), mirror_origin, oe);
                }
            }
            TileData::F32(tile) => {
                if visit.itself {
                    cells.add(tile.view(), origin, oe);
                }
                if visit.mirror {
                    cells.add(tile.t(), mirror_origin, oe);
                }
            }
        }
        progress(done as u64 + 1, total);
    }
    Ok(Prepared {
        values: cells.finish(),
        rows: Axis::new(genome, rows, step),
        cols: Axis::new(genome, cols, step),
        resolution: reader.resolution(),
        normalisation,
    })
}

/// The tiles a window needs: the stored ones that meet it (with their mirror images in a
/// symmetric file), and for observed/expected the unstored ones near the diagonal too (their
/// ignored diagonals are undefined, not zero).
struct TilePositions<'r> {
    reader: &'r Reader,
    tile_rows: Range<u32>,
    tile_cols: Range<u32>,
    /// Tiles this close to the diagonal are visited stored or not.
    band: Option<u32>,
    /// The stored tiles in that band (upper-triangle positions for a symmetric file).
    stored_in_band: HashSet<(u32, u32)>,
}

impl<'r> TilePositions<'r> {
    fn new(reader: &'r Reader, rows: &Range<u64>, cols: &Range<u64>, ignore_diags: Option<u64>) -> Self {
        let edge = u64::from(reader.tile_size());
        let tiles = |r: &Range<u64>| (r.start / edge) as u32..(r.end.div_ceil(edge)) as u32;
        let band = ignore_diags.map(|d| u32::try_from(d / edge + 1).unwrap_or(u32::MAX));
        let mut positions = TilePositions {
            reader,
            tile_rows: tiles(rows),
            tile_cols: tiles(cols),
            band,
            stored_in_band: HashSet::new(),
        };
        positions.stored_in_band = reader
            .stored_tiles()
            .map(|e| (e.tile_row, e.tile_col))
            .filter(|&(r, c)| {
                positions.near_diagonal((r, c)) && (positions.inside((r, c)) || positions.inside((c, r)))
            })
            .collect();
        positions
    }

    fn inside(&self, (row, col): (u32, u32)) -> bool {
        self.tile_rows.contains(&row) && self.tile_cols.contains(&col)
    }

    fn near_diagonal(&self, (row, col): (u32, u32)) -> bool {
        self.band.is_some_and(|band| row.abs_diff(col) <= band)
    }

    /// Every tile to read once: the stored ones (with whether the tile itself and its mirror
    /// image meet the window), then the unstored ones in the band.
    fn iter(&self) -> impl Iterator<Item = Visit> + '_ {
        let symmetric = self.reader.symmetric();
        let stored = self.reader.stored_tiles().filter_map(move |entry| {
            let tile = (entry.tile_row, entry.tile_col);
            let itself = self.inside(tile);
            let mirror = symmetric && tile.0 != tile.1 && self.inside((tile.1, tile.0));
            (itself || mirror).then_some(Visit { tile, itself, mirror })
        });
        let band = self.band.map_or(0, |b| b);
        let (grid_rows, grid_cols) = self.reader.tile_grid();
        let near = self.band.iter().flat_map(move |_| {
            self.tile_rows.clone().filter(move |&r| r < grid_rows).flat_map(move |row| {
                let cols =
                    row.saturating_sub(band)..row.saturating_add(band).saturating_add(1).min(grid_cols);
                cols.map(move |col| (row, col))
            })
        });
        let unstored = near.filter(|&p| self.inside(p) && !self.is_stored(p)).map(|tile| Visit {
            tile,
            itself: true,
            mirror: false,
        });
        stored.chain(unstored)
    }

    fn is_stored(&self, (row, col): (u32, u32)) -> bool {
        let (row, col) = if self.reader.symmetric() && row > col { (col, row) } else { (row, col) };
        self.stored_in_band.contains(&(row, col))
    }
}

/// A tile to decode, and where its cells go.
#[derive(Clone, Copy, Debug)]
struct Visit {
    /// Its position in the tile grid.
    tile: (u32, u32),
    /// Whether the tile meets the window.
    itself: bool,
    /// Whether its mirror image (a symmetric file's lower triangle) meets the window.
    mirror: bool,
}

/// The picture's cells as they fill: sums of the defined values, and the bins that count.
struct Cells<'w> {
    rows: Range<u64>,
    cols: Range<u64>,
    step: u64,
    weights: Option<&'w [f64]>,
    sums: Array2<f64>,
    /// Cells whose bins are unmasked but whose value is undefined (observed/expected only).
    undefined: Array2<u32>,
}

impl<'w> Cells<'w> {
    fn new(rows: Range<u64>, cols: Range<u64>, step: u64, weights: Option<&'w [f64]>) -> Self {
        let n = |r: &Range<u64>| (r.end - r.start).div_ceil(step) as usize;
        let shape = (n(&rows), n(&cols));
        Cells { rows, cols, step, weights, sums: Array2::zeros(shape), undefined: Array2::zeros(shape) }
    }

    /// Bin `bin`'s weight (1 without balancing; NaN when masked or past the vector).
    fn weight(&self, bin: u64) -> f64 {
        match self.weights {
            None => 1.0,
            Some(w) => usize::try_from(bin).ok().and_then(|i| w.get(i)).copied().unwrap_or(f64::NAN),
        }
    }

    /// Adds the part of `tile` (first cell at `origin`) inside the window.
    fn add<T: Copy + Into<f64>>(
        &mut self,
        tile: ArrayView2<'_, T>,
        (row0, col0): (u64, u64),
        oe: Option<(&ObservedExpected, usize)>,
    ) {
        let (height, width) = tile.dim();
        let clip = |window: &Range<u64>, start: u64, len: usize| {
            window.start.max(start)..window.end.min(start + len as u64)
        };
        let (rows, cols) = (clip(&self.rows, row0, height), clip(&self.cols, col0, width));
        if rows.is_empty() || cols.is_empty() {
            return;
        }
        let local = |r: &Range<u64>, origin: u64| (r.start - origin) as usize..(r.end - origin) as usize;
        let part = tile.slice(ndarray::s![local(&rows, row0), local(&cols, col0)]);
        for (i, line) in rows.zip(part.outer_iter()) {
            let (wi, ci) = (self.weight(i), ((i - self.rows.start) / self.step) as usize);
            if wi.is_nan() {
                continue;
            }
            for (j, &count) in cols.clone().zip(line.iter()) {
                let count: f64 = count.into();
                if count == 0.0 && oe.is_none() {
                    continue;
                }
                let wj = self.weight(j);
                if wj.is_nan() {
                    continue;
                }
                let mut value = count * wi * wj;
                let cj = ((j - self.cols.start) / self.step) as usize;
                if let Some((oe, chrom)) = oe {
                    value /= oe.expected(chrom, i.abs_diff(j));
                    if value.is_nan() {
                        self.undefined[(ci, cj)] += 1;
                        continue;
                    }
                }
                self.sums[(ci, cj)] += value;
            }
        }
    }

    /// The means: each cell's sum over its unmasked bins, less those undefined.
    fn finish(self) -> Array2<f64> {
        let valid = |window: &Range<u64>| -> Vec<u64> {
            let mut counts = vec![0u64; (window.end - window.start).div_ceil(self.step) as usize];
            for bin in window.clone() {
                if !self.weight(bin).is_nan() {
                    counts[((bin - window.start) / self.step) as usize] += 1;
                }
            }
            counts
        };
        let (valid_rows, valid_cols) = (valid(&self.rows), valid(&self.cols));
        let mut means = self.sums;
        for ((r, c), value) in means.indexed_iter_mut() {
            let count = valid_rows[r] * valid_cols[c] - u64::from(self.undefined[(r, c)]);
            *value = if count == 0 { f64::NAN } else { *value / count as f64 };
        }
        means
    }
}
