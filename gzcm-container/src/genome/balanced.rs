//! Balanced windows: a region read, then balanced with one of the file's weight vectors by
//! [`gzcm_genome::balance::apply`].

use std::ops::Range;

use gzcm_core::TileData;
use ndarray::Array2;

use crate::error::Result;
use crate::reader::Reader;

impl Reader {
    /// The window `rows × cols` balanced with the weight vector named `weights`: float64
    /// `count · w[row] · w[col]`, NaN where a row's or column's weight is NaN (cooler's
    /// `matrix(balance=NAME)`); `None` when the file has no vector by that name.
    ///
    /// # Errors
    /// As [`Reader::region`].
    pub fn balanced_region(
        &self,
        rows: Range<u64>,
        cols: Range<u64>,
        weights: &str,
    ) -> Result<Option<Array2<f64>>> {
        let Some(values) = self.weights(weights) else { return Ok(None) };
        let window = self.region(rows.clone(), cols.clone())?;
        // `region` checked both ranges against the matrix, whose edge is the vector's length.
        let part = |range: Range<u64>| {
            let range = usize::try_from(range.start).unwrap_or(usize::MAX)
                ..usize::try_from(range.end).unwrap_or(usize::MAX);
            values.get(range).unwrap_or_default()
        };
        let (row_weights, col_weights) = (part(rows), part(cols));
        Ok(Some(match &window {
            TileData::U32(cells) => gzcm_genome::balance::apply(cells.view(), row_weights, col_weights),
            TileData::F32(cells) => gzcm_genome::balance::apply(cells.view(), row_weights, col_weights),
        }))
    }
}
