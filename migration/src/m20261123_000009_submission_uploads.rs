//! A submission names the upload its file came from: `submissions.upload_id`
//! (nullable; a submission recorded without a file, or before uploads
//! existed, has none). The sha256, size, content type and file name columns
//! stay, copied from the upload, so that listing submissions reads one
//! table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Plain SQL that SQLite (3.35 and later) and PostgreSQL both accept.
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE submissions ADD COLUMN upload_id VARCHAR(36) NULL")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE submissions DROP COLUMN upload_id")
            .await?;
        Ok(())
    }
}
