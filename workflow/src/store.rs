//! The database handle and write transactions.
//!
//! Every change goes through a [`WriteTx`]: it takes the write lock up front
//! (SQLite: `BEGIN IMMEDIATE` behind an in-process gate; PostgreSQL: a row
//! lock on the audit head), so writers queue instead of failing with
//! "database is locked", and appends the audit records of the change in the
//! same transaction. Commit writes the new audit head; a transaction dropped
//! without commit rolls back and leaves no trace.

use std::sync::Arc;
use std::time::{Duration, Instant};

use accord_domain::{Lang, Texts};
use chrono::{DateTime, Utc};

use sea_orm::sea_query::Expr;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PrimaryKeyTrait, QueryFilter, QuerySelect,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::actor::Actor;
use crate::audit::{self, AuditRecord, ChainLink};
use crate::commits::Commits;
use crate::entity::{audit_head, organization};
use crate::error::{Result, WorkflowError};

/// One connection pool's use at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    /// The pool's name (`main`, `snapshots`, `writer`).
    pub name: &'static str,
    /// Connections open, in use or idle.
    pub size: u32,
    /// Connections open and idle.
    pub idle: u32,
    /// The most connections the pool opens.
    pub max: u32,
}

/// The use of `conn`'s pool, when it is a pool.
fn pool_use(name: &'static str, conn: &DatabaseConnection) -> Option<PoolUse> {
    use sea_orm::DatabaseConnectionType as Type;
    let (size, idle, max) = match &conn.inner {
        Type::SqlxPostgresPoolConnection(_) => {
            let pool = conn.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        Type::SqlxSqlitePoolConnection(_) => {
            let pool = conn.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        _ => return None,
    };
    Some(PoolUse {
        name,
        size,
        idle: u32::try_from(idle).unwrap_or(u32::MAX),
        max,
    })
}

/// An organisation.
#[derive(Debug, Clone)]
pub struct OrgView {
    /// e.g. `KAZ`.
    pub code: String,
    /// The kind, as stored (`MEMBER_STATE`).
    pub kind: String,
    /// The name (English).
    pub name: String,
    /// The name per language, where known (member states: EN, RU, KK).
    pub names: Option<Texts>,
    /// The name as a note's opening addresses it, where a language inflects
    /// it (member states: RU, KK, in the dative).
    pub dative: Option<Texts>,
}

impl OrgView {
    /// An organisation as stored.
    pub(crate) fn of(o: organization::Model) -> Result<OrgView> {
        let texts = |json: Option<&str>, what: &str| {
            json.map(serde_json::from_str::<Texts>)
                .transpose()
                .map_err(|error| {
                    WorkflowError::Corrupt(format!("{what} of organisation {}: {error}", o.code))
                })
        };
        let names = texts(o.names.as_deref(), "names")?;
        let dative = texts(o.dative_names.as_deref(), "dative names")?;
        Ok(OrgView {
            code: o.code,
            kind: o.kind,
            name: o.name,
            names,
            dative,
        })
    }

    /// The name in `lang`, if known (English always is).
    pub fn name_in(&self, lang: Lang) -> Option<&str> {
        match self.names.as_ref().and_then(|names| names.get(lang)) {
            Some(name) => Some(name),
            None if lang == Lang::En => Some(&self.name),
            None => None,
        }
    }
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// `sqlite://path?mode=rwc` or `postgres://…`.
    pub url: String,
    /// Largest number of pooled connections (on PostgreSQL, of each pool:
    /// see [`Store::begin_read`]).
    pub max_connections: u32,
    /// How long a writer waits for the write lock: SQLite's busy timeout
    /// and this process's queue of writers, PostgreSQL's `lock_timeout`.
    pub busy_timeout: Duration,
    /// PostgreSQL's `statement_timeout`: the longest one statement runs.
    pub statement_timeout: Duration,
    /// PostgreSQL's `idle_in_transaction_session_timeout`: a session left
    /// idle inside a transaction (a frozen instance holding the write
    /// lock) is ended, and its locks freed, after this long.
    pub idle_in_transaction_timeout: Duration,
    /// The longest wait for a pooled connection.
    pub acquire_timeout: Duration,
    /// Whether a SQLite database file that does not exist is created
    /// (whatever the URL's `mode` says); commands that only read an
    /// existing database turn it off.
    pub create_if_missing: bool,
}

impl StoreConfig {
    /// Defaults for `url`: 16 connections, waits for the write lock and a
    /// connection of 5 s, statements of 30 s, idle transactions of 10 s, a
    /// missing SQLite file created.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            busy_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(30),
            idle_in_transaction_timeout: Duration::from_secs(10),
            acquire_timeout: Duration::from_secs(5),
            create_if_missing: true,
        }
    }
}

