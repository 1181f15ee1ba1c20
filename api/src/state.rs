//! What every request shares, built once at start-up: the schema, the
//! token verifier, the store and the engine; and the database connection
//! with its migrations.

use std::time::Duration;

use accord_workflow::blobs::BlobStore;
use accord_workflow::{Engine, Store, StoreConfig, WorkflowError};
use anyhow::Context as _;

use crate::auth::Verifier;
use crate::config::Settings;
use crate::schema::{Limits, Schemas};

/// Everything a request needs, built once at start-up.
pub struct AppState {
    pub(crate) schema: Schemas,
    pub(crate) verifier: Verifier,
    pub(crate) store: Store,
    pub(crate) engine: Engine,
    pub(crate) blobs: BlobStore,
    pub(crate) max_body_bytes: usize,
    pub(crate) query_timeout: Duration,
    pub(crate) max_upload_bytes: usize,
    pub(crate) graphiql: bool,
    pub(crate) metrics_access: crate::metrics::Access,
    pub(crate) live: crate::live::sockets::Live,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

impl AppState {
    /// Connects to the database, runs the migrations, and builds the schema
    /// and the token verifier. Refuses to start on bad configuration.
    pub async fn prepare(settings: &Settings) -> anyhow::Result<AppState> {
        let verifier = Verifier::new(&settings.auth_config()?).context("identity configuration")?;
        // An identity provider out of reach at start-up does not keep
        // Accord down: its keys are fetched again as tokens need them.
        match verifier.load_keys().await {
            Ok(Some(keys)) => tracing::info!(keys, "the identity provider's keys are loaded"),
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "the identity provider's keys could not be loaded yet");
            }
        }
        let metrics_access = settings.metrics_access()?;
        let store = connect(settings).await?;
        let blobs = BlobStore::open(&settings.files_dir, settings.max_upload_bytes)
            .with_context(|| format!("opening the file store {}", settings.files_dir.display()))?;
        Ok(AppState {
            schema: Schemas::build(&Limits {
                max_depth: settings.max_depth,
                max_complexity: settings.max_complexity,
                max_aliases: settings.max_aliases,
                max_directives: settings.max_directives,
                production: settings.production,
            }),
            verifier,
            engine: Engine::new(store.clone()),
            live: crate::live::sockets::Live::new(
                &store,
                &settings.database_url,
                settings.ws_max_sockets_per_person,
                settings.ws_max_subscriptions_per_socket,
            ),
            store,
            max_body_bytes: settings.max_body_bytes,
            query_timeout: Duration::from_millis(settings.query_timeout_ms),
            max_upload_bytes: settings.max_upload_bytes,
            blobs,
            graphiql: !settings.production,
            metrics_access,
        })
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Live updates: their sockets and subscriptions (metrics hooks:
    /// [`crate::live::sockets::Live::open_sockets`], `active_subscriptions`).
    pub fn live(&self) -> &crate::live::sockets::Live {
        &self.live
    }
}

/// Connects to the configured database and brings its schema up to date.
pub async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    let mut config = StoreConfig::new(settings.database_url.clone());
    config.max_connections = settings.db_max_connections;
    config.busy_timeout = Duration::from_millis(settings.db_lock_timeout_ms);
    config.statement_timeout = Duration::from_millis(settings.db_statement_timeout_ms);
    config.idle_in_transaction_timeout =
        Duration::from_millis(settings.db_idle_in_transaction_timeout_ms);
    config.acquire_timeout = Duration::from_millis(settings.db_acquire_timeout_ms);
    // Instances started together on one SQLite file take turns with its
    // write lock while one of them migrates: a busy database at start-up
    // is waited for (up to STARTUP_WAIT), not a reason to exit.
    let deadline = tokio::time::Instant::now() + STARTUP_WAIT;
    loop {
        let attempt = async {
            let store = Store::connect(&config).await?;
            accord_migration::migrate(store.db()).await?;
            Ok::<_, WorkflowError>(store)
        };
        match attempt.await {
            Ok(store) => return Ok(store),
            Err(WorkflowError::Unavailable(why)) if tokio::time::Instant::now() < deadline => {
                tracing::info!(%why, "the database is busy at start-up; trying again");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => {
                return Err(
                    anyhow::Error::new(error).context("connecting to and migrating the database")
                );
            }
        }
    }
}

/// How long start-up waits for a database that other instances keep busy.
const STARTUP_WAIT: Duration = Duration::from_secs(60);
