//! `gzcm`: Hi-C contact matrices as compressed, randomly accessible tiles.
//!
//! The binary only parses arguments and presents results; the work is done by `gzcm-io`
//! (inputs and outputs), `gzcm-container` (the `.gzcm` file) and the codecs behind `gzcm`.
//! Exit codes: 0 success (a closed output pipe counts as success), 1 runtime error (printed
//! with its chain of causes), 2 bad arguments (clap).

#![forbid(unsafe_code)]

mod args;
mod cmd;
mod file_arg;
mod genome_range;
mod out;
mod progress;
mod remote;
mod safety;
mod strips;
mod table;

use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", chain(&error));
            ExitCode::from(1)
        }
    }
}

/// Whether the error comes from writing to a pipe whose reader has gone (e.g. `| head`).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| cause.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}

/// The error and its causes, `: `-separated, skipping a cause its parent already quotes.
fn chain(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let message = cause.to_string();
        if !text.contains(&message) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&message);
        }
    }
    text
}
