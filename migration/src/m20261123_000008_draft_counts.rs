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

/// PostgreSQL: statement-level triggers over the transition tables, so a
/// bulk insert or update writes each count once, not once per row (and
/// leaves no trail of dead count rows behind).
const POSTGRES_TRIGGERS: [&str; 6] = [
    "CREATE FUNCTION drafts_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO draft_counts (state, circulated, total)
        SELECT state, circulated_version IS NOT NULL, COUNT(*) FROM new_rows
        GROUP BY state, circulated_version IS NOT NULL
        ON CONFLICT (state, circulated) DO UPDATE SET total = draft_counts.total + EXCLUDED.total;
        RETURN NULL;
    END
    $$",
    "CREATE FUNCTION drafts_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO draft_counts (state, circulated, total)
        SELECT state, circulated, SUM(delta) FROM (
            SELECT state, circulated_version IS NOT NULL AS circulated, 1 AS delta FROM new_rows
            UNION ALL
            SELECT state, circulated_version IS NOT NULL, -1 FROM old_rows
        ) AS changes
        GROUP BY state, circulated HAVING SUM(delta) <> 0
        ON CONFLICT (state, circulated) DO UPDATE SET total = draft_counts.total + EXCLUDED.total;
        RETURN NULL;
    END
    $$",
    "CREATE FUNCTION drafts_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE draft_counts SET total = draft_counts.total - gone.n
        FROM (SELECT state, circulated_version IS NOT NULL AS circulated, COUNT(*) AS n
              FROM old_rows GROUP BY state, circulated_version IS NOT NULL) AS gone
        WHERE draft_counts.state = gone.state AND draft_counts.circulated = gone.circulated;
        RETURN NULL;
    END
    $$",
    "CREATE TRIGGER drafts_count_insert AFTER INSERT ON drafts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION drafts_count_inserted()",
    "CREATE TRIGGER drafts_count_update AFTER UPDATE ON drafts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION drafts_count_updated()",
    "CREATE TRIGGER drafts_count_delete AFTER DELETE ON drafts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION drafts_count_deleted()",
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
                "DROP TRIGGER drafts_count_insert ON drafts",
                "DROP TRIGGER drafts_count_update ON drafts",
                "DROP TRIGGER drafts_count_delete ON drafts",
                "DROP FUNCTION drafts_count_inserted()",
                "DROP FUNCTION drafts_count_updated()",
                "DROP FUNCTION drafts_count_deleted()",
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
