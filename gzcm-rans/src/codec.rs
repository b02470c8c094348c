//! Whole-tile encode and decode: header, then one rANS stream of masks, model and cells.

use crate::TileLayout;
use crate::cdf::Cdf;
use crate::cost::{self, CostIo, TrialTables};
use crate::error::RansError;
use crate::fit::{Choice, Fit, Fitter};
use crate::format::{Mode, read_header, write_header};
use crate::io::{StaticTables, SymbolIo};
use crate::model::{TileModel, WEIGHTS};
use crate::rans::{RansDecoder, RansEncoder};
use crate::sparse;
use crate::walk::{CONTEXTS, Masks, Plan, adaptive_tables, code_cells};

/// Low-rank sizes the encoder tries, in order: a larger rank is tried only while the last one
/// made the payload smaller (the payload size is close to unimodal in the rank: on the shared
/// dense maps, stopping at the first rise cost 0.13 % against trying every rank).
const RANKS: [usize; 4] = [0, 2, 4, 8];

/// Tiles with at most one non-zero cell in this many are sparse: they nearly always end as a
/// sparse list, so a single cell walk is priced against it (see `encode`).
const SPARSE_FILL: usize = 16;

/// Tiles with at most one non-zero cell in this many are coded as a sparse list without
/// pricing a cell walk (on mouse_mm9_chr1_20kb and on `synthetic:100k` the files came out
/// byte for byte the same as with the walk priced on them).
const LIST_ONLY_FILL: usize = 64;

/// Low-rank terms are tried only when the tile has at least this many non-zero cells per row
/// and column (a sparse tile cannot pay for their side information).
const MIN_FILL_FOR_RANK: usize = 4;

/// Encodes a checked tile given by its checked non-zero cells (see `crate::encode_cells`) when
/// it is all zero or a sparse list without a walk to price (at most one cell in
/// [`LIST_ONLY_FILL`] non-zero; [`encode`] comes here for those too); `false`, writing nothing,
/// for any other tile.
pub(crate) fn encode_cells(
    cells: &[(u32, u32)],
    rows: usize,
    cols: usize,
    layout: TileLayout,
    out: &mut Vec<u8>,
) -> bool {
    if cells.is_empty() {
        write_header(Mode::Zero, out);
        return true;
    }
    if cells.len() * LIST_ONLY_FILL > rows * cols {
        return false;
    }
    let mirrored = |&(index, v): &(u32, u32)| {
        let (i, j) = (index as usize / cols, index as usize % cols);
        let mirror = (j * cols + i) as u32;
        cells.binary_search_by_key(&mirror, |&(at, _)| at).is_ok_and(|k| cells[k].1 == v)
    };
    let symmetric = layout == TileLayout::SymmetricDiagonal && rows == cols && cells.iter().all(mirrored);
    write_header(if symmetric { Mode::SparseSymmetric } else { Mode::SparseFull }, out);
    let entries = cells.iter().filter_map(|&(index, v)| {
        let (i, j) = (index as usize / cols, index as usize % cols);
        (!symmetric || j >= i).then(|| (sparse::walk_position(i, j, cols, symmetric), v))
    });
    out.extend_from_slice(&sparse::encode_entries(sparse::stored_cells(rows, cols, symmetric), entries));
    true
}

