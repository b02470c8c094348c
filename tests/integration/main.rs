//! gzcm's integration tests: one binary, one module per topic.

/// Records the largest allocation per thread, for the hostile-input tests.
mod alloc_guard;

#[global_allocator]
static ALLOCATOR: alloc_guard::TrackingAllocator = alloc_guard::TrackingAllocator;

/// Shared helpers: real-data discovery, tiles from the shared matrices, synthetic tiles.
mod support;

/// Codecs declared in a downstream crate that depends only on the facade.
mod downstream;
/// Framing by wire format, and the double-header regression (Bug 0.3).
mod framing;
/// Truncated, corrupted and lying payloads: errors, never panics or huge allocations.
mod hostile;
/// Codec crates named only by `use ... as _;`, a renamed dependency, and a linked name clash.
mod linking;
/// Every built-in codec round-trips every real shared matrix through a file.
mod real_data;
/// Listing, lookup, unknown names, run-time registration and name clashes.
mod registry;
/// Property-based round trips of the built-in codecs.
mod roundtrip;
