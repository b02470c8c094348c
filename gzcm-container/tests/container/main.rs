//! Integration tests of the `.gzcm` container.

mod atomic; // dropped writers, no clobbering
mod collection; // format revision collection-1: multi-resolution files, their writer, hostile tables
mod expected; // format revision expected-1: cis expected tables stored next to their weight vector
mod genome; // chromosomes, bins and weights next to the tiles; damaged blocks
mod golden; // checked-in files of every version: readable, and rewritten byte for byte
mod groups; // format revision groups-1: sparse tiles of a row under one record
mod hostile; // truncated, flipped, lying files: typed errors, never panics
mod input; // sorted vs unsorted, triangles, conflicts, dense rows, option errors
mod integrity; // format revision integrity-1: every bit flip caught, reproducers of issue 11
mod packed; // format revision packed-index-1: round trips, golden files, every bit flip caught
mod reader; // the tile cache, the index listing
mod realdata; // shared real matrices when present
mod region; // region reads and concurrent readers
mod reweight; // format revision balance-1: weight vectors stored in an existing file, atomically
mod roundtrip; // every version × dtype × codec × tile size × odd shape
mod support;
