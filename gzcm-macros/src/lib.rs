//! Implementation detail of `gzcm`: the `#[codec]` attribute. Use it as `gzcm::codec`.
//!
//! The pipeline is one file per stage: [`parse`] reads the attribute arguments and the item
//! into a model that keeps every span, [`validate`] checks the rules of SPEC §5–6, [`expand`]
//! emits the declaration, and [`fallback`] emits the item unchanged plus every error found, all
//! collected by [`ctxt::Ctxt`] so that one build shows every mistake at once.
//!
//! `#[codec]` accepts a struct (unit, tuple or named) or an enum, without generic parameters:
//! the registry maps each name to exactly one concrete type.

mod ctxt;
mod expand;
mod fallback;
mod parse;
mod symbol;
mod validate;

use proc_macro::TokenStream;

/// Declares a tile codec: `#[codec(name = "...", wire = Opaque | SelfDescribing)]`.
///
/// Documented on its re-export, `gzcm::codec`.
#[proc_macro_attribute]
pub fn codec(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::codec(args.into(), item.into()).into()
}
