//! The `accord` command line: `serve`, `token`, `migrate`, `audit verify`.

use std::process::ExitCode;
use std::sync::Arc;

use accord_workflow::{Store, StoreConfig};
use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};

use crate::auth::{TokenRequest, mint_hs256};
use crate::config::Settings;
use crate::server::{self, AppState};

/// Accord keeps the drafts of intergovernmental documents on their way to
/// approval by several bodies (secretariats, member states, working
/// groups, councils), with the notes verbales, meetings and decisions that
/// carry them, and serves them as a GraphQL API.
#[derive(Debug, Parser)]
#[command(
    name = "accord",
    version,
    about = "Accord: drafts of intergovernmental documents, approved by several bodies, served as a GraphQL API.",
    long_about = None,
    after_help = "To start:\n  accord serve --demo     a server with demo data, and a token for each role\n  open http://127.0.0.1:8000/graphql and send a token as `Authorization: Bearer <token>`\n\n`accord <command> --help` tells a command's options (each also read from its ACCORD_* variable)."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the server (GraphiQL at /graphql).
    Serve {
        #[command(flatten)]
        settings: Box<Settings>,
        /// Load the demo data (once) and print a token for each role.
        #[arg(long)]
        demo: bool,
    },
    /// Print a development token signed with the configured HS256 secret
    /// (ACCORD_JWT_SECRET, or the secret a development server keeps in
    /// --dev-secret-file; none is made up).
    Token {
        #[command(flatten)]
        signing: SigningArgs,
        /// The person's id.
        #[arg(long)]
        sub: String,
        /// The person's name.
        #[arg(long)]
        name: String,
        /// The organisation code, e.g. CICA, SCO, KAZ.
        #[arg(long)]
        org: String,
        /// A role (repeat or separate with commas): secretariat,
        /// secretary_general, delegate, counterpart, observer, admin.
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<String>,
        /// Hours until the token expires.
        #[arg(long, default_value_t = 12)]
        ttl_hours: i64,
    },
    /// Apply the database migrations.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    Schema,
    /// Audit-log commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the hash chain; exit 0 when intact, 1 naming the first bad entry.
    /// Reads an existing database: creates none and migrates nothing.
    Verify {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// The options of a command that only opens the database.
#[derive(Debug, clap::Args)]
struct DatabaseArgs {
    /// Database URL: `sqlite://accord.db?mode=rwc` (default) or `postgres://…`.
    #[arg(
        long,
        env = "ACCORD_DATABASE_URL",
        default_value = "sqlite://accord.db?mode=rwc"
    )]
    database_url: String,
}

impl DatabaseArgs {
    /// The server's settings (from their variables or defaults) with this
    /// database.
    fn settings(self) -> anyhow::Result<Settings> {
        let mut settings = defaults()?;
        settings.database_url = self.database_url;
        Ok(settings)
    }
}

/// The options of `accord token`: what a server checks its tokens with.
#[derive(Debug, clap::Args)]
struct SigningArgs {
    /// The server's HS256 secret (at least 32 bytes). Without it, the
    /// secret a development server keeps in --dev-secret-file.
    #[arg(long, env = "ACCORD_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// The `iss` claim.
    #[arg(long, env = "ACCORD_JWT_ISSUER", default_value = "accord")]
    jwt_issuer: String,
    /// The `aud` claim.
    #[arg(long, env = "ACCORD_JWT_AUDIENCE", default_value = "accord")]
    jwt_audience: String,
    /// The longest lifetime the server accepts, in seconds.
    #[arg(long, env = "ACCORD_JWT_MAX_LIFETIME_SECS", default_value_t = crate::auth::DEFAULT_MAX_LIFETIME_SECS)]
    jwt_max_lifetime_secs: u64,
    /// Where a development server keeps its generated HS256 secret.
    #[arg(
        long,
        env = "ACCORD_DEV_SECRET_FILE",
        default_value = ".accord-dev-secret"
    )]
    dev_secret_file: std::path::PathBuf,
}

impl SigningArgs {
    /// The server's settings (from their variables or defaults) with
    /// these.
    fn settings(self) -> anyhow::Result<Settings> {
        let mut settings = defaults()?;
        settings.jwt_secret = self.jwt_secret;
        settings.jwt_issuer = self.jwt_issuer;
        settings.jwt_audience = self.jwt_audience;
        settings.jwt_max_lifetime_secs = self.jwt_max_lifetime_secs;
        settings.dev_secret_file = self.dev_secret_file;
        // A token is signed with the secret, whatever key the server
        // would otherwise verify with.
        settings.jwt_public_key = None;
        settings.jwt_jwks_url = None;
        settings.jwt_oidc_issuer = None;
        Ok(settings)
    }
}

