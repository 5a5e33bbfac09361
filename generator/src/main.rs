//! `sdkgen`: the generator's command line (see `sdkgen --help`).

fn main() {
    std::process::exit(sdkgen::cli::run(std::env::args().skip(1), None));
}
