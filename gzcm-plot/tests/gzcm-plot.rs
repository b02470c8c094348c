//! gzcm-plot end to end on small synthetic maps: the values follow the data (full
//! resolution, aggregated, balanced, observed/expected), the pictures decode at their size and
//! show the data, the errors are typed, and a multi-resolution file is read at the coarse
//! resolution an overview needs.

use std::path::{Path, PathBuf};

use gzcm_balance::ObservedExpected;
use gzcm_container::{CollectionWriter, Genome, GzcmFile, Reader, WeightVector, Writer};
use gzcm_plot::colormap::NAN_COLOUR;
use gzcm_plot::figure::Layout;
use gzcm_plot::{Colormap, Format, Limits, Normalisation, PlotError, Prepared, Request, Scale, Style, data};
use ndarray::Array2;

/// Bins of the synthetic maps, two chromosomes of 40 each.
const N: u64 = 80;
/// The bin whose weight is NaN (masked) in `weight`.
const MASKED: u64 = 10;

fn genome(bin_size: u64) -> Genome {
    let length = 40 * 1000;
    Genome::fixed(&[("chr1".to_owned(), length), ("chr2".to_owned(), length)], bin_size).unwrap()
}

/// Contacts falling with distance within a chromosome, 1 between chromosomes.
fn count(i: u64, j: u64, bin_size: u64) -> u32 {
    let chrom = |b: u64| b * bin_size / 40_000;
    if chrom(i) == chrom(j) { (1000 / (1 + i.abs_diff(j))) as u32 } else { 1 }
}

/// A symmetric map with bins of `bin_size` and a `weight` vector masking one bin.
fn write_map(path: &Path, bin_size: u64) {
    let genome = genome(bin_size);
    let n = genome.n_bins();
    let weights: Vec<f64> =
        (0..n).map(|b| if b == MASKED * 1000 / bin_size { f64::NAN } else { 0.5 }).collect();
    let genome = genome.with_weights(vec![WeightVector::new("weight", weights)]).unwrap();
    let mut writer = Writer::builder(path, n, n)
        .tile_size(16)
        .symmetric(true)
        .codec("zstd")
        .packed_index(true)
        .genome(genome)
        .create()
        .unwrap();
    for i in 0..n {
        for j in i..n {
            writer.push(i, j, count(i, j, bin_size)).unwrap();
        }
    }
    writer.finish().unwrap();
}

fn single() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    write_map(&path, 1000);
    (dir, path)
}

fn request(range: Option<&str>, pixels: u32) -> Request {
    Request {
        range: range.map(str::to_owned),
        range2: None,
        balance: None,
        oe: false,
        ignore_diags: 2,
        pixels,
    }
}

fn prepare(path: &Path, request: &Request) -> Result<Prepared, PlotError> {
    let reader = data::open_for(GzcmFile::open(path)?, None, request)?;
    data::prepare(&reader, request, &mut |_, _| {})
}

/// The synthetic map at 1 kb as a dense matrix.
fn dense() -> Array2<f64> {
    let n = N as usize;
    Array2::from_shape_fn((n, n), |(i, j)| f64::from(count(i as u64, j as u64, 1000)))
}

mod values {
    use super::*;

    #[test]
    fn full_resolution_cells_are_the_counts() {
        let (_dir, path) = single();
        let prepared = prepare(&path, &request(Some("chr1:5k-30k"), 100)).unwrap();
        assert_eq!(prepared.values.dim(), (25, 25));
        assert_eq!(prepared.rows.step, 1);
        assert_eq!(prepared.values[(0, 0)], 1000.0);
        assert_eq!(prepared.values[(0, 3)], 250.0);
        assert_eq!(prepared.values[(3, 0)], 250.0, "the lower triangle mirrors the upper");
        assert_eq!(prepared.normalisation, Normalisation::Raw);
        assert_eq!(prepared.resolution, Some(1000));
    }

    #[test]
    fn aggregated_cells_are_block_means() {
        let (_dir, path) = single();
        let prepared = prepare(&path, &request(None, 20)).unwrap();
        assert_eq!((prepared.rows.step, prepared.values.dim()), (4, (20, 20)));
        let truth = dense();
        for (r, c) in [(0, 0), (0, 1), (3, 7), (9, 10), (19, 19)] {
            let block = truth.slice(ndarray::s![4 * r..4 * r + 4, 4 * c..4 * c + 4]);
            let mean = block.sum() / 16.0;
            assert!((prepared.values[(r, c)] - mean).abs() < 1e-9, "({r}, {c})");
        }
        assert_eq!(prepared.rows.title, "genome");
        assert_eq!(prepared.rows.boundaries, vec![0.5]);
    }