/// Encodes a checked tile (see `crate::encode`).
pub(crate) fn encode(values: &[u32], rows: usize, cols: usize, layout: TileLayout, out: &mut Vec<u8>) {
    let filled = values.iter().filter(|&&v| v != 0).count();
    if filled * LIST_ONLY_FILL <= values.len() {
        // All zero, or so few non-zeros that the cell walk's model cannot pay for itself (on
        // mouse_mm9_chr1_20kb the list was smaller for 464 of the 465 tiles with fewer than 200
        // non-zeros), and the walk's trials were most of the encoding time: the cells' path.
        let cells: Vec<(u32, u32)> =
            values.iter().enumerate().filter(|&(_, &v)| v != 0).map(|(i, &v)| (i as u32, v)).collect();
        let coded = encode_cells(&cells, rows, cols, layout, out);
        debug_assert!(coded, "a list-only tile is coded from its cells");
        return;
    }
    let symmetric = layout == TileLayout::SymmetricDiagonal && is_symmetric(values, rows, cols);
    let sparse = filled * SPARSE_FILL <= values.len();
    let tile = Tile { values, rows, cols, symmetric };
    // Choices are priced, not coded: only the chosen model's stream is produced.
    let (priced, fit, masks) = if sparse {
        // The one rival of the sparse list is the walk that was smallest on most sparse tiles
        // of mouse_mm9_chr1_20kb: no masks (a sparse tile's empty rows are mostly chance, and
        // flagging each can cost more than coding its zeros), a predictor without neighbours
        // (their weights stored as zeros), no decay profile. Pricing the four choices of masks
        // and neighbours, with and without decay, saved 99 bytes of 354,533 there, and
        // nothing on `synthetic:100k`, whose encoding took 1.7 times as long.
        let no_masks = Masks { rows: vec![false; rows], cols: vec![false; cols] };
        let fit = Fitter::new(values, rows, cols, symmetric, &no_masks).fit(Choice {
            rank: 0,
            decay: false,
            neighbours: false,
        });
        (price(&tile, &no_masks, &fit), fit, no_masks)
    } else {
        let all_masks = Masks::of(values, rows, cols, symmetric);
        let rank_pays = filled >= MIN_FILL_FOR_RANK * (rows + cols);
        let rank_tried = |rank: usize| rank == 0 || (rank_pays && rank < rows.min(cols));
        let mut fitter = Fitter::new(values, rows, cols, symmetric, &all_masks);
        let mut best: Option<(Priced, Fit)> = None;
        let mut trial = |rank: usize, decay: bool| {
            let fit = fitter.fit(Choice { rank, decay, neighbours: true });
            let priced = price(&tile, &all_masks, &fit);
            let bits = priced.adaptive_bits();
            if best.as_ref().is_none_or(|(b, _)| bits < b.adaptive_bits()) {
                best = Some((priced, fit));
            }
            bits
        };
        // The decay profile is chosen at rank 0, then ranks grow while they pay.
        let (plain, with_decay) = (trial(0, false), trial(0, true));
        let decay = with_decay < plain;
        let mut last = plain.min(with_decay);
        for rank in RANKS.into_iter().skip(1).filter(|&r| rank_tried(r)) {
            let bits = trial(rank, decay);
            if bits >= last {
                break;
            }
            last = bits;
        }
        let (priced, fit) = best.expect("rank 0 is always priced");
        (priced, fit, all_masks)
    };
    // Static tables decode faster (a look-up per symbol instead of a search and an update); on a
    // dense tile they are kept unless they cost more than DENSE_STATIC_ALLOWANCE of the adaptive
    // payload, elsewhere the smaller payload wins.
    let (fixed, static_bits) = priced.static_bits();
    let (num, den) = if filled * 4 >= values.len() { DENSE_STATIC_ALLOWANCE } else { (1, 1) };
    let (adaptive_bytes, static_bytes) =
        (cost::bytes(priced.adaptive_bits(), 2), cost::bytes(static_bits, 2));
    let static_kept = static_bytes * den <= adaptive_bytes * num;
    // A sparse list decodes in time proportional to its non-zero cells rather than to the
    // tile's area; it is kept unless the cell walk saves more than SPARSE_LIST_ALLOWANCE (the
    // walk's size as priced, so a tile that ends as a list is never walked with a coder).
    if sparse {
        let list = sparse::encode(values, rows, cols, symmetric);
        let (num, den) = SPARSE_LIST_ALLOWANCE;
        if list.len() * den <= if static_kept { static_bytes } else { adaptive_bytes } * num {
            write_header(if symmetric { Mode::SparseSymmetric } else { Mode::SparseFull }, out);
            out.extend_from_slice(&list);
            return;
        }
    }
    let stream = if static_kept {
        static_stream(&tile, &masks, &fit, fixed)
    } else {
        adaptive_stream(&tile, &masks, &fit)
    };
    let mode = if symmetric { Mode::Symmetric } else { Mode::Full };
    write_header(mode, out);
    out.extend_from_slice(&stream);
}

/// On a dense tile (a quarter of its cells non-zero or more), static tables are chosen when
/// their payload is at most this fraction (numerator, denominator) of the adaptive one.
const DENSE_STATIC_ALLOWANCE: (usize, usize) = (104, 100);

/// On a sparse tile, the sparse list is chosen when its stream is at most this fraction
/// (numerator, denominator) of the cell walk's.
const SPARSE_LIST_ALLOWANCE: (usize, usize) = (103, 100);

/// The tile being encoded.
struct Tile<'a> {
    /// Row-major counts.
    values: &'a [u32],
    rows: usize,
    cols: usize,
    /// Only the upper triangle is coded.
    symmetric: bool,
}

/// What one model choice costs, in Q12 bits: everything but the cells' integer symbols
/// (masks, model, table flag, zero flags, raw bits), and the tables of those symbols.
struct Priced {
    other_bits: u64,
    tables: TrialTables,
}

impl Priced {
    /// Q12 bits of the stream under adaptive tables.
    fn adaptive_bits(&self) -> u64 {
        self.other_bits + self.tables.adaptive_bits()
    }

    /// The static tables of the same walk and the Q12 bits of the stream under them (the table
    /// flag costs the same either way).
    fn static_bits(&self) -> (StaticTables, u64) {
        let (tables, bits) = self.tables.static_bits();
        (tables, self.other_bits + bits)
    }
}

