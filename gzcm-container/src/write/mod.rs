//! Writing a `.gzcm` file: the [`WriterBuilder`](crate::WriterBuilder) and its settings, the
//! sorted and unsorted writers, band accumulation, codec choice and encoding, and the sinks
//! that lay out compressed (v3/v4) and dense (v1/v2) files, and the
//! [`CollectionWriter`](crate::CollectionWriter) that gathers single-resolution files into a
//! multi-resolution one. The bytes they lay out come from [`crate::format`].

pub(crate) mod band;
pub(crate) mod builder;
pub(crate) mod collection;
pub(crate) mod compressed;
pub(crate) mod copy;
pub(crate) mod dense;
pub(crate) mod encode;
pub(crate) mod pending;
pub(crate) mod report;
pub(crate) mod reweight;
pub(crate) mod settings;
pub(crate) mod unsorted;
pub(crate) mod writer;
