//! The attribute's keywords, as constants: no string literals scattered through the parser.

use std::fmt;

use proc_macro2::Ident;

/// A keyword of `#[codec(...)]`, compared against identifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Symbol(&'static str);

/// `name = "..."`: the registered codec name.
pub(crate) const NAME: Symbol = Symbol("name");
/// `wire = ...`: the declared wire format.
pub(crate) const WIRE: Symbol = Symbol("wire");
/// `crate = path`: where the `gzcm` facade is, for a renamed dependency (serde's convention).
pub(crate) const CRATE: Symbol = Symbol("crate");
/// `#[cfg(...)]` on the item: repeated on the generated items.
pub(crate) const CFG: Symbol = Symbol("cfg");
/// `wire = Opaque`: the writer prepends the 8-byte shape header.
pub(crate) const OPAQUE: Symbol = Symbol("Opaque");
/// `wire = SelfDescribing`: the payload carries its own shape.
pub(crate) const SELF_DESCRIBING: Symbol = Symbol("SelfDescribing");

impl Symbol {
    pub(crate) fn as_str(self) -> &'static str {
        self.0
    }
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, symbol: &Symbol) -> bool {
        self == symbol.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, symbol: &Symbol) -> bool {
        *self == symbol.0
    }
}

impl PartialEq<Symbol> for syn::Path {
    fn eq(&self, symbol: &Symbol) -> bool {
        self.is_ident(symbol.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
