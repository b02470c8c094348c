//! `gzcm plot`: a heatmap of a genomic window as PNG or SVG (the work is `gzcm_plot`'s).

use std::path::PathBuf;

use clap::Args;
use gzcm_container::ReaderOptions;
use gzcm_plot::figure::Layout;
use gzcm_plot::{Colormap, Format, Limits, Request, Scale, Style, data};

use crate::file_arg::FileAt;

/// Draw a heatmap of a genomic window as PNG or SVG: a colour bar, genomic ticks, chromosome
/// boundaries for windows over several chromosomes, NaN (masked) bins in grey, and a title
/// naming the file, resolution and values.
///
/// A multi-resolution file is read at the coarsest resolution that still gives a bin per
/// pixel (unless --resolution says which); windows with more bins than pixels are summed
/// into cells as the tiles are read (a cell shows the mean of its bins), so a whole-genome
/// view of a large map reads no dense matrix.
///
/// Example: gzcm plot gm.gzcm --range 2:10M-60M --balance -o chr2.png
#[derive(Debug, Args)]
pub(crate) struct PlotArgs {
    #[command(flatten)]
    at: FileAt,
    /// Rows (and columns without --range2): `chr2`, `chr2:10M-60M` (bp, commas or k/M/G),
    /// or chromosomes `FIRST-LAST` (e.g. `1-5`); default the whole genome.
    #[arg(long)]
    range: Option<String>,
    /// Columns, in the same forms (default: the --range).
    #[arg(long, requires = "range")]
    range2: Option<String>,
    /// Balanced values count · w_i · w_j with weight vector NAME (default `weight`, else the
    /// file's first); masked bins are grey.
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "", require_equals = true)]
    balance: Option<String>,
    /// Observed/expected: balanced values over the cis expected of their diagonal (one
    /// chromosome only; implies --balance). Default colour map RdBu_r.
    #[arg(long)]
    oe: bool,
    /// With --oe: the diagonals the expected leaves out (grey).
    #[arg(long, value_name = "N", default_value_t = 2, requires = "oe")]
    ignore_diags: u64,
    /// How values map onto colours: `log` (log10, the default) or `linear`.
    #[arg(long, value_parser = parse_scale, default_value = "log")]
    scale: Scale,
    /// The value at the bottom of the colour bar (default: the 1st percentile).
    #[arg(long, allow_hyphen_values = true)]
    vmin: Option<f64>,
    /// The value at the top of the colour bar (default: the 99.5th percentile).
    #[arg(long, allow_hyphen_values = true)]
    vmax: Option<f64>,
    /// Colour limits as percentiles LOW,HIGH of the values shown (positive ones on a log
    /// scale), e.g. 2,98; --vmin/--vmax override their end.
    #[arg(long, value_name = "LOW,HIGH", value_parser = parse_percentile)]
    percentile: Option<(f64, f64)>,
    /// Colour map: fall (default), Reds, Greys, viridis, RdBu_r.
    #[arg(long, value_parser = parse_cmap)]
    cmap: Option<Colormap>,
    /// The picture's width in pixels (200..=4096); its height follows from the layout (a
    /// little less).
    #[arg(long, value_name = "PX", default_value_t = gzcm_plot::DEFAULT_SIZE)]
    size: u32,
    /// The picture: `.png` or `.svg`.
    #[arg(short, long)]
    output: PathBuf,
    /// Replace the output if it exists.
    #[arg(long)]
    overwrite: bool,
}

fn parse_scale(text: &str) -> Result<Scale, String> {
    text.parse().map_err(|e: gzcm_plot::PlotError| e.to_string())
}

fn parse_cmap(text: &str) -> Result<Colormap, String> {
    Colormap::by_name(text).map_err(|e| e.to_string())
}

fn parse_percentile(text: &str) -> Result<(f64, f64), String> {
    let bad = || format!("`{text}`: give two percentiles LOW,HIGH, e.g. 2,98");
    let (low, high) = text.split_once(',').ok_or_else(bad)?;
    Ok((low.trim().parse().map_err(|_| bad())?, high.trim().parse().map_err(|_| bad())?))
}

pub(crate) fn run(args: &PlotArgs) -> anyhow::Result<()> {
    let format = Format::for_path(&args.output)?;
    let limits = Limits::new(args.vmin, args.vmax, args.percentile)?;
    let style = Style { cmap: args.cmap, scale: args.scale, limits, size: args.size };
    style.check()?;
    gzcm_convert::refuse_same_file([args.at.input_file()], &args.output)?;
    let request = Request {
        range: args.range.clone(),
        range2: args.range2.clone(),
        balance: args.balance.clone(),
        oe: args.oe,
        ignore_diags: args.ignore_diags,
        pixels: Layout::new(args.size).heat_pixels(),
    };
    // Every tile is decoded once (a stored tile serves its mirror image too): a cache would
    // only hold memory.
    let (file, resolution) = args.at.file_with(ReaderOptions::new().cache_bytes(0))?;
    let reader = data::open_for(file, resolution, &request)?;
    let bar = crate::progress::bar(0, "reading tiles", "tiles");
    let prepared = data::prepare(&reader, &request, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    let name = args
        .at
        .input_file()
        .file_name()
        .map_or_else(|| args.at.display().to_string(), |n| n.to_string_lossy().into_owned());
    let bytes = gzcm_plot::draw(&prepared, &style, &name, format)?;
    crate::safety::clean_up_on_signals()?;
    gzcm_plot::write(&args.output, &bytes, args.overwrite)?;
    let (rows, cols) = prepared.values.dim();
    let resolution =
        prepared.resolution.map_or_else(|| "variable bins".to_owned(), |r| format!("resolution {r}"));
    let layout = Layout::new(args.size);
    let (output, width, height, step) =
        (args.output.display(), layout.width, layout.height, prepared.rows.step);
    let values = &prepared.normalisation;
    eprintln!(
        "wrote {output} ({width}×{height} px): {resolution}, {rows}×{cols} cells of {step} bin(s) a side, {values}"
    );
    Ok(())
}
