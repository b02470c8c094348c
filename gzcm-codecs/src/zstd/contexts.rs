//! One zstd compression and one decompression context per thread, reused across tiles.
//!
//! Building a context allocates and initialises some hundred KiB of tables; per 256² tile that
//! was a measurable share of a zstd decode (see `cargo bench -p gzcm-bench --bench tile_decode`).
//! zstd resets a context's session at the start of every one-shot call, so nothing of one tile
//! (or of a failed, hostile frame) carries over to the next. A re-entrant call on the same
//! thread (not expected) gets a fresh context instead of panicking.

use std::cell::RefCell;
use std::io;

use ::zstd::bulk::{Compressor, Decompressor};

thread_local! {
    static COMPRESSOR: RefCell<Option<(i32, Compressor<'static>)>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<Decompressor<'static>>> = const { RefCell::new(None) };
}

/// Runs `work` with this thread's compressor, set to `level`.
pub(crate) fn with_compressor<R>(
    level: i32,
    work: impl FnOnce(&mut Compressor<'static>) -> io::Result<R>,
) -> io::Result<R> {
    COMPRESSOR.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else {
            return work(&mut Compressor::new(level)?);
        };
        match slot.as_mut() {
            Some((current, compressor)) => {
                if *current != level {
                    compressor.set_compression_level(level)?;
                    *current = level;
                }
            }
            None => *slot = Some((level, Compressor::new(level)?)),
        }
        let (_, compressor) = slot.as_mut().ok_or_else(|| io::Error::other("compressor slot empty"))?;
        work(compressor)
    })
}

/// Runs `work` with this thread's decompressor.
pub(crate) fn with_decompressor<R>(
    work: impl FnOnce(&mut Decompressor<'static>) -> io::Result<R>,
) -> io::Result<R> {
    DECOMPRESSOR.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else {
            return work(&mut Decompressor::new()?);
        };
        if slot.is_none() {
            *slot = Some(Decompressor::new()?);
        }
        let decompressor = slot.as_mut().ok_or_else(|| io::Error::other("decompressor slot empty"))?;
        work(decompressor)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_are_reused_across_levels_and_after_a_bad_frame() {
        let data = vec![3u8; 10_000];
        let fast = with_compressor(1, |c| c.compress(&data)).unwrap();
        let small = with_compressor(19, |c| c.compress(&data)).unwrap();
        assert_eq!(small, ::zstd::bulk::compress(&data, 19).unwrap(), "the level change took effect");
        let mut out = vec![0u8; data.len()];
        assert!(
            with_decompressor(|d| d.decompress_to_buffer(&fast[..fast.len() / 2], &mut out[..])).is_err()
        );
        for frame in [&fast, &small] {
            let written = with_decompressor(|d| d.decompress_to_buffer(&frame[..], &mut out[..])).unwrap();
            assert_eq!((written, &out), (data.len(), &data));
        }
    }
}
