//! Implementation detail of `gzcm`: the `#[codec]` attribute. Use it as `gzcm::codec`.
//!
//! The pipeline is one file per stage: `parse` reads the attribute arguments and the item
//! into a model that keeps every span, `validate` checks the rules of SPEC §5–6, `expand`
//! emits the declaration, and `fallback` emits the item unchanged plus every error found, all
//! collected by `ctxt::Ctxt` so that one build shows every mistake at once.
//!
//! `#[codec]` accepts a struct (unit, tuple or named) or an enum, without generic parameters:
//! the registry maps each name to exactly one concrete type.

#![forbid(unsafe_code)]

mod ctxt;
mod expand;
mod fallback;
/// The codec-name grammar, shared with `gzcm-core` by path: one implementation for both.
#[allow(unreachable_pub, dead_code)]
#[path = "../../gzcm-core/src/codec/name_rule.rs"]
mod name_rule;
mod parse;
mod symbol;
mod validate;

use proc_macro::TokenStream;

/// Declares a tile codec: `#[codec(name = "...", wire = Opaque | SelfDescribing)]`.
///
/// On a struct (unit, tuple or named) or an enum without generic parameters, whose type
/// implements `gzcm::Codec` (and `gzcm::PayloadShape` when `wire = SelfDescribing`). It keeps
/// the item as written and adds:
///
/// - `impl gzcm::CodecMeta` with `NAME`, the `Wire` marker and the `SHAPE_READER`;
/// - a link-time registration, so `gzcm::list_codecs()` / `gzcm::get_codec(name)` find the
///   codec in every program that links the declaring crate (SPEC §6);
/// - a hidden crate-root item that makes one name declared twice in one crate a compile error.
///
/// **The declaring crate must be linked.** Registration happens at link time, and the linker
/// drops a dependency the program never names, with its codecs (then "unknown codec"). A binary
/// that depends on a codec crate only for its codecs names it once: `use my_codecs as _;`.
///
/// `crate = path` (optional, serde's convention) says where the `gzcm` facade is when the
/// dependency is renamed: `#[codec(name = "x", wire = Opaque, crate = gz)]`. The type must be
/// `Send + Sync` and implement `TileEncoder`, `TileDecoder` and `Codec`; `CodecMeta` is sealed,
/// so this attribute is the only way to implement it.
///
/// `name` and `wire` are required; neither has a default. `name` is a string literal matching
/// `[a-z][a-z0-9_.-]*`, at most 32 bytes. `wire = Opaque`: the writer prepends the 8-byte shape
/// header; `wire = SelfDescribing`: the payload's own header carries the shape (SPEC §5).
///
/// ```ignore
/// #[gzcm::codec(name = "lz4", wire = SelfDescribing)]
/// pub struct Lz4;
/// ```
///
/// Every mistake in a declaration is reported in the same build, each on its token: a missing,
/// unknown or duplicate key, a name that is not a string or breaks the grammar, an unknown wire
/// format, a generic type or an item that is not a struct or enum, a missing `Codec` impl (at
/// the type's name) or a missing `PayloadShape` impl (at `SelfDescribing`). A `#[cfg]` written
/// below the attribute gates the generated items too. (Not compiled here: this crate cannot
/// depend on `gzcm`; the facade's docs carry the runnable example.)
#[proc_macro_attribute]
pub fn codec(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::codec(args.into(), item.into()).into()
}
