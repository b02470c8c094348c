//! One module per subcommand; each has its arguments (clap derive) and a `run`.

pub(crate) mod balance;
pub(crate) mod codecs;
pub(crate) mod convert;
pub(crate) mod demo;
pub(crate) mod expected;
pub(crate) mod export;
pub(crate) mod export_cooler;
pub(crate) mod extract;
pub(crate) mod extract_genome;
pub(crate) mod info;
pub(crate) mod info_genome;
pub(crate) mod load;
pub(crate) mod plot;
pub(crate) mod serve;
pub(crate) mod verify;
pub(crate) mod zoomify;

use crate::args::{Cli, Command};

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    crate::remote::set_settings(cli.endpoint, cli.timeout);
    match cli.command {
        Command::Convert(args) => crate::remote::convert(args),
        Command::Info(args) => info::run(&args),
        Command::Codecs(args) => codecs::run(&args),
        Command::Extract(args) => extract::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Zoomify(args) => zoomify::run(&args),
        Command::Balance(args) => balance::run(&args),
        Command::Expected(args) => expected::run(&args),
        Command::Load(args) => load::run(&args),
        Command::Plot(args) => plot::run(&args),
        Command::Serve(args) => serve::run(&args),
    }
}
