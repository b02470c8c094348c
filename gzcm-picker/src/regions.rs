//! Partitioning the stored (non-empty) tiles into regions of different character.
//!
//! # The rule
//!
//! **Symmetric matrices** are cut into bands of tile diagonal distance `d = tile_col - tile_row`,
//! from the mean density `ρ(d)` = non-zero cells at distance `d` ÷ cells the file could store at
//! that distance (empty tiles included, diagonal tiles counted as their upper triangle). With
//! `ρ_ref = ρ(0)` (or the largest `ρ(d)` when the diagonal is empty):
//!
//! 1. `diagonal`: `d = 0`;
//! 2. `near`: `d = 1, 2, …` while `ρ(d) ≥ ρ_ref / 4` ([`NEAR_FACTOR`]);
//! 3. `far`: the following distances while `ρ(d) ≥ ρ_ref / 64` ([`FAR_FACTOR`]);
//! 4. `tail`: every larger distance.
//!
//! A band ends at the first distance that falls below its threshold (bands are contiguous in
//! `d`, so noise further out never reorders them). Bands with no distances are skipped; a band
//! whose distances hold no stored tile is merged into the band before it (or after it, for the
//! diagonal), so no region is empty and the bands cover every distance `0..tile_rows`.
//!
//! **Non-symmetric matrices** (rectangular, or square but stored whole) have no single diagonal
//! to measure from, so their stored tiles are classed by density quantiles: with `q1` and `q3`
//! the densities at ranks `⌊n/4⌋` and `⌊3n/4⌋` of the `n` sorted tile densities, `dense` holds
//! tiles with density `≥ q3`, `sparse` those `< q1`, `medium` the rest (empty classes dropped;
//! fewer than 8 stored tiles make one region, `all`). Tiles that are empty in the survey belong
//! to the sparsest region.
//!
//! At most four regions result, each with at least one stored tile.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::region_entry::{Extent, RegionEntry, RuleKind};
use crate::survey::{Grid, Survey, TileCoord};

/// `near` holds distances whose density is at least the reference density divided by this.
pub const NEAR_FACTOR: f64 = 4.0;
/// `far` holds distances whose density is at least the reference density divided by this.
pub const FAR_FACTOR: f64 = 64.0;
/// Non-symmetric matrices with fewer stored tiles than this form a single region.
pub const MIN_TILES_FOR_QUANTILES: usize = 8;

/// How a region's tiles were chosen.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum RegionRule {
    /// Every tile with diagonal distance in `min..=max` (symmetric matrices).
    TileDistance {
        /// Smallest distance.
        min: u32,
        /// Largest distance.
        max: u32,
    },
    /// Stored tiles whose density lies in a quantile class (non-symmetric matrices).
    DensityClass {
        /// Smallest tile density in the class.
        min: f64,
        /// Largest tile density in the class.
        max: f64,
    },
}

/// One region: a set of stored tiles that get the same codec.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    id: usize,
    name: String,
    rule: RegionRule,
    /// Stored tiles, sorted by `(d, tile_row, tile_col)`.
    tiles: Vec<TileCoord>,
    nnz: u64,
    density: (f64, f64),
}

impl Region {
    /// Position of the region in the plan (0-based).
    #[must_use]
    pub fn id(&self) -> usize {
        self.id
    }

    /// `diagonal`, `near`, `far`, `tail` (symmetric) or `dense`, `medium`, `sparse`, `all`.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How the region was chosen.
    #[must_use]
    pub fn rule(&self) -> RegionRule {
        self.rule
    }

    /// The region's stored (non-empty) tiles, sorted by `(diagonal distance, tile_row, tile_col)`.
    #[must_use]
    pub fn tiles(&self) -> &[TileCoord] {
        &self.tiles
    }

    /// Non-zero cells in the region (as surveyed).
    #[must_use]
    pub fn nnz(&self) -> u64 {
        self.nnz
    }

    /// Smallest and largest tile density among the region's stored tiles.
    #[must_use]
    pub fn density_range(&self) -> (f64, f64) {
        self.density
    }

