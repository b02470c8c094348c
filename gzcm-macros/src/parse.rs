//! Reads the attribute arguments and the annotated item into a [`CodecInput`], keeping spans.
//!
//! Syntax errors (not `key = value`, unknown or duplicate keys, a value of the wrong kind) are
//! reported to the [`Ctxt`] and parsing goes on with the next argument. Rules about the values
//! themselves (name grammar, which wire idents exist, item shape) belong to `validate`.

use proc_macro2::{Ident, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Lit, LitStr};

use crate::ctxt::Ctxt;
use crate::symbol::{CFG, CRATE, NAME, Symbol, WIRE};
use crate::validate::name_problems;

/// The attribute arguments and the item, as written.
pub(crate) struct CodecInput {
    pub(crate) name: Slot<LitStr>,
    pub(crate) wire: Slot<Ident>,
    /// `crate = path`: the path generated code uses for the facade (default `::gzcm`).
    pub(crate) krate: Slot<syn::Path>,
    pub(crate) item: CodecItem,
    /// Some argument could not be read as `key = value` with a known key. A key that then looks
    /// missing may well be the unreadable one, so `validate` does not report it as missing.
    pub(crate) unreadable_argument: bool,
}

/// One key's value: absent, written but unusable (already reported), or set.
pub(crate) struct Slot<T> {
    seen: bool,
    value: Option<T>,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Slot { seen: false, value: None }
    }

    /// Whether the key appeared at all (even with a bad value).
    pub(crate) fn is_missing(&self) -> bool {
        !self.seen
    }

    /// The value, when the key appeared with a usable value.
    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }
}

/// The annotated item: its tokens (re-emitted unchanged) and what the rules need to see.
pub(crate) struct CodecItem {
    pub(crate) original: TokenStream,
    pub(crate) parsed: Option<syn::Item>,
}

/// The parts of a struct or enum item that the declaration uses.
pub(crate) struct TypeParts<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a syn::Generics,
    attrs: &'a [syn::Attribute],
}

impl<'a> TypeParts<'a> {
    /// The item's `#[cfg(...)]` attributes (those written below `#[codec]`): the generated items
    /// carry them too, so a configured-out codec leaves nothing behind that names it.
    pub(crate) fn cfgs(&self) -> Vec<&'a syn::Attribute> {
        self.attrs.iter().filter(|attr| *attr.path() == CFG).collect()
    }
}

impl CodecItem {
    /// The type's parts when the item is a struct or an enum.
    pub(crate) fn type_parts(&self) -> Option<TypeParts<'_>> {
        let (ident, generics, attrs) = match self.parsed.as_ref()? {
            syn::Item::Struct(item) => (&item.ident, &item.generics, &item.attrs),
            syn::Item::Enum(item) => (&item.ident, &item.generics, &item.attrs),
            _ => return None,
        };
        Some(TypeParts { ident, generics, attrs })
    }
}

/// Parses the attribute arguments and the item. Never fails: problems go to `ctxt`.
pub(crate) fn codec_input(ctxt: &Ctxt, args: TokenStream, item: TokenStream) -> CodecInput {
    let mut input = CodecInput {
        name: Slot::new(),
        wire: Slot::new(),
        krate: Slot::new(),
        item: codec_item(ctxt, item),
        unreadable_argument: false,
    };
    // Arguments are split at top-level commas (a `,` inside a group is inside one token). A
    // trailing comma is fine; an empty argument (`,,` or a leading `,`) is reported at its comma.
    let mut argument = Vec::new();
    for token in args {
        match token {
            TokenTree::Punct(comma) if comma.as_char() == ',' => {
                if argument.is_empty() {
                    ctxt.error_spanned_by(&comma, "unexpected `,`: expected `key = value`");
                } else {
                    input.read_argument(ctxt, &std::mem::take(&mut argument));
                }
            }
            token => argument.push(token),
        }
    }
    if !argument.is_empty() {
        input.read_argument(ctxt, &argument);
    }
    input
}

