//! Measuring one codec on one region's sample: stored bytes, encode and decode seconds.
//!
//! Each sample tile is encoded and decoded once to check that it round-trips exactly (a codec
//! that refuses a tile, or returns different cells, drops out with the reason); those timed
//! calls are the calibration calls. Timings are the minimum over the calibration call and
//! [`DEFAULT_TIMING_RUNS`] runs, each run repeating the operation until it lasts at least
//! [`MIN_RUN`] (a tiny tile is timed over many repetitions, so timer resolution does not
//! dominate); the minimum is the figure least disturbed by other load on the machine. An
//! operation whose calibration call lasted at least [`LONG_OPERATION`] is not repeated: its
//! noise is relatively small, and such operations (a model codec encoding a dense tile) were
//! most of the picker's time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use gzcm_core::{CodecHandle, TileData};

use crate::sample::SampleTile;

/// Timed runs per operation; the fastest counts.
pub const DEFAULT_TIMING_RUNS: usize = 3;
/// Shortest duration of one timed run.
pub const MIN_RUN: Duration = Duration::from_micros(200);
/// Operations whose calibration call lasted at least this long are not repeated.
pub const LONG_OPERATION: Duration = Duration::from_millis(20);
/// Most repetitions of an operation within one timed run.
const MAX_REPS: u128 = 4096;

/// What one codec achieved on one region's sample tiles (sums over the tiles).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measurement {
    /// Stored bytes (payload plus framing, as the writer stores them).
    pub bytes: u64,
    /// Seconds to encode every sample tile once.
    pub encode_s: f64,
    /// Seconds to decode every sample tile once.
    pub decode_s: f64,
}

/// Seconds one call of `op` takes: the fastest of `runs` runs, each repeating `op` enough
/// times to last at least [`MIN_RUN`].
pub fn min_seconds(runs: usize, mut op: impl FnMut()) -> f64 {
    let start = Instant::now();
    op();
    min_seconds_after(start.elapsed(), runs.max(1), op)
}

/// As [`min_seconds`], with a call already made and timed at `once` as the calibration call
/// (the measuring pass's checked encode or decode: a slow codec's operation is not repeated
/// just to calibrate); `runs = 0` takes that call's time as it is.
fn min_seconds_after(once: Duration, runs: usize, mut op: impl FnMut()) -> f64 {
    let once = once.as_nanos().max(1);
    let reps = MIN_RUN.as_nanos().div_ceil(once).clamp(1, MAX_REPS);
    let reps = u32::try_from(reps).unwrap_or(1);
    // The calibration call counts too; slow operations are barely disturbed by timer noise or
    // load, so it is their only one.
    let mut best = Duration::from_nanos(u64::try_from(once).unwrap_or(u64::MAX)).as_secs_f64();
    let runs = if once >= LONG_OPERATION.as_nanos() { 0 } else { runs };
    for _ in 0..runs {
        let start = Instant::now();
        for _ in 0..reps {
            op();
        }
        best = best.min(start.elapsed().as_secs_f64() / f64::from(reps));
    }
    best
}

/// Measures `handle` on `tiles`, timing decodes over `runs` runs and encodes over
/// `encode_runs` (0: the checked call's time, for scorings that do not weigh encoding).
///
/// # Errors
/// The refusal reason (naming the tile) when the codec cannot encode a tile, cannot decode its
/// own output, or decodes different cells.
pub fn measure(
    handle: &CodecHandle,
    tiles: &[SampleTile],
    runs: usize,
    encode_runs: usize,
) -> Result<Measurement, String> {
    let mut total = Measurement { bytes: 0, encode_s: 0.0, decode_s: 0.0 };
    let mut stored = Vec::new();
    for sample in tiles {
        let (tile, context) = (&sample.tile, &sample.context);
        let at = format!("tile ({}, {})", context.tile_row, context.tile_col);
        let shape = tile.shape();
        stored.clear();
        let start = Instant::now();
        handle.encode_stored(tile.view(), context, &mut stored).map_err(|e| format!("{at}: {e}"))?;
        let encode_once = start.elapsed();
        let start = Instant::now();
        let back = handle
            .decode_stored(&stored, tile.dtype(), Some(shape))
            .map_err(|e| format!("{at}: cannot decode its own output: {e}"))?;
        let decode_once = start.elapsed();
        if !same_bits(&back, tile) {
            return Err(format!("{at}: decoded cells differ from the input"));
        }
        total.bytes += stored.len() as u64;
        let mut scratch = Vec::with_capacity(stored.len());
        total.encode_s += min_seconds_after(encode_once, encode_runs, || {
            scratch.clear();
            let _ = black_box(handle.encode_stored(black_box(tile.view()), context, &mut scratch));
        });
        total.decode_s += min_seconds_after(decode_once, runs.max(1), || {
            let _ = black_box(handle.decode_stored(black_box(&stored), tile.dtype(), Some(shape)));
        });
    }
    Ok(total)
}

/// Checks that `handle` stores a region's probe tile (see
/// [`SampleTiles::probes`](crate::SampleTiles::probes)) and gets it back; not timed.
///
/// # Errors
/// The refusal reason, naming the tile as outside the sample.
pub fn check_probe(handle: &CodecHandle, probe: &SampleTile) -> Result<(), String> {
    let context = &probe.context;
    let at = format!("tile ({}, {}) outside the sample", context.tile_row, context.tile_col);
    let mut stored = Vec::new();
    handle.encode_stored(probe.tile.view(), context, &mut stored).map_err(|e| format!("{at}: {e}"))?;
    let back = handle
        .decode_stored(&stored, probe.tile.dtype(), Some(probe.tile.shape()))
        .map_err(|e| format!("{at}: cannot decode its own output: {e}"))?;
    if same_bits(&back, &probe.tile) {
        Ok(())
    } else {
        Err(format!("{at}: decoded cells differ from the input"))
    }
}

/// Cell-for-cell equality of the raw bits (so NaN cells compare equal to themselves).
fn same_bits(a: &TileData, b: &TileData) -> bool {
    if a.dtype() != b.dtype() || a.shape() != b.shape() {
        return false;
    }
    let (mut x, mut y) = (Vec::new(), Vec::new());
    a.view().write_le_bytes(&mut x);
    b.view().write_le_bytes(&mut y);
    x == y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_seconds_is_positive_and_repeats_tiny_operations() {
        let mut calls = 0u32;
        let seconds = min_seconds(2, || calls += 1);
        assert!(seconds > 0.0 && seconds < 1e-3, "{seconds}");
        assert!(calls > 2, "{calls}");
    }

    #[test]
    fn a_long_calibration_call_is_not_repeated() {
        let mut calls = 0u32;
        let seconds = min_seconds_after(LONG_OPERATION, 3, || calls += 1);
        assert_eq!((calls, seconds), (0, LONG_OPERATION.as_secs_f64()));
        let mut calls = 0u32;
        let _ = min_seconds_after(Duration::from_micros(50), 2, || calls += 1);
        assert!(calls >= 2 * 4, "a short call is repeated in each of the runs: {calls}");
    }
}
