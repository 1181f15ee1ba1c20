//! Configuration: command-line flags with environment fallbacks, checked
//! once at start-up so a misconfigured server refuses to start.

use std::path::{Path, PathBuf};
use std::time::Duration;

use accord_domain::NoteSeries;
use anyhow::{Context, bail};

use crate::auth::{AuthConfig, MIN_HS256_SECRET_BYTES};
use crate::jwks::{KeySource, RemoteKeysConfig};
use crate::telemetry::{OtlpConfig, TelemetryError};

/// Everything `accord serve` (and the other commands) can be told. Its
/// `Debug` form shows no secret (the JWT secret and a database password are
/// redacted), so that it may be logged.
#[derive(Clone, clap::Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "ACCORD_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: String,
    /// Database URL: `sqlite://accord.db?mode=rwc` (default) or `postgres://…`.
    #[arg(
        long,
        env = "ACCORD_DATABASE_URL",
        default_value = "sqlite://accord.db?mode=rwc"
    )]
    pub database_url: String,
    /// HS256 secret (at least 32 bytes). Without it and without a public
    /// key, development mode keeps a random secret in `--dev-secret-file`.
    #[arg(long, env = "ACCORD_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// PEM public key of an external identity provider (EdDSA, ES256 or RS256).
    #[arg(long, env = "ACCORD_JWT_PUBLIC_KEY")]
    pub jwt_public_key: Option<PathBuf>,
    /// The URL of an external identity provider's key set (JWKS); keys are
    /// cached and refreshed when a token names an unknown `kid`.
    #[arg(long, env = "ACCORD_JWT_JWKS_URL")]
    pub jwt_jwks_url: Option<String>,
    /// An OpenID Connect issuer: its key set is found through
    /// `<issuer>/.well-known/openid-configuration`, and tokens must carry
    /// it as `iss` (it replaces --jwt-issuer).
    #[arg(long, env = "ACCORD_JWT_OIDC_ISSUER")]
    pub jwt_oidc_issuer: Option<String>,
    /// The shortest time between two refreshes of the identity provider's
    /// keys asked for by tokens naming unknown keys, in seconds.
    #[arg(long, env = "ACCORD_JWT_JWKS_MIN_REFRESH_SECS", default_value_t = 60)]
    pub jwt_jwks_min_refresh_secs: u64,
    /// The age after which the identity provider's keys are refreshed, in
    /// seconds (dropping keys it no longer publishes).
    #[arg(long, env = "ACCORD_JWT_JWKS_MAX_AGE_SECS", default_value_t = 3600)]
    pub jwt_jwks_max_age_secs: u64,
    /// Required `iss` claim.
    #[arg(long, env = "ACCORD_JWT_ISSUER", default_value = "accord")]
    pub jwt_issuer: String,
    /// Required `aud` claim.
    #[arg(long, env = "ACCORD_JWT_AUDIENCE", default_value = "accord")]
    pub jwt_audience: String,
    /// Clock leeway for `exp` and `nbf`, in seconds.
    #[arg(long, env = "ACCORD_JWT_LEEWAY_SECS", default_value_t = 30)]
    pub jwt_leeway_secs: u64,
    /// The longest token lifetime accepted (`exp` − `iat`), in seconds.
    #[arg(long, env = "ACCORD_JWT_MAX_LIFETIME_SECS", default_value_t = crate::auth::DEFAULT_MAX_LIFETIME_SECS)]
    pub jwt_max_lifetime_secs: u64,
    /// Where development mode keeps its generated HS256 secret.
    #[arg(
        long,
        env = "ACCORD_DEV_SECRET_FILE",
        default_value = ".accord-dev-secret"
    )]
    pub dev_secret_file: PathBuf,
    /// Production mode: no GraphiQL, no introspection, no field
    /// suggestions, and an explicit key is required.
    #[arg(long, env = "ACCORD_PRODUCTION", value_parser = clap::builder::BoolishValueParser::new(), default_value = "false")]
    pub production: bool,
    /// Largest query depth.
    #[arg(long, env = "ACCORD_MAX_DEPTH", default_value_t = 10)]
    pub max_depth: usize,
    /// Largest query complexity.
    #[arg(long, env = "ACCORD_MAX_COMPLEXITY", default_value_t = 500)]
    pub max_complexity: usize,
    /// Most aliases in one request.
    #[arg(long, env = "ACCORD_MAX_ALIASES", default_value_t = 15)]
    pub max_aliases: usize,
    /// Most directives on one field.
    #[arg(long, env = "ACCORD_MAX_DIRECTIVES", default_value_t = 5)]
    pub max_directives: usize,
    /// Largest request body, in bytes.
    #[arg(long, env = "ACCORD_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Largest number of pooled database connections (on PostgreSQL, of
    /// each of two pools: writes and single reads, and query snapshots).
    #[arg(long, env = "ACCORD_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub db_max_connections: u32,
    /// How long a write waits for the write lock, in milliseconds
    /// (PostgreSQL `lock_timeout`; SQLite busy timeout and writer queue).
    #[arg(long, env = "ACCORD_DB_LOCK_TIMEOUT_MS", default_value_t = 5_000)]
    pub db_lock_timeout_ms: u64,
    /// The longest one statement runs, in milliseconds (PostgreSQL).
    #[arg(long, env = "ACCORD_DB_STATEMENT_TIMEOUT_MS", default_value_t = 30_000)]
    pub db_statement_timeout_ms: u64,
    /// A session idle inside a transaction is ended after this many
    /// milliseconds, freeing its locks (PostgreSQL).
    #[arg(
        long,
        env = "ACCORD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
        default_value_t = 10_000
    )]
    pub db_idle_in_transaction_timeout_ms: u64,
    /// The longest wait for a pooled connection, in milliseconds.
    #[arg(long, env = "ACCORD_DB_ACQUIRE_TIMEOUT_MS", default_value_t = 5_000)]
    pub db_acquire_timeout_ms: u64,
    /// The longest a query (not a mutation) runs, in milliseconds.
    #[arg(long, env = "ACCORD_QUERY_TIMEOUT_MS", default_value_t = 30_000)]
    pub query_timeout_ms: u64,
    /// Largest uploaded file, in bytes (a multipart request's `operations`
    /// and `map` parts are each held to `--max-body-bytes`).
    #[arg(long, env = "ACCORD_MAX_UPLOAD_BYTES", default_value_t = accord_workflow::blobs::DEFAULT_MAX_BYTES)]
    pub max_upload_bytes: usize,
    /// Directory of the content-addressed file store (created if missing).
    /// Instances sharing a database must share it too.
    #[arg(long, env = "ACCORD_FILES_DIR", default_value = "files")]
    pub files_dir: PathBuf,
    /// Seconds between runs of the background jobs (0: no jobs run on this
    /// instance).
    #[arg(long, env = "ACCORD_JOB_INTERVAL_SECS", default_value_t = 300)]
    pub job_interval_secs: u64,
    /// This instance's name in the job leases; unique among the instances
    /// sharing a database. Default: a random one per start.
    #[arg(long, env = "ACCORD_INSTANCE_ID")]
    pub instance_id: Option<String>,
    /// The note series of the monthly reminder the background job drafts
    /// (see `accord_workflow::reminders`).
    #[arg(long, env = "ACCORD_REMINDER_SERIES", default_value = "SOC", value_parser = NoteSeries::parse)]
    pub reminder_series: NoteSeries,
    /// Serve `GET /metrics` (Prometheus text format) at all.
    #[arg(long, env = "ACCORD_METRICS", value_parser = clap::builder::BoolishValueParser::new(), default_value = "true")]
    pub metrics: bool,
    /// A listener of its own for `GET /metrics`, open to whoever reaches
    /// it (bind it where only operators do, e.g. `127.0.0.1:9100`).
    #[arg(long, env = "ACCORD_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// A bearer token (at least 32 bytes) that reads `GET /metrics` on the
    /// main listener. Without it, the main listener does not serve them.
    #[arg(long, env = "ACCORD_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Most live updates' sockets (`/graphql/ws`) one person (token
    /// subject) holds open on this instance at once.
    #[arg(long, env = "ACCORD_WS_MAX_SOCKETS_PER_PERSON", default_value_t = 8)]
    pub ws_max_sockets_per_person: usize,
    /// Most subscriptions running at once on one live updates' socket.
    #[arg(
        long,
        env = "ACCORD_WS_MAX_SUBSCRIPTIONS_PER_SOCKET",
        default_value_t = 16
    )]
    pub ws_max_subscriptions_per_socket: usize,
    /// An OpenTelemetry collector's OTLP/HTTP endpoint (e.g.
    /// `http://localhost:4318`; `/v1/traces` is added unless given): the
    /// server's spans are exported to it as traces. Unset or empty: none
    /// are.
    #[arg(long, env = "ACCORD_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
    /// The service name the exported traces carry.
    #[arg(long, env = "ACCORD_OTLP_SERVICE_NAME", default_value = crate::telemetry::DEFAULT_SERVICE_NAME)]
    pub otlp_service_name: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field(
                "database_url",
                &crate::redact::url_for_display(&self.database_url),
            )
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| crate::redact::REDACTED),
            )
            .field("jwt_public_key", &self.jwt_public_key)
            .field("jwt_jwks_url", &self.jwt_jwks_url)
            .field("jwt_oidc_issuer", &self.jwt_oidc_issuer)
            .field("jwt_jwks_min_refresh_secs", &self.jwt_jwks_min_refresh_secs)
            .field("jwt_jwks_max_age_secs", &self.jwt_jwks_max_age_secs)
            .field("jwt_issuer", &self.jwt_issuer)
            .field("jwt_audience", &self.jwt_audience)
            .field("jwt_leeway_secs", &self.jwt_leeway_secs)
            .field("dev_secret_file", &self.dev_secret_file)
            .field("production", &self.production)
            .field("max_depth", &self.max_depth)
            .field("max_complexity", &self.max_complexity)
            .field("max_aliases", &self.max_aliases)
            .field("max_directives", &self.max_directives)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("db_max_connections", &self.db_max_connections)
            .field("db_lock_timeout_ms", &self.db_lock_timeout_ms)
            .field("db_statement_timeout_ms", &self.db_statement_timeout_ms)
            .field(
                "db_idle_in_transaction_timeout_ms",
                &self.db_idle_in_transaction_timeout_ms,
            )
            .field("db_acquire_timeout_ms", &self.db_acquire_timeout_ms)
            .field("query_timeout_ms", &self.query_timeout_ms)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("files_dir", &self.files_dir)
            .field("job_interval_secs", &self.job_interval_secs)
            .field("instance_id", &self.instance_id)
            .field("reminder_series", &self.reminder_series)
            .field("ws_max_sockets_per_person", &self.ws_max_sockets_per_person)
            .field(
                "ws_max_subscriptions_per_socket",
                &self.ws_max_subscriptions_per_socket,
            )
            .field("metrics", &self.metrics)
            .field("metrics_listen", &self.metrics_listen)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| crate::redact::REDACTED),
            )
            .field(
                "otlp_endpoint",
                &self
                    .otlp_endpoint
                    .as_deref()
                    .map(crate::redact::url_for_display),
            )
            .field("otlp_service_name", &self.otlp_service_name)
            .finish()
    }
}