    /// Smallest and largest diagonal distance among the region's stored tiles.
    #[must_use]
    pub fn distance_range(&self) -> (u32, u32) {
        let mut it = self.tiles.iter().map(|&(i, j)| i.abs_diff(j));
        let first = it.next().unwrap_or(0);
        it.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d)))
    }

    /// Inclusive tile bounds `((row_min, row_max), (col_min, col_max))` of the stored tiles.
    #[must_use]
    pub fn extent_tiles(&self) -> ((u32, u32), (u32, u32)) {
        let first = self.tiles.first().copied().unwrap_or((0, 0));
        self.tiles.iter().fold(((first.0, first.0), (first.1, first.1)), |((r0, r1), (c0, c1)), &(i, j)| {
            ((r0.min(i), r1.max(i)), (c0.min(j), c1.max(j)))
        })
    }

    /// The region's entry of the header's `regions`, with `codec` as chosen.
    pub(crate) fn entry(&self, grid: &Grid, codec: &str) -> RegionEntry {
        let ((r0, r1), (c0, c1)) = self.extent_tiles();
        let t = u64::from(grid.tile_size());
        let bins = |lo: u32, hi: u32, total: u64| {
            [u64::from(lo) * t, (u64::from(hi) + 1).saturating_mul(t).min(total)]
        };
        let (d0, d1) = match self.rule {
            RegionRule::TileDistance { min, max } => (min, max),
            RegionRule::DensityClass { .. } => self.distance_range(),
        };
        let rule = match self.rule {
            RegionRule::TileDistance { .. } => RuleKind::TileDistance,
            RegionRule::DensityClass { .. } => RuleKind::DensityQuantile,
        };
        RegionEntry {
            id: self.id,
            name: self.name.clone(),
            rule,
            tile_distance: [d0, d1],
            density: [self.density.0, self.density.1],
            extent_tiles: Extent { rows: [r0, r1], cols: [c0, c1] },
            extent_bins: Extent { rows: bins(r0, r1, grid.rows()), cols: bins(c0, c1, grid.cols()) },
            tiles: self.tiles.len(),
            nnz: self.nnz,
            codec: codec.to_owned(),
        }
    }
}

/// How tiles map to regions (shared with the sample collector).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Assignment {
    /// Region index per diagonal distance band: `(d_max inclusive, region)` in increasing `d`.
    Distance(Vec<(u32, usize)>),
    /// Region index per stored tile; every other tile goes to `fallback`.
    Tiles { of: BTreeMap<TileCoord, usize>, fallback: usize },
}

impl Assignment {
    /// The region of any tile; `None` only when there are no regions.
    pub(crate) fn region_of(&self, tile_row: u32, tile_col: u32) -> Option<usize> {
        match self {
            Assignment::Distance(bands) => {
                let d = tile_row.abs_diff(tile_col);
                let last = bands.last()?.1;
                Some(bands.iter().find(|(max, _)| d <= *max).map_or(last, |b| b.1))
            }
            Assignment::Tiles { of, fallback } => {
                if of.is_empty() {
                    return None;
                }
                Some(of.get(&(tile_row, tile_col)).copied().unwrap_or(*fallback))
            }
        }
    }
}

/// The regions of one matrix, computed from a [`Survey`].
#[derive(Clone, Debug, PartialEq)]
pub struct RegionPlan {
    grid: Grid,
    regions: Vec<Region>,
    assignment: Arc<Assignment>,
}

impl RegionPlan {
    /// Partitions the surveyed tiles into regions (see the module docs for the rule).
    /// A survey with no non-empty tile gives a plan with no regions.
    #[must_use]
    pub fn from_survey(survey: Survey) -> Self {
        let (grid, nnz) = survey.into_parts();
        if grid.symmetric() { by_distance(grid, &nnz) } else { by_density(grid, &nnz) }
    }

    /// The geometry.
    #[must_use]
    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    /// The regions, in id order.
    #[must_use]
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The region id of tile `(tile_row, tile_col)` — any tile of the grid, stored or not
    /// (a lower-triangle coordinate of a symmetric matrix counts as its mirror). `None` only when
    /// the plan has no regions.
    #[must_use]
    pub fn region_of(&self, tile_row: u32, tile_col: u32) -> Option<usize> {
        self.assignment.region_of(tile_row, tile_col)
    }

    pub(crate) fn assignment(&self) -> Arc<Assignment> {
        Arc::clone(&self.assignment)
    }
}

impl Survey {
    /// The regions of the surveyed matrix (same as [`RegionPlan::from_survey`]).
    #[must_use]
    pub fn into_plan(self) -> RegionPlan {
        RegionPlan::from_survey(self)
    }
}

