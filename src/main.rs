fn main() -> std::process::ExitCode {
    belysa::cli::main()
}