impl Settings {
    /// Settings with every default, for tests: `database_url` and a secret
    /// given, files in a fresh directory under the temporary directory, and
    /// no background jobs.
    pub fn for_tests(database_url: impl Into<String>, secret: impl Into<String>) -> Settings {
        Settings {
            listen: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            jwt_secret: Some(secret.into()),
            jwt_public_key: None,
            jwt_jwks_url: None,
            jwt_oidc_issuer: None,
            jwt_jwks_min_refresh_secs: 60,
            jwt_jwks_max_age_secs: 3600,
            jwt_issuer: "accord".into(),
            jwt_audience: "accord".into(),
            jwt_leeway_secs: 30,
            jwt_max_lifetime_secs: crate::auth::DEFAULT_MAX_LIFETIME_SECS,
            dev_secret_file: PathBuf::from(".accord-dev-secret"),
            production: false,
            max_depth: 10,
            max_complexity: 500,
            max_aliases: 15,
            max_directives: 5,
            max_body_bytes: 1024 * 1024,
            db_max_connections: 16,
            db_lock_timeout_ms: 5_000,
            db_statement_timeout_ms: 30_000,
            db_idle_in_transaction_timeout_ms: 10_000,
            db_acquire_timeout_ms: 5_000,
            query_timeout_ms: 30_000,
            max_upload_bytes: accord_workflow::blobs::DEFAULT_MAX_BYTES,
            files_dir: std::env::temp_dir()
                .join(format!("accord-files-{}", uuid::Uuid::new_v4().simple())),
            job_interval_secs: 0,
            instance_id: None,
            reminder_series: NoteSeries::soc(),
            ws_max_sockets_per_person: 8,
            ws_max_subscriptions_per_socket: 16,
            metrics: true,
            metrics_listen: None,
            metrics_token: None,
            otlp_endpoint: None,
            otlp_service_name: crate::telemetry::DEFAULT_SERVICE_NAME.into(),
        }
    }

