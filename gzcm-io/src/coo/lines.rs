//! Reading COO text one data line at a time, keeping the line number for errors.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::coo::line::{Fields, Line, split_line};
use crate::error::{LineFault, SourceError};
use crate::input::{Input, open_input};

/// A line-at-a-time reader over (possibly compressed) COO text; memory is one line.
pub(crate) struct Lines {
    path: PathBuf,
    input: Input,
    buffer: Vec<u8>,
    line: u64,
}

impl Lines {
    pub(crate) fn open(path: &Path) -> Result<Self, SourceError> {
        Ok(Lines { path: path.to_owned(), input: open_input(path)?, buffer: Vec::new(), line: 0 })
    }

    /// The next data line, skipping blank, comment and header lines; `None` at the end.
    pub(crate) fn next_fields(&mut self) -> Result<Option<Fields<'_>>, SourceError> {
        let (bin1, bin2, value) = loop {
            self.buffer.clear();
            let read = self
                .input
                .read_until(b'\n', &mut self.buffer)
                .map_err(|source| SourceError::Io { path: self.path.clone(), source })?;
            if read == 0 {
                return Ok(None);
            }
            self.line += 1;
            match split_line(&self.buffer) {
                Ok(Line::Skip) => {}
                Ok(Line::Data(fields)) => {
                    // Keep the value as a byte range: a borrow returned from inside the loop
                    // would hold `self.buffer` across iterations.
                    let start = fields.value.as_ptr() as usize - self.buffer.as_ptr() as usize;
                    break (fields.bin1, fields.bin2, start..start + fields.value.len());
                }
                Err(fault) => return Err(self.fault(fault)),
            }
        };
        // The range lies on character boundaries of text that was valid UTF-8 just above.
        let value = std::str::from_utf8(&self.buffer[value]).map_err(|_| self.fault(LineFault::NotText))?;
        Ok(Some(Fields { bin1, bin2, value }))
    }

    /// A line error at the current line.
    pub(crate) fn fault(&self, fault: LineFault) -> SourceError {
        SourceError::Line { path: self.path.clone(), line: self.line, fault }
    }
}
