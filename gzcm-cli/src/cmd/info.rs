//! `gzcm info`: what a `.gzcm` file holds.

use std::path::{Path, PathBuf};

use clap::Args;
use gzcm::ShapeSource;
use gzcm_container::format::header::IndexArray;
use gzcm_container::{ContainerError, Info, Reader, ReaderOptions};
use gzcm_picker::{PickerRecord, RegionEntry};

use crate::cmd::info_genome;
use crate::out::{out, outln};
use crate::table::{Table, bytes};

/// Show a .gzcm file's header, the codecs it uses (with their recorded wire formats), its
/// tiles, sizes and compression ratio. Works even when a codec is missing from this program.
#[derive(Debug, Args)]
pub(crate) struct InfoArgs {
    /// The .gzcm file.
    file: PathBuf,
    /// Print the raw JSON header instead (with a `genome_summary` for files with genome data:
    /// assembly, resolution, bins, chromosomes, and each weight vector's non-NaN count).
    #[arg(long)]
    json: bool,
}

/// Opens a file for reading with the process-wide registry (the reader's default).
pub(crate) fn open_reader(path: &Path, allow_missing_codecs: bool) -> anyhow::Result<Reader> {
    let options = ReaderOptions::new().allow_missing_codecs(allow_missing_codecs);
    // Container errors already name the file: do not repeat it.
    crate::remote::open(path, options).map_err(|error| match error {
        ContainerError::Format { source, .. } => {
            anyhow::Error::new(source).context(format!("cannot open {}", path.display()))
        }
        error => anyhow::Error::new(error),
    })
}

/// Opens a local file at `resolution` (the rule of `gzcm_container::open_resolution`; also
/// `FILE::/resolutions/R`) for a whole-file computation: no tile cache, every tile is read once
/// per pass.
pub(crate) fn open_reader_at(path: &Path, resolution: Option<u64>) -> anyhow::Result<Reader> {
    let text = path.to_string_lossy();
    let (file, named) = gzcm_container::split_resolution(&text)?;
    let resolution = match (resolution, named) {
        (Some(a), Some(b)) if a != b => {
            anyhow::bail!("--resolution {a} contradicts `{text}`, which names {b}")
        }
        (a, b) => a.or(b),
    };
    let options = ReaderOptions::new().cache_bytes(0);
    Ok(gzcm_container::open_resolution(file, resolution, options)?)
}