    /// Where the server's traces are exported, if anywhere; a malformed
    /// endpoint is refused.
    pub fn otlp(&self) -> Result<Option<OtlpConfig>, TelemetryError> {
        OtlpConfig::parse(self.otlp_endpoint.as_deref(), &self.otlp_service_name)
    }

    /// Who may read `GET /metrics` on the main listener: a bearer of the
    /// metrics token, or nobody. A token shorter than 32 bytes is refused.
    pub(crate) fn metrics_access(&self) -> anyhow::Result<crate::metrics::Access> {
        match &self.metrics_token {
            _ if !self.metrics => Ok(crate::metrics::Access::Closed),
            Some(token) if token.len() < MIN_METRICS_TOKEN_BYTES => {
                bail!("ACCORD_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_BYTES} bytes")
            }
            Some(token) => Ok(crate::metrics::Access::Token(token.clone())),
            None => Ok(crate::metrics::Access::Closed),
        }
    }

    /// The identity settings of a server, reading the key file or the
    /// development secret as needed. Outside production and without a key,
    /// the development secret is read from `dev_secret_file`, or generated
    /// there the first time: the server and `accord token` then share it.
    pub fn auth_config(&self) -> anyhow::Result<AuthConfig> {
        self.auth_config_with(DevSecret::ReadOrCreate)
    }

