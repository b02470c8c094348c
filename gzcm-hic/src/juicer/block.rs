//! One zlib-compressed block of contact records, in either record encoding.

use std::io::{Cursor, Read};
use std::path::Path;

use flate2::read::ZlibDecoder;

use super::input::Input;
use crate::error::HicError;

/// The most bytes one block may decompress to. Real blocks are a few MB at most (Juicer's
/// blocks hold at most `blockSize²` cells, a few bytes each); the cap stops a zlib bomb.
pub(crate) const MAX_BLOCK_BYTES: u64 = 256 << 20;

/// The short value that marks an empty cell in a dense block.
const DENSE_SHORT_EMPTY: i16 = i16::MIN;

/// A contact as the block stores it: bins relative to the chromosome pair's matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Record {
    /// Bin on the first chromosome of the pair.
    pub(crate) x: u64,
    /// Bin on the second chromosome of the pair.
    pub(crate) y: u64,
    /// The value.
    pub(crate) value: f64,
}

/// Decompresses a block's bytes (at most [`MAX_BLOCK_BYTES`]).
pub(crate) fn inflate(compressed: &[u8], path: &Path, at: u64) -> Result<Vec<u8>, HicError> {
    let mut out = Vec::new();
    let err = |detail: String| HicError::Juicer {
        path: path.to_owned(),
        detail: format!("block at byte {at}: {detail}"),
    };
    ZlibDecoder::new(compressed)
        .take(MAX_BLOCK_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| err(format!("zlib data is corrupt ({e})")))?;
    if out.len() as u64 > MAX_BLOCK_BYTES {
        return Err(err(format!("decompresses to more than {MAX_BLOCK_BYTES} bytes")));
    }
    Ok(out)
}

/// How positions and values are encoded (v8: always short positions).
#[derive(Clone, Copy)]
struct Encoding {
    float_values: bool,
    int_x: bool,
    int_y: bool,
}

impl Encoding {
    fn value_bytes(self) -> u64 {
        if self.float_values { 4 } else { 2 }
    }
}

/// Decodes a decompressed block of a file of `version`. Zero-sized and "no value" cells of
/// dense blocks (short −32768, float NaN) are left out, as are NaN values of sparse rows.
pub(crate) fn decode(data: &[u8], version: i32, path: &Path, at: u64) -> Result<Vec<Record>, HicError> {
    let mut input = Input::new(Cursor::new(data), data.len() as u64, path, format!("block at byte {at}"));
    let n_records = input.i32("record count")?;
    let x_offset = input.i32("column offset")?;
    let y_offset = input.i32("row offset")?;
    let float_values = flag(&mut input, "value type flag")?;
    let (int_x, int_y) = if version >= 9 {
        (flag(&mut input, "column type flag")?, flag(&mut input, "row type flag")?)
    } else {
        (false, false)
    };
    let encoding = Encoding { float_values, int_x, int_y };
    let x_offset = offset(&input, x_offset, "column offset")?;
    let y_offset = offset(&input, y_offset, "row offset")?;
    // Each record needs at least its value's bytes, so this capacity is bounded by the data.
    let capacity = input.count(i64::from(n_records), encoding.value_bytes(), "record count").unwrap_or(0);
    let mut records = Vec::with_capacity(capacity);
    match input.u8("matrix representation")? {
        1 => read_rows(&mut input, encoding, x_offset, y_offset, &mut records)?,
        2 => read_dense(&mut input, encoding, x_offset, y_offset, &mut records)?,
        other => return Err(input.error(format!("unknown matrix representation {other}"))),
    }
    Ok(records)
}

fn flag<R: Read + std::io::Seek>(input: &mut Input<R>, what: &str) -> Result<bool, HicError> {
    match input.u8(what)? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(input.error(format!("{what} is {other}, not 0 or 1"))),
    }
}

fn offset<R>(input: &Input<R>, value: i32, what: &str) -> Result<u64, HicError>
where
    R: Read + std::io::Seek,
{
    u64::try_from(value).map_err(|_| input.error(format!("{what} {value} is negative")))
}

fn position<R: Read + std::io::Seek>(input: &mut Input<R>, int: bool, what: &str) -> Result<u64, HicError> {
    let value = if int { input.i32(what)? } else { i32::from(input.i16(what)?) };
    offset(input, value, what)
}

fn count<R: Read + std::io::Seek>(
    input: &mut Input<R>,
    int: bool,
    item_bytes: u64,
    what: &str,
) -> Result<usize, HicError> {
    let value = if int { input.i32(what)? } else { i32::from(input.i16(what)?) };
    input.count(i64::from(value), item_bytes, what)
}

fn value<R: Read + std::io::Seek>(input: &mut Input<R>, encoding: Encoding) -> Result<Option<f64>, HicError> {
    if encoding.float_values {
        let v = input.f32("value")?;
        Ok((!v.is_nan()).then_some(f64::from(v)))
    } else {
        let v = input.i16("value")?;
        Ok((v != DENSE_SHORT_EMPTY).then_some(f64::from(v)))
    }
}

fn read_rows<R: Read + std::io::Seek>(
    input: &mut Input<R>,
    encoding: Encoding,
    x_offset: u64,
    y_offset: u64,
    records: &mut Vec<Record>,
) -> Result<(), HicError> {
    let x_bytes = if encoding.int_x { 4 } else { 2 };
    let y_bytes = if encoding.int_y { 4 } else { 2 };
    let n_rows = count(input, encoding.int_y, y_bytes + x_bytes, "row count")?;
    for _ in 0..n_rows {
        let row = position(input, encoding.int_y, "row number")?;
        let n_cells = count(input, encoding.int_x, x_bytes + encoding.value_bytes(), "cell count")?;
        for _ in 0..n_cells {
            let column = position(input, encoding.int_x, "column number")?;
            // NaN is Juicer's "no value"; a short −32768 in a sparse row is a real (if odd) count.
            let v = if encoding.float_values {
                let v = input.f32("value")?;
                if v.is_nan() {
                    continue;
                }
                f64::from(v)
            } else {
                f64::from(input.i16("value")?)
            };
            records.push(Record { x: x_offset + column, y: y_offset + row, value: v });
        }
    }
    Ok(())
}

fn read_dense<R: Read + std::io::Seek>(
    input: &mut Input<R>,
    encoding: Encoding,
    x_offset: u64,
    y_offset: u64,
    records: &mut Vec<Record>,
) -> Result<(), HicError> {
    let n_values = input.count_i32(encoding.value_bytes(), "dense value count")?;
    let width = input.i16("dense width")?;
    let width = u64::try_from(width)
        .ok()
        .filter(|&w| w > 0 || n_values == 0)
        .ok_or_else(|| input.error(format!("dense width {width}")))?;
    for i in 0..n_values as u64 {
        if let Some(v) = value(input, encoding)?
            && v != 0.0
        {
            records.push(Record { x: x_offset + i % width, y: y_offset + i / width, value: v });
        }
    }
    Ok(())
}