impl CodecInput {
    fn read_argument(&mut self, ctxt: &Ctxt, tokens: &[TokenTree]) {
        if !parse_argument(ctxt, self, tokens) {
            self.unreadable_argument = true;
        }
    }
}

fn codec_item(ctxt: &Ctxt, tokens: TokenStream) -> CodecItem {
    let parsed = match syn::parse2::<syn::Item>(tokens.clone()) {
        Ok(item) => Some(item),
        Err(error) => {
            ctxt.error_at(error.span(), format_args!("#[codec] could not read this item: {error}"));
            None
        }
    };
    CodecItem { original: tokens, parsed }
}

/// One `key = value` argument. Returns whether it was readable: a known key, `=`, and one value
/// with nothing left over (a value of the wrong kind, or a duplicate, still counts as read).
fn parse_argument(ctxt: &Ctxt, input: &mut CodecInput, tokens: &[TokenTree]) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return true;
    };
    let Some(key) = argument_key(ctxt, first) else {
        return false;
    };
    if key == NAME {
        match argument_value(ctxt, NAME, &key, &mut input.name, rest) {
            Value::Fresh(value) => input.name.value = name_value(ctxt, &value),
            Value::Duplicate => {}
            Value::Unreadable => return false,
        }
    } else if key == WIRE {
        match argument_value(ctxt, WIRE, &key, &mut input.wire, rest) {
            Value::Fresh(value) => input.wire.value = wire_value(ctxt, &value),
            Value::Duplicate => {}
            Value::Unreadable => return false,
        }
    } else if key == CRATE {
        match argument_value(ctxt, CRATE, &key, &mut input.krate, rest) {
            Value::Fresh(value) => input.krate.value = crate_value(ctxt, &value),
            Value::Duplicate => {}
            Value::Unreadable => return false,
        }
    } else {
        ctxt.error_spanned_by(
            &key,
            format_args!("unknown key `{key}`: the valid keys are `{NAME}`, `{WIRE}` and `{CRATE}`"),
        );
        return false;
    }
    true
}

/// What follows a known key.
enum Value {
    /// `= value`, the first time the key appears.
    Fresh(Expr),
    /// The key appeared before (reported; this value is ignored).
    Duplicate,
    /// Not `= value` (reported).
    Unreadable,
}

/// The key of an argument: its first token, which must be an identifier.
fn argument_key(ctxt: &Ctxt, first: &TokenTree) -> Option<Ident> {
    match first {
        TokenTree::Ident(ident) => Some(ident.clone()),
        TokenTree::Literal(literal) => {
            ctxt.error_spanned_by(
                literal,
                format_args!("expected `key = value`: write `{NAME} = {literal}`"),
            );
            None
        }
        other => {
            ctxt.error_spanned_by(
                other,
                format_args!("expected `key = value`, e.g. `{NAME} = \"lz4\"`, found `{other}`"),
            );
            None
        }
    }
}

/// Checks `= value` after a known key and marks the key as seen.
fn argument_value<T>(
    ctxt: &Ctxt,
    symbol: Symbol,
    key: &Ident,
    slot: &mut Slot<T>,
    rest: &[TokenTree],
) -> Value {
    if slot.seen {
        ctxt.error_spanned_by(
            key,
            format_args!("duplicate key `{symbol}`: it is already set in this attribute"),
        );
        return Value::Duplicate;
    }
    slot.seen = true;
    let Some((eq, value)) = rest.split_first() else {
        ctxt.error_spanned_by(key, format_args!("`{symbol}` needs a value: `{symbol} = ...`"));
        return Value::Unreadable;
    };
    if !is_single_eq(eq, value) {
        ctxt.error_spanned_by(eq, format_args!("expected `=` after `{symbol}`, found `{eq}`"));
        return Value::Unreadable;
    }
    if value.is_empty() {
        ctxt.error_spanned_by(eq, format_args!("expected a value after `{symbol} =`"));
        return Value::Unreadable;
    }
    match value_expr(ctxt, symbol, value.iter().cloned().collect()) {
        Some(expr) => Value::Fresh(expr),
        None => Value::Unreadable,
    }
}