    /// The identity settings of a command that signs tokens for a server
    /// (`accord token`): like [`Settings::auth_config`], but a development
    /// secret is only read, never made up. A secret no server knows would
    /// sign tokens that every server refuses.
    pub fn auth_config_for_tokens(&self) -> anyhow::Result<AuthConfig> {
        self.auth_config_with(DevSecret::ReadOnly)
    }

    fn auth_config_with(&self, dev: DevSecret) -> anyhow::Result<AuthConfig> {
        let public_key_pem = match &self.jwt_public_key {
            Some(path) => Some(
                std::fs::read(path)
                    .with_context(|| format!("reading ACCORD_JWT_PUBLIC_KEY {}", path.display()))?,
            ),
            None => None,
        };
        let remote_keys = match (&self.jwt_jwks_url, &self.jwt_oidc_issuer) {
            (Some(_), Some(_)) => {
                bail!("set one of ACCORD_JWT_JWKS_URL and ACCORD_JWT_OIDC_ISSUER, not both")
            }
            (Some(url), None) => Some(KeySource::Jwks(url.clone())),
            (None, Some(issuer)) => Some(KeySource::OpenIdIssuer(issuer.clone())),
            (None, None) => None,
        }
        .map(|source| RemoteKeysConfig {
            source,
            min_refresh: Duration::from_secs(self.jwt_jwks_min_refresh_secs),
            max_age: Duration::from_secs(self.jwt_jwks_max_age_secs),
        });
        let external = public_key_pem.is_some() || remote_keys.is_some();
        let hs256_secret = match (&self.jwt_secret, external) {
            (Some(secret), _) => Some(secret.clone()),
            (None, true) => None,
            (None, false) if self.production => {
                bail!(
                    "production mode needs ACCORD_JWT_SECRET, ACCORD_JWT_PUBLIC_KEY, ACCORD_JWT_JWKS_URL or ACCORD_JWT_OIDC_ISSUER"
                )
            }
            (None, false) => Some(match dev {
                DevSecret::ReadOrCreate => dev_secret(&self.dev_secret_file)?,
                DevSecret::ReadOnly => existing_dev_secret(&self.dev_secret_file)?,
            }),
        };
        Ok(AuthConfig {
            hs256_secret,
            public_key_pem,
            remote_keys,
            issuer: self
                .jwt_oidc_issuer
                .clone()
                .unwrap_or_else(|| self.jwt_issuer.clone()),
            audience: self.jwt_audience.clone(),
            leeway_secs: self.jwt_leeway_secs,
            max_lifetime_secs: self.jwt_max_lifetime_secs,
        })
    }
}