/// How long a pooled connection may lie idle before it is pinged on
/// checkout.
pub const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

/// How long the organisations read from the database are served from
/// memory. They are reference data, loaded by migrations and changed by
/// none of Accord's commands; a row changed by hand is seen after at most
/// this long.
pub const DIRECTORY_TTL: Duration = Duration::from_secs(60);

/// The organisations, as last read, so that authenticating a request and
/// naming the organisations in a response cost no statement.
#[derive(Debug, Default)]
struct Directory {
    loaded: std::sync::RwLock<Option<(Instant, Arc<[OrgView]>)>>,
}

impl Directory {
    fn fresh(&self) -> Option<Arc<[OrgView]>> {
        let loaded = self.loaded.read().ok()?;
        loaded
            .as_ref()
            .filter(|(at, _)| at.elapsed() < DIRECTORY_TTL)
            .map(|(_, orgs)| Arc::clone(orgs))
    }

    fn put(&self, orgs: Arc<[OrgView]>) {
        if let Ok(mut loaded) = self.loaded.write() {
            *loaded = Some((Instant::now(), orgs));
        }
    }
}

/// The database, shared by every request.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// On PostgreSQL, a second pool for read snapshots, whose sessions
    /// begin every transaction `REPEATABLE READ, READ ONLY`; elsewhere (and
    /// for a store made from one connection) snapshots are begun on `db`
    /// with those options spelled out.
    snapshots: Option<DatabaseConnection>,
    /// On SQLite (a file), the one connection that write transactions use,
    /// held by whoever passed the write gate: the writer never queues for a
    /// pooled connection behind readers while holding the write lock.
    writer: Option<DatabaseConnection>,
    directory: Arc<Directory>,
    /// Writers queue here before they take a connection: on SQLite one at
    /// a time (it allows one writer, and a queue is fairer and faster than
    /// the busy handler), on PostgreSQL at most half the pool, so that
    /// writers waiting for the write lock never take the connections that
    /// reads and health checks need.
    write_gate: Arc<Semaphore>,
    /// How long a writer waits in that queue.
    gate_timeout: Duration,
    /// The audit sequence known to be committed, moved after each commit
    /// (what live updates wait on).
    commits: Commits,
    /// Every route version read so far (versions never change).
    routes: Arc<crate::route_book::RouteBook>,
}

