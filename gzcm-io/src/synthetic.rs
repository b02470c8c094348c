//! A seeded synthetic Hi-C map of any size, generated row by row without materialising it.
//!
//! Structure, as in real maps: contact frequency decays as a power law of the distance from the
//! diagonal (exponent `alpha`, ~1), TAD-like domains along the diagonal are enriched, an A/B
//! compartment checkerboard modulates the far field, per-bin coverage varies, a few bins are
//! masked (empty rows and columns), and counts are Poisson draws. Far from the diagonal hits are
//! sampled by geometric skipping, so the cost is proportional to the non-zero cells
//! (a few hundred per row at the default depth), whatever the size: a 200k × 200k map streams.
//!
//! Spec strings (for command lines): `synthetic:N[:key=value…]`, e.g. `synthetic:4096`,
//! `synthetic:200k:seed=7`, `synthetic:1000:alpha=1.2:tad=3:compartments=0:masked=0`; keys and
//! defaults are documented on [`SyntheticParams`]. The same parameters always give the same map:
//! each row has its own random stream, so rows can be drawn in any order.

mod layout;
mod params;
mod row;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use gzcm_core::Dtype;
use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::SourceError;
use crate::source::{CellStream, Layout as CellLayout, Order, Shape, SourceInfo, Triple};
use crate::value::CellValue;
pub use params::{OPTION_KEYS, SyntheticParams};

use layout::Layout;
use row::Model;

/// The prefix that marks a synthetic spec string.
pub const SPEC_PREFIX: &str = "synthetic:";

/// The random stream that draws the layout; rows use streams `0..bins`.
const LAYOUT_STREAM: u64 = u64::MAX;

/// A synthetic symmetric map: its parameters and per-bin layout (about 10 bytes per bin).
#[derive(Clone, Debug)]
pub struct SyntheticMap {
    params: SyntheticParams,
    layout: Arc<Layout>,
    info: SourceInfo,
}

impl SyntheticMap {
    /// Draws the map's layout from `params`.
    #[must_use]
    pub fn new(params: SyntheticParams) -> Self {
        let mut rng = rng(params.seed, LAYOUT_STREAM);
        let layout = Arc::new(Layout::draw(&params, &mut rng));
        let info = SourceInfo {
            shape: Shape::square(params.bins),
            dtype: Dtype::U32,
            symmetric: true,
            order: Order::RowMajor,
            layout: CellLayout::Triples,
            nnz: None,
            description: describe(&params),
        };
        SyntheticMap { params, layout, info }
    }

    /// Parses a spec string (see the module docs) and draws the map.
    ///
    /// # Errors
    /// [`SourceError::Spec`] for a malformed spec.
    pub fn from_spec(spec: &str) -> Result<Self, SourceError> {
        Ok(SyntheticMap::new(SyntheticParams::parse(spec)?))
    }

    /// Whether `input` is a synthetic spec string rather than a path.
    #[must_use]
    pub fn is_spec(input: &str) -> bool {
        input.starts_with(SPEC_PREFIX)
    }

    /// The parameters.
    #[must_use]
    pub fn params(&self) -> &SyntheticParams {
        &self.params
    }

    /// What the map holds: `bins × bins`, `uint32` counts, symmetric, row-major upper triples.
    #[must_use]
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// The non-zero cells `(col, count)` of row `row` in the upper triangle (`col >= row`),
    /// ascending. Empty for rows at or beyond the size.
    #[must_use]
    pub fn row(&self, row: u32) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        if row < self.params.bins {
            let model = Model { params: &self.params, layout: &self.layout };
            model.draw_row(row as usize, &mut rng(self.params.seed, row.into()), &mut out);
        }
        out
    }

    /// The dense window `rows × cols` of the full symmetric matrix (mirroring the upper
    /// triangle), drawing only the rows it needs. Ranges are clipped to the map.
    #[must_use]
    pub fn window(&self, rows: Range<u32>, cols: Range<u32>) -> Array2<u32> {
        window_of(self.params.bins, rows, cols, |i| Cow::Owned(self.row(i)))
    }

    /// As [`SyntheticMap::window`], from rows drawn beforehand: `upper_rows[i]` must be
    /// `self.row(i)` (e.g. drawn once, in parallel, for many window queries).
    #[must_use]
    pub fn window_from_rows(
        &self,
        upper_rows: &[Vec<(u32, u32)>],
        rows: Range<u32>,
        cols: Range<u32>,
    ) -> Array2<u32> {
        window_of(self.params.bins, rows, cols, |i| {
            upper_rows.get(i as usize).map_or(Cow::Owned(Vec::new()), |r| Cow::Borrowed(r))
        })
    }

    /// Streams the upper-triangle triples, row-major.
    #[must_use]
    pub fn cells<T: CellValue>(&self) -> CellStream<T> {
        CellStream::Triples(Box::new(self.triples::<T>(0..self.params.bins)))
    }

    /// The upper-triangle triples of rows `rows`, row-major.
    pub fn triples<T: CellValue>(
        &self,
        rows: Range<u32>,
    ) -> impl Iterator<Item = Result<Triple<T>, SourceError>> + Send + use<T> {
        let map = self.clone();
        rows.flat_map(move |row| {
            map.row(row).into_iter().map(move |(col, count)| {
                let value = T::from_u64(count.into()).map_err(|fault| SourceError::Cell {
                    path: map_path(),
                    row: row.into(),
                    col: col.into(),
                    fault,
                });
                value.map(|value| Triple { row, col, value })
            })
        })
    }
}

/// Fills the dense region from the upper-triangle rows given by `row_of`.
fn window_of<'a>(
    bins: u32,
    rows: Range<u32>,
    cols: Range<u32>,
    row_of: impl Fn(u32) -> Cow<'a, [(u32, u32)]>,
) -> Array2<u32> {
    let clip = |r: Range<u32>| r.start.min(bins)..r.end.min(bins).max(r.start.min(bins));
    let (rows, cols) = (clip(rows), clip(cols));
    let mut out = Array2::zeros((rows.len(), cols.len()));
    // Cells of the region come from upper rows i in `rows` (as (i, j)) or in `cols` (mirrored).
    let needed = rows.clone().chain(cols.clone().filter(|i| !rows.contains(i)));
    for i in needed {
        for &(j, count) in row_of(i).iter() {
            if rows.contains(&i) && cols.contains(&j) {
                out[[(i - rows.start) as usize, (j - cols.start) as usize]] = count;
            }
            if rows.contains(&j) && cols.contains(&i) {
                out[[(j - rows.start) as usize, (i - cols.start) as usize]] = count;
            }
        }
    }
    out
}

fn map_path() -> std::path::PathBuf {
    std::path::PathBuf::from("<synthetic>")
}

fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

fn describe(p: &SyntheticParams) -> String {
    format!(
        "synthetic:{}:seed={}:alpha={}:depth={}:tad={}:tad-size={}:compartments={}:masked={}",
        p.bins, p.seed, p.alpha, p.depth, p.tad, p.tad_size, p.compartments, p.masked
    )
}