/// The shortest metrics token accepted, in bytes.
const MIN_METRICS_TOKEN_BYTES: usize = 32;

/// What to do without a configured key, outside production.
#[derive(Debug, Clone, Copy)]
enum DevSecret {
    /// Read the development secret, or generate it (a server).
    ReadOrCreate,
    /// Read the development secret a server generated, or fail.
    ReadOnly,
}

/// The development secret a server generated in `path`; an error saying
/// what to configure when there is none.
fn existing_dev_secret(path: &Path) -> anyhow::Result<String> {
    let secret = match std::fs::read_to_string(path) {
        Ok(secret) => secret.trim().to_owned(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => bail!(
            "no signing secret is configured: set ACCORD_JWT_SECRET (or --jwt-secret) to the \
             HS256 secret of the server the token is for. A development server (`accord serve` \
             without a key, outside production) keeps its generated secret in {}; run \
             `accord token` where that file is, or name it with --dev-secret-file \
             (ACCORD_DEV_SECRET_FILE)",
            path.display()
        ),
        Err(error) => {
            return Err(error)
                .with_context(|| format!("reading the development secret {}", path.display()));
        }
    };
    if secret.len() < MIN_HS256_SECRET_BYTES {
        bail!(
            "the development secret in {} is shorter than {MIN_HS256_SECRET_BYTES} bytes; \
             set ACCORD_JWT_SECRET (or --jwt-secret) to the server's secret",
            path.display()
        );
    }
    Ok(secret)
}

/// Reads the development secret, creating a random one (owner-only file)
/// the first time. It never enters the repository.
fn dev_secret(path: &Path) -> anyhow::Result<String> {
    if let Ok(secret) = std::fs::read_to_string(path) {
        let secret = secret.trim().to_owned();
        if secret.len() >= MIN_HS256_SECRET_BYTES {
            return Ok(secret);
        }
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no randomness: {error}"))?;
    let secret = hex::encode(bytes);
    write_private(path, &secret).with_context(|| format!("writing {}", path.display()))?;
    tracing::warn!(file = %path.display(), "generated a development JWT secret; set ACCORD_JWT_SECRET in production");
    Ok(secret)
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_debug_form_shows_no_secret() {
        let mut settings = Settings::for_tests(
            "postgres://accord:db-password@db.example/accord",
            "a-jwt-secret-of-at-least-32-bytes-0123456789",
        );
        settings.production = true;
        let shown = format!("{settings:?}");
        assert!(!shown.contains("db-password"), "{shown}");
        assert!(!shown.contains("a-jwt-secret"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
        assert!(shown.contains("db.example/accord"), "{shown}");
    }
}
