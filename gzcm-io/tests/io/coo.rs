use gzcm_core::Dtype;
use gzcm_io::{
    CooOptions, CooSource, LineFault, MatrixSource, OpenOptions, Order, Shape, SourceError, ValueFault,
};

use crate::util::{collect_u32, gzip, open, write};

const UPPER: &str = "0\t0\t5\n0\t2\t1\n1 1 3\n# a comment\n\n2   2   7\n";

#[test]
fn upper_triangle_is_inferred_symmetric_and_square() {
    let dir = tempfile::tempdir().unwrap();
    let source = open(&write(dir.path(), "m.tsv", UPPER.as_bytes()), OpenOptions::default()).unwrap();
    let info = source.info();
    assert_eq!((info.shape, info.symmetric, info.dtype), (Shape::square(3), true, Dtype::U32));
    assert_eq!(info.order, Order::RowMajor);
    assert_eq!(collect_u32(&source).unwrap(), vec![(0, 0, 5), (0, 2, 1), (1, 1, 3), (2, 2, 7)]);
}

#[test]
fn gzip_single_and_multi_member_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let plain = open(&write(dir.path(), "m.tsv", UPPER.as_bytes()), OpenOptions::default()).unwrap();
    for (name, split) in [("one.tsv.gz", false), ("two.tsv.gz", true)] {
        let gz =
            open(&write(dir.path(), name, &gzip(UPPER.as_bytes(), split)), OpenOptions::default()).unwrap();
        assert_eq!(collect_u32(&gz).unwrap(), collect_u32(&plain).unwrap(), "{name}");
    }
}

#[test]
fn rectangular_input_is_not_symmetric() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "inter.tsv", b"0\t5\t1\n3\t1\t2\n");
    let source = open(&path, OpenOptions::default()).unwrap();
    assert_eq!((source.info().shape, source.info().symmetric), (Shape::new(4, 6), false));
    assert_eq!(collect_u32(&source).unwrap(), vec![(0, 5, 1), (3, 1, 2)]);
    let declared = OpenOptions { shape: Some(Shape::new(206, 622)), symmetric: None };
    let source = CooSource::open(&path, CooOptions { shape: declared.shape, symmetric: None }).unwrap();
    assert!(source.scan().is_none(), "a non-square shape needs no pre-scan");
    assert_eq!(source.info().shape, Shape::new(206, 622));
}

#[test]
fn one_pass_mode_skips_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "m.tsv", UPPER.as_bytes());
    let options = CooOptions { shape: Some(Shape::square(10)), symmetric: Some(true) };
    let source = CooSource::open(&path, options).unwrap();
    assert!(source.scan().is_none());
    assert_eq!(source.info().order, Order::Unsorted);
    let source = MatrixSource::Coo(source);
    assert_eq!(collect_u32(&source).unwrap().len(), 4);
}

#[test]
fn float_values_suggest_float32_and_refuse_uint32() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "kr.tsv", b"0 0 1.5\n0 1 2\n");
    let source = open(&path, OpenOptions::default()).unwrap();
    assert_eq!(source.info().dtype, Dtype::F32);
    let floats: Vec<f32> = source.triples::<f32>().unwrap().map(|t| t.unwrap().value).collect();
    assert_eq!(floats, vec![1.5, 2.0]);
    match collect_u32(&source) {
        Err(SourceError::Line { line: 1, fault: LineFault::Value { fault, .. }, .. }) => {
            assert_eq!(fault, ValueFault::NotAnInteger(Dtype::U32));
        }
        other => panic!("{other:?}"),
    }
}

/// The error a one-pass read of `text` (3×3, given symmetry) ends with.
fn stream_error(text: &str, symmetric: bool) -> SourceError {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.tsv", text.as_bytes());
    let options = OpenOptions { shape: Some(Shape::square(3)), symmetric: Some(symmetric) };
    let source = open(&path, options).unwrap();
    collect_u32(&source).unwrap_err()
}

#[test]
fn malformed_lines_name_line_and_fault() {
    let cases: [(&str, bool, u64, LineFault); 6] = [
        ("0 0 1\n0 1\n", true, 2, LineFault::MissingColumn { found: 2 }),
        ("0 0 1\n\n0 x 2\n", true, 3, LineFault::BadBin { column: "bin2", text: "x".into() }),
        (
            "0 0 -4\n",
            true,
            1,
            LineFault::Value { text: "-4".into(), fault: ValueFault::Negative(Dtype::U32) },
        ),
        ("0 0 abc\n", true, 1, LineFault::Value { text: "abc".into(), fault: ValueFault::NotANumber }),
        ("0 3 1\n", true, 1, LineFault::BinOutOfRange { column: "bin2", bin: 3, limit: 3 }),
        ("0 0 1\n2 1 1\n", true, 2, LineFault::LowerTriangle { bin1: 2, bin2: 1 }),
    ];
    for (text, symmetric, want_line, want_fault) in cases {
        match stream_error(text, symmetric) {
            SourceError::Line { line, fault, .. } => {
                assert_eq!((line, &fault), (want_line, &want_fault), "{text:?}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
    let message = stream_error("0 0 1\n0 1\n", true).to_string();
    assert!(message.ends_with("bad.tsv:2: expected 3 columns `bin1 bin2 value`, found 2"), "{message}");
}

#[test]
fn the_prescan_reports_malformed_lines_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.tsv", b"0 0 1\n1 1 1 1\n");
    match open(&path, OpenOptions::default()) {
        Err(SourceError::Line { line: 2, fault: LineFault::ExtraColumn { found: 4 }, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn empty_and_missing_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.tsv", b"# nothing\n");
    assert!(matches!(open(&empty, OpenOptions::default()), Err(SourceError::Empty { .. })));
    let missing = dir.path().join("missing.tsv");
    let error = open(&missing, OpenOptions::default()).unwrap_err();
    assert!(matches!(error, SourceError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("missing.tsv"));
}

#[test]
fn declaring_a_rectangle_symmetric_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "m.tsv", UPPER.as_bytes());
    let options = OpenOptions { shape: Some(Shape::new(3, 4)), symmetric: Some(true) };
    assert!(matches!(open(&path, options), Err(SourceError::BadShape { .. })));
}

#[test]
fn explicit_zeros_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "z.tsv", b"0 0 0\n0 1 2\n");
    let source = open(&path, OpenOptions::default()).unwrap();
    assert_eq!(collect_u32(&source).unwrap(), vec![(0, 1, 2)]);
}