/// The server's settings as their variables (or defaults) give them,
/// for a command that takes only some of them as options.
fn defaults() -> anyhow::Result<Settings> {
    #[derive(Parser)]
    #[command(name = "accord")]
    struct Defaults {
        #[command(flatten)]
        settings: Settings,
    }
    Ok(Defaults::try_parse_from(["accord"])
        .context("reading the ACCORD_* variables")?
        .settings)
}

/// Parses the command line, sets up the log (and, for `serve` with an
/// OTLP endpoint, the export of traces), and runs it. The exporter is shut
/// down once the command has ended, so that the spans it still holds are
/// sent.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let otlp = match &cli.command {
        Command::Serve { settings, .. } => settings.otlp(),
        _ => Ok(None),
    };
    let telemetry = match otlp.and_then(|otlp| {
        let telemetry = crate::telemetry::init(otlp.as_ref())?;
        if let Some(otlp) = &otlp {
            tracing::info!(
                endpoint = %crate::redact::url_for_display(otlp.traces_url().as_str()),
                service_name = otlp.service_name(),
                "exporting traces over OTLP"
            );
        }
        Ok(telemetry)
    }) {
        Ok(telemetry) => telemetry,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let code = match dispatch(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    };
    telemetry.shutdown().await;
    code
}

/// Runs the command line `args` (the program's name first), as the
/// binary does; an error instead of a message and exit code 1. For tests.
pub async fn execute<I, T>(args: I) -> anyhow::Result<ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    dispatch(Cli::try_parse_from(args)?).await
}

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { settings, demo } => serve(*settings, demo).await,
        Command::Token {
            signing,
            sub,
            name,
            org,
            roles,
            ttl_hours,
        } => {
            let token = mint(&signing.settings()?, &sub, &name, &org, roles, ttl_hours)?;
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            print!("{}", crate::schema::sdl());
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { database } => {
            let settings = database.settings()?;
            server::connect(&settings).await?;
            println!(
                "migrations applied to {}",
                crate::redact::url_for_display(&settings.database_url)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify { database },
        } => {
            let store = open_existing(&database.settings()?).await?;
            let verdict = accord_workflow::audit::verify(store.db())
                .await
                .context(
                    "reading the audit log (is this an Accord database? `accord migrate` creates the schema)",
                )?;
            match verdict {
                accord_workflow::audit::Verdict::Intact { entries } => {
                    println!("audit log intact: {entries} entries verified");
                    Ok(ExitCode::SUCCESS)
                }
                accord_workflow::audit::Verdict::Broken { seq, reason } => {
                    println!("audit log broken at entry {seq}: {reason}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

fn mint(
    settings: &Settings,
    sub: &str,
    name: &str,
    org: &str,
    roles: Vec<String>,
    ttl_hours: i64,
) -> anyhow::Result<String> {
    let auth = settings.auth_config_for_tokens()?;
    let secret = auth
        .hs256_secret
        .context("tokens can only be minted with an HS256 secret; an external identity provider issues them otherwise")?;
    for role in &roles {
        accord_domain::Role::from_claim(role)?;
    }
    if ttl_hours.saturating_mul(3600) > i64::try_from(auth.max_lifetime_secs).unwrap_or(i64::MAX) {
        anyhow::bail!(
            "--ttl-hours {ttl_hours} is longer than the server accepts ({} s, ACCORD_JWT_MAX_LIFETIME_SECS)",
            auth.max_lifetime_secs
        );
    }
    Ok(mint_hs256(
        &secret,
        &auth.issuer,
        &auth.audience,
        &TokenRequest {
            sub: sub.to_owned(),
            name: name.to_owned(),
            org: org.to_owned(),
            roles,
            ttl: chrono::Duration::hours(ttl_hours),
        },
    )?)
}

/// Opens the configured database for a command that only reads it: a
/// SQLite file that does not exist is an error (it is not created), and no
/// migration runs.
async fn open_existing(settings: &Settings) -> anyhow::Result<Store> {
    if let Some(path) = sqlite_file(&settings.database_url)
        && !path.exists()
    {
        bail!(
            "there is no database at {}: this command reads an existing database and creates \
             none; name the server's database with --database-url (ACCORD_DATABASE_URL)",
            path.display()
        );
    }
    let mut config = StoreConfig::new(settings.database_url.clone());
    config.max_connections = 2;
    config.create_if_missing = false;
    Store::connect(&config).await.with_context(|| {
        format!(
            "opening the database {}",
            crate::redact::url_for_display(&settings.database_url)
        )
    })
}

/// The file of a SQLite URL (`sqlite://path?…`, `sqlite:path`), as sqlx
/// reads it; `None` for another database or an in-memory one.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(std::path::PathBuf::from(
        crate::redact::percent_decode(path, false).into_owned(),
    ))
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<ExitCode> {
    let state = Arc::new(AppState::prepare(&settings).await?);
    if demo {
        let summary = crate::demo::load(state.store()).await?;
        if summary.loaded {
            println!("demo data loaded:");
        } else {
            println!("demo data already present:");
        }
        for (id, title, draft_state) in &summary.drafts {
            println!("  {draft_state:<15} {id}  {title}");
        }
        println!("\ntokens (valid 12 hours; send as `Authorization: Bearer <token>`):");
        for person in crate::demo::PEOPLE {
            let role = person.role.claim_name();
            let token = mint(
                &settings,
                person.sub,
                person.name,
                person.org,
                vec![role.to_owned()],
                12,
            )?;
            println!("\n# {}, {role} of {}\n{token}", person.name, person.org);
        }
        println!();
    }
    let jobs = server::scheduler(&settings, state.store()).map(|scheduler| {
        tracing::info!(?scheduler, "background jobs started");
        scheduler.spawn()
    });
    let running = server::spawn(&settings, state).await?;
    println!(
        "Accord listening on {} (GraphiQL: {}/graphql)",
        running.url(),
        running.url()
    );
    tracing::info!(addr = %running.addr, "listening");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    tracing::info!("shutting down");
    running.stop().await;
    if let Some(jobs) = jobs {
        jobs.stop().await;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    fn help(path: &[&str]) -> String {
        let mut command = Cli::command();
        let mut at = &mut command;
        for name in path {
            at = at.find_subcommand_mut(name).unwrap();
        }
        at.render_help().to_string()
    }

    #[test]
    fn each_command_shows_only_its_own_options() {
        let token = help(&["token"]);
        for own in [
            "--sub",
            "--org",
            "--role",
            "--jwt-secret",
            "--dev-secret-file",
        ] {
            assert!(token.contains(own), "{own}: {token}");
        }
        for other in [
            "--database-url",
            "--listen",
            "--max-depth",
            "--metrics-token",
            "--demo",
            "--otlp-endpoint",
        ] {
            assert!(!token.contains(other), "{other}: {token}");
        }
        for path in [&["migrate"][..], &["audit", "verify"]] {
            let shown = help(path);
            assert!(shown.contains("--database-url"), "{shown}");
            for other in [
                "--jwt-secret",
                "--listen",
                "--sub",
                "--files-dir",
                "--metrics",
            ] {
                assert!(!shown.contains(other), "{path:?} {other}: {shown}");
            }
        }
        let serve = help(&["serve"]);
        for own in [
            "--listen",
            "--database-url",
            "--demo",
            "--jwt-jwks-url",
            "--metrics-listen",
            "--otlp-endpoint",
            "--otlp-service-name",
        ] {
            assert!(serve.contains(own), "{own}: {serve}");
        }
        assert!(!serve.contains("--sub"), "{serve}");
        let schema = help(&["schema"]);
        assert!(!schema.contains("--database-url"), "{schema}");
    }

    #[test]
    fn an_empty_otlp_endpoint_is_taken_as_unset_and_a_malformed_one_is_refused() {
        let otlp = |endpoint: &str| {
            let cli =
                Cli::try_parse_from(["accord", "serve", "--otlp-endpoint", endpoint]).unwrap();
            match cli.command {
                Command::Serve { settings, .. } => settings.otlp(),
                _ => unreachable!("parsed as serve"),
            }
        };
        assert!(otlp("").unwrap().is_none());
        assert_eq!(
            otlp("http://127.0.0.1:4318")
                .unwrap()
                .unwrap()
                .traces_url()
                .as_str(),
            "http://127.0.0.1:4318/v1/traces"
        );
        let refused = otlp("127.0.0.1:4318").unwrap_err().to_string();
        assert!(refused.contains("--otlp-endpoint"), "{refused}");
    }

    #[test]
    fn the_top_level_help_says_what_accord_is_and_how_to_start() {
        let top = Cli::command().render_help().to_string();
        assert!(top.contains("GraphQL API"), "{top}");
        assert!(top.contains("accord serve --demo"), "{top}");
        assert!(!top.contains("--database-url"), "{top}");
    }

    #[test]
    fn options_belong_to_their_command() {
        assert!(Cli::try_parse_from(["accord", "--database-url", "x", "migrate"]).is_err());
        assert!(
            Cli::try_parse_from(["accord", "migrate", "--database-url", "sqlite::memory:"]).is_ok()
        );
        assert!(
            Cli::try_parse_from(["accord", "migrate", "--listen", "127.0.0.1:1"]).is_err(),
            "migrate takes no --listen"
        );
        assert!(
            Cli::try_parse_from([
                "accord",
                "token",
                "--sub",
                "a",
                "--name",
                "A",
                "--org",
                "CICA",
                "--role",
                "secretariat",
                "--database-url",
                "x"
            ])
            .is_err()
        );
        assert!(
            Cli::try_parse_from([
                "accord",
                "token",
                "--sub",
                "a",
                "--name",
                "A",
                "--org",
                "CICA",
                "--role",
                "secretariat"
            ])
            .is_ok()
        );
    }
}
