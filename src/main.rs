//! The `zhclean` command-line filter. Everything lives in the `cli` module; the cleaning
//! itself is the `zhclean` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
