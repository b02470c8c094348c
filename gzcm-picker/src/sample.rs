//! Choosing a bounded, deterministic sample of tiles per region, and pass 2: materialising
//! only those tiles from the caller's cells.

use std::collections::BTreeMap;

use std::sync::Arc;

use gzcm_core::{Dtype, Element, TileContext, TileData, TileShape};

use crate::error::{PickerError, Result};
use crate::regions::{Assignment, RegionPlan};
use crate::survey::{Grid, TileCoord};

/// Default number of sample tiles per region.
pub const DEFAULT_SAMPLE_TILES: usize = 12;

/// The sampled tile coordinates of every region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleSet {
    grid: Grid,
    per_region: usize,
    regions: Vec<Vec<TileCoord>>,
    assignment: Arc<Assignment>,
}

impl RegionPlan {
    /// At most `per_region` stored tiles of each region (at least 1; `0` counts as 1), spread
    /// evenly over the region's tiles ordered by `(diagonal distance, tile_row, tile_col)`:
    /// with `n` tiles and `k = min(per_region, n)` samples, sample `s` is the tile of rank
    /// `⌊(2s + 1)·n / 2k⌋`. Deterministic: the same plan gives the same samples.
    #[must_use]
    pub fn sample_tiles(&self, per_region: usize) -> SampleSet {
        let per_region = per_region.max(1);
        let regions = self
            .regions()
            .iter()
            .map(|region| {
                let tiles = region.tiles();
                let n = tiles.len();
                let k = per_region.min(n);
                (0..k).map(|s| tiles[(2 * s + 1) * n / (2 * k)]).collect()
            })
            .collect();
        SampleSet { grid: *self.grid(), per_region, regions, assignment: self.assignment() }
    }
}

impl SampleSet {
    /// The requested sample size per region.
    #[must_use]
    pub fn per_region(&self) -> usize {
        self.per_region
    }

    /// The sampled tiles of each region, in region id order.
    #[must_use]
    pub fn regions(&self) -> &[Vec<TileCoord>] {
        &self.regions
    }

    /// Number of sampled tiles over all regions.
    #[must_use]
    pub fn len(&self) -> usize {
        self.regions.iter().map(Vec::len).sum()
    }

    /// Whether no tile is sampled (a plan without regions).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A collector for pass 2, for a matrix of cells of `dtype`.
    #[must_use]
    pub fn collector(&self, dtype: Dtype) -> SampleCollector {
        let wanted = self.regions.iter().flatten().map(|&coord| (coord, None)).collect();
        SampleCollector { samples: self.clone(), dtype, cells: wanted, probes: BTreeMap::new() }
    }
}

/// Pass 2: receives every cell and keeps only those of the sampled tiles.
///
/// It also keeps, per region, the first cell of an unsampled tile that integer-only codecs
/// would refuse (an `f32` value that is not a whole count in `0..=u32::MAX`, NaN included): the
/// picker offers that cell to every candidate as a *probe* tile, so a codec that would fail on a
/// tile outside the sample drops out of the region instead of failing the write later.
///
/// Memory: the sampled tiles at their true shape (`regions × per_region × tile_size² × 4`
/// bytes at most), allocated when a tile receives its first non-zero cell, plus one probe cell
/// per region.
#[derive(Clone, Debug)]
pub struct SampleCollector {
    samples: SampleSet,
    dtype: Dtype,
    cells: BTreeMap<TileCoord, Option<Vec<u32>>>,
    /// Per region: tile, row and column within the tile, and the cell's bits.
    probes: BTreeMap<usize, (TileCoord, usize, usize, u32)>,
}

