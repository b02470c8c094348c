//! A heatmap as marks (images, lines, texts) laid out on a square picture: the heatmap with
//! its genomic ticks and chromosome boundaries, a colour bar with its values, and a title. The
//! PNG and SVG writers draw the same marks.

use crate::axis::Axis;
use crate::colormap::{Colormap, Rgb};
use crate::data::Prepared;
use crate::scale::{Norm, Scale};
use crate::text::{Anchor, width};
use crate::ticks;

/// The smallest picture edge accepted, in pixels.
pub const MIN_SIZE: u32 = 200;
/// The largest picture edge accepted, in pixels (the cells kept in memory grow with its square).
pub const MAX_SIZE: u32 = 4096;

/// A rectangle in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// Something drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// `width × height` RGB pixels (row-major) stretched over `rect`, without smoothing.
    Image {
        /// Where.
        rect: Rect,
        /// Pixels across.
        width: usize,
        /// Pixels down.
        height: usize,
        /// The pixels.
        rgb: Vec<Rgb>,
    },
    /// A straight line one pixel wide.
    Line {
        /// Start.
        from: (f32, f32),
        /// End.
        to: (f32, f32),
        /// Colour.
        colour: Rgb,
    },
    /// Text, its top at `top`.
    Text {
        /// Horizontal position (see `anchor`).
        x: f32,
        /// Top of the text.
        top: f32,
        /// Size in px.
        size: f32,
        /// What `x` is.
        anchor: Anchor,
        /// The text.
        text: String,
    },
}

/// Where things go on a picture `size` pixels wide: the heatmap's square between the tick
/// labels (left) and the colour bar (right), the title above, the ticks below.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// The picture's width.
    pub width: u32,
    /// The picture's height (less than the width: the margins beside the heatmap are wider
    /// than those above and below it).
    pub height: u32,
    /// Text size in px.
    pub font: f32,
    /// The square the heatmap fits in.
    pub heat: Rect,
}

impl Layout {
    /// The layout of a picture `size` pixels wide.
    #[must_use]
    pub fn new(size: u32) -> Layout {
        let s = size as f32;
        let font = (s / 55.0).clamp(9.0, 40.0);
        let (left, top) = (8.0 * font, 3.6 * font);
        let (right, bottom) = (7.0 * font, 3.4 * font);
        let edge = (s - left - right).max(1.0);
        let height = (top + edge + bottom).ceil() as u32;
        Layout { width: size, height, font, heat: Rect { x: left, y: top, w: edge, h: edge } }
    }

    /// The most cells a side the heatmap can show one pixel each.
    #[must_use]
    pub fn heat_pixels(&self) -> u32 {
        self.heat.w as u32
    }
}

/// Line colours.
const INK: Rgb = [0, 0, 0];
const BOUNDARY: Rgb = [90, 90, 90];

/// The marks of `prepared` drawn with `cmap` and `norm`, titled `title`.
#[must_use]
pub fn marks(layout: &Layout, prepared: &Prepared, cmap: Colormap, norm: &Norm, title: &str) -> Vec<Mark> {
    let f = layout.font;
    let (n_rows, n_cols) = prepared.values.dim();
    let cell = (layout.heat.w / n_cols.max(1) as f32).min(layout.heat.h / n_rows.max(1) as f32);
    let heat = Rect { x: layout.heat.x, y: layout.heat.y, w: cell * n_cols as f32, h: cell * n_rows as f32 };
    let rgb = prepared.values.iter().map(|&v| cmap.colour(norm.position(v))).collect();
    let mut marks = vec![Mark::Image { rect: heat, width: n_cols, height: n_rows, rgb }];
    for at in &prepared.cols.boundaries {
        let x = heat.x + *at as f32 * heat.w;
        marks.push(Mark::Line { from: (x, heat.y), to: (x, heat.y + heat.h), colour: BOUNDARY });
    }
    for at in &prepared.rows.boundaries {
        let y = heat.y + *at as f32 * heat.h;
        marks.push(Mark::Line { from: (heat.x, y), to: (heat.x + heat.w, y), colour: BOUNDARY });
    }
    frame(&mut marks, heat);
    x_ticks(&mut marks, &prepared.cols, heat, f);
    y_ticks(&mut marks, &prepared.rows, heat, f);
    colour_bar(&mut marks, cmap, norm, Rect { x: heat.x + heat.w + f, y: heat.y, w: f, h: heat.h }, f);
    marks.push(Mark::Text {
        x: layout.width as f32 / 2.0,
        top: 0.5 * f,
        size: 1.1 * f,
        anchor: Anchor::Middle,
        text: title.to_owned(),
    });
    marks
}

/// The outline of `rect`.
fn frame(marks: &mut Vec<Mark>, r: Rect) {
    let corners = [(r.x, r.y), (r.x + r.w, r.y), (r.x + r.w, r.y + r.h), (r.x, r.y + r.h)];
    for k in 0..4 {
        marks.push(Mark::Line { from: corners[k], to: corners[(k + 1) % 4], colour: INK });
    }
}

/// Ticks under the heatmap, labels skipped where they would overlap, and the axis title.
fn x_ticks(marks: &mut Vec<Mark>, axis: &Axis, heat: Rect, f: f32) {
    let bottom = heat.y + heat.h;
    let mut free_from = f32::MIN;
    for tick in &axis.ticks {
        let x = heat.x + tick.at as f32 * heat.w;
        marks.push(Mark::Line { from: (x, bottom), to: (x, bottom + 0.4 * f), colour: INK });
        let half = width(&tick.label, f) / 2.0;
        if x - half >= free_from {
            marks.push(Mark::Text {
                x,
                top: bottom + 0.5 * f,
                size: f,
                anchor: Anchor::Middle,
                text: tick.label.clone(),
            });
            free_from = x + half + 0.5 * f;
        }
    }
    let x = heat.x + heat.w / 2.0;
    marks.push(Mark::Text {
        x,
        top: bottom + 1.9 * f,
        size: f,
        anchor: Anchor::Middle,
        text: axis.title.clone(),
    });
}

