//! Colour maps: a few named ramps, each a list of evenly spaced anchor colours interpolated
//! linearly in RGB (as matplotlib's `LinearSegmentedColormap.from_list` does).

use crate::error::PlotError;

/// An RGB colour.
pub type Rgb = [u8; 3];

/// The colour of cells without a value (masked bins, undefined observed/expected): a grey with
/// a touch of blue, so no ramp below (`Greys` included) produces it.
pub const NAN_COLOUR: Rgb = [170, 170, 190];

/// A named colour ramp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colormap {
    name: &'static str,
    anchors: &'static [Rgb],
}

/// cooltools' `fall` (white, ColorBrewer YlOrRd, black): the usual Hi-C ramp.
const FALL: &[Rgb] = &[
    [255, 255, 255],
    [255, 255, 204],
    [255, 237, 160],
    [254, 217, 118],
    [254, 178, 76],
    [253, 141, 60],
    [252, 78, 42],
    [227, 26, 28],
    [189, 0, 38],
    [128, 0, 38],
    [0, 0, 0],
];

/// ColorBrewer's 9-class Reds (matplotlib's `Reds`).
const REDS: &[Rgb] = &[
    [255, 245, 240],
    [254, 224, 210],
    [252, 187, 161],
    [252, 146, 114],
    [251, 106, 74],
    [239, 59, 44],
    [203, 24, 29],
    [165, 15, 21],
    [103, 0, 13],
];

/// ColorBrewer's 9-class Greys (matplotlib's `Greys`).
const GREYS: &[Rgb] = &[
    [255, 255, 255],
    [240, 240, 240],
    [217, 217, 217],
    [189, 189, 189],
    [150, 150, 150],
    [115, 115, 115],
    [82, 82, 82],
    [37, 37, 37],
    [0, 0, 0],
];

/// viridis sampled at ten evenly spaced points.
const VIRIDIS: &[Rgb] = &[
    [68, 1, 84],
    [72, 40, 120],
    [62, 73, 137],
    [49, 104, 142],
    [38, 130, 142],
    [31, 158, 137],
    [53, 183, 121],
    [110, 206, 88],
    [181, 222, 43],
    [253, 231, 37],
];

/// ColorBrewer's 11-class RdBu, blue to red (matplotlib's `RdBu_r`): for observed/expected.
const RDBU_R: &[Rgb] = &[
    [5, 48, 97],
    [33, 102, 172],
    [67, 147, 195],
    [146, 197, 222],
    [209, 229, 240],
    [247, 247, 247],
    [253, 219, 199],
    [244, 165, 130],
    [214, 96, 77],
    [178, 24, 43],
    [103, 0, 31],
];

/// Every colour map by name.
const ALL: &[Colormap] = &[
    Colormap { name: "fall", anchors: FALL },
    Colormap { name: "Reds", anchors: REDS },
    Colormap { name: "Greys", anchors: GREYS },
    Colormap { name: "viridis", anchors: VIRIDIS },
    Colormap { name: "RdBu_r", anchors: RDBU_R },
];

impl Colormap {
    /// The colour map called `name` (case-sensitive, as matplotlib's names).
    ///
    /// # Errors
    /// [`PlotError::UnknownColormap`], listing the names.
    pub fn by_name(name: &str) -> Result<Colormap, PlotError> {
        ALL.iter().copied().find(|c| c.name == name).ok_or_else(|| PlotError::UnknownColormap {
            name: name.to_owned(),
            available: Colormap::names().join(", "),
        })
    }

    /// The names of the colour maps.
    #[must_use]
    pub fn names() -> Vec<&'static str> {
        ALL.iter().map(|c| c.name).collect()
    }

    /// The default for a kind of value: `RdBu_r` for observed/expected, `fall` otherwise.
    #[must_use]
    pub fn default_for(observed_expected: bool) -> Colormap {
        if observed_expected { ALL[4] } else { ALL[0] }
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Its anchor colours, evenly spaced from 0 to 1.
    #[must_use]
    pub fn anchors(&self) -> &'static [Rgb] {
        self.anchors
    }

    /// The colour at `t` in 0..=1 (clamped); [`NAN_COLOUR`] for `None`.
    #[must_use]
    pub fn colour(&self, t: Option<f64>) -> Rgb {
        let Some(t) = t else { return NAN_COLOUR };
        let last = self.anchors.len() - 1;
        let x = t.clamp(0.0, 1.0) * last as f64;
        let i = (x.floor() as usize).min(last.saturating_sub(1));
        let f = x - i as f64;
        let (a, b) = (self.anchors[i], self.anchors[(i + 1).min(last)]);
        std::array::from_fn(|k| (f64::from(a[k]) + (f64::from(b[k]) - f64::from(a[k])) * f).round() as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramps_run_from_first_to_last_anchor() {
        let fall = Colormap::by_name("fall").unwrap();
        assert_eq!(fall.colour(Some(0.0)), [255, 255, 255]);
        assert_eq!(fall.colour(Some(1.0)), [0, 0, 0]);
        assert_eq!(fall.colour(Some(7.0)), [0, 0, 0]);
        assert_eq!(fall.colour(None), NAN_COLOUR);
        let mid = Colormap::by_name("Greys").unwrap().colour(Some(0.5));
        assert_eq!(mid, [150, 150, 150]);
        for name in Colormap::names() {
            let map = Colormap::by_name(name).unwrap();
            assert!((0..=100).all(|i| map.colour(Some(f64::from(i) / 100.0)) != NAN_COLOUR), "{name}");
        }
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let err = Colormap::by_name("jet").unwrap_err().to_string();
        assert!(err.contains("fall, Reds, Greys, viridis, RdBu_r"), "{err}");
    }
}
