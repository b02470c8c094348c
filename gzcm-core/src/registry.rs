//! The codec registry: a value type tests can build on their own, and the process-wide default.
//!
//! Codecs declared with `#[codec]` anywhere in the program are collected at link time
//! ([`Registry::linked`]); more can be added at run time ([`Registry::register`],
//! [`register_codec`]). A name never silently changes hands: registering a different codec
//! under a taken name is an error, and two linked crates declaring the same name make that name
//! fail at lookup with [`RegistryError::Conflict`]. Such a contested name is not listed by
//! [`Registry::names`] / [`list_codecs`] (only usable names are); [`Registry::conflicts`] /
//! [`list_codec_conflicts`] list it.
//!
//! **A codec crate must be linked to be registered.** The linker drops a dependency that the
//! program never names, and its `#[codec]` registrations with it: its codecs are then unknown
//! (and two such crates that clash raise no conflict). Name the crate once anywhere in the
//! binary, e.g. `use my_codecs as _;`. [`RegistryError::UnknownCodec`] says so.

use std::collections::BTreeMap;
use std::sync::{LazyLock, PoisonError, RwLock};

use crate::codec::{CodecDescriptor, validate_codec_name};
use crate::error::RegistryError;

/// What `#[codec]` submits to `inventory`. Not public API: used by generated code.
#[doc(hidden)]
pub struct CodecRegistration(pub CodecDescriptor);

inventory::collect!(CodecRegistration);

/// A name's holder: one codec, or several linked declarations that clash.
#[derive(Clone, Debug)]
enum Slot {
    One(CodecDescriptor),
    Clash(Vec<CodecDescriptor>),
}

/// A set of codecs by name.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    slots: BTreeMap<String, Slot>,
}

impl Registry {
    /// A registry with no codecs.
    #[must_use]
    pub fn empty() -> Self {
        Registry::default()
    }

    /// A registry of every codec declared with `#[codec]` in the crates linked into this program.
    ///
    /// The built-in codecs are only linked when something references `gzcm-codecs`; the `gzcm`
    /// facade's registry functions do, so use them (or call `gzcm_codecs::link()`) rather than
    /// this constructor directly when you want the built-ins.
    #[must_use]
    pub fn linked() -> Self {
        let mut registry = Registry::empty();
        for CodecRegistration(descriptor) in inventory::iter::<CodecRegistration> {
            registry.insert_linked(descriptor.clone());
        }
        registry
    }

    fn insert_linked(&mut self, descriptor: CodecDescriptor) {
        let name = descriptor.name().to_owned();
        match self.slots.remove(&name) {
            None => self.slots.insert(name, Slot::One(descriptor)),
            Some(Slot::One(existing)) if existing.same_codec(&descriptor) => {
                self.slots.insert(name, Slot::One(existing))
            }
            Some(Slot::One(existing)) => self.slots.insert(name, Slot::Clash(vec![existing, descriptor])),
            Some(Slot::Clash(mut all)) => {
                all.push(descriptor);
                self.slots.insert(name, Slot::Clash(all))
            }
        };
    }

    /// Adds a codec. Registering the same codec again is a no-op.
    ///
    /// # Errors
    /// [`RegistryError::NameTaken`] when a different codec holds the name (or the name is
    /// contested by linked crates), [`RegistryError::InvalidName`] for a malformed name.
    pub fn register(&mut self, descriptor: CodecDescriptor) -> Result<(), RegistryError> {
        validate_codec_name(descriptor.name())?;
        match self.slots.get(descriptor.name()) {
            None => {
                self.slots.insert(descriptor.name().to_owned(), Slot::One(descriptor));
                Ok(())
            }
            Some(Slot::One(existing)) if existing.same_codec(&descriptor) => Ok(()),
            Some(slot) => {
                let existing = slot.first();
                Err(RegistryError::NameTaken {
                    name: descriptor.name().to_owned(),
                    existing: existing.type_name().to_owned(),
                    existing_origin: existing.origin().to_owned(),
                    incoming: descriptor.type_name().to_owned(),
                    incoming_origin: descriptor.origin().to_owned(),
                })
            }
        }
    }