pub(crate) fn run(args: &InfoArgs) -> anyhow::Result<()> {
    let reader = open_reader(&args.file, true)?;
    let info = reader.info();
    if args.json {
        let mut value = serde_json::to_value(&info.header)?;
        if let (Some(genome), Some(object)) = (reader.genome(), value.as_object_mut()) {
            object.insert("genome_summary".to_owned(), info_genome::json(genome));
        }
        outln!("{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    out!("{}", render(&args.file, &info))?;
    if let Some(genome) = reader.genome() {
        out!("\n{}", info_genome::lines(genome))?;
    }
    Ok(())
}

/// How the tile index and the payload framing are stored (docs/format.md entries 33–37).
fn index_description(index: &IndexArray) -> String {
    let size = bytes(index.stored_bytes());
    if !index.is_packed() {
        return format!("{size}, 32-byte records (SPEC §4); opaque payloads carry the 8-byte shape header");
    }
    match index.shape_source() {
        ShapeSource::Index => format!(
            "{size}, packed; opaque payloads without the shape header \
             (format revisions packed-index-1, bare-payloads-1)"
        ),
        ShapeSource::Header => format!(
            "{size}, packed; opaque payloads carry the 8-byte shape header \
             (format revision packed-index-1)"
        ),
    }
}

fn render(path: &Path, info: &Info) -> String {
    let matrix = &info.header.arrays.matrix;
    let (rows, cols) = info.shape;
    let storage = match (info.symmetric, info.version) {
        (false, _) => "full",
        (true, 1 | 2) => "symmetric, both triangles stored",
        (true, _) => "symmetric, upper triangle stored",
    };
    let mut out = String::new();
    let mut line = |key: &str, value: String| out.push_str(&format!("{key:<11}{value}\n"));
    line("file", format!("{} ({})", path.display(), bytes(info.file_bytes)));
    line("format", format!("gzcm version {}", info.version));
    line(
        "checksums",
        if info.checksums && info.version <= 2 {
            "crc32c of the header and of each block of the matrix (format revision integrity-1)".to_owned()
        } else if info.checksums {
            "crc32c of the header, the index and each tile (format revision integrity-1)".to_owned()
        } else {
            "none for header and index: the file predates format revision integrity-1 \
             (re-convert it to add them)"
                .to_owned()
        },
    );
    line("matrix", format!("{rows}×{cols} {} ({storage})", matrix.dtype));
    let order = matrix.tile_order.as_deref().unwrap_or("-");
    line(
        "tiles",
        format!(
            "{0}×{0} cells, grid {1}×{2}, {3} stored of {4}, order {order}",
            info.tile_size, info.tile_grid.0, info.tile_grid.1, info.tiles_stored, info.tiles_total
        ),
    );
    if let Some(index) = &info.header.arrays.tile_index {
        line("index", index_description(index));
    }
    if let Some(nnz) = info.nnz {
        line("nnz", format!("{nnz} non-zero cells stored"));
    }
    line(
        "sizes",
        format!(
            "{} file, {} payload, {} dense; ratio {:.1}×",
            bytes(info.file_bytes),
            bytes(info.payload_bytes),
            bytes(info.dense_bytes),
            info.ratio
        ),
    );
    let meta = &info.header.metadata;
    for (key, value) in [("source", &meta.source_file), ("writer", &meta.writer), ("region", &meta.region)] {
        if let Some(value) = value {
            line(key, value.clone());
        }
    }
    if let Some(resolution) = meta.resolution {
        line("binsize", format!("{resolution} bp"));
    }
    if let Some(count) = meta.duplicates_summed {
        line("duplicates", format!("summed {count} duplicate pixels into their cells, as cooler does"));
    }
    out.push('\n');
    if info.codecs.is_empty() {
        out.push_str("codecs    none (uncompressed tiles)\n");
    } else {
        out.push_str(&codec_table(info).render());
    }
    if !info.header.regions.is_empty() {
        out.push('\n');
        match info.header.regions.iter().map(RegionEntry::from_json).collect::<Result<Vec<_>, _>>() {
            Ok(regions) => out.push_str(&region_table(&regions).render()),
            // Regions this version cannot read are still shown, raw.
            Err(error) => {
                out.push_str(&format!("regions (unreadable: {error})\n"));
                for region in &info.header.regions {
                    out.push_str(&format!("  {region}\n"));
                }
            }
        }
    }
    if let Some(picker) = &info.header.codec_picker {
        out.push('\n');
        match PickerRecord::from_json(picker) {
            Ok(record) => out.push_str(&record.render_table()),
            // A record this version cannot read is still shown, raw.
            Err(error) => out.push_str(&format!("codec picker (unreadable: {error})\n  {picker}\n")),
        }
    }
    out
}

fn codec_table(info: &Info) -> Table {
    let mut table =
        Table::new(&["id", "codec", "wire", "tiles", "bytes", "bytes/tile", "available"], &[0, 3, 4, 5]);
    for codec in &info.codecs {
        let per_tile = codec.bytes.checked_div(codec.tiles).map_or_else(|| "-".to_owned(), |b| b.to_string());
        table.row(vec![
            codec.id.to_string(),
            codec.name.clone(),
            codec.wire.as_str().to_owned(),
            codec.tiles.to_string(),
            codec.bytes.to_string(),
            per_tile,
            if codec.available { "yes".to_owned() } else { "NO (cannot decode)".to_owned() },
        ]);
    }
    table
}

/// The header's `regions` (v4) as a table.
fn region_table(regions: &[RegionEntry]) -> Table {
    let mut table =
        Table::new(&["region", "name", "tiles", "tile rows", "tile cols", "nnz", "codec"], &[0, 2, 5]);
    let span = |[first, last]: [u32; 2]| format!("{first}..{last}");
    for region in regions {
        table.row(vec![
            region.id.to_string(),
            region.name.clone(),
            region.tiles.to_string(),
            span(region.extent_tiles.rows),
            span(region.extent_tiles.cols),
            region.nnz.to_string(),
            region.codec.clone(),
        ]);
    }
    table
}
