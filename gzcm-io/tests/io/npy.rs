use gzcm_core::Dtype;
use gzcm_io::sink::write_npy;
use gzcm_io::{MatrixSource, NpyFault, OpenOptions, Shape, SourceError, ValueFault};
use ndarray::array;

use crate::util::{collect_u32, open, write};

/// A `.npy` file of format `version` with the given header fields and raw data.
fn npy(version: u8, descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
    let fortran = if fortran { "True" } else { "False" };
    let dict = format!("{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}\n");
    let mut bytes = b"\x93NUMPY".to_vec();
    bytes.extend([version, 0]);
    match version {
        1 => bytes.extend(u16::try_from(dict.len()).unwrap().to_le_bytes()),
        _ => bytes.extend(u32::try_from(dict.len()).unwrap().to_le_bytes()),
    }
    bytes.extend(dict.as_bytes());
    bytes.extend(data);
    bytes
}

fn le<T: Copy, const N: usize>(values: &[T], to: fn(T) -> [u8; N]) -> Vec<u8> {
    values.iter().flat_map(|&v| to(v)).collect()
}

/// A symmetric 3×3 matrix.
const SYM: [f64; 9] = [1.0, 2.0, 0.0, 2.0, 0.0, 4.0, 0.0, 4.0, 5.0];
const SYM_UPPER: [(u32, u32, u32); 4] = [(0, 0, 1), (0, 1, 2), (1, 2, 4), (2, 2, 5)];

#[test]
fn every_dtype_and_version_reads_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let datas: [(&str, Vec<u8>); 6] = [
        ("<f4", le(&SYM.map(|v| v as f32), f32::to_le_bytes)),
        ("<f8", le(&SYM, f64::to_le_bytes)),
        ("<i4", le(&SYM.map(|v| v as i32), i32::to_le_bytes)),
        ("<i8", le(&SYM.map(|v| v as i64), i64::to_le_bytes)),
        ("<u4", le(&SYM.map(|v| v as u32), u32::to_le_bytes)),
        ("<u8", le(&SYM.map(|v| v as u64), u64::to_le_bytes)),
    ];
    for (descr, data) in datas {
        for version in 1..=3 {
            let name = format!("m{version}{}.npy", &descr[1..]);
            let path = write(dir.path(), &name, &npy(version, descr, false, "(3, 3)", &data));
            let source = open(&path, OpenOptions::default()).unwrap();
            let info = source.info();
            assert_eq!((info.shape, info.symmetric), (Shape::square(3), true), "{name}");
            let want = if descr.starts_with("<f") { Dtype::F32 } else { Dtype::U32 };
            assert_eq!(info.dtype, want, "{name}");
            assert_eq!(collect_u32(&source).unwrap(), SYM_UPPER, "{name}");
        }
    }
}

#[test]
fn zstd_compressed_reads_like_plain() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = npy(1, "<f4", false, "(3, 3)", &le(&SYM.map(|v| v as f32), f32::to_le_bytes));
    let path = write(dir.path(), "m.npy.zst", &zstd::encode_all(&bytes[..], 3).unwrap());
    let source = open(&path, OpenOptions::default()).unwrap();
    assert!(source.info().symmetric);
    assert_eq!(collect_u32(&source).unwrap(), SYM_UPPER);
}

#[test]
fn non_symmetric_square_is_inferred_full() {
    let dir = tempfile::tempdir().unwrap();
    let data = le(&[1u32, 2, 3, 4], u32::to_le_bytes);
    let path = write(dir.path(), "m.npy", &npy(1, "<u4", false, "(2, 2)", &data));
    let source = open(&path, OpenOptions::default()).unwrap();
    assert!(!source.info().symmetric);
    assert_eq!(collect_u32(&source).unwrap(), vec![(0, 0, 1), (0, 1, 2), (1, 0, 3), (1, 1, 4)]);
    // Declared symmetric, the stream checks and refuses at its end.
    let declared = OpenOptions { shape: None, symmetric: Some(true) };
    let error = collect_u32(&open(&path, declared).unwrap()).unwrap_err();
    assert!(matches!(error, SourceError::NotSymmetric { .. }), "{error:?}");
}

#[test]
fn rectangular_reads_every_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    write_npy(&mut bytes, array![[0.5f32, 0.0, 1.0], [0.0, 2.0, 0.0]].view()).unwrap();
    let path = write(dir.path(), "r.npy", &bytes);
    let source = open(&path, OpenOptions::default()).unwrap();
    assert_eq!((source.info().shape, source.info().symmetric), (Shape::new(2, 3), false));
    let cells: Vec<(u32, u32, f32)> =
        source.triples::<f32>().unwrap().map(|t| t.map(|t| (t.row, t.col, t.value)).unwrap()).collect();
    assert_eq!(cells, vec![(0, 0, 0.5), (0, 2, 1.0), (1, 1, 2.0)]);
    let error = collect_u32(&source).unwrap_err();
    match error {
        SourceError::Cell { row: 0, col: 0, fault: ValueFault::NotAnInteger(Dtype::U32), .. } => {}
        other => panic!("{other:?}"),
    }
}

