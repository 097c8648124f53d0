use std::process::ExitCode;

use clap::Parser;
use tiaoshu::cli::{Cli, Command};
use tiaoshu::cmd;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tiaoshu::scan::install_panic_hook();
    let result = match &cli.command {
        Command::Scan(a) => cmd::scan::run(a),
        Command::Assess(a) => cmd::assess::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Patterns(a) => cmd::patterns::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // (a path in the message may name a person: masked as in reports)
            let message = format!("{e:#}");
            eprintln!("tiaoshu: {}", tiaoshu::detect::mask::mask_names(&message));
            ExitCode::from(cmd::EXIT_ERROR)
        }
    }
}
