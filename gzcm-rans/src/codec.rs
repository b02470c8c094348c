//! Whole-tile encode and decode: header, then one rANS stream of masks, model and cells.

use crate::TileLayout;
use crate::cdf::Cdf;
use crate::error::RansError;
use crate::fit::{Choice, Fitter};
use crate::format::{Mode, read_header, write_header};
use crate::io::{CountingTables, DryRun, StaticTables, SymbolIo};
use crate::model::{TileModel, WEIGHTS};
use crate::rans::{RansDecoder, RansEncoder};
use crate::sparse;
use crate::walk::{CONTEXTS, Masks, Plan, adaptive_tables, code_cells};

/// The models the encoder tries on each tile; it keeps the smallest payload.
const CHOICES: [Choice; 10] = [
    Choice { rank: 0, decay: false, neighbours: true },
    Choice { rank: 0, decay: true, neighbours: true },
    Choice { rank: 2, decay: false, neighbours: true },
    Choice { rank: 2, decay: true, neighbours: true },
    Choice { rank: 4, decay: false, neighbours: true },
    Choice { rank: 4, decay: true, neighbours: true },
    Choice { rank: 8, decay: false, neighbours: true },
    Choice { rank: 8, decay: true, neighbours: true },
    Choice { rank: 0, decay: false, neighbours: false },
    Choice { rank: 0, decay: true, neighbours: false },
];

/// Predictors without neighbours are tried only on tiles with at most one non-zero cell in
/// this many (dense tiles always gain from their neighbours).
const SPARSE_FILL: usize = 16;

/// Tiles with at most one non-zero cell in this many are coded as a sparse list without trying
/// the cell walk.
const LIST_ONLY_FILL: usize = 256;

/// Low-rank terms are tried only when the tile has at least this many non-zero cells per row
/// and column (a sparse tile cannot pay for their side information).
const MIN_FILL_FOR_RANK: usize = 4;

/// Encodes a checked tile (see `crate::encode`).
pub(crate) fn encode(values: &[u32], rows: usize, cols: usize, layout: TileLayout, out: &mut Vec<u8>) {
    if values.iter().all(|&v| v == 0) {
        write_header(Mode::Zero, out);
        return;
    }
    let symmetric = layout == TileLayout::SymmetricDiagonal && is_symmetric(values, rows, cols);
    let all_masks = Masks::of(values, rows, cols, symmetric);
    let no_masks = Masks { rows: vec![false; rows], cols: vec![false; cols] };
    let filled = values.iter().filter(|&&v| v != 0).count();
    let rank_pays = filled >= MIN_FILL_FOR_RANK * (rows + cols);
    let sparse = filled * SPARSE_FILL <= values.len();
    if filled * LIST_ONLY_FILL <= values.len() {
        // So few non-zeros that the cell walk's model cannot pay for itself (on
        // mouse_mm9_chr1_20kb the list was smaller for 464 of the 465 tiles with fewer than 200
        // non-zeros), and the walk's trials were most of the encoding time.
        write_header(if symmetric { Mode::SparseSymmetric } else { Mode::SparseFull }, out);
        out.extend_from_slice(&sparse::encode(values, rows, cols, symmetric));
        return;
    }
    let tried = |choice: &Choice| {
        (choice.rank == 0 || (rank_pays && choice.rank < rows.min(cols))) && (choice.neighbours || sparse)
    };
    let max_rank = CHOICES.iter().filter(|c| tried(c)).map(|c| c.rank).max().unwrap_or(0);
    let mut fitter = Fitter::new(values, rows, cols, symmetric, max_rank);
    let mut best: Option<(Vec<u8>, TileModel, &Masks)> = None;
    for choice in CHOICES.into_iter().filter(|c| tried(c)) {
        // A sparse tile has many empty rows by chance; flagging each can cost more than
        // coding its zeros, so such tiles also try without masks.
        let mask_options: &[&Masks] = if sparse { &[&all_masks, &no_masks] } else { &[&all_masks] };
        for (mask_set, &masks) in mask_options.iter().enumerate() {
            let model = fitter.fit(masks, mask_set, choice);
            let stream = encode_with(values, rows, cols, symmetric, masks, model.clone(), Tables::Adaptive);
            if best.as_ref().is_none_or(|(b, ..)| stream.len() < b.len()) {
                best = Some((stream, model, masks));
            }
        }
    }
    let Some((mut stream, model, masks)) = best else { return };
    // Static tables decode faster (a look-up per symbol instead of a search and an update); on a
    // dense tile they are kept unless they cost more than DENSE_STATIC_ALLOWANCE of the adaptive
    // payload, elsewhere the smaller payload wins.
    let fixed = encode_with(values, rows, cols, symmetric, masks, model, Tables::Static);
    let (num, den) = if filled * 4 >= values.len() { DENSE_STATIC_ALLOWANCE } else { (1, 1) };
    if fixed.len() * den <= stream.len() * num {
        stream = fixed;
    }
    let mut mode = if symmetric { Mode::Symmetric } else { Mode::Full };
    // A sparse list decodes in time proportional to its non-zero cells rather than to the
    // tile's area; it is kept unless the cell walk saves more than SPARSE_LIST_ALLOWANCE.
    if sparse {
        let list = sparse::encode(values, rows, cols, symmetric);
        let (num, den) = SPARSE_LIST_ALLOWANCE;
        if list.len() * den <= stream.len() * num {
            stream = list;
            mode = if symmetric { Mode::SparseSymmetric } else { Mode::SparseFull };
        }
    }
    write_header(mode, out);
    out.extend_from_slice(&stream);
}

