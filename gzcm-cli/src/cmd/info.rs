//! `gzcm info`: what a `.gzcm` file holds.

use std::path::Path;

use clap::Args;
use gzcm::ShapeSource;
use gzcm_container::format::header::IndexArray;
use gzcm_container::{Collection, GzcmFile, Info};
use gzcm_picker::{PickerRecord, RegionEntry};

use crate::cmd::info_genome;
use crate::file_arg::{FileAt, presented};
use crate::out::{out, outln};
use crate::table::{Table, bytes};

/// Show a .gzcm file's header, the codecs it uses (with their recorded wire formats), its
/// tiles, sizes and compression ratio. Works even when a codec is missing from this program.
///
/// For a multi-resolution file, without a resolution: its resolutions (bins, tiles, bytes and
/// weight vectors of each); with `--resolution R` (or `FILE::/resolutions/R`): that one, as for
/// a single-resolution file.
#[derive(Debug, Args)]
pub(crate) struct InfoArgs {
    #[command(flatten)]
    at: FileAt,
    /// Print the raw JSON header instead (with a `genome_summary` for files with genome data:
    /// assembly, resolution, bins, chromosomes, and each weight vector's non-NaN count).
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &InfoArgs) -> anyhow::Result<()> {
    let reader = match args.at.file(true)? {
        (GzcmFile::Multi(collection), None) => return run_collection(args, &collection),
        (file, resolution) => file.into_reader(resolution).map_err(|e| presented(&args.at.file, e))?,
    };
    let info = reader.info();
    if args.json {
        let mut value = serde_json::to_value(&info.header)?;
        if let (Some(genome), Some(object)) = (reader.genome(), value.as_object_mut()) {
            object.insert("genome_summary".to_owned(), info_genome::json(genome));
        }
        outln!("{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    out!("{}", render(&args.at.file, &info))?;
    if let Some(genome) = reader.genome() {
        out!("\n{}", info_genome::lines(genome))?;
        if let Some(line) = info_genome::expected_line(genome, reader.stored_expected()) {
            out!("{line}")?;
        }
    }
    Ok(())
}

/// `gzcm info` of a multi-resolution file read without a resolution: its table, and a line per
/// resolution; `--json`: the collection header with each member's header under `members`.
fn run_collection(args: &InfoArgs, collection: &Collection) -> anyhow::Result<()> {
    let mut members = Vec::with_capacity(collection.resolutions().len());
    for &resolution in collection.resolutions() {
        let reader = collection.reader(resolution).map_err(|e| presented(&args.at.file, e))?;
        members.push((resolution, reader.info(), reader.weight_names().join(", ")));
    }
    if args.json {
        let mut value = serde_json::to_value(collection.header())?;
        let headers: serde_json::Map<String, serde_json::Value> = members
            .iter()
            .map(|(r, info, _)| Ok((r.to_string(), serde_json::to_value(&info.header)?)))
            .collect::<serde_json::Result<_>>()?;
        if let Some(object) = value.as_object_mut() {
            object.insert("members".to_owned(), serde_json::Value::Object(headers));
        }
        outln!("{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    let file_bytes = collection.source().len();
    let chroms = collection.chroms();
    outln!("file       {}", args.at.display())?;
    outln!(
        "format     gzcm multi-resolution collection (format revision collection-1), {} resolutions",
        members.len()
    )?;
    outln!(
        "genome     {}{} chromosomes, {} bp",
        collection.assembly().map(|a| format!("{a}, ")).unwrap_or_default(),
        chroms.len(),
        chroms.iter().map(|c| c.length).sum::<u64>()
    )?;
    outln!("bytes      {}", bytes(file_bytes))?;
    let mut table = Table::new(
        &["resolution", "bins", "tiles", "non-zeros", "bytes", "codecs", "weights"],
        &[0, 1, 2, 3, 4],
    );
    for (resolution, info, weights) in &members {
        let mut codecs: Vec<String> =
            info.codecs.iter().map(|c| format!("{} ×{}", c.name, c.tiles)).collect();
        if info.tile_groups > 0 {
            codecs.push(format!("tile groups ×{}", info.tile_groups));
        }
        table.row(vec![
            format!("{resolution} bp"),
            info.shape.0.to_string(),
            format!("{} / {}", info.tiles_stored, info.tiles_total),
            info.nnz.map_or_else(|| "-".to_owned(), |n| n.to_string()),
            bytes(info.file_bytes),
            codecs.join(", "),
            if weights.is_empty() { "none".to_owned() } else { weights.clone() },
        ]);
    }
    out!("\n{}", table.render())?;
    outln!("\nread one with --resolution R or FILE::/resolutions/R")?;
    Ok(())
}

/// How the tile index and the payload framing are stored (docs/format.md entries 33–37).
fn index_description(index: &IndexArray) -> String {
    let size = bytes(index.stored_bytes());
    if !index.is_packed() {
        return format!("{size}, 32-byte records (SPEC §4); opaque payloads carry the 8-byte shape header");
    }
    if index.has_groups() {
        return format!(
            "{size}, packed; opaque payloads without the shape header; sparse tiles in tile groups \
             (format revisions packed-index-1, bare-payloads-1, groups-1)"
        );
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
    if info.tile_groups > 0 {
        line(
            "groups",
            format!(
                "{} tile groups ({}) hold the sparse tiles of their rows; the stored count above is of \
                 tiles under records of their own",
                info.tile_groups,
                bytes(info.group_bytes)
            ),
        );
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