impl Store {
    /// Connects, applying SQLite's durability settings (WAL,
    /// `synchronous=FULL`, foreign keys, busy timeout).
    pub async fn connect(config: &StoreConfig) -> Result<Store> {
        let mut options = ConnectOptions::new(config.url.clone());
        options
            .max_connections(config.max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(config.acquire_timeout)
            // A connection in steady use is known to work; one left idle
            // may have been dropped (by a PostgreSQL restart, a proxy, a
            // firewall) and is pinged before it is handed out. Pinging
            // every checkout would cost a round trip to the server (for
            // SQLite, to the connection's thread) per statement outside a
            // transaction.
            .test_before_acquire_if_idle_for(PING_AFTER_IDLE)
            .sqlx_logging(false);
        let busy = config.busy_timeout;
        let millis = |d: Duration| d.as_millis().max(1).to_string();
        let session = [
            ("lock_timeout", millis(config.busy_timeout)),
            ("statement_timeout", millis(config.statement_timeout)),
            (
                "idle_in_transaction_session_timeout",
                millis(config.idle_in_transaction_timeout),
            ),
        ];
        let mut snapshot_options = options.clone();
        let snapshot_session = session.clone();
        options.map_sqlx_postgres_opts(move |pg| pg.options(session.clone()));
        // The read snapshots' sessions begin every transaction as one, so
        // that beginning it is a bare `BEGIN` (one round trip, not a
        // `BEGIN` and a `SET TRANSACTION`), and could not write if asked.
        snapshot_options.map_sqlx_postgres_opts(move |pg| {
            pg.options(snapshot_session.clone()).options([
                ("default_transaction_isolation", "repeatable read"),
                ("default_transaction_read_only", "on"),
            ])
        });
        let create = config.create_if_missing;
        options.map_sqlx_sqlite_opts(move |sqlite| {
            sqlite
                .create_if_missing(create)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(busy)
        });
        let mut writer_options = options.clone();
        writer_options.max_connections(1);
        let db = Database::connect(options).await?;
        let (snapshots, writer) = match db.get_database_backend() {
            DatabaseBackend::Postgres => (Some(Database::connect(snapshot_options).await?), None),
            DatabaseBackend::Sqlite if !in_memory(&config.url) => {
                (None, Some(Database::connect(writer_options).await?))
            }
            _ => (None, None),
        };
        Ok(Store {
            snapshots,
            writer,
            ..Store::with_bounds(db, config.max_connections, config.busy_timeout)
        })
    }

    /// Wraps an existing connection (used by tests and the migrator), with
    /// the default bounds.
    pub fn from_connection(db: DatabaseConnection) -> Store {
        let defaults = StoreConfig::new("");
        Store::with_bounds(db, defaults.max_connections, defaults.busy_timeout)
    }

    fn with_bounds(db: DatabaseConnection, connections: u32, gate_timeout: Duration) -> Store {
        let writers = match db.get_database_backend() {
            DatabaseBackend::Sqlite => 1,
            _ => usize::try_from(connections / 2).unwrap_or(1).max(1),
        };
        Store {
            db,
            snapshots: None,
            writer: None,
            write_gate: Arc::new(Semaphore::new(writers)),
            gate_timeout,
            directory: Arc::default(),
            commits: Commits::default(),
            routes: Arc::default(),
        }
    }

    /// The audit sequence known to be committed, moved forward after every
    /// commit of this process (and, once [`Commits::follow`] runs, of other
    /// instances).
    pub fn commits(&self) -> &Commits {
        &self.commits
    }

    /// Every route version read so far.
    pub(crate) fn routes(&self) -> &crate::route_book::RouteBook {
        &self.routes
    }

    /// Every organisation, by code, from memory when read less than
    /// [`DIRECTORY_TTL`] ago.
    pub async fn organizations(&self) -> Result<Arc<[OrgView]>> {
        self.organizations_via(&self.db).await
    }

    /// [`Store::organizations`], re-read through `conn` when stale: a
    /// request holding a read transaction passes it, so that it never waits
    /// for a second pooled connection (with every connection held by such
    /// requests, none would come).
    pub async fn organizations_via<C: ConnectionTrait>(&self, conn: &C) -> Result<Arc<[OrgView]>> {
        if let Some(orgs) = self.fresh_organizations() {
            return Ok(orgs);
        }
        let mut orgs: Vec<OrgView> = organization::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(OrgView::of)
            .collect::<Result<Vec<_>>>()?;
        // Sorted here, not by the database, whose collation may differ.
        orgs.sort_by(|a, b| a.code.cmp(&b.code));
        let orgs: Arc<[OrgView]> = orgs.into();
        self.directory.put(Arc::clone(&orgs));
        Ok(orgs)
    }

    /// The organisations, if read less than [`DIRECTORY_TTL`] ago.
    pub fn fresh_organizations(&self) -> Option<Arc<[OrgView]>> {
        self.directory.fresh()
    }

    /// The organisation with `code`, if there is one.
    pub async fn organization(&self, code: &str) -> Result<Option<OrgView>> {
        Ok(find_organization(&self.organizations().await?, code).cloned())
    }

    /// Whether the database takes one writer at a time (SQLite), so that
    /// the write lock is best held on the command thread (see `lane`).
    pub fn writes_one_at_a_time(&self) -> bool {
        self.db.get_database_backend() == DatabaseBackend::Sqlite
    }

    /// The connection, for reads.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The connections of each pool now (`main`: writes and single reads;
    /// `snapshots`: query snapshots, PostgreSQL; `writer`: the SQLite
    /// writer's own), for operators' metrics.
    pub fn pools(&self) -> Vec<PoolUse> {
        [
            ("main", Some(&self.db)),
            ("snapshots", self.snapshots.as_ref()),
            ("writer", self.writer.as_ref()),
        ]
        .into_iter()
        .filter_map(|(name, conn)| pool_use(name, conn?))
        .collect()
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await.map_err(WorkflowError::from)
    }

    /// Starts a read transaction: on PostgreSQL `REPEATABLE READ, READ
    /// ONLY` (one snapshot for every statement, never a serialization
    /// failure); on SQLite a deferred `BEGIN`, whose snapshot is taken by
    /// its first read (WAL: readers never wait for the writer). Dropped, it
    /// rolls back.
    pub async fn begin_read(&self) -> Result<DatabaseTransaction> {
        match &self.snapshots {
            Some(pool) => Ok(pool.begin().await?),
            None => crate::db::begin_snapshot(&self.db).await,
        }
    }

    /// Starts a write transaction holding the write lock.
    pub async fn begin_write(&self) -> Result<WriteTx> {
        if self.writes_one_at_a_time() {
            // The lock's holder runs on the command thread (see `lane`).
            crate::lane::enter().await;
        }
        let busy = || {
            WorkflowError::Unavailable(
                "the database is busy (the write lock was not free in time); nothing was written, retry shortly"
                    .into(),
            )
        };
        let gate = tokio::time::timeout(
            self.gate_timeout,
            Arc::clone(&self.write_gate).acquire_owned(),
        )
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
        let backend = self.db.get_database_backend();
        let tx = self
            .writer
            .as_ref()
            .unwrap_or(&self.db)
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: (backend == DatabaseBackend::Sqlite)
                    .then_some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?;
        let head = audit_head::Entity::find_by_id(1)
            .lock_exclusive()
            .one(&tx)
            .await?
            .ok_or_else(|| WorkflowError::Corrupt("the audit head row is missing".into()))?;
        Ok(WriteTx {
            tx,
            link: ChainLink {
                seq: head.last_seq,
                hash: head.last_hash,
            },
            appended: false,
            commits: self.commits.clone(),
            _gate: gate,
        })
    }
}

/// Whether a SQLite URL names an in-memory database, which a second pool
/// would not share.
fn in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// The organisation with `code` in `orgs` (sorted by code).
pub(crate) fn find_organization<'a>(orgs: &'a [OrgView], code: &str) -> Option<&'a OrgView> {
    organization_at(orgs, code).and_then(|i| orgs.get(i))
}