/// Ticks left of the heatmap, labels skipped where they would overlap, and the axis title
/// above them.
fn y_ticks(marks: &mut Vec<Mark>, axis: &Axis, heat: Rect, f: f32) {
    let mut free_from = f32::MIN;
    for tick in &axis.ticks {
        let y = heat.y + tick.at as f32 * heat.h;
        marks.push(Mark::Line { from: (heat.x - 0.4 * f, y), to: (heat.x, y), colour: INK });
        if y - 0.6 * f >= free_from {
            let text = tick.label.clone();
            marks.push(Mark::Text {
                x: heat.x - 0.6 * f,
                top: y - 0.6 * f,
                size: f,
                anchor: Anchor::End,
                text,
            });
            free_from = y + 0.8 * f;
        }
    }
    let text = axis.title.clone();
    marks.push(Mark::Text { x: heat.x - 0.6 * f, top: heat.y - 1.5 * f, size: f, anchor: Anchor::End, text });
}

/// The colour bar: the ramp from `vmin` (bottom) to `vmax` (top) with labelled values.
fn colour_bar(marks: &mut Vec<Mark>, cmap: Colormap, norm: &Norm, bar: Rect, f: f32) {
    let steps = (bar.h as usize).max(2);
    let rgb = (0..steps).map(|k| cmap.colour(Some(1.0 - k as f64 / (steps - 1) as f64))).collect();
    marks.push(Mark::Image { rect: bar, width: 1, height: steps, rgb });
    frame(marks, bar);
    for value in bar_values(norm) {
        let Some(t) = norm.position(value) else { continue };
        let y = bar.y + (1.0 - t as f32) * bar.h;
        marks.push(Mark::Line { from: (bar.x + bar.w, y), to: (bar.x + bar.w + 0.3 * f, y), colour: INK });
        let text = value_label(value);
        marks.push(Mark::Text {
            x: bar.x + bar.w + 0.5 * f,
            top: y - 0.6 * f,
            size: f,
            anchor: Anchor::Start,
            text,
        });
    }
}

/// The values labelled on the colour bar: powers of ten (log) or round steps (linear) between
/// the limits, with the limits themselves added when fewer than two fall inside.
fn bar_values(norm: &Norm) -> Vec<f64> {
    let mut values: Vec<f64> = match norm.scale {
        Scale::Log => {
            let (lo, hi) = (norm.vmin.log10().ceil() as i32, norm.vmax.log10().floor() as i32);
            let every = ((hi - lo) / 6 + 1).max(1);
            (lo..=hi).filter(|k| (k - lo) % every == 0).map(|k| 10f64.powi(k)).collect()
        }
        Scale::Linear => {
            let span = norm.vmax - norm.vmin;
            let step = nice(span / 5.0);
            let first = (norm.vmin / step).ceil() as i64;
            (first..)
                .map(|k| k as f64 * step)
                .take_while(|v| *v <= norm.vmax + step * 1e-9)
                .take(12)
                .collect()
        }
    };
    if values.len() < 2 {
        values.insert(0, norm.vmin);
        values.push(norm.vmax);
    }
    values
}

/// 1, 2 or 5 × 10^k at or above `x`.
fn nice(x: f64) -> f64 {
    let decade = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * decade).find(|v| *v >= x).unwrap_or(decade * 10.0)
}

/// A colour-bar value: few digits, exponents for very large or small magnitudes.
#[must_use]
pub fn value_label(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-2..1e4).contains(&magnitude) {
        return format!("{value:.0e}");
    }
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The title: the file, the resolution and the values shown.
#[must_use]
pub fn title(file: &str, prepared: &Prepared) -> String {
    let resolution = prepared.resolution.map(|r| format!("{} bins", ticks::label(r, r)));
    let aggregated = (prepared.rows.step > 1).then(|| format!("{}× aggregated", prepared.rows.step));
    let parts: Vec<String> =
        [Some(file.to_owned()), resolution, aggregated, Some(prepared.normalisation.to_string())]
            .into_iter()
            .flatten()
            .collect();
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short() {
        assert_eq!(value_label(100.0), "100");
        assert_eq!(value_label(0.25), "0.25");
        assert_eq!(value_label(1e-4), "1e-4");
        assert_eq!(value_label(1e6), "1e6");
    }

    #[test]
    fn bar_values_fall_inside_the_limits() {
        let log = Norm { scale: Scale::Log, vmin: 0.5, vmax: 2000.0 };
        assert_eq!(bar_values(&log), vec![1.0, 10.0, 100.0, 1000.0]);
        let linear = Norm { scale: Scale::Linear, vmin: 0.0, vmax: 1.0 };
        assert_eq!(bar_values(&linear).len(), 6);
        let narrow = Norm { scale: Scale::Log, vmin: 2.0, vmax: 5.0 };
        assert_eq!(bar_values(&narrow), vec![2.0, 5.0]);
        let around_one = Norm { scale: Scale::Log, vmin: 0.25, vmax: 4.0 };
        assert_eq!(bar_values(&around_one), vec![0.25, 1.0, 4.0]);
    }

    #[test]
    fn the_heatmap_fits_the_picture() {
        let layout = Layout::new(800);
        assert!(layout.heat.x + layout.heat.w < 800.0);
        assert!(layout.heat.y + layout.heat.h < layout.height as f32 && layout.height < 800);
        assert!(layout.heat_pixels() > 500);
    }
}
