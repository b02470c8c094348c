//! `gzcm.GzcmFile.plot`'s native half: the window prepared by `gzcm-plot` (the same values,
//! aggregation, colour limits, ticks and title as `gzcm plot`), so Python only calls
//! matplotlib's `imshow`.

use gzcm_plot::{Colormap, Limits, Normalisation, PlotError, Request, Scale, Style, data};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::arrays::matrix_to_array;
use crate::errors::{container_error, oe_error, raise_msg};
use crate::reader::PyReader;

/// A plot error as a Python exception: `NoGenomeError`, the container's and observed/expected
/// classes, `InvalidInputError` for everything the caller asked wrongly.
fn plot_error(py: Python<'_>, error: &PlotError) -> PyErr {
    match error {
        PlotError::NoGenome { .. } => raise_msg(py, "NoGenomeError", error.to_string()),
        PlotError::Container(error) => container_error(py, error),
        PlotError::ObservedExpected(error) => oe_error(py, error),
        _ => raise_msg(py, "InvalidInputError", error.to_string()),
    }
}

/// The window of `reader` prepared for a heatmap: `values` (float64, at most `pixels` cells a
/// side, NaN where undefined), `extent` (left, right, bottom, top in genome-wide bp, as
/// matplotlib's `imshow` takes it), the resolved `vmin`/`vmax`/`scale`, the colour map
/// (`cmap`, `colours` as RGB in 0..1, `nan_colour`), ticks and chromosome boundaries in bp per
/// axis, axis labels, `title` (naming `name`), `resolution`, `step` (bins per cell) and
/// `normalisation`.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (reader, name, range, range2, balance, oe, ignore_diags, scale, vmin, vmax, percentile, cmap, pixels))]
pub(crate) fn plot_data<'py>(
    py: Python<'py>,
    reader: PyRef<'py, PyReader>,
    name: &str,
    range: Option<String>,
    range2: Option<String>,
    balance: Option<String>,
    oe: bool,
    ignore_diags: u64,
    scale: &str,
    vmin: Option<f64>,
    vmax: Option<f64>,
    percentile: Option<(f64, f64)>,
    cmap: Option<String>,
    pixels: u32,
) -> PyResult<Bound<'py, PyDict>> {
    let style = (|| {
        let cmap = cmap.as_deref().map(Colormap::by_name).transpose()?;
        let scale: Scale = scale.parse()?;
        Ok::<_, PlotError>(Style {
            cmap,
            scale,
            limits: Limits::new(vmin, vmax, percentile)?,
            ..Style::default()
        })
    })()
    .map_err(|e| plot_error(py, &e))?;
    let request = Request { range, range2, balance, oe, ignore_diags, pixels };
    let reader = &reader.reader;
    let prepared = py
        .allow_threads(|| data::prepare(reader, &request, &mut |_, _| {}))
        .map_err(|e| plot_error(py, &e))?;
    let norm = style.norm(&prepared).map_err(|e| plot_error(py, &e))?;
    let cmap = style.cmap_for(&prepared);
    let genome = reader
        .genome()
        .ok_or_else(|| plot_error(py, &PlotError::NoGenome { path: reader.path().to_owned() }))?;
    let dict = PyDict::new(py);
    let (x0, x1) = prepared.cols.extent_bp(genome);
    let (y0, y1) = prepared.rows.extent_bp(genome);
    dict.set_item("extent", (x0, x1, y1, y0))?;
    for (key, axis, (start, end)) in [("x", &prepared.cols, (x0, x1)), ("y", &prepared.rows, (y0, y1))] {
        let bp = |at: f64| start as f64 + at * (end - start) as f64;
        let ticks: Vec<(f64, String)> = axis.ticks.iter().map(|t| (bp(t.at), t.label.clone())).collect();
        let boundaries: Vec<f64> = axis.boundaries.iter().map(|&at| bp(at)).collect();
        dict.set_item(format!("{key}ticks"), ticks)?;
        dict.set_item(format!("{key}boundaries"), boundaries)?;
        dict.set_item(format!("{key}label"), axis.title.clone())?;
    }
    let unit = |rgb: [u8; 3]| rgb.map(|v| f64::from(v) / 255.0);
    dict.set_item("cmap", cmap.name())?;
    dict.set_item("colours", cmap.anchors().iter().map(|&c| unit(c)).collect::<Vec<_>>())?;
    dict.set_item("nan_colour", unit(gzcm_plot::colormap::NAN_COLOUR))?;
    dict.set_item("scale", norm.scale.name())?;
    dict.set_item("vmin", norm.vmin)?;
    dict.set_item("vmax", norm.vmax)?;
    dict.set_item("title", gzcm_plot::figure::title(name, &prepared))?;
    dict.set_item("resolution", prepared.resolution)?;
    dict.set_item("step", prepared.rows.step)?;
    let observed_expected = matches!(prepared.normalisation, Normalisation::ObservedExpected { .. });
    dict.set_item("observed_expected", observed_expected)?;
    dict.set_item("normalisation", prepared.normalisation.to_string())?;
    dict.set_item("values", matrix_to_array(py, prepared.values)?)?;
    Ok(dict)
}
