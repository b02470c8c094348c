//! What to compute: the method, the mode, ICE's filters and each iterative method's stopping
//! rule, with cooler's defaults for ICE and Juicer's for SCALE ([`BalanceOptions::for_method`]).

use std::fmt;
use std::str::FromStr;

/// How the vector is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Iterative correction (cooler's `balance_cooler`).
    Ice,
    /// Juicer's vanilla coverage: the divisor is the bin's total contacts.
    Vc,
    /// Juicer's square-root vanilla coverage.
    VcSqrt,
    /// Juicer's SCALE (matrix balancing to equal row sums, as Juicer Tools 1.22 computes it).
    Scale,
}

impl Method {
    /// The name recorded with the vector and taken by `--method`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Ice => "ice",
            Method::Vc => "vc",
            Method::VcSqrt => "vc_sqrt",
            Method::Scale => "scale",
        }
    }

    /// The default vector name: cooler's `weight` for ICE, Juicer's names otherwise.
    #[must_use]
    pub fn default_name(self) -> &'static str {
        match self {
            Method::Ice => "weight",
            Method::Vc => "VC",
            Method::VcSqrt => "VC_SQRT",
            Method::Scale => "SCALE",
        }
    }
}

/// Which contacts are balanced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every contact (cooler's default).
    GenomeWide,
    /// Intra-chromosomal contacts, each chromosome on its own (`--cis-only`).
    Cis,
    /// Inter-chromosomal contacts (`--trans-only`).
    Trans,
}

impl Mode {
    /// The name recorded with the vector and taken by `--mode`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::GenomeWide => "genome-wide",
            Mode::Cis => "cis",
            Mode::Trans => "trans",
        }
    }

    /// Whether a pixel between bins of chromosomes `a` and `b` counts in this mode.
    #[must_use]
    pub fn keeps(self, a: u32, b: u32) -> bool {
        match self {
            Mode::GenomeWide => true,
            Mode::Cis => a == b,
            Mode::Trans => a != b,
        }
    }
}

macro_rules! text_enum {
    ($type:ty, $what:literal, [$($variant:expr),+]) => {
        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $type {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                [$($variant),+].into_iter().find(|v| v.as_str() == text).ok_or_else(|| {
                    let names: Vec<&str> = [$($variant),+].iter().map(|v| v.as_str()).collect();
                    format!("unknown {} `{text}`; choose one of {}", $what, names.join(", "))
                })
            }
        }
    };
}

text_enum!(Method, "method", [Method::Ice, Method::Vc, Method::VcSqrt, Method::Scale]);
text_enum!(Mode, "mode", [Mode::GenomeWide, Mode::Cis, Mode::Trans]);

/// Options of a balancing run; [`Default`] is cooler's `balance_cooler` defaults.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BalanceOptions {
    /// The method.
    pub method: Method,
    /// The contacts balanced.
    pub mode: Mode,
    /// ICE: pixels on the first `ignore_diags` diagonals are left out (2: the main diagonal
    /// and the first off-diagonal).
    pub ignore_diags: u64,
    /// ICE: bins with fewer nonzero pixels are masked.
    pub min_nnz: u64,
    /// ICE: bins with a smaller marginal count are masked (0 = off).
    pub min_count: f64,
    /// ICE: bins whose log marginal (each chromosome's marginals divided by their median) is
    /// more than `mad_max` median absolute deviations below the median are masked (0 = off).
    pub mad_max: f64,
    /// ICE: the iteration stops when the variance of the nonzero marginals is below this.
    /// SCALE: when the vector changes by less than this in an iteration and every balanced row
    /// sum is within 5 times this of 1 (Juicer's 5·10⁻⁴, [`SCALE_TOL`]).
    pub tol: f64,
    /// ICE: iteration limit. SCALE: iteration limit of one stage (Juicer's 100,
    /// [`SCALE_MAX_ITERS`]); all stages together run at most 3 times as many.
    pub max_iters: u64,
    /// Bins masked up front (genome-wide bin ids); ICE and SCALE (whose contacts are then
    /// left out).
    pub blacklist: Vec<u64>,
    /// The memory budget in bytes: the per-bin vectors first ([`crate::bytes_per_bin`] a
    /// bin; a map whose vectors alone exceed it is refused), then decoded sparse tiles kept
    /// between passes (8 bytes per pixel); tiles beyond it are decoded again on every pass.
    pub memory: u64,
}

/// The default `memory`: 1 GiB.
pub const DEFAULT_MEMORY: u64 = 1 << 30;

pub use crate::scale::{SCALE_MAX_ITERS, SCALE_TOL};

impl BalanceOptions {
    /// The defaults for `method`: cooler's for ICE (as [`Default`]), Juicer's stopping rule
    /// ([`SCALE_TOL`], [`SCALE_MAX_ITERS`]) for SCALE; the exact methods iterate nothing.
    #[must_use]
    pub fn for_method(method: Method) -> Self {
        let mut options = BalanceOptions { method, ..BalanceOptions::default() };
        if method == Method::Scale {
            options.tol = SCALE_TOL;
            options.max_iters = SCALE_MAX_ITERS;
        }
        options
    }
}

impl Default for BalanceOptions {
    fn default() -> Self {
        BalanceOptions {
            method: Method::Ice,
            mode: Mode::GenomeWide,
            ignore_diags: 2,
            min_nnz: 10,
            min_count: 0.0,
            mad_max: 5.0,
            tol: 1e-5,
            max_iters: 200,
            blacklist: Vec::new(),
            memory: DEFAULT_MEMORY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_ones_list_the_choices() {
        for method in [Method::Ice, Method::Vc, Method::VcSqrt, Method::Scale] {
            assert_eq!(method.to_string().parse::<Method>(), Ok(method));
        }
        assert_eq!("cis".parse::<Mode>(), Ok(Mode::Cis));
        let error = "kr".parse::<Method>().unwrap_err();
        assert!(error.contains("ice, vc, vc_sqrt, scale"), "{error}");
        assert!(Mode::Trans.keeps(0, 1) && !Mode::Trans.keeps(1, 1) && Mode::Cis.keeps(2, 2));
    }

    #[test]
    fn each_method_has_its_own_stopping_rule() {
        assert_eq!(BalanceOptions::for_method(Method::Ice), BalanceOptions::default());
        let scale = BalanceOptions::for_method(Method::Scale);
        assert_eq!((scale.method, scale.tol, scale.max_iters), (Method::Scale, f64::from(0.0005f32), 100));
    }
}
