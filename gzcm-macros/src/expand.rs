//! The pipeline and the code a sound declaration expands to, one function per emitted item.
//!
//! Every generated path starts with the facade's path: `::gzcm` by default (downstream crates
//! depend on the `gzcm` facade; `gzcm-core` names itself `gzcm` with `extern crate self as
//! gzcm`), or what `crate = ...` says (a renamed dependency, or `::gzcm_core` in the built-in
//! codecs crate).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::ctxt::Ctxt;
use crate::validate::{Declaration, Wire, WireKind};
use crate::{fallback, parse, validate};

/// `#[codec(args)] item` → the declaration, or the item unchanged plus every error found.
pub(crate) fn codec(args: TokenStream, item: TokenStream) -> TokenStream {
    let ctxt = Ctxt::new();
    let input = parse::codec_input(&ctxt, args, item);
    let declaration = validate::declaration(&ctxt, &input);
    match (ctxt.check(), declaration) {
        (Ok(()), Some(declaration)) => {
            let item = &input.item.original;
            let meta = codec_meta_impl(&declaration);
            let registration = registration(&declaration);
            let claim = name_claim(&declaration);
            quote!(#item #meta #registration #claim)
        }
        (Err(errors), _) => fallback::expand(&input, &errors),
        (Ok(()), None) => {
            let bug = "gzcm-macros bug: declaration rejected without an error; please report it";
            fallback::expand(&input, &syn::Error::new(Span::call_site(), bug))
        }
    }
}

/// `impl CodecMeta` and its seal. The self type keeps the span of the type's name, so a type
/// that does not implement `Codec`, or is not `Send + Sync` (the supertraits), is reported
/// there, with the supertrait's own message.
pub(crate) fn codec_meta_impl(declaration: &Declaration<'_>) -> TokenStream {
    let Declaration { ident, name, wire, krate, cfgs } = declaration;
    let marker = wire_marker(krate, *wire);
    let reader = shape_reader(declaration);
    quote! {
        #(#cfgs)*
        impl #krate::__private::CodecMetaSealed for #ident {}
        #(#cfgs)*
        impl #krate::CodecMeta for #ident {
            const NAME: &'static str = #name;
            const ORIGIN: &'static str = ::core::env!("CARGO_PKG_NAME");
            const TYPE_PATH: &'static str =
                ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident));
            type Wire = #marker;
            const SHAPE_READER: ::core::option::Option<#krate::codec::ShapeReader> = #reader;
        }
    }
}

/// `<krate>::wire::Opaque` or `<krate>::wire::SelfDescribing`, spanned at the user's `wire` value.
fn wire_marker(krate: &TokenStream, wire: Wire) -> TokenStream {
    let marker = format_ident!("{}", wire.kind.symbol().as_str(), span = wire.span);
    quote_spanned!(wire.span=> #krate::wire::#marker)
}

/// `SHAPE_READER`: `None` for opaque codecs; for self-describing ones the type's
/// `PayloadShape::payload_shape`, spanned at `SelfDescribing` so that a missing `PayloadShape`
/// impl is reported on the token that promised it (with `PayloadShape`'s own message).
fn shape_reader(declaration: &Declaration<'_>) -> TokenStream {
    let wire = declaration.wire;
    match wire.kind {
        WireKind::Opaque => quote!(::core::option::Option::None),
        WireKind::SelfDescribing => {
            let mut ty = declaration.ident.clone();
            ty.set_span(wire.span);
            let krate = &declaration.krate;
            quote_spanned! {wire.span=>
                ::core::option::Option::Some(<#ty as #krate::PayloadShape>::payload_shape)
            }
        }
    }
}

/// Link-time registration: the descriptor (with the declaring crate and the type's path, for
/// error messages about clashing names) goes to `inventory`.
fn registration(declaration: &Declaration<'_>) -> TokenStream {
    let Declaration { ident, krate, cfgs, .. } = declaration;
    quote! {
        #(#cfgs)*
        #krate::__private::inventory::submit! {
            #krate::__private::CodecRegistration(#krate::CodecDescriptor::declared::<#ident>())
        }
    }
}

/// Claims the name within the crate: `#[macro_export]` puts this macro at the crate root
/// whatever module the codec is declared in, so two declarations of one name in one crate
/// collide (E0428). The whole macro is spanned at the name literal, so the error points at both
/// names, and the macro's name is the message: `codec_name_x_is_declared_twice_in_this_crate`
/// (no stable diagnostic lets a macro word a duplicate-definition error itself). Other crates have their own roots: equal names in different crates do not clash here
/// (the registry reports those at lookup, SPEC §6). Declared in a function body (a test's
/// codec, say) it still works: the `non_local_definitions` lint is allowed on this hidden item.
fn name_claim(declaration: &Declaration<'_>) -> TokenStream {
    let span = declaration.name.span();
    let cfgs = &declaration.cfgs;
    let claim = format_ident!(
        "codec_name_{}_is_declared_twice_in_this_crate",
        escape_name(&declaration.name.value()),
        span = span
    );
    quote_spanned! {span=>
        #(#cfgs)*
        #[doc(hidden)]
        #[macro_export]
        #[allow(non_local_definitions)]
        macro_rules! #claim {
            () => {};
        }
    }
}

