//! Marks drawn onto an RGB raster and encoded as PNG.

use crate::colormap::Rgb;
use crate::error::PlotError;
use crate::figure::{Mark, Rect};
use crate::text;

/// The background.
const PAPER: Rgb = [255, 255, 255];
/// The colour of text.
const TEXT: Rgb = [0, 0, 0];

/// An RGB picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<Rgb>,
}

impl Canvas {
    /// A white `width × height` picture.
    #[must_use]
    pub fn new(width: usize, height: usize) -> Canvas {
        Canvas { width, height, pixels: vec![PAPER; width * height] }
    }

    /// Draws `marks` in order.
    pub fn draw(&mut self, marks: &[Mark]) {
        for mark in marks {
            match mark {
                Mark::Image { rect, width, height, rgb } => self.image(*rect, *width, *height, rgb),
                Mark::Line { from, to, colour } => self.line(*from, *to, *colour),
                Mark::Text { x, top, size, anchor, text } => {
                    text::draw(text, *size, *x, *top, *anchor, |px, py, coverage| {
                        self.blend(px, py, TEXT, coverage);
                    });
                }
            }
        }
    }

    /// The pixel at `(x, y)`.
    #[must_use]
    pub fn pixel(&self, x: usize, y: usize) -> Option<Rgb> {
        (x < self.width && y < self.height).then(|| self.pixels[y * self.width + x])
    }

    fn blend(&mut self, x: i64, y: i64, colour: Rgb, coverage: f32) {
        let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y)) else { return };
        if x >= self.width || y >= self.height {
            return;
        }
        let a = coverage.clamp(0.0, 1.0);
        let pixel = &mut self.pixels[y * self.width + x];
        for k in 0..3 {
            pixel[k] = (f32::from(pixel[k]) * (1.0 - a) + f32::from(colour[k]) * a).round() as u8;
        }
    }

    /// Nearest-neighbour: each pixel whose centre lies in `rect` takes the source pixel under it.
    fn image(&mut self, rect: Rect, width: usize, height: usize, rgb: &[Rgb]) {
        if width == 0 || height == 0 {
            return;
        }
        let x0 = rect.x.round().max(0.0) as usize;
        let y0 = rect.y.round().max(0.0) as usize;
        let x1 = ((rect.x + rect.w).round() as usize).min(self.width);
        let y1 = ((rect.y + rect.h).round() as usize).min(self.height);
        for y in y0..y1 {
            let sy = (((y as f32 + 0.5 - rect.y) / rect.h * height as f32) as usize).min(height - 1);
            for x in x0..x1 {
                let sx = (((x as f32 + 0.5 - rect.x) / rect.w * width as f32) as usize).min(width - 1);
                self.pixels[y * self.width + x] = rgb[sy * width + sx];
            }
        }
    }

    /// A one-pixel line (horizontal, vertical or diagonal by steps).
    fn line(&mut self, from: (f32, f32), to: (f32, f32), colour: Rgb) {
        let steps = (to.0 - from.0).abs().max((to.1 - from.1).abs()).ceil().max(1.0) as usize;
        for k in 0..=steps {
            let t = k as f32 / steps as f32;
            let (x, y) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            self.blend(x.floor() as i64, y.floor() as i64, colour, 1.0);
        }
    }

    /// The picture as PNG bytes (8-bit RGB).
    ///
    /// # Errors
    /// [`PlotError::Png`] if the encoder fails.
    pub fn png(&self) -> Result<Vec<u8>, PlotError> {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, self.width as u32, self.height as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(self.pixels.as_flattened())?;
        writer.finish()?;
        Ok(bytes)
    }
}

/// `width × height` RGB pixels as PNG bytes.
///
/// # Errors
/// As [`Canvas::png`].
pub fn png_of(width: usize, height: usize, rgb: &[Rgb]) -> Result<Vec<u8>, PlotError> {
    Canvas { width, height, pixels: rgb.to_vec() }.png()
}
