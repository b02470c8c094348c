//! Structure-aware `.hic` fuzzing: a valid file (one of the committed synthetic seeds, versions
//! 8 and 9) whose header and footer stay well-formed while the fuzzer rewrites the numbers the
//! reader trusts (footer position and size, chromosome lengths, resolutions, master index and
//! block index entries, zoom-level bin sizes and block counts), points block entries at each
//! other, and replaces blocks with its own zlib-compressed bytes. Everything must be a typed
//! error or data, never a panic, an abort or a huge allocation; the shared reader exercise in
//! `hic_source` reads the result the way `gzcm convert` does.
#![no_main]

mod common;
mod hic_source;

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use libfuzzer_sys::fuzz_target;

/// The valid files mutated (the synthetic files of `gzcm-hic/tests/juicer_synthetic.rs`).
const BASES: [&[u8]; 3] = [
    include_bytes!("../seeds/hic_file/v8-int.hic"),
    include_bytes!("../seeds/hic_file/v9-float.hic"),
    include_bytes!("../seeds/hic_file/v9-sequential.hic"),
];

/// The most edits one input applies.
const MAX_EDITS: usize = 16;

/// A number in the file: where it is and how many bytes it has (4 or 8, little-endian).
#[derive(Clone, Copy)]
struct Field {
    at: usize,
    width: usize,
}

/// One block index entry: where its position (8 bytes) and size (4 bytes) fields are.
#[derive(Clone, Copy)]
struct BlockEntry {
    position_at: usize,
    size_at: usize,
}

/// What of a base file the fuzzer may rewrite.
#[derive(Default)]
struct Layout {
    fields: Vec<Field>,
    blocks: Vec<BlockEntry>,
}

/// Little-endian reads of a known-good file (the bases are valid: a bad one is a bug here).
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn int(&mut self, width: usize) -> i64 {
        let mut buf = [0u8; 8];
        buf[..width].copy_from_slice(&self.bytes[self.pos..self.pos + width]);
        self.pos += width;
        if width == 4 {
            i64::from(i32::from_le_bytes(buf[..4].try_into().expect("4 bytes")))
        } else {
            i64::from_le_bytes(buf)
        }
    }
    fn field(&mut self, width: usize, layout: &mut Layout) -> i64 {
        layout.fields.push(Field { at: self.pos, width });
        self.int(width)
    }
    fn string(&mut self) {
        let nul = self.bytes[self.pos..].iter().position(|&b| b == 0).expect("NUL-terminated");
        self.pos += nul + 1;
    }
}

/// Finds the header's numbers, the footer's, and each matrix record's levels and blocks.
fn layout(bytes: &[u8]) -> Layout {
    let mut layout = Layout::default();
    let mut c = Cursor { bytes, pos: 4 };
    let v9 = c.int(4) >= 9;
    let long = if v9 { 8 } else { 4 };
    let footer = c.field(8, &mut layout) as usize;
    c.string();
    if v9 {
        c.field(8, &mut layout);
        c.field(8, &mut layout);
    }
    for _ in 0..c.field(4, &mut layout) {
        c.string();
        c.string();
    }
    for _ in 0..c.field(4, &mut layout) {
        c.string();
        c.field(long, &mut layout);
    }
    for _ in 0..c.field(4, &mut layout) {
        c.field(4, &mut layout);
    }
    c.pos = footer;
    c.field(long, &mut layout);
    let mut records = Vec::new();
    for _ in 0..c.field(4, &mut layout) {
        c.string();
        records.push(c.field(8, &mut layout) as usize);
        c.field(4, &mut layout);
    }
    for record in records {
        c.pos = record;
        c.field(4, &mut layout);
        c.field(4, &mut layout);
        for _ in 0..c.field(4, &mut layout) {
            c.string();
            c.pos += 5 * 4;
            for _ in 0..3 {
                c.field(4, &mut layout);
            }
            for _ in 0..c.field(4, &mut layout) {
                c.int(4);
                let position_at = c.pos;
                c.field(8, &mut layout);
                let size_at = c.pos;
                c.field(4, &mut layout);
                layout.blocks.push(BlockEntry { position_at, size_at });
            }
        }
    }
    layout
}

/// The fuzzer's bytes, read front to back (zeros once they run out).
struct Input<'a> {
    data: &'a [u8],
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let Some((&first, rest)) = self.data.split_first() else { return 0 };
        self.data = rest;
        first
    }
    fn u16(&mut self) -> usize {
        usize::from(u16::from_le_bytes([self.byte(), self.byte()]))
    }
    fn u64(&mut self) -> u64 {
        (0..8).fold(0, |v, i| v | u64::from(self.byte()) << (8 * i))
    }
    fn take(&mut self, n: usize) -> &[u8] {
        let (head, tail) = self.data.split_at(n.min(self.data.len()));
        self.data = tail;
        head
    }
}

fn write_int(bytes: &mut [u8], at: usize, width: usize, value: i64) {
    bytes[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
}

fn read_int(bytes: &[u8], at: usize, width: usize) -> i64 {
    Cursor { bytes, pos: at }.int(width)
}

/// The base chosen by the first byte, with the edits the rest describe.
fn mutate(data: &[u8]) -> Vec<u8> {
    let mut input = Input { data };
    let base = BASES[usize::from(input.byte()) % BASES.len()];
    let layout = layout(base);
    let mut bytes = base.to_vec();
    for _ in 0..MAX_EDITS {
        if input.data.is_empty() {
            break;
        }
        match input.byte() % 5 {
            // A number set to anything, or nudged (off-by-some is what damage usually does).
            0 | 1 => {
                let field = layout.fields[input.u16() % layout.fields.len()];
                let old = read_int(&bytes, field.at, field.width);
                let value = if input.byte().is_multiple_of(2) {
                    input.u64() as i64
                } else {
                    old.wrapping_add(i64::from(input.byte() as i8))
                };
                write_int(&mut bytes, field.at, field.width, value);
            }
            // One block entry made to point where another does (repeated or shared blocks).
            2 if !layout.blocks.is_empty() => {
                let from = layout.blocks[input.u16() % layout.blocks.len()];
                let to = layout.blocks[input.u16() % layout.blocks.len()];
                let position = read_int(&bytes, from.position_at, 8);
                let size = read_int(&bytes, from.size_at, 4);
                write_int(&mut bytes, to.position_at, 8, position);
                write_int(&mut bytes, to.size_at, 4, size);
            }
            // A block replaced by the fuzzer's bytes, compressed and appended to the file.
            3 if !layout.blocks.is_empty() => {
                let entry = layout.blocks[input.u16() % layout.blocks.len()];
                let len = input.u16() % 4096;
                let mut encoder = ZlibEncoder::new(Vec::new(), Compression::fast());
                encoder.write_all(input.take(len)).expect("compress in memory");
                let block = encoder.finish().expect("compress in memory");
                let end = bytes.len() as i64;
                write_int(&mut bytes, entry.position_at, 8, end);
                write_int(&mut bytes, entry.size_at, 4, block.len() as i64);
                bytes.extend(block);
            }
            // A byte anywhere, the unstructured damage.
            _ => {
                let at = input.u16() % bytes.len();
                bytes[at] = input.byte();
            }
        }
    }
    bytes
}

fuzz_target!(|data: &[u8]| {
    let bytes = mutate(data);
    let path = common::scratch_file("structured.hic", &bytes);
    hic_source::exercise(&path);
});