fn is_single_eq(token: &TokenTree, next: &[TokenTree]) -> bool {
    let TokenTree::Punct(punct) = token else {
        return false;
    };
    let joined_to_punct =
        punct.spacing() == Spacing::Joint && matches!(next.first(), Some(TokenTree::Punct(_)));
    punct.as_char() == '=' && !joined_to_punct
}

/// Parses a value as one expression; anything after it is a missing comma or stray tokens.
fn value_expr(ctxt: &Ctxt, symbol: Symbol, tokens: TokenStream) -> Option<Expr> {
    let first_span = tokens.clone().into_iter().next().map(|t| t.span());
    let parser = |input: ParseStream<'_>| {
        let expr: Expr = input.parse()?;
        let rest: TokenStream = input.parse()?;
        Ok((expr, rest))
    };
    match parser.parse2(tokens) {
        Ok((expr, rest)) if rest.is_empty() => Some(expr),
        Ok((_, rest)) => {
            if let Some(stray) = rest.into_iter().next() {
                ctxt.error_spanned_by(
                    &stray,
                    format_args!(
                        "unexpected `{stray}` after the value of `{symbol}`: separate arguments with `,`"
                    ),
                );
            }
            None
        }
        Err(_) => {
            ctxt.error_at(
                first_span.unwrap_or_else(Span::call_site),
                format_args!("expected a value after `{symbol} =`"),
            );
            None
        }
    }
}

/// `name = "..."`: a string literal (kept whole, for its span); the grammar is checked later.
fn name_value(ctxt: &Ctxt, value: &Expr) -> Option<LitStr> {
    match peel(value) {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(name), .. }) => Some(name.clone()),
        Expr::Path(path)
            if path.path.get_ident().is_some_and(|ident| name_problems(&ident.to_string()).is_empty()) =>
        {
            let ident = path.to_token_stream();
            ctxt.error_spanned_by(
                value,
                format_args!("`{NAME}` must be a string literal: write `{NAME} = \"{ident}\"`"),
            );
            None
        }
        Expr::Path(_) => {
            ctxt.error_spanned_by(
                value,
                format_args!(
                    "`{NAME}` must be a string literal, not a constant or path: \
                     write the codec's name itself in quotes, e.g. `{NAME} = \"lz4\"`"
                ),
            );
            None
        }
        _ => {
            ctxt.error_spanned_by(
                value,
                format_args!("`{NAME}` must be a string literal, e.g. `{NAME} = \"lz4\"`"),
            );
            None
        }
    }
}

/// `wire = Opaque`: a bare identifier; which identifiers are allowed is checked later. A string
/// (`"Opaque"`) or a path (`gzcm::wire::Opaque`) naming a marker gets the bare identifier as fix.
fn wire_value(ctxt: &Ctxt, value: &Expr) -> Option<Ident> {
    let written = match peel(value) {
        Expr::Path(path) if path.qself.is_none() => {
            if let Some(ident) = path.path.get_ident() {
                return Some(ident.clone());
            }
            path.path.segments.last().map(|segment| segment.ident.to_string())
        }
        Expr::Lit(syn::ExprLit { lit: Lit::Str(text), .. }) => Some(text.value()),
        _ => None,
    };
    let found = value.to_token_stream().to_string().replace(" :: ", "::");
    let message = match written.as_deref().and_then(crate::validate::wire_marker_named) {
        Some(marker) => {
            format!("`{WIRE}` takes a bare identifier, found `{found}`: write `{WIRE} = {marker}`")
        }
        None => crate::validate::wire_message(&found),
    };
    ctxt.error_spanned_by(value, message);
    None
}

