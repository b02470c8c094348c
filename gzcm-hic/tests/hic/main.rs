//! Integration tests of the Hi-C readers and the cooler writer: one binary, one module per topic.

mod cool; // the shared .cool/.mcool files against their COO text
mod cool_duplicates; // duplicate pixels and odd weights cooler tolerates
mod cool_writer; // written files read back the same; bad pixel streams are typed errors
mod juicer; // the shared .hic files against their COO text, at every resolution
mod juicer_hostile; // issue 22: edited shared .hic files are typed errors in bounded memory
mod juicer_synthetic; // small .hic files written byte by byte: versions 8 and 9, vectors, blocks
mod mcool_writer; // .mcool files written group by group read back at every resolution