fn npy_fault(bytes: &[u8], name: &str) -> NpyFault {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, bytes);
    let result = open(&path, OpenOptions::default()).and_then(|s| collect_u32(&s));
    match result {
        Err(SourceError::Npy { fault, .. }) => fault,
        other => panic!("{other:?}"),
    }
}

#[test]
fn headers_are_validated_before_use() {
    let four = le(&[1u32, 0, 0, 1], u32::to_le_bytes);
    assert_eq!(npy_fault(&npy(1, "<u4", true, "(2, 2)", &four), "f.npy"), NpyFault::FortranOrder);
    assert_eq!(npy_fault(&npy(1, "<u4", false, "(4,)", &four), "d.npy"), NpyFault::NotTwoDimensional(1));
    assert_eq!(
        npy_fault(&npy(1, ">u4", false, "(2, 2)", &four), "b.npy"),
        NpyFault::UnsupportedDtype(">u4".into())
    );
    assert_eq!(
        npy_fault(&npy(1, "<u4", false, "(2, 2)", &four[..12]), "short.npy"),
        NpyFault::SizeMismatch { expected: 16, found: 12 }
    );
    assert_eq!(
        npy_fault(&npy(1, "<u4", false, "(2, 2)", &[four.clone(), vec![0; 3]].concat()), "long.npy"),
        NpyFault::SizeMismatch { expected: 16, found: 19 }
    );
    // A huge shape in a small file: refused by the size check, nothing allocated from it.
    assert_eq!(
        npy_fault(&npy(1, "<f8", false, "(1000000, 1000000)", &four), "huge.npy"),
        NpyFault::SizeMismatch { expected: 8_000_000_000_000, found: 16 }
    );
    assert_eq!(
        npy_fault(&npy(1, "<f8", false, "(4000000000, 4000000000)", &four), "overflow.npy"),
        NpyFault::DataTooLarge { rows: 4_000_000_000, cols: 4_000_000_000, itemsize: 8 }
    );
}

#[test]
fn compressed_files_are_size_checked_while_streaming() {
    let four = le(&[1u32, 0, 0, 1], u32::to_le_bytes);
    let zst = |bytes: Vec<u8>| zstd::encode_all(&bytes[..], 1).unwrap();
    assert_eq!(
        npy_fault(&zst(npy(1, "<u4", false, "(2, 2)", &four[..10])), "short.npy.zst"),
        NpyFault::SizeMismatch { expected: 16, found: 10 }
    );
    assert_eq!(
        npy_fault(&zst(npy(1, "<u4", false, "(2, 3)", &four)), "short2.npy.zst"),
        NpyFault::SizeMismatch { expected: 24, found: 16 }
    );
    // A compressed header promising a huge matrix is refused at open, before any data is read.
    let fault = npy_fault(&zst(npy(1, "<u4", false, "(300000000, 300000000)", &four)), "huge.npy.zst");
    assert!(matches!(fault, NpyFault::Expansion { max: gzcm_io::MAX_NPY_EXPANSION, .. }), "{fault:?}");
}

#[test]
fn a_compressed_bomb_is_refused_at_open_not_streamed() {
    // 8,192² float32 zeros: 256 MiB of data in a few KiB of zstd, the shape of a bomb that
    // would otherwise stream for as long as its header says.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.npy.zst");
    let header = npy(1, "<f4", false, "(8192, 8192)", &[]);
    let mut encoder = zstd::Encoder::new(std::fs::File::create(&path).unwrap(), 3).unwrap();
    std::io::Write::write_all(&mut encoder, &header).unwrap();
    std::io::copy(&mut std::io::Read::take(std::io::repeat(0), 8192 * 8192 * 4), &mut encoder).unwrap();
    encoder.finish().unwrap();
    let compressed = std::fs::metadata(&path).unwrap().len();
    assert!(compressed < 64 << 10, "{compressed}");
    let started = std::time::Instant::now();
    let Err(SourceError::Npy { fault, .. }) = open(&path, OpenOptions::default()) else {
        panic!("the bomb was accepted");
    };
    assert!(
        matches!(fault, NpyFault::Expansion { claimed: 268_435_456, ratio, .. } if ratio > 4096),
        "{fault:?}"
    );
    assert!(fault.to_string().contains("claims 268435456 bytes"), "{fault}");
    // Refused from the header: nothing of the 256 MiB was decompressed (a generous bound).
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
}

#[test]
fn values_that_do_not_fit_name_their_cell() {
    let dir = tempfile::tempdir().unwrap();
    let data = le(&[1i64, 0, 0, -7], i64::to_le_bytes);
    let path = write(dir.path(), "neg.npy", &npy(1, "<i8", false, "(2, 2)", &data));
    let source = open(&path, OpenOptions::default()).unwrap();
    let error = collect_u32(&source).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{}: cell (1, 1): negative, but uint32 holds only non-negative counts", path.display())
    );
    let data = le(&[1u64 << 30, 0, 0, 1], u64::to_le_bytes);
    let path = write(dir.path(), "big.npy", &npy(1, "<u8", false, "(2, 2)", &data));
    let source = MatrixSource::open(path.to_str().unwrap(), OpenOptions::default()).unwrap();
    let error = source.triples::<f32>().unwrap().find_map(Result::err).unwrap();
    assert!(matches!(error, SourceError::Cell { fault: ValueFault::Inexact(Dtype::F32), .. }));
}