/// Where the organisation with `code` stands in `orgs` (sorted by code, as
/// [`Store::organizations`] keeps them).
pub fn organization_at(orgs: &[OrgView], code: &str) -> Option<usize> {
    orgs.binary_search_by(|o| o.code.as_str().cmp(code)).ok()
}

/// A write transaction with the write lock held and the audit chain's head
/// in hand.
pub struct WriteTx {
    tx: DatabaseTransaction,
    link: ChainLink,
    appended: bool,
    commits: Commits,
    _gate: OwnedSemaphorePermit,
}

impl std::fmt::Debug for WriteTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTx").field("link", &self.link).finish()
    }
}

impl WriteTx {
    /// The transaction, for the change's own statements.
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    /// Appends one audit record, stamped `at`, to the chain, in this
    /// transaction.
    pub async fn audit(
        &mut self,
        actor: &Actor,
        record: AuditRecord,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let row = audit::chain(&self.link, actor, record, at);
        self.link = ChainLink {
            seq: row.seq,
            hash: row.hash.clone(),
        };
        audit::insert(&self.tx, row).await?;
        self.appended = true;
        Ok(())
    }

    /// Appends the change's (last) audit record and commits both: the one
    /// step with which a change ends.
    pub async fn commit_audited(
        mut self,
        actor: &Actor,
        record: AuditRecord,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.audit(actor, record, at).await?;
        self.commit().await
    }