/// Density of a tile as surveyed.
#[expect(clippy::cast_precision_loss, reason = "densities need no more than f64 precision")]
fn tile_density(grid: &Grid, (i, j): TileCoord, nnz: u64) -> f64 {
    nnz as f64 / grid.stored_cells(i, j).max(1) as f64
}

/// Cells the file could store at diagonal distance `d` of a symmetric grid (O(1)).
fn cells_at_distance(grid: &Grid, d: u32) -> u64 {
    let (n, _) = grid.tiles();
    if d >= n {
        return 0;
    }
    let t = u64::from(grid.tile_size());
    let last = u64::from(grid.tile_shape(n - 1, n - 1).rows);
    let full = u64::from(n - d - 1);
    if d == 0 { full * t * (t + 1) / 2 + last * (last + 1) / 2 } else { t * (full * t + last) }
}

fn by_distance(grid: Grid, nnz: &BTreeMap<TileCoord, u64>) -> RegionPlan {
    let (n, _) = grid.tiles();
    let mut per_d: BTreeMap<u32, u64> = BTreeMap::new();
    for (&(i, j), &count) in nnz {
        *per_d.entry(i.abs_diff(j)).or_insert(0) += count;
    }
    #[expect(clippy::cast_precision_loss, reason = "densities need no more than f64 precision")]
    let density =
        |d: u32| per_d.get(&d).copied().unwrap_or(0) as f64 / cells_at_distance(&grid, d).max(1) as f64;
    let mut reference = density(0);
    if reference <= 0.0 {
        reference = per_d.keys().map(|&d| density(d)).fold(0.0, f64::max);
    }
    // Inclusive distance ranges of diagonal, near, far and tail (bands without distances left out).
    let mut bands: Vec<(&str, u32, u32)> = vec![("diagonal", 0, 0)];
    let mut d = 1;
    for (name, factor) in [("near", NEAR_FACTOR), ("far", FAR_FACTOR)] {
        let start = d;
        while d < n && density(d) >= reference / factor {
            d += 1;
        }
        if d > start {
            bands.push((name, start, d - 1));
        }
    }
    if d < n {
        bands.push(("tail", d, n - 1));
    }
    // Merge bands without stored tiles into a neighbour.
    let stored_in = |lo: u32, hi: u32| per_d.range(lo..=hi).next().is_some();
    let mut kept: Vec<(&str, u32, u32)> = Vec::new();
    let mut pending_start: Option<u32> = None;
    for (name, lo, hi) in bands {
        if stored_in(lo, hi) {
            kept.push((name, pending_start.take().unwrap_or(lo), hi));
        } else if let Some(previous) = kept.last_mut() {
            previous.2 = hi;
        } else {
            pending_start.get_or_insert(lo);
        }
    }
    let regions: Vec<Region> = kept
        .iter()
        .enumerate()
        .map(|(id, &(name, min, max))| Region {
            id,
            name: name.to_owned(),
            rule: RegionRule::TileDistance { min, max },
            tiles: Vec::new(),
            nnz: 0,
            density: (f64::INFINITY, 0.0),
        })
        .collect();
    let bands: Vec<(u32, usize)> = kept.iter().enumerate().map(|(id, &(_, _, max))| (max, id)).collect();
    let assignment = Arc::new(Assignment::Distance(bands));
    let mut plan = RegionPlan { grid, regions, assignment };
    let mut sorted: Vec<(u32, TileCoord, u64)> =
        nnz.iter().map(|(&(i, j), &c)| (i.abs_diff(j), (i, j), c)).collect();
    sorted.sort_unstable();
    for (_, coord, count) in sorted {
        let id = plan.region_of(coord.0, coord.1).unwrap_or(0);
        add_tile(&mut plan.regions[id], &grid, coord, count);
    }
    plan
}

