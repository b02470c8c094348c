//! What a rejected declaration expands to: the item unchanged, every error, and — when the
//! item is a plain type — a stand-in `impl CodecMeta`, so that code using the type as a codec
//! does not pile secondary "`CodecMeta` is not implemented" errors on top of the real ones.
//!
//! Nothing is registered and no name is claimed.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

use crate::expand;
use crate::parse::CodecInput;
use crate::validate::{Declaration, Wire, WireKind};

pub(crate) fn expand(input: &CodecInput, errors: &syn::Error) -> TokenStream {
    let item = &input.item.original;
    let errors = errors.to_compile_error();
    let stand_in = stand_in_impl(input);
    quote!(#item #stand_in #errors)
}

/// `impl CodecMeta` from whatever parts are sound (an empty name, `Opaque` otherwise). It still
/// requires `Codec`, and `PayloadShape` when `wire = SelfDescribing` was written correctly:
/// those are real mistakes, reported in the same build.
fn stand_in_impl(input: &CodecInput) -> Option<TokenStream> {
    let parts = input.item.type_parts()?;
    if !parts.generics.params.is_empty() {
        return None;
    }
    let name = input.name.get().map(LitStr::value).unwrap_or_default();
    let name = LitStr::new(&name, Span::call_site());
    let wire = input
        .wire
        .get()
        .and_then(|ident| {
            let kind = WireKind::from_ident(ident)?;
            Some(Wire { kind, span: ident.span() })
        })
        .unwrap_or(Wire { kind: WireKind::Opaque, span: Span::call_site() });
    let krate = crate::validate::krate(input);
    let declaration = Declaration { ident: parts.ident, name: &name, wire, krate, cfgs: parts.cfgs() };
    Some(expand::codec_meta_impl(&declaration))
}
