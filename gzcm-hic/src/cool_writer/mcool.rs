//! Writing a multi-resolution cooler file (`.mcool`): cooler's MCOOL v2 layout, one complete
//! matrix group per `/resolutions/R`, written one after the other.

use std::path::Path;

use hdf5_pure::{AttrValue, File, FileBuilder};

use super::group::MatrixGroup;
use super::layout::Layout;
use super::{CoolMeta, CoolWriteError, create_file};
use crate::source::Pixel;
use gzcm_genome::Bins;

/// The root `format` attribute of a `.mcool` (cooler's `zoomify` writes it).
const MCOOL_FORMAT: &str = "HDF5::MCOOL";
/// The root `format-version` attribute: the `/resolutions/R` layout is MCOOL version 2.
const MCOOL_FORMAT_VERSION: i64 = 2;

/// A `.mcool` file being written: [`McoolWriter::create`], then for each resolution
/// [`McoolWriter::resolution`], [`ResolutionWriter::push`] its pixels and
/// [`ResolutionWriter::finish`], then [`McoolWriter::finish`]. One resolution is open at a
/// time. Dropping it unfinished leaves an incomplete file (write to a temporary path and rename
/// on success).
///
/// ```no_run
/// use gzcm_hic::cool_writer::{CoolMeta, McoolWriter};
/// # fn demo(metas: &[(u64, CoolMeta<'_>)]) -> Result<(), gzcm_hic::cool_writer::CoolWriteError> {
/// let mut mcool = McoolWriter::create("out.mcool".as_ref())?;
/// for (resolution, meta) in metas {
///     let mut group = mcool.resolution(*resolution, meta)?;
///     group.push(gzcm_hic::Pixel { bin1: 0, bin2: 3, count: 7.0 })?;
///     group.finish()?;
/// }
/// mcool.finish()?;
/// # Ok(()) }
/// ```
pub struct McoolWriter {
    file: File,
    /// Resolutions whose groups are complete, in the order written.
    written: Vec<u64>,
    /// The resolution whose group was started and not finished.
    started: Option<u64>,
}

impl std::fmt::Debug for McoolWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McoolWriter")
            .field("written", &self.written)
            .field("started", &self.started)
            .finish_non_exhaustive()
    }
}

impl McoolWriter {
    /// Writes the root of a `.mcool` (its `format` attributes and an empty `resolutions`
    /// group) to `path`, replacing its contents, and opens it for adding resolutions.
    ///
    /// # Errors
    /// [`CoolWriteError::Hdf5`] when the file cannot be written.
    pub fn create(path: &Path) -> Result<McoolWriter, CoolWriteError> {
        let mut builder = FileBuilder::new();
        builder.set_attr("format", AttrValue::VarLenString(MCOOL_FORMAT.to_owned()));
        builder.set_attr("format-version", AttrValue::I64(MCOOL_FORMAT_VERSION));
        let resolutions = builder.create_group("resolutions");
        builder.add_group(resolutions.finish());
        let file = create_file(path, builder)?;
        Ok(McoolWriter { file, written: Vec::new(), started: None })
    }

    /// Writes everything of the matrix group `/resolutions/{resolution}` but its pixels, and
    /// returns the writer that takes them.
    ///
    /// # Errors
    /// [`CoolWriteError::ResolutionMismatch`] unless `meta`'s genome has fixed bins of
    /// `resolution` bp; [`CoolWriteError::DuplicateResolution`];
    /// [`CoolWriteError::UnfinishedResolution`] when an earlier resolution was not finished;
    /// [`CoolWriteError::Genome`] and [`CoolWriteError::Hdf5`] as for
    /// [`CoolWriter::create`](super::CoolWriter::create).
    pub fn resolution(
        &mut self,
        resolution: u64,
        meta: &CoolMeta<'_>,
    ) -> Result<ResolutionWriter<'_>, CoolWriteError> {
        if let Some(started) = self.started {
            return Err(CoolWriteError::UnfinishedResolution { resolution: started });
        }
        if self.written.contains(&resolution) {
            return Err(CoolWriteError::DuplicateResolution { resolution });
        }
        match meta.genome.bins() {
            Bins::Fixed { bin_size } if *bin_size == resolution => {}
            Bins::Fixed { bin_size } => {
                return Err(CoolWriteError::ResolutionMismatch { resolution, bin_size: Some(*bin_size) });
            }
            Bins::Variable { .. } => {
                return Err(CoolWriteError::ResolutionMismatch { resolution, bin_size: None });
            }
        }
        let layout = Layout::new(meta)?;
        // From here a failure leaves a partial group: the file refuses to go on.
        self.started = Some(resolution);
        let group = self
            .file
            .root()
            .create_group(&format!("resolutions/{resolution}"))
            .map_err(CoolWriteError::hdf5("create the resolution group"))?;
        let matrix = MatrixGroup::create(&self.file, group, layout, meta)?;
        Ok(ResolutionWriter { mcool: self, resolution, matrix })
    }

    /// The resolutions written so far, in the order they were written.
    #[must_use]
    pub fn resolutions(&self) -> &[u64] {
        &self.written
    }

    /// Closes the file (synced to disk); returns the resolutions written, in order.
    ///
    /// # Errors
    /// [`CoolWriteError::UnfinishedResolution`] when a resolution was started and not finished;
    /// [`CoolWriteError::NoResolutions`] when none was written; [`CoolWriteError::Hdf5`] when
    /// the file cannot be closed.
    pub fn finish(self) -> Result<Vec<u64>, CoolWriteError> {
        if let Some(resolution) = self.started {
            return Err(CoolWriteError::UnfinishedResolution { resolution });
        }
        if self.written.is_empty() {
            return Err(CoolWriteError::NoResolutions);
        }
        self.file.close().map_err(CoolWriteError::hdf5("close"))?;
        Ok(self.written)
    }
}

/// One resolution of a [`McoolWriter`] taking its pixels.
pub struct ResolutionWriter<'a> {
    mcool: &'a mut McoolWriter,
    resolution: u64,
    matrix: MatrixGroup,
}

impl std::fmt::Debug for ResolutionWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolutionWriter")
            .field("resolution", &self.resolution)
            .field("nnz", &self.matrix.nnz())
            .finish_non_exhaustive()
    }
}

impl ResolutionWriter<'_> {
    /// Adds one pixel, on the terms of [`CoolWriter::push`](super::CoolWriter::push).
    ///
    /// # Errors
    /// As [`CoolWriter::push`](super::CoolWriter::push).
    pub fn push(&mut self, pixel: Pixel) -> Result<(), CoolWriteError> {
        self.matrix.push(pixel)
    }

    /// The resolution being written.
    #[must_use]
    pub fn resolution(&self) -> u64 {
        self.resolution
    }

    /// The number of pixels pushed so far.
    #[must_use]
    pub fn nnz(&self) -> u64 {
        self.matrix.nnz()
    }

    /// Appends the last pixels and completes the group (`indexes/bin1_offset`, `nnz`),
    /// committed to the file. Returns the number of pixels written.
    ///
    /// # Errors
    /// [`CoolWriteError::Hdf5`] when the group cannot be completed.
    pub fn finish(self) -> Result<u64, CoolWriteError> {
        let nnz = self.matrix.finish(&self.mcool.file)?;
        self.mcool.started = None;
        self.mcool.written.push(self.resolution);
        Ok(nnz)
    }
}
