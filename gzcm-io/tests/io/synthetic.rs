use std::time::{Duration, Instant};

use gzcm_io::{MatrixSource, OpenOptions, SyntheticMap, SyntheticParams};

fn map(spec: &str) -> SyntheticMap {
    SyntheticMap::from_spec(spec).unwrap()
}

#[test]
fn same_seed_same_map_other_seed_other_map() {
    let a: Vec<_> = (0..200).map(|i| map("synthetic:1000:seed=3").row(i)).collect();
    let b: Vec<_> = (0..200).map(|i| map("synthetic:1000:seed=3").row(i)).collect();
    let c: Vec<_> = (0..200).map(|i| map("synthetic:1000:seed=4").row(i)).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
    // Rows have their own random streams: drawing them out of order changes nothing.
    let m = map("synthetic:1000:seed=3");
    assert_eq!(m.row(150), a[150]);
}

#[test]
fn stream_is_sorted_upper_triangle_of_a_symmetric_map() {
    let source = MatrixSource::open("synthetic:500:seed=9", OpenOptions::default()).unwrap();
    let info = source.info().clone();
    assert!(info.symmetric && info.shape.is_square());
    let mut previous = None;
    let mut nnz = 0;
    for triple in source.triples::<u32>().unwrap() {
        let t = triple.unwrap();
        assert!(t.row <= t.col && t.col < 500 && t.value > 0);
        assert!(previous < Some((t.row, t.col)), "not strictly row-major");
        previous = Some((t.row, t.col));
        nnz += 1;
    }
    assert!(nnz > 500 * 50, "too sparse: {nnz}");
}

#[test]
fn contacts_decay_with_distance() {
    let m = map("synthetic:2000:seed=1:compartments=0");
    let mut sums = [0u64; 4];
    let bands = [(1, 2), (10, 20), (100, 200), (1000, 2000)];
    for i in 0..1000 {
        for (j, count) in m.row(i) {
            let d = j - i;
            for (band, &(lo, hi)) in bands.iter().enumerate() {
                if (lo..hi).contains(&d) {
                    sums[band] += u64::from(count);
                }
            }
        }
    }
    // Mean count per cell in each band falls roughly as 1/d.
    let means: Vec<f64> =
        sums.iter().zip(bands).map(|(&s, (lo, hi))| s as f64 / (1000.0 * f64::from(hi - lo))).collect();
    for pair in means.windows(2) {
        assert!(pair[0] > 3.0 * pair[1], "no decay: {means:?}");
    }
}

#[test]
fn masked_bins_are_empty_and_regions_mirror() {
    let m = map("synthetic:600:seed=5:masked=0.05");
    let dense = m.window(0..600, 0..600);
    let empty_rows = (0..600).filter(|&i| dense.row(i).iter().all(|&v| v == 0)).count();
    assert!(empty_rows >= 10, "{empty_rows} empty rows");
    assert_eq!(dense, dense.t());
    let part = m.window(100..180, 50..300);
    assert_eq!(part, dense.slice(ndarray::s![100..180, 50..300]));
}

#[test]
fn tads_enrich_contacts_inside_domains() {
    let with = map("synthetic:2000:seed=2:tad=4:compartments=0:masked=0");
    let without = map("synthetic:2000:seed=2:tad=1:compartments=0:masked=0");
    let near = |m: &SyntheticMap| -> u64 {
        (0..500).flat_map(|i| m.row(i)).filter(|&(j, _)| j < 10_000).map(|(_, c)| u64::from(c)).sum()
    };
    assert!(near(&with) > near(&without) * 3 / 2);
}

#[test]
fn a_200k_map_streams_its_first_rows_quickly() {
    let start = Instant::now();
    let m = SyntheticMap::new(SyntheticParams::parse("synthetic:200k:seed=7").unwrap());
    let nnz: usize = (0..20).map(|i| m.row(i).len()).sum();
    let per_row = nnz / 20;
    assert!((100..2000).contains(&per_row), "{per_row} non-zero cells per row");
    assert!(m.row(199_999).iter().all(|&(j, _)| j == 199_999));
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
}
