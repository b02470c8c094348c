//! `gzcm balance FILE`: compute a balancing vector (ICE, VC, VC_SQRT, SCALE) and store it in
//! the file. The work is `gzcm_balance::balance_file`; this prints progress and a summary.

use std::path::PathBuf;

use clap::Args;
use gzcm_balance::{BalanceOptions, BalanceRequest, Method, Mode, Progress, Resolutions, StoredVector};

use crate::args::parse_bytes;
use crate::out::outln;

/// Balance a .gzcm file's contact map and store the vector in it (multiplicative, as cooler's
/// `weight`: balanced = count · w_i · w_j, NaN for masked bins), with how it was computed. ICE
/// follows `cooler balance` (same filters, defaults and stopping rule); VC and VC_SQRT are
/// Juicer's, exact; SCALE is Juicer's matrix balancing (Juicer Tools 1.22: its mask, tolerance,
/// iteration limits and final scale; cis mode gives Juicer's per-chromosome `SCALE`). The file is replaced atomically: tile payloads are copied, not re-encoded.
#[derive(Debug, Args)]
pub(crate) struct BalanceArgs {
    /// The .gzcm file (a single resolution, or a collection with --resolution or --all-resolutions).
    file: PathBuf,
    /// The resolution of a multi-resolution file to balance.
    #[arg(long, conflicts_with = "all_resolutions")]
    resolution: Option<u64>,
    /// Balance every resolution of a multi-resolution file.
    #[arg(long)]
    all_resolutions: bool,
    /// ice (cooler's iterative correction), vc or vc_sqrt (Juicer's coverage), scale (Juicer's SCALE).
    #[arg(long, default_value = "ice")]
    method: Method,
    /// genome-wide, cis (each chromosome on its own, cooler's --cis-only) or trans (cooler's --trans-only).
    #[arg(long, default_value = "genome-wide")]
    mode: Mode,
    /// The vector's name [default: weight for ice, VC, VC_SQRT, SCALE].
    #[arg(long)]
    name: Option<String>,
    /// ICE: leave out the first N diagonals (2: the main diagonal and the next).
    #[arg(long, default_value_t = 2, value_name = "N")]
    ignore_diags: u64,
    /// ICE: mask bins with fewer nonzero pixels.
    #[arg(long, default_value_t = 10)]
    min_nnz: u64,
    /// ICE: mask bins with a smaller marginal count.
    #[arg(long, default_value_t = 0.0)]
    min_count: f64,
    /// ICE: mask bins whose log marginal is more than this many median absolute deviations below the median (0: off).
    #[arg(long, default_value_t = 5.0)]
    mad_max: f64,
    /// ICE: stop when the variance of the nonzero marginals is below this [default: 1e-5]. SCALE: when
    /// the vector changes by less than this and every balanced row sum is within 5 times this of 1
    /// [default: Juicer's 5e-4].
    #[arg(long)]
    tol: Option<f64>,
    /// ICE: iteration limit [default: 200]. SCALE: limit of one stage, 3 times as many in all [default:
    /// Juicer's 100]. Not converging is reported, and recorded with the vector.
    #[arg(long)]
    max_iters: Option<u64>,
    /// ICE and SCALE: a BED file of regions whose bins are masked.
    #[arg(long, value_name = "BED")]
    blacklist: Option<PathBuf>,
    /// Replace a vector of the same name.
    #[arg(long)]
    force: bool,
    /// The memory budget: the per-bin vectors first (about 160 bytes a bin on 2 threads; a map whose vectors alone exceed it is refused), then decoded tiles kept between passes (8 bytes a pixel); the rest are decoded on every pass.
    #[arg(long, default_value = "1G", value_parser = parse_bytes, value_name = "BYTES")]
    memory: u64,
}

