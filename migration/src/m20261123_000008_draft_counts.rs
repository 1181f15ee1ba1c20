//! `totalCount` of the draft list without counting the list: the number of
//! drafts per state and per "ever circulated", kept by triggers on
//! `drafts` in the same transaction as every insert, state change,
//! circulation and delete, whoever writes the row. The counts of a database
//! migrated with drafts in it are taken once, here.
//!
//! A partial index on the drafts never circulated keeps the one count that
//! depends on the viewer's organisation (a counterpart sees the
//! uncirculated drafts it signs) proportional to those few drafts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "CREATE TABLE draft_counts (
    state VARCHAR(32) NOT NULL,
    circulated BOOLEAN NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (state, circulated)
)";

const FILL: &str = "INSERT INTO draft_counts (state, circulated, total)
    SELECT state, circulated_version IS NOT NULL, COUNT(*) FROM drafts
    GROUP BY state, circulated_version IS NOT NULL";

const INDEX: &str =
    "CREATE INDEX drafts_uncirculated ON drafts (id) WHERE circulated_version IS NULL";

/// SQLite: one trigger per event, each adding to the new key and taking
/// from the old one.
const SQLITE_TRIGGERS: [&str; 3] = [
    "CREATE TRIGGER drafts_count_insert AFTER INSERT ON drafts BEGIN
        INSERT INTO draft_counts (state, circulated, total)
        VALUES (NEW.state, NEW.circulated_version IS NOT NULL, 1)
        ON CONFLICT (state, circulated) DO UPDATE SET total = total + 1;
    END",
    "CREATE TRIGGER drafts_count_update AFTER UPDATE OF state, circulated_version ON drafts
    WHEN OLD.state IS NOT NEW.state
        OR (OLD.circulated_version IS NULL) <> (NEW.circulated_version IS NULL)
    BEGIN
        UPDATE draft_counts SET total = total - 1
        WHERE state = OLD.state AND circulated = (OLD.circulated_version IS NOT NULL);
        INSERT INTO draft_counts (state, circulated, total)
        VALUES (NEW.state, NEW.circulated_version IS NOT NULL, 1)
        ON CONFLICT (state, circulated) DO UPDATE SET total = total + 1;
    END",
    "CREATE TRIGGER drafts_count_delete AFTER DELETE ON drafts BEGIN
        UPDATE draft_counts SET total = total - 1
        WHERE state = OLD.state AND circulated = (OLD.circulated_version IS NOT NULL);
    END",
];

/// PostgreSQL: one function for the three events.
const POSTGRES_TRIGGERS: [&str; 2] = [
    "CREATE FUNCTION drafts_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.state IS NOT DISTINCT FROM NEW.state
            AND (OLD.circulated_version IS NULL) = (NEW.circulated_version IS NULL) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE draft_counts SET total = total - 1
            WHERE state = OLD.state AND circulated = (OLD.circulated_version IS NOT NULL);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO draft_counts (state, circulated, total)
            VALUES (NEW.state, NEW.circulated_version IS NOT NULL, 1)
            ON CONFLICT (state, circulated) DO UPDATE SET total = draft_counts.total + 1;
        END IF;
        RETURN NULL;
    END
    $$",
    "CREATE TRIGGER drafts_count AFTER INSERT OR DELETE OR UPDATE OF state, circulated_version
    ON drafts FOR EACH ROW EXECUTE FUNCTION drafts_count()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(TABLE).await?;
        db.execute_unprepared(FILL).await?;
        db.execute_unprepared(INDEX).await?;
        let triggers: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Postgres => &POSTGRES_TRIGGERS,
            _ => &SQLITE_TRIGGERS,
        };
        for trigger in triggers {
            db.execute_unprepared(trigger).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER drafts_count ON drafts",
                "DROP FUNCTION drafts_count()",
            ],
            _ => &[
                "DROP TRIGGER drafts_count_insert",
                "DROP TRIGGER drafts_count_update",
                "DROP TRIGGER drafts_count_delete",
            ],
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        db.execute_unprepared("DROP INDEX drafts_uncirculated")
            .await?;
        db.execute_unprepared("DROP TABLE draft_counts").await?;
        Ok(())
    }
}