/// `crate = path`: the path under which the `gzcm` facade is reachable, e.g. `gz` for a
/// dependency renamed `gz = { package = "gzcm" }`.
fn crate_value(ctxt: &Ctxt, value: &Expr) -> Option<syn::Path> {
    if let Expr::Path(path) = peel(value)
        && path.qself.is_none()
    {
        return Some(path.path.clone());
    }
    ctxt.error_spanned_by(
        value,
        format_args!(
            "`{CRATE}` must be a path to the gzcm crate, e.g. `{CRATE} = gz` for a renamed dependency"
        ),
    );
    None
}

/// Looks through the invisible groups that `macro_rules!` wraps around `$x:expr` fragments.
fn peel(mut expr: &Expr) -> &Expr {
    while let Expr::Group(group) = expr {
        expr = &group.expr;
    }
    expr
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(args: TokenStream) -> (CodecInput, Vec<String>) {
        let ctxt = Ctxt::new();
        let input = codec_input(
            &ctxt,
            args,
            quote!(
                struct Lz4;
            ),
        );
        let errors = match ctxt.check() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        };
        (input, errors)
    }

    #[test]
    fn reads_name_and_wire() {
        let (input, errors) = parse(quote!(name = "lz4", wire = SelfDescribing,));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(input.name.get().unwrap().value(), "lz4");
        assert_eq!(input.wire.get().unwrap().to_string(), "SelfDescribing");
        assert!(!input.unreadable_argument);
    }

    #[test]
    fn a_duplicate_keeps_the_first_value() {
        let (input, errors) = parse(quote!(name = "a", wire = Opaque, name = "b"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("duplicate key `name`"));
        assert_eq!(input.name.get().unwrap().value(), "a");
    }

    #[test]
    fn every_bad_argument_is_reported() {
        let (input, errors) = parse(quote!(name = 4, "x", level = 3, wire = Opaque fast,, wire));
        assert_eq!(
            errors,
            [
                "`name` must be a string literal, e.g. `name = \"lz4\"`",
                "expected `key = value`: write `name = \"x\"`",
                "unknown key `level`: the valid keys are `name`, `wire` and `crate`",
                "unexpected `fast` after the value of `wire`: separate arguments with `,`",
                "unexpected `,`: expected `key = value`",
                "duplicate key `wire`: it is already set in this attribute",
            ]
        );
        assert!(input.unreadable_argument);
        assert!(!input.name.is_missing() && input.name.get().is_none());
    }

    #[test]
    fn reads_a_crate_path() {
        let (input, errors) = parse(quote!(name = "lz4", wire = Opaque, crate = ::gz::inner));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(input.krate.get().unwrap().to_token_stream().to_string(), ":: gz :: inner");
    }

    #[test]
    fn markers_written_as_strings_or_paths_get_the_bare_identifier() {
        let (_, errors) = parse(quote!(name = "a", wire = "SelfDescribing"));
        assert_eq!(
            errors,
            ["`wire` takes a bare identifier, found `\"SelfDescribing\"`: write `wire = SelfDescribing`"]
        );
        let (_, errors) = parse(quote!(name = "a", wire = gzcm::wire::Opaque));
        assert_eq!(
            errors,
            ["`wire` takes a bare identifier, found `gzcm::wire::Opaque`: write `wire = Opaque`"]
        );
    }

    #[test]
    fn a_constant_name_is_not_quoted_back() {
        let (_, errors) = parse(quote!(name = SOME_CONST, wire = Opaque));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("not a constant") && !errors[0].contains("SOME_CONST"), "{errors:?}");
        let (_, errors) = parse(quote!(name = lz4, wire = Opaque));
        assert_eq!(errors, ["`name` must be a string literal: write `name = \"lz4\"`"]);
    }

    #[test]
    fn eq_must_stand_alone() {
        let (_, errors) = parse(quote!(name == "a", wire: Opaque));
        assert_eq!(errors, ["expected `=` after `name`, found `=`", "expected `=` after `wire`, found `:`"]);
    }
}
