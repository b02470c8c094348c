//! One served file ([`Tileset`]): its zoom levels (resolutions, coarsest first), the
//! tileset info clodius gives for an `.mcool`, and its tiles as dense float32 values.

use std::ops::Range;
use std::path::{Path, PathBuf};

use gzcm_container::{GzcmFile, Reader, ReaderOptions, TileData};
use ndarray::ArrayView2;
use serde_json::{Value, json};

use crate::axis::Axis;
use crate::error::{OpenError, TileError};
use crate::tile_id::{TileId, Transform};

/// Bins on a side of a tile (clodius's `TILE_SIZE`, HiGlass's `bins_per_dimension`).
pub const TILE_BINS: usize = 256;

/// The most bins a tile reads on a side: a tile holds 256 pixels, but every chromosome that
/// starts within it adds a bin (its first one shares a pixel with the previous one's last), so
/// an assembly of many short contigs puts many bins in one tile.
pub const MAX_TILE_READ_BINS: u64 = 16384;

/// The most cells a tile holds decoded at once: wider tiles are read in strips of bins of the
/// first axis, so memory stays at 16 MiB of cells whatever the contigs.
const READ_CELLS: u64 = 1 << 22;

/// One resolution of a tileset.
#[derive(Debug)]
struct Level {
    reader: Reader,
    axis: Axis,
}

/// A `.gzcm` file served as a HiGlass matrix tileset.
#[derive(Debug)]
pub struct Tileset {
    uuid: String,
    path: PathBuf,
    /// Coarsest first: zoom level z is `levels[z]`.
    levels: Vec<Level>,
    chromsizes: Vec<(String, u64)>,
    assembly: Option<String>,
    symmetric: bool,
    /// Weight vectors every resolution has, in the finest resolution's order.
    transforms: Vec<String>,
}

impl Tileset {
    /// Opens `path` (single- or multi-resolution) to be served as `uuid`, every resolution
    /// with `options` (its tile cache among them).
    ///
    /// # Errors
    /// [`OpenError::Container`] when the file or a resolution does not open;
    /// [`OpenError::NoGenome`], [`OpenError::VariableBins`], [`OpenError::NotSquare`] when a
    /// resolution cannot be placed on the genome.
    pub fn open(path: &Path, uuid: &str, options: &ReaderOptions) -> Result<Tileset, OpenError> {
        let readers = match GzcmFile::open_with(path, options.clone())? {
            GzcmFile::Single(reader) => vec![reader],
            GzcmFile::Multi(collection) => {
                collection.resolutions().iter().map(|&r| collection.reader(r)).collect::<Result<_, _>>()?
            }
        };
        let mut levels = Vec::with_capacity(readers.len());
        for reader in readers {
            let genome = reader.genome().ok_or_else(|| OpenError::NoGenome { path: path.to_owned() })?;
            let axis = Axis::new(genome).ok_or_else(|| OpenError::VariableBins { path: path.to_owned() })?;
            let (rows, cols) = reader.shape();
            if genome.check_shape(rows, cols).is_err() {
                return Err(OpenError::NotSquare {
                    path: path.to_owned(),
                    resolution: axis.resolution(),
                    n_bins: genome.n_bins(),
                    rows,
                    cols,
                });
            }
            levels.push(Level { reader, axis });
        }
        levels.sort_by_key(|l| std::cmp::Reverse(l.axis.resolution()));
        let finest = levels.last().ok_or_else(|| OpenError::NoGenome { path: path.to_owned() })?;
        let genome = finest.reader.genome().ok_or_else(|| OpenError::NoGenome { path: path.to_owned() })?;
        let chromsizes = genome.chroms().iter().map(|c| (c.name.clone(), c.length)).collect();
        let transforms = finest
            .reader
            .weight_names()
            .into_iter()
            .filter(|name| levels.iter().all(|l| l.reader.weights(name).is_some()))
            .map(str::to_owned)
            .collect();
        Ok(Tileset {
            uuid: uuid.to_owned(),
            path: path.to_owned(),
            chromsizes,
            assembly: genome.assembly().map(str::to_owned),
            symmetric: finest.reader.symmetric(),
            transforms,
            levels,
        })
    }

    /// The id it is served under.
    #[must_use]
    pub fn uuid(&self) -> &str {
        &self.uuid
    }

    /// The file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's name, as the tileset's name.
    #[must_use]
    pub fn name(&self) -> String {
        self.path.file_name().map_or_else(|| self.uuid.clone(), |n| n.to_string_lossy().into_owned())
    }

    /// The genome assembly, when the file records one (HiGlass's `coordSystem`).
    #[must_use]
    pub fn assembly(&self) -> Option<&str> {
        self.assembly.as_deref()
    }

