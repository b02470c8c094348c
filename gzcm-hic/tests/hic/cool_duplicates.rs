//! Cooler files whose pixels or weights cooler itself tolerates but that the reader used to
//! mangle silently: duplicate pixels are summed (as cooler sums them) and counted, and a weight
//! column that is not one value per bin is refused by name. The fixtures are written directly
//! with `hdf5-pure` because gzcm's own cooler writer refuses to produce them.

use std::path::Path;

use gzcm_hic::{HicError, OpenOptions, Pixel, WeightSelection, open};
use hdf5_pure::{AttrValue, FileBuilder};

/// One chromosome of 40 bp in 10 bp bins (4 bins), symmetric-upper, with the given pixels
/// (sorted by `bin1`, any `bin2` order) and a `weight` column of `weights` values.
fn write_cool(path: &Path, pixels: &[(i64, i64, i32)], weights: usize) {
    let mut builder = FileBuilder::new();
    builder.set_attr("format", AttrValue::VarLenString("HDF5::Cooler".into()));
    builder.set_attr("format-version", AttrValue::I64(3));
    builder.set_attr("bin-type", AttrValue::VarLenString("fixed".into()));
    builder.set_attr("bin-size", AttrValue::I64(10));
    builder.set_attr("storage-mode", AttrValue::VarLenString("symmetric-upper".into()));

    let mut chroms = builder.create_group("chroms");
    chroms.create_dataset("name").with_ascii_strings(&["c1"]).unwrap();
    chroms.create_dataset("length").with_i32_data(&[40]);
    builder.add_group(chroms.finish());

    let mut bins = builder.create_group("bins");
    bins.create_dataset("chrom").with_i32_data(&[0, 0, 0, 0]);
    bins.create_dataset("start").with_i32_data(&[0, 10, 20, 30]);
    bins.create_dataset("end").with_i32_data(&[10, 20, 30, 40]);
    bins.create_dataset("weight").with_f64_data(&vec![0.5; weights]);
    builder.add_group(bins.finish());

    let mut group = builder.create_group("pixels");
    let bin1: Vec<i64> = pixels.iter().map(|p| p.0).collect();
    let bin2: Vec<i64> = pixels.iter().map(|p| p.1).collect();
    let count: Vec<i32> = pixels.iter().map(|p| p.2).collect();
    group.create_dataset("bin1_id").with_i64_data(&bin1);
    group.create_dataset("bin2_id").with_i64_data(&bin2);
    group.create_dataset("count").with_i32_data(&count);
    builder.add_group(group.finish());

    let mut offsets = vec![0i64; 5];
    for &(b1, _, _) in pixels {
        for offset in &mut offsets[(b1 as usize + 1)..] {
            *offset += 1;
        }
    }
    let mut indexes = builder.create_group("indexes");
    indexes.create_dataset("chrom_offset").with_i64_data(&[0, 4]);
    indexes.create_dataset("bin1_offset").with_i64_data(&offsets);
    builder.add_group(indexes.finish());
    builder.write(path).unwrap();
}

fn read(path: &Path) -> (Vec<Pixel>, u64) {
    let options = OpenOptions { weights: WeightSelection::All, ..OpenOptions::default() };
    let mut source = open(&path.display().to_string(), &options).unwrap();
    let pixels = source.pixels().unwrap().map(Result::unwrap).collect();
    (pixels, source.duplicates_summed())
}

#[test]
fn duplicate_pixels_are_summed_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.cool");
    // Row 0: (0, 2) three times, not adjacent, with different counts; row 2: (2, 3) twice.
    let pixels = [(0, 2, 5), (0, 0, 1), (0, 2, 7), (0, 2, 1), (1, 1, 4), (2, 3, 2), (2, 3, 2)];
    write_cool(&path, &pixels, 4);
    let (read, duplicates) = read(&path);
    let cells: Vec<(u64, u64, f64)> = read.iter().map(|p| (p.bin1, p.bin2, p.count)).collect();
    assert_eq!(cells, [(0, 0, 1.0), (0, 2, 13.0), (1, 1, 4.0), (2, 3, 4.0)]);
    assert_eq!(duplicates, 3);
}

#[test]
fn a_weight_column_that_is_not_one_value_per_bin_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    for len in [5, 3] {
        let path = dir.path().join(format!("w{len}.cool"));
        write_cool(&path, &[(0, 1, 1)], len);
        let options = OpenOptions { weights: WeightSelection::All, ..OpenOptions::default() };
        let Err(err) = open(&path.display().to_string(), &options) else { panic!("{len} weights accepted") };
        assert!(
            matches!(&err, HicError::WeightLength { name, len: l, bins: 4, .. } if name == "weight" && *l == len as u64),
            "{err}"
        );
        assert!(err.to_string().contains(&format!("bins/weight has {len} values for 4 bins")), "{err}");
    }
}
