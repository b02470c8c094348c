//! Standard output that reports a failed write as an error instead of panicking: `println!`
//! panics (exit 101 and a backtrace) when stdout is full or closed, e.g. `gzcm info F >
//! /dev/full`. Every line the commands print goes through [`outln!`] or [`out!`], which evaluate to
//! an `io::Result<()>` for `?`; the error keeps its kind, so a closed pipe still counts as success
//! in `main`.

use std::fmt;
use std::io::{self, Write};

/// Writes `args` (and a newline with `newline`) to standard output and flushes it.
///
/// # Errors
/// The write's error, its message saying that standard output failed.
pub(crate) fn write(args: fmt::Arguments<'_>, newline: bool) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| if newline { out.write_all(b"\n") } else { Ok(()) })
        .and_then(|()| out.flush());
    written.map_err(|e| io::Error::new(e.kind(), format!("could not write to standard output: {e}")))
}

/// `println!` that returns the write's `io::Result` instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*), true)
    };
}

/// `print!` that returns the write's `io::Result` instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*), false)
    };
}

pub(crate) use {out, outln};
