//! The rules of a declaration (SPEC §5–6): name grammar and length, known wire format, and an
//! item that is one concrete type. Each broken rule is reported on the token that breaks it.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};
use syn::LitStr;

use crate::ctxt::Ctxt;
use crate::name_rule::{self, NameProblem};
use crate::parse::{CodecInput, CodecItem, Slot, TypeParts};
use crate::symbol::{NAME, OPAQUE, SELF_DESCRIBING, Symbol, WIRE};

/// The message for any `wire` value that is not one of the two markers.
pub(crate) const WIRE_VALUES: &str = "`wire` must be `Opaque` or `SelfDescribing`";

/// A declaration that passed every rule: what `expand` needs.
pub(crate) struct Declaration<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) name: &'a LitStr,
    pub(crate) wire: Wire,
    /// Where the facade is: `::gzcm`, or the `crate = ...` path.
    pub(crate) krate: TokenStream,
    /// The item's `#[cfg]` attributes, repeated on every generated item.
    pub(crate) cfgs: Vec<&'a syn::Attribute>,
}

/// The declared wire format and the span of the identifier that declared it.
#[derive(Clone, Copy)]
pub(crate) struct Wire {
    pub(crate) kind: WireKind,
    pub(crate) span: Span,
}

/// The two wire formats, as type-level markers in `gzcm::wire`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WireKind {
    Opaque,
    SelfDescribing,
}

impl WireKind {
    pub(crate) fn from_ident(ident: &Ident) -> Option<Self> {
        if ident == OPAQUE {
            Some(WireKind::Opaque)
        } else if ident == SELF_DESCRIBING {
            Some(WireKind::SelfDescribing)
        } else {
            None
        }
    }

    pub(crate) fn symbol(self) -> Symbol {
        match self {
            WireKind::Opaque => OPAQUE,
            WireKind::SelfDescribing => SELF_DESCRIBING,
        }
    }
}

/// Checks every rule, reporting each broken one; `Some` only when the declaration is sound.
pub(crate) fn declaration<'a>(ctxt: &Ctxt, input: &'a CodecInput) -> Option<Declaration<'a>> {
    let report_missing = !input.unreadable_argument;
    let name = check_name(ctxt, &input.name, report_missing);
    let wire = check_wire(ctxt, &input.wire, report_missing);
    // Every check runs before any early return, so that all the mistakes are reported.
    let parts = check_item(ctxt, &input.item)?;
    Some(Declaration {
        ident: parts.ident,
        name: name?,
        wire: wire?,
        krate: krate(input),
        cfgs: parts.cfgs(),
    })
}

/// The facade's path in generated code: `crate = ...` when given, else `::gzcm`.
pub(crate) fn krate(input: &CodecInput) -> TokenStream {
    match input.krate.get() {
        Some(path) => quote!(#path),
        None => quote!(::gzcm),
    }
}

fn check_name<'a>(ctxt: &Ctxt, slot: &'a Slot<LitStr>, report_missing: bool) -> Option<&'a LitStr> {
    if slot.is_missing() && report_missing {
        ctxt.error_at(
            Span::call_site(),
            format_args!(
                "missing `{NAME}`: add `{NAME} = \"...\"`, the codec's registered name, e.g. `{NAME} = \"lz4\"`"
            ),
        );
        return None;
    }
    let literal = slot.get()?;
    if !literal.suffix().is_empty() {
        ctxt.error_spanned_by(literal, "the codec name cannot have a literal suffix");
        return None;
    }
    let problems = name_problems(&literal.value());
    for problem in &problems {
        ctxt.error_spanned_by(literal, problem);
    }
    problems.is_empty().then_some(literal)
}

/// What is wrong with a codec name, one message per broken rule of `[a-z][a-z0-9_.-]*`, at most
/// 32 bytes. The rule itself is `gzcm-core`'s (`name_rule`, shared by path): only the wording
/// is the macro's.
pub(crate) fn name_problems(name: &str) -> Vec<String> {
    let problems = name_rule::problems(name);
    let only = problems.len() == 1;
    problems
        .into_iter()
        .map(|problem| match problem {
            NameProblem::Empty => "the codec name is empty: it must match `[a-z][a-z0-9_.-]*`".to_owned(),
            NameProblem::TooLong { len } => {
                format!("the codec name is {len} bytes long: the limit is {} bytes", name_rule::MAX_LEN)
            }
            NameProblem::UpperCase => {
                // The fix is given only when lowercasing is enough.
                let hint = if only { format!("; write `\"{}\"`", name.to_ascii_lowercase()) } else { String::new() };
                format!("the codec name `{name}` has upper-case letters: names are lowercase, `[a-z][a-z0-9_.-]*`{hint}")
            }
            NameProblem::BadFirst(first) => format!(
                "the codec name must start with a lowercase letter `a`-`z`, not {}",
                describe_char(first)
            ),
            NameProblem::BadChar(bad) => format!(
                "the codec name contains {}: after the first letter only `a`-`z`, `0`-`9`, `_`, `.` and `-` are allowed",
                describe_char(bad)
            ),
        })
        .collect()
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_whitespace() || c.is_control() => format!("`{}`", c.escape_default()),
        c => format!("`{c}`"),
    }
}