impl SampleCollector {
    /// Adds one cell (zeros are skipped). For a symmetric matrix give either triangle: a lower
    /// cell is stored as its upper mirror, and a diagonal tile is filled whole (both triangles),
    /// as the writer stores it.
    ///
    /// # Errors
    /// [`PickerError::DtypeMismatch`] when `T` is not the collector's dtype,
    /// [`PickerError::CellOutOfBounds`] for a cell outside the matrix.
    pub fn push<T: Element>(&mut self, row: u64, col: u64, value: T) -> Result<()> {
        if T::DTYPE != self.dtype {
            return Err(PickerError::DtypeMismatch { expected: self.dtype, found: T::DTYPE });
        }
        let grid = self.samples.grid;
        let (row, col) = grid.stored_cell(row, col)?;
        if value.is_zero() {
            return Ok(());
        }
        let coord = grid.tile_of(row, col);
        let t = u64::from(grid.tile_size());
        let (r, c) = (usize::try_from(row % t).unwrap_or(0), usize::try_from(col % t).unwrap_or(0));
        let bits = u32::from_le_bytes(value.to_le());
        if self.dtype == Dtype::F32
            && !is_whole_count(f32::from_bits(bits))
            && !self.cells.contains_key(&coord)
            && let Some(region) = self.samples.assignment.region_of(coord.0, coord.1)
        {
            self.probes.entry(region).or_insert((coord, r, c, bits));
        }
        let Some(slot) = self.cells.get_mut(&coord) else {
            return Ok(());
        };
        let shape = grid.tile_shape(coord.0, coord.1);
        let cells = slot.get_or_insert_with(|| vec![0; shape.cells()]);
        let cols = shape.cols as usize;
        cells[r * cols + c] = bits;
        if grid.symmetric() && coord.0 == coord.1 {
            cells[c * cols + r] = bits;
        }
        Ok(())
    }

    /// The sampled tiles, ready for the picker.
    #[must_use]
    pub fn finish(self) -> SampleTiles {
        let SampleCollector { samples, dtype, mut cells, probes } = self;
        let grid = samples.grid;
        let probes = (0..samples.regions.len())
            .map(|region| {
                let &((i, j), r, c, bits) = probes.get(&region)?;
                let shape = grid.tile_shape(i, j);
                let mut cells = vec![0u32; shape.cells()];
                let cols = shape.cols as usize;
                cells[r * cols + c] = bits;
                if grid.symmetric() && i == j {
                    cells[c * cols + r] = bits;
                }
                let tile = tile_from_bits(dtype, shape, &cells);
                Some(SampleTile { context: TileContext::new(i, j, grid.symmetric()), tile })
            })
            .collect();
        let regions = samples
            .regions
            .iter()
            .map(|coords| {
                coords
                    .iter()
                    .map(|&(i, j)| {
                        let shape = grid.tile_shape(i, j);
                        let bits = cells.get_mut(&(i, j)).and_then(Option::take);
                        let tile = match bits {
                            None => TileData::zeros(dtype, shape),
                            Some(bits) => tile_from_bits(dtype, shape, &bits),
                        };
                        SampleTile { context: TileContext::new(i, j, grid.symmetric()), tile }
                    })
                    .collect()
            })
            .collect();
        SampleTiles { grid, per_region: samples.per_region, dtype, regions, probes }
    }
}

/// Whether an `f32` holds a whole count in `0..=u32::MAX` (what integer-only codecs accept).
fn is_whole_count(value: f32) -> bool {
    (0.0..4_294_967_296.0).contains(&value) && value.fract() == 0.0
}

/// A tile of `shape` from row-major cell bits (`shape.cells()` of them).
fn tile_from_bits(dtype: Dtype, shape: TileShape, bits: &[u32]) -> TileData {
    let bytes: Vec<u8> = bits.iter().flat_map(|b| b.to_le_bytes()).collect();
    TileData::from_le_bytes(dtype, shape, &bytes).unwrap_or_else(|_| TileData::zeros(dtype, shape))
}

/// One sampled tile with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleTile {
    /// Where the tile sits (passed to the encoder).
    pub context: TileContext,
    /// The tile at its true shape.
    pub tile: TileData,
}

/// The materialised sample tiles of every region.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleTiles {
    grid: Grid,
    per_region: usize,
    dtype: Dtype,
    regions: Vec<Vec<SampleTile>>,
    probes: Vec<Option<SampleTile>>,
}

impl SampleTiles {
    /// The sampled tiles of each region, in region id order.
    #[must_use]
    pub fn regions(&self) -> &[Vec<SampleTile>] {
        &self.regions
    }

