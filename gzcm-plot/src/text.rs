//! Text in pictures: the Hack typeface that `epaint_default_fonts` ships (MIT and Bitstream
//! Vera licences, no system fonts), measured and rasterised with `ab_glyph`.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

/// The font family SVG output names (the raster output draws with the same typeface).
pub const FONT_FAMILY: &str = "Hack, 'DejaVu Sans Mono', monospace";

/// The typeface.
fn font() -> FontRef<'static> {
    // The bytes are a valid TrueType font compiled into the crate it comes from.
    FontRef::try_from_slice(epaint_default_fonts::HACK_REGULAR).expect("the bundled Hack font parses")
}

/// Where a text's `x` is: its start, middle or end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is where the text starts.
    Start,
    /// `x` is its middle.
    Middle,
    /// `x` is where it ends.
    End,
}

/// The width of `text` in pixels at `size` px.
#[must_use]
pub fn width(text: &str, size: f32) -> f32 {
    let font = font();
    let scaled = font.as_scaled(PxScale::from(size));
    let mut previous = None;
    let mut x = 0.0;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    x
}

/// Draws `text` at `size` px with its top at `top` and `x` placed by `anchor`, calling
/// `plot(x, y, coverage)` for every pixel the glyphs cover.
pub fn draw(text: &str, size: f32, x: f32, top: f32, anchor: Anchor, mut plot: impl FnMut(i64, i64, f32)) {
    let font = font();
    let scaled = font.as_scaled(PxScale::from(size));
    let start = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - width(text, size) / 2.0,
        Anchor::End => x - width(text, size),
    };
    let baseline = top + scaled.ascent();
    let mut caret = start;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scaled.scale(), ab_glyph::point(caret, baseline));
        caret += scaled.h_advance(id);
        previous = Some(id);
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                plot(bounds.min.x as i64 + i64::from(gx), bounds.min.y as i64 + i64::from(gy), coverage);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_has_width_and_ink() {
        assert!(width("10 Mb", 12.0) > width("1", 12.0));
        let mut ink = 0.0;
        draw("chr2", 12.0, 0.0, 0.0, Anchor::Start, |_, _, c| ink += c);
        assert!(ink > 5.0);
    }
}
