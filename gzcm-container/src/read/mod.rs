//! Reading a `.gzcm` file: where its bytes come from ([`source`]), the [`Reader`](crate::Reader)
//! that opens and validates a single-resolution file, the [`Collection`](crate::Collection) of a
//! multi-resolution file and the [`GzcmFile`](crate::GzcmFile) that is either, the tile fetcher
//! and cache a reader owns, window reads, and whole-file verification. Everything about the
//! bytes' meaning comes from [`crate::format`].

pub mod cache;
pub(crate) mod collection;
pub(crate) mod fetch;
pub(crate) mod file;
pub(crate) mod head;
pub(crate) mod member;
pub(crate) mod reader;
pub mod source;
pub(crate) mod verify;
pub(crate) mod window;
