//! gzcm benchmarks live in `benches/`: `cargo bench -p gzcm-bench --bench codec_paths` (codec-layer
//! overhead against direct zstd / lz4_flex calls) and `--bench codecs_real` (per-codec figures on
//! the real shared matrices).