    /// Per region, the probe tile: the tile of the first cell seen in an unsampled tile of the
    /// region that integer-only codecs refuse, holding only that cell (`None` when there is no
    /// such cell; refused cells in sampled tiles show up in the sample itself).
    #[must_use]
    pub fn probes(&self) -> &[Option<SampleTile>] {
        &self.probes
    }

    /// The cell type.
    #[must_use]
    pub fn dtype(&self) -> Dtype {
        self.dtype
    }

    /// The requested sample size per region.
    #[must_use]
    pub fn per_region(&self) -> usize {
        self.per_region
    }

    /// The geometry the tiles were cut from.
    #[must_use]
    pub fn grid(&self) -> &Grid {
        &self.grid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::Survey;

    #[test]
    fn samples_spread_and_stay_bounded() {
        let grid = Grid::new(256, 256, 16, true).unwrap();
        let mut survey = Survey::new(grid);
        for r in 0..256 {
            for c in r..256 {
                survey.observe(r, c).unwrap();
            }
        }
        let plan = RegionPlan::from_survey(survey);
        let samples = plan.sample_tiles(5);
        assert_eq!(samples, plan.sample_tiles(5));
        for (region, sampled) in plan.regions().iter().zip(samples.regions()) {
            assert_eq!(sampled.len(), 5.min(region.tiles().len()));
            assert!(sampled.iter().all(|c| region.tiles().contains(c)));
            let mut unique = sampled.clone();
            unique.dedup();
            assert_eq!(unique.len(), sampled.len());
        }
    }

    #[test]
    fn collector_mirrors_diagonal_tiles_and_ignores_others() {
        let grid = Grid::new(32, 32, 16, true).unwrap();
        let mut survey = Survey::new(grid);
        survey.observe(0, 1).unwrap();
        let plan = RegionPlan::from_survey(survey);
        let samples = plan.sample_tiles(3);
        assert_eq!(samples.regions(), &[vec![(0, 0)]]);
        let mut collector = samples.collector(Dtype::U32);
        collector.push(1, 0, 7u32).unwrap();
        collector.push(2, 2, 3u32).unwrap();
        collector.push(0, 20, 9u32).unwrap();
        assert!(matches!(collector.push(0, 0, 1.5f32), Err(PickerError::DtypeMismatch { .. })));
        let tiles = collector.finish();
        let TileData::U32(a) = &tiles.regions()[0][0].tile else { panic!("dtype") };
        assert_eq!((a[[0, 1]], a[[1, 0]], a[[2, 2]], a.sum()), (7, 7, 3, 17));
        assert_eq!(tiles.probes(), &[None]);
    }

    #[test]
    fn collector_keeps_one_probe_per_region_for_non_integer_floats() {
        let grid = Grid::new(48, 48, 16, true).unwrap();
        let mut survey = Survey::new(grid);
        for (r, c) in [(0, 0), (0, 20), (16, 36)] {
            survey.observe(r, c).unwrap();
        }
        let plan = RegionPlan::from_survey(survey);
        let samples = plan.sample_tiles(1);
        assert_eq!(samples.regions(), &[vec![(0, 0)], vec![(1, 2)]]);
        let mut collector = samples.collector(Dtype::F32);
        collector.push(0, 0, 2.5f32).unwrap(); // sampled: no probe
        collector.push(16, 36, 0.5f32).unwrap(); // sampled: no probe
        collector.push(18, 1, f32::NAN).unwrap();
        collector.push(0, 18, 0.5f32).unwrap();
        let tiles = collector.finish();
        let probes: Vec<_> = tiles.probes().iter().flatten().collect();
        assert_eq!(probes.len(), 1);
        assert_eq!((probes[0].context.tile_row, probes[0].context.tile_col), (0, 1));
        let TileData::F32(a) = &probes[0].tile else { panic!("dtype") };
        assert!(a[[1, 2]].is_nan());
        assert_eq!(a.iter().filter(|v| **v != 0.0).count(), 1);
        assert!(is_whole_count(3.0) && !is_whole_count(-1.0) && !is_whole_count(0.5));
        assert!(!is_whole_count(f32::INFINITY) && !is_whole_count(4_294_967_296.0));
    }
}