    /// The resolutions in bp, ascending.
    #[must_use]
    pub fn resolutions(&self) -> Vec<u64> {
        self.levels.iter().rev().map(|l| l.axis.resolution()).collect()
    }

    /// The weight vectors every resolution has: the transforms offered.
    #[must_use]
    pub fn transforms(&self) -> &[String] {
        &self.transforms
    }

    /// The tileset info of clodius's `tiles.cooler.tileset_info` for a multi-resolution cooler
    /// (its "resolutions" form, which HiGlass uses for any list of resolutions, powers of two or
    /// not): `resolutions` (ascending), `transforms` (`{name, value}`; `weight` is named `ICE`),
    /// `min_pos` `[1, 1]`, `max_pos` the genome length twice, `chromsizes`, and
    /// `mirror_tiles: "false"` for a matrix stored whole (not symmetric). There is no
    /// `max_width` or `max_zoom` in this form: HiGlass takes a zoom level's tile width as
    /// resolution × 256 bins.
    #[must_use]
    pub fn info(&self) -> Value {
        let length = self.chromsizes.iter().map(|(_, l)| l).sum::<u64>();
        let transforms: Vec<Value> = self
            .transforms
            .iter()
            .map(|t| json!({"name": if t == "weight" { "ICE" } else { t.as_str() }, "value": t}))
            .collect();
        let mut info = json!({
            "resolutions": self.resolutions(),
            "transforms": transforms,
            "max_pos": [length, length],
            "min_pos": [1, 1],
            "chromsizes": self.chromsizes.iter().map(|(n, l)| json!([n, l])).collect::<Vec<_>>(),
        });
        if !self.symmetric {
            info["mirror_tiles"] = Value::from("false");
        }
        info
    }

    /// Tile `id` (its uuid is not checked here) as 256×256 float32 values, row-major: row `i`
    /// is the pixel at genome-wide position `y·256·R + i·R` of the second axis, column `j`
    /// that of the first, R the zoom level's resolution (clodius's layout). Each pixel holds
    /// the bin pair whose genome-wide starts fall in it (the last of them with a non-zero
    /// count, in bin order, when a chromosome boundary puts several in one pixel); a
    /// symmetric file gives its stored upper triangle (bin of the first axis ≤ bin of the
    /// second), as cooler's pixel table does, and HiGlass mirrors it. Raw counts without a
    /// transform (or `default` at a resolution without `weight`); with one, count · w_i · w_j
    /// (NaN products as 0), then NaN over the pixels of bins whose weight is NaN and over the
    /// pixels from the genome's end on (the one holding the end included), as clodius does.
    ///
    /// # Errors
    /// [`TileError::ZoomOutOfRange`], [`TileError::PositionOutOfRange`],
    /// [`TileError::UnknownTransform`], [`TileError::TooManyBins`]; [`TileError::Read`] when
    /// the file fails.
    pub fn tile(&self, id: &TileId<'_>, text: &str) -> Result<Vec<f32>, TileError> {
        let level = usize::try_from(id.zoom).ok().and_then(|z| self.levels.get(z)).ok_or_else(|| {
            TileError::ZoomOutOfRange { id: text.to_owned(), zoom: id.zoom, levels: self.levels.len() }
        })?;
        let (axis, reader) = (&level.axis, &level.reader);
        let span = axis.resolution().saturating_mul(TILE_BINS as u64);
        let tiles = axis.total().div_ceil(span);
        if id.x >= tiles || id.y >= tiles {
            return Err(TileError::PositionOutOfRange {
                id: text.to_owned(),
                zoom: id.zoom,
                x: id.x,
                y: id.y,
                tiles,
            });
        }
        let weights = match id.transform {
            Transform::Default => reader.weights("weight"),
            Transform::Raw => None,
            Transform::Named(name) => {
                Some(reader.weights(name).ok_or_else(|| TileError::UnknownTransform {
                    id: text.to_owned(),
                    transform: name.to_owned(),
                    available: reader.weight_names().into_iter().map(str::to_owned).collect(),
                })?)
            }
        };
        let out_of_range =
            || TileError::PositionOutOfRange { id: text.to_owned(), zoom: id.zoom, x: id.x, y: id.y, tiles };
        let x0 = id.x.checked_mul(span).ok_or_else(out_of_range)?;
        let y0 = id.y.checked_mul(span).ok_or_else(out_of_range)?;
        let xb = axis.bins_starting_in(x0, x0.saturating_add(span));
        let yb = axis.bins_starting_in(y0, y0.saturating_add(span));
        let widest = (xb.end - xb.start).max(yb.end - yb.start);
        if widest > MAX_TILE_READ_BINS {
            return Err(TileError::TooManyBins {
                id: text.to_owned(),
                bins: widest,
                limit: MAX_TILE_READ_BINS,
            });
        }
        let place = Placement {
            xs: axis.pixels(xb.clone(), x0),
            ys: axis.pixels(yb.clone(), y0),
            xb: xb.clone(),
            yb: yb.clone(),
            symmetric: self.symmetric,
            weights,
        };
        let mut out = vec![0f32; TILE_BINS * TILE_BINS];
        // Below the diagonal of a symmetric file nothing is stored: every bin of the first
        // axis comes after every bin of the second.
        let empty = xb.is_empty() || yb.is_empty() || (self.symmetric && xb.start >= yb.end);
        if !empty {
            // Strips of the first axis, in bin order, keep the order a shared pixel needs.
            let strip = (READ_CELLS / (yb.end - yb.start)).max(1);
            let read = |source| TileError::Read { uuid: self.uuid.clone(), source };
            let mut start = xb.start;
            while start < xb.end {
                let end = start.saturating_add(strip).min(xb.end);
                match reader.window(start..end, yb.clone()).map_err(read)? {
                    TileData::U32(cells) => place.fill(start, cells.view(), &mut out),
                    TileData::F32(cells) => place.fill(start, cells.view(), &mut out),
                }
                start = end;
            }
        }
        if let Some(weights) = weights {
            place.mask(weights, axis, (x0, y0), &mut out);
        }
        Ok(out)
    }
}