pub(crate) fn run(args: &BalanceArgs) -> anyhow::Result<()> {
    crate::safety::clean_up_on_signals()?;
    let mut options = BalanceOptions::for_method(args.method);
    options.mode = args.mode;
    options.ignore_diags = args.ignore_diags;
    options.min_nnz = args.min_nnz;
    options.min_count = args.min_count;
    options.mad_max = args.mad_max;
    options.tol = args.tol.unwrap_or(options.tol);
    options.max_iters = args.max_iters.unwrap_or(options.max_iters);
    options.memory = args.memory;
    let resolutions = if args.all_resolutions { Resolutions::All } else { Resolutions::One(args.resolution) };
    let mut request = BalanceRequest::new(resolutions, options);
    request.name.clone_from(&args.name);
    request.force = args.force;
    request.blacklist.clone_from(&args.blacklist);
    let spinner = crate::progress::spinner("balancing");
    let mut report = |resolution: Option<u64>, step: Progress| {
        let at = resolution.map(|r| format!(" at {r} bp")).unwrap_or_default();
        match step {
            Progress::Loaded(f) => spinner.set_message(format!(
                "balancing{at}: {} of {} tiles ({} pixels) kept in memory",
                f.kept, f.tiles, f.pixels_kept
            )),
            Progress::Pass { pass, variance } => {
                spinner.set_message(format!("balancing{at}: pass {pass}, variance {variance:.3e}"));
            }
            Progress::ScalePass { pass, error } => {
                spinner.set_message(format!("balancing{at}: pass {pass}, change {error:.3e}"));
            }
            _ => {}
        }
    };
    let stored = gzcm_balance::balance_file(&args.file, &request, &mut report);
    spinner.finish_and_clear();
    for vector in &stored? {
        outln!("{}", summary(&args.file, vector))?;
        if !vector.outcome.converged {
            eprintln!("warning: {}", not_converged(vector));
        }
    }
    Ok(())
}

/// Why a stored vector did not converge, and what to do.
fn not_converged(vector: &StoredVector) -> String {
    let o = &vector.outcome;
    let which = if o.unconverged_chroms.is_empty() {
        String::new()
    } else {
        format!(" on chromosome(s) {}", o.unconverged_chroms.join(", "))
    };
    let rule = if o.options.method == Method::Scale {
        format!(
            "Juicer's stopping rule (vector change and row-sum error below tol {} and 5 × tol) was not met{which}; \
             Juicer keeps such vectors too",
            o.options.tol
        )
    } else {
        format!("variance {} ≥ tol {}{which}", list(&o.variance), o.options.tol)
    };
    format!(
        "`{}` did not converge in {} iterations ({rule}); it is stored with converged=false: raise --max-iters or --tol",
        vector.name, o.iterations
    )
}

/// `FILE: stored `weight` (ice, genome-wide): 12 iterations, converged, variance 9.1e-6, scale 1.2e5, 100 of 1254 bins masked`.
fn summary(file: &std::path::Path, vector: &StoredVector) -> String {
    let o = &vector.outcome;
    let at = vector.resolution.map(|r| format!(" at {r} bp")).unwrap_or_default();
    let state = if o.converged { "converged" } else { "NOT converged" };
    let iteration = if matches!(o.options.method, Method::Ice | Method::Scale) {
        format!(
            " {} iterations, {state}, variance {}, scale {},",
            o.iterations,
            list(&o.variance),
            list(&o.scale)
        )
    } else {
        String::new()
    };
    format!(
        "{}{at}: stored `{}` ({}, {}):{iteration} {} of {} bins masked, {:.2} s",
        file.display(),
        vector.name,
        o.options.method,
        o.options.mode,
        o.masked_bins,
        o.weights.len(),
        o.seconds
    )
}

/// One value, or the range of the per-chromosome values.
fn list(values: &[f64]) -> String {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    match finite.as_slice() {
        [] => "n/a".to_owned(),
        [one] => format!("{one:.3e}"),
        many => {
            let low = many.iter().copied().fold(f64::INFINITY, f64::min);
            let high = many.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!("{low:.3e}..{high:.3e} over {} chromosomes", many.len())
        }
    }
}
