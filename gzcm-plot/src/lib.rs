//! Heatmaps of `.gzcm` contact maps, in pure Rust (no system libraries, a bundled font).
//!
//! # API summary
//!
//! 1. [`data::open_for`] opens a file for a [`Request`] (in a multi-resolution file without a
//!    resolution: the coarsest one that still gives a bin per pixel), and [`data::prepare`]
//!    reads the window (raw, balanced or observed/expected) reduced to at most
//!    [`Request::pixels`] cells a side, keeping one decoded tile and the cells in memory →
//!    [`Prepared`] (values, [`Axis`] ticks and chromosome boundaries, resolution).
//! 2. [`Style`] says how to colour it: a [`Colormap`] (`fall`, `Reds`, `Greys`, `viridis`,
//!    `RdBu_r`), a [`Scale`] (log or linear) and [`Limits`] (fixed, or percentiles of the
//!    values); [`Style::norm`] resolves them for the data.
//! 3. [`draw`] lays out the heatmap, its colour bar, genomic ticks and title on a
//!    picture `size` pixels wide ([`figure::Layout`] gives its height) and encodes it as PNG or SVG ([`Format`]);
//!    [`write()`] puts the bytes in place atomically.
//!
//! NaN cells (masked bins, undefined observed/expected) are drawn in
//! [`colormap::NAN_COLOUR`], a grey no ramp produces.
//!
//! # Example
//!
//! ```no_run
//! # fn main() -> Result<(), gzcm_plot::PlotError> {
//! use gzcm_plot::{Format, Request, Style, data, figure::Layout};
//!
//! let file = gzcm_container::GzcmFile::open("gm.gzcm")?;
//! let style = Style::default();
//! let request = Request {
//!     range: Some("2:10M-60M".to_owned()),
//!     range2: None,
//!     balance: Some(String::new()),
//!     oe: false,
//!     ignore_diags: 2,
//!     pixels: Layout::new(style.size).heat_pixels(),
//! };
//! let reader = data::open_for(file, None, &request)?;
//! let prepared = data::prepare(&reader, &request, &mut |_, _| {})?;
//! let png = gzcm_plot::draw(&prepared, &style, "gm.gzcm", Format::Png)?;
//! gzcm_plot::write("chr2.png".as_ref(), &png, true)?;
//! # Ok(())
//! # }
//! ```

pub mod axis;
pub mod colormap;
pub mod data;
pub mod error;
pub mod figure;
pub mod raster;
pub mod scale;
pub mod svg;
pub mod text;
pub mod ticks;

use std::io::Write;
use std::path::Path;

pub use axis::{Axis, Tick};
pub use colormap::Colormap;
pub use data::{Normalisation, Prepared, Request};
pub use error::PlotError;
pub use scale::{Bound, Limits, Norm, Scale};

use crate::figure::{Layout, MAX_SIZE, MIN_SIZE};

/// The default picture edge in pixels.
pub const DEFAULT_SIZE: u32 = 800;

/// How to colour and size a picture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// The colour map (`None`: `fall`, or `RdBu_r` for observed/expected).
    pub cmap: Option<Colormap>,
    /// The scale.
    pub scale: Scale,
    /// The colour limits.
    pub limits: Limits,
    /// The picture's width in pixels (its height follows, [`figure::Layout::height`]).
    pub size: u32,
}

impl Default for Style {
    fn default() -> Style {
        Style { cmap: None, scale: Scale::Log, limits: Limits::default(), size: DEFAULT_SIZE }
    }
}

impl Style {
    /// Checks the size.
    ///
    /// # Errors
    /// [`PlotError::BadSize`] outside [`MIN_SIZE`]..=[`MAX_SIZE`].
    pub fn check(&self) -> Result<(), PlotError> {
        if (MIN_SIZE..=MAX_SIZE).contains(&self.size) {
            Ok(())
        } else {
            Err(PlotError::BadSize { size: self.size, min: MIN_SIZE, max: MAX_SIZE })
        }
    }

    /// The colour map for `prepared`.
    #[must_use]
    pub fn cmap_for(&self, prepared: &Prepared) -> Colormap {
        let oe = matches!(prepared.normalisation, Normalisation::ObservedExpected { .. });
        self.cmap.unwrap_or_else(|| Colormap::default_for(oe))
    }

    /// The scale and limits resolved for `prepared`'s values (observed/expected on a log
    /// scale without fixed limits: symmetric about 1).
    ///
    /// # Errors
    /// [`PlotError::BadLimits`] as [`Limits::resolve`].
    pub fn norm(&self, prepared: &Prepared) -> Result<Norm, PlotError> {
        let (vmin, vmax) = self.limits.resolve(prepared.values.iter().copied(), self.scale)?;
        let oe = matches!(prepared.normalisation, Normalisation::ObservedExpected { .. });
        let fixed = |b: Bound| matches!(b, Bound::Value(_));
        if oe && self.scale == Scale::Log && !fixed(self.limits.low) && !fixed(self.limits.high) {
            // Observed/expected on a log scale: limits symmetric about 1, so 1 is the middle
            // of a diverging ramp.
            let reach = vmax.max(1.0 / vmin);
            return Ok(Norm { scale: self.scale, vmin: 1.0 / reach, vmax: reach });
        }
        Ok(Norm { scale: self.scale, vmin, vmax })
    }
}

/// A picture format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PNG, 8-bit RGB.
    Png,
    /// SVG with the heatmap embedded as PNG and real text.
    Svg,
}

impl Format {
    /// The format an output path's extension names (`.png`, `.svg`, any case).
    ///
    /// # Errors
    /// [`PlotError::BadOutput`] for any other extension.
    pub fn for_path(path: &Path) -> Result<Format, PlotError> {
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("png") => Ok(Format::Png),
            Some("svg") => Ok(Format::Svg),
            _ => Err(PlotError::BadOutput { path: path.to_owned() }),
        }
    }
}

/// `prepared` drawn with `style`, titled with `name` (the file), resolution and values, as
/// `format` bytes.
///
/// # Errors
/// [`PlotError::BadSize`], [`PlotError::BadLimits`], [`PlotError::Png`].
pub fn draw(prepared: &Prepared, style: &Style, name: &str, format: Format) -> Result<Vec<u8>, PlotError> {
    style.check()?;
    let layout = Layout::new(style.size);
    let norm = style.norm(prepared)?;
    let marks =
        figure::marks(&layout, prepared, style.cmap_for(prepared), &norm, &figure::title(name, prepared));
    match format {
        Format::Png => {
            let mut canvas = raster::Canvas::new(layout.width as usize, layout.height as usize);
            canvas.draw(&marks);
            canvas.png()
        }
        Format::Svg => svg::document(layout.width, layout.height, &marks).map(String::into_bytes),
    }
}

/// Writes `bytes` to `path` atomically (an existing file only with `overwrite`).
///
/// # Errors
/// [`PlotError::Atomic`] when the file cannot be created or put in place, [`PlotError::Write`]
/// when writing fails.
pub fn write(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), PlotError> {
    let mut file = gzcm_atomic::AtomicFile::create(path, overwrite)?;
    file.write_all(bytes).map_err(|source| PlotError::Write { path: path.to_owned(), source })?;
    Ok(file.commit()?)
}