    #[test]
    fn balanced_cells_leave_masked_bins_out() {
        let (_dir, path) = single();
        let mut asked = request(Some("chr1"), 100);
        asked.balance = Some(String::new());
        let full = prepare(&path, &asked).unwrap();
        let m = MASKED as usize;
        assert!(full.values.row(m).iter().all(|v| v.is_nan()));
        assert_eq!(full.values[(0, 1)], 500.0 * 0.25);
        asked.pixels = 10;
        let coarse = prepare(&path, &asked).unwrap();
        // Block 2 holds bins 8..12, one of them masked: 3 × 3 valid cells in the diagonal block.
        let valid = [8u64, 9, 11];
        let sum: f64 =
            valid.iter().flat_map(|&i| valid.iter().map(move |&j| f64::from(count(i, j, 1000)) * 0.25)).sum();
        assert!((coarse.values[(2, 2)] - sum / 9.0).abs() < 1e-9);
    }

    #[test]
    fn observed_expected_equals_the_balance_crate() {
        let (_dir, path) = single();
        let mut asked = request(Some("chr2"), 100);
        asked.oe = true;
        let prepared = prepare(&path, &asked).unwrap();
        let reader = Reader::open(&path).unwrap();
        let truth = ObservedExpected::new(&reader, "weight", 2, 1 << 26)
            .unwrap()
            .window(&reader, 40..80, 40..80)
            .unwrap();
        assert_eq!(prepared.values.dim(), truth.dim());
        for (a, b) in prepared.values.iter().zip(&truth) {
            assert!((a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-12, "{a} vs {b}");
        }
        assert!(prepared.values[(0, 1)].is_nan(), "ignored diagonals are undefined");
    }
}

mod pictures {
    use super::*;

    fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
        let mut buffer = vec![0; decoder.output_buffer_size().unwrap()];
        let info = decoder.next_frame(&mut buffer).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        (info.width, info.height, buffer)
    }

    /// The colour at the centre of cell `(r, c)` of an `n × n` heatmap.
    fn cell(picture: &(u32, u32, Vec<u8>), layout: &Layout, n: usize, (r, c): (usize, usize)) -> [u8; 3] {
        let side = layout.heat.w / n as f32;
        let x = (layout.heat.x + (c as f32 + 0.5) * side) as usize;
        let y = (layout.heat.y + (r as f32 + 0.5) * side) as usize;
        let at = 3 * (y * picture.0 as usize + x);
        [picture.2[at], picture.2[at + 1], picture.2[at + 2]]
    }

    fn darkness(rgb: [u8; 3]) -> u32 {
        765 - rgb.iter().map(|&v| u32::from(v)).sum::<u32>()
    }

    #[test]
    fn png_has_its_size_and_follows_the_data() {
        let (_dir, path) = single();
        let style = Style { size: 400, ..Style::default() };
        let layout = Layout::new(400);
        let mut asked = request(Some("chr1"), layout.heat_pixels());
        asked.balance = Some(String::new());
        let prepared = prepare(&path, &asked).unwrap();
        let picture = decode(&gzcm_plot::draw(&prepared, &style, "m.gzcm", Format::Png).unwrap());
        assert_eq!((picture.0, picture.1), (400, layout.height));
        for i in [0, 5, 20, 30] {
            let diagonal = darkness(cell(&picture, &layout, 40, (i, i)));
            let off = darkness(cell(&picture, &layout, 40, (i, i + 8)));
            assert!(diagonal > off, "bin {i}: the diagonal is darker ({diagonal} > {off})");
        }
        let m = MASKED as usize;
        assert_eq!(cell(&picture, &layout, 40, (m, 3)), NAN_COLOUR);
        assert_eq!(cell(&picture, &layout, 40, (3, m)), NAN_COLOUR);
        assert_ne!(cell(&picture, &layout, 40, (3, 4)), NAN_COLOUR);
    }

    #[test]
    fn log_spreads_the_small_values_that_linear_leaves_pale() {
        let (_dir, path) = single();
        let prepared = prepare(&path, &request(Some("chr1"), 100)).unwrap();
        let limits = Limits::new(Some(10.0), Some(1000.0), None).unwrap();
        let log = Style { limits, ..Style::default() }.norm(&prepared).unwrap();
        let linear = Style { limits, scale: Scale::Linear, ..Style::default() }.norm(&prepared).unwrap();
        // 1000 / (1 + 9) = 100: halfway up a log ramp from 10 to 1000, near the bottom of a linear one.
        assert_eq!(prepared.values[(0, 9)], 100.0);
        assert!((log.position(100.0).unwrap() - 0.5).abs() < 1e-12);
        assert!(linear.position(100.0).unwrap() < 0.1);
        let draw = |scale| {
            let style = Style { limits, scale, size: 300, ..Style::default() };
            decode(&gzcm_plot::draw(&prepared, &style, "m.gzcm", Format::Png).unwrap())
        };
        let layout = Layout::new(300);
        let (log_pixel, linear_pixel) =
            (cell(&draw(Scale::Log), &layout, 40, (0, 9)), cell(&draw(Scale::Linear), &layout, 40, (0, 9)));
        assert!(darkness(log_pixel) > darkness(linear_pixel), "{log_pixel:?} vs {linear_pixel:?}");
    }

