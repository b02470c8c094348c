//! Atomic output: a dropped or failed writer leaves nothing; existing files are not clobbered.

use gzcm_container::{ContainerError, Writer};
use gzcm_core::Dtype;

use crate::support::{builder, entries, matrix, registry, scratch, write_coo};

#[test]
fn dropped_writer_leaves_no_output_and_no_temp_files() {
    for version in 1..=4 {
        let truth = matrix(Dtype::U32, 60, 60, true, 1);
        let (dir, path) = scratch("m.gzcm");
        let mut writer = builder(&path, &truth, true).version(version).tile_size(16).create().unwrap();
        // Cross a band so the scratch file holds tiles.
        writer.push(0, 1, 5u32).unwrap();
        writer.push(40, 41, 5u32).unwrap();
        drop(writer);
        assert!(entries(dir.path()).is_empty(), "v{version}: {:?}", entries(dir.path()));
    }
}

#[test]
fn dropped_unsorted_writer_removes_its_runs() {
    let (dir, path) = scratch("m.gzcm");
    let mut writer = Writer::builder(&path, 100, 100)
        .tile_size(16)
        .registry(registry())
        .spill_cells(4)
        .create_unsorted()
        .unwrap();
    for k in 0..20 {
        writer.push(99 - k, k, 1u32).unwrap();
    }
    assert!(writer.runs() >= 4);
    drop(writer);
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn failed_writer_leaves_nothing() {
    let (dir, path) = scratch("m.gzcm");
    let mut writer = Writer::builder(&path, 40, 40).tile_size(16).registry(registry()).create().unwrap();
    writer.push(20, 0, 1u32).unwrap();
    assert!(matches!(writer.push(3, 0, 1u32), Err(ContainerError::UnsortedInput { row: 3, previous: 20 })));
    drop(writer);
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn existing_output_is_not_clobbered_without_overwrite() {
    let truth = matrix(Dtype::U32, 40, 40, false, 2);
    let (dir, path) = scratch("m.gzcm");
    std::fs::write(&path, b"precious").unwrap();
    let err = builder(&path, &truth, false).create().unwrap_err();
    assert!(matches!(err, ContainerError::OutputExists { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");
    write_coo(builder(&path, &truth, false).tile_size(16).overwrite(true), &truth, false);
    assert_eq!(crate::support::open(&path, 0).window(0..40, 0..40).unwrap(), truth);
    assert_eq!(entries(dir.path()), ["m.gzcm"]);
}

#[test]
fn finished_writer_leaves_only_the_output() {
    let truth = matrix(Dtype::F32, 70, 70, true, 3);
    let (dir, path) = scratch("m.gzcm");
    write_coo(builder(&path, &truth, true).tile_size(16), &truth, true);
    assert_eq!(entries(dir.path()), ["m.gzcm"]);
}

/// A codec whose encoder panics (the writer encodes on the rayon pool).
#[gzcm_core::codec(name = "test.panics", wire = Opaque, crate = ::gzcm_core)]
struct Panics;

impl gzcm_core::codec::Codec for Panics {
    fn with_options(_: &gzcm_core::EncodeOptions) -> Result<Self, gzcm_core::CodecError> {
        Ok(Panics)
    }
}

impl gzcm_core::codec::TileEncoder for Panics {
    fn encode(
        &self,
        _: gzcm_core::TileView<'_>,
        _: &gzcm_core::TileContext,
        _: &mut Vec<u8>,
    ) -> Result<(), gzcm_core::CodecError> {
        panic!("this codec panics on purpose");
    }
}

impl gzcm_core::codec::TileDecoder for Panics {
    fn decode(
        &self,
        _: &[u8],
        _: gzcm_core::TileShape,
        _: Dtype,
    ) -> Result<gzcm_core::TileData, gzcm_core::CodecError> {
        panic!("never decoded");
    }
}

#[test]
fn a_codec_that_panics_panics_on_the_writers_thread_and_leaves_nothing() {
    let (dir, path) = scratch("m.gzcm");
    let outcome = std::panic::catch_unwind(|| {
        let mut writer = Writer::builder(&path, 200, 200).tile_size(16).typed_codec(Panics).create().unwrap();
        for i in 0..200 {
            writer.push(i, i, 1u32).unwrap();
        }
        writer.finish()
    });
    let panic = outcome.expect_err("the codec's panic reaches the caller");
    let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
    assert_eq!(message, "this codec panics on purpose");
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}