/// On a dense tile (a quarter of its cells non-zero or more), static tables are chosen when
/// their payload is at most this fraction (numerator, denominator) of the adaptive one.
const DENSE_STATIC_ALLOWANCE: (usize, usize) = (104, 100);

/// On a sparse tile, the sparse list is chosen when its stream is at most this fraction
/// (numerator, denominator) of the cell walk's.
const SPARSE_LIST_ALLOWANCE: (usize, usize) = (103, 100);

/// How the cells' symbols are modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tables {
    /// Adaptive tables (flag 0).
    Adaptive,
    /// Static tables stored in the payload (flag 1).
    Static,
}

/// The rANS stream of one model choice.
fn encode_with(
    values: &[u32],
    rows: usize,
    cols: usize,
    symmetric: bool,
    masks: &Masks,
    mut model: TileModel,
    tables: Tables,
) -> Vec<u8> {
    let mut enc = RansEncoder::default();
    let mut masks = masks.clone();
    let coded = masks.code(&mut enc, symmetric).and_then(|()| model.code(&mut enc, rows, cols));
    debug_assert!(coded.is_ok(), "encoding cannot fail");
    let base = model.base(rows, cols);
    let plan =
        Plan { rows, cols, symmetric, masks: &masks, base: &base, weights: &model.weights, zero_flags: true };
    let mut scratch = values.to_vec();
    let mut flag = Cdf::<1>::uniform(2);
    let coded = match tables {
        Tables::Adaptive => enc
            .symbol(&mut flag, 0)
            .and_then(|_| code_cells(&mut enc, &plan, &mut adaptive_tables(true), &mut scratch)),
        Tables::Static => {
            let mut counts = CountingTables::new(CONTEXTS);
            let counted = code_cells(&mut DryRun, &plan, &mut counts, &mut scratch);
            debug_assert!(counted.is_ok(), "a dry run cannot fail");
            let mut fixed = counts.tables();
            enc.symbol(&mut flag, 1)
                .and_then(|_| fixed.code(&mut enc))
                .and_then(|()| code_cells(&mut enc, &plan, &mut fixed, &mut scratch))
        }
    };
    debug_assert!(coded.is_ok(), "encoding cannot fail");
    let mut stream = Vec::with_capacity(enc.len() / 2 + 16);
    enc.finish(&mut stream);
    stream
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
