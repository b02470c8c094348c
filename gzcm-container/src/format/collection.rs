//! Multi-resolution collections (format revision collection-1, docs/format.md): a version-5
//! file holding any number of single-resolution members of one genome. [`table`] is the
//! collection header (its JSON, seal and table of resolutions), `member` the rules that tie a
//! member to the table and the re-layout of an ordinary file as a member, [`error`] what can be
//! wrong with either.

pub mod error;
pub(crate) mod member;
pub mod table;

pub use error::{CollectionError, MemberInputError};
pub use table::{
    COLLECTION_KIND, COLLECTION_VERSION, ChromSize, CollectionGenome, CollectionHeader, CollectionMetadata,
    MIN_MEMBER_BYTES, ResolutionEntry, SEAL_BYTES, is_collection, parse,
};
