//! Implementation detail of `gzcm`: the `#[codec]` attribute. Use it through `gzcm::codec`.
//!
//! Interim minimal expansion (no validation yet); the full parse → validate → expand pipeline
//! replaces it.

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::parse::Parser;

/// Declares a tile codec: `#[codec(name = "...", wire = Opaque | SelfDescribing)]`.
#[proc_macro_attribute]
pub fn codec(args: TokenStream, item: TokenStream) -> TokenStream {
    let parser =
        syn::punctuated::Punctuated::<syn::MetaNameValue, syn::Token![,]>::parse_terminated;
    let args = parser.parse(args).expect("args");
    let item_struct: syn::ItemStruct = syn::parse(item).expect("struct");
    let mut name = None;
    let mut wire = None;
    for arg in args {
        if arg.path.is_ident("name") {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = arg.value
            {
                name = Some(s);
            }
        } else if arg.path.is_ident("wire") {
            if let syn::Expr::Path(p) = arg.value {
                wire = p.path.get_ident().cloned();
            }
        }
    }
    let name = name.expect("name");
    let wire = wire.unwrap_or_else(|| format_ident!("Opaque"));
    let ty = &item_struct.ident;
    let reader = if wire == "SelfDescribing" {
        quote!(::core::option::Option::Some(<#ty as ::gzcm::PayloadShape>::payload_shape))
    } else {
        quote!(::core::option::Option::None)
    };
    quote! {
        #item_struct
        impl ::gzcm::CodecMeta for #ty {
            const NAME: &'static str = #name;
            type Wire = ::gzcm::wire::#wire;
            const SHAPE_READER: ::core::option::Option<::gzcm::codec::ShapeReader> = #reader;
        }
        ::gzcm::__private::inventory::submit! {
            ::gzcm::__private::CodecRegistration(::gzcm::CodecDescriptor::declared::<#ty>(
                ::core::env!("CARGO_PKG_NAME"),
                ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ty)),
            ))
        }
    }
    .into()
}
