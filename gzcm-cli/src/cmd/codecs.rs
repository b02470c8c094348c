//! `gzcm codecs`: the codec registry as a table.

use clap::Args;
use gzcm::{CodecDescriptor, Dtype};

use crate::out::{out, outln};
use crate::table::Table;

/// List every registered codec: the built-ins and any linked or runtime-registered codec.
#[derive(Debug, Args)]
pub(crate) struct CodecsArgs {
    /// Print only the names, one per line.
    #[arg(long)]
    names: bool,
}

pub(crate) fn run(args: &CodecsArgs) -> anyhow::Result<()> {
    let mut codecs: Vec<CodecDescriptor> = gzcm::with_registry(|r| r.descriptors().cloned().collect());
    codecs.sort_by(|a, b| a.name().cmp(b.name()));
    if args.names {
        let names: Vec<&str> = codecs.iter().map(CodecDescriptor::name).collect();
        outln!("{}", names.join("\n"))?;
        return Ok(());
    }
    let mut table = Table::new(&["codec", "wire", "origin", "dtypes", "type"], &[]);
    for codec in &codecs {
        table.row(vec![
            codec.name().to_owned(),
            codec.wire().as_str().to_owned(),
            codec.origin().to_owned(),
            dtypes(codec),
            codec.type_name().to_owned(),
        ]);
    }
    out!("{}", table.render())?;
    Ok(())
}

/// The dtypes a codec stores, e.g. `uint32, float32`.
pub(crate) fn dtypes(codec: &CodecDescriptor) -> String {
    let names: Vec<&str> = Dtype::ALL.iter().filter(|&&d| codec.supports(d)).map(|d| d.name()).collect();
    names.join(", ")
}
