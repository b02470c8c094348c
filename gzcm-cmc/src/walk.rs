//! Diagonal reordering: the order in which cells are visited.
//!
//! Hi-C counts decay with genomic distance, and distance is constant along a diagonal of a tile
//! (`col - row` plus the tile's offset). Visiting the tile diagonal by diagonal therefore puts
//! values of similar magnitude next to each other, and, when a cell is visited, its neighbours one
//! step closer to the main diagonal are already known, which is what the context model feeds on.

use std::ops::Range;

use crate::format::Mode;

/// The visiting order of one tile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Walk {
    mode: Mode,
    rows: usize,
    cols: usize,
}

impl Walk {
    /// A walk for a tile of `rows x cols` (`mode` must not be `Zero`).
    pub(crate) fn new(mode: Mode, rows: usize, cols: usize) -> Self {
        debug_assert!(mode != Mode::Zero);
        Self { mode, rows, cols }
    }

    /// Whether only the upper triangle is walked (rows and columns are the same bins).
    pub(crate) fn is_symmetric(&self) -> bool {
        self.mode == Mode::Symmetric
    }

    /// Diagonal offsets (`col - row`) in visiting order.
    ///
    /// A symmetric tile needs only its upper triangle (offsets `0..n`); any other tile is walked
    /// from the bottom-left corner, which is the cell nearest the matrix diagonal for a tile above it.
    pub(crate) fn diagonals(&self) -> Range<isize> {
        match self.mode {
            Mode::Symmetric => 0..self.cols as isize,
            _ => -(self.rows as isize - 1)..self.cols as isize,
        }
    }

    /// Rows of the cells on diagonal `k`, in visiting order (the column is `row + k`).
    pub(crate) fn cells(&self, k: isize) -> Range<usize> {
        let first = (-k).max(0) as usize;
        let end = (self.cols as isize - k).min(self.rows as isize).max(0) as usize;
        first..end.max(first)
    }

    /// Whether cell `(row, col)` is inside the tile and stored by this walk.
    ///
    /// Callers only ask about cells on earlier diagonals (or earlier on the same one), so a
    /// stored cell is also an already-visited one.
    pub(crate) fn stored(&self, row: isize, col: isize) -> bool {
        let inside = row >= 0 && col >= 0 && (row as usize) < self.rows && (col as usize) < self.cols;
        inside && (self.mode != Mode::Symmetric || col >= row)
    }
}

/// Whether a tile is square and equal to its transpose (so its upper triangle suffices).
pub(crate) fn is_symmetric(values: &[u32], rows: usize, cols: usize) -> bool {
    rows == cols && (0..rows).all(|i| (i + 1..cols).all(|j| values[i * cols + j] == values[j * cols + i]))
}

/// Copies the upper triangle of a square tile onto its lower triangle.
pub(crate) fn mirror_upper(out: &mut [u32], n: usize) {
    for i in 0..n {
        for j in i + 1..n {
            out[j * n + i] = out[i * n + j];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(walk: &Walk) -> Vec<(usize, usize)> {
        let diagonals = walk.diagonals();
        diagonals.flat_map(|k| walk.cells(k).map(move |i| (i, (i as isize + k) as usize))).collect()
    }

    #[test]
    fn full_walk_visits_every_cell_once() {
        for (rows, cols) in [(1, 1), (1, 5), (5, 1), (3, 4), (4, 3), (6, 6)] {
            let mut seen = order(&Walk::new(Mode::Full, rows, cols));
            assert_eq!(seen.len(), rows * cols);
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), rows * cols);
        }
    }

    #[test]
    fn symmetric_walk_visits_the_upper_triangle_by_diagonal() {
        let seen = order(&Walk::new(Mode::Symmetric, 3, 3));
        assert_eq!(seen, [(0, 0), (1, 1), (2, 2), (0, 1), (1, 2), (0, 2)]);
    }

    #[test]
    fn full_walk_starts_at_the_bottom_left() {
        let seen = order(&Walk::new(Mode::Full, 2, 2));
        assert_eq!(seen, [(1, 0), (0, 0), (1, 1), (0, 1)]);
    }

    #[test]
    fn symmetry_check_and_mirror() {
        let mut tile = vec![1, 2, 0, 5];
        assert!(!is_symmetric(&tile, 2, 2));
        mirror_upper(&mut tile, 2);
        assert_eq!(tile, [1, 2, 2, 5]);
        assert!(is_symmetric(&tile, 2, 2));
        assert!(!is_symmetric(&[1, 1], 1, 2));
    }
}
