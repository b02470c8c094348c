//! Matrices handed over from Python (numpy arrays, scipy.sparse COO triples) as `gzcm-io`
//! sources, so they take the same write path as files.

use std::path::PathBuf;
use std::sync::Arc;

use gzcm::Dtype;
use gzcm_io::{CellStream, CellValue, Layout, Order, Shape, SourceError, SourceInfo, Triple, ValueFault};

/// Cells of one type, as Python handed them over.
#[derive(Clone, Debug)]
pub(crate) enum Cells {
    /// `uint32` cells.
    U32(Arc<Vec<u32>>),
    /// `float32` cells.
    F32(Arc<Vec<f32>>),
}

impl Cells {
    fn len(&self) -> usize {
        match self {
            Cells::U32(v) => v.len(),
            Cells::F32(v) => v.len(),
        }
    }

    fn dtype(&self) -> Dtype {
        match self {
            Cells::U32(_) => Dtype::U32,
            Cells::F32(_) => Dtype::F32,
        }
    }

    fn get_f64(&self, index: usize) -> f64 {
        match self {
            Cells::U32(v) => f64::from(v[index]),
            Cells::F32(v) => f64::from(v[index]),
        }
    }
}

/// Why the handed-over arrays do not make a matrix.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MemoryError {
    /// A dense array's cell count differs from its shape.
    #[error("the array holds {found} cells, its shape {rows}×{cols} implies {expected}")]
    CellCount {
        /// Rows.
        rows: u32,
        /// Columns.
        cols: u32,
        /// Cells implied.
        expected: u64,
        /// Cells given.
        found: usize,
    },
    /// COO row, column and value arrays differ in length.
    #[error("COO arrays differ in length: {rows} rows, {cols} columns, {values} values")]
    CooLengths {
        /// Row indices.
        rows: usize,
        /// Column indices.
        cols: usize,
        /// Values.
        values: usize,
    },
}

/// What the matrix is made of.
#[derive(Clone, Debug)]
enum Body {
    /// Row-major dense cells.
    Dense(Cells),
    /// COO triples.
    Coo { rows: Arc<Vec<u32>>, cols: Arc<Vec<u32>>, values: Cells },
}

/// A matrix held in memory.
#[derive(Clone, Debug)]
pub(crate) struct MemoryMatrix {
    info: SourceInfo,
    body: Body,
}

fn memory_path() -> PathBuf {
    PathBuf::from("<in-memory array>")
}

impl MemoryMatrix {
    /// A dense row-major matrix.
    pub(crate) fn dense(shape: Shape, symmetric: bool, cells: Cells) -> Result<Self, MemoryError> {
        if cells.len() as u64 != shape.cells() {
            return Err(MemoryError::CellCount {
                rows: shape.rows,
                cols: shape.cols,
                expected: shape.cells(),
                found: cells.len(),
            });
        }
        let info = SourceInfo {
            shape,
            dtype: cells.dtype(),
            symmetric,
            order: Order::RowMajor,
            layout: Layout::DenseRows,
            nnz: None,
            description: "numpy array".to_owned(),
        };
        Ok(MemoryMatrix { info, body: Body::Dense(cells) })
    }

    /// COO triples (the upper triangle only when `symmetric`; bounds are checked by the writer).
    pub(crate) fn coo(
        shape: Shape,
        symmetric: bool,
        rows: Vec<u32>,
        cols: Vec<u32>,
        values: Cells,
    ) -> Result<Self, MemoryError> {
        if rows.len() != cols.len() || rows.len() != values.len() {
            return Err(MemoryError::CooLengths { rows: rows.len(), cols: cols.len(), values: values.len() });
        }
        let sorted = rows.iter().zip(&cols).zip(rows.iter().zip(&cols).skip(1)).all(|(a, b)| a < b);
        let info = SourceInfo {
            shape,
            dtype: values.dtype(),
            symmetric,
            order: if sorted { Order::RowMajor } else { Order::Unsorted },
            layout: Layout::Triples,
            nnz: Some(rows.len() as u64),
            description: "scipy.sparse matrix".to_owned(),
        };
        Ok(MemoryMatrix { info, body: Body::Coo { rows: Arc::new(rows), cols: Arc::new(cols), values } })
    }

    /// What the matrix holds.
    pub(crate) fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// The cells converted to `T` (values that do not fit end the stream with an error).
    pub(crate) fn cells<T: CellValue>(&self) -> CellStream<T> {
        let convert = |cells: &Cells, index: usize, row: u64, col: u64| {
            T::from_f64(cells.get_f64(index)).map_err(|fault: ValueFault| SourceError::Cell {
                path: memory_path(),
                row,
                col,
                fault,
            })
        };
        match &self.body {
            Body::Dense(cells) => {
                let cells = cells.clone();
                let width = self.info.shape.cols as usize;
                let rows = self.info.shape.rows as usize;
                CellStream::Rows(Box::new((0..rows).map(move |row| {
                    (0..width)
                        .map(|col| convert(&cells, row * width + col, row as u64, col as u64))
                        .collect::<Result<Vec<T>, _>>()
                })))
            }
            Body::Coo { rows, cols, values } => {
                let (rows, cols, values) = (Arc::clone(rows), Arc::clone(cols), values.clone());
                CellStream::Triples(Box::new((0..rows.len()).filter_map(move |k| {
                    let (row, col) = (rows[k], cols[k]);
                    match convert(&values, k, row.into(), col.into()) {
                        Ok(value) if value.to_f64() == 0.0 => None,
                        Ok(value) => Some(Ok(Triple { row, col, value })),
                        Err(err) => Some(Err(err)),
                    }
                })))
            }
        }
    }
}
