//! End-to-end tests of the `gzcm` binary: one test binary, one module per topic. They live in
//! gzcm-cli because `CARGO_BIN_EXE_gzcm` is only visible to the binary's own package.

mod balance; // balance stores a vector in place; expected writes cooltools' table
mod chrom; // convert --chrom NAME: one chromosome's block of the genome-wide conversion
mod commands; // convert, info, extract, verify, codecs, demo on synthetic and small inputs
mod common; // run the built binary in a directory
mod export; // export to .cool: genome, weights and pixels read back
mod export_mcool; // export to .mcool: every resolution's group reads back
mod genome; // files with genomic coordinates: COO with --bins, the shared .cool/.mcool/.hic
mod load; // load: pairs formats to every resolution; orders, compression, filters, bad lines
mod messages; // each error message says what is wrong (issue 11)
mod oe; // extract --oe: balanced over expected, cis only; expected --store round-trips and is used
mod plot; // plot: pictures of real maps, the resolution an overview reads, clear errors
mod policy; // the conversion policy: the output is never the input; .gzcm re-encoded
mod remote; // object-store URLs against a real S3 server (moto on 127.0.0.1)
mod resolutions; // multi-resolution files: .mcool/.hic convert whole, --resolution and ::/resolutions/R
mod safety; // signals, a full disk, huge dense outputs
mod serve; // serve: HTTP until SIGTERM; files and page directories it refuses
mod zoomify; // zoomify: coarser resolutions summed as cooler does, into one file