fn by_density(grid: Grid, nnz: &BTreeMap<TileCoord, u64>) -> RegionPlan {
    let mut densities: Vec<f64> = nnz.iter().map(|(&c, &count)| tile_density(&grid, c, count)).collect();
    densities.sort_unstable_by(f64::total_cmp);
    let n = densities.len();
    let class_of: Box<dyn Fn(f64) -> usize> = if n < MIN_TILES_FOR_QUANTILES {
        Box::new(|_: f64| 0)
    } else {
        let (q1, q3) = (densities[n / 4], densities[3 * n / 4]);
        Box::new(move |density: f64| {
            if density >= q3 {
                0
            } else if density >= q1 {
                1
            } else {
                2
            }
        })
    };
    let names: &[&str] = if n < MIN_TILES_FOR_QUANTILES { &["all"] } else { &["dense", "medium", "sparse"] };
    let mut classes: Vec<Vec<(u32, TileCoord, u64)>> = vec![Vec::new(); names.len()];
    for (&coord, &count) in nnz {
        let class = class_of(tile_density(&grid, coord, count));
        classes[class].push((coord.0.abs_diff(coord.1), coord, count));
    }
    let mut regions = Vec::new();
    let mut of = BTreeMap::new();
    for (class, mut members) in classes.into_iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        members.sort_unstable();
        let id = regions.len();
        let mut region = Region {
            id,
            name: names[class].to_owned(),
            rule: RegionRule::DensityClass { min: 0.0, max: 0.0 },
            tiles: Vec::new(),
            nnz: 0,
            density: (f64::INFINITY, 0.0),
        };
        for (_, coord, count) in members {
            of.insert(coord, id);
            add_tile(&mut region, &grid, coord, count);
        }
        region.rule = RegionRule::DensityClass { min: region.density.0, max: region.density.1 };
        regions.push(region);
    }
    let fallback = regions.len().saturating_sub(1);
    RegionPlan { grid, regions, assignment: Arc::new(Assignment::Tiles { of, fallback }) }
}

fn add_tile(region: &mut Region, grid: &Grid, coord: TileCoord, count: u64) {
    let density = tile_density(grid, coord, count);
    region.tiles.push(coord);
    region.nnz += count;
    region.density = (region.density.0.min(density), region.density.1.max(density));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(grid: Grid, cells: impl IntoIterator<Item = (u64, u64)>) -> Survey {
        let mut survey = Survey::new(grid);
        for (r, c) in cells {
            survey.observe(r, c).unwrap();
        }
        survey
    }

    #[test]
    fn cells_at_distance_matches_a_direct_count() {
        let grid = Grid::new(100, 100, 16, true).unwrap();
        let (n, _) = grid.tiles();
        for d in 0..n {
            let direct: u64 = (0..n - d).map(|i| grid.stored_cells(i, i + d)).sum();
            assert_eq!(cells_at_distance(&grid, d), direct, "d = {d}");
        }
    }

    #[test]
    fn decaying_symmetric_map_gets_distance_bands() {
        let grid = Grid::new(320, 320, 16, true).unwrap();
        // Dense within 32 bins of the diagonal, then one cell per 16×16 block further out.
        let cells = (0..320u64).flat_map(|r| {
            (r..320).filter(move |&c| c - r < 32 || (r % 16 == 0 && c % 16 == 0)).map(move |c| (r, c))
        });
        let plan = RegionPlan::from_survey(survey(grid, cells));
        let names: Vec<&str> = plan.regions().iter().map(Region::name).collect();
        assert_eq!(names[0], "diagonal");
        assert!(names.len() >= 2 && names.len() <= 4, "{names:?}");
        assert_ne!(plan.region_of(0, 0), plan.region_of(0, 19));
        assert_eq!(plan.region_of(3, 3), Some(0));
        assert_eq!(plan.region_of(5, 2), plan.region_of(2, 5));
        let total: usize = plan.regions().iter().map(|r| r.tiles().len()).sum();
        assert_eq!(total, 20 * 21 / 2);
    }

    #[test]
    fn empty_bands_merge_into_neighbours() {
        let grid = Grid::new(128, 128, 16, true).unwrap();
        // Only far tiles hold data: no diagonal tiles at all.
        let plan = RegionPlan::from_survey(survey(grid, [(0, 127), (2, 124), (16, 120)]));
        assert!(!plan.regions().is_empty());
        for region in plan.regions() {
            assert!(!region.tiles().is_empty());
        }
        assert!(plan.region_of(0, 0).is_some());
    }

    #[test]
    fn rectangular_map_gets_density_classes() {
        let grid = Grid::new(80, 160, 16, false).unwrap();
        let cells = (0..80u64)
            .flat_map(|r| (0..160u64).filter(move |c| (r + c) % (1 + c / 32) == 0).map(move |c| (r, c)));
        let plan = RegionPlan::from_survey(survey(grid, cells));
        assert!(plan.regions().len() >= 2);
        assert_eq!(plan.regions()[0].name(), "dense");
        let total: usize = plan.regions().iter().map(|r| r.tiles().len()).sum();
        assert_eq!(total, 50);
        assert!(RegionPlan::from_survey(Survey::new(grid)).regions().is_empty());
    }
}
