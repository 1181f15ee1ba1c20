//! Accord's database schema and reference data.
//!
//! One file per migration; a migration is never edited once it has been
//! applied anywhere. Start-up calls [`migrate`] explicitly, so a fresh
//! database is usable as soon as the server answers.

pub use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{
    DatabaseBackend, DatabaseConnection, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

mod m20261123_000001_schema;
mod m20261123_000002_reference_data;
mod m20261123_000003_note_registry;
mod m20261123_000004_reference_order;
mod m20261123_000005_meetings;
mod m20261123_000006_plans;
mod m20261123_000007_files;
mod m20261123_000008_draft_counts;
mod m20261123_000009_submission_uploads;
mod m20261129_000010_reminders_and_feeds;
mod m20261130_000011_idempotency_keys;
mod m20261201_000012_circulation_notes;
mod m20261201_000013_organization_names;
mod m20261201_000014_stances_and_compilations;
mod m20261201_000015_signatory_blocks;
mod m20261201_000016_rule_citations;
mod m20261201_000017_cited_titles;
mod m20261201_000018_dative_names;
mod m20261201_000019_routes;
mod m20261202_000020_silence_procedures;
mod m20261202_000021_signing_delegations;

/// The key of the PostgreSQL advisory lock that migrations hold ("ACCORD"
/// in ASCII): whoever else migrates the same database waits for it.
pub const MIGRATION_LOCK: i64 = 0x41_43_43_4F_52_44;

/// Brings the database up to date, safely when several instances start at
/// once: every pending migration runs in one transaction, which on
/// PostgreSQL first takes the advisory lock [`MIGRATION_LOCK`] (a second
/// instance waits, then finds nothing pending) and on SQLite is an
/// `IMMEDIATE` one (the file's write lock). A failed migration leaves the
/// schema as it was.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let tx = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: (backend == DatabaseBackend::Sqlite)
                .then_some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    if backend == DatabaseBackend::Postgres {
        // The instance's bounds are for requests: a migration may take long
        // on a large database, and another instance's migration may hold
        // the lock as long.
        tx.execute_unprepared("SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0")
            .await?;
        tx.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            .await?;
    }
    Migrator::up(&tx, None).await?;
    tx.commit().await
}

/// The ordered list of Accord's migrations.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_schema::Migration),
            Box::new(m20261123_000002_reference_data::Migration),
            Box::new(m20261123_000003_note_registry::Migration),
            Box::new(m20261123_000004_reference_order::Migration),
            Box::new(m20261123_000005_meetings::Migration),
            Box::new(m20261123_000006_plans::Migration),
            Box::new(m20261123_000007_files::Migration),
            Box::new(m20261123_000008_draft_counts::Migration),
            Box::new(m20261123_000009_submission_uploads::Migration),
            Box::new(m20261129_000010_reminders_and_feeds::Migration),
            Box::new(m20261130_000011_idempotency_keys::Migration),
            Box::new(m20261201_000012_circulation_notes::Migration),
            Box::new(m20261201_000013_organization_names::Migration),
            Box::new(m20261201_000014_stances_and_compilations::Migration),
            Box::new(m20261201_000015_signatory_blocks::Migration),
            Box::new(m20261201_000016_rule_citations::Migration),
            Box::new(m20261201_000017_cited_titles::Migration),
            Box::new(m20261201_000018_dative_names::Migration),
            Box::new(m20261201_000019_routes::Migration),
            Box::new(m20261202_000020_silence_procedures::Migration),
            Box::new(m20261202_000021_signing_delegations::Migration),
        ]
    }
}