/// Prices one model choice under adaptive tables, counting the symbols its static tables need.
fn price(tile: &Tile<'_>, masks: &Masks, fit: &Fit) -> Priced {
    let mut io = CostIo::default();
    let mut tables = TrialTables::new(adaptive_tables(true), CONTEXTS);
    code_tile(&mut io, tile, masks, fit, |io, plan, scratch| {
        let mut flag = Cdf::<1>::uniform(2);
        io.symbol(&mut flag, 0).and_then(|_| code_cells(io, plan, &mut tables, scratch))
    });
    Priced { other_bits: io.bits, tables }
}

/// The rANS stream of one model under adaptive tables (flag 0).
fn adaptive_stream(tile: &Tile<'_>, masks: &Masks, fit: &Fit) -> Vec<u8> {
    let mut enc = RansEncoder::default();
    code_tile(&mut enc, tile, masks, fit, |enc, plan, scratch| {
        let mut flag = Cdf::<1>::uniform(2);
        enc.symbol(&mut flag, 0).and_then(|_| code_cells(enc, plan, &mut adaptive_tables(true), scratch))
    });
    finish(enc)
}

/// The rANS stream of one model under `fixed`, static tables of its cells' symbols (flag 1).
fn static_stream(tile: &Tile<'_>, masks: &Masks, fit: &Fit, mut fixed: StaticTables) -> Vec<u8> {
    let mut enc = RansEncoder::default();
    code_tile(&mut enc, tile, masks, fit, |enc, plan, scratch| {
        let mut flag = Cdf::<1>::uniform(2);
        enc.symbol(&mut flag, 1)
            .and_then(|_| fixed.code(enc))
            .and_then(|()| code_cells(enc, plan, &mut fixed, scratch))
    });
    finish(enc)
}

/// The two-state stream of what `enc` recorded.
fn finish(enc: RansEncoder) -> Vec<u8> {
    let mut stream = Vec::with_capacity(enc.len() / 2 + 16);
    enc.finish(&mut stream);
    stream
}

/// Codes one model into `io`: masks, model, then what `cells` codes (the table flag and the
/// cells).
fn code_tile<I: SymbolIo>(
    io: &mut I,
    tile: &Tile<'_>,
    masks: &Masks,
    fit: &Fit,
    cells: impl FnOnce(&mut I, &Plan<'_>, &mut [u32]) -> Result<(), RansError>,
) {
    let Tile { values, rows, cols, symmetric } = *tile;
    let (mut masks, mut model) = (masks.clone(), fit.model.clone());
    let coded = masks.code(io, symmetric).and_then(|()| model.code(io, rows, cols));
    debug_assert!(coded.is_ok(), "encoding cannot fail");
    let plan = Plan {
        rows,
        cols,
        symmetric,
        masks: &masks,
        base: &fit.base,
        weights: &model.weights,
        zero_flags: true,
    };
    let mut scratch = values.to_vec();
    let coded = cells(io, &plan, &mut scratch);
    debug_assert!(coded.is_ok(), "encoding cannot fail");
}

/// Decodes into a checked buffer (see `crate::decode`).
pub(crate) fn decode(payload: &[u8], rows: usize, cols: usize, out: &mut [u32]) -> Result<(), RansError> {
    let (version, mode, stream) = read_header(payload, rows, cols)?;
    out.fill(0);
    if mode == Mode::Zero {
        return Ok(());
    }
    let symmetric = mode.symmetric();
    if mode.sparse() {
        return sparse::decode(stream, rows, cols, symmetric, out);
    }
    let mut dec = RansDecoder::new(stream)?;
    let mut masks = Masks { rows: vec![false; rows], cols: vec![false; cols] };
    masks.code(&mut dec, symmetric)?;
    let mut model = TileModel { decay: Vec::new(), factors: Vec::new(), weights: [0; WEIGHTS] };
    model.code(&mut dec, rows, cols)?;
    let base = model.base(rows, cols);
    let zero_flags = version >= 2;
    let plan =
        Plan { rows, cols, symmetric, masks: &masks, base: &base, weights: &model.weights, zero_flags };
    let mut flag = Cdf::<1>::uniform(2);
    if dec.symbol(&mut flag, 0)? == 1 {
        let mut fixed = StaticTables::unused(CONTEXTS);
        fixed.code(&mut dec)?;
        code_cells(&mut dec, &plan, &mut fixed, out)?;
    } else {
        code_cells(&mut dec, &plan, &mut adaptive_tables(zero_flags), out)?;
    }
    dec.finish()
}

/// Whether a tile is square and equal to its transpose.
fn is_symmetric(values: &[u32], rows: usize, cols: usize) -> bool {
    rows == cols && (0..rows).all(|i| (i + 1..cols).all(|j| values[i * cols + j] == values[j * cols + i]))
}
