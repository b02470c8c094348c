//! Dense `.npy` output (format 1.0, C order, `<u4` or `<f4`).

use std::io::{self, Write};

use ndarray::ArrayView2;

use crate::value::CellValue;

/// Alignment numpy uses for the end of the header.
const HEADER_ALIGN: usize = 64;

/// Writes `region` as a complete `.npy` file.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_npy<T: CellValue>(out: &mut impl Write, region: ArrayView2<'_, T>) -> io::Result<()> {
    let (rows, cols) = region.dim();
    write_npy_header::<T>(out, rows as u64, cols as u64)?;
    write_npy_rows(out, region)
}

/// Writes the preamble of a `.npy` file of `rows × cols` cells of `T`; the rows follow with
/// [`write_npy_rows`], top to bottom, `rows × cols` cells in all.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_npy_header<T: CellValue>(out: &mut impl Write, rows: u64, cols: u64) -> io::Result<()> {
    write_npy_preamble(out, T::NPY_DESCR, rows, cols)
}

/// Writes the preamble of a `.npy` file of `rows × cols` cells of the numpy type `descr`
/// (e.g. `<f8` for balanced values, which no cell type stores), C order.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_npy_preamble(out: &mut impl Write, descr: &str, rows: u64, cols: u64) -> io::Result<()> {
    let mut dict = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");
    // Magic (6) + version (2) + length (2) + dict + padding + '\n' is a multiple of 64.
    let unpadded = 10 + dict.len() + 1;
    dict.extend(std::iter::repeat_n(' ', unpadded.next_multiple_of(HEADER_ALIGN) - unpadded));
    dict.push('\n');
    let len = u16::try_from(dict.len()).map_err(|_| io::Error::other("npy header too long"))?;
    out.write_all(b"\x93NUMPY\x01\x00")?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(dict.as_bytes())
}

/// Writes the cells of `rows`, row-major, little-endian: the data part of a `.npy` file.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_npy_rows<T: CellValue>(out: &mut impl Write, rows: ArrayView2<'_, T>) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(rows.ncols() * 4);
    for row in rows.rows() {
        bytes.clear();
        bytes.extend(row.iter().flat_map(|v| v.to_le()));
        out.write_all(&bytes)?;
    }
    Ok(())
}