    #[test]
    fn svg_is_xml_with_the_title() {
        let (_dir, path) = single();
        let prepared = prepare(&path, &request(None, 50)).unwrap();
        let svg = gzcm_plot::draw(&prepared, &Style::default(), "m<&>.gzcm", Format::Svg).unwrap();
        let mut reader = quick_xml::Reader::from_reader(svg.as_slice());
        let (mut buffer, mut texts) = (Vec::new(), Vec::new());
        loop {
            match reader.read_event_into(&mut buffer).unwrap() {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Text(t) => texts.push(t.decode().unwrap().into_owned()),
                quick_xml::events::Event::GeneralRef(r) => {
                    texts.push(format!("&{};", String::from_utf8_lossy(&r)))
                }
                _ => {}
            }
            buffer.clear();
        }
        let all = texts.concat();
        // The file name's special characters come back as the entities that escape them.
        assert!(all.contains("m&lt;&amp;&gt;.gzcm · 1 kb bins · 2× aggregated · raw counts"), "{all:?}");
        assert!(all.contains("chr1") && all.contains("chr2"));
    }

    #[test]
    fn the_picture_is_written_atomically() {
        let (dir, path) = single();
        let prepared = prepare(&path, &request(None, 50)).unwrap();
        let out = dir.path().join("m.png");
        let bytes = gzcm_plot::draw(&prepared, &Style::default(), "m.gzcm", Format::Png).unwrap();
        gzcm_plot::write(&out, &bytes, false).unwrap();
        assert!(matches!(gzcm_plot::write(&out, &bytes, false), Err(PlotError::Atomic(_))));
        assert_eq!(std::fs::read(&out).unwrap(), bytes);
    }
}

mod errors {
    use super::*;

    #[test]
    fn bad_requests_are_typed_errors() {
        let (_dir, path) = single();
        assert!(matches!(prepare(&path, &request(Some("chr9"), 50)), Err(PlotError::Region(_))));
        assert!(matches!(prepare(&path, &request(Some("chr1:30k-10k"), 50)), Err(PlotError::Region(_))));
        assert!(matches!(prepare(&path, &request(Some("chr2-chr1"), 50)), Err(PlotError::Region(_))));
        let mut trans = request(Some("chr1-chr2"), 50);
        trans.oe = true;
        assert!(matches!(prepare(&path, &trans), Err(PlotError::ObservedExpected(_))));
        let mut unknown = request(None, 50);
        unknown.balance = Some("KR".to_owned());
        let err = prepare(&path, &unknown).unwrap_err();
        assert!(
            err.to_string().contains("no weight vector `KR`") && err.to_string().contains("weight"),
            "{err}"
        );
        assert!(matches!(Colormap::by_name("jet"), Err(PlotError::UnknownColormap { .. })));
        assert!(matches!(Format::for_path(Path::new("x.jpg")), Err(PlotError::BadOutput { .. })));
        assert!(matches!(Format::for_path(Path::new("x")), Err(PlotError::BadOutput { .. })));
        assert_eq!(Format::for_path(Path::new("x.SVG")).unwrap(), Format::Svg);
        assert!(matches!(Style { size: 10, ..Style::default() }.check(), Err(PlotError::BadSize { .. })));
        for pixels in [0, 5000] {
            assert!(
                matches!(prepare(&path, &request(None, pixels)), Err(PlotError::BadSize { .. })),
                "{pixels}"
            );
        }
        assert!(matches!(
            data::open_for(GzcmFile::open(&path).unwrap(), Some(5000), &request(None, 50)),
            Err(PlotError::Container(_))
        ));
    }
}

mod resolutions {
    use super::*;

    /// A collection of the map at 1 kb, 2 kb and 4 kb (80, 40 and 20 bins).
    fn collection() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("multi.gzcm");
        let mut writer = CollectionWriter::create(&path, false).unwrap();
        for resolution in [1000, 2000, 4000] {
            let member = dir.path().join(format!("{resolution}.gzcm"));
            write_map(&member, resolution);
            writer.add(resolution, &member).unwrap();
        }
        writer.finish().unwrap();
        (dir, path)
    }

    #[test]
    fn an_overview_reads_the_coarsest_resolution_with_a_bin_per_pixel() {
        let (_dir, path) = collection();
        let pick = |range: Option<&str>, pixels| prepare(&path, &request(range, pixels)).unwrap();
        assert_eq!(pick(None, 30).resolution, Some(2000), "40 bins ≥ 30 pixels; 20 are too few");
        assert_eq!(pick(None, 20).resolution, Some(4000));
        assert_eq!(pick(None, 500).resolution, Some(1000), "none has enough: the finest");
        assert_eq!(pick(Some("chr1:0-10k"), 5).resolution, Some(2000));
        let coarse = pick(None, 10);
        assert_eq!((coarse.resolution, coarse.rows.step, coarse.values.dim()), (Some(4000), 2, (10, 10)));
        let asked = request(None, 30);
        let fixed = data::open_for(GzcmFile::open(&path).unwrap(), Some(1000), &asked).unwrap();
        assert_eq!(fixed.resolution(), Some(1000), "--resolution wins");
    }
}