    /// Commits the change and its audit records. A change without an audit
    /// record is a bug, and refused.
    pub async fn commit(self) -> Result<()> {
        if !self.appended {
            return Err(WorkflowError::Corrupt(
                "a change was about to be committed without an audit record".into(),
            ));
        }
        // One statement, without reading the row back (an active model's
        // `update` would, on SQLite, with a second statement under the lock).
        // On PostgreSQL the same statement announces the new head on
        // `commits::CHANNEL`: a notification is delivered when (and only
        // if) the transaction commits.
        let moved = if self.tx.get_database_backend() == DatabaseBackend::Postgres {
            self.tx
                .execute_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    r#"UPDATE "audit_head" SET "last_seq" = $1, "last_hash" = $2 FROM (SELECT pg_notify($3, $4)) AS "announced" WHERE "id" = 1"#,
                    [
                        self.link.seq.into(),
                        self.link.hash.clone().into(),
                        crate::commits::CHANNEL.into(),
                        self.link.seq.to_string().into(),
                    ],
                ))
                .await?
                .rows_affected()
        } else {
            audit_head::Entity::update_many()
                .col_expr(audit_head::Column::LastSeq, Expr::value(self.link.seq))
                .col_expr(
                    audit_head::Column::LastHash,
                    Expr::value(self.link.hash.clone()),
                )
                .filter(audit_head::Column::Id.eq(1))
                .exec(&self.tx)
                .await?
                .rows_affected
        };
        if moved != 1 {
            return Err(WorkflowError::Corrupt(
                "the audit head row is missing".into(),
            ));
        }
        // The request's idempotency key, if it has one and this is its
        // first write: committed with the change, or not at all.
        if let Some(claim) = crate::idempotency::take() {
            crate::idempotency::record_in(&self.tx, &claim, crate::clock::now()).await?;
        }
        self.tx.commit().await?;
        crate::idempotency::committed();
        // Only now, the commit done: live updates never see a change that
        // could still roll back.
        self.commits.committed(self.link.seq);
        Ok(())
    }
}

/// The row of `E` whose id is `id`, or `NOT_FOUND` ("`what` `id` not
/// found"), also for an id that is not a UUID, which no row has.
pub(crate) async fn find_by_id<E, C>(conn: &C, id: &str, what: &str) -> Result<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
    C: ConnectionTrait,
{
    let not_found = || WorkflowError::NotFound(format!("{what} {id} not found"));
    if !crate::db::is_id(id) {
        return Err(not_found());
    }
    E::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .ok_or_else(not_found)
}

/// Runs a statement that must change exactly one row; zero rows means
/// someone else changed it first (`CONFLICT` saying `conflict`).
pub(crate) async fn expect_one<C: ConnectionTrait>(
    conn: &C,
    update: sea_orm::UpdateMany<impl EntityTrait>,
    conflict: &str,
) -> Result<()> {
    let result = update.exec(conn).await?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(WorkflowError::Conflict(conflict.to_owned()))
    }
}
