//! Accord's database schema and reference data.
//!
//! One file per migration; a migration is never edited once it has been
//! applied anywhere. Start-up calls [`Migrator::up`] explicitly, so a fresh
//! database is usable as soon as the server answers.

pub use sea_orm_migration::prelude::*;

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
        ]
    }
}
