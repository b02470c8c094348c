//! A file's first bytes, read once at open: enough to hold its preamble and header (and, for a
//! collection, the seal after it), so the file can be told apart as a single-resolution file
//! or a multi-resolution collection without another request.

use std::io;
use std::path::Path;

use crate::error::{ContainerError, Result};
use crate::format::collection::{self, CollectionHeader};
use crate::format::header::Header;
use crate::format::preamble::{self, PREAMBLE_LEN};
use crate::read::source::{ByteSource, Pieces};

/// What an open reads first: the whole file of a memory map, else the first
/// [`ByteSource::first_read_bytes`] (more when the header is larger).
pub(crate) fn read_head(source: &dyn ByteSource) -> io::Result<Pieces> {
    if let Some(whole) = source.whole() {
        return Ok(Pieces::whole(whole.clone()));
    }
    let len = source.len();
    let first = len.min(source.first_read_bytes().max(PREAMBLE_LEN));
    let pieces = Pieces::fetch(source, std::slice::from_ref(&(0..first)), 0)?;
    let head = first_bytes(&pieces);
    // A single file's header ends with its padding, a collection's with its seal; when the
    // JSON is not all held yet, either may follow.
    let end = match preamble::split_preamble(head) {
        Ok(json) if collection::is_collection(json) => collection::table::head_end(head),
        Ok(_) => preamble::header_end(head),
        Err(_) => preamble::header_end(head).zip(collection::table::head_end(head)).map(|(a, b)| a.max(b)),
    };
    match end.filter(|&end| end > first) {
        // A header larger than the first read: read it whole from the start.
        Some(end) => Pieces::fetch(source, std::slice::from_ref(&(0..len.min(end.saturating_add(first)))), 0),
        None => Ok(pieces),
    }
}

/// The bytes held from offset 0 on.
pub(crate) fn first_bytes(pieces: &Pieces) -> &[u8] {
    pieces.piece(&(0..0)).map_or(&[][..], |(_, bytes)| bytes)
}

/// The collection header when the file whose first bytes `pieces` holds is a collection
/// (validated: a damaged collection is an error, not a single file); `None` for anything
/// else, whose open reports what it is.
pub(crate) fn collection_header(path: &Path, pieces: &Pieces, len: u64) -> Result<Option<CollectionHeader>> {
    let head = first_bytes(pieces);
    match preamble::split_preamble(head) {
        Ok(json) if collection::is_collection(json) => {
            collection::parse(head, len).map(Some).map_err(|e| ContainerError::format(path, e))
        }
        _ => Ok(None),
    }
}

/// The collection header of a file the caller expects to be a collection: a damaged
/// collection header is reported as such (e.g. its seal), and only a file whose header reads
/// as a single-resolution file's is [`ContainerError::NotACollection`].
pub(crate) fn require_collection(path: &Path, pieces: &Pieces, len: u64) -> Result<CollectionHeader> {
    let head = first_bytes(pieces);
    if let Ok(json) = preamble::split_preamble(head)
        && !collection::is_collection(json)
        && Header::from_json(json).is_ok()
    {
        return Err(ContainerError::NotACollection { path: path.to_owned() });
    }
    collection::parse(head, len).map_err(|e| ContainerError::format(path, e))
}
