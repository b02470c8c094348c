//! Reading a `.gzcm` file: where its bytes come from ([`source`]), the [`Reader`](crate::Reader)
//! that opens and validates it, the tile fetcher and cache it owns, window reads, and
//! whole-file verification. Everything about the bytes' meaning comes from [`crate::format`].

pub mod cache;
pub(crate) mod fetch;
pub(crate) mod reader;
pub mod source;
pub(crate) mod verify;
pub(crate) mod window;
