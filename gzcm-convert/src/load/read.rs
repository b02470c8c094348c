//! The reading pass of `load`: a thread reads (and inflates) the file into chunks of whole
//! lines while the rayon pool parses them, a batch at a time, into the sort's buffer.
//!
//! A batch is as many chunks as two per pool thread, parsed at once and added in file order,
//! so the first bad line reported is the file's first whatever the thread count. Memory in
//! flight is a batch of chunks (about 1 MiB each, and their contacts) plus the channel's.

use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};

use gzcm_pairs::{Chunk, Contact, LineParser, PairsError, PairsInput, Tally};
use rayon::prelude::*;

use crate::load::error::LoadError;
use crate::load::runs::Runs;
use crate::progress::{Phase, Progress};

/// Chunks in flight per pool thread: one being parsed, one read ahead.
pub(crate) const CHUNKS_PER_THREAD: usize = 2;

/// Reads every data line of `input` (its header already read) through `parser` into `runs`.
pub(crate) fn read_all(
    mut input: PairsInput,
    parser: &LineParser,
    runs: &mut Runs,
    progress: &dyn Progress,
) -> Result<Tally, LoadError> {
    let batch = CHUNKS_PER_THREAD * rayon::current_num_threads();
    let path = input.path().to_owned();
    let bar = Phase::begin(progress, "reading pairs", "lines", None);
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel::<Result<Chunk, PairsError>>(batch);
        scope.spawn(move || produce(&mut input, &sender));
        let mut tally = Tally::default();
        let mut chunks = Vec::with_capacity(batch);
        while next_batch(&receiver, batch, &mut chunks)? {
            let parsed: Vec<Result<(Vec<Contact>, Tally), gzcm_pairs::BadLine>> = chunks
                .par_iter()
                .map(|chunk| {
                    let (mut contacts, mut tally) = (Vec::new(), Tally::default());
                    parser.parse_chunk(chunk, &mut contacts, &mut tally)?;
                    Ok((contacts, tally))
                })
                .collect();
            for result in parsed {
                let (contacts, chunk_tally) =
                    result.map_err(|line| PairsError::BadLine { path: path.clone(), line })?;
                runs.extend(&contacts)?;
                tally.merge(chunk_tally);
            }
            bar.set_position(tally.lines);
        }
        Ok(tally)
    })
}

/// Sends the file's chunks until its end, an error, or the receiver's leaving.
fn produce(input: &mut PairsInput, sender: &SyncSender<Result<Chunk, PairsError>>) {
    loop {
        let next = input.next_chunk().transpose();
        let Some(next) = next else { return };
        let failed = next.is_err();
        if sender.send(next).is_err() || failed {
            return;
        }
    }
}

/// Fills `chunks` with the next batch (waiting for its first chunk); `false` at the end.
fn next_batch(
    receiver: &Receiver<Result<Chunk, PairsError>>,
    batch: usize,
    chunks: &mut Vec<Chunk>,
) -> Result<bool, LoadError> {
    chunks.clear();
    match receiver.recv() {
        Ok(chunk) => chunks.push(chunk?),
        Err(_) => return Ok(false),
    }
    while chunks.len() < batch {
        match receiver.try_recv() {
            Ok(chunk) => chunks.push(chunk?),
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
        }
    }
    Ok(true)
}
