//! Marks written as SVG: images as embedded PNG (drawn without smoothing), lines and real
//! text elements.

use std::fmt::Write;

use base64::Engine;

use crate::colormap::Rgb;
use crate::error::PlotError;
use crate::figure::Mark;
use crate::raster::png_of;
use crate::text::{Anchor, FONT_FAMILY};

/// `marks` on a `width × height` SVG document.
///
/// # Errors
/// [`PlotError::Png`] if an embedded image cannot be encoded.
pub fn document(width: u32, height: u32, marks: &[Mark]) -> Result<String, PlotError> {
    let mut svg = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    for mark in marks {
        match mark {
            Mark::Image { rect, width, height, rgb } => {
                let png = base64::engine::general_purpose::STANDARD.encode(png_of(*width, *height, rgb)?);
                let _ = writeln!(
                    svg,
                    r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,{png}"/>"#,
                    rect.x, rect.y, rect.w, rect.h
                );
            }
            Mark::Line { from, to, colour } => {
                let _ = writeln!(
                    svg,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>"#,
                    from.0,
                    from.1,
                    to.0,
                    to.1,
                    hex(*colour)
                );
            }
            Mark::Text { x, top, size, anchor, text } => {
                let anchor = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let _ = writeln!(
                    svg,
                    r#"<text x="{x}" y="{top}" font-size="{size}" font-family="{FONT_FAMILY}" text-anchor="{anchor}" dominant-baseline="hanging">{}</text>"#,
                    escape(text)
                );
            }
        }
    }
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// `#rrggbb`.
fn hex([r, g, b]: Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Text with XML's special characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & 'c'"), "a&lt;b &amp; &apos;c&apos;");
        assert_eq!(hex([255, 0, 16]), "#ff0010");
    }
}
