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

/// Decompresses a block's bytes: at most `limit` bytes (callers pass at most
/// [`MAX_BLOCK_BYTES`], less when the file's budget has less left), else an error naming `limit`.
pub(crate) fn inflate(compressed: &[u8], limit: u64, path: &Path, at: u64) -> Result<Vec<u8>, HicError> {
    let mut out = Vec::new();
    let err = |detail: String| HicError::Juicer {
        path: path.to_owned(),
        detail: format!("block at byte {at}: {detail}"),
    };
    ZlibDecoder::new(compressed)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| err(format!("zlib data is corrupt ({e})")))?;
    if out.len() as u64 > limit {
        return Err(err(format!(
            "decompresses to more than {limit} bytes (the most a block of this file may inflate to)"
        )));
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

    fn x_bytes(self) -> u64 {
        if self.int_x { 4 } else { 2 }
    }

    fn y_bytes(self) -> u64 {
        if self.int_y { 4 } else { 2 }
    }
}

/// The records of one decompressed block, decoded one at a time: what a block costs in memory
/// is its decompressed bytes, however many records they hold.
pub(crate) struct Records {
    input: Input<Cursor<Vec<u8>>>,
    encoding: Encoding,
    x_offset: u64,
    y_offset: u64,
    body: Body,
}

/// Where decoding stands within the block's body.
enum Body {
    /// Sparse rows: rows still to start, the current row and its cells still to read.
    Rows { rows_left: usize, row: u64, cells_left: usize },
    /// Dense: the next value's index, the value count and the row width.
    Dense { next: u64, n_values: u64, width: u64 },
}

impl Records {
    /// Reads the header of a decompressed block of a file of `version`. Zero-sized and
    /// "no value" cells of dense blocks (short −32768, float NaN) are left out, as are NaN
    /// values of sparse rows.
    pub(crate) fn new(data: Vec<u8>, version: i32, path: &Path, at: u64) -> Result<Self, HicError> {
        let len = data.len() as u64;
        let mut input = Input::new(Cursor::new(data), len, path, format!("block at byte {at}"));
        input.i32("record count")?;
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
        let body = match input.u8("matrix representation")? {
            1 => {
                let cell_bytes = encoding.x_bytes() + encoding.y_bytes();
                let rows_left = count(&mut input, encoding.int_y, cell_bytes, "row count")?;
                Body::Rows { rows_left, row: 0, cells_left: 0 }
            }
            2 => {
                let n_values = input.count_i32(encoding.value_bytes(), "dense value count")?;
                let width = input.i16("dense width")?;
                let width = u64::try_from(width)
                    .ok()
                    .filter(|&w| w > 0 || n_values == 0)
                    .ok_or_else(|| input.error(format!("dense width {width}")))?;
                Body::Dense { next: 0, n_values: n_values as u64, width }
            }
            other => return Err(input.error(format!("unknown matrix representation {other}"))),
        };
        Ok(Self { input, encoding, x_offset, y_offset, body })
    }

    /// The next record, or `None` after the last.
    pub(crate) fn next_record(&mut self) -> Result<Option<Record>, HicError> {
        let input = &mut self.input;
        let encoding = self.encoding;
        match &mut self.body {
            Body::Rows { rows_left, row, cells_left } => loop {
                if *cells_left == 0 {
                    if *rows_left == 0 {
                        return Ok(None);
                    }
                    *rows_left -= 1;
                    *row = position(input, encoding.int_y, "row number")?;
                    let cell_bytes = encoding.x_bytes() + encoding.value_bytes();
                    *cells_left = count(input, encoding.int_x, cell_bytes, "cell count")?;
                    continue;
                }
                *cells_left -= 1;
                let column = position(input, encoding.int_x, "column number")?;
                // NaN is Juicer's "no value"; a short −32768 in a sparse row is a real (if odd)
                // count.
                let v = if encoding.float_values {
                    let v = input.f32("value")?;
                    if v.is_nan() {
                        continue;
                    }
                    f64::from(v)
                } else {
                    f64::from(input.i16("value")?)
                };
                return Ok(Some(Record { x: self.x_offset + column, y: self.y_offset + *row, value: v }));
            },
            Body::Dense { next, n_values, width } => {
                while *next < *n_values {
                    let i = *next;
                    *next += 1;
                    if let Some(v) = value(input, encoding)?
                        && v != 0.0
                    {
                        let (x, y) = (self.x_offset + i % *width, self.y_offset + i / *width);
                        return Ok(Some(Record { x, y, value: v }));
                    }
                }
                Ok(None)
            }
        }
    }
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