/// Where a tile's bins go.
struct Placement<'a> {
    xb: Range<u64>,
    yb: Range<u64>,
    /// Pixel column of each bin of `xb`.
    xs: Vec<usize>,
    /// Pixel row of each bin of `yb`.
    ys: Vec<usize>,
    symmetric: bool,
    weights: Option<&'a [f64]>,
}

impl Placement<'_> {
    /// Puts `cells` (rows: bins of `xb` from `first` on, columns: bins of `yb`) into `out`, in
    /// bin order so the last non-zero count of a shared pixel stays.
    fn fill<T: Copy + Into<f64> + Default + PartialEq>(
        &self,
        first: u64,
        cells: ArrayView2<'_, T>,
        out: &mut [f32],
    ) {
        let zero = T::default();
        let skip = usize::try_from(first - self.xb.start).unwrap_or(usize::MAX);
        let rows = (first..first + cells.nrows() as u64).enumerate();
        for ((r, bx), &px) in rows.zip(self.xs.iter().skip(skip)) {
            for ((c, by), &py) in self.yb.clone().enumerate().zip(&self.ys) {
                if self.symmetric && bx > by {
                    continue;
                }
                let count = cells[[r, c]];
                if count == zero || px >= TILE_BINS || py >= TILE_BINS {
                    continue;
                }
                let count: f64 = count.into();
                let value = match self.weights {
                    None => count as f32,
                    Some(w) => {
                        let balanced = count * weight(w, bx) * weight(w, by);
                        if balanced.is_nan() { 0.0 } else { balanced as f32 }
                    }
                };
                out[py * TILE_BINS + px] = value;
            }
        }
    }

    /// NaN over the columns and rows of bins with a NaN weight, and from the genome's end on.
    fn mask(&self, weights: &[f64], axis: &Axis, (x0, y0): (u64, u64), out: &mut [f32]) {
        let column = |out: &mut [f32], px: usize| {
            for row in out.chunks_exact_mut(TILE_BINS) {
                row[px] = f32::NAN;
            }
        };
        let row = |out: &mut [f32], py: usize| out[py * TILE_BINS..(py + 1) * TILE_BINS].fill(f32::NAN);
        for (bx, &px) in self.xb.clone().zip(&self.xs) {
            if weight(weights, bx).is_nan() && px < TILE_BINS {
                column(out, px);
            }
        }
        for (by, &py) in self.yb.clone().zip(&self.ys) {
            if weight(weights, by).is_nan() && py < TILE_BINS {
                row(out, py);
            }
        }
        for px in beyond_end(axis, x0) {
            column(out, px);
        }
        for py in beyond_end(axis, y0) {
            row(out, py);
        }
    }
}

/// The weight of `bin` (NaN past the vector, which the genome's checks rule out).
fn weight(weights: &[f64], bin: u64) -> f64 {
    usize::try_from(bin).ok().and_then(|b| weights.get(b)).copied().unwrap_or(f64::NAN)
}

/// The pixels of a tile starting at `start` bp from the genome's end on: the genome's length
/// and each resolution step after it, as clodius masks them (the pixel holding the end too).
fn beyond_end(axis: &Axis, start: u64) -> Range<usize> {
    let total = axis.total();
    let first = total.saturating_sub(start) / axis.resolution();
    usize::try_from(first).unwrap_or(TILE_BINS).min(TILE_BINS)..TILE_BINS
}
