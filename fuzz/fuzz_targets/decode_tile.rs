//! Every built-in codec's decoder on arbitrary payloads, with arbitrary dtypes and expected
//! shapes. Byte 0: codec (low 6 bits, index into the sorted names), 0x40 = shape unknown,
//! 0x80 = float32; bytes 1, 2: rows − 1, cols − 1; the rest is the stored tile.
#![no_main]

mod common;

use gzcm_core::{CodecHandle, Dtype, EncodeOptions, TileShape};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [codec, rows, cols, stored @ ..] = data else {
        return;
    };
    let registry = common::registry();
    let names = registry.names();
    let name = &names[usize::from(codec & 0x3f) % names.len()];
    let Ok(descriptor) = registry.get(name) else {
        return;
    };
    let Ok(handle) = CodecHandle::new(descriptor.clone(), &EncodeOptions::default()) else {
        return;
    };
    let dtype = if codec & 0x80 == 0 { Dtype::U32 } else { Dtype::F32 };
    // Shapes up to 256×256 (T = 256 is the default tile), also "unknown" (None).
    let shape = TileShape::new(u32::from(*rows) + 1, u32::from(*cols) + 1);
    let expected = (codec & 0x40 == 0).then_some(shape);
    let _ = handle.decode_stored(stored, dtype, expected);
});
