//! The `accord` binary.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

/// mimalloc: a request allocates thousands of small objects on several
/// threads at once, where glibc's arenas contend (see the README's
/// Performance section for the measurement).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let filter = EnvFilter::try_from_env("ACCORD_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let json = std::env::var("ACCORD_LOG_FORMAT").is_ok_and(|f| f == "json");
    // Colours only for a person at a terminal: a file, a pipe or a
    // journal gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
    accord_api::cli::run().await
}
