//! Which coarser resolutions a zoomify builds: a list checked against the base resolution, or
//! one of `cooler zoomify`'s progressions from the base up to the genome-sized top.
//!
//! cooler stops its progressions at the top resolution `ceil(genome length / 256)` (the whole
//! genome in one 256×256 HiGlass tile) and starts them at the base itself: `--nice` is
//! base × 1, 2, 5, 10, 20, 50, … (cooler's `N`), `--base-multiples` is base × 1, 2, 4, 8, …
//! (cooler's `B`, its default). The base is kept as it is, so the plan lists only the
//! resolutions above it; when the map is already smaller than the top tile, cooler warns and
//! builds nothing, and so does the plan (an empty list).

use crate::zoomify::error::ZoomifyError;

/// Bins a side of the tile the coarsest progression step must fit the genome into.
pub const TOP_TILE_BINS: u64 = 256;

/// How the resolutions are chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolutions {
    /// These resolutions in bp: increasing, each a multiple of the base and coarser than it.
    List(Vec<u64>),
    /// base × 2, 5, 10, 20, 50, 100, … up to the top resolution (cooler's `--resolutions N`).
    Nice,
    /// base × 2, 4, 8, 16, … up to the top resolution (cooler's `--resolutions B`, its default).
    BaseMultiples,
}

impl Default for Resolutions {
    /// cooler's default: base multiples.
    fn default() -> Self {
        Resolutions::BaseMultiples
    }
}

impl Resolutions {
    /// The resolutions to build above `base` bp for a genome of `genome_length` bp, increasing.
    ///
    /// # Errors
    /// For a [`Resolutions::List`], as [`check`]; the progressions cannot fail.
    pub fn resolve(&self, base: u64, genome_length: u64) -> Result<Vec<u64>, ZoomifyError> {
        let top = top_resolution(genome_length);
        match self {
            Resolutions::List(list) => check(base, list),
            Resolutions::Nice => Ok(nice(base, top)),
            Resolutions::BaseMultiples => Ok(base_multiples(base, top)),
        }
    }
}

/// The coarsest resolution the progressions reach: the genome in one 256-bin tile.
#[must_use]
pub fn top_resolution(genome_length: u64) -> u64 {
    genome_length.div_ceil(TOP_TILE_BINS)
}

/// base × 2, 5, 10, 20, 50, 100, … while at most `top` (empty when `base × 2 > top`).
#[must_use]
pub fn nice(base: u64, top: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut decade = base;
    loop {
        for step in [2, 5, 10] {
            match decade.checked_mul(step) {
                Some(r) if r <= top => out.push(r),
                _ => return out,
            }
        }
        decade *= 10;
    }
}

/// base × 2, 4, 8, … while at most `top` (empty when `base × 2 > top`).
#[must_use]
pub fn base_multiples(base: u64, top: u64) -> Vec<u64> {
    std::iter::successors(base.checked_mul(2), |r| r.checked_mul(2)).take_while(|&r| r <= top).collect()
}

/// Checks a list of resolutions against the base `base` bp and returns it.
///
/// # Errors
/// [`ZoomifyError::NoResolutions`] for an empty list, then for the first offending entry:
/// [`ZoomifyError::ZeroResolution`], [`ZoomifyError::EqualsBase`], [`ZoomifyError::Finer`],
/// [`ZoomifyError::NotAMultiple`], [`ZoomifyError::NotIncreasing`].
pub fn check(base: u64, list: &[u64]) -> Result<Vec<u64>, ZoomifyError> {
    if list.is_empty() {
        return Err(ZoomifyError::NoResolutions { base });
    }
    let mut previous: Option<u64> = None;
    for &resolution in list {
        match resolution {
            0 => return Err(ZoomifyError::ZeroResolution { base }),
            r if r == base => return Err(ZoomifyError::EqualsBase { base }),
            r if r < base => return Err(ZoomifyError::Finer { resolution, base }),
            r if !r.is_multiple_of(base) => return Err(ZoomifyError::NotAMultiple { resolution, base }),
            _ => {}
        }
        if let Some(previous) = previous.filter(|&p| p >= resolution) {
            return Err(ZoomifyError::NotIncreasing { previous, resolution });
        }
        previous = Some(resolution);
    }
    Ok(list.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_one_two_five_times_powers_of_ten_up_to_the_top() {
        assert_eq!(nice(1000, 100_000), [2000, 5000, 10_000, 20_000, 50_000, 100_000]);
        // cooler's coin example: 5, 10, 25, 50, 100 (the base itself is kept, not listed).
        assert_eq!(nice(5, 100), [10, 25, 50, 100]);
        assert_eq!(nice(10_000, 19_999), Vec::<u64>::new());
        // gm12878 at 2.5 Mb: hg19 (3,137,161,264 bp) in 256 bins is 12,254,536 bp.
        assert_eq!(nice(2_500_000, top_resolution(3_137_161_264)), [5_000_000]);
        assert_eq!(nice(u64::MAX / 2 + 1, u64::MAX), Vec::<u64>::new());
        assert_eq!(nice(u64::MAX / 3, u64::MAX), [u64::MAX / 3 * 2]);
    }

    #[test]
    fn base_multiples_double_up_to_the_top() {
        assert_eq!(base_multiples(10_000, 100_000), [20_000, 40_000, 80_000]);
        assert_eq!(base_multiples(2_500_000, top_resolution(3_137_161_264)), [5_000_000, 10_000_000]);
        assert_eq!(base_multiples(7, 13), Vec::<u64>::new());
        assert_eq!(base_multiples(1 << 62, u64::MAX), [1 << 63]);
    }

    #[test]
    fn the_top_is_the_genome_in_one_tile() {
        assert_eq!(top_resolution(256), 1);
        assert_eq!(top_resolution(257), 2);
        assert_eq!(Resolutions::Nice.resolve(10, 256 * 50).unwrap(), [20, 50]);
        assert_eq!(Resolutions::default().resolve(10, 256 * 50).unwrap(), [20, 40]);
    }

    #[test]
    fn lists_are_checked_against_the_base() {
        assert_eq!(check(1000, &[2000, 5000, 10_000]).unwrap(), [2000, 5000, 10_000]);
        let err = |list: &[u64]| check(1000, list).unwrap_err().to_string();
        assert!(err(&[]).contains("no resolutions"), "{}", err(&[]));
        assert!(err(&[0]).contains("resolution 0"), "{}", err(&[0]));
        assert!(err(&[1000]).contains("is the base resolution"), "{}", err(&[1000]));
        assert!(err(&[500]).contains("finer than the base"), "{}", err(&[500]));
        let bad = err(&[2000, 2500]);
        assert!(bad.contains("2500 is not a multiple of the base resolution 1000"), "{bad}");
        assert!(bad.contains("try 2000 or 3000"), "{bad}");
        assert!(err(&[4000, 2000]).contains("2000 follows 4000"), "{}", err(&[4000, 2000]));
        assert!(err(&[2000, 2000]).contains("2000 follows 2000"), "{}", err(&[2000, 2000]));
        assert!(matches!(
            check(1000, &[3000, 2500]),
            Err(ZoomifyError::NotAMultiple { resolution: 2500, base: 1000 })
        ));
    }
}