/// Maps a valid codec name (`[a-z][a-z0-9_.-]*`) to identifier characters, injectively, while
/// keeping the usual names (letters, digits, `_`) as written: `.` becomes `__d` and `-` becomes
/// `__h`, and `_` stays `_` unless it would be read as part of such an escape (a `_` followed by
/// `_`, or at the end, becomes `__u`).
pub(crate) fn escape_name(name: &str) -> String {
    let mut escaped = String::with_capacity(name.len() * 3);
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => escaped.push_str("__d"),
            '-' => escaped.push_str("__h"),
            '_' if matches!(chars.peek(), None | Some('_' | '.' | '-')) => escaped.push_str("__u"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn escaping_keeps_letters_and_digits() {
        assert_eq!(escape_name("lz4"), "lz4");
        assert_eq!(escape_name("cmc_zstd"), "cmc_zstd");
        assert_eq!(escape_name("a.b-c_d"), "a__db__hc_d");
    }

    #[test]
    fn escaping_is_injective() {
        // Names that a naive `_` replacement would merge.
        let names = [
            "a_b", "a.b", "a-b", "a_ub", "a__b", "a_.b", "a._b", "a_d", "a.", "a_", "a__d", "a_-", "a-_",
            "a__", "a___u", "a__u", "a_u", "a.d", "a_du",
        ];
        let escaped: HashSet<String> = names.iter().map(|n| escape_name(n)).collect();
        assert_eq!(escaped.len(), names.len());
    }

    #[test]
    fn escaped_names_are_identifiers() {
        for name in ["lz4", "x1.2-b_c", "a-", "z.z"] {
            let claim = format!("codec_name_{}_is_declared_twice_in_this_crate", escape_name(name));
            assert!(syn::parse_str::<syn::Ident>(&claim).is_ok(), "{claim}");
        }
    }
}

#[cfg(test)]
mod expansion_tests {
    use quote::quote;

    use super::*;

    fn expand(args: TokenStream, item: TokenStream) -> String {
        codec(args, item).to_string()
    }

    #[test]
    fn a_sound_declaration_emits_every_item() {
        let out = expand(
            quote!(name = "lz4", wire = SelfDescribing),
            quote!(
                struct Lz4;
            ),
        );
        for expected in [
            "struct Lz4 ;",
            "impl :: gzcm :: CodecMeta for Lz4",
            "impl :: gzcm :: __private :: CodecMetaSealed for Lz4",
            "const NAME : & 'static str = \"lz4\"",
            "type Wire = :: gzcm :: wire :: SelfDescribing",
            "< Lz4 as :: gzcm :: PayloadShape > :: payload_shape",
            ":: gzcm :: __private :: inventory :: submit !",
            "declared :: < Lz4 > ()",
            "macro_rules ! codec_name_lz4_is_declared_twice_in_this_crate",
        ] {
            assert!(out.contains(expected), "missing `{expected}` in {out}");
        }
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn a_rejected_declaration_keeps_the_item_and_registers_nothing() {
        let out = expand(
            quote!(name = "Lz4", wire = Opaque),
            quote!(
                struct Lz4;
            ),
        );
        assert!(out.starts_with("struct Lz4 ;"), "{out}");
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("impl :: gzcm :: CodecMeta for Lz4"), "{out}");
        assert!(!out.contains("submit"), "{out}");
        assert!(!out.contains("macro_rules"), "{out}");
    }

    #[test]
    fn no_stand_in_for_items_that_cannot_take_one() {
        for item in [
            quote!(
                fn lz4() {}
            ),
            quote!(
                struct Lz4<T>(T);
            ),
        ] {
            let out = expand(quote!(name = "lz4", wire = Opaque), item);
            assert!(out.contains("compile_error"), "{out}");
            assert!(!out.contains("CodecMeta"), "{out}");
        }
    }
}
