//! The `accord` binary.

/// mimalloc: a request allocates thousands of small objects on several
/// threads at once, where glibc's arenas contend (see the README's
/// Performance section for the measurement). Built with its `override`
/// feature, it also serves `malloc` and `free` to the C code linked in:
/// SQLite's statements and rows.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // The log is set up by the command line, which knows whether traces
    // are exported too (`telemetry`).
    accord_api::cli::run().await
}