    /// The codec registered under `name`.
    ///
    /// # Errors
    /// [`RegistryError::UnknownCodec`] (with every available name and a close match, if any),
    /// or [`RegistryError::Conflict`] when linked crates declare the name more than once.
    pub fn get(&self, name: &str) -> Result<&CodecDescriptor, RegistryError> {
        match self.slots.get(name) {
            Some(Slot::One(descriptor)) => Ok(descriptor),
            Some(Slot::Clash(all)) => Err(RegistryError::Conflict {
                name: name.to_owned(),
                origins: all.iter().map(|d| format!("{} ({})", d.type_name(), d.origin())).collect(),
            }),
            None => Err(self.unknown(name)),
        }
    }

    /// The usable names, sorted: every name [`Registry::get`] resolves. Names contested by
    /// linked crates are left out (see [`Registry::conflicts`]).
    #[must_use]
    pub fn names(&self) -> Vec<String> {
        self.descriptors().map(|descriptor| descriptor.name().to_owned()).collect()
    }

    /// The names that several linked crates declare with different codecs, sorted: each fails
    /// [`Registry::get`] with [`RegistryError::Conflict`] and is not in [`Registry::names`].
    #[must_use]
    pub fn conflicts(&self) -> Vec<String> {
        self.slots
            .iter()
            .filter(|(_, slot)| matches!(slot, Slot::Clash(_)))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Every usable codec (contested names left out), sorted by name.
    pub fn descriptors(&self) -> impl Iterator<Item = &CodecDescriptor> {
        self.slots.values().filter_map(|slot| match slot {
            Slot::One(descriptor) => Some(descriptor),
            Slot::Clash(_) => None,
        })
    }

    fn unknown(&self, name: &str) -> RegistryError {
        let available = self.names();
        let suggestion = closest(name, &available);
        RegistryError::UnknownCodec { name: name.to_owned(), available, suggestion }
    }
}

impl Slot {
    fn first(&self) -> &CodecDescriptor {
        match self {
            Slot::One(descriptor) => descriptor,
            Slot::Clash(all) => &all[0],
        }
    }
}

/// The registered name closest to `name`, if it is close enough to be a likely typo.
fn closest(name: &str, available: &[String]) -> Option<String> {
    let limit = (name.len() / 3).max(1);
    available
        .iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.clone())
}

/// Levenshtein distance over bytes (names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.as_bytes().iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

static GLOBAL: LazyLock<RwLock<Registry>> = LazyLock::new(|| RwLock::new(Registry::linked()));

/// Runs `f` with the process-wide registry (built from the linked codecs on first use).
pub fn with_global<R>(f: impl FnOnce(&Registry) -> R) -> R {
    f(&GLOBAL.read().unwrap_or_else(PoisonError::into_inner))
}

/// The names of every usable codec in the process-wide registry, sorted (contested names are
/// left out: see [`list_codec_conflicts`]).
#[must_use]
pub fn list_codecs() -> Vec<String> {
    with_global(Registry::names)
}

/// The names that linked crates declare more than once in the process-wide registry, sorted:
/// [`get_codec`] refuses each with [`RegistryError::Conflict`].
#[must_use]
pub fn list_codec_conflicts() -> Vec<String> {
    with_global(Registry::conflicts)
}

/// The descriptor of the codec called `name` in the process-wide registry.
///
/// # Errors
/// [`RegistryError::UnknownCodec`] listing what is available, or [`RegistryError::Conflict`].
pub fn get_codec(name: &str) -> Result<CodecDescriptor, RegistryError> {
    with_global(|registry| registry.get(name).cloned())
}

/// Adds a codec to the process-wide registry at run time.
///
/// # Errors
/// As [`Registry::register`].
pub fn register_codec(descriptor: CodecDescriptor) -> Result<(), RegistryError> {
    GLOBAL.write().unwrap_or_else(PoisonError::into_inner).register(descriptor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("zstd", "zstd"), 0);
        assert_eq!(edit_distance("zsdt", "zstd"), 2);
        assert_eq!(edit_distance("lz4", "lz5"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn closest_suggests_only_near_names() {
        let names = vec!["cmc".to_owned(), "lz4".to_owned(), "zstd".to_owned()];
        assert_eq!(closest("zstf", &names).as_deref(), Some("zstd"));
        assert_eq!(closest("lz5", &names).as_deref(), Some("lz4"));
        assert_eq!(closest("brotli", &names), None);
    }
}