fn check_wire(ctxt: &Ctxt, slot: &Slot<Ident>, report_missing: bool) -> Option<Wire> {
    if slot.is_missing() && report_missing {
        ctxt.error_at(
            Span::call_site(),
            format_args!(
                "missing `{WIRE}`: add `{WIRE} = {OPAQUE}` (the writer prepends the 8-byte shape header) \
                 or `{WIRE} = {SELF_DESCRIBING}` (the payload's own header carries the shape)"
            ),
        );
        return None;
    }
    let ident = slot.get()?;
    let Some(kind) = WireKind::from_ident(ident) else {
        ctxt.error_spanned_by(ident, wire_message(&ident.to_string()));
        return None;
    };
    Some(Wire { kind, span: ident.span() })
}

/// The marker a string or path names, when it names one (for "write the bare identifier").
pub(crate) fn wire_marker_named(written: &str) -> Option<Symbol> {
    [OPAQUE, SELF_DESCRIBING].into_iter().find(|symbol| symbol.as_str() == written)
}

/// The message for an unknown `wire` identifier, with the intended one when only the spelling
/// differs (`opaque`, `self_describing`).
pub(crate) fn wire_message(found: &str) -> String {
    let normalized = found.replace('_', "").to_ascii_lowercase();
    let hint = [OPAQUE, SELF_DESCRIBING]
        .into_iter()
        .find(|symbol| symbol.as_str().to_ascii_lowercase() == normalized);
    match hint {
        Some(symbol) => format!("{WIRE_VALUES}, found `{found}`: write `{symbol}`"),
        None => format!("{WIRE_VALUES}, found `{found}`"),
    }
}

fn check_item<'a>(ctxt: &Ctxt, item: &'a CodecItem) -> Option<TypeParts<'a>> {
    let parsed = item.parsed.as_ref()?;
    let Some(parts) = item.type_parts() else {
        let (what, head) = describe_item(parsed);
        ctxt.error_spanned_by(head, format_args!("#[codec] goes on a struct or an enum, not on {what}"));
        return None;
    };
    if !parts.generics.params.is_empty() {
        ctxt.error_spanned_by(
            parts.generics,
            "a codec type cannot have generic parameters: the registry maps each name to one concrete type",
        );
        return None;
    }
    Some(parts)
}

/// What the item is, and the tokens to point at (its keyword and name).
fn describe_item(item: &syn::Item) -> (&'static str, TokenStream) {
    use syn::Item;
    match item {
        Item::Fn(f) => ("a function", head(&f.sig.fn_token, &f.sig.ident)),
        Item::Union(u) => ("a union", head(&u.union_token, &u.ident)),
        Item::Trait(t) => ("a trait", head(&t.trait_token, &t.ident)),
        Item::TraitAlias(t) => ("a trait alias", head(&t.trait_token, &t.ident)),
        Item::Type(t) => ("a type alias", head(&t.type_token, &t.ident)),
        Item::Const(c) => ("a constant", head(&c.const_token, &c.ident)),
        Item::Static(s) => ("a static", head(&s.static_token, &s.ident)),
        Item::Mod(m) => ("a module", head(&m.mod_token, &m.ident)),
        Item::Impl(i) => ("an impl block", head(&i.impl_token, &i.self_ty)),
        Item::Use(u) => ("a `use` declaration", u.to_token_stream()),
        _ => ("this item", item.to_token_stream()),
    }
}

fn head(keyword: &impl ToTokens, name: &impl ToTokens) -> TokenStream {
    quote!(#keyword #name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_names_pass() {
        for good in ["zstd", "cmc_zstd", "a", "x1.2-b_c", "lz4", &"a".repeat(32)] {
            assert!(name_problems(good).is_empty(), "{good}");
        }
    }

    #[test]
    fn bad_names_say_which_rule() {
        let cases: [(&str, &str); 8] = [
            ("", "empty"),
            ("Zstd", "upper-case letters: names are lowercase, `[a-z][a-z0-9_.-]*`; write `\"zstd\"`"),
            ("1abc", "must start with a lowercase letter `a`-`z`, not `1`"),
            ("_x", "must start with a lowercase letter `a`-`z`, not `_`"),
            ("has space", "contains a space"),
            ("ü", "not `ü`"),
            ("a\tb", "contains `\\t`"),
            (&"a".repeat(33), "33 bytes long: the limit is 32 bytes"),
        ];
        for (name, expected) in cases {
            let problems = name_problems(name);
            assert_eq!(problems.len(), 1, "{name:?}: {problems:?}");
            assert!(problems[0].contains(expected), "{name:?}: {problems:?}");
        }
    }

    #[test]
    fn every_broken_rule_is_reported() {
        let problems = name_problems(&format!("My codec{}", "x".repeat(30)));
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("38 bytes long"));
        assert!(problems[1].contains("upper-case"));
        assert!(problems[2].contains("contains a space"));
    }

    #[test]
    fn upper_case_hint_only_when_lowercasing_fixes_it() {
        assert!(!name_problems("My Codec")[0].contains("write"));
    }

    #[test]
    fn wire_message_suggests_the_spelling() {
        assert_eq!(wire_message("Framed"), "`wire` must be `Opaque` or `SelfDescribing`, found `Framed`");
        assert!(wire_message("self_describing").ends_with("write `SelfDescribing`"));
        assert!(wire_message("opaque").ends_with("write `Opaque`"));
    }
}
